//! Snapshot dates: a year and a month, and the text forms they are read from.
//!
//! This module is a leaf: it depends on nothing else in the crate, so its own
//! small error type [`DateError`] is turned into the crate's [`crate::Error`]
//! by the caller that knows the district.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A snapshot date: a year and a month (snapshots were taken in January and
/// July). Ordered chronologically; written as `YYYY-MM`.
///
/// Text is read in the forms researchers write dates in (see
/// [`YearMonth::parse`]): `2014-01`, `2014-01-15`, `2014-01-15 00:00:00`,
/// `Jan. 2014`, `January 2014`.
///
/// # Examples
/// ```
/// use portfolio_snapshot::YearMonth;
/// let d: YearMonth = "2014-01".parse()?;
/// assert_eq!(d, YearMonth::new(2014, 1)?);
/// assert_eq!(YearMonth::parse("Jan. 2014")?, d);
/// assert_eq!(YearMonth::parse("2014-01-31")?, d);
/// assert!(d < YearMonth::new(2014, 7)?);
/// assert_eq!(d.to_string(), "2014-01");
/// # Ok::<(), portfolio_snapshot::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    year: i32,
    month: u8,
}

/// A date that could not be read: the text and why. The crate's
/// [`crate::Error::InvalidDate`] carries both, with the district where known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError {
    /// The text (or the year and month) given.
    pub text: String,
    /// What is wrong with it.
    pub reason: DateReason,
}

impl DateError {
    fn new(text: impl Into<String>, reason: DateReason) -> Self {
        Self {
            text: text.into(),
            reason,
        }
    }
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid date {:?}: {}", self.text, self.reason)
    }
}

impl std::error::Error for DateError {}

/// Why a date could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DateReason {
    /// The text is in none of the accepted forms.
    Unrecognised,
    /// The year is outside 1 to 9999.
    YearOutOfRange,
    /// The month is outside 1 to 12.
    MonthOutOfRange,
    /// The day is not a day of that month.
    DayOutOfRange,
}

impl fmt::Display for DateReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Unrecognised => {
                "expected YYYY-MM, an ISO date (YYYY-MM-DD, optionally with a time) or a month name and year (\"Jan. 2016\", \"July 2014\")"
            }
            Self::YearOutOfRange => "the year must be from 1 to 9999",
            Self::MonthOutOfRange => "the month must be from 1 to 12",
            Self::DayOutOfRange => "the day is not a day of that month",
        })
    }
}

/// English month names; a prefix of at least three letters is accepted
/// ("Jan", "Sept", "September").
const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

impl YearMonth {
    /// A date from a year (1 to 9999) and a month (1 to 12).
    ///
    /// # Errors
    /// A [`DateError`] ([`DateReason::YearOutOfRange`] or
    /// [`DateReason::MonthOutOfRange`]); `?` turns it into
    /// [`crate::Error::InvalidDate`].
    pub fn new(year: i32, month: u32) -> Result<Self, DateError> {
        Self::checked(year, month).map_err(|r| DateError::new(format!("{year:04}-{month:02}"), r))
    }

    fn checked(year: i32, month: u32) -> Result<Self, DateReason> {
        if !(1..=9999).contains(&year) {
            return Err(DateReason::YearOutOfRange);
        }
        if !(1..=12).contains(&month) {
            return Err(DateReason::MonthOutOfRange);
        }
        Ok(Self {
            year,
            #[allow(clippy::cast_possible_truncation)] // checked to be 1..=12 above
            month: month as u8,
        })
    }

    /// Read a date from text. Accepted, with surrounding spaces ignored:
    ///
    /// - `YYYY-MM` (also `YYYY/MM`), the form the library writes;
    /// - an ISO date `YYYY-MM-DD`, optionally followed by a time
    ///   (`2015-07-01 00:00:00`, `2015-07-01T12:00`): its month;
    /// - a month name or its abbreviation, with or without a period, then a
    ///   four-digit year: `Jan. 2016`, `Jan 2016`, `January 2016`,
    ///   `Sept. 2015`, `July, 2014` (any letter case).
    ///
    /// Two-digit years ("Jan-16") are refused: the century is a guess.
    ///
    /// # Errors
    /// A [`DateError`] with the text and what is wrong.
    pub fn parse(text: &str) -> Result<Self, DateError> {
        let t = text.trim();
        let parsed = if t.as_bytes().first().is_some_and(u8::is_ascii_digit) {
            Self::parse_numeric(t)
        } else {
            Self::parse_named(t)
        };
        parsed.map_err(|r| DateError::new(text, r))
    }

    fn parse_numeric(t: &str) -> Result<Self, DateReason> {
        // the date part ends at a space or a 'T' (a time may follow)
        let (date, time) = match t.find([' ', 'T', 't']) {
            Some(i) => (&t[..i], Some(t[i + 1..].trim())),
            None => (t, None),
        };
        if let Some(time) = time
            && !valid_time(time)
        {
            return Err(DateReason::Unrecognised);
        }
        let parts: Vec<&str> = date.split(['-', '/']).collect();
        let digits = |s: &str, lo: usize, hi: usize| {
            (lo..=hi).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
        };
        match parts.as_slice() {
            [y, m] if time.is_none() && digits(y, 4, 4) && digits(m, 1, 2) => {
                Self::from_parts(y, m, None)
            }
            [y, m, d] if digits(y, 4, 4) && digits(m, 1, 2) && digits(d, 1, 2) => {
                Self::from_parts(y, m, Some(d))
            }
            _ => Err(DateReason::Unrecognised),
        }
    }

    fn from_parts(y: &str, m: &str, d: Option<&str>) -> Result<Self, DateReason> {
        let year: i32 = y.parse().map_err(|_| DateReason::Unrecognised)?;
        let month: u32 = m.parse().map_err(|_| DateReason::Unrecognised)?;
        let ym = Self::checked(year, month)?;
        if let Some(d) = d {
            let day: u32 = d.parse().map_err(|_| DateReason::Unrecognised)?;
            if day == 0 || day > ym.days_in_month() {
                return Err(DateReason::DayOutOfRange);
            }
        }
        Ok(ym)
    }

    fn parse_named(t: &str) -> Result<Self, DateReason> {
        let letters = t.bytes().take_while(u8::is_ascii_alphabetic).count();
        if letters < 3 {
            return Err(DateReason::Unrecognised);
        }
        let name = t[..letters].to_ascii_lowercase();
        let month = MONTHS
            .iter()
            .position(|m| m.starts_with(&name))
            .ok_or(DateReason::Unrecognised)?;
        let rest = t[letters..].strip_prefix('.').unwrap_or(&t[letters..]);
        let rest = rest.trim_start();
        let rest = rest.strip_prefix(',').unwrap_or(rest).trim_start();
        if rest.len() != 4 || !rest.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DateReason::Unrecognised);
        }
        let year: i32 = rest.parse().map_err(|_| DateReason::Unrecognised)?;
        #[allow(clippy::cast_possible_truncation)] // 0..12
        Self::checked(year, month as u32 + 1)
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

    /// Number of days in this month (leap years by the Gregorian rule).
    #[must_use]
    pub fn days_in_month(self) -> u32 {
        match self.month {
            2 if (self.year % 4 == 0 && self.year % 100 != 0) || self.year % 400 == 0 => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }

    /// Months since year 0, month 1: a count for arithmetic on dates.
    #[must_use]
    pub fn month_index(self) -> i64 {
        i64::from(self.year) * 12 + i64::from(self.month) - 1
    }

    /// The date as a fractional year: `year + (month - 1) / 12`
    /// (January 2014 is 2014.0, July 2014 is 2014.5).
    #[must_use]
    pub fn fractional_year(self) -> f64 {
        f64::from(self.year) + f64::from(self.month - 1) / 12.0
    }

    /// The date `n` months later (earlier when `n` is negative).
    ///
    /// # Errors
    /// A [`DateError`] ([`DateReason::YearOutOfRange`]) when the result
    /// leaves the years 1 to 9999.
    pub fn add_months(self, n: i64) -> Result<Self, DateError> {
        let out_of_range =
            || DateError::new(format!("{self} + {n} months"), DateReason::YearOutOfRange);
        let idx = self.month_index().checked_add(n).ok_or_else(out_of_range)?;
        let year = i32::try_from(idx.div_euclid(12)).map_err(|_| out_of_range())?;
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // 1..=12
        let month = (idx.rem_euclid(12) + 1) as u32;
        Self::checked(year, month).map_err(|_| out_of_range())
    }
}

/// A time of day as ISO 8601 writes it after a date: `HH:MM`, `HH:MM:SS`,
/// `HH:MM:SS.fff`, optionally with `Z` or an offset `+HH:MM` / `-HH:MM`
/// (hours 0-23, minutes 0-59, seconds 0-59; a leap second 60 is accepted).
fn valid_time(t: &str) -> bool {
    let (clock, offset) = match t.find(['Z', 'z', '+', '-']) {
        Some(i) => (&t[..i], Some(&t[i..])),
        None => (t, None),
    };
    let two = |s: &str, max: u32| {
        s.len() == 2
            && s.bytes().all(|b| b.is_ascii_digit())
            && s.parse::<u32>().is_ok_and(|v| v <= max)
    };
    let parts: Vec<&str> = clock.split(':').collect();
    let clock_ok = match parts.as_slice() {
        [h, m] => two(h, 23) && two(m, 59),
        [h, m, sec] => {
            let (whole, frac) = sec.split_once('.').unwrap_or((sec, "0"));
            two(h, 23)
                && two(m, 59)
                && two(whole, 60)
                && !frac.is_empty()
                && frac.bytes().all(|b| b.is_ascii_digit())
        }
        _ => false,
    };
    let offset_ok = match offset {
        None | Some("Z" | "z") => true,
        Some(o) => {
            let rest = &o[1..];
            match rest.split_once(':') {
                Some((h, m)) => two(h, 23) && two(m, 59),
                None => rest.len() == 4 && two(&rest[..2], 23) && two(&rest[2..], 59),
            }
        }
    };
    clock_ok && offset_ok
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for YearMonth {
    type Err = DateError;

    /// [`YearMonth::parse`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for YearMonth {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for YearMonth {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}
