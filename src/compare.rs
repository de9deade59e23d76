//! Change between two dates: for each district, the snapshot in force at
//! `start` and the one in force at `end` (the latest on or before each
//! date), compared on the overall score, each component score and each
//! element rating.

use std::fmt;

use crate::control::Control;
use crate::date::YearMonth;
use crate::error::{Error, Result};
use crate::panel::Panel;
use crate::score::ScoreOptions;

/// What a row of a [`Comparison`] compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ItemKind {
    /// The overall score.
    Overall,
    /// A component score.
    Component,
    /// An element rating.
    Element,
}

impl ItemKind {
    /// All kinds, in the order a comparison lists them.
    pub const ALL: [ItemKind; 3] = [Self::Overall, Self::Component, Self::Element];

    /// `"overall"`, `"component"` or `"element"`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Overall => "overall",
            Self::Component => "component",
            Self::Element => "element",
        }
    }
}

impl fmt::Display for ItemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The change of every score and rating between two dates, one row per
/// district and item (overall, then components, then elements).
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// The dates asked for.
    pub start: YearMonth,
    /// See `start`.
    pub end: YearMonth,
    /// District of each row.
    pub district: Vec<String>,
    /// What each row compares.
    pub kind: Vec<ItemKind>,
    /// Component id, element id, or `"overall"`.
    pub item_id: Vec<String>,
    /// Component short name or element text (`"overall"` for the overall
    /// score).
    pub item: Vec<String>,
    /// The component an item belongs to (short name; `None` for the overall
    /// score).
    pub component: Vec<Option<String>>,
    /// Date of the snapshot in force at `start` (`None`: the district had no
    /// snapshot by then).
    pub start_date: Vec<Option<YearMonth>>,
    /// Date of the snapshot in force at `end`.
    pub end_date: Vec<Option<YearMonth>>,
    /// The value in the snapshot in force at `start` (NaN: none, or not
    /// rated or scored).
    pub start_value: Vec<f64>,
    /// The value in the snapshot in force at `end`.
    pub end_value: Vec<f64>,
    /// `end_value - start_value`.
    pub change: Vec<f64>,
    /// Why a change is NaN (`None` when it has a value).
    pub reason: Vec<Option<String>>,
    /// The panel row of the snapshot in force at `start` (`None`: none).
    pub start_row: Vec<Option<usize>>,
    /// The panel row of the snapshot in force at `end`.
    pub end_row: Vec<Option<usize>>,
}

impl Comparison {
    fn with_capacity(start: YearMonth, end: YearMonth, n: usize) -> Self {
        Self {
            start,
            end,
            district: Vec::with_capacity(n),
            kind: Vec::with_capacity(n),
            item_id: Vec::with_capacity(n),
            item: Vec::with_capacity(n),
            component: Vec::with_capacity(n),
            start_date: Vec::with_capacity(n),
            end_date: Vec::with_capacity(n),
            start_value: Vec::with_capacity(n),
            end_value: Vec::with_capacity(n),
            change: Vec::with_capacity(n),
            reason: Vec::with_capacity(n),
            start_row: Vec::with_capacity(n),
            end_row: Vec::with_capacity(n),
        }
    }
}

impl Panel {
    /// The change of each district's overall score, component scores and
    /// element ratings between the snapshot in force at `start` and the one
    /// in force at `end` (the latest on or before each date). When no
    /// snapshot was taken between the dates, both rows name the same
    /// snapshot and every change is 0.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming `start` when it is after `end`;
    /// as [`Panel::score`].
    ///
    /// # Examples
    /// ```
    /// use portfolio_snapshot::{datasets, ScoreOptions, YearMonth};
    /// let panel = datasets::demo_panel()?; // synthetic data
    /// let c = panel.compare(YearMonth::new(2014, 1)?, YearMonth::new(2016, 1)?, &ScoreOptions::default())?;
    /// assert_eq!(c.district.len(), 25 * (1 + 7 + 36));
    /// # Ok::<(), portfolio_snapshot::Error>(())
    /// ```
    pub fn compare(
        &self,
        start: YearMonth,
        end: YearMonth,
        options: &ScoreOptions,
    ) -> Result<Comparison> {
        self.compare_with(start, end, options, &Control::new())
    }

    /// [`Panel::compare`] under a [`Control`].
    ///
    /// # Errors
    /// As [`Panel::compare`], and [`Error::Cancelled`].
    pub fn compare_with(
        &self,
        start: YearMonth,
        end: YearMonth,
        options: &ScoreOptions,
        control: &Control,
    ) -> Result<Comparison> {
        let scores = self.score_with(options, control)?;
        self.compare_of(start, end, &scores, &|_, _| None, control)
    }

    /// [`Panel::compare`] from per-snapshot scores already computed;
    /// `unrated(row, element)` names why an element cannot be rated in a
    /// snapshot at all (a mixed-version panel: no counterpart in the
    /// snapshot's version), `None` for an ordinary missing rating.
    pub(crate) fn compare_of(
        &self,
        start: YearMonth,
        end: YearMonth,
        scores: &crate::SnapshotScores,
        unrated: &dyn Fn(usize, usize) -> Option<String>,
        control: &Control,
    ) -> Result<Comparison> {
        if start > end {
            return Err(Error::InvalidParameter {
                name: "start",
                value: format!("{start} (end {end})"),
                reason: "the start must not be after the end".into(),
            });
        }
        let rubric = self.rubric();
        let per_district = 1 + rubric.components().len() + rubric.n_elements();
        let n = self.n_districts() * per_district;
        let mut out = Comparison::with_capacity(start, end, n);
        let dates = self.dates();
        let ratings = self.ratings();
        for d in 0..self.n_districts() {
            control.check("compare")?;
            let rows = self.district_rows(d);
            // the latest snapshot on or before a date
            let in_force = |at: YearMonth| {
                let after = rows.start + dates[rows.clone()].partition_point(|&x| x <= at);
                (after > rows.start).then(|| after - 1)
            };
            let (a, b) = (in_force(start), in_force(end));
            let name = &self.districts()[d];
            let mut push = |kind: ItemKind,
                            item_id: &str,
                            item: &str,
                            component: Option<&str>,
                            value: &dyn Fn(usize) -> f64,
                            what: &dyn Fn(usize) -> String| {
                let va = a.map_or(f64::NAN, value);
                let vb = b.map_or(f64::NAN, value);
                let reason = match (a, b) {
                    (None, None) => Some(format!("no snapshot on or before {end}")),
                    (None, Some(_)) => Some(format!("no snapshot on or before {start}")),
                    (Some(ra), Some(rb)) if va.is_nan() && vb.is_nan() => {
                        let (wa, wb) = (what(ra), what(rb));
                        Some(if wa == wb {
                            format!("{wa} in either snapshot")
                        } else {
                            format!("{wa} in the start snapshot, {wb} in the end snapshot")
                        })
                    }
                    (Some(ra), _) if va.is_nan() => {
                        Some(format!("{} in the start snapshot", what(ra)))
                    }
                    (_, Some(rb)) if vb.is_nan() => {
                        Some(format!("{} in the end snapshot", what(rb)))
                    }
                    _ => None,
                };
                out.district.push(name.clone());
                out.kind.push(kind);
                out.item_id.push(item_id.to_owned());
                out.item.push(item.to_owned());
                out.component.push(component.map(str::to_owned));
                out.start_date.push(a.map(|r| dates[r]));
                out.end_date.push(b.map(|r| dates[r]));
                out.start_value.push(va);
                out.end_value.push(vb);
                out.change.push(vb - va);
                out.reason.push(reason);
                out.start_row.push(a);
                out.end_row.push(b);
            };
            push(
                ItemKind::Overall,
                "overall",
                "overall",
                None,
                &|r| scores.overall[r],
                &|_| "no overall score".to_owned(),
            );
            for (ci, comp) in rubric.components().iter().enumerate() {
                push(
                    ItemKind::Component,
                    comp.id(),
                    comp.short_name(),
                    Some(comp.short_name()),
                    &|r| scores.components[[r, ci]],
                    &|_| "no score".to_owned(),
                );
            }
            for comp in rubric.components() {
                for (j, e) in comp.columns().zip(comp.elements()) {
                    push(
                        ItemKind::Element,
                        &e.id,
                        &e.text,
                        Some(comp.short_name()),
                        &|r| ratings[[r, j]],
                        &|r| unrated(r, j).unwrap_or_else(|| "not rated".to_owned()),
                    );
                }
            }
        }
        Ok(out)
    }
}
