//! Materialization: the recorded objects (Weir's catalog of record) a statement names are created
//! in the session's Flink session just before it runs, dependencies first, as the store has them
//! now; objects changed or dropped through other sessions are dropped from it first. A Flink
//! listing (`SHOW TABLES`, …) gets every recorded object of the place it lists.

use std::collections::BTreeMap;
use std::sync::Arc;

use tracing::{debug, warn};
use weir_drivers::gateway::{FlinkSession, GatewayError};

use super::binding::FlinkBinding;
use crate::catalog::{CatalogStore, Namespace, ObjectKey, ObjectKind, Scope, StoredObject};
use crate::error::WeirError;
use crate::statement::{FlinkKind, FlinkStatement, Listed, Listing};

impl FlinkBinding {
    /// Makes sure the recorded objects `statement` mentions exist in the Flink session, as the
    /// store has them now: objects changed or dropped through other sessions are dropped here
    /// first.
    pub(super) async fn materialize(&mut self, session: &FlinkSession, statement: &FlinkStatement) -> Result<(), WeirError> {
        let store = self.store.clone();
        let store = store.as_ref();
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
        let needed = store.needed(&statement.mentions, &scope);
        self.create_objects(session, &needed).await?;
        // A listing shows what this Flink version can create; the rest is left out (and logged).
        if !self.internal
            && let FlinkKind::Listing(listing) = &statement.kind
            && let Some((namespace, catalog, database)) = listed_place(listing, &scope)
        {
            for o in store.listed(namespace, catalog.as_deref(), database.as_deref()) {
                if let Err(e) = self.create_objects(session, std::slice::from_ref(&o)).await {
                    warn!(object = %o.key, error = %e, "a recorded object is left out of a listing");
                }
            }
        }
        Ok(())
    }

    pub(super) async fn create_objects(&mut self, session: &FlinkSession, needed: &[Arc<StoredObject>]) -> Result<(), WeirError> {
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
                            cluster: self.cluster().name().to_string(),
                            version: self.cluster().version(),
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

    pub(super) async fn drop_in_session(&mut self, session: &FlinkSession, key: &ObjectKey, kind: ObjectKind) {
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
    pub async fn drop_object(&mut self, key: &ObjectKey, kind: ObjectKind) -> Result<(), WeirError> {
        let session = self.session().await?;
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
}

/// The namespace and place a Flink listing lists, resolved against the session's scope.
fn listed_place(listing: &Listing, scope: &Scope) -> Option<(Namespace, Option<String>, Option<String>)> {
    let namespace = match listing.what {
        Listed::Relations => Namespace::Relation,
        Listed::Functions => Namespace::Function,
        Listed::Databases => return Some((Namespace::Database, Some(scope.catalog.clone()), None)),
        Listed::Catalogs => return Some((Namespace::Catalog, None, None)),
    };
    let (catalog, database) = match listing.from.as_deref() {
        None => (scope.catalog.clone(), scope.database.clone()),
        Some([d]) => (scope.catalog.clone(), d.clone()),
        Some([c, d]) => (c.clone(), d.clone()),
        Some(_) => return None,
    };
    Some((namespace, Some(catalog), Some(database)))
}
