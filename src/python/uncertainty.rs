//! The Monte Carlo simulation: how sure each classification is.

use std::sync::Arc;

use numpy::IntoPyArray;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use super::analysis::summary_options;
use super::convert::{
    AggregationMixParam, BasisParam, BootstrapParam, DrawsParam, MemoryLimitParam, MissingParam,
    RatingNoiseParam, SeedParam, WeightAlphaParam, XCutRangeParam, YCutRangeParam,
};
use super::interrupt;
use super::panel::PyPanel;
use super::tables;
use crate::{Control, UncertaintyOptions, table};

/// The simulation the report runs unless told otherwise.
#[pyfunction]
pub(crate) fn report_uncertainty_defaults(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let o = UncertaintyOptions::for_report();
    let d = PyDict::new(py);
    d.set_item("draws", o.draws)?;
    d.set_item("seed", o.seed)?;
    d.set_item("rating_noise", o.rating_noise)?;
    d.set_item("bootstrap_elements", o.bootstrap_elements)?;
    Ok(d)
}

/// Options from the parameters (`None` keeps the core's default).
#[allow(clippy::too_many_arguments)] // the Python keyword arguments
pub(super) fn options(
    panel: &crate::Panel,
    draws: Option<DrawsParam>,
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
) -> PyResult<UncertaintyOptions> {
    let mut o = UncertaintyOptions::default();
    if let Some(d) = draws {
        o.draws = d.0;
    }
    if let Some(s) = seed {
        o.seed = s.0;
    }
    if let Some(p) = rating_noise {
        o.rating_noise = p.0;
    }
    if let Some(b) = bootstrap_elements {
        o.bootstrap_elements = b.0;
    }
    o.weight_alpha = weight_alpha.map(|a| a.0);
    o.y_cut_range = y_cut_range.map(|r| r.0);
    o.x_cut_range = x_cut_range.map(|r| r.0);
    o.aggregation = aggregation.map(|a| a.0);
    if let Some(m) = memory_limit {
        o.memory_limit = m.0;
    }
    o.summary = summary_options(
        panel.rubric(),
        basis,
        missing,
        None,
        None,
        None,
        None,
        None,
        None,
    )?;
    Ok(o)
}

/// Work of a simulation, in cell operations.
pub(super) fn work(panel: &crate::Panel, o: &UncertaintyOptions) -> u128 {
    o.draws as u128 * panel.n_districts() as u128 * panel.rubric().n_elements() as u128
}

/// The simulation summarised per district (a column table).
#[pyfunction]
#[pyo3(signature = (panel, draws=None, seed=None, rating_noise=None, bootstrap_elements=None, weight_alpha=None, y_cut_range=None, x_cut_range=None, aggregation=None, basis=None, missing=None, memory_limit=None, progress=None))]
#[allow(clippy::too_many_arguments)] // the Python keyword arguments
pub(crate) fn uncertainty<'py>(
    py: Python<'py>,
    panel: &PyPanel,
    draws: Option<DrawsParam>,
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
    let o = options(
        &p,
        draws,
        seed,
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
    let u =
        interrupt::run_with_progress(py, work(&p, &o), Control::new(), progress.as_ref(), |c| {
            p.uncertainty_with(&o, c)
        })?;
    tables::to_py(py, table::uncertainty(&p, &o, &u))
}

/// Every draw of the simulation: arrays of draws x districts and draws x
/// components.
#[pyfunction]
#[pyo3(signature = (panel, draws=None, seed=None, rating_noise=None, bootstrap_elements=None, weight_alpha=None, y_cut_range=None, x_cut_range=None, aggregation=None, basis=None, missing=None, memory_limit=None, progress=None))]
#[allow(clippy::too_many_arguments)] // the Python keyword arguments
pub(crate) fn uncertainty_draws<'py>(
    py: Python<'py>,
    panel: &PyPanel,
    draws: Option<DrawsParam>,
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
    let o = options(
        &p,
        draws,
        seed,
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
    let all =
        interrupt::run_with_progress(py, work(&p, &o), Control::new(), progress.as_ref(), |c| {
            p.uncertainty_draws_with(&o, c)
        })?;
    let d = PyDict::new(py);
    d.set_item("districts", all.districts)?;
    d.set_item("component_names", all.component_names)?;
    d.set_item("score", all.score.into_pyarray(py))?;
    d.set_item("spread", all.spread.into_pyarray(py))?;
    d.set_item("rank", all.rank.into_pyarray(py))?;
    d.set_item("advanced", all.advanced.into_pyarray(py))?;
    d.set_item("quadrant", all.quadrant.into_pyarray(py))?;
    d.set_item("sticking", all.sticking.into_pyarray(py))?;
    d.set_item("cuts", all.cuts.into_pyarray(py))?;
    Ok(d)
}
