-- Oracle NULL handling: NVL, NVL2, DECODE (null-safe), COALESCE, '' is NULL.

-- case: nvl_number
SELECT ename, NVL(comm, 0) AS comm FROM emp;
-- flink:
SELECT ename AS ENAME, COALESCE(comm, 0) AS COMM FROM emp
-- mariadb:
SELECT ename, IFNULL(comm, 0) AS comm FROM emp;

-- case: nvl_in_arithmetic
SELECT ename, sal + NVL(comm, 0) AS total_pay FROM emp WHERE deptno = 30;
-- flink:
SELECT ename AS ENAME, sal + COALESCE(comm, 0) AS TOTAL_PAY FROM emp WHERE deptno = 30
-- mariadb:
SELECT ename, sal + IFNULL(comm, 0) AS total_pay FROM emp WHERE deptno = 30;

-- case: nvl_string
SELECT dname, NVL(loc, 'UNKNOWN') AS loc FROM dept;
-- flink:
SELECT dname AS DNAME, COALESCE(loc, 'UNKNOWN') AS LOC FROM dept
-- mariadb:
SELECT dname, IFNULL(loc, 'UNKNOWN') AS loc FROM dept;

-- case: nvl2
SELECT ename, NVL2(comm, 'COMMISSION', 'SALARY ONLY') AS plan FROM emp;
-- flink:
SELECT ename AS ENAME, CASE WHEN comm IS NOT NULL THEN 'COMMISSION' ELSE 'SALARY ONLY' END AS PLAN FROM emp
-- mariadb:
SELECT ename, IF(comm IS NOT NULL, 'COMMISSION', 'SALARY ONLY') AS plan FROM emp;

-- case: nvl2_numbers
SELECT ename, NVL2(mgr, sal, 0) AS managed_sal FROM emp;
-- flink:
SELECT ename AS ENAME, CASE WHEN mgr IS NOT NULL THEN sal ELSE 0 END AS MANAGED_SAL FROM emp
-- mariadb:
SELECT ename, IF(mgr IS NOT NULL, sal, 0) AS managed_sal FROM emp;

-- case: decode_values
SELECT ename, DECODE(deptno, 10, 'FINANCE', 20, 'RESEARCH', 30, 'SALES', 'OTHER') AS dept_name FROM emp;
-- flink:
SELECT ename AS ENAME, CASE WHEN deptno = 10 THEN 'FINANCE' WHEN deptno = 20 THEN 'RESEARCH' WHEN deptno = 30 THEN 'SALES' ELSE 'OTHER' END AS DEPT_NAME FROM emp
-- mariadb:
SELECT ename, CASE WHEN deptno <=> 10 THEN 'FINANCE' WHEN deptno <=> 20 THEN 'RESEARCH' WHEN deptno <=> 30 THEN 'SALES' ELSE 'OTHER' END AS dept_name FROM emp;

-- case: decode_null_search
SELECT ename, DECODE(deptno, NULL, 'NO DEPT', 'HAS DEPT') AS d FROM emp;
-- flink:
SELECT ename AS ENAME, CASE WHEN deptno IS NULL THEN 'NO DEPT' ELSE 'HAS DEPT' END AS D FROM emp
-- mariadb:
SELECT ename, IF(deptno <=> NULL, 'NO DEPT', 'HAS DEPT') AS d FROM emp;

-- case: decode_without_default
SELECT ename, DECODE(job, 'CLERK', 1, 'ANALYST', 2) AS rank_code FROM emp;
-- flink:
SELECT ename AS ENAME, CASE WHEN job = 'CLERK' THEN 1 WHEN job = 'ANALYST' THEN 2 END AS RANK_CODE FROM emp
-- mariadb:
SELECT ename, CASE WHEN job <=> 'CLERK' THEN 1 WHEN job <=> 'ANALYST' THEN 2 END AS rank_code FROM emp;

-- case: decode_column_search_null_safe
SELECT e.ename FROM emp e, emp m WHERE m.empno = 7002 AND DECODE(e.comm, m.comm, 1, 0) = 1;
-- flink:
SELECT e.ename AS ENAME FROM emp AS e, emp AS m WHERE m.empno = 7002 AND CASE WHEN e.comm IS NOT DISTINCT FROM m.comm THEN 1 ELSE 0 END = 1
-- mariadb:
SELECT e.ename FROM emp e, emp m WHERE m.empno = 7002 AND CASE WHEN e.comm <=> m.comm THEN 1 ELSE 0 END = 1;

-- case: decode_in_aggregate
SELECT SUM(DECODE(job, 'SALESMAN', sal, 0)) AS sales_pay, SUM(DECODE(job, 'SALESMAN', 0, sal)) AS other_pay FROM emp;
-- flink:
SELECT SUM(CASE WHEN job = 'SALESMAN' THEN sal ELSE 0 END) AS SALES_PAY, SUM(CASE WHEN job = 'SALESMAN' THEN 0 ELSE sal END) AS OTHER_PAY FROM emp
-- mariadb:
SELECT SUM(IF(job <=> 'SALESMAN', sal, 0)) AS sales_pay, SUM(IF(job <=> 'SALESMAN', 0, sal)) AS other_pay FROM emp;

-- case: coalesce
-- portable: the Oracle statement means the same on MariaDB (over the binary-collated Oracle tables)
SELECT ename, COALESCE(comm, mgr, 0) AS x FROM emp;
-- flink:
SELECT ename AS ENAME, COALESCE(comm, mgr, 0) AS X FROM emp
-- mariadb:
SELECT ename, COALESCE(comm, mgr, 0) AS x FROM emp;

-- case: nullif
-- portable: the Oracle statement means the same on MariaDB (over the binary-collated Oracle tables)
SELECT ename, NULLIF(comm, 0) AS comm FROM emp WHERE deptno = 30;
-- flink:
SELECT ename AS ENAME, NULLIF(comm, 0) AS COMM FROM emp WHERE deptno = 30
-- mariadb:
SELECT ename, NULLIF(comm, 0) AS comm FROM emp WHERE deptno = 30;

-- case: empty_string_is_null_in_comparison
SELECT COUNT(*) AS n FROM emp WHERE job = '';
-- flink:
SELECT COUNT(*) AS N FROM emp WHERE job = CAST(NULL AS STRING)
-- mariadb:
SELECT COUNT(*) AS n FROM emp WHERE job = NULL;

-- case: empty_string_is_null_in_nvl
SELECT dname, NVL(loc, '') AS loc FROM dept;
-- flink:
SELECT dname AS DNAME, COALESCE(loc, CAST(NULL AS STRING)) AS LOC FROM dept
-- mariadb:
SELECT dname, loc FROM dept;

-- case: empty_string_is_null_is_null
SELECT COUNT(*) AS n FROM dept WHERE '' IS NULL;
-- flink:
SELECT COUNT(*) AS N FROM dept WHERE CAST(NULL AS STRING) IS NULL
-- mariadb:
SELECT COUNT(*) AS n FROM dept;

-- case: greatest_least
-- portable: MariaDB's GREATEST and LEAST are Oracle's (NULL when an argument is NULL)
SELECT ename, GREATEST(sal, 2000) AS g, LEAST(sal, 2000) AS l FROM emp WHERE deptno = 10;
-- flink:
SELECT ename AS ENAME, GREATEST(sal, 2000) AS G, LEAST(sal, 2000) AS L FROM emp WHERE deptno = 10
-- mariadb:
SELECT ename, GREATEST(sal, 2000) AS g, LEAST(sal, 2000) AS l FROM emp WHERE deptno = 10;

-- case: count_nullable
-- portable: the Oracle statement means the same on MariaDB (over the binary-collated Oracle tables)
SELECT COUNT(comm) AS with_comm, COUNT(*) AS all_rows, COUNT(DISTINCT mgr) AS managers FROM emp;
-- flink:
SELECT COUNT(comm) AS WITH_COMM, COUNT(*) AS ALL_ROWS, COUNT(DISTINCT mgr) AS MANAGERS FROM emp
-- mariadb:
SELECT COUNT(comm) AS with_comm, COUNT(*) AS all_rows, COUNT(DISTINCT mgr) AS managers FROM emp;
