//! Prints the Flink syntax tree ([`crate::flink_ast`]) as Flink SQL text.
//!
//! What makes it Flink's rather than anyone's SQL:
//! * identifiers are back-quoted when they are Flink reserved words ([`crate::keywords`]) or are
//!   not plain `[A-Za-z_][A-Za-z0-9_]*` names (a back-quote inside is doubled);
//! * strings use `'...'` with `''` for a quote and no backslash escapes; typed literals are
//!   `DATE '...'`, `TIME '...'`, `TIMESTAMP '...'`, bytes `X'...'`;
//! * `LIMIT n OFFSET m` (never `LIMIT m, n`, never OFFSET before LIMIT);
//! * intervals are `INTERVAL '3' DAY`, with the leading field's precision written when the value
//!   has more digits than Flink's default of 2 (`INTERVAL '100' DAY(3)`);
//! * parentheses come from operator precedence, not from the source text, so every rewrite
//!   prints unambiguously.
//!
//! The output is one line per statement.

use std::fmt::Write;

use crate::flink_ast::*;
use crate::keywords;

/// Prints a statement.
pub fn statement(s: &Statement) -> String {
    let mut p = Printer::default();
    p.statement(s);
    p.out
}

/// Prints an expression (for tests and notes).
pub fn expr(e: &Expr) -> String {
    let mut p = Printer::default();
    p.expr(e);
    p.out
}

/// Quotes an identifier for Flink when it needs it. A line break cannot be written inside
/// Flink's back-quotes: a name holding one is written as a Unicode identifier, `U&"a\000Ab"`.
pub fn ident(name: &str) -> String {
    let plain = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain && !keywords::is_reserved(name) {
        name.to_string()
    } else if name.contains('\n') {
        let escaped: String = name
            .chars()
            .map(|c| match c {
                '\n' => "\\000A".to_string(),
                '\\' => "\\\\".to_string(),
                '"' => "\"\"".to_string(),
                c => c.to_string(),
            })
            .collect();
        format!("U&\"{escaped}\"")
    } else {
        format!("`{}`", name.replace('`', "``"))
    }
}

/// A string literal with `'` doubled.
pub fn string_literal(s: &str) -> String {
    crate::literal::quote(s)
}

/// Binding strength of an expression, higher binds tighter.
fn precedence(e: &Expr) -> u8 {
    match e {
        Expr::Binary { op, .. } => match op {
            BinOp::Or => 1,
            BinOp::And => 2,
            o if o.is_comparison() => 4,
            BinOp::Plus | BinOp::Minus => 5,
            _ => 6,
        },
        Expr::Unary { op: UnaryOp::Not, .. } => 3,
        Expr::Is { .. }
        | Expr::IsDistinctFrom { .. }
        | Expr::Between { .. }
        | Expr::InList { .. }
        | Expr::InSubquery { .. }
        | Expr::Like { .. } => 4,
        Expr::Unary { .. } => 7,
        Expr::Literal(Literal::Number(n)) if n.starts_with('-') => 7,
        _ => 8,
    }
}

#[derive(Default)]
struct Printer {
    out: String,
}

impl Printer {
    fn w(&mut self, s: &str) {
        self.out.push_str(s);
    }

    fn name(&mut self, n: &[String]) {
        for (i, part) in n.iter().enumerate() {
            if i > 0 {
                self.w(".");
            }
            let q = ident(part);
            self.w(&q);
        }
    }

    fn ident(&mut self, s: &str) {
        let q = ident(s);
        self.w(&q);
    }

    fn list<T>(&mut self, items: &[T], mut f: impl FnMut(&mut Self, &T)) {
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.w(", ");
            }
            f(self, item);
        }
    }

    fn idents(&mut self, items: &[String]) {
        self.list(items, |p, s| p.ident(s));
    }

    fn statement(&mut self, s: &Statement) {
        match s {
            Statement::Query(q) => self.query(q),
            Statement::CreateTable(t) => self.create_table(t),
            Statement::CreateView(v) => {
                self.w("CREATE ");
                if v.temporary {
                    self.w("TEMPORARY ");
                }
                self.w("VIEW ");
                if v.if_not_exists {
                    self.w("IF NOT EXISTS ");
                }
                self.name(&v.name);
                if !v.columns.is_empty() {
                    self.w(" (");
                    self.idents(&v.columns);
                    self.w(")");
                }
                self.w(" AS ");
                self.query(&v.query);
            }
            Statement::Insert(i) => {
                self.w(if i.overwrite { "INSERT OVERWRITE " } else { "INSERT INTO " });
                self.name(&i.table);
                if !i.columns.is_empty() {
                    self.w(" (");
                    self.idents(&i.columns);
                    self.w(")");
                }
                self.w(" ");
                self.query(&i.source);
            }
            Statement::Drop { view, temporary, if_exists, name } => {
                self.w("DROP ");
                if *temporary {
                    self.w("TEMPORARY ");
                }
                self.w(if *view { "VIEW " } else { "TABLE " });
                if *if_exists {
                    self.w("IF EXISTS ");
                }
                self.name(name);
            }
            Statement::Use(name) => {
                self.w("USE ");
                self.name(name);
            }
            Statement::CreateDatabase { if_not_exists, name } => {
                self.w(if *if_not_exists { "CREATE DATABASE IF NOT EXISTS " } else { "CREATE DATABASE " });
                self.name(name);
            }
            Statement::DropDatabase { if_exists, name } => {
                self.w(if *if_exists { "DROP DATABASE IF EXISTS " } else { "DROP DATABASE " });
                self.name(name);
                self.w(" CASCADE");
            }
        }
    }

    fn create_table(&mut self, t: &CreateTable) {
        self.w("CREATE ");
        if t.temporary {
            self.w("TEMPORARY ");
        }
        self.w("TABLE ");
        if t.if_not_exists {
            self.w("IF NOT EXISTS ");
        }
        self.name(&t.name);
        if !t.columns.is_empty() {
            self.w(" (");
            self.list(&t.columns, |p, c| {
                p.ident(&c.name);
                let _ = write!(p.out, " {}", c.ty);
                if c.not_null {
                    p.w(" NOT NULL");
                }
                if let Some(comment) = &c.comment {
                    p.w(" COMMENT ");
                    p.w(&string_literal(comment));
                }
            });
            if let Some(pk) = &t.primary_key {
                self.w(", ");
                if let Some(name) = &pk.name {
                    self.w("CONSTRAINT ");
                    self.ident(name);
                    self.w(" ");
                }
                self.w("PRIMARY KEY (");
                self.idents(&pk.columns);
                self.w(") NOT ENFORCED");
            }
            self.w(")");
        }
        if let Some(comment) = &t.comment {
            self.w(" COMMENT ");
            self.w(&string_literal(comment));
        }
        self.w(" WITH (");
        self.list(&t.options, |p, (k, v)| {
            p.w(&string_literal(k));
            p.w(" = ");
            p.w(&string_literal(v));
        });
        self.w(")");
        if let Some(q) = &t.query {
            self.w(" AS ");
            self.query(q);
        }
    }

    fn query(&mut self, q: &Query) {
        if !q.with.is_empty() {
            self.w("WITH ");
            self.list(&q.with, |p, c| {
                p.ident(&c.name);
                if !c.columns.is_empty() {
                    p.w(" (");
                    p.idents(&c.columns);
                    p.w(")");
                }
                p.w(" AS (");
                p.query(&c.query);
                p.w(")");
            });
            self.w(" ");
        }
        self.set_expr(&q.body);
        if !q.order_by.is_empty() {
            self.w(" ORDER BY ");
            self.order_items(&q.order_by);
        }
        if let Some(l) = &q.limit {
            self.w(" LIMIT ");
            self.expr(l);
        }
        if let Some(o) = &q.offset {
            self.w(" OFFSET ");
            self.expr(o);
        }
    }

    fn order_items(&mut self, items: &[OrderItem]) {
        self.list(items, |p, o| {
            p.expr(&o.expr);
            if o.desc {
                p.w(" DESC");
            }
            match o.nulls_first {
                Some(true) => p.w(" NULLS FIRST"),
                Some(false) => p.w(" NULLS LAST"),
                None => {}
            }
        });
    }

    fn set_expr(&mut self, s: &SetExpr) {
        match s {
            SetExpr::Select(sel) => self.select(sel),
            SetExpr::Query(q) => {
                self.w("(");
                self.query(q);
                self.w(")");
            }
            SetExpr::SetOp { op, all, left, right } => {
                self.set_expr(left);
                self.w(match op {
                    SetOp::Union => " UNION ",
                    SetOp::Except => " EXCEPT ",
                    SetOp::Intersect => " INTERSECT ",
                });
                if *all {
                    self.w("ALL ");
                }
                // A set operation on the right is grouped explicitly (they associate to the left).
                if matches!(**right, SetExpr::SetOp { .. }) {
                    self.w("(");
                    self.set_expr(right);
                    self.w(")");
                } else {
                    self.set_expr(right);
                }
            }
            SetExpr::Values(rows) => {
                self.w("VALUES ");
                self.list(rows, |p, row| {
                    p.w("(");
                    p.list(row, |p, e| p.expr(e));
                    p.w(")");
                });
            }
        }
    }

    fn select(&mut self, s: &Select) {
        self.w("SELECT ");
        if s.distinct {
            self.w("DISTINCT ");
        }
        self.list(&s.projection, |p, item| match item {
            SelectItem::Expr { expr, alias } => {
                p.expr(expr);
                if let Some(a) = alias {
                    p.w(" AS ");
                    p.ident(a);
                }
            }
            SelectItem::Wildcard => p.w("*"),
            SelectItem::QualifiedWildcard(n) => {
                p.name(n);
                p.w(".*");
            }
        });
        if !s.from.is_empty() {
            self.w(" FROM ");
            self.list(&s.from, |p, t| p.table_ref(t));
        }
        if let Some(w) = &s.selection {
            self.w(" WHERE ");
            self.expr(w);
        }
        if !s.group_by.is_empty() {
            self.w(" GROUP BY ");
            self.list(&s.group_by, |p, e| p.expr(e));
        }
        if let Some(h) = &s.having {
            self.w(" HAVING ");
            self.expr(h);
        }
    }

    fn table_ref(&mut self, t: &TableRef) {
        match t {
            TableRef::Table { name, alias } => {
                self.name(name);
                if let Some(a) = alias {
                    self.w(" AS ");
                    self.ident(a);
                }
            }
            TableRef::Derived { lateral, query, alias, columns } => {
                if *lateral {
                    self.w("LATERAL ");
                }
                self.w("(");
                self.query(query);
                self.w(")");
                if let Some(a) = alias {
                    self.w(" AS ");
                    self.ident(a);
                    if !columns.is_empty() {
                        self.w(" (");
                        self.idents(columns);
                        self.w(")");
                    }
                }
            }
            TableRef::Join { left, right, kind, constraint } => {
                self.table_ref(left);
                self.w(match kind {
                    JoinKind::Inner => " JOIN ",
                    JoinKind::Left => " LEFT JOIN ",
                    JoinKind::Right => " RIGHT JOIN ",
                    JoinKind::Full => " FULL JOIN ",
                    JoinKind::Cross => " CROSS JOIN ",
                    JoinKind::Natural => " NATURAL JOIN ",
                });
                // Joins associate to the left; a join tree on the right is parenthesised.
                if matches!(**right, TableRef::Join { .. }) {
                    self.w("(");
                    self.table_ref(right);
                    self.w(")");
                } else {
                    self.table_ref(right);
                }
                match constraint {
                    JoinConstraint::On(e) => {
                        self.w(" ON ");
                        self.expr(e);
                    }
                    JoinConstraint::Using(cols) => {
                        self.w(" USING (");
                        self.idents(cols);
                        self.w(")");
                    }
                    JoinConstraint::None => {}
                }
            }
        }
    }

    /// Prints `e`, parenthesised when it binds less tightly than `min`.
    fn operand(&mut self, e: &Expr, min: u8) {
        if precedence(e) < min {
            self.w("(");
            self.expr(e);
            self.w(")");
        } else {
            self.expr(e);
        }
    }

    fn literal(&mut self, l: &Literal) {
        match l {
            Literal::Null => self.w("NULL"),
            Literal::Bool(true) => self.w("TRUE"),
            Literal::Bool(false) => self.w("FALSE"),
            Literal::Number(n) => self.w(n),
            Literal::String(s) => self.w(&string_literal(s)),
            Literal::Bytes(hex) => {
                self.w("X'");
                self.w(hex);
                self.w("'");
            }
            Literal::Date(s) => {
                self.w("DATE ");
                self.w(&string_literal(s));
            }
            Literal::Time(s) => {
                self.w("TIME ");
                self.w(&string_literal(s));
            }
            Literal::Timestamp(s) => {
                self.w("TIMESTAMP ");
                self.w(&string_literal(s));
            }
        }
    }

    fn expr(&mut self, e: &Expr) {
        let prec = precedence(e);
        match e {
            Expr::Column(n) => self.name(n),
            Expr::Literal(l) => self.literal(l),
            Expr::Unary { op: UnaryOp::Not, expr } => {
                self.w("NOT ");
                self.operand(expr, 3);
            }
            Expr::Unary { op, expr } => {
                self.w(if *op == UnaryOp::Minus { "-" } else { "+" });
                // `- -1` and `- -x` would read as a comment or a different token: group them.
                self.operand(expr, 8);
            }
            Expr::Binary { left, op, right } => {
                let (lmin, rmin) = match op {
                    BinOp::And | BinOp::Or => (prec, prec),
                    o if o.is_comparison() => (prec + 1, prec + 1),
                    _ => (prec, prec + 1),
                };
                self.operand(left, lmin);
                self.w(match op {
                    BinOp::Plus => " + ",
                    BinOp::Minus => " - ",
                    BinOp::Multiply => " * ",
                    BinOp::Divide => " / ",
                    BinOp::Modulo => " % ",
                    BinOp::Eq => " = ",
                    BinOp::NotEq => " <> ",
                    BinOp::Lt => " < ",
                    BinOp::LtEq => " <= ",
                    BinOp::Gt => " > ",
                    BinOp::GtEq => " >= ",
                    BinOp::And => " AND ",
                    BinOp::Or => " OR ",
                });
                self.operand(right, rmin);
            }
            Expr::Func(f) => {
                self.w(&f.name);
                self.w("(");
                if f.distinct {
                    self.w("DISTINCT ");
                }
                self.list(&f.args, |p, a| p.expr(a));
                self.w(")");
                if let Some(w) = &f.over {
                    self.w(" OVER (");
                    self.window(w);
                    self.w(")");
                }
            }
            Expr::Cast { expr, ty } => {
                self.w("CAST(");
                self.expr(expr);
                let _ = write!(self.out, " AS {ty})");
            }
            Expr::Case { operand, whens, otherwise } => {
                self.w("CASE");
                if let Some(o) = operand {
                    self.w(" ");
                    self.expr(o);
                }
                for (c, r) in whens {
                    self.w(" WHEN ");
                    self.expr(c);
                    self.w(" THEN ");
                    self.expr(r);
                }
                if let Some(o) = otherwise {
                    self.w(" ELSE ");
                    self.expr(o);
                }
                self.w(" END");
            }
            Expr::Is { expr, negated, what } => {
                self.operand(expr, 5);
                self.w(if *negated { " IS NOT " } else { " IS " });
                self.w(match what {
                    IsWhat::Null => "NULL",
                    IsWhat::True => "TRUE",
                    IsWhat::False => "FALSE",
                    IsWhat::Unknown => "UNKNOWN",
                });
            }
            Expr::IsDistinctFrom { left, right, negated } => {
                self.operand(left, 5);
                self.w(if *negated { " IS NOT DISTINCT FROM " } else { " IS DISTINCT FROM " });
                self.operand(right, 5);
            }
            Expr::Between { expr, negated, low, high } => {
                self.operand(expr, 5);
                self.w(if *negated { " NOT BETWEEN " } else { " BETWEEN " });
                self.operand(low, 5);
                self.w(" AND ");
                self.operand(high, 5);
            }
            Expr::InList { expr, negated, list } => {
                self.operand(expr, 5);
                self.w(if *negated { " NOT IN (" } else { " IN (" });
                self.list(list, |p, e| p.expr(e));
                self.w(")");
            }
            Expr::InSubquery { expr, negated, query } => {
                self.operand(expr, 5);
                self.w(if *negated { " NOT IN (" } else { " IN (" });
                self.query(query);
                self.w(")");
            }
            Expr::Exists { negated, query } => {
                self.w(if *negated { "NOT EXISTS (" } else { "EXISTS (" });
                self.query(query);
                self.w(")");
            }
            Expr::Subquery(q) => {
                self.w("(");
                self.query(q);
                self.w(")");
            }
            Expr::Like { expr, negated, pattern, escape } => {
                self.operand(expr, 5);
                self.w(if *negated { " NOT LIKE " } else { " LIKE " });
                self.operand(pattern, 5);
                if let Some(c) = escape {
                    self.w(" ESCAPE ");
                    self.w(&string_literal(c));
                }
            }
            Expr::Extract { field, expr } => {
                self.w("EXTRACT(");
                self.w(field);
                self.w(" FROM ");
                self.expr(expr);
                self.w(")");
            }
            Expr::FloorCeil { ceil, expr, unit } => {
                self.w(if *ceil { "CEIL(" } else { "FLOOR(" });
                self.expr(expr);
                if let Some(u) = unit {
                    self.w(" TO ");
                    self.w(u);
                }
                self.w(")");
            }
            Expr::Position { needle, haystack } => {
                self.w("POSITION(");
                self.operand(needle, 5);
                self.w(" IN ");
                self.operand(haystack, 5);
                self.w(")");
            }
            Expr::Trim { side, what, expr } => {
                self.w("TRIM(");
                if side.is_some() || what.is_some() {
                    match side {
                        Some(TrimSide::Both) => self.w("BOTH "),
                        Some(TrimSide::Leading) => self.w("LEADING "),
                        Some(TrimSide::Trailing) => self.w("TRAILING "),
                        None => {}
                    }
                    if let Some(w) = what {
                        self.expr(w);
                        self.w(" ");
                    }
                    self.w("FROM ");
                }
                self.expr(expr);
                self.w(")");
            }
            Expr::Interval { value, leading, last } => {
                self.w("INTERVAL ");
                self.w(&string_literal(value));
                self.w(" ");
                self.w(leading);
                let digits = value.trim_start_matches(['-', '+']).chars().take_while(char::is_ascii_digit).count();
                if digits > 2 {
                    let _ = write!(self.out, "({digits})");
                }
                if let Some(l) = last {
                    self.w(" TO ");
                    self.w(l);
                }
            }
            Expr::Keyword(k) => self.w(k),
            Expr::Row(items) => {
                self.w("(");
                self.list(items, |p, e| p.expr(e));
                self.w(")");
            }
            Expr::Star => self.w("*"),
            Expr::Grouping { kind, sets } => {
                self.w(kind);
                self.w("(");
                let single = *kind != "GROUPING SETS";
                self.list(sets, |p, set| {
                    if single && set.len() == 1 {
                        p.expr(&set[0]);
                    } else {
                        p.w("(");
                        p.list(set, |p, e| p.expr(e));
                        p.w(")");
                    }
                });
                self.w(")");
            }
        }
    }

    fn window(&mut self, w: &Window) {
        let mut space = false;
        if !w.partition_by.is_empty() {
            self.w("PARTITION BY ");
            self.list(&w.partition_by, |p, e| p.expr(e));
            space = true;
        }
        if !w.order_by.is_empty() {
            if space {
                self.w(" ");
            }
            self.w("ORDER BY ");
            self.order_items(&w.order_by);
            space = true;
        }
        if let Some(f) = &w.frame {
            if space {
                self.w(" ");
            }
            self.w(if f.rows { "ROWS " } else { "RANGE " });
            if let Some(end) = &f.end {
                self.w("BETWEEN ");
                self.bound(&f.start);
                self.w(" AND ");
                self.bound(end);
            } else {
                self.bound(&f.start);
            }
        }
    }

    fn bound(&mut self, b: &FrameBound) {
        match b {
            FrameBound::CurrentRow => self.w("CURRENT ROW"),
            FrameBound::Preceding(None) => self.w("UNBOUNDED PRECEDING"),
            FrameBound::Following(None) => self.w("UNBOUNDED FOLLOWING"),
            FrameBound::Preceding(Some(e)) => {
                self.expr(e);
                self.w(" PRECEDING");
            }
            FrameBound::Following(Some(e)) => {
                self.expr(e);
                self.w(" FOLLOWING");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_reserved_and_odd_identifiers() {
        assert_eq!(ident("name"), "name");
        assert_eq!(ident("value"), "`value`");
        assert_eq!(ident("Year"), "`Year`");
        assert_eq!(ident("first name"), "`first name`");
        assert_eq!(ident("a`b"), "`a``b`");
        assert_eq!(ident("1st"), "`1st`");
        assert_eq!(ident("IFNULL(a,\n 0)"), r#"U&"IFNULL(a,\000A 0)""#);
        assert_eq!(ident("a\n\\\""), r#"U&"a\000A\\""""#);
    }

    #[test]
    fn parenthesises_by_precedence() {
        let a = || Expr::column("a");
        let b = || Expr::column("b");
        let sum = Expr::binary(a(), BinOp::Plus, b());
        assert_eq!(expr(&Expr::binary(sum.clone(), BinOp::Multiply, Expr::number(2))), "(a + b) * 2");
        assert_eq!(expr(&Expr::binary(Expr::number(2), BinOp::Minus, sum.clone())), "2 - (a + b)");
        assert_eq!(expr(&Expr::binary(sum.clone(), BinOp::Minus, Expr::number(2))), "a + b - 2");
        let or = Expr::binary(a(), BinOp::Or, b());
        assert_eq!(expr(&Expr::binary(or, BinOp::And, Expr::column("c"))), "(a OR b) AND c");
        let eq = Expr::binary(a(), BinOp::Eq, b());
        assert_eq!(expr(&eq.clone().negated()), "NOT a = b");
        assert_eq!(expr(&eq.is_null(false)), "(a = b) IS NULL");
        let neg = Expr::Unary { op: UnaryOp::Minus, expr: Box::new(Expr::number("-1")) };
        assert_eq!(expr(&neg), "-(-1)");
    }

    #[test]
    fn intervals_carry_precision_when_needed() {
        let i = |v: &str| Expr::Interval { value: v.into(), leading: "DAY", last: None };
        assert_eq!(expr(&i("3")), "INTERVAL '3' DAY");
        assert_eq!(expr(&i("100")), "INTERVAL '100' DAY(3)");
        let r = Expr::Interval { value: "1 10".into(), leading: "DAY", last: Some("HOUR") };
        assert_eq!(expr(&r), "INTERVAL '1 10' DAY TO HOUR");
    }
}
