//! What a statement needs, read once from its [`Statement`] value (and, for a statement bound
//! for Flink, the tables its tree reads and writes), checked against the session's [`Access`]
//! before anything reaches Flink. Tables of rules, not chains of `if`:
//!
//! * a Flink statement: SELECT on every table it reads, INSERT on the table it writes (Flink's
//!   INSERT, UPSERT, UPDATE, DELETE), CREATE / DROP / ALTER / CREATE VIEW on the object its DDL
//!   names, CREATE CATALOG for catalogs; a statement whose tables Weir cannot read needs SELECT
//!   on its whole database; Flink's own statements by their leading words ([`FLINK_OTHER`]);
//! * Weir's statements by family ([`extended`]);
//! * `USE`: some privilege in that database (1044); `KILL` of another account's connection:
//!   SUPER (1095).
//!
//! Metadata (SHOW, DESCRIBE, information_schema, COM_FIELD_LIST) is not checked here: it only
//! ever shows what the session may see (`crate::metadata`).

use std::collections::BTreeSet;
use std::ops::ControlFlow;

use sqlparser::ast::{self, TableObject, Visit, Visitor};
use sqlparser::dialect::GenericDialect;
use sqlparser::parser::Parser;

use super::{Access, AuthError};
use crate::lineage::analyze::parts;
use crate::statement::ddl::Action;
use crate::statement::privilege::Privilege;
use crate::statement::{DatasyncStatement, JobStatement, ScheduleStatement};
use crate::statement::{Extended, FlinkKind, FlinkStatement, Listed, ObjectKind, Statement};

/// The catalog and database unqualified names resolve in.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    pub catalog: &'a str,
    pub database: &'a str,
}

/// `catalog.db.table`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Qualified {
    pub catalog: String,
    pub database: String,
    pub table: String,
}

impl Qualified {
    /// `t`, `db.t` or `catalog.db.t` in `scope`; `None` for any other number of parts.
    pub fn of(parts: &[String], scope: Scope<'_>) -> Option<Self> {
        let (c, d, t) = match parts {
            [t] => (scope.catalog, scope.database, t.as_str()),
            [d, t] => (scope.catalog, d.as_str(), t.as_str()),
            [c, d, t] => (c.as_str(), d.as_str(), t.as_str()),
            _ => return None,
        };
        Some(Self { catalog: c.to_string(), database: d.to_string(), table: t.to_string() })
    }

    /// As errors and the audit name it: `db.table` in the default catalog, else all three.
    pub fn display(&self) -> String {
        if self.catalog == crate::statement::privilege::DEFAULT_CATALOG {
            format!("{}.{}", self.database, self.table)
        } else {
            format!("{}.{}.{}", self.catalog, self.database, self.table)
        }
    }
}

/// One thing a statement needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Need {
    /// A privilege at `*.*` (1227).
    Global(Privilege),
    /// One of these at `*.*` (1227).
    AnyGlobal(&'static [Privilege]),
    /// A privilege on a table (1142).
    Table(Privilege, Qualified),
    /// A privilege on a database, granted at it or above (1044).
    Database(Privilege, String, String),
    /// Some privilege in a database (`USE`, 1044).
    SeeDatabase(String, String),
    /// Some privilege in a catalog (`USE CATALOG`, 1044).
    SeeCatalog(String),
    /// A catalog in the tenant's list (creating, altering or dropping one, 1044): a tenant's user
    /// meets every name outside the list alike, whether another tenant has that catalog or not.
    TenantCatalog(String),
}

/// Flink's statements of no other kind, by leading words: what they need (`None`: nothing).
const FLINK_OTHER: &[(&[&str], Option<Privilege>)] = &[
    (&["SHOW", "CURRENT"], None),
    (&["SHOW", "MODULES"], None),
    (&["SHOW", "FULL", "MODULES"], None),
    (&["SHOW", "JARS"], None),
    (&["SHOW", "CREATE"], Some(Privilege::Select)),
    (&["DESCRIBE"], Some(Privilege::Select)),
    (&["DESC"], Some(Privilege::Select)),
    (&["SHOW", "COLUMNS"], Some(Privilege::Select)),
    (&["SHOW", "JOBS"], Some(Privilege::Process)),
    (&["DESCRIBE", "JOB"], Some(Privilege::Process)),
    (&["SHOW", "MATERIALIZED"], Some(Privilege::Select)),
    (&["ANALYZE"], Some(Privilege::Insert)),
    (&["TRUNCATE"], Some(Privilege::Drop)),
];

/// What `statement` (whose text is `sql`) needs in `scope`.
pub fn needs(statement: &Statement, sql: &str, scope: Scope<'_>) -> Vec<Need> {
    match statement {
        Statement::Flink(f) => flink(f, sql, scope),
        Statement::Use(db) => {
            // `USE catalog.db` picks the catalog too.
            let (catalog, db) = match db.split_once('.') {
                Some((c, d)) if !c.is_empty() && !d.is_empty() => (c, d),
                _ => (scope.catalog, db.as_str()),
            };
            vec![Need::SeeDatabase(catalog.to_string(), db.to_string())]
        }
        Statement::Extended(e) => extended(e),
        Statement::Metadata(crate::statement::MetaStatement::SetCatalog(c)) => {
            vec![Need::SeeCatalog(c.clone())]
        }
        // A view's definition: SHOW VIEW on it (what else metadata shows, it filters).
        Statement::Metadata(crate::statement::MetaStatement::ShowCreate { table, view: true, .. }) => {
            let name: Vec<String> = match (&table.catalog, &table.database) {
                (Some(c), Some(d)) => vec![c.clone(), d.clone(), table.table.clone()],
                (Some(c), None) => vec![c.clone(), scope.database.to_string(), table.table.clone()],
                (None, Some(d)) => vec![d.clone(), table.table.clone()],
                (None, None) => vec![table.table.clone()],
            };
            Qualified::of(&name, scope).map(|q| vec![Need::Table(Privilege::ShowView, q)]).unwrap_or_default()
        }
        Statement::Metadata(_) | Statement::Local(_) => Vec::new(),
    }
}

/// What a session's statements bound for Flink needed, by their text and the catalog and
/// database they were checked in: a statement sent again (a BI tool's, a dashboard's) is checked
/// and audited without parsing it again. Bounded: full, it starts over.
#[derive(Debug, Default)]
pub struct NeedsCache {
    map: std::collections::HashMap<(String, String, String), std::sync::Arc<Vec<Need>>>,
}

/// Statements a session's [`NeedsCache`] keeps.
const NEEDS_CACHED: usize = 256;

impl NeedsCache {
    /// What `f` (whose text is `sql`) needs in `scope`, computed once per text and scope.
    pub fn flink(&mut self, f: &FlinkStatement, sql: &str, scope: Scope<'_>) -> std::sync::Arc<Vec<Need>> {
        let key = (scope.catalog.to_string(), scope.database.to_string(), sql.to_string());
        if let Some(n) = self.map.get(&key) {
            return n.clone();
        }
        if self.map.len() >= NEEDS_CACHED {
            self.map.clear();
        }
        let needs = std::sync::Arc::new(flink(f, sql, scope));
        self.map.insert(key, needs.clone());
        needs
    }
}

/// What a statement bound for Flink needs.
pub fn flink(f: &FlinkStatement, sql: &str, scope: Scope<'_>) -> Vec<Need> {
    let db = || (scope.catalog.to_string(), scope.database.to_string());
    match &f.kind {
        FlinkKind::Query | FlinkKind::Explain { .. } => match relations(sql, scope) {
            Some(r) => r.reads.into_iter().map(|t| Need::Table(Privilege::Select, t)).collect(),
            None => vec![Need::Database(Privilege::Select, db().0, db().1)],
        },
        FlinkKind::Dml => {
            let mut out = Vec::new();
            match relations(sql, scope) {
                Some(r) => {
                    out.extend(r.writes.into_iter().map(|t| Need::Table(Privilege::Insert, t)));
                    out.extend(r.reads.into_iter().map(|t| Need::Table(Privilege::Select, t)));
                }
                None => {
                    match f.writes.as_deref().and_then(|w| Qualified::of(w, scope)) {
                        Some(t) => out.push(Need::Table(Privilege::Insert, t)),
                        None => out.push(Need::Database(Privilege::Insert, db().0, db().1)),
                    }
                    out.push(Need::Database(Privilege::Select, db().0, db().1));
                }
            }
            out
        }
        FlinkKind::Ddl(d) => {
            let privilege = match (&d.action, d.kind) {
                (_, ObjectKind::Catalog) => {
                    let mut out = vec![Need::Global(Privilege::CreateCatalog)];
                    out.extend(d.name.last().map(|c| Need::TenantCatalog(c.clone())));
                    return out;
                }
                (Action::Create { .. }, ObjectKind::View) => Privilege::CreateView,
                (Action::Create { .. }, _) => Privilege::Create,
                (Action::Drop { .. }, _) => Privilege::Drop,
                (Action::Alter { .. }, _) => Privilege::Alter,
            };
            let mut out = match d.kind {
                ObjectKind::Database => {
                    let (c, name) = match d.name.as_slice() {
                        [c, name] => (c.clone(), name.clone()),
                        [name] => (scope.catalog.to_string(), name.clone()),
                        _ => db(),
                    };
                    vec![Need::Database(privilege, c, name)]
                }
                ObjectKind::Function => match d.name.as_slice() {
                    [c, dbn, _] => vec![Need::Database(privilege, c.clone(), dbn.clone())],
                    [dbn, _] => vec![Need::Database(privilege, scope.catalog.to_string(), dbn.clone())],
                    _ => vec![Need::Database(privilege, db().0, db().1)],
                },
                _ => match Qualified::of(&d.name, scope) {
                    Some(t) => vec![Need::Table(privilege, t)],
                    None => vec![Need::Database(privilege, db().0, db().1)],
                },
            };
            // `CREATE TABLE … AS SELECT` and views read what their query reads.
            if matches!(d.action, Action::Create { .. })
                && let Some(r) = relations(sql, scope)
            {
                out.extend(r.reads.into_iter().map(|t| Need::Table(Privilege::Select, t)));
            }
            if let Action::Alter { rename_to: Some(to) } = &d.action
                && let Some(t) = Qualified::of(to, scope)
            {
                out.push(Need::Table(Privilege::Create, t));
            }
            out
        }
        FlinkKind::Set(_) | FlinkKind::Reset(_) | FlinkKind::StatementSetBegin | FlinkKind::StatementSetEnd => Vec::new(),
        FlinkKind::UseCatalog(c) => vec![Need::SeeCatalog(c.clone())],
        FlinkKind::Listing(l) => match l.what {
            // Flink lists these unfiltered: a database-level grant shows nothing it should not.
            Listed::Relations | Listed::Functions => {
                let (c, d) = match l.from.as_deref() {
                    Some([c, d]) => (c.clone(), d.clone()),
                    Some([d]) => (scope.catalog.to_string(), d.clone()),
                    _ => db(),
                };
                vec![Need::Database(Privilege::Select, c, d)]
            }
            Listed::Databases | Listed::Catalogs => vec![Need::Global(Privilege::Select)],
        },
        FlinkKind::Jar { .. } => vec![Need::Global(Privilege::Super)],
        FlinkKind::Other => other(sql, scope),
    }
}

fn other(sql: &str, scope: Scope<'_>) -> Vec<Need> {
    let tokens = crate::statement::words::tokenize(sql);
    let leads = |words: &[&str]| words.iter().enumerate().all(|(i, w)| tokens.get(i).is_some_and(|t| t.is_keyword(w)));
    // The longest rule that matches.
    let rule = FLINK_OTHER.iter().filter(|(words, _)| leads(words)).max_by_key(|(words, _)| words.len());
    match rule {
        Some((_, None)) => Vec::new(),
        Some((_, Some(p @ (Privilege::Process | Privilege::Super)))) => vec![Need::Global(*p)],
        Some((_, Some(p))) => vec![Need::Database(*p, scope.catalog.to_string(), scope.database.to_string())],
        // STOP JOB '<id>', LOAD MODULE, CALL, …: Flink's own administration.
        None => vec![Need::Global(Privilege::Super)],
    }
}

/// Weir's statements, by family.
fn extended(e: &Extended) -> Vec<Need> {
    use Privilege as P;
    const JOB_ANY: &[Privilege] = &[P::CreateJob, P::OperateJob];
    const SCHEDULE_RUN: &[Privilege] = &[P::CreateSchedule, P::OperateJob];
    let one = |p| vec![Need::Global(p)];
    match e {
        Extended::ShowFlinkClusters { .. } | Extended::ShowConnectors { .. } | Extended::Translate { .. } | Extended::Lineage(_) => Vec::new(),
        // The access statements check their own rules (grant option, own password).
        Extended::Access(_) => Vec::new(),
        Extended::Job(j) => match j {
            JobStatement::Create { .. } | JobStatement::Drop { .. } => one(P::CreateJob),
            JobStatement::ShowCreate { .. } => vec![Need::AnyGlobal(JOB_ANY)],
            JobStatement::Start { .. } | JobStatement::Stop { .. } | JobStatement::Rollback { .. } | JobStatement::Savepoint { .. } => one(P::OperateJob),
            JobStatement::Alter { .. } => one(P::CreateJob),
        },
        Extended::Datasync(d) => match d {
            DatasyncStatement::Show { .. } => Vec::new(),
            _ => one(P::CreateDatasync),
        },
        Extended::Alert(_) => one(P::AlertAdmin),
        Extended::Schedule(s) => match s {
            ScheduleStatement::Run { .. } | ScheduleStatement::Pause { .. } | ScheduleStatement::Resume { .. } | ScheduleStatement::Stop { .. } => {
                vec![Need::AnyGlobal(SCHEDULE_RUN)]
            }
            _ => one(P::CreateSchedule),
        },
    }
}

/// Checks every need; the first that fails is the statement's error.
pub fn check(access: &Access, needs: &[Need]) -> Result<(), AuthError> {
    if access.is_superuser() {
        return Ok(());
    }
    for n in needs {
        let ok = match n {
            Need::Global(p) => access.may_global(*p),
            Need::AnyGlobal(ps) => ps.iter().any(|p| access.may_global(*p)),
            Need::Table(p, t) => access.may(*p, &t.catalog, &t.database, Some(&t.table)),
            Need::Database(p, c, d) => access.may(*p, c, d, None),
            Need::SeeDatabase(c, d) => access.sees_database(c, d),
            Need::SeeCatalog(c) => access.sees_catalog(c),
            Need::TenantCatalog(c) => access.catalog_allowed(c),
        };
        if !ok {
            return Err(match n {
                Need::Global(p) => access.needs(p.name()),
                Need::AnyGlobal(ps) => access.needs(&ps.iter().map(|p| p.name()).collect::<Vec<_>>().join(", ")),
                Need::Table(p, t) => access.table_denied(*p, &t.display()),
                Need::Database(_, _, d) | Need::SeeDatabase(_, d) => access.database_denied(d),
                Need::SeeCatalog(c) | Need::TenantCatalog(c) => access.database_denied(c),
            });
        }
    }
    Ok(())
}

/// The objects a statement names, for the audit: the tables of its needs.
pub fn objects(needs: &[Need]) -> String {
    let mut out: BTreeSet<String> = BTreeSet::new();
    for n in needs {
        match n {
            Need::Table(_, t) => {
                out.insert(format!("{}.{}.{}", t.catalog, t.database, t.table));
            }
            Need::Database(_, c, d) | Need::SeeDatabase(c, d) => {
                out.insert(format!("{c}.{d}"));
            }
            Need::SeeCatalog(c) | Need::TenantCatalog(c) => {
                out.insert(c.clone());
            }
            Need::Global(_) | Need::AnyGlobal(_) => {}
        }
    }
    out.into_iter().collect::<Vec<_>>().join(",")
}

/// The tables a statement's tree reads and writes.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Relations {
    pub reads: BTreeSet<Qualified>,
    pub writes: BTreeSet<Qualified>,
}

/// Reads the statement (a statement set: each of its statements) with sqlparser; `None` when
/// it cannot (the caller then asks for database-wide privileges).
pub fn relations(sql: &str, scope: Scope<'_>) -> Option<Relations> {
    let mut out = Relations::default();
    for text in crate::lineage::prepare::statements(sql) {
        let parsed = Parser::parse_sql(&GenericDialect {}, &text).ok()?;
        for statement in &parsed {
            let mut ctes = CteNames::default();
            let _ = statement.visit(&mut ctes);
            let target: Option<&ast::ObjectName> = match statement {
                ast::Statement::Insert(i) => match &i.table {
                    TableObject::TableName(n) => Some(n),
                    _ => None,
                },
                ast::Statement::CreateView(v) => Some(&v.name),
                ast::Statement::CreateTable(t) => Some(&t.name),
                _ => None,
            };
            let mut target_seen = false;
            let _ = ast::visit_relations(statement, |name| {
                let parts = parts(name);
                if Some(name) == target && !target_seen {
                    target_seen = true;
                    if let Some(q) = Qualified::of(&parts, scope) {
                        out.writes.insert(q);
                    }
                } else if !(parts.len() == 1 && ctes.0.contains(&parts[0].to_ascii_lowercase()))
                    && let Some(q) = Qualified::of(&parts, scope)
                {
                    out.reads.insert(q);
                }
                ControlFlow::<()>::Continue(())
            });
            // UPDATE / DELETE write the table they name.
            if let ast::Statement::Update(u) = statement
                && let ast::TableFactor::Table { name, .. } = &u.table.relation
                && let Some(q) = Qualified::of(&parts(name), scope)
            {
                out.reads.remove(&q);
                out.writes.insert(q);
            }
            if let ast::Statement::Delete(d) = statement {
                let tables = match &d.from {
                    ast::FromTable::WithFromKeyword(t) | ast::FromTable::WithoutKeyword(t) => t,
                };
                for t in tables {
                    if let ast::TableFactor::Table { name, .. } = &t.relation
                        && let Some(q) = Qualified::of(&parts(name), scope)
                    {
                        out.reads.remove(&q);
                        out.writes.insert(q);
                    }
                }
            }
        }
    }
    Some(out)
}

/// The names of every CTE a statement defines (lower case).
#[derive(Default)]
struct CteNames(BTreeSet<String>);

impl Visitor for CteNames {
    type Break = ();

    fn pre_visit_query(&mut self, query: &ast::Query) -> ControlFlow<()> {
        if let Some(with) = &query.with {
            for cte in &with.cte_tables {
                self.0.insert(cte.alias.name.value.to_ascii_lowercase());
            }
        }
        ControlFlow::Continue(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::classify;

    const SCOPE: Scope<'static> = Scope { catalog: "default_catalog", database: "shop" };

    fn q(c: &str, d: &str, t: &str) -> Qualified {
        Qualified { catalog: c.into(), database: d.into(), table: t.into() }
    }

    fn needs_of(sql: &str) -> Vec<Need> {
        needs(&classify(sql).unwrap(), sql, SCOPE)
    }

    #[test]
    fn queries_need_select_on_what_they_read_and_not_on_their_ctes() {
        assert_eq!(
            needs_of("WITH big AS (SELECT * FROM orders WHERE amount > 10) SELECT * FROM big JOIN lake.s.customers c ON big.c = c.id"),
            vec![Need::Table(Privilege::Select, q("default_catalog", "shop", "orders")), Need::Table(Privilege::Select, q("lake", "s", "customers"))]
        );
        assert_eq!(needs_of("SELECT 1 FROM (SELECT id FROM hr.pay) x"), vec![Need::Table(Privilege::Select, q("default_catalog", "hr", "pay"))]);
    }

    #[test]
    fn inserts_need_insert_on_the_sink_and_select_on_the_sources() {
        assert_eq!(
            needs_of("INSERT INTO sink SELECT * FROM src"),
            vec![Need::Table(Privilege::Insert, q("default_catalog", "shop", "sink")), Need::Table(Privilege::Select, q("default_catalog", "shop", "src"))]
        );
        // Reading its own sink needs both.
        assert_eq!(
            needs_of("INSERT INTO t SELECT * FROM t"),
            vec![Need::Table(Privilege::Insert, q("default_catalog", "shop", "t")), Need::Table(Privilege::Select, q("default_catalog", "shop", "t"))]
        );
    }

    #[test]
    fn ddl_needs_its_privilege_on_its_object() {
        assert_eq!(needs_of("CREATE TABLE t (x INT) WITH ('connector' = 'datagen')"), vec![Need::Table(Privilege::Create, q("default_catalog", "shop", "t"))]);
        assert_eq!(
            needs_of("CREATE VIEW v AS SELECT * FROM orders"),
            vec![Need::Table(Privilege::CreateView, q("default_catalog", "shop", "v")), Need::Table(Privilege::Select, q("default_catalog", "shop", "orders"))]
        );
        assert_eq!(needs_of("DROP TABLE IF EXISTS hr.pay"), vec![Need::Table(Privilege::Drop, q("default_catalog", "hr", "pay"))]);
        assert_eq!(needs_of("CREATE DATABASE d2"), vec![Need::Database(Privilege::Create, "default_catalog".into(), "d2".into())]);
        assert_eq!(
            needs_of("CREATE CATALOG c WITH ('type' = 'generic_in_memory')"),
            vec![Need::Global(Privilege::CreateCatalog), Need::TenantCatalog("c".into())]
        );
        assert_eq!(needs_of("DROP CATALOG IF EXISTS c"), vec![Need::Global(Privilege::CreateCatalog), Need::TenantCatalog("c".into())]);
    }

    #[test]
    fn flinks_administration_and_weirs_statements() {
        assert_eq!(needs_of("STOP JOB 'abc'"), vec![Need::Global(Privilege::Super)]);
        assert_eq!(needs_of("SHOW JOBS"), vec![Need::Global(Privilege::Process)]);
        assert_eq!(needs_of("SHOW CURRENT CATALOG"), vec![]);
        assert_eq!(needs_of("CREATE JOB j AS INSERT INTO a SELECT * FROM b"), vec![Need::Global(Privilege::CreateJob)]);
        assert_eq!(needs_of("START JOB j"), vec![Need::Global(Privilege::OperateJob)]);
        assert_eq!(needs_of("USE hr"), vec![Need::SeeDatabase("default_catalog".into(), "hr".into())]);
        assert_eq!(needs_of("SELECT 1"), vec![]);
    }
}
