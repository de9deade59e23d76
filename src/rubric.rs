//! The rubric: a scale and ordered components, each with ordered elements.
//!
//! A [`Rubric`] is built once from a [`RubricSpec`] (plain data that
//! serde reads from JSON or TOML) and validated by [`Rubric::new`]; after that
//! every other type trusts it. Two rubrics are built in, loaded from the
//! crate's `data/` folder at build time: [`Rubric::crpe_2016`] (the default)
//! and [`Rubric::crpe_2012`].

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::exact::Exact;
use crate::memo::Memo;
use crate::scale::{self, AllowedRatings, Bands, Level, LevelSpec, Scale, ScaleSpec};
use crate::score::Scorer;

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
    /// The rating scale: a list of levels, or a table of levels and a
    /// colormap for the levels without a colour.
    pub scale: ScaleSpec,
    /// The components, in order.
    pub components: Vec<ComponentSpec>,
    /// Component weights by component id or short name (instead of a
    /// `weight` in each component); components left out weigh 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<std::collections::BTreeMap<String, f64>>,
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
    memo: RubricMemo,
}

/// What analyses derive from a rubric alone, computed once per rubric: the
/// scoring plan of the default options, the banding tables and the scale's
/// midpoint (each needs exact arithmetic to build).
#[derive(Debug, Clone, Default, PartialEq)]
struct RubricMemo {
    default_scorer: Memo<Scorer>,
    bands: [Memo<Arc<Bands>>; 3],
    midpoint: Memo<(f64, Option<Exact>)>,
    default_advanced: Memo<crate::classify::ResolvedAdvanced>,
}

/// The most elements a rubric may have (element indices are 32-bit).
pub const MAX_ELEMENTS: usize = 1 << 24;

/// The most levels a scale may have.
pub const MAX_LEVELS: usize = 1 << 16;

/// The JSON Schema of rubric files (`data/rubric.schema.json`): the shape of
/// a file; [`Rubric::new`] checks the rules that span fields (increasing
/// levels, unique ids, weights naming components).
pub const RUBRIC_SCHEMA: &str = include_str!("../data/rubric.schema.json");

const CRPE_2016_TOML: &str = include_str!("../data/crpe-2016.toml");
const CRPE_2012_TOML: &str = include_str!("../data/crpe-2012.toml");

/// A component's weight: its own `weight`, or its entry (by id or short
/// name) in the rubric's `weights` mapping, which is taken out of it; 1 when
/// neither is given.
fn component_weight(
    c: usize,
    comp: &ComponentSpec,
    short_name: &str,
    named_weights: &mut std::collections::BTreeMap<String, f64>,
) -> Result<f64> {
    let by_name = named_weights
        .remove(&comp.id)
        .or_else(|| named_weights.remove(short_name));
    if by_name.is_some() && comp.weight.is_some() {
        return Err(invalid(
            format!("components[{c}].weight"),
            format!(
                "component {:?} has a weight and an entry in weights: give one",
                comp.id
            ),
        ));
    }
    let weight = comp.weight.or(by_name).unwrap_or(1.0);
    if !(weight.is_finite() && weight > 0.0) {
        return Err(invalid(
            format!("components[{c}].weight"),
            format!("must be finite and positive, got {weight}"),
        ));
    }
    Ok(weight)
}

/// Check a component's element ids (non-empty, unique in the rubric) and
/// add them to the rubric's index.
fn register_elements(
    c: usize,
    elements: &[Element],
    element_index: &mut HashMap<String, usize>,
    element_ids: &mut Vec<String>,
) -> Result<()> {
    for (e, el) in elements.iter().enumerate() {
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
    Ok(())
}

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
        let scale = resolve_scale(&spec.scale)?;
        validate_scale(&scale)?;
        let mut named_weights = spec.weights.clone().unwrap_or_default();
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
            let weight = component_weight(c, &comp, &short_name, &mut named_weights)?;
            if comp.elements.is_empty() {
                return Err(invalid(
                    format!("components[{c}].elements"),
                    format!("component {:?} needs at least one element", comp.id),
                ));
            }
            let start = element_ids.len();
            if start + comp.elements.len() > MAX_ELEMENTS {
                return Err(invalid(
                    format!("components[{c}].elements"),
                    format!("a rubric may have at most {MAX_ELEMENTS} elements"),
                ));
            }
            register_elements(c, &comp.elements, &mut element_index, &mut element_ids)?;
            components.push(Component {
                id: comp.id,
                name: comp.name,
                short_name,
                weight,
                elements: comp.elements,
                columns: start..element_ids.len(),
            });
        }
        if let Some(key) = named_weights.keys().next() {
            return Err(invalid(
                format!("weights.{key}"),
                format!(
                    "no component has the id or short name {key:?} (components: {})",
                    components
                        .iter()
                        .map(|c| format!("{} {}", c.id, c.short_name))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        Ok(Self {
            id: spec.id,
            version: spec.version,
            title: spec.title,
            source: spec.source,
            scale,
            components,
            element_ids,
            element_index,
            memo: RubricMemo::default(),
        })
    }

    /// The scoring plan of the default options, once built.
    pub(crate) fn default_scorer(&self) -> Option<&Scorer> {
        self.memo.default_scorer.get()
    }

    /// Keep the scoring plan of the default options.
    pub(crate) fn keep_default_scorer(&self, scorer: Scorer) {
        self.memo.default_scorer.set(scorer);
    }

    /// The banding tables for `allowed` ratings (built once).
    pub(crate) fn bands(&self, allowed: AllowedRatings) -> Arc<Bands> {
        let i = match allowed {
            AllowedRatings::Levels => 0,
            AllowedRatings::HalfSteps => 1,
            AllowedRatings::WithinScale => 2,
        };
        Arc::clone(self.memo.bands[i].get_or_init(|| Arc::new(Bands::new(&self.scale, allowed))))
    }

    /// The default advanced rule resolved on this rubric (computed once).
    pub(crate) fn default_advanced(&self) -> Result<crate::classify::ResolvedAdvanced> {
        if let Some(r) = self.memo.default_advanced.get() {
            return Ok(*r);
        }
        let r =
            crate::classify::AdvancedRule::default().resolve(&self.scale, self.components.len())?;
        self.memo.default_advanced.set(r);
        Ok(r)
    }

    /// The scale's midpoint, as a float and exactly (computed once).
    pub(crate) fn midpoint(&self) -> &(f64, Option<Exact>) {
        self.memo.midpoint.get_or_init(|| {
            let exact = match (
                crate::exact::decimal(self.scale.min()),
                crate::exact::decimal(self.scale.max()),
            ) {
                (Some(a), Some(b)) => Some((a + b) / Exact::from_integer(2.into())),
                _ => None,
            };
            (self.scale.midpoint(), exact)
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

    /// When element ids do not fit this rubric but all fit another built-in
    /// one, a sentence saying which to use (2012 ids read under the 2016
    /// rubric suggest `crpe-2012`).
    #[must_use]
    pub fn suggest_builtin(&self, ids: &[&str]) -> Option<String> {
        ["crpe-2016", "crpe-2012"]
            .into_iter()
            .filter(|b| *b != self.id)
            .filter_map(|b| Self::builtin(b).ok())
            .find(|other| {
                !ids.is_empty() && ids.iter().all(|id| other.element_index(id).is_some())
            })
            .map(|other| {
                format!(
                    "these ids are those of rubric {:?}: pass rubric=\"{}\" (--rubric {} on the command line)",
                    other.id(),
                    other.id(),
                    other.id()
                )
            })
    }

    /// The default rubric: [`Rubric::crpe_2016`].
    #[must_use]
    pub fn default_rubric() -> Self {
        Self::crpe_2016()
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
        let spec: RubricSpec =
            serde_json::from_str(strip_bom(text)).map_err(|e| Error::RubricParse {
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
        let spec: RubricSpec = toml::from_str(strip_bom(text)).map_err(|e| Error::RubricParse {
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
    /// As [`Rubric::from_file`].
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let format = RubricFormat::from_extension(path).unwrap_or(RubricFormat::Json);
        Self::from_file(path, format)
    }

    /// Read a rubric file in the given format. A leading byte-order mark is
    /// ignored. Errors name the path.
    ///
    /// # Errors
    /// [`Error::RubricSource`] (no such file, a directory, unreadable, not
    /// UTF-8), [`Error::RubricParse`] or [`Error::InvalidRubric`].
    pub fn from_file(path: impl AsRef<Path>, format: RubricFormat) -> Result<Self> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|e| Error::RubricSource {
            source_text: path.display().to_string(),
            reason: if path.is_dir() {
                "this is a directory, not a rubric file".to_owned()
            } else if e.kind() == std::io::ErrorKind::NotFound {
                "no such file".to_owned()
            } else {
                format!("cannot read the file: {e}")
            },
        })?;
        let text = String::from_utf8(bytes).map_err(|_| Error::RubricSource {
            source_text: path.display().to_string(),
            reason: "the file is not UTF-8 text".into(),
        })?;
        Self::from_text(strip_bom(&text), format).map_err(|e| with_origin(e, path))
    }

    /// Parse rubric text in the given format.
    ///
    /// # Errors
    /// [`Error::RubricParse`] or [`Error::InvalidRubric`].
    pub fn from_text(text: &str, format: RubricFormat) -> Result<Self> {
        match format {
            RubricFormat::Json => Self::from_json(text),
            RubricFormat::Toml => Self::from_toml(text),
        }
    }

    /// A rubric from a source that is either a path or the text itself,
    /// decided by [`RubricSource::classify`]; `format` forces JSON or TOML
    /// (otherwise: a file's extension, or `{` at the start of text for JSON).
    ///
    /// # Errors
    /// [`Error::RubricSource`] for an empty source or a path that does not
    /// exist, and the errors of [`Rubric::from_file`] and
    /// [`Rubric::from_text`].
    ///
    /// # Examples
    /// ```
    /// use portfolio_snapshot::Rubric;
    /// let text = Rubric::crpe_2012().to_toml();
    /// assert_eq!(Rubric::load(&text, None)?, Rubric::crpe_2012());
    /// assert!(Rubric::load("", None).is_err());
    /// assert!(Rubric::load("no/such/rubric.json", None).unwrap_err().to_string().contains("no such file"));
    /// # Ok::<(), portfolio_snapshot::Error>(())
    /// ```
    pub fn load(source: &str, format: Option<RubricFormat>) -> Result<Self> {
        match RubricSource::classify(source)? {
            RubricSource::Path(path) => {
                let format = format
                    .or_else(|| RubricFormat::from_extension(&path))
                    .unwrap_or(RubricFormat::Json);
                Self::from_file(path, format)
            }
            RubricSource::Text(text) => {
                let format = format.unwrap_or_else(|| RubricFormat::sniff(&text));
                Self::from_text(&text, format)
            }
        }
    }

    /// The rubric as plain data (what [`Rubric::to_json`] writes).
    #[must_use]
    pub fn to_spec(&self) -> RubricSpec {
        RubricSpec {
            id: self.id.clone(),
            version: self.version.clone(),
            title: self.title.clone(),
            source: self.source.clone(),
            scale: ScaleSpec {
                levels: self
                    .scale
                    .levels
                    .iter()
                    .map(|l| LevelSpec {
                        value: l.value,
                        label: l.label.clone(),
                        color: Some(l.color.clone()),
                        color_name: l.color_name.clone(),
                    })
                    .collect(),
                colormap: None,
            },
            weights: None,
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
        // scaled by the largest weight first, so that huge or tiny weights
        // neither overflow nor underflow
        let top = self.components.iter().map(|c| c.weight).fold(0.0, f64::max);
        let total: f64 = self.components.iter().map(|c| c.weight / top).sum();
        let mut out = Vec::with_capacity(self.n_elements());
        for c in &self.components {
            #[allow(clippy::cast_precision_loss)] // element counts are small
            let w = (c.weight / top) / (total * c.elements.len() as f64);
            out.extend(std::iter::repeat_n(w, c.elements.len()));
        }
        out
    }

    /// The position of a component given by its id or short name.
    #[must_use]
    pub fn component_position(&self, key: &str) -> Option<usize> {
        self.components
            .iter()
            .position(|c| c.id == key)
            .or_else(|| self.components.iter().position(|c| c.short_name == key))
    }

    /// Component weights from `(component id or short name, weight)` pairs,
    /// in rubric order. Every component must be named exactly once.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming `weights` for an unknown or
    /// repeated component, or one left out.
    pub fn weights_by_name(&self, named: &[(String, f64)]) -> Result<Vec<f64>> {
        let mut out: Vec<Option<f64>> = vec![None; self.components.len()];
        for (key, w) in named {
            let i = self
                .component_position(key)
                .ok_or_else(|| Error::InvalidParameter {
                    name: "weights",
                    value: format!("{key:?}"),
                    reason: format!(
                        "not a component of rubric {:?} (components: {})",
                        self.id,
                        self.components
                            .iter()
                            .map(|c| format!("{} {}", c.id, c.short_name))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                })?;
            if out[i].replace(*w).is_some() {
                return Err(Error::InvalidParameter {
                    name: "weights",
                    value: format!("{key:?}"),
                    reason: format!(
                        "component {:?} is given twice",
                        self.components[i].short_name
                    ),
                });
            }
        }
        let missing: Vec<&str> = self
            .components
            .iter()
            .zip(&out)
            .filter(|(_, w)| w.is_none())
            .map(|(c, _)| c.short_name.as_str())
            .collect();
        if !missing.is_empty() {
            return Err(Error::InvalidParameter {
                name: "weights",
                value: format!("{} of {} components", named.len(), self.components.len()),
                reason: format!(
                    "give a weight for every component; missing: {}",
                    missing.join(", ")
                ),
            });
        }
        Ok(out.into_iter().map(|w| w.unwrap_or(1.0)).collect())
    }

    /// The largest number of elements in one component.
    #[must_use]
    pub fn max_component_size(&self) -> usize {
        self.components
            .iter()
            .map(|c| c.elements.len())
            .max()
            .unwrap_or(0)
    }
}

/// The scale a spec describes, with the colour of every level (from the
/// colormap where the spec gives none).
fn resolve_scale(spec: &ScaleSpec) -> Result<Scale> {
    let name = spec.colormap.as_deref().unwrap_or(scale::DEFAULT_COLORMAP);
    let fill = if spec.levels.iter().any(|l| l.color.is_none()) {
        scale::colormap_colors(name, spec.levels.len())
            .map_err(|reason| invalid("scale.colormap", reason))?
    } else {
        Vec::new()
    };
    Ok(Scale {
        levels: spec
            .levels
            .iter()
            .enumerate()
            .map(|(i, l)| Level {
                value: l.value,
                label: l.label.clone(),
                color: l.color.clone().unwrap_or_else(|| fill[i].clone()),
                color_name: l.color_name.clone(),
            })
            .collect(),
    })
}

fn validate_scale(scale: &Scale) -> Result<()> {
    let levels = &scale.levels;
    if levels.len() < 2 || levels.len() > MAX_LEVELS {
        return Err(invalid(
            "scale.levels",
            format!("needs from 2 to {MAX_LEVELS} levels, got {}", levels.len()),
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

/// The two rubric file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RubricFormat {
    /// JSON.
    Json,
    /// TOML.
    Toml,
}

impl RubricFormat {
    /// `.json` or `.toml` (any case), else `None`.
    #[must_use]
    pub fn from_extension(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "json" => Some(Self::Json),
            "toml" => Some(Self::Toml),
            _ => None,
        }
    }

    /// JSON when the text starts with `{` (after spaces), TOML otherwise.
    #[must_use]
    pub fn sniff(text: &str) -> Self {
        if text.trim_start().starts_with('{') {
            Self::Json
        } else {
            Self::Toml
        }
    }
}

/// Where a rubric comes from: a file or the text itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RubricSource {
    /// A file to read.
    Path(PathBuf),
    /// Rubric text (a leading byte-order mark removed).
    Text(String),
}

impl RubricSource {
    /// Decide whether a string is a path or rubric text, by these rules in
    /// order (a path may contain `=`, text may be one line):
    ///
    /// 1. a leading byte-order mark is dropped; an empty or blank source is
    ///    an error;
    /// 2. text with a line break is text;
    /// 3. the name of an existing file is a path (whatever its first
    ///    character, `[draft] rubric.toml` included);
    /// 4. text starting with `{` or `[` is text;
    /// 5. a name ending in `.json` or `.toml` is a path that does not exist:
    ///    an error saying so;
    /// 6. anything else is text (a one-line TOML rubric).
    ///
    /// # Errors
    /// [`Error::RubricSource`] for rules 1 and 5, and for a directory.
    pub fn classify(source: &str) -> Result<Self> {
        let text = strip_bom(source);
        let shown = || {
            let mut s: String = text.chars().take(80).collect();
            if text.chars().count() > 80 {
                s.push_str("...");
            }
            s
        };
        if text.trim().is_empty() {
            return Err(Error::RubricSource {
                source_text: shown(),
                reason: "the source is empty: give a rubric file or rubric text".into(),
            });
        }
        let first = text.trim_start();
        if text.contains(['\n', '\r']) {
            return Ok(Self::Text(text.to_owned()));
        }
        let path = Path::new(text);
        if path.is_file() {
            return Ok(Self::Path(path.to_owned()));
        }
        if first.starts_with(['{', '[']) {
            return Ok(Self::Text(text.to_owned()));
        }
        if path.is_dir() {
            return Err(Error::RubricSource {
                source_text: shown(),
                reason: "this is a directory, not a rubric file".into(),
            });
        }
        if RubricFormat::from_extension(path).is_some() {
            return Err(Error::RubricSource {
                source_text: shown(),
                reason: "no such file (and not rubric text)".into(),
            });
        }
        Ok(Self::Text(text.to_owned()))
    }
}

fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
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
