//! The crate's one error type.
//!
//! Every variant carries what a user needs to find the offending input: the
//! district, the date, the element and the value, or the file and field.

use std::path::PathBuf;

use crate::date::{DateError, DateReason, YearMonth};

/// Everything that can go wrong in `portfolio-snapshot`.
///
/// Messages are lowercase and name the offending thing. Bad input never
/// panics; it comes back as one of these.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A rubric failed validation (see [`crate::Rubric::new`]).
    #[error("invalid rubric{}: {field}: {reason}", origin_suffix(.origin.as_deref()))]
    InvalidRubric {
        /// Where the rubric came from (a path), if it came from a file.
        origin: Option<String>,
        /// The offending field, e.g. `components[2].elements[0].id`.
        field: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A rubric file or text could not be parsed as JSON or TOML.
    #[error("cannot parse rubric {format}{}: {message}", origin_suffix(.origin.as_deref()))]
    RubricParse {
        /// `"JSON"` or `"TOML"`.
        format: &'static str,
        /// Where the text came from (a path), if it came from a file.
        origin: Option<String>,
        /// The parser's message, with line and column where it gives them.
        message: String,
    },
    /// A file could not be read.
    #[error("cannot read {}: {source}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A rating lies outside the rubric's scale.
    #[error(
        "rating out of scale for district {district:?}, date {date}, element {element:?}: {} (the scale runs from {} to {})", num(*.value), num(*.min), num(*.max)
    )]
    RatingOutOfScale {
        /// District of the snapshot.
        district: String,
        /// Date of the snapshot.
        date: YearMonth,
        /// Element id.
        element: String,
        /// The rating as given.
        value: f64,
        /// Lowest level of the scale.
        min: f64,
        /// Highest level of the scale.
        max: f64,
    },
    /// A rating inside the scale that is not an allowed value (e.g. 2.5 when
    /// half steps are not allowed).
    #[error(
        "rating not allowed for district {district:?}, date {date}, element {element:?}: {} (allowed: {allowed})", num(*.value)
    )]
    RatingNotAllowed {
        /// District of the snapshot.
        district: String,
        /// Date of the snapshot.
        date: YearMonth,
        /// Element id.
        element: String,
        /// The rating as given.
        value: f64,
        /// The allowed values, listed.
        allowed: String,
    },
    /// A rating is +inf or -inf; only NaN means "not rated".
    #[error(
        "infinite rating for district {district:?}, date {date}, element {element:?}: {} (use NaN for \"not rated\")", num(*.value)
    )]
    InfiniteRating {
        /// District of the snapshot.
        district: String,
        /// Date of the snapshot.
        date: YearMonth,
        /// Element id.
        element: String,
        /// The rating as given.
        value: f64,
    },
    /// An element id that the rubric does not have.
    #[error("unknown element id {element:?}{}{} (rubric {rubric:?} has: {})", context_suffix(.district.as_deref(), .date.as_ref()), .hint.as_deref().map(|h| format!("; {h}")).unwrap_or_default(), .expected.join(", "))]
    UnknownElement {
        /// The unknown id.
        element: String,
        /// The rubric's id.
        rubric: Box<str>,
        /// The district of the record, where the input is per record.
        district: Option<String>,
        /// The date of the record, where the input is per record.
        date: Option<YearMonth>,
        /// The rubric's element ids.
        expected: Box<[String]>,
        /// What the input looks like instead, where that can be guessed
        /// (another built-in rubric's ids).
        hint: Option<Box<str>>,
    },
    /// Element columns the rubric has but the input lacks.
    #[error("missing element columns for rubric {rubric:?}: {} (got: {})", .missing.join(", "), .found.join(", "))]
    MissingElements {
        /// The rubric's id.
        rubric: String,
        /// Element ids not present in the input.
        missing: Vec<String>,
        /// Column ids the input did have.
        found: Vec<String>,
    },
    /// A ratings matrix whose number of columns is not the rubric's number of
    /// elements.
    #[error("ratings matrix has {found} columns but rubric {rubric:?} has {expected} elements")]
    WidthMismatch {
        /// The rubric's id.
        rubric: String,
        /// The rubric's number of elements.
        expected: usize,
        /// The matrix's number of columns.
        found: usize,
    },
    /// Keys and matrix rows (or weights and components) disagree in number.
    #[error("{what}: expected {expected}, got {found}")]
    LengthMismatch {
        /// What was counted.
        what: &'static str,
        /// The expected count.
        expected: usize,
        /// The count given.
        found: usize,
    },
    /// Two snapshots with the same district and date.
    #[error("duplicate snapshot for district {district:?}, date {date}")]
    DuplicateSnapshot {
        /// The district.
        district: String,
        /// The date.
        date: YearMonth,
    },
    /// One snapshot rated under two rubric versions (see
    /// [`crate::MixedPanel`]).
    #[error(
        "district {district:?}, date {date} is rated under both rubric {first:?} and {second:?}: a snapshot can follow one version only"
    )]
    SnapshotInTwoVersions {
        /// The district.
        district: String,
        /// The date.
        date: YearMonth,
        /// One rubric id.
        first: String,
        /// The other.
        second: String,
    },
    /// Two ratings for the same district, date and element.
    #[error(
        "duplicate rating for district {district:?}, date {date}, element {element:?}: {} and {}", num(*.first), num(*.second)
    )]
    DuplicateRating {
        /// The district.
        district: String,
        /// The date.
        date: YearMonth,
        /// The element id.
        element: String,
        /// The first rating seen.
        first: f64,
        /// The second rating seen.
        second: f64,
    },
    /// A panel with no snapshots.
    #[error("empty panel: no snapshots were given")]
    EmptyPanel,
    /// A missing rating under [`crate::MissingPolicy::Strict`].
    #[error(
        "missing rating for district {district:?}, date {date}, element {element:?} (missing = strict)"
    )]
    MissingRating {
        /// The district.
        district: String,
        /// The date.
        date: YearMonth,
        /// The element id.
        element: String,
    },
    /// A missing value in a bare matrix under [`crate::MissingPolicy::Strict`].
    #[error("missing rating at row {row}, element {element:?} (missing = strict)")]
    MissingValue {
        /// Row of the matrix.
        row: usize,
        /// The element id.
        element: String,
    },
    /// A value of a bare ratings matrix that is infinite or outside the scale.
    #[error(
        "invalid rating at row {row}, element {element:?}: {} (must be NaN or between {} and {})", num(*.value), num(*.min), num(*.max)
    )]
    InvalidMatrixValue {
        /// Row of the matrix.
        row: usize,
        /// The element id.
        element: String,
        /// The value given.
        value: f64,
        /// Lowest level of the scale.
        min: f64,
        /// Highest level of the scale.
        max: f64,
    },
    /// A date that cannot be read (see [`YearMonth::parse`]).
    #[error("invalid date {value:?}{}: {reason}", context_suffix(.district.as_deref(), None))]
    InvalidDate {
        /// The text given.
        value: String,
        /// The district of the record, where the date belongs to one.
        district: Option<String>,
        /// What is wrong with it.
        reason: DateReason,
    },
    /// A district name that cannot be a key: empty or only spaces, or two
    /// different keys that print the same.
    #[error("invalid district {value:?}{}: {reason}", row_suffix(*.row))]
    InvalidDistrict {
        /// The name as given.
        value: String,
        /// The 0-based row of the input, where known.
        row: Option<usize>,
        /// What is wrong with it.
        reason: String,
    },
    /// A cell of a ratings table that is not a rating: text that is not a
    /// number and not a "not rated" marker, a bool, a date.
    #[error(
        "not a rating for district {district:?}, date {date}, element {element:?}: {value} ({reason})"
    )]
    InvalidCell {
        /// District of the row.
        district: String,
        /// Date of the row.
        date: YearMonth,
        /// Element id of the cell.
        element: String,
        /// The cell, as text (with its type where that is the problem).
        value: String,
        /// What a rating may be.
        reason: String,
    },
    /// A column of a table that the input cannot have: not an element of the
    /// rubric (wide tables), repeated, or unnamed.
    #[error("column {column:?}{}: {reason}", rubric_suffix(.rubric.as_deref()))]
    InvalidColumn {
        /// The column's name.
        column: String,
        /// The rubric, where the column was checked against one.
        rubric: Option<String>,
        /// What is wrong with it.
        reason: String,
    },
    /// A rubric source that is neither a readable file nor rubric text.
    #[error("cannot read rubric source {source_text:?}: {reason}")]
    RubricSource {
        /// The source as given (shortened if long).
        source_text: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A request whose work or memory exceeds a limit, refused before
    /// anything is allocated.
    #[error("{what} too large: {asked} exceeds the limit of {limit}{}", hint_suffix(.hint))]
    TooLarge {
        /// What was asked for (`"draws"`, `"simulation output"`).
        what: &'static str,
        /// The size asked for, with its unit.
        asked: String,
        /// The limit, with its unit.
        limit: String,
        /// How to go beyond the limit, if one can.
        hint: &'static str,
    },
    /// A long computation stopped because its [`crate::Control`] was
    /// cancelled (from Python: Ctrl-C, which raises `KeyboardInterrupt`).
    #[error("cancelled: {what} stopped before it finished")]
    Cancelled {
        /// The computation.
        what: &'static str,
    },
    /// An option with a value it cannot take.
    #[error("invalid parameter {name}: {value} ({reason})")]
    InvalidParameter {
        /// The parameter's name.
        name: &'static str,
        /// The value given, as text.
        value: String,
        /// What it may be.
        reason: String,
    },
    /// A CSV file or record that cannot be read.
    #[error("cannot read CSV{}{}: {message}", origin_suffix(.origin.as_deref()), line_suffix(*.line))]
    Csv {
        /// Where the CSV came from (a path), if it came from a file.
        origin: Option<String>,
        /// The 1-based line, where known.
        line: Option<u64>,
        /// What is wrong.
        message: String,
    },
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

fn origin_suffix(origin: Option<&str>) -> String {
    origin.map(|o| format!(" {o}")).unwrap_or_default()
}

fn line_suffix(line: Option<u64>) -> String {
    line.map(|l| format!(", line {l}")).unwrap_or_default()
}

/// A number as a person reads it in a message: whole numbers without a
/// decimal point (`6`, not `6.0`), others in their shortest form, large and
/// small ones with an exponent (`1e308`, not 309 digits).
#[must_use]
pub fn num(x: f64) -> String {
    if x.is_finite() && x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else if x.is_finite() && (x.abs() >= 1e15 || (x != 0.0 && x.abs() < 1e-6)) {
        format!("{x:e}")
    } else {
        x.to_string()
    }
}

fn row_suffix(row: Option<usize>) -> String {
    row.map(|r| format!(" at row {r}")).unwrap_or_default()
}

fn rubric_suffix(rubric: Option<&str>) -> String {
    rubric
        .map(|r| format!(" (rubric {r:?})"))
        .unwrap_or_default()
}

fn hint_suffix(hint: &str) -> String {
    if hint.is_empty() {
        String::new()
    } else {
        format!("; {hint}")
    }
}

impl From<DateError> for Error {
    fn from(e: DateError) -> Self {
        Error::InvalidDate {
            value: e.text,
            district: None,
            reason: e.reason,
        }
    }
}

impl Error {
    /// The same error with the district set, where the variant has one and
    /// it is unset (for errors raised below the level that knows it).
    #[must_use]
    pub fn for_district(self, name: &str) -> Self {
        match self {
            Error::InvalidDate {
                value,
                district: None,
                reason,
            } => Error::InvalidDate {
                value,
                district: Some(name.to_owned()),
                reason,
            },
            other => other,
        }
    }
}

fn context_suffix(district: Option<&str>, date: Option<&YearMonth>) -> String {
    match (district, date) {
        (Some(d), Some(t)) => format!(" for district {d:?}, date {t}"),
        (Some(d), None) => format!(" for district {d:?}"),
        _ => String::new(),
    }
}
