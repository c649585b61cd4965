//! The datasync statements. `CREATE DATASYNC` checks everything before it changes anything —
//! the catalogs, the cluster's connectors, the source's binlog, account and tables, the sink —
//! then records the datasync, creates the missing sink tables, and creates and starts its job; a
//! failure on the way removes what it recorded (sink tables it created stay, empty).

use std::collections::BTreeMap;
use std::sync::Arc;

use tracing::{info, warn};

use super::plan::{self, Endpoints, Options, Selection, SinkTarget};
use super::server::{Address, Server, ServerError};
use super::{Column, Datasync, DatasyncError, Datasyncs, Mode, SinkKind, SyncedTable, TableFilter};
use crate::catalog::store::now_ms;
use crate::catalog::{ObjectKey, Scope};
use crate::error::WeirError;
use crate::jobs::lifecycle::CreateJob;
use crate::jobs::JobState;
use crate::statement::StartFrom;
use crate::routing::{Cluster, FlinkBinding};

/// A `CREATE DATASYNC` statement with its session's context.
pub struct CreateDatasync<'a> {
    pub name: &'a str,
    pub if_not_exists: bool,
    /// The statement as written.
    pub statement: &'a str,
    pub source: (&'a str, &'a str),
    pub sink: (&'a str, &'a str),
    pub filter: TableFilter,
    pub exclude: Vec<String>,
    pub mode: Mode,
    pub options: &'a [(String, String)],
    pub user: &'a str,
    pub session_cluster: &'a str,
}

/// What `CREATE DATASYNC` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Created {
    /// Created and started; notes for the client (e.g. that it runs on another cluster).
    Started { flink_job_id: String, tables: usize, notes: Vec<String> },
    AlreadyExisted,
}

/// How a datasync's job reaches its servers.
pub(crate) struct Wiring {
    pub source: Address,
    pub source_mariadb: bool,
    pub time_zone: String,
    /// The JDBC sink's server (none: Paimon).
    pub sink: Option<Address>,
    pub sink_mariadb: bool,
}

/// One source table as a datasync copies it: its columns with their Flink types, its key (the
/// primary key, or the one the options declare), its rows now.
pub(crate) async fn describe_table(src: &mut Server, catalog: &str, database: &str, name: &str, datasync: &str, o: &Options, mode: Mode) -> Result<SyncedTable, WeirError> {
    let addr = src.address.clone();
    let serr = |e: ServerError| source_error(catalog, &addr, e);
    if !src.can_select(database, name).await.map_err(serr)? {
        let account = src.current_user().await.unwrap_or_else(|_| format!("'{}'", addr.user));
        return Err(DatasyncError::Privileges { account, missing: format!("SELECT on '{database}.{name}'") }.into());
    }
    let server_columns = src.columns(database, name).await.map_err(serr)?;
    let mut columns = Vec::new();
    for col in server_columns {
        let flink_type = plan::flink_type(&col.column_type).map_err(|why| DatasyncError::Type {
            table: name.to_string(),
            column: col.name.clone(),
            source_type: col.column_type.clone(),
            why,
        })?;
        columns.push(Column { name: col.name, source_type: col.column_type, flink_type, nullable: col.nullable, default: col.default });
    }
    let mut key = src.primary_key(database, name).await.map_err(serr)?;
    if let Some(declared) = o.keys.get(name) {
        for k in declared {
            if !columns.iter().any(|col| &col.name == k) {
                return Err(DatasyncError::Option { name: datasync.to_string(), message: format!("'table.{name}.key' names column '{k}', which '{name}' does not have") }.into());
            }
        }
        key = declared.clone();
    }
    if key.is_empty() && mode == Mode::Cdc {
        return Err(DatasyncError::NoPrimaryKey { database: database.to_string(), table: name.to_string() }.into());
    }
    let rows = src.row_count(database, name).await.map_err(serr)?;
    Ok(SyncedTable { source: name.to_string(), sink: name.to_string(), key, columns, server_ids: String::new(), rows_at_creation: rows, job: String::new() })
}

/// One row of `SHOW DATASYNCS`.
#[derive(Debug, Clone)]
pub struct Listed {
    pub datasync: Datasync,
    pub state: Option<JobState>,
}

/// The options of a recorded catalog's `CREATE CATALOG`, and its type.
pub(crate) fn catalog_options(jobs_store: &crate::catalog::CatalogStore, catalog: &str) -> Result<BTreeMap<String, String>, WeirError> {
    let object = jobs_store.get(&ObjectKey::catalog(catalog)).ok_or_else(|| WeirError::UnknownCatalog(catalog.to_string()))?;
    let ddl = object.ddl.first().map(String::as_str).unwrap_or("");
    Ok(crate::statement::ddl::with_options(ddl).into_iter().collect())
}

pub(crate) fn source_error(catalog: &str, address: &Address, e: ServerError) -> DatasyncError {
    DatasyncError::Source { catalog: catalog.to_string(), address: address.display(), code: e.code, message: e.message }
}

pub(crate) fn sink_error(catalog: &str, address: &Address, e: ServerError) -> DatasyncError {
    DatasyncError::Sink { catalog: catalog.to_string(), address: address.display(), code: e.code, message: e.message }
}

/// The connectors a datasync's job needs on its cluster.
fn needed(mode: Mode, sink: SinkKind) -> Vec<&'static str> {
    let mut v = vec![match mode {
        Mode::Cdc => "mysql-cdc",
        Mode::Snapshot => "jdbc",
    }];
    let s = match sink {
        SinkKind::Jdbc => "jdbc",
        SinkKind::Paimon => "paimon",
    };
    if !v.contains(&s) {
        v.push(s);
    }
    v
}

/// Whether a cluster has the connectors (`None`: an external cluster, whose set Weir does not know).
fn has_connectors(c: &Cluster, names: &[&str]) -> Option<bool> {
    if !c.managed() {
        return None;
    }
    let set = c.connectors();
    Some(names.iter().all(|n| set.iter().any(|v| v.connector == *n)))
}

impl Datasyncs {
    /// The cluster the job runs on: the one the options name, else the session's when it has the
    /// connectors, else the first that has them (with a note).
    fn choose_cluster(&self, o: &Options, session_cluster: &str, needs: &[&str], notes: &mut Vec<String>) -> Result<String, WeirError> {
        let clusters = &self.jobs.clusters;
        let lacks = |c: &Cluster| has_connectors(c, needs) == Some(false);
        if let Some(name) = &o.cluster {
            let c = clusters.get(name).ok_or_else(|| WeirError::UnknownCluster(name.clone()))?;
            if lacks(&c) {
                return Err(DatasyncError::Connector(format!("Flink cluster '{name}' has no {} connector (its set: SHOW CONNECTORS)", needs.join(" + "))).into());
            }
            return Ok(name.clone());
        }
        if let Some(c) = clusters.get(session_cluster)
            && !lacks(&c)
        {
            return Ok(session_cluster.to_string());
        }
        match clusters.all().into_iter().find(|c| has_connectors(c, needs) == Some(true)) {
            Some(c) => {
                notes.push(format!(
                    "Datasync runs on Flink cluster '{}': this session's cluster '{session_cluster}' has no {} connector",
                    c.name(),
                    needs.join(" + ")
                ));
                Ok(c.name().to_string())
            }
            None => Err(DatasyncError::Connector(format!(
                "No Flink cluster has the {} connector a {} datasync needs (this session's cluster '{session_cluster}' lacks it; see SHOW CONNECTORS)",
                needs.join(" + "),
                if needs.contains(&"mysql-cdc") { "CDC" } else { "SNAPSHOT" }
            ))
            .into()),
        }
    }

    pub async fn create(&self, c: CreateDatasync<'_>) -> Result<Created, WeirError> {
        if self.registry.get(c.name).await?.is_some() {
            return if c.if_not_exists { Ok(Created::AlreadyExisted) } else { Err(DatasyncError::Exists(c.name.to_string()).into()) };
        }
        if self.jobs.registry.get(c.name).await?.is_some() {
            return Err(DatasyncError::JobNameTaken { name: c.name.to_string() }.into());
        }
        let o = plan::options(c.name, c.options)?;
        let (source_catalog, source_db) = c.source;
        let (sink_catalog, sink_db) = c.sink;

        // The catalogs.
        let src_opts = catalog_options(&self.jobs.store, source_catalog)?;
        let src_type = src_opts.get("type").cloned().unwrap_or_default();
        if !src_type.eq_ignore_ascii_case("jdbc") {
            return Err(DatasyncError::Catalog {
                catalog: source_catalog.to_string(),
                role: "source",
                why: format!("it is a '{src_type}' catalog; a datasync reads a MySQL/MariaDB database through a JDBC catalog ('type' = 'jdbc')"),
            }
            .into());
        }
        let src_addr = Address::of_catalog(&src_opts).map_err(|why| DatasyncError::Catalog { catalog: source_catalog.to_string(), role: "source", why })?;
        let sink_opts = catalog_options(&self.jobs.store, sink_catalog)?;
        let sink_type = sink_opts.get("type").cloned().unwrap_or_default();
        let sink_kind = plan::sink_kind(&sink_type).ok_or_else(|| DatasyncError::Catalog {
            catalog: sink_catalog.to_string(),
            role: "sink",
            why: format!("it is a '{sink_type}' catalog; a datasync writes to a JDBC (MySQL/MariaDB) or a Paimon catalog"),
        })?;
        let sink_addr = match sink_kind {
            SinkKind::Jdbc => Some(Address::of_catalog(&sink_opts).map_err(|why| DatasyncError::Catalog { catalog: sink_catalog.to_string(), role: "sink", why })?),
            SinkKind::Paimon => None,
        };
        if c.mode == Mode::Cdc && source_catalog == sink_catalog && source_db == sink_db {
            return Err(DatasyncError::Catalog { catalog: sink_catalog.to_string(), role: "sink", why: format!("it is the source database '{source_db}' itself") }.into());
        }

        // The cluster.
        let mut notes = Vec::new();
        let cluster = self.choose_cluster(&o, c.session_cluster, &needed(c.mode, sink_kind), &mut notes)?;

        // The source.
        let mut src = Server::connect(&src_addr).await.map_err(|e| source_error(source_catalog, &src_addr, e))?;
        let r = self.read_source(&mut src, source_catalog, source_db, &c, &o).await;
        let time_zone = src.time_zone().await.unwrap_or_else(|_| "UTC".to_string());
        let source_mariadb = src.mariadb;
        src.close().await;
        let mut tables = r?;

        // The sink: no table written twice.
        let others = self.registry.all().await?;
        for t in &mut tables {
            t.sink = plan::sink_name(&o, &t.source);
        }
        for other in &others {
            if other.sink_catalog == sink_catalog && other.sink_database == sink_db {
                for t in &tables {
                    if other.tables.iter().any(|x| x.sink.eq_ignore_ascii_case(&t.sink)) {
                        return Err(DatasyncError::SinkTaken {
                            catalog: sink_catalog.to_string(),
                            database: sink_db.to_string(),
                            table: t.sink.clone(),
                            other: other.name.clone(),
                        }
                        .into());
                    }
                }
            }
        }
        let block = plan::server_id_block(&o, tables.len(), &others);
        let need = u32::try_from(tables.len()).unwrap_or(u32::MAX).saturating_mul(o.parallelism);
        if block.1 - block.0 + 1 < need {
            return Err(DatasyncError::Option {
                name: c.name.to_string(),
                message: format!("'server-id' {}-{} has {} ids; {} tables read with parallelism {} need {need}", block.0, block.1, block.1 - block.0 + 1, tables.len(), o.parallelism),
            }
            .into());
        }
        for (i, t) in tables.iter_mut().enumerate() {
            t.server_ids = plan::server_ids_of(block.0, i, o.parallelism);
        }
        let mut sink_server = match &sink_addr {
            Some(a) => {
                let mut s = Server::connect(a).await.map_err(|e| sink_error(sink_catalog, a, e))?;
                if !s.database_exists(sink_db).await.map_err(|e| sink_error(sink_catalog, a, e))? {
                    s.close().await;
                    return Err(sink_error(sink_catalog, a, ServerError { code: 1049, message: format!("Unknown database '{sink_db}'") }).into());
                }
                Some(s)
            }
            None => None,
        };

        let d = Datasync {
            name: c.name.to_string(),
            statement: c.statement.to_string(),
            source_catalog: source_catalog.to_string(),
            source_database: source_db.to_string(),
            sink_catalog: sink_catalog.to_string(),
            sink_database: sink_db.to_string(),
            sink_kind,
            mode: c.mode,
            filter: c.filter.clone(),
            exclude: c.exclude.clone(),
            options: c.options.to_vec(),
            tables,
            server_ids: block,
            cluster: cluster.clone(),
            created_by: c.user.to_string(),
            created_at: now_ms(),
            skipped: Vec::new(),
        };
        match self.registry.insert(&d).await {
            Ok(()) => {}
            Err(DatasyncError::Exists(_)) if c.if_not_exists => return Ok(Created::AlreadyExisted),
            Err(e) => return Err(e.into()),
        }

        // From here on a failure removes the record.
        let result = self.build(&d, &o, &src_addr, source_mariadb, &time_zone, sink_addr.as_ref(), sink_server.as_mut()).await;
        if let Some(s) = sink_server {
            s.close().await;
        }
        match result {
            Ok(flink_job_id) => {
                info!(datasync = c.name, tables = d.tables.len(), cluster = %cluster, "datasync created and started");
                Ok(Created::Started { flink_job_id, tables: d.tables.len(), notes })
            }
            Err(e) => {
                warn!(datasync = c.name, error = %e, "datasync not created");
                let _ = self.jobs.drop_job(c.name, true).await;
                let _ = self.registry.delete(c.name).await;
                Err(e)
            }
        }
    }

    /// The source's tables, columns and keys, and (CDC) whether its binlog and account serve.
    async fn read_source(&self, src: &mut Server, catalog: &str, database: &str, c: &CreateDatasync<'_>, o: &Options) -> Result<Vec<SyncedTable>, WeirError> {
        let addr = src.address.clone();
        let serr = |e: ServerError| source_error(catalog, &addr, e);
        if !src.database_exists(database).await.map_err(serr)? {
            return Err(serr(ServerError { code: 1049, message: format!("Unknown database '{database}'") }).into());
        }
        let all = src.tables(database).await.map_err(serr)?;
        let chosen = plan::select(&all, &c.filter, &c.exclude).map_err(|e| match e {
            Selection::Missing(t) => DatasyncError::UnknownTable { catalog: catalog.to_string(), database: database.to_string(), table: t },
            Selection::Empty => DatasyncError::NoTables { catalog: catalog.to_string(), database: database.to_string(), filter: plan::filter_text(&c.filter) },
        })?;
        for declared in o.keys.keys() {
            if !chosen.iter().any(|t| t == declared) {
                return Err(DatasyncError::Option { name: c.name.to_string(), message: format!("'table.{declared}.key' names a table the datasync does not take") }.into());
            }
        }
        if c.mode == Mode::Cdc {
            let gaps = src.binlog_gaps().await.map_err(serr)?;
            if !gaps.is_empty() {
                return Err(DatasyncError::Binlog { catalog: catalog.to_string(), address: addr.display(), missing: gaps.join("; ") }.into());
            }
            let missing = src.privilege_gaps().await.map_err(serr)?;
            if !missing.is_empty() {
                let account = src.current_user().await.unwrap_or_else(|_| format!("'{}'", addr.user));
                return Err(DatasyncError::Privileges { account, missing: missing.join(", ") }.into());
            }
        }
        let mut tables = Vec::new();
        for name in chosen {
            tables.push(describe_table(src, catalog, database, &name, c.name, o, c.mode).await?);
        }
        Ok(tables)
    }

    /// Creates the sink tables and the job, and starts it; the Flink job id.
    #[allow(clippy::too_many_arguments)]
    async fn build(
        &self,
        d: &Datasync,
        o: &Options,
        source: &Address,
        source_mariadb: bool,
        time_zone: &str,
        sink_addr: Option<&Address>,
        sink_server: Option<&mut Server>,
    ) -> Result<String, WeirError> {
        let wiring = Wiring {
            source: source.clone(),
            source_mariadb,
            time_zone: time_zone.to_string(),
            sink: sink_addr.cloned(),
            sink_mariadb: sink_server.as_ref().is_some_and(|s| s.mariadb),
        };
        self.create_sink_tables(d, o, &d.tables, sink_server).await?;
        self.create_job(d, o, &d.name, &d.tables, &wiring).await
    }

    /// Creates missing sink tables: in the JDBC sink's database, or through Flink in Paimon.
    pub(crate) async fn create_sink_tables(&self, d: &Datasync, o: &Options, tables: &[SyncedTable], sink_server: Option<&mut Server>) -> Result<(), WeirError> {
        match (d.sink_kind, sink_server) {
            (SinkKind::Jdbc, Some(server)) => {
                for t in tables {
                    let address = server.address.clone();
                    server.create_sink_table(&d.sink_database, t).await.map_err(|e| sink_error(&d.sink_catalog, &address, e))?;
                }
                Ok(())
            }
            (SinkKind::Jdbc, None) => Err(DatasyncError::Store("a JDBC sink without its server".into()).into()),
            (SinkKind::Paimon, _) => {
                let cluster = self.jobs.cluster(&d.cluster)?;
                let ddl: Vec<String> = tables.iter().map(|t| plan::paimon_table_ddl(d, o, t)).collect();
                self.run_on_cluster(cluster, &d.name, &format!("CREATE DATABASE IF NOT EXISTS {}.{}", crate::catalog::quote(&d.sink_catalog), crate::catalog::quote(&d.sink_database)), &ddl).await
            }
        }
    }

    /// The Flink SQL of the job copying `tables`.
    pub(crate) fn script(d: &Datasync, o: &Options, tables: &[SyncedTable], w: &Wiring) -> String {
        let part = Datasync { tables: tables.to_vec(), ..d.clone() };
        let sink = match &w.sink {
            Some(address) => SinkTarget::Jdbc { address, mariadb: w.sink_mariadb },
            None => SinkTarget::Paimon,
        };
        plan::job_script(&part, o, &Endpoints { source: &w.source, source_mariadb: w.source_mariadb, source_time_zone: &w.time_zone, sink })
    }

    /// Creates and starts the managed job `job` copying `tables`; the Flink job id.
    pub(crate) async fn create_job(&self, d: &Datasync, o: &Options, job: &str, tables: &[SyncedTable], w: &Wiring) -> Result<String, WeirError> {
        let script = Self::script(d, o, tables, w);
        let options = plan::job_options(d, o);
        let comment = format!("datasync {}: {}.{} -> {}.{}", d.name, d.source_catalog, d.source_database, d.sink_catalog, d.sink_database);
        self.jobs
            .create(CreateJob {
                name: job,
                if_not_exists: false,
                comment: Some(&comment),
                options: &options,
                body: &script,
                scope: Scope { catalog: crate::catalog::DEFAULT_CATALOG.to_string(), database: "default_database".to_string() },
                jars: &[],
                user: &d.created_by,
                session_cluster: &d.cluster,
            })
            .await?;
        let started = self.jobs.start(job, &StartFrom::LatestState).await?;
        Ok(started.flink_job_id)
    }

    /// How a datasync's job reaches its servers now (from its catalogs, as recorded).
    pub(crate) async fn wiring(&self, d: &Datasync) -> Result<(Wiring, Server, Option<Server>), WeirError> {
        let src_opts = catalog_options(&self.jobs.store, &d.source_catalog)?;
        let source = Address::of_catalog(&src_opts).map_err(|why| DatasyncError::Catalog { catalog: d.source_catalog.clone(), role: "source", why })?;
        let mut src = Server::connect(&source).await.map_err(|e| source_error(&d.source_catalog, &source, e))?;
        let time_zone = src.time_zone().await.unwrap_or_else(|_| "UTC".to_string());
        let (sink, sink_server) = match d.sink_kind {
            SinkKind::Jdbc => {
                let opts = catalog_options(&self.jobs.store, &d.sink_catalog)?;
                let a = Address::of_catalog(&opts).map_err(|why| DatasyncError::Catalog { catalog: d.sink_catalog.clone(), role: "sink", why })?;
                let server = Server::connect(&a).await.map_err(|e| sink_error(&d.sink_catalog, &a, e))?;
                (Some(a), Some(server))
            }
            SinkKind::Paimon => (None, None),
        };
        let w = Wiring { source, source_mariadb: src.mariadb, time_zone, sink, sink_mariadb: sink_server.as_ref().is_some_and(|s| s.mariadb) };
        Ok((w, src, sink_server))
    }

    /// Runs DDL through a Flink session of Weir's own on the cluster.
    pub(crate) async fn run_on_cluster(&self, cluster: Arc<Cluster>, owner: &str, first: &str, rest: &[String]) -> Result<(), WeirError> {
        let mut b = FlinkBinding::new(cluster, BTreeMap::new(), self.jobs.store.clone(), self.jobs.cluster_wait, format!("weir-datasync-{owner}"));
        let mut r = b.collect(first).await.map(|_| ());
        for statement in rest {
            if r.is_err() {
                break;
            }
            r = b.collect(statement).await.map(|_| ());
        }
        b.close().await;
        r
    }

    /// `DROP DATASYNC`: stops its job (without a savepoint), drops it, forgets the datasync; the
    /// sink tables stay. Whether it was there.
    pub async fn drop_datasync(&self, name: &str, if_exists: bool) -> Result<bool, WeirError> {
        if self.registry.get(name).await?.is_none() {
            return if if_exists { Ok(false) } else { Err(DatasyncError::Unknown(name.to_string()).into()) };
        }
        let jobs = self.registry.get(name).await?.map(|d| d.jobs()).unwrap_or_default();
        for job_name in &jobs {
            if let Some(job) = self.jobs.registry.get(job_name).await?
                && (JobState::ACTIVE.contains(&job.state) || job.state == JobState::Stopping)
            {
                self.jobs.stop(job_name, false, false).await?;
            }
            self.jobs.drop_job(job_name, true).await?;
        }
        self.registry.delete(name).await?;
        info!(datasync = name, "datasync dropped");
        Ok(true)
    }

    /// `SHOW CREATE TABLE catalog.database.table FOR FLINK AS …`: the table's Flink DDL from the
    /// MySQL/MariaDB server's own information_schema (exact types, key), with a note per column
    /// whose type changes meaning; the password masked.
    pub async fn flink_ddl(&self, catalog: &str, database: &str, table: &str, connector: crate::statement::FlinkDdlFor) -> Result<(String, Vec<String>), WeirError> {
        let opts = catalog_options(&self.jobs.store, catalog)?;
        if !opts.get("type").is_some_and(|t| t.eq_ignore_ascii_case("jdbc")) {
            return Err(DatasyncError::Catalog {
                catalog: catalog.to_string(),
                role: "source",
                why: "SHOW CREATE TABLE … FOR FLINK AS reads a MySQL/MariaDB server behind a JDBC catalog ('type' = 'jdbc')".into(),
            }
            .into());
        }
        let address = Address::of_catalog(&opts).map_err(|why| DatasyncError::Catalog { catalog: catalog.to_string(), role: "source", why })?;
        let mut src = Server::connect(&address).await.map_err(|e| source_error(catalog, &address, e))?;
        let r = async {
            let cols = src.columns(database, table).await.map_err(|e| source_error(catalog, &address, e))?;
            if cols.is_empty() {
                return Err(WeirError::UnknownTable { database: database.to_string(), table: table.to_string() });
            }
            let key = src.primary_key(database, table).await.map_err(|e| source_error(catalog, &address, e))?;
            let time_zone = src.time_zone().await.unwrap_or_else(|_| "UTC".to_string());
            let mut notes = Vec::new();
            let mut columns = Vec::new();
            for c in cols {
                let (flink_type, note) = plan::flink_type_noted(&c.column_type).map_err(|why| DatasyncError::Type {
                    table: table.to_string(),
                    column: c.name.clone(),
                    source_type: c.column_type.clone(),
                    why,
                })?;
                if let Some(n) = note {
                    notes.push(format!("Column '{}' ({}): {n}", c.name, c.column_type));
                }
                columns.push(Column { name: c.name, source_type: c.column_type, flink_type, nullable: c.nullable, default: c.default });
            }
            if key.is_empty() && connector != crate::statement::FlinkDdlFor::Jdbc {
                notes.push(format!("Table '{database}.{table}' has no primary key: the DDL declares none (CDC reads it only with a declared key; Paimon makes it an append table)"));
            }
            let t = SyncedTable { source: table.to_string(), sink: table.to_string(), key, columns, server_ids: String::new(), rows_at_creation: 0, job: String::new() };
            let ddl = plan::table_ddl(&t, database, &address, src.mariadb, &time_zone, connector);
            Ok((crate::statement::secrets::mask(&ddl).into_owned(), notes))
        }
        .await;
        src.close().await;
        r
    }

    /// The datasync a job runs, if any.
    pub async fn datasync_of_job(&self, job: &str) -> Result<Option<String>, WeirError> {
        Ok(self.registry.all().await?.into_iter().find(|d| d.jobs().iter().any(|j| j == job)).map(|d| d.name))
    }

    /// Every datasync with its job's state.
    pub async fn list(&self) -> Result<Vec<Listed>, WeirError> {
        let mut out = Vec::new();
        for d in self.registry.all().await? {
            let state = self.jobs.registry.get(&d.name).await?.map(|j| j.state);
            out.push(Listed { datasync: d, state });
        }
        Ok(out)
    }

    /// `SHOW CREATE DATASYNC`: the statement and the Flink SQL of its job's current version,
    /// secrets masked.
    pub async fn show_create(&self, name: &str) -> Result<(String, String), WeirError> {
        let d = self.registry.get(name).await?.ok_or_else(|| DatasyncError::Unknown(name.to_string()))?;
        let flink = match self.jobs.show_create(name, None).await {
            Ok((_, text)) => text,
            Err(_) => String::new(),
        };
        Ok((d.statement, crate::statement::secrets::mask(&flink).into_owned()))
    }

    /// Every synced table's progress (WEIR_DATASYNC_TABLES).
    pub async fn progress(&self) -> Result<Vec<super::progress::TableProgress>, WeirError> {
        let mut out = Vec::new();
        for d in self.registry.all().await? {
            for job_name in d.jobs() {
                let job = self.jobs.registry.get(&job_name).await?;
                let jm = job.as_ref().and_then(|j| self.jobs.clusters.get(&j.cluster)).and_then(|c| c.jobmanager().cloned());
                let part = Datasync { tables: d.tables.iter().filter(|t| d.job_of(t) == job_name).cloned().collect(), ..d.clone() };
                out.extend(super::progress::of(&part, job.as_ref(), jm.as_ref(), &self.registry).await);
            }
        }
        Ok(out)
    }
}
