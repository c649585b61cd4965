//! What a Flink statement is, from its tokens: its kind ([`FlinkKind`]), the names it mentions and
//! writes, whether it changes what the session's catalogs hold, and whether only some Flink
//! versions have it ([`VersionedStatement`]).

use super::ddl::{self, Ddl};
use super::words::{self, Spanned, Token};
use super::{ObjectName, SyntaxError};

/// Statements only some Flink versions have: the driver's neutral description (it knows since
/// which version each exists; the statement room knows which words make one).
pub use weir_drivers::gateway::VersionedStatement;

/// A statement bound for Flink, as classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlinkStatement {
    pub kind: FlinkKind,
    /// Every dotted name the statement mentions, as written (keywords and columns among them: the
    /// catalog resolves which are objects it recorded).
    pub mentions: Vec<ObjectName>,
    /// The object it creates, alters, drops or inserts into.
    pub writes: Option<ObjectName>,
    /// It may change what the session's catalogs hold (DDL, `USE`, modules, jars, `RESET`,
    /// statement sets, `EXECUTE`): cached metadata is stale after it.
    pub changes_catalogs: bool,
    /// A statement only some Flink versions have.
    pub needs: Option<VersionedStatement>,
    /// A statement of Flink's own (session options, statement sets, catalogs and modules, jobs,
    /// listings) that no source dialect has, so none translates it.
    pub flink_only: bool,
}

/// What kind of Flink statement it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlinkKind {
    /// `SELECT`, `WITH`, `VALUES`, `TABLE` (possibly in parentheses): rows come back.
    Query,
    /// `EXPLAIN [PLAN FOR | details] <statement>`; the explained statement starts at byte `body`.
    Explain { body: usize },
    /// `INSERT`, `UPSERT`, `UPDATE`, `DELETE`, `EXECUTE …`: a job (or a batch change).
    Dml,
    /// A CREATE, ALTER or DROP of a catalog object.
    Ddl(Ddl),
    /// Flink's `SET 'key' = 'value'`; `None` for a bare `SET` (which lists the options).
    Set(Option<(String, String)>),
    /// `RESET 'key'`, or `RESET` of every key (`None`).
    Reset(Option<String>),
    /// `BEGIN STATEMENT SET`.
    StatementSetBegin,
    /// `END` (of a statement set).
    StatementSetEnd,
    /// `USE CATALOG c`.
    UseCatalog(String),
    /// Flink's own listings of what a session has.
    Listing(Listing),
    /// `ADD JAR 'path'` (`add`) or `REMOVE JAR 'path'`.
    Jar { add: bool, path: String },
    /// Anything else (`SHOW JOBS`, `STOP JOB`, `LOAD MODULE`, …): Flink decides.
    Other,
}

/// `SHOW [USER] FUNCTIONS`, `SHOW TABLES|VIEWS [FROM db]`, `SHOW DATABASES`, `SHOW CATALOGS`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing {
    pub what: Listed,
    /// `FROM db` or `FROM catalog.db`, as written; `None`: the session's current one.
    pub from: Option<ObjectName>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listed {
    Relations,
    Functions,
    Databases,
    Catalogs,
}

/// Leading words of the versioned statements.
const VERSIONED: &[(&[&str], VersionedStatement)] = &[
    (&["SHOW", "MATERIALIZED", "TABLES"], VersionedStatement::ShowMaterializedTables),
    (&["SHOW", "CREATE", "MATERIALIZED", "TABLE"], VersionedStatement::ShowCreateMaterializedTable),
    (&["DESCRIBE", "FUNCTION"], VersionedStatement::DescribeFunction),
    (&["DESC", "FUNCTION"], VersionedStatement::DescribeFunction),
    (&["ALTER", "MODEL"], VersionedStatement::AlterModel),
];

/// First words of statements after which the session's catalogs may hold something else.
const CHANGES_CATALOGS: &[&str] = &["CREATE", "DROP", "ALTER", "USE", "LOAD", "UNLOAD", "ADD", "REMOVE", "RESET", "EXECUTE", "BEGIN", "END"];

/// First words of statements that run a job or change rows.
const DML: &[&str] = &["INSERT", "UPSERT", "UPDATE", "DELETE", "EXECUTE"];

/// First words of queries.
const QUERY: &[&str] = &["SELECT", "WITH", "VALUES", "TABLE"];

/// First words of Flink's own statements that no source dialect translates.
const FLINK_ONLY: &[&str] = &["SHOW", "DESCRIBE", "DESC", "USE", "RESET", "STOP", "ADD", "REMOVE", "LOAD", "UNLOAD", "END"];

/// `EXPLAIN` details before the explained statement.
const EXPLAIN_DETAILS: &[&str] = &["ESTIMATED_COST", "CHANGELOG_MODE", "JSON_EXECUTION_PLAN", "PLAN_ADVICE"];

/// First words of every statement Flink's SQL parser knows (1.20 and 2.x), besides the kinds above.
const OTHER_STARTS: &[&str] = &[
    "EXPLAIN", "CREATE", "DROP", "ALTER", "REPLACE", "SET", "RESET", "BEGIN", "END", "USE", "SHOW", "DESCRIBE", "DESC", "STOP", "ADD", "REMOVE",
    "LOAD", "UNLOAD", "ANALYZE", "TRUNCATE", "CALL", "COMPILE",
];

/// A statement for Flink whose first word starts no Flink statement (`SELEC 1`): MySQL's 1064 at
/// that word, known without asking Flink (COM_STMT_PREPARE answers it, as MySQL does).
pub fn check_start(sql: &str) -> Result<(), SyntaxError> {
    let lead = sql.len() - weir_dialects::lexer::strip_leading_comments(sql).len();
    let tokens = words::tokenize_from(sql, lead);
    let Some(first) = tokens.first() else { return Ok(()) };
    if first.token == Token::LParen {
        return Ok(());
    }
    let known = first.keyword().is_some_and(|w| [QUERY, DML, OTHER_STARTS].iter().any(|list| list.contains(&w.as_str())));
    if known { Ok(()) } else { Err(SyntaxError::at(sql, first.span.start, "not a statement Flink knows")) }
}

/// Classifies a Flink statement from its tokens (spans in `sql`).
pub fn classify(sql: &str, tokens: &[Spanned]) -> FlinkStatement {
    let word = |i: usize| tokens.get(i).and_then(Spanned::keyword);
    let first = word(0).unwrap_or_default();
    let kind = kind(sql, tokens, &first);
    let writes = match &kind {
        FlinkKind::Ddl(d) => Some(d.name.clone()),
        FlinkKind::Dml => insert_target(tokens),
        _ => None,
    };
    let mentions = words::names(tokens).into_iter().map(|(n, _)| n).collect();
    let needs = VERSIONED.iter().find(|(lead, _)| lead.iter().enumerate().all(|(i, w)| tokens.get(i).is_some_and(|t| t.is_keyword(w)))).map(|(_, v)| *v);
    let flink_only = match &kind {
        FlinkKind::Set(_) | FlinkKind::Reset(_) | FlinkKind::StatementSetBegin | FlinkKind::StatementSetEnd | FlinkKind::UseCatalog(_) | FlinkKind::Listing(_) => true,
        FlinkKind::Other | FlinkKind::Jar { .. } => FLINK_ONLY.contains(&first.as_str()),
        FlinkKind::Query | FlinkKind::Explain { .. } | FlinkKind::Dml | FlinkKind::Ddl(_) => false,
    };
    FlinkStatement { changes_catalogs: CHANGES_CATALOGS.contains(&first.as_str()), kind, mentions, writes, needs, flink_only }
}

fn kind(sql: &str, tokens: &[Spanned], first: &str) -> FlinkKind {
    let is = |i: usize, k: &str| tokens.get(i).is_some_and(|t| t.is_keyword(k));
    let only_semicolons_from = |i: usize| tokens.get(i..).is_some_and(|rest| rest.iter().all(|t| t.is_punct(';')));
    if tokens.first().is_some_and(|t| t.token == Token::LParen) {
        let inner = tokens.iter().find(|t| t.token != Token::LParen).and_then(Spanned::keyword).unwrap_or_default();
        return if QUERY.contains(&inner.as_str()) { FlinkKind::Query } else { FlinkKind::Other };
    }
    match first {
        f if QUERY.contains(&f) => FlinkKind::Query,
        f if DML.contains(&f) => FlinkKind::Dml,
        "EXPLAIN" => explain(sql, tokens),
        "CREATE" | "DROP" | "ALTER" | "REPLACE" => ddl::recognize_tokens(tokens).map(FlinkKind::Ddl).unwrap_or(FlinkKind::Other),
        "SET" => match tokens.get(1..) {
            Some([]) => FlinkKind::Set(None),
            Some([semi]) if semi.is_punct(';') => FlinkKind::Set(None),
            Some([key, eq, value, ..]) if eq.is_punct('=') && only_semicolons_from(4) => match (&key.token, &value.token) {
                (Token::Str(k), Token::Str(v)) => FlinkKind::Set(Some((k.clone(), v.clone()))),
                _ => FlinkKind::Other,
            },
            _ => FlinkKind::Other,
        },
        "RESET" => match tokens.get(1).map(|t| &t.token) {
            None => FlinkKind::Reset(None),
            Some(Token::Punct(';')) => FlinkKind::Reset(None),
            Some(Token::Str(k)) if only_semicolons_from(2) => FlinkKind::Reset(Some(k.clone())),
            Some(_) => FlinkKind::Other,
        },
        "BEGIN" if is(1, "STATEMENT") && is(2, "SET") && only_semicolons_from(3) => FlinkKind::StatementSetBegin,
        "END" if only_semicolons_from(1) => FlinkKind::StatementSetEnd,
        "USE" if is(1, "CATALOG") && only_semicolons_from(3) => match tokens.get(2).and_then(Spanned::ident) {
            Some(c) => FlinkKind::UseCatalog(c.to_string()),
            None => FlinkKind::Other,
        },
        "SHOW" => listing(tokens).map(FlinkKind::Listing).unwrap_or(FlinkKind::Other),
        "ADD" | "REMOVE" if is(1, "JAR") && only_semicolons_from(3) => match tokens.get(2).and_then(Spanned::string) {
            Some(path) => FlinkKind::Jar { add: first == "ADD", path: path.to_string() },
            None => FlinkKind::Other,
        },
        _ => FlinkKind::Other,
    }
}

/// `EXPLAIN [PLAN FOR] [detail, ...] <statement>`.
fn explain(sql: &str, tokens: &[Spanned]) -> FlinkKind {
    let mut i = 1;
    if tokens.get(1).is_some_and(|t| t.is_keyword("PLAN")) && tokens.get(2).is_some_and(|t| t.is_keyword("FOR")) {
        i = 3;
    } else {
        while tokens.get(i).and_then(Spanned::keyword).is_some_and(|w| EXPLAIN_DETAILS.contains(&w.as_str())) {
            i += 1;
            if tokens.get(i).is_some_and(|t| t.is_punct(',')) {
                i += 1;
            }
        }
    }
    FlinkKind::Explain { body: tokens.get(i).map(|t| t.span.start).unwrap_or(sql.len()) }
}

/// `INSERT [OVERWRITE] INTO t …` / `INSERT OVERWRITE t …` → `t`.
fn insert_target(tokens: &[Spanned]) -> Option<ObjectName> {
    let at = tokens.iter().take(4).position(|t| t.is_keyword("INTO") || t.is_keyword("OVERWRITE"))?;
    let at = if tokens.get(at + 1).is_some_and(|t| t.is_keyword("INTO")) { at + 2 } else { at + 1 };
    let (name, _) = words::name_at(tokens, at);
    (!name.is_empty()).then_some(name)
}

fn listing(tokens: &[Spanned]) -> Option<Listing> {
    let word = |i: usize| tokens.get(i).and_then(Spanned::keyword);
    let mut i = 1;
    if matches!(word(i).as_deref(), Some("FULL" | "USER")) {
        i += 1;
    }
    let what = match word(i)?.as_str() {
        "TABLES" | "VIEWS" => Listed::Relations,
        "FUNCTIONS" => Listed::Functions,
        "DATABASES" => Listed::Databases,
        "CATALOGS" => Listed::Catalogs,
        _ => return None,
    };
    i += 1;
    let from = if matches!(word(i).as_deref(), Some("FROM" | "IN")) {
        let (name, _) = words::name_at(tokens, i + 1);
        if name.is_empty() || name.len() > 2 {
            return None;
        }
        Some(name)
    } else {
        None
    };
    Some(Listing { what, from })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(sql: &str) -> FlinkStatement {
        classify(sql, &words::tokenize(sql))
    }

    #[test]
    fn kinds() {
        assert_eq!(of("/* x */ (SELECT 1)").kind, FlinkKind::Query);
        assert_eq!(of("with a as (select 1) select * from a").kind, FlinkKind::Query);
        assert_eq!(of("INSERT INTO t SELECT 1").kind, FlinkKind::Dml);
        assert_eq!(of("SHOW JOBS").kind, FlinkKind::Other);
        assert_eq!(of("SET 'execution.runtime-mode' = 'batch'").kind, FlinkKind::Set(Some(("execution.runtime-mode".into(), "batch".into()))));
        assert_eq!(of("set 'a'='it''s';").kind, FlinkKind::Set(Some(("a".into(), "it's".into()))));
        assert_eq!(of("SET").kind, FlinkKind::Set(None));
        assert_eq!(of("RESET").kind, FlinkKind::Reset(None));
        assert_eq!(of("reset 'k'").kind, FlinkKind::Reset(Some("k".into())));
        assert_eq!(of("RESETX").kind, FlinkKind::Other);
        assert_eq!(of("BEGIN STATEMENT SET;").kind, FlinkKind::StatementSetBegin);
        assert_eq!(of("END").kind, FlinkKind::StatementSetEnd);
        assert_eq!(of("USE CATALOG `my cat`").kind, FlinkKind::UseCatalog("my cat".into()));
        assert_eq!(of("USE MODULES core").kind, FlinkKind::Other);
        assert!(matches!(of("CREATE TABLE t (a INT)").kind, FlinkKind::Ddl(_)));
        assert_eq!(of("CREATE MATERIALIZED TABLE x AS SELECT 1").kind, FlinkKind::Other);
        assert_eq!(of("ADD JAR '/j/udf.jar';").kind, FlinkKind::Jar { add: true, path: "/j/udf.jar".into() });
        assert_eq!(of("remove jar '/j/udf.jar'").kind, FlinkKind::Jar { add: false, path: "/j/udf.jar".into() });
        assert_eq!(of("SHOW JARS").kind, FlinkKind::Other);
    }

    #[test]
    fn statements_flink_cannot_start_are_syntax_errors() {
        for sql in ["SELECT 1", "/* c */ (SELECT 1)", "insert into t values (1)", "SHOW JOBS", "EXPLAIN SELECT 1", "CREATE TABLE t (a INT)", "CALL p()"] {
            assert!(check_start(sql).is_ok(), "{sql}");
        }
        let e = check_start("-- probe\nSELEC 1").expect_err("SELEC is no statement");
        assert_eq!((e.near.as_str(), e.line, e.column), ("SELEC 1", 2, 1));
    }

    #[test]
    fn explain_finds_the_statement_it_explains() {
        for (sql, body) in [("EXPLAIN SELECT 1", "SELECT 1"), ("explain plan for SELECT 1", "SELECT 1"), ("EXPLAIN CHANGELOG_MODE, ESTIMATED_COST INSERT INTO t SELECT 1", "INSERT INTO t SELECT 1")] {
            let FlinkKind::Explain { body: at } = of(sql).kind else { panic!("{sql} is an EXPLAIN") };
            assert_eq!(&sql[at..], body);
        }
    }

    #[test]
    fn names_it_writes_and_mentions() {
        let s = of("INSERT INTO `c`.d.sink SELECT * FROM src JOIN dim ON src.k = dim.k");
        assert_eq!(s.writes, Some(vec!["c".into(), "d".into(), "sink".into()]));
        assert!(s.mentions.contains(&vec!["src".to_string()]) && s.mentions.contains(&vec!["dim".to_string()]));
        assert_eq!(of("INSERT OVERWRITE t SELECT 1").writes, Some(vec!["t".into()]));
        assert_eq!(of("DROP VIEW IF EXISTS v").writes, Some(vec!["v".into()]));
        assert!(of("CREATE TABLE t (a INT)").changes_catalogs);
        assert!(!of("SELECT 1").changes_catalogs);
    }

    #[test]
    fn flinks_own_statements_are_not_translated() {
        for sql in ["SHOW JOBS", "USE CATALOG c", "SET 'execution.runtime-mode' = 'batch'", "RESET", "BEGIN STATEMENT SET", "END", "/* c */ SHOW JOBS", "STOP JOB '1'", "SET", "DESCRIBE JOB 'x'"] {
            assert!(of(sql).flink_only, "{sql}");
        }
        for sql in ["SELECT 1", "INSERT INTO t VALUES (1)", "CREATE TABLE t (a INT)", "EXPLAIN SELECT 1", "WITH x AS (SELECT 1) SELECT * FROM x", "REPLACE INTO t VALUES (1)", "TRUNCATE TABLE t"] {
            assert!(!of(sql).flink_only, "{sql}");
        }
    }

    #[test]
    fn listings_and_versioned_statements() {
        assert_eq!(of("SHOW USER FUNCTIONS").kind, FlinkKind::Listing(Listing { what: Listed::Functions, from: None }));
        assert_eq!(of("SHOW VIEWS FROM c.d").kind, FlinkKind::Listing(Listing { what: Listed::Relations, from: Some(vec!["c".into(), "d".into()]) }));
        assert_eq!(of("show materialized tables").needs, Some(VersionedStatement::ShowMaterializedTables));
        assert_eq!(of("SHOW TABLES").needs, None);
        assert_eq!(of("DESC FUNCTION f").needs, Some(VersionedStatement::DescribeFunction));
    }
}
