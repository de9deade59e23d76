//! Helpers shared by the integration tests.
#![allow(dead_code)]

use ndarray::Array2;
use portfolio_snapshot::{Panel, Rubric, SnapshotKey, YearMonth};

pub fn ym(s: &str) -> YearMonth {
    s.parse().expect("test date")
}

pub fn key(district: &str, date: &str) -> SnapshotKey {
    SnapshotKey::new(district, ym(date))
}

/// A CRPE-2016 row built from one value per component (every element of the
/// component gets it).
pub fn row_by_component(values: [f64; 7]) -> Vec<f64> {
    let rubric = Rubric::crpe_2016();
    let mut row = Vec::new();
    for (c, v) in rubric.components().iter().zip(values) {
        row.extend(std::iter::repeat_n(v, c.elements().len()));
    }
    row
}

/// A CRPE-2016 panel from (district, date, row) triples.
pub fn panel(rows: &[(&str, &str, Vec<f64>)]) -> Panel {
    try_panel(rows).expect("valid test panel")
}

pub fn try_panel(rows: &[(&str, &str, Vec<f64>)]) -> portfolio_snapshot::Result<Panel> {
    let rubric = Rubric::crpe_2016();
    let n = rubric.n_elements();
    let keys = rows.iter().map(|(d, t, _)| key(d, t)).collect();
    let flat: Vec<f64> = rows.iter().flat_map(|(_, _, r)| r.clone()).collect();
    let m = Array2::from_shape_vec((rows.len(), n), flat).expect("rows of 36");
    Panel::from_matrix(rubric, keys, m)
}

pub fn assert_close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-12, "{a} != {b}");
}
