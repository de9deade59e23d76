//! Plain-language descriptions of the rules in force, built from the
//! rubric's own words (level labels, component names), for reports, figures
//! and tables. Every sentence a figure or report shows about a rule comes
//! from here, so a custom rubric is described in its own terms.

use crate::basis::Basis;
use crate::classify::{Axis, Cut, Quadrant, ResolvedAdvanced};
use crate::rubric::Rubric;
use crate::score::{Aggregation, MissingPolicy, ScoreOptions};
use crate::summary::{DistrictSummaries, SummaryOptions};

/// `"1 district"`, `"2 districts"`.
#[must_use]
pub fn count(n: usize, singular: &str, plural: &str) -> String {
    if n == 1 {
        format!("1 {singular}")
    } else {
        format!("{n} {plural}")
    }
}

/// `"1 district is"`, `"5 districts are"`.
#[must_use]
pub fn count_is(n: usize, singular: &str, plural: &str) -> String {
    if n == 1 {
        format!("1 {singular} is")
    } else {
        format!("{n} {plural} are")
    }
}

/// A share as words where it has a common name ("half", "two thirds"),
/// else as a number.
fn share_words(share: f64) -> String {
    match share {
        0.5 => "half".into(),
        0.0 => "none".into(),
        0.75 => "three quarters".into(),
        0.25 => "a quarter".into(),
        s if (s - 2.0 / 3.0).abs() < 1e-9 => "two thirds".into(),
        s if (s - 1.0 / 3.0).abs() < 1e-9 => "a third".into(),
        s => format!("{s}"),
    }
}

/// The districts without a score on the basis, in one sentence (`None`
/// when every district has one): they have no quadrant, are not ranked and
/// are not drawn.
#[must_use]
pub fn unscored(summary: &DistrictSummaries) -> Option<String> {
    let named: Vec<String> = summary
        .districts
        .iter()
        .zip(&summary.unscored)
        .filter_map(|(d, why)| why.as_ref().map(|w| format!("{d} ({w})")))
        .collect();
    if named.is_empty() {
        return None;
    }
    let shown = named.len().min(5);
    Some(format!(
        "{} no score on the {} basis, so no quadrant, no rank and no place in the figures: {}{}",
        if named.len() == 1 {
            "1 district has".to_owned()
        } else {
            format!("{} districts have", named.len())
        },
        summary.basis,
        named[..shown].join("; "),
        if named.len() > shown {
            format!(
                "; and {} more (see the unscored_reason column)",
                named.len() - shown
            )
        } else {
            String::new()
        }
    ))
}

/// A path into or out of "advanced" in one sentence: "Tulsa is not
/// advanced; 5 one-level raises in 2 components (Choice, Talent) would make
/// it so."
#[must_use]
pub fn advanced_path(rubric: &Rubric, path: &crate::AdvancedPath) -> String {
    let on: Vec<&str> = rubric
        .components()
        .iter()
        .zip(&path.components)
        .filter(|(_, s)| s.on_path)
        .map(|(c, _)| c.short_name())
        .collect();
    let where_ = format!(
        "{} ({})",
        count(on.len(), "component", "components"),
        on.join(", ")
    );
    match (path.direction, path.steps) {
        (crate::Direction::Raise, Some(n)) => format!(
            "{} is not advanced on the {} basis; {} in {where_} would make it advanced.",
            path.district,
            path.basis,
            count(n, "one-level raise", "one-level raises")
        ),
        (crate::Direction::Lower, Some(n)) => format!(
            "{} is advanced on the {} basis; {} in {where_} would end that, and no fewer would.",
            path.district,
            path.basis,
            count(n, "one-level drop", "one-level drops"),
        ),
        (crate::Direction::Raise, None) => format!(
            "{} is not advanced on the {} basis, and no raises of its rated elements can make it so: {}.",
            path.district,
            path.basis,
            path.reason.as_deref().unwrap_or("")
        ),
        (_, None) => format!(
            "{} is advanced on the {} basis, and no drops of its rated elements can end that: {}.",
            path.district,
            path.basis,
            path.reason.as_deref().unwrap_or("")
        ),
    }
}

/// The advanced rule in the rubric's words: "more than half of the 7
/// components (at least 4) banded 4 (“In progress”) or better".
#[must_use]
pub fn advanced_rule(rubric: &Rubric, rule: &ResolvedAdvanced, share: f64) -> String {
    let level = &rubric.scale().levels[rule.level_index];
    let top = rule.level_index + 1 == rubric.scale().levels.len();
    format!(
        "more than {} of the {} (at least {}) banded {}{}",
        share_words(share),
        count(rule.n_components, "component", "components"),
        rule.min_components.min(rule.n_components + 1),
        level.describe(),
        if top { "" } else { " or better" }
    )
}

/// What the basis means.
#[must_use]
pub fn basis(basis: Basis) -> &'static str {
    match basis {
        Basis::Average => "each element's mean over a district's snapshots",
        Basis::Recent => "each district's most recent snapshot",
    }
}

/// What a cut is, resolved to `value`, over `n` districts.
#[must_use]
pub fn cut(cut: Cut, axis: Axis, value: f64, n: usize) -> String {
    let (what, digits) = match axis {
        Axis::Score => ("score", 2),
        Axis::Spread => ("spread", 3),
    };
    let rule = match cut {
        Cut::Value(_) => "a fixed value".to_owned(),
        Cut::ScaleMidpoint => "the midpoint of the rating scale".to_owned(),
        Cut::Mean => format!(
            "the mean {what} of the {}",
            count(n, "district", "districts")
        ),
        Cut::Median => format!(
            "the median {what} of the {}",
            count(n, "district", "districts")
        ),
    };
    format!("{what} cut {value:.digits$}: {rule}")
}

/// What the missing-data policy does.
#[must_use]
pub fn missing(policy: MissingPolicy) -> String {
    match policy {
        MissingPolicy::Skip => {
            "unrated elements are skipped: means are taken over what is rated".into()
        }
        MissingPolicy::Strict => "every element must be rated (strict)".into(),
        MissingPolicy::MinCoverage(f) => format!(
            "a component scores only when at least {f} of its elements are rated; unrated elements are otherwise skipped"
        ),
    }
}

/// How the overall score is taken, and with which weights.
#[must_use]
pub fn aggregation(rubric: &Rubric, score: &ScoreOptions) -> String {
    match score.aggregation {
        Aggregation::Pooled => "overall score: the mean of all rated elements".into(),
        Aggregation::MeanOfMeans => {
            let weights = score.weights.clone().unwrap_or_else(|| rubric.weights());
            let equal = weights.windows(2).all(|w| w[0] == w[1]);
            if equal {
                "overall score: the mean of the component scores, equally weighted".into()
            } else {
                let parts: Vec<String> = rubric
                    .components()
                    .iter()
                    .zip(&weights)
                    .map(|(c, w)| format!("{} {w}", c.short_name()))
                    .collect();
                format!(
                    "overall score: the weighted mean of the component scores (weights {})",
                    parts.join(", ")
                )
            }
        }
    }
}

/// Axis and column labels of the analyses, in words.
#[derive(Debug, Clone, PartialEq)]
pub struct Labels {
    /// The overall score, with its rule.
    pub score: String,
    /// The spread, with its rule.
    pub spread: String,
    /// Recent progress, with its rule.
    pub recent_progress: String,
    /// The quadrant names, in [`Quadrant::ALL`] order.
    pub quadrants: Vec<String>,
    /// The quadrant colours, in the same order.
    pub quadrant_colors: Vec<String>,
    /// The word for a district that meets the advanced rule.
    pub advanced: String,
    /// The colour of an advanced district in figures (the top level's).
    pub advanced_color: String,
    /// The colour of everything not singled out (districts not advanced).
    pub neutral_color: String,
    /// The colour of a cell that is not rated.
    pub not_rated_color: String,
    /// The colour of a gain (the top level's).
    pub gain_color: String,
    /// The colour of a loss (the bottom level's).
    pub loss_color: String,
    /// The scale's levels: value, label as shown (`4 In progress`), colour.
    pub levels: Vec<(f64, String, String)>,
    /// The trajectory classes, in [`crate::Trajectory::ALL`] order.
    pub trajectories: Vec<String>,
    /// Their colours (rising: the top level's; declining: the bottom
    /// level's; stalled: neutral; too few snapshots: a mid grey).
    pub trajectory_colors: Vec<String>,
}

impl Labels {
    /// The labels as `(name, attribute)` pairs, for tables.
    #[must_use]
    pub fn to_attr(&self) -> crate::table::Attr {
        use crate::table::Attr;
        let text = |s: &String| Attr::Text(s.clone());
        Attr::Map(vec![
            ("score".into(), text(&self.score)),
            ("spread".into(), text(&self.spread)),
            ("recent_progress".into(), text(&self.recent_progress)),
            ("quadrants".into(), Attr::Texts(self.quadrants.clone())),
            (
                "quadrant_colors".into(),
                Attr::Texts(self.quadrant_colors.clone()),
            ),
            ("advanced".into(), text(&self.advanced)),
            ("advanced_color".into(), text(&self.advanced_color)),
            ("neutral_color".into(), text(&self.neutral_color)),
            ("not_rated_color".into(), text(&self.not_rated_color)),
            ("gain_color".into(), text(&self.gain_color)),
            ("loss_color".into(), text(&self.loss_color)),
            (
                "level_values".into(),
                Attr::Floats(
                    self.levels
                        .iter()
                        .map(|(v, label, _)| (label.clone(), *v))
                        .collect(),
                ),
            ),
            (
                "level_colors".into(),
                Attr::Texts(self.levels.iter().map(|(_, _, c)| c.clone()).collect()),
            ),
            (
                "trajectories".into(),
                Attr::Texts(self.trajectories.clone()),
            ),
            (
                "trajectory_colors".into(),
                Attr::Texts(self.trajectory_colors.clone()),
            ),
        ])
    }

    /// Labels for a rubric and the scoring options in force.
    #[must_use]
    pub fn new(rubric: &Rubric, score: &ScoreOptions) -> Self {
        let weights = score.weights.clone().unwrap_or_else(|| rubric.weights());
        let equal = weights.windows(2).all(|w| w[0] == w[1]);
        let levels = &rubric.scale().levels;
        let top = levels[levels.len() - 1].color.clone();
        let bottom = levels[0].color.clone();
        let neutral = "#4d4d4d".to_owned();
        let not_rated = "#d9d9d9".to_owned();
        Self {
            trajectories: crate::Trajectory::ALL
                .iter()
                .map(|t| t.name().to_owned())
                .collect(),
            trajectory_colors: crate::Trajectory::ALL
                .iter()
                .map(|t| match t {
                    crate::Trajectory::Rising => top.clone(),
                    crate::Trajectory::Declining => bottom.clone(),
                    crate::Trajectory::Stalled => neutral.clone(),
                    _ => "#9e9e9e".to_owned(),
                })
                .collect(),
            score: match score.aggregation {
                Aggregation::MeanOfMeans if equal => {
                    "overall score (mean of component means)".into()
                }
                Aggregation::MeanOfMeans => {
                    "overall score (weighted mean of component means)".into()
                }
                Aggregation::Pooled => "overall score (mean of all rated elements)".into(),
            },
            spread: crate::SpreadRule::OfBasis.label().into(),
            recent_progress: "recent progress (latest score minus the mean score over time)".into(),
            quadrants: Quadrant::ALL.iter().map(|q| q.label().to_owned()).collect(),
            quadrant_colors: Quadrant::ALL
                .iter()
                .map(|q| q.color(rubric.scale()))
                .collect(),
            advanced: "advanced".into(),
            advanced_color: rubric.scale().levels[rubric.scale().levels.len() - 1]
                .color
                .clone(),
            neutral_color: neutral,
            not_rated_color: not_rated,
            gain_color: rubric.scale().levels[rubric.scale().levels.len() - 1]
                .color
                .clone(),
            loss_color: rubric.scale().levels[0].color.clone(),
            levels: rubric
                .scale()
                .levels
                .iter()
                .map(|l| {
                    let shown = match &l.label {
                        Some(label) => format!("{} {label}", crate::error::num(l.value)),
                        None => crate::error::num(l.value),
                    };
                    (l.value, shown, l.color.clone())
                })
                .collect(),
        }
    }
}

/// Every option of a summary in force, as `(option, sentence)` pairs in a
/// fixed order: basis, missing, aggregation, advanced, `y_cut`, `x_cut`.
#[must_use]
pub fn summary_options(
    rubric: &Rubric,
    options: &SummaryOptions,
    summary: &DistrictSummaries,
) -> Vec<(&'static str, String)> {
    let n_scored = summary.score.iter().filter(|v| !v.is_nan()).count();
    let n_spread = summary.spread.iter().filter(|v| !v.is_nan()).count();
    vec![
        (
            "basis",
            format!("basis {}: {}", options.basis, basis(options.basis)),
        ),
        ("missing", missing(options.score.missing)),
        ("aggregation", aggregation(rubric, &options.score)),
        ("spread", options.spread.describe().to_owned()),
        (
            "advanced",
            format!(
                "advanced: {}",
                advanced_rule(
                    rubric,
                    &summary.advanced_rule,
                    options.advanced.more_than_share
                )
            ),
        ),
        (
            "y_cut",
            cut(options.y_cut, Axis::Score, summary.y_cut, n_scored),
        ),
        (
            "x_cut",
            cut(options.x_cut, Axis::Spread, summary.x_cut, n_spread),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::AdvancedRule;

    #[test]
    fn advanced_rule_in_the_rubric_words() {
        let r = Rubric::crpe_2016();
        let rule = AdvancedRule::default().resolve(r.scale(), 7).unwrap();
        assert_eq!(
            advanced_rule(&r, &rule, 0.5),
            "more than half of the 7 components (at least 4) banded 4 (\u{201c}In progress\u{201d}) or better"
        );
        // level 3 has no published label: the number alone
        let rule = AdvancedRule::at_level(3.0).resolve(r.scale(), 7).unwrap();
        assert!(advanced_rule(&r, &rule, 0.5).contains("banded 3 or better"));
        assert_eq!(count_is(1, "district", "districts"), "1 district is");
        assert_eq!(count_is(5, "district", "districts"), "5 districts are");
    }
}
