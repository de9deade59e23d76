//! How sure is a classification? A Monte Carlo simulation of the report's
//! conclusions under named sources of uncertainty, in the spirit of the
//! JRC/OECD handbook's uncertainty analysis of composite indicators.
//!
//! Each draw perturbs the inputs and the assumptions, then recomputes every
//! district's summary on the chosen basis:
//!
//! ```text
//! rating noise     each rated value moves one level up (p/2) or down (p/2),
//!                  clamped to the scale (a move past the end leaves it unchanged)
//! element bootstrap within each component, a district's rated basis values are
//!                  resampled with replacement (same count)
//! weights          component weights ~ Dirichlet(alpha, ..., alpha)
//!                  (mean: equal weights; larger alpha, closer to equal),
//!                  drawn as logarithms (log Gamma(alpha + 1) + log(U) / alpha)
//!                  so that a small alpha never underflows to all-zero weights
//! cuts             y_cut ~ U(y_lo, y_hi), x_cut ~ U(x_lo, x_hi)
//! aggregation      mean of means or pooled, with given probabilities
//! ```
//!
//! Draw `t` uses its own generator, `Xoshiro256++` seeded through `SplitMix64`
//! from `seed + t * 0x9E3779B97F4A7C15`, so results are bit-identical whatever
//! the number of threads. With every source off, each draw equals the
//! deterministic [`Panel::summarize`] exactly.
//!
//! Bands, quadrants, ranks and the sticking components are decided exactly,
//! as in [`Panel::summarize`]: a draw keeps its noise moves and its
//! bootstrap key, so a near tie can replay that district's draw and settle
//! it on exact values. (The replay reads the float sums as exact,
//! which they are for every scale whose levels and half steps are
//! multiples of a power of two, such as the CRPE scale.)

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use ndarray::{Array1, Array2};
use rand::{Rng, RngExt, SeedableRng};
use rand_distr::{Distribution, Gamma};
use rand_xoshiro::{SplitMix64, Xoshiro256PlusPlus};
use rayon::prelude::*;

use crate::basis::Basis;
use crate::classify::{Cut, Quadrant};
use crate::control::{self, Control};
use crate::counter_rng;
use crate::error::{Error, Result};
use crate::exact::{self, Approx, ErrorModel, Exact};
use crate::panel::Panel;
use crate::scale::Scale;
use crate::score::{Aggregation, ScoreOptions, Scorer};
use crate::simd::{BootRun, RowsOut};
use crate::summary::{Plan, ResolvedCut, SummaryOptions};

/// Sources of uncertainty and the simulation's size; every source is off by
/// default.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct UncertaintyOptions {
    /// Number of draws (default 10,000).
    pub draws: usize,
    /// Seed of the whole simulation.
    pub seed: u64,
    /// Probability that a rating moves one level (split evenly up and down).
    pub rating_noise: f64,
    /// Resample each district's rated elements within each component.
    pub bootstrap_elements: bool,
    /// Dirichlet concentration of the component weights (`None`: the
    /// weights of `summary.score`).
    pub weight_alpha: Option<f64>,
    /// Range the score cut is drawn from (`None`: `summary.y_cut`).
    pub y_cut_range: Option<(f64, f64)>,
    /// Range the spread cut is drawn from (`None`: `summary.x_cut`).
    pub x_cut_range: Option<(f64, f64)>,
    /// Relative probabilities of (mean of means, pooled) per draw (`None`:
    /// `summary.score.aggregation` in every draw).
    pub aggregation: Option<(f64, f64)>,
    /// Basis, missing-data policy, base cuts and advanced rule.
    pub summary: SummaryOptions,
    /// The most memory the draws may take (default
    /// [`crate::DEFAULT_MEMORY_LIMIT`], 4 GiB); checked before anything is
    /// allocated.
    pub memory_limit: u64,
}

impl Default for UncertaintyOptions {
    fn default() -> Self {
        Self {
            draws: 10_000,
            seed: 0,
            rating_noise: 0.0,
            bootstrap_elements: false,
            weight_alpha: None,
            y_cut_range: None,
            x_cut_range: None,
            aggregation: None,
            summary: SummaryOptions::default(),
            memory_limit: control::DEFAULT_MEMORY_LIMIT,
        }
    }
}

impl UncertaintyOptions {
    /// The simulation the report runs unless told otherwise: 1,000 draws,
    /// rating noise 0.1 and the element bootstrap (the two sources the
    /// report's own caveats name: subjective ratings and which elements were
    /// rated).
    #[must_use]
    pub fn for_report() -> Self {
        Self {
            draws: 1_000,
            rating_noise: 0.1,
            bootstrap_elements: true,
            ..Self::default()
        }
    }

    pub(crate) fn validate(&self, n_components: usize) -> Result<()> {
        let bad = |name: &'static str, value: String, reason: &str| Error::InvalidParameter {
            name,
            value,
            reason: reason.into(),
        };
        if self.draws == 0 {
            return Err(bad("draws", "0".into(), "at least one draw"));
        }
        if self.summary.spread != crate::SpreadRule::default() {
            return Err(bad(
                "spread",
                format!("{:?}", self.summary.spread.name()),
                "the simulation recomputes the report's spread only (\"basis\")",
            ));
        }
        if !(0.0..=1.0).contains(&self.rating_noise) || !self.rating_noise.is_finite() {
            return Err(bad(
                "rating_noise",
                crate::error::num(self.rating_noise),
                "a probability from 0 to 1",
            ));
        }
        if let Some(a) = self.weight_alpha {
            if !(a.is_finite() && a > 0.0 && a <= 1e12) {
                return Err(bad(
                    "weight_alpha",
                    crate::error::num(a),
                    "a Dirichlet concentration: finite, positive and at most 1e12",
                ));
            }
            if n_components < 2 {
                return Err(bad(
                    "weight_alpha",
                    crate::error::num(a),
                    "needs at least 2 components",
                ));
            }
        }
        for (name, r) in [
            ("y_cut_range", self.y_cut_range),
            ("x_cut_range", self.x_cut_range),
        ] {
            if let Some((lo, hi)) = r
                && !(lo.is_finite() && hi.is_finite() && lo <= hi && (hi - lo).is_finite())
            {
                return Err(bad(
                    name,
                    format!("({}, {})", crate::error::num(lo), crate::error::num(hi)),
                    "finite, low <= high, and a finite width",
                ));
            }
        }
        if let Some((m, p)) = self.aggregation
            && !(m >= 0.0 && p >= 0.0 && m + p > 0.0 && (m + p).is_finite())
        {
            return Err(bad(
                "aggregation",
                format!("({}, {})", crate::error::num(m), crate::error::num(p)),
                "non-negative probabilities with a positive sum",
            ));
        }
        Ok(())
    }
}

/// Rating noise: each rated value moves one level up with probability
/// `p / 2` and down with probability `p / 2`; a move past the end of the
/// scale leaves it where it is.
///
/// The values that move are found by drawing the gaps between them (the
/// number of values that stay put before the next move is geometric,
/// `P(k) = (1 - p)^k p`) rather than one draw per value: the same
/// distribution, with a tenth of the draws at `p = 0.1`. A gap is read
/// from an alias table (see [`GapTable`]) with one 64-bit draw, not from a
/// logarithm.
#[derive(Debug, Clone)]
pub struct RatingNoise {
    levels: Vec<f64>,
    /// `ln(1 - p)`: a gap by inversion is `floor(ln(U) / log_stay)`.
    log_stay: f64,
    /// `None` at `p = 0`: nothing ever moves.
    gaps: Option<GapTable>,
}

/// Walker's alias table of the geometric gap, `P(k) = (1 - p)^k p`, over
/// the short gaps `0..K-1` and one outcome for "`K - 1` or more" (`K` a
/// power of two, the tail at most 1/64 where the table is at most 4,096
/// entries long).
///
/// A 64-bit draw `u` gives the column (its `b = log2 K` top bits), the
/// direction of the move (the next bit) and the column's coin (the
/// remaining `63 - b` bits, compared with the column's threshold). The
/// tail, being memoryless, is `K - 1` plus a gap drawn by inversion from a
/// fresh draw. Each outcome's probability is the geometric's to the
/// rounding of the table (a few parts in 2^52), as exact as inversion in
/// floats.
#[derive(Debug, Clone)]
pub(crate) struct GapTable {
    /// `b`: the column bits.
    bits: u32,
    /// Per column, `(threshold, alias)`: the coin below `threshold` keeps
    /// the column's own gap, otherwise the gap is `alias`.
    columns: Vec<(u64, u32)>,
}

impl GapTable {
    /// The longest table.
    const MAX_BITS: u32 = 12;

    /// The table of gaps at move probability `p` in (0, 1].
    fn new(p: f64) -> Self {
        let stay = 1.0 - p;
        // the smallest table whose tail, stay^(K - 1), is at most 1/64
        let mut bits = 1;
        while bits < Self::MAX_BITS && stay.powi((1 << bits) - 1) > 1.0 / 64.0 {
            bits += 1;
        }
        // K <= 4096: gaps fit in u16
        let k: u16 = 1 << bits;
        // P(gap = g) for the short gaps, and the tail last: scaled by K
        let mut scaled: Vec<f64> = (0..k)
            .map(|g| {
                let power = stay.powi(i32::from(g));
                let p_g = if g + 1 < k { power * p } else { power };
                p_g * f64::from(k)
            })
            .collect();
        let k = usize::from(k);
        // Vose's construction
        #[allow(clippy::cast_possible_truncation)] // K <= 4096
        let mut columns: Vec<(u64, u32)> = (0..k).map(|g| (0, g as u32)).collect();
        let (mut small, mut large): (Vec<usize>, Vec<usize>) =
            (0..k).partition(|&g| scaled[g] < 1.0);
        let one = 1u64 << (63 - bits);
        // x is a share in [0, 1] (to rounding): the product fits
        #[allow(
            clippy::cast_precision_loss,
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss
        )]
        let coin = |x: f64| ((x * one as f64) as u64).min(one);
        while let (Some(s), Some(&l)) = (small.pop(), large.last()) {
            #[allow(clippy::cast_possible_truncation)] // K <= 4096
            let alias = l as u32;
            columns[s] = (coin(scaled[s]), alias);
            scaled[l] -= 1.0 - scaled[s];
            if scaled[l] < 1.0 {
                large.pop();
                small.push(l);
            }
        }
        // what is left holds (to rounding) a whole column
        for g in small.into_iter().chain(large) {
            columns[g].0 = one;
        }
        Self { bits, columns }
    }

    /// The gap of draw `u` (`None`: the tail, `K - 1` or more) and the
    /// direction bit.
    #[inline]
    fn gap(&self, u: u64) -> (Option<u64>, bool) {
        let b = self.bits;
        // the top b bits: below K
        #[allow(clippy::cast_possible_truncation)]
        let column = (u >> (64 - b)) as usize;
        let up = (u >> (63 - b)) & 1 == 1;
        let coin = u & ((1u64 << (63 - b)) - 1);
        let (threshold, alias) = self.columns[column];
        // a coin flip the branch predictor cannot learn: a select, not a
        // branch (a mispredicted branch here was half the noise's cost)
        let gap =
            std::hint::select_unpredictable(coin < threshold, column as u64, u64::from(alias));
        let tail = (self.columns.len() - 1) as u64;
        ((gap < tail).then_some(gap), up)
    }
}

/// Where the next move falls, carried from one run of values to the next
/// (the gap is memoryless, so a run may end inside it).
#[derive(Debug, Clone, Copy)]
pub(crate) struct NextMove {
    /// Values that stay put before it.
    skip: u64,
    /// Its direction.
    up: bool,
}

impl NextMove {
    /// No move at all (no noise).
    const NEVER: Self = Self {
        skip: u64::MAX,
        up: false,
    };
}

impl RatingNoise {
    /// Noise with probability `p` on `scale`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when `p` is not in [0, 1].
    pub fn new(scale: &Scale, p: f64) -> Result<Self> {
        if !(0.0..=1.0).contains(&p) {
            return Err(Error::InvalidParameter {
                name: "rating_noise",
                value: crate::error::num(p),
                reason: "a probability from 0 to 1".into(),
            });
        }
        Ok(Self {
            levels: scale.levels.iter().map(|l| l.value).collect(),
            log_stay: (-p).ln_1p(),
            gaps: (p > 0.0).then(|| GapTable::new(p)),
        })
    }

    /// The value one level below (`up == false`) or above, or `value` at the
    /// end of the scale.
    #[must_use]
    pub fn step(&self, value: f64, up: bool) -> f64 {
        if up {
            self.levels
                .iter()
                .copied()
                .find(|&l| l > value)
                .unwrap_or(value)
        } else {
            self.levels
                .iter()
                .rev()
                .copied()
                .find(|&l| l < value)
                .unwrap_or(value)
        }
    }

    /// The next move: one uniform 64-bit draw read in the gap table (a
    /// second one when the gap falls in the table's tail).
    #[inline]
    pub(crate) fn next_move(&self, draw: &mut impl FnMut() -> u64) -> NextMove {
        let Some(gaps) = &self.gaps else {
            return NextMove::NEVER;
        };
        let (gap, up) = gaps.gap(draw());
        let skip = gap.unwrap_or_else(|| {
            (gaps.columns.len() as u64 - 1).saturating_add(self.inverted_gap(draw()))
        });
        NextMove { skip, up }
    }

    /// A gap by inversion from one uniform 64-bit draw: its 53 high bits
    /// give `U` in (0, 1], the gap is `floor(ln(U) / ln(1 - p))`.
    fn inverted_gap(&self, u: u64) -> u64 {
        // (u >> 11) + 1 is at most 2^53: exact in a float
        #[allow(clippy::cast_precision_loss)]
        let uniform = ((u >> 11) + 1) as f64 * (1.0 / 9_007_199_254_740_992.0);
        // a float-to-integer cast saturates: p = 0 gives u64::MAX (never),
        // p = 1 gives 0 (every value)
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let skip = (uniform.ln() / self.log_stay) as u64;
        skip
    }

    /// Visit the moves among `n` values, starting from `next` (which is left
    /// pointing past them), drawing the gaps with `draw`: `visit(index, up)`
    /// for each, in order.
    #[inline]
    pub(crate) fn moves(
        &self,
        n: usize,
        next: &mut NextMove,
        mut draw: impl FnMut() -> u64,
        mut visit: impl FnMut(usize, bool),
    ) {
        let n64 = n as u64;
        let mut at = next.skip;
        while at < n64 {
            // below n: fits
            #[allow(clippy::cast_possible_truncation)]
            visit(at as usize, next.up);
            *next = self.next_move(&mut draw);
            at = at.saturating_add(1).saturating_add(next.skip);
        }
        next.skip = at - n64;
    }

    /// Perturb every rated (non-NaN) value in place; returns how many changed.
    pub fn apply<R: Rng + ?Sized>(&self, values: &mut [f64], rng: &mut R) -> usize {
        let mut rated: Vec<&mut f64> = values.iter_mut().filter(|v| !v.is_nan()).collect();
        let mut next = self.next_move(&mut || rng.next_u64());
        let mut changed = 0;
        self.moves(
            rated.len(),
            &mut next,
            || rng.next_u64(),
            |i, up| {
                let new = self.step(*rated[i], up);
                changed += usize::from(new != *rated[i]);
                *rated[i] = new;
            },
        );
        changed
    }
}

/// Every draw's outcome per district (rows: draws, columns: districts).
#[derive(Debug, Clone, PartialEq)]
pub struct Draws {
    /// District names.
    pub districts: Vec<String>,
    /// Component short names.
    pub component_names: Vec<String>,
    /// Overall score per draw and district.
    pub score: Array2<f64>,
    /// Spread per draw and district.
    pub spread: Array2<f64>,
    /// Rank per draw and district (1 = highest score; ties share the lower
    /// rank; NaN for a district without a score).
    pub rank: Array2<f64>,
    /// Advanced flag per draw and district.
    pub advanced: Array2<bool>,
    /// Quadrant per draw and district: the index in [`Quadrant::ALL`], or
    /// 255 where score or spread is NaN.
    pub quadrant: Array2<u8>,
    /// Whether each component is among the three lowest (by mean score
    /// across districts) in each draw (draws x components).
    pub sticking: Array2<bool>,
    /// The cuts used in each draw: columns y, x.
    pub cuts: Array2<f64>,
}

/// Summary of the draws per district (and per component).
#[derive(Debug, Clone, PartialEq)]
pub struct Uncertainty {
    /// District names.
    pub districts: Vec<String>,
    /// Number of draws.
    pub draws: usize,
    /// Mean overall score over the draws.
    pub score_mean: Array1<f64>,
    /// 5th, 50th and 95th percentiles of the score (numpy's linear rule).
    pub score_p5: Array1<f64>,
    /// See `score_p5`.
    pub score_p50: Array1<f64>,
    /// See `score_p5`.
    pub score_p95: Array1<f64>,
    /// Share of draws in which the district is advanced.
    pub p_advanced: Array1<f64>,
    /// Share of draws in each quadrant, districts x 4 ([`Quadrant::ALL`] order).
    pub p_quadrant: Array2<f64>,
    /// Median rank (1 = highest score).
    pub rank_median: Array1<f64>,
    /// 5th and 95th percentiles of the rank: a 90% interval.
    pub rank_p5: Array1<f64>,
    /// See `rank_p5`.
    pub rank_p95: Array1<f64>,
    /// Component short names.
    pub component_names: Vec<String>,
    /// Share of draws in which each component is among the three lowest.
    pub p_sticking: Array1<f64>,
}

/// Per-district inputs that do not change between draws.
struct Base {
    /// Element sums and counts on the basis, districts x elements.
    sums: Vec<f64>,
    counts: Vec<f64>,
    /// `sums / counts` (NaN where the count is 0): the basis values.
    quotients: Vec<f64>,
    /// The ratings noise acts on, per district: `(element, value id)`, and
    /// the offsets of each district's run.
    ratings: Vec<(u32, u32)>,
    offsets: Vec<usize>,
    /// `(step down, step up)` per distinct rated value; `ratings` hold
    /// `(element, index here)`, so a draw's scan stays in cache.
    steps: Vec<(f64, f64)>,
    /// Per district and component, the rated basis columns (for the
    /// bootstrap), one run after another.
    rated: Vec<u32>,
    /// The bootstrap's picks, per district one run of them (the offsets of
    /// each district's run in `pick_offsets`): every rated basis element of
    /// a component with more than one, component by component.
    picks: Vec<Pick>,
    pick_offsets: Vec<usize>,
    /// The same picks a component at a time, for the bootstrap in SIMD
    /// lanes (when every component is at most `BootRun::MAX_WIDTH` wide:
    /// `boot_in_lanes`), per district a run (offsets `boot_offsets`).
    boot_runs: Vec<BootRun>,
    boot_offsets: Vec<usize>,
    boot_in_lanes: bool,
}

/// One element's bootstrap pick: the element takes the value of one of its
/// component's `m` rated elements (`rated[first..first + m]`), chosen by the
/// high half of the district's bootstrap word `word` (the `q`-th rated
/// element of a component from column `start` takes word `start + q`; see
/// [`Engine::district`]).
#[derive(Clone, Copy)]
struct Pick {
    element: u32,
    first: u32,
    m: u32,
    word: u32,
}

/// Distinct rated values [`base`] looks up by a search before its hash: a
/// scale's levels and half steps.
const FEW_VALUES: usize = 16;

fn base(panel: &Panel, basis: Basis, noise: Option<&RatingNoise>) -> Base {
    let n_el = panel.rubric().n_elements();
    let n_d = panel.n_districts();
    let mut sums = vec![0.0; n_d * n_el];
    let mut counts = vec![0.0; n_d * n_el];
    let mut ratings = Vec::new();
    // each distinct rated value's id: the first few found by a search, the
    // rest by their bits (-0.0 as 0.0) in a hash, since ratings within the
    // scale may take any value (a search of them all was quadratic)
    let mut ids: HashMap<u64, u32> = HashMap::new();
    let mut values: Vec<f64> = Vec::new();
    let mut offsets = Vec::with_capacity(n_d + 1);
    offsets.push(0);
    let ratings_matrix = panel.ratings();
    let data = ratings_matrix
        .as_slice()
        .unwrap_or_else(|| unreachable!("a panel stores its ratings in C order"));
    for d in 0..n_d {
        let rows = basis.rows(panel.district_rows(d));
        let rows = &data[rows.start * n_el..rows.end * n_el];
        let span = d * n_el..(d + 1) * n_el;
        // in lanes, bitwise the plain loop's sums
        crate::simd::accumulate(rows, &mut sums[span.clone()], &mut counts[span]);
        if noise.is_some() {
            for row in rows.chunks_exact(n_el) {
                for (j, &v) in row.iter().enumerate().filter(|(_, v)| !v.is_nan()) {
                    // a scale's few levels and half steps: a short search
                    let found = values.iter().take(FEW_VALUES).position(|&x| x == v);
                    // ids: distinct values, far fewer than 2^32 ratings
                    #[allow(clippy::cast_possible_truncation)]
                    let id = match found {
                        Some(id) => id as u32,
                        None => *ids.entry((v + 0.0).to_bits()).or_insert_with(|| {
                            values.push(v);
                            (values.len() - 1) as u32
                        }),
                    };
                    // elements: at most MAX_ELEMENTS (2^24)
                    #[allow(clippy::cast_possible_truncation)]
                    ratings.push((j as u32, id));
                }
            }
        }
        offsets.push(ratings.len());
    }
    let mut rated = Vec::new();
    let mut picks = Vec::new();
    let mut pick_offsets = vec![0];
    let mut boot_runs = Vec::new();
    let mut boot_offsets = vec![0];
    let boot_in_lanes = panel
        .rubric()
        .components()
        .iter()
        .all(|c| c.columns().len() <= BootRun::MAX_WIDTH);
    for d in 0..n_d {
        for comp in panel.rubric().components() {
            let first = rated.len();
            #[allow(clippy::cast_possible_truncation)] // at most MAX_ELEMENTS
            rated.extend(
                comp.columns()
                    .filter(|&j| counts[d * n_el + j] > 0.0)
                    .map(|j| j as u32),
            );
            let m = rated.len() - first;
            if m > 1 {
                let start = comp.columns().start;
                #[allow(clippy::cast_possible_truncation)] // at most MAX_ELEMENTS
                picks.extend(rated[first..].iter().enumerate().map(|(q, &element)| Pick {
                    element,
                    first: first as u32,
                    m: m as u32,
                    word: (start + q) as u32,
                }));
                if boot_in_lanes {
                    boot_runs.push(BootRun::new(start, &rated[first..]));
                }
            }
        }
        pick_offsets.push(picks.len());
        boot_offsets.push(boot_runs.len());
    }
    let steps = values
        .iter()
        .map(|&v| noise.map_or((0.0, 0.0), |n| (n.step(v, false) - v, n.step(v, true) - v)))
        .collect();
    let quotients = sums
        .iter()
        .zip(&counts)
        .map(|(&s, &c)| if c == 0.0 { f64::NAN } else { s / c })
        .collect();
    Base {
        sums,
        counts,
        quotients,
        ratings,
        offsets,
        steps,
        rated,
        picks,
        pick_offsets,
        boot_runs,
        boot_offsets,
        boot_in_lanes,
    }
}

/// A draw's random streams: the rating noise's gaps, the bootstrap's key
/// (one 64-bit output, keying the counter-based generator every pick is
/// drawn from), and where the rating noise moves next.
pub(crate) struct DrawStreams {
    /// The noise gaps (and the bootstrap key when `picks` is `None`).
    rng: Xoshiro256PlusPlus,
    /// A stream of its own for the bootstrap key.
    picks: Option<Xoshiro256PlusPlus>,
    next_move: NextMove,
}

impl DrawStreams {
    /// Streams of their own for the noise (`noise`, its gaps) and the
    /// bootstrap picks (`picks`).
    pub(crate) fn split(
        engine: &Engine,
        mut noise: Xoshiro256PlusPlus,
        picks: Xoshiro256PlusPlus,
    ) -> Self {
        let next_move = engine
            .noise
            .as_ref()
            .map_or(NextMove::NEVER, |n| n.next_move(&mut || noise.next_u64()));
        Self {
            rng: noise,
            picks: Some(picks),
            next_move,
        }
    }

    /// The generator of the bootstrap key.
    fn picks(&mut self) -> &mut Xoshiro256PlusPlus {
        self.picks.as_mut().unwrap_or(&mut self.rng)
    }
}

/// Uniform in `0..m` (m > 0) from the uniform 32-bit `x`, unbiased
/// (Lemire's multiply and reject; a rejected `x`, rare, is replaced by
/// fresh 32-bit values from `more`).
#[inline]
fn below(x: u32, m: u32, mut more: impl FnMut() -> u32) -> u32 {
    let mut prod = u64::from(x) * u64::from(m);
    #[allow(clippy::cast_possible_truncation)]
    let mut low = prod as u32;
    if low < m {
        let threshold = m.wrapping_neg() % m;
        while low < threshold {
            prod = u64::from(more()) * u64::from(m);
            #[allow(clippy::cast_possible_truncation)]
            let l = prod as u32;
            low = l;
        }
    }
    #[allow(clippy::cast_possible_truncation)]
    let r = (prod >> 32) as u32;
    r
}

/// The generator of draw `t`.
#[must_use]
pub fn draw_rng(seed: u64, t: u64) -> Xoshiro256PlusPlus {
    Xoshiro256PlusPlus::seed_from_u64(seed.wrapping_add(t.wrapping_mul(0x9E37_79B9_7F4A_7C15)))
}

/// The simulation's fixed parts, shared by every draw.
pub(crate) struct Engine {
    base: Base,
    noise: Option<RatingNoise>,
    bootstrap: bool,
    n_el: usize,
    k: usize,
}

/// One district's values in one draw.
struct DistrictDraw<'s> {
    /// Element sums after noise (before the bootstrap); filled only with
    /// noise or for a replay (`TRACK`), stale scratch otherwise.
    sums: &'s [f64],
    /// For each element, the element whose value it took in the bootstrap.
    source: &'s [u32],
}

impl Engine {
    /// The 32 bits a bootstrap pick starts from: the high half of output
    /// `index` of the counter-based generator keyed by the draw's key (a
    /// district's picks take outputs `d * n_el` on, one per element).
    #[inline]
    fn boot_word(key: u64, index: u64) -> u32 {
        #[allow(clippy::cast_possible_truncation)] // the high half
        let x = (counter_rng::word(key, index) >> 32) as u32;
        x
    }

    /// Every rating-noise move of a draw, over the districts' ratings end
    /// to end, into `out` as `index << 1 | up` (ascending): one tight loop,
    /// the generator held in registers, before any district is drawn.
    #[inline(never)]
    fn draw_moves(&self, bits: &mut DrawStreams, out: &mut Vec<u64>) {
        out.clear();
        let Some(noise) = &self.noise else {
            return;
        };
        let mut rng = bits.rng.clone();
        let mut next_move = bits.next_move;
        noise.moves(
            self.base.ratings.len(),
            &mut next_move,
            || rng.next_u64(),
            |i, up| out.push(((i as u64) << 1) | u64::from(up)),
        );
        bits.rng = rng;
        bits.next_move = next_move;
    }

    /// Draw district `d`'s values into the scratch buffers: its noise moves
    /// `moves` (from [`Engine::draw_moves`]), then its bootstrap picks from
    /// the draw's bootstrap key `key` (see [`Engine::boot_word`]).
    /// `TRACK`: also record which element each bootstrap pick came from (a
    /// replay needs it for exact values; the main pass does not).
    #[allow(clippy::too_many_arguments)]
    fn district<'s, const TRACK: bool>(
        &self,
        d: usize,
        key: u64,
        moves: &[u64],
        sums: &'s mut [f64],
        row: &mut [f64],
        tmp: &mut [f64],
        source: &'s mut [u32],
    ) -> DistrictDraw<'s> {
        let n_el = self.n_el;
        let base = &self.base;
        let span = d * n_el..(d + 1) * n_el;
        let counts = &base.counts[span.clone()];
        let noisy = self.noise.is_some();
        if noisy || TRACK {
            sums.copy_from_slice(&base.sums[span.clone()]);
        }
        if noisy {
            let first = base.offsets[d] as u64;
            let ratings = &base.ratings[base.offsets[d]..base.offsets[d + 1]];
            for &m in moves {
                // an index into this district's ratings
                #[allow(clippy::cast_possible_truncation)]
                let (j, id) = ratings[((m >> 1) - first) as usize];
                let (down_by, up_by) = base.steps[id as usize];
                sums[j as usize] += if m & 1 == 1 { up_by } else { down_by };
            }
            // every element's sum divided once, after the moves (0 / 0 is
            // NaN where nothing is rated, as in `base`), into `row` and,
            // when the bootstrap is to read them while it writes `row`,
            // into `tmp` too (two stores each, not a second pass)
            if self.bootstrap {
                let both = row.iter_mut().zip(tmp.iter_mut());
                for (((r, t), &s), &c) in both.zip(sums.iter()).zip(counts) {
                    let q = s / c;
                    (*r, *t) = (q, q);
                }
            } else {
                for ((r, &s), &c) in row.iter_mut().zip(sums.iter()).zip(counts) {
                    *r = s / c;
                }
            }
        } else {
            // the basis values, divided once in `base`
            row.copy_from_slice(&base.quotients[span.clone()]);
        }
        if TRACK {
            #[allow(clippy::cast_possible_truncation)] // at most MAX_ELEMENTS
            for (j, s) in source.iter_mut().enumerate() {
                *s = j as u32;
            }
        }
        // the values before the bootstrap: after noise, or the basis values.
        // The picks read them there, not from `row` (which they write) nor
        // from a copy of it just made (that cost the bootstrap a tenth
        // more: loads waiting on the copy's wide stores)
        let values: &[f64] = if noisy { tmp } else { &base.quotients[span] };
        if self.bootstrap {
            // the district's words follow its elements': d * n_el on
            let first_word = (d * n_el) as u64;
            // a component at a time in SIMD lanes (the same picks), unless
            // a replay must record where each pick came from
            let runs = &base.boot_runs[base.boot_offsets[d]..base.boot_offsets[d + 1]];
            let in_lanes = !TRACK
                && base.boot_in_lanes
                && crate::simd::bootstrap_in_lanes(runs, key, first_word, values, row);
            if !in_lanes {
                for p in &base.picks[base.pick_offsets[d]..base.pick_offsets[d + 1]] {
                    let index = first_word + u64::from(p.word);
                    let x = Self::boot_word(key, index);
                    // a rejected x (rare) is replaced from a stream of
                    // its own, keyed by the word it replaces
                    let mut more = None;
                    let at = below(x, p.m, || {
                        more.get_or_insert_with(|| {
                            SplitMix64::seed_from_u64(counter_rng::word(!key, index))
                        })
                        .next_u32()
                    });
                    let pick = base.rated[(p.first + at) as usize];
                    row[p.element as usize] = values[pick as usize];
                    if TRACK {
                        source[p.element as usize] = pick;
                    }
                }
            }
        }
        DistrictDraw { sums, source }
    }

    /// The exact basis values of a district's draw (the float sums read as
    /// exact).
    fn exact_values(&self, d: usize, draw: &DistrictDraw<'_>) -> Vec<Option<Exact>> {
        let counts = &self.base.counts[d * self.n_el..(d + 1) * self.n_el];
        draw.source
            .iter()
            .map(|&src| {
                let src = src as usize;
                let c = counts[src];
                (c > 0.0).then(|| {
                    // a count: a whole number of snapshots
                    let count = exact::binary(c).unwrap_or_else(exact::one);
                    exact::binary(draw.sums[src]).unwrap_or_default() / count
                })
            })
            .collect()
    }

    /// Replay district `d`'s draw from its noise moves and the draw's
    /// bootstrap key, and return its exact basis values.
    fn replay(&self, d: usize, key: u64, moves: &[u64]) -> Vec<Option<Exact>> {
        let mut sums = vec![0.0; self.n_el];
        let mut row = vec![0.0; self.n_el];
        let mut tmp = vec![0.0; self.n_el];
        let mut source = vec![0u32; self.n_el];
        let draw = self.district::<true>(d, key, moves, &mut sums, &mut row, &mut tmp, &mut source);
        self.exact_values(d, &draw)
    }
}

/// Scratch buffers on loan from a pool, returned when dropped.
struct ScratchLoan<'p> {
    pool: &'p Mutex<Vec<[Scratch; 2]>>,
    scratch: Option<[Scratch; 2]>,
}

impl<'p> ScratchLoan<'p> {
    /// Buffers from `pool`, or new ones from `make` when it has none.
    fn new(pool: &'p Mutex<Vec<[Scratch; 2]>>, make: impl FnOnce() -> [Scratch; 2]) -> Self {
        let spare = pool.lock().ok().and_then(|mut p| p.pop());
        Self {
            pool,
            scratch: Some(spare.unwrap_or_else(make)),
        }
    }

    fn scratch(&mut self) -> &mut [Scratch; 2] {
        self.scratch
            .as_mut()
            .unwrap_or_else(|| unreachable!("returned only when dropped"))
    }
}

impl Drop for ScratchLoan<'_> {
    fn drop(&mut self) {
        if let (Some(sc), Ok(mut pool)) = (self.scratch.take(), self.pool.lock()) {
            pool.push(sc);
        }
    }
}

/// Per-thread buffers of the simulation.
pub(crate) struct Scratch {
    sums: Vec<f64>,
    /// Every district's basis row in this draw.
    rows: Vec<f64>,
    tmp: Vec<f64>,
    source: Vec<u32>,
    /// Every district's component scores in this draw.
    comps: Vec<f64>,
    comp_sum: Vec<f64>,
    comp_n: Vec<f64>,
    bands: Vec<Option<usize>>,
    /// Every district's bands where floats decide them (see
    /// [`Plan::clear_bands`]).
    band_codes: Vec<u32>,
    /// The draw's bootstrap key (all a replay needs besides the district's
    /// moves; see [`Engine::boot_word`]).
    boot_key: u64,
    /// The draw's noise moves (see [`Engine::draw_moves`]), and where each
    /// district's begin (and the last ends).
    moves: Vec<u64>,
    move_starts: Vec<usize>,
}

/// Draw-level choices, made in a fixed order before the districts.
pub(crate) struct DrawChoices {
    scorer: Scorer,
    y_cut: Cut,
    x_cut: Cut,
}

/// Where a draw's randomness comes from: one generator for everything (the
/// uncertainty analysis), or one input per source (the sensitivity
/// analysis, see [`crate::sensitivity`]).
pub(crate) trait DrawSource {
    /// The generator the component weights are drawn from.
    fn weights(&mut self) -> &mut Xoshiro256PlusPlus;
    /// A uniform in [0, 1) deciding the aggregation rule or a cut.
    fn uniform(&mut self, which: Choice) -> f64;
    /// The districts' stream: rating noise and bootstrap picks.
    fn streams(self, engine: &Engine) -> DrawStreams;
}

/// The scalar choices of a draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Choice {
    Aggregation,
    YCut,
    XCut,
}

/// One generator for the whole draw, used in a fixed order: weights,
/// aggregation, cuts, then the districts (every noise move, then the
/// bootstrap key).
pub(crate) struct OneStream(pub(crate) Xoshiro256PlusPlus);

impl DrawSource for OneStream {
    fn weights(&mut self) -> &mut Xoshiro256PlusPlus {
        &mut self.0
    }
    fn uniform(&mut self, _: Choice) -> f64 {
        self.0.random()
    }
    fn streams(mut self, engine: &Engine) -> DrawStreams {
        let next_move = engine
            .noise
            .as_ref()
            .map_or(NextMove::NEVER, |n| n.next_move(&mut || self.0.next_u64()));
        DrawStreams {
            rng: self.0,
            picks: None,
            next_move,
        }
    }
}

/// Outputs of one draw, one slice per kind (districts, components, cuts).
pub(crate) struct DrawOut<'o> {
    pub score: &'o mut [f64],
    pub spread: &'o mut [f64],
    pub rank: &'o mut [f64],
    pub advanced: &'o mut [bool],
    pub quadrant: &'o mut [u8],
    pub sticking: &'o mut [bool],
    pub cuts: &'o mut [f64],
}

/// The outputs of a draw kept to finish another on the same rows.
pub(crate) struct Kept {
    score: Vec<f64>,
    spread: Vec<f64>,
    rank: Vec<f64>,
    advanced: Vec<bool>,
    sticking: Vec<bool>,
}

impl Kept {
    /// A copy of a finished draw's outputs.
    pub(crate) fn of(out: &DrawOut<'_>) -> Self {
        Self {
            score: out.score.to_vec(),
            spread: out.spread.to_vec(),
            rank: out.rank.to_vec(),
            advanced: out.advanced.to_vec(),
            sticking: out.sticking.to_vec(),
        }
    }
}

/// What a draw finished on another draw's rows may take from it.
pub(crate) enum Reuse<'a> {
    /// Nothing: everything is computed.
    Nothing,
    /// Other weights or aggregation rule: the component scores are the
    /// kept draw's, so are the bands, advanced flags and sticking
    /// components (scores, ranks and quadrants are computed).
    Components(&'a Kept),
    /// Other cuts only: everything but the cuts and quadrants.
    Scores(&'a Kept),
}

/// A panel's simulation, set up once: the engine, the plan of the
/// deterministic summary, and the options.
pub(crate) struct Simulation<'a> {
    panel: &'a Panel,
    opts: &'a UncertaintyOptions,
    plan: Plan,
    pub(crate) engine: Engine,
    gamma: Option<Gamma<f64>>,
    n_d: usize,
}

impl<'a> Simulation<'a> {
    /// Check the options and the data (the deterministic summary must run)
    /// and build the engine.
    pub(crate) fn new(
        panel: &'a Panel,
        opts: &'a UncertaintyOptions,
        control: &Control,
    ) -> Result<Self> {
        let rubric = panel.rubric();
        let k = rubric.components().len();
        opts.validate(k)?;
        // the deterministic summary checks the options and the data
        panel.summarize_with(&opts.summary, control)?;
        let plan = Plan::new(panel, &opts.summary)?;
        let noise = if opts.rating_noise > 0.0 {
            Some(RatingNoise::new(rubric.scale(), opts.rating_noise)?)
        } else {
            None
        };
        let engine = Engine {
            base: base(panel, opts.summary.basis, noise.as_ref()),
            noise,
            bootstrap: opts.bootstrap_elements,
            n_el: rubric.n_elements(),
            k,
        };
        let gamma = match opts.weight_alpha {
            Some(a) => Some(
                Gamma::new(a + 1.0, 1.0).map_err(|e| Error::InvalidParameter {
                    name: "weight_alpha",
                    value: crate::error::num(a),
                    reason: format!("not a Dirichlet concentration: {e}"),
                })?,
            ),
            None => None,
        };
        Ok(Self {
            panel,
            opts,
            plan,
            engine,
            gamma,
            n_d: panel.n_districts(),
        })
    }

    /// Bytes of output per draw: score, spread and rank (8 bytes each),
    /// advanced and quadrant (1 each) per district, sticking per component
    /// and two cuts.
    pub(crate) fn bytes_per_draw(&self) -> u128 {
        (self.n_d as u128) * 26 + (self.engine.k as u128) + 16
    }

    /// Per-thread buffers.
    fn scratch(&self) -> Scratch {
        let (n_d, k, n_el) = (self.n_d, self.engine.k, self.engine.n_el);
        Scratch {
            sums: vec![0.0; n_el],
            rows: vec![0.0; n_d * n_el],
            tmp: vec![0.0; n_el],
            source: vec![0; n_el],
            comps: vec![0.0; n_d * k],
            comp_sum: vec![0.0; k],
            comp_n: vec![0.0; k],
            bands: vec![None; k],
            band_codes: vec![0; n_d * k],
            boot_key: 0,
            moves: Vec::new(),
            move_starts: Vec::with_capacity(n_d + 1),
        }
    }

    /// `n` draws, draw `t` taking its randomness from `source_of(t)`, in
    /// parallel (each draw's outputs depend on its source only, so the
    /// results are the same on any number of threads).
    pub(crate) fn run<S: DrawSource>(
        &self,
        n: usize,
        source_of: impl Fn(usize) -> S + Sync,
        control: &Control,
    ) -> Result<Draws> {
        self.run_tasks(
            n,
            1,
            |sc, t, outs| {
                for out in outs {
                    self.draw(&mut sc[0], source_of(t), out)?;
                }
                Ok(())
            },
            control,
        )
    }

    /// `n` draws in tasks of `per_task` consecutive draws (`n` a multiple
    /// of it), run in parallel: `task(scratch, index, outputs)` fills the
    /// task's draws, with two scratch buffers to keep one draw's rows while
    /// drawing another's.
    pub(crate) fn run_tasks(
        &self,
        n: usize,
        per_task: usize,
        task: impl Fn(&mut [Scratch; 2], usize, Vec<DrawOut<'_>>) -> Result<()> + Sync,
        control: &Control,
    ) -> Result<Draws> {
        let (n_d, k) = (self.n_d, self.engine.k);
        debug_assert!(per_task > 0 && n.is_multiple_of(per_task));
        control::check_memory(
            "simulation output",
            n as u128,
            self.bytes_per_draw(),
            self.opts.memory_limit,
            "use fewer draws or raise memory_limit",
        )?;
        crate::control::ensure_allocatable::<u8>(
            usize::try_from(self.bytes_per_draw().saturating_mul(n as u128)).unwrap_or(usize::MAX),
            "simulation output",
        )?;
        control.reset_progress();
        let mut score = vec![0.0; n * n_d];
        let mut spread = vec![0.0; n * n_d];
        let mut rank = vec![0.0; n * n_d];
        let mut advanced = vec![false; n * n_d];
        let mut quadrant = vec![0u8; n * n_d];
        let mut sticking = vec![false; n * k];
        let mut cuts = vec![0.0; n * 2];
        let (per_d, per_k, per_c) = (n_d * per_task, k * per_task, 2 * per_task);
        let pool = Mutex::new(Vec::new());
        crate::parallel::install(|| {
            score
                .par_chunks_mut(per_d.max(1))
                .zip(spread.par_chunks_mut(per_d.max(1)))
                .zip(rank.par_chunks_mut(per_d.max(1)))
                .zip(advanced.par_chunks_mut(per_d.max(1)))
                .zip(quadrant.par_chunks_mut(per_d.max(1)))
                .zip(sticking.par_chunks_mut(per_k.max(1)))
                .zip(cuts.par_chunks_mut(per_c))
                .enumerate()
                .try_for_each_init(
                    // rayon calls this once per job it splits off, not per
                    // thread (20 times for 500 draws on 2 threads): scratch
                    // comes from a pool, so only as many are made (and their
                    // pages touched) as run at once
                    || ScratchLoan::new(&pool, || [self.scratch(), self.scratch()]),
                    |loan, (t, ((((((score, spread), rank), advanced), quadrant), sticking), cuts))| {
                        control.check("the simulation")?;
                        let sc = loan.scratch();
                        let outs = score
                            .chunks_mut(n_d.max(1))
                            .zip(spread.chunks_mut(n_d.max(1)))
                            .zip(rank.chunks_mut(n_d.max(1)))
                            .zip(advanced.chunks_mut(n_d.max(1)))
                            .zip(quadrant.chunks_mut(n_d.max(1)))
                            .zip(sticking.chunks_mut(k.max(1)))
                            .zip(cuts.chunks_mut(2))
                            .map(
                                |((((((score, spread), rank), advanced), quadrant), sticking), cuts)| {
                                    DrawOut {
                                        score,
                                        spread,
                                        rank,
                                        advanced,
                                        quadrant,
                                        sticking,
                                        cuts,
                                    }
                                },
                            )
                            .collect();
                        task(sc, t, outs)?;
                        control.advance(per_task as u64, n as u64);
                        Ok::<(), Error>(())
                    },
                )
        })?;
        let arr = |v: Vec<f64>, cols: usize| {
            Array2::from_shape_vec((n, cols), v).unwrap_or_else(|_| unreachable!("sized above"))
        };
        Ok(Draws {
            districts: self.panel.districts().to_vec(),
            component_names: self
                .panel
                .rubric()
                .components()
                .iter()
                .map(|c| c.short_name().to_owned())
                .collect(),
            score: arr(score, n_d),
            spread: arr(spread, n_d),
            rank: arr(rank, n_d),
            advanced: Array2::from_shape_vec((n, n_d), advanced)
                .unwrap_or_else(|_| unreachable!("sized above")),
            quadrant: Array2::from_shape_vec((n, n_d), quadrant)
                .unwrap_or_else(|_| unreachable!("sized above")),
            sticking: Array2::from_shape_vec((n, k), sticking)
                .unwrap_or_else(|_| unreachable!("sized above")),
            cuts: arr(cuts, 2),
        })
    }

    /// One draw into `out`.
    fn draw(&self, sc: &mut Scratch, mut source: impl DrawSource, out: DrawOut<'_>) -> Result<()> {
        let choices = self.choices(&mut source)?;
        self.draw_rows(sc, source.streams(&self.engine));
        let mut out = out;
        self.finish(sc, &choices, &mut out, &Reuse::Nothing);
        Ok(())
    }

    /// The draw-level choices (weights, aggregation, cuts) from `source`.
    pub(crate) fn choices(&self, source: &mut impl DrawSource) -> Result<DrawChoices> {
        draw_choices(
            self.panel,
            self.opts,
            &self.opts.summary.score,
            self.gamma.as_ref(),
            source,
        )
    }

    /// Every district's basis row of a draw into `sc.rows` (noise and
    /// bootstrap from `bits`), keeping the draw's moves and bootstrap key for
    /// exact replays.
    pub(crate) fn draw_rows(&self, sc: &mut Scratch, mut bits: DrawStreams) {
        let engine = &self.engine;
        engine.draw_moves(&mut bits, &mut sc.moves);
        // one 64-bit draw keys every bootstrap pick of the draw
        sc.boot_key = if engine.bootstrap {
            bits.picks().next_u64()
        } else {
            0
        };
        sc.move_starts.clear();
        let mut k = 0;
        for (d, row) in sc.rows.chunks_exact_mut(engine.n_el).enumerate() {
            // this district's moves: those before the next district's ratings
            let end = engine.base.offsets[d + 1] as u64;
            let start = k;
            while k < sc.moves.len() && sc.moves[k] >> 1 < end {
                k += 1;
            }
            sc.move_starts.push(start);
            engine.district::<false>(
                d,
                sc.boot_key,
                &sc.moves[start..k],
                &mut sc.sums,
                row,
                &mut sc.tmp,
                &mut sc.source,
            );
        }
        sc.move_starts.push(k);
    }

    /// Score, band, classify and rank the rows in `sc` under `choices`,
    /// into `out` (the rows, moves and bootstrap key are left as they are,
    /// so the same rows can be finished under other choices).
    #[allow(
        clippy::too_many_lines,
        clippy::many_single_char_names,
        clippy::similar_names
    )]
    pub(crate) fn finish(
        &self,
        sc: &mut Scratch,
        choices: &DrawChoices,
        out: &mut DrawOut<'_>,
        reuse: &Reuse<'_>,
    ) {
        let (plan, engine) = (&self.plan, &self.engine);
        let (n_d, k, n_el) = (self.n_d, engine.k, engine.n_el);
        let magnitude = plan.bands.magnitude();
        let midpoint = &plan.midpoint;
        let sc_out: &mut [f64] = out.score;
        let sp_out: &mut [f64] = out.spread;
        let rk_out: &mut [f64] = out.rank;
        let adv_out: &mut [bool] = out.advanced;
        let q_out: &mut [u8] = out.quadrant;
        let st_out: &mut [bool] = out.sticking;
        let cut_out: &mut [f64] = out.cuts;
        let scorer = &choices.scorer;
        let rules = scorer.exact_rules();
        let (e_comp, e_overall, e_spread) = scorer.error_bounds(&plan.precision.model);
        let (d_comp, d_overall, d_spread) = scorer.denominators(plan.precision.value_den);
        let draw_plan = Plan {
            scorer: scorer.clone(),
            bands: std::sync::Arc::clone(&plan.bands),
            rules: std::sync::Arc::new(rules.clone()),
            advanced: plan.advanced,
            precision: plan.precision,
            midpoint: plan.midpoint.clone(),
            err: (e_comp, e_overall, e_spread),
            den: (d_comp, d_overall, d_spread),
            clear: plan.bands.clear_cuts(e_comp),
        };
        sc.comp_sum.fill(0.0);
        sc.comp_n.fill(0.0);
        match reuse {
            Reuse::Scores(kept) => {
                sc_out.copy_from_slice(&kept.score);
                sp_out.copy_from_slice(&kept.spread);
            }
            // every district's basis row scored at once in SIMD lanes
            // (bitwise the scalar kernel)
            _ => {
                scorer.score_rows(
                    &sc.rows,
                    &mut RowsOut {
                        components: Some(&mut sc.comps),
                        overall: Some(sc_out),
                        spread: Some(sp_out),
                        coverage: None,
                    },
                    None,
                );
            }
        }
        if let Reuse::Components(kept) | Reuse::Scores(kept) = reuse {
            // the component scores are the kept draw's: so are its bands
            adv_out.copy_from_slice(&kept.advanced);
        }
        let band_now = matches!(reuse, Reuse::Nothing);
        if band_now {
            // the float test of every band of the draw at once, in SIMD lanes
            draw_plan.clear_bands(&sc.comps, &mut sc.band_codes);
        }
        let rows = sc.comps.chunks_exact(k).zip(sc.band_codes.chunks_exact(k));
        for (d, (comps, codes)) in rows.enumerate().filter(|_| band_now) {
            draw_plan.bands_of_coded(comps, codes, &mut sc.bands, || {
                let moves = &sc.moves[sc.move_starts[d]..sc.move_starts[d + 1]];
                engine.replay(d, sc.boot_key, moves)
            });
            for ((&c, cs), cn) in comps
                .iter()
                .zip(sc.comp_sum.iter_mut())
                .zip(sc.comp_n.iter_mut())
            {
                if !c.is_nan() {
                    *cs += c;
                    *cn += 1.0;
                }
            }
            adv_out[d] = plan.advanced.is_advanced(&sc.bands);
        }
        // exact values of a district in this draw, replayed on demand and
        // kept: a panel with many near ties (the pooled mean's denominators
        // are too large for floats to settle them) asks for the same
        // district many times
        let (key, moves, move_starts) = (sc.boot_key, &sc.moves, &sc.move_starts);
        let exact_of = |d: usize| engine.replay(d, key, &moves[move_starts[d]..move_starts[d + 1]]);
        // (the memo's slots are made on the first call: most draws never
        // need an exact value, and a slot per district costs a visible
        // share of a draw)
        let memo = || -> Vec<OnceLock<Option<Exact>>> {
            std::iter::repeat_with(OnceLock::new).take(n_d).collect()
        };
        let score_memo = OnceLock::new();
        let spread_memo = OnceLock::new();
        let exact_score = |d: usize| {
            score_memo.get_or_init(memo)[d]
                .get_or_init(|| rules.overall(&exact_of(d)))
                .clone()
        };
        let exact_spread = |d: usize| {
            spread_memo.get_or_init(memo)[d]
                .get_or_init(|| exact::population_variance(&exact_of(d)))
                .clone()
        };
        let y = ResolvedCut::new(
            choices.y_cut,
            sc_out,
            e_overall,
            d_overall,
            magnitude,
            midpoint.clone(),
            exact_score,
        );
        let x = ResolvedCut::new(
            choices.x_cut,
            sp_out,
            e_spread,
            d_spread,
            magnitude * magnitude,
            midpoint.clone(),
            exact_spread,
        );
        cut_out[0] = y.approx.value;
        cut_out[1] = x.approx.value;
        for d in 0..n_d {
            let (s, v) = (sc_out[d], sp_out[d]);
            q_out[d] =
                if s.is_nan() || v.is_nan() || y.approx.value.is_nan() || x.approx.value.is_nan() {
                    255
                } else {
                    // floats decide nearly every side; the rest, exactly
                    let strong = y.side_by_float(s, e_overall).unwrap_or_else(|| {
                        let score = Approx {
                            value: s,
                            err: e_overall,
                            den: d_overall,
                        };
                        y.at_or_above(score, || exact_score(d))
                    });
                    let piecemeal = x.side_by_float(v, e_spread).unwrap_or_else(|| {
                        let spread = Approx {
                            value: v,
                            err: e_spread,
                            den: d_spread,
                        };
                        x.at_or_above(spread, || exact_spread(d))
                    });
                    #[allow(clippy::cast_possible_truncation)] // 0..4
                    let q = Quadrant::from_sides(strong, piecemeal).index() as u8;
                    q
                };
        }
        // ranks: exact order, exact ties share the lower rank. A pooled
        // mean of m basis values has a denominator dividing value_den * m:
        // per district, far tighter than one bound for every m
        let rows = &sc.rows;
        let den_of = |d: usize| match scorer.aggregation() {
            Aggregation::Pooled => {
                let m = rows[d * n_el..(d + 1) * n_el]
                    .iter()
                    .filter(|v| !v.is_nan())
                    .count();
                plan.precision.value_den?.checked_mul(m.max(1) as u128)
            }
            Aggregation::MeanOfMeans => d_overall,
        };
        if let Reuse::Scores(kept) = reuse {
            rk_out.copy_from_slice(&kept.rank);
            st_out.copy_from_slice(&kept.sticking);
            return;
        }
        let order = exact::order_desc_by(sc_out, e_overall, den_of, |d| {
            exact_score(d).unwrap_or_default()
        });
        let draw_scores: &[f64] = sc_out;
        exact::competition_ranks(
            &order,
            draw_scores,
            |a, b| {
                exact::decide(
                    Approx {
                        value: draw_scores[a],
                        err: e_overall,
                        den: den_of(a),
                    },
                    Approx {
                        value: draw_scores[b],
                        err: e_overall,
                        den: den_of(b),
                    },
                    || exact_score(a).cmp(&exact_score(b)),
                ) == Ordering::Equal
            },
            rk_out,
        );
        if let Reuse::Components(kept) = reuse {
            st_out.copy_from_slice(&kept.sticking);
            return;
        }
        // the three lowest components by mean score across
        // districts, as `Ranking::lowest(3)` of `rank_components`
        let means: Vec<f64> = (0..k)
            .map(|c| {
                if sc.comp_n[c] > 0.0 {
                    sc.comp_sum[c] / sc.comp_n[c]
                } else {
                    f64::NAN
                }
            })
            .collect();
        let err_mean = ErrorModel::mean_of(n_d, e_comp, magnitude);
        // a mean of n_c component scores, each with a denominator dividing
        // d_comp, has one dividing d_comp * n_c: a bound per component.
        // One bound for every count, lcm(1..n_d), overflows past 88
        // districts and sent every near tie to exact arithmetic (a third
        // of the simulation's time at 1,000 districts)
        let comp_n = &sc.comp_n;
        let den_mean = |c: usize| {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // a count
            let n_c = comp_n[c] as usize;
            exact::mean_den(d_comp, n_c)
        };
        let mut exact_comps: Option<Vec<Vec<Option<Exact>>>> = None;
        let order = exact::order_desc_by(&means, err_mean, den_mean, |c| {
            let all = exact_comps
                .get_or_insert_with(|| (0..n_d).map(|d| rules.components(&exact_of(d))).collect());
            let xs: Vec<&Exact> = all.iter().filter_map(|v| v[c].as_ref()).collect();
            exact::mean(xs.into_iter())
        });
        st_out.fill(false);
        for &c in order.iter().rev().filter(|&&c| !means[c].is_nan()).take(3) {
            st_out[c] = true;
        }
    }
}

impl Panel {
    /// Run the simulation and keep every draw.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for an option out of range,
    /// [`Error::TooLarge`] when the draws would not fit in
    /// `opts.memory_limit`, and the errors of [`Panel::summarize`] (e.g. the
    /// strict missing policy).
    pub fn uncertainty_draws(&self, opts: &UncertaintyOptions) -> Result<Draws> {
        self.uncertainty_draws_with(opts, &Control::new())
    }

    /// [`Panel::uncertainty_draws`] under a [`Control`]: checked before every
    /// draw, and progress reported in draws.
    ///
    /// # Errors
    /// As [`Panel::uncertainty_draws`], and [`Error::Cancelled`].
    pub fn uncertainty_draws_with(
        &self,
        opts: &UncertaintyOptions,
        control: &Control,
    ) -> Result<Draws> {
        let sim = Simulation::new(self, opts, control)?;
        sim.run(
            opts.draws,
            |t| OneStream(draw_rng(opts.seed, t as u64)),
            control,
        )
    }

    /// Run the simulation and summarise it per district and component.
    ///
    /// # Errors
    /// As [`Panel::uncertainty_draws`].
    pub fn uncertainty(&self, opts: &UncertaintyOptions) -> Result<Uncertainty> {
        Ok(self.uncertainty_draws(opts)?.summarize())
    }

    /// [`Panel::uncertainty`] under a [`Control`].
    ///
    /// # Errors
    /// As [`Panel::uncertainty_draws_with`].
    pub fn uncertainty_with(
        &self,
        opts: &UncertaintyOptions,
        control: &Control,
    ) -> Result<Uncertainty> {
        Ok(self.uncertainty_draws_with(opts, control)?.summarize())
    }
}

/// The draw-level sources, in a fixed order: weights, aggregation, cuts.
fn draw_choices(
    panel: &Panel,
    opts: &UncertaintyOptions,
    base_score: &ScoreOptions,
    gamma: Option<&Gamma<f64>>,
    source: &mut impl DrawSource,
) -> Result<DrawChoices> {
    let mut score_opts: ScoreOptions = base_score.clone();
    let log_weights = gamma.map(|g| {
        let rng = source.weights();
        let alpha = opts.weight_alpha.unwrap_or(1.0);
        // G ~ Gamma(alpha) as Gamma(alpha + 1) * U^(1 / alpha). In logs,
        // log G = log X + log(U) / alpha, which overflows for a tiny alpha;
        // m = alpha log G = alpha log X + log U does not, and the weights
        // only need log G relative to the largest: (m - m_max) / alpha.
        let m: Vec<f64> = (0..panel.rubric().components().len())
            .map(|_| {
                let x: f64 = g.sample(rng);
                let u: f64 = rng.random::<f64>().max(f64::MIN_POSITIVE);
                alpha * x.ln() + u.ln()
            })
            .collect();
        let top = m.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        // below 1e-300 every weight but the largest is exp(-huge) = 0 either
        // way; the floor keeps the order of the others finite
        let scale = alpha.max(1e-300);
        m.iter().map(|v| (v - top) / scale).collect::<Vec<f64>>()
    });
    if let Some((m, p)) = opts.aggregation {
        let u = source.uniform(Choice::Aggregation);
        score_opts.aggregation = if u * (m + p) < m {
            Aggregation::MeanOfMeans
        } else {
            Aggregation::Pooled
        };
    }
    let y_cut = opts.y_cut_range.map_or(opts.summary.y_cut, |(lo, hi)| {
        Cut::Value(lo + (hi - lo) * source.uniform(Choice::YCut))
    });
    let x_cut = opts.x_cut_range.map_or(opts.summary.x_cut, |(lo, hi)| {
        Cut::Value(lo + (hi - lo) * source.uniform(Choice::XCut))
    });
    let scorer = match log_weights {
        Some(l) => Scorer::with_log_weights(panel.rubric(), &score_opts, l)?,
        None => Scorer::new(panel.rubric(), &score_opts)?,
    };
    Ok(DrawChoices {
        scorer,
        y_cut,
        x_cut,
    })
}

/// The `q`-quantile of `v` (0 <= q <= 1) by numpy's default linear rule:
/// position `(n - 1) q`, interpolating between its neighbours. NaN when `v`
/// is empty. Reorders `v`.
#[must_use]
pub fn quantile_linear(values: &mut [f64], q: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    #[allow(clippy::cast_precision_loss)]
    let pos = (values.len() - 1) as f64 * q;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let below = pos.floor() as usize;
    let frac = pos - pos.floor();
    let (_, &mut low, upper) = values.select_nth_unstable_by(below, f64::total_cmp);
    if frac == 0.0 || upper.is_empty() {
        return low;
    }
    let high = upper.iter().copied().fold(f64::INFINITY, f64::min);
    low + (high - low) * frac
}

impl Draws {
    /// Summaries per district and component.
    #[must_use]
    pub fn summarize(&self) -> Uncertainty {
        let (draws, n_d) = self.score.dim();
        #[allow(clippy::cast_precision_loss)]
        let nd = draws as f64;
        let per_district: Vec<[f64; 12]> = crate::parallel::install(|| {
            (0..n_d)
                .into_par_iter()
                .map(|d| {
                    let mut s: Vec<f64> = self
                        .score
                        .column(d)
                        .iter()
                        .copied()
                        .filter(|v| !v.is_nan())
                        .collect();
                    #[allow(clippy::cast_precision_loss)]
                    let mean = if s.is_empty() {
                        f64::NAN
                    } else {
                        s.iter().sum::<f64>() / s.len() as f64
                    };
                    let p5 = quantile_linear(&mut s, 0.05);
                    let p50 = quantile_linear(&mut s, 0.5);
                    let p95 = quantile_linear(&mut s, 0.95);
                    let mut r: Vec<f64> = self
                        .rank
                        .column(d)
                        .iter()
                        .copied()
                        .filter(|v| !v.is_nan())
                        .collect();
                    let r50 = quantile_linear(&mut r, 0.5);
                    let r5 = quantile_linear(&mut r, 0.05);
                    let r95 = quantile_linear(&mut r, 0.95);
                    #[allow(clippy::cast_precision_loss)]
                    let adv = self.advanced.column(d).iter().filter(|a| **a).count() as f64 / nd;
                    let mut q = [0.0; 4];
                    for &c in self.quadrant.column(d) {
                        if let Some(slot) = q.get_mut(usize::from(c)) {
                            *slot += 1.0;
                        }
                    }
                    [
                        mean,
                        p5,
                        p50,
                        p95,
                        adv,
                        q[0] / nd,
                        q[1] / nd,
                        q[2] / nd,
                        q[3] / nd,
                        r50,
                        r5,
                        r95,
                    ]
                })
                .collect()
        });
        let col = |i: usize| {
            per_district
                .iter()
                .map(|row| row[i])
                .collect::<Array1<f64>>()
        };
        let mut p_quadrant = Array2::zeros((n_d, 4));
        for (d, row) in per_district.iter().enumerate() {
            for q in 0..4 {
                p_quadrant[[d, q]] = row[5 + q];
            }
        }
        #[allow(clippy::cast_precision_loss)]
        let p_sticking = self
            .sticking
            .columns()
            .into_iter()
            .map(|c| c.iter().filter(|s| **s).count() as f64 / nd)
            .collect();
        Uncertainty {
            districts: self.districts.clone(),
            draws,
            score_mean: col(0),
            score_p5: col(1),
            score_p50: col(2),
            score_p95: col(3),
            p_advanced: col(4),
            p_quadrant,
            rank_median: col(9),
            rank_p5: col(10),
            rank_p95: col(11),
            component_names: self.component_names.clone(),
            p_sticking,
        }
    }
}

#[cfg(test)]
#[allow(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::cast_sign_loss
)]
mod tests {
    use super::*;

    /// The probability of gap `g` under the geometric law, the last one
    /// being the tail (`g` or more), computed directly.
    fn geometric(p: f64, g: usize, tail: usize) -> f64 {
        let stay = 1.0 - p;
        let power = (0..g).fold(1.0, |acc, _| acc * stay);
        if g == tail { power } else { power * p }
    }

    #[test]
    fn the_gap_table_holds_the_geometric_law() {
        for p in [1.0, 0.5, 0.1, 0.003, 1e-9] {
            let table = GapTable::new(p);
            let k = table.columns.len();
            assert!(k.is_power_of_two() && k <= 1 << GapTable::MAX_BITS);
            let one = (1u64 << (63 - table.bits)) as f64;
            // each outcome: its own column's share plus the columns aliased to it
            let mut prob = vec![0.0; k];
            for (g, &(threshold, alias)) in table.columns.iter().enumerate() {
                let keep = threshold as f64 / one;
                prob[g] += keep / k as f64;
                prob[alias as usize] += (1.0 - keep) / k as f64;
            }
            for (g, &got) in prob.iter().enumerate() {
                let want = geometric(p, g, k - 1);
                assert!(
                    (got - want).abs() < 1e-12,
                    "p {p}, gap {g}: {got} vs {want}"
                );
            }
        }
    }

    #[test]
    fn gaps_follow_the_geometric_law_in_draws() {
        let scale = crate::Rubric::crpe_2016().scale().clone();
        // 0.1 rarely reaches the tail; 0.001 does, then draws by inversion
        for p in [0.1, 0.001] {
            let noise = RatingNoise::new(&scale, p).unwrap();
            let mut rng = draw_rng(3, 1);
            let n = 200_000;
            let bins = 40;
            let width = if p > 0.01 { 1 } else { 100 };
            let mut counts = vec![0.0; bins + 1];
            let (mut sum, mut ups) = (0.0, 0.0);
            for _ in 0..n {
                let m = noise.next_move(&mut || rng.next_u64());
                sum += m.skip as f64;
                ups += f64::from(u8::from(m.up));
                counts[(m.skip as usize / width).min(bins)] += 1.0;
            }
            // bin b holds gaps [b w, (b + 1) w): (1-p)^(b w) - (1-p)^((b + 1) w)
            let stay: f64 = 1.0 - p;
            let chi2: f64 = (0..=bins)
                .map(|b| {
                    let lo = stay.powi((b * width) as i32);
                    let hi = if b == bins {
                        0.0
                    } else {
                        stay.powi(((b + 1) * width) as i32)
                    };
                    let expected = (lo - hi) * f64::from(n);
                    (counts[b] - expected).powi(2) / expected
                })
                .sum();
            // 40 degrees of freedom: the 99.99th percentile is about 80
            assert!(chi2 < 80.0, "p {p}: chi-square {chi2}");
            let mean = stay / p;
            let sd = (stay / (p * p) / f64::from(n)).sqrt();
            assert!(
                (sum / f64::from(n) - mean).abs() < 5.0 * sd,
                "p {p}: mean gap"
            );
            assert!((ups / f64::from(n) - 0.5).abs() < 5.0 * (0.25 / f64::from(n)).sqrt());
        }
        // p = 0: nothing ever moves
        let never = RatingNoise::new(&scale, 0.0).unwrap();
        let mut values = vec![3.0; 1000];
        assert_eq!(never.apply(&mut values, &mut draw_rng(1, 1)), 0);
    }

    #[test]
    fn below_multiplies_and_rejects_as_lemire_does() {
        // accepted: the high half of x * m, and no fresh value asked for
        for (x, m) in [(0x8000_0000u32, 3u32), (u32::MAX, 6), (12_345, 1), (7, 8)] {
            let got = below(x, m, || unreachable!("{x} * {m} needs no rejection test"));
            let want = (u64::from(x) * u64::from(m)) >> 32;
            assert_eq!(u64::from(got), want, "{x} * {m}");
        }
        // x = 0, m = 3: the low half 0 is below 2^32 mod 3 = 1, so x is
        // rejected and fresh values are asked for until one passes (the
        // second here: 0 is rejected again, 2^31 gives 2^31 * 3 >> 32 = 1)
        let mut fresh = [0u32, 0x8000_0000].into_iter();
        let mut asked = 0;
        let got = below(0, 3, || {
            asked += 1;
            fresh.next().unwrap_or_else(|| unreachable!("two suffice"))
        });
        assert_eq!((got, asked), (1, 2));
    }

    #[test]
    fn every_rating_keeps_its_own_value_and_steps_among_many_distinct_values() {
        // ratings within the scale, nearly all distinct (far more than the
        // few a short search covers): each of a district's ratings must
        // name its column and its own value, whose steps are the noise's
        let rubric = crate::Rubric::crpe_2016();
        let scale = rubric.scale().clone();
        let noise = RatingNoise::new(&scale, 0.1).unwrap();
        let n = 40;
        let values: Vec<f64> = (0..n * 36)
            .map(|i| {
                if i % 7 == 3 {
                    f64::NAN
                } else {
                    1.0 + (i % 401) as f64 / 100.0
                }
            })
            .collect();
        let keys = (0..n)
            .map(|i| {
                crate::SnapshotKey::new(
                    format!("d{}", i / 4),
                    crate::YearMonth::new(2010 + (i % 4) as i32, 1).unwrap(),
                )
            })
            .collect();
        let options = crate::PanelOptions {
            allowed: crate::AllowedRatings::WithinScale,
        };
        let matrix = ndarray::Array2::from_shape_vec((n, 36), values.clone()).unwrap();
        let panel = Panel::from_matrix_with(rubric, keys, matrix, options).unwrap();
        let b = base(&panel, Basis::Average, Some(&noise));
        let rated: Vec<(usize, f64)> = values
            .iter()
            .enumerate()
            .filter(|(_, v)| !v.is_nan())
            .map(|(i, &v)| (i % 36, v))
            .collect();
        assert_eq!(b.ratings.len(), rated.len());
        let mut distinct: Vec<f64> = rated.iter().map(|r| r.1).collect();
        distinct.sort_by(f64::total_cmp);
        distinct.dedup();
        assert!(distinct.len() > 300, "{} distinct values", distinct.len());
        assert_eq!(b.steps.len(), distinct.len());
        for (&(j, id), &(col, v)) in b.ratings.iter().zip(&rated) {
            assert_eq!(j as usize, col);
            let (down, up) = b.steps[id as usize];
            assert_eq!(
                (v + down, v + up),
                (noise.step(v, false), noise.step(v, true))
            );
        }
    }
}
