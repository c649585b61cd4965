//! Oracle → Flink translation, rule by rule.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test, benchmark or example: failing loudly is its job

mod common;

use weir_dialects::{FlinkTarget, NoSchema, SourceDialect, TranslateError, translate, translate_script};

fn ok(sql: &str, expected: &str) {
    common::translates_to(SourceDialect::Oracle, sql, expected);
}

fn no(sql: &str, construct: &str) {
    common::refused(SourceDialect::Oracle, sql, construct);
}

#[test]
fn dual_fetch_and_minus() {
    ok("SELECT 1 FROM dual", "SELECT 1 AS `1`");
    ok("SELECT ename FROM emp FETCH FIRST 3 ROWS ONLY", "SELECT ename AS ENAME FROM emp LIMIT 3");
    ok(
        "SELECT ename FROM emp ORDER BY sal DESC OFFSET 2 ROWS FETCH NEXT 3 ROWS ONLY",
        "SELECT ename AS ENAME FROM emp ORDER BY sal DESC NULLS FIRST LIMIT 3 OFFSET 2",
    );
    ok("SELECT deptno FROM dept MINUS SELECT deptno FROM emp", "SELECT deptno AS DEPTNO FROM dept EXCEPT SELECT deptno FROM emp");
    no("SELECT ename FROM emp FETCH FIRST 3 ROWS WITH TIES", "WITH TIES");
}

#[test]
fn null_ordering_is_oracles() {
    ok("SELECT ename FROM emp ORDER BY comm", "SELECT ename AS ENAME FROM emp ORDER BY comm NULLS LAST");
    ok("SELECT ename FROM emp ORDER BY comm DESC", "SELECT ename AS ENAME FROM emp ORDER BY comm DESC NULLS FIRST");
    ok("SELECT ename FROM emp ORDER BY comm NULLS FIRST", "SELECT ename AS ENAME FROM emp ORDER BY comm NULLS FIRST");
    ok(
        "SELECT ename, RANK() OVER (ORDER BY sal DESC) FROM emp",
        "SELECT ename AS ENAME, RANK() OVER (ORDER BY sal DESC NULLS FIRST) AS `RANK()OVER(ORDERBYSALDESC)` FROM emp",
    );
}

#[test]
fn null_functions() {
    ok("SELECT NVL(comm, 0) FROM emp", "SELECT COALESCE(comm, 0) AS `NVL(COMM,0)` FROM emp");
    ok(
        "SELECT NVL2(comm, 'paid', 'none') FROM emp",
        "SELECT CASE WHEN comm IS NOT NULL THEN 'paid' ELSE 'none' END AS `NVL2(COMM,'PAID','NONE')` FROM emp",
    );
    ok(
        "SELECT DECODE(deptno, 10, 'A', 20, 'B', NULL, '?', 'Z') FROM emp",
        "SELECT CASE WHEN deptno = 10 THEN 'A' WHEN deptno = 20 THEN 'B' WHEN deptno IS NULL THEN '?' ELSE 'Z' END AS `DECODE(DEPTNO,10,'A',20,'B',NULL,'?','Z')` FROM emp",
    );
    ok(
        "SELECT DECODE(comm, sal, 'same') FROM emp",
        "SELECT CASE WHEN comm IS NOT DISTINCT FROM sal THEN 'same' END AS `DECODE(COMM,SAL,'SAME')` FROM emp",
    );
}

#[test]
fn empty_string_is_null() {
    ok("SELECT ename FROM emp WHERE job = ''", "SELECT ename AS ENAME FROM emp WHERE job = CAST(NULL AS STRING)");
    ok("SELECT NVL(job, '') FROM emp", "SELECT COALESCE(job, CAST(NULL AS STRING)) AS `NVL(JOB,'')` FROM emp");
    ok("SELECT REPLACE(job, 'A', '') FROM emp", "SELECT REPLACE(job, 'A', '') AS `REPLACE(JOB,'A','')` FROM emp");
    ok("SELECT REPLACE(job, 'A') FROM emp", "SELECT REPLACE(job, 'A', '') AS `REPLACE(JOB,'A')` FROM emp");
}

#[test]
fn concatenation_skips_nulls() {
    ok("SELECT ename || ' - ' || job FROM emp", "SELECT CONCAT_WS('', ename, ' - ', job) AS `ENAME||'-'||JOB` FROM emp");
    ok("SELECT ename || job FROM emp", "SELECT NULLIF(CONCAT_WS('', ename, job), '') AS `ENAME||JOB` FROM emp");
    ok("SELECT CONCAT(ename, job) FROM emp", "SELECT NULLIF(CONCAT_WS('', ename, job), '') AS `CONCAT(ENAME,JOB)` FROM emp");
    ok("SELECT 'No. ' || empno FROM emp", "SELECT CONCAT_WS('', 'No. ', CAST(empno AS STRING)) AS `'NO.'||EMPNO` FROM emp");
    ok(
        "SELECT 'Pay: ' || sal FROM emp",
        r"SELECT CONCAT_WS('', 'Pay: ', REGEXP_REPLACE(REGEXP_REPLACE(REGEXP_REPLACE(REGEXP_REPLACE(CAST(sal AS STRING), '0+$', ''), '\.$', ''), '^0\.', '.'), '^-0\.', '-.')) AS `'PAY:'||SAL` FROM emp",
    );
    no("SELECT 'Hired ' || hiredate FROM emp", "concatenating a date");
}

#[test]
fn outer_join_marks() {
    ok(
        "SELECT e.ename, d.dname FROM emp e, dept d WHERE e.deptno = d.deptno(+)",
        "SELECT e.ename AS ENAME, d.dname AS DNAME FROM emp AS e LEFT JOIN dept AS d ON e.deptno = d.deptno",
    );
    ok(
        "SELECT e.ename, d.dname FROM emp e, dept d WHERE d.deptno(+) = e.deptno AND d.loc(+) = 'X' AND e.sal > 100",
        "SELECT e.ename AS ENAME, d.dname AS DNAME FROM emp AS e LEFT JOIN dept AS d ON d.deptno = e.deptno AND d.loc = 'X' WHERE e.sal > 100",
    );
    ok(
        "SELECT d.dname, e.ename FROM dept d, emp e WHERE d.deptno = e.deptno(+) AND e.job(+) = 'CLERK'",
        "SELECT d.dname AS DNAME, e.ename AS ENAME FROM dept AS d LEFT JOIN emp AS e ON d.deptno = e.deptno AND e.job = 'CLERK'",
    );
    // The outer-joined table comes after the table it depends on, whatever the FROM order.
    ok(
        "SELECT e.ename, d.dname FROM dept d, emp e WHERE e.deptno = d.deptno(+)",
        "SELECT e.ename AS ENAME, d.dname AS DNAME FROM emp AS e LEFT JOIN dept AS d ON e.deptno = d.deptno",
    );
    ok(
        "SELECT e.ename, m.ename, d.dname FROM emp e, emp m, dept d WHERE e.mgr = m.empno(+) AND m.deptno = d.deptno(+)",
        "SELECT e.ename AS ENAME, m.ename AS ENAME, d.dname AS DNAME FROM emp AS e LEFT JOIN emp AS m ON e.mgr = m.empno LEFT JOIN dept AS d ON m.deptno = d.deptno",
    );
    ok(
        "SELECT e.ename FROM emp e, dept d, emp m WHERE e.deptno = d.deptno AND e.mgr = m.empno(+)",
        "SELECT e.ename AS ENAME FROM emp AS e CROSS JOIN dept AS d LEFT JOIN emp AS m ON e.mgr = m.empno WHERE e.deptno = d.deptno",
    );
    no("SELECT e.ename FROM emp e, dept d WHERE e.deptno = d.deptno(+) OR e.sal > 1", "(+) in a condition with OR");
    no("SELECT e.ename FROM emp e, dept d WHERE e.deptno(+) = d.deptno(+)", "two tables");
    no("SELECT e.ename FROM emp e JOIN dept d ON 1 = 1 WHERE e.deptno = d.deptno(+)", "mixed with JOIN");
    no("SELECT e.ename FROM emp e, dept d WHERE e.deptno(+) = d.deptno AND d.deptno(+) = e.deptno", "cycle");
    no("SELECT a FROM t, u WHERE x(+) = y", "table is not known");
}

#[test]
fn rownum() {
    ok(
        "SELECT * FROM (SELECT ename, sal FROM emp ORDER BY sal DESC) WHERE ROWNUM <= 3",
        "SELECT ename AS ENAME, sal AS SAL FROM emp ORDER BY sal DESC NULLS FIRST LIMIT 3",
    );
    ok(
        "SELECT * FROM (SELECT ename, sal FROM emp ORDER BY sal DESC) WHERE ROWNUM < 4",
        "SELECT ename AS ENAME, sal AS SAL FROM emp ORDER BY sal DESC NULLS FIRST LIMIT 3",
    );
    ok(
        "SELECT ename FROM (SELECT ename, sal FROM emp ORDER BY sal DESC) t WHERE ROWNUM <= 3",
        "SELECT ename AS ENAME FROM emp ORDER BY sal DESC NULLS FIRST LIMIT 3",
    );
    ok(
        "SELECT UPPER(t.ename) AS u FROM (SELECT ename, sal FROM emp ORDER BY sal DESC) t WHERE ROWNUM <= 3",
        "SELECT UPPER(t.ename) AS U FROM (SELECT ename, sal FROM emp ORDER BY sal DESC NULLS FIRST LIMIT 3) AS t ORDER BY t.sal DESC NULLS FIRST",
    );
    ok("SELECT ename FROM emp WHERE deptno = 10 AND ROWNUM = 1", "SELECT ename AS ENAME FROM emp WHERE deptno = 10 LIMIT 1");
    no("SELECT ename, ROWNUM FROM emp", "ROWNUM");
    no("SELECT ename FROM emp WHERE ROWNUM > 5", "ROWNUM");
    no("SELECT ename FROM emp WHERE ROWNUM <= 5 ORDER BY sal", "ROWNUM with ORDER BY");
    no("SELECT deptno, COUNT(*) FROM emp WHERE ROWNUM <= 5 GROUP BY deptno", "ROWNUM with aggregation");
    ok(
        "SELECT UPPER(ename) AS u FROM (SELECT ename FROM emp ORDER BY sal) WHERE ROWNUM <= 5",
        "SELECT UPPER(ename) AS U FROM (SELECT ename, sal AS `weir$order1` FROM emp ORDER BY sal NULLS LAST LIMIT 5) ORDER BY `weir$order1` NULLS LAST",
    );
    no("SELECT t.*, 1 FROM (SELECT ename FROM emp ORDER BY sal) t WHERE ROWNUM <= 5", "ordered by something it does not select, read with *");
    no("SELECT 1 FROM (SELECT DISTINCT ename FROM emp ORDER BY sal) WHERE ROWNUM <= 5", "DISTINCT subquery ordered by something it does not select");
}

#[test]
fn dates() {
    ok("SELECT hiredate + 7 FROM emp", "SELECT hiredate + INTERVAL '7' DAY AS `HIREDATE+7` FROM emp");
    ok("SELECT hiredate - 1 FROM emp", "SELECT hiredate - INTERVAL '1' DAY AS `HIREDATE-1` FROM emp");
    ok("SELECT hiredate + deptno FROM emp", "SELECT TIMESTAMPADD(DAY, deptno, hiredate) AS `HIREDATE+DEPTNO` FROM emp");
    ok("SELECT hiredate + 0.5 FROM emp", "SELECT TIMESTAMPADD(SECOND, CAST(ROUND(0.5 * 86400, 0) AS INT), hiredate) AS `HIREDATE+0.5` FROM emp");
    ok(
        "SELECT SYSDATE - hiredate FROM emp",
        "SELECT CAST(TIMESTAMPDIFF(SECOND, hiredate, CAST(LOCALTIMESTAMP AS TIMESTAMP(0))) AS DECIMAL(38, 10)) / 86400 AS `SYSDATE-HIREDATE` FROM emp",
    );
    ok("SELECT TRUNC(hiredate) FROM emp", "SELECT FLOOR(hiredate TO DAY) AS `TRUNC(HIREDATE)` FROM emp");
    ok("SELECT TRUNC(hiredate, 'YYYY'), TRUNC(hiredate, 'Q') FROM emp", "SELECT FLOOR(hiredate TO YEAR) AS `TRUNC(HIREDATE,'YYYY')`, FLOOR(hiredate TO QUARTER) AS `TRUNC(HIREDATE,'Q')` FROM emp");
    ok("SELECT TRUNC(sal, 1), TRUNC(sal) FROM emp", "SELECT TRUNCATE(sal, 1) AS `TRUNC(SAL,1)`, TRUNCATE(sal) AS `TRUNC(SAL)` FROM emp");
    no("SELECT TRUNC(hiredate, 'IW') FROM emp", "TRUNC of a date to 'IW'");
    no("SELECT TRUNC(x) FROM t", "unknown type");
    ok(
        "SELECT ADD_MONTHS(hiredate, 2) FROM emp",
        "SELECT CASE WHEN DAYOFMONTH(TIMESTAMPADD(DAY, 1, hiredate)) = 1 THEN TIMESTAMPADD(DAY, -1, TIMESTAMPADD(MONTH, 1, TIMESTAMPADD(DAY, 1 - DAYOFMONTH(TIMESTAMPADD(MONTH, 2, hiredate)), TIMESTAMPADD(MONTH, 2, hiredate)))) ELSE TIMESTAMPADD(MONTH, 2, hiredate) END AS `ADD_MONTHS(HIREDATE,2)` FROM emp",
    );
    ok(
        "SELECT LAST_DAY(hiredate) FROM emp",
        "SELECT TIMESTAMPADD(DAY, -1, TIMESTAMPADD(MONTH, 1, TIMESTAMPADD(DAY, 1 - DAYOFMONTH(hiredate), hiredate))) AS `LAST_DAY(HIREDATE)` FROM emp",
    );
    ok(
        "SELECT TO_CHAR(hiredate, 'YYYY-MM-DD HH24:MI:SS'), TO_CHAR(hiredate, 'DD-MON-YY') FROM emp",
        "SELECT DATE_FORMAT(hiredate, 'yyyy-MM-dd HH:mm:ss') AS `TO_CHAR(HIREDATE,'YYYY-MM-DDHH24:MI:SS')`, UPPER(DATE_FORMAT(hiredate, 'dd-MMM-yy')) AS `TO_CHAR(HIREDATE,'DD-MON-YY')` FROM emp",
    );
    ok(
        "SELECT TO_DATE('2024-03-05', 'YYYY-MM-DD') FROM dual",
        "SELECT TO_TIMESTAMP('2024-03-05', 'yyyy-MM-dd') AS `TO_DATE('2024-03-05','YYYY-MM-DD')`",
    );
    ok("SELECT EXTRACT(YEAR FROM hiredate) FROM emp", "SELECT EXTRACT(YEAR FROM hiredate) AS `EXTRACT(YEARFROMHIREDATE)` FROM emp");
    ok(
        "SELECT hiredate FROM emp WHERE hiredate > DATE '1981-06-01'",
        "SELECT hiredate AS HIREDATE FROM emp WHERE hiredate > TIMESTAMP '1981-06-01 00:00:00'",
    );
    ok("SELECT SYSTIMESTAMP, SYSDATE FROM dual", "SELECT CURRENT_TIMESTAMP AS SYSTIMESTAMP, CAST(LOCALTIMESTAMP AS TIMESTAMP(0)) AS SYSDATE");
    no("SELECT TO_CHAR(hiredate) FROM emp", "without a format model");
    no("SELECT TO_CHAR(sal, '9990.00') FROM emp", "TO_CHAR of a number with a format model");
    no("SELECT NEXT_DAY(hiredate, 'MONDAY') FROM emp", "NEXT_DAY");
    no("SELECT ROUND(hiredate) FROM emp", "ROUND of a date");
}

#[test]
fn strings_and_numbers() {
    ok("SELECT LENGTH(ename), SUBSTR(ename, 2, 3), INSTR(ename, 'A') FROM emp", "SELECT CHAR_LENGTH(ename) AS `LENGTH(ENAME)`, SUBSTR(ename, 2, 3) AS `SUBSTR(ENAME,2,3)`, INSTR(ename, 'A') AS `INSTR(ENAME,'A')` FROM emp");
    ok("SELECT INSTR(ename, 'A', 2) FROM emp", "SELECT LOCATE('A', ename, 2) AS `INSTR(ENAME,'A',2)` FROM emp");
    no("SELECT INSTR(ename, 'A', 1, 2) FROM emp", "later occurrence");
    ok("SELECT LPAD(ename, 12), RPAD(ename, 12, '.') FROM emp", "SELECT LPAD(ename, 12, ' ') AS `LPAD(ENAME,12)`, RPAD(ename, 12, '.') AS `RPAD(ENAME,12,'.')` FROM emp");
    ok("SELECT UPPER(ename), INITCAP(job) FROM emp", "SELECT UPPER(ename) AS `UPPER(ENAME)`, INITCAP(job) AS `INITCAP(JOB)` FROM emp");
    ok("SELECT TO_CHAR(empno), TO_NUMBER('42') FROM emp", "SELECT CAST(empno AS STRING) AS `TO_CHAR(EMPNO)`, CAST('42' AS DECIMAL(38, 10)) AS `TO_NUMBER('42')` FROM emp");
    ok("SELECT sal / 12, empno / 2 FROM emp", "SELECT CAST(sal AS DECIMAL(38, 10)) / 12 AS `SAL/12`, CAST(empno AS DECIMAL(38, 10)) / 2 AS `EMPNO/2` FROM emp");
    ok("SELECT MOD(empno, 3), ROUND(sal, -2) FROM emp", "SELECT MOD(empno, 3) AS `MOD(EMPNO,3)`, ROUND(sal, -2) AS `ROUND(SAL,-2)` FROM emp");
    ok("SELECT AVG(sal), AVG(empno) FROM emp", "SELECT AVG(sal) AS `AVG(SAL)`, AVG(CAST(empno AS DECIMAL(38, 10))) AS `AVG(EMPNO)` FROM emp");
    ok("SELECT STDDEV(sal) FROM emp", "SELECT STDDEV_SAMP(CAST(sal AS DOUBLE)) AS `STDDEV(SAL)` FROM emp");
    ok(
        "SELECT ename FROM emp WHERE REGEXP_LIKE(ename, '^S', 'i')",
        "SELECT ename AS ENAME FROM emp WHERE REGEXP(ename, '(?i)^S')",
    );
    ok("SELECT ename FROM emp WHERE REGEXP_LIKE(ename, '^S')", "SELECT ename AS ENAME FROM emp WHERE REGEXP(ename, '^S')");
    ok("SELECT REGEXP_REPLACE(ename, '[AEIOU]') FROM emp", "SELECT REGEXP_REPLACE(ename, '[AEIOU]', '') AS `REGEXP_REPLACE(ENAME,'[AEIOU]')` FROM emp");
    no("SELECT LISTAGG(ename, ',') WITHIN GROUP (ORDER BY ename) FROM emp", "LISTAGG ... WITHIN GROUP");
    no("SELECT MEDIAN(sal) FROM emp", "MEDIAN on Flink 1.20");
    let t = translate("SELECT MEDIAN(sal) FROM emp", SourceDialect::Oracle, &FlinkTarget::V2_2, &common::schema(), None).unwrap();
    assert_eq!(t.sql, "SELECT PERCENTILE(sal, 0.5) AS `MEDIAN(SAL)` FROM emp");
}

#[test]
fn identifiers_fold_to_the_catalog() {
    ok("SELECT ENAME, Sal FROM EMP WHERE DEPTNO = 10", "SELECT ename AS ENAME, sal AS SAL FROM emp WHERE deptno = 10");
    ok("SELECT \"ename\" FROM emp", "SELECT ename FROM emp");
    // A quoted name is exact: not folded to the catalog's spelling.
    ok("SELECT \"ENAME\" FROM emp", "SELECT ENAME FROM emp");
}

#[test]
fn refusals() {
    no("SELECT ename FROM emp START WITH mgr IS NULL CONNECT BY PRIOR empno = mgr", "CONNECT BY");
    no("SELECT LEVEL FROM dual CONNECT BY LEVEL <= 3", "CONNECT BY");
    no("MERGE INTO emp e USING dept d ON (e.deptno = d.deptno) WHEN MATCHED THEN UPDATE SET e.sal = 1", "MERGE");
    no("SELECT emp_seq.NEXTVAL FROM dual", "sequence");
    no("CREATE SEQUENCE emp_seq START WITH 1", "CREATE SEQUENCE");
    no("BEGIN UPDATE emp SET sal = 1; END", "PL/SQL");
    no("DECLARE x NUMBER; BEGIN NULL; END", "PL/SQL");
    no("SELECT ROWID FROM emp", "ROWID");
    no("SELECT USER FROM dual", "USER");
}

#[test]
fn connect_by_position() {
    let e = translate("SELECT ename\nFROM emp\nCONNECT BY PRIOR empno = mgr", SourceDialect::Oracle, &FlinkTarget::V1_20, &NoSchema, None).unwrap_err();
    assert_eq!(e.to_string(), "CONNECT BY (hierarchical queries) is not supported (line 3, column 1)");
}

#[test]
fn create_table() {
    ok(
        "CREATE TABLE employees (employee_id NUMBER(6) PRIMARY KEY, first_name VARCHAR2(20), last_name VARCHAR2(25 BYTE) NOT NULL, hire_date DATE DEFAULT SYSDATE, salary NUMBER(8,2), commission_pct NUMBER(2,2), manager_id NUMBER(6), bonus NUMBER, photo BLOB, resume CLOB)",
        "CREATE TABLE employees (employee_id INT, first_name VARCHAR(20), last_name VARCHAR(25) NOT NULL, hire_date TIMESTAMP(0), salary DECIMAL(8, 2), commission_pct DECIMAL(2, 2), manager_id INT, bonus DECIMAL(38, 19), photo BYTES, `resume` STRING, PRIMARY KEY (employee_id) NOT ENFORCED) WITH ('connector' = 'blackhole')",
    );
    ok(
        "CREATE TABLE t (a NUMBER(*,2), b TIMESTAMP(3) WITH LOCAL TIME ZONE, CONSTRAINT t_pk PRIMARY KEY (a))",
        "CREATE TABLE t (a DECIMAL(38, 2), b TIMESTAMP_LTZ(3), CONSTRAINT t_pk PRIMARY KEY (a) NOT ENFORCED) WITH ('connector' = 'blackhole')",
    );
}

#[test]
fn scripts_report_positions_in_the_whole_text() {
    let script = "SELECT 1 FROM dual;\n/\nSELECT ename\n  FROM emp CONNECT BY PRIOR empno = mgr;\nSELECT NVL(a, 1) FROM t;";
    let results = translate_script(script, SourceDialect::Oracle, &FlinkTarget::V1_20, &NoSchema, None);
    assert_eq!(results.len(), 3);
    assert_eq!(results[0].as_ref().unwrap().sql, "SELECT 1 AS `1`");
    let Err(TranslateError::Unsupported { line, column, .. }) = &results[1] else { panic!("{:?}", results[1]) };
    assert_eq!((*line, *column), (4, 12));
    let t = results[2].as_ref().unwrap();
    assert_eq!(t.sql, "SELECT COALESCE(a, 1) AS `NVL(A,1)` FROM t");
    assert_eq!((t.notes[0].line, t.notes[0].column), (5, 8));
}
