//! Conversions from Python, in one place: one `FromPyObject` type per
//! option (strict about bools posing as numbers, text posing as numbers and
//! floats posing as counts, and naming the parameter), and the cells of
//! table columns (districts, dates, element ids, ratings), whose errors name
//! the row's district, date and element.
//!
//! Nothing here decides a default or a rule: an option left as `None` is
//! passed on as `None`, and the core decides.

use std::collections::HashMap;

use numpy::{
    AllowTypeChange, PyArrayDescrMethods, PyArrayLike1, PyUntypedArray, PyUntypedArrayMethods,
};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyString, PyTuple};

use super::errors::InputError;
use crate::{
    Aggregation, Basis, Cut, Error, MissingPolicy, NaValues, Rubric, SnapshotKey, SpreadRule,
    YearMonth,
};

/// A short `repr` of a Python object for messages.
pub(crate) fn show(obj: &Bound<'_, PyAny>) -> String {
    let r = obj
        .repr()
        .map_or_else(|_| "<unprintable>".to_owned(), |r| r.to_string());
    if r.chars().count() > 60 {
        let mut s: String = r.chars().take(57).collect();
        s.push_str("...");
        s
    } else {
        r
    }
}

/// The Python type's name: `float`, `str`, `numpy.bool`.
pub(crate) fn type_name(obj: &Bound<'_, PyAny>) -> String {
    let ty = obj.get_type();
    let name = ty.name().map_or_else(|_| "?".to_owned(), |n| n.to_string());
    let module = ty
        .getattr("__module__")
        .ok()
        .and_then(|m| m.extract::<String>().ok())
        .unwrap_or_default();
    if module.is_empty() || module == "builtins" {
        name
    } else {
        format!("{}.{name}", module.split('.').next().unwrap_or(&module))
    }
}

/// Whether `obj` is a Python bool or a numpy bool.
pub(crate) fn is_bool(obj: &Bound<'_, PyAny>) -> bool {
    obj.is_instance_of::<PyBool>() || {
        let t = type_name(obj);
        t == "numpy.bool_" || t == "numpy.bool"
    }
}

/// Whether `obj` is a missing-value marker: None, a float NaN, `pd.NA`,
/// `pd.NaT`.
pub(crate) fn is_missing(obj: &Bound<'_, PyAny>) -> bool {
    if obj.is_none() {
        return true;
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return f.value().is_nan();
    }
    let t = type_name(obj);
    if t == "pandas.NAType" || t == "pandas.NaTType" {
        return true;
    }
    if t.starts_with("numpy.float") {
        return obj.extract::<f64>().is_ok_and(f64::is_nan);
    }
    false
}

fn invalid(name: &str, obj: &Bound<'_, PyAny>, expected: &str) -> PyErr {
    InputError::new_err(format!(
        "invalid parameter {name}: {} ({expected}; got {})",
        show(obj),
        type_name(obj)
    ))
}

/// A real number: int or float (or numpy's), never a bool, text or complex.
pub(crate) fn number(obj: &Bound<'_, PyAny>, name: &str, expected: &str) -> PyResult<f64> {
    if is_bool(obj) || obj.is_instance_of::<PyString>() {
        return Err(invalid(name, obj, expected));
    }
    let t = type_name(obj);
    if t.contains("complex") || t.contains("timedelta") || t.contains("datetime") {
        return Err(invalid(name, obj, expected));
    }
    obj.extract::<f64>()
        .map_err(|_| invalid(name, obj, expected))
}

/// A whole number in `min..=max`: an int (or numpy integer), never a bool,
/// a float (not even 3.0) or text.
pub(crate) fn whole(obj: &Bound<'_, PyAny>, name: &str, min: i128, max: i128) -> PyResult<i128> {
    let expected = if max == i128::MAX {
        format!("a whole number of at least {min}")
    } else {
        format!("a whole number from {min} to {max}")
    };
    if is_bool(obj) || !obj.hasattr("__index__").unwrap_or(false) {
        return Err(invalid(name, obj, &expected));
    }
    let idx = obj
        .call_method0("__index__")
        .map_err(|_| invalid(name, obj, &expected))?;
    let n = idx.extract::<i128>().map_err(|_| {
        InputError::new_err(format!(
            "invalid parameter {name}: {} ({expected}; this one does not fit in 128 bits)",
            show(obj)
        ))
    })?;
    if n < min || n > max {
        return Err(InputError::new_err(format!(
            "invalid parameter {name}: {n} ({expected})"
        )));
    }
    Ok(n)
}

/// Text (a `str`).
pub(crate) fn text(obj: &Bound<'_, PyAny>, name: &str, expected: &str) -> PyResult<String> {
    obj.cast::<PyString>()
        .map(ToString::to_string)
        .map_err(|_| invalid(name, obj, expected))
}

/// A bool (Python's or numpy's), never an int or text.
pub(crate) fn flag(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<bool> {
    if !is_bool(obj) {
        return Err(invalid(name, obj, "True or False"));
    }
    obj.is_truthy()
}

/// A pair of real numbers `(low, high)`.
pub(crate) fn pair(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<(f64, f64)> {
    let expected = "a (low, high) pair of numbers";
    if obj.is_instance_of::<PyString>() || obj.is_instance_of::<PyDict>() {
        return Err(invalid(name, obj, expected));
    }
    let items: Vec<Bound<'_, PyAny>> = obj
        .try_iter()
        .map_err(|_| invalid(name, obj, expected))?
        .collect::<PyResult<_>>()
        .map_err(|_| invalid(name, obj, expected))?;
    if items.len() != 2 {
        return Err(invalid(name, obj, expected));
    }
    Ok((
        number(&items[0], name, expected)?,
        number(&items[1], name, expected)?,
    ))
}

/// A sequence of real numbers (a list, tuple or 1-D array), not text.
pub(crate) fn numbers(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<Vec<f64>> {
    let expected = "a sequence of numbers";
    if obj.is_instance_of::<PyString>() || obj.is_instance_of::<PyDict>() || is_bool(obj) {
        return Err(invalid(name, obj, expected));
    }
    let iter = obj.try_iter().map_err(|_| invalid(name, obj, expected))?;
    iter.map(|item| {
        let item = item?;
        number(&item, name, "each a number").map_err(|_| {
            InputError::new_err(format!(
                "invalid parameter {name}: {} is not a number (got {}); weights are numbers",
                show(&item),
                type_name(&item)
            ))
        })
    })
    .collect()
}

/// Declare a parameter type: a newtype whose `FromPyObject` runs `$conv`
/// with the parameter's name.
macro_rules! param {
    ($(#[$doc:meta])* $name:ident, $py:literal, $ty:ty, $conv:expr) => {
        $(#[$doc])*
        pub(crate) struct $name(pub $ty);

        impl<'a, 'py> FromPyObject<'a, 'py> for $name {
            type Error = PyErr;
            fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
                let conv: fn(&Bound<'py, PyAny>, &str) -> PyResult<$ty> = $conv;
                conv(&obj.to_owned(), $py).map($name)
            }
        }
    };
}

fn parse_str<T: std::str::FromStr<Err = Error>>(
    obj: &Bound<'_, PyAny>,
    name: &str,
    expected: &str,
) -> PyResult<T> {
    text(obj, name, expected)?
        .parse::<T>()
        .map_err(super::errors::to_py)
}

fn cut(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<Cut> {
    let expected = "a number, \"mean\", \"median\" or \"midpoint\"";
    if obj.is_instance_of::<PyString>() {
        return text(obj, name, expected)?.parse::<Cut>().map_err(|_| {
            InputError::new_err(format!(
                "invalid parameter {name}: {} (must be {expected})",
                show(obj)
            ))
        });
    }
    Ok(Cut::Value(number(obj, name, expected)?))
}

param!(
    /// `basis`: `"average"` or `"recent"`.
    BasisParam, "basis", Basis,
    |o, n| parse_str(o, n, "\"average\" or \"recent\"")
);
param!(
    /// `spread`: `"basis"` or `"mean_of_snapshots"`.
    SpreadParam, "spread", SpreadRule,
    |o, n| parse_str(o, n, "\"basis\" or \"mean_of_snapshots\"")
);
param!(
    /// `aggregation`: `"mean_of_means"` or `"pooled"`.
    AggregationParam, "aggregation", Aggregation,
    |o, n| parse_str(o, n, "\"mean_of_means\" or \"pooled\"")
);
param!(
    /// `missing`: `"skip"`, `"strict"` or a minimum coverage.
    MissingParam, "missing", MissingPolicy,
    |o, n| {
        let expected = "\"skip\", \"strict\" or a minimum coverage from 0 to 1";
        if o.is_instance_of::<PyString>() {
            parse_str(o, n, expected)
        } else {
            Ok(MissingPolicy::MinCoverage(number(o, n, expected)?))
        }
    }
);
param!(
    /// `y_cut`: a number, `"mean"`, `"median"` or `"midpoint"`.
    YCutParam, "y_cut", Cut, cut
);
param!(
    /// `x_cut`: a number, `"mean"` or `"median"`.
    XCutParam, "x_cut", Cut, cut
);
/// Component weights as given: in rubric order, or by component.
pub(crate) enum Weights {
    /// One per component, in rubric order.
    Ordered(Vec<f64>),
    /// `(component id or short name, weight)`.
    Named(Vec<(String, f64)>),
}

impl Weights {
    /// The weights in rubric order.
    pub(crate) fn resolve(self, rubric: &Rubric) -> crate::Result<Vec<f64>> {
        match self {
            Self::Ordered(v) => Ok(v),
            Self::Named(v) => rubric.weights_by_name(&v),
        }
    }
}

param!(
    /// `weights`: one number per component, or a mapping from component
    /// short name (or id) to weight.
    WeightsParam, "weights", Weights,
    |o, n| {
        if let Ok(d) = o.cast::<PyDict>() {
            let mut out = Vec::new();
            for (k, v) in d.iter() {
                let key = text(&k, n, "component short names or ids as keys")?;
                out.push((key, number(&v, n, "numbers as weights")?));
            }
            Ok(Weights::Named(out))
        } else {
            numbers(o, n).map(Weights::Ordered)
        }
    }
);
param!(
    /// `advanced_level`: a level of the scale.
    AdvancedLevelParam, "advanced_level", f64,
    |o, n| number(o, n, "a level of the rating scale")
);
param!(
    /// `advanced_share`: a fraction.
    AdvancedShareParam, "advanced_share", f64,
    |o, n| number(o, n, "a fraction from 0 to 1")
);
param!(
    /// `draws`: a whole number of draws.
    DrawsParam, "draws", usize,
    |o, n| {
        let v = whole(o, n, 1, i128::MAX)?;
        usize::try_from(v).map_err(|_| {
            InputError::new_err(format!(
                "invalid parameter {n}: {v} (more draws than this machine can count, let alone store)"
            ))
        })
    }
);
param!(
    /// `draws` of a bootstrap interval: a whole number from 0 (0: none).
    BootstrapDrawsParam, "draws", usize,
    |o, n| whole(o, n, 0, i128::MAX).map(|v| usize::try_from(v).unwrap_or(usize::MAX))
);
param!(
    /// `base_rows` of a Saltelli design: a whole number (at least 2, which
    /// the core checks).
    BaseRowsParam, "base_rows", usize,
    |o, n| whole(o, n, 0, i128::MAX).map(|v| usize::try_from(v).unwrap_or(usize::MAX))
);
param!(
    /// `resamples` of a bootstrap interval: a whole number.
    ResamplesParam, "resamples", usize,
    |o, n| whole(o, n, 0, i128::MAX).map(|v| usize::try_from(v).unwrap_or(usize::MAX))
);
param!(
    /// `level` of an interval: a fraction.
    LevelParam, "level", f64,
    |o, n| number(o, n, "a fraction strictly between 0 and 1")
);
param!(
    /// `seed`: a whole number from 0 to 2^64 - 1.
    SeedParam, "seed", u64,
    |o, n| whole(o, n, 0, i128::from(u64::MAX)).map(|v| u64::try_from(v).unwrap_or(u64::MAX))
);
param!(
    /// `n`: how many (a whole number from 0).
    CountParam, "n", usize,
    |o, n| whole(o, n, 0, i128::MAX).map(|v| usize::try_from(v).unwrap_or(usize::MAX))
);
param!(
    /// `min_snapshots`: a whole number from 0 to 2^32 - 1.
    MinSnapshotsParam, "min_snapshots", u32,
    |o, n| whole(o, n, 0, i128::from(u32::MAX)).map(|v| u32::try_from(v).unwrap_or(u32::MAX))
);
param!(
    /// `district`: a district's name.
    DistrictParam, "district", String,
    |o, n| text(o, n, "a district's name")
);
param!(
    /// `n_weakest`: how many (a whole number from 0).
    NWeakestParam, "n_weakest", usize,
    |o, n| whole(o, n, 0, i128::MAX).map(|v| usize::try_from(v).unwrap_or(usize::MAX))
);
param!(
    /// `min_snapshots` of a trajectory: a whole number from 2 (a slope
    /// needs two points).
    TrajectoryMinParam, "min_snapshots", usize,
    |o, n| whole(o, n, 2, i128::MAX).map(|v| usize::try_from(v).unwrap_or(usize::MAX))
);
param!(
    /// `stall_band`: score points per year.
    StallBandParam, "stall_band", f64,
    |o, n| number(o, n, "a number of score points per year")
);
param!(
    /// `memory_limit`: bytes.
    MemoryLimitParam, "memory_limit", u64,
    |o, n| whole(o, n, 1, i128::from(u64::MAX)).map(|v| u64::try_from(v).unwrap_or(u64::MAX))
);
param!(
    /// `rating_noise`: a probability.
    RatingNoiseParam, "rating_noise", f64,
    |o, n| number(o, n, "a probability from 0 to 1")
);
param!(
    /// `weight_alpha`: a Dirichlet concentration.
    WeightAlphaParam, "weight_alpha", f64,
    |o, n| number(o, n, "a positive number")
);
param!(
    /// `bootstrap_elements`: a bool.
    BootstrapParam, "bootstrap_elements", bool, flag
);
param!(
    /// `half_steps`: a bool.
    HalfStepsParam, "half_steps", bool, flag
);
param!(
    /// `y_cut_range`: `(low, high)`.
    YCutRangeParam, "y_cut_range", (f64, f64), pair
);
param!(
    /// `x_cut_range`: `(low, high)`.
    XCutRangeParam, "x_cut_range", (f64, f64), pair
);
fn date_param(o: &Bound<'_, PyAny>, n: &str) -> PyResult<YearMonth> {
    date_cell(o).map_err(|reason| {
        InputError::new_err(format!("invalid parameter {n}: {} ({reason})", show(o)))
    })
}

param!(
    /// `since`: a date.
    SinceParam, "since", YearMonth, date_param
);
param!(
    /// `start`: a date.
    StartParam, "start", YearMonth, date_param
);
param!(
    /// `end`: a date.
    EndParam, "end", YearMonth, date_param
);
param!(
    /// `date`: a date.
    DateParam, "date", YearMonth, date_param
);
param!(
    /// `aggregation` of the simulation: `{"mean_of_means": p, "pooled": q}`
    /// or a pair `(p, q)`.
    AggregationMixParam, "aggregation", (f64, f64),
    |o, n| {
        if let Ok(d) = o.cast::<PyDict>() {
            let mut m = 0.0;
            let mut p = 0.0;
            for (k, v) in d.iter() {
                let key = text(&k, n, "keys \"mean_of_means\" and \"pooled\"")?;
                let val = number(&v, n, "probabilities")?;
                match key.parse::<Aggregation>() {
                    Ok(Aggregation::MeanOfMeans) => m = val,
                    Ok(Aggregation::Pooled) => p = val,
                    _ => {
                        return Err(InputError::new_err(format!(
                            "invalid parameter {n}: unknown key {key:?} (keys are \"mean_of_means\" and \"pooled\")"
                        )))
                    }
                }
            }
            Ok((m, p))
        } else {
            pair(o, n)
        }
    }
);
param!(
    /// `na_values`: texts that mean "not rated".
    NaValuesParam, "na_values", NaValues,
    |o, n| {
        if o.is_instance_of::<PyString>() {
            return Ok(NaValues::new([text(o, n, "")?]));
        }
        let expected = "a text or a sequence of texts";
        let items: Vec<String> = o
            .try_iter()
            .map_err(|_| invalid(n, o, expected))?
            .map(|i| i.and_then(|i| text(&i, n, expected)))
            .collect::<PyResult<_>>()?;
        Ok(NaValues::new(items))
    }
);

/// A date cell: text (as [`YearMonth::parse`] reads it), a date or datetime
/// (its year and month), a monthly pandas Period, a numpy datetime64.
/// Periods of other frequencies are refused rather than mapped to a month.
///
/// # Errors
/// The reason, as text.
pub(crate) fn date_cell(obj: &Bound<'_, PyAny>) -> Result<YearMonth, String> {
    if let Ok(s) = obj.cast::<PyString>() {
        return YearMonth::parse(&s.to_string()).map_err(|e| e.reason.to_string());
    }
    let t = type_name(obj);
    if t == "pandas.Period" {
        let freq: String = obj
            .getattr("freqstr")
            .and_then(|f| f.extract())
            .unwrap_or_default();
        if freq != "M" {
            return Err(format!(
                "a Period of frequency {freq:?}: only monthly Periods are dates here (refused rather than mapped to a month)"
            ));
        }
    }
    if t == "numpy.datetime64" {
        let s = obj.str().map(|s| s.to_string()).unwrap_or_default();
        return YearMonth::parse(&s).map_err(|e| e.reason.to_string());
    }
    if is_bool(obj) || obj.is_instance_of::<PyInt>() || obj.is_instance_of::<PyFloat>() {
        return Err(format!("a {t} is not a date"));
    }
    let year = obj.getattr("year").and_then(|y| y.extract::<i32>());
    let month = obj.getattr("month").and_then(|m| m.extract::<u32>());
    match (year, month) {
        (Ok(y), Ok(m)) => YearMonth::new(y, m).map_err(|e| e.reason.to_string()),
        _ => Err(format!(
            "a {t} is not a date: give text (2016-01, Jan. 2016), a datetime or a monthly Period"
        )),
    }
}

/// District names from a sequence of cells: text, or whole numbers printed
/// as text. Two different keys that print the same (`1` and `"1"`) are an
/// error naming both; a missing name is an error naming the row.
pub(crate) fn districts(seq: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
    let mut out = Vec::new();
    // the printed name -> (first row, the cell's type) of each key
    let mut seen: HashMap<String, (usize, bool)> = HashMap::new();
    for (row, cell) in seq.try_iter()?.enumerate() {
        let cell = cell?;
        let (name, is_text) = if let Ok(s) = cell.cast::<PyString>() {
            (s.to_string(), true)
        } else if !is_bool(&cell) && cell.hasattr("__index__").unwrap_or(false) {
            (cell.str()?.to_string(), false)
        } else {
            let reason = if is_missing(&cell) {
                "a district name is missing".to_owned()
            } else {
                format!(
                    "a district is named by text or a whole number, not a {}",
                    type_name(&cell)
                )
            };
            return Err(super::errors::to_py(Error::InvalidDistrict {
                value: show(&cell),
                row: Some(row),
                reason,
            }));
        };
        if name.trim().is_empty() {
            return Err(super::errors::to_py(Error::InvalidDistrict {
                value: name,
                row: Some(row),
                reason: "a district needs a name that is not empty or only spaces".into(),
            }));
        }
        match seen.get(&name) {
            Some(&(first, was_text)) if was_text != is_text => {
                let (a, b) = if was_text {
                    (
                        format!("{name:?} (text, row {first})"),
                        format!("{name} (a number, row {row})"),
                    )
                } else {
                    (
                        format!("{name} (a number, row {first})"),
                        format!("{name:?} (text, row {row})"),
                    )
                };
                return Err(super::errors::to_py(Error::InvalidDistrict {
                    value: name.clone(),
                    row: Some(row),
                    reason: format!(
                        "two different district keys print the same: {a} and {b}; make the column one type"
                    ),
                }));
            }
            Some(_) => {}
            None => {
                seen.insert(name.clone(), (row, is_text));
            }
        }
        out.push(name);
    }
    Ok(out)
}

/// Dates from either a sequence of date cells, or a `(years, months)` pair
/// of integer arrays (what pandas gives for datetime and monthly period
/// columns). Errors name the district.
pub(crate) fn dates(obj: &Bound<'_, PyAny>, districts: &[String]) -> PyResult<Vec<YearMonth>> {
    if let Ok(t) = obj.cast::<PyTuple>()
        && t.len() == 2
    {
        let years: PyArrayLike1<'_, i64, AllowTypeChange> = t.get_item(0)?.extract()?;
        let months: PyArrayLike1<'_, i64, AllowTypeChange> = t.get_item(1)?.extract()?;
        let (years, months) = (years.as_array(), months.as_array());
        return years
            .iter()
            .zip(months.iter())
            .enumerate()
            .map(|(row, (&y, &m))| {
                let d = i32::try_from(y).ok().zip(u32::try_from(m).ok());
                d.and_then(|(y, m)| YearMonth::new(y, m).ok())
                    .ok_or_else(|| {
                        date_error(
                            districts,
                            row,
                            format!("invalid date {y}-{m:02}"),
                            "not a valid year and month",
                        )
                    })
            })
            .collect();
    }
    let mut out = Vec::with_capacity(districts.len());
    for (row, cell) in obj.try_iter()?.enumerate() {
        let cell = cell?;
        if is_missing(&cell) {
            return Err(date_error(
                districts,
                row,
                "missing date".into(),
                "a date is needed",
            ));
        }
        match date_cell(&cell) {
            Ok(d) => out.push(d),
            Err(reason) => {
                let value = match cell.cast::<PyString>() {
                    Ok(s) => format!("invalid date {:?}", s.to_string()),
                    Err(_) => format!("invalid date {} ({})", show(&cell), type_name(&cell)),
                };
                return Err(date_error(districts, row, value, &reason));
            }
        }
    }
    Ok(out)
}

fn date_error(districts: &[String], row: usize, what: String, reason: &str) -> PyErr {
    let who = districts
        .get(row)
        .map(|d| format!(" for district {d:?}"))
        .unwrap_or_default();
    InputError::new_err(format!("{what}{who} (row {row}): {reason}"))
}

/// Element ids from a sequence of cells: text as given; numbers (what
/// pandas makes of ids like 4.6) matched to the rubric's ids by value, with
/// an error naming the fix when two ids share a value (3.1 and 3.10).
pub(crate) fn element_ids(seq: &Bound<'_, PyAny>, rubric: &Rubric) -> PyResult<Vec<String>> {
    let mut by_value: Option<HashMap<u64, Vec<&str>>> = None;
    let mut out = Vec::new();
    for (row, cell) in seq.try_iter()?.enumerate() {
        let cell = cell?;
        if let Ok(s) = cell.cast::<PyString>() {
            out.push(s.to_string());
            continue;
        }
        if is_missing(&cell) {
            return Err(InputError::new_err(format!(
                "missing element id at row {row}"
            )));
        }
        if is_bool(&cell) {
            return Err(InputError::new_err(format!(
                "element id at row {row} is a bool ({}), not an id",
                show(&cell)
            )));
        }
        let Ok(x) = cell.extract::<f64>() else {
            return Err(InputError::new_err(format!(
                "element id at row {row} is a {}, not text: {}",
                type_name(&cell),
                show(&cell)
            )));
        };
        let index = by_value.get_or_insert_with(|| {
            let mut m: HashMap<u64, Vec<&str>> = HashMap::new();
            for id in rubric.element_ids() {
                if let Ok(v) = id.trim().parse::<f64>() {
                    m.entry(v.to_bits()).or_default().push(id);
                }
            }
            m
        });
        match index.get(&x.to_bits()).map(Vec::as_slice) {
            Some([id]) => out.push((*id).to_owned()),
            Some(ids) => {
                return Err(super::errors::to_py(Error::InvalidColumn {
                    column: format!("element (row {row}: {x})"),
                    rubric: Some(rubric.id().to_owned()),
                    reason: format!(
                        "element ids were read as numbers, and the number {x} stands for several ids ({}); read the element column as text, e.g. pandas.read_csv(..., dtype={{\"element\": str}})",
                        ids.join(", ")
                    ),
                }));
            }
            None => out.push(format!("{x}")),
        }
    }
    Ok(out)
}

/// Which row a cell belongs to, for naming it in an error.
pub(crate) struct CellPlace<'a> {
    pub keys: &'a [SnapshotKey],
    pub elements: ElementsOf<'a>,
}

/// The element of a cell: one per row (long tables) or one per column.
pub(crate) enum ElementsOf<'a> {
    PerRow(&'a [String]),
    Column(&'a str),
}

impl CellPlace<'_> {
    fn error(&self, row: usize, cell: &Bound<'_, PyAny>, reason: String) -> PyErr {
        let Some(key) = self.keys.get(row) else {
            return super::errors::to_py(Error::LengthMismatch {
                what: "ratings for the rows",
                expected: self.keys.len(),
                found: row + 1,
            });
        };
        let (district, date) = (key.district.clone(), key.date);
        let element = match &self.elements {
            ElementsOf::PerRow(e) => e.get(row).cloned().unwrap_or_default(),
            ElementsOf::Column(c) => (*c).to_owned(),
        };
        super::errors::to_py(Error::InvalidCell {
            district,
            date,
            element,
            value: format!("{} ({})", show(cell), type_name(cell)),
            reason,
        })
    }
}

/// Ratings from a column: a numeric numpy array as it is (floats and
/// integers; never bools, complex numbers, dates or durations), or a
/// sequence of cells, each a number, a missing marker, or text read by
/// [`NaValues::rating_on`]. Errors name the cell's district, date and element.
pub(crate) fn ratings(
    obj: &Bound<'_, PyAny>,
    na: &NaValues,
    scale: &crate::Scale,
    place: &CellPlace<'_>,
) -> PyResult<Vec<f64>> {
    if let Ok(arr) = obj.cast::<PyUntypedArray>() {
        let kind = arr.dtype().kind();
        if matches!(kind, b'f' | b'i' | b'u') && arr.ndim() == 1 {
            // aligned native float64 (a copy only when it is not already)
            let np = obj.py().import("numpy")?;
            let ready = np.call_method1("require", (obj, "float64", "A"))?;
            let a: numpy::PyReadonlyArray1<'_, f64> = ready.extract()?;
            return Ok(a.as_array().to_vec());
        }
    }
    let mut out = Vec::new();
    for (row, cell) in obj.try_iter()?.enumerate() {
        let cell = cell?;
        out.push(rating_cell(&cell, na, scale).map_err(|r| place.error(row, &cell, r))?);
    }
    Ok(out)
}

/// One rating cell.
pub(crate) fn rating_cell(
    cell: &Bound<'_, PyAny>,
    na: &NaValues,
    scale: &crate::Scale,
) -> Result<f64, String> {
    if is_missing(cell) {
        return Ok(f64::NAN);
    }
    if let Ok(s) = cell.cast::<PyString>() {
        return na.rating_on(&s.to_string(), scale);
    }
    if is_bool(cell) {
        return Err("a bool is not a rating".into());
    }
    let t = type_name(cell);
    if t.contains("complex")
        || t.contains("datetime")
        || t.contains("timedelta")
        || t.contains("Timestamp")
        || t.contains("Timedelta")
        || t.contains("Period")
        || t == "bytes"
    {
        return Err(format!("a {t} is not a rating"));
    }
    cell.extract::<f64>()
        .map_err(|_| format!("a {t} is not a rating: ratings are numbers"))
}
