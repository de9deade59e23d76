//! Bounds on work and memory, checked before anything is allocated, and the
//! control of long computations: cancellation and progress.
//!
//! A long call (the simulation, a big scoring) polls its [`Control`] between
//! chunks of work: when the control is cancelled it stops and returns
//! [`Error::Cancelled`]; when it has a progress callback it reports how much
//! is done. The Python bindings cancel on Ctrl-C.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crate::error::{Error, Result};

/// The default memory limit of one result: 4 GiB. A request above it is
/// refused with [`Error::TooLarge`] naming the size asked for; options that
/// allocate in proportion to a parameter (`UncertaintyOptions::memory_limit`)
/// can raise it.
pub const DEFAULT_MEMORY_LIMIT: u64 = 4 << 30;

/// Bytes as text with a binary unit ("4.0 GiB").
#[must_use]
pub fn format_bytes(bytes: u128) -> String {
    const UNITS: [&str; 6] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    #[allow(clippy::cast_precision_loss)] // for display only
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else if value >= 1024.0 {
        format!("{value:.3e} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// Check that `cells` cells of `bytes_per_cell` bytes fit in `limit`; the
/// error names `what`, the size asked for and the limit.
///
/// # Errors
/// [`Error::TooLarge`].
pub fn check_memory(
    what: &'static str,
    cells: u128,
    bytes_per_cell: u128,
    limit: u64,
    hint: &'static str,
) -> Result<usize> {
    let bytes = cells.saturating_mul(bytes_per_cell);
    match usize::try_from(cells) {
        Ok(n) if bytes <= u128::from(limit) => Ok(n),
        _ => Err(Error::TooLarge {
            what,
            asked: format_bytes(bytes),
            limit: format_bytes(u128::from(limit)),
            hint,
        }),
    }
}

/// Check that `n` values of `T` can be allocated, before allocating them:
/// a fallible reservation of the same size, released at once (the memory is
/// only reserved, never touched). Without it an allocation the machine
/// cannot give aborts the process.
///
/// # Errors
/// [`Error::TooLarge`] naming `what` and the size.
pub fn ensure_allocatable<T>(n: usize, what: &'static str) -> Result<()> {
    let mut probe: Vec<T> = Vec::new();
    probe.try_reserve_exact(n).map_err(|_| Error::TooLarge {
        what,
        asked: format_bytes((n as u128).saturating_mul(std::mem::size_of::<T>() as u128)),
        limit: "the memory available to this process".into(),
        hint: "",
    })
}

/// A progress callback: `(done, total)` in the computation's own units
/// (draws for the simulation).
pub type ProgressFn = dyn Fn(u64, u64) + Send + Sync;

/// Cancellation and progress for a long computation. Cheap to clone (shared
/// state); the default has neither.
///
/// # Examples
/// ```
/// use portfolio_snapshot::{datasets, Control, UncertaintyOptions, Error};
/// let panel = datasets::demo_panel()?;
/// let control = Control::new();
/// control.cancel(); // e.g. from another thread
/// let mut opts = UncertaintyOptions::default();
/// opts.draws = 1000;
/// let err = panel.uncertainty_with(&opts, &control).unwrap_err();
/// assert!(matches!(err, Error::Cancelled { .. }));
/// # Ok::<(), portfolio_snapshot::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct Control {
    cancelled: Arc<AtomicBool>,
    progress: Option<Arc<ProgressFn>>,
    done: Arc<AtomicU64>,
}

impl fmt::Debug for Control {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Control")
            .field("cancelled", &self.is_cancelled())
            .field("progress", &self.progress.is_some())
            .finish_non_exhaustive()
    }
}

impl Control {
    /// A control that is not cancelled and reports no progress.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The same control with a progress callback.
    #[must_use]
    pub fn with_progress(mut self, f: impl Fn(u64, u64) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(f));
        self
    }

    /// Ask the computation to stop at its next check.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    /// Whether [`Control::cancel`] was called.
    #[must_use]
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }

    /// [`Error::Cancelled`] naming `what` if cancelled.
    ///
    /// # Errors
    /// [`Error::Cancelled`].
    pub fn check(&self, what: &'static str) -> Result<()> {
        if self.is_cancelled() {
            Err(Error::Cancelled { what })
        } else {
            Ok(())
        }
    }

    /// Count `n` more units done of `total` and report them (if a callback
    /// is set). Safe to call from several threads.
    pub fn advance(&self, n: u64, total: u64) {
        if let Some(f) = &self.progress {
            let done = self.done.fetch_add(n, Ordering::Relaxed) + n;
            f(done.min(total), total);
        }
    }

    /// Start counting progress from zero (at the start of a computation).
    pub fn reset_progress(&self) {
        self.done.store(0, Ordering::Relaxed);
    }
}
