//! The basis stage: each district's one row of element values that the
//! district-level analyses summarise, built in one place for all of them
//! (district summaries, rankings, the simulation, the heatmap).
//!
//! ```text
//! basis Average : element j of district d = mean over d's snapshots of the rated x_j
//! basis Recent  : element j of district d = x_j in d's most recent snapshot
//! ```
//!
//! A district's snapshots are read once: when the caller also wants
//! per-snapshot scores (for recent progress, or as output), the same pass
//! scores every snapshot row while it accumulates the element sums.

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

use ndarray::{Array2, Axis};
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::exact::{self, ErrorModel, Exact};
use crate::panel::Panel;
use crate::scale::Bands;
use crate::score::{RowScore, Scorer};

/// Which ratings of a district summarise it over time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
#[non_exhaustive]
pub enum Basis {
    /// Each element's mean over the district's snapshots (the report's
    /// Figure 4, "over time"). The default.
    #[default]
    Average,
    /// The district's most recent snapshot.
    Recent,
}

impl Basis {
    /// Both, in order.
    pub const ALL: [Basis; 2] = [Self::Average, Self::Recent];

    /// The option's name: `"average"` or `"recent"`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Average => "average",
            Self::Recent => "recent",
        }
    }

    /// The rows of a district (`rows`) that this basis averages.
    #[must_use]
    pub fn rows(self, rows: Range<usize>) -> Range<usize> {
        match self {
            Self::Average => rows,
            Self::Recent => rows.end.saturating_sub(1).max(rows.start)..rows.end,
        }
    }
}

impl FromStr for Basis {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|b| b.name() == s)
            .ok_or_else(|| Error::InvalidParameter {
                name: "basis",
                value: format!("{s:?}"),
                reason: "must be \"average\" or \"recent\"".into(),
            })
    }
}

impl fmt::Display for Basis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Per-snapshot outputs for a run of rows, written while the basis is built.
pub(crate) struct SnapshotSink<'a> {
    /// First panel row of the run.
    pub first_row: usize,
    /// Component scores, rows x components (C order).
    pub components: &'a mut [f64],
    /// Overall score per row.
    pub overall: &'a mut [f64],
    /// Spread per row.
    pub spread: &'a mut [f64],
    /// Coverage per row.
    pub coverage: &'a mut [f64],
}

/// What the stage hands back for one district.
pub(crate) struct DistrictBasis<'a> {
    /// The district's basis row: one value per element, NaN where not rated.
    pub values: &'a [f64],
    /// Mean of the per-snapshot overall scores (NaN when none scores), when
    /// snapshots were scored.
    pub mean_overall: f64,
    /// The most recent snapshot's overall score, when snapshots were scored.
    pub last_overall: f64,
}

/// Scratch buffers of the stage, reused district after district (one per
/// thread).
pub(crate) struct BasisBuilder {
    sums: Vec<f64>,
    counts: Vec<f64>,
    values: Vec<f64>,
    components: Vec<f64>,
}

impl BasisBuilder {
    pub(crate) fn new(n_elements: usize, n_components: usize) -> Self {
        Self {
            sums: vec![0.0; n_elements],
            counts: vec![0.0; n_elements],
            values: vec![0.0; n_elements],
            components: vec![0.0; n_components],
        }
    }

    /// Build district `d`'s basis. With `scorer`, every snapshot of the
    /// district is scored in the same pass (into `sink` when given); under
    /// the strict policy a missing rating is an error naming it.
    pub(crate) fn district(
        &mut self,
        panel: &Panel,
        d: usize,
        basis: Basis,
        scorer: Option<&Scorer>,
        mut sink: Option<&mut SnapshotSink<'_>>,
    ) -> Result<DistrictBasis<'_>> {
        let n_el = panel.rubric().n_elements();
        let ratings = panel.ratings();
        let data = ratings
            .as_slice()
            .unwrap_or_else(|| unreachable!("a panel stores its ratings in C order"));
        let rows = panel.district_rows(d);
        let basis_rows = basis.rows(rows.clone());
        self.sums.fill(0.0);
        self.counts.fill(0.0);
        let (mut overall_sum, mut overall_n, mut last_overall) = (0.0, 0usize, f64::NAN);
        for r in rows.clone() {
            let row = &data[r * n_el..(r + 1) * n_el];
            let in_basis = basis_rows.contains(&r);
            let Some(scorer) = scorer else {
                if in_basis {
                    accumulate(row, &mut self.sums, &mut self.counts);
                }
                continue;
            };
            let k = scorer.n_components();
            let comp_out: &mut [f64] = match sink.as_deref_mut() {
                Some(s) => {
                    let i = r - s.first_row;
                    &mut s.components[i * k..(i + 1) * k]
                }
                None => &mut self.components,
            };
            let s: RowScore = if in_basis {
                scorer.score_row_accumulate(row, comp_out, &mut self.sums, &mut self.counts)
            } else {
                scorer.score_row(row, comp_out)
            };
            if let Some(j) = s.first_missing {
                return Err(Error::MissingRating {
                    district: panel.districts()[d].clone(),
                    date: panel.dates()[r],
                    element: panel.rubric().element_ids()[j].clone(),
                });
            }
            if let Some(sink) = sink.as_deref_mut() {
                let i = r - sink.first_row;
                sink.overall[i] = s.overall;
                sink.spread[i] = s.spread;
                sink.coverage[i] = s.coverage;
            }
            if !s.overall.is_nan() {
                overall_sum += s.overall;
                overall_n += 1;
            }
            last_overall = s.overall;
        }
        for ((v, &s), &c) in self.values.iter_mut().zip(&self.sums).zip(&self.counts) {
            *v = if c == 0.0 { f64::NAN } else { s / c };
        }
        #[allow(clippy::cast_precision_loss)]
        let mean_overall = if overall_n == 0 {
            f64::NAN
        } else {
            overall_sum / overall_n as f64
        };
        Ok(DistrictBasis {
            values: &self.values,
            mean_overall,
            last_overall,
        })
    }
}

fn accumulate(row: &[f64], sums: &mut [f64], counts: &mut [f64]) {
    for ((s, c), &v) in sums.iter_mut().zip(counts.iter_mut()).zip(row) {
        let rated = !v.is_nan();
        *s += if rated { v } else { 0.0 };
        *c += if rated { 1.0 } else { 0.0 };
    }
}

/// The exact basis values of district `d` (`None` where not rated),
/// recomputed from the panel's ratings: the ground truth of every exact
/// decision about the district.
pub(crate) fn exact_values(
    panel: &Panel,
    bands: &Bands,
    d: usize,
    basis: Basis,
) -> Vec<Option<Exact>> {
    let rows = basis.rows(panel.district_rows(d));
    let ratings = panel.ratings();
    (0..panel.rubric().n_elements())
        .map(|j| {
            let rated: Vec<Exact> = rows
                .clone()
                .map(|r| ratings[[r, j]])
                .filter(|v| !v.is_nan())
                .map(|v| bands.exact_rating(v))
                .collect();
            (!rated.is_empty()).then(|| exact::mean(rated.iter()))
        })
        .collect()
}

/// What the exact decisions about a panel's basis need to know: the error
/// model (how far floats can be from exact values) and the denominator
/// bound of a basis value.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Precision {
    /// Error bounds of the panel's basis computations.
    pub model: ErrorModel,
    /// `Q * lcm(1..N)`: every basis value's denominator divides it.
    pub value_den: Option<u128>,
}

impl Precision {
    /// For a panel on a basis: `N` is the most rows one basis value
    /// averages (the most snapshots of a district on the average basis).
    pub(crate) fn of(panel: &Panel, bands: &Bands, basis: Basis) -> Self {
        let rows = match basis {
            Basis::Recent => 1,
            Basis::Average => (0..panel.n_districts())
                .map(|d| panel.district_rows(d).len())
                .max()
                .unwrap_or(1),
        };
        let value_den = bands
            .step_den()
            .and_then(|q| q.checked_mul(exact::lcm_up_to(rows)?));
        Self {
            model: ErrorModel {
                magnitude: bands.magnitude(),
                rows,
            },
            value_den,
        }
    }
}

impl Panel {
    /// Each district's element values on a basis, districts x elements:
    /// the mean over its snapshots of each rated element (`Average`), or its
    /// most recent snapshot (`Recent`). NaN where nothing is rated.
    #[must_use]
    pub fn basis_ratings(&self, basis: Basis) -> Array2<f64> {
        let n_el = self.rubric().n_elements();
        let mut out = Array2::from_elem((self.n_districts(), n_el), f64::NAN);
        let fill = |b: &mut BasisBuilder, d: usize, mut row: ndarray::ArrayViewMut1<'_, f64>| {
            if let Ok(db) = b.district(self, d, basis, None, None) {
                for (o, &v) in row.iter_mut().zip(db.values) {
                    *o = v;
                }
            }
        };
        if self.n_snapshots() * n_el < crate::score::PARALLEL_MIN_CELLS {
            let mut b = BasisBuilder::new(n_el, 0);
            for (d, row) in out.axis_iter_mut(Axis(0)).enumerate() {
                fill(&mut b, d, row);
            }
        } else {
            crate::parallel::install(|| {
                out.axis_iter_mut(Axis(0))
                    .into_par_iter()
                    .enumerate()
                    .for_each_init(|| BasisBuilder::new(n_el, 0), |b, (d, row)| fill(b, d, row));
            });
        }
        out
    }
}
