//! The Python exception hierarchy and the one place errors are mapped to it.

use pyo3::PyErr;
use pyo3::exceptions::PyValueError;

use crate::Error;

pyo3::create_exception!(
    portfolio_snapshot._core,
    PortfolioError,
    PyValueError,
    "Base of every error raised by portfolio_snapshot (a ValueError)."
);
pyo3::create_exception!(
    portfolio_snapshot._core,
    RubricError,
    PortfolioError,
    "An invalid or unreadable rubric, or a rubric source that is neither a file nor rubric text (names the source and field)."
);
pyo3::create_exception!(
    portfolio_snapshot._core,
    RatingError,
    PortfolioError,
    "A rating that is out of scale, not allowed, infinite, not a number, or missing under the strict policy (names district, date, element and value)."
);
pyo3::create_exception!(
    portfolio_snapshot._core,
    ShapeError,
    PortfolioError,
    "Unknown or missing element ids, a column that cannot be in the table, a matrix of the wrong width, mismatched lengths or an empty panel."
);
pyo3::create_exception!(
    portfolio_snapshot._core,
    DuplicateError,
    PortfolioError,
    "A repeated (district, date) snapshot or (district, date, element) rating."
);
pyo3::create_exception!(
    portfolio_snapshot._core,
    InputError,
    PortfolioError,
    "An unreadable input: a bad date or district name, a CSV line, a file that cannot be read, an option with a value it cannot take, or a request too large to run."
);

/// Map a core error to its Python exception. The match is exhaustive: a new
/// variant must be placed in the hierarchy here.
pub fn to_py(e: Error) -> PyErr {
    let msg = e.to_string();
    match e {
        Error::InvalidRubric { .. } | Error::RubricParse { .. } | Error::RubricSource { .. } => {
            RubricError::new_err(msg)
        }
        Error::RatingOutOfScale { .. }
        | Error::RatingNotAllowed { .. }
        | Error::InfiniteRating { .. }
        | Error::InvalidMatrixValue { .. }
        | Error::InvalidCell { .. }
        | Error::MissingRating { .. }
        | Error::MissingValue { .. } => RatingError::new_err(msg),
        Error::UnknownElement { .. }
        | Error::MissingElements { .. }
        | Error::InvalidColumn { .. }
        | Error::WidthMismatch { .. }
        | Error::LengthMismatch { .. }
        | Error::EmptyPanel => ShapeError::new_err(msg),
        Error::DuplicateSnapshot { .. }
        | Error::SnapshotInTwoVersions { .. }
        | Error::DuplicateRating { .. } => DuplicateError::new_err(msg),
        Error::Io { .. }
        | Error::InvalidDate { .. }
        | Error::InvalidDistrict { .. }
        | Error::InvalidParameter { .. }
        | Error::TooLarge { .. }
        | Error::Csv { .. } => InputError::new_err(msg),
        Error::Cancelled { .. } => PortfolioError::new_err(msg),
    }
}
