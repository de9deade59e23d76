//! `MixedPanel`: snapshots rated under several rubric versions, and the
//! analyses that run across versions (scores, trends, comparisons).

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::PyTuple;

use super::errors::to_py;
use super::panel::PyPanel;
use super::rubric::PyRubric;
use crate::{Crosswalk, MixedPanel};

/// Snapshots under several rubric versions (see the Rust `MixedPanel`).
#[pyclass(frozen, module = "portfolio_snapshot._core", name = "MixedPanel")]
pub struct PyMixedPanel {
    pub(crate) inner: Arc<MixedPanel>,
    /// The crosswalks given (CSV texts), kept for pickling.
    crosswalks: Vec<String>,
}

#[pymethods]
impl PyMixedPanel {
    /// Snapshots from several panels; `crosswalks` are CSV texts, and the
    /// shipped 2012-2016 crosswalk is used where none of them fits.
    #[new]
    fn new(
        py: Python<'_>,
        panels: Vec<PyRef<'_, PyPanel>>,
        target: &PyRubric,
        crosswalks: Vec<String>,
    ) -> PyResult<Self> {
        let panels: Vec<crate::Panel> = panels.iter().map(|p| (*p.inner).clone()).collect();
        let target = Arc::clone(&target.inner);
        let texts = crosswalks.clone();
        let inner = py
            .detach(|| {
                let mut cws = texts
                    .iter()
                    .map(|t| Crosswalk::from_csv(t))
                    .collect::<crate::Result<Vec<_>>>()?;
                // the shipped crosswalk where it is needed and none given fits
                let shipped = Crosswalk::crpe_2012_to_2016()?;
                let needed = panels
                    .iter()
                    .any(|p| p.rubric().id() == shipped.from_rubric)
                    && target.id() == shipped.to_rubric
                    && !cws.iter().any(|c| {
                        c.from_rubric == shipped.from_rubric && c.to_rubric == shipped.to_rubric
                    });
                if needed {
                    cws.push(shipped);
                }
                MixedPanel::new(&panels, &target, &cws)
            })
            .map_err(to_py)?;
        Ok(Self {
            inner: Arc::new(inner),
            crosswalks,
        })
    }

    /// Every snapshot on the target rubric's elements.
    #[getter]
    fn translated(&self) -> PyPanel {
        PyPanel::wrap(self.inner.translated().clone())
    }

    /// One panel per version, each on its own rubric.
    #[getter]
    fn parts(&self) -> Vec<PyPanel> {
        self.inner
            .parts()
            .iter()
            .cloned()
            .map(PyPanel::wrap)
            .collect()
    }

    /// The target rubric.
    #[getter]
    fn target(&self) -> PyRubric {
        PyRubric {
            inner: Arc::new(self.inner.target().clone()),
        }
    }

    /// The rubric id of each snapshot, in panel order.
    #[getter]
    fn versions(&self) -> Vec<String> {
        self.inner
            .versions()
            .into_iter()
            .map(str::to_owned)
            .collect()
    }

    /// Per district, the versions its snapshots used, with counts.
    #[getter]
    fn district_versions(&self) -> Vec<String> {
        self.inner.district_versions()
    }

    fn __repr__(&self) -> String {
        let t = self.inner.translated();
        format!(
            "MixedPanel({} districts, {} snapshots; {})",
            t.n_districts(),
            t.n_snapshots(),
            self.inner
                .parts()
                .iter()
                .map(|p| format!("{} x{}", p.rubric().id(), p.n_snapshots()))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }

    /// Pickle as the parts, the target and the crosswalks given.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let this = slf.get();
        let args = (this.parts(), this.target(), this.crosswalks.clone()).into_pyobject(py)?;
        PyTuple::new(
            py,
            [py.get_type::<PyMixedPanel>().into_any(), args.into_any()],
        )
    }
}

/// The panel argument of the analyses that run across rubric versions
/// (scores, trends, comparisons): one rubric, or several.
#[derive(FromPyObject)]
pub(crate) enum AnyPanel<'py> {
    /// A panel on one rubric.
    One(PyRef<'py, PyPanel>),
    /// A panel mixing versions.
    Mixed(PyRef<'py, PyMixedPanel>),
}

impl AnyPanel<'_> {
    /// The rubric whose components options name (the target's, mixed).
    pub(crate) fn rubric(&self) -> &crate::Rubric {
        match self {
            Self::One(p) => p.inner.rubric(),
            Self::Mixed(m) => m.inner.target(),
        }
    }
}

/// The position of the column naming each rating's rubric version
/// (`column` names it).
#[pyfunction]
#[pyo3(signature = (header, column=None))]
pub(crate) fn version_column(header: Vec<String>, column: Option<String>) -> PyResult<usize> {
    crate::columns::find_version(&header, column.as_deref()).map_err(to_py)
}

/// The synthetic demo panel with its early snapshots on the 2012 rubric.
#[pyfunction]
pub(crate) fn demo_mixed_panel() -> PyResult<PyMixedPanel> {
    let inner = crate::datasets::demo_mixed_panel().map_err(to_py)?;
    Ok(PyMixedPanel {
        inner: Arc::new(inner),
        crosswalks: Vec::new(),
    })
}
