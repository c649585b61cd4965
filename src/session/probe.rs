//! Evaluation of the probe expressions the statement layer found answerable locally
//! ([`crate::statement::probe`]): literals, `@@variables` and the probe functions.

use sqlparser::ast::{Expr, UnaryOperator, Value as SqlValue};

use crate::error::WeirError;
use crate::metadata::functions::{self, Temporal};
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
        "CURRENT_TIMESTAMP" | "NOW" | "SYSDATE" | "UTC_TIMESTAMP" => now(args),
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

/// `NOW([fsp])`: Weir's clock is UTC (`system_time_zone`).
fn now(args: &[Value]) -> Value {
    let fsp = match args.first() {
        Some(Value::Int(i)) => (*i).clamp(0, 6) as usize,
        _ => 0,
    };
    let mut text = chrono::Utc::now().format("%Y-%m-%d %H:%M:%S%.6f").to_string();
    text.truncate(19 + if fsp > 0 { fsp + 1 } else { 0 });
    Value::Str(text)
}

fn temporal(v: &Value) -> Option<Temporal> {
    functions::parse(&v.as_text()?)
}

/// MySQL's `TIMEDIFF`, as the metadata engine evaluates it ([`functions::timediff`]).
fn timediff(args: &[Value]) -> Value {
    let (Some(a), Some(b)) = (args.first().and_then(temporal), args.get(1).and_then(temporal)) else {
        return Value::Null;
    };
    let digits = args.iter().filter_map(Value::as_text).map(|t| functions::literal_fsp(&t)).max().unwrap_or(0);
    match functions::timediff(a, b) {
        Some(micros) => Value::Str(functions::format_time(micros, usize::from(digits))),
        None => Value::Null,
    }
}

/// MySQL's `CONVERT_TZ`, as the metadata engine evaluates it ([`functions::convert_tz`]).
fn convert_tz(args: &[Value]) -> Value {
    let zone = |i: usize| args.get(i).and_then(Value::as_text);
    let (Some(dt), Some(from), Some(to)) = (args.first().and_then(temporal), zone(1), zone(2)) else {
        return Value::Null;
    };
    let digits = args.first().and_then(Value::as_text).map(|t| functions::literal_fsp(&t)).unwrap_or(0);
    match functions::convert_tz(dt, &from, &to) {
        Some(d) => {
            let mut text = d.format("%Y-%m-%d %H:%M:%S%.6f").to_string();
            text.truncate(19 + if digits > 0 { usize::from(digits) + 1 } else { 0 });
            Value::Str(text)
        }
        None => Value::Null,
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

    #[test]
    fn date_and_time_functions_have_mysqls_semantics() {
        let s = |v: &str| Value::Str(v.to_string());
        assert_eq!(timediff(&[s("2024-01-01 00:00:00"), s("2024-01-02 01:02:03.5")]), s("-25:02:03.5"));
        assert_eq!(timediff(&[s("10:00:00"), s("2024-01-01 00:00:00")]), Value::Null);
        assert_eq!(convert_tz(&[s("2024-01-01 10:00:00"), s("+00:00"), s("+05:30")]), s("2024-01-01 15:30:00"));
        assert_eq!(convert_tz(&[s("2024-01-01 10:00:00"), s("SYSTEM"), s("nosuch")]), Value::Null);
        let Value::Str(t) = now(&[Value::Int(3)]) else { panic!("NOW is text") };
        assert_eq!(t.len(), 23, "{t}");
    }
}
