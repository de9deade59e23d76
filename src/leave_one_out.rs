//! Which element or component drives the conclusions: each district's rank,
//! quadrant and advanced flag with one element (or one whole component)
//! left out of the rubric, against the same with everything in.
//!
//! Leaving out an element rescores its component on the others (a
//! component left with no element is left out whole); leaving out a
//! component drops it from the overall score and from the advanced rule
//! (which is then judged on the remaining components: "more than half of
//! 6"). Cuts that are rules (`"mean"`, the midpoint) are recomputed on the
//! smaller rubric; explicit component weights lose the dropped component's.

use std::sync::Arc;

use ndarray::Axis;

use crate::classify::Quadrant;
use crate::compare::ItemKind;
use crate::error::Result;
use crate::panel::{Panel, SnapshotKey};
use crate::rubric::Rubric;
use crate::summary::{DistrictSummaries, SummaryOptions};

/// The effect of leaving out each element and each component, one row per
/// (item left out, district).
#[derive(Debug, Clone, PartialEq)]
pub struct LeaveOneOut {
    /// Component or element.
    pub kind: Vec<ItemKind>,
    /// Id of the item left out.
    pub item_id: Vec<String>,
    /// Its component short name or element text.
    pub item: Vec<String>,
    /// District.
    pub district: Vec<String>,
    /// Competition rank by score with everything in (1 = highest; NaN: no
    /// score).
    pub rank: Vec<f64>,
    /// The same with the item left out.
    pub rank_without: Vec<f64>,
    /// Quadrant with everything in.
    pub quadrant: Vec<Option<Quadrant>>,
    /// Quadrant with the item left out.
    pub quadrant_without: Vec<Option<Quadrant>>,
    /// Advanced with everything in.
    pub advanced: Vec<bool>,
    /// Advanced with the item left out.
    pub advanced_without: Vec<bool>,
}

impl Panel {
    /// Each district's rank, quadrant and advanced flag with each element
    /// and each component left out in turn.
    ///
    /// # Errors
    /// As [`Panel::summarize`]; an error of a smaller rubric names it.
    ///
    /// # Examples
    /// ```
    /// use portfolio_snapshot::{datasets, SummaryOptions};
    /// let l = datasets::demo_panel()?.leave_one_out(&SummaryOptions::default())?;
    /// assert_eq!(l.district.len(), (36 + 7) * 25);
    /// # Ok::<(), portfolio_snapshot::Error>(())
    /// ```
    pub fn leave_one_out(&self, options: &SummaryOptions) -> Result<LeaveOneOut> {
        let full = self.summarize(options)?;
        let ranks = full.ranks();
        let rubric = self.rubric();
        let mut out = LeaveOneOut {
            kind: Vec::new(),
            item_id: Vec::new(),
            item: Vec::new(),
            district: Vec::new(),
            rank: Vec::new(),
            rank_without: Vec::new(),
            quadrant: Vec::new(),
            quadrant_without: Vec::new(),
            advanced: Vec::new(),
            advanced_without: Vec::new(),
        };
        let mut drops: Vec<(ItemKind, String, String, Vec<usize>)> = Vec::new();
        for comp in rubric.components() {
            drops.push((
                ItemKind::Component,
                comp.id().to_owned(),
                comp.short_name().to_owned(),
                comp.columns().collect(),
            ));
        }
        for comp in rubric.components() {
            for (j, e) in comp.columns().zip(comp.elements()) {
                drops.push((ItemKind::Element, e.id.clone(), e.text.clone(), vec![j]));
            }
        }
        for (kind, id, name, columns) in drops {
            let without = self.without_columns(&columns, options)?;
            let s = without.0.summarize(&without.1)?;
            let ranks_without = s.ranks();
            for d in 0..self.n_districts() {
                out.kind.push(kind);
                out.item_id.push(id.clone());
                out.item.push(name.clone());
                out.district.push(self.districts()[d].clone());
                out.rank.push(ranks[d]);
                out.rank_without.push(ranks_without[d]);
                out.quadrant.push(full.quadrant[d]);
                out.quadrant_without.push(s.quadrant[d]);
                out.advanced.push(full.advanced[d]);
                out.advanced_without.push(s.advanced[d]);
            }
        }
        Ok(out)
    }

    /// The panel with the rubric columns `columns` left out (and any
    /// component left empty), with the options adjusted to it.
    fn without_columns(
        &self,
        columns: &[usize],
        options: &SummaryOptions,
    ) -> Result<(Panel, SummaryOptions)> {
        let rubric = self.rubric();
        let mut spec = rubric.to_spec();
        let mut kept_components = Vec::new();
        for (c, (comp, spec_comp)) in rubric
            .components()
            .iter()
            .zip(spec.components.iter_mut())
            .enumerate()
        {
            spec_comp.elements = comp
                .columns()
                .zip(comp.elements())
                .filter(|(j, _)| !columns.contains(j))
                .map(|(_, e)| e.clone())
                .collect();
            if !spec_comp.elements.is_empty() {
                kept_components.push(c);
            }
        }
        spec.components.retain(|c| !c.elements.is_empty());
        let smaller = Rubric::new(spec)?;
        let kept: Vec<usize> = (0..rubric.n_elements())
            .filter(|j| !columns.contains(j))
            .collect();
        let keys: Vec<SnapshotKey> = (0..self.n_snapshots())
            .map(|r| self.snapshot_key(r))
            .collect();
        let ratings = self.ratings().select(Axis(1), &kept);
        let panel = Panel::from_matrix_with(Arc::new(smaller), keys, ratings, self.options())?;
        let mut opts = options.clone();
        if let Some(w) = &options.score.weights {
            opts.score.weights = Some(kept_components.iter().map(|&c| w[c]).collect());
        }
        Ok((panel, opts))
    }
}

impl DistrictSummaries {
    /// Competition ranks by score (1 = highest; exactly tied scores share
    /// the lower rank; NaN for districts without a score), decided exactly.
    #[must_use]
    pub fn ranks(&self) -> Vec<f64> {
        let order = self.order_by_score();
        let mut out = vec![f64::NAN; self.len()];
        self.competition_ranks(&order, &mut out);
        out
    }
}
