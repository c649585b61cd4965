//! Users, roles, grants, tenants and the audit trail (issue 16), through the MySQL protocol: an
//! administrator creates an account for a BI user, grants it one table, and the user sees and
//! reads that table only — on every path (queries, DML, SHOW, DESCRIBE, information_schema,
//! prepared statements, USE, Weir's own statements), directly and through a role. Bad grants get
//! MySQL's errors; every statement and login leaves one audit record, none lost to a kill -9, and
//! no password is ever written down.

use std::time::{Duration, Instant};

use mysql_async::prelude::*;
use mysql_async::{Conn, Opts};

use crate::harness::{ExtraWeir, scratch_dir, server, server_error, unique};

fn datagen(name: &str, rows: u32) -> String {
    format!(
        "CREATE TABLE {name} (id INT, amount INT) WITH ('connector'='datagen','number-of-rows'='{rows}','fields.id.kind'='sequence','fields.id.start'='1','fields.id.end'='{rows}')"
    )
}

async fn login(user: &str, password: &str) -> Conn {
    Conn::new(Opts::from(server().opts(user, password))).await.unwrap_or_else(|e| panic!("{user} logs in: {e}"))
}

/// The MySQL error code of a statement that must fail.
async fn code_of(c: &mut Conn, sql: &str) -> (u16, String) {
    let e = server_error(c.query_drop(sql).await.expect_err(sql));
    (e.code, e.message)
}

#[tokio::test]
async fn a_bi_user_sees_and_reads_only_what_it_was_granted_directly_or_through_a_role() {
    let db = unique("acc");
    let user = unique("bi");
    let role = unique("analyst");
    let mut root = server().connect().await;
    root.query_drop(format!("CREATE DATABASE {db}")).await.unwrap();
    root.query_drop(datagen(&format!("{db}.orders"), 3)).await.unwrap();
    root.query_drop(datagen(&format!("{db}.salaries"), 2)).await.unwrap();
    root.query_drop(format!("CREATE USER '{user}'@'%' IDENTIFIED BY 'bi-pass'")).await.unwrap();
    root.query_drop(format!("GRANT SELECT ON {db}.orders TO '{user}'@'%'")).await.unwrap();

    let mut bi = login(&user, "bi-pass").await;
    bi.query_drop("SET 'execution.runtime-mode' = 'batch'").await.unwrap();
    let ids: Vec<i32> = bi.query(format!("SELECT id FROM {db}.orders ORDER BY id")).await.unwrap();
    assert_eq!(ids, vec![1, 2, 3]);

    // What it was not granted: MySQL's 1142, naming the privilege and the table.
    let (code, message) = code_of(&mut bi, &format!("SELECT * FROM {db}.salaries")).await;
    assert_eq!(code, 1142, "{message}");
    assert_eq!(message, format!("SELECT command denied to user '{user}'@'localhost' for table '{db}.salaries'"));
    assert_eq!(code_of(&mut bi, &format!("INSERT INTO {db}.orders VALUES (9, 9)")).await.0, 1142);
    assert_eq!(code_of(&mut bi, &format!("SELECT o.id FROM {db}.orders o JOIN {db}.salaries s ON o.id = s.id")).await.0, 1142);
    assert_eq!(code_of(&mut bi, &format!("DROP TABLE {db}.orders")).await.0, 1142);
    // A prepared statement is refused when prepared.
    let e = server_error(bi.prep(format!("SELECT amount FROM {db}.salaries WHERE id = ?")).await.expect_err("prepare"));
    assert_eq!(e.code, 1142);

    // Metadata shows the granted table only; the other does not exist for this user.
    let tables: Vec<String> = bi.query(format!("SHOW TABLES FROM {db}")).await.unwrap();
    assert_eq!(tables, vec!["orders".to_string()]);
    let listed: Vec<String> =
        bi.query(format!("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '{db}' ORDER BY TABLE_NAME")).await.unwrap();
    assert_eq!(listed, vec!["orders".to_string()]);
    assert_eq!(code_of(&mut bi, &format!("DESCRIBE {db}.salaries")).await.0, 1146);
    assert_eq!(code_of(&mut bi, &format!("SHOW CREATE TABLE {db}.salaries")).await.0, 1146);
    assert_eq!(code_of(&mut bi, &format!("SHOW LINEAGE OF TABLE {db}.salaries")).await.0, 1146);
    let databases: Vec<String> = bi.query("SHOW DATABASES").await.unwrap();
    assert!(databases.contains(&db) && !databases.contains(&"default_database".to_string()), "{databases:?}");
    let (code, message) = code_of(&mut bi, "USE default_database").await;
    assert_eq!((code, message), (1044, format!("Access denied for user '{user}'@'localhost' to database 'default_database'")));
    let privileges: Vec<(String, String, String)> =
        bi.query("SELECT TABLE_SCHEMA, TABLE_NAME, PRIVILEGE_TYPE FROM information_schema.TABLE_PRIVILEGES").await.unwrap();
    assert_eq!(privileges, vec![(db.clone(), "orders".to_string(), "SELECT".to_string())]);

    // Weir's own statements need Weir's privileges.
    assert_eq!(code_of(&mut bi, &format!("CREATE JOB j_{user} AS INSERT INTO {db}.orders SELECT * FROM {db}.orders")).await.0, 1227);
    assert_eq!(code_of(&mut bi, "CREATE USER someone").await.0, 1227);
    assert_eq!(code_of(&mut bi, "SHOW ALERT RULES").await.0, 1227);
    assert_eq!(code_of(&mut bi, "SELECT * FROM information_schema.WEIR_AUDIT").await.0, 1227);
    let grants: Vec<String> = bi.query("SHOW GRANTS").await.unwrap();
    assert_eq!(grants, vec![format!("GRANT USAGE ON *.* TO `{user}`@`%`"), format!("GRANT SELECT ON `{db}`.`orders` TO `{user}`@`%`")]);

    // Through a role: granted at once (the next statement), gone with SET ROLE NONE.
    root.query_drop(format!("CREATE ROLE {role}")).await.unwrap();
    root.query_drop(format!("GRANT SELECT ON {db}.* TO {role}")).await.unwrap();
    root.query_drop(format!("GRANT {role} TO '{user}'@'%'")).await.unwrap();
    let n: Option<i64> = bi.query_first(format!("SELECT COUNT(*) FROM {db}.salaries")).await.unwrap();
    assert_eq!(n, Some(2));
    bi.query_drop("SET ROLE NONE").await.unwrap();
    assert_eq!(code_of(&mut bi, &format!("SELECT COUNT(*) FROM {db}.salaries")).await.0, 1142);
    bi.query_drop("SET ROLE DEFAULT").await.unwrap();
    let n: Option<i64> = bi.query_first(format!("SELECT COUNT(*) FROM {db}.salaries")).await.unwrap();
    assert_eq!(n, Some(2));

    // Revoked: denied again, on the same connection.
    root.query_drop(format!("REVOKE {role} FROM '{user}'@'%'")).await.unwrap();
    root.query_drop(format!("REVOKE SELECT ON {db}.orders FROM '{user}'@'%'")).await.unwrap();
    assert_eq!(code_of(&mut bi, &format!("SELECT id FROM {db}.orders")).await.0, 1142);
    let tables: Vec<String> = bi.query("SHOW DATABASES").await.unwrap();
    assert!(!tables.contains(&db), "nothing granted in {db} any more: {tables:?}");

    // The user can change its own password, and logs in with the new one only.
    bi.query_drop("SET PASSWORD = 'new-pass'").await.unwrap();
    drop(bi);
    assert_eq!(server_error(Conn::new(Opts::from(server().opts(&user, "bi-pass"))).await.expect_err("old password")).code, 1045);
    let mut again = login(&user, "new-pass").await;
    again.query_drop("SELECT 1").await.unwrap();
    root.query_drop(format!("DROP USER '{user}'@'%'")).await.unwrap();
    root.query_drop(format!("DROP ROLE {role}")).await.unwrap();
    assert_eq!(server_error(Conn::new(Opts::from(server().opts(&user, "new-pass"))).await.expect_err("dropped")).code, 1045);
}

#[tokio::test]
async fn bad_account_statements_get_mysqls_errors_and_the_connection_stays_usable() {
    let db = unique("accbad");
    let user = unique("u");
    let (r1, r2) = (unique("r1"), unique("r2"));
    let mut root = server().connect().await;
    root.query_drop(format!("CREATE DATABASE {db}")).await.unwrap();
    root.query_drop(format!("CREATE USER {user} IDENTIFIED BY 'x'")).await.unwrap();
    let cases = [
        (format!("CREATE USER {user}"), 1396),
        (format!("DROP USER nobody_{user}"), 1396),
        (format!("GRANT SELECT ON {db}.no_such_table TO {user}"), 1146),
        (format!("GRANT SELECT ON {db}.* TO nobody_{user}"), 1410),
        (format!("GRANT SUPER ON {db}.* TO {user}"), 1221),
        (format!("REVOKE INSERT ON {db}.* FROM {user}"), 1141),
        (format!("SHOW GRANTS FOR nobody_{user}"), 1141),
        (format!("GRANT nobody_{user} TO {user}"), 3523),
        (format!("GRANT USAGE ON CLUSTER no_such_cluster TO {user}"), 1049),
        (format!("GRANT SELEKT ON {db}.* TO {user}"), 1064),
    ];
    for (sql, code) in cases {
        let (got, message) = code_of(&mut root, &sql).await;
        assert_eq!(got, code, "{sql}: {message}");
    }
    // Circular roles.
    root.query_drop(format!("CREATE ROLE {r1}, {r2}")).await.unwrap();
    root.query_drop(format!("GRANT {r1} TO {r2}")).await.unwrap();
    let (code, message) = code_of(&mut root, &format!("GRANT {r2} TO {r1}")).await;
    assert_eq!(code, 3907, "{message}");
    // A wrong password: 1045, and repeated failures are slowed down (connection_control).
    let started = std::time::Instant::now();
    for _ in 0..4 {
        let e = server_error(Conn::new(Opts::from(server().opts(&user, "wrong"))).await.expect_err("wrong password"));
        assert_eq!(e.code, 1045);
        assert_eq!(e.message, format!("Access denied for user '{user}'@'127.0.0.1' (using password: YES)"));
    }
    assert!(started.elapsed() >= Duration::from_secs(1), "the fourth failure in a row waits a second");
    let mut ok = login(&user, "x").await;
    ok.query_drop("SELECT 1").await.unwrap();
    // Still usable after all of it.
    let one: Option<i64> = root.query_first("SELECT 1").await.unwrap();
    assert_eq!(one, Some(1));
    root.query_drop(format!("DROP USER {user}")).await.unwrap();
    root.query_drop(format!("DROP ROLE {r1}, {r2}")).await.unwrap();
}

/// An extra Weir of the test's own (its audit trail is its own), with a user.
async fn audited_weir(name: &str) -> ExtraWeir {
    let dir = scratch_dir(name);
    let _ = std::fs::remove_dir_all(&dir);
    ExtraWeir::start(dir, "[audit]\nflush_ms = 50\n").await
}

async fn extra_login(w: &ExtraWeir, user: &str, password: &str) -> Conn {
    Conn::new(w.opts().user(Some(user)).pass(Some(password))).await.unwrap_or_else(|e| panic!("{user} logs in: {e}"))
}

#[tokio::test]
async fn every_statement_and_login_is_audited_once_with_its_fields_and_secrets_never_written() {
    let w = audited_weir("audit-count").await;
    let mut root = w.connect().await;
    root.query_drop("CREATE USER auditee IDENTIFIED BY 'Very-S3cret-pw'").await.unwrap();
    root.query_drop("CREATE TENANT acme WITH ('max_running_jobs' = '1')").await.unwrap();
    root.query_drop("ALTER USER auditee TENANT acme").await.unwrap();
    const M: usize = 4;
    const N: usize = 25;
    let mut tasks = Vec::new();
    for _ in 0..M {
        let opts = w.opts().user(Some("auditee")).pass(Some("Very-S3cret-pw"));
        tasks.push(tokio::spawn(async move {
            let mut c = Conn::new(opts).await.unwrap();
            for i in 0..N {
                if i % 2 == 0 {
                    let _: Vec<String> = c.query("SHOW GRANTS").await.unwrap();
                } else {
                    let e = c.query_drop("CREATE USER not_allowed").await.expect_err("needs CREATE USER");
                    assert_eq!(server_error(e).code, 1227);
                }
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    // Probes are not recorded by default.
    root.query_drop("SELECT 1").await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let rows: Vec<(String, String, String, String, String, u64)> = root
        .query("SELECT USER, TENANT, KIND, STATEMENT, RESULT, `ROWS` FROM information_schema.WEIR_AUDIT WHERE USER = 'auditee' AND KIND <> 'connect'")
        .await
        .unwrap();
    assert_eq!(rows.len(), M * N, "exactly one record per statement");
    let shows: Vec<_> = rows.iter().filter(|r| r.3 == "SHOW GRANTS").collect();
    assert_eq!(shows.len(), M * N.div_ceil(2));
    assert!(shows.iter().all(|r| r.1 == "acme" && r.2 == "access" && r.4 == "OK" && r.5 == 1), "{:?}", shows.first());
    assert!(rows.iter().filter(|r| r.3 != "SHOW GRANTS").all(|r| r.4 == "1227"));
    let logins: Vec<String> = root.query("SELECT RESULT FROM information_schema.WEIR_AUDIT WHERE USER = 'auditee' AND KIND = 'connect'").await.unwrap();
    assert_eq!(logins.len(), M);
    let probes: Vec<String> = root.query("SELECT STATEMENT FROM information_schema.WEIR_AUDIT WHERE STATEMENT = 'SELECT 1'").await.unwrap();
    assert!(probes.is_empty());

    // The password is masked in the audit, and no file of Weir's holds it.
    let created: Vec<String> = root.query("SELECT STATEMENT FROM information_schema.WEIR_AUDIT WHERE STATEMENT LIKE 'CREATE USER auditee%'").await.unwrap();
    assert_eq!(created, vec!["CREATE USER auditee IDENTIFIED BY '******'".to_string()]);
    drop(root);
    let mut found = Vec::new();
    for entry in walk(&w.dir) {
        if let Ok(bytes) = std::fs::read(&entry)
            && bytes.windows(b"Very-S3cret-pw".len()).any(|x| x == b"Very-S3cret-pw")
        {
            found.push(entry);
        }
    }
    assert!(found.is_empty(), "the password is written in {found:?}");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() { out.extend(walk(&p)) } else { out.push(p) }
        }
    }
    out
}

#[tokio::test]
async fn audit_records_of_acknowledged_statements_survive_a_kill_9() {
    let mut w = audited_weir("audit-kill").await;
    let mut root = w.connect().await;
    root.query_drop("CREATE USER loader IDENTIFIED BY 'pw'").await.unwrap();
    drop(root);
    let acknowledged = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..3 {
        let opts = w.opts().user(Some("loader")).pass(Some("pw"));
        let acknowledged = acknowledged.clone();
        tasks.push(tokio::spawn(async move {
            let Ok(mut c) = Conn::new(opts).await else { return };
            while c.query_drop("SHOW GRANTS").await.is_ok() {
                acknowledged.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    w.kill9();
    for t in tasks {
        let _ = t.await;
    }
    let acked = acknowledged.load(std::sync::atomic::Ordering::SeqCst);
    assert!(acked > 10, "the load ran before the kill ({acked} statements)");
    w.start_again().await;
    let mut root = w.connect().await;
    let recorded: Option<i64> =
        root.query_first("SELECT COUNT(*) FROM information_schema.WEIR_AUDIT WHERE USER = 'loader' AND KIND <> 'connect'").await.unwrap();
    let recorded = recorded.unwrap_or(0) as usize;
    // Every acknowledged statement has its record; at most one in flight per connection more.
    assert!(recorded >= acked && recorded <= acked + 3, "{recorded} records for {acked} acknowledged statements");
}

#[tokio::test]
async fn a_tenants_user_runs_only_on_its_clusters_and_is_told_why() {
    let w = audited_weir("tenants").await;
    let mut root = w.connect().await;
    root.query_drop("CREATE TENANT t_v22 WITH ('clusters' = 'v22')").await.unwrap();
    root.query_drop("CREATE USER tv IDENTIFIED BY 'pw' TENANT t_v22").await.unwrap();
    root.query_drop("GRANT SELECT ON *.* TO tv").await.unwrap();
    let (code, _) = code_of(&mut root, "CREATE TENANT t_v22").await;
    assert_eq!(code, 1050);
    assert_eq!(code_of(&mut root, "CREATE TENANT bad WITH ('max_jobs' = '1')").await.0, 1210);
    assert_eq!(code_of(&mut root, "DROP TENANT t_v22").await.0, 3730);
    /// Tenant, Catalogs, Clusters, Max_running_jobs, Max_slots, Users.
    type TenantRow = (String, String, String, Option<String>, Option<String>, String);
    let tenants: Vec<TenantRow> = root.query("SHOW TENANTS").await.unwrap();
    assert_eq!(tenants, vec![("t_v22".to_string(), String::new(), "v22".to_string(), None, None, "1".to_string())]);

    let mut tv = extra_login(&w, "tv", "pw").await;
    // The default cluster is not the tenant's: refused, naming the privilege it lacks.
    let (code, message) = code_of(&mut tv, "SHOW DATABASES").await;
    assert_eq!(code, 1227, "{message}");
    assert!(message.contains("USAGE ON CLUSTER `local`"), "{message}");
    // Its own cluster is fine.
    tv.query_drop("SET weir.flink = 'v22'").await.unwrap();
    let databases: Vec<String> = tv.query("SHOW DATABASES").await.unwrap();
    assert!(databases.contains(&"default_database".to_string()), "{databases:?}");
    assert_eq!(code_of(&mut tv, "SET weir.flink = 'local'").await.0, 1227);
    // Revoking USAGE of its cluster takes that away too.
    root.query_drop("REVOKE USAGE ON CLUSTER v22 FROM tv").await.unwrap();
    assert_eq!(code_of(&mut tv, "SHOW DATABASES").await.0, 1227);
    root.query_drop("GRANT USAGE ON CLUSTER v22 TO tv").await.unwrap();
    let databases: Vec<String> = tv.query("SHOW DATABASES").await.unwrap();
    assert!(!databases.is_empty());
}

/// The catalogs `SHOW CATALOGS` lists to `c` (its first column).
async fn catalogs_of(c: &mut Conn) -> Vec<String> {
    let rows: Vec<mysql_async::Row> = c.query("SHOW CATALOGS").await.unwrap();
    rows.into_iter().map(|r| r.get(0).unwrap_or_default()).collect()
}

/// Two tenants, each with a catalog list: a tenant's user creates and reads its own catalogs, and
/// meets the other tenant's catalog exactly as it meets a name nobody has — it cannot list, use,
/// read, drop or take it, nor learn from an error that it exists.
#[tokio::test]
async fn a_tenants_catalogs_are_its_own_and_no_error_tells_another_tenant_they_exist() {
    let w = audited_weir("tenant-catalogs").await;
    let mut root = w.connect().await;
    let (acme_cat, globex_cat, nobodys) = (unique("acme_cat"), unique("globex_cat"), unique("nobodys_cat"));
    root.query_drop(format!("CREATE TENANT acme WITH ('catalogs' = '{acme_cat}')")).await.unwrap();
    root.query_drop(format!("CREATE TENANT globex WITH ('catalogs' = '{globex_cat}')")).await.unwrap();
    for (user, tenant) in [("ac", "acme"), ("gc", "globex")] {
        root.query_drop(format!("CREATE USER {user} IDENTIFIED BY 'pw' TENANT {tenant}")).await.unwrap();
        root.query_drop(format!("GRANT SELECT, CREATE, DROP, CREATE CATALOG ON *.* TO {user}")).await.unwrap();
    }
    let mut ac = extra_login(&w, "ac", "pw").await;
    let mut gc = extra_login(&w, "gc", "pw").await;

    // acme's user makes its catalog, a database and a table in it, and reads it.
    ac.query_drop(format!("CREATE CATALOG {acme_cat} WITH ('type' = 'generic_in_memory')")).await.unwrap();
    ac.query_drop(format!("CREATE DATABASE {acme_cat}.sales")).await.unwrap();
    ac.query_drop(datagen(&format!("{acme_cat}.sales.orders"), 3)).await.unwrap();
    ac.query_drop("SET 'execution.runtime-mode' = 'batch'").await.unwrap();
    let n: Option<i64> = ac.query_first(format!("SELECT COUNT(*) FROM {acme_cat}.sales.orders")).await.unwrap();
    assert_eq!(n, Some(3));
    let catalogs = catalogs_of(&mut ac).await;
    assert!(catalogs.contains(&acme_cat), "{catalogs:?}");

    // globex's user does not see it ...
    let catalogs = catalogs_of(&mut gc).await;
    assert!(!catalogs.contains(&acme_cat), "{catalogs:?}");
    let schemata: Vec<String> = gc.query(format!("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE CATALOG_NAME = '{acme_cat}'")).await.unwrap();
    assert!(schemata.is_empty(), "{schemata:?}");
    // ... and every statement naming it is refused as one naming a catalog nobody has is: same
    // code, same words, before anything reaches Flink (whose "already exists" would tell).
    let create = |c: &str| format!("CREATE CATALOG {c} WITH ('type' = 'generic_in_memory')");
    for (theirs, none) in [
        (create(&acme_cat), create(&nobodys)),
        (format!("DROP CATALOG {acme_cat}"), format!("DROP CATALOG {nobodys}")),
        (format!("DROP CATALOG IF EXISTS {acme_cat}"), format!("DROP CATALOG IF EXISTS {nobodys}")),
        (format!("USE CATALOG {acme_cat}"), format!("USE CATALOG {nobodys}")),
    ] {
        let (code, message) = code_of(&mut gc, &theirs).await;
        assert_eq!(code, 1044, "{theirs}: {message}");
        let (code_none, message_none) = code_of(&mut gc, &none).await;
        assert_eq!((code, message.replace(&acme_cat, "?")), (code_none, message_none.replace(&nobodys, "?")), "{theirs} vs {none}");
    }
    let (code, message) = code_of(&mut gc, &format!("SELECT COUNT(*) FROM {acme_cat}.sales.orders")).await;
    assert_eq!(code, 1142, "{message}");
    // Its own catalog is fine.
    gc.query_drop(create(&globex_cat)).await.unwrap();
    let catalogs = catalogs_of(&mut gc).await;
    assert!(catalogs.contains(&globex_cat) && !catalogs.contains(&acme_cat), "{catalogs:?}");

    // acme's catalog is untouched by all that.
    let n: Option<i64> = ac.query_first(format!("SELECT COUNT(*) FROM {acme_cat}.sales.orders")).await.unwrap();
    assert_eq!(n, Some(3));
    gc.query_drop(format!("DROP CATALOG {globex_cat}")).await.unwrap();
    ac.query_drop(format!("DROP CATALOG {acme_cat} CASCADE")).await.unwrap();
}

/// The state of a managed job, as WEIR_JOBS shows it to `c`.
async fn job_state(c: &mut Conn, job: &str) -> Option<String> {
    c.query_first(format!("SELECT STATE FROM information_schema.WEIR_JOBS WHERE JOB_NAME = '{job}'")).await.unwrap()
}

#[tokio::test]
async fn two_tenants_neither_see_nor_stop_each_others_jobs_and_a_quota_holds() {
    let clusters = format!(
        "default_cluster = \"local\"\n[clusters.local]\ngateway = \"{}\"\njobmanager = \"{}\"\n",
        crate::harness::env("WEIR_TEST_GATEWAY"),
        server().jobmanager
    );
    let dir = scratch_dir("tenant-jobs");
    let _ = std::fs::remove_dir_all(&dir);
    let w = ExtraWeir::start_with(dir, &clusters, "").await;
    let mut root = w.connect().await;
    let (src, sink) = (unique("tsrc"), unique("tsink"));
    root.query_drop(format!("CREATE TABLE {src} (x BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '1')")).await.unwrap();
    root.query_drop(format!("CREATE TABLE {sink} (x BIGINT) WITH ('connector' = 'blackhole')")).await.unwrap();
    root.query_drop("CREATE TENANT acme WITH ('max_running_jobs' = '1')").await.unwrap();
    root.query_drop("CREATE TENANT globex").await.unwrap();
    for (user, tenant) in [("a1", "acme"), ("b1", "globex")] {
        root.query_drop(format!("CREATE USER {user} IDENTIFIED BY 'pw' TENANT {tenant}")).await.unwrap();
        root.query_drop(format!("GRANT SELECT, INSERT, CREATE JOB, OPERATE JOB, CREATE SCHEDULE, CREATE DATASYNC, PROCESS ON *.* TO {user}")).await.unwrap();
    }
    let mut a1 = extra_login(&w, "a1", "pw").await;
    let mut b1 = extra_login(&w, "b1", "pw").await;
    let (j1, j2) = (unique("acme_one"), unique("acme_two"));
    a1.query_drop(format!("CREATE JOB {j1} AS INSERT INTO {sink} SELECT x FROM {src}")).await.unwrap();
    a1.query_drop(format!("CREATE JOB {j2} AS INSERT INTO {sink} SELECT x FROM {src}")).await.unwrap();
    a1.query_drop(format!("START JOB {j1}")).await.unwrap();

    // The quota: one running job for acme.
    let (code, message) = code_of(&mut a1, &format!("START JOB {j2}")).await;
    assert_eq!(code, 1226, "{message}");
    assert!(message.contains("'max_running_jobs'") && message.contains("acme"), "{message}");
    // A datasync is a job started at once: the same quota refuses it, before anything is recorded.
    let (code, message) = code_of(&mut a1, "CREATE DATASYNC over_quota FROM src_cat.shop TO sink_cat.ods").await;
    assert_eq!(code, 1226, "{message}");
    assert_eq!(code_of(&mut a1, "SHOW CREATE DATASYNC over_quota").await.0, 1305);

    // The slots quota: initech's jobs may hold two task slots between them (a job takes its
    // parallelism): a job of three never starts, and while one of two runs, not even one of one.
    root.query_drop("CREATE TENANT initech WITH ('max_slots' = '2')").await.unwrap();
    root.query_drop("CREATE USER c1 IDENTIFIED BY 'pw' TENANT initech").await.unwrap();
    root.query_drop("GRANT SELECT, INSERT, CREATE JOB, OPERATE JOB ON *.* TO c1").await.unwrap();
    let mut c1 = extra_login(&w, "c1", "pw").await;
    for (job, parallelism) in [("wide", 3), ("two", 2), ("one", 1)] {
        c1.query_drop(format!("CREATE JOB {job} WITH ('parallelism.default' = '{parallelism}') AS INSERT INTO {sink} SELECT x FROM {src}"))
            .await
            .unwrap();
    }
    let (code, message) = code_of(&mut c1, "START JOB wide").await;
    assert_eq!(code, 1226, "{message}");
    assert!(message.contains("'max_slots'") && message.contains("initech"), "{message}");
    c1.query_drop("START JOB two").await.unwrap();
    let started = Instant::now();
    while job_state(&mut c1, "initech.two").await.as_deref() != Some("RUNNING") {
        assert!(started.elapsed() < Duration::from_secs(60), "initech.two: {:?}", job_state(&mut c1, "initech.two").await);
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let (code, message) = code_of(&mut c1, "START JOB one").await;
    assert_eq!(code, 1226, "{message}");
    assert!(message.contains("'max_slots'"), "{message}");
    c1.query_drop("STOP JOB two WITHOUT SAVEPOINT").await.unwrap();
    // With the slots free again, the job of one starts.
    c1.query_drop("START JOB one").await.unwrap();
    c1.query_drop("STOP JOB one WITHOUT SAVEPOINT").await.unwrap();
    for job in ["wide", "two", "one"] {
        c1.query_drop(format!("DROP JOB {job}")).await.unwrap();
    }

    // acme's jobs are named in acme's namespace; acme's users may leave it out.
    let (a_j1, b_j1) = (format!("acme.{j1}"), format!("globex.{j1}"));
    let started = Instant::now();
    while job_state(&mut a1, &a_j1).await.as_deref() != Some("RUNNING") {
        assert!(started.elapsed() < Duration::from_secs(60), "{a_j1}: {:?}", job_state(&mut a1, &a_j1).await);
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    assert_eq!(job_state(&mut root, &a_j1).await.as_deref(), Some("RUNNING"));

    // globex sees nothing of acme's jobs and cannot act on them, by either name: they do not exist for it.
    assert!(job_state(&mut b1, &a_j1).await.is_none());
    let listed: Vec<String> = b1.query("SELECT JOB_NAME FROM information_schema.WEIR_JOBS").await.unwrap();
    assert!(listed.is_empty(), "{listed:?}");
    for sql in [format!("STOP JOB {j1}"), format!("STOP JOB `{a_j1}`"), format!("SHOW CREATE JOB {j1}"), format!("DROP JOB {j1}"), format!("START JOB {j2}")] {
        let (code, message) = code_of(&mut b1, &sql).await;
        assert_eq!(code, 1305, "{sql}: {message}");
        // As for any name that does not exist: in globex's names.
        assert!(message.contains("globex.") && message.ends_with("does not exist"), "{sql}: {message}");
    }
    // Nor infer them: globex's job of the same name is its own, and runs beside acme's.
    b1.query_drop(format!("CREATE JOB {j1} AS INSERT INTO {sink} SELECT x FROM {src}")).await.unwrap();
    let listed: Vec<String> = b1.query("SELECT JOB_NAME FROM information_schema.WEIR_JOBS").await.unwrap();
    assert_eq!(listed, std::slice::from_ref(&b_j1));
    // A name in another namespace is not one a tenant's user may take.
    let (code, message) = code_of(&mut b1, &format!("CREATE JOB `{a_j1}` AS INSERT INTO {sink} SELECT x FROM {src}")).await;
    assert_eq!(code, 1103, "{message}");
    // Nor is another tenant's job one of its schedules.
    let (code, message) = code_of(&mut b1, &format!("CREATE SCHEDULE {} AS JOBS (`{a_j1}`)", unique("sched"))).await;
    assert_eq!(code, 1305, "{message}");
    // The lineage of the tables both may read names each tenant's own jobs only.
    let vias = "SELECT VIA_NAME FROM information_schema.WEIR_TABLE_LINEAGE WHERE VIA_TYPE = 'JOB'";
    let seen: Vec<String> = b1.query(vias).await.unwrap();
    assert!(seen.contains(&b_j1) && !seen.contains(&a_j1), "{seen:?}");
    let seen: Vec<String> = a1.query(vias).await.unwrap();
    assert!(seen.contains(&a_j1) && !seen.contains(&b_j1), "{seen:?}");
    let impact: Vec<mysql_async::Row> = b1.query(format!("SHOW IMPACT OF TABLE {src}")).await.unwrap();
    let named: Vec<String> = impact.into_iter().map(|r| r.get(1).unwrap_or_default()).collect();
    assert!(named.contains(&b_j1) && !named.contains(&a_j1), "{named:?}");
    // Flink's own job list shows a tenant's user its managed jobs, not another tenant's.
    let flink_jobs = "SELECT JOB_NAME FROM information_schema.JOBS WHERE JOB_NAME LIKE 'weir-job:%'";
    let seen: Vec<String> = a1.query(flink_jobs).await.unwrap();
    assert!(seen.contains(&format!("weir-job:{a_j1}:v1")), "{seen:?}");
    let seen: Vec<String> = b1.query(flink_jobs).await.unwrap();
    assert!(seen.iter().all(|n| !n.contains("acme.")), "{seen:?}");
    // The administrator sees both, each under its tenant.
    let both: Vec<String> = root.exec("SELECT JOB_NAME FROM information_schema.WEIR_JOBS WHERE JOB_NAME IN (?, ?) ORDER BY 1", (&a_j1, &b_j1)).await.unwrap();
    assert_eq!(both, [a_j1.clone(), b_j1.clone()]);
    // Nor do globex's users see acme's job's metrics series, once Weir samples them for acme's.
    let series_sql = "SELECT LABELS FROM information_schema.WEIR_METRICS WHERE NAME LIKE 'weir\\_job\\_%'";
    let sampled = Instant::now();
    // (globex's job is newer than acme's: a sample with it has acme's too.)
    let series = loop {
        let series: Vec<String> = b1.query(series_sql).await.unwrap();
        if series.iter().any(|l| l.contains(&b_j1)) {
            break series;
        }
        assert!(sampled.elapsed() < Duration::from_secs(30), "globex's own series: {series:?}");
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    assert!(series.iter().all(|l| !l.contains("acme.")), "{series:?}");
    let series: Vec<String> = a1.query(series_sql).await.unwrap();
    assert!(series.iter().any(|l| l.contains(&a_j1)) && series.iter().all(|l| !l.contains("globex.")), "{series:?}");

    a1.query_drop(format!("STOP JOB {j1} WITHOUT SAVEPOINT")).await.unwrap();
    a1.query_drop(format!("DROP JOB `{a_j1}`")).await.unwrap();
    a1.query_drop(format!("DROP JOB {j2}")).await.unwrap();
    // A tenant whose namespace still holds an object is not dropped, even once its users are gone.
    drop(b1);
    root.query_drop("DROP USER b1").await.unwrap();
    let (code, message) = code_of(&mut root, "DROP TENANT globex").await;
    assert_eq!(code, 3730, "{message}");
    assert!(message.contains(&format!("job {b_j1}")), "{message}");
    root.query_drop(format!("DROP JOB `{b_j1}`")).await.unwrap();
    root.query_drop("DROP TENANT globex").await.unwrap();
}

#[tokio::test]
async fn a_grant_made_through_one_weir_reaches_the_other_sharing_its_store() {
    let store = unique("weir_access_store");
    let mut admin = Conn::new(Opts::from_url("mysql://weir:weir@127.0.0.1:3306").unwrap()).await.expect("MariaDB on 127.0.0.1:3306");
    admin.query_drop(format!("CREATE DATABASE {store}")).await.unwrap();
    let section = format!("[catalog]\nurl = \"mysql://weir:weir@127.0.0.1:3306/{store}\"\npoll_interval_ms = 200\n");
    let one = ExtraWeir::start(scratch_dir("access-one"), &section).await;
    let two = ExtraWeir::start(scratch_dir("access-two"), &section).await;
    let mut root = one.connect().await;
    root.query_drop("CREATE USER shared_u IDENTIFIED BY 'pw'").await.unwrap();
    // The account exists on the other instance within its poll interval.
    let started = std::time::Instant::now();
    let mut u = loop {
        match Conn::new(two.opts().user(Some("shared_u")).pass(Some("pw"))).await {
            Ok(c) => break c,
            Err(_) if started.elapsed() < Duration::from_secs(10) => tokio::time::sleep(Duration::from_millis(100)).await,
            Err(e) => panic!("the account made on one Weir logs in on the other: {e}"),
        }
    };
    assert_eq!(code_of(&mut u, "SHOW ALERT RULES").await.0, 1227);
    root.query_drop("GRANT ALERT ADMIN ON *.* TO shared_u").await.unwrap();
    let started = std::time::Instant::now();
    while u.query_drop("SHOW ALERT RULES").await.is_err() {
        assert!(started.elapsed() < Duration::from_secs(10), "the grant reaches the other Weir's open session");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    drop(u);
    drop(root);
    drop(one);
    drop(two);
    admin.query_drop(format!("DROP DATABASE {store}")).await.unwrap();
}

/// Whether an error is a privilege denial.
fn denied(code: u16) -> bool {
    matches!(code, 1142 | 1044 | 1227)
}

/// Every privilege through the real protocol: for each, a statement that needs it, run by an
/// account holding it directly, one holding it through a role, and one without it — the first two
/// get past the check (the statement runs, or fails for a reason of its own), the third is
/// refused with MySQL's code.
#[tokio::test]
async fn the_privilege_matrix_direct_through_a_role_and_without() {
    let dir = scratch_dir("privilege-matrix");
    let _ = std::fs::remove_dir_all(&dir);
    let w = ExtraWeir::start(dir, "").await;
    let mut root = w.connect().await;
    root.query_drop("CREATE DATABASE m").await.unwrap();
    root.query_drop("CREATE TABLE m.t (x INT) WITH ('connector' = 'datagen', 'number-of-rows' = '2')").await.unwrap();
    root.query_drop("CREATE TABLE m.bh (x INT) WITH ('connector' = 'blackhole')").await.unwrap();
    root.query_drop("CREATE VIEW m.v0 AS SELECT x FROM m.t").await.unwrap();
    // (what is granted, on what, a statement that needs it ({u}: the account), MySQL's denial)
    let matrix: &[(&str, &str, &str, u16)] = &[
        ("SELECT", "m.t", "SELECT x FROM m.t", 1142),
        ("INSERT", "m.bh", "INSERT INTO m.bh VALUES (1)", 1142),
        ("CREATE", "m.*", "CREATE TABLE m.c_{u} (x INT) WITH ('connector' = 'blackhole')", 1142),
        ("DROP", "m.*", "DROP TABLE IF EXISTS m.nothing_{u}", 1142),
        ("ALTER", "m.*", "ALTER TABLE m.t SET ('number-of-rows' = '2')", 1142),
        ("CREATE VIEW, SELECT", "m.*", "CREATE VIEW m.v_{u} AS SELECT x FROM m.t", 1142),
        ("SHOW VIEW", "m.*", "SHOW CREATE VIEW m.v0", 1142),
        ("PROCESS", "*.*", "SHOW JOBS", 1227),
        ("SUPER", "*.*", "STOP JOB 'ffffffffffffffffffffffffffffffff'", 1227),
        ("CREATE USER", "*.*", "CREATE USER IF NOT EXISTS nu_{u}", 1227),
        ("CREATE JOB, INSERT, SELECT", "*.*", "CREATE JOB j_{u} AS INSERT INTO m.bh SELECT x FROM m.t", 1227),
        ("OPERATE JOB", "*.*", "START JOB no_such_job_{u}", 1227),
        ("CREATE DATASYNC", "*.*", "DROP DATASYNC IF EXISTS ds_{u}", 1227),
        ("CREATE SCHEDULE", "*.*", "DROP SCHEDULE IF EXISTS s_{u}", 1227),
        ("CREATE CATALOG", "*.*", "CREATE CATALOG cat_{u} WITH ('type' = 'generic_in_memory')", 1227),
        ("ALERT ADMIN", "*.*", "SHOW ALERT RULES", 1227),
        ("AUDIT ADMIN", "*.*", "SELECT COUNT(*) FROM information_schema.WEIR_AUDIT", 1227),
    ];
    for (i, (privileges, on, statement, denial)) in matrix.iter().enumerate() {
        let (direct, via_role, without, role) = (format!("d{i}"), format!("r{i}"), format!("n{i}"), format!("role{i}"));
        root.query_drop(format!("CREATE USER {direct} IDENTIFIED BY 'pw', {via_role} IDENTIFIED BY 'pw', {without} IDENTIFIED BY 'pw'")).await.unwrap();
        root.query_drop(format!("CREATE ROLE {role}")).await.unwrap();
        root.query_drop(format!("GRANT {privileges} ON {on} TO {direct}, {role}")).await.unwrap();
        root.query_drop(format!("GRANT {role} TO {via_role}")).await.unwrap();
        for (user, allowed) in [(&direct, true), (&via_role, true), (&without, false)] {
            let mut c = extra_login(&w, user, "pw").await;
            let sql = statement.replace("{u}", user);
            let outcome = c.query_drop(&sql).await;
            match (allowed, outcome) {
                (true, Ok(())) => {}
                (true, Err(e)) => {
                    let e = server_error(e);
                    assert!(!denied(e.code), "{user} holds {privileges} ON {on} yet `{sql}` was refused: {} {}", e.code, e.message);
                }
                (false, Ok(())) => panic!("{user} holds nothing yet `{sql}` ran"),
                (false, Err(e)) => {
                    let e = server_error(e);
                    assert_eq!(e.code, *denial, "{user} without {privileges}: `{sql}`: {}", e.message);
                }
            }
        }
    }

    // A view's definition asked for as a table needs SHOW VIEW too, as in MySQL; a table's does not.
    root.query_drop("CREATE USER reads_only IDENTIFIED BY 'pw'").await.unwrap();
    root.query_drop("GRANT SELECT ON m.* TO reads_only").await.unwrap();
    let mut c = extra_login(&w, "reads_only", "pw").await;
    let e = server_error(c.query_drop("SHOW CREATE TABLE m.v0").await.expect_err("a view's definition without SHOW VIEW"));
    assert_eq!(e.code, 1142, "{}", e.message);
    assert!(e.message.contains("SHOW VIEW command denied") && e.message.contains("v0"), "{}", e.message);
    c.query_drop("SHOW CREATE TABLE m.t").await.unwrap();
    root.query_drop("GRANT SHOW VIEW ON m.* TO reads_only").await.unwrap();
    let mut c = extra_login(&w, "reads_only", "pw").await;
    let shown: Vec<mysql_async::Row> = c.query("SHOW CREATE TABLE m.v0").await.unwrap();
    assert_eq!(shown.len(), 1);
}

/// A full disk under the audit trail: `/dev/full` as the audit file (every write fails with
/// ENOSPC). With `on_failure = "refuse"` the statement's answer is 1030 naming the failure and
/// the next statements are refused (probes, which are not audited, still answer: the connection
/// stays usable); with `"allow"` they run.
#[tokio::test]
async fn a_full_disk_under_the_audit_refuses_statements_or_lets_them_through_as_configured() {
    for (policy, refused) in [("refuse", true), ("allow", false)] {
        let dir = scratch_dir(&format!("audit-full-{policy}"));
        let _ = std::fs::remove_dir_all(&dir);
        let audit = dir.join("data").join("audit");
        std::fs::create_dir_all(&audit).unwrap();
        std::os::unix::fs::symlink("/dev/full", audit.join("audit.jsonl")).unwrap();
        let w = ExtraWeir::start(dir, &format!("[audit]\non_failure = \"{policy}\"\n")).await;
        let mut root = w.connect().await;
        for sql in ["SHOW GRANTS", "SHOW CONNECTORS"] {
            match (refused, root.query_drop(sql).await) {
                (true, Err(e)) => {
                    let e = server_error(e);
                    assert_eq!(e.code, 1030, "{sql}: {}", e.message);
                    assert!(e.message.contains("audit record could not be written") && e.message.contains("No space left on device"), "{}", e.message);
                }
                (true, Ok(())) => panic!("`{sql}` ran with its audit record unwritten"),
                (false, r) => r.unwrap_or_else(|e| panic!("`{sql}` runs with on_failure = allow: {e}")),
            }
        }
        let one: Option<i64> = root.query_first("SELECT 1").await.unwrap();
        assert_eq!(one, Some(1));
    }
}
