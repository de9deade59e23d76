//! Long calls that answer Ctrl-C: the work runs on a helper thread while the
//! calling thread, with the interpreter released, checks for signals every
//! 50 ms; a pending `KeyboardInterrupt` cancels the work's [`Control`] and
//! is raised as soon as the work stops. With a progress callback, the same
//! loop passes the work's progress to Python (on the calling thread, with
//! the interpreter held) whenever it moved.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, mpsc};
use std::time::Duration;

use pyo3::prelude::*;

use super::errors::to_py;
use crate::Control;

/// Work below this many cell operations runs inline: it finishes long
/// before anyone could press Ctrl-C, and a helper thread would cost more
/// than the work.
pub(crate) const INLINE_WORK: u128 = 1 << 22;

/// How often the calling thread looks for signals.
const POLL: Duration = Duration::from_millis(50);

/// Run `f` with the interpreter released; when `work` (in cell operations)
/// is large, on a helper thread that Ctrl-C cancels.
pub(crate) fn run<T, F>(py: Python<'_>, work: u128, control: Control, f: F) -> PyResult<T>
where
    T: Send,
    F: FnOnce(&Control) -> crate::Result<T> + Send,
{
    run_with_progress(py, work, control, None, f)
}

/// [`run`], calling `progress(done, total)` from the calling thread as the
/// work advances (and once at the end); an exception in the callback stops
/// the work and is raised.
pub(crate) fn run_with_progress<T, F>(
    py: Python<'_>,
    work: u128,
    control: Control,
    progress: Option<&Bound<'_, PyAny>>,
    f: F,
) -> PyResult<T>
where
    T: Send,
    F: FnOnce(&Control) -> crate::Result<T> + Send,
{
    let counts = Arc::new((AtomicU64::new(0), AtomicU64::new(0)));
    let control = if progress.is_some() {
        let c = Arc::clone(&counts);
        control.with_progress(move |done, total| {
            c.0.store(done, Ordering::Relaxed);
            c.1.store(total, Ordering::Relaxed);
        })
    } else {
        control
    };
    let mut shown = (u64::MAX, 0);
    // called with the interpreter held (the callback is Python)
    let mut report = || -> PyResult<()> {
        if let Some(cb) = progress {
            let now = (
                counts.0.load(Ordering::Relaxed),
                counts.1.load(Ordering::Relaxed),
            );
            if now != shown && now.1 > 0 {
                shown = now;
                cb.call1((now.0, now.1))?;
            }
        }
        Ok(())
    };
    if work < INLINE_WORK && progress.is_none() {
        return py.detach(|| f(&control)).map_err(to_py);
    }
    let (tx, rx) = mpsc::channel::<()>();
    let rx = Mutex::new(rx);
    std::thread::scope(|scope| {
        let worker_control = control.clone();
        let handle = scope.spawn(move || {
            let out = f(&worker_control);
            let _ = tx.send(());
            out
        });
        loop {
            let waited = py.detach(|| match rx.lock() {
                Ok(r) => r.recv_timeout(POLL),
                Err(_) => Err(mpsc::RecvTimeoutError::Disconnected),
            });
            match waited {
                Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => break,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    if let Err(signal) = py.check_signals().and_then(|()| report()) {
                        control.cancel();
                        // the work stops at its next check; wait for it
                        let _ = py.detach(|| handle.join());
                        return Err(signal);
                    }
                }
            }
        }
        match py.detach(|| handle.join()) {
            Ok(result) => {
                let value = result.map_err(to_py)?;
                report()?;
                Ok(value)
            }
            Err(_) => Err(super::errors::PortfolioError::new_err(
                "internal error: the computation stopped unexpectedly",
            )),
        }
    })
}

/// The `progress` argument: `None`, or a callable of `(done, total)`.
pub(crate) fn callback(progress: Option<Bound<'_, PyAny>>) -> PyResult<Option<Bound<'_, PyAny>>> {
    match progress {
        Some(cb) if cb.is_none() => Ok(None),
        Some(cb) if !cb.is_callable() => Err(super::errors::InputError::new_err(format!(
            "invalid parameter progress: a {} is not callable (give a function of (done, total))",
            cb.get_type().name()?
        ))),
        other => Ok(other),
    }
}
