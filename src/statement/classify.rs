//! The classifier: one tokenization of a statement's text, read in turn by Weir's extended
//! grammar, the metadata grammar, MySQL's session statements and Flink's statement kinds; the
//! first that claims the statement decides what it is. [`StatementCache`] keeps what recent
//! texts were, so a statement seen before costs no tokenization or parse.

use std::collections::HashMap;
use std::sync::Arc;

use super::local::{self, Parsed};
use super::{Statement, SyntaxError, extended, flink, show, words};

/// What `sql` (one statement, leading comments included) is.
pub fn classify(sql: &str) -> Result<Statement, SyntaxError> {
    let lead = sql.len() - weir_dialects::lexer::strip_leading_comments(sql).len();
    let text = &sql[lead..];
    let tokens = words::tokenize_from(sql, lead);
    if let Some(ext) = extended::parse(sql, &tokens)? {
        return Ok(Statement::Extended(ext));
    }
    if let Some(m) = show::parse(sql, &tokens) {
        return Ok(Statement::Metadata(m));
    }
    Ok(match local::parse(text, &tokens) {
        Some(Parsed::Local(l)) => Statement::Local(l),
        Some(Parsed::Use(db)) => Statement::Use(db),
        Some(Parsed::InformationSchema) => Statement::Metadata(show::MetaStatement::Select(text.to_string())),
        Some(Parsed::Probe(text)) => Statement::Metadata(show::MetaStatement::Probe(text)),
        Some(Parsed::DoProbe(select)) => Statement::Metadata(show::MetaStatement::Do(select)),
        None => Statement::Flink(Arc::new(flink::classify(sql, &tokens))),
    })
}

/// What a Flink statement is (for texts Weir itself sends to Flink, and translations).
pub fn classify_flink(sql: &str) -> flink::FlinkStatement {
    flink::classify(sql, &words::tokenize(sql))
}

/// What recently seen statement texts are: clients repeat the same statements (pool validation
/// queries, bootstrap probes, dashboards), and classification is the larger part of answering
/// the local ones.
#[derive(Default)]
pub struct StatementCache {
    seen: HashMap<String, Arc<Statement>>,
    flink: HashMap<String, Arc<flink::FlinkStatement>>,
}

impl StatementCache {
    /// Most distinct texts kept (of each map); a map starts over when full.
    const CAPACITY: usize = 256;
    /// Longer texts are not kept: bulk INSERTs and large bound values are rarely repeated, and
    /// 256 of them would hold gigabytes.
    const LONGEST: usize = 64 * 1024;

    pub fn classify(&mut self, sql: &str) -> Result<Arc<Statement>, SyntaxError> {
        if let Some(s) = self.seen.get(sql) {
            return Ok(s.clone());
        }
        let s = Arc::new(classify(sql)?);
        if sql.len() > Self::LONGEST {
            return Ok(s);
        }
        if self.seen.len() >= Self::CAPACITY {
            self.seen.clear();
        }
        self.seen.insert(sql.to_string(), s.clone());
        Ok(s)
    }

    /// [`classify_flink`], cached.
    pub fn classify_flink(&mut self, sql: &str) -> Arc<flink::FlinkStatement> {
        if let Some(s) = self.flink.get(sql) {
            return s.clone();
        }
        let s = Arc::new(classify_flink(sql));
        if sql.len() > Self::LONGEST {
            return s;
        }
        if self.flink.len() >= Self::CAPACITY {
            self.flink.clear();
        }
        self.flink.insert(sql.to_string(), s.clone());
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::{FlinkKind, Local, MetaStatement, Txn};

    fn of(sql: &str) -> Statement {
        classify(sql).unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    fn is_local_select(sql: &str) -> bool {
        matches!(of(sql), Statement::Local(Local::Select { .. }))
    }

    fn flink_kind(sql: &str) -> Option<FlinkKind> {
        match of(sql) {
            Statement::Flink(f) => Some(f.kind.clone()),
            _ => None,
        }
    }

    #[test]
    fn client_probes_are_local() {
        for sql in [
            "SELECT 1",
            "select @@version_comment limit 1",
            "SELECT DATABASE()",
            "select DATABASE(), USER() limit 1",
            "SELECT @@session.transaction_isolation",
            "/* mysql-connector-j-9.1.0 */SELECT  @@session.auto_increment_increment AS auto_increment_increment, @@character_set_client AS character_set_client",
            "SELECT CONNECTION_ID()",
            "SELECT VERSION()",
            "SELECT 'x' AS s, NULL, -5, 1.50",
            "# a MySQL comment\nSELECT 1",
        ] {
            assert!(is_local_select(sql), "{sql} should be answered locally");
        }
    }

    #[test]
    fn probes_of_system_variables_with_other_functions_go_to_the_metadata_engine() {
        let metabase = "SELECT @@GLOBAL.time_zone AS global_tz, @@system_time_zone AS system_tz, time_format(timediff(now(), convert_tz(now(), @@GLOBAL.time_zone, '+00:00')), '%H:%i') AS 'offset'";
        for sql in [metabase, "SELECT UPPER(@@version_comment)", "select @@sql_mode where 1 = 1", "SELECT nosuch(@@version)"] {
            assert!(matches!(of(sql), Statement::Metadata(MetaStatement::Probe(ref t)) if t == sql), "{sql} is the engine's");
            assert!(of(sql).keeps_diagnostics(), "{sql}");
        }
        // Without a system variable, Flink's semantics stay Flink's.
        assert_eq!(flink_kind("SELECT time_format(now(), '%H')"), Some(FlinkKind::Query));
        assert!(matches!(of("SELECT @@warning_count"), Statement::Local(Local::Select { .. })));
        assert!(matches!(of("SHOW COUNT(*) WARNINGS"), Statement::Local(Local::ShowCount { errors: false })));
        assert!(matches!(of("show count ( * ) errors;"), Statement::Local(Local::ShowCount { errors: true })));
        assert!(!of("SELECT * FROM information_schema.TABLES").keeps_diagnostics());
    }

    #[test]
    fn do_evaluates_what_a_local_select_would() {
        assert!(matches!(of("DO 1"), Statement::Local(Local::Do { ref items }) if items.len() == 1));
        assert!(matches!(of("do 1, @@version, CONNECTION_ID();"), Statement::Local(Local::Do { ref items }) if items.len() == 3));
        assert_eq!(of("DO 1").labels(), ("other", "local"));
        // Other expressions go to the metadata engine as the SELECT of them (Flink has no DO).
        assert!(matches!(of("DO 1 + 1, UPPER('a')"), Statement::Metadata(MetaStatement::Do(ref s)) if s == "SELECT 1 + 1, UPPER('a')"));
        assert!(matches!(of("do @@version, time_format(now(), '%H')"), Statement::Metadata(MetaStatement::Do(_))));
        assert_eq!(of("DO 1 + 1").labels(), ("other", "metadata"));
        // DO takes no FROM: that stays a syntax error (Flink's).
        assert!(matches!(of("DO 1 FROM dual"), Statement::Flink(_)));
    }

    #[test]
    fn flink_semantics_stay_with_flink() {
        for sql in ["SELECT 1/2", "SELECT PRINTF('%d', 1)", "SELECT * FROM t", "SELECT 1 + 1", "SELECT UPPER('a')"] {
            assert_eq!(flink_kind(sql), Some(FlinkKind::Query), "{sql} should go to Flink");
        }
        assert!(matches!(flink_kind("SET 'execution.runtime-mode' = 'batch'"), Some(FlinkKind::Set(Some(_)))));
        assert_eq!(flink_kind("BEGIN STATEMENT SET"), Some(FlinkKind::StatementSetBegin));
        assert!(matches!(flink_kind("CREATE TABLE t (id INT) WITH ('connector'='datagen')"), Some(FlinkKind::Ddl(_))));
        assert_eq!(flink_kind("SHOW JOBS"), Some(FlinkKind::Other));
        assert_eq!(flink_kind("USE CATALOG my_catalog"), Some(FlinkKind::UseCatalog("my_catalog".into())));
        assert_eq!(flink_kind("SET"), Some(FlinkKind::Set(None)));
    }

    #[test]
    fn session_statements_are_recognised() {
        let local = |sql: &str| match of(sql) {
            Statement::Local(l) => l,
            other => panic!("{sql} is local, not {other:?}"),
        };
        assert!(matches!(local("SET NAMES utf8mb4"), Local::SetVariables(_)));
        assert!(matches!(local("SET autocommit=1"), Local::SetVariables(_)));
        assert!(matches!(local("SET @@session.autocommit = OFF"), Local::SetVariables(_)));
        assert!(matches!(local("SET sql_mode='ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES'"), Local::SetVariables(_)));
        assert!(matches!(local("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED"), Local::SetTransaction));
        assert!(matches!(local("START TRANSACTION"), Local::Transaction(Txn::Begin)));
        assert!(matches!(local("BEGIN"), Local::Transaction(Txn::Begin)));
        assert!(matches!(local("COMMIT"), Local::Transaction(Txn::Commit)));
        assert!(matches!(local("ROLLBACK"), Local::Transaction(Txn::Rollback)));
        assert!(matches!(local("SHOW VARIABLES LIKE 'sql_mode'"), Local::ShowVariables { .. }));
        assert!(matches!(local("SHOW GLOBAL STATUS"), Local::ShowStatus { .. }));
        assert!(matches!(local("SHOW WARNINGS"), Local::ShowWarnings { errors: false }));
        assert!(matches!(local("KILL QUERY 12"), Local::Kill { connection: false, id: 12 }));
        assert!(matches!(local("KILL 12"), Local::Kill { connection: true, id: 12 }));
        assert!(matches!(of("USE `mydb`"), Statement::Use(db) if db == "mydb"));
        assert!(matches!(of("USE hive.sales"), Statement::Use(db) if db == "hive.sales"));
        assert!(matches!(local("SET weir.max_rows = 5"), Local::SetVariables(v) if v[0].0 == "weir.max_rows"));
        let mariadb_cj = "set autocommit=1, sql_mode = concat(@@sql_mode,',STRICT_TRANS_TABLES'), NAMES utf8mb4";
        let Local::SetVariables(v) = local(mariadb_cj) else { panic!("{mariadb_cj} is a SET list") };
        assert_eq!(v.iter().map(|a| a.0.as_str()).collect::<Vec<_>>(), vec!["autocommit", "sql_mode", "names"]);
        // A user variable keeps its `@` (the session refuses it); a system variable's scope goes.
        assert!(matches!(local("SET @Limit = 5"), Local::SetVariables(v) if v[0].0 == "@limit"));
        assert!(matches!(local("SET @@global.autocommit = 1"), Local::SetVariables(v) if v[0].0 == "autocommit"));
    }

    #[test]
    fn metadata_and_extended_statements() {
        assert!(matches!(of("SELECT * FROM information_schema.TABLES"), Statement::Metadata(MetaStatement::Select(_))));
        assert!(matches!(of("SELECT COUNT(*) FROM `INFORMATION_SCHEMA`.`columns` WHERE 1"), Statement::Metadata(MetaStatement::Select(_))));
        assert!(matches!(of("SHOW FULL TABLES"), Statement::Metadata(MetaStatement::ShowTables { .. })));
        assert!(matches!(of("SET CATALOG hive"), Statement::Metadata(MetaStatement::SetCatalog(_))));
        assert!(matches!(of("SHOW FLINK CLUSTERS"), Statement::Extended(_)));
        assert!(classify("SHOW FLINK CLUSTERS now").is_err());
    }

    #[test]
    fn a_seen_statement_is_not_classified_again() {
        let mut cache = StatementCache::default();
        let a = cache.classify_flink("SELECT * FROM t");
        let b = cache.classify_flink("SELECT * FROM t");
        assert!(Arc::ptr_eq(&a, &b));
        let a = cache.classify("INSERT INTO s SELECT 1").expect("a statement");
        let b = cache.classify("INSERT INTO s SELECT 1").expect("a statement");
        assert!(Arc::ptr_eq(&a, &b));
    }
}
