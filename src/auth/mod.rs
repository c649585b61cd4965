//! Who may do what, and the record of what was done: accounts, roles, grants and tenants kept in
//! the store ([`store`], [`model`]), each session's effective privileges ([`Access`]), what each
//! statement needs ([`required`]), failed-login throttling ([`throttle`]) and the audit trail
//! ([`audit`]).
//!
//! Bootstrap: the `[[users]]` of the configuration (and `root` on loopback when allowed) are
//! administrators holding every privilege; accounts made with `CREATE USER` hold what is granted
//! to them and to their roles.

pub mod access;
pub mod audit;
pub mod model;
pub mod namespace;
pub mod required;
pub mod store;
pub mod throttle;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

pub use access::Access;
pub use model::{AccountRecord, GrantRecord, Model, RoleEdge, Tenant};

use crate::catalog::store::Backend;
use crate::config::Config;
use crate::protocol::{Account, StoredPassword};
use crate::statement::AccountName;

/// An access statement or check that fails, in MySQL's terms (mapped in `crate::error`).
#[derive(Debug, Clone, thiserror::Error)]
pub enum AuthError {
    #[error("{privilege} command denied to user '{user}'@'{host}' for table '{table}'")]
    TableDenied { privilege: String, user: String, host: String, table: String },
    #[error("Access denied for user '{user}'@'{host}' to database '{database}'")]
    DatabaseDenied { user: String, host: String, database: String },
    #[error("Access denied; you need (at least one of) the {0} privilege(s) for this operation")]
    NeedPrivilege(String),
    #[error("Operation {operation} failed for {account}")]
    Operation { operation: &'static str, account: String },
    #[error("There is no such grant defined for user '{user}' on host '{host}'")]
    NoSuchGrant { user: String, host: String },
    #[error("There is no such grant defined for user '{user}' on host '{host}' on table '{table}'")]
    NoSuchTableGrant { user: String, host: String, table: String },
    #[error("Unknown authorization ID {0}")]
    UnknownAuthorization(String),
    #[error("User account {to} is directly or indirectly granted to the role {role}. The GRANT would create a loop in the role graph.")]
    RoleLoop { to: String, role: String },
    #[error("{role} is not granted to {to}")]
    RoleNotGranted { role: String, to: String },
    #[error("You are not allowed to create a user with GRANT")]
    NoSuchUserToGrant,
    #[error("Unknown Flink cluster '{0}'")]
    UnknownCluster(String),
    #[error("Tenant '{0}' already exists")]
    TenantExists(String),
    #[error("TENANT {0} does not exist")]
    UnknownTenant(String),
    #[error("Tenant '{tenant}' is used by {by}: move or drop its accounts and objects first")]
    TenantInUse { tenant: String, by: String },
    #[error("{0}")]
    Option(String),
    #[error("Incorrect usage of {privilege} and {level}: {privilege} is granted ON *.*{}", if *privilege == "USAGE" { " or ON CLUSTER name" } else { "" })]
    WrongLevel { privilege: &'static str, level: String },
    #[error("Tenant '{tenant}' has exceeded the '{quota}' resource (current value: {current}, limit: {limit})")]
    Quota { tenant: String, quota: &'static str, current: u64, limit: u64 },
    #[error("You are not owner of thread {0}")]
    KillDenied(u64),
    #[error("the audit record could not be written ({0}); statements are refused until it can ([audit] on_failure = \"refuse\")")]
    Audit(String),
    #[error("access store: {0}")]
    Store(String),
    #[error("Incorrect {kind} name '{name}': a name with a '.' is one of a tenant's (tenant.name), given only by an administrator")]
    DottedName { kind: &'static str, name: String },
}

/// The accounts, roles, grants and tenants every session shares.
pub struct Auth {
    store: store::Store,
    model: RwLock<Arc<Model>>,
    generation: AtomicU64,
    /// `[[users]]`: administrators, by name.
    bootstrap: HashMap<String, Account>,
    root_on_loopback: bool,
    /// Serialises changes (read, check, write, reload).
    pub changes: tokio::sync::Mutex<()>,
    pub throttle: throttle::Throttle,
    pub audit: Arc<audit::Audit>,
}

/// How an account logged in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// `[[users]]` or root on loopback: every privilege.
    Bootstrap,
    /// An account of the store.
    Stored,
}

impl Auth {
    pub async fn open(config: &Config, backend: &Backend, audit: Arc<audit::Audit>) -> Result<Self, AuthError> {
        let store = store::Store::new(backend);
        let model = store.load().await?;
        let mut bootstrap = HashMap::new();
        for u in &config.users {
            let password = u.stored_password().map_err(AuthError::Store)?;
            bootstrap.insert(u.name.clone(), Account { password, plugin: u.plugin.clone(), require_tls: false });
        }
        Ok(Self {
            store,
            model: RwLock::new(Arc::new(model)),
            generation: AtomicU64::new(1),
            bootstrap,
            root_on_loopback: config.server.root_without_password_on_loopback,
            changes: tokio::sync::Mutex::new(()),
            throttle: throttle::Throttle::new(config.auth.failed_login_threshold, config.auth.failed_login_max_delay_ms),
            audit,
        })
    }

    pub fn store(&self) -> &store::Store {
        &self.store
    }

    /// The current model.
    pub fn model(&self) -> Arc<Model> {
        self.model.read().map(|m| m.clone()).unwrap_or_default()
    }

    /// Bumped by every change: sessions recompute their privileges when it moved.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Reads the store again after a change made here (and tells other instances).
    pub async fn changed(&self) -> Result<(), AuthError> {
        self.store.bump().await?;
        self.reload().await
    }

    /// Reloads the records whenever another instance sharing the store changed them (every
    /// `interval`), until `stop`.
    pub async fn follow(self: Arc<Self>, interval: std::time::Duration, stop: tokio_util::sync::CancellationToken) {
        let mut seen = self.store.generation().await.unwrap_or(0);
        loop {
            tokio::select! {
                _ = stop.cancelled() => return,
                _ = tokio::time::sleep(interval) => {}
            }
            match self.store.generation().await {
                Ok(g) if g != seen => {
                    seen = g;
                    if let Err(e) = self.reload().await {
                        tracing::warn!(error = %e, "access records not reloaded; retrying");
                    }
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "access records' generation not read; retrying"),
            }
        }
    }

    /// Reads the store again.
    pub async fn reload(&self) -> Result<(), AuthError> {
        let model = self.store.load().await?;
        if let Ok(mut m) = self.model.write() {
            *m = Arc::new(model);
        }
        self.generation.fetch_add(1, Ordering::AcqRel);
        Ok(())
    }

    /// The account `user` logs in with from `peer`, and where it comes from.
    pub fn login(&self, user: &str, peer: &SocketAddr) -> Option<(Account, Origin)> {
        if let Some(a) = self.bootstrap.get(user) {
            return Some((a.clone(), Origin::Bootstrap));
        }
        if let Some(a) = self.model().login(user, &peer.ip()) {
            return Some((Account { password: a.password.clone(), plugin: None, require_tls: a.require_ssl }, Origin::Stored));
        }
        let root_ok = user == "root" && self.root_on_loopback && peer.ip().is_loopback();
        root_ok.then_some((Account { password: StoredPassword::Empty, plugin: None, require_tls: false }, Origin::Bootstrap))
    }

    /// The privileges of a session of `user` from `peer` with `roles` active (`None`: all its
    /// roles). An account that no longer exists holds nothing.
    pub fn access(&self, user: &str, peer: &SocketAddr, roles: Option<&[AccountName]>) -> Access {
        let client_host = if peer.ip().is_loopback() { "localhost".to_string() } else { peer.ip().to_string() };
        let generation = self.generation();
        let bootstrap = self.bootstrap.contains_key(user);
        let model = self.model();
        let stored = model.login(user, &peer.ip()).map(|a| a.name.clone());
        match stored {
            Some(name) if !bootstrap => Access::compute(&model, generation, &name, &client_host, roles),
            _ if bootstrap || user == "root" && self.root_on_loopback && peer.ip().is_loopback() => {
                let mut a = Access::superuser(AccountName::new(user, if bootstrap { "%" } else { "localhost" }), &client_host);
                a.generation = generation;
                a
            }
            _ => Access::compute(&Model::default(), generation, &AccountName::new(user, "%"), &client_host, Some(&[])),
        }
    }

    /// The tenant of the account(s) named `user` (what a job's `created_by` names): `None` for
    /// no tenant (and for bootstrap administrators).
    pub fn tenant_of_user(&self, user: &str) -> Option<String> {
        if self.bootstrap.contains_key(user) {
            return None;
        }
        self.model().accounts.iter().find(|a| !a.is_role && a.name.user == user).and_then(|a| a.tenant.clone())
    }

    /// Whether the session `access` may see and act on an object created by `user`: an
    /// administrator any; otherwise one of its own tenant (or, without a tenant, one of no
    /// tenant's).
    pub fn owns(&self, access: &Access, user: &str) -> bool {
        access.is_superuser() || self.tenant_of_user(user).as_deref() == access.tenant_name()
    }

    /// Whether `user` is a bootstrap administrator (`[[users]]`).
    pub fn is_bootstrap(&self, user: &str) -> bool {
        self.bootstrap.contains_key(user)
    }

    /// Whether `user` administers every tenant: a bootstrap administrator, or `root` on
    /// loopback (without a stored `root` account).
    fn administers(&self, user: &str) -> bool {
        self.is_bootstrap(user) || user == "root" && self.root_on_loopback && !self.model().accounts.iter().any(|a| !a.is_role && a.name.user == "root")
    }

    /// Whether what `creator` made to act on its behalf (an alert rule) may concern an object
    /// `owner` created, as `creator`'s own sessions may see it: an administrator's any, a
    /// tenant's only its tenant's (without a tenant: those of no tenant).
    pub fn concerns(&self, creator: &str, owner: &str) -> bool {
        self.administers(creator) || self.tenant_of_user(creator) == self.tenant_of_user(owner)
    }

    /// Whether what `creator` made may concern the Flink cluster `cluster`: one its tenant may
    /// use (an administrator's, and one without a tenant or a cluster list, every cluster).
    pub fn concerns_cluster(&self, creator: &str, cluster: &str) -> bool {
        if self.administers(creator) {
            return true;
        }
        let model = self.model();
        match self.tenant_of_user(creator).and_then(|t| model.tenant(&t).cloned()) {
            Some(t) => t.clusters.is_empty() || t.clusters.iter().any(|c| c.eq_ignore_ascii_case(cluster)),
            None => true,
        }
    }
}
