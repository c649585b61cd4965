-- Oracle ROWNUM: `ROWNUM <= n` over an ordered subquery becomes a LIMIT under that ordering,
-- with the ordering kept in the result; on a plain query it is a LIMIT. Other uses are refused
-- (see 10_refused.sql).

-- case: rownum_top_n_star
SELECT * FROM (SELECT ename, sal FROM emp ORDER BY sal DESC, ename) WHERE ROWNUM <= 3;
-- flink:
SELECT ename AS ENAME, sal AS SAL FROM emp ORDER BY sal DESC NULLS FIRST, ename NULLS LAST LIMIT 3
-- mariadb:
SELECT ename, sal FROM emp ORDER BY sal DESC, ename LIMIT 3;

-- case: rownum_less_than
SELECT * FROM (SELECT ename, hiredate FROM emp ORDER BY hiredate) WHERE ROWNUM < 4;
-- flink:
SELECT ename AS ENAME, hiredate AS HIREDATE FROM emp ORDER BY hiredate NULLS LAST LIMIT 3
-- mariadb:
SELECT ename, hiredate FROM emp ORDER BY hiredate LIMIT 3;

-- case: rownum_reversed_comparison
SELECT * FROM (SELECT dname FROM dept ORDER BY dname) WHERE 2 >= ROWNUM;
-- flink:
SELECT dname AS DNAME FROM dept ORDER BY dname NULLS LAST LIMIT 2
-- mariadb:
SELECT dname FROM dept ORDER BY dname LIMIT 2;

-- case: rownum_with_alias_star
SELECT t.* FROM (SELECT empno, ename FROM emp WHERE deptno = 30 ORDER BY empno DESC) t WHERE ROWNUM <= 2;
-- flink:
SELECT empno AS EMPNO, ename AS ENAME FROM emp WHERE deptno = 30 ORDER BY empno DESC NULLS FIRST LIMIT 2
-- mariadb:
SELECT empno, ename FROM emp WHERE deptno = 30 ORDER BY empno DESC LIMIT 2;

-- case: rownum_column_list_keeps_order
SELECT ename FROM (SELECT ename, sal FROM emp ORDER BY sal, ename) WHERE ROWNUM <= 4;
-- flink:
SELECT ename AS ENAME FROM emp ORDER BY sal NULLS LAST, ename NULLS LAST LIMIT 4
-- mariadb:
SELECT ename FROM (SELECT ename, sal FROM emp ORDER BY sal, ename LIMIT 4) t ORDER BY sal, ename;

-- case: rownum_column_list_aliased_subquery
SELECT x.region, x.amount FROM (SELECT region, amount, sale_id FROM sales ORDER BY amount DESC) x WHERE ROWNUM <= 3;
-- flink:
SELECT region AS REGION, amount AS AMOUNT FROM sales ORDER BY amount DESC NULLS FIRST LIMIT 3
-- mariadb:
SELECT x.region, x.amount FROM (SELECT region, amount, sale_id FROM sales ORDER BY amount DESC LIMIT 3) x ORDER BY x.amount DESC;

-- case: rownum_over_aggregated_subquery
SELECT * FROM (SELECT deptno, SUM(sal) AS payroll FROM emp WHERE deptno IS NOT NULL GROUP BY deptno ORDER BY payroll DESC) WHERE ROWNUM <= 2;
-- flink:
SELECT deptno AS DEPTNO, SUM(sal) AS PAYROLL FROM emp WHERE deptno IS NOT NULL GROUP BY deptno ORDER BY PAYROLL DESC NULLS FIRST LIMIT 2
-- mariadb:
SELECT deptno, SUM(sal) AS payroll FROM emp WHERE deptno IS NOT NULL GROUP BY deptno ORDER BY payroll DESC LIMIT 2;

-- case: rownum_over_join_subquery
SELECT * FROM (SELECT e.ename, d.dname FROM emp e JOIN dept d ON d.deptno = e.deptno ORDER BY e.hiredate DESC) WHERE ROWNUM <= 3;
-- flink:
SELECT e.ename AS ENAME, d.dname AS DNAME FROM emp AS e JOIN dept AS d ON d.deptno = e.deptno ORDER BY e.hiredate DESC NULLS FIRST LIMIT 3
-- mariadb:
SELECT e.ename, d.dname FROM emp e JOIN dept d ON d.deptno = e.deptno ORDER BY e.hiredate DESC LIMIT 3;

-- case: rownum_tpcds_style
SELECT * FROM (SELECT s.region, SUM(s.amount) AS total, COUNT(*) AS n FROM sales s WHERE s.region IS NOT NULL GROUP BY s.region ORDER BY total DESC, s.region) WHERE ROWNUM <= 100;
-- flink:
SELECT s.region AS REGION, SUM(s.amount) AS TOTAL, COUNT(*) AS N FROM sales AS s WHERE s.region IS NOT NULL GROUP BY s.region ORDER BY TOTAL DESC NULLS FIRST, s.region NULLS LAST LIMIT 100
-- mariadb:
SELECT s.region, SUM(s.amount) AS total, COUNT(*) AS n FROM sales s WHERE s.region IS NOT NULL GROUP BY s.region ORDER BY total DESC, s.region LIMIT 100;

-- case: rownum_plain_equals_one
SELECT ename FROM emp WHERE empno = 7005 AND ROWNUM = 1;
-- flink:
SELECT ename AS ENAME FROM emp WHERE empno = 7005 LIMIT 1
-- mariadb:
SELECT ename FROM emp WHERE empno = 7005;

-- case: rownum_plain_limit_all_rows
SELECT dname FROM dept WHERE ROWNUM <= 10;
-- flink:
SELECT dname AS DNAME FROM dept LIMIT 10
-- mariadb:
SELECT dname FROM dept;

-- case: rownum_in_cte_query
WITH ranked AS (SELECT ename, sal FROM emp WHERE deptno = 20) SELECT * FROM (SELECT ename, sal FROM ranked ORDER BY sal DESC, ename) WHERE ROWNUM <= 2;
-- flink:
WITH ranked AS (SELECT ename, sal FROM emp WHERE deptno = 20) SELECT ename AS ENAME, sal AS SAL FROM ranked ORDER BY sal DESC NULLS FIRST, ename NULLS LAST LIMIT 2
-- mariadb:
WITH ranked AS (SELECT ename, sal FROM emp WHERE deptno = 20) SELECT ename, sal FROM ranked ORDER BY sal DESC, ename LIMIT 2;

-- case: rownum_in_subquery_of_in
SELECT ename FROM emp WHERE empno IN (SELECT empno FROM (SELECT empno FROM sales ORDER BY amount DESC) WHERE ROWNUM <= 2);
-- flink:
SELECT ename AS ENAME FROM emp WHERE empno IN (SELECT empno FROM sales ORDER BY amount DESC NULLS FIRST LIMIT 2)
-- mariadb:
SELECT ename FROM emp WHERE empno IN (SELECT empno FROM (SELECT empno FROM sales ORDER BY amount DESC LIMIT 2) t);

-- case: rownum_subquery_ordered_by_unselected_column
SELECT ename FROM (SELECT ename FROM emp ORDER BY sal DESC, ename) WHERE ROWNUM <= 3;
-- flink:
SELECT ename AS ENAME FROM emp ORDER BY sal DESC NULLS FIRST, ename NULLS LAST LIMIT 3
-- mariadb:
SELECT ename FROM emp ORDER BY sal DESC, ename LIMIT 3;

-- case: rownum_outer_expression_keeps_order
SELECT LOWER(t.ename) AS name FROM (SELECT ename, sal FROM emp ORDER BY sal DESC, ename) t WHERE ROWNUM <= 3;
-- flink:
SELECT LOWER(t.ename) AS NAME FROM (SELECT ename, sal FROM emp ORDER BY sal DESC NULLS FIRST, ename NULLS LAST LIMIT 3) AS t ORDER BY t.sal DESC NULLS FIRST, t.ename NULLS LAST
-- mariadb:
SELECT LOWER(t.ename) AS name FROM (SELECT ename, sal FROM emp ORDER BY sal DESC, ename LIMIT 3) t ORDER BY t.sal DESC, t.ename;

-- case: rownum_subquery_order_not_selected
SELECT LOWER(ename) FROM (SELECT ename FROM emp ORDER BY sal DESC) WHERE ROWNUM <= 3;
-- flink:
SELECT LOWER(ename) AS `LOWER(ENAME)` FROM (SELECT ename, sal AS `weir$order1` FROM emp ORDER BY sal DESC NULLS FIRST LIMIT 3) ORDER BY `weir$order1` DESC NULLS FIRST
-- mariadb:
SELECT LOWER(ename) FROM (SELECT ename, sal FROM emp ORDER BY sal DESC LIMIT 3) t ORDER BY sal DESC;

-- case: rownum_nvl_over_subquery_ordered_by_unselected_key
SELECT NVL(comm, 0) AS c FROM (SELECT comm FROM emp ORDER BY empno) WHERE ROWNUM <= 4;
-- flink:
SELECT COALESCE(comm, 0) AS C FROM (SELECT comm, empno AS `weir$order1` FROM emp ORDER BY empno NULLS LAST LIMIT 4) ORDER BY `weir$order1` NULLS LAST
-- mariadb:
SELECT IFNULL(comm, 0) AS c FROM (SELECT comm, empno FROM emp ORDER BY empno LIMIT 4) t ORDER BY empno;

-- case: rownum_hidden_expression_keys
SELECT t.ename, LOWER(t.job) AS job FROM (SELECT ename, job FROM emp ORDER BY sal * 12 + NVL(comm, 0) DESC, empno) t WHERE ROWNUM <= 4;
-- flink:
SELECT t.ename AS ENAME, LOWER(t.job) AS JOB FROM (SELECT ename, job, sal * 12 + COALESCE(comm, 0) AS `weir$order1`, empno AS `weir$order2` FROM emp ORDER BY sal * 12 + COALESCE(comm, 0) DESC NULLS FIRST, empno NULLS LAST LIMIT 4) AS t ORDER BY t.`weir$order1` DESC NULLS FIRST, t.`weir$order2` NULLS LAST
-- mariadb:
SELECT t.ename, LOWER(t.job) AS job FROM (SELECT ename, job, sal * 12 + IFNULL(comm, 0) AS k, empno FROM emp ORDER BY k DESC, empno LIMIT 4) t ORDER BY t.k DESC, t.empno;

-- case: rownum_grouped_subquery_ordered_by_unselected_aggregate
SELECT deptno * 10 AS d10 FROM (SELECT deptno FROM emp WHERE deptno IS NOT NULL GROUP BY deptno ORDER BY SUM(sal) DESC) WHERE ROWNUM <= 2;
-- flink:
SELECT deptno * 10 AS D10 FROM (SELECT deptno, SUM(sal) AS `weir$order1` FROM emp WHERE deptno IS NOT NULL GROUP BY deptno ORDER BY SUM(sal) DESC NULLS FIRST LIMIT 2) ORDER BY `weir$order1` DESC NULLS FIRST
-- mariadb:
SELECT deptno * 10 AS d10 FROM (SELECT deptno, SUM(sal) AS k FROM emp WHERE deptno IS NOT NULL GROUP BY deptno ORDER BY k DESC LIMIT 2) t ORDER BY k DESC;
