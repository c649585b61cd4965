//! A session's binding to its Flink: the Flink session opened lazily on the session's cluster
//! (from the cluster's pool when it has one), the Flink options, catalog and database it carries
//! (replayed when the Flink session must be reopened), and how a Flink statement runs: its
//! version check, materialization ([`super::materialize`]), its changelog mode (learned once
//! per text), and its answer: OK for DDL and SET, OK with the job id for a submitted job, rows
//! for queries ([`super::results`]).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use arrow_array::{RecordBatch, StringArray};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use tracing::{debug, info};
use weir_dialects::literal;
use weir_drivers::gateway::{FlinkSession, GatewayError, ResultKind, ResultListener, StatementResult};

use super::clusters::Cluster;
use super::results::{Limits, plan_is_changelog, result_rows, text_rows};
use crate::catalog::{self, CatalogStore, ObjectKey, ObjectKind, Scope};
use crate::diagnostics::Warnings;
use crate::error::WeirError;
use crate::protocol::{MySqlError, OkResponse, Response, codes};
use crate::statement::classify::classify_flink;
use crate::statement::{FlinkKind, FlinkStatement};
use crate::variables::SessionVars;

/// Flink's default database, which every session starts in.
pub const DEFAULT_DATABASE: &str = "default_database";

const RUNTIME_MODE: &str = "execution.runtime-mode";
const PARALLELISM: &str = "parallelism.default";
const HEARTBEAT_EVERY: Duration = Duration::from_secs(60);
/// Most query texts whose changelog mode a binding remembers.
const CHANGELOG_MODES_KEPT: usize = 256;

pub struct FlinkBinding {
    cluster: Arc<Cluster>,
    /// The catalog of record, whose objects statements materialize.
    pub(super) store: Arc<CatalogStore>,
    /// How long a statement waits for a starting cluster.
    cluster_wait: Duration,
    /// The Flink session's name on the gateway (`weir-<user>-<connection id>`).
    owner: String,
    /// Options from the config (server defaults and the user's), sent when the session opens.
    base_options: BTreeMap<String, String>,
    /// `SET 'k' = 'v'` done in this session, replayed when the Flink session is reopened.
    set_options: BTreeMap<String, String>,
    session: Option<FlinkSession>,
    heartbeat: Option<JoinHandle<()>>,
    database: Option<String>,
    /// The current catalog (`USE CATALOG`), replayed like the database.
    catalog: String,
    /// `ADD JAR` done in this session (and not removed), replayed when the Flink session is
    /// reopened, in order.
    jars: Vec<String>,
    /// `BEGIN STATEMENT SET` was accepted and its `END` not yet.
    statement_set_open: bool,
    /// Recorded catalog objects created in the current Flink session, with the version created.
    pub(super) materialized: Materialized,
    /// The catalog store generation `materialized` was last checked against.
    pub(super) seen_generation: i64,
    /// The last [`Self::stale_objects`] answer, by store generation and materialized revision
    /// (metadata queries ask it every time; a session that created thousands of objects should
    /// not compare them all with the store on each).
    pub(super) stale_cache: Option<((i64, u64), Vec<ObjectKey>)>,
    /// A statement of Weir's own (metadata reads): Flink listings are not completed with every
    /// recorded object, since the metadata layer merges those from the store itself.
    pub(super) internal: bool,
    /// Whether a streaming query's result is a changelog, by query text, as learned from its plan
    /// (forgotten when the catalogs may have changed, and with the Flink session).
    changelog_modes: HashMap<String, bool>,
    /// The result columns of prepared query texts, as Flink described them (`None`: not knowable
    /// before the query runs); forgotten like `changelog_modes`.
    pub(super) shapes: HashMap<String, Option<arrow_schema::SchemaRef>>,
}

impl FlinkBinding {
    /// A binding of the session `owner` to `cluster`, opened on its first statement.
    pub fn new(cluster: Arc<Cluster>, base_options: BTreeMap<String, String>, store: Arc<CatalogStore>, cluster_wait: Duration, owner: String) -> Self {
        Self {
            cluster,
            store,
            cluster_wait,
            owner,
            base_options,
            set_options: BTreeMap::new(),
            session: None,
            heartbeat: None,
            database: None,
            catalog: catalog::DEFAULT_CATALOG.to_string(),
            jars: Vec::new(),
            statement_set_open: false,
            materialized: Materialized::default(),
            seen_generation: -1,
            stale_cache: None,
            internal: false,
            changelog_modes: HashMap::new(),
            shapes: HashMap::new(),
        }
    }

    /// The current catalog and database, against which partial names resolve.
    pub fn scope(&self) -> Scope {
        Scope { catalog: self.catalog.clone(), database: self.database.clone().unwrap_or_else(|| DEFAULT_DATABASE.to_string()) }
    }

    pub fn cluster(&self) -> &Arc<Cluster> {
        &self.cluster
    }

    pub fn statement_set_open(&self) -> bool {
        self.statement_set_open
    }

    /// Moves the session to another cluster: the Flink session there is opened on the next
    /// statement, with this session's SET options and current database replayed. TEMPORARY
    /// objects stay behind with the old Flink session.
    pub async fn switch(&mut self, to: Arc<Cluster>) {
        self.close().await;
        self.cluster = to;
    }

    pub(super) fn runtime_mode(&self) -> String {
        self.set_options
            .get(RUNTIME_MODE)
            .or_else(|| self.base_options.get(RUNTIME_MODE))
            .cloned()
            .unwrap_or_else(|| "streaming".to_string())
            .to_ascii_lowercase()
    }

    pub(super) fn gateway_err(&self, source: GatewayError) -> WeirError {
        WeirError::Gateway { cluster: self.cluster.name().to_string(), source }
    }

    /// The open Flink session, opening one (and replaying this session's state) when needed.
    pub(super) async fn session(&mut self) -> Result<FlinkSession, WeirError> {
        if let Some(s) = &self.session {
            return Ok(s.clone());
        }
        let client = self.cluster.client(self.cluster_wait).await?;
        let mut props = self.base_options.clone();
        props.extend(self.set_options.clone());
        let mut replay: Vec<String> = Vec::new();
        let session = match self.cluster.take_pooled() {
            // A pre-opened session: this session's options are applied with SET.
            Some(pooled) => {
                replay.extend(props.iter().map(|(k, v)| format!("SET {} = {}", literal::quote(k), literal::quote(v))));
                pooled
            }
            None => {
                client.open_session(Some(&self.owner), &props).await.map_err(|e| self.gateway_err(e))?
            }
        };
        debug!(handle = session.handle(), cluster = self.cluster.name(), "Flink session bound");
        self.materialized.clear();
        self.changelog_modes.clear();
        self.shapes.clear();
        // Jars before the catalog and database: recorded functions may need their classes.
        replay.extend(self.jars.iter().map(|j| format!("ADD JAR {}", literal::quote(j))));
        let mut uses = Vec::new();
        let mut names = Vec::new();
        if self.catalog != catalog::DEFAULT_CATALOG {
            uses.push(format!("USE CATALOG {}", quote_ident(&self.catalog)));
            names.push(vec![self.catalog.clone()]);
        }
        if let Some(db) = self.database.clone() {
            uses.push(format!("USE {}", quote_ident(&db)));
            names.push(vec![db]);
        }
        if !uses.is_empty() {
            let scope = self.scope();
            let needed = self.store.needed(&names, &scope);
            if let Err(e) = self.create_objects(&session, &needed).await {
                let _ = session.close().await;
                return Err(e);
            }
            replay.extend(uses);
        }
        let none = BTreeMap::new();
        for statement in replay {
            match session.execute(&statement, &none).await {
                Ok(r) => {
                    let _ = r.rows.close().await;
                }
                Err(e) => {
                    let _ = session.close().await;
                    return Err(self.gateway_err(e));
                }
            }
        }
        let hb = session.clone();
        self.heartbeat = Some(tokio::spawn(async move {
            loop {
                tokio::time::sleep(HEARTBEAT_EVERY).await;
                if let Err(e) = hb.heartbeat().await {
                    debug!(error = %e, "Flink session heartbeat failed");
                }
            }
        }));
        self.session = Some(session.clone());
        self.cluster.session_opened();
        Ok(session)
    }

    /// Forgets the Flink session (without closing it on the gateway) and what it had materialized.
    fn drop_session(&mut self) -> Option<FlinkSession> {
        if let Some(h) = self.heartbeat.take() {
            h.abort();
        }
        let s = self.session.take();
        if s.is_some() {
            self.cluster.session_closed();
        }
        self.materialized.clear();
        s
    }

    /// Executes a statement, reopening the Flink session once if the gateway lost it (restart,
    /// expiry): nothing ran in a session that did not exist.
    pub(super) async fn execute(&mut self, sql: &str, statement: &FlinkStatement, token: &CancellationToken) -> Result<StatementResult, WeirError> {
        self.execute_with(sql, statement, &BTreeMap::new(), token).await
    }

    /// [`Self::execute`] with Flink options for this statement only.
    async fn execute_with(
        &mut self,
        sql: &str,
        statement: &FlinkStatement,
        per_statement: &BTreeMap<String, String>,
        token: &CancellationToken,
    ) -> Result<StatementResult, WeirError> {
        let lost = |e: &WeirError| matches!(e, WeirError::Gateway { source: GatewayError::SessionNotFound, .. });
        for attempt in 0..2 {
            // Opening (a pooled session's replay) and materializing meet a lost session too.
            let session = match self.session().await {
                Ok(s) => s,
                Err(e) if attempt == 0 && lost(&e) => {
                    self.forget_lost_session();
                    continue;
                }
                Err(e) => return Err(e),
            };
            match self.materialize(&session, statement).await {
                Ok(()) => {}
                Err(e) if attempt == 0 && lost(&e) => {
                    self.forget_lost_session();
                    continue;
                }
                Err(e) => return Err(e),
            }
            let r = tokio::select! {
                r = session.execute(sql, per_statement) => r,
                _ = token.cancelled() => return Err(WeirError::Interrupted),
            };
            match r {
                Ok(r) => return Ok(r),
                Err(GatewayError::SessionNotFound) if attempt == 0 => self.forget_lost_session(),
                Err(e @ GatewayError::Unreachable { .. }) => {
                    self.drop_session();
                    self.cluster.report_unreachable();
                    return Err(self.gateway_err(e));
                }
                Err(e) => return Err(self.gateway_err(e)),
            }
        }
        Err(WeirError::ClusterUnavailable { cluster: self.cluster.name().to_string(), reason: "the Flink session could not be reopened".into() })
    }

    /// The gateway lost the Flink session (restart, expiry): forget it, and the cluster's pooled
    /// sessions, which it lost too; the next statement opens a new one.
    fn forget_lost_session(&mut self) {
        info!(cluster = self.cluster.name(), "Flink session lost (gateway restarted or session expired); reopening it");
        self.drop_session();
        self.cluster.clear_pool();
    }

    /// The current database (after `USE CATALOG`, the one Flink made current in that catalog).
    pub fn database(&self) -> Option<&str> {
        self.database.as_deref()
    }

    /// Runs one Flink statement (`statement` is what `sql` is).
    pub async fn run(&mut self, sql: &str, statement: &FlinkStatement, vars: &SessionVars, warnings: &Warnings, token: CancellationToken) -> Result<Response, WeirError> {
        let client = self.cluster.client(self.cluster_wait).await?;
        if let Some(needs) = statement.needs
            && let Some(since) = client.capabilities().lacks(needs)
        {
            return Err(WeirError::NotSupported(format!(
                "{} needs Flink {since} or later; this session's cluster '{}' runs Flink {} (SET weir.flink = '{since}' to switch)",
                needs.name(),
                self.cluster.name(),
                client.flink_version()
            )));
        }
        if statement.changes_catalogs {
            self.changelog_modes.clear();
            self.shapes.clear();
        }
        if let FlinkKind::Ddl(d) = &statement.kind
            && let Some(strict) = crate::statement::ddl::strict_drop(sql, d)
        {
            return self.drop_if_exists(&strict, statement, d, vars, warnings, &token).await;
        }
        let streaming = self.runtime_mode() != "batch";
        if !streaming
            && statement.kind == FlinkKind::Query
            && let Some(result) = self.run_direct(sql, statement, vars, &token).await?
        {
            let limits = Limits::new(vars, streaming);
            return Ok(Response::Rows(result_rows(result, self.cluster.name(), false, limits, token, warnings.clone())));
        }
        let with_op = if streaming && statement.kind == FlinkKind::Query { self.is_changelog(sql, statement, &token).await? } else { false };
        let result = self.execute(sql, statement, &token).await?;
        self.after(statement).await;
        if !result.is_query {
            return self.non_query(result).await;
        }
        let limits = Limits::new(vars, streaming);
        Ok(Response::Rows(result_rows(result, self.cluster.name(), with_op, limits, token, warnings.clone())))
    }

    /// A batch-mode query whose rows come straight from Weir's result sink rather than through
    /// Flink's collect protocol: `CREATE TABLE <a table of the session's in-memory catalog> WITH
    /// ('connector' = 'weir-result', …) AS <query>` submits the job, whose sink connects back to
    /// a listener opened for this query alone; the table is dropped once the job is submitted.
    /// `None` when the direct path does not apply (not a managed cluster with the sink,
    /// `weir.direct_results` off, Weir's own statements, an open statement set, `table.dml-sync`)
    /// or Flink refuses the statement as a table's query (the query then runs as before, and a
    /// query Flink refuses anyway is refused with its own error).
    async fn run_direct(&mut self, sql: &str, statement: &FlinkStatement, vars: &SessionVars, token: &CancellationToken) -> Result<Option<StatementResult>, WeirError> {
        let wanted = crate::variables::lookup("weir.direct_results").is_none_or(|d| crate::variables::is_true(vars.get(d)));
        let dml_sync = self.set_options.get("table.dml-sync").or_else(|| self.base_options.get("table.dml-sync")).is_some_and(|v| v.eq_ignore_ascii_case("true"));
        let (Some(host), Some(jobmanager)) = (self.cluster.direct_results_host(), self.cluster.jobmanager().cloned()) else { return Ok(None) };
        if !wanted || dml_sync || self.internal || self.statement_set_open {
            return Ok(None);
        }
        let listener = ResultListener::bind(host).await.map_err(|e| self.gateway_err(e))?;
        let table = format!("`{}`.`{DEFAULT_DATABASE}`.`weir_result_{}`", catalog::DEFAULT_CATALOG, listener.token());
        let ctas = format!("CREATE TABLE {table} WITH ({}) AS\n{sql}", listener.sink_options());
        // A parallelism left unset is decided by Flink's adaptive batch scheduler only once an
        // operator's whole input is produced, and the sink's single writer then waits behind a
        // blocking exchange for all of it; Flink's own default, set, lets the writer chain with
        // the query's last operator and send rows as they are produced (as the collect sink does).
        let parallelism_set = [&self.set_options, &self.base_options, &self.cluster.flink_options()].iter().any(|o| o.contains_key(PARALLELISM));
        let per_statement = if parallelism_set { BTreeMap::new() } else { BTreeMap::from([(PARALLELISM.to_string(), "1".to_string())]) };
        let submitted = self.execute_with(&ctas, statement, &per_statement, token).await;
        // The table only carried the job's sink: dropped at once, beside the rest of the work.
        if let Some(session) = self.session.clone() {
            let drop_table = format!("DROP TABLE IF EXISTS {table}");
            tokio::spawn(async move {
                match session.execute(&drop_table, &BTreeMap::new()).await {
                    Ok(r) => {
                        let _ = r.rows.close().await;
                    }
                    Err(e) => debug!(error = %e, "dropping a result sink's table"),
                }
            });
        }
        let result = match submitted {
            Ok(r) => r,
            Err(WeirError::Gateway { source: GatewayError::Flink(f), .. }) => {
                debug!(error = %f, "Flink refused the query as a result sink's query; running it as a query");
                return Ok(None);
            }
            Err(e) => return Err(e),
        };
        let job = result.job_id.clone();
        let _ = result.rows.close().await;
        let Some(job) = job else { return Ok(None) };
        debug!(%job, "query submitted with a direct result");
        tokio::select! {
            r = StatementResult::direct(listener, job.clone(), jobmanager.clone()) => r.map(Some).map_err(|e| self.gateway_err(e)),
            _ = token.cancelled() => {
                if let Err(e) = jobmanager.cancel(&job).await {
                    debug!(%job, error = %e, "cancelling an interrupted query's job");
                }
                Err(WeirError::Interrupted)
            }
        }
    }

    /// `DROP … IF EXISTS` (as `strict`, without `IF EXISTS`): run once, Flink's "does not exist"
    /// means the object was missing, which MySQL answers with OK and a note (`Unknown table
    /// 'db.t'`, MariaDB's texts). Flink decides in the one statement, so nothing can slip in
    /// between a check and the DROP.
    async fn drop_if_exists(
        &mut self,
        strict: &str,
        statement: &FlinkStatement,
        d: &crate::statement::ddl::Ddl,
        vars: &SessionVars,
        warnings: &Warnings,
        token: &CancellationToken,
    ) -> Result<Response, WeirError> {
        let strict_statement = classify_flink(strict);
        let missing = match self.execute(strict, &strict_statement, token).await {
            Ok(result) => {
                self.after(statement).await;
                return self.non_query(result).await;
            }
            Err(e) => match missing_object_note(d, &e.to_mysql(), self.database.as_deref().unwrap_or(DEFAULT_DATABASE)) {
                Some(note) => note,
                None => return Err(e),
            },
        };
        let notes = crate::variables::lookup("sql_notes").is_none_or(|def| crate::variables::is_true(vars.get(def)));
        if notes {
            crate::diagnostics::add(warnings, "Note", missing.0, missing.1);
        }
        Ok(Response::Ok(OkResponse::default()))
    }

    /// What a statement that ran changes in the binding: the statement set's state, the current
    /// catalog (and database), the Flink options to replay.
    async fn after(&mut self, statement: &FlinkStatement) {
        // A result's shape depends on what the catalogs hold, and on the runtime mode (the
        // streaming `op` column).
        if statement.changes_catalogs || matches!(statement.kind, FlinkKind::Set(_) | FlinkKind::Reset(_)) {
            self.shapes.clear();
        }
        match &statement.kind {
            FlinkKind::StatementSetBegin => self.statement_set_open = true,
            FlinkKind::StatementSetEnd => self.statement_set_open = false,
            FlinkKind::UseCatalog(c) => {
                self.catalog = c.clone();
                self.database = self.current_database().await.ok();
            }
            FlinkKind::Set(Some((k, v))) => {
                self.set_options.insert(k.clone(), v.clone());
            }
            FlinkKind::Reset(Some(k)) => {
                self.set_options.remove(k);
            }
            FlinkKind::Reset(None) => self.set_options.clear(),
            FlinkKind::Jar { add: true, path } if !self.jars.contains(path) => self.jars.push(path.clone()),
            FlinkKind::Jar { add: false, path } => self.jars.retain(|j| j != path),
            _ => {}
        }
    }

    async fn non_query(&self, result: StatementResult) -> Result<Response, WeirError> {
        let success_only = matches!(result.kind, ResultKind::Success);
        match (success_only, result.job_id.clone()) {
            (_, Some(job)) => {
                let _ = result.rows.close().await;
                Ok(Response::Ok(OkResponse { info: format!("Job ID: {job}"), ..Default::default() }))
            }
            (true, None) => {
                let _ = result.rows.close().await;
                Ok(Response::Ok(OkResponse::default()))
            }
            (false, None) => {
                let token = CancellationToken::new();
                Ok(Response::Rows(result_rows(result, self.cluster.name(), false, Limits::none(), token, Default::default())))
            }
        }
    }

    /// Whether a streaming query's result is a changelog (updates or deletes), from its plan;
    /// learned once per query text.
    pub(super) async fn is_changelog(&mut self, sql: &str, statement: &FlinkStatement, token: &CancellationToken) -> Result<bool, WeirError> {
        if let Some(known) = self.changelog_modes.get(sql) {
            return Ok(*known);
        }
        const PREFIX: &str = "EXPLAIN CHANGELOG_MODE ";
        let explain = format!("{PREFIX}{sql}");
        let explain_statement = FlinkStatement { kind: FlinkKind::Explain { body: PREFIX.len() }, ..statement.clone() };
        let mut result = match self.execute(&explain, &explain_statement, token).await {
            Ok(r) => r,
            // Flink's positions must refer to the user's text, not to the EXPLAIN around it.
            Err(WeirError::Gateway { cluster, source: GatewayError::Flink(mut f) }) => {
                f.message = shift_line_one_columns(&f.message, PREFIX.chars().count());
                return Err(WeirError::Gateway { cluster, source: GatewayError::Flink(f) });
            }
            Err(e) => return Err(e),
        };
        let mut plan = String::new();
        while let Some(b) = result.rows.next_batch().await.map_err(|e| self.gateway_err(e))? {
            for col in b.batch.columns() {
                if let Some(s) = col.as_any().downcast_ref::<StringArray>() {
                    for v in s.iter().flatten() {
                        plan.push_str(v);
                    }
                }
            }
        }
        let changelog = plan_is_changelog(&plan);
        if self.changelog_modes.len() >= CHANGELOG_MODES_KEPT {
            self.changelog_modes.clear();
        }
        self.changelog_modes.insert(sql.to_string(), changelog);
        Ok(changelog)
    }

    /// Sets the catalog and database the binding's Flink session opens in (a binding of Weir's
    /// own, before its first statement).
    pub fn set_scope(&mut self, scope: &Scope) {
        self.catalog = scope.catalog.clone();
        self.database = Some(scope.database.clone());
    }

    /// The jars `ADD JAR` added to this session.
    pub fn jars(&self) -> &[String] {
        &self.jars
    }

    /// Jars a binding of Weir's own adds when its Flink session opens (before its first statement).
    pub fn set_jars(&mut self, jars: &[String]) {
        self.jars = jars.to_vec();
    }

    /// Submits a statement that starts a Flink job (INSERT, a statement set) and returns the job
    /// id Flink gave it.
    pub async fn submit(&mut self, sql: &str) -> Result<String, WeirError> {
        let statement = classify_flink(sql);
        let token = CancellationToken::new();
        let result = self.execute(sql, &statement, &token).await?;
        self.after(&statement).await;
        let job = result.job_id.clone();
        let _ = result.rows.close().await;
        job.ok_or_else(|| WeirError::NotSupported("Flink accepted the job's statement but started no job".into()))
    }

    /// Runs a statement and returns its rows as text cells (for SHOW CREATE, DESCRIBE).
    pub async fn fetch_text(&mut self, sql: &str) -> Result<Vec<Vec<Option<String>>>, WeirError> {
        Ok(text_rows(&self.collect(sql).await?))
    }

    async fn current_database(&mut self) -> Result<String, WeirError> {
        let rows = text_rows(&self.execute_all("SHOW CURRENT DATABASE").await?);
        rows.into_iter().next().and_then(|r| r.into_iter().next().flatten()).ok_or_else(|| WeirError::NotSupported("SHOW CURRENT DATABASE gave no row".into()))
    }

    pub async fn use_database(&mut self, db: &str) -> Result<(), WeirError> {
        let token = CancellationToken::new();
        let sql = format!("USE {}", quote_ident(db));
        let r = self.execute(&sql, &classify_flink(&sql), &token).await;
        match r {
            Ok(r) => {
                let _ = r.rows.close().await;
                self.database = Some(db.to_string());
                self.shapes.clear();
                Ok(())
            }
            Err(WeirError::Gateway { source: GatewayError::Flink(f), .. }) if f.message.contains("does not exist") || f.message.contains("not exist") => {
                Err(MySqlError::new(codes::ER_BAD_DB_ERROR, format!("Unknown database '{db}'")).into())
            }
            Err(e) => Err(e),
        }
    }

    /// Runs a Flink statement and collects its whole result: small answers (SHOW, DESCRIBE) that
    /// Weir reads itself, e.g. for information_schema.
    pub async fn collect(&mut self, sql: &str) -> Result<Vec<RecordBatch>, WeirError> {
        let statement = classify_flink(sql);
        self.internal = true;
        let batches = self.execute_statement_all(sql, &statement).await;
        self.internal = false;
        let batches = batches?;
        self.after(&statement).await;
        Ok(batches)
    }

    /// Runs independent read-only statements of Weir's own (DESCRIBE, SHOW CREATE) in the
    /// session's Flink session, up to `limit` at a time, and gives each one's rows as text cells,
    /// in the order given. The SQL Gateway runs one operation of a session at a time (its
    /// OperationManager holds an operation lock, as Flink's catalog manager is not thread-safe),
    /// so what overlaps is the REST round trips and the polling for results; a second Flink session
    /// would not see this session's `default_catalog` and TEMPORARY tables.
    pub async fn collect_concurrently(
        &mut self,
        statements: &[String],
        limit: usize,
    ) -> Result<Vec<Result<Vec<Vec<Option<String>>>, WeirError>>, WeirError> {
        use futures::StreamExt;
        let session = self.session().await?;
        let results: Vec<Result<Vec<RecordBatch>, GatewayError>> = futures::stream::iter(statements.to_vec())
            .map(move |sql| {
                let session = session.clone();
                async move {
                    let mut r = session.execute(&sql, &BTreeMap::new()).await?;
                    let mut batches = Vec::new();
                    while let Some(b) = r.rows.next_batch().await? {
                        batches.push(b.batch);
                    }
                    Ok(batches)
                }
            })
        .buffered(limit.max(1))
        .collect()
        .await;
        let mut out = Vec::with_capacity(results.len());
        for (sql, r) in statements.iter().zip(results) {
            out.push(match r {
                Ok(batches) => Ok(text_rows(&batches)),
                // A lost Flink session (gateway restart, expiry): the one-by-one path reopens it.
                Err(GatewayError::SessionNotFound) => self.collect(sql).await.map(|b| text_rows(&b)),
                Err(e) => Err(self.gateway_err(e)),
            });
        }
        Ok(out)
    }

    async fn execute_all(&mut self, sql: &str) -> Result<Vec<RecordBatch>, WeirError> {
        self.execute_statement_all(sql, &classify_flink(sql)).await
    }

    async fn execute_statement_all(&mut self, sql: &str, statement: &FlinkStatement) -> Result<Vec<RecordBatch>, WeirError> {
        let token = CancellationToken::new();
        let mut r = self.execute(sql, statement, &token).await?;
        let mut batches = Vec::new();
        while let Some(b) = r.rows.next_batch().await.map_err(|e| self.gateway_err(e))? {
            batches.push(b.batch);
        }
        Ok(batches)
    }

    /// COM_RESET_CONNECTION: a fresh Flink session with only the configured options.
    pub async fn reset(&mut self) -> Result<(), WeirError> {
        self.close().await;
        self.set_options.clear();
        self.database = None;
        self.catalog = catalog::DEFAULT_CATALOG.to_string();
        self.jars.clear();
        self.statement_set_open = false;
        Ok(())
    }

    pub async fn close(&mut self) {
        if let Some(s) = self.drop_session()
            && let Err(e) = s.close().await
        {
            debug!(error = %e, "closing the Flink session");
        }
    }
}

impl Drop for FlinkBinding {
    fn drop(&mut self) {
        self.drop_session();
    }
}

/// A Flink identifier in backquotes.
/// The note MySQL (MariaDB's texts) gives for `DROP <kind> IF EXISTS` of a missing object, when
/// `error` is Flink's refusal of the strict DROP because the object does not exist; `None` for
/// any other error. `database` is the session's current one (for unqualified names).
fn missing_object_note(d: &crate::statement::ddl::Ddl, error: &MySqlError, database: &str) -> Option<(u16, String)> {
    let name = d.name.last()?;
    let db = match d.name.len() {
        1 => database,
        n => d.name.get(n - 2).map(String::as_str).unwrap_or(database),
    };
    let is = |codes: &[crate::protocol::Code]| codes.iter().any(|c| c.number == error.code);
    match d.kind {
        ObjectKind::Table if is(&[codes::ER_BAD_TABLE_ERROR, codes::ER_NO_SUCH_TABLE, codes::ER_BAD_DB_ERROR]) => {
            Some((codes::ER_BAD_TABLE_ERROR.number, format!("Unknown table '{db}.{name}'")))
        }
        ObjectKind::View if is(&[codes::ER_BAD_TABLE_ERROR, codes::ER_NO_SUCH_TABLE, codes::ER_BAD_DB_ERROR]) => {
            Some((ER_UNKNOWN_VIEW, format!("Unknown VIEW: '{db}.{name}'")))
        }
        ObjectKind::Database if is(&[codes::ER_BAD_DB_ERROR]) => {
            Some((codes::ER_DB_DROP_EXISTS.number, format!("Can't drop database '{name}'; database doesn't exist")))
        }
        ObjectKind::Function if is(&[codes::ER_SP_DOES_NOT_EXIST]) => {
            Some((codes::ER_SP_DOES_NOT_EXIST.number, format!("FUNCTION {db}.{name} does not exist")))
        }
        _ => None,
    }
}

/// MariaDB's ER_UNKNOWN_VIEW, its note for `DROP VIEW IF EXISTS` of a missing view.
const ER_UNKNOWN_VIEW: u16 = 4092;

pub fn quote_ident(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}


/// The recorded objects a Flink session has, with the version each was created at; every change
/// bumps `revision`.
#[derive(Default)]
pub(super) struct Materialized {
    pub(super) map: HashMap<ObjectKey, (i64, ObjectKind)>,
    pub(super) revision: u64,
}

impl Materialized {
    pub(super) fn insert(&mut self, key: ObjectKey, value: (i64, ObjectKind)) {
        self.revision += 1;
        self.map.insert(key, value);
    }

    pub(super) fn remove(&mut self, key: &ObjectKey) {
        self.revision += 1;
        self.map.remove(key);
    }

    pub(super) fn clear(&mut self) {
        self.revision += 1;
        self.map.clear();
    }
}


/// Moves every `line 1, column N` of a Flink message `by` columns to the left (the positions of a
/// statement Weir sent with a prefix, told as positions in the user's text).
pub(super) fn shift_line_one_columns(message: &str, by: usize) -> String {
    const AT: &str = "line 1, column ";
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find(AT) {
        let (head, tail) = rest.split_at(i + AT.len());
        out.push_str(head);
        let digits = tail.bytes().take_while(u8::is_ascii_digit).count();
        match tail[..digits].parse::<usize>() {
            Ok(n) => out.push_str(&n.saturating_sub(by).max(1).to_string()),
            Err(_) => out.push_str(&tail[..digits]),
        }
        rest = &tail[digits..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_of_a_prefixed_statement_refer_to_the_users_text() {
        let m = "SQL validation failed. From line 1, column 38 to line 1, column 40: Column 'x' not found; at line 2, column 5";
        assert_eq!(
            shift_line_one_columns(m, 23),
            "SQL validation failed. From line 1, column 15 to line 1, column 17: Column 'x' not found; at line 2, column 5"
        );
        assert_eq!(shift_line_one_columns("Encountered \"<EOF>\" at line 1, column 36.", 23), "Encountered \"<EOF>\" at line 1, column 13.");
    }
}
