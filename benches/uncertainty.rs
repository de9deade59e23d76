//! The uncertainty simulation at the size of the target: 10,000
//! draws for 1,000 districts x 6 snapshots (36 elements, 5% not rated) with
//! rating noise (p = 0.1) and element bootstrap.

use std::hint::black_box;

use criterion::Criterion;
use ndarray::Array2;
use portfolio_snapshot::{Panel, Rubric, SnapshotKey, UncertaintyOptions, YearMonth};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn synthetic_panel(districts: usize, per_district: usize) -> Panel {
    let rubric = Rubric::crpe_2016();
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let n = districts * per_district;
    let data: Vec<f64> = (0..n * 36)
        .map(|_| {
            if rng.random_bool(0.05) {
                f64::NAN
            } else {
                f64::from(rng.random_range(1u8..=5))
            }
        })
        .collect();
    let mut keys = Vec::with_capacity(n);
    for d in 0..districts {
        for t in 0..per_district {
            let when = YearMonth::new(2010, 1)
                .and_then(|s| s.add_months(6 * i64::try_from(t).expect("small")))
                .expect("date");
            keys.push(SnapshotKey::new(format!("district {d:04}"), when));
        }
    }
    Panel::from_matrix(
        rubric,
        keys,
        Array2::from_shape_vec((n, 36), data).expect("shape"),
    )
    .expect("valid panel")
}

fn bench(c: &mut Criterion) {
    let panel = synthetic_panel(1_000, 6);
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
