//! Several raters: agreement and consensus.

use pyo3::prelude::*;
use pyo3::types::PyDict;

use super::convert::{BootstrapDrawsParam, SeedParam};
use super::errors::to_py;
use super::interrupt;
use super::panel::PyPanel;
use super::tables;
use crate::{
    AGREEMENT_DEFAULT_DRAWS, AGREEMENT_DEFAULT_SEED, Consensus, Control, Error, Raters, table,
};

fn raters(panels: &[PyRef<'_, PyPanel>], names: Vec<String>) -> PyResult<Raters> {
    Raters::new(names, panels.iter().map(|p| (*p.inner).clone()).collect()).map_err(to_py)
}

/// Krippendorff's alpha (ordinal) per element, component and overall, with
/// bootstrap intervals (a column table).
#[pyfunction]
#[pyo3(signature = (panels, raters, draws=None, seed=None, progress=None))]
pub(crate) fn rater_agreement<'py>(
    py: Python<'py>,
    panels: Vec<PyRef<'py, PyPanel>>,
    raters: Vec<String>,
    draws: Option<BootstrapDrawsParam>,
    seed: Option<SeedParam>,
    progress: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let progress = interrupt::callback(progress)?;
    let r = self::raters(&panels, raters)?;
    let draws = draws.map_or(AGREEMENT_DEFAULT_DRAWS, |d| d.0);
    let seed = seed.map_or(AGREEMENT_DEFAULT_SEED, |s| s.0);
    let cells: u128 = panels.iter().map(|p| super::analysis::work(&p.inner)).sum();
    let work = cells.saturating_mul(draws as u128 + 1);
    let a = interrupt::run_with_progress(py, work, Control::new(), progress.as_ref(), |c| {
        r.agreement_with(draws, seed, c)
    })?;
    tables::to_py(py, table::agreement(&r, &a))
}

/// One panel from several raters' ratings.
#[pyfunction]
#[pyo3(signature = (panels, raters, rule=None, by=None))]
pub(crate) fn consensus(
    panels: Vec<PyRef<'_, PyPanel>>,
    raters: Vec<String>,
    rule: Option<Bound<'_, PyAny>>,
    by: Option<Bound<'_, PyAny>>,
) -> PyResult<PyPanel> {
    let r = self::raters(&panels, raters)?;
    let text = |o: Option<Bound<'_, PyAny>>, name: &str, expected: &str| {
        o.map(|o| super::convert::text(&o, name, expected))
            .transpose()
    };
    let rule = text(rule, "rule", "\"median\", \"mean\" or \"rater\"")?;
    let by = text(by, "by", "a rater's name")?;
    let rule = match (rule.as_deref(), by) {
        (None | Some("median"), None) => Consensus::Median,
        (Some("mean"), None) => Consensus::Mean,
        (None | Some("rater"), Some(name)) => Consensus::Rater(name),
        (Some(other), given) => {
            return Err(to_py(Error::InvalidParameter {
                name: "rule",
                value: format!("{other:?}"),
                reason: if given.is_some() {
                    "with by=, the rule is \"rater\"".into()
                } else if other == "rater" {
                    "the rule \"rater\" takes the rater's name as by=".into()
                } else {
                    "must be \"median\" (the default), \"mean\" or \"rater\" (with by=)".into()
                },
            }));
        }
    };
    r.consensus(&rule).map(PyPanel::wrap).map_err(to_py)
}

/// The position of the column that says who rated (`rater` names it).
#[pyfunction]
#[pyo3(signature = (header, rater=None))]
pub(crate) fn rater_column(header: Vec<String>, rater: Option<String>) -> PyResult<usize> {
    crate::columns::find_rater(&header, rater.as_deref()).map_err(to_py)
}
