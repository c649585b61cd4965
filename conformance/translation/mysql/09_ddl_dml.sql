-- MySQL DDL and DML: CREATE TABLE (Sakila- and shop-style), CREATE VIEW, INSERT, DROP, USE.
-- CREATE TABLE takes its connector options from the session (`-- with:`) when it has none.

-- case: create_table_sakila_actor
-- with: 'connector' = 'blackhole'
CREATE TABLE actor (
  actor_id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT,
  first_name VARCHAR(45) NOT NULL,
  last_name VARCHAR(45) NOT NULL,
  last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (actor_id),
  KEY idx_actor_last_name (last_name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
-- flink:
CREATE TABLE actor (actor_id INT NOT NULL, first_name VARCHAR(45) NOT NULL, last_name VARCHAR(45) NOT NULL, last_update TIMESTAMP(0) NOT NULL, PRIMARY KEY (actor_id) NOT ENFORCED) WITH ('connector' = 'blackhole')

-- case: create_table_sakila_film
-- with: 'connector' = 'blackhole'
CREATE TABLE film (
  film_id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT,
  title VARCHAR(128) NOT NULL,
  description TEXT DEFAULT NULL,
  release_year YEAR DEFAULT NULL,
  language_id TINYINT UNSIGNED NOT NULL,
  rental_duration TINYINT UNSIGNED NOT NULL DEFAULT 3,
  rental_rate DECIMAL(4,2) NOT NULL DEFAULT 4.99,
  length SMALLINT UNSIGNED DEFAULT NULL,
  replacement_cost DECIMAL(5,2) NOT NULL DEFAULT 19.99,
  rating ENUM('G','PG','PG-13','R','NC-17') DEFAULT 'G',
  special_features SET('Trailers','Commentaries','Deleted Scenes','Behind the Scenes') DEFAULT NULL,
  last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (film_id),
  KEY idx_title (title),
  CONSTRAINT fk_film_language FOREIGN KEY (language_id) REFERENCES language (language_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
-- flink:
CREATE TABLE film (film_id INT NOT NULL, title VARCHAR(128) NOT NULL, description STRING, release_year INT, language_id SMALLINT NOT NULL, rental_duration SMALLINT NOT NULL, rental_rate DECIMAL(4, 2) NOT NULL, length INT, replacement_cost DECIMAL(5, 2) NOT NULL, rating STRING, special_features STRING, last_update TIMESTAMP(0) NOT NULL, PRIMARY KEY (film_id) NOT ENFORCED) WITH ('connector' = 'blackhole')

-- case: create_table_all_integer_types
-- with: 'connector' = 'blackhole'
CREATE TABLE ints (a TINYINT, b TINYINT UNSIGNED, c SMALLINT, d SMALLINT UNSIGNED, e MEDIUMINT, f INT, g INT UNSIGNED, h BIGINT, i BIGINT UNSIGNED, j TINYINT(1), k BOOLEAN, l BIT(1), m BIT(8));
-- flink:
CREATE TABLE ints (a TINYINT, b SMALLINT, c SMALLINT, d INT, e INT, f INT, g BIGINT, h BIGINT, i DECIMAL(20, 0), j BOOLEAN, k BOOLEAN, l BOOLEAN, m BYTES) WITH ('connector' = 'blackhole')

-- case: create_table_numeric_types
-- with: 'connector' = 'blackhole'
CREATE TABLE nums (a DECIMAL(10,2), b DECIMAL, c NUMERIC(5), d DECIMAL(65,10), e FLOAT, f DOUBLE, g REAL, h DOUBLE PRECISION);
-- flink:
CREATE TABLE nums (a DECIMAL(10, 2), b DECIMAL(10, 0), c DECIMAL(5, 0), d STRING, e FLOAT, f DOUBLE, g DOUBLE, h DOUBLE) WITH ('connector' = 'blackhole')

-- case: create_table_temporal_types
-- with: 'connector' = 'blackhole'
CREATE TABLE times (a DATE, b DATETIME, c DATETIME(3), d TIMESTAMP(6), e TIME, f YEAR);
-- flink:
CREATE TABLE times (a DATE, b TIMESTAMP(0), c TIMESTAMP(3), d TIMESTAMP(6), e TIME(0), f INT) WITH ('connector' = 'blackhole')

-- case: create_table_string_types
-- with: 'connector' = 'blackhole'
CREATE TABLE strs (a CHAR(2), b VARCHAR(255), c TINYTEXT, d TEXT, e MEDIUMTEXT, f LONGTEXT, g BINARY(16), h VARBINARY(64), i BLOB, j LONGBLOB, k JSON);
-- flink:
CREATE TABLE strs (a CHAR(2), b VARCHAR(255), c STRING, d STRING, e STRING, f STRING, g BYTES, h BYTES, i BYTES, j BYTES, k STRING) WITH ('connector' = 'blackhole')

-- case: create_table_own_with
CREATE TABLE events (id BIGINT, name VARCHAR(100), PRIMARY KEY (id)) WITH ('connector' = 'datagen', 'number-of-rows' = '10');
-- flink:
CREATE TABLE events (id BIGINT, name VARCHAR(100), PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'datagen', 'number-of-rows' = '10')

-- case: create_table_comments
-- with: 'connector' = 'blackhole'
CREATE TABLE tagged (id INT NOT NULL COMMENT 'the key', label VARCHAR(20) COMMENT 'shown to users') COMMENT = 'tags table';
-- flink:
CREATE TABLE tagged (id INT NOT NULL COMMENT 'the key', label VARCHAR(20) COMMENT 'shown to users') COMMENT 'tags table' WITH ('connector' = 'blackhole')

-- case: create_table_charset_collate_columns
-- with: 'connector' = 'blackhole'
CREATE TABLE names (id INT PRIMARY KEY, n VARCHAR(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL, UNIQUE KEY uq_n (n)) ENGINE=MyISAM AUTO_INCREMENT=100 ROW_FORMAT=DYNAMIC;
-- flink:
CREATE TABLE names (id INT, n VARCHAR(20) NOT NULL, PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'blackhole')

-- case: create_table_reserved_column_names
-- with: 'connector' = 'blackhole'
CREATE TABLE kv (`key` VARCHAR(50) NOT NULL, `value` TEXT, `timestamp` DATETIME, PRIMARY KEY (`key`));
-- flink:
CREATE TABLE kv (key VARCHAR(50) NOT NULL, `value` STRING, `timestamp` TIMESTAMP(0), PRIMARY KEY (key) NOT ENFORCED) WITH ('connector' = 'blackhole')

-- case: create_temporary_table_if_not_exists
-- with: 'connector' = 'blackhole'
CREATE TEMPORARY TABLE IF NOT EXISTS scratch (id INT, note VARCHAR(10));
-- flink:
CREATE TEMPORARY TABLE IF NOT EXISTS scratch (id INT, note VARCHAR(10)) WITH ('connector' = 'blackhole')

-- case: create_table_composite_key
-- with: 'connector' = 'blackhole'
CREATE TABLE film_actor (actor_id SMALLINT UNSIGNED NOT NULL, film_id SMALLINT UNSIGNED NOT NULL, last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY (actor_id, film_id), KEY idx_fk_film_id (film_id));
-- flink:
CREATE TABLE film_actor (actor_id INT NOT NULL, film_id INT NOT NULL, last_update TIMESTAMP(0) NOT NULL, PRIMARY KEY (actor_id, film_id) NOT ENFORCED) WITH ('connector' = 'blackhole')

-- case: create_table_options_placeholder
-- with: 'connector' = 'filesystem', 'path' = '/data/#{table}', 'format' = 'csv'
CREATE TABLE city (city_id INT NOT NULL, city VARCHAR(50) NOT NULL, PRIMARY KEY (city_id));
-- flink:
CREATE TABLE city (city_id INT NOT NULL, city VARCHAR(50) NOT NULL, PRIMARY KEY (city_id) NOT ENFORCED) WITH ('connector' = 'filesystem', 'path' = '/data/city', 'format' = 'csv')

-- case: create_table_as_select
-- with: 'connector' = 'blackhole'
CREATE TABLE big_orders AS SELECT id, total FROM orders WHERE total > 100;
-- flink:
CREATE TABLE big_orders WITH ('connector' = 'blackhole') AS SELECT id, total FROM orders WHERE total > 100

-- case: create_view
CREATE VIEW shipped_orders AS SELECT id, customer_id, total FROM orders WHERE status = 'shipped';
-- flink:
CREATE VIEW shipped_orders AS SELECT id, customer_id, total FROM orders WHERE LOWER(status) = 'shipped'

-- case: create_view_with_columns
CREATE VIEW customer_totals (customer_id, spent) AS SELECT customer_id, SUM(total) FROM orders GROUP BY customer_id;
-- flink:
CREATE VIEW customer_totals (customer_id, spent) AS SELECT customer_id, SUM(total) FROM orders GROUP BY customer_id

-- case: create_view_algorithm_definer
CREATE ALGORITHM=MERGE DEFINER=CURRENT_USER SQL SECURITY INVOKER VIEW active_customers AS SELECT id, name FROM customers WHERE active;
-- flink:
CREATE VIEW active_customers AS SELECT id, name FROM customers WHERE active <> 0

-- case: insert_values
INSERT INTO orders (id, customer_id, order_date, status, total, shipped_at, priority) VALUES (2001, 1, '2025-01-01', 'pending', 10.00, NULL, 2);
-- flink:
INSERT INTO orders (id, customer_id, order_date, status, total, shipped_at, priority) VALUES (2001, 1, DATE '2025-01-01', 'pending', 10.00, CAST(NULL AS TIMESTAMP(0)), 2)

-- case: insert_select
INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price, discount) SELECT id, 1, 111, 1, total, NULL FROM orders WHERE status = 'pending';
-- flink:
INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price, discount) SELECT id, 1, 111, 1, total, CAST(NULL AS DECIMAL(4, 2)) FROM orders WHERE LOWER(status) = 'pending'

-- case: insert_select_with_limit
INSERT INTO customers SELECT * FROM customers ORDER BY id LIMIT 2, 2;
-- flink:
INSERT INTO customers SELECT * FROM customers ORDER BY id LIMIT 2 OFFSET 2

-- case: drop_table
DROP TABLE IF EXISTS actor;
-- flink:
DROP TABLE IF EXISTS actor

-- case: drop_temporary_table
DROP TEMPORARY TABLE IF EXISTS scratch;
-- flink:
DROP TEMPORARY TABLE IF EXISTS scratch

-- case: drop_view
DROP VIEW shipped_orders;
-- flink:
DROP VIEW shipped_orders

-- case: use_database
USE shop;
-- flink:
USE shop
