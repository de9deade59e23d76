//! Several raters: how far they agree, and one panel from their ratings.
//!
//! Each rater's ratings are a [`Panel`] on the same rubric (read and
//! checked like any panel). A *unit* is one (district, date, element) cell;
//! the raters who rated it give its values.
//!
//! ```text
//! Krippendorff's alpha, ordinal metric (Krippendorff 2011, "Computing
//! Krippendorff's alpha-reliability"):
//!   o_ck   = sum over units u with m_u >= 2 values of
//!            (number of ordered pairs (c, k) of its values) / (m_u - 1)
//!   n_c    = sum_k o_ck ;  n = sum_c n_c
//!   d2_ck  = (sum_{g from c to k} n_g - (n_c + n_k) / 2)^2
//!   alpha  = 1 - (n - 1) * sum o_ck d2_ck / sum n_c n_k d2_ck
//! interval: percentiles 2.5 and 97.5 of alpha over bootstrap resamples of
//!           the units (with replacement), one seeded generator per draw
//! consensus: per cell, the median (default; of an even count, the mean of
//!           the middle two, which may fall halfway between levels), the
//!           mean, or one named rater's rating
//! ```

use std::collections::BTreeMap;
use std::fmt;

use ndarray::Array2;
use rand::RngExt;

use crate::control::{Control, DEFAULT_MEMORY_LIMIT, check_memory};
use crate::date::YearMonth;
use crate::error::{Error, Result};
use crate::panel::{Panel, PanelOptions, Provenance, SnapshotKey};
use crate::scale::AllowedRatings;
use crate::uncertainty::{draw_rng, quantile_linear};

/// Bootstrap draws of [`Raters::agreement`] when not told.
pub const AGREEMENT_DEFAULT_DRAWS: usize = 1000;
/// Its seed when not told.
pub const AGREEMENT_DEFAULT_SEED: u64 = 0;

/// How rated-by-many becomes one rating per cell.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Consensus {
    /// The median of the raters' ratings (the default).
    #[default]
    Median,
    /// The mean of the raters' ratings.
    Mean,
    /// One rater's ratings.
    Rater(String),
}

impl fmt::Display for Consensus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Median => f.write_str("median"),
            Self::Mean => f.write_str("mean"),
            Self::Rater(r) => write!(f, "rater {r:?}"),
        }
    }
}

/// Several raters' ratings of the same rubric.
#[derive(Debug, Clone)]
pub struct Raters {
    names: Vec<String>,
    panels: Vec<Panel>,
    /// Each cell's ratings by rater: (district, date) -> element -> values.
    cells: Cells,
}

/// Per (district, date), per element, the (rater, rating) pairs.
type Cells = BTreeMap<(String, YearMonth), Vec<Vec<(usize, f64)>>>;

/// Agreement per scope (each element, each component, all elements).
#[derive(Debug, Clone, PartialEq)]
pub struct Agreement {
    /// `"element"`, `"component"` or `"overall"`.
    pub scope: Vec<&'static str>,
    /// Element id, component id or `"overall"`.
    pub id: Vec<String>,
    /// Element text, component short name or `"all elements"`.
    pub name: Vec<String>,
    /// Krippendorff's alpha, ordinal metric (NaN: see `reason`).
    pub alpha: Vec<f64>,
    /// Bootstrap interval, 2.5th percentile.
    pub low: Vec<f64>,
    /// Bootstrap interval, 97.5th percentile.
    pub high: Vec<f64>,
    /// Units (cells) rated by two raters or more.
    pub n_units: Vec<usize>,
    /// Ratings in those units.
    pub n_values: Vec<usize>,
    /// Why an alpha is NaN.
    pub reason: Vec<Option<String>>,
    /// Bootstrap draws.
    pub draws: usize,
    /// The seed.
    pub seed: u64,
}

/// One unit's pairs: (value index c, value index k, weight), both orders.
type Pairs = Vec<(usize, usize, f64)>;

/// Krippendorff's alpha (ordinal) of `units` (each unit's value indices
/// into a sorted value domain of `n_values` values), restricted to the
/// units `pick` lists (with repetition).
fn ordinal_alpha(units: &[Pairs], pick: &[usize], n_values: usize, o: &mut [f64]) -> f64 {
    o.fill(0.0);
    for &u in pick {
        for &(c, k, w) in &units[u] {
            o[c * n_values + k] += w;
        }
    }
    let marg: Vec<f64> = (0..n_values)
        .map(|c| o[c * n_values..(c + 1) * n_values].iter().sum())
        .collect();
    let n: f64 = marg.iter().sum();
    // cumulative margins: sum_{g <= c} n_g
    let mut cum = vec![0.0; n_values + 1];
    for c in 0..n_values {
        cum[c + 1] = cum[c] + marg[c];
    }
    let (mut observed, mut expected) = (0.0, 0.0);
    for c in 0..n_values {
        for k in 0..n_values {
            let (lo, hi) = (c.min(k), c.max(k));
            let between = cum[hi + 1] - cum[lo];
            let d = between - f64::midpoint(marg[c], marg[k]);
            let d2 = d * d;
            observed += o[c * n_values + k] * d2;
            expected += marg[c] * marg[k] * d2;
        }
    }
    if expected == 0.0 || n <= 1.0 {
        return f64::NAN;
    }
    1.0 - (n - 1.0) * observed / expected
}

/// The 2.5th and 97.5th percentiles of alpha over `draws` resamples of the
/// units with replacement, draw `t` from its own generator (so the order
/// of the draws cannot change the result).
fn interval(
    units: &[Pairs],
    nv: usize,
    draws: usize,
    seed: u64,
    o: &mut [f64],
    control: &Control,
    n_scopes: usize,
) -> Result<(f64, f64)> {
    let mut alphas = Vec::with_capacity(draws);
    let mut pick = vec![0; units.len()];
    let total = (draws as u64).saturating_mul(n_scopes as u64);
    for t in 0..draws {
        if t % 64 == 0 {
            control.check("rater agreement")?;
            control.advance(64.min((draws - t) as u64), total);
        }
        let mut rng = draw_rng(seed, t as u64);
        for p in &mut pick {
            *p = rng.random_range(0..units.len());
        }
        let a = ordinal_alpha(units, &pick, nv, o);
        if !a.is_nan() {
            alphas.push(a);
        }
    }
    Ok((
        quantile_linear(&mut alphas, 0.025),
        quantile_linear(&mut alphas, 0.975),
    ))
}

impl Raters {
    /// Raters' panels, named.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming `raters` when there are fewer than
    /// two, names repeat, or the panels' rubrics differ.
    pub fn new(names: Vec<String>, panels: Vec<Panel>) -> Result<Self> {
        let bad = |value: String, reason: &str| Error::InvalidParameter {
            name: "raters",
            value,
            reason: reason.into(),
        };
        if names.len() != panels.len() || names.len() < 2 {
            return Err(bad(
                format!("{} raters", names.len()),
                "several raters are needed: at least 2, each with a name",
            ));
        }
        for (i, n) in names.iter().enumerate() {
            if names[..i].contains(n) {
                return Err(bad(format!("{n:?}"), "each rater's name must be unique"));
            }
        }
        let rubric = panels[0].rubric();
        for (n, p) in names.iter().zip(&panels).skip(1) {
            if p.rubric().to_spec() != rubric.to_spec() {
                return Err(bad(
                    format!("{n:?}"),
                    &format!(
                        "rated on rubric {:?}, the first rater on {:?}: every rater must use the same rubric",
                        p.rubric().id(),
                        rubric.id()
                    ),
                ));
            }
        }
        let n_el = rubric.n_elements();
        let mut cells = Cells::new();
        for (ri, p) in panels.iter().enumerate() {
            let ratings = p.ratings();
            for r in 0..p.n_snapshots() {
                let key = (p.row_district(r).to_owned(), p.dates()[r]);
                let cell = cells.entry(key).or_insert_with(|| vec![Vec::new(); n_el]);
                for (j, values) in cell.iter_mut().enumerate() {
                    let v = ratings[[r, j]];
                    if !v.is_nan() {
                        values.push((ri, v));
                    }
                }
            }
        }
        Ok(Self {
            names,
            panels,
            cells,
        })
    }

    /// Whether any rater's ratings are synthetic.
    #[must_use]
    pub fn synthetic(&self) -> bool {
        self.panels.iter().any(|p| p.provenance().synthetic)
    }

    /// The raters' names.
    #[must_use]
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Krippendorff's alpha (ordinal) per element, per component and over
    /// all elements, with bootstrap intervals from `draws` resamples of the
    /// units (`draws` 0: no interval), seeded by `seed`.
    ///
    /// # Errors
    /// [`Error::TooLarge`] when the draws' alphas would take more than
    /// [`crate::DEFAULT_MEMORY_LIMIT`] (checked before anything is
    /// allocated).
    pub fn agreement(&self, draws: usize, seed: u64) -> Result<Agreement> {
        self.agreement_with(draws, seed, &Control::new())
    }

    /// [`Raters::agreement`] under a [`Control`] (cancellation, progress in
    /// draws over all scopes).
    ///
    /// # Errors
    /// As [`Raters::agreement`], and [`Error::Cancelled`].
    pub fn agreement_with(&self, draws: usize, seed: u64, control: &Control) -> Result<Agreement> {
        check_memory(
            "bootstrap draws of the agreement",
            draws as u128,
            8,
            DEFAULT_MEMORY_LIMIT,
            "ask for fewer draws",
        )?;
        control.reset_progress();
        let rubric = self.panels[0].rubric();
        // the value domain: every rating given
        let mut domain: Vec<f64> = self
            .cells
            .values()
            .flat_map(|c| c.iter().flat_map(|v| v.iter().map(|&(_, x)| x)))
            .collect();
        domain.sort_by(f64::total_cmp);
        domain.dedup();
        let nv = domain.len().max(1);
        let by_element = self.units_by_element(&domain);
        let mut out = Agreement {
            scope: Vec::new(),
            id: Vec::new(),
            name: Vec::new(),
            alpha: Vec::new(),
            low: Vec::new(),
            high: Vec::new(),
            n_units: Vec::new(),
            n_values: Vec::new(),
            reason: Vec::new(),
            draws,
            seed,
        };
        let mut scopes: Vec<(&'static str, String, String, Vec<usize>)> = Vec::new();
        for comp in rubric.components() {
            for (j, e) in comp.columns().zip(comp.elements()) {
                scopes.push(("element", e.id.clone(), e.text.clone(), vec![j]));
            }
        }
        for comp in rubric.components() {
            scopes.push((
                "component",
                comp.id().to_owned(),
                comp.short_name().to_owned(),
                comp.columns().collect(),
            ));
        }
        scopes.push((
            "overall",
            "overall".into(),
            "all elements".into(),
            (0..rubric.n_elements()).collect(),
        ));
        let mut o = vec![0.0; nv * nv];
        let n_scopes = scopes.len();
        for (s, (scope, id, name, columns)) in scopes.into_iter().enumerate() {
            let units: Vec<Pairs> = columns
                .iter()
                .flat_map(|&j| by_element[j].iter().map(|(p, _)| p.clone()))
                .collect();
            let n_values: usize = columns
                .iter()
                .flat_map(|&j| by_element[j].iter().map(|(_, m)| m))
                .sum();
            let all: Vec<usize> = (0..units.len()).collect();
            let alpha = ordinal_alpha(&units, &all, nv, &mut o);
            let (low, high) = if draws == 0 || units.is_empty() || alpha.is_nan() {
                (f64::NAN, f64::NAN)
            } else {
                let scope_seed = seed ^ (s as u64).wrapping_mul(0xD6E8_FEB8_6659_FD93);
                interval(&units, nv, draws, scope_seed, &mut o, control, n_scopes)?
            };
            let reason = if units.is_empty() {
                Some("no cell is rated by two raters or more".to_owned())
            } else if alpha.is_nan() {
                Some("every rating is the same value: agreement is undefined".to_owned())
            } else {
                None
            };
            out.scope.push(scope);
            out.id.push(id);
            out.name.push(name);
            out.alpha.push(alpha);
            out.low.push(low);
            out.high.push(high);
            out.n_units.push(units.len());
            out.n_values.push(n_values);
            out.reason.push(reason);
        }
        Ok(out)
    }

    /// Per element, its units (cells rated by two raters or more): each
    /// unit's pairs of value indices into `domain`, and its ratings count.
    fn units_by_element(&self, domain: &[f64]) -> Vec<Vec<(Pairs, usize)>> {
        let index = |x: f64| domain.iter().position(|&d| d == x).unwrap_or(0);
        let n_el = self.panels[0].rubric().n_elements();
        let mut by_element: Vec<Vec<(Pairs, usize)>> = vec![Vec::new(); n_el];
        for cell in self.cells.values() {
            for (j, values) in cell.iter().enumerate() {
                let m = values.len();
                if m < 2 {
                    continue;
                }
                #[allow(clippy::cast_precision_loss)]
                let w = 1.0 / (m as f64 - 1.0);
                let mut pairs = Vec::with_capacity(m * (m - 1));
                for (a, &(_, x)) in values.iter().enumerate() {
                    for (b, &(_, y)) in values.iter().enumerate() {
                        if a != b {
                            pairs.push((index(x), index(y), w));
                        }
                    }
                }
                by_element[j].push((pairs, m));
            }
        }
        by_element
    }

    /// One panel from the raters' ratings under `rule`; the panel's
    /// provenance names the rule and the raters.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming `consensus` for a rater that is
    /// not one of them; a median or mean that is not an allowed rating
    /// (a mean of 2 and 3 and 3 is 2.67) makes the panel accept any value
    /// within the scale for consensus ratings.
    pub fn consensus(&self, rule: &Consensus) -> Result<Panel> {
        let rubric = self.panels[0].rubric_arc().clone();
        let n_el = rubric.n_elements();
        let only = match rule {
            Consensus::Rater(name) => {
                Some(self.names.iter().position(|n| n == name).ok_or_else(|| {
                    Error::InvalidParameter {
                        name: "by",
                        value: format!("{name:?}"),
                        reason: format!("not one of the raters ({})", self.names.join(", ")),
                    }
                })?)
            }
            _ => None,
        };
        // one rater's panel has that rater's snapshots only
        let cells: Vec<_> = self
            .cells
            .iter()
            .filter(|(_, cell)| {
                only.is_none_or(|i| cell.iter().any(|v| v.iter().any(|(ri, _)| *ri == i)))
            })
            .collect();
        let mut keys = Vec::with_capacity(cells.len());
        let mut ratings = Array2::from_elem((cells.len(), n_el), f64::NAN);
        for (r, ((district, date), cell)) in cells.into_iter().enumerate() {
            keys.push(SnapshotKey::new(district.clone(), *date));
            for (j, values) in cell.iter().enumerate() {
                let mut xs: Vec<f64> = match only {
                    Some(i) => values
                        .iter()
                        .filter(|(ri, _)| *ri == i)
                        .map(|&(_, x)| x)
                        .collect(),
                    None => values.iter().map(|&(_, x)| x).collect(),
                };
                if xs.is_empty() {
                    continue;
                }
                ratings[[r, j]] = match rule {
                    Consensus::Mean => {
                        #[allow(clippy::cast_precision_loss)]
                        let n = xs.len() as f64;
                        xs.iter().sum::<f64>() / n
                    }
                    _ => quantile_linear(&mut xs, 0.5),
                };
            }
        }
        let on_levels = |allowed| {
            ratings
                .iter()
                .all(|&v| v.is_nan() || rubric.scale().allows(v, allowed))
        };
        let allowed = if on_levels(AllowedRatings::Levels) {
            AllowedRatings::Levels
        } else if on_levels(AllowedRatings::HalfSteps) {
            AllowedRatings::HalfSteps
        } else {
            AllowedRatings::WithinScale
        };
        let options = PanelOptions {
            allowed,
            ..self.panels[0].options()
        };
        let label = format!(
            "consensus ({rule}) of {} raters: {}",
            self.names.len(),
            self.names.join(", ")
        );
        let first = self.panels[0].provenance();
        Ok(
            Panel::from_matrix_with(rubric, keys, ratings, options)?.with_provenance(Provenance {
                label: Some(label.clone()),
                synthetic: self.panels.iter().any(|p| p.provenance().synthetic),
                columns: first.columns.clone(),
                consensus: Some(label),
            }),
        )
    }
}
