//! How far the ratings can be trusted: internal consistency.

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::PyDict;

use super::analysis::work;
use super::convert::BasisParam;
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
