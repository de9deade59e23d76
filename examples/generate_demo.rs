//! Writes `data/demo_panel.csv`: a **synthetic** panel of snapshot ratings.
//!
//! No public data set of CRPE snapshot ratings exists, so the demo is made up.
//! What is real: the 25 districts the report analysed, and for each its number
//! of snapshots and the date of its last one (Figure 2). Snapshots are taken
//! twice a year (January and July) and end at the roster date.
//!
//! What is invented: every rating. Districts get a profile shaped after the
//! kinds the report describes (a few advanced, one strong but piecemeal, some
//! weak and piecemeal, weak but consistent ones, recent risers and recent
//! stallers), and elements get offsets that make the report's sticking points
//! (Funding, Autonomy, Support, element 4.6) low. The generator is seeded
//! (`ChaCha8`, a portable generator), so the file is the same on every machine.
//!
//! Run: `cargo run --example generate_demo [-- OUT.csv]`

use std::error::Error;
use std::fmt::Write as _;

use portfolio_snapshot::{Eligibility, Roster, Rubric};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};

const SEED: u64 = 2016;
const MISSING_RATE: f64 = 0.04;

/// A district's invented profile.
struct Profile {
    /// Mean level per component (Choice .. Engagement).
    components: [f64; 7],
    /// Standard deviation of the district's fixed element effects: large for
    /// piecemeal districts, small for consistent ones.
    element_sd: f64,
    /// Change per snapshot over the district's history.
    slope: f64,
    /// Extra change in the most recent snapshot.
    last_jump: f64,
}

fn profile(district: &str) -> Profile {
    let p = |components: [f64; 7], element_sd: f64, slope: f64, last_jump: f64| Profile {
        components,
        element_sd,
        slope,
        last_jump,
    };
    match district {
        // advanced: more than half of the components at 4 or better
        "NOLA RSD" => p([4.7, 4.8, 3.9, 4.4, 3.8, 4.8, 4.3], 0.35, 0.03, 0.0),
        "TN ASD" => p([4.5, 4.7, 3.7, 4.5, 3.9, 4.6, 4.1], 0.3, 0.06, 0.1),
        "Denver" => p([4.6, 4.1, 3.6, 4.4, 3.4, 4.7, 4.4], 0.4, 0.04, -0.05),
        "New York City" => p([4.4, 4.3, 3.5, 4.2, 3.6, 4.6, 3.9], 0.4, 0.1, -0.6),
        // an advanced recent riser
        "Lawrence" => p([4.2, 4.4, 4.0, 4.3, 4.0, 4.4, 4.1], 0.3, 0.25, 0.3),
        // strong but piecemeal
        "Spring Branch" => p([4.6, 3.4, 1.2, 4.9, 1.8, 4.6, 3.2], 0.9, 0.05, 0.0),
        // high overall, recent stall
        "Baltimore" => p([3.6, 3.7, 3.3, 3.4, 3.0, 3.9, 3.3], 0.45, 0.12, -0.7),
        // risers from a low base
        "Indianapolis" => p([2.8, 2.5, 2.0, 3.0, 2.0, 3.0, 2.8], 0.4, 0.3, 0.6),
        "Oakland" => p([3.3, 3.0, 2.8, 3.3, 2.7, 3.5, 3.4], 0.35, 0.3, 0.5),
        // weaker and piecemeal: low overall, a few elements far ahead
        "Albuquerque" => p([2.4, 1.6, 1.3, 2.6, 1.3, 3.6, 2.0], 1.25, -0.05, -0.2),
        "Memphis-Shelby County" => p([2.8, 1.8, 1.5, 3.0, 1.5, 3.7, 2.2], 1.2, 0.05, 0.0),
        "Fulton County" => p([2.2, 2.9, 1.6, 2.4, 1.4, 3.4, 2.0], 1.1, 0.05, 0.1),
        "Henry County" => p([2.0, 3.1, 1.5, 2.2, 1.3, 3.2, 1.9], 1.1, 0.05, 0.1),
        "Jefferson Parish" => p([2.6, 2.0, 1.4, 2.5, 1.6, 3.5, 2.3], 1.15, 0.0, 0.0),
        "Central Falls" => p([2.5, 2.2, 1.3, 2.8, 1.5, 3.3, 2.6], 1.1, 0.05, 0.1),
        // weaker and consistent: a little of everything, stalled or starting
        "Sacramento" => p([2.6, 2.4, 2.2, 2.7, 2.2, 2.9, 2.6], 0.35, -0.05, -0.4),
        "Chicago" => p([2.9, 2.5, 2.4, 2.9, 2.3, 3.1, 2.8], 0.35, 0.0, -0.2),
        "Nashville" => p([2.5, 2.3, 2.0, 2.6, 2.0, 2.8, 2.5], 0.35, 0.03, 0.0),
        "Detroit" => p([2.4, 2.3, 1.9, 2.4, 2.0, 2.7, 2.2], 0.35, -0.05, -0.3),
        "Tulsa" => p([2.3, 2.1, 1.8, 2.5, 1.9, 2.6, 2.4], 0.35, 0.15, 0.2),
        // strong and consistent, not advanced
        "Cleveland" => p([3.6, 3.5, 3.3, 3.6, 3.0, 3.9, 3.5], 0.4, 0.08, 0.0),
        "Hartford" => p([3.5, 3.4, 3.1, 3.5, 2.9, 3.8, 3.4], 0.4, 0.05, 0.0),
        "Los Angeles" => p([3.4, 3.2, 3.0, 3.6, 2.8, 3.7, 3.5], 0.4, 0.02, -0.1),
        "Spokane" => p([3.4, 3.1, 3.0, 3.6, 2.6, 3.7, 3.3], 0.45, 0.1, 0.1),
        // the rest: middling
        _ => p([3.0, 2.8, 2.5, 3.1, 2.4, 3.3, 3.0], 0.5, 0.05, 0.0),
    }
}

/// Offsets every district shares: the report's sticking points are low.
fn element_offset(id: &str) -> f64 {
    match id {
        "4.6" => -1.3,                 // rarely implemented (text's "element 4.1")
        "2.3" | "3.2" | "3.3" => -0.7, // compensation, school-level funds, common prices
        "5.3" => -0.5,                 // engaging independent providers
        "6.2" | "6.5" => 0.4,          // performance frameworks, report cards
        _ => 0.0,
    }
}

fn main() -> Result<(), Box<dyn Error>> {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "data/demo_panel.csv".to_owned());
    let rubric = Rubric::crpe_2016();
    let roster = Roster::network().eligible(&Eligibility::default());
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let snapshot_noise = Normal::new(0.0, 0.3)?;

    let mut text = String::new();
    writeln!(
        text,
        "# SYNTHETIC DATA: invented ratings, not CRPE's. portfolio-snapshot demo panel."
    )?;
    writeln!(
        text,
        "# Districts, snapshot counts and last dates follow Sticking Points (2016) Figure 2;"
    )?;
    writeln!(
        text,
        "# every rating is generated by examples/generate_demo.rs (ChaCha8, seed {SEED})."
    )?;
    writeln!(
        text,
        "# An empty rating means \"not rated\" (about {:.0}% of cells).",
        MISSING_RATE * 100.0
    )?;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["district", "date", "element", "rating"])?;
    for entry in &roster.entries {
        let prof = profile(&entry.district);
        let last = entry
            .most_recent_snapshot
            .ok_or("eligible districts have a last snapshot")?;
        let n = i64::from(entry.n_snapshots);
        let effect_dist = Normal::new(0.0, prof.element_sd)?;
        let effects: Vec<f64> = (0..rubric.n_elements())
            .map(|_| effect_dist.sample(&mut rng))
            .collect();
        for t in 0..n {
            let date = last.add_months(-6 * (n - 1 - t))?;
            #[allow(clippy::cast_precision_loss)]
            let time = prof.slope * (t as f64 - (n - 1) as f64 / 2.0)
                + if t == n - 1 { prof.last_jump } else { 0.0 };
            for (c, comp) in rubric.components().iter().enumerate() {
                for el in comp.elements() {
                    let j = rubric.element_index(&el.id).ok_or("element in rubric")?;
                    let rating = if rng.random_bool(MISSING_RATE) {
                        String::new()
                    } else {
                        let x = prof.components[c]
                            + element_offset(&el.id)
                            + effects[j]
                            + time
                            + snapshot_noise.sample(&mut rng);
                        format!("{}", x.round().clamp(1.0, 5.0))
                    };
                    w.write_record([
                        entry.district.as_str(),
                        &date.to_string(),
                        el.id.as_str(),
                        &rating,
                    ])?;
                }
            }
        }
    }
    text.push_str(&String::from_utf8(w.into_inner()?)?);
    std::fs::write(&out, text)?;
    eprintln!("wrote {out} (synthetic data)");
    Ok(())
}
