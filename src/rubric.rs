//! The rubric: a scale and ordered components, each with ordered elements.
//!
//! A [`Rubric`] is built once from a [`RubricSpec`] (plain data that
//! serde reads from JSON or TOML) and validated by [`Rubric::new`]; after that
//! every other type trusts it. Two rubrics are built in, loaded from the
//! crate's `data/` folder at build time: [`Rubric::crpe_2016`] (the default)
//! and [`Rubric::crpe_2012`].

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::Path;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

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

/// Ordered levels that ratings are given on.
///
/// # Examples
/// ```
/// use portfolio_snapshot::Rubric;
/// let scale = Rubric::crpe_2016().scale().clone();
/// assert_eq!((scale.min(), scale.max(), scale.midpoint()), (1.0, 5.0, 3.0));
/// // nearest level, halfway points go up
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum AllowedRatings {
    /// Only the level values (1, 2, 3, 4, 5 for CRPE). The default.
    #[default]
    Levels,
    /// The level values and the points halfway between neighbouring levels
    /// (1, 1.5, 2, ..., 5 for CRPE).
    HalfSteps,
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

    /// Halfway between the lowest and highest level: `(min + max) / 2`
    /// (3.0 for CRPE), the default cut between "strong" and "weaker".
    #[must_use]
    pub fn midpoint(&self) -> f64 {
        0.5 * (self.min() + self.max())
    }

    /// Index of the level nearest to `score`; a score exactly halfway between
    /// two levels goes to the upper one. `None` for NaN.
    ///
    /// ```text
    /// band(x) = first i with x < (level[i] + level[i+1]) / 2, else the last level
    /// ```
    #[must_use]
    pub fn band(&self, score: f64) -> Option<usize> {
        if score.is_nan() {
            return None;
        }
        let n = self.levels.len();
        for i in 0..n - 1 {
            if score < 0.5 * (self.levels[i].value + self.levels[i + 1].value) {
                return Some(i);
            }
        }
        Some(n - 1)
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
        if self.levels.iter().any(|l| l.value == value) {
            return true;
        }
        match allowed {
            AllowedRatings::Levels => false,
            AllowedRatings::HalfSteps => self
                .levels
                .windows(2)
                .any(|w| 0.5 * (w[0].value + w[1].value) == value),
        }
    }

    /// The allowed ratings, as text for error messages.
    #[must_use]
    pub fn describe_allowed(&self, allowed: AllowedRatings) -> String {
        let mut values: Vec<f64> = self.levels.iter().map(|l| l.value).collect();
        if allowed == AllowedRatings::HalfSteps {
            values.extend(
                self.levels
                    .windows(2)
                    .map(|w| 0.5 * (w[0].value + w[1].value)),
            );
            values.sort_by(f64::total_cmp);
        }
        values
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// One element of a component: an id like `"4.6"` and its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Element {
    /// The id, unique within the rubric.
    pub id: String,
    /// The element's text, as the source prints it.
    pub text: String,
}

/// A component of the rubric, with its elements in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComponentSpec {
    /// The id, unique within the rubric (`"1"` .. `"7"` for CRPE).
    pub id: String,
    /// The full name ("Good options and choices for all families").
    pub name: String,
    /// A short name used as a column label ("Choice"); defaults to `name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_name: Option<String>,
    /// Weight of the component in the overall score; defaults to 1 (equal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    /// The elements, in order.
    pub elements: Vec<Element>,
}

/// A rubric as plain data: what JSON and TOML files hold. Turn it into a
/// [`Rubric`] with [`Rubric::new`], which validates it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RubricSpec {
    /// Identifier, e.g. `"crpe-2016"`.
    pub id: String,
    /// Version text, e.g. `"2016"`.
    #[serde(default)]
    pub version: String,
    /// Human-readable title.
    #[serde(default)]
    pub title: String,
    /// Where the rubric comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The rating scale.
    pub scale: Scale,
    /// The components, in order.
    pub components: Vec<ComponentSpec>,
}

/// A validated component: see [`ComponentSpec`] for the fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Component {
    id: String,
    name: String,
    short_name: String,
    weight: f64,
    elements: Vec<Element>,
    columns: Range<usize>,
}

impl Component {
    /// The component id.
    #[must_use]
    pub fn id(&self) -> &str {
        &self.id
    }
    /// The full name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The short name ("Choice", "Autonomy", ...).
    #[must_use]
    pub fn short_name(&self) -> &str {
        &self.short_name
    }
    /// The weight in the overall score (1 unless the rubric says otherwise).
    #[must_use]
    pub fn weight(&self) -> f64 {
        self.weight
    }
    /// The elements, in order.
    #[must_use]
    pub fn elements(&self) -> &[Element] {
        &self.elements
    }
    /// The columns of a ratings matrix that hold this component's elements.
    #[must_use]
    pub fn columns(&self) -> Range<usize> {
        self.columns.clone()
    }
}

/// A validated rubric: a scale and ordered components of ordered elements.
///
/// Columns of every ratings matrix follow the rubric's element order
/// (component 1's elements first).
///
/// # Examples
/// ```
/// use portfolio_snapshot::Rubric;
/// let r = Rubric::crpe_2016();
/// assert_eq!(r.components().len(), 7);
/// assert_eq!(r.n_elements(), 36);
/// assert_eq!(r.element_ids()[35], "7.6");
/// assert_eq!(r.components()[3].short_name(), "Talent");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Rubric {
    id: String,
    version: String,
    title: String,
    source: Option<String>,
    scale: Scale,
    components: Vec<Component>,
    element_ids: Vec<String>,
    element_index: HashMap<String, usize>,
}

const CRPE_2016_TOML: &str = include_str!("../data/crpe-2016.toml");
const CRPE_2012_TOML: &str = include_str!("../data/crpe-2012.toml");

fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Error {
    Error::InvalidRubric {
        origin: None,
        field: field.into(),
        reason: reason.into(),
    }
}

fn valid_hex_color(c: &str) -> bool {
    c.len() == 7 && c.starts_with('#') && c[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

impl Rubric {
    /// Validate a spec and build the rubric.
    ///
    /// Checks, each failing with [`Error::InvalidRubric`] naming the field: a
    /// non-empty id; at least two scale levels with finite, strictly
    /// increasing values and `#rrggbb` colours; at least one component; every
    /// component with at least one element; unique component ids, short names
    /// and element ids (none empty); finite positive weights.
    ///
    /// # Errors
    /// [`Error::InvalidRubric`] as above.
    ///
    /// # Examples
    /// ```
    /// use portfolio_snapshot::{Rubric, RubricSpec};
    /// let mut spec: RubricSpec = Rubric::crpe_2016().to_spec();
    /// spec.components[0].elements.clear();
    /// let err = Rubric::new(spec).unwrap_err();
    /// assert!(err.to_string().contains("components[0].elements"));
    /// ```
    pub fn new(spec: RubricSpec) -> Result<Self> {
        if spec.id.trim().is_empty() {
            return Err(invalid("id", "must not be empty"));
        }
        validate_scale(&spec.scale)?;
        if spec.components.is_empty() {
            return Err(invalid("components", "needs at least one component"));
        }
        let mut component_ids = HashSet::new();
        let mut short_names = HashSet::new();
        let mut element_index = HashMap::new();
        let mut element_ids = Vec::new();
        let mut components = Vec::with_capacity(spec.components.len());
        for (c, comp) in spec.components.into_iter().enumerate() {
            if comp.id.trim().is_empty() {
                return Err(invalid(format!("components[{c}].id"), "must not be empty"));
            }
            if !component_ids.insert(comp.id.clone()) {
                return Err(invalid(
                    format!("components[{c}].id"),
                    format!("duplicate component id {:?}", comp.id),
                ));
            }
            let short_name = comp.short_name.clone().unwrap_or_else(|| comp.name.clone());
            if short_name.trim().is_empty() {
                return Err(invalid(
                    format!("components[{c}].short_name"),
                    "must not be empty",
                ));
            }
            if !short_names.insert(short_name.clone()) {
                return Err(invalid(
                    format!("components[{c}].short_name"),
                    format!("duplicate short name {short_name:?}"),
                ));
            }
            let weight = comp.weight.unwrap_or(1.0);
            if !(weight.is_finite() && weight > 0.0) {
                return Err(invalid(
                    format!("components[{c}].weight"),
                    format!("must be finite and positive, got {weight}"),
                ));
            }
            if comp.elements.is_empty() {
                return Err(invalid(
                    format!("components[{c}].elements"),
                    format!("component {:?} needs at least one element", comp.id),
                ));
            }
            let start = element_ids.len();
            for (e, el) in comp.elements.iter().enumerate() {
                if el.id.trim().is_empty() {
                    return Err(invalid(
                        format!("components[{c}].elements[{e}].id"),
                        "must not be empty",
                    ));
                }
                if element_index
                    .insert(el.id.clone(), element_ids.len())
                    .is_some()
                {
                    return Err(invalid(
                        format!("components[{c}].elements[{e}].id"),
                        format!("duplicate element id {:?}", el.id),
                    ));
                }
                element_ids.push(el.id.clone());
            }
            components.push(Component {
                id: comp.id,
                name: comp.name,
                short_name,
                weight,
                elements: comp.elements,
                columns: start..element_ids.len(),
            });
        }
        Ok(Self {
            id: spec.id,
            version: spec.version,
            title: spec.title,
            source: spec.source,
            scale: spec.scale,
            components,
            element_ids,
            element_index,
        })
    }

    /// The 2016 CRPE rubric of *Sticking Points* (Appendix 1): 7 components,
    /// 36 elements `1.1` .. `7.6`, scale 1 (red, "Nothing in place yet") to 5
    /// (dark green, "National exemplar"). The library's default rubric.
    #[must_use]
    pub fn crpe_2016() -> Self {
        static CELL: OnceLock<Rubric> = OnceLock::new();
        CELL.get_or_init(|| builtin(CRPE_2016_TOML)).clone()
    }

    /// The 2012 CRPE component list: the same 7 components, 31 elements,
    /// numbered in the source's order. Same scale as 2016.
    #[must_use]
    pub fn crpe_2012() -> Self {
        static CELL: OnceLock<Rubric> = OnceLock::new();
        CELL.get_or_init(|| builtin(CRPE_2012_TOML)).clone()
    }

    /// A built-in rubric by id: `"crpe-2016"` or `"crpe-2012"`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for any other id.
    pub fn builtin(id: &str) -> Result<Self> {
        match id {
            "crpe-2016" => Ok(Self::crpe_2016()),
            "crpe-2012" => Ok(Self::crpe_2012()),
            _ => Err(Error::InvalidParameter {
                name: "rubric",
                value: format!("{id:?}"),
                reason: "built-in rubrics are \"crpe-2016\" and \"crpe-2012\"".into(),
            }),
        }
    }

    /// Parse and validate a rubric from JSON text.
    ///
    /// # Errors
    /// [`Error::RubricParse`] for malformed JSON or unknown fields;
    /// [`Error::InvalidRubric`] when validation fails.
    pub fn from_json(text: &str) -> Result<Self> {
        let spec: RubricSpec = serde_json::from_str(text).map_err(|e| Error::RubricParse {
            format: "JSON",
            origin: None,
            message: e.to_string(),
        })?;
        Self::new(spec)
    }

    /// Parse and validate a rubric from TOML text.
    ///
    /// # Errors
    /// [`Error::RubricParse`] for malformed TOML or unknown fields;
    /// [`Error::InvalidRubric`] when validation fails.
    pub fn from_toml(text: &str) -> Result<Self> {
        let spec: RubricSpec = toml::from_str(text).map_err(|e| Error::RubricParse {
            format: "TOML",
            origin: None,
            message: e.to_string(),
        })?;
        Self::new(spec)
    }

    /// Read a rubric file: TOML when the name ends in `.toml`, JSON otherwise.
    /// Errors name the path.
    ///
    /// # Errors
    /// [`Error::Io`], [`Error::RubricParse`] or [`Error::InvalidRubric`].
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_owned(),
            source,
        })?;
        let is_toml = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
        let parsed = if is_toml {
            Self::from_toml(&text)
        } else {
            Self::from_json(&text)
        };
        parsed.map_err(|e| with_origin(e, path))
    }

    /// The rubric as plain data (what [`Rubric::to_json`] writes).
    #[must_use]
    pub fn to_spec(&self) -> RubricSpec {
        RubricSpec {
            id: self.id.clone(),
            version: self.version.clone(),
            title: self.title.clone(),
            source: self.source.clone(),
            scale: self.scale.clone(),
            components: self
                .components
                .iter()
                .map(|c| ComponentSpec {
                    id: c.id.clone(),
                    name: c.name.clone(),
                    short_name: Some(c.short_name.clone()),
                    weight: Some(c.weight),
                    elements: c.elements.clone(),
                })
                .collect(),
        }
    }

    /// The rubric as pretty-printed JSON; [`Rubric::from_json`] reads it back
    /// to an equal rubric.
    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.to_spec()).unwrap_or_default()
    }

    /// The rubric as TOML; [`Rubric::from_toml`] reads it back to an equal
    /// rubric.
    #[must_use]
    pub fn to_toml(&self) -> String {
        toml::to_string(&self.to_spec()).unwrap_or_default()
    }

    /// The id, e.g. `"crpe-2016"`.
    #[must_use]
    pub fn id(&self) -> &str {
        &self.id
    }
    /// The version text.
    #[must_use]
    pub fn version(&self) -> &str {
        &self.version
    }
    /// The title.
    #[must_use]
    pub fn title(&self) -> &str {
        &self.title
    }
    /// Where the rubric comes from.
    #[must_use]
    pub fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }
    /// The rating scale.
    #[must_use]
    pub fn scale(&self) -> &Scale {
        &self.scale
    }
    /// The components, in order.
    #[must_use]
    pub fn components(&self) -> &[Component] {
        &self.components
    }
    /// All element ids, in column order.
    #[must_use]
    pub fn element_ids(&self) -> &[String] {
        &self.element_ids
    }
    /// Number of elements (columns of a ratings matrix).
    #[must_use]
    pub fn n_elements(&self) -> usize {
        self.element_ids.len()
    }
    /// Column of an element id, if the rubric has it.
    #[must_use]
    pub fn element_index(&self, id: &str) -> Option<usize> {
        self.element_index.get(id).copied()
    }
    /// Index of the component that holds column `column`.
    #[must_use]
    pub fn component_of(&self, column: usize) -> Option<usize> {
        self.components
            .iter()
            .position(|c| c.columns.contains(&column))
    }
    /// Component weights, in order.
    #[must_use]
    pub fn weights(&self) -> Vec<f64> {
        self.components.iter().map(|c| c.weight).collect()
    }
    /// The effective weight of each element in the overall score under mean of
    /// component means: `w_c / (sum(w) * n_c)` for an element of component c
    /// with `n_c` elements (`1 / (7 * n_c)` for CRPE 2016). They sum to 1.
    ///
    /// # Examples
    /// ```
    /// use portfolio_snapshot::Rubric;
    /// let w = Rubric::crpe_2016().effective_element_weights();
    /// assert!((w[0] - 1.0 / 42.0).abs() < 1e-15); // Choice has 6 elements
    /// assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    /// ```
    #[must_use]
    pub fn effective_element_weights(&self) -> Vec<f64> {
        let total: f64 = self.components.iter().map(|c| c.weight).sum();
        let mut out = Vec::with_capacity(self.n_elements());
        for c in &self.components {
            #[allow(clippy::cast_precision_loss)] // element counts are small
            let w = c.weight / (total * c.elements.len() as f64);
            out.extend(std::iter::repeat_n(w, c.elements.len()));
        }
        out
    }
}

fn validate_scale(scale: &Scale) -> Result<()> {
    let levels = &scale.levels;
    if levels.len() < 2 {
        return Err(invalid(
            "scale.levels",
            format!("needs at least 2 levels, got {}", levels.len()),
        ));
    }
    for (i, level) in levels.iter().enumerate() {
        if !level.value.is_finite() {
            return Err(invalid(
                format!("scale.levels[{i}].value"),
                format!("must be finite, got {}", level.value),
            ));
        }
        if i > 0 && level.value <= levels[i - 1].value {
            return Err(invalid(
                format!("scale.levels[{i}].value"),
                format!(
                    "levels must be strictly increasing, got {} after {}",
                    level.value,
                    levels[i - 1].value
                ),
            ));
        }
        if !valid_hex_color(&level.color) {
            return Err(invalid(
                format!("scale.levels[{i}].color"),
                format!("must be #rrggbb, got {:?}", level.color),
            ));
        }
    }
    Ok(())
}

fn builtin(text: &str) -> Rubric {
    // The built-in files are part of the crate and checked by its tests.
    Rubric::from_toml(text).expect("built-in rubric data is valid")
}

fn with_origin(e: Error, path: &Path) -> Error {
    let origin = Some(path.display().to_string());
    match e {
        Error::InvalidRubric { field, reason, .. } => Error::InvalidRubric {
            origin,
            field,
            reason,
        },
        Error::RubricParse {
            format, message, ..
        } => Error::RubricParse {
            format,
            origin,
            message,
        },
        other => other,
    }
}
