//! Shared by the benches: a synthetic panel of ratings.

use ndarray::Array2;
use portfolio_snapshot::{Panel, Rubric, SnapshotKey, YearMonth};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A synthetic panel: `districts` x `per_district` snapshots, ratings 1-5
/// with about 5% NaN.
pub fn synthetic_panel(districts: usize, per_district: usize, seed: u64) -> Panel {
    let rubric = Rubric::crpe_2016();
    let n_el = rubric.n_elements();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let n = districts * per_district;
    let data: Vec<f64> = (0..n * n_el)
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
        let name = format!("district {d:06}");
        for t in 0..per_district {
            let when = YearMonth::new(2010, 1)
                .and_then(|s| s.add_months(6 * i64::try_from(t).expect("small")))
                .expect("date");
            keys.push(SnapshotKey::new(name.clone(), when));
        }
    }
    let m = Array2::from_shape_vec((n, n_el), data).expect("shape");
    Panel::from_matrix(rubric, keys, m).expect("valid panel")
}
