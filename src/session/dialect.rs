//! `SET weir.dialect = 'mysql' | 'oracle' | 'flink'`: in `mysql` or `oracle` mode every
//! statement bound for Flink is translated first (the `weir-dialects` crate), with a schema
//! context filled from the session's own Flink catalog: DESCRIBE of the tables the statement
//! names, through the session's Flink session (so TEMPORARY tables and views count), cached for
//! the statement. Metadata and session statements (SHOW, DESCRIBE, USE, Flink's
//! `SET 'key' = 'value'` and `RESET`, job statements) pass through untouched; `EXPLAIN` translates
//! the statement it explains; `flink` passes everything.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Mutex;

use arrow_array::{Array, StringArray};
use futures::StreamExt;
use tokio_util::sync::CancellationToken;
use weir_dialects::{FlinkTarget, FlinkType, SchemaContext, SourceDialect, Translation};

use super::WeirSession;
use super::variables;
use crate::error::WeirError;
use crate::protocol::Response;

/// The session variable.
pub const VARIABLE: &str = "weir.dialect";
/// The connector options a translated CREATE TABLE gets when it has no `WITH (...)`.
pub const DDL_WITH: &str = "weir.ddl.with";
/// Flink's runtime-mode option.
const RUNTIME_MODE: &str = "execution.runtime-mode";
/// Rounds of DESCRIBE a statement may need (a table found can reveal another: views, CTAS).
const MAX_ROUNDS: usize = 3;

/// What a session does with the statements it sends to Flink.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// Flink SQL: sent as written.
    Flink,
    /// Translated from MySQL or Oracle first.
    Source(SourceDialect),
}

impl Dialect {
    /// `mysql`, `mariadb`, `oracle` or `flink`, any case.
    pub fn from_name(name: &str) -> Option<Dialect> {
        if name.trim().eq_ignore_ascii_case("flink") {
            return Some(Dialect::Flink);
        }
        SourceDialect::from_name(name.trim()).map(Dialect::Source)
    }

    pub fn name(self) -> &'static str {
        match self {
            Dialect::Flink => "flink",
            Dialect::Source(d) => d.name(),
        }
    }
}

/// Sets a new session's `weir.dialect` from its user's config, and returns the Flink session
/// options it starts with (see [`session_options`]).
pub fn seed(shared: &crate::server::Shared, user: &str, vars: &mut variables::SessionVars) -> std::collections::BTreeMap<String, String> {
    let dialect = user_dialect(shared, user);
    if let Some(def) = variables::lookup(VARIABLE) {
        vars.set(def, dialect.name().to_string());
    }
    session_options(dialect, shared.flink_options_for(user))
}

/// `SET weir.dialect = DEFAULT`: back to the user's configured dialect.
pub fn reset(s: &mut WeirSession) {
    let dialect = user_dialect(&s.shared, &s.info.user);
    if let Some(def) = variables::lookup(VARIABLE) {
        s.vars.set(def, dialect.name().to_string());
    }
}

fn user_dialect(shared: &crate::server::Shared, user: &str) -> Dialect {
    shared.config.user(user).and_then(|u| u.dialect.as_deref()).and_then(Dialect::from_name).unwrap_or(Dialect::Flink)
}

/// The session's dialect (its `weir.dialect`).
pub fn current(s: &WeirSession) -> Dialect {
    variables::lookup(VARIABLE).and_then(|def| Dialect::from_name(s.vars.get(def))).unwrap_or(Dialect::Flink)
}

/// Checks and normalises a value SET for `weir.dialect` (MySQL's 1231 otherwise).
pub fn normalise(value: &str) -> Result<String, WeirError> {
    Dialect::from_name(value).map(|d| d.name().to_string()).ok_or_else(|| WeirError::WrongValue {
        name: VARIABLE.to_string(),
        value: value.to_string(),
    })
}

/// Flink session options a session of this user starts with: a user whose dialect is `mysql` or
/// `oracle` gets batch runtime mode unless the config sets a runtime mode (BI tools cannot send
/// Flink `SET`s).
pub fn session_options(dialect: Dialect, mut options: std::collections::BTreeMap<String, String>) -> std::collections::BTreeMap<String, String> {
    if dialect != Dialect::Flink && !options.contains_key(RUNTIME_MODE) {
        options.insert(RUNTIME_MODE.to_string(), "batch".to_string());
    }
    options
}

/// After `SET weir.dialect` moved the session to `mysql` or `oracle`: batch runtime mode, unless
/// the user's config chose a runtime mode.
pub async fn after_set(s: &mut WeirSession, before: Dialect) -> Result<(), WeirError> {
    let now = current(s);
    if before != Dialect::Flink || now == Dialect::Flink || s.shared.flink_options_for(&s.info.user).contains_key(RUNTIME_MODE) {
        return Ok(());
    }
    let sql = format!("SET '{RUNTIME_MODE}' = 'batch'");
    if let Response::Rows(mut rows) = flink_run(s, &sql).await? {
        while rows.batches.next().await.is_some() {}
    }
    Ok(())
}

/// True for statements no dialect translates: metadata, session configuration, Flink's own
/// job statements.
fn passes_through(sql: &str) -> bool {
    let text = weir_dialects::lexer::strip_leading_comments(sql).trim_start();
    let first = text.split(|c: char| !c.is_ascii_alphanumeric() && c != '_').next().unwrap_or("").to_ascii_uppercase();
    let rest = text[first.len()..].trim_start();
    let second = rest.split(|c: char| !c.is_ascii_alphanumeric() && c != '_').next().unwrap_or("").to_ascii_uppercase();
    matches!(first.as_str(), "SHOW" | "DESCRIBE" | "DESC" | "USE" | "RESET" | "STOP" | "ADD" | "REMOVE" | "LOAD" | "UNLOAD" | "END")
        || (first == "SET" && (rest.starts_with('\'') || rest.is_empty() || rest == ";"))
        || (first == "BEGIN" && second == "STATEMENT")
}

/// The statement to send to Flink: `sql` itself in `flink` mode and for statements that pass
/// through, else its translation (whose notes become the statement's warnings).
pub async fn prepare<'a>(s: &mut WeirSession, sql: &'a str) -> Result<Cow<'a, str>, WeirError> {
    let Dialect::Source(from) = current(s) else { return Ok(Cow::Borrowed(sql)) };
    if passes_through(sql) {
        return Ok(Cow::Borrowed(sql));
    }
    // EXPLAIN [PLAN FOR] <statement>: the statement is translated.
    let text = weir_dialects::lexer::strip_leading_comments(sql).trim_start();
    let explain = explain_prefix(text);
    let body = &text[explain.len()..];
    let t = translate(s, from, body).await?;
    if let Ok(mut w) = s.warnings.lock() {
        // MySQL's 1105 as a Note: what was rewritten or dropped, for SHOW WARNINGS.
        w.extend(t.notes.iter().map(|n| super::Warning { level: "Note", code: 1105, message: format!("{}:{}: {}", n.line, n.column, n.message) }));
    }
    Ok(Cow::Owned(if explain.is_empty() { t.sql } else { format!("EXPLAIN {}", t.sql) }))
}

fn explain_prefix(text: &str) -> &str {
    let upper = text.to_ascii_uppercase();
    for p in ["EXPLAIN PLAN FOR ", "EXPLAIN "] {
        if upper.starts_with(p) {
            return &text[..p.len()];
        }
    }
    ""
}

/// Translates `statement` for this session: its Flink version, its `weir.ddl.with`, and column
/// types from its Flink catalog.
pub async fn translate(s: &mut WeirSession, from: SourceDialect, statement: &str) -> Result<Translation, WeirError> {
    let target = FlinkTarget::parse(&s.flink.cluster().version()).unwrap_or_default();
    let ddl_with = variables::lookup(DDL_WITH).map(|d| s.vars.get(d).to_string()).filter(|w| !w.trim().is_empty());
    let mut catalog = CatalogSchema::default();
    for _ in 0..MAX_ROUNDS {
        let result = weir_dialects::translate(statement, from, &target, &catalog, ddl_with.as_deref());
        let asked = catalog.take_unknown();
        if asked.is_empty() {
            return result.map_err(WeirError::Translate);
        }
        for ask in asked {
            match ask {
                Ask::Columns(name) => {
                    let found = describe(s, &name).await?;
                    catalog.tables.insert(name, found);
                }
                Ask::Temporary(name) => {
                    let temporary = is_temporary(s, &name).await?;
                    catalog.temporary.insert(name, temporary);
                }
            }
        }
    }
    weir_dialects::translate(statement, from, &target, &catalog, ddl_with.as_deref()).map_err(WeirError::Translate)
}

/// The tables a statement's translation asked about, as DESCRIBE found them (None: no such
/// table in the session's catalog, which Flink will report if it matters).
#[derive(Default)]
struct CatalogSchema {
    tables: HashMap<Vec<String>, Option<Described>>,
    /// Whether a table is one of the session's TEMPORARY tables (asked by DROP TABLE only).
    temporary: HashMap<Vec<String>, bool>,
    unknown: Mutex<Vec<Ask>>,
}

/// What the translation asked that the session's Flink catalog must answer.
#[derive(PartialEq)]
enum Ask {
    Columns(Vec<String>),
    Temporary(Vec<String>),
}

#[derive(Clone)]
struct Described {
    /// The name as the catalog spells it (Oracle's unquoted names match case-insensitively).
    name: Vec<String>,
    columns: Vec<(String, FlinkType)>,
}

impl CatalogSchema {
    fn lookup(&self, table: &[String]) -> Option<&Described> {
        match self.tables.get(table) {
            Some(d) => d.as_ref(),
            None => {
                self.ask(Ask::Columns(table.to_vec()));
                None
            }
        }
    }

    fn ask(&self, ask: Ask) {
        if let Ok(mut u) = self.unknown.lock()
            && !u.contains(&ask)
        {
            u.push(ask);
        }
    }

    fn take_unknown(&mut self) -> Vec<Ask> {
        self.unknown.lock().map(|mut u| std::mem::take(&mut *u)).unwrap_or_default()
    }
}

impl SchemaContext for CatalogSchema {
    fn table_columns(&self, table: &[String]) -> Option<Vec<(String, FlinkType)>> {
        self.lookup(table).map(|d| d.columns.clone())
    }

    fn table_name(&self, table: &[String]) -> Option<Vec<String>> {
        self.lookup(table).map(|d| d.name.clone())
    }

    fn is_temporary(&self, table: &[String]) -> bool {
        match self.temporary.get(table) {
            Some(t) => *t,
            None => {
                self.ask(Ask::Temporary(table.to_vec()));
                false
            }
        }
    }
}

/// True when `name` is a TEMPORARY table of the session: Flink's SHOW CREATE TABLE says
/// `CREATE TEMPORARY TABLE` for one. False for a permanent or unknown table.
async fn is_temporary(s: &mut WeirSession, name: &[String]) -> Result<bool, WeirError> {
    match s.flink.fetch_text(&s.shared, &s.info, &format!("SHOW CREATE TABLE {}", quoted(name))).await {
        Ok(rows) => Ok(rows
            .first()
            .and_then(|r| r.first().cloned().flatten())
            .is_some_and(|ddl| ddl.trim_start().to_ascii_uppercase().starts_with("CREATE TEMPORARY TABLE"))),
        Err(WeirError::Gateway { source: weir_drivers::gateway::GatewayError::Flink(_), .. }) => Ok(false),
        Err(e) => Err(e),
    }
}

fn quoted(name: &[String]) -> String {
    name.iter().map(|p| format!("`{}`", p.replace('`', "``"))).collect::<Vec<_>>().join(".")
}

/// DESCRIBE of `name` in the session's Flink session; names that Flink does not know as written
/// are tried in lower and then upper case (Oracle folds unquoted names to upper case, Flink
/// catalogs usually spell them in lower case).
async fn describe(s: &mut WeirSession, name: &[String]) -> Result<Option<Described>, WeirError> {
    let lower: Vec<String> = name.iter().map(|p| p.to_lowercase()).collect();
    let upper: Vec<String> = name.iter().map(|p| p.to_uppercase()).collect();
    let mut tried: Vec<Vec<String>> = Vec::new();
    for candidate in [name.to_vec(), lower, upper] {
        if tried.contains(&candidate) {
            continue;
        }
        tried.push(candidate.clone());
        match flink_run(s, &format!("DESCRIBE {}", quoted(&candidate))).await {
            Ok(Response::Rows(mut rows)) => {
                let mut columns = Vec::new();
                while let Some(batch) = rows.batches.next().await {
                    let batch = batch.map_err(|e| WeirError::NotSupported(format!("DESCRIBE {}: {e}", quoted(&candidate))))?;
                    let (Some(names), Some(types)) = (
                        batch.columns().first().and_then(|c| c.as_any().downcast_ref::<StringArray>()),
                        batch.columns().get(1).and_then(|c| c.as_any().downcast_ref::<StringArray>()),
                    ) else {
                        break;
                    };
                    for i in 0..batch.num_rows() {
                        if names.is_valid(i) && types.is_valid(i) {
                            columns.push((names.value(i).to_string(), FlinkType::parse(types.value(i))));
                        }
                    }
                }
                return Ok(Some(Described { name: candidate, columns }));
            }
            Ok(_) => return Ok(None),
            // Unknown as written: try the next spelling. Other failures (cluster down) stop here.
            Err(WeirError::Gateway { source: weir_drivers::gateway::GatewayError::Flink(_), .. }) => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(None)
}

/// Runs a statement of Weir's own on the session's Flink session.
async fn flink_run(s: &mut WeirSession, sql: &str) -> Result<Response, WeirError> {
    let warnings = std::sync::Arc::new(Mutex::new(Vec::new()));
    s.flink.run(&s.shared, sql, &s.info, &s.vars, &warnings, CancellationToken::new()).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dialect_names() {
        assert_eq!(Dialect::from_name("MySQL"), Some(Dialect::Source(SourceDialect::MySql)));
        assert_eq!(Dialect::from_name("mariadb"), Some(Dialect::Source(SourceDialect::MySql)));
        assert_eq!(Dialect::from_name(" oracle "), Some(Dialect::Source(SourceDialect::Oracle)));
        assert_eq!(Dialect::from_name("flink"), Some(Dialect::Flink));
        assert_eq!(Dialect::from_name("postgres"), None);
        assert!(matches!(normalise("sqlserver"), Err(WeirError::WrongValue { .. })));
        assert_eq!(normalise("ORACLE").unwrap(), "oracle");
    }

    #[test]
    fn metadata_and_session_statements_pass_through() {
        for sql in ["SHOW TABLES", "DESCRIBE t", "desc t", "USE db", "SET 'execution.runtime-mode' = 'batch'", "RESET", "BEGIN STATEMENT SET", "END", "/* c */ SHOW JOBS", "STOP JOB '1'", "SET"] {
            assert!(passes_through(sql), "{sql}");
        }
        for sql in ["SELECT 1", "INSERT INTO t VALUES (1)", "CREATE TABLE t (a INT)", "EXPLAIN SELECT 1", "WITH x AS (SELECT 1) SELECT * FROM x"] {
            assert!(!passes_through(sql), "{sql}");
        }
    }

    #[test]
    fn dialect_users_get_batch_mode_unless_configured() {
        let none = std::collections::BTreeMap::new();
        assert_eq!(session_options(Dialect::Source(SourceDialect::MySql), none.clone())[RUNTIME_MODE], "batch");
        assert!(session_options(Dialect::Flink, none).is_empty());
        let streaming: std::collections::BTreeMap<String, String> = [(RUNTIME_MODE.to_string(), "streaming".to_string())].into();
        assert_eq!(session_options(Dialect::Source(SourceDialect::Oracle), streaming)[RUNTIME_MODE], "streaming");
    }

    #[test]
    fn explain_keeps_its_prefix() {
        assert_eq!(explain_prefix("EXPLAIN SELECT 1"), "EXPLAIN ");
        assert_eq!(explain_prefix("explain plan for SELECT 1"), "explain plan for ");
        assert_eq!(explain_prefix("SELECT 1"), "");
    }
}
