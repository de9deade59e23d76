//! District summaries, rankings and eligibility against hand-computed values.

// Test data uses small whole numbers and indices; casting them is exact.
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_precision_loss,
    clippy::cast_possible_wrap,
    clippy::cast_sign_loss
)]

mod common;

use common::{assert_close, panel, row_by_component};
use portfolio_snapshot::{
    AdvancedRule, Basis, Cut, Eligibility, Error, Quadrant, Roster, ScoreOptions, SummaryOptions,
    datasets,
};

#[test]
fn recent_progress_of_a_three_snapshot_district() {
    let p = panel(&[
        ("A", "2015-01", row_by_component([2.0; 7])),
        ("A", "2015-07", row_by_component([2.0; 7])),
        ("A", "2016-01", row_by_component([5.0; 7])),
    ]);
    let s = p.summarize(&SummaryOptions::default()).unwrap();
    // overall scores 2, 2, 5: mean 3, latest 5 → progress +2
    assert_close(s.recent_progress[0], 2.0);
    // average basis: every element averages (2 + 2 + 5) / 3 = 3
    assert_close(s.score[0], 3.0);
    assert_eq!(s.n_snapshots[0], 3);
    assert_eq!(s.first_date[0].to_string(), "2015-01");
    assert_eq!(s.last_date[0].to_string(), "2016-01");
    // recent basis: the January 2016 snapshot
    let r = p
        .summarize(&SummaryOptions::default().with_basis(Basis::Recent))
        .unwrap();
    assert_close(r.score[0], 5.0);
    assert_close(r.recent_progress[0], 2.0); // independent of the basis
}

#[test]
fn one_snapshot_gives_zero_progress() {
    let p = panel(&[(
        "A",
        "2016-01",
        row_by_component([3.0, 4.0, 1.0, 2.0, 5.0, 3.0, 3.0]),
    )]);
    let s = p.summarize(&SummaryOptions::default()).unwrap();
    assert_eq!(s.recent_progress[0], 0.0);
}

#[test]
fn average_basis_averages_each_element_over_rated_snapshots() {
    // element 1.1: 4 then NaN → 4; every other element: 1 then 3 → 2
    let mut first = row_by_component([1.0; 7]);
    first[0] = 4.0;
    let mut second = row_by_component([3.0; 7]);
    second[0] = f64::NAN;
    let p = panel(&[("A", "2015-07", first), ("A", "2016-01", second)]);
    let s = p.summarize(&SummaryOptions::default()).unwrap();
    // Choice: (4 + 5*2) / 6 = 14/6; others 2; overall (14/6 + 12) / 7
    assert_close(s.components[[0, 0]], 14.0 / 6.0);
    assert_close(s.score[0], (14.0 / 6.0 + 12.0) / 7.0);
    // spread over 36 basis values: one 4, 35 twos; mean 74/36
    let mean = 74.0 / 36.0;
    let var = ((4.0 - mean) * (4.0 - mean) + 35.0 * (2.0 - mean) * (2.0 - mean)) / 36.0;
    assert_close(s.spread[0], var);
    let basis = p.basis_ratings(Basis::Average);
    assert_eq!(basis[[0, 0]], 4.0);
    assert_eq!(basis[[0, 1]], 2.0);
}

#[test]
fn advanced_at_four_of_seven_components_not_three() {
    // Talent (elements 4.1..4.6, columns 16..22): 3,3,3,4,4,4 → 3.5 → band 4
    let mut four = row_by_component([4.0, 5.0, 4.0, 3.0, 2.0, 3.0, 1.0]);
    four[19..22].fill(4.0);
    // Talent 3,3,3,4,4 and one not rated → 17/5 = 3.4 → band 3
    let mut three = four.clone();
    three[21] = f64::NAN;
    let p = panel(&[("Four", "2016-01", four), ("Three", "2016-01", three)]);
    let s = p.summarize(&SummaryOptions::default()).unwrap();
    let (f, t) = (s.index_of("Four").unwrap(), s.index_of("Three").unwrap());
    assert_eq!(s.components[[f, 3]], 3.5);
    assert_close(s.components[[t, 3]], 3.4);
    assert_eq!(s.bands.row(f).to_vec(), [4.0, 5.0, 4.0, 4.0, 2.0, 3.0, 1.0]);
    assert_eq!(s.bands.row(t).to_vec(), [4.0, 5.0, 4.0, 3.0, 2.0, 3.0, 1.0]);
    assert!(s.advanced[f]);
    assert!(!s.advanced[t]);
    // a stricter rule: more than 4/7 of the components
    let strict = SummaryOptions::default().with_advanced(AdvancedRule {
        level: Some(4.0),
        more_than_share: 4.0 / 7.0,
    });
    assert!(!p.summarize(&strict).unwrap().advanced[f]);
}

#[test]
fn a_point_on_a_cut_goes_to_the_upper_side() {
    // A: score exactly 3 (the default y cut), spread 0 → strong and consistent
    // B: all 2 except Choice all 5 → score (5 + 6*2)/7 = 17/7, spread > 0
    let a = row_by_component([3.0; 7]);
    let b = row_by_component([5.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0]);
    let p = panel(&[("A", "2016-01", a), ("B", "2016-01", b)]);
    let s = p.summarize(&SummaryOptions::default()).unwrap();
    assert_eq!(s.y_cut, 3.0);
    // B's spread: 6 fives and 30 twos, mean 2.5 → (6*6.25 + 30*0.25)/36 = 45/36
    assert_close(s.spread[1], 45.0 / 36.0);
    // x cut = mean spread = (0 + 45/36) / 2
    assert_close(s.x_cut, 45.0 / 72.0);
    assert_eq!(s.quadrant[0], Some(Quadrant::StrongConsistent));
    assert_eq!(s.quadrant[1], Some(Quadrant::WeakerPiecemeal));

    // x cut placed exactly on B's spread: B stays piecemeal (upper side)
    let on_cut = SummaryOptions::default().with_cuts(Cut::ScaleMidpoint, Cut::Value(1.25));
    let s = p.summarize(&on_cut).unwrap();
    assert_eq!(s.quadrant[1], Some(Quadrant::WeakerPiecemeal));
    // y cut exactly on B's score: B becomes strong
    let on_y = SummaryOptions::default().with_cuts(Cut::Value(17.0 / 7.0), Cut::Mean);
    let s = p.summarize(&on_y).unwrap();
    assert_eq!(s.quadrant[1], Some(Quadrant::StrongPiecemeal));
    // a spread of 0 on a cut of 0 is piecemeal too
    let zero = SummaryOptions::default().with_cuts(Cut::Mean, Cut::Value(0.0));
    assert_eq!(
        p.summarize(&zero).unwrap().quadrant[0],
        Some(Quadrant::StrongPiecemeal)
    );
    // NaN cuts are rejected
    let nan = SummaryOptions::default().with_cuts(Cut::Value(f64::NAN), Cut::Mean);
    assert!(matches!(
        p.summarize(&nan),
        Err(Error::InvalidParameter { name: "y_cut", .. })
    ));
}

#[test]
fn median_cut_takes_the_middle_of_the_districts() {
    let p = panel(&[
        ("A", "2016-01", row_by_component([1.0; 7])),
        ("B", "2016-01", row_by_component([2.0; 7])),
        ("C", "2016-01", row_by_component([4.0; 7])),
        ("D", "2016-01", row_by_component([5.0; 7])),
    ]);
    let s = p
        .summarize(&SummaryOptions::default().with_cuts(Cut::Median, Cut::Median))
        .unwrap();
    assert_eq!(s.y_cut, 3.0); // (2 + 4) / 2
    assert_eq!(s.x_cut, 0.0);
    let s = p
        .summarize(&SummaryOptions::default().with_cuts(Cut::Mean, Cut::Mean))
        .unwrap();
    assert_eq!(s.y_cut, 3.0); // (1 + 2 + 4 + 5) / 4
}

#[test]
fn rankings_sort_high_to_low_and_keep_rubric_order_on_ties() {
    // District A: components 2, 5, 1, 5, 3, 4, 3; district B the same.
    let r = row_by_component([2.0, 5.0, 1.0, 5.0, 3.0, 4.0, 3.0]);
    let p = panel(&[("A", "2016-01", r.clone()), ("B", "2016-01", r)]);
    let ranking = p.rank_components(&SummaryOptions::default()).unwrap();
    let names: Vec<&str> = ranking.entries.iter().map(|e| e.name.as_str()).collect();
    // ties: Autonomy before Talent, Support before Engagement (rubric order)
    assert_eq!(
        names,
        [
            "Autonomy",
            "Talent",
            "Accountability",
            "Support",
            "Engagement",
            "Choice",
            "Funding"
        ]
    );
    assert_eq!(ranking.entries[0].position, 1);
    assert_eq!(ranking.entries[0].n_districts, 2);
    let lowest: Vec<&str> = ranking.lowest(2).iter().map(|e| e.name.as_str()).collect();
    assert_eq!(lowest, ["Funding", "Choice"]);

    let elements = p.rank_elements(Basis::Average);
    assert_eq!(elements.entries.len(), 36);
    // the first two are Autonomy 2.1, 2.2 (5, rubric order), the last Funding 3.4
    assert_eq!(elements.entries[0].id, "2.1");
    assert_eq!(elements.entries[1].id, "2.2");
    assert_eq!(elements.entries[35].id, "3.4");
    assert_eq!(elements.entries[35].component, "Funding");
}

#[test]
fn component_ranking_averages_district_scores_on_the_basis() {
    // A: Choice 1 then 5 (average basis 3, recent 5); B: Choice 2 (one snapshot)
    let p = panel(&[
        ("A", "2015-07", row_by_component([1.0; 7])),
        ("A", "2016-01", row_by_component([5.0; 7])),
        ("B", "2016-01", row_by_component([2.0; 7])),
    ]);
    let avg = p.rank_components(&SummaryOptions::default()).unwrap();
    assert_close(avg.entries[0].mean_score, 2.5); // (3 + 2) / 2
    let recent = p
        .rank_components(&SummaryOptions::default().with_basis(Basis::Recent))
        .unwrap();
    assert_close(recent.entries[0].mean_score, 3.5); // (5 + 2) / 2
    let el = p.rank_elements(Basis::Recent);
    assert_close(el.entries[0].mean_score, 3.5);
}

#[test]
fn eligibility_keeps_the_25_districts_of_the_report() {
    let roster = Roster::network();
    assert_eq!(roster.entries.len(), 52);
    let eligible = roster.eligible(&Eligibility::default());
    let names: Vec<&str> = eligible
        .entries
        .iter()
        .map(|e| e.district.as_str())
        .collect();
    // counted by hand from Figure 2: >= 3 snapshots and last one in Jan 2014 or later
    assert_eq!(
        names,
        [
            "Albuquerque",
            "Baltimore",
            "Central Falls",
            "Chicago",
            "Cleveland",
            "Denver",
            "Detroit",
            "Fullerton",
            "Fulton County",
            "Hartford",
            "Henry County",
            "Indianapolis",
            "Jefferson Parish",
            "Lawrence",
            "Los Angeles",
            "Memphis-Shelby County",
            "NOLA RSD",
            "Nashville",
            "New York City",
            "Oakland",
            "Sacramento",
            "Spokane",
            "Spring Branch",
            "TN ASD",
            "Tulsa",
        ]
    );
    // spot checks of the transcription
    let aldine = roster.get("Aldine").unwrap();
    assert_eq!(
        (
            aldine.most_recent_snapshot.unwrap().to_string(),
            aldine.n_snapshots
        ),
        ("2014-07".into(), 2)
    );
    assert_eq!(roster.get("Newark").unwrap().most_recent_snapshot, None);
    // New York City has exactly 3 snapshots, last Jan 2014: on both boundaries
    let nyc = roster.get("New York City").unwrap();
    assert_eq!(
        (
            nyc.n_snapshots,
            nyc.most_recent_snapshot.unwrap().to_string()
        ),
        (3, "2014-01".into())
    );
    // a stricter rule drops it
    let stricter = Eligibility {
        min_snapshots: 4,
        ..Eligibility::default()
    };
    assert!(roster.eligible(&stricter).get("New York City").is_none());
}

#[test]
fn demo_panel_is_the_eligible_districts_with_roster_counts() {
    let panel = datasets::demo_panel().unwrap();
    let roster = Roster::network().eligible(&Eligibility::default());
    assert_eq!(panel.n_districts(), 25);
    for (d, name) in panel.districts().iter().enumerate() {
        let entry = roster.get(name).unwrap();
        let rows = panel.district_rows(d);
        assert_eq!(rows.len(), entry.n_snapshots as usize, "{name}");
        assert_eq!(
            Some(panel.dates()[rows.end - 1]),
            entry.most_recent_snapshot,
            "{name}"
        );
    }
    assert!(datasets::demo_panel_csv().starts_with("# SYNTHETIC DATA"));
    // the shapes the demo promises: advanced districts, one strong but
    // piecemeal, several weaker and piecemeal
    let s = panel.summarize(&SummaryOptions::default()).unwrap();
    assert!(s.advanced.iter().any(|a| *a));
    let count = |q| s.quadrant.iter().filter(|x| **x == Some(q)).count();
    assert_eq!(count(Quadrant::StrongPiecemeal), 1);
    assert!(count(Quadrant::WeakerPiecemeal) >= 3);
}

#[test]
fn analyze_equals_score_plus_summarize() {
    let panel = datasets::demo_panel().unwrap();
    let opts = SummaryOptions::default();
    let both = panel.analyze(&opts).unwrap();
    // compared as text so that NaN equals NaN
    let score_only = panel.score(&ScoreOptions::default()).unwrap();
    assert_eq!(format!("{:?}", both.snapshots), format!("{score_only:?}"));
    let summary_only = panel.summarize(&opts).unwrap();
    assert_eq!(format!("{:?}", both.districts), format!("{summary_only:?}"));
}
