//! Weir's catalog of record: the non-temporary objects (catalogs, databases, tables, views,
//! functions) created through Weir, kept in a store every connection, Weir instance, restart and
//! Flink version shares. Flink's SQL Gateway keeps a catalog per session and forgets it; Weir
//! records each object once Flink accepted it, in the definition Flink reports, and a session
//! materializes the objects a statement references into its Flink session just before the
//! statement runs ([`CatalogStore::needed`]).
//!
//! The store ([`store`]) is the truth; this module keeps an in-memory index of it, updated at
//! once by this instance's own DDL and by polling the store's generation for other instances'.

pub mod script;
pub mod store;

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tracing::{info, warn};

/// Flink's built-in in-memory catalog, present in every session.
pub const DEFAULT_CATALOG: &str = "default_catalog";

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("{kind} {name} already exists")]
    Exists { kind: ObjectKind, name: String },
    #[error("Cannot drop or rename {} {name}: {dependents} depend(s) on it (DROP ... CASCADE drops them too)", kind.as_str())]
    Dependents { kind: ObjectKind, name: String, dependents: String },
    #[error("Weir's catalog store failed: {0}")]
    Store(String),
    #[error("Weir's catalog store holds an unreadable record: {0}")]
    Corrupt(String),
    #[error("{0}")]
    Config(String),
}

/// Objects that share a name space in Flink: tables and views cannot have the same name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Namespace {
    Catalog,
    Database,
    Relation,
    Function,
}

impl Namespace {
    pub fn as_str(self) -> &'static str {
        match self {
            Namespace::Catalog => "catalog",
            Namespace::Database => "database",
            Namespace::Relation => "relation",
            Namespace::Function => "function",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Namespace::Catalog, Namespace::Database, Namespace::Relation, Namespace::Function].into_iter().find(|n| n.as_str() == s)
    }
}

pub use crate::statement::ObjectKind;

/// The namespace an object kind's names live in.
pub fn namespace_of(kind: ObjectKind) -> Namespace {
    match kind {
        ObjectKind::Catalog => Namespace::Catalog,
        ObjectKind::Database => Namespace::Database,
        ObjectKind::Table | ObjectKind::View => Namespace::Relation,
        ObjectKind::Function => Namespace::Function,
    }
}

/// An object's full, case-sensitive name: `catalog` alone for a catalog, `catalog.database` for
/// a database, all three parts for tables, views and functions (unused parts empty).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ObjectKey {
    pub namespace: Namespace,
    pub catalog: String,
    pub database: String,
    pub name: String,
}

impl ObjectKey {
    pub fn catalog(c: &str) -> Self {
        Self { namespace: Namespace::Catalog, catalog: c.into(), database: String::new(), name: String::new() }
    }

    pub fn database(c: &str, d: &str) -> Self {
        Self { namespace: Namespace::Database, catalog: c.into(), database: d.into(), name: String::new() }
    }

    pub fn object(namespace: Namespace, c: &str, d: &str, n: &str) -> Self {
        Self { namespace, catalog: c.into(), database: d.into(), name: n.into() }
    }

    /// The key a name written in a statement refers to, for an object of `kind`, resolved
    /// against the session's current catalog and database.
    pub fn resolve(kind: ObjectKind, name: &[String], scope: &Scope) -> Option<Self> {
        let part = |i: usize| name.get(i).map(String::as_str);
        Some(match (namespace_of(kind), name.len()) {
            (Namespace::Catalog, 1) => Self::catalog(part(0)?),
            (Namespace::Database, 1) => Self::database(&scope.catalog, part(0)?),
            (Namespace::Database, 2) => Self::database(part(0)?, part(1)?),
            (ns @ (Namespace::Relation | Namespace::Function), 1) => Self::object(ns, &scope.catalog, &scope.database, part(0)?),
            (ns @ (Namespace::Relation | Namespace::Function), 2) => Self::object(ns, &scope.catalog, part(0)?, part(1)?),
            (ns @ (Namespace::Relation | Namespace::Function), 3) => Self::object(ns, part(0)?, part(1)?, part(2)?),
            _ => return None,
        })
    }

    /// The database holding this object, if it lives in one.
    pub fn parent_database(&self) -> Option<ObjectKey> {
        matches!(self.namespace, Namespace::Relation | Namespace::Function).then(|| Self::database(&self.catalog, &self.database))
    }

    /// The catalog holding this object.
    pub fn parent_catalog(&self) -> Option<ObjectKey> {
        (self.namespace != Namespace::Catalog).then(|| Self::catalog(&self.catalog))
    }

    /// The name quoted for Flink: `` `c`.`d`.`t` ``.
    pub fn quoted(&self) -> String {
        let parts: Vec<&str> = match self.namespace {
            Namespace::Catalog => vec![&self.catalog],
            Namespace::Database => vec![&self.catalog, &self.database],
            _ => vec![&self.catalog, &self.database, &self.name],
        };
        parts.iter().map(|p| quote(p)).collect::<Vec<_>>().join(".")
    }
}

impl fmt::Display for ObjectKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<&str> = match self.namespace {
            Namespace::Catalog => vec![&self.catalog],
            Namespace::Database => vec![&self.catalog, &self.database],
            _ => vec![&self.catalog, &self.database, &self.name],
        };
        write!(f, "'{}'", parts.join("."))
    }
}

pub fn quote(ident: &str) -> String {
    format!("`{}`", ident.replace('`', "``"))
}

/// The session's current catalog and database, against which partial names resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub catalog: String,
    pub database: String,
}

/// One recorded object.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredObject {
    pub key: ObjectKey,
    pub kind: ObjectKind,
    /// The Flink statements that recreate it, with fully qualified names (`CREATE ... IF NOT
    /// EXISTS`, then any ALTER that Flink cannot fold into a definition it reports).
    pub ddl: Vec<String>,
    /// Recorded objects it needs: its catalog and database if recorded, the tables and
    /// functions a view reads.
    pub deps: Vec<ObjectKey>,
    /// What metadata answers need without asking Flink: columns, comment.
    pub info: serde_json::Value,
    /// The store generation that wrote it.
    pub version: i64,
}

struct Index {
    generation: i64,
    objects: HashMap<ObjectKey, Arc<StoredObject>>,
}

pub struct CatalogStore {
    backend: store::Backend,
    index: RwLock<Index>,
    /// Serializes this instance's writes, so index updates apply in generation order.
    write: tokio::sync::Mutex<()>,
}

impl CatalogStore {
    pub async fn open(url: &str) -> Result<Arc<Self>, CatalogError> {
        let backend = store::Backend::open(url).await?;
        let expired = backend.expire_pending(backend.is_local()).await?;
        if expired > 0 {
            warn!(expired, "dropped reservations of CREATE statements that never finished (crash or lost connection)");
        }
        let (generation, objects) = backend.load().await?;
        info!(objects = objects.len(), generation, "catalog store opened");
        let objects = objects.into_iter().map(|o| (o.key.clone(), Arc::new(o))).collect();
        Ok(Arc::new(Self { backend, index: RwLock::new(Index { generation, objects }), write: tokio::sync::Mutex::new(()) }))
    }

    /// Polls the store for other instances' changes every `every`.
    pub fn spawn_poller(self: &Arc<Self>, every: Duration) {
        let me = Arc::downgrade(self);
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(every).await;
                let Some(store) = me.upgrade() else { return };
                if let Err(e) = store.refresh().await {
                    warn!(error = %e, "polling the catalog store");
                }
                let _ = store.backend.expire_pending(false).await;
            }
        });
    }

    /// Reloads the index if the store changed.
    pub async fn refresh(&self) -> Result<(), CatalogError> {
        let generation = self.backend.generation().await?;
        if generation == self.generation() {
            return Ok(());
        }
        let _w = self.write.lock().await;
        let (generation, objects) = self.backend.load().await?;
        let mut index = self.index.write().map_err(|_| CatalogError::Store("index lock poisoned".into()))?;
        index.objects = objects.into_iter().map(|o| (o.key.clone(), Arc::new(o))).collect();
        index.generation = generation;
        Ok(())
    }

    /// The store behind the catalog, which other records (managed jobs) share.
    pub fn backend(&self) -> &store::Backend {
        &self.backend
    }

    pub fn generation(&self) -> i64 {
        self.index.read().map(|i| i.generation).unwrap_or(-1)
    }

    pub fn get(&self, key: &ObjectKey) -> Option<Arc<StoredObject>> {
        self.index.read().ok()?.objects.get(key).cloned()
    }

    pub fn len(&self) -> usize {
        self.index.read().map(|i| i.objects.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether objects created in `catalog` are Weir's to record: Flink's in-memory catalogs
    /// (the default one, and `generic_in_memory` ones created through Weir) forget them with the
    /// session; other catalog types (JDBC, Hive, Paimon, ...) keep their own.
    pub fn records_in(&self, catalog: &str) -> bool {
        if catalog == DEFAULT_CATALOG {
            return true;
        }
        self.get(&ObjectKey::catalog(catalog))
            .and_then(|c| c.info.get("type").and_then(|t| t.as_str()).map(|t| t == "generic_in_memory"))
            .unwrap_or(false)
    }

    pub async fn reserve(&self, key: &ObjectKey, kind: ObjectKind) -> Result<(), CatalogError> {
        if self.get(key).is_some() {
            return Err(CatalogError::Exists { kind, name: key.to_string() });
        }
        self.backend.reserve(key, kind).await
    }

    pub async fn release(&self, key: &ObjectKey) -> Result<(), CatalogError> {
        self.backend.release(key).await
    }

    /// Records `put` and removes `remove`, atomically; returns the objects as recorded.
    pub async fn apply(&self, mut put: Vec<StoredObject>, remove: &[ObjectKey]) -> Result<Vec<Arc<StoredObject>>, CatalogError> {
        let _w = self.write.lock().await;
        let generation = self.backend.apply(&mut put, remove).await?;
        let put: Vec<Arc<StoredObject>> = put.into_iter().map(Arc::new).collect();
        let in_step = {
            let mut index = self.index.write().map_err(|_| CatalogError::Store("index lock poisoned".into()))?;
            if index.generation == generation - 1 {
                for k in remove {
                    index.objects.remove(k);
                }
                for o in &put {
                    index.objects.insert(o.key.clone(), o.clone());
                }
                index.generation = generation;
                true
            } else {
                false
            }
        };
        if !in_step {
            // Another instance wrote in between: take the store's whole state.
            let (generation, objects) = self.backend.load().await?;
            if let Ok(mut index) = self.index.write() {
                index.objects = objects.into_iter().map(|o| (o.key.clone(), Arc::new(o))).collect();
                index.generation = generation;
            }
        }
        Ok(put)
    }

    /// The recorded objects a statement that mentions `names` may reference, with everything
    /// they need, in the order they must be created. A name that also means something else (a
    /// column named like a table) only costs an unneeded creation.
    pub fn needed(&self, names: &[Vec<String>], scope: &Scope) -> Vec<Arc<StoredObject>> {
        let Ok(index) = self.index.read() else { return Vec::new() };
        if index.objects.is_empty() {
            return Vec::new();
        }
        let mut roots = Vec::new();
        for name in names {
            for kind in [ObjectKind::Table, ObjectKind::Function, ObjectKind::Database, ObjectKind::Catalog] {
                if let Some(key) = ObjectKey::resolve(kind, name, scope)
                    && index.objects.contains_key(&key)
                {
                    roots.push(key);
                }
            }
            // The catalog or database a longer name starts with.
            if name.len() >= 2 {
                roots.push(ObjectKey::catalog(&name[0]));
                if name.len() == 3 {
                    roots.push(ObjectKey::database(&name[0], &name[1]));
                }
            }
        }
        // The session's own scope, for names resolved against it.
        roots.push(ObjectKey::database(&scope.catalog, &scope.database));
        roots.push(ObjectKey::catalog(&scope.catalog));
        in_dependency_order(&index.objects, roots)
    }

    /// Every recorded object in `namespace` under a catalog (and database), with what they
    /// need: for Flink's own SHOW statements, which list only what the session has.
    pub fn listed(&self, namespace: Namespace, catalog: Option<&str>, database: Option<&str>) -> Vec<Arc<StoredObject>> {
        let Ok(index) = self.index.read() else { return Vec::new() };
        let roots = keys_in(&index.objects, namespace, catalog, database).map(|o| o.key.clone()).collect();
        in_dependency_order(&index.objects, roots)
    }

    /// The recorded objects of `namespace` directly under a catalog (and database), without
    /// what they need: for metadata listings.
    pub fn objects_in(&self, namespace: Namespace, catalog: Option<&str>, database: Option<&str>) -> Vec<Arc<StoredObject>> {
        let Ok(index) = self.index.read() else { return Vec::new() };
        let mut out: Vec<Arc<StoredObject>> = keys_in(&index.objects, namespace, catalog, database).cloned().collect();
        out.sort_by(|a, b| a.key.cmp(&b.key));
        out
    }

    /// The recorded objects of a database named `name` in any case (no copy of the others).
    pub fn objects_named(&self, namespace: Namespace, catalog: &str, database: &str, name: &str) -> Vec<Arc<StoredObject>> {
        let Ok(index) = self.index.read() else { return Vec::new() };
        keys_in(&index.objects, namespace, Some(catalog), Some(database)).filter(|o| o.key.name.eq_ignore_ascii_case(name)).cloned().collect()
    }

    /// Every recorded object, in creation order (for `weir catalog dump`).
    pub fn all(&self) -> Vec<Arc<StoredObject>> {
        let Ok(index) = self.index.read() else { return Vec::new() };
        let mut roots: Vec<ObjectKey> = index.objects.keys().cloned().collect();
        roots.sort();
        in_dependency_order(&index.objects, roots)
    }

    /// The recorded objects that need `key`, directly or through others.
    pub fn dependents(&self, key: &ObjectKey) -> Vec<Arc<StoredObject>> {
        let Ok(index) = self.index.read() else { return Vec::new() };
        let mut found: HashSet<ObjectKey> = HashSet::new();
        let mut frontier = vec![key.clone()];
        while let Some(k) = frontier.pop() {
            for o in index.objects.values() {
                if o.deps.contains(&k) && found.insert(o.key.clone()) {
                    frontier.push(o.key.clone());
                }
            }
        }
        let mut out: Vec<Arc<StoredObject>> = found.iter().filter_map(|k| index.objects.get(k).cloned()).collect();
        // Dependents of dependents first: the order to drop them in.
        let order = in_dependency_order(&index.objects, found.into_iter().collect());
        out.sort_by_key(|o| std::cmp::Reverse(order.iter().position(|x| x.key == o.key)));
        out
    }

    /// The recorded objects a new object's definition (its statements) needs.
    pub fn deps_of(&self, key: &ObjectKey, ddl: &[String], scope: &Scope) -> Vec<ObjectKey> {
        let mut deps: Vec<ObjectKey> = Vec::new();
        let mentioned = ddl.iter().map(|s| crate::statement::classify::classify_flink(s).mentions);
        for k in mentioned.flat_map(|names| self.needed(&names, scope)).map(|o| o.key.clone()) {
            if &k != key && !deps.contains(&k) {
                deps.push(k);
            }
        }
        for parent in [key.parent_database(), key.parent_catalog()].into_iter().flatten() {
            if self.get(&parent).is_some() && !deps.contains(&parent) {
                deps.push(parent);
            }
        }
        deps
    }
}

/// The objects of `namespace` directly under a catalog (and database).
fn keys_in<'a>(
    objects: &'a HashMap<ObjectKey, Arc<StoredObject>>,
    namespace: Namespace,
    catalog: Option<&'a str>,
    database: Option<&'a str>,
) -> impl Iterator<Item = &'a Arc<StoredObject>> {
    objects
        .values()
        .filter(move |o| o.key.namespace == namespace)
        .filter(move |o| catalog.is_none_or(|c| o.key.catalog == c))
        .filter(move |o| database.is_none_or(|d| o.key.database == d))
}

/// `roots` that are recorded, and what they need, dependencies first, each once.
fn in_dependency_order(objects: &HashMap<ObjectKey, Arc<StoredObject>>, roots: Vec<ObjectKey>) -> Vec<Arc<StoredObject>> {
    fn visit(
        key: &ObjectKey,
        objects: &HashMap<ObjectKey, Arc<StoredObject>>,
        seen: &mut HashSet<ObjectKey>,
        out: &mut Vec<Arc<StoredObject>>,
    ) {
        let Some(o) = objects.get(key) else { return };
        if !seen.insert(key.clone()) {
            return;
        }
        for d in &o.deps {
            visit(d, objects, seen, out);
        }
        out.push(o.clone());
    }
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for k in &roots {
        visit(k, objects, &mut seen, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(kind: ObjectKind, key: ObjectKey, deps: Vec<ObjectKey>) -> (ObjectKey, Arc<StoredObject>) {
        (key.clone(), Arc::new(StoredObject { key, kind, ddl: vec![], deps, info: serde_json::Value::Null, version: 1 }))
    }

    #[tokio::test]
    async fn a_create_cut_short_by_a_crash_leaves_nothing_behind() {
        let dir = std::env::temp_dir().join(format!("weir-crash-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.join("c.db").display());
        let key = ObjectKey::object(Namespace::Relation, DEFAULT_CATALOG, "default_database", "t");
        {
            let store = CatalogStore::open(&url).await.unwrap();
            store.reserve(&key, ObjectKind::Table).await.unwrap();
            // A second CREATE meets the reservation.
            assert!(matches!(store.reserve(&key, ObjectKind::Table).await, Err(CatalogError::Exists { .. })));
            // ... and the process dies before Flink answers: no commit, no release.
        }
        let store = CatalogStore::open(&url).await.unwrap();
        assert!(store.get(&key).is_none(), "no half-recorded object");
        store.reserve(&key, ObjectKind::Table).await.expect("the name is free again");
        let o = StoredObject { key: key.clone(), kind: ObjectKind::Table, ddl: vec!["CREATE TABLE ...".into()], deps: vec![], info: serde_json::Value::Null, version: 0 };
        let recorded = store.apply(vec![o], &[]).await.unwrap();
        assert_eq!(store.get(&key).map(|o| o.version), recorded.first().map(|o| o.version));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn names_resolve_against_the_scope() {
        let scope = Scope { catalog: "cat".into(), database: "db".into() };
        let k = ObjectKey::resolve(ObjectKind::View, &["v".into()], &scope).unwrap();
        assert_eq!(k, ObjectKey::object(Namespace::Relation, "cat", "db", "v"));
        let k = ObjectKey::resolve(ObjectKind::Database, &["c2".into(), "d2".into()], &scope).unwrap();
        assert_eq!(k, ObjectKey::database("c2", "d2"));
        assert_eq!(k.quoted(), "`c2`.`d2`");
        assert_eq!(ObjectKey::resolve(ObjectKind::Catalog, &["a".into(), "b".into()], &scope), None);
    }

    #[test]
    fn dependencies_come_first() {
        let db = ObjectKey::database("c", "d");
        let t = ObjectKey::object(Namespace::Relation, "c", "d", "t");
        let v = ObjectKey::object(Namespace::Relation, "c", "d", "v");
        let objects: HashMap<_, _> = [
            obj(ObjectKind::View, v.clone(), vec![t.clone(), db.clone()]),
            obj(ObjectKind::Table, t.clone(), vec![db.clone()]),
            obj(ObjectKind::Database, db.clone(), vec![]),
        ]
        .into_iter()
        .collect();
        let order: Vec<ObjectKey> = in_dependency_order(&objects, vec![v.clone(), t.clone()]).iter().map(|o| o.key.clone()).collect();
        assert_eq!(order, vec![db, t, v]);
    }
}
