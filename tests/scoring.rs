//! Scoring kernels against values computed by hand.

// Test data uses small whole numbers and indices; casting them is exact.
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_precision_loss,
    clippy::cast_possible_wrap,
    clippy::cast_sign_loss
)]

mod common;

use common::{assert_close, panel, row_by_component};
use ndarray::Array2;
use portfolio_snapshot::{Aggregation, Error, MissingPolicy, Rubric, ScoreOptions, score_matrix};

/// Choice (6 elements) all 5, Support (3 elements) all 1, the rest all 3.
fn lopsided() -> Vec<f64> {
    row_by_component([5.0, 3.0, 3.0, 3.0, 1.0, 3.0, 3.0])
}

#[test]
fn mean_of_means_differs_from_pooled_mean() {
    let p = panel(&[("A", "2016-01", lopsided())]);
    // mean of means: (5 + 3 + 3 + 3 + 1 + 3 + 3) / 7 = 21 / 7 = 3
    let s = p.score(&ScoreOptions::default()).unwrap();
    assert_close(s.overall[0], 3.0);
    assert_eq!(
        s.components.row(0).to_vec(),
        [5.0, 3.0, 3.0, 3.0, 1.0, 3.0, 3.0]
    );
    // pooled: (6*5 + 3*1 + 27*3) / 36 = 114 / 36
    let pooled = p
        .score(&ScoreOptions::default().with_aggregation(Aggregation::Pooled))
        .unwrap();
    assert_close(pooled.overall[0], 114.0 / 36.0);
}

#[test]
fn spread_is_population_not_sample_variance() {
    let p = panel(&[("A", "2016-01", lopsided())]);
    let s = p.score(&ScoreOptions::default()).unwrap();
    // mean 19/6; squared deviations: 6*(11/6)^2 + 3*(13/6)^2 + 27*(1/6)^2
    //   = (726 + 507 + 27) / 36 = 35; population variance 35/36 (sample: 35/35 = 1)
    assert_close(s.spread[0], 35.0 / 36.0);
    assert_eq!(s.coverage[0], 1.0);
}

#[test]
fn component_weights_change_mean_of_means() {
    let p = panel(&[("A", "2016-01", lopsided())]);
    let w = vec![3.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0];
    let s = p.score(&ScoreOptions::default().with_weights(w)).unwrap();
    // (3*5 + 3 + 3 + 3 + 1 + 3 + 3) / 9 = 31 / 9
    assert_close(s.overall[0], 31.0 / 9.0);
}

/// Choice: 2 of 6 rated (4, 2); Autonomy: nothing rated; the rest all 3.
fn gappy() -> Vec<f64> {
    let mut row = row_by_component([f64::NAN, f64::NAN, 3.0, 3.0, 3.0, 3.0, 3.0]);
    row[0] = 4.0;
    row[1] = 2.0;
    row
}

#[test]
fn skip_policy_means_over_what_is_rated() {
    let p = panel(&[("A", "2016-01", gappy())]);
    let s = p.score(&ScoreOptions::default()).unwrap();
    assert_eq!(s.components[[0, 0]], 3.0); // (4 + 2) / 2
    assert!(s.components[[0, 1]].is_nan()); // nothing rated: NaN, never 0
    // overall over the 6 components that score: (3 * 6) / 6
    assert_close(s.overall[0], 3.0);
    // rated: 2 + 24 = 26 of 36
    assert_close(s.coverage[0], 26.0 / 36.0);
    // spread over the 26 rated: mean 3, squared deviations 1 + 1 → 2/26
    assert_close(s.spread[0], 2.0 / 26.0);
}

#[test]
fn min_coverage_policy_drops_thin_components() {
    let p = panel(&[("A", "2016-01", gappy())]);
    // Choice has 2/6 rated: below 0.5 → NaN; at 1/3 exactly it stays
    let s = p
        .score(&ScoreOptions::default().with_missing(MissingPolicy::MinCoverage(0.5)))
        .unwrap();
    assert!(s.components[[0, 0]].is_nan());
    let s = p
        .score(&ScoreOptions::default().with_missing(MissingPolicy::MinCoverage(2.0 / 6.0)))
        .unwrap();
    assert_eq!(s.components[[0, 0]], 3.0);
    let err = p
        .score(&ScoreOptions::default().with_missing(MissingPolicy::MinCoverage(1.5)))
        .unwrap_err();
    assert!(matches!(
        err,
        Error::InvalidParameter {
            name: "missing",
            ..
        }
    ));
}

#[test]
fn strict_policy_names_the_first_missing_rating() {
    let p = panel(&[
        ("A", "2016-01", row_by_component([3.0; 7])),
        ("B", "2015-07", gappy()),
    ]);
    let err = p
        .score(&ScoreOptions::default().with_missing(MissingPolicy::Strict))
        .unwrap_err();
    match &err {
        Error::MissingRating {
            district,
            date,
            element,
        } => {
            assert_eq!(district, "B");
            assert_eq!(date.to_string(), "2015-07");
            assert_eq!(element, "1.3"); // 1.1 and 1.2 are rated
        }
        other => panic!("expected MissingRating, got {other:?}"),
    }
    assert!(err.to_string().contains("\"B\"") && err.to_string().contains("2015-07"));
}

#[test]
fn score_matrix_accepts_any_strides_and_checks_values() {
    let rubric = Rubric::crpe_2016();
    let rows = Array2::from_shape_vec((2, 36), [lopsided(), gappy()].concat()).unwrap();
    let c_order = score_matrix(&rubric, rows.view(), &ScoreOptions::default()).unwrap();
    let fortran = rows.t().as_standard_layout().into_owned().reversed_axes();
    assert!(!fortran.is_standard_layout());
    let f_order = score_matrix(&rubric, fortran.view(), &ScoreOptions::default()).unwrap();
    let bits = |s: &portfolio_snapshot::SnapshotScores| {
        let mut v: Vec<u64> = s.components.iter().map(|x| x.to_bits()).collect();
        v.extend(
            s.overall
                .iter()
                .chain(&s.spread)
                .chain(&s.coverage)
                .map(|x| x.to_bits()),
        );
        v
    };
    assert_eq!(bits(&c_order), bits(&f_order));
    assert_close(c_order.overall[0], 3.0);
    assert_close(c_order.spread[0], 35.0 / 36.0);

    let mut bad = rows.clone();
    bad[[1, 5]] = 7.0;
    let err = score_matrix(&rubric, bad.view(), &ScoreOptions::default()).unwrap_err();
    assert!(
        matches!(err, Error::InvalidMatrixValue { row: 1, ref element, value, .. } if element == "1.6" && value == 7.0)
    );
    bad[[1, 5]] = f64::NEG_INFINITY;
    assert!(score_matrix(&rubric, bad.view(), &ScoreOptions::default()).is_err());
    let narrow = Array2::<f64>::zeros((2, 35));
    assert!(matches!(
        score_matrix(&rubric, narrow.view(), &ScoreOptions::default()),
        Err(Error::WidthMismatch {
            expected: 36,
            found: 35,
            ..
        })
    ));
    let strict = ScoreOptions::default().with_missing(MissingPolicy::Strict);
    assert!(matches!(
        score_matrix(&rubric, rows.view(), &strict),
        Err(Error::MissingValue { row: 1, .. })
    ));
}

#[test]
fn a_row_with_nothing_rated_scores_nan() {
    let p = panel(&[("A", "2016-01", vec![f64::NAN; 36])]);
    let s = p.score(&ScoreOptions::default()).unwrap();
    assert!(s.overall[0].is_nan() && s.spread[0].is_nan());
    assert_eq!(s.coverage[0], 0.0);
}

#[test]
fn bad_weights_are_rejected() {
    let p = panel(&[("A", "2016-01", lopsided())]);
    assert!(matches!(
        p.score(&ScoreOptions::default().with_weights(vec![1.0; 6])),
        Err(Error::LengthMismatch {
            expected: 7,
            found: 6,
            ..
        })
    ));
    assert!(matches!(
        p.score(&ScoreOptions::default().with_weights(vec![-1.0; 7])),
        Err(Error::InvalidParameter {
            name: "weights",
            ..
        })
    ));
}

#[test]
fn parallel_path_equals_serial_path() {
    // 20,000 rows crosses the parallel threshold; each row's scores must equal
    // the single-row scores computed alone.
    let rubric = Rubric::crpe_2016();
    let n = 20_000;
    let m = Array2::from_shape_fn((n, 36), |(i, j)| {
        if (i * 7 + j * 3) % 19 == 0 {
            f64::NAN
        } else {
            ((i + j) % 5 + 1) as f64
        }
    });
    let all = score_matrix(&rubric, m.view(), &ScoreOptions::default()).unwrap();
    for i in [0, 1, 4095, 4096, 12_345, n - 1] {
        let one = score_matrix(
            &rubric,
            m.slice(ndarray::s![i..=i, ..]),
            &ScoreOptions::default(),
        )
        .unwrap();
        assert_eq!(one.overall[0].to_bits(), all.overall[i].to_bits());
        assert_eq!(one.spread[0].to_bits(), all.spread[i].to_bits());
    }
}
