//! What a session may see of the catalogs: the catalogs, databases, tables and views it holds a
//! privilege in or on, and nothing else — so SHOW, DESCRIBE, information_schema and
//! COM_FIELD_LIST answer "doesn't exist" (1146, 1049) for what it may not see, as for what does
//! not exist. Wraps the merged Flink and recorded source; a session holding every privilege reads
//! through it unchanged.

use super::source::{ObjectDef, ObjectEntry, ObjectSource};
use crate::auth::Access;
use crate::error::WeirError;

pub struct Visible<'a, S> {
    pub inner: S,
    pub access: &'a Access,
}

#[async_trait::async_trait]
impl<S: ObjectSource> ObjectSource for Visible<'_, S> {
    async fn current_catalog(&mut self) -> Result<String, WeirError> {
        self.inner.current_catalog().await
    }

    async fn current_database(&mut self) -> Result<String, WeirError> {
        self.inner.current_database().await
    }

    async fn catalogs(&mut self) -> Result<Vec<String>, WeirError> {
        let all = self.inner.catalogs().await?;
        Ok(all.into_iter().filter(|c| self.access.sees_catalog(c)).collect())
    }

    async fn databases(&mut self, catalog: &str) -> Result<Option<Vec<String>>, WeirError> {
        if !self.access.is_superuser() && !self.access.sees_catalog(catalog) {
            return Ok(None);
        }
        let all = self.inner.databases(catalog).await?;
        Ok(all.map(|dbs| dbs.into_iter().filter(|d| self.access.sees_database(catalog, d)).collect()))
    }

    async fn objects(&mut self, catalog: &str, database: &str) -> Result<Option<Vec<ObjectEntry>>, WeirError> {
        if !self.access.sees_database(catalog, database) {
            return Ok(None);
        }
        let all = self.inner.objects(catalog, database).await?;
        Ok(all.map(|o| o.into_iter().filter(|e| self.access.sees_table(catalog, database, &e.name)).collect()))
    }

    async fn objects_named(&mut self, catalog: &str, database: &str, name: &str) -> Result<Vec<ObjectEntry>, WeirError> {
        if !self.access.sees_table(catalog, database, name) {
            return Ok(Vec::new());
        }
        self.inner.objects_named(catalog, database, name).await
    }

    async fn definitions(&mut self, catalog: &str, database: &str, names: &[String]) -> Result<Vec<ObjectDef>, WeirError> {
        let seen: Vec<String> = names.iter().filter(|n| self.access.sees_table(catalog, database, n)).cloned().collect();
        self.inner.definitions(catalog, database, &seen).await
    }
}
