//! Metadata in MySQL 8's shape, answered by Weir whatever the session's dialect: SELECTs over
//! `information_schema` (run by an embedded DataFusion, [`engine`]), the SHOW family and DESCRIBE
//! ([`show`]), and COM_FIELD_LIST.
//!
//! Objects come from an [`ObjectSource`](source::ObjectSource) — today the Flink catalogs read
//! through the session's Flink session ([`source::FlinkCatalogs`]), cached for
//! `metadata.cache_ttl_secs`. Following StarRocks and Doris, SHOW DATABASES and
//! information_schema show the databases of the session's current Flink catalog under their
//! plain names.

pub mod engine;
pub mod functions;
pub mod recorded;
pub mod schema;
pub mod show;
pub mod source;
pub mod types;
pub mod visible;

use std::sync::Arc;

use arrow_schema::{Field, Schema, SchemaRef};
use futures::stream;

use crate::catalog::CatalogStore;
use crate::diagnostics::Warnings;
use crate::error::WeirError;
use crate::protocol::{Response, Rows};
use crate::routing::{Clusters, FlinkBinding, quote_ident};
use crate::statement::MetaStatement;
use crate::statement::probe::normalise_var;
use crate::statement::show::{ShowFilter, TableName};
use crate::value::{LocalTable, like};
use crate::variables::{SessionVars, VARIABLES};
use schema::{Env, Needs, Snapshot};
use source::{FlinkCatalogs, ObjectKind, ObjectSource};

pub use crate::config::MetadataConfig;
pub use source::MetaCache;

/// One row of SHOW PROCESSLIST / information_schema.PROCESSLIST and SESSIONS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Process {
    pub id: u32,
    pub user: String,
    pub host: String,
    pub database: Option<String>,
    /// The running statement's text; `None` when the connection sleeps.
    pub info: Option<String>,
    /// Seconds in the current state (running this statement, or sleeping).
    pub time: u64,
    /// Seconds since the connection opened.
    pub connected: u64,
}

impl Process {
    /// MySQL's `Command`: `Query` while a statement runs, else `Sleep`.
    pub fn command(&self) -> &'static str {
        if self.info.is_some() { "Query" } else { "Sleep" }
    }

    /// MySQL's `State`.
    pub fn state(&self) -> &'static str {
        if self.info.is_some() { "executing" } else { "" }
    }
}

/// Who can list the server's connections (PROCESSLIST, SESSIONS).
pub trait ProcessList: Send + Sync {
    fn processes(&self) -> Vec<Process>;
}

/// `catalog.db` → (Some(catalog), db); a name without a dot is a database of the current catalog.
pub fn catalog_and_database(name: &str) -> (Option<&str>, &str) {
    match name.split_once('.') {
        Some((catalog, db)) if !catalog.is_empty() && !db.is_empty() => (Some(catalog), db),
        _ => (None, name),
    }
}

/// Who is asking: the connection's account and id.
pub struct Asker<'a> {
    pub user: &'a str,
    /// `localhost` for a loopback client, else `%`.
    pub host: &'static str,
    pub connection_id: u32,
}

/// What a metadata statement needs: its session's Flink binding, cache, variables, database and
/// diagnostics, and the server's catalog store, clusters and connections.
pub struct Context<'a> {
    pub asker: Asker<'a>,
    pub flink: &'a mut FlinkBinding,
    pub cache: &'a mut MetaCache,
    pub vars: &'a SessionVars,
    /// The database clients see (`DATABASE()`).
    pub database: Option<&'a str>,
    /// The statement's warnings (SHOW WARNINGS).
    pub warnings: &'a Warnings,
    pub store: &'a Arc<CatalogStore>,
    pub clusters: &'a Clusters,
    /// The managed jobs (WEIR_JOBS and its sibling tables).
    pub jobs: &'a crate::jobs::Jobs,
    /// The datasyncs (WEIR_DATASYNC_TABLES).
    pub datasyncs: &'a crate::datasync::Datasyncs,
    /// Weir's metrics (WEIR_METRICS).
    pub metrics: &'a crate::observe::Metrics,
    /// Alerts (WEIR_ALERTS).
    pub alerts: &'a crate::observe::alerts::Alerts,
    /// The recorded lineage (WEIR_TABLE_LINEAGE, WEIR_COLUMN_LINEAGE).
    pub lineage: &'a crate::lineage_store::LineageStore,
    /// The schedules (WEIR_SCHEDULE_RUNS, WEIR_SCHEDULE_TASKS).
    pub schedules: &'a crate::schedule::Schedules,
    pub processes: &'a dyn ProcessList,
    pub server_version: &'a str,
    /// What the session may see and read.
    pub access: &'a crate::auth::Access,
    /// Accounts and the audit trail (the privilege tables, WEIR_AUDIT).
    pub auth: &'a crate::auth::Auth,
}

impl Context<'_> {
    /// The Flink catalogs with Weir's catalog of record merged over them.
    fn source(&mut self) -> visible::Visible<'_, recorded::Recorded<FlinkCatalogs<'_>>> {
        let store = self.store.clone();
        let stale = self.flink.stale_objects(&store);
        let inner = recorded::Recorded { inner: FlinkCatalogs { flink: self.flink, cache: self.cache }, store, stale };
        visible::Visible { inner, access: self.access }
    }

    fn host(&self) -> &'static str {
        self.asker.host
    }
}

/// `SHOW CREATE CATALOG c`: the statement Weir recorded for it, else Flink's own answer (the
/// session's `default_catalog` is Flink's in-memory one); secrets (a JDBC catalog's password)
/// are masked either way.
async fn show_create_catalog(ctx: &mut Context<'_>, catalog: &str) -> Result<Response, WeirError> {
    let recorded = ctx.store.get(&crate::catalog::ObjectKey::catalog(catalog)).and_then(|o| o.ddl.first().cloned());
    let ddl = match recorded {
        Some(ddl) => ddl.replacen("CREATE CATALOG IF NOT EXISTS ", "CREATE CATALOG ", 1),
        None if catalog == crate::catalog::DEFAULT_CATALOG => {
            format!("CREATE CATALOG {} WITH ('type' = 'generic_in_memory')", quote_ident(catalog))
        }
        None => {
            if !ctx.source().catalogs().await?.iter().any(|c| c == catalog) {
                return Err(WeirError::UnknownCatalog(catalog.to_string()));
            }
            let rows = ctx.flink.fetch_text(&format!("SHOW CREATE CATALOG {}", quote_ident(catalog))).await?;
            rows.into_iter().next().and_then(|r| r.into_iter().next().flatten()).unwrap_or_default()
        }
    };
    let ddl = crate::statement::secrets::mask(&ddl).into_owned();
    table_response(LocalTable::text(&["Catalog", "Create Catalog"], vec![vec![Some(catalog.to_string()), Some(ddl)]]))
}

pub async fn answer(mut ctx: Context<'_>, plan: MetaStatement) -> Result<Response, WeirError> {
    match &plan {
        MetaStatement::Select(sql) => select(&mut ctx, sql, true, None, None).await,
        // A probe names no information_schema table: its words are taken as written.
        MetaStatement::Probe(sql) => select(&mut ctx, sql, false, None, None).await,
        // Evaluated (its errors are DO's), the values discarded.
        MetaStatement::Do(sql) => select(&mut ctx, sql, false, None, None).await.map(|_| Response::Ok(Default::default())),
        MetaStatement::ShowCreate { table, view, flink } => show_create(&mut ctx, table, *view, *flink).await,
        MetaStatement::ShowCreateFor { table, connector } => {
            let catalog = catalog_of(&mut ctx, table.catalog.as_deref()).await?;
            let database = database_of(&mut ctx, table).await?;
            let (ddl, notes) = ctx.datasyncs.flink_ddl(&catalog, &database, &table.table, *connector).await?;
            for n in notes {
                crate::diagnostics::add(ctx.warnings, "Note", crate::protocol::codes::ER_AUTO_CONVERT.number, n);
            }
            table_response(LocalTable::text(&["Table", "Create Table"], vec![vec![Some(table.table.clone()), Some(ddl)]]))
        }
        MetaStatement::ShowCreateDatabase { database } => {
            let catalog = catalog_of(&mut ctx, database.catalog.as_deref()).await?;
            let name = &database.database;
            if !database_exists(&mut ctx, &catalog, name).await? {
                return Err(WeirError::UnknownDatabase(name.clone()));
            }
            let ddl = format!(
                "CREATE DATABASE {} /*!40100 DEFAULT CHARACTER SET {} COLLATE {} */ /*!80016 DEFAULT ENCRYPTION='N' */",
                show::quote_ident(name),
                schema::CHARSET,
                schema::COLLATION
            );
            table_response(LocalTable::text(&["Database", "Create Database"], vec![vec![Some(name.clone()), Some(ddl)]]))
        }
        MetaStatement::ShowCreateCatalog { catalog } => show_create_catalog(&mut ctx, catalog).await,
        MetaStatement::ShowCatalogs { filter } => {
            let catalogs = ctx.source().catalogs().await?;
            let rows = catalogs
                .into_iter()
                .filter(|c| match filter {
                    Some(ShowFilter::Like(p)) => like(p, c),
                    _ => true,
                })
                .map(|c| vec![Some(c), Some("Flink".to_string()), Some(String::new())])
                .collect();
            table_response(LocalTable::text(&["Catalog", "Type", "Comment"], rows))
        }
        MetaStatement::SetCatalog(catalog) => {
            if !ctx.source().catalogs().await?.contains(catalog) {
                return Err(WeirError::UnknownCatalog(catalog.clone()));
            }
            let sql = format!("USE CATALOG {}", quote_ident(catalog));
            ctx.flink.collect(&sql).await?;
            ctx.cache.invalidate();
            Ok(Response::Ok(Default::default()))
        }
        MetaStatement::ShowPlugins => {
            let rows = ["mysql_native_password", "caching_sha2_password"]
                .iter()
                .map(|p| vec![Some(p.to_string()), Some("ACTIVE".into()), Some("AUTHENTICATION".into()), None, Some("GPL".into())])
                .collect();
            table_response(LocalTable::text(&["Name", "Status", "Type", "Library", "License"], rows))
        }
        _ => {
            let (catalog, database) = target(&mut ctx, &plan).await?;
            let sql = show::to_query(&plan, &database)
                .ok_or_else(|| WeirError::NotSupported(format!("internal: no information_schema query for {plan:?}")))?;
            select(&mut ctx, &sql, false, catalog.as_deref(), Some(show_scope(&plan, &database))).await
        }
    }
}

/// The columns `plan` answers with, known without reading Flink's catalogs (COM_STMT_PREPARE):
/// a query over information_schema (and a SHOW answered as one) is planned over empty tables, so
/// nothing is listed or described; the SHOW statements answered otherwise are answered, from what
/// their answer reads (cached listings). `SET CATALOG` answers no rows.
pub async fn shape(mut ctx: Context<'_>, plan: MetaStatement) -> Result<Option<SchemaRef>, WeirError> {
    let sql = match &plan {
        MetaStatement::SetCatalog(_) | MetaStatement::Do(_) => return Ok(None),
        MetaStatement::Select(sql) => return select_shape(&ctx, sql, true).await.map(Some),
        MetaStatement::ShowCreate { .. }
        | MetaStatement::ShowCreateFor { .. }
        | MetaStatement::ShowCreateDatabase { .. }
        | MetaStatement::ShowCreateCatalog { .. }
        | MetaStatement::ShowCatalogs { .. }
        | MetaStatement::ShowPlugins => {
            return Ok(match answer(ctx, plan).await? {
                Response::Rows(r) => Some(r.schema),
                _ => None,
            });
        }
        _ => {
            let (_, database) = target(&mut ctx, &plan).await?;
            show::to_query(&plan, &database).ok_or_else(|| WeirError::NotSupported(format!("internal: no information_schema query for {plan:?}")))?
        }
    };
    select_shape(&ctx, &sql, false).await.map(Some)
}

/// The columns of a SELECT over information_schema, planned over empty tables.
async fn select_shape(ctx: &Context<'_>, sql: &str, canonical: bool) -> Result<SchemaRef, WeirError> {
    let mut query = engine::parse(sql, canonical)?;
    let rules = engine::referenced_tables(&query)?;
    let vars = ctx.vars;
    let variable = |name: &str| {
        let name = normalise_var(name);
        crate::variables::lookup(&name).map(|d| vars.read(d))
    };
    let env = engine::QueryEnv {
        database: ctx.database,
        user: ctx.asker.user,
        host: ctx.host(),
        connection_id: ctx.asker.connection_id,
        version: ctx.server_version,
        variable: &variable,
    };
    engine::rewrite(&mut query, &env)?;
    engine::case_insensitive_comparisons(&mut query);
    let (snapshot, env) = (Snapshot::default(), Env { database: ctx.database.map(str::to_string), ..Default::default() });
    let tables = rules.iter().map(|r| (r.name, r.build(&snapshot, &env))).collect();
    let (schema, _) = engine::execute(query, tables).await?;
    Ok(schema)
}

/// What a SHOW statement answered from information_schema is about: its database, and its table
/// or `LIKE` pattern — so a cold `DESCRIBE t` describes `t` alone, and DBeaver's `SHOW TABLE
/// STATUS FROM db LIKE 't'` reads one table's definition, not the catalog's.
fn show_scope(plan: &MetaStatement, database: &str) -> engine::Scope {
    let schema = (!database.is_empty()).then(|| database.to_string());
    match plan {
        MetaStatement::ShowColumns { table, .. } | MetaStatement::Describe { table, .. } | MetaStatement::ShowIndex { table, .. } => {
            engine::Scope { schema, table: Some(table.table.clone()), table_like: None }
        }
        MetaStatement::ShowTables { filter, .. } | MetaStatement::ShowTableStatus { filter, .. } => {
            let table_like = match filter {
                Some(ShowFilter::Like(p)) => Some(p.clone()),
                _ => None,
            };
            engine::Scope { schema, table: None, table_like }
        }
        MetaStatement::ShowTriggers { .. } => engine::Scope { schema, ..Default::default() },
        _ => engine::Scope::default(),
    }
}

/// The catalog and database a SHOW statement is about (the session's unless it names them),
/// checked to exist (1049) and, for statements about a table, the table too (1146). Statements
/// about no database get `(None, "")`.
async fn target(ctx: &mut Context<'_>, plan: &MetaStatement) -> Result<(Option<String>, String), WeirError> {
    let (catalog, named, table) = match plan {
        MetaStatement::ShowTables { database, .. } | MetaStatement::ShowTableStatus { database, .. } | MetaStatement::ShowTriggers { database, .. } => {
            (database.as_ref().and_then(|d| d.catalog.clone()), database.as_ref().map(|d| d.database.clone()), None)
        }
        MetaStatement::ShowColumns { table, .. } | MetaStatement::Describe { table, .. } | MetaStatement::ShowIndex { table, .. } => {
            (table.catalog.clone(), table.database.clone(), Some(table.table.clone()))
        }
        _ => return Ok((None, String::new())),
    };
    let catalog = catalog_of(ctx, catalog.as_deref()).await?;
    let database = match named {
        Some(d) => d,
        None => session_database(ctx).await?,
    };
    if !database_exists(ctx, &catalog, &database).await? {
        return Err(WeirError::UnknownDatabase(database));
    }
    if let Some(t) = table {
        let exists = if database.eq_ignore_ascii_case("information_schema") {
            schema::table(&t).is_some()
        } else {
            ctx.source().objects_named(&catalog, &database, &t).await?.iter().any(|o| o.name == t)
        };
        if !exists {
            return Err(WeirError::UnknownTable { database, table: t });
        }
    }
    Ok((Some(catalog), database))
}

/// The catalog a statement names, else the session's current one; an unknown catalog is 1049
/// (`Unknown catalog 'c'`), the error clients already handle for an unknown database.
async fn catalog_of(ctx: &mut Context<'_>, named: Option<&str>) -> Result<String, WeirError> {
    match named {
        None => ctx.source().current_catalog().await,
        Some(c) if ctx.source().catalogs().await?.iter().any(|x| x == c) => Ok(c.to_string()),
        Some(c) => Err(WeirError::UnknownCatalog(c.to_string())),
    }
}

async fn database_exists(ctx: &mut Context<'_>, catalog: &str, database: &str) -> Result<bool, WeirError> {
    if database.eq_ignore_ascii_case("information_schema") {
        return Ok(true);
    }
    Ok(ctx.source().databases(catalog).await?.is_some_and(|d| d.iter().any(|x| x == database)))
}

/// Runs a SELECT over information_schema: the objects its tables need are loaded (narrowed to
/// `TABLE_SCHEMA = …` / `TABLE_NAME = …` when the query reads one table), the tables built,
/// and the query run by the engine. Objects come from `catalog` (a SHOW naming one), else the
/// session's current catalog; a SHOW statement gives its `scope`, else it is read from the query.
async fn select(ctx: &mut Context<'_>, sql: &str, canonical: bool, catalog: Option<&str>, scope: Option<engine::Scope>) -> Result<Response, WeirError> {
    let mut query = engine::parse(sql, canonical)?;
    let rules = engine::referenced_tables(&query)?;
    let needs = rules.iter().map(|r| r.needs_for(&|column| engine::reads_column(&query, column))).max().unwrap_or(Needs::Nothing);
    let version = ctx.server_version.to_string();
    // Tables built from Weir's own state (ENGINES, FLINK_CLUSTERS, …) never wait for Flink.
    let database = if needs > Needs::Nothing { Some(session_database(ctx).await?) } else { ctx.database.map(str::to_string) };
    let vars = ctx.vars;
    let variable = |name: &str| {
        let name = normalise_var(name);
        crate::variables::lookup(&name).map(|d| vars.read(d))
    };
    let env = engine::QueryEnv {
        database: database.as_deref(),
        user: ctx.asker.user,
        host: ctx.host(),
        connection_id: ctx.asker.connection_id,
        version: &version,
        variable: &variable,
    };
    engine::rewrite(&mut query, &env)?;
    let scope = match scope {
        Some(s) => s,
        None if rules.len() == 1 => engine::scope(&query),
        None => engine::Scope::default(),
    };
    engine::case_insensitive_comparisons(&mut query);
    let snapshot = load(&mut ctx.source(), catalog, needs, &scope).await?;
    let env = environment(ctx, &rules).await?;
    let tables = rules.iter().map(|r| (r.name, r.build(&snapshot, &env))).collect();
    let (schema, batches) = engine::execute(query, tables).await.map_err(|e| match e {
        // MySQL names the function in the current database, as a stored function would be.
        WeirError::UnknownFunction { name, .. } => WeirError::UnknownFunction { database: database.clone(), name },
        other => other,
    })?;
    Ok(Response::Rows(Rows { schema, batches: Box::pin(stream::iter(batches.into_iter().map(Ok))) }))
}

/// Reads what the query's tables need from the source.
async fn load(src: &mut dyn ObjectSource, catalog: Option<&str>, needs: Needs, scope: &engine::Scope) -> Result<Snapshot, WeirError> {
    let mut snap = Snapshot::default();
    if needs < Needs::Databases {
        return Ok(snap);
    }
    let catalog = match catalog {
        Some(c) => c.to_string(),
        None => src.current_catalog().await?,
    };
    snap.databases = src.databases(&catalog).await?.unwrap_or_default();
    if needs < Needs::Objects {
        return Ok(snap);
    }
    for db in snap.databases.clone() {
        if scope.schema.as_ref().is_some_and(|s| !s.eq_ignore_ascii_case(&db)) {
            continue;
        }
        let listed = match &scope.table {
            Some(name) => src.objects_named(&catalog, &db, name).await?,
            None => src.objects(&catalog, &db).await?.unwrap_or_default(),
        };
        for o in listed {
            if !scope.admits_table(&o.name) {
                continue;
            }
            snap.objects.push((db.clone(), o));
        }
    }
    // information_schema's own tables, as MySQL lists them.
    if scope.schema.as_ref().is_none_or(|s| s.eq_ignore_ascii_case("information_schema")) {
        for t in schema::TABLES {
            if scope.admits_table(t.name) {
                snap.objects.push(("information_schema".into(), source::ObjectEntry { name: t.name.into(), kind: ObjectKind::View }));
            }
        }
    }
    if needs < Needs::Definitions {
        return Ok(snap);
    }
    let objects = std::mem::take(&mut snap.objects);
    // One batch per database: what is not cached is read from Flink together.
    let mut by_database: Vec<(&str, Vec<String>)> = Vec::new();
    for (db, o) in &objects {
        if db == "information_schema" {
            if let Some(rule) = schema::table(&o.name) {
                snap.definitions.push(rule.definition());
            }
            continue;
        }
        match by_database.iter_mut().find(|(d, _)| d == db) {
            Some((_, names)) => names.push(o.name.clone()),
            None => by_database.push((db, vec![o.name.clone()])),
        }
    }
    for (db, names) in by_database {
        snap.definitions.extend(src.definitions(&catalog, db, &names).await?);
    }
    snap.objects = objects;
    Ok(snap)
}

/// The newest audit records `information_schema.WEIR_AUDIT` shows.
const WEIR_AUDIT_ROWS: i64 = 100_000;

/// The grants information_schema's privilege tables show: the session's own (MySQL shows a user
/// its grants), every account's to an administrator.
fn privileges(ctx: &Context<'_>) -> Vec<schema::PrivilegeRow> {
    use crate::statement::privilege::Level;
    let row = |grantee: String, level: &Level, p: crate::statement::privilege::Privilege, grantable: bool| schema::PrivilegeRow {
        grantee,
        level: level.clone(),
        privilege: p.name().to_string(),
        grantable,
    };
    let quote = |a: &crate::statement::AccountName| format!("'{}'@'{}'", a.user, a.host);
    if ctx.access.is_superuser() {
        let mut out = vec![row(quote(&ctx.access.account), &Level::Global, crate::statement::privilege::Privilege::Super, true)];
        out.extend(
            crate::statement::privilege::Privilege::all_at(&Level::Global)
                .into_iter()
                .filter(|p| *p != crate::statement::privilege::Privilege::Super)
                .map(|p| row(quote(&ctx.access.account), &Level::Global, p, true)),
        );
        let model = ctx.auth.model();
        out.extend(model.grants.iter().filter(|g| !g.negative).map(|g| row(quote(&g.grantee), &g.level, g.privilege, g.grantable)));
        return out;
    }
    let me = quote(&ctx.access.account);
    ctx.access.held_at().map(|(p, level, grantable)| row(me.clone(), level, p, grantable)).collect()
}

/// The newest alerts `information_schema.WEIR_ALERTS` shows.
const WEIR_ALERTS_ROWS: i64 = 10_000;

async fn environment(ctx: &mut Context<'_>, rules: &[&'static schema::TableRule]) -> Result<Env, WeirError> {
    let mut env = Env { database: ctx.database.map(str::to_string), ..Default::default() };
    use crate::statement::privilege::Privilege;
    let access = ctx.access;
    // Tables of Weir's and Flink's own objects show their rows to the privileges that manage them.
    let may = |ps: &[Privilege]| ps.iter().any(|p| access.may_global(*p));
    if rules.iter().any(|r| r.name == "WEIR_AUDIT") {
        access.require_global(Privilege::AuditAdmin)?;
        let tenant = if access.is_superuser() { None } else { access.tenant_name() };
        env.audit = ctx.auth.audit.records(tenant, WEIR_AUDIT_ROWS).await.map_err(crate::auth::AuthError::Store)?;
    }
    if rules.iter().any(|r| r.name.ends_with("_PRIVILEGES")) {
        env.privileges = privileges(ctx);
    }
    if rules.iter().any(|r| r.name == "JOBS") && may(&[Privilege::Process]) {
        env.jobs = jobs(ctx).await?;
    }
    if rules.iter().any(|r| r.name.starts_with("WEIR_JOB") || r.name == "WEIR_SAVEPOINTS") && may(&[Privilege::CreateJob, Privilege::OperateJob, Privilege::Process]) {
        let mut snapshot = ctx.jobs.snapshot().await?;
        // Another tenant's jobs are not listed.
        if !access.is_superuser() {
            snapshot.jobs.retain(|j| ctx.auth.owns(access, &j.created_by));
            let names: std::collections::HashSet<String> = snapshot.jobs.iter().map(|j| j.name.clone()).collect();
            snapshot.versions.retain(|v| names.contains(&v.job));
            snapshot.runs.retain(|r| names.contains(&r.job));
            snapshot.events.retain(|e| names.contains(&e.job));
            snapshot.savepoints.retain(|p| names.contains(&p.job));
        }
        env.managed = Some(snapshot);
    }
    if rules.iter().any(|r| r.name.starts_with("WEIR_SCHEDULE")) {
        env.schedule_runs = ctx.schedules.registry.runs(None).await?;
        env.schedule_tasks = ctx.schedules.registry.tasks(None, None).await?;
        // Another tenant's schedules are not listed.
        if !access.is_superuser() {
            let owned: std::collections::HashSet<String> =
                ctx.schedules.registry.all().await?.into_iter().filter(|r| ctx.auth.owns(access, &r.created_by)).map(|r| r.definition.name).collect();
            env.schedule_runs.retain(|r| owned.contains(&r.schedule));
            env.schedule_tasks.retain(|t| owned.contains(&t.schedule));
        }
    }
    if rules.iter().any(|r| r.name.ends_with("_LINEAGE")) {
        env.lineage = ctx.lineage.all().await?;
        // An edge that names a table the session may not see is not listed (the table does not
        // exist for it, nor its lineage).
        if !access.is_superuser() {
            let sees = |qualified: &str| match qualified.split('.').collect::<Vec<_>>().as_slice() {
                [] | [""] => true,
                [c, d, t] => access.sees_table(c, d, t),
                _ => false,
            };
            env.lineage.retain(|r| sees(&r.from_table) && sees(&r.to_table));
            // Nor one made by a job or datasync not of the session's names (another tenant's).
            let names = crate::auth::namespace::Namespace::of(access);
            env.lineage.retain(|r| names.sees_via(r.via_kind, &r.via));
        }
    }
    if rules.iter().any(|r| r.name == "WEIR_DATASYNC_TABLES") {
        env.datasync_tables = ctx.datasyncs.progress().await?;
        // Another tenant's datasyncs' tables are not listed.
        let names = crate::auth::namespace::Namespace::of(access);
        env.datasync_tables.retain(|t| names.holds(&t.datasync));
    }
    if rules.iter().any(|r| r.name == "WEIR_METRICS") {
        if ctx.metrics.is_on() {
            env.metrics = ctx.metrics.rows();
            // The series of another tenant's jobs and datasyncs, and of clusters the session
            // may not use, are not listed.
            if !access.is_superuser() {
                let names = crate::auth::namespace::Namespace::of(access);
                env.metrics.retain(|(_, labels, _)| {
                    crate::observe::metrics::label_values(labels).all(|(key, value)| match key {
                        "job" | "datasync" => names.holds(value),
                        "cluster" => access.may_use_cluster(value),
                        _ => true,
                    })
                });
            }
        } else {
            crate::diagnostics::add_warning(
                ctx.warnings,
                crate::protocol::codes::ER_FEATURE_DISABLED.number,
                "Weir's metrics are off: they are kept only with the HTTP listener that serves them ([server] http_listen = \"\" turns both off)",
            );
        }
    }
    if rules.iter().any(|r| r.name == "WEIR_ALERTS") && may(&[Privilege::AlertAdmin]) {
        env.alerts = ctx.alerts.registry.alerts(WEIR_ALERTS_ROWS).await?;
        // Another tenant's rules' alerts are not listed.
        if !access.is_superuser() {
            let owned: std::collections::HashSet<String> =
                ctx.alerts.registry.rules().await?.into_iter().filter(|r| ctx.auth.owns(access, &r.created_by)).map(|r| r.name).collect();
            env.alerts.retain(|a| owned.contains(&a.rule));
        }
    }
    if rules.iter().any(|r| r.name == "WEIR_CONNECTORS") {
        env.connectors = ctx.clusters.all().iter().flat_map(|c| c.connectors().into_iter().map(|v| (c.name().to_string(), v))).collect();
    }
    if rules.iter().any(|r| r.name == "FLINK_CLUSTERS") {
        for c in ctx.clusters.all() {
            env.clusters.push(c.describe().await);
        }
    }
    if rules.iter().any(|r| matches!(r.name, "SESSIONS" | "PROCESSLIST")) {
        env.sessions = ctx.processes.processes();
        // Without PROCESS, a session sees its account's connections only (as in MySQL).
        if !may(&[Privilege::Process]) {
            env.sessions.retain(|p| p.user == ctx.asker.user);
        }
    }
    if rules.iter().any(|r| r.name.ends_with("_VARIABLES")) {
        env.variables = VARIABLES.iter().map(|d| (d.name.to_string(), ctx.vars.show(d))).collect();
    }
    Ok(env)
}

/// The jobs of every cluster, from their JobManagers' `/jobs/overview`, asked together. A cluster
/// whose JobManager does not answer, or whose JobManager Weir does not know (an external cluster
/// without `jobmanager`), is left out with a warning naming it — except the session's own
/// cluster, which is then asked with Flink's `SHOW JOBS` (no end time, duration or tasks).
async fn jobs(ctx: &mut Context<'_>) -> Result<Vec<schema::JobRow>, WeirError> {
    // Only the clusters the session may use; on them, not another tenant's managed jobs.
    let access = ctx.access;
    let mut clusters = ctx.clusters.all();
    clusters.retain(|c| access.may_use_cluster(c.name()));
    let names = crate::auth::namespace::Namespace::of(access);
    let asked = futures::future::join_all(clusters.iter().map(|c| async move {
        match c.jobmanager() {
            Some(jm) => Some((jm.endpoint().to_string(), jm.jobs().await)),
            None => None,
        }
    }))
    .await;
    let session_cluster = ctx.flink.cluster().name().to_string();
    let mut rows = Vec::new();
    for (cluster, answer) in clusters.iter().zip(asked) {
        let name = cluster.name().to_string();
        match answer {
            Some((_, Ok(jobs))) => rows.extend(jobs.into_iter().map(|j| schema::JobRow {
                cluster: name.clone(),
                start_time: epoch_millis(j.start_time),
                end_time: epoch_millis(j.end_time),
                duration_ms: Some(j.duration),
                tasks: Some(j.tasks.total),
                id: j.jid,
                name: j.name,
                status: j.state,
            })),
            Some((endpoint, Err(e))) => {
                tracing::warn!(cluster = name, endpoint, error = %e, "JobManager did not answer; its jobs are not listed");
                crate::diagnostics::add_warning(
                    ctx.warnings,
                    crate::protocol::codes::ER_UNKNOWN_ERROR.number,
                    format!("Flink cluster '{name}': its JobManager at {endpoint} did not answer ({e}); its jobs are not listed"),
                );
            }
            None if name == session_cluster => {
                for r in source::text_rows(&ctx.flink.collect("SHOW JOBS").await?) {
                    let cell = |i: usize| r.get(i).cloned().flatten();
                    rows.push(schema::JobRow {
                        cluster: name.clone(),
                        id: cell(0).unwrap_or_default(),
                        name: cell(1).unwrap_or_default(),
                        status: cell(2).unwrap_or_default(),
                        start_time: cell(3).map(|t| t.replacen('T', " ", 1)),
                        ..Default::default()
                    });
                }
            }
            None => crate::diagnostics::add_warning(
                ctx.warnings,
                crate::protocol::codes::ER_UNKNOWN_ERROR.number,
                format!("Flink cluster '{name}': no JobManager REST URL is configured (`jobmanager`); its jobs are not listed"),
            ),
        }
    }
    rows.retain(|r| crate::jobs::managed_job_of(&r.name).is_none_or(|j| names.holds(j)));
    Ok(rows)
}

/// Milliseconds since the epoch as `YYYY-MM-DD HH:MM:SS.mmm` (UTC); negative (Flink's "not
/// yet") is `None`.
pub(crate) fn epoch_millis(ms: i64) -> Option<String> {
    if ms < 0 {
        return None;
    }
    chrono::DateTime::from_timestamp_millis(ms).map(|t| t.format("%Y-%m-%d %H:%M:%S%.3f").to_string())
}

/// The session's current database: Flink's (which `USE CATALOG` changes), else the one Weir
/// remembers.
async fn session_database(ctx: &mut Context<'_>) -> Result<String, WeirError> {
    match ctx.source().current_database().await {
        Ok(d) if !d.is_empty() => Ok(d),
        Ok(_) => ctx
            .database
            .map(str::to_string)
            .ok_or_else(|| crate::protocol::MySqlError::new(crate::protocol::codes::ER_NO_DB_ERROR, "No database selected").into()),
        Err(e) => Err(e),
    }
}

/// The database a table name means: its own, else the session's.
async fn database_of(ctx: &mut Context<'_>, table: &TableName) -> Result<String, WeirError> {
    match &table.database {
        Some(d) => Ok(d.clone()),
        None => session_database(ctx).await,
    }
}

/// SHOW CREATE TABLE/VIEW in MySQL's format, which SQLAlchemy's reflection parses: two-space
/// indented backquoted columns with MySQL types, `PRIMARY KEY (…)`, then the table options.
async fn show_create(ctx: &mut Context<'_>, table: &TableName, view: bool, flink: bool) -> Result<Response, WeirError> {
    let catalog = catalog_of(ctx, table.catalog.as_deref()).await?;
    let database = database_of(ctx, table).await?;
    if !database_exists(ctx, &catalog, &database).await? {
        return Err(WeirError::UnknownDatabase(database));
    }
    let Some(def) = ctx.source().definition(&catalog, &database, &table.table).await? else {
        return Err(WeirError::UnknownTable { database, table: table.table.clone() });
    };
    let path = format!(
        "{}.{}.{}",
        quote_ident(&catalog),
        quote_ident(&database),
        quote_ident(&def.name)
    );
    let is_view = def.kind == ObjectKind::View;
    // A view's definition needs SHOW VIEW on it, asked for as a view or as a table (MySQL's 1142).
    if is_view && !view && !ctx.access.may(crate::statement::privilege::Privilege::ShowView, &catalog, &database, Some(&def.name)) {
        return Err(ctx.access.table_denied(crate::statement::privilege::Privilege::ShowView, &def.name).into());
    }
    let flink_ddl = {
        let what = if is_view { "VIEW" } else { "TABLE" };
        let rows = source::text_rows(&ctx.flink.collect(&format!("SHOW CREATE {what} {path}")).await?);
        rows.into_iter().next().and_then(|r| r.into_iter().next().flatten()).unwrap_or_default()
    };
    if flink {
        let head = if is_view { "View" } else { "Table" };
        return table_response(LocalTable::text(&[head, &format!("Create {head}")], vec![vec![Some(def.name.clone()), Some(flink_ddl)]]));
    }
    if is_view {
        let body = view_body(&flink_ddl);
        let ddl = format!("CREATE ALGORITHM=UNDEFINED DEFINER=`root`@`%` SQL SECURITY DEFINER VIEW {} AS {body}", show::quote_ident(&def.name));
        return table_response(LocalTable::text(
            &["View", "Create View", "character_set_client", "collation_connection"],
            vec![vec![Some(def.name.clone()), Some(ddl), Some(schema::CHARSET.into()), Some(schema::COLLATION.into())]],
        ));
    }
    if view {
        // MySQL: SHOW CREATE VIEW of a base table.
        return Err(crate::protocol::MySqlError::new(crate::protocol::codes::ER_WRONG_OBJECT, format!("'{database}.{}' is not VIEW", def.name)).into());
    }
    let ddl = mysql_create_table(&def, table_comment(&flink_ddl).as_deref());
    table_response(LocalTable::text(&["Table", "Create Table"], vec![vec![Some(def.name.clone()), Some(ddl)]]))
}

/// `CREATE TABLE` in MySQL's own format.
pub fn mysql_create_table(def: &source::ObjectDef, comment: Option<&str>) -> String {
    let mut lines = Vec::new();
    for c in &def.columns {
        let t = types::from_flink(&c.flink_type);
        let mut line = format!("  {} {}", show::quote_ident(&c.name), t.column_type);
        if let Some(expr) = &c.generated {
            line.push_str(&format!(" GENERATED ALWAYS AS ({expr}) VIRTUAL"));
            if !c.nullable {
                line.push_str(" NOT NULL");
            }
        } else if !c.nullable {
            line.push_str(" NOT NULL");
        } else if t.data_type == "timestamp" {
            line.push_str(" NULL DEFAULT NULL");
        } else {
            line.push_str(" DEFAULT NULL");
        }
        if let Some(cm) = &c.comment {
            line.push_str(&format!(" COMMENT {}", show::quote_string(cm)));
        }
        lines.push(line);
    }
    if !def.primary_key.is_empty() {
        let cols: Vec<String> = def.primary_key.iter().map(|c| show::quote_ident(c)).collect();
        lines.push(format!("  PRIMARY KEY ({})", cols.join(",")));
    }
    let mut ddl = format!("CREATE TABLE {} (\n{}\n) ENGINE={} DEFAULT CHARSET={} COLLATE={}", show::quote_ident(&def.name), lines.join(",\n"), schema::ENGINE, schema::CHARSET, schema::COLLATION);
    if let Some(c) = comment {
        ddl.push_str(&format!(" COMMENT={}", show::quote_string(c)));
    }
    ddl
}

/// The table comment of Flink's `SHOW CREATE TABLE`, after the column list: `) COMMENT '…'`
/// (Flink 1.20) or `)` and `COMMENT '…'` on the next line (Flink 2.x).
pub(crate) fn table_comment(flink_ddl: &str) -> Option<String> {
    let (at, marker) = ["\n) COMMENT '", "\n)\nCOMMENT '"].iter().find_map(|m| flink_ddl.find(m).map(|at| (at, *m)))?;
    let rest = &flink_ddl[at + marker.len()..];
    let mut out = String::new();
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            if chars.peek() == Some(&'\'') {
                chars.next();
                out.push('\'');
                continue;
            }
            return Some(out);
        }
        out.push(c);
    }
    None
}

/// The query of Flink's `CREATE VIEW … AS <query>`: what follows the first `AS` between
/// blanks (Flink 1.20 prints `…(`a`, `b`) as` and a line break, Flink 2.x a line break and
/// `AS SELECT`; the query's own `AS`es come later).
pub(crate) fn view_body(flink_ddl: &str) -> String {
    let bytes = flink_ddl.as_bytes();
    let keyword = (1..bytes.len().saturating_sub(2)).find(|&i| {
        bytes[i..i + 2].eq_ignore_ascii_case(b"as")
            && (bytes[i - 1].is_ascii_whitespace() || bytes[i - 1] == b')')
            && bytes[i + 2].is_ascii_whitespace()
    });
    match keyword {
        Some(i) => flink_ddl[i + 2..].trim().to_string(),
        None => flink_ddl.to_string(),
    }
}

/// COM_FIELD_LIST: the columns of a table of the current database, typed as MySQL would.
pub async fn field_list(mut ctx: Context<'_>, table: &str) -> Result<SchemaRef, WeirError> {
    let database = database_of(&mut ctx, &TableName { catalog: None, database: None, table: table.to_string() }).await?;
    let catalog = ctx.source().current_catalog().await?;
    let Some(def) = ctx.source().definition(&catalog, &database, table).await? else {
        return Err(WeirError::UnknownTable { database, table: table.to_string() });
    };
    let fields: Vec<Field> = def
        .columns
        .iter()
        .map(|c| {
            let t = types::from_flink(&c.flink_type);
            let field = Field::new(&c.name, t.arrow(), c.nullable);
            // The protocol layer sizes text columns from Flink's length, as for Flink results.
            match t.char_max_length {
                Some(n) if t.is_text() && t.data_type != "longtext" => {
                    let mut md = std::collections::HashMap::from([("flink.length".to_string(), n.to_string())]);
                    if t.data_type == "char" {
                        md.insert("flink.type".to_string(), format!("CHAR({n})"));
                    }
                    field.with_metadata(md)
                }
                _ => field,
            }
        })
        .collect();
    Ok(Arc::new(Schema::new(fields)))
}

fn table_response(t: LocalTable) -> Result<Response, WeirError> {
    let (schema, batch) = t.into_batch()?;
    Ok(Response::Rows(Rows { schema, batches: Box::pin(stream::iter([Ok(batch)])) }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flink_tables_print_as_mysql_ddl_that_sqlalchemy_parses() {
        let def = source::ObjectDef {
            catalog: "default_catalog".into(),
            database: "shop".into(),
            name: "orders".into(),
            kind: ObjectKind::Table,
            columns: vec![
                source::ColumnDef { name: "id".into(), flink_type: "BIGINT NOT NULL".into(), nullable: false, comment: Some("the id".into()), generated: None },
                source::ColumnDef { name: "amount".into(), flink_type: "DECIMAL(10, 2)".into(), nullable: true, comment: None, generated: None },
                source::ColumnDef { name: "total".into(), flink_type: "DECIMAL(11, 2)".into(), nullable: true, comment: None, generated: Some("`amount` + 1".into()) },
            ],
            primary_key: vec!["id".into()],
            view_text: None,
            comment: None,
        };
        assert_eq!(
            mysql_create_table(&def, Some("it's orders")),
            "CREATE TABLE `orders` (\n  `id` bigint NOT NULL COMMENT 'the id',\n  `amount` decimal(10,2) DEFAULT NULL,\n  `total` decimal(11,2) GENERATED ALWAYS AS (`amount` + 1) VIRTUAL,\n  PRIMARY KEY (`id`)\n) ENGINE=Flink DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci COMMENT='it''s orders'"
        );
    }

    #[test]
    fn job_times_print_as_utc_datetimes() {
        assert_eq!(epoch_millis(1796342159480).as_deref(), Some("2026-12-03 23:55:59.480"));
        assert_eq!(epoch_millis(-1), None);
    }

    #[test]
    fn a_dotted_database_names_its_catalog() {
        assert_eq!(catalog_and_database("hive.sales"), (Some("hive"), "sales"));
        assert_eq!(catalog_and_database("sales"), (None, "sales"));
        assert_eq!(catalog_and_database(".x"), (None, ".x"));
    }

    #[test]
    fn comments_and_view_bodies_come_from_flinks_ddl() {
        let ddl = "CREATE TABLE `c`.`d`.`orders` (\n  `id` BIGINT\n) COMMENT 'orders ''table'''\nWITH (\n  'connector' = 'datagen'\n)\n";
        assert_eq!(table_comment(ddl).as_deref(), Some("orders 'table'"));
        let flink2 = "CREATE TABLE `c`.`d`.`o` (\n  `id` BIGINT NOT NULL\n)\nCOMMENT 'all orders'\nWITH (\n  'connector' = 'datagen'\n)\n";
        assert_eq!(table_comment(flink2).as_deref(), Some("all orders"));
        assert_eq!(table_comment("CREATE TABLE t (\n  a INT\n)\nWITH ()"), None);
        let view = "CREATE VIEW `c`.`d`.`v1`(`id`, `name`) as\nSELECT `orders`.`id`, `orders`.`name`\nFROM `c`.`d`.`orders`";
        assert_eq!(view_body(view), "SELECT `orders`.`id`, `orders`.`name`\nFROM `c`.`d`.`orders`");
        let flink2 = "CREATE VIEW `c`.`d`.`v2` (\n  `id`\n)\nAS SELECT `o`.`id`\nFROM `c`.`d`.`o` AS `o`\n";
        assert_eq!(view_body(flink2), "SELECT `o`.`id`\nFROM `c`.`d`.`o` AS `o`");
    }
}
