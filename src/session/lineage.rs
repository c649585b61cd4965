//! Lineage in a session: recording what a statement, a job version, a view or a datasync moves
//! (the tables' columns asked of the session's Flink, [`crate::lineage`] doing the reading), the
//! warning on a DROP or ALTER of a table that running jobs read, and `SHOW LINEAGE` /
//! `SHOW IMPACT`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use tracing::{debug, warn};

use super::context::Context;
use super::local::table_response;
use crate::error::WeirError;
use crate::jobs::JobState;
use crate::lineage::{self, ColumnEdge, ColumnKind, Direction, MapSchema, Scope, StatementLineage, Target, ViaKind};
use crate::protocol::{Response, codes};
use crate::statement::ddl::{Action, Ddl};
use crate::statement::{FlinkKind, FlinkStatement, LineageStatement, ObjectKind, Walk};
use crate::value::LocalTable;

pub(super) fn scope_of(s: &crate::catalog::Scope) -> Scope {
    Scope::new(&s.catalog, &s.database)
}

/// `catalog.db.t` → its parts.
fn parts(qualified: &str) -> Vec<String> {
    qualified.split('.').map(str::to_string).collect()
}

/// The lineage of `sql`, with the columns of the tables it names as the session's Flink
/// describes them — remembered in the session's metadata cache, dropped with it by DDL and after
/// its time-to-live (a table it cannot describe stays without columns: what needs them is
/// unresolved).
async fn analyze(s: &mut Context, sql: &str, scope: &Scope) -> Result<Vec<StatementLineage>, lineage::LineageError> {
    let tables = lineage::tables_of(sql, scope)?;
    let mut schema = HashMap::new();
    for t in tables {
        if let Some(cols) = s.meta.columns(&t) {
            if !cols.is_empty() {
                schema.insert(t, cols);
            }
            continue;
        }
        match s.flink.table_columns(&parts(&t)).await {
            Ok(cols) => {
                let names: Vec<String> = cols.into_iter().map(|c| c.name).collect();
                s.meta.remember_columns(t.clone(), names.clone());
                if !names.is_empty() {
                    schema.insert(t, names);
                }
            }
            Err(e) => {
                debug!(table = %t, error = %e, "lineage: the table's columns are not known");
                // Flink's answer that it cannot describe the table holds as long as a
                // description would; a cluster that did not answer is asked again next time.
                if matches!(e, WeirError::Gateway { source: weir_drivers::gateway::GatewayError::Flink(_), .. }) {
                    s.meta.remember_columns(t, Vec::new());
                }
            }
        }
    }
    lineage::analyze(sql, scope, &MapSchema(schema))
}

/// Records the lineage `sql` defines, found by `via` (its first target when `None`). A
/// statement lineage cannot read is logged and left unrecorded: it never fails the statement.
async fn record(s: &mut Context, via_kind: ViaKind, via: Option<&str>, version: u32, sql: &str, scope: &Scope) {
    let found = match analyze(s, sql, scope).await {
        Ok(f) => f,
        Err(e) => {
            warn!(error = %e, "lineage not recorded");
            return;
        }
    };
    let Some(via) = via.map(str::to_string).or_else(|| found.first().map(|l| l.target.clone())) else { return };
    let rows = lineage::records(via_kind, &via, version, &found);
    if let Err(e) = s.shared.lineage.replace(via_kind, &via, version, &rows).await {
        warn!(error = %e, via, "lineage not recorded");
    }
}

/// The lineage of a managed job's version (its statement, in the scope it was created in).
pub(super) async fn record_job(s: &mut Context, name: &str) {
    let jobs = s.shared.jobs.clone();
    let version = match jobs.registry.get(name).await {
        Ok(Some(j)) => j.version,
        _ => return,
    };
    let Ok(Some(v)) = jobs.registry.version(name, version).await else { return };
    let scope = Scope::new(&v.catalog, &v.database);
    record(s, ViaKind::Job, Some(name), version, &v.body, &scope).await;
}

/// The lineage of a datasync: each source table copied, column by column, into its sink table.
pub(super) async fn record_datasync(s: &mut Context, name: &str) {
    let Ok(Some(d)) = s.shared.datasyncs.registry.get(name).await else { return };
    let found: Vec<StatementLineage> = d
        .tables
        .iter()
        .map(|t| {
            let from = format!("{}.{}.{}", d.source_catalog, d.source_database, t.source);
            let to = format!("{}.{}.{}", d.sink_catalog, d.sink_database, t.sink);
            let columns = t
                .columns
                .iter()
                .map(|c| ColumnEdge { from_table: from.clone(), from_column: c.name.clone(), to_table: to.clone(), to_column: c.name.clone(), kind: ColumnKind::Copy })
                .collect();
            StatementLineage { target: to, action: Target::Insert, reads: BTreeSet::from([from]), columns, unresolved: Vec::new() }
        })
        .collect();
    let rows = lineage::records(ViaKind::Datasync, name, 0, &found);
    if let Err(e) = s.shared.lineage.replace(ViaKind::Datasync, name, 0, &rows).await {
        warn!(error = %e, datasync = name, "lineage not recorded");
    }
}

/// Forgets what a dropped job, view or datasync recorded.
pub(super) async fn forget(s: &Context, via_kind: ViaKind, via: &str) {
    if let Err(e) = s.shared.lineage.delete(via_kind, via).await {
        warn!(error = %e, via, "lineage not removed");
    }
}

/// After a Flink statement succeeded: what it moves or defines is recorded; a DROP or ALTER of a
/// table that running managed jobs read warns, naming them.
pub(super) async fn after_flink(s: &mut Context, sql: &str, statement: &FlinkStatement) {
    let scope = scope_of(&s.flink.scope());
    match &statement.kind {
        FlinkKind::Dml => record(s, ViaKind::Statement, None, 0, sql, &scope).await,
        FlinkKind::Ddl(d) => after_ddl(s, sql, d, &scope).await,
        _ => {}
    }
}

async fn after_ddl(s: &mut Context, sql: &str, d: &Ddl, scope: &Scope) {
    let name = scope.qualify(&d.name);
    match (&d.action, d.kind) {
        (Action::Create { .. }, ObjectKind::View) if !d.temporary => record(s, ViaKind::View, Some(&name), 0, sql, scope).await,
        // A CREATE TABLE … AS (a plain CREATE TABLE has no lineage).
        (Action::Create { .. }, ObjectKind::Table) => record(s, ViaKind::Statement, Some(&name), 0, sql, scope).await,
        (Action::Drop { .. } | Action::Alter { .. }, ObjectKind::Table | ObjectKind::View) => {
            warn_running_readers(s, &name, matches!(d.action, Action::Drop { .. })).await;
            if matches!(d.action, Action::Drop { .. }) && d.kind == ObjectKind::View {
                forget(s, ViaKind::View, &name).await;
            }
        }
        _ => {}
    }
}

/// A Warning naming the running managed jobs that read `table` (directly or through views).
async fn warn_running_readers(s: &Context, table: &str, dropped: bool) {
    let Ok(graph) = s.shared.lineage.graph().await else { return };
    let readers = graph.readers(table);
    if readers.is_empty() {
        return;
    }
    let Ok(jobs) = s.shared.jobs.registry.all().await else { return };
    let running: Vec<String> = jobs.into_iter().filter(|j| readers.contains(&j.name) && JobState::ACTIVE.contains(&j.state)).map(|j| j.name).collect();
    if running.is_empty() {
        return;
    }
    let what = if dropped { "dropped" } else { "altered" };
    crate::diagnostics::add_warning(
        &s.warnings,
        codes::ER_UNKNOWN_ERROR.number,
        format!("Table '{table}' was {what} while running job(s) {} read it: they may fail or read what they do not expect", running.join(", ")),
    );
}

fn via_text(r: &lineage::Recorded) -> String {
    match r.via_kind {
        ViaKind::Job => format!("JOB {} (version {})", r.via, r.version),
        other => format!("{} {}", other.as_str(), r.via),
    }
}

/// The qualified table a lineage statement names, which must exist (in Flink, or in the
/// recorded lineage), with its column if one is named (which must be one of its columns).
async fn target(s: &mut Context, table: &[String], column: Option<&str>, graph: &lineage::LineageGraph) -> Result<String, WeirError> {
    let scope = scope_of(&s.flink.scope());
    let name = scope.qualify(table);
    // A table the session may not see does not exist for it, nor its lineage.
    let visible = sees(s, &name);
    let columns = if visible { s.flink.table_columns(&parts(&name)).await.ok().filter(|c| !c.is_empty()) } else { None };
    if !visible || columns.is_none() && !graph.knows(&name) {
        return Err(WeirError::UnknownTable { database: table.iter().rev().nth(1).cloned().unwrap_or_else(|| scope.database.clone()), table: table.last().cloned().unwrap_or_default() });
    }
    if let (Some(cols), Some(c)) = (&columns, column)
        && !cols.iter().any(|x| x.name == c)
    {
        return Err(WeirError::UnknownColumn(format!("{c}' in table '{name}")));
    }
    Ok(name)
}

/// Whether the session may see the table `catalog.db.t` (a lineage row naming one it may not see
/// is left out).
fn sees(s: &mut Context, qualified: &str) -> bool {
    match parts(qualified).as_slice() {
        [c, d, t] => s.access().sees_table(c, d, t),
        _ => s.access().is_superuser(),
    }
}

pub(super) async fn answer(s: &mut Context, statement: &LineageStatement) -> Result<Response, WeirError> {
    let graph = s.shared.lineage.graph().await?;
    // Another tenant's jobs and datasyncs are not named (crate::auth::namespace).
    let names = crate::auth::namespace::Namespace::of(s.access());
    match statement {
        LineageStatement::Show { table, column, walk, depth } => {
            let name = target(s, table, column.as_deref(), &graph).await?;
            let walks: &[(Direction, &str)] = match walk {
                Walk::Upstream => &[(Direction::Upstream, "UPSTREAM")],
                Walk::Downstream => &[(Direction::Downstream, "DOWNSTREAM")],
                Walk::Both => &[(Direction::Upstream, "UPSTREAM"), (Direction::Downstream, "DOWNSTREAM")],
            };
            let mut rows = Vec::new();
            for (direction, label) in walks {
                for r in graph.walk(&name, column.as_deref(), *direction, *depth) {
                    let e = r.edge;
                    if !sees(s, &e.from_table) || !sees(s, &e.to_table) || !names.sees_via(e.via_kind, &e.via) {
                        continue;
                    }
                    let end = |t: &str, c: &Option<String>| match c {
                        Some(c) => format!("{t}.{c}"),
                        None => t.to_string(),
                    };
                    rows.push(vec![
                        Some(label.to_string()),
                        Some(r.depth.to_string()),
                        Some(end(&e.from_table, &e.from_column)),
                        Some(end(&e.to_table, &e.to_column)),
                        Some(via_text(e)),
                        Some(e.kind.clone()),
                    ]);
                }
            }
            table_response(LocalTable::text(&["Direction", "Depth", "From", "To", "Via", "Kind"], rows))
        }
        LineageStatement::Impact { table, column } => {
            let name = target(s, table, column.as_deref(), &graph).await?;
            let jobs: BTreeMap<String, JobState> = s.shared.jobs.registry.all().await?.into_iter().map(|j| (j.name, j.state)).collect();
            let running = |name: &str| jobs.get(name).map(|st| if JobState::ACTIVE.contains(st) { "YES" } else { "NO" }.to_string());
            let mut rows = Vec::new();
            let affected = graph.impact(&name, column.as_deref());
            let mut affected_jobs = BTreeSet::new();
            for (kind, via, writes) in &affected {
                if !names.sees_via(*kind, via) {
                    continue;
                }
                let run = match kind {
                    ViaKind::Job | ViaKind::Datasync => running(via),
                    ViaKind::View | ViaKind::Statement => None,
                };
                if *kind == ViaKind::Job {
                    affected_jobs.insert(via.clone());
                }
                rows.push(vec![Some(kind.as_str().to_string()), Some(via.clone()), Some(writes.clone()), run]);
            }
            for (schedule, running) in s.shared.schedules.containing(&affected_jobs).await? {
                rows.push(vec![Some("SCHEDULE".to_string()), Some(schedule), None, Some(if running { "YES" } else { "NO" }.to_string())]);
            }
            table_response(LocalTable::text(&["Type", "Name", "Writes", "Running"], rows))
        }
    }
}
