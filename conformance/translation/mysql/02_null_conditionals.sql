-- MySQL null handling and conditionals: IFNULL, IF, ISNULL, COALESCE, NULLIF, numbers as
-- conditions.

-- case: ifnull_string
SELECT name, IFNULL(email, 'no email') AS contact FROM customers;
-- flink:
SELECT name, COALESCE(email, 'no email') AS contact FROM customers

-- case: ifnull_number
SELECT id, IFNULL(priority, 0) AS p FROM orders;
-- flink:
SELECT id, COALESCE(priority, 0) AS p FROM orders

-- case: ifnull_decimal_arithmetic
SELECT order_id, line_no, quantity * unit_price * (1 - IFNULL(discount, 0)) AS net FROM order_items;
-- flink:
SELECT order_id, line_no, quantity * unit_price * (1 - COALESCE(discount, 0)) AS net FROM order_items

-- case: coalesce_three
SELECT name, COALESCE(city, country, 'unknown') AS place FROM customers;
-- flink:
SELECT name, COALESCE(city, country, 'unknown') AS place FROM customers

-- case: nullif_zero
SELECT id, NULLIF(stock, 0) AS stock_or_null FROM products;
-- flink:
SELECT id, NULLIF(stock, 0) AS stock_or_null FROM products

-- case: if_to_case
SELECT id, IF(total > 100, 'large', 'small') AS size FROM orders;
-- flink:
SELECT id, CASE WHEN total > 100 THEN 'large' ELSE 'small' END AS size FROM orders

-- case: if_numeric_condition
SELECT name, IF(active, 'active', 'inactive') AS state FROM customers;
-- flink:
SELECT name, CASE WHEN active <> 0 THEN 'active' ELSE 'inactive' END AS state FROM customers

-- case: if_nested
SELECT id, IF(priority = 1, 'urgent', IF(priority = 2, 'normal', 'later')) AS lane FROM orders;
-- flink:
SELECT id, CASE WHEN priority = 1 THEN 'urgent' ELSE CASE WHEN priority = 2 THEN 'normal' ELSE 'later' END END AS lane FROM orders

-- case: if_inside_sum
SELECT SUM(IF(status = 'shipped', total, 0)) AS shipped_total FROM orders;
-- flink:
SELECT SUM(CASE WHEN LOWER(status) = 'shipped' THEN total ELSE 0 END) AS shipped_total FROM orders

-- case: count_if_null
SELECT COUNT(IF(shipped_at IS NULL, 1, NULL)) AS open_orders FROM orders;
-- flink:
SELECT COUNT(CASE WHEN shipped_at IS NULL THEN 1 ELSE NULL END) AS open_orders FROM orders

-- case: isnull_function
SELECT name, ISNULL(email) AS missing_email FROM customers;
-- flink:
SELECT name, email IS NULL AS missing_email FROM customers

-- case: case_with_null_branch
SELECT order_id, line_no, CASE WHEN discount IS NULL THEN 0 ELSE discount END AS d FROM order_items;
-- flink:
SELECT order_id, line_no, CASE WHEN discount IS NULL THEN 0 ELSE discount END AS d FROM order_items

-- case: numeric_condition_in_and
SELECT name FROM customers WHERE active AND credit_limit > 1000;
-- flink:
SELECT name FROM customers WHERE active <> 0 AND credit_limit > 1000

-- case: numeric_condition_in_or
SELECT name FROM customers WHERE active OR credit_limit IS NULL;
-- flink:
SELECT name FROM customers WHERE active <> 0 OR credit_limit IS NULL

-- case: numeric_condition_on_expression
SELECT id FROM products WHERE stock % 2;
-- flink:
SELECT id FROM products WHERE stock % 2 <> 0

-- case: numeric_condition_in_case
SELECT name, CASE WHEN active THEN 'yes' ELSE 'no' END AS a FROM customers;
-- flink:
SELECT name, CASE WHEN active <> 0 THEN 'yes' ELSE 'no' END AS a FROM customers

-- case: null_in_select_list
-- types differ: Flink has no NULL type for a result column: a bare NULL is typed STRING
-- weir types: ["integer", "string"]
SELECT id, NULL AS nothing FROM orders WHERE id = 1001;
-- flink:
SELECT id, CAST(NULL AS STRING) AS nothing FROM orders WHERE id = 1001

-- case: null_comparison_is_unknown
SELECT COUNT(*) AS n FROM orders WHERE priority = NULL;
-- flink:
SELECT COUNT(*) AS n FROM orders WHERE priority = NULL

-- case: greatest_least
SELECT id, GREATEST(price, 50) AS floor_price, LEAST(stock, 10) AS capped FROM products;
-- flink:
SELECT id, GREATEST(price, 50) AS floor_price, LEAST(stock, 10) AS capped FROM products
