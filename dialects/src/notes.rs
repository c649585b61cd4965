//! Notes: what translation rewrote or dropped, for the user to read next to the Flink SQL.
//!
//! A note is not an error: the statement was translated, but something changed shape (a MySQL
//! `ENGINE=InnoDB` dropped, `LIMIT 5, 10` reordered, `IFNULL` renamed) or carries a caveat the
//! user should know about (a format element whose output Flink pads differently).

use std::fmt;

use crate::error::Pos;

/// One thing translation did to a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// Line of the construct in the source text (1-based; 0 when unknown).
    pub line: u64,
    /// Column of the construct in the source text (1-based; 0 when unknown).
    pub column: u64,
    /// What was done, in one sentence.
    pub message: String,
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            f.write_str(&self.message)
        } else {
            write!(f, "line {}, column {}: {}", self.line, self.column, self.message)
        }
    }
}

/// The notes collected while translating one statement, in source order, without repeats.
#[derive(Debug, Default, Clone)]
pub struct Notes {
    notes: Vec<Note>,
}

impl Notes {
    /// Records a note at `pos`, unless the same message was already noted at the same place.
    pub fn add(&mut self, pos: Pos, message: impl Into<String>) {
        let note = Note { line: pos.line, column: pos.column, message: message.into() };
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    /// The notes, sorted by position (stable for notes at the same place).
    pub fn into_vec(mut self) -> Vec<Note> {
        self.notes.sort_by_key(|n| (n.line, n.column));
        self.notes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_and_deduplicated() {
        let mut n = Notes::default();
        n.add(Pos::new(2, 1), "b");
        n.add(Pos::new(1, 4), "a");
        n.add(Pos::new(1, 4), "a");
        let v = n.into_vec();
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].to_string(), "line 1, column 4: a");
    }
}
