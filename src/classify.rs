//! The report's classifications: the advanced rule, the quadrant cuts and
//! the four quadrants of Figure 4.
//!
//! ```text
//! advanced  : #{components banded at `level` or better} > share * #components
//! quadrant  : strong <=> score >= y_cut ; piecemeal <=> spread >= x_cut
//! ```
//!
//! Every comparison is exact (see [`crate::exact`]): a component score of
//! exactly 3.5 bands to 4 and a score exactly on a cut goes to the upper
//! side, whatever the order the floats were summed in.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};
use crate::exact::{self, Exact};
use crate::scale::Scale;

/// The rule for "advanced": more than `more_than_share` of the components
/// banded at `level` or better (seed 000: "more than half of their portfolio
/// strategy components rated as being 'in progress' or better").
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AdvancedRule {
    /// The band a component must reach; `None` (the default) is the level
    /// just below the top of the scale: 4, "In progress", for CRPE. A
    /// value must be one of the scale's levels.
    pub level: Option<f64>,
    /// The share of components that must be exceeded (0.5: "more than
    /// half"), from 0 (inclusive) to 1 (exclusive). `share * components`
    /// within 1e-9 of a whole number counts as that number (4.0 / 7.0 means
    /// "more than four of seven").
    pub more_than_share: f64,
}

impl Default for AdvancedRule {
    fn default() -> Self {
        Self {
            level: None,
            more_than_share: 0.5,
        }
    }
}

/// An [`AdvancedRule`] checked against a scale and a number of components.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResolvedAdvanced {
    /// Index of the level a component must reach.
    pub level_index: usize,
    /// How many components must reach it (the smallest count above the
    /// share, decided exactly).
    pub min_components: usize,
    /// Number of components.
    pub n_components: usize,
}

impl AdvancedRule {
    /// A rule at an explicit level.
    #[must_use]
    pub fn at_level(level: f64) -> Self {
        Self {
            level: Some(level),
            ..Self::default()
        }
    }

    /// Check the rule against a scale and resolve it.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming `advanced_level` (not a level of
    /// the scale) or `advanced_share` (not in [0, 1)).
    pub fn resolve(&self, scale: &Scale, n_components: usize) -> Result<ResolvedAdvanced> {
        let level_index = match self.level {
            None => scale.levels.len().saturating_sub(2),
            Some(v) => scale
                .levels
                .iter()
                .position(|l| l.value == v)
                .ok_or_else(|| Error::InvalidParameter {
                    name: "advanced_level",
                    value: crate::error::num(v),
                    reason: format!(
                        "must be one of the scale's levels: {}",
                        scale.describe_allowed(crate::scale::AllowedRatings::Levels)
                    ),
                })?,
        };
        let share = self.more_than_share;
        let bad_share = || Error::InvalidParameter {
            name: "advanced_share",
            value: crate::error::num(share),
            reason: "must be a fraction from 0 (inclusive) to 1 (exclusive)".into(),
        };
        if !(0.0..1.0).contains(&share) {
            return Err(bad_share());
        }
        let s = exact::decimal(share).ok_or_else(bad_share)?;
        // the smallest whole count strictly above share * n; a product within
        // 1e-9 of a whole number is that number, so that a share typed as a
        // fraction (4.0 / 7.0, which a float holds only approximately) means
        // what it says
        let bound = exact::snap_to_integer(s * Exact::from_integer(n_components.into()));
        let min_components = num_traits::ToPrimitive::to_usize(&(bound.floor().to_integer()))
            .map_or(usize::MAX, |f| f + 1);
        Ok(ResolvedAdvanced {
            level_index,
            min_components,
            n_components,
        })
    }
}

impl ResolvedAdvanced {
    /// Whether component bands (level indices, `None` = no score) make a
    /// district advanced. Components without a score do not reach the level.
    ///
    /// ```
    /// use portfolio_snapshot::{AdvancedRule, Rubric};
    /// let rule = AdvancedRule::default().resolve(Rubric::crpe_2016().scale(), 7)?;
    /// // level indices: 0 is level 1, 3 is level 4 ("In progress")
    /// let four_of_seven = [Some(3), Some(4), Some(3), Some(3), Some(0), Some(1), Some(2)];
    /// assert!(rule.is_advanced(&four_of_seven));
    /// let three_of_seven = [Some(3), Some(4), Some(3), Some(2), Some(0), Some(1), None];
    /// assert!(!rule.is_advanced(&three_of_seven));
    /// # Ok::<(), portfolio_snapshot::Error>(())
    /// ```
    #[must_use]
    pub fn is_advanced(&self, bands: &[Option<usize>]) -> bool {
        bands
            .iter()
            .filter(|b| b.is_some_and(|i| i >= self.level_index))
            .count()
            >= self.min_components
    }
}

/// The four groups of the report's Figure 4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
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

    /// The quadrant of a point given which side of each cut it lies on.
    #[must_use]
    pub fn from_sides(strong: bool, piecemeal: bool) -> Self {
        match (strong, piecemeal) {
            (true, false) => Self::StrongConsistent,
            (true, true) => Self::StrongPiecemeal,
            (false, false) => Self::WeakerConsistent,
            (false, true) => Self::WeakerPiecemeal,
        }
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

    /// The position in [`Quadrant::ALL`].
    #[must_use]
    pub fn index(self) -> usize {
        match self {
            Self::StrongConsistent => 0,
            Self::StrongPiecemeal => 1,
            Self::WeakerConsistent => 2,
            Self::WeakerPiecemeal => 3,
        }
    }

    /// The colour of the quadrant in figures, from the scale's colours:
    /// strong and consistent takes the top level's colour, weaker and
    /// piecemeal the bottom level's, the other two the levels next to them.
    #[must_use]
    pub fn color(self, scale: &Scale) -> String {
        let n = scale.levels.len();
        let i = match self {
            Self::StrongConsistent => n - 1,
            Self::StrongPiecemeal => n.saturating_sub(2),
            Self::WeakerConsistent => 1.min(n - 1),
            Self::WeakerPiecemeal => 0,
        };
        scale.levels[i].color.clone()
    }
}

impl fmt::Display for Quadrant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Where a quadrant cut lies.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[non_exhaustive]
pub enum Cut {
    /// A fixed value (read as the decimal it prints as).
    Value(f64),
    /// The mean over the districts analysed (those with a value).
    #[default]
    Mean,
    /// The median over the districts analysed (mean of the middle two for an
    /// even count).
    Median,
    /// Halfway between the scale's lowest and highest level (3.0 for CRPE):
    /// a cut for the score axis only.
    ScaleMidpoint,
}

/// The two axes of the quadrant plot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Axis {
    /// The overall score (y).
    Score,
    /// The spread (x).
    Spread,
}

impl Axis {
    /// The option's name: `y_cut` or `x_cut`.
    #[must_use]
    pub fn cut_name(self) -> &'static str {
        match self {
            Self::Score => "y_cut",
            Self::Spread => "x_cut",
        }
    }
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

impl Cut {
    /// Check the cut for an axis: a value must be finite, and the scale
    /// midpoint (a rating) means nothing on the spread axis (a variance).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming `y_cut` or `x_cut`.
    pub fn check(self, axis: Axis) -> Result<()> {
        match (self, axis) {
            (Self::Value(v), _) if !v.is_finite() => Err(Error::InvalidParameter {
                name: axis.cut_name(),
                value: crate::error::num(v),
                reason: "a cut value must be finite".into(),
            }),
            (Self::ScaleMidpoint, Axis::Spread) => Err(Error::InvalidParameter {
                name: "x_cut",
                value: "\"midpoint\"".into(),
                reason: "the scale midpoint is a rating and cuts the score axis only; cut the spread at a number, \"mean\" or \"median\"".into(),
            }),
            _ => Ok(()),
        }
    }

    /// The option as text: `"mean"`, `"median"`, `"midpoint"` or the number.
    #[must_use]
    pub fn name(self) -> String {
        match self {
            Self::Value(v) => crate::error::num(v),
            Self::Mean => "mean".into(),
            Self::Median => "median".into(),
            Self::ScaleMidpoint => "midpoint".into(),
        }
    }
}
