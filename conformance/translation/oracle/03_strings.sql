-- Oracle strings: || and CONCAT skip NULLs, numbers written as Oracle writes them, SUBSTR,
-- INSTR, LENGTH, padding, REGEXP_*.

-- case: concat_operator
SELECT ename || ' works as ' || job AS line FROM emp WHERE deptno = 10;
-- flink:
SELECT CONCAT_WS('', ename, ' works as ', job) AS LINE FROM emp WHERE deptno = 10
-- mariadb:
SELECT NULLIF(CONCAT(IFNULL(ename, ''), ' works as ', IFNULL(job, '')), '') AS line FROM emp WHERE deptno = 10;

-- case: concat_with_null
SELECT ename || comm AS x FROM emp WHERE deptno = 10;
-- flink:
SELECT NULLIF(CONCAT_WS('', ename, REGEXP_REPLACE(REGEXP_REPLACE(REGEXP_REPLACE(REGEXP_REPLACE(CAST(comm AS STRING), '0+$', ''), '\.$', ''), '^0\.', '.'), '^-0\.', '-.')), '') AS X FROM emp WHERE deptno = 10
-- mariadb:
SELECT NULLIF(CONCAT_WS('', ename, TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM comm))), '') AS x FROM emp WHERE deptno = 10;

-- case: concat_two_nulls_is_null
SELECT loc || NULL AS x FROM dept WHERE deptno = 50;
-- flink:
SELECT NULLIF(CONCAT_WS('', loc), '') AS X FROM dept WHERE deptno = 50
-- mariadb:
SELECT NULLIF(CONCAT(IFNULL(loc, ''), ''), '') AS x FROM dept WHERE deptno = 50;

-- case: concat_function
SELECT CONCAT(dname, loc) AS x FROM dept;
-- flink:
SELECT NULLIF(CONCAT_WS('', dname, loc), '') AS X FROM dept
-- mariadb:
SELECT NULLIF(CONCAT(IFNULL(dname, ''), IFNULL(loc, '')), '') AS x FROM dept;

-- case: concat_integer
SELECT 'Employee #' || empno AS label FROM emp WHERE deptno = 10;
-- flink:
SELECT CONCAT_WS('', 'Employee #', CAST(empno AS STRING)) AS LABEL FROM emp WHERE deptno = 10
-- mariadb:
SELECT CONCAT('Employee #', empno) AS label FROM emp WHERE deptno = 10;

-- case: concat_decimal_trims_zeros
SELECT ename || ': ' || sal AS pay FROM emp WHERE deptno = 10;
-- flink:
SELECT CONCAT_WS('', ename, ': ', REGEXP_REPLACE(REGEXP_REPLACE(REGEXP_REPLACE(REGEXP_REPLACE(CAST(sal AS STRING), '0+$', ''), '\.$', ''), '^0\.', '.'), '^-0\.', '-.')) AS PAY FROM emp WHERE deptno = 10
-- mariadb:
SELECT CONCAT(ename, ': ', TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM sal))) AS pay FROM emp WHERE deptno = 10;

-- case: upper_lower_initcap
SELECT UPPER(dname) AS u, LOWER(dname) AS l, INITCAP(dname) AS i FROM dept;
-- flink:
SELECT UPPER(dname) AS U, LOWER(dname) AS L, INITCAP(dname) AS I FROM dept
-- mariadb:
-- INITCAP capitalises each word; the dataset's names have at most three words, joined by '_'
SELECT UPPER(dname) AS u, LOWER(dname) AS l, CONCAT_WS('_', CONCAT(UPPER(LEFT(SUBSTRING_INDEX(dname, '_', 1), 1)), LOWER(SUBSTRING(SUBSTRING_INDEX(dname, '_', 1), 2))), CONCAT(UPPER(LEFT(IF(CHAR_LENGTH(dname) - CHAR_LENGTH(REPLACE(dname, '_', '')) >= 1, SUBSTRING_INDEX(SUBSTRING_INDEX(dname, '_', 2), '_', -1), NULL), 1)), LOWER(SUBSTRING(IF(CHAR_LENGTH(dname) - CHAR_LENGTH(REPLACE(dname, '_', '')) >= 1, SUBSTRING_INDEX(SUBSTRING_INDEX(dname, '_', 2), '_', -1), NULL), 2))), CONCAT(UPPER(LEFT(IF(CHAR_LENGTH(dname) - CHAR_LENGTH(REPLACE(dname, '_', '')) >= 2, SUBSTRING_INDEX(SUBSTRING_INDEX(dname, '_', 3), '_', -1), NULL), 1)), LOWER(SUBSTRING(IF(CHAR_LENGTH(dname) - CHAR_LENGTH(REPLACE(dname, '_', '')) >= 2, SUBSTRING_INDEX(SUBSTRING_INDEX(dname, '_', 3), '_', -1), NULL), 2)))) AS i FROM dept;

-- case: length
SELECT ename, LENGTH(ename) AS len FROM emp;
-- flink:
SELECT ename AS ENAME, CHAR_LENGTH(ename) AS LEN FROM emp
-- mariadb:
SELECT ename, CHAR_LENGTH(NULLIF(ename, '')) AS len FROM emp;

-- case: length_of_empty_is_null
SELECT LENGTH('') AS len FROM dual;
-- flink:
SELECT CHAR_LENGTH(CAST(NULL AS STRING)) AS LEN
-- mariadb:
-- Oracle's '' is NULL
SELECT CHAR_LENGTH(NULLIF('', '')) AS len;

-- case: substr
SELECT ename, SUBSTR(ename, 1, 3) AS a, SUBSTR(ename, 2) AS b, SUBSTR(ename, -2) AS c FROM emp;
-- flink:
SELECT ename AS ENAME, SUBSTR(ename, 1, 3) AS A, SUBSTR(ename, 2) AS B, SUBSTR(ename, -2) AS C FROM emp
-- mariadb:
SELECT ename, SUBSTRING(ename, 1, 3) AS a, SUBSTRING(ename, 2) AS b, SUBSTRING(ename, -2) AS c FROM emp;

-- case: substr_from_zero
SELECT SUBSTR(ename, 0, 2) AS s FROM emp WHERE empno = 7001;
-- flink:
SELECT SUBSTR(ename, 0, 2) AS S FROM emp WHERE empno = 7001
-- mariadb:
SELECT SUBSTRING(ename, 1, 2) AS s FROM emp WHERE empno = 7001;

-- case: instr
SELECT ename, INSTR(ename, 'A') AS pos FROM emp;
-- flink:
SELECT ename AS ENAME, INSTR(ename, 'A') AS POS FROM emp
-- mariadb:
SELECT ename, INSTR(BINARY ename, 'A') AS pos FROM emp;

-- case: instr_with_start
SELECT ename, INSTR(ename, 'E', 2) AS pos FROM emp;
-- flink:
SELECT ename AS ENAME, LOCATE('E', ename, 2) AS POS FROM emp
-- mariadb:
SELECT ename, LOCATE(BINARY 'E', ename, 2) AS pos FROM emp;

-- case: lpad_rpad
-- portable: MariaDB's LPAD and RPAD pad and cut as Oracle's do, RPAD's pad defaulting to a blank
SELECT LPAD(ename, 8, '*') AS l, RPAD(ename, 8) AS r FROM emp WHERE deptno = 10;
-- flink:
SELECT LPAD(ename, 8, '*') AS L, RPAD(ename, 8, ' ') AS R FROM emp WHERE deptno = 10
-- mariadb:
SELECT LPAD(ename, 8, '*') AS l, RPAD(ename, 8) AS r FROM emp WHERE deptno = 10;

-- case: lpad_number
SELECT LPAD(empno, 6, '0') AS code FROM emp WHERE deptno = 10;
-- flink:
SELECT LPAD(CAST(empno AS STRING), 6, '0') AS CODE FROM emp WHERE deptno = 10
-- mariadb:
SELECT LPAD(empno, 6, '0') AS code FROM emp WHERE deptno = 10;

-- case: trim_functions
-- portable: MariaDB's TRIM, LTRIM and RTRIM (one argument) and TRIM(LEADING ... FROM ...) are Oracle's; MariaDB reads FROM DUAL
SELECT TRIM('  x  ') AS t, LTRIM('  x') AS l, RTRIM('x  ') AS r, TRIM(LEADING 'X' FROM 'XXA') AS lx FROM dual;
-- flink:
SELECT TRIM('  x  ') AS T, LTRIM('  x') AS L, RTRIM('x  ') AS R, TRIM(LEADING 'X' FROM 'XXA') AS LX
-- mariadb:
SELECT TRIM('  x  ') AS t, LTRIM('  x') AS l, RTRIM('x  ') AS r, TRIM(LEADING 'X' FROM 'XXA') AS lx FROM dual;

-- case: replace_three_args
-- portable: the Oracle statement means the same on MariaDB (over the binary-collated Oracle tables)
SELECT REPLACE(job, 'MAN', 'PERSON') AS job FROM emp WHERE deptno = 30;
-- flink:
SELECT REPLACE(job, 'MAN', 'PERSON') AS JOB FROM emp WHERE deptno = 30
-- mariadb:
SELECT REPLACE(job, 'MAN', 'PERSON') AS job FROM emp WHERE deptno = 30;

-- case: replace_two_args_removes
SELECT REPLACE(dname, 'E') AS d FROM dept;
-- flink:
SELECT REPLACE(dname, 'E', '') AS D FROM dept
-- mariadb:
SELECT REGEXP_REPLACE(dname, 'E', '') AS d FROM dept;

-- case: replace_with_empty_string
-- portable: Oracle's '' is NULL, and REPLACE with a NULL replacement removes the text, as MariaDB's REPLACE with '' does
SELECT REPLACE(dname, 'S', '') AS d FROM dept;
-- flink:
SELECT REPLACE(dname, 'S', '') AS D FROM dept
-- mariadb:
SELECT REPLACE(dname, 'S', '') AS d FROM dept;

-- case: regexp_like
SELECT ename FROM emp WHERE REGEXP_LIKE(ename, '^[A-D]');
-- flink:
SELECT ename AS ENAME FROM emp WHERE REGEXP(ename, '^[A-D]')
-- mariadb:
SELECT ename FROM emp WHERE ename REGEXP BINARY '^[A-D]';

-- case: regexp_like_ignore_case
SELECT ename FROM emp WHERE REGEXP_LIKE(ename, 'ar', 'i');
-- flink:
SELECT ename AS ENAME FROM emp WHERE REGEXP(ename, '(?i)ar')
-- mariadb:
SELECT ename FROM emp WHERE LOWER(ename) LIKE '%ar%';

-- case: regexp_replace
-- portable: MariaDB's REGEXP_REPLACE replaces every match as Oracle's does (case-sensitive over the binary-collated Oracle tables)
SELECT REGEXP_REPLACE(ename, '[AEIOU]', '-') AS masked FROM emp WHERE deptno = 10;
-- flink:
SELECT REGEXP_REPLACE(ename, '[AEIOU]', '-') AS MASKED FROM emp WHERE deptno = 10
-- mariadb:
SELECT REGEXP_REPLACE(ename, '[AEIOU]', '-') AS masked FROM emp WHERE deptno = 10;

-- case: regexp_substr
SELECT REGEXP_SUBSTR(dname, '[A-Z]{3}') AS first3 FROM dept;
-- flink:
SELECT REGEXP_EXTRACT(dname, '[A-Z]{3}', 0) AS FIRST3 FROM dept
-- mariadb:
SELECT REGEXP_SUBSTR(dname, '[A-Z]{3}') AS first3 FROM dept;

-- case: to_char_integer
SELECT TO_CHAR(empno) AS s FROM emp WHERE deptno = 10;
-- flink:
SELECT CAST(empno AS STRING) AS S FROM emp WHERE deptno = 10
-- mariadb:
SELECT CONCAT('', empno) AS s FROM emp WHERE deptno = 10;

-- case: to_number
SELECT TO_NUMBER('42.50') + 1 AS n FROM dual;
-- flink:
SELECT CAST('42.50' AS DECIMAL(38, 10)) + 1 AS N
-- mariadb:
SELECT 43.5 AS n;

-- case: ascii_chr
SELECT ASCII('A') AS a, CHR(66) AS b FROM dual;
-- flink:
SELECT ASCII('A') AS A, CHR(66) AS B
-- mariadb:
SELECT ORD('A') AS a, CHAR(66 USING utf8mb4) AS b;

-- case: reverse_in_upper
-- portable: the Oracle statement means the same on MariaDB (over the binary-collated Oracle tables)
SELECT UPPER(REVERSE(ename)) AS r FROM emp WHERE empno = 7001;
-- flink:
SELECT UPPER(REVERSE(ename)) AS R FROM emp WHERE empno = 7001
-- mariadb:
SELECT UPPER(REVERSE(ename)) AS r FROM emp WHERE empno = 7001;
