//! Local evaluation of what clients send to probe a server: literals, `@@variables` and a table of
//! probe functions (DATABASE(), USER(), VERSION(), CONNECTION_ID(), NOW()/UTC_TIMESTAMP() and the
//! time-zone arithmetic drivers do on them). Anything else is not local and goes to Flink.

use sqlparser::ast::{Expr, Function, FunctionArg, FunctionArgExpr, FunctionArguments, UnaryOperator, Value as SqlValue};

use super::value::Value;
use super::variables::{self, SessionVars};
use crate::error::WeirError;

/// What probe functions can see of the session.
pub struct ProbeContext<'a> {
    pub database: Option<&'a str>,
    pub user: &'a str,
    pub host: &'a str,
    pub connection_id: u32,
    pub vars: &'a SessionVars,
}

type Eval = fn(&ProbeContext<'_>, &[Value]) -> Result<Value, WeirError>;

/// The probe functions: name, arity range, evaluator.
static FUNCTIONS: &[(&str, usize, usize, Eval)] = &[
    ("CONNECTION_ID", 0, 0, |c, _| Ok(Value::Int(i64::from(c.connection_id)))),
    ("CONVERT_TZ", 3, 3, convert_tz),
    ("CURRENT_TIMESTAMP", 0, 1, |_, _| Ok(now())),
    ("CURRENT_USER", 0, 0, |c, _| Ok(Value::Str(format!("{}@%", c.user)))),
    ("DATABASE", 0, 0, |c, _| Ok(c.database.map(|d| Value::Str(d.to_string())).unwrap_or(Value::Null))),
    ("LAST_INSERT_ID", 0, 0, |_, _| Ok(Value::Int(0))),
    ("NOW", 0, 1, |_, _| Ok(now())),
    ("SCHEMA", 0, 0, |c, _| Ok(c.database.map(|d| Value::Str(d.to_string())).unwrap_or(Value::Null))),
    ("SESSION_USER", 0, 0, |c, _| Ok(Value::Str(format!("{}@{}", c.user, c.host)))),
    ("SYSDATE", 0, 1, |_, _| Ok(now())),
    ("SYSTEM_USER", 0, 0, |c, _| Ok(Value::Str(format!("{}@{}", c.user, c.host)))),
    ("TIMEDIFF", 2, 2, timediff),
    ("USER", 0, 0, |c, _| Ok(Value::Str(format!("{}@{}", c.user, c.host)))),
    ("UTC_TIMESTAMP", 0, 1, |_, _| Ok(now())),
    ("VERSION", 0, 0, |c, _| Ok(c.vars.read(variables::lookup("version").expect("version is in the table")))),
];

fn function_def(name: &str) -> Option<&'static (&'static str, usize, usize, Eval)> {
    FUNCTIONS.iter().find(|(n, ..)| n.eq_ignore_ascii_case(name))
}

fn function_args(f: &Function) -> Option<Vec<&Expr>> {
    match &f.args {
        FunctionArguments::None => Some(Vec::new()),
        FunctionArguments::List(list) => list
            .args
            .iter()
            .map(|a| match a {
                FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e),
                _ => None,
            })
            .collect(),
        FunctionArguments::Subquery(_) => None,
    }
}

fn variable_of(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Identifier(i) if i.value.starts_with("@@") => Some(super::classify::normalise_var(&i.value)),
        Expr::CompoundIdentifier(parts) if parts.first().is_some_and(|p| p.value.starts_with("@@")) => {
            let joined: Vec<&str> = parts.iter().map(|p| p.value.as_str()).collect();
            Some(super::classify::normalise_var(&joined.join(".")))
        }
        _ => None,
    }
}

/// True when `expr` can be answered without Flink.
pub fn is_local(expr: &Expr) -> bool {
    match expr {
        Expr::Value(v) => matches!(
            v.value,
            SqlValue::Number(..) | SqlValue::SingleQuotedString(_) | SqlValue::DoubleQuotedString(_) | SqlValue::Null | SqlValue::Boolean(_)
        ),
        Expr::UnaryOp { op: UnaryOperator::Minus | UnaryOperator::Plus, expr } => matches!(expr.as_ref(), Expr::Value(_)) && is_local(expr),
        Expr::Function(f) => {
            let name = f.name.to_string();
            match (function_def(&name), function_args(f)) {
                (Some((_, min, max, _)), Some(args)) => (*min..=*max).contains(&args.len()) && args.iter().all(|a| is_local(a)),
                _ => false,
            }
        }
        other => variable_of(other).is_some(),
    }
}

/// A LIMIT's literal value.
pub fn as_u64(expr: &Expr) -> Option<u64> {
    match expr {
        Expr::Value(v) => match &v.value {
            SqlValue::Number(n, _) => n.parse().ok(),
            _ => None,
        },
        _ => None,
    }
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
            let (Some((_, _, _, eval_fn)), Some(args)) = (function_def(&name), function_args(f)) else {
                return Err(WeirError::NotSupported(format!("function {name} is not answered locally")));
            };
            let values = args.into_iter().map(|a| eval(ctx, a)).collect::<Result<Vec<_>, _>>()?;
            eval_fn(ctx, &values)
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

fn timediff(_: &ProbeContext<'_>, args: &[Value]) -> Result<Value, WeirError> {
    let (Some(a), Some(b)) = (parse_datetime(&args[0]), parse_datetime(&args[1])) else {
        return Ok(Value::Null);
    };
    let secs = (a - b).num_seconds();
    let sign = if secs < 0 { "-" } else { "" };
    let s = secs.unsigned_abs();
    Ok(Value::Str(format!("{sign}{:02}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)))
}

/// Weir's clock is UTC (`system_time_zone`), so only UTC-equivalent zones convert.
fn convert_tz(_: &ProbeContext<'_>, args: &[Value]) -> Result<Value, WeirError> {
    let utc = |v: &Value| matches!(v, Value::Str(s) if ["SYSTEM", "UTC", "+00:00", "GMT", "Etc/UTC"].contains(&s.as_str()));
    if utc(&args[1]) && utc(&args[2]) { Ok(args[0].clone()) } else { Ok(Value::Null) }
}
