//! Change over time: trends with their trajectory classes, and the change
//! between two dates.

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::PyDict;

use super::analysis::{score_options, work};
use super::convert::{
    AggregationParam, EndParam, MissingParam, StallBandParam, StartParam, TrajectoryMinParam,
    WeightsParam,
};
use super::interrupt;
use super::mixed::AnyPanel;
use super::tables;
use crate::{Control, TrajectoryRule, table};

/// Per-district slopes of the overall and component scores per year and
/// the trajectory class of each district (a column table); a mixed-version
/// panel scores each snapshot on its own rubric.
#[pyfunction]
#[pyo3(signature = (panel, missing=None, aggregation=None, weights=None, min_snapshots=None, stall_band=None))]
pub(crate) fn trends<'py>(
    py: Python<'py>,
    panel: AnyPanel<'_>,
    missing: Option<MissingParam>,
    aggregation: Option<AggregationParam>,
    weights: Option<WeightsParam>,
    min_snapshots: Option<TrajectoryMinParam>,
    stall_band: Option<StallBandParam>,
) -> PyResult<Bound<'py, PyDict>> {
    let opts = score_options(panel.rubric(), missing, aggregation, weights)?;
    let mut rule = TrajectoryRule::default();
    if let Some(m) = min_snapshots {
        rule.min_snapshots = m.0;
    }
    if let Some(b) = stall_band {
        rule.stall_band = b.0;
    }
    let table = match panel {
        AnyPanel::One(panel) => {
            let p = Arc::clone(&panel.inner);
            let t = interrupt::run(py, work(&p), Control::new(), |c| {
                p.trends_with(&opts, &rule, c)
            })?;
            table::trends(&p, &opts, &t)
        }
        AnyPanel::Mixed(m) => {
            let m = Arc::clone(&m.inner);
            let t = interrupt::run(py, work(m.translated()), Control::new(), |c| {
                m.trends_with(&opts, &rule, c)
            })?;
            table::mixed_trends(&m, &opts, &t)
        }
    };
    tables::to_py(py, table)
}

/// The change of every score and rating between the snapshots in force at
/// two dates (a column table); across rubric versions for a mixed panel.
#[pyfunction]
#[pyo3(signature = (panel, start, end, missing=None, aggregation=None, weights=None))]
pub(crate) fn compare<'py>(
    py: Python<'py>,
    panel: AnyPanel<'_>,
    start: StartParam,
    end: EndParam,
    missing: Option<MissingParam>,
    aggregation: Option<AggregationParam>,
    weights: Option<WeightsParam>,
) -> PyResult<Bound<'py, PyDict>> {
    let opts = score_options(panel.rubric(), missing, aggregation, weights)?;
    let table = match panel {
        AnyPanel::One(panel) => {
            let p = Arc::clone(&panel.inner);
            let c = interrupt::run(py, work(&p), Control::new(), |ctl| {
                p.compare_with(start.0, end.0, &opts, ctl)
            })?;
            table::comparison(&p, &opts, &c)
        }
        AnyPanel::Mixed(m) => {
            let m = Arc::clone(&m.inner);
            let c = interrupt::run(py, work(m.translated()), Control::new(), |ctl| {
                m.compare_with(start.0, end.0, &opts, ctl)
            })?;
            table::mixed_comparison(&m, &opts, &c)
        }
    };
    tables::to_py(py, table)
}
