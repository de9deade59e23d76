//! Python bindings (the `python` feature): the private extension module
//! `portfolio_snapshot._core`.
//!
//! Thin by design: every function converts its arguments, calls the core
//! (releasing the interpreter for O(n) work) and converts the result. No
//! arithmetic, thresholds or defaults live here: options left as `None` take
//! the core's `Default`. pandas stays in the Python package.

mod errors;

use std::path::PathBuf;
use std::sync::Arc;

use ndarray::Array1;
use numpy::{AllowTypeChange, IntoPyArray, PyArrayLike2, PyReadonlyArray1, PyReadonlyArray2};
use pyo3::prelude::*;
use pyo3::types::PyDict;

pub use errors::{
    DuplicateError, InputError, PortfolioError, RatingError, RubricError, ShapeError, to_py,
};

use crate::{
    AdvancedRule, Aggregation, Basis, Cut, Eligibility, LongRating, MissingPolicy, Panel,
    PanelOptions, Ranking, Roster, RosterEntry, Rubric, ScoreOptions, SnapshotKey, SnapshotScores,
    SummaryOptions, UncertaintyOptions, YearMonth, datasets, score_matrix,
};

/// A validated rubric (see the Rust `Rubric`).
#[pyclass(frozen, module = "portfolio_snapshot._core", name = "Rubric")]
pub struct PyRubric {
    inner: Arc<Rubric>,
}

fn wrap_rubric(r: Rubric) -> PyRubric {
    PyRubric { inner: Arc::new(r) }
}

#[pymethods]
impl PyRubric {
    /// The 2016 CRPE rubric (36 elements).
    #[staticmethod]
    fn crpe_2016() -> PyRubric {
        wrap_rubric(Rubric::crpe_2016())
    }
    /// The 2012 CRPE component list (31 elements).
    #[staticmethod]
    fn crpe_2012() -> PyRubric {
        wrap_rubric(Rubric::crpe_2012())
    }
    /// A built-in rubric by id.
    #[staticmethod]
    fn builtin(id: &str) -> PyResult<PyRubric> {
        Rubric::builtin(id).map(wrap_rubric).map_err(to_py)
    }
    /// Parse and validate JSON text.
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<PyRubric> {
        Rubric::from_json(text).map(wrap_rubric).map_err(to_py)
    }
    /// Parse and validate TOML text.
    #[staticmethod]
    fn from_toml(text: &str) -> PyResult<PyRubric> {
        Rubric::from_toml(text).map(wrap_rubric).map_err(to_py)
    }
    /// Read a rubric file (TOML by extension, JSON otherwise).
    #[staticmethod]
    fn from_path(path: PathBuf) -> PyResult<PyRubric> {
        Rubric::from_path(path).map(wrap_rubric).map_err(to_py)
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
    fn n_elements(&self) -> usize {
        self.inner.n_elements()
    }
    /// `(id, name, short_name, weight, element_ids)` per component.
    #[getter]
    fn components(&self) -> Vec<(String, String, String, f64, Vec<String>)> {
        self.inner
            .components()
            .iter()
            .map(|c| {
                (
                    c.id().to_owned(),
                    c.name().to_owned(),
                    c.short_name().to_owned(),
                    c.weight(),
                    c.elements().iter().map(|e| e.id.clone()).collect(),
                )
            })
            .collect()
    }
    /// `(component_id, component, short_name, element_id, element)` per element.
    fn element_rows(&self) -> Vec<(String, String, String, String, String)> {
        let mut out = Vec::with_capacity(self.inner.n_elements());
        for c in self.inner.components() {
            for e in c.elements() {
                out.push((
                    c.id().to_owned(),
                    c.name().to_owned(),
                    c.short_name().to_owned(),
                    e.id.clone(),
                    e.text.clone(),
                ));
            }
        }
        out
    }
    /// `(value, label, color, color_name)` per scale level, lowest first.
    #[getter]
    fn scale(&self) -> Vec<(f64, Option<String>, String, Option<String>)> {
        self.inner
            .scale()
            .levels
            .iter()
            .map(|l| {
                (
                    l.value,
                    l.label.clone(),
                    l.color.clone(),
                    l.color_name.clone(),
                )
            })
            .collect()
    }
    /// The scale midpoint (the default score cut).
    #[getter]
    fn midpoint(&self) -> f64 {
        self.inner.scale().midpoint()
    }
    /// Effective weight of each element in the overall score.
    fn effective_element_weights(&self) -> Vec<f64> {
        self.inner.effective_element_weights()
    }
    /// The level value nearest to `score` (halfway goes up), or None for NaN.
    fn band(&self, score: f64) -> Option<f64> {
        self.inner.scale().band_value(score)
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
}

/// A validated panel of snapshots (see the Rust `Panel`).
#[pyclass(frozen, module = "portfolio_snapshot._core", name = "Panel")]
pub struct PyPanel {
    inner: Arc<Panel>,
}

fn panel_options(half_steps: bool) -> PanelOptions {
    if half_steps {
        PanelOptions::half_steps()
    } else {
        PanelOptions::default()
    }
}

fn keys(districts: Vec<String>, dates: &[String]) -> crate::Result<Vec<SnapshotKey>> {
    if districts.len() != dates.len() {
        return Err(crate::Error::LengthMismatch {
            what: "dates for the districts",
            expected: districts.len(),
            found: dates.len(),
        });
    }
    districts
        .into_iter()
        .zip(dates)
        .map(|(d, t)| {
            let date = YearMonth::parse_for(t, &d)?;
            Ok(SnapshotKey::new(d, date))
        })
        .collect()
}

fn missing_policy(missing: Option<&Bound<'_, PyAny>>) -> PyResult<MissingPolicy> {
    let Some(m) = missing else {
        return Ok(MissingPolicy::default());
    };
    if let Ok(s) = m.extract::<String>() {
        return s.parse().map_err(to_py);
    }
    match m.extract::<f64>() {
        Ok(f) => Ok(MissingPolicy::MinCoverage(f)),
        Err(_) => Err(InputError::new_err(format!(
            "invalid parameter missing: {m} (must be \"skip\", \"strict\" or a minimum coverage from 0 to 1)"
        ))),
    }
}

fn cut(name: &str, value: Option<&Bound<'_, PyAny>>, default: Cut) -> PyResult<Cut> {
    let Some(v) = value else {
        return Ok(default);
    };
    if let Ok(s) = v.extract::<String>() {
        return s.parse().map_err(to_py);
    }
    match v.extract::<f64>() {
        Ok(f) => Ok(Cut::Value(f)),
        Err(_) => Err(InputError::new_err(format!(
            "invalid parameter {name}: {v} (must be a number, \"mean\", \"median\" or \"midpoint\")"
        ))),
    }
}

fn score_options(
    missing: Option<&Bound<'_, PyAny>>,
    aggregation: Option<&str>,
    weights: Option<Vec<f64>>,
) -> PyResult<ScoreOptions> {
    let mut opts = ScoreOptions::default().with_missing(missing_policy(missing)?);
    if let Some(a) = aggregation {
        opts = opts.with_aggregation(a.parse::<Aggregation>().map_err(to_py)?);
    }
    opts.weights = weights;
    Ok(opts)
}

fn advanced_rule(level: Option<f64>, share: Option<f64>) -> AdvancedRule {
    let d = AdvancedRule::default();
    AdvancedRule {
        level: level.unwrap_or(d.level),
        more_than_share: share.unwrap_or(d.more_than_share),
    }
}

fn basis(basis: Option<&str>) -> PyResult<Basis> {
    basis.map_or(Ok(Basis::default()), |b| b.parse().map_err(to_py))
}

fn snapshot_dict(py: Python<'_>, s: SnapshotScores) -> PyResult<Bound<'_, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("components", s.components.into_pyarray(py))?;
    d.set_item("overall", s.overall.into_pyarray(py))?;
    d.set_item("spread", s.spread.into_pyarray(py))?;
    d.set_item("coverage", s.coverage.into_pyarray(py))?;
    Ok(d)
}

fn ranking_dict<'py>(py: Python<'py>, r: &Ranking) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item(
        "position",
        r.entries.iter().map(|e| e.position).collect::<Vec<_>>(),
    )?;
    d.set_item(
        "id",
        r.entries.iter().map(|e| e.id.clone()).collect::<Vec<_>>(),
    )?;
    d.set_item(
        "name",
        r.entries.iter().map(|e| e.name.clone()).collect::<Vec<_>>(),
    )?;
    d.set_item(
        "component",
        r.entries
            .iter()
            .map(|e| e.component.clone())
            .collect::<Vec<_>>(),
    )?;
    let means: Array1<f64> = r.entries.iter().map(|e| e.mean_score).collect();
    d.set_item("mean_score", means.into_pyarray(py))?;
    d.set_item(
        "n_districts",
        r.entries.iter().map(|e| e.n_districts).collect::<Vec<_>>(),
    )?;
    Ok(d)
}

#[pymethods]
impl PyPanel {
    /// A panel from long records: parallel sequences of districts, dates
    /// (`YYYY-MM`), element ids and ratings (NaN = not rated).
    #[staticmethod]
    #[pyo3(signature = (rubric, districts, dates, elements, ratings, half_steps=false))]
    fn from_long(
        py: Python<'_>,
        rubric: &PyRubric,
        districts: Vec<String>,
        dates: Vec<String>,
        elements: Vec<String>,
        ratings: PyReadonlyArray1<'_, f64>,
        half_steps: bool,
    ) -> PyResult<PyPanel> {
        let ratings = ratings.as_array();
        let rubric = Arc::clone(&rubric.inner);
        let n = districts.len();
        if dates.len() != n || elements.len() != n || ratings.len() != n {
            return Err(to_py(crate::Error::LengthMismatch {
                what: "dates, elements and ratings for the districts",
                expected: n,
                found: [dates.len(), elements.len(), ratings.len()]
                    .into_iter()
                    .find(|&m| m != n)
                    .unwrap_or(n),
            }));
        }
        py.detach(|| {
            let records = districts
                .into_iter()
                .zip(dates)
                .zip(elements)
                .zip(ratings.iter())
                .map(|(((district, date), element), &rating)| {
                    let date = YearMonth::parse_for(&date, &district)?;
                    Ok(LongRating {
                        district,
                        date,
                        element,
                        rating,
                    })
                })
                .collect::<crate::Result<Vec<_>>>()?;
            Panel::from_long(rubric, records, panel_options(half_steps))
        })
        .map(|p| PyPanel { inner: Arc::new(p) })
        .map_err(to_py)
    }

    /// A panel from a matrix whose columns are named by element ids (any
    /// order), one district and date per row.
    #[staticmethod]
    #[pyo3(signature = (rubric, districts, dates, column_ids, ratings, half_steps=false))]
    fn from_columns(
        py: Python<'_>,
        rubric: &PyRubric,
        districts: Vec<String>,
        dates: Vec<String>,
        column_ids: Vec<String>,
        ratings: PyReadonlyArray2<'_, f64>,
        half_steps: bool,
    ) -> PyResult<PyPanel> {
        let ratings = ratings.as_array();
        let rubric = Arc::clone(&rubric.inner);
        py.detach(|| {
            let keys = keys(districts, &dates)?;
            Panel::from_columns(
                rubric,
                keys,
                &column_ids,
                ratings,
                panel_options(half_steps),
            )
        })
        .map(|p| PyPanel { inner: Arc::new(p) })
        .map_err(to_py)
    }

    /// Read long-format CSV (district, date, element, rating).
    #[staticmethod]
    #[pyo3(signature = (rubric, path, half_steps=false))]
    fn read_long_csv(rubric: &PyRubric, path: PathBuf, half_steps: bool) -> PyResult<PyPanel> {
        Panel::from_long_csv_path(Arc::clone(&rubric.inner), path, panel_options(half_steps))
            .map(|p| PyPanel { inner: Arc::new(p) })
            .map_err(to_py)
    }

    #[getter]
    fn rubric(&self) -> PyRubric {
        PyRubric {
            inner: Arc::clone(self.inner.rubric_arc()),
        }
    }
    /// A copy of the ratings, snapshots x elements.
    #[getter]
    fn ratings<'py>(&self, py: Python<'py>) -> Bound<'py, numpy::PyArray2<f64>> {
        self.inner.ratings().to_owned().into_pyarray(py)
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
        self.inner.options().allowed == crate::AllowedRatings::HalfSteps
    }

    /// Per-snapshot scores as a dict of arrays.
    #[pyo3(signature = (missing=None, aggregation=None, weights=None, advanced_level=None, advanced_share=None))]
    fn score<'py>(
        &self,
        py: Python<'py>,
        missing: Option<&Bound<'py, PyAny>>,
        aggregation: Option<&str>,
        weights: Option<Vec<f64>>,
        advanced_level: Option<f64>,
        advanced_share: Option<f64>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let opts = score_options(missing, aggregation, weights)?;
        let rule = advanced_rule(advanced_level, advanced_share);
        let panel = &self.inner;
        let (s, advanced) = py
            .detach(|| {
                let s = panel.score(&opts)?;
                let adv = rule.flags(panel.rubric().scale(), s.components.view());
                Ok::<_, crate::Error>((s, adv))
            })
            .map_err(to_py)?;
        let d = snapshot_dict(py, s)?;
        d.set_item("advanced", advanced.into_pyarray(py))?;
        Ok(d)
    }

    /// District summaries as a dict of arrays and lists.
    #[pyo3(signature = (basis=None, missing=None, aggregation=None, weights=None, y_cut=None, x_cut=None, advanced_level=None, advanced_share=None))]
    #[allow(clippy::too_many_arguments)] // mirrors the Python keyword arguments
    fn summarize<'py>(
        &self,
        py: Python<'py>,
        basis: Option<&str>,
        missing: Option<&Bound<'py, PyAny>>,
        aggregation: Option<&str>,
        weights: Option<Vec<f64>>,
        y_cut: Option<&Bound<'py, PyAny>>,
        x_cut: Option<&Bound<'py, PyAny>>,
        advanced_level: Option<f64>,
        advanced_share: Option<f64>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let defaults = SummaryOptions::default();
        let opts = SummaryOptions::default()
            .with_basis(self::basis(basis)?)
            .with_score(score_options(missing, aggregation, weights)?)
            .with_cuts(
                cut("y_cut", y_cut, defaults.y_cut)?,
                cut("x_cut", x_cut, defaults.x_cut)?,
            )
            .with_advanced(advanced_rule(advanced_level, advanced_share));
        let panel = &self.inner;
        let s = py.detach(|| panel.summarize(&opts)).map_err(to_py)?;
        let d = PyDict::new(py);
        d.set_item("district", s.districts.to_vec())?;
        d.set_item("basis", s.basis.to_string())?;
        d.set_item("component_names", s.component_names.clone())?;
        d.set_item("score", s.score.into_pyarray(py))?;
        d.set_item("spread", s.spread.into_pyarray(py))?;
        d.set_item("coverage", s.coverage.into_pyarray(py))?;
        d.set_item("components", s.components.into_pyarray(py))?;
        d.set_item("bands", s.bands.into_pyarray(py))?;
        d.set_item("advanced", s.advanced.into_pyarray(py))?;
        d.set_item(
            "quadrant",
            s.quadrant
                .iter()
                .map(|q| q.map(crate::Quadrant::label))
                .collect::<Vec<_>>(),
        )?;
        d.set_item("recent_progress", s.recent_progress.into_pyarray(py))?;
        d.set_item("n_snapshots", s.n_snapshots.clone())?;
        d.set_item(
            "first_date",
            s.first_date
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
        )?;
        d.set_item(
            "last_date",
            s.last_date
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
        )?;
        d.set_item("y_cut", s.y_cut)?;
        d.set_item("x_cut", s.x_cut)?;
        Ok(d)
    }

    /// Components ranked by mean score across districts.
    #[pyo3(signature = (basis=None, missing=None, aggregation=None, weights=None))]
    fn rank_components<'py>(
        &self,
        py: Python<'py>,
        basis: Option<&str>,
        missing: Option<&Bound<'py, PyAny>>,
        aggregation: Option<&str>,
        weights: Option<Vec<f64>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let opts = SummaryOptions::default()
            .with_basis(self::basis(basis)?)
            .with_score(score_options(missing, aggregation, weights)?);
        let panel = &self.inner;
        let r = py.detach(|| panel.rank_components(&opts)).map_err(to_py)?;
        ranking_dict(py, &r)
    }

    /// Elements ranked by mean rating across districts.
    #[pyo3(signature = (basis=None))]
    fn rank_elements<'py>(
        &self,
        py: Python<'py>,
        basis: Option<&str>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let b = self::basis(basis)?;
        let panel = &self.inner;
        let r = py.detach(|| panel.rank_elements(b));
        ranking_dict(py, &r)
    }

    /// Each district's element ratings on a basis, districts x elements.
    #[pyo3(signature = (basis=None))]
    fn basis_ratings<'py>(
        &self,
        py: Python<'py>,
        basis: Option<&str>,
    ) -> PyResult<Bound<'py, numpy::PyArray2<f64>>> {
        let b = self::basis(basis)?;
        let panel = &self.inner;
        Ok(py.detach(|| panel.basis_ratings(b)).into_pyarray(py))
    }

    /// Monte Carlo uncertainty of the district summaries; with `keep_draws`,
    /// also every draw's outcome.
    #[pyo3(signature = (draws=None, seed=None, rating_noise=None, bootstrap_elements=None, weight_alpha=None, y_cut_range=None, x_cut_range=None, aggregation=None, basis=None, missing=None, keep_draws=false))]
    #[allow(clippy::too_many_arguments)] // mirrors the Python keyword arguments
    fn uncertainty<'py>(
        &self,
        py: Python<'py>,
        draws: Option<usize>,
        seed: Option<u64>,
        rating_noise: Option<f64>,
        bootstrap_elements: Option<bool>,
        weight_alpha: Option<f64>,
        y_cut_range: Option<(f64, f64)>,
        x_cut_range: Option<(f64, f64)>,
        aggregation: Option<(f64, f64)>,
        basis: Option<&str>,
        missing: Option<&Bound<'py, PyAny>>,
        keep_draws: bool,
    ) -> PyResult<Bound<'py, PyDict>> {
        let mut opts = UncertaintyOptions::default();
        if let Some(n) = draws {
            opts.draws = n;
        }
        if let Some(s) = seed {
            opts.seed = s;
        }
        if let Some(p) = rating_noise {
            opts.rating_noise = p;
        }
        if let Some(b) = bootstrap_elements {
            opts.bootstrap_elements = b;
        }
        opts.weight_alpha = weight_alpha;
        opts.y_cut_range = y_cut_range;
        opts.x_cut_range = x_cut_range;
        opts.aggregation = aggregation;
        opts.summary = SummaryOptions::default()
            .with_basis(self::basis(basis)?)
            .with_score(score_options(missing, None, None)?);
        let panel = &self.inner;
        let all = py
            .detach(|| panel.uncertainty_draws(&opts))
            .map_err(to_py)?;
        let u = py.detach(|| all.summarize());
        let d = PyDict::new(py);
        d.set_item("district", u.districts)?;
        d.set_item("draws", u.draws)?;
        d.set_item("score_mean", u.score_mean.into_pyarray(py))?;
        d.set_item("score_p5", u.score_p5.into_pyarray(py))?;
        d.set_item("score_p50", u.score_p50.into_pyarray(py))?;
        d.set_item("score_p95", u.score_p95.into_pyarray(py))?;
        d.set_item("p_advanced", u.p_advanced.into_pyarray(py))?;
        d.set_item("p_quadrant", u.p_quadrant.into_pyarray(py))?;
        d.set_item(
            "quadrant_labels",
            crate::Quadrant::ALL
                .iter()
                .map(|q| q.label())
                .collect::<Vec<_>>(),
        )?;
        d.set_item("rank_median", u.rank_median.into_pyarray(py))?;
        d.set_item("rank_p5", u.rank_p5.into_pyarray(py))?;
        d.set_item("rank_p95", u.rank_p95.into_pyarray(py))?;
        d.set_item("component_names", u.component_names)?;
        d.set_item("p_sticking", u.p_sticking.into_pyarray(py))?;
        if keep_draws {
            let raw = PyDict::new(py);
            raw.set_item("score", all.score.into_pyarray(py))?;
            raw.set_item("spread", all.spread.into_pyarray(py))?;
            raw.set_item("rank", all.rank.into_pyarray(py))?;
            raw.set_item("advanced", all.advanced.into_pyarray(py))?;
            raw.set_item("quadrant", all.quadrant.into_pyarray(py))?;
            raw.set_item("sticking", all.sticking.into_pyarray(py))?;
            raw.set_item("cuts", all.cuts.into_pyarray(py))?;
            d.set_item("raw", raw)?;
        }
        Ok(d)
    }

    fn __repr__(&self) -> String {
        format!(
            "Panel(rubric={:?}, districts={}, snapshots={})",
            self.inner.rubric().id(),
            self.inner.n_districts(),
            self.inner.n_snapshots()
        )
    }
}

/// Score a bare float64 matrix (rows x elements, any order or strides).
#[pyfunction]
#[pyo3(signature = (ratings, rubric=None, missing=None, aggregation=None, weights=None))]
fn score_array<'py>(
    py: Python<'py>,
    ratings: PyArrayLike2<'py, f64, AllowTypeChange>,
    rubric: Option<&PyRubric>,
    missing: Option<&Bound<'py, PyAny>>,
    aggregation: Option<&str>,
    weights: Option<Vec<f64>>,
) -> PyResult<Bound<'py, PyDict>> {
    let opts = score_options(missing, aggregation, weights)?;
    let rubric = rubric.map_or_else(|| Arc::new(Rubric::crpe_2016()), |r| Arc::clone(&r.inner));
    let view = ratings.as_array();
    let s = py
        .detach(|| score_matrix(&rubric, view, &opts))
        .map_err(to_py)?;
    snapshot_dict(py, s)
}

/// Which roster rows qualify: at least `min_snapshots`, the last in `since`
/// or later. `last` holds `YYYY-MM` or None.
#[pyfunction]
#[pyo3(signature = (districts, n_snapshots, last, min_snapshots=None, since=None))]
fn eligible_mask(
    districts: Vec<String>,
    n_snapshots: Vec<i64>,
    last: Vec<Option<String>>,
    min_snapshots: Option<i64>,
    since: Option<String>,
) -> PyResult<Vec<bool>> {
    let mut rule = Eligibility::default();
    if let Some(m) = min_snapshots {
        rule.min_snapshots = u32::try_from(m).map_err(|_| {
            to_py(crate::Error::InvalidParameter {
                name: "min_snapshots",
                value: m.to_string(),
                reason: "must be a whole number from 0".into(),
            })
        })?;
    }
    if let Some(s) = since {
        rule.since = s.parse().map_err(to_py)?;
    }
    if n_snapshots.len() != districts.len() || last.len() != districts.len() {
        return Err(to_py(crate::Error::LengthMismatch {
            what: "roster columns",
            expected: districts.len(),
            found: n_snapshots.len().min(last.len()),
        }));
    }
    districts
        .into_iter()
        .zip(n_snapshots)
        .zip(last)
        .map(|((district, n), last)| {
            let n_snapshots = u32::try_from(n).map_err(|_| crate::Error::InvalidParameter {
                name: "n_snapshots",
                value: format!("{n} (district {district:?})"),
                reason: "must be a whole number from 0".into(),
            })?;
            let most_recent_snapshot = last
                .as_deref()
                .map(|t| YearMonth::parse_for(t, &district))
                .transpose()?;
            Ok(rule.admits(&RosterEntry {
                district,
                most_recent_snapshot,
                n_snapshots,
            }))
        })
        .collect::<crate::Result<Vec<bool>>>()
        .map_err(to_py)
}

/// The Figure 2 roster as columns.
#[pyfunction]
#[allow(clippy::type_complexity)]
fn network_roster() -> (Vec<String>, Vec<Option<String>>, Vec<u32>) {
    let r = Roster::network();
    (
        r.entries.iter().map(|e| e.district.clone()).collect(),
        r.entries
            .iter()
            .map(|e| e.most_recent_snapshot.map(|d| d.to_string()))
            .collect(),
        r.entries.iter().map(|e| e.n_snapshots).collect(),
    )
}

/// The synthetic demo panel.
#[pyfunction]
fn demo_panel() -> PyResult<PyPanel> {
    datasets::demo_panel()
        .map(|p| PyPanel { inner: Arc::new(p) })
        .map_err(to_py)
}

/// The private extension module of `portfolio_snapshot`.
#[pymodule(module = "portfolio_snapshot")]
mod _core {
    #[pymodule_export]
    use super::{
        DuplicateError, InputError, PortfolioError, PyPanel, PyRubric, RatingError, RubricError,
        ShapeError, demo_panel, eligible_mask, network_roster, score_array,
    };

    #[pymodule_export]
    const DEMO_LABEL: &str = crate::datasets::DEMO_LABEL;

    #[pymodule_init]
    fn init(m: &pyo3::Bound<'_, pyo3::types::PyModule>) -> pyo3::PyResult<()> {
        use pyo3::types::PyModuleMethods;
        m.add("__version__", env!("CARGO_PKG_VERSION"))
    }
}
