//! Writes `data/demo_panel.csv`: a **synthetic** panel of snapshot ratings.
//!
//! No public data set of CRPE snapshot ratings exists, so the demo is made up.
//! What is real: the 25 districts the report analysed, and for each its number
//! of snapshots and the date of its last one (Figure 2). Snapshots are taken
//! twice a year (January and July) and end at the roster date.
//!
//! What is invented: every rating. Each district gets a profile drawn from
//! what the report says of it (how strong, how even, how it moved over time,
//! and the elements it names), and every rating is an integer from 1 to 5:
//!
//! ```text
//! rating = round(level + component effect + element effect + trend(t) + noise), clamped to 1..5
//! ```
//!
//! with about 4% of ratings left unrated, and the few element ratings the
//! report describes (Albuquerque's 3.3 and 5.2, the shared top score of TN
//! ASD and NOLA RSD on 2.3, ...) set as it describes them. The noise is drawn
//! with a seeded portable generator (`ChaCha8`); draw after draw is tried,
//! from a fixed seed, until every finding of
//! `portfolio_snapshot::findings` holds under the library's default options,
//! and that draw is written. The file says which draw it is, so the same file
//! comes out on every machine.
//!
//! Run: `cargo run --example generate_demo [-- OUT.csv]`

use std::error::Error;
use std::fmt::Write as _;

use portfolio_snapshot::{
    Eligibility, LongRating, Panel, PanelOptions, Rubric, YearMonth, datasets, findings,
};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};

const SEED: u64 = 2016;
const MISSING_RATE: f64 = 0.04;
const MAX_ATTEMPTS: u64 = 20_000;

/// How a district moved over its snapshots: a shift from `start` (first
/// snapshot) to `end` (last), linear in between, and an extra `jump` at the
/// last snapshot.
#[derive(Clone, Copy)]
struct Trend {
    start: f64,
    end: f64,
    jump: f64,
}

const STEADY: Trend = Trend {
    start: -0.05,
    end: 0.05,
    jump: 0.0,
};

/// A district's invented profile.
struct Profile {
    /// Overall level (before component and element effects).
    level: f64,
    /// This district's own offsets per component (Choice .. Engagement).
    components: [f64; 7],
    /// Standard deviation of the district's fixed element effects: large
    /// for piecemeal districts, small for consistent ones.
    element_sd: f64,
    trend: Trend,
}

const fn p(level: f64, components: [f64; 7], element_sd: f64, trend: Trend) -> Profile {
    Profile {
        level,
        components,
        element_sd,
        trend,
    }
}

const FLAT: [f64; 7] = [0.0; 7];

/// Profiles from the report's descriptions (the comments quote it).
fn profile(district: &str) -> Profile {
    let rise = |start: f64, end: f64, jump: f64| Trend { start, end, jump };
    match district {
        // "advanced"; "high levels of progress (dark green squares) across most elements"
        "NOLA RSD" => p(4.75, FLAT, 0.2, STEADY),
        "TN ASD" => p(4.7, FLAT, 0.2, STEADY),
        "Denver" => p(4.5, [0.2, -0.1, -0.3, 0.2, -0.2, 0.0, 0.35], 0.2, STEADY),
        // advanced, "implemented most fully", and recent gains
        "Lawrence" => p(4.8, FLAT, 0.2, rise(-0.9, 0.2, 0.1)),
        // advanced; "New York City's reforms have stalled"
        "New York City" => p(4.05, FLAT, 0.25, rise(0.2, 0.0, -0.5)),
        // "highly ranked ... recent progress under his successor has stalled"
        "Baltimore" => p(
            3.45,
            [0.0, 0.1, 0.1, 0.0, 0.2, -0.1, -0.3],
            0.3,
            rise(-0.1, 0.2, -0.8),
        ),
        // strong and consistent, not advanced
        "Cleveland" => p(3.35, FLAT, 0.3, rise(-0.1, 0.1, 0.0)),
        // "strong but piecemeal": principal pipelines and choice, not funding
        "Spring Branch" => p(3.3, [1.1, 0.1, -1.4, 0.9, -1.0, 0.6, -0.2], 0.75, STEADY),
        // weaker and piecemeal ("furthest to the right")
        "Albuquerque" => p(
            2.35,
            [-0.2, -0.6, -0.6, 0.3, -0.6, 1.3, -0.3],
            1.1,
            rise(0.1, 0.0, -0.4),
        ),
        "Memphis-Shelby County" => p(2.5, [0.3, -0.6, -0.5, 0.4, -0.5, 1.1, -0.4], 1.1, STEADY),
        "Spokane" => p(
            2.6,
            [0.2, 0.3, -0.5, 0.3, -0.5, 0.8, -0.4],
            1.0,
            rise(-0.1, 0.15, 0.0),
        ),
        "Fulton County" => p(2.3, [-0.2, 0.6, -0.5, -0.1, -0.5, 0.9, -0.3], 1.1, STEADY),
        "Henry County" => p(2.3, [-0.3, 0.7, -0.5, -0.2, -0.6, 0.8, -0.3], 1.1, STEADY),
        "Jefferson Parish" => p(2.4, [0.1, -0.4, -0.6, 0.0, -0.3, 1.0, 0.0], 1.1, STEADY),
        // weaker and consistent: stalled (Sacramento, Chicago), little
        // momentum (Nashville, Detroit), just getting started (Tulsa,
        // Indianapolis); Oakland and Indianapolis rising from a low base
        "Sacramento" => p(2.6, FLAT, 0.3, rise(0.15, 0.0, -0.45)),
        "Chicago" => p(2.85, FLAT, 0.3, rise(0.1, 0.1, -0.25)),
        "Nashville" => p(2.55, FLAT, 0.3, rise(-0.05, 0.05, 0.0)),
        "Detroit" => p(2.45, FLAT, 0.3, rise(0.1, 0.0, -0.4)),
        "Tulsa" => p(2.3, FLAT, 0.3, rise(-0.15, 0.15, 0.05)),
        "Indianapolis" => p(2.45, FLAT, 0.3, rise(-0.5, 0.4, 0.5)),
        "Oakland" => p(2.7, FLAT, 0.3, rise(-0.45, 0.35, 0.45)),
        "Central Falls" => p(2.55, FLAT, 0.35, rise(-0.05, 0.1, 0.0)),
        "Fullerton" => p(2.75, FLAT, 0.35, rise(0.0, 0.1, 0.0)),
        "Hartford" => p(2.85, FLAT, 0.35, rise(-0.05, 0.1, 0.0)),
        "Los Angeles" => p(2.8, FLAT, 0.35, rise(0.0, 0.05, 0.0)),
        _ => p(2.7, FLAT, 0.4, STEADY),
    }
}

/// What the network has in common: Accountability, Talent and Choice are
/// implemented most, then Engagement; Autonomy, Funding and Support least
/// (Figure 6 and the sticking points).
const COMPONENT_EFFECT: [f64; 7] = [0.1, -0.25, -0.5, 0.45, -0.45, 0.6, 0.0];

/// Elements the report names as hard everywhere.
fn element_offset(id: &str) -> f64 {
    match id {
        "4.6" => -1.4,                 // rarely implemented (the text's "element 4.1")
        "2.3" | "3.2" | "3.3" => -0.6, // compensation, school-level funds, common prices
        "5.3" => -0.5,                 // engaging independent providers
        "6.2" | "6.5" => 0.3,          // performance frameworks, report cards
        _ => 0.0,
    }
}

/// The element ratings the report describes, set as it describes them (in
/// every snapshot of the district).
#[allow(clippy::match_same_arms)] // a table: one row per statement of the report
fn described(district: &str, element: &str) -> Option<f64> {
    Some(match (district, element) {
        // "TN ASD and NOLA RSD share the highest scores for this element"
        ("TN ASD" | "NOLA RSD", "2.3") => 5.0,
        ("Lawrence" | "Denver", "2.3") => 4.0,
        // "Albuquerque ... has not yet tackled this issue"; "all purchasing ...
        // through the district"
        ("Albuquerque", "3.3" | "5.2") => 1.0,
        // common prices: Spokane planning, Cleveland and Oakland part way,
        // Lawrence "has gone further"
        ("Spokane", "3.3") => 2.0,
        ("Cleveland" | "Oakland", "3.3") => 3.0,
        ("Lawrence", "3.3") => 5.0,
        // engaging independent providers: "moving in a positive direction"
        ("Lawrence" | "NOLA RSD", "5.3") => 5.0,
        ("Denver" | "TN ASD", "5.3") => 4.0,
        // Baltimore: a working procurement process, but no market to shop in
        ("Baltimore", "5.2") => 4.0,
        ("Baltimore", "5.3") => 2.0,
        // Spring Branch: strong principal pipelines, no per-pupil funding
        ("Spring Branch", "4.2") => 5.0,
        ("Spring Branch", "3.1" | "3.2") => 1.0,
        _ => return None,
    })
}

/// One draw of the whole panel's ratings, as long records.
fn draw(
    rubric: &Rubric,
    roster: &portfolio_snapshot::Roster,
    rng: &mut ChaCha8Rng,
) -> Result<Vec<LongRating>, Box<dyn Error>> {
    let noise = Normal::new(0.0, 0.3)?;
    let mut out = Vec::new();
    for entry in &roster.entries {
        let prof = profile(&entry.district);
        let last = entry
            .most_recent_snapshot
            .ok_or("eligible districts have a last snapshot")?;
        let n = i64::from(entry.n_snapshots);
        let effect = Normal::new(0.0, prof.element_sd)?;
        let effects: Vec<f64> = (0..rubric.n_elements())
            .map(|_| effect.sample(rng))
            .collect();
        for t in 0..n {
            let date: YearMonth = last.add_months(-6 * (n - 1 - t))?;
            #[allow(clippy::cast_precision_loss)] // snapshot counts are small
            let shift = if n == 1 {
                prof.trend.end
            } else {
                prof.trend.start + (prof.trend.end - prof.trend.start) * t as f64 / (n - 1) as f64
            } + if t == n - 1 { prof.trend.jump } else { 0.0 };
            for (c, comp) in rubric.components().iter().enumerate() {
                for el in comp.elements() {
                    let j = rubric.element_index(&el.id).ok_or("element in rubric")?;
                    let x = prof.level
                        + COMPONENT_EFFECT[c]
                        + prof.components[c]
                        + element_offset(&el.id)
                        + effects[j]
                        + shift
                        + noise.sample(rng);
                    let unrated = rng.random_bool(MISSING_RATE);
                    let rating = match described(&entry.district, &el.id) {
                        Some(v) => v,
                        None if unrated => f64::NAN,
                        None => x.round().clamp(1.0, 5.0),
                    };
                    out.push(LongRating {
                        district: entry.district.clone(),
                        date,
                        element: el.id.clone(),
                        rating,
                    });
                }
            }
        }
    }
    Ok(out)
}

fn main() -> Result<(), Box<dyn Error>> {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "data/demo_panel.csv".to_owned());
    let rubric = Rubric::crpe_2016();
    let roster = datasets::network_roster().eligible(&Eligibility::default());
    let mut misses = vec![0u32; findings::all().len()];
    let mut chosen = None;
    for attempt in 0..MAX_ATTEMPTS {
        let mut rng = ChaCha8Rng::seed_from_u64(SEED.wrapping_add(attempt));
        let records = draw(&rubric, &roster, &mut rng)?;
        let panel = Panel::from_long(rubric.clone(), records.clone(), PanelOptions::default())?;
        let results = findings::report_findings(&panel)?;
        for (m, r) in misses.iter_mut().zip(&results) {
            *m += u32::from(!r.holds);
        }
        if results.iter().all(|r| r.holds) {
            chosen = Some((attempt, records));
            break;
        }
    }
    let Some((attempt, records)) = chosen else {
        let worst: Vec<String> = findings::all()
            .iter()
            .zip(&misses)
            .filter(|(_, m)| **m > 0)
            .map(|(f, m)| format!("{} failed {m} times", f.id))
            .collect();
        return Err(format!(
            "no draw in {MAX_ATTEMPTS} reproduces every finding: {}",
            worst.join(", ")
        )
        .into());
    };

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
        "# every rating is generated by examples/generate_demo.rs (ChaCha8, seed {SEED} + draw {attempt}),"
    )?;
    writeln!(
        text,
        "# the first draw under which the report's published findings all hold."
    )?;
    writeln!(
        text,
        "# An empty rating means \"not rated\" (about {:.0}% of cells).",
        MISSING_RATE * 100.0
    )?;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(portfolio_snapshot::LONG_COLUMNS)?;
    for r in &records {
        let rating = if r.rating.is_nan() {
            String::new()
        } else {
            format!("{}", r.rating)
        };
        w.write_record([
            r.district.as_str(),
            &r.date.to_string(),
            r.element.as_str(),
            &rating,
        ])?;
    }
    text.push_str(&String::from_utf8(w.into_inner()?)?);
    std::fs::write(&out, text)?;
    eprintln!("wrote {out} (synthetic data; draw {attempt} of the search)");
    Ok(())
}
