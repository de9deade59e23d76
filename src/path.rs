//! A district's shortest path to "advanced", or, for a district already
//! advanced, the shortest fall out of it.
//!
//! A move raises (or lowers) one element rating of the district's latest
//! snapshot by one level of the scale (2 -> 3; 2.5 -> 3), never above the
//! top (below the bottom). On the recent basis a move changes the element's
//! value by the step; on the average basis by the step over the number of
//! snapshots rating the element. Unrated elements stay unrated: a path
//! changes ratings, not coverage.
//!
//! ```text
//! per component c : s_c = the fewest moves within c that bring its band to
//!                   the rule's level (raise) or below it (lower): for each
//!                   count s, the largest change s moves can make (a max-plus
//!                   knapsack over the elements), then the first s whose
//!                   exact component score bands across
//! path            : the `need` components with the smallest s_c (ties in
//!                   rubric order), need = min_components - reached (raise)
//!                   or reached - min_components + 1 (lower)
//! ```
//!
//! Every band is decided in exact rational arithmetic, so a path is the
//! fewest moves, not an estimate.

use std::fmt;
use std::ops::Range;

use crate::basis::Basis;
use crate::error::Result;
use crate::exact::{self, Exact};
use crate::panel::Panel;
use crate::summary::{Plan, SummaryOptions};

/// The basis `path_to_advanced` works on when not told: the latest
/// snapshot, which is what a move changes.
pub const PATH_DEFAULT_BASIS: Basis = Basis::Recent;

/// Which way a path goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Direction {
    /// Raise ratings until the district is advanced.
    Raise,
    /// Lower ratings until the district is no longer advanced.
    Lower,
}

impl Direction {
    /// `"raise"` or `"lower"`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Raise => "raise",
            Self::Lower => "lower",
        }
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One element's moves on a path.
#[derive(Debug, Clone, PartialEq)]
pub struct Move {
    /// The element's column.
    pub element: usize,
    /// Its component's position.
    pub component: usize,
    /// The latest rating.
    pub from: f64,
    /// The rating after the moves.
    pub to: f64,
    /// How many one-level moves.
    pub steps: usize,
}

/// One component on a path.
#[derive(Debug, Clone, PartialEq)]
pub struct ComponentStep {
    /// Its score on the basis now (NaN: no score).
    pub score: f64,
    /// Its band now (level value; NaN: no score).
    pub band: f64,
    /// Whether it bands at the rule's level now.
    pub at_level: bool,
    /// The fewest moves that change `at_level` (`None`: no moves can).
    pub steps: Option<usize>,
    /// Whether the path moves it.
    pub on_path: bool,
}

/// The shortest path into (or out of) "advanced".
#[derive(Debug, Clone, PartialEq)]
pub struct AdvancedPath {
    /// The district.
    pub district: String,
    /// The basis the rule is judged on.
    pub basis: Basis,
    /// Whether the district is advanced now.
    pub advanced: bool,
    /// Raise (not advanced now) or lower (advanced now).
    pub direction: Direction,
    /// The level value a component must band at.
    pub level: f64,
    /// How many components must band there.
    pub min_components: usize,
    /// The fewest moves (`None`: no such moves reach the other side; see
    /// `reason`).
    pub steps: Option<usize>,
    /// The moves of the path, component by component (empty when none is
    /// reachable).
    pub moves: Vec<Move>,
    /// Each component, in rubric order.
    pub components: Vec<ComponentStep>,
    /// Why no path exists.
    pub reason: Option<String>,
}

/// A component's element values (exact) and their allowed moves.
struct Slot {
    /// Column.
    element: usize,
    /// The latest rating.
    from: f64,
    /// Ratings reachable in 1, 2, ... moves.
    next: Vec<f64>,
    /// The value's change after 1, 2, ... moves (exact, signed).
    change: Vec<Exact>,
}

impl Panel {
    /// The fewest one-level moves of the latest snapshot's ratings that make
    /// district `district` advanced under `options.advanced` on
    /// `options.basis`, or, if it is advanced, that make it no longer so.
    ///
    /// # Errors
    /// [`crate::Error::InvalidDistrict`] when the panel has no such
    /// district; as [`Panel::summarize`] for bad options.
    ///
    /// # Examples
    /// ```
    /// use portfolio_snapshot::{datasets, Basis, SummaryOptions};
    /// let panel = datasets::demo_panel()?; // synthetic data
    /// let opts = SummaryOptions::default().with_basis(Basis::Recent);
    /// let path = panel.path_to_advanced("Tulsa", &opts)?;
    /// assert!(!path.advanced && path.steps.is_some());
    /// # Ok::<(), portfolio_snapshot::Error>(())
    /// ```
    pub fn path_to_advanced(
        &self,
        district: &str,
        options: &SummaryOptions,
    ) -> Result<AdvancedPath> {
        let d = self.require_district(district)?;
        let plan = Plan::new(self, options)?;
        let rubric = self.rubric();
        let rows = options.basis.rows(self.district_rows(d));
        let (values, counts) = crate::basis::exact_values_counted(self, &plan.bands, rows.clone());
        let now = plan.rules.components(&values);
        let rule = plan.advanced;
        let at_level: Vec<bool> = now
            .iter()
            .map(|c| {
                c.as_ref()
                    .is_some_and(|x| plan.bands.band_of_exact(x) >= rule.level_index)
            })
            .collect();
        let reached = at_level.iter().filter(|&&a| a).count();
        let advanced = reached >= rule.min_components;
        let direction = if advanced {
            Direction::Lower
        } else {
            Direction::Raise
        };
        let mut components = Vec::with_capacity(now.len());
        let mut plans: Vec<(Vec<Slot>, Option<Vec<usize>>)> = Vec::with_capacity(now.len());
        let mut why_not = Vec::new();
        for (c, comp) in rubric.components().iter().enumerate() {
            let slots = slots(
                self,
                &plan,
                comp.columns(),
                rows.end - 1,
                &counts,
                direction,
            );
            let crosses = |alloc: &[usize]| {
                let mut v = values.clone();
                for (s, &t) in slots.iter().zip(alloc) {
                    if t > 0 {
                        let x = v[s.element].take().unwrap_or_default();
                        v[s.element] = Some(x + &s.change[t - 1]);
                    }
                }
                plan.rules.components(&v)[c]
                    .as_ref()
                    .is_some_and(|x| plan.bands.band_of_exact(x) >= rule.level_index)
                    != at_level[c]
            };
            // a component moves only towards the other side of the level
            let relevant = at_level[c] == advanced;
            let best = relevant
                .then(|| fewest_moves(&slots, direction, crosses))
                .flatten();
            if relevant && best.is_none() {
                let cause = if now[c].is_none() {
                    "it has no score".to_owned()
                } else if slots.is_empty() {
                    "nothing of it is rated in the latest snapshot, or its ratings are already at the end of the scale".to_owned()
                } else if options.basis == Basis::Average {
                    "even every move of its latest ratings falls short: on the average basis its earlier snapshots hold the element means".to_owned()
                } else {
                    "even every move of its latest ratings falls short".to_owned()
                };
                why_not.push(format!("{} ({cause})", comp.short_name()));
            }
            components.push(ComponentStep {
                score: now[c].as_ref().map_or(f64::NAN, exact::nearest),
                band: now[c].as_ref().map_or(f64::NAN, |x| {
                    plan.bands.levels()[plan.bands.band_of_exact(x)]
                }),
                at_level: at_level[c],
                steps: best.as_ref().map(|a| a.iter().sum()),
                on_path: false,
            });
            plans.push((slots, best));
        }
        let need = if advanced {
            reached + 1 - rule.min_components
        } else {
            rule.min_components - reached
        };
        let label = rubric.scale().levels[rule.level_index].describe();
        let (steps, moves, reason) = choose(&mut components, &plans, need, direction, &label);
        let reason = reason.map(|r| format!("{r}; cannot: {}", why_not.join("; ")));
        Ok(AdvancedPath {
            district: district.to_owned(),
            basis: options.basis,
            advanced,
            direction,
            level: plan.bands.levels()[rule.level_index],
            min_components: rule.min_components,
            steps,
            moves,
            components,
            reason,
        })
    }
}

/// The moves open to each rated element of `columns` in the `latest` row.
fn slots(
    panel: &Panel,
    plan: &Plan,
    columns: Range<usize>,
    latest: usize,
    counts: &[usize],
    direction: Direction,
) -> Vec<Slot> {
    let ratings = panel.ratings();
    let levels = plan.bands.levels();
    columns
        .filter_map(|j| {
            let from = ratings[[latest, j]];
            if from.is_nan() {
                return None;
            }
            let from_exact = plan.bands.exact_rating(from);
            let n = Exact::from_integer(counts[j].into());
            let next: Vec<f64> = match direction {
                Direction::Raise => levels.iter().copied().filter(|&l| l > from).collect(),
                Direction::Lower => levels.iter().rev().copied().filter(|&l| l < from).collect(),
            };
            let change = next
                .iter()
                .map(|&l| (plan.bands.exact_rating(l) - &from_exact) / &n)
                .collect();
            Some(Slot {
                element: j,
                from,
                next,
                change,
            })
        })
        .collect()
}

/// The `need` cheapest components (ties in rubric order), marked on the
/// path, with the total, the moves in column order, or why there is no
/// path.
fn choose(
    components: &mut [ComponentStep],
    plans: &[(Vec<Slot>, Option<Vec<usize>>)],
    need: usize,
    direction: Direction,
    label: &str,
) -> (Option<usize>, Vec<Move>, Option<String>) {
    let mut order: Vec<usize> = (0..components.len())
        .filter(|&c| components[c].steps.is_some())
        .collect();
    order.sort_by_key(|&c| (components[c].steps, c));
    let noun = if need == 1 { "component" } else { "components" };
    if order.len() < need {
        let why = match direction {
            Direction::Raise => format!(
                "{need} more {noun} must band {label} or better, and only {} can by raising the latest snapshot's ratings",
                order.len()
            ),
            Direction::Lower => format!(
                "{need} {noun} must fall below {label}, and only {} can by lowering the latest snapshot's ratings",
                order.len()
            ),
        };
        return (None, Vec::new(), Some(why));
    }
    let mut moves = Vec::new();
    let mut total = 0;
    for &c in &order[..need] {
        components[c].on_path = true;
        total += components[c].steps.unwrap_or(0);
        let (slots, alloc) = &plans[c];
        for (s, &t) in slots.iter().zip(alloc.iter().flatten()) {
            if t > 0 {
                moves.push(Move {
                    element: s.element,
                    component: c,
                    from: s.from,
                    to: s.next[t - 1],
                    steps: t,
                });
            }
        }
    }
    moves.sort_by_key(|m| m.element);
    (Some(total), moves, None)
}

/// The allocation of the fewest moves over `slots` for which `crosses`
/// holds (moves per slot), or `None` when even every move does not cross.
///
/// For each total `s`, the allocation with the largest change in the
/// direction of travel (a max-plus knapsack over the slots, in exact
/// arithmetic); the component score is monotone in that change, so the
/// first `s` whose best allocation crosses is the fewest.
fn fewest_moves(
    slots: &[Slot],
    direction: Direction,
    crosses: impl Fn(&[usize]) -> bool,
) -> Option<Vec<usize>> {
    let capacity: usize = slots.iter().map(|s| s.next.len()).sum();
    // best[s] = (largest |change| with exactly s moves, allocation)
    let mut best: Vec<Option<(Exact, Vec<usize>)>> = vec![None; capacity + 1];
    best[0] = Some((Exact::default(), vec![0; slots.len()]));
    let mut used = 0;
    for (i, slot) in slots.iter().enumerate() {
        let mut next = best.clone();
        for s in 0..=used {
            let Some((base, alloc)) = &best[s] else {
                continue;
            };
            for t in 1..=slot.next.len() {
                let gain = match direction {
                    Direction::Raise => slot.change[t - 1].clone(),
                    Direction::Lower => -slot.change[t - 1].clone(),
                };
                let total = base + gain;
                if next[s + t].as_ref().is_none_or(|(g, _)| total > *g) {
                    let mut a = alloc.clone();
                    a[i] = t;
                    next[s + t] = Some((total, a));
                }
            }
        }
        used += slot.next.len();
        best = next;
    }
    best.into_iter()
        .flatten()
        .map(|(_, alloc)| alloc)
        .find(|alloc| crosses(alloc))
}
