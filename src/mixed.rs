//! A panel whose snapshots were rated under different rubric versions
//! (CRPE's 2012 and 2016 lists): each snapshot keeps its own version.
//!
//! ```text
//! component and overall scores of a snapshot: on the snapshot's own rubric
//! element ratings across versions: in the target version's elements,
//!     carried through the crosswalk; a target element nothing maps to is
//!     "no counterpart" in an older snapshot, never a rating
//! ```
//!
//! Comparing across versions assumes that the versions share their
//! components (same ids, weights and scale, which is checked) and that a
//! component scored on one version's elements measures what it measures on
//! the other's; the crosswalk's `narrower` and `broader` mappings say where
//! that holds only in part. Analyses that average elements over time (the
//! report's district summaries, the simulation) need one element list: run
//! them on [`MixedPanel::translated`] or on one version's snapshots.

use std::collections::HashMap;
use std::sync::Arc;

use ndarray::Array2;

use crate::classify::AdvancedRule;
use crate::compare::Comparison;
use crate::control::Control;
use crate::crosswalk::Crosswalk;
use crate::date::YearMonth;
use crate::error::{Error, Result};
use crate::panel::{Panel, Provenance, SnapshotKey};
use crate::rubric::Rubric;
use crate::score::{ScoreOptions, SnapshotScores};
use crate::snapshots::PanelScores;
use crate::trends::{TrajectoryRule, Trends};

/// Snapshots rated under several rubric versions, each scored on its own.
///
/// # Examples
/// ```
/// use ndarray::Array2;
/// use portfolio_snapshot::{Crosswalk, MixedPanel, Panel, Rubric, ScoreOptions, SnapshotKey, YearMonth};
/// let (old, new) = (Rubric::crpe_2012(), Rubric::crpe_2016());
/// let key = |y| SnapshotKey::new("Denver", YearMonth::new(y, 1).unwrap());
/// let p12 = Panel::from_matrix(old.clone(), vec![key(2013)], Array2::from_elem((1, 31), 2.0))?;
/// let p16 = Panel::from_matrix(new.clone(), vec![key(2015)], Array2::from_elem((1, 36), 3.0))?;
/// let mixed = MixedPanel::new(&[p12, p16], &new, &[Crosswalk::crpe_2012_to_2016()?])?;
/// assert_eq!(mixed.versions(), ["crpe-2012", "crpe-2016"]);
/// let s = mixed.score(&ScoreOptions::default())?;
/// assert_eq!(s.overall.to_vec(), [2.0, 3.0]); // each on its own rubric
/// # Ok::<(), portfolio_snapshot::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct MixedPanel {
    /// Every snapshot on the target rubric's elements.
    translated: Panel,
    /// One panel per version, its snapshots on its own rubric; the target
    /// version (when any snapshot uses it) first.
    parts: Vec<Panel>,
    /// Per row of `translated`: the part and the row in it.
    origin: Vec<(usize, usize)>,
    /// Per part and target element: whether the part's rubric has a
    /// counterpart of it.
    mapped: Vec<Vec<bool>>,
}

fn bad(name: &'static str, value: String, reason: String) -> Error {
    Error::InvalidParameter {
        name,
        value,
        reason,
    }
}

/// The versions share components (ids, weights) and the scale, so a
/// component score means the same on both.
fn check_components(rubric: &Rubric, target: &Rubric) -> Result<()> {
    let ids = |r: &Rubric| -> Vec<(String, f64)> {
        r.components()
            .iter()
            .map(|c| (c.id().to_owned(), c.weight()))
            .collect()
    };
    if ids(rubric) != ids(target) {
        return Err(bad(
            "rubric",
            rubric.id().to_owned(),
            format!(
                "its components (ids and weights) differ from the target rubric {}'s, so its component scores cannot be compared",
                target.id()
            ),
        ));
    }
    if rubric.scale() != target.scale() {
        return Err(bad(
            "rubric",
            rubric.id().to_owned(),
            format!("its scale differs from the target rubric {}'s", target.id()),
        ));
    }
    Ok(())
}

/// The distinct rubrics of `panels`, the target's id first, then in order
/// of appearance; two different rubrics may not share an id, and the panels
/// must allow the same ratings.
fn versions_of<'a>(panels: &'a [Panel], target: &Rubric) -> Result<Vec<&'a Rubric>> {
    // one set of allowed ratings for all, checked once on the panels
    // as given (merging a version's panels keeps the first one's)
    if let Some(p) = panels.iter().find(|p| p.options() != panels[0].options()) {
        return Err(bad(
            "panels",
            format!(
                "panels on {} and {}",
                panels[0].rubric().id(),
                p.rubric().id()
            ),
            "the panels differ in which ratings they allow (half steps)".into(),
        ));
    }
    let mut versions: Vec<&Rubric> = Vec::new();
    for p in panels {
        let r = p.rubric();
        match versions.iter().find(|v| v.id() == r.id()) {
            Some(v) if *v != r => {
                return Err(bad(
                    "rubric",
                    r.id().to_owned(),
                    "two panels name this rubric id but their rubrics differ".into(),
                ));
            }
            Some(_) => {}
            None => versions.push(r),
        }
    }
    if let Some(v) = versions.iter().find(|v| v.id() == target.id())
        && *v != target
    {
        return Err(bad(
            "rubric",
            target.id().to_owned(),
            "the target rubric differs from the panels' rubric of that id".into(),
        ));
    }
    versions.sort_by_key(|v| v.id() != target.id());
    Ok(versions)
}

/// A crosswalk given is meant to be used: one that carries no version of
/// the panels to the target is a mistake (a misspelt rubric id), not
/// something to pass over.
fn check_crosswalks_used(
    versions: &[&Rubric],
    target: &Rubric,
    crosswalks: &[Crosswalk],
) -> Result<()> {
    if let Some(unused) = crosswalks.iter().find(|c| {
        c.to_rubric != target.id()
            || !versions
                .iter()
                .any(|v| v.id() == c.from_rubric && v.id() != target.id())
    }) {
        return Err(bad(
            "crosswalk",
            format!("{} -> {}", unused.from_rubric, unused.to_rubric),
            format!(
                "it carries none of the panels' versions ({}) to the target {}",
                versions
                    .iter()
                    .map(|v| v.id())
                    .collect::<Vec<_>>()
                    .join(", "),
                target.id()
            ),
        ));
    }
    Ok(())
}

/// The panels of one version as one panel (their snapshots must differ).
fn merge(panels: &[&Panel]) -> Result<Panel> {
    if let [one] = panels {
        return Ok((*one).clone());
    }
    let first = panels[0];
    let width = first.rubric().n_elements();
    let n: usize = panels.iter().map(|p| p.n_snapshots()).sum();
    let mut keys = Vec::with_capacity(n);
    let mut ratings = Array2::from_elem((n, width), f64::NAN);
    let mut at = 0;
    for p in panels {
        for r in 0..p.n_snapshots() {
            keys.push(p.snapshot_key(r));
            ratings.row_mut(at).assign(&p.row(r));
            at += 1;
        }
    }
    let labels: Vec<&str> = panels
        .iter()
        .filter_map(|p| p.provenance().label.as_deref())
        .collect();
    let provenance = Provenance {
        label: (!labels.is_empty()).then(|| labels.join("; ")),
        synthetic: panels.iter().any(|p| p.provenance().synthetic),
        ..Provenance::default()
    };
    Ok(Panel::from_matrix_with(
        Arc::clone(first.rubric_arc()),
        keys,
        ratings,
        first.options(),
    )?
    .with_provenance(provenance))
}

/// A version's panel on the target's elements, and which target elements
/// have a counterpart in the version.
fn to_target(
    part: &Panel,
    target: &Rubric,
    crosswalks: &[Crosswalk],
) -> Result<(Panel, Vec<bool>)> {
    let v = part.rubric();
    if v.id() == target.id() {
        return Ok((part.clone(), vec![true; target.n_elements()]));
    }
    let cw = crosswalks
        .iter()
        .find(|c| c.from_rubric == v.id() && c.to_rubric == target.id())
        .ok_or_else(|| {
            bad(
                "crosswalk",
                format!("{} -> {}", v.id(), target.id()),
                format!(
                    "snapshots are rated under {} but no crosswalk carries it to the target {}",
                    v.id(),
                    target.id()
                ),
            )
        })?;
    let mut mapped = vec![false; target.n_elements()];
    for row in &cw.rows {
        if let (Some(_), Some(t)) = (&row.from, &row.to)
            && let Some(j) = target.element_index(t)
        {
            mapped[j] = true;
        }
    }
    Ok((part.translate(cw, target)?, mapped))
}

/// The row of a snapshot the panel holds.
fn row_of(panel: &Panel, key: &SnapshotKey) -> usize {
    let d = panel
        .district_index(&key.district)
        .unwrap_or_else(|| unreachable!("the panel holds the snapshot"));
    let rows = panel.district_rows(d);
    let within = panel.dates()[rows.clone()]
        .binary_search(&key.date)
        .unwrap_or_else(|_| unreachable!("the panel holds the snapshot"));
    rows.start + within
}

impl MixedPanel {
    /// Snapshots from `panels` (any rubric versions, several panels per
    /// version allowed) with `target` as the version whose elements
    /// element-level results use; every other version needs a crosswalk to
    /// it in `crosswalks`.
    ///
    /// # Errors
    /// - [`Error::EmptyPanel`]: no panels.
    /// - [`Error::InvalidParameter`] naming `crosswalk` (none from a
    ///   version to the target, or one that carries no version of the
    ///   panels to the target), `rubric` (two different rubrics with one
    ///   id, or components or scale unlike the target's) or `panels`
    ///   (panels of one version allowing different ratings).
    /// - [`Error::SnapshotInTwoVersions`]: a district and date rated under
    ///   two versions; [`Error::DuplicateSnapshot`] within one version.
    /// - The crosswalk's own checks ([`Crosswalk::check`]).
    pub fn new(panels: &[Panel], target: &Rubric, crosswalks: &[Crosswalk]) -> Result<Self> {
        if panels.is_empty() {
            return Err(Error::EmptyPanel);
        }
        let versions = versions_of(panels, target)?;
        check_crosswalks_used(&versions, target, crosswalks)?;
        let mut parts = Vec::with_capacity(versions.len());
        let mut translated_parts = Vec::with_capacity(versions.len());
        let mut mapped = Vec::with_capacity(versions.len());
        for v in &versions {
            check_components(v, target)?;
            let own: Vec<&Panel> = panels
                .iter()
                .filter(|p| p.rubric().id() == v.id())
                .collect();
            let part = merge(&own)?;
            let (on_target, m) = to_target(&part, target, crosswalks)?;
            translated_parts.push(on_target);
            mapped.push(m);
            parts.push(part);
        }
        // every snapshot once, in one target-element matrix
        let n: usize = parts.iter().map(Panel::n_snapshots).sum();
        let mut seen: HashMap<SnapshotKey, usize> = HashMap::with_capacity(n);
        let mut keys = Vec::with_capacity(n);
        let mut ratings = Array2::from_elem((n, target.n_elements()), f64::NAN);
        let mut at = 0;
        for (pi, t) in translated_parts.iter().enumerate() {
            for r in 0..t.n_snapshots() {
                let key = t.snapshot_key(r);
                if let Some(&other) = seen.get(&key) {
                    return Err(Error::SnapshotInTwoVersions {
                        district: key.district,
                        date: key.date,
                        first: parts[other].rubric().id().to_owned(),
                        second: parts[pi].rubric().id().to_owned(),
                    });
                }
                seen.insert(key.clone(), pi);
                keys.push(key);
                ratings.row_mut(at).assign(&t.row(r));
                at += 1;
            }
        }
        let options = parts[0].options();
        let labels: Vec<String> = parts
            .iter()
            .map(|p| {
                let l = p.provenance().label.as_deref().unwrap_or("ratings");
                format!("{l} ({})", p.rubric().id())
            })
            .collect();
        let provenance = Provenance {
            label: Some(format!(
                "{}; on the elements of {} through the crosswalk",
                labels.join(" + "),
                target.id()
            )),
            synthetic: parts.iter().any(|p| p.provenance().synthetic),
            ..Provenance::default()
        };
        let translated = Panel::from_matrix_with(target.clone(), keys, ratings, options)?
            .with_provenance(provenance);
        let origin = (0..translated.n_snapshots())
            .map(|r| {
                let key = translated.snapshot_key(r);
                let pi = seen[&key];
                (pi, row_of(&parts[pi], &key))
            })
            .collect();
        Ok(Self {
            translated,
            parts,
            origin,
            mapped,
        })
    }

    /// Every snapshot on the target rubric's elements (older versions
    /// through the crosswalk: unmapped target elements are not rated).
    /// Analyses that need one element list run on this panel; its label
    /// says so.
    #[must_use]
    pub fn translated(&self) -> &Panel {
        &self.translated
    }

    /// The target rubric.
    #[must_use]
    pub fn target(&self) -> &Rubric {
        self.translated.rubric()
    }

    /// One panel per version, each on its own rubric.
    #[must_use]
    pub fn parts(&self) -> &[Panel] {
        &self.parts
    }

    /// The rubric id each snapshot was rated under, in panel order (that of
    /// [`MixedPanel::translated`]).
    #[must_use]
    pub fn versions(&self) -> Vec<&str> {
        self.origin
            .iter()
            .map(|&(p, _)| self.parts[p].rubric().id())
            .collect()
    }

    /// Per district, the versions its snapshots used with their counts
    /// ("crpe-2012 x2, crpe-2016 x4"), versions in date order.
    #[must_use]
    pub fn district_versions(&self) -> Vec<String> {
        let t = &self.translated;
        (0..t.n_districts())
            .map(|d| {
                let mut runs: Vec<(&str, usize)> = Vec::new();
                for r in t.district_rows(d) {
                    let id = self.parts[self.origin[r].0].rubric().id();
                    match runs.iter_mut().find(|(v, _)| *v == id) {
                        Some((_, n)) => *n += 1,
                        None => runs.push((id, 1)),
                    }
                }
                runs.iter()
                    .map(|(v, n)| format!("{v} x{n}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .collect()
    }

    /// Per-snapshot scores, each snapshot on its own rubric, in panel order.
    ///
    /// # Errors
    /// As [`Panel::score`] on each version.
    pub fn score(&self, options: &ScoreOptions) -> Result<SnapshotScores> {
        self.score_with(options, &Control::new())
    }

    /// [`MixedPanel::score`] under a [`Control`].
    ///
    /// # Errors
    /// As [`MixedPanel::score`], and [`Error::Cancelled`].
    pub fn score_with(&self, options: &ScoreOptions, control: &Control) -> Result<SnapshotScores> {
        let parts = self
            .parts
            .iter()
            .map(|p| p.score_with(options, control))
            .collect::<Result<Vec<_>>>()?;
        Ok(self.gather(&parts, |s| s))
    }

    /// Per-snapshot scores and advanced flags, each snapshot on its own
    /// rubric.
    ///
    /// # Errors
    /// As [`Panel::score_advanced`] on each version.
    pub fn score_advanced(
        &self,
        options: &ScoreOptions,
        rule: &AdvancedRule,
        control: &Control,
    ) -> Result<PanelScores> {
        let parts = self
            .parts
            .iter()
            .map(|p| p.score_advanced(options, rule, control))
            .collect::<Result<Vec<_>>>()?;
        let scores = self.gather(&parts, |s| &s.scores);
        let advanced = self
            .origin
            .iter()
            .map(|&(p, r)| parts[p].advanced[r])
            .collect();
        Ok(PanelScores { scores, advanced })
    }

    /// Rows of the parts' scores put in panel order.
    fn gather<T>(&self, parts: &[T], scores: impl Fn(&T) -> &SnapshotScores) -> SnapshotScores {
        let k = self.target().components().len();
        let n = self.origin.len();
        let mut out = SnapshotScores {
            components: Array2::zeros((n, k)),
            overall: ndarray::Array1::zeros(n),
            spread: ndarray::Array1::zeros(n),
            coverage: ndarray::Array1::zeros(n),
        };
        for (i, &(p, r)) in self.origin.iter().enumerate() {
            let s = scores(&parts[p]);
            out.components.row_mut(i).assign(&s.components.row(r));
            out.overall[i] = s.overall[r];
            out.spread[i] = s.spread[r];
            out.coverage[i] = s.coverage[r];
        }
        out
    }

    /// Per-district slopes of the overall and component scores, each
    /// snapshot scored on its own rubric (see [`Panel::trends`]).
    ///
    /// # Errors
    /// As [`MixedPanel::score`] and [`TrajectoryRule::check`], and
    /// [`Error::Cancelled`].
    pub fn trends_with(
        &self,
        options: &ScoreOptions,
        rule: &TrajectoryRule,
        control: &Control,
    ) -> Result<Trends> {
        rule.check()?;
        let scores = self.score_with(options, control)?;
        self.translated.trends_of(&scores, rule, control)
    }

    /// The change between the snapshots in force at two dates (see
    /// [`Panel::compare`]): overall and component scores each on the
    /// snapshot's own rubric, elements on the target's, where an element
    /// with no counterpart in a snapshot's version says so.
    ///
    /// # Errors
    /// As [`Panel::compare`], and [`Error::Cancelled`].
    pub fn compare_with(
        &self,
        start: YearMonth,
        end: YearMonth,
        options: &ScoreOptions,
        control: &Control,
    ) -> Result<Comparison> {
        let scores = self.score_with(options, control)?;
        let unrated = |r: usize, j: usize| {
            let p = self.origin[r].0;
            (!self.mapped[p][j])
                .then(|| format!("no counterpart in {}", self.parts[p].rubric().id()))
        };
        self.translated
            .compare_of(start, end, &scores, &unrated, control)
    }
}

#[cfg(test)]
mod tests {
    use ndarray::Array2;

    use super::MixedPanel;
    use crate::{Crosswalk, Error, Panel, Rubric, SnapshotKey, YearMonth};

    fn key(d: &str, y: i32) -> SnapshotKey {
        SnapshotKey::new(d, YearMonth::new(y, 1).unwrap_or_else(|e| panic!("{e}")))
    }

    #[test]
    fn one_snapshot_in_two_versions_is_refused() {
        let (old, new) = (Rubric::crpe_2012(), Rubric::crpe_2016());
        let a = Panel::from_matrix(old, vec![key("A", 2014)], Array2::from_elem((1, 31), 2.0))
            .unwrap_or_else(|e| panic!("{e}"));
        let b = Panel::from_matrix(
            new.clone(),
            vec![key("A", 2014)],
            Array2::from_elem((1, 36), 2.0),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let cw = Crosswalk::crpe_2012_to_2016().unwrap_or_else(|e| panic!("{e}"));
        let e = MixedPanel::new(&[a.clone(), b.clone()], &new, &[cw]).unwrap_err();
        assert!(matches!(e, Error::SnapshotInTwoVersions { .. }), "{e}");
        assert!(e.to_string().contains("\"A\", date 2014-01"), "{e}");
        // without a crosswalk the older version cannot be placed
        let e = MixedPanel::new(&[a, b], &new, &[]).unwrap_err();
        assert!(e.to_string().contains("crpe-2012 -> crpe-2016"), "{e}");
    }
}
