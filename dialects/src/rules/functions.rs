//! Function calls: tables from a source function's name to the rule that writes its Flink form.
//!
//! Lookup order: the source dialect's own table ([`MYSQL`] or [`ORACLE`]), then [`COMMON`]
//! (functions both dialects share with Flink, possibly with argument conversions), then
//! [`FLINK_SAME`] (Flink built-ins passed through unchanged, some only on Flink 2.x). A name in
//! none of them is passed through with a note (it may be a function registered in the Flink
//! catalog). A rule sees the raw arguments and lowers what it needs, so it can read units,
//! formats and clauses as written.

use std::cell::Cell;
use std::collections::HashMap;
use std::sync::LazyLock;

use sqlparser::ast::{
    DuplicateTreatment, Expr as SqlExpr, Function, FunctionArg, FunctionArgExpr, FunctionArgumentClause,
    FunctionArguments, Value,
};

use crate::error::{Pos, TranslateError};
use crate::flink_ast::{BinOp, Expr, Func, Literal, Window};
use crate::lower::expr::{Amount, IntervalAmount, case_insensitive_pattern};
use crate::lower::query::object_idents;
use crate::lower::{Lowerer, TExpr};
use crate::rules::formats::{self, CaseFix, JavaFormat};
use crate::schema::FlinkType;
use crate::source_dialect::SourceDialect;

type Result<T> = std::result::Result<T, TranslateError>;

/// A rule: the call, to its Flink expression.
pub(crate) type Rule = fn(&mut Lowerer<'_>, &Call<'_>) -> Result<TExpr>;

/// A function call as a rule sees it.
pub(crate) struct Call<'s> {
    /// The function's name, upper case.
    pub name: String,
    /// Positional arguments as written.
    pub args: Vec<&'s SqlExpr>,
    /// `f(*)`.
    pub star: bool,
    /// `f(DISTINCT ...)`.
    pub distinct: bool,
    /// Where the call starts.
    pub pos: Pos,
    /// The lowered `OVER (...)`.
    pub window: Option<Window>,
    /// Clauses inside the parentheses (`ORDER BY`, `SEPARATOR`, ...).
    pub clauses: &'s [FunctionArgumentClause],
    /// The source call.
    pub func: &'s Function,
    window_used: Cell<bool>,
    distinct_used: Cell<bool>,
    clauses_used: Cell<bool>,
}

impl Call<'_> {
    /// Refuses a call with the wrong number of arguments.
    fn arity(&self, cx: &Lowerer<'_>, min: usize, max: usize) -> Result<()> {
        if self.args.len() < min || self.args.len() > max || self.star {
            return Err(cx.refuse(format!("{} with {} arguments", self.name, self.args.len()), self.pos));
        }
        Ok(())
    }

    /// An aggregate or window call: `name([DISTINCT] args) [OVER (...)]`.
    fn aggregate(&self, name: &str, args: Vec<Expr>) -> Expr {
        self.window_used.set(true);
        self.distinct_used.set(true);
        Expr::Func(Box::new(Func { name: name.to_string(), distinct: self.distinct, args, over: self.window.clone() }))
    }

    fn mark_clauses_used(&self) {
        self.clauses_used.set(true);
    }
}

/// A literal string argument (format models, units).
fn literal_text(e: &SqlExpr) -> Option<String> {
    match e {
        SqlExpr::Value(v) => match &v.value {
            Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) => Some(s.clone()),
            _ => None,
        },
        _ => None,
    }
}

fn lower_all(cx: &mut Lowerer<'_>, args: &[&SqlExpr]) -> Result<Vec<TExpr>> {
    args.iter().map(|a| cx.expr(a)).collect()
}

fn exprs(args: Vec<TExpr>) -> Vec<Expr> {
    args.into_iter().map(|t| t.expr).collect()
}

fn first_type(args: &[TExpr]) -> Option<FlinkType> {
    args.iter().find_map(|a| a.ty.clone().filter(|t| *t != FlinkType::Null))
}

impl Lowerer<'_> {
    /// Lowers a function call through the rule tables.
    pub fn function(&mut self, f: &Function, pos: Pos) -> Result<TExpr> {
        let idents = object_idents(&f.name);
        let name = idents.iter().map(|i| i.value.to_ascii_uppercase()).collect::<Vec<_>>().join(".");
        if f.uses_odbc_syntax || !matches!(f.parameters, FunctionArguments::None) {
            return Err(self.refuse(format!("{name} with this call syntax"), pos));
        }
        if f.filter.is_some() {
            return Err(self.refuse(format!("{name}(...) FILTER (WHERE ...)"), pos));
        }
        if f.null_treatment.is_some() {
            return Err(self.refuse(format!("{name}(...) IGNORE/RESPECT NULLS"), pos));
        }
        let (mut args, mut star, mut distinct, mut clauses): (Vec<&SqlExpr>, bool, bool, &[FunctionArgumentClause]) =
            (Vec::new(), false, false, &[]);
        match &f.args {
            FunctionArguments::None => {}
            FunctionArguments::Subquery(_) => return Err(self.refuse(format!("{name}(subquery)"), pos)),
            FunctionArguments::List(list) => {
                distinct = matches!(list.duplicate_treatment, Some(DuplicateTreatment::Distinct));
                clauses = &list.clauses;
                for a in &list.args {
                    match a {
                        FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => args.push(e),
                        FunctionArg::Unnamed(FunctionArgExpr::Wildcard) => star = true,
                        _ => return Err(self.refuse(format!("{name} with named or qualified-wildcard arguments"), pos)),
                    }
                }
            }
        }
        let window = match &f.over {
            Some(w) => Some(self.window(w, pos)?),
            None => None,
        };
        let call = Call {
            name: name.clone(),
            args,
            star,
            distinct,
            pos,
            window,
            clauses,
            func: f,
            window_used: Cell::new(false),
            distinct_used: Cell::new(false),
            clauses_used: Cell::new(false),
        };
        let rule = rule_for(self.dialect, &name);
        let result = match rule {
            Some(rule) => rule(self, &call)?,
            None => match FLINK_SAME.iter().find(|(n, _)| *n == name) {
                Some((_, since_2)) => {
                    if *since_2 && !self.target.has_2x_functions() {
                        return Err(self.refuse(format!("{name} on Flink {} (it needs Flink 2.0 or later)", self.target), pos));
                    }
                    same(self, &call)?
                }
                None => {
                    self.note(pos, format!("{name} is not a Flink built-in function: passed through unchanged"));
                    same(self, &call)?
                }
            },
        };
        if call.window.is_some() && !call.window_used.get() {
            return Err(self.refuse(format!("{name}(...) OVER (...)"), pos));
        }
        if call.distinct && !call.distinct_used.get() {
            return Err(self.refuse(format!("{name}(DISTINCT ...)"), pos));
        }
        if !call.clauses.is_empty() && !call.clauses_used.get() {
            return Err(self.refuse(format!("{name} with ORDER BY, SEPARATOR or similar clauses"), pos));
        }
        if !f.within_group.is_empty() && !call.clauses_used.get() {
            return Err(self.refuse(format!("{name}(...) WITHIN GROUP (ORDER BY ...)"), pos));
        }
        Ok(result)
    }
}

/// The rule for `name` in `dialect`, if any table has one.
fn rule_for(dialect: SourceDialect, name: &str) -> Option<Rule> {
    static MY: LazyLock<HashMap<&'static str, Rule>> = LazyLock::new(|| MYSQL.iter().copied().collect());
    static ORA: LazyLock<HashMap<&'static str, Rule>> = LazyLock::new(|| ORACLE.iter().copied().collect());
    static COM: LazyLock<HashMap<&'static str, Rule>> = LazyLock::new(|| COMMON.iter().copied().collect());
    let own = match dialect {
        SourceDialect::MySql => &*MY,
        SourceDialect::Oracle => &*ORA,
    };
    own.get(name).or_else(|| COM.get(name)).copied()
}

// ------------------------------------------------------------------------------------------------
// Generic rules
// ------------------------------------------------------------------------------------------------

/// The same function under the same name, arguments lowered as they are.
fn same(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    let args = if c.star { vec![Expr::Star] } else { exprs(lower_all(cx, &c.args)?) };
    let name = c.name.clone();
    if c.window.is_some() || c.distinct {
        return Ok(TExpr::untyped(c.aggregate(&name, args)));
    }
    Ok(TExpr::untyped(Expr::func(&name, args)))
}

/// Defines a rule that renames a function, keeping its arguments, with a result type.
macro_rules! rename {
    ($fn_name:ident, $flink:expr, $ty:expr) => {
        fn $fn_name(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
            let args = exprs(lower_all(cx, &c.args)?);
            let ty: Option<FlinkType> = $ty;
            Ok(TExpr::with(Expr::func($flink, args), ty))
        }
    };
}

/// Defines a rule for a string function: its first `n` arguments are converted to strings.
macro_rules! string_fn {
    ($fn_name:ident, $flink:expr, $strings:expr, $ty:expr) => {
        fn $fn_name(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
            let mut args = Vec::new();
            for (i, a) in c.args.iter().enumerate() {
                let t = cx.expr(a)?;
                args.push(if i < $strings { cx.stringified(t) } else { t.expr });
            }
            let ty: Option<FlinkType> = $ty;
            Ok(TExpr::with(Expr::func($flink, args), ty))
        }
    };
}

rename!(ceil, "CEIL", None);
rename!(power, "POWER", Some(FlinkType::Double));
rename!(rand, "RAND", Some(FlinkType::Double));
rename!(uuid, "UUID", Some(FlinkType::String));
string_fn!(upper, "UPPER", 1, Some(FlinkType::String));
string_fn!(lower, "LOWER", 1, Some(FlinkType::String));
string_fn!(initcap, "INITCAP", 1, Some(FlinkType::String));
string_fn!(reverse, "REVERSE", 1, Some(FlinkType::String));
string_fn!(repeat, "REPEAT", 1, Some(FlinkType::String));
string_fn!(ascii, "ASCII", 1, Some(FlinkType::Int));
string_fn!(left, "LEFT", 1, Some(FlinkType::String));
string_fn!(right, "RIGHT", 1, Some(FlinkType::String));
string_fn!(md5, "MD5", 1, Some(FlinkType::String));
string_fn!(sha1, "SHA1", 1, Some(FlinkType::String));
string_fn!(sha2, "SHA2", 1, Some(FlinkType::String));
string_fn!(to_base64, "TO_BASE64", 1, Some(FlinkType::String));
string_fn!(char_length, "CHAR_LENGTH", 1, Some(FlinkType::Int));
string_fn!(rtrim1, "RTRIM", 1, Some(FlinkType::String));
string_fn!(ltrim1, "LTRIM", 1, Some(FlinkType::String));
rename!(chr, "CHR", Some(FlinkType::String));

fn coalesce(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 1, usize::MAX)?;
    if c.name != "COALESCE" {
        cx.note(c.pos, format!("{} became COALESCE", c.name));
    }
    let args = lower_all(cx, &c.args)?;
    let ty = first_type(&args);
    Ok(TExpr::with(Expr::func("COALESCE", exprs(args)), ty))
}

fn same_typed_as_first(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    let args = lower_all(cx, &c.args)?;
    let ty = first_type(&args);
    Ok(TExpr::with(Expr::func(&c.name, exprs(args)), ty))
}

fn numeric(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    let args = lower_all(cx, &c.args)?;
    let ty = first_type(&args);
    let name = match c.name.as_str() {
        "CEILING" => "CEIL",
        n => n,
    };
    Ok(TExpr::with(Expr::func(name, exprs(args)), ty))
}

fn double_fn(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    let args = lower_all(cx, &c.args)?;
    Ok(TExpr::new(Expr::func(&c.name, exprs(args)), FlinkType::Double))
}

fn round(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 1, 2)?;
    let args = lower_all(cx, &c.args)?;
    if cx.oracle() && args[0].is(FlinkType::is_datetime) {
        return Err(cx.refuse("ROUND of a date", c.pos));
    }
    let ty = args[0].ty.clone();
    Ok(TExpr::with(Expr::func("ROUND", exprs(args)), ty))
}

fn modulo(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 2, 2)?;
    let mut args = lower_all(cx, &c.args)?.into_iter();
    let (Some(a), Some(b)) = (args.next(), args.next()) else { return Err(cx.refuse("MOD", c.pos)) };
    let t = cx.modulo(a, b);
    Ok(match t.expr {
        Expr::Binary { left, op: BinOp::Modulo, right } => TExpr::with(Expr::func("MOD", vec![*left, *right]), t.ty),
        other => TExpr::with(other, t.ty),
    })
}

fn count(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    let args = if c.star { vec![Expr::Star] } else { exprs(lower_all(cx, &c.args)?) };
    Ok(TExpr::new(c.aggregate("COUNT", args), FlinkType::BigInt))
}

fn min_max(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 1, 1)?;
    let args = lower_all(cx, &c.args)?;
    let ty = args[0].ty.clone();
    Ok(TExpr::with(c.aggregate(&c.name, exprs(args)), ty))
}

/// SUM of integers: MySQL's is an exact DECIMAL that never overflows (`SUM` of BIGINTs past
/// 2^63 is still right), Flink's keeps the integer type and wraps around. Summed as
/// `DECIMAL(38, 0)` in MySQL sessions; Oracle's integers are already NUMBER (DECIMAL).
fn sum(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 1, 1)?;
    let arg = cx.expr(c.args[0])?;
    if cx.mysql() && arg.ty.as_ref().is_some_and(FlinkType::is_integer) {
        let exact = FlinkType::Decimal(38, 0);
        return Ok(TExpr::new(c.aggregate("SUM", vec![arg.expr.cast(exact.clone())]), exact));
    }
    let ty = arg.ty.clone();
    Ok(TExpr::with(c.aggregate("SUM", vec![arg.expr]), ty))
}

/// AVG of exact numbers: MySQL's result has the argument's scale + 4 digits, Oracle's is exact;
/// Flink averages integers as integers.
fn avg(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 1, 1)?;
    let arg = cx.expr(c.args[0])?;
    match arg.ty.as_ref().and_then(FlinkType::scale) {
        Some(s) if cx.mysql() => {
            let scale = s.saturating_add(4).min(30);
            let inner = c.aggregate("AVG", vec![arg.expr.cast(FlinkType::Decimal(38, scale))]);
            Ok(TExpr::new(inner.cast(FlinkType::Decimal(38, scale)), FlinkType::Decimal(38, scale)))
        }
        Some(0) => {
            let inner = c.aggregate("AVG", vec![arg.expr.cast(FlinkType::Decimal(38, 10))]);
            Ok(TExpr::new(inner, FlinkType::Decimal(38, 10)))
        }
        _ => {
            let ty = arg.ty.clone();
            Ok(TExpr::with(c.aggregate("AVG", vec![arg.expr]), ty))
        }
    }
}

/// Defines a statistics aggregate renamed by dialect meaning (MySQL's STDDEV is the population
/// deviation, Oracle's the sample one).
fn statistics(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 1, 1)?;
    let name = match (c.name.as_str(), cx.dialect) {
        ("STD" | "STDDEV", SourceDialect::MySql) => "STDDEV_POP",
        ("STDDEV", SourceDialect::Oracle) => "STDDEV_SAMP",
        ("VARIANCE", SourceDialect::MySql) => "VAR_POP",
        ("VARIANCE", SourceDialect::Oracle) => "VAR_SAMP",
        (n, _) => n,
    };
    let name = name.to_string();
    let arg = cx.expr(c.args[0])?;
    // Integer input would make Flink compute in integers.
    let arg = if arg.is(FlinkType::is_exact_numeric) { arg.expr.cast(FlinkType::Double) } else { arg.expr };
    Ok(TExpr::new(c.aggregate(&name, vec![arg]), FlinkType::Double))
}

fn window_fn(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    if c.window.is_none() {
        return Err(cx.refuse(format!("{} without OVER", c.name), c.pos));
    }
    let args = lower_all(cx, &c.args)?;
    let ty = match c.name.as_str() {
        "ROW_NUMBER" | "RANK" | "DENSE_RANK" | "NTILE" => Some(FlinkType::BigInt),
        "PERCENT_RANK" | "CUME_DIST" => Some(FlinkType::Double),
        _ => first_type(&args),
    };
    Ok(TExpr::with(c.aggregate(&c.name, exprs(args)), ty))
}

fn nullif(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 2, 2)?;
    let mut args = lower_all(cx, &c.args)?.into_iter();
    let (Some(a), Some(b)) = (args.next(), args.next()) else { return Err(cx.refuse("NULLIF", c.pos)) };
    let (a, b) = cx.coerce_pair(a, b);
    let ty = a.ty.clone();
    Ok(TExpr::with(Expr::func("NULLIF", vec![a.expr, b.expr]), ty))
}

// ------------------------------------------------------------------------------------------------
// Conditionals
// ------------------------------------------------------------------------------------------------

/// MySQL `IF(c, a, b)` → `CASE WHEN c THEN a ELSE b END`.
fn if_to_case(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 3, 3)?;
    let cond = cx.condition(c.args[0])?;
    let a = cx.expr(c.args[1])?;
    let b = cx.expr(c.args[2])?;
    let ty = first_type(&[a.clone(), b.clone()]);
    Ok(TExpr::with(Expr::case(vec![(cond, a.expr)], Some(b.expr)), ty))
}

/// MySQL `ISNULL(x)` → `x IS NULL`.
fn isnull(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 1, 1)?;
    let x = cx.expr(c.args[0])?;
    Ok(TExpr::new(x.expr.is_null(false), FlinkType::Boolean))
}

/// Oracle `NVL2(x, a, b)` → `CASE WHEN x IS NOT NULL THEN a ELSE b END`.
fn nvl2(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 3, 3)?;
    let x = cx.expr(c.args[0])?;
    let a = cx.expr(c.args[1])?;
    let b = cx.expr(c.args[2])?;
    let ty = first_type(&[a.clone(), b.clone()]);
    Ok(TExpr::with(Expr::case(vec![(x.expr.is_null(true), a.expr)], Some(b.expr)), ty))
}

/// Oracle `DECODE(e, s1, r1, ..., [default])` → CASE, matching NULL with NULL as Oracle does:
/// `e IS NULL` for a NULL search, `e = s` for other literals, `e IS NOT DISTINCT FROM s` for
/// expressions. Never passed through: Flink's DECODE decodes bytes.
fn decode(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    if c.args.len() < 3 || c.star {
        return Err(cx.refuse("DECODE with fewer than 3 arguments", c.pos));
    }
    let subject = cx.expr(c.args[0])?;
    let mut whens = Vec::new();
    let mut ty = None;
    let mut rest = &c.args[1..];
    while rest.len() >= 2 {
        let search = cx.expr(rest[0])?;
        let result = cx.expr(rest[1])?;
        ty = ty.or(result.ty.clone().filter(|t| *t != FlinkType::Null));
        let s = cx.repeat(&subject.expr, c.pos)?;
        let null_search = matches!(search.expr, Expr::Literal(Literal::Null))
            || matches!(&search.expr, Expr::Cast { expr, .. } if matches!(**expr, Expr::Literal(Literal::Null)));
        let test = if null_search {
            s.is_null(false)
        } else if search.expr.is_literal() {
            Expr::binary(s, BinOp::Eq, search.expr)
        } else {
            Expr::IsDistinctFrom { left: Box::new(s), right: Box::new(search.expr), negated: true }
        };
        whens.push((test, result.expr));
        rest = &rest[2..];
    }
    let otherwise = match rest.first() {
        Some(d) => {
            let d = cx.expr(d)?;
            ty = ty.or(d.ty.clone().filter(|t| *t != FlinkType::Null));
            Some(d.expr)
        }
        None => None,
    };
    cx.note(c.pos, "DECODE became CASE (Flink's DECODE decodes bytes)");
    Ok(TExpr::with(Expr::case(whens, otherwise), ty))
}

// ------------------------------------------------------------------------------------------------
// Strings
// ------------------------------------------------------------------------------------------------

/// MySQL `CONCAT`: NULL if any argument is NULL, as in Flink; numbers and dates converted.
fn my_concat(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 1, usize::MAX)?;
    let mut args = Vec::new();
    for a in &c.args {
        let t = cx.expr(a)?;
        args.push(cx.stringified(t));
    }
    Ok(TExpr::new(Expr::func("CONCAT", args), FlinkType::String))
}

/// Oracle `CONCAT(a, b)`: as `a || b`.
fn ora_concat(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 2, 2)?;
    let args = lower_all(cx, &c.args)?;
    cx.oracle_concat(args, c.pos)
}

fn concat_ws(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 2, usize::MAX)?;
    let mut args = Vec::new();
    for a in &c.args {
        let t = cx.expr(a)?;
        args.push(cx.stringified(t));
    }
    Ok(TExpr::new(Expr::func("CONCAT_WS", args), FlinkType::String))
}

/// MySQL `LENGTH` counts bytes (UTF-8): characters, plus one per character past U+007F, plus
/// one more per character past U+07FF.
fn my_length(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 1, 1)?;
    let t = cx.expr(c.args[0])?;
    let s = cx.stringified(t);
    let s2 = cx.repeat(&s, c.pos)?;
    let s3 = cx.repeat(&s, c.pos)?;
    let count_beyond = |e: Expr, class: &str| {
        Expr::func("CHAR_LENGTH", vec![Expr::func("REGEXP_REPLACE", vec![e, Expr::string(class), Expr::string("")])])
    };
    let bytes = Expr::binary(
        Expr::binary(Expr::func("CHAR_LENGTH", vec![s]), BinOp::Plus, count_beyond(s2, r"[\x{0}-\x{7F}]")),
        BinOp::Plus,
        count_beyond(s3, r"[\x{0}-\x{7FF}]"),
    );
    cx.note(c.pos, "LENGTH counts bytes in MySQL: written as characters plus extra UTF-8 bytes");
    Ok(TExpr::new(bytes, FlinkType::Int))
}

/// Oracle `LENGTH` counts characters.
fn ora_length(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 1, 1)?;
    let t = cx.expr(c.args[0])?;
    let s = cx.stringified(t);
    Ok(TExpr::new(Expr::func("CHAR_LENGTH", vec![s]), FlinkType::Int))
}

/// MySQL `INSTR(s, sub)`, case-insensitive under MySQL's collation.
fn my_instr(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 2, 2)?;
    let s = cx.expr(c.args[0])?;
    let sub = cx.expr(c.args[1])?;
    let (s, sub) = cx.case_insensitive_pair(s, sub);
    let (s, sub) = (cx.stringified(s), cx.stringified(sub));
    Ok(TExpr::new(Expr::func("INSTR", vec![s, sub]), FlinkType::Int))
}

/// MySQL `LOCATE(sub, s[, pos])`, case-insensitive under MySQL's collation.
fn my_locate(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 2, 3)?;
    let sub = cx.expr(c.args[0])?;
    let s = cx.expr(c.args[1])?;
    let (sub, s) = cx.case_insensitive_pair(sub, s);
    let mut args = vec![cx.stringified(sub), cx.stringified(s)];
    if let Some(p) = c.args.get(2) {
        args.push(cx.expr(p)?.expr);
    }
    Ok(TExpr::new(Expr::func("LOCATE", args), FlinkType::Int))
}

/// Oracle `INSTR(s, sub[, pos[, occurrence]])`: the forms Flink can say.
fn ora_instr(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 2, 4)?;
    let s = cx.string_arg(c.args[0])?;
    let sub = cx.string_arg(c.args[1])?;
    if c.args.len() == 2 {
        return Ok(TExpr::new(Expr::func("INSTR", vec![s, sub]), FlinkType::Int));
    }
    let pos = cx.expr(c.args[2])?;
    let occurrence = match c.args.get(3) {
        Some(o) => cx.expr(o)?.integer_literal(),
        None => Some(1),
    };
    match (pos.integer_literal(), occurrence) {
        (Some(p), Some(1)) if p > 0 => Ok(TExpr::new(Expr::func("LOCATE", vec![sub, s, pos.expr]), FlinkType::Int)),
        _ => Err(cx.refuse("INSTR from the end or of a later occurrence", c.pos)),
    }
}

/// `LPAD`/`RPAD`; Oracle's two-argument form pads with blanks.
fn pad(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 2, 3)?;
    let s = cx.string_arg(c.args[0])?;
    let n = cx.expr(c.args[1])?.expr;
    let fill = match c.args.get(2) {
        Some(f) => cx.string_arg(f)?,
        None => Expr::string(" "),
    };
    Ok(TExpr::new(Expr::func(&c.name, vec![s, n, fill]), FlinkType::String))
}

/// `LTRIM`/`RTRIM`; the two-argument (character set) form needs Flink 2.x.
fn trim_side(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 1, 2)?;
    if c.args.len() == 2 && !cx.target.has_2x_functions() {
        return Err(cx.refuse(format!("{}(string, characters) on Flink {} (it needs Flink 2.0 or later)", c.name, cx.target), c.pos));
    }
    if c.args.len() == 1 {
        return if c.name == "LTRIM" { ltrim1(cx, c) } else { rtrim1(cx, c) };
    }
    let s = cx.string_arg(c.args[0])?;
    let set = cx.string_arg(c.args[1])?;
    Ok(TExpr::new(Expr::func(&c.name, vec![s, set]), FlinkType::String))
}

/// `REPLACE`; Oracle's two-argument form, and a NULL (`''`) replacement, remove the text.
fn replace(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 2, 3)?;
    let s = cx.string_arg(c.args[0])?;
    let from = cx.string_arg(c.args[1])?;
    let to = match c.args.get(2) {
        Some(t) => {
            let t = cx.expr(t)?;
            let is_null = matches!(&t.expr, Expr::Cast { expr, .. } if matches!(**expr, Expr::Literal(Literal::Null)))
                || matches!(t.expr, Expr::Literal(Literal::Null));
            if cx.oracle() && is_null { Expr::string("") } else { cx.stringified(t) }
        }
        None => Expr::string(""),
    };
    Ok(TExpr::new(Expr::func("REPLACE", vec![s, from, to]), FlinkType::String))
}

fn substring(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 2, 3)?;
    let start = cx.expr(c.args[1])?;
    cx.substring_start_note(&start, c.pos);
    let s = cx.string_arg(c.args[0])?;
    let mut args = vec![s, start.expr];
    if let Some(n) = c.args.get(2) {
        args.push(cx.expr(n)?.expr);
    }
    Ok(TExpr::new(Expr::func("SUBSTR", args), FlinkType::String))
}

/// MySQL `SUBSTRING_INDEX(s, delim, 1)` → `SPLIT_INDEX(s, delim, 0)`.
fn substring_index(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 3, 3)?;
    let s = cx.string_arg(c.args[0])?;
    let d = cx.string_arg(c.args[1])?;
    let n = cx.expr(c.args[2])?;
    if n.integer_literal() != Some(1) {
        return Err(cx.refuse("SUBSTRING_INDEX with a count other than 1", c.pos));
    }
    Ok(TExpr::new(Expr::func("SPLIT_INDEX", vec![s, d, Expr::number(0)]), FlinkType::String))
}

/// MySQL `SPACE(n)` → `REPEAT(' ', n)`.
fn space(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 1, 1)?;
    let n = cx.expr(c.args[0])?.expr;
    Ok(TExpr::new(Expr::func("REPEAT", vec![Expr::string(" "), n]), FlinkType::String))
}

/// MySQL `CHAR(n)` (one code) → `CHR(n)`.
fn my_char(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    if c.args.len() != 1 {
        return Err(cx.refuse("CHAR with several codes", c.pos));
    }
    chr(cx, c)
}

/// MySQL `GROUP_CONCAT([DISTINCT] x [SEPARATOR s])` → `LISTAGG([DISTINCT] x, s)`. An ORDER BY is
/// refused: Flink's LISTAGG cannot order.
fn group_concat(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.mark_clauses_used();
    let mut separator = Expr::string(",");
    for clause in c.clauses {
        match clause {
            FunctionArgumentClause::Separator(v) => match &v.value {
                Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) => separator = Expr::string(s.clone()),
                other => return Err(cx.refuse(format!("GROUP_CONCAT SEPARATOR {other}"), c.pos)),
            },
            FunctionArgumentClause::OrderBy(_) => {
                return Err(cx.refuse("GROUP_CONCAT(... ORDER BY ...) (Flink's LISTAGG cannot order)", c.pos));
            }
            other => return Err(cx.refuse(format!("GROUP_CONCAT with {other}"), c.pos)),
        }
    }
    if c.args.is_empty() || c.star {
        return Err(cx.refuse("GROUP_CONCAT without arguments", c.pos));
    }
    let mut parts = Vec::new();
    for a in &c.args {
        let t = cx.expr(a)?;
        parts.push(cx.stringified(t));
    }
    let value = if parts.len() == 1 { parts.remove(0) } else { Expr::func("CONCAT", parts) };
    cx.note(c.pos, "GROUP_CONCAT became LISTAGG");
    Ok(TExpr::new(c.aggregate("LISTAGG", vec![value, separator]), FlinkType::String))
}

/// Oracle `LISTAGG(x[, sep])`; `WITHIN GROUP (ORDER BY ...)` is refused (no ordering in Flink).
fn listagg(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    if !c.func.within_group.is_empty() || c.clauses.iter().any(|cl| matches!(cl, FunctionArgumentClause::OrderBy(_))) {
        return Err(cx.refuse("LISTAGG ... WITHIN GROUP (ORDER BY ...) (Flink's LISTAGG cannot order)", c.pos));
    }
    c.arity(cx, 1, 2)?;
    let t = cx.expr(c.args[0])?;
    let value = cx.oracle_text(t);
    let mut args = vec![value];
    if let Some(s) = c.args.get(1) {
        args.push(cx.expr(s)?.expr);
    } else {
        args.push(Expr::string(""));
    }
    Ok(TExpr::new(c.aggregate("LISTAGG", args), FlinkType::String))
}

fn regexp_like(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 2, 3)?;
    let s = cx.expr(c.args[0])?;
    let p = cx.expr(c.args[1])?;
    let flags = match c.args.get(2) {
        Some(f) => Some(literal_text(f).ok_or_else(|| cx.refuse("REGEXP_LIKE with computed match flags", c.pos))?),
        None if cx.oracle() => Some("c".to_string()),
        None => None,
    };
    Ok(TExpr::new(cx.regexp_call(s, p, flags.as_deref(), c.pos)?, FlinkType::Boolean))
}

fn regexp_replace(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    if cx.oracle() { c.arity(cx, 2, 3)? } else { c.arity(cx, 3, 3)? }
    let s = cx.string_arg(c.args[0])?;
    let p = cx.expr(c.args[1])?.expr;
    let p = if cx.mysql() && cx.options.mysql_case_insensitive { case_insensitive_pattern(p) } else { p };
    let r = match c.args.get(2) {
        Some(r) => {
            let r = cx.expr(r)?;
            if matches!(&r.expr, Expr::Cast { expr, .. } if matches!(**expr, Expr::Literal(Literal::Null))) {
                Expr::string("")
            } else {
                r.expr
            }
        }
        None => Expr::string(""),
    };
    Ok(TExpr::new(Expr::func("REGEXP_REPLACE", vec![s, p, r]), FlinkType::String))
}

/// `REGEXP_SUBSTR(s, p)`: Flink 2.x has it; on 1.20 `REGEXP_EXTRACT(s, p, 0)` is the same.
fn regexp_substr(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 2, 2)?;
    let s = cx.string_arg(c.args[0])?;
    let p = cx.expr(c.args[1])?.expr;
    let p = if cx.mysql() && cx.options.mysql_case_insensitive { case_insensitive_pattern(p) } else { p };
    if cx.target.has_2x_functions() {
        return Ok(TExpr::new(Expr::func("REGEXP_SUBSTR", vec![s, p]), FlinkType::String));
    }
    Ok(TExpr::new(Expr::func("REGEXP_EXTRACT", vec![s, p, Expr::number(0)]), FlinkType::String))
}

/// Two-argument `REGEXP_INSTR` / `REGEXP_COUNT`: Flink 2.x only.
fn regexp_2x(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 2, 2)?;
    if !cx.target.has_2x_functions() {
        return Err(cx.refuse(format!("{} on Flink {} (it needs Flink 2.0 or later)", c.name, cx.target), c.pos));
    }
    let s = cx.string_arg(c.args[0])?;
    let p = cx.expr(c.args[1])?.expr;
    let p = if cx.mysql() && cx.options.mysql_case_insensitive { case_insensitive_pattern(p) } else { p };
    Ok(TExpr::new(Expr::func(&c.name, vec![s, p]), FlinkType::Int))
}

/// Oracle `TRANSLATE(s, from, to)`: Flink 2.x only.
fn translate_fn(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 3, 3)?;
    if !cx.target.has_2x_functions() {
        return Err(cx.refuse(format!("TRANSLATE on Flink {} (it needs Flink 2.0 or later)", cx.target), c.pos));
    }
    let args = vec![cx.string_arg(c.args[0])?, cx.string_arg(c.args[1])?, cx.string_arg(c.args[2])?];
    Ok(TExpr::new(Expr::func("TRANSLATE", args), FlinkType::String))
}

/// `ELT(n, ...)`: Flink 2.x only.
fn elt(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    if !cx.target.has_2x_functions() {
        return Err(cx.refuse(format!("ELT on Flink {} (it needs Flink 2.0 or later)", cx.target), c.pos));
    }
    let args = exprs(lower_all(cx, &c.args)?);
    Ok(TExpr::new(Expr::func("ELT", args), FlinkType::String))
}

/// Oracle `MEDIAN(x)` → Flink 2.x `PERCENTILE(x, 0.5)`.
fn median(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 1, 1)?;
    if !cx.target.has_2x_functions() {
        return Err(cx.refuse(format!("MEDIAN on Flink {} (PERCENTILE needs Flink 2.0 or later)", cx.target), c.pos));
    }
    let x = cx.expr(c.args[0])?.expr;
    Ok(TExpr::new(c.aggregate("PERCENTILE", vec![x, Expr::number("0.5")]), FlinkType::Double))
}

/// `JSON_UNQUOTE(JSON_EXTRACT(j, path))` and `j->>path` → `JSON_VALUE(j, path)`.
fn json_unquote(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 1, 1)?;
    if let SqlExpr::Function(inner) = c.args[0]
        && inner.name.to_string().eq_ignore_ascii_case("JSON_EXTRACT")
            && let FunctionArguments::List(list) = &inner.args
                && let [FunctionArg::Unnamed(FunctionArgExpr::Expr(j)), FunctionArg::Unnamed(FunctionArgExpr::Expr(p))] = list.args.as_slice() {
                    let j = cx.expr(j)?.expr;
                    let p = cx.expr(p)?.expr;
                    return Ok(TExpr::new(Expr::func("JSON_VALUE", vec![j, p]), FlinkType::String));
                }
    Err(cx.refuse("JSON_UNQUOTE (other than around JSON_EXTRACT)", c.pos))
}

// ------------------------------------------------------------------------------------------------
// Dates and times
// ------------------------------------------------------------------------------------------------

/// MySQL `NOW()` and its synonyms: the local date-time, without fractions.
fn my_now(_cx: &mut Lowerer<'_>, _c: &Call<'_>) -> Result<TExpr> {
    Ok(TExpr::new(Expr::Keyword("LOCALTIMESTAMP").cast(FlinkType::Timestamp(0)), FlinkType::Timestamp(0)))
}

fn current_date(_cx: &mut Lowerer<'_>, _c: &Call<'_>) -> Result<TExpr> {
    Ok(TExpr::new(Expr::Keyword("CURRENT_DATE"), FlinkType::Date))
}

fn current_time(_cx: &mut Lowerer<'_>, _c: &Call<'_>) -> Result<TExpr> {
    Ok(TExpr::new(Expr::Keyword("LOCALTIME"), FlinkType::Time(0)))
}

/// Oracle `CURRENT_DATE` (a date with a time of day) and `SYSDATE`.
fn ora_sysdate(_cx: &mut Lowerer<'_>, _c: &Call<'_>) -> Result<TExpr> {
    Ok(TExpr::new(Expr::Keyword("LOCALTIMESTAMP").cast(FlinkType::Timestamp(0)), FlinkType::Timestamp(0)))
}

fn ora_current_timestamp(_cx: &mut Lowerer<'_>, _c: &Call<'_>) -> Result<TExpr> {
    Ok(TExpr::new(Expr::Keyword("CURRENT_TIMESTAMP"), FlinkType::TimestampLtz(3)))
}

fn localtimestamp(_cx: &mut Lowerer<'_>, _c: &Call<'_>) -> Result<TExpr> {
    Ok(TExpr::new(Expr::Keyword("LOCALTIMESTAMP"), FlinkType::Timestamp(3)))
}

/// `YEAR(d)`, `MONTH(d)`, ...: the same Flink function, on a date argument.
fn date_part(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 1, 1)?;
    let d = cx.temporal_arg(c.args[0])?;
    let name = match c.name.as_str() {
        "DAY" => "DAYOFMONTH",
        n => n,
    };
    Ok(TExpr::new(Expr::func(name, vec![d.expr]), FlinkType::BigInt))
}

/// MySQL `WEEK(d, mode)`: only ISO weeks (mode 3), which are Flink's `WEEK`.
fn my_week(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 1, 2)?;
    let iso = c.name == "WEEKOFYEAR" || c.args.get(1).and_then(|m| literal_number(m)) == Some(3);
    if !iso {
        return Err(cx.refuse(format!("{} in week mode other than 3 (ISO weeks)", c.name), c.pos));
    }
    let d = cx.temporal_arg(c.args[0])?;
    Ok(TExpr::new(Expr::func("WEEK", vec![d.expr]), FlinkType::BigInt))
}

fn literal_number(e: &SqlExpr) -> Option<i64> {
    match e {
        SqlExpr::Value(v) => match &v.value {
            Value::Number(n, _) => n.parse().ok(),
            _ => None,
        },
        _ => None,
    }
}

/// MySQL `WEEKDAY(d)` (0 = Monday) → `MOD(DAYOFWEEK(d) + 5, 7)`.
fn weekday(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 1, 1)?;
    let d = cx.temporal_arg(c.args[0])?;
    let dow = Expr::func("DAYOFWEEK", vec![d.expr]);
    Ok(TExpr::new(Expr::func("MOD", vec![Expr::binary(dow, BinOp::Plus, Expr::number(5)), Expr::number(7)]), FlinkType::BigInt))
}

/// A value `DATE_FORMAT` accepts: timestamps as they are, dates as timestamps.
fn as_timestamp(t: TExpr) -> Expr {
    match &t.ty {
        Some(FlinkType::Date) => t.expr.cast(FlinkType::Timestamp(0)),
        _ => t.expr,
    }
}

/// `DATE_FORMAT(ts, pattern)` with a case fix.
fn formatted(value: Expr, f: &JavaFormat) -> Expr {
    let e = Expr::func("DATE_FORMAT", vec![value, Expr::string(f.pattern.clone())]);
    match f.case {
        CaseFix::None => e,
        CaseFix::Upper => Expr::func("UPPER", vec![e]),
        CaseFix::Lower => Expr::func("LOWER", vec![e]),
    }
}

/// MySQL `DAYNAME(d)` / `MONTHNAME(d)`.
fn day_month_name(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 1, 1)?;
    let d = cx.temporal_arg(c.args[0])?;
    let pattern = if c.name == "DAYNAME" { "EEEE" } else { "MMMM" };
    let f = JavaFormat { pattern: pattern.into(), case: CaseFix::None, has_time: false, has_names: true };
    Ok(TExpr::new(formatted(as_timestamp(d), &f), FlinkType::String))
}

/// MySQL `DATE_FORMAT(d, fmt)` / `TIME_FORMAT`: the format converted to a Java pattern.
fn my_date_format(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 2, 2)?;
    let fmt = literal_text(c.args[1]).ok_or_else(|| cx.refuse(format!("{} with a computed format", c.name), c.pos))?;
    let f = formats::mysql_to_java(&fmt).map_err(|e| cx.refuse(e, c.pos))?;
    let d = cx.temporal_arg(c.args[0])?;
    let value = if c.name == "TIME_FORMAT" && d.ty == Some(FlinkType::Time(0)) {
        return Err(cx.refuse("TIME_FORMAT of a TIME value", c.pos));
    } else {
        as_timestamp(d)
    };
    Ok(TExpr::new(formatted(value, &f), FlinkType::String))
}

/// MySQL `STR_TO_DATE(s, fmt)`: `TO_TIMESTAMP` when the format has a time, else `TO_DATE`.
fn str_to_date(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 2, 2)?;
    let fmt = literal_text(c.args[1]).ok_or_else(|| cx.refuse("STR_TO_DATE with a computed format", c.pos))?;
    let f = formats::mysql_to_java(&fmt).map_err(|e| cx.refuse(e, c.pos))?;
    let s = cx.string_arg(c.args[0])?;
    if f.has_names {
        cx.note(c.pos, "month and day names are parsed case-sensitively by Flink");
    }
    Ok(if f.has_time {
        TExpr::new(Expr::func("TO_TIMESTAMP", vec![s, Expr::string(f.pattern)]), FlinkType::Timestamp(3))
    } else {
        TExpr::new(Expr::func("TO_DATE", vec![s, Expr::string(f.pattern)]), FlinkType::Date)
    })
}

/// MySQL `DATE(x)` → `CAST(x AS DATE)`.
fn my_date(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 1, 1)?;
    let d = cx.temporal_arg(c.args[0])?;
    Ok(match d.ty {
        Some(FlinkType::Date) => d,
        _ => TExpr::new(d.expr.cast(FlinkType::Date), FlinkType::Date),
    })
}

/// MySQL `TIME(x)` → `CAST(x AS TIME(0))`.
fn my_time(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 1, 1)?;
    let d = cx.temporal_arg(c.args[0])?;
    Ok(TExpr::new(d.expr.cast(FlinkType::Time(0)), FlinkType::Time(0)))
}

/// MySQL `DATE_ADD(d, INTERVAL n unit)` and relatives (`ADDDATE(d, n)` adds days).
fn date_add(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 2, 2)?;
    let minus = matches!(c.name.as_str(), "DATE_SUB" | "SUBDATE");
    let base = cx.expr(c.args[0])?;
    let amount = match c.args[1] {
        SqlExpr::Interval(i) => cx.interval(i, c.pos)?,
        days => {
            let n = cx.expr(days)?;
            let amount = match n.integer_literal() {
                Some(k) => Amount::Literal(k.to_string()),
                None => Amount::Expr(n),
            };
            IntervalAmount { amount, unit: "DAY", last: None, factor: 1 }
        }
    };
    cx.date_add(base, amount, minus, c.pos)
}

/// MySQL `TIMESTAMPADD(unit, n, d)` / `TIMESTAMPDIFF(unit, a, b)`: the unit as Flink spells it.
fn timestamp_unit_fn(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 3, 3)?;
    let unit_name = match c.args[0] {
        SqlExpr::Identifier(i) => i.value.to_ascii_uppercase(),
        other => return Err(cx.refuse(format!("{} with the unit {other}", c.name), c.pos)),
    };
    let unit = match unit_name.as_str() {
        "YEAR" => "YEAR",
        "QUARTER" => "QUARTER",
        "MONTH" => "MONTH",
        "WEEK" => "WEEK",
        "DAY" => "DAY",
        "HOUR" => "HOUR",
        "MINUTE" => "MINUTE",
        "SECOND" => "SECOND",
        other => return Err(cx.refuse(format!("{} in {other}", c.name), c.pos)),
    };
    let a = cx.temporal_arg(c.args[1])?;
    let b = cx.temporal_arg(c.args[2])?;
    // A DATE against a timestamp, or counted in hours and less, is the timestamp at midnight.
    let sub_day = matches!(unit, "HOUR" | "MINUTE" | "SECOND");
    let widen = |t: TExpr, other: &TExpr| -> TExpr {
        if t.ty == Some(FlinkType::Date) && (sub_day || other.is(FlinkType::is_timestamp)) {
            TExpr::new(t.expr.cast(FlinkType::Timestamp(0)), FlinkType::Timestamp(0))
        } else {
            t
        }
    };
    let (a, b) = if c.name == "TIMESTAMPADD" {
        (a, b)
    } else {
        let a_before = a.clone();
        (widen(a, &b), widen(b, &a_before))
    };
    if c.name == "TIMESTAMPADD" {
        let ty = b.ty.clone();
        return Ok(TExpr::with(Expr::func("TIMESTAMPADD", vec![Expr::Keyword(unit), a.expr, b.expr]), ty));
    }
    if matches!(unit, "MONTH" | "QUARTER" | "YEAR") {
        cx.note(c.pos, "TIMESTAMPDIFF in months: Flink may count a partial month at a month's end differently");
    }
    Ok(TExpr::new(Expr::func("TIMESTAMPDIFF", vec![Expr::Keyword(unit), a.expr, b.expr]), FlinkType::Int))
}

/// MySQL `DATEDIFF(a, b)`: whole days between the dates of a and b.
fn datediff(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 2, 2)?;
    let a = cx.temporal_arg(c.args[0])?;
    let b = cx.temporal_arg(c.args[1])?;
    let as_date = |t: TExpr| if t.ty == Some(FlinkType::Date) { t.expr } else { t.expr.cast(FlinkType::Date) };
    Ok(TExpr::new(Expr::func("TIMESTAMPDIFF", vec![Expr::Keyword("DAY"), as_date(b), as_date(a)]), FlinkType::Int))
}

/// The last day of `d`'s month, keeping `d`'s time of day:
/// `d - (DAYOFMONTH(d) - 1) days + 1 month - 1 day` (on the 1st, adding a month never clamps).
fn last_day_of(cx: &mut Lowerer<'_>, d: Expr, pos: Pos) -> Result<Expr> {
    let d2 = cx.repeat(&d, pos)?;
    let first = Expr::func(
        "TIMESTAMPADD",
        vec![
            Expr::Keyword("DAY"),
            Expr::binary(Expr::number(1), BinOp::Minus, Expr::func("DAYOFMONTH", vec![d2])),
            d,
        ],
    );
    let next_first = Expr::func("TIMESTAMPADD", vec![Expr::Keyword("MONTH"), Expr::number(1), first]);
    Ok(Expr::func("TIMESTAMPADD", vec![Expr::Keyword("DAY"), Expr::number(-1), next_first]))
}

/// `LAST_DAY(d)`: MySQL returns a DATE; Oracle keeps the time of day.
fn last_day(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 1, 1)?;
    let d = cx.temporal_arg(c.args[0])?;
    if cx.mysql() {
        let date = if d.ty == Some(FlinkType::Date) { d.expr } else { d.expr.cast(FlinkType::Date) };
        return Ok(TExpr::new(last_day_of(cx, date, c.pos)?, FlinkType::Date));
    }
    let ty = d.ty.clone();
    Ok(TExpr::with(last_day_of(cx, d.expr, c.pos)?, ty))
}

/// Oracle `ADD_MONTHS(d, n)`: month arithmetic that keeps the end of a month at the end of a
/// month (Feb 29 + 1 month is Mar 31), which Flink's TIMESTAMPADD does not.
fn add_months(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 2, 2)?;
    let d = cx.expr(c.args[0])?;
    let n = cx.expr(c.args[1])?;
    if !n.is(FlinkType::is_integer) && n.integer_literal().is_none() {
        cx.note(c.pos, "ADD_MONTHS with a month count of unknown or fractional type: Flink truncates it");
    }
    let ty = d.ty.clone();
    let (d1, d2, n2) = (cx.repeat(&d.expr, c.pos)?, cx.repeat(&d.expr, c.pos)?, cx.repeat(&n.expr, c.pos)?);
    let is_last = Expr::binary(
        Expr::func("DAYOFMONTH", vec![Expr::func("TIMESTAMPADD", vec![Expr::Keyword("DAY"), Expr::number(1), d1])]),
        BinOp::Eq,
        Expr::number(1),
    );
    let shifted = Expr::func("TIMESTAMPADD", vec![Expr::Keyword("MONTH"), n.expr, d.expr]);
    let shifted_last = last_day_of(cx, Expr::func("TIMESTAMPADD", vec![Expr::Keyword("MONTH"), n2, d2]), c.pos)?;
    Ok(TExpr::with(Expr::case(vec![(is_last, shifted_last)], Some(shifted)), ty))
}

/// Oracle `MONTHS_BETWEEN(a, b)`: whole months, plus the day and time difference over 31 days,
/// except when both are the same day of the month or both the last day of their months.
fn months_between(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 2, 2)?;
    let a = cx.expr(c.args[0])?;
    let b = cx.expr(c.args[1])?;
    let r = |cx: &mut Lowerer<'_>, e: &Expr| cx.repeat(e, c.pos);
    let f = |name: &str, e: Expr| Expr::func(name, vec![e]);
    let diff = |x: Expr, y: Expr| Expr::binary(x, BinOp::Minus, y);
    let whole = Expr::binary(
        Expr::binary(diff(f("YEAR", r(cx, &a.expr)?), f("YEAR", r(cx, &b.expr)?)), BinOp::Multiply, Expr::number(12)),
        BinOp::Plus,
        diff(f("MONTH", r(cx, &a.expr)?), f("MONTH", r(cx, &b.expr)?)),
    );
    let next_day = |e: Expr| Expr::func("DAYOFMONTH", vec![Expr::func("TIMESTAMPADD", vec![Expr::Keyword("DAY"), Expr::number(1), e])]);
    let same_day = Expr::binary(f("DAYOFMONTH", r(cx, &a.expr)?), BinOp::Eq, f("DAYOFMONTH", r(cx, &b.expr)?));
    let both_last = Expr::binary(
        Expr::binary(next_day(r(cx, &a.expr)?), BinOp::Eq, Expr::number(1)),
        BinOp::And,
        Expr::binary(next_day(r(cx, &b.expr)?), BinOp::Eq, Expr::number(1)),
    );
    let seconds_of = |cx: &mut Lowerer<'_>, e: &Expr| -> Result<Expr> {
        Ok(Expr::binary(
            Expr::binary(
                Expr::binary(Expr::func("DAYOFMONTH", vec![cx.repeat(e, c.pos)?]), BinOp::Multiply, Expr::number(86400)),
                BinOp::Plus,
                Expr::binary(Expr::func("HOUR", vec![cx.repeat(e, c.pos)?]), BinOp::Multiply, Expr::number(3600)),
            ),
            BinOp::Plus,
            Expr::binary(
                Expr::binary(Expr::func("MINUTE", vec![cx.repeat(e, c.pos)?]), BinOp::Multiply, Expr::number(60)),
                BinOp::Plus,
                Expr::func("SECOND", vec![cx.repeat(e, c.pos)?]),
            ),
        ))
    };
    let fraction = Expr::binary(
        diff(seconds_of(cx, &a.expr)?, seconds_of(cx, &b.expr)?).cast(FlinkType::Decimal(38, 10)),
        BinOp::Divide,
        Expr::number(2_678_400),
    );
    let months = Expr::case(
        vec![(Expr::binary(same_day, BinOp::Or, both_last), whole.clone().cast(FlinkType::Decimal(38, 10)))],
        Some(Expr::binary(whole, BinOp::Plus, fraction)),
    );
    Ok(TExpr::new(months, FlinkType::Decimal(38, 10)))
}

/// Oracle `TRUNC`: a date to a unit (`FLOOR(d TO unit)`), or a number (`TRUNCATE`).
fn ora_trunc(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 1, 2)?;
    let x = cx.expr(c.args[0])?;
    let fmt = c.args.get(1).and_then(|a| literal_text(a));
    if x.is(FlinkType::is_datetime) || (x.ty.is_none() && fmt.is_some()) {
        let unit = match fmt.as_deref().map(str::to_ascii_uppercase).as_deref() {
            None | Some("DD" | "DDD" | "J") => "DAY",
            Some("MM" | "MON" | "MONTH" | "RM") => "MONTH",
            Some("YYYY" | "YYY" | "YY" | "Y" | "YEAR" | "SYYYY" | "SYEAR" | "RRRR" | "RR") => "YEAR",
            Some("Q") => "QUARTER",
            Some("HH" | "HH12" | "HH24") => "HOUR",
            Some("MI") => "MINUTE",
            Some(other) => return Err(cx.refuse(format!("TRUNC of a date to '{other}'"), c.pos)),
        };
        if c.args.len() == 2 && fmt.is_none() {
            return Err(cx.refuse("TRUNC of a date with a computed format", c.pos));
        }
        if x.ty == Some(FlinkType::Date) && unit == "DAY" {
            return Ok(x);
        }
        let ty = x.ty.clone();
        return Ok(TExpr::with(Expr::FloorCeil { ceil: false, expr: Box::new(x.expr), unit: Some(unit) }, ty));
    }
    if x.is(FlinkType::is_numeric) {
        let mut args = vec![x.expr];
        if let Some(d) = c.args.get(1) {
            args.push(cx.expr(d)?.expr);
        }
        let ty = x.ty.clone();
        return Ok(TExpr::with(Expr::func("TRUNCATE", args), ty));
    }
    Err(cx.refuse("TRUNC of an expression of unknown type (date or number?)", c.pos))
}

/// Oracle `TO_CHAR`: dates with a format model → `DATE_FORMAT`; integers → `CAST`; decimals as
/// Oracle writes them.
fn to_char(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 1, 3)?;
    if c.args.len() == 3 {
        return Err(cx.refuse("TO_CHAR with NLS parameters", c.pos));
    }
    let x = cx.expr(c.args[0])?;
    match c.args.get(1) {
        Some(f) => {
            let fmt = literal_text(f).ok_or_else(|| cx.refuse("TO_CHAR with a computed format", c.pos))?;
            if x.is(FlinkType::is_numeric) || fmt.chars().any(|ch| ch == '9' || ch == '0') && !x.is(FlinkType::is_datetime) {
                return Err(cx.refuse("TO_CHAR of a number with a format model", c.pos));
            }
            let jf = formats::oracle_to_java(&fmt).map_err(|e| cx.refuse(e, c.pos))?;
            Ok(TExpr::new(formatted(as_timestamp(x), &jf), FlinkType::String))
        }
        None => {
            if x.is(FlinkType::is_datetime) {
                return Err(cx.refuse("TO_CHAR of a date without a format model (NLS_DATE_FORMAT dependent)", c.pos));
            }
            if x.ty.is_none() {
                cx.note(c.pos, "TO_CHAR of an operand of unknown type became CAST(... AS STRING)");
            }
            Ok(TExpr::new(cx.oracle_text(x), FlinkType::String))
        }
    }
}

/// Oracle `TO_DATE(s, fmt)` → `TO_TIMESTAMP(s, pattern)` (an Oracle DATE has a time of day).
fn to_date(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 1, 3)?;
    if c.args.len() != 2 {
        return Err(cx.refuse(format!("{} without a format model, or with NLS parameters", c.name), c.pos));
    }
    let fmt = literal_text(c.args[1]).ok_or_else(|| cx.refuse(format!("{} with a computed format", c.name), c.pos))?;
    let f = formats::oracle_to_java(&fmt).map_err(|e| cx.refuse(e, c.pos))?;
    if f.has_names {
        cx.note(c.pos, "month and day names are parsed case-sensitively by Flink (Mar, not MAR)");
    }
    let s = cx.string_arg(c.args[0])?;
    let p = if c.name == "TO_DATE" { 0 } else { 6 };
    Ok(TExpr::new(Expr::func("TO_TIMESTAMP", vec![s, Expr::string(f.pattern)]), FlinkType::Timestamp(p)))
}

/// Oracle `TO_NUMBER(s)` → `CAST(s AS DECIMAL(38, 10))`.
fn to_number(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 1, 1)?;
    let x = cx.expr(c.args[0])?;
    if x.is(FlinkType::is_numeric) {
        return Ok(x);
    }
    Ok(TExpr::new(x.expr.cast(FlinkType::Decimal(38, 10)), FlinkType::Decimal(38, 10)))
}

/// MySQL `FROM_UNIXTIME(n[, fmt])`: a DATETIME (or formatted text).
fn from_unixtime(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 1, 2)?;
    let n = cx.expr(c.args[0])?.expr;
    match c.args.get(1) {
        None => Ok(TExpr::new(Expr::func("FROM_UNIXTIME", vec![n]).cast(FlinkType::Timestamp(0)), FlinkType::Timestamp(0))),
        Some(f) => {
            let fmt = literal_text(f).ok_or_else(|| cx.refuse("FROM_UNIXTIME with a computed format", c.pos))?;
            let jf = formats::mysql_to_java(&fmt).map_err(|e| cx.refuse(e, c.pos))?;
            Ok(TExpr::new(Expr::func("FROM_UNIXTIME", vec![n, Expr::string(jf.pattern)]), FlinkType::String))
        }
    }
}

fn unix_timestamp(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    c.arity(cx, 0, 1)?;
    let mut args = Vec::new();
    if let Some(a) = c.args.first() {
        let t = cx.temporal_arg(a)?;
        args.push(match t.expr {
            Expr::Literal(Literal::Date(d)) => Expr::string(format!("{d} 00:00:00")),
            Expr::Literal(Literal::Timestamp(ts)) => Expr::string(ts),
            other if t.ty.as_ref().is_some_and(FlinkType::is_datetime) => other.cast(FlinkType::String),
            other => other,
        });
    }
    Ok(TExpr::new(Expr::func("UNIX_TIMESTAMP", args), FlinkType::BigInt))
}

/// Refused with a reason.
fn refused(cx: &mut Lowerer<'_>, c: &Call<'_>) -> Result<TExpr> {
    let why = REFUSED.iter().find(|(n, _)| *n == c.name).map(|(_, w)| *w).unwrap_or("no Flink equivalent");
    Err(cx.refuse(format!("{} ({why})", c.name), c.pos))
}

/// Functions refused everywhere, with why.
const REFUSED: &[(&str, &str)] = &[
    ("ANY_VALUE", "no Flink equivalent"),
    ("BITAND", "bitwise functions"),
    ("BIT_AND", "bitwise aggregates"),
    ("BIT_COUNT", "bitwise functions"),
    ("BIT_OR", "bitwise aggregates"),
    ("BIT_XOR", "bitwise aggregates"),
    ("CONNECTION_ID", "session information"),
    ("CONNECT_BY_ROOT", "hierarchical queries"),
    ("CURRENT_USER", "session information"),
    ("DATABASE", "session information"),
    ("FIELD", "no Flink equivalent"),
    ("FIND_IN_SET", "no Flink equivalent"),
    ("FORMAT", "locale number formatting"),
    ("FOUND_ROWS", "session information"),
    ("GET_LOCK", "locks"),
    ("JSON_EXTRACT", "returns JSON text; JSON_UNQUOTE(JSON_EXTRACT(...)) is translated"),
    ("LAST_INSERT_ID", "session information"),
    ("NEXT_DAY", "no Flink equivalent"),
    ("RATIO_TO_REPORT", "no Flink equivalent"),
    ("SCHEMA", "session information"),
    ("SESSION_USER", "session information"),
    ("SLEEP", "no Flink equivalent"),
    ("STATS_MODE", "no Flink equivalent"),
    ("SYS_CONNECT_BY_PATH", "hierarchical queries"),
    ("SYS_CONTEXT", "session information"),
    ("SYS_GUID", "RAW GUIDs"),
    ("SYSTEM_USER", "session information"),
    ("USER", "session information"),
    ("USERENV", "session information"),
    ("UTC_DATE", "UTC clock functions"),
    ("UTC_TIME", "UTC clock functions"),
    ("UTC_TIMESTAMP", "UTC clock functions"),
    ("VERSION", "session information"),
];

/// Rules for MySQL names.
const MYSQL: &[(&str, Rule)] = &[
    ("ADDDATE", date_add),
    ("CHAR", my_char),
    ("CONCAT", my_concat),
    ("CURDATE", current_date),
    ("CURRENT_DATE", current_date),
    ("CURRENT_TIME", current_time),
    ("CURRENT_TIMESTAMP", my_now),
    ("CURTIME", current_time),
    ("DATE", my_date),
    ("DATEDIFF", datediff),
    ("DATE_ADD", date_add),
    ("DATE_FORMAT", my_date_format),
    ("DATE_SUB", date_add),
    ("DAY", date_part),
    ("DAYNAME", day_month_name),
    ("DAYOFMONTH", date_part),
    ("DAYOFWEEK", date_part),
    ("DAYOFYEAR", date_part),
    ("ELT", elt),
    ("FROM_UNIXTIME", from_unixtime),
    ("GROUP_CONCAT", group_concat),
    ("HOUR", date_part),
    ("IF", if_to_case),
    ("IFNULL", coalesce),
    ("INSTR", my_instr),
    ("ISNULL", isnull),
    ("JSON_UNQUOTE", json_unquote),
    ("LAST_DAY", last_day),
    ("LCASE", lower),
    ("LENGTH", my_length),
    ("LOCALTIME", current_time),
    ("LOCALTIMESTAMP", my_now),
    ("LOCATE", my_locate),
    ("MID", substring),
    ("MINUTE", date_part),
    ("MONTH", date_part),
    ("MONTHNAME", day_month_name),
    ("NOW", my_now),
    ("OCTET_LENGTH", my_length),
    ("POW", power),
    ("QUARTER", date_part),
    ("REGEXP_LIKE", regexp_like),
    ("SECOND", date_part),
    ("SPACE", space),
    ("STD", statistics),
    ("STDDEV", statistics),
    ("STR_TO_DATE", str_to_date),
    ("SUBDATE", date_add),
    ("SUBSTRING_INDEX", substring_index),
    ("SYSDATE", my_now),
    ("TIME", my_time),
    ("TIMESTAMPADD", timestamp_unit_fn),
    ("TIMESTAMPDIFF", timestamp_unit_fn),
    ("TIME_FORMAT", my_date_format),
    ("TRUNCATE", same_typed_as_first),
    ("UCASE", upper),
    ("UNIX_TIMESTAMP", unix_timestamp),
    ("UUID", uuid),
    ("VARIANCE", statistics),
    ("WEEK", my_week),
    ("WEEKDAY", weekday),
    ("WEEKOFYEAR", my_week),
    ("YEAR", date_part),
];

/// Rules for Oracle names.
const ORACLE: &[(&str, Rule)] = &[
    ("ADD_MONTHS", add_months),
    ("CONCAT", ora_concat),
    ("CURRENT_DATE", ora_sysdate),
    ("CURRENT_TIMESTAMP", ora_current_timestamp),
    ("DBMS_RANDOM.VALUE", rand),
    ("DECODE", decode),
    ("INSTR", ora_instr),
    ("LAST_DAY", last_day),
    ("LENGTH", ora_length),
    ("LISTAGG", listagg),
    ("LOCALTIMESTAMP", localtimestamp),
    ("MEDIAN", median),
    ("MONTHS_BETWEEN", months_between),
    ("NVL", coalesce),
    ("NVL2", nvl2),
    ("REGEXP_COUNT", regexp_2x),
    ("REGEXP_INSTR", regexp_2x),
    ("REGEXP_LIKE", regexp_like),
    ("STDDEV", statistics),
    ("SYSDATE", ora_sysdate),
    ("SYSTIMESTAMP", ora_current_timestamp),
    ("TO_CHAR", to_char),
    ("TO_DATE", to_date),
    ("TO_NUMBER", to_number),
    ("TO_TIMESTAMP", to_date),
    ("TRANSLATE", translate_fn),
    ("TRUNC", ora_trunc),
    ("VARIANCE", statistics),
];

/// Rules for names both dialects share.
const COMMON: &[(&str, Rule)] = &[
    ("ABS", numeric),
    ("ACOS", double_fn),
    ("ANY_VALUE", refused),
    ("ASCII", ascii),
    ("ASIN", double_fn),
    ("ATAN", double_fn),
    ("ATAN2", double_fn),
    ("AVG", avg),
    ("BITAND", refused),
    ("BIT_AND", refused),
    ("BIT_COUNT", refused),
    ("BIT_OR", refused),
    ("BIT_XOR", refused),
    ("CEIL", ceil),
    ("CEILING", numeric),
    ("CHARACTER_LENGTH", char_length),
    ("CHAR_LENGTH", char_length),
    ("CHR", chr),
    ("COALESCE", coalesce),
    ("CONCAT_WS", concat_ws),
    ("CONNECTION_ID", refused),
    ("CONNECT_BY_ROOT", refused),
    ("COS", double_fn),
    ("COT", double_fn),
    ("COUNT", count),
    ("CUME_DIST", window_fn),
    ("CURRENT_USER", refused),
    ("DATABASE", refused),
    ("DEGREES", double_fn),
    ("DENSE_RANK", window_fn),
    ("EXP", double_fn),
    ("FIELD", refused),
    ("FIND_IN_SET", refused),
    ("FIRST_VALUE", window_fn),
    ("FLOOR", numeric),
    ("FORMAT", refused),
    ("FOUND_ROWS", refused),
    ("GET_LOCK", refused),
    ("GREATEST", same_typed_as_first),
    ("INITCAP", initcap),
    ("JSON_EXTRACT", refused),
    ("LAG", window_fn),
    ("LAST_INSERT_ID", refused),
    ("LAST_VALUE", window_fn),
    ("LEAD", window_fn),
    ("LEAST", same_typed_as_first),
    ("LEFT", left),
    ("LN", double_fn),
    ("LOG", double_fn),
    ("LOG10", double_fn),
    ("LOG2", double_fn),
    ("LOWER", lower),
    ("LPAD", pad),
    ("LTRIM", trim_side),
    ("MAX", min_max),
    ("MD5", md5),
    ("MIN", min_max),
    ("MOD", modulo),
    ("NEXT_DAY", refused),
    ("NTILE", window_fn),
    ("NULLIF", nullif),
    ("PERCENT_RANK", window_fn),
    ("PI", double_fn),
    ("POWER", power),
    ("RADIANS", double_fn),
    ("RAND", rand),
    ("RANK", window_fn),
    ("RATIO_TO_REPORT", refused),
    ("REGEXP_REPLACE", regexp_replace),
    ("REGEXP_SUBSTR", regexp_substr),
    ("REPEAT", repeat),
    ("REPLACE", replace),
    ("REVERSE", reverse),
    ("RIGHT", right),
    ("ROUND", round),
    ("ROW_NUMBER", window_fn),
    ("RPAD", pad),
    ("RTRIM", trim_side),
    ("SCHEMA", refused),
    ("SESSION_USER", refused),
    ("SHA1", sha1),
    ("SHA2", sha2),
    ("SIGN", numeric),
    ("SIN", double_fn),
    ("SLEEP", refused),
    ("SQRT", double_fn),
    ("STATS_MODE", refused),
    ("STDDEV_POP", statistics),
    ("STDDEV_SAMP", statistics),
    ("SUBSTR", substring),
    ("SUBSTRING", substring),
    ("SUM", sum),
    ("SYSTEM_USER", refused),
    ("SYS_CONNECT_BY_PATH", refused),
    ("SYS_CONTEXT", refused),
    ("SYS_GUID", refused),
    ("TAN", double_fn),
    ("TO_BASE64", to_base64),
    ("UPPER", upper),
    ("USER", refused),
    ("USERENV", refused),
    ("UTC_DATE", refused),
    ("UTC_TIME", refused),
    ("UTC_TIMESTAMP", refused),
    ("VAR_POP", statistics),
    ("VAR_SAMP", statistics),
    ("VERSION", refused),
];

/// Flink built-ins passed through unchanged when a source uses them with the same meaning;
/// `true` marks functions Flink added in 2.0.
const FLINK_SAME: &[(&str, bool)] = &[
    ("ARRAY_AGG", false),
    ("BIN", false),
    ("COLLECT", false),
    ("E", false),
    ("FROM_BASE64", false),
    ("GROUPING", false),
    ("GROUPING_ID", false),
    ("HEX", false),
    ("IS_ALPHA", false),
    ("IS_DECIMAL", false),
    ("IS_DIGIT", false),
    ("JSON_ARRAYAGG", false),
    ("JSON_OBJECTAGG", false),
    ("JSON_VALUE", false),
    ("JSON_QUERY", false),
    ("PRINTF", true),
    ("SHA224", false),
    ("SHA256", false),
    ("SHA384", false),
    ("SHA512", false),
    ("SPLIT_INDEX", false),
    ("STARTSWITH", true),
    ("ENDSWITH", true),
    ("TO_TIMESTAMP_LTZ", false),
    ("TRY_CAST", false),
    ("URL_DECODE", true),
    ("URL_ENCODE", true),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_have_no_duplicates_and_known_refusals() {
        for table in [MYSQL, ORACLE, COMMON] {
            let mut names: Vec<&str> = table.iter().map(|(n, _)| *n).collect();
            let before = names.len();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), before);
        }
        for (name, rule) in COMMON {
            if *rule as *const () == refused as *const () {
                assert!(REFUSED.iter().any(|(n, _)| n == name), "{name} has no reason");
            }
        }
    }
}
