//! Statement classification, in one place and by parsing: what Weir answers itself, what is
//! Weir's own extended syntax, and what goes to Flink untouched.
//!
//! MySQL's session and bootstrap statements are parsed with sqlparser's MySQL dialect; Weir's
//! extended statements by Weir's own grammar ([`super::extended`]). A statement that is neither
//! is Flink's: Flink parses it and gives its own errors.

use sqlparser::ast::{
    Expr, KillType, ObjectName, Query, SelectItem, Set, SetExpr, ShowStatementFilter, Statement, Use,
};
use weir_dialects::session_dialect::MySqlNoBackslashEscapes;
use sqlparser::parser::Parser;

use super::extended::{self, Extended};
use super::probe;

/// What to do with one statement.
#[derive(Debug, Clone)]
pub enum Plan {
    /// A SELECT without FROM over literals, `@@variables` and probe functions.
    LocalSelect { items: Vec<(String, Expr)>, limit: Option<u64> },
    /// SET of MySQL session variables (incl. NAMES, autocommit, `weir.*`).
    SetVariables(Vec<(String, Expr)>),
    /// SET [SESSION] TRANSACTION …: accepted, Flink has no transactions.
    SetTransaction,
    Transaction(Txn),
    ShowVariables { filter: Option<Filter> },
    ShowStatus { filter: Option<Filter> },
    ShowWarnings { errors: bool },
    Kill { connection: bool, id: u64 },
    /// `USE db`: Flink's current database changes, and Weir remembers it.
    Use(String),
    Extended(Extended),
    /// information_schema, the SHOW family and DESCRIBE, answered in MySQL's shape.
    Metadata(crate::metadata::MetaPlan),
    /// Anything else: Flink SQL, sent as written.
    Flink,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Txn {
    Begin,
    Commit,
    Rollback,
}

/// A SHOW … LIKE/WHERE filter.
#[derive(Debug, Clone)]
pub enum Filter {
    Like(String),
    Where(Box<Expr>),
}

/// Plans of recently seen statement texts: clients repeat the same statements (pool validation
/// queries, bootstrap probes), and parsing is the larger part of answering them.
#[derive(Default)]
pub struct PlanCache {
    plans: std::collections::HashMap<String, Plan>,
}

impl PlanCache {
    /// Most distinct texts kept; the cache starts over when full.
    const CAPACITY: usize = 256;

    pub fn plan(&mut self, sql: &str) -> Plan {
        if let Some(p) = self.plans.get(sql) {
            return p.clone();
        }
        let plan = classify(sql);
        if self.plans.len() >= Self::CAPACITY {
            self.plans.clear();
        }
        self.plans.insert(sql.to_string(), plan.clone());
        plan
    }
}

/// Classifies one statement (already split, leading comments included).
pub fn classify(sql: &str) -> Plan {
    let text = weir_dialects::lexer::strip_leading_comments(sql);
    if let Some(ext) = extended::parse(text) {
        return Plan::Extended(ext);
    }
    // Flink's `BEGIN STATEMENT SET` is not MySQL's BEGIN.
    let first_words: Vec<String> = text.split_whitespace().take(3).map(|w| w.to_ascii_uppercase()).collect();
    if first_words.first().map(String::as_str) == Some("BEGIN") && first_words.get(1).map(String::as_str) == Some("STATEMENT") {
        return Plan::Flink;
    }
    // Flink's `USE CATALOG c` (and `USE MODULES …`) are Flink's, not MySQL's `USE db`.
    if first_words.first().map(String::as_str) == Some("USE") && matches!(first_words.get(1).map(String::as_str), Some("CATALOG" | "MODULES")) {
        return Plan::Flink;
    }
    // Flink's `SET 'key' = 'value'` quotes the key; MySQL's SET never does.
    if first_words.first().map(String::as_str) == Some("SET") && text[3..].trim_start().starts_with('\'') {
        return Plan::Flink;
    }
    if let Some(m) = crate::metadata::show::parse(text) {
        return Plan::Metadata(m);
    }
    let statements = match Parser::parse_sql(&MySqlNoBackslashEscapes::default(), text) {
        Ok(s) if s.len() == 1 => s,
        _ if first_words.first().map(String::as_str) == Some("SET") => {
            return set_list(&text[3..]).unwrap_or(Plan::Flink);
        }
        _ => return Plan::Flink,
    };
    let Some(statement) = statements.into_iter().next() else {
        return Plan::Flink;
    };
    match statement {
        Statement::Query(q) => local_select(&q)
            .or_else(|| crate::metadata::engine::reads_information_schema(&q).then(|| Plan::Metadata(crate::metadata::MetaPlan::Select(text.to_string()))))
            .unwrap_or(Plan::Flink),
        Statement::Set(set) => classify_set(set),
        Statement::StartTransaction { .. } => Plan::Transaction(Txn::Begin),
        Statement::Commit { .. } => Plan::Transaction(Txn::Commit),
        Statement::Rollback { .. } => Plan::Transaction(Txn::Rollback),
        Statement::ShowVariables { filter, .. } => Plan::ShowVariables { filter: filter.and_then(filter_of) },
        Statement::ShowStatus { filter, .. } => Plan::ShowStatus { filter: filter.and_then(filter_of) },
        Statement::Kill { modifier, id } => Plan::Kill { connection: !matches!(modifier, Some(KillType::Query)), id },
        Statement::Use(u) => match use_target(&u) {
            Some(db) => Plan::Use(db),
            None => Plan::Flink,
        },
        _ => show_warnings(text).unwrap_or(Plan::Flink),
    }
}

fn show_warnings(text: &str) -> Option<Plan> {
    let words: Vec<String> = text.split_whitespace().map(|w| w.trim_end_matches(';').to_ascii_uppercase()).collect();
    match words.as_slice() {
        [show, w] if show == "SHOW" && w == "WARNINGS" => Some(Plan::ShowWarnings { errors: false }),
        [show, w] if show == "SHOW" && w == "ERRORS" => Some(Plan::ShowWarnings { errors: true }),
        _ => None,
    }
}

fn use_target(u: &Use) -> Option<String> {
    match u {
        // `USE catalog.db` keeps both parts (see `metadata::catalog_and_database`).
        Use::Object(name) => {
            let parts: Vec<String> = name.0.iter().filter_map(|p| p.as_ident()).map(|i| i.value.clone()).collect();
            Some(parts.join("."))
        }
        _ => None,
    }
}

fn filter_of(f: ShowStatementFilter) -> Option<Filter> {
    match f {
        ShowStatementFilter::Like(p) | ShowStatementFilter::ILike(p) => Some(Filter::Like(p)),
        ShowStatementFilter::Where(e) => Some(Filter::Where(Box::new(e))),
        ShowStatementFilter::NoKeyword(p) => Some(Filter::Like(p)),
    }
}

fn classify_set(set: Set) -> Plan {
    match set {
        Set::SingleAssignment { variable, values, .. } => match values.into_iter().next() {
            Some(v) => Plan::SetVariables(vec![(variable_name(&variable), v)]),
            None => Plan::Flink,
        },
        Set::MultipleAssignments { assignments } => Plan::SetVariables(
            assignments.into_iter().map(|a| (variable_name(&a.name), a.value)).collect(),
        ),
        Set::SetNames { charset_name, .. } => {
            Plan::SetVariables(vec![("names".to_string(), Expr::Identifier(charset_name))])
        }
        Set::SetNamesDefault {} => Plan::SetVariables(vec![]),
        Set::SetTransaction { .. } => Plan::SetTransaction,
        Set::SetTimeZone { value, .. } => Plan::SetVariables(vec![("time_zone".to_string(), value)]),
        _ => Plan::Flink,
    }
}

/// A SET list that sqlparser does not take whole, such as MariaDB Connector/J's
/// `SET autocommit=1, sql_mode=CONCAT(@@sql_mode, ',X'), NAMES utf8mb4`: each assignment is
/// parsed on its own.
fn set_list(list: &str) -> Option<Plan> {
    use sqlparser::tokenizer::{Token, Tokenizer};
    let dialect = MySqlNoBackslashEscapes::default();
    let tokens = Tokenizer::new(&dialect, list).tokenize().ok()?;
    let mut pieces = vec![String::new()];
    let mut depth = 0i32;
    for t in tokens {
        match t {
            Token::LParen => depth += 1,
            Token::RParen => depth -= 1,
            Token::Comma if depth == 0 => {
                pieces.push(String::new());
                continue;
            }
            Token::SemiColon if depth == 0 => continue,
            _ => {}
        }
        pieces.last_mut()?.push_str(&t.to_string());
    }
    let mut assignments = Vec::new();
    for piece in pieces {
        let statement = Parser::parse_sql(&dialect, &format!("SET {piece}")).ok()?.into_iter().next()?;
        match statement {
            Statement::Set(set) => match classify_set(set) {
                Plan::SetVariables(v) => assignments.extend(v),
                _ => return None,
            },
            _ => return None,
        }
    }
    Some(Plan::SetVariables(assignments))
}

/// `@@session.x`, `@@x`, `SESSION x`, `x` → `x` (lower case, `weir.` prefix kept).
fn variable_name(name: &ObjectName) -> String {
    let parts: Vec<String> = name.0.iter().filter_map(|p| p.as_ident()).map(|i| i.value.clone()).collect();
    normalise_var(&parts.join("."))
}

pub fn normalise_var(raw: &str) -> String {
    let s = raw.trim_start_matches('@').to_ascii_lowercase();
    for scope in ["session.", "local.", "global.", "persist."] {
        if let Some(rest) = s.strip_prefix(scope) {
            return rest.to_string();
        }
    }
    s
}

/// MySQL names an unaliased column by its expression's text, and a string literal by its value.
fn column_name(e: &Expr) -> String {
    match e {
        Expr::Value(v) => match &v.value {
            sqlparser::ast::Value::SingleQuotedString(s) | sqlparser::ast::Value::DoubleQuotedString(s) => s.clone(),
            other => other.to_string(),
        },
        other => other.to_string(),
    }
}

fn local_select(q: &Query) -> Option<Plan> {
    if q.with.is_some() || q.order_by.is_some() {
        return None;
    }
    let SetExpr::Select(select) = q.body.as_ref() else {
        return None;
    };
    if !select.from.is_empty() || select.selection.is_some() || select.having.is_some() || select.distinct.is_some() {
        return None;
    }
    let mut items = Vec::with_capacity(select.projection.len());
    for item in &select.projection {
        let (name, expr) = match item {
            SelectItem::UnnamedExpr(e) => (column_name(e), e.clone()),
            SelectItem::ExprWithAlias { expr, alias } => (alias.value.clone(), expr.clone()),
            _ => return None,
        };
        if !probe::is_local(&expr) {
            return None;
        }
        items.push((name, expr));
    }
    let limit = match &q.limit_clause {
        None => None,
        Some(sqlparser::ast::LimitClause::LimitOffset { limit: Some(e), offset: None, limit_by }) if limit_by.is_empty() => {
            Some(probe::as_u64(e)?)
        }
        Some(_) => return None,
    };
    Some(Plan::LocalSelect { items, limit })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_local_select(sql: &str) -> bool {
        matches!(classify(sql), Plan::LocalSelect { .. })
    }

    #[test]
    fn client_probes_are_local() {
        for sql in [
            "SELECT 1",
            "select @@version_comment limit 1",
            "SELECT DATABASE()",
            "select DATABASE(), USER() limit 1",
            "SELECT @@session.transaction_isolation",
            "/* mysql-connector-j-9.1.0 */SELECT  @@session.auto_increment_increment AS auto_increment_increment, @@character_set_client AS character_set_client",
            "SELECT CONNECTION_ID()",
            "SELECT VERSION()",
            "SELECT 'x' AS s, NULL, -5, 1.50",
        ] {
            assert!(is_local_select(sql), "{sql} should be answered locally");
        }
    }

    #[test]
    fn flink_semantics_stay_with_flink() {
        for sql in ["SELECT 1/2", "SELECT PRINTF('%d', 1)", "SELECT * FROM t", "SELECT 1 + 1", "SELECT UPPER('a')"] {
            assert!(matches!(classify(sql), Plan::Flink), "{sql} should go to Flink");
        }
        assert!(matches!(classify("SET 'execution.runtime-mode' = 'batch'"), Plan::Flink));
        assert!(matches!(classify("BEGIN STATEMENT SET"), Plan::Flink));
        assert!(matches!(classify("CREATE TABLE t (id INT) WITH ('connector'='datagen')"), Plan::Flink));
        assert!(matches!(classify("SHOW JOBS"), Plan::Flink));
        assert!(matches!(classify("USE CATALOG my_catalog"), Plan::Flink));
    }

    #[test]
    fn session_statements_are_recognised() {
        assert!(matches!(classify("SET NAMES utf8mb4"), Plan::SetVariables(_)));
        assert!(matches!(classify("SET autocommit=1"), Plan::SetVariables(_)));
        assert!(matches!(classify("SET @@session.autocommit = OFF"), Plan::SetVariables(_)));
        assert!(matches!(classify("SET sql_mode='ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES'"), Plan::SetVariables(_)));
        assert!(matches!(classify("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED"), Plan::SetTransaction));
        assert!(matches!(classify("START TRANSACTION"), Plan::Transaction(Txn::Begin)));
        assert!(matches!(classify("BEGIN"), Plan::Transaction(Txn::Begin)));
        assert!(matches!(classify("COMMIT"), Plan::Transaction(Txn::Commit)));
        assert!(matches!(classify("ROLLBACK"), Plan::Transaction(Txn::Rollback)));
        assert!(matches!(classify("SHOW VARIABLES LIKE 'sql_mode'"), Plan::ShowVariables { .. }));
        assert!(matches!(classify("SHOW WARNINGS"), Plan::ShowWarnings { errors: false }));
        assert!(matches!(classify("KILL QUERY 12"), Plan::Kill { connection: false, id: 12 }));
        assert!(matches!(classify("KILL 12"), Plan::Kill { connection: true, id: 12 }));
        assert!(matches!(classify("USE `mydb`"), Plan::Use(db) if db == "mydb"));
        assert!(matches!(classify("USE hive.sales"), Plan::Use(db) if db == "hive.sales"));
        assert!(matches!(classify("SET weir.max_rows = 5"), Plan::SetVariables(v) if v[0].0 == "weir.max_rows"));
        let mariadb_cj = "set autocommit=1, sql_mode = concat(@@sql_mode,',STRICT_TRANS_TABLES'), NAMES utf8mb4";
        let Plan::SetVariables(v) = classify(mariadb_cj) else { panic!("{mariadb_cj} is a SET list") };
        assert_eq!(v.iter().map(|a| a.0.as_str()).collect::<Vec<_>>(), vec!["autocommit", "sql_mode", "names"]);
    }
}
