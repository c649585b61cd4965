//! The privileges and where they are granted: one table ([`PRIVILEGES`]) says each privilege's
//! SQL name and the levels it may be granted at; [`Level`] is `*.*`, `db.*`, `db.table` (each in
//! a Flink catalog) or a cluster.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The Flink catalog a `db.*` or `db.table` grant without a catalog names.
pub const DEFAULT_CATALOG: &str = "default_catalog";

/// One privilege. MySQL's where they mean the same; Weir's for its own objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Privilege {
    Select,
    Insert,
    Create,
    Drop,
    Alter,
    CreateView,
    ShowView,
    Process,
    Super,
    CreateUser,
    CreateJob,
    OperateJob,
    CreateDatasync,
    CreateSchedule,
    CreateCatalog,
    AlertAdmin,
    AuditAdmin,
    /// `USAGE ON CLUSTER name`: statements may run on the cluster.
    Usage,
}

/// Where a privilege may be granted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// `*.*` only (administrative privileges).
    Global,
    /// `*.*`, `db.*` and `db.table`.
    Objects,
    /// `*.*` and `db.*`.
    Databases,
    /// `ON CLUSTER name` (and `*.*`, meaning every cluster).
    Cluster,
}

/// Each privilege's SQL name and the levels it is granted at.
pub const PRIVILEGES: &[(Privilege, &str, Scope)] = &[
    (Privilege::Select, "SELECT", Scope::Objects),
    (Privilege::Insert, "INSERT", Scope::Objects),
    (Privilege::Create, "CREATE", Scope::Objects),
    (Privilege::Drop, "DROP", Scope::Objects),
    (Privilege::Alter, "ALTER", Scope::Objects),
    (Privilege::CreateView, "CREATE VIEW", Scope::Objects),
    (Privilege::ShowView, "SHOW VIEW", Scope::Objects),
    (Privilege::Process, "PROCESS", Scope::Global),
    (Privilege::Super, "SUPER", Scope::Global),
    (Privilege::CreateUser, "CREATE USER", Scope::Global),
    (Privilege::CreateJob, "CREATE JOB", Scope::Global),
    (Privilege::OperateJob, "OPERATE JOB", Scope::Global),
    (Privilege::CreateDatasync, "CREATE DATASYNC", Scope::Global),
    (Privilege::CreateSchedule, "CREATE SCHEDULE", Scope::Global),
    (Privilege::CreateCatalog, "CREATE CATALOG", Scope::Global),
    (Privilege::AlertAdmin, "ALERT ADMIN", Scope::Global),
    (Privilege::AuditAdmin, "AUDIT ADMIN", Scope::Global),
    (Privilege::Usage, "USAGE", Scope::Cluster),
];

impl Privilege {
    pub fn name(self) -> &'static str {
        PRIVILEGES.iter().find(|(p, ..)| *p == self).map(|(_, n, _)| *n).unwrap_or("USAGE")
    }

    pub fn scope(self) -> Scope {
        PRIVILEGES.iter().find(|(p, ..)| *p == self).map(|(.., s)| *s).unwrap_or(Scope::Global)
    }

    /// The privilege a name (its words, upper case, one space apart) names.
    pub fn parse(words: &str) -> Option<Self> {
        PRIVILEGES.iter().find(|(_, n, _)| n.eq_ignore_ascii_case(words)).map(|(p, ..)| *p)
    }

    /// Whether it may be granted at `level`.
    pub fn grantable_at(self, level: &Level) -> bool {
        matches!(
            (self.scope(), level),
            (_, Level::Global)
                | (Scope::Objects, Level::Database { .. } | Level::Table { .. })
                | (Scope::Databases, Level::Database { .. })
                | (Scope::Cluster, Level::Cluster(_))
        )
    }

    /// `ALL [PRIVILEGES]` at `level`: every privilege that may be granted there (USAGE, which
    /// every account has, is not among them).
    pub fn all_at(level: &Level) -> Vec<Privilege> {
        PRIVILEGES.iter().map(|(p, ..)| *p).filter(|p| *p != Privilege::Usage && p.grantable_at(level)).collect()
    }
}

impl fmt::Display for Privilege {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where a grant applies.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Level {
    /// `*.*`.
    Global,
    /// `db.*` or `catalog.db.*`.
    Database { catalog: String, database: String },
    /// `db.table` or `catalog.db.table`.
    Table { catalog: String, database: String, table: String },
    /// `CLUSTER name`.
    Cluster(String),
}

impl Level {
    /// Whether this level covers the object `(catalog, database, table)`: `*.*` covers all, a
    /// database its tables, a table itself. Names match without regard to case.
    pub fn covers(&self, catalog: &str, database: &str, table: Option<&str>) -> bool {
        match self {
            Level::Global => true,
            Level::Database { catalog: c, database: d } => c.eq_ignore_ascii_case(catalog) && d.eq_ignore_ascii_case(database),
            Level::Table { catalog: c, database: d, table: t } => {
                c.eq_ignore_ascii_case(catalog) && d.eq_ignore_ascii_case(database) && table.is_some_and(|x| t.eq_ignore_ascii_case(x))
            }
            Level::Cluster(_) => false,
        }
    }

    /// Whether this level lies inside `(catalog, database)` (a grant there makes the database
    /// visible).
    pub fn within(&self, catalog: &str, database: &str) -> bool {
        match self {
            Level::Global => true,
            Level::Database { catalog: c, database: d } | Level::Table { catalog: c, database: d, .. } => {
                c.eq_ignore_ascii_case(catalog) && d.eq_ignore_ascii_case(database)
            }
            Level::Cluster(_) => false,
        }
    }

    pub fn catalog(&self) -> Option<&str> {
        match self {
            Level::Database { catalog, .. } | Level::Table { catalog, .. } => Some(catalog),
            _ => None,
        }
    }
}

impl fmt::Display for Level {
    /// As `SHOW GRANTS` writes it: `*.*`, `` `db`.* ``, `` `db`.`t` ``, with the catalog first
    /// unless it is the default one; `CLUSTER `c``.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let q = |s: &str| format!("`{}`", s.replace('`', "``"));
        let prefix = |c: &str| {
            if c == DEFAULT_CATALOG { String::new() } else { format!("{}.", q(c)) }
        };
        match self {
            Level::Global => f.write_str("*.*"),
            Level::Database { catalog, database } => {
                write!(f, "{}{}.*", prefix(catalog), q(database))
            }
            Level::Table { catalog, database, table } => write!(f, "{}{}.{}", prefix(catalog), q(database), q(table)),
            Level::Cluster(c) => write!(f, "CLUSTER {}", q(c)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_privilege_has_one_name_that_parses_back() {
        for (p, name, _) in PRIVILEGES {
            assert_eq!(Privilege::parse(name), Some(*p));
            assert_eq!(Privilege::parse(&name.to_lowercase()), Some(*p));
        }
    }

    #[test]
    fn levels_cover_what_they_name() {
        let db = Level::Database { catalog: DEFAULT_CATALOG.into(), database: "shop".into() };
        assert!(db.covers("default_catalog", "SHOP", Some("orders")));
        assert!(!db.covers("paimon", "shop", Some("orders")));
        let t = Level::Table { catalog: DEFAULT_CATALOG.into(), database: "shop".into(), table: "orders".into() };
        assert!(t.covers("default_catalog", "shop", Some("orders")));
        assert!(!t.covers("default_catalog", "shop", Some("refunds")));
        assert!(!t.covers("default_catalog", "shop", None));
        assert!(t.within("default_catalog", "shop"));
        assert_eq!(t.to_string(), "`shop`.`orders`");
        let p = Level::Database { catalog: "lake".into(), database: "s".into() };
        assert_eq!(p.to_string(), "`lake`.`s`.*");
    }

    #[test]
    fn all_at_a_level_is_what_may_be_granted_there() {
        let t = Level::Table { catalog: DEFAULT_CATALOG.into(), database: "d".into(), table: "t".into() };
        let all = Privilege::all_at(&t);
        assert!(all.contains(&Privilege::Select) && !all.contains(&Privilege::Super) && !all.contains(&Privilege::Usage));
        assert!(Privilege::all_at(&Level::Global).contains(&Privilege::AuditAdmin));
        assert!(!Privilege::Super.grantable_at(&t));
    }
}
