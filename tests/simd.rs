//! Every instruction set gives bitwise what the scalar kernel gives, through
//! the public API: scores, summaries, full analyses, component rankings and
//! the simulation, on random panels with NaN, half steps, unbalanced
//! districts and every missing-data policy.
//!
//! One `#[test]` only: the instruction set is a process-wide setting, and
//! tests of one binary run on several threads at once.

mod common;

use common::ym;
use ndarray::Array2;
use portfolio_snapshot::{
    Aggregation, Basis, Isa, MissingPolicy, Panel, PanelOptions, Rubric, ScoreOptions, SnapshotKey,
    SummaryOptions, UncertaintyOptions, set_isa,
};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A random panel: districts with 1 to 9 snapshots (one has 40), ratings
/// 1 to 5 in half steps, about one in six missing, some rows all missing
/// but one.
fn random_panel(seed: u64, n_districts: usize) -> Panel {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let rubric = Rubric::crpe_2016();
    let n_el = rubric.n_elements();
    let mut keys = Vec::new();
    let mut values = Vec::new();
    for d in 0..n_districts {
        let n_snap = if d == 3 { 40 } else { rng.random_range(1..=9) };
        for s in 0..n_snap {
            let date = ym(&format!("{}-{:02}", 2000 + s / 2, 1 + 6 * (s % 2)));
            keys.push(SnapshotKey::new(format!("District {d}"), date));
            let sparse = rng.random_range(0..10) == 0;
            for e in 0..n_el {
                let missing = if sparse {
                    e != 7
                } else {
                    rng.random_range(0..6) == 0
                };
                values.push(if missing {
                    f64::NAN
                } else {
                    1.0 + 0.5 * f64::from(rng.random_range(0..9_u8))
                });
            }
        }
    }
    let m = Array2::from_shape_vec((keys.len(), n_el), values).expect("rows of 36");
    Panel::from_matrix_with(rubric, keys, m, PanelOptions::half_steps()).expect("valid panel")
}

/// Everything the public API computes from `panel` under `score`, in a form
/// that tells two floats apart exactly (`{:?}` prints the shortest string
/// that reads back to the same bits, and `-0.0` as such).
fn everything(panel: &Panel, score: &ScoreOptions) -> Vec<String> {
    let mut out = vec![format!("{:?}", panel.score(score))];
    for basis in [Basis::Average, Basis::Recent] {
        let opts = SummaryOptions::default()
            .with_basis(basis)
            .with_score(score.clone());
        out.push(format!("{:?}", panel.summarize(&opts)));
        out.push(format!("{:?}", panel.analyze(&opts)));
        out.push(format!("{:?}", panel.rank_components(&opts)));
    }
    let mut sim = UncertaintyOptions::default();
    sim.draws = 16;
    sim.seed = 11;
    sim.rating_noise = 0.1;
    sim.bootstrap_elements = true;
    sim.weight_alpha = Some(20.0);
    sim.aggregation = Some((1.0, 1.0));
    sim.summary = SummaryOptions::default().with_score(score.clone());
    out.push(format!("{:?}", panel.uncertainty(&sim)));
    out
}

#[test]
fn every_instruction_set_gives_the_scalar_results() {
    let policies = [
        MissingPolicy::Skip,
        MissingPolicy::MinCoverage(0.5),
        MissingPolicy::MinCoverage(1.0),
        MissingPolicy::Strict,
    ];
    let weights = vec![3.0, 1.0, 0.25, 1.0, 2.0, 1.0, 0.5];
    let available: Vec<Isa> = Isa::ALL.into_iter().filter(|i| i.is_available()).collect();
    // Sizes below and above the lanes and the parallel threshold.
    for (seed, n_districts) in [(1, 3), (2, 29), (3, 150)] {
        let panel = random_panel(seed, n_districts);
        for missing in policies {
            for score in [
                ScoreOptions::default().with_missing(missing),
                ScoreOptions::default()
                    .with_missing(missing)
                    .with_aggregation(Aggregation::Pooled),
                ScoreOptions::default()
                    .with_missing(missing)
                    .with_weights(weights.clone()),
            ] {
                set_isa(Isa::Scalar).expect("scalar is always there");
                let scalar = everything(&panel, &score);
                for &isa in &available {
                    set_isa(isa).expect("available");
                    let fast = everything(&panel, &score);
                    for (a, b) in scalar.iter().zip(&fast) {
                        assert!(
                            a == b,
                            "{isa:?} differs from scalar ({n_districts} districts, {score:?})"
                        );
                    }
                }
            }
        }
    }
    // The strict policy must actually have been exercised with an error.
    let strict =
        random_panel(2, 29).score(&ScoreOptions::default().with_missing(MissingPolicy::Strict));
    assert!(strict.is_err());
}
