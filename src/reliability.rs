//! Internal consistency: do the elements of a component hang together?
//!
//! Cronbach's alpha of each component's elements across districts, on a
//! basis (each district's element values, see [`crate::Basis`]):
//!
//! ```text
//! alpha = k / (k - 1) * (1 - sum_i var(x_i) / var(sum_i x_i))
//! ```
//!
//! with `k` the component's elements and sample variances (n - 1) over the
//! districts that rate every element of the component on the basis
//! (listwise deletion). NaN, with a reason, for a component of one element,
//! fewer than two such districts, or no variance in the total.

use crate::basis::Basis;
use crate::panel::Panel;

/// The missing-data rule of [`Panel::cronbach_alpha`], in words.
pub const ALPHA_MISSING_RULE: &str = "listwise: a district counts for a component only when it rates every element of the component on the basis";

/// Cronbach's alpha per component.
#[derive(Debug, Clone, PartialEq)]
pub struct Reliability {
    /// The basis of the element values.
    pub basis: Basis,
    /// Component ids, in rubric order.
    pub component_ids: Vec<String>,
    /// Component short names.
    pub components: Vec<String>,
    /// Alpha per component (NaN: see `reason`).
    pub alpha: Vec<f64>,
    /// Elements per component.
    pub n_elements: Vec<usize>,
    /// Districts used (rating every element of the component).
    pub n_districts: Vec<usize>,
    /// Why an alpha is NaN.
    pub reason: Vec<Option<String>>,
}

/// Cronbach's alpha of the rows of `items` (each row one case, `k` values)
/// and why it is NaN, if it is.
#[must_use]
pub fn cronbach_alpha(items: &[Vec<f64>], k: usize) -> (f64, Option<String>) {
    let n = items.len();
    if k < 2 {
        return (
            f64::NAN,
            Some("a component of one element has no alpha".into()),
        );
    }
    if n < 2 {
        return (
            f64::NAN,
            Some(format!(
                "{n} district{} rate every element (2 needed)",
                if n == 1 { "" } else { "s" }
            )),
        );
    }
    #[allow(clippy::cast_precision_loss)] // counts far below 2^52
    let (nf, kf) = (n as f64, k as f64);
    let variance = |values: &mut dyn Iterator<Item = f64>| {
        let v: Vec<f64> = values.collect();
        let mean = v.iter().sum::<f64>() / nf;
        v.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (nf - 1.0)
    };
    let item_var: f64 = (0..k)
        .map(|i| variance(&mut items.iter().map(|row| row[i])))
        .sum();
    let total_var = variance(&mut items.iter().map(|row| row.iter().sum::<f64>()));
    if total_var == 0.0 {
        return (
            f64::NAN,
            Some(
                "the districts' totals do not vary (every district rates the component alike)"
                    .into(),
            ),
        );
    }
    (kf / (kf - 1.0) * (1.0 - item_var / total_var), None)
}

impl Panel {
    /// Cronbach's alpha of each component's elements across districts on
    /// `basis` (listwise deletion: see [`ALPHA_MISSING_RULE`]).
    ///
    /// # Examples
    /// ```
    /// use portfolio_snapshot::{datasets, Basis};
    /// let r = datasets::demo_panel()?.cronbach_alpha(Basis::Average);
    /// assert_eq!(r.alpha.len(), 7);
    /// # Ok::<(), portfolio_snapshot::Error>(())
    /// ```
    #[must_use]
    pub fn cronbach_alpha(&self, basis: Basis) -> Reliability {
        let values = self.basis_ratings(basis);
        let rubric = self.rubric();
        let mut out = Reliability {
            basis,
            component_ids: Vec::new(),
            components: Vec::new(),
            alpha: Vec::new(),
            n_elements: Vec::new(),
            n_districts: Vec::new(),
            reason: Vec::new(),
        };
        for comp in rubric.components() {
            let cols = comp.columns();
            let rows: Vec<Vec<f64>> = values
                .rows()
                .into_iter()
                .map(|r| cols.clone().map(|j| r[j]).collect::<Vec<f64>>())
                .filter(|r| r.iter().all(|v| !v.is_nan()))
                .collect();
            let (alpha, reason) = cronbach_alpha(&rows, cols.len());
            out.component_ids.push(comp.id().to_owned());
            out.components.push(comp.short_name().to_owned());
            out.alpha.push(alpha);
            out.n_elements.push(cols.len());
            out.n_districts.push(rows.len());
            out.reason.push(reason);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::cronbach_alpha;

    #[test]
    fn alpha_by_hand() {
        // items (1, 2), (2, 3), (3, 5): var 1 and 7/3, total (3, 5, 8) var 19/3
        // alpha = 2 * (1 - (10/3) / (19/3)) = 2 * 9/19 = 18/19
        let rows = vec![vec![1.0, 2.0], vec![2.0, 3.0], vec![3.0, 5.0]];
        let (a, why) = cronbach_alpha(&rows, 2);
        assert!((a - 18.0 / 19.0).abs() < 1e-12 && why.is_none());
        assert!(cronbach_alpha(&rows[..1], 2).0.is_nan());
        assert!(cronbach_alpha(&[vec![1.0], vec![2.0]], 1).0.is_nan());
        assert!(
            cronbach_alpha(&[vec![1.0, 1.0], vec![1.0, 1.0]], 2)
                .0
                .is_nan()
        );
    }
}
