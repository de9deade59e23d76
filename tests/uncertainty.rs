//! The Monte Carlo uncertainty analysis.

// Test data uses small whole numbers and indices; casting them is exact.
#![allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]

mod common;

use common::{panel, row_by_component};
use portfolio_snapshot::{
    Error, MissingPolicy, Quadrant, RatingNoise, Rubric, ScoreOptions, SummaryOptions,
    UncertaintyOptions, datasets, draw_rng, quantile_linear,
};

fn opts(draws: usize) -> UncertaintyOptions {
    let mut o = UncertaintyOptions::default();
    o.draws = draws;
    o
}

fn all_sources(draws: usize) -> UncertaintyOptions {
    let mut o = opts(draws);
    o.seed = 42;
    o.rating_noise = 0.1;
    o.bootstrap_elements = true;
    o.weight_alpha = Some(5.0);
    o.y_cut_range = Some((2.8, 3.2));
    o.x_cut_range = Some((0.5, 0.9));
    o.aggregation = Some((0.7, 0.3));
    o
}

#[test]
fn with_every_source_off_each_draw_is_the_deterministic_summary() {
    let p = datasets::demo_panel().unwrap();
    let s = p.summarize(&SummaryOptions::default()).unwrap();
    let d = p.uncertainty_draws(&opts(7)).unwrap();
    for t in 0..7 {
        for i in 0..s.len() {
            assert_eq!(d.score[[t, i]].to_bits(), s.score[i].to_bits());
            assert_eq!(d.spread[[t, i]].to_bits(), s.spread[i].to_bits());
            assert_eq!(d.advanced[[t, i]], s.advanced[i]);
            let q = Quadrant::ALL[d.quadrant[[t, i]] as usize];
            assert_eq!(Some(q), s.quadrant[i]);
        }
        assert_eq!(d.cuts[[t, 0]], s.y_cut);
        assert_eq!(d.cuts[[t, 1]].to_bits(), s.x_cut.to_bits());
    }
    let u = d.summarize();
    for i in 0..s.len() {
        assert_eq!(u.p_advanced[i], if s.advanced[i] { 1.0 } else { 0.0 });
        assert_eq!(u.score_p5[i].to_bits(), s.score[i].to_bits());
        assert_eq!(u.rank_p5[i], u.rank_p95[i]);
    }
    // rank 1 is the highest score
    let best = s.order_by_score()[0];
    assert_eq!(u.rank_median[best], 1.0);
}

#[test]
fn results_are_bit_identical_on_one_or_many_threads() {
    let p = datasets::demo_panel().unwrap();
    let o = all_sources(300);
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| p.uncertainty_draws(&o).unwrap())
    };
    let one = run(1);
    let three = run(3);
    let bits = |a: &ndarray::Array2<f64>| a.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&one.score), bits(&three.score));
    assert_eq!(bits(&one.rank), bits(&three.rank));
    assert_eq!(bits(&one.cuts), bits(&three.cuts));
    assert_eq!(one.quadrant, three.quadrant);
    assert_eq!(one.advanced, three.advanced);
    assert_eq!(one.sticking, three.sticking);
    // and the sources did something
    assert!(one.score.column(0).iter().any(|&x| x != one.score[[0, 0]]));
    // a different seed gives different draws
    let mut other = o.clone();
    other.seed = 43;
    let diff = p.uncertainty_draws(&other).unwrap();
    assert_ne!(bits(&diff.score), bits(&one.score));
}

#[test]
fn rating_noise_changes_p_times_the_free_ratings() {
    // ratings 1..5 cycling: at 1 and 5 only one direction can move (p/2),
    // in between both can (p)
    let scale = Rubric::crpe_2016().scale().clone();
    let p = 0.2;
    let noise = RatingNoise::new(&scale, p).unwrap();
    let values: Vec<f64> = (0..500).map(|i| f64::from(i % 5 + 1)).collect();
    let edge = values.iter().filter(|&&v| v == 1.0 || v == 5.0).count() as f64;
    let free = values.len() as f64 - edge;
    let expected = p * free + p / 2.0 * edge;
    let variance = free * p * (1.0 - p) + edge * (p / 2.0) * (1.0 - p / 2.0);
    let n_draws = 2000;
    let mut total = 0usize;
    for t in 0..n_draws {
        let mut v = values.clone();
        let mut rng = draw_rng(7, t);
        total += noise.apply(&mut v, &mut rng);
        assert!(
            v.iter().all(|x| (1.0..=5.0).contains(x)),
            "clamped to the scale"
        );
    }
    let mean = total as f64 / n_draws as f64;
    let tolerance = 4.0 * (variance / n_draws as f64).sqrt();
    assert!(
        (mean - expected).abs() < tolerance,
        "mean {mean}, expected {expected} +- {tolerance}"
    );
    // steps: one level, clamped
    assert_eq!(noise.step(5.0, true), 5.0);
    assert_eq!(noise.step(5.0, false), 4.0);
    assert_eq!(noise.step(1.0, false), 1.0);
    assert_eq!(noise.step(2.5, true), 3.0);
    // NaN is never perturbed
    let mut nan = vec![f64::NAN; 10];
    assert_eq!(
        RatingNoise::new(&scale, 1.0)
            .unwrap()
            .apply(&mut nan, &mut draw_rng(1, 1)),
        0
    );
}

#[test]
fn bootstrap_picks_are_uniform_and_independent_within_and_across_components() {
    // one district, one snapshot: component 1 has two rated elements (1
    // and 5), component 5 three (1, 2 and 4), every other element is 3. A
    // draw's overall score then tells both resampled component means apart
    // (component 5 weighs 100): each pick uniform over its component's
    // rated elements and independent of the others makes the pair's law
    // that of the 2^2 x 3^3 equally likely pick combinations, counted by
    // brute force below
    let rubric = Rubric::crpe_2016();
    let sizes: Vec<usize> = rubric
        .components()
        .iter()
        .map(|c| c.elements().len())
        .collect();
    assert_eq!((sizes[0], sizes[4]), (6, 3), "CRPE's components 1 and 5");
    let mut row = row_by_component([3.0; 7]);
    row[..6].copy_from_slice(&[1.0, 5.0, f64::NAN, f64::NAN, f64::NAN, f64::NAN]);
    let c5 = sizes[..4].iter().sum::<usize>();
    row[c5..c5 + 3].copy_from_slice(&[1.0, 2.0, 4.0]);
    let one = panel(&[("Only", "2015-07", row)]);
    let mut sim = opts(20_000);
    sim.seed = 2016;
    sim.bootstrap_elements = true;
    sim.summary = SummaryOptions::default().with_score(
        ScoreOptions::default()
            .with_missing(MissingPolicy::Skip)
            .with_weights(vec![1.0, 1.0, 1.0, 1.0, 100.0, 1.0, 1.0]),
    );
    let draws = one.uncertainty_draws(&sim).unwrap();
    // overall = (c1 + 100 c5 + 5 * 3) / 106, with c1 = (a + b) / 2 and
    // c5 = k / 3: decode the pick sums (a + b, k)
    let mut observed = std::collections::BTreeMap::new();
    for &score in &draws.score {
        let t = 106.0 * score - 15.0;
        let k = ((t - 3.0) * 3.0 / 100.0).round();
        let ab = (2.0 * (t - 100.0 * k / 3.0)).round();
        *observed.entry((ab as i64, k as i64)).or_insert(0usize) += 1;
    }
    let mut expected = std::collections::BTreeMap::new();
    for a in [1, 5] {
        for b in [1, 5] {
            for x in [1, 2, 4] {
                for y in [1, 2, 4] {
                    for z in [1, 2, 4] {
                        *expected.entry((a + b, x + y + z)).or_insert(0.0) += 1.0 / 108.0;
                    }
                }
            }
        }
    }
    assert!(
        observed.keys().all(|cell| expected.contains_key(cell)),
        "only reachable pick sums: {observed:?}"
    );
    let n = draws.score.len() as f64;
    let chi2: f64 = expected
        .iter()
        .map(|(cell, share)| {
            let count = *observed.get(cell).unwrap_or(&0) as f64;
            (count - n * share).powi(2) / (n * share)
        })
        .sum();
    // 27 cells: 26 degrees of freedom, whose 99.9% quantile is 54.05
    assert_eq!(expected.len(), 27);
    assert!(
        chi2 < 54.05,
        "chi-square {chi2} over 27 cells: {observed:?}"
    );
}

#[test]
fn a_district_far_above_every_cut_is_always_advanced() {
    let p = panel(&[
        ("Top", "2015-07", row_by_component([5.0; 7])),
        ("Top", "2016-01", row_by_component([5.0; 7])),
        (
            "Low",
            "2016-01",
            row_by_component([1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0]),
        ),
        (
            "Mid",
            "2016-01",
            row_by_component([3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0]),
        ),
    ]);
    let u = p.uncertainty(&all_sources(500)).unwrap();
    let top = u.districts.iter().position(|d| d == "Top").unwrap();
    assert_eq!(u.p_advanced[top], 1.0);
    assert_eq!(u.rank_median[top], 1.0);
    assert_eq!(u.p_quadrant[[top, 0]] + u.p_quadrant[[top, 1]], 1.0); // always strong
    // exactly three components are flagged in every draw
    assert!((u.p_sticking.sum() - 3.0).abs() < 1e-12);
    for i in 0..u.districts.len() {
        assert!((u.p_quadrant.row(i).sum() - 1.0).abs() < 1e-12);
        assert!(u.score_p5[i] <= u.score_p50[i] && u.score_p50[i] <= u.score_p95[i]);
    }
}

#[test]
fn quantiles_follow_numpy_linear_rule() {
    // numpy.percentile([1, 2, 3, 4], [5, 50, 95]) = [1.15, 2.5, 3.85]
    let q = |p: f64| quantile_linear(&mut [4.0, 1.0, 3.0, 2.0], p);
    assert!((q(0.05) - 1.15).abs() < 1e-12);
    assert_eq!(q(0.5), 2.5);
    assert!((q(0.95) - 3.85).abs() < 1e-12);
    assert_eq!(q(0.0), 1.0);
    assert_eq!(q(1.0), 4.0);
    assert!(quantile_linear(&mut [], 0.5).is_nan());
}

#[test]
fn bad_options_are_rejected() {
    let p = datasets::demo_panel().unwrap();
    let check = |o: UncertaintyOptions, name: &str| match p.uncertainty(&o) {
        Err(Error::InvalidParameter { name: n, .. }) => assert_eq!(n, name),
        other => panic!("expected InvalidParameter {name}, got {other:?}"),
    };
    check(opts(0), "draws");
    let mut o = opts(5);
    o.rating_noise = 1.5;
    check(o, "rating_noise");
    let mut o = opts(5);
    o.weight_alpha = Some(0.0);
    check(o, "weight_alpha");
    let mut o = opts(5);
    o.y_cut_range = Some((3.0, 2.0));
    check(o, "y_cut_range");
    let mut o = opts(5);
    o.x_cut_range = Some((f64::NAN, 1.0));
    check(o, "x_cut_range");
    let mut o = opts(5);
    o.aggregation = Some((-1.0, 1.0));
    check(o, "aggregation");
}
