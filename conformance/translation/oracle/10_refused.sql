-- Oracle constructs without a faithful Flink translation: refused with ERROR 1235, naming the
-- construct and its position (never dropped).

-- case: refuse_connect_by
SELECT ename, LEVEL FROM emp START WITH mgr IS NULL CONNECT BY PRIOR empno = mgr;
-- refused: CONNECT BY

-- case: refuse_connect_by_row_generator
SELECT LEVEL AS n FROM dual CONNECT BY LEVEL <= 10;
-- refused: CONNECT BY

-- case: refuse_connect_by_root
SELECT ename, CONNECT_BY_ROOT ename AS top FROM emp CONNECT BY PRIOR empno = mgr;
-- refused: CONNECT BY

-- case: refuse_merge
MERGE INTO emp e USING (SELECT empno, sal FROM emp) s ON (e.empno = s.empno) WHEN MATCHED THEN UPDATE SET e.sal = s.sal * 1.1;
-- refused: MERGE

-- case: refuse_sequence_nextval
SELECT emp_seq.NEXTVAL FROM dual;
-- refused: sequence emp_seq.NEXTVAL

-- case: refuse_sequence_in_insert
INSERT INTO dept (deptno, dname) VALUES (dept_seq.NEXTVAL, 'NEW');
-- refused: sequence

-- case: refuse_create_sequence
CREATE SEQUENCE dept_seq START WITH 60 INCREMENT BY 10;
-- refused: CREATE SEQUENCE

-- case: refuse_plsql_block
BEGIN
  UPDATE emp SET sal = sal * 1.1;
END;
-- refused: PL/SQL block

-- case: refuse_plsql_declare
DECLARE
  n NUMBER;
BEGIN
  SELECT COUNT(*) INTO n FROM emp;
END;
-- refused: PL/SQL block

-- case: refuse_create_procedure
CREATE OR REPLACE PROCEDURE raise_salary (p_empno NUMBER) AS BEGIN UPDATE emp SET sal = sal + 1 WHERE empno = p_empno; END;
-- refused: CREATE PROCEDURE

-- case: refuse_create_trigger
CREATE OR REPLACE TRIGGER emp_bi BEFORE INSERT ON emp FOR EACH ROW BEGIN NULL; END;
-- refused: CREATE TRIGGER

-- case: refuse_rownum_in_select_list
SELECT ROWNUM, ename FROM emp;
-- refused: ROWNUM

-- case: refuse_rownum_greater_than
SELECT ename FROM emp WHERE ROWNUM > 3;
-- refused: ROWNUM

-- case: refuse_rownum_with_order_by
SELECT ename FROM emp WHERE ROWNUM <= 3 ORDER BY sal DESC;
-- refused: ROWNUM with ORDER BY in the same query

-- case: refuse_rownum_with_group_by
SELECT deptno, COUNT(*) FROM emp WHERE ROWNUM <= 5 GROUP BY deptno;
-- refused: ROWNUM with aggregation

-- case: refuse_rownum_pagination
SELECT * FROM (SELECT a.*, ROWNUM rn FROM (SELECT ename FROM emp ORDER BY ename) a WHERE ROWNUM <= 10) WHERE rn > 5;
-- refused: ROWNUM

-- case: refuse_rownum_subquery_order_not_selected_read_with_star
SELECT t.*, LOWER(ename) FROM (SELECT ename FROM emp ORDER BY sal DESC) t WHERE ROWNUM <= 3;
-- refused: ordered by something it does not select, read with *

-- case: refuse_outer_join_with_or
SELECT e.ename FROM emp e, dept d WHERE e.deptno = d.deptno(+) OR e.sal > 5000;
-- refused: (+) in a condition with OR

-- case: refuse_outer_join_in_list
SELECT e.ename FROM emp e, dept d WHERE e.deptno = d.deptno(+) AND d.loc(+) IN ('LYON', 'OSAKA');
-- refused: (+) in a condition with OR, IN or a subquery

-- case: refuse_outer_join_both_sides
SELECT e.ename FROM emp e, dept d WHERE e.deptno(+) = d.deptno(+);
-- refused: (+) on columns of two tables

-- case: refuse_outer_join_cycle
SELECT e.ename FROM emp e, dept d WHERE e.deptno(+) = d.deptno AND d.deptno(+) = e.deptno;
-- refused: cycle

-- case: refuse_outer_join_with_ansi_join
SELECT e.ename FROM emp e JOIN sales s ON s.empno = e.empno, dept d WHERE e.deptno = d.deptno(+);
-- refused: mixed with JOIN syntax

-- case: refuse_listagg_within_group
SELECT deptno, LISTAGG(ename, ',') WITHIN GROUP (ORDER BY ename) AS names FROM emp GROUP BY deptno;
-- refused: LISTAGG ... WITHIN GROUP

-- case: refuse_median_on_1_20
SELECT MEDIAN(sal) FROM emp;
-- refused: MEDIAN on Flink 1.20

-- case: refuse_to_char_number_format
SELECT TO_CHAR(sal, '99,990.00') FROM emp;
-- refused: TO_CHAR of a number with a format model

-- case: refuse_to_char_date_without_format
SELECT TO_CHAR(hiredate) FROM emp;
-- refused: without a format model

-- case: refuse_to_date_without_format
SELECT TO_DATE('05-MAR-2024') FROM dual;
-- refused: TO_DATE without a format model

-- case: refuse_iso_week_format
SELECT TO_CHAR(hiredate, 'IW') FROM emp;
-- refused: date format element IW

-- case: refuse_julian_format
SELECT TO_CHAR(hiredate, 'J') FROM emp;
-- refused: date format element J

-- case: refuse_trunc_to_week
SELECT TRUNC(hiredate, 'IW') FROM emp;
-- refused: TRUNC of a date to 'IW'

-- case: refuse_next_day
SELECT NEXT_DAY(hiredate, 'MONDAY') FROM emp;
-- refused: NEXT_DAY

-- case: refuse_round_date
SELECT ROUND(hiredate, 'MM') FROM emp;
-- refused: ROUND of a date

-- case: refuse_instr_occurrence
SELECT INSTR(ename, 'A', 1, 2) FROM emp;
-- refused: INSTR from the end or of a later occurrence

-- case: refuse_instr_negative_position
SELECT INSTR(ename, 'E', -1) FROM emp;
-- refused: INSTR from the end

-- case: refuse_concat_date
SELECT 'Hired on ' || hiredate FROM emp;
-- refused: concatenating a date

-- case: refuse_translate_on_1_20
SELECT TRANSLATE(ename, 'AE', 'ae') FROM emp;
-- refused: TRANSLATE on Flink 1.20

-- case: refuse_ltrim_set_on_1_20
SELECT LTRIM(ename, 'A') FROM emp;
-- refused: LTRIM(string, characters) on Flink 1.20

-- case: refuse_rowid
SELECT ROWID, ename FROM emp;
-- refused: ROWID

-- case: refuse_user
SELECT USER FROM dual;
-- refused: USER

-- case: refuse_sys_guid
SELECT SYS_GUID() FROM dual;
-- refused: SYS_GUID

-- case: refuse_sys_context
SELECT SYS_CONTEXT('USERENV', 'SESSION_USER') FROM dual;
-- refused: SYS_CONTEXT

-- case: refuse_pivot
SELECT * FROM (SELECT deptno, job, sal FROM emp) PIVOT (SUM(sal) FOR job IN ('CLERK' AS clerk, 'ANALYST' AS analyst));
-- refused: PIVOT

-- case: refuse_global_temporary_table
CREATE GLOBAL TEMPORARY TABLE gtt (id NUMBER) ON COMMIT DELETE ROWS;
-- refused: GLOBAL TEMPORARY TABLE

-- case: refuse_comment_on
COMMENT ON TABLE emp IS 'Employees';
-- refused: COMMENT ON

-- case: refuse_update
UPDATE emp SET sal = sal * 1.05 WHERE deptno = 20;
-- refused: UPDATE

-- case: refuse_for_update
SELECT ename FROM emp WHERE empno = 7001 FOR UPDATE;
-- refused: FOR UPDATE

-- case: refuse_fetch_with_ties
SELECT ename, sal FROM emp ORDER BY sal DESC FETCH FIRST 3 ROWS WITH TIES;
-- refused: WITH TIES

-- case: refuse_recursive_with
WITH RECURSIVE n (i) AS (SELECT 1 FROM dual UNION ALL SELECT i + 1 FROM n WHERE i < 3) SELECT i FROM n;
-- refused: recursive CTE
