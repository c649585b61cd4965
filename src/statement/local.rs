//! MySQL's session statements, which Weir answers itself: client probes (a SELECT without FROM
//! over literals, `@@variables` and probe functions), `SET` of session variables, transactions,
//! `SHOW VARIABLES|STATUS|WARNINGS|ERRORS`, `SHOW COUNT(*) WARNINGS|ERRORS`, `KILL`, and `USE db`;
//! and the SELECTs without FROM that [`probe::RULES`] give to the metadata engine. Recognized by their first
//! words; only those parse with sqlparser's MySQL dialect (a Flink statement costs no parse here).

use std::ops::ControlFlow;

use sqlparser::ast::{
    Expr, Ident, KillType, ObjectName as SqlName, Query, SelectItem, Set, SetExpr, ShowStatementFilter, Statement as Sql, Use, visit_relations,
};
use sqlparser::parser::Parser;
use weir_dialects::session_dialect::MySqlNoBackslashEscapes;

use super::probe::{self, normalise_var};
use super::words::{Spanned, Token};

/// A statement the session answers itself.
#[derive(Debug, Clone)]
pub enum Local {
    /// A SELECT without FROM over literals, `@@variables` and probe functions.
    Select { items: Vec<(String, Expr)>, limit: Option<u64> },
    /// SET of MySQL session variables (incl. NAMES, autocommit, `weir.*`).
    SetVariables(Vec<(String, Expr)>),
    /// SET [SESSION] TRANSACTION …: accepted, Flink has no transactions.
    SetTransaction,
    Transaction(Txn),
    ShowVariables { filter: Option<Filter> },
    ShowStatus { filter: Option<Filter> },
    ShowWarnings { errors: bool },
    /// `SHOW COUNT(*) WARNINGS|ERRORS`: `@@warning_count` / `@@error_count`.
    ShowCount { errors: bool },
    Kill { connection: bool, id: u64 },
    /// `DO expr, …`: the expressions of a local SELECT, evaluated and their values discarded.
    Do { items: Vec<(String, Expr)> },
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

/// What a MySQL session statement is.
#[derive(Debug, Clone)]
pub enum Parsed {
    Local(Local),
    /// `USE db` or `USE catalog.db`.
    Use(String),
    /// A query reading information_schema.
    InformationSchema,
    /// A SELECT without FROM that reads system variables with functions only the metadata
    /// engine evaluates (its text).
    Probe(String),
    /// `DO` of expressions only the metadata engine evaluates: the `SELECT` of them (its text).
    DoProbe(String),
}

/// Recognizes MySQL's session statements; `None` for anything else (Flink's).
pub fn parse(text: &str, tokens: &[Spanned]) -> Option<Parsed> {
    let word = |i: usize| tokens.get(i).and_then(Spanned::keyword);
    let end_from = |i: usize| tokens.get(i..).is_some_and(|rest| rest.iter().all(|t| t.is_punct(';')));
    let first = word(0)?;
    match first.as_str() {
        "SELECT" | "WITH" => query(text, tokens),
        "SET" => match tokens.get(1).map(|t| &t.token) {
            // Flink's `SET 'key' = 'value'` quotes the key, and a bare SET lists Flink's options.
            None | Some(Token::Str(_)) | Some(Token::Punct(';')) => None,
            Some(_) => set(text),
        },
        "START" if word(1).as_deref() == Some("TRANSACTION") => Some(Parsed::Local(Local::Transaction(Txn::Begin))),
        "BEGIN" if end_from(1) || (word(1).as_deref() == Some("WORK") && end_from(2)) => Some(Parsed::Local(Local::Transaction(Txn::Begin))),
        "COMMIT" | "ROLLBACK" if end_from(1) || (word(1).as_deref() == Some("WORK") && end_from(2)) => {
            let txn = if first == "COMMIT" { Txn::Commit } else { Txn::Rollback };
            Some(Parsed::Local(Local::Transaction(txn)))
        }
        "SHOW" => match word(1).as_deref() {
            Some("WARNINGS") if end_from(2) => Some(Parsed::Local(Local::ShowWarnings { errors: false })),
            // SHOW COUNT(*) WARNINGS | ERRORS
            Some("COUNT")
                if tokens.get(2).is_some_and(|t| t.token == Token::LParen)
                    && tokens.get(3).is_some_and(|t| t.is_punct('*'))
                    && tokens.get(4).is_some_and(|t| t.token == Token::RParen)
                    && end_from(6) =>
            {
                match word(5).as_deref() {
                    Some("WARNINGS") => Some(Parsed::Local(Local::ShowCount { errors: false })),
                    Some("ERRORS") => Some(Parsed::Local(Local::ShowCount { errors: true })),
                    _ => None,
                }
            }
            Some("ERRORS") if end_from(2) => Some(Parsed::Local(Local::ShowWarnings { errors: true })),
            Some("VARIABLES" | "STATUS" | "GLOBAL" | "SESSION" | "LOCAL") => parsed(text).and_then(show),
            _ => None,
        },
        // MySQL's DO evaluates expressions and returns nothing: what a SELECT without FROM of
        // the same expressions would evaluate here (drivers ping with `DO 1`).
        "DO" => {
            let rest = text.trim_start().get(2..)?;
            let select = format!("SELECT{rest}");
            let Sql::Query(q) = parsed(&select)? else { return None };
            match local_select(&q, &select) {
                Some(Parsed::Local(Local::Select { items, limit: None })) => Some(Parsed::Local(Local::Do { items })),
                // Anything else DO takes (no FROM in MySQL's grammar) is evaluated where Weir
                // evaluates MySQL's functions, never sent to Flink (which has no DO).
                _ if is_from_less_select(&q) => Some(Parsed::DoProbe(select)),
                _ => None,
            }
        }
        "KILL" => match parsed(text)? {
            Sql::Kill { modifier, id } => Some(Parsed::Local(Local::Kill { connection: !matches!(modifier, Some(KillType::Query)), id })),
            _ => None,
        },
        // Flink's `USE CATALOG c` and `USE MODULES …` are Flink's, not MySQL's `USE db`.
        "USE" if !matches!(word(1).as_deref(), Some("CATALOG" | "MODULES")) => match parsed(text)? {
            Sql::Use(u) => use_target(&u).map(Parsed::Use),
            _ => None,
        },
        _ => None,
    }
}

/// A plain `SELECT <exprs>`: no FROM, WHERE, GROUP BY, ORDER BY or LIMIT (what DO's expressions
/// read as a SELECT).
fn is_from_less_select(q: &Query) -> bool {
    let SetExpr::Select(select) = q.body.as_ref() else {
        return false;
    };
    q.with.is_none() && q.limit_clause.is_none() && select.from.is_empty() && unfiltered(q, select)
}

/// No WHERE, GROUP BY, HAVING, DISTINCT or ORDER BY: every row the projection gives is the answer.
fn unfiltered(q: &Query, select: &sqlparser::ast::Select) -> bool {
    q.order_by.is_none()
        && select.selection.is_none()
        && select.having.is_none()
        && select.distinct.is_none()
        && matches!(&select.group_by, sqlparser::ast::GroupByExpr::Expressions(e, m) if e.is_empty() && m.is_empty())
}

/// The statement as sqlparser's MySQL dialect (without backslash escapes) reads it, if it is one.
fn parsed(text: &str) -> Option<Sql> {
    let mut statements = Parser::parse_sql(&MySqlNoBackslashEscapes::default(), text).ok()?;
    if statements.len() != 1 {
        return None;
    }
    statements.pop()
}

/// A probe SELECT (no FROM) or a query over information_schema; other queries are Flink's and
/// cost no parse here.
fn query(text: &str, tokens: &[Spanned]) -> Option<Parsed> {
    let has_from = tokens.iter().any(|t| t.is_keyword("FROM"));
    let names_schema = tokens.iter().any(|t| t.ident().is_some_and(|i| i.eq_ignore_ascii_case("information_schema")));
    if has_from && !names_schema {
        return None;
    }
    let Sql::Query(q) = parsed(text)? else { return None };
    if let Some(p) = local_select(&q, text) {
        return Some(p);
    }
    reads_information_schema(&q).then_some(Parsed::InformationSchema)
}

/// Whether a query reads a table of information_schema.
pub fn reads_information_schema(q: &Query) -> bool {
    let found = visit_relations(q, |name| if is_schema_name(name) { ControlFlow::Break(()) } else { ControlFlow::Continue(()) });
    found.is_break()
}

fn is_schema_name(name: &SqlName) -> bool {
    let parts: Vec<&str> = name.0.iter().filter_map(|p| p.as_ident()).map(|i| i.value.as_str()).collect();
    parts.len() >= 2 && parts[parts.len() - 2].eq_ignore_ascii_case("information_schema")
}

fn show(statement: Sql) -> Option<Parsed> {
    let local = match statement {
        Sql::ShowVariables { filter, .. } => Local::ShowVariables { filter: filter.and_then(filter_of) },
        Sql::ShowStatus { filter, .. } => Local::ShowStatus { filter: filter.and_then(filter_of) },
        _ => return None,
    };
    Some(Parsed::Local(local))
}

fn set(text: &str) -> Option<Parsed> {
    let local = match parsed(text) {
        Some(Sql::Set(s)) => classify_set(s)?,
        Some(_) => return None,
        None => set_list(text.get(3..)?)?,
    };
    Some(Parsed::Local(local))
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

/// The pseudo-variable `SET NAMES cs COLLATE c` sets after `names`: the connection's collation,
/// which must be one of `cs`'s.
pub const NAMES_COLLATE: &str = "names collate";

fn classify_set(set: Set) -> Option<Local> {
    Some(match set {
        Set::SingleAssignment { variable, values, .. } => Local::SetVariables(vec![(variable_name(&variable), values.into_iter().next()?)]),
        Set::MultipleAssignments { assignments } => {
            Local::SetVariables(assignments.into_iter().map(|a| (variable_name(&a.name), a.value)).collect())
        }
        Set::SetNames { charset_name, collation_name } => {
            let mut v = vec![("names".to_string(), Expr::Identifier(charset_name))];
            if let Some(c) = collation_name {
                v.push((NAMES_COLLATE.to_string(), Expr::Identifier(Ident::new(c.trim_matches(['\'', '"', '`'])))));
            }
            Local::SetVariables(v)
        }
        Set::SetNamesDefault {} => Local::SetVariables(vec![("names".to_string(), Expr::Identifier(Ident::new("DEFAULT")))]),
        Set::SetTransaction { .. } => Local::SetTransaction,
        Set::SetTimeZone { value, .. } => Local::SetVariables(vec![("time_zone".to_string(), value)]),
        _ => return None,
    })
}

/// A SET list that sqlparser does not take whole, such as MariaDB Connector/J's
/// `SET autocommit=1, sql_mode=CONCAT(@@sql_mode, ',X'), NAMES utf8mb4`: each assignment is
/// parsed on its own.
fn set_list(list: &str) -> Option<Local> {
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
        match parsed(&format!("SET {piece}"))? {
            Sql::Set(set) => match classify_set(set)? {
                Local::SetVariables(v) => assignments.extend(v),
                _ => return None,
            },
            _ => return None,
        }
    }
    Some(Local::SetVariables(assignments))
}

/// `@@session.x`, `@@x`, `SESSION x`, `x` → `x` (lower case, `weir.` prefix kept).
/// A SET target's name: a system variable's normalised (`@@session.x` is `x`), a user variable's
/// with its `@` (`@x`), which no SET accepts.
fn variable_name(name: &SqlName) -> String {
    let parts: Vec<String> = name.0.iter().filter_map(|p| p.as_ident()).map(|i| i.value.clone()).collect();
    let joined = parts.join(".");
    if joined.starts_with('@') && !joined.starts_with("@@") {
        return joined.to_ascii_lowercase();
    }
    normalise_var(&joined)
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

/// A SELECT without FROM, answered by whom [`probe::RULES`] say.
fn local_select(q: &Query, text: &str) -> Option<Parsed> {
    if q.with.is_some() {
        return None;
    }
    let SetExpr::Select(select) = q.body.as_ref() else {
        return None;
    };
    if !select.from.is_empty() {
        return None;
    }
    let mut items = Vec::with_capacity(select.projection.len());
    for item in &select.projection {
        items.push(match item {
            SelectItem::UnnamedExpr(e) => (column_name(e), e),
            SelectItem::ExprWithAlias { expr, alias } => (alias.value.clone(), expr),
            _ => return None,
        });
    }
    let limit = match &q.limit_clause {
        None => Some(None),
        Some(sqlparser::ast::LimitClause::LimitOffset { limit: Some(e), offset: None, limit_by }) if limit_by.is_empty() => {
            probe::as_u64(e).map(Some)
        }
        Some(_) => None,
    };
    let plain = unfiltered(q, select) && limit.is_some();
    let exprs: Vec<&Expr> = items.iter().map(|(_, e)| *e).collect();
    match probe::answerer(&probe::ProbeSelect { items: &exprs, plain })? {
        probe::Answerer::Session => Some(Parsed::Local(Local::Select {
            items: items.into_iter().map(|(n, e)| (n, e.clone())).collect(),
            limit: limit.flatten(),
        })),
        probe::Answerer::Engine => Some(Parsed::Probe(text.to_string())),
    }
}
