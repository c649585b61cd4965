-- MySQL joins, subqueries, derived tables, CTEs and set operations.

-- case: inner_join
SELECT c.name, o.id, o.total FROM customers c JOIN orders o ON o.customer_id = c.id;
-- flink:
SELECT c.name, o.id, o.total FROM customers AS c JOIN orders AS o ON o.customer_id = c.id

-- case: inner_join_keyword
SELECT c.name, o.id FROM customers c INNER JOIN orders o ON o.customer_id = c.id WHERE o.status = 'pending';
-- flink:
SELECT c.name, o.id FROM customers AS c JOIN orders AS o ON o.customer_id = c.id WHERE LOWER(o.status) = 'pending'

-- case: left_join_with_nulls
SELECT c.name, o.id FROM customers c LEFT JOIN orders o ON o.customer_id = c.id WHERE o.id IS NULL;
-- flink:
SELECT c.name, o.id FROM customers AS c LEFT JOIN orders AS o ON o.customer_id = c.id WHERE o.id IS NULL

-- case: left_outer_join
SELECT p.name, SUM(oi.quantity) AS sold FROM products p LEFT OUTER JOIN order_items oi ON oi.product_id = p.id GROUP BY p.name;
-- flink:
SELECT FIRST_VALUE(p.name) AS name, SUM(CAST(oi.quantity AS DECIMAL(38, 0))) AS sold FROM products AS p LEFT JOIN order_items AS oi ON oi.product_id = p.id GROUP BY LOWER(p.name)

-- case: right_join
SELECT o.id, c.name FROM orders o RIGHT JOIN customers c ON c.id = o.customer_id WHERE c.id > 8;
-- flink:
SELECT o.id, c.name FROM orders AS o RIGHT JOIN customers AS c ON c.id = o.customer_id WHERE c.id > 8

-- case: three_way_join
SELECT c.name, p.name AS product, oi.quantity FROM customers c JOIN orders o ON o.customer_id = c.id JOIN order_items oi ON oi.order_id = o.id JOIN products p ON p.id = oi.product_id WHERE c.country = 'germany';
-- flink:
SELECT c.name, p.name AS product, oi.quantity FROM customers AS c JOIN orders AS o ON o.customer_id = c.id JOIN order_items AS oi ON oi.order_id = o.id JOIN products AS p ON p.id = oi.product_id WHERE LOWER(c.country) = 'germany'

-- case: comma_join
SELECT c.name, o.total FROM customers c, orders o WHERE c.id = o.customer_id AND o.total > 200;
-- flink:
SELECT c.name, o.total FROM customers AS c, orders AS o WHERE c.id = o.customer_id AND o.total > 200

-- case: join_using
SELECT order_id, line_no, quantity FROM order_items JOIN (SELECT id AS order_id, status FROM orders) o USING (order_id) WHERE status = 'cancelled';
-- flink:
SELECT order_id, line_no, quantity FROM order_items JOIN (SELECT id AS order_id, status FROM orders) AS o USING (order_id) WHERE LOWER(status) = 'cancelled'

-- case: cross_join
-- names differ: Flink makes a result's column names unique: the second id is id0
-- weir names: ["id", "id0"]
SELECT c.id, p.id FROM customers c CROSS JOIN products p WHERE c.id = 1 AND p.id < 103;
-- flink:
SELECT c.id, p.id FROM customers AS c CROSS JOIN products AS p WHERE c.id = 1 AND p.id < 103

-- case: straight_join
SELECT c.name, o.id FROM customers c STRAIGHT_JOIN orders o ON o.customer_id = c.id WHERE o.id = 1001;
-- flink:
SELECT c.name, o.id FROM customers AS c JOIN orders AS o ON o.customer_id = c.id WHERE o.id = 1001

-- case: self_join
SELECT a.id AS first, b.id AS second FROM orders a JOIN orders b ON a.customer_id = b.customer_id AND a.id < b.id;
-- flink:
SELECT a.id AS first, b.id AS `second` FROM orders AS a JOIN orders AS b ON a.customer_id = b.customer_id AND a.id < b.id

-- case: in_subquery
SELECT name FROM customers WHERE id IN (SELECT customer_id FROM orders WHERE total > 300);
-- flink:
SELECT name FROM customers WHERE id IN (SELECT customer_id FROM orders WHERE total > 300)

-- case: not_in_subquery
SELECT name FROM products WHERE id NOT IN (SELECT product_id FROM order_items);
-- flink:
SELECT name FROM products WHERE id NOT IN (SELECT product_id FROM order_items)

-- case: exists_correlated
SELECT c.name FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.status = 'returned');
-- flink:
SELECT c.name FROM customers AS c WHERE EXISTS (SELECT 1 FROM orders AS o WHERE o.customer_id = c.id AND LOWER(o.status) = 'returned')

-- case: not_exists_correlated
SELECT c.name FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id);
-- flink:
SELECT c.name FROM customers AS c WHERE NOT EXISTS (SELECT 1 FROM orders AS o WHERE o.customer_id = c.id)

-- case: scalar_subquery
SELECT name, price, (SELECT MAX(price) FROM products) AS top_price FROM products WHERE category = 'Kitchen';
-- flink:
SELECT name, price, (SELECT MAX(price) FROM products) AS top_price FROM products WHERE LOWER(category) = 'kitchen'

-- case: correlated_scalar_subquery
SELECT c.name, (SELECT COUNT(*) FROM orders o WHERE o.customer_id = c.id) AS orders FROM customers c;
-- flink:
SELECT c.name, (SELECT COUNT(*) FROM orders AS o WHERE o.customer_id = c.id) AS orders FROM customers AS c

-- case: subquery_comparison
SELECT id, total FROM orders WHERE total > (SELECT AVG(total) FROM orders);
-- flink:
SELECT id, total FROM orders WHERE total > (SELECT CAST(AVG(CAST(total AS DECIMAL(38, 6))) AS DECIMAL(38, 6)) FROM orders)

-- case: derived_table
SELECT t.customer_id, t.spent FROM (SELECT customer_id, SUM(total) AS spent FROM orders GROUP BY customer_id) t WHERE t.spent > 200;
-- flink:
SELECT t.customer_id, t.spent FROM (SELECT customer_id, SUM(total) AS spent FROM orders GROUP BY customer_id) AS t WHERE t.spent > 200

-- case: derived_table_numeric_condition
SELECT t.name FROM (SELECT name, active FROM customers) AS t WHERE t.active;
-- flink:
SELECT t.name FROM (SELECT name, active FROM customers) AS t WHERE t.active <> 0

-- case: cte_simple
WITH big AS (SELECT id, customer_id, total FROM orders WHERE total > 100) SELECT customer_id, COUNT(*) AS n FROM big GROUP BY customer_id;
-- flink:
WITH big AS (SELECT id, customer_id, total FROM orders WHERE total > 100) SELECT customer_id, COUNT(*) AS n FROM big GROUP BY customer_id

-- case: cte_two
WITH spend AS (SELECT customer_id, SUM(total) AS s FROM orders GROUP BY customer_id), best AS (SELECT MAX(s) AS m FROM spend) SELECT spend.customer_id FROM spend, best WHERE spend.s = best.m;
-- flink:
WITH spend AS (SELECT customer_id, SUM(total) AS s FROM orders GROUP BY customer_id), best AS (SELECT MAX(s) AS m FROM spend) SELECT spend.customer_id FROM spend, best WHERE spend.s = best.m

-- case: union_distinct
SELECT city FROM customers WHERE country = 'Germany' UNION SELECT city FROM customers WHERE country = 'Portugal';
-- flink:
SELECT city FROM customers WHERE LOWER(country) = 'germany' UNION SELECT city FROM customers WHERE LOWER(country) = 'portugal'

-- case: union_all
SELECT id FROM customers WHERE id < 3 UNION ALL SELECT id FROM customers WHERE id < 2;
-- flink:
SELECT id FROM customers WHERE id < 3 UNION ALL SELECT id FROM customers WHERE id < 2

-- case: union_order_limit
SELECT name FROM customers WHERE active = 0 UNION SELECT name FROM products WHERE stock = 0 ORDER BY name LIMIT 10;
-- flink:
SELECT name FROM customers WHERE active = 0 UNION SELECT name FROM products WHERE stock = 0 ORDER BY name LIMIT 10

-- case: except_intersect
SELECT customer_id FROM orders WHERE status = 'shipped' EXCEPT SELECT customer_id FROM orders WHERE status = 'pending';
-- flink:
SELECT customer_id FROM orders WHERE LOWER(status) = 'shipped' EXCEPT SELECT customer_id FROM orders WHERE LOWER(status) = 'pending'

-- case: intersect
SELECT customer_id FROM orders WHERE status = 'shipped' INTERSECT SELECT customer_id FROM orders WHERE status = 'cancelled';
-- flink:
SELECT customer_id FROM orders WHERE LOWER(status) = 'shipped' INTERSECT SELECT customer_id FROM orders WHERE LOWER(status) = 'cancelled'

-- case: join_on_case_insensitive_strings
SELECT p.name FROM products p JOIN products q ON p.category = q.category AND q.id = 104 WHERE p.id <> 104;
-- flink:
SELECT p.name FROM products AS p JOIN products AS q ON LOWER(p.category) = LOWER(q.category) AND q.id = 104 WHERE p.id <> 104

-- case: column_names_any_case
SELECT ID, Name, CITY FROM customers WHERE ID = 1;
-- flink:
SELECT id AS ID, name AS Name, city AS CITY FROM customers WHERE id = 1
