//! `Panel`: construction from columns (long and wide), contents, and
//! pickling.

use std::sync::Arc;

use ndarray::Array2;
use numpy::{IntoPyArray, PyArray2, PyReadonlyArray2};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};

use super::convert::{
    self, CellPlace, DateParam, ElementsOf, EndParam, HalfStepsParam, MinSnapshotsParam,
    NaValuesParam, SinceParam, StartParam,
};
use super::errors::to_py;
use super::rubric::{PyRubric, default_rubric};
use crate::{
    AllowedRatings, Eligibility, Error, LongRating, NaValues, Panel, PanelOptions, Provenance,
    Selection, SnapshotKey,
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
        let rubric = rubric.map_or_else(default_rubric, |r| Arc::clone(&r.inner));
        let names = convert::districts(districts)?;
        let when = convert::dates(dates, &names)?;
        let keys = keys(names, when)?;
        let elements = convert::element_ids(elements, &rubric)?;
        let na = na_values.map_or_else(NaValues::default, |n| n.0);
        let place = CellPlace {
            keys: &keys,
            elements: ElementsOf::PerRow(&elements),
        };
        let values = convert::ratings(ratings, &na, rubric.scale(), &place)?;
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
        let rubric = rubric.map_or_else(default_rubric, |r| Arc::clone(&r.inner));
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
            let values = convert::ratings(&column, &na, rubric.scale(), &place)?;
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
    #[pyo3(signature = (rubric, districts, dates, ratings, half_steps, label, synthetic, columns=None))]
    #[allow(clippy::too_many_arguments)] // the saved parts
    fn _restore(
        rubric: &PyRubric,
        districts: Vec<String>,
        dates: Vec<String>,
        ratings: PyReadonlyArray2<'_, f64>,
        half_steps: bool,
        label: Option<String>,
        synthetic: bool,
        columns: Option<String>,
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
        .map(|p| {
            Self::wrap(p.with_provenance(Provenance {
                label,
                synthetic,
                columns,
                consensus: None,
            }))
        })
        .map_err(to_py)
    }

    /// The snapshots of some districts and dates, as a new panel.
    #[pyo3(signature = (districts=None, start=None, end=None))]
    fn select(
        &self,
        py: Python<'_>,
        districts: Option<&Bound<'_, PyAny>>,
        start: Option<StartParam>,
        end: Option<EndParam>,
    ) -> PyResult<Self> {
        let districts = match districts {
            Some(d) if d.is_instance_of::<pyo3::types::PyString>() => {
                Some(vec![convert::text(d, "districts", "district names")?])
            }
            Some(d) if d.try_iter().is_err() => {
                return Err(super::errors::InputError::new_err(format!(
                    "invalid parameter districts: {} (a district name or a list of names)",
                    convert::show(d)
                )));
            }
            Some(d) => Some(convert::districts(d)?),
            None => None,
        };
        let sel = Selection {
            districts,
            start: start.map(|s| s.0),
            end: end.map(|e| e.0),
        };
        let p = Arc::clone(&self.inner);
        py.detach(|| p.select(&sel)).map(Self::wrap).map_err(to_py)
    }

    /// The ratings carried to `target` through the shipped 2012-2016
    /// crosswalk (mapped elements only).
    fn translate(&self, py: Python<'_>, target: &PyRubric) -> PyResult<Self> {
        let p = Arc::clone(&self.inner);
        let t = Arc::clone(&target.inner);
        py.detach(|| {
            let cw = crate::Crosswalk::crpe_2012_to_2016()?;
            p.translate(&cw, &t)
        })
        .map(Self::wrap)
        .map_err(to_py)
    }

    /// Each district's snapshots up to a date.
    fn as_of(&self, py: Python<'_>, date: DateParam) -> PyResult<Self> {
        let p = Arc::clone(&self.inner);
        py.detach(|| p.as_of(date.0)).map(Self::wrap).map_err(to_py)
    }

    /// The districts whose own history meets the eligibility rule.
    #[pyo3(signature = (min_snapshots=None, since=None))]
    fn eligible(
        &self,
        py: Python<'_>,
        min_snapshots: Option<MinSnapshotsParam>,
        since: Option<SinceParam>,
    ) -> PyResult<Self> {
        let mut rule = Eligibility::default();
        if let Some(m) = min_snapshots {
            rule.min_snapshots = m.0;
        }
        if let Some(s) = since {
            rule.since = s.0;
        }
        let p = Arc::clone(&self.inner);
        py.detach(|| p.eligible(&rule))
            .map(Self::wrap)
            .map_err(to_py)
    }

    /// The same panel with a description of where its ratings come from.
    #[pyo3(signature = (label=None, synthetic=None, columns=None))]
    fn with_provenance(
        &self,
        label: Option<&Bound<'_, PyAny>>,
        synthetic: Option<&Bound<'_, PyAny>>,
        columns: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let label = label
            .map(|l| convert::text(l, "label", "text describing the ratings, or None"))
            .transpose()?;
        let synthetic = synthetic
            .map(|s| convert::flag(s, "synthetic"))
            .transpose()?
            .unwrap_or(false);
        let columns = match columns {
            Some(c) => Some(convert::text(c, "columns", "how the columns were read")?),
            None => self.inner.provenance().columns.clone(),
        };
        Ok(Self::wrap((*self.inner).clone().with_provenance(
            Provenance {
                label,
                synthetic,
                columns,
                consensus: self.inner.provenance().consensus.clone(),
            },
        )))
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
    fn consensus(&self) -> Option<String> {
        self.inner.provenance().consensus.clone()
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
    /// How the table's columns were read, when the panel came from a table.
    #[getter]
    fn columns_read(&self) -> Option<String> {
        self.inner.provenance().columns.clone()
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
            p.provenance().columns.clone(),
        )
            .into_pyobject(py)?;
        PyTuple::new(py, [ctor, args.into_any()])
    }
}
