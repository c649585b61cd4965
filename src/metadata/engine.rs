//! The embedded query engine for information_schema: DataFusion over Arrow tables built per query
//! from the [`schema`](super::schema) rules.
//!
//! MySQL's SQL is brought to DataFusion's on the AST, never by matching query strings:
//! * information_schema table and column names are case-insensitive in MySQL: every word that
//!   names one is written in MySQL's case before parsing (DataFusion runs without identifier
//!   normalisation, so aliases keep the case the client wrote);
//! * functions DataFusion lacks or spells differently: `IF` → CASE, `UCASE`/`LCASE`,
//!   `IFNULL` → coalesce, `LOCATE` (a UDF), `CONVERT(x, type)` and MySQL's cast types
//!   (`SIGNED`, `UNSIGNED [INTEGER]`); `DATABASE()`, `USER()`, `VERSION()`, `CONNECTION_ID()`
//!   become the session's values;
//! * `LIKE` is case-insensitive, as under MySQL's default collation;
//! * `HAVING` without `GROUP BY` (Connector/J's getTables) filters on the select list's aliases:
//!   it becomes part of WHERE, with the aliases replaced by their expressions;
//! * an unaliased expression is named by its text, as MySQL does (a string literal by its value);
//! * `NOW()` (`CURRENT_TIMESTAMP`, `SYSDATE`, …) is the statement's start in the session's
//!   `time_zone`, `UTC_TIMESTAMP()` in UTC, both MySQL DATETIMEs with the asked fractional digits;
//!   MySQL's `TIME_FORMAT`, `TIMEDIFF`, `CONVERT_TZ` and `DATE_FORMAT` are UDFs
//!   ([`super::functions`]);
//! * `@@name` is the session's value, typed as `SELECT @@name` reads it; an unknown variable is
//!   1193, an unknown function 1305.

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::sync::{Arc, LazyLock};

use arrow_array::{ArrayRef, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, SchemaRef};
use datafusion::common::{DataFusionError, ScalarValue};
use datafusion::catalog::{CatalogProvider, CatalogProviderList, MemoryCatalogProvider, MemoryCatalogProviderList, MemorySchemaProvider, SchemaProvider};
use datafusion::datasource::MemTable;
use datafusion::execution::SessionStateBuilder;
use datafusion::execution::session_state::SessionState;
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};
use datafusion::prelude::{SessionConfig, SessionContext};
use sqlparser::ast::{
    BinaryOperator, CaseWhen, CastKind, DataType as SqlType, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, GroupByExpr, Ident,
    ObjectName, Query, Select, SelectItem, SetExpr, Statement, Value, ValueWithSpan, visit_expressions_mut, visit_relations,
};
use sqlparser::ast::helpers::attached_token::AttachedToken;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, Tokenizer};
use weir_dialects::session_dialect::MySqlNoBackslashEscapes;

use super::schema::{self, TableRule};
use crate::error::WeirError;
use crate::value::{LocalTable, Value as Scalar};

/// The session's values that functions in a metadata query evaluate to.
pub struct QueryEnv<'a> {
    pub database: Option<&'a str>,
    pub user: &'a str,
    pub host: &'a str,
    pub connection_id: u32,
    pub version: &'a str,
    /// `@@name` → the session's value (`None`: unknown variable).
    pub variable: &'a (dyn Fn(&str) -> Option<Scalar> + Sync),
}

/// Parses one SELECT; with `canonical`, words naming information_schema tables and columns are
/// first written in MySQL's case.
pub fn parse(sql: &str, canonical: bool) -> Result<Query, WeirError> {
    let dialect = MySqlNoBackslashEscapes::default();
    let mut tokens = Tokenizer::new(&dialect, sql)
        .tokenize_with_location()
        .map_err(|e| WeirError::Syntax(e.to_string()))?;
    if canonical {
        for t in &mut tokens {
            if let Token::Word(w) = &mut t.token
                && matches!(w.quote_style, None | Some('`'))
                && let Some(name) = schema::canonical_name(&w.value)
            {
                w.value = name.to_string();
            }
        }
    }
    let statements = Parser::new(&dialect)
        .with_tokens_with_locations(tokens)
        .parse_statements()
        .map_err(|e| WeirError::Syntax(e.to_string()))?;
    match statements.into_iter().next() {
        Some(Statement::Query(q)) => Ok(*q),
        _ => Err(WeirError::Syntax("expected one SELECT over information_schema".into())),
    }
}

fn is_schema_name(name: &ObjectName) -> bool {
    let parts: Vec<&str> = name.0.iter().filter_map(|p| p.as_ident()).map(|i| i.value.as_str()).collect();
    parts.len() >= 2 && parts[parts.len() - 2].eq_ignore_ascii_case("information_schema")
}

/// Whether a query reads the column `name` (of any table): names it anywhere, or selects `*`.
pub fn reads_column(q: &Query, name: &str) -> bool {
    struct Reads<'a> {
        name: &'a str,
    }
    fn has_wildcard(body: &SetExpr) -> bool {
        match body {
            SetExpr::Select(s) => s.projection.iter().any(|i| matches!(i, SelectItem::Wildcard(_) | SelectItem::QualifiedWildcard(..))),
            SetExpr::Query(q) => has_wildcard(&q.body),
            SetExpr::SetOperation { left, right, .. } => has_wildcard(left) || has_wildcard(right),
            _ => false,
        }
    }
    impl sqlparser::ast::Visitor for Reads<'_> {
        type Break = ();
        fn pre_visit_query(&mut self, q: &Query) -> ControlFlow<()> {
            if has_wildcard(&q.body) { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
        }
        fn pre_visit_expr(&mut self, e: &Expr) -> ControlFlow<()> {
            match column_of(e) {
                Some(c) if c.eq_ignore_ascii_case(self.name) => ControlFlow::Break(()),
                _ => ControlFlow::Continue(()),
            }
        }
    }
    sqlparser::ast::Visit::visit(q, &mut Reads { name }).is_break()
}

/// The information_schema tables a query reads; an unknown one is MySQL's error 1109.
pub fn referenced_tables(q: &Query) -> Result<Vec<&'static TableRule>, WeirError> {
    let mut out: Vec<&'static TableRule> = Vec::new();
    let mut unknown = None;
    let _ = visit_relations(q, |name| {
        if is_schema_name(name)
            && let Some(t) = name.0.last().and_then(|p| p.as_ident())
        {
            match schema::table(&t.value) {
                Some(rule) if !out.iter().any(|r| r.name == rule.name) => out.push(rule),
                Some(_) => {}
                None => unknown = Some(t.value.clone()),
            }
        }
        ControlFlow::<()>::Continue(())
    });
    match unknown {
        Some(t) => Err(WeirError::UnknownSchemaTable(t)),
        None => Ok(out),
    }
}

/// `TABLE_SCHEMA = 'x'` and `TABLE_NAME = 'y'` at the top of a WHERE: the loader then reads only
/// those objects from Flink. Only used for queries over one table, where that cannot lose rows.
/// A SHOW statement says what it is about itself, `table_like` being its `LIKE` pattern.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Scope {
    pub schema: Option<String>,
    pub table: Option<String>,
    pub table_like: Option<String>,
}

impl Scope {
    /// Whether an object of this name may be in the answer.
    pub fn admits_table(&self, name: &str) -> bool {
        self.table.as_ref().is_none_or(|t| t.eq_ignore_ascii_case(name))
            && self.table_like.as_ref().is_none_or(|p| crate::value::like(p, name))
    }
}

pub fn scope(q: &Query) -> Scope {
    let mut scope = Scope::default();
    let SetExpr::Select(select) = q.body.as_ref() else { return scope };
    let Some(selection) = &select.selection else { return scope };
    let mut conjuncts = vec![selection];
    while let Some(e) = conjuncts.pop() {
        match e {
            Expr::BinaryOp { left, op: BinaryOperator::And, right } => {
                conjuncts.push(left);
                conjuncts.push(right);
            }
            Expr::Nested(inner) => conjuncts.push(inner),
            Expr::BinaryOp { left, op: BinaryOperator::Eq, right } => {
                let (col, lit) = match (column_of(left), string_of(right)) {
                    (Some(c), Some(l)) => (c, l),
                    _ => match (column_of(right), string_of(left)) {
                        (Some(c), Some(l)) => (c, l),
                        _ => continue,
                    },
                };
                match col.as_str() {
                    "TABLE_SCHEMA" => scope.schema = Some(lit),
                    "TABLE_NAME" => scope.table = Some(lit),
                    _ => {}
                }
            }
            _ => {}
        }
    }
    scope
}

fn column_of(e: &Expr) -> Option<String> {
    match e {
        Expr::Identifier(i) => Some(i.value.clone()),
        Expr::CompoundIdentifier(parts) => parts.last().map(|i| i.value.clone()),
        _ => None,
    }
}

fn string_of(e: &Expr) -> Option<String> {
    match e {
        Expr::Value(ValueWithSpan { value: Value::SingleQuotedString(s) | Value::DoubleQuotedString(s), .. }) => Some(s.clone()),
        _ => None,
    }
}

/// Brings MySQL's forms to DataFusion's (see the module doc); an unknown `@@variable` is 1193.
pub fn rewrite(q: &mut Query, env: &QueryEnv<'_>) -> Result<(), WeirError> {
    name_unaliased_expressions(q);
    rewrite_having(q);
    let now = Clock::now(env);
    match visit_expressions_mut(q, |e| match rewrite_expr(e, env, &now) {
        Ok(()) => ControlFlow::Continue(()),
        Err(err) => ControlFlow::Break(err),
    }) {
        ControlFlow::Break(err) => Err(err),
        ControlFlow::Continue(()) => Ok(()),
    }
}

/// The statement's start, as `NOW()` (the session's `time_zone`) and `UTC_TIMESTAMP()` read it.
struct Clock {
    utc: chrono::NaiveDateTime,
    local: chrono::NaiveDateTime,
}

impl Clock {
    fn now(env: &QueryEnv<'_>) -> Self {
        let utc = chrono::Utc::now().naive_utc();
        let offset = match (env.variable)("time_zone") {
            Some(Scalar::Str(zone)) => super::functions::zone_offset(&zone).unwrap_or(0),
            _ => 0,
        };
        Self { utc, local: utc + chrono::Duration::seconds(i64::from(offset)) }
    }
}

/// A DATETIME literal with `fsp` fractional digits (0 to 6), typed as the engine's timestamp of
/// that precision: `CAST('…' AS TIMESTAMP(p))`.
fn datetime_literal(at: chrono::NaiveDateTime, fsp: u64) -> Expr {
    let (precision, shown) = match fsp {
        0 => (0, 0),
        1..=3 => (3, fsp),
        _ => (6, fsp.min(6)),
    };
    let mut text = at.format("%Y-%m-%d %H:%M:%S%.6f").to_string();
    text.truncate(19 + if shown > 0 { 1 + shown as usize } else { 0 });
    Expr::Cast {
        kind: CastKind::Cast,
        expr: Box::new(string(&text)),
        data_type: SqlType::Timestamp(Some(precision), sqlparser::ast::TimezoneInfo::None),
        array: false,
        format: None,
    }
}

/// A session value as a literal of its type.
fn scalar_literal(v: Scalar) -> Expr {
    match v {
        Scalar::Null => Expr::value(Value::Null),
        Scalar::Int(i) => Expr::value(Value::Number(i.to_string(), false)),
        Scalar::UInt(u) => Expr::value(Value::Number(u.to_string(), false)),
        Scalar::Decimal(..) | Scalar::Double(_) => match v.as_text() {
            Some(t) => Expr::value(Value::Number(t, false)),
            None => Expr::value(Value::Null),
        },
        Scalar::Str(s) => string(&s),
    }
}

fn selects_mut(body: &mut SetExpr, f: &mut dyn FnMut(&mut Select)) {
    match body {
        SetExpr::Select(s) => f(s),
        SetExpr::Query(q) => selects_mut(&mut q.body, f),
        SetExpr::SetOperation { left, right, .. } => {
            selects_mut(left, f);
            selects_mut(right, f);
        }
        _ => {}
    }
}

/// MySQL names a result column by the expression's text.
fn name_unaliased_expressions(q: &mut Query) {
    selects_mut(&mut q.body, &mut |s| {
        for item in &mut s.projection {
            let SelectItem::UnnamedExpr(e) = item else { continue };
            let name = match &*e {
                Expr::Identifier(_) | Expr::CompoundIdentifier(_) if !is_variable(e) => continue,
                Expr::Value(ValueWithSpan { value: Value::SingleQuotedString(s) | Value::DoubleQuotedString(s), .. }) => s.clone(),
                other => other.to_string(),
            };
            let expr = e.clone();
            *item = SelectItem::ExprWithAlias { expr, alias: Ident::with_quote('`', name) };
        }
    });
}

const AGGREGATES: &[&str] = &["count", "sum", "min", "max", "avg", "group_concat", "bit_and", "bit_or", "std", "stddev", "variance"];

fn has_aggregate(s: &Select) -> bool {
    let mut found = false;
    for item in &s.projection {
        let expr = match item {
            SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => e,
            _ => continue,
        };
        let _ = sqlparser::ast::visit_expressions(expr, |e| {
            if let Expr::Function(f) = e
                && AGGREGATES.contains(&f.name.to_string().to_ascii_lowercase().as_str())
            {
                found = true;
                return ControlFlow::Break(());
            }
            ControlFlow::Continue(())
        });
    }
    found
}

/// `HAVING` with no `GROUP BY` and no aggregate is a filter over the select list (MySQL): it
/// joins the WHERE, with select-list aliases replaced by their expressions.
fn rewrite_having(q: &mut Query) {
    selects_mut(&mut q.body, &mut |s| {
        let grouped = match &s.group_by {
            GroupByExpr::Expressions(v, _) => !v.is_empty(),
            GroupByExpr::All(_) => true,
        };
        if grouped || has_aggregate(s) {
            return;
        }
        let Some(mut having) = s.having.take() else { return };
        let aliases: HashMap<String, Expr> = s
            .projection
            .iter()
            .filter_map(|i| match i {
                SelectItem::ExprWithAlias { expr, alias } => Some((alias.value.to_ascii_lowercase(), expr.clone())),
                _ => None,
            })
            .collect();
        let _ = visit_expressions_mut(&mut having, |e| {
            if let Expr::Identifier(i) = e
                && let Some(x) = aliases.get(&i.value.to_ascii_lowercase())
            {
                *e = Expr::Nested(Box::new(x.clone()));
            }
            ControlFlow::<()>::Continue(())
        });
        s.selection = Some(match s.selection.take() {
            Some(w) => Expr::BinaryOp { left: Box::new(Expr::Nested(Box::new(w))), op: BinaryOperator::And, right: Box::new(Expr::Nested(Box::new(having))) },
            None => having,
        });
    });
}

fn args_of(f: &sqlparser::ast::Function) -> Vec<Expr> {
    match &f.args {
        FunctionArguments::List(list) => list
            .args
            .iter()
            .filter_map(|a| match a {
                FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn string(s: &str) -> Expr {
    Expr::value(Value::SingleQuotedString(s.to_string()))
}

fn rename(f: &mut sqlparser::ast::Function, to: &str) {
    f.name = ObjectName::from(vec![Ident::new(to)]);
}

fn is_variable(e: &Expr) -> bool {
    match e {
        Expr::Identifier(i) => i.value.starts_with("@@"),
        Expr::CompoundIdentifier(parts) => parts.first().is_some_and(|p| p.value.starts_with("@@")),
        _ => false,
    }
}

/// The fractional digits asked of `NOW(fsp)`.
fn fsp_arg(f: &sqlparser::ast::Function) -> u64 {
    match args_of(f).first() {
        Some(Expr::Value(ValueWithSpan { value: Value::Number(n, _), .. })) => n.parse().unwrap_or(0),
        _ => 0,
    }
}

fn rewrite_expr(e: &mut Expr, env: &QueryEnv<'_>, now: &Clock) -> Result<(), WeirError> {
    match e {
        Expr::Function(f) if f.name.0.len() == 1 => {
            let name = f.name.to_string().to_ascii_lowercase();
            match name.as_str() {
                "if" => {
                    let a = args_of(f);
                    if let [cond, then, otherwise] = a.as_slice() {
                        *e = Expr::Case {
                            case_token: AttachedToken::empty(),
                            end_token: AttachedToken::empty(),
                            operand: None,
                            conditions: vec![CaseWhen { condition: cond.clone(), result: then.clone() }],
                            else_result: Some(Box::new(otherwise.clone())),
                        };
                    }
                }
                // GROUP_CONCAT(x [SEPARATOR s]) is DataFusion's string_agg(x, s).
                "group_concat" => {
                    let mut separator = Value::SingleQuotedString(",".into());
                    if let FunctionArguments::List(list) = &mut f.args {
                        for c in list.clauses.drain(..) {
                            if let sqlparser::ast::FunctionArgumentClause::Separator(v) = c {
                                separator = v.value;
                            }
                        }
                        list.args.truncate(1);
                        list.args.push(FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::value(separator))));
                    }
                    rename(f, "string_agg");
                }
                // MySQL's LEAST/GREATEST/CONCAT are NULL when any argument is; DataFusion's skip NULLs.
                "least" | "greatest" | "concat" if !matches!(f.args, FunctionArguments::None) => {
                    let args = args_of(f);
                    let any_null = args
                        .iter()
                        .map(|a| Expr::IsNull(Box::new(a.clone())))
                        .reduce(|l, r| Expr::BinaryOp { left: Box::new(l), op: BinaryOperator::Or, right: Box::new(r) });
                    if let Some(any_null) = any_null {
                        rename(f, &name);
                        *e = Expr::Case {
                            case_token: AttachedToken::empty(),
                            end_token: AttachedToken::empty(),
                            operand: None,
                            conditions: vec![CaseWhen { condition: any_null, result: Expr::value(Value::Null) }],
                            else_result: Some(Box::new(e.clone())),
                        };
                    }
                }
                // MySQL's UPPER/LOWER take any value and give text (Connector/J's COLUMN_SIZE).
                "ucase" | "upper" | "lcase" | "lower" => {
                    rename(f, if matches!(name.as_str(), "ucase" | "upper") { "upper" } else { "lower" });
                    if let FunctionArguments::List(list) = &mut f.args {
                        for a in &mut list.args {
                            if let FunctionArg::Unnamed(FunctionArgExpr::Expr(x)) = a {
                                *x = Expr::Cast { kind: CastKind::Cast, expr: Box::new(x.clone()), data_type: SqlType::Varchar(None), array: false, format: None };
                            }
                        }
                    }
                }
                "ifnull" => rename(f, "coalesce"),
                "date_format" => rename(f, super::functions::DATE_FORMAT),
                "database" | "schema" => {
                    *e = match env.database {
                        Some(d) => string(d),
                        None => Expr::value(Value::Null),
                    }
                }
                "user" | "current_user" | "session_user" | "system_user" => *e = string(&format!("{}@{}", env.user, env.host)),
                "version" => *e = string(env.version),
                "connection_id" => *e = Expr::value(Value::Number(env.connection_id.to_string(), false)),
                "now" | "current_timestamp" | "localtime" | "localtimestamp" | "sysdate" => *e = datetime_literal(now.local, fsp_arg(f)),
                "utc_timestamp" => *e = datetime_literal(now.utc, fsp_arg(f)),
                _ => {}
            }
        }
        // `@@name`: the session's value, typed as `SELECT @@name` reads it.
        Expr::Identifier(i) if i.value.starts_with("@@") => {
            *e = scalar_literal((env.variable)(&i.value).ok_or_else(|| WeirError::UnknownVariable(crate::statement::probe::normalise_var(&i.value)))?);
        }
        Expr::CompoundIdentifier(parts) if parts.first().is_some_and(|p| p.value.starts_with("@@")) => {
            let name: Vec<&str> = parts.iter().map(|p| p.value.as_str()).collect();
            let name = name.join(".");
            *e = scalar_literal((env.variable)(&name).ok_or_else(|| WeirError::UnknownVariable(crate::statement::probe::normalise_var(&name)))?);
        }
        // REGEXP / RLIKE: case-insensitive, as under MySQL's default collation.
        Expr::RLike { negated, expr, pattern, .. } => {
            let op = if *negated { BinaryOperator::PGRegexNotIMatch } else { BinaryOperator::PGRegexIMatch };
            *e = Expr::BinaryOp { left: expr.clone(), op, right: pattern.clone() };
        }
        Expr::Like { negated, any, expr, pattern, escape_char } | Expr::ILike { negated, any, expr, pattern, escape_char } => {
            let (pattern, escape_char) = with_backslash_escape(pattern, escape_char);
            *e = Expr::ILike { negated: *negated, any: *any, expr: expr.clone(), pattern, escape_char };
        }
        Expr::Convert { expr, data_type: Some(t), .. } => {
            *e = Expr::Cast { kind: CastKind::Cast, expr: expr.clone(), data_type: mysql_cast_type(t), array: false, format: None };
        }
        Expr::Cast { data_type, .. } => *data_type = mysql_cast_type(data_type),
        // One collation only (utf8mb4); COLLATE changes nothing here.
        Expr::Collate { expr, .. } => *e = Expr::Nested(expr.clone()),
        _ => {}
    }
    Ok(())
}

/// `LIKE 'p' ESCAPE 'c'`: DataFusion only knows the backslash as escape character, so a literal
/// pattern with another one is rewritten to the backslash form (`'a|_%' ESCAPE '|'` → `'a\_%'`);
/// `ESCAPE ''` (no escape character) makes every backslash literal. Anything else is left as is.
fn with_backslash_escape(pattern: &Expr, escape: &Option<ValueWithSpan>) -> (Box<Expr>, Option<ValueWithSpan>) {
    let unchanged = (Box::new(pattern.clone()), escape.clone());
    let Some(ValueWithSpan { value: Value::SingleQuotedString(esc) | Value::DoubleQuotedString(esc), .. }) = escape else { return unchanged };
    let Some(p) = string_of(pattern) else { return unchanged };
    let mut chars = esc.chars();
    let escape_char = match (chars.next(), chars.next()) {
        (Some('\\'), None) => return unchanged,
        (c, None) => c,
        _ => return unchanged,
    };
    (Box::new(string(&backslash_pattern(&p, escape_char))), None)
}

/// A LIKE pattern with escape character `escape` (`None`: none) in the backslash form.
fn backslash_pattern(pattern: &str, escape: Option<char>) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        let literal = if Some(c) == escape {
            match chars.next() {
                Some(next) => next,
                // A trailing escape character stands for itself (MySQL).
                None => c,
            }
        } else if c == '\\' {
            '\\'
        } else {
            out.push(c);
            continue;
        };
        if matches!(literal, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(literal);
    }
    out
}

/// Comparisons of a text column with string literals ignore case, as under MySQL's default
/// collation (`IS_NULLABLE = 'yes'` is true for `YES`). Run after [`scope`] was read.
pub fn case_insensitive_comparisons(q: &mut Query) {
    let _ = visit_expressions_mut(q, |e| {
        match e {
            Expr::BinaryOp { left, op: BinaryOperator::Eq | BinaryOperator::NotEq, right }
                if is_text_column(left) && string_of(right).is_some() || is_text_column(right) && string_of(left).is_some() =>
            {
                **left = lower(left);
                **right = lower(right);
            }
            Expr::InList { expr, list, .. } if is_text_column(expr) && list.iter().all(|x| string_of(x).is_some() || is_null(x)) => {
                **expr = lower(expr);
                for x in list.iter_mut() {
                    *x = lower(x);
                }
            }
            _ => {}
        }
        ControlFlow::<()>::Continue(())
    });
}

fn is_null(e: &Expr) -> bool {
    matches!(e, Expr::Value(ValueWithSpan { value: Value::Null, .. }))
}

fn is_text_column(e: &Expr) -> bool {
    column_of(e).is_some_and(|c| schema::is_text_column(&c))
}

fn lower(e: &Expr) -> Expr {
    Expr::Function(sqlparser::ast::Function {
        name: ObjectName::from(vec![Ident::new("lower")]),
        uses_odbc_syntax: false,
        parameters: FunctionArguments::None,
        args: FunctionArguments::List(sqlparser::ast::FunctionArgumentList {
            duplicate_treatment: None,
            args: vec![FunctionArg::Unnamed(FunctionArgExpr::Expr(e.clone()))],
            clauses: vec![],
        }),
        filter: None,
        null_treatment: None,
        over: None,
        within_group: vec![],
    })
}

/// MySQL's cast target types that DataFusion does not know.
fn mysql_cast_type(t: &SqlType) -> SqlType {
    match t {
        SqlType::Signed | SqlType::SignedInteger => SqlType::BigInt(None),
        SqlType::Unsigned | SqlType::UnsignedInteger => SqlType::BigIntUnsigned(None),
        SqlType::Char(_) | SqlType::Character(_) => SqlType::Varchar(None),
        other => other.clone(),
    }
}

/// MySQL's `LOCATE(substr, str[, pos])`: 1-based position of `substr` in `str` at or after `pos`,
/// 0 when absent, case-insensitive as under the default collation.
#[derive(Debug, PartialEq, Eq, Hash)]
struct Locate {
    signature: Signature,
}

impl Locate {
    fn udf() -> ScalarUDF {
        ScalarUDF::new_from_impl(Locate { signature: Signature::variadic_any(Volatility::Immutable) })
    }
}

impl ScalarUDFImpl for Locate {
    fn name(&self) -> &str {
        "locate"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> datafusion::common::Result<DataType> {
        Ok(DataType::Int64)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> datafusion::common::Result<ColumnarValue> {
        if !(2..=3).contains(&args.args.len()) {
            return Err(DataFusionError::Plan("LOCATE takes 2 or 3 arguments".into()));
        }
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let text = |a: &ArrayRef| -> datafusion::common::Result<StringArray> {
            let c = datafusion::arrow::compute::cast(a, &DataType::Utf8)?;
            Ok(c.as_any().downcast_ref::<StringArray>().cloned().unwrap_or_else(|| StringArray::new_null(c.len())))
        };
        let needle = text(&arrays[0])?;
        let hay = text(&arrays[1])?;
        let start = match arrays.get(2) {
            Some(a) => {
                let c = datafusion::arrow::compute::cast(a, &DataType::Int64)?;
                c.as_any().downcast_ref::<Int64Array>().cloned()
            }
            None => None,
        };
        let out: Int64Array = (0..hay.len())
            .map(|i| {
                if needle.is_null(i) || hay.is_null(i) || start.as_ref().is_some_and(|s| s.is_null(i)) {
                    return None;
                }
                let from = start.as_ref().map(|s| s.value(i)).unwrap_or(1);
                Some(locate(&needle.value(i).to_lowercase(), &hay.value(i).to_lowercase(), from))
            })
            .collect();
        if args.args.iter().all(|a| matches!(a, ColumnarValue::Scalar(_))) {
            return Ok(ColumnarValue::Scalar(ScalarValue::try_from_array(&out, 0)?));
        }
        Ok(ColumnarValue::Array(Arc::new(out)))
    }
}

use arrow_array::Array;

/// 1-based character position of `needle` in `hay` searching from character `from`; 0 if none.
fn locate(needle: &str, hay: &str, from: i64) -> i64 {
    if from < 1 {
        return 0;
    }
    let skip = (from - 1) as usize;
    let chars: Vec<(usize, char)> = hay.char_indices().collect();
    if skip > chars.len() {
        return 0;
    }
    let byte_start = chars.get(skip).map(|(b, _)| *b).unwrap_or(hay.len());
    match hay[byte_start..].find(needle) {
        Some(b) => (hay[..byte_start + b].chars().count() + 1) as i64,
        None => 0,
    }
}

/// Runs a rewritten query over the given information_schema tables.
pub async fn execute(q: Query, tables: Vec<(&'static str, LocalTable)>) -> Result<(SchemaRef, Vec<RecordBatch>), WeirError> {
    // The engine's functions and rules are set up once; each query gets its own catalog.
    static BASE: LazyLock<SessionState> = LazyLock::new(|| {
        let mut config = SessionConfig::new()
            .with_default_catalog_and_schema(schema::DEF, "information_schema")
            .with_create_default_catalog_and_schema(false)
            .with_target_partitions(1);
        config.options_mut().sql_parser.enable_ident_normalization = false;
        let ctx = SessionContext::new_with_config(config);
        ctx.register_udf(Locate::udf());
        for f in super::functions::udfs() {
            ctx.register_udf(f);
        }
        ctx.state()
    });
    let target = Arc::new(MemorySchemaProvider::new());
    let catalog = MemoryCatalogProvider::new();
    catalog.register_schema("information_schema", target.clone()).map_err(engine_error)?;
    let catalogs = Arc::new(MemoryCatalogProviderList::new());
    catalogs.register_catalog(schema::DEF.to_string(), Arc::new(catalog));
    let state = SessionStateBuilder::new_from_existing(BASE.clone()).with_catalog_list(catalogs).build();
    let ctx = SessionContext::new_with_state(state);
    for (name, table) in tables {
        let (arrow_schema, batch) = table.into_batch()?;
        let mem = MemTable::try_new(arrow_schema, vec![vec![batch]]).map_err(engine_error)?;
        target.register_table(name.to_string(), Arc::new(mem)).map_err(engine_error)?;
    }
    let statement = datafusion::sql::parser::Statement::Statement(Box::new(Statement::Query(Box::new(q))));
    let plan = ctx.state().statement_to_plan(statement).await.map_err(engine_error)?;
    let df = ctx.execute_logical_plan(plan).await.map_err(engine_error)?;
    let schema: SchemaRef = Arc::new(df.schema().as_arrow().clone());
    let batches = df.collect().await.map_err(engine_error)?;
    Ok((schema, batches))
}

fn engine_error(e: DataFusionError) -> WeirError {
    match e.find_root() {
        // DataFusion's planner: `Invalid function 'name'.\nDid you mean …?`
        DataFusionError::Plan(m) if m.starts_with("Invalid function '") => {
            let name = m.trim_start_matches("Invalid function '").split('\'').next().unwrap_or_default();
            WeirError::UnknownFunction { database: None, name: name.to_string() }
        }
        DataFusionError::SchemaError(err, _) => match err.as_ref() {
            datafusion::common::SchemaError::FieldNotFound { field, .. } => WeirError::UnknownColumn(field.name().to_string()),
            other => WeirError::Metadata(other.to_string()),
        },
        other => WeirError::Metadata(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> QueryEnv<'static> {
        QueryEnv { database: Some("shop"), user: "root", host: "localhost", connection_id: 7, version: "8.0.40-weir", variable: &|name| (name == "@@sql_mode").then(|| Scalar::Str("ANSI".to_string())) }
    }

    fn rewritten(sql: &str) -> String {
        let mut q = parse(sql, true).expect("parses");
        rewrite(&mut q, &env()).expect("rewrites");
        q.to_string()
    }

    #[test]
    fn names_of_information_schema_take_mysqls_case() {
        let s = rewritten("select table_name from Information_Schema.tables where table_schema = database()");
        assert_eq!(s, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'shop'");
    }

    #[test]
    fn mysql_functions_become_datafusions() {
        let s = rewritten("SELECT IF(IS_NULLABLE = 'YES', 1, 0) AS n, UCASE(DATA_TYPE) AS t, IFNULL(a, b) AS c FROM information_schema.COLUMNS WHERE COLUMN_TYPE LIKE 'tinyint(1)%'");
        assert!(s.contains("CASE WHEN IS_NULLABLE = 'YES' THEN 1 ELSE 0 END AS n"), "{s}");
        assert!(s.contains("upper(CAST(DATA_TYPE AS VARCHAR)) AS t"), "{s}");
        assert!(s.contains("coalesce(a, b) AS c"), "{s}");
        assert!(s.contains("COLUMN_TYPE ILIKE 'tinyint(1)%'"), "{s}");
        let s = rewritten("SELECT LEAST(CHARACTER_MAXIMUM_LENGTH, 2147483647) AS l FROM information_schema.COLUMNS");
        assert!(s.contains("CASE WHEN CHARACTER_MAXIMUM_LENGTH IS NULL OR 2147483647 IS NULL THEN NULL ELSE least(CHARACTER_MAXIMUM_LENGTH, 2147483647) END AS l"), "{s}");
    }

    #[test]
    fn text_comparisons_with_literals_ignore_case_and_collate_is_dropped() {
        let mut q = parse("SELECT IF(IS_NULLABLE = 'yes', 1, 0) AS n FROM information_schema.COLUMNS WHERE TABLE_TYPE IN ('VIEW', NULL) AND ORDINAL_POSITION = 1 AND IS_NULLABLE COLLATE utf8mb4_0900_ai_ci = 'NO'", true).expect("parses");
        rewrite(&mut q, &env()).expect("rewrites");
        case_insensitive_comparisons(&mut q);
        let s = q.to_string();
        assert!(s.contains("lower(IS_NULLABLE) = lower('yes')"), "{s}");
        assert!(s.contains("lower(TABLE_TYPE) IN (lower('VIEW'), lower(NULL))"), "{s}");
        assert!(s.contains("ORDINAL_POSITION = 1"), "{s}");
        assert!(s.contains("(IS_NULLABLE) = 'NO'"), "{s}");
    }

    #[test]
    fn group_concat_regexp_and_variables_become_datafusions() {
        let s = rewritten("SELECT GROUP_CONCAT(TABLE_NAME SEPARATOR ';') AS g, @@sql_mode AS m FROM information_schema.TABLES WHERE TABLE_NAME REGEXP '^S'");
        assert!(s.contains("string_agg(TABLE_NAME, ';') AS g"), "{s}");
        assert!(s.contains("'ANSI' AS m"), "{s}");
        assert!(s.contains("TABLE_NAME ~* '^S'"), "{s}");
    }

    #[test]
    fn having_without_group_by_filters_on_aliases() {
        let s = rewritten("SELECT CASE WHEN TABLE_TYPE = 'BASE TABLE' THEN 'TABLE' ELSE TABLE_TYPE END AS TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'x' HAVING TABLE_TYPE IN ('TABLE', 'VIEW')");
        assert!(s.contains("WHERE (TABLE_SCHEMA = 'x') AND ((CASE WHEN TABLE_TYPE = 'BASE TABLE' THEN 'TABLE' ELSE TABLE_TYPE END) IN ('TABLE', 'VIEW'))"), "{s}");
        assert!(!s.contains("HAVING"), "{s}");
    }

    #[test]
    fn scope_reads_equalities_on_schema_and_table() {
        let mut q = parse("SELECT * FROM information_schema.columns c WHERE c.table_schema = DATABASE() AND table_name = 'orders'", true).expect("parses");
        rewrite(&mut q, &env()).expect("rewrites");
        assert_eq!(scope(&q), Scope { schema: Some("shop".into()), table: Some("orders".into()), table_like: None });
        let like = Scope { table_like: Some("order\\_%".into()), ..Default::default() };
        assert!(like.admits_table("ORDER_items") && !like.admits_table("orderXitems"));
    }

    #[test]
    fn a_query_reads_the_columns_it_names_or_all_with_a_star() {
        let reads = |sql: &str| reads_column(&parse(sql, true).expect("parses"), "TABLE_COMMENT");
        assert!(reads("SELECT TABLE_NAME, table_comment AS REMARKS FROM information_schema.TABLES"));
        assert!(reads("SELECT * FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'x'"));
        assert!(reads("SELECT n FROM (SELECT t.* FROM information_schema.TABLES t) AS x"));
        assert!(!reads("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_TYPE = 'VIEW'"));
        assert!(!reads("SELECT COUNT(*) FROM information_schema.TABLES"));
    }

    #[test]
    fn unknown_information_schema_tables_are_1109() {
        let q = parse("SELECT * FROM information_schema.NOPE", true).expect("parses");
        assert!(matches!(referenced_tables(&q), Err(WeirError::UnknownSchemaTable(t)) if t == "NOPE"));
    }

    #[test]
    fn like_escape_characters_become_backslashes() {
        assert_eq!(backslash_pattern("a|_%", Some('|')), "a\\_%");
        assert_eq!(backslash_pattern("100#%", Some('#')), "100\\%");
        assert_eq!(backslash_pattern("a||b", Some('|')), "a|b");
        assert_eq!(backslash_pattern("c:\\dir|_", Some('|')), "c:\\\\dir\\_");
        assert_eq!(backslash_pattern("a\\_b", None), "a\\\\_b");
        assert_eq!(backslash_pattern("end|", Some('|')), "end|");
        let s = rewritten("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_NAME NOT LIKE 'a|_%' ESCAPE '|'");
        assert!(s.contains("TABLE_NAME NOT ILIKE 'a\\_%'") && !s.contains("ESCAPE"), "{s}");
    }

    #[tokio::test]
    async fn like_with_an_escape_character_matches_the_wildcard_literally() {
        let rule = schema::table("TABLES").expect("TABLES");
        let entry = |name: &str| ("shop".to_string(), super::super::source::ObjectEntry { name: name.into(), kind: super::super::source::ObjectKind::Table });
        let snap = schema::Snapshot { databases: vec!["shop".into()], objects: vec![entry("a_b"), entry("axb"), entry("a%c")], definitions: vec![] };
        for (sql, expected) in [
            ("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_NAME LIKE 'a|_%' ESCAPE '|' ORDER BY 1", vec!["a_b"]),
            ("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_NAME LIKE 'a_%' ORDER BY 1", vec!["a%c", "a_b", "axb"]),
            ("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_NAME LIKE 'a!%%' ESCAPE '!' ORDER BY 1", vec!["a%c"]),
            ("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_NAME LIKE 'a\\_b' ORDER BY 1", vec!["a_b"]),
        ] {
            let mut q = parse(sql, true).expect("parses");
            rewrite(&mut q, &env()).expect("rewrites");
            let (_, batches) = execute(q, vec![("TABLES", rule.build(&snap, &schema::Env::default()))]).await.expect("runs");
            let got: Vec<String> = super::super::source::text_rows(&batches).into_iter().filter_map(|r| r.into_iter().next().flatten()).collect();
            assert_eq!(got, expected, "{sql}");
        }
    }

    async fn probe(sql: &str) -> Result<(SchemaRef, Vec<RecordBatch>), WeirError> {
        let vars = crate::variables::SessionVars::default();
        let variable = move |name: &str| crate::variables::lookup(&crate::statement::probe::normalise_var(name)).map(|d| vars.read(d));
        let env = QueryEnv { database: Some("shop"), user: "root", host: "localhost", connection_id: 7, version: "8.0.40-weir", variable: &variable };
        let mut q = parse(sql, false)?;
        rewrite(&mut q, &env)?;
        execute(q, vec![]).await
    }

    #[tokio::test]
    async fn metabases_time_zone_probe_is_evaluated_with_mysqls_functions() {
        let sql = "SELECT @@GLOBAL.time_zone AS global_tz, @@system_time_zone AS system_tz, time_format(timediff(now(), convert_tz(now(), @@GLOBAL.time_zone, '+00:00')), '%H:%i') AS 'offset'";
        let (schema, batches) = probe(sql).await.expect("runs");
        let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        assert_eq!(names, vec!["global_tz", "system_tz", "offset"]);
        let rows = super::super::source::text_rows(&batches);
        assert_eq!(rows, vec![vec![Some("SYSTEM".to_string()), Some("UTC".to_string()), Some("00:00".to_string())]]);
        // MySQL's DATE_FORMAT, never DataFusion's (`to_char`, also called `date_format`).
        let (_, batches) = probe("SELECT DATE_FORMAT('2024-03-05 14:07:09', '%W %D %M %Y %U %u'), @@version").await.expect("runs");
        let rows = super::super::source::text_rows(&batches);
        assert_eq!(rows[0][0].as_deref(), Some("Tuesday 5th March 2024 09 10"));
        let (schema, batches) = probe("SELECT timediff(convert_tz('2024-01-01 10:00:00', '+00:00', '+05:30'), '2024-01-01 10:00:00'), @@autocommit, 'x', date_format(utc_timestamp(), '%Y') > '2000'").await.expect("runs");
        let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        assert_eq!(names, vec!["timediff(convert_tz('2024-01-01 10:00:00', '+00:00', '+05:30'), '2024-01-01 10:00:00')", "@@autocommit", "x", "date_format(utc_timestamp(), '%Y') > '2000'"]);
        assert_eq!(schema.field(0).data_type(), &DataType::Time64(arrow_schema::TimeUnit::Microsecond));
        assert_eq!(schema.field(0).metadata().get("flink.precision").map(String::as_str), Some("0"));
        assert_eq!(schema.field(1).data_type(), &DataType::Int64);
        let c = crate::protocol::resultset::cell(schema.field(0), batches[0].column(0).as_ref(), 0);
        assert_eq!(c, crate::protocol::resultset::Cell::Time(19_800_000_000, 0));
    }

    #[tokio::test]
    async fn a_function_nobody_evaluates_is_1305_and_an_unknown_variable_1193() {
        let e = probe("SELECT @@version, nosuch(1)").await.expect_err("no such function");
        assert!(matches!(&e, WeirError::UnknownFunction { name, .. } if name == "nosuch"), "{e:?}");
        assert_eq!(e.to_mysql().code, 1305);
        let e = probe("SELECT @@no_such_variable, time_format(now(), '%H')").await.expect_err("no such variable");
        assert_eq!(e.to_mysql().code, 1193, "{e:?}");
    }

    #[test]
    fn locate_counts_characters_from_one() {
        assert_eq!(locate("b", "abc", 1), 2);
        assert_eq!(locate("(1)", "tinyint(1)", 1), 8);
        assert_eq!(locate("x", "abc", 1), 0);
        assert_eq!(locate("a", "aba", 2), 3);
        assert_eq!(locate("é", "aéb", 1), 2);
    }

    #[tokio::test]
    async fn runs_connector_j_style_queries() {
        let rule = schema::table("TABLES").expect("TABLES");
        let snap = schema::Snapshot {
            databases: vec!["shop".into()],
            objects: vec![
                ("shop".into(), super::super::source::ObjectEntry { name: "orders".into(), kind: super::super::source::ObjectKind::Table }),
                ("shop".into(), super::super::source::ObjectEntry { name: "v".into(), kind: super::super::source::ObjectKind::View }),
            ],
            definitions: vec![],
        };
        let sql = "SELECT TABLE_SCHEMA AS TABLE_CAT, NULL AS TABLE_SCHEM, TABLE_NAME, CASE WHEN TABLE_TYPE='BASE TABLE' THEN CASE WHEN TABLE_SCHEMA = 'mysql' OR TABLE_SCHEMA = 'performance_schema' THEN 'SYSTEM TABLE' ELSE 'TABLE' END WHEN TABLE_TYPE='TEMPORARY' THEN 'LOCAL_TEMPORARY' ELSE TABLE_TYPE END AS TABLE_TYPE, TABLE_COMMENT AS REMARKS FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'shop' AND TABLE_NAME LIKE '%' HAVING TABLE_TYPE IN ('TABLE','VIEW',null,null,null) ORDER BY TABLE_TYPE, TABLE_SCHEMA, TABLE_NAME";
        let mut q = parse(sql, true).expect("parses");
        rewrite(&mut q, &env()).expect("rewrites");
        let (schema, batches) = execute(q, vec![("TABLES", rule.build(&snap, &schema::Env::default()))]).await.expect("runs");
        let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        assert_eq!(names, vec!["TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "TABLE_TYPE", "REMARKS"]);
        let rows = super::super::source::text_rows(&batches);
        let got: Vec<(String, String)> = rows.iter().map(|r| (r[2].clone().unwrap_or_default(), r[3].clone().unwrap_or_default())).collect();
        assert_eq!(got, vec![("orders".to_string(), "TABLE".to_string()), ("v".to_string(), "VIEW".to_string())]);
    }
}
