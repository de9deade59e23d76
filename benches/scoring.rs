//! Scoring and district summaries against a plain streaming read of the same
//! matrix, at three sizes (36 elements, about 5% not rated):
//!
//! - `25x6`: the report's scale, 25 districts x 6 snapshots;
//! - `13000x10`: 13,000 districts x 10 snapshots;
//! - `1M`: 166,667 districts x 6 snapshots (1,000,002 snapshots).
//!
//! `read_sum` is the reference: one thread summing every value of the matrix
//! with 8 independent accumulators, i.e. as fast as the memory delivers it.
//! `analyze` is the library's single pass (per-snapshot scores and district
//! summaries); `summarize` and `score_matrix` are its parts. The `_into`
//! variants write into buffers allocated once (their pages already touched).
//!
//! At 1M the same calls also run on one thread (`.../1 thread`, in a
//! one-thread rayon pool, which the library stays on) and with the scalar
//! kernel (`.../scalar`, through `set_isa`), so that the gains of threads
//! and of SIMD lanes show separately; everything else runs with every core
//! and the best instruction set this CPU has.

// Test data uses small whole numbers and indices; casting them is exact.
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_precision_loss,
    clippy::cast_possible_wrap,
    clippy::cast_sign_loss
)]

mod common;

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_main};
use portfolio_snapshot::{
    Control, Isa, Panel, ScoreOptions, SnapshotScores, SummaryOptions, isa, score_matrix,
    score_matrix_into, set_isa,
};

/// The reference: a streaming read of every value, 8 accumulators.
fn read_sum(values: &[f64]) -> f64 {
    let mut acc = [0.0f64; 8];
    let chunks = values.chunks_exact(8);
    let rest = chunks.remainder();
    for c in chunks {
        for (a, v) in acc.iter_mut().zip(c) {
            *a += v;
        }
    }
    acc.iter().sum::<f64>() + rest.iter().sum::<f64>()
}

fn bench(c: &mut Criterion) {
    let sizes = [
        ("25x6", 25, 6),
        ("13000x10", 13_000, 10),
        ("1M", 166_667, 6),
    ];
    let mut group = c.benchmark_group("scoring");
    for (label, districts, per) in sizes {
        let panel = common::synthetic_panel(districts, per, 7);
        let ratings = panel.ratings();
        let values = ratings.as_slice().expect("C order");
        let bytes = std::mem::size_of_val(values) as u64;
        group.throughput(Throughput::Bytes(bytes));
        if districts > 10_000 {
            group.sample_size(20);
        } else {
            group.sample_size(100);
        }
        let opts = SummaryOptions::default();
        group.bench_with_input(BenchmarkId::new("read_sum", label), values, |b, v| {
            b.iter(|| read_sum(black_box(v)));
        });
        group.bench_with_input(BenchmarkId::new("analyze", label), &panel, |b, p| {
            b.iter(|| p.analyze(black_box(&opts)).expect("ok"));
        });
        group.bench_with_input(BenchmarkId::new("summarize", label), &panel, |b, p| {
            b.iter(|| p.summarize(black_box(&opts)).expect("ok"));
        });
        let rubric = panel.rubric().clone();
        group.bench_with_input(BenchmarkId::new("score_matrix", label), &panel, |b, p| {
            b.iter(|| {
                score_matrix(&rubric, black_box(p.ratings()), &ScoreOptions::default()).expect("ok")
            });
        });
        let mut out = score_matrix(&rubric, panel.ratings(), &ScoreOptions::default()).expect("ok");
        let mut into = |p: &Panel| {
            score_matrix_into(
                &rubric,
                black_box(p.ratings()),
                &ScoreOptions::default(),
                SnapshotScores::view_mut(&mut out),
                &Control::new(),
            )
            .expect("ok");
        };
        group.bench_with_input(
            BenchmarkId::new("score_matrix_into", label),
            &panel,
            |b, p| b.iter(|| into(p)),
        );
        let mut snapshots = panel.analyze(&opts).expect("ok").snapshots;
        group.bench_with_input(BenchmarkId::new("analyze_into", label), &panel, |b, p| {
            b.iter(|| {
                p.analyze_into(black_box(&opts), snapshots.view_mut())
                    .expect("ok")
            });
        });
        if districts > 100_000 {
            let one = rayon::ThreadPoolBuilder::new()
                .num_threads(1)
                .build()
                .expect("a one-thread pool");
            let name = |what: &str| BenchmarkId::new(format!("{what}/1 thread"), label);
            group.bench_with_input(name("summarize"), &panel, |b, p| {
                b.iter(|| one.install(|| p.summarize(black_box(&opts)).expect("ok")));
            });
            group.bench_with_input(name("score_matrix_into"), &panel, |b, p| {
                b.iter(|| one.install(|| into(p)));
            });
            let best = isa();
            set_isa(Isa::Scalar).expect("scalar is always there");
            let name = |what: &str| BenchmarkId::new(format!("{what}/scalar"), label);
            group.bench_with_input(name("summarize"), &panel, |b, p| {
                b.iter(|| p.summarize(black_box(&opts)).expect("ok"));
            });
            group.bench_with_input(name("score_matrix_into"), &panel, |b, p| {
                b.iter(|| into(p));
            });
            set_isa(best).expect("it was in use");
        }
    }
    group.finish();
}

// criterion_group! generates an undocumented function.
#[allow(missing_docs)]
mod harness {
    use super::bench;
    criterion::criterion_group!(benches, bench);
}
criterion_main!(harness::benches);
