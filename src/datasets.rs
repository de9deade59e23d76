//! Data shipped with the crate: the network roster and the **synthetic**
//! demo panel.
//!
//! No public data set of CRPE snapshot ratings exists. The demo panel
//! (`data/demo_panel.csv`) is synthetic: made by the seeded generator
//! `examples/generate_demo.rs` for the 25 districts the report analysed, with
//! their real snapshot counts and last dates but invented ratings.

use ndarray::Array2;

use crate::crosswalk::Crosswalk;
use crate::date::YearMonth;
use crate::error::Result;
use crate::mixed::MixedPanel;
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

/// Label of the 2012-rubric snapshots of [`demo_mixed_panel`].
pub const DEMO_2012_LABEL: &str =
    "synthetic demo data (not CRPE ratings) re-expressed on the 2012 rubric";

/// The first snapshot date [`demo_mixed_panel`] keeps on the 2016 rubric
/// (an invented switch-over: CRPE's own date is not in the sources).
pub const DEMO_MIXED_SWITCH: (i32, u32) = (2015, 1);

/// The synthetic demo panel with its snapshots before January 2015
/// re-expressed on the `crpe-2012` rubric, as a [`MixedPanel`] with
/// `crpe-2016` as the target: a worked example of a panel mixing
/// versions, **synthetic** through and through.
///
/// A 2012 element the crosswalk maps takes its 2016 counterpart's rating;
/// a 2012 element with no counterpart takes the rated mean of its
/// component's 2016 elements in that snapshot, rounded to a level, halves
/// up (not
/// rated when none is).
///
/// # Errors
/// Only if the shipped files were corrupt; the crate's tests read them.
pub fn demo_mixed_panel() -> Result<MixedPanel> {
    let demo = demo_panel()?;
    let (old, new) = (Rubric::crpe_2012(), Rubric::crpe_2016());
    let cw = Crosswalk::crpe_2012_to_2016()?;
    let switch = YearMonth::new(DEMO_MIXED_SWITCH.0, DEMO_MIXED_SWITCH.1)?;
    let source_of: Vec<Option<usize>> = old
        .element_ids()
        .iter()
        .map(|id| {
            cw.rows
                .iter()
                .find(|r| r.from.as_deref() == Some(id.as_str()))
                .and_then(|r| r.to.as_deref())
                .and_then(|t| new.element_index(t))
        })
        .collect();
    let (mut early, mut late) = (Vec::new(), Vec::new());
    for r in 0..demo.n_snapshots() {
        if demo.dates()[r] < switch {
            early.push(r);
        } else {
            late.push(r);
        }
    }
    let mut ratings = Array2::from_elem((early.len(), old.n_elements()), f64::NAN);
    for (i, &r) in early.iter().enumerate() {
        let row = demo.row(r);
        for (j, source) in source_of.iter().enumerate() {
            ratings[[i, j]] = if let Some(s) = source {
                row[*s]
            } else {
                let c = old.component_of(j).unwrap_or(0);
                let rated: Vec<f64> = new.components()[c]
                    .columns()
                    .map(|k| row[k])
                    .filter(|v| !v.is_nan())
                    .collect();
                #[allow(clippy::cast_precision_loss)] // a handful of elements
                let mean = rated.iter().sum::<f64>() / rated.len() as f64;
                if rated.is_empty() {
                    f64::NAN
                } else {
                    mean.round()
                }
            };
        }
    }
    let keys = |rows: &[usize]| rows.iter().map(|&r| demo.snapshot_key(r)).collect();
    let synthetic = |label: &str| Provenance {
        label: Some(label.to_owned()),
        synthetic: true,
        columns: None,
        consensus: None,
    };
    let p2012 =
        Panel::from_matrix(old, keys(&early), ratings)?.with_provenance(synthetic(DEMO_2012_LABEL));
    let p2016 = Panel::from_matrix(
        new.clone(),
        keys(&late),
        demo.ratings().select(ndarray::Axis(0), &late),
    )?
    .with_provenance(synthetic(DEMO_LABEL));
    MixedPanel::new(&[p2012, p2016], &new, &[cw])
}

/// The Figure 2 network roster (52 districts).
#[must_use]
pub fn network_roster() -> Roster {
    Roster::network()
}
