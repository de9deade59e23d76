//! Variance-based sensitivity: first-order and total Sobol indices from the
//! runs of a Saltelli design, by Jansen's estimators, with bootstrap
//! intervals.
//!
//! For `k` inputs, `N` base rows of two independent samples `A` and `B`, and
//! `AB_i` (the rows of `A` with input `i` taken from `B`), the model is run
//! on `A`, `B` and each `AB_i`: `N (k + 2)` runs. With `V` the population
//! variance of the runs on `A` and `B` together:
//!
//! ```text
//! first order  S_i  = (V - 1/(2N) sum_j (f(B)_j - f(AB_i)_j)^2) / V   (Jansen 1999)
//! total        ST_i = 1/(2N) sum_j (f(A)_j - f(AB_i)_j)^2 / V         (Jansen 1999)
//! ```
//!
//! (Saltelli et al. 2010, Table 2, estimators (f) and (f).) The intervals
//! resample the `N` base rows with replacement (a seeded, portable
//! generator) and take the percentiles of the indices.
//!
//! [`Panel::sensitivity`] applies it to the simulation of
//! [`Panel::uncertainty`]: each source of uncertainty switched on is one
//! input, a uniform `u` in [0, 1). A cut is `low + (high - low) u`, the
//! aggregation rule is mean of means when `u (m + p) < m`; the rating
//! noise, the element bootstrap and the weights, which each need many
//! random numbers, take them from a generator of their own seeded by `u`
//! (a group of inputs, in Sobol's terms: its index is that of the whole
//! source). The model is the simulation's engine itself, one draw per run.

use ndarray::{Array2, ArrayView2};
use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;

use crate::control::Control;
use crate::error::{Error, Result};
use crate::panel::Panel;
use crate::uncertainty::{
    Choice, DrawSource, DrawStreams, Draws, Engine, Kept, Reuse, Simulation, UncertaintyOptions,
    quantile_linear,
};

/// Sobol indices of `k` inputs with their bootstrap intervals.
#[derive(Debug, Clone, PartialEq)]
pub struct SobolIndices {
    /// First-order index of each input (its share of the variance alone).
    pub first: Vec<f64>,
    /// Total index of each input (alone and in interaction with others).
    pub total: Vec<f64>,
    /// Interval of each first-order index at `level`.
    pub first_interval: Vec<(f64, f64)>,
    /// Interval of each total index at `level`.
    pub total_interval: Vec<(f64, f64)>,
    /// The output's variance over the runs on `A` and `B`.
    pub variance: f64,
    /// The intervals' coverage (0.9: the 5th to the 95th percentile).
    pub level: f64,
}

/// A source of uncertainty, named as the option that switches it on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Source {
    /// Ratings moving one level (`rating_noise`).
    RatingNoise,
    /// Elements resampled within components (`bootstrap_elements`).
    Bootstrap,
    /// Dirichlet component weights (`weight_alpha`).
    Weights,
    /// The score cut drawn from a range (`y_cut_range`).
    YCut,
    /// The spread cut drawn from a range (`x_cut_range`).
    XCut,
    /// Mean of means or pooled (`aggregation`).
    Aggregation,
}

impl Source {
    /// Every source, in the order the inputs take.
    pub const ALL: [Source; 6] = [
        Self::RatingNoise,
        Self::Bootstrap,
        Self::Weights,
        Self::YCut,
        Self::XCut,
        Self::Aggregation,
    ];

    /// The option that switches the source on.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::RatingNoise => "rating_noise",
            Self::Bootstrap => "bootstrap_elements",
            Self::Weights => "weight_alpha",
            Self::YCut => "y_cut_range",
            Self::XCut => "x_cut_range",
            Self::Aggregation => "aggregation",
        }
    }

    /// The source in words.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::RatingNoise => "rating noise",
            Self::Bootstrap => "the element bootstrap",
            Self::Weights => "the component weights",
            Self::YCut => "the score cut",
            Self::XCut => "the spread cut",
            Self::Aggregation => "the aggregation rule",
        }
    }

    /// Tells the generators of two sources apart when their inputs are
    /// equal.
    fn stream_tag(self) -> u64 {
        match self {
            Self::RatingNoise => 0x6E6F_6973_6500_0001,
            Self::Bootstrap => 0x626F_6F74_0000_0002,
            _ => 0x7765_6967_6874_0003,
        }
    }
}

impl UncertaintyOptions {
    /// The sources these options switch on, in [`Source::ALL`] order: the
    /// inputs of [`Panel::sensitivity`].
    #[must_use]
    pub fn sources(&self) -> Vec<Source> {
        Source::ALL
            .into_iter()
            .filter(|s| match s {
                Source::RatingNoise => self.rating_noise > 0.0,
                Source::Bootstrap => self.bootstrap_elements,
                Source::Weights => self.weight_alpha.is_some(),
                Source::YCut => self.y_cut_range.is_some(),
                Source::XCut => self.x_cut_range.is_some(),
                Source::Aggregation => self.aggregation.is_some(),
            })
            .collect()
    }
}

/// A generator seeded by an input: equal inputs, equal streams.
fn stream(u: f64, source: Source) -> Xoshiro256PlusPlus {
    Xoshiro256PlusPlus::seed_from_u64(u.to_bits() ^ source.stream_tag())
}

/// One run's randomness: each source from its own input.
struct SourceInputs {
    weights: Xoshiro256PlusPlus,
    noise: Xoshiro256PlusPlus,
    picks: Xoshiro256PlusPlus,
    aggregation: f64,
    y_cut: f64,
    x_cut: f64,
}

impl SourceInputs {
    fn new(sources: &[Source], row: &[f64]) -> Self {
        // + 0.0 makes -0.0 into 0.0: equal inputs, equal streams
        let of = |s: Source| {
            sources
                .iter()
                .position(|&x| x == s)
                .map_or(0.0, |i| row[i] + 0.0)
        };
        Self {
            weights: stream(of(Source::Weights), Source::Weights),
            noise: stream(of(Source::RatingNoise), Source::RatingNoise),
            picks: stream(of(Source::Bootstrap), Source::Bootstrap),
            aggregation: of(Source::Aggregation),
            y_cut: of(Source::YCut),
            x_cut: of(Source::XCut),
        }
    }
}

impl DrawSource for SourceInputs {
    fn weights(&mut self) -> &mut Xoshiro256PlusPlus {
        &mut self.weights
    }
    fn uniform(&mut self, which: Choice) -> f64 {
        match which {
            Choice::Aggregation => self.aggregation,
            Choice::YCut => self.y_cut,
            Choice::XCut => self.x_cut,
        }
    }
    fn streams(self, engine: &Engine) -> DrawStreams {
        DrawStreams::split(engine, self.noise, self.picks)
    }
}

/// Options of [`Panel::sensitivity`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SensitivityOptions {
    /// The sources (each one switched on is an input) and the summary
    /// options; `draws` and `seed` are not used.
    pub uncertainty: UncertaintyOptions,
    /// Base rows `N` of the design: `N (k + 2)` runs for `k` sources
    /// (default 1,024).
    pub base_rows: usize,
    /// Bootstrap resamples of the intervals (default 100).
    pub resamples: usize,
    /// Coverage of the intervals (default 0.9).
    pub level: f64,
    /// Seed of the design and of the resamples.
    pub seed: u64,
}

impl Default for SensitivityOptions {
    fn default() -> Self {
        Self {
            uncertainty: UncertaintyOptions::default(),
            base_rows: 1024,
            resamples: 100,
            level: 0.9,
            seed: 0,
        }
    }
}

impl SensitivityOptions {
    /// Every source on, around the report's choices for `panel`: rating
    /// noise 0.1 and the element bootstrap (the simulation the report
    /// runs), weights from a Dirichlet of concentration
    /// [`Self::REPORT_WEIGHT_ALPHA`] (equal on average), the score cut half
    /// a level either side of the scale's midpoint, the spread cut a
    /// quarter either side of the panel's own cut under `summary`, and
    /// either aggregation rule with equal chance; 256 base rows.
    ///
    /// # Errors
    /// As [`Panel::summarize`] (the spread cut is the summary's).
    pub fn for_report(panel: &Panel, summary: &crate::SummaryOptions) -> Result<Self> {
        let options = summary.clone();
        let summary = panel.summarize(summary)?;
        let mid = panel.rubric().scale().midpoint();
        let x = summary.x_cut;
        // the spread cut's range to three decimals, as the report shows it
        let round = |v: f64| (v * 1000.0).round() / 1000.0;
        Ok(Self {
            uncertainty: UncertaintyOptions {
                rating_noise: 0.1,
                bootstrap_elements: true,
                // weights need two components to vary
                weight_alpha: (panel.rubric().components().len() > 1)
                    .then_some(Self::REPORT_WEIGHT_ALPHA),
                y_cut_range: Some((mid - 0.5, mid + 0.5)),
                x_cut_range: x.is_finite().then_some((round(0.75 * x), round(1.25 * x))),
                aggregation: Some((1.0, 1.0)),
                summary: options,
                ..UncertaintyOptions::default()
            },
            base_rows: 256,
            ..Self::default()
        })
    }

    /// The Dirichlet concentration of [`Self::for_report`]'s weights: each
    /// of 7 weights has a standard deviation of about 30% of its mean.
    pub const REPORT_WEIGHT_ALPHA: f64 = 10.0;
}

/// Network-level outputs of a run, besides each district's score and rank.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum NetworkOutput {
    /// The number of advanced districts.
    Advanced,
    /// The number of districts in a quadrant.
    Quadrant(crate::Quadrant),
}

impl NetworkOutput {
    /// Every network-level output, in order.
    #[must_use]
    pub fn all() -> Vec<NetworkOutput> {
        std::iter::once(Self::Advanced)
            .chain(crate::Quadrant::ALL.into_iter().map(Self::Quadrant))
            .collect()
    }

    /// `"n_advanced"`, or `"n_"` and the quadrant's label
    /// (`"n_strong_and_consistent"`).
    #[must_use]
    pub fn name(self) -> String {
        match self {
            Self::Advanced => "n_advanced".to_owned(),
            Self::Quadrant(q) => format!("n_{}", q.label().replace(' ', "_")),
        }
    }

    /// The output of each run.
    fn of(self, draws: &Draws) -> Vec<f64> {
        draws
            .advanced
            .rows()
            .into_iter()
            .zip(draws.quadrant.rows())
            .map(|(a, q)| {
                let n = match self {
                    Self::Advanced => a.iter().filter(|&&x| x).count(),
                    Self::Quadrant(want) => {
                        let code = u8::try_from(want.index()).unwrap_or(u8::MAX);
                        q.iter().filter(|&&x| x == code).count()
                    }
                };
                #[allow(clippy::cast_precision_loss)] // a count of districts
                let n = n as f64;
                n
            })
            .collect()
    }
}

/// Sobol indices of each source on each output.
#[derive(Debug, Clone, PartialEq)]
pub struct Sensitivity {
    /// The sources varied (the inputs), in order.
    pub sources: Vec<Source>,
    /// District names.
    pub districts: Vec<String>,
    /// Indices on each district's overall score (NaN when the score is
    /// not a number in some run, or does not vary).
    pub score: Vec<SobolIndices>,
    /// Indices on each district's rank.
    pub rank: Vec<SobolIndices>,
    /// The network-level outputs and their indices.
    pub network: Vec<(NetworkOutput, SobolIndices)>,
    /// Base rows and runs of the design.
    pub base_rows: usize,
    /// `base_rows * (sources + 2)`.
    pub runs: usize,
    /// The options used.
    pub options: SensitivityOptions,
}

impl Sensitivity {
    /// One sentence naming the source that matters most for the ranks and
    /// for the number of advanced districts, by total index.
    #[must_use]
    pub fn headline(&self) -> String {
        let mean_total = |set: &[SobolIndices], i: usize| {
            let v: Vec<f64> = set
                .iter()
                .map(|s| s.total[i])
                .filter(|t| t.is_finite())
                .collect();
            #[allow(clippy::cast_precision_loss)] // a count of districts
            let n = v.len() as f64;
            if v.is_empty() {
                f64::NAN
            } else {
                v.iter().sum::<f64>() / n
            }
        };
        let top = |value: &dyn Fn(usize) -> f64| {
            (0..self.sources.len())
                .map(|i| (i, value(i)))
                .filter(|(_, v)| v.is_finite())
                .max_by(|a, b| a.1.total_cmp(&b.1))
        };
        let ranks = top(&|i| mean_total(&self.rank, i));
        let advanced = self
            .network
            .iter()
            .find(|(o, _)| *o == NetworkOutput::Advanced)
            .map(|(_, s)| s);
        let adv = advanced.and_then(|s| top(&|i| s.total[i]));
        let name = |i: usize| self.sources[i].label();
        match (ranks, adv) {
            (Some((r, rv)), Some((a, av))) if r == a => format!(
                "Of the {} sources varied, {} matters most, for the districts' ranks (mean total Sobol index {rv:.2}) and for the number of advanced districts ({av:.2})",
                self.sources.len(),
                name(r)
            ),
            (Some((r, rv)), Some((a, av))) => format!(
                "Of the {} sources varied, {} matters most for the districts' ranks (mean total Sobol index {rv:.2}) and {} for the number of advanced districts ({av:.2})",
                self.sources.len(),
                name(r),
                name(a)
            ),
            (Some((r, rv)), None) => format!(
                "Of the {} sources varied, {} matters most for the districts' ranks (mean total Sobol index {rv:.2}); the number of advanced districts does not vary",
                self.sources.len(),
                name(r)
            ),
            (None, Some((a, av))) => format!(
                "Of the {} sources varied, {} matters most for the number of advanced districts (total Sobol index {av:.2}); the ranks do not vary",
                self.sources.len(),
                name(a)
            ),
            (None, None) => format!(
                "None of the {} sources varied moves the ranks or the number of advanced districts",
                self.sources.len()
            ),
        }
    }
}

/// The indices of the runs (every base row once).
fn indices_of(f_a: &[f64], f_b: &[f64], swapped: ArrayView2<'_, f64>) -> (Vec<f64>, Vec<f64>, f64) {
    #[allow(clippy::cast_precision_loss)] // a count of runs
    let n = f_a.len() as f64;
    let pairs = || f_a.iter().zip(f_b);
    let mean = pairs().map(|(a, b)| a + b).sum::<f64>() / (2.0 * n);
    let variance = pairs()
        .map(|(a, b)| (a - mean).powi(2) + (b - mean).powi(2))
        .sum::<f64>()
        / (2.0 * n);
    let k = swapped.ncols();
    let mut first = vec![f64::NAN; k];
    let mut total = vec![f64::NAN; k];
    // an output that never varies has no variance to share out (the sum
    // above may leave a rounding residue, so this looks at the values)
    let varies = pairs().any(|(&a, &b)| a != f_a[0] || b != f_a[0]);
    if varies && variance > 0.0 {
        for (i, col) in swapped.columns().into_iter().enumerate() {
            let (mut b_sq, mut a_sq) = (0.0, 0.0);
            for ((a, b), x) in pairs().zip(col) {
                b_sq += (b - x).powi(2);
                a_sq += (a - x).powi(2);
            }
            first[i] = (variance - b_sq / (2.0 * n)) / variance;
            total[i] = a_sq / (2.0 * n) / variance;
        }
    }
    (first, total, variance)
}

/// First-order and total Sobol indices (Jansen) of the runs on `A`
/// (`f_a`), `B` (`f_b`) and each `AB_i` (column `i` of `swapped`, `N x k`: `A` with input `i` swapped in from `B`),
/// with percentile intervals at `level` from `resamples` bootstrap
/// resamples of the base rows (seeded by `seed`). Indices are NaN when the
/// output does not vary (every run on `A` and `B` the same value).
///
/// # Errors
/// [`Error::LengthMismatch`] when the runs differ in number;
/// [`Error::InvalidParameter`] naming `runs` (fewer than two base rows, or
/// a run that is not finite), `level` (not strictly between 0 and 1) or
/// `resamples` (fewer than 2); [`Error::TooLarge`] when the resamples
/// would not fit in [`crate::DEFAULT_MEMORY_LIMIT`].
///
/// # Examples
/// ```
/// use ndarray::Array2;
/// use portfolio_snapshot::sobol_jansen;
/// // f(x1, x2) = x1 on four base rows: x1 carries all the variance
/// let a = [0.1, 0.4, 0.7, 0.9];
/// let b = [0.3, 0.8, 0.2, 0.6];
/// let ab = Array2::from_shape_fn((4, 2), |(j, i)| if i == 0 { b[j] } else { a[j] });
/// let s = sobol_jansen(&a, &b, ab.view(), 100, 0.9, 1)?;
/// assert!((s.total[0] - 1.0).abs() < 0.5 && s.total[1] == 0.0);
/// # Ok::<(), portfolio_snapshot::Error>(())
/// ```
pub fn sobol_jansen(
    f_a: &[f64],
    f_b: &[f64],
    swapped: ArrayView2<'_, f64>,
    resamples: usize,
    level: f64,
    seed: u64,
) -> Result<SobolIndices> {
    let n = f_a.len();
    for (what, found) in [("runs on B", f_b.len()), ("runs on AB", swapped.nrows())] {
        if found != n {
            return Err(Error::LengthMismatch {
                what,
                expected: n,
                found,
            });
        }
    }
    let bad = |name: &'static str, value: String, reason: &str| Error::InvalidParameter {
        name,
        value,
        reason: reason.into(),
    };
    if n < 2 {
        return Err(bad(
            "runs",
            n.to_string(),
            "at least two base rows are needed",
        ));
    }
    if let Some(v) = f_a
        .iter()
        .chain(f_b)
        .chain(swapped.iter())
        .find(|v| !v.is_finite())
    {
        return Err(bad(
            "runs",
            v.to_string(),
            "every run's output must be a finite number",
        ));
    }
    if !(level > 0.0 && level < 1.0) {
        return Err(bad(
            "level",
            level.to_string(),
            "must be strictly between 0 and 1",
        ));
    }
    if resamples < 2 {
        return Err(bad(
            "resamples",
            resamples.to_string(),
            "at least 2 bootstrap resamples",
        ));
    }
    let counts = bootstrap_counts(n, resamples, seed, crate::control::DEFAULT_MEMORY_LIMIT)?;
    Ok(indices_with(f_a, f_b, swapped, counts.view(), level))
}

/// `resamples` draws of `n` base rows with replacement, as counts (one row
/// per resample: how often each base row was drawn), after checking that
/// they fit in `limit` bytes.
fn bootstrap_counts(n: usize, resamples: usize, seed: u64, limit: u64) -> Result<Array2<f64>> {
    let cells = (resamples as u128).saturating_mul(n as u128);
    crate::control::check_memory(
        "bootstrap resamples",
        cells,
        std::mem::size_of::<f64>() as u128,
        limit,
        "use fewer resamples",
    )?;
    crate::control::ensure_allocatable::<f64>(
        usize::try_from(cells).unwrap_or(usize::MAX),
        "bootstrap resamples",
    )?;
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut counts = Array2::zeros((resamples, n));
    for mut row in counts.rows_mut() {
        for _ in 0..n {
            row[rng.random_range(0..n)] += 1.0;
        }
    }
    Ok(counts)
}

/// The indices and their percentile intervals over the resampled rows
/// (NaN throughout when a run is not a finite number).
fn indices_with(
    f_a: &[f64],
    f_b: &[f64],
    swapped: ArrayView2<'_, f64>,
    counts: ArrayView2<'_, f64>,
    level: f64,
) -> SobolIndices {
    let k = swapped.ncols();
    let finite = f_a
        .iter()
        .chain(f_b)
        .chain(swapped.iter())
        .all(|v| v.is_finite());
    if !finite {
        return SobolIndices {
            first: vec![f64::NAN; k],
            total: vec![f64::NAN; k],
            first_interval: vec![(f64::NAN, f64::NAN); k],
            total_interval: vec![(f64::NAN, f64::NAN); k],
            variance: f64::NAN,
            level,
        };
    }
    let n = f_a.len();
    let (first, total, variance) = indices_of(f_a, f_b, swapped);
    // Every resample's sums at once: with `counts` (resamples x n, how often
    // each base row is drawn) and a table of per-row terms (n x (2 + 2k),
    // centred so that the squares stay small), one matrix product gives each
    // resample's sum of every term.
    #[allow(clippy::cast_precision_loss)] // a count of runs
    let two_n = 2.0 * n as f64;
    let centre = f_a.iter().chain(f_b).sum::<f64>() / two_n;
    let width = 2 + 2 * k;
    let mut terms = Array2::zeros((n, width));
    for ((mut t, ab), (&a, &b)) in terms
        .rows_mut()
        .into_iter()
        .zip(swapped.rows())
        .zip(f_a.iter().zip(f_b))
    {
        let (on_a, on_b) = (a - centre, b - centre);
        t[0] = on_a + on_b;
        t[1] = on_a * on_a + on_b * on_b;
        for (i, &x) in ab.iter().enumerate() {
            t[2 + i] = (b - x).powi(2);
            t[2 + k + i] = (a - x).powi(2);
        }
    }
    let sums = counts.dot(&terms);
    let mut boot_first = vec![Vec::with_capacity(counts.nrows()); k];
    let mut boot_total = vec![Vec::with_capacity(counts.nrows()); k];
    for row in sums.rows() {
        let mean = row[0] / two_n;
        let var = row[1] / two_n - mean * mean;
        // a resample of rows that all agree has no variance to share out
        let varies = var > 1e-12 * (row[1] / two_n);
        for i in 0..k {
            let (f, t) = if varies {
                let half_b = row[2 + i] / two_n;
                let half_a = row[2 + k + i] / two_n;
                ((var - half_b) / var, half_a / var)
            } else {
                (f64::NAN, f64::NAN)
            };
            boot_first[i].push(f);
            boot_total[i].push(t);
        }
    }
    let lo = (1.0 - level) / 2.0;
    let interval = |values: &mut Vec<f64>| {
        values.retain(|v| !v.is_nan());
        if values.is_empty() {
            (f64::NAN, f64::NAN)
        } else {
            (
                quantile_linear(values, lo),
                quantile_linear(values, 1.0 - lo),
            )
        }
    };
    SobolIndices {
        first,
        total,
        first_interval: boot_first.iter_mut().map(interval).collect(),
        total_interval: boot_total.iter_mut().map(interval).collect(),
        variance,
        level,
    }
}

/// The runs of one output split as the design lays them out: per base row
/// `j`, `A_j`, then `AB_1j` .. `AB_kj`, then `B_j` (the order of `SALib`).
fn split_runs(y: &[f64], k: usize) -> (Vec<f64>, Vec<f64>, Array2<f64>) {
    let n = y.len() / (k + 2);
    let mut f_a = Vec::with_capacity(n);
    let mut f_b = Vec::with_capacity(n);
    let mut swapped = Vec::with_capacity(n * k);
    for runs in y.chunks_exact(k + 2) {
        f_a.push(runs[0]);
        swapped.extend_from_slice(&runs[1..=k]);
        f_b.push(runs[k + 1]);
    }
    let swapped =
        Array2::from_shape_vec((n, k), swapped).unwrap_or_else(|_| unreachable!("n k values"));
    (f_a, f_b, swapped)
}

/// The two independent samples `A` and `B` of a Saltelli design: `n` rows
/// of `k` uniforms each, from one seeded generator.
fn design(n: usize, k: usize, seed: u64) -> (Array2<f64>, Array2<f64>) {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let sample_a = Array2::from_shape_simple_fn((n, k), || rng.random::<f64>());
    let sample_b = Array2::from_shape_simple_fn((n, k), || rng.random::<f64>());
    (sample_a, sample_b)
}

/// The runs' inputs in the design's layout (see [`split_runs`]).
#[cfg(test)]
fn layout(sample_a: &Array2<f64>, sample_b: &Array2<f64>) -> Array2<f64> {
    let (n, k) = sample_a.dim();
    Array2::from_shape_fn((n * (k + 2), k), |(t, i)| {
        let (j, slot) = (t / (k + 2), t % (k + 2));
        if slot == k + 1 || slot == i + 1 {
            sample_b[[j, i]]
        } else {
            sample_a[[j, i]]
        }
    })
}

fn no_sources() -> Error {
    Error::InvalidParameter {
        name: "sources",
        value: "none".into(),
        reason: format!(
            "no source of uncertainty is switched on: set one or more of {}",
            Source::ALL.map(Source::name).join(", ")
        ),
    }
}

impl Panel {
    /// The simulation's model run once per row of `inputs`: one column per
    /// source `opts` switches on ([`UncertaintyOptions::sources`], in that
    /// order), each a number in [0, 1). Run `t` is a draw of
    /// [`Panel::uncertainty_draws`] whose sources take their randomness from
    /// row `t` (see the module's notes). This is the model a sampler such as
    /// `SALib`'s drives; [`Panel::sensitivity`] drives it through its own
    /// Saltelli design.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming `sources` (none switched on) or
    /// `inputs` (a value outside [0, 1), naming its row and column);
    /// [`Error::LengthMismatch`] for a number of columns other than the
    /// sources'; as [`Panel::uncertainty_draws`] otherwise.
    pub fn sensitivity_runs_with(
        &self,
        opts: &UncertaintyOptions,
        inputs: ArrayView2<'_, f64>,
        control: &Control,
    ) -> Result<Draws> {
        opts.validate(self.rubric().components().len())?;
        let sources = opts.sources();
        if sources.is_empty() {
            return Err(no_sources());
        }
        if inputs.ncols() != sources.len() {
            return Err(Error::LengthMismatch {
                what: "input columns (one per source switched on)",
                expected: sources.len(),
                found: inputs.ncols(),
            });
        }
        if let Some(((r, c), v)) = inputs
            .indexed_iter()
            .find(|(_, v)| !(0.0..1.0).contains(*v))
        {
            return Err(Error::InvalidParameter {
                name: "inputs",
                value: format!(
                    "{} at row {r}, column {c} ({})",
                    crate::error::num(*v),
                    sources[c].name()
                ),
                reason: "every input is a number from 0 up to (not including) 1".into(),
            });
        }
        let sim = Simulation::new(self, opts, control)?;
        sim.run(
            inputs.nrows(),
            |t| SourceInputs::new(&sources, &inputs.row(t).to_vec()),
            control,
        )
    }

    /// The runs of a Saltelli design from its samples, in the layout of
    /// [`split_runs`]: per base row, `A`, each `AB_i`, then `B`. A run
    /// `AB_i` whose source `i` leaves the rows alone (weights, cuts,
    /// aggregation) reuses the rows of `A` instead of drawing them again
    /// (its noise and bootstrap inputs are `A`'s, so its rows are too, bit
    /// for bit), and what else of `A` its source cannot change: the
    /// component scores, bands and sticking components under other weights
    /// or aggregation, everything but the quadrants under other cuts.
    fn saltelli_runs(
        &self,
        opts: &UncertaintyOptions,
        sources: &[Source],
        sample_a: &Array2<f64>,
        sample_b: &Array2<f64>,
        control: &Control,
    ) -> Result<Draws> {
        let (n, k) = sample_a.dim();
        let sim = Simulation::new(self, opts, control)?;
        sim.run_tasks(
            n * (k + 2),
            k + 2,
            |scratch, j, outs| {
                let [kept, other] = scratch;
                let a_row = sample_a.row(j).to_vec();
                let mut slots = outs.into_iter();
                let mut next = || slots.next().unwrap_or_else(|| unreachable!("k + 2 runs"));
                let mut source = SourceInputs::new(sources, &a_row);
                let choices = sim.choices(&mut source)?;
                sim.draw_rows(kept, source.streams(&sim.engine));
                let mut out_a = next();
                sim.finish(kept, &choices, &mut out_a, &Reuse::Nothing);
                let from_a = Kept::of(&out_a);
                for (i, s) in sources.iter().enumerate() {
                    let mut row = a_row.clone();
                    row[i] = sample_b[[j, i]];
                    let mut source = SourceInputs::new(sources, &row);
                    let choices = sim.choices(&mut source)?;
                    let mut out = next();
                    match s {
                        Source::RatingNoise | Source::Bootstrap => {
                            sim.draw_rows(other, source.streams(&sim.engine));
                            sim.finish(other, &choices, &mut out, &Reuse::Nothing);
                        }
                        Source::YCut | Source::XCut => {
                            sim.finish(kept, &choices, &mut out, &Reuse::Scores(&from_a));
                        }
                        Source::Weights | Source::Aggregation => {
                            sim.finish(kept, &choices, &mut out, &Reuse::Components(&from_a));
                        }
                    }
                }
                let mut source = SourceInputs::new(sources, &sample_b.row(j).to_vec());
                let choices = sim.choices(&mut source)?;
                sim.draw_rows(other, source.streams(&sim.engine));
                sim.finish(other, &choices, &mut next(), &Reuse::Nothing);
                Ok(())
            },
            control,
        )
    }

    /// [`Panel::sensitivity_with`] without a [`Control`].
    ///
    /// # Errors
    /// As [`Panel::sensitivity_with`].
    ///
    /// # Examples
    /// ```
    /// use portfolio_snapshot::{datasets, SensitivityOptions, UncertaintyOptions};
    /// let panel = datasets::demo_panel()?; // synthetic data
    /// let mut opts = SensitivityOptions::default();
    /// opts.base_rows = 64;
    /// opts.uncertainty.rating_noise = 0.1;
    /// opts.uncertainty.y_cut_range = Some((2.5, 3.5));
    /// let s = panel.sensitivity(&opts)?;
    /// assert_eq!(s.runs, 64 * 4);
    /// // the score cut never moves a score: its total index on each is 0
    /// assert!(s.score.iter().all(|i| i.total[1] == 0.0));
    /// # Ok::<(), portfolio_snapshot::Error>(())
    /// ```
    pub fn sensitivity(&self, opts: &SensitivityOptions) -> Result<Sensitivity> {
        self.sensitivity_with(opts, &Control::new())
    }

    /// First-order and total Sobol indices of each source the options
    /// switch on, on every district's score and rank and on the number of
    /// advanced districts and of districts in each quadrant, from a
    /// Saltelli design of `base_rows (k + 2)` runs of the simulation, with
    /// bootstrap intervals.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming `sources` (none switched on),
    /// `base_rows` (fewer than 2), `resamples` (fewer than 2) or `level`
    /// (not strictly between 0 and 1); [`Error::TooLarge`] when the runs'
    /// outputs or the bootstrap resamples would not fit in
    /// `memory_limit`; as [`Panel::uncertainty_draws`] otherwise (options,
    /// cancellation, checked between outputs too).
    pub fn sensitivity_with(
        &self,
        opts: &SensitivityOptions,
        control: &Control,
    ) -> Result<Sensitivity> {
        // a source given a bad value is named as such, not as "off"
        opts.uncertainty
            .validate(self.rubric().components().len())?;
        let sources = opts.uncertainty.sources();
        if sources.is_empty() {
            return Err(no_sources());
        }
        let bad = |name: &'static str, value: String, reason: &str| Error::InvalidParameter {
            name,
            value,
            reason: reason.into(),
        };
        if opts.base_rows < 2 {
            return Err(bad("base_rows", opts.base_rows.to_string(), "at least 2"));
        }
        if opts.resamples < 2 {
            return Err(bad("resamples", opts.resamples.to_string(), "at least 2"));
        }
        if !(opts.level > 0.0 && opts.level < 1.0) {
            return Err(bad(
                "level",
                crate::error::num(opts.level),
                "strictly between 0 and 1",
            ));
        }
        let (n, k) = (opts.base_rows, sources.len());
        let runs = n.checked_mul(k + 2).ok_or_else(|| {
            bad(
                "base_rows",
                n.to_string(),
                "the design's runs would not fit in memory",
            )
        })?;
        crate::control::ensure_allocatable::<f64>(n.saturating_mul(2 * k), "sensitivity design")?;
        let (sample_a, sample_b) = design(n, k, opts.seed);
        let draws =
            self.saltelli_runs(&opts.uncertainty, &sources, &sample_a, &sample_b, control)?;
        control.check("the sensitivity analysis")?;
        let counts = bootstrap_counts(
            n,
            opts.resamples,
            opts.seed ^ 0x5EED_B007,
            opts.uncertainty.memory_limit,
        )?;
        let of = |y: &[f64]| {
            control.check("the sensitivity analysis")?;
            let (f_a, f_b, swapped) = split_runs(y, k);
            Ok(indices_with(
                &f_a,
                &f_b,
                swapped.view(),
                counts.view(),
                opts.level,
            ))
        };
        let per_district = |m: &Array2<f64>| -> Result<Vec<SobolIndices>> {
            crate::parallel::install(|| {
                (0..m.ncols())
                    .into_par_iter()
                    .map(|d| of(&m.column(d).to_vec()))
                    .collect()
            })
        };
        let score = per_district(&draws.score)?;
        let rank = per_district(&draws.rank)?;
        let network = NetworkOutput::all()
            .into_iter()
            .map(|o| Ok((o, of(&o.of(&draws))?)))
            .collect::<Result<_>>()?;
        Ok(Sensitivity {
            sources,
            districts: self.districts().to_vec(),
            score,
            rank,
            network,
            base_rows: n,
            runs,
            options: opts.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use ndarray::Array2;
    use rand::{RngExt, SeedableRng};
    use rand_xoshiro::Xoshiro256PlusPlus;

    use super::sobol_jansen;

    /// The Ishigami function (a = 7, b = 0.1) on inputs in [-pi, pi].
    fn ishigami(x: [f64; 3]) -> f64 {
        x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
    }

    #[test]
    fn ishigami_indices_match_their_closed_form() {
        // closed form (Ishigami and Homma 1990; Sobol and Levitan 1999):
        // V = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2,
        // V1 = (1 + b pi^4/5)^2 / 2, V2 = a^2/8, V13 = b^2 pi^8 (1/18 - 1/50)
        let (amp, coef) = (7.0_f64, 0.1_f64);
        let pi = std::f64::consts::PI;
        let var = amp * amp / 8.0 + coef * pi.powi(4) / 5.0 + coef * coef * pi.powi(8) / 18.0 + 0.5;
        let v1 = (1.0 + coef * pi.powi(4) / 5.0).powi(2) / 2.0;
        let v2 = amp * amp / 8.0;
        let v13 = coef * coef * pi.powi(8) * (1.0 / 18.0 - 1.0 / 50.0);
        let expected_first = [v1 / var, v2 / var, 0.0];
        let expected_total = [(v1 + v13) / var, v2 / var, v13 / var];

        let rows = 20_000;
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        let mut draw =
            || -> [f64; 3] { std::array::from_fn(|_| -pi + 2.0 * pi * rng.random::<f64>()) };
        let xa: Vec<[f64; 3]> = (0..rows).map(|_| draw()).collect();
        let xb: Vec<[f64; 3]> = (0..rows).map(|_| draw()).collect();
        let f_a: Vec<f64> = xa.iter().map(|&x| ishigami(x)).collect();
        let f_b: Vec<f64> = xb.iter().map(|&x| ishigami(x)).collect();
        let swapped = Array2::from_shape_fn((rows, 3), |(j, i)| {
            let mut x = xa[j];
            x[i] = xb[j][i];
            ishigami(x)
        });
        let s = sobol_jansen(&f_a, &f_b, swapped.view(), 200, 0.99, 3)
            .unwrap_or_else(|e| panic!("{e}"));
        for i in 0..3 {
            let (lo, hi) = s.first_interval[i];
            assert!(
                lo - 0.01 <= expected_first[i] && expected_first[i] <= hi + 0.01,
                "S{i} {} ({lo}, {hi}) vs {}",
                s.first[i],
                expected_first[i]
            );
            let (lo, hi) = s.total_interval[i];
            assert!(
                lo - 0.01 <= expected_total[i] && expected_total[i] <= hi + 0.01,
                "ST{i} {} ({lo}, {hi}) vs {}",
                s.total[i],
                expected_total[i]
            );
        }
    }

    #[test]
    fn one_source_explains_everything_it_moves() {
        let panel = crate::datasets::demo_panel().unwrap_or_else(|e| panic!("{e}"));
        let opts = super::SensitivityOptions {
            base_rows: 32,
            resamples: 10,
            uncertainty: crate::UncertaintyOptions {
                x_cut_range: Some((0.4, 0.9)),
                ..crate::UncertaintyOptions::default()
            },
            ..super::SensitivityOptions::default()
        };
        let s = panel.sensitivity(&opts).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.sources, [super::Source::XCut]);
        // one input: AB_1 is B, so the first-order index is exactly 1
        for (o, i) in &s.network {
            if i.variance > 0.0 {
                assert!((i.first[0] - 1.0).abs() < 1e-12, "{o:?} {:?}", i.first);
            }
        }
        // the spread cut moves no score and no rank: no variance to share
        assert!(s.score.iter().all(|i| i.first[0].is_nan()));
        assert!(s.rank.iter().all(|i| i.total[0].is_nan()));
        // no source at all is refused, naming the options
        let none = super::SensitivityOptions::default();
        let e = panel.sensitivity(&none).unwrap_err();
        assert!(
            e.to_string().contains("rating_noise, bootstrap_elements"),
            "{e}"
        );
    }

    #[test]
    fn the_same_inputs_give_the_same_runs() {
        let panel = crate::datasets::demo_panel().unwrap_or_else(|e| panic!("{e}"));
        let mut opts = crate::UncertaintyOptions {
            rating_noise: 0.2,
            bootstrap_elements: true,
            ..crate::UncertaintyOptions::default()
        };
        let inputs = Array2::from_shape_vec((3, 2), vec![0.1, 0.7, 0.1, 0.2, 0.9, 0.7])
            .unwrap_or_else(|e| panic!("{e}"));
        let control = crate::Control::new();
        let d = panel
            .sensitivity_runs_with(&opts, inputs.view(), &control)
            .unwrap_or_else(|e| panic!("{e}"));
        // rows 0 and 1 share the noise input, rows 0 and 2 the bootstrap's:
        // with the bootstrap off, rows 0 and 1 would agree
        assert_ne!(d.score.row(0), d.score.row(1));
        opts.bootstrap_elements = false;
        let d = panel
            .sensitivity_runs_with(
                &opts,
                inputs.column(0).insert_axis(ndarray::Axis(1)),
                &control,
            )
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(d.score.row(0), d.score.row(1));
        assert_ne!(d.score.row(0), d.score.row(2));
        let e = panel
            .sensitivity_runs_with(&opts, Array2::from_elem((1, 1), 1.0).view(), &control)
            .unwrap_err();
        assert!(
            e.to_string().contains("row 0, column 0 (rating_noise)"),
            "{e}"
        );
        let e = panel
            .sensitivity_runs_with(&opts, Array2::from_elem((1, 2), 0.5).view(), &control)
            .unwrap_err();
        assert!(e.to_string().contains("one per source"), "{e}");
    }

    #[test]
    fn reused_rows_give_the_runs_drawn_afresh() {
        let panel = crate::datasets::demo_panel().unwrap_or_else(|e| panic!("{e}"));
        let opts = crate::UncertaintyOptions {
            rating_noise: 0.2,
            bootstrap_elements: true,
            weight_alpha: Some(3.0),
            y_cut_range: Some((2.5, 3.5)),
            aggregation: Some((1.0, 1.0)),
            ..crate::UncertaintyOptions::default()
        };
        let sources = opts.sources();
        let (sample_a, sample_b) = super::design(6, sources.len(), 9);
        let control = crate::Control::new();
        let fast = panel
            .saltelli_runs(&opts, &sources, &sample_a, &sample_b, &control)
            .unwrap_or_else(|e| panic!("{e}"));
        let inputs = super::layout(&sample_a, &sample_b);
        let plain = panel
            .sensitivity_runs_with(&opts, inputs.view(), &control)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(fast, plain);
    }

    #[test]
    fn bad_runs_are_named() {
        let ab = Array2::zeros((3, 1));
        let e = sobol_jansen(&[1.0, 2.0, 3.0], &[1.0, 2.0], ab.view(), 10, 0.9, 0).unwrap_err();
        assert!(e.to_string().contains("runs on B"), "{e}");
        let e = sobol_jansen(
            &[1.0, f64::NAN, 3.0],
            &[1.0, 2.0, 3.0],
            ab.view(),
            10,
            0.9,
            0,
        )
        .unwrap_err();
        assert!(e.to_string().contains("finite"), "{e}");
        let e =
            sobol_jansen(&[1.0, 2.0, 3.0], &[1.0, 2.0, 3.0], ab.view(), 10, 1.0, 0).unwrap_err();
        assert!(e.to_string().contains("level"), "{e}");
        // a constant output has no variance to share out
        let s = sobol_jansen(
            &[1.0; 3],
            &[1.0; 3],
            Array2::from_elem((3, 1), 1.0).view(),
            10,
            0.9,
            0,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(s.first[0].is_nan() && s.total[0].is_nan());
    }
}
