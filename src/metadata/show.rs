//! The SHOW family and DESCRIBE in MySQL's shape: each is parsed into a [`MetaPlan`], then either
//! rewritten into a query over information_schema ([`to_query`], MySQL's exact column names as
//! aliases) or answered directly (SHOW CREATE …, SHOW CATALOGS, SHOW GRANTS, SHOW PLUGINS).
//! Statements of Flink's that MySQL does not have (SHOW JOBS, SHOW VIEWS, SHOW FUNCTIONS,
//! DESCRIBE JOB, …) are not parsed here and go to Flink.

use sqlparser::tokenizer::{Token, Tokenizer};
use weir_dialects::session_dialect::MySqlNoBackslashEscapes;

use super::MetaPlan;

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

struct Words {
    tokens: Vec<Token>,
    pos: usize,
}

impl Words {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    /// The next token if it is the keyword `kw` (unquoted, any case).
    fn eat(&mut self, kw: &str) -> bool {
        match self.peek() {
            Some(Token::Word(w)) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(kw) => {
                self.pos += 1;
                true
            }
            _ => false,
        }
    }

    fn eat_any(&mut self, kws: &[&str]) -> bool {
        kws.iter().any(|k| self.eat(k))
    }

    fn ident(&mut self) -> Option<String> {
        match self.peek() {
            Some(Token::Word(w)) => {
                let v = w.value.clone();
                self.pos += 1;
                Some(v)
            }
            Some(Token::SingleQuotedString(s)) | Some(Token::DoubleQuotedString(s)) => {
                let v = s.clone();
                self.pos += 1;
                Some(v)
            }
            _ => None,
        }
    }

    /// `a`, `a.b`, `a.b.c` → parts.
    fn dotted(&mut self) -> Option<Vec<String>> {
        let mut parts = vec![self.ident()?];
        while matches!(self.peek(), Some(Token::Period)) {
            self.pos += 1;
            parts.push(self.ident()?);
        }
        Some(parts)
    }

    fn string(&mut self) -> Option<String> {
        match self.peek() {
            Some(Token::SingleQuotedString(s)) | Some(Token::DoubleQuotedString(s)) => {
                let v = s.clone();
                self.pos += 1;
                Some(v)
            }
            _ => None,
        }
    }

    fn at_end(&self) -> bool {
        self.tokens[self.pos..].iter().all(|t| matches!(t, Token::SemiColon))
    }

    /// The rest, as SQL text.
    fn rest(&mut self) -> String {
        let mut out = String::new();
        for t in &self.tokens[self.pos..] {
            if matches!(t, Token::SemiColon) {
                break;
            }
            if !out.is_empty() {
                out.push(' ');
            }
            match t {
                Token::SingleQuotedString(s) => out.push_str(&quote_string(s)),
                other => out.push_str(&other.to_string()),
            }
        }
        self.pos = self.tokens.len();
        out
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

/// Recognises the SHOW and DESCRIBE statements Weir answers in MySQL's shape.
pub fn parse(text: &str) -> Option<MetaPlan> {
    let dialect = MySqlNoBackslashEscapes::default();
    let tokens: Vec<Token> = Tokenizer::new(&dialect, text)
        .tokenize()
        .ok()?
        .into_iter()
        .filter(|t| !matches!(t, Token::Whitespace(_)))
        .collect();
    let mut w = Words { tokens, pos: 0 };
    // StarRocks' and Doris' `SET CATALOG c`, the same as Flink's `USE CATALOG c`.
    if w.eat("SET") {
        if !w.eat("CATALOG") {
            return None;
        }
        let catalog = w.ident()?;
        return w.at_end().then_some(MetaPlan::SetCatalog(catalog));
    }
    if w.eat_any(&["DESCRIBE", "DESC", "EXPLAIN"]) {
        return describe(&mut w);
    }
    if !w.eat("SHOW") {
        return None;
    }
    if w.eat_any(&["DATABASES", "SCHEMAS"]) {
        return Some(MetaPlan::ShowDatabases { filter: w.filter()? });
    }
    if w.eat("CATALOGS") {
        return Some(MetaPlan::ShowCatalogs { filter: w.filter()? });
    }
    if w.eat("CREATE") {
        if w.eat_any(&["DATABASE", "SCHEMA"]) {
            let _ = w.eat("IF") && w.eat("NOT") && w.eat("EXISTS");
            let database = DatabaseName::from_parts(w.dotted()?)?;
            return w.at_end().then_some(MetaPlan::ShowCreateDatabase { database });
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
        return w.at_end().then_some(MetaPlan::ShowCreate { table, view, flink });
    }
    if w.eat("TABLE") {
        if !w.eat("STATUS") {
            return None;
        }
        let database = w.in_database()?;
        return Some(MetaPlan::ShowTableStatus { database, filter: w.filter()? });
    }
    if w.eat("ENGINES") || (w.eat("STORAGE") && w.eat("ENGINES")) {
        return w.at_end().then_some(MetaPlan::ShowEngines);
    }
    if w.eat("CHARSET") || (w.eat("CHARACTER") && w.eat("SET")) {
        return Some(MetaPlan::ShowCharset { filter: w.filter()? });
    }
    if w.eat("COLLATION") {
        return Some(MetaPlan::ShowCollation { filter: w.filter()? });
    }
    if w.eat("PLUGINS") {
        return w.at_end().then_some(MetaPlan::ShowPlugins);
    }
    if w.eat("GRANTS") {
        // SHOW GRANTS [FOR user]: Weir has no privilege system; the session's user has them all.
        return Some(MetaPlan::ShowGrants);
    }
    let _ = w.eat("EXTENDED");
    let full = w.eat("FULL");
    if w.eat("PROCESSLIST") {
        return w.at_end().then_some(MetaPlan::ShowProcesslist { full });
    }
    if w.eat("TABLES") {
        let database = w.in_database()?;
        return Some(MetaPlan::ShowTables { full, database, filter: w.filter()? });
    }
    if w.eat("TRIGGERS") {
        let database = w.in_database()?;
        return Some(MetaPlan::ShowTriggers { database, filter: w.filter()? });
    }
    if w.eat_any(&["COLUMNS", "FIELDS"]) {
        let table = w.in_table()?;
        return Some(MetaPlan::ShowColumns { full, table, filter: w.filter()? });
    }
    if w.eat_any(&["INDEX", "INDEXES", "KEYS"]) {
        let table = w.in_table()?;
        return Some(MetaPlan::ShowIndex { table, filter: w.filter()? });
    }
    None
}

/// `DESCRIBE t [column | 'pattern']`; DESCRIBE of anything but a table (Flink's `DESCRIBE JOB`,
/// `DESCRIBE CATALOG`, `EXPLAIN SELECT …`) is not ours.
fn describe(w: &mut Words) -> Option<MetaPlan> {
    if let Some(Token::Word(word)) = w.peek()
        && word.quote_style.is_none()
        && matches!(
            word.value.to_ascii_uppercase().as_str(),
            "JOB" | "CATALOG" | "DATABASE" | "SCHEMA" | "FUNCTION" | "MODEL" | "EXTENDED" | "SELECT" | "INSERT" | "UPDATE" | "DELETE"
                | "WITH" | "VALUES" | "TABLE" | "PLAN" | "ESTIMATED_COST" | "CHANGELOG_MODE" | "JSON_EXECUTION_PLAN" | "FORMAT"
                | "ANALYZE" | "STATEMENT" | "CREATE" | "EXECUTE" | "PARTITIONS" | "FOR"
        )
    {
        return None;
    }
    let table = table_name(w.dotted()?)?;
    if w.at_end() {
        return Some(MetaPlan::Describe { table, column: None });
    }
    let column = w.ident()?;
    w.at_end().then_some(MetaPlan::Describe { table, column: Some(column) })
}

/// A SQL string literal.
pub fn quote_string(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A SQL identifier in backquotes.
pub fn quote_ident(s: &str) -> String {
    format!("`{}`", s.replace('`', "``"))
}

/// `SELECT <outputs> FROM (<inner>) AS _show [WHERE …] ORDER BY <order>`: the client's filter
/// sees the result's own column names, as in MySQL.
fn wrap(outputs: &[(&str, &str)], from: &str, filter: Option<&ShowFilter>, order: &str) -> String {
    let inner: Vec<String> = outputs.iter().map(|(e, n)| format!("{e} AS {}", quote_ident(n))).collect();
    let outer: Vec<String> = outputs.iter().map(|(_, n)| quote_ident(n)).collect();
    let filter = match filter {
        None => String::new(),
        Some(ShowFilter::Like(p)) => format!(" WHERE {} LIKE {}", quote_ident(outputs[0].1), quote_string(p)),
        Some(ShowFilter::Where(e)) => format!(" WHERE {e}"),
    };
    format!("SELECT {} FROM (SELECT {}, {order} AS _order FROM {from}) AS _show{filter} ORDER BY _order", outer.join(", "), inner.join(", "))
}

/// The information_schema query that answers a SHOW statement (for those that are queries),
/// given the database it is about.
pub fn to_query(plan: &MetaPlan, database: &str) -> Option<String> {
    let db = quote_string(database);
    Some(match plan {
        MetaPlan::ShowDatabases { filter } => wrap(&[("SCHEMA_NAME", "Database")], "information_schema.SCHEMATA", filter.as_ref(), "SCHEMA_NAME"),
        MetaPlan::ShowTables { full, filter, .. } => {
            let name = format!("Tables_in_{database}");
            let mut cols = vec![("TABLE_NAME", name.as_str())];
            if *full {
                cols.push(("TABLE_TYPE", "Table_type"));
            }
            wrap(&cols, &format!("information_schema.TABLES WHERE TABLE_SCHEMA = {db}"), filter.as_ref(), "TABLE_NAME")
        }
        MetaPlan::ShowTableStatus { filter, .. } => wrap(
            &[
                ("TABLE_NAME", "Name"),
                ("ENGINE", "Engine"),
                ("VERSION", "Version"),
                ("ROW_FORMAT", "Row_format"),
                ("TABLE_ROWS", "Rows"),
                ("AVG_ROW_LENGTH", "Avg_row_length"),
                ("DATA_LENGTH", "Data_length"),
                ("MAX_DATA_LENGTH", "Max_data_length"),
                ("INDEX_LENGTH", "Index_length"),
                ("DATA_FREE", "Data_free"),
                ("AUTO_INCREMENT", "Auto_increment"),
                ("CREATE_TIME", "Create_time"),
                ("UPDATE_TIME", "Update_time"),
                ("CHECK_TIME", "Check_time"),
                ("TABLE_COLLATION", "Collation"),
                ("CHECKSUM", "Checksum"),
                ("CREATE_OPTIONS", "Create_options"),
                ("TABLE_COMMENT", "Comment"),
            ],
            &format!("information_schema.TABLES WHERE TABLE_SCHEMA = {db}"),
            filter.as_ref(),
            "TABLE_NAME",
        ),
        MetaPlan::ShowColumns { full, table, filter } => {
            let mut cols = vec![("COLUMN_NAME", "Field"), ("COLUMN_TYPE", "Type")];
            if *full {
                cols.push(("COLLATION_NAME", "Collation"));
            }
            cols.extend([("IS_NULLABLE", "Null"), ("COLUMN_KEY", "Key"), ("COLUMN_DEFAULT", "Default"), ("EXTRA", "Extra")]);
            if *full {
                cols.extend([("PRIVILEGES", "Privileges"), ("COLUMN_COMMENT", "Comment")]);
            }
            let from = format!("information_schema.COLUMNS WHERE TABLE_SCHEMA = {db} AND TABLE_NAME = {}", quote_string(&table.table));
            wrap(&cols, &from, filter.as_ref(), "ORDINAL_POSITION")
        }
        MetaPlan::Describe { table, column } => {
            let cols = [("COLUMN_NAME", "Field"), ("COLUMN_TYPE", "Type"), ("IS_NULLABLE", "Null"), ("COLUMN_KEY", "Key"), ("COLUMN_DEFAULT", "Default"), ("EXTRA", "Extra")];
            let from = format!("information_schema.COLUMNS WHERE TABLE_SCHEMA = {db} AND TABLE_NAME = {}", quote_string(&table.table));
            let filter = column.clone().map(ShowFilter::Like);
            wrap(&cols, &from, filter.as_ref(), "ORDINAL_POSITION")
        }
        MetaPlan::ShowIndex { table, filter } => {
            let cols = [
                ("TABLE_NAME", "Table"),
                ("NON_UNIQUE", "Non_unique"),
                ("INDEX_NAME", "Key_name"),
                ("SEQ_IN_INDEX", "Seq_in_index"),
                ("COLUMN_NAME", "Column_name"),
                ("COLLATION", "Collation"),
                ("CARDINALITY", "Cardinality"),
                ("SUB_PART", "Sub_part"),
                ("PACKED", "Packed"),
                ("NULLABLE", "Null"),
                ("INDEX_TYPE", "Index_type"),
                ("COMMENT", "Comment"),
                ("INDEX_COMMENT", "Index_comment"),
                ("IS_VISIBLE", "Visible"),
                ("EXPRESSION", "Expression"),
            ];
            let from = format!("information_schema.STATISTICS WHERE TABLE_SCHEMA = {db} AND TABLE_NAME = {}", quote_string(&table.table));
            wrap(&cols, &from, filter.as_ref(), "SEQ_IN_INDEX")
        }
        MetaPlan::ShowTriggers { filter, .. } => wrap(
            &[
                ("TRIGGER_NAME", "Trigger"),
                ("EVENT_MANIPULATION", "Event"),
                ("EVENT_OBJECT_TABLE", "Table"),
                ("ACTION_STATEMENT", "Statement"),
                ("ACTION_TIMING", "Timing"),
                ("CREATED", "Created"),
                ("SQL_MODE", "sql_mode"),
                ("DEFINER", "Definer"),
                ("CHARACTER_SET_CLIENT", "character_set_client"),
                ("COLLATION_CONNECTION", "collation_connection"),
                ("DATABASE_COLLATION", "Database Collation"),
            ],
            &format!("information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = {db}"),
            filter.as_ref(),
            "TRIGGER_NAME",
        ),
        MetaPlan::ShowEngines => wrap(
            &[("ENGINE", "Engine"), ("SUPPORT", "Support"), ("COMMENT", "Comment"), ("TRANSACTIONS", "Transactions"), ("XA", "XA"), ("SAVEPOINTS", "Savepoints")],
            "information_schema.ENGINES",
            None,
            "ENGINE",
        ),
        MetaPlan::ShowCharset { filter } => wrap(
            &[("CHARACTER_SET_NAME", "Charset"), ("DESCRIPTION", "Description"), ("DEFAULT_COLLATE_NAME", "Default collation"), ("MAXLEN", "Maxlen")],
            "information_schema.CHARACTER_SETS",
            filter.as_ref(),
            "CHARACTER_SET_NAME",
        ),
        MetaPlan::ShowCollation { filter } => wrap(
            &[
                ("COLLATION_NAME", "Collation"),
                ("CHARACTER_SET_NAME", "Charset"),
                ("ID", "Id"),
                ("IS_DEFAULT", "Default"),
                ("IS_COMPILED", "Compiled"),
                ("SORTLEN", "Sortlen"),
                ("PAD_ATTRIBUTE", "Pad_attribute"),
            ],
            "information_schema.COLLATIONS",
            filter.as_ref(),
            "COLLATION_NAME",
        ),
        // Without FULL, MySQL shows the first 100 characters of each statement.
        MetaPlan::ShowProcesslist { full } => wrap(
            &[
                ("ID", "Id"),
                ("USER", "User"),
                ("HOST", "Host"),
                ("DB", "db"),
                ("COMMAND", "Command"),
                ("TIME", "Time"),
                ("STATE", "State"),
                (if *full { "INFO" } else { "substr(INFO, 1, 100)" }, "Info"),
            ],
            "information_schema.PROCESSLIST",
            None,
            "ID",
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(db: Option<&str>, table: &str) -> TableName {
        TableName { catalog: None, database: db.map(str::to_string), table: table.to_string() }
    }

    fn db(name: &str) -> DatabaseName {
        DatabaseName { catalog: None, database: name.to_string() }
    }

    #[test]
    fn the_show_family_is_recognised() {
        assert_eq!(parse("SHOW DATABASES"), Some(MetaPlan::ShowDatabases { filter: None }));
        assert_eq!(parse("show schemas like 'my%'"), Some(MetaPlan::ShowDatabases { filter: Some(ShowFilter::Like("my%".into())) }));
        assert_eq!(parse("SHOW FULL TABLES FROM `mydb` LIKE '%'"), Some(MetaPlan::ShowTables { full: true, database: Some(db("mydb")), filter: Some(ShowFilter::Like("%".into())) }));
        assert_eq!(parse("SHOW FULL COLUMNS FROM `orders` FROM `mydb` LIKE '%'"), Some(MetaPlan::ShowColumns { full: true, table: t(Some("mydb"), "orders"), filter: Some(ShowFilter::Like("%".into())) }));
        assert_eq!(parse("SHOW KEYS FROM `mydb`.`orders`"), Some(MetaPlan::ShowIndex { table: t(Some("mydb"), "orders"), filter: None }));
        assert_eq!(parse("SHOW CREATE TABLE `mydb`.`orders`"), Some(MetaPlan::ShowCreate { table: t(Some("mydb"), "orders"), view: false, flink: false }));
        assert_eq!(parse("SHOW CREATE TABLE orders FOR FLINK"), Some(MetaPlan::ShowCreate { table: t(None, "orders"), view: false, flink: true }));
        assert_eq!(parse("DESCRIBE `mydb`.`orders`"), Some(MetaPlan::Describe { table: t(Some("mydb"), "orders"), column: None }));
        assert_eq!(parse("SET CATALOG `hive`"), Some(MetaPlan::SetCatalog("hive".into())));
        assert_eq!(parse("SET autocommit = 1"), None);
        assert_eq!(parse("desc orders id"), Some(MetaPlan::Describe { table: t(None, "orders"), column: Some("id".into()) }));
        assert_eq!(parse("SHOW TABLES WHERE Tables_in_db = 'x'"), Some(MetaPlan::ShowTables { full: false, database: None, filter: Some(ShowFilter::Where("Tables_in_db = 'x'".into())) }));
    }

    #[test]
    fn three_part_names_name_their_catalog() {
        let in_hive = |t: &str| TableName { catalog: Some("hive".into()), database: Some("sales".into()), table: t.into() };
        let sales = Some(DatabaseName { catalog: Some("hive".into()), database: "sales".into() });
        assert_eq!(parse("DESCRIBE hive.sales.orders"), Some(MetaPlan::Describe { table: in_hive("orders"), column: None }));
        assert_eq!(parse("SHOW FULL COLUMNS FROM `hive`.`sales`.`orders`"), Some(MetaPlan::ShowColumns { full: true, table: in_hive("orders"), filter: None }));
        assert_eq!(parse("SHOW COLUMNS FROM orders FROM hive.sales"), Some(MetaPlan::ShowColumns { full: false, table: in_hive("orders"), filter: None }));
        assert_eq!(parse("SHOW FULL TABLES FROM hive.sales LIKE 'o%'"), Some(MetaPlan::ShowTables { full: true, database: sales.clone(), filter: Some(ShowFilter::Like("o%".into())) }));
        assert_eq!(parse("SHOW TABLE STATUS IN hive.sales"), Some(MetaPlan::ShowTableStatus { database: sales, filter: None }));
        assert_eq!(parse("SHOW INDEX FROM hive.sales.orders"), Some(MetaPlan::ShowIndex { table: in_hive("orders"), filter: None }));
        assert_eq!(parse("SHOW CREATE TABLE hive.sales.orders"), Some(MetaPlan::ShowCreate { table: in_hive("orders"), view: false, flink: false }));
        assert_eq!(parse("SHOW CREATE DATABASE hive.sales"), Some(MetaPlan::ShowCreateDatabase { database: DatabaseName { catalog: Some("hive".into()), database: "sales".into() } }));
        assert_eq!(parse("SHOW CREATE DATABASE sales"), Some(MetaPlan::ShowCreateDatabase { database: db("sales") }));
        assert_eq!(parse("SHOW FULL TRIGGERS FROM `sales`"), Some(MetaPlan::ShowTriggers { database: Some(db("sales")), filter: None }));
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

    #[test]
    fn show_tables_asks_information_schema_with_mysqls_column_names() {
        let q = to_query(&MetaPlan::ShowTables { full: true, database: None, filter: None }, "shop").expect("a query");
        assert!(q.contains("TABLE_NAME AS `Tables_in_shop`, TABLE_TYPE AS `Table_type`"), "{q}");
        assert!(q.contains("TABLE_SCHEMA = 'shop'"), "{q}");
    }
}
