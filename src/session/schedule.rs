//! The schedule statements ([`crate::statement::ScheduleStatement`]), answered by
//! [`crate::schedule`] with the session's user.

use super::context::Context;
use super::local::table_response;
use crate::error::WeirError;
use crate::protocol::{OkResponse, Response, codes};
use crate::schedule::ScheduleError;
use crate::schedule::service::definition;
use crate::statement::ScheduleStatement;
use crate::value::LocalTable;

fn ok(info: String) -> Result<Response, WeirError> {
    Ok(Response::Ok(OkResponse { info, ..Default::default() }))
}

pub(super) async fn answer(s: &mut Context, statement: &ScheduleStatement) -> Result<Response, WeirError> {
    let schedules = s.shared.schedules.clone();
    // Another tenant's schedule does not exist for this session.
    let named = match statement {
        ScheduleStatement::Create { .. } => None,
        ScheduleStatement::Alter { name, .. }
        | ScheduleStatement::Run { name }
        | ScheduleStatement::Pause { name }
        | ScheduleStatement::Resume { name }
        | ScheduleStatement::Stop { name }
        | ScheduleStatement::Drop { name, .. }
        | ScheduleStatement::Explain { name } => Some(name),
    };
    let (jobs, others) = references(statement);
    for name in named.into_iter().chain(others) {
        guard_schedule(s, name).await?;
    }
    // Nor is another tenant's job one a schedule may run.
    for job in jobs {
        super::access::guard_job(s, job).await?;
    }
    match statement {
        ScheduleStatement::Create { name, if_not_exists, options, members } => {
            let user = s.info.user.clone();
            if !schedules.create(definition(name, options, members), *if_not_exists, &user).await? {
                crate::diagnostics::add(&s.warnings, "Note", codes::ER_TABLE_EXISTS_ERROR.number, ScheduleError::Exists(name.clone()).to_string());
            }
            ok(String::new())
        }
        ScheduleStatement::Alter { name, change } => {
            schedules.alter(name, change).await?;
            ok(String::new())
        }
        ScheduleStatement::Run { name } => {
            let id = schedules.run(name, "RUN").await?;
            ok(format!("Schedule '{name}' run {id} started"))
        }
        ScheduleStatement::Pause { name } => {
            schedules.pause(name).await?;
            ok(String::new())
        }
        ScheduleStatement::Resume { name } => {
            schedules.resume(name).await?;
            ok(String::new())
        }
        ScheduleStatement::Stop { name } => {
            if !schedules.stop(name).await? {
                crate::diagnostics::add(&s.warnings, "Note", codes::ER_UNKNOWN_ERROR.number, format!("Schedule '{name}' has no run under way"));
            }
            ok(String::new())
        }
        ScheduleStatement::Drop { name, if_exists } => {
            if !schedules.drop_schedule(name, *if_exists).await? {
                crate::diagnostics::add(&s.warnings, "Note", codes::ER_SP_DOES_NOT_EXIST.number, ScheduleError::Unknown(name.clone()).to_string());
            }
            ok(String::new())
        }
        ScheduleStatement::Explain { name } => {
            let rows = schedules
                .explain(name)
                .await?
                .into_iter()
                .map(|r| {
                    vec![
                        Some(r.step.to_string()),
                        Some(r.job),
                        r.depends_on,
                        r.via_table,
                        Some(r.weight.to_string()),
                        r.expected_ms.map(|m| m.to_string()),
                        Some(r.expected_from),
                    ]
                })
                .collect();
            table_response(LocalTable::text(&["Step", "Job", "Depends_on", "Via_table", "Weight", "Expected_ms", "Expected_from"], rows))
        }
    }
}

/// Another tenant's schedule does not exist for this session.
async fn guard_schedule(s: &mut Context, name: &str) -> Result<(), WeirError> {
    let access = s.access().clone();
    if let Some(record) = s.shared.schedules.registry.get(name).await?
        && !s.shared.auth.owns(&access, &record.created_by)
    {
        return Err(ScheduleError::Unknown(name.to_string()).into());
    }
    Ok(())
}

/// The jobs and the other schedules a schedule statement names as its members, its
/// predecessors or in a change of them.
fn references(statement: &ScheduleStatement) -> (Vec<&String>, Vec<&String>) {
    use crate::statement::{Members, ScheduleChange};
    let (mut jobs, mut schedules) = (Vec::new(), Vec::new());
    let options = match statement {
        ScheduleStatement::Create { options, members, .. } => {
            match members {
                Members::Jobs(j) => jobs.extend(j),
                Members::Schedules(sub) => schedules.extend(sub),
                Members::JobsLike(_) => {}
            }
            Some(options)
        }
        ScheduleStatement::Alter { change: ScheduleChange::Set(options), .. } => Some(options),
        ScheduleStatement::Alter { change: ScheduleChange::Include(j) | ScheduleChange::Exclude(j), .. } => {
            jobs.extend(j);
            None
        }
        ScheduleStatement::Alter { change: ScheduleChange::Weight { job, .. }, .. } => {
            jobs.push(job);
            None
        }
        _ => None,
    };
    if let Some(after) = options.and_then(|o| o.after.as_ref()) {
        schedules.extend(after);
    }
    (jobs, schedules)
}
