//! The basis stage: each district's one row of element values that the
//! district-level analyses summarise, built in one place for all of them
//! (district summaries, rankings, the simulation, the heatmap).
//!
//! ```text
//! basis Average : element j of district d = mean over d's snapshots of the rated x_j
//! basis Recent  : element j of district d = x_j in d's most recent snapshot
//! ```
//!
//! District summaries build the basis as the snapshot rows stream past (see
//! `summary`); [`Panel::basis_ratings`] builds it on its own.

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

use ndarray::{Array2, Axis};
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::exact::{self, ErrorModel, Exact};
use crate::panel::Panel;
use crate::scale::Bands;

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

/// Scratch buffers of the stage, reused district after district (one per
/// thread).
pub(crate) struct BasisBuilder {
    sums: Vec<f64>,
    counts: Vec<f64>,
    values: Vec<f64>,
}

impl BasisBuilder {
    pub(crate) fn new(n_elements: usize) -> Self {
        Self {
            sums: vec![0.0; n_elements],
            counts: vec![0.0; n_elements],
            values: vec![0.0; n_elements],
        }
    }

    /// District `d`'s basis row: each element's mean over the basis rows,
    /// NaN where not rated.
    pub(crate) fn district(&mut self, panel: &Panel, d: usize, basis: Basis) -> &[f64] {
        let n_el = panel.rubric().n_elements();
        let ratings = panel.ratings();
        let data = ratings
            .as_slice()
            .unwrap_or_else(|| unreachable!("a panel stores its ratings in C order"));
        let rows = basis.rows(panel.district_rows(d));
        self.sums.fill(0.0);
        self.counts.fill(0.0);
        crate::simd::accumulate(
            &data[rows.start * n_el..rows.end * n_el],
            &mut self.sums,
            &mut self.counts,
        );
        for ((v, &s), &c) in self.values.iter_mut().zip(&self.sums).zip(&self.counts) {
            *v = if c == 0.0 { f64::NAN } else { s / c };
        }
        &self.values
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
    exact_values_counted(panel, bands, basis.rows(panel.district_rows(d))).0
}

/// The exact mean of each element over the panel rows `rows` (`None`
/// where not rated), and how many of the rows rate it.
pub(crate) fn exact_values_counted(
    panel: &Panel,
    bands: &Bands,
    rows: Range<usize>,
) -> (Vec<Option<Exact>>, Vec<usize>) {
    let ratings = panel.ratings();
    (0..panel.rubric().n_elements())
        .map(|j| {
            let rated: Vec<Exact> = rows
                .clone()
                .map(|r| ratings[[r, j]])
                .filter(|v| !v.is_nan())
                .map(|v| bands.exact_rating(v))
                .collect();
            (
                (!rated.is_empty()).then(|| exact::mean(rated.iter())),
                rated.len(),
            )
        })
        .unzip()
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
            for (o, &v) in row.iter_mut().zip(b.district(self, d, basis)) {
                *o = v;
            }
        };
        if self.n_snapshots() * n_el < crate::score::PARALLEL_MIN_CELLS {
            let mut b = BasisBuilder::new(n_el);
            for (d, row) in out.axis_iter_mut(Axis(0)).enumerate() {
                fill(&mut b, d, row);
            }
        } else {
            crate::parallel::install(|| {
                out.axis_iter_mut(Axis(0))
                    .into_par_iter()
                    .enumerate()
                    .for_each_init(|| BasisBuilder::new(n_el), |b, (d, row)| fill(b, d, row));
            });
        }
        out
    }
}
