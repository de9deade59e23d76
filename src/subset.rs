//! Subsets of a panel: some districts, a window of dates, the panel as it
//! stood at a date, and the districts with enough history (the report's
//! eligibility rule applied to the panel's own snapshots).

use std::collections::HashSet;

use ndarray::Axis;

use crate::date::YearMonth;
use crate::error::{Error, Result};
use crate::panel::{Panel, SnapshotKey};
use crate::roster::{Eligibility, Roster, RosterEntry};

/// Which snapshots to keep (every field optional; all given must hold).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Keep these districts only (each must be in the panel).
    pub districts: Option<Vec<String>>,
    /// Keep snapshots from this month on.
    pub start: Option<YearMonth>,
    /// Keep snapshots up to this month (inclusive).
    pub end: Option<YearMonth>,
}

impl Panel {
    /// The snapshots a [`Selection`] keeps, as a new panel (same rubric,
    /// options and provenance).
    ///
    /// # Errors
    /// [`Error::InvalidDistrict`] naming a district the panel does not have;
    /// [`Error::InvalidParameter`] when `start` is after `end`;
    /// [`Error::EmptyPanel`] naming the selection when nothing is left.
    ///
    /// # Examples
    /// ```
    /// use portfolio_snapshot::{datasets, Selection, YearMonth};
    /// let panel = datasets::demo_panel()?;
    /// let cohort = panel.select(&Selection {
    ///     districts: Some(vec!["Denver".into(), "Tulsa".into()]),
    ///     start: Some(YearMonth::new(2015, 1)?),
    ///     ..Selection::default()
    /// })?;
    /// assert_eq!(cohort.districts(), ["Denver", "Tulsa"]);
    /// # Ok::<(), portfolio_snapshot::Error>(())
    /// ```
    pub fn select(&self, selection: &Selection) -> Result<Panel> {
        if let (Some(a), Some(b)) = (selection.start, selection.end)
            && a > b
        {
            return Err(Error::InvalidParameter {
                name: "start",
                value: format!("{a} (end {b})"),
                reason: "the start must not be after the end".into(),
            });
        }
        let wanted: Option<HashSet<&str>> = match &selection.districts {
            None => None,
            Some(names) => {
                for name in names {
                    self.require_district(name)?;
                }
                Some(names.iter().map(String::as_str).collect())
            }
        };
        let rows: Vec<usize> = (0..self.n_snapshots())
            .filter(|&r| {
                let date = self.dates()[r];
                wanted
                    .as_ref()
                    .is_none_or(|w| w.contains(self.row_district(r)))
                    && selection.start.is_none_or(|s| date >= s)
                    && selection.end.is_none_or(|e| date <= e)
            })
            .collect();
        if rows.is_empty() {
            return Err(Error::InvalidParameter {
                name: "selection",
                value: describe(selection),
                reason: "no snapshot of the panel is left".into(),
            });
        }
        let keys: Vec<SnapshotKey> = rows.iter().map(|&r| self.snapshot_key(r)).collect();
        let ratings = self.ratings().select(Axis(0), &rows);
        Ok(
            Panel::from_matrix_with(self.rubric_arc().clone(), keys, ratings, self.options())?
                .with_provenance(self.provenance().clone()),
        )
    }

    /// Each district's snapshots up to `date` (inclusive): the panel as it
    /// stood then. Districts with no snapshot by then are left out.
    ///
    /// # Errors
    /// As [`Panel::select`].
    pub fn as_of(&self, date: YearMonth) -> Result<Panel> {
        self.select(&Selection {
            end: Some(date),
            ..Selection::default()
        })
    }

    /// The panel's own roster: each district, its number of snapshots and
    /// the date of its last one.
    #[must_use]
    pub fn roster(&self) -> Roster {
        Roster {
            entries: (0..self.n_districts())
                .map(|d| {
                    let rows = self.district_rows(d);
                    RosterEntry {
                        district: self.districts()[d].clone(),
                        most_recent_snapshot: Some(self.dates()[rows.end - 1]),
                        n_snapshots: u32::try_from(rows.len()).unwrap_or(u32::MAX),
                    }
                })
                .collect(),
        }
    }

    /// The districts whose own history meets an eligibility rule (at least
    /// `min_snapshots` snapshots, the last in `since` or later), as a panel.
    ///
    /// # Errors
    /// As [`Panel::select`] (none is eligible: an error naming the rule).
    pub fn eligible(&self, rule: &Eligibility) -> Result<Panel> {
        let names: Vec<String> = self
            .roster()
            .eligible(rule)
            .entries
            .into_iter()
            .map(|e| e.district)
            .collect();
        if names.is_empty() {
            return Err(Error::InvalidParameter {
                name: "eligibility",
                value: format!(
                    "at least {} snapshots, the last in {} or later",
                    rule.min_snapshots, rule.since
                ),
                reason: "no district of the panel meets it".into(),
            });
        }
        self.select(&Selection {
            districts: Some(names),
            ..Selection::default()
        })
    }
}

fn describe(s: &Selection) -> String {
    let mut parts = Vec::new();
    if let Some(d) = &s.districts {
        parts.push(format!("{} districts", d.len()));
    }
    if let Some(a) = s.start {
        parts.push(format!("from {a}"));
    }
    if let Some(b) = s.end {
        parts.push(format!("to {b}"));
    }
    parts.join(", ")
}
