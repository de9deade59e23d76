//! The report's analyses: per-snapshot scores, district summaries,
//! rankings, sticking points, and the bare-matrix fast path.

use std::sync::Arc;

use ndarray::{Array2, ArrayView2};
use numpy::{
    IntoPyArray, PyArray1, PyArray2, PyArrayDescrMethods, PyArrayMethods, PyReadonlyArray2,
    PyReadwriteArray1, PyReadwriteArray2, PyUntypedArray, PyUntypedArrayMethods,
};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use super::convert::{
    self, AdvancedLevelParam, AdvancedShareParam, AggregationParam, BasisParam, CountParam,
    MissingParam, SpreadParam, WeightsParam, XCutParam, YCutParam,
};
use super::errors::to_py;
use super::interrupt;
use super::mixed::AnyPanel;
use super::panel::PyPanel;
use super::rubric::{PyRubric, default_rubric};
use super::tables;
use crate::{
    AdvancedRule, Control, Error, NaValues, Rubric, ScoreOptions, SnapshotScoresMut,
    SummaryOptions, score_matrix_into, table,
};

/// How many sticking points `sticking_points` lists when not told: the
/// report's five lowest elements.
pub const DEFAULT_STICKING_POINTS: usize = 5;

/// Scoring options from the parameters (`None` keeps the core's default).
pub(super) fn score_options(
    rubric: &Rubric,
    missing: Option<MissingParam>,
    aggregation: Option<AggregationParam>,
    weights: Option<WeightsParam>,
) -> PyResult<ScoreOptions> {
    let mut opts = ScoreOptions::default();
    if let Some(m) = missing {
        opts.missing = m.0;
    }
    if let Some(a) = aggregation {
        opts.aggregation = a.0;
    }
    if let Some(w) = weights {
        opts.weights = Some(w.0.resolve(rubric).map_err(to_py)?);
    }
    Ok(opts)
}

pub(super) fn advanced_rule(
    level: Option<AdvancedLevelParam>,
    share: Option<AdvancedShareParam>,
) -> AdvancedRule {
    let mut rule = AdvancedRule::default();
    if let Some(l) = level {
        rule.level = Some(l.0);
    }
    if let Some(s) = share {
        rule.more_than_share = s.0;
    }
    rule
}

/// Summary options from the parameters.
#[allow(clippy::too_many_arguments)] // the Python keyword arguments
pub(crate) fn summary_options(
    rubric: &Rubric,
    basis: Option<BasisParam>,
    missing: Option<MissingParam>,
    aggregation: Option<AggregationParam>,
    weights: Option<WeightsParam>,
    y_cut: Option<YCutParam>,
    x_cut: Option<XCutParam>,
    advanced_level: Option<AdvancedLevelParam>,
    advanced_share: Option<AdvancedShareParam>,
) -> PyResult<SummaryOptions> {
    let mut opts = SummaryOptions::default()
        .with_score(score_options(rubric, missing, aggregation, weights)?)
        .with_advanced(advanced_rule(advanced_level, advanced_share));
    if let Some(b) = basis {
        opts.basis = b.0;
    }
    if let Some(y) = y_cut {
        opts.y_cut = y.0;
    }
    if let Some(x) = x_cut {
        opts.x_cut = x.0;
    }
    Ok(opts)
}

/// Work of a pass over a panel, in cell operations.
pub(super) fn work(panel: &crate::Panel) -> u128 {
    panel.n_snapshots() as u128 * panel.rubric().n_elements() as u128
}

/// Per-snapshot scores and advanced flags (a column table).
#[pyfunction]
#[pyo3(signature = (panel, missing=None, aggregation=None, weights=None, advanced_level=None, advanced_share=None))]
pub(crate) fn score<'py>(
    py: Python<'py>,
    panel: AnyPanel<'_>,
    missing: Option<MissingParam>,
    aggregation: Option<AggregationParam>,
    weights: Option<WeightsParam>,
    advanced_level: Option<AdvancedLevelParam>,
    advanced_share: Option<AdvancedShareParam>,
) -> PyResult<Bound<'py, PyDict>> {
    let opts = SummaryOptions::default()
        .with_score(score_options(
            panel.rubric(),
            missing,
            aggregation,
            weights,
        )?)
        .with_advanced(advanced_rule(advanced_level, advanced_share));
    let table = match panel {
        AnyPanel::One(panel) => {
            let p = Arc::clone(&panel.inner);
            let s = interrupt::run(py, work(&p), Control::new(), |c| {
                p.score_advanced(&opts.score, &opts.advanced, c)
            })?;
            table::snapshot_scores(&p, &opts, &s)
        }
        AnyPanel::Mixed(m) => {
            let m = Arc::clone(&m.inner);
            let s = interrupt::run(py, work(m.translated()), Control::new(), |c| {
                m.score_advanced(&opts.score, &opts.advanced, c)
            })?;
            table::mixed_snapshot_scores(&m, &opts, &s)
        }
    };
    tables::to_py(py, table)
}

/// District summaries (a column table).
#[pyfunction]
#[pyo3(signature = (panel, basis=None, missing=None, aggregation=None, weights=None, y_cut=None, x_cut=None, advanced_level=None, advanced_share=None, spread=None))]
#[allow(clippy::too_many_arguments)] // the Python keyword arguments
pub(crate) fn summarize<'py>(
    py: Python<'py>,
    panel: &PyPanel,
    basis: Option<BasisParam>,
    missing: Option<MissingParam>,
    aggregation: Option<AggregationParam>,
    weights: Option<WeightsParam>,
    y_cut: Option<YCutParam>,
    x_cut: Option<XCutParam>,
    advanced_level: Option<AdvancedLevelParam>,
    advanced_share: Option<AdvancedShareParam>,
    spread: Option<SpreadParam>,
) -> PyResult<Bound<'py, PyDict>> {
    let p = Arc::clone(&panel.inner);
    let mut opts = summary_options(
        p.rubric(),
        basis,
        missing,
        aggregation,
        weights,
        y_cut,
        x_cut,
        advanced_level,
        advanced_share,
    )?;
    if let Some(s) = spread {
        opts.spread = s.0;
    }
    let s = interrupt::run(py, work(&p), Control::new(), |c| p.summarize_with(&opts, c))?;
    tables::to_py(py, table::district_summary(&p, &opts, &s))
}

/// Components ranked by mean score across districts (a column table).
#[pyfunction]
#[pyo3(signature = (panel, basis=None, missing=None, aggregation=None, weights=None))]
pub(crate) fn rank_components<'py>(
    py: Python<'py>,
    panel: &PyPanel,
    basis: Option<BasisParam>,
    missing: Option<MissingParam>,
    aggregation: Option<AggregationParam>,
    weights: Option<WeightsParam>,
) -> PyResult<Bound<'py, PyDict>> {
    let p = Arc::clone(&panel.inner);
    let opts = summary_options(
        p.rubric(),
        basis,
        missing,
        aggregation,
        weights,
        None,
        None,
        None,
        None,
    )?;
    let r = interrupt::run(py, work(&p), Control::new(), |_| p.rank_components(&opts))?;
    tables::to_py(py, table::component_ranking(&p, &r))
}

/// Elements ranked by mean rating across districts (a column table).
#[pyfunction]
#[pyo3(signature = (panel, basis=None))]
pub(crate) fn rank_elements<'py>(
    py: Python<'py>,
    panel: &PyPanel,
    basis: Option<BasisParam>,
) -> PyResult<Bound<'py, PyDict>> {
    let p = Arc::clone(&panel.inner);
    let b = basis.map(|b| b.0).unwrap_or_default();
    let r = interrupt::run(py, work(&p), Control::new(), |_| Ok(p.rank_elements(b)))?;
    tables::to_py(py, table::element_ranking(&p, &r, None))
}

/// The `n` lowest elements, lowest first (a column table).
#[pyfunction]
#[pyo3(signature = (panel, n=None, basis=None))]
pub(crate) fn sticking_points<'py>(
    py: Python<'py>,
    panel: &PyPanel,
    n: Option<CountParam>,
    basis: Option<BasisParam>,
) -> PyResult<Bound<'py, PyDict>> {
    let p = Arc::clone(&panel.inner);
    let b = basis.map(|b| b.0).unwrap_or_default();
    let n = n.map_or(DEFAULT_STICKING_POINTS, |n| n.0);
    let r = interrupt::run(py, work(&p), Control::new(), |_| Ok(p.rank_elements(b)))?;
    tables::to_py(py, table::element_ranking(&p, &r, Some(n)))
}

/// Each district's element values on a basis, districts x elements.
#[pyfunction]
#[pyo3(signature = (panel, basis=None))]
pub(crate) fn basis_ratings<'py>(
    py: Python<'py>,
    panel: &PyPanel,
    basis: Option<BasisParam>,
) -> Bound<'py, PyArray2<f64>> {
    let p = Arc::clone(&panel.inner);
    let b = basis.map(|b| b.0).unwrap_or_default();
    py.detach(|| p.basis_ratings(b)).into_pyarray(py)
}

/// The 2016 report's published findings checked on a panel (a column table).
#[pyfunction]
pub(crate) fn report_findings<'py>(
    py: Python<'py>,
    panel: &PyPanel,
) -> PyResult<Bound<'py, PyDict>> {
    let p = Arc::clone(&panel.inner);
    let r = interrupt::run(py, work(&p), Control::new(), |_| {
        crate::findings::report_findings(&p)
    })?;
    tables::to_py(py, table::findings(&p, &r))
}

/// A ratings matrix from any array-like: a float64 array is read in place
/// (any order or strides); integers and other floats are converted; bools,
/// complex numbers, dates, durations and text are refused naming the first
/// such cell; object arrays are read cell by cell.
enum Matrix<'py> {
    Borrowed(PyReadonlyArray2<'py, f64>),
    Owned(Array2<f64>),
}

impl Matrix<'_> {
    fn view(&self) -> ArrayView2<'_, f64> {
        match self {
            Self::Borrowed(a) => a.as_array(),
            Self::Owned(a) => a.view(),
        }
    }
}

fn matrix<'py>(obj: &Bound<'py, PyAny>, scale: &crate::Scale) -> PyResult<Matrix<'py>> {
    let py = obj.py();
    let arr = if obj.cast::<PyUntypedArray>().is_ok() {
        obj.clone()
    } else {
        let np = py.import("numpy")?;
        np.call_method1("asarray", (obj,)).map_err(|e| {
            super::errors::InputError::new_err(format!("ratings cannot be read as a matrix: {e}"))
        })?
    };
    let untyped = arr.cast::<PyUntypedArray>()?;
    if untyped.ndim() != 2 {
        return Err(to_py(Error::InvalidParameter {
            name: "ratings",
            value: format!("an array of {} dimensions", untyped.ndim()),
            reason: "a matrix of snapshots x elements has 2 dimensions".into(),
        }));
    }
    // the usual case first: a native float64 array, aligned, read in place
    // (numpy.require, below, costs more than scoring a small matrix)
    if let Ok(a) = arr.cast::<PyArray2<f64>>()
        && arr
            .getattr(pyo3::intern!(py, "flags"))?
            .getattr(pyo3::intern!(py, "aligned"))?
            .is_truthy()?
        && let Ok(read) = a.try_readonly()
    {
        return Ok(Matrix::Borrowed(read));
    }
    let kind = untyped.dtype().kind();
    if matches!(kind, b'f' | b'i' | b'u') {
        // aligned native float64, read in place when it already is one (a
        // misaligned or byte-swapped array is copied, never read unaligned)
        let np = py.import("numpy")?;
        let ready = np.call_method1("require", (&arr, "float64", "A"))?;
        let a: PyReadonlyArray2<'_, f64> = ready.extract()?;
        return Ok(if ready.is(&arr) {
            Matrix::Borrowed(a)
        } else {
            Matrix::Owned(a.as_array().to_owned())
        });
    }
    // anything else: cell by cell, so that the error names the first bad cell
    let shape = untyped.shape().to_vec();
    let (rows, cols) = (shape[0], shape[1]);
    let na = NaValues::default();
    let mut out = Array2::from_elem((rows, cols), f64::NAN);
    for r in 0..rows {
        for c in 0..cols {
            let cell = arr.get_item((r, c))?;
            out[[r, c]] = convert::rating_cell(&cell, &na, scale).map_err(|reason| {
                super::errors::RatingError::new_err(format!(
                    "not a rating at row {r}, column {c}: {} ({}) ({reason})",
                    convert::show(&cell),
                    convert::type_name(&cell)
                ))
            })?;
        }
    }
    Ok(Matrix::Owned(out))
}

/// Score a bare matrix (rows x elements in rubric column order), into
/// fresh arrays or into `out` (a mapping with the four arrays a previous
/// call returned, or any of the same shapes: float64, C-contiguous,
/// writeable, sharing no memory with `ratings` or each other), which is
/// then returned.
#[pyfunction]
#[pyo3(signature = (ratings, rubric=None, missing=None, aggregation=None, weights=None, out=None))]
pub(crate) fn score_array<'py>(
    py: Python<'py>,
    ratings: &Bound<'py, PyAny>,
    rubric: Option<&PyRubric>,
    missing: Option<MissingParam>,
    aggregation: Option<AggregationParam>,
    weights: Option<WeightsParam>,
    out: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let rubric = rubric.map_or_else(default_rubric, |r| Arc::clone(&r.inner));
    let opts = score_options(&rubric, missing, aggregation, weights)?;
    let m = matrix(ratings, rubric.scale())?;
    let view = m.view();
    let work = view.len() as u128;
    // fresh outputs are numpy's own allocations: numpy asks the kernel for
    // huge pages on large ones, so their first writes fault a 2 MB page at
    // a time rather than 4 KB (the cost of fresh outputs at 1M rows)
    let (result, mut o) = if let Some(out) = out {
        (out.clone(), ScoreOut::borrow(out)?)
    } else {
        fresh_outputs(py, view.nrows(), rubric.components().len())?
    };
    let into = SnapshotScoresMut {
        components: o.components.as_array_mut(),
        overall: o.overall.as_array_mut(),
        spread: o.spread.as_array_mut(),
        coverage: o.coverage.as_array_mut(),
    };
    interrupt::run(py, work, Control::new(), |c| {
        score_matrix_into(&rubric, view, &opts, into, c)
    })?;
    drop(o);
    Ok(result)
}

/// `score_array`'s four outputs for `rows` snapshots, zeroed by numpy
/// (checked against the memory available first, so a huge count is the
/// package's error rather than numpy's), as the dict returned and the
/// arrays borrowed for writing.
fn fresh_outputs(
    py: Python<'_>,
    rows: usize,
    k: usize,
) -> PyResult<(Bound<'_, PyAny>, ScoreOut<'_>)> {
    crate::control::ensure_allocatable::<f64>(rows.saturating_mul(k + 3), "per-snapshot scores")
        .map_err(to_py)?;
    let components = PyArray2::<f64>::zeros(py, [rows, k], false);
    let overall = PyArray1::<f64>::zeros(py, rows, false);
    let spread = PyArray1::<f64>::zeros(py, rows, false);
    let coverage = PyArray1::<f64>::zeros(py, rows, false);
    let d = PyDict::new(py);
    d.set_item("components", &components)?;
    d.set_item("overall", &overall)?;
    d.set_item("spread", &spread)?;
    d.set_item("coverage", &coverage)?;
    // new arrays: nothing else holds them, so the borrows succeed
    let borrowed = |e: numpy::BorrowError| {
        super::errors::InputError::new_err(format!("a fresh output cannot be written: {e}"))
    };
    let out = ScoreOut {
        components: components.try_readwrite().map_err(borrowed)?,
        overall: overall.try_readwrite().map_err(borrowed)?,
        spread: spread.try_readwrite().map_err(borrowed)?,
        coverage: coverage.try_readwrite().map_err(borrowed)?,
    };
    Ok((d.into_any(), out))
}

/// The four output arrays of `score_array(..., out=...)`, borrowed for
/// writing (numpy's borrow checker refuses arrays that overlap the ratings
/// or each other).
struct ScoreOut<'py> {
    components: PyReadwriteArray2<'py, f64>,
    overall: PyReadwriteArray1<'py, f64>,
    spread: PyReadwriteArray1<'py, f64>,
    coverage: PyReadwriteArray1<'py, f64>,
}

const OUT_KEYS: &str = "\"components\", \"overall\", \"spread\" and \"coverage\"";

impl<'py> ScoreOut<'py> {
    fn borrow(out: &Bound<'py, PyAny>) -> PyResult<Self> {
        Ok(Self {
            components: writable(out, "components", |a| {
                a.cast::<PyArray2<f64>>().ok().cloned()
            })?,
            overall: writable(out, "overall", |a| a.cast::<PyArray1<f64>>().ok().cloned())?,
            spread: writable(out, "spread", |a| a.cast::<PyArray1<f64>>().ok().cloned())?,
            coverage: writable(out, "coverage", |a| a.cast::<PyArray1<f64>>().ok().cloned())?,
        })
    }
}

/// `out[key]` borrowed for writing, as the array type `cast` accepts.
fn writable<'py, D: numpy::ndarray::Dimension>(
    out: &Bound<'py, PyAny>,
    key: &str,
    cast: impl Fn(&Bound<'py, PyAny>) -> Option<Bound<'py, numpy::PyArray<f64, D>>>,
) -> PyResult<numpy::PyReadwriteArray<'py, f64, D>> {
    let dims = D::NDIM.unwrap_or(0);
    let a = out.get_item(key).map_err(|_| {
        super::errors::InputError::new_err(format!(
            "out must map {OUT_KEYS} to arrays (as score_array returns them); \
             {key:?} is missing from this {}",
            convert::type_name(out)
        ))
    })?;
    let got = || {
        let dtype = a
            .getattr("dtype")
            .and_then(|d| d.str().map(|s| s.to_string()))
            .map(|d| format!(" of dtype {d}"))
            .unwrap_or_default();
        format!("{}{dtype}", convert::type_name(&a))
    };
    let arr = cast(&a).ok_or_else(|| {
        super::errors::InputError::new_err(format!(
            "out[{key:?}] must be a float64 numpy array of {dims} dimension{}; got {}",
            if dims == 1 { "" } else { "s" },
            got()
        ))
    })?;
    arr.try_readwrite().map_err(|e| {
        super::errors::InputError::new_err(format!(
            "out[{key:?}] cannot be written ({e}): it is read-only or shares memory \
             with the ratings or another output"
        ))
    })
}

/// Which column of a table is which (the core's rules: exact role names,
/// then aliases in any letter case), and the table's layout.
#[pyfunction]
#[pyo3(signature = (header, district=None, date=None, element=None, rating=None))]
pub(crate) fn resolve_columns<'py>(
    py: Python<'py>,
    header: &Bound<'py, PyAny>,
    district: Option<&Bound<'py, PyAny>>,
    date: Option<&Bound<'py, PyAny>>,
    element: Option<&Bound<'py, PyAny>>,
    rating: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    use crate::columns::{Layout, Role, resolve};
    let names: Vec<String> = header
        .try_iter()?
        .map(|h| h.and_then(|h| h.str().map(|s| s.to_string())))
        .collect::<PyResult<_>>()?;
    let mut explicit = Vec::new();
    for (role, given) in [
        (Role::District, district),
        (Role::Date, date),
        (Role::Element, element),
        (Role::Rating, rating),
    ] {
        if let Some(g) = given {
            explicit.push((role, g.str()?.to_string()));
        }
    }
    let m = resolve(&names, &explicit).map_err(to_py)?;
    let d = PyDict::new(py);
    d.set_item(
        "layout",
        match m.layout {
            Layout::Long => "long",
            Layout::Wide => "wide",
        },
    )?;
    let positions = PyDict::new(py);
    for (role, pos) in &m.found {
        positions.set_item(role.name(), pos)?;
    }
    d.set_item("positions", positions)?;
    d.set_item("description", m.description)?;
    Ok(d)
}

/// For each element of the rubric, the column of a wide table that holds
/// it (the core's rule: every column an element, every element a column).
#[pyfunction]
pub(crate) fn element_columns(
    rubric: &PyRubric,
    column_ids: &Bound<'_, PyAny>,
) -> PyResult<Vec<usize>> {
    let ids = convert::element_ids(column_ids, &rubric.inner)?;
    let source = crate::check_columns(&rubric.inner, &ids).map_err(to_py)?;
    if source.contains(&usize::MAX) {
        let missing: Vec<String> = rubric
            .inner
            .element_ids()
            .iter()
            .zip(&source)
            .filter(|(_, s)| **s == usize::MAX)
            .map(|(id, _)| id.clone())
            .collect();
        return Err(to_py(Error::MissingElements {
            rubric: rubric.inner.id().to_owned(),
            missing,
            found: ids,
        }));
    }
    Ok(source)
}
