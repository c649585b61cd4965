-- Report queries in the style of TPC-H and BI tools, over the shop tables.

-- case: revenue_by_category
-- collation: category: MySQL groups 'Office' and 'office' together and which spelling it shows is unspecified
SELECT p.category, SUM(oi.quantity * oi.unit_price * (1 - IFNULL(oi.discount, 0))) AS revenue FROM order_items oi JOIN products p ON p.id = oi.product_id JOIN orders o ON o.id = oi.order_id WHERE o.status <> 'cancelled' GROUP BY p.category ORDER BY revenue DESC;
-- flink:
SELECT FIRST_VALUE(p.category) AS category, SUM(oi.quantity * oi.unit_price * (1 - COALESCE(oi.discount, 0))) AS revenue FROM order_items AS oi JOIN products AS p ON p.id = oi.product_id JOIN orders AS o ON o.id = oi.order_id WHERE LOWER(o.status) <> 'cancelled' GROUP BY LOWER(p.category) ORDER BY revenue DESC

-- case: monthly_shipped_revenue
SELECT DATE_FORMAT(o.order_date, '%Y-%m') AS month, COUNT(DISTINCT o.customer_id) AS customers, SUM(o.total) AS revenue FROM orders o WHERE o.status = 'shipped' GROUP BY month ORDER BY month;
-- flink:
SELECT DATE_FORMAT(CAST(o.order_date AS TIMESTAMP(0)), 'yyyy-MM') AS `month`, COUNT(DISTINCT o.customer_id) AS customers, SUM(o.total) AS revenue FROM orders AS o WHERE LOWER(o.status) = 'shipped' GROUP BY DATE_FORMAT(CAST(o.order_date AS TIMESTAMP(0)), 'yyyy-MM') ORDER BY `month`

-- case: top_customers
SELECT c.name, c.country, SUM(o.total) AS spent FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.name, c.country ORDER BY spent DESC LIMIT 3;
-- flink:
SELECT FIRST_VALUE(c.name) AS name, FIRST_VALUE(c.country) AS country, SUM(o.total) AS spent FROM customers AS c JOIN orders AS o ON o.customer_id = c.id GROUP BY LOWER(c.name), LOWER(c.country) ORDER BY spent DESC LIMIT 3

-- case: shipping_delay_report
SELECT o.priority, AVG(DATEDIFF(o.shipped_at, o.order_date)) AS avg_days, MAX(DATEDIFF(o.shipped_at, o.order_date)) AS max_days FROM orders o WHERE o.shipped_at IS NOT NULL GROUP BY o.priority;
-- flink:
SELECT o.priority, CAST(AVG(CAST(TIMESTAMPDIFF(DAY, o.order_date, CAST(o.shipped_at AS DATE)) AS DECIMAL(38, 4))) AS DECIMAL(38, 4)) AS avg_days, MAX(TIMESTAMPDIFF(DAY, o.order_date, CAST(o.shipped_at AS DATE))) AS max_days FROM orders AS o WHERE o.shipped_at IS NOT NULL GROUP BY o.priority

-- case: pricing_summary
-- collation: category: MySQL groups 'Office' and 'office' together and which spelling it shows is unspecified
SELECT p.category, COUNT(*) AS items, SUM(oi.quantity) AS qty, AVG(oi.unit_price) AS avg_price, AVG(oi.discount) AS avg_disc FROM order_items oi JOIN products p ON p.id = oi.product_id GROUP BY p.category ORDER BY p.category;
-- flink:
SELECT FIRST_VALUE(p.category) AS category, COUNT(*) AS items, SUM(CAST(oi.quantity AS DECIMAL(38, 0))) AS qty, CAST(AVG(CAST(oi.unit_price AS DECIMAL(38, 6))) AS DECIMAL(38, 6)) AS avg_price, CAST(AVG(CAST(oi.discount AS DECIMAL(38, 6))) AS DECIMAL(38, 6)) AS avg_disc FROM order_items AS oi JOIN products AS p ON p.id = oi.product_id GROUP BY LOWER(p.category) ORDER BY LOWER(p.category)

-- case: customers_without_orders_by_country
SELECT c.country, COUNT(*) AS n FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id) GROUP BY c.country;
-- flink:
SELECT FIRST_VALUE(c.country) AS country, COUNT(*) AS n FROM customers AS c WHERE NOT EXISTS (SELECT 1 FROM orders AS o WHERE o.customer_id = c.id) GROUP BY LOWER(c.country)

-- case: order_size_buckets
SELECT CASE WHEN total < 50 THEN 'S' WHEN total < 250 THEN 'M' ELSE 'L' END AS bucket, COUNT(*) AS n, SUM(total) AS s FROM orders GROUP BY bucket;
-- flink:
SELECT CASE WHEN total < 50 THEN 'S' WHEN total < 250 THEN 'M' ELSE 'L' END AS bucket, COUNT(*) AS n, SUM(total) AS s FROM orders GROUP BY CASE WHEN total < 50 THEN 'S' WHEN total < 250 THEN 'M' ELSE 'L' END

-- case: stock_value_share
-- collation: category: MySQL groups 'Office' and 'office' together and which spelling it shows is unspecified
SELECT category, SUM(price * stock) AS value, ROUND(SUM(price * stock) * 100 / (SELECT SUM(price * stock) FROM products), 2) AS pct FROM products GROUP BY category;
-- flink:
SELECT FIRST_VALUE(category) AS category, SUM(price * stock) AS `value`, ROUND(CAST(CAST(SUM(price * stock) * 100 AS DECIMAL(38, 10)) / NULLIF((SELECT SUM(price * stock) FROM products), 0) AS DECIMAL(38, 6)), 2) AS pct FROM products GROUP BY LOWER(category)

-- case: repeat_buyers_ratio
SELECT COUNT(*) AS customers, SUM(IF(n > 1, 1, 0)) AS repeaters FROM (SELECT customer_id, COUNT(*) AS n FROM orders GROUP BY customer_id) t;
-- flink:
SELECT COUNT(*) AS customers, SUM(CAST(CASE WHEN n > 1 THEN 1 ELSE 0 END AS DECIMAL(38, 0))) AS repeaters FROM (SELECT customer_id, COUNT(*) AS n FROM orders GROUP BY customer_id) AS t

-- case: quarterly_pivot
SELECT YEAR(order_date) AS y, SUM(IF(QUARTER(order_date) = 1, total, 0)) AS q1, SUM(IF(QUARTER(order_date) = 2, total, 0)) AS q2, SUM(IF(QUARTER(order_date) = 3, total, 0)) AS q3, SUM(IF(QUARTER(order_date) = 4, total, 0)) AS q4 FROM orders GROUP BY y;
-- flink:
SELECT YEAR(order_date) AS y, SUM(CASE WHEN QUARTER(order_date) = 1 THEN total ELSE 0 END) AS q1, SUM(CASE WHEN QUARTER(order_date) = 2 THEN total ELSE 0 END) AS q2, SUM(CASE WHEN QUARTER(order_date) = 3 THEN total ELSE 0 END) AS q3, SUM(CASE WHEN QUARTER(order_date) = 4 THEN total ELSE 0 END) AS q4 FROM orders GROUP BY YEAR(order_date)

-- case: latest_order_per_customer
SELECT o.customer_id, o.id, o.order_date FROM orders o JOIN (SELECT customer_id, MAX(order_date) AS last_date FROM orders GROUP BY customer_id) l ON l.customer_id = o.customer_id AND l.last_date = o.order_date;
-- flink:
SELECT o.customer_id, o.id, o.order_date FROM orders AS o JOIN (SELECT customer_id, MAX(order_date) AS last_date FROM orders GROUP BY customer_id) AS l ON l.customer_id = o.customer_id AND l.last_date = o.order_date

-- case: rank_within_category
SELECT * FROM (SELECT category, name, price, ROW_NUMBER() OVER (PARTITION BY category ORDER BY price DESC) AS rn FROM products) t WHERE rn = 1;
-- flink:
SELECT * FROM (SELECT category, name, price, ROW_NUMBER() OVER (PARTITION BY LOWER(category) ORDER BY price DESC) AS rn FROM products) AS t WHERE rn = 1

-- case: discount_effect
SELECT oi.order_id, SUM(oi.quantity * oi.unit_price) AS gross, SUM(oi.quantity * oi.unit_price * IFNULL(oi.discount, 0)) AS saved FROM order_items oi GROUP BY oi.order_id HAVING saved > 0;
-- flink:
SELECT oi.order_id, SUM(oi.quantity * oi.unit_price) AS gross, SUM(oi.quantity * oi.unit_price * COALESCE(oi.discount, 0)) AS saved FROM order_items AS oi GROUP BY oi.order_id HAVING SUM(oi.quantity * oi.unit_price * COALESCE(oi.discount, 0)) > 0

-- case: active_customer_contacts
SELECT CONCAT(UPPER(LEFT(name, 1)), LOWER(SUBSTRING(name, 2))) AS display, IFNULL(email, 'n/a') AS email FROM customers WHERE active ORDER BY display;
-- flink:
SELECT CONCAT(UPPER(LEFT(name, 1)), LOWER(SUBSTR(name, 2))) AS display, COALESCE(email, 'n/a') AS email FROM customers WHERE active <> 0 ORDER BY display

-- case: orders_last_days_of_month
SELECT id, order_date FROM orders WHERE order_date = LAST_DAY(order_date);
-- flink:
SELECT id, order_date FROM orders WHERE order_date = TIMESTAMPADD(DAY, -1, TIMESTAMPADD(MONTH, 1, TIMESTAMPADD(DAY, 1 - DAYOFMONTH(order_date), order_date)))

-- case: customers_by_signup_year
SELECT YEAR(created_at) AS signup_year, COUNT(*) AS n, AVG(credit_limit) AS avg_limit FROM customers GROUP BY 1 ORDER BY 1;
-- flink:
SELECT YEAR(created_at) AS signup_year, COUNT(*) AS n, CAST(AVG(CAST(credit_limit AS DECIMAL(38, 6))) AS DECIMAL(38, 6)) AS avg_limit FROM customers GROUP BY YEAR(created_at) ORDER BY 1

-- case: heavy_products
SELECT name, weight, weight * stock AS total_weight FROM products WHERE weight > 5 ORDER BY total_weight DESC;
-- flink:
SELECT name, weight, weight * stock AS total_weight FROM products WHERE weight > 5 ORDER BY total_weight DESC

-- case: product_sales_share_window
SELECT product_id, SUM(quantity) AS q, SUM(SUM(quantity)) OVER () AS all_q FROM order_items GROUP BY product_id;
-- flink:
SELECT product_id, SUM(CAST(quantity AS DECIMAL(38, 0))) AS q, SUM(SUM(CAST(quantity AS DECIMAL(38, 0)))) OVER () AS all_q FROM order_items GROUP BY product_id

-- case: distinct_customers_per_status
-- collation: status: MySQL groups 'shipped', 'Shipped' and 'SHIPPED' together and which spelling it shows is unspecified
SELECT status, COUNT(DISTINCT customer_id) AS customers FROM orders GROUP BY status;
-- flink:
SELECT FIRST_VALUE(status) AS status, COUNT(DISTINCT customer_id) AS customers FROM orders GROUP BY LOWER(status)

-- case: nested_derived_with_filters
SELECT x.country, x.n FROM (SELECT country, COUNT(*) AS n FROM customers WHERE active GROUP BY country) x WHERE x.n >= 1 ORDER BY x.n DESC, x.country;
-- flink:
SELECT x.country, x.n FROM (SELECT FIRST_VALUE(country) AS country, COUNT(*) AS n FROM customers WHERE active <> 0 GROUP BY LOWER(country)) AS x WHERE x.n >= 1 ORDER BY x.n DESC, LOWER(x.country)
