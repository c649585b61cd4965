//! `SET weir.dialect = 'mysql' | 'oracle' | 'flink'`: in `mysql` or `oracle` mode every
//! statement bound for Flink is translated first (the `weir-dialects` crate), with a schema
//! context filled from the session's own Flink catalog: DESCRIBE of the tables the statement
//! names, through the session's Flink session (so TEMPORARY tables and views count), cached for
//! the statement. Metadata and session statements (SHOW, DESCRIBE, USE, Flink's
//! `SET 'key' = 'value'` and `RESET`, job statements) pass through untouched; `EXPLAIN` translates
//! the statement it explains; `flink` passes everything.

use std::collections::HashMap;
use std::sync::Mutex;

use arrow_array::{Array, StringArray};
use futures::StreamExt;
use tokio_util::sync::CancellationToken;
use weir_dialects::{FlinkTarget, FlinkType, SchemaContext, SourceDialect, Translation};

use super::context::Context;
use crate::diagnostics::Warning;
use crate::error::WeirError;
use crate::protocol::Response;
use crate::statement::classify::classify_flink;
use crate::statement::{FlinkKind, FlinkStatement};
use crate::variables;

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
pub fn seed(shared: &super::Shared, user: &str, vars: &mut variables::SessionVars) -> std::collections::BTreeMap<String, String> {
    let dialect = user_dialect(shared, user);
    if let Some(def) = variables::lookup(VARIABLE) {
        vars.set(def, dialect.name().to_string());
    }
    session_options(dialect, shared.flink_options_for(user))
}

/// `SET weir.dialect = DEFAULT`: back to the user's configured dialect.
pub fn reset(s: &mut Context) {
    let dialect = user_dialect(&s.shared, &s.info.user);
    if let Some(def) = variables::lookup(VARIABLE) {
        s.vars.set(def, dialect.name().to_string());
    }
}

fn user_dialect(shared: &super::Shared, user: &str) -> Dialect {
    shared.config.user(user).and_then(|u| u.dialect.as_deref()).and_then(Dialect::from_name).unwrap_or(Dialect::Flink)
}

/// The session's dialect (its `weir.dialect`).
pub fn current(s: &Context) -> Dialect {
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
pub async fn after_set(s: &mut Context, before: Dialect) -> Result<(), WeirError> {
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

/// The statement to send to Flink in place of `sql` (classified as `statement`): `None` in a
/// `flink` session and for Flink's own statements, else its translation (whose notes become the
/// statement's warnings). `EXPLAIN` translates the statement it explains.
pub async fn prepare(s: &mut Context, sql: &str, statement: &FlinkStatement) -> Result<Option<String>, WeirError> {
    let Dialect::Source(from) = current(s) else { return Ok(None) };
    if statement.flink_only {
        return Ok(None);
    }
    let (prefix, body) = match statement.kind {
        FlinkKind::Explain { body } => (sql.get(..body).unwrap_or(""), sql.get(body..).unwrap_or("")),
        _ => ("", weir_dialects::lexer::strip_leading_comments(sql)),
    };
    let t = translate(s, from, body).await?;
    if let Ok(mut w) = s.warnings.lock() {
        // MySQL's 1105 as a Note: what was rewritten or dropped, for SHOW WARNINGS.
        w.extend(t.notes.iter().map(|n| Warning { level: "Note", code: 1105, message: format!("{}:{}: {}", n.line, n.column, n.message) }));
    }
    Ok(Some(if prefix.is_empty() { t.sql } else { format!("{} {}", weir_dialects::lexer::strip_leading_comments(prefix).trim_end(), t.sql) }))
}

/// Translates `statement` for this session: its Flink version, its `weir.ddl.with`, and column
/// types from its Flink catalog.
pub async fn translate(s: &mut Context, from: SourceDialect, statement: &str) -> Result<Translation, WeirError> {
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
async fn is_temporary(s: &mut Context, name: &[String]) -> Result<bool, WeirError> {
    match s.flink.fetch_text(&format!("SHOW CREATE TABLE {}", quoted(name))).await {
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
async fn describe(s: &mut Context, name: &[String]) -> Result<Option<Described>, WeirError> {
    // A table the session may not see does not exist for its translation either.
    let scope = s.flink.scope();
    let Some(t) = crate::auth::required::Qualified::of(name, crate::auth::required::Scope { catalog: &scope.catalog, database: &scope.database }) else {
        return Ok(None);
    };
    if !s.access().sees_table(&t.catalog, &t.database, &t.table) {
        return Ok(None);
    }
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
async fn flink_run(s: &mut Context, sql: &str) -> Result<Response, WeirError> {
    let warnings = std::sync::Arc::new(Mutex::new(Vec::new()));
    s.flink.run(sql, &classify_flink(sql), &s.vars, &warnings, CancellationToken::new()).await
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
    fn dialect_users_get_batch_mode_unless_configured() {
        let none = std::collections::BTreeMap::new();
        assert_eq!(session_options(Dialect::Source(SourceDialect::MySql), none.clone())[RUNTIME_MODE], "batch");
        assert!(session_options(Dialect::Flink, none).is_empty());
        let streaming: std::collections::BTreeMap<String, String> = [(RUNTIME_MODE.to_string(), "streaming".to_string())].into();
        assert_eq!(session_options(Dialect::Source(SourceDialect::Oracle), streaming)[RUNTIME_MODE], "streaming");
    }
}
