-- Oracle SELECT basics: DUAL, FETCH FIRST / OFFSET, MINUS, NULL ordering, identifier case.
-- Tables: dataset/ (emp, dept, salgrade, sales). Each query has its MariaDB form for the
-- differential run.

-- case: select_from_dual
-- portable: MariaDB reads FROM DUAL and adds integers as Oracle does
SELECT 1 + 2 AS n FROM dual;
-- flink:
SELECT 1 + 2 AS N
-- mariadb:
SELECT 1 + 2 AS n FROM dual;

-- case: string_from_dual
-- portable: MariaDB reads FROM DUAL; a string literal is the same text
SELECT 'Flink' AS engine FROM DUAL;
-- flink:
SELECT 'Flink' AS ENGINE
-- mariadb:
SELECT 'Flink' AS engine FROM DUAL;

-- case: fetch_first_rows
SELECT ename, sal FROM emp ORDER BY sal DESC, ename FETCH FIRST 3 ROWS ONLY;
-- flink:
SELECT ename AS ENAME, sal AS SAL FROM emp ORDER BY sal DESC NULLS FIRST, ename NULLS LAST LIMIT 3
-- mariadb:
SELECT ename, sal FROM emp ORDER BY sal DESC, ename LIMIT 3;

-- case: offset_fetch_next
SELECT empno, ename FROM emp ORDER BY empno OFFSET 5 ROWS FETCH NEXT 4 ROWS ONLY;
-- flink:
SELECT empno AS EMPNO, ename AS ENAME FROM emp ORDER BY empno NULLS LAST LIMIT 4 OFFSET 5
-- mariadb:
SELECT empno, ename FROM emp ORDER BY empno LIMIT 4 OFFSET 5;

-- case: fetch_first_row_only
SELECT ename FROM emp ORDER BY hiredate FETCH FIRST ROW ONLY;
-- flink:
SELECT ename AS ENAME FROM emp ORDER BY hiredate NULLS LAST LIMIT 1
-- mariadb:
SELECT ename FROM emp ORDER BY hiredate LIMIT 1;

-- case: minus
SELECT deptno FROM dept MINUS SELECT deptno FROM emp;
-- flink:
SELECT deptno AS DEPTNO FROM dept EXCEPT SELECT deptno FROM emp
-- mariadb:
SELECT DISTINCT d.deptno FROM dept d WHERE NOT EXISTS (SELECT 1 FROM emp e WHERE e.deptno <=> d.deptno);

-- case: minus_jobs
SELECT job FROM emp WHERE deptno = 20 MINUS SELECT job FROM emp WHERE deptno = 10;
-- flink:
SELECT job AS JOB FROM emp WHERE deptno = 20 EXCEPT SELECT job FROM emp WHERE deptno = 10
-- mariadb:
SELECT DISTINCT a.job FROM emp a WHERE a.deptno = 20 AND NOT EXISTS (SELECT 1 FROM emp b WHERE b.deptno = 10 AND b.job <=> a.job);

-- case: union_all
-- portable: the Oracle statement means the same on MariaDB (over the binary-collated Oracle tables)
SELECT ename FROM emp WHERE deptno = 10 UNION ALL SELECT dname FROM dept WHERE deptno = 10;
-- flink:
SELECT ename AS ENAME FROM emp WHERE deptno = 10 UNION ALL SELECT dname FROM dept WHERE deptno = 10
-- mariadb:
SELECT ename FROM emp WHERE deptno = 10 UNION ALL SELECT dname FROM dept WHERE deptno = 10;

-- case: intersect
-- portable: the Oracle statement means the same on MariaDB (over the binary-collated Oracle tables)
SELECT deptno FROM emp INTERSECT SELECT deptno FROM dept;
-- flink:
SELECT deptno AS DEPTNO FROM emp INTERSECT SELECT deptno FROM dept
-- mariadb:
SELECT deptno FROM emp INTERSECT SELECT deptno FROM dept;

-- case: order_nulls_last_by_default
SELECT ename, comm FROM emp ORDER BY comm, ename;
-- flink:
SELECT ename AS ENAME, comm AS COMM FROM emp ORDER BY comm NULLS LAST, ename NULLS LAST
-- mariadb:
SELECT ename, comm FROM emp ORDER BY comm IS NULL, comm, ename;

-- case: order_desc_nulls_first_by_default
SELECT ename, comm FROM emp ORDER BY comm DESC, ename;
-- flink:
SELECT ename AS ENAME, comm AS COMM FROM emp ORDER BY comm DESC NULLS FIRST, ename NULLS LAST
-- mariadb:
SELECT ename, comm FROM emp ORDER BY comm IS NOT NULL, comm DESC, ename;

-- case: order_explicit_nulls_first
SELECT ename, mgr FROM emp ORDER BY mgr NULLS FIRST, ename;
-- flink:
SELECT ename AS ENAME, mgr AS MGR FROM emp ORDER BY mgr NULLS FIRST, ename NULLS LAST
-- mariadb:
SELECT ename, mgr FROM emp ORDER BY mgr IS NOT NULL, mgr, ename;

-- case: upper_case_identifiers
-- portable: the Oracle statement, its unquoted (case-insensitive) names spelled as MariaDB's tables are
SELECT ENAME, SAL FROM EMP WHERE DEPTNO = 10;
-- flink:
SELECT ename AS ENAME, sal AS SAL FROM emp WHERE deptno = 10
-- mariadb:
SELECT ename, sal FROM emp WHERE deptno = 10;

-- case: mixed_case_identifiers
SELECT e.Ename, D.dName FROM Emp e JOIN Dept D ON e.DeptNo = D.DEPTNO WHERE e.EmpNo = 7001;
-- flink:
SELECT e.ename AS ENAME, D.dname AS DNAME FROM emp AS e JOIN dept AS D ON e.deptno = D.deptno WHERE e.empno = 7001
-- mariadb:
SELECT e.ename, d.dname FROM emp e JOIN dept d ON e.deptno = d.deptno WHERE e.empno = 7001;

-- case: quoted_identifier
-- portable: the Oracle statement, its quoted names in backticks
SELECT "ename" AS "Employee Name" FROM emp WHERE empno = 7002;
-- flink:
SELECT ename AS `Employee Name` FROM emp WHERE empno = 7002
-- mariadb:
SELECT ename AS `Employee Name` FROM emp WHERE empno = 7002;

-- case: reserved_word_aliases
-- portable: the Oracle statement, its quoted names in backticks
SELECT ename AS "USER", sal AS value FROM emp WHERE empno = 7003;
-- flink:
SELECT ename AS `USER`, sal AS `VALUE` FROM emp WHERE empno = 7003
-- mariadb:
SELECT ename AS `USER`, sal AS `value` FROM emp WHERE empno = 7003;

-- case: not_equal_forms
-- portable: MariaDB reads != and <> as Oracle does
SELECT ename FROM emp WHERE deptno != 30 AND job <> 'CLERK';
-- flink:
SELECT ename AS ENAME FROM emp WHERE deptno <> 30 AND job <> 'CLERK'
-- mariadb:
SELECT ename FROM emp WHERE deptno != 30 AND job <> 'CLERK';

-- case: in_and_between
-- portable: the Oracle statement means the same on MariaDB (over the binary-collated Oracle tables)
SELECT ename FROM emp WHERE deptno IN (10, 20) AND sal BETWEEN 1000 AND 3000;
-- flink:
SELECT ename AS ENAME FROM emp WHERE deptno IN (10, 20) AND sal BETWEEN 1000 AND 3000
-- mariadb:
SELECT ename FROM emp WHERE deptno IN (10, 20) AND sal BETWEEN 1000 AND 3000;

-- case: like_case_sensitive
SELECT ename FROM emp WHERE ename LIKE 'M%' OR ename LIKE '%s';
-- flink:
SELECT ename AS ENAME FROM emp WHERE ename LIKE 'M%' OR ename LIKE '%s'
-- mariadb:
SELECT ename FROM emp WHERE ename LIKE BINARY 'M%' OR ename LIKE BINARY '%s';

-- case: like_escape
SELECT dname FROM dept WHERE dname LIKE '%\_%' ESCAPE '\';
-- flink:
SELECT dname AS DNAME FROM dept WHERE dname LIKE '%!_%' ESCAPE '!'
-- mariadb:
SELECT dname FROM dept WHERE dname LIKE '%|_%' ESCAPE '|';

-- case: distinct_jobs
-- portable: the Oracle statement means the same on MariaDB (over the binary-collated Oracle tables)
SELECT DISTINCT job FROM emp;
-- flink:
SELECT DISTINCT job AS JOB FROM emp
-- mariadb:
SELECT DISTINCT job FROM emp;

-- case: is_null_manager
-- portable: the Oracle statement means the same on MariaDB (over the binary-collated Oracle tables)
SELECT ename FROM emp WHERE mgr IS NULL;
-- flink:
SELECT ename AS ENAME FROM emp WHERE mgr IS NULL
-- mariadb:
SELECT ename FROM emp WHERE mgr IS NULL;

-- case: case_expression
-- portable: the Oracle statement means the same on MariaDB (over the binary-collated Oracle tables)
SELECT ename, CASE WHEN sal > 3000 THEN 'HIGH' WHEN sal > 1500 THEN 'MID' ELSE 'LOW' END AS band FROM emp;
-- flink:
SELECT ename AS ENAME, CASE WHEN sal > 3000 THEN 'HIGH' WHEN sal > 1500 THEN 'MID' ELSE 'LOW' END AS BAND FROM emp
-- mariadb:
SELECT ename, CASE WHEN sal > 3000 THEN 'HIGH' WHEN sal > 1500 THEN 'MID' ELSE 'LOW' END AS band FROM emp;

-- case: simple_case_expression
-- portable: the Oracle statement means the same on MariaDB (over the binary-collated Oracle tables)
SELECT dname, CASE loc WHEN 'LYON' THEN 'FR' WHEN 'OSAKA' THEN 'JP' ELSE '??' END AS country FROM dept;
-- flink:
SELECT dname AS DNAME, CASE loc WHEN 'LYON' THEN 'FR' WHEN 'OSAKA' THEN 'JP' ELSE '??' END AS COUNTRY FROM dept
-- mariadb:
SELECT dname, CASE loc WHEN 'LYON' THEN 'FR' WHEN 'OSAKA' THEN 'JP' ELSE '??' END AS country FROM dept;

-- case: arithmetic_annual_salary
-- portable: the Oracle statement means the same on MariaDB (over the binary-collated Oracle tables)
SELECT ename, sal * 12 + 100 AS annual FROM emp WHERE deptno = 10;
-- flink:
SELECT ename AS ENAME, sal * 12 + 100 AS ANNUAL FROM emp WHERE deptno = 10
-- mariadb:
SELECT ename, sal * 12 + 100 AS annual FROM emp WHERE deptno = 10;

-- case: q_quote_literal
SELECT q'[It's]' AS s FROM dual;
-- flink:
SELECT 'It''s' AS S
-- mariadb:
SELECT CONCAT('It', CHAR(39 USING utf8mb4), 's') AS s;
