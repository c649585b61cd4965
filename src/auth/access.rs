//! What one session may do: its account's grants and its active roles' grants, flattened once
//! (at login, after `SET ROLE`, and when any grant changes), with its tenant's bounds. Every check
//! of a statement and every filter of what metadata shows asks this value.

use std::sync::Arc;

use super::AuthError;
use super::model::{Model, Tenant};
use crate::statement::AccountName;
use crate::statement::privilege::{Level, Privilege};

/// One privilege the session holds at one level.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Held {
    privilege: Privilege,
    level: Level,
    grantable: bool,
}

/// A session's effective privileges.
#[derive(Debug, Clone)]
pub struct Access {
    /// The account, as `SHOW GRANTS` and errors name it.
    pub account: AccountName,
    /// The host the client connected from, as errors name it (`localhost` for loopback).
    pub client_host: String,
    /// Bootstrap administrators (`[[users]]`, root on loopback) hold every privilege.
    superuser: bool,
    pub tenant: Option<Arc<Tenant>>,
    held: Vec<Held>,
    /// Clusters whose implicit USAGE was revoked.
    usage_revoked: Vec<String>,
    /// The roles in effect.
    pub roles: Vec<AccountName>,
    /// The model generation it was computed from.
    pub generation: u64,
}

impl Access {
    /// Every privilege, everywhere.
    pub fn superuser(account: AccountName, client_host: &str) -> Self {
        Self {
            account,
            client_host: client_host.to_string(),
            superuser: true,
            tenant: None,
            held: Vec::new(),
            usage_revoked: Vec::new(),
            roles: Vec::new(),
            generation: 0,
        }
    }

    /// The privileges of `account` with `roles` active (`None`: every role it holds).
    pub fn compute(model: &Model, generation: u64, account: &AccountName, client_host: &str, roles: Option<&[AccountName]>) -> Self {
        let granted = model.roles_closure(account);
        let active: Vec<AccountName> = match roles {
            None => granted.iter().cloned().collect(),
            Some(chosen) => {
                // A chosen role brings the roles granted to it.
                let mut all = std::collections::BTreeSet::new();
                for r in chosen.iter().filter(|r| granted.contains(*r)) {
                    all.insert(r.clone());
                    all.extend(model.roles_closure(r));
                }
                all.into_iter().collect()
            }
        };
        let mut held = Vec::new();
        let mut usage_revoked = Vec::new();
        for who in std::iter::once(account).chain(active.iter()) {
            for g in model.grants_of(who) {
                if g.negative {
                    if who == account
                        && let Level::Cluster(c) = &g.level
                    {
                        usage_revoked.push(c.clone());
                    }
                    continue;
                }
                held.push(Held { privilege: g.privilege, level: g.level.clone(), grantable: g.grantable });
            }
        }
        let tenant = model.account(account).and_then(|a| a.tenant.as_deref()).and_then(|t| model.tenant(t)).cloned().map(Arc::new);
        Self { account: account.clone(), client_host: client_host.to_string(), superuser: false, tenant, held, usage_revoked, roles: active, generation }
    }

    pub fn is_superuser(&self) -> bool {
        self.superuser
    }

    /// The tenant's name, if the account has one.
    pub fn tenant_name(&self) -> Option<&str> {
        self.tenant.as_deref().map(|t| t.name.as_str())
    }

    /// The tenant lets its users into `catalog` (no tenant, or no catalog list: every catalog).
    pub fn catalog_allowed(&self, catalog: &str) -> bool {
        match self.tenant.as_deref() {
            Some(t) if !t.catalogs.is_empty() => t.catalogs.iter().any(|c| c.eq_ignore_ascii_case(catalog)),
            _ => true,
        }
    }

    /// Holds `p` on `(catalog, database, table)` (`table` `None`: on the database itself).
    pub fn may(&self, p: Privilege, catalog: &str, database: &str, table: Option<&str>) -> bool {
        self.superuser || self.catalog_allowed(catalog) && self.held.iter().any(|h| h.privilege == p && h.level.covers(catalog, database, table))
    }

    /// Holds `p` at `*.*`.
    pub fn may_global(&self, p: Privilege) -> bool {
        self.superuser || self.held.iter().any(|h| h.privilege == p && h.level == Level::Global)
    }

    /// Holds `p` at `level` with the grant option (what GRANT of it there needs).
    pub fn may_grant(&self, p: Privilege, level: &Level) -> bool {
        if self.superuser {
            return true;
        }
        self.held.iter().any(|h| {
            h.grantable
                && h.privilege == p
                && match level {
                    Level::Global => h.level == Level::Global,
                    Level::Database { catalog, database } => h.level.covers(catalog, database, None),
                    Level::Table { catalog, database, table } => h.level.covers(catalog, database, Some(table)),
                    Level::Cluster(_) => h.level == *level || h.level == Level::Global,
                }
        })
    }

    fn object_privilege(p: Privilege) -> bool {
        p != Privilege::Usage
    }

    /// Sees the catalog: holds something in it (or everywhere).
    pub fn sees_catalog(&self, catalog: &str) -> bool {
        self.superuser
            || self.catalog_allowed(catalog)
                && self.held.iter().any(|h| {
                    Self::object_privilege(h.privilege) && (h.level == Level::Global || h.level.catalog().is_some_and(|c| c.eq_ignore_ascii_case(catalog)))
                })
    }

    /// Sees the database: holds something on it or on one of its tables.
    pub fn sees_database(&self, catalog: &str, database: &str) -> bool {
        if database.eq_ignore_ascii_case("information_schema") {
            return true;
        }
        self.superuser || self.catalog_allowed(catalog) && self.held.iter().any(|h| Self::object_privilege(h.privilege) && h.level.within(catalog, database))
    }

    /// Sees the table: holds something on it.
    pub fn sees_table(&self, catalog: &str, database: &str, table: &str) -> bool {
        if database.eq_ignore_ascii_case("information_schema") {
            return true;
        }
        self.superuser
            || self.catalog_allowed(catalog) && self.held.iter().any(|h| Self::object_privilege(h.privilege) && h.level.covers(catalog, database, Some(table)))
    }

    /// May run statements on the cluster: every account may use its tenant's clusters (every
    /// cluster without a tenant) unless that was revoked; `GRANT USAGE ON CLUSTER` adds others.
    pub fn may_use_cluster(&self, cluster: &str) -> bool {
        if self.superuser {
            return true;
        }
        let explicit =
            self.held.iter().any(|h| h.privilege == Privilege::Usage && (h.level == Level::Cluster(cluster.to_string()) || h.level == Level::Global));
        let implicit = !self.usage_revoked.iter().any(|c| c == cluster)
            && match self.tenant.as_deref() {
                Some(t) if !t.clusters.is_empty() => t.clusters.iter().any(|c| c == cluster),
                _ => true,
            };
        explicit || implicit
    }

    /// The privileges held at exactly `level` (SHOW GRANTS, information_schema's tables).
    pub fn held_at(&self) -> impl Iterator<Item = (Privilege, &Level, bool)> {
        self.held.iter().map(|h| (h.privilege, &h.level, h.grantable))
    }

    // Denials, in MySQL's words.

    pub fn table_denied(&self, p: Privilege, table: &str) -> AuthError {
        AuthError::TableDenied { privilege: p.name().to_string(), user: self.account.user.clone(), host: self.client_host.clone(), table: table.to_string() }
    }

    pub fn database_denied(&self, database: &str) -> AuthError {
        AuthError::DatabaseDenied { user: self.account.user.clone(), host: self.client_host.clone(), database: database.to_string() }
    }

    /// 1227 naming what would do.
    pub fn needs(&self, what: &str) -> AuthError {
        AuthError::NeedPrivilege(what.to_string())
    }

    /// `Ok` when the session holds `p` at `*.*`, else 1227 naming it.
    pub fn require_global(&self, p: Privilege) -> Result<(), AuthError> {
        if self.may_global(p) { Ok(()) } else { Err(self.needs(p.name())) }
    }

    /// `Ok` when the session holds one of `ps` at `*.*`.
    pub fn require_any_global(&self, ps: &[Privilege]) -> Result<(), AuthError> {
        if ps.iter().any(|p| self.may_global(*p)) { Ok(()) } else { Err(self.needs(&ps.iter().map(|p| p.name()).collect::<Vec<_>>().join(", "))) }
    }
}

#[cfg(test)]
mod tests {
    use super::super::model::{GrantRecord, RoleEdge};
    use super::*;
    use crate::statement::privilege::DEFAULT_CATALOG;

    fn grant(to: &AccountName, p: Privilege, level: Level) -> GrantRecord {
        GrantRecord { grantee: to.clone(), privilege: p, level, grantable: false, negative: false }
    }

    #[test]
    fn direct_and_role_grants_and_what_they_show() {
        let bi = AccountName::new("bi", "%");
        let analyst = AccountName::new("analyst", "%");
        let shop = Level::Database { catalog: DEFAULT_CATALOG.into(), database: "shop".into() };
        let orders = Level::Table { catalog: DEFAULT_CATALOG.into(), database: "sales".into(), table: "orders".into() };
        let model = Model {
            grants: vec![grant(&bi, Privilege::Select, orders), grant(&analyst, Privilege::Insert, shop)],
            edges: vec![RoleEdge { role: analyst.clone(), to: bi.clone(), admin: false }],
            ..Default::default()
        };
        let a = Access::compute(&model, 1, &bi, "localhost", None);
        assert!(a.may(Privilege::Select, DEFAULT_CATALOG, "sales", Some("orders")));
        assert!(!a.may(Privilege::Select, DEFAULT_CATALOG, "sales", Some("refunds")));
        assert!(a.may(Privilege::Insert, DEFAULT_CATALOG, "shop", Some("anything")));
        assert!(a.sees_database(DEFAULT_CATALOG, "sales") && a.sees_database(DEFAULT_CATALOG, "shop"));
        assert!(!a.sees_database(DEFAULT_CATALOG, "hr"));
        assert!(a.sees_table(DEFAULT_CATALOG, "sales", "orders") && !a.sees_table(DEFAULT_CATALOG, "sales", "salaries"));
        assert!(a.may_use_cluster("flink-1.20"));
        // Without the role, only the direct grant.
        let none = Access::compute(&model, 1, &bi, "localhost", Some(&[]));
        assert!(!none.may(Privilege::Insert, DEFAULT_CATALOG, "shop", Some("x")));
        assert_eq!(a.table_denied(Privilege::Insert, "hr.pay").to_string(), "INSERT command denied to user 'bi'@'localhost' for table 'hr.pay'");
    }

    #[test]
    fn revoked_usage_and_tenant_bounds() {
        let bi = AccountName::new("bi", "%");
        let model = Model {
            grants: vec![GrantRecord {
                grantee: bi.clone(),
                privilege: Privilege::Usage,
                level: Level::Cluster("flink-2.2".into()),
                grantable: false,
                negative: true,
            }],
            ..Default::default()
        };
        let a = Access::compute(&model, 1, &bi, "h", None);
        assert!(a.may_use_cluster("flink-1.20") && !a.may_use_cluster("flink-2.2"));
    }
}
