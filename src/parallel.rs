//! Where parallel work runs: a thread pool of this process's own.
//!
//! rayon's global pool does not survive `fork` (the child inherits a pool
//! whose threads it does not have, and waits for them forever), and Python's
//! `multiprocessing` forks by default on Linux. So parallel work runs on a
//! pool that is built again in a process that finds the pool belongs to its
//! parent. Work that is already on a rayon pool (a caller's own, e.g. a test
//! pinning the thread count) stays on it. Small work does not come here at
//! all: it runs on the calling thread.

use std::sync::{Arc, Mutex};

use rayon::ThreadPool;

static POOL: Mutex<Option<(u32, Arc<ThreadPool>)>> = Mutex::new(None);

fn pool() -> Option<Arc<ThreadPool>> {
    let pid = std::process::id();
    let mut slot = POOL.lock().ok()?;
    match &*slot {
        Some((owner, p)) if *owner == pid => Some(Arc::clone(p)),
        _ => {
            let p = Arc::new(
                rayon::ThreadPoolBuilder::new()
                    .thread_name(|i| format!("portfolio-snapshot-{i}"))
                    .build()
                    .ok()?,
            );
            *slot = Some((pid, Arc::clone(&p)));
            Some(p)
        }
    }
}

/// Run `f` on this process's pool (or the rayon pool the caller is already
/// on; or, if no pool can be built, on the calling thread).
pub(crate) fn install<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    if rayon::current_thread_index().is_some() {
        return f();
    }
    match pool() {
        Some(p) => p.install(f),
        None => f(),
    }
}
