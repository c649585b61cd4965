//! The managed-job statements ([`crate::statement::JobStatement`]), answered with the session's
//! context (its user, cluster, catalog and database, its dialect) by [`crate::jobs`].

use super::context::Context;
use super::dialect::{self, Dialect};
use super::local::table_response;
use crate::datasync::DatasyncError;
use crate::error::WeirError;
use crate::jobs::lifecycle::CreateJob;
use crate::jobs::{Created, JobError};
use crate::protocol::{OkResponse, Response, codes};
use crate::statement::{JobChange, JobStatement};
use crate::value::LocalTable;

fn ok(info: String) -> Result<Response, WeirError> {
    Ok(Response::Ok(OkResponse { info, ..Default::default() }))
}

/// A job's statement in the session's dialect, as Flink SQL.
async fn flink_body(s: &mut Context, body: &str) -> Result<String, WeirError> {
    match dialect::current(s) {
        Dialect::Source(d) => Ok(dialect::translate(s, d, body).await?.sql),
        Dialect::Flink => Ok(body.to_string()),
    }
}

pub async fn answer(s: &mut Context, statement: &JobStatement) -> Result<Response, WeirError> {
    let jobs = s.shared.jobs.clone();
    let user = s.info.user.clone();
    // Another tenant's job does not exist for this session.
    if let Some(name) = named(statement) {
        super::access::guard_job(s, name).await?;
    }
    match statement {
        JobStatement::Create { name, if_not_exists, comment, options, body } => {
            let body = flink_body(s, body).await?;
            let jars = s.flink.jars().to_vec();
            let create = CreateJob {
                name,
                if_not_exists: *if_not_exists,
                comment: comment.as_deref(),
                options,
                body: &body,
                scope: s.flink.scope(),
                jars: &jars,
                user: &user,
                session_cluster: s.flink.cluster().name(),
            };
            match jobs.create(create).await {
                Ok(Created::Created) => {
                    super::lineage::record_job(s, name).await;
                    ok(String::new())
                }
                Ok(Created::AlreadyExisted) => {
                    crate::diagnostics::add(&s.warnings, "Note", codes::ER_TABLE_EXISTS_ERROR.number, format!("Job '{name}' already exists"));
                    ok(String::new())
                }
                Err(e @ WeirError::Gateway { .. }) => Err(refused_outside_session(s, &body, e).await),
                Err(e) => Err(e),
            }
        }
        JobStatement::Start { name, from } => {
            if let Some(job) = jobs.registry.get(name).await? {
                super::access::job_quota(s, &job).await?;
            }
            let started = jobs.start(name, from).await?;
            let from = started.restored_from.map(|p| format!(", restored from {p}")).unwrap_or_default();
            ok(format!("Job '{name}' version {} submitted as Flink job {}{from}", started.version, started.flink_job_id))
        }
        JobStatement::Stop { name, savepoint, drain } => match jobs.stop(name, *savepoint, *drain).await? {
            Some(path) => ok(format!("Job '{name}' stopped with savepoint {path}")),
            None => ok(format!("Job '{name}' stopped")),
        },
        JobStatement::Alter { name, change: JobChange::Body(body) } => {
            if let Some(d) = s.shared.datasyncs.datasync_of_job(name).await? {
                return Err(DatasyncError::JobOfDatasync { job: name.clone(), datasync: d, action: "alter" }.into());
            }
            let body = flink_body(s, body).await?;
            let scope = s.flink.scope();
            let jars = s.flink.jars().to_vec();
            let n = match jobs.alter_body(name, &body, scope, &jars, &user).await {
                Ok(n) => n,
                Err(e @ WeirError::Gateway { .. }) => return Err(refused_outside_session(s, &body, e).await),
                Err(e) => return Err(e),
            };
            super::lineage::record_job(s, name).await;
            ok(format!("Job '{name}' version {n}"))
        }
        JobStatement::Alter { name, change: JobChange::Options(options) } => match jobs.alter_options(name, options, &user).await? {
            Some(n) => {
                super::lineage::record_job(s, name).await;
                ok(format!("Job '{name}' version {n}"))
            }
            None => ok(String::new()),
        },
        JobStatement::Rollback { name, version } => {
            let n = jobs.rollback(name, *version, &user).await?;
            super::lineage::record_job(s, name).await;
            ok(format!("Job '{name}' version {n} (the definition of version {version})"))
        }
        JobStatement::Drop { name, if_exists } => {
            if let Some(d) = s.shared.datasyncs.datasync_of_job(name).await? {
                return Err(DatasyncError::JobOfDatasync { job: name.clone(), datasync: d, action: "drop" }.into());
            }
            if !jobs.drop_job(name, *if_exists).await? {
                crate::diagnostics::add(&s.warnings, "Note", codes::ER_SP_DOES_NOT_EXIST.number, JobError::Unknown(name.clone()).to_string());
            } else {
                super::lineage::forget(s, crate::lineage::ViaKind::Job, name).await;
            }
            ok(String::new())
        }
        JobStatement::ShowCreate { name, version } => {
            let (n, text) = jobs.show_create(name, *version).await?;
            let text = crate::statement::secrets::mask(&text).into_owned();
            table_response(LocalTable::text(&["Job", "Version", "Create Job"], vec![vec![Some(name.clone()), Some(n.to_string()), Some(text)]]))
        }
        JobStatement::Savepoint { name } => {
            let path = jobs.savepoint(name).await?;
            table_response(LocalTable::text(&["savepoint path"], vec![vec![Some(path)]]))
        }
    }
}

/// The existing job a statement acts on (`None` for CREATE JOB).
fn named(statement: &JobStatement) -> Option<&str> {
    match statement {
        JobStatement::Create { .. } => None,
        other => Some(other.name()),
    }
}

/// Flink refused the job's statement in a Flink session with only recorded objects: when this
/// session's own Flink session accepts it, the statement uses the session's TEMPORARY objects.
async fn refused_outside_session(s: &mut Context, body: &str, e: WeirError) -> WeirError {
    let explain = crate::jobs::submit::explain_of(body);
    match s.flink.collect(&explain).await {
        Ok(_) => JobError::Temporary(e.to_mysql().message).into(),
        Err(_) => e,
    }
}
