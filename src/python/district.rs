//! One district: its profile against the network and its shortest path
//! into (or out of) "advanced".

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::PyDict;

use super::analysis::{summary_options, work};
use super::convert::{
    AdvancedLevelParam, AdvancedShareParam, AggregationParam, BasisParam, DistrictParam,
    MissingParam, NWeakestParam, WeightsParam,
};
use super::interrupt;
use super::panel::PyPanel;
use super::tables;
use crate::{Control, DEFAULT_WEAKEST, PATH_DEFAULT_BASIS, table};

/// One district's element values against the network's quartiles (a
/// column table).
#[pyfunction]
#[pyo3(signature = (panel, district, basis=None, n_weakest=None))]
pub(crate) fn profile<'py>(
    py: Python<'py>,
    panel: &PyPanel,
    district: DistrictParam,
    basis: Option<BasisParam>,
    n_weakest: Option<NWeakestParam>,
) -> PyResult<Bound<'py, PyDict>> {
    let p = Arc::clone(&panel.inner);
    let basis = basis.map(|b| b.0).unwrap_or_default();
    let n = n_weakest.map_or(DEFAULT_WEAKEST, |n| n.0);
    let r = interrupt::run(py, work(&p), Control::new(), |_| {
        p.profile(&district.0, basis, n)
    })?;
    tables::to_py(py, table::profile(&p, &r))
}

/// The fewest one-level moves into or out of "advanced" (a column table).
#[pyfunction]
#[pyo3(signature = (panel, district, basis=None, missing=None, aggregation=None, weights=None, advanced_level=None, advanced_share=None))]
#[allow(clippy::too_many_arguments)] // the Python keyword arguments
pub(crate) fn path_to_advanced<'py>(
    py: Python<'py>,
    panel: &PyPanel,
    district: DistrictParam,
    basis: Option<BasisParam>,
    missing: Option<MissingParam>,
    aggregation: Option<AggregationParam>,
    weights: Option<WeightsParam>,
    advanced_level: Option<AdvancedLevelParam>,
    advanced_share: Option<AdvancedShareParam>,
) -> PyResult<Bound<'py, PyDict>> {
    let p = Arc::clone(&panel.inner);
    let basis_given = basis.is_some();
    let mut opts = summary_options(
        p.rubric(),
        basis,
        missing,
        aggregation,
        weights,
        None,
        None,
        advanced_level,
        advanced_share,
    )?;
    if !basis_given {
        opts.basis = PATH_DEFAULT_BASIS;
    }
    let r = interrupt::run(py, work(&p), Control::new(), |_| {
        p.path_to_advanced(&district.0, &opts)
    })?;
    tables::to_py(py, table::advanced_path(&p, &r))
}
