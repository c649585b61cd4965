//! MySQL's session statements, answered by the session itself: client bootstrap and probes,
//! session variables, transactions (accepted with a warning: Flink has none), SHOW
//! VARIABLES/STATUS/WARNINGS, KILL. Answers are Arrow batches like any Flink result.

use futures::stream;
use sqlparser::ast::Expr;

use super::context::Context;
use super::probe::{self, ProbeContext};
use super::registry::KillError;
use crate::error::WeirError;
use crate::protocol::{MySqlError, OkResponse, Response, Rows, codes};
use crate::statement::{Filter, Local, Txn};
use crate::value::{LocalTable, Value, like};
use crate::variables::{self, Scope, VARIABLES};

/// Warning code MySQL uses for statements that have no effect here (ER_UNSUPPORTED_..., 1287 is
/// "deprecated"; 1105 is the generic one clients print as-is).
const WARN_NO_EFFECT: u16 = 1105;

pub async fn answer(s: &mut Context, statement: &Local) -> Result<Response, WeirError> {
    match statement {
        Local::Select { items, limit } => select(s, items, *limit),
        Local::SetVariables(assignments) => {
            // Weir keeps no user variables (`SET @x = ...`): refused whatever the session's dialect,
            // as the translator refuses them.
            if let Some((name, _)) = assignments.iter().find(|(name, _)| name.starts_with('@')) {
                return Err(WeirError::Translate(weir_dialects::TranslateError::Unsupported {
                    construct: format!("SET (session and user variables: {name})"),
                    line: 1,
                    column: 1,
                }));
            }
            for (name, expr) in assignments {
                if name == "weir.flink" {
                    let spec = eval_set_expr(s, expr).or_else(|_| match expr {
                        Expr::Identifier(i) => Ok(Value::Str(i.value.clone())),
                        other => Err(WeirError::NotSupported(format!("SET weir.flink = {other}"))),
                    })?;
                    s.switch_cluster(&spec.as_text().unwrap_or_default()).await?;
                } else if name == super::dialect::VARIABLE {
                    let before = super::dialect::current(s);
                    match expr {
                        // DEFAULT is the user's configured dialect.
                        Expr::Identifier(i) if i.quote_style.is_none() && i.value.eq_ignore_ascii_case("DEFAULT") => {
                            super::dialect::reset(s);
                        }
                        _ => set_variable(s, name, expr)?,
                    }
                    super::dialect::after_set(s, before).await?;
                } else {
                    set_variable(s, name, expr)?;
                }
            }
            Ok(ok())
        }
        Local::SetTransaction => Ok(ok()),
        Local::Transaction(t) => transaction(s, *t),
        Local::ShowVariables { filter } => show_variables(s, filter.as_ref()),
        Local::ShowStatus { filter } => show_status(s, filter.as_ref()),
        Local::ShowWarnings { errors } => show_warnings(s, *errors),
        Local::ShowCount { errors } => {
            let (name, count) = if *errors { ("error_count", s.error_count()) } else { ("warning_count", s.warning_count()) };
            table_response(LocalTable::single_row(vec![format!("@@session.{name}")], vec![Value::Int(count as i64)]))
        }
        Local::Kill { connection, id } => kill(s, *connection, *id),
        Local::Do { items } => {
            // Evaluated as the SELECT would be (its errors are DO's), the values discarded.
            select(s, items, None)?;
            Ok(ok())
        }
    }
}

fn ok() -> Response {
    Response::Ok(OkResponse::default())
}

pub(super) fn table_response(t: LocalTable) -> Result<Response, WeirError> {
    let (schema, batch) = t.into_batch()?;
    Ok(Response::Rows(Rows { schema, batches: Box::pin(stream::iter([Ok(batch)])) }))
}

fn context(s: &Context) -> ProbeContext<'_> {
    ProbeContext {
        database: s.database.as_deref(),
        user: &s.info.user,
        host: if s.info.peer.ip().is_loopback() { "localhost" } else { "%" },
        connection_id: s.info.connection_id,
        vars: &s.vars,
    }
}

fn select(s: &Context, items: &[(String, Expr)], limit: Option<u64>) -> Result<Response, WeirError> {
    let ctx = context(s);
    let mut names = Vec::with_capacity(items.len());
    let mut row = Vec::with_capacity(items.len());
    for (name, expr) in items {
        names.push(name.clone());
        row.push(probe::eval(&ctx, expr)?);
    }
    let mut t = LocalTable::single_row(names, row);
    if limit == Some(0) {
        t.rows.clear();
    }
    table_response(t)
}

fn set_variable(s: &mut Context, name: &str, expr: &Expr) -> Result<(), WeirError> {
    if super::charsets::set(&mut s.vars, name, expr)? {
        return Ok(());
    }
    let def = variables::lookup(name).ok_or_else(|| WeirError::UnknownVariable(name.to_string()))?;
    if def.scope == Scope::ReadOnly {
        return Err(WeirError::ReadOnlyVariable(def.name.to_string()));
    }
    let value = match expr {
        // `SET x = DEFAULT` and bare words (`SET autocommit = ON`, `SET sql_mode = TRADITIONAL`).
        Expr::Identifier(i) if i.quote_style.is_none() && i.value.eq_ignore_ascii_case("DEFAULT") => {
            Value::Str(def.default.to_string())
        }
        Expr::Identifier(i) if !i.value.starts_with('@') => Value::Str(i.value.clone()),
        other => eval_set_expr(s, other)?,
    };
    let normalised = variables::normalise(def, &value).ok_or_else(|| WeirError::WrongValue {
        name: def.name.to_string(),
        value: value.as_text().unwrap_or_else(|| "NULL".into()),
    })?;
    let normalised = if def.name == super::dialect::VARIABLE { super::dialect::normalise(&normalised)? } else { normalised };
    if def.name == "autocommit" && normalised == "0" {
        s.warn(WARN_NO_EFFECT, "Flink has no transactions: every statement takes effect at once, whatever autocommit says");
    }
    s.vars.set(def, normalised);
    Ok(())
}

/// SET values may use `CONCAT(@@sql_mode, ',STRICT_TRANS_TABLES')` (MariaDB Connector/J).
fn eval_set_expr(s: &Context, expr: &Expr) -> Result<Value, WeirError> {
    if let Expr::Function(f) = expr
        && f.name.to_string().eq_ignore_ascii_case("CONCAT")
        && let sqlparser::ast::FunctionArguments::List(list) = &f.args
    {
        let mut out = String::new();
        for a in &list.args {
            let sqlparser::ast::FunctionArg::Unnamed(sqlparser::ast::FunctionArgExpr::Expr(e)) = a else {
                return Err(WeirError::NotSupported(format!("SET value {expr}")));
            };
            match eval_set_expr(s, e)?.as_text() {
                Some(t) => out.push_str(&t),
                None => return Ok(Value::Null),
            }
        }
        return Ok(Value::Str(out));
    }
    if crate::statement::probe::is_local(expr) {
        return probe::eval(&context(s), expr);
    }
    Err(WeirError::NotSupported(format!("SET value {expr} is not a constant")))
}

fn transaction(s: &mut Context, t: Txn) -> Result<Response, WeirError> {
    match t {
        Txn::Begin => {
            s.in_transaction = true;
            s.warn(WARN_NO_EFFECT, "Flink has no transactions: statements take effect at once and a submitted job is not undone by ROLLBACK");
        }
        Txn::Commit => s.in_transaction = false,
        Txn::Rollback => {
            if s.in_transaction {
                s.warn(WARN_NO_EFFECT, "ROLLBACK undoes nothing: Flink has no transactions");
            }
            s.in_transaction = false;
        }
    }
    Ok(ok())
}

/// Keeps rows whose `key` column matches the filter. WHERE supports `col = 'x'`, `col LIKE 'x'`
/// and `col IN (...)` over the SHOW statement's own columns.
fn filtered(filter: Option<&Filter>, rows: Vec<Vec<Option<String>>>, columns: &[&str]) -> Result<Vec<Vec<Option<String>>>, WeirError> {
    let Some(f) = filter else { return Ok(rows) };
    let keep = |row: &Vec<Option<String>>| -> Result<bool, WeirError> {
        match f {
            Filter::Like(p) => Ok(row[0].as_deref().is_some_and(|v| like(p, v))),
            Filter::Where(e) => where_matches(e, row, columns),
        }
    };
    let mut out = Vec::new();
    for r in rows {
        if keep(&r)? {
            out.push(r);
        }
    }
    Ok(out)
}

fn where_matches(e: &Expr, row: &[Option<String>], columns: &[&str]) -> Result<bool, WeirError> {
    use sqlparser::ast::{BinaryOperator, Value as V};
    let col = |x: &Expr| -> Option<usize> {
        let name = match x {
            Expr::Identifier(i) => i.value.clone(),
            _ => return None,
        };
        columns.iter().position(|c| c.eq_ignore_ascii_case(&name))
    };
    let lit = |x: &Expr| -> Option<String> {
        match x {
            Expr::Value(v) => match &v.value {
                V::SingleQuotedString(s) | V::DoubleQuotedString(s) => Some(s.clone()),
                V::Number(n, _) => Some(n.clone()),
                _ => None,
            },
            _ => None,
        }
    };
    let unsupported = || WeirError::NotSupported(format!("SHOW ... WHERE {e}: only =, LIKE, IN, AND, OR over the result's columns"));
    match e {
        Expr::BinaryOp { left, op: BinaryOperator::And, right } => Ok(where_matches(left, row, columns)? && where_matches(right, row, columns)?),
        Expr::BinaryOp { left, op: BinaryOperator::Or, right } => Ok(where_matches(left, row, columns)? || where_matches(right, row, columns)?),
        Expr::Nested(inner) => where_matches(inner, row, columns),
        Expr::BinaryOp { left, op: BinaryOperator::Eq, right } => {
            let (i, v) = (col(left).ok_or_else(unsupported)?, lit(right).ok_or_else(unsupported)?);
            Ok(row[i].as_deref().is_some_and(|x| x.eq_ignore_ascii_case(&v)))
        }
        Expr::Like { negated, expr, pattern, .. } => {
            let (i, p) = (col(expr).ok_or_else(unsupported)?, lit(pattern).ok_or_else(unsupported)?);
            Ok(row[i].as_deref().is_some_and(|x| like(&p, x)) != *negated)
        }
        Expr::InList { expr, list, negated } => {
            let i = col(expr).ok_or_else(unsupported)?;
            let vals: Vec<String> = list.iter().map(|x| lit(x).ok_or_else(unsupported)).collect::<Result<_, _>>()?;
            Ok(row[i].as_deref().is_some_and(|x| vals.iter().any(|v| v.eq_ignore_ascii_case(x))) != *negated)
        }
        _ => Err(unsupported()),
    }
}

fn show_variables(s: &Context, filter: Option<&Filter>) -> Result<Response, WeirError> {
    let rows = VARIABLES.iter().map(|d| vec![Some(d.name.to_string()), Some(s.vars.show(d))]).collect();
    let cols = ["Variable_name", "Value"];
    table_response(LocalTable::text(&cols, filtered(filter, rows, &cols)?))
}

fn show_status(s: &Context, filter: Option<&Filter>) -> Result<Response, WeirError> {
    let rows = vec![
        vec![Some("Threads_connected".to_string()), Some(s.shared.registry.len().to_string())],
        vec![Some("Uptime".to_string()), Some(s.shared.started.elapsed().as_secs().to_string())],
        vec![Some("Questions".to_string()), Some(s.shared.questions().to_string())],
    ];
    let cols = ["Variable_name", "Value"];
    table_response(LocalTable::text(&cols, filtered(filter, rows, &cols)?))
}

fn show_warnings(s: &Context, errors_only: bool) -> Result<Response, WeirError> {
    let list = s.warnings.lock().map(|w| w.clone()).unwrap_or_default();
    let rows: Vec<Vec<Value>> = list
        .into_iter()
        .filter(|w| !errors_only || w.level == "Error")
        .map(|w| vec![Value::Str(w.level.to_string()), Value::Int(i64::from(w.code)), Value::Str(w.message)])
        .collect();
    let t = LocalTable {
        columns: vec![
            ("Level".into(), arrow_schema::DataType::Utf8),
            ("Code".into(), arrow_schema::DataType::Int64),
            ("Message".into(), arrow_schema::DataType::Utf8),
        ],
        rows,
    };
    table_response(t)
}

fn kill(s: &Context, connection: bool, id: u64) -> Result<Response, WeirError> {
    let target = u32::try_from(id).map_err(|_| MySqlError::new(codes::ER_NO_SUCH_THREAD, format!("Unknown thread id: {id}")))?;
    let any = s.access.may_global(crate::statement::privilege::Privilege::Super);
    match s.shared.registry.kill(target, &s.info.user, any, connection) {
        Ok(()) => Ok(ok()),
        Err(KillError::NoSuchThread) => Err(MySqlError::new(codes::ER_NO_SUCH_THREAD, format!("Unknown thread id: {id}")).into()),
        Err(KillError::NotOwner) => Err(MySqlError::new(codes::ER_KILL_DENIED_ERROR, format!("You are not owner of thread {id}")).into()),
    }
}

#[cfg(test)]
mod tests {
    use crate::value::like;

    #[test]
    fn like_follows_mysql() {
        assert!(like("sql_mode", "SQL_MODE"));
        assert!(like("char%", "character_set_client"));
        assert!(like("_ait_timeout", "wait_timeout"));
        assert!(!like("wait", "wait_timeout"));
        assert!(like("a\\_b", "a_b"));
        assert!(!like("a\\_b", "axb"));
    }
}
