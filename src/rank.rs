//! Rankings of components and elements across districts (the report's
//! Figure 6) and the sticking points: the lowest of them.
//!
//! ```text
//! mean_score(component k) = mean over districts d with a score of c_dk (on the basis)
//! mean_score(element j)   = mean over districts d with a rating of x_dj (on the basis)
//! ```
//! Sorted high to low; items whose means are exactly equal keep rubric order
//! (decided on the exact rational means, see [`crate::exact`]); NaN
//! (nothing rated anywhere) sorts last.

use ndarray::{Array2, ArrayView2, Axis};

use crate::basis::{self, Basis};
use crate::error::Result;
use crate::exact::{self, ErrorModel, Exact};
use crate::panel::Panel;
use crate::summary::{Plan, SummaryOptions};

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
    /// The basis the means were taken on.
    pub basis: Basis,
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

/// Column means over the non-NaN cells, and their counts.
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

/// Order entries by their means, exactly: each mean is within `err` of
/// its exact value, a mean of its `n_districts` values whose denominators
/// divide `den`; `exact(i)` is entry `i`'s exact mean.
fn rank(
    basis: Basis,
    mut entries: Vec<RankEntry>,
    err: f64,
    den: Option<u128>,
    exact: impl FnMut(usize) -> Exact,
) -> Ranking {
    let means: Vec<f64> = entries.iter().map(|e| e.mean_score).collect();
    let dens: Vec<Option<u128>> = entries
        .iter()
        .map(|e| exact::mean_den(den, e.n_districts))
        .collect();
    let order = exact::order_desc_by(&means, err, |i| dens[i], exact);
    let mut slots: Vec<Option<RankEntry>> = entries.drain(..).map(Some).collect();
    let entries = order
        .iter()
        .enumerate()
        .map(|(pos, &i)| {
            let mut e = slots[i]
                .take()
                .unwrap_or_else(|| unreachable!("a permutation"));
            e.position = pos + 1;
            e
        })
        .collect();
    Ranking { basis, entries }
}

impl Panel {
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
        let plan = Plan::new(self, options)?;
        let means = column_means(summary.components.view());
        let entries: Vec<RankEntry> = self
            .rubric()
            .components()
            .iter()
            .zip(&means)
            .map(|(c, &(mean_score, n_districts))| RankEntry {
                position: 0,
                id: c.id().to_owned(),
                name: c.short_name().to_owned(),
                component: c.short_name().to_owned(),
                mean_score,
                n_districts,
            })
            .collect();
        let err = ErrorModel::mean_of(self.n_districts(), plan.err.0, plan.bands.magnitude());
        let mut exact_components: Option<Vec<Vec<Option<Exact>>>> = None;
        Ok(rank(options.basis, entries, err, plan.den.0, |k| {
            let all = exact_components.get_or_insert_with(|| {
                (0..self.n_districts())
                    .map(|d| {
                        plan.rules.components(&basis::exact_values(
                            self,
                            &plan.bands,
                            d,
                            options.basis,
                        ))
                    })
                    .collect()
            });
            let xs: Vec<&Exact> = all.iter().filter_map(|c| c[k].as_ref()).collect();
            exact::mean(xs.into_iter())
        }))
    }

    /// Elements ranked by their mean rating across districts on a basis.
    #[must_use]
    pub fn rank_elements(&self, basis: Basis) -> Ranking {
        let values = self.basis_ratings(basis);
        self.rank_elements_of(basis, &values)
    }

    fn rank_elements_of(&self, basis: Basis, values: &Array2<f64>) -> Ranking {
        let means = column_means(values.view());
        let rubric = self.rubric();
        let mut entries = Vec::with_capacity(rubric.n_elements());
        let mut it = means.iter();
        for c in rubric.components() {
            for (el, &(mean_score, n_districts)) in c.elements().iter().zip(it.by_ref()) {
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
        let bands = rubric.bands(self.options().allowed);
        let precision = basis::Precision::of(self, &bands, basis);
        let err = ErrorModel::mean_of(
            self.n_districts(),
            precision.model.basis(),
            bands.magnitude(),
        );
        let mut exact_values: Option<Vec<Vec<Option<Exact>>>> = None;
        rank(basis, entries, err, precision.value_den, |j| {
            let all = exact_values.get_or_insert_with(|| {
                (0..self.n_districts())
                    .map(|d| basis::exact_values(self, &bands, d, basis))
                    .collect()
            });
            let xs: Vec<&Exact> = all.iter().filter_map(|v| v[j].as_ref()).collect();
            exact::mean(xs.into_iter())
        })
    }
}
