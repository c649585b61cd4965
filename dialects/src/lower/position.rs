//! Where a node starts in the source, cheaply.
//!
//! sqlparser's `Spanned::span` unions the spans of a node's whole subtree, so asking it for the
//! start of every expression the walk visits costs the size of the subtree each time. A node
//! starts where its leftmost part starts: these functions follow that part down (the left
//! operand, a function's name, a SELECT's keyword) and fall back to the full span only for the
//! other node kinds, giving the same position `span().start` gives.

use sqlparser::ast::{Expr as SqlExpr, Query, SetExpr, Spanned, Statement, TableFactor};

use crate::error::Pos;

/// The position where a node starts (line 0 when sqlparser has no span for it).
pub(crate) fn pos_of(node: &impl Spanned) -> Pos {
    Pos::from_location(node.span().start)
}

/// First the leftmost part's start; the full span when that part has none.
fn or_span(first: Pos, node: &impl Spanned) -> Pos {
    if first.is_unknown() { pos_of(node) } else { first }
}

/// Where an expression starts.
pub(crate) fn expr_start(e: &SqlExpr) -> Pos {
    match e {
        SqlExpr::BinaryOp { left, .. } => or_span(expr_start(left), e),
        SqlExpr::Nested(inner) => expr_start(inner),
        SqlExpr::Function(f) => or_span(pos_of(&f.name), e),
        SqlExpr::IsNull(inner)
        | SqlExpr::IsNotNull(inner)
        | SqlExpr::IsTrue(inner)
        | SqlExpr::IsFalse(inner)
        | SqlExpr::IsNotTrue(inner)
        | SqlExpr::IsNotFalse(inner) => or_span(expr_start(inner), e),
        SqlExpr::InList { expr, .. }
        | SqlExpr::Between { expr, .. }
        | SqlExpr::Like { expr, .. }
        | SqlExpr::ILike { expr, .. }
        | SqlExpr::InSubquery { expr, .. } => or_span(expr_start(expr), e),
        _ => pos_of(e),
    }
}

/// Where a query starts.
pub(crate) fn query_start(q: &Query) -> Pos {
    match &q.with {
        Some(with) => or_span(pos_of(&with.with_token.0), q),
        None => or_span(set_expr_start(&q.body), q),
    }
}

/// Where a query body starts.
pub(crate) fn set_expr_start(s: &SetExpr) -> Pos {
    match s {
        SetExpr::Select(select) => or_span(pos_of(&select.select_token.0), s),
        SetExpr::Query(q) => query_start(q),
        SetExpr::SetOperation { left, .. } => or_span(set_expr_start(left), s),
        _ => pos_of(s),
    }
}

/// Where a FROM item starts.
pub(crate) fn table_factor_start(tf: &TableFactor) -> Pos {
    match tf {
        TableFactor::Table { name, .. } => or_span(pos_of(name), tf),
        TableFactor::Derived { subquery, .. } => or_span(query_start(subquery), tf),
        _ => pos_of(tf),
    }
}

/// Where a statement starts.
pub(crate) fn statement_start(s: &Statement) -> Pos {
    match s {
        Statement::Query(q) => query_start(q),
        _ => pos_of(s),
    }
}

#[cfg(test)]
mod tests {
    use sqlparser::dialect::MySqlDialect;
    use sqlparser::parser::Parser;

    use super::*;

    /// The shortcuts agree with the full span on every node kind they follow.
    #[test]
    fn shortcuts_agree_with_full_spans() {
        let sql = "WITH c AS (SELECT 1 AS x) SELECT (a + 1) * b, f(x, y) IS NULL, z IN (1, 2), \
                   w BETWEEN 1 AND 2, v LIKE 'a%', u IN (SELECT 1) \
                   FROM t JOIN (SELECT 2 AS y UNION SELECT 3) d ON 1 = 1";
        let statement = Parser::parse_sql(&MySqlDialect {}, sql).expect("parses").remove(0);
        assert_eq!(statement_start(&statement), pos_of(&statement));
        let Statement::Query(q) = &statement else { panic!("a query") };
        assert_eq!(query_start(q), pos_of(q.as_ref()));
        let without_with = Parser::parse_sql(&MySqlDialect {}, &sql[26..]).expect("parses").remove(0);
        let Statement::Query(q) = &without_with else { panic!("a query") };
        assert_eq!(query_start(q), pos_of(q.as_ref()));
        let SetExpr::Select(select) = q.body.as_ref() else { panic!("a select") };
        for item in &select.projection {
            if let sqlparser::ast::SelectItem::UnnamedExpr(e) = item {
                assert_eq!(expr_start(e), pos_of(e), "{e}");
            }
        }
        let join = &select.from[0].joins[0];
        assert_eq!(table_factor_start(&join.relation), pos_of(&join.relation));
        assert_eq!(table_factor_start(&select.from[0].relation), pos_of(&select.from[0].relation));
    }
}
