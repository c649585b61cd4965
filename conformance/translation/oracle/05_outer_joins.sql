-- Oracle (+) outer joins become ANSI LEFT JOINs; the shapes Oracle restricts or that have no
-- faithful ANSI form are refused (see 10_refused.sql), never dropped.

-- case: outer_join_right_marker
SELECT e.ename, d.dname FROM emp e, dept d WHERE e.deptno = d.deptno(+);
-- flink:
SELECT e.ename AS ENAME, d.dname AS DNAME FROM emp AS e LEFT JOIN dept AS d ON e.deptno = d.deptno
-- mariadb:
SELECT e.ename, d.dname FROM emp e LEFT JOIN dept d ON e.deptno = d.deptno;

-- case: outer_join_left_marker
SELECT d.dname, e.ename FROM emp e, dept d WHERE e.deptno(+) = d.deptno;
-- flink:
SELECT d.dname AS DNAME, e.ename AS ENAME FROM dept AS d LEFT JOIN emp AS e ON e.deptno = d.deptno
-- mariadb:
SELECT d.dname, e.ename FROM dept d LEFT JOIN emp e ON e.deptno = d.deptno;

-- case: outer_join_departments_without_staff
SELECT d.dname FROM dept d, emp e WHERE d.deptno = e.deptno(+) AND e.empno IS NULL;
-- flink:
SELECT d.dname AS DNAME FROM dept AS d LEFT JOIN emp AS e ON d.deptno = e.deptno WHERE e.empno IS NULL
-- mariadb:
SELECT d.dname FROM dept d LEFT JOIN emp e ON d.deptno = e.deptno WHERE e.empno IS NULL;

-- case: outer_join_with_filter_on_inner
SELECT d.dname, e.ename FROM dept d, emp e WHERE d.deptno = e.deptno(+) AND e.job(+) = 'CLERK';
-- flink:
SELECT d.dname AS DNAME, e.ename AS ENAME FROM dept AS d LEFT JOIN emp AS e ON d.deptno = e.deptno AND e.job = 'CLERK'
-- mariadb:
SELECT d.dname, e.ename FROM dept d LEFT JOIN emp e ON d.deptno = e.deptno AND e.job = 'CLERK';

-- case: outer_join_with_filter_on_outer
SELECT d.dname, e.ename FROM dept d, emp e WHERE d.deptno = e.deptno(+) AND d.loc IS NOT NULL;
-- flink:
SELECT d.dname AS DNAME, e.ename AS ENAME FROM dept AS d LEFT JOIN emp AS e ON d.deptno = e.deptno WHERE d.loc IS NOT NULL
-- mariadb:
SELECT d.dname, e.ename FROM dept d LEFT JOIN emp e ON d.deptno = e.deptno WHERE d.loc IS NOT NULL;

-- case: outer_join_self_manager
SELECT w.ename AS worker, m.ename AS manager FROM emp w, emp m WHERE w.mgr = m.empno(+);
-- flink:
SELECT w.ename AS WORKER, m.ename AS MANAGER FROM emp AS w LEFT JOIN emp AS m ON w.mgr = m.empno
-- mariadb:
SELECT w.ename AS worker, m.ename AS manager FROM emp w LEFT JOIN emp m ON w.mgr = m.empno;

-- case: outer_join_chain
SELECT w.ename, m.ename AS manager, d.dname AS manager_dept FROM emp w, emp m, dept d WHERE w.mgr = m.empno(+) AND m.deptno = d.deptno(+);
-- flink:
SELECT w.ename AS ENAME, m.ename AS MANAGER, d.dname AS MANAGER_DEPT FROM emp AS w LEFT JOIN emp AS m ON w.mgr = m.empno LEFT JOIN dept AS d ON m.deptno = d.deptno
-- mariadb:
SELECT w.ename, m.ename AS manager, d.dname AS manager_dept FROM emp w LEFT JOIN emp m ON w.mgr = m.empno LEFT JOIN dept d ON m.deptno = d.deptno;

-- case: outer_join_with_inner_join
SELECT s.sale_id, e.ename, d.dname FROM sales s, emp e, dept d WHERE s.empno = e.empno AND e.deptno = d.deptno(+) AND s.amount > 1000;
-- flink:
SELECT s.sale_id AS SALE_ID, e.ename AS ENAME, d.dname AS DNAME FROM sales AS s CROSS JOIN emp AS e LEFT JOIN dept AS d ON e.deptno = d.deptno WHERE s.empno = e.empno AND s.amount > 1000
-- mariadb:
SELECT s.sale_id, e.ename, d.dname FROM sales s JOIN emp e ON s.empno = e.empno LEFT JOIN dept d ON e.deptno = d.deptno WHERE s.amount > 1000;

-- case: outer_join_two_column_key
SELECT a.sale_id, b.sale_id AS same_day_sale FROM sales a, sales b WHERE a.region = b.region(+) AND a.product = b.product(+) AND b.sale_id(+) > a.sale_id AND a.sale_id < 4;
-- flink:
SELECT a.sale_id AS SALE_ID, b.sale_id AS SAME_DAY_SALE FROM sales AS a LEFT JOIN sales AS b ON a.region = b.region AND a.product = b.product AND b.sale_id > a.sale_id WHERE a.sale_id < 4
-- mariadb:
SELECT a.sale_id, b.sale_id AS same_day_sale FROM sales a LEFT JOIN sales b ON a.region = b.region AND a.product = b.product AND b.sale_id > a.sale_id WHERE a.sale_id < 4;

-- case: outer_join_salary_grade_range
SELECT e.ename, g.grade FROM emp e, salgrade g WHERE e.sal >= g.losal(+) AND e.sal <= g.hisal(+);
-- flink:
SELECT e.ename AS ENAME, g.grade AS GRADE FROM emp AS e LEFT JOIN salgrade AS g ON e.sal >= g.losal AND e.sal <= g.hisal
-- mariadb:
SELECT e.ename, g.grade FROM emp e LEFT JOIN salgrade g ON e.sal >= g.losal AND e.sal <= g.hisal;

-- case: outer_join_aggregate
SELECT d.dname, COUNT(e.empno) AS staff FROM dept d, emp e WHERE d.deptno = e.deptno(+) GROUP BY d.dname;
-- flink:
SELECT d.dname AS DNAME, COUNT(e.empno) AS STAFF FROM dept AS d LEFT JOIN emp AS e ON d.deptno = e.deptno GROUP BY d.dname
-- mariadb:
SELECT d.dname, COUNT(e.empno) AS staff FROM dept d LEFT JOIN emp e ON d.deptno = e.deptno GROUP BY d.dname;

-- case: outer_join_unaliased_tables
SELECT emp.ename, dept.loc FROM emp, dept WHERE emp.deptno = dept.deptno(+) AND emp.job = 'ANALYST';
-- flink:
SELECT emp.ename AS ENAME, dept.loc AS LOC FROM emp LEFT JOIN dept ON emp.deptno = dept.deptno WHERE emp.job = 'ANALYST'
-- mariadb:
SELECT emp.ename, dept.loc FROM dept RIGHT JOIN emp ON dept.deptno = emp.deptno WHERE emp.job = 'ANALYST';

-- case: outer_join_unqualified_known_columns
SELECT ename, dname FROM emp, dept WHERE emp.deptno = dept.deptno(+) AND loc(+) = 'LYON';
-- flink:
SELECT ename AS ENAME, dname AS DNAME FROM emp LEFT JOIN dept ON emp.deptno = dept.deptno AND loc = 'LYON'
-- mariadb:
SELECT e.ename, d.dname FROM emp e LEFT JOIN (SELECT deptno, dname FROM dept WHERE loc = 'LYON') d ON d.deptno = e.deptno;

-- case: comma_join_without_markers
SELECT e.ename, d.dname FROM emp e, dept d WHERE e.deptno = d.deptno AND d.loc = 'OSAKA';
-- flink:
SELECT e.ename AS ENAME, d.dname AS DNAME FROM emp AS e, dept AS d WHERE e.deptno = d.deptno AND d.loc = 'OSAKA'
-- mariadb:
SELECT e.ename, d.dname FROM emp e, dept d WHERE e.deptno = d.deptno AND d.loc = 'OSAKA';

-- case: ansi_left_join
SELECT e.ename, d.dname FROM emp e LEFT JOIN dept d ON d.deptno = e.deptno WHERE e.sal > 2500;
-- flink:
SELECT e.ename AS ENAME, d.dname AS DNAME FROM emp AS e LEFT JOIN dept AS d ON d.deptno = e.deptno WHERE e.sal > 2500
-- mariadb:
SELECT e.ename, d.dname FROM emp e LEFT JOIN dept d ON d.deptno = e.deptno WHERE e.sal > 2500;

-- case: ansi_full_join
SELECT e.ename, d.dname FROM emp e FULL OUTER JOIN dept d ON d.deptno = e.deptno WHERE e.empno IS NULL OR d.deptno IS NULL;
-- flink:
SELECT e.ename AS ENAME, d.dname AS DNAME FROM emp AS e FULL JOIN dept AS d ON d.deptno = e.deptno WHERE e.empno IS NULL OR d.deptno IS NULL
-- mariadb:
SELECT e.ename, d.dname FROM emp e LEFT JOIN dept d ON d.deptno = e.deptno WHERE d.deptno IS NULL UNION ALL SELECT NULL, d.dname FROM dept d WHERE NOT EXISTS (SELECT 1 FROM emp e WHERE e.deptno = d.deptno);
