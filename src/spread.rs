//! How a district's spread (how piecemeal it is) is taken over time.
//!
//! ```text
//! basis             : population variance of the district's basis values
//!                     (each element's mean over time on the average basis):
//!                     the report's rule, the default
//! mean_of_snapshots : the mean, over the basis's snapshots, of each
//!                     snapshot's population variance of its rated elements
//! ```
//!
//! Averaging elements over time smooths them, so on the average basis the
//! report's spread shrinks as a district adds snapshots; the mean of
//! per-snapshot spreads measures how uneven the district is at any one
//! time. On the recent basis the two are the same.

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

use crate::error::{Error, Result};
use crate::exact::{self, Exact};
use crate::panel::Panel;
use crate::scale::Bands;
use crate::score::Scorer;
use crate::simd::RowsOut;

/// How a district's spread is taken (see the module's table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
#[non_exhaustive]
pub enum SpreadRule {
    /// Population variance of the basis values (the report's rule).
    #[default]
    OfBasis,
    /// Mean of the per-snapshot population variances.
    MeanOfSnapshots,
}

impl SpreadRule {
    /// Both, in order.
    pub const ALL: [SpreadRule; 2] = [Self::OfBasis, Self::MeanOfSnapshots];

    /// The option's name: `"basis"` or `"mean_of_snapshots"`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::OfBasis => "basis",
            Self::MeanOfSnapshots => "mean_of_snapshots",
        }
    }

    /// The axis label of the spread under this rule.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::OfBasis => "spread (population variance of element ratings)",
            Self::MeanOfSnapshots => {
                "spread (mean over snapshots of the population variance of element ratings)"
            }
        }
    }

    /// The rule in words.
    #[must_use]
    pub fn describe(self) -> &'static str {
        match self {
            Self::OfBasis => {
                "spread: the population variance of the district's basis values (the report's rule)"
            }
            Self::MeanOfSnapshots => {
                "spread: the mean over the basis's snapshots of each snapshot's population variance of its rated elements"
            }
        }
    }
}

impl FromStr for SpreadRule {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|r| r.name() == s)
            .ok_or_else(|| Error::InvalidParameter {
                name: "spread",
                value: format!("{s:?}"),
                reason: "must be \"basis\" or \"mean_of_snapshots\"".into(),
            })
    }
}

impl fmt::Display for SpreadRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The mean of the per-snapshot spreads of `rows` (NaN when no snapshot
/// has a spread), each snapshot's spread from the scoring kernel.
pub(crate) fn mean_of_snapshots(
    panel: &Panel,
    scorer: &Scorer,
    rows: Range<usize>,
    scratch: &mut Vec<f64>,
) -> f64 {
    let n_el = panel.rubric().n_elements();
    let ratings = panel.ratings();
    let data = ratings
        .as_slice()
        .unwrap_or_else(|| unreachable!("a panel stores its ratings in C order"));
    scratch.clear();
    scratch.resize(rows.len(), f64::NAN);
    scorer.score_rows(
        &data[rows.start * n_el..rows.end * n_el],
        &mut RowsOut {
            components: None,
            overall: None,
            spread: Some(scratch),
            coverage: None,
        },
        None,
    );
    let (sum, n) = scratch
        .iter()
        .filter(|v| !v.is_nan())
        .fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    #[allow(clippy::cast_precision_loss)] // a count of snapshots
    if n == 0 { f64::NAN } else { sum / n as f64 }
}

/// The same, exactly.
pub(crate) fn mean_of_snapshots_exact(
    panel: &Panel,
    bands: &Bands,
    rows: Range<usize>,
) -> Option<Exact> {
    let ratings = panel.ratings();
    let spreads: Vec<Exact> = rows
        .filter_map(|r| {
            let values: Vec<Option<Exact>> = ratings
                .row(r)
                .iter()
                .map(|&v| (!v.is_nan()).then(|| bands.exact_rating(v)))
                .collect();
            exact::population_variance(&values)
        })
        .collect();
    (!spreads.is_empty()).then(|| exact::mean(spreads.iter()))
}
