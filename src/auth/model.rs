//! What the store holds about who may do what, as plain values: accounts and roles (a role is an
//! account that cannot log in), grants, role edges, tenants. [`Model`] is one consistent copy of
//! it, answering the questions login and [`super::Access`] ask.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::protocol::StoredPassword;
use crate::statement::AccountName;
use crate::statement::privilege::{Level, Privilege};

#[derive(Debug, Clone)]
pub struct AccountRecord {
    pub name: AccountName,
    pub password: StoredPassword,
    pub require_ssl: bool,
    pub tenant: Option<String>,
    pub is_role: bool,
    pub created_at: i64,
}

/// One privilege held at one level. `negative`: an implicit privilege (USAGE on a cluster)
/// revoked.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct GrantRecord {
    pub grantee: AccountName,
    pub privilege: Privilege,
    pub level: Level,
    pub grantable: bool,
    pub negative: bool,
}

/// `GRANT role TO account`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RoleEdge {
    pub role: AccountName,
    pub to: AccountName,
    pub admin: bool,
}

/// A tenant: the catalogs and clusters its users may use, and its quotas.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tenant {
    pub name: String,
    pub catalogs: Vec<String>,
    pub clusters: Vec<String>,
    pub max_running_jobs: Option<u32>,
    pub max_slots: Option<u32>,
    pub created_at: i64,
}

impl Tenant {
    /// The options of `CREATE TENANT … WITH (…)`; an unknown option or a bad number is named.
    pub fn from_options(name: &str, options: &BTreeMap<String, String>, created_at: i64) -> Result<Self, String> {
        let list = |v: &str| v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect::<Vec<_>>();
        let number = |k: &str, v: &str| v.trim().parse::<u32>().map_err(|_| format!("tenant option '{k}' must be a whole number, not '{v}'"));
        let mut t = Tenant { name: name.to_string(), catalogs: Vec::new(), clusters: Vec::new(), max_running_jobs: None, max_slots: None, created_at };
        for (k, v) in options {
            match k.as_str() {
                "catalogs" => t.catalogs = list(v),
                "clusters" => t.clusters = list(v),
                "max_running_jobs" => t.max_running_jobs = Some(number(k, v)?),
                "max_slots" => t.max_slots = Some(number(k, v)?),
                other => {
                    return Err(format!("unknown tenant option '{other}' (catalogs, clusters, max_running_jobs, max_slots)"));
                }
            }
        }
        Ok(t)
    }
}

/// One consistent copy of the access records.
#[derive(Debug, Clone, Default)]
pub struct Model {
    pub accounts: Vec<AccountRecord>,
    pub grants: Vec<GrantRecord>,
    pub edges: Vec<RoleEdge>,
    pub tenants: Vec<Tenant>,
}

/// Whether an account's host pattern admits a client: `%` any, `localhost` a loopback client,
/// else the client's address (MySQL's `%` and `_` wildcards).
pub fn host_matches(pattern: &str, ip: &std::net::IpAddr) -> bool {
    if pattern == "%" {
        return true;
    }
    if pattern.eq_ignore_ascii_case("localhost") {
        return ip.is_loopback();
    }
    crate::value::like(pattern, &ip.to_string())
}

impl Model {
    pub fn account(&self, name: &AccountName) -> Option<&AccountRecord> {
        self.accounts.iter().find(|a| a.name.user == name.user && a.name.host.eq_ignore_ascii_case(&name.host))
    }

    /// The login account for `user` from `ip`: the most specific host pattern that admits it
    /// (an exact host before a pattern, `%` last), as MySQL sorts its user table. Roles cannot
    /// log in.
    pub fn login(&self, user: &str, ip: &std::net::IpAddr) -> Option<&AccountRecord> {
        let mut candidates: Vec<&AccountRecord> =
            self.accounts.iter().filter(|a| !a.is_role && a.name.user == user && host_matches(&a.name.host, ip)).collect();
        candidates.sort_by_key(|a| (a.name.host.contains('%') || a.name.host.contains('_'), a.name.host == "%"));
        candidates.into_iter().next()
    }

    pub fn tenant(&self, name: &str) -> Option<&Tenant> {
        self.tenants.iter().find(|t| t.name == name)
    }

    /// The roles granted to `who`, directly.
    pub fn roles_of(&self, who: &AccountName) -> Vec<&RoleEdge> {
        self.edges.iter().filter(|e| &e.to == who).collect()
    }

    /// Every role `who` holds, directly or through other roles.
    pub fn roles_closure(&self, who: &AccountName) -> BTreeSet<AccountName> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![who.clone()];
        while let Some(w) = todo.pop() {
            for e in self.roles_of(&w) {
                if seen.insert(e.role.clone()) {
                    todo.push(e.role.clone());
                }
            }
        }
        seen
    }

    /// The grants held by `who` itself.
    pub fn grants_of(&self, who: &AccountName) -> impl Iterator<Item = &GrantRecord> {
        self.grants.iter().filter(move |g| &g.grantee == who)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(user: &str, host: &str) -> AccountRecord {
        AccountRecord { name: AccountName::new(user, host), password: StoredPassword::Empty, require_ssl: false, tenant: None, is_role: false, created_at: 0 }
    }

    #[test]
    fn login_takes_the_most_specific_host() {
        let m = Model { accounts: vec![account("bi", "%"), account("bi", "localhost"), account("bi", "10.0.%")], ..Default::default() };
        let local: std::net::IpAddr = "127.0.0.1".parse().unwrap();
        let lan: std::net::IpAddr = "10.0.3.4".parse().unwrap();
        let far: std::net::IpAddr = "192.168.1.1".parse().unwrap();
        assert_eq!(m.login("bi", &local).map(|a| a.name.host.as_str()), Some("localhost"));
        assert_eq!(m.login("bi", &lan).map(|a| a.name.host.as_str()), Some("10.0.%"));
        assert_eq!(m.login("bi", &far).map(|a| a.name.host.as_str()), Some("%"));
        assert!(m.login("nobody", &far).is_none());
    }

    #[test]
    fn roles_close_transitively_and_survive_loops() {
        let a = AccountName::new("a", "%");
        let r1 = AccountName::new("r1", "%");
        let r2 = AccountName::new("r2", "%");
        let m = Model {
            edges: vec![
                RoleEdge { role: r1.clone(), to: a.clone(), admin: false },
                RoleEdge { role: r2.clone(), to: r1.clone(), admin: false },
                RoleEdge { role: r1.clone(), to: r2.clone(), admin: false },
            ],
            ..Default::default()
        };
        assert_eq!(m.roles_closure(&a), [r1, r2].into_iter().collect());
    }

    #[test]
    fn tenant_options_are_read_or_named() {
        let mut o = BTreeMap::new();
        o.insert("catalogs".to_string(), "lake, acme_cat".to_string());
        o.insert("max_running_jobs".to_string(), "2".to_string());
        let t = Tenant::from_options("acme", &o, 0).unwrap();
        assert_eq!(t.catalogs, vec!["lake", "acme_cat"]);
        assert_eq!(t.max_running_jobs, Some(2));
        o.insert("max_jobs".to_string(), "1".to_string());
        assert!(Tenant::from_options("acme", &o, 0).unwrap_err().contains("max_jobs"));
    }
}
