//! The grammar of the metadata statements Weir answers in MySQL's shape: the SHOW family,
//! DESCRIBE and `SET CATALOG`, each parsed into a [`MetaStatement`] (the metadata room answers
//! it). Statements of Flink's that MySQL does not have (SHOW JOBS, SHOW VIEWS, SHOW FUNCTIONS,
//! DESCRIBE JOB, …) are not parsed here and go to Flink.

use super::words::{Spanned, Token};

/// A metadata statement, as classified.
/// The connector `SHOW CREATE TABLE … FOR FLINK AS` writes a table's Flink DDL for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlinkDdlFor {
    Cdc,
    Jdbc,
    Paimon,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetaStatement {
    /// A SELECT reading information_schema (its text).
    Select(String),
    /// A SELECT without FROM reading system variables through MySQL functions the session does
    /// not evaluate itself (its text): run by the metadata engine.
    Probe(String),
    /// `DO <exprs>` of expressions the session does not evaluate itself: the metadata engine
    /// evaluates `SELECT <exprs>` (its text), the values discarded, as MySQL's DO does.
    Do(String),
    ShowDatabases { filter: Option<ShowFilter> },
    ShowTables { full: bool, database: Option<DatabaseName>, filter: Option<ShowFilter> },
    ShowTableStatus { database: Option<DatabaseName>, filter: Option<ShowFilter> },
    ShowColumns { full: bool, table: TableName, filter: Option<ShowFilter> },
    Describe { table: TableName, column: Option<String> },
    ShowIndex { table: TableName, filter: Option<ShowFilter> },
    /// `SHOW [FULL] TRIGGERS [FROM db]` (Flink has none: always empty, in MySQL's shape).
    ShowTriggers { database: Option<DatabaseName>, filter: Option<ShowFilter> },
    /// SHOW CREATE TABLE/VIEW; `FOR FLINK` gives Flink's own DDL.
    ShowCreate { table: TableName, view: bool, flink: bool },
    /// `SHOW CREATE TABLE t FOR FLINK AS { CDC | JDBC | PAIMON }`: the Flink DDL of a table of a
    /// MySQL/MariaDB JDBC catalog, generated from the server's own information_schema.
    ShowCreateFor { table: TableName, connector: FlinkDdlFor },
    ShowCreateDatabase { database: DatabaseName },
    /// `SHOW CREATE CATALOG c`: the statement that made it, its secrets masked.
    ShowCreateCatalog { catalog: String },
    ShowCatalogs { filter: Option<ShowFilter> },
    ShowEngines,
    ShowCharset { filter: Option<ShowFilter> },
    ShowCollation { filter: Option<ShowFilter> },
    ShowPlugins,
    ShowProcesslist { full: bool },
    /// `SET CATALOG c` (StarRocks, Doris): Flink's `USE CATALOG c`.
    SetCatalog(String),
}

/// A table named in a SHOW statement: `t`, `db.t`, `cat.db.t`, `t FROM db` or `t FROM cat.db`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableName {
    /// `None`: the session's current catalog.
    pub catalog: Option<String>,
    pub database: Option<String>,
    pub table: String,
}

/// A database named in a SHOW statement: `db` (of the session's current catalog) or `cat.db`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatabaseName {
    pub catalog: Option<String>,
    pub database: String,
}

impl DatabaseName {
    fn from_parts(mut parts: Vec<String>) -> Option<Self> {
        let database = parts.pop()?;
        let catalog = parts.pop();
        parts.is_empty().then_some(Self { catalog, database })
    }
}

/// SHOW … LIKE 'pattern' | WHERE expr (the expression's SQL text, over the result's columns).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShowFilter {
    Like(String),
    Where(String),
}

struct Words<'a> {
    sql: &'a str,
    tokens: &'a [Spanned],
    pos: usize,
}

impl<'a> Words<'a> {
    fn peek(&self) -> Option<&'a Spanned> {
        self.tokens.get(self.pos)
    }

    /// The next token if it is the keyword `kw` (unquoted, any case).
    fn eat(&mut self, kw: &str) -> bool {
        if self.peek().is_some_and(|t| t.is_keyword(kw)) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn eat_any(&mut self, kws: &[&str]) -> bool {
        kws.iter().any(|k| self.eat(k))
    }

    /// A name: a word, a quoted identifier, or a string (MySQL takes `'db'` in places).
    fn ident(&mut self) -> Option<String> {
        let t = self.peek()?;
        let v = t.ident().or_else(|| t.string())?.to_string();
        self.pos += 1;
        Some(v)
    }

    /// `a`, `a.b`, `a.b.c` → parts.
    fn dotted(&mut self) -> Option<Vec<String>> {
        let mut parts = vec![self.ident()?];
        while self.peek().is_some_and(|t| t.token == Token::Dot) {
            self.pos += 1;
            parts.push(self.ident()?);
        }
        Some(parts)
    }

    fn string(&mut self) -> Option<String> {
        let v = self.peek()?.string()?.to_string();
        self.pos += 1;
        Some(v)
    }

    fn at_end(&self) -> bool {
        self.tokens.get(self.pos..).is_none_or(|rest| rest.iter().all(|t| t.is_punct(';')))
    }

    /// The rest, as the statement's text has it (without a trailing `;`).
    fn rest(&mut self) -> String {
        let start = self.peek().map(|t| t.span.start).unwrap_or(self.sql.len());
        self.pos = self.tokens.len();
        self.sql.get(start..).unwrap_or("").trim().trim_end_matches(';').trim_end().to_string()
    }

    /// `[LIKE 'p' | WHERE expr]` then the end.
    fn filter(&mut self) -> Option<Option<ShowFilter>> {
        if self.at_end() {
            return Some(None);
        }
        if self.eat("LIKE") {
            let p = self.string()?;
            return self.at_end().then_some(Some(ShowFilter::Like(p)));
        }
        if self.eat("WHERE") {
            let e = self.rest();
            return (!e.is_empty()).then_some(Some(ShowFilter::Where(e)));
        }
        None
    }

    /// `[{FROM | IN} [catalog.]db]`
    fn in_database(&mut self) -> Option<Option<DatabaseName>> {
        if self.eat_any(&["FROM", "IN"]) {
            return Some(Some(DatabaseName::from_parts(self.dotted()?)?));
        }
        Some(None)
    }

    /// `{FROM | IN} tbl [{FROM | IN} [catalog.]db]`
    fn in_table(&mut self) -> Option<TableName> {
        if !self.eat_any(&["FROM", "IN"]) {
            return None;
        }
        let name = table_name(self.dotted()?)?;
        match self.in_database()? {
            Some(db) => Some(TableName { catalog: db.catalog, database: Some(db.database), table: name.table }),
            None => Some(name),
        }
    }
}

/// `t`, `db.t` or `catalog.db.t`.
fn table_name(mut parts: Vec<String>) -> Option<TableName> {
    let table = parts.pop()?;
    let database = parts.pop();
    let catalog = parts.pop();
    parts.is_empty().then_some(TableName { catalog, database, table })
}

/// Recognises the SHOW and DESCRIBE statements Weir answers in MySQL's shape (`tokens` are
/// `sql`'s).
pub fn parse(sql: &str, tokens: &[Spanned]) -> Option<MetaStatement> {
    let mut w = Words { sql, tokens, pos: 0 };
    // StarRocks' and Doris' `SET CATALOG c`, the same as Flink's `USE CATALOG c`.
    if w.eat("SET") {
        if !w.eat("CATALOG") {
            return None;
        }
        let catalog = w.ident()?;
        return w.at_end().then_some(MetaStatement::SetCatalog(catalog));
    }
    if w.eat_any(&["DESCRIBE", "DESC", "EXPLAIN"]) {
        return describe(&mut w);
    }
    if !w.eat("SHOW") {
        return None;
    }
    if w.eat_any(&["DATABASES", "SCHEMAS"]) {
        return Some(MetaStatement::ShowDatabases { filter: w.filter()? });
    }
    if w.eat("CATALOGS") {
        return Some(MetaStatement::ShowCatalogs { filter: w.filter()? });
    }
    if w.eat("CREATE") {
        if w.eat("CATALOG") {
            let catalog = w.ident()?;
            return w.at_end().then_some(MetaStatement::ShowCreateCatalog { catalog });
        }
        if w.eat_any(&["DATABASE", "SCHEMA"]) {
            let _ = w.eat("IF") && w.eat("NOT") && w.eat("EXISTS");
            let database = DatabaseName::from_parts(w.dotted()?)?;
            return w.at_end().then_some(MetaStatement::ShowCreateDatabase { database });
        }
        let view = if w.eat("TABLE") {
            false
        } else if w.eat("VIEW") {
            true
        } else {
            return None;
        };
        let table = table_name(w.dotted()?)?;
        let flink = w.eat("FOR") && w.eat("FLINK");
        if flink && !view && w.eat("AS") {
            let connector = if w.eat("CDC") {
                FlinkDdlFor::Cdc
            } else if w.eat("JDBC") {
                FlinkDdlFor::Jdbc
            } else if w.eat("PAIMON") {
                FlinkDdlFor::Paimon
            } else {
                return None;
            };
            return w.at_end().then_some(MetaStatement::ShowCreateFor { table, connector });
        }
        return w.at_end().then_some(MetaStatement::ShowCreate { table, view, flink });
    }
    if w.eat("TABLE") {
        if !w.eat("STATUS") {
            return None;
        }
        let database = w.in_database()?;
        return Some(MetaStatement::ShowTableStatus { database, filter: w.filter()? });
    }
    if w.eat("ENGINES") || (w.eat("STORAGE") && w.eat("ENGINES")) {
        return w.at_end().then_some(MetaStatement::ShowEngines);
    }
    if w.eat("CHARSET") || (w.eat("CHARACTER") && w.eat("SET")) {
        return Some(MetaStatement::ShowCharset { filter: w.filter()? });
    }
    if w.eat("COLLATION") {
        return Some(MetaStatement::ShowCollation { filter: w.filter()? });
    }
    if w.eat("PLUGINS") {
        return w.at_end().then_some(MetaStatement::ShowPlugins);
    }
    let _ = w.eat("EXTENDED");
    let full = w.eat("FULL");
    if w.eat("PROCESSLIST") {
        return w.at_end().then_some(MetaStatement::ShowProcesslist { full });
    }
    if w.eat("TABLES") {
        let database = w.in_database()?;
        return Some(MetaStatement::ShowTables { full, database, filter: w.filter()? });
    }
    if w.eat("TRIGGERS") {
        let database = w.in_database()?;
        return Some(MetaStatement::ShowTriggers { database, filter: w.filter()? });
    }
    if w.eat_any(&["COLUMNS", "FIELDS"]) {
        let table = w.in_table()?;
        return Some(MetaStatement::ShowColumns { full, table, filter: w.filter()? });
    }
    if w.eat_any(&["INDEX", "INDEXES", "KEYS"]) {
        let table = w.in_table()?;
        return Some(MetaStatement::ShowIndex { table, filter: w.filter()? });
    }
    None
}

/// `DESCRIBE t [column | 'pattern']`; DESCRIBE of anything but a table (Flink's `DESCRIBE JOB`,
/// `DESCRIBE CATALOG`, `EXPLAIN SELECT …`) is not ours.
fn describe(w: &mut Words<'_>) -> Option<MetaStatement> {
    if let Some(word) = w.peek().and_then(Spanned::keyword)
        && matches!(
            word.as_str(),
            "JOB" | "CATALOG" | "DATABASE" | "SCHEMA" | "FUNCTION" | "MODEL" | "EXTENDED" | "SELECT" | "INSERT" | "UPDATE" | "DELETE"
                | "WITH" | "VALUES" | "TABLE" | "PLAN" | "ESTIMATED_COST" | "CHANGELOG_MODE" | "JSON_EXECUTION_PLAN" | "FORMAT"
                | "ANALYZE" | "STATEMENT" | "CREATE" | "EXECUTE" | "PARTITIONS" | "FOR"
        )
    {
        return None;
    }
    let table = table_name(w.dotted()?)?;
    if w.at_end() {
        return Some(MetaStatement::Describe { table, column: None });
    }
    let column = w.ident()?;
    w.at_end().then_some(MetaStatement::Describe { table, column: Some(column) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(sql: &str) -> Option<MetaStatement> {
        super::parse(sql, &crate::statement::words::tokenize(sql))
    }

    fn t(db: Option<&str>, table: &str) -> TableName {
        TableName { catalog: None, database: db.map(str::to_string), table: table.to_string() }
    }

    fn db(name: &str) -> DatabaseName {
        DatabaseName { catalog: None, database: name.to_string() }
    }

    #[test]
    fn the_show_family_is_recognised() {
        assert_eq!(parse("SHOW DATABASES"), Some(MetaStatement::ShowDatabases { filter: None }));
        assert_eq!(parse("show schemas like 'my%'"), Some(MetaStatement::ShowDatabases { filter: Some(ShowFilter::Like("my%".into())) }));
        assert_eq!(parse("SHOW FULL TABLES FROM `mydb` LIKE '%'"), Some(MetaStatement::ShowTables { full: true, database: Some(db("mydb")), filter: Some(ShowFilter::Like("%".into())) }));
        assert_eq!(parse("SHOW FULL COLUMNS FROM `orders` FROM `mydb` LIKE '%'"), Some(MetaStatement::ShowColumns { full: true, table: t(Some("mydb"), "orders"), filter: Some(ShowFilter::Like("%".into())) }));
        assert_eq!(parse("SHOW KEYS FROM `mydb`.`orders`"), Some(MetaStatement::ShowIndex { table: t(Some("mydb"), "orders"), filter: None }));
        assert_eq!(parse("SHOW CREATE TABLE `mydb`.`orders`"), Some(MetaStatement::ShowCreate { table: t(Some("mydb"), "orders"), view: false, flink: false }));
        assert_eq!(parse("SHOW CREATE TABLE orders FOR FLINK"), Some(MetaStatement::ShowCreate { table: t(None, "orders"), view: false, flink: true }));
        assert_eq!(parse("SHOW CREATE TABLE orders FOR FLINK AS CDC"), Some(MetaStatement::ShowCreateFor { table: t(None, "orders"), connector: FlinkDdlFor::Cdc }));
        assert_eq!(parse("SHOW CREATE TABLE orders FOR FLINK AS KAFKA"), None);
        assert_eq!(parse("DESCRIBE `mydb`.`orders`"), Some(MetaStatement::Describe { table: t(Some("mydb"), "orders"), column: None }));
        assert_eq!(parse("SET CATALOG `hive`"), Some(MetaStatement::SetCatalog("hive".into())));
        assert_eq!(parse("SET autocommit = 1"), None);
        assert_eq!(parse("desc orders id"), Some(MetaStatement::Describe { table: t(None, "orders"), column: Some("id".into()) }));
        assert_eq!(parse("SHOW TABLES WHERE Tables_in_db = 'x'"), Some(MetaStatement::ShowTables { full: false, database: None, filter: Some(ShowFilter::Where("Tables_in_db = 'x'".into())) }));
    }

    #[test]
    fn three_part_names_name_their_catalog() {
        let in_hive = |t: &str| TableName { catalog: Some("hive".into()), database: Some("sales".into()), table: t.into() };
        let sales = Some(DatabaseName { catalog: Some("hive".into()), database: "sales".into() });
        assert_eq!(parse("DESCRIBE hive.sales.orders"), Some(MetaStatement::Describe { table: in_hive("orders"), column: None }));
        assert_eq!(parse("SHOW FULL COLUMNS FROM `hive`.`sales`.`orders`"), Some(MetaStatement::ShowColumns { full: true, table: in_hive("orders"), filter: None }));
        assert_eq!(parse("SHOW COLUMNS FROM orders FROM hive.sales"), Some(MetaStatement::ShowColumns { full: false, table: in_hive("orders"), filter: None }));
        assert_eq!(parse("SHOW FULL TABLES FROM hive.sales LIKE 'o%'"), Some(MetaStatement::ShowTables { full: true, database: sales.clone(), filter: Some(ShowFilter::Like("o%".into())) }));
        assert_eq!(parse("SHOW TABLE STATUS IN hive.sales"), Some(MetaStatement::ShowTableStatus { database: sales, filter: None }));
        assert_eq!(parse("SHOW INDEX FROM hive.sales.orders"), Some(MetaStatement::ShowIndex { table: in_hive("orders"), filter: None }));
        assert_eq!(parse("SHOW CREATE TABLE hive.sales.orders"), Some(MetaStatement::ShowCreate { table: in_hive("orders"), view: false, flink: false }));
        assert_eq!(parse("SHOW CREATE DATABASE hive.sales"), Some(MetaStatement::ShowCreateDatabase { database: DatabaseName { catalog: Some("hive".into()), database: "sales".into() } }));
        assert_eq!(parse("SHOW CREATE DATABASE sales"), Some(MetaStatement::ShowCreateDatabase { database: db("sales") }));
        assert_eq!(parse("SHOW CREATE CATALOG `src`"), Some(MetaStatement::ShowCreateCatalog { catalog: "src".into() }));
        assert_eq!(parse("SHOW FULL TRIGGERS FROM `sales`"), Some(MetaStatement::ShowTriggers { database: Some(db("sales")), filter: None }));
        // Four parts name nothing MySQL or Flink has.
        assert_eq!(parse("DESCRIBE a.b.c.d"), None);
        assert_eq!(parse("SHOW TABLES FROM a.b.c"), None);
    }

    #[test]
    fn flinks_own_statements_are_left_to_flink() {
        for sql in ["SHOW JOBS", "SHOW VIEWS", "SHOW FUNCTIONS", "SHOW CURRENT CATALOG", "DESCRIBE JOB 'abc'", "EXPLAIN SELECT 1", "SHOW VARIABLES", "SHOW WARNINGS", "DESCRIBE CATALOG c", "SHOW FLINK CLUSTERS"] {
            assert_eq!(parse(sql), None, "{sql}");
        }
    }
}
