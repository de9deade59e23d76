//! Rankings of components and elements across districts (the report's
//! Figure 6) and the sticking points: the lowest of them.
//!
//! ```text
//! mean_score(component k) = mean over districts d with a score of c_dk (on the basis)
//! mean_score(element j)   = mean over districts d with a rating of x_dj (on the basis)
//! ```
//! Sorted high to low; ties keep rubric order; NaN (nothing rated anywhere)
//! sorts last.

use std::cmp::Ordering;

use ndarray::{Array2, ArrayView2, Axis};

use crate::error::Result;
use crate::panel::Panel;
use crate::summary::{Basis, SummaryOptions};

/// One ranked component or element.
#[derive(Debug, Clone, PartialEq)]
pub struct RankEntry {
    /// 1 for the highest mean score.
    pub position: usize,
    /// Component id (`"3"`) or element id (`"3.2"`).
    pub id: String,
    /// Component short name, or the element's text.
    pub name: String,
    /// For an element, its component's short name; for a component, its own.
    pub component: String,
    /// Mean score across districts (NaN when no district has one).
    pub mean_score: f64,
    /// Number of districts the mean is over.
    pub n_districts: usize,
}

/// A ranking, highest mean score first.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranking {
    /// The entries, highest first.
    pub entries: Vec<RankEntry>,
}

impl Ranking {
    /// The `n` lowest-ranked entries, lowest first: the sticking points.
    /// Entries with no score (NaN) are not sticking points and are skipped.
    #[must_use]
    pub fn lowest(&self, n: usize) -> Vec<&RankEntry> {
        self.entries
            .iter()
            .rev()
            .filter(|e| !e.mean_score.is_nan())
            .take(n)
            .collect()
    }
}

/// Descending order with NaN last (for stable sorts).
pub(crate) fn cmp_desc_nan_last(a: f64, b: f64) -> Ordering {
    match (a.is_nan(), b.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => b.partial_cmp(&a).unwrap_or(Ordering::Equal),
    }
}

fn column_means(m: ArrayView2<'_, f64>) -> Vec<(f64, usize)> {
    m.axis_iter(Axis(1))
        .map(|col| {
            let (s, n) = col
                .iter()
                .filter(|v| !v.is_nan())
                .fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
            #[allow(clippy::cast_precision_loss)]
            let mean = if n == 0 { f64::NAN } else { s / n as f64 };
            (mean, n)
        })
        .collect()
}

fn rank(mut entries: Vec<RankEntry>) -> Ranking {
    entries.sort_by(|a, b| cmp_desc_nan_last(a.mean_score, b.mean_score));
    for (i, e) in entries.iter_mut().enumerate() {
        e.position = i + 1;
    }
    Ranking { entries }
}

impl Panel {
    /// Each district's element ratings on a basis, districts x elements:
    /// the mean over its snapshots of each rated element (`Average`), or its
    /// most recent snapshot (`Recent`). NaN where nothing is rated.
    #[must_use]
    pub fn basis_ratings(&self, basis: Basis) -> Array2<f64> {
        let n_el = self.rubric().n_elements();
        let mut out = Array2::from_elem((self.n_districts(), n_el), f64::NAN);
        for (d, mut row) in out.axis_iter_mut(Axis(0)).enumerate() {
            let rows = self.district_rows(d);
            match basis {
                Basis::Recent => row.assign(&self.row(rows.end - 1)),
                Basis::Average => {
                    for (j, cell) in row.iter_mut().enumerate() {
                        let (s, n) = rows
                            .clone()
                            .map(|r| self.ratings()[[r, j]])
                            .filter(|v| !v.is_nan())
                            .fold((0.0, 0u32), |(s, n), v| (s + v, n + 1));
                        *cell = if n == 0 { f64::NAN } else { s / f64::from(n) };
                    }
                }
            }
        }
        out
    }

    /// Components ranked by their mean score across districts, on the basis
    /// and scoring options of `options`.
    ///
    /// # Errors
    /// As [`Panel::summarize`].
    ///
    /// # Examples
    /// ```
    /// use portfolio_snapshot::{datasets, SummaryOptions};
    /// let ranking = datasets::demo_panel()?.rank_components(&SummaryOptions::default())?;
    /// assert_eq!(ranking.entries.len(), 7);
    /// assert!(ranking.entries[0].mean_score >= ranking.entries[6].mean_score);
    /// # Ok::<(), portfolio_snapshot::Error>(())
    /// ```
    pub fn rank_components(&self, options: &SummaryOptions) -> Result<Ranking> {
        let summary = self.summarize(options)?;
        let means = column_means(summary.components.view());
        let entries = self
            .rubric()
            .components()
            .iter()
            .zip(means)
            .map(|(c, (mean_score, n_districts))| RankEntry {
                position: 0,
                id: c.id().to_owned(),
                name: c.short_name().to_owned(),
                component: c.short_name().to_owned(),
                mean_score,
                n_districts,
            })
            .collect();
        Ok(rank(entries))
    }

    /// Elements ranked by their mean rating across districts on a basis.
    #[must_use]
    pub fn rank_elements(&self, basis: Basis) -> Ranking {
        let means = column_means(self.basis_ratings(basis).view());
        let rubric = self.rubric();
        let mut entries = Vec::with_capacity(rubric.n_elements());
        let mut means = means.into_iter();
        for c in rubric.components() {
            for (el, (mean_score, n_districts)) in c.elements().iter().zip(means.by_ref()) {
                entries.push(RankEntry {
                    position: 0,
                    id: el.id.clone(),
                    name: el.text.clone(),
                    component: c.short_name().to_owned(),
                    mean_score,
                    n_districts,
                });
            }
        }
        rank(entries)
    }
}
