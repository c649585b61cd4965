-- MySQL arithmetic and conversions: decimal division, DIV, MOD, CAST to SIGNED/UNSIGNED/CHAR.

-- case: integer_division_is_decimal
SELECT id, stock / 4 AS quarter FROM products;
-- flink:
SELECT id, CAST(CAST(stock AS DECIMAL(38, 10)) / 4 AS DECIMAL(38, 4)) AS quarter FROM products

-- case: division_of_literals
SELECT 7 / 2 AS q, 1 / 3 AS third;
-- flink:
SELECT CAST(CAST(7 AS DECIMAL(38, 10)) / 2 AS DECIMAL(38, 4)) AS q, CAST(CAST(1 AS DECIMAL(38, 10)) / 3 AS DECIMAL(38, 4)) AS third

-- case: decimal_division
SELECT id, price / 3 AS third FROM products;
-- flink:
SELECT id, CAST(CAST(price AS DECIMAL(38, 10)) / 3 AS DECIMAL(38, 6)) AS third FROM products

-- case: division_by_column_zero_is_null
SELECT id, price / stock AS per_unit FROM products;
-- flink:
SELECT id, CAST(CAST(price AS DECIMAL(38, 10)) / NULLIF(stock, 0) AS DECIMAL(38, 6)) AS per_unit FROM products

-- case: double_division
SELECT id, weight / 2 AS half FROM products;
-- flink:
SELECT id, weight / 2 AS half FROM products

-- case: div_operator
SELECT id, stock DIV 7 AS weeks FROM products;
-- flink:
SELECT id, stock / 7 AS `weeks` FROM products

-- case: div_decimal
SELECT id, price DIV 10 AS tens FROM products;
-- flink:
SELECT id, CAST(price / 10 AS BIGINT) AS tens FROM products

-- case: modulo_operator
SELECT id, stock % 7 AS rest FROM products;
-- flink:
SELECT id, stock % 7 AS rest FROM products

-- case: mod_function
SELECT id, MOD(id, 3) AS bucket FROM orders;
-- flink:
SELECT id, MOD(id, 3) AS bucket FROM orders

-- case: mod_by_column
SELECT order_id, MOD(quantity, line_no) AS m FROM order_items;
-- flink:
SELECT order_id, MOD(quantity, NULLIF(line_no, 0)) AS m FROM order_items

-- case: cast_signed_rounds
SELECT id, CAST(price AS SIGNED) AS whole FROM products;
-- flink:
SELECT id, CAST(ROUND(price) AS BIGINT) AS whole FROM products

-- case: cast_signed_integer
SELECT CAST(stock AS SIGNED INTEGER) AS s FROM products WHERE id = 101;
-- flink:
SELECT CAST(stock AS BIGINT) AS s FROM products WHERE id = 101

-- case: cast_unsigned
-- types differ: Flink has no BIGINT UNSIGNED: CAST(... AS UNSIGNED) is DECIMAL(20, 0), which holds all its values
-- weir types: ["decimal(0)"]
SELECT CAST(price AS UNSIGNED) AS u FROM products WHERE id IN (101, 105);
-- flink:
SELECT CAST(ROUND(price) AS DECIMAL(20, 0)) AS u FROM products WHERE id IN (101, 105)

-- case: cast_double_signed
SELECT id, CAST(weight AS SIGNED) AS w FROM products;
-- flink:
SELECT id, CAST(ROUND(weight) AS BIGINT) AS w FROM products

-- case: cast_char
SELECT CAST(id AS CHAR) AS s FROM customers WHERE id = 10;
-- flink:
SELECT CAST(id AS STRING) AS s FROM customers WHERE id = 10

-- case: cast_char_length
SELECT CAST(name AS CHAR(5)) AS short_name FROM customers;
-- flink:
SELECT CAST(name AS VARCHAR(5)) AS short_name FROM customers

-- case: cast_decimal_scale
SELECT id, CAST(price AS DECIMAL(8, 1)) AS p FROM products;
-- flink:
SELECT id, CAST(price AS DECIMAL(8, 1)) AS p FROM products

-- case: cast_string_to_date
SELECT CAST('2024-03-05' AS DATE) AS d;
-- flink:
SELECT DATE '2024-03-05' AS d

-- case: cast_string_to_datetime
SELECT CAST('2024-03-05 10:11:12' AS DATETIME) AS ts;
-- flink:
SELECT TIMESTAMP '2024-03-05 10:11:12' AS ts

-- case: convert_type
SELECT CONVERT(total, CHAR) AS t FROM orders WHERE id = 1001;
-- flink:
SELECT CAST(total AS STRING) AS t FROM orders WHERE id = 1001

-- case: round_truncate
SELECT id, ROUND(price, 1) AS r, TRUNCATE(price, 0) AS t FROM products;
-- flink:
SELECT id, ROUND(price, 1) AS r, TRUNCATE(price, 0) AS t FROM products

-- case: math_functions
-- types differ: MySQL types CEIL and FLOOR of a small decimal BIGINT, Flink keeps DECIMAL(p, 0) (the same integral values)
-- weir types: ["integer", "decimal(0)", "decimal(0)", "integer", "double", "double"]
SELECT ABS(-4) AS a, CEIL(4.2) AS c, FLOOR(4.8) AS f, SIGN(-3) AS s, POW(2, 10) AS p, SQRT(16) AS q;
-- flink:
SELECT ABS(-4) AS a, CEIL(4.2) AS c, FLOOR(4.8) AS f, SIGN(-3) AS s, POWER(2, 10) AS p, SQRT(16) AS q

-- case: ceiling_alias
-- types differ: MySQL types CEILING of a small decimal BIGINT, Flink keeps DECIMAL(p, 0) (the same integral values)
-- weir types: ["integer", "decimal(0)"]
SELECT id, CEILING(price) AS up FROM products;
-- flink:
SELECT id, CEIL(price) AS up FROM products

-- case: percent_of_total
-- collation: category: MySQL groups 'Office' and 'office' together and which spelling it shows is unspecified
SELECT category, SUM(price * stock) * 100 / (SELECT SUM(price * stock) FROM products) AS pct FROM products GROUP BY category;
-- flink:
SELECT FIRST_VALUE(category) AS category, CAST(CAST(SUM(price * stock) * 100 AS DECIMAL(38, 10)) / NULLIF((SELECT SUM(price * stock) FROM products), 0) AS DECIMAL(38, 6)) AS pct FROM products GROUP BY LOWER(category)

-- case: string_compared_with_number
SELECT id FROM orders WHERE customer_id = '4';
-- flink:
SELECT id FROM orders WHERE customer_id = 4
