//! Queries: WITH, SELECT, set operations, ORDER BY, LIMIT/OFFSET/FETCH, FROM DUAL, MySQL's
//! GROUP BY ordinals and aliases and HAVING aliases, and Oracle's `ROWNUM <= n`.

use std::ops::ControlFlow;

use sqlparser::ast::{
    BinaryOperator, Distinct, Expr as SqlExpr, GroupByExpr, GroupByWithModifier, Ident, LimitClause, ObjectName,
    OrderBy, OrderByExpr, OrderByKind, OrderByOptions, Query as SqlQuery, Select as SqlSelect, SelectItem as SqlItem,
    SelectItemQualifiedWildcardKind, SetExpr as SqlSetExpr, SetOperator, SetQuantifier, TableAliasColumnDef, TableFactor, Value,
    ValueWithSpan,
};

use super::collation;
use super::scope::{AliasEnv, Columns, CteInfo, Scope};
use super::{Lowerer, TExpr, pos_of};
use crate::error::{Pos, TranslateError};
use crate::flink_ast::{Cte, Expr, Literal, OrderItem, Query, Select, SelectItem, SetExpr, SetOp};
use crate::schema::FlinkType;

type Result<T> = std::result::Result<T, TranslateError>;

/// Splits a condition into its AND-ed parts.
pub(crate) fn conjuncts(e: &SqlExpr) -> Vec<&SqlExpr> {
    match e {
        SqlExpr::BinaryOp { left, op: BinaryOperator::And, right } => {
            let mut v = conjuncts(left);
            v.extend(conjuncts(right));
            v
        }
        SqlExpr::Nested(inner) if matches!(**inner, SqlExpr::BinaryOp { op: BinaryOperator::And, .. }) => conjuncts(inner),
        other => vec![other],
    }
}

/// The AND of some conditions (`None` for none).
pub(crate) fn and_all(parts: Vec<SqlExpr>) -> Option<SqlExpr> {
    parts.into_iter().reduce(|a, b| SqlExpr::BinaryOp { left: Box::new(a), op: BinaryOperator::And, right: Box::new(b) })
}

/// Visits the expressions of one query level: subqueries are not entered.
struct ThisLevel<F: FnMut(&SqlExpr) -> bool> {
    depth: usize,
    found: F,
}

impl<F: FnMut(&SqlExpr) -> bool> sqlparser::ast::Visitor for ThisLevel<F> {
    type Break = ();

    fn pre_visit_query(&mut self, _q: &SqlQuery) -> ControlFlow<()> {
        self.depth += 1;
        ControlFlow::Continue(())
    }

    fn post_visit_query(&mut self, _q: &SqlQuery) -> ControlFlow<()> {
        self.depth -= 1;
        ControlFlow::Continue(())
    }

    fn pre_visit_expr(&mut self, e: &SqlExpr) -> ControlFlow<()> {
        if self.depth == 0 && (self.found)(e) { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    }
}

/// True when `f` holds for an expression of `node`'s own query level (not inside subqueries).
pub(crate) fn any_at_this_level<V: sqlparser::ast::Visit>(node: &V, f: impl FnMut(&SqlExpr) -> bool) -> bool {
    let mut v = ThisLevel { depth: 0, found: f };
    node.visit(&mut v).is_break()
}

/// True when `e` mentions the bare name `name` (case-insensitively, unquoted) at its own level.
fn mentions(e: &SqlExpr, name: &str) -> bool {
    any_at_this_level(e, |x| matches!(x, SqlExpr::Identifier(i) if i.quote_style.is_none() && i.value.eq_ignore_ascii_case(name)))
}

/// Aggregate function names (for refusing ROWNUM over aggregation).
const AGGREGATES: &[&str] = &[
    "AVG", "COUNT", "GROUP_CONCAT", "LISTAGG", "MAX", "MEDIAN", "MIN", "STDDEV", "STDDEV_POP", "STDDEV_SAMP", "SUM",
    "VARIANCE", "VAR_POP", "VAR_SAMP",
];

fn has_aggregate(items: &[SqlItem]) -> bool {
    items.iter().any(|item| {
        any_at_this_level(item, |x| {
            matches!(x, SqlExpr::Function(f) if f.over.is_none() && AGGREGATES.iter().any(|a| f.name.to_string().eq_ignore_ascii_case(a)))
        })
    })
}

fn number(n: i64) -> SqlExpr {
    SqlExpr::Value(ValueWithSpan::from(Value::Number(n.to_string(), false)))
}

/// The ordered subquery of `SELECT * FROM (subquery) WHERE ROWNUM <= n`, which Oracle's ROWNUM
/// rule translates as the subquery itself (limited): the result's columns are the subquery's.
pub(crate) fn rownum_star_subquery(q: &SqlQuery) -> Option<&SqlQuery> {
    let SqlSetExpr::Select(s) = q.body.as_ref() else { return None };
    let [twj] = s.from.as_slice() else { return None };
    let TableFactor::Derived { lateral: false, subquery, alias, .. } = &twj.relation else { return None };
    let star_only = s.projection.iter().all(|i| match i {
        SqlItem::Wildcard(_) => true,
        SqlItem::QualifiedWildcard(SelectItemQualifiedWildcardKind::ObjectName(name), _) => {
            alias.as_ref().is_some_and(|a| name.to_string().eq_ignore_ascii_case(&a.name.value))
        }
        _ => false,
    });
    let rownum = s.selection.as_ref().is_some_and(|w| mentions(w, "ROWNUM"));
    (rownum && star_only && twj.joins.is_empty() && subquery.order_by.is_some() && alias.as_ref().is_none_or(|a| a.columns.is_empty()))
        .then_some(subquery.as_ref())
}

/// `ROWNUM <= n` and its spellings: the limit it means.
fn rownum_bound(e: &SqlExpr) -> Option<i64> {
    let SqlExpr::BinaryOp { left, op, right } = e else { return None };
    let is_rownum = |x: &SqlExpr| matches!(x, SqlExpr::Identifier(i) if i.quote_style.is_none() && i.value.eq_ignore_ascii_case("ROWNUM"));
    let literal = |x: &SqlExpr| match x {
        SqlExpr::Value(v) => match &v.value {
            Value::Number(n, _) => n.parse::<i64>().ok(),
            _ => None,
        },
        _ => None,
    };
    let (op, n) = if is_rownum(left) {
        (op.clone(), literal(right)?)
    } else if is_rownum(right) {
        let flipped = match op {
            BinaryOperator::GtEq => BinaryOperator::LtEq,
            BinaryOperator::Gt => BinaryOperator::Lt,
            BinaryOperator::Eq => BinaryOperator::Eq,
            _ => return None,
        };
        (flipped, literal(left)?)
    } else {
        return None;
    };
    match op {
        BinaryOperator::LtEq => Some(n.max(0)),
        BinaryOperator::Lt => Some((n - 1).max(0)),
        BinaryOperator::Eq if n == 1 => Some(1),
        _ => None,
    }
}

impl Lowerer<'_> {
    /// Lowers a subquery: select-list aliases of the enclosing query are not visible in it.
    pub fn subquery(&mut self, q: &SqlQuery) -> Result<(Query, Option<Columns>)> {
        let saved = self.alias_env.take();
        let result = self.query(q);
        self.alias_env = saved;
        result
    }

    /// Lowers a query, returning it with its output columns when they are known.
    pub fn query(&mut self, q: &SqlQuery) -> Result<(Query, Option<Columns>)> {
        let pos = super::position::query_start(q);
        if let Some(lock) = q.locks.first() {
            return Err(self.refuse(format!("FOR {} (row locking)", lock.lock_type), pos));
        }
        if q.for_clause.is_some() || q.settings.is_some() || q.format_clause.is_some() || !q.pipe_operators.is_empty() {
            return Err(self.refuse("this query clause", pos));
        }
        if self.oracle()
            && let Some(rewritten) = self.rownum_query(q)? {
                return self.query(&rewritten);
            }
        let ctes_before = self.ctes.len();
        let result = self.query_inner(q, pos);
        self.ctes.truncate(ctes_before);
        result
    }

    fn query_inner(&mut self, q: &SqlQuery, pos: Pos) -> Result<(Query, Option<Columns>)> {
        let mut with = Vec::new();
        if let Some(w) = &q.with {
            if w.recursive {
                return Err(self.refuse("recursive CTE (WITH RECURSIVE)", pos_of(w)));
            }
            for cte in &w.cte_tables {
                if cte.materialized.is_some() || cte.from.is_some() {
                    return Err(self.refuse("CTE modifiers", pos_of(cte)));
                }
                let (query, columns) = self.subquery(&cte.query)?;
                let names: Vec<String> = cte.alias.columns.iter().map(|c| c.name.value.clone()).collect();
                let columns = rename(columns, &names);
                self.ctes.push(CteInfo { name: cte.alias.name.value.clone(), columns });
                with.push(Cte { name: cte.alias.name.value.clone(), columns: names, query });
            }
        }
        let (body, order_by, columns) = match q.body.as_ref() {
            SqlSetExpr::Select(s) => {
                let (select, order_by, columns) = self.select(s, q.order_by.as_ref())?;
                (SetExpr::Select(Box::new(select)), order_by, columns)
            }
            other => {
                let (body, columns) = self.set_expr(other)?;
                let order_by = self.order_by(q.order_by.as_ref())?;
                (body, order_by, columns)
            }
        };
        let (limit, offset) = self.limit_offset(q, pos)?;
        Ok((Query { with, body, order_by, limit, offset }, columns))
    }

    fn order_by(&mut self, o: Option<&OrderBy>) -> Result<Vec<OrderItem>> {
        let Some(o) = o else { return Ok(Vec::new()) };
        if o.interpolate.is_some() {
            return Err(self.refuse("ORDER BY ... INTERPOLATE", Pos::default()));
        }
        match &o.kind {
            OrderByKind::Expressions(items) => items.iter().map(|i| self.order_item(i)).collect(),
            OrderByKind::All(_) => Err(self.refuse("ORDER BY ALL", Pos::default())),
        }
    }

    fn limit_offset(&mut self, q: &SqlQuery, pos: Pos) -> Result<(Option<Expr>, Option<Expr>)> {
        let (mut limit, mut offset) = (None, None);
        match &q.limit_clause {
            None => {}
            Some(LimitClause::LimitOffset { limit: l, offset: o, limit_by }) => {
                if !limit_by.is_empty() {
                    return Err(self.refuse("LIMIT ... BY", pos));
                }
                if let Some(l) = l
                    && !matches!(l, SqlExpr::Value(v) if v.value == Value::Null) {
                        limit = Some(self.expr(l)?.expr);
                    }
                if let Some(o) = o {
                    offset = Some(self.expr(&o.value)?.expr);
                }
            }
            Some(clause @ LimitClause::OffsetCommaLimit { offset: o, limit: l }) => {
                let (o, l) = (self.expr(o)?.expr, self.expr(l)?.expr);
                self.note(
                    pos_of(clause),
                    format!(
                        "LIMIT {}, {} became LIMIT {} OFFSET {}",
                        crate::printer::expr(&o),
                        crate::printer::expr(&l),
                        crate::printer::expr(&l),
                        crate::printer::expr(&o)
                    ),
                );
                limit = Some(l);
                offset = Some(o);
            }
        }
        if let Some(fetch) = &q.fetch {
            if fetch.with_ties {
                return Err(self.refuse("FETCH ... WITH TIES", pos));
            }
            if fetch.percent {
                return Err(self.refuse("FETCH ... PERCENT", pos));
            }
            if limit.is_some() {
                return Err(self.refuse("both LIMIT and FETCH", pos));
            }
            limit = Some(match &fetch.quantity {
                Some(n) => self.expr(n)?.expr,
                None => Expr::number(1),
            });
        }
        Ok((limit, offset))
    }

    fn set_expr(&mut self, s: &SqlSetExpr) -> Result<(SetExpr, Option<Columns>)> {
        match s {
            SqlSetExpr::Select(sel) => {
                let (select, order, columns) = self.select(sel, None)?;
                debug_assert!(order.is_empty());
                Ok((SetExpr::Select(Box::new(select)), columns))
            }
            SqlSetExpr::Query(q) => {
                let (query, columns) = self.subquery(q)?;
                Ok((SetExpr::Query(Box::new(query)), columns))
            }
            SqlSetExpr::SetOperation { left, op, set_quantifier, right } => {
                let pos = super::position::set_expr_start(s);
                let op = match op {
                    SetOperator::Union => SetOp::Union,
                    SetOperator::Except => SetOp::Except,
                    SetOperator::Intersect => SetOp::Intersect,
                    SetOperator::Minus => {
                        self.note(pos, "MINUS became EXCEPT");
                        SetOp::Except
                    }
                };
                let all = match set_quantifier {
                    SetQuantifier::All => true,
                    SetQuantifier::None | SetQuantifier::Distinct => false,
                    _ => return Err(self.refuse(format!("{set_quantifier} set operations"), pos)),
                };
                let (l, columns) = self.set_expr(left)?;
                let (r, right_columns) = self.set_expr(right)?;
                // Output names come from the left; a type is known when both sides agree.
                let columns = match (columns, right_columns) {
                    (Some(l), Some(r)) if l.len() == r.len() => Some(
                        l.into_iter()
                            .zip(r)
                            .map(|((n, lt), (_, rt))| (n, if lt == rt { lt } else { None }))
                            .collect(),
                    ),
                    _ => None,
                };
                Ok((SetExpr::SetOp { op, all, left: Box::new(l), right: Box::new(r) }, columns))
            }
            SqlSetExpr::Values(v) => {
                let mut rows = Vec::new();
                for row in &v.rows {
                    let mut out = Vec::new();
                    for e in &row.content {
                        let t = self.expr(e)?;
                        out.push(typed_null(t));
                    }
                    rows.push(out);
                }
                Ok((SetExpr::Values(rows), None))
            }
            other => Err(self.refuse(format!("{} as a query", super::expr::short(&other.to_string())), pos_of(other))),
        }
    }

    /// Lowers a SELECT, and the ORDER BY of its query (which may use the SELECT's names).
    fn select(&mut self, s: &SqlSelect, order_by: Option<&OrderBy>) -> Result<(Select, Vec<OrderItem>, Option<Columns>)> {
        let pos = pos_of(&s.select_token.0);
        if let Some(c) = s.connect_by.first() {
            let at = match c {
                sqlparser::ast::ConnectByKind::ConnectBy { connect_token, .. } => pos_of(&connect_token.0),
                sqlparser::ast::ConnectByKind::StartWith { start_token, .. } => pos_of(&start_token.0),
            };
            return Err(self.refuse("CONNECT BY (hierarchical queries)", at));
        }
        if s.into.is_some() {
            return Err(self.refuse("SELECT ... INTO", pos));
        }
        if s.top.is_some() {
            return Err(self.refuse("TOP", pos));
        }
        if !s.lateral_views.is_empty() || s.prewhere.is_some() || !s.cluster_by.is_empty() || !s.distribute_by.is_empty() || !s.sort_by.is_empty() || s.qualify.is_some() || s.value_table_mode.is_some() || s.exclude.is_some() {
            return Err(self.refuse("this SELECT clause", pos));
        }
        if !s.named_window.is_empty() {
            return Err(self.refuse("the WINDOW clause", pos));
        }
        if !matches!(s.flavor, sqlparser::ast::SelectFlavor::Standard) {
            return Err(self.refuse("FROM-first SELECT", pos));
        }
        if !s.optimizer_hints.is_empty() {
            self.note(pos, "optimizer hints dropped");
        }
        if let Some(m) = &s.select_modifiers {
            let flags = [
                (m.high_priority, "HIGH_PRIORITY"),
                (m.straight_join, "STRAIGHT_JOIN"),
                (m.sql_small_result, "SQL_SMALL_RESULT"),
                (m.sql_big_result, "SQL_BIG_RESULT"),
                (m.sql_buffer_result, "SQL_BUFFER_RESULT"),
                (m.sql_no_cache, "SQL_NO_CACHE"),
                (m.sql_calc_found_rows, "SQL_CALC_FOUND_ROWS"),
            ];
            for (_, name) in flags.iter().filter(|(on, _)| *on) {
                self.note(pos, format!("{name} dropped"));
            }
        }
        let distinct = match &s.distinct {
            None | Some(Distinct::All) => false,
            Some(Distinct::Distinct) => true,
            Some(Distinct::On(_)) => return Err(self.refuse("DISTINCT ON", pos)),
        };

        // FROM DUAL is no FROM at all; Oracle (+) joins become ANSI joins.
        let is_dual = matches!(s.from.as_slice(), [twj] if twj.joins.is_empty()
            && matches!(&twj.relation, TableFactor::Table { name, alias: None, .. } if name.0.len() == 1 && name.to_string().eq_ignore_ascii_case("DUAL")));
        let rewritten_joins = if self.oracle() && !is_dual { self.eliminate_join_marks(s)? } else { None };
        let (lower_from, selection) = match &rewritten_joins {
            Some((from, selection)) => (from.as_slice(), selection.as_ref()),
            None => (if is_dual { &[][..] } else { s.from.as_slice() }, s.selection.as_ref()),
        };

        self.scopes.push(Scope::default());
        let result = self.select_in_scope(s, lower_from, selection, distinct, order_by);
        self.scopes.pop();
        result
    }

    fn select_in_scope(
        &mut self,
        s: &SqlSelect,
        lower_from: &[sqlparser::ast::TableWithJoins],
        selection: Option<&SqlExpr>,
        distinct: bool,
        order_by: Option<&OrderBy>,
    ) -> Result<(Select, Vec<OrderItem>, Option<Columns>)> {
        let from = self.lower_from(lower_from)?;
        let selection = match selection {
            Some(w) => Some(self.condition(w)?),
            None => None,
        };

        // Select list, remembering aliases for GROUP BY and HAVING.
        let mut projection = Vec::new();
        let mut aliases: Vec<(String, TExpr)> = Vec::new();
        let mut positional: Vec<Option<TExpr>> = Vec::new();
        let mut outputs: Option<Columns> = Some(Vec::new());
        for (i, item) in s.projection.iter().enumerate() {
            match item {
                SqlItem::UnnamedExpr(e) => {
                    let t = self.expr(e)?;
                    let name = match e {
                        SqlExpr::Identifier(id) => id.value.clone(),
                        SqlExpr::CompoundIdentifier(ids) => ids.last().map(|i| i.value.clone()).unwrap_or_default(),
                        _ => format!("EXPR${i}"),
                    };
                    let name = match &t.expr {
                        Expr::Column(n) => n.last().cloned().unwrap_or(name),
                        _ => name,
                    };
                    if let Some(o) = outputs.as_mut() {
                        o.push((name, t.ty.clone()));
                    }
                    positional.push(Some(t.clone()));
                    projection.push(SelectItem::Expr { expr: typed_null(t), alias: None });
                }
                SqlItem::ExprWithAlias { expr, alias } => {
                    let t = self.expr(expr)?;
                    if let Some(o) = outputs.as_mut() {
                        o.push((alias.value.clone(), t.ty.clone()));
                    }
                    aliases.push((alias.value.clone(), t.clone()));
                    positional.push(Some(t.clone()));
                    projection.push(SelectItem::Expr { expr: typed_null(t), alias: Some(alias.value.clone()) });
                }
                SqlItem::Wildcard(opts) => {
                    if has_wildcard_options(opts) {
                        return Err(self.refuse("wildcard options", pos_of(item)));
                    }
                    let all = self.scopes.last().map(|sc| sc.relations.clone()).unwrap_or_default();
                    outputs = match outputs {
                        Some(mut o) if all.iter().all(|r| r.columns.is_some()) => {
                            for r in &all {
                                o.extend(r.columns.clone().unwrap_or_default());
                            }
                            Some(o)
                        }
                        _ => None,
                    };
                    positional.push(None);
                    projection.push(SelectItem::Wildcard);
                }
                SqlItem::QualifiedWildcard(kind, opts) => {
                    if has_wildcard_options(opts) {
                        return Err(self.refuse("wildcard options", pos_of(item)));
                    }
                    let SelectItemQualifiedWildcardKind::ObjectName(name) = kind else {
                        return Err(self.refuse("expression.*", pos_of(item)));
                    };
                    let idents = object_idents(name);
                    let rel = self.scopes.last().and_then(|sc| {
                        sc.relations.iter().find(|r| idents.last().is_some_and(|q| q.value.eq_ignore_ascii_case(&r.qualifier))).cloned()
                    });
                    outputs = match (outputs, rel.as_ref().and_then(|r| r.columns.clone())) {
                        (Some(mut o), Some(cols)) => {
                            o.extend(cols);
                            Some(o)
                        }
                        _ => None,
                    };
                    let printed = match &rel {
                        Some(r) if idents.len() == 1 => vec![r.qualifier.clone()],
                        _ => idents.iter().map(|i| i.value.clone()).collect(),
                    };
                    positional.push(None);
                    projection.push(SelectItem::QualifiedWildcard(printed));
                }
                SqlItem::ExprWithAliases { .. } => return Err(self.refuse("multiple aliases for one expression", pos_of(item))),
            }
        }
        let named_aliases = aliases;

        // GROUP BY: ordinals and (MySQL) aliases name select-list expressions.
        let mut group_by = Vec::new();
        let mut string_keys: Vec<(Expr, FlinkType)> = Vec::new();
        let mut group_columns = Vec::new();
        match &s.group_by {
            GroupByExpr::All(_) => return Err(self.refuse("GROUP BY ALL", pos_of(&s.select_token.0))),
            GroupByExpr::Expressions(exprs, modifiers) => {
                self.alias_env = if self.mysql() {
                    Some(AliasEnv { aliases: named_aliases.clone(), group_columns: Vec::new(), prefer_columns: true })
                } else {
                    None
                };
                for g in exprs {
                    if let SqlExpr::Identifier(id) = g {
                        group_columns.push(id.value.clone());
                    }
                    let lowered = match ordinal(g) {
                        Some(k) => {
                            let Some(Some(t)) = usize::try_from(k).ok().and_then(|k| k.checked_sub(1)).and_then(|k| positional.get(k)) else {
                                self.alias_env = None;
                                return Err(self.refuse(format!("GROUP BY {k} (no such select-list item)"), pos_of(g)));
                            };
                            if self.oracle() {
                                self.alias_env = None;
                                return Err(self.refuse("GROUP BY a position", pos_of(g)));
                            }
                            let e = t.expr.clone();
                            string_keys.extend(collation::string_key(t));
                            self.repeat(&e, pos_of(g))?
                        }
                        None => match self.expr(g) {
                            Ok(t) => {
                                string_keys.extend(collation::string_key(&t));
                                t.expr
                            }
                            Err(e) => {
                                self.alias_env = None;
                                return Err(e);
                            }
                        },
                    };
                    group_by.push(lowered);
                }
                self.alias_env = None;
                for m in modifiers {
                    let kind = match m {
                        GroupByWithModifier::Rollup => "ROLLUP",
                        GroupByWithModifier::Cube => "CUBE",
                        other => return Err(self.refuse(format!("GROUP BY ... {other}"), pos_of(&s.select_token.0))),
                    };
                    let sets = std::mem::take(&mut group_by).into_iter().map(|e| vec![e]).collect();
                    group_by = vec![Expr::Grouping { kind, sets }];
                }
            }
        }

        // HAVING: (MySQL) aliases, unless the name is a GROUP BY column.
        let having = match &s.having {
            Some(h) => {
                self.alias_env = if self.mysql() {
                    Some(AliasEnv { aliases: named_aliases.clone(), group_columns, prefer_columns: false })
                } else {
                    None
                };
                let lowered = self.condition(h);
                self.alias_env = None;
                Some(lowered?)
            }
            None => None,
        };

        let mut order_by = self.order_by(order_by)?;
        let mut select = Select { distinct, projection, from, selection, group_by, having };
        if self.mysql() && self.options.mysql_case_insensitive {
            // SELECT DISTINCT of strings: a GROUP BY of the select list, grouped as MySQL groups.
            if select.distinct && select.group_by.is_empty() && select.having.is_none() && !collation::projection_aggregates(&select.projection) {
                let keys: Vec<(Expr, FlinkType)> = positional
                    .iter()
                    .filter_map(|t| t.as_ref().and_then(collation::string_key))
                    .collect();
                if !keys.is_empty() && positional.iter().all(Option::is_some) {
                    let items: Vec<Expr> = select.projection.iter().filter_map(|i| match i {
                        SelectItem::Expr { expr, .. } => Some(expr.clone()),
                        _ => None,
                    }).collect();
                    select.distinct = false;
                    select.group_by = items;
                    string_keys = keys;
                }
            }
            if collation::group_case_insensitively(&mut select, &mut order_by, &string_keys) {
                self.note(pos_of(&s.select_token.0), "strings grouped case-insensitively, as MySQL's default collation groups them (LOWER keys, FIRST_VALUE shown)");
            }
        }
        Ok((select, order_by, outputs))
    }

    /// Oracle `ROWNUM <= n`: rewrites the query to use LIMIT, or refuses it.
    fn rownum_query(&mut self, q: &SqlQuery) -> Result<Option<SqlQuery>> {
        let SqlSetExpr::Select(s) = q.body.as_ref() else { return Ok(None) };
        let Some(selection) = &s.selection else { return Ok(None) };
        if !mentions(selection, "ROWNUM") {
            return Ok(None);
        }
        let parts = conjuncts(selection);
        let mut bound = None;
        let mut rest = Vec::new();
        for p in parts {
            if !mentions(p, "ROWNUM") {
                rest.push(p.clone());
                continue;
            }
            match (rownum_bound(p), bound) {
                (Some(n), None) => bound = Some((n, pos_of(p))),
                _ => return Err(self.refuse("ROWNUM (other than one ROWNUM <= n limiting a query)", pos_of(p))),
            }
        }
        let Some((n, at)) = bound else { return Ok(None) };
        if q.order_by.is_some() {
            return Err(self.refuse("ROWNUM with ORDER BY in the same query (Oracle numbers rows before sorting them)", at));
        }
        if q.limit_clause.is_some() || q.fetch.is_some() {
            return Err(self.refuse("ROWNUM with LIMIT or FETCH", at));
        }
        if !matches!(&s.group_by, GroupByExpr::Expressions(e, m) if e.is_empty() && m.is_empty()) || s.having.is_some() || has_aggregate(&s.projection) {
            return Err(self.refuse("ROWNUM with aggregation (Oracle numbers rows before grouping them)", at));
        }
        if s.distinct.is_some() {
            return Err(self.refuse("ROWNUM with DISTINCT (Oracle numbers rows before removing duplicates)", at));
        }
        let limit = LimitClause::LimitOffset { limit: Some(number(n)), offset: None, limit_by: vec![] };

        // An ordered subquery: the limit goes under its ordering, which is kept.
        if let [twj] = s.from.as_slice()
            && let TableFactor::Derived { lateral: false, subquery, alias, .. } = &twj.relation
                && twj.joins.is_empty() && subquery.order_by.is_some() {
                    if !rest.is_empty() {
                        return Err(self.refuse("ROWNUM with other conditions over an ordered subquery", at));
                    }
                    if subquery.limit_clause.is_some() || subquery.fetch.is_some() {
                        return Err(self.refuse("ROWNUM over a subquery with its own FETCH or LIMIT", at));
                    }
                    let mut inner = (**subquery).clone();
                    inner.limit_clause = Some(limit);
                    self.note(at, format!("ROWNUM <= {n} became LIMIT {n} under the subquery's ORDER BY"));
                    let star_only = s.projection.iter().all(|i| match i {
                        SqlItem::Wildcard(_) => true,
                        SqlItem::QualifiedWildcard(SelectItemQualifiedWildcardKind::ObjectName(name), _) => {
                            alias.as_ref().is_some_and(|a| name.to_string().eq_ignore_ascii_case(&a.name.value))
                        }
                        _ => false,
                    });
                    if star_only && alias.as_ref().is_none_or(|a| a.columns.is_empty()) {
                        if q.with.is_some() && inner.with.is_some() {
                            return Err(self.refuse("ROWNUM over a subquery, both with WITH clauses", at));
                        }
                        if inner.with.is_none() {
                            inner.with = q.with.clone();
                        }
                        return Ok(Some(inner));
                    }
                    // A select list of the subquery's columns: the subquery selects them itself.
                    if let Some(inlined) = inline_projection(&s.projection, &inner, alias.as_ref().map(|a| &a.name)) {
                        let mut inlined = inlined;
                        if q.with.is_some() && inlined.with.is_some() {
                            return Err(self.refuse("ROWNUM over a subquery, both with WITH clauses", at));
                        }
                        if inlined.with.is_none() {
                            inlined.with = q.with.clone();
                        }
                        return Ok(Some(inlined));
                    }
                    // Other select lists read the limited subquery, its ordering repeated outside.
                    // A key the subquery does not select is carried out of it as a hidden column.
                    let outer_star = s.projection.iter().any(|i| matches!(i, SqlItem::Wildcard(_) | SqlItem::QualifiedWildcard(..)));
                    let (keys, hidden) = self.outer_order_keys(&mut inner, alias.as_ref().map(|a| &a.name), outer_star, at)?;
                    let mut outer = q.clone();
                    let mut outer_select = (**s).clone();
                    outer_select.selection = None;
                    if let Some(t) = outer_select.from.first_mut()
                        && let TableFactor::Derived { subquery, alias, .. } = &mut t.relation {
                            **subquery = inner;
                            if let Some(a) = alias.as_mut().filter(|a| !a.columns.is_empty()) {
                                a.columns.extend(hidden.iter().map(|h| TableAliasColumnDef { name: h.clone(), data_type: None }));
                            }
                        }
                    if !hidden.is_empty() {
                        self.note(at, "the subquery's ordering is carried out of it in hidden columns, not shown");
                    }
                    outer.body = Box::new(SqlSetExpr::Select(Box::new(outer_select)));
                    outer.order_by = Some(OrderBy { kind: OrderByKind::Expressions(keys), interpolate: None });
                    return Ok(Some(outer));
                }
        // Otherwise: the first n rows found, in no particular order, as in Oracle.
        self.note(at, format!("ROWNUM <= {n} became LIMIT {n}"));
        let mut limited = q.clone();
        let mut select = (**s).clone();
        select.selection = and_all(rest);
        limited.body = Box::new(SqlSetExpr::Select(Box::new(select)));
        limited.limit_clause = Some(limit);
        Ok(Some(limited))
    }

    /// The ORDER BY of `inner`, restated over its output columns (for a query reading it), and
    /// the names of the hidden columns added to `inner`'s select list for keys it does not select
    /// (the outer select list does not show them; refused when it reads the subquery with `*`).
    fn outer_order_keys(&mut self, inner: &mut SqlQuery, alias: Option<&Ident>, outer_star: bool, at: Pos) -> Result<(Vec<OrderByExpr>, Vec<Ident>)> {
        let SqlSetExpr::Select(sel) = inner.body.as_mut() else {
            return Err(self.refuse("ROWNUM over an ordered set operation with a select list", at));
        };
        let Some(OrderBy { kind: OrderByKind::Expressions(items), .. }) = &inner.order_by else {
            return Err(self.refuse("ROWNUM over this subquery", at));
        };
        let star = sel.projection.iter().any(|i| matches!(i, SqlItem::Wildcard(_) | SqlItem::QualifiedWildcard(..)));
        let mut keys = Vec::new();
        let mut hidden = Vec::new();
        for item in items {
            // ORDER BY n names the n-th select-list item.
            let by_position = ordinal(&item.expr)
                .and_then(|k| usize::try_from(k).ok()?.checked_sub(1))
                .map(|k| sel.projection.get(k).ok_or(k));
            let (name, expr) = match by_position {
                Some(Ok(SqlItem::ExprWithAlias { alias, .. })) => (Some(alias.clone()), None),
                Some(Ok(SqlItem::UnnamedExpr(e))) => (None, Some(e.clone())),
                Some(_) => return Err(self.refuse("ROWNUM over a subquery ordered by a position it does not name", pos_of(&item.expr))),
                None => (None, Some(item.expr.clone())),
            };
            let name = name.or_else(|| match &expr {
                Some(SqlExpr::Identifier(i)) => Some(i.clone()),
                Some(SqlExpr::CompoundIdentifier(ids)) => ids.last().cloned(),
                _ => None,
            });
            let output = name.as_ref().and_then(|n| {
                sel.projection.iter().find_map(|p| match p {
                    SqlItem::ExprWithAlias { alias, .. } if alias.value.eq_ignore_ascii_case(&n.value) => Some(alias.clone()),
                    SqlItem::UnnamedExpr(SqlExpr::Identifier(i)) if i.value.eq_ignore_ascii_case(&n.value) => Some(i.clone()),
                    SqlItem::UnnamedExpr(SqlExpr::CompoundIdentifier(ids)) if ids.last().is_some_and(|i| i.value.eq_ignore_ascii_case(&n.value)) => ids.last().cloned(),
                    _ => None,
                })
            });
            let output = output.or(if star { name } else { None });
            let column = match (output, expr) {
                (Some(column), _) => column,
                (None, Some(expr)) => {
                    if outer_star {
                        return Err(self.refuse("ROWNUM over a subquery ordered by something it does not select, read with *", pos_of(&item.expr)));
                    }
                    if sel.distinct.is_some() {
                        return Err(self.refuse("ROWNUM over a DISTINCT subquery ordered by something it does not select", pos_of(&item.expr)));
                    }
                    let column = Ident::new(format!("weir$order{}", hidden.len() + 1));
                    sel.projection.push(SqlItem::ExprWithAlias { expr, alias: column.clone() });
                    hidden.push(column.clone());
                    column
                }
                (None, None) => return Err(self.refuse("ROWNUM over a subquery ordered by something it does not select", pos_of(&item.expr))),
            };
            let expr = match alias {
                Some(a) => SqlExpr::CompoundIdentifier(vec![a.clone(), column]),
                None => SqlExpr::Identifier(column),
            };
            keys.push(OrderByExpr { expr, options: OrderByOptions { ..item.options }, with_fill: None });
        }
        Ok((keys, hidden))
    }
}

/// `SELECT a, b FROM (SELECT ... ORDER BY k LIMIT n)` as `SELECT <a>, <b> ... ORDER BY k LIMIT n`
/// when every outer item is a column the (plain, non-DISTINCT) subquery selects.
fn inline_projection(outer: &[SqlItem], inner: &SqlQuery, alias: Option<&Ident>) -> Option<SqlQuery> {
    let SqlSetExpr::Select(sel) = inner.body.as_ref() else { return None };
    if sel.distinct.is_some() {
        return None;
    }
    let star = sel.projection.iter().any(|i| matches!(i, SqlItem::Wildcard(_)));
    let mut items = Vec::new();
    for item in outer {
        let (expr, outer_alias) = match item {
            SqlItem::UnnamedExpr(e) => (e, None),
            SqlItem::ExprWithAlias { expr, alias } => (expr, Some(alias.clone())),
            _ => return None,
        };
        let column = match expr {
            SqlExpr::Identifier(i) => i.clone(),
            SqlExpr::CompoundIdentifier(ids) if ids.len() == 2 && alias.is_some_and(|a| a.value.eq_ignore_ascii_case(&ids[0].value)) => ids[1].clone(),
            _ => return None,
        };
        let found = sel.projection.iter().find_map(|p| match p {
            SqlItem::ExprWithAlias { expr, alias } if alias.value.eq_ignore_ascii_case(&column.value) => Some((expr.clone(), Some(alias.clone()))),
            SqlItem::UnnamedExpr(e @ SqlExpr::Identifier(i)) if i.value.eq_ignore_ascii_case(&column.value) => Some((e.clone(), None)),
            SqlItem::UnnamedExpr(e @ SqlExpr::CompoundIdentifier(ids)) if ids.last().is_some_and(|i| i.value.eq_ignore_ascii_case(&column.value)) => {
                Some((e.clone(), None))
            }
            _ => None,
        });
        let (e, inner_alias) = match found {
            Some(f) => f,
            None if star => (SqlExpr::Identifier(column.clone()), None),
            None => return None,
        };
        items.push(match outer_alias.or(inner_alias) {
            Some(a) => SqlItem::ExprWithAlias { expr: e, alias: a },
            None => SqlItem::UnnamedExpr(e),
        });
    }
    let mut select = (**sel).clone();
    select.projection = items;
    let mut out = inner.clone();
    out.body = Box::new(SqlSetExpr::Select(Box::new(select)));
    Some(out)
}

/// A bare `NULL` in a select list or VALUES row gets a type (Flink rejects untyped NULL there).
fn typed_null(t: TExpr) -> Expr {
    match t.expr {
        Expr::Literal(Literal::Null) => Expr::null().cast(FlinkType::String),
        other => other,
    }
}

/// Column names replaced by a CTE's or derived table's column list.
pub(crate) fn rename(columns: Option<Columns>, names: &[String]) -> Option<Columns> {
    if names.is_empty() {
        return columns;
    }
    Some(match columns {
        Some(cols) if cols.len() == names.len() => names.iter().cloned().zip(cols.into_iter().map(|(_, t)| t)).collect(),
        _ => names.iter().map(|n| (n.clone(), None)).collect(),
    })
}

/// The identifiers of an object name.
pub(crate) fn object_idents(name: &ObjectName) -> Vec<Ident> {
    name.0
        .iter()
        .map(|p| match p {
            sqlparser::ast::ObjectNamePart::Identifier(i) => i.clone(),
            sqlparser::ast::ObjectNamePart::Function(f) => f.name.clone(),
        })
        .collect()
}

/// A GROUP BY position (`GROUP BY 1`).
fn ordinal(e: &SqlExpr) -> Option<i64> {
    match e {
        SqlExpr::Value(v) => match &v.value {
            Value::Number(n, _) => n.parse().ok(),
            _ => None,
        },
        _ => None,
    }
}

fn has_wildcard_options(o: &sqlparser::ast::WildcardAdditionalOptions) -> bool {
    o.opt_ilike.is_some() || o.opt_exclude.is_some() || o.opt_except.is_some() || o.opt_replace.is_some() || o.opt_rename.is_some()
}
