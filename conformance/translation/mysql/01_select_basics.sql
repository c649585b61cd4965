-- MySQL SELECT basics: LIMIT forms, FROM DUAL, quoting, MySQL operators and string literals.
-- Tables: dataset/ (customers, products, orders, order_items).

-- case: limit_offset_comma
SELECT id, name FROM customers ORDER BY id LIMIT 2, 3;
-- flink:
SELECT id, name FROM customers ORDER BY id LIMIT 3 OFFSET 2

-- case: limit_offset_keyword
SELECT id, name FROM customers ORDER BY id LIMIT 3 OFFSET 2;
-- flink:
SELECT id, name FROM customers ORDER BY id LIMIT 3 OFFSET 2

-- case: limit_only
SELECT id FROM products ORDER BY price DESC, id LIMIT 5;
-- flink:
SELECT id FROM products ORDER BY price DESC, id LIMIT 5

-- case: from_dual_arithmetic
SELECT 1 + 2 * 3 AS n FROM DUAL;
-- flink:
SELECT 1 + 2 * 3 AS n

-- case: select_without_from
SELECT 'weir' AS name, 42 AS answer;
-- flink:
SELECT 'weir' AS name, 42 AS answer

-- case: double_quoted_string
SELECT name FROM customers WHERE country = "Portugal";
-- flink:
SELECT name FROM customers WHERE LOWER(country) = 'portugal'

-- case: double_quoted_string_with_quote
SELECT CONCAT(name, "'s order") AS label FROM customers WHERE id = 1;
-- flink:
SELECT CONCAT(name, '''s order') AS label FROM customers WHERE id = 1

-- case: backquoted_reserved_alias
SELECT id AS `value`, name AS `user` FROM customers WHERE id < 3;
-- flink:
SELECT id AS `value`, name AS `user` FROM customers WHERE id < 3

-- case: backquoted_table_and_column
SELECT `o`.`id`, `o`.`status` FROM `orders` AS `o` WHERE `o`.`id` = 1001;
-- flink:
SELECT o.id, o.status FROM orders AS o WHERE o.id = 1001

-- case: reserved_word_alias_year
SELECT YEAR(order_date) AS `year`, COUNT(*) AS `count` FROM orders GROUP BY YEAR(order_date);
-- flink:
SELECT YEAR(order_date) AS `year`, COUNT(*) AS `count` FROM orders GROUP BY YEAR(order_date)

-- case: bang_equal
SELECT id FROM orders WHERE priority != 1;
-- flink:
SELECT id FROM orders WHERE priority <> 1

-- case: null_safe_equal
SELECT id FROM orders WHERE priority <=> NULL;
-- flink:
SELECT id FROM orders WHERE priority IS NOT DISTINCT FROM NULL

-- case: null_safe_equal_columns
-- names differ: Flink makes a result's column names unique: the second id is id0
-- weir names: ["id", "id0"]
SELECT a.id, b.id FROM orders a JOIN orders b ON a.priority <=> b.priority AND a.id < b.id WHERE a.customer_id = 4;
-- flink:
SELECT a.id, b.id FROM orders AS a JOIN orders AS b ON a.priority IS NOT DISTINCT FROM b.priority AND a.id < b.id WHERE a.customer_id = 4

-- case: pipes_are_or
SELECT id FROM orders WHERE priority = 1 || total > 1000;
-- flink:
SELECT id FROM orders WHERE priority = 1 OR total > 1000

-- case: double_ampersand_is_and
SELECT id FROM orders WHERE priority = 1 && total > 100;
-- flink:
SELECT id FROM orders WHERE priority = 1 AND total > 100

-- case: xor
SELECT id FROM orders WHERE priority = 1 XOR total > 100;
-- flink:
SELECT id FROM orders WHERE (priority = 1 OR total > 100) AND NOT (priority = 1 AND total > 100)

-- case: not_operator
SELECT id FROM orders WHERE NOT (priority = 1 OR total < 50);
-- flink:
SELECT id FROM orders WHERE NOT (priority = 1 OR total < 50)

-- case: in_list_numbers
SELECT id, total FROM orders WHERE customer_id IN (1, 4, 9);
-- flink:
SELECT id, total FROM orders WHERE customer_id IN (1, 4, 9)

-- case: not_in_list
SELECT id FROM products WHERE category NOT IN ('Kitchen', 'Office');
-- flink:
SELECT id FROM products WHERE LOWER(category) NOT IN ('kitchen', 'office')

-- case: between_numbers
SELECT id, price FROM products WHERE price BETWEEN 30 AND 100;
-- flink:
SELECT id, price FROM products WHERE price BETWEEN 30 AND 100

-- case: like_case_insensitive
SELECT name FROM customers WHERE name LIKE '%ber%';
-- flink:
SELECT name FROM customers WHERE LOWER(name) LIKE '%ber%'

-- case: not_like
SELECT name FROM products WHERE name NOT LIKE 'D%';
-- flink:
SELECT name FROM products WHERE LOWER(name) NOT LIKE 'd%'

-- case: equality_case_insensitive
SELECT id FROM orders WHERE status = 'SHIPPED';
-- flink:
SELECT id FROM orders WHERE LOWER(status) = 'shipped'

-- case: distinct_values
-- collation: category: MySQL groups 'Office' and 'office' together and which spelling it shows is unspecified
SELECT DISTINCT category FROM products;
-- flink:
SELECT FIRST_VALUE(category) AS category FROM products GROUP BY LOWER(category)

-- case: order_by_ordinal_and_alias
SELECT name, price * stock AS stock_value FROM products ORDER BY stock_value DESC, 1;
-- flink:
SELECT name, price * stock AS stock_value FROM products ORDER BY stock_value DESC, 1

-- case: simple_case
SELECT id, CASE priority WHEN 1 THEN 'high' WHEN 2 THEN 'normal' ELSE 'low' END AS level FROM orders;
-- flink:
SELECT id, CASE priority WHEN 1 THEN 'high' WHEN 2 THEN 'normal' ELSE 'low' END AS level FROM orders

-- case: searched_case
SELECT name, CASE WHEN price >= 100 THEN 'premium' WHEN price >= 20 THEN 'standard' ELSE 'budget' END AS tier FROM products;
-- flink:
SELECT name, CASE WHEN price >= 100 THEN 'premium' WHEN price >= 20 THEN 'standard' ELSE 'budget' END AS tier FROM products

-- case: is_null_filter
SELECT id FROM orders WHERE shipped_at IS NULL;
-- flink:
SELECT id FROM orders WHERE shipped_at IS NULL

-- case: is_not_null_and
SELECT id, email FROM customers WHERE email IS NOT NULL AND city IS NOT NULL;
-- flink:
SELECT id, email FROM customers WHERE email IS NOT NULL AND city IS NOT NULL

-- case: numeric_column_as_condition
SELECT name FROM customers WHERE active;
-- flink:
SELECT name FROM customers WHERE active <> 0

-- case: negated_numeric_condition
SELECT name FROM customers WHERE NOT active;
-- flink:
SELECT name FROM customers WHERE NOT active <> 0

-- case: boolean_expression_in_select
SELECT id, total > 100 AS big FROM orders WHERE id < 1004;
-- flink:
SELECT id, total > 100 AS big FROM orders WHERE id < 1004

-- case: arithmetic_precedence
SELECT line_no, (quantity + 1) * unit_price - 2 AS x FROM order_items WHERE order_id = 1001;
-- flink:
SELECT line_no, (quantity + 1) * unit_price - 2 AS x FROM order_items WHERE order_id = 1001

-- case: unary_minus
SELECT -price AS neg, - (stock - 10) AS d FROM products WHERE id = 101;
-- flink:
SELECT -price AS neg, -(stock - 10) AS d FROM products WHERE id = 101

-- case: string_literal_with_backslash
SELECT 'C:\temp' AS path;
-- flink:
SELECT 'C:\temp' AS path

-- case: hex_string_literal
SELECT X'4869' AS bytes;
-- flink:
SELECT X'4869' AS `bytes`
