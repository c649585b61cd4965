-- MySQL dates and times: DATE_FORMAT/STR_TO_DATE formats, DATE_ADD/DATE_SUB and INTERVAL
-- arithmetic, DATEDIFF, LAST_DAY, string literals compared with dates.

-- case: date_format_datetime
SELECT id, DATE_FORMAT(shipped_at, '%Y-%m-%d %H:%i:%s') AS shipped FROM orders WHERE shipped_at IS NOT NULL;
-- flink:
SELECT id, DATE_FORMAT(shipped_at, 'yyyy-MM-dd HH:mm:ss') AS shipped FROM orders WHERE shipped_at IS NOT NULL

-- case: date_format_date
SELECT id, DATE_FORMAT(order_date, '%d/%m/%Y') AS d FROM orders;
-- flink:
SELECT id, DATE_FORMAT(CAST(order_date AS TIMESTAMP(0)), 'dd/MM/yyyy') AS d FROM orders

-- case: date_format_names
SELECT DATE_FORMAT(order_date, '%W %e %M %Y') AS long_date FROM orders WHERE id = 1001;
-- flink:
SELECT DATE_FORMAT(CAST(order_date AS TIMESTAMP(0)), 'EEEE d MMMM yyyy') AS long_date FROM orders WHERE id = 1001

-- case: date_format_short_names
SELECT DATE_FORMAT(created_at, '%a %b %c %y %l:%i %p') AS s FROM customers WHERE id = 2;
-- flink:
SELECT DATE_FORMAT(created_at, 'EEE MMM M yy h:mm a') AS s FROM customers WHERE id = 2

-- case: date_format_year_month
SELECT DATE_FORMAT(order_date, '%Y-%m') AS ym, COUNT(*) AS n FROM orders GROUP BY DATE_FORMAT(order_date, '%Y-%m');
-- flink:
SELECT DATE_FORMAT(CAST(order_date AS TIMESTAMP(0)), 'yyyy-MM') AS ym, COUNT(*) AS n FROM orders GROUP BY DATE_FORMAT(CAST(order_date AS TIMESTAMP(0)), 'yyyy-MM')

-- case: date_format_literal_text
SELECT DATE_FORMAT(shipped_at, 'Day %j of %Y at %H h') AS t FROM orders WHERE id = 1001;
-- flink:
SELECT DATE_FORMAT(shipped_at, '''Day ''DDD'' of ''yyyy'' at ''HH'' h''') AS t FROM orders WHERE id = 1001

-- case: time_format
SELECT TIME_FORMAT(shipped_at, '%H:%i') AS hm FROM orders WHERE id = 1002;
-- flink:
SELECT DATE_FORMAT(shipped_at, 'HH:mm') AS hm FROM orders WHERE id = 1002

-- case: str_to_date_date
SELECT STR_TO_DATE('05/03/2024', '%d/%m/%Y') AS d;
-- flink:
SELECT TO_DATE('05/03/2024', 'dd/MM/yyyy') AS d

-- case: str_to_date_datetime
SELECT STR_TO_DATE('2024-03-05 14:07:09', '%Y-%m-%d %H:%i:%s') AS ts;
-- flink:
SELECT TO_TIMESTAMP('2024-03-05 14:07:09', 'yyyy-MM-dd HH:mm:ss') AS ts

-- case: date_add_days
SELECT id, DATE_ADD(order_date, INTERVAL 7 DAY) AS due FROM orders;
-- flink:
SELECT id, order_date + INTERVAL '7' DAY AS due FROM orders

-- case: date_sub_month_end
SELECT id, DATE_SUB(order_date, INTERVAL 1 MONTH) AS prev FROM orders WHERE id IN (1002, 1004, 1007);
-- flink:
SELECT id, order_date - INTERVAL '1' MONTH AS `prev` FROM orders WHERE id IN (1002, 1004, 1007)

-- case: date_add_month_clamps
-- types differ: MySQL's DATE_ADD of a string literal is a string; Flink's is a DATE (the same date)
-- weir types: ["date"]
SELECT DATE_ADD('2024-01-31', INTERVAL 1 MONTH) AS feb;
-- flink:
SELECT DATE '2024-01-31' + INTERVAL '1' MONTH AS feb

-- case: date_add_year
SELECT name, DATE_ADD(birth_date, INTERVAL 18 YEAR) AS adult FROM customers WHERE birth_date IS NOT NULL;
-- flink:
SELECT name, birth_date + INTERVAL '18' YEAR AS adult FROM customers WHERE birth_date IS NOT NULL

-- case: date_add_hours_to_date
SELECT id, DATE_ADD(order_date, INTERVAL 36 HOUR) AS t FROM orders WHERE id = 1001;
-- flink:
SELECT id, CAST(order_date AS TIMESTAMP(0)) + INTERVAL '36' HOUR AS t FROM orders WHERE id = 1001

-- case: date_add_minutes_to_datetime
SELECT id, DATE_ADD(shipped_at, INTERVAL 90 MINUTE) AS t FROM orders WHERE shipped_at IS NOT NULL;
-- flink:
SELECT id, shipped_at + INTERVAL '90' MINUTE AS t FROM orders WHERE shipped_at IS NOT NULL

-- case: date_add_weeks
SELECT id, DATE_ADD(order_date, INTERVAL 2 WEEK) AS t FROM orders WHERE id = 1003;
-- flink:
SELECT id, order_date + INTERVAL '14' DAY AS t FROM orders WHERE id = 1003

-- case: date_add_quarter
SELECT id, DATE_ADD(order_date, INTERVAL 1 QUARTER) AS t FROM orders WHERE id = 1004;
-- flink:
SELECT id, order_date + INTERVAL '3' MONTH AS t FROM orders WHERE id = 1004

-- case: date_add_computed_amount
SELECT id, DATE_ADD(order_date, INTERVAL priority DAY) AS t FROM orders WHERE priority IS NOT NULL;
-- flink:
SELECT id, TIMESTAMPADD(DAY, priority, order_date) AS t FROM orders WHERE priority IS NOT NULL

-- case: date_sub_computed_amount
SELECT id, DATE_SUB(shipped_at, INTERVAL priority HOUR) AS t FROM orders WHERE shipped_at IS NOT NULL;
-- flink:
SELECT id, TIMESTAMPADD(HOUR, -priority, shipped_at) AS t FROM orders WHERE shipped_at IS NOT NULL

-- case: interval_plus_operator
SELECT id, order_date + INTERVAL 10 DAY AS t FROM orders WHERE id = 1010;
-- flink:
SELECT id, order_date + INTERVAL '10' DAY AS t FROM orders WHERE id = 1010

-- case: interval_minus_operator
SELECT id, shipped_at - INTERVAL 30 SECOND AS t FROM orders WHERE id = 1010;
-- flink:
SELECT id, shipped_at - INTERVAL '30' SECOND AS t FROM orders WHERE id = 1010

-- case: interval_compound_hour_minute
SELECT id, shipped_at + INTERVAL '1:30' HOUR_MINUTE AS t FROM orders WHERE id = 1001;
-- flink:
SELECT id, shipped_at + INTERVAL '1:30' HOUR TO MINUTE AS t FROM orders WHERE id = 1001

-- case: interval_compound_day_hour
SELECT id, shipped_at + INTERVAL '2 12' DAY_HOUR AS t FROM orders WHERE id = 1001;
-- flink:
SELECT id, shipped_at + INTERVAL '2 12' DAY TO HOUR AS t FROM orders WHERE id = 1001

-- case: interval_large_day_count
SELECT DATE_ADD(order_date, INTERVAL 400 DAY) AS t FROM orders WHERE id = 1001;
-- flink:
SELECT order_date + INTERVAL '400' DAY(3) AS t FROM orders WHERE id = 1001

-- case: adddate_days
SELECT ADDDATE(order_date, 3) AS t FROM orders WHERE id = 1001;
-- flink:
SELECT order_date + INTERVAL '3' DAY AS t FROM orders WHERE id = 1001

-- case: datediff_dates
SELECT id, DATEDIFF(DATE(shipped_at), order_date) AS days_to_ship FROM orders WHERE shipped_at IS NOT NULL;
-- flink:
SELECT id, TIMESTAMPDIFF(DAY, order_date, CAST(shipped_at AS DATE)) AS days_to_ship FROM orders WHERE shipped_at IS NOT NULL

-- case: datediff_datetime
SELECT id, DATEDIFF(shipped_at, order_date) AS days_to_ship FROM orders WHERE shipped_at IS NOT NULL;
-- flink:
SELECT id, TIMESTAMPDIFF(DAY, order_date, CAST(shipped_at AS DATE)) AS days_to_ship FROM orders WHERE shipped_at IS NOT NULL

-- case: datediff_literal
SELECT name, DATEDIFF('2025-01-01', birth_date) AS days FROM customers WHERE birth_date IS NOT NULL;
-- flink:
SELECT name, TIMESTAMPDIFF(DAY, birth_date, DATE '2025-01-01') AS days FROM customers WHERE birth_date IS NOT NULL

-- case: timestampdiff_hours
SELECT id, TIMESTAMPDIFF(HOUR, order_date, shipped_at) AS hours FROM orders WHERE shipped_at IS NOT NULL;
-- flink:
SELECT id, TIMESTAMPDIFF(HOUR, CAST(order_date AS TIMESTAMP(0)), shipped_at) AS hours FROM orders WHERE shipped_at IS NOT NULL

-- case: timestampdiff_years_age
SELECT name, TIMESTAMPDIFF(YEAR, birth_date, '2025-01-01') AS age FROM customers WHERE birth_date IS NOT NULL;
-- flink:
SELECT name, TIMESTAMPDIFF(YEAR, birth_date, DATE '2025-01-01') AS age FROM customers WHERE birth_date IS NOT NULL

-- case: timestampadd
SELECT id, TIMESTAMPADD(DAY, 5, order_date) AS t FROM orders WHERE id = 1001;
-- flink:
SELECT id, TIMESTAMPADD(DAY, 5, order_date) AS t FROM orders WHERE id = 1001

-- case: last_day_date
SELECT id, LAST_DAY(order_date) AS month_end FROM orders;
-- flink:
SELECT id, TIMESTAMPADD(DAY, -1, TIMESTAMPADD(MONTH, 1, TIMESTAMPADD(DAY, 1 - DAYOFMONTH(order_date), order_date))) AS month_end FROM orders

-- case: last_day_datetime
SELECT name, LAST_DAY(created_at) AS month_end FROM customers;
-- flink:
SELECT name, TIMESTAMPADD(DAY, -1, TIMESTAMPADD(MONTH, 1, TIMESTAMPADD(DAY, 1 - DAYOFMONTH(CAST(created_at AS DATE)), CAST(created_at AS DATE)))) AS month_end FROM customers

-- case: date_parts
SELECT id, YEAR(order_date) AS y, MONTH(order_date) AS m, DAY(order_date) AS d, QUARTER(order_date) AS q FROM orders;
-- flink:
SELECT id, YEAR(order_date) AS y, MONTH(order_date) AS m, DAYOFMONTH(order_date) AS d, QUARTER(order_date) AS q FROM orders

-- case: time_parts
SELECT id, HOUR(shipped_at) AS h, MINUTE(shipped_at) AS mi, SECOND(shipped_at) AS s FROM orders WHERE shipped_at IS NOT NULL;
-- flink:
SELECT id, HOUR(shipped_at) AS h, MINUTE(shipped_at) AS mi, SECOND(shipped_at) AS s FROM orders WHERE shipped_at IS NOT NULL

-- case: dayofweek_dayofyear
SELECT id, DAYOFWEEK(order_date) AS dow, DAYOFYEAR(order_date) AS doy, DAYOFMONTH(order_date) AS dom FROM orders;
-- flink:
SELECT id, DAYOFWEEK(order_date) AS dow, DAYOFYEAR(order_date) AS doy, DAYOFMONTH(order_date) AS dom FROM orders

-- case: weekday
SELECT id, WEEKDAY(order_date) AS wd FROM orders;
-- flink:
SELECT id, MOD(DAYOFWEEK(order_date) + 5, 7) AS wd FROM orders

-- case: dayname_monthname
SELECT id, DAYNAME(order_date) AS dn, MONTHNAME(order_date) AS mn FROM orders;
-- flink:
SELECT id, DATE_FORMAT(CAST(order_date AS TIMESTAMP(0)), 'EEEE') AS dn, DATE_FORMAT(CAST(order_date AS TIMESTAMP(0)), 'MMMM') AS mn FROM orders

-- case: week_iso_mode
SELECT id, WEEK(order_date, 3) AS w, WEEKOFYEAR(order_date) AS w2 FROM orders;
-- flink:
SELECT id, WEEK(order_date) AS w, WEEK(order_date) AS w2 FROM orders

-- case: extract_parts
SELECT EXTRACT(YEAR FROM order_date) AS y, EXTRACT(MONTH FROM order_date) AS m FROM orders WHERE id = 1015;
-- flink:
SELECT EXTRACT(YEAR FROM order_date) AS y, EXTRACT(MONTH FROM order_date) AS m FROM orders WHERE id = 1015

-- case: date_of_datetime
SELECT DATE(created_at) AS d, COUNT(*) AS n FROM customers GROUP BY DATE(created_at);
-- flink:
SELECT CAST(created_at AS DATE) AS d, COUNT(*) AS n FROM customers GROUP BY CAST(created_at AS DATE)

-- case: compare_date_with_string
SELECT id FROM orders WHERE order_date >= '2024-06-01' AND order_date < '2024-09-01';
-- flink:
SELECT id FROM orders WHERE order_date >= DATE '2024-06-01' AND order_date < DATE '2024-09-01'

-- case: compare_datetime_with_date_string
SELECT id FROM orders WHERE shipped_at < '2024-03-01';
-- flink:
SELECT id FROM orders WHERE shipped_at < TIMESTAMP '2024-03-01 00:00:00'

-- case: between_date_strings
SELECT id FROM orders WHERE order_date BETWEEN '2024-02-01' AND '2024-02-29';
-- flink:
SELECT id FROM orders WHERE order_date BETWEEN DATE '2024-02-01' AND DATE '2024-02-29'

-- case: date_in_list_strings
SELECT id FROM orders WHERE order_date IN ('2024-01-31', '2024-03-31');
-- flink:
SELECT id FROM orders WHERE order_date IN (DATE '2024-01-31', DATE '2024-03-31')

-- case: unix_timestamp_roundtrip
SELECT UNIX_TIMESTAMP('2024-01-01 00:00:00') AS s, FROM_UNIXTIME(86400) AS t;
-- flink:
SELECT UNIX_TIMESTAMP('2024-01-01 00:00:00') AS s, CAST(FROM_UNIXTIME(86400) AS TIMESTAMP(0)) AS t

-- case: from_unixtime_format
SELECT FROM_UNIXTIME(1700000000, '%Y-%m-%d') AS d;
-- flink:
SELECT FROM_UNIXTIME(1700000000, 'yyyy-MM-dd') AS d

-- case: group_by_month
SELECT YEAR(order_date) AS y, MONTH(order_date) AS m, SUM(total) AS revenue FROM orders GROUP BY y, m ORDER BY y, m;
-- flink:
SELECT YEAR(order_date) AS y, MONTH(order_date) AS m, SUM(total) AS revenue FROM orders GROUP BY YEAR(order_date), MONTH(order_date) ORDER BY y, m
