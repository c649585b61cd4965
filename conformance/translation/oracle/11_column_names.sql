-- Column names: an unaliased select item is named as Oracle names it (its text upper-cased,
-- every blank and comment removed; a column by its name upper-cased unless quoted), and an
-- unquoted alias upper-cased. The differential runner computes Oracle's names from each query
-- case's statement and checks Weir's against them.

-- case: names_oracle_functions
SELECT nvl(comm, 0), COUNT(*) OVER (), upper( ename ) FROM emp WHERE deptno = 10;
-- flink:
SELECT COALESCE(comm, 0) AS `NVL(COMM,0)`, COUNT(*) OVER () AS `COUNT(*)OVER()`, UPPER(ename) AS `UPPER(ENAME)` FROM emp WHERE deptno = 10
-- mariadb:
SELECT IFNULL(comm, 0), COUNT(*) OVER (), UPPER(ename) FROM emp WHERE deptno = 10;

-- case: names_oracle_columns
SELECT empno, e.Ename, "sal" FROM emp e WHERE deptno = 10;
-- flink:
SELECT empno AS EMPNO, e.ename AS ENAME, sal FROM emp AS e WHERE deptno = 10
-- mariadb:
SELECT empno, e.ename, sal FROM emp e WHERE deptno = 10;

-- case: names_oracle_aliases
-- portable: the Oracle statement, its quoted alias in backticks
SELECT sal AS Salary, comm "Commission", ename e_name FROM emp WHERE deptno = 30;
-- flink:
SELECT sal AS SALARY, comm AS Commission, ename AS E_NAME FROM emp WHERE deptno = 30
-- mariadb:
SELECT sal AS Salary, comm `Commission`, ename e_name FROM emp WHERE deptno = 30;

-- case: names_oracle_literals
SELECT 'Hello World', 1 + 2, sal * 12 /* yearly */ FROM emp WHERE empno = 7001;
-- flink:
SELECT 'Hello World' AS `'HELLOWORLD'`, 1 + 2 AS `1+2`, sal * 12 AS `SAL*12` FROM emp WHERE empno = 7001
-- mariadb:
SELECT 'Hello World', 1 + 2, sal * 12 FROM emp WHERE empno = 7001;

-- case: names_oracle_order_by_alias
SELECT ename AS n, sal FROM emp WHERE deptno = 10 ORDER BY n;
-- flink:
SELECT ename AS N, sal AS SAL FROM emp WHERE deptno = 10 ORDER BY N NULLS LAST
-- mariadb:
SELECT ename AS n, sal FROM emp WHERE deptno = 10 ORDER BY n;

-- case: names_oracle_grouped
SELECT deptno, COUNT(*), MAX(sal) FROM emp WHERE deptno IS NOT NULL GROUP BY deptno;
-- flink:
SELECT deptno AS DEPTNO, COUNT(*) AS `COUNT(*)`, MAX(sal) AS `MAX(SAL)` FROM emp WHERE deptno IS NOT NULL GROUP BY deptno
-- mariadb:
SELECT deptno, COUNT(*), MAX(sal) FROM emp WHERE deptno IS NOT NULL GROUP BY deptno;

-- case: names_oracle_star
-- portable: the Oracle statement means the same on MariaDB (over the binary-collated Oracle tables)
-- names differ: * gives the catalog's spellings (lower case here), where an Oracle table's unquoted columns are upper case
-- weir names: ["deptno", "dname", "loc"]
SELECT * FROM dept;
-- flink:
SELECT * FROM dept
-- mariadb:
SELECT * FROM dept;
