//! The Portfolio Network roster (the report's Figure 2) and the report's
//! eligibility rule.

use std::io::Read;

use crate::cells::NaValues;
use crate::date::YearMonth;
use crate::error::{Error, Result};

/// One district of a roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterEntry {
    /// District name.
    pub district: String,
    /// Date of the most recent snapshot (`None` where the roster says N/A).
    pub most_recent_snapshot: Option<YearMonth>,
    /// Total number of snapshots.
    pub n_snapshots: u32,
}

/// Which districts have enough snapshot data to analyse: at least
/// `min_snapshots` snapshots, the last in `since` or later.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Eligibility {
    /// Minimum number of snapshots (3 in the report).
    pub min_snapshots: u32,
    /// Earliest allowed date of the most recent snapshot (January 2014).
    pub since: YearMonth,
}

impl Default for Eligibility {
    fn default() -> Self {
        Self {
            min_snapshots: 3,
            since: YearMonth::new(2014, 1).unwrap_or_else(|_| unreachable!("a valid date")),
        }
    }
}

impl Eligibility {
    /// Whether a roster entry qualifies.
    #[must_use]
    pub fn admits(&self, entry: &RosterEntry) -> bool {
        entry.n_snapshots >= self.min_snapshots
            && entry.most_recent_snapshot.is_some_and(|d| d >= self.since)
    }
}

/// A list of districts with their snapshot counts and last snapshot dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roster {
    /// The districts, in file order.
    pub entries: Vec<RosterEntry>,
}

/// The columns of a roster table, in order.
pub const ROSTER_COLUMNS: [&str; 3] = ["district", "most_recent_snapshot", "n_snapshots"];

const NETWORK_ROSTER_CSV: &str = include_str!("../data/network_roster.csv");

impl Roster {
    /// The 52 districts that have been part of the Portfolio Network
    /// (*Sticking Points*, Figure 2), transcribed in `data/network_roster.csv`.
    ///
    /// # Examples
    /// ```
    /// use portfolio_snapshot::{Eligibility, Roster};
    /// let roster = Roster::network();
    /// assert_eq!(roster.entries.len(), 52);
    /// assert_eq!(roster.eligible(&Eligibility::default()).entries.len(), 25);
    /// ```
    #[must_use]
    pub fn network() -> Self {
        Self::read_csv(NETWORK_ROSTER_CSV.as_bytes(), None)
            .unwrap_or_else(|e| unreachable!("built-in roster is valid: {e}"))
    }

    /// The roster's CSV text, as shipped.
    #[must_use]
    pub fn network_csv() -> &'static str {
        NETWORK_ROSTER_CSV
    }

    /// Read a roster from CSV with the columns `district`,
    /// `most_recent_snapshot` (a date as [`YearMonth::parse`] reads it, or
    /// empty or `N/A`) and `n_snapshots`; lines starting with `#` are
    /// comments.
    ///
    /// # Errors
    /// [`Error::Csv`] naming the line and the bad field.
    pub fn read_csv(reader: impl Read, origin: Option<String>) -> Result<Self> {
        let mut rdr = csv::ReaderBuilder::new()
            .comment(Some(b'#'))
            .trim(csv::Trim::All)
            .from_reader(reader);
        let err = |line: Option<u64>, message: String| Error::Csv {
            origin: origin.clone(),
            line,
            message,
        };
        let headers = rdr.headers().map_err(|e| err(None, e.to_string()))?.clone();
        let col = |name: &str| {
            headers
                .iter()
                .position(|h| h == name)
                .ok_or_else(|| err(Some(1), format!("missing column {name:?}")))
        };
        let [d, m, n] = ROSTER_COLUMNS;
        let (cd, cm, cn) = (col(d)?, col(m)?, col(n)?);
        let mut entries = Vec::new();
        for rec in rdr.records() {
            let rec = rec.map_err(|e| err(e.position().map(csv::Position::line), e.to_string()))?;
            let line = rec.position().map(csv::Position::line);
            let district = rec.get(cd).unwrap_or("").to_owned();
            let raw_date = rec.get(cm).unwrap_or("");
            let most_recent_snapshot = if NaValues::default().is_na(raw_date) {
                None
            } else {
                Some(
                    YearMonth::parse(raw_date)
                        .map_err(|e| err(line, format!("district {district:?}: {e}")))?,
                )
            };
            let raw_n = rec.get(cn).unwrap_or("");
            let n_snapshots = raw_n.parse().map_err(|_| {
                err(
                    line,
                    format!("district {district:?}: n_snapshots {raw_n:?} is not a whole number"),
                )
            })?;
            entries.push(RosterEntry {
                district,
                most_recent_snapshot,
                n_snapshots,
            });
        }
        Ok(Self { entries })
    }

    /// The entries that qualify under `rule`, in roster order.
    #[must_use]
    pub fn eligible(&self, rule: &Eligibility) -> Self {
        Self {
            entries: self
                .entries
                .iter()
                .filter(|e| rule.admits(e))
                .cloned()
                .collect(),
        }
    }

    /// An entry by district name.
    #[must_use]
    pub fn get(&self, district: &str) -> Option<&RosterEntry> {
        self.entries.iter().find(|e| e.district == district)
    }
}
