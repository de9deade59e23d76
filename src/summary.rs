//! District summaries: each district's score, spread, component bands,
//! advanced flag, quadrant and recent progress on a chosen basis.
//!
//! ```text
//! basis           : see `basis` (each element's mean over time, or the latest snapshot)
//! score, spread   : the scoring kernels (see `score`) on the basis row
//! band            : nearest scale level of a component score, halfway goes up
//! advanced        : #{components with band >= level} > share * #components
//! quadrant        : strong  <=> score  >= y_cut ; piecemeal <=> spread >= x_cut
//! recent progress = overall(most recent snapshot) - mean over snapshots of overall
//! ```
//!
//! Bands, the advanced flag, quadrants and the order of districts by score
//! are decided exactly (see [`crate::exact`]).

use std::cmp::Ordering;
use std::fmt;
use std::sync::{Arc, OnceLock};

use ndarray::{Array1, Array2};
use rayon::prelude::*;

use crate::basis::{self, Basis, Precision};
use crate::classify::{AdvancedRule, Axis, Cut, Quadrant, ResolvedAdvanced};
use crate::control::Control;
use crate::date::YearMonth;
use crate::error::{Error, Result};
use crate::exact::{self, Approx, ErrorModel, Exact, ExactRules};
use crate::panel::Panel;
use crate::scale::{Bands, ClearCuts};
use crate::score::{
    PARALLEL_MIN_CELLS, ScoreOptions, Scorer, SnapshotScores, SnapshotScoresMut, TASK_ROWS,
};
use crate::simd::{RowsOut, Stop};
use crate::spread::SpreadRule;

/// Options of [`Panel::summarize`] and [`Panel::analyze`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SummaryOptions {
    /// The basis (default [`Basis::Average`]).
    pub basis: Basis,
    /// Scoring options (missing-data policy, aggregation, weights).
    pub score: ScoreOptions,
    /// Cut on the score axis (default [`Cut::ScaleMidpoint`]).
    pub y_cut: Cut,
    /// Cut on the spread axis (default [`Cut::Mean`]).
    pub x_cut: Cut,
    /// The advanced rule (default: more than half the components banded at
    /// the level below the top, 4 for CRPE, or better).
    pub advanced: AdvancedRule,
    /// How the spread is taken (default [`SpreadRule::OfBasis`], the
    /// report's rule).
    pub spread: SpreadRule,
}

impl Default for SummaryOptions {
    fn default() -> Self {
        Self {
            basis: Basis::Average,
            score: ScoreOptions::default(),
            y_cut: Cut::ScaleMidpoint,
            x_cut: Cut::Mean,
            advanced: AdvancedRule::default(),
            spread: SpreadRule::OfBasis,
        }
    }
}

impl SummaryOptions {
    /// Options with the given basis.
    #[must_use]
    pub fn with_basis(mut self, basis: Basis) -> Self {
        self.basis = basis;
        self
    }
    /// Options with the given scoring options.
    #[must_use]
    pub fn with_score(mut self, score: ScoreOptions) -> Self {
        self.score = score;
        self
    }
    /// Options with the given cuts.
    #[must_use]
    pub fn with_cuts(mut self, y_cut: Cut, x_cut: Cut) -> Self {
        self.y_cut = y_cut;
        self.x_cut = x_cut;
        self
    }
    /// Options with the given spread rule.
    #[must_use]
    pub fn with_spread(mut self, spread: SpreadRule) -> Self {
        self.spread = spread;
        self
    }
    /// Options with the given advanced rule.
    #[must_use]
    pub fn with_advanced(mut self, advanced: AdvancedRule) -> Self {
        self.advanced = advanced;
        self
    }
}

/// One row per district (districts in the panel's sorted order).
#[derive(Debug, Clone, PartialEq)]
pub struct DistrictSummaries {
    /// District names (shared with the panel, not copied).
    pub districts: Arc<[String]>,
    /// The basis the summary was computed on.
    pub basis: Basis,
    /// Component short names (the columns of `components` and `bands`).
    pub component_names: Vec<String>,
    /// Overall score on the basis.
    pub score: Array1<f64>,
    /// Population variance of the basis ratings.
    pub spread: Array1<f64>,
    /// Share of elements rated on the basis (rated at least once on the
    /// average basis).
    pub coverage: Array1<f64>,
    /// Share of the basis's cells rated: rated (snapshot, element) cells
    /// over snapshots x elements (on the recent basis, the same as
    /// `coverage`).
    pub cell_coverage: Array1<f64>,
    /// Why a district has no score on the basis (`None` when it has one):
    /// such districts have no quadrant and no place in rankings, and say so
    /// here rather than disappear.
    pub unscored: Vec<Option<String>>,
    /// Component scores on the basis, districts x components.
    pub components: Array2<f64>,
    /// Component bands (level values; NaN where a component has no score).
    pub bands: Array2<f64>,
    /// Advanced flag.
    pub advanced: Vec<bool>,
    /// Quadrant (`None` where score or spread is NaN).
    pub quadrant: Vec<Option<Quadrant>>,
    /// Recent progress: latest overall score minus the mean overall score.
    pub recent_progress: Array1<f64>,
    /// Number of snapshots.
    pub n_snapshots: Vec<usize>,
    /// Date of the first snapshot.
    pub first_date: Vec<YearMonth>,
    /// Date of the most recent snapshot.
    pub last_date: Vec<YearMonth>,
    /// The score cut used (resolved to a number).
    pub y_cut: f64,
    /// The spread cut used (resolved to a number).
    pub x_cut: f64,
    /// The advanced rule in force, resolved on the rubric's scale.
    pub advanced_rule: ResolvedAdvanced,
    exact: ExactScores,
}

impl DistrictSummaries {
    /// Number of districts.
    #[must_use]
    pub fn len(&self) -> usize {
        self.districts.len()
    }
    /// Whether there are no districts (never, for a valid panel).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.districts.is_empty()
    }
    /// Index of a district by name.
    #[must_use]
    pub fn index_of(&self, district: &str) -> Option<usize> {
        self.districts
            .binary_search_by(|d| d.as_str().cmp(district))
            .ok()
    }
    /// District indices sorted by score, highest first (NaN last); districts
    /// whose scores are exactly equal keep name order.
    #[must_use]
    pub fn order_by_score(&self) -> Vec<usize> {
        let scores = self.score.as_slice().unwrap_or_default();
        self.exact
            .order(scores, |d| self.exact.score(d).unwrap_or_default())
    }
    /// Competition ranks of the districts in `order` (an exact order by
    /// score) into `out`, exact ties sharing the lower rank.
    pub(crate) fn competition_ranks(&self, order: &[usize], out: &mut [f64]) {
        let scores = self.score.as_slice().unwrap_or_default();
        let e = &self.exact;
        let approx = |d: usize| Approx {
            value: scores[d],
            err: e.err,
            den: e.den,
        };
        exact::competition_ranks(
            order,
            scores,
            |a, b| {
                exact::decide(approx(a), approx(b), || e.score(a).cmp(&e.score(b)))
                    == std::cmp::Ordering::Equal
            },
            out,
        );
    }
    /// Number of advanced districts.
    #[must_use]
    pub fn n_advanced(&self) -> usize {
        self.advanced.iter().filter(|a| **a).count()
    }
    /// Number of districts in each quadrant, in [`Quadrant::ALL`] order.
    #[must_use]
    pub fn quadrant_counts(&self) -> [usize; 4] {
        let mut n = [0; 4];
        for q in self.quadrant.iter().flatten() {
            n[q.index()] += 1;
        }
        n
    }
}

/// Exact scores of a summary's districts, recomputed from the panel on
/// demand (for exact ties).
#[derive(Clone)]
struct ExactScores {
    panel: Panel,
    bands: Arc<Bands>,
    rules: Arc<ExactRules>,
    basis: Basis,
    spread_rule: SpreadRule,
    err: f64,
    den: Option<u128>,
}

impl fmt::Debug for ExactScores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExactScores").finish_non_exhaustive()
    }
}

impl PartialEq for ExactScores {
    /// Derived data: two summaries are equal when their visible fields are.
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl ExactScores {
    fn values(&self, d: usize) -> Vec<Option<Exact>> {
        basis::exact_values(&self.panel, &self.bands, d, self.basis)
    }
    fn score(&self, d: usize) -> Option<Exact> {
        self.rules.overall(&self.values(d))
    }
    fn spread(&self, d: usize) -> Option<Exact> {
        match self.spread_rule {
            SpreadRule::OfBasis => exact::population_variance(&self.values(d)),
            SpreadRule::MeanOfSnapshots => crate::spread::mean_of_snapshots_exact(
                &self.panel,
                &self.bands,
                self.basis.rows(self.panel.district_rows(d)),
            ),
        }
    }
    fn order(&self, scores: &[f64], exact: impl FnMut(usize) -> Exact) -> Vec<usize> {
        exact::order_desc(scores, self.err, self.den, exact)
    }
}

/// Both outputs of one pass: per-snapshot scores and district summaries.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// Per-snapshot scores (rows as in the panel).
    pub snapshots: SnapshotScores,
    /// Per-district summaries.
    pub districts: DistrictSummaries,
}

impl Panel {
    /// District summaries on a basis.
    ///
    /// # Errors
    /// Option errors as [`Scorer::new`], [`Cut::check`] and
    /// [`AdvancedRule::resolve`]; [`Error::MissingRating`] (naming district,
    /// date and element) under [`crate::MissingPolicy::Strict`].
    ///
    /// # Examples
    /// ```
    /// use portfolio_snapshot::{datasets, SummaryOptions};
    /// let panel = datasets::demo_panel()?;
    /// let s = panel.summarize(&SummaryOptions::default())?;
    /// assert_eq!(s.len(), 25);
    /// assert_eq!(s.y_cut, 3.0);
    /// # Ok::<(), portfolio_snapshot::Error>(())
    /// ```
    pub fn summarize(&self, options: &SummaryOptions) -> Result<DistrictSummaries> {
        run(self, options, None, &Control::new())
    }

    /// [`Panel::summarize`] under a [`Control`].
    ///
    /// # Errors
    /// As [`Panel::summarize`], and [`Error::Cancelled`].
    pub fn summarize_with(
        &self,
        options: &SummaryOptions,
        control: &Control,
    ) -> Result<DistrictSummaries> {
        run(self, options, None, control)
    }

    /// Per-snapshot scores and district summaries in a single pass over the
    /// ratings.
    ///
    /// # Errors
    /// As [`Panel::summarize`].
    pub fn analyze(&self, options: &SummaryOptions) -> Result<Analysis> {
        let k = self.rubric().components().len();
        let mut snapshots = SnapshotScores::zeroed(self.n_snapshots(), k)?;
        let districts = run(self, options, Some(snapshots.view_mut()), &Control::new())?;
        Ok(Analysis {
            snapshots,
            districts,
        })
    }

    /// [`Panel::analyze`] writing the per-snapshot scores into
    /// caller-provided, C-contiguous arrays (snapshots x components and
    /// snapshots), so that repeated analyses reuse their pages; returns the
    /// district summaries.
    ///
    /// # Errors
    /// As [`Panel::summarize`]; [`Error::LengthMismatch`] for an output of
    /// the wrong shape, [`Error::InvalidParameter`] for one that is not
    /// C-contiguous.
    ///
    /// # Examples
    /// ```
    /// use portfolio_snapshot::{datasets, SnapshotScores, SummaryOptions};
    /// let panel = datasets::demo_panel()?;
    /// let mut out = panel.analyze(&SummaryOptions::default())?.snapshots; // any buffers of the right shape
    /// let districts = panel.analyze_into(&SummaryOptions::default(), out.view_mut())?;
    /// assert_eq!(districts.len(), 25);
    /// # Ok::<(), portfolio_snapshot::Error>(())
    /// ```
    pub fn analyze_into(
        &self,
        options: &SummaryOptions,
        snapshots: SnapshotScoresMut<'_>,
    ) -> Result<DistrictSummaries> {
        run(self, options, Some(snapshots), &Control::new())
    }
}

/// Everything about the options that a pass needs, checked once.
pub(crate) struct Plan {
    pub scorer: Scorer,
    pub bands: Arc<Bands>,
    pub rules: Arc<ExactRules>,
    pub advanced: ResolvedAdvanced,
    pub precision: Precision,
    /// The scale's midpoint, as a float and exactly.
    pub midpoint: (f64, Option<Exact>),
    /// Error bounds of component scores, overall scores and spreads.
    pub err: (f64, f64, f64),
    /// Denominator bounds of the same.
    pub den: (Option<u128>, Option<u128>, Option<u128>),
    /// The band boundaries for component scores as floats (within
    /// `err.0`).
    pub clear: ClearCuts,
}

impl Plan {
    pub(crate) fn new(panel: &Panel, opts: &SummaryOptions) -> Result<Self> {
        let rubric = panel.rubric();
        let scorer = Scorer::new(rubric, &opts.score)?;
        opts.y_cut.check(Axis::Score)?;
        opts.x_cut.check(Axis::Spread)?;
        let advanced = if opts.advanced == AdvancedRule::default() {
            rubric.default_advanced()?
        } else {
            opts.advanced
                .resolve(rubric.scale(), scorer.n_components())?
        };
        let bands = rubric.bands(panel.options().allowed);
        let precision = Precision::of(panel, &bands, opts.basis);
        let err = scorer.error_bounds(&precision.model);
        let den = scorer.denominators(precision.value_den);
        let rules = scorer.exact_rules();
        let midpoint = rubric.midpoint().clone();
        let clear = bands.clear_cuts(err.0);
        Ok(Self {
            midpoint,
            scorer,
            clear,
            bands,
            rules: Arc::new(rules),
            advanced,
            precision,
            err,
            den,
        })
    }

    /// The band (level index) of each component score of one basis row,
    /// decided exactly; `exact` gives the row's exact values when needed.
    pub(crate) fn bands_of(
        &self,
        components: &[f64],
        out: &mut [Option<usize>],
        exact: impl FnMut() -> Vec<Option<Exact>>,
    ) {
        self.bands_with(components, |k| self.clear.band(components[k]), out, exact);
    }

    /// The float test of [`Plan::bands_of`] on many component scores at
    /// once, in SIMD lanes: per score, its band or
    /// [`crate::simd::UNCLEAR`] (NaN, or too near a boundary for floats).
    pub(crate) fn clear_bands(&self, components: &[f64], codes: &mut [u32]) {
        crate::simd::clear_bands(self.clear.cuts(), components, codes);
    }

    /// [`Plan::bands_of`] with the float test already made: `codes` from
    /// [`Plan::clear_bands`] on this row's component scores.
    pub(crate) fn bands_of_coded(
        &self,
        components: &[f64],
        codes: &[u32],
        out: &mut [Option<usize>],
        exact: impl FnMut() -> Vec<Option<Exact>>,
    ) {
        let clear = |k: usize| match codes[k] {
            crate::simd::UNCLEAR => None,
            band => Some(band as usize),
        };
        self.bands_with(components, clear, out, exact);
    }

    /// The bands of one row, `clear(k)` giving component `k`'s band where
    /// floats decide it.
    #[inline]
    fn bands_with(
        &self,
        components: &[f64],
        clear: impl Fn(usize) -> Option<usize>,
        out: &mut [Option<usize>],
        mut exact: impl FnMut() -> Vec<Option<Exact>>,
    ) {
        let mut exact_components: Option<Vec<Option<Exact>>> = None;
        for (k, (&c, b)) in components.iter().zip(out.iter_mut()).enumerate() {
            *b = if c.is_nan() {
                None
            } else if let Some(band) = clear(k) {
                // clearly between two boundaries: the float decides
                Some(band)
            } else {
                let approx = Approx {
                    value: c,
                    err: self.err.0,
                    den: self.den.0,
                };
                Some(self.bands.band(approx, || {
                    let all =
                        exact_components.get_or_insert_with(|| self.rules.components(&exact()));
                    all[k].clone().unwrap_or_default()
                }))
            };
        }
    }
}

/// A cut resolved to a number, with its exact value on demand.
pub(crate) struct ResolvedCut<'a> {
    pub approx: Approx,
    exact: OnceLock<Option<Exact>>,
    make: Box<dyn Fn() -> Option<Exact> + Sync + 'a>,
}

impl<'a> ResolvedCut<'a> {
    /// Resolve `cut` over `values` (NaN skipped), each within `err` of an
    /// exact value with denominator dividing `den`; `exact(i)` gives value
    /// `i` exactly; `midpoint` is the scale's (float, exact).
    pub(crate) fn new(
        cut: Cut,
        values: &'a [f64],
        err: f64,
        den: Option<u128>,
        magnitude: f64,
        midpoint: (f64, Option<Exact>),
        exact: impl Fn(usize) -> Option<Exact> + Sync + 'a,
    ) -> Self {
        let present: Vec<usize> = (0..values.len()).filter(|&i| !values[i].is_nan()).collect();
        let count = present.len();
        let (approx, make): (Approx, Box<dyn Fn() -> Option<Exact> + Sync + 'a>) = match cut {
            Cut::Value(v) => {
                let x = exact::decimal(v);
                let den = x.as_ref().and_then(exact::denominator);
                (
                    Approx {
                        value: v,
                        err: v.abs() * exact::UNIT,
                        den,
                    },
                    Box::new(move || x.clone()),
                )
            }
            Cut::ScaleMidpoint => {
                let (f, x) = midpoint;
                let den = x.as_ref().and_then(exact::denominator);
                (
                    Approx {
                        value: f,
                        err: magnitude * exact::UNIT,
                        den,
                    },
                    Box::new(move || x.clone()),
                )
            }
            Cut::Mean => {
                #[allow(clippy::cast_precision_loss)]
                let value = if count == 0 {
                    f64::NAN
                } else {
                    present.iter().map(|&i| values[i]).sum::<f64>() / count as f64
                };
                let den = den.and_then(|d| d.checked_mul(count as u128));
                let present = present.clone();
                (
                    Approx {
                        value,
                        err: ErrorModel::mean_of(count, err, magnitude),
                        den,
                    },
                    Box::new(move || {
                        let xs: Vec<Exact> = present.iter().filter_map(|&i| exact(i)).collect();
                        (!xs.is_empty()).then(|| exact::mean(xs.iter()))
                    }),
                )
            }
            Cut::Median => {
                let value = median(present.iter().map(|&i| values[i]).collect());
                let den = den.and_then(|d| d.checked_mul(2));
                let present = present.clone();
                (
                    Approx {
                        value,
                        err: err + magnitude * exact::UNIT,
                        den,
                    },
                    Box::new(move || {
                        exact::median(present.iter().filter_map(|&i| exact(i)).collect())
                    }),
                )
            }
        };
        Self {
            approx,
            exact: OnceLock::new(),
            make,
        }
    }

    /// The exact cut value (computed once).
    pub(crate) fn exact(&self) -> Option<&Exact> {
        self.exact.get_or_init(|| (self.make)()).as_ref()
    }

    /// [`ResolvedCut::at_or_above`] for values within `err` of their exact
    /// values, when floats decide it: the same first test, made without
    /// the rest of an exact decision (`None`: ask `at_or_above`).
    #[inline]
    pub(crate) fn side_by_float(&self, value: f64, err: f64) -> Option<bool> {
        let tol = (err + self.approx.err) * (1.0 + 1e-9) + f64::MIN_POSITIVE;
        exact::by_float(value, self.approx.value, tol).map(|o| o != Ordering::Less)
    }

    /// Whether a value lies on the upper side of the cut (at or above it),
    /// decided exactly; `exact` gives the value exactly when needed.
    pub(crate) fn at_or_above(&self, value: Approx, exact: impl FnOnce() -> Option<Exact>) -> bool {
        exact::decide(value, self.approx, || match (exact(), self.exact()) {
            (Some(a), Some(b)) => a.cmp(b),
            _ => value.value.total_cmp(&self.approx.value),
        }) != Ordering::Less
    }
}

/// Median of the values (mean of the middle two for an even count); NaN when
/// empty.
pub(crate) fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        0.5 * (v[n / 2 - 1] + v[n / 2])
    }
}

/// Mutable output slices for a run of whole districts.
struct Task<'a> {
    districts: std::ops::Range<usize>,
    rows: std::ops::Range<usize>,
    snap_comp: &'a mut [f64],
    snap_overall: &'a mut [f64],
    snap_spread: &'a mut [f64],
    snap_cov: &'a mut [f64],
    comp: &'a mut [f64],
    bands: &'a mut [f64],
    score: &'a mut [f64],
    spread: &'a mut [f64],
    cov: &'a mut [f64],
    cell_cov: &'a mut [f64],
    progress: &'a mut [f64],
    advanced: &'a mut [bool],
}

/// Snapshot rows scored at a time (the scratch of a task is this many
/// overall scores, and as many basis rows).
const CHUNK_ROWS: usize = 256;

/// One district's running sums while its rows stream past.
struct DistrictSums {
    sums: Vec<f64>,
    counts: Vec<f64>,
    overall_sum: f64,
    overall_n: usize,
    last_overall: f64,
}

impl DistrictSums {
    fn new(n_el: usize) -> Self {
        Self {
            sums: vec![0.0; n_el],
            counts: vec![0.0; n_el],
            overall_sum: 0.0,
            overall_n: 0,
            last_overall: f64::NAN,
        }
    }

    /// The district's basis row (each element's mean, NaN where not rated)
    /// appended to `basis`, its recent progress and the share of its
    /// `basis_cells` that are rated; then reset.
    fn finish(&mut self, basis: &mut Vec<f64>, basis_cells: usize) -> (f64, f64) {
        #[allow(clippy::cast_precision_loss)] // counts far below 2^52
        let cell_cov = exact_total(&self.counts) / basis_cells.max(1) as f64;
        basis.extend(
            self.sums
                .iter()
                .zip(&self.counts)
                .map(|(&s, &c)| if c == 0.0 { f64::NAN } else { s / c }),
        );
        #[allow(clippy::cast_precision_loss)]
        let mean_overall = if self.overall_n == 0 {
            f64::NAN
        } else {
            self.overall_sum / self.overall_n as f64
        };
        let progress = self.last_overall - mean_overall;
        self.sums.fill(0.0);
        self.counts.fill(0.0);
        (self.overall_sum, self.overall_n, self.last_overall) = (0.0, 0, f64::NAN);
        (progress, cell_cov)
    }
}

/// The sum of whole numbers below 2^53 (so exact in any order), in four
/// independent running sums rather than one chain of additions.
fn exact_total(counts: &[f64]) -> f64 {
    let mut acc = [0.0; 4];
    let chunks = counts.chunks_exact(4);
    let rest: f64 = chunks.remainder().iter().sum();
    for c in chunks {
        for (a, x) in acc.iter_mut().zip(c) {
            *a += x;
        }
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + rest
}

impl Task<'_> {
    /// The task's districts: snapshot rows scored in chunks (in SIMD lanes,
    /// into the per-snapshot outputs when wanted), each district's basis
    /// accumulated as its rows pass, and the basis rows of finished
    /// districts scored in batches; then bands and the advanced flag.
    /// Scratch: `CHUNK_ROWS` overall scores and basis rows.
    fn run(
        mut self,
        panel: &Panel,
        plan: &Plan,
        basis: Basis,
        want_snapshots: bool,
        levels: &[f64],
    ) -> Result<()> {
        let scorer = &plan.scorer;
        let n_el = panel.rubric().n_elements();
        let k = scorer.n_components();
        let offsets = panel.district_offsets();
        let ratings = panel.ratings();
        let data = ratings
            .as_slice()
            .unwrap_or_else(|| unreachable!("a panel stores its ratings in C order"));
        let (r0, r1) = (self.rows.start, self.rows.end);
        let mut overall = vec![0.0; CHUNK_ROWS];
        let mut acc = DistrictSums::new(n_el);
        let mut batch: Vec<f64> = Vec::with_capacity(CHUNK_ROWS * n_el);
        let mut batch_first = 0; // index in the task of the batch's first district
        let mut band_idx = vec![None; k];
        // the float band codes of a batch (see `Plan::clear_bands`)
        let mut codes = Vec::with_capacity(CHUNK_ROWS * k);
        let mut district = self.districts.start;
        let mut chunk_start = r0;
        while chunk_start < r1 {
            let chunk_end = (chunk_start + CHUNK_ROWS).min(r1);
            self.score_chunk(
                panel,
                scorer,
                chunk_start..chunk_end,
                want_snapshots,
                &mut overall,
            )?;
            let mut r = chunk_start;
            while r < chunk_end {
                while r >= offsets[district + 1] {
                    let di = district - self.districts.start;
                    let cells = basis.rows(offsets[district]..offsets[district + 1]).len() * n_el;
                    (self.progress[di], self.cell_cov[di]) = acc.finish(&mut batch, cells);
                    district += 1;
                    if batch.len() == CHUNK_ROWS * n_el {
                        self.score_batch(
                            panel,
                            plan,
                            basis,
                            &batch,
                            batch_first,
                            levels,
                            &mut band_idx,
                            &mut codes,
                        );
                        batch.clear();
                        batch_first = district - self.districts.start;
                    }
                }
                let seg_end = offsets[district + 1].min(chunk_end);
                let in_basis = basis.rows(offsets[district]..offsets[district + 1]);
                let (lo, hi) = (r.max(in_basis.start), seg_end.min(in_basis.end));
                if lo < hi {
                    crate::simd::accumulate(
                        &data[lo * n_el..hi * n_el],
                        &mut acc.sums,
                        &mut acc.counts,
                    );
                }
                for &ov in &overall[r - chunk_start..seg_end - chunk_start] {
                    if !ov.is_nan() {
                        acc.overall_sum += ov;
                        acc.overall_n += 1;
                    }
                    acc.last_overall = ov;
                }
                r = seg_end;
            }
            chunk_start = chunk_end;
        }
        // the last district of the task
        if district < self.districts.end {
            let di = district - self.districts.start;
            let cells = basis.rows(offsets[district]..offsets[district + 1]).len() * n_el;
            (self.progress[di], self.cell_cov[di]) = acc.finish(&mut batch, cells);
        }
        if !batch.is_empty() {
            self.score_batch(
                panel,
                plan,
                basis,
                &batch,
                batch_first,
                levels,
                &mut band_idx,
                &mut codes,
            );
        }
        Ok(())
    }

    /// Score the snapshot rows `chunk` (into the per-snapshot outputs when
    /// wanted) and leave their overall scores at the front of `overall`.
    fn score_chunk(
        &mut self,
        panel: &Panel,
        scorer: &Scorer,
        chunk: std::ops::Range<usize>,
        want_snapshots: bool,
        overall: &mut [f64],
    ) -> Result<()> {
        let n_el = panel.rubric().n_elements();
        let k = scorer.n_components();
        let ratings = panel.ratings();
        let data = ratings
            .as_slice()
            .unwrap_or_else(|| unreachable!("a panel stores its ratings in C order"));
        let (chunk_start, chunk_end) = (chunk.start, chunk.end);
        let r0 = self.rows.start;
        let (first, last) = (chunk_start - r0, chunk_end - r0);
        let mut out = if want_snapshots {
            RowsOut {
                components: Some(&mut self.snap_comp[first * k..last * k]),
                overall: Some(&mut self.snap_overall[first..last]),
                spread: Some(&mut self.snap_spread[first..last]),
                coverage: Some(&mut self.snap_cov[first..last]),
            }
        } else {
            RowsOut {
                components: None,
                overall: Some(&mut overall[..last - first]),
                spread: None,
                coverage: None,
            }
        };
        let rows = &data[chunk_start * n_el..chunk_end * n_el];
        if let Some(Stop::Missing { row, col } | Stop::Outside { row, col }) =
            scorer.score_rows(rows, &mut out, None)
        {
            let r = chunk_start + row;
            return Err(Error::MissingRating {
                district: panel.row_district(r).to_owned(),
                date: panel.dates()[r],
                element: panel.rubric().element_ids()[col].clone(),
            });
        }
        if want_snapshots {
            overall[..last - first].copy_from_slice(&self.snap_overall[first..last]);
        }
        Ok(())
    }

    /// Score a batch of finished districts' basis rows (the task's
    /// districts from `first`), then band their components and decide
    /// whether each is advanced.
    #[allow(clippy::too_many_arguments)] // the task's parts and the plan
    fn score_batch(
        &mut self,
        panel: &Panel,
        plan: &Plan,
        basis: Basis,
        batch: &[f64],
        first: usize,
        levels: &[f64],
        band_idx: &mut [Option<usize>],
        codes: &mut Vec<u32>,
    ) {
        let k = plan.scorer.n_components();
        let n_el = panel.rubric().n_elements();
        let n = batch.len() / n_el;
        let range = first..first + n;
        plan.scorer.score_rows(
            batch,
            &mut RowsOut {
                components: Some(&mut self.comp[range.start * k..range.end * k]),
                overall: Some(&mut self.score[range.clone()]),
                spread: Some(&mut self.spread[range.clone()]),
                coverage: Some(&mut self.cov[range.clone()]),
            },
            None,
        );
        // the float test of every band of the batch at once, in SIMD lanes
        codes.resize(n * k, 0);
        plan.clear_bands(&self.comp[range.start * k..range.end * k], codes);
        for (di, codes) in range.zip(codes.chunks_exact(k)) {
            let d = self.districts.start + di;
            let comps = &self.comp[di * k..(di + 1) * k];
            plan.bands_of_coded(comps, codes, band_idx, || {
                basis::exact_values(panel, &plan.bands, d, basis)
            });
            for (b, i) in self.bands[di * k..(di + 1) * k]
                .iter_mut()
                .zip(band_idx.iter())
            {
                *b = i.map_or(f64::NAN, |i| levels[i]);
            }
            self.advanced[di] = plan.advanced.is_advanced(band_idx);
        }
    }
}

fn as_slice(a: &mut Array2<f64>) -> &mut [f64] {
    a.as_slice_mut()
        .unwrap_or_else(|| unreachable!("a fresh C-order array"))
}

#[allow(clippy::mut_mut)] // the rest of a slice, advanced in place
fn split_off<'a, T>(rest: &mut &'a mut [T], n: usize) -> &'a mut [T] {
    let (head, tail) = std::mem::take(rest).split_at_mut(n);
    *rest = tail;
    head
}

/// Boundaries of runs of whole districts of about `TASK_ROWS` rows (one run
/// when the panel is small).
pub(crate) fn district_runs(panel: &Panel) -> Vec<usize> {
    let offsets = panel.district_offsets();
    let n_d = panel.n_districts();
    let mut bounds = vec![0usize];
    let task_rows = if panel.n_snapshots() * panel.rubric().n_elements() < PARALLEL_MIN_CELLS {
        usize::MAX
    } else {
        TASK_ROWS
    };
    let mut start_row = 0;
    for d in 0..n_d {
        if offsets[d + 1] - start_row >= task_rows {
            bounds.push(d + 1);
            start_row = offsets[d + 1];
        }
    }
    if *bounds.last().unwrap_or(&0) != n_d {
        bounds.push(n_d);
    }
    bounds
}

/// The single pass behind `summarize` and `analyze`.
#[allow(clippy::too_many_lines)]
fn run(
    panel: &Panel,
    opts: &SummaryOptions,
    snapshots: Option<SnapshotScoresMut<'_>>,
    control: &Control,
) -> Result<DistrictSummaries> {
    let rubric = panel.rubric();
    let plan = Plan::new(panel, opts)?;
    let scorer = &plan.scorer;
    let k = scorer.n_components();
    let n_rows = panel.n_snapshots();
    let n_d = panel.n_districts();
    let offsets = panel.district_offsets();
    let levels = plan.bands.levels().to_vec();

    let want_snapshots = snapshots.is_some();
    let (snap_comp, snap_overall, snap_spread, snap_cov): (
        &mut [f64],
        &mut [f64],
        &mut [f64],
        &mut [f64],
    ) = match snapshots {
        None => (&mut [], &mut [], &mut [], &mut []),
        Some(out) => {
            if out.components.shape() != [n_rows, k] {
                return Err(Error::LengthMismatch {
                    what: "snapshots x components of the component-score output",
                    expected: n_rows * k,
                    found: out.components.len(),
                });
            }
            (
                crate::score::out_slice(out.components, n_rows * k, "component-score output")?,
                crate::score::out_slice(out.overall, n_rows, "overall-score output")?,
                crate::score::out_slice(out.spread, n_rows, "spread output")?,
                crate::score::out_slice(out.coverage, n_rows, "coverage output")?,
            )
        }
    };
    let mut comp = Array2::zeros((n_d, k));
    let mut bands = Array2::zeros((n_d, k));
    let mut score = Array1::zeros(n_d);
    let mut spread = Array1::zeros(n_d);
    let mut cov = Array1::zeros(n_d);
    let mut cell_cov = Array1::zeros(n_d);
    let mut progress = Array1::zeros(n_d);
    let mut advanced = vec![false; n_d];

    let bounds = district_runs(panel);
    let mut tasks = Vec::with_capacity(bounds.len());
    {
        let mut rest_snap_comp = snap_comp;
        let mut rest_snap_overall = snap_overall;
        let mut rest_snap_spread = snap_spread;
        let mut rest_snap_cov = snap_cov;
        let mut rest_comp: &mut [f64] = as_slice(&mut comp);
        let mut rest_bands: &mut [f64] = as_slice(&mut bands);
        let mut rest_score = score.as_slice_mut().unwrap_or_else(|| unreachable!());
        let mut rest_spread = spread.as_slice_mut().unwrap_or_else(|| unreachable!());
        let mut rest_cov = cov.as_slice_mut().unwrap_or_else(|| unreachable!());
        let mut rest_cell_cov = cell_cov.as_slice_mut().unwrap_or_else(|| unreachable!());
        let mut rest_progress = progress.as_slice_mut().unwrap_or_else(|| unreachable!());
        let mut rest_advanced: &mut [bool] = &mut advanced;
        for w in bounds.windows(2) {
            let (d0, d1) = (w[0], w[1]);
            let rows = offsets[d0]..offsets[d1];
            let nr = if want_snapshots { rows.len() } else { 0 };
            let nd = d1 - d0;
            tasks.push(Task {
                districts: d0..d1,
                rows,
                snap_comp: split_off(&mut rest_snap_comp, nr * k),
                snap_overall: split_off(&mut rest_snap_overall, nr),
                snap_spread: split_off(&mut rest_snap_spread, nr),
                snap_cov: split_off(&mut rest_snap_cov, nr),
                comp: split_off(&mut rest_comp, nd * k),
                bands: split_off(&mut rest_bands, nd * k),
                score: split_off(&mut rest_score, nd),
                spread: split_off(&mut rest_spread, nd),
                cov: split_off(&mut rest_cov, nd),
                cell_cov: split_off(&mut rest_cell_cov, nd),
                progress: split_off(&mut rest_progress, nd),
                advanced: split_off(&mut rest_advanced, nd),
            });
        }
    }

    let process = |task: Task<'_>| -> Result<()> {
        control.check("summary")?;
        task.run(panel, &plan, opts.basis, want_snapshots, &levels)
    };
    let results: Vec<Result<()>> = if tasks.len() > 1 {
        crate::parallel::install(|| tasks.into_par_iter().map(process).collect())
    } else {
        tasks.into_iter().map(process).collect()
    };
    results.into_iter().collect::<Result<()>>()?;
    // the spread's error bound and denominator under the rule in force
    let spread_precision = match opts.spread {
        SpreadRule::OfBasis => (plan.err.2, plan.den.2),
        SpreadRule::MeanOfSnapshots => {
            let mut scratch = Vec::new();
            let mut most_rows = 1;
            for d in 0..n_d {
                control.check("summary")?;
                let rows = opts.basis.rows(panel.district_rows(d));
                most_rows = most_rows.max(rows.len());
                spread[d] = crate::spread::mean_of_snapshots(panel, scorer, rows, &mut scratch);
            }
            let r = plan.bands.magnitude();
            (ErrorModel::mean_of(most_rows, plan.err.2, r * r), None)
        }
    };

    let exact_scores = ExactScores {
        panel: panel.clone(),
        bands: Arc::clone(&plan.bands),
        rules: Arc::clone(&plan.rules),
        basis: opts.basis,
        spread_rule: opts.spread,
        err: plan.err.1,
        den: plan.den.1,
    };
    let quadrant = classify_quadrants(
        &plan,
        opts,
        score.as_slice().unwrap_or_default(),
        spread.as_slice().unwrap_or_default(),
        spread_precision,
        &exact_scores,
    );
    let n_snapshots = (0..n_d).map(|d| offsets[d + 1] - offsets[d]).collect();
    let dates = panel.dates();
    let first_date = (0..n_d).map(|d| dates[offsets[d]]).collect();
    let last_date: Vec<YearMonth> = (0..n_d).map(|d| dates[offsets[d + 1] - 1]).collect();
    let unscored = (0..n_d)
        .map(|d| {
            score[d].is_nan().then(|| {
                let place = match opts.basis {
                    Basis::Recent => format!("its latest snapshot ({})", last_date[d]),
                    Basis::Average => "any of its snapshots".to_owned(),
                };
                if cov[d] == 0.0 {
                    format!("nothing is rated in {place}")
                } else {
                    format!(
                        "no component has enough rated elements in {place} under missing={}",
                        opts.score.missing
                    )
                }
            })
        })
        .collect();
    Ok(DistrictSummaries {
        districts: Arc::clone(panel.districts_shared()),
        basis: opts.basis,
        component_names: rubric
            .components()
            .iter()
            .map(|c| c.short_name().to_owned())
            .collect(),
        score,
        spread,
        coverage: cov,
        cell_coverage: cell_cov,
        unscored,
        components: comp,
        bands,
        advanced,
        quadrant: quadrant.0,
        recent_progress: progress,
        n_snapshots,
        first_date,
        last_date,
        y_cut: quadrant.1,
        x_cut: quadrant.2,
        advanced_rule: plan.advanced,
        exact: exact_scores,
    })
}

/// Each district's quadrant (exact sides of both cuts) and the cuts.
fn classify_quadrants(
    plan: &Plan,
    opts: &SummaryOptions,
    score: &[f64],
    spread: &[f64],
    (spread_err, spread_den): (f64, Option<u128>),
    exact: &ExactScores,
) -> (Vec<Option<Quadrant>>, f64, f64) {
    let r = plan.bands.magnitude();
    let midpoint = plan.midpoint.clone();
    let y = ResolvedCut::new(
        opts.y_cut,
        score,
        plan.err.1,
        plan.den.1,
        r,
        midpoint.clone(),
        |d| exact.score(d),
    );
    let x = ResolvedCut::new(
        opts.x_cut,
        spread,
        spread_err,
        spread_den,
        r * r,
        midpoint,
        |d| exact.spread(d),
    );
    let quadrants = score
        .iter()
        .zip(spread)
        .enumerate()
        .map(|(d, (&s, &v))| {
            if s.is_nan() || v.is_nan() || y.approx.value.is_nan() || x.approx.value.is_nan() {
                return None;
            }
            let strong = y.at_or_above(
                Approx {
                    value: s,
                    err: plan.err.1,
                    den: plan.den.1,
                },
                || exact.score(d),
            );
            let piecemeal = x.at_or_above(
                Approx {
                    value: v,
                    err: spread_err,
                    den: spread_den,
                },
                || exact.spread(d),
            );
            Some(Quadrant::from_sides(strong, piecemeal))
        })
        .collect();
    (quadrants, y.approx.value, x.approx.value)
}

#[cfg(test)]
fn is_option_error(e: &crate::Error) -> bool {
    matches!(e, crate::Error::InvalidParameter { .. })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn midpoint_is_not_a_spread_cut() {
        let panel = crate::datasets::demo_panel().unwrap();
        let opts = SummaryOptions::default().with_cuts(Cut::ScaleMidpoint, Cut::ScaleMidpoint);
        let err = panel.summarize(&opts).unwrap_err();
        assert!(is_option_error(&err));
        assert!(err.to_string().contains("x_cut"));
    }
}
