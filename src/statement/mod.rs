//! What a statement is, decided once per statement text ([`classify`]) and cached per session
//! ([`StatementCache`]): answered by Weir itself ([`Local`]), a metadata statement
//! ([`MetaStatement`]), `USE`, one of Weir's extended statements ([`Extended`]), or Flink's
//! ([`FlinkStatement`]: a query, DML, DDL of which object kind, `SET`/`RESET` of which key, a
//! statement set's begin or end, `USE CATALOG`, a listing) with the object names it reads and
//! writes.
//!
//! Everything downstream reads these fields instead of the text: materialization of recorded
//! objects, the capability check of the session's Flink version, metadata cache invalidation,
//! catalog following, `SET` tracking, the catalog of record's DDL recognition, translation.
//!
//! This room is a leaf: it reads the statement's text only (with the `weir-dialects` lexer and
//! sqlparser), never a session, a cluster or the catalog, so every other room may read it.
//!
//! * [`words`]: the Flink lexer every classification tokenizes with, once.
//! * [`flink`]: what a Flink statement is, from its tokens.
//! * [`ddl`]: the catalog DDL a statement is (object kind, name, modifiers).
//! * [`show`]: the metadata statements' grammar; [`extended`]: Weir's own statements' grammar.
//! * [`local`]: MySQL's session statements; [`probe`]: who answers a SELECT without FROM (the
//!   session, the metadata engine or Flink: one table of rules).
//! * [`placeholders`]: what surrounds each `?` of a prepared statement (how a bound NULL is typed).

pub mod classify;
pub mod ddl;
pub mod extended;
pub mod flink;
pub mod local;
pub mod placeholders;
pub mod privilege;
pub mod probe;
pub mod secrets;
pub mod show;
pub mod words;

use std::fmt;
use std::sync::Arc;

pub use classify::{StatementCache, classify};
pub use extended::{AccessStatement, AccountName, GrantTarget, Grantee, Privileges, RoleChoice, AlertEvent, AlertScope, AlertStatement, ChannelType, DatasyncStatement, Extended, JobChange, JobStatement, LineageStatement, Members, OnFailure, ScheduleChange, ScheduleOptions, ScheduleStatement, StartFrom, SyncMode, TableFilter, Walk};
pub use flink::{FlinkKind, FlinkStatement, Listed, Listing, VersionedStatement};
pub use local::{Filter, Local, Txn};
pub use show::{FlinkDdlFor, MetaStatement};

/// One statement, as Weir routes it. Each kind goes to the one room that answers it, so a
/// statement cannot reach the wrong handler.
#[derive(Debug, Clone)]
pub enum Statement {
    /// MySQL's session statements and client probes, answered by the session itself.
    Local(Local),
    /// information_schema, the SHOW family and DESCRIBE, answered in MySQL's shape.
    Metadata(MetaStatement),
    /// `USE db` (or `USE catalog.db`): Flink's current database changes, and Weir remembers it.
    Use(String),
    /// Weir's own statements.
    Extended(Extended),
    /// Anything else: Flink SQL, sent as written.
    Flink(Arc<FlinkStatement>),
}

impl Statement {
    /// What it is and who answers it, as two short names from fixed sets (the labels Weir's
    /// statement metrics count by): kind `select`, `insert`, `ddl`, `set`, `show`, `describe`,
    /// `use`, `explain`, `transaction`, `kill`, `statement_set`, `jar`, `job`, `datasync`,
    /// `cluster`, `connector`, `translate`, `alert`, `lineage`, `schedule`, `access` or `other`; answerer `local`, `metadata`, `weir` (its
    /// extended statements) or `flink`.
    pub fn labels(&self) -> (&'static str, &'static str) {
        match self {
            Statement::Local(l) => (local_kind(l), "local"),
            Statement::Metadata(m) => (meta_kind(m), "metadata"),
            Statement::Use(_) => ("use", "flink"),
            Statement::Extended(e) => (extended_kind(e), "weir"),
            Statement::Flink(f) => (flink_kind(&f.kind), "flink"),
        }
    }

    /// Whether the statement keeps the previous statement's diagnostics: MySQL resets them only
    /// for statements that use a table, so SHOW WARNINGS/ERRORS, `SHOW COUNT(*) WARNINGS` and
    /// SELECTs without FROM (`SELECT @@warning_count`) see the last statement's.
    pub fn keeps_diagnostics(&self) -> bool {
        matches!(
            self,
            Statement::Local(Local::ShowWarnings { .. } | Local::ShowCount { .. } | Local::Select { .. }) | Statement::Metadata(MetaStatement::Probe(_))
        )
    }
}

/// The kinds of catalog objects Flink statements create, alter and drop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum ObjectKind {
    Catalog,
    Database,
    Table,
    View,
    Function,
}

impl ObjectKind {
    pub const ALL: [ObjectKind; 5] = [ObjectKind::Catalog, ObjectKind::Database, ObjectKind::Table, ObjectKind::View, ObjectKind::Function];

    /// The SQL keyword (`CREATE <keyword>`).
    pub fn keyword(self) -> &'static str {
        match self {
            ObjectKind::Catalog => "CATALOG",
            ObjectKind::Database => "DATABASE",
            ObjectKind::Table => "TABLE",
            ObjectKind::View => "VIEW",
            ObjectKind::Function => "FUNCTION",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ObjectKind::Catalog => "catalog",
            ObjectKind::Database => "database",
            ObjectKind::Table => "table",
            ObjectKind::View => "view",
            ObjectKind::Function => "function",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The kind a `CREATE`/`DROP`/`ALTER` keyword names (any case).
    pub fn from_keyword(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.keyword().eq_ignore_ascii_case(word))
    }
}

impl fmt::Display for ObjectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.as_str();
        let mut c = s.chars();
        match c.next() {
            Some(first) => write!(f, "{}{}", first.to_ascii_uppercase(), c.as_str()),
            None => Ok(()),
        }
    }
}

/// An object name as written in a statement: one to three parts, unquoted.
pub type ObjectName = Vec<String>;

/// A statement Weir cannot read: MySQL's 1064, with the position in the user's text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} near '{near}' at line {line}, column {column}")]
pub struct SyntaxError {
    pub message: String,
    /// The text from the offending token on (at most a line of it), as MySQL quotes it.
    pub near: String,
    pub line: usize,
    pub column: usize,
}

impl SyntaxError {
    /// An error at byte `at` of `text`.
    pub fn at(text: &str, at: usize, message: impl Into<String>) -> Self {
        let at = at.min(text.len());
        let at = (0..=at).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
        let before = &text[..at];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
        let near: String = text[at..].lines().next().unwrap_or("").chars().take(80).collect();
        Self { message: message.into(), near, line, column }
    }
}

fn local_kind(l: &Local) -> &'static str {
    match l {
        Local::Select { .. } => "select",
        Local::SetVariables(_) | Local::SetTransaction => "set",
        Local::Transaction(_) => "transaction",
        Local::ShowVariables { .. } | Local::ShowStatus { .. } | Local::ShowWarnings { .. } | Local::ShowCount { .. } => "show",
        Local::Kill { .. } => "kill",
        Local::Do { .. } => "other",
    }
}

fn meta_kind(m: &MetaStatement) -> &'static str {
    match m {
        MetaStatement::Select(_) | MetaStatement::Probe(_) => "select",
        MetaStatement::Do(_) => "other",
        MetaStatement::Describe { .. } => "describe",
        MetaStatement::SetCatalog(_) => "use",
        _ => "show",
    }
}

fn extended_kind(e: &Extended) -> &'static str {
    match e {
        Extended::ShowFlinkClusters { .. } => "cluster",
        Extended::ShowConnectors { .. } => "connector",
        Extended::Translate { .. } => "translate",
        Extended::Job(_) => "job",
        Extended::Datasync(_) => "datasync",
        Extended::Alert(_) => "alert",
        Extended::Lineage(_) => "lineage",
        Extended::Schedule(_) => "schedule",
        Extended::Access(_) => "access",
    }
}

fn flink_kind(k: &FlinkKind) -> &'static str {
    match k {
        FlinkKind::Query => "select",
        FlinkKind::Explain { .. } => "explain",
        FlinkKind::Dml => "insert",
        FlinkKind::Ddl(_) => "ddl",
        FlinkKind::Set(_) | FlinkKind::Reset(_) => "set",
        FlinkKind::StatementSetBegin | FlinkKind::StatementSetEnd => "statement_set",
        FlinkKind::UseCatalog(_) => "use",
        FlinkKind::Listing(_) => "show",
        FlinkKind::Jar { .. } => "jar",
        FlinkKind::Other => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_point_into_the_users_text() {
        let e = SyntaxError::at("SHOW FLINK\n  CLUSTERS extra", 22, "expected the end");
        assert_eq!((e.line, e.column, e.near.as_str()), (2, 12, "extra"));
        assert_eq!(e.to_string(), "expected the end near 'extra' at line 2, column 12");
        let e = SyntaxError::at("TRANSLATE", 9, "expected a statement");
        assert_eq!((e.line, e.column, e.near.as_str()), (1, 10, ""));
    }
}
