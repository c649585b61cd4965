//! The datasync statements ([`crate::statement::DatasyncStatement`]), answered with the
//! session's context (its user and cluster) by [`crate::datasync`].

use super::context::Context;
use super::local::table_response;
use crate::datasync::service::{CreateDatasync, Created};
use crate::datasync::{DatasyncError, plan};
use crate::error::WeirError;
use crate::protocol::{OkResponse, Response, codes};
use crate::statement::DatasyncStatement;
use crate::value::{LocalTable, like};

pub async fn answer(s: &mut Context, sql: &str, statement: &DatasyncStatement) -> Result<Response, WeirError> {
    let datasyncs = s.shared.datasyncs.clone();
    match statement {
        DatasyncStatement::Create { name, if_not_exists, source, filter, exclude, sink, mode, options } => {
            // A datasync is a managed job started now: the tenant's quotas apply as to START JOB,
            // its slots read as the datasync reads its options (a malformed one is refused below).
            let slots = crate::datasync::plan::options(name, options).map(|o| u64::from(o.parallelism)).unwrap_or(1);
            super::access::start_quota(s, slots).await?;
            let user = s.info.user.clone();
            let cluster = s.flink.cluster().name().to_string();
            let create = CreateDatasync {
                name,
                if_not_exists: *if_not_exists,
                statement: sql.trim().trim_end_matches(';').trim_end(),
                source: (&source.0, &source.1),
                sink: (&sink.0, &sink.1),
                filter: filter.clone(),
                exclude: exclude.clone(),
                mode: *mode,
                options,
                user: &user,
                session_cluster: &cluster,
            };
            match datasyncs.create(create).await? {
                Created::Started { flink_job_id, tables, notes } => {
                    super::lineage::record_datasync(s, name).await;
                    for n in notes {
                        crate::diagnostics::add(&s.warnings, "Note", codes::ER_NOT_SUPPORTED_YET.number, n);
                    }
                    let info = format!("Datasync '{name}': {tables} table(s), {} job submitted as Flink job {flink_job_id}", mode.as_str());
                    Ok(Response::Ok(OkResponse { info, ..Default::default() }))
                }
                Created::AlreadyExisted => {
                    crate::diagnostics::add(&s.warnings, "Note", codes::ER_TABLE_EXISTS_ERROR.number, DatasyncError::Exists(name.clone()).to_string());
                    Ok(Response::Ok(OkResponse::default()))
                }
            }
        }
        DatasyncStatement::Drop { name, if_exists } => {
            super::access::guard_job(s, name).await?;
            if !datasyncs.drop_datasync(name, *if_exists).await? {
                crate::diagnostics::add(&s.warnings, "Note", codes::ER_SP_DOES_NOT_EXIST.number, DatasyncError::Unknown(name.clone()).to_string());
            } else {
                super::lineage::forget(s, crate::lineage::ViaKind::Datasync, name).await;
            }
            Ok(Response::Ok(OkResponse::default()))
        }
        DatasyncStatement::ShowCreate { name } => {
            super::access::guard_job(s, name).await?;
            let (statement, flink) = datasyncs.show_create(name).await?;
            table_response(LocalTable::text(&["Datasync", "Create Datasync", "Flink SQL"], vec![vec![Some(name.clone()), Some(statement), Some(flink)]]))
        }
        DatasyncStatement::Show { like: pattern } => {
            let cols = ["Name", "Source", "Sink", "Mode", "Tables", "State", "Cluster", "Created_by"];
            let mut rows = Vec::new();
            let access = s.access().clone();
            for l in datasyncs.list().await? {
                let d = &l.datasync;
                // Another tenant's datasyncs are not listed.
                if pattern.as_deref().is_some_and(|p| !like(p, &d.name)) || !s.shared.auth.owns(&access, &d.created_by) {
                    continue;
                }
                rows.push(vec![
                    Some(d.name.clone()),
                    Some(format!("{}.{} ({})", d.source_catalog, d.source_database, plan::filter_text(&d.filter))),
                    Some(format!("{}.{}", d.sink_catalog, d.sink_database)),
                    Some(d.mode.as_str().to_string()),
                    Some(d.tables.iter().map(|t| t.source.as_str()).collect::<Vec<_>>().join(", ")),
                    Some(l.state.map(|s| s.as_str().to_string()).unwrap_or_else(|| "NO JOB".to_string())),
                    Some(d.cluster.clone()),
                    Some(d.created_by.clone()),
                ]);
            }
            table_response(LocalTable::text(&cols, rows))
        }
    }
}
