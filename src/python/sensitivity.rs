//! Which source of uncertainty matters most: Sobol indices of the
//! simulation, and its model run on given inputs (for other samplers).

use std::sync::Arc;

use numpy::{
    IntoPyArray, PyArrayDescrMethods, PyArrayMethods, PyUntypedArray, PyUntypedArrayMethods,
};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use super::convert::{
    AggregationMixParam, BaseRowsParam, BasisParam, BootstrapParam, LevelParam, MemoryLimitParam,
    MissingParam, RatingNoiseParam, ResamplesParam, SeedParam, WeightAlphaParam, XCutRangeParam,
    YCutRangeParam,
};
use super::errors::{InputError, to_py};
use super::interrupt;
use super::panel::PyPanel;
use super::tables;
use super::uncertainty::{options, work};
use crate::{Control, SensitivityOptions, table};

/// Sobol indices of each source on each output (a column table).
#[pyfunction]
#[pyo3(signature = (panel, base_rows=None, resamples=None, level=None, seed=None, rating_noise=None, bootstrap_elements=None, weight_alpha=None, y_cut_range=None, x_cut_range=None, aggregation=None, basis=None, missing=None, memory_limit=None, progress=None))]
#[allow(clippy::too_many_arguments)] // the Python keyword arguments
pub(crate) fn sensitivity<'py>(
    py: Python<'py>,
    panel: &PyPanel,
    base_rows: Option<BaseRowsParam>,
    resamples: Option<ResamplesParam>,
    level: Option<LevelParam>,
    seed: Option<SeedParam>,
    rating_noise: Option<RatingNoiseParam>,
    bootstrap_elements: Option<BootstrapParam>,
    weight_alpha: Option<WeightAlphaParam>,
    y_cut_range: Option<YCutRangeParam>,
    x_cut_range: Option<XCutRangeParam>,
    aggregation: Option<AggregationMixParam>,
    basis: Option<BasisParam>,
    missing: Option<MissingParam>,
    memory_limit: Option<MemoryLimitParam>,
    progress: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let p = Arc::clone(&panel.inner);
    let progress = interrupt::callback(progress)?;
    let any_source = rating_noise.is_some()
        || bootstrap_elements.is_some()
        || weight_alpha.is_some()
        || y_cut_range.is_some()
        || x_cut_range.is_some()
        || aggregation.is_some();
    let given = options(
        &p,
        None,
        None,
        rating_noise,
        bootstrap_elements,
        weight_alpha,
        y_cut_range,
        x_cut_range,
        aggregation,
        basis,
        missing,
        memory_limit,
    )?;
    // no source named: the report's set, every source on
    let mut o = if any_source {
        SensitivityOptions {
            uncertainty: given,
            ..SensitivityOptions::default()
        }
    } else {
        let mut r = SensitivityOptions::for_report(&p, &given.summary).map_err(to_py)?;
        r.uncertainty.memory_limit = given.memory_limit;
        r
    };
    if let Some(n) = base_rows {
        o.base_rows = n.0;
    }
    if let Some(r) = resamples {
        o.resamples = r.0;
    }
    if let Some(l) = level {
        o.level = l.0;
    }
    if let Some(s) = seed {
        o.seed = s.0;
    }
    let mut runs = o.uncertainty.clone();
    runs.draws = o
        .base_rows
        .saturating_mul(o.uncertainty.sources().len() + 2);
    let s = interrupt::run_with_progress(
        py,
        work(&p, &runs),
        Control::new(),
        progress.as_ref(),
        |c| p.sensitivity_with(&o, c),
    )?;
    tables::to_py(py, table::sensitivity(&p, &s))
}

/// The simulation's model run once per row of `inputs` (one column per
/// source switched on): arrays of runs x districts, and the sources.
#[pyfunction]
#[pyo3(signature = (panel, inputs, rating_noise=None, bootstrap_elements=None, weight_alpha=None, y_cut_range=None, x_cut_range=None, aggregation=None, basis=None, missing=None, memory_limit=None, progress=None))]
#[allow(clippy::too_many_arguments)] // the Python keyword arguments
pub(crate) fn sensitivity_runs<'py>(
    py: Python<'py>,
    panel: &PyPanel,
    inputs: &Bound<'py, PyUntypedArray>,
    rating_noise: Option<RatingNoiseParam>,
    bootstrap_elements: Option<BootstrapParam>,
    weight_alpha: Option<WeightAlphaParam>,
    y_cut_range: Option<YCutRangeParam>,
    x_cut_range: Option<XCutRangeParam>,
    aggregation: Option<AggregationMixParam>,
    basis: Option<BasisParam>,
    missing: Option<MissingParam>,
    memory_limit: Option<MemoryLimitParam>,
    progress: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    if inputs.ndim() != 2 || !inputs.dtype().is_equiv_to(&numpy::dtype::<f64>(py)) {
        return Err(InputError::new_err(format!(
            "inputs: a 2-dimensional float64 array (runs x sources), not {}-dimensional {}",
            inputs.ndim(),
            inputs.dtype()
        )));
    }
    let values = inputs
        .cast::<numpy::PyArray2<f64>>()
        .map_err(|e| InputError::new_err(format!("inputs: {e}")))?
        .to_owned_array();
    let p = Arc::clone(&panel.inner);
    let progress = interrupt::callback(progress)?;
    let mut o = options(
        &p,
        None,
        None,
        rating_noise,
        bootstrap_elements,
        weight_alpha,
        y_cut_range,
        x_cut_range,
        aggregation,
        basis,
        missing,
        memory_limit,
    )?;
    o.draws = values.nrows().max(1);
    let all =
        interrupt::run_with_progress(py, work(&p, &o), Control::new(), progress.as_ref(), |c| {
            p.sensitivity_runs_with(&o, values.view(), c)
        })?;
    let d = PyDict::new(py);
    d.set_item(
        "sources",
        o.sources().iter().map(|s| s.name()).collect::<Vec<_>>(),
    )?;
    d.set_item("districts", all.districts)?;
    d.set_item("score", all.score.into_pyarray(py))?;
    d.set_item("rank", all.rank.into_pyarray(py))?;
    d.set_item("advanced", all.advanced.into_pyarray(py))?;
    d.set_item("quadrant", all.quadrant.into_pyarray(py))?;
    Ok(d)
}
