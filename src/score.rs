//! Scoring kernels: component scores, the overall score, the spread and the
//! coverage of one row of ratings, and of whole matrices.
//!
//! ```text
//! component score  c_k = mean of the rated elements of component k
//! overall score        = sum_k w_k c_k / sum_k w_k   over components with a score
//!                        (mean of component means; w_k = 1 by default)
//!            (pooled)  = mean of all rated elements
//! spread               = population variance of the rated elements
//!                      = sum (x - mean)^2 / N
//! coverage             = rated elements / all elements
//! ```

use std::fmt;
use std::str::FromStr;

use ndarray::{Array1, Array2, ArrayView2, ArrayViewMut1, ArrayViewMut2, Axis};
use rayon::prelude::*;

use crate::control::Control;
use crate::error::{Error, Result};
use crate::exact::{self, ErrorModel, Exact, ExactRules};
use crate::rubric::Rubric;
use crate::simd::Stop;

/// What to do with elements that are not rated (NaN).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[non_exhaustive]
pub enum MissingPolicy {
    /// Means over what is rated; a component with nothing rated scores NaN
    /// and the overall score is taken over the components that have a score.
    #[default]
    Skip,
    /// Like `Skip`, but a component whose share of rated elements is below
    /// the given fraction (0 to 1, read as a decimal and compared exactly)
    /// scores NaN.
    MinCoverage(f64),
    /// Any missing rating is an error naming it.
    Strict,
}

impl FromStr for MissingPolicy {
    type Err = Error;
    /// `"skip"` or `"strict"` (a minimum coverage is a number, not text).
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "skip" => Ok(Self::Skip),
            "strict" => Ok(Self::Strict),
            _ => Err(Error::InvalidParameter {
                name: "missing",
                value: format!("{s:?}"),
                reason: "must be \"skip\", \"strict\" or a minimum coverage from 0 to 1".into(),
            }),
        }
    }
}

impl fmt::Display for MissingPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Skip => f.write_str("skip"),
            Self::Strict => f.write_str("strict"),
            Self::MinCoverage(c) => write!(f, "{c}"),
        }
    }
}

/// How the overall score combines the ratings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
#[non_exhaustive]
pub enum Aggregation {
    /// Weighted mean of the component scores (equal weights by default): the
    /// report's "average each component's set of data elements, and then
    /// average those component scores together". The default.
    #[default]
    MeanOfMeans,
    /// Plain mean of all rated elements, ignoring components and weights.
    Pooled,
}

impl Aggregation {
    /// Both, in order.
    pub const ALL: [Aggregation; 2] = [Self::MeanOfMeans, Self::Pooled];

    /// The option's name: `"mean_of_means"` or `"pooled"`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::MeanOfMeans => "mean_of_means",
            Self::Pooled => "pooled",
        }
    }
}

impl FromStr for Aggregation {
    type Err = Error;
    /// `"mean_of_means"` or `"pooled"`.
    fn from_str(s: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|a| a.name() == s)
            .ok_or_else(|| Error::InvalidParameter {
                name: "aggregation",
                value: format!("{s:?}"),
                reason: "must be \"mean_of_means\" or \"pooled\"".into(),
            })
    }
}

impl fmt::Display for Aggregation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Options of the scoring kernels.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct ScoreOptions {
    /// Missing-data policy (default [`MissingPolicy::Skip`]).
    pub missing: MissingPolicy,
    /// Overall-score aggregation (default [`Aggregation::MeanOfMeans`]).
    pub aggregation: Aggregation,
    /// Component weights for [`Aggregation::MeanOfMeans`], one per component,
    /// finite and positive; only their ratios matter. `None` uses the
    /// rubric's (equal unless the rubric file says otherwise).
    pub weights: Option<Vec<f64>>,
}

impl ScoreOptions {
    /// Options with the given missing-data policy.
    #[must_use]
    pub fn with_missing(mut self, missing: MissingPolicy) -> Self {
        self.missing = missing;
        self
    }
    /// Options with the given aggregation.
    #[must_use]
    pub fn with_aggregation(mut self, aggregation: Aggregation) -> Self {
        self.aggregation = aggregation;
        self
    }
    /// Options with explicit component weights.
    #[must_use]
    pub fn with_weights(mut self, weights: Vec<f64>) -> Self {
        self.weights = Some(weights);
        self
    }
}

/// The scalar results for one row; component scores are written to a slice
/// the caller owns.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RowScore {
    /// Overall score (NaN when nothing scores).
    pub overall: f64,
    /// Population variance of the rated elements (NaN when none is rated).
    pub spread: f64,
    /// Share of the row's elements that are rated.
    pub coverage: f64,
    /// Column of the first missing rating, if any; looked for only under
    /// [`MissingPolicy::Strict`] (`None` otherwise).
    pub first_missing: Option<usize>,
}

/// A validated scoring plan for one rubric: component column ranges,
/// normalised weights and the policies. Build once, score many rows.
///
/// # Examples
/// ```
/// use portfolio_snapshot::{Rubric, ScoreOptions, Scorer};
/// let rubric = Rubric::crpe_2016();
/// let scorer = Scorer::new(&rubric, &ScoreOptions::default())?;
/// let row = vec![3.0; 36];
/// let mut components = vec![0.0; 7];
/// let s = scorer.score_row(&row, &mut components);
/// assert_eq!((s.overall, s.spread, s.coverage), (3.0, 0.0, 1.0));
/// # Ok::<(), portfolio_snapshot::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Scorer {
    pub(crate) ranges: Vec<(usize, usize)>,
    /// Weights divided by the largest, so that only their ratios matter.
    pub(crate) weights: Vec<f64>,
    /// Natural logarithms of the weights, for rows whose present
    /// components all have weights too small for the normalised form.
    log_weights: Vec<f64>,
    /// Rated elements a component needs (exact, as a float for the kernel).
    pub(crate) needed: Vec<f64>,
    needed_counts: Vec<usize>,
    /// Exact weights (decimals) for exact decisions.
    exact_weights: Vec<Exact>,
    /// Their sum as coprime whole numbers, when at most 60 (for the
    /// overall score's denominator bound).
    weight_sum_int: Option<usize>,
    pub(crate) shift: f64,
    strict: bool,
    pub(crate) aggregation: Aggregation,
    n_elements: usize,
    pub(crate) n_elements_f: f64,
    max_component: usize,
}

/// Below this normalised weight sum, a weighted mean is recomputed from the
/// logarithms of the weights.
pub(crate) const TINY_WEIGHT: f64 = 1e-150;

impl Scorer {
    /// A scoring plan for `rubric` under `options`.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] when weights and components differ in number;
    /// [`Error::InvalidParameter`] for a weight that is not finite and
    /// positive or a minimum coverage outside 0 to 1.
    pub fn new(rubric: &Rubric, options: &ScoreOptions) -> Result<Self> {
        if *options != ScoreOptions::default() {
            return Self::compute(rubric, options);
        }
        // the default plan is built once per rubric
        if let Some(s) = rubric.default_scorer() {
            return Ok(s.clone());
        }
        let s = Self::compute(rubric, options)?;
        rubric.keep_default_scorer(s.clone());
        Ok(s)
    }

    fn compute(rubric: &Rubric, options: &ScoreOptions) -> Result<Self> {
        if options.weights.is_some() && options.aggregation == Aggregation::Pooled {
            return Err(Error::InvalidParameter {
                name: "weights",
                value: "given".into(),
                reason: "component weights apply to the mean of component means; the pooled mean of all elements has none (leave weights out, or use aggregation=\"mean_of_means\")".into(),
            });
        }
        let weights = match &options.weights {
            None => rubric.weights(),
            Some(w) => {
                if w.len() != rubric.components().len() {
                    return Err(Error::LengthMismatch {
                        what: "component weights",
                        expected: rubric.components().len(),
                        found: w.len(),
                    });
                }
                if let Some(bad) = w.iter().find(|x| !(x.is_finite() && **x > 0.0)) {
                    return Err(Error::InvalidParameter {
                        name: "weights",
                        value: crate::error::num(*bad),
                        reason: "weights must be finite and positive".into(),
                    });
                }
                w.clone()
            }
        };
        let log_weights: Vec<f64> = weights.iter().map(|w| w.ln()).collect();
        let exact_weights: Vec<Exact> =
            exact::typed_all(&weights).unwrap_or_else(|| vec![exact::one(); weights.len()]);
        // each weight over the largest, exactly, then rounded once: weights
        // that are a multiple of each other give the same scores
        let top = exact_weights
            .iter()
            .max()
            .cloned()
            .unwrap_or_else(exact::one);
        let normalised = exact_weights
            .iter()
            .map(|w| exact::nearest(&(w / &top)))
            .collect();
        Self::build(rubric, options, normalised, log_weights, exact_weights)
    }

    /// A plan with weights given by their natural logarithms (any finite
    /// values; only differences matter). The simulation draws Dirichlet
    /// weights in this form, so that weights too small for a float still
    /// order the components correctly.
    ///
    /// # Errors
    /// As [`Scorer::new`].
    pub(crate) fn with_log_weights(
        rubric: &Rubric,
        options: &ScoreOptions,
        log_weights: Vec<f64>,
    ) -> Result<Self> {
        let top = log_weights
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        let weights: Vec<f64> = log_weights.iter().map(|l| (l - top).exp()).collect();
        let exact_weights = weights
            .iter()
            .map(|&w| exact::binary(w).unwrap_or_else(exact::one))
            .collect();
        Self::build(rubric, options, weights, log_weights, exact_weights)
    }

    fn build(
        rubric: &Rubric,
        options: &ScoreOptions,
        weights: Vec<f64>,
        log_weights: Vec<f64>,
        exact_weights: Vec<Exact>,
    ) -> Result<Self> {
        let (min_coverage, strict) = match options.missing {
            MissingPolicy::Skip => (0.0, false),
            MissingPolicy::Strict => (0.0, true),
            MissingPolicy::MinCoverage(c) => {
                if !(0.0..=1.0).contains(&c) {
                    return Err(Error::InvalidParameter {
                        name: "missing",
                        value: crate::error::num(c),
                        reason: "a minimum coverage must be a fraction from 0 to 1".into(),
                    });
                }
                (c, false)
            }
        };
        let needed_counts: Vec<usize> = rubric
            .components()
            .iter()
            .map(|c| exact::needed_count(min_coverage, c.elements().len()))
            .collect();
        #[allow(clippy::cast_precision_loss)] // element counts are small
        let needed = needed_counts.iter().map(|&n| n as f64).collect();
        #[allow(clippy::cast_precision_loss)]
        let n_elements_f = rubric.n_elements() as f64;
        Ok(Self {
            ranges: rubric
                .components()
                .iter()
                .map(|c| (c.columns().start, c.columns().end))
                .collect(),
            weights,
            log_weights,
            needed,
            needed_counts,
            weight_sum_int: integer_weight_sum(&exact_weights),
            exact_weights,
            shift: rubric.midpoint().0,
            strict,
            aggregation: options.aggregation,
            n_elements: rubric.n_elements(),
            n_elements_f,
            max_component: rubric.max_component_size(),
        })
    }

    /// Number of components.
    #[must_use]
    pub fn n_components(&self) -> usize {
        self.ranges.len()
    }

    /// Number of elements a row must have.
    #[must_use]
    pub fn n_elements(&self) -> usize {
        self.n_elements
    }

    /// Whether a missing rating is an error under these options.
    #[must_use]
    pub fn is_strict(&self) -> bool {
        self.strict
    }

    /// The overall-score rule in force.
    #[must_use]
    pub fn aggregation(&self) -> Aggregation {
        self.aggregation
    }

    /// The same computation in exact arithmetic (for exact decisions).
    pub(crate) fn exact_rules(&self) -> ExactRules {
        ExactRules {
            ranges: self.ranges.clone(),
            needed: self.needed_counts.clone(),
            weights: match self.aggregation {
                Aggregation::MeanOfMeans => Some(self.exact_weights.clone()),
                Aggregation::Pooled => None,
            },
        }
    }

    /// Bounds on the float errors of this plan's results (see
    /// [`ErrorModel`]): component scores, overall score, spread.
    pub(crate) fn error_bounds(&self, model: &ErrorModel) -> (f64, f64, f64) {
        let component = model.component(self.max_component);
        let overall = match self.aggregation {
            Aggregation::MeanOfMeans => model.overall(self.ranges.len(), self.max_component),
            Aggregation::Pooled => model.pooled(self.n_elements),
        };
        (component, overall, model.spread(self.n_elements))
    }

    /// Denominator bounds (each exact value's denominator divides it) of
    /// component scores, overall score and spread, for basis values whose
    /// denominators divide `value_den` (`Q * lcm(1..N)`).
    pub(crate) fn denominators(
        &self,
        value_den: Option<u128>,
    ) -> (Option<u128>, Option<u128>, Option<u128>) {
        let mul = |a: Option<u128>, b: Option<u128>| a?.checked_mul(b?);
        let component = mul(value_den, exact::lcm_up_to(self.max_component));
        let overall = match self.aggregation {
            Aggregation::MeanOfMeans => {
                // weights as whole numbers a_k with sum A: the overall score's
                // denominator divides lcm(1..A) * (components' denominator)
                self.weight_sum_int
                    .and_then(|a| mul(exact::lcm_up_to(a), component))
            }
            Aggregation::Pooled => mul(value_den, exact::lcm_up_to(self.n_elements)),
        };
        let n = exact::lcm_up_to(self.n_elements);
        let spread = mul(mul(value_den, n), mul(value_den, n));
        (component, overall, spread)
    }

    /// Score one row of `n_elements` ratings (NaN = not rated), writing the
    /// component scores into `components` (length `n_components`).
    ///
    /// One pass over the row, no allocation. Under the strict policy the
    /// caller turns `first_missing` into an error.
    ///
    /// # Panics
    /// If `row` or `components` has the wrong length (a caller bug; every
    /// public entry point checks shapes first).
    #[inline]
    pub fn score_row(&self, row: &[f64], components: &mut [f64]) -> RowScore {
        self.kernel::<false>(row, components, &mut [], &mut [])
    }

    /// [`Scorer::score_row`], also adding each rated value to `sums[j]` and 1
    /// to `counts[j]` (for per-element means over many rows) in the same pass.
    ///
    /// # Panics
    /// If a slice has the wrong length (a caller bug).
    #[inline]
    pub fn score_row_accumulate(
        &self,
        row: &[f64],
        components: &mut [f64],
        sums: &mut [f64],
        counts: &mut [f64],
    ) -> RowScore {
        assert!(
            sums.len() == row.len() && counts.len() == row.len(),
            "accumulator length"
        );
        self.kernel::<true>(row, components, sums, counts)
    }

    /// The kernel. Values are shifted by the scale midpoint `m` before
    /// summing, so one pass gives both the mean and the variance:
    ///
    /// ```text
    /// d = x - m,  mean = m + sum(d) / N,  variance = (sum(d^2) - sum(d)^2 / N) / N
    /// ```
    ///
    /// With `|d|` at most half the scale's range this "shifted data" formula
    /// loses no more than a few units in the last place (no cancellation of
    /// large sums). NaN adds 0 and counts 0, branch-free.
    #[inline]
    fn kernel<const ACC: bool>(
        &self,
        row: &[f64],
        components: &mut [f64],
        sums: &mut [f64],
        counts: &mut [f64],
    ) -> RowScore {
        assert_eq!(row.len(), self.n_elements, "row length");
        assert_eq!(components.len(), self.ranges.len(), "components length");
        let shift = self.shift;
        let (mut s1, mut s2, mut n_total) = (0.0, 0.0, 0.0);
        let (mut weighted, mut weight_sum) = (0.0, 0.0);
        // One loop over the row; at each component's last column the
        // component is flushed. (Short inner loops per component cost more:
        // the compiler wraps each in vector preambles and epilogues.)
        let (mut sum, mut sum_sq, mut count) = (0.0, 0.0, 0.0);
        let mut k = 0;
        let mut next_end = self.ranges[0].1;
        let mut any_component = false;
        for (j, &v) in row.iter().enumerate() {
            let rated = !v.is_nan();
            let d = if rated { v - shift } else { 0.0 };
            let one = if rated { 1.0 } else { 0.0 };
            if ACC {
                sums[j] += if rated { v } else { 0.0 };
                counts[j] += one;
            }
            sum += d;
            sum_sq += d * d;
            count += one;
            if j + 1 == next_end {
                s1 += sum;
                s2 += sum_sq;
                n_total += count;
                let enough = count > 0.0 && count >= self.needed[k];
                let c = if enough {
                    shift + sum / count
                } else {
                    f64::NAN
                };
                components[k] = c;
                if enough {
                    weighted += self.weights[k] * c;
                    weight_sum += self.weights[k];
                    any_component = true;
                }
                (sum, sum_sq, count) = (0.0, 0.0, 0.0);
                k += 1;
                next_end = self.ranges.get(k).map_or(usize::MAX, |r| r.1);
            }
        }
        let (pooled, spread) = if n_total > 0.0 {
            let mean_d = s1 / n_total;
            (shift + mean_d, ((s2 - s1 * mean_d) / n_total).max(0.0))
        } else {
            (f64::NAN, f64::NAN)
        };
        let overall = match self.aggregation {
            Aggregation::MeanOfMeans if weight_sum > TINY_WEIGHT => weighted / weight_sum,
            Aggregation::MeanOfMeans if any_component => self.weighted_from_logs(components),
            Aggregation::MeanOfMeans => f64::NAN,
            Aggregation::Pooled => pooled,
        };
        let first_missing = if self.strict && n_total < self.n_elements_f {
            row.iter().position(|v| v.is_nan())
        } else {
            None
        };
        RowScore {
            overall,
            spread,
            coverage: n_total / self.n_elements_f,
            first_missing,
        }
    }

    /// The weighted mean of the present components with weights rescaled by
    /// the largest present one (for weights whose normalised form is too
    /// small for a float).
    #[cold]
    fn weighted_from_logs(&self, components: &[f64]) -> f64 {
        let top = components
            .iter()
            .zip(&self.log_weights)
            .filter(|(c, _)| !c.is_nan())
            .map(|(_, l)| *l)
            .fold(f64::NEG_INFINITY, f64::max);
        let (mut num, mut den) = (0.0, 0.0);
        for (c, l) in components.iter().zip(&self.log_weights) {
            if !c.is_nan() {
                let w = (l - top).exp();
                num += w * c;
                den += w;
            }
        }
        num / den
    }
}

/// The sum of the weights written as coprime whole numbers, if it is small
/// enough for a denominator bound (at most 60).
fn integer_weight_sum(weights: &[Exact]) -> Option<usize> {
    use num_integer::Integer;
    use num_traits::ToPrimitive;
    let mut lcm = num_bigint::BigInt::from(1);
    for w in weights {
        lcm = lcm.lcm(w.denom());
    }
    let ints: Vec<num_bigint::BigInt> = weights
        .iter()
        .map(|w| (w * Exact::from_integer(lcm.clone())).to_integer())
        .collect();
    let mut g = num_bigint::BigInt::from(0);
    for i in &ints {
        g = g.gcd(i);
    }
    if g == num_bigint::BigInt::from(0) {
        return None;
    }
    let sum: num_bigint::BigInt = ints.iter().map(|i| i / &g).sum();
    sum.to_usize().filter(|&s| s <= 60)
}

/// Per-snapshot (per-row) scores.
#[derive(Debug, Clone, PartialEq)]
pub struct SnapshotScores {
    /// Component scores, rows x components.
    pub components: Array2<f64>,
    /// Overall score per row.
    pub overall: Array1<f64>,
    /// Population variance of the rated elements per row.
    pub spread: Array1<f64>,
    /// Share of rated elements per row.
    pub coverage: Array1<f64>,
}

impl SnapshotScores {
    /// Outputs for `n_rows` rows, every cell written by the kernel. Zeroed
    /// allocations come from the allocator already zero (no extra write
    /// pass over the memory).
    pub(crate) fn zeroed(n_rows: usize, n_components: usize) -> Result<Self> {
        crate::control::ensure_allocatable::<f64>(
            n_rows.saturating_mul(n_components + 3),
            "per-snapshot scores",
        )?;
        Ok(Self {
            components: Array2::zeros((n_rows, n_components)),
            overall: Array1::zeros(n_rows),
            spread: Array1::zeros(n_rows),
            coverage: Array1::zeros(n_rows),
        })
    }
}

/// Rows per parallel task; below `PARALLEL_MIN_CELLS` cells everything runs
/// on the calling thread (rayon's overhead would dominate).
pub(crate) const PARALLEL_MIN_CELLS: usize = 64 * 1024;
pub(crate) const TASK_ROWS: usize = 4096;

/// Rows of a strided matrix copied at a time into a contiguous scratch.
const COPY_ROWS: usize = 64;

/// Caller-provided outputs for per-snapshot scores: C-contiguous arrays of
/// `rows x components` and `rows` (see [`score_matrix_into`]).
#[derive(Debug)]
pub struct SnapshotScoresMut<'a> {
    /// Component scores, rows x components.
    pub components: ArrayViewMut2<'a, f64>,
    /// Overall score per row.
    pub overall: ArrayViewMut1<'a, f64>,
    /// Spread per row.
    pub spread: ArrayViewMut1<'a, f64>,
    /// Coverage per row.
    pub coverage: ArrayViewMut1<'a, f64>,
}

impl SnapshotScores {
    /// The arrays as outputs for [`score_matrix_into`].
    pub fn view_mut(&mut self) -> SnapshotScoresMut<'_> {
        SnapshotScoresMut {
            components: self.components.view_mut(),
            overall: self.overall.view_mut(),
            spread: self.spread.view_mut(),
            coverage: self.coverage.view_mut(),
        }
    }
}

/// Score every row of a bare matrix (rows x elements, any strides), checking
/// that every rated value is finite and inside the scale.
///
/// This is the fast path behind Python's `score_array`: no panel, no keys, so
/// errors name the row.
///
/// # Errors
/// [`Error::WidthMismatch`]; [`Error::InvalidMatrixValue`] for an infinite
/// value or one outside the scale (NaN is "not rated"); [`Error::MissingValue`]
/// under the strict policy; option errors as [`Scorer::new`].
///
/// # Examples
/// ```
/// use ndarray::Array2;
/// use portfolio_snapshot::{score_matrix, Rubric, ScoreOptions};
/// let rubric = Rubric::crpe_2016();
/// let m = Array2::from_elem((4, 36), 2.0);
/// let s = score_matrix(&rubric, m.view(), &ScoreOptions::default())?;
/// assert_eq!(s.overall.to_vec(), vec![2.0; 4]);
/// # Ok::<(), portfolio_snapshot::Error>(())
/// ```
pub fn score_matrix(
    rubric: &Rubric,
    ratings: ArrayView2<'_, f64>,
    options: &ScoreOptions,
) -> Result<SnapshotScores> {
    score_matrix_with(rubric, ratings, options, &Control::new())
}

/// [`score_matrix`] under a [`Control`] (checked between chunks of rows).
///
/// # Errors
/// As [`score_matrix`], and [`Error::Cancelled`].
pub fn score_matrix_with(
    rubric: &Rubric,
    ratings: ArrayView2<'_, f64>,
    options: &ScoreOptions,
    control: &Control,
) -> Result<SnapshotScores> {
    let scorer = Scorer::new(rubric, options)?;
    check_width(rubric, ratings.ncols())?;
    let mut out = SnapshotScores::zeroed(ratings.nrows(), scorer.n_components())?;
    score_into(rubric, &scorer, ratings, out.view_mut(), true, control)?;
    Ok(out)
}

/// [`score_matrix_with`] writing into caller-provided, C-contiguous arrays
/// (no allocation besides a small scratch): the per-snapshot outputs'
/// fresh pages are the caller's to reuse.
///
/// # Errors
/// As [`score_matrix_with`]; [`Error::LengthMismatch`] for an output of the
/// wrong shape and [`Error::InvalidParameter`] for one that is not
/// C-contiguous.
///
/// # Examples
/// ```
/// use ndarray::{Array1, Array2};
/// use portfolio_snapshot::{score_matrix_into, Control, Rubric, ScoreOptions, SnapshotScoresMut};
/// let rubric = Rubric::crpe_2016();
/// let m = Array2::from_elem((3, 36), 4.0);
/// let (mut c, mut o, mut s, mut v) =
///     (Array2::zeros((3, 7)), Array1::zeros(3), Array1::zeros(3), Array1::zeros(3));
/// let out = SnapshotScoresMut {
///     components: c.view_mut(), overall: o.view_mut(), spread: s.view_mut(), coverage: v.view_mut(),
/// };
/// score_matrix_into(&rubric, m.view(), &ScoreOptions::default(), out, &Control::new())?;
/// assert_eq!(o.to_vec(), vec![4.0; 3]);
/// # Ok::<(), portfolio_snapshot::Error>(())
/// ```
pub fn score_matrix_into(
    rubric: &Rubric,
    ratings: ArrayView2<'_, f64>,
    options: &ScoreOptions,
    out: SnapshotScoresMut<'_>,
    control: &Control,
) -> Result<()> {
    let scorer = Scorer::new(rubric, options)?;
    check_width(rubric, ratings.ncols())?;
    score_into(rubric, &scorer, ratings, out, true, control)
}

fn check_width(rubric: &Rubric, found: usize) -> Result<()> {
    if found == rubric.n_elements() {
        Ok(())
    } else {
        Err(Error::WidthMismatch {
            rubric: rubric.id().to_owned(),
            expected: rubric.n_elements(),
            found,
        })
    }
}

/// An output's slice, checked: `len` values, C-contiguous.
pub(crate) fn out_slice<'a, D: ndarray::Dimension>(
    a: ndarray::ArrayViewMut<'a, f64, D>,
    len: usize,
    what: &'static str,
) -> Result<&'a mut [f64]> {
    if a.len() != len {
        return Err(Error::LengthMismatch {
            what,
            expected: len,
            found: a.len(),
        });
    }
    a.into_slice().ok_or_else(|| Error::InvalidParameter {
        name: "out",
        value: what.to_owned(),
        reason: "an output array must be C-contiguous".into(),
    })
}

/// Score `ratings` into `out` with `scorer`; `validate` checks every value
/// against the scale first (a panel's ratings were checked when it was
/// built). Errors come in row order.
pub(crate) fn score_into(
    rubric: &Rubric,
    scorer: &Scorer,
    ratings: ArrayView2<'_, f64>,
    out: SnapshotScoresMut<'_>,
    validate: bool,
    control: &Control,
) -> Result<()> {
    let n = ratings.nrows();
    let n_el = ratings.ncols();
    let k = scorer.n_components();
    let (rows, cols) = out.components.dim();
    if rows != n {
        return Err(Error::LengthMismatch {
            what: "rows of the component-score output",
            expected: n,
            found: rows,
        });
    }
    if cols != k {
        return Err(Error::LengthMismatch {
            what: "columns (one per component) of the component-score output",
            expected: k,
            found: cols,
        });
    }
    let comps = out_slice(out.components, n * k, "component-score output")?;
    let overall = out_slice(out.overall, n, "overall-score output")?;
    let spread = out_slice(out.spread, n, "spread output")?;
    let coverage = out_slice(out.coverage, n, "coverage output")?;
    let chunk = if n * n_el < PARALLEL_MIN_CELLS {
        n.max(1)
    } else {
        TASK_ROWS
    };
    let tasks: Vec<ChunkTask<'_, '_>> = ratings
        .axis_chunks_iter(Axis(0), chunk)
        .zip(comps.chunks_mut(chunk * k))
        .zip(overall.chunks_mut(chunk))
        .zip(spread.chunks_mut(chunk))
        .zip(coverage.chunks_mut(chunk))
        .enumerate()
        .map(
            |(t, ((((rows, comps), overall), spread), coverage))| ChunkTask {
                first_row: t * chunk,
                rows,
                comps,
                overall,
                spread,
                coverage,
            },
        )
        .collect();
    let (min, max) = (rubric.scale().min(), rubric.scale().max());
    let run = |task: ChunkTask<'_, '_>| -> Result<()> {
        control.check("scoring")?;
        let bounds = validate.then_some((min, max));
        task.score(rubric, scorer, bounds)
    };
    let results: Vec<Result<()>> = if tasks.len() > 1 {
        crate::parallel::install(|| tasks.into_par_iter().map(run).collect())
    } else {
        tasks.into_iter().map(run).collect()
    };
    results.into_iter().collect::<Result<()>>()
}

/// A run of rows of a matrix and the outputs it writes.
struct ChunkTask<'a, 'b> {
    first_row: usize,
    rows: ArrayView2<'a, f64>,
    comps: &'b mut [f64],
    overall: &'b mut [f64],
    spread: &'b mut [f64],
    coverage: &'b mut [f64],
}

impl ChunkTask<'_, '_> {
    /// Score the run: contiguous rows in place, strided rows through a
    /// small copy. With `bounds`, a value outside them (or infinite) is an
    /// error, as is a missing rating under the strict policy: the first in
    /// row order.
    fn score(self, rubric: &Rubric, scorer: &Scorer, bounds: Option<(f64, f64)>) -> Result<()> {
        let n_el = self.rows.ncols();
        let k = scorer.n_components();
        let n = self.rows.nrows();
        let mut scratch = Vec::new();
        let step = if self.rows.is_standard_layout() {
            n.max(1)
        } else {
            COPY_ROWS
        };
        let mut start = 0;
        while start < n {
            let end = (start + step).min(n);
            let part = self.rows.slice(ndarray::s![start..end, ..]);
            let values: &[f64] = if let Some(v) = part.to_slice() {
                v
            } else {
                scratch.clear();
                scratch.extend(part.iter().copied());
                &scratch
            };
            let problem = scorer.score_rows(
                values,
                &mut crate::simd::RowsOut {
                    components: Some(&mut self.comps[start * k..end * k]),
                    overall: Some(&mut self.overall[start..end]),
                    spread: Some(&mut self.spread[start..end]),
                    coverage: Some(&mut self.coverage[start..end]),
                },
                bounds,
            );
            match problem {
                None => {}
                Some(Stop::Missing { row, col }) => {
                    return Err(Error::MissingValue {
                        row: self.first_row + start + row,
                        element: rubric.element_ids()[col].clone(),
                    });
                }
                Some(Stop::Outside { row, col }) => {
                    let (min, max) = bounds.unwrap_or((f64::NAN, f64::NAN));
                    return Err(Error::InvalidMatrixValue {
                        row: self.first_row + start + row,
                        element: rubric.element_ids()[col].clone(),
                        value: values[row * n_el + col],
                        min,
                        max,
                    });
                }
            }
            start = end;
        }
        Ok(())
    }
}
