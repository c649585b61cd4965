//! FROM items and joins, and Oracle's `(+)` outer joins turned into ANSI `LEFT JOIN`s.
//!
//! `(+)` is eliminated on the source AST before lowering: the comma-separated FROM list and the
//! WHERE conjuncts that carry `(+)` become a join chain (`a LEFT JOIN b ON ...`), following
//! Oracle's rules. The shapes Oracle itself restricts or that have no faithful ANSI form (`(+)`
//! under OR or IN, on columns of two tables in one condition, joins forming a cycle, `(+)` mixed
//! with JOIN syntax, unqualified columns whose table is unknown) are refused, never dropped.

use std::collections::BTreeSet;
use std::ops::ControlFlow;

use sqlparser::ast::{
    Expr as SqlExpr, Ident, Join, JoinConstraint as SqlJoinConstraint, JoinOperator, Select as SqlSelect, TableFactor,
    TableWithJoins, visit_expressions, visit_expressions_mut,
};

use super::query::{and_all, any_at_this_level, conjuncts, object_idents, rename};
use super::scope::Relation;
use super::{Lowerer, pos_of};
use crate::error::{Pos, TranslateError};
use crate::flink_ast::{JoinConstraint, JoinKind, TableRef};

type Result<T> = std::result::Result<T, TranslateError>;

/// True when `e` holds a `(+)` marker of its own query level.
fn has_join_mark(e: &SqlExpr) -> bool {
    any_at_this_level(e, |x| matches!(x, SqlExpr::OuterJoin(_)))
}

impl Lowerer<'_> {
    /// Lowers a FROM clause, adding its relations to the innermost scope.
    pub fn lower_from(&mut self, items: &[TableWithJoins]) -> Result<Vec<TableRef>> {
        items.iter().map(|twj| self.table_with_joins(twj)).collect()
    }

    fn table_with_joins(&mut self, twj: &TableWithJoins) -> Result<TableRef> {
        let mut left = self.table_factor(&twj.relation)?;
        for join in &twj.joins {
            left = self.join(left, join)?;
        }
        Ok(left)
    }

    fn join(&mut self, left: TableRef, join: &Join) -> Result<TableRef> {
        let pos = super::position::table_factor_start(&join.relation);
        if join.global {
            return Err(self.refuse("GLOBAL JOIN", pos));
        }
        let right = self.table_factor(&join.relation)?;
        let (kind, constraint) = match &join.join_operator {
            JoinOperator::Join(c) | JoinOperator::Inner(c) => (JoinKind::Inner, c),
            JoinOperator::Left(c) | JoinOperator::LeftOuter(c) => (JoinKind::Left, c),
            JoinOperator::Right(c) | JoinOperator::RightOuter(c) => (JoinKind::Right, c),
            JoinOperator::FullOuter(c) => (JoinKind::Full, c),
            JoinOperator::CrossJoin(c) => (JoinKind::Cross, c),
            JoinOperator::StraightJoin(c) => {
                self.note(pos, "STRAIGHT_JOIN became JOIN");
                (JoinKind::Inner, c)
            }
            other => {
                let text = other_join_name(other);
                return Err(self.refuse(text, pos));
            }
        };
        let (kind, constraint) = match (kind, constraint) {
            (JoinKind::Inner | JoinKind::Cross, SqlJoinConstraint::None) => (JoinKind::Cross, JoinConstraint::None),
            (JoinKind::Cross, SqlJoinConstraint::On(e)) => (JoinKind::Inner, JoinConstraint::On(self.condition(e)?)),
            (_, SqlJoinConstraint::None) => return Err(self.refuse("an outer join without ON", pos)),
            (JoinKind::Inner, SqlJoinConstraint::Natural) => (JoinKind::Natural, JoinConstraint::None),
            (_, SqlJoinConstraint::Natural) => return Err(self.refuse("NATURAL outer joins", pos)),
            (k, SqlJoinConstraint::On(e)) => (k, JoinConstraint::On(self.condition(e)?)),
            (k, SqlJoinConstraint::Using(cols)) => {
                let cols = cols.iter().map(|c| object_idents(c).last().map(|i| i.value.clone()).unwrap_or_default()).collect();
                (k, JoinConstraint::Using(cols))
            }
        };
        Ok(TableRef::Join { left: Box::new(left), right: Box::new(right), kind, constraint })
    }

    fn table_factor(&mut self, tf: &TableFactor) -> Result<TableRef> {
        let pos = super::position::table_factor_start(tf);
        match tf {
            TableFactor::Table { name, alias, args, with_hints, version, with_ordinality, partitions, json_path, sample, index_hints } => {
                if args.is_some() {
                    return Err(self.refuse("table functions", pos));
                }
                if version.is_some() {
                    return Err(self.refuse("AS OF (flashback queries)", pos));
                }
                if !with_hints.is_empty() || *with_ordinality || json_path.is_some() || sample.is_some() {
                    return Err(self.refuse("this table clause", pos));
                }
                if !partitions.is_empty() {
                    return Err(self.refuse("PARTITION selection", pos));
                }
                if !index_hints.is_empty() {
                    self.note(pos, "index hints dropped");
                }
                let idents = object_idents(name);
                let (printed, columns) = self.lookup_table(&idents);
                let alias_name = match alias {
                    Some(a) if !a.columns.is_empty() => return Err(self.refuse("column aliases on a table", pos)),
                    Some(a) => Some(a.name.value.clone()),
                    None => None,
                };
                let qualifier = alias_name.clone().or_else(|| printed.last().cloned()).unwrap_or_default();
                self.add_relation(Relation { qualifier, full_name: printed.clone(), columns });
                Ok(TableRef::Table { name: printed, alias: alias_name })
            }
            TableFactor::Derived { lateral, subquery, alias, sample } => {
                if sample.is_some() {
                    return Err(self.refuse("TABLESAMPLE", pos));
                }
                let (query, columns) = self.subquery(subquery)?;
                let names: Vec<String> = alias.as_ref().map(|a| a.columns.iter().map(|c| c.name.value.clone()).collect()).unwrap_or_default();
                let columns = rename(columns, &names);
                let alias_name = alias.as_ref().map(|a| a.name.value.clone());
                self.add_relation(Relation {
                    qualifier: alias_name.clone().unwrap_or_default(),
                    full_name: alias_name.iter().cloned().collect(),
                    columns,
                });
                Ok(TableRef::Derived { lateral: *lateral, query: Box::new(query), alias: alias_name, columns: names })
            }
            TableFactor::NestedJoin { table_with_joins, alias } => {
                if alias.is_some() {
                    return Err(self.refuse("an aliased parenthesised join", pos));
                }
                self.table_with_joins(table_with_joins)
            }
            TableFactor::UNNEST { .. } => Err(self.refuse("UNNEST", pos)),
            TableFactor::JsonTable { .. } => Err(self.refuse("JSON_TABLE", pos)),
            TableFactor::Pivot { .. } => Err(self.refuse("PIVOT", pos)),
            TableFactor::Unpivot { .. } => Err(self.refuse("UNPIVOT", pos)),
            TableFactor::MatchRecognize { .. } => Err(self.refuse("MATCH_RECOGNIZE", pos)),
            _ => Err(self.refuse("this FROM item", pos)),
        }
    }

    fn add_relation(&mut self, rel: Relation) {
        if let Some(scope) = self.scopes.last_mut() {
            scope.relations.push(rel);
        }
    }

    /// Oracle `(+)` joins: the FROM list and WHERE rewritten as ANSI joins, or `None` when the
    /// query has no `(+)`.
    pub fn eliminate_join_marks(&mut self, s: &SqlSelect) -> Result<Option<(Vec<TableWithJoins>, Option<SqlExpr>)>> {
        let Some(selection) = &s.selection else { return Ok(None) };
        if !has_join_mark(selection) {
            return Ok(None);
        }
        let mark_pos = {
            let mut at = Pos::default();
            let _ = visit_expressions(selection, |x| {
                if let SqlExpr::OuterJoin(_) = x {
                    at = pos_of(x);
                    return ControlFlow::Break(());
                }
                ControlFlow::Continue(())
            });
            at
        };
        if s.from.iter().any(|t| !t.joins.is_empty()) {
            return Err(self.refuse("(+) outer joins mixed with JOIN syntax", mark_pos));
        }
        // Which names refer to which FROM item.
        let tables: Vec<(Vec<String>, Option<Vec<String>>)> = s
            .from
            .iter()
            .map(|t| match &t.relation {
                TableFactor::Table { name, alias, .. } => {
                    let idents = object_idents(name);
                    let mut names: Vec<String> = Vec::new();
                    match alias {
                        Some(a) => names.push(a.name.value.clone()),
                        None => names.extend(idents.last().map(|i| i.value.clone())),
                    }
                    let (_, columns) = self.lookup_table(&idents);
                    (names, columns.map(|c| c.into_iter().map(|(n, _)| n).collect()))
                }
                TableFactor::Derived { alias, .. } => (alias.iter().map(|a| a.name.value.clone()).collect(), None),
                _ => (Vec::new(), None),
            })
            .collect();
        let table_of = |parts: &[Ident]| -> Option<usize> {
            match parts {
                [.., q, _] => tables.iter().position(|(names, _)| names.iter().any(|n| n.eq_ignore_ascii_case(&q.value))),
                [c] => {
                    let owners: Vec<usize> = tables
                        .iter()
                        .enumerate()
                        .filter(|(_, (_, cols))| cols.as_ref().is_some_and(|cols| cols.iter().any(|x| x.eq_ignore_ascii_case(&c.value))))
                        .map(|(i, _)| i)
                        .collect();
                    let unknown = tables.iter().any(|(_, cols)| cols.is_none());
                    if owners.len() == 1 && !unknown { Some(owners[0]) } else { None }
                }
                [] => None,
            }
        };
        let column_parts = |e: &SqlExpr| -> Option<Vec<Ident>> {
            match e {
                SqlExpr::Identifier(i) => Some(vec![i.clone()]),
                SqlExpr::CompoundIdentifier(ids) => Some(ids.clone()),
                _ => None,
            }
        };

        let n = s.from.len();
        let mut regular: Vec<SqlExpr> = Vec::new();
        let mut on: Vec<Vec<SqlExpr>> = vec![Vec::new(); n];
        let mut deps: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
        let mut inner = vec![false; n];
        for c in conjuncts(selection) {
            if !has_join_mark(c) {
                regular.push(c.clone());
                continue;
            }
            let at = pos_of(c);
            let forbidden = visit_expressions(c, |x| match x {
                SqlExpr::BinaryOp { op: sqlparser::ast::BinaryOperator::Or, .. }
                | SqlExpr::InList { .. }
                | SqlExpr::InSubquery { .. }
                | SqlExpr::Exists { .. }
                | SqlExpr::Subquery(_) => ControlFlow::Break(()),
                _ => ControlFlow::Continue(()),
            })
            .is_break();
            if forbidden {
                return Err(self.refuse("(+) in a condition with OR, IN or a subquery", at));
            }
            let mut marked = BTreeSet::new();
            let mut others = BTreeSet::new();
            let mut unknown = false;
            let _ = visit_expressions(c, |x| {
                if let SqlExpr::OuterJoin(inner_expr) = x {
                    match column_parts(inner_expr).and_then(|p| table_of(&p)) {
                        Some(t) => {
                            marked.insert(t);
                        }
                        None => unknown = true,
                    }
                }
                ControlFlow::<()>::Continue(())
            });
            let mut stripped = c.clone();
            let _ = visit_expressions_mut(&mut stripped, |x| {
                if let SqlExpr::OuterJoin(e) = x {
                    *x = (**e).clone();
                }
                ControlFlow::<()>::Continue(())
            });
            if unknown {
                return Err(self.refuse("(+) on a column whose table is not known (qualify it with its table)", at));
            }
            let _ = visit_expressions(&stripped, |x| {
                if let Some(parts) = column_parts(x) {
                    match table_of(&parts) {
                        Some(t) => {
                            others.insert(t);
                        }
                        None if parts.len() > 1 => unknown = true,
                        None => {}
                    }
                }
                ControlFlow::<()>::Continue(())
            });
            if marked.len() != 1 {
                return Err(self.refuse("(+) on columns of two tables in one condition", at));
            }
            let Some(&t) = marked.iter().next() else {
                return Err(self.refuse("(+)", at));
            };
            others.remove(&t);
            if unknown {
                return Err(self.refuse("(+) joins with a column whose table is not known", at));
            }
            inner[t] = true;
            on[t].push(stripped);
            deps[t].extend(others);
        }
        // Join order: FROM order, each outer-joined table after the tables its ON refers to.
        let mut placed: Vec<usize> = Vec::new();
        let mut remaining: Vec<usize> = (0..n).collect();
        while !remaining.is_empty() {
            let next = remaining.iter().position(|&t| {
                if placed.is_empty() {
                    !inner[t]
                } else {
                    !inner[t] || deps[t].iter().all(|d| placed.contains(d))
                }
            });
            let Some(i) = next else {
                return Err(self.refuse("(+) outer joins that form a cycle", mark_pos));
            };
            placed.push(remaining.remove(i));
        }
        let mut order = placed.into_iter();
        let Some(first) = order.next() else { return Ok(None) };
        let mut joins = Vec::new();
        for t in order {
            let join_operator = if inner[t] {
                let cond = and_all(std::mem::take(&mut on[t])).ok_or_else(|| self.refuse("(+)", mark_pos))?;
                JoinOperator::LeftOuter(SqlJoinConstraint::On(cond))
            } else {
                JoinOperator::CrossJoin(SqlJoinConstraint::None)
            };
            joins.push(Join { relation: s.from[t].relation.clone(), global: false, join_operator });
        }
        self.note(mark_pos, "Oracle (+) outer joins became LEFT JOIN ... ON");
        Ok(Some((vec![TableWithJoins { relation: s.from[first].relation.clone(), joins }], and_all(regular))))
    }
}

fn other_join_name(op: &JoinOperator) -> String {
    match op {
        JoinOperator::Semi(_) | JoinOperator::LeftSemi(_) | JoinOperator::RightSemi(_) => "SEMI JOIN".into(),
        JoinOperator::Anti(_) | JoinOperator::LeftAnti(_) | JoinOperator::RightAnti(_) => "ANTI JOIN".into(),
        JoinOperator::CrossApply | JoinOperator::OuterApply => "APPLY".into(),
        JoinOperator::AsOf { .. } => "ASOF JOIN".into(),
        _ => "this join".into(),
    }
}
