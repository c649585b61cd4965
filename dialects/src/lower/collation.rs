//! MySQL's default collation is case-insensitive for grouping too: `GROUP BY status` puts
//! 'shipped', 'Shipped' and 'SHIPPED' in one group and shows one of the group's values, and
//! `SELECT DISTINCT` keeps one of them. Flink compares strings exactly, so a string column used
//! as a grouping key, `k`, becomes `LOWER(k)` and `k` outside aggregates becomes `FIRST_VALUE(k)`
//! (a value of the group, as MySQL shows), and `LOWER(k)` in ORDER BY; under ROLLUP/CUBE the
//! super-aggregate rows keep their NULL. Computed string keys (`GROUP BY CONCAT(a, b)`,
//! `GROUP BY UPPER(name)`, a CASE yielding strings) are grouped the same way: MySQL gives an
//! expression over strings the collation of its operands, and literals the connection's, both
//! case-insensitive by default.

use crate::flink_ast::{BinOp, Expr, OrderItem, Select, SelectItem};
use crate::lower::TExpr;
use crate::schema::FlinkType;

/// The grouping key `t` with its type when it is a string that MySQL groups case-insensitively
/// and Flink would not: a column or an expression over them whose values may differ in case
/// alone (see [`case_form`]), and not one holding a subquery (Flink cannot aggregate over one).
pub(crate) fn string_key(t: &TExpr) -> Option<(Expr, FlinkType)> {
    let ty = t.ty.as_ref().filter(|ty| ty.is_string())?;
    let subquery = contains(&t.expr, &|x| matches!(x, Expr::Subquery(_) | Expr::Exists { .. } | Expr::InSubquery { .. }));
    (case_form(&t.expr) == CaseForm::Mixed && !subquery).then(|| (t.expr.clone(), ty.clone()))
}

/// What is known of the letters in an expression's values. Grouping by an expression that is
/// not `Mixed` gives the same groups with and without case folding, so it needs no rewrite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CaseForm {
    /// No letters (numbers, dates formatted as digits) or one of a fixed set of strings that
    /// differ beyond case.
    Caseless,
    /// Letters, all lower case.
    Lower,
    /// Letters, all upper case.
    Upper,
    /// Letters of either case: two values may differ in case alone.
    Mixed,
}

impl CaseForm {
    fn of_text(s: &str) -> CaseForm {
        match (s.chars().any(char::is_lowercase), s.chars().any(char::is_uppercase)) {
            (false, false) => CaseForm::Caseless,
            (true, false) => CaseForm::Lower,
            (false, true) => CaseForm::Upper,
            (true, true) => CaseForm::Mixed,
        }
    }

    /// The form of a value that may come from either side.
    fn join(self, other: CaseForm) -> CaseForm {
        match (self, other) {
            (CaseForm::Caseless, x) | (x, CaseForm::Caseless) => x,
            (a, b) if a == b => a,
            _ => CaseForm::Mixed,
        }
    }
}

/// Functions whose result's letters are those of their arguments (numbers among them add none).
const CASE_PRESERVING: &[&str] = &[
    "CONCAT", "CONCAT_WS", "COALESCE", "IFNULL", "NULLIF", "SUBSTRING", "SUBSTR", "LEFT", "RIGHT", "TRIM", "LTRIM", "RTRIM",
    "LPAD", "RPAD", "REPEAT", "REVERSE",
];

/// Letters of a Java date pattern (Flink's DATE_FORMAT) that print digits; with `M` at most twice.
const DIGIT_PATTERN_LETTERS: &str = "yMdHhmsSkKDuwW";

/// What is known of the letters in the values of `e`.
pub(crate) fn case_form(e: &Expr) -> CaseForm {
    use crate::flink_ast::Literal;
    let join_all = |es: &mut dyn Iterator<Item = &Expr>| es.fold(CaseForm::Caseless, |f, x| f.join(case_form(x)));
    match e {
        Expr::Literal(Literal::String(s)) => CaseForm::of_text(s),
        Expr::Literal(_) | Expr::Keyword(_) => CaseForm::Caseless,
        Expr::Cast { expr, .. } => case_form(expr),
        Expr::Func(f) if f.over.is_none() => match f.name.to_ascii_uppercase().as_str() {
            "LOWER" => CaseForm::Lower,
            "UPPER" => CaseForm::Upper,
            "DATE_FORMAT" => match f.args.get(1) {
                Some(Expr::Literal(Literal::String(p))) if digits_only_pattern(p) => CaseForm::Caseless,
                _ => CaseForm::Mixed,
            },
            "IF" => join_all(&mut f.args.iter().skip(1)),
            name if CASE_PRESERVING.contains(&name) => join_all(&mut f.args.iter()),
            _ => CaseForm::Mixed,
        },
        Expr::Case { whens, otherwise, .. } => {
            let results: Vec<&Expr> = whens.iter().map(|(_, then)| then).chain(otherwise.as_deref()).collect();
            // A fixed set of strings that differ beyond case groups the same either way.
            let literals: Option<Vec<&str>> = results
                .iter()
                .map(|r| match r {
                    Expr::Literal(Literal::String(s)) => Some(s.as_str()),
                    _ => None,
                })
                .collect();
            match literals {
                Some(mut exact) => {
                    exact.sort_unstable();
                    exact.dedup();
                    let mut folded: Vec<String> = exact.iter().map(|s| s.to_lowercase()).collect();
                    folded.sort_unstable();
                    folded.dedup();
                    if folded.len() == exact.len() { CaseForm::Caseless } else { CaseForm::Mixed }
                }
                None => join_all(&mut results.into_iter()),
            }
        }
        _ => CaseForm::Mixed,
    }
}

/// True when a Java date pattern prints only digits and separators.
fn digits_only_pattern(p: &str) -> bool {
    !p.contains('\'')
        && !p.contains("MMM")
        && p.chars().all(|c| !c.is_alphabetic() || DIGIT_PATTERN_LETTERS.contains(c))
}

/// Flink's aggregate functions, whose arguments are not grouping keys.
const FLINK_AGGREGATES: &[&str] = &[
    "AVG", "COLLECT", "COUNT", "FIRST_VALUE", "LAST_VALUE", "LISTAGG", "MAX", "MIN", "STDDEV_POP", "STDDEV_SAMP", "SUM",
    "VAR_POP", "VAR_SAMP", "ARRAY_AGG", "JSON_ARRAYAGG", "JSON_OBJECTAGG", "PERCENTILE",
];

fn is_aggregate(e: &Expr) -> bool {
    matches!(e, Expr::Func(f) if f.over.is_none() && FLINK_AGGREGATES.iter().any(|a| f.name.eq_ignore_ascii_case(a)))
}

/// True when the select list aggregates (then DISTINCT is not turned into GROUP BY).
pub(crate) fn projection_aggregates(items: &[SelectItem]) -> bool {
    items.iter().any(|i| matches!(i, SelectItem::Expr { expr, .. } if contains(expr, &is_aggregate)))
}

fn contains(e: &Expr, pred: &dyn Fn(&Expr) -> bool) -> bool {
    let mut found = false;
    let mut probe = e.clone();
    visit_mut(&mut probe, &mut |x| {
        if pred(x) {
            found = true;
        }
        !found
    });
    found
}

/// Applies `f` to `e` and, while `f` returns true, to its sub-expressions (not into subqueries
/// or window specifications).
fn visit_mut(e: &mut Expr, f: &mut dyn FnMut(&mut Expr) -> bool) {
    if !f(e) {
        return;
    }
    match e {
        Expr::Unary { expr, .. } | Expr::Cast { expr, .. } | Expr::Is { expr, .. } | Expr::Extract { expr, .. } | Expr::FloorCeil { expr, .. } => visit_mut(expr, f),
        Expr::Binary { left, right, .. } | Expr::IsDistinctFrom { left, right, .. } => {
            visit_mut(left, f);
            visit_mut(right, f);
        }
        Expr::Func(func) => func.args.iter_mut().for_each(|a| visit_mut(a, f)),
        Expr::Case { operand, whens, otherwise } => {
            if let Some(o) = operand {
                visit_mut(o, f);
            }
            for (w, t) in whens {
                visit_mut(w, f);
                visit_mut(t, f);
            }
            if let Some(o) = otherwise {
                visit_mut(o, f);
            }
        }
        Expr::Between { expr, low, high, .. } => {
            visit_mut(expr, f);
            visit_mut(low, f);
            visit_mut(high, f);
        }
        Expr::InList { expr, list, .. } => {
            visit_mut(expr, f);
            list.iter_mut().for_each(|x| visit_mut(x, f));
        }
        Expr::InSubquery { expr, .. } => visit_mut(expr, f),
        Expr::Like { expr, pattern, .. } => {
            visit_mut(expr, f);
            visit_mut(pattern, f);
        }
        Expr::Position { needle, haystack } => {
            visit_mut(needle, f);
            visit_mut(haystack, f);
        }
        Expr::Trim { what, expr, .. } => {
            if let Some(w) = what {
                visit_mut(w, f);
            }
            visit_mut(expr, f);
        }
        Expr::Row(items) => items.iter_mut().for_each(|x| visit_mut(x, f)),
        Expr::Grouping { sets, .. } => sets.iter_mut().flatten().for_each(|x| visit_mut(x, f)),
        Expr::Column(_) | Expr::Literal(_) | Expr::Keyword(_) | Expr::Star | Expr::Interval { .. } | Expr::Exists { .. } | Expr::Subquery(_) => {}
    }
}

/// Replaces `key` by `with` wherever it appears outside aggregate calls.
fn replace_outside_aggregates(e: &mut Expr, key: &Expr, with: &Expr) {
    visit_mut(e, &mut |x| {
        if x == key {
            *x = with.clone();
            return false;
        }
        !is_aggregate(x)
    });
}

/// The 0-based select-list position an ORDER BY ordinal names.
fn ordinal(e: &Expr) -> Option<usize> {
    match e {
        Expr::Literal(crate::flink_ast::Literal::Number(n)) => n.parse::<usize>().ok()?.checked_sub(1),
        _ => None,
    }
}

/// Groups the string keys `keys` (lowered expressions of the GROUP BY, with their types)
/// case-insensitively. Returns true when something changed.
pub(crate) fn group_case_insensitively(select: &mut Select, order_by: &mut [OrderItem], keys: &[(Expr, FlinkType)]) -> bool {
    if keys.is_empty() || select.projection.iter().any(|i| !matches!(i, SelectItem::Expr { .. })) {
        return false;
    }
    let grouping_sets = select.group_by.iter().any(|g| matches!(g, Expr::Grouping { .. }));
    for (key, ty) in keys {
        let lowered = Expr::func("LOWER", vec![key.clone()]);
        let first = Expr::func("FIRST_VALUE", vec![key.clone()]);
        let shown = if grouping_sets {
            // GROUPING(LOWER(k)) = 1 on the rows ROLLUP/CUBE add: k is NULL there.
            let rolled_up = Expr::binary(Expr::func("GROUPING", vec![lowered.clone()]), BinOp::Eq, Expr::number(1));
            Expr::Case { operand: None, whens: vec![(rolled_up, Expr::null().cast(ty.clone()))], otherwise: Some(Box::new(first)) }
        } else {
            first
        };
        for g in &mut select.group_by {
            visit_mut(g, &mut |x| {
                if x == key {
                    *x = lowered.clone();
                    return false;
                }
                true
            });
        }
        // ORDER BY n naming this key's select-list item sorts by the key, folded like it.
        for o in order_by.iter_mut() {
            if let Some(SelectItem::Expr { expr, .. }) = ordinal(&o.expr).and_then(|n| select.projection.get(n))
                && expr == key {
                    o.expr = lowered.clone();
                }
        }
        for item in &mut select.projection {
            if let SelectItem::Expr { expr, alias } = item {
                if alias.is_none()
                    && expr == key
                    && let Expr::Column(name) = key
                {
                    *alias = name.last().cloned();
                }
                replace_outside_aggregates(expr, key, &shown);
            }
        }
        if let Some(h) = &mut select.having {
            replace_outside_aggregates(h, key, &shown);
        }
        // ORDER BY sorts by the grouping key itself, LOWER(k) (as MySQL's collation sorts; Flink
        // refuses FIRST_VALUE in a sort key).
        for o in order_by.iter_mut() {
            visit_mut(&mut o.expr, &mut |x| {
                if *x == lowered {
                    return false;
                }
                if x == key {
                    *x = lowered.clone();
                    return false;
                }
                !is_aggregate(x)
            });
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Expr {
        Expr::Literal(crate::flink_ast::Literal::String(text.into()))
    }

    fn col(name: &str) -> Expr {
        Expr::Column(vec![name.into()])
    }

    fn case(results: &[Expr]) -> Expr {
        let whens = results[..results.len() - 1].iter().map(|r| (col("c"), r.clone())).collect();
        Expr::Case { operand: None, whens, otherwise: results.last().cloned().map(Box::new) }
    }

    #[test]
    fn keys_that_cannot_differ_in_case_alone_are_not_rewritten() {
        let month = Expr::func("DATE_FORMAT", vec![col("d"), s("yyyy-MM")]);
        assert_eq!(case_form(&month), CaseForm::Caseless);
        assert_eq!(case_form(&Expr::func("DATE_FORMAT", vec![col("d"), s("MMM yyyy")])), CaseForm::Mixed);
        assert_eq!(case_form(&case(&[s("premium"), s("regular")])), CaseForm::Caseless);
        assert_eq!(case_form(&case(&[s("S"), s("M"), s("L"), s("M")])), CaseForm::Caseless);
        assert_eq!(case_form(&case(&[s("a"), s("A")])), CaseForm::Mixed);
        assert_eq!(case_form(&Expr::func("UPPER", vec![col("name")])), CaseForm::Upper);
        assert_eq!(case_form(&Expr::func("CONCAT", vec![Expr::func("LOWER", vec![col("a")]), s("-"), month.clone()])), CaseForm::Lower);
        assert_eq!(case_form(&Expr::func("CONCAT", vec![Expr::func("LOWER", vec![col("a")]), Expr::func("UPPER", vec![col("b")])])), CaseForm::Mixed);
        assert_eq!(case_form(&case(&[Expr::func("LOWER", vec![col("a")]), s("ABC")])), CaseForm::Mixed);
        assert_eq!(case_form(&Expr::func("CONCAT", vec![col("a"), s("x")])), CaseForm::Mixed);
        assert_eq!(case_form(&col("a")), CaseForm::Mixed);
    }
}
