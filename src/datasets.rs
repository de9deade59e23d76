//! Data shipped with the crate: the network roster and the **synthetic**
//! demo panel.
//!
//! No public data set of CRPE snapshot ratings exists. The demo panel
//! (`data/demo_panel.csv`) is synthetic: made by the seeded generator
//! `examples/generate_demo.rs` for the 25 districts the report analysed, with
//! their real snapshot counts and last dates but invented ratings.

use crate::error::Result;
use crate::panel::{Panel, PanelOptions, Provenance};
use crate::roster::Roster;
use crate::rubric::Rubric;

/// Label to show wherever the demo panel or anything built from it is shown.
pub const DEMO_LABEL: &str = "synthetic demo data (not CRPE ratings)";

const DEMO_PANEL_CSV: &str = include_str!("../data/demo_panel.csv");

/// The demo panel's CSV text, as shipped (long format, `#` comment lines).
#[must_use]
pub fn demo_panel_csv() -> &'static str {
    DEMO_PANEL_CSV
}

/// The synthetic demo panel on the `crpe-2016` rubric, marked synthetic
/// (its [`Panel::provenance`] says so, and so does everything built from
/// it).
///
/// # Errors
/// Only if the shipped file were corrupt; the crate's tests read it.
pub fn demo_panel() -> Result<Panel> {
    Ok(Panel::read_long_csv(
        Rubric::crpe_2016(),
        DEMO_PANEL_CSV.as_bytes(),
        PanelOptions::default(),
    )?
    .with_provenance(Provenance {
        label: Some(DEMO_LABEL.to_owned()),
        synthetic: true,
        columns: None,
        consensus: None,
    }))
}

/// The Figure 2 network roster (52 districts).
#[must_use]
pub fn network_roster() -> Roster {
    Roster::network()
}
