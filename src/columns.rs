//! Which column of a table is which: the district, the date, the element id
//! and the rating, found by name (any letter case, common aliases) or named
//! explicitly, and whether the table is long or wide.

use crate::error::{Error, Result};

/// The role of a column in a ratings table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// The district.
    District,
    /// The snapshot date.
    Date,
    /// The element id (long tables).
    Element,
    /// The rating (long tables).
    Rating,
}

impl Role {
    /// All four, in the order of a long table.
    pub const ALL: [Role; 4] = [Self::District, Self::Date, Self::Element, Self::Rating];

    /// The role's name, which is also the parameter that names its column.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::District => "district",
            Self::Date => "date",
            Self::Element => "element",
            Self::Rating => "rating",
        }
    }

    /// Header names that mean this role, compared after trimming spaces and
    /// ignoring letter case, `_` and `-` (so `Element_ID` is `element id`).
    #[must_use]
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Self::District => &["district", "district name", "school district", "system"],
            Self::Date => &[
                "date",
                "snapshot",
                "snapshot date",
                "month",
                "period",
                "as of",
            ],
            Self::Element => &["element", "element id", "elementid", "item", "indicator"],
            Self::Rating => &["rating", "score", "value", "level"],
        }
    }
}

/// Whether a table has one row per rating or one row per snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Layout {
    /// One row per (district, date, element): district, date, element, rating.
    Long,
    /// One row per (district, date) and one column per element id.
    Wide,
}

/// The columns found for each role (positions in the header) and the layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnMap {
    /// The layout the header shows.
    pub layout: Layout,
    /// `(role, position)` for the district and date, and in a long table
    /// for the element and rating.
    pub found: Vec<(Role, usize)>,
    /// How each role was found, in words: `district from "District"`.
    pub description: String,
}

impl ColumnMap {
    /// The position of a role's column.
    #[must_use]
    pub fn position(&self, role: Role) -> Option<usize> {
        self.found.iter().find(|(r, _)| *r == role).map(|(_, p)| *p)
    }
}

/// Header names that mean "who rated" in a table of several raters'
/// ratings (compared as the roles' aliases are).
pub const RATER_ALIASES: &[&str] = &["rater", "rater id", "coder", "interviewer", "reviewer"];

/// Header names that say which rubric version a snapshot was rated under
/// in a long table mixing versions.
pub const VERSION_ALIASES: &[&str] = &["rubric", "rubric id", "rubric version"];

/// The position of the rater column: `explicit` (it must exist), else the
/// first header that is one of [`RATER_ALIASES`].
///
/// # Errors
/// [`Error::InvalidColumn`] naming the column asked for or, when none is
/// found, the names looked for.
pub fn find_rater(header: &[String], explicit: Option<&str>) -> Result<usize> {
    find_by_alias(header, explicit, RATER_ALIASES, "rater", "who rated")
}

/// The position of the column naming each rating's rubric version:
/// `explicit` (it must exist), else the header that is one of
/// [`VERSION_ALIASES`].
///
/// # Errors
/// As [`find_rater`].
pub fn find_version(header: &[String], explicit: Option<&str>) -> Result<usize> {
    find_by_alias(
        header,
        explicit,
        VERSION_ALIASES,
        "rubric",
        "which rubric version each rating follows",
    )
}

fn find_by_alias(
    header: &[String],
    explicit: Option<&str>,
    aliases: &[&str],
    parameter: &str,
    says: &str,
) -> Result<usize> {
    if let Some(name) = explicit {
        return header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| Error::InvalidColumn {
                column: name.to_owned(),
                rubric: None,
                reason: format!("no such column (the table has {})", header.join(", ")),
            });
    }
    let found: Vec<usize> = header
        .iter()
        .enumerate()
        .filter(|(_, h)| aliases.contains(&normalise(h).as_str()))
        .map(|(i, _)| i)
        .collect();
    if found.len() > 1 {
        return Err(Error::InvalidColumn {
            column: header[found[1]].clone(),
            rubric: None,
            reason: format!(
                "several columns could say {says} ({}); name the one meant with {parameter}=",
                found
                    .iter()
                    .map(|&i| format!("{:?}", header[i]))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
    }
    found.first().copied().ok_or_else(|| Error::InvalidColumn {
        column: parameter.to_owned(),
        rubric: None,
        reason: format!(
            "no column says {says} (looked for {}); name it with {parameter}=",
            aliases.join(", ")
        ),
    })
}

fn normalise(name: &str) -> String {
    name.trim()
        .chars()
        .map(|c| if c == '_' || c == '-' { ' ' } else { c })
        .collect::<String>()
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Find each role's column in a header: an explicit name first (it must
/// exist), else the exact role name, else any alias (see
/// [`Role::aliases`]). The table is long when it has both an element and a
/// rating column, wide otherwise.
///
/// # Errors
/// [`Error::InvalidColumn`] naming the column for an explicit name the header
/// lacks, or two columns that could both be the same role; a missing
/// district or date column, naming the header and the way to name it.
///
/// # Examples
/// ```
/// use portfolio_snapshot::columns::{resolve, Layout, Role};
/// let header = ["District", "Snapshot", "Element_ID", "Rating"].map(String::from);
/// let map = resolve(&header, &[])?;
/// assert_eq!(map.layout, Layout::Long);
/// assert_eq!(map.position(Role::Date), Some(1));
/// assert_eq!(map.description, "district from \"District\", date from \"Snapshot\", element from \"Element_ID\", rating from \"Rating\"");
/// # Ok::<(), portfolio_snapshot::Error>(())
/// ```
pub fn resolve(header: &[String], explicit: &[(Role, String)]) -> Result<ColumnMap> {
    let mut found: Vec<(Role, usize)> = Vec::new();
    for role in Role::ALL {
        if let Some((_, name)) = explicit.iter().find(|(r, _)| *r == role) {
            let pos =
                header
                    .iter()
                    .position(|h| h == name)
                    .ok_or_else(|| Error::InvalidColumn {
                        column: name.clone(),
                        rubric: None,
                        reason: format!(
                            "{}={name:?} names no column of the table (columns: {})",
                            role.name(),
                            header.join(", ")
                        ),
                    })?;
            found.push((role, pos));
            continue;
        }
        if let Some(pos) = header.iter().position(|h| h == role.name()) {
            found.push((role, pos));
            continue;
        }
        let candidates: Vec<usize> = header
            .iter()
            .enumerate()
            .filter(|(i, h)| {
                !found.iter().any(|(_, p)| p == i)
                    && role.aliases().contains(&normalise(h).as_str())
            })
            .map(|(i, _)| i)
            .collect();
        match candidates.as_slice() {
            [] => {}
            [one] => found.push((role, *one)),
            several => {
                let names: Vec<String> = several
                    .iter()
                    .map(|&i| format!("{:?}", header[i]))
                    .collect();
                return Err(Error::InvalidColumn {
                    column: header[several[0]].clone(),
                    rubric: None,
                    reason: format!(
                        "several columns could be the {0} ({1}); name it with {0}=",
                        role.name(),
                        names.join(", ")
                    ),
                });
            }
        }
    }
    let has = |r: Role| found.iter().any(|(x, _)| *x == r);
    for role in [Role::District, Role::Date] {
        if !has(role) {
            return Err(Error::InvalidColumn {
                column: role.name().to_owned(),
                rubric: None,
                reason: format!(
                    "no {0} column (looked for {1}, in any letter case; the table has: {2}); name it with {0}=",
                    role.name(),
                    role.aliases().join(", "),
                    header.join(", ")
                ),
            });
        }
    }
    let layout = if has(Role::Element) && has(Role::Rating) {
        Layout::Long
    } else {
        found.retain(|(r, _)| matches!(r, Role::District | Role::Date));
        Layout::Wide
    };
    let description = found
        .iter()
        .map(|(r, p)| format!("{} from {:?}", r.name(), header[*p]))
        .collect::<Vec<_>>()
        .join(", ");
    Ok(ColumnMap {
        layout,
        found,
        description,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn exact_names_aliases_and_explicit_names() {
        let m = resolve(&h(&["district", "date", "element", "rating"]), &[]).unwrap();
        assert_eq!(m.layout, Layout::Long);
        let m = resolve(&h(&["DISTRICT", "Snapshot Date", "1.1", "1.2"]), &[]).unwrap();
        assert_eq!(m.layout, Layout::Wide);
        assert_eq!(m.position(Role::Date), Some(1));
        let m = resolve(
            &h(&["City", "When", "Item", "Value"]),
            &[(Role::District, "City".into()), (Role::Date, "When".into())],
        )
        .unwrap();
        assert_eq!(m.layout, Layout::Long);
        assert_eq!(m.position(Role::Rating), Some(3));
    }

    #[test]
    fn ambiguity_and_absence_are_named() {
        let e = resolve(&h(&["District", "Date", "Snapshot", "x"]), &[]).unwrap_err();
        assert!(e.to_string().contains("Date") && e.to_string().contains("Snapshot"));
        let e = resolve(&h(&["District", "x"]), &[]).unwrap_err();
        assert!(e.to_string().contains("no date column"), "{e}");
        let e = resolve(&h(&["district", "date"]), &[(Role::Element, "Nope".into())]).unwrap_err();
        assert!(e.to_string().contains("element=\"Nope\""), "{e}");
    }
}
