//! Reading one cell of a ratings table: numbers, text, the markers that
//! mean "not rated", and the labels of the scale's levels.

use crate::scale::Scale;

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

    /// A rating from text as [`NaValues::rating`] reads it, or else the
    /// level of `scale` whose label it is (ignoring letter case and spaces
    /// around it): `"National exemplar"` is 5 on CRPE's scale.
    ///
    /// # Errors
    /// The reason, naming the labels, for a text that is none of these.
    ///
    /// # Examples
    /// ```
    /// use portfolio_snapshot::{NaValues, Rubric};
    /// let scale = Rubric::crpe_2016().scale().clone();
    /// let na = NaValues::default();
    /// assert_eq!(na.rating_on(" national exemplar", &scale).unwrap(), 5.0);
    /// assert_eq!(na.rating_on("2", &scale).unwrap(), 2.0);
    /// assert!(na.rating_on("Exemplar", &scale).unwrap_err().contains("\"National exemplar\""));
    /// ```
    pub fn rating_on(&self, text: &str, scale: &Scale) -> Result<f64, String> {
        self.rating(text).or_else(|reason| {
            let t = text.trim();
            let labelled = || {
                scale
                    .levels
                    .iter()
                    .filter_map(|l| Some((l.label.as_deref()?, l.value)))
            };
            labelled()
                .find(|(label, _)| label.trim().eq_ignore_ascii_case(t))
                .map(|(_, value)| value)
                .ok_or_else(|| {
                    let labels: Vec<String> = labelled()
                        .map(|(label, value)| format!("{label:?} ({value})"))
                        .collect();
                    if labels.is_empty() {
                        reason
                    } else {
                        format!("{reason}, or a level's label: {}", labels.join(", "))
                    }
                })
        })
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
