//! Subsets of a panel: districts, date windows, the panel as of a date, and
//! eligibility on the panel's own history, checked against rows picked by
//! hand.

mod common;

use common::{row_by_component, ym};
use portfolio_snapshot::{Eligibility, Error, Panel, Selection};

/// Three districts: A rated 2013-01, 2014-07, 2016-01; B 2015-07 only;
/// C 2012-07, 2013-01, 2013-07 (three snapshots, the last before 2014).
fn panel() -> Panel {
    common::panel(&[
        ("A", "2013-01", row_by_component([1.0; 7])),
        ("A", "2014-07", row_by_component([2.0; 7])),
        ("A", "2016-01", row_by_component([3.0; 7])),
        ("B", "2015-07", row_by_component([4.0; 7])),
        ("C", "2012-07", row_by_component([5.0; 7])),
        ("C", "2013-01", row_by_component([4.0; 7])),
        ("C", "2013-07", row_by_component([3.0; 7])),
    ])
}

fn rows(p: &Panel) -> Vec<(String, String, f64)> {
    (0..p.n_snapshots())
        .map(|r| {
            (
                p.row_district(r).to_owned(),
                p.dates()[r].to_string(),
                p.ratings()[[r, 0]],
            )
        })
        .collect()
}

fn row(d: &str, t: &str, v: f64) -> (String, String, f64) {
    (d.to_owned(), t.to_owned(), v)
}

#[test]
fn select_keeps_exactly_the_chosen_rows() {
    let p = panel();
    let s = p
        .select(&Selection {
            districts: Some(vec!["C".into(), "A".into()]),
            start: Some(ym("2013-01")),
            end: Some(ym("2014-07")),
        })
        .unwrap();
    assert_eq!(
        rows(&s),
        [
            row("A", "2013-01", 1.0),
            row("A", "2014-07", 2.0),
            row("C", "2013-01", 4.0),
            row("C", "2013-07", 3.0),
        ]
    );
    assert_eq!(s.rubric().id(), p.rubric().id());
    // the default selection is the whole panel
    assert_eq!(p.select(&Selection::default()).unwrap(), p);
}

#[test]
fn as_of_is_the_panel_as_it_stood() {
    let p = panel();
    let then = p.as_of(ym("2014-12")).unwrap();
    assert_eq!(
        rows(&then),
        [
            row("A", "2013-01", 1.0),
            row("A", "2014-07", 2.0),
            row("C", "2012-07", 5.0),
            row("C", "2013-01", 4.0),
            row("C", "2013-07", 3.0),
        ]
    );
    assert_eq!(then.districts(), ["A", "C"]); // B had no snapshot yet
}

#[test]
fn eligibility_on_the_panels_own_history() {
    let p = panel();
    let roster = p.roster();
    let counts: Vec<(String, u32)> = roster
        .entries
        .iter()
        .map(|e| (e.district.clone(), e.n_snapshots))
        .collect();
    assert_eq!(counts, [("A".into(), 3), ("B".into(), 1), ("C".into(), 3)]);
    // the report's rule: three snapshots, the last in January 2014 or later
    let e = p.eligible(&Eligibility::default()).unwrap();
    assert_eq!(e.districts(), ["A"]);
    // a looser rule keeps C too
    let loose = p
        .eligible(&Eligibility {
            min_snapshots: 3,
            since: ym("2013-07"),
        })
        .unwrap();
    assert_eq!(loose.districts(), ["A", "C"]);
}

#[test]
fn bad_selections_are_named() {
    let p = panel();
    let err = p
        .select(&Selection {
            districts: Some(vec!["Atlantis".into()]),
            ..Selection::default()
        })
        .unwrap_err();
    assert!(matches!(err, Error::InvalidDistrict { .. }), "{err}");
    assert!(err.to_string().contains("Atlantis"), "{err}");
    let err = p
        .select(&Selection {
            start: Some(ym("2016-01")),
            end: Some(ym("2015-01")),
            ..Selection::default()
        })
        .unwrap_err();
    assert!(err.to_string().contains("start"), "{err}");
    let err = p.as_of(ym("2000-01")).unwrap_err();
    assert!(err.to_string().contains("no snapshot"), "{err}");
    let err = p
        .eligible(&Eligibility {
            min_snapshots: 4,
            since: ym("2014-01"),
        })
        .unwrap_err();
    assert!(err.to_string().contains("at least 4 snapshots"), "{err}");
}
