//! The one conversion of results into Python: a core [`Table`] becomes a
//! dict with the keys `name`, `index`, `columns` and `attrs` that the
//! package's single adapter (`portfolio_snapshot._frames`) turns into a
//! pandas `DataFrame`. Arrays are moved, not copied.

use numpy::IntoPyArray;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::table::{Attr, Column, Table};

/// A column as Python: an array, a list of text, or a tagged dict for
/// categories, months and blocks of columns.
fn column(py: Python<'_>, c: Column) -> PyResult<Bound<'_, PyAny>> {
    Ok(match c {
        Column::Float(a) => a.into_pyarray(py).into_any(),
        Column::Bool(v) => v.into_pyarray(py).into_any(),
        Column::Int(v) => v.into_pyarray(py).into_any(),
        Column::Text(v) => PyList::new(py, v)?.into_any(),
        Column::OptText(v) => {
            let d = PyDict::new(py);
            d.set_item("kind", "optional_text")?;
            d.set_item("values", v)?;
            d.into_any()
        }
        Column::OptInt(v) => {
            let d = PyDict::new(py);
            d.set_item("kind", "optional_int")?;
            d.set_item("values", v)?;
            d.into_any()
        }
        Column::Category { categories, codes } => {
            let d = PyDict::new(py);
            d.set_item("kind", "category")?;
            d.set_item("categories", categories)?;
            d.set_item("codes", codes.into_pyarray(py))?;
            d.into_any()
        }
        Column::Month(v) => {
            let d = PyDict::new(py);
            d.set_item("kind", "month")?;
            d.set_item(
                "values",
                v.iter()
                    .map(|m| m.map(|m| m.to_string()))
                    .collect::<Vec<_>>(),
            )?;
            d.into_any()
        }
        Column::Block { names, values } => {
            let d = PyDict::new(py);
            d.set_item("kind", "block")?;
            d.set_item("names", names)?;
            d.set_item("values", values.into_pyarray(py))?;
            d.into_any()
        }
    })
}

/// An attribute as Python.
pub(crate) fn attr(py: Python<'_>, a: Attr) -> PyResult<Bound<'_, PyAny>> {
    Ok(match a {
        Attr::Null => py.None().into_bound(py),
        Attr::Text(s) => s.into_pyobject(py)?.into_any(),
        Attr::Float(x) => x.into_pyobject(py)?.into_any(),
        Attr::Int(x) => x.into_pyobject(py)?.into_any(),
        Attr::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        Attr::Texts(v) => PyList::new(py, v)?.into_any(),
        Attr::Floats(v) => {
            let d = PyDict::new(py);
            for (k, x) in v {
                d.set_item(k, x)?;
            }
            d.into_any()
        }
        Attr::Counts(v) => {
            let d = PyDict::new(py);
            for (k, x) in v {
                d.set_item(k, x)?;
            }
            d.into_any()
        }
        Attr::Map(v) => {
            let d = PyDict::new(py);
            for (k, x) in v {
                d.set_item(k, attr(py, x)?)?;
            }
            d.into_any()
        }
        Attr::Pairs(v) => {
            let d = PyDict::new(py);
            for (k, x) in v {
                d.set_item(k, x)?;
            }
            d.into_any()
        }
    })
}

/// A table as a Python dict.
pub(crate) fn to_py(py: Python<'_>, t: Table) -> PyResult<Bound<'_, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("name", t.name)?;
    d.set_item("index", t.index)?;
    let cols = PyDict::new(py);
    for (name, c) in t.columns {
        cols.set_item(name, column(py, c)?)?;
    }
    d.set_item("columns", cols)?;
    let attrs = PyDict::new(py);
    for (name, a) in t.attrs {
        attrs.set_item(name, attr(py, a)?)?;
    }
    d.set_item("attrs", attrs)?;
    Ok(d)
}
