//! Trajectories: how fast each district's scores change over its snapshots.
//!
//! For each district, the ordinary least-squares slope of the overall score
//! and of each component score against the snapshot date as a fractional
//! year (January 2014 = 2014.0, July 2014 = 2014.5), in score points per
//! year. A series is fitted on the snapshots where it has a score; with
//! fewer than two such snapshots its slope is NaN and the district's
//! `reason` says why.

use ndarray::{Array1, Array2};

use crate::control::Control;
use crate::date::YearMonth;
use crate::error::Result;
use crate::panel::Panel;
use crate::score::ScoreOptions;

/// Per-district slopes of the scores over time.
#[derive(Debug, Clone, PartialEq)]
pub struct Trends {
    /// District names, in panel order.
    pub districts: Vec<String>,
    /// Component short names, in rubric order.
    pub component_names: Vec<String>,
    /// Snapshots per district.
    pub n_snapshots: Vec<usize>,
    /// First and last snapshot date per district.
    pub first_date: Vec<YearMonth>,
    /// See `first_date`.
    pub last_date: Vec<YearMonth>,
    /// Slope of the overall score, points per year (NaN: see `reason`).
    pub overall_slope: Array1<f64>,
    /// Slope of each component score, districts x components.
    pub component_slopes: Array2<f64>,
    /// Why a slope is NaN (`None`: every slope has a value).
    pub reason: Vec<Option<String>>,
}

/// The least-squares slope of `ys` against `xs` over the pairs where `y` is
/// not NaN, and how many pairs that is (NaN below two pairs, or when every
/// `x` is the same).
#[must_use]
pub fn least_squares_slope(xs: &[f64], ys: &[f64]) -> (f64, usize) {
    let pairs = || xs.iter().zip(ys).filter(|(_, y)| !y.is_nan());
    let n = pairs().count();
    if n < 2 {
        return (f64::NAN, n);
    }
    #[allow(clippy::cast_precision_loss)] // a count of snapshots
    let nf = n as f64;
    let (sx, sy) = pairs().fold((0.0, 0.0), |(a, b), (x, y)| (a + x, b + y));
    let (mx, my) = (sx / nf, sy / nf);
    let (sxy, sxx) = pairs().fold((0.0, 0.0), |(a, b), (x, y)| {
        (a + (x - mx) * (y - my), b + (x - mx) * (x - mx))
    });
    if sxx == 0.0 {
        return (f64::NAN, n);
    }
    (sxy / sxx, n)
}

impl Panel {
    /// Per-district slopes of the overall and component scores per year.
    ///
    /// # Errors
    /// As [`Panel::score`].
    ///
    /// # Examples
    /// ```
    /// use portfolio_snapshot::{datasets, ScoreOptions};
    /// let t = datasets::demo_panel()?.trends(&ScoreOptions::default())?;
    /// assert_eq!(t.districts.len(), 25);
    /// # Ok::<(), portfolio_snapshot::Error>(())
    /// ```
    pub fn trends(&self, options: &ScoreOptions) -> Result<Trends> {
        self.trends_with(options, &Control::new())
    }

    /// [`Panel::trends`] under a [`Control`].
    ///
    /// # Errors
    /// As [`Panel::trends`], and [`crate::Error::Cancelled`].
    pub fn trends_with(&self, options: &ScoreOptions, control: &Control) -> Result<Trends> {
        let scores = self.score_with(options, control)?;
        let rubric = self.rubric();
        let k = rubric.components().len();
        let n_d = self.n_districts();
        let dates = self.dates();
        let mut overall_slope = Array1::from_elem(n_d, f64::NAN);
        let mut component_slopes = Array2::from_elem((n_d, k), f64::NAN);
        let mut n_snapshots = Vec::with_capacity(n_d);
        let mut first_date = Vec::with_capacity(n_d);
        let mut last_date = Vec::with_capacity(n_d);
        let mut reason = Vec::with_capacity(n_d);
        let mut ys = Vec::new();
        for d in 0..n_d {
            control.check("trends")?;
            let rows = self.district_rows(d);
            let xs: Vec<f64> = rows.clone().map(|r| dates[r].fractional_year()).collect();
            n_snapshots.push(rows.len());
            first_date.push(dates[rows.start]);
            last_date.push(dates[rows.end - 1]);
            ys.clear();
            ys.extend(rows.clone().map(|r| scores.overall[r]));
            let (slope, used) = least_squares_slope(&xs, &ys);
            overall_slope[d] = slope;
            let mut why = Vec::new();
            if rows.len() < 2 {
                why.push("fewer than two snapshots".to_owned());
            } else if used < 2 {
                why.push(format!(
                    "fewer than two snapshots with an overall score ({used} of {})",
                    rows.len()
                ));
            }
            for c in 0..k {
                ys.clear();
                ys.extend(rows.clone().map(|r| scores.components[[r, c]]));
                let (slope, used) = least_squares_slope(&xs, &ys);
                component_slopes[[d, c]] = slope;
                if rows.len() >= 2 && used < 2 {
                    why.push(format!(
                        "{}: fewer than two snapshots with a score ({used})",
                        rubric.components()[c].short_name()
                    ));
                }
            }
            reason.push((!why.is_empty()).then(|| why.join("; ")));
        }
        Ok(Trends {
            districts: self.districts().to_vec(),
            component_names: rubric
                .components()
                .iter()
                .map(|c| c.short_name().to_owned())
                .collect(),
            n_snapshots,
            first_date,
            last_date,
            overall_slope,
            component_slopes,
            reason,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::least_squares_slope;

    #[test]
    fn slopes_by_hand() {
        // (2014, 2), (2015, 3), (2016, 5): mean x 2015, mean y 10/3;
        // sxy = (-1)(-4/3) + 0 + (1)(5/3) = 3, sxx = 2 -> 1.5
        let (s, n) = least_squares_slope(&[2014.0, 2015.0, 2016.0], &[2.0, 3.0, 5.0]);
        assert!((s - 1.5).abs() < 1e-12 && n == 3);
        // NaN pairs are skipped; below two pairs the slope is NaN
        let (s, n) = least_squares_slope(&[2014.0, 2014.5, 2015.0], &[1.0, f64::NAN, 2.0]);
        assert!((s - 1.0).abs() < 1e-12 && n == 2);
        let (s, n) = least_squares_slope(&[2014.0, 2015.0], &[f64::NAN, 2.0]);
        assert!(s.is_nan() && n == 1);
    }
}
