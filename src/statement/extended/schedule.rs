//! Schedules:
//!
//! ```text
//! CREATE SCHEDULE [IF NOT EXISTS] name [options] AS members
//! ALTER SCHEDULE name { SET options | EXCLUDE (job, ...) | INCLUDE (job, ...) | WEIGHT job = n }
//! RUN | PAUSE | RESUME | STOP SCHEDULE name
//! DROP SCHEDULE [IF EXISTS] name
//! EXPLAIN SCHEDULE name
//! options := [CRON 'm h dom mon dow' [TIMEZONE 'Region/City']] [AFTER s, ...] [PARALLELISM n]
//!            [TIMEOUT n (SECONDS | MINUTES | HOURS)] [RETRY n] [ON FAILURE (SKIP | SKIP DOWNSTREAM | STOP)]
//! members := JOBS (job, ...) | JOBS LIKE 'pattern' | SCHEDULES (schedule, ...)
//! ```

use serde::{Deserialize, Serialize};

use super::{Extended, Parser};
use crate::statement::SyntaxError;

/// What a schedule does when a job of a run fails (its retries spent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OnFailure {
    /// The job counts as done: what depends on it runs.
    Skip,
    /// What depends on it (transitively) is skipped; the rest runs.
    SkipDownstream,
    /// The run stops: running jobs are cancelled, nothing else starts.
    Stop,
}

impl OnFailure {
    pub fn as_str(self) -> &'static str {
        match self {
            OnFailure::Skip => "SKIP",
            OnFailure::SkipDownstream => "SKIP DOWNSTREAM",
            OnFailure::Stop => "STOP",
        }
    }
}

/// The clauses of CREATE SCHEDULE and ALTER SCHEDULE … SET; `None`: not given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleOptions {
    pub cron: Option<String>,
    pub timezone: Option<String>,
    pub after: Option<Vec<String>>,
    pub parallelism: Option<u32>,
    pub timeout_secs: Option<u64>,
    pub retry: Option<u32>,
    pub on_failure: Option<OnFailure>,
}

impl ScheduleOptions {
    /// `other`'s clauses over these.
    pub fn merge(&mut self, other: &ScheduleOptions) {
        macro_rules! over {
            ($($f:ident),*) => { $( if other.$f.is_some() { self.$f = other.$f.clone(); } )* };
        }
        over!(cron, timezone, after, parallelism, timeout_secs, retry, on_failure);
    }
}

/// Which jobs a schedule runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Members {
    Jobs(Vec<String>),
    JobsLike(String),
    /// Sub-schedules: their jobs, one DAG.
    Schedules(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScheduleChange {
    Set(ScheduleOptions),
    Exclude(Vec<String>),
    Include(Vec<String>),
    Weight { job: String, weight: i64 },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScheduleStatement {
    Create { name: String, if_not_exists: bool, options: ScheduleOptions, members: Members },
    Alter { name: String, change: ScheduleChange },
    Run { name: String },
    Pause { name: String },
    Resume { name: String },
    Stop { name: String },
    Drop { name: String, if_exists: bool },
    Explain { name: String },
}

fn schedule(s: ScheduleStatement) -> Result<Option<Extended>, SyntaxError> {
    Ok(Some(Extended::Schedule(s)))
}

/// `(a, b, ...)` of identifiers.
fn idents(p: &mut Parser<'_>, what: &str) -> Result<Vec<String>, SyntaxError> {
    p.punct('(', "(")?;
    let mut out = Vec::new();
    loop {
        out.push(p.ident(what)?);
        if p.punct(')', ")").is_ok() {
            return Ok(out);
        }
        p.punct(',', ", or )")?;
    }
}

/// The option clauses, in any order, each once.
fn options(p: &mut Parser<'_>) -> Result<ScheduleOptions, SyntaxError> {
    let mut o = ScheduleOptions::default();
    let twice = |p: &Parser<'_>, what: &str| p.error_before(&format!("{what} is given twice"));
    loop {
        if p.keywords(&["CRON"]) {
            if o.cron.is_some() {
                return Err(twice(p, "CRON"));
            }
            o.cron = Some(p.string("the cron expression")?);
            if p.keywords(&["TIMEZONE"]) {
                o.timezone = Some(p.string("the time zone ('Region/City')")?);
            }
        } else if p.keywords(&["AFTER"]) {
            if o.after.is_some() {
                return Err(twice(p, "AFTER"));
            }
            let mut after = vec![p.ident("a schedule name")?];
            while p.punct(',', ",").is_ok() {
                after.push(p.ident("a schedule name")?);
            }
            o.after = Some(after);
        } else if p.keywords(&["PARALLELISM"]) {
            let n = p.number("the parallelism (a positive number)")?;
            if n == 0 {
                return Err(p.error_before("PARALLELISM must be at least 1"));
            }
            o.parallelism = Some(n);
        } else if p.keywords(&["TIMEOUT"]) {
            let n = u64::from(p.number("the timeout (a number)")?);
            let unit = if p.keywords(&["SECONDS"]) || p.keywords(&["SECOND"]) {
                1
            } else if p.keywords(&["MINUTES"]) || p.keywords(&["MINUTE"]) {
                60
            } else if p.keywords(&["HOURS"]) || p.keywords(&["HOUR"]) {
                3600
            } else {
                return Err(p.error("expected SECONDS, MINUTES or HOURS"));
            };
            if n == 0 {
                return Err(p.error_before("TIMEOUT must be at least 1"));
            }
            o.timeout_secs = Some(n * unit);
        } else if p.keywords(&["RETRY"]) {
            o.retry = Some(p.number("the number of retries")?);
        } else if p.keywords(&["ON", "FAILURE"]) {
            o.on_failure = Some(if p.keywords(&["SKIP", "DOWNSTREAM"]) {
                OnFailure::SkipDownstream
            } else if p.keywords(&["SKIP"]) {
                OnFailure::Skip
            } else if p.keywords(&["STOP"]) {
                OnFailure::Stop
            } else {
                return Err(p.error("expected SKIP, SKIP DOWNSTREAM or STOP"));
            });
        } else {
            return Ok(o);
        }
    }
}

/// After `CREATE SCHEDULE`.
pub fn create(p: &mut Parser<'_>) -> Result<Option<Extended>, SyntaxError> {
    let if_not_exists = p.keywords(&["IF", "NOT", "EXISTS"]);
    let name = p.ident("a schedule name")?;
    let options = options(p)?;
    if !p.keywords(&["AS"]) {
        return Err(p.error("expected CRON, AFTER, PARALLELISM, TIMEOUT, RETRY, ON FAILURE or AS"));
    }
    let members = if p.keywords(&["JOBS", "LIKE"]) {
        Members::JobsLike(p.string("the job name pattern")?)
    } else if p.keywords(&["JOBS"]) {
        Members::Jobs(idents(p, "a job name")?)
    } else if p.keywords(&["SCHEDULES"]) {
        Members::Schedules(idents(p, "a schedule name")?)
    } else {
        return Err(p.error("expected JOBS (...), JOBS LIKE 'pattern' or SCHEDULES (...)"));
    };
    p.end("the end of CREATE SCHEDULE")?;
    schedule(ScheduleStatement::Create { name, if_not_exists, options, members })
}

/// After `ALTER SCHEDULE`.
pub fn alter(p: &mut Parser<'_>) -> Result<Option<Extended>, SyntaxError> {
    let name = p.ident("a schedule name")?;
    let change = if p.keywords(&["SET"]) {
        let o = options(p)?;
        if o == ScheduleOptions::default() {
            return Err(p.error("expected CRON, AFTER, PARALLELISM, TIMEOUT, RETRY or ON FAILURE"));
        }
        ScheduleChange::Set(o)
    } else if p.keywords(&["EXCLUDE"]) {
        ScheduleChange::Exclude(idents(p, "a job name")?)
    } else if p.keywords(&["INCLUDE"]) {
        ScheduleChange::Include(idents(p, "a job name")?)
    } else if p.keywords(&["WEIGHT"]) {
        let job = p.ident("a job name")?;
        p.punct('=', "=")?;
        let negative = p.punct('-', "-").is_ok();
        let n = i64::from(p.number("the weight (a number)")?);
        ScheduleChange::Weight { job, weight: if negative { -n } else { n } }
    } else {
        return Err(p.error("expected SET, EXCLUDE (...), INCLUDE (...) or WEIGHT job = n"));
    };
    p.end("the end of ALTER SCHEDULE")?;
    schedule(ScheduleStatement::Alter { name, change })
}

fn named(p: &mut Parser<'_>, statement: &str) -> Result<String, SyntaxError> {
    let name = p.ident("a schedule name")?;
    p.end(&format!("the end of {statement}"))?;
    Ok(name)
}

pub fn run(p: &mut Parser<'_>) -> Result<Option<Extended>, SyntaxError> {
    schedule(ScheduleStatement::Run { name: named(p, "RUN SCHEDULE")? })
}

pub fn pause(p: &mut Parser<'_>) -> Result<Option<Extended>, SyntaxError> {
    schedule(ScheduleStatement::Pause { name: named(p, "PAUSE SCHEDULE")? })
}

pub fn resume(p: &mut Parser<'_>) -> Result<Option<Extended>, SyntaxError> {
    schedule(ScheduleStatement::Resume { name: named(p, "RESUME SCHEDULE")? })
}

pub fn stop(p: &mut Parser<'_>) -> Result<Option<Extended>, SyntaxError> {
    schedule(ScheduleStatement::Stop { name: named(p, "STOP SCHEDULE")? })
}

pub fn explain(p: &mut Parser<'_>) -> Result<Option<Extended>, SyntaxError> {
    schedule(ScheduleStatement::Explain { name: named(p, "EXPLAIN SCHEDULE")? })
}

pub fn drop(p: &mut Parser<'_>) -> Result<Option<Extended>, SyntaxError> {
    let if_exists = p.keywords(&["IF", "EXISTS"]);
    let name = named(p, "DROP SCHEDULE")?;
    schedule(ScheduleStatement::Drop { name, if_exists })
}

#[cfg(test)]
mod tests {
    use super::super::tests::parse_text;
    use super::*;

    fn of(sql: &str) -> ScheduleStatement {
        match parse_text(sql) {
            Ok(Some(Extended::Schedule(s))) => s,
            other => panic!("{sql}: {other:?}"),
        }
    }

    #[test]
    fn create_schedule_reads_every_clause_in_any_order() {
        assert_eq!(
            of("CREATE SCHEDULE IF NOT EXISTS nightly CRON '0 2 * * *' TIMEZONE 'Europe/Paris' AFTER loads, dims PARALLELISM 2 TIMEOUT 30 MINUTES RETRY 2 ON FAILURE SKIP DOWNSTREAM AS JOBS (a, `b`)"),
            ScheduleStatement::Create {
                name: "nightly".into(),
                if_not_exists: true,
                options: ScheduleOptions {
                    cron: Some("0 2 * * *".into()),
                    timezone: Some("Europe/Paris".into()),
                    after: Some(vec!["loads".into(), "dims".into()]),
                    parallelism: Some(2),
                    timeout_secs: Some(1800),
                    retry: Some(2),
                    on_failure: Some(OnFailure::SkipDownstream),
                },
                members: Members::Jobs(vec!["a".into(), "b".into()]),
            }
        );
        match of("create schedule s on failure stop retry 1 as jobs like 'etl_%'") {
            ScheduleStatement::Create { options, members, .. } => {
                assert_eq!((options.on_failure, options.retry, members), (Some(OnFailure::Stop), Some(1), Members::JobsLike("etl_%".into())));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(of("CREATE SCHEDULE all_of AS SCHEDULES (x, y)"), ScheduleStatement::Create { members: Members::Schedules(_), .. }));
    }

    #[test]
    fn the_other_schedule_statements() {
        assert_eq!(of("ALTER SCHEDULE s EXCLUDE (j)"), ScheduleStatement::Alter { name: "s".into(), change: ScheduleChange::Exclude(vec!["j".into()]) });
        assert_eq!(of("ALTER SCHEDULE s INCLUDE (j, k)"), ScheduleStatement::Alter { name: "s".into(), change: ScheduleChange::Include(vec!["j".into(), "k".into()]) });
        assert_eq!(of("ALTER SCHEDULE s WEIGHT j = 5"), ScheduleStatement::Alter { name: "s".into(), change: ScheduleChange::Weight { job: "j".into(), weight: 5 } });
        assert_eq!(
            of("ALTER SCHEDULE s SET PARALLELISM 4"),
            ScheduleStatement::Alter { name: "s".into(), change: ScheduleChange::Set(ScheduleOptions { parallelism: Some(4), ..Default::default() }) }
        );
        assert_eq!(of("RUN SCHEDULE s"), ScheduleStatement::Run { name: "s".into() });
        assert_eq!(of("PAUSE SCHEDULE s"), ScheduleStatement::Pause { name: "s".into() });
        assert_eq!(of("RESUME SCHEDULE s"), ScheduleStatement::Resume { name: "s".into() });
        assert_eq!(of("STOP SCHEDULE s"), ScheduleStatement::Stop { name: "s".into() });
        assert_eq!(of("DROP SCHEDULE IF EXISTS s"), ScheduleStatement::Drop { name: "s".into(), if_exists: true });
        assert_eq!(of("EXPLAIN SCHEDULE s"), ScheduleStatement::Explain { name: "s".into() });
    }

    #[test]
    fn malformed_schedules_are_syntax_errors_at_the_offending_word() {
        for (sql, near) in [
            ("CREATE SCHEDULE s AS TABLES (a)", "TABLES (a)"),
            ("CREATE SCHEDULE s PARALLELISM 0 AS JOBS (a)", "0 AS JOBS (a)"),
            ("CREATE SCHEDULE s TIMEOUT 5 DAYS AS JOBS (a)", "DAYS AS JOBS (a)"),
            ("CREATE SCHEDULE s ON FAILURE IGNORE AS JOBS (a)", "IGNORE AS JOBS (a)"),
            ("CREATE SCHEDULE s CRON '* * * * *' CRON '1 * * * *' AS JOBS (a)", "CRON '1 * * * *' AS JOBS (a)"),
            ("CREATE SCHEDULE s JOBS (a)", "JOBS (a)"),
            ("ALTER SCHEDULE s SET", ""),
            ("RUN SCHEDULE s now", "now"),
        ] {
            let e = parse_text(sql).unwrap_err();
            assert_eq!(e.near, near, "{sql}: {e}");
        }
        // EXPLAIN of a Flink statement stays Flink's.
        assert_eq!(parse_text("EXPLAIN SELECT 1"), Ok(None));
    }
}
