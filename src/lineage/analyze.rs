//! A statement's lineage from its tree: every table it reads (exact), and for each column it
//! writes the columns that feed it — `*` expanded with the schema, expressions traced to every
//! column they read, through joins, aggregates, CTEs, subqueries, set operations and window
//! TVFs. A column reference the schema cannot place (an unknown column, an ambiguous one, `*` over
//! a table whose columns are unknown) is reported as [`Unresolved`], never guessed.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::ControlFlow;

use sqlparser::ast::{
    self, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, ObjectName, ObjectNamePart, Query, Select, SelectItem, SelectItemQualifiedWildcardKind, SetExpr,
    TableFactor, Visit, Visitor,
};
use sqlparser::dialect::GenericDialect;
use sqlparser::parser::Parser;

use super::{ColumnEdge, ColumnKind, LineageError, Schema, Scope, StatementLineage, Target, Unresolved, prepare};

/// Functions whose value sums up many rows.
const AGGREGATES: &[&str] = &[
    "COUNT", "SUM", "AVG", "MIN", "MAX", "LISTAGG", "COLLECT", "ARRAY_AGG", "STDDEV_POP", "STDDEV_SAMP", "VAR_POP", "VAR_SAMP", "FIRST_VALUE", "LAST_VALUE",
    "JSON_ARRAYAGG", "JSON_OBJECTAGG", "APPROX_COUNT_DISTINCT",
];

/// Flink's windowing table-valued functions and the columns they add.
const WINDOW_TVFS: &[&str] = &["TUMBLE", "HOP", "CUMULATE", "SESSION"];
const WINDOW_COLUMNS: &[&str] = &["window_start", "window_end", "window_time"];

/// Words that read as identifiers in function arguments but are time units (`TIMESTAMPADD(DAY, …)`).
const TIME_UNITS: &[&str] = &["YEAR", "QUARTER", "MONTH", "WEEK", "DAY", "HOUR", "MINUTE", "SECOND", "MILLISECOND", "MICROSECOND", "NANOSECOND", "DOW", "DOY", "EPOCH"];

/// The lineage of `sql` (one statement or a statement set): one entry per statement that writes
/// a table or defines a view; none for statements that move no data.
pub fn analyze(sql: &str, scope: &Scope, schema: &dyn Schema) -> Result<Vec<StatementLineage>, LineageError> {
    let mut out = Vec::new();
    for text in prepare::statements(sql) {
        let parsed = Parser::parse_sql(&GenericDialect {}, &text).map_err(|e| LineageError::Parse(e.to_string()))?;
        for statement in &parsed {
            if let Some(l) = statement_lineage(statement, scope, schema) {
                out.push(l);
            }
        }
    }
    Ok(out)
}

/// Every table `sql` reads or writes (qualified): what a caller fetches the schema of before
/// [`analyze`].
pub fn tables_of(sql: &str, scope: &Scope) -> Result<BTreeSet<String>, LineageError> {
    let none = super::MapSchema::default();
    let mut out = BTreeSet::new();
    for l in analyze(sql, scope, &none)? {
        out.extend(l.reads);
        out.insert(l.target);
    }
    Ok(out)
}

/// A dotted name's parts, as written.
pub(crate) fn parts(name: &ObjectName) -> Vec<String> {
    name.0
        .iter()
        .map(|p| match p {
            ObjectNamePart::Identifier(i) => i.value.clone(),
            ObjectNamePart::Function(f) => f.name.value.clone(),
        })
        .collect()
}

/// One output column of a query: where its values come from.
#[derive(Debug, Clone)]
struct Out {
    name: String,
    /// Each source column, with how this column comes from it.
    sources: BTreeMap<(String, String), ColumnKind>,
    unresolved: Vec<String>,
    /// `*` over a relation whose columns are unknown: stands for an unknown number of columns.
    open: bool,
}

impl Out {
    fn named(name: &str) -> Self {
        Self { name: name.to_string(), sources: BTreeMap::new(), unresolved: Vec::new(), open: false }
    }

    fn column(table: &str, column: &str) -> Self {
        let mut o = Self::named(column);
        o.sources.insert((table.to_string(), column.to_string()), ColumnKind::Copy);
        o
    }

    /// Takes `other`'s sources and problems, each source at least `at_least` (an expression of it).
    fn absorb(&mut self, other: Out, at_least: ColumnKind) {
        for (k, kind) in other.sources {
            let kind = kind.max(at_least);
            let e = self.sources.entry(k).or_insert(kind);
            *e = (*e).max(kind);
        }
        self.unresolved.extend(other.unresolved);
        self.open |= other.open;
    }
}

/// The columns of a relation in a FROM clause.
#[derive(Debug, Clone)]
enum Cols {
    Known(Vec<Out>),
    /// A table whose columns the schema does not have: a column named with it is its own, and
    /// these extra ones (a window TVF's) are known.
    Open { table: String, extra: Vec<Out> },
}

#[derive(Debug, Clone)]
struct Relation {
    /// The name it answers to (its alias, or the table's last name part).
    name: String,
    cols: Cols,
}

enum Found {
    Column(Out),
    Ambiguous,
    Missing,
}

impl Relation {
    fn find(&self, column: &str) -> Found {
        let known = match &self.cols {
            Cols::Known(c) => c,
            Cols::Open { extra, .. } => extra,
        };
        if let Some(o) = known.iter().find(|o| o.name == column).or_else(|| known.iter().find(|o| o.name.eq_ignore_ascii_case(column))) {
            return Found::Column(o.clone());
        }
        match &self.cols {
            Cols::Open { table, .. } => Found::Column(Out::column(table, column)),
            Cols::Known(_) => Found::Missing,
        }
    }

    fn is_open(&self) -> bool {
        matches!(self.cols, Cols::Open { .. })
    }
}

struct Walk<'a> {
    scope: &'a Scope,
    schema: &'a dyn Schema,
    reads: BTreeSet<String>,
    /// Visible CTEs, innermost last.
    ctes: Vec<HashMap<String, Vec<Out>>>,
}

fn statement_lineage(statement: &ast::Statement, scope: &Scope, schema: &dyn Schema) -> Option<StatementLineage> {
    let mut w = Walk { scope, schema, reads: BTreeSet::new(), ctes: Vec::new() };
    let (target, action, outs, names): (String, Target, Vec<Out>, Option<Vec<String>>) = match statement {
        ast::Statement::Insert(ins) => {
            let ast::TableObject::TableName(name) = &ins.table else { return None };
            let target = scope.qualify(&parts(name));
            let outs = w.query(ins.source.as_deref()?, &[]);
            let names = if !ins.columns.is_empty() {
                Some(ins.columns.iter().map(|c| parts(c).last().cloned().unwrap_or_default()).collect())
            } else {
                let statics = static_partitions(ins.partitioned.as_deref().unwrap_or(&[]));
                schema.columns(&target).map(|cols| cols.into_iter().filter(|c| !statics.contains(c)).collect())
            };
            (target, Target::Insert, outs, names)
        }
        ast::Statement::CreateTable(ct) => {
            let q = ct.query.as_deref()?;
            let outs = w.query(q, &[]);
            let names = outs.iter().map(|o| o.name.clone()).collect();
            (scope.qualify(&parts(&ct.name)), Target::Ctas, outs, Some(names))
        }
        ast::Statement::CreateView(cv) => {
            let outs = w.query(&cv.query, &[]);
            let names = if cv.columns.is_empty() { outs.iter().map(|o| o.name.clone()).collect() } else { cv.columns.iter().map(|c| c.name.value.clone()).collect() };
            (scope.qualify(&parts(&cv.name)), Target::View, outs, Some(names))
        }
        _ => return None,
    };
    let mut columns = BTreeSet::new();
    let mut unresolved = Vec::new();
    let mut add = |column: Option<String>, reason: String| unresolved.push(Unresolved { table: target.clone(), column, reason });
    match names {
        None => add(None, format!("the columns of {target} are not known, so the query's columns cannot be matched to them")),
        Some(_) if outs.iter().any(|o| o.open) => {
            add(None, "the query selects * from a table whose columns are not known".to_string());
        }
        Some(names) if names.len() != outs.len() => {
            add(None, format!("the query gives {} column(s) for the {} of {target}", outs.len(), names.len()));
        }
        Some(names) => {
            for (name, out) in names.into_iter().zip(outs) {
                for ((t, c), kind) in &out.sources {
                    columns.insert(ColumnEdge { from_table: t.clone(), from_column: c.clone(), to_table: target.clone(), to_column: name.clone(), kind: *kind });
                }
                for reason in out.unresolved {
                    add(Some(name.clone()), reason);
                }
            }
        }
    }
    Some(StatementLineage { target, action, reads: w.reads, columns, unresolved })
}

/// Columns given a value in `PARTITION (col = value, …)`.
fn static_partitions(exprs: &[Expr]) -> Vec<String> {
    exprs
        .iter()
        .filter_map(|e| match e {
            Expr::BinaryOp { left, op: ast::BinaryOperator::Eq, .. } => match left.as_ref() {
                Expr::Identifier(i) => Some(i.value.clone()),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

impl Walk<'_> {
    fn query(&mut self, q: &Query, outer: &[Relation]) -> Vec<Out> {
        self.ctes.push(HashMap::new());
        if let Some(with) = &q.with {
            for cte in &with.cte_tables {
                let mut outs = self.query(&cte.query, outer);
                rename(&mut outs, cte.alias.columns.iter().map(|c| c.name.value.clone()));
                if let Some(frame) = self.ctes.last_mut() {
                    frame.insert(cte.alias.name.value.clone(), outs);
                }
            }
        }
        let outs = self.set_expr(&q.body, outer);
        self.ctes.pop();
        outs
    }

    fn set_expr(&mut self, body: &SetExpr, outer: &[Relation]) -> Vec<Out> {
        match body {
            SetExpr::Select(s) => self.select(s, outer),
            SetExpr::Query(q) => self.query(q, outer),
            SetExpr::SetOperation { left, right, op, .. } => {
                let mut l = self.set_expr(left, outer);
                let r = self.set_expr(right, outer);
                // EXCEPT's right side only takes rows away: its values feed nothing.
                if !matches!(op, ast::SetOperator::Except | ast::SetOperator::Minus) {
                    for (a, b) in l.iter_mut().zip(r) {
                        a.absorb(b, ColumnKind::Copy);
                    }
                }
                l
            }
            SetExpr::Values(v) => {
                let width = v.rows.first().map(|r| r.content.len()).unwrap_or(0);
                let mut outs: Vec<Out> = (0..width).map(|i| Out::named(&format!("EXPR${i}"))).collect();
                for row in &v.rows {
                    for (o, e) in outs.iter_mut().zip(&row.content) {
                        let x = self.expr(e, &[], outer);
                        o.absorb(x, ColumnKind::Copy);
                    }
                }
                outs
            }
            SetExpr::Table(t) => {
                let name: Vec<String> = t.schema_name.iter().cloned().chain(t.table_name.iter().cloned()).collect();
                match self.relation_named(&name, None).cols {
                    Cols::Known(c) => c,
                    Cols::Open { .. } => vec![Out { open: true, ..Out::named("*") }],
                }
            }
            SetExpr::Insert(_) | SetExpr::Update(_) | SetExpr::Delete(_) | SetExpr::Merge(_) => Vec::new(),
        }
    }

    fn select(&mut self, s: &Select, outer: &[Relation]) -> Vec<Out> {
        let mut relations: Vec<Relation> = Vec::new();
        for twj in &s.from {
            let r = self.factor(&twj.relation, &relations, outer);
            relations.extend(r);
            for j in &twj.joins {
                let r = self.factor(&j.relation, &relations, outer);
                relations.extend(r);
            }
        }
        // Conditions feed no column, but their subqueries read tables.
        let conditions = s.selection.iter().chain(s.having.iter()).chain(s.qualify.iter());
        for e in conditions {
            self.expr(e, &relations, outer);
        }
        for twj in &s.from {
            for j in &twj.joins {
                if let Some(e) = join_condition(&j.join_operator) {
                    self.expr(e, &relations, outer);
                }
            }
        }
        let mut outs = Vec::new();
        for (i, item) in s.projection.iter().enumerate() {
            match item {
                SelectItem::UnnamedExpr(e) => {
                    let mut o = self.expr(e, &relations, outer);
                    o.name = expr_name(e).unwrap_or_else(|| format!("EXPR${i}"));
                    outs.push(o);
                }
                SelectItem::ExprWithAlias { expr, alias } => {
                    let mut o = self.expr(expr, &relations, outer);
                    o.name = alias.value.clone();
                    outs.push(o);
                }
                SelectItem::ExprWithAliases { expr, aliases } => {
                    let o = self.expr(expr, &relations, outer);
                    for a in aliases {
                        outs.push(Out { name: a.value.clone(), ..o.clone() });
                    }
                }
                SelectItem::Wildcard(_) => {
                    for r in &relations {
                        outs.extend(expand(r));
                    }
                }
                SelectItem::QualifiedWildcard(SelectItemQualifiedWildcardKind::ObjectName(n), _) => {
                    let name = parts(n).last().cloned().unwrap_or_default();
                    match relations.iter().find(|r| r.name == name) {
                        Some(r) => outs.extend(expand(r)),
                        None => outs.push(Out { open: true, unresolved: vec![format!("{name}.* names no table of the query")], ..Out::named("*") }),
                    }
                }
                SelectItem::QualifiedWildcard(SelectItemQualifiedWildcardKind::Expr(e), _) => {
                    let o = self.expr(e, &relations, outer);
                    outs.push(Out { open: true, ..o });
                }
            }
        }
        outs
    }

    /// The relations a FROM item brings (a nested join brings several).
    fn factor(&mut self, f: &TableFactor, before: &[Relation], outer: &[Relation]) -> Vec<Relation> {
        let alias_of = |a: &Option<ast::TableAlias>| a.as_ref().map(|a| a.name.value.clone());
        match f {
            TableFactor::Table { name, alias, .. } => {
                let mut r = self.relation_named(&parts(name), alias_of(alias));
                if let Some(a) = alias
                    && !a.columns.is_empty()
                    && let Cols::Known(c) = &mut r.cols
                {
                    rename(c, a.columns.iter().map(|c| c.name.value.clone()));
                }
                vec![r]
            }
            TableFactor::Derived { subquery, alias, .. } => {
                let scope: Vec<Relation> = before.iter().chain(outer).cloned().collect();
                let mut outs = self.query(subquery, &scope);
                if let Some(a) = alias {
                    rename(&mut outs, a.columns.iter().map(|c| c.name.value.clone()));
                }
                let name = alias_of(alias).unwrap_or_default();
                let open: BTreeSet<String> = outs.iter().filter(|o| o.open).flat_map(|o| o.sources.keys().map(|(t, _)| t.clone())).collect();
                if open.len() == 1
                    && let Some(table) = open.into_iter().next()
                {
                    // `SELECT *` over one unknown table: columns named through it are that table's.
                    let extra: Vec<Out> = outs.into_iter().filter(|o| !o.open).collect();
                    return vec![Relation { name, cols: Cols::Open { table, extra } }];
                }
                vec![Relation { name, cols: Cols::Known(outs) }]
            }
            TableFactor::TableFunction { expr, alias } => {
                if let Expr::Function(func) = expr
                    && let Some(fname) = parts(&func.name).last()
                    && WINDOW_TVFS.iter().any(|w| w.eq_ignore_ascii_case(fname))
                {
                    return vec![self.window_tvf(func, alias_of(alias), outer)];
                }
                vec![self.table_function(std::slice::from_ref(expr), alias, before, outer)]
            }
            TableFactor::Function { args, alias, .. } => {
                let exprs: Vec<Expr> = args.iter().filter_map(arg_expr).cloned().collect();
                vec![self.table_function(&exprs, alias, before, outer)]
            }
            TableFactor::UNNEST { alias, array_exprs, .. } => vec![self.table_function(array_exprs, alias, before, outer)],
            TableFactor::NestedJoin { table_with_joins, alias } => {
                let mut rels = self.factor(&table_with_joins.relation, before, outer);
                for j in &table_with_joins.joins {
                    let all: Vec<Relation> = before.iter().chain(rels.iter()).cloned().collect();
                    let more = self.factor(&j.relation, &all, outer);
                    rels.extend(more);
                }
                if let Some(a) = alias {
                    let cols: Vec<Out> = rels.iter().flat_map(expand).collect();
                    return vec![Relation { name: a.name.value.clone(), cols: Cols::Known(cols) }];
                }
                rels
            }
            other => {
                // Other table factors (JSON_TABLE, PIVOT, …) are not Flink's: their columns are not known.
                let mut c = Vec::new();
                let _ = other.visit(&mut RelationNames { out: &mut c });
                for n in c {
                    self.reads.insert(self.scope.qualify(&n));
                }
                vec![Relation { name: String::new(), cols: Cols::Known(Vec::new()) }]
            }
        }
    }

    /// A table, view or CTE named in FROM.
    fn relation_named(&mut self, name: &[String], alias: Option<String>) -> Relation {
        let last = name.last().cloned().unwrap_or_default();
        if name.len() == 1
            && let Some(outs) = self.ctes.iter().rev().find_map(|f| f.get(&last))
        {
            return Relation { name: alias.unwrap_or(last), cols: Cols::Known(outs.clone()) };
        }
        let table = self.scope.qualify(name);
        self.reads.insert(table.clone());
        let cols = match self.schema.columns(&table) {
            Some(cols) => Cols::Known(cols.iter().map(|c| Out::column(&table, c)).collect()),
            None => Cols::Open { table, extra: Vec::new() },
        };
        Relation { name: alias.unwrap_or(last), cols }
    }

    /// `TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), …))`: t's columns and the window's bounds, which
    /// come from the time column.
    fn window_tvf(&mut self, func: &ast::Function, alias: Option<String>, outer: &[Relation]) -> Relation {
        let args: Vec<&FunctionArg> = match &func.args {
            FunctionArguments::List(l) => l.args.iter().collect(),
            _ => Vec::new(),
        };
        let named = |n: &str| {
            args.iter().find_map(|a| match a {
                FunctionArg::Named { name, arg: FunctionArgExpr::Expr(e), .. } if name.value.eq_ignore_ascii_case(n) => Some(e),
                _ => None,
            })
        };
        let data = named("DATA").or_else(|| args.first().and_then(|a| arg_expr(a)));
        let input = match data {
            Some(Expr::Identifier(i)) => Some(vec![i.value.clone()]),
            Some(Expr::CompoundIdentifier(p)) => Some(p.iter().map(|i| i.value.clone()).collect()),
            _ => None,
        };
        let Some(input) = input else {
            return Relation { name: alias.unwrap_or_default(), cols: Cols::Known(Vec::new()) };
        };
        let mut r = self.relation_named(&input, alias);
        let descriptor = args.iter().filter_map(|a| arg_expr(a)).find_map(|e| match e {
            Expr::Function(f) if parts(&f.name).last().is_some_and(|n| n.eq_ignore_ascii_case("DESCRIPTOR")) => Some(e.clone()),
            _ => None,
        });
        let time = match descriptor {
            Some(Expr::Function(f)) => {
                let exprs: Vec<Expr> = match &f.args {
                    FunctionArguments::List(l) => l.args.iter().filter_map(arg_expr).cloned().collect(),
                    _ => Vec::new(),
                };
                let mut o = Out::named("");
                for e in &exprs {
                    let x = self.expr(e, std::slice::from_ref(&r), outer);
                    o.absorb(x, ColumnKind::Transform);
                }
                o
            }
            _ => Out::named(""),
        };
        let window: Vec<Out> = WINDOW_COLUMNS.iter().map(|c| Out { name: c.to_string(), ..time.clone() }).collect();
        match &mut r.cols {
            Cols::Known(c) => c.extend(window),
            Cols::Open { extra, .. } => extra.extend(window),
        }
        r
    }

    /// `LATERAL TABLE(f(x)) AS T(a, b)`, `UNNEST(x)`: each named column comes from the arguments.
    fn table_function(&mut self, exprs: &[Expr], alias: &Option<ast::TableAlias>, before: &[Relation], outer: &[Relation]) -> Relation {
        let mut from = Out::named("");
        for e in exprs {
            let x = self.expr(e, before, outer);
            from.absorb(x, ColumnKind::Transform);
        }
        let name = alias.as_ref().map(|a| a.name.value.clone()).unwrap_or_default();
        let cols = alias.iter().flat_map(|a| a.columns.iter()).map(|c| Out { name: c.name.value.clone(), ..from.clone() }).collect();
        Relation { name, cols: Cols::Known(cols) }
    }

    /// What an expression's value comes from: a bare column is its source as it is; any other
    /// expression transforms (or aggregates) every column it reads.
    fn expr(&mut self, e: &Expr, relations: &[Relation], outer: &[Relation]) -> Out {
        let mut c = Collect::default();
        let _ = e.visit(&mut c);
        let bare = matches!(e, Expr::Identifier(_) | Expr::CompoundIdentifier(_) | Expr::Nested(_)) && c.idents.len() == 1 && c.subqueries.is_empty();
        let level = if bare {
            ColumnKind::Copy
        } else if c.aggregate {
            ColumnKind::Aggregate
        } else {
            ColumnKind::Transform
        };
        let mut out = Out::named("");
        for ident in &c.idents {
            match resolve(ident, relations, outer) {
                Found::Column(o) => out.absorb(o, level),
                Found::Ambiguous => out.unresolved.push(format!("column {} is ambiguous", ident.join("."))),
                Found::Missing => {
                    let unit = ident.len() == 1 && ident.first().is_some_and(|w| TIME_UNITS.iter().any(|u| u.eq_ignore_ascii_case(w)));
                    if !unit {
                        out.unresolved.push(format!("column {} is not found in the query's tables", ident.join(".")));
                    }
                }
            }
        }
        let scope: Vec<Relation> = relations.iter().chain(outer).cloned().collect();
        for q in &c.subqueries {
            for o in self.query(q, &scope) {
                out.absorb(o, level.max(ColumnKind::Transform));
            }
        }
        out.open = false;
        out
    }
}

/// The columns `*` gives for a relation.
fn expand(r: &Relation) -> Vec<Out> {
    match &r.cols {
        Cols::Known(c) => c.clone(),
        Cols::Open { table, .. } => vec![Out { open: true, sources: BTreeMap::from([((table.clone(), "*".to_string()), ColumnKind::Copy)]), ..Out::named("*") }],
    }
}

/// Renames the first outputs to the names given (`AS t(a, b)`, `WITH c(a, b) AS`).
fn rename(outs: &mut [Out], names: impl Iterator<Item = String>) {
    for (o, n) in outs.iter_mut().zip(names) {
        o.name = n;
    }
}

fn expr_name(e: &Expr) -> Option<String> {
    match e {
        Expr::Identifier(i) => Some(i.value.clone()),
        Expr::CompoundIdentifier(p) => p.last().map(|i| i.value.clone()),
        _ => None,
    }
}

fn arg_expr(a: &FunctionArg) -> Option<&Expr> {
    match a {
        FunctionArg::Named { arg: FunctionArgExpr::Expr(e), .. } | FunctionArg::ExprNamed { arg: FunctionArgExpr::Expr(e), .. } | FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e),
        _ => None,
    }
}

fn join_condition(op: &ast::JoinOperator) -> Option<&Expr> {
    use ast::{JoinConstraint, JoinOperator as J};
    let c = match op {
        J::Join(c) | J::Inner(c) | J::Left(c) | J::LeftOuter(c) | J::Right(c) | J::RightOuter(c) | J::FullOuter(c) | J::Semi(c) | J::LeftSemi(c) | J::RightSemi(c) | J::Anti(c) | J::LeftAnti(c) | J::RightAnti(c) => c,
        _ => return None,
    };
    match c {
        JoinConstraint::On(e) => Some(e),
        _ => None,
    }
}

/// A column reference, looked up in the query's relations, then the enclosing queries'.
fn resolve(ident: &[String], relations: &[Relation], outer: &[Relation]) -> Found {
    for level in [relations, outer] {
        match ident {
            [column] => {
                let mut found: Vec<Out> = Vec::new();
                for r in level.iter().filter(|r| !r.is_open()) {
                    if let Found::Column(o) = r.find(column) {
                        found.push(o);
                    }
                }
                let open: Vec<&Relation> = level.iter().filter(|r| r.is_open()).collect();
                // An open relation may hold any column: only alone does it place one for sure.
                match (found.len(), open.len()) {
                    (1, 0) => return Found::Column(found.remove(0)),
                    (0, 1) => return open.first().map(|r| r.find(column)).unwrap_or(Found::Missing),
                    (0, 0) => {}
                    (1, _) => {
                        // An open relation's known extra columns (a window's bounds) decide too.
                        return Found::Column(found.remove(0));
                    }
                    _ => return Found::Ambiguous,
                }
            }
            [.., qualifier, column] => {
                if let Some(r) = level.iter().find(|r| &r.name == qualifier).or_else(|| level.iter().find(|r| r.name.eq_ignore_ascii_case(qualifier))) {
                    return r.find(column);
                }
            }
            [] => return Found::Missing,
        }
    }
    Found::Missing
}

/// The column references, subqueries and aggregates of an expression, outside its subqueries.
#[derive(Default)]
struct Collect {
    depth: usize,
    idents: Vec<Vec<String>>,
    subqueries: Vec<Query>,
    aggregate: bool,
}

impl Visitor for Collect {
    type Break = ();

    fn pre_visit_query(&mut self, query: &Query) -> ControlFlow<()> {
        if self.depth == 0 {
            self.subqueries.push(query.clone());
        }
        self.depth += 1;
        ControlFlow::Continue(())
    }

    fn post_visit_query(&mut self, _query: &Query) -> ControlFlow<()> {
        self.depth = self.depth.saturating_sub(1);
        ControlFlow::Continue(())
    }

    fn pre_visit_expr(&mut self, expr: &Expr) -> ControlFlow<()> {
        if self.depth > 0 {
            return ControlFlow::Continue(());
        }
        match expr {
            Expr::Identifier(i) => self.idents.push(vec![i.value.clone()]),
            Expr::CompoundIdentifier(p) => self.idents.push(p.iter().map(|i| i.value.clone()).collect()),
            Expr::Function(f) => {
                let name = parts(&f.name).last().cloned().unwrap_or_default();
                if f.over.is_some() || AGGREGATES.iter().any(|a| a.eq_ignore_ascii_case(&name)) {
                    self.aggregate = true;
                }
            }
            _ => {}
        }
        ControlFlow::Continue(())
    }
}

/// Table names anywhere under a node.
struct RelationNames<'a> {
    out: &'a mut Vec<Vec<String>>,
}

impl Visitor for RelationNames<'_> {
    type Break = ();

    fn pre_visit_relation(&mut self, relation: &ObjectName) -> ControlFlow<()> {
        self.out.push(parts(relation));
        ControlFlow::Continue(())
    }
}
