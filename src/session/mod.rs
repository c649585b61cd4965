//! A client's session: classifies each statement once ([`classify`]), answers client bootstrap
//! and session statements locally ([`local`]), and sends the rest to the session's Flink
//! ([`flink`]). It implements the protocol layer's [`Session`](crate::protocol::Session) trait.

pub mod classify;
pub mod dialect;
pub mod extended;
pub mod flink;
pub mod local;
mod objects;
pub mod probe;
pub mod registry;
pub mod value;
pub mod variables;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use arrow_schema::SchemaRef;

use crate::error::WeirError;
use crate::protocol::{self, ConnectionInfo, MySqlError, ParamValue, Prepared, Response, SessionStatus};
use crate::server::Shared;
use classify::Plan;
use variables::SessionVars;

/// One warning or error of the last statement (SHOW WARNINGS).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub level: &'static str,
    pub code: u16,
    pub message: String,
}

/// Warnings shared with result streams, which add theirs while rows flow.
pub type Warnings = Arc<Mutex<Vec<Warning>>>;

pub fn add_warning(w: &Warnings, code: u16, message: impl Into<String>) {
    if let Ok(mut v) = w.lock() {
        v.push(Warning { level: "Warning", code, message: message.into() });
    }
}

/// A statement prepared with COM_STMT_PREPARE.
struct PreparedStmt {
    sql: String,
    params: usize,
}

pub struct WeirSession {
    shared: Arc<Shared>,
    info: ConnectionInfo,
    vars: SessionVars,
    /// The database clients see (Flink's current database).
    database: Option<String>,
    warnings: Warnings,
    in_transaction: bool,
    flink: flink::FlinkBinding,
    prepared: HashMap<u32, PreparedStmt>,
    plans: classify::PlanCache,
    /// What Flink told this session about its catalogs (information_schema, SHOW).
    meta: crate::metadata::MetaCache,
}

impl WeirSession {
    pub async fn open(shared: Arc<Shared>, info: ConnectionInfo) -> Result<Self, MySqlError> {
        let cluster = shared.cluster_for(&info).map_err(|e| e.to_mysql())?;
        let mut vars = SessionVars::default();
        shared.seed_variables(&mut vars, &cluster);
        let options = dialect::seed(&shared, &info.user, &mut vars);
        shared.registry.register(info.connection_id, &info.user, &info.peer.ip().to_string(), info.kill.clone());
        shared.registry.set_database(info.connection_id, Some(flink::DEFAULT_DATABASE));
        let meta = crate::metadata::MetaCache::new(&shared.config.metadata);
        let mut session = Self {
            flink: flink::FlinkBinding::new(cluster, options),
            shared,
            vars,
            database: Some(flink::DEFAULT_DATABASE.to_string()),
            warnings: Arc::new(Mutex::new(Vec::new())),
            in_transaction: false,
            prepared: HashMap::new(),
            plans: classify::PlanCache::default(),
            meta,
            info,
        };
        if let Some(db) = session.info.database.clone() {
            session.use_database(&db).await.map_err(|e| e.to_mysql())?;
        }
        Ok(session)
    }

    fn clear_warnings(&self) {
        if let Ok(mut w) = self.warnings.lock() {
            w.clear();
        }
    }

    fn warn(&self, code: u16, message: impl Into<String>) {
        add_warning(&self.warnings, code, message);
    }

    fn record_error(&self, e: &MySqlError) {
        if let Ok(mut w) = self.warnings.lock() {
            w.push(Warning { level: "Error", code: e.code, message: e.message.clone() });
        }
    }

    async fn use_database(&mut self, db: &str) -> Result<(), WeirError> {
        // `catalog.db` (StarRocks, Doris): a connection's database can pick the Flink catalog.
        let (catalog, db) = crate::metadata::catalog_and_database(db);
        if let Some(catalog) = catalog {
            crate::metadata::answer(self.metadata_context(), crate::metadata::MetaPlan::SetCatalog(catalog.to_string())).await?;
        }
        self.meta.invalidate();
        self.flink.use_database(&self.shared, db, &self.info).await?;
        self.database = Some(db.to_string());
        self.shared.registry.set_database(self.info.connection_id, Some(db));
        Ok(())
    }

    /// `SET weir.flink = '<cluster name or version prefix>'`.
    async fn switch_cluster(&mut self, spec: &str) -> Result<(), WeirError> {
        let target = self.shared.clusters.resolve(spec).map_err(|_| WeirError::WrongValue {
            name: "weir.flink".into(),
            value: format!("{spec}' (no Flink cluster of that name or version; SHOW FLINK CLUSTERS lists them)"),
        })?;
        if Arc::ptr_eq(&target, self.flink.cluster()) {
            return Ok(());
        }
        if self.flink.statement_set_open() {
            return Err(WeirError::NotSupported(
                "SET weir.flink is refused while a STATEMENT SET is open: END it first".into(),
            ));
        }
        let from = self.flink.cluster().name().to_string();
        self.flink.switch(target.clone()).await;
        for (name, value) in [("weir.flink", target.name().to_string()), ("weir.flink_version", target.version())] {
            if let Some(def) = variables::lookup(name) {
                self.vars.set(def, value);
            }
        }
        self.warn(
            1105,
            format!(
                "Switched from Flink cluster '{from}' to '{}' (Flink {}): the current database and SET options were carried over; TEMPORARY objects of the previous session are gone",
                target.name(),
                target.version()
            ),
        );
        Ok(())
    }

    fn metadata_context(&mut self) -> crate::metadata::Context<'_> {
        crate::metadata::Context {
            shared: &self.shared,
            info: &self.info,
            flink: &mut self.flink,
            cache: &mut self.meta,
            vars: &self.vars,
            database: self.database.as_deref(),
            warnings: &self.warnings,
        }
    }

    async fn run(&mut self, sql: &str) -> Result<Response, WeirError> {
        let plan = self.plans.plan(sql);
        if !matches!(plan, Plan::ShowWarnings { .. }) {
            self.clear_warnings();
        }
        match plan {
            Plan::Flink => {
                let translated = dialect::prepare(self, sql).await?;
                let sql = translated.as_ref();
                if let Some(d) = crate::catalog::ddl::recognize(sql)
                    && let Some(r) = self.run_ddl(sql, &d).await
                {
                    return r;
                }
                let token = self.shared.registry.token(self.info.connection_id);
                let r = self.flink.run(&self.shared, sql, &self.info, &self.vars, &self.warnings, token).await;
                self.meta.after_flink_statement(sql);
                r
            }
            Plan::Metadata(m) => crate::metadata::answer(self.metadata_context(), m).await,
            Plan::Use(db) => {
                self.meta.invalidate();
                self.use_database(&db).await?;
                Ok(Response::Ok(Default::default()))
            }
            other => local::answer(self, other).await,
        }
    }
}

#[async_trait::async_trait]
impl protocol::Session for WeirSession {
    fn split(&mut self, sql: &str) -> Result<Vec<String>, MySqlError> {
        Ok(weir_dialects::lexer::split_statements(sql).into_iter().map(str::to_string).collect())
    }

    async fn query(&mut self, sql: &str) -> Response {
        self.shared.question();
        // PROCESSLIST shows the statement, whoever answers it, until its answer has been sent.
        let running = self.shared.registry.begin_statement(self.info.connection_id, sql);
        match self.run(sql).await {
            Ok(r) => running.hold(r),
            Err(e) => {
                let e = e.to_mysql();
                self.record_error(&e);
                Response::Err(e)
            }
        }
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
        self.prepared.insert(id, PreparedStmt { sql: sql.to_string(), params });
        Ok(Prepared { params: params as u16, columns: None })
    }

    async fn execute(&mut self, id: u32, params: Vec<ParamValue>) -> Response {
        let Some(stmt) = self.prepared.get(&id) else {
            return Response::Err(MySqlError::new(
                protocol::codes::ER_UNKNOWN_STMT_HANDLER,
                format!("Unknown prepared statement handler ({id}) given to mysqld_stmt_execute"),
            ));
        };
        if params.len() != stmt.params {
            return Response::Err(MySqlError::new(
                protocol::codes::ER_WRONG_ARGUMENTS,
                format!("Incorrect arguments to mysqld_stmt_execute: {} parameters bound, {} expected", params.len(), stmt.params),
            ));
        }
        let literals = match params.iter().map(flink::param_literal).collect::<Result<Vec<_>, _>>() {
            Ok(l) => l,
            Err(e) => return Response::Err(e.to_mysql()),
        };
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
        self.clear_warnings();
        self.use_database(database).await.map_err(|e| e.to_mysql())
    }

    async fn field_list(&mut self, table: &str) -> Result<SchemaRef, MySqlError> {
        crate::metadata::field_list(self.metadata_context(), table).await.map_err(|e| e.to_mysql())
    }

    async fn reset(&mut self) -> Result<(), MySqlError> {
        self.prepared.clear();
        self.vars.reset();
        let cluster = self.flink.cluster().clone();
        self.shared.seed_variables(&mut self.vars, &cluster);
        dialect::seed(&self.shared, &self.info.user, &mut self.vars);
        self.in_transaction = false;
        self.clear_warnings();
        self.flink.reset(&self.shared, &self.info).await.map_err(|e| e.to_mysql())?;
        self.meta.invalidate();
        self.database = Some(flink::DEFAULT_DATABASE.to_string());
        self.shared.registry.set_database(self.info.connection_id, self.database.as_deref());
        Ok(())
    }

    fn statistics(&self) -> String {
        format!(
            "Uptime: {}  Threads: {}  Questions: {}  Slow queries: 0  Opens: 0  Flush tables: 0  Open tables: 0  Queries per second avg: 0.000",
            self.shared.started.elapsed().as_secs(),
            self.shared.registry.len(),
            self.shared.questions(),
        )
    }

    fn status(&self) -> SessionStatus {
        let warnings = self.warnings.lock().map(|w| w.iter().filter(|x| x.level == "Warning").count()).unwrap_or(0);
        SessionStatus {
            autocommit: variables::is_true(self.vars.get(variables::lookup("autocommit").expect("autocommit is in the table"))),
            in_transaction: self.in_transaction,
            warnings: warnings.min(usize::from(u16::MAX)) as u16,
        }
    }

    async fn close(&mut self) {
        self.shared.registry.unregister(self.info.connection_id);
        self.flink.close().await;
    }
}
