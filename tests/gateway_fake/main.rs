#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test crate: failing loudly is its job
//! The fast tier: Weir's session and routing behaviour against a scripted fake Flink SQL Gateway
//! (Flink 1.20.3, REST API V3) on loopback, with Weir in process and real MySQL clients. No Flink,
//! no environment, seconds per story. It checks what Weir sends to Flink and what the client gets
//! back; what Flink itself does is for the real-Flink tests (tests/it), which this never replaces.
//!
//! * [`fake`]: the gateway, scripted by statement text, recording every statement per session.
//! * [`harness`]: Weir started in process as `weir serve` does, and client helpers.

mod fake;
mod harness;

use std::collections::BTreeMap;
use std::time::Duration;

use mysql_async::consts::ColumnType::*;
use mysql_async::prelude::*;
use serde_json::{Value, json};

use crate::fake::{
    Answer, FakeGateway, Rows, bigint, boolean, change, changelog_plan, column, contains, date, decimal, exact, insert, int, number,
    object_not_found, parse_error_near, prefix, string, string_not_null, text_result, varchar,
};
use crate::harness::{Weir, bye, cells, error_of, query, try_query, within};

/// How long a story may take (each takes well under a second when Weir behaves).
const STORY: Duration = Duration::from_secs(30);

const BATCH: &str = "SET 'execution.runtime-mode' = 'batch'";
const RUNTIME_MODE: &str = "execution.runtime-mode";

fn explain(sql: &str) -> String {
    format!("EXPLAIN CHANGELOG_MODE {sql}")
}

/// A one-column INT query result with the given values, in one page.
fn ints(name: &str, values: &[i64]) -> Answer {
    Answer::Rows(Rows::query(vec![column(name, int(true))]).page(values.iter().map(|v| insert(vec![json!(v)])).collect()))
}

/// Session calls (sessions, statements, results) the gateway got: none for what Weir answers
/// itself.
fn session_calls(gw: &FakeGateway) -> Vec<String> {
    gw.requests().into_iter().filter(|r| r.is_session_call()).map(|r| format!("{} {}", r.method, r.path)).collect()
}

// ---------------------------------------------------------------------------------------------
// Results

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_querys_rows_come_back_from_flink_through_weir() {
    within(STORY, async {
        let gw = FakeGateway::flink_1_20().await;
        let q = "SELECT id, name, score, day FROM people";
        gw.on(exact(&explain(q)), changelog_plan("I"));
        gw.on(
            exact(q),
            Answer::Rows(
                Rows::query(vec![column("id", int(false)), column("name", varchar(20)), column("score", decimal(5, 2)), column("day", date())])
                    .not_ready_first(2)
                    .page(vec![insert(vec![json!(1), json!("ann"), number("1.5"), json!("2024-02-29")])])
                    // A running query's empty page: Weir keeps fetching.
                    .page(vec![])
                    .page(vec![
                        insert(vec![json!(2), Value::Null, Value::Null, Value::Null]),
                        insert(vec![json!(3), json!("bob"), number("-0.25"), json!("1970-01-01")]),
                    ]),
            ),
        );
        let weir = Weir::start(&gw).await;
        let mut c = weir.connect().await;

        let t = query(&mut c, q).await;
        assert_eq!(t.columns, ["id", "name", "score", "day"]);
        assert_eq!(t.types, [MYSQL_TYPE_LONG, MYSQL_TYPE_VAR_STRING, MYSQL_TYPE_NEWDECIMAL, MYSQL_TYPE_DATE]);
        assert_eq!(
            t.rows,
            cells(&[
                &[Some("1"), Some("ann"), Some("1.50"), Some("2024-02-29")],
                &[Some("2"), None, None, None],
                &[Some("3"), Some("bob"), Some("-0.25"), Some("1970-01-01")],
            ])
        );
        // Two NOT_READY polls of page 0, then pages 0, 1 (empty), 2, and the EOS at 3.
        assert_eq!(gw.fetched(q), vec![vec![0, 0, 0, 1, 2, 3]], "the result pages Weir fetched");
        assert!(gw.all_closed(q), "Weir closes the operation of a finished result");
        assert_eq!(gw.statements(), [explain(q), q.to_string()]);
        assert_eq!(gw.sessions().len(), 1);
        assert_eq!(gw.sessions()[0].name.as_deref(), Some("weir-root-1"), "the Flink session is named after its connection");
        assert_eq!(gw.left_open(), Vec::<String>::new(), "operations Weir left open");
        bye(c).await;
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// Errors

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flink_error_becomes_mysqls_and_the_connection_stays_usable() {
    within(STORY, async {
        let gw = FakeGateway::flink_1_20().await;
        gw.on(contains("FROM nope"), object_not_found("nope"));
        gw.on(contains("SELECT FROM x"), parse_error_near("FROM"));
        gw.on(exact(&explain("SELECT a FROM ok")), changelog_plan("I"));
        gw.on(exact("SELECT a FROM ok"), ints("a", &[1]));
        let weir = Weir::start(&gw).await;
        let mut c = weir.connect().await;

        let e = error_of(&mut c, "SELECT * FROM nope").await;
        assert_eq!((e.code, e.state.as_str(), e.message.as_str()), (1146, "42S02", "Table 'nope' doesn't exist"), "{e:?}");
        let e = error_of(&mut c, "SELECT FROM x").await;
        assert_eq!((e.code, e.state.as_str()), (1064, "42000"), "{e:?}");
        assert!(
            e.message.starts_with("You have an error in your SQL syntax: SQL parse failed. Incorrect syntax near the keyword 'FROM'"),
            "{e:?}"
        );
        assert!(!e.message.contains("Was expecting"), "the parser's list of expected tokens is cut: {e:?}");

        let t = query(&mut c, "SELECT a FROM ok").await;
        assert_eq!(t.rows, cells(&[&[Some("1")]]));
        // The failures came from Flink (here from the plan Weir asks for first), in one Flink session.
        assert_eq!(
            gw.statements(),
            [explain("SELECT * FROM nope"), explain("SELECT FROM x"), explain("SELECT a FROM ok"), "SELECT a FROM ok".to_string()]
        );
        assert_eq!(gw.sessions().len(), 1, "a Flink error does not cost the session its Flink session");
        assert_eq!(gw.left_open(), Vec::<String>::new(), "operations Weir left open");
        // SHOW WARNINGS after an error shows it, as MySQL does.
        let _ = error_of(&mut c, "SELECT * FROM nope").await;
        let w = query(&mut c, "SHOW WARNINGS").await;
        assert_eq!(w.rows, cells(&[&[Some("Error"), Some("1146"), Some("Table 'nope' doesn't exist")]]));
        bye(c).await;
    })
    .await;
}

/// In streaming mode Weir first sends `EXPLAIN CHANGELOG_MODE <query>`; a syntax error Flink finds
/// there must still point into the user's own text (MySQL's 1064 names the position).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flink_syntax_error_names_the_position_in_the_users_text() {
    within(STORY, async {
        let gw = FakeGateway::flink_1_20().await;
        gw.on(contains("SELECT FROM x"), parse_error_near("FROM"));
        let weir = Weir::start(&gw).await;
        let mut c = weir.connect().await;

        // Batch mode: the statement goes as written, and Flink's position is the user's.
        c.query_drop(BATCH).await.unwrap();
        let e = error_of(&mut c, "SELECT FROM x").await;
        assert_eq!(e.code, 1064, "{e:?}");
        assert!(e.message.contains("at line 1, column 8"), "batch mode: {e:?}");
        // Streaming mode: the same statement, the same position.
        c.query_drop("SET 'execution.runtime-mode' = 'streaming'").await.unwrap();
        let e = error_of(&mut c, "SELECT FROM x").await;
        assert_eq!(e.code, 1064, "{e:?}");
        assert!(
            e.message.contains("at line 1, column 8"),
            "streaming mode: the position should be column 8 of `SELECT FROM x`, as the client wrote it; Flink saw {:?}. Client got: {e:?}",
            gw.statements().last()
        );
        bye(c).await;
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// Session state kept across Flink sessions

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn set_runtime_mode_is_replayed_when_the_gateway_loses_the_session() {
    within(STORY, async {
        let gw = FakeGateway::flink_1_20().await;
        gw.on(exact("SELECT a FROM src"), ints("a", &[7]));
        let weir = Weir::start(&gw).await;
        let mut c = weir.connect().await;

        c.query_drop(BATCH).await.unwrap();
        assert_eq!(gw.sessions().len(), 1);
        assert_eq!(gw.sessions()[0].config.get(RUNTIME_MODE).map(String::as_str), Some("batch"));
        // The gateway restarts (or expires the session).
        gw.lose_all_sessions();

        let t = query(&mut c, "SELECT a FROM src").await;
        assert_eq!(t.rows, cells(&[&[Some("7")]]), "the statement is rerun in a new Flink session");

        let sessions = gw.sessions();
        assert_eq!(sessions.len(), 2, "Weir reopens one Flink session: {sessions:?}");
        let received = gw.received();
        let selects: Vec<_> = received.iter().filter(|r| r.sql == "SELECT a FROM src").collect();
        assert_eq!(selects.len(), 2, "tried once in the lost session, once in the new one: {received:?}");
        assert!(!selects[0].accepted && selects[0].session == 0, "{received:?}");
        assert!(selects[1].accepted && selects[1].session == 1, "{received:?}");
        // The SET was replayed (as an option of the new session or as a SET before the rerun).
        assert_eq!(
            selects[1].config.get(RUNTIME_MODE).map(String::as_str),
            Some("batch"),
            "the rerun statement ran in batch mode; new session: {:?}, its statements: {:?}",
            sessions[1],
            gw.statements_of(1)
        );
        assert!(!gw.statements().iter().any(|s| s.starts_with("EXPLAIN")), "batch mode asks no changelog plan");
        assert!(received.iter().all(|r| !r.configure), "statements go through POST …/statements");
        bye(c).await;
    })
    .await;
}

/// A pre-opened (pooled) Flink session gets the session's options as `SET` statements.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pooled_flink_session_gets_the_users_options_as_set_statements() {
    within(STORY, async {
        let gw = FakeGateway::flink_1_20().await;
        gw.on(exact("SELECT a FROM src"), ints("a", &[7]));
        let weir = Weir::start_with(&gw, |cfg| {
            cfg.server.session_pool = 1;
            cfg.session.flink_options = BTreeMap::from([(RUNTIME_MODE.to_string(), "batch".to_string())]);
        })
        .await;
        let mut c = weir.connect().await;

        let t = query(&mut c, "SELECT a FROM src").await;
        assert_eq!(t.rows, cells(&[&[Some("7")]]));
        let pooled = &gw.sessions()[0];
        assert_eq!(pooled.name.as_deref(), Some("weir-pool"));
        assert!(pooled.opened_with.is_empty(), "{pooled:?}");
        assert_eq!(gw.statements_of(0), [BATCH, "SELECT a FROM src"]);
        let select = gw.received().into_iter().find(|r| r.sql == "SELECT a FROM src").unwrap();
        assert_eq!(select.config.get(RUNTIME_MODE).map(String::as_str), Some("batch"));
        bye(c).await;
    })
    .await;
}

/// A pooled Flink session the gateway no longer has (it restarted between two checks of the
/// cluster monitor, or expired the idle session: pooled sessions get no heartbeat) must not fail
/// the client's statement: Weir reopens, as it does for a lost session.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_pooled_session_is_replaced_for_the_first_statement() {
    within(STORY, async {
        let gw = FakeGateway::flink_1_20().await;
        gw.on(exact("SELECT a FROM src"), ints("a", &[7]));
        let weir = Weir::start_with(&gw, |cfg| {
            cfg.server.session_pool = 1;
            cfg.session.flink_options = BTreeMap::from([(RUNTIME_MODE.to_string(), "batch".to_string())]);
        })
        .await;
        let mut c = weir.connect().await;
        // The pool is filled before the cluster is READY; a local statement does not wait for it.
        while gw.sessions().is_empty() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        gw.lose_all_sessions();

        let t = crate::harness::try_query(&mut c, "SELECT a FROM src").await;
        let received = gw.received();
        let t = t.unwrap_or_else(|e| panic!("the first statement failed: {e}; the gateway got {received:?}; sessions {:?}", gw.sessions()));
        assert_eq!(t.rows, cells(&[&[Some("7")]]));
        let select = received.iter().find(|r| r.sql == "SELECT a FROM src" && r.accepted).unwrap();
        assert_eq!(select.config.get(RUNTIME_MODE).map(String::as_str), Some("batch"), "{received:?}");
        bye(c).await;
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// Changelog mode

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streaming_mode_learns_a_querys_changelog_mode_once() {
    within(STORY, async {
        let gw = FakeGateway::flink_1_20().await;
        let agg = "SELECT a, COUNT(*) AS c FROM clicks GROUP BY a";
        gw.on(exact(&explain(agg)), changelog_plan("I,UB,UA"));
        gw.on(
            exact(agg),
            Answer::Rows(Rows::query(vec![column("a", varchar(10)), column("c", bigint(false))]).page(vec![
                insert(vec![json!("x"), json!(1)]),
                change("UPDATE_BEFORE", vec![json!("x"), json!(1)]),
                change("UPDATE_AFTER", vec![json!("x"), json!(2)]),
            ])),
        );
        let plain = "SELECT a FROM clicks";
        gw.on(exact(&explain(plain)), changelog_plan("I"));
        gw.on(exact(plain), Answer::Rows(Rows::query(vec![column("a", varchar(10))]).page(vec![insert(vec![json!("x")])])));
        let weir = Weir::start(&gw).await;
        let mut c = weir.connect().await;

        let changelog = cells(&[&[Some("+I"), Some("x"), Some("1")], &[Some("-U"), Some("x"), Some("1")], &[Some("+U"), Some("x"), Some("2")]]);
        for round in 0..2 {
            let t = query(&mut c, agg).await;
            assert_eq!(t.columns, ["op", "a", "c"], "round {round}: a changelog gets a leading op column");
            assert_eq!(t.rows, changelog, "round {round}");
        }
        assert_eq!(gw.statements(), [explain(agg), agg.to_string(), agg.to_string()], "one EXPLAIN for the first run only");

        let t = query(&mut c, plain).await;
        assert_eq!(t.columns, ["a"], "an insert-only result has no op column");
        assert_eq!(t.rows, cells(&[&[Some("x")]]));
        assert_eq!(gw.statements()[3..], [explain(plain), plain.to_string()]);
        assert_eq!(gw.left_open(), Vec::<String>::new(), "operations Weir left open");
        bye(c).await;
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// Statements Weir refuses or answers itself

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flink_2_2_statement_is_refused_by_a_1_20_gateway_without_reaching_it() {
    within(STORY, async {
        let gw = FakeGateway::flink_1_20().await;
        let weir = Weir::start(&gw).await;
        let mut c = weir.connect().await;

        let e = error_of(&mut c, "SHOW MATERIALIZED TABLES").await;
        assert_eq!((e.code, e.state.as_str()), (1235, "42000"), "{e:?}");
        assert!(e.message.contains("SHOW MATERIALIZED TABLES needs Flink 2.2 or later"), "{e:?}");
        assert!(e.message.contains("Flink 1.20.3"), "{e:?}");
        assert_eq!(session_calls(&gw), Vec::<String>::new(), "nothing reached the gateway's sessions");
        bye(c).await;
    })
    .await;
}

/// The other side of the version check: a 2.2 gateway (REST API V4) gets the statement.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flink_2_2_gateway_gets_show_materialized_tables() {
    within(STORY, async {
        let gw = FakeGateway::start("2.2.0", &["V1", "V2", "V3", "V4"]).await;
        gw.on(
            exact("SHOW MATERIALIZED TABLES"),
            Answer::Rows(Rows::content(vec![column("materialized table name", string_not_null())]).page(vec![insert(vec![json!("mt")])])),
        );
        let weir = Weir::start(&gw).await;
        let mut c = weir.connect().await;

        let t = query(&mut c, "SHOW MATERIALIZED TABLES").await;
        assert_eq!(t.rows, cells(&[&[Some("mt")]]));
        assert!(session_calls(&gw).iter().all(|r| r.contains(" /v4/")), "REST API V4 is used: {:?}", session_calls(&gw));
        bye(c).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn weirs_extended_statements_with_a_syntax_error_get_1064_at_the_position() {
    within(STORY, async {
        let gw = FakeGateway::flink_1_20().await;
        let weir = Weir::start(&gw).await;
        let mut c = weir.connect().await;

        let e = error_of(&mut c, "SHOW FLINK CLUSTERS now").await;
        assert_eq!((e.code, e.state.as_str()), (1064, "42000"), "{e:?}");
        assert!(e.message.starts_with("You have an error in your SQL syntax"), "{e:?}");
        assert!(e.message.ends_with("near 'now' at line 1, column 21"), "{e:?}");
        let e = error_of(&mut c, "TRANSLATE FROM sybase SELECT 1").await;
        assert_eq!((e.code, e.state.as_str()), (1064, "42000"), "{e:?}");
        assert!(e.message.contains("sybase"), "{e:?}");
        assert!(e.message.ends_with("near 'sybase SELECT 1' at line 1, column 16"), "{e:?}");

        // Well formed, it is answered by Weir, from what it knows of the cluster.
        let t = query(&mut c, "SHOW FLINK CLUSTERS").await;
        assert_eq!(t.columns, ["Name", "Version", "Rest_api", "Endpoint", "Managed", "Status", "Sessions", "Metrics_endpoints"]);
        // An external cluster: Weir runs no Prometheus reporter there.
        assert_eq!(
            t.rows,
            cells(&[&[Some("fake"), Some("1.20.3"), Some("V3"), Some(gw.url().as_str()), Some("NO"), Some("READY"), Some("0"), None]])
        );
        assert_eq!(session_calls(&gw), Vec::<String>::new(), "nothing reached the gateway's sessions");
        bye(c).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_probe_is_answered_without_any_gateway_call() {
    within(STORY, async {
        let gw = FakeGateway::flink_1_20().await;
        let weir = Weir::start(&gw).await;
        let mut c = weir.connect().await;

        let t = query(&mut c, "SELECT @@version_comment LIMIT 1").await;
        assert_eq!(t.columns, ["@@version_comment"]);
        assert_eq!(t.rows.len(), 1);
        assert!(t.rows[0][0].as_deref().is_some_and(|v| !v.is_empty()), "{t:?}");
        let t = query(&mut c, "SELECT DATABASE()").await;
        assert_eq!(t.rows, cells(&[&[Some("default_database")]]));
        assert_eq!(session_calls(&gw), Vec::<String>::new(), "no Flink session for a probe");
        bye(c).await;
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// The catalog of record

const CREATE_T: &str = "CREATE TABLE t (a INT) WITH ('connector'='datagen')";
const SHOW_CREATE_T: &str = "SHOW CREATE TABLE `default_catalog`.`default_database`.`t`";
const DESCRIBE_T: &str = "DESCRIBE `default_catalog`.`default_database`.`t`";
/// What Weir records of `t` and replays into other Flink sessions.
const REPLAY_T: &str = "CREATE TABLE IF NOT EXISTS `default_catalog`.`default_database`.`t` (\n  `a` INT\n) WITH (\n  'connector' = 'datagen'\n)";

/// Flink's answers about table `t`: its CREATE, SHOW CREATE TABLE and DESCRIBE, and its replay.
fn script_table_t(gw: &FakeGateway) {
    gw.on(prefix("CREATE TABLE t "), Answer::Ok);
    gw.on(
        exact(SHOW_CREATE_T),
        text_result("CREATE TABLE `default_catalog`.`default_database`.`t` (\n  `a` INT\n) WITH (\n  'connector' = 'datagen'\n)\n"),
    );
    gw.on(
        exact(DESCRIBE_T),
        Answer::Rows(
            Rows::content(vec![
                column("name", string_not_null()),
                column("type", string_not_null()),
                column("null", boolean(false)),
                column("key", string()),
                column("extras", string()),
                column("watermark", string()),
            ])
            .page(vec![insert(vec![json!("a"), json!("INT"), json!(true), Value::Null, Value::Null, Value::Null])]),
        ),
    );
    gw.on(exact(REPLAY_T), Answer::Ok);
    gw.on(exact(&explain("SELECT * FROM t")), changelog_plan("I"));
    gw.on(exact("SELECT * FROM t"), ints("a", &[1, 2]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_table_created_through_weir_is_materialized_in_a_new_connections_flink_session() {
    within(STORY, async {
        let gw = FakeGateway::flink_1_20().await;
        script_table_t(&gw);
        let weir = Weir::start(&gw).await;

        let mut first = weir.connect().await;
        first.query_drop(CREATE_T).await.unwrap();
        // Weir reads back Flink's definition of what it records.
        assert_eq!(gw.statements_of(0), [CREATE_T, SHOW_CREATE_T, DESCRIBE_T]);

        let mut second = weir.connect().await;
        let t = query(&mut second, "SELECT * FROM t").await;
        assert_eq!(t.rows, cells(&[&[Some("1")], &[Some("2")]]));
        assert_eq!(gw.sessions().len(), 2, "the second connection has its own Flink session");
        assert_eq!(
            gw.statements_of(1),
            [REPLAY_T.to_string(), explain("SELECT * FROM t"), "SELECT * FROM t".to_string()],
            "the recorded table is created in the fresh Flink session before the query"
        );
        // Once there, it is not created again.
        let _ = query(&mut second, "SELECT * FROM t").await;
        assert_eq!(gw.statements_of(1).iter().filter(|s| s.as_str() == REPLAY_T).count(), 1);
        assert_eq!(gw.left_open(), Vec::<String>::new(), "operations Weir left open");
        bye(first).await;
        bye(second).await;
    })
    .await;
}

/// The gateway loses a session before a statement that names a recorded table the session has not
/// materialized yet: Weir must reopen the session (as for any statement), then materialize.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_session_is_reopened_when_the_statement_first_materializes_a_recorded_table() {
    within(STORY, async {
        let gw = FakeGateway::flink_1_20().await;
        script_table_t(&gw);
        let weir = Weir::start(&gw).await;
        let mut first = weir.connect().await;
        first.query_drop(CREATE_T).await.unwrap();
        bye(first).await;

        let mut c = weir.connect().await;
        c.query_drop(BATCH).await.unwrap();
        let before = gw.sessions().len();
        gw.lose_all_sessions();

        let t = crate::harness::try_query(&mut c, "SELECT * FROM t").await;
        let received = gw.received();
        let t = t.unwrap_or_else(|e| panic!("SELECT * FROM t failed: {e}; the gateway got {received:?}"));
        assert_eq!(t.rows, cells(&[&[Some("1")], &[Some("2")]]));
        let new = gw.sessions().len() - 1;
        assert_eq!(new, before, "one new Flink session");
        assert_eq!(gw.statements_of(new), [REPLAY_T, "SELECT * FROM t"]);
        let select = received.iter().find(|r| r.sql == "SELECT * FROM t" && r.accepted).unwrap();
        assert_eq!(select.config.get(RUNTIME_MODE).map(String::as_str), Some("batch"));
        bye(c).await;
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// Catalog following

fn script_catalog_c(gw: &FakeGateway) {
    gw.on(exact("USE CATALOG c"), Answer::Ok);
    gw.on(
        exact("SHOW CURRENT DATABASE"),
        Answer::Rows(Rows::content(vec![column("current database name", string_not_null())]).page(vec![insert(vec![json!("c_db")])])),
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn use_catalog_makes_weir_ask_flink_for_the_current_database() {
    within(STORY, async {
        let gw = FakeGateway::flink_1_20().await;
        script_catalog_c(&gw);
        let weir = Weir::start(&gw).await;
        let mut c = weir.connect().await;

        c.query_drop("USE CATALOG c").await.unwrap();
        assert_eq!(gw.statements(), ["USE CATALOG c", "SHOW CURRENT DATABASE"]);
        bye(c).await;
    })
    .await;
}

/// After `USE CATALOG c`, Flink's current database is `c`'s (`c_db`): the database the client sees
/// must follow.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_use_catalog_database_is_the_catalogs_current_database() {
    within(STORY, async {
        let gw = FakeGateway::flink_1_20().await;
        script_catalog_c(&gw);
        let weir = Weir::start(&gw).await;
        let mut c = weir.connect().await;

        c.query_drop("USE CATALOG c").await.unwrap();
        let t = query(&mut c, "SELECT DATABASE()").await;
        assert_eq!(t.rows, cells(&[&[Some("c_db")]]), "Flink's current database after USE CATALOG c is c_db");
        bye(c).await;
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// Prepared statements

const SHAPE_VIEW: &str = "`__weir_prepared_shape`";

/// Flink's DESCRIBE of a table or view: name, type, null, key, extras, watermark.
fn describe(columns: &[(&str, &str, bool)]) -> Answer {
    let header = vec![
        column("name", string_not_null()),
        column("type", string_not_null()),
        column("null", boolean(false)),
        column("key", string()),
        column("extras", string()),
        column("watermark", string()),
    ];
    let rows = columns.iter().map(|(n, t, nullable)| insert(vec![json!(n), json!(t), json!(nullable), Value::Null, Value::Null, Value::Null])).collect();
    Answer::Rows(Rows::content(header).page(rows))
}

/// COM_STMT_PREPARE of a Flink query announces its columns as Flink describes them through a
/// TEMPORARY view, with the placeholders left in: nothing runs, and the same text is described
/// once per session.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn preparing_a_flink_query_describes_it_through_a_temporary_view_and_runs_nothing() {
    within(STORY, async {
        let gw = FakeGateway::flink_1_20().await;
        let q = "SELECT id, name, score FROM people WHERE id > ?";
        gw.on(prefix("CREATE TEMPORARY VIEW"), Answer::Ok);
        gw.on(exact(&format!("DESCRIBE {SHAPE_VIEW}")), describe(&[("id", "INT", false), ("name", "VARCHAR(20)", true), ("score", "DECIMAL(5, 2)", true)]));
        gw.on(prefix("DROP TEMPORARY VIEW"), Answer::Ok);
        let weir = Weir::start(&gw).await;
        let mut c = weir.connect().await;
        c.query_drop(BATCH).await.unwrap();

        let stmt = c.prep(q).await.unwrap();
        let shape: Vec<_> = stmt.columns().iter().map(|c| (c.name_str().into_owned(), c.column_type())).collect();
        assert_eq!(
            shape,
            [("id".to_string(), MYSQL_TYPE_LONG), ("name".to_string(), MYSQL_TYPE_VAR_STRING), ("score".to_string(), MYSQL_TYPE_NEWDECIMAL)]
        );
        assert_eq!(stmt.num_params(), 1);
        let sent = [
            BATCH.to_string(),
            format!("CREATE TEMPORARY VIEW {SHAPE_VIEW} AS {q}"),
            format!("DESCRIBE {SHAPE_VIEW}"),
            format!("DROP TEMPORARY VIEW IF EXISTS {SHAPE_VIEW}"),
        ];
        assert_eq!(gw.statements(), sent);
        c.close(stmt).await.unwrap();
        let again = c.prep(q).await.unwrap();
        assert_eq!(again.num_columns(), 3);
        assert_eq!(gw.statements(), sent, "a text described before is not described again");

        // Statements Flink cannot start are refused at prepare without asking it.
        let e = c.prep("SELEC ?").await.unwrap_err();
        assert!(matches!(&e, mysql_async::Error::Server(s) if s.code == 1064 && s.state == "42000"), "{e}");
        assert_eq!(gw.statements(), sent);
        bye(c).await;
    })
    .await;
}

/// A NULL bound into an `INSERT … VALUES` reaches Flink cast to its sink column's type (Flink's
/// DESCRIBE of the table, asked once per statement); one in a comparison stays untyped.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_null_bound_into_insert_values_is_cast_to_the_sink_columns_type() {
    within(STORY, async {
        let gw = FakeGateway::flink_1_20().await;
        gw.on(exact("DESCRIBE `sink`"), describe(&[("id", "BIGINT", false), ("at", "TIMESTAMP(3) *ROWTIME*", true), ("price", "DECIMAL(10, 2)", true)]));
        gw.on(prefix("INSERT INTO sink"), Answer::Ok);
        gw.on(prefix("DELETE FROM sink"), Answer::Ok);
        let weir = Weir::start(&gw).await;
        let mut c = weir.connect().await;

        let stmt = c.prep("INSERT INTO sink (price, id, at) VALUES (?, ?, ?)").await.unwrap();
        c.exec_drop(&stmt, (mysql_async::Value::NULL, 1, mysql_async::Value::NULL)).await.unwrap();
        c.exec_drop(&stmt, (2.5, 2, mysql_async::Value::NULL)).await.unwrap();
        c.exec_drop("DELETE FROM sink WHERE id = ?", (mysql_async::Value::NULL,)).await.unwrap();
        // After the first INSERT, lineage asks for the sink's columns (issue 14's recording of
        // what a statement moves) and keeps them in the session's metadata cache: the second
        // INSERT asks nothing more; the DELETE moves nothing.
        assert_eq!(
            gw.statements(),
            [
                "DESCRIBE `sink`",
                "INSERT INTO sink (price, id, at) VALUES (CAST(NULL AS DECIMAL(10, 2)), 1, CAST(NULL AS TIMESTAMP(3)))",
                "DESCRIBE `default_catalog`.`default_database`.`sink`",
                "INSERT INTO sink (price, id, at) VALUES (CAST(2.5e0 AS DOUBLE), 2, CAST(NULL AS TIMESTAMP(3)))",
                "DELETE FROM sink WHERE id = NULL",
            ]
        );
        bye(c).await;
    })
    .await;
}

/// A statement for Flink over `[session] max_flink_statement_bytes` is ERROR 1301 and never
/// reaches Flink; the connection goes on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_statement_over_the_flink_size_limit_is_refused_before_flink() {
    within(STORY, async {
        let gw = FakeGateway::flink_1_20().await;
        gw.on(prefix("INSERT INTO sink"), Answer::Ok);
        let weir = Weir::start_with(&gw, |cfg| cfg.session.max_flink_statement_bytes = 100).await;
        let mut c = weir.connect().await;

        let long = "x".repeat(100);
        let e = error_of(&mut c, &format!("INSERT INTO sink VALUES ('{long}')")).await;
        assert_eq!((e.code, e.state.as_str()), (1301, "HY000"), "{}", e.message);
        assert!(e.message.contains("max_flink_statement_bytes (100)"), "{}", e.message);
        let e = c.exec_drop("INSERT INTO sink VALUES (?)", (long.as_str(),)).await.unwrap_err();
        assert!(matches!(&e, mysql_async::Error::Server(s) if s.code == 1301), "{e}");
        assert!(gw.statements().is_empty(), "nothing reached Flink: {:?}", gw.statements());
        c.exec_drop("INSERT INTO sink VALUES (?)", ("short",)).await.unwrap();
        // The INSERT, then lineage asking for the sink's columns.
        assert_eq!(gw.statements(), ["INSERT INTO sink VALUES ('short')", "DESCRIBE `default_catalog`.`default_database`.`sink`"]);
        bye(c).await;
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// What BI tools and drivers see (issue 17)

/// Metabase's time-zone probe reads system variables through MySQL functions Flink lacks: Weir
/// answers it in every dialect, and a function nobody evaluates is MySQL's 1305, not 1235.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_probe_of_system_variables_with_mysql_functions_never_reaches_flink() {
    within(STORY, async {
        let gw = FakeGateway::flink_1_20().await;
        let weir = Weir::start(&gw).await;
        let mut c = weir.connect().await;
        let probe = "SELECT @@GLOBAL.time_zone AS global_tz, @@system_time_zone AS system_tz, time_format(timediff(now(), convert_tz(now(), @@GLOBAL.time_zone, '+00:00')), '%H:%i') AS 'offset'";
        for dialect in ["flink", "mysql", "oracle"] {
            let _ = try_query(&mut c, &format!("SET weir.dialect = '{dialect}'")).await;
            let t = query(&mut c, probe).await;
            assert_eq!(t.columns, ["global_tz", "system_tz", "offset"], "{dialect}");
            assert_eq!(t.rows, cells(&[&[Some("SYSTEM"), Some("UTC"), Some("00:00")]]), "{dialect}");
            let e = error_of(&mut c, "SELECT @@version, nosuch(1)").await;
            assert_eq!((e.code, e.state.as_str(), e.message.as_str()), (1305, "42000", "FUNCTION default_database.nosuch does not exist"), "{dialect}");
        }
        assert!(gw.statements().iter().all(|s| !s.contains("time_format") && !s.contains("nosuch")), "{:?}", gw.statements());
        bye(c).await;
    })
    .await;
}

/// `DROP … IF EXISTS` runs once on Flink, without `IF EXISTS`: Flink's "does not exist" becomes
/// MySQL's note, and the counts read it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drop_if_exists_of_a_missing_table_runs_once_and_answers_ok_with_a_note() {
    within(STORY, async {
        let gw = FakeGateway::flink_1_20().await;
        gw.on(
            exact("DROP TABLE nosuch"),
            Answer::Error(vec![(
                "org.apache.flink.table.api.ValidationException".into(),
                "Table with identifier 'default_catalog.default_database.nosuch' does not exist.".into(),
            )]),
        );
        gw.on(exact("DROP TABLE here"), Answer::Ok);
        let weir = Weir::start(&gw).await;
        let mut c = weir.connect().await;

        c.query_drop("DROP TABLE IF EXISTS nosuch").await.unwrap();
        assert_eq!(c.get_warnings(), 1);
        let w = query(&mut c, "SHOW WARNINGS").await;
        assert_eq!(w.rows, cells(&[&[Some("Note"), Some("1051"), Some("Unknown table 'default_database.nosuch'")]]));
        let t = query(&mut c, "SELECT @@warning_count, @@error_count").await;
        assert_eq!(t.rows, cells(&[&[Some("1"), Some("0")]]));
        let t = query(&mut c, "SHOW COUNT(*) WARNINGS").await;
        assert_eq!((t.columns, t.rows), (vec!["@@session.warning_count".to_string()], cells(&[&[Some("1")]])));

        c.query_drop("DROP TABLE IF EXISTS here").await.unwrap();
        assert_eq!(c.get_warnings(), 0);
        assert_eq!(query(&mut c, "SHOW WARNINGS").await.rows, cells(&[]));
        assert_eq!(gw.statements(), ["DROP TABLE nosuch", "DROP TABLE here"], "each DROP ran once, strict");

        let e = error_of(&mut c, "DROP TABLE nosuch").await;
        assert_eq!((e.code, e.state.as_str()), (1051, "42S02"), "{e:?}");
        let t = query(&mut c, "SELECT @@error_count, @@warning_count").await;
        assert_eq!(t.rows, cells(&[&[Some("1"), Some("1")]]));
        bye(c).await;
    })
    .await;
}
