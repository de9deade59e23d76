//! District summaries: each district's score, spread, component bands,
//! advanced flag, quadrant and recent progress on a chosen basis.
//!
//! ```text
//! basis Average : element j of district d = mean over d's snapshots of the rated x_j
//! basis Recent  : element j of district d = x_j in d's most recent snapshot
//! score, spread : the scoring kernels (see `score`) on that basis row
//! band          : nearest scale level of a component score, halfway goes up
//! advanced      : #{components with band >= level} > share * #components
//! quadrant      : strong  <=> score  >= y_cut ; piecemeal <=> spread >= x_cut
//! recent progress = overall(most recent snapshot) - mean over snapshots of overall
//! ```

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use ndarray::{Array1, Array2};
use rayon::prelude::*;

use crate::date::YearMonth;
use crate::error::{Error, Result};
use crate::panel::Panel;
use crate::score::{PARALLEL_MIN_CELLS, ScoreOptions, Scorer, SnapshotScores, TASK_ROWS};

/// Which ratings of a district summarise it over time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Basis {
    /// Each element's mean over the district's snapshots (the report's
    /// Figure 4, "over time"). The default.
    #[default]
    Average,
    /// The district's most recent snapshot.
    Recent,
}

impl FromStr for Basis {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "average" => Ok(Self::Average),
            "recent" => Ok(Self::Recent),
            _ => Err(Error::InvalidParameter {
                name: "basis",
                value: format!("{s:?}"),
                reason: "must be \"average\" or \"recent\"".into(),
            }),
        }
    }
}

impl fmt::Display for Basis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Average => "average",
            Self::Recent => "recent",
        })
    }
}

/// Where a quadrant cut lies.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[non_exhaustive]
pub enum Cut {
    /// A fixed value.
    Value(f64),
    /// The mean over the districts analysed (those with a value).
    #[default]
    Mean,
    /// The median over the districts analysed (mean of the middle two for an
    /// even count).
    Median,
    /// Halfway between the scale's lowest and highest level (3.0 for CRPE).
    ScaleMidpoint,
}

impl FromStr for Cut {
    type Err = Error;
    /// `"mean"`, `"median"` or `"midpoint"` (the scale midpoint); a number
    /// is a [`Cut::Value`] and is given as such, not as text.
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "mean" => Ok(Self::Mean),
            "median" => Ok(Self::Median),
            "midpoint" => Ok(Self::ScaleMidpoint),
            _ => Err(Error::InvalidParameter {
                name: "cut",
                value: format!("{s:?}"),
                reason: "must be a number, \"mean\", \"median\" or \"midpoint\"".into(),
            }),
        }
    }
}

/// The rule for "advanced": more than `more_than_share` of the components
/// banded at `level` or better.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AdvancedRule {
    /// The band a component must reach (4.0, "in progress", by default).
    pub level: f64,
    /// The share of components that must be exceeded (0.5: "more than half").
    pub more_than_share: f64,
}

impl Default for AdvancedRule {
    fn default() -> Self {
        Self {
            level: 4.0,
            more_than_share: 0.5,
        }
    }
}

impl AdvancedRule {
    /// Whether component bands (NaN = no score) make a district advanced.
    /// Components without a score count as not reaching the level.
    ///
    /// ```
    /// use portfolio_snapshot::AdvancedRule;
    /// let rule = AdvancedRule::default();
    /// let nan = f64::NAN;
    /// assert!(rule.is_advanced(&[4.0, 5.0, 4.0, 4.0, 1.0, 2.0, 3.0])); // 4 of 7
    /// assert!(!rule.is_advanced(&[4.0, 5.0, 4.0, 3.0, 1.0, 2.0, nan])); // 3 of 7
    /// ```
    #[must_use]
    pub fn is_advanced(&self, bands: &[f64]) -> bool {
        let reached = bands.iter().filter(|&&b| b >= self.level).count();
        #[allow(clippy::cast_precision_loss)]
        let needed = self.more_than_share * bands.len() as f64;
        #[allow(clippy::cast_precision_loss)]
        let reached = reached as f64;
        reached > needed
    }
}

impl AdvancedRule {
    /// The advanced flag of every row of a component-score matrix (rows x
    /// components), banding each score on `scale` first.
    #[must_use]
    pub fn flags(
        &self,
        scale: &crate::rubric::Scale,
        components: ndarray::ArrayView2<'_, f64>,
    ) -> Vec<bool> {
        let mut bands = vec![0.0; components.ncols()];
        components
            .rows()
            .into_iter()
            .map(|row| {
                for (b, &c) in bands.iter_mut().zip(row.iter()) {
                    *b = scale.band_value(c).unwrap_or(f64::NAN);
                }
                self.is_advanced(&bands)
            })
            .collect()
    }
}

/// The four groups of the report's Figure 4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Quadrant {
    /// Score at or above the y cut, spread below the x cut.
    StrongConsistent,
    /// Score at or above the y cut, spread at or above the x cut.
    StrongPiecemeal,
    /// Score below the y cut, spread below the x cut.
    WeakerConsistent,
    /// Score below the y cut, spread at or above the x cut.
    WeakerPiecemeal,
}

impl Quadrant {
    /// All four, in the report's order.
    pub const ALL: [Quadrant; 4] = [
        Self::StrongConsistent,
        Self::StrongPiecemeal,
        Self::WeakerConsistent,
        Self::WeakerPiecemeal,
    ];

    /// The quadrant of a point; a value equal to a cut goes to the upper
    /// side. `None` when the score or the spread is NaN.
    #[must_use]
    pub fn classify(score: f64, spread: f64, y_cut: f64, x_cut: f64) -> Option<Self> {
        if score.is_nan() || spread.is_nan() {
            return None;
        }
        Some(match (score >= y_cut, spread >= x_cut) {
            (true, false) => Self::StrongConsistent,
            (true, true) => Self::StrongPiecemeal,
            (false, false) => Self::WeakerConsistent,
            (false, true) => Self::WeakerPiecemeal,
        })
    }

    /// The report's label, e.g. "strong and consistent".
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::StrongConsistent => "strong and consistent",
            Self::StrongPiecemeal => "strong but piecemeal",
            Self::WeakerConsistent => "weaker and consistent",
            Self::WeakerPiecemeal => "weaker and piecemeal",
        }
    }
}

impl fmt::Display for Quadrant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

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
    /// The advanced rule (default: more than half the components at 4+).
    pub advanced: AdvancedRule,
}

impl Default for SummaryOptions {
    fn default() -> Self {
        Self {
            basis: Basis::Average,
            score: ScoreOptions::default(),
            y_cut: Cut::ScaleMidpoint,
            x_cut: Cut::Mean,
            advanced: AdvancedRule::default(),
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
    /// Share of elements rated on the basis.
    pub coverage: Array1<f64>,
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
        self.districts.iter().position(|d| d == district)
    }
    /// District indices sorted by score, highest first (NaN last; ties keep
    /// name order).
    #[must_use]
    pub fn order_by_score(&self) -> Vec<usize> {
        let mut idx: Vec<usize> = (0..self.len()).collect();
        idx.sort_by(|&a, &b| crate::rank::cmp_desc_nan_last(self.score[a], self.score[b]));
        idx
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
    /// Per-snapshot scores: component scores, overall, spread, coverage.
    ///
    /// # Errors
    /// Option errors as [`Scorer::new`]; [`Error::MissingRating`] (naming
    /// district, date and element) under [`crate::MissingPolicy::Strict`].
    pub fn score(&self, options: &ScoreOptions) -> Result<SnapshotScores> {
        let opts = SummaryOptions::default().with_score(options.clone());
        Ok(run(self, &opts, true)?.snapshots)
    }

    /// District summaries on a basis.
    ///
    /// # Errors
    /// As [`Panel::score`], plus [`Error::InvalidParameter`] for a cut value
    /// or advanced rule that is not finite (share must be in 0..1).
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
        Ok(run(self, options, false)?.districts)
    }

    /// Per-snapshot scores and district summaries in a single pass over the
    /// ratings.
    ///
    /// # Errors
    /// As [`Panel::summarize`].
    pub fn analyze(&self, options: &SummaryOptions) -> Result<Analysis> {
        run(self, options, true)
    }
}

fn check_cut(name: &'static str, cut: Cut) -> Result<()> {
    match cut {
        Cut::Value(v) if !v.is_finite() => Err(Error::InvalidParameter {
            name,
            value: v.to_string(),
            reason: "a cut value must be finite".into(),
        }),
        _ => Ok(()),
    }
}

/// A cut as a number: the value, the scale midpoint, or the mean or median
/// of the non-NaN `values`.
pub(crate) fn resolve_cut(cut: Cut, values: &[f64], midpoint: f64) -> f64 {
    let finite = || values.iter().copied().filter(|v| !v.is_nan());
    match cut {
        Cut::Value(v) => v,
        Cut::ScaleMidpoint => midpoint,
        Cut::Mean => {
            let (s, n) = finite().fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
            #[allow(clippy::cast_precision_loss)]
            let mean = if n == 0 { f64::NAN } else { s / n as f64 };
            mean
        }
        Cut::Median => median(finite().collect()),
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
    progress: &'a mut [f64],
    advanced: &'a mut [bool],
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

/// The single pass behind `score`, `summarize` and `analyze`.
#[allow(clippy::too_many_lines)]
fn run(panel: &Panel, opts: &SummaryOptions, want_snapshots: bool) -> Result<Analysis> {
    let rubric = panel.rubric();
    let scorer = Scorer::new(rubric, &opts.score)?;
    check_cut("y_cut", opts.y_cut)?;
    check_cut("x_cut", opts.x_cut)?;
    let rule = opts.advanced;
    if !rule.level.is_finite() || !(0.0..1.0).contains(&rule.more_than_share) {
        return Err(Error::InvalidParameter {
            name: "advanced",
            value: format!("level {}, share {}", rule.level, rule.more_than_share),
            reason: "level must be finite and the share a fraction in [0, 1)".into(),
        });
    }
    let n_el = rubric.n_elements();
    let k = scorer.n_components();
    let n_rows = panel.n_snapshots();
    let n_d = panel.n_districts();
    let offsets = panel.district_offsets();
    let ratings = panel.ratings();
    let data = ratings
        .as_slice()
        .unwrap_or_else(|| unreachable!("a panel stores its ratings in C order"));
    let scale = rubric.scale();

    let snap_rows = if want_snapshots { n_rows } else { 0 };
    let mut snapshots = SnapshotScores::zeroed(snap_rows, k);
    let mut comp = Array2::zeros((n_d, k));
    let mut bands = Array2::zeros((n_d, k));
    let mut score = Array1::zeros(n_d);
    let mut spread = Array1::zeros(n_d);
    let mut cov = Array1::zeros(n_d);
    let mut progress = Array1::zeros(n_d);
    let mut advanced = vec![false; n_d];

    // Tasks are runs of whole districts of about TASK_ROWS rows.
    let mut bounds = vec![0usize];
    let task_rows = if n_rows * n_el < PARALLEL_MIN_CELLS {
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
    let mut tasks = Vec::with_capacity(bounds.len());
    {
        let mut rest_snap_comp: &mut [f64] = as_slice(&mut snapshots.components);
        let mut rest_snap_overall = snapshots
            .overall
            .as_slice_mut()
            .unwrap_or_else(|| unreachable!());
        let mut rest_snap_spread = snapshots
            .spread
            .as_slice_mut()
            .unwrap_or_else(|| unreachable!());
        let mut rest_snap_cov = snapshots
            .coverage
            .as_slice_mut()
            .unwrap_or_else(|| unreachable!());
        let mut rest_comp: &mut [f64] = as_slice(&mut comp);
        let mut rest_bands: &mut [f64] = as_slice(&mut bands);
        let mut rest_score = score.as_slice_mut().unwrap_or_else(|| unreachable!());
        let mut rest_spread = spread.as_slice_mut().unwrap_or_else(|| unreachable!());
        let mut rest_cov = cov.as_slice_mut().unwrap_or_else(|| unreachable!());
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
                progress: split_off(&mut rest_progress, nd),
                advanced: split_off(&mut rest_advanced, nd),
            });
        }
    }

    let process = |task: Task<'_>| -> Result<()> {
        let mut sums = vec![0.0; n_el];
        let mut counts = vec![0.0; n_el];
        let mut basis_row = vec![0.0; n_el];
        let mut tmp = vec![0.0; k];
        let r_base = task.rows.start;
        for (di, d) in task.districts.clone().enumerate() {
            let rows = offsets[d]..offsets[d + 1];
            let average = opts.basis == Basis::Average;
            if average {
                sums.fill(0.0);
                counts.fill(0.0);
            }
            let mut overall_sum = 0.0;
            let mut overall_n = 0usize;
            let mut last_overall = f64::NAN;
            for r in rows.clone() {
                let row = &data[r * n_el..(r + 1) * n_el];
                let i = r - r_base;
                let comp_out = if want_snapshots {
                    &mut task.snap_comp[i * k..(i + 1) * k]
                } else {
                    &mut tmp[..]
                };
                let s = if average {
                    scorer.score_row_accumulate(row, comp_out, &mut sums, &mut counts)
                } else {
                    scorer.score_row(row, comp_out)
                };
                if scorer.is_strict() {
                    if let Some(j) = s.first_missing {
                        return Err(Error::MissingRating {
                            district: panel.districts()[d].clone(),
                            date: panel.dates()[r],
                            element: rubric.element_ids()[j].clone(),
                        });
                    }
                }
                if want_snapshots {
                    task.snap_overall[i] = s.overall;
                    task.snap_spread[i] = s.spread;
                    task.snap_cov[i] = s.coverage;
                }
                if !s.overall.is_nan() {
                    overall_sum += s.overall;
                    overall_n += 1;
                }
                last_overall = s.overall;
            }
            let basis: &[f64] = if average {
                for ((b, &s), &c) in basis_row.iter_mut().zip(&sums).zip(&counts) {
                    *b = if c == 0.0 { f64::NAN } else { s / c };
                }
                &basis_row
            } else {
                let r = rows.end - 1;
                &data[r * n_el..(r + 1) * n_el]
            };
            let comp_out = &mut task.comp[di * k..(di + 1) * k];
            let s = scorer.score_row(basis, comp_out);
            task.score[di] = s.overall;
            task.spread[di] = s.spread;
            task.cov[di] = s.coverage;
            let band_out = &mut task.bands[di * k..(di + 1) * k];
            for (b, &c) in band_out.iter_mut().zip(comp_out.iter()) {
                *b = scale.band_value(c).unwrap_or(f64::NAN);
            }
            task.advanced[di] = rule.is_advanced(band_out);
            #[allow(clippy::cast_precision_loss)]
            let mean_overall = if overall_n == 0 {
                f64::NAN
            } else {
                overall_sum / overall_n as f64
            };
            task.progress[di] = last_overall - mean_overall;
        }
        Ok(())
    };
    let results: Vec<Result<()>> = if tasks.len() > 1 {
        tasks.into_par_iter().map(process).collect()
    } else {
        tasks.into_iter().map(process).collect()
    };
    results.into_iter().collect::<Result<()>>()?;

    let y_cut = resolve_cut(
        opts.y_cut,
        score.as_slice().unwrap_or_default(),
        scale.midpoint(),
    );
    let x_cut = resolve_cut(
        opts.x_cut,
        spread.as_slice().unwrap_or_default(),
        scale.midpoint(),
    );
    let quadrant = score
        .iter()
        .zip(spread.iter())
        .map(|(&y, &x)| Quadrant::classify(y, x, y_cut, x_cut))
        .collect();
    let n_snapshots = (0..n_d).map(|d| offsets[d + 1] - offsets[d]).collect();
    let dates = panel.dates();
    let first_date = (0..n_d).map(|d| dates[offsets[d]]).collect();
    let last_date = (0..n_d).map(|d| dates[offsets[d + 1] - 1]).collect();
    Ok(Analysis {
        snapshots,
        districts: DistrictSummaries {
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
            components: comp,
            bands,
            advanced,
            quadrant,
            recent_progress: progress,
            n_snapshots,
            first_date,
            last_date,
            y_cut,
            x_cut,
        },
    })
}
