//! Metadata as BI tools and drivers see it: information_schema, SHOW and DESCRIBE in MySQL 8's
//! shape, filled from the real Flink catalogs of the session.

use mysql_async::prelude::*;
use mysql_async::{Conn, Row};

use crate::harness::{server, server_error, unique};

/// A table with a primary key, comments and a spread of types, and a view over it.
async fn shop(c: &mut Conn) -> (String, String) {
    let t = unique("orders");
    let v = unique("big_orders");
    c.query_drop(format!(
        "CREATE TABLE {t} (id BIGINT NOT NULL COMMENT 'order id', amount DECIMAL(10, 2), note VARCHAR(20), \
         body STRING, placed TIMESTAMP(3), paid BOOLEAN, PRIMARY KEY (id) NOT ENFORCED) \
         COMMENT 'all orders' WITH ('connector' = 'datagen')"
    ))
    .await
    .expect("table is created");
    c.query_drop(format!("CREATE VIEW {v} AS SELECT id, amount FROM {t} WHERE amount > 100")).await.expect("view is created");
    (t, v)
}

fn column_names(rows: &[Row]) -> Vec<String> {
    rows.first().map(|r| r.columns_ref().iter().map(|c| c.name_str().to_string()).collect()).unwrap_or_default()
}

#[tokio::test]
async fn a_bi_tool_browses_databases_tables_and_columns_with_show() {
    let mut c = server().connect().await;
    let (t, v) = shop(&mut c).await;

    let dbs: Vec<String> = c.query("SHOW DATABASES").await.unwrap();
    assert!(dbs.contains(&"default_database".to_string()), "{dbs:?}");
    assert!(dbs.contains(&"information_schema".to_string()), "{dbs:?}");

    let rows: Vec<Row> = c.query("SHOW FULL TABLES").await.unwrap();
    assert_eq!(column_names(&rows), vec!["Tables_in_default_database", "Table_type"]);
    let tables: Vec<(String, String)> = rows.into_iter().map(mysql_async::from_row).collect();
    assert!(tables.contains(&(t.clone(), "BASE TABLE".to_string())), "{tables:?}");
    assert!(tables.contains(&(v.clone(), "VIEW".to_string())), "{tables:?}");

    let like: Vec<String> = c.query(format!("SHOW TABLES FROM default_database LIKE '{t}'")).await.unwrap();
    assert_eq!(like, vec![t.clone()]);

    let rows: Vec<Row> = c.query(format!("DESCRIBE {t}")).await.unwrap();
    assert_eq!(column_names(&rows), vec!["Field", "Type", "Null", "Key", "Default", "Extra"]);
    let described: Vec<(String, String, String, String)> = rows
        .into_iter()
        .map(|r| (r.get::<String, _>(0).unwrap(), r.get(1).unwrap(), r.get(2).unwrap(), r.get(3).unwrap()))
        .collect();
    assert_eq!(
        described,
        vec![
            ("id".into(), "bigint".into(), "NO".into(), "PRI".into()),
            ("amount".into(), "decimal(10,2)".into(), "YES".into(), "".into()),
            ("note".into(), "varchar(20)".into(), "YES".into(), "".into()),
            ("body".into(), "longtext".into(), "YES".into(), "".into()),
            ("placed".into(), "datetime(3)".into(), "YES".into(), "".into()),
            ("paid".into(), "tinyint(1)".into(), "YES".into(), "".into()),
        ]
    );

    let rows: Vec<Row> = c.query(format!("SHOW FULL COLUMNS FROM `{t}` FROM `default_database` LIKE '%'")).await.unwrap();
    assert_eq!(column_names(&rows), vec!["Field", "Type", "Collation", "Null", "Key", "Default", "Extra", "Privileges", "Comment"]);
    assert_eq!(rows[0].get::<String, _>(8).as_deref(), Some("order id"));

    let rows: Vec<Row> = c.query(format!("SHOW KEYS FROM `{t}` FROM `default_database`")).await.unwrap();
    assert_eq!(column_names(&rows)[..5], ["Table", "Non_unique", "Key_name", "Seq_in_index", "Column_name"]);
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].get::<String, _>(2).unwrap(), rows[0].get::<String, _>(4).unwrap()), ("PRIMARY".into(), "id".into()));
}

#[tokio::test]
async fn show_create_table_is_mysql_ddl_and_for_flink_it_is_flinks_own() {
    let mut c = server().connect().await;
    let (t, v) = shop(&mut c).await;
    let (name, ddl): (String, String) = c.query_first(format!("SHOW CREATE TABLE `default_database`.`{t}`")).await.unwrap().unwrap();
    assert_eq!(name, t);
    assert!(ddl.starts_with(&format!("CREATE TABLE `{t}` (\n  `id` bigint NOT NULL COMMENT 'order id',\n")), "{ddl}");
    assert!(ddl.contains("\n  `amount` decimal(10,2) DEFAULT NULL,\n"), "{ddl}");
    assert!(ddl.contains("\n  PRIMARY KEY (`id`)\n) ENGINE=Flink DEFAULT CHARSET=utf8mb4"), "{ddl}");
    assert!(ddl.ends_with("COMMENT='all orders'"), "{ddl}");

    let (_, flink): (String, String) = c.query_first(format!("SHOW CREATE TABLE {t} FOR FLINK")).await.unwrap().unwrap();
    assert!(flink.contains("'connector' = 'datagen'"), "{flink}");

    let row: Row = c.query_first(format!("SHOW CREATE TABLE {v}")).await.unwrap().unwrap();
    assert_eq!(column_names(std::slice::from_ref(&row)), vec!["View", "Create View", "character_set_client", "collation_connection"]);
    let view_ddl: String = row.get(1).unwrap();
    assert!(view_ddl.starts_with(&format!("CREATE ALGORITHM=UNDEFINED DEFINER=`root`@`%` SQL SECURITY DEFINER VIEW `{v}` AS SELECT")), "{view_ddl}");
}

#[tokio::test]
async fn missing_databases_tables_and_columns_give_mysqls_error_codes() {
    let mut c = server().connect().await;
    let e = server_error(c.query_drop("SHOW TABLES FROM no_such_db").await.unwrap_err());
    assert_eq!((e.code, e.state.as_str()), (1049, "42000"), "{e:?}");
    let e = server_error(c.query_drop("DESCRIBE no_such_table").await.unwrap_err());
    assert_eq!((e.code, e.state.as_str()), (1146, "42S02"), "{e:?}");
    let e = server_error(c.query_drop("SHOW CREATE TABLE default_database.no_such_table").await.unwrap_err());
    assert_eq!(e.code, 1146, "{e:?}");
    let e = server_error(c.query_drop("SELECT * FROM information_schema.NO_SUCH_VIEW").await.unwrap_err());
    assert_eq!(e.code, 1109, "{e:?}");
    let e = server_error(c.query_drop("SELECT no_such_column FROM information_schema.TABLES").await.unwrap_err());
    assert_eq!(e.code, 1054, "{e:?}");
}

#[tokio::test]
async fn connector_j_reads_tables_columns_and_keys_from_information_schema() {
    let mut c = server().connect().await;
    let (t, v) = shop(&mut c).await;
    // DatabaseMetaDataUsingInfoSchema.getTables(db, null, "%", {TABLE, VIEW}), as Connector/J 9.1 sends it.
    let tables: Vec<Row> = c
        .query(
            "SELECT TABLE_SCHEMA AS TABLE_CAT, NULL AS TABLE_SCHEM, TABLE_NAME, CASE WHEN TABLE_TYPE='BASE TABLE' THEN CASE WHEN \
             TABLE_SCHEMA = 'mysql' OR TABLE_SCHEMA = 'performance_schema' THEN 'SYSTEM TABLE' ELSE 'TABLE' END WHEN \
             TABLE_TYPE='TEMPORARY' THEN 'LOCAL_TEMPORARY' ELSE TABLE_TYPE END AS TABLE_TYPE, TABLE_COMMENT AS REMARKS, NULL AS \
             TYPE_CAT, NULL AS TYPE_SCHEM, NULL AS TYPE_NAME, NULL AS SELF_REFERENCING_COL_NAME, NULL AS REF_GENERATION FROM \
             INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'default_database' AND TABLE_NAME LIKE '%' HAVING TABLE_TYPE IN \
             ('TABLE','VIEW',null,null,null) ORDER BY TABLE_TYPE, TABLE_SCHEMA, TABLE_NAME",
        )
        .await
        .unwrap();
    let listed: Vec<(String, String)> = tables.iter().map(|r| (r.get::<String, _>(2).unwrap(), r.get::<String, _>(3).unwrap())).collect();
    assert!(listed.contains(&(t.clone(), "TABLE".into())), "{listed:?}");
    assert!(listed.contains(&(v.clone(), "VIEW".into())), "{listed:?}");
    let first_view = listed.iter().position(|(_, k)| k == "VIEW").unwrap();
    let definition: Option<String> = c
        .exec_first("SELECT VIEW_DEFINITION FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?", (v.as_str(),))
        .await
        .unwrap();
    let definition = definition.expect("the view is in VIEWS");
    assert!(definition.starts_with("SELECT") && definition.contains(&t), "{definition}");
    assert!(listed[..first_view].iter().all(|(_, k)| k == "TABLE"), "ordered by TABLE_TYPE: {listed:?}");

    // getColumns: JDBC type numbers computed by the engine from DATA_TYPE and COLUMN_TYPE.
    let sql = format!(
        "SELECT COLUMN_NAME, CASE WHEN UPPER(DATA_TYPE)='DECIMAL' THEN 3 WHEN UPPER(DATA_TYPE)='TINYINT' THEN CASE WHEN \
         LOCATE('ZEROFILL', UPPER(COLUMN_TYPE)) = 0 AND LOCATE('UNSIGNED', UPPER(COLUMN_TYPE)) = 0 AND LOCATE('(1)', COLUMN_TYPE) != 0 \
         THEN -7 ELSE -6 END WHEN UPPER(DATA_TYPE)='BIGINT' THEN -5 WHEN UPPER(DATA_TYPE)='DATETIME' THEN 93 WHEN \
         UPPER(DATA_TYPE)='VARCHAR' THEN 12 WHEN UPPER(DATA_TYPE)='LONGTEXT' THEN -1 ELSE 1111 END AS DATA_TYPE, \
         CASE WHEN IS_NULLABLE='NO' THEN 0 ELSE CASE WHEN IS_NULLABLE='YES' THEN 1 ELSE 2 END END AS NULLABLE, \
         COLUMN_COMMENT AS REMARKS, ORDINAL_POSITION, IF (EXTRA LIKE '%auto_increment%','YES','NO') AS IS_AUTOINCREMENT \
         FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = 'default_database' AND TABLE_NAME = '{t}' AND COLUMN_NAME LIKE '%' \
         ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION"
    );
    let cols: Vec<(String, i64, i64, String, u64, String)> = c.query(sql).await.unwrap();
    let types: Vec<(&str, i64, i64)> = cols.iter().map(|c| (c.0.as_str(), c.1, c.2)).collect();
    assert_eq!(types, vec![("id", -5, 0), ("amount", 3, 1), ("note", 12, 1), ("body", -1, 1), ("placed", 93, 1), ("paid", -7, 1)]);
    assert_eq!(cols[0].3, "order id");
    assert_eq!(cols.iter().map(|c| c.4).collect::<Vec<_>>(), vec![1, 2, 3, 4, 5, 6]);

    // getPrimaryKeys.
    let pk: Vec<(String, String, u64, String)> = c
        .query(format!(
            "SELECT TABLE_NAME, COLUMN_NAME, SEQ_IN_INDEX AS KEY_SEQ, 'PRIMARY' AS PK_NAME FROM INFORMATION_SCHEMA.STATISTICS \
             WHERE TABLE_SCHEMA = 'default_database' AND TABLE_NAME = '{t}' AND INDEX_NAME='PRIMARY' ORDER BY TABLE_SCHEMA, \
             TABLE_NAME, COLUMN_NAME, SEQ_IN_INDEX"
        ))
        .await
        .unwrap();
    assert_eq!(pk, vec![(t.clone(), "id".to_string(), 1, "PRIMARY".to_string())]);

    // getImportedKeys joins with USING; Flink has no foreign keys, so the answer is empty.
    let fks: Vec<Row> = c
        .query(format!(
            "SELECT DISTINCT A.REFERENCED_TABLE_SCHEMA AS PKTABLE_CAT, A.COLUMN_NAME AS FKCOLUMN_NAME, R.UNIQUE_CONSTRAINT_NAME AS PK_NAME \
             FROM INFORMATION_SCHEMA.KEY_COLUMN_USAGE A JOIN INFORMATION_SCHEMA.TABLE_CONSTRAINTS B USING (CONSTRAINT_SCHEMA, \
             CONSTRAINT_NAME, TABLE_NAME) JOIN INFORMATION_SCHEMA.REFERENTIAL_CONSTRAINTS R ON (R.CONSTRAINT_NAME = B.CONSTRAINT_NAME \
             AND R.TABLE_NAME = B.TABLE_NAME AND R.CONSTRAINT_SCHEMA = B.TABLE_SCHEMA) WHERE B.CONSTRAINT_TYPE = 'FOREIGN KEY' AND \
             A.TABLE_SCHEMA = 'default_database' AND A.TABLE_NAME='{t}' AND A.REFERENCED_TABLE_SCHEMA IS NOT NULL"
        ))
        .await
        .unwrap();
    assert!(fks.is_empty());
}

#[tokio::test]
async fn mariadb_connector_j_and_grafana_style_queries_use_mysql_functions_and_parameters() {
    let mut c = server().connect().await;
    let (t, _) = shop(&mut c).await;
    // MariaDB Connector/J getColumns' TYPE_NAME and COLUMN_SIZE expressions.
    let rows: Vec<(String, String, Option<u64>)> = c
        .query(format!(
            "SELECT COLUMN_NAME, IF(COLUMN_TYPE like 'tinyint(1)%', 'BIT', UCASE(IF( COLUMN_TYPE LIKE '%(%)%', \
             CONCAT(SUBSTRING( COLUMN_TYPE,1, LOCATE('(',COLUMN_TYPE) - 1 ), SUBSTRING(COLUMN_TYPE ,1+locate(')', COLUMN_TYPE))), \
             COLUMN_TYPE))) TYPE_NAME, CONVERT(IF(NUMERIC_PRECISION IS NULL, LEAST(CHARACTER_MAXIMUM_LENGTH,2147483647), \
             NUMERIC_PRECISION), UNSIGNED INTEGER) COLUMN_SIZE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA=DATABASE() \
             AND TABLE_NAME='{t}' ORDER BY ORDINAL_POSITION"
        ))
        .await
        .unwrap();
    assert_eq!(rows[0], ("id".to_string(), "BIGINT".to_string(), Some(19)));
    assert_eq!(rows[1], ("amount".to_string(), "DECIMAL".to_string(), Some(10)));
    assert_eq!(rows[2], ("note".to_string(), "VARCHAR".to_string(), Some(20)));
    assert_eq!(rows[5], ("paid".to_string(), "BIT".to_string(), Some(3)));

    // Grafana: a server-side prepared statement with parameters.
    let cols: Vec<(String, String)> = c
        .exec(
            "SELECT COLUMN_NAME, DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION",
            (t.as_str(),),
        )
        .await
        .unwrap();
    assert_eq!(cols[0], ("id".to_string(), "bigint".to_string()));
    assert_eq!(cols.len(), 6);

    // Aggregates, subqueries and a join over Weir's view of the catalog.
    let (tables, columns): (i64, i64) = c
        .query_first(
            "SELECT COUNT(DISTINCT t.TABLE_NAME), COUNT(*) FROM information_schema.TABLES t JOIN information_schema.COLUMNS c \
             ON c.TABLE_SCHEMA = t.TABLE_SCHEMA AND c.TABLE_NAME = t.TABLE_NAME WHERE t.TABLE_SCHEMA = DATABASE() AND t.TABLE_NAME IN \
             (SELECT TABLE_NAME FROM information_schema.TABLE_CONSTRAINTS WHERE CONSTRAINT_TYPE = 'PRIMARY KEY')",
        )
        .await
        .unwrap()
        .unwrap();
    assert!(tables >= 1 && columns >= 6, "{tables} tables, {columns} columns");
}

#[tokio::test]
async fn ddl_through_weir_is_visible_to_the_next_metadata_query_at_once() {
    let mut c = server().connect().await;
    let (t, _) = shop(&mut c).await;
    let before: Vec<String> = c.query("SHOW TABLES").await.unwrap();
    assert!(before.contains(&t));
    let later = unique("later");
    c.query_drop(format!("CREATE TABLE {later} (x INT) WITH ('connector' = 'datagen')")).await.unwrap();
    let after: Vec<String> = c.query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()").await.unwrap();
    assert!(after.contains(&later), "{after:?}");
    c.query_drop(format!("DROP TABLE {t} CASCADE")).await.unwrap();
    c.query_drop(format!("DROP TABLE {later}")).await.unwrap();
    let e = server_error(c.query_drop(format!("DESCRIBE {t}")).await.unwrap_err());
    assert_eq!(e.code, 1146);
}

#[tokio::test]
async fn weirs_own_tables_show_its_clusters_and_sessions() {
    let mut c = server().connect().await;
    let id: u32 = c.query_first("SELECT CONNECTION_ID()").await.unwrap().unwrap();
    let clusters: Vec<(String, String)> = c.query("SELECT NAME, STATUS FROM information_schema.FLINK_CLUSTERS ORDER BY NAME").await.unwrap();
    assert!(clusters.iter().any(|(_, s)| s == "READY"), "{clusters:?}");
    let mine: Option<String> = c.exec_first("SELECT USER FROM information_schema.SESSIONS WHERE ID = ?", (id,)).await.unwrap();
    assert_eq!(mine.as_deref(), Some("root"));
    let sink = unique("sink");
    c.query_drop(format!("CREATE TEMPORARY TABLE {sink} (x INT) WITH ('connector' = 'blackhole')")).await.unwrap();
    c.query_drop(format!("INSERT INTO {sink} VALUES (1)")).await.unwrap();
    let job = c.info().rsplit(' ').next().unwrap_or("").to_string();
    assert_eq!(job.len(), 32, "an INSERT's job id: {job}");
    let listed: Option<(String, String)> = c.exec_first("SELECT JOB_ID, CLUSTER FROM information_schema.JOBS WHERE JOB_ID = ?", (job.as_str(),)).await.unwrap();
    assert_eq!(listed, Some((job.clone(), "local".to_string())));
    let engines: Vec<Row> = c.query("SHOW ENGINES").await.unwrap();
    assert_eq!(column_names(&engines), vec!["Engine", "Support", "Comment", "Transactions", "XA", "Savepoints"]);
    let charsets: Vec<String> = c.query("SELECT CHARACTER_SET_NAME FROM information_schema.CHARACTER_SETS").await.unwrap();
    assert!(charsets.contains(&"utf8mb4".to_string()));
    let collation: Option<String> = c.query_first("SELECT COLLATION_NAME FROM information_schema.COLLATIONS WHERE IS_DEFAULT = 'Yes' AND CHARACTER_SET_NAME = 'utf8mb4'").await.unwrap();
    assert_eq!(collation.as_deref(), Some("utf8mb4_0900_ai_ci"));
}

#[tokio::test]
async fn flink_only_statements_still_reach_flink() {
    let mut c = server().connect().await;
    let (t, v) = shop(&mut c).await;
    let views: Vec<String> = c.query("SHOW VIEWS").await.unwrap();
    assert!(views.contains(&v) && !views.contains(&t), "{views:?}");
    let current: Option<String> = c.query_first("SHOW CURRENT CATALOG").await.unwrap();
    assert_eq!(current.as_deref(), Some("default_catalog"));
    let catalogs: Vec<Row> = c.query("SHOW CATALOGS").await.unwrap();
    assert_eq!(column_names(&catalogs)[0], "Catalog");
}

#[tokio::test]
async fn use_catalog_switches_what_show_databases_and_information_schema_show() {
    // StarRocks/Doris convention: SHOW DATABASES shows the current catalog's databases.
    let mut c = server().connect().await;
    let catalog = unique("cat");
    c.query_drop(format!("CREATE CATALOG {catalog} WITH ('type' = 'generic_in_memory')")).await.unwrap();
    let catalogs: Vec<String> = c.query_map("SHOW CATALOGS", |(name, _kind, _comment): (String, String, String)| name).await.unwrap();
    assert!(catalogs.contains(&catalog) && catalogs.contains(&"default_catalog".to_string()), "{catalogs:?}");
    c.query_drop(format!("USE CATALOG {catalog}")).await.unwrap();
    // The database clients see is the one Flink made current in that catalog.
    let db: Option<String> = c.query_first("SELECT DATABASE()").await.unwrap();
    assert_eq!(db.as_deref(), Some("default"));
    let dbs: Vec<String> = c.query("SHOW DATABASES").await.unwrap();
    assert_eq!(dbs, vec!["default".to_string(), "information_schema".to_string()]);
    let t = unique("in_catalog");
    c.query_drop(format!("CREATE TABLE {t} (a INT) WITH ('connector' = 'datagen')")).await.unwrap();
    let rows: Vec<Row> = c.query("SHOW FULL TABLES").await.unwrap();
    assert_eq!(column_names(&rows), vec!["Tables_in_default", "Table_type"]);
    let listed: Vec<(String, String)> = c.query("SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()").await.unwrap();
    assert_eq!(listed, vec![("default".to_string(), t.clone())]);
    c.query_drop("SET CATALOG default_catalog").await.unwrap();
    let db: Option<String> = c.query_first("SELECT DATABASE()").await.unwrap();
    assert_eq!(db.as_deref(), Some("default_database"));
    let back: Vec<String> = c.query("SHOW TABLES").await.unwrap();
    assert!(!back.contains(&t), "{back:?}");
    c.query_drop(format!("USE CATALOG {catalog}")).await.unwrap();
    let again: Vec<String> = c.query("SHOW TABLES").await.unwrap();
    assert_eq!(again, vec![t.clone()]);
    let e = server_error(c.query_drop("SET CATALOG no_such_catalog").await.unwrap_err());
    assert_eq!(e.code, 1049, "{e:?}");
}

/// Column names and whether each is numeric, of a statement's result.
async fn shape(c: &mut Conn, sql: &str) -> Vec<(String, bool)> {
    use mysql_async::consts::ColumnType::*;
    let r = c.query_iter(sql).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    let cols = r
        .columns()
        .map(|cols| {
            cols.iter()
                .map(|col| {
                    let numeric = matches!(col.column_type(), MYSQL_TYPE_TINY | MYSQL_TYPE_SHORT | MYSQL_TYPE_LONG | MYSQL_TYPE_LONGLONG | MYSQL_TYPE_INT24 | MYSQL_TYPE_DECIMAL | MYSQL_TYPE_NEWDECIMAL);
                    (col.name_str().to_string(), numeric)
                })
                .collect()
        })
        .unwrap_or_default();
    r.drop_result().await.unwrap();
    cols
}

/// The names of `shape` without the given ones (columns one server has and the other not).
fn without(cols: &[(String, bool)], only_here: &[&str]) -> Vec<(String, bool)> {
    cols.iter().filter(|(n, _)| !only_here.contains(&n.as_str())).cloned().collect()
}

#[tokio::test]
async fn show_and_information_schema_have_the_columns_mariadb_has() {
    // Differential: the same statements against MariaDB (the test run's, WEIR_TEST_MARIADB) and
    // Weir give the same column names, in the same order, with the same numeric/text kind —
    // apart from the columns where MySQL 8 (Weir's target) and MariaDB differ, listed here.
    let url = std::env::var("WEIR_TEST_MARIADB").unwrap_or_else(|_| "mysql://weir:weir@127.0.0.1:3306".into());
    let mut maria = Conn::new(mysql_async::Opts::from_url(&url).expect("WEIR_TEST_MARIADB is a mysql:// URL")).await.expect("MariaDB answers (scripts/install-deps.sh)");
    maria.query_drop("CREATE DATABASE IF NOT EXISTS weir_meta_diff").await.unwrap();
    maria.query_drop("CREATE TABLE IF NOT EXISTS weir_meta_diff.orders (id BIGINT NOT NULL PRIMARY KEY, note VARCHAR(20))").await.unwrap();
    let mut weir = server().connect().await;
    // TEMPORARY: the table named like MariaDB's stays in this session (the catalog of record would
    // keep a permanent one for every later run and connection).
    weir.query_drop("CREATE TEMPORARY TABLE orders (id BIGINT NOT NULL, note VARCHAR(20), PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'datagen')").await.unwrap();

    // (statement for MariaDB, statement for Weir, columns only MySQL 8 has, columns only MariaDB has)
    let cases: &[(&str, &str, &[&str], &[&str])] = &[
        ("SHOW DATABASES", "SHOW DATABASES", &[], &[]),
        ("SHOW FULL TABLES FROM weir_meta_diff", "SHOW FULL TABLES FROM default_database", &["Tables_in_default_database"], &["Tables_in_weir_meta_diff"]),
        ("DESCRIBE weir_meta_diff.orders", "DESCRIBE orders", &[], &[]),
        ("SHOW FULL COLUMNS FROM orders FROM weir_meta_diff", "SHOW FULL COLUMNS FROM orders", &[], &[]),
        ("SHOW INDEX FROM weir_meta_diff.orders", "SHOW INDEX FROM orders", &["Visible", "Expression"], &["Ignored"]),
        ("SHOW TABLE STATUS FROM weir_meta_diff", "SHOW TABLE STATUS", &[], &["Max_index_length", "Temporary"]),
        ("SHOW CREATE TABLE weir_meta_diff.orders", "SHOW CREATE TABLE orders", &[], &[]),
        ("SHOW FULL TRIGGERS FROM weir_meta_diff", "SHOW FULL TRIGGERS", &[], &[]),
        ("SHOW ENGINES", "SHOW ENGINES", &[], &[]),
        ("SHOW CHARSET", "SHOW CHARSET", &[], &[]),
        ("SHOW CREATE DATABASE weir_meta_diff", "SHOW CREATE DATABASE default_database", &[], &[]),
        ("SELECT * FROM information_schema.SCHEMATA", "SELECT * FROM information_schema.SCHEMATA", &["DEFAULT_ENCRYPTION"], &["SCHEMA_COMMENT"]),
        ("SELECT * FROM information_schema.TABLES", "SELECT * FROM information_schema.TABLES", &[], &["MAX_INDEX_LENGTH", "TEMPORARY"]),
        ("SELECT * FROM information_schema.COLUMNS", "SELECT * FROM information_schema.COLUMNS", &["SRS_ID"], &["IS_GENERATED"]),
        ("SELECT * FROM information_schema.STATISTICS", "SELECT * FROM information_schema.STATISTICS", &["IS_VISIBLE", "EXPRESSION"], &["IGNORED"]),
        ("SELECT * FROM information_schema.KEY_COLUMN_USAGE", "SELECT * FROM information_schema.KEY_COLUMN_USAGE", &[], &[]),
        ("SELECT * FROM information_schema.TABLE_CONSTRAINTS", "SELECT * FROM information_schema.TABLE_CONSTRAINTS", &["ENFORCED"], &[]),
        ("SELECT * FROM information_schema.VIEWS", "SELECT * FROM information_schema.VIEWS", &[], &["ALGORITHM"]),
        ("SELECT * FROM information_schema.ENGINES", "SELECT * FROM information_schema.ENGINES", &[], &[]),
        ("SELECT * FROM information_schema.CHARACTER_SETS", "SELECT * FROM information_schema.CHARACTER_SETS", &[], &[]),
        ("SELECT * FROM information_schema.COLLATIONS", "SELECT * FROM information_schema.COLLATIONS", &["PAD_ATTRIBUTE"], &[]),
        ("SELECT * FROM information_schema.REFERENTIAL_CONSTRAINTS", "SELECT * FROM information_schema.REFERENTIAL_CONSTRAINTS", &[], &[]),
        ("SELECT * FROM information_schema.EVENTS", "SELECT * FROM information_schema.EVENTS", &[], &[]),
        ("SELECT * FROM information_schema.PARTITIONS", "SELECT * FROM information_schema.PARTITIONS", &[], &[]),
        ("SELECT * FROM information_schema.PLUGINS", "SELECT * FROM information_schema.PLUGINS", &[], &["PLUGIN_MATURITY", "PLUGIN_AUTH_VERSION"]),
        ("SELECT * FROM information_schema.TRIGGERS", "SELECT * FROM information_schema.TRIGGERS", &[], &[]),
        ("SELECT * FROM information_schema.ROUTINES", "SELECT * FROM information_schema.ROUTINES", &[], &[]),
        ("SELECT * FROM information_schema.PARAMETERS", "SELECT * FROM information_schema.PARAMETERS", &[], &[]),
        ("SELECT * FROM information_schema.CHECK_CONSTRAINTS", "SELECT * FROM information_schema.CHECK_CONSTRAINTS", &[], &["TABLE_NAME", "LEVEL"]),
        ("SELECT * FROM information_schema.PROCESSLIST", "SELECT * FROM information_schema.PROCESSLIST", &[], &["TIME_MS", "STAGE", "MAX_STAGE", "PROGRESS", "MEMORY_USED", "MAX_MEMORY_USED", "EXAMINED_ROWS", "SENT_ROWS", "QUERY_ID", "INFO_BINARY", "TID"]),
    ];
    let mut mismatches = Vec::new();
    for (maria_sql, weir_sql, mysql_only, maria_only) in cases {
        let m = without(&shape(&mut maria, maria_sql).await, maria_only);
        let full = shape(&mut weir, weir_sql).await;
        assert!(!full.is_empty(), "{weir_sql} has columns");
        let w = without(&full, mysql_only);
        if m != w {
            mismatches.push(format!("{weir_sql}:\n  MariaDB {m:?}\n  Weir    {w:?}"));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[tokio::test]
async fn connecting_to_catalog_dot_database_picks_the_catalog() {
    // A JDBC URL such as jdbc:mysql://weir/hive.sales picks catalog hive, database sales.
    let s = server();
    let mut c = Conn::new(s.opts("root", "").db_name(Some("default_catalog.default_database"))).await.expect("connects");
    let db: Option<String> = c.query_first("SELECT DATABASE()").await.unwrap();
    assert_eq!(db.as_deref(), Some("default_database"));
    let catalog: Option<String> = c.query_first("SHOW CURRENT CATALOG").await.unwrap();
    assert_eq!(catalog.as_deref(), Some("default_catalog"));
    c.query_drop("USE default_catalog.default_database").await.unwrap();
    let e = Conn::new(s.opts("root", "").db_name(Some("no_such_catalog.default_database"))).await.map(|_| ()).unwrap_err();
    assert_eq!(server_error(e).code, 1049);
}

#[tokio::test]
async fn a_reset_connection_forgets_the_old_flink_sessions_temporary_tables() {
    let mut c = server().connect().await;
    let t = unique("scratch");
    c.query_drop(format!("CREATE TEMPORARY TABLE {t} (x INT) WITH ('connector' = 'datagen')")).await.unwrap();
    let before: Vec<String> = c.query("SHOW TABLES").await.unwrap();
    assert!(before.contains(&t));
    c.reset().await.expect("COM_RESET_CONNECTION");
    let after: Vec<String> = c.query("SHOW TABLES").await.unwrap();
    assert!(!after.contains(&t), "the fresh Flink session has no {t}: {after:?}");
}

#[tokio::test]
async fn show_and_describe_resolve_three_part_names_in_the_named_catalog() {
    // A BI tool browsing another catalog without switching to it: `catalog.db.table` and
    // `FROM catalog.db` name it, as in StarRocks and Doris.
    let mut c = server().connect().await;
    let catalog = unique("browse");
    c.query_drop(format!("CREATE CATALOG {catalog} WITH ('type' = 'generic_in_memory')")).await.unwrap();
    c.query_drop(format!("CREATE DATABASE {catalog}.sales")).await.unwrap();
    c.query_drop(format!(
        "CREATE TABLE {catalog}.sales.orders (id BIGINT NOT NULL, region STRING, PRIMARY KEY (id) NOT ENFORCED) \
         COMMENT 'sales orders' WITH ('connector' = 'datagen')"
    ))
    .await
    .unwrap();
    // A table of the same name in the current catalog, with other columns: the name must not fall back to it.
    let local = unique("orders");
    c.query_drop(format!("CREATE TEMPORARY TABLE {local} (x INT) WITH ('connector' = 'datagen')")).await.unwrap();

    let fields = |rows: Vec<Row>| rows.iter().map(|r| r.get::<String, _>(0).unwrap()).collect::<Vec<_>>();
    let described: Vec<Row> = c.query(format!("DESCRIBE {catalog}.sales.orders")).await.unwrap();
    assert_eq!(fields(described), vec!["id", "region"]);
    let full: Vec<Row> = c.query(format!("SHOW FULL COLUMNS FROM `{catalog}`.`sales`.`orders`")).await.unwrap();
    assert_eq!(column_names(&full)[..3], ["Field", "Type", "Collation"]);
    assert_eq!(fields(full), vec!["id", "region"]);
    let from_db: Vec<Row> = c.query(format!("SHOW COLUMNS FROM orders FROM {catalog}.sales")).await.unwrap();
    assert_eq!(fields(from_db), vec!["id", "region"]);

    let tables: Vec<Row> = c.query(format!("SHOW FULL TABLES FROM {catalog}.sales")).await.unwrap();
    assert_eq!(column_names(&tables), vec!["Tables_in_sales", "Table_type"]);
    let tables: Vec<(String, String)> = tables.into_iter().map(mysql_async::from_row).collect();
    assert_eq!(tables, vec![("orders".to_string(), "BASE TABLE".to_string())]);
    let status: Vec<Row> = c.query(format!("SHOW TABLE STATUS FROM {catalog}.sales")).await.unwrap();
    assert_eq!(status.len(), 1);
    assert_eq!(status[0].get::<String, _>("Name").as_deref(), Some("orders"));
    assert_eq!(status[0].get::<String, _>("Comment").as_deref(), Some("sales orders"));

    let keys: Vec<Row> = c.query(format!("SHOW INDEX FROM {catalog}.sales.orders")).await.unwrap();
    assert_eq!(keys.iter().map(|r| (r.get::<String, _>(2).unwrap(), r.get::<String, _>(4).unwrap())).collect::<Vec<_>>(), vec![("PRIMARY".to_string(), "id".to_string())]);
    let (name, ddl): (String, String) = c.query_first(format!("SHOW CREATE TABLE {catalog}.sales.orders")).await.unwrap().unwrap();
    assert_eq!(name, "orders");
    assert!(ddl.contains("`region` longtext") && ddl.ends_with("COMMENT='sales orders'"), "{ddl}");
    let (db, _): (String, String) = c.query_first(format!("SHOW CREATE DATABASE {catalog}.sales")).await.unwrap().unwrap();
    assert_eq!(db, "sales");

    // The session's catalog did not change.
    let current: Option<String> = c.query_first("SHOW CURRENT CATALOG").await.unwrap();
    assert_eq!(current.as_deref(), Some("default_catalog"));
    let here: Vec<String> = c.query("SHOW TABLES").await.unwrap();
    assert!(here.contains(&local), "{here:?}");

    // Unknown catalogs, databases and tables: MySQL's codes, naming what is missing.
    for sql in ["DESCRIBE no_such_catalog.sales.orders", "SHOW TABLES FROM no_such_catalog.sales", "SHOW CREATE TABLE no_such_catalog.sales.orders"] {
        let e = server_error(c.query_drop(sql).await.unwrap_err());
        assert_eq!((e.code, e.message.contains("no_such_catalog")), (1049, true), "{sql}: {e:?}");
    }
    let e = server_error(c.query_drop(format!("SHOW TABLES FROM {catalog}.no_such_db")).await.unwrap_err());
    assert_eq!(e.code, 1049, "{e:?}");
    let e = server_error(c.query_drop(format!("DESCRIBE {catalog}.sales.no_such_table")).await.unwrap_err());
    assert_eq!(e.code, 1146, "{e:?}");
}

#[tokio::test]
async fn processlist_shows_a_running_statement_with_its_text_and_time_from_another_connection() {
    let mut a = server().connect().await;
    let id_a: u32 = a.query_first("SELECT CONNECTION_ID()").await.unwrap().unwrap();
    let t = unique("slow");
    a.query_drop(format!("CREATE TEMPORARY TABLE {t} (x INT) WITH ('connector' = 'datagen', 'rows-per-second' = '1', 'number-of-rows' = '4')")).await.unwrap();
    let sql = format!("SELECT x FROM {t}");
    let running = {
        let sql = sql.clone();
        tokio::spawn(async move {
            let rows: Vec<Option<i32>> = a.query(sql).await.unwrap();
            (a, rows)
        })
    };

    let mut b = server().connect().await;
    let id_b: u32 = b.query_first("SELECT CONNECTION_ID()").await.unwrap().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(90);
    let mut longest = None;
    while !running.is_finished() && std::time::Instant::now() < deadline {
        let rows: Vec<Row> = b.query("SHOW FULL PROCESSLIST").await.unwrap();
        assert_eq!(column_names(&rows), vec!["Id", "User", "Host", "db", "Command", "Time", "State", "Info"]);
        let row = |id: u32| rows.iter().find(|r| r.get::<u32, _>(0) == Some(id)).cloned().expect("both connections are listed");
        // The statement asking is itself running (answered by Weir, not Flink).
        let me = row(id_b);
        assert_eq!((me.get::<String, _>(4).unwrap(), me.get::<Option<String>, _>(7).unwrap()), ("Query".to_string(), Some("SHOW FULL PROCESSLIST".to_string())));
        let other = row(id_a);
        if other.get::<String, _>(4).as_deref() == Some("Query") {
            assert_eq!(other.get::<Option<String>, _>(7).unwrap().as_deref(), Some(sql.as_str()));
            assert_eq!(other.get::<String, _>(6).as_deref(), Some("executing"));
            assert_eq!(other.get::<Option<String>, _>(3).unwrap().as_deref(), Some("default_database"));
            longest = longest.max(other.get::<i64, _>(5));
        }
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    }
    let (_a, rows) = running.await.unwrap();
    assert_eq!(rows.len(), 4);
    // Four rows at one a second: the statement was seen running for a second or more.
    assert!(longest.is_some_and(|t| t >= 1), "PROCESSLIST showed connection {id_a} running for {longest:?} s");
    let after: Option<(String, Option<String>)> = b.exec_first("SELECT COMMAND, INFO FROM information_schema.PROCESSLIST WHERE ID = ?", (id_a,)).await.unwrap();
    assert_eq!(after, Some(("Sleep".to_string(), None)));
}

#[tokio::test]
async fn like_patterns_with_escapes_match_what_mariadb_matches() {
    // SHOW ... LIKE has no ESCAPE clause (the backslash escapes); information_schema queries may
    // name another escape character. The same patterns over the same names against MariaDB.
    let url = std::env::var("WEIR_TEST_MARIADB").unwrap_or_else(|_| "mysql://weir:weir@127.0.0.1:3306".into());
    let mut maria = Conn::new(mysql_async::Opts::from_url(&url).expect("WEIR_TEST_MARIADB is a mysql:// URL")).await.expect("MariaDB answers (scripts/install-deps.sh)");
    maria.query_drop("CREATE DATABASE IF NOT EXISTS weir_meta_escape").await.unwrap();
    maria.query_drop("USE weir_meta_escape").await.unwrap();
    let mut weir = server().connect().await;
    for name in ["esc_a_b", "esc_axb", "esc_aa_b", "escxa_b"] {
        maria.query_drop(format!("CREATE TABLE IF NOT EXISTS {name} (x INT)")).await.unwrap();
        weir.query_drop(format!("CREATE TEMPORARY TABLE {name} (x INT) WITH ('connector' = 'datagen')")).await.unwrap();
    }
    let cases = [
        ("SHOW TABLES LIKE 'esc\\_a\\_b'", vec!["esc_a_b"]),
        ("SHOW TABLES LIKE 'esc_a_b'", vec!["esc_a_b", "esc_axb", "escxa_b"]),
        ("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'esc|_a|_%' ESCAPE '|'", vec!["esc_a_b"]),
        ("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'esc#_a%' ESCAPE '#'", vec!["esc_a_b", "esc_aa_b", "esc_axb"]),
        ("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME NOT LIKE 'esc!_%' ESCAPE '!' AND TABLE_NAME LIKE 'esc%'", vec!["escxa_b"]),
    ];
    for (sql, expected) in cases {
        // Sorted here: MariaDB's collation orders `_` after letters, Weir's by code point.
        let mut from_maria: Vec<String> = maria.query(sql).await.unwrap_or_else(|e| panic!("MariaDB: {sql}: {e}"));
        let mut from_weir: Vec<String> = weir.query(sql).await.unwrap_or_else(|e| panic!("Weir: {sql}: {e}"));
        from_maria.sort();
        from_weir.sort();
        assert_eq!(from_maria, expected, "MariaDB: {sql}");
        assert_eq!(from_weir, expected, "Weir: {sql}");
    }
}

/// Forty tables only Flink knows (TEMPORARY: Weir does not record them), each with its own
/// columns and comment, in a database of their own.
async fn forty_flink_only_tables(c: &mut Conn) -> (String, Vec<String>) {
    let db = unique("many");
    c.query_drop(format!("CREATE DATABASE {db}")).await.unwrap();
    let mut names = Vec::new();
    for i in 0..40 {
        let t = format!("t{i:02}");
        c.query_drop(format!("CREATE TEMPORARY TABLE {db}.{t} (id BIGINT, c{i} VARCHAR({})) COMMENT 'table number {i}' WITH ('connector' = 'datagen')", i + 1))
            .await
            .unwrap();
        names.push(t);
    }
    (db, names)
}

/// The lines of Weir's log that say the definitions of `db`'s tables were read from Flink, once
/// at least `expected` are there (or after a few seconds).
async fn cold_fills(db: &str, expected: usize) -> Vec<String> {
    let log = server().data_dir.join("logs/weir.log");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        let lines: Vec<String> =
            text.lines().filter(|l| l.contains("described tables from Flink") && l.contains(&format!("database=\"{db}\""))).map(str::to_string).collect();
        if lines.len() >= expected || std::time::Instant::now() > deadline {
            return lines;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn a_cold_columns_listing_describes_every_flink_only_table() {
    let mut c = server().connect().await;
    let (db, names) = forty_flink_only_tables(&mut c).await;
    let started = std::time::Instant::now();
    let columns: Vec<(String, String, String)> = c
        .exec("SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION", (db.as_str(),))
        .await
        .unwrap();
    let cold = started.elapsed();
    let expected: Vec<(String, String, String)> = names
        .iter()
        .enumerate()
        .flat_map(|(i, t)| [(t.clone(), "id".to_string(), "bigint".to_string()), (t.clone(), format!("c{i}"), format!("varchar({})", i + 1))])
        .collect();
    assert_eq!(columns, expected);

    // The cold fill is in Weir's log, with its count and duration.
    let logged = cold_fills(&db, 1).await;
    assert_eq!(logged.len(), 1, "{logged:?}");
    assert!(logged[0].contains("tables=40") && logged[0].contains("elapsed_ms="), "{logged:?}");

    // Warm: the same listing is answered from the cache.
    let started = std::time::Instant::now();
    let again: Vec<(String, String, String)> = c
        .exec("SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION", (db.as_str(),))
        .await
        .unwrap();
    assert_eq!(again, expected);
    assert!(started.elapsed() < cold, "warm {:?} vs cold {cold:?}", started.elapsed());
}

#[tokio::test]
async fn table_comments_of_flink_only_and_recorded_tables_are_listed_without_a_round_trip_per_query() {
    let mut c = server().connect().await;
    let (db, names) = forty_flink_only_tables(&mut c).await;
    // Listing names needs no definitions: nothing is described.
    let rows: Vec<Row> = c.query(format!("SHOW FULL TABLES FROM {db}")).await.unwrap();
    assert_eq!(rows.len(), 40);
    assert!(cold_fills(&db, 0).await.is_empty(), "SHOW FULL TABLES described tables");

    // TABLE_COMMENT comes from Flink's SHOW CREATE TABLE, read once in the cold fill.
    let comments: Vec<(String, String)> =
        c.exec("SELECT TABLE_NAME, TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME", (db.as_str(),)).await.unwrap();
    let expected: Vec<(String, String)> = names.iter().enumerate().map(|(i, t)| (t.clone(), format!("table number {i}"))).collect();
    assert_eq!(comments, expected);
    let status: Vec<Row> = c.query(format!("SHOW TABLE STATUS FROM {db} LIKE 't07'")).await.unwrap();
    assert_eq!(status.len(), 1);
    assert_eq!(status[0].get::<String, _>("Comment").as_deref(), Some("table number 7"));
    let columns: Vec<String> = c.exec("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 't07' ORDER BY ORDINAL_POSITION", (db.as_str(),)).await.unwrap();
    assert_eq!(columns, vec!["id", "c7"]);
    assert_eq!(cold_fills(&db, 2).await.len(), 1, "comments, table status and columns came from one cold fill");

    // A recorded table's comment comes from Weir's catalog store.
    let (t, v) = shop(&mut c).await;
    let recorded: Vec<(String, String)> = c
        .exec("SELECT TABLE_NAME, TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN (?, ?) ORDER BY TABLE_TYPE", (t.as_str(), v.as_str()))
        .await
        .unwrap();
    assert_eq!(recorded, vec![(t.clone(), "all orders".to_string()), (v.clone(), "VIEW".to_string())]);
}

/// Starts a streaming job (datagen into blackhole) on the connection's cluster; its job id.
async fn streaming_job(c: &mut Conn) -> String {
    let src = unique("ticks");
    let sink = unique("nowhere");
    c.query_drop(format!("CREATE TEMPORARY TABLE {src} (x BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '1')")).await.unwrap();
    c.query_drop(format!("CREATE TEMPORARY TABLE {sink} (x BIGINT) WITH ('connector' = 'blackhole')")).await.unwrap();
    c.query_drop(format!("INSERT INTO {sink} SELECT x FROM {src}")).await.unwrap();
    let job = c.info().rsplit(' ').next().unwrap_or("").to_string();
    assert_eq!(job.len(), 32, "an INSERT's job id: {job}");
    job
}

#[tokio::test]
async fn information_schema_jobs_lists_the_jobs_of_every_cluster_from_their_jobmanagers() {
    let mut on_1_20 = server().connect().await;
    let mut on_2_2 = server().connect().await;
    on_2_2.query_drop("SET weir.flink = '2.2'").await.unwrap();
    let job_1 = streaming_job(&mut on_1_20).await;
    let job_2 = streaming_job(&mut on_2_2).await;

    // One connection, on the 1.20 cluster, sees both.
    let mut c = server().connect().await;
    let rows: Vec<Row> = c
        .exec("SELECT CLUSTER, JOB_ID, JOB_NAME, STATUS, START_TIME, END_TIME, DURATION_MS, TASKS FROM information_schema.JOBS WHERE JOB_ID IN (?, ?) ORDER BY CLUSTER", (job_1.as_str(), job_2.as_str()))
        .await
        .unwrap();
    let seen: Vec<(String, String)> = rows.iter().map(|r| (r.get::<String, _>(0).unwrap(), r.get::<String, _>(1).unwrap())).collect();
    assert_eq!(seen, vec![("local".to_string(), job_1.clone()), ("v22".to_string(), job_2.clone())]);
    for r in &rows {
        let name: String = r.get(2).unwrap();
        assert!(name.starts_with("insert-into_"), "{name}");
        let status: String = r.get(3).unwrap();
        assert!(["CREATED", "INITIALIZING", "RUNNING"].contains(&status.as_str()), "{status}");
        let start: String = r.get(4).unwrap();
        assert!(start.len() == 23 && start.as_bytes()[10] == b' ', "START_TIME {start}");
        assert_eq!(r.get::<Option<String>, _>(5).unwrap(), None, "a running job has no END_TIME");
        assert!(r.get::<i64, _>(6).unwrap() >= 0);
        assert!(r.get::<u64, _>(7).unwrap() >= 1);
    }
    // The cluster whose JobManager does not answer (nobody runs it) is named in a warning.
    let warnings: Vec<(String, u16, String)> = c.query("SHOW WARNINGS").await.unwrap();
    assert!(warnings.iter().any(|(_, _, m)| m.contains("'nowhere'") && m.contains("did not answer")), "{warnings:?}");
    assert!(!warnings.iter().any(|(_, _, m)| m.contains("'local'") || m.contains("'v22'")), "{warnings:?}");

    for (conn, job) in [(&mut on_1_20, &job_1), (&mut on_2_2, &job_2)] {
        conn.query_drop(format!("STOP JOB '{job}'")).await.expect("STOP JOB");
    }
    let status: Option<String> = c.exec_first("SELECT STATUS FROM information_schema.JOBS WHERE JOB_ID = ?", (job_2.as_str(),)).await.unwrap();
    assert!(status.is_some(), "a stopped job stays listed");
}

#[tokio::test]
async fn describe_and_show_table_status_like_read_only_the_tables_they_name() {
    // DBeaver opens a table's properties with SHOW TABLE STATUS FROM db LIKE 't'; a mysql user
    // types DESCRIBE t. Neither should describe the other tables of a large external catalog.
    let mut c = server().connect().await;
    let (db, _) = forty_flink_only_tables(&mut c).await;
    let rows: Vec<Row> = c.query(format!("DESCRIBE {db}.t05")).await.unwrap();
    assert_eq!(rows.len(), 2);
    let status: Vec<Row> = c.query(format!("SHOW TABLE STATUS FROM {db} LIKE 't0\\_' ")).await.unwrap();
    assert!(status.is_empty(), "`_` is escaped: no table is named t0_");
    let status: Vec<Row> = c.query(format!("SHOW TABLE STATUS FROM {db} LIKE 'T1_'")).await.unwrap();
    let names: Vec<String> = status.iter().map(|r| r.get::<String, _>("Name").unwrap()).collect();
    assert_eq!(names, (10..20).map(|i| format!("t{i}")).collect::<Vec<_>>());
    assert_eq!(status[3].get::<String, _>("Comment").as_deref(), Some("table number 13"));
    let fills = cold_fills(&db, 2).await;
    assert_eq!(fills.len(), 2, "{fills:?}");
    assert!(fills[0].contains("tables=1 ") && fills[1].contains("tables=10 "), "{fills:?}");
}
