//! What a statement's handler is given: the connection's identity and privileges, its session
//! variables and diagnostics, its Flink binding and metadata cache, and the server's services.
//! Never the session itself: its prepared statements, its cache of classified statements and the
//! dispatch of a statement to its handler stay with [`super::WeirSession`], so a handler cannot
//! re-enter dispatch or touch the protocol's state.

use std::sync::Arc;

use crate::diagnostics::{Warning, Warnings};
use crate::error::WeirError;
use crate::metadata::{Asker, MetaCache};
use crate::protocol::{ConnectionInfo, MySqlError, Response};
use crate::routing::FlinkBinding;
use crate::statement::FlinkStatement;
use crate::variables::{self, SessionVars};

use super::Shared;

pub struct Context {
    pub(super) shared: Arc<Shared>,
    pub(super) info: ConnectionInfo,
    pub(super) vars: SessionVars,
    /// The database clients see (Flink's current database).
    pub(super) database: Option<String>,
    pub(super) warnings: Warnings,
    pub(super) in_transaction: bool,
    pub(super) flink: FlinkBinding,
    /// What Flink told this session about its catalogs (information_schema, SHOW).
    pub(super) meta: MetaCache,
    /// What the session may do (its account's and active roles' privileges).
    pub(super) access: crate::auth::Access,
    /// The roles chosen by `SET ROLE`; `None`: every granted role.
    pub(super) roles: Option<Vec<crate::statement::AccountName>>,
    /// What the session's statements bound for Flink needed (checks and audit records).
    pub(super) needs: crate::auth::required::NeedsCache,
}

impl Context {
    pub(super) fn clear_warnings(&self) {
        if let Ok(mut w) = self.warnings.lock() {
            w.clear();
        }
    }

    /// MySQL's `warning_count`: the errors, warnings and notes of the last statement.
    pub(super) fn warning_count(&self) -> usize {
        self.warnings.lock().map(|w| w.len()).unwrap_or(0)
    }

    /// MySQL's `error_count`: the errors of the last statement.
    pub(super) fn error_count(&self) -> usize {
        self.warnings.lock().map(|w| w.iter().filter(|x| x.level == "Error").count()).unwrap_or(0)
    }

    /// `@@warning_count` and `@@error_count` read the last statement's diagnostics.
    pub(super) fn note_counts(&mut self) {
        let counts = [(*variables::hot::WARNING_COUNT, self.warning_count()), (*variables::hot::ERROR_COUNT, self.error_count())];
        for (def, count) in counts {
            // Most statements leave the counts as they were (0): no new value to write.
            if let Some(def) = def
                && self.vars.get(def).parse::<usize>().ok() != Some(count)
            {
                self.vars.set(def, count.to_string());
            }
        }
    }

    pub(super) fn warn(&self, code: u16, message: impl Into<String>) {
        crate::diagnostics::add_warning(&self.warnings, code, message);
    }

    pub(super) fn record_error(&self, e: &MySqlError) {
        if let Ok(mut w) = self.warnings.lock() {
            w.push(Warning { level: "Error", code: e.code, message: e.message.clone() });
        }
    }

    pub(super) async fn use_database(&mut self, db: &str) -> Result<(), WeirError> {
        // `catalog.db` (StarRocks, Doris): a connection's database can pick the Flink catalog.
        let (catalog, db) = crate::metadata::catalog_and_database(db);
        if let Some(catalog) = catalog {
            crate::metadata::answer(self.metadata_context(), crate::statement::MetaStatement::SetCatalog(catalog.to_string())).await?;
        }
        self.meta.invalidate();
        self.flink.use_database(db).await?;
        self.database = Some(db.to_string());
        self.shared.registry.set_database(self.info.connection_id, Some(db));
        Ok(())
    }

    /// `SET weir.flink = '<cluster name or version prefix>'`.
    pub(super) async fn switch_cluster(&mut self, spec: &str) -> Result<(), WeirError> {
        let target = self.shared.clusters.resolve(spec).map_err(|_| WeirError::WrongValue {
            name: "weir.flink".into(),
            value: format!("{spec}' (no Flink cluster of that name or version; SHOW FLINK CLUSTERS lists them)"),
        })?;
        if Arc::ptr_eq(&target, self.flink.cluster()) {
            return Ok(());
        }
        if !self.access().may_use_cluster(target.name()) {
            return Err(crate::auth::AuthError::NeedPrivilege(format!("USAGE ON CLUSTER `{}`", target.name())).into());
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

    pub(super) fn metadata_context(&mut self) -> crate::metadata::Context<'_> {
        crate::metadata::Context {
            asker: Asker {
                user: &self.info.user,
                host: if self.info.peer.ip().is_loopback() { "localhost" } else { "%" },
                connection_id: self.info.connection_id,
            },
            flink: &mut self.flink,
            cache: &mut self.meta,
            vars: &self.vars,
            database: self.database.as_deref(),
            warnings: &self.warnings,
            store: &self.shared.catalog,
            clusters: &self.shared.clusters,
            jobs: &self.shared.jobs,
            datasyncs: &self.shared.datasyncs,
            metrics: &self.shared.metrics,
            alerts: &self.shared.alerts,
            lineage: &self.shared.lineage,
            schedules: &self.shared.schedules,
            processes: &self.shared.registry,
            server_version: &self.shared.config.server.server_version,
            access: &self.access,
            auth: &self.shared.auth,
        }
    }

    /// Runs a Flink statement: DDL of a recorded object through the catalog of record, anything
    /// else straight on the session's binding.
    pub(super) async fn run_flink(&mut self, sql: &str, statement: &FlinkStatement) -> Result<Response, WeirError> {
        self.check_flink_size(sql.len())?;
        if let crate::statement::FlinkKind::Ddl(d) = &statement.kind
            && let Some(r) = self.run_ddl(sql, statement, d).await
        {
            return r;
        }
        self.flink_run(sql, statement).await
    }

    /// Runs a statement on the session's binding, as the user's statement (KILL QUERY stops it).
    pub(super) async fn flink_run(&mut self, sql: &str, statement: &FlinkStatement) -> Result<Response, WeirError> {
        let token = self.shared.registry.token(self.info.connection_id);
        let r = self.flink.run(sql, statement, &self.vars, &self.warnings, token).await;
        self.meta.after_flink_statement(statement);
        if matches!(statement.kind, crate::statement::FlinkKind::UseCatalog(_)) {
            self.follow_binding_database();
        }
        r
    }

    /// A statement of `size` bytes may be sent to Flink (`[session] max_flink_statement_bytes`).
    pub(super) fn check_flink_size(&self, size: usize) -> Result<(), WeirError> {
        let limit = self.shared.config.session.max_flink_statement_bytes;
        if u64::try_from(size).unwrap_or(u64::MAX) > limit {
            return Err(WeirError::StatementTooLarge { size, limit });
        }
        Ok(())
    }

    /// The database clients see follows Flink's after a catalog change (`USE CATALOG c` makes
    /// that catalog's default database current).
    pub(super) fn follow_binding_database(&mut self) {
        if let Some(db) = self.flink.database()
            && self.database.as_deref() != Some(db)
        {
            self.database = Some(db.to_string());
            self.shared.registry.set_database(self.info.connection_id, Some(db));
        }
    }
}
