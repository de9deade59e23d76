//! Trajectories: how fast each district's scores change over its snapshots.
//!
//! For each district, the ordinary least-squares slope of the overall score
//! and of each component score against the snapshot date as a fractional
//! year (January 2014 = 2014.0, July 2014 = 2014.5), in score points per
//! year. A series is fitted on the snapshots where it has a score; with
//! fewer than two such snapshots its slope is NaN and the district's
//! `reason` says why.
//!
//! Each district's trajectory is classified from the slope of its overall
//! score by a [`TrajectoryRule`] with named thresholds:
//!
//! ```text
//! too few snapshots : fewer than `min_snapshots` snapshots with an overall score
//! rising            : slope >= +stall_band
//! declining         : slope <= -stall_band
//! stalled           : |slope| < stall_band
//! ```
//!
//! The report speaks of districts that are "stalled", "moving slowly" or
//! "just getting started" without defining them; these thresholds are this
//! library's, not the report's.

use std::fmt;

use ndarray::{Array1, Array2};

use crate::control::Control;
use crate::date::YearMonth;
use crate::error::{Error, Result};
use crate::panel::Panel;
use crate::score::ScoreOptions;

/// How a district's overall score moves over its snapshots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Trajectory {
    /// The slope is at least the stall band.
    Rising,
    /// The slope is within the stall band either side of zero.
    Stalled,
    /// The slope is at most minus the stall band.
    Declining,
    /// Fewer snapshots with an overall score than the rule needs.
    TooFewSnapshots,
}

impl Trajectory {
    /// All classes, in the order tables list them.
    pub const ALL: [Trajectory; 4] = [
        Self::Rising,
        Self::Stalled,
        Self::Declining,
        Self::TooFewSnapshots,
    ];

    /// The class's label.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Rising => "rising",
            Self::Stalled => "stalled",
            Self::Declining => "declining",
            Self::TooFewSnapshots => "too few snapshots",
        }
    }
}

impl fmt::Display for Trajectory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The thresholds of the trajectory classes (the report names the classes
/// but defines none; these defaults are this library's choice).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrajectoryRule {
    /// Fewest snapshots with an overall score a class other than "too few
    /// snapshots" needs. Default [`TrajectoryRule::DEFAULT_MIN_SNAPSHOTS`]:
    /// three, the report's own bar for including a district (with two, one
    /// noisy snapshot decides the slope).
    pub min_snapshots: usize,
    /// Half-width of the "stalled" band around a zero slope, in score points
    /// per year. Default [`TrajectoryRule::DEFAULT_STALL_BAND`]: 0.1 points
    /// a year, 2.5% of the CRPE scale's range; on the 2016 rubric one element
    /// rising one level moves the overall score by about 0.03, so "rising"
    /// means about three element-levels a year or more.
    pub stall_band: f64,
}

impl TrajectoryRule {
    /// See [`TrajectoryRule::min_snapshots`].
    pub const DEFAULT_MIN_SNAPSHOTS: usize = 3;
    /// See [`TrajectoryRule::stall_band`].
    pub const DEFAULT_STALL_BAND: f64 = 0.1;

    /// Check the thresholds.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming `min_snapshots` (below 2: a slope
    /// needs two points) or `stall_band` (not a finite number from 0).
    pub fn check(&self) -> Result<()> {
        if self.min_snapshots < 2 {
            return Err(Error::InvalidParameter {
                name: "min_snapshots",
                value: self.min_snapshots.to_string(),
                reason: "a slope needs at least 2 snapshots".into(),
            });
        }
        if !(self.stall_band.is_finite() && self.stall_band >= 0.0) {
            return Err(Error::InvalidParameter {
                name: "stall_band",
                value: crate::error::num(self.stall_band),
                reason: "must be a finite number of score points per year, 0 or more".into(),
            });
        }
        Ok(())
    }

    /// The class of a slope fitted on `used` snapshots.
    #[must_use]
    pub fn classify(&self, slope: f64, used: usize) -> Trajectory {
        if used < self.min_snapshots || slope.is_nan() {
            Trajectory::TooFewSnapshots
        } else if slope >= self.stall_band {
            Trajectory::Rising
        } else if slope <= -self.stall_band {
            Trajectory::Declining
        } else {
            Trajectory::Stalled
        }
    }
}

impl Default for TrajectoryRule {
    fn default() -> Self {
        Self {
            min_snapshots: Self::DEFAULT_MIN_SNAPSHOTS,
            stall_band: Self::DEFAULT_STALL_BAND,
        }
    }
}

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
    /// Snapshots with an overall score per district (the overall slope's
    /// points).
    pub n_scored: Vec<usize>,
    /// Each district's trajectory class.
    pub trajectory: Vec<Trajectory>,
    /// The rule the classes follow.
    pub rule: TrajectoryRule,
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
    /// Per-district slopes of the overall and component scores per year,
    /// classified by the default [`TrajectoryRule`].
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
        self.trends_with(options, &TrajectoryRule::default(), &Control::new())
    }

    /// [`Panel::trends`] with a classification rule, under a [`Control`].
    ///
    /// # Errors
    /// As [`Panel::trends`] and [`TrajectoryRule::check`], and
    /// [`crate::Error::Cancelled`].
    pub fn trends_with(
        &self,
        options: &ScoreOptions,
        rule: &TrajectoryRule,
        control: &Control,
    ) -> Result<Trends> {
        rule.check()?;
        let scores = self.score_with(options, control)?;
        self.trends_of(&scores, rule, control)
    }

    /// Trends from per-snapshot scores already computed (one row per
    /// snapshot, in panel order): a mixed-version panel scores each snapshot
    /// on its own rubric first.
    pub(crate) fn trends_of(
        &self,
        scores: &crate::SnapshotScores,
        rule: &TrajectoryRule,
        control: &Control,
    ) -> Result<Trends> {
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
        let mut n_scored = Vec::with_capacity(n_d);
        let mut trajectory = Vec::with_capacity(n_d);
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
            n_scored.push(used);
            trajectory.push(rule.classify(slope, used));
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
            n_scored,
            trajectory,
            rule: *rule,
            reason,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{Trajectory, TrajectoryRule, least_squares_slope};

    #[test]
    fn classes_at_their_thresholds() {
        let r = TrajectoryRule::default();
        assert_eq!(r.classify(0.1, 3), Trajectory::Rising);
        assert_eq!(r.classify(0.099, 3), Trajectory::Stalled);
        assert_eq!(r.classify(-0.099, 3), Trajectory::Stalled);
        assert_eq!(r.classify(-0.1, 3), Trajectory::Declining);
        assert_eq!(r.classify(2.0, 2), Trajectory::TooFewSnapshots);
        assert_eq!(r.classify(f64::NAN, 9), Trajectory::TooFewSnapshots);
        let bad = TrajectoryRule {
            min_snapshots: 1,
            ..r
        };
        assert!(bad.check().is_err());
        let bad = TrajectoryRule {
            stall_band: f64::NAN,
            ..r
        };
        assert!(bad.check().is_err());
    }

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
