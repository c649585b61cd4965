-- Column names: an unaliased select item is named as MySQL names it (its text as written; a
-- column by its name as written; a string literal by its value), not Flink's EXPR$n. The
-- differential runner checks every query case's names against MariaDB's.

-- case: names_unaliased_aggregates
SELECT COUNT(*), SUM(total), MAX(IFNULL(priority, 3)) FROM orders;
-- flink:
SELECT COUNT(*) AS `COUNT(*)`, SUM(total) AS `SUM(total)`, MAX(COALESCE(priority, 3)) AS `MAX(IFNULL(priority, 3))` FROM orders

-- case: names_text_as_written
SELECT   count( * ) ,  Sum(total)/2, IFNULL(priority,
  0) FROM orders GROUP BY priority;
-- flink:
SELECT COUNT(*) AS `count( * )`, CAST(CAST(SUM(total) AS DECIMAL(38, 10)) / 2 AS DECIMAL(38, 6)) AS `Sum(total)/2`, COALESCE(priority, 0) AS U&"IFNULL(priority,\000A  0)" FROM orders GROUP BY priority

-- case: names_columns_as_written
SELECT ID, o.Status, (customer_id), `total`, +priority FROM orders o WHERE id < 1004;
-- flink:
SELECT id AS ID, o.status AS Status, customer_id, total, priority FROM orders AS o WHERE id < 1004

-- case: names_literals_by_value
-- types differ: Flink has no NULL type for a result column: a bare NULL is typed STRING
-- weir types: ["string", "string", "decimal(2)", "integer", "string", "integer", "string"]
SELECT 'abc', ' lead', 1.50, -1, NULL, TRUE, 'it''s' FROM orders WHERE id = 1001;
-- flink:
SELECT 'abc' AS abc, ' lead' AS `lead`, 1.50 AS `1.50`, -1 AS `-1`, CAST(NULL AS STRING) AS `NULL`, TRUE AS `TRUE`, 'it''s' AS `it's` FROM orders WHERE id = 1001

-- case: names_comments_kept_inside
SELECT total /* net */ * 2, id -- trailing
 FROM orders WHERE id = 1001;
-- flink:
SELECT total * 2 AS `total /* net */ * 2`, id FROM orders WHERE id = 1001

-- case: names_long_text_cut
SELECT CONCAT(status, 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx') FROM orders WHERE id = 1001;
-- flink:
SELECT CONCAT(status, 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx') AS `CONCAT(status, 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx` FROM orders WHERE id = 1001

-- case: names_order_by_ordinal_and_name
SELECT customer_id, COUNT(*) FROM orders GROUP BY customer_id ORDER BY 2 DESC, `COUNT(*)` DESC, 1;
-- flink:
SELECT customer_id, COUNT(*) AS `COUNT(*)` FROM orders GROUP BY customer_id ORDER BY 2 DESC, `COUNT(*)` DESC, 1

-- case: names_distinct_expression
SELECT DISTINCT UPPER(status) FROM orders ORDER BY UPPER(status);
-- flink:
SELECT DISTINCT UPPER(status) AS `UPPER(status)` FROM orders ORDER BY UPPER(status)

-- case: names_grouped_case_insensitively
-- collation: STATUS: MySQL groups 'shipped', 'Shipped' and 'SHIPPED' together and which spelling it shows is unspecified
SELECT STATUS, COUNT(*) FROM orders GROUP BY STATUS;
-- flink:
SELECT FIRST_VALUE(status) AS STATUS, COUNT(*) AS `COUNT(*)` FROM orders GROUP BY LOWER(status)

-- case: names_first_branch_of_union
-- collation: status: MySQL groups 'shipped', 'Shipped' and 'SHIPPED' together and which spelling it shows is unspecified
SELECT status, COUNT(*) FROM orders GROUP BY status UNION ALL SELECT 'all', COUNT(*) FROM orders;
-- flink:
SELECT FIRST_VALUE(status) AS status, COUNT(*) AS `COUNT(*)` FROM orders GROUP BY LOWER(status) UNION ALL SELECT 'all', COUNT(*) FROM orders

-- case: names_scalar_subquery_and_case
SELECT (SELECT COUNT(*) FROM customers), CASE WHEN total > 100 THEN 'big' ELSE 'small' END FROM orders WHERE id = 1002;
-- flink:
SELECT (SELECT COUNT(*) FROM customers) AS `(SELECT COUNT(*) FROM customers)`, CASE WHEN total > 100 THEN 'big' ELSE 'small' END AS `CASE WHEN total > 100 THEN 'big' ELSE 'small' END` FROM orders WHERE id = 1002

-- case: names_window_function
SELECT id, ROW_NUMBER() OVER (ORDER BY id) FROM orders WHERE id < 1004;
-- flink:
SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS `ROW_NUMBER() OVER (ORDER BY id)` FROM orders WHERE id < 1004

-- case: names_aliases_untouched
-- collation: Order Status: MySQL groups 'shipped', 'Shipped' and 'SHIPPED' together and which spelling it shows is unspecified
SELECT COUNT(*) AS n, status AS `Order Status` FROM orders GROUP BY status;
-- flink:
SELECT COUNT(*) AS n, FIRST_VALUE(status) AS `Order Status` FROM orders GROUP BY LOWER(status)

-- case: names_repeated
-- names differ: Flink makes a result's column names unique: the second id is id0
-- weir names: ["id", "id0"]
SELECT o.id, c.id FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id < 1004;
-- flink:
SELECT o.id, c.id FROM orders AS o JOIN customers AS c ON c.id = o.customer_id WHERE o.id < 1004

-- case: names_empty_string
-- names differ: MySQL names SELECT '' with an empty name, which Flink cannot give (EXPR$0 instead)
-- weir names: ["EXPR$0"]
SELECT '' FROM orders WHERE id = 1001;
-- flink:
SELECT '' FROM orders WHERE id = 1001

-- case: derived_table_ordered_by_unselected_column
SELECT LOWER(name) AS n FROM (SELECT name FROM customers ORDER BY credit_limit DESC, id LIMIT 3) AS t;
-- flink:
SELECT LOWER(name) AS n FROM (SELECT name FROM customers ORDER BY credit_limit DESC, id LIMIT 3) AS t
