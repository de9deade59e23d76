//! Ties and boundaries are decided on the exact rational values, whatever
//! the order the floats were summed in.
//!
//! The reference here is written independently of the library: plain
//! rational arithmetic (`Ratio<i128>`) on the integer ratings, following the
//! report's rules term by term.

// Test data uses small whole numbers and indices; casting them is exact.
#![allow(
    clippy::many_single_char_names,
    clippy::cast_possible_truncation,
    clippy::cast_precision_loss,
    clippy::cast_possible_wrap,
    clippy::cast_sign_loss
)]

use ndarray::Array2;
use num_rational::Ratio;
use portfolio_snapshot::{
    Basis, Cut, Panel, Quadrant, Rubric, SnapshotKey, SummaryOptions, YearMonth,
};
use proptest::prelude::*;

type Q = Ratio<i128>;

/// A crpe-2016 panel from districts given as lists of 36-wide rows (0 = not
/// rated), snapshots in January and July from 2014.
fn panel_of(districts: &[Vec<Vec<u8>>]) -> Panel {
    let mut keys = Vec::new();
    let mut flat = Vec::new();
    for (d, rows) in districts.iter().enumerate() {
        for (t, row) in rows.iter().enumerate() {
            keys.push(SnapshotKey::new(
                format!("D{d}"),
                YearMonth::new(2014, 1)
                    .unwrap()
                    .add_months(6 * t as i64)
                    .unwrap(),
            ));
            flat.extend(
                row.iter()
                    .map(|&v| if v == 0 { f64::NAN } else { f64::from(v) }),
            );
        }
    }
    let m = Array2::from_shape_vec((keys.len(), 36), flat).unwrap();
    Panel::from_matrix(Rubric::crpe_2016(), keys, m).unwrap()
}

/// The reference: exact average-basis element values of a district.
fn exact_basis(rows: &[Vec<u8>]) -> Vec<Option<Q>> {
    (0..36)
        .map(|j| {
            let rated: Vec<i128> = rows
                .iter()
                .map(|r| i128::from(r[j]))
                .filter(|&v| v > 0)
                .collect();
            (!rated.is_empty()).then(|| Q::new(rated.iter().sum::<i128>(), rated.len() as i128))
        })
        .collect()
}

fn mean(xs: &[Q]) -> Option<Q> {
    (!xs.is_empty()).then(|| xs.iter().copied().sum::<Q>() / Q::from(xs.len() as i128))
}

const SIZES: [usize; 7] = [6, 6, 4, 6, 3, 5, 6];

fn exact_components(values: &[Option<Q>]) -> Vec<Option<Q>> {
    let mut start = 0;
    SIZES
        .iter()
        .map(|&n| {
            let rated: Vec<Q> = values[start..start + n].iter().flatten().copied().collect();
            start += n;
            mean(&rated)
        })
        .collect()
}

/// Nearest level of 1..5, halfway up.
fn band(x: Q) -> i128 {
    let twice = x * Q::from(2);
    // level k covers [k - 1/2, k + 1/2)
    ((twice + Q::from(1)) / Q::from(2))
        .floor()
        .to_integer()
        .clamp(1, 5)
}

#[test]
fn tied_elements_keep_rubric_order_when_float_sums_differ() {
    // Element 1.1 averages 11/3, 8/3, 6/3 over three districts and element
    // 1.2 averages 6/3, 10/3, 9/3: both exactly 25/9. Summed in floats, 1.1
    // comes out 2.7777777777777772 and 1.2 2.777777777777778, so a float
    // sort would put 1.2 first. Every other element is 1.
    let with = |a: u8, b: u8| {
        let mut r = vec![1u8; 36];
        r[0] = a;
        r[1] = b;
        r
    };
    let p = panel_of(&[
        vec![with(3, 1), with(5, 3), with(3, 2)],
        vec![with(3, 3), with(1, 5), with(4, 2)],
        vec![with(1, 3), with(1, 4), with(4, 2)],
    ]);
    let floats: Vec<f64> = [[11.0, 8.0, 6.0], [6.0, 10.0, 9.0]]
        .iter()
        .map(|sums| sums.iter().map(|s| s / 3.0).fold(0.0, |a, b| a + b) / 3.0)
        .collect();
    assert!(floats[0] < floats[1], "the float sums differ: {floats:?}");
    let r = p.rank_elements(Basis::Average);
    assert_eq!(r.entries[0].id, "1.1");
    assert_eq!(r.entries[1].id, "1.2");
    // the sticking points are the lowest: ties among the 1s keep rubric
    // order, so the last element listed is the lowest
    let low: Vec<&str> = r.lowest(3).iter().map(|e| e.id.as_str()).collect();
    assert_eq!(low, ["7.6", "7.5", "7.4"]);
}

#[test]
fn an_exact_half_bands_up_when_the_float_falls_just_below() {
    // Funding (3.1-3.4) over three snapshots: element means 2, 4/3, 4/3, 4/3,
    // component mean exactly 3/2; summed in floats it is 1.4999999999999998.
    let row = |f: [u8; 4]| {
        let mut r = vec![3u8; 36];
        r[12..16].copy_from_slice(&f);
        r
    };
    let p = panel_of(&[vec![
        row([1, 1, 1, 1]),
        row([2, 2, 2, 1]),
        row([3, 1, 1, 2]),
    ]]);
    let s = p.summarize(&SummaryOptions::default()).unwrap();
    assert!(s.components[[0, 2]] < 1.5, "float {}", s.components[[0, 2]]);
    assert_eq!(
        s.bands[[0, 2]],
        2.0,
        "3/2 is halfway between 1 and 2: it goes up"
    );
}

#[test]
fn a_score_exactly_on_a_value_cut_is_strong() {
    // The mean of this snapshot's seven component means is exactly 16/5 = 3.2
    // (component sums 19, 27, 10, 14, 14, 12, 17 over 6, 6, 4, 6, 3, 5, 6
    // elements); summed in floats it is 3.1999999999999997. A score cut of
    // 3.2 puts it on the cut, which goes to the upper side: strong.
    let row: Vec<u8> = vec![
        2, 5, 4, 3, 3, 2, 5, 5, 4, 5, 5, 3, 3, 3, 1, 3, 3, 2, 2, 2, 1, 4, 5, 5, 4, 3, 3, 3, 1, 2,
        1, 4, 3, 3, 5, 1,
    ];
    let mut sums = [0u32; 7];
    let mut start = 0;
    for (k, n) in SIZES.iter().enumerate() {
        sums[k] = row[start..start + n].iter().map(|&v| u32::from(v)).sum();
        start += n;
    }
    assert_eq!(sums, [19, 27, 10, 14, 14, 12, 17]);
    let exact: Q = sums
        .iter()
        .zip(SIZES)
        .map(|(&s, n)| Q::new(i128::from(s), n as i128))
        .sum::<Q>()
        / Q::from(7);
    assert_eq!(exact, Q::new(16, 5));
    let p = panel_of(&[vec![row], vec![vec![2u8; 36]]]);
    let s = p
        .summarize(&SummaryOptions::default().with_cuts(Cut::Value(3.2), Cut::Mean))
        .unwrap();
    let d0 = s.index_of("D0").unwrap();
    assert!(s.score[d0] < 3.2, "float {}", s.score[d0]);
    assert!(matches!(
        s.quadrant[d0],
        Some(Quadrant::StrongConsistent | Quadrant::StrongPiecemeal)
    ));
}

fn small_panel() -> impl Strategy<Value = Vec<Vec<Vec<u8>>>> {
    // 2-5 districts, 1-4 snapshots each, ratings 1-5 or 0 (not rated, 10%)
    prop::collection::vec(
        prop::collection::vec(
            prop::collection::vec(prop_oneof![1 => Just(0u8), 9 => 1u8..=5], 36),
            1..=4,
        ),
        2..=5,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Element ranking, component ranking, bands, the advanced flag and the
    /// quadrants all agree with exact rational arithmetic.
    #[test]
    fn decisions_agree_with_exact_arithmetic(districts in small_panel()) {
        let p = panel_of(&districts);
        let opts = SummaryOptions::default();
        let s = p.summarize(&opts).unwrap();
        let basis: Vec<Vec<Option<Q>>> = districts.iter().map(|d| exact_basis(d)).collect();

        // element ranking: exact means, ties in rubric order
        let means: Vec<Option<Q>> = (0..36)
            .map(|j| mean(&basis.iter().filter_map(|b| b[j]).collect::<Vec<_>>()))
            .collect();
        let mut order: Vec<usize> = (0..36).collect();
        order.sort_by(|&a, &b| match (means[a], means[b]) {
            (Some(x), Some(y)) => y.cmp(&x).then(a.cmp(&b)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.cmp(&b),
        });
        let ids = Rubric::crpe_2016().element_ids().to_vec();
        let got: Vec<String> = p.rank_elements(Basis::Average).entries.iter().map(|e| e.id.clone()).collect();
        let want: Vec<String> = order.iter().map(|&j| ids[j].clone()).collect();
        prop_assert_eq!(got, want);

        // per district: bands, advanced, quadrant (score cut 3, spread cut = exact mean spread)
        let comps: Vec<Vec<Option<Q>>> = basis.iter().map(|b| exact_components(b)).collect();
        let scores: Vec<Option<Q>> = comps
            .iter()
            .map(|c| mean(&c.iter().flatten().copied().collect::<Vec<_>>()))
            .collect();
        let spreads: Vec<Option<Q>> = basis
            .iter()
            .map(|b| {
                let rated: Vec<Q> = b.iter().flatten().copied().collect();
                mean(&rated).map(|m| mean(&rated.iter().map(|v| (v - m) * (v - m)).collect::<Vec<_>>()).unwrap())
            })
            .collect();
        let x_cut = mean(&spreads.iter().flatten().copied().collect::<Vec<_>>());
        for d in 0..districts.len() {
            let name = format!("D{d}");
            let i = s.index_of(&name).unwrap();
            let bands: Vec<Option<i128>> = comps[d].iter().map(|c| c.map(band)).collect();
            for (k, b) in bands.iter().enumerate() {
                match b {
                    Some(b) => prop_assert_eq!(s.bands[[i, k]], *b as f64, "band {} of {}", k, name),
                    None => prop_assert!(s.bands[[i, k]].is_nan()),
                }
            }
            let reached = bands.iter().filter(|b| b.is_some_and(|b| b >= 4)).count();
            prop_assert_eq!(s.advanced[i], reached >= 4, "advanced {}", name);
            if let (Some(score), Some(spread), Some(x)) = (scores[d], spreads[d], x_cut) {
                let strong = score >= Q::from(3);
                let piecemeal = spread >= x;
                let want = match (strong, piecemeal) {
                    (true, false) => Quadrant::StrongConsistent,
                    (true, true) => Quadrant::StrongPiecemeal,
                    (false, false) => Quadrant::WeakerConsistent,
                    (false, true) => Quadrant::WeakerPiecemeal,
                };
                prop_assert_eq!(s.quadrant[i], Some(want), "quadrant {}", name);
            }
        }

        // district order by score: exact, ties in name order
        let mut by_score: Vec<usize> = (0..districts.len()).collect();
        by_score.sort_by(|&a, &b| match (scores[a], scores[b]) {
            (Some(x), Some(y)) => y.cmp(&x).then(a.cmp(&b)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.cmp(&b),
        });
        let got: Vec<String> = s.order_by_score().iter().map(|&i| s.districts[i].clone()).collect();
        let want: Vec<String> = by_score.iter().map(|&d| format!("D{d}")).collect();
        prop_assert_eq!(got, want);

        // component ranking: mean over districts of exact component scores
        let cmeans: Vec<Option<Q>> = (0..7)
            .map(|k| mean(&comps.iter().filter_map(|c| c[k]).collect::<Vec<_>>()))
            .collect();
        let mut corder: Vec<usize> = (0..7).collect();
        corder.sort_by(|&a, &b| match (cmeans[a], cmeans[b]) {
            (Some(x), Some(y)) => y.cmp(&x).then(a.cmp(&b)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.cmp(&b),
        });
        let got: Vec<String> = p.rank_components(&opts).unwrap().entries.iter().map(|e| e.id.clone()).collect();
        let want: Vec<String> = corder.iter().map(|&k| (k + 1).to_string()).collect();
        prop_assert_eq!(got, want);
    }
}

#[test]
fn the_simulation_with_no_source_decides_as_summarize() {
    // the two constructed cases above, through the simulation's own code
    let row = |f: [u8; 4]| {
        let mut r = vec![3u8; 36];
        r[12..16].copy_from_slice(&f);
        r
    };
    let p = panel_of(&[
        vec![row([1, 1, 1, 1]), row([2, 2, 2, 1]), row([3, 1, 1, 2])],
        vec![row([2, 2, 2, 2])],
    ]);
    let s = p.summarize(&SummaryOptions::default()).unwrap();
    let mut o = portfolio_snapshot::UncertaintyOptions::default();
    o.draws = 3;
    let d = p.uncertainty_draws(&o).unwrap();
    for t in 0..3 {
        for i in 0..2 {
            assert_eq!(d.advanced[[t, i]], s.advanced[i]);
            assert_eq!(d.score[[t, i]].to_bits(), s.score[i].to_bits());
            let q = s.quadrant[i].map_or(255, |q| q.index() as u8);
            assert_eq!(d.quadrant[[t, i]], q);
        }
    }
}
