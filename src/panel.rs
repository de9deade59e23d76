//! Panels: a rubric plus many snapshots, one row of ratings per snapshot.

use std::collections::HashMap;
use std::io::Read;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use ndarray::{Array2, ArrayView1, ArrayView2, Axis};
use rayon::prelude::*;

use crate::cells::NaValues;
use crate::columns::{ColumnMap, Role};
use crate::date::YearMonth;
use crate::error::{Error, Result};
use crate::rubric::Rubric;
use crate::scale::{AllowedRatings, Scale};

/// The columns of a long ratings table, in order: district, date, element
/// id, rating.
pub const LONG_COLUMNS: [&str; 4] = ["district", "date", "element", "rating"];

/// The key of one snapshot: a district and a date.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SnapshotKey {
    /// District name.
    pub district: String,
    /// Snapshot date.
    pub date: YearMonth,
}

impl SnapshotKey {
    /// A key from a district name and a date.
    pub fn new(district: impl Into<String>, date: YearMonth) -> Self {
        Self {
            district: district.into(),
            date,
        }
    }
}

/// One rating in long format: district, date, element id, rating.
#[derive(Debug, Clone, PartialEq)]
pub struct LongRating {
    /// District name.
    pub district: String,
    /// Snapshot date.
    pub date: YearMonth,
    /// Element id (must be one of the rubric's).
    pub element: String,
    /// The rating; NaN means "not rated".
    pub rating: f64,
}

/// How a panel checks its input.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct PanelOptions {
    /// Which ratings are allowed (level values by default; half steps opt-in).
    pub allowed: AllowedRatings,
}

impl PanelOptions {
    /// Options that also allow ratings halfway between two levels.
    #[must_use]
    pub fn half_steps() -> Self {
        Self {
            allowed: AllowedRatings::HalfSteps,
        }
    }
}

/// A rubric plus many snapshots.
///
/// Rows are snapshots sorted by district, then date; columns are the rubric's
/// elements in rubric order. NaN means "not rated". Construction validates
/// every rating once; afterwards the panel is immutable.
///
/// # Examples
/// ```
/// use ndarray::array;
/// use portfolio_snapshot::{Panel, Rubric, SnapshotKey, YearMonth};
/// let rubric = Rubric::crpe_2012();
/// let keys = vec![
///     SnapshotKey::new("Denver", YearMonth::new(2013, 1)?),
///     SnapshotKey::new("Chicago", YearMonth::new(2013, 1)?),
/// ];
/// let ratings = ndarray::Array2::from_elem((2, rubric.n_elements()), 3.0);
/// let panel = Panel::from_matrix(rubric, keys, ratings)?;
/// assert_eq!(panel.districts(), ["Chicago", "Denver"]); // sorted
/// # Ok::<(), portfolio_snapshot::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Panel {
    rubric: Arc<Rubric>,
    ratings: Arc<Array2<f64>>,
    districts: Arc<[String]>,
    offsets: Arc<[usize]>,
    dates: Arc<[YearMonth]>,
    options: PanelOptions,
    provenance: Provenance,
}

/// Where a panel's ratings come from, shown wherever the panel is.
///
/// Equality and hashing look at the label and the synthetic flag only: how
/// a table's columns were read is a note, so the same ratings read from
/// differently headed files make equal panels.
#[derive(Debug, Clone, Default)]
pub struct Provenance {
    /// A description ("synthetic demo data", a file name).
    pub label: Option<String>,
    /// Whether the ratings are invented: plots and reports then say
    /// "synthetic" on every page and figure.
    pub synthetic: bool,
    /// How the table's columns were read (`district from "District", ...`),
    /// when the panel was read from a table.
    pub columns: Option<String>,
    /// The consensus rule and raters, when the panel was made from several
    /// raters' ratings (see [`crate::Raters::consensus`]).
    pub consensus: Option<String>,
}

impl PartialEq for Provenance {
    fn eq(&self, other: &Self) -> bool {
        self.label == other.label && self.synthetic == other.synthetic
    }
}

impl Eq for Provenance {}

impl std::hash::Hash for Provenance {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.label.hash(state);
        self.synthetic.hash(state);
    }
}

impl std::hash::Hash for Panel {
    /// Consistent with `==`: every NaN hashes alike.
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.rubric.to_json().hash(state);
        self.options.hash(state);
        self.provenance.hash(state);
        self.districts.hash(state);
        self.offsets.hash(state);
        self.dates.hash(state);
        for v in self.ratings.iter() {
            (if v.is_nan() { f64::NAN } else { *v })
                .to_bits()
                .hash(state);
        }
    }
}

impl Eq for Panel {}

impl PartialEq for Panel {
    /// Same rubric, keys, options, provenance and ratings (NaN equal to NaN).
    fn eq(&self, other: &Self) -> bool {
        self.rubric == other.rubric
            && self.options == other.options
            && self.provenance == other.provenance
            && self.districts == other.districts
            && self.offsets == other.offsets
            && self.dates == other.dates
            && self.ratings.shape() == other.ratings.shape()
            && self
                .ratings
                .iter()
                .zip(other.ratings.iter())
                .all(|(a, b)| a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()))
    }
}

impl Panel {
    /// A panel from a ratings matrix (snapshots x elements, in rubric order)
    /// and one key per row, with the default [`PanelOptions`].
    ///
    /// # Errors
    /// See [`Panel::from_matrix_with`].
    pub fn from_matrix(
        rubric: impl Into<Arc<Rubric>>,
        keys: Vec<SnapshotKey>,
        ratings: Array2<f64>,
    ) -> Result<Self> {
        Self::from_matrix_with(rubric, keys, ratings, PanelOptions::default())
    }

    /// A panel from a ratings matrix and one key per row.
    ///
    /// Rows are sorted by district then date (the input order does not
    /// matter); the matrix is copied only when it needs reordering.
    ///
    /// # Errors
    /// - [`Error::EmptyPanel`]: no rows.
    /// - [`Error::WidthMismatch`]: columns differ from the rubric's elements.
    /// - [`Error::LengthMismatch`]: keys and rows differ in number.
    /// - [`Error::DuplicateSnapshot`]: a (district, date) repeats.
    /// - [`Error::InfiniteRating`], [`Error::RatingOutOfScale`],
    ///   [`Error::RatingNotAllowed`]: the first bad rating in input order,
    ///   naming district, date, element and value.
    pub fn from_matrix_with(
        rubric: impl Into<Arc<Rubric>>,
        keys: Vec<SnapshotKey>,
        ratings: Array2<f64>,
        options: PanelOptions,
    ) -> Result<Self> {
        let rubric = rubric.into();
        check_shape(&rubric, keys.len(), ratings.view())?;
        if let Some((row, key)) = keys
            .iter()
            .enumerate()
            .find(|(_, k)| k.district.trim().is_empty())
        {
            return Err(Error::InvalidDistrict {
                value: key.district.clone(),
                row: Some(row),
                reason: "a district needs a name that is not empty or only spaces".into(),
            });
        }
        validate_ratings(&rubric, &keys, ratings.view(), options.allowed)?;

        let sorted = keys.windows(2).all(|w| w[0] <= w[1]);
        let (keys, ratings) = if sorted {
            let ratings = if ratings.is_standard_layout() {
                ratings
            } else {
                ratings.as_standard_layout().into_owned()
            };
            (keys, ratings)
        } else {
            let mut order: Vec<usize> = (0..keys.len()).collect();
            if order.len() > crate::score::TASK_ROWS {
                crate::parallel::install(|| order.par_sort_by(|&a, &b| keys[a].cmp(&keys[b])));
            } else {
                order.sort_by(|&a, &b| keys[a].cmp(&keys[b]));
            }
            let ratings = ratings.select(Axis(0), &order);
            let mut slots: Vec<Option<SnapshotKey>> = keys.into_iter().map(Some).collect();
            let keys = order
                .iter()
                .map(|&i| {
                    slots[i]
                        .take()
                        .unwrap_or_else(|| unreachable!("a permutation"))
                })
                .collect();
            (keys, ratings)
        };
        if let Some(w) = keys.windows(2).find(|w| w[0] == w[1]) {
            return Err(Error::DuplicateSnapshot {
                district: w[0].district.clone(),
                date: w[0].date,
            });
        }
        let mut districts: Vec<String> = Vec::new();
        let mut offsets = vec![0];
        let mut dates = Vec::with_capacity(keys.len());
        for (i, key) in keys.into_iter().enumerate() {
            if districts.last() != Some(&key.district) {
                if i > 0 {
                    offsets.push(i);
                }
                districts.push(key.district);
            }
            dates.push(key.date);
        }
        offsets.push(dates.len());
        Ok(Self {
            rubric,
            ratings: Arc::new(ratings),
            districts: districts.into(),
            offsets: offsets.into(),
            dates: dates.into(),
            options,
            provenance: Provenance::default(),
        })
    }

    /// A panel from a matrix whose columns are named by element ids in any
    /// order: columns are matched to the rubric by id and put in rubric order.
    ///
    /// # Errors
    /// [`Error::InvalidColumn`] for a column that is not an element of the
    /// rubric or an element with two columns, [`Error::MissingElements`] for
    /// rubric elements with no column, [`Error::LengthMismatch`] when ids and
    /// columns differ in number, and everything
    /// [`Panel::from_matrix_with`] checks.
    pub fn from_columns<S: AsRef<str>>(
        rubric: impl Into<Arc<Rubric>>,
        keys: Vec<SnapshotKey>,
        column_ids: &[S],
        ratings: ArrayView2<'_, f64>,
        options: PanelOptions,
    ) -> Result<Self> {
        let rubric = rubric.into();
        if column_ids.len() != ratings.ncols() {
            return Err(Error::LengthMismatch {
                what: "column ids for the matrix's columns",
                expected: ratings.ncols(),
                found: column_ids.len(),
            });
        }
        let source_of = check_columns(&rubric, column_ids)?;
        let missing: Vec<String> = rubric
            .element_ids()
            .iter()
            .zip(&source_of)
            .filter(|(_, s)| **s == usize::MAX)
            .map(|(id, _)| id.clone())
            .collect();
        if !missing.is_empty() {
            return Err(Error::MissingElements {
                rubric: rubric.id().to_owned(),
                missing,
                found: column_ids.iter().map(|s| s.as_ref().to_owned()).collect(),
            });
        }
        let ratings = ratings.select(Axis(1), &source_of);
        Self::from_matrix_with(rubric, keys, ratings, options)
    }

    /// A panel from long records (one rating each). Elements a snapshot has
    /// no record for are "not rated" (NaN).
    ///
    /// # Errors
    /// [`Error::UnknownElement`] (naming district and date),
    /// [`Error::DuplicateRating`], [`Error::EmptyPanel`], and everything
    /// [`Panel::from_matrix_with`] checks.
    pub fn from_long(
        rubric: impl Into<Arc<Rubric>>,
        records: impl IntoIterator<Item = LongRating>,
        options: PanelOptions,
    ) -> Result<Self> {
        let rubric = rubric.into();
        let records: Vec<LongRating> = records.into_iter().collect();
        let n_el = rubric.n_elements();
        let mut row_of: HashMap<SnapshotKey, usize> = HashMap::new();
        let mut keys: Vec<SnapshotKey> = Vec::new();
        let mut values: Vec<f64> = Vec::new();
        let mut seen: Vec<bool> = Vec::new();
        if let Some(rec) = records
            .iter()
            .find(|r| rubric.element_index(&r.element).is_none())
        {
            let ids: Vec<&str> = records.iter().map(|r| r.element.as_str()).collect();
            let mut e = unknown_element(
                &rubric,
                &rec.element,
                Some(rec.district.clone()),
                Some(rec.date),
            );
            if let Error::UnknownElement { hint, .. } = &mut e {
                *hint = rubric.suggest_builtin(&ids).map(String::into_boxed_str);
            }
            return Err(e);
        }
        for rec in records {
            let Some(j) = rubric.element_index(&rec.element) else {
                return Err(unknown_element(
                    &rubric,
                    &rec.element,
                    Some(rec.district),
                    Some(rec.date),
                ));
            };
            let key = SnapshotKey::new(rec.district, rec.date);
            let row = if let Some(&r) = row_of.get(&key) {
                r
            } else {
                let r = keys.len();
                row_of.insert(key.clone(), r);
                keys.push(key);
                values.resize(values.len() + n_el, f64::NAN);
                seen.resize(seen.len() + n_el, false);
                r
            };
            let cell = row * n_el + j;
            if seen[cell] {
                let key = &keys[row];
                return Err(Error::DuplicateRating {
                    district: key.district.clone(),
                    date: key.date,
                    element: rec.element,
                    first: values[cell],
                    second: rec.rating,
                });
            }
            seen[cell] = true;
            values[cell] = rec.rating;
        }
        let ratings = Array2::from_shape_vec((keys.len(), n_el), values).map_err(|e| {
            Error::InvalidParameter {
                name: "records",
                value: String::new(),
                reason: e.to_string(),
            }
        })?;
        Self::from_matrix_with(rubric, keys, ratings, options)
    }

    /// A panel from long-format CSV text with the columns `district`, `date`,
    /// `element` and `rating`; other columns are ignored. Lines starting with
    /// `#` before the header are a preamble (the demo file's note); after
    /// the header every line is data, so a `#` in a name is kept. Dates are
    /// read by [`YearMonth::parse`]; ratings by [`NaValues::rating_on`] with
    /// the default "not rated" markers.
    ///
    /// # Errors
    /// [`Error::Csv`] naming the line for unreadable records, a missing
    /// column, a bad date or a rating that is not a number; then everything
    /// [`Panel::from_long`] checks.
    pub fn read_long_csv(
        rubric: impl Into<Arc<Rubric>>,
        reader: impl Read,
        options: PanelOptions,
    ) -> Result<Self> {
        let rubric = rubric.into();
        let (records, map) = read_long_records(reader, None, rubric.scale())?;
        Ok(Self::from_long(rubric, records, options)?.with_columns_read(map.description))
    }

    /// [`Panel::read_long_csv`] on a file; errors name the path.
    ///
    /// # Errors
    /// [`Error::Io`] if the file cannot be opened, then as
    /// [`Panel::read_long_csv`].
    pub fn from_long_csv_path(
        rubric: impl Into<Arc<Rubric>>,
        path: impl AsRef<Path>,
        options: PanelOptions,
    ) -> Result<Self> {
        let path = path.as_ref();
        let file = std::fs::File::open(path).map_err(|source| Error::Io {
            path: path.to_owned(),
            source,
        })?;
        let rubric = rubric.into();
        let (records, map) =
            read_long_records(file, Some(path.display().to_string()), rubric.scale())?;
        Ok(Self::from_long(rubric, records, options)?.with_columns_read(map.description))
    }

    /// The same panel with a description of where its ratings come from.
    #[must_use]
    pub fn with_provenance(mut self, provenance: Provenance) -> Self {
        self.provenance = provenance;
        self
    }

    /// The same panel, recording how its table's columns were read.
    #[must_use]
    pub fn with_columns_read(mut self, description: String) -> Self {
        self.provenance.columns = Some(description);
        self
    }

    /// Where the ratings come from.
    #[must_use]
    pub fn provenance(&self) -> &Provenance {
        &self.provenance
    }

    /// The index of district `name`, or an error naming it and some of the
    /// panel's districts.
    ///
    /// # Errors
    /// [`Error::InvalidDistrict`] when the panel has no such district.
    pub fn require_district(&self, name: &str) -> Result<usize> {
        self.district_index(name)
            .ok_or_else(|| Error::InvalidDistrict {
                value: name.to_owned(),
                row: None,
                reason: format!(
                    "the panel has no such district ({} districts: {}{})",
                    self.n_districts(),
                    self.districts()
                        .iter()
                        .take(8)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", "),
                    if self.n_districts() > 8 { ", ..." } else { "" }
                ),
            })
    }

    /// The rubric.
    #[must_use]
    pub fn rubric(&self) -> &Rubric {
        &self.rubric
    }
    /// The rubric, shared.
    #[must_use]
    pub fn rubric_arc(&self) -> &Arc<Rubric> {
        &self.rubric
    }
    /// The options the panel was validated with.
    #[must_use]
    pub fn options(&self) -> PanelOptions {
        self.options
    }
    /// The ratings, snapshots x elements (C order).
    #[must_use]
    pub fn ratings(&self) -> ArrayView2<'_, f64> {
        self.ratings.view()
    }
    /// The ratings of one snapshot row.
    #[must_use]
    pub fn row(&self, row: usize) -> ArrayView1<'_, f64> {
        self.ratings.row(row)
    }
    /// Number of snapshots (rows).
    #[must_use]
    pub fn n_snapshots(&self) -> usize {
        self.dates.len()
    }
    /// Number of districts.
    #[must_use]
    pub fn n_districts(&self) -> usize {
        self.districts.len()
    }
    /// District names, sorted, each once.
    #[must_use]
    pub fn districts(&self) -> &[String] {
        &self.districts
    }
    /// District names, shared (cheap to clone).
    #[must_use]
    pub fn districts_shared(&self) -> &Arc<[String]> {
        &self.districts
    }
    /// The rows of district `d` (an index into [`Panel::districts`]),
    /// oldest first.
    #[must_use]
    pub fn district_rows(&self, d: usize) -> Range<usize> {
        self.offsets[d]..self.offsets[d + 1]
    }
    /// Row boundaries of the districts: district `d` has rows
    /// `offsets[d]..offsets[d + 1]`.
    #[must_use]
    pub fn district_offsets(&self) -> &[usize] {
        &self.offsets
    }
    /// The date of every row.
    #[must_use]
    pub fn dates(&self) -> &[YearMonth] {
        &self.dates
    }
    /// Index of a district by name.
    #[must_use]
    pub fn district_index(&self, name: &str) -> Option<usize> {
        self.districts
            .binary_search_by(|d| d.as_str().cmp(name))
            .ok()
    }
    /// The district of row `row`.
    ///
    /// # Panics
    /// If `row` is not a row of the panel.
    #[must_use]
    pub fn row_district(&self, row: usize) -> &str {
        let d = self.offsets.partition_point(|&o| o <= row) - 1;
        &self.districts[d]
    }

    /// The (district, date) key of snapshot row `row`.
    ///
    /// # Panics
    /// If `row` is not a row of the panel.
    #[must_use]
    pub fn snapshot_key(&self, row: usize) -> SnapshotKey {
        SnapshotKey::new(self.row_district(row), self.dates()[row])
    }

    /// The district name of every row (repeated per snapshot).
    #[must_use]
    pub fn row_districts(&self) -> Vec<&str> {
        let mut out = Vec::with_capacity(self.n_snapshots());
        for (d, name) in self.districts.iter().enumerate() {
            out.extend(std::iter::repeat_n(
                name.as_str(),
                self.district_rows(d).len(),
            ));
        }
        out
    }
    /// The panel in long format, one record per rated element (NaN cells are
    /// left out), in row then element order.
    #[must_use]
    pub fn to_long(&self) -> Vec<LongRating> {
        let ids = self.rubric.element_ids();
        let mut out = Vec::new();
        for (d, name) in self.districts.iter().enumerate() {
            for r in self.district_rows(d) {
                for (j, &v) in self.ratings.row(r).iter().enumerate() {
                    if !v.is_nan() {
                        out.push(LongRating {
                            district: name.clone(),
                            date: self.dates[r],
                            element: ids[j].clone(),
                            rating: v,
                        });
                    }
                }
            }
        }
        out
    }
}

/// Match the columns of a wide table to the rubric's elements: for each
/// element, the column that holds it (`usize::MAX` where none does).
///
/// # Errors
/// [`Error::InvalidColumn`] for a column that is not an element of the rubric
/// (suggesting the built-in rubric the ids belong to, if any) or an element
/// with two columns.
pub fn check_columns<S: AsRef<str>>(rubric: &Rubric, column_ids: &[S]) -> Result<Vec<usize>> {
    let mut source_of = vec![usize::MAX; rubric.n_elements()];
    for (c, id) in column_ids.iter().enumerate() {
        let id = id.as_ref();
        let Some(j) = rubric.element_index(id) else {
            let ids: Vec<&str> = column_ids.iter().map(AsRef::as_ref).collect();
            let hint = rubric
                .suggest_builtin(&ids)
                .map(|h| format!("; {h}"))
                .unwrap_or_default();
            return Err(Error::InvalidColumn {
                column: id.to_owned(),
                rubric: Some(rubric.id().to_owned()),
                reason: format!(
                    "not an element of the rubric{hint} (a wide table holds district, date and one column per element id: {})",
                    rubric.element_ids().join(", ")
                ),
            });
        };
        if source_of[j] != usize::MAX {
            return Err(Error::InvalidColumn {
                column: id.to_owned(),
                rubric: Some(rubric.id().to_owned()),
                reason: "the same element has two columns".into(),
            });
        }
        source_of[j] = c;
    }
    Ok(source_of)
}

fn unknown_element(
    rubric: &Rubric,
    id: &str,
    district: Option<String>,
    date: Option<YearMonth>,
) -> Error {
    Error::UnknownElement {
        element: id.to_owned(),
        rubric: rubric.id().into(),
        district,
        date,
        expected: rubric.element_ids().into(),
        hint: None,
    }
}

fn check_shape(rubric: &Rubric, n_keys: usize, ratings: ArrayView2<'_, f64>) -> Result<()> {
    if ratings.nrows() == 0 && n_keys == 0 {
        return Err(Error::EmptyPanel);
    }
    if ratings.ncols() != rubric.n_elements() {
        return Err(Error::WidthMismatch {
            rubric: rubric.id().to_owned(),
            expected: rubric.n_elements(),
            found: ratings.ncols(),
        });
    }
    if n_keys != ratings.nrows() {
        return Err(Error::LengthMismatch {
            what: "snapshot keys for the matrix's rows",
            expected: ratings.nrows(),
            found: n_keys,
        });
    }
    Ok(())
}

/// Check every rating (finite and allowed, or NaN); the error names the first
/// bad one in row order.
fn validate_ratings(
    rubric: &Rubric,
    keys: &[SnapshotKey],
    ratings: ArrayView2<'_, f64>,
    allowed: AllowedRatings,
) -> Result<()> {
    let scale = rubric.scale();
    let allowed_values = scale.allowed_values(allowed);
    let bad_in = |(r, row): (usize, ArrayView1<'_, f64>)| {
        row.iter()
            .position(|&v| {
                !v.is_nan()
                    && if allowed == AllowedRatings::WithinScale {
                        !scale.allows(v, allowed)
                    } else {
                        !allowed_values.contains(&v)
                    }
            })
            .map(|j| (r, j, row[j]))
    };
    let bad = if ratings.len() < crate::score::PARALLEL_MIN_CELLS {
        ratings.axis_iter(Axis(0)).enumerate().find_map(bad_in)
    } else {
        crate::parallel::install(|| {
            ratings
                .axis_iter(Axis(0))
                .into_par_iter()
                .enumerate()
                .find_map_first(bad_in)
        })
    };
    let Some((r, j, value)) = bad else {
        return Ok(());
    };
    let district = keys[r].district.clone();
    let date = keys[r].date;
    let element = rubric.element_ids()[j].clone();
    Err(if value.is_infinite() {
        Error::InfiniteRating {
            district,
            date,
            element,
            value,
        }
    } else if value < scale.min() || value > scale.max() {
        Error::RatingOutOfScale {
            district,
            date,
            element,
            value,
            min: scale.min(),
            max: scale.max(),
        }
    } else {
        Error::RatingNotAllowed {
            district,
            date,
            element,
            value,
            allowed: scale.describe_allowed(allowed),
        }
    })
}

fn csv_error(origin: Option<&String>, line: Option<u64>, message: impl Into<String>) -> Error {
    Error::Csv {
        origin: origin.cloned(),
        line,
        message: message.into(),
    }
}

fn read_long_records(
    mut reader: impl Read,
    origin: Option<String>,
    scale: &Scale,
) -> Result<(Vec<LongRating>, ColumnMap)> {
    let mut bytes = Vec::new();
    reader
        .read_to_end(&mut bytes)
        .map_err(|e| csv_error(origin.as_ref(), None, e.to_string()))?;
    let text = String::from_utf8(bytes)
        .map_err(|e| csv_error(origin.as_ref(), None, format!("not UTF-8 text: {e}")))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    // the preamble: comment and blank lines before the header
    let mut skipped: u64 = 0;
    let mut rest = text;
    loop {
        let line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
        let line = rest[..line_end].trim();
        if line.starts_with('#') || (line.is_empty() && line_end > 0 && line_end < rest.len()) {
            rest = &rest[line_end..];
            skipped += 1;
        } else {
            break;
        }
    }
    if rest.trim().is_empty() {
        return Err(csv_error(
            origin.as_ref(),
            None,
            "the file is empty: expected a header with district, date, element, rating",
        ));
    }
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(rest.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| csv_error(origin.as_ref(), Some(skipped + 1), e.to_string()))?
        .clone();
    let header: Vec<String> = headers.iter().map(str::to_owned).collect();
    let map = crate::columns::resolve(&header, &[])
        .map_err(|e| csv_error(origin.as_ref(), Some(skipped + 1), e.to_string()))?;
    let position = |role: Role| {
        map.position(role).ok_or_else(|| {
            csv_error(
                origin.as_ref(),
                Some(skipped + 1),
                format!(
                    "no {} column: a long table has district, date, element and rating columns (got {})",
                    role.name(),
                    header.join(", ")
                ),
            )
        })
    };
    let (cd, ct, ce, cr) = (
        position(Role::District)?,
        position(Role::Date)?,
        position(Role::Element)?,
        position(Role::Rating)?,
    );
    let na = NaValues::default();
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map(|p| p.line() + skipped);
            csv_error(origin.as_ref(), line, e.to_string())
        })?;
        let line = rec.position().map(|p| p.line() + skipped);
        let field = |i: usize| rec.get(i).unwrap_or("");
        let district = field(cd);
        let date = YearMonth::parse(field(ct))
            .map_err(|e| csv_error(origin.as_ref(), line, format!("district {district:?}: {e}")))?;
        let raw = field(cr);
        let rating = na.rating_on(raw, scale).map_err(|reason| {
            csv_error(
                origin.as_ref(),
                line,
                format!(
                    "rating {raw:?} is not a number (district {district:?}, date {date}, element {:?}): {reason}",
                    field(ce)
                ),
            )
        })?;
        out.push(LongRating {
            district: district.to_owned(),
            date,
            element: field(ce).to_owned(),
            rating,
        });
    }
    Ok((out, map))
}
