//! Panel construction: sorting, formats, and every bad input's error.

// Test data uses small whole numbers and indices; casting them is exact.
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_precision_loss,
    clippy::cast_possible_wrap,
    clippy::cast_sign_loss
)]

mod common;

use common::{key, row_by_component, try_panel, ym};
use ndarray::Array2;
use portfolio_snapshot::{
    DateReason, Error, LongRating, Panel, PanelOptions, Rubric, ScoreOptions, YearMonth,
};

#[test]
fn rows_are_sorted_by_district_then_date() {
    let p = common::panel(&[
        ("Denver", "2016-01", row_by_component([5.0; 7])),
        ("Chicago", "2015-07", row_by_component([2.0; 7])),
        ("Denver", "2015-07", row_by_component([4.0; 7])),
        ("Chicago", "2013-01", row_by_component([1.0; 7])),
    ]);
    assert_eq!(p.districts(), ["Chicago", "Denver"]);
    let dates: Vec<String> = p.dates().iter().map(ToString::to_string).collect();
    assert_eq!(dates, ["2013-01", "2015-07", "2015-07", "2016-01"]);
    let first_col: Vec<f64> = p.ratings().column(0).to_vec();
    assert_eq!(first_col, [1.0, 2.0, 4.0, 5.0]);
    assert_eq!(p.district_rows(1), 2..4);
    assert_eq!(
        p.row_districts(),
        ["Chicago", "Chicago", "Denver", "Denver"]
    );
    assert_eq!(p.district_index("Denver"), Some(1));
}

fn err_of(rows: &[(&str, &str, Vec<f64>)]) -> Error {
    try_panel(rows).expect_err("bad input must be rejected")
}

#[test]
fn rating_errors_name_district_date_element_and_value() {
    let mut row = row_by_component([3.0; 7]);
    row[21] = 6.0; // element 4.6
    let err = err_of(&[
        ("Tulsa", "2015-07", row_by_component([3.0; 7])),
        ("Tulsa", "2016-01", row),
    ]);
    assert!(
        matches!(&err, Error::RatingOutOfScale { district, element, value, .. }
        if district == "Tulsa" && element == "4.6" && *value == 6.0)
    );
    let msg = err.to_string();
    for part in ["Tulsa", "2016-01", "4.6", "6"] {
        assert!(msg.contains(part), "{msg}");
    }

    let mut row = row_by_component([3.0; 7]);
    row[0] = 2.5;
    let err = err_of(&[("Oakland", "2014-01", row.clone())]);
    assert!(
        matches!(&err, Error::RatingNotAllowed { element, value, .. } if element == "1.1" && *value == 2.5)
    );
    assert!(err.to_string().contains("allowed: 1, 2, 3, 4, 5"), "{err}");
    // half steps are an opt-in
    let rubric = Rubric::crpe_2016();
    let m = Array2::from_shape_vec((1, 36), row).unwrap();
    let p = Panel::from_matrix_with(
        rubric,
        vec![key("Oakland", "2014-01")],
        m,
        PanelOptions::half_steps(),
    )
    .unwrap();
    assert_eq!(p.ratings()[[0, 0]], 2.5);

    let mut row = row_by_component([3.0; 7]);
    row[35] = f64::INFINITY;
    let err = err_of(&[("Denver", "2016-01", row)]);
    assert!(matches!(&err, Error::InfiniteRating { element, .. } if element == "7.6"));

    let mut row = row_by_component([3.0; 7]);
    row[2] = -1.0;
    assert!(matches!(
        err_of(&[("Denver", "2016-01", row)]),
        Error::RatingOutOfScale { .. }
    ));
    let mut row = row_by_component([3.0; 7]);
    row[2] = 1e300;
    assert!(matches!(
        err_of(&[("Denver", "2016-01", row)]),
        Error::RatingOutOfScale { .. }
    ));
}

#[test]
fn duplicates_shapes_and_empty_input_are_errors() {
    let r = row_by_component([3.0; 7]);
    let err = err_of(&[
        ("A", "2016-01", r.clone()),
        ("B", "2016-01", r.clone()),
        ("A", "2016-01", r.clone()),
    ]);
    assert!(
        matches!(&err, Error::DuplicateSnapshot { district, date } if district == "A" && date.to_string() == "2016-01")
    );

    let rubric = Rubric::crpe_2016();
    let narrow = Array2::from_elem((1, 35), 3.0);
    let err = Panel::from_matrix(rubric.clone(), vec![key("A", "2016-01")], narrow).unwrap_err();
    assert!(matches!(
        err,
        Error::WidthMismatch {
            expected: 36,
            found: 35,
            ..
        }
    ));
    assert!(err.to_string().contains("35 columns") && err.to_string().contains("36 elements"));

    let m = Array2::from_elem((2, 36), 3.0);
    let err = Panel::from_matrix(rubric.clone(), vec![key("A", "2016-01")], m).unwrap_err();
    assert!(matches!(
        err,
        Error::LengthMismatch {
            expected: 2,
            found: 1,
            ..
        }
    ));

    let empty = Array2::<f64>::zeros((0, 36));
    assert!(matches!(
        Panel::from_matrix(rubric.clone(), vec![], empty),
        Err(Error::EmptyPanel)
    ));
    assert!(matches!(
        Panel::from_long(rubric, Vec::new(), PanelOptions::default()),
        Err(Error::EmptyPanel)
    ));
}

fn rating(district: &str, date: &str, element: &str, value: f64) -> LongRating {
    LongRating {
        district: district.into(),
        date: ym(date),
        element: element.into(),
        rating: value,
    }
}

#[test]
fn long_records_fill_a_matrix_with_nan_for_unrated() {
    let rubric = Rubric::crpe_2016();
    let p = Panel::from_long(
        rubric,
        vec![
            rating("B", "2016-01", "7.6", 5.0),
            rating("A", "2015-07", "1.1", 2.0),
            rating("A", "2015-07", "1.2", f64::NAN),
        ],
        PanelOptions::default(),
    )
    .unwrap();
    assert_eq!(p.districts(), ["A", "B"]);
    assert_eq!(p.ratings()[[0, 0]], 2.0);
    assert!(p.ratings()[[0, 1]].is_nan());
    assert_eq!(p.ratings()[[1, 35]], 5.0);
    let rated = p.ratings().iter().filter(|v| !v.is_nan()).count();
    assert_eq!(rated, 2);
    // to_long gives back the rated records, nothing lost
    let back = p.to_long();
    assert_eq!(
        back,
        vec![
            rating("A", "2015-07", "1.1", 2.0),
            rating("B", "2016-01", "7.6", 5.0)
        ]
    );
}

#[test]
fn long_record_errors_name_the_record() {
    let rubric = Rubric::crpe_2016();
    let err = Panel::from_long(
        rubric.clone(),
        vec![rating("A", "2015-07", "4.7", 3.0)],
        PanelOptions::default(),
    )
    .unwrap_err();
    let msg = err.to_string();
    assert!(
        matches!(&err, Error::UnknownElement { element, district: Some(d), .. } if element == "4.7" && d == "A")
    );
    assert!(
        msg.contains("2015-07") && msg.contains("1.1") && msg.contains("7.6"),
        "{msg}"
    );

    let err = Panel::from_long(
        rubric,
        vec![
            rating("A", "2015-07", "2.2", 3.0),
            rating("A", "2015-07", "2.2", 4.0),
        ],
        PanelOptions::default(),
    )
    .unwrap_err();
    assert!(
        matches!(&err, Error::DuplicateRating { district, element, first, second, .. }
        if district == "A" && element == "2.2" && *first == 3.0 && *second == 4.0)
    );
}

#[test]
fn named_columns_are_matched_by_id_and_inputs_stay_unchanged() {
    let rubric = Rubric::crpe_2012();
    let ids: Vec<String> = rubric.element_ids().iter().rev().cloned().collect();
    // column c holds element ids[c] and the value (c % 5) + 1
    let m = Array2::from_shape_fn((1, 31), |(_, c)| (c % 5 + 1) as f64);
    let before = m.clone();
    let p = Panel::from_columns(
        rubric.clone(),
        vec![key("A", "2016-01")],
        &ids,
        m.view(),
        PanelOptions::default(),
    )
    .unwrap();
    assert_eq!(m, before);
    // element "1.1" is the last column (30): 30 % 5 + 1 = 1; "7.4" is column 0: 1
    assert_eq!(p.ratings()[[0, 0]], 1.0);
    assert_eq!(p.ratings()[[0, 30]], 1.0);
    // element "1.2" (rubric column 1) is input column 29: 29 % 5 + 1 = 5
    assert_eq!(p.ratings()[[0, 1]], 5.0);

    let mut short = ids.clone();
    short[3] = "9.9".into();
    let err = Panel::from_columns(
        rubric.clone(),
        vec![key("A", "2016-01")],
        &short,
        m.view(),
        PanelOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(&err, Error::InvalidColumn { column, .. } if column == "9.9"));
    assert!(err.to_string().contains("not an element"), "{err}");

    let partial = &ids[..30];
    let err = Panel::from_columns(
        rubric.clone(),
        vec![key("A", "2016-01")],
        partial,
        m.slice(ndarray::s![.., ..30]),
        PanelOptions::default(),
    )
    .unwrap_err();
    assert!(
        matches!(&err, Error::MissingElements { missing, .. } if missing == &["1.1".to_string()])
    );

    let mut dup = ids.clone();
    dup[1] = dup[0].clone();
    assert!(matches!(
        Panel::from_columns(
            rubric,
            vec![key("A", "2016-01")],
            &dup,
            m.view(),
            PanelOptions::default()
        ),
        Err(Error::InvalidColumn { column, .. }) if column == dup[0]
    ));
}

#[test]
fn csv_input_and_its_errors() {
    let rubric = Rubric::crpe_2016();
    let text = "# comment\ndistrict,date,element,rating,note\nA,2016-01,1.1,3,x\nA,2016-01,1.2,,y\nB,2015-07,2.1,NaN,z\n";
    let p = Panel::read_long_csv(rubric.clone(), text.as_bytes(), PanelOptions::default()).unwrap();
    assert_eq!(p.n_snapshots(), 2);
    assert_eq!(p.ratings()[[0, 0]], 3.0);

    let bad_date = "district,date,element,rating\nA,2016-13,1.1,3\n";
    let err = Panel::read_long_csv(rubric.clone(), bad_date.as_bytes(), PanelOptions::default())
        .unwrap_err();
    assert!(matches!(&err, Error::Csv { line: Some(2), .. }), "{err:?}");
    assert!(err.to_string().contains("2016-13"));

    let bad_rating = "district,date,element,rating\nA,2016-01,1.1,three\n";
    let err = Panel::read_long_csv(
        rubric.clone(),
        bad_rating.as_bytes(),
        PanelOptions::default(),
    )
    .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("three")
            && msg.contains("\"A\"")
            && msg.contains("1.1")
            && msg.contains("line 2"),
        "{msg}"
    );

    let no_col = "district,date,rating\nA,2016-01,3\n";
    let err = Panel::read_long_csv(rubric.clone(), no_col.as_bytes(), PanelOptions::default())
        .unwrap_err();
    assert!(err.to_string().contains("no element column"), "{err}");

    // headers as people write them, dates as the report prints them, the
    // "not rated" markers and level labels as text: the same panel as the
    // clean form, and the mapping used is recorded
    let clean = "district,date,element,rating\nA,2016-01,1.1,5\nA,2016-01,1.2,\nA,2015-07,1.1,2\n";
    let messy = "District , Snapshot,Element_ID,RATING\nA,Jan. 2016,1.1,National exemplar\nA,January 2016,1.2,N/A\nA,2015-07-01,1.1,2\n";
    let a =
        Panel::read_long_csv(rubric.clone(), clean.as_bytes(), PanelOptions::default()).unwrap();
    let b =
        Panel::read_long_csv(rubric.clone(), messy.as_bytes(), PanelOptions::default()).unwrap();
    let bits = |p: &Panel| p.ratings().iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&a), bits(&b));
    assert_eq!(a.dates(), b.dates());
    assert_eq!(
        b.provenance().columns.as_deref(),
        Some(
            "district from \"District\", date from \"Snapshot\", element from \"Element_ID\", rating from \"RATING\""
        )
    );

    let ragged = "district,date,element,rating\nA,2016-01,1.1\n";
    assert!(matches!(
        Panel::read_long_csv(rubric.clone(), ragged.as_bytes(), PanelOptions::default()),
        Err(Error::Csv { .. })
    ));
    assert!(matches!(
        Panel::from_long_csv_path(rubric, "/nonexistent/ratings.csv", PanelOptions::default()),
        Err(Error::Io { .. })
    ));
}

#[test]
fn dates_are_read_as_researchers_write_them() {
    let jan = YearMonth::new(2016, 1).unwrap();
    // YYYY-MM, ISO dates and datetimes (their month), the report's own
    // "Jan. 2016" style, full month names, any case
    for good in [
        "2016-01",
        "2016-1",
        "2016/01",
        " 2016-01 ",
        "2016-01-31",
        "2016-01-01 00:00:00",
        "2016-01-15T12:30:00",
        "2016-01-15T12:30:00.250+01:00",
        "2016-01-15T12:30Z",
        "Jan. 2016",
        "Jan 2016",
        "January 2016",
        "january, 2016",
        "JAN. 2016",
    ] {
        assert_eq!(YearMonth::parse(good).unwrap(), jan, "{good}");
    }
    assert_eq!(
        YearMonth::parse("Sept. 2015").unwrap(),
        YearMonth::new(2015, 9).unwrap()
    );
    assert_eq!(
        YearMonth::parse("July 2014").unwrap(),
        YearMonth::new(2014, 7).unwrap()
    );
    assert_eq!(
        YearMonth::parse("2016-02-29").unwrap(),
        YearMonth::new(2016, 2).unwrap()
    );
    for (bad, reason) in [
        ("2014-00", DateReason::MonthOutOfRange),
        ("2014-13", DateReason::MonthOutOfRange),
        ("0000-01", DateReason::YearOutOfRange),
        ("2015-02-29", DateReason::DayOutOfRange),
        ("2016-04-31", DateReason::DayOutOfRange),
        ("14-07", DateReason::Unrecognised),
        ("", DateReason::Unrecognised),
        ("abcd-ef", DateReason::Unrecognised),
        ("Jan-16", DateReason::Unrecognised),
        ("Ja 2016", DateReason::Unrecognised),
        ("2016Q1", DateReason::Unrecognised),
        ("2016-01 noon", DateReason::Unrecognised),
        ("2016-01-15T25:00", DateReason::Unrecognised),
        ("2016-01-15 99:99:99", DateReason::Unrecognised),
        ("2016-01-15T23:61", DateReason::Unrecognised),
        ("2016-01-15T", DateReason::Unrecognised),
    ] {
        let err = YearMonth::parse(bad).unwrap_err();
        assert_eq!(err.reason, reason, "{bad}");
        assert_eq!(err.text, bad);
        // into the crate's error, naming the text
        let e: Error = err.into();
        assert!(matches!(e, Error::InvalidDate { .. }), "{bad}");
        assert!(e.to_string().contains(&format!("{bad:?}")), "{e}");
    }
    assert!(YearMonth::new(2014, 0).is_err());
    assert!(YearMonth::new(0, 1).is_err());
    let d = YearMonth::new(2016, 1).unwrap();
    assert_eq!(d.add_months(-6).unwrap().to_string(), "2015-07");
    assert_eq!(d.add_months(-13).unwrap().to_string(), "2014-12");
    assert!(d.add_months(i64::MAX).is_err());
    assert_eq!(YearMonth::new(2014, 7).unwrap().fractional_year(), 2014.5);
}

#[test]
fn panel_scores_do_not_depend_on_input_order() {
    let a = common::panel(&[
        (
            "B",
            "2016-01",
            row_by_component([1.0, 2.0, 3.0, 4.0, 5.0, 1.0, 2.0]),
        ),
        ("A", "2016-01", row_by_component([5.0; 7])),
    ]);
    let b = common::panel(&[
        ("A", "2016-01", row_by_component([5.0; 7])),
        (
            "B",
            "2016-01",
            row_by_component([1.0, 2.0, 3.0, 4.0, 5.0, 1.0, 2.0]),
        ),
    ]);
    let sa = a.score(&ScoreOptions::default()).unwrap();
    let sb = b.score(&ScoreOptions::default()).unwrap();
    assert_eq!(sa, sb);
    // B: (1 + 2 + 3 + 4 + 5 + 1 + 2) / 7 = 18 / 7
    assert!((sa.overall[1] - 18.0 / 7.0).abs() < 1e-12);
}
