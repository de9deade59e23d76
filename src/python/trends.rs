//! Trajectories over time.

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::PyDict;

use super::analysis::{score_options, work};
use super::convert::{AggregationParam, MissingParam, WeightsParam};
use super::interrupt;
use super::panel::PyPanel;
use super::tables;
use crate::{Control, table};

/// Per-district slopes of the overall and component scores per year (a
/// column table).
#[pyfunction]
#[pyo3(signature = (panel, missing=None, aggregation=None, weights=None))]
pub(crate) fn trends<'py>(
    py: Python<'py>,
    panel: &PyPanel,
    missing: Option<MissingParam>,
    aggregation: Option<AggregationParam>,
    weights: Option<WeightsParam>,
) -> PyResult<Bound<'py, PyDict>> {
    let p = Arc::clone(&panel.inner);
    let opts = score_options(p.rubric(), missing, aggregation, weights)?;
    let t = interrupt::run(py, work(&p), Control::new(), |c| p.trends_with(&opts, c))?;
    tables::to_py(py, table::trends(&p, &opts, &t))
}
