-- MySQL grouping: GROUP BY ordinals and aliases, HAVING aliases, WITH ROLLUP, GROUP_CONCAT,
-- MySQL's decimal AVG, window functions.

-- case: group_by_ordinal
-- collation: category: MySQL groups 'Office' and 'office' together and which spelling it shows is unspecified
SELECT category, COUNT(*) AS n FROM products GROUP BY 1;
-- flink:
SELECT FIRST_VALUE(category) AS category, COUNT(*) AS n FROM products GROUP BY LOWER(category)

-- case: group_by_two_ordinals
-- collation: status: MySQL groups 'shipped' and 'SHIPPED' together and which spelling it shows is unspecified
SELECT customer_id, status, COUNT(*) AS n FROM orders GROUP BY 1, 2;
-- flink:
SELECT customer_id, FIRST_VALUE(status) AS status, COUNT(*) AS n FROM orders GROUP BY customer_id, LOWER(status)

-- case: group_by_alias_expression
SELECT YEAR(order_date) AS y, COUNT(*) AS n FROM orders GROUP BY y;
-- flink:
SELECT YEAR(order_date) AS y, COUNT(*) AS n FROM orders GROUP BY YEAR(order_date)

-- case: group_by_alias_case
SELECT CASE WHEN price >= 100 THEN 'premium' ELSE 'regular' END AS tier, COUNT(*) AS n FROM products GROUP BY tier;
-- flink:
SELECT CASE WHEN price >= 100 THEN 'premium' ELSE 'regular' END AS tier, COUNT(*) AS n FROM products GROUP BY CASE WHEN price >= 100 THEN 'premium' ELSE 'regular' END

-- case: group_by_column_wins_over_alias
SELECT LOWER(status) AS status, COUNT(*) AS n FROM orders GROUP BY status;
-- flink:
SELECT LOWER(FIRST_VALUE(status)) AS status, COUNT(*) AS n FROM orders GROUP BY LOWER(status)

-- case: having_alias
SELECT customer_id, SUM(total) AS spent FROM orders GROUP BY customer_id HAVING spent > 300;
-- flink:
SELECT customer_id, SUM(total) AS spent FROM orders GROUP BY customer_id HAVING SUM(total) > 300

-- case: having_count_alias
-- collation: category: MySQL groups 'Office' and 'office' together and which spelling it shows is unspecified
SELECT category, COUNT(*) AS n FROM products GROUP BY category HAVING n >= 3;
-- flink:
SELECT FIRST_VALUE(category) AS category, COUNT(*) AS n FROM products GROUP BY LOWER(category) HAVING COUNT(*) >= 3

-- case: having_aggregate
SELECT customer_id FROM orders GROUP BY customer_id HAVING COUNT(*) > 2;
-- flink:
SELECT customer_id FROM orders GROUP BY customer_id HAVING COUNT(*) > 2

-- case: having_group_column
-- collation: status: MySQL groups 'shipped', 'Shipped' and 'SHIPPED' together and which spelling it shows is unspecified
SELECT status, COUNT(*) AS n FROM orders GROUP BY status HAVING status <> 'pending';
-- flink:
SELECT FIRST_VALUE(status) AS status, COUNT(*) AS n FROM orders GROUP BY LOWER(status) HAVING LOWER(FIRST_VALUE(status)) <> 'pending'

-- case: with_rollup
-- collation: category: MySQL groups 'Office' and 'office' together and which spelling it shows is unspecified
SELECT category, SUM(stock) AS units FROM products GROUP BY category WITH ROLLUP;
-- flink:
SELECT CASE WHEN GROUPING(LOWER(category)) = 1 THEN CAST(NULL AS VARCHAR(30)) ELSE FIRST_VALUE(category) END AS category, SUM(CAST(stock AS DECIMAL(38, 0))) AS units FROM products GROUP BY ROLLUP(LOWER(category))

-- case: with_rollup_two_columns
-- collation: status: MySQL groups 'shipped', 'Shipped' and 'SHIPPED' together and which spelling it shows is unspecified
SELECT customer_id, status, COUNT(*) AS n FROM orders WHERE customer_id < 4 GROUP BY customer_id, status WITH ROLLUP;
-- flink:
SELECT customer_id, CASE WHEN GROUPING(LOWER(status)) = 1 THEN CAST(NULL AS VARCHAR(20)) ELSE FIRST_VALUE(status) END AS status, COUNT(*) AS n FROM orders WHERE customer_id < 4 GROUP BY ROLLUP(customer_id, LOWER(status))

-- case: group_concat_default
-- (GROUP_CONCAT's element order is unspecified without ORDER BY, in MySQL as in Flink: one element per group here.)
SELECT category, GROUP_CONCAT(id) AS ids FROM products WHERE category = 'Sport' AND price > 100 GROUP BY category;
-- flink:
SELECT FIRST_VALUE(category) AS category, LISTAGG(CAST(id AS STRING), ',') AS ids FROM products WHERE LOWER(category) = 'sport' AND price > 100 GROUP BY LOWER(category)

-- case: group_concat_separator
-- Customer 5's orders are both shipped: GROUP_CONCAT without ORDER BY joins in no specified order.
SELECT customer_id, GROUP_CONCAT(status SEPARATOR '|') AS statuses FROM orders WHERE customer_id = 5 GROUP BY customer_id;
-- flink:
SELECT customer_id, LISTAGG(status, '|') AS statuses FROM orders WHERE customer_id = 5 GROUP BY customer_id

-- case: group_concat_distinct
SELECT COUNT(*) AS n, GROUP_CONCAT(DISTINCT country) AS countries FROM customers WHERE country = 'Germany';
-- flink:
SELECT COUNT(*) AS n, LISTAGG(DISTINCT country, ',') AS countries FROM customers WHERE LOWER(country) = 'germany'

-- case: avg_integer_is_decimal
SELECT AVG(stock) AS avg_stock FROM products;
-- flink:
SELECT CAST(AVG(CAST(stock AS DECIMAL(38, 4))) AS DECIMAL(38, 4)) AS avg_stock FROM products

-- case: avg_decimal
-- collation: category: MySQL groups 'Office' and 'office' together and which spelling it shows is unspecified
SELECT category, AVG(price) AS avg_price FROM products GROUP BY category;
-- flink:
SELECT FIRST_VALUE(category) AS category, CAST(AVG(CAST(price AS DECIMAL(38, 6))) AS DECIMAL(38, 6)) AS avg_price FROM products GROUP BY LOWER(category)

-- case: avg_double
SELECT AVG(weight) AS w FROM products;
-- flink:
SELECT AVG(weight) AS w FROM products

-- case: sum_min_max_count
SELECT COUNT(*) AS n, COUNT(email) AS with_email, COUNT(DISTINCT country) AS countries, MIN(created_at) AS first, MAX(credit_limit) AS top FROM customers;
-- flink:
SELECT COUNT(*) AS n, COUNT(email) AS with_email, COUNT(DISTINCT country) AS countries, MIN(created_at) AS first, MAX(credit_limit) AS top FROM customers

-- case: sum_of_expression
SELECT order_id, SUM(quantity * unit_price) AS gross FROM order_items GROUP BY order_id;
-- flink:
SELECT order_id, SUM(quantity * unit_price) AS gross FROM order_items GROUP BY order_id

-- case: stddev_population
SELECT STDDEV(price) AS sd, STDDEV_SAMP(price) AS sds, VARIANCE(stock) AS v FROM products;
-- flink:
SELECT STDDEV_POP(CAST(price AS DOUBLE)) AS sd, STDDEV_SAMP(CAST(price AS DOUBLE)) AS sds, VAR_POP(CAST(stock AS DOUBLE)) AS v FROM products

-- case: count_distinct_expression
SELECT COUNT(DISTINCT YEAR(order_date)) AS years FROM orders;
-- flink:
SELECT COUNT(DISTINCT YEAR(order_date)) AS years FROM orders

-- case: row_number_partition
SELECT id, customer_id, ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY order_date) AS nth FROM orders;
-- flink:
SELECT id, customer_id, ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY order_date) AS nth FROM orders

-- case: rank_dense_rank
SELECT name, price, RANK() OVER (ORDER BY price DESC) AS r, DENSE_RANK() OVER (ORDER BY price DESC) AS dr FROM products;
-- flink:
SELECT name, price, RANK() OVER (ORDER BY price DESC) AS r, DENSE_RANK() OVER (ORDER BY price DESC) AS dr FROM products

-- case: running_total
SELECT id, total, SUM(total) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running FROM orders;
-- flink:
SELECT id, total, SUM(total) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS `running` FROM orders

-- case: lag_lead
SELECT id, total, LAG(total) OVER (ORDER BY id) AS prev, LEAD(total, 1) OVER (ORDER BY id) AS next FROM orders;
-- flink:
SELECT id, total, LAG(total) OVER (ORDER BY id) AS `prev`, LEAD(total, 1) OVER (ORDER BY id) AS `next` FROM orders

-- case: window_aggregate_partition
SELECT id, customer_id, total, MAX(total) OVER (PARTITION BY customer_id) AS best FROM orders;
-- flink:
SELECT id, customer_id, total, MAX(total) OVER (PARTITION BY customer_id) AS best FROM orders

-- case: first_value
SELECT id, customer_id, FIRST_VALUE(total) OVER (PARTITION BY customer_id ORDER BY order_date) AS first_total FROM orders;
-- flink:
SELECT id, customer_id, FIRST_VALUE(total) OVER (PARTITION BY customer_id ORDER BY order_date) AS first_total FROM orders

-- case: ntile
SELECT id, NTILE(4) OVER (ORDER BY total) AS quartile FROM orders;
-- flink:
SELECT id, NTILE(4) OVER (ORDER BY total) AS quartile FROM orders

-- case: group_by_having_order_limit
SELECT customer_id, COUNT(*) AS n, SUM(total) AS spent FROM orders GROUP BY customer_id HAVING n > 1 ORDER BY spent DESC LIMIT 3;
-- flink:
SELECT customer_id, COUNT(*) AS n, SUM(total) AS spent FROM orders GROUP BY customer_id HAVING COUNT(*) > 1 ORDER BY spent DESC LIMIT 3

-- case: elt_on_flink_2
-- target: 2.2
SELECT id, ELT(priority, 'high', 'normal', 'low') AS lane FROM orders WHERE priority IS NOT NULL;
-- flink:
SELECT id, ELT(priority, 'high', 'normal', 'low') AS lane FROM orders WHERE priority IS NOT NULL

-- case: regexp_substr_on_flink_2
-- target: 2.2
SELECT REGEXP_SUBSTR(email, '[a-z]+') AS first_word FROM customers WHERE email IS NOT NULL;
-- flink:
SELECT REGEXP_SUBSTR(email, '(?i)[a-z]+') AS first_word FROM customers WHERE email IS NOT NULL

-- case: group_by_computed_string_key
-- collation: lane: MySQL groups 'shipped/1' and 'Shipped/1' together and which spelling it shows is unspecified
SELECT CONCAT(status, '/', priority) AS lane, COUNT(*) AS n FROM orders GROUP BY lane;
-- flink:
SELECT FIRST_VALUE(CONCAT(status, '/', CAST(priority AS STRING))) AS lane, COUNT(*) AS n FROM orders GROUP BY LOWER(CONCAT(status, '/', CAST(priority AS STRING)))

-- case: distinct_computed_string
-- collation: head: MySQL groups 'shipped', 'Shipped' and 'SHIPPED' together and which spelling it shows is unspecified
SELECT DISTINCT SUBSTRING(status, 1, 4) AS head FROM orders;
-- flink:
SELECT FIRST_VALUE(SUBSTR(status, 1, 4)) AS head FROM orders GROUP BY LOWER(SUBSTR(status, 1, 4))

-- case: group_by_computed_key_ordinal_and_order
-- collation: s3: MySQL groups 'shipped', 'Shipped' and 'SHIPPED' together and which spelling it shows is unspecified
SELECT LEFT(status, 3) AS s3, SUM(total) AS revenue FROM orders GROUP BY 1 ORDER BY 1;
-- flink:
SELECT FIRST_VALUE(LEFT(status, 3)) AS s3, SUM(total) AS revenue FROM orders GROUP BY LOWER(LEFT(status, 3)) ORDER BY LOWER(LEFT(status, 3))

-- case: group_by_upper_needs_no_folding
SELECT UPPER(status) AS s, COUNT(*) AS n FROM orders GROUP BY UPPER(status);
-- flink:
SELECT UPPER(status) AS s, COUNT(*) AS n FROM orders GROUP BY UPPER(status)

-- case: sum_of_bigints_past_the_bigint_range
SELECT SUM(x) AS s FROM (SELECT 9223372036854775807 AS x UNION ALL SELECT 9223372036854775807) t;
-- flink:
SELECT SUM(CAST(x AS DECIMAL(38, 0))) AS s FROM (SELECT 9223372036854775807 AS x UNION ALL SELECT 9223372036854775807) AS t
