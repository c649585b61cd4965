//! Lowering: a MySQL or Oracle statement (sqlparser's AST) to the Flink syntax tree, applying
//! the rewrite rules on the way.
//!
//! The walk is bottom-up for expressions: operands are lowered first and come back as
//! [`TExpr`] (the Flink expression and, when known, its Flink type), so every rule sees
//! Flink-ready operands with their types. Types come from literals, from the schema context for
//! columns, and from the rules themselves for what they build.
//!
//! * [`expr`]: operators, literals, identifiers, CAST, CASE, predicates;
//! * [`query`]: queries, SELECT, set operations, ORDER BY/LIMIT/FETCH, GROUP BY and HAVING
//!   aliases, ROWNUM;
//! * [`from`]: FROM items and joins, Oracle `(+)` joins;
//! * [`ddl`]: CREATE TABLE/VIEW, INSERT, DROP, USE;
//! * [`scope`]: which tables and columns a name can refer to;
//! * [`names`]: the result's column names as the source dialect gives them;
//! * function calls go to [`crate::rules::functions`].
//!
//! Anything without a faithful Flink form is refused with [`TranslateError::Unsupported`],
//! naming the construct and its position; nothing is dropped silently (what is dropped on
//! purpose, such as MySQL's `ENGINE=`, is recorded as a note).

pub(crate) mod collation;
pub(crate) mod ddl;
pub(crate) mod expr;
pub(crate) mod from;
pub(crate) mod names;
pub(crate) mod position;
pub(crate) mod query;
pub(crate) mod scope;

use sqlparser::ast::Statement as SqlStatement;

use crate::error::{Pos, TranslateError};
use crate::flink_ast::{Expr, Statement};
use crate::notes::{Note, Notes};
use crate::schema::{FlinkType, SchemaContext};
use crate::options::Options;
use crate::source_dialect::SourceDialect;
use crate::target::FlinkTarget;

use self::scope::{AliasEnv, CteInfo, Scope};

/// A lowered expression and its Flink type, when known.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TExpr {
    /// The Flink expression.
    pub expr: Expr,
    /// Its type, when known.
    pub ty: Option<FlinkType>,
}

impl TExpr {
    /// An expression of a known type.
    pub fn new(expr: Expr, ty: FlinkType) -> Self {
        Self { expr, ty: Some(ty) }
    }

    /// An expression of unknown type.
    pub fn untyped(expr: Expr) -> Self {
        Self { expr, ty: None }
    }

    /// An expression with an optional type.
    pub fn with(expr: Expr, ty: Option<FlinkType>) -> Self {
        Self { expr, ty }
    }

    /// True when the type is known to satisfy `f`.
    pub fn is(&self, f: impl Fn(&FlinkType) -> bool) -> bool {
        self.ty.as_ref().is_some_and(f)
    }

    /// The string value, when the expression is a string literal.
    pub fn string_literal(&self) -> Option<&str> {
        match &self.expr {
            Expr::Literal(crate::flink_ast::Literal::String(s)) => Some(s),
            _ => None,
        }
    }

    /// The integer value, when the expression is an integer literal (possibly negated).
    pub fn integer_literal(&self) -> Option<i64> {
        match &self.expr {
            Expr::Literal(crate::flink_ast::Literal::Number(n)) => n.parse().ok(),
            Expr::Unary { op: crate::flink_ast::UnaryOp::Minus, expr } => match &**expr {
                Expr::Literal(crate::flink_ast::Literal::Number(n)) => n.parse::<i64>().ok().map(|v| -v),
                _ => None,
            },
            _ => None,
        }
    }
}

/// How many expression nodes rewrites may create by repeating operands (`ADD_MONTHS` repeats
/// its date argument): bounds the output of adversarial nestings.
const REPEAT_BUDGET: usize = 200_000;

/// The state of one statement's translation.
pub(crate) struct Lowerer<'a> {
    /// The source dialect.
    pub dialect: SourceDialect,
    /// The Flink version translated for.
    pub target: FlinkTarget,
    /// Column types.
    pub schema: &'a dyn SchemaContext,
    /// Translation options.
    pub options: &'a Options,
    /// The session's `weir.ddl.with`.
    pub ddl_with: Option<&'a str>,
    notes: Notes,
    /// Name scopes, innermost last.
    pub scopes: Vec<Scope>,
    /// Common table expressions in scope, innermost last.
    pub ctes: Vec<CteInfo>,
    /// Select-list aliases usable in GROUP BY / HAVING while those are lowered.
    pub alias_env: Option<AliasEnv>,
    budget: usize,
}

impl<'a> Lowerer<'a> {
    /// A lowerer for one statement.
    pub fn new(
        dialect: SourceDialect,
        target: FlinkTarget,
        schema: &'a dyn SchemaContext,
        options: &'a Options,
        ddl_with: Option<&'a str>,
    ) -> Self {
        Self {
            dialect,
            target,
            schema,
            options,
            ddl_with,
            notes: Notes::default(),
            scopes: Vec::new(),
            ctes: Vec::new(),
            alias_env: None,
            budget: REPEAT_BUDGET,
        }
    }

    /// The notes recorded so far.
    pub fn into_notes(self) -> Vec<Note> {
        self.notes.into_vec()
    }

    /// Records a note.
    pub fn note(&mut self, pos: Pos, message: impl Into<String>) {
        self.notes.add(pos, message);
    }

    /// An Unsupported error for `construct` at `pos`.
    pub fn refuse(&self, construct: impl Into<String>, pos: Pos) -> TranslateError {
        TranslateError::unsupported(construct, pos)
    }

    /// True for MySQL.
    pub fn mysql(&self) -> bool {
        self.dialect == SourceDialect::MySql
    }

    /// True for Oracle.
    pub fn oracle(&self) -> bool {
        self.dialect == SourceDialect::Oracle
    }

    /// A copy of `e` for a rewrite that repeats it, charged against the repeat budget.
    pub fn repeat(&mut self, e: &Expr, pos: Pos) -> Result<Expr, TranslateError> {
        let size = e.size();
        if size > self.budget {
            return Err(self.refuse("an expression this large after translation (a rewrite repeats its operands)", pos));
        }
        self.budget -= size;
        Ok(e.clone())
    }

    /// Lowers one statement.
    pub fn statement(&mut self, s: &SqlStatement) -> Result<Statement, TranslateError> {
        let pos = position::statement_start(s);
        match s {
            SqlStatement::Query(q) => Ok(Statement::Query(self.query(q)?.0)),
            SqlStatement::CreateTable(t) => self.create_table(t, pos),
            SqlStatement::CreateView(v) => self.create_view(v, pos),
            SqlStatement::Insert(i) => self.insert(i, pos),
            SqlStatement::Drop { .. } => self.drop(s, pos),
            SqlStatement::Use(u) => self.use_statement(u, pos),
            SqlStatement::CreateDatabase { .. } | SqlStatement::CreateSchema { .. } => self.create_database(s, pos),
            other => Err(self.refuse(statement_name(other), pos)),
        }
    }
}

pub(crate) use self::position::pos_of;

/// How a refused statement is named to the user.
fn statement_name(s: &SqlStatement) -> String {
    let text = match s {
        SqlStatement::Merge(_) => "MERGE",
        SqlStatement::CreateSequence { .. } => "CREATE SEQUENCE (sequences)",
        SqlStatement::Update(_) => "UPDATE",
        SqlStatement::Delete(_) => "DELETE",
        SqlStatement::Set(_) => "SET (session and user variables)",
        SqlStatement::CreateIndex(_) => "CREATE INDEX (Flink tables have no indexes)",
        SqlStatement::Comment { .. } => "COMMENT ON (put comments in CREATE TABLE)",
        SqlStatement::AlterTable(_) => "ALTER TABLE",
        SqlStatement::Truncate(_) => "TRUNCATE",
        SqlStatement::Call(_) => "CALL (stored procedures)",
        SqlStatement::CreateProcedure { .. } | SqlStatement::CreateFunction(_) => "stored programs",
        SqlStatement::CreateTrigger(_) => "CREATE TRIGGER",
        SqlStatement::Declare { .. } => "DECLARE (PL/SQL)",
        SqlStatement::Execute { .. } => "EXECUTE",
        SqlStatement::StartTransaction { .. } | SqlStatement::Commit { .. } | SqlStatement::Rollback { .. } => {
            "transactions"
        }
        SqlStatement::LockTables { .. } | SqlStatement::UnlockTables | SqlStatement::Lock(_) => "LOCK TABLES",
        SqlStatement::Grant(_) | SqlStatement::Revoke(_) => "GRANT and REVOKE",
        _ => {
            // Name the statement by its first words.
            let text = s.to_string();
            let words: Vec<&str> = text.split_whitespace().take(2).collect();
            return format!("{} statement", words.join(" ").to_ascii_uppercase());
        }
    };
    text.to_string()
}
