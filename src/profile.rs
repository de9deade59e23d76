//! One district against the network: each element's value on a basis next
//! to the median and quartiles of every district's value, the gap to the
//! median, and the elements where the district falls furthest behind.
//!
//! ```text
//! median, q1, q3 : linear-interpolation quantiles (numpy's default) of the
//!                  element's basis values over the districts that rate it
//!                  (the district itself included)
//! gap            : value - median
//! shortfall rank : competition rank of the negative gaps, most negative
//!                  first (equal gaps share the lower rank)
//! weakest        : shortfall rank <= n_weakest (a tie at the cut is kept
//!                  whole, so more than n_weakest may be flagged)
//! ```

use crate::basis::Basis;
use crate::error::Result;
use crate::panel::Panel;
use crate::uncertainty::quantile_linear;

/// How many weakest elements a profile flags when not told: the report's
/// five sticking points.
pub const DEFAULT_WEAKEST: usize = 5;

/// One district's element values against the network's.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// The district.
    pub district: String,
    /// The basis of the values.
    pub basis: Basis,
    /// Element ids, in rubric order.
    pub element_ids: Vec<String>,
    /// Element texts.
    pub elements: Vec<String>,
    /// Component short name of each element.
    pub components: Vec<String>,
    /// The district's value of each element on the basis (NaN: not rated).
    pub value: Vec<f64>,
    /// Median of the element's values over the districts that rate it.
    pub median: Vec<f64>,
    /// First quartile of the same.
    pub q1: Vec<f64>,
    /// Third quartile of the same.
    pub q3: Vec<f64>,
    /// How many districts rate the element on the basis.
    pub n_districts: Vec<usize>,
    /// `value - median`.
    pub gap: Vec<f64>,
    /// 1 for the most negative gap, 2 for the next, ... (equal gaps share
    /// the lower rank); `None` for elements at or above the median or not
    /// rated.
    pub shortfall_rank: Vec<Option<usize>>,
    /// Whether the element's shortfall rank is at most `n_weakest` (a tie at
    /// the cut is flagged whole).
    pub weakest: Vec<bool>,
}

impl Panel {
    /// District `district`'s profile on `basis`, flagging its `n_weakest`
    /// largest shortfalls against the network median.
    ///
    /// # Errors
    /// [`crate::Error::InvalidDistrict`] when the panel has no such district.
    ///
    /// # Examples
    /// ```
    /// use portfolio_snapshot::{datasets, Basis};
    /// let panel = datasets::demo_panel()?; // synthetic data
    /// let p = panel.profile("Albuquerque", Basis::Recent, 5)?;
    /// // five or more: a tie at the cut is flagged whole
    /// assert!(p.weakest.iter().filter(|&&w| w).count() >= 5);
    /// # Ok::<(), portfolio_snapshot::Error>(())
    /// ```
    pub fn profile(&self, district: &str, basis: Basis, n_weakest: usize) -> Result<Profile> {
        let d = self.require_district(district)?;
        let rubric = self.rubric();
        let all = self.basis_ratings(basis);
        let n_el = rubric.n_elements();
        let mut p = Profile {
            district: district.to_owned(),
            basis,
            element_ids: Vec::with_capacity(n_el),
            elements: Vec::with_capacity(n_el),
            components: Vec::with_capacity(n_el),
            value: Vec::with_capacity(n_el),
            median: Vec::with_capacity(n_el),
            q1: Vec::with_capacity(n_el),
            q3: Vec::with_capacity(n_el),
            n_districts: Vec::with_capacity(n_el),
            gap: Vec::with_capacity(n_el),
            shortfall_rank: vec![None; n_el],
            weakest: vec![false; n_el],
        };
        let mut column = Vec::with_capacity(self.n_districts());
        for comp in rubric.components() {
            for (j, e) in comp.columns().zip(comp.elements()) {
                column.clear();
                column.extend(all.column(j).iter().copied().filter(|v| !v.is_nan()));
                let median = quantile_linear(&mut column, 0.5);
                p.element_ids.push(e.id.clone());
                p.elements.push(e.text.clone());
                p.components.push(comp.short_name().to_owned());
                p.value.push(all[[d, j]]);
                p.median.push(median);
                p.q1.push(quantile_linear(&mut column, 0.25));
                p.q3.push(quantile_linear(&mut column, 0.75));
                p.n_districts.push(column.len());
                p.gap.push(all[[d, j]] - median);
            }
        }
        let mut behind: Vec<usize> = (0..n_el).filter(|&j| p.gap[j] < 0.0).collect();
        behind.sort_by(|&a, &b| p.gap[a].total_cmp(&p.gap[b]));
        let mut rank = 0;
        for (pos, &j) in behind.iter().enumerate() {
            if pos == 0 || p.gap[j] != p.gap[behind[pos - 1]] {
                rank = pos + 1;
            }
            p.shortfall_rank[j] = Some(rank);
            p.weakest[j] = rank <= n_weakest;
        }
        Ok(p)
    }
}
