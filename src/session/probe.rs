//! Evaluation of the probe expressions the statement layer found answerable locally
//! ([`crate::statement::probe`]): literals, `@@variables` and the probe functions.

use sqlparser::ast::{Expr, UnaryOperator, Value as SqlValue};

use crate::error::WeirError;
use crate::statement::probe::{function, function_args, variable_of};
use crate::value::Value;
use crate::variables::{self, SessionVars};

/// What probe functions can see of the session.
pub struct ProbeContext<'a> {
    pub database: Option<&'a str>,
    pub user: &'a str,
    pub host: &'a str,
    pub connection_id: u32,
    pub vars: &'a SessionVars,
}

/// One probe function's value (`name` is its canonical name from the statement layer's table).
fn call(name: &str, c: &ProbeContext<'_>, args: &[Value]) -> Result<Value, WeirError> {
    let database = || c.database.map(|d| Value::Str(d.to_string())).unwrap_or(Value::Null);
    Ok(match name {
        "CONNECTION_ID" => Value::Int(i64::from(c.connection_id)),
        "CONVERT_TZ" => convert_tz(args),
        "CURRENT_TIMESTAMP" | "NOW" | "SYSDATE" | "UTC_TIMESTAMP" => now(),
        "CURRENT_USER" => Value::Str(format!("{}@%", c.user)),
        "DATABASE" | "SCHEMA" => database(),
        "LAST_INSERT_ID" => Value::Int(0),
        "SESSION_USER" | "SYSTEM_USER" | "USER" => Value::Str(format!("{}@{}", c.user, c.host)),
        "TIMEDIFF" => timediff(args),
        "VERSION" => match variables::lookup("version") {
            Some(def) => c.vars.read(def),
            None => Value::Null,
        },
        other => return Err(WeirError::NotSupported(format!("function {other} is not answered locally"))),
    })
}

/// Evaluates a local expression.
pub fn eval(ctx: &ProbeContext<'_>, expr: &Expr) -> Result<Value, WeirError> {
    match expr {
        Expr::Value(v) => Ok(literal(&v.value)),
        Expr::UnaryOp { op, expr } => match (op, eval(ctx, expr)?) {
            (UnaryOperator::Minus, Value::Int(i)) => Ok(Value::Int(-i)),
            (UnaryOperator::Minus, Value::Decimal(u, s)) => Ok(Value::Decimal(-u, s)),
            (UnaryOperator::Minus, Value::Double(d)) => Ok(Value::Double(-d)),
            (_, v) => Ok(v),
        },
        Expr::Function(f) => {
            let name = f.name.to_string();
            let (Some((canonical, _, _)), Some(args)) = (function(&name), function_args(f)) else {
                return Err(WeirError::NotSupported(format!("function {name} is not answered locally")));
            };
            let values = args.into_iter().map(|a| eval(ctx, a)).collect::<Result<Vec<_>, _>>()?;
            call(canonical, ctx, &values)
        }
        other => match variable_of(other) {
            Some(name) => {
                let def = variables::lookup(&name).ok_or(WeirError::UnknownVariable(name))?;
                Ok(ctx.vars.read(def))
            }
            None => Err(WeirError::NotSupported(format!("expression {other} is not answered locally"))),
        },
    }
}

fn literal(v: &SqlValue) -> Value {
    match v {
        SqlValue::Number(n, _) => number(n),
        SqlValue::SingleQuotedString(s) | SqlValue::DoubleQuotedString(s) => Value::Str(s.clone()),
        SqlValue::Boolean(b) => Value::Int(i64::from(*b)),
        _ => Value::Null,
    }
}

/// MySQL's literal typing: integers are BIGINT, a decimal point makes a DECIMAL, an exponent a DOUBLE.
fn number(n: &str) -> Value {
    if n.contains(['e', 'E']) {
        return n.parse().map(Value::Double).unwrap_or(Value::Str(n.to_string()));
    }
    if let Some((int, frac)) = n.split_once('.') {
        let digits = format!("{int}{frac}");
        return match digits.parse::<i128>() {
            Ok(u) if frac.len() <= 30 => Value::Decimal(u, frac.len() as u8),
            _ => n.parse().map(Value::Double).unwrap_or(Value::Str(n.to_string())),
        };
    }
    n.parse::<i64>()
        .map(Value::Int)
        .or_else(|_| n.parse::<u64>().map(Value::UInt))
        .unwrap_or_else(|_| n.parse::<i128>().map(|u| Value::Decimal(u, 0)).unwrap_or(Value::Str(n.to_string())))
}

fn now() -> Value {
    Value::Str(chrono::Utc::now().format("%Y-%m-%d %H:%M:%S").to_string())
}

fn parse_datetime(v: &Value) -> Option<chrono::NaiveDateTime> {
    let Value::Str(s) = v else { return None };
    chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").ok()
}

fn timediff(args: &[Value]) -> Value {
    let (Some(a), Some(b)) = (args.first().and_then(parse_datetime), args.get(1).and_then(parse_datetime)) else {
        return Value::Null;
    };
    let secs = (a - b).num_seconds();
    let sign = if secs < 0 { "-" } else { "" };
    let s = secs.unsigned_abs();
    Value::Str(format!("{sign}{:02}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60))
}

/// Weir's clock is UTC (`system_time_zone`), so only UTC-equivalent zones convert.
fn convert_tz(args: &[Value]) -> Value {
    let utc = |v: Option<&Value>| matches!(v, Some(Value::Str(s)) if ["SYSTEM", "UTC", "+00:00", "GMT", "Etc/UTC"].contains(&s.as_str()));
    match args.first() {
        Some(v) if utc(args.get(1)) && utc(args.get(2)) => v.clone(),
        _ => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_probe_function_of_the_statement_layer_is_evaluated() {
        let vars = SessionVars::default();
        let ctx = ProbeContext { database: Some("db"), user: "u", host: "localhost", connection_id: 7, vars: &vars };
        for (name, min, _) in crate::statement::probe::FUNCTIONS {
            let args = vec![Value::Str("2024-01-01 00:00:00".into()); *min];
            assert!(call(name, &ctx, &args).is_ok(), "{name} has no evaluator");
        }
    }
}
