//! Per-snapshot scores of a panel: each snapshot's component scores,
//! overall score, spread, coverage and advanced flag.

use ndarray::Axis;
use rayon::prelude::*;

use crate::basis::Basis;
use crate::classify::AdvancedRule;
use crate::control::Control;
use crate::error::{Error, Result};
use crate::panel::Panel;
use crate::score::{ScoreOptions, SnapshotScores};
use crate::summary::{Plan, SummaryOptions};

/// Per-snapshot scores with the advanced flag of each snapshot.
#[derive(Debug, Clone, PartialEq)]
pub struct PanelScores {
    /// Component scores, overall score, spread and coverage per snapshot.
    pub scores: SnapshotScores,
    /// Whether each snapshot on its own is advanced under the rule.
    pub advanced: Vec<bool>,
}

impl Panel {
    /// Per-snapshot scores: component scores, overall, spread, coverage.
    ///
    /// # Errors
    /// Option errors as [`crate::Scorer::new`]; [`Error::MissingRating`]
    /// (naming district, date and element) under
    /// [`crate::MissingPolicy::Strict`].
    pub fn score(&self, options: &ScoreOptions) -> Result<SnapshotScores> {
        self.score_with(options, &Control::new())
    }

    /// [`Panel::score`] under a [`Control`].
    ///
    /// # Errors
    /// As [`Panel::score`], and [`Error::Cancelled`].
    pub fn score_with(&self, options: &ScoreOptions, control: &Control) -> Result<SnapshotScores> {
        let scorer = crate::Scorer::new(self.rubric(), options)?;
        let mut out = SnapshotScores::zeroed(self.n_snapshots(), scorer.n_components())?;
        // the panel's ratings were checked when it was built
        crate::score::score_into(
            self.rubric(),
            &scorer,
            self.ratings(),
            out.view_mut(),
            false,
            control,
        )
        .map(|()| out)
        .map_err(|e| match e {
            Error::MissingValue { row, element } => Error::MissingRating {
                district: self.row_district(row).to_owned(),
                date: self.dates()[row],
                element,
            },
            other => other,
        })
    }

    /// Per-snapshot scores and each snapshot's advanced flag (bands decided
    /// exactly, as for district summaries).
    ///
    /// # Errors
    /// As [`Panel::score`], and [`AdvancedRule::resolve`]'s errors.
    pub fn score_advanced(
        &self,
        options: &ScoreOptions,
        rule: &AdvancedRule,
        control: &Control,
    ) -> Result<PanelScores> {
        let opts = SummaryOptions {
            basis: Basis::Recent,
            score: options.clone(),
            advanced: *rule,
            ..SummaryOptions::default()
        };
        // a snapshot is a basis of one row: the recent basis's precision
        let plan = Plan::new(self, &opts)?;
        let scores = self.score_with(options, control)?;
        let k = plan.scorer.n_components();
        let advance = |bands: &mut Vec<Option<usize>>,
                       (r, row): (usize, ndarray::ArrayView1<'_, f64>)| {
            let comps = row.to_vec();
            plan.bands_of(&comps, bands, || {
                self.row(r)
                    .iter()
                    .map(|&v| (!v.is_nan()).then(|| plan.bands.exact_rating(v)))
                    .collect()
            });
            plan.advanced.is_advanced(bands)
        };
        let advanced = if self.n_snapshots() * k < crate::score::PARALLEL_MIN_CELLS {
            let mut bands = vec![None; k];
            scores
                .components
                .axis_iter(Axis(0))
                .enumerate()
                .map(|x| advance(&mut bands, x))
                .collect()
        } else {
            crate::parallel::install(|| {
                scores
                    .components
                    .axis_iter(Axis(0))
                    .into_par_iter()
                    .enumerate()
                    .map_init(|| vec![None; k], advance)
                    .collect()
            })
        };
        Ok(PanelScores { scores, advanced })
    }
}
