//! Who answers a client's probe SELECT (a SELECT without FROM): the [`RULES`], first match wins.
//! The session answers a plain list of literals, `@@variables` and the probe functions of
//! [`FUNCTIONS`] itself (`session::probe`); a probe reading a system variable with any other
//! MySQL function (Metabase's time-zone probe: `TIME_FORMAT(TIMEDIFF(NOW(), CONVERT_TZ(…)))`)
//! goes to the metadata engine, which has MySQL's functions; anything else goes to Flink.

use std::ops::ControlFlow;

use sqlparser::ast::{Expr, Function, FunctionArg, FunctionArgExpr, FunctionArguments, UnaryOperator, Value as SqlValue, visit_expressions};

/// Who answers a SELECT without FROM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answerer {
    /// The session, from its own state: no engine, no Flink (pool validation queries).
    Session,
    /// Weir's metadata engine (DataFusion with MySQL's date, time and string functions).
    Engine,
}

/// A SELECT without FROM, as the rules see it.
pub struct ProbeSelect<'a> {
    pub items: &'a [&'a Expr],
    /// No WHERE, HAVING, DISTINCT, ORDER BY, and at most a literal LIMIT.
    pub plain: bool,
}

/// One rule: when it applies, and who then answers.
pub struct Rule {
    pub when: &'static str,
    pub applies: fn(&ProbeSelect<'_>) -> bool,
    pub answerer: Answerer,
}

/// The rules for a SELECT without FROM, first match wins; when none applies, Flink answers (a
/// `SELECT UPPER('a')` keeps Flink's semantics).
pub static RULES: &[Rule] = &[
    Rule {
        when: "a plain list of literals, @@variables and probe functions",
        applies: |p| p.plain && p.items.iter().all(|e| is_local(e)),
        answerer: Answerer::Session,
    },
    Rule {
        when: "it reads a system variable, whatever MySQL functions it uses",
        applies: |p| p.items.iter().any(|e| reads_variable(e)),
        answerer: Answerer::Engine,
    },
];

/// Who answers this SELECT without FROM (`None`: Flink).
pub fn answerer(select: &ProbeSelect<'_>) -> Option<Answerer> {
    RULES.iter().find(|r| (r.applies)(select)).map(|r| r.answerer)
}

/// Whether `expr` reads a `@@variable` anywhere.
pub fn reads_variable(expr: &Expr) -> bool {
    visit_expressions(expr, |e| if variable_of(e).is_some() { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }).is_break()
}

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
