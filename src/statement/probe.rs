//! Which expressions a client's probe SELECT (a SELECT without FROM) may hold for Weir to answer
//! it itself: literals, `@@variables`, and the probe functions of [`FUNCTIONS`] with their
//! arities. The session evaluates them (`session::probe`); anything else goes to Flink.

use sqlparser::ast::{Expr, Function, FunctionArg, FunctionArgExpr, FunctionArguments, UnaryOperator, Value as SqlValue};

/// The probe functions: name and arity range.
pub static FUNCTIONS: &[(&str, usize, usize)] = &[
    ("CONNECTION_ID", 0, 0),
    ("CONVERT_TZ", 3, 3),
    ("CURRENT_TIMESTAMP", 0, 1),
    ("CURRENT_USER", 0, 0),
    ("DATABASE", 0, 0),
    ("LAST_INSERT_ID", 0, 0),
    ("NOW", 0, 1),
    ("SCHEMA", 0, 0),
    ("SESSION_USER", 0, 0),
    ("SYSDATE", 0, 1),
    ("SYSTEM_USER", 0, 0),
    ("TIMEDIFF", 2, 2),
    ("USER", 0, 0),
    ("UTC_TIMESTAMP", 0, 1),
    ("VERSION", 0, 0),
];

/// The probe function called `name` (any case): its canonical name and arity range.
pub fn function(name: &str) -> Option<&'static (&'static str, usize, usize)> {
    FUNCTIONS.iter().find(|(n, ..)| n.eq_ignore_ascii_case(name))
}

/// A function call's plain positional arguments (`None` for named or subquery arguments).
pub fn function_args(f: &Function) -> Option<Vec<&Expr>> {
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

/// `@@x`, `@@session.x` → the variable's name (see [`normalise_var`]).
pub fn variable_of(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Identifier(i) if i.value.starts_with("@@") => Some(normalise_var(&i.value)),
        Expr::CompoundIdentifier(parts) if parts.first().is_some_and(|p| p.value.starts_with("@@")) => {
            let joined: Vec<&str> = parts.iter().map(|p| p.value.as_str()).collect();
            Some(normalise_var(&joined.join(".")))
        }
        _ => None,
    }
}

/// `@@session.x`, `@@x`, `SESSION x`, `x` → `x` (lower case, `weir.` prefix kept).
pub fn normalise_var(raw: &str) -> String {
    let s = raw.trim_start_matches('@').to_ascii_lowercase();
    for scope in ["session.", "local.", "global.", "persist."] {
        if let Some(rest) = s.strip_prefix(scope) {
            return rest.to_string();
        }
    }
    s
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
            match (function(&name), function_args(f)) {
                (Some((_, min, max)), Some(args)) => (*min..=*max).contains(&args.len()) && args.iter().all(|a| is_local(a)),
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
