//! A client's session: its per-connection state, and the dispatch of each statement — classified
//! once by the statement room ([`crate::statement`]) — to the one room that answers it: local
//! answers ([`local`]), Weir's extended statements ([`extended`]), metadata
//! ([`crate::metadata`]), or Flink through the session's binding ([`crate::routing`]), translated
//! first in a `mysql` or `oracle` session ([`dialect`]) and recorded in the catalog of record
//! when it is DDL ([`objects`]). It implements the protocol layer's
//! [`Session`](crate::protocol::Session) trait. Handlers are given the connection's
//! [`Context`] (identity and privileges, variables, diagnostics, the Flink binding, the metadata
//! cache, the server's services), never the session: prepared statements, the cache of classified
//! statements and dispatch stay here.

mod access;
mod alerts;
pub mod audit;
mod charsets;
mod context;
mod datasync;
pub mod dialect;
mod extended;
mod jobs;
mod lineage;
pub mod local;
mod objects;
mod params;
pub mod probe;
pub mod registry;
mod schedule;
mod shared;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use arrow_schema::SchemaRef;

use crate::error::WeirError;
use crate::metadata::MetaCache;
use crate::protocol::{self, ConnectionInfo, MySqlError, ParamValue, Prepared, Response, SessionStatus};
use crate::routing::shape::{Column, castable_type};
use crate::routing::{DEFAULT_DATABASE, FlinkBinding};
use crate::statement::placeholders::{Placeholder, SinkColumn};
use crate::statement::{FlinkStatement, Local, Statement, StatementCache};
use crate::variables::{self, SessionVars};

pub use shared::Shared;
use context::Context;

/// A statement prepared with COM_STMT_PREPARE.
struct PreparedStmt {
    sql: String,
    params: usize,
    /// Bound for Flink as written (a `flink` session): each placeholder's context, by which a
    /// bound NULL is typed; `None` for statements Weir answers or translates.
    flink: Option<Vec<Placeholder>>,
    /// The columns of an `INSERT … VALUES`'s table, once a NULL needed one's type.
    sink_columns: Option<Vec<Column>>,
}

/// A client's session as the protocol layer sees it: its prepared statements and classified
/// statements, and the [`Context`] its statements' handlers are given.
pub struct WeirSession {
    cx: Context,
    prepared: HashMap<u32, PreparedStmt>,
    statements: StatementCache,
    /// The statement metrics' series this session counts into.
    counted: crate::observe::metrics::StatementHandles,
}

impl WeirSession {
    pub async fn open(shared: Arc<Shared>, info: ConnectionInfo) -> Result<Self, MySqlError> {
        let cluster = shared.cluster_for(&info).map_err(|e| e.to_mysql())?;
        let mut vars = SessionVars::default();
        shared.seed_variables(&mut vars, &cluster);
        let options = dialect::seed(&shared, &info.user, &mut vars);
        seed_idle_timeout(&mut vars, info.interactive);
        charsets::seed(&mut vars, info.charset, info.collation);
        shared.registry.register(info.connection_id, &info.user, &info.peer.ip().to_string(), info.kill.clone());
        shared.registry.set_database(info.connection_id, Some(DEFAULT_DATABASE));
        let meta = MetaCache::new(&shared.config.metadata);
        let owner = format!("weir-{}-{}", info.user, info.connection_id);
        let access = shared.auth.access(&info.user, &info.peer, None);
        let mut cx = Context {
            access,
            roles: None,
            needs: Default::default(),
            flink: FlinkBinding::new(cluster, options, shared.catalog.clone(), shared.cluster_wait(), owner),
            shared,
            vars,
            database: Some(DEFAULT_DATABASE.to_string()),
            warnings: Arc::new(Mutex::new(Vec::new())),
            in_transaction: false,
            meta,
            info,
        };
        if let Some(db) = cx.info.database.clone() {
            cx.use_database(&db).await.map_err(|e| e.to_mysql())?;
        }
        cx.shared.metrics.connection_opened();
        Ok(Self { cx, prepared: HashMap::new(), statements: StatementCache::default(), counted: Default::default() })
    }

    /// Runs one statement; also says what it was and who answered (its metrics' labels), and
    /// what it was (for its audit record; `None` when it could not be read).
    async fn run(&mut self, sql: &str) -> Ran {
        self.cx.note_counts();
        let statement = match self.statements.classify(sql) {
            Ok(s) => s,
            Err(e) => {
                self.cx.clear_warnings();
                return Ran { labels: ("other", "local"), statement: None, result: Err(e.into()) };
            }
        };
        let labels = statement.labels();
        let keeps = statement.keeps_diagnostics();
        if !keeps {
            self.cx.clear_warnings();
        }
        // A statement the audit records waits for a record to be writable (one it does not
        // record, a probe by default, never does).
        let audit = &self.cx.shared.auth.audit;
        let audited = audit.enabled() && (audit.probes() || !audit::is_probe(&statement));
        let ready = if audited { audit.ready() } else { Ok(()) };
        let r = match ready {
            Err(e) => Err(crate::auth::AuthError::Audit(e).into()),
            Ok(()) => match access::check(&mut self.cx, sql, &statement) {
                Err(e) => Err(e),
                Ok(()) => self.dispatch(sql, &statement).await,
            },
        };
        // A statement that kept the last statement's diagnostics but failed has its own.
        if keeps && r.is_err() {
            self.cx.clear_warnings();
        }
        Ran { labels, statement: Some(statement), result: r }
    }

    /// Sends a statement to the room that answers it. Only local answers are awaited inline: the
    /// other rooms' futures are large (translation, Flink round trips, catalog records), and a
    /// `SELECT 1` should not move them around on every statement.
    async fn dispatch(&mut self, sql: &str, statement: &Statement) -> Result<Response, WeirError> {
        match statement {
            Statement::Flink(f) => Box::pin(self.flink(sql, f)).await,
            Statement::Metadata(m) => {
                let r = Box::pin(crate::metadata::answer(self.cx.metadata_context(), m.clone())).await;
                if matches!(m, crate::statement::MetaStatement::SetCatalog(_)) {
                    self.cx.follow_binding_database();
                }
                r
            }
            Statement::Use(db) => {
                self.cx.meta.invalidate();
                Box::pin(self.cx.use_database(db)).await?;
                Ok(Response::Ok(Default::default()))
            }
            Statement::Extended(e) => Box::pin(extended::answer(&mut self.cx, sql, e.clone())).await,
            Statement::Local(l) => local::answer(&mut self.cx, l).await,
        }
    }

    /// A statement for Flink: translated first in a `mysql` or `oracle` session, checked against
    /// the session's privileges, run, and its lineage recorded when it moved data or defined a
    /// relation.
    async fn flink(&mut self, sql: &str, f: &Arc<FlinkStatement>) -> Result<Response, WeirError> {
        let (sql, f) = match dialect::prepare(&mut self.cx, sql, f).await? {
            Some(translated) => {
                let f = self.statements.classify_flink(&translated);
                (std::borrow::Cow::Owned(translated), f)
            }
            None => (std::borrow::Cow::Borrowed(sql), f.clone()),
        };
        access::check_flink(&mut self.cx, &sql, &f)?;
        let r = self.cx.run_flink(&sql, &f).await;
        if r.is_ok() && matches!(f.kind, crate::statement::FlinkKind::Dml | crate::statement::FlinkKind::Ddl(_)) {
            lineage::after_flink(&mut self.cx, &sql, &f).await;
        }
        r
    }

    /// COM_STMT_PREPARE: what the statement answers with, known without running it — the columns
    /// of a local answer or a metadata statement (evaluated over nothing), of a Flink query (as
    /// Flink describes it: [`FlinkBinding::query_shape`]); `None` for statements answering OK, and
    /// for queries whose columns only their bound values decide (sent with each execute then). A
    /// statement that does not parse is 1064, as in MySQL; one Flink refuses is Flink's error.
    /// Also whether it goes to Flink as written, with its placeholders' contexts.
    async fn shape(&mut self, sql: &str, params: usize) -> Result<(Option<SchemaRef>, Option<Vec<Placeholder>>), WeirError> {
        // Classified as it will be at execute: with a value (NULL, which decides no kind) in
        // place of each placeholder.
        let probe = if params == 0 { sql.to_string() } else { weir_dialects::lexer::substitute(sql, &vec!["NULL".to_string(); params]) };
        let statement = self.statements.classify(&probe)?;
        if !matches!(&*statement, Statement::Local(Local::ShowWarnings { .. })) {
            self.cx.clear_warnings();
        }
        if !matches!(&*statement, Statement::Flink(_)) {
            access::check(&mut self.cx, &probe, &statement)?;
        }
        let rows = |r: Response| match r {
            Response::Rows(rows) => Some(rows.schema),
            Response::Ok(_) | Response::Err(_) => None,
        };
        match &*statement {
            Statement::Local(l @ (Local::Select { .. } | Local::ShowVariables { .. } | Local::ShowStatus { .. } | Local::ShowWarnings { .. })) => {
                Ok((rows(local::answer(&mut self.cx, l).await?), None))
            }
            Statement::Metadata(m) => Ok((crate::metadata::shape(self.cx.metadata_context(), m.clone()).await?, None)),
            // Session statements, USE and Weir's extended statements: their answers have effects
            // (or cost a Flink round trip) and are known when they run.
            Statement::Local(_) | Statement::Use(_) | Statement::Extended(_) => Ok((None, None)),
            Statement::Flink(_) => {
                // As written: Flink takes each `?` for a dynamic parameter and types it.
                let written = self.statements.classify_flink(sql);
                let (text, f, contexts) = match dialect::prepare(&mut self.cx, sql, &written).await? {
                    Some(translated) => {
                        let f = self.statements.classify_flink(&translated);
                        (translated, f, None)
                    }
                    None => {
                        crate::statement::flink::check_start(sql)?;
                        (sql.to_string(), written, Some(crate::statement::placeholders::contexts(sql)))
                    }
                };
                self.cx.check_flink_size(text.len())?;
                access::check_flink(&mut self.cx, &text, &f)?;
                let shape = self.cx.flink.query_shape(&text, &f).await?;
                Ok((shape, contexts))
            }
        }
    }

    /// The Flink text of each bound parameter of prepared statement `id` (a NULL typed for Flink
    /// when the statement goes there as written).
    async fn bind(&mut self, id: u32, params: &[ParamValue]) -> Result<Vec<String>, WeirError> {
        let contexts = self.prepared.get(&id).and_then(|p| p.flink.clone());
        let mut out = Vec::with_capacity(params.len());
        for (i, p) in params.iter().enumerate() {
            let declared = match p {
                ParamValue::Null => None,
                ParamValue::TypedNull(t) => Some(*t),
                other => {
                    out.push(params::literal(other)?);
                    continue;
                }
            };
            let Some(context) = contexts.as_ref().map(|c| c.get(i).cloned().unwrap_or(Placeholder::Other)) else {
                out.push(params::literal(p)?);
                continue;
            };
            let sink = match &context {
                Placeholder::Sink { table, column } => self.sink_type(id, table, column).await,
                _ => None,
            };
            out.push(params::null_literal(declared, &context, sink.as_deref()));
        }
        Ok(out)
    }

    /// The Flink type of the sink column an `INSERT … VALUES` item of prepared statement `id`
    /// fills, from Flink's `DESCRIBE` of the table (asked once per statement); `None` if Flink
    /// cannot describe it (the INSERT then fails with Flink's own error).
    async fn sink_type(&mut self, id: u32, table: &[String], column: &SinkColumn) -> Option<String> {
        if self.prepared.get(&id)?.sink_columns.is_none() {
            let columns = match self.cx.flink.table_columns(table).await {
                Ok(c) => c,
                Err(e) => {
                    tracing::debug!(error = %e, "describing an INSERT's table to type its NULL parameters");
                    Vec::new()
                }
            };
            self.prepared.get_mut(&id)?.sink_columns = Some(columns);
        }
        let columns = self.prepared.get(&id)?.sink_columns.as_ref()?;
        let c = match column {
            SinkColumn::At(i) => columns.get(*i),
            SinkColumn::Named(n) => columns.iter().find(|c| c.name.eq_ignore_ascii_case(n)),
        }?;
        Some(castable_type(&c.flink_type))
    }

}

/// One statement's outcome, with what the metrics and the audit need of it.
struct Ran {
    labels: (&'static str, &'static str),
    statement: Option<Arc<Statement>>,
    result: Result<Response, WeirError>,
}

impl WeirSession {
    /// Writes the statement's audit record (probes only when configured); the answer to send.
    fn audit(&mut self, sql: &str, kind: &str, statement: Option<&Statement>, response: Response, started: std::time::Instant) -> Response {
        let audit = &self.cx.shared.auth.audit;
        if !audit.enabled() || statement.is_some_and(|s| audit::is_probe(s) && !audit.probes()) {
            return response;
        }
        let objects = statement.map(|s| access::objects(&mut self.cx, sql, s)).unwrap_or_default();
        let pending =
            audit::Pending::new(&self.cx.shared, &self.cx.info.user, &self.cx.info.peer, self.cx.access.tenant_name(), self.cx.info.connection_id, kind, sql, objects, started);
        pending.finish(response)
    }
}

fn unknown_statement(id: u32) -> MySqlError {
    MySqlError::new(protocol::codes::ER_UNKNOWN_STMT_HANDLER, format!("Unknown prepared statement handler ({id}) given to mysqld_stmt_execute"))
}

/// An interactive client's `wait_timeout` starts as `interactive_timeout`, as in MySQL.
fn seed_idle_timeout(vars: &mut SessionVars, interactive: bool) {
    if interactive
        && let (Some(wait), Some(interactive)) = (variables::lookup("wait_timeout"), variables::lookup("interactive_timeout"))
    {
        let value = vars.get(interactive).to_string();
        vars.set(wait, value);
    }
}

#[async_trait::async_trait]
impl protocol::Session for WeirSession {
    fn split(&mut self, sql: &str) -> Result<Vec<String>, MySqlError> {
        Ok(weir_dialects::lexer::split_statements(sql).into_iter().map(str::to_string).collect())
    }

    async fn query(&mut self, sql: &str) -> Response {
        self.cx.shared.question();
        let started = std::time::Instant::now();
        // PROCESSLIST shows the statement, whoever answers it, until its answer has been sent.
        let running = self.cx.shared.registry.begin_statement(self.cx.info.connection_id, sql);
        let ran = self.run(sql).await;
        let response = match ran.result {
            Ok(r) => running.hold(r),
            Err(e) => {
                let e = e.to_mysql();
                self.cx.record_error(&e);
                Response::Err(e)
            }
        };
        let response = self.audit(sql, ran.labels.0, ran.statement.as_deref(), response, started);
        let code = match &response {
            Response::Err(e) => Some(e.code),
            _ => None,
        };
        self.cx.shared.metrics.statement_with(&mut self.counted, ran.labels, started.elapsed(), code);
        response
    }

    async fn prepare(&mut self, id: u32, sql: &str) -> Result<Prepared, MySqlError> {
        let statements = weir_dialects::lexer::split_statements(sql);
        if statements.len() != 1 {
            return Err(WeirError::Syntax("a prepared statement must hold exactly one statement".into()).to_mysql());
        }
        let params = weir_dialects::lexer::placeholders(sql).len();
        if params > usize::from(u16::MAX) {
            return Err(MySqlError::new(protocol::codes::ER_PS_MANY_PARAM, "Prepared statement contains too many placeholders"));
        }
        let (columns, flink) = match self.shape(sql, params).await {
            Ok(s) => s,
            Err(e) => {
                let e = e.to_mysql();
                self.cx.shared.metrics.error(e.code);
                self.cx.record_error(&e);
                return Err(e);
            }
        };
        self.prepared.insert(id, PreparedStmt { sql: sql.to_string(), params, flink, sink_columns: None });
        Ok(Prepared { params: params as u16, columns })
    }

    async fn execute(&mut self, id: u32, params: Vec<ParamValue>) -> Response {
        let Some(stmt) = self.prepared.get(&id) else {
            return Response::Err(unknown_statement(id));
        };
        if params.len() != stmt.params {
            return Response::Err(MySqlError::new(
                protocol::codes::ER_WRONG_ARGUMENTS,
                format!("Incorrect arguments to mysqld_stmt_execute: {} parameters bound, {} expected", params.len(), stmt.params),
            ));
        }
        let literals = match self.bind(id, &params).await {
            Ok(l) => l,
            Err(e) => return Response::Err(e.to_mysql()),
        };
        let Some(stmt) = self.prepared.get(&id) else { return Response::Err(unknown_statement(id)) };
        // A statement for Flink as written is refused before its text is even built and
        // classified when its values make it larger than Flink may be sent.
        if stmt.flink.is_some() {
            let size = stmt.sql.len() - stmt.params + literals.iter().map(String::len).sum::<usize>();
            if let Err(e) = self.cx.check_flink_size(size) {
                let e = e.to_mysql();
                self.cx.record_error(&e);
                return Response::Err(e);
            }
        }
        let sql = weir_dialects::lexer::substitute(&stmt.sql, &literals);
        self.query(&sql).await
    }

    async fn close_statement(&mut self, id: u32) {
        self.prepared.remove(&id);
    }

    async fn init_db(&mut self, database: &str) -> Result<(), MySqlError> {
        if database.is_empty() {
            return Ok(());
        }
        self.cx.clear_warnings();
        self.cx.use_database(database).await.map_err(|e| e.to_mysql())
    }

    fn idle_timeout(&self) -> Option<std::time::Duration> {
        let secs: u64 = variables::hot::WAIT_TIMEOUT.and_then(|d| self.cx.vars.get(d).parse().ok())?;
        (secs > 0).then(|| std::time::Duration::from_secs(secs))
    }

    async fn field_list(&mut self, table: &str) -> Result<SchemaRef, MySqlError> {
        crate::metadata::field_list(self.cx.metadata_context(), table).await.map_err(|e| e.to_mysql())
    }

    async fn reset(&mut self) -> Result<(), MySqlError> {
        self.prepared.clear();
        self.cx.vars.reset();
        let cluster = self.cx.flink.cluster().clone();
        self.cx.shared.seed_variables(&mut self.cx.vars, &cluster);
        dialect::seed(&self.cx.shared, &self.cx.info.user, &mut self.cx.vars);
        seed_idle_timeout(&mut self.cx.vars, self.cx.info.interactive);
        charsets::seed(&mut self.cx.vars, self.cx.info.charset, self.cx.info.collation);
        self.cx.in_transaction = false;
        self.cx.clear_warnings();
        self.cx.flink.reset().await.map_err(|e| e.to_mysql())?;
        self.cx.meta.invalidate();
        self.cx.database = Some(DEFAULT_DATABASE.to_string());
        self.cx.shared.registry.set_database(self.cx.info.connection_id, self.cx.database.as_deref());
        Ok(())
    }

    fn charsets(&self) -> protocol::Charsets {
        charsets::of(&self.cx.vars)
    }

    fn statistics(&self) -> String {
        format!(
            "Uptime: {}  Threads: {}  Questions: {}  Slow queries: 0  Opens: 0  Flush tables: 0  Open tables: 0  Queries per second avg: 0.000",
            self.cx.shared.started.elapsed().as_secs(),
            self.cx.shared.registry.len(),
            self.cx.shared.questions(),
        )
    }

    fn status(&self) -> SessionStatus {
        let warnings = self.cx.warning_count();
        SessionStatus {
            autocommit: variables::hot::AUTOCOMMIT.is_none_or(|d| variables::is_true(self.cx.vars.get(d))),
            in_transaction: self.cx.in_transaction,
            warnings: warnings.min(usize::from(u16::MAX)) as u16,
        }
    }

    async fn close(&mut self) {
        self.cx.shared.registry.unregister(self.cx.info.connection_id);
        self.cx.shared.metrics.connection_closed();
        self.cx.flink.close().await;
    }
}
