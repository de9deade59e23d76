//! Results as column tables: named, typed columns, index columns and
//! attributes. Every result that leaves the core for a data frame goes
//! through one of these builders, so column names, categories and the
//! attributes describing the options in force are defined once, here.

use ndarray::{Array1, Array2};

use crate::classify::Quadrant;
use crate::date::YearMonth;
use crate::describe;
use crate::panel::Panel;
use crate::rank::Ranking;
use crate::roster::Roster;
use crate::rubric::Rubric;
use crate::snapshots::PanelScores;
use crate::summary::{DistrictSummaries, SummaryOptions};
use crate::uncertainty::{Uncertainty, UncertaintyOptions};

/// One column of a [`Table`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Column {
    /// Floats (NaN = missing).
    Float(Array1<f64>),
    /// Booleans.
    Bool(Vec<bool>),
    /// Whole numbers.
    Int(Vec<i64>),
    /// Text.
    Text(Vec<String>),
    /// Text that may be missing.
    OptText(Vec<Option<String>>),
    /// Whole numbers that may be missing.
    OptInt(Vec<Option<i64>>),
    /// Ordered categories: codes into `categories`, -1 = missing.
    Category {
        /// The categories, in order.
        categories: Vec<String>,
        /// One code per row.
        codes: Vec<i64>,
    },
    /// Months (`None` = missing).
    Month(Vec<Option<YearMonth>>),
    /// Several float columns at once, named `names` (rows x names).
    Block {
        /// The column names.
        names: Vec<String>,
        /// The values.
        values: Array2<f64>,
    },
}

/// One attribute of a [`Table`]: what the options in force were.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Attr {
    /// No value.
    Null,
    /// Text.
    Text(String),
    /// A float.
    Float(f64),
    /// A whole number.
    Int(i64),
    /// A boolean.
    Bool(bool),
    /// A list of texts.
    Texts(Vec<String>),
    /// Named floats, in order.
    Floats(Vec<(String, f64)>),
    /// Named texts, in order.
    Pairs(Vec<(String, String)>),
    /// Named counts, in order.
    Counts(Vec<(String, i64)>),
    /// Named attributes, in order.
    Map(Vec<(String, Attr)>),
}

/// A result as named columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// What the table holds (`"district_summary"`).
    pub name: &'static str,
    /// The names of the columns that index the rows (may be empty).
    pub index: Vec<String>,
    /// The columns, in order (index columns included).
    pub columns: Vec<(String, Column)>,
    /// Attributes: the options in force and their descriptions.
    pub attrs: Vec<(String, Attr)>,
}

impl Table {
    fn new(name: &'static str, index: &[&str]) -> Self {
        Self {
            name,
            index: index.iter().map(|s| (*s).to_owned()).collect(),
            columns: Vec::new(),
            attrs: Vec::new(),
        }
    }
    fn col(mut self, name: &str, column: Column) -> Self {
        let column = match column {
            // a component named like another column ("score") keeps its data
            // under a name that says what it is
            Column::Block { names, values } => {
                let names = names
                    .into_iter()
                    .map(|n| {
                        if self.has_column(&n) || n == name {
                            format!("{n} (component)")
                        } else {
                            n
                        }
                    })
                    .collect();
                Column::Block { names, values }
            }
            other => {
                // ... also when the component's block came first
                for (_, c) in &mut self.columns {
                    if let Column::Block { names, .. } = c {
                        for n in names.iter_mut().filter(|n| n.as_str() == name) {
                            *n = format!("{n} (component)");
                        }
                    }
                }
                other
            }
        };
        self.columns.push((name.to_owned(), column));
        self
    }
    fn has_column(&self, n: &str) -> bool {
        self.columns.iter().any(|(c, col)| {
            c == n || matches!(col, Column::Block { names, .. } if names.iter().any(|b| b == n))
        })
    }
    fn attr(mut self, name: &str, value: Attr) -> Self {
        if let Some(slot) = self.attrs.iter_mut().find(|(n, _)| n == name) {
            slot.1 = value;
        } else {
            self.attrs.push((name.to_owned(), value));
        }
        self
    }
    /// Attributes every table of a panel carries: the rubric, and where the
    /// ratings come from.
    fn of_panel(self, panel: &Panel) -> Self {
        let p = panel.provenance();
        let labels = describe::Labels::new(panel.rubric(), &crate::ScoreOptions::default());
        self.attr("rubric", Attr::Text(panel.rubric().id().to_owned()))
            .attr("labels", labels.to_attr())
            .attr("synthetic", Attr::Bool(p.synthetic))
            .attr("label", p.label.clone().map_or(Attr::Null, Attr::Text))
            .attr(
                "columns_read",
                p.columns.clone().map_or(Attr::Null, Attr::Text),
            )
    }
    /// Number of rows.
    #[must_use]
    pub fn n_rows(&self) -> usize {
        self.columns.first().map_or(0, |(_, c)| match c {
            Column::Float(a) => a.len(),
            Column::Bool(v) => v.len(),
            Column::Int(v) => v.len(),
            Column::Text(v) => v.len(),
            Column::OptText(v) => v.len(),
            Column::OptInt(v) => v.len(),
            Column::Category { codes, .. } => codes.len(),
            Column::Month(v) => v.len(),
            Column::Block { values, .. } => values.nrows(),
        })
    }
}

#[allow(clippy::cast_possible_wrap)] // counts far below 2^63
fn ints(v: &[usize]) -> Vec<i64> {
    v.iter().map(|&x| x as i64).collect()
}

/// The code of `value` among `all` (its position; -1 when absent).
fn code_of<T: PartialEq>(all: &[T], value: &T) -> i64 {
    all.iter()
        .position(|x| x == value)
        .and_then(|i| i64::try_from(i).ok())
        .unwrap_or(-1)
}

fn quadrant_categories() -> Vec<String> {
    Quadrant::ALL.iter().map(|q| q.label().to_owned()).collect()
}

/// District summaries: one row per district, indexed by `district`.
#[must_use]
pub fn district_summary(panel: &Panel, options: &SummaryOptions, s: &DistrictSummaries) -> Table {
    let rubric = panel.rubric();
    let level = rubric.scale().levels[s.advanced_rule.level_index].value;
    let description = describe::summary_options(rubric, options, s)
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
    #[allow(clippy::cast_possible_wrap)] // 0..4
    let codes = s
        .quadrant
        .iter()
        .map(|q| q.map_or(-1, |q| q.index() as i64))
        .collect();
    Table::new("district_summary", &["district"])
        .col("district", Column::Text(s.districts.to_vec()))
        .col("score", Column::Float(s.score.clone()))
        .col("spread", Column::Float(s.spread.clone()))
        .col("recent_progress", Column::Float(s.recent_progress.clone()))
        .col("advanced", Column::Bool(s.advanced.clone()))
        .col(
            "quadrant",
            Column::Category {
                categories: quadrant_categories(),
                codes,
            },
        )
        .col("n_snapshots", Column::Int(ints(&s.n_snapshots)))
        .col(
            "first_date",
            Column::Month(s.first_date.iter().copied().map(Some).collect()),
        )
        .col(
            "last_date",
            Column::Month(s.last_date.iter().copied().map(Some).collect()),
        )
        .col("coverage", Column::Float(s.coverage.clone()))
        .col("cell_coverage", Column::Float(s.cell_coverage.clone()))
        .col("unscored_reason", Column::OptText(s.unscored.clone()))
        .col(
            "components",
            Column::Block {
                names: s.component_names.clone(),
                values: s.components.clone(),
            },
        )
        .of_panel(panel)
        .attr(
            "unscored_warning",
            describe::unscored(s).map_or(Attr::Null, Attr::Text),
        )
        .attr("labels", summary_labels(rubric, options))
        .attr("basis", Attr::Text(s.basis.name().to_owned()))
        .attr("spread_rule", Attr::Text(options.spread.name().to_owned()))
        .attr("y_cut", Attr::Float(s.y_cut))
        .attr("x_cut", Attr::Float(s.x_cut))
        .attr("y_cut_rule", Attr::Text(options.y_cut.name()))
        .attr("x_cut_rule", Attr::Text(options.x_cut.name()))
        .attr("missing", Attr::Text(options.score.missing.to_string()))
        .attr(
            "aggregation",
            Attr::Text(options.score.aggregation.name().to_owned()),
        )
        .attr("advanced_level", Attr::Float(level))
        .attr(
            "advanced_share",
            Attr::Float(options.advanced.more_than_share),
        )
        .attr(
            "advanced_min_components",
            #[allow(clippy::cast_possible_wrap)]
            Attr::Int(s.advanced_rule.min_components as i64),
        )
        .attr(
            "n_advanced",
            #[allow(clippy::cast_possible_wrap)]
            Attr::Int(s.n_advanced() as i64),
        )
        .attr(
            "advanced_sentence",
            Attr::Text(format!(
                "{} advanced: {}",
                describe::count_is(s.n_advanced(), "district", "districts"),
                describe::advanced_rule(rubric, &s.advanced_rule, options.advanced.more_than_share)
            )),
        )
        .attr(
            "quadrant_counts",
            Attr::Counts(
                Quadrant::ALL
                    .iter()
                    .zip(s.quadrant_counts())
                    .map(|(q, n)| {
                        #[allow(clippy::cast_possible_wrap)]
                        let n = n as i64;
                        (q.label().to_owned(), n)
                    })
                    .collect(),
            ),
        )
        .attr("description", Attr::Pairs(description))
}

/// Per-snapshot scores: one row per snapshot, indexed by `district`, `date`.
#[must_use]
pub fn snapshot_scores(panel: &Panel, options: &SummaryOptions, s: &PanelScores) -> Table {
    let names = panel
        .rubric()
        .components()
        .iter()
        .map(|c| c.short_name().to_owned())
        .collect();
    Table::new("snapshot_scores", &["district", "date"])
        .col(
            "district",
            Column::Text(
                panel
                    .row_districts()
                    .into_iter()
                    .map(str::to_owned)
                    .collect(),
            ),
        )
        .col(
            "date",
            Column::Month(panel.dates().iter().copied().map(Some).collect()),
        )
        .col(
            "components",
            Column::Block {
                names,
                values: s.scores.components.clone(),
            },
        )
        .col("overall", Column::Float(s.scores.overall.clone()))
        .col("spread", Column::Float(s.scores.spread.clone()))
        .col("coverage", Column::Float(s.scores.coverage.clone()))
        .col("advanced", Column::Bool(s.advanced.clone()))
        .of_panel(panel)
        .attr("missing", Attr::Text(options.score.missing.to_string()))
        .attr(
            "aggregation",
            Attr::Text(options.score.aggregation.name().to_owned()),
        )
}

/// The labels of a district summary: the spread's under the rule in force.
fn summary_labels(rubric: &Rubric, options: &SummaryOptions) -> Attr {
    let mut labels = describe::Labels::new(rubric, &options.score);
    options.spread.label().clone_into(&mut labels.spread);
    labels.to_attr()
}

/// Per-district slopes over time: indexed by `district`.
#[must_use]
pub fn trends(panel: &Panel, options: &crate::ScoreOptions, t: &crate::Trends) -> Table {
    Table::new("trends", &["district"])
        .col("district", Column::Text(t.districts.clone()))
        .col("n_snapshots", Column::Int(ints(&t.n_snapshots)))
        .col(
            "first_date",
            Column::Month(t.first_date.iter().copied().map(Some).collect()),
        )
        .col(
            "last_date",
            Column::Month(t.last_date.iter().copied().map(Some).collect()),
        )
        .col("overall_slope", Column::Float(t.overall_slope.clone()))
        .col(
            "component_slopes",
            Column::Block {
                names: t.component_names.clone(),
                values: t.component_slopes.clone(),
            },
        )
        .col("n_scored", Column::Int(ints(&t.n_scored)))
        .col(
            "trajectory",
            Column::Category {
                categories: crate::Trajectory::ALL
                    .iter()
                    .map(|c| c.name().to_owned())
                    .collect(),
                codes: t
                    .trajectory
                    .iter()
                    .map(|c| code_of(&crate::Trajectory::ALL, c))
                    .collect(),
            },
        )
        .col("reason", Column::OptText(t.reason.clone()))
        .of_panel(panel)
        .attr("unit", Attr::Text("score points per year".to_owned()))
        .attr("min_snapshots", Attr::Int(ints(&[t.rule.min_snapshots])[0]))
        .attr("stall_band", Attr::Float(t.rule.stall_band))
        .attr("missing", Attr::Text(options.missing.to_string()))
        .attr(
            "aggregation",
            Attr::Text(options.aggregation.name().to_owned()),
        )
}

/// The change between two dates: indexed by `district`, `kind` and
/// `item_id`.
#[must_use]
pub fn comparison(panel: &Panel, options: &crate::ScoreOptions, c: &crate::Comparison) -> Table {
    Table::new("comparison", &["district", "kind", "item_id"])
        .col("district", Column::Text(c.district.clone()))
        .col(
            "kind",
            Column::Category {
                categories: crate::ItemKind::ALL
                    .iter()
                    .map(|l| l.name().to_owned())
                    .collect(),
                codes: c
                    .kind
                    .iter()
                    .map(|l| code_of(&crate::ItemKind::ALL, l))
                    .collect(),
            },
        )
        .col("item_id", Column::Text(c.item_id.clone()))
        .col("item", Column::Text(c.item.clone()))
        .col("component", Column::OptText(c.component.clone()))
        .col("start_date", Column::Month(c.start_date.clone()))
        .col("end_date", Column::Month(c.end_date.clone()))
        .col("start_value", Column::Float(c.start_value.clone().into()))
        .col("end_value", Column::Float(c.end_value.clone().into()))
        .col("change", Column::Float(c.change.clone().into()))
        .col("reason", Column::OptText(c.reason.clone()))
        .of_panel(panel)
        .attr("start", Attr::Text(c.start.to_string()))
        .attr("end", Attr::Text(c.end.to_string()))
        .attr("missing", Attr::Text(options.missing.to_string()))
        .attr(
            "aggregation",
            Attr::Text(options.aggregation.name().to_owned()),
        )
}

/// One district against the network: indexed by `element_id`.
#[must_use]
pub fn profile(panel: &Panel, p: &crate::Profile) -> Table {
    Table::new("profile", &["element_id"])
        .col("element_id", Column::Text(p.element_ids.clone()))
        .col("element", Column::Text(p.elements.clone()))
        .col("component", Column::Text(p.components.clone()))
        .col("value", Column::Float(p.value.clone().into()))
        .col("network_q1", Column::Float(p.q1.clone().into()))
        .col("network_median", Column::Float(p.median.clone().into()))
        .col("network_q3", Column::Float(p.q3.clone().into()))
        .col("n_districts", Column::Int(ints(&p.n_districts)))
        .col("gap", Column::Float(p.gap.clone().into()))
        .col(
            "shortfall_rank",
            Column::OptInt(
                p.shortfall_rank
                    .iter()
                    .map(|r| r.and_then(|r| i64::try_from(r).ok()))
                    .collect(),
            ),
        )
        .col("weakest", Column::Bool(p.weakest.clone()))
        .of_panel(panel)
        .attr("district", Attr::Text(p.district.clone()))
        .attr("basis", Attr::Text(p.basis.name().to_owned()))
        .attr(
            "n_weakest",
            Attr::Int(ints(&[p.weakest.iter().filter(|&&w| w).count()])[0]),
        )
}

/// A path into or out of "advanced": one row per element moved, indexed
/// by `element_id`; the components and the totals in the attributes.
#[must_use]
pub fn advanced_path(panel: &Panel, path: &crate::AdvancedPath) -> Table {
    let rubric = panel.rubric();
    let ids = rubric.element_ids();
    let comps = rubric.components();
    let text_of = |j: usize| {
        comps
            .iter()
            .find_map(|c| {
                c.columns()
                    .position(|x| x == j)
                    .map(|i| c.elements()[i].text.clone())
            })
            .unwrap_or_default()
    };
    let m = &path.moves;
    let per_component: Vec<(String, Attr)> = comps
        .iter()
        .zip(&path.components)
        .map(|(c, s)| {
            (
                c.short_name().to_owned(),
                Attr::Map(vec![
                    ("score".into(), Attr::Float(s.score)),
                    ("band".into(), Attr::Float(s.band)),
                    ("at_level".into(), Attr::Bool(s.at_level)),
                    (
                        "steps".into(),
                        s.steps
                            .and_then(|v| i64::try_from(v).ok())
                            .map_or(Attr::Null, Attr::Int),
                    ),
                    ("on_path".into(), Attr::Bool(s.on_path)),
                ]),
            )
        })
        .collect();
    Table::new("path_to_advanced", &["element_id"])
        .col(
            "element_id",
            Column::Text(m.iter().map(|x| ids[x.element].clone()).collect()),
        )
        .col(
            "element",
            Column::Text(m.iter().map(|x| text_of(x.element)).collect()),
        )
        .col(
            "component",
            Column::Text(
                m.iter()
                    .map(|x| comps[x.component].short_name().to_owned())
                    .collect(),
            ),
        )
        .col(
            "from_rating",
            Column::Float(m.iter().map(|x| x.from).collect()),
        )
        .col("to_rating", Column::Float(m.iter().map(|x| x.to).collect()))
        .col(
            "steps",
            Column::Int(ints(&m.iter().map(|x| x.steps).collect::<Vec<_>>())),
        )
        .of_panel(panel)
        .attr("district", Attr::Text(path.district.clone()))
        .attr("basis", Attr::Text(path.basis.name().to_owned()))
        .attr("advanced", Attr::Bool(path.advanced))
        .attr("direction", Attr::Text(path.direction.name().to_owned()))
        .attr(
            "total_steps",
            path.steps
                .and_then(|v| i64::try_from(v).ok())
                .map_or(Attr::Null, Attr::Int),
        )
        .attr("level", Attr::Float(path.level))
        .attr("min_components", Attr::Int(ints(&[path.min_components])[0]))
        .attr("components", Attr::Map(per_component))
        .attr("reason", path.reason.clone().map_or(Attr::Null, Attr::Text))
        .attr("summary", Attr::Text(describe::advanced_path(rubric, path)))
}

/// Cronbach's alpha per component: indexed by `component_id`.
#[must_use]
pub fn reliability(panel: &Panel, r: &crate::Reliability) -> Table {
    Table::new("cronbach_alpha", &["component_id"])
        .col("component_id", Column::Text(r.component_ids.clone()))
        .col("component", Column::Text(r.components.clone()))
        .col("alpha", Column::Float(r.alpha.clone().into()))
        .col("n_elements", Column::Int(ints(&r.n_elements)))
        .col("n_districts", Column::Int(ints(&r.n_districts)))
        .col("reason", Column::OptText(r.reason.clone()))
        .of_panel(panel)
        .attr("basis", Attr::Text(r.basis.name().to_owned()))
        .attr("missing", Attr::Text(crate::ALPHA_MISSING_RULE.to_owned()))
}

/// The effect of leaving out each element and component: indexed by
/// `kind`, `item_id` and `district`.
#[must_use]
pub fn leave_one_out(panel: &Panel, l: &crate::LeaveOneOut) -> Table {
    let quadrants = |q: &[Option<Quadrant>]| Column::Category {
        categories: quadrant_categories(),
        codes: q
            .iter()
            .map(|q| q.map_or(-1, |q| code_of(&Quadrant::ALL, &q)))
            .collect(),
    };
    let change: Vec<f64> = l
        .rank_without
        .iter()
        .zip(&l.rank)
        .map(|(a, b)| a - b)
        .collect();
    let changed: Vec<bool> = (0..l.rank.len())
        .map(|i| l.quadrant[i] != l.quadrant_without[i] || l.advanced[i] != l.advanced_without[i])
        .collect();
    Table::new("leave_one_out", &["kind", "item_id", "district"])
        .col(
            "kind",
            Column::Category {
                categories: crate::ItemKind::ALL
                    .iter()
                    .map(|k| k.name().to_owned())
                    .collect(),
                codes: l
                    .kind
                    .iter()
                    .map(|k| code_of(&crate::ItemKind::ALL, k))
                    .collect(),
            },
        )
        .col("item_id", Column::Text(l.item_id.clone()))
        .col("district", Column::Text(l.district.clone()))
        .col("item", Column::Text(l.item.clone()))
        .col("rank", Column::Float(l.rank.clone().into()))
        .col("rank_without", Column::Float(l.rank_without.clone().into()))
        .col("rank_change", Column::Float(change.into()))
        .col("quadrant", quadrants(&l.quadrant))
        .col("quadrant_without", quadrants(&l.quadrant_without))
        .col("advanced", Column::Bool(l.advanced.clone()))
        .col("advanced_without", Column::Bool(l.advanced_without.clone()))
        .col("class_changed", Column::Bool(changed))
        .of_panel(panel)
}

/// Several raters' agreement: indexed by `scope` and `id`.
#[must_use]
pub fn agreement(raters: &crate::Raters, a: &crate::Agreement) -> Table {
    Table::new("rater_agreement", &["scope", "id"])
        .col(
            "scope",
            Column::Text(a.scope.iter().map(|s| (*s).to_owned()).collect()),
        )
        .col("id", Column::Text(a.id.clone()))
        .col("name", Column::Text(a.name.clone()))
        .col("alpha", Column::Float(a.alpha.clone().into()))
        .col("low", Column::Float(a.low.clone().into()))
        .col("high", Column::Float(a.high.clone().into()))
        .col("n_units", Column::Int(ints(&a.n_units)))
        .col("n_values", Column::Int(ints(&a.n_values)))
        .col("reason", Column::OptText(a.reason.clone()))
        .attr("metric", Attr::Text("Krippendorff's alpha, ordinal metric".into()))
        .attr(
            "interval",
            Attr::Text(format!(
                "percentiles 2.5 and 97.5 over {} bootstrap resamples of the rated-by-two-or-more cells",
                a.draws
            )),
        )
        .attr("draws", Attr::Int(ints(&[a.draws])[0]))
        .attr("seed", Attr::Text(a.seed.to_string()))
        .attr("raters", Attr::Texts(raters.names().to_vec()))
        .attr("synthetic", Attr::Bool(raters.synthetic()))
}

/// A crosswalk between two rubric versions, one row per mapping or
/// unmapped element.
#[must_use]
pub fn crosswalk(cw: &crate::Crosswalk) -> Table {
    let relations: Vec<i64> = cw
        .rows
        .iter()
        .map(|r| code_of(&crate::Relation::ALL, &r.relation))
        .collect();
    Table::new("crosswalk", &[])
        .col(
            "from_element",
            Column::OptText(cw.rows.iter().map(|r| r.from.clone()).collect()),
        )
        .col(
            "to_element",
            Column::OptText(cw.rows.iter().map(|r| r.to.clone()).collect()),
        )
        .col(
            "relation",
            Column::Category {
                categories: crate::Relation::ALL
                    .iter()
                    .map(|r| r.name().to_owned())
                    .collect(),
                codes: relations,
            },
        )
        .col(
            "reason",
            Column::Text(cw.rows.iter().map(|r| r.reason.clone()).collect()),
        )
        .attr("from_rubric", Attr::Text(cw.from_rubric.clone()))
        .attr("to_rubric", Attr::Text(cw.to_rubric.clone()))
}

/// A ranking of components: indexed by `rank`.
#[must_use]
pub fn component_ranking(panel: &Panel, r: &Ranking) -> Table {
    Table::new("component_ranking", &["rank"])
        .col(
            "rank",
            Column::Int(ints(
                &r.entries.iter().map(|e| e.position).collect::<Vec<_>>(),
            )),
        )
        .col(
            "component_id",
            Column::Text(r.entries.iter().map(|e| e.id.clone()).collect()),
        )
        .col(
            "component",
            Column::Text(r.entries.iter().map(|e| e.name.clone()).collect()),
        )
        .col(
            "mean_score",
            Column::Float(r.entries.iter().map(|e| e.mean_score).collect()),
        )
        .col(
            "n_districts",
            Column::Int(ints(
                &r.entries.iter().map(|e| e.n_districts).collect::<Vec<_>>(),
            )),
        )
        .of_panel(panel)
        .attr("basis", Attr::Text(r.basis.name().to_owned()))
}

/// A ranking of elements (or the lowest of them): indexed by `rank`.
#[must_use]
pub fn element_ranking(panel: &Panel, r: &Ranking, lowest: Option<usize>) -> Table {
    let entries: Vec<&crate::rank::RankEntry> = match lowest {
        Some(n) => r.lowest(n),
        None => r.entries.iter().collect(),
    };
    Table::new(
        if lowest.is_some() {
            "sticking_points"
        } else {
            "element_ranking"
        },
        &["rank"],
    )
    .col(
        "rank",
        Column::Int(ints(
            &entries.iter().map(|e| e.position).collect::<Vec<_>>(),
        )),
    )
    .col(
        "element_id",
        Column::Text(entries.iter().map(|e| e.id.clone()).collect()),
    )
    .col(
        "element",
        Column::Text(entries.iter().map(|e| e.name.clone()).collect()),
    )
    .col(
        "component",
        Column::Text(entries.iter().map(|e| e.component.clone()).collect()),
    )
    .col(
        "mean_score",
        Column::Float(entries.iter().map(|e| e.mean_score).collect()),
    )
    .col(
        "n_districts",
        Column::Int(ints(
            &entries.iter().map(|e| e.n_districts).collect::<Vec<_>>(),
        )),
    )
    .of_panel(panel)
    .attr("basis", Attr::Text(r.basis.name().to_owned()))
}

/// The column of the probability of a quadrant: `p_strong_and_consistent`.
#[must_use]
pub fn quadrant_probability_column(q: Quadrant) -> String {
    format!("p_{}", q.label().replace(' ', "_"))
}

/// The simulation's summary: one row per district, indexed by `district`.
#[must_use]
pub fn uncertainty(panel: &Panel, options: &UncertaintyOptions, u: &Uncertainty) -> Table {
    let mut t = Table::new("uncertainty", &["district"])
        .col("district", Column::Text(u.districts.clone()))
        .col("score_mean", Column::Float(u.score_mean.clone()))
        .col("score_p5", Column::Float(u.score_p5.clone()))
        .col("score_p50", Column::Float(u.score_p50.clone()))
        .col("score_p95", Column::Float(u.score_p95.clone()))
        .col("p_advanced", Column::Float(u.p_advanced.clone()));
    for q in Quadrant::ALL {
        t = t.col(
            &quadrant_probability_column(q),
            Column::Float(u.p_quadrant.column(q.index()).to_owned()),
        );
    }
    let on = |b: bool| Attr::Bool(b);
    t.col("rank_median", Column::Float(u.rank_median.clone()))
        .col("rank_p5", Column::Float(u.rank_p5.clone()))
        .col("rank_p95", Column::Float(u.rank_p95.clone()))
        .of_panel(panel)
        .attr(
            "draws",
            #[allow(clippy::cast_possible_wrap)]
            Attr::Int(u.draws as i64),
        )
        .attr("seed", Attr::Text(options.seed.to_string()))
        .attr("basis", Attr::Text(options.summary.basis.name().to_owned()))
        .attr("rating_noise", Attr::Float(options.rating_noise))
        .attr("bootstrap_elements", on(options.bootstrap_elements))
        .attr(
            "weight_alpha",
            options.weight_alpha.map_or(Attr::Null, Attr::Float),
        )
        .attr(
            "y_cut_range",
            options.y_cut_range.map_or(Attr::Null, |(a, b)| {
                Attr::Floats(vec![("low".into(), a), ("high".into(), b)])
            }),
        )
        .attr(
            "x_cut_range",
            options.x_cut_range.map_or(Attr::Null, |(a, b)| {
                Attr::Floats(vec![("low".into(), a), ("high".into(), b)])
            }),
        )
        .attr(
            "aggregation",
            options.aggregation.map_or(Attr::Null, |(m, p)| {
                Attr::Floats(vec![("mean_of_means".into(), m), ("pooled".into(), p)])
            }),
        )
        .attr(
            "p_sticking_point",
            Attr::Floats(
                u.component_names
                    .iter()
                    .cloned()
                    .zip(u.p_sticking.iter().copied())
                    .collect(),
            ),
        )
        .attr("sources", Attr::Text(sources_in_force(options)))
}

/// The simulation's sources that are on, in words ("2000 draws; rating
/// noise 0.1, element bootstrap").
#[must_use]
pub fn sources_in_force(o: &UncertaintyOptions) -> String {
    let on = source_phrases(o);
    let draws = describe::count(o.draws, "draw", "draws");
    if on.is_empty() {
        format!("{draws}; no source of uncertainty switched on")
    } else {
        format!("{draws}; {}", on.join(", "))
    }
}

/// Each source that is on, in words.
fn source_phrases(o: &UncertaintyOptions) -> Vec<String> {
    let mut on = Vec::new();
    if o.rating_noise > 0.0 {
        on.push(format!(
            "rating noise {} (a rating moves one level with this probability)",
            crate::error::num(o.rating_noise)
        ));
    }
    if o.bootstrap_elements {
        on.push("element bootstrap within components".to_owned());
    }
    if let Some(a) = o.weight_alpha {
        on.push(format!(
            "Dirichlet component weights (alpha {})",
            crate::error::num(a)
        ));
    }
    if let Some((lo, hi)) = o.y_cut_range {
        on.push(format!(
            "score cut drawn from {} to {}",
            crate::error::num(lo),
            crate::error::num(hi)
        ));
    }
    if let Some((lo, hi)) = o.x_cut_range {
        on.push(format!(
            "spread cut drawn from {} to {}",
            crate::error::num(lo),
            crate::error::num(hi)
        ));
    }
    if let Some((m, p)) = o.aggregation {
        on.push(format!(
            "aggregation drawn (mean of means {}, pooled {})",
            crate::error::num(m),
            crate::error::num(p)
        ));
    }
    on
}

/// A rubric's elements: one row per element (no index): `component_id`,
/// `component`, `short_name`, `element_id`, `element` and the element's
/// effective `weight` in the overall score.
#[must_use]
pub fn rubric_elements(r: &Rubric) -> Table {
    let mut cid = Vec::new();
    let mut cname = Vec::new();
    let mut short = Vec::new();
    let mut eid = Vec::new();
    let mut etext = Vec::new();
    for c in r.components() {
        for e in c.elements() {
            cid.push(c.id().to_owned());
            cname.push(c.name().to_owned());
            short.push(c.short_name().to_owned());
            eid.push(e.id.clone());
            etext.push(e.text.clone());
        }
    }
    Table::new("rubric_elements", &[])
        .col("component_id", Column::Text(cid))
        .col("component", Column::Text(cname))
        .col("short_name", Column::Text(short))
        .col("element_id", Column::Text(eid))
        .col("element", Column::Text(etext))
        .col(
            "weight",
            Column::Float(r.effective_element_weights().into_iter().collect()),
        )
        .attr("rubric", Attr::Text(r.id().to_owned()))
}

/// A rubric's components: one row per component (no index).
#[must_use]
pub fn rubric_components(r: &Rubric) -> Table {
    let cs = r.components();
    Table::new("rubric_components", &[])
        .col(
            "component_id",
            Column::Text(cs.iter().map(|c| c.id().to_owned()).collect()),
        )
        .col(
            "component",
            Column::Text(cs.iter().map(|c| c.name().to_owned()).collect()),
        )
        .col(
            "short_name",
            Column::Text(cs.iter().map(|c| c.short_name().to_owned()).collect()),
        )
        .col(
            "weight",
            Column::Float(cs.iter().map(crate::rubric::Component::weight).collect()),
        )
        .col(
            "n_elements",
            #[allow(clippy::cast_possible_wrap)]
            Column::Int(cs.iter().map(|c| c.elements().len() as i64).collect()),
        )
        .attr("rubric", Attr::Text(r.id().to_owned()))
}

/// A rubric's scale: one row per level (no index): `value`, `label` (None
/// where unpublished), `color`, `color_name`.
#[must_use]
pub fn rubric_scale(r: &Rubric) -> Table {
    let ls = &r.scale().levels;
    Table::new("rubric_scale", &[])
        .col("value", Column::Float(ls.iter().map(|l| l.value).collect()))
        .col(
            "label",
            Column::OptText(ls.iter().map(|l| l.label.clone()).collect()),
        )
        .col(
            "color",
            Column::Text(ls.iter().map(|l| l.color.clone()).collect()),
        )
        .col(
            "color_name",
            Column::OptText(ls.iter().map(|l| l.color_name.clone()).collect()),
        )
        .attr("rubric", Attr::Text(r.id().to_owned()))
}

/// The report's findings checked on a panel: one row per finding, indexed
/// by `id`.
#[must_use]
pub fn findings(panel: &Panel, results: &[crate::findings::FindingResult]) -> Table {
    let n_holds = results.iter().filter(|r| r.holds).count();
    Table::new("report_findings", &["id"])
        .col(
            "id",
            Column::Text(results.iter().map(|r| r.finding.id.to_owned()).collect()),
        )
        .col(
            "finding",
            Column::Text(
                results
                    .iter()
                    .map(|r| r.finding.statement.to_owned())
                    .collect(),
            ),
        )
        .col(
            "source",
            Column::Text(
                results
                    .iter()
                    .map(|r| r.finding.source.to_owned())
                    .collect(),
            ),
        )
        .col(
            "holds",
            Column::Bool(results.iter().map(|r| r.holds).collect()),
        )
        .col(
            "detail",
            Column::Text(results.iter().map(|r| r.detail.clone()).collect()),
        )
        .of_panel(panel)
        .attr(
            "summary",
            Attr::Text(format!(
                "{} of the {} published findings checked hold on this panel",
                n_holds,
                results.len()
            )),
        )
}

/// A roster: one row per district (no index).
#[must_use]
pub fn roster(r: &Roster) -> Table {
    let [d, m, n] = crate::roster::ROSTER_COLUMNS;
    Table::new("roster", &[])
        .col(
            d,
            Column::Text(r.entries.iter().map(|e| e.district.clone()).collect()),
        )
        .col(
            m,
            Column::Month(r.entries.iter().map(|e| e.most_recent_snapshot).collect()),
        )
        .col(
            n,
            Column::Int(r.entries.iter().map(|e| i64::from(e.n_snapshots)).collect()),
        )
}

/// What a table of a mixed-version panel says about its versions.
fn mixed_note(m: &crate::MixedPanel) -> Attr {
    Attr::Text(format!(
        "snapshots rated under {}: overall and component scores on each snapshot's own rubric, elements on {}'s through the crosswalk",
        m.parts()
            .iter()
            .map(|p| p.rubric().id())
            .collect::<Vec<_>>()
            .join(" and "),
        m.target().id()
    ))
}

/// Per-snapshot scores of a mixed-version panel: as [`snapshot_scores`],
/// each snapshot scored on its own rubric, which the `rubric` column names.
#[must_use]
pub fn mixed_snapshot_scores(
    m: &crate::MixedPanel,
    options: &SummaryOptions,
    s: &PanelScores,
) -> Table {
    let versions = m.versions().into_iter().map(str::to_owned).collect();
    snapshot_scores(m.translated(), options, s)
        .col("rubric", Column::Text(versions))
        .attr("versions", mixed_note(m))
}

/// Trends of a mixed-version panel: as [`trends`], with the versions each
/// district's snapshots used (`rubrics`).
#[must_use]
pub fn mixed_trends(
    m: &crate::MixedPanel,
    options: &crate::ScoreOptions,
    t: &crate::Trends,
) -> Table {
    trends(m.translated(), options, t)
        .col("rubrics", Column::Text(m.district_versions()))
        .attr("versions", mixed_note(m))
}

/// A comparison on a mixed-version panel: as [`comparison`], with the
/// rubric of the start and end snapshots.
#[must_use]
pub fn mixed_comparison(
    m: &crate::MixedPanel,
    options: &crate::ScoreOptions,
    c: &crate::Comparison,
) -> Table {
    let versions = m.versions();
    let of = |rows: &[Option<usize>]| {
        Column::OptText(
            rows.iter()
                .map(|r| r.map(|r| versions[r].to_owned()))
                .collect(),
        )
    };
    comparison(m.translated(), options, c)
        .col("start_rubric", of(&c.start_row))
        .col("end_rubric", of(&c.end_row))
        .attr("versions", mixed_note(m))
}

/// Sobol indices: one row per output, district (none for the network-level
/// outputs) and source; indexed by `output`, `district`, `source`.
#[must_use]
pub fn sensitivity(panel: &Panel, s: &crate::Sensitivity) -> Table {
    let mut outputs: Vec<String> = vec!["score".to_owned(), "rank".to_owned()];
    outputs.extend(s.network.iter().map(|(o, _)| o.name()));
    let sources: Vec<String> = s.sources.iter().map(|x| x.name().to_owned()).collect();
    let mut rows: Vec<(usize, Option<String>, &crate::SobolIndices)> = Vec::new();
    for (o, set) in [&s.score, &s.rank].into_iter().enumerate() {
        for (d, idx) in set.iter().enumerate() {
            rows.push((o, Some(s.districts[d].clone()), idx));
        }
    }
    for (i, (_, idx)) in s.network.iter().enumerate() {
        rows.push((2 + i, None, idx));
    }
    let k = s.sources.len();
    let n = rows.len() * k;
    let (mut output, mut district, mut source) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    let mut cols: [Vec<f64>; 6] = std::array::from_fn(|_| Vec::with_capacity(n));
    for (o, d, idx) in &rows {
        for i in 0..k {
            #[allow(clippy::cast_possible_wrap)] // a handful of outputs and sources
            {
                output.push(*o as i64);
                source.push(i as i64);
            }
            district.push(d.clone());
            for (c, v) in cols.iter_mut().zip([
                idx.first[i],
                idx.first_interval[i].0,
                idx.first_interval[i].1,
                idx.total[i],
                idx.total_interval[i].0,
                idx.total_interval[i].1,
            ]) {
                c.push(v);
            }
        }
    }
    let [first, first_low, first_high, total, total_low, total_high] = cols;
    let o = &s.options;
    #[allow(clippy::cast_possible_wrap)] // sizes of a design
    let int = |v: usize| Attr::Int(v as i64);
    Table::new("sensitivity", &["output", "district", "source"])
        .col(
            "output",
            Column::Category {
                categories: outputs,
                codes: output,
            },
        )
        .col("district", Column::OptText(district))
        .col(
            "source",
            Column::Category {
                categories: sources.clone(),
                codes: source,
            },
        )
        .col("first", Column::Float(first.into()))
        .col("first_low", Column::Float(first_low.into()))
        .col("first_high", Column::Float(first_high.into()))
        .col("total", Column::Float(total.into()))
        .col("total_low", Column::Float(total_low.into()))
        .col("total_high", Column::Float(total_high.into()))
        .of_panel(panel)
        .attr("headline", Attr::Text(s.headline()))
        .attr("sources", Attr::Texts(sources))
        .attr(
            "source_labels",
            Attr::Pairs(
                s.sources
                    .iter()
                    .map(|x| (x.name().to_owned(), x.label().to_owned()))
                    .collect(),
            ),
        )
        .attr(
            "sources_in_force",
            Attr::Text(source_phrases(&o.uncertainty).join(", ")),
        )
        .attr(
            "estimator",
            Attr::Text(
                "Sobol indices by Jansen's estimators (first order and total) from a Saltelli design; intervals: bootstrap percentiles of the base rows".to_owned(),
            ),
        )
        .attr("base_rows", int(s.base_rows))
        .attr("runs", int(s.runs))
        .attr("resamples", int(o.resamples))
        .attr("level", Attr::Float(o.level))
        .attr("seed", Attr::Text(o.seed.to_string()))
}
