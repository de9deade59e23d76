//! `Panel`: construction from columns (long and wide), contents, and
//! pickling.

use std::sync::Arc;

use ndarray::Array2;
use numpy::{IntoPyArray, PyArray2, PyReadonlyArray2};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};

use super::convert::{self, CellPlace, ElementsOf, HalfStepsParam, NaValuesParam};
use super::errors::to_py;
use super::rubric::PyRubric;
use crate::{
    AllowedRatings, Error, LongRating, NaValues, Panel, PanelOptions, Provenance, Rubric,
    SnapshotKey,
};

/// A validated panel of snapshots (see the Rust `Panel`).
#[pyclass(frozen, module = "portfolio_snapshot._core", name = "Panel")]
pub struct PyPanel {
    pub(crate) inner: Arc<Panel>,
}

impl PyPanel {
    pub(crate) fn wrap(p: Panel) -> Self {
        Self { inner: Arc::new(p) }
    }
}

fn options(half_steps: Option<HalfStepsParam>) -> PanelOptions {
    match half_steps {
        Some(HalfStepsParam(true)) => PanelOptions::half_steps(),
        _ => PanelOptions::default(),
    }
}

fn keys(districts: Vec<String>, dates: Vec<crate::YearMonth>) -> PyResult<Vec<SnapshotKey>> {
    if districts.len() != dates.len() {
        return Err(to_py(Error::LengthMismatch {
            what: "dates for the districts",
            expected: districts.len(),
            found: dates.len(),
        }));
    }
    Ok(districts
        .into_iter()
        .zip(dates)
        .map(|(d, t)| SnapshotKey::new(d, t))
        .collect())
}

#[pymethods]
impl PyPanel {
    /// A panel from long columns: districts, dates, element ids and ratings
    /// (one cell per rating; a missing rating, or no row, is "not rated").
    #[staticmethod]
    #[pyo3(signature = (rubric, districts, dates, elements, ratings, half_steps=None, na_values=None))]
    #[allow(clippy::too_many_arguments)] // the Python arguments
    fn from_long(
        py: Python<'_>,
        rubric: Option<&PyRubric>,
        districts: &Bound<'_, PyAny>,
        dates: &Bound<'_, PyAny>,
        elements: &Bound<'_, PyAny>,
        ratings: &Bound<'_, PyAny>,
        half_steps: Option<HalfStepsParam>,
        na_values: Option<NaValuesParam>,
    ) -> PyResult<Self> {
        let rubric = rubric.map_or_else(
            || Arc::new(Rubric::default_rubric()),
            |r| Arc::clone(&r.inner),
        );
        let names = convert::districts(districts)?;
        let when = convert::dates(dates, &names)?;
        let keys = keys(names, when)?;
        let elements = convert::element_ids(elements, &rubric)?;
        let na = na_values.map_or_else(NaValues::default, |n| n.0);
        let place = CellPlace {
            keys: &keys,
            elements: ElementsOf::PerRow(&elements),
        };
        let values = convert::ratings(ratings, &na, &place)?;
        if elements.len() != keys.len() || values.len() != keys.len() {
            return Err(to_py(Error::LengthMismatch {
                what: "element ids and ratings for the rows",
                expected: keys.len(),
                found: if elements.len() == keys.len() {
                    values.len()
                } else {
                    elements.len()
                },
            }));
        }
        let opts = options(half_steps);
        py.detach(|| {
            let records =
                keys.into_iter()
                    .zip(elements)
                    .zip(values)
                    .map(|((k, element), rating)| LongRating {
                        district: k.district,
                        date: k.date,
                        element,
                        rating,
                    });
            Panel::from_long(rubric, records, opts)
        })
        .map(Self::wrap)
        .map_err(to_py)
    }

    /// A panel from a wide table: one key per row and one column per
    /// element id (any order); `columns` holds each column's cells.
    #[staticmethod]
    #[pyo3(signature = (rubric, districts, dates, column_ids, columns, half_steps=None, na_values=None))]
    #[allow(clippy::too_many_arguments)] // the Python arguments
    fn from_columns(
        py: Python<'_>,
        rubric: Option<&PyRubric>,
        districts: &Bound<'_, PyAny>,
        dates: &Bound<'_, PyAny>,
        column_ids: &Bound<'_, PyAny>,
        columns: &Bound<'_, PyList>,
        half_steps: Option<HalfStepsParam>,
        na_values: Option<NaValuesParam>,
    ) -> PyResult<Self> {
        let rubric = rubric.map_or_else(
            || Arc::new(Rubric::default_rubric()),
            |r| Arc::clone(&r.inner),
        );
        let names = convert::districts(districts)?;
        let when = convert::dates(dates, &names)?;
        let keys = keys(names, when)?;
        let ids = convert::element_ids(column_ids, &rubric)?;
        if ids.len() != columns.len() {
            return Err(to_py(Error::LengthMismatch {
                what: "column ids for the columns",
                expected: columns.len(),
                found: ids.len(),
            }));
        }
        // every column is checked against the rubric before its cells are read
        crate::check_columns(&rubric, &ids).map_err(to_py)?;
        let na = na_values.map_or_else(NaValues::default, |n| n.0);
        let n = keys.len();
        let mut matrix = Array2::from_elem((n, ids.len()), f64::NAN);
        for (c, (column, id)) in columns.iter().zip(&ids).enumerate() {
            let place = CellPlace {
                keys: &keys,
                elements: ElementsOf::Column(id),
            };
            let values = convert::ratings(&column, &na, &place)?;
            if values.len() != n {
                return Err(to_py(Error::LengthMismatch {
                    what: "cells in an element column",
                    expected: n,
                    found: values.len(),
                }));
            }
            matrix.column_mut(c).assign(&ndarray::Array1::from(values));
        }
        let opts = options(half_steps);
        py.detach(|| Panel::from_columns(rubric, keys, &ids, matrix.view(), opts))
            .map(Self::wrap)
            .map_err(to_py)
    }

    /// Rebuild a panel from its parts (what `__reduce__` saves).
    #[staticmethod]
    #[pyo3(signature = (rubric, districts, dates, ratings, half_steps, label, synthetic))]
    fn _restore(
        rubric: &PyRubric,
        districts: Vec<String>,
        dates: Vec<String>,
        ratings: PyReadonlyArray2<'_, f64>,
        half_steps: bool,
        label: Option<String>,
        synthetic: bool,
    ) -> PyResult<Self> {
        let dates = dates
            .iter()
            .map(|d| crate::YearMonth::parse(d).map_err(Error::from))
            .collect::<crate::Result<Vec<_>>>()
            .map_err(to_py)?;
        let keys = keys(districts, dates)?;
        let opts = if half_steps {
            PanelOptions::half_steps()
        } else {
            PanelOptions::default()
        };
        Panel::from_matrix_with(
            Arc::clone(&rubric.inner),
            keys,
            ratings.as_array().to_owned(),
            opts,
        )
        .map(|p| Self::wrap(p.with_provenance(Provenance { label, synthetic })))
        .map_err(to_py)
    }

    /// The same panel with a description of where its ratings come from.
    #[pyo3(signature = (label=None, synthetic=None))]
    fn with_provenance(
        &self,
        label: Option<&Bound<'_, PyAny>>,
        synthetic: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let label = label
            .map(|l| convert::text(l, "label", "text describing the ratings, or None"))
            .transpose()?;
        let synthetic = synthetic
            .map(|s| convert::flag(s, "synthetic"))
            .transpose()?
            .unwrap_or(false);
        Ok(Self::wrap(
            (*self.inner)
                .clone()
                .with_provenance(Provenance { label, synthetic }),
        ))
    }

    #[getter]
    fn rubric(&self) -> PyRubric {
        PyRubric {
            inner: Arc::clone(self.inner.rubric_arc()),
        }
    }
    /// A read-only copy of the ratings, snapshots x elements.
    #[getter]
    fn ratings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyArray2<f64>>> {
        let a = self.inner.ratings().to_owned().into_pyarray(py);
        a.getattr("flags")?.setattr("writeable", false)?;
        Ok(a)
    }
    /// The district of every row.
    #[getter]
    fn row_districts(&self) -> Vec<String> {
        self.inner
            .row_districts()
            .into_iter()
            .map(str::to_owned)
            .collect()
    }
    /// The date of every row, `YYYY-MM`.
    #[getter]
    fn row_dates(&self) -> Vec<String> {
        self.inner.dates().iter().map(ToString::to_string).collect()
    }
    /// District names, sorted, each once.
    #[getter]
    fn districts(&self) -> Vec<String> {
        self.inner.districts().to_vec()
    }
    #[getter]
    fn n_snapshots(&self) -> usize {
        self.inner.n_snapshots()
    }
    #[getter]
    fn n_districts(&self) -> usize {
        self.inner.n_districts()
    }
    #[getter]
    fn half_steps(&self) -> bool {
        self.inner.options().allowed == AllowedRatings::HalfSteps
    }
    #[getter]
    fn label(&self) -> Option<String> {
        self.inner.provenance().label.clone()
    }
    #[getter]
    fn synthetic(&self) -> bool {
        self.inner.provenance().synthetic
    }
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyPanel>()
            .is_ok_and(|o| *o.get().inner == *self.inner)
    }
    fn __hash__(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.inner.hash(&mut h);
        h.finish()
    }
    fn __repr__(&self) -> String {
        format!(
            "Panel(rubric={:?}, districts={}, snapshots={}{})",
            self.inner.rubric().id(),
            self.inner.n_districts(),
            self.inner.n_snapshots(),
            if self.inner.provenance().synthetic {
                ", synthetic"
            } else {
                ""
            }
        )
    }
    /// Pickle as the rubric, keys, ratings, options and provenance.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let this = slf.get();
        let p = &this.inner;
        let ctor = py.get_type::<PyPanel>().getattr("_restore")?;
        let args = (
            this.rubric(),
            this.row_districts(),
            this.row_dates(),
            p.ratings().to_owned().into_pyarray(py),
            this.half_steps(),
            p.provenance().label.clone(),
            p.provenance().synthetic,
        )
            .into_pyobject(py)?;
        PyTuple::new(py, [ctor, args.into_any()])
    }
}
