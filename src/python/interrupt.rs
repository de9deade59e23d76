//! Long calls that answer Ctrl-C: the work runs on a helper thread while the
//! calling thread, with the interpreter released, checks for signals every
//! 50 ms; a pending `KeyboardInterrupt` cancels the work's [`Control`] and
//! is raised as soon as the work stops.

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
    if work < INLINE_WORK {
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
                    if let Err(signal) = py.check_signals() {
                        control.cancel();
                        // the work stops at its next check; wait for it
                        let _ = py.detach(|| handle.join());
                        return Err(signal);
                    }
                }
            }
        }
        match py.detach(|| handle.join()) {
            Ok(result) => result.map_err(to_py),
            Err(_) => Err(super::errors::PortfolioError::new_err(
                "internal error: the computation stopped unexpectedly",
            )),
        }
    })
}
