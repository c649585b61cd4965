//! What access checks and auditing add to a statement bound for Flink (issue 16: "under 0.2 ms
//! of a Flink round trip"), measured on the work itself: through a SQL Gateway, the gateway's own
//! spread (milliseconds) hides what is asked here (README, Performance).
//!
//! For an account with grants, Weir reads what the statement needs from its tree (a parse the
//! first time a session sends the text; a lookup after), checks it against the account's
//! privileges and the cluster's USAGE, lists the objects it names and writes its audit record
//! (secrets masked) to the JSON-lines file; for an administrator with auditing off it does none
//! of this. Classifying the statement is left out: every account pays
//! it. The model holds 200 accounts with 5 grants each, the session's account 20 grants through
//! a role.
//!
//! `cargo bench --bench access_cost` (release); `cargo bench --profile dev --bench access_cost`
//! gives an upper bound from a debug build.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test, benchmark or example: failing loudly is its job

use std::time::{Duration, Instant};

use weir::auth::access::Access;
use weir::auth::audit::{Audit, Record};
use weir::auth::model::{AccountRecord, GrantRecord, Model, RoleEdge};
use weir::auth::required::{self, NeedsCache, Scope};
use weir::config::AuditConfig;
use weir::protocol::StoredPassword;
use weir::statement::privilege::{Level, Privilege};
use weir::statement::{AccountName, Statement, classify};

const STATEMENTS: &[(&str, &str)] = &[
    ("SHOW CURRENT CATALOG", "no table"),
    ("SELECT o.id, c.name, o.amount FROM orders o JOIN customers c ON o.customer = c.id WHERE o.amount > 10 ORDER BY o.id LIMIT 100", "a join of two tables"),
    ("INSERT INTO shop.daily SELECT customer, SUM(amount) FROM shop.orders GROUP BY customer", "an INSERT … SELECT"),
];

fn account(user: &str) -> AccountRecord {
    AccountRecord {
        name: AccountName::new(user, "%"),
        password: StoredPassword::from_cleartext("pw"),
        require_ssl: false,
        tenant: None,
        is_role: false,
        created_at: 0,
    }
}

fn table_grant(to: &AccountName, privilege: Privilege, table: &str) -> GrantRecord {
    let level = Level::Table { catalog: "default_catalog".into(), database: "shop".into(), table: table.into() };
    GrantRecord { grantee: to.clone(), privilege, level, grantable: false, negative: false }
}

fn model() -> Model {
    let mut m = Model::default();
    for i in 0..200 {
        let a = account(&format!("user{i}"));
        for t in 0..5 {
            m.grants.push(table_grant(&a.name, Privilege::Select, &format!("t{i}_{t}")));
        }
        m.accounts.push(a);
    }
    let analyst = AccountRecord { is_role: true, ..account("analyst") };
    for t in 0..16 {
        m.grants.push(table_grant(&analyst.name, Privilege::Select, &format!("report{t}")));
    }
    for t in ["orders", "customers"] {
        m.grants.push(table_grant(&analyst.name, Privilege::Select, t));
    }
    let bi = account("bi");
    m.grants.push(table_grant(&bi.name, Privilege::Insert, "daily"));
    m.grants.push(table_grant(&bi.name, Privilege::Select, "daily"));
    m.edges.push(RoleEdge { role: analyst.name.clone(), to: bi.name.clone(), admin: false });
    m.accounts.push(analyst);
    m.accounts.push(bi);
    m
}

/// What Weir does for the account with grants, once per statement in a Flink session: the
/// statement's needs checked as written and as Flink gets it (the same text there), its
/// objects listed for the audit record — one parse, or none when `cache` has seen the text.
fn checked_and_audited(access: &Access, audit: &Audit, cache: &mut NeedsCache, statement: &Statement, sql: &str) {
    let scope = Scope { catalog: "default_catalog", database: "shop" };
    let Statement::Flink(f) = statement else { panic!("{sql} is bound for Flink") };
    let as_written = cache.flink(f, sql, scope).to_vec();
    required::check(access, &as_written).expect("the account may run it");
    let as_sent = cache.flink(f, sql, scope);
    required::check(access, &as_sent).expect("the account may run it");
    assert!(access.may_use_cluster("local"));
    let objects = required::objects(&cache.flink(f, sql, scope));
    let record = Record {
        event_time: weir::catalog::store::now_ms(),
        user: "bi".into(),
        host: "127.0.0.1".into(),
        tenant: String::new(),
        connection_id: 7,
        kind: statement.labels().0.into(),
        statement: weir::statement::secrets::mask(sql).into_owned(),
        objects,
        result: "OK".into(),
        rows: 0,
        duration_us: 0,
    };
    audit.write(record).expect("the audit file takes the record");
}

/// Median and p99 of the per-statement time over rounds of `per_round` statements.
fn rounds(per_round: u32, rounds: u32, mut one: impl FnMut()) -> (Duration, Duration) {
    let mut times: Vec<Duration> = (0..rounds)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..per_round {
                one();
            }
            t.elapsed() / per_round
        })
        .collect();
    times.sort();
    (times[times.len() / 2], times[(times.len() * 99 / 100).min(times.len() - 1)])
}

fn main() {
    let dir = std::env::temp_dir().join(format!("weir-access-cost-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let audit = Audit::open(&dir, AuditConfig::default()).expect("an audit file");
    let m = model();
    let access = Access::compute(&m, 1, &AccountName::new("bi", "%"), "127.0.0.1", None);
    let root = Access::superuser(AccountName::new("root", "%"), "127.0.0.1");
    println!("µs per statement: p50 / p99 over 200 rounds of 200");
    println!("{:<24} {:>22} {:>22} {:>16}", "statement", "first time (a parse)", "sent again (cached)", "administrator");
    let us = |(p50, p99): (Duration, Duration)| format!("{:.1} / {:.1}", p50.as_secs_f64() * 1e6, p99.as_secs_f64() * 1e6);
    for (sql, what) in STATEMENTS {
        let statement = classify::classify(sql).expect("classifies");
        let first = rounds(200, 200, || checked_and_audited(&access, &audit, &mut NeedsCache::default(), &statement, sql));
        let mut cache = NeedsCache::default();
        let again = rounds(200, 200, || checked_and_audited(&access, &audit, &mut cache, &statement, sql));
        // The administrator's path: one flag read.
        let admin = rounds(200, 200, || assert!(std::hint::black_box(&root).is_superuser()));
        println!("{what:<24} {:>22} {:>22} {:>16}", us(first), us(again), us(admin));
    }
    let _ = std::fs::remove_dir_all(&dir);
}
