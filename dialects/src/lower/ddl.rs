//! DDL and DML statements: CREATE TABLE (types mapped, PRIMARY KEY ... NOT ENFORCED, comments
//! kept, storage options dropped with a note, connector options from the statement's WITH or
//! the session's `weir.ddl.with`), CREATE VIEW, INSERT, DROP, USE.

use sqlparser::ast::{
    ColumnOption, CommentDef, CreateTable as SqlCreateTable, CreateTableOptions, CreateView as SqlCreateView,
    Expr as SqlExpr, GeneratedAs, Insert as SqlInsert, ObjectType, SchemaName, SqlOption, Statement as SqlStatement,
    TableConstraint, TableObject, Use, Value,
};
use sqlparser::parser::Parser;

use super::query::object_idents;
use super::{Lowerer, pos_of};
use crate::error::{Pos, TranslateError};
use crate::flink_ast::{ColumnDef, CreateTable, CreateView, Insert, PrimaryKey, Statement};
use crate::rules::types::{self, TypeUse};
use crate::source_dialect::MySqlSource;

type Result<T> = std::result::Result<T, TranslateError>;

/// The text of an option value: a string literal's contents, else the expression as written.
fn option_value(e: &SqlExpr) -> String {
    match e {
        SqlExpr::Value(v) => match &v.value {
            Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) => s.clone(),
            other => other.to_string(),
        },
        SqlExpr::Identifier(i) => i.value.clone(),
        other => other.to_string(),
    }
}

/// Parses a Flink options list (`'k' = 'v', ...`, with or without parentheses).
pub(crate) fn parse_options(text: &str) -> std::result::Result<Vec<(String, String)>, String> {
    let t = text.trim().trim_end_matches(';').trim();
    let inner = match t.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        Some(i) => i,
        None => t,
    };
    if inner.trim().is_empty() {
        return Err("the list is empty".into());
    }
    let sql = format!("CREATE TABLE x (a INT) WITH ({inner})");
    let statements = Parser::parse_sql(&MySqlSource::new(false), &sql).map_err(|e| e.to_string())?;
    let [SqlStatement::CreateTable(t)] = statements.as_slice() else {
        return Err("expected 'key' = 'value' pairs".into());
    };
    let CreateTableOptions::With(options) = &t.table_options else {
        return Err("expected 'key' = 'value' pairs".into());
    };
    options
        .iter()
        .map(|o| match o {
            SqlOption::KeyValue { key, value } => Ok((key.value.clone(), option_value(value))),
            other => Err(format!("expected 'key' = 'value', found {other}")),
        })
        .collect()
}

impl Lowerer<'_> {
    /// CREATE TABLE.
    pub fn create_table(&mut self, t: &SqlCreateTable, pos: Pos) -> Result<Statement> {
        if t.or_replace {
            return Err(self.refuse("CREATE OR REPLACE TABLE", pos));
        }
        if t.external || t.global.is_some() {
            return Err(self.refuse(if t.global.is_some() { "GLOBAL TEMPORARY TABLE" } else { "CREATE EXTERNAL TABLE" }, pos));
        }
        if t.like.is_some() || t.clone.is_some() {
            return Err(self.refuse("CREATE TABLE ... LIKE", pos));
        }
        let name: Vec<String> = object_idents(&t.name).into_iter().map(|i| i.value).collect();
        let table = name.join(".");
        let mut columns = Vec::new();
        let mut primary_key: Option<PrimaryKey> = None;
        for c in &t.columns {
            let cpos = Pos::from_location(c.name.span.start);
            let mapped = types::map(&c.data_type, self.dialect, TypeUse::Column).map_err(|construct| self.refuse(construct, cpos))?;
            if let Some(n) = mapped.note {
                self.note(cpos, format!("{}: {n}", c.name.value));
            }
            let mut col = ColumnDef { name: c.name.value.clone(), ty: mapped.ty, not_null: false, comment: None };
            for o in &c.options {
                match &o.option {
                    ColumnOption::Null => {}
                    ColumnOption::NotNull => col.not_null = true,
                    ColumnOption::Comment(s) => col.comment = Some(s.clone()),
                    ColumnOption::PrimaryKey(_) => {
                        if primary_key.is_some() {
                            return Err(self.refuse("two primary keys", cpos));
                        }
                        primary_key = Some(PrimaryKey { name: o.name.as_ref().map(|n| n.value.clone()), columns: vec![col.name.clone()] });
                    }
                    ColumnOption::Default(e) => self.note(cpos, format!("{}: DEFAULT {e} dropped (Flink tables have no defaults)", col.name)),
                    ColumnOption::Unique(_) => self.note(cpos, format!("{}: UNIQUE dropped (Flink enforces no constraints)", col.name)),
                    ColumnOption::ForeignKey(_) => self.note(cpos, format!("{}: REFERENCES dropped (Flink enforces no constraints)", col.name)),
                    ColumnOption::Check(_) => self.note(cpos, format!("{}: CHECK dropped (Flink enforces no constraints)", col.name)),
                    ColumnOption::CharacterSet(cs) => self.note(cpos, format!("{}: CHARACTER SET {cs} dropped", col.name)),
                    ColumnOption::Collation(cs) => self.note(cpos, format!("{}: COLLATE {cs} dropped", col.name)),
                    ColumnOption::OnUpdate(e) => self.note(cpos, format!("{}: ON UPDATE {e} dropped", col.name)),
                    ColumnOption::DialectSpecific(tokens) => {
                        let text: Vec<String> = tokens.iter().map(|t| t.to_string()).collect();
                        self.note(cpos, format!("{}: {} dropped (Flink has no generated keys)", col.name, text.join(" ")));
                    }
                    ColumnOption::Generated { generation_expr: None, generated_as: GeneratedAs::Always | GeneratedAs::ByDefault, .. }
                    | ColumnOption::Identity(_) => {
                        self.note(cpos, format!("{}: identity generation dropped (Flink has no generated keys)", col.name));
                    }
                    ColumnOption::Generated { .. } => return Err(self.refuse("generated (computed) columns", cpos)),
                    ColumnOption::Invisible => self.note(cpos, format!("{}: INVISIBLE dropped", col.name)),
                    other => return Err(self.refuse(format!("the column option {other}"), cpos)),
                }
            }
            columns.push(col);
        }
        for constraint in &t.constraints {
            let cpos = pos_of(constraint);
            match constraint {
                TableConstraint::PrimaryKey(pk) => {
                    if primary_key.is_some() {
                        return Err(self.refuse("two primary keys", cpos));
                    }
                    let mut cols = Vec::new();
                    for ic in &pk.columns {
                        match &ic.column.expr {
                            SqlExpr::Identifier(i) => cols.push(i.value.clone()),
                            other => return Err(self.refuse(format!("a primary key on the expression {other}"), cpos)),
                        }
                    }
                    primary_key = Some(PrimaryKey { name: pk.name.as_ref().map(|n| n.value.clone()), columns: cols });
                }
                TableConstraint::PrimaryKeyUsingIndex(_) => return Err(self.refuse("PRIMARY KEY USING INDEX", cpos)),
                TableConstraint::Unique(_) | TableConstraint::UniqueUsingIndex(_) => {
                    self.note(cpos, "UNIQUE constraint dropped (Flink enforces no constraints)")
                }
                TableConstraint::ForeignKey(_) => self.note(cpos, "FOREIGN KEY dropped (Flink enforces no constraints)"),
                TableConstraint::Check(_) => self.note(cpos, "CHECK constraint dropped (Flink enforces no constraints)"),
                TableConstraint::Index(_) | TableConstraint::FulltextOrSpatial(_) => {
                    self.note(cpos, "index dropped (Flink tables have no indexes)")
                }
            }
        }
        if let Some(pk) = &primary_key {
            self.note(pos, format!("PRIMARY KEY ({}) became PRIMARY KEY ... NOT ENFORCED", pk.columns.join(", ")));
        }
        let mut comment = t.comment.as_ref().map(|c| match c {
            CommentDef::WithEq(s) | CommentDef::WithoutEq(s) => s.clone(),
        });
        let mut options: Option<Vec<(String, String)>> = None;
        let dropped = |this: &mut Self, opts: &[SqlOption], comment: &mut Option<String>| {
            for o in opts {
                match o {
                    SqlOption::Comment(CommentDef::WithEq(s) | CommentDef::WithoutEq(s)) => *comment = Some(s.clone()),
                    SqlOption::KeyValue { key, value } if key.value.eq_ignore_ascii_case("COMMENT") => {
                        *comment = Some(option_value(value))
                    }
                    other => this.note(pos, format!("{other} dropped")),
                }
            }
        };
        match &t.table_options {
            CreateTableOptions::None => {}
            CreateTableOptions::With(opts) => {
                let mut list = Vec::new();
                for o in opts {
                    match o {
                        SqlOption::KeyValue { key, value } => list.push((key.value.clone(), option_value(value))),
                        other => return Err(self.refuse(format!("the table option {other}"), pos)),
                    }
                }
                options = Some(list);
            }
            CreateTableOptions::Plain(opts) | CreateTableOptions::Options(opts) | CreateTableOptions::TableProperties(opts) => {
                dropped(self, opts, &mut comment)
            }
        }
        if t.partition_by.is_some() || t.cluster_by.is_some() || t.clustered_by.is_some() || t.order_by.is_some() {
            self.note(pos, "partitioning and clustering dropped");
        }
        if t.on_commit.is_some() {
            self.note(pos, "ON COMMIT dropped");
        }
        let options = match options {
            Some(o) => o,
            None => match self.ddl_with {
                Some(text) => {
                    let last = name.last().cloned().unwrap_or_default();
                    parse_options(&text.replace("#{table}", &last))
                        .map_err(|message| TranslateError::InvalidDdlOptions { message })?
                }
                None => return Err(TranslateError::MissingConnectorOptions { table, line: pos.line, column: pos.column }),
            },
        };
        let query = match &t.query {
            Some(q) => Some(Box::new(self.query(q)?.0)),
            None => None,
        };
        Ok(Statement::CreateTable(CreateTable {
            temporary: t.temporary,
            if_not_exists: t.if_not_exists,
            name,
            columns,
            primary_key,
            comment,
            options,
            query,
        }))
    }

    /// CREATE VIEW.
    pub fn create_view(&mut self, v: &SqlCreateView, pos: Pos) -> Result<Statement> {
        if v.materialized {
            return Err(self.refuse("materialized views", pos));
        }
        if v.or_replace || v.or_alter {
            return Err(self.refuse("CREATE OR REPLACE VIEW (Flink views cannot be replaced)", pos));
        }
        if v.params.is_some() {
            self.note(pos, "ALGORITHM, DEFINER and SQL SECURITY dropped");
        }
        if !matches!(v.options, CreateTableOptions::None) {
            return Err(self.refuse("view options", pos));
        }
        let (query, _) = self.query(&v.query)?;
        Ok(Statement::CreateView(CreateView {
            temporary: v.temporary,
            if_not_exists: v.if_not_exists,
            name: object_idents(&v.name).into_iter().map(|i| i.value).collect(),
            columns: v.columns.iter().map(|c| c.name.value.clone()).collect(),
            query: Box::new(query),
        }))
    }

    /// INSERT.
    pub fn insert(&mut self, i: &SqlInsert, pos: Pos) -> Result<Statement> {
        if i.ignore {
            return Err(self.refuse("INSERT IGNORE", pos));
        }
        if i.on.is_some() {
            return Err(self.refuse("INSERT ... ON DUPLICATE KEY UPDATE (use an upsert sink with a primary key)", pos));
        }
        if i.replace_into {
            return Err(self.refuse("REPLACE INTO (use an upsert sink with a primary key)", pos));
        }
        if !i.assignments.is_empty() {
            return Err(self.refuse("INSERT ... SET", pos));
        }
        if i.returning.is_some() || i.output.is_some() || i.partitioned.is_some() || i.or.is_some() || i.insert_alias.is_some() {
            return Err(self.refuse("this INSERT clause", pos));
        }
        if i.table_alias.is_some() {
            return Err(self.refuse("INSERT with a table alias", pos));
        }
        let TableObject::TableName(name) = &i.table else {
            return Err(self.refuse("INSERT into a table function", pos));
        };
        let Some(source) = &i.source else {
            return Err(self.refuse("INSERT without rows", pos));
        };
        let (mut query, _) = self.query(source)?;
        let table: Vec<sqlparser::ast::Ident> = object_idents(name);
        let (_, columns) = self.lookup_table(&table);
        if let Some(columns) = columns {
            // The target's column types, in the order the rows give them.
            let targets: Vec<Option<crate::schema::FlinkType>> = if i.columns.is_empty() {
                columns.iter().map(|(_, t)| t.clone()).collect()
            } else {
                i.columns
                    .iter()
                    .map(|c| {
                        let n = object_idents(c).last().map(|x| x.value.clone()).unwrap_or_default();
                        columns.iter().find(|(cn, _)| cn.eq_ignore_ascii_case(&n)).and_then(|(_, t)| t.clone())
                    })
                    .collect()
            };
            self.coerce_insert_rows(&mut query, &targets);
        }
        Ok(Statement::Insert(Insert {
            overwrite: i.overwrite,
            table: object_idents(name).into_iter().map(|x| x.value).collect(),
            columns: i.columns.iter().filter_map(|c| object_idents(c).last().map(|x| x.value.clone())).collect(),
            source: Box::new(query),
        }))
    }

    /// Literals in the rows an INSERT writes, converted to the target columns' types: a NULL
    /// gets the column's type, and (MySQL) a date string becomes a date.
    fn coerce_insert_rows(&mut self, query: &mut crate::flink_ast::Query, targets: &[Option<crate::schema::FlinkType>]) {
        use crate::flink_ast::{Expr, Literal, SelectItem, SetExpr};
        let fix = |cx: &mut Self, e: &mut Expr, target: &Option<crate::schema::FlinkType>| {
            let Some(t) = target else { return };
            let is_null = matches!(e, Expr::Literal(Literal::Null))
                || matches!(e, Expr::Cast { expr, .. } if matches!(**expr, Expr::Literal(Literal::Null)));
            if is_null {
                *e = Expr::null().cast(t.clone());
            } else if matches!(t, crate::schema::FlinkType::TinyInt | crate::schema::FlinkType::SmallInt) && !matches!(e, Expr::Column(_) | Expr::Cast { .. }) {
                // Flink does not narrow INT values into TINYINT/SMALLINT columns implicitly
                // (Oracle's NUMBER(2) and NUMBER(4) are such columns).
                *e = e.clone().cast(t.clone());
            } else if let Expr::Literal(Literal::String(s)) = e {
                let len = u32::try_from(s.chars().count().max(1)).unwrap_or(u32::MAX);
                let lit = super::TExpr::new(Expr::string(s.clone()), crate::schema::FlinkType::Char(len));
                *e = cx.coerce_literal(lit, t).expr;
            }
        };
        match &mut query.body {
            SetExpr::Values(rows) => {
                for row in rows {
                    for (e, t) in row.iter_mut().zip(targets) {
                        fix(self, e, t);
                    }
                }
            }
            SetExpr::Select(s) => {
                for (item, t) in s.projection.iter_mut().zip(targets) {
                    if let SelectItem::Expr { expr, .. } = item {
                        fix(self, expr, t);
                    }
                }
            }
            _ => {}
        }
    }

    /// DROP TABLE / DROP VIEW.
    pub fn drop(&mut self, s: &SqlStatement, pos: Pos) -> Result<Statement> {
        let SqlStatement::Drop { object_type, if_exists, names, cascade, purge, temporary, .. } = s else {
            return Err(self.refuse("DROP", pos));
        };
        let (view, database) = match object_type {
            ObjectType::Table => (false, false),
            ObjectType::View => (true, false),
            ObjectType::Database | ObjectType::Schema => (false, true),
            other => return Err(self.refuse(format!("DROP {other}"), pos)),
        };
        let [name] = names.as_slice() else {
            return Err(self.refuse("DROP of several objects in one statement", pos));
        };
        if database {
            return Ok(Statement::DropDatabase { if_exists: *if_exists, name: name_parts(name) });
        }
        if *cascade || *purge {
            self.note(pos, "CASCADE/PURGE dropped");
        }
        // sqlparser keeps no position for DROP itself: notes point at the name.
        let pos = if pos.is_unknown() { pos_of(name) } else { pos };
        let name = name_parts(name);
        // MySQL: a TEMPORARY table hides the permanent one of its name, and DROP TABLE drops it.
        let hides = self.mysql() && !view && !*temporary && self.schema.is_temporary(&name);
        if hides {
            self.note(pos, format!("drops the session's TEMPORARY table {}, as MySQL does", name.join(".")));
        }
        Ok(Statement::Drop { view, temporary: *temporary || hides, if_exists: *if_exists, name })
    }

    /// `CREATE DATABASE|SCHEMA [IF NOT EXISTS] db [[DEFAULT] CHARACTER SET cs] [[DEFAULT] COLLATE c]`:
    /// a Flink database; its character set and collation have no Flink meaning (a note says so).
    pub fn create_database(&mut self, s: &SqlStatement, pos: Pos) -> Result<Statement> {
        let (name, if_not_exists, charset) = match s {
            SqlStatement::CreateDatabase {
                db_name,
                if_not_exists,
                location: None,
                managed_location: None,
                or_replace: false,
                clone: None,
                default_charset,
                default_collation,
                ..
            } => (db_name, *if_not_exists, default_charset.is_some() || default_collation.is_some()),
            SqlStatement::CreateSchema { schema_name: SchemaName::Simple(name), if_not_exists, with: None, options: None, clone: None, .. } => {
                (name, *if_not_exists, false)
            }
            _ => return Err(self.refuse("CREATE DATABASE with these options", pos)),
        };
        if charset {
            self.note(pos_of(name), "the database's character set and collation dropped: Flink strings are Unicode");
        }
        Ok(Statement::CreateDatabase { if_not_exists, name: name_parts(name) })
    }

    /// USE db.
    pub fn use_statement(&mut self, u: &Use, pos: Pos) -> Result<Statement> {
        match u {
            Use::Object(n) | Use::Database(n) | Use::Schema(n) => {
                Ok(Statement::Use(name_parts(n)))
            }
            other => Err(self.refuse(format!("{other}"), pos)),
        }
    }
}

/// An object name's parts, unquoted.
fn name_parts(name: &sqlparser::ast::ObjectName) -> Vec<String> {
    object_idents(name).into_iter().map(|i| i.value).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_lists() {
        assert_eq!(
            parse_options("'connector' = 'jdbc', 'url' = 'jdbc:mysql://h/db'").unwrap(),
            vec![("connector".to_string(), "jdbc".to_string()), ("url".to_string(), "jdbc:mysql://h/db".to_string())]
        );
        assert_eq!(parse_options("('connector'='datagen')").unwrap().len(), 1);
        assert!(parse_options("").is_err());
        assert!(parse_options("connector").is_err());
    }
}
