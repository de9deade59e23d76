//! Python bindings (the `python` feature): the private extension module
//! `portfolio_snapshot._core`.
//!
//! Thin by design, split by concept: `convert` turns Python values into the
//! core's option types (one `FromPyObject` per option) and table cells into
//! ratings; each function calls the core (with the interpreter released,
//! and Ctrl-C answered for long work, see `interrupt`); `tables` turns every
//! result into one column-table dict. No arithmetic, thresholds, defaults or
//! labels live here: options left as `None` take the core's defaults.

mod analysis;
mod convert;
mod district;
mod errors;
mod interrupt;
mod mixed;
mod panel;
mod raters;
mod reliability;
mod roster;
mod rubric;
mod sensitivity;
mod tables;
mod trends;
mod uncertainty;

pub use errors::{
    DuplicateError, InputError, PortfolioError, RatingError, RubricError, ShapeError,
};

/// The labels the package shows, from the core: quadrant names in order,
/// the demo's label, the "not rated" markers.
#[pyo3::pyfunction]
fn quadrant_labels() -> Vec<&'static str> {
    crate::Quadrant::ALL.iter().map(|q| q.label()).collect()
}

/// The instruction set the scoring kernels use on this CPU (`avx512`,
/// `avx2` or `scalar`; `PORTFOLIO_SNAPSHOT_ISA` chooses a slower one).
#[pyo3::pyfunction]
fn instruction_set() -> &'static str {
    crate::isa().name()
}

/// The private extension module of `portfolio_snapshot`.
#[pyo3::pymodule(module = "portfolio_snapshot")]
mod _core {
    #[pymodule_export]
    use super::analysis::{
        basis_ratings, element_columns, rank_components, rank_elements, report_findings,
        resolve_columns, score, score_array, sticking_points, summarize,
    };
    #[pymodule_export]
    use super::district::{path_to_advanced, profile};
    #[pymodule_export]
    use super::mixed::{PyMixedPanel, demo_mixed_panel, version_column};
    #[pymodule_export]
    use super::panel::PyPanel;
    #[pymodule_export]
    use super::raters::{consensus, rater_agreement, rater_column};
    #[pymodule_export]
    use super::reliability::{cronbach_alpha, leave_one_out};
    #[pymodule_export]
    use super::roster::{demo_panel, eligible_mask, network_roster};
    #[pymodule_export]
    use super::rubric::{PyRubric, band_values, crosswalk_2012_2016};
    #[pymodule_export]
    use super::sensitivity::{sensitivity, sensitivity_runs};
    #[pymodule_export]
    use super::trends::{compare, trends};
    #[pymodule_export]
    use super::uncertainty::{report_uncertainty_defaults, uncertainty, uncertainty_draws};
    #[pymodule_export]
    use super::{DuplicateError, InputError, PortfolioError, RatingError, RubricError, ShapeError};
    #[pymodule_export]
    use super::{instruction_set, quadrant_labels};

    #[pymodule_export]
    const DEMO_LABEL: &str = crate::datasets::DEMO_LABEL;

    #[pymodule_export]
    const RUBRIC_SCHEMA: &str = crate::RUBRIC_SCHEMA;

    #[pymodule_export]
    const DEFAULT_STICKING_POINTS: usize = super::analysis::DEFAULT_STICKING_POINTS;

    #[pymodule_init]
    fn init(m: &pyo3::Bound<'_, pyo3::types::PyModule>) -> pyo3::PyResult<()> {
        use pyo3::types::PyModuleMethods;
        m.add("__version__", env!("CARGO_PKG_VERSION"))?;
        m.add("NA_VALUES", crate::DEFAULT_NA_VALUES.to_vec())?;
        m.add("LONG_COLUMNS", crate::LONG_COLUMNS.to_vec())?;
        m.add("ROSTER_COLUMNS", crate::ROSTER_COLUMNS.to_vec())?;
        m.add("COLORMAPS", crate::COLORMAPS.to_vec())?;
        m.add("CROSSWALK_COLUMNS", crate::CROSSWALK_COLUMNS.to_vec())
    }
}
