//! The Flink SQL that translation produces, as a small syntax tree.
//!
//! Lowering ([`crate::lower`]) builds this tree from the source dialect's sqlparser AST, applying
//! the rewrite rules; the printer ([`crate::printer`]) prints it as Flink SQL text. The tree
//! holds only what Flink SQL can say, so anything the lowering does not know how to express is
//! refused there and never reaches the printer half-translated.

use crate::schema::FlinkType;

/// A possibly qualified name (`db.table`, `t.column`), one element per part.
pub type Name = Vec<String>;

/// One Flink statement.
#[derive(Debug, Clone, PartialEq)]
pub enum Statement {
    /// A query.
    Query(Query),
    /// `CREATE [TEMPORARY] TABLE`.
    CreateTable(CreateTable),
    /// `CREATE [TEMPORARY] VIEW`.
    CreateView(CreateView),
    /// `INSERT INTO` / `INSERT OVERWRITE`.
    Insert(Insert),
    /// `DROP [TEMPORARY] TABLE|VIEW [IF EXISTS] name`.
    Drop {
        /// `VIEW` rather than `TABLE`.
        view: bool,
        /// `TEMPORARY`.
        temporary: bool,
        /// `IF EXISTS`.
        if_exists: bool,
        /// The object dropped.
        name: Name,
    },
    /// `USE db`.
    Use(Name),
    /// `CREATE DATABASE [IF NOT EXISTS] [catalog.]db`.
    CreateDatabase {
        /// `IF NOT EXISTS`.
        if_not_exists: bool,
        /// The database created.
        name: Name,
    },
    /// `DROP DATABASE [IF EXISTS] [catalog.]db CASCADE`: MySQL drops a database with its tables.
    DropDatabase {
        /// `IF EXISTS`.
        if_exists: bool,
        /// The database dropped.
        name: Name,
    },
}

/// A query: `[WITH ...] body [ORDER BY ...] [LIMIT n] [OFFSET m]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// Common table expressions.
    pub with: Vec<Cte>,
    /// The query body.
    pub body: SetExpr,
    /// `ORDER BY` items.
    pub order_by: Vec<OrderItem>,
    /// `LIMIT n`.
    pub limit: Option<Expr>,
    /// `OFFSET m` (printed after LIMIT, as Flink requires).
    pub offset: Option<Expr>,
}

impl Query {
    /// A query that is just `body`.
    pub fn of(body: SetExpr) -> Self {
        Self { with: Vec::new(), body, order_by: Vec::new(), limit: None, offset: None }
    }
}

/// `name [(columns)] AS (query)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Cte {
    /// The CTE's name.
    pub name: String,
    /// Column names, if given.
    pub columns: Vec<String>,
    /// Its query.
    pub query: Query,
}

/// A query body.
#[derive(Debug, Clone, PartialEq)]
pub enum SetExpr {
    /// `SELECT ...`
    Select(Box<Select>),
    /// A parenthesised query.
    Query(Box<Query>),
    /// `left UNION|EXCEPT|INTERSECT [ALL] right`
    SetOp {
        /// The operator.
        op: SetOp,
        /// `ALL`.
        all: bool,
        /// Left operand.
        left: Box<SetExpr>,
        /// Right operand.
        right: Box<SetExpr>,
    },
    /// `VALUES (...), (...)`
    Values(Vec<Vec<Expr>>),
}

/// A set operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetOp {
    /// `UNION`
    Union,
    /// `EXCEPT` (Oracle's `MINUS`)
    Except,
    /// `INTERSECT`
    Intersect,
}

/// `SELECT [DISTINCT] ... FROM ... WHERE ... GROUP BY ... HAVING ...`
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Select {
    /// `DISTINCT`.
    pub distinct: bool,
    /// The select list.
    pub projection: Vec<SelectItem>,
    /// `FROM` items (comma-separated; each may be a join tree). Empty: no FROM.
    pub from: Vec<TableRef>,
    /// `WHERE`.
    pub selection: Option<Expr>,
    /// `GROUP BY` items (`ROLLUP(...)` etc. are [`Expr::Grouping`]).
    pub group_by: Vec<Expr>,
    /// `HAVING`.
    pub having: Option<Expr>,
}

/// One item of a select list.
#[derive(Debug, Clone, PartialEq)]
pub enum SelectItem {
    /// `expr [AS alias]`
    Expr {
        /// The expression.
        expr: Expr,
        /// Its alias.
        alias: Option<String>,
    },
    /// `*`
    Wildcard,
    /// `t.*`
    QualifiedWildcard(Name),
}

/// A `FROM` item.
#[derive(Debug, Clone, PartialEq)]
pub enum TableRef {
    /// A table or view: `name [AS alias]`.
    Table {
        /// Its name.
        name: Name,
        /// Its alias.
        alias: Option<String>,
    },
    /// `[LATERAL] (query) [AS alias [(columns)]]`
    Derived {
        /// `LATERAL`.
        lateral: bool,
        /// The subquery.
        query: Box<Query>,
        /// Its alias.
        alias: Option<String>,
        /// Column aliases.
        columns: Vec<String>,
    },
    /// `left JOIN right ...`
    Join {
        /// Left side.
        left: Box<TableRef>,
        /// Right side.
        right: Box<TableRef>,
        /// The kind of join.
        kind: JoinKind,
        /// `ON`/`USING`, or nothing (`CROSS JOIN`, `NATURAL JOIN`).
        constraint: JoinConstraint,
    },
}

/// The kind of a join.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinKind {
    /// `JOIN` (inner)
    Inner,
    /// `LEFT JOIN`
    Left,
    /// `RIGHT JOIN`
    Right,
    /// `FULL JOIN`
    Full,
    /// `CROSS JOIN`
    Cross,
    /// `NATURAL JOIN`
    Natural,
}

/// How the two sides of a join are matched.
#[derive(Debug, Clone, PartialEq)]
pub enum JoinConstraint {
    /// `ON condition`
    On(Expr),
    /// `USING (columns)`
    Using(Vec<String>),
    /// Nothing.
    None,
}

/// `expr [ASC|DESC] [NULLS FIRST|LAST]`
#[derive(Debug, Clone, PartialEq)]
pub struct OrderItem {
    /// The sort key.
    pub expr: Expr,
    /// `DESC`.
    pub desc: bool,
    /// Explicit null ordering: `Some(true)` is `NULLS FIRST`.
    pub nulls_first: Option<bool>,
}

/// A literal value.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// `NULL`
    Null,
    /// `TRUE` / `FALSE`
    Bool(bool),
    /// A number as written (`12`, `-1.50`, `1.5E3`).
    Number(String),
    /// A character string (printed with `'` doubled).
    String(String),
    /// A binary string, as hex digits (printed `X'...'`).
    Bytes(String),
    /// `DATE 'yyyy-mm-dd'`
    Date(String),
    /// `TIME 'hh:mm:ss'`
    Time(String),
    /// `TIMESTAMP 'yyyy-mm-dd hh:mm:ss[.f]'`
    Timestamp(String),
}

/// A unary operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    /// `NOT`
    Not,
    /// `-`
    Minus,
    /// `+`
    Plus,
}

/// A binary operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    /// `+`
    Plus,
    /// `-`
    Minus,
    /// `*`
    Multiply,
    /// `/`
    Divide,
    /// `%`
    Modulo,
    /// `=`
    Eq,
    /// `<>`
    NotEq,
    /// `<`
    Lt,
    /// `<=`
    LtEq,
    /// `>`
    Gt,
    /// `>=`
    GtEq,
    /// `AND`
    And,
    /// `OR`
    Or,
}

impl BinOp {
    /// True for the comparison operators.
    pub fn is_comparison(self) -> bool {
        matches!(self, Self::Eq | Self::NotEq | Self::Lt | Self::LtEq | Self::Gt | Self::GtEq)
    }
}

/// What `IS [NOT]` tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IsWhat {
    /// `IS NULL`
    Null,
    /// `IS TRUE`
    True,
    /// `IS FALSE`
    False,
    /// `IS UNKNOWN`
    Unknown,
}

/// `TRIM` side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrimSide {
    /// `BOTH`
    Both,
    /// `LEADING`
    Leading,
    /// `TRAILING`
    Trailing,
}

/// A function call.
#[derive(Debug, Clone, PartialEq)]
pub struct Func {
    /// The function's name as Flink spells it.
    pub name: String,
    /// `DISTINCT` (aggregates).
    pub distinct: bool,
    /// Arguments.
    pub args: Vec<Expr>,
    /// `OVER (...)`.
    pub over: Option<Window>,
}

/// A window specification.
#[derive(Debug, Clone, PartialEq)]
pub struct Window {
    /// `PARTITION BY`.
    pub partition_by: Vec<Expr>,
    /// `ORDER BY`.
    pub order_by: Vec<OrderItem>,
    /// The frame, e.g. `ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW`.
    pub frame: Option<Frame>,
}

/// A window frame.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    /// `ROWS` rather than `RANGE`.
    pub rows: bool,
    /// Start bound.
    pub start: FrameBound,
    /// End bound (`BETWEEN start AND end`).
    pub end: Option<FrameBound>,
}

/// A window frame bound.
#[derive(Debug, Clone, PartialEq)]
pub enum FrameBound {
    /// `CURRENT ROW`
    CurrentRow,
    /// `n PRECEDING`, or `UNBOUNDED PRECEDING` when `None`.
    Preceding(Option<Box<Expr>>),
    /// `n FOLLOWING`, or `UNBOUNDED FOLLOWING` when `None`.
    Following(Option<Box<Expr>>),
}

/// A Flink SQL expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A column reference.
    Column(Name),
    /// A literal.
    Literal(Literal),
    /// `op expr`
    Unary {
        /// The operator.
        op: UnaryOp,
        /// The operand.
        expr: Box<Expr>,
    },
    /// `left op right`
    Binary {
        /// Left operand.
        left: Box<Expr>,
        /// The operator.
        op: BinOp,
        /// Right operand.
        right: Box<Expr>,
    },
    /// A function call.
    Func(Box<Func>),
    /// `CAST(expr AS type)` / `TRY_CAST`.
    Cast {
        /// The value.
        expr: Box<Expr>,
        /// The target type.
        ty: FlinkType,
    },
    /// `CASE [operand] WHEN ... THEN ... [ELSE ...] END`
    Case {
        /// The simple-case operand.
        operand: Option<Box<Expr>>,
        /// `WHEN condition THEN result` pairs.
        whens: Vec<(Expr, Expr)>,
        /// `ELSE` result.
        otherwise: Option<Box<Expr>>,
    },
    /// `expr IS [NOT] NULL|TRUE|FALSE|UNKNOWN`
    Is {
        /// The operand.
        expr: Box<Expr>,
        /// `NOT`.
        negated: bool,
        /// What is tested.
        what: IsWhat,
    },
    /// `left IS [NOT] DISTINCT FROM right`
    IsDistinctFrom {
        /// Left operand.
        left: Box<Expr>,
        /// Right operand.
        right: Box<Expr>,
        /// `NOT` (null-safe equality).
        negated: bool,
    },
    /// `expr [NOT] BETWEEN low AND high`
    Between {
        /// The operand.
        expr: Box<Expr>,
        /// `NOT`.
        negated: bool,
        /// Lower bound.
        low: Box<Expr>,
        /// Upper bound.
        high: Box<Expr>,
    },
    /// `expr [NOT] IN (list)`
    InList {
        /// The operand.
        expr: Box<Expr>,
        /// `NOT`.
        negated: bool,
        /// The list.
        list: Vec<Expr>,
    },
    /// `expr [NOT] IN (query)`
    InSubquery {
        /// The operand.
        expr: Box<Expr>,
        /// `NOT`.
        negated: bool,
        /// The subquery.
        query: Box<Query>,
    },
    /// `[NOT] EXISTS (query)`
    Exists {
        /// `NOT`.
        negated: bool,
        /// The subquery.
        query: Box<Query>,
    },
    /// `(query)` used as a value.
    Subquery(Box<Query>),
    /// `expr [NOT] LIKE|SIMILAR TO pattern [ESCAPE 'c']`
    Like {
        /// The operand.
        expr: Box<Expr>,
        /// `NOT`.
        negated: bool,
        /// The pattern.
        pattern: Box<Expr>,
        /// The escape character.
        escape: Option<String>,
    },
    /// `EXTRACT(field FROM expr)`
    Extract {
        /// `YEAR`, `MONTH`, ...
        field: &'static str,
        /// The operand.
        expr: Box<Expr>,
    },
    /// `FLOOR(expr [TO unit])` / `CEIL(expr [TO unit])`
    FloorCeil {
        /// `CEIL` rather than `FLOOR`.
        ceil: bool,
        /// The operand.
        expr: Box<Expr>,
        /// The time unit, for temporal floors.
        unit: Option<&'static str>,
    },
    /// `POSITION(needle IN haystack)`
    Position {
        /// What is looked for.
        needle: Box<Expr>,
        /// Where.
        haystack: Box<Expr>,
    },
    /// `TRIM([side] [what] FROM expr)`
    Trim {
        /// The side.
        side: Option<TrimSide>,
        /// The characters removed.
        what: Option<Box<Expr>>,
        /// The operand.
        expr: Box<Expr>,
    },
    /// `INTERVAL 'value' qualifier`, e.g. `INTERVAL '3' DAY`, `INTERVAL '1 10' DAY TO HOUR`.
    Interval {
        /// The literal text inside the quotes.
        value: String,
        /// The leading field (`YEAR`, `MONTH`, `DAY`, `HOUR`, `MINUTE`, `SECOND`).
        leading: &'static str,
        /// The last field, for ranges (`DAY TO HOUR`).
        last: Option<&'static str>,
    },
    /// A keyword value or argument: `CURRENT_DATE`, `LOCALTIMESTAMP`, or a time unit passed to
    /// `TIMESTAMPADD`/`TIMESTAMPDIFF`.
    Keyword(&'static str),
    /// `(a, b)` (a row, e.g. in `IN` lists).
    Row(Vec<Expr>),
    /// `*` as a function argument (`COUNT(*)`).
    Star,
    /// `ROLLUP(...)`, `CUBE(...)`, `GROUPING SETS(...)` in `GROUP BY`.
    Grouping {
        /// `ROLLUP`, `CUBE` or `GROUPING SETS`.
        kind: &'static str,
        /// The sets (one expression each for ROLLUP and CUBE).
        sets: Vec<Vec<Expr>>,
    },
}

impl Expr {
    /// A column reference with one name part.
    pub fn column(name: &str) -> Expr {
        Expr::Column(vec![name.to_string()])
    }

    /// A number literal.
    pub fn number(n: impl ToString) -> Expr {
        Expr::Literal(Literal::Number(n.to_string()))
    }

    /// A string literal.
    pub fn string(s: impl Into<String>) -> Expr {
        Expr::Literal(Literal::String(s.into()))
    }

    /// `NULL`
    pub fn null() -> Expr {
        Expr::Literal(Literal::Null)
    }

    /// A function call without DISTINCT or OVER.
    pub fn func(name: &str, args: Vec<Expr>) -> Expr {
        Expr::Func(Box::new(Func { name: name.to_string(), distinct: false, args, over: None }))
    }

    /// `left op right`
    pub fn binary(left: Expr, op: BinOp, right: Expr) -> Expr {
        Expr::Binary { left: Box::new(left), op, right: Box::new(right) }
    }

    /// `CAST(self AS ty)`
    pub fn cast(self, ty: FlinkType) -> Expr {
        Expr::Cast { expr: Box::new(self), ty }
    }

    /// `NOT self`
    pub fn negated(self) -> Expr {
        Expr::Unary { op: UnaryOp::Not, expr: Box::new(self) }
    }

    /// `self IS [NOT] NULL`
    pub fn is_null(self, negated: bool) -> Expr {
        Expr::Is { expr: Box::new(self), negated, what: IsWhat::Null }
    }

    /// `CASE WHEN c THEN r ... ELSE e END`
    pub fn case(whens: Vec<(Expr, Expr)>, otherwise: Option<Expr>) -> Expr {
        Expr::Case { operand: None, whens, otherwise: otherwise.map(Box::new) }
    }

    /// True for a literal (of any type, NULL included).
    pub fn is_literal(&self) -> bool {
        matches!(self, Expr::Literal(_))
    }

    /// The number of nodes in the expression (subqueries count as one), used to bound the
    /// size of rewrites that repeat an operand.
    pub fn size(&self) -> usize {
        1 + match self {
            Expr::Column(_) | Expr::Literal(_) | Expr::Keyword(_) | Expr::Star | Expr::Interval { .. } => 0,
            Expr::Subquery(_) | Expr::Exists { .. } => 0,
            Expr::Unary { expr, .. }
            | Expr::Cast { expr, .. }
            | Expr::Is { expr, .. }
            | Expr::Extract { expr, .. }
            | Expr::FloorCeil { expr, .. }
            | Expr::InSubquery { expr, .. } => expr.size(),
            Expr::Binary { left, right, .. } | Expr::IsDistinctFrom { left, right, .. } => left.size() + right.size(),
            Expr::Func(f) => f.args.iter().map(Expr::size).sum(),
            Expr::Case { operand, whens, otherwise } => {
                operand.as_ref().map_or(0, |e| e.size())
                    + whens.iter().map(|(c, r)| c.size() + r.size()).sum::<usize>()
                    + otherwise.as_ref().map_or(0, |e| e.size())
            }
            Expr::Between { expr, low, high, .. } => expr.size() + low.size() + high.size(),
            Expr::InList { expr, list, .. } => expr.size() + list.iter().map(Expr::size).sum::<usize>(),
            Expr::Like { expr, pattern, .. } => expr.size() + pattern.size(),
            Expr::Position { needle, haystack } => needle.size() + haystack.size(),
            Expr::Trim { what, expr, .. } => what.as_ref().map_or(0, |e| e.size()) + expr.size(),
            Expr::Row(items) => items.iter().map(Expr::size).sum(),
            Expr::Grouping { sets, .. } => sets.iter().flatten().map(Expr::size).sum(),
        }
    }
}

/// `CREATE [TEMPORARY] TABLE [IF NOT EXISTS] name (...) [COMMENT '...'] WITH (...) [AS query]`
#[derive(Debug, Clone, PartialEq)]
pub struct CreateTable {
    /// `TEMPORARY`.
    pub temporary: bool,
    /// `IF NOT EXISTS`.
    pub if_not_exists: bool,
    /// The table's name.
    pub name: Name,
    /// Physical columns.
    pub columns: Vec<ColumnDef>,
    /// `[CONSTRAINT name] PRIMARY KEY (...) NOT ENFORCED`.
    pub primary_key: Option<PrimaryKey>,
    /// Table comment.
    pub comment: Option<String>,
    /// Connector options, in order.
    pub options: Vec<(String, String)>,
    /// `AS query` (CTAS).
    pub query: Option<Box<Query>>,
}

/// A physical column.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnDef {
    /// Its name.
    pub name: String,
    /// Its type.
    pub ty: FlinkType,
    /// `NOT NULL`.
    pub not_null: bool,
    /// `COMMENT '...'`.
    pub comment: Option<String>,
}

/// `[CONSTRAINT name] PRIMARY KEY (columns) NOT ENFORCED`
#[derive(Debug, Clone, PartialEq)]
pub struct PrimaryKey {
    /// The constraint's name.
    pub name: Option<String>,
    /// Key columns.
    pub columns: Vec<String>,
}

/// `CREATE [TEMPORARY] VIEW [IF NOT EXISTS] name [(columns)] AS query`
#[derive(Debug, Clone, PartialEq)]
pub struct CreateView {
    /// `TEMPORARY`.
    pub temporary: bool,
    /// `IF NOT EXISTS`.
    pub if_not_exists: bool,
    /// The view's name.
    pub name: Name,
    /// Column names.
    pub columns: Vec<String>,
    /// Its query.
    pub query: Box<Query>,
}

/// `INSERT INTO|OVERWRITE table [(columns)] query`
#[derive(Debug, Clone, PartialEq)]
pub struct Insert {
    /// `OVERWRITE` rather than `INTO`.
    pub overwrite: bool,
    /// Target table.
    pub table: Name,
    /// Target columns.
    pub columns: Vec<String>,
    /// Rows to insert.
    pub source: Box<Query>,
}
