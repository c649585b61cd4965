-- Oracle aggregates and analytics: exact AVG, sample STDDEV/VARIANCE, ROLLUP, window functions
-- with Oracle's NULL ordering.

-- case: group_by_department
-- portable: the Oracle statement means the same on MariaDB (over the binary-collated Oracle tables)
SELECT deptno, COUNT(*) AS n, SUM(sal) AS total, MIN(sal) AS lo, MAX(sal) AS hi FROM emp GROUP BY deptno;
-- flink:
SELECT deptno AS DEPTNO, COUNT(*) AS N, SUM(sal) AS TOTAL, MIN(sal) AS LO, MAX(sal) AS HI FROM emp GROUP BY deptno
-- mariadb:
SELECT deptno, COUNT(*) AS n, SUM(sal) AS total, MIN(sal) AS lo, MAX(sal) AS hi FROM emp GROUP BY deptno;

-- case: avg_rounded
-- portable: MariaDB's AVG of a decimal keeps 4 more digits than the column, enough for ROUND(..., 2) to round as Oracle's exact AVG does here
SELECT deptno, ROUND(AVG(sal), 2) AS avg_sal FROM emp GROUP BY deptno;
-- flink:
SELECT deptno AS DEPTNO, ROUND(AVG(sal), 2) AS AVG_SAL FROM emp GROUP BY deptno
-- mariadb:
SELECT deptno, ROUND(AVG(sal), 2) AS avg_sal FROM emp GROUP BY deptno;

-- case: avg_of_integers_exact
SELECT ROUND(AVG(units), 3) AS avg_units FROM sales;
-- flink:
SELECT ROUND(AVG(CAST(units AS DECIMAL(38, 10))), 3) AS AVG_UNITS FROM sales
-- mariadb:
SELECT ROUND(AVG(units), 3) AS avg_units FROM sales;

-- case: having
-- portable: the Oracle statement means the same on MariaDB (over the binary-collated Oracle tables)
SELECT job, COUNT(*) AS n FROM emp GROUP BY job HAVING COUNT(*) > 2;
-- flink:
SELECT job AS JOB, COUNT(*) AS N FROM emp GROUP BY job HAVING COUNT(*) > 2
-- mariadb:
SELECT job, COUNT(*) AS n FROM emp GROUP BY job HAVING COUNT(*) > 2;

-- case: having_sum
-- portable: the Oracle statement means the same on MariaDB (over the binary-collated Oracle tables)
SELECT deptno, SUM(sal) AS payroll FROM emp GROUP BY deptno HAVING SUM(sal) > 9000;
-- flink:
SELECT deptno AS DEPTNO, SUM(sal) AS PAYROLL FROM emp GROUP BY deptno HAVING SUM(sal) > 9000
-- mariadb:
SELECT deptno, SUM(sal) AS payroll FROM emp GROUP BY deptno HAVING SUM(sal) > 9000;

-- case: stddev_is_sample
SELECT ROUND(STDDEV(sal), 4) AS sd, ROUND(VARIANCE(sal), 2) AS v FROM emp;
-- flink:
SELECT ROUND(STDDEV_SAMP(CAST(sal AS DOUBLE)), 4) AS SD, ROUND(VAR_SAMP(CAST(sal AS DOUBLE)), 2) AS V FROM emp
-- mariadb:
SELECT ROUND(STDDEV_SAMP(sal), 4) AS sd, ROUND(VAR_SAMP(sal), 2) AS v FROM emp;

-- case: stddev_pop
SELECT ROUND(STDDEV_POP(sal), 4) AS sd FROM emp WHERE deptno = 30;
-- flink:
SELECT ROUND(STDDEV_POP(CAST(sal AS DOUBLE)), 4) AS SD FROM emp WHERE deptno = 30
-- mariadb:
SELECT ROUND(STDDEV_POP(sal), 4) AS sd FROM emp WHERE deptno = 30;

-- case: rollup
SELECT deptno, job, SUM(sal) AS payroll FROM emp WHERE deptno IS NOT NULL GROUP BY ROLLUP (deptno, job);
-- flink:
SELECT deptno AS DEPTNO, job AS JOB, SUM(sal) AS PAYROLL FROM emp WHERE deptno IS NOT NULL GROUP BY ROLLUP(deptno, job)
-- mariadb:
SELECT deptno, job, SUM(sal) AS payroll FROM emp WHERE deptno IS NOT NULL GROUP BY deptno, job WITH ROLLUP;

-- case: cube
SELECT region, product, SUM(units) AS u FROM sales WHERE region IS NOT NULL AND product IS NOT NULL GROUP BY CUBE (region, product);
-- flink:
SELECT region AS REGION, product AS PRODUCT, SUM(units) AS U FROM sales WHERE region IS NOT NULL AND product IS NOT NULL GROUP BY CUBE(region, product)
-- mariadb:
SELECT region, product, SUM(units) AS u FROM sales WHERE region IS NOT NULL AND product IS NOT NULL GROUP BY region, product WITH ROLLUP UNION ALL SELECT NULL, product, SUM(units) FROM sales WHERE region IS NOT NULL AND product IS NOT NULL GROUP BY product;

-- case: count_distinct
-- portable: the Oracle statement means the same on MariaDB (over the binary-collated Oracle tables)
SELECT COUNT(DISTINCT job) AS jobs, COUNT(DISTINCT deptno) AS depts FROM emp;
-- flink:
SELECT COUNT(DISTINCT job) AS JOBS, COUNT(DISTINCT deptno) AS DEPTS FROM emp
-- mariadb:
SELECT COUNT(DISTINCT job) AS jobs, COUNT(DISTINCT deptno) AS depts FROM emp;

-- case: rank_by_salary
SELECT ename, sal, RANK() OVER (ORDER BY sal DESC) AS r FROM emp;
-- flink:
SELECT ename AS ENAME, sal AS SAL, RANK() OVER (ORDER BY sal DESC NULLS FIRST) AS R FROM emp
-- mariadb:
SELECT ename, sal, RANK() OVER (ORDER BY sal DESC) AS r FROM emp;

-- case: dense_rank_partition
SELECT deptno, ename, DENSE_RANK() OVER (PARTITION BY deptno ORDER BY sal DESC) AS dr FROM emp;
-- flink:
SELECT deptno AS DEPTNO, ename AS ENAME, DENSE_RANK() OVER (PARTITION BY deptno ORDER BY sal DESC NULLS FIRST) AS DR FROM emp
-- mariadb:
SELECT deptno, ename, DENSE_RANK() OVER (PARTITION BY deptno ORDER BY sal DESC) AS dr FROM emp;

-- case: row_number_by_commission_nulls_last
SELECT ename, ROW_NUMBER() OVER (ORDER BY comm, ename) AS rn FROM emp WHERE deptno = 30;
-- flink:
SELECT ename AS ENAME, ROW_NUMBER() OVER (ORDER BY comm NULLS LAST, ename NULLS LAST) AS RN FROM emp WHERE deptno = 30
-- mariadb:
SELECT ename, ROW_NUMBER() OVER (ORDER BY comm IS NULL, comm, ename) AS rn FROM emp WHERE deptno = 30;

-- case: running_sum
SELECT sale_id, amount, SUM(amount) OVER (ORDER BY sale_id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running FROM sales;
-- flink:
SELECT sale_id AS SALE_ID, amount AS AMOUNT, SUM(amount) OVER (ORDER BY sale_id NULLS LAST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS `RUNNING` FROM sales
-- mariadb:
SELECT sale_id, amount, SUM(amount) OVER (ORDER BY sale_id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running FROM sales;

-- case: moving_average_window
SELECT sale_id, ROUND(AVG(amount) OVER (ORDER BY sale_id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW), 2) AS moving FROM sales;
-- flink:
SELECT sale_id AS SALE_ID, ROUND(AVG(amount) OVER (ORDER BY sale_id NULLS LAST ROWS BETWEEN 2 PRECEDING AND CURRENT ROW), 2) AS MOVING FROM sales
-- mariadb:
SELECT sale_id, ROUND(AVG(amount) OVER (ORDER BY sale_id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW), 2) AS moving FROM sales;

-- case: lag_lead
SELECT sale_id, amount, LAG(amount, 1, 0) OVER (ORDER BY sale_id) AS prev, LEAD(amount) OVER (ORDER BY sale_id) AS next FROM sales;
-- flink:
SELECT sale_id AS SALE_ID, amount AS AMOUNT, LAG(amount, 1, 0) OVER (ORDER BY sale_id NULLS LAST) AS `PREV`, LEAD(amount) OVER (ORDER BY sale_id NULLS LAST) AS `NEXT` FROM sales
-- mariadb:
SELECT sale_id, amount, COALESCE(LAG(amount, 1) OVER (ORDER BY sale_id), 0) AS prev, LEAD(amount) OVER (ORDER BY sale_id) AS next FROM sales;

-- case: share_of_department
SELECT ename, deptno, ROUND(sal * 100 / SUM(sal) OVER (PARTITION BY deptno), 2) AS pct FROM emp WHERE deptno IS NOT NULL;
-- flink:
SELECT ename AS ENAME, deptno AS DEPTNO, ROUND(CAST(sal * 100 AS DECIMAL(38, 10)) / SUM(sal) OVER (PARTITION BY deptno), 2) AS PCT FROM emp WHERE deptno IS NOT NULL
-- mariadb:
SELECT ename, deptno, ROUND(sal * 100 / SUM(sal) OVER (PARTITION BY deptno), 2) AS pct FROM emp WHERE deptno IS NOT NULL;

-- case: first_value_window
SELECT ename, deptno, FIRST_VALUE(ename) OVER (PARTITION BY deptno ORDER BY hiredate) AS first_hire FROM emp WHERE deptno IS NOT NULL;
-- flink:
SELECT ename AS ENAME, deptno AS DEPTNO, FIRST_VALUE(ename) OVER (PARTITION BY deptno ORDER BY hiredate NULLS LAST) AS FIRST_HIRE FROM emp WHERE deptno IS NOT NULL
-- mariadb:
SELECT ename, deptno, FIRST_VALUE(ename) OVER (PARTITION BY deptno ORDER BY hiredate) AS first_hire FROM emp WHERE deptno IS NOT NULL;

-- case: salary_grades
SELECT g.grade, COUNT(e.empno) AS n FROM salgrade g JOIN emp e ON e.sal BETWEEN g.losal AND g.hisal GROUP BY g.grade;
-- flink:
SELECT g.grade AS GRADE, COUNT(e.empno) AS N FROM salgrade AS g JOIN emp AS e ON e.sal BETWEEN g.losal AND g.hisal GROUP BY g.grade
-- mariadb:
SELECT g.grade, COUNT(e.empno) AS n FROM salgrade g JOIN emp e ON e.sal BETWEEN g.losal AND g.hisal GROUP BY g.grade;

-- case: division_is_exact
SELECT ename, ROUND(sal / 12, 2) AS monthly, ROUND(empno / 7, 3) AS ratio FROM emp WHERE deptno = 10;
-- flink:
SELECT ename AS ENAME, ROUND(CAST(sal AS DECIMAL(38, 10)) / 12, 2) AS MONTHLY, ROUND(CAST(empno AS DECIMAL(38, 10)) / 7, 3) AS RATIO FROM emp WHERE deptno = 10
-- mariadb:
SELECT ename, ROUND(sal / 12, 2) AS monthly, ROUND(empno / 7, 3) AS ratio FROM emp WHERE deptno = 10;

-- case: mod_function
-- portable: the Oracle statement means the same on MariaDB (over the binary-collated Oracle tables)
SELECT empno, MOD(empno, 4) AS bucket FROM emp WHERE deptno = 20;
-- flink:
SELECT empno AS EMPNO, MOD(empno, 4) AS BUCKET FROM emp WHERE deptno = 20
-- mariadb:
SELECT empno, MOD(empno, 4) AS bucket FROM emp WHERE deptno = 20;

-- case: round_negative_places
-- portable: the Oracle statement means the same on MariaDB (over the binary-collated Oracle tables)
SELECT ename, ROUND(sal, -3) AS thousands FROM emp WHERE deptno = 20;
-- flink:
SELECT ename AS ENAME, ROUND(sal, -3) AS THOUSANDS FROM emp WHERE deptno = 20
-- mariadb:
SELECT ename, ROUND(sal, -3) AS thousands FROM emp WHERE deptno = 20;

-- case: math_functions
SELECT ABS(-7) AS a, CEIL(2.1) AS c, FLOOR(2.9) AS f, SIGN(-2) AS s, POWER(2, 8) AS p, SQRT(81) AS q FROM dual;
-- flink:
SELECT ABS(-7) AS A, CEIL(2.1) AS C, FLOOR(2.9) AS F, SIGN(-2) AS S, POWER(2, 8) AS P, SQRT(81) AS Q
-- mariadb:
SELECT ABS(-7) AS a, CEILING(2.1) AS c, FLOOR(2.9) AS f, SIGN(-2) AS s, POW(2, 8) AS p, SQRT(81) AS q FROM DUAL;

-- case: sum_case_pivot
-- portable: the Oracle statement means the same on MariaDB (over the binary-collated Oracle tables)
SELECT SUM(CASE WHEN region = 'North' THEN amount ELSE 0 END) AS north, SUM(CASE WHEN region = 'South' THEN amount ELSE 0 END) AS south FROM sales;
-- flink:
SELECT SUM(CASE WHEN region = 'North' THEN amount ELSE 0 END) AS NORTH, SUM(CASE WHEN region = 'South' THEN amount ELSE 0 END) AS SOUTH FROM sales
-- mariadb:
SELECT SUM(CASE WHEN region = 'North' THEN amount ELSE 0 END) AS north, SUM(CASE WHEN region = 'South' THEN amount ELSE 0 END) AS south FROM sales;

-- case: median_on_flink_2
-- target: 2.2
SELECT deptno, MEDIAN(sal) AS mid FROM emp WHERE deptno IS NOT NULL GROUP BY deptno;
-- flink:
SELECT deptno AS DEPTNO, PERCENTILE(sal, 0.5) AS MID FROM emp WHERE deptno IS NOT NULL GROUP BY deptno
-- mariadb:
SELECT DISTINCT deptno, MEDIAN(sal) OVER (PARTITION BY deptno) AS mid FROM emp WHERE deptno IS NOT NULL;

-- case: regexp_count_on_flink_2
-- target: 2.2
SELECT ename, REGEXP_COUNT(ename, '[AEIOU]') AS vowels FROM emp WHERE deptno = 10;
-- flink:
SELECT ename AS ENAME, REGEXP_COUNT(ename, '[AEIOU]') AS VOWELS FROM emp WHERE deptno = 10
-- mariadb:
SELECT ename, CHAR_LENGTH(ename) - CHAR_LENGTH(REGEXP_REPLACE(BINARY ename, '[AEIOU]', '')) AS vowels FROM emp WHERE deptno = 10;

-- case: translate_on_flink_2
-- target: 2.2
SELECT TRANSLATE(dname, 'AEIOU', 'aeiou') AS t FROM dept;
-- flink:
SELECT TRANSLATE(dname, 'AEIOU', 'aeiou') AS T FROM dept
-- mariadb:
SELECT REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(dname, 'A', 'a'), 'E', 'e'), 'I', 'i'), 'O', 'o'), 'U', 'u') AS t FROM dept;
