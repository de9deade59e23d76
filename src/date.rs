//! Snapshot dates: a year and a month.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result};

/// A snapshot date: a year and a month (snapshots were taken in January and
/// July). Ordered chronologically; written and parsed as `YYYY-MM`.
///
/// Only `YYYY-MM` is parsed, so no date crate is needed; the Python layer turns
/// datetimes and pandas Periods into this form.
///
/// # Examples
/// ```
/// use portfolio_snapshot::YearMonth;
/// let d: YearMonth = "2014-01".parse()?;
/// assert_eq!(d, YearMonth::new(2014, 1)?);
/// assert!(d < YearMonth::new(2014, 7)?);
/// assert_eq!(d.to_string(), "2014-01");
/// # Ok::<(), portfolio_snapshot::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    year: i32,
    month: u8,
}

impl YearMonth {
    /// A date from a year (0 to 9999) and a month (1 to 12).
    ///
    /// # Errors
    /// [`Error::InvalidDate`] when the month is not 1 to 12 or the year not
    /// 0 to 9999.
    pub fn new(year: i32, month: u32) -> Result<Self> {
        if !(1..=12).contains(&month) || !(0..=9999).contains(&year) {
            return Err(Error::InvalidDate {
                value: format!("{year:04}-{month:02}"),
                district: None,
            });
        }
        Ok(Self {
            year,
            #[allow(clippy::cast_possible_truncation)] // checked to be 1..=12 above
            month: month as u8,
        })
    }

    /// The year.
    #[must_use]
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month, 1 to 12.
    #[must_use]
    pub fn month(self) -> u32 {
        u32::from(self.month)
    }

    /// Months since year 0, month 1: a count for arithmetic on dates.
    #[must_use]
    pub fn month_index(self) -> i64 {
        i64::from(self.year) * 12 + i64::from(self.month) - 1
    }

    /// The date `n` months later (earlier when `n` is negative).
    ///
    /// # Errors
    /// [`Error::InvalidDate`] when the result leaves the years 0 to 9999.
    pub fn add_months(self, n: i64) -> Result<Self> {
        let idx = self.month_index() + n;
        let year = idx.div_euclid(12);
        let month = idx.rem_euclid(12) + 1;
        match i32::try_from(year) {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // 1..=12
            Ok(y) => Self::new(y, month as u32),
            Err(_) => Err(Error::InvalidDate {
                value: format!("{year}-{month:02}"),
                district: None,
            }),
        }
    }
}

impl YearMonth {
    /// Parse `YYYY-MM` for a record of `district`; the error names both.
    ///
    /// # Errors
    /// [`Error::InvalidDate`] with the district set.
    pub fn parse_for(text: &str, district: &str) -> Result<Self> {
        text.parse().map_err(|_| Error::InvalidDate {
            value: text.to_owned(),
            district: Some(district.to_owned()),
        })
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for YearMonth {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        let bad = || Error::InvalidDate {
            value: s.to_owned(),
            district: None,
        };
        let t = s.trim();
        let (y, m) = t.split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 || !y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u32 = m.parse().map_err(|_| bad())?;
        Self::new(year, month).map_err(|_| bad())
    }
}

impl Serialize for YearMonth {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for YearMonth {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}
