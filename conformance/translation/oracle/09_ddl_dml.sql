-- Oracle DDL and DML: CREATE TABLE in the style of the HR and Sakila sample schemas (types per
-- Flink CDC's Oracle mapping; DATE is TIMESTAMP(0)), CREATE VIEW, INSERT.

-- case: create_table_hr_employees
-- with: 'connector' = 'blackhole'
CREATE TABLE employees (
  employee_id NUMBER(6) CONSTRAINT emp_emp_id_pk PRIMARY KEY,
  first_name VARCHAR2(20),
  last_name VARCHAR2(25) CONSTRAINT emp_last_name_nn NOT NULL,
  email VARCHAR2(25) NOT NULL,
  phone_number VARCHAR2(20),
  hire_date DATE NOT NULL,
  job_id VARCHAR2(10) NOT NULL,
  salary NUMBER(8,2),
  commission_pct NUMBER(2,2),
  manager_id NUMBER(6),
  department_id NUMBER(4)
);
-- flink:
CREATE TABLE employees (employee_id INT, first_name VARCHAR(20), last_name VARCHAR(25) NOT NULL, email VARCHAR(25) NOT NULL, phone_number VARCHAR(20), hire_date TIMESTAMP(0) NOT NULL, job_id VARCHAR(10) NOT NULL, salary DECIMAL(8, 2), commission_pct DECIMAL(2, 2), manager_id INT, department_id SMALLINT, CONSTRAINT emp_emp_id_pk PRIMARY KEY (employee_id) NOT ENFORCED) WITH ('connector' = 'blackhole')

-- case: create_table_hr_departments
-- with: 'connector' = 'blackhole'
CREATE TABLE departments (
  department_id NUMBER(4),
  department_name VARCHAR2(30) NOT NULL,
  manager_id NUMBER(6),
  location_id NUMBER(4),
  CONSTRAINT dept_id_pk PRIMARY KEY (department_id)
);
-- flink:
CREATE TABLE departments (department_id SMALLINT, department_name VARCHAR(30) NOT NULL, manager_id INT, location_id SMALLINT, CONSTRAINT dept_id_pk PRIMARY KEY (department_id) NOT ENFORCED) WITH ('connector' = 'blackhole')

-- case: create_table_number_precisions
-- with: 'connector' = 'blackhole'
CREATE TABLE numbers (a NUMBER(1), b NUMBER(3), c NUMBER(5), d NUMBER(10), e NUMBER(19), f NUMBER(38), g NUMBER(10,2), h NUMBER(*,4), i NUMBER, j INTEGER, k FLOAT, l BINARY_DOUBLE, m BINARY_FLOAT);
-- flink:
CREATE TABLE numbers (a TINYINT, b SMALLINT, c INT, d BIGINT, e DECIMAL(19, 0), f DECIMAL(38, 0), g DECIMAL(10, 2), h DECIMAL(38, 4), i DECIMAL(38, 19), j INT, k DOUBLE, l DOUBLE, m FLOAT) WITH ('connector' = 'blackhole')

-- case: create_table_character_types
-- with: 'connector' = 'blackhole'
CREATE TABLE texts (a CHAR(3), b NCHAR(2), c VARCHAR2(100 CHAR), d VARCHAR2(50 BYTE), e NVARCHAR2(40), f CLOB, g NCLOB, h LONG);
-- flink:
CREATE TABLE texts (a CHAR(3), b CHAR(2), c VARCHAR(100), d VARCHAR(50), e VARCHAR(40), f STRING, g STRING, h STRING) WITH ('connector' = 'blackhole')

-- case: create_table_temporal_types
-- with: 'connector' = 'blackhole'
CREATE TABLE times (a DATE, b TIMESTAMP, c TIMESTAMP(3), d TIMESTAMP(6) WITH TIME ZONE, e TIMESTAMP(9) WITH LOCAL TIME ZONE);
-- flink:
CREATE TABLE times (a TIMESTAMP(0), b TIMESTAMP(6), c TIMESTAMP(3), d TIMESTAMP_LTZ(6), e TIMESTAMP_LTZ(9)) WITH ('connector' = 'blackhole')

-- case: create_table_binary_types
-- with: 'connector' = 'blackhole'
CREATE TABLE blobs (id NUMBER(10) NOT NULL, a RAW(16), b BLOB, c ROWID);
-- flink:
CREATE TABLE blobs (id BIGINT NOT NULL, a BYTES, b BYTES, c STRING) WITH ('connector' = 'blackhole')

-- case: create_table_defaults_and_checks
-- with: 'connector' = 'blackhole'
CREATE TABLE jobs (
  job_id VARCHAR2(10) PRIMARY KEY,
  job_title VARCHAR2(35) NOT NULL,
  min_salary NUMBER(6) DEFAULT 0,
  max_salary NUMBER(6) CHECK (max_salary > 0),
  created DATE DEFAULT SYSDATE
);
-- flink:
CREATE TABLE jobs (job_id VARCHAR(10), job_title VARCHAR(35) NOT NULL, min_salary INT, max_salary INT, created TIMESTAMP(0), PRIMARY KEY (job_id) NOT ENFORCED) WITH ('connector' = 'blackhole')

-- case: create_table_foreign_key
-- with: 'connector' = 'blackhole'
CREATE TABLE job_history (
  employee_id NUMBER(6) NOT NULL,
  start_date DATE NOT NULL,
  end_date DATE NOT NULL,
  job_id VARCHAR2(10) NOT NULL,
  department_id NUMBER(4),
  CONSTRAINT jhist_emp_id_st_date_pk PRIMARY KEY (employee_id, start_date),
  CONSTRAINT jhist_job_fk FOREIGN KEY (job_id) REFERENCES jobs (job_id),
  CONSTRAINT jhist_date_interval CHECK (end_date > start_date)
);
-- flink:
CREATE TABLE job_history (employee_id INT NOT NULL, start_date TIMESTAMP(0) NOT NULL, end_date TIMESTAMP(0) NOT NULL, job_id VARCHAR(10) NOT NULL, department_id SMALLINT, CONSTRAINT jhist_emp_id_st_date_pk PRIMARY KEY (employee_id, start_date) NOT ENFORCED) WITH ('connector' = 'blackhole')

-- case: create_table_sakila_customer
-- with: 'connector' = 'blackhole'
CREATE TABLE customer (
  customer_id INT NOT NULL,
  store_id INT NOT NULL,
  first_name VARCHAR(45) NOT NULL,
  last_name VARCHAR(45) NOT NULL,
  email VARCHAR(50) DEFAULT NULL,
  address_id INT NOT NULL,
  active CHAR(1) DEFAULT 'Y' NOT NULL,
  create_date DATE NOT NULL,
  last_update DATE NOT NULL,
  CONSTRAINT pk_customer PRIMARY KEY (customer_id)
);
-- flink:
CREATE TABLE customer (customer_id INT NOT NULL, store_id INT NOT NULL, first_name VARCHAR(45) NOT NULL, last_name VARCHAR(45) NOT NULL, email VARCHAR(50), address_id INT NOT NULL, active CHAR(1) NOT NULL, create_date TIMESTAMP(0) NOT NULL, last_update TIMESTAMP(0) NOT NULL, CONSTRAINT pk_customer PRIMARY KEY (customer_id) NOT ENFORCED) WITH ('connector' = 'blackhole')

-- case: create_table_own_with
CREATE TABLE ledger (id NUMBER(12) PRIMARY KEY, amount NUMBER(12,2)) WITH ('connector' = 'datagen');
-- flink:
CREATE TABLE ledger (id BIGINT, amount DECIMAL(12, 2), PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'datagen')

-- case: create_table_reserved_names
-- with: 'connector' = 'blackhole'
CREATE TABLE "Readings" ("VALUE" NUMBER(10,3), "TIMESTAMP" DATE, "USER" VARCHAR2(30), "Comment" VARCHAR2(100));
-- flink:
CREATE TABLE Readings (`VALUE` DECIMAL(10, 3), `TIMESTAMP` TIMESTAMP(0), `USER` VARCHAR(30), `Comment` VARCHAR(100)) WITH ('connector' = 'blackhole')

-- case: create_table_as_select
-- with: 'connector' = 'blackhole'
CREATE TABLE high_earners AS SELECT empno, ename, sal FROM emp WHERE sal > 3000;
-- flink:
CREATE TABLE high_earners WITH ('connector' = 'blackhole') AS SELECT empno, ename, sal FROM emp WHERE sal > 3000

-- case: create_view
CREATE VIEW dept_staff AS SELECT d.dname, e.ename FROM dept d, emp e WHERE d.deptno = e.deptno(+);
-- flink:
CREATE VIEW dept_staff AS SELECT d.dname, e.ename FROM dept AS d LEFT JOIN emp AS e ON d.deptno = e.deptno

-- case: create_view_columns
CREATE VIEW emp_pay (name, monthly) AS SELECT ename, ROUND(sal / 12, 2) FROM emp;
-- flink:
CREATE VIEW emp_pay (name, monthly) AS SELECT ename, ROUND(CAST(sal AS DECIMAL(38, 10)) / 12, 2) FROM emp

-- case: insert_values
INSERT INTO dept (deptno, dname, loc) VALUES (60, 'AUDIT', '');
-- flink:
INSERT INTO dept (deptno, dname, loc) VALUES (CAST(60 AS TINYINT), 'AUDIT', CAST(NULL AS VARCHAR(13)))

-- case: insert_select
INSERT INTO dept (deptno, dname, loc) SELECT deptno + 100, dname || '_ARCHIVE', NVL(loc, 'NONE') FROM dept;
-- flink:
INSERT INTO dept (deptno, dname, loc) SELECT CAST(deptno + 100 AS TINYINT), CONCAT_WS('', dname, '_ARCHIVE'), COALESCE(loc, 'NONE') FROM dept

-- case: drop_table
DROP TABLE job_history;
-- flink:
DROP TABLE job_history
