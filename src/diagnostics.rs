//! A statement's diagnostics: the warnings, notes and errors SHOW WARNINGS lists, shared with
//! result streams, which add theirs while rows flow.

use std::sync::{Arc, Mutex};

/// One warning, note or error of the last statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub level: &'static str,
    pub code: u16,
    pub message: String,
}

/// The last statement's diagnostics.
pub type Warnings = Arc<Mutex<Vec<Warning>>>;

/// Adds a warning.
pub fn add_warning(w: &Warnings, code: u16, message: impl Into<String>) {
    add(w, "Warning", code, message);
}

/// Adds a diagnostic of `level` (`Note`, `Warning`, `Error`).
pub fn add(w: &Warnings, level: &'static str, code: u16, message: impl Into<String>) {
    if let Ok(mut v) = w.lock() {
        v.push(Warning { level, code, message: message.into() });
    }
}
