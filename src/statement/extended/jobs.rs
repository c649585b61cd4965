//! Managed jobs:
//!
//! ```text
//! CREATE JOB [IF NOT EXISTS] name [COMMENT 'text'] [WITH (options)] AS body
//! START JOB name [FROM SAVEPOINT 'path' | FROM LATEST STATE | WITHOUT STATE]
//! STOP JOB name [WITHOUT SAVEPOINT] [WITH DRAIN]        (Flink's STOP JOB '<id>' is Flink's)
//! ALTER JOB name (AS body | SET (options))
//! ROLLBACK JOB name TO VERSION n
//! DROP JOB [IF EXISTS] name
//! SHOW CREATE JOB name [VERSION n]
//! SAVEPOINT JOB name                                     (MySQL's SAVEPOINT job is MySQL's)
//! body    := INSERT ... | EXECUTE INSERT ... | EXECUTE STATEMENT SET BEGIN ...; ... END
//! options := ('key' = 'value' [, ...])
//! ```

use super::{Extended, Parser};
use crate::statement::SyntaxError;

/// One of the managed-job statements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobStatement {
    Create { name: String, if_not_exists: bool, comment: Option<String>, options: Vec<(String, String)>, body: String },
    Start { name: String, from: StartFrom },
    Stop { name: String, savepoint: bool, drain: bool },
    Alter { name: String, change: JobChange },
    Rollback { name: String, version: u32 },
    Drop { name: String, if_exists: bool },
    ShowCreate { name: String, version: Option<u32> },
    Savepoint { name: String },
}

impl JobStatement {
    /// The job it names (the one it creates, for CREATE JOB).
    pub fn name(&self) -> &str {
        let (Self::Create { name, .. }
        | Self::Start { name, .. }
        | Self::Stop { name, .. }
        | Self::Alter { name, .. }
        | Self::Rollback { name, .. }
        | Self::Drop { name, .. }
        | Self::ShowCreate { name, .. }
        | Self::Savepoint { name }) = self;
        name
    }

    pub fn name_mut(&mut self) -> &mut String {
        let (Self::Create { name, .. }
        | Self::Start { name, .. }
        | Self::Stop { name, .. }
        | Self::Alter { name, .. }
        | Self::Rollback { name, .. }
        | Self::Drop { name, .. }
        | Self::ShowCreate { name, .. }
        | Self::Savepoint { name }) = self;
        name
    }
}

/// Where `START JOB` takes the job's state from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartFrom {
    /// The newest completed checkpoint or savepoint of the job's current version, if any.
    LatestState,
    Savepoint(String),
    WithoutState,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobChange {
    /// A new version with this statement.
    Body(String),
    /// The same statement, these options changed.
    Options(Vec<(String, String)>),
}

fn job(s: JobStatement) -> Result<Option<Extended>, SyntaxError> {
    Ok(Some(Extended::Job(s)))
}

/// After `CREATE JOB`.
pub fn create(p: &mut Parser<'_>) -> Result<Option<Extended>, SyntaxError> {
    let if_not_exists = p.keywords(&["IF", "NOT", "EXISTS"]);
    let name = p.ident("a job name")?;
    let comment = if p.keywords(&["COMMENT"]) { Some(p.string("the job's comment")?) } else { None };
    let options = if p.keywords(&["WITH"]) { options(p)? } else { Vec::new() };
    p.expect(&["AS"])?;
    let body = body(p)?;
    job(JobStatement::Create { name, if_not_exists, comment, options, body })
}

/// After `START JOB`.
pub fn start(p: &mut Parser<'_>) -> Result<Option<Extended>, SyntaxError> {
    let name = p.ident("a job name")?;
    let from = if p.keywords(&["FROM", "SAVEPOINT"]) {
        StartFrom::Savepoint(p.string("the savepoint's path")?)
    } else if p.keywords(&["FROM", "LATEST", "STATE"]) {
        StartFrom::LatestState
    } else if p.keywords(&["WITHOUT", "STATE"]) {
        StartFrom::WithoutState
    } else {
        StartFrom::LatestState
    };
    p.end("FROM SAVEPOINT 'path', FROM LATEST STATE, WITHOUT STATE or the end of START JOB")?;
    job(JobStatement::Start { name, from })
}

/// After `STOP JOB`: a quoted job id is Flink's own `STOP JOB '<id>'`.
pub fn stop(p: &mut Parser<'_>) -> Result<Option<Extended>, SyntaxError> {
    if p.peek_string() {
        return Ok(None);
    }
    let name = p.ident("a job name")?;
    let savepoint = !p.keywords(&["WITHOUT", "SAVEPOINT"]);
    let drain = p.keywords(&["WITH", "DRAIN"]);
    p.end("WITHOUT SAVEPOINT, WITH DRAIN or the end of STOP JOB")?;
    job(JobStatement::Stop { name, savepoint, drain })
}

/// After `ALTER JOB`.
pub fn alter(p: &mut Parser<'_>) -> Result<Option<Extended>, SyntaxError> {
    let name = p.ident("a job name")?;
    let change = if p.keywords(&["AS"]) {
        JobChange::Body(body(p)?)
    } else if p.keywords(&["SET"]) {
        let o = options(p)?;
        p.end("the end of ALTER JOB")?;
        JobChange::Options(o)
    } else {
        return Err(p.error("expected AS <statement> or SET ('key' = 'value', ...)"));
    };
    job(JobStatement::Alter { name, change })
}

/// After `ROLLBACK JOB`.
pub fn rollback(p: &mut Parser<'_>) -> Result<Option<Extended>, SyntaxError> {
    let name = p.ident("a job name")?;
    p.expect(&["TO", "VERSION"])?;
    let version = p.number("a version number")?;
    p.end("the end of ROLLBACK JOB")?;
    job(JobStatement::Rollback { name, version })
}

/// After `DROP JOB`.
pub fn drop(p: &mut Parser<'_>) -> Result<Option<Extended>, SyntaxError> {
    let if_exists = p.keywords(&["IF", "EXISTS"]);
    let name = p.ident("a job name")?;
    p.end("the end of DROP JOB")?;
    job(JobStatement::Drop { name, if_exists })
}

/// After `SHOW CREATE JOB`.
pub fn show_create(p: &mut Parser<'_>) -> Result<Option<Extended>, SyntaxError> {
    let name = p.ident("a job name")?;
    let version = if p.keywords(&["VERSION"]) { Some(p.number("a version number")?) } else { None };
    p.end("VERSION n or the end of SHOW CREATE JOB")?;
    job(JobStatement::ShowCreate { name, version })
}

/// After `SAVEPOINT JOB`: alone, it is MySQL's `SAVEPOINT job` (a transaction savepoint).
pub fn savepoint(p: &mut Parser<'_>) -> Result<Option<Extended>, SyntaxError> {
    if p.at_end() {
        return Ok(None);
    }
    let name = p.ident("a job name")?;
    p.end("the end of SAVEPOINT JOB")?;
    job(JobStatement::Savepoint { name })
}

/// `('key' = 'value', ...)`.
pub(super) fn options(p: &mut Parser<'_>) -> Result<Vec<(String, String)>, SyntaxError> {
    p.punct('(', "(")?;
    let mut out: Vec<(String, String)> = Vec::new();
    loop {
        let key = p.string("an option key")?;
        p.punct('=', "=")?;
        let value = p.string("the option's value")?;
        if out.iter().any(|(k, _)| *k == key) {
            return Err(p.error_before(&format!("option '{key}' is given twice")));
        }
        out.push((key, value));
        if p.punct(')', ")").is_ok() {
            return Ok(out);
        }
        p.punct(',', ", or )")?;
    }
}

/// The job's statement, as written: an INSERT, or a statement set.
fn body(p: &mut Parser<'_>) -> Result<String, SyntaxError> {
    let forms: [&[&str]; 3] = [&["INSERT"], &["EXECUTE", "INSERT"], &["EXECUTE", "STATEMENT", "SET", "BEGIN"]];
    if !forms.iter().any(|f| p.lookahead(f)) {
        return Err(p.error("expected INSERT ..., EXECUTE INSERT ... or EXECUTE STATEMENT SET BEGIN ... END as the job's statement"));
    }
    let text = p.rest();
    if text.is_empty() {
        return Err(p.error("expected the job's statement"));
    }
    Ok(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::super::tests::parse_text;
    use super::*;

    fn of(sql: &str) -> JobStatement {
        match parse_text(sql) {
            Ok(Some(Extended::Job(j))) => j,
            other => panic!("{sql}: {other:?}"),
        }
    }

    #[test]
    fn create_job_keeps_its_statement_as_written() {
        assert_eq!(
            of("CREATE JOB IF NOT EXISTS copy COMMENT 'nightly' WITH ('execution.checkpointing.interval' = '2 s', 'weir.restart.attempts' = '5') AS INSERT INTO s SELECT * FROM t;"),
            JobStatement::Create {
                name: "copy".into(),
                if_not_exists: true,
                comment: Some("nightly".into()),
                options: vec![("execution.checkpointing.interval".into(), "2 s".into()), ("weir.restart.attempts".into(), "5".into())],
                body: "INSERT INTO s SELECT * FROM t".into(),
            }
        );
        let set = "create job `two` as EXECUTE STATEMENT SET BEGIN INSERT INTO a SELECT 1; INSERT INTO b SELECT 2; END";
        assert_eq!(
            of(set),
            JobStatement::Create {
                name: "two".into(),
                if_not_exists: false,
                comment: None,
                options: vec![],
                body: "EXECUTE STATEMENT SET BEGIN INSERT INTO a SELECT 1; INSERT INTO b SELECT 2; END".into()
            }
        );
    }

    #[test]
    fn the_other_job_statements() {
        assert_eq!(of("START JOB j"), JobStatement::Start { name: "j".into(), from: StartFrom::LatestState });
        assert_eq!(of("start job j from savepoint '/sp/1'"), JobStatement::Start { name: "j".into(), from: StartFrom::Savepoint("/sp/1".into()) });
        assert_eq!(of("START JOB j WITHOUT STATE"), JobStatement::Start { name: "j".into(), from: StartFrom::WithoutState });
        assert_eq!(of("STOP JOB j"), JobStatement::Stop { name: "j".into(), savepoint: true, drain: false });
        assert_eq!(of("STOP JOB j WITHOUT SAVEPOINT"), JobStatement::Stop { name: "j".into(), savepoint: false, drain: false });
        assert_eq!(of("STOP JOB j WITH DRAIN"), JobStatement::Stop { name: "j".into(), savepoint: true, drain: true });
        assert_eq!(of("ALTER JOB j AS INSERT INTO s SELECT 2"), JobStatement::Alter { name: "j".into(), change: JobChange::Body("INSERT INTO s SELECT 2".into()) });
        assert_eq!(
            of("ALTER JOB j SET ('weir.savepoint.retain' = '5')"),
            JobStatement::Alter { name: "j".into(), change: JobChange::Options(vec![("weir.savepoint.retain".into(), "5".into())]) }
        );
        assert_eq!(of("ROLLBACK JOB j TO VERSION 2"), JobStatement::Rollback { name: "j".into(), version: 2 });
        assert_eq!(of("DROP JOB IF EXISTS j"), JobStatement::Drop { name: "j".into(), if_exists: true });
        assert_eq!(of("SHOW CREATE JOB j VERSION 1"), JobStatement::ShowCreate { name: "j".into(), version: Some(1) });
        assert_eq!(of("SAVEPOINT JOB j"), JobStatement::Savepoint { name: "j".into() });
    }

    #[test]
    fn flink_and_mysql_keep_their_own_forms() {
        for sql in ["STOP JOB '2d35bc70c91516cc229f0a29a718f69e'", "STOP JOB '2d35' WITH SAVEPOINT", "SAVEPOINT job", "SHOW JOBS"] {
            assert_eq!(parse_text(sql), Ok(None), "{sql}");
        }
    }

    #[test]
    fn syntax_errors_name_what_was_expected() {
        let e = parse_text("CREATE JOB j AS SELECT 1").unwrap_err();
        assert_eq!((e.column, e.near.as_str()), (17, "SELECT 1"));
        assert!(e.message.contains("expected INSERT"), "{}", e.message);
        let e = parse_text("CREATE JOB j WITH ('a' = 'b' 'c') AS INSERT INTO s SELECT 1").unwrap_err();
        assert!(e.message.contains("expected , or )"), "{}", e.message);
        let e = parse_text("CREATE JOB j WITH ('a' = 'b', 'a' = 'c') AS INSERT INTO s SELECT 1").unwrap_err();
        assert!(e.message.contains("given twice"), "{}", e.message);
        let e = parse_text("ROLLBACK JOB j TO VERSION x").unwrap_err();
        assert!(e.message.contains("version number"), "{}", e.message);
        let e = parse_text("START JOB j FROM SAVEPOINT").unwrap_err();
        assert!(e.message.contains("savepoint's path"), "{}", e.message);
        let e = parse_text("ALTER JOB j").unwrap_err();
        assert!(e.message.contains("expected AS"), "{}", e.message);
    }
}
