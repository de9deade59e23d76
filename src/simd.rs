//! Rows scored in SIMD lanes.
//!
//! A block of rows (8 with AVX-512, 4 with AVX2) is transposed so that each
//! lane holds one row, and the scalar kernel's arithmetic runs on all lanes
//! at once, operation for operation in the same order: every result is
//! bitwise the one [`Scorer::score_row`] gives. The rare rows the scalar
//! kernel treats specially (weights too small for a float, a missing rating
//! under the strict policy) are scored again by it.
//!
//! The instruction set is chosen once, at run time, with `pulp` (which also
//! makes the intrinsics safe to call): the best the CPU has, unless
//! [`set_isa`] or the environment variable `PORTFOLIO_SNAPSHOT_ISA`
//! (`scalar`, `avx2` or `avx512`, read on first use) says otherwise.

// The kernels must be inlined into pulp's `vectorize` closures, which carry
// the target features (AVX2, AVX-512) they are compiled with.
#![allow(clippy::inline_always)]

use std::sync::atomic::{AtomicU8, Ordering};

use crate::error::{Error, Result};
use crate::score::{Aggregation, Scorer, TINY_WEIGHT};

/// An instruction set the scoring kernels can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Isa {
    /// One row at a time (any CPU).
    Scalar,
    /// Four rows at a time in 256-bit registers (x86-64 with AVX2 and FMA).
    Avx2,
    /// Eight rows at a time in 512-bit registers (x86-64-v4: AVX-512 F,
    /// BW, CD, DQ and VL).
    Avx512,
}

impl Isa {
    /// All three, slowest first.
    pub const ALL: [Isa; 3] = [Self::Scalar, Self::Avx2, Self::Avx512];

    /// The name used by `PORTFOLIO_SNAPSHOT_ISA` and in benchmark output.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Scalar => "scalar",
            Self::Avx2 => "avx2",
            Self::Avx512 => "avx512",
        }
    }

    /// Rows scored at once.
    #[must_use]
    pub fn lanes(self) -> usize {
        match self {
            Self::Scalar => 1,
            Self::Avx2 => 4,
            Self::Avx512 => 8,
        }
    }

    /// Whether this CPU has it.
    #[must_use]
    pub fn is_available(self) -> bool {
        match self {
            Self::Scalar => true,
            #[cfg(target_arch = "x86_64")]
            Self::Avx2 => pulp::x86::V3::is_available(),
            #[cfg(target_arch = "x86_64")]
            Self::Avx512 => pulp::x86::V4::is_available(),
            #[cfg(not(target_arch = "x86_64"))]
            _ => false,
        }
    }

    /// The fastest this CPU has.
    #[must_use]
    pub fn best() -> Isa {
        Self::ALL
            .into_iter()
            .rev()
            .find(|i| i.is_available())
            .unwrap_or(Self::Scalar)
    }

    fn code(self) -> u8 {
        match self {
            Self::Scalar => 1,
            Self::Avx2 => 2,
            Self::Avx512 => 3,
        }
    }

    fn from_code(c: u8) -> Option<Isa> {
        Self::ALL.into_iter().find(|i| i.code() == c)
    }
}

static CHOSEN: AtomicU8 = AtomicU8::new(0);

/// The instruction set the kernels use: the fastest this CPU has, or the one
/// `PORTFOLIO_SNAPSHOT_ISA` names (when the CPU has it; any other value is
/// ignored), or the last [`set_isa`].
#[must_use]
pub fn isa() -> Isa {
    if let Some(i) = Isa::from_code(CHOSEN.load(Ordering::Relaxed)) {
        return i;
    }
    let from_env = std::env::var("PORTFOLIO_SNAPSHOT_ISA").ok().and_then(|v| {
        Isa::ALL
            .into_iter()
            .find(|i| i.name() == v.trim().to_ascii_lowercase())
            .filter(|i| i.is_available())
    });
    let chosen = from_env.unwrap_or_else(Isa::best);
    CHOSEN.store(chosen.code(), Ordering::Relaxed);
    chosen
}

/// Make the kernels use `isa` from now on, in every thread (results do not
/// change: every instruction set gives bitwise the same numbers); returns
/// the one used before. For benchmarks and tests.
///
/// # Errors
/// [`Error::InvalidParameter`] when this CPU does not have `isa`.
pub fn set_isa(isa: Isa) -> Result<Isa> {
    if !isa.is_available() {
        return Err(Error::InvalidParameter {
            name: "isa",
            value: isa.name().to_owned(),
            reason: format!("this CPU does not have it (it has {})", Isa::best().name()),
        });
    }
    let before = self::isa();
    CHOSEN.store(isa.code(), Ordering::Relaxed);
    Ok(before)
}

/// Where [`Scorer::score_rows`] writes; each output is optional (`None`:
/// not wanted, and the spread is then not computed at all).
pub(crate) struct RowsOut<'a> {
    /// Component scores, rows x components (C order).
    pub components: Option<&'a mut [f64]>,
    /// Overall score per row.
    pub overall: Option<&'a mut [f64]>,
    /// Spread per row.
    pub spread: Option<&'a mut [f64]>,
    /// Coverage per row.
    pub coverage: Option<&'a mut [f64]>,
}

/// What stops [`Scorer::score_rows`]: the first problem in row order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    /// A value outside the scale's bounds (or infinite): row and column.
    Outside { row: usize, col: usize },
    /// A missing rating under the strict policy: row and column.
    Missing { row: usize, col: usize },
}

/// How many blocks of rows ahead the kernel asks for.
const PREFETCH_BLOCKS: usize = 3;

impl Scorer {
    /// Score every row of `rows` (rows of `n_elements`, one after another)
    /// into `out`, with the instruction set of [`isa`]; bitwise the results
    /// of [`Scorer::score_row`] on each row. With `bounds`, a value that is
    /// neither NaN nor within them stops scoring; under the strict policy a
    /// missing rating does. The first such problem in row order (within a
    /// row, a value outside the bounds first) is returned.
    ///
    /// # Panics
    /// If an output has the wrong length (a caller bug).
    pub(crate) fn score_rows(
        &self,
        rows: &[f64],
        out: &mut RowsOut<'_>,
        bounds: Option<(f64, f64)>,
    ) -> Option<Stop> {
        self.score_rows_on(isa(), rows, out, bounds)
    }

    /// [`Scorer::score_rows`] with a given instruction set (the scalar
    /// kernel when the CPU does not have it).
    pub(crate) fn score_rows_on(
        &self,
        isa: Isa,
        rows: &[f64],
        out: &mut RowsOut<'_>,
        bounds: Option<(f64, f64)>,
    ) -> Option<Stop> {
        let n_el = self.n_elements();
        let n = rows.len().checked_div(n_el).unwrap_or(0);
        let job = RowsJob {
            scorer: self,
            rows,
            n,
            out: &mut *out,
            bounds,
        };
        if let Ok(stop) = in_lanes(isa, job) {
            return stop;
        }
        self.rows_one_by_one(rows, 0..n, out, bounds)
    }

    /// Rows `range` with the scalar kernel.
    fn rows_one_by_one(
        &self,
        rows: &[f64],
        range: std::ops::Range<usize>,
        out: &mut RowsOut<'_>,
        bounds: Option<(f64, f64)>,
    ) -> Option<Stop> {
        let n_el = self.n_elements();
        let k = self.n_components();
        let mut scratch = vec![0.0; k];
        for r in range {
            let row = &rows[r * n_el..(r + 1) * n_el];
            if let Some(col) = bounds.and_then(|(lo, hi)| first_outside(row, lo, hi)) {
                return Some(Stop::Outside { row: r, col });
            }
            let comps: &mut [f64] = match out.components.as_deref_mut() {
                Some(c) => &mut c[r * k..(r + 1) * k],
                None => &mut scratch,
            };
            let s = self.score_row(row, comps);
            if let Some(o) = out.overall.as_deref_mut() {
                o[r] = s.overall;
            }
            if let Some(o) = out.spread.as_deref_mut() {
                o[r] = s.spread;
            }
            if let Some(o) = out.coverage.as_deref_mut() {
                o[r] = s.coverage;
            }
            if let Some(col) = s.first_missing {
                return Some(Stop::Missing { row: r, col });
            }
        }
        None
    }

    /// Whole blocks of `S::L` rows in lanes, then the rest one by one.
    #[inline(always)]
    #[allow(clippy::many_single_char_names)] // l lanes, k components, n rows, b block
    fn rows_in_lanes<S: Lanes>(
        &self,
        s: S,
        rows: &[f64],
        n: usize,
        out: &mut RowsOut<'_>,
        bounds: Option<(f64, f64)>,
    ) -> Option<Stop> {
        let l = S::L;
        let n_el = self.n_elements();
        let k = self.n_components();
        let full = n / l * l;
        let mut comp_tile = vec![0.0; k * l];
        let mut tcols = vec![s.splat(0.0); n_el];
        let mut lane_out = LaneOut::default();
        let want_spread = out.spread.is_some();
        for b in (0..full).step_by(l) {
            let block = &rows[b * n_el..(b + l) * n_el];
            let ahead = (b + PREFETCH_BLOCKS * l) * n_el..(b + (PREFETCH_BLOCKS + 1) * l) * n_el;
            if let Some(ahead) = rows.get(ahead) {
                // one hint per 64-byte line
                for line in ahead.chunks(8) {
                    s.prefetch(line);
                }
            }
            let (redo, outside) = match (want_spread, bounds) {
                (true, None) => self.block::<S, true, false>(
                    s,
                    block,
                    &mut tcols,
                    &mut comp_tile,
                    &mut lane_out,
                    (0.0, 0.0),
                ),
                (false, None) => self.block::<S, false, false>(
                    s,
                    block,
                    &mut tcols,
                    &mut comp_tile,
                    &mut lane_out,
                    (0.0, 0.0),
                ),
                (true, Some(b)) => self.block::<S, true, true>(
                    s,
                    block,
                    &mut tcols,
                    &mut comp_tile,
                    &mut lane_out,
                    b,
                ),
                (false, Some(b)) => self.block::<S, false, true>(
                    s,
                    block,
                    &mut tcols,
                    &mut comp_tile,
                    &mut lane_out,
                    b,
                ),
            };
            if let Some(c) = out.components.as_deref_mut() {
                for lane in 0..l {
                    let dst = &mut c[(b + lane) * k..(b + lane + 1) * k];
                    for (kk, d) in dst.iter_mut().enumerate() {
                        *d = comp_tile[kk * l + lane];
                    }
                }
            }
            if let Some(o) = out.overall.as_deref_mut() {
                o[b..b + l].copy_from_slice(&lane_out.overall[..l]);
            }
            if let Some(o) = out.spread.as_deref_mut() {
                o[b..b + l].copy_from_slice(&lane_out.spread[..l]);
            }
            if let Some(o) = out.coverage.as_deref_mut() {
                o[b..b + l].copy_from_slice(&lane_out.coverage[..l]);
            }
            if redo | outside != 0 {
                // lane by lane, in row order: the scalar kernel finds and
                // names the first problem, and scores the special rows
                for lane in (0..l).filter(|lane| (redo | outside) >> lane & 1 == 1) {
                    let r = b + lane;
                    if let Some(stop) = self.rows_one_by_one(rows, r..r + 1, out, bounds) {
                        return Some(stop);
                    }
                }
            }
        }
        self.rows_one_by_one(rows, full..n, out, bounds)
    }

    /// One block of `S::L` rows (`block`, C order): component scores into
    /// `comp_tile` (component-major: `[k * L + lane]`), the rest into
    /// `lane_out`. Returns the lanes the scalar kernel must score again and,
    /// with `CHECK`, the lanes with a value outside `bounds`.
    #[inline(always)]
    #[allow(clippy::many_single_char_names)] // the kernel's notation: l lanes, k component, d deviation
    fn block<S: Lanes, const SPREAD: bool, const CHECK: bool>(
        &self,
        s: S,
        block: &[f64],
        tcols: &mut [S::V],
        comp_tile: &mut [f64],
        lane_out: &mut LaneOut,
        bounds: (f64, f64),
    ) -> (u32, u32) {
        let (lo, hi) = (s.splat(bounds.0), s.splat(bounds.1));
        let l = S::L;
        let n_el = self.n_elements();
        let zero = s.splat(0.0);
        let nan = s.splat(f64::NAN);
        let shift = s.splat(self.shift);
        let mean_of_means = self.aggregation == Aggregation::MeanOfMeans;
        // the rated values' extremes per lane, for the bounds check
        let (mut low, mut high) = (s.splat(f64::INFINITY), s.splat(f64::NEG_INFINITY));
        let (mut s1, mut s2, mut n_total) = (zero, zero, zero);
        let (mut weighted, mut weight_sum) = (zero, zero);
        let mut any = s.none();
        // first the whole block, transposed: column j of the rows in
        // `tcols[j]` (one lane per row)
        let mut cols = [zero; 8];
        let mut padded = [0.0f64; 8];
        let mut c0 = 0;
        while c0 < n_el {
            let width = l.min(n_el - c0);
            // a short last chunk is read as the last L columns of the row
            // (a full, overlapping load), its columns at the end of the vector
            let (base, first) = if width == l || n_el < l {
                (c0, 0)
            } else {
                (c0 + width - l, l - width)
            };
            for (lane, col) in cols.iter_mut().enumerate().take(l) {
                let start = lane * n_el + base;
                *col = if n_el >= l {
                    s.load(&block[start..start + l])
                } else {
                    padded[..width].copy_from_slice(&block[start..start + width]);
                    s.load(&padded[..l])
                };
            }
            s.transpose(&mut cols[..l]);
            tcols[c0..c0 + width].copy_from_slice(&cols[first..first + width]);
            c0 += width;
        }
        // then component by component, column by column
        for (k, &(start, end)) in self.ranges.iter().enumerate() {
            let (mut sum, mut sum_sq, mut count) = (zero, zero, s.count_zero());
            for &v in &tcols[start..end] {
                let rated = s.rated(v);
                if CHECK {
                    low = s.min_keep(v, low);
                    high = s.max_keep(v, high);
                }
                let d = s.sub_where(rated, v, shift);
                sum = s.add(sum, d);
                if SPREAD {
                    sum_sq = s.add(sum_sq, s.mul(d, d));
                }
                count = s.count_add(rated, count);
            }
            let count_f = s.count_f64(count);
            s1 = s.add(s1, sum);
            if SPREAD {
                s2 = s.add(s2, sum_sq);
            }
            n_total = s.add(n_total, count_f);
            let needed = s.splat(self.needed[k]);
            let enough = s.and(s.gt(count_f, zero), s.ge(count_f, needed));
            let c = s.select(enough, s.add(shift, s.div(sum, count_f)), nan);
            s.store(c, &mut comp_tile[k * l..(k + 1) * l]);
            if mean_of_means {
                let w = s.splat(self.weights[k]);
                weighted = s.add_where(enough, weighted, s.mul(w, c));
                weight_sum = s.add_where(enough, weight_sum, w);
                any = s.or(any, enough);
            }
        }
        let outside = if CHECK {
            s.or(s.lt(low, lo), s.gt(high, hi))
        } else {
            s.none()
        };
        let has = s.gt(n_total, zero);
        let mean_d = s.div(s1, n_total);
        if SPREAD {
            let var = s.max0(s.div(s.sub(s2, s.mul(s1, mean_d)), n_total));
            s.store(s.select(has, var, nan), &mut lane_out.spread[..l]);
        }
        let mut redo = 0;
        let overall = if mean_of_means {
            let big = s.gt(weight_sum, s.splat(TINY_WEIGHT));
            redo |= s.bits(any) & !s.bits(big);
            s.select(big, s.div(weighted, weight_sum), nan)
        } else {
            s.select(has, s.add(shift, mean_d), nan)
        };
        s.store(overall, &mut lane_out.overall[..l]);
        s.store(
            s.div(n_total, s.splat(self.n_elements_f)),
            &mut lane_out.coverage[..l],
        );
        if self.is_strict() {
            redo |= s.bits(s.lt(n_total, s.splat(self.n_elements_f)));
        }
        (redo, s.bits(outside))
    }
}

/// Work that runs on the lanes of any instruction set (see [`in_lanes`]).
trait LanesJob {
    type Output;
    /// The work on `lanes`; inlined into code compiled for their
    /// instruction set, so implementations are `#[inline(always)]`.
    fn run<S: Lanes>(self, lanes: S) -> Self::Output;
}

/// `job` in the SIMD lanes of `isa` when the CPU has it (AVX-512: 8 lanes,
/// AVX2: 4), inside code compiled for that instruction set; the job back
/// when not (the scalar ISA, or a CPU without it), for the caller's plain
/// loop.
#[inline]
fn in_lanes<J: LanesJob>(isa: Isa, job: J) -> std::result::Result<J::Output, J> {
    #[cfg(target_arch = "x86_64")]
    match isa {
        Isa::Avx512 => {
            if let Some(simd) = pulp::x86::V4::try_new() {
                return Ok(simd.vectorize(OnLanes {
                    lanes: x86::W8(simd),
                    job,
                }));
            }
        }
        Isa::Avx2 => {
            if let Some(simd) = pulp::x86::V3::try_new() {
                return Ok(simd.vectorize(OnLanes {
                    lanes: x86::W4(simd),
                    job,
                }));
            }
        }
        Isa::Scalar => {}
    }
    Err(job)
}

/// A job and its lanes, as a value that pulp's `vectorize` calls inside
/// code compiled for their instruction set (a struct, not a closure, so
/// that the call is inlined there).
struct OnLanes<S, J> {
    lanes: S,
    job: J,
}

impl<S: Lanes, J: LanesJob> pulp::NullaryFnOnce for OnLanes<S, J> {
    type Output = J::Output;
    #[inline(always)]
    fn call(self) -> J::Output {
        self.job.run(self.lanes)
    }
}

/// The work of [`Scorer::score_rows`].
struct RowsJob<'a, 'b> {
    scorer: &'a Scorer,
    rows: &'a [f64],
    n: usize,
    out: &'a mut RowsOut<'b>,
    bounds: Option<(f64, f64)>,
}

impl LanesJob for RowsJob<'_, '_> {
    type Output = Option<Stop>;
    #[inline(always)]
    fn run<S: Lanes>(self, lanes: S) -> Option<Stop> {
        self.scorer
            .rows_in_lanes(lanes, self.rows, self.n, self.out, self.bounds)
    }
}

/// Add each rated value of `rows` (rows of `sums.len()` values) to `sums`
/// and 1 to `counts`, column by column, row after row (so the sums are
/// bitwise those of a plain loop). With SIMD, a vector of columns is summed
/// down all the rows in registers before it is stored.
pub(crate) fn accumulate(rows: &[f64], sums: &mut [f64], counts: &mut [f64]) {
    accumulate_on(isa(), rows, sums, counts);
}

/// [`accumulate`] with a given instruction set (the plain loop when the CPU
/// does not have it).
fn accumulate_on(isa: Isa, rows: &[f64], sums: &mut [f64], counts: &mut [f64]) {
    let job = Accumulate {
        rows,
        sums: &mut *sums,
        counts: &mut *counts,
    };
    if in_lanes(isa, job).is_ok() {
        return;
    }
    let n = sums.len();
    for row in rows.chunks_exact(n) {
        for ((s, c), &v) in sums.iter_mut().zip(counts.iter_mut()).zip(row) {
            let rated = !v.is_nan();
            *s += if rated { v } else { 0.0 };
            *c += if rated { 1.0 } else { 0.0 };
        }
    }
}

struct Accumulate<'a> {
    rows: &'a [f64],
    sums: &'a mut [f64],
    counts: &'a mut [f64],
}

impl LanesJob for Accumulate<'_> {
    type Output = ();
    #[inline(always)]
    fn run<S: Lanes>(self, s: S) {
        let l = S::L;
        let n = self.sums.len();
        let one = s.splat(1.0);
        let full = n / l * l;
        for c0 in (0..full).step_by(l) {
            let mut sum = s.load(&self.sums[c0..]);
            let mut count = s.load(&self.counts[c0..]);
            for row in self.rows.chunks_exact(n) {
                let v = s.load(&row[c0..]);
                let rated = s.rated(v);
                sum = s.add_where(rated, sum, v);
                count = s.add_where(rated, count, one);
            }
            s.store(sum, &mut self.sums[c0..]);
            s.store(count, &mut self.counts[c0..]);
        }
        if full < n && n >= l {
            // the last columns as the row's last L, the lanes already summed
            // masked off (their stored sums are loaded and stored unchanged)
            let c0 = n - l;
            let lane: [f64; 8] = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0];
            #[allow(clippy::cast_precision_loss)] // a lane index below 8
            let fresh = s.ge(s.load(&lane), s.splat((full - c0) as f64));
            let mut sum = s.load(&self.sums[c0..]);
            let mut count = s.load(&self.counts[c0..]);
            for row in self.rows.chunks_exact(n) {
                let v = s.load(&row[c0..]);
                let rated = s.and(s.rated(v), fresh);
                sum = s.add_where(rated, sum, v);
                count = s.add_where(rated, count, one);
            }
            s.store(sum, &mut self.sums[c0..]);
            s.store(count, &mut self.counts[c0..]);
            return;
        }
        for row in self.rows.chunks_exact(n) {
            let tail = self.sums[full..].iter_mut().zip(&mut self.counts[full..]);
            for ((sum, count), &v) in tail.zip(&row[full..]) {
                let rated = !v.is_nan();
                *sum += if rated { v } else { 0.0 };
                *count += if rated { 1.0 } else { 0.0 };
            }
        }
    }
}

/// The code [`clear_bands`] gives a value that floats cannot band: NaN, or
/// within a cut's interval.
pub(crate) const UNCLEAR: u32 = u32::MAX;

/// Band each of `values` by plain floats, into `out`: the number of cuts
/// at or below it, or [`UNCLEAR`] when it is NaN or inside some cut's
/// `[low, high]`. `cuts` are `(cut, low, high)`, as `ClearCuts` holds them;
/// every value gets the code the scalar test (`scale::clear_band`) gives
/// it (the same comparisons, a vector of values at a time).
pub(crate) fn clear_bands(cuts: &[(f64, f64, f64)], values: &[f64], out: &mut [u32]) {
    clear_bands_on(isa(), cuts, values, out);
}

/// [`clear_bands`] with a given instruction set (one value at a time when
/// the CPU does not have it).
fn clear_bands_on(isa: Isa, cuts: &[(f64, f64, f64)], values: &[f64], out: &mut [u32]) {
    assert_eq!(values.len(), out.len(), "one code per value");
    let job = ClearBands {
        cuts,
        values,
        out: &mut *out,
    };
    if in_lanes(isa, job).is_ok() {
        return;
    }
    for (o, &v) in out.iter_mut().zip(values) {
        *o = clear_band(cuts, v);
    }
}

/// One value's code (see [`clear_bands`]): the scalar test itself.
#[inline]
fn clear_band(cuts: &[(f64, f64, f64)], value: f64) -> u32 {
    crate::scale::clear_band(cuts, value)
        .and_then(|b| u32::try_from(b).ok())
        .unwrap_or(UNCLEAR)
}

struct ClearBands<'a> {
    cuts: &'a [(f64, f64, f64)],
    values: &'a [f64],
    out: &'a mut [u32],
}

impl LanesJob for ClearBands<'_> {
    type Output = ();
    #[inline(always)]
    fn run<S: Lanes>(self, s: S) {
        let l = S::L;
        let one = s.splat(1.0);
        let full = self.values.len() / l * l;
        let mut bands = [0.0f64; 8];
        for (chunk, out) in self.values[..full]
            .chunks_exact(l)
            .zip(self.out[..full].chunks_exact_mut(l))
        {
            let v = s.load(chunk);
            let mut band = s.splat(0.0);
            // NaN lanes start unclear
            let mut clear = s.rated(v);
            for &(cut, low, high) in self.cuts {
                // `cut <= v`, `low <= v`, `v <= high`: false for NaN, as in
                // the scalar test
                band = s.add_where(s.ge(v, s.splat(cut)), band, one);
                let inside = s.and(s.ge(v, s.splat(low)), s.ge(s.splat(high), v));
                clear = s.and_not(clear, inside);
            }
            s.store(band, &mut bands[..l]);
            let clear = s.bits(clear);
            for (lane, o) in out.iter_mut().enumerate() {
                // a count of cuts: a small whole number
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let b = bands[lane] as u32;
                *o = if clear >> lane & 1 == 1 { b } else { UNCLEAR };
            }
        }
        for (o, &v) in self.out[full..].iter_mut().zip(&self.values[full..]) {
            *o = clear_band(self.cuts, v);
        }
    }
}

/// One component's element bootstrap in one district, for
/// [`bootstrap_in_lanes`]: its `m` rated elements (of at most
/// [`BootRun::MAX_WIDTH`] columns from `start`) each take the value of one
/// of them, the `q`-th rated element the one picked by the high half of the
/// bootstrap's word `start + q` (of the district's; see
/// [`crate::counter_rng::word`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct BootRun {
    pub start: u32,
    pub m: u32,
    /// The rated columns, relative to `start` (lanes from `m` on: 0).
    pub rated: [u8; 8],
    /// Per column of the component, its index among the rated ones (0 for
    /// an unrated column).
    pub rank: [u8; 8],
    /// Bit `i` set when column `start + i` is rated.
    pub rated_mask: u8,
}

impl BootRun {
    /// The widest component [`bootstrap_in_lanes`] takes.
    pub(crate) const MAX_WIDTH: usize = 8;

    /// The run of a component from column `start` whose rated columns are
    /// `rated` (ascending, all below `start + MAX_WIDTH`; two or more).
    pub(crate) fn new(start: usize, rated: &[u32]) -> Self {
        debug_assert!(
            rated.len() >= 2
                && rated
                    .iter()
                    .all(|&j| (start..start + Self::MAX_WIDTH).contains(&(j as usize))),
            "two or more rated columns within MAX_WIDTH of the start"
        );
        let mut run = Self {
            // at most MAX_ELEMENTS
            #[allow(clippy::cast_possible_truncation)]
            start: start as u32,
            // at most 8
            #[allow(clippy::cast_possible_truncation)]
            m: rated.len() as u32,
            rated: [0; 8],
            rank: [0; 8],
            rated_mask: 0,
        };
        for (q, &j) in rated.iter().enumerate() {
            let i = j as usize - start;
            // offsets and ranks below 8
            #[allow(clippy::cast_possible_truncation)]
            {
                run.rated[q] = i as u8;
                run.rank[i] = q as u8;
            }
            run.rated_mask |= 1 << i;
        }
        run
    }
}

/// A district's element bootstrap in SIMD lanes, a component at a time:
/// `row[j] = values[pick]` for every rated element `j` of every run, each
/// pick Lemire's multiply of the high half of word `first_word + start + q`
/// of the counter-based generator keyed `key` by the run's `m`, as the
/// scalar loop picks. Returns `false`, having written only some of `row`,
/// when the CPU or the chosen instruction set has no AVX-512, or when some
/// pick needs Lemire's rejection test (a chance of at most `m / 2^32` per
/// pick): the caller then runs the scalar loop, which writes every picked
/// element again.
pub(crate) fn bootstrap_in_lanes(
    runs: &[BootRun],
    key: u64,
    first_word: u64,
    values: &[f64],
    row: &mut [f64],
) -> bool {
    #[cfg(target_arch = "x86_64")]
    if isa() == Isa::Avx512
        && let Some(simd) = pulp::x86::V4::try_new()
    {
        return simd.vectorize(x86::BootstrapW8 {
            simd,
            runs,
            key,
            first_word,
            values,
            row,
        });
    }
    let _ = (runs, key, first_word, values, row);
    false
}

/// The first value of `row` that is neither NaN nor within `[lo, hi]`.
fn first_outside(row: &[f64], lo: f64, hi: f64) -> Option<usize> {
    row.iter()
        .position(|&v| !(v.is_nan() || (v >= lo && v <= hi)))
}

/// The per-lane results of one block.
#[derive(Default)]
struct LaneOut {
    overall: [f64; 8],
    spread: [f64; 8],
    coverage: [f64; 8],
}

/// The operations the block kernel needs, on `L` lanes of f64.
trait Lanes: Copy {
    /// Lanes per vector.
    const L: usize;
    /// A vector of `L` f64.
    type V: Copy;
    /// A mask of `L` lanes.
    type M: Copy;
    fn splat(self, x: f64) -> Self::V;
    /// `L` values from the front of `src`.
    fn load(self, src: &[f64]) -> Self::V;
    /// The `L` values into the front of `dst`.
    fn store(self, v: Self::V, dst: &mut [f64]);
    fn add(self, a: Self::V, b: Self::V) -> Self::V;
    fn sub(self, a: Self::V, b: Self::V) -> Self::V;
    fn mul(self, a: Self::V, b: Self::V) -> Self::V;
    fn div(self, a: Self::V, b: Self::V) -> Self::V;
    /// `max(a, 0)` as `f64::max` gives it for a value that is not NaN.
    fn max0(self, a: Self::V) -> Self::V;
    /// `min(v, acc)`, keeping `acc` where `v` is NaN.
    fn min_keep(self, v: Self::V, acc: Self::V) -> Self::V;
    /// `max(v, acc)`, keeping `acc` where `v` is NaN.
    fn max_keep(self, v: Self::V, acc: Self::V) -> Self::V;
    /// A per-lane count (integers where the instruction set converts them
    /// to f64 cheaply, f64 otherwise).
    type C: Copy;
    fn count_zero(self) -> Self::C;
    /// The count plus one where `m`.
    fn count_add(self, m: Self::M, c: Self::C) -> Self::C;
    /// The count as f64 (exact).
    fn count_f64(self, c: Self::C) -> Self::V;
    /// Lanes that are not NaN.
    fn rated(self, v: Self::V) -> Self::M;
    /// `a - b` where `m`, else `+0.0`.
    fn sub_where(self, m: Self::M, a: Self::V, b: Self::V) -> Self::V;
    /// `acc + x` where `m`, else `acc`.
    fn add_where(self, m: Self::M, acc: Self::V, x: Self::V) -> Self::V;
    fn gt(self, a: Self::V, b: Self::V) -> Self::M;
    fn ge(self, a: Self::V, b: Self::V) -> Self::M;
    fn lt(self, a: Self::V, b: Self::V) -> Self::M;
    fn and(self, a: Self::M, b: Self::M) -> Self::M;
    fn or(self, a: Self::M, b: Self::M) -> Self::M;
    /// `a` and not `b`.
    fn and_not(self, a: Self::M, b: Self::M) -> Self::M;
    /// The empty mask.
    fn none(self) -> Self::M;
    /// `a` where `m`, else `b`.
    fn select(self, m: Self::M, a: Self::V, b: Self::V) -> Self::V;
    /// Bit `i` set for lane `i` in the mask.
    fn bits(self, m: Self::M) -> u32;
    /// Transpose `L` vectors of `L` lanes in place (`rows[i][j]` becomes
    /// `rows[j][i]`).
    fn transpose(self, rows: &mut [Self::V]);
    /// Ask for the cache line holding the front of `at` ahead of its use
    /// (a hint: no value is read).
    fn prefetch(self, at: &[f64]);
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use core::arch::x86_64::{__m256d, __m512d, __m512i, __mmask8};

    use pulp::x86::{V3, V4};

    use super::Lanes;

    // comparison predicates (Intel's _CMP_*)
    const ORD_Q: i32 = 7;
    const LT_OQ: i32 = 17;
    const GE_OQ: i32 = 29;
    const GT_OQ: i32 = 30;

    /// [`super::bootstrap_in_lanes`] with AVX-512.
    pub(super) struct BootstrapW8<'a> {
        pub simd: V4,
        pub runs: &'a [super::BootRun],
        pub key: u64,
        pub first_word: u64,
        pub values: &'a [f64],
        pub row: &'a mut [f64],
    }

    impl pulp::NullaryFnOnce for BootstrapW8<'_> {
        type Output = bool;
        #[inline(always)]
        #[allow(clippy::many_single_char_names)] // f, the AVX-512 intrinsics; z, x, m as in counter_rng and below()
        fn call(self) -> bool {
            use crate::counter_rng::{GAMMA, MIX};
            let (f, dq) = (self.simd.avx512f, self.simd.avx512dq);
            // the words' constants as i64 lanes (the same bits)
            let splat = |x: u64| f._mm512_set1_epi64(x.cast_signed());
            let (gamma, mix0, mix1) = (splat(GAMMA), splat(MIX[0]), splat(MIX[1]));
            let key = splat(self.key);
            // eight small numbers, one per lane (lane 0 first)
            let to_lanes = |b: [u8; 8]| {
                let [b0, b1, b2, b3, b4, b5, b6, b7] = b.map(i64::from);
                f._mm512_set_epi64(b7, b6, b5, b4, b3, b2, b1, b0)
            };
            let lane = to_lanes([0, 1, 2, 3, 4, 5, 6, 7]);
            let low32 = splat(0xffff_ffff);
            for run in self.runs {
                let start = run.start as usize;
                // the run's words, one per lane: SplitMix64's output at
                // index first_word + start + lane (counter_rng::word)
                let index =
                    f._mm512_add_epi64(lane, splat(self.first_word + u64::from(run.start) + 1));
                let mut z = f._mm512_add_epi64(key, dq._mm512_mullo_epi64(index, gamma));
                z = f._mm512_xor_si512(z, f._mm512_srli_epi64::<30>(z));
                z = dq._mm512_mullo_epi64(z, mix0);
                z = f._mm512_xor_si512(z, f._mm512_srli_epi64::<27>(z));
                z = dq._mm512_mullo_epi64(z, mix1);
                z = f._mm512_xor_si512(z, f._mm512_srli_epi64::<31>(z));
                // the high half of each word, times m, in 64 bits per lane:
                // the pick is the high half of the product
                let x = f._mm512_srli_epi64::<32>(z);
                let m = splat(u64::from(run.m));
                let prod = f._mm512_mul_epu32(x, m);
                let low = f._mm512_and_si512(prod, low32);
                #[allow(clippy::cast_possible_truncation)] // m <= 8: 8 lanes
                let lanes = ((1u16 << run.m) - 1) as __mmask8;
                if f._mm512_cmplt_epu64_mask(low, m) & lanes != 0 {
                    // Lemire's rejection test is due: the scalar loop
                    return false;
                }
                let pick = f._mm512_srli_epi64::<32>(prod);
                let rated = to_lanes(run.rated);
                // lane q: the column the q-th rated element takes its value from
                let from = f._mm512_permutexvar_epi64(pick, rated);
                let vals = load_up_to_8(self.values, start);
                let picked = f._mm512_permutexvar_pd(from, vals);
                let rank = to_lanes(run.rank);
                // back to column order, into the rated columns only: the
                // row's other columns (unrated, or the next components')
                // are loaded and stored unchanged
                let by_column = f._mm512_permutexvar_pd(rank, picked);
                if let Some(dst) = self.row.get_mut(start..start + 8) {
                    let cur: [f64; 8] = (&*dst).try_into().unwrap_or_else(|_| unreachable!());
                    let out: [f64; 8] = pulp::cast(f._mm512_mask_blend_pd(
                        run.rated_mask,
                        pulp::cast(cur),
                        by_column,
                    ));
                    dst.copy_from_slice(&out);
                } else {
                    let cur = load_up_to_8(self.row, start);
                    let out: [f64; 8] =
                        pulp::cast(f._mm512_mask_blend_pd(run.rated_mask, cur, by_column));
                    let n = self.row.len() - start;
                    self.row[start..].copy_from_slice(&out[..n]);
                }
            }
            true
        }
    }

    /// `src[start..start + 8]`, NaN past the end of `src`.
    #[inline(always)]
    fn load_up_to_8(src: &[f64], start: usize) -> __m512d {
        if let Some(v) = src.get(start..start + 8) {
            let a: [f64; 8] = v.try_into().unwrap_or_else(|_| unreachable!());
            pulp::cast(a)
        } else {
            let mut a = [f64::NAN; 8];
            let n = src.len() - start;
            a[..n].copy_from_slice(&src[start..]);
            pulp::cast(a)
        }
    }

    /// The hint of [`Lanes::prefetch`], the same on every instruction set.
    #[inline(always)]
    fn prefetch_t0(sse: pulp::core_arch::x86::Sse, at: &[f64]) {
        sse._mm_prefetch::<{ core::arch::x86_64::_MM_HINT_T0 }>(at.as_ptr().cast());
    }

    /// Four lanes, AVX2.
    #[derive(Clone, Copy)]
    pub(super) struct W4(pub V3);

    /// Eight lanes, AVX-512.
    #[derive(Clone, Copy)]
    pub(super) struct W8(pub V4);

    impl Lanes for W4 {
        #[inline(always)]
        fn prefetch(self, at: &[f64]) {
            prefetch_t0(self.0.sse, at);
        }
        const L: usize = 4;
        type V = __m256d;
        type M = __m256d;
        #[inline(always)]
        fn splat(self, x: f64) -> __m256d {
            self.0.avx._mm256_set1_pd(x)
        }
        #[inline(always)]
        fn load(self, src: &[f64]) -> __m256d {
            let a: [f64; 4] = src[..4].try_into().unwrap_or_else(|_| unreachable!());
            pulp::cast(a)
        }
        #[inline(always)]
        fn store(self, v: __m256d, dst: &mut [f64]) {
            let a: [f64; 4] = pulp::cast(v);
            dst[..4].copy_from_slice(&a);
        }
        #[inline(always)]
        fn add(self, a: __m256d, b: __m256d) -> __m256d {
            self.0.avx._mm256_add_pd(a, b)
        }
        #[inline(always)]
        fn sub(self, a: __m256d, b: __m256d) -> __m256d {
            self.0.avx._mm256_sub_pd(a, b)
        }
        #[inline(always)]
        fn mul(self, a: __m256d, b: __m256d) -> __m256d {
            self.0.avx._mm256_mul_pd(a, b)
        }
        #[inline(always)]
        fn div(self, a: __m256d, b: __m256d) -> __m256d {
            self.0.avx._mm256_div_pd(a, b)
        }
        #[inline(always)]
        fn max0(self, a: __m256d) -> __m256d {
            self.0.avx._mm256_max_pd(a, self.splat(0.0))
        }
        #[inline(always)]
        fn min_keep(self, v: __m256d, acc: __m256d) -> __m256d {
            self.0.avx._mm256_min_pd(v, acc)
        }
        #[inline(always)]
        fn max_keep(self, v: __m256d, acc: __m256d) -> __m256d {
            self.0.avx._mm256_max_pd(v, acc)
        }
        type C = __m256d;
        #[inline(always)]
        fn count_zero(self) -> __m256d {
            self.splat(0.0)
        }
        #[inline(always)]
        fn count_add(self, m: __m256d, c: __m256d) -> __m256d {
            self.add_where(m, c, self.splat(1.0))
        }
        #[inline(always)]
        fn count_f64(self, c: __m256d) -> __m256d {
            c
        }
        #[inline(always)]
        fn rated(self, v: __m256d) -> __m256d {
            self.0.avx._mm256_cmp_pd::<ORD_Q>(v, v)
        }
        #[inline(always)]
        fn sub_where(self, m: __m256d, a: __m256d, b: __m256d) -> __m256d {
            self.0.avx._mm256_and_pd(self.sub(a, b), m)
        }
        #[inline(always)]
        fn add_where(self, m: __m256d, acc: __m256d, x: __m256d) -> __m256d {
            self.0.avx._mm256_blendv_pd(acc, self.add(acc, x), m)
        }
        #[inline(always)]
        fn gt(self, a: __m256d, b: __m256d) -> __m256d {
            self.0.avx._mm256_cmp_pd::<GT_OQ>(a, b)
        }
        #[inline(always)]
        fn ge(self, a: __m256d, b: __m256d) -> __m256d {
            self.0.avx._mm256_cmp_pd::<GE_OQ>(a, b)
        }
        #[inline(always)]
        fn lt(self, a: __m256d, b: __m256d) -> __m256d {
            self.0.avx._mm256_cmp_pd::<LT_OQ>(a, b)
        }
        #[inline(always)]
        fn and(self, a: __m256d, b: __m256d) -> __m256d {
            self.0.avx._mm256_and_pd(a, b)
        }
        #[inline(always)]
        fn or(self, a: __m256d, b: __m256d) -> __m256d {
            self.0.avx._mm256_or_pd(a, b)
        }
        #[inline(always)]
        fn and_not(self, a: __m256d, b: __m256d) -> __m256d {
            // andnot(x, y) is !x & y
            self.0.avx._mm256_andnot_pd(b, a)
        }
        #[inline(always)]
        fn none(self) -> __m256d {
            self.splat(0.0)
        }
        #[inline(always)]
        fn select(self, m: __m256d, a: __m256d, b: __m256d) -> __m256d {
            self.0.avx._mm256_blendv_pd(b, a, m)
        }
        #[inline(always)]
        #[allow(clippy::cast_sign_loss)] // a 4-bit mask
        fn bits(self, m: __m256d) -> u32 {
            self.0.avx._mm256_movemask_pd(m) as u32
        }
        #[inline(always)]
        fn transpose(self, rows: &mut [__m256d]) {
            let x = self.0.avx;
            let t0 = x._mm256_unpacklo_pd(rows[0], rows[1]);
            let t1 = x._mm256_unpackhi_pd(rows[0], rows[1]);
            let t2 = x._mm256_unpacklo_pd(rows[2], rows[3]);
            let t3 = x._mm256_unpackhi_pd(rows[2], rows[3]);
            rows[0] = x._mm256_permute2f128_pd::<0x20>(t0, t2);
            rows[1] = x._mm256_permute2f128_pd::<0x20>(t1, t3);
            rows[2] = x._mm256_permute2f128_pd::<0x31>(t0, t2);
            rows[3] = x._mm256_permute2f128_pd::<0x31>(t1, t3);
        }
    }

    impl Lanes for W8 {
        #[inline(always)]
        fn prefetch(self, at: &[f64]) {
            prefetch_t0(self.0.sse, at);
        }
        const L: usize = 8;
        type V = __m512d;
        type M = __mmask8;
        #[inline(always)]
        fn splat(self, x: f64) -> __m512d {
            self.0.avx512f._mm512_set1_pd(x)
        }
        #[inline(always)]
        fn load(self, src: &[f64]) -> __m512d {
            let a: [f64; 8] = src[..8].try_into().unwrap_or_else(|_| unreachable!());
            pulp::cast(a)
        }
        #[inline(always)]
        fn store(self, v: __m512d, dst: &mut [f64]) {
            let a: [f64; 8] = pulp::cast(v);
            dst[..8].copy_from_slice(&a);
        }
        #[inline(always)]
        fn add(self, a: __m512d, b: __m512d) -> __m512d {
            self.0.avx512f._mm512_add_pd(a, b)
        }
        #[inline(always)]
        fn sub(self, a: __m512d, b: __m512d) -> __m512d {
            self.0.avx512f._mm512_sub_pd(a, b)
        }
        #[inline(always)]
        fn mul(self, a: __m512d, b: __m512d) -> __m512d {
            self.0.avx512f._mm512_mul_pd(a, b)
        }
        #[inline(always)]
        fn div(self, a: __m512d, b: __m512d) -> __m512d {
            self.0.avx512f._mm512_div_pd(a, b)
        }
        #[inline(always)]
        fn max0(self, a: __m512d) -> __m512d {
            self.0.avx512f._mm512_max_pd(a, self.splat(0.0))
        }
        #[inline(always)]
        fn min_keep(self, v: __m512d, acc: __m512d) -> __m512d {
            self.0.avx512f._mm512_min_pd(v, acc)
        }
        #[inline(always)]
        fn max_keep(self, v: __m512d, acc: __m512d) -> __m512d {
            self.0.avx512f._mm512_max_pd(v, acc)
        }
        type C = __m512i;
        #[inline(always)]
        fn count_zero(self) -> __m512i {
            self.0.avx512f._mm512_setzero_si512()
        }
        #[inline(always)]
        fn count_add(self, m: __mmask8, c: __m512i) -> __m512i {
            let one = self.0.avx512f._mm512_set1_epi64(1);
            self.0.avx512f._mm512_mask_add_epi64(c, m, c, one)
        }
        #[inline(always)]
        fn count_f64(self, c: __m512i) -> __m512d {
            self.0.avx512dq._mm512_cvtepi64_pd(c)
        }
        #[inline(always)]
        fn rated(self, v: __m512d) -> __mmask8 {
            self.0.avx512f._mm512_cmp_pd_mask::<ORD_Q>(v, v)
        }
        #[inline(always)]
        fn sub_where(self, m: __mmask8, a: __m512d, b: __m512d) -> __m512d {
            self.0.avx512f._mm512_maskz_sub_pd(m, a, b)
        }
        #[inline(always)]
        fn add_where(self, m: __mmask8, acc: __m512d, x: __m512d) -> __m512d {
            self.0.avx512f._mm512_mask_add_pd(acc, m, acc, x)
        }
        #[inline(always)]
        fn gt(self, a: __m512d, b: __m512d) -> __mmask8 {
            self.0.avx512f._mm512_cmp_pd_mask::<GT_OQ>(a, b)
        }
        #[inline(always)]
        fn ge(self, a: __m512d, b: __m512d) -> __mmask8 {
            self.0.avx512f._mm512_cmp_pd_mask::<GE_OQ>(a, b)
        }
        #[inline(always)]
        fn lt(self, a: __m512d, b: __m512d) -> __mmask8 {
            self.0.avx512f._mm512_cmp_pd_mask::<LT_OQ>(a, b)
        }
        #[inline(always)]
        fn and(self, a: __mmask8, b: __mmask8) -> __mmask8 {
            a & b
        }
        #[inline(always)]
        fn or(self, a: __mmask8, b: __mmask8) -> __mmask8 {
            a | b
        }
        #[inline(always)]
        fn and_not(self, a: __mmask8, b: __mmask8) -> __mmask8 {
            a & !b
        }
        #[inline(always)]
        fn none(self) -> __mmask8 {
            0
        }
        #[inline(always)]
        fn select(self, m: __mmask8, a: __m512d, b: __m512d) -> __m512d {
            self.0.avx512f._mm512_mask_blend_pd(m, b, a)
        }
        #[inline(always)]
        fn bits(self, m: __mmask8) -> u32 {
            u32::from(m)
        }
        #[inline(always)]
        fn transpose(self, rows: &mut [__m512d]) {
            let x = self.0.avx512f;
            let t0 = x._mm512_unpacklo_pd(rows[0], rows[1]);
            let t1 = x._mm512_unpackhi_pd(rows[0], rows[1]);
            let t2 = x._mm512_unpacklo_pd(rows[2], rows[3]);
            let t3 = x._mm512_unpackhi_pd(rows[2], rows[3]);
            let t4 = x._mm512_unpacklo_pd(rows[4], rows[5]);
            let t5 = x._mm512_unpackhi_pd(rows[4], rows[5]);
            let t6 = x._mm512_unpacklo_pd(rows[6], rows[7]);
            let t7 = x._mm512_unpackhi_pd(rows[6], rows[7]);
            // 128-bit lanes 0 and 2 (0x88) or 1 and 3 (0xDD) of a, then of b
            let s0 = x._mm512_shuffle_f64x2::<0x88>(t0, t2);
            let s1 = x._mm512_shuffle_f64x2::<0x88>(t1, t3);
            let s2 = x._mm512_shuffle_f64x2::<0xDD>(t0, t2);
            let s3 = x._mm512_shuffle_f64x2::<0xDD>(t1, t3);
            let s4 = x._mm512_shuffle_f64x2::<0x88>(t4, t6);
            let s5 = x._mm512_shuffle_f64x2::<0x88>(t5, t7);
            let s6 = x._mm512_shuffle_f64x2::<0xDD>(t4, t6);
            let s7 = x._mm512_shuffle_f64x2::<0xDD>(t5, t7);
            rows[0] = x._mm512_shuffle_f64x2::<0x88>(s0, s4);
            rows[1] = x._mm512_shuffle_f64x2::<0x88>(s1, s5);
            rows[2] = x._mm512_shuffle_f64x2::<0x88>(s2, s6);
            rows[3] = x._mm512_shuffle_f64x2::<0x88>(s3, s7);
            rows[4] = x._mm512_shuffle_f64x2::<0xDD>(s0, s4);
            rows[5] = x._mm512_shuffle_f64x2::<0xDD>(s1, s5);
            rows[6] = x._mm512_shuffle_f64x2::<0xDD>(s2, s6);
            rows[7] = x._mm512_shuffle_f64x2::<0xDD>(s3, s7);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MissingPolicy, Rubric, ScoreOptions};

    /// A deterministic sequence of ratings with NaN, half steps and rows
    /// that are mostly missing.
    fn matrix(rows: usize, n_el: usize, seed: u64) -> Vec<f64> {
        let mut x = seed;
        (0..rows * n_el)
            .map(|i| {
                x = x
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                let r = (x >> 33) % 23;
                if (i / n_el) % 11 == 5 || r < 3 {
                    f64::NAN
                } else {
                    1.0 + f64::from(u32::try_from(r % 9).unwrap_or(0)) * 0.5
                }
            })
            .collect()
    }

    #[test]
    #[allow(clippy::many_single_char_names)]
    fn every_instruction_set_gives_the_scalar_bits() {
        let rubric = Rubric::crpe_2016();
        let policies = [
            MissingPolicy::Skip,
            MissingPolicy::MinCoverage(0.5),
            MissingPolicy::MinCoverage(1.0),
        ];
        let data = matrix(203, 36, 7);
        for missing in policies {
            for opts in [
                ScoreOptions::default().with_missing(missing),
                ScoreOptions::default()
                    .with_missing(missing)
                    .with_aggregation(Aggregation::Pooled),
                ScoreOptions::default()
                    .with_missing(missing)
                    .with_weights(vec![1e-300, 2.0, 0.3, 1.0, 7.0, 1.0, 1e-200]),
            ] {
                let scorer = Scorer::new(&rubric, &opts).unwrap();
                let run = |isa: Isa| {
                    let n = 203;
                    let (mut c, mut o, mut s, mut v) =
                        (vec![0.0; n * 7], vec![0.0; n], vec![0.0; n], vec![0.0; n]);
                    scorer.score_rows_on(
                        isa,
                        &data,
                        &mut RowsOut {
                            components: Some(&mut c),
                            overall: Some(&mut o),
                            spread: Some(&mut s),
                            coverage: Some(&mut v),
                        },
                        None,
                    );
                    [c, o, s, v].map(|x| x.iter().map(|f| f.to_bits()).collect::<Vec<_>>())
                };
                let scalar = run(Isa::Scalar);
                for isa in Isa::ALL.into_iter().filter(|i| i.is_available()) {
                    assert_eq!(run(isa), scalar, "{isa:?} {opts:?}");
                }
            }
        }
    }

    #[test]
    fn accumulating_in_lanes_gives_the_plain_loops_bits() {
        // widths below, at and above a vector, with and without a last
        // partial vector; sums that start from earlier rows
        for n_el in [1, 3, 4, 7, 8, 9, 10, 15, 16, 36, 37] {
            for n_rows in [0, 1, 2, 6, 13] {
                let data = matrix(n_rows, n_el, 11 + n_el as u64);
                let start: Vec<f64> = (0..n_el)
                    .map(|j| 0.1 * f64::from(u8::try_from(j).unwrap_or(0)))
                    .collect();
                let plain = {
                    let (mut sums, mut counts) = (start.clone(), vec![2.0; n_el]);
                    for row in data.chunks_exact(n_el) {
                        for ((s, c), &v) in sums.iter_mut().zip(&mut counts).zip(row) {
                            if !v.is_nan() {
                                *s += v;
                                *c += 1.0;
                            }
                        }
                    }
                    [sums, counts].map(|x| x.iter().map(|f| f.to_bits()).collect::<Vec<_>>())
                };
                for isa in Isa::ALL.into_iter().filter(|i| i.is_available()) {
                    let (mut sums, mut counts) = (start.clone(), vec![2.0; n_el]);
                    accumulate_on(isa, &data, &mut sums, &mut counts);
                    let got =
                        [sums, counts].map(|x| x.iter().map(|f| f.to_bits()).collect::<Vec<_>>());
                    assert_eq!(got, plain, "{isa:?}, {n_el} elements, {n_rows} rows");
                }
            }
        }
    }

    #[test]
    fn banding_in_lanes_gives_the_scalar_tests_codes() {
        // the CRPE scale's cuts, with an error bound wide enough that
        // values fall inside the intervals, on them and just outside
        let rubric = Rubric::crpe_2016();
        for allowed in [
            crate::AllowedRatings::Levels,
            crate::AllowedRatings::HalfSteps,
        ] {
            let bands = rubric.bands(allowed);
            for err in [0.0, 1e-12, 0.01] {
                let clear = bands.clear_cuts(err);
                let cuts = clear.cuts();
                let mut values = vec![f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -0.0, 0.0];
                for &(mid, low, high) in cuts {
                    for x in [mid, low, high] {
                        values.extend([x, x.next_down(), x.next_up(), x - 0.25, x + 0.25]);
                    }
                }
                values.extend((0..700).map(|i| f64::from(i) / 100.0));
                // every length 0..=L + 3 from every start: whole vectors,
                // short tails and none
                for isa in Isa::ALL.into_iter().filter(|i| i.is_available()) {
                    for start in 0..values.len() {
                        for len in 0..=(isa.lanes() + 3).min(values.len() - start) {
                            let v = &values[start..start + len];
                            let mut got = vec![7; len];
                            clear_bands_on(isa, cuts, v, &mut got);
                            // the scalar test, by hand: the count of cuts at
                            // or below, unless NaN or inside an interval
                            let want: Vec<u32> = v
                                .iter()
                                .map(|&x| {
                                    let inside = cuts.iter().any(|&(_, lo, hi)| lo <= x && x <= hi);
                                    if x.is_nan() || inside {
                                        UNCLEAR
                                    } else {
                                        u32::try_from(cuts.iter().filter(|c| c.0 <= x).count())
                                            .unwrap_or(UNCLEAR)
                                    }
                                })
                                .collect();
                            assert_eq!(got, want, "{isa:?} {allowed:?} err {err} {v:?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn the_bootstrap_in_lanes_picks_as_the_scalar_rule_and_declines_near_a_rejection() {
        use crate::counter_rng::word;
        // CRPE's component columns; a few columns unrated (NaN)
        let ranges = [
            (0, 6),
            (6, 12),
            (12, 16),
            (16, 22),
            (22, 25),
            (25, 30),
            (30, 36),
        ];
        let unrated = [2usize, 13, 14, 15, 23];
        let values: Vec<f64> = (0..36u32)
            .map(|j| {
                if unrated.contains(&(j as usize)) {
                    f64::NAN
                } else {
                    1.0 + f64::from(j) / 8.0
                }
            })
            .collect();
        let mut runs = Vec::new();
        for &(start, end) in &ranges {
            let rated: Vec<u32> = (start..end)
                .filter(|j| !unrated.contains(j))
                .map(|j| u32::try_from(j).unwrap_or(0))
                .collect();
            if rated.len() > 1 {
                runs.push((start, rated.clone(), BootRun::new(start, &rated)));
            }
        }
        let boot: Vec<BootRun> = runs.iter().map(|r| r.2).collect();
        let lanes = isa() == Isa::Avx512 && Isa::Avx512.is_available();
        let key = 2016;
        // the rule by hand: the q-th rated column of a run takes the value
        // of its rated column number (x * m) >> 32, x the high half of word
        // first + start + q; None where some pick's low half is below m
        let by_hand = |first: u64| -> Option<Vec<f64>> {
            let mut row = values.clone();
            for (start, rated, _) in &runs {
                let m = rated.len() as u64;
                for (q, &j) in rated.iter().enumerate() {
                    let x = word(key, first + (start + q) as u64) >> 32;
                    if (x * m) & 0xffff_ffff < m {
                        return None;
                    }
                    let pick = rated[((x * m) >> 32) as usize];
                    row[j as usize] = values[pick as usize];
                }
            }
            Some(row)
        };
        for first in [0u64, 36, 36 * 999, 123_456_789] {
            let want = by_hand(first).expect("no pick near a rejection at these words");
            let mut row = values.clone();
            assert_eq!(
                bootstrap_in_lanes(&boot, key, first, &values, &mut row),
                lanes
            );
            if lanes {
                let bits = |r: &[f64]| r.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&row), bits(&want), "words from {first}");
            }
        }
        // word 755,075,555 of key 2016 has high half 3,579,139,414, whose
        // product with 6 has low half 4 < 6 (found by search): a component
        // of six rated columns whose first pick takes that word goes to the
        // scalar loop
        let full = BootRun::new(0, &[0, 1, 2, 3, 4, 5]);
        assert_eq!(((word(key, 755_075_555) >> 32) * 6) & 0xffff_ffff, 4);
        let dense: Vec<f64> = (0..8u32).map(f64::from).collect();
        let mut row = dense.clone();
        assert!(!bootstrap_in_lanes(
            &[full],
            key,
            755_075_555,
            &dense,
            &mut row
        ));
    }

    #[test]
    fn tiny_weights_fall_back_to_the_scalar_kernel() {
        let rubric = Rubric::crpe_2016();
        let opts = ScoreOptions::default().with_weights(vec![1e-300; 7]);
        let scorer = Scorer::new(&rubric, &opts).unwrap();
        let data = matrix(16, 36, 3);
        let mut o = vec![0.0; 16];
        scorer.score_rows_on(
            Isa::best(),
            &data,
            &mut RowsOut {
                components: None,
                overall: Some(&mut o),
                spread: None,
                coverage: None,
            },
            None,
        );
        let mut comps = vec![0.0; 7];
        for (r, got) in o.iter().enumerate() {
            let want = scorer
                .score_row(&data[r * 36..(r + 1) * 36], &mut comps)
                .overall;
            assert_eq!(got.to_bits(), want.to_bits(), "row {r}");
        }
    }

    #[test]
    fn strict_stops_at_the_first_missing_rating() {
        let rubric = Rubric::crpe_2016();
        let scorer = Scorer::new(
            &rubric,
            &ScoreOptions::default().with_missing(MissingPolicy::Strict),
        )
        .unwrap();
        let mut data = vec![3.0; 20 * 36];
        data[13 * 36 + 9] = f64::NAN;
        data[17 * 36 + 2] = f64::NAN;
        for isa in Isa::ALL.into_iter().filter(|i| i.is_available()) {
            let mut o = vec![0.0; 20];
            let found = scorer.score_rows_on(
                isa,
                &data,
                &mut RowsOut {
                    components: None,
                    overall: Some(&mut o),
                    spread: None,
                    coverage: None,
                },
                None,
            );
            assert_eq!(found, Some(Stop::Missing { row: 13, col: 9 }), "{isa:?}");
        }
    }
}
