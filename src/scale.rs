//! The rating scale: ordered levels, which ratings it allows, and the exact
//! banding of scores to levels.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use crate::exact::{self, Approx, Exact};

/// One level of a [`Scale`]: a value, an optional label and a colour.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    /// The rating this level stands for (1 to 5 in the CRPE rubrics).
    pub value: f64,
    /// The published label, if any. CRPE published labels for levels 1, 4
    /// and 5 only; the others stay `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Colour as `#rrggbb`.
    pub color: String,
    /// The colour's name as the source gives it ("red", "dark green").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color_name: Option<String>,
}

impl Level {
    /// The level as a person reads it: its value and, when it has one, its
    /// label: `4 ("In progress")`, or `3`.
    #[must_use]
    pub fn describe(&self) -> String {
        match &self.label {
            Some(l) => format!("{} (\u{201c}{l}\u{201d})", self.value),
            None => crate::error::num(self.value),
        }
    }
}

/// One level as a rubric file gives it: a value alone (`3`), or a table
/// with the value and, optionally, a label, a colour (`#rrggbb`; else from
/// the scale's colormap) and the colour's name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LevelSpec {
    /// The rating this level stands for.
    pub value: f64,
    /// The published label, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Colour as `#rrggbb`; `None` takes one from the colormap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    /// The colour's name as the source gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color_name: Option<String>,
}

/// A level written as a table: every field named, none unknown.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LevelTable {
    value: f64,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    color: Option<String>,
    #[serde(default)]
    color_name: Option<String>,
}

impl<'de> Deserialize<'de> for LevelSpec {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct LevelVisitor;
        impl<'de> serde::de::Visitor<'de> for LevelVisitor {
            type Value = LevelSpec;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a level: a number, or a table with value and optionally label, color, color_name")
            }
            fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<LevelSpec, E> {
                Ok(LevelSpec {
                    value,
                    label: None,
                    color: None,
                    color_name: None,
                })
            }
            #[allow(clippy::cast_precision_loss)] // level values are small
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<LevelSpec, E> {
                self.visit_f64(v as f64)
            }
            #[allow(clippy::cast_precision_loss)] // level values are small
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<LevelSpec, E> {
                self.visit_f64(v as f64)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<LevelSpec, A::Error> {
                let t = LevelTable::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(LevelSpec {
                    value: t.value,
                    label: t.label,
                    color: t.color,
                    color_name: t.color_name,
                })
            }
        }
        d.deserialize_any(LevelVisitor)
    }
}

/// The scale as a rubric file gives it: a list of levels (`[1, 2, 3, 4]`),
/// or a table with the levels and a colormap for the levels without a
/// colour (default `RdYlGn`, red to green; see [`colormap_colors`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScaleSpec {
    /// The levels, lowest first.
    pub levels: Vec<LevelSpec>,
    /// The colormap for levels without a colour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub colormap: Option<String>,
}

/// A scale written as a table: levels and a colormap, nothing else.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScaleTable {
    levels: Vec<LevelSpec>,
    #[serde(default)]
    colormap: Option<String>,
}

impl<'de> Deserialize<'de> for ScaleSpec {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ScaleVisitor;
        impl<'de> serde::de::Visitor<'de> for ScaleVisitor {
            type Value = ScaleSpec;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "a scale: a list of levels, or a table with levels and optionally colormap",
                )
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                seq: A,
            ) -> Result<ScaleSpec, A::Error> {
                let levels = Vec::<LevelSpec>::deserialize(
                    serde::de::value::SeqAccessDeserializer::new(seq),
                )?;
                Ok(ScaleSpec {
                    levels,
                    colormap: None,
                })
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<ScaleSpec, A::Error> {
                let t = ScaleTable::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(ScaleSpec {
                    levels: t.levels,
                    colormap: t.colormap,
                })
            }
        }
        d.deserialize_any(ScaleVisitor)
    }
}

/// The colormap a scale without colours takes by default: red to green,
/// as CRPE's.
pub const DEFAULT_COLORMAP: &str = "RdYlGn";

/// The colormaps a rubric file may name (`ColorBrewer` and matplotlib's
/// perceptual maps, through the `colorgrad` crate).
pub const COLORMAPS: [&str; 14] = [
    "RdYlGn", "RdYlBu", "Spectral", "RdBu", "viridis", "plasma", "magma", "inferno", "cividis",
    "Blues", "Greens", "Greys", "Oranges", "Reds",
];

/// `n` colours (`#rrggbb`) from a named colormap, evenly spaced over its
/// middle 80% (its darkest ends make poor fills).
///
/// # Errors
/// The names of the colormaps there are, for a name that is not one.
pub fn colormap_colors(name: &str, n: usize) -> std::result::Result<Vec<String>, String> {
    use colorgrad::Gradient;
    let gradient: Box<dyn Gradient> = match name.to_ascii_lowercase().as_str() {
        "rdylgn" => Box::new(colorgrad::preset::rd_yl_gn()),
        "rdylbu" => Box::new(colorgrad::preset::rd_yl_bu()),
        "spectral" => Box::new(colorgrad::preset::spectral()),
        "rdbu" => Box::new(colorgrad::preset::rd_bu()),
        "viridis" => Box::new(colorgrad::preset::viridis()),
        "plasma" => Box::new(colorgrad::preset::plasma()),
        "magma" => Box::new(colorgrad::preset::magma()),
        "inferno" => Box::new(colorgrad::preset::inferno()),
        "cividis" => Box::new(colorgrad::preset::cividis()),
        "blues" => Box::new(colorgrad::preset::blues()),
        "greens" => Box::new(colorgrad::preset::greens()),
        "greys" => Box::new(colorgrad::preset::greys()),
        "oranges" => Box::new(colorgrad::preset::oranges()),
        "reds" => Box::new(colorgrad::preset::reds()),
        _ => {
            return Err(format!(
                "unknown colormap {name:?} (colormaps: {})",
                COLORMAPS.join(", ")
            ));
        }
    };
    Ok((0..n)
        .map(|i| {
            #[allow(clippy::cast_precision_loss)] // level counts are small
            let position = if n < 2 {
                0.5
            } else {
                0.1 + 0.8 * i as f32 / (n - 1) as f32
            };
            let [red, green, blue, _] = gradient.at(position).to_rgba8();
            format!("#{red:02x}{green:02x}{blue:02x}")
        })
        .collect())
}

/// Ordered levels that ratings are given on.
///
/// # Examples
/// ```
/// use portfolio_snapshot::Rubric;
/// let scale = Rubric::crpe_2016().scale().clone();
/// assert_eq!((scale.min(), scale.max(), scale.midpoint()), (1.0, 5.0, 3.0));
/// // nearest level, halfway points go up (decided exactly)
/// assert_eq!(scale.band_value(3.49), Some(3.0));
/// assert_eq!(scale.band_value(3.5), Some(4.0));
/// assert_eq!(scale.band_value(f64::NAN), None);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scale {
    /// The levels, lowest first (validated strictly increasing).
    pub levels: Vec<Level>,
}

/// Which ratings a panel accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
#[non_exhaustive]
pub enum AllowedRatings {
    /// Only the level values (1, 2, 3, 4, 5 for CRPE). The default.
    #[default]
    Levels,
    /// The level values and the points halfway between neighbouring levels
    /// (1, 1.5, 2, ..., 5 for CRPE).
    HalfSteps,
    /// Any value from the lowest level to the highest: ratings that are
    /// means (a consensus of several raters by their mean).
    WithinScale,
}

impl Scale {
    /// The lowest level's value.
    #[must_use]
    pub fn min(&self) -> f64 {
        self.levels[0].value
    }

    /// The highest level's value.
    #[must_use]
    pub fn max(&self) -> f64 {
        self.levels[self.levels.len() - 1].value
    }

    /// Halfway between the lowest and highest level, `(min + max) / 2`
    /// (3.0 for CRPE): the default cut between "strong" and "weaker".
    #[must_use]
    pub fn midpoint(&self) -> f64 {
        match (exact::decimal(self.min()), exact::decimal(self.max())) {
            (Some(a), Some(b)) => exact::nearest(&((a + b) / Exact::from_integer(2.into()))),
            _ => 0.5 * (self.min() + self.max()),
        }
    }

    /// The level values, lowest first.
    #[must_use]
    pub fn values(&self) -> Vec<f64> {
        self.levels.iter().map(|l| l.value).collect()
    }

    /// The level whose value is `value`, if any.
    #[must_use]
    pub fn level(&self, value: f64) -> Option<&Level> {
        self.levels.iter().find(|l| l.value == value)
    }

    /// Index of the level nearest to `score`; a score exactly halfway
    /// between two levels goes to the upper one. `score` is read as the
    /// decimal it prints as, and "exactly halfway" is decided exactly.
    /// `None` for NaN or an infinity.
    ///
    /// ```text
    /// band(x) = first i with x < (level[i] + level[i+1]) / 2, else the last level
    /// ```
    #[must_use]
    pub fn band(&self, score: f64) -> Option<usize> {
        let x = exact::decimal(score)?;
        Some(Bands::new(self, AllowedRatings::Levels).band_of_exact(&x))
    }

    /// The value of the level nearest to `score` (see [`Scale::band`]).
    #[must_use]
    pub fn band_value(&self, score: f64) -> Option<f64> {
        self.band(score).map(|i| self.levels[i].value)
    }

    /// Whether `value` is an allowed rating. NaN ("not rated") is not a
    /// rating and is not allowed here; callers treat it separately.
    #[must_use]
    pub fn allows(&self, value: f64, allowed: AllowedRatings) -> bool {
        match allowed {
            AllowedRatings::WithinScale => value >= self.min() && value <= self.max(),
            _ => self.allowed_values(allowed).contains(&value),
        }
    }

    /// The allowed ratings, lowest first: the level values, and under
    /// [`AllowedRatings::HalfSteps`] the floats nearest to the exact points
    /// halfway between neighbouring levels (under
    /// [`AllowedRatings::WithinScale`], the level values: any value between
    /// them is allowed too).
    #[must_use]
    pub fn allowed_values(&self, allowed: AllowedRatings) -> Vec<f64> {
        let mut values = self.values();
        if allowed == AllowedRatings::HalfSteps {
            for w in self.levels.windows(2) {
                values.push(half_way(w[0].value, w[1].value).0);
            }
            values.sort_by(f64::total_cmp);
        }
        values
    }

    /// The allowed ratings, as text for error messages.
    #[must_use]
    pub fn describe_allowed(&self, allowed: AllowedRatings) -> String {
        if allowed == AllowedRatings::WithinScale {
            return format!(
                "any value from {} to {}",
                crate::error::num(self.min()),
                crate::error::num(self.max())
            );
        }
        self.allowed_values(allowed)
            .iter()
            .map(|v| crate::error::num(*v))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// `R`, a bound on every rating's magnitude and on every distance
    /// between ratings: `max(|min|, |max|, max - min)`.
    pub(crate) fn magnitude(&self) -> f64 {
        self.min()
            .abs()
            .max(self.max().abs())
            .max(self.max() - self.min())
    }
}

/// The float nearest to the exact midpoint of two decimals, and that midpoint.
fn half_way(low: f64, high: f64) -> (f64, Option<Exact>) {
    match (exact::decimal(low), exact::decimal(high)) {
        (Some(lo), Some(hi)) => {
            let mid = (lo + hi) / Exact::from_integer(2.into());
            (exact::nearest(&mid), Some(mid))
        }
        _ => (0.5 * (low + high), None),
    }
}

/// Banding of scores to levels with exact boundaries, and the exact values
/// of the allowed ratings; built once per analysis.
#[derive(Debug, Clone)]
pub(crate) struct Bands {
    levels: Vec<f64>,
    mids: Vec<Approx>,
    mids_exact: Vec<Exact>,
    /// Allowed ratings and their exact (decimal) values.
    allowed: Vec<(f64, Exact)>,
    /// `Q`: every allowed rating is a multiple of `1 / Q`.
    step_den: Option<u128>,
    magnitude: f64,
}

/// The band boundaries for scores within `err` of their exact values, as
/// plain floats: per midpoint, the interval (twice the tolerance of
/// [`Bands::band`], so never narrower) inside which floats cannot decide.
#[derive(Debug, Clone, Default)]
pub(crate) struct ClearCuts {
    /// `(midpoint, low, high)`.
    cuts: Vec<(f64, f64, f64)>,
}

impl ClearCuts {
    /// The band of `value` when floats decide it (no midpoint near), with
    /// no branch on the value; `None` sends it to [`Bands::band`].
    #[inline]
    pub(crate) fn band(&self, value: f64) -> Option<usize> {
        clear_band(&self.cuts, value)
    }

    /// `(midpoint, low, high)` per midpoint.
    pub(crate) fn cuts(&self) -> &[(f64, f64, f64)] {
        &self.cuts
    }
}

/// [`ClearCuts::band`] on its `(midpoint, low, high)` triples (also the
/// scalar path of the banding in SIMD lanes).
#[inline]
pub(crate) fn clear_band(cuts: &[(f64, f64, f64)], value: f64) -> Option<usize> {
    let mut band = 0;
    let mut near = false;
    for &(mid, low, high) in cuts {
        band += usize::from(mid <= value);
        // `&`, not `&&`: no branch to mispredict
        #[allow(clippy::needless_bitwise_bool)]
        let inside = (low <= value) & (value <= high);
        near |= inside;
    }
    (!near && !value.is_nan()).then_some(band)
}

impl Bands {
    pub(crate) fn new(scale: &Scale, allowed: AllowedRatings) -> Self {
        let allowed_kind = allowed;
        let levels = scale.values();
        let magnitude = scale.magnitude();
        let mut mids = Vec::with_capacity(levels.len().saturating_sub(1));
        let mut mids_exact = Vec::with_capacity(mids.capacity());
        for w in levels.windows(2) {
            let (f, m) = half_way(w[0], w[1]);
            let m = m.unwrap_or_else(|| exact::binary(f).unwrap_or_default());
            mids.push(Approx {
                value: f,
                err: exact::UNIT * magnitude,
                den: exact::denominator(&m),
            });
            mids_exact.push(m);
        }
        let allowed: Vec<(f64, Exact)> = scale
            .allowed_values(allowed)
            .into_iter()
            .map(|v| {
                let x = exact::decimal(v).unwrap_or_default();
                (v, x)
            })
            .collect();
        let mut step_den: Option<u128> = Some(1);
        for (_, x) in &allowed {
            step_den = match (step_den, exact::denominator(x)) {
                (Some(q), Some(d)) => {
                    let g = num_integer::gcd(q, d);
                    q.checked_mul(d / g)
                }
                _ => None,
            };
        }
        if allowed_kind == AllowedRatings::WithinScale {
            // ratings may be any decimal: no common denominator
            step_den = None;
        }
        Self {
            levels,
            mids,
            mids_exact,
            allowed,
            step_den,
            magnitude,
        }
    }

    /// The level values.
    pub(crate) fn levels(&self) -> &[f64] {
        &self.levels
    }

    /// `R` (see [`Scale::magnitude`]).
    pub(crate) fn magnitude(&self) -> f64 {
        self.magnitude
    }

    /// `Q`: every allowed rating is a multiple of `1 / Q`, when `Q` fits.
    pub(crate) fn step_den(&self) -> Option<u128> {
        self.step_den
    }

    /// The exact value of a rating (an allowed value, or any finite float
    /// read as its decimal).
    pub(crate) fn exact_rating(&self, v: f64) -> Exact {
        self.allowed
            .iter()
            .find(|(a, _)| *a == v)
            .map_or_else(|| exact::decimal(v).unwrap_or_default(), |(_, x)| x.clone())
    }

    /// The band of an exact value.
    pub(crate) fn band_of_exact(&self, x: &Exact) -> usize {
        self.mids_exact
            .iter()
            .position(|m| x < m)
            .unwrap_or(self.levels.len() - 1)
    }

    /// The boundaries for scores within `err` of their exact values (see
    /// [`ClearCuts`]).
    pub(crate) fn clear_cuts(&self, err: f64) -> ClearCuts {
        ClearCuts {
            cuts: self
                .mids
                .iter()
                .map(|m| {
                    let tol = 2.0 * ((err + m.err) * (1.0 + 1e-9) + f64::MIN_POSITIVE);
                    (m.value, m.value - tol, m.value + tol)
                })
                .collect(),
        }
    }

    /// The band of a computed score: the float decides unless it is too
    /// close to a boundary, then `exact()` does (see [`crate::exact`]).
    #[inline]
    pub(crate) fn band(&self, score: Approx, mut exact: impl FnMut() -> Exact) -> usize {
        // the common case: clearly between two midpoints (the same test
        // `exact::decide` makes first)
        // a scale's few midpoints are counted without branches (a binary
        // search's branches cost more than its comparisons saves)
        let i = if self.mids.len() <= 16 {
            self.mids
                .iter()
                .map(|m| usize::from(m.value <= score.value))
                .sum()
        } else {
            self.mids.partition_point(|m| m.value <= score.value)
        };
        let clear = |m: &Approx| {
            let tol = (score.err + m.err) * (1.0 + 1e-9) + f64::MIN_POSITIVE;
            (score.value - m.value).abs() > tol
        };
        let near_below = i > 0 && !clear(&self.mids[i - 1]);
        let near_above = i < self.mids.len() && !clear(&self.mids[i]);
        if !near_below && !near_above {
            return i;
        }
        if near_below != near_above {
            // one midpoint too close for floats (a score on a boundary,
            // such as 2.5): one exact decision settles it, a tie going up
            // as in the search below
            let m = if near_below { i - 1 } else { i };
            let side = exact::decide(score, self.mids[m], || exact().cmp(&self.mids_exact[m]));
            return if side == Ordering::Less { m } else { m + 1 };
        }
        let mut memo: Option<Exact> = None;
        let mut get = || memo.get_or_insert_with(&mut exact).clone();
        let n = self.levels.len();
        let mut i = self
            .mids
            .iter()
            .position(|m| score.value < m.value)
            .unwrap_or(n - 1);
        while i > 0
            && exact::decide(score, self.mids[i - 1], || {
                get().cmp(&self.mids_exact[i - 1])
            }) == Ordering::Less
        {
            i -= 1;
        }
        while i < n - 1
            && exact::decide(score, self.mids[i], || get().cmp(&self.mids_exact[i]))
                != Ordering::Less
        {
            i += 1;
        }
        i
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigInt;

    #[test]
    fn float_and_one_boundary_shortcuts_band_as_exact_arithmetic_does() {
        let scale = crate::Rubric::crpe_2016().scale().clone();
        for allowed in [AllowedRatings::Levels, AllowedRatings::HalfSteps] {
            let bands = Bands::new(&scale, allowed);
            let err = 1e-14;
            let clear = bands.clear_cuts(err);
            // fractions n / d around every boundary and between them: exact
            // midpoints (ties go up), a hair either side, and far away
            // every n / d from 0.5 to 5.5 for small d; around each
            // boundary (a half) for a large d, within err of it
            let small = [1i64, 2, 3, 6, 7, 60, 840]
                .into_iter()
                .flat_map(|d| ((d / 2)..=(11 * d / 2)).map(move |n| (n, d)));
            let big = 1_000_000_000_000_000i64;
            let near = (1..=10).flat_map(|h| (-3..=3).map(move |k| (h * big / 2 + k, big)));
            for (n, d) in small.chain(near) {
                {
                    let exact = Exact::new(BigInt::from(n), BigInt::from(d));
                    // the nearest float, within err of the fraction
                    #[allow(clippy::cast_precision_loss)]
                    let value = n as f64 / d as f64;
                    let want = bands.mids_exact.iter().filter(|m| **m <= exact).count();
                    let approx = Approx {
                        value,
                        err,
                        den: None,
                    };
                    assert_eq!(bands.band(approx, || exact.clone()), want, "{n}/{d}");
                    if let Some(band) = clear.band(value) {
                        assert_eq!(band, want, "{n}/{d} by floats");
                    }
                }
            }
            assert_eq!(clear.band(f64::NAN), None);
        }
    }
}
