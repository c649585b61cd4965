//! Data lineage: which tables and columns a statement reads to write which (table level exact,
//! column level from the statement's tree with a schema context), and the recorded lineage of
//! every job, view and datasync as one graph to walk upstream and downstream.
//!
//! A pure room: no I/O, no store, no async. The caller fetches the columns of the tables a
//! statement names ([`tables_of`]) and hands them in as a [`Schema`]; what cannot be resolved
//! with them is reported as [`Unresolved`], never guessed.
//!
//! * [`prepare`]: Flink SQL text made readable by sqlparser (statement sets split, window TVFs'
//!   `TABLE t` arguments, `FOR SYSTEM_TIME AS OF`, plural interval units).
//! * [`analyze`]: the statement's tree walked into table and column edges.
//! * [`graph`]: the recorded edges as a petgraph graph: upstream, downstream, impact.
//! * [`picture`]: the graph laid out left to right, as Graphviz DOT or SVG (`weir lineage`).

pub mod analyze;
pub mod graph;
pub mod picture;
pub mod prepare;

use std::collections::{BTreeSet, HashMap};
use std::fmt;

pub use analyze::{analyze, tables_of};
pub use graph::{Direction, LineageGraph, Recorded, ViaKind};

/// The catalog and database unqualified names resolve in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub catalog: String,
    pub database: String,
}

impl Scope {
    pub fn new(catalog: &str, database: &str) -> Self {
        Self { catalog: catalog.to_string(), database: database.to_string() }
    }

    /// `t`, `db.t` or `catalog.db.t`, as `catalog.db.t`.
    pub fn qualify(&self, parts: &[String]) -> String {
        match parts {
            [t] => format!("{}.{}.{t}", self.catalog, self.database),
            [db, t] => format!("{}.{db}.{t}", self.catalog),
            other => other.join("."),
        }
    }
}

/// The columns of the tables a statement reads and writes (qualified names, `catalog.db.t`).
pub trait Schema {
    fn columns(&self, table: &str) -> Option<Vec<String>>;
}

/// A schema held in a map.
#[derive(Debug, Clone, Default)]
pub struct MapSchema(pub HashMap<String, Vec<String>>);

impl Schema for MapSchema {
    fn columns(&self, table: &str) -> Option<Vec<String>> {
        self.0.get(table).cloned()
    }
}

/// How a target column comes from a source column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ColumnKind {
    /// The value as read.
    Copy,
    /// An expression of it.
    Transform,
    /// An aggregate or window function over it.
    Aggregate,
}

impl ColumnKind {
    pub const ALL: [ColumnKind; 3] = [ColumnKind::Copy, ColumnKind::Transform, ColumnKind::Aggregate];

    pub fn as_str(self) -> &'static str {
        match self {
            ColumnKind::Copy => "COPY",
            ColumnKind::Transform => "TRANSFORM",
            ColumnKind::Aggregate => "AGGREGATE",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl fmt::Display for ColumnKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a statement does to its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Insert,
    /// `CREATE TABLE … AS`.
    Ctas,
    View,
}

impl Target {
    pub fn as_str(self) -> &'static str {
        match self {
            Target::Insert => "INSERT",
            Target::Ctas => "CTAS",
            Target::View => "VIEW",
        }
    }
}

/// One column edge: `from` feeds `to`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ColumnEdge {
    pub from_table: String,
    pub from_column: String,
    pub to_table: String,
    pub to_column: String,
    pub kind: ColumnKind,
}

/// A target column whose sources could not be told.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Unresolved {
    pub table: String,
    /// The column, when its name is known.
    pub column: Option<String>,
    pub reason: String,
}

/// The lineage of one data-moving statement (one INSERT of a statement set, a CTAS, a view).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementLineage {
    pub target: String,
    pub action: Target,
    /// Every table or view the statement reads.
    pub reads: BTreeSet<String>,
    pub columns: BTreeSet<ColumnEdge>,
    pub unresolved: Vec<Unresolved>,
}

/// The rows to record for `lineage`, found by `via` (version 0 for what has none).
pub fn records(via_kind: ViaKind, via: &str, version: u32, lineage: &[StatementLineage]) -> Vec<Recorded> {
    let mut out = Vec::new();
    let row = |from_table: &str, from_column: Option<&str>, to_table: &str, to_column: Option<&str>, kind: &str, detail: &str| Recorded {
        via_kind,
        via: via.to_string(),
        version,
        from_table: from_table.to_string(),
        from_column: from_column.map(str::to_string),
        to_table: to_table.to_string(),
        to_column: to_column.map(str::to_string),
        kind: kind.to_string(),
        detail: detail.to_string(),
    };
    for l in lineage {
        let kind = if via_kind == ViaKind::Datasync { "DATASYNC" } else { l.action.as_str() };
        for r in &l.reads {
            out.push(row(r, None, &l.target, None, kind, ""));
        }
        for e in &l.columns {
            out.push(row(&e.from_table, Some(&e.from_column), &e.to_table, Some(&e.to_column), e.kind.as_str(), ""));
        }
        for u in &l.unresolved {
            out.push(row("", None, &u.table, u.column.as_deref(), graph::UNRESOLVED, &u.reason));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// A statement lineage cannot read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LineageError {
    #[error("lineage cannot read the statement: {0}")]
    Parse(String),
    #[error("Weir's lineage record failed: {0}")]
    Store(String),
}

#[cfg(test)]
mod corpus;
