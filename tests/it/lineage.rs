//! Lineage as a user meets it: a view and managed jobs over real Flink tables record their table
//! and column edges; SHOW LINEAGE walks them up and down to a depth, SHOW IMPACT names what a
//! change reaches and whether it runs, information_schema lists every edge with the job's
//! version, an ALTER of a table a running job reads warns naming the job, and bad statements get
//! MySQL errors on a connection that stays usable.

use std::time::Duration;

use mysql_async::prelude::*;
use mysql_async::{Conn, Row};

use crate::harness::{scratch_dir, server, server_error, unique};
use crate::jobs::wait_state;

const DB: &str = "default_catalog.default_database";
const BATCH: &str = "WITH ('execution.runtime-mode' = 'batch')";

fn q(t: &str) -> String {
    format!("{DB}.{t}")
}

/// SHOW LINEAGE rows as (direction, depth, from, to, via, kind).
async fn lineage(c: &mut Conn, sql: &str) -> Vec<(String, String, String, String, String, String)> {
    let rows: Vec<Row> = c.query(sql).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    rows.into_iter().map(|r| (r.get(0).unwrap(), r.get(1).unwrap(), r.get(2).unwrap(), r.get(3).unwrap(), r.get(4).unwrap(), r.get(5).unwrap())).collect()
}

struct Cleanup(Vec<String>);

impl Drop for Cleanup {
    fn drop(&mut self) {
        let jobs = std::mem::take(&mut self.0);
        // Jobs must not keep their task slots after a failed test.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(async {
                let mut c = server().connect().await;
                for j in jobs {
                    let _ = c.query_drop(format!("STOP JOB {j} WITHOUT SAVEPOINT")).await;
                    let _ = c.query_drop(format!("DROP JOB IF EXISTS {j}")).await;
                }
            });
        })
        .join();
    }
}

#[tokio::test]
async fn jobs_and_views_record_their_lineage_and_show_lineage_walks_it() {
    let mut c = server().connect().await;
    let (orders, customers, v, totals, report) = (unique("lin_orders"), unique("lin_customers"), unique("lin_paid"), unique("lin_totals"), unique("lin_report"));
    let (j1, j2) = (unique("lin_job_totals"), unique("lin_job_report"));
    let _cleanup = Cleanup(vec![j1.clone(), j2.clone()]);
    c.query_drop(format!(
        "CREATE TABLE {orders} (id BIGINT, customer_id BIGINT, amount DOUBLE, status STRING) WITH ('connector' = 'datagen', 'rows-per-second' = '1', 'number-of-rows' = '1000000')"
    ))
    .await
    .unwrap();
    c.query_drop(format!("CREATE TABLE {customers} (id BIGINT, name STRING) WITH ('connector' = 'datagen', 'number-of-rows' = '5')")).await.unwrap();
    c.query_drop(format!("CREATE VIEW {v} AS SELECT id, customer_id, amount FROM {orders} WHERE status = 'paid'")).await.unwrap();
    let fs = |t: &str| format!("WITH ('connector' = 'filesystem', 'path' = 'file://{}', 'format' = 'csv')", scratch_dir(t).display());
    c.query_drop(format!("CREATE TABLE {totals} (customer_id BIGINT, total DOUBLE) {}", fs(&totals))).await.unwrap();
    c.query_drop(format!("CREATE TABLE {report} (name STRING, total DOUBLE) {}", fs(&report))).await.unwrap();
    c.query_drop(format!("CREATE JOB {j1} {BATCH} AS INSERT INTO {totals} SELECT customer_id, SUM(amount) FROM {v} GROUP BY customer_id")).await.unwrap();
    c.query_drop(format!("CREATE JOB {j2} {BATCH} AS INSERT INTO {report} SELECT c.name, t.total * 1.1 FROM {totals} t JOIN {customers} c ON c.id = t.customer_id"))
        .await
        .unwrap();

    // Upstream of the report, table level: the second job, then the first, then the view.
    let up = lineage(&mut c, &format!("SHOW LINEAGE OF TABLE {report} UPSTREAM")).await;
    let edges: Vec<(&str, String, String, String)> = up.iter().map(|r| (r.1.as_str(), r.2.clone(), r.3.clone(), r.4.clone())).collect();
    for expected in [
        ("1", q(&totals), q(&report), format!("JOB {j2} (version 1)")),
        ("1", q(&customers), q(&report), format!("JOB {j2} (version 1)")),
        ("2", q(&v), q(&totals), format!("JOB {j1} (version 1)")),
        ("3", q(&orders), q(&v), format!("VIEW {}", q(&v))),
    ] {
        assert!(edges.contains(&(expected.0, expected.1.clone(), expected.2.clone(), expected.3.clone())), "{expected:?} not in {edges:?}");
    }
    assert_eq!(edges.len(), 4, "{edges:?}");
    assert!(up.iter().all(|r| r.0 == "UPSTREAM"));
    // DEPTH bounds the walk.
    assert_eq!(lineage(&mut c, &format!("SHOW LINEAGE OF TABLE {report} UPSTREAM DEPTH 1")).await.len(), 2);

    // Column level: the report's total comes from the orders' amount, through the view and both jobs.
    let cols = lineage(&mut c, &format!("SHOW LINEAGE OF TABLE {report} COLUMN total UPSTREAM")).await;
    let col_edges: Vec<(String, String, String)> = cols.iter().map(|r| (r.2.clone(), r.3.clone(), r.5.clone())).collect();
    assert_eq!(
        col_edges,
        vec![
            (format!("{}.total", q(&totals)), format!("{}.total", q(&report)), "TRANSFORM".to_string()),
            (format!("{}.amount", q(&v)), format!("{}.total", q(&totals)), "AGGREGATE".to_string()),
            (format!("{}.amount", q(&orders)), format!("{}.amount", q(&v)), "COPY".to_string()),
        ]
    );
    // Downstream of the orders, both ways by default.
    let down = lineage(&mut c, &format!("SHOW LINEAGE OF {orders}")).await;
    assert_eq!(down.iter().filter(|r| r.0 == "DOWNSTREAM").count(), 3, "{down:?}");
    assert_eq!(down.iter().filter(|r| r.0 == "UPSTREAM").count(), 0, "{down:?}");

    // Impact of the orders' status column: the view only filters on it, so nothing downstream
    // reads it as a value; of the amount column: the view, both jobs (not running).
    let mut impact: Vec<(String, String, Option<String>, Option<String>)> = c.query(format!("SHOW IMPACT OF TABLE {orders} COLUMN amount")).await.unwrap();
    impact.sort();
    let mut expected = vec![
        ("JOB".to_string(), j1.clone(), Some(q(&totals)), Some("NO".to_string())),
        ("JOB".into(), j2.clone(), Some(q(&report)), Some("NO".into())),
        ("VIEW".into(), q(&v), Some(q(&v)), None),
    ];
    expected.sort();
    assert_eq!(impact, expected);
    let none: Vec<Row> = c.query(format!("SHOW IMPACT OF TABLE {orders} COLUMN status")).await.unwrap();
    assert!(none.is_empty());

    // information_schema: every edge, with the job's version; a new version records its own.
    c.query_drop(format!("ALTER JOB {j1} AS INSERT INTO {totals} SELECT customer_id, MAX(amount) FROM {orders} GROUP BY customer_id")).await.unwrap();
    let versions: Vec<(u64, String)> = c
        .exec("SELECT VERSION, FROM_TABLE FROM information_schema.WEIR_TABLE_LINEAGE WHERE VIA_NAME = ? ORDER BY VERSION", (&j1,))
        .await
        .unwrap();
    assert_eq!(versions, vec![(1, q(&v)), (2, q(&orders))]);
    let col: Vec<(String, String, String)> = c
        .exec("SELECT FROM_COLUMN, TO_COLUMN, KIND FROM information_schema.WEIR_COLUMN_LINEAGE WHERE VIA_NAME = ? AND VERSION = 2 ORDER BY TO_COLUMN", (&j1,))
        .await
        .unwrap();
    assert_eq!(col, vec![("customer_id".into(), "customer_id".into(), "COPY".into()), ("amount".into(), "total".into(), "AGGREGATE".into())]);
    // The walk uses the newest version: the totals now come from the orders directly.
    let up = lineage(&mut c, &format!("SHOW LINEAGE OF TABLE {totals} UPSTREAM")).await;
    assert_eq!(up.iter().map(|r| r.2.clone()).collect::<Vec<_>>(), vec![q(&orders)]);

    // A running job reads the orders: altering them warns, naming it.
    c.query_drop(format!("START JOB {j1}")).await.unwrap();
    wait_state(&mut c, &j1, "RUNNING", Duration::from_secs(120)).await;
    c.query_drop(format!("ALTER TABLE {orders} SET ('rows-per-second' = '2')")).await.unwrap();
    let warnings: Vec<(String, u32, String)> = c.query("SHOW WARNINGS").await.unwrap();
    assert!(
        warnings.iter().any(|(level, _, m)| level == "Warning" && m.contains(&j1) && m.contains(&q(&orders))),
        "{warnings:?}"
    );
    let impact: Vec<(String, String, Option<String>, Option<String>)> = c.query(format!("SHOW IMPACT OF TABLE {orders}")).await.unwrap();
    assert!(impact.contains(&("JOB".into(), j1.clone(), Some(q(&totals)), Some("YES".into()))), "{impact:?}");
    c.query_drop(format!("STOP JOB {j1} WITHOUT SAVEPOINT")).await.unwrap();

    // A dropped job's lineage goes.
    c.query_drop(format!("DROP JOB {j2}")).await.unwrap();
    let left: Vec<Row> = c.exec("SELECT * FROM information_schema.WEIR_TABLE_LINEAGE WHERE VIA_NAME = ?", (&j2,)).await.unwrap();
    assert!(left.is_empty());
}

#[tokio::test]
async fn an_insert_and_a_ctas_record_their_lineage() {
    let mut c = server().connect().await;
    c.query_drop("SET 'execution.runtime-mode' = 'batch'").await.unwrap();
    let (src, snk, copy) = (unique("lin_src"), unique("lin_snk"), unique("lin_copy"));
    c.query_drop(format!("CREATE TABLE {src} (id BIGINT, v STRING) WITH ('connector' = 'datagen', 'number-of-rows' = '3')")).await.unwrap();
    c.query_drop(format!("CREATE TABLE {snk} (id BIGINT, v STRING) WITH ('connector' = 'blackhole')")).await.unwrap();
    c.query_drop(format!("INSERT INTO {snk} SELECT id + 1, UPPER(v) FROM {src}")).await.unwrap();
    c.query_drop(format!("CREATE TABLE {copy} WITH ('connector' = 'blackhole') AS SELECT * FROM {src}")).await.unwrap();
    let rows: Vec<(String, String, String, String, String)> = c
        .exec(
            "SELECT VIA_TYPE, FROM_COLUMN, TO_TABLE, TO_COLUMN, KIND FROM information_schema.WEIR_COLUMN_LINEAGE WHERE FROM_TABLE = ? ORDER BY TO_TABLE, TO_COLUMN",
            (q(&src),),
        )
        .await
        .unwrap();
    let mut expected = vec![
        ("STATEMENT".to_string(), "id".to_string(), q(&snk), "id".to_string(), "TRANSFORM".to_string()),
        ("STATEMENT".into(), "v".into(), q(&snk), "v".into(), "TRANSFORM".into()),
        ("STATEMENT".into(), "id".into(), q(&copy), "id".into(), "COPY".into()),
        ("STATEMENT".into(), "v".into(), q(&copy), "v".into(), "COPY".into()),
    ];
    expected.sort_by(|a, b| (&a.2, &a.3).cmp(&(&b.2, &b.3)));
    assert_eq!(rows, expected);
}

#[tokio::test]
async fn mysql_and_oracle_sessions_record_the_lineage_of_what_their_translated_statements_move() {
    let mut c = server().connect().await;
    c.query_drop("SET 'execution.runtime-mode' = 'batch'").await.unwrap();
    let (src, by_mysql, by_oracle) = (unique("dl_src"), unique("dl_mysql"), unique("dl_oracle"));
    c.query_drop(format!("CREATE TABLE {src} (id BIGINT, amount INT, name STRING) WITH ('connector' = 'datagen', 'number-of-rows' = '3')")).await.unwrap();
    for t in [&by_mysql, &by_oracle] {
        c.query_drop(format!("CREATE TABLE {t} (id BIGINT, total INT, label STRING) WITH ('connector' = 'blackhole')")).await.unwrap();
    }
    // The same statement as each dialect writes it: translated, run by Flink, its lineage recorded.
    c.query_drop("SET weir.dialect = 'mysql'").await.unwrap();
    c.query_drop(format!("INSERT INTO {by_mysql} SELECT id, IFNULL(amount, 0), CONCAT(name, '!') FROM {src}")).await.unwrap();
    c.query_drop("SET weir.dialect = 'oracle'").await.unwrap();
    c.query_drop(format!("INSERT INTO {by_oracle} SELECT id, NVL(amount, 0), name || '!' FROM {src}")).await.unwrap();
    c.query_drop("SET weir.dialect = 'flink'").await.unwrap();
    for sink in [&by_mysql, &by_oracle] {
        let rows: Vec<(String, String, String)> = c
            .exec("SELECT FROM_COLUMN, TO_COLUMN, KIND FROM information_schema.WEIR_COLUMN_LINEAGE WHERE FROM_TABLE = ? AND TO_TABLE = ? ORDER BY TO_COLUMN", (q(&src), q(sink)))
            .await
            .unwrap();
        let expected = [
            ("id".to_string(), "id".to_string(), "COPY".to_string()),
            ("name".into(), "label".into(), "TRANSFORM".into()),
            ("amount".into(), "total".into(), "TRANSFORM".into()),
        ];
        assert_eq!(rows, expected, "{sink}");
    }
}

#[tokio::test]
async fn bad_lineage_statements_get_mysql_errors_and_the_connection_stays_usable() {
    let mut c = server().connect().await;
    let t = unique("lin_known");
    c.query_drop(format!("CREATE TABLE {t} (id BIGINT) WITH ('connector' = 'blackhole')")).await.unwrap();
    let e = server_error(c.query_drop("SHOW LINEAGE OF TABLE lin_no_such_table").await.unwrap_err());
    assert_eq!((e.code, e.state.as_str()), (1146, "42S02"), "{}", e.message);
    assert!(e.message.contains("lin_no_such_table"), "{}", e.message);
    let e = server_error(c.query_drop(format!("SHOW LINEAGE OF TABLE {t} COLUMN nocol")).await.unwrap_err());
    assert_eq!(e.code, 1054, "{}", e.message);
    assert!(e.message.contains("nocol"), "{}", e.message);
    let e = server_error(c.query_drop(format!("SHOW LINEAGE OF TABLE {t} DEPTH 0")).await.unwrap_err());
    assert_eq!((e.code, e.state.as_str()), (1064, "42000"), "{}", e.message);
    assert!(e.message.contains("DEPTH"), "{}", e.message);
    let e = server_error(c.query_drop(format!("SHOW IMPACT OF {t}")).await.unwrap_err());
    assert_eq!(e.code, 1064, "{}", e.message);
    // A table with no lineage has none.
    let rows: Vec<Row> = c.query(format!("SHOW LINEAGE OF TABLE {t}")).await.unwrap();
    assert!(rows.is_empty());
    let one: Option<u32> = c.query_first("SELECT 1").await.unwrap();
    assert_eq!(one, Some(1));
}

/// `weir lineage` run against the store of the server the user worked with.
fn draw(args: &[&str]) -> (bool, String, String) {
    crate::harness::cli_on_test_store("lineage", args)
}

#[tokio::test]
async fn weir_lineage_draws_what_a_user_recorded_as_svg_and_dot() {
    let mut c = server().connect().await;
    let (clicks, v, daily, unrelated) = (unique("pic_clicks"), unique("pic_valid"), unique("pic_daily"), unique("pic_unrelated"));
    let job = unique("pic_job");
    let _cleanup = Cleanup(vec![job.clone()]);
    c.query_drop(format!("CREATE TABLE {clicks} (user_id BIGINT, url STRING) WITH ('connector' = 'datagen', 'number-of-rows' = '10')")).await.unwrap();
    c.query_drop(format!("CREATE TABLE {unrelated} (x BIGINT) WITH ('connector' = 'datagen', 'number-of-rows' = '1')")).await.unwrap();
    c.query_drop(format!("CREATE VIEW {v} AS SELECT user_id, url FROM {clicks} WHERE url IS NOT NULL")).await.unwrap();
    c.query_drop(format!("CREATE TABLE {daily} (user_id BIGINT, n BIGINT) WITH ('connector' = 'blackhole')")).await.unwrap();
    c.query_drop(format!("CREATE JOB {job} {BATCH} AS INSERT INTO {daily} SELECT user_id, COUNT(*) FROM {v} GROUP BY user_id")).await.unwrap();

    // The whole lineage as SVG: the clicks feed the view, the view feeds the job's table.
    let (ok, svg, err) = draw(&[]);
    assert!(ok, "{err}");
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""), "{svg}");
    for name in [q(&clicks), q(&v), q(&daily)] {
        assert!(svg.contains(&format!(">{name}</text>")), "{name} not drawn");
    }
    assert!(svg.contains(&format!("job {job}")), "the job is not named on its edge");
    // Drawn left to right: the source's box lies left of the view's, the view's left of the sink's.
    let x_of = |name: &str| -> u64 {
        let at = svg.find(&format!(">{name}</text>")).unwrap();
        let rect = svg[..at].rfind("<rect x=\"").unwrap() + 9;
        svg[rect..].split('"').next().unwrap().parse().unwrap()
    };
    assert!(x_of(&q(&clicks)) < x_of(&q(&v)) && x_of(&q(&v)) < x_of(&q(&daily)));

    // Focused on the view, as DOT: its upstream and downstream only, the view marked.
    let (ok, dot, err) = draw(&["--table", &format!("default_database.{v}"), "--format", "dot"]);
    assert!(ok, "{err}");
    assert!(dot.starts_with("digraph lineage {\n  rankdir=LR;"), "{dot}");
    assert!(dot.contains(&format!("label=\"{}\", style=\"rounded,bold\"", q(&v))), "{dot}");
    assert!(dot.contains(&q(&clicks)) && dot.contains(&q(&daily)) && !dot.contains(&unrelated), "{dot}");
    assert!(dot.contains(&format!("label=\"job {job} (INSERT)\"")), "{dot}");

    // A column: the daily count's user_id comes from the clicks through the view.
    let (ok, dot, err) = draw(&["--table", &q(&daily), "--column", "user_id", "--format", "dot"]);
    assert!(ok, "{err}");
    assert!(dot.contains(&format!("\"{}.user_id\"", q(&clicks))), "{dot}");

    // A table no lineage names: a clear error, nothing on stdout.
    let (ok, out, err) = draw(&["--table", &unrelated]);
    assert!(!ok && out.is_empty(), "{out}");
    assert!(err.contains(&format!("no recorded lineage reaches {}", q(&unrelated))), "{err}");
    // The server is still there.
    let one: Option<u8> = c.query_first("SELECT 1").await.unwrap();
    assert_eq!(one, Some(1));
}

#[tokio::test]
async fn the_lineage_picture_is_served_over_http_to_an_account_and_shows_only_what_it_may_see() {
    let mut root = server().connect().await;
    let (orders, paid, secret, report) = (unique("web_orders"), unique("web_paid"), unique("web_secret"), unique("web_report"));
    let reader = unique("web_reader");
    let job = unique("web_job");
    let _cleanup = Cleanup(vec![job.clone()]);
    root.query_drop(format!("CREATE TABLE {orders} (id BIGINT, amount INT) WITH ('connector' = 'datagen', 'number-of-rows' = '10')")).await.unwrap();
    root.query_drop(format!("CREATE TABLE {secret} (id BIGINT, cost INT) WITH ('connector' = 'datagen', 'number-of-rows' = '10')")).await.unwrap();
    root.query_drop(format!("CREATE VIEW {paid} AS SELECT id, amount FROM {orders} WHERE amount > 0")).await.unwrap();
    root.query_drop(format!("CREATE TABLE {report} (id BIGINT, margin INT) WITH ('connector' = 'blackhole')")).await.unwrap();
    root.query_drop(format!("CREATE JOB {job} {BATCH} AS INSERT INTO {report} SELECT p.id, p.amount - s.cost FROM {paid} p JOIN {secret} s ON s.id = p.id"))
        .await
        .unwrap();
    // A reader who may see the orders, the view and the report, not the secret costs.
    root.query_drop(format!("CREATE USER '{reader}'@'%' IDENTIFIED BY 'web-pass'")).await.unwrap();
    for t in [&orders, &paid, &report] {
        root.query_drop(format!("GRANT SELECT ON default_database.{t} TO '{reader}'@'%'")).await.unwrap();
    }
    let base = crate::harness::env("WEIR_TEST_HTTP");
    let svg_of = |table: &str| format!("{base}/lineage.svg?table={table}");

    // root (no password on loopback) sees the whole picture, the secret table included.
    let (code, head, svg) = crate::harness::http_get_as(&svg_of(&report), Some(("root", ""))).await.expect("an answer");
    assert_eq!(code, 200, "{head}\n{svg}");
    assert!(head.to_ascii_lowercase().contains("content-type: image/svg+xml"), "{head}");
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""), "{svg}");
    for name in [q(&orders), q(&paid), q(&secret), q(&report)] {
        assert!(svg.contains(&format!(">{name}</text>")), "{name} not drawn for root");
    }

    // The reader sees the same report without the secret table: it is not drawn, nor named.
    let (code, _, svg) = crate::harness::http_get_as(&svg_of(&report), Some((&reader, "web-pass"))).await.expect("an answer");
    assert_eq!(code, 200, "{svg}");
    for name in [q(&orders), q(&paid), q(&report)] {
        assert!(svg.contains(&format!(">{name}</text>")), "{name} not drawn for the reader");
    }
    assert!(!svg.contains(&secret), "the reader sees the secret table: {svg}");
    // Focused on the secret table, the reader is told what anyone is told of a table without lineage.
    let (code, _, body) = crate::harness::http_get_as(&svg_of(&secret), Some((&reader, "web-pass"))).await.expect("an answer");
    assert_eq!((code, body.trim()), (404, format!("no recorded lineage reaches {}", q(&secret)).as_str()));
    // DOT too, for a column.
    let dot_url = format!("{base}/lineage.dot?table={report}&column=margin");
    let (code, head, dot) = crate::harness::http_get_as(&dot_url, Some((&reader, "web-pass"))).await.expect("an answer");
    assert_eq!(code, 200, "{dot}");
    assert!(head.to_ascii_lowercase().contains("content-type: text/vnd.graphviz"), "{head}");
    assert!(dot.starts_with("digraph lineage {") && dot.contains(&format!("\"{}.amount\"", q(&orders))) && !dot.contains(&secret), "{dot}");

    // No credentials, a wrong password, an unknown account: 401 with a challenge, nothing drawn.
    for login in [None, Some((reader.as_str(), "wrong")), Some(("nobody_at_all", "x"))] {
        let (code, head, body) = crate::harness::http_get_as(&svg_of(&report), login).await.expect("an answer");
        assert_eq!(code, 401, "{login:?}: {body}");
        assert!(head.contains("WWW-Authenticate: Basic realm=\"Weir\"") || head.contains("www-authenticate: Basic realm=\"Weir\""), "{head}");
        assert!(!body.contains("<svg") && !body.contains(&orders), "{body}");
    }
    // Each attempt is in the audit trail (the store follows the audit file within moments), the
    // refused ones with MySQL's 1045.
    let start = std::time::Instant::now();
    loop {
        let audited: Vec<(String, String)> =
            root.exec("SELECT USER, RESULT FROM information_schema.WEIR_AUDIT WHERE KIND = 'http lineage' AND USER IN (?, 'nobody_at_all')", (&reader,)).await.unwrap();
        let ok = audited.iter().filter(|(u, r)| u == &reader && r == "OK").count();
        let refused = |who: &str| audited.iter().any(|(u, r)| u == who && r == "1045");
        if ok == 3 && refused(&reader) && refused("nobody_at_all") {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(15), "{audited:?}");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }

    // information_schema's lineage tables keep the same secret from the reader's MySQL session.
    let mut as_reader = Conn::new(server().opts(&reader, "web-pass")).await.unwrap();
    let edges: Vec<(String, String)> =
        as_reader.exec("SELECT FROM_TABLE, TO_TABLE FROM information_schema.WEIR_TABLE_LINEAGE WHERE VIA_NAME = ?", (&job,)).await.unwrap();
    assert_eq!(edges, vec![(q(&paid), q(&report))], "the reader's edges of the job");
    let columns: Vec<(Option<String>, String)> =
        as_reader.exec("SELECT FROM_TABLE, TO_TABLE FROM information_schema.WEIR_COLUMN_LINEAGE WHERE VIA_NAME = ?", (&job,)).await.unwrap();
    assert!(!columns.is_empty() && columns.iter().all(|(f, _)| f.as_deref() != Some(q(&secret).as_str())), "{columns:?}");
    let all: Vec<(String, String)> = root.exec("SELECT FROM_TABLE, TO_TABLE FROM information_schema.WEIR_TABLE_LINEAGE WHERE VIA_NAME = ?", (&job,)).await.unwrap();
    assert_eq!(all.len(), 2, "root sees both edges: {all:?}");

    // The MySQL side is untouched.
    let one: Option<u8> = root.query_first("SELECT 1").await.unwrap();
    assert_eq!(one, Some(1));
    drop(as_reader);
    root.query_drop(format!("DROP USER '{reader}'@'%'")).await.unwrap();
}
