-- MySQL constructs without a faithful Flink translation: refused with ERROR 1235, naming the
-- construct and its position (never dropped).

-- case: refuse_user_variable
SELECT @rank := @rank + 1 AS r, name FROM customers;
-- refused: user variable

-- case: refuse_user_variable_in_where
SELECT name FROM customers WHERE id = @id;
-- refused: user variable @id

-- case: refuse_set_user_variable
SET @limit = 5;
-- refused: SET

-- case: refuse_system_variable
-- Over a table: the bare probe (SELECT @@sql_mode) is answered by Weir itself, as clients need.
SELECT id, @@sql_mode FROM orders;
-- refused: system variable

-- case: refuse_select_for_update
SELECT id FROM orders WHERE id = 1001 FOR UPDATE;
-- refused: FOR UPDATE

-- case: refuse_select_into
SELECT COUNT(*) INTO @n FROM orders;
-- refused: SELECT ... INTO

-- case: refuse_on_duplicate_key
INSERT INTO customers (id, name) VALUES (1, 'x') ON DUPLICATE KEY UPDATE name = 'x';
-- refused: ON DUPLICATE KEY UPDATE

-- case: refuse_replace_into
REPLACE INTO customers (id, name) VALUES (1, 'x');
-- refused: REPLACE INTO

-- case: refuse_insert_ignore
INSERT IGNORE INTO customers (id, name) VALUES (1, 'x');
-- refused: INSERT IGNORE

-- case: refuse_update
UPDATE orders SET status = 'shipped' WHERE id = 1005;
-- refused: UPDATE

-- case: refuse_delete
DELETE FROM orders WHERE id = 1005;
-- refused: DELETE

-- case: refuse_recursive_cte
WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5) SELECT i FROM n;
-- refused: recursive CTE

-- case: refuse_group_concat_order_by
SELECT customer_id, GROUP_CONCAT(status ORDER BY order_date) FROM orders GROUP BY customer_id;
-- refused: GROUP_CONCAT(... ORDER BY ...)

-- case: refuse_find_in_set
SELECT id FROM products WHERE FIND_IN_SET('Sport', category) > 0;
-- refused: FIND_IN_SET

-- case: refuse_format_number
SELECT FORMAT(total, 2) FROM orders;
-- refused: FORMAT

-- case: refuse_field
SELECT id FROM orders ORDER BY FIELD(status, 'pending', 'shipped');
-- refused: FIELD

-- case: refuse_week_default_mode
SELECT WEEK(order_date) FROM orders;
-- refused: WEEK in week mode other than 3

-- case: refuse_week_based_format
SELECT DATE_FORMAT(order_date, '%x-%v') FROM orders;
-- refused: %x

-- case: refuse_ordinal_day_format
SELECT DATE_FORMAT(order_date, '%D %M') FROM orders;
-- refused: %D

-- case: refuse_microsecond_interval
SELECT DATE_ADD(shipped_at, INTERVAL 10 MICROSECOND) FROM orders;
-- refused: MICROSECOND

-- case: refuse_bitwise_and
SELECT id & 1 FROM orders;
-- refused: bitwise

-- case: refuse_bit_count
SELECT BIT_COUNT(id) FROM orders;
-- refused: BIT_COUNT

-- case: refuse_match_against
SELECT id FROM products WHERE MATCH (name) AGAINST ('coffee');
-- refused: MATCH ... AGAINST

-- case: refuse_any_value
SELECT customer_id, ANY_VALUE(status) FROM orders GROUP BY customer_id;
-- refused: ANY_VALUE

-- case: refuse_substring_index_negative
SELECT SUBSTRING_INDEX(email, '.', -1) FROM customers;
-- refused: SUBSTRING_INDEX with a count other than 1

-- case: refuse_json_extract
SELECT JSON_EXTRACT('{"a": 1}', '$.a');
-- refused: JSON_EXTRACT

-- case: refuse_create_procedure
CREATE PROCEDURE p() BEGIN SELECT 1; END;
-- refused: CREATE PROCEDURE

-- case: refuse_create_trigger
CREATE TRIGGER t BEFORE INSERT ON orders FOR EACH ROW SET NEW.status = 'x';
-- refused: CREATE TRIGGER

-- case: refuse_create_index
CREATE INDEX idx_status ON orders (status);
-- refused: CREATE INDEX

-- case: refuse_lock_tables
LOCK TABLES orders READ;
-- refused: LOCK TABLES

-- case: refuse_database_function
-- Over a table: the bare probe (SELECT DATABASE()) is answered by Weir itself, as clients need.
SELECT name FROM customers WHERE DATABASE() IS NOT NULL;
-- refused: DATABASE

-- case: refuse_last_insert_id
-- Over a table: the bare probe (SELECT LAST_INSERT_ID()) is answered by Weir itself, as clients need.
SELECT id FROM orders WHERE id = LAST_INSERT_ID();
-- refused: LAST_INSERT_ID

-- case: refuse_utc_timestamp
-- Over a table: the bare probe (SELECT UTC_TIMESTAMP()) is answered by Weir itself, as clients need.
SELECT id, UTC_TIMESTAMP() FROM orders;
-- refused: UTC_TIMESTAMP

-- case: refuse_elt_on_1_20
SELECT ELT(priority, 'high', 'normal', 'low') FROM orders;
-- refused: ELT on Flink 1.20

-- case: refuse_generated_column
CREATE TABLE g (a INT, b INT AS (a * 2));
-- refused: generated

-- case: refuse_partition_selection
SELECT id FROM orders PARTITION (p0);
-- refused: PARTITION selection
