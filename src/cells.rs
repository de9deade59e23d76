//! Reading one cell of a ratings table: numbers, text, and the markers that
//! mean "not rated".

/// The texts that mean "not rated" by default: an empty cell, `NA`, `N/A`,
/// `n/a`, `-`, `.`, and `NaN` / `nan` (what numpy prints for a missing
/// float). Leading and trailing spaces are ignored.
pub const DEFAULT_NA_VALUES: [&str; 8] = ["", "NA", "N/A", "n/a", "-", ".", "NaN", "nan"];

/// The texts that mean "not rated" in a ratings table.
///
/// # Examples
/// ```
/// use portfolio_snapshot::NaValues;
/// let na = NaValues::default();
/// assert_eq!(na.rating("3").unwrap(), 3.0);
/// assert!(na.rating(" N/A ").unwrap().is_nan());
/// assert!(na.rating("three").is_err());
/// let strict = NaValues::new(["missing"]);
/// assert!(strict.rating("NA").is_err());
/// assert!(strict.rating("").unwrap().is_nan()); // an empty cell is always "not rated"
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NaValues {
    values: Vec<String>,
}

impl Default for NaValues {
    fn default() -> Self {
        Self::new(DEFAULT_NA_VALUES)
    }
}

impl NaValues {
    /// These texts (compared after trimming spaces) mean "not rated"; an
    /// empty cell always does.
    pub fn new<S: AsRef<str>>(values: impl IntoIterator<Item = S>) -> Self {
        let mut values: Vec<String> = values
            .into_iter()
            .map(|s| s.as_ref().trim().to_owned())
            .collect();
        if !values.iter().any(String::is_empty) {
            values.push(String::new());
        }
        Self { values }
    }

    /// The texts, as given (trimmed).
    #[must_use]
    pub fn values(&self) -> &[String] {
        &self.values
    }

    /// Whether `text` means "not rated".
    #[must_use]
    pub fn is_na(&self, text: &str) -> bool {
        let t = text.trim();
        self.values.iter().any(|v| v == t)
    }

    /// A rating from text: NaN for a "not rated" marker, the number for a
    /// decimal number (`3`, `3.0`, `2.5`, `+4`, `3e0`), else an error saying
    /// what a rating may be. Range and allowed values are checked later, by
    /// the panel.
    ///
    /// # Errors
    /// The reason, for a text that is neither.
    pub fn rating(&self, text: &str) -> Result<f64, String> {
        if self.is_na(text) {
            return Ok(f64::NAN);
        }
        let t = text.trim();
        let numeric = t
            .bytes()
            .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
            && t.bytes().any(|b| b.is_ascii_digit());
        match t.parse::<f64>() {
            Ok(v) if numeric => Ok(v),
            _ => Err(format!(
                "a rating is a number or one of the \"not rated\" markers {}",
                self.describe()
            )),
        }
    }

    /// The markers as a person reads them: `"", "NA", "N/A"`.
    #[must_use]
    pub fn describe(&self) -> String {
        self.values
            .iter()
            .map(|v| format!("{v:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}
