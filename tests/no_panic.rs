//! No input panics: random shapes and values (NaN, inf, negative, huge,
//! out-of-scale) through every entry point return `Ok` or `Err`.

// Test data uses small whole numbers and indices; casting them is exact.
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_precision_loss,
    clippy::cast_possible_wrap,
    clippy::cast_sign_loss
)]

use std::fmt::Write as _;

use ndarray::Array2;
use portfolio_snapshot::{
    Aggregation, Basis, Cut, MissingPolicy, Panel, PanelOptions, Rubric, ScoreOptions, SnapshotKey,
    SummaryOptions, YearMonth, score_matrix,
};
use proptest::prelude::*;

fn value() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => (1u8..=5).prop_map(f64::from),
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => Just(f64::NEG_INFINITY),
        1 => any::<f64>(),
        1 => -10.0f64..10.0,
        1 => Just(1e308),
        1 => Just(2.5),
    ]
}

fn options() -> impl Strategy<Value = SummaryOptions> {
    (
        prop_oneof![Just(Basis::Average), Just(Basis::Recent)],
        prop_oneof![
            Just(MissingPolicy::Skip),
            Just(MissingPolicy::Strict),
            (-0.5f64..1.5).prop_map(MissingPolicy::MinCoverage)
        ],
        prop_oneof![Just(Aggregation::MeanOfMeans), Just(Aggregation::Pooled)],
        prop_oneof![
            Just(Cut::Mean),
            Just(Cut::Median),
            Just(Cut::ScaleMidpoint),
            any::<f64>().prop_map(Cut::Value)
        ],
        prop::option::of(prop::collection::vec(any::<f64>(), 0..9)),
    )
        .prop_map(|(basis, missing, aggregation, cut, weights)| {
            let mut score = ScoreOptions::default()
                .with_missing(missing)
                .with_aggregation(aggregation);
            score.weights = weights;
            SummaryOptions::default()
                .with_basis(basis)
                .with_score(score)
                .with_cuts(cut, cut)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn random_matrices_never_panic(
        rows in 0usize..12,
        cols in prop_oneof![Just(36usize), Just(31usize), 0usize..40],
        values in prop::collection::vec(value(), 0..500),
        districts in prop::collection::vec(0u8..4, 0..14),
        months in prop::collection::vec(0u32..30, 0..14),
        opts in options(),
        half in any::<bool>(),
        clean in any::<bool>(),
        exact_keys in any::<bool>(),
    ) {
        let rubric = if cols == 31 { Rubric::crpe_2012() } else { Rubric::crpe_2016() };
        // half the cases keep only valid ratings and NaN, so that panels build
        let data: Vec<f64> = (0..rows * cols)
            .map(|i| values.get(i % values.len().max(1)).copied().unwrap_or(3.0))
            .map(|v| if clean && !(1.0..=5.0).contains(&v) { f64::NAN } else if clean { v.round() } else { v })
            .collect();
        let m = Array2::from_shape_vec((rows, cols), data).unwrap();
        let _ = score_matrix(&rubric, m.view(), &opts.score);
        let _ = score_matrix(&rubric, m.t(), &opts.score);
        let n_keys = if exact_keys { rows } else { districts.len() };
        let keys: Vec<SnapshotKey> = (0..n_keys)
            .map(|i| {
                let d = districts.get(i).copied().unwrap_or(i as u8);
                let m = months.get(i).copied().unwrap_or(i as u32);
                SnapshotKey::new(format!("D{d}"), YearMonth::new(2012 + (m / 12) as i32, m % 12 + 1).unwrap())
            })
            .collect();
        let popts = if half { PanelOptions::half_steps() } else { PanelOptions::default() };
        let built = Panel::from_matrix_with(rubric, keys, m, popts);
        if clean && exact_keys && rows > 0 && (cols == 36 || cols == 31) && districts.len() >= rows && months.len() >= rows {
            // only duplicate keys can stop a clean panel
            let ok_or_duplicate = built.is_ok()
                || matches!(built, Err(portfolio_snapshot::Error::DuplicateSnapshot { .. }));
            prop_assert!(ok_or_duplicate, "clean panel rejected: {:?}", built.err());
        }
        if let Ok(panel) = built {
            let _ = panel.score(&opts.score);
            if let Ok(s) = panel.summarize(&opts) {
                prop_assert_eq!(s.len(), panel.n_districts());
                let _ = s.order_by_score();
            }
            let _ = panel.analyze(&opts);
            let _ = panel.rank_components(&opts);
            let _ = panel.rank_elements(opts.basis);
            let _ = panel.to_long();
        }
    }

    #[test]
    fn random_text_never_panics(text in ".{0,200}") {
        let _ = Rubric::from_json(&text);
        let _ = Rubric::from_toml(&text);
        let _ = text.parse::<YearMonth>();
        let _ = Panel::read_long_csv(Rubric::crpe_2016(), text.as_bytes(), PanelOptions::default());
        let _ = portfolio_snapshot::Roster::read_csv(text.as_bytes(), None);
    }

    #[test]
    fn random_csv_records_never_panic(
        lines in prop::collection::vec(("[A-C]", "20[0-9]{2}-[0-1][0-9]", "[0-9]\\.[0-9]", "[-0-9.a-z]{0,4}"), 0..30)
    ) {
        let mut text = String::from("district,date,element,rating\n");
        for (d, t, e, r) in &lines {
            writeln!(text, "{d},{t},{e},{r}").unwrap();
        }
        if let Ok(p) = Panel::read_long_csv(Rubric::crpe_2016(), text.as_bytes(), PanelOptions::default()) {
            let _ = p.summarize(&SummaryOptions::default());
        }
    }
}
