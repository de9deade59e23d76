//! The 2016 report's published findings about named districts, components
//! and elements, as checks on a panel under the library's default options.
//!
//! *Sticking Points* (seed 000) states facts about its 25 districts: which are
//! advanced, which quadrant of Figure 4 they fall in, who made recent
//! progress (Figure 5), how the components rank (Figure 6), and what some
//! districts did on particular elements. [`report_findings`] checks each
//! statement on a panel: the synthetic demo panel is built so that all of
//! them hold, and a panel of real ratings can be checked the same way.
//!
//! Where the report's words need an interpretation to become a check, the
//! finding's text says which one this library takes (e.g. "in the lower
//! half" is "below the median").

use std::fmt::Write as _;

use ndarray::Array2;

use crate::basis::Basis;
use crate::classify::Quadrant;
use crate::error::{Error, Result};
use crate::panel::Panel;
use crate::rank::Ranking;
use crate::summary::{DistrictSummaries, SummaryOptions};

/// What the checks read: the panel's analyses under the default options.
pub struct Facts<'a> {
    /// The panel.
    pub panel: &'a Panel,
    /// District summaries (average basis, default cuts and rule).
    pub summary: DistrictSummaries,
    /// Components ranked by mean score.
    pub components: Ranking,
    /// Elements ranked by mean rating.
    pub elements: Ranking,
    /// Average-basis element values, districts x elements.
    pub basis: Array2<f64>,
}

type Check = fn(&Facts<'_>) -> std::result::Result<String, String>;

/// One published finding.
#[derive(Clone, Copy)]
pub struct Finding {
    /// A short id (`"Q1"`), grouped by figure.
    pub id: &'static str,
    /// The statement, as this library checks it.
    pub statement: &'static str,
    /// Where the report says it, with its words.
    pub source: &'static str,
    check: Check,
}

impl std::fmt::Debug for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Finding")
            .field("id", &self.id)
            .field("statement", &self.statement)
            .finish_non_exhaustive()
    }
}

/// A finding checked on a panel.
#[derive(Debug, Clone)]
pub struct FindingResult {
    /// The finding.
    pub finding: Finding,
    /// Whether it holds.
    pub holds: bool,
    /// The numbers behind the verdict.
    pub detail: String,
}

impl Facts<'_> {
    fn district(&self, name: &str) -> std::result::Result<usize, String> {
        self.summary
            .index_of(name)
            .ok_or_else(|| format!("no district {name:?} in the panel"))
    }
    fn element(&self, id: &str) -> std::result::Result<usize, String> {
        self.panel
            .rubric()
            .element_index(id)
            .ok_or_else(|| format!("no element {id:?} in the rubric"))
    }
    fn value(&self, district: &str, element: &str) -> std::result::Result<f64, String> {
        Ok(self.basis[[self.district(district)?, self.element(element)?]])
    }
    fn quadrant(&self, name: &str) -> std::result::Result<Option<Quadrant>, String> {
        Ok(self.summary.quadrant[self.district(name)?])
    }
    fn names_in(&self, q: Quadrant) -> Vec<&str> {
        self.summary
            .quadrant
            .iter()
            .zip(self.summary.districts.iter())
            .filter(|(x, _)| **x == Some(q))
            .map(|(_, d)| d.as_str())
            .collect()
    }
    fn piecemeal(&self, name: &str) -> std::result::Result<bool, String> {
        Ok(matches!(
            self.quadrant(name)?,
            Some(Quadrant::StrongPiecemeal | Quadrant::WeakerPiecemeal)
        ))
    }
    /// Recent progress of every district, and the median.
    fn progress_median(&self) -> f64 {
        crate::summary::median(
            self.summary
                .recent_progress
                .iter()
                .copied()
                .filter(|v| !v.is_nan())
                .collect(),
        )
    }
    fn progress(&self, name: &str) -> std::result::Result<f64, String> {
        Ok(self.summary.recent_progress[self.district(name)?])
    }
    /// Districts by recent progress, largest first.
    fn by_progress(&self) -> Vec<&str> {
        let p = &self.summary.recent_progress;
        let mut idx: Vec<usize> = (0..p.len()).filter(|&i| !p[i].is_nan()).collect();
        idx.sort_by(|&a, &b| p[b].total_cmp(&p[a]));
        idx.iter()
            .map(|&i| self.summary.districts[i].as_str())
            .collect()
    }
    fn by_score(&self) -> Vec<&str> {
        self.summary
            .order_by_score()
            .into_iter()
            .map(|i| self.summary.districts[i].as_str())
            .collect()
    }
    fn band(&self, name: &str, component: &str) -> std::result::Result<f64, String> {
        let d = self.district(name)?;
        let k = self
            .summary
            .component_names
            .iter()
            .position(|c| c == component)
            .ok_or_else(|| format!("no component {component:?}"))?;
        Ok(self.summary.bands[[d, k]])
    }
}

fn verdict(ok: bool, detail: String) -> std::result::Result<String, String> {
    if ok { Ok(detail) } else { Err(detail) }
}

fn list(names: &[&str]) -> String {
    names.join(", ")
}

const ADVANCED: [&str; 5] = ["NOLA RSD", "TN ASD", "Denver", "New York City", "Lawrence"];

/// Every finding this library checks, in the report's order.
#[must_use]
#[allow(clippy::too_many_lines)] // a table
pub fn all() -> Vec<Finding> {
    vec![
        Finding {
            id: "A1",
            statement: "Exactly five districts are advanced: NOLA RSD, TN ASD, Denver, New York City and Lawrence.",
            source: "Figure 3: \"Five districts—the New Orleans (NOLA RSD) and Tennessee (TN ASD) state turnaround districts, Denver, New York City, and Lawrence—can be considered 'advanced'\"",
            check: |f| {
                let adv: Vec<&str> = f
                    .summary
                    .districts
                    .iter()
                    .zip(&f.summary.advanced)
                    .filter(|(_, a)| **a)
                    .map(|(d, _)| d.as_str())
                    .collect();
                let mut want = ADVANCED.to_vec();
                want.sort_unstable();
                verdict(adv == want, format!("advanced: {}", list(&adv)))
            },
        },
        Finding {
            id: "A2",
            statement: "NOLA RSD, TN ASD and Denver rate at the top level on most elements (more than half of them band to 5 over time).",
            source: "Figure 3: \"In state-run school districts such as New Orleans and Memphis, and some districts with elected boards such as Denver ... Those districts have made high levels of progress (dark green squares) across most elements.\"",
            check: |f| {
                let mut detail = String::new();
                let mut ok = true;
                let top = f.panel.rubric().scale().max();
                for d in ["NOLA RSD", "TN ASD", "Denver"] {
                    let i = f.district(d)?;
                    let n = f
                        .basis
                        .row(i)
                        .iter()
                        .filter(|&&v| f.panel.rubric().scale().band_value(v) == Some(top))
                        .count();
                    ok &= 2 * n > f.basis.ncols();
                    let _ = write!(detail, "{d} {n}/{}; ", f.basis.ncols());
                }
                verdict(ok, detail)
            },
        },
        Finding {
            id: "A3",
            statement: "Sacramento, Albuquerque, Detroit, Nashville, Indianapolis and Tulsa each have a component banded orange (2) or red (1).",
            source: "Figure 3: \"many districts are making little or no progress (mostly orange and red) in some or all components ... (Sacramento and Albuquerque), ... (Detroit and Nashville), ... (Indianapolis and Tulsa)\"",
            check: |f| {
                let mut ok = true;
                let mut detail = String::new();
                for d in [
                    "Sacramento",
                    "Albuquerque",
                    "Detroit",
                    "Nashville",
                    "Indianapolis",
                    "Tulsa",
                ] {
                    let i = f.district(d)?;
                    let low = f.summary.bands.row(i).iter().filter(|&&b| b <= 2.0).count();
                    ok &= low > 0;
                    let _ = write!(detail, "{d} {low}; ");
                }
                verdict(ok, format!("components at 1 or 2: {detail}"))
            },
        },
        Finding {
            id: "A4",
            statement: "NOLA RSD, TN ASD and Lawrence have the three highest overall scores.",
            source: "Conclusion: \"where portfolio implementation has been implemented most fully—the New Orleans RSD, the Tennessee ASD, and Lawrence, Massachusetts\"",
            check: |f| {
                let top: Vec<&str> = f.by_score().into_iter().take(3).collect();
                let mut sorted = top.clone();
                sorted.sort_unstable();
                verdict(
                    sorted == ["Lawrence", "NOLA RSD", "TN ASD"],
                    format!("top three: {}", list(&top)),
                )
            },
        },
        Finding {
            id: "Q1",
            statement: "Seven districts are strong and consistent, NOLA RSD among them.",
            source: "Figure 4: \"seven districts in the top left are scoring high and are implementing consistently ... NOLA RSD, for example\"",
            check: |f| {
                let n = f.names_in(Quadrant::StrongConsistent);
                verdict(
                    n.len() == 7 && n.contains(&"NOLA RSD"),
                    format!("{}: {}", n.len(), list(&n)),
                )
            },
        },
        Finding {
            id: "Q2",
            statement: "Spring Branch is strong but piecemeal, the only district that is.",
            source: "Figure 4: \"One district, Spring Branch Independent School District in Texas, scores fairly high but also ranks high on variance (top right). It can be considered 'strong but piecemeal.'\"",
            check: |f| {
                let n = f.names_in(Quadrant::StrongPiecemeal);
                verdict(
                    n == ["Spring Branch"],
                    format!("strong but piecemeal: {}", list(&n)),
                )
            },
        },
        Finding {
            id: "Q3",
            statement: "Six districts are weaker and piecemeal, Albuquerque and Memphis-Shelby County among them.",
            source: "Figure 4: \"the six districts in the bottom box and furthest to the right (e.g., Albuquerque and Memphis-Shelby County)\"",
            check: |f| {
                let n = f.names_in(Quadrant::WeakerPiecemeal);
                verdict(
                    n.len() == 6
                        && n.contains(&"Albuquerque")
                        && n.contains(&"Memphis-Shelby County"),
                    format!("{}: {}", n.len(), list(&n)),
                )
            },
        },
        Finding {
            id: "Q4",
            statement: "The other eleven districts are weaker and consistent.",
            source: "Figure 4: the 25 districts less the 7, 1 and 6 above (\"Portfolio districts in the bottom half of the chart can all be considered 'weaker'\")",
            check: |f| {
                let n = f.names_in(Quadrant::WeakerConsistent);
                verdict(n.len() == 11, format!("{}: {}", n.len(), list(&n)))
            },
        },
        Finding {
            id: "Q5",
            statement: "TN ASD, Lawrence, Oakland and Indianapolis are consistent (spread below the cut).",
            source: "Figure 4: \"on the left side of the figure (e.g., TN ASD, Lawrence, Oakland, Indianapolis)\"",
            check: |f| {
                let mut ok = true;
                for d in ["TN ASD", "Lawrence", "Oakland", "Indianapolis"] {
                    ok &= !f.piecemeal(d)?;
                }
                verdict(ok, format!("spread cut {:.3}", f.summary.x_cut))
            },
        },
        Finding {
            id: "Q6",
            statement: "Spokane, Albuquerque and Memphis-Shelby County are piecemeal (spread at or above the cut).",
            source: "Figure 4: \"toward the right (e.g., Spokane, Albuquerque, Memphis-Shelby County)\"",
            check: |f| {
                let mut ok = true;
                for d in ["Spokane", "Albuquerque", "Memphis-Shelby County"] {
                    ok &= f.piecemeal(d)?;
                }
                verdict(ok, format!("spread cut {:.3}", f.summary.x_cut))
            },
        },
        Finding {
            id: "Q7",
            statement: "Sacramento, Chicago, Nashville, Detroit, Tulsa and Indianapolis are weaker and consistent.",
            source: "Figure 4: \"Those in the bottom left ... (e.g., Sacramento and Chicago), ... (e.g., Nashville and Detroit), ... (Tulsa and Indianapolis)\"",
            check: |f| {
                let mut ok = true;
                for d in [
                    "Sacramento",
                    "Chicago",
                    "Nashville",
                    "Detroit",
                    "Tulsa",
                    "Indianapolis",
                ] {
                    ok &= f.quadrant(d)? == Some(Quadrant::WeakerConsistent);
                }
                verdict(ok, String::new())
            },
        },
        Finding {
            id: "Q8",
            statement: "Spring Branch is strong on principal pipelines (4.2 at 4 or more) and choice (Choice banded 4 or more), and weak on per-pupil funding and school-level funds (3.1 and 3.2 at 2 or less).",
            source: "Figure 4: \"Spring Branch has excelled in developing diverse and strong principal pipelines, and it has expanded school choice ... it does not fund schools on a per-pupil basis or send a high proportion of district funds to the school level\"",
            check: |f| {
                let (e42, e31, e32) = (
                    f.value("Spring Branch", "4.2")?,
                    f.value("Spring Branch", "3.1")?,
                    f.value("Spring Branch", "3.2")?,
                );
                let choice = f.band("Spring Branch", "Choice")?;
                verdict(
                    e42 >= 4.0 && e31 <= 2.0 && e32 <= 2.0 && choice >= 4.0,
                    format!("4.2 {e42:.2}, 3.1 {e31:.2}, 3.2 {e32:.2}, Choice band {choice}"),
                )
            },
        },
        Finding {
            id: "P1",
            statement: "Indianapolis, Oakland and Lawrence made the three largest recent gains.",
            source: "Figure 5: \"Districts with a low average score over time coupled with recent advances in implementation score quite high (Indianapolis, Oakland, Lawrence)\"",
            check: |f| {
                let top: Vec<&str> = f.by_progress().into_iter().take(3).collect();
                let mut sorted = top.clone();
                sorted.sort_unstable();
                verdict(
                    sorted == ["Indianapolis", "Lawrence", "Oakland"],
                    format!("top three: {}", list(&top)),
                )
            },
        },
        Finding {
            id: "P2",
            statement: "NOLA RSD and Denver show less recent progress than Indianapolis, Oakland and Lawrence.",
            source: "Figure 5: \"while districts with higher scores over time (NOLA RSD, Denver) have a much harder time demonstrating recent relative gains\"",
            check: |f| {
                let floor = ["Indianapolis", "Oakland", "Lawrence"]
                    .iter()
                    .map(|d| f.progress(d))
                    .collect::<std::result::Result<Vec<f64>, String>>()?
                    .into_iter()
                    .fold(f64::INFINITY, f64::min);
                let (nola, denver) = (f.progress("NOLA RSD")?, f.progress("Denver")?);
                verdict(
                    nola < floor && denver < floor,
                    format!(
                        "NOLA RSD {nola:+.2}, Denver {denver:+.2}, the three above {floor:+.2} or more"
                    ),
                )
            },
        },
        Finding {
            id: "P3",
            statement: "Sacramento, Detroit, Albuquerque, Baltimore and New York City are in the lower half on recent progress (below the median).",
            source: "Figure 5: \"Some of the districts in the bottom half of the chart represent efforts that have stalled ... (Sacramento), ... (Detroit), ... (Albuquerque)\"; \"Baltimore ... looks much worse in the analysis of recent progress\"; \"New York City's reforms have stalled for similar reasons\"",
            check: |f| {
                let m = f.progress_median();
                let mut ok = true;
                let mut detail = format!("median {m:+.2}: ");
                for d in [
                    "Sacramento",
                    "Detroit",
                    "Albuquerque",
                    "Baltimore",
                    "New York City",
                ] {
                    let p = f.progress(d)?;
                    ok &= p < m;
                    let _ = write!(detail, "{d} {p:+.2}; ");
                }
                verdict(ok, detail)
            },
        },
        Finding {
            id: "P4",
            statement: "Baltimore is in the top third by overall score.",
            source: "Figure 5: \"Baltimore, a highly ranked district in terms of overall portfolio implementation\"",
            check: |f| {
                let order = f.by_score();
                let pos = order
                    .iter()
                    .position(|d| *d == "Baltimore")
                    .ok_or("no district \"Baltimore\" in the panel")?;
                verdict(
                    3 * (pos + 1) <= order.len() + 2,
                    format!("rank {} of {}", pos + 1, order.len()),
                )
            },
        },
        Finding {
            id: "C1",
            statement: "Accountability, Talent and Choice are the three most implemented components, in that order (the order of the figure's title).",
            source: "Figure 6: \"Accountability, Talent, and Choice Are Implemented Most Often\" (the text also lists them as \"Accountability, Choice, and Talent\")",
            check: |f| {
                let top: Vec<&str> = f
                    .components
                    .entries
                    .iter()
                    .take(3)
                    .map(|e| e.name.as_str())
                    .collect();
                verdict(
                    top == ["Accountability", "Talent", "Choice"],
                    format!("top three: {}", list(&top)),
                )
            },
        },
        Finding {
            id: "C2",
            statement: "Engagement is the fourth most implemented component.",
            source: "Figure 6: \"But Engagement also leans toward more robust implementation.\"",
            check: |f| {
                let fourth = f.components.entries.get(3).map_or("", |e| e.name.as_str());
                verdict(fourth == "Engagement", format!("fourth: {fourth}"))
            },
        },
        Finding {
            id: "C3",
            statement: "Autonomy, Funding and Support are the three least implemented components.",
            source: "Sticking points: \"Districts ... are less likely to implement the Autonomy, Funding, and Support components\"",
            check: |f| {
                let mut low: Vec<&str> = f
                    .components
                    .lowest(3)
                    .iter()
                    .map(|e| e.name.as_str())
                    .collect();
                low.sort_unstable();
                verdict(
                    low == ["Autonomy", "Funding", "Support"],
                    format!("lowest three: {}", list(&low)),
                )
            },
        },
        Finding {
            id: "E1",
            statement: "Element 4.6 (more students taught by strong teachers and leaders) is the lowest Talent element and among the five lowest elements.",
            source: "Other sticking points: \"element 4.1 [Appendix 1 numbers it 4.6], innovative ways to increase the numbers of students taught by strong teachers and leaders, which is rarely implemented under Talent\"",
            check: |f| {
                let lowest5: Vec<&str> =
                    f.elements.lowest(5).iter().map(|e| e.id.as_str()).collect();
                let talent_lowest = f
                    .elements
                    .entries
                    .iter()
                    .rev()
                    .find(|e| e.component == "Talent")
                    .map_or("", |e| e.id.as_str());
                verdict(
                    lowest5.contains(&"4.6") && talent_lowest == "4.6",
                    format!(
                        "five lowest: {}; lowest Talent: {talent_lowest}",
                        list(&lowest5)
                    ),
                )
            },
        },
        Finding {
            id: "E2",
            statement: "TN ASD and NOLA RSD share the highest score on element 2.3 (schools control compensation).",
            source: "Sticking points, Autonomy: \"Tennessee's Achievement School District and Louisiana's Recovery School District share the highest scores for this element\"",
            check: |f| {
                let j = f.element("2.3")?;
                let (tn, nola) = (f.value("TN ASD", "2.3")?, f.value("NOLA RSD", "2.3")?);
                let max = f
                    .basis
                    .column(j)
                    .iter()
                    .copied()
                    .filter(|v| !v.is_nan())
                    .fold(f64::NEG_INFINITY, f64::max);
                verdict(
                    tn == nola && tn == max,
                    format!("TN ASD {tn:.2}, NOLA RSD {nola:.2}, highest {max:.2}"),
                )
            },
        },
        Finding {
            id: "E3",
            statement: "Albuquerque is at 1 on element 3.3 (common prices) and on 5.2 (procurement).",
            source: "Sticking points: \"Some cities—Albuquerque Public Schools is a good example—have not yet tackled this issue\"; \"At Albuquerque Public Schools in New Mexico, all purchasing is currently done through the district\"",
            check: |f| {
                let (a, b) = (
                    f.value("Albuquerque", "3.3")?,
                    f.value("Albuquerque", "5.2")?,
                );
                verdict(a == 1.0 && b == 1.0, format!("3.3 {a:.2}, 5.2 {b:.2}"))
            },
        },
        Finding {
            id: "E4",
            statement: "On element 3.3 (common prices) Lawrence rates highest of all, at 4 or more; Cleveland and Oakland rate above Spokane, which rates above Albuquerque.",
            source: "Sticking points, Funding: \"Spokane ... planning phase\"; \"Cleveland ... and Oakland ... have set common prices for facilities but have not priced out district-provided services\"; \"Lawrence Public Schools has gone further\"",
            check: |f| {
                let j = f.element("3.3")?;
                let lawrence = f.value("Lawrence", "3.3")?;
                let max = f
                    .basis
                    .column(j)
                    .iter()
                    .copied()
                    .filter(|v| !v.is_nan())
                    .fold(f64::NEG_INFINITY, f64::max);
                let (cle, oak, spo, alb) = (
                    f.value("Cleveland", "3.3")?,
                    f.value("Oakland", "3.3")?,
                    f.value("Spokane", "3.3")?,
                    f.value("Albuquerque", "3.3")?,
                );
                verdict(
                    lawrence >= 4.0
                        && lawrence == max
                        && cle.min(oak) > spo
                        && spo > alb
                        && cle.max(oak) < lawrence,
                    format!(
                        "Lawrence {lawrence:.2}, Cleveland {cle:.2}, Oakland {oak:.2}, Spokane {spo:.2}, Albuquerque {alb:.2}"
                    ),
                )
            },
        },
        Finding {
            id: "E5",
            statement: "Denver, Lawrence, NOLA RSD and TN ASD rate above the median of the districts on element 5.3 (engaging independent providers).",
            source: "Sticking points, Support: \"we do see some districts moving in a positive direction: Denver ..., Lawrence ..., New Orleans RSD ..., Tennessee ASD\"",
            check: |f| {
                let j = f.element("5.3")?;
                let m = crate::summary::median(
                    f.basis
                        .column(j)
                        .iter()
                        .copied()
                        .filter(|v| !v.is_nan())
                        .collect(),
                );
                let mut ok = true;
                let mut detail = format!("median {m:.2}: ");
                for d in ["Denver", "Lawrence", "NOLA RSD", "TN ASD"] {
                    let v = f.value(d, "5.3")?;
                    ok &= v > m;
                    let _ = write!(detail, "{d} {v:.2}; ");
                }
                verdict(ok, detail)
            },
        },
        Finding {
            id: "E6",
            statement: "Baltimore rates higher on element 5.2 (procurement lets schools use vendors) than on 5.3 (engaging independent providers).",
            source: "Sticking points, Support: \"In some districts, such as Baltimore City Public Schools, principals have the autonomy to purchase services, and the district has set up a relatively effective procurement process. The problem is that schools don't have an easy 'market' to shop in.\"",
            check: |f| {
                let (a, b) = (f.value("Baltimore", "5.2")?, f.value("Baltimore", "5.3")?);
                verdict(a > b, format!("5.2 {a:.2}, 5.3 {b:.2}"))
            },
        },
    ]
}

/// The rubric the findings are about: the report's components and element
/// ids are those of `crpe-2016`.
pub const FINDINGS_RUBRIC: &str = "crpe-2016";

/// Check every finding on a panel under the library's default options.
///
/// # Errors
/// [`Error::InvalidParameter`] for a panel on another rubric than
/// [`FINDINGS_RUBRIC`] (the findings name its components and elements);
/// then the errors of [`Panel::summarize`] and [`Panel::rank_components`]
/// (none for a valid panel).
///
/// # Examples
/// ```
/// use portfolio_snapshot::{datasets, findings};
/// let results = findings::report_findings(&datasets::demo_panel()?)?;
/// assert!(results.iter().all(|r| r.holds)); // the synthetic demo reproduces them
/// # Ok::<(), portfolio_snapshot::Error>(())
/// ```
pub fn report_findings(panel: &Panel) -> Result<Vec<FindingResult>> {
    if panel.rubric().id() != FINDINGS_RUBRIC {
        return Err(Error::InvalidParameter {
            name: "panel",
            value: format!("rubric {:?}", panel.rubric().id()),
            reason: format!(
                "the report's findings are about the components and elements of {FINDINGS_RUBRIC}"
            ),
        });
    }
    let opts = SummaryOptions::default();
    let facts = Facts {
        panel,
        summary: panel.summarize(&opts)?,
        components: panel.rank_components(&opts)?,
        elements: panel.rank_elements(Basis::Average),
        basis: panel.basis_ratings(Basis::Average),
    };
    Ok(all()
        .into_iter()
        .map(|finding| {
            let (holds, detail) = match (finding.check)(&facts) {
                Ok(d) => (true, d),
                Err(d) => (false, d),
            };
            FindingResult {
                finding,
                holds,
                detail,
            }
        })
        .collect())
}
