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
//! This is the estimator alone: the sensitivity analysis of the
//! simulation's sources that drives it is still to be built.

use ndarray::ArrayView2;
use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

use crate::error::{Error, Result};
use crate::uncertainty::quantile_linear;

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

/// The indices of the rows `rows` (with repeats) of the runs.
fn indices_of(
    f_a: &[f64],
    f_b: &[f64],
    swapped: ArrayView2<'_, f64>,
    rows: &[usize],
) -> (Vec<f64>, Vec<f64>, f64) {
    #[allow(clippy::cast_precision_loss)] // a count of runs
    let n = rows.len() as f64;
    let mean = rows.iter().map(|&j| f_a[j] + f_b[j]).sum::<f64>() / (2.0 * n);
    let variance = rows
        .iter()
        .map(|&j| (f_a[j] - mean).powi(2) + (f_b[j] - mean).powi(2))
        .sum::<f64>()
        / (2.0 * n);
    let k = swapped.ncols();
    let mut first = vec![f64::NAN; k];
    let mut total = vec![f64::NAN; k];
    if variance > 0.0 {
        for i in 0..k {
            let col = swapped.column(i);
            let (mut b, mut a) = (0.0, 0.0);
            for &j in rows {
                b += (f_b[j] - col[j]).powi(2);
                a += (f_a[j] - col[j]).powi(2);
            }
            first[i] = (variance - b / (2.0 * n)) / variance;
            total[i] = a / (2.0 * n) / variance;
        }
    }
    (first, total, variance)
}

/// First-order and total Sobol indices (Jansen) of the runs on `A`
/// (`f_a`), `B` (`f_b`) and each `AB_i` (column `i` of `swapped`, `N x k`: `A` with input `i` swapped in from `B`),
/// with percentile intervals at `level` from `resamples` bootstrap
/// resamples of the base rows (seeded by `seed`). Indices are NaN when the
/// output does not vary.
///
/// # Errors
/// [`Error::LengthMismatch`] when the runs differ in number;
/// [`Error::InvalidParameter`] naming `runs` (fewer than two base rows, or
/// a run that is not finite), `level` (not strictly between 0 and 1) or
/// `resamples` (fewer than 2).
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
    let all: Vec<usize> = (0..n).collect();
    let (first, total, variance) = indices_of(f_a, f_b, swapped, &all);
    let k = swapped.ncols();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut boot_first = vec![Vec::with_capacity(resamples); k];
    let mut boot_total = vec![Vec::with_capacity(resamples); k];
    let mut rows = vec![0; n];
    for _ in 0..resamples {
        for r in &mut rows {
            *r = rng.random_range(0..n);
        }
        let (f, t, _) = indices_of(f_a, f_b, swapped, &rows);
        for i in 0..k {
            boot_first[i].push(f[i]);
            boot_total[i].push(t[i]);
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
    Ok(SobolIndices {
        first,
        total,
        first_interval: boot_first.iter_mut().map(interval).collect(),
        total_interval: boot_total.iter_mut().map(interval).collect(),
        variance,
        level,
    })
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
