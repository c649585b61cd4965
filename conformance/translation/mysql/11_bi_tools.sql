-- Queries as BI tools generate them against MySQL (Metabase, Superset, Tableau, Looker,
-- Grafana, a Power BI-style table view): backquoted qualified names, aliases with punctuation,
-- GROUP BY ordinals, LIMIT offset, count.

-- case: metabase_table_view
SELECT `products`.`id` AS `id`, `products`.`name` AS `name`, `products`.`category` AS `category`, `products`.`price` AS `price` FROM `products` ORDER BY `products`.`id` ASC LIMIT 2000;
-- flink:
SELECT products.id AS id, products.name AS name, products.category AS category, products.price AS price FROM products ORDER BY products.id LIMIT 2000

-- case: metabase_count_by_category
-- collation: category: MySQL groups 'Office' and 'office' together and which spelling it shows is unspecified
SELECT `products`.`category` AS `category`, COUNT(*) AS `count` FROM `products` GROUP BY `products`.`category` ORDER BY `products`.`category` ASC;
-- flink:
SELECT FIRST_VALUE(products.category) AS category, COUNT(*) AS `count` FROM products GROUP BY LOWER(products.category) ORDER BY LOWER(products.category)

-- case: metabase_sum_by_month
SELECT str_to_date(concat(date_format(`orders`.`order_date`, '%Y-%m'), '-01'), '%Y-%m-%d') AS `order_date`, sum(`orders`.`total`) AS `sum` FROM `orders` GROUP BY str_to_date(concat(date_format(`orders`.`order_date`, '%Y-%m'), '-01'), '%Y-%m-%d') ORDER BY str_to_date(concat(date_format(`orders`.`order_date`, '%Y-%m'), '-01'), '%Y-%m-%d') ASC;
-- flink:
SELECT TO_DATE(CONCAT(DATE_FORMAT(CAST(orders.order_date AS TIMESTAMP(0)), 'yyyy-MM'), '-01'), 'yyyy-MM-dd') AS order_date, SUM(orders.total) AS `sum` FROM orders GROUP BY TO_DATE(CONCAT(DATE_FORMAT(CAST(orders.order_date AS TIMESTAMP(0)), 'yyyy-MM'), '-01'), 'yyyy-MM-dd') ORDER BY TO_DATE(CONCAT(DATE_FORMAT(CAST(orders.order_date AS TIMESTAMP(0)), 'yyyy-MM'), '-01'), 'yyyy-MM-dd')

-- case: metabase_filtered_average
-- collation: status: MySQL groups 'shipped', 'Shipped' and 'SHIPPED' together and which spelling it shows is unspecified
SELECT `orders`.`status` AS `status`, avg(`orders`.`total`) AS `avg` FROM `orders` WHERE (`orders`.`status` <> 'cancelled' OR `orders`.`status` IS NULL) GROUP BY `orders`.`status` ORDER BY `orders`.`status` ASC;
-- flink:
SELECT FIRST_VALUE(orders.status) AS status, CAST(AVG(CAST(orders.total AS DECIMAL(38, 6))) AS DECIMAL(38, 6)) AS `avg` FROM orders WHERE LOWER(orders.status) <> 'cancelled' OR orders.status IS NULL GROUP BY LOWER(orders.status) ORDER BY LOWER(orders.status)

-- case: superset_top_statuses
-- collation: status: MySQL groups 'shipped', 'Shipped' and 'SHIPPED' together and which spelling it shows is unspecified
SELECT `status` AS `status`, COUNT(*) AS `count` FROM `orders` GROUP BY `status` ORDER BY `count` DESC, `status` LIMIT 10000;
-- flink:
SELECT FIRST_VALUE(status) AS status, COUNT(*) AS `count` FROM orders GROUP BY LOWER(status) ORDER BY `count` DESC, LOWER(status) LIMIT 10000

-- case: superset_time_series
SELECT DATE_FORMAT(`order_date`, '%Y-%m-01') AS `__timestamp`, SUM(`total`) AS `SUM(total)` FROM `orders` WHERE `order_date` >= '2024-01-01' AND `order_date` < '2024-04-01' GROUP BY DATE_FORMAT(`order_date`, '%Y-%m-01') ORDER BY `SUM(total)` DESC LIMIT 10000;
-- flink:
SELECT DATE_FORMAT(CAST(order_date AS TIMESTAMP(0)), 'yyyy-MM-01') AS __timestamp, SUM(total) AS `SUM(total)` FROM orders WHERE order_date >= DATE '2024-01-01' AND order_date < DATE '2024-04-01' GROUP BY DATE_FORMAT(CAST(order_date AS TIMESTAMP(0)), 'yyyy-MM-01') ORDER BY `SUM(total)` DESC LIMIT 10000

-- case: superset_filter_values
SELECT DISTINCT `country` FROM `customers` ORDER BY `country` LIMIT 1000;
-- flink:
SELECT FIRST_VALUE(country) AS country FROM customers GROUP BY LOWER(country) ORDER BY LOWER(country) LIMIT 1000

-- case: tableau_sum_by_country
SELECT `customers`.`country` AS `country`, SUM(`orders`.`total`) AS `sum:total:ok` FROM `orders` INNER JOIN `customers` ON (`orders`.`customer_id` = `customers`.`id`) GROUP BY 1;
-- flink:
SELECT FIRST_VALUE(customers.country) AS country, SUM(orders.total) AS `sum:total:ok` FROM orders JOIN customers ON orders.customer_id = customers.id GROUP BY LOWER(customers.country)

-- case: tableau_count_distinct
SELECT COUNT(DISTINCT `orders`.`customer_id`) AS `ctd:customer_id:ok` FROM `orders` HAVING (COUNT(1) > 0);
-- flink:
SELECT COUNT(DISTINCT orders.customer_id) AS `ctd:customer_id:ok` FROM orders HAVING COUNT(1) > 0

-- case: tableau_year_totals
SELECT YEAR(`orders`.`order_date`) AS `yr:order_date:ok`, SUM(`orders`.`total`) AS `sum:total:ok` FROM `orders` GROUP BY 1;
-- flink:
SELECT YEAR(orders.order_date) AS `yr:order_date:ok`, SUM(orders.total) AS `sum:total:ok` FROM orders GROUP BY YEAR(orders.order_date)

-- case: tableau_domain_query
-- collation: status: MySQL groups 'shipped', 'Shipped' and 'SHIPPED' together and which spelling it shows is unspecified
SELECT `orders`.`status` AS `status` FROM `orders` GROUP BY 1 ORDER BY `status` ASC;
-- flink:
SELECT FIRST_VALUE(orders.status) AS status FROM orders GROUP BY LOWER(orders.status) ORDER BY LOWER(status)

-- case: looker_country_orders
SELECT `customers`.`country` AS `customers.country`, COUNT(DISTINCT `orders`.`id`) AS `orders.count` FROM `orders` LEFT JOIN `customers` ON `orders`.`customer_id` = `customers`.`id` GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 500;
-- flink:
SELECT FIRST_VALUE(customers.country) AS `customers.country`, COUNT(DISTINCT orders.id) AS `orders.count` FROM orders LEFT JOIN customers ON orders.customer_id = customers.id GROUP BY LOWER(customers.country) ORDER BY 2 DESC, LOWER(customers.country) LIMIT 500

-- case: grafana_time_series
SELECT UNIX_TIMESTAMP(`shipped_at`) AS time_sec, `total` AS value, 'orders' AS metric FROM `orders` WHERE `shipped_at` IS NOT NULL ORDER BY `shipped_at`, `id`;
-- flink:
SELECT UNIX_TIMESTAMP(CAST(shipped_at AS STRING)) AS time_sec, total AS `value`, 'orders' AS metric FROM orders WHERE shipped_at IS NOT NULL ORDER BY shipped_at, id

-- case: table_view_page
SELECT `c`.`name`, `c`.`city` FROM `customers` `c` WHERE `c`.`active` = 1 AND `c`.`city` IS NOT NULL ORDER BY `c`.`id` LIMIT 0, 5;
-- flink:
SELECT c.name, c.city FROM customers AS c WHERE c.active = 1 AND c.city IS NOT NULL ORDER BY c.id LIMIT 5 OFFSET 0
