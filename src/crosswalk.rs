//! Two versions of a rubric: which element of one corresponds to which of
//! the other, and a panel's ratings carried across.
//!
//! The shipped crosswalk (`data/crosswalk-2012-2016.csv`) maps the 31
//! elements of CRPE's 2012 list to the 36 of 2016 where the texts
//! correspond, each mapping with its relation (`same`, `narrower`,
//! `broader`) and reason, and lists every element left unmapped.
//!
//! ```text
//! translate: rating of target element t = rating of the source element
//!            mapped to t (one at most); NaN for target elements nothing maps to
//! ```
//!
//! Comparing across versions assumes that a mapped element is rated on the
//! same scale with the same meaning in both versions; `narrower` and
//! `broader` mappings say where that holds only in part.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};
use crate::panel::{Panel, Provenance, SnapshotKey};
use crate::rubric::Rubric;

/// The columns of a crosswalk file, in order.
pub const CROSSWALK_COLUMNS: [&str; 6] = [
    "from_rubric",
    "from_element",
    "to_rubric",
    "to_element",
    "relation",
    "reason",
];

const CRPE_2012_2016: &str = include_str!("../data/crosswalk-2012-2016.csv");

/// How a source element relates to its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Relation {
    /// The same practice; the wording differs only slightly.
    Same,
    /// The source covers part of what the target covers.
    Narrower,
    /// The source covers more than the target.
    Broader,
    /// No counterpart in the other version.
    Unmapped,
}

impl Relation {
    /// All relations, in order.
    pub const ALL: [Relation; 4] = [Self::Same, Self::Narrower, Self::Broader, Self::Unmapped];

    /// The relation's name as the file writes it.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Same => "same",
            Self::Narrower => "narrower",
            Self::Broader => "broader",
            Self::Unmapped => "unmapped",
        }
    }
}

impl FromStr for Relation {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|r| r.name() == s)
            .ok_or_else(|| Error::InvalidParameter {
                name: "relation",
                value: format!("{s:?}"),
                reason: "must be same, narrower, broader or unmapped".into(),
            })
    }
}

impl fmt::Display for Relation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One row of a crosswalk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrosswalkRow {
    /// The source element (`None`: a target element nothing maps to).
    pub from: Option<String>,
    /// The target element (`None`: a source element with no counterpart).
    pub to: Option<String>,
    /// How they relate.
    pub relation: Relation,
    /// Why, in a sentence.
    pub reason: String,
}

/// A crosswalk between two rubric versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crosswalk {
    /// The source rubric's id.
    pub from_rubric: String,
    /// The target rubric's id.
    pub to_rubric: String,
    /// The rows, in file order.
    pub rows: Vec<CrosswalkRow>,
}

impl Crosswalk {
    /// The shipped crosswalk from `crpe-2012` to `crpe-2016`.
    ///
    /// # Errors
    /// Only if the shipped file were corrupt; the crate's tests read it.
    pub fn crpe_2012_to_2016() -> Result<Self> {
        Self::from_csv(CRPE_2012_2016)
    }

    /// A crosswalk from CSV text with the columns `from_rubric`,
    /// `from_element`, `to_rubric`, `to_element`, `relation`, `reason`.
    ///
    /// # Errors
    /// [`Error::Csv`] naming the line for a record that cannot be read, a
    /// relation that is not one of [`Relation::ALL`], a mapped row without
    /// both elements, or rows naming more than one pair of rubrics.
    pub fn from_csv(text: &str) -> Result<Self> {
        let bad = |line: Option<u64>, message: String| Error::Csv {
            origin: None,
            line,
            message,
        };
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let mut rubrics: Option<(String, String)> = None;
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| bad(None, e.to_string()))?;
            let line = record.position().map(csv::Position::line);
            if record.len() != 6 {
                return Err(bad(
                    line,
                    format!(
                        "{} fields, 6 expected ({})",
                        record.len(),
                        CROSSWALK_COLUMNS.join(", ")
                    ),
                ));
            }
            let field = |i: usize| record[i].trim().to_owned();
            let pair = (field(0), field(2));
            match &rubrics {
                None => rubrics = Some(pair),
                Some(p) if *p != pair => {
                    return Err(bad(
                        line,
                        format!(
                            "rubrics {} -> {}, not {} -> {} as above",
                            pair.0, pair.1, p.0, p.1
                        ),
                    ));
                }
                Some(_) => {}
            }
            let relation: Relation = field(4)
                .parse()
                .map_err(|e: Error| bad(line, e.to_string()))?;
            let opt = |s: String| (!s.is_empty()).then_some(s);
            let (from, to) = (opt(field(1)), opt(field(3)));
            let mapped = from.is_some() && to.is_some();
            if mapped == (relation == Relation::Unmapped) || (from.is_none() && to.is_none()) {
                return Err(bad(
                    line,
                    format!(
                        "relation {relation} with from_element {:?} and to_element {:?}: a mapping names both elements, an unmapped row one",
                        from.unwrap_or_default(),
                        to.unwrap_or_default()
                    ),
                ));
            }
            rows.push(CrosswalkRow {
                from,
                to,
                relation,
                reason: field(5),
            });
        }
        let (from_rubric, to_rubric) =
            rubrics.ok_or_else(|| bad(None, "the crosswalk has no rows".into()))?;
        Ok(Self {
            from_rubric,
            to_rubric,
            rows,
        })
    }

    /// Check the crosswalk against its two rubrics: every element id of
    /// both appears exactly once, and no other id appears.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming `crosswalk` and the element.
    pub fn check(&self, from: &Rubric, to: &Rubric) -> Result<()> {
        let bad = |value: String, reason: String| Error::InvalidParameter {
            name: "crosswalk",
            value,
            reason,
        };
        for (rubric, ids, side) in [
            (
                from,
                self.rows
                    .iter()
                    .filter_map(|r| r.from.as_deref())
                    .collect::<Vec<_>>(),
                "from",
            ),
            (
                to,
                self.rows
                    .iter()
                    .filter_map(|r| r.to.as_deref())
                    .collect::<Vec<_>>(),
                "to",
            ),
        ] {
            for id in &ids {
                if rubric.element_index(id).is_none() {
                    return Err(bad(
                        format!("{side}_element {id:?}"),
                        format!("rubric {} has no such element", rubric.id()),
                    ));
                }
                if ids.iter().filter(|x| *x == id).count() > 1 {
                    return Err(bad(
                        format!("{side}_element {id:?}"),
                        "appears more than once".into(),
                    ));
                }
            }
            if let Some(missing) = rubric
                .element_ids()
                .iter()
                .find(|e| !ids.contains(&e.as_str()))
            {
                return Err(bad(
                    format!("{side}_element {missing:?}"),
                    format!("element of {} missing from the crosswalk", rubric.id()),
                ));
            }
        }
        Ok(())
    }
}

impl Panel {
    /// The panel's ratings carried to the `target` rubric through
    /// `crosswalk`: each target element takes the rating of the source
    /// element mapped to it, and target elements nothing maps to are not
    /// rated. The provenance says it was translated.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming `crosswalk` when the panel is not
    /// on the crosswalk's source rubric, `target` is not its target, or the
    /// crosswalk does not fit them (see [`Crosswalk::check`]).
    ///
    /// # Examples
    /// ```
    /// use portfolio_snapshot::{Crosswalk, Panel, Rubric, SnapshotKey, YearMonth};
    /// use ndarray::Array2;
    /// let old = Rubric::crpe_2012();
    /// let n = old.n_elements();
    /// let key = SnapshotKey::new("Denver", YearMonth::new(2013, 1)?);
    /// let panel = Panel::from_matrix(old, vec![key], Array2::from_elem((1, n), 3.0))?;
    /// let new = panel.translate(&Crosswalk::crpe_2012_to_2016()?, &Rubric::crpe_2016())?;
    /// let rated = new.ratings().iter().filter(|v| !v.is_nan()).count();
    /// assert_eq!(rated, 27); // the 27 mapped elements
    /// # Ok::<(), portfolio_snapshot::Error>(())
    /// ```
    pub fn translate(&self, crosswalk: &Crosswalk, target: &Rubric) -> Result<Panel> {
        let bad = |value: String, reason: String| Error::InvalidParameter {
            name: "crosswalk",
            value,
            reason,
        };
        if self.rubric().id() != crosswalk.from_rubric {
            return Err(bad(
                format!("{} -> {}", crosswalk.from_rubric, crosswalk.to_rubric),
                format!("the panel is on rubric {}", self.rubric().id()),
            ));
        }
        if target.id() != crosswalk.to_rubric {
            return Err(bad(
                format!("{} -> {}", crosswalk.from_rubric, crosswalk.to_rubric),
                format!("the target rubric is {}", target.id()),
            ));
        }
        crosswalk.check(self.rubric(), target)?;
        let source = self.ratings();
        let mut out =
            ndarray::Array2::from_elem((self.n_snapshots(), target.n_elements()), f64::NAN);
        let mut mapped = 0;
        for row in &crosswalk.rows {
            if let (Some(f), Some(t)) = (&row.from, &row.to)
                && let (Some(i), Some(j)) =
                    (self.rubric().element_index(f), target.element_index(t))
            {
                out.column_mut(j).assign(&source.column(i));
                mapped += 1;
            }
        }
        let keys: Vec<SnapshotKey> = (0..self.n_snapshots())
            .map(|r| self.snapshot_key(r))
            .collect();
        let p = self.provenance();
        let note = format!(
            "translated from {} to {} through the crosswalk ({mapped} of {} elements mapped)",
            crosswalk.from_rubric,
            crosswalk.to_rubric,
            target.n_elements()
        );
        let label = Some(match &p.label {
            Some(l) => format!("{l}; {note}"),
            None => note,
        });
        Ok(
            Panel::from_matrix_with(target.clone(), keys, out, self.options())?
                .with_provenance(Provenance { label, ..p.clone() }),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::{Crosswalk, Relation};
    use crate::Rubric;

    #[test]
    fn the_shipped_crosswalk_fits_both_rubrics() {
        let cw = Crosswalk::crpe_2012_to_2016().unwrap_or_else(|e| panic!("{e}"));
        assert!(cw.check(&Rubric::crpe_2012(), &Rubric::crpe_2016()).is_ok());
        let mapped = cw
            .rows
            .iter()
            .filter(|r| r.relation != Relation::Unmapped)
            .count();
        assert_eq!(mapped, 27);
        // the other way round, the ids do not fit
        assert!(
            cw.check(&Rubric::crpe_2016(), &Rubric::crpe_2012())
                .is_err()
        );
    }

    #[test]
    fn bad_crosswalk_files_name_the_line() {
        let head = "from_rubric,from_element,to_rubric,to_element,relation,reason\n";
        let cases = [
            ("a,1.1,b,1.1,similar,x\n", "same, narrower"),
            ("a,1.1,b,,same,x\n", "names both"),
            ("a,1.1,b,1.1,same,x\nc,1.2,b,1.2,same,y\n", "not a -> b"),
            ("a,1.1,b\n", "fields"),
        ];
        for (rows, message) in cases {
            let e = Crosswalk::from_csv(&format!("{head}{rows}")).unwrap_err();
            assert!(e.to_string().contains(message), "{e}");
        }
        assert!(Crosswalk::from_csv(head).is_err());
    }
}
