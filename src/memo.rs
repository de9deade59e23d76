//! Values computed once, on first use, and kept beside the data they are
//! derived from (a rubric's default scoring plan, its banding tables).

use std::fmt;
use std::sync::OnceLock;

/// A lazily computed value that takes no part in its owner's equality or
/// printing: two owners with equal data are equal whether or not either
/// has computed it yet. Thread-safe; cloning keeps a computed value.
pub(crate) struct Memo<T>(OnceLock<T>);

impl<T> Memo<T> {
    /// The value, computed by `f` the first time.
    pub(crate) fn get_or_init(&self, f: impl FnOnce() -> T) -> &T {
        self.0.get_or_init(f)
    }

    /// The value, if computed.
    pub(crate) fn get(&self) -> Option<&T> {
        self.0.get()
    }

    /// Keep `value` (unless a value is kept already).
    pub(crate) fn set(&self, value: T) {
        let _ = self.0.set(value);
    }
}

impl<T> Default for Memo<T> {
    fn default() -> Self {
        Self(OnceLock::new())
    }
}

impl<T: Clone> Clone for Memo<T> {
    fn clone(&self) -> Self {
        let cell = OnceLock::new();
        if let Some(v) = self.0.get() {
            let _ = cell.set(v.clone());
        }
        Self(cell)
    }
}

impl<T> PartialEq for Memo<T> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl<T> fmt::Debug for Memo<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Memo")
    }
}
