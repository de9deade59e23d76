//! How far the ratings can be trusted: internal consistency.

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::PyDict;

use super::analysis::{summary_options, work};
use super::convert::{
    AdvancedLevelParam, AdvancedShareParam, AggregationParam, BasisParam, MissingParam,
    WeightsParam, XCutParam, YCutParam,
};
use super::interrupt;
use super::panel::PyPanel;
use super::tables;
use crate::{Control, table};

/// Cronbach's alpha per component (a column table).
#[pyfunction]
#[pyo3(signature = (panel, basis=None))]
pub(crate) fn cronbach_alpha<'py>(
    py: Python<'py>,
    panel: &PyPanel,
    basis: Option<BasisParam>,
) -> PyResult<Bound<'py, PyDict>> {
    let p = Arc::clone(&panel.inner);
    let basis = basis.map(|b| b.0).unwrap_or_default();
    let r = interrupt::run(
        py,
        work(&p),
        Control::new(),
        |_| Ok(p.cronbach_alpha(basis)),
    )?;
    tables::to_py(py, table::reliability(&p, &r))
}

/// Each district's rank, quadrant and advanced flag with each element and
/// component left out (a column table).
#[pyfunction]
#[pyo3(signature = (panel, basis=None, missing=None, aggregation=None, weights=None, y_cut=None, x_cut=None, advanced_level=None, advanced_share=None))]
#[allow(clippy::too_many_arguments)] // the Python keyword arguments
pub(crate) fn leave_one_out<'py>(
    py: Python<'py>,
    panel: &PyPanel,
    basis: Option<BasisParam>,
    missing: Option<MissingParam>,
    aggregation: Option<AggregationParam>,
    weights: Option<WeightsParam>,
    y_cut: Option<YCutParam>,
    x_cut: Option<XCutParam>,
    advanced_level: Option<AdvancedLevelParam>,
    advanced_share: Option<AdvancedShareParam>,
) -> PyResult<Bound<'py, PyDict>> {
    let p = Arc::clone(&panel.inner);
    let opts = summary_options(
        p.rubric(),
        basis,
        missing,
        aggregation,
        weights,
        y_cut,
        x_cut,
        advanced_level,
        advanced_share,
    )?;
    let work = work(&p) * (p.rubric().n_elements() as u128 + 8);
    let r = interrupt::run(py, work, Control::new(), |_| p.leave_one_out(&opts))?;
    tables::to_py(py, table::leave_one_out(&p, &r))
}
