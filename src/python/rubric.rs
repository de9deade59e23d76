//! `Rubric`: the core rubric, its sources (path, text or bytes) and its
//! tables.

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString, PyTuple};

use super::convert::{self, AggregationParam};
use super::errors::{RubricError, to_py};
use super::tables;
use crate::{Error, Rubric, RubricFormat, ScoreOptions, describe, table};

/// A validated rubric (see the Rust `Rubric`).
#[pyclass(frozen, module = "portfolio_snapshot._core", name = "Rubric")]
pub struct PyRubric {
    pub(crate) inner: Arc<Rubric>,
}

impl PyRubric {
    pub(crate) fn wrap(r: Rubric) -> Self {
        Self { inner: Arc::new(r) }
    }
}

/// Read a rubric from a path-like, bytes or a string (path or text, as
/// [`crate::RubricSource::classify`] decides).
fn load(source: &Bound<'_, PyAny>, format: Option<RubricFormat>) -> PyResult<Rubric> {
    if let Ok(s) = source.cast::<PyString>() {
        return Rubric::load(&s.to_string(), format).map_err(to_py);
    }
    if let Ok(b) = source.cast::<PyBytes>() {
        let text = std::str::from_utf8(b.as_bytes()).map_err(|_| {
            to_py(Error::RubricSource {
                source_text: convert::show(source),
                reason: "bytes that are not UTF-8 text".into(),
            })
        })?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim().is_empty() {
            return Err(to_py(Error::RubricSource {
                source_text: convert::show(source),
                reason: "the source is empty: give a rubric file or rubric text".into(),
            }));
        }
        let format = format.unwrap_or_else(|| RubricFormat::sniff(text));
        return Rubric::from_text(text, format).map_err(to_py);
    }
    if source.hasattr("__fspath__").unwrap_or(false) {
        let path: std::path::PathBuf =
            source.call_method0("__fspath__")?.extract().map_err(|_| {
                RubricError::new_err(format!(
                    "cannot read rubric source {}: its path is not text",
                    convert::show(source)
                ))
            })?;
        let format = format
            .or_else(|| RubricFormat::from_extension(&path))
            .unwrap_or(RubricFormat::Json);
        return Rubric::from_file(path, format).map_err(to_py);
    }
    Err(RubricError::new_err(format!(
        "cannot read rubric source {}: give a path, rubric text or bytes (got {})",
        convert::show(source),
        convert::type_name(source)
    )))
}

/// The level nearest to each value on a scale of these level values
/// (halfway goes up, decided exactly); None for NaN.
#[pyfunction]
pub(crate) fn band_values(
    levels: &Bound<'_, PyAny>,
    values: &Bound<'_, PyAny>,
) -> PyResult<Vec<Option<f64>>> {
    let levels = convert::numbers(levels, "levels")?;
    let scale = crate::Scale {
        levels: levels
            .iter()
            .map(|&value| crate::Level {
                value,
                label: None,
                color: "#000000".into(),
                color_name: None,
            })
            .collect(),
    };
    if levels.len() < 2
        || levels
            .windows(2)
            .any(|w| w[0].partial_cmp(&w[1]) != Some(std::cmp::Ordering::Less))
    {
        return Err(to_py(Error::InvalidParameter {
            name: "levels",
            value: format!("{levels:?}"),
            reason: "at least two levels, strictly increasing".into(),
        }));
    }
    let xs = convert::numbers(values, "values")?;
    Ok(xs.into_iter().map(|x| scale.band_value(x)).collect())
}

#[pymethods]
impl PyRubric {
    /// The 2016 CRPE rubric (36 elements).
    #[staticmethod]
    fn crpe_2016() -> Self {
        Self::wrap(Rubric::crpe_2016())
    }
    /// The 2012 CRPE component list (31 elements).
    #[staticmethod]
    fn crpe_2012() -> Self {
        Self::wrap(Rubric::crpe_2012())
    }
    /// A built-in rubric by id.
    #[staticmethod]
    fn builtin(id: &Bound<'_, PyAny>) -> PyResult<Self> {
        let id = convert::text(id, "rubric", "a built-in rubric id")?;
        Rubric::builtin(&id).map(Self::wrap).map_err(to_py)
    }
    /// A rubric from a path, text or bytes; the format from the file's
    /// extension or the text.
    #[staticmethod]
    fn load(source: &Bound<'_, PyAny>) -> PyResult<Self> {
        load(source, None).map(Self::wrap)
    }
    /// A rubric from JSON: a path, JSON text or bytes.
    #[staticmethod]
    fn from_json(source: &Bound<'_, PyAny>) -> PyResult<Self> {
        load(source, Some(RubricFormat::Json)).map(Self::wrap)
    }
    /// A rubric from TOML: a path, TOML text or bytes.
    #[staticmethod]
    fn from_toml(source: &Bound<'_, PyAny>) -> PyResult<Self> {
        load(source, Some(RubricFormat::Toml)).map(Self::wrap)
    }
    fn to_json(&self) -> String {
        self.inner.to_json()
    }
    fn to_toml(&self) -> String {
        self.inner.to_toml()
    }
    #[getter]
    fn id(&self) -> String {
        self.inner.id().to_owned()
    }
    #[getter]
    fn version(&self) -> String {
        self.inner.version().to_owned()
    }
    #[getter]
    fn title(&self) -> String {
        self.inner.title().to_owned()
    }
    #[getter]
    fn source(&self) -> Option<String> {
        self.inner.source().map(str::to_owned)
    }
    #[getter]
    fn element_ids(&self) -> Vec<String> {
        self.inner.element_ids().to_vec()
    }
    #[getter]
    fn component_names(&self) -> Vec<String> {
        self.inner
            .components()
            .iter()
            .map(|c| c.short_name().to_owned())
            .collect()
    }
    #[getter]
    fn n_elements(&self) -> usize {
        self.inner.n_elements()
    }
    /// The scale midpoint (the default score cut).
    #[getter]
    fn midpoint(&self) -> f64 {
        self.inner.scale().midpoint()
    }
    /// One row per element (a column table).
    fn elements_table<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        tables::to_py(py, table::rubric_elements(&self.inner))
    }
    /// One row per component (a column table).
    fn components_table<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        tables::to_py(py, table::rubric_components(&self.inner))
    }
    /// One row per scale level (a column table).
    fn scale_table<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        tables::to_py(py, table::rubric_scale(&self.inner))
    }
    /// The level value nearest to `score` (halfway goes up, decided
    /// exactly), or None for NaN.
    fn band(&self, score: &Bound<'_, PyAny>) -> PyResult<Option<f64>> {
        let x = convert::number(score, "score", "a number")?;
        Ok(self.inner.scale().band_value(x))
    }
    /// The level value nearest to each score (None for NaN).
    fn bands(&self, scores: &Bound<'_, PyAny>) -> PyResult<Vec<Option<f64>>> {
        let xs = convert::numbers(scores, "scores")?;
        Ok(xs
            .into_iter()
            .map(|x| self.inner.scale().band_value(x))
            .collect())
    }
    /// Axis and column labels and quadrant names and colours, in this
    /// rubric's terms, for an aggregation.
    #[pyo3(signature = (aggregation=None))]
    fn labels<'py>(
        &self,
        py: Python<'py>,
        aggregation: Option<AggregationParam>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let mut score = ScoreOptions::default();
        if let Some(a) = aggregation {
            score.aggregation = a.0;
        }
        let l = describe::Labels::new(&self.inner, &score);
        tables::attr(py, l.to_attr())?
            .cast_into::<PyDict>()
            .map_err(PyErr::from)
    }
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyRubric>()
            .is_ok_and(|o| *o.get().inner == *self.inner)
    }
    fn __hash__(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.inner.to_json().hash(&mut h);
        h.finish()
    }
    fn __repr__(&self) -> String {
        format!(
            "Rubric(id={:?}, components={}, elements={})",
            self.inner.id(),
            self.inner.components().len(),
            self.inner.n_elements()
        )
    }
    /// Pickle as the rubric's JSON.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let ctor = py.get_type::<PyRubric>().getattr("from_json")?;
        PyTuple::new(
            py,
            [
                ctor,
                PyTuple::new(py, [slf.get().inner.to_json()])?.into_any(),
            ],
        )
    }
}

/// The shipped crosswalk from the 2012 rubric to the 2016 one (a column
/// table).
#[pyfunction]
pub(crate) fn crosswalk_2012_2016(py: Python<'_>) -> PyResult<Bound<'_, pyo3::types::PyDict>> {
    let cw = crate::Crosswalk::crpe_2012_to_2016().map_err(super::errors::to_py)?;
    super::tables::to_py(py, crate::table::crosswalk(&cw))
}

/// The built-in default rubric, shared: built and cloned once per process
/// (a clone copies every element's texts, which costs more than scoring a
/// small matrix).
pub(crate) fn default_rubric() -> Arc<Rubric> {
    static DEFAULT: std::sync::OnceLock<Arc<Rubric>> = std::sync::OnceLock::new();
    Arc::clone(DEFAULT.get_or_init(|| Arc::new(Rubric::default_rubric())))
}
