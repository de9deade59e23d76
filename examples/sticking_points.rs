//! The main job: the analyses of *Sticking Points* (CRPE, 2016) on a panel,
//! printed as aligned tables.
//!
//! Run: `cargo run --release --example sticking_points [-- RATINGS.csv]`
//! Without an argument it reads the shipped demo panel, whose ratings are
//! **synthetic** (see `examples/generate_demo.rs`).

use std::error::Error;

use portfolio_snapshot::{Basis, Panel, PanelOptions, Rubric, SummaryOptions, datasets, findings};

fn main() -> Result<(), Box<dyn Error>> {
    let path = std::env::args().nth(1);
    let (panel, label) = match &path {
        Some(p) => (
            Panel::from_long_csv_path(Rubric::crpe_2016(), p, PanelOptions::default())?,
            p.clone(),
        ),
        None => (datasets::demo_panel()?, datasets::DEMO_LABEL.to_owned()),
    };
    let opts = SummaryOptions::default();
    let summary = panel.summarize(&opts)?;

    println!("Sticking Points analyses — {label}");
    println!(
        "{} districts, {} snapshots, rubric {}; basis: {}; cuts: score {:.2}, spread {:.3} (mean)",
        panel.n_districts(),
        panel.n_snapshots(),
        panel.rubric().id(),
        summary.basis,
        summary.y_cut,
        summary.x_cut
    );
    println!();
    println!("District summary, highest score first");
    println!(
        "{:<24} {:>6} {:>7}  {:<23} {:>8} {:>9} {:>4}  {:<7} {:<7}",
        "district", "score", "spread", "quadrant", "advanced", "progress", "n", "first", "last"
    );
    for d in summary.order_by_score() {
        println!(
            "{:<24} {:>6.2} {:>7.3}  {:<23} {:>8} {:>+9.2} {:>4}  {:<7} {:<7}",
            summary.districts[d],
            summary.score[d],
            summary.spread[d],
            summary.quadrant[d].map_or("-", |q| q.label()),
            if summary.advanced[d] { "yes" } else { "no" },
            summary.recent_progress[d],
            summary.n_snapshots[d],
            summary.first_date[d].to_string(),
            summary.last_date[d].to_string(),
        );
    }
    let n_adv = summary.advanced.iter().filter(|a| **a).count();
    println!("advanced: {n_adv} of {}", summary.len());

    println!();
    println!(
        "Components ranked by mean score across districts (basis: {})",
        opts.basis
    );
    println!(
        "{:>4}  {:<16} {:>10} {:>10}",
        "rank", "component", "mean_score", "districts"
    );
    for e in &panel.rank_components(&opts)?.entries {
        println!(
            "{:>4}  {:<16} {:>10.2} {:>10}",
            e.position, e.name, e.mean_score, e.n_districts
        );
    }

    println!();
    println!(
        "Sticking points: the five lowest elements (basis: {})",
        Basis::Average
    );
    println!(
        "{:>4}  {:<5} {:<15} {:>10}  text",
        "rank", "id", "component", "mean_score"
    );
    for e in panel.rank_elements(Basis::Average).lowest(5) {
        println!(
            "{:>4}  {:<5} {:<15} {:>10.2}  {}",
            e.position, e.id, e.component, e.mean_score, e.name
        );
    }
    println!();
    let results = findings::report_findings(&panel)?;
    let held = results.iter().filter(|r| r.holds).count();
    if held == results.len() {
        println!(
            "The {} reproduces all {} of the 2016 report's published findings checked \
             (advanced districts, Figures 4-6, named elements; see the README).",
            if path.is_none() {
                "demo panel"
            } else {
                "panel"
            },
            results.len()
        );
    } else {
        println!(
            "{held} of the {} published findings of the 2016 report hold on this panel; not:",
            results.len()
        );
        for r in results.iter().filter(|r| !r.holds) {
            println!("  {} {} ({})", r.finding.id, r.finding.statement, r.detail);
        }
    }
    if path.is_none() {
        println!("Note: {}.", datasets::DEMO_LABEL);
    }
    Ok(())
}
