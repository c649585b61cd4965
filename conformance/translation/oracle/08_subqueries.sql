-- Oracle subqueries, CTEs and report queries over the scott-like tables.

-- case: in_subquery
-- portable: the Oracle statement means the same on MariaDB (over the binary-collated Oracle tables)
SELECT ename FROM emp WHERE deptno IN (SELECT deptno FROM dept WHERE loc = 'OSAKA');
-- flink:
SELECT ename AS ENAME FROM emp WHERE deptno IN (SELECT deptno FROM dept WHERE loc = 'OSAKA')
-- mariadb:
SELECT ename FROM emp WHERE deptno IN (SELECT deptno FROM dept WHERE loc = 'OSAKA');

-- case: not_in_subquery_with_nulls
-- portable: the Oracle statement means the same on MariaDB (over the binary-collated Oracle tables)
SELECT dname FROM dept WHERE deptno NOT IN (SELECT deptno FROM emp WHERE deptno IS NOT NULL);
-- flink:
SELECT dname AS DNAME FROM dept WHERE deptno NOT IN (SELECT deptno FROM emp WHERE deptno IS NOT NULL)
-- mariadb:
SELECT dname FROM dept WHERE deptno NOT IN (SELECT deptno FROM emp WHERE deptno IS NOT NULL);

-- case: exists
SELECT d.dname FROM dept d WHERE EXISTS (SELECT 1 FROM emp e WHERE e.deptno = d.deptno AND e.job = 'ANALYST');
-- flink:
SELECT d.dname AS DNAME FROM dept AS d WHERE EXISTS (SELECT 1 FROM emp AS e WHERE e.deptno = d.deptno AND e.job = 'ANALYST')
-- mariadb:
SELECT d.dname FROM dept d WHERE EXISTS (SELECT 1 FROM emp e WHERE e.deptno = d.deptno AND e.job = 'ANALYST');

-- case: not_exists
SELECT e.ename FROM emp e WHERE NOT EXISTS (SELECT 1 FROM sales s WHERE s.empno = e.empno);
-- flink:
SELECT e.ename AS ENAME FROM emp AS e WHERE NOT EXISTS (SELECT 1 FROM sales AS s WHERE s.empno = e.empno)
-- mariadb:
SELECT e.ename FROM emp e WHERE NOT EXISTS (SELECT 1 FROM sales s WHERE s.empno = e.empno);

-- case: scalar_subquery_max
-- portable: the Oracle statement means the same on MariaDB (over the binary-collated Oracle tables)
SELECT ename, sal FROM emp WHERE sal = (SELECT MAX(sal) FROM emp);
-- flink:
SELECT ename AS ENAME, sal AS SAL FROM emp WHERE sal = (SELECT MAX(sal) FROM emp)
-- mariadb:
SELECT ename, sal FROM emp WHERE sal = (SELECT MAX(sal) FROM emp);

-- case: correlated_above_department_average
SELECT e.ename, e.sal FROM emp e WHERE e.sal > (SELECT AVG(x.sal) FROM emp x WHERE x.deptno = e.deptno);
-- flink:
SELECT e.ename AS ENAME, e.sal AS SAL FROM emp AS e WHERE e.sal > (SELECT AVG(x.sal) FROM emp AS x WHERE x.deptno = e.deptno)
-- mariadb:
SELECT e.ename, e.sal FROM emp e WHERE e.sal > (SELECT AVG(x.sal) FROM emp x WHERE x.deptno = e.deptno);

-- case: scalar_subquery_in_select
SELECT d.dname, (SELECT COUNT(*) FROM emp e WHERE e.deptno = d.deptno) AS staff FROM dept d;
-- flink:
SELECT d.dname AS DNAME, (SELECT COUNT(*) FROM emp AS e WHERE e.deptno = d.deptno) AS STAFF FROM dept AS d
-- mariadb:
SELECT d.dname, (SELECT COUNT(*) FROM emp e WHERE e.deptno = d.deptno) AS staff FROM dept d;

-- case: derived_table
SELECT t.deptno, t.payroll FROM (SELECT deptno, SUM(sal) AS payroll FROM emp GROUP BY deptno) t WHERE t.payroll > 5000;
-- flink:
SELECT t.deptno AS DEPTNO, t.payroll AS PAYROLL FROM (SELECT deptno, SUM(sal) AS payroll FROM emp GROUP BY deptno) AS t WHERE t.payroll > 5000
-- mariadb:
SELECT t.deptno, t.payroll FROM (SELECT deptno, SUM(sal) AS payroll FROM emp GROUP BY deptno) t WHERE t.payroll > 5000;

-- case: cte
WITH dept_pay AS (SELECT deptno, SUM(sal) AS payroll FROM emp WHERE deptno IS NOT NULL GROUP BY deptno) SELECT d.dname, p.payroll FROM dept d JOIN dept_pay p ON p.deptno = d.deptno;
-- flink:
WITH dept_pay AS (SELECT deptno, SUM(sal) AS payroll FROM emp WHERE deptno IS NOT NULL GROUP BY deptno) SELECT d.dname AS DNAME, p.payroll AS PAYROLL FROM dept AS d JOIN dept_pay AS p ON p.deptno = d.deptno
-- mariadb:
WITH dept_pay AS (SELECT deptno, SUM(sal) AS payroll FROM emp WHERE deptno IS NOT NULL GROUP BY deptno) SELECT d.dname, p.payroll FROM dept d JOIN dept_pay p ON p.deptno = d.deptno;

-- case: cte_with_column_list
WITH totals (empno, total) AS (SELECT empno, SUM(amount) FROM sales GROUP BY empno) SELECT e.ename, t.total FROM totals t JOIN emp e ON e.empno = t.empno;
-- flink:
WITH totals (empno, total) AS (SELECT empno, SUM(amount) FROM sales GROUP BY empno) SELECT e.ename AS ENAME, t.total AS TOTAL FROM totals AS t JOIN emp AS e ON e.empno = t.empno
-- mariadb:
WITH totals (empno, total) AS (SELECT empno, SUM(amount) FROM sales GROUP BY empno) SELECT e.ename, t.total FROM totals t JOIN emp e ON e.empno = t.empno;

-- case: any_comparison_via_in
-- portable: the Oracle statement means the same on MariaDB (over the binary-collated Oracle tables)
SELECT ename FROM emp WHERE job IN ('CLERK', 'ANALYST') AND sal > 1000;
-- flink:
SELECT ename AS ENAME FROM emp WHERE job IN ('CLERK', 'ANALYST') AND sal > 1000
-- mariadb:
SELECT ename FROM emp WHERE job IN ('CLERK', 'ANALYST') AND sal > 1000;

-- case: report_sales_by_employee
SELECT e.ename, COUNT(s.sale_id) AS sales, NVL(SUM(s.amount), 0) AS revenue FROM emp e, sales s WHERE e.empno = s.empno(+) AND e.job = 'SALESMAN' GROUP BY e.ename;
-- flink:
SELECT e.ename AS ENAME, COUNT(s.sale_id) AS SALES, COALESCE(SUM(s.amount), 0) AS REVENUE FROM emp AS e LEFT JOIN sales AS s ON e.empno = s.empno WHERE e.job = 'SALESMAN' GROUP BY e.ename
-- mariadb:
SELECT e.ename, COUNT(s.sale_id) AS sales, IFNULL(SUM(s.amount), 0) AS revenue FROM emp e LEFT JOIN sales s ON e.empno = s.empno WHERE e.job = 'SALESMAN' GROUP BY e.ename;

-- case: report_commission_ratio
SELECT ename, ROUND(NVL(comm, 0) / sal * 100, 1) AS pct FROM emp WHERE job = 'SALESMAN';
-- flink:
SELECT ename AS ENAME, ROUND(CAST(COALESCE(comm, 0) AS DECIMAL(38, 10)) / sal * 100, 1) AS PCT FROM emp WHERE job = 'SALESMAN'
-- mariadb:
SELECT ename, ROUND(IFNULL(comm, 0) / sal * 100, 1) AS pct FROM emp WHERE job = 'SALESMAN';

-- case: report_tenure_years
SELECT ename, TRUNC(MONTHS_BETWEEN(TO_DATE('2025-01-01', 'YYYY-MM-DD'), hiredate) / 12) AS years FROM emp;
-- flink:
SELECT ename AS ENAME, TRUNCATE(CAST(CASE WHEN DAYOFMONTH(TO_TIMESTAMP('2025-01-01', 'yyyy-MM-dd')) = DAYOFMONTH(hiredate) OR DAYOFMONTH(TIMESTAMPADD(DAY, 1, TO_TIMESTAMP('2025-01-01', 'yyyy-MM-dd'))) = 1 AND DAYOFMONTH(TIMESTAMPADD(DAY, 1, hiredate)) = 1 THEN CAST((YEAR(TO_TIMESTAMP('2025-01-01', 'yyyy-MM-dd')) - YEAR(hiredate)) * 12 + (MONTH(TO_TIMESTAMP('2025-01-01', 'yyyy-MM-dd')) - MONTH(hiredate)) AS DECIMAL(38, 10)) ELSE (YEAR(TO_TIMESTAMP('2025-01-01', 'yyyy-MM-dd')) - YEAR(hiredate)) * 12 + (MONTH(TO_TIMESTAMP('2025-01-01', 'yyyy-MM-dd')) - MONTH(hiredate)) + CAST(DAYOFMONTH(TO_TIMESTAMP('2025-01-01', 'yyyy-MM-dd')) * 86400 + HOUR(TO_TIMESTAMP('2025-01-01', 'yyyy-MM-dd')) * 3600 + (MINUTE(TO_TIMESTAMP('2025-01-01', 'yyyy-MM-dd')) * 60 + SECOND(TO_TIMESTAMP('2025-01-01', 'yyyy-MM-dd'))) - (DAYOFMONTH(hiredate) * 86400 + HOUR(hiredate) * 3600 + (MINUTE(hiredate) * 60 + SECOND(hiredate))) AS DECIMAL(38, 10)) / 2678400 END AS DECIMAL(38, 10)) / 12) AS YEARS FROM emp
-- mariadb:
SELECT ename, TIMESTAMPDIFF(YEAR, hiredate, TIMESTAMP('2025-01-01')) AS years FROM emp;

-- case: report_department_summary
SELECT d.dname, NVL(d.loc, '-') AS loc, COUNT(e.empno) AS staff, NVL(MAX(e.sal), 0) AS top_sal FROM dept d LEFT JOIN emp e ON e.deptno = d.deptno GROUP BY d.dname, d.loc;
-- flink:
SELECT d.dname AS DNAME, COALESCE(d.loc, '-') AS LOC, COUNT(e.empno) AS STAFF, COALESCE(MAX(e.sal), 0) AS TOP_SAL FROM dept AS d LEFT JOIN emp AS e ON e.deptno = d.deptno GROUP BY d.dname, d.loc
-- mariadb:
SELECT d.dname, IFNULL(d.loc, '-') AS loc, COUNT(e.empno) AS staff, IFNULL(MAX(e.sal), 0) AS top_sal FROM dept d LEFT JOIN emp e ON e.deptno = d.deptno GROUP BY d.dname, d.loc;

-- case: report_label_concat
SELECT d.dname || ' (' || NVL(d.loc, 'no site') || ')' AS label FROM dept d;
-- flink:
SELECT CONCAT_WS('', d.dname, ' (', COALESCE(d.loc, 'no site'), ')') AS LABEL FROM dept AS d
-- mariadb:
SELECT CONCAT_WS('', d.dname, ' (', IFNULL(d.loc, 'no site'), ')') AS label FROM dept d;

-- case: report_hire_quarter
SELECT TO_CHAR(hiredate, 'YYYY') AS y, COUNT(*) AS hires FROM emp GROUP BY TO_CHAR(hiredate, 'YYYY') HAVING COUNT(*) > 1;
-- flink:
SELECT DATE_FORMAT(hiredate, 'yyyy') AS Y, COUNT(*) AS HIRES FROM emp GROUP BY DATE_FORMAT(hiredate, 'yyyy') HAVING COUNT(*) > 1
-- mariadb:
SELECT DATE_FORMAT(hiredate, '%Y') AS y, COUNT(*) AS hires FROM emp GROUP BY DATE_FORMAT(hiredate, '%Y') HAVING COUNT(*) > 1;

-- case: report_region_product_matrix
SELECT NVL(region, 'n/a') AS region, DECODE(product, 'Widget', units, 0) AS widgets, DECODE(product, 'Gizmo', units, 0) AS gizmos FROM sales;
-- flink:
SELECT COALESCE(region, 'n/a') AS REGION, CASE WHEN product = 'Widget' THEN units ELSE 0 END AS WIDGETS, CASE WHEN product = 'Gizmo' THEN units ELSE 0 END AS GIZMOS FROM sales
-- mariadb:
SELECT IFNULL(region, 'n/a') AS region, CASE WHEN product = 'Widget' THEN units ELSE 0 END AS widgets, CASE WHEN product = 'Gizmo' THEN units ELSE 0 END AS gizmos FROM sales;

-- case: union_with_order
SELECT ename AS name FROM emp WHERE deptno = 10 UNION SELECT dname FROM dept ORDER BY 1;
-- flink:
SELECT ename AS NAME FROM emp WHERE deptno = 10 UNION SELECT dname FROM dept ORDER BY 1 NULLS LAST
-- mariadb:
SELECT ename AS name FROM emp WHERE deptno = 10 UNION SELECT dname FROM dept ORDER BY 1;

-- case: nested_decode_nvl
SELECT ename, DECODE(NVL(comm, -1), -1, 'NONE', 0, 'ZERO', 'SOME') AS c FROM emp WHERE deptno = 30;
-- flink:
SELECT ename AS ENAME, CASE WHEN COALESCE(comm, -1) = -1 THEN 'NONE' WHEN COALESCE(comm, -1) = 0 THEN 'ZERO' ELSE 'SOME' END AS C FROM emp WHERE deptno = 30
-- mariadb:
SELECT ename, CASE WHEN IFNULL(comm, -1) = -1 THEN 'NONE' WHEN IFNULL(comm, -1) = 0 THEN 'ZERO' ELSE 'SOME' END AS c FROM emp WHERE deptno = 30;
