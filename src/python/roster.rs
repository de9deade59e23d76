//! The Figure 2 roster, the eligibility rule and the shipped datasets.

use pyo3::prelude::*;
use pyo3::types::PyDict;

use super::convert::{self, MinSnapshotsParam, SinceParam};
use super::errors::{InputError, to_py};
use super::panel::PyPanel;
use super::tables;
use crate::{Eligibility, Error, RosterEntry, datasets, table};

/// The Figure 2 roster (a column table).
#[pyfunction]
pub(crate) fn network_roster(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    tables::to_py(py, table::roster(&datasets::network_roster()))
}

/// A snapshot count from a roster cell: a whole number (a float such as 3.0,
/// which pandas makes of a count column with gaps, counts as 3).
fn count_cell(cell: &Bound<'_, PyAny>, district: &str) -> PyResult<u32> {
    let bad = |why: &str| {
        InputError::new_err(format!(
            "invalid n_snapshots for district {district:?}: {} ({why})",
            convert::show(cell)
        ))
    };
    if convert::is_bool(cell) || convert::is_missing(cell) {
        return Err(bad("a whole number of snapshots is needed"));
    }
    if let Ok(s) = cell.cast::<pyo3::types::PyString>() {
        return s
            .to_string()
            .trim()
            .parse::<u32>()
            .map_err(|_| bad("text that is not a whole number"));
    }
    let x = cell.extract::<f64>().map_err(|_| bad("not a number"))?;
    if x.fract() != 0.0 || !(0.0..=f64::from(u32::MAX)).contains(&x) {
        return Err(bad("a whole number from 0 is needed"));
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // checked above
    Ok(x as u32)
}

/// Which roster rows qualify: at least `min_snapshots`, the last in `since`
/// or later (the core's rule and defaults).
#[pyfunction]
#[pyo3(signature = (districts, n_snapshots, last, min_snapshots=None, since=None))]
pub(crate) fn eligible_mask(
    districts: &Bound<'_, PyAny>,
    n_snapshots: &Bound<'_, PyAny>,
    last: &Bound<'_, PyAny>,
    min_snapshots: Option<MinSnapshotsParam>,
    since: Option<SinceParam>,
) -> PyResult<Vec<bool>> {
    let mut rule = Eligibility::default();
    if let Some(m) = min_snapshots {
        rule.min_snapshots = m.0;
    }
    if let Some(s) = since {
        rule.since = s.0;
    }
    let names = convert::districts(districts)?;
    let counts: Vec<Bound<'_, PyAny>> = n_snapshots.try_iter()?.collect::<PyResult<_>>()?;
    let lasts: Vec<Bound<'_, PyAny>> = last.try_iter()?.collect::<PyResult<_>>()?;
    if counts.len() != names.len() || lasts.len() != names.len() {
        return Err(to_py(Error::LengthMismatch {
            what: "roster columns",
            expected: names.len(),
            found: if counts.len() == names.len() {
                lasts.len()
            } else {
                counts.len()
            },
        }));
    }
    names
        .into_iter()
        .zip(counts)
        .zip(lasts)
        .map(|((district, n), last)| {
            let n_snapshots = count_cell(&n, &district)?;
            let most_recent_snapshot = if convert::is_missing(&last)
                || last
                    .cast::<pyo3::types::PyString>()
                    .is_ok_and(|s| crate::NaValues::default().is_na(&s.to_string()))
            {
                None
            } else {
                Some(convert::date_cell(&last).map_err(|reason| {
                    InputError::new_err(format!(
                        "invalid date {} for district {district:?}: {reason}",
                        convert::show(&last)
                    ))
                })?)
            };
            Ok(rule.admits(&RosterEntry {
                district,
                most_recent_snapshot,
                n_snapshots,
            }))
        })
        .collect()
}

/// The synthetic demo panel.
#[pyfunction]
pub(crate) fn demo_panel() -> PyResult<PyPanel> {
    datasets::demo_panel().map(PyPanel::wrap).map_err(to_py)
}
