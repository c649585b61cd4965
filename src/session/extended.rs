//! Weir's extended statements ([`crate::statement::Extended`]), answered by the session:
//! `SHOW FLINK CLUSTERS`, `SHOW CONNECTORS`, `TRANSLATE`, and the managed-job statements ([`super::jobs`]).

use super::context::Context;
use super::dialect::{self, Dialect};
use super::local::table_response;
use crate::error::WeirError;
use crate::protocol::Response;
use crate::statement::Extended;
use crate::value::{LocalTable, like};

pub async fn answer(s: &mut Context, sql: &str, statement: Extended) -> Result<Response, WeirError> {
    // A tenant's user names its tenant's objects (crate::auth::namespace).
    let statement = crate::auth::namespace::Namespace::of(s.access()).statement(statement)?;
    match statement {
        Extended::ShowFlinkClusters { like } => show_flink_clusters(s, like.as_deref()).await,
        Extended::ShowConnectors { like } => show_connectors(s, like.as_deref()),
        Extended::Translate { from, statement } => translate(s, from.as_deref(), &statement).await,
        Extended::Job(j) => super::jobs::answer(s, &j).await,
        Extended::Datasync(d) => super::datasync::answer(s, sql, &d).await,
        Extended::Alert(a) => super::alerts::answer(s, &a).await,
        Extended::Lineage(l) => super::lineage::answer(s, &l).await,
        Extended::Schedule(sc) => super::schedule::answer(s, &sc).await,
        Extended::Access(a) => super::access::answer(s, &a).await,
    }
}

/// `TRANSLATE [FROM dialect] statement`: one row with the Flink SQL and the notes of what was
/// rewritten, for the session cluster's Flink version, with column types from the session's
/// Flink catalog. Without FROM: the session's dialect, MySQL in a `flink` session.
async fn translate(s: &mut Context, from: Option<&str>, statement: &str) -> Result<Response, WeirError> {
    let dialect = match from {
        Some(name) => weir_dialects::SourceDialect::from_name(name)
            .ok_or_else(|| WeirError::Syntax(format!("TRANSLATE FROM {name}: the dialects are mysql, mariadb and oracle")))?,
        None => match dialect::current(s) {
            Dialect::Source(d) => d,
            Dialect::Flink => weir_dialects::SourceDialect::MySql,
        },
    };
    let t = dialect::translate(s, dialect, statement).await?;
    let notes: Vec<String> = t.notes.iter().map(|n| format!("{}:{}: {}", n.line, n.column, n.message)).collect();
    table_response(LocalTable::text(&["flink_sql", "notes"], vec![vec![Some(t.sql), Some(notes.join("\n"))]]))
}

async fn show_flink_clusters(s: &Context, like_pattern: Option<&str>) -> Result<Response, WeirError> {
    let cols = ["Name", "Version", "Rest_api", "Endpoint", "Managed", "Status", "Sessions", "Metrics_endpoints"];
    let mut rows = Vec::new();
    for c in s.shared.clusters.all() {
        if like_pattern.is_some_and(|p| !like(p, c.name())) {
            continue;
        }
        let view = c.describe().await;
        rows.push(vec![
            Some(view.name),
            view.flink_version,
            view.api_version,
            Some(view.endpoint),
            Some(if view.managed { "YES" } else { "NO" }.to_string()),
            Some(view.status),
            Some(view.sessions.to_string()),
            view.metrics_endpoints,
        ]);
    }
    table_response(LocalTable::text(&cols, rows))
}


/// `SHOW CONNECTORS [LIKE 'pattern']`: one row per cluster, connector and jar; `Loaded` tells
/// whether the jar is on the running classpath of the cluster's JobManager, TaskManager and SQL
/// Gateway. External clusters have no connector set Weir knows.
fn show_connectors(s: &Context, like_pattern: Option<&str>) -> Result<Response, WeirError> {
    let cols = ["Cluster", "Connector", "Version", "Artifact", "Loaded"];
    let mut rows = Vec::new();
    for c in s.shared.clusters.all() {
        for view in c.connectors() {
            if like_pattern.is_some_and(|p| !like(p, &view.connector)) {
                continue;
            }
            rows.push(vec![
                Some(c.name().to_string()),
                Some(view.connector),
                Some(view.version),
                Some(view.artifact),
                Some(if view.loaded { "YES" } else { "NO" }.to_string()),
            ]);
        }
    }
    table_response(LocalTable::text(&cols, rows))
}
