//! A session's binding to its Flink: the Flink session opened lazily on the session's cluster,
//! the Flink options it carries (replayed when the Flink session must be reopened), and how a
//! Flink result becomes a MySQL response: OK for DDL and SET, OK with the job id for a submitted
//! job, rows for queries, with a leading `op` column when the result is a changelog, and the
//! streaming-mode limits (`weir.max_rows`, `weir.fetch_timeout`, `sql_select_limit`).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use arrow_array::{Array, ArrayRef, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use tracing::{debug, info, warn};
use weir_dialects::literal::{self, Literal};
use weir_drivers::gateway::{ChangelogBatch, FlinkSession, GatewayError, ResultKind, ResultStream, StatementResult};

use super::variables::{self, SessionVars};
use super::{Warnings, add_warning};
use crate::catalog::{self, CatalogStore, Namespace, ObjectKey, ObjectKind, Scope, StoredObject};
use crate::clusters::Cluster;
use crate::error::WeirError;
use crate::protocol::{ConnectionInfo, MySqlError, OkResponse, ParamValue, Response, Rows, codes};
use crate::server::Shared;

/// Flink's default database, which every session starts in.
pub const DEFAULT_DATABASE: &str = "default_database";

const RUNTIME_MODE: &str = "execution.runtime-mode";
const HEARTBEAT_EVERY: Duration = Duration::from_secs(60);
/// Warning code for a result that Weir cut short (MySQL's ER_QUERY_TIMEOUT is about the same idea).
const WARN_TRUNCATED: u16 = 3024;

pub struct FlinkBinding {
    cluster: Arc<Cluster>,
    /// Options from the config (server defaults and the user's), sent when the session opens.
    base_options: BTreeMap<String, String>,
    /// `SET 'k' = 'v'` done in this session, replayed when the Flink session is reopened.
    set_options: BTreeMap<String, String>,
    session: Option<FlinkSession>,
    heartbeat: Option<JoinHandle<()>>,
    database: Option<String>,
    /// The current catalog (`USE CATALOG`), replayed like the database.
    catalog: String,
    /// `BEGIN STATEMENT SET` was accepted and its `END` not yet.
    statement_set_open: bool,
    /// Recorded catalog objects created in the current Flink session, with the version created.
    materialized: Materialized,
    /// The catalog store generation `materialized` was last checked against.
    seen_generation: i64,
    /// The last [`Self::stale_objects`] answer, by store generation and materialized revision
    /// (metadata queries ask it every time; a session that created thousands of objects should
    /// not compare them all with the store on each).
    stale_cache: Option<((i64, u64), Vec<ObjectKey>)>,
    /// A statement of Weir's own (metadata reads): Flink listings are not completed with every
    /// recorded object, since the metadata layer merges those from the store itself.
    internal: bool,
}

impl FlinkBinding {
    pub fn new(cluster: Arc<Cluster>, base_options: BTreeMap<String, String>) -> Self {
        Self {
            cluster,
            base_options,
            set_options: BTreeMap::new(),
            session: None,
            heartbeat: None,
            database: None,
            catalog: catalog::DEFAULT_CATALOG.to_string(),
            statement_set_open: false,
            materialized: Materialized::default(),
            seen_generation: -1,
            stale_cache: None,
            internal: false,
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

    fn runtime_mode(&self) -> String {
        self.set_options
            .get(RUNTIME_MODE)
            .or_else(|| self.base_options.get(RUNTIME_MODE))
            .cloned()
            .unwrap_or_else(|| "streaming".to_string())
            .to_ascii_lowercase()
    }

    fn gateway_err(&self, source: GatewayError) -> WeirError {
        WeirError::Gateway { cluster: self.cluster.name().to_string(), source }
    }

    /// The open Flink session, opening one (and replaying this session's state) when needed.
    async fn session(&mut self, shared: &Shared, info: &ConnectionInfo) -> Result<FlinkSession, WeirError> {
        if let Some(s) = &self.session {
            return Ok(s.clone());
        }
        let client = self.cluster.client(shared.cluster_wait()).await?;
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
                let name = format!("weir-{}-{}", info.user, info.connection_id);
                client.open_session(Some(&name), &props).await.map_err(|e| self.gateway_err(e))?
            }
        };
        debug!(handle = session.handle(), cluster = self.cluster.name(), "Flink session bound");
        self.materialized.clear();
        let mut uses = Vec::new();
        if self.catalog != catalog::DEFAULT_CATALOG {
            uses.push(format!("USE CATALOG {}", quote_ident(&self.catalog)));
        }
        if let Some(db) = self.database.clone() {
            uses.push(format!("USE {}", quote_ident(&db)));
        }
        if !uses.is_empty() {
            let scope = self.scope();
            let needed = shared.catalog.needed(&uses.join(";\n"), &scope);
            if let Err(e) = self.create_objects(&session, &shared.catalog, &needed).await {
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
    async fn execute(&mut self, shared: &Shared, info: &ConnectionInfo, sql: &str, token: &CancellationToken) -> Result<StatementResult, WeirError> {
        let per_statement = BTreeMap::new();
        for attempt in 0..2 {
            let session = self.session(shared, info).await?;
            self.materialize(&session, &shared.catalog, sql).await?;
            let r = tokio::select! {
                r = session.execute(sql, &per_statement) => r,
                _ = token.cancelled() => return Err(WeirError::Interrupted),
            };
            match r {
                Ok(r) => return Ok(r),
                Err(GatewayError::SessionNotFound) if attempt == 0 => {
                    info!(cluster = self.cluster.name(), "Flink session lost (gateway restarted or session expired); reopening it");
                    self.drop_session();
                    self.cluster.clear_pool();
                }
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

    /// Runs one Flink statement.
    pub async fn run(
        &mut self,
        shared: &Shared,
        sql: &str,
        info: &ConnectionInfo,
        vars: &SessionVars,
        warnings: &Warnings,
        token: CancellationToken,
    ) -> Result<Response, WeirError> {
        let client = self.cluster.client(shared.cluster_wait()).await?;
        if let Some((statement, since)) = client.capabilities().lacks(weir_dialects::lexer::strip_leading_comments(sql)) {
            return Err(WeirError::NotSupported(format!(
                "{statement} needs Flink {since} or later; this session's cluster '{}' runs Flink {} (SET weir.flink = '{since}' to switch)",
                self.cluster.name(),
                client.flink_version()
            )));
        }
        let streaming = self.runtime_mode() != "batch";
        let query = looks_like_query(sql);
        let with_op = if streaming && query { self.is_changelog(shared, info, sql, &token).await? } else { false };
        let result = self.execute(shared, info, sql, &token).await?;
        match statement_set_marker(sql) {
            Some(true) => self.statement_set_open = true,
            Some(false) => self.statement_set_open = false,
            None => {}
        }
        self.follow_use_catalog(shared, info, sql).await;
        if let Some((k, v)) = parse_flink_set(sql) {
            self.set_options.insert(k, v);
        } else if let Some(key) = parse_flink_reset(sql) {
            match key {
                Some(k) => self.set_options.remove(&k),
                None => {
                    self.set_options.clear();
                    None
                }
            };
        }
        if !result.is_query {
            return self.non_query(result).await;
        }
        let limits = Limits::new(vars, streaming);
        Ok(Response::Rows(result_rows(result, with_op, limits, token, warnings.clone())))
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
                Ok(Response::Rows(result_rows(result, false, Limits::none(), token, Default::default())))
            }
        }
    }

    /// Whether a streaming query's result is a changelog (updates or deletes), from its plan.
    async fn is_changelog(&mut self, shared: &Shared, info: &ConnectionInfo, sql: &str, token: &CancellationToken) -> Result<bool, WeirError> {
        let explain = format!("EXPLAIN CHANGELOG_MODE {sql}");
        let mut result = self.execute(shared, info, &explain, token).await?;
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
        Ok(plan_is_changelog(&plan))
    }

    /// Makes sure the recorded objects `sql` references exist in the Flink session, as the
    /// store has them now: objects changed or dropped through other sessions are dropped here
    /// first.
    async fn materialize(&mut self, session: &FlinkSession, store: &CatalogStore, sql: &str) -> Result<(), WeirError> {
        let generation = store.generation();
        if generation != self.seen_generation {
            self.drop_stale(session, store).await;
            // A change during the drops is seen next time.
            self.seen_generation = generation;
        }
        if store.is_empty() {
            return Ok(());
        }
        let scope = self.scope();
        let needed = store.needed(sql, &scope);
        self.create_objects(session, store, &needed).await?;
        // A listing shows what this Flink version can create; the rest is left out (and logged).
        if !self.internal
            && let Some((namespace, catalog, database)) = listing(sql, &scope)
        {
            for o in store.listed(namespace, catalog.as_deref(), database.as_deref()) {
                if let Err(e) = self.create_objects(session, store, std::slice::from_ref(&o)).await {
                    warn!(object = %o.key, error = %e, "a recorded object is left out of a listing");
                }
            }
        }
        Ok(())
    }

    async fn create_objects(&mut self, session: &FlinkSession, _store: &CatalogStore, needed: &[Arc<StoredObject>]) -> Result<(), WeirError> {
        let none = BTreeMap::new();
        for o in needed {
            if self.materialized.map.get(&o.key).is_some_and(|(v, _)| *v == o.version) {
                continue;
            }
            if self.materialized.map.contains_key(&o.key) {
                self.drop_in_session(session, &o.key, o.kind).await;
            }
            for statement in &o.ddl {
                match session.execute(statement, &none).await {
                    Ok(r) => {
                        let _ = r.rows.close().await;
                    }
                    Err(GatewayError::Flink(f)) => {
                        return Err(WeirError::Materialize {
                            object: format!("{} {}", o.kind, o.key),
                            cluster: self.cluster.name().to_string(),
                            version: self.cluster.version(),
                            message: f.message.lines().next().unwrap_or_default().to_string(),
                        });
                    }
                    Err(e) => return Err(self.gateway_err(e)),
                }
            }
            debug!(object = %o.key, "materialized into the Flink session");
            self.materialized.insert(o.key.clone(), (o.version, o.kind));
        }
        Ok(())
    }

    /// Drops from the Flink session the recorded objects that changed or went away in the store.
    async fn drop_stale(&mut self, session: &FlinkSession, store: &CatalogStore) {
        let mut stale: Vec<(ObjectKey, ObjectKind)> = self
            .materialized
            .map
            .iter()
            .filter(|(k, (v, _))| store.get(k).is_none_or(|o| o.version != *v))
            .map(|(k, (_, kind))| (k.clone(), *kind))
            .collect();
        // Views before tables before databases before catalogs.
        stale.sort_by_key(|(k, kind)| (std::cmp::Reverse(k.namespace), *kind != ObjectKind::View));
        for (key, kind) in stale {
            self.drop_in_session(session, &key, kind).await;
        }
    }

    async fn drop_in_session(&mut self, session: &FlinkSession, key: &ObjectKey, kind: ObjectKind) {
        self.materialized.remove(key);
        let cascade = if kind == ObjectKind::Database { " CASCADE" } else { "" };
        let statement = format!("DROP {} IF EXISTS {}{cascade}", kind.keyword(), key.quoted());
        match session.execute(&statement, &BTreeMap::new()).await {
            Ok(r) => {
                let _ = r.rows.close().await;
            }
            Err(e) => debug!(error = %e, object = %key, "dropping a stale object from the Flink session"),
        }
    }

    /// Notes that this session created (or changed) a recorded object itself.
    pub fn mark_materialized(&mut self, o: &StoredObject) {
        self.materialized.insert(o.key.clone(), (o.version, o.kind));
    }

    /// Drops a recorded object from this session's Flink session, if it is there (for DROP ...
    /// CASCADE, whose dependents Flink does not drop).
    pub async fn drop_object(&mut self, shared: &Shared, info: &ConnectionInfo, key: &ObjectKey, kind: ObjectKind) -> Result<(), WeirError> {
        let session = self.session(shared, info).await?;
        self.drop_in_session(&session, key, kind).await;
        Ok(())
    }

    /// Recorded objects this Flink session has that the store no longer has as they were
    /// (dropped or changed through another session since).
    pub fn stale_objects(&mut self, store: &CatalogStore) -> Vec<ObjectKey> {
        let generation = store.generation();
        if generation == self.seen_generation {
            // Checked (and dropped) at this generation; what was created since is current.
            return Vec::new();
        }
        let at = (generation, self.materialized.revision);
        if let Some((seen, stale)) = &self.stale_cache
            && *seen == at
        {
            return stale.clone();
        }
        let stale: Vec<ObjectKey> =
            self.materialized.map.iter().filter(|(k, (v, _))| store.get(k).is_none_or(|o| o.version != *v)).map(|(k, _)| k.clone()).collect();
        self.stale_cache = Some((at, stale.clone()));
        stale
    }

    /// Forgets objects dropped through this session.
    pub fn forget(&mut self, keys: &[ObjectKey]) {
        for k in keys {
            self.materialized.remove(k);
        }
    }

    /// Runs a statement and returns its rows as text cells (for SHOW CREATE, DESCRIBE).
    pub async fn fetch_text(&mut self, shared: &Shared, info: &ConnectionInfo, sql: &str) -> Result<Vec<Vec<Option<String>>>, WeirError> {
        Ok(text_rows(&self.collect(shared, info, sql).await?))
    }

    /// After `USE CATALOG c`: the catalog, and the database Flink made current in it.
    async fn follow_use_catalog(&mut self, shared: &Shared, info: &ConnectionInfo, sql: &str) {
        if let Some(c) = parse_use_catalog(sql) {
            self.catalog = c;
            self.database = self.current_database(shared, info).await.ok();
        }
    }

    async fn current_database(&mut self, shared: &Shared, info: &ConnectionInfo) -> Result<String, WeirError> {
        let rows = text_rows(&self.execute_all(shared, info, "SHOW CURRENT DATABASE").await?);
        rows.into_iter().next().and_then(|r| r.into_iter().next().flatten()).ok_or_else(|| WeirError::NotSupported("SHOW CURRENT DATABASE gave no row".into()))
    }

    pub async fn use_database(&mut self, shared: &Shared, db: &str, info: &ConnectionInfo) -> Result<(), WeirError> {
        let token = CancellationToken::new();
        let r = self.execute(shared, info, &format!("USE {}", quote_ident(db)), &token).await;
        match r {
            Ok(r) => {
                let _ = r.rows.close().await;
                self.database = Some(db.to_string());
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
    pub async fn collect(&mut self, shared: &Shared, info: &ConnectionInfo, sql: &str) -> Result<Vec<RecordBatch>, WeirError> {
        self.internal = true;
        let batches = self.execute_all(shared, info, sql).await;
        self.internal = false;
        let batches = batches?;
        self.follow_use_catalog(shared, info, sql).await;
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
        shared: &Shared,
        info: &ConnectionInfo,
        statements: &[String],
        limit: usize,
    ) -> Result<Vec<Result<Vec<Vec<Option<String>>>, WeirError>>, WeirError> {
        use futures::StreamExt;
        let session = self.session(shared, info).await?;
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
                Err(GatewayError::SessionNotFound) => self.collect(shared, info, sql).await.map(|b| text_rows(&b)),
                Err(e) => Err(self.gateway_err(e)),
            });
        }
        Ok(out)
    }

    async fn execute_all(&mut self, shared: &Shared, info: &ConnectionInfo, sql: &str) -> Result<Vec<RecordBatch>, WeirError> {
        let token = CancellationToken::new();
        let mut r = self.execute(shared, info, sql, &token).await?;
        let mut batches = Vec::new();
        while let Some(b) = r.rows.next_batch().await.map_err(|e| self.gateway_err(e))? {
            batches.push(b.batch);
        }
        Ok(batches)
    }

    /// COM_RESET_CONNECTION: a fresh Flink session with only the configured options.
    pub async fn reset(&mut self, _shared: &Shared, _info: &ConnectionInfo) -> Result<(), WeirError> {
        self.close().await;
        self.set_options.clear();
        self.database = None;
        self.catalog = catalog::DEFAULT_CATALOG.to_string();
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

/// Where a result stops early.
#[derive(Debug, Clone, Copy)]
struct Limits {
    /// `weir.max_rows` (streaming mode only).
    max_rows: Option<u64>,
    /// `sql_select_limit` (any mode).
    select_limit: Option<u64>,
    /// `weir.fetch_timeout` (streaming mode only).
    timeout: Option<Duration>,
}

impl Limits {
    fn new(vars: &SessionVars, streaming: bool) -> Self {
        let num = |name: &str| -> u64 {
            variables::lookup(name).and_then(|d| vars.get(d).parse().ok()).unwrap_or(0)
        };
        let max_rows = num("weir.max_rows");
        let timeout = num("weir.fetch_timeout");
        let select_limit = num("sql_select_limit");
        Self {
            max_rows: (streaming && max_rows > 0).then_some(max_rows),
            select_limit: (select_limit < u64::MAX).then_some(select_limit),
            timeout: (streaming && timeout > 0).then(|| Duration::from_secs(timeout)),
        }
    }

    fn none() -> Self {
        Self { max_rows: None, select_limit: None, timeout: None }
    }
}

struct StreamState {
    rows: Option<ResultStream>,
    sent: u64,
    limits: Limits,
    deadline: Option<tokio::time::Instant>,
    with_op: bool,
    schema: SchemaRef,
    token: CancellationToken,
    warnings: Warnings,
}

impl StreamState {
    /// Stops the Flink operation (and its job) when the result ends before Flink's end.
    fn stop_early(&mut self) {
        if let Some(rows) = self.rows.take() {
            tokio::spawn(async move {
                if let Err(e) = rows.cancel().await {
                    debug!(error = %e, "cancelling a truncated result");
                }
            });
        }
    }
}

fn result_rows(result: StatementResult, with_op: bool, limits: Limits, token: CancellationToken, warnings: Warnings) -> Rows {
    let schema = if with_op {
        let mut fields = vec![Arc::new(Field::new("op", DataType::Utf8, false))];
        fields.extend(result.schema.fields().iter().cloned());
        Arc::new(Schema::new(fields))
    } else {
        result.schema.clone()
    };
    let state = StreamState {
        rows: Some(result.rows),
        sent: 0,
        deadline: limits.timeout.map(|t| tokio::time::Instant::now() + t),
        limits,
        with_op,
        schema: schema.clone(),
        token,
        warnings,
    };
    let batches = futures::stream::unfold(state, |mut st| async move {
        loop {
            let cap = [st.limits.max_rows, st.limits.select_limit].into_iter().flatten().min();
            if cap.is_some_and(|c| st.sent >= c) {
                if st.limits.max_rows.is_some_and(|m| st.sent >= m) && st.limits.select_limit.is_none_or(|l| l > st.sent) {
                    add_warning(&st.warnings, WARN_TRUNCATED, format!("Result truncated at weir.max_rows = {} rows; its Flink job was cancelled", st.sent));
                }
                st.stop_early();
                return None;
            }
            let rows = st.rows.as_mut()?;
            let deadline = st.deadline;
            let next = tokio::select! {
                b = rows.next_batch() => b,
                _ = st.token.cancelled() => {
                    st.stop_early();
                    return Some((Err(WeirError::Interrupted.to_mysql()), st));
                }
                _ = sleep_until(deadline) => {
                    let secs = st.limits.timeout.map(|t| t.as_secs()).unwrap_or(0);
                    add_warning(&st.warnings, WARN_TRUNCATED, format!("Result ended after weir.fetch_timeout = {secs} s with {} rows; its Flink job was cancelled", st.sent));
                    st.stop_early();
                    return None;
                }
            };
            match next {
                Ok(None) => return None,
                Ok(Some(b)) if b.batch.num_rows() == 0 => continue,
                Ok(Some(b)) => {
                    let remaining = cap.map(|c| c - st.sent).unwrap_or(u64::MAX);
                    match to_batch(&st.schema, b, st.with_op, remaining) {
                        Ok(batch) => {
                            st.sent += batch.num_rows() as u64;
                            return Some((Ok(batch), st));
                        }
                        Err(e) => {
                            st.stop_early();
                            return Some((Err(e), st));
                        }
                    }
                }
                Err(e) => {
                    st.rows = None;
                    warn!(error = %e, "result stream failed");
                    let err = match e {
                        GatewayError::Flink(f) => crate::error::flink_error(&f),
                        other => MySqlError::new(codes::ER_UNKNOWN_ERROR, format!("Flink: {other}")),
                    };
                    return Some((Err(err), st));
                }
            }
        }
    });
    Rows { schema, batches: Box::pin(batches) }
}

async fn sleep_until(deadline: Option<tokio::time::Instant>) {
    match deadline {
        Some(d) => tokio::time::sleep_until(d).await,
        None => futures::future::pending().await,
    }
}

fn to_batch(schema: &SchemaRef, b: ChangelogBatch, with_op: bool, remaining: u64) -> Result<RecordBatch, MySqlError> {
    let n = (b.batch.num_rows() as u64).min(remaining) as usize;
    let data = b.batch.slice(0, n);
    let internal = |e: arrow_schema::ArrowError| MySqlError::new(codes::ER_UNKNOWN_ERROR, format!("internal error converting a Flink result: {e}"));
    if !with_op {
        return RecordBatch::try_new(schema.clone(), data.columns().to_vec()).map_err(internal);
    }
    let ops: StringArray = b.kinds.iter().take(n).map(|k| Some(k.short())).collect();
    let mut cols: Vec<ArrayRef> = vec![Arc::new(ops)];
    cols.extend(data.columns().iter().cloned());
    RecordBatch::try_new(schema.clone(), cols).map_err(internal)
}

/// The plan's root changelog mode holds more than inserts.
pub fn plan_is_changelog(plan: &str) -> bool {
    let section = plan.split("== Optimized Physical Plan ==").nth(1).unwrap_or(plan);
    let Some(start) = section.find("changelogMode=[") else { return false };
    let rest = &section[start + "changelogMode=[".len()..];
    let modes = rest.split(']').next().unwrap_or("");
    modes.split(',').any(|m| m.trim() != "I")
}

/// Queries start with SELECT, WITH, VALUES or TABLE (possibly in parentheses).
pub fn looks_like_query(sql: &str) -> bool {
    let s = weir_dialects::lexer::strip_leading_comments(sql).trim_start_matches(['(', ' ', '\n', '\t', '\r']);
    let word: String = s.chars().take_while(|c| c.is_ascii_alphabetic()).collect::<String>().to_ascii_uppercase();
    matches!(word.as_str(), "SELECT" | "WITH" | "VALUES" | "TABLE")
}

/// `BEGIN STATEMENT SET` → Some(true), `END` → Some(false).
fn statement_set_marker(sql: &str) -> Option<bool> {
    let words: Vec<String> = weir_dialects::lexer::strip_leading_comments(sql)
        .split_whitespace()
        .map(|w| w.trim_end_matches(';').to_ascii_uppercase())
        .collect();
    match words.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["BEGIN", "STATEMENT", "SET"] => Some(true),
        ["END"] => Some(false),
        _ => None,
    }
}

/// `SET 'key' = 'value'` (Flink's form, quoted key).
fn parse_flink_set(sql: &str) -> Option<(String, String)> {
    let s = weir_dialects::lexer::strip_leading_comments(sql);
    let rest = strip_keyword(s, "SET")?;
    let (key, rest) = quoted(rest)?;
    let rest = rest.trim_start().strip_prefix('=')?;
    let (value, rest) = quoted(rest)?;
    rest.trim().trim_end_matches(';').trim().is_empty().then_some((key, value))
}

/// `RESET 'key'` → Some(Some(key)); `RESET` → Some(None).
fn parse_flink_reset(sql: &str) -> Option<Option<String>> {
    let s = weir_dialects::lexer::strip_leading_comments(sql);
    let rest = strip_keyword(s, "RESET")?;
    let rest = rest.trim().trim_end_matches(';').trim();
    if rest.is_empty() {
        return Some(None);
    }
    let (key, tail) = quoted(rest)?;
    tail.trim().is_empty().then_some(Some(key))
}

fn strip_keyword<'a>(s: &'a str, kw: &str) -> Option<&'a str> {
    let head = s.get(..kw.len())?;
    let rest = &s[kw.len()..];
    (head.eq_ignore_ascii_case(kw) && rest.starts_with(char::is_whitespace) || head.eq_ignore_ascii_case(kw) && rest.is_empty()).then_some(rest)
}

fn quoted(s: &str) -> Option<(String, &str)> {
    let s = s.trim_start().strip_prefix('\'')?;
    let mut out = String::new();
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\'' {
            if matches!(chars.peek(), Some((_, '\''))) {
                chars.next();
                out.push('\'');
                continue;
            }
            return Some((out, &s[i + 1..]));
        }
        out.push(c);
    }
    None
}

/// A Flink identifier in backquotes.
/// `USE CATALOG name` → the catalog's name.
fn parse_use_catalog(sql: &str) -> Option<String> {
    let tokens = catalog::words::tokenize(sql);
    match tokens.as_slice() {
        [u, c, name, rest @ ..] if u.is_keyword("USE") && c.is_keyword("CATALOG") && rest.iter().all(|t| t.token == catalog::words::Token::Punct(';')) => {
            name.ident().map(str::to_string)
        }
        _ => None,
    }
}

/// Flink's own listings (`SHOW TABLES [FROM db]`, `SHOW VIEWS`, `SHOW [USER] FUNCTIONS`,
/// `SHOW DATABASES`, `SHOW CATALOGS`) list what the session has: the recorded objects of the
/// namespace and place they list.
fn listing(sql: &str, scope: &Scope) -> Option<(Namespace, Option<String>, Option<String>)> {
    let tokens = catalog::words::tokenize(sql);
    let mut i = 0;
    let word = |i: usize| tokens.get(i).and_then(|t| t.keyword());
    if word(i)? != "SHOW" {
        return None;
    }
    i += 1;
    if matches!(word(i).as_deref(), Some("FULL" | "USER")) {
        i += 1;
    }
    let namespace = match word(i)?.as_str() {
        "TABLES" | "VIEWS" => Namespace::Relation,
        "FUNCTIONS" => Namespace::Function,
        "DATABASES" => return Some((Namespace::Database, Some(scope.catalog.clone()), None)),
        "CATALOGS" => return Some((Namespace::Catalog, None, None)),
        _ => return None,
    };
    i += 1;
    let (catalog, database) = if matches!(word(i).as_deref(), Some("FROM" | "IN")) {
        let (name, _) = catalog::words::name_at(&tokens, i + 1);
        match name.as_slice() {
            [d] => (scope.catalog.clone(), d.clone()),
            [c, d] => (c.clone(), d.clone()),
            _ => return None,
        }
    } else {
        (scope.catalog.clone(), scope.database.clone())
    };
    Some((namespace, Some(catalog), Some(database)))
}

/// A small Flink result as text cells.
pub fn text_rows(batches: &[RecordBatch]) -> Vec<Vec<Option<String>>> {
    use datafusion::arrow::util::display::array_value_to_string;
    let mut out = Vec::new();
    for b in batches {
        for row in 0..b.num_rows() {
            out.push(b.columns().iter().map(|c| if c.is_null(row) { None } else { array_value_to_string(c, row).ok() }).collect());
        }
    }
    out
}

pub fn quote_ident(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

/// A bound parameter as a Flink literal.
pub fn param_literal(p: &ParamValue) -> Result<String, WeirError> {
    let lit = match p {
        ParamValue::Null => Literal::Null,
        ParamValue::Int(i) => Literal::Int(*i),
        ParamValue::UInt(u) => Literal::UInt(*u),
        ParamValue::Float(f) => Literal::Float(*f),
        ParamValue::Double(d) => Literal::Double(*d),
        ParamValue::Text(t) => match std::str::from_utf8(t) {
            Ok(s) => Literal::Text(s),
            Err(_) => Literal::Bytes(t),
        },
        ParamValue::Binary(b) => Literal::Bytes(b),
        ParamValue::Decimal(d) => Literal::Decimal(d),
        ParamValue::Date { year, month, day } => Literal::Date { year: *year, month: *month, day: *day },
        ParamValue::DateTime { year, month, day, hour, minute, second, micros } => Literal::Timestamp {
            year: *year,
            month: *month,
            day: *day,
            hour: *hour,
            minute: *minute,
            second: *second,
            micros: *micros,
        },
        ParamValue::Time { negative, days, hour, minute, second, micros } => Literal::Time {
            negative: *negative,
            days: *days,
            hour: *hour,
            minute: *minute,
            second: *second,
            micros: *micros,
        },
    };
    literal::to_flink(&lit).map_err(|e| WeirError::BadParameter(e.0))
}


/// The recorded objects a Flink session has, with the version each was created at; every change
/// bumps `revision`.
#[derive(Default)]
struct Materialized {
    map: HashMap<ObjectKey, (i64, ObjectKind)>,
    revision: u64,
}

impl Materialized {
    fn insert(&mut self, key: ObjectKey, value: (i64, ObjectKind)) {
        self.revision += 1;
        self.map.insert(key, value);
    }

    fn remove(&mut self, key: &ObjectKey) {
        self.revision += 1;
        self.map.remove(key);
    }

    fn clear(&mut self) {
        self.revision += 1;
        self.map.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_flink_set_and_reset() {
        assert_eq!(parse_flink_set("SET 'execution.runtime-mode' = 'batch'"), Some(("execution.runtime-mode".into(), "batch".into())));
        assert_eq!(parse_flink_set("set 'a'='it''s';"), Some(("a".into(), "it's".into())));
        assert_eq!(parse_flink_set("SET autocommit = 1"), None);
        assert_eq!(parse_flink_reset("RESET"), Some(None));
        assert_eq!(parse_flink_reset("reset 'k'"), Some(Some("k".into())));
        assert_eq!(parse_flink_reset("RESETX"), None);
    }

    #[test]
    fn reads_the_root_changelog_mode() {
        let plan = "== Abstract Syntax Tree ==\nLogicalAggregate\n\n== Optimized Physical Plan ==\nGroupAggregate(groupBy=[a], select=[a, COUNT(*) AS c], changelogMode=[I,UB,UA])\n+- Exchange(changelogMode=[I])\n";
        assert!(plan_is_changelog(plan));
        let plan = "== Optimized Physical Plan ==\nCalc(select=[a], changelogMode=[I])\n";
        assert!(!plan_is_changelog(plan));
    }

    #[test]
    fn queries_are_recognised_by_their_first_word() {
        assert!(looks_like_query("/* x */ (SELECT 1)"));
        assert!(looks_like_query("with a as (select 1) select * from a"));
        assert!(!looks_like_query("INSERT INTO t SELECT 1"));
        assert!(!looks_like_query("SHOW TABLES"));
    }
}
