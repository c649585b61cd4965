-- MySQL string functions: CONCAT with numbers and dates, LENGTH in bytes, case-insensitive
-- searches and patterns.

-- case: concat_strings
SELECT CONCAT(name, ' <', email, '>') AS contact FROM customers WHERE email IS NOT NULL;
-- flink:
SELECT CONCAT(name, ' <', email, '>') AS contact FROM customers WHERE email IS NOT NULL

-- case: concat_with_numbers
SELECT CONCAT('#', id, ': ', total) AS label FROM orders WHERE id < 1004;
-- flink:
SELECT CONCAT('#', CAST(id AS STRING), ': ', CAST(total AS STRING)) AS label FROM orders WHERE id < 1004

-- case: concat_with_date
SELECT CONCAT(name, ' since ', DATE(created_at)) AS since FROM customers;
-- flink:
SELECT CONCAT(name, ' since ', CAST(CAST(created_at AS DATE) AS STRING)) AS since FROM customers

-- case: concat_null_is_null
SELECT id, CONCAT(name, email) AS x FROM customers WHERE id IN (3, 10);
-- flink:
SELECT id, CONCAT(name, email) AS x FROM customers WHERE id IN (3, 10)

-- case: concat_ws_skips_nulls
SELECT CONCAT_WS(', ', name, city, country) AS address FROM customers;
-- flink:
SELECT CONCAT_WS(', ', name, city, country) AS address FROM customers

-- case: concat_ws_numbers
SELECT CONCAT_WS('-', order_id, line_no, product_id) AS k FROM order_items WHERE order_id = 1001;
-- flink:
SELECT CONCAT_WS('-', CAST(order_id AS STRING), CAST(line_no AS STRING), CAST(product_id AS STRING)) AS k FROM order_items WHERE order_id = 1001

-- case: length_counts_bytes
SELECT name, LENGTH(name) AS bytes FROM customers;
-- flink:
SELECT name, CHAR_LENGTH(name) + CHAR_LENGTH(REGEXP_REPLACE(name, '[\x{0}-\x{7F}]', '')) + CHAR_LENGTH(REGEXP_REPLACE(name, '[\x{0}-\x{7FF}]', '')) AS `bytes` FROM customers

-- case: char_length
SELECT name, CHAR_LENGTH(name) AS chars, CHARACTER_LENGTH(city) AS c2 FROM customers;
-- flink:
SELECT name, CHAR_LENGTH(name) AS chars, CHAR_LENGTH(city) AS c2 FROM customers

-- case: upper_lower_ucase
SELECT UPPER(name) AS u, LOWER(name) AS l, UCASE(city) AS uc, LCASE(country) AS lc FROM customers;
-- flink:
SELECT UPPER(name) AS u, LOWER(name) AS l, UPPER(city) AS uc, LOWER(country) AS lc FROM customers

-- case: substring_forms
SELECT SUBSTRING(name, 1, 3) AS a, SUBSTR(name, 2) AS b, MID(name, 2, 2) AS c, SUBSTRING(name FROM 3 FOR 2) AS d FROM customers;
-- flink:
SELECT SUBSTR(name, 1, 3) AS a, SUBSTR(name, 2) AS b, SUBSTR(name, 2, 2) AS c, SUBSTR(name, 3, 2) AS d FROM customers

-- case: substring_negative_start
SELECT SUBSTRING(email, -3) AS tld FROM customers WHERE email IS NOT NULL;
-- flink:
SELECT SUBSTR(email, -3) AS tld FROM customers WHERE email IS NOT NULL

-- case: substring_of_number
SELECT SUBSTRING(id, 1, 2) AS prefix FROM orders WHERE id = 1015;
-- flink:
SELECT SUBSTR(CAST(id AS STRING), 1, 2) AS prefix FROM orders WHERE id = 1015

-- case: left_right
SELECT LEFT(name, 4) AS l, RIGHT(name, 3) AS r FROM products;
-- flink:
SELECT LEFT(name, 4) AS l, RIGHT(name, 3) AS r FROM products

-- case: lpad_rpad
SELECT LPAD(id, 6, '0') AS padded, RPAD(name, 12, '.') AS dotted FROM customers;
-- flink:
SELECT LPAD(CAST(id AS STRING), 6, '0') AS padded, RPAD(name, 12, '.') AS dotted FROM customers

-- case: trim_forms
SELECT TRIM('  x  ') AS a, LTRIM('  x') AS b, RTRIM('x  ') AS c, TRIM(BOTH '*' FROM '**x**') AS d, TRIM(LEADING '0' FROM '007') AS e;
-- flink:
SELECT TRIM('  x  ') AS a, LTRIM('  x') AS b, RTRIM('x  ') AS c, TRIM(BOTH '*' FROM '**x**') AS d, TRIM(LEADING '0' FROM '007') AS e

-- case: replace_function
SELECT REPLACE(email, '@example', '@mail') AS email FROM customers WHERE email IS NOT NULL;
-- flink:
SELECT REPLACE(email, '@example', '@mail') AS email FROM customers WHERE email IS NOT NULL

-- case: reverse_repeat_space
SELECT REVERSE(name) AS r, REPEAT('ab', 2) AS twice, CONCAT('[', SPACE(3), ']') AS s FROM customers WHERE id = 1;
-- flink:
SELECT REVERSE(name) AS r, REPEAT('ab', 2) AS twice, CONCAT('[', REPEAT(' ', 3), ']') AS s FROM customers WHERE id = 1

-- case: instr_case_insensitive
SELECT name, INSTR(name, 'a') AS pos FROM customers;
-- flink:
SELECT name, INSTR(LOWER(name), 'a') AS pos FROM customers

-- case: locate_with_start
SELECT email, LOCATE('e', email, 3) AS pos FROM customers WHERE email IS NOT NULL;
-- flink:
SELECT email, LOCATE('e', LOWER(email), 3) AS pos FROM customers WHERE email IS NOT NULL

-- case: position_in
SELECT name, POSITION('o' IN name) AS pos FROM products;
-- flink:
SELECT name, POSITION('o' IN LOWER(name)) AS pos FROM products

-- case: substring_index_first
SELECT email, SUBSTRING_INDEX(email, '@', 1) AS user_part FROM customers WHERE email IS NOT NULL;
-- flink:
SELECT email, SPLIT_INDEX(email, '@', 0) AS user_part FROM customers WHERE email IS NOT NULL

-- case: regexp_operator
SELECT name FROM customers WHERE name REGEXP '^[a-d]';
-- flink:
SELECT name FROM customers WHERE REGEXP(name, '(?i)^[a-d]')

-- case: not_regexp
SELECT name FROM products WHERE name NOT REGEXP 'e$';
-- flink:
SELECT name FROM products WHERE NOT REGEXP(name, '(?i)e$')

-- case: rlike_operator
SELECT email FROM customers WHERE email RLIKE 'example[.](com|org)$';
-- flink:
SELECT email FROM customers WHERE REGEXP(email, '(?i)example[.](com|org)$')

-- case: regexp_replace
SELECT REGEXP_REPLACE(name, '[aeiou]', '*') AS masked FROM customers WHERE id < 4;
-- flink:
SELECT REGEXP_REPLACE(name, '(?i)[aeiou]', '*') AS masked FROM customers WHERE id < 4

-- case: regexp_substr
SELECT REGEXP_SUBSTR(email, '[a-z]+') AS first_word FROM customers WHERE email IS NOT NULL;
-- flink:
SELECT REGEXP_EXTRACT(email, '(?i)[a-z]+', 0) AS first_word FROM customers WHERE email IS NOT NULL

-- case: ascii_chr
-- types differ: MySQL's CHAR(n) is a binary string; Flink's CHR is text (the same character)
-- weir types: ["integer", "string"]
SELECT ASCII(name) AS code, CHAR(72) AS h FROM customers WHERE id = 1;
-- flink:
SELECT ASCII(name) AS code, CHR(72) AS h FROM customers WHERE id = 1

-- case: like_with_underscore
SELECT name FROM products WHERE name LIKE 'Desk_Lamp';
-- flink:
SELECT name FROM products WHERE LOWER(name) LIKE 'desk_lamp'

-- case: string_order_comparison
SELECT name FROM customers WHERE name > 'G';
-- flink:
SELECT name FROM customers WHERE LOWER(name) > 'g'

-- case: md5_hash
SELECT MD5(name) AS h FROM customers WHERE id = 1;
-- flink:
SELECT MD5(name) AS h FROM customers WHERE id = 1

-- case: insert_concat_numbers_in_like
SELECT id FROM orders WHERE CONCAT(id, '') LIKE '100%';
-- flink:
SELECT id FROM orders WHERE LOWER(CONCAT(CAST(id AS STRING), '')) LIKE '100%'
