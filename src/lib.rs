//! # portfolio-snapshot
//!
//! Score how far school systems have implemented the *portfolio strategy*,
//! following the Center on Reinventing Public Education's snapshot rubric and
//! its 2016 report *Sticking Points*: 7 components, 36 elements, each rated
//! 1 ("nothing in place yet") to 5 ("national exemplar").
//!
//! - [`Rubric`]: the rubric as data; [`Rubric::crpe_2016`] (default) and
//!   [`Rubric::crpe_2012`] built in, custom rubrics from JSON or TOML.
//! - [`Panel`]: many snapshots (district x date x element), validated once.
//! - [`Panel::score`]: component scores, overall score (mean of component
//!   means), spread (population variance) and coverage per snapshot.
//! - [`Panel::summarize`]: per district on a [`Basis`]: score, spread,
//!   bands, advanced flag, [`Quadrant`], recent progress.
//! - [`Panel::rank_components`], [`Panel::rank_elements`]: Figure 6 and
//!   the sticking points.
//! - [`Roster`] and [`Eligibility`]: Figure 2 and the report's rule
//!   (at least 3 snapshots, the last in January 2014 or later).
//!
//! Every default is the report's rule or, where the report is silent, this
//! library's stated choice, and every one is a named option.
//!
//! # Examples
//! ```
//! use portfolio_snapshot::{datasets, Basis, SummaryOptions};
//! let panel = datasets::demo_panel()?; // synthetic data
//! let summary = panel.summarize(&SummaryOptions::default().with_basis(Basis::Average))?;
//! let best = summary.order_by_score()[0];
//! println!("{} scores {:.2}", summary.districts[best], summary.score[best]);
//! let stuck = panel.rank_elements(Basis::Average);
//! println!("lowest element: {}", stuck.lowest(1)[0].id);
//! # Ok::<(), portfolio_snapshot::Error>(())
//! ```

/// The README's Rust examples, run as doctests so they cannot go stale.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

mod basis;
mod cells;
mod classify;
pub mod columns;
mod compare;
mod control;
mod counter_rng;
mod crosswalk;
pub mod datasets;
mod date;
pub mod describe;
mod error;
mod exact;
pub mod findings;
mod leave_one_out;
mod memo;
mod mixed;
mod panel;
mod parallel;
mod path;
mod profile;
mod rank;
mod raters;
mod reliability;
mod roster;
mod rubric;
mod scale;
mod score;
mod sensitivity;
mod simd;
mod snapshots;
mod spread;
mod subset;
mod summary;
pub mod table;
mod trends;
mod uncertainty;

#[cfg(feature = "python")]
mod python;

pub use basis::Basis;
pub use cells::{DEFAULT_NA_VALUES, NaValues};
pub use classify::{AdvancedRule, Axis, Cut, Quadrant, ResolvedAdvanced};
pub use compare::{Comparison, ItemKind};
pub use control::{Control, DEFAULT_MEMORY_LIMIT, ProgressFn, check_memory, format_bytes};
pub use crosswalk::{CROSSWALK_COLUMNS, Crosswalk, CrosswalkRow, Relation};
pub use date::{DateError, DateReason, YearMonth};
pub use error::{Error, Result};
pub use leave_one_out::LeaveOneOut;
pub use mixed::MixedPanel;
pub use panel::{
    LONG_COLUMNS, LongRating, Panel, PanelOptions, Provenance, SnapshotKey, check_columns,
};
pub use path::{AdvancedPath, ComponentStep, Direction, Move, PATH_DEFAULT_BASIS};
pub use profile::{DEFAULT_WEAKEST, Profile};
pub use rank::{RankEntry, Ranking};
pub use raters::{AGREEMENT_DEFAULT_DRAWS, AGREEMENT_DEFAULT_SEED, Agreement, Consensus, Raters};
pub use reliability::{ALPHA_MISSING_RULE, Reliability, cronbach_alpha};
pub use roster::{Eligibility, ROSTER_COLUMNS, Roster, RosterEntry};
pub use rubric::{
    Component, ComponentSpec, Element, MAX_ELEMENTS, MAX_LEVELS, RUBRIC_SCHEMA, Rubric,
    RubricFormat, RubricSource, RubricSpec,
};
pub use scale::{
    AllowedRatings, COLORMAPS, DEFAULT_COLORMAP, Level, LevelSpec, Scale, ScaleSpec,
    colormap_colors,
};
pub use score::{
    Aggregation, MissingPolicy, RowScore, ScoreOptions, Scorer, SnapshotScores, SnapshotScoresMut,
    score_matrix, score_matrix_into, score_matrix_with,
};
pub use sensitivity::{
    NetworkOutput, Sensitivity, SensitivityOptions, SobolIndices, Source, sobol_jansen,
};
pub use simd::{Isa, isa, set_isa};
pub use snapshots::PanelScores;
pub use spread::SpreadRule;
pub use subset::Selection;
pub use summary::{Analysis, DistrictSummaries, SummaryOptions};
pub use trends::{Trajectory, TrajectoryRule, Trends, least_squares_slope};
pub use uncertainty::{
    Draws, RatingNoise, Uncertainty, UncertaintyOptions, draw_rng, quantile_linear,
};
