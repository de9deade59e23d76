//! Exact decisions: ties, bands and cuts on the rational numbers the ratings
//! stand for, whatever the order a float sum was taken in.
//!
//! Every rating is one of a few allowed values (the scale's levels and, if
//! allowed, the points halfway between), so every mean, variance and cut the
//! library compares is a rational number. Floats compute them fast but round;
//! a tie (two elements with the same mean) or a value on a boundary (a
//! component score of exactly 3.5, a score on the cut) must not depend on
//! the last bit. Each decision goes through three steps:
//!
//! ```text
//! 1. float filter   |a - b| > err_a + err_b        -> the float order is the exact order
//! 2. denominators   a, b rational with denominators dividing D_a, D_b:
//!                   distinct values differ by at least 1 / (D_a D_b),
//!                   so if 1 / (D_a D_b) > err_a + err_b they are equal
//! 3. exact          otherwise recompute both as exact rationals (num-rational)
//! ```
//!
//! `err` is a rigorous bound on the float's distance from the exact value,
//! derived from the magnitudes and the number of operations (see
//! [`ErrorModel`]); `D` is a bound on the denominator, derived from the
//! scale's step and the counts averaged over. Step 2 settles the common exact
//! ties of integer ratings (a component mean of exactly 3.5) without big
//! numbers; step 3 is the rare remainder.
//!
//! Numbers a person types (ratings, level values, weights, cut values) are
//! read as the decimal they print as: a cut of 0.1 is exactly one tenth.

use std::cmp::Ordering;

use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};

/// An exact rational number.
pub(crate) type Exact = BigRational;

/// The unit roundoff of f64: `2^-53`.
pub(crate) const UNIT: f64 = f64::EPSILON / 2.0;

/// The exact value of a finite float read as the shortest decimal that
/// prints as it (`0.1` is `1/10`, `2.5` is `5/2`). NaN and infinities have
/// none.
pub(crate) fn decimal(x: f64) -> Option<Exact> {
    if !x.is_finite() {
        return None;
    }
    // `{:e}` prints the shortest round-trip digits: "-1.2345e-7", "3e0"
    let text = format!("{x:e}");
    let (mantissa, exp) = text.split_once('e')?;
    let exp: i64 = exp.parse().ok()?;
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let frac_digits = mantissa
        .split_once('.')
        .map_or(0, |(_, f)| i64::try_from(f.len()).unwrap_or(i64::MAX));
    let mut numer: BigInt = digits.parse().ok()?;
    if negative {
        numer = -numer;
    }
    let shift = exp - frac_digits;
    let ten = BigInt::from(10);
    let power = |n: i64| num_traits::pow(ten.clone(), usize::try_from(n).unwrap_or(0));
    Some(if shift >= 0 {
        Exact::from_integer(numer * power(shift))
    } else {
        Exact::new(numer, power(-shift))
    })
}

/// Whether a float looks typed by a person: a normal float whose shortest
/// decimal has at most 15 significant digits (`0.1`, `2.5`, `1e308`), as
/// opposed to the result of arithmetic (`0.30000000000000004`, `7 * 2^-1000`)
/// or a subnormal (whose few bits a short decimal would not keep).
pub(crate) fn looks_typed(x: f64) -> bool {
    if !(x.is_normal() || x == 0.0) {
        return false;
    }
    let text = format!("{x:e}");
    let mantissa = text.split_once('e').map_or(text.as_str(), |(m, _)| m);
    mantissa.chars().filter(char::is_ascii_digit).count() <= 15
}

/// The exact values of numbers that belong together (the weights of one
/// rubric): their decimals when every one looks typed, else their binary
/// values, so that weights typed as decimals (0.1, 0.2, 0.3) keep their
/// ratios (1:2:3) and weights rescaled by a power of two keep theirs.
pub(crate) fn typed_all(xs: &[f64]) -> Option<Vec<Exact>> {
    if xs.iter().all(|&x| looks_typed(x)) {
        xs.iter().map(|&x| decimal(x)).collect()
    } else {
        xs.iter().map(|&x| binary(x)).collect()
    }
}

/// The exact binary value of a finite float.
pub(crate) fn binary(x: f64) -> Option<Exact> {
    Exact::from_float(x)
}

/// The float nearest to an exact value (round to nearest even).
pub(crate) fn nearest(x: &Exact) -> f64 {
    x.to_f64().unwrap_or(f64::NAN)
}

/// The denominator of an exact value, if it fits in a `u128`.
pub(crate) fn denominator(x: &Exact) -> Option<u128> {
    x.denom().to_u128()
}

/// A denominator bound of a mean of `count` values whose denominators all
/// divide `den`: their sum's divides `den`, so the mean's divides
/// `den * count` (one bound per count; `den * lcm(1..n)` for every count at
/// once overflows past 88).
pub(crate) fn mean_den(den: Option<u128>, count: usize) -> Option<u128> {
    den?.checked_mul(u128::try_from(count.max(1)).ok()?)
}

/// `lcm(1, 2, ..., n)`, if it fits in a `u128` (it does up to n = 88).
pub(crate) fn lcm_up_to(n: usize) -> Option<u128> {
    // lcm(1..n) overflows u128 from n = 89 on: a table of the rest, once
    static TABLE: std::sync::OnceLock<Vec<u128>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut out = vec![1u128, 1];
        let mut l: u128 = 1;
        for k in 2u128.. {
            match l.checked_mul(k / l.gcd(&k)) {
                Some(next) => {
                    l = next;
                    out.push(l);
                }
                None => break,
            }
        }
        out
    });
    table.get(n).copied()
}

/// A float with a bound on its distance from an exact rational value, and a
/// bound on that value's denominator where one is known.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Approx {
    /// The float.
    pub value: f64,
    /// `|value - exact| <= err`.
    pub err: f64,
    /// The exact value's denominator divides this, when known.
    pub den: Option<u128>,
}

/// Whether two values within `tol` of each other must be exactly equal,
/// given denominator bounds (step 2 of the module's procedure).
fn must_be_equal(den_a: Option<u128>, den_b: Option<u128>, tol: f64) -> bool {
    match (den_a, den_b) {
        (Some(a), Some(b)) => match a.checked_mul(b) {
            // distinct rationals p/a', q/b' (a' | a, b' | b) differ by >= 1/(a b)
            #[allow(clippy::cast_precision_loss)] // a bound; rounded up below
            Some(prod) => (prod as f64) * (1.0 + 1e-9) * tol < 1.0,
            None => false,
        },
        _ => false,
    }
}

/// The exact order of `a` and `b` (see the module head): the float order
/// when it is certain, `Equal` when the denominators force it, else
/// `exact()`.
pub(crate) fn decide(a: Approx, b: Approx, exact: impl FnOnce() -> Ordering) -> Ordering {
    let tol = (a.err + b.err) * (1.0 + 1e-9) + f64::MIN_POSITIVE;
    match by_float(a.value, b.value, tol) {
        Some(order) => order,
        None if must_be_equal(a.den, b.den, tol) => Ordering::Equal,
        None => exact(),
    }
}

/// The first test of [`decide`]: the float order of `a` and `b` when they
/// are more than `tol` apart.
#[inline]
pub(crate) fn by_float(a: f64, b: f64, tol: f64) -> Option<Ordering> {
    let diff = a - b;
    if diff > tol {
        Some(Ordering::Greater)
    } else if diff < -tol {
        Some(Ordering::Less)
    } else {
        None
    }
}

/// Indices of `values` ordered high to low, NaN last, with values that are
/// exactly equal kept in index order.
///
/// `err` bounds every value's distance from its exact value, `den` bounds
/// every denominator (when known), and `exact(i)` recomputes value `i`
/// exactly; it is called only for values too close to order by float.
pub(crate) fn order_desc(
    values: &[f64],
    err: f64,
    den: Option<u128>,
    exact: impl FnMut(usize) -> Exact,
) -> Vec<usize> {
    order_desc_by(values, err, |_| den, exact)
}

/// [`order_desc`] with a denominator bound per value (`den_of(i)`), for
/// values whose denominators differ: a pooled mean of `m` values has its
/// own `m` in its denominator, where one bound for all would need every
/// `m` at once.
pub(crate) fn order_desc_by(
    values: &[f64],
    err: f64,
    den_of: impl Fn(usize) -> Option<u128>,
    mut exact: impl FnMut(usize) -> Exact,
) -> Vec<usize> {
    // sorted as one integer per value: its descending key above its index
    // (the index breaks ties, so the unstable sort gives the one stable
    // order), compared without branches
    let mut keyed: Vec<u128> = values
        .iter()
        .zip(0u128..)
        .map(|(&v, i)| (u128::from(desc_key(v)) << 64) | i)
        .collect();
    keyed.sort_unstable();
    // the low half: the index
    #[allow(clippy::cast_possible_truncation)]
    let mut idx: Vec<usize> = keyed.into_iter().map(|k| k as u64 as usize).collect();
    let tol = 2.0 * err * (1.0 + 1e-9) + f64::MIN_POSITIVE;
    // values whose denominators all divide D differ, if at all, by >= 1 / D:
    // D is the lcm of the cluster's bounds
    let common = |cluster: &[usize]| {
        let first = den_of(cluster[0])?;
        cluster.iter().try_fold(first, |acc, &i| {
            let d = den_of(i)?;
            // one bound for all (the usual case) costs a comparison
            if d == acc {
                Some(acc)
            } else {
                acc.checked_mul(d / acc.gcd(&d))
            }
        })
    };
    let mut start = 0;
    while start < idx.len() {
        let mut end = start + 1;
        while end < idx.len()
            && !values[idx[end]].is_nan()
            && !values[idx[start]].is_nan()
            && values[idx[end - 1]] - values[idx[end]] <= tol
        {
            end += 1;
        }
        if end - start > 1 {
            let cluster = &mut idx[start..end];
            if must_be_equal(Some(1), common(cluster), tol) {
                // all exactly equal: index order
                cluster.sort_unstable();
            } else {
                let mut keyed: Vec<(Exact, usize)> =
                    cluster.iter().map(|&i| (exact(i), i)).collect();
                keyed.sort_by(|(xa, a), (xb, b)| xb.cmp(xa).then(a.cmp(b)));
                for (slot, (_, i)) in cluster.iter_mut().zip(keyed) {
                    *slot = i;
                }
            }
        }
        start = end;
    }
    idx
}

/// Competition ranks (1 = highest; exactly tied values share the lower
/// rank; NaN gets NaN) from an exact descending order and an exact equality
/// test of neighbours.
pub(crate) fn competition_ranks(
    order: &[usize],
    values: &[f64],
    mut equal: impl FnMut(usize, usize) -> bool,
    out: &mut [f64],
) {
    out.fill(f64::NAN);
    let mut rank = 1.0;
    let mut prev: Option<usize> = None;
    for (pos, &i) in order.iter().enumerate() {
        if values[i].is_nan() {
            break;
        }
        if let Some(p) = prev
            && !equal(p, i)
        {
            #[allow(clippy::cast_precision_loss)]
            let r = (pos + 1) as f64;
            rank = r;
        }
        out[i] = rank;
        prev = Some(i);
    }
}

/// An integer whose order is [`cmp_desc_nan_last`]'s: larger values
/// first, `-0.0` as `0.0`, every NaN last.
fn desc_key(v: f64) -> u64 {
    if v.is_nan() {
        return u64::MAX;
    }
    // + 0.0 turns -0.0 into 0.0
    let bits = (v + 0.0).to_bits();
    // ascending: flip all bits of negatives, the sign bit of the rest
    let ascending = if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    };
    // descending, and below u64::MAX (NaN): the ascending key of -inf is
    // above 0, so no finite or infinite value maps to u64::MAX
    !ascending
}

/// Descending order with NaN last (what [`desc_key`] sorts by).
#[cfg(test)]
fn cmp_desc_nan_last(a: f64, b: f64) -> Ordering {
    match (a.is_nan(), b.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => b.partial_cmp(&a).unwrap_or(Ordering::Equal),
    }
}

/// Rigorous bounds on how far the library's float results lie from their
/// exact values, from the magnitude of the ratings and the number of terms.
///
/// With `u = 2^-53` and `R` bounding every rating and every distance between
/// ratings (`max(|min|, |max|, max - min)`):
///
/// ```text
/// basis value   (mean over <= N snapshots)      2 (N + 2) u R
/// component     (mean of <= m values)           basis + 2 (m + 3) u R
/// overall       (weighted mean of K components) component + 4 (K + 4) u R
/// pooled        (mean of <= n elements)         basis + 2 (n + 3) u R
/// spread        (variance of <= n values)       4 R basis + 8 (n + 2) u R^2
/// mean of D results each within e, |x| <= M     e + 2 (D + 2) u M
/// ```
///
/// Each line is a standard forward bound for recursive summation (the
/// error of a sum of `n` terms is at most `(n - 1) u` times the sum of
/// their magnitudes), a division, and the conversion of a decimal to the
/// nearest float, doubled for margin. A larger bound is never wrong, it only
/// sends more comparisons to the exact step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ErrorModel {
    /// `R`.
    pub magnitude: f64,
    /// `N`: the most snapshots any basis value averages.
    pub rows: usize,
}

impl ErrorModel {
    #[allow(clippy::cast_precision_loss)] // counts far below 2^52
    fn n(x: usize) -> f64 {
        x as f64
    }
    /// Bound for an element's basis value.
    pub fn basis(&self) -> f64 {
        2.0 * (Self::n(self.rows) + 2.0) * UNIT * self.magnitude
    }
    /// Bound for a component score of at most `m` elements.
    pub fn component(&self, m: usize) -> f64 {
        self.basis() + 2.0 * (Self::n(m) + 3.0) * UNIT * self.magnitude
    }
    /// Bound for an overall score (mean of means) of `k` components with
    /// at most `m` elements each.
    pub fn overall(&self, k: usize, m: usize) -> f64 {
        self.component(m) + 4.0 * (Self::n(k) + 4.0) * UNIT * self.magnitude
    }
    /// Bound for a pooled mean of at most `n` elements.
    pub fn pooled(&self, n: usize) -> f64 {
        self.basis() + 2.0 * (Self::n(n) + 3.0) * UNIT * self.magnitude
    }
    /// Bound for a population variance of at most `n` values.
    pub fn spread(&self, n: usize) -> f64 {
        let r = self.magnitude;
        4.0 * r * self.basis() + 8.0 * (Self::n(n) + 2.0) * UNIT * r * r
    }
    /// Bound for the mean of `count` results, each within `each`, of
    /// magnitude at most `magnitude`.
    pub fn mean_of(count: usize, each: f64, magnitude: f64) -> f64 {
        each + 2.0 * (Self::n(count) + 2.0) * UNIT * magnitude
    }
}

/// Exact arithmetic on the values of one basis row: element values (`None`
/// where not rated) to component scores, overall score, pooled mean and
/// population variance, following the same rules as the float kernel.
#[derive(Debug, Clone)]
pub(crate) struct ExactRules {
    /// Column ranges of the components.
    pub ranges: Vec<(usize, usize)>,
    /// Rated elements each component needs to score.
    pub needed: Vec<usize>,
    /// Component weights, exact (`None` for pooled aggregation).
    pub weights: Option<Vec<Exact>>,
}

impl ExactRules {
    /// Exact component scores (`None` where the component has no score).
    pub fn components(&self, values: &[Option<Exact>]) -> Vec<Option<Exact>> {
        self.ranges
            .iter()
            .zip(&self.needed)
            .map(|(&(a, b), &needed)| {
                let rated: Vec<&Exact> = values[a..b].iter().flatten().collect();
                if rated.is_empty() || rated.len() < needed {
                    None
                } else {
                    Some(mean(rated.into_iter()))
                }
            })
            .collect()
    }

    /// The exact overall score: weighted mean of the component scores that
    /// exist, or the pooled mean when the rules have no weights.
    pub fn overall(&self, values: &[Option<Exact>]) -> Option<Exact> {
        match &self.weights {
            None => pooled(values),
            Some(w) => {
                let comps = self.components(values);
                let mut num = Exact::zero();
                let mut den = Exact::zero();
                for (c, w) in comps.iter().zip(w) {
                    if let Some(c) = c {
                        num += c * w;
                        den += w;
                    }
                }
                (!den.is_zero()).then(|| num / den)
            }
        }
    }
}

/// The mean of exact values (at least one).
pub(crate) fn mean<'a>(values: impl Iterator<Item = &'a Exact>) -> Exact {
    let mut sum = Exact::zero();
    let mut n: u64 = 0;
    for v in values {
        sum += v;
        n += 1;
    }
    sum / Exact::from_integer(BigInt::from(n.max(1)))
}

/// The exact mean of the rated values, `None` when none is rated.
pub(crate) fn pooled(values: &[Option<Exact>]) -> Option<Exact> {
    let rated: Vec<&Exact> = values.iter().flatten().collect();
    (!rated.is_empty()).then(|| mean(rated.into_iter()))
}

/// The exact population variance of the rated values, `None` when none is
/// rated.
pub(crate) fn population_variance(values: &[Option<Exact>]) -> Option<Exact> {
    let m = pooled(values)?;
    let rated: Vec<Exact> = values
        .iter()
        .flatten()
        .map(|v| {
            let d = v - &m;
            &d * &d
        })
        .collect();
    Some(mean(rated.iter()))
}

/// The exact median of exact values (mean of the middle two for an even
/// count); `None` when empty.
pub(crate) fn median(mut values: Vec<Exact>) -> Option<Exact> {
    if values.is_empty() {
        return None;
    }
    values.sort();
    let n = values.len();
    Some(if n % 2 == 1 {
        values[n / 2].clone()
    } else {
        (&values[n / 2 - 1] + &values[n / 2]) / Exact::from_integer(BigInt::from(2))
    })
}

/// `x`, or the whole number nearest to it when within 1e-9: a fraction
/// typed as a float (`2.0 / 3.0`, `0.1 + 0.2`) times a count means the
/// whole count the person meant.
pub(crate) fn snap_to_integer(x: Exact) -> Exact {
    let nearest = x.round();
    let tolerance = Exact::new(BigInt::from(1), BigInt::from(1_000_000_000));
    if (&x - &nearest).abs() <= tolerance {
        nearest
    } else {
        x
    }
}

/// The smallest count `c` with `c / size >= fraction`, exactly
/// (`fraction` read as a decimal; `fraction * size` within 1e-9 of a whole
/// number counts as that number). A fraction above 1 needs more than
/// `size`, so no component reaches it.
pub(crate) fn needed_count(fraction: f64, size: usize) -> usize {
    let Some(f) = decimal(fraction) else {
        return usize::MAX;
    };
    if f <= Exact::zero() {
        return 0;
    }
    let need = snap_to_integer(f * Exact::from_integer(BigInt::from(size))).ceil();
    need.to_integer().to_usize().unwrap_or(usize::MAX)
}

/// One.
pub(crate) fn one() -> Exact {
    Exact::one()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(n: i64, d: i64) -> Exact {
        Exact::new(BigInt::from(n), BigInt::from(d))
    }

    #[test]
    fn sort_keys_order_as_the_comparison_does() {
        let values = [
            f64::NAN,
            -f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            0.0,
            -0.0,
            f64::MIN_POSITIVE,
            -f64::MIN_POSITIVE,
            5e-324,
            -5e-324,
            1.0,
            -1.0,
            2.5,
            2.500_000_000_000_000_4,
            f64::MAX,
            f64::MIN,
            3.0,
            -3.0,
        ];
        // every pair, by brute force
        for &a in &values {
            for &b in &values {
                assert_eq!(
                    desc_key(a).cmp(&desc_key(b)),
                    cmp_desc_nan_last(a, b),
                    "{a} vs {b}"
                );
            }
        }
    }

    #[test]
    fn decimals_are_what_they_print() {
        assert_eq!(decimal(0.1), Some(q(1, 10)));
        assert_eq!(decimal(2.5), Some(q(5, 2)));
        assert_eq!(decimal(-3.0), Some(q(-3, 1)));
        assert_eq!(decimal(1e-7), Some(q(1, 10_000_000)));
        assert_eq!(decimal(1.5e18), Some(q(1_500_000_000_000_000_000, 1)));
        assert_eq!(decimal(f64::NAN), None);
        // the binary value of 0.1 is not one tenth
        assert_ne!(binary(0.1), decimal(0.1));
    }

    #[test]
    fn lcm_table() {
        assert_eq!(lcm_up_to(6), Some(60));
        assert_eq!(lcm_up_to(1), Some(1));
        assert!(lcm_up_to(200).is_none());
    }

    #[test]
    fn a_mean_of_n_values_over_d_has_a_denominator_dividing_n_d() {
        // (1/6 + 1/6 + 1/3 + 1/2) / 4 = 7/24; (2/3 + 1/3) / 2 = 1/2 divides 12
        let mean = (q(1, 6) + q(1, 6) + q(1, 3) + q(1, 2)) / BigInt::from(4);
        assert_eq!(mean, q(7, 24));
        assert_eq!(mean_den(Some(6), 4), Some(24));
        assert_eq!(mean_den(Some(6), 0), Some(6));
        assert_eq!(mean_den(None, 4), None);
        assert_eq!(mean_den(Some(u128::MAX / 2), 3), None);
        // past 88 values one bound for every count (lcm) is gone; this is not
        assert!(lcm_up_to(120).is_none());
        assert_eq!(mean_den(Some(60), 120), Some(7_200));
    }

    #[test]
    fn needed_counts_are_exact() {
        // 0.3 * 10 = 3.0000000000000004 in floats, exactly 3
        assert_eq!(needed_count(0.3, 10), 3);
        assert_eq!(needed_count(0.5, 6), 3);
        assert_eq!(needed_count(0.51, 6), 4);
        assert_eq!(needed_count(0.0, 6), 0);
        assert_eq!(needed_count(1.0, 6), 6);
        // fractions typed as floats mean the whole count
        assert_eq!(needed_count(0.1 + 0.2, 10), 3);
        assert_eq!(needed_count(2.0 / 3.0, 6), 4);
    }

    #[test]
    fn order_keeps_index_order_for_exact_ties() {
        // 0.1 + 0.2 != 0.3 in floats; both are exactly 3/10
        let a = 0.1 + 0.2;
        let b = 0.3;
        assert_ne!(a, b);
        let values = [b, 0.5, a];
        let exact = [q(3, 10), q(1, 2), q(3, 10)];
        let order = order_desc(&values, 1e-15, None, |i| exact[i].clone());
        assert_eq!(order, vec![1, 0, 2]);
        let order = order_desc(&values, 1e-15, Some(10), |_| unreachable!());
        assert_eq!(order, vec![1, 0, 2]);
    }
}
