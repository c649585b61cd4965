//! Expressions: literals, names, operators, predicates, CAST, CASE, intervals and date
//! arithmetic. Function calls are dispatched to [`crate::rules::functions`].

use sqlparser::ast::{
    BinaryOperator, CastKind, CeilFloorKind, DateTimeField, Expr as SqlExpr, Ident, Interval, TrimWhereField,
    TypedString, UnaryOperator, Value, WindowFrameBound, WindowFrameUnits, WindowSpec, WindowType,
};

use super::{Lowerer, TExpr, pos_of};
use crate::error::{Pos, TranslateError};
use crate::flink_ast::{
    BinOp, Expr, Frame, FrameBound, IsWhat, Literal, OrderItem, TrimSide, UnaryOp, Window,
};
use crate::rules::types::{self, TypeUse};
use crate::schema::FlinkType;

type Result<T> = std::result::Result<T, TranslateError>;

/// An interval operand of date arithmetic: `INTERVAL <amount> <unit>`.
pub(crate) struct IntervalAmount {
    /// The amount: a literal's text, or an expression.
    pub amount: Amount,
    /// The Flink unit (`YEAR`, `MONTH`, `DAY`, `HOUR`, `MINUTE`, `SECOND`).
    pub unit: &'static str,
    /// The last unit of a range (`DAY TO HOUR`), literal amounts only.
    pub last: Option<&'static str>,
    /// A factor for units Flink lacks (`WEEK` is 7 days, `QUARTER` 3 months).
    pub factor: i64,
}

/// The amount of an interval.
pub(crate) enum Amount {
    /// A literal: an integer (possibly negative) or a range text such as `1 10` or `1:30`.
    Literal(String),
    /// Any other expression.
    Expr(TExpr),
}

/// Maps a source time unit to Flink's, with a factor for WEEK and QUARTER.
pub(crate) fn time_unit(field: &DateTimeField) -> Option<(&'static str, i64)> {
    Some(match field {
        DateTimeField::Year | DateTimeField::Years => ("YEAR", 1),
        DateTimeField::Quarter => ("MONTH", 3),
        DateTimeField::Month | DateTimeField::Months => ("MONTH", 1),
        DateTimeField::Week(None) | DateTimeField::Weeks => ("DAY", 7),
        DateTimeField::Day | DateTimeField::Days => ("DAY", 1),
        DateTimeField::Hour | DateTimeField::Hours => ("HOUR", 1),
        DateTimeField::Minute | DateTimeField::Minutes => ("MINUTE", 1),
        DateTimeField::Second | DateTimeField::Seconds => ("SECOND", 1),
        _ => return None,
    })
}

/// Type of `a op b` for arithmetic, when both are known numbers.
pub(crate) fn arithmetic_type(a: &Option<FlinkType>, b: &Option<FlinkType>) -> Option<FlinkType> {
    let (a, b) = (a.as_ref()?, b.as_ref()?);
    if !a.is_numeric() || !b.is_numeric() {
        return None;
    }
    if matches!(a, FlinkType::Double | FlinkType::Float) || matches!(b, FlinkType::Double | FlinkType::Float) {
        return Some(FlinkType::Double);
    }
    if let (Some(sa), Some(sb)) = (a.scale(), b.scale()) {
        if sa == 0 && sb == 0 {
            let rank = |t: &FlinkType| match t {
                FlinkType::TinyInt => 0,
                FlinkType::SmallInt => 1,
                FlinkType::Int => 2,
                FlinkType::BigInt => 3,
                _ => 4,
            };
            return Some(if rank(a) >= rank(b) { a.clone() } else { b.clone() });
        }
        return Some(FlinkType::Decimal(38, sa.max(sb)));
    }
    None
}

/// A date/time string in MySQL's canonical shapes (`2024-03-05`, `2024-03-05 10:11:12[.fff]`),
/// zero-padded: `(date, Some(time))`.
pub(crate) fn parse_datetime_text(s: &str) -> Option<(String, Option<String>)> {
    let s = s.trim();
    let (date, time) = match s.split_once([' ', 'T']) {
        Some((d, t)) => (d, Some(t.trim())),
        None => (s, None),
    };
    let parts: Vec<&str> = date.split('-').collect();
    let [y, m, d] = parts.as_slice() else { return None };
    let num = |p: &str, max: u32| -> Option<u32> {
        if p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        p.parse().ok().filter(|v| *v <= max)
    };
    let (y, m, d) = (num(y, 9999)?, num(m, 12)?, num(d, 31)?);
    if y < 1 || m < 1 || d < 1 || parts[0].len() != 4 {
        return None;
    }
    let date = format!("{y:04}-{m:02}-{d:02}");
    let Some(time) = time else { return Some((date, None)) };
    let (hms, frac) = match time.split_once('.') {
        Some((h, f)) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => (h, Some(f)),
        Some(_) => return None,
        None => (time, None),
    };
    let t: Vec<&str> = hms.split(':').collect();
    let (h, mi, sec) = match t.as_slice() {
        [h, mi] => (num(h, 23)?, num(mi, 59)?, 0),
        [h, mi, s] => (num(h, 23)?, num(mi, 59)?, num(s, 59)?),
        _ => return None,
    };
    let mut out = format!("{h:02}:{mi:02}:{sec:02}");
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    Some((date, Some(out)))
}

/// The type of a numeric literal as Flink types it.
fn number_type(n: &str) -> FlinkType {
    let digits = n.trim_start_matches(['-', '+']);
    if digits.contains(['e', 'E']) {
        return FlinkType::Double;
    }
    match digits.split_once('.') {
        None => match digits.parse::<i64>() {
            Ok(v) if i32::try_from(v).is_ok() => FlinkType::Int,
            Ok(_) => FlinkType::BigInt,
            Err(_) => FlinkType::Decimal(u8::try_from(digits.len().min(38)).unwrap_or(38), 0),
        },
        Some((int, frac)) => {
            let p = (int.trim_start_matches('0').len() + frac.len()).clamp(1, 38);
            FlinkType::Decimal(u8::try_from(p).unwrap_or(38), u8::try_from(frac.len().min(38)).unwrap_or(38))
        }
    }
}

impl Lowerer<'_> {
    /// Lowers an expression.
    pub fn expr(&mut self, e: &SqlExpr) -> Result<TExpr> {
        let pos = super::position::expr_start(e);
        match e {
            SqlExpr::Identifier(id) => self.identifier(std::slice::from_ref(id), pos),
            SqlExpr::CompoundIdentifier(ids) => self.identifier(ids, pos),
            SqlExpr::Value(v) => self.value(&v.value, pos),
            SqlExpr::TypedString(ts) => self.typed_string(ts, pos),
            SqlExpr::Nested(inner) => self.expr(inner),
            SqlExpr::UnaryOp { op, expr } => self.unary(*op, expr, pos),
            SqlExpr::BinaryOp { left, op, right } => self.binary(left, op, right, pos),
            SqlExpr::IsNull(x) => Ok(TExpr::new(self.expr(x)?.expr.is_null(false), FlinkType::Boolean)),
            SqlExpr::IsNotNull(x) => Ok(TExpr::new(self.expr(x)?.expr.is_null(true), FlinkType::Boolean)),
            SqlExpr::IsTrue(x) => self.is(x, false, IsWhat::True),
            SqlExpr::IsNotTrue(x) => self.is(x, true, IsWhat::True),
            SqlExpr::IsFalse(x) => self.is(x, false, IsWhat::False),
            SqlExpr::IsNotFalse(x) => self.is(x, true, IsWhat::False),
            SqlExpr::IsUnknown(x) => self.is(x, false, IsWhat::Unknown),
            SqlExpr::IsNotUnknown(x) => self.is(x, true, IsWhat::Unknown),
            SqlExpr::IsDistinctFrom(a, b) | SqlExpr::IsNotDistinctFrom(a, b) => {
                let (l, r) = (self.expr(a)?, self.expr(b)?);
                let (l, r) = self.coerce_pair(l, r);
                Ok(TExpr::new(
                    Expr::IsDistinctFrom {
                        left: Box::new(l.expr),
                        right: Box::new(r.expr),
                        negated: matches!(e, SqlExpr::IsNotDistinctFrom(..)),
                    },
                    FlinkType::Boolean,
                ))
            }
            SqlExpr::InList { expr, list, negated } => self.in_list(expr, list, *negated),
            SqlExpr::InSubquery { expr, subquery, negated } => {
                let operand = self.expr(expr)?;
                let (query, _) = self.subquery(subquery)?;
                Ok(TExpr::new(
                    Expr::InSubquery { expr: Box::new(operand.expr), negated: *negated, query: Box::new(query) },
                    FlinkType::Boolean,
                ))
            }
            SqlExpr::Between { expr, negated, low, high } => self.between(expr, *negated, low, high),
            SqlExpr::Like { negated, any, expr, pattern, escape_char } => {
                if *any {
                    return Err(self.refuse("LIKE ANY", pos));
                }
                let escape = match escape_char {
                    Some(v) => Some(match &v.value {
                        Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) => s.clone(),
                        other => return Err(self.refuse(format!("LIKE ... ESCAPE {other}"), pos)),
                    }),
                    None => None,
                };
                self.like(expr, pattern, *negated, escape, false, pos)
            }
            SqlExpr::ILike { negated, any, expr, pattern, escape_char } => {
                if *any || escape_char.is_some() {
                    return Err(self.refuse("ILIKE ANY / ESCAPE", pos));
                }
                self.like(expr, pattern, *negated, None, true, pos)
            }
            SqlExpr::SimilarTo { .. } => Err(self.refuse("SIMILAR TO", pos)),
            SqlExpr::RLike { negated, expr, pattern, .. } => {
                let (subject, pattern) = (self.expr(expr)?, self.expr(pattern)?);
                let call = self.regexp_call(subject, pattern, None, pos)?;
                Ok(TExpr::new(if *negated { call.negated() } else { call }, FlinkType::Boolean))
            }
            SqlExpr::Cast { kind, expr, data_type, format, .. } => {
                if format.is_some() {
                    return Err(self.refuse("CAST ... FORMAT", pos));
                }
                if matches!(kind, CastKind::TryCast | CastKind::SafeCast) {
                    return Err(self.refuse("TRY_CAST", pos));
                }
                let value = self.expr(expr)?;
                self.cast(value, data_type, pos)
            }
            SqlExpr::Convert { expr, data_type, charset, styles, is_try, .. } => {
                if *is_try || !styles.is_empty() {
                    return Err(self.refuse("CONVERT with styles", pos));
                }
                let value = self.expr(expr)?;
                match (data_type, charset) {
                    (Some(dt), _) => self.cast(value, dt, pos),
                    (None, Some(cs)) => {
                        self.note(pos, format!("CONVERT(... USING {cs}) dropped: Flink strings are Unicode"));
                        Ok(value)
                    }
                    (None, None) => Ok(value),
                }
            }
            SqlExpr::Extract { field, expr, .. } => self.extract(field, expr, pos),
            SqlExpr::Ceil { expr, field } | SqlExpr::Floor { expr, field } => {
                let ceil = matches!(e, SqlExpr::Ceil { .. });
                let value = self.expr(expr)?;
                match field {
                    CeilFloorKind::DateTimeField(DateTimeField::NoDateTime) => {
                        let ty = value.ty.clone();
                        Ok(TExpr::with(Expr::func(if ceil { "CEIL" } else { "FLOOR" }, vec![value.expr]), ty))
                    }
                    CeilFloorKind::DateTimeField(f) => {
                        let unit = time_unit(f).filter(|(_, factor)| *factor == 1).map(|(u, _)| u);
                        let Some(unit) = unit else {
                            return Err(self.refuse(format!("FLOOR/CEIL to {f}"), pos));
                        };
                        let ty = value.ty.clone();
                        Ok(TExpr::with(Expr::FloorCeil { ceil, expr: Box::new(value.expr), unit: Some(unit) }, ty))
                    }
                    CeilFloorKind::Scale(_) => Err(self.refuse("CEIL/FLOOR with a scale", pos)),
                }
            }
            SqlExpr::Position { expr, r#in } => {
                let (needle, haystack) = (self.expr(expr)?, self.expr(r#in)?);
                let (needle, haystack) = self.case_insensitive_pair(needle, haystack);
                Ok(TExpr::new(
                    Expr::Position { needle: Box::new(needle.expr), haystack: Box::new(haystack.expr) },
                    FlinkType::Int,
                ))
            }
            SqlExpr::Substring { expr, substring_from, substring_for, .. } => {
                let mut args = vec![self.string_arg(expr)?];
                let from = match substring_from {
                    Some(f) => self.expr(f)?,
                    None => TExpr::new(Expr::number(1), FlinkType::Int),
                };
                self.substring_start_note(&from, pos);
                args.push(from.expr);
                if let Some(n) = substring_for {
                    args.push(self.expr(n)?.expr);
                }
                Ok(TExpr::new(Expr::func("SUBSTR", args), FlinkType::String))
            }
            SqlExpr::Trim { trim_where, trim_what, expr, trim_characters } => {
                if trim_characters.is_some() {
                    return Err(self.refuse("TRIM(string, characters)", pos));
                }
                let value = self.string_arg(expr)?;
                let what = match trim_what {
                    Some(w) => Some(Box::new(self.expr(w)?.expr)),
                    None => None,
                };
                let side = trim_where.as_ref().map(|w| match w {
                    TrimWhereField::Both => TrimSide::Both,
                    TrimWhereField::Leading => TrimSide::Leading,
                    TrimWhereField::Trailing => TrimSide::Trailing,
                });
                Ok(TExpr::new(Expr::Trim { side, what, expr: Box::new(value) }, FlinkType::String))
            }
            SqlExpr::Function(f) => self.function(f, pos),
            SqlExpr::Case { operand, conditions, else_result, .. } => {
                let operand = match operand {
                    Some(o) => Some(self.expr(o)?),
                    None => None,
                };
                let mut whens = Vec::new();
                let mut ty = None;
                for w in conditions {
                    let cond = match &operand {
                        Some(_) => self.expr(&w.condition)?.expr,
                        None => self.condition(&w.condition)?,
                    };
                    let result = self.expr(&w.result)?;
                    ty = ty.or(result.ty.filter(|t| *t != FlinkType::Null));
                    whens.push((cond, result.expr));
                }
                let otherwise = match else_result {
                    Some(e) => {
                        let r = self.expr(e)?;
                        ty = ty.or(r.ty.filter(|t| *t != FlinkType::Null));
                        Some(Box::new(r.expr))
                    }
                    None => None,
                };
                Ok(TExpr::with(Expr::Case { operand: operand.map(|o| Box::new(o.expr)), whens, otherwise }, ty))
            }
            SqlExpr::Exists { subquery, negated } => {
                let (query, _) = self.subquery(subquery)?;
                Ok(TExpr::new(Expr::Exists { negated: *negated, query: Box::new(query) }, FlinkType::Boolean))
            }
            SqlExpr::Subquery(q) => {
                let (query, columns) = self.subquery(q)?;
                let ty = columns.and_then(|c| if c.len() == 1 { c[0].1.clone() } else { None });
                Ok(TExpr::with(Expr::Subquery(Box::new(query)), ty))
            }
            SqlExpr::Tuple(items) => {
                let items = items.iter().map(|i| self.expr(i).map(|t| t.expr)).collect::<Result<Vec<_>>>()?;
                Ok(TExpr::untyped(Expr::Row(items)))
            }
            SqlExpr::Interval(i) => {
                let amount = self.interval(i, pos)?;
                match amount.amount {
                    Amount::Literal(text) if amount.factor == 1 => {
                        let ty = if matches!(amount.unit, "YEAR" | "MONTH") {
                            FlinkType::IntervalYearMonth
                        } else {
                            FlinkType::IntervalDayTime
                        };
                        Ok(TExpr::new(Expr::Interval { value: text, leading: amount.unit, last: amount.last }, ty))
                    }
                    _ => Err(self.refuse("an INTERVAL outside date arithmetic", pos)),
                }
            }
            SqlExpr::Prefixed { prefix, value } => {
                self.note(pos, format!("character set introducer {prefix} dropped"));
                self.expr(value)
            }
            SqlExpr::Collate { expr, collation } => {
                self.note(pos, format!("COLLATE {collation} dropped: Flink compares strings by code point"));
                self.expr(expr)
            }
            SqlExpr::GroupingSets(sets) | SqlExpr::Cube(sets) | SqlExpr::Rollup(sets) => {
                let kind = match e {
                    SqlExpr::GroupingSets(_) => "GROUPING SETS",
                    SqlExpr::Cube(_) => "CUBE",
                    _ => "ROLLUP",
                };
                let mut out = Vec::new();
                for set in sets {
                    out.push(set.iter().map(|x| self.expr(x).map(|t| t.expr)).collect::<Result<Vec<_>>>()?);
                }
                Ok(TExpr::untyped(Expr::Grouping { kind, sets: out }))
            }
            SqlExpr::OuterJoin(_) => Err(self.refuse("the (+) outer-join marker here (only in WHERE conditions of a comma join)", pos)),
            SqlExpr::Prior(_) => Err(self.refuse("CONNECT BY (PRIOR)", pos)),
            SqlExpr::MatchAgainst { .. } => Err(self.refuse("MATCH ... AGAINST (full-text search)", pos)),
            SqlExpr::AtTimeZone { .. } => Err(self.refuse("AT TIME ZONE", pos)),
            SqlExpr::JsonAccess { .. } | SqlExpr::CompoundFieldAccess { .. } => Err(self.refuse("JSON path access", pos)),
            SqlExpr::Wildcard(_) | SqlExpr::QualifiedWildcard(..) => Err(self.refuse("* in an expression", pos)),
            SqlExpr::Array(_) | SqlExpr::Map(_) | SqlExpr::Struct { .. } | SqlExpr::Dictionary(_) => {
                Err(self.refuse("array, map and struct literals", pos))
            }
            SqlExpr::Overlay { .. } => Err(self.refuse("OVERLAY", pos)),
            SqlExpr::MemberOf(_) => Err(self.refuse("MEMBER OF", pos)),
            _ => Err(self.refuse(format!("the expression {}", short(&e.to_string())), pos)),
        }
    }

    /// Lowers an expression used as a condition: MySQL's numbers-as-booleans become `<> 0`.
    pub fn condition(&mut self, e: &SqlExpr) -> Result<Expr> {
        let t = self.expr(e)?;
        Ok(self.as_condition(t))
    }

    /// A lowered expression used as a condition.
    pub fn as_condition(&mut self, t: TExpr) -> Expr {
        if self.mysql() && t.is(FlinkType::is_numeric) {
            Expr::binary(t.expr, BinOp::NotEq, Expr::number(0))
        } else {
            t.expr
        }
    }

    fn is(&mut self, x: &SqlExpr, negated: bool, what: IsWhat) -> Result<TExpr> {
        let operand = self.condition(x)?;
        Ok(TExpr::new(Expr::Is { expr: Box::new(operand), negated, what }, FlinkType::Boolean))
    }

    fn identifier(&mut self, parts: &[Ident], pos: Pos) -> Result<TExpr> {
        if let [single] = parts {
            if single.quote_style.is_none() {
                if single.value.starts_with("@@") {
                    return Err(self.refuse(format!("system variable {}", single.value), pos));
                }
                if single.value.starts_with('@') {
                    return Err(self.refuse(format!("user variable {}", single.value), pos));
                }
            }
            if let Some(t) = self.alias_reference(single) {
                return Ok(t);
            }
        }
        if let Some((name, ty)) = self.resolve_column(parts) {
            return Ok(TExpr::with(Expr::Column(name), ty));
        }
        if let [single] = parts
            && single.quote_style.is_none()
                && let Some(t) = self.pseudo_column(&single.value, pos)? {
                    return Ok(t);
                }
        if self.oracle() && parts.len() == 2 && parts[1].quote_style.is_none() {
            let last = parts[1].value.to_ascii_uppercase();
            if last == "NEXTVAL" || last == "CURRVAL" {
                return Err(self.refuse(format!("sequence {}.{}", parts[0].value, parts[1].value), pos));
            }
        }
        Ok(TExpr::untyped(Expr::Column(parts.iter().map(|i| i.value.clone()).collect())))
    }

    /// A GROUP BY / HAVING reference to a select-list alias (MySQL), expanded.
    fn alias_reference(&mut self, id: &Ident) -> Option<TExpr> {
        let env = self.alias_env.as_ref()?;
        if env.group_columns.iter().any(|c| c.eq_ignore_ascii_case(&id.value)) {
            return None;
        }
        let (_, t) = env.aliases.iter().find(|(a, _)| a == &id.value || a.eq_ignore_ascii_case(&id.value))?;
        let t = t.clone();
        if env.prefer_columns && self.is_scope_column(id) {
            return None;
        }
        Some(t)
    }

    /// Oracle pseudo-columns and niladic keywords that parse as names.
    fn pseudo_column(&mut self, name: &str, pos: Pos) -> Result<Option<TExpr>> {
        let upper = name.to_ascii_uppercase();
        if self.oracle() {
            return Ok(Some(match upper.as_str() {
                "SYSDATE" | "CURRENT_DATE" => TExpr::new(
                    Expr::Keyword("LOCALTIMESTAMP").cast(FlinkType::Timestamp(0)),
                    FlinkType::Timestamp(0),
                ),
                "SYSTIMESTAMP" => TExpr::new(Expr::Keyword("CURRENT_TIMESTAMP"), FlinkType::TimestampLtz(3)),
                "ROWNUM" => return Err(self.refuse("ROWNUM (other than ROWNUM <= n limiting a query)", pos)),
                "ROWID" | "UROWID" => return Err(self.refuse("ROWID", pos)),
                "LEVEL" => return Err(self.refuse("LEVEL (hierarchical queries)", pos)),
                "USER" | "UID" => return Err(self.refuse(format!("{upper} (the session user)"), pos)),
                _ => return Ok(None),
            }));
        }
        Ok(None)
    }

    fn value(&mut self, v: &Value, pos: Pos) -> Result<TExpr> {
        Ok(match v {
            Value::Number(n, _) => {
                let text = n.to_string();
                TExpr::new(Expr::number(&text), number_type(&text))
            }
            Value::SingleQuotedString(s)
            | Value::DoubleQuotedString(s)
            | Value::NationalStringLiteral(s)
            | Value::TripleSingleQuotedString(s)
            | Value::TripleDoubleQuotedString(s) => self.string_value(s, pos),
            Value::QuoteDelimitedStringLiteral(q) | Value::NationalQuoteDelimitedStringLiteral(q) => {
                self.string_value(&q.value, pos)
            }
            Value::HexStringLiteral(h) => TExpr::new(Expr::Literal(Literal::Bytes(h.to_ascii_uppercase())), FlinkType::Bytes),
            Value::Boolean(b) => TExpr::new(Expr::Literal(Literal::Bool(*b)), FlinkType::Boolean),
            Value::Null => TExpr::new(Expr::null(), FlinkType::Null),
            Value::Placeholder(p) if p == "?" => TExpr::untyped(Expr::Keyword("?")),
            other => return Err(self.refuse(format!("the literal {other}"), pos)),
        })
    }

    fn string_value(&mut self, s: &str, pos: Pos) -> TExpr {
        if self.oracle() && s.is_empty() {
            self.note(pos, "'' is NULL in Oracle: it became CAST(NULL AS STRING)");
            return TExpr::new(Expr::null().cast(FlinkType::String), FlinkType::String);
        }
        let len = u32::try_from(s.chars().count().max(1)).unwrap_or(crate::schema::MAX_LENGTH);
        TExpr::new(Expr::string(s), FlinkType::Char(len))
    }

    fn typed_string(&mut self, ts: &TypedString, pos: Pos) -> Result<TExpr> {
        let text = match &ts.value.value {
            Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) => s.clone(),
            other => return Err(self.refuse(format!("the typed literal {other}"), pos)),
        };
        let mapped = types::map(&ts.data_type, self.dialect, TypeUse::Cast).map_err(|c| self.refuse(c, pos))?;
        let parsed = parse_datetime_text(&text);
        Ok(match (&mapped.ty, parsed) {
            (FlinkType::Date, Some((d, None))) => TExpr::new(Expr::Literal(Literal::Date(d)), FlinkType::Date),
            (FlinkType::Timestamp(_), Some((d, t))) => {
                let t = t.unwrap_or_else(|| "00:00:00".into());
                let p = t.split_once('.').map_or(0, |(_, f)| f.len().min(9));
                TExpr::new(
                    Expr::Literal(Literal::Timestamp(format!("{d} {t}"))),
                    FlinkType::Timestamp(u8::try_from(p).unwrap_or(9)),
                )
            }
            (FlinkType::Time(_), _) => TExpr::new(Expr::Literal(Literal::Time(text)), FlinkType::Time(0)),
            _ => {
                let value = TExpr::new(Expr::string(text.clone()), FlinkType::String);
                self.cast(value, &ts.data_type, pos)?
            }
        })
    }

    fn unary(&mut self, op: UnaryOperator, operand: &SqlExpr, pos: Pos) -> Result<TExpr> {
        match op {
            UnaryOperator::Not | UnaryOperator::BangNot => {
                let c = self.condition(operand)?;
                Ok(TExpr::new(c.negated(), FlinkType::Boolean))
            }
            UnaryOperator::Minus => {
                let v = self.expr(operand)?;
                let ty = v.ty.clone();
                Ok(match v.expr {
                    Expr::Literal(Literal::Number(n)) if !n.starts_with('-') => {
                        TExpr::with(Expr::Literal(Literal::Number(format!("-{n}"))), ty)
                    }
                    other => TExpr::with(Expr::Unary { op: UnaryOp::Minus, expr: Box::new(other) }, ty),
                })
            }
            UnaryOperator::Plus => self.expr(operand),
            other => Err(self.refuse(format!("the operator {other}"), pos)),
        }
    }

    fn binary(&mut self, left: &SqlExpr, op: &BinaryOperator, right: &SqlExpr, pos: Pos) -> Result<TExpr> {
        match op {
            BinaryOperator::And | BinaryOperator::Or => {
                let l = self.condition(left)?;
                let r = self.condition(right)?;
                let op = if *op == BinaryOperator::And { BinOp::And } else { BinOp::Or };
                Ok(TExpr::new(Expr::binary(l, op, r), FlinkType::Boolean))
            }
            BinaryOperator::Xor => {
                let l = self.condition(left)?;
                let r = self.condition(right)?;
                let (l2, r2) = (self.repeat(&l, pos)?, self.repeat(&r, pos)?);
                let either = Expr::binary(l, BinOp::Or, r);
                let both = Expr::binary(l2, BinOp::And, r2);
                Ok(TExpr::new(Expr::binary(either, BinOp::And, both.negated()), FlinkType::Boolean))
            }
            BinaryOperator::Eq
            | BinaryOperator::NotEq
            | BinaryOperator::Lt
            | BinaryOperator::LtEq
            | BinaryOperator::Gt
            | BinaryOperator::GtEq => {
                let op = match op {
                    BinaryOperator::Eq => BinOp::Eq,
                    BinaryOperator::NotEq => BinOp::NotEq,
                    BinaryOperator::Lt => BinOp::Lt,
                    BinaryOperator::LtEq => BinOp::LtEq,
                    BinaryOperator::Gt => BinOp::Gt,
                    _ => BinOp::GtEq,
                };
                let (l, r) = (self.expr(left)?, self.expr(right)?);
                Ok(self.compare(l, op, r))
            }
            BinaryOperator::Spaceship => {
                let (l, r) = (self.expr(left)?, self.expr(right)?);
                let (l, r) = self.coerce_pair(l, r);
                Ok(TExpr::new(
                    Expr::IsDistinctFrom { left: Box::new(l.expr), right: Box::new(r.expr), negated: true },
                    FlinkType::Boolean,
                ))
            }
            BinaryOperator::Plus | BinaryOperator::Minus => self.additive(left, *op == BinaryOperator::Minus, right, pos),
            BinaryOperator::Multiply => {
                let (l, r) = (self.expr(left)?, self.expr(right)?);
                let ty = arithmetic_type(&l.ty, &r.ty);
                Ok(TExpr::with(Expr::binary(l.expr, BinOp::Multiply, r.expr), ty))
            }
            BinaryOperator::Divide => {
                let (l, r) = (self.expr(left)?, self.expr(right)?);
                self.divide(l, r, pos)
            }
            BinaryOperator::Modulo => {
                let (l, r) = (self.expr(left)?, self.expr(right)?);
                Ok(self.modulo(l, r))
            }
            BinaryOperator::MyIntegerDivide => {
                let (l, r) = (self.expr(left)?, self.expr(right)?);
                Ok(self.integer_divide(l, r))
            }
            BinaryOperator::StringConcat => {
                if self.mysql() {
                    self.note(pos, "|| is OR in MySQL (without PIPES_AS_CONCAT): it became OR");
                    let l = self.condition(left)?;
                    let r = self.condition(right)?;
                    return Ok(TExpr::new(Expr::binary(l, BinOp::Or, r), FlinkType::Boolean));
                }
                let mut operands = Vec::new();
                flatten_concat(left, &mut operands);
                flatten_concat(right, &mut operands);
                let mut lowered = Vec::new();
                for o in operands {
                    lowered.push(self.expr(o)?);
                }
                self.oracle_concat(lowered, pos)
            }
            BinaryOperator::Regexp => {
                let (subject, pattern) = (self.expr(left)?, self.expr(right)?);
                Ok(TExpr::new(self.regexp_call(subject, pattern, None, pos)?, FlinkType::Boolean))
            }
            BinaryOperator::Arrow | BinaryOperator::LongArrow => {
                let (doc, path) = (self.expr(left)?, self.expr(right)?);
                let name = if *op == BinaryOperator::LongArrow { "JSON_VALUE" } else { "JSON_QUERY" };
                Ok(TExpr::new(Expr::func(name, vec![doc.expr, path.expr]), FlinkType::String))
            }
            BinaryOperator::BitwiseAnd
            | BinaryOperator::BitwiseOr
            | BinaryOperator::BitwiseXor
            | BinaryOperator::PGBitwiseShiftLeft
            | BinaryOperator::PGBitwiseShiftRight
            | BinaryOperator::PGBitwiseXor => Err(self.refuse(format!("the bitwise operator {op}"), pos)),
            BinaryOperator::Assignment => Err(self.refuse("user variable assignment (:=)", pos)),
            other => Err(self.refuse(format!("the operator {other}"), pos)),
        }
    }

    /// `left op right` for comparisons, with MySQL's literal conversions and collation.
    pub fn compare(&mut self, l: TExpr, op: BinOp, r: TExpr) -> TExpr {
        let (l, r) = self.coerce_pair(l, r);
        let (l, r) = self.case_insensitive_pair(l, r);
        TExpr::new(Expr::binary(l.expr, op, r.expr), FlinkType::Boolean)
    }

    /// Converts a literal compared with a typed operand to that operand's type (MySQL compares a
    /// DATE column with `'2024-01-01'` as a date, an INT column with `'5'` as a number).
    pub fn coerce_pair(&mut self, l: TExpr, r: TExpr) -> (TExpr, TExpr) {
        let l_ty = l.ty.clone();
        let r_ty = r.ty.clone();
        let r = match &l_ty {
            Some(t) => self.coerce_literal(r, t),
            None => r,
        };
        let l = match &r_ty {
            Some(t) => self.coerce_literal(l, t),
            None => l,
        };
        (l, r)
    }

    /// A literal converted to `target` where the source dialect would (MySQL string literals
    /// against dates, times and numbers; `0`/`1` against booleans).
    pub fn coerce_literal(&mut self, t: TExpr, target: &FlinkType) -> TExpr {
        if let Some(s) = t.string_literal() {
            if !self.mysql() {
                return t;
            }
            if target.is_datetime() {
                if let Some((date, time)) = parse_datetime_text(s) {
                    return match (target, time) {
                        (FlinkType::Date, None) => TExpr::new(Expr::Literal(Literal::Date(date)), FlinkType::Date),
                        (_, time) => {
                            let time = time.unwrap_or_else(|| "00:00:00".into());
                            TExpr::new(Expr::Literal(Literal::Timestamp(format!("{date} {time}"))), FlinkType::Timestamp(0))
                        }
                    };
                }
            } else if target.is_numeric() {
                let trimmed = s.trim();
                if !trimmed.is_empty() && trimmed.parse::<f64>().is_ok() && !trimmed.contains(['e', 'E', 'i', 'n', 'I', 'N']) {
                    return TExpr::new(Expr::number(trimmed), number_type(trimmed));
                }
            }
            return t;
        }
        if *target == FlinkType::Boolean && t.is(FlinkType::is_integer) {
            match t.integer_literal() {
                Some(0) => return TExpr::new(Expr::Literal(Literal::Bool(false)), FlinkType::Boolean),
                Some(1) => return TExpr::new(Expr::Literal(Literal::Bool(true)), FlinkType::Boolean),
                _ => {}
            }
        }
        t
    }

    /// MySQL's case-insensitive string comparison: both sides lowered when both are strings.
    pub fn case_insensitive_pair(&mut self, l: TExpr, r: TExpr) -> (TExpr, TExpr) {
        if self.mysql() && self.options.mysql_case_insensitive && l.is(FlinkType::is_string) && r.is(FlinkType::is_string) {
            (lower_case(l), lower_case(r))
        } else {
            (l, r)
        }
    }

    fn in_list(&mut self, expr: &SqlExpr, list: &[SqlExpr], negated: bool) -> Result<TExpr> {
        let operand = self.expr(expr)?;
        let mut items = Vec::new();
        for item in list {
            let t = self.expr(item)?;
            items.push(match &operand.ty {
                Some(ty) => self.coerce_literal(t, ty),
                None => t,
            });
        }
        let ci = self.mysql()
            && self.options.mysql_case_insensitive
            && operand.is(FlinkType::is_string)
            && items.iter().all(|i| i.is(FlinkType::is_string));
        let (operand, items) = if ci {
            (lower_case(operand), items.into_iter().map(lower_case).collect::<Vec<_>>())
        } else {
            (operand, items)
        };
        Ok(TExpr::new(
            Expr::InList { expr: Box::new(operand.expr), negated, list: items.into_iter().map(|i| i.expr).collect() },
            FlinkType::Boolean,
        ))
    }

    fn between(&mut self, expr: &SqlExpr, negated: bool, low: &SqlExpr, high: &SqlExpr) -> Result<TExpr> {
        let operand = self.expr(expr)?;
        let (mut low, mut high) = (self.expr(low)?, self.expr(high)?);
        if let Some(ty) = operand.ty.clone() {
            low = self.coerce_literal(low, &ty);
            high = self.coerce_literal(high, &ty);
        }
        let ci = self.mysql()
            && self.options.mysql_case_insensitive
            && operand.is(FlinkType::is_string)
            && low.is(FlinkType::is_string)
            && high.is(FlinkType::is_string);
        let (operand, low, high) = if ci { (lower_case(operand), lower_case(low), lower_case(high)) } else { (operand, low, high) };
        Ok(TExpr::new(
            Expr::Between { expr: Box::new(operand.expr), negated, low: Box::new(low.expr), high: Box::new(high.expr) },
            FlinkType::Boolean,
        ))
    }

    fn like(
        &mut self,
        expr: &SqlExpr,
        pattern: &SqlExpr,
        negated: bool,
        mut escape: Option<String>,
        force_ci: bool,
        pos: Pos,
    ) -> Result<TExpr> {
        let subject = self.string_arg_typed(expr)?;
        let pattern = self.expr(pattern)?;
        if self.mysql() && escape.is_none() && self.options.mysql_backslash_escapes
            && pattern.string_literal().is_some_and(|p| p.contains('\\')) {
                escape = Some("\\".into());
                self.note(pos, "MySQL's default LIKE escape character \\ made explicit");
            }
        // Flink rejects `\` as a LIKE escape character: a literal pattern gets another one.
        let mut pattern = pattern;
        if escape.as_deref() == Some("\\")
            && let Some(p) = pattern.string_literal().map(str::to_string)
            && let Some(other) = ['!', '#', '~', '^', '|'].into_iter().find(|c| !p.contains(*c))
        {
            pattern = TExpr::with(Expr::string(p.replace('\\', &other.to_string())), pattern.ty.clone());
            escape = Some(other.to_string());
            self.note(pos, format!("LIKE escape character \\ became {other} (Flink refuses \\)"));
        }
        let ci = force_ci
            || (self.mysql() && self.options.mysql_case_insensitive && subject.is(FlinkType::is_string) && pattern.is(FlinkType::is_string));
        let (subject, pattern) = if ci { (lower_case(subject), lower_case(pattern)) } else { (subject, pattern) };
        Ok(TExpr::new(
            Expr::Like { expr: Box::new(subject.expr), negated, pattern: Box::new(pattern.expr), escape },
            FlinkType::Boolean,
        ))
    }

    /// `REGEXP(subject, pattern)`, case-insensitive where MySQL's collation makes it so, or
    /// with Oracle match flags (`i`, `c`).
    pub fn regexp_call(&mut self, subject: TExpr, pattern: TExpr, flags: Option<&str>, pos: Pos) -> Result<Expr> {
        let subject = self.stringified(subject);
        let ci = match flags {
            Some(f) => {
                if let Some(bad) = f.chars().find(|c| !matches!(c, 'i' | 'c')) {
                    return Err(self.refuse(format!("regular expression match flag '{bad}'"), pos));
                }
                f.rfind('i') > f.rfind('c')
            }
            None => self.mysql() && self.options.mysql_case_insensitive,
        };
        let pattern = if ci { case_insensitive_pattern(pattern.expr) } else { pattern.expr };
        Ok(Expr::func("REGEXP", vec![subject, pattern]))
    }

    /// `left ± right`: numbers, MySQL intervals, Oracle date arithmetic.
    fn additive(&mut self, left: &SqlExpr, minus: bool, right: &SqlExpr, pos: Pos) -> Result<TExpr> {
        if let SqlExpr::Interval(i) = right {
            let base = self.expr(left)?;
            let amount = self.interval(i, pos)?;
            return self.date_add(base, amount, minus, pos);
        }
        if let (SqlExpr::Interval(i), false) = (left, minus) {
            let base = self.expr(right)?;
            let amount = self.interval(i, pos)?;
            return self.date_add(base, amount, false, pos);
        }
        let (l, r) = (self.expr(left)?, self.expr(right)?);
        if self.oracle() && l.is(FlinkType::is_datetime) {
            if r.is(FlinkType::is_numeric) {
                return self.add_days(l, r, minus, pos);
            }
            if minus && r.is(FlinkType::is_datetime) {
                return Ok(self.days_between(l, r));
            }
        }
        if self.oracle() && !minus && r.is(FlinkType::is_datetime) && l.is(FlinkType::is_numeric) {
            return self.add_days(r, l, false, pos);
        }
        let ty = arithmetic_type(&l.ty, &r.ty).or_else(|| if l.is(FlinkType::is_datetime) { l.ty.clone() } else { None });
        Ok(TExpr::with(Expr::binary(l.expr, if minus { BinOp::Minus } else { BinOp::Plus }, r.expr), ty))
    }

    /// Oracle `date ± n` (n days, possibly fractional).
    pub fn add_days(&mut self, date: TExpr, n: TExpr, minus: bool, pos: Pos) -> Result<TExpr> {
        let ty = date.ty.clone();
        if let Some(k) = n.integer_literal() {
            let k = if minus { -k } else { k };
            let amount = IntervalAmount { amount: Amount::Literal(k.to_string()), unit: "DAY", last: None, factor: 1 };
            return self.date_add(date, amount, false, pos);
        }
        let signed = |e: Expr| if minus { Expr::Unary { op: UnaryOp::Minus, expr: Box::new(e) } } else { e };
        if n.is(FlinkType::is_integer) {
            return Ok(TExpr::with(Expr::func("TIMESTAMPADD", vec![Expr::Keyword("DAY"), signed(n.expr), date.expr]), ty));
        }
        // Fractions of a day: whole seconds.
        let seconds = Expr::func("ROUND", vec![Expr::binary(n.expr, BinOp::Multiply, Expr::number(86400)), Expr::number(0)])
            .cast(FlinkType::Int);
        let date_expr = if date.ty == Some(FlinkType::Date) { date.expr.cast(FlinkType::Timestamp(0)) } else { date.expr };
        Ok(TExpr::new(
            Expr::func("TIMESTAMPADD", vec![Expr::Keyword("SECOND"), signed(seconds), date_expr]),
            FlinkType::Timestamp(0),
        ))
    }

    /// Oracle `date1 - date2`: days between, with fractions.
    fn days_between(&mut self, later: TExpr, earlier: TExpr) -> TExpr {
        if later.ty == Some(FlinkType::Date) && earlier.ty == Some(FlinkType::Date) {
            return TExpr::new(Expr::func("TIMESTAMPDIFF", vec![Expr::Keyword("DAY"), earlier.expr, later.expr]), FlinkType::Int);
        }
        let seconds = Expr::func("TIMESTAMPDIFF", vec![Expr::Keyword("SECOND"), earlier.expr, later.expr]);
        TExpr::new(
            Expr::binary(seconds.cast(FlinkType::Decimal(38, 10)), BinOp::Divide, Expr::number(86400)),
            FlinkType::Decimal(38, 10),
        )
    }

    /// Reads an `INTERVAL` operand of date arithmetic.
    pub fn interval(&mut self, i: &Interval, pos: Pos) -> Result<IntervalAmount> {
        if i.leading_precision.is_some() || i.fractional_seconds_precision.is_some() {
            // Precisions are Flink's business: recomputed by the printer.
        }
        let leading = i.leading_field.as_ref().ok_or_else(|| self.refuse("INTERVAL without a unit", pos))?;
        let Some((unit, factor)) = time_unit(leading) else {
            return Err(self.refuse(format!("INTERVAL unit {leading}"), pos));
        };
        let last = match &i.last_field {
            None => None,
            Some(f) => match time_unit(f) {
                Some((u, 1)) if factor == 1 => Some(u),
                _ => return Err(self.refuse(format!("INTERVAL unit {leading} TO {f}"), pos)),
            },
        };
        let value = self.expr(&i.value)?;
        let amount = match (&value.expr, value.integer_literal()) {
            (_, Some(n)) => Amount::Literal(n.to_string()),
            (Expr::Literal(Literal::String(s)), _) => {
                let t = s.trim();
                if last.is_none() && t.parse::<i64>().is_err() {
                    return Err(self.refuse(format!("INTERVAL '{s}' {leading} (not a whole number)"), pos));
                }
                Amount::Literal(t.to_string())
            }
            (Expr::Literal(Literal::Number(n)), None) => {
                return Err(self.refuse(format!("INTERVAL {n} {leading} (not a whole number)"), pos));
            }
            _ if last.is_some() => return Err(self.refuse("INTERVAL ranges with a computed value", pos)),
            _ => Amount::Expr(value),
        };
        Ok(IntervalAmount { amount, unit, last, factor })
    }

    /// `base ± interval`, as Flink interval arithmetic (literal amounts) or `TIMESTAMPADD`.
    pub fn date_add(&mut self, base: TExpr, amount: IntervalAmount, minus: bool, pos: Pos) -> Result<TExpr> {
        let time_unit = matches!(amount.unit, "HOUR" | "MINUTE" | "SECOND") || amount.last.is_some_and(|l| matches!(l, "HOUR" | "MINUTE" | "SECOND"));
        // MySQL reads a date string as a date (or a datetime when it has a time).
        let mut base = match base.string_literal().and_then(parse_datetime_text) {
            Some((d, None)) if self.mysql() && !time_unit => TExpr::new(Expr::Literal(Literal::Date(d)), FlinkType::Date),
            Some((d, t)) if self.mysql() => TExpr::new(
                Expr::Literal(Literal::Timestamp(format!("{d} {}", t.unwrap_or_else(|| "00:00:00".into())))),
                FlinkType::Timestamp(0),
            ),
            _ => base,
        };
        if base.ty == Some(FlinkType::Date) && time_unit {
            base = TExpr::new(base.expr.cast(FlinkType::Timestamp(0)), FlinkType::Timestamp(0));
        }
        let ty = base.ty.clone();
        match amount.amount {
            Amount::Literal(text) => {
                let (value, minus) = match (text.parse::<i64>(), amount.last) {
                    (Ok(n), None) => {
                        let n = n.checked_mul(amount.factor).ok_or_else(|| self.refuse("an INTERVAL this large", pos))?;
                        let minus = minus ^ (n < 0);
                        (n.unsigned_abs().to_string(), minus)
                    }
                    (_, Some(_)) => match text.strip_prefix('-') {
                        Some(rest) => (rest.to_string(), !minus),
                        None => (text, minus),
                    },
                    (Err(_), None) => return Err(self.refuse(format!("INTERVAL '{text}' {}", amount.unit), pos)),
                };
                let interval = Expr::Interval { value, leading: amount.unit, last: amount.last };
                Ok(TExpr::with(Expr::binary(base.expr, if minus { BinOp::Minus } else { BinOp::Plus }, interval), ty))
            }
            Amount::Expr(n) => {
                let mut n = n.expr;
                if amount.factor != 1 {
                    n = Expr::binary(n, BinOp::Multiply, Expr::number(amount.factor));
                }
                if minus {
                    n = Expr::Unary { op: UnaryOp::Minus, expr: Box::new(n) };
                }
                Ok(TExpr::with(Expr::func("TIMESTAMPADD", vec![Expr::Keyword(amount.unit), n, base.expr]), ty))
            }
        }
    }

    /// Division. MySQL divides integers into decimals (scale of the dividend + 4) and gives NULL
    /// for a zero divisor; Oracle's numbers divide exactly. Flink divides integers as integers.
    pub fn divide(&mut self, l: TExpr, r: TExpr, pos: Pos) -> Result<TExpr> {
        let both_exact = l.is(FlinkType::is_exact_numeric) && r.is(FlinkType::is_exact_numeric);
        let divisor = if self.mysql() { null_if_zero(r.clone()) } else { r.expr.clone() };
        if self.mysql() {
            if both_exact {
                let scale = l.ty.as_ref().and_then(FlinkType::scale).unwrap_or(0).saturating_add(4).min(30);
                let r_scale = r.ty.as_ref().and_then(FlinkType::scale).unwrap_or(0);
                let inner = (scale + r_scale + 2).clamp(10, 36);
                let quotient = Expr::binary(l.expr.cast(FlinkType::Decimal(38, inner)), BinOp::Divide, divisor);
                return Ok(TExpr::new(quotient.cast(FlinkType::Decimal(38, scale)), FlinkType::Decimal(38, scale)));
            }
            if !(l.is(FlinkType::is_numeric) && r.is(FlinkType::is_numeric)) {
                self.note(pos, "operand types unknown: MySQL divides integers into decimals, Flink into integers");
            }
            let ty = arithmetic_type(&l.ty, &r.ty);
            return Ok(TExpr::with(Expr::binary(l.expr, BinOp::Divide, divisor), ty));
        }
        if both_exact {
            let scale = l.ty.as_ref().and_then(FlinkType::scale).unwrap_or(0).max(10);
            let quotient = Expr::binary(l.expr.cast(FlinkType::Decimal(38, scale)), BinOp::Divide, divisor);
            return Ok(TExpr::new(quotient, FlinkType::Decimal(38, scale)));
        }
        let ty = arithmetic_type(&l.ty, &r.ty);
        Ok(TExpr::with(Expr::binary(l.expr, BinOp::Divide, divisor), ty))
    }

    /// `a % b` (MySQL: NULL for a zero divisor).
    pub fn modulo(&mut self, l: TExpr, r: TExpr) -> TExpr {
        let ty = arithmetic_type(&l.ty, &r.ty);
        let divisor = if self.mysql() { null_if_zero(r) } else { r.expr };
        TExpr::with(Expr::binary(l.expr, BinOp::Modulo, divisor), ty)
    }

    /// MySQL `a DIV b`: integer division truncating toward zero, NULL for a zero divisor.
    fn integer_divide(&mut self, l: TExpr, r: TExpr) -> TExpr {
        let both_int = l.is(FlinkType::is_integer) && r.is(FlinkType::is_integer);
        let ty = if both_int { arithmetic_type(&l.ty, &r.ty) } else { Some(FlinkType::BigInt) };
        let quotient = Expr::binary(l.expr, BinOp::Divide, null_if_zero(r));
        TExpr::with(if both_int { quotient } else { quotient.cast(FlinkType::BigInt) }, ty)
    }

    /// Oracle concatenation (`||`, `CONCAT`): NULL operands count as empty strings, and an empty
    /// result is NULL.
    pub fn oracle_concat(&mut self, operands: Vec<TExpr>, pos: Pos) -> Result<TExpr> {
        let mut args = Vec::new();
        let mut never_empty = false;
        for o in operands {
            if matches!(o.expr, Expr::Literal(Literal::Null)) || matches!(&o.expr, Expr::Cast { expr, .. } if matches!(**expr, Expr::Literal(Literal::Null))) {
                continue;
            }
            if o.string_literal().is_some_and(|s| !s.is_empty()) {
                never_empty = true;
            }
            if o.is(FlinkType::is_datetime) {
                return Err(self.refuse("concatenating a date (its text depends on NLS_DATE_FORMAT; use TO_CHAR)", pos));
            }
            args.push(self.oracle_text(o));
        }
        match args.len() {
            0 => Ok(TExpr::new(Expr::null().cast(FlinkType::String), FlinkType::String)),
            1 if never_empty => Ok(TExpr::new(args.remove(0), FlinkType::String)),
            _ => {
                let mut all = vec![Expr::string("")];
                all.extend(args);
                let joined = Expr::func("CONCAT_WS", all);
                Ok(TExpr::new(
                    if never_empty { joined } else { Expr::func("NULLIF", vec![joined, Expr::string("")]) },
                    FlinkType::String,
                ))
            }
        }
    }

    /// A value as Oracle's implicit conversion to text writes it: numbers without trailing
    /// fractional zeros and without a leading zero (`1.50` is `1.5`, `0.5` is `.5`).
    pub fn oracle_text(&mut self, o: TExpr) -> Expr {
        match &o.ty {
            Some(FlinkType::Decimal(_, s)) if *s > 0 => {
                // A decimal with a scale always prints a point: trailing zeros, then a bare
                // point, then a leading zero go (no group references: Flink's REGEXP_REPLACE
                // takes its replacement literally).
                let text = o.expr.cast(FlinkType::String);
                let trimmed = Expr::func("REGEXP_REPLACE", vec![text, Expr::string("0+$"), Expr::string("")]);
                let no_point = Expr::func("REGEXP_REPLACE", vec![trimmed, Expr::string(r"\.$"), Expr::string("")]);
                let positive = Expr::func("REGEXP_REPLACE", vec![no_point, Expr::string(r"^0\."), Expr::string(".")]);
                Expr::func("REGEXP_REPLACE", vec![positive, Expr::string(r"^-0\."), Expr::string("-.")])
            }
            Some(t) if t.is_string() => o.expr,
            _ => self.stringified(o),
        }
    }

    /// A value as a string: non-string operands are CAST to STRING (numbers passed to string
    /// functions, as MySQL and Oracle convert them implicitly).
    pub fn stringified(&mut self, t: TExpr) -> Expr {
        match &t.ty {
            Some(ty) if ty.is_string() || *ty == FlinkType::Null => t.expr,
            Some(FlinkType::Boolean) if self.mysql() => t.expr.cast(FlinkType::Int).cast(FlinkType::String),
            Some(_) => t.expr.cast(FlinkType::String),
            None => t.expr,
        }
    }

    /// Lowers a string-function argument, converting numbers and dates to strings.
    pub fn string_arg(&mut self, e: &SqlExpr) -> Result<Expr> {
        let t = self.expr(e)?;
        Ok(self.stringified(t))
    }

    /// Like [`Lowerer::string_arg`], keeping the (string) type.
    fn string_arg_typed(&mut self, e: &SqlExpr) -> Result<TExpr> {
        let t = self.expr(e)?;
        let was_string = t.is(FlinkType::is_string);
        let known = t.ty.is_some();
        let expr = self.stringified(t);
        Ok(if was_string || known { TExpr::new(expr, FlinkType::String) } else { TExpr::untyped(expr) })
    }

    /// Notes MySQL's `SUBSTRING(s, 0)` (empty in MySQL, the whole string in Flink).
    pub fn substring_start_note(&mut self, start: &TExpr, pos: Pos) {
        if self.mysql() && start.integer_literal() == Some(0) {
            self.note(pos, "SUBSTRING from position 0 is empty in MySQL but starts at 1 in Flink");
        }
    }

    /// CAST to a source type, mapped to Flink.
    pub fn cast(&mut self, value: TExpr, data_type: &sqlparser::ast::DataType, pos: Pos) -> Result<TExpr> {
        let mapped = types::map(data_type, self.dialect, TypeUse::Cast).map_err(|c| self.refuse(c, pos))?;
        if let Some(n) = mapped.note {
            self.note(pos, n);
        }
        let target = mapped.ty;
        // A date/time string literal becomes a typed literal (MySQL reads it leniently).
        if let Some((d, t)) = value.string_literal().and_then(parse_datetime_text) {
            match (&target, t) {
                (FlinkType::Date, _) if self.mysql() => return Ok(TExpr::new(Expr::Literal(Literal::Date(d)), FlinkType::Date)),
                (FlinkType::Timestamp(p), t) if self.mysql() => {
                    let t = t.unwrap_or_else(|| "00:00:00".into());
                    return Ok(TExpr::new(Expr::Literal(Literal::Timestamp(format!("{d} {t}"))), FlinkType::Timestamp(*p)));
                }
                _ => {}
            }
        }
        if self.oracle() && target.is_datetime() && value.is(FlinkType::is_string) {
            return Err(self.refuse("CAST of a string to a date (its format depends on NLS_DATE_FORMAT; use TO_DATE)", pos));
        }
        // MySQL rounds when converting a fraction to an integer; Flink truncates.
        let rounds = self.mysql()
            && (target == FlinkType::BigInt || target == FlinkType::Decimal(20, 0))
            && value.ty.as_ref().is_some_and(|t| matches!(t, FlinkType::Double | FlinkType::Float) || t.scale().is_some_and(|s| s > 0));
        let expr = if rounds { Expr::func("ROUND", vec![value.expr]) } else { value.expr };
        if self.mysql() && value.ty.is_none() && target == FlinkType::BigInt {
            self.note(pos, "operand type unknown: MySQL rounds fractions converted to integers, Flink truncates them");
        }
        Ok(TExpr::new(expr.cast(target.clone()), target))
    }

    fn extract(&mut self, field: &DateTimeField, expr: &SqlExpr, pos: Pos) -> Result<TExpr> {
        let value = self.temporal_arg(expr)?;
        let name = match field {
            DateTimeField::Year => "YEAR",
            DateTimeField::Month => "MONTH",
            DateTimeField::Day => "DAY",
            DateTimeField::Hour => "HOUR",
            DateTimeField::Minute => "MINUTE",
            DateTimeField::Second if self.mysql() => "SECOND",
            DateTimeField::Quarter => "QUARTER",
            DateTimeField::DayOfYear | DateTimeField::Doy => "DOY",
            other => return Err(self.refuse(format!("EXTRACT({other} ...)"), pos)),
        };
        Ok(TExpr::new(Expr::Extract { field: name, expr: Box::new(value.expr) }, FlinkType::BigInt))
    }

    /// Lowers a date/time argument; a MySQL date string literal becomes a typed literal.
    pub fn temporal_arg(&mut self, e: &SqlExpr) -> Result<TExpr> {
        let t = self.expr(e)?;
        if self.mysql()
            && let Some((d, time)) = t.string_literal().and_then(parse_datetime_text) {
                return Ok(match time {
                    None => TExpr::new(Expr::Literal(Literal::Date(d)), FlinkType::Date),
                    Some(time) => TExpr::new(Expr::Literal(Literal::Timestamp(format!("{d} {time}"))), FlinkType::Timestamp(0)),
                });
            }
        Ok(t)
    }

    /// Lowers an `OVER (...)` window.
    pub fn window(&mut self, w: &WindowType, pos: Pos) -> Result<Window> {
        let spec: &WindowSpec = match w {
            WindowType::WindowSpec(s) => s,
            WindowType::NamedWindow(n) => return Err(self.refuse(format!("named window {n}"), pos)),
        };
        if spec.window_name.is_some() {
            return Err(self.refuse("named window references", pos));
        }
        // MySQL partitions strings under its case-insensitive collation, as it groups them.
        let ci = self.mysql() && self.options.mysql_case_insensitive;
        let partition_by = spec
            .partition_by
            .iter()
            .map(|e| {
                self.expr(e).map(|t| match t.expr {
                    Expr::Column(_) if ci && t.ty.as_ref().is_some_and(FlinkType::is_string) => Expr::func("LOWER", vec![t.expr]),
                    other => other,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let order_by = spec.order_by.iter().map(|o| self.order_item(o)).collect::<Result<Vec<_>>>()?;
        let frame = match &spec.window_frame {
            None => None,
            Some(f) => {
                let rows = match f.units {
                    WindowFrameUnits::Rows => true,
                    WindowFrameUnits::Range => false,
                    WindowFrameUnits::Groups => return Err(self.refuse("GROUPS window frames", pos)),
                };
                let start = self.frame_bound(&f.start_bound)?;
                let end = match &f.end_bound {
                    Some(b) => Some(self.frame_bound(b)?),
                    None => None,
                };
                Some(Frame { rows, start, end })
            }
        };
        Ok(Window { partition_by, order_by, frame })
    }

    fn frame_bound(&mut self, b: &WindowFrameBound) -> Result<FrameBound> {
        Ok(match b {
            WindowFrameBound::CurrentRow => FrameBound::CurrentRow,
            WindowFrameBound::Preceding(None) => FrameBound::Preceding(None),
            WindowFrameBound::Following(None) => FrameBound::Following(None),
            WindowFrameBound::Preceding(Some(e)) => FrameBound::Preceding(Some(Box::new(self.expr(e)?.expr))),
            WindowFrameBound::Following(Some(e)) => FrameBound::Following(Some(Box::new(self.expr(e)?.expr))),
        })
    }

    /// Lowers an ORDER BY item. Oracle sorts NULLs as the largest value (last ascending, first
    /// descending); Flink sorts them first ascending, so Oracle's order is written out.
    pub fn order_item(&mut self, o: &sqlparser::ast::OrderByExpr) -> Result<OrderItem> {
        let pos = pos_of(&o.expr);
        if o.with_fill.is_some() {
            return Err(self.refuse("ORDER BY ... WITH FILL", pos));
        }
        let t = self.expr(&o.expr)?;
        // MySQL sorts strings under its case-insensitive collation ('office' beside 'Office').
        let expr = match t.expr {
            Expr::Column(_) if self.mysql() && self.options.mysql_case_insensitive && t.ty.as_ref().is_some_and(FlinkType::is_string) => {
                Expr::func("LOWER", vec![t.expr])
            }
            other => other,
        };
        let desc = o.options.asc == Some(false);
        let nulls_first = match (o.options.nulls_first, self.dialect) {
            (Some(n), _) => Some(n),
            (None, crate::source_dialect::SourceDialect::Oracle) => Some(desc),
            (None, _) => None,
        };
        Ok(OrderItem { expr, desc, nulls_first })
    }
}

/// `NULLIF(r, 0)` unless `r` is a non-zero number literal.
fn null_if_zero(r: TExpr) -> Expr {
    match &r.expr {
        Expr::Literal(Literal::Number(n)) if n.trim_start_matches('-').chars().any(|c| ('1'..='9').contains(&c)) => r.expr,
        _ => Expr::func("NULLIF", vec![r.expr, Expr::number(0)]),
    }
}

/// `LOWER(e)`, or the literal lower-cased.
pub(crate) fn lower_case(t: TExpr) -> TExpr {
    let ty = t.ty.clone();
    match t.expr {
        Expr::Literal(Literal::String(s)) => TExpr::with(Expr::string(s.to_lowercase()), ty),
        Expr::Literal(Literal::Null) => TExpr::with(Expr::null(), ty),
        other => TExpr::with(Expr::func("LOWER", vec![other]), ty),
    }
}

/// A regular expression made case-insensitive with Java's `(?i)` flag.
pub(crate) fn case_insensitive_pattern(pattern: Expr) -> Expr {
    match pattern {
        Expr::Literal(Literal::String(p)) => Expr::string(format!("(?i){p}")),
        other => Expr::func("CONCAT", vec![Expr::string("(?i)"), other]),
    }
}

/// The operands of a chain of `||`.
fn flatten_concat<'e>(e: &'e SqlExpr, out: &mut Vec<&'e SqlExpr>) {
    match e {
        SqlExpr::BinaryOp { left, op: BinaryOperator::StringConcat, right } => {
            flatten_concat(left, out);
            flatten_concat(right, out);
        }
        SqlExpr::Nested(inner) if matches!(**inner, SqlExpr::BinaryOp { op: BinaryOperator::StringConcat, .. }) => {
            flatten_concat(inner, out)
        }
        other => out.push(other),
    }
}

/// A long text cut for an error message.
pub(crate) fn short(s: &str) -> String {
    if s.chars().count() > 60 { format!("{}...", s.chars().take(57).collect::<String>()) } else { s.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetime_texts() {
        assert_eq!(parse_datetime_text("2024-3-5"), Some(("2024-03-05".into(), None)));
        assert_eq!(parse_datetime_text("2024-03-05 1:02:03.5"), Some(("2024-03-05".into(), Some("01:02:03.5".into()))));
        assert_eq!(parse_datetime_text("2024-13-05"), None);
        assert_eq!(parse_datetime_text("hello"), None);
        assert_eq!(parse_datetime_text("24-03-05"), None);
    }

    #[test]
    fn literal_types() {
        assert_eq!(number_type("12"), FlinkType::Int);
        assert_eq!(number_type("3000000000"), FlinkType::BigInt);
        assert_eq!(number_type("12.50"), FlinkType::Decimal(4, 2));
        assert_eq!(number_type("0.5"), FlinkType::Decimal(1, 1));
        assert_eq!(number_type("1e3"), FlinkType::Double);
    }
}
