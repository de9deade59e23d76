//! Peak memory of the single pass: no more than the outputs it returns plus a
//! fixed scratch (no copy of the input, no per-row allocation).
//!
//! A counting global allocator (this test binary only) records the bytes
//! live and their peak while `Panel::analyze` runs.

// Test data uses small whole numbers and indices; casting them is exact.
#![allow(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap
)]
// A global allocator is unsafe by nature; it only forwards to `System`.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use ndarray::Array2;
use portfolio_snapshot::{Panel, Rubric, SnapshotKey, SummaryOptions, YearMonth};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::SeqCst) + layout.size();
            PEAK.fetch_max(now, Ordering::SeqCst);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::SeqCst);
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn analyze_peak_is_outputs_plus_fixed_scratch() {
    let rubric = Rubric::crpe_2016();
    let (districts, per) = (20_000, 6);
    let n = districts * per;
    let m = Array2::from_shape_fn((n, 36), |(i, j)| {
        if (i + 3 * j) % 20 == 0 {
            f64::NAN
        } else {
            ((i * 7 + j) % 5 + 1) as f64
        }
    });
    let mut keys = Vec::with_capacity(n);
    for d in 0..districts {
        for t in 0..per {
            let date = YearMonth::new(2010, 1)
                .unwrap()
                .add_months(6 * t as i64)
                .unwrap();
            keys.push(SnapshotKey::new(format!("d{d:05}"), date));
        }
    }
    let panel = Panel::from_matrix(rubric, keys, m).unwrap();
    // let rayon's pool start before measuring (its threads are a one-off cost)
    let _ = panel.analyze(&SummaryOptions::default()).unwrap();

    let before = LIVE.load(Ordering::SeqCst);
    PEAK.store(before, Ordering::SeqCst);
    let result = panel.analyze(&SummaryOptions::default()).unwrap();
    let peak = PEAK.load(Ordering::SeqCst);
    let kept = LIVE.load(Ordering::SeqCst) - before; // the outputs
    let input = n * 36 * 8;
    let scratch = peak - before - kept;
    eprintln!("input {input} B, outputs {kept} B, transient scratch {scratch} B");
    assert!(kept < input, "outputs should be smaller than the input");
    // fixed scratch: per-task buffers (a few 36-wide rows) and task lists
    assert!(
        scratch < 1 << 20,
        "scratch {scratch} B is not a fixed small amount"
    );
    drop(result);
}
