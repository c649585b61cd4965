//! MySQL → Flink translation, rule by rule.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test, benchmark or example: failing loudly is its job

mod common;

use weir_dialects::{FlinkTarget, NoSchema, Options, SourceDialect, TranslateError, translate, translate_with};

fn ok(sql: &str, expected: &str) {
    common::translates_to(SourceDialect::MySql, sql, expected);
}

fn no(sql: &str, construct: &str) {
    common::refused(SourceDialect::MySql, sql, construct);
}

#[test]
fn limit_forms() {
    ok("SELECT id FROM orders LIMIT 5, 10", "SELECT id FROM orders LIMIT 10 OFFSET 5");
    ok("SELECT id FROM orders LIMIT 10 OFFSET 5", "SELECT id FROM orders LIMIT 10 OFFSET 5");
    ok("SELECT id FROM orders ORDER BY id LIMIT 3", "SELECT id FROM orders ORDER BY id LIMIT 3");
}

#[test]
fn from_dual_and_no_from() {
    ok("SELECT 1 + 1 FROM DUAL", "SELECT 1 + 1 AS `1 + 1`");
    ok("SELECT 'a'", "SELECT 'a' AS a");
}

#[test]
fn null_functions() {
    ok("SELECT IFNULL(status, 'none') FROM orders", "SELECT COALESCE(status, 'none') AS `IFNULL(status, 'none')` FROM orders");
    ok("SELECT COALESCE(status, 'x', 'y') FROM orders", "SELECT COALESCE(status, 'x', 'y') AS `COALESCE(status, 'x', 'y')` FROM orders");
    ok("SELECT ISNULL(status) FROM orders", "SELECT status IS NULL AS `ISNULL(status)` FROM orders");
    ok("SELECT NULLIF(id, 0) FROM orders", "SELECT NULLIF(id, 0) AS `NULLIF(id, 0)` FROM orders");
}

#[test]
fn if_becomes_case() {
    ok(
        "SELECT IF(amount > 100, 'big', 'small') FROM orders",
        "SELECT CASE WHEN amount > 100 THEN 'big' ELSE 'small' END AS `IF(amount > 100, 'big', 'small')` FROM orders",
    );
    ok("SELECT IF(active, 1, 0) FROM orders", "SELECT CASE WHEN active <> 0 THEN 1 ELSE 0 END AS `IF(active, 1, 0)` FROM orders");
}

#[test]
fn operators() {
    ok("SELECT id FROM orders WHERE id != 3", "SELECT id FROM orders WHERE id <> 3");
    ok(
        "SELECT id FROM orders WHERE status <=> NULL",
        "SELECT id FROM orders WHERE status IS NOT DISTINCT FROM NULL",
    );
    ok("SELECT id FROM orders WHERE id = 1 || id = 2", "SELECT id FROM orders WHERE id = 1 OR id = 2");
    ok("SELECT id FROM orders WHERE id > 1 && id < 5", "SELECT id FROM orders WHERE id > 1 AND id < 5");
    ok(
        "SELECT id FROM orders WHERE id > 1 XOR id < 5",
        "SELECT id FROM orders WHERE (id > 1 OR id < 5) AND NOT (id > 1 AND id < 5)",
    );
    ok("SELECT id FROM orders WHERE NOT (id > 1 AND id < 5)", "SELECT id FROM orders WHERE NOT (id > 1 AND id < 5)");
    ok("SELECT (id + 1) * 2, id - (1 - 2) FROM orders", "SELECT (id + 1) * 2 AS `(id + 1) * 2`, id - (1 - 2) AS `id - (1 - 2)` FROM orders");
}

#[test]
fn double_quoted_strings_and_quoting() {
    ok("SELECT \"it's\" FROM orders", "SELECT 'it''s' AS `it's` FROM orders");
    ok("SELECT `value` FROM customers", "SELECT `value` FROM customers");
    ok("SELECT c.`value` AS `year` FROM customers c", "SELECT c.`value` AS `year` FROM customers AS c");
    ok("SELECT `first name` FROM t", "SELECT `first name` FROM t");
}

#[test]
fn backslashes_follow_the_session_mode() {
    ok(r"SELECT 'a\b'", r"SELECT 'a\b' AS `a\b`");
    let options = Options { mysql_backslash_escapes: true, ..Options::default() };
    let t = translate_with(r"SELECT 'it\'s\n'", SourceDialect::MySql, &FlinkTarget::V1_20, &NoSchema, None, &options).unwrap();
    assert_eq!(t.sql, "SELECT 'it''s\n' AS U&\"it's\\000A\"");
}

#[test]
fn numbers_as_conditions() {
    ok("SELECT id FROM orders WHERE active", "SELECT id FROM orders WHERE active <> 0");
    ok("SELECT id FROM orders WHERE NOT active", "SELECT id FROM orders WHERE NOT active <> 0");
    ok("SELECT id FROM orders WHERE active AND flag", "SELECT id FROM orders WHERE active <> 0 AND flag");
    ok("SELECT id FROM orders WHERE flag = 1", "SELECT id FROM orders WHERE flag = TRUE");
}

#[test]
fn division_is_decimal() {
    ok("SELECT id / 3 FROM orders", "SELECT CAST(CAST(id AS DECIMAL(38, 10)) / 3 AS DECIMAL(38, 4)) AS `id / 3` FROM orders");
    ok(
        "SELECT amount / id FROM orders",
        "SELECT CAST(CAST(amount AS DECIMAL(38, 10)) / NULLIF(id, 0) AS DECIMAL(38, 6)) AS `amount / id` FROM orders",
    );
    ok("SELECT rate / 2 FROM orders", "SELECT rate / 2 AS `rate / 2` FROM orders");
    ok("SELECT 7 DIV 2, amount DIV 2 FROM orders", "SELECT 7 / 2 AS `7 DIV 2`, CAST(amount / 2 AS BIGINT) AS `amount DIV 2` FROM orders");
    ok("SELECT id % customer_id, MOD(id, 2) FROM orders", "SELECT id % NULLIF(customer_id, 0) AS `id % customer_id`, MOD(id, 2) AS `MOD(id, 2)` FROM orders");
}

#[test]
fn casts() {
    ok("SELECT CAST(amount AS SIGNED) FROM orders", "SELECT CAST(ROUND(amount) AS BIGINT) AS `CAST(amount AS SIGNED)` FROM orders");
    ok("SELECT CAST(id AS SIGNED) FROM orders", "SELECT CAST(id AS BIGINT) AS `CAST(id AS SIGNED)` FROM orders");
    ok("SELECT CAST(amount AS UNSIGNED) FROM orders", "SELECT CAST(ROUND(amount) AS DECIMAL(20, 0)) AS `CAST(amount AS UNSIGNED)` FROM orders");
    ok("SELECT CAST(id AS CHAR) FROM orders", "SELECT CAST(id AS STRING) AS `CAST(id AS CHAR)` FROM orders");
    ok("SELECT CAST(id AS CHAR(5)) FROM orders", "SELECT CAST(id AS VARCHAR(5)) AS `CAST(id AS CHAR(5))` FROM orders");
    ok("SELECT CAST(amount AS DECIMAL(12, 1)) FROM orders", "SELECT CAST(amount AS DECIMAL(12, 1)) AS `CAST(amount AS DECIMAL(12, 1))` FROM orders");
    ok("SELECT CAST('2024-01-02' AS DATE)", "SELECT DATE '2024-01-02' AS `CAST('2024-01-02' AS DATE)`");
    ok("SELECT CONVERT(id, CHAR) FROM orders", "SELECT CAST(id AS STRING) AS `CONVERT(id, CHAR)` FROM orders");
    ok("SELECT CAST(created_at AS DATETIME) FROM orders", "SELECT CAST(created_at AS TIMESTAMP(0)) AS `CAST(created_at AS DATETIME)` FROM orders");
}

#[test]
fn group_by_ordinals_and_aliases() {
    ok(
        "SELECT YEAR(order_date) AS y, SUM(amount) AS total FROM orders GROUP BY y HAVING total > 10",
        "SELECT YEAR(order_date) AS y, SUM(amount) AS total FROM orders GROUP BY YEAR(order_date) HAVING SUM(amount) > 10",
    );
    ok(
        "SELECT id, COUNT(*) AS n FROM orders GROUP BY 1 WITH ROLLUP",
        "SELECT id, COUNT(*) AS n FROM orders GROUP BY ROLLUP(id)",
    );
    ok(
        "SELECT id, COUNT(*) n FROM orders GROUP BY id ORDER BY n DESC, 1",
        "SELECT id, COUNT(*) AS n FROM orders GROUP BY id ORDER BY n DESC, 1",
    );
}

/// MySQL's default collation groups 'shipped', 'Shipped' and 'SHIPPED' together and shows one
/// of them; Flink groups exactly. String columns are grouped by LOWER and shown by FIRST_VALUE.
#[test]
fn strings_group_case_insensitively() {
    ok(
        "SELECT status AS s, COUNT(*) FROM orders GROUP BY 1",
        "SELECT FIRST_VALUE(status) AS s, COUNT(*) AS `COUNT(*)` FROM orders GROUP BY LOWER(status)",
    );
    // A FROM column of the same name wins in GROUP BY, as in MySQL.
    ok(
        "SELECT UPPER(status) AS status FROM orders GROUP BY status",
        "SELECT UPPER(FIRST_VALUE(status)) AS status FROM orders GROUP BY LOWER(status)",
    );
    ok(
        "SELECT DISTINCT status FROM orders",
        "SELECT FIRST_VALUE(status) AS status FROM orders GROUP BY LOWER(status)",
    );
    ok(
        "SELECT status, COUNT(*) AS n FROM orders GROUP BY status WITH ROLLUP",
        "SELECT CASE WHEN GROUPING(LOWER(status)) = 1 THEN CAST(NULL AS VARCHAR(20)) ELSE FIRST_VALUE(status) END AS status, COUNT(*) AS n FROM orders GROUP BY ROLLUP(LOWER(status))",
    );
    ok(
        "SELECT id, ROW_NUMBER() OVER (PARTITION BY status ORDER BY id) AS rn FROM orders",
        "SELECT id, ROW_NUMBER() OVER (PARTITION BY LOWER(status) ORDER BY id) AS rn FROM orders",
    );
}

#[test]
fn case_insensitive_comparisons() {
    ok("SELECT id FROM orders WHERE status = 'Paid'", "SELECT id FROM orders WHERE LOWER(status) = 'paid'");
    ok(
        "SELECT id FROM orders WHERE status IN ('A', 'b')",
        "SELECT id FROM orders WHERE LOWER(status) IN ('a', 'b')",
    );
    ok("SELECT id FROM orders WHERE status LIKE 'P%'", "SELECT id FROM orders WHERE LOWER(status) LIKE 'p%'");
    ok(
        "SELECT id FROM orders WHERE status REGEXP '^pa'",
        "SELECT id FROM orders WHERE REGEXP(status, '(?i)^pa')",
    );
    ok(
        "SELECT id FROM orders WHERE status NOT RLIKE 'x$'",
        "SELECT id FROM orders WHERE NOT REGEXP(status, '(?i)x$')",
    );
    // Unknown types: left alone.
    ok("SELECT a FROM t WHERE b = 'X'", "SELECT a FROM t WHERE b = 'X'");
    let options = Options { mysql_case_insensitive: false, ..Options::default() };
    let t = translate_with(
        "SELECT id FROM orders WHERE status = 'Paid'",
        SourceDialect::MySql,
        &FlinkTarget::V1_20,
        &common::schema(),
        None,
        &options,
    )
    .unwrap();
    assert_eq!(t.sql, "SELECT id FROM orders WHERE status = 'Paid'");
}

#[test]
fn temporal_literals_from_strings() {
    ok(
        "SELECT id FROM orders WHERE order_date >= '2024-01-01' AND created_at < '2024-02-01'",
        "SELECT id FROM orders WHERE order_date >= DATE '2024-01-01' AND created_at < TIMESTAMP '2024-02-01 00:00:00'",
    );
    ok(
        "SELECT id FROM orders WHERE order_date BETWEEN '2024-1-1' AND '2024-1-31'",
        "SELECT id FROM orders WHERE order_date BETWEEN DATE '2024-01-01' AND DATE '2024-01-31'",
    );
    ok("SELECT id FROM orders WHERE id = '5'", "SELECT id FROM orders WHERE id = 5");
}

#[test]
fn date_functions() {
    ok(
        "SELECT DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s') FROM orders",
        "SELECT DATE_FORMAT(created_at, 'yyyy-MM-dd HH:mm:ss') AS `DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s')` FROM orders",
    );
    ok(
        "SELECT DATE_FORMAT(order_date, '%d/%m/%Y') FROM orders",
        "SELECT DATE_FORMAT(CAST(order_date AS TIMESTAMP(0)), 'dd/MM/yyyy') AS `DATE_FORMAT(order_date, '%d/%m/%Y')` FROM orders",
    );
    ok("SELECT STR_TO_DATE('05/03/2024', '%d/%m/%Y')", "SELECT TO_DATE('05/03/2024', 'dd/MM/yyyy') AS `STR_TO_DATE('05/03/2024', '%d/%m/%Y')`");
    ok(
        "SELECT STR_TO_DATE('2024-03-05 10:11', '%Y-%m-%d %H:%i')",
        "SELECT TO_TIMESTAMP('2024-03-05 10:11', 'yyyy-MM-dd HH:mm') AS `STR_TO_DATE('2024-03-05 10:11', '%Y-%m-%d %H:%i')`",
    );
    ok("SELECT DATE_ADD(order_date, INTERVAL 3 DAY) FROM orders", "SELECT order_date + INTERVAL '3' DAY AS `DATE_ADD(order_date, INTERVAL 3 DAY)` FROM orders");
    ok("SELECT DATE_SUB(order_date, INTERVAL 1 MONTH) FROM orders", "SELECT order_date - INTERVAL '1' MONTH AS `DATE_SUB(order_date, INTERVAL 1 MONTH)` FROM orders");
    ok("SELECT order_date + INTERVAL 2 WEEK FROM orders", "SELECT order_date + INTERVAL '14' DAY AS `order_date + INTERVAL 2 WEEK` FROM orders");
    ok("SELECT DATE_ADD(order_date, INTERVAL 1 QUARTER) FROM orders", "SELECT order_date + INTERVAL '3' MONTH AS `DATE_ADD(order_date, INTERVAL 1 QUARTER)` FROM orders");
    ok(
        "SELECT DATE_ADD(order_date, INTERVAL 6 HOUR) FROM orders",
        "SELECT CAST(order_date AS TIMESTAMP(0)) + INTERVAL '6' HOUR AS `DATE_ADD(order_date, INTERVAL 6 HOUR)` FROM orders",
    );
    ok(
        "SELECT DATE_ADD(created_at, INTERVAL id DAY) FROM orders",
        "SELECT TIMESTAMPADD(DAY, id, created_at) AS `DATE_ADD(created_at, INTERVAL id DAY)` FROM orders",
    );
    ok(
        "SELECT DATE_SUB(created_at, INTERVAL id MINUTE) FROM orders",
        "SELECT TIMESTAMPADD(MINUTE, -id, created_at) AS `DATE_SUB(created_at, INTERVAL id MINUTE)` FROM orders",
    );
    ok(
        "SELECT created_at + INTERVAL '1:30' HOUR_MINUTE FROM orders",
        "SELECT created_at + INTERVAL '1:30' HOUR TO MINUTE AS `created_at + INTERVAL '1:30' HOUR_MINUTE` FROM orders",
    );
    ok("SELECT DATE_ADD('2024-01-31', INTERVAL 1 MONTH)", "SELECT DATE '2024-01-31' + INTERVAL '1' MONTH AS `DATE_ADD('2024-01-31', INTERVAL 1 MONTH)`");
    ok("SELECT ADDDATE(order_date, 100) FROM orders", "SELECT order_date + INTERVAL '100' DAY(3) AS `ADDDATE(order_date, 100)` FROM orders");
    ok(
        "SELECT DATEDIFF(created_at, order_date) FROM orders",
        "SELECT TIMESTAMPDIFF(DAY, order_date, CAST(created_at AS DATE)) AS `DATEDIFF(created_at, order_date)` FROM orders",
    );
    ok(
        "SELECT TIMESTAMPDIFF(HOUR, created_at, '2024-01-01 00:00:00') FROM orders",
        "SELECT TIMESTAMPDIFF(HOUR, created_at, TIMESTAMP '2024-01-01 00:00:00') AS `TIMESTAMPDIFF(HOUR, created_at, '2024-01-01 00:00:00')` FROM orders",
    );
    ok(
        "SELECT LAST_DAY(order_date) FROM orders",
        "SELECT TIMESTAMPADD(DAY, -1, TIMESTAMPADD(MONTH, 1, TIMESTAMPADD(DAY, 1 - DAYOFMONTH(order_date), order_date))) AS `LAST_DAY(order_date)` FROM orders",
    );
    ok("SELECT YEAR(order_date), DAY(order_date) FROM orders", "SELECT YEAR(order_date) AS `YEAR(order_date)`, DAYOFMONTH(order_date) AS `DAY(order_date)` FROM orders");
    ok("SELECT DATE(created_at), NOW(), CURDATE() FROM orders", "SELECT CAST(created_at AS DATE) AS `DATE(created_at)`, CAST(LOCALTIMESTAMP AS TIMESTAMP(0)) AS `NOW()`, CURRENT_DATE AS `CURDATE()` FROM orders");
    ok("SELECT WEEKDAY(order_date) FROM orders", "SELECT MOD(DAYOFWEEK(order_date) + 5, 7) AS `WEEKDAY(order_date)` FROM orders");
    ok("SELECT DAYNAME(created_at) FROM orders", "SELECT DATE_FORMAT(created_at, 'EEEE') AS `DAYNAME(created_at)` FROM orders");
    no("SELECT WEEK(order_date) FROM orders", "WEEK in week mode other than 3");
    no("SELECT DATE_FORMAT(order_date, '%U') FROM orders", "%U");
    no("SELECT DATE_ADD(created_at, INTERVAL 5 MICROSECOND) FROM orders", "MICROSECOND");
}

#[test]
fn string_functions() {
    ok(
        "SELECT CONCAT('#', id, ': ', status) FROM orders",
        "SELECT CONCAT('#', CAST(id AS STRING), ': ', status) AS `CONCAT('#', id, ': ', status)` FROM orders",
    );
    ok("SELECT CONCAT_WS('-', id, amount) FROM orders", "SELECT CONCAT_WS('-', CAST(id AS STRING), CAST(amount AS STRING)) AS `CONCAT_WS('-', id, amount)` FROM orders");
    ok("SELECT CHAR_LENGTH(status), UCASE(status), LCASE(status) FROM orders", "SELECT CHAR_LENGTH(status) AS `CHAR_LENGTH(status)`, UPPER(status) AS `UCASE(status)`, LOWER(status) AS `LCASE(status)` FROM orders");
    ok(
        "SELECT LENGTH(status) FROM orders",
        r"SELECT CHAR_LENGTH(status) + CHAR_LENGTH(REGEXP_REPLACE(status, '[\x{0}-\x{7F}]', '')) + CHAR_LENGTH(REGEXP_REPLACE(status, '[\x{0}-\x{7FF}]', '')) AS `LENGTH(status)` FROM orders",
    );
    ok("SELECT INSTR(status, 'a') FROM orders", "SELECT INSTR(LOWER(status), 'a') AS `INSTR(status, 'a')` FROM orders");
    ok("SELECT LOCATE('a', status, 2) FROM orders", "SELECT LOCATE('a', LOWER(status), 2) AS `LOCATE('a', status, 2)` FROM orders");
    ok("SELECT SUBSTRING(status, 2, 3), MID(status, 2), SUBSTR(id, 1, 1) FROM orders", "SELECT SUBSTR(status, 2, 3) AS `SUBSTRING(status, 2, 3)`, SUBSTR(status, 2) AS `MID(status, 2)`, SUBSTR(CAST(id AS STRING), 1, 1) AS `SUBSTR(id, 1, 1)` FROM orders");
    ok("SELECT SUBSTRING(status FROM 2 FOR 3) FROM orders", "SELECT SUBSTR(status, 2, 3) AS `SUBSTRING(status FROM 2 FOR 3)` FROM orders");
    ok("SELECT SUBSTRING_INDEX(status, '-', 1) FROM orders", "SELECT SPLIT_INDEX(status, '-', 0) AS `SUBSTRING_INDEX(status, '-', 1)` FROM orders");
    ok("SELECT LPAD(id, 5, '0'), SPACE(3) FROM orders", "SELECT LPAD(CAST(id AS STRING), 5, '0') AS `LPAD(id, 5, '0')`, REPEAT(' ', 3) AS `SPACE(3)` FROM orders");
    ok("SELECT TRIM(status), TRIM(LEADING 'x' FROM status) FROM orders", "SELECT TRIM(status) AS `TRIM(status)`, TRIM(LEADING 'x' FROM status) AS `TRIM(LEADING 'x' FROM status)` FROM orders");
    ok("SELECT REPLACE(status, 'a', 'b') FROM orders", "SELECT REPLACE(status, 'a', 'b') AS `REPLACE(status, 'a', 'b')` FROM orders");
    no("SELECT FIND_IN_SET('a', status) FROM orders", "FIND_IN_SET");
    no("SELECT SUBSTRING_INDEX(status, '-', 2) FROM orders", "SUBSTRING_INDEX with a count other than 1");
}

#[test]
fn aggregates() {
    ok(
        "SELECT GROUP_CONCAT(status) FROM orders",
        "SELECT LISTAGG(status, ',') AS `GROUP_CONCAT(status)` FROM orders",
    );
    ok(
        "SELECT customer_id, GROUP_CONCAT(DISTINCT id SEPARATOR '; ') FROM orders GROUP BY customer_id",
        "SELECT customer_id, LISTAGG(DISTINCT CAST(id AS STRING), '; ') AS `GROUP_CONCAT(DISTINCT id SEPARATOR '; ')` FROM orders GROUP BY customer_id",
    );
    no("SELECT GROUP_CONCAT(status ORDER BY id) FROM orders", "GROUP_CONCAT(... ORDER BY ...)");
    ok("SELECT AVG(id) FROM orders", "SELECT CAST(AVG(CAST(id AS DECIMAL(38, 4))) AS DECIMAL(38, 4)) AS `AVG(id)` FROM orders");
    ok("SELECT AVG(amount) FROM orders", "SELECT CAST(AVG(CAST(amount AS DECIMAL(38, 6))) AS DECIMAL(38, 6)) AS `AVG(amount)` FROM orders");
    ok("SELECT AVG(rate), STDDEV(rate) FROM orders", "SELECT AVG(rate) AS `AVG(rate)`, STDDEV_POP(rate) AS `STDDEV(rate)` FROM orders");
    ok("SELECT COUNT(DISTINCT status), COUNT(*) FROM orders", "SELECT COUNT(DISTINCT status) AS `COUNT(DISTINCT status)`, COUNT(*) AS `COUNT(*)` FROM orders");
    ok(
        "SELECT id, ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY created_at DESC) AS rn FROM orders",
        "SELECT id, ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY created_at DESC) AS rn FROM orders",
    );
    ok(
        "SELECT id, SUM(amount) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM orders",
        "SELECT id, SUM(amount) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS `SUM(amount) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)` FROM orders",
    );
}

#[test]
fn joins_and_subqueries() {
    ok(
        "SELECT c.name, o.id FROM customers c LEFT JOIN orders o ON o.customer_id = c.id",
        "SELECT c.name, o.id FROM customers AS c LEFT JOIN orders AS o ON o.customer_id = c.id",
    );
    ok(
        "SELECT c.name FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.active)",
        "SELECT c.name FROM customers AS c WHERE EXISTS (SELECT 1 FROM orders AS o WHERE o.customer_id = c.id AND o.active <> 0)",
    );
    ok(
        "SELECT name FROM customers WHERE id IN (SELECT customer_id FROM orders)",
        "SELECT name FROM customers WHERE id IN (SELECT customer_id FROM orders)",
    );
    ok("SELECT c.name FROM customers c CROSS JOIN orders o", "SELECT c.name FROM customers AS c CROSS JOIN orders AS o");
    ok("SELECT name FROM customers JOIN orders USING (id)", "SELECT name FROM customers JOIN orders USING (id)");
    ok(
        "WITH big AS (SELECT * FROM orders WHERE amount > 100) SELECT COUNT(*) FROM big WHERE big.active",
        "WITH big AS (SELECT * FROM orders WHERE amount > 100) SELECT COUNT(*) AS `COUNT(*)` FROM big WHERE big.active <> 0",
    );
    ok(
        "SELECT t.s FROM (SELECT status AS s FROM orders) t WHERE t.s = 'x'",
        "SELECT t.s FROM (SELECT status AS s FROM orders) AS t WHERE LOWER(t.s) = 'x'",
    );
    ok("SELECT id FROM orders UNION SELECT id FROM customers", "SELECT id FROM orders UNION SELECT id FROM customers");
}

#[test]
fn column_names_are_case_insensitive() {
    ok("SELECT ID, Status FROM Orders", "SELECT id AS ID, status AS Status FROM orders");
}

#[test]
fn refusals() {
    no("SELECT @x := 1", "user variable");
    no("SELECT * FROM orders WHERE id = @id", "user variable @id");
    no("SET @x = 1", "SET");
    no("SELECT id FROM orders FOR UPDATE", "FOR UPDATE");
    no("SELECT id INTO @x FROM orders", "SELECT ... INTO");
    no("INSERT INTO orders (id) VALUES (1) ON DUPLICATE KEY UPDATE id = 2", "ON DUPLICATE KEY UPDATE");
    no("REPLACE INTO orders (id) VALUES (1)", "REPLACE INTO");
    no("UPDATE orders SET id = 1", "UPDATE");
    no("WITH RECURSIVE r AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM r) SELECT * FROM r", "recursive CTE");
    no("SELECT id & 1 FROM orders", "bitwise");
    no("SELECT MATCH (status) AGAINST ('x') FROM orders", "MATCH");
    no("CREATE PROCEDURE p() BEGIN SELECT 1; END", "CREATE PROCEDURE");
}

#[test]
fn refusals_point_at_the_construct() {
    let e = translate("SELECT id,\n  @x\nFROM orders", SourceDialect::MySql, &FlinkTarget::V1_20, &NoSchema, None).unwrap_err();
    assert_eq!(e.to_string(), "user variable @x is not supported (line 2, column 3)");
}

#[test]
fn create_table() {
    ok(
        "CREATE TABLE customers (\n  id INT UNSIGNED NOT NULL AUTO_INCREMENT,\n  name VARCHAR(50) NOT NULL COMMENT 'full name',\n  vip TINYINT(1) DEFAULT 0,\n  balance DECIMAL(12,2),\n  created DATETIME DEFAULT CURRENT_TIMESTAMP,\n  notes TEXT,\n  PRIMARY KEY (id),\n  KEY idx_name (name)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='people'",
        "CREATE TABLE customers (id BIGINT NOT NULL, name VARCHAR(50) NOT NULL COMMENT 'full name', vip BOOLEAN, balance DECIMAL(12, 2), created TIMESTAMP(0), notes STRING, PRIMARY KEY (id) NOT ENFORCED) COMMENT 'people' WITH ('connector' = 'blackhole')",
    );
    ok(
        "CREATE TABLE t (a INT) WITH ('connector' = 'datagen')",
        "CREATE TABLE t (a INT) WITH ('connector' = 'datagen')",
    );
    ok(
        "CREATE TEMPORARY TABLE IF NOT EXISTS t (`key` BIGINT UNSIGNED PRIMARY KEY, `value` ENUM('a','b'))",
        "CREATE TEMPORARY TABLE IF NOT EXISTS t (key DECIMAL(20, 0), `value` STRING, PRIMARY KEY (key) NOT ENFORCED) WITH ('connector' = 'blackhole')",
    );
    let t = common::run(SourceDialect::MySql, "CREATE TABLE t (a INT) ENGINE=InnoDB").unwrap();
    assert!(t.notes.iter().any(|n| n.message.contains("ENGINE")), "{:?}", t.notes);
    let e = translate("CREATE TABLE t (a INT)", SourceDialect::MySql, &FlinkTarget::V1_20, &NoSchema, None).unwrap_err();
    assert!(matches!(e, TranslateError::MissingConnectorOptions { .. }), "{e}");
    let t = translate("CREATE TABLE t (a INT)", SourceDialect::MySql, &FlinkTarget::V1_20, &NoSchema, Some("('connector'='filesystem', 'path'='/d/#{table}')")).unwrap();
    assert_eq!(t.sql, "CREATE TABLE t (a INT) WITH ('connector' = 'filesystem', 'path' = '/d/t')");
    let e = translate("CREATE TABLE t (a INT)", SourceDialect::MySql, &FlinkTarget::V1_20, &NoSchema, Some("nonsense")).unwrap_err();
    assert!(matches!(e, TranslateError::InvalidDdlOptions { .. }), "{e}");
}

#[test]
fn other_statements() {
    ok("INSERT INTO orders (id, status) VALUES (1, 'a'), (2, NULL)", "INSERT INTO orders (id, status) VALUES (1, 'a'), (2, CAST(NULL AS VARCHAR(20)))");
    ok("INSERT INTO t SELECT id FROM orders WHERE active", "INSERT INTO t SELECT id FROM orders WHERE active <> 0");
    ok("CREATE VIEW v AS SELECT id FROM orders LIMIT 1, 2", "CREATE VIEW v AS SELECT id FROM orders LIMIT 2 OFFSET 1");
    ok("DROP TABLE IF EXISTS t", "DROP TABLE IF EXISTS t");
    ok("USE shop", "USE shop");
}

#[test]
fn databases_are_created_and_dropped_with_their_tables() {
    ok("CREATE DATABASE shop", "CREATE DATABASE shop");
    ok("CREATE DATABASE IF NOT EXISTS shop", "CREATE DATABASE IF NOT EXISTS shop");
    ok("CREATE SCHEMA IF NOT EXISTS shop", "CREATE DATABASE IF NOT EXISTS shop");
    // MySQL's DROP DATABASE takes the tables with it; Flink's needs CASCADE to do the same.
    ok("DROP DATABASE shop", "DROP DATABASE shop CASCADE");
    ok("DROP SCHEMA IF EXISTS shop", "DROP DATABASE IF EXISTS shop CASCADE");
    let t = common::run(SourceDialect::MySql, "CREATE DATABASE shop CHARACTER SET utf8mb4 COLLATE utf8mb4_bin").unwrap();
    assert_eq!(t.sql, "CREATE DATABASE shop");
    assert_eq!(t.notes[0].to_string(), "line 1, column 17: the database's character set and collation dropped: Flink strings are Unicode");
}


#[test]
fn notes_record_rewrites() {
    let t = common::run(SourceDialect::MySql, "SELECT IFNULL(a, 1) FROM t LIMIT 2, 3").unwrap();
    let messages: Vec<String> = t.notes.iter().map(|n| n.to_string()).collect();
    assert_eq!(messages, ["line 1, column 8: IFNULL became COALESCE", "line 1, column 34: LIMIT 2, 3 became LIMIT 3 OFFSET 2"]);
}

#[test]
fn target_version_gates_functions() {
    no("SELECT ELT(2, 'a', 'b')", "needs Flink 2.0");
    let t = translate("SELECT ELT(2, 'a', 'b')", SourceDialect::MySql, &FlinkTarget::V2_2, &NoSchema, None).unwrap();
    assert_eq!(t.sql, "SELECT ELT(2, 'a', 'b') AS `ELT(2, 'a', 'b')`");
    ok("SELECT REGEXP_SUBSTR(status, 'a+') FROM orders", "SELECT REGEXP_EXTRACT(status, '(?i)a+', 0) AS `REGEXP_SUBSTR(status, 'a+')` FROM orders");
}

/// A session whose `scratch` table is TEMPORARY.
struct WithTemporary;

impl weir_dialects::SchemaContext for WithTemporary {
    fn table_columns(&self, _table: &[String]) -> Option<Vec<(String, weir_dialects::FlinkType)>> {
        None
    }

    fn is_temporary(&self, table: &[String]) -> bool {
        table.last().is_some_and(|t| t == "scratch")
    }
}

#[test]
fn drop_table_drops_the_temporary_table_that_hides_a_permanent_one() {
    let drop = |sql: &str| translate(sql, SourceDialect::MySql, &FlinkTarget::V1_20, &WithTemporary, None).unwrap();
    let t = drop("DROP TABLE scratch");
    assert_eq!(t.sql, "DROP TEMPORARY TABLE scratch");
    assert_eq!(t.notes[0].to_string(), "line 1, column 12: drops the session's TEMPORARY table scratch, as MySQL does");
    assert_eq!(drop("DROP TABLE IF EXISTS shop.scratch").sql, "DROP TEMPORARY TABLE IF EXISTS shop.scratch");
    assert_eq!(drop("DROP TABLE orders").sql, "DROP TABLE orders");
    assert_eq!(drop("DROP TEMPORARY TABLE scratch").sql, "DROP TEMPORARY TABLE scratch");
    // Oracle has no such shadowing: its DROP TABLE is the permanent table's.
    let oracle = translate("DROP TABLE scratch", SourceDialect::Oracle, &FlinkTarget::V1_20, &WithTemporary, None).unwrap();
    assert_eq!(oracle.sql, "DROP TABLE scratch");
}
