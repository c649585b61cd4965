//! MySQL's default collation is case-insensitive for grouping too: `GROUP BY status` puts
//! 'shipped', 'Shipped' and 'SHIPPED' in one group and shows one of the group's values, and
//! `SELECT DISTINCT` keeps one of them. Flink compares strings exactly, so a string column used
//! as a grouping key, `k`, becomes `LOWER(k)` and `k` outside aggregates becomes `FIRST_VALUE(k)`
//! (a value of the group, as MySQL shows), and `LOWER(k)` in ORDER BY; under ROLLUP/CUBE the
//! super-aggregate rows keep their NULL. (Computed string keys are left as they are.)

use crate::flink_ast::{BinOp, Expr, OrderItem, Select, SelectItem};
use crate::schema::FlinkType;

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
