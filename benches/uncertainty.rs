//! The uncertainty simulation at the size of the target: 10,000
//! draws for 1,000 districts x 6 snapshots (36 elements, 5% not rated) with
//! rating noise (p = 0.1) and element bootstrap.

mod common;

use std::hint::black_box;

use criterion::Criterion;
use portfolio_snapshot::UncertaintyOptions;

fn bench(c: &mut Criterion) {
    let panel = common::synthetic_panel(1_000, 6, 11);
    let mut opts = UncertaintyOptions::default();
    opts.draws = 10_000;
    opts.rating_noise = 0.1;
    opts.bootstrap_elements = true;
    let mut group = c.benchmark_group("uncertainty");
    group.sample_size(10);
    group.bench_function("10000 draws, 1000x6, noise+bootstrap", |b| {
        b.iter(|| panel.uncertainty(black_box(&opts)).expect("ok"));
    });
    group.finish();
}

// criterion_group! generates an undocumented function.
#[allow(missing_docs)]
mod harness {
    use super::bench;
    criterion::criterion_group!(benches, bench);
}
criterion::criterion_main!(harness::benches);
