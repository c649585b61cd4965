//! The datasync registry in the store: one row per datasync, its definition as a JSON document.
//! The row is written before the datasync's job is created and removed if that fails, so two
//! statements creating one name meet on the primary key and exactly one wins.

use sqlx::{AnyPool, Row};

use super::{Datasync, DatasyncError};
use crate::catalog::store::Backend;

fn db(e: sqlx::Error) -> DatasyncError {
    DatasyncError::Store(e.to_string())
}

pub struct Registry {
    pool: AnyPool,
}

impl Registry {
    pub fn new(backend: &Backend) -> Self {
        Self { pool: backend.pool().clone() }
    }

    /// Records a datasync; [`DatasyncError::Exists`] when the name is taken.
    pub async fn insert(&self, d: &Datasync) -> Result<(), DatasyncError> {
        let definition = serde_json::to_string(d).map_err(|e| DatasyncError::Store(e.to_string()))?;
        let r = sqlx::query("INSERT INTO weir_datasyncs (name, definition, created_at) VALUES (?, ?, ?)")
            .bind(&d.name)
            .bind(definition)
            .bind(d.created_at)
            .execute(&self.pool)
            .await;
        match r {
            Ok(_) => Ok(()),
            Err(e) => {
                if self.get(&d.name).await?.is_some() {
                    Err(DatasyncError::Exists(d.name.clone()))
                } else {
                    Err(db(e))
                }
            }
        }
    }

    /// Replaces a datasync's definition (tables picked up while it runs).
    pub async fn update(&self, d: &Datasync) -> Result<(), DatasyncError> {
        let definition = serde_json::to_string(d).map_err(|e| DatasyncError::Store(e.to_string()))?;
        sqlx::query("UPDATE weir_datasyncs SET definition = ? WHERE name = ?").bind(definition).bind(&d.name).execute(&self.pool).await.map_err(db)?;
        Ok(())
    }

    pub async fn get(&self, name: &str) -> Result<Option<Datasync>, DatasyncError> {
        let row = sqlx::query("SELECT definition FROM weir_datasyncs WHERE name = ?").bind(name).fetch_optional(&self.pool).await.map_err(db)?;
        row.map(|r| parse(&r)).transpose()
    }

    pub async fn all(&self) -> Result<Vec<Datasync>, DatasyncError> {
        let rows = sqlx::query("SELECT definition FROM weir_datasyncs ORDER BY name").fetch_all(&self.pool).await.map_err(db)?;
        rows.iter().map(parse).collect()
    }

    /// Removes a datasync's record (and its tables' row counts); whether it was there.
    pub async fn delete(&self, name: &str) -> Result<bool, DatasyncError> {
        let r = sqlx::query("DELETE FROM weir_datasyncs WHERE name = ?").bind(name).execute(&self.pool).await.map_err(db)?;
        sqlx::query("DELETE FROM weir_datasync_rows WHERE datasync = ?").bind(name).execute(&self.pool).await.map_err(db)?;
        Ok(r.rows_affected() == 1)
    }

    /// The rows `table`'s source has emitted since the datasync was created, given that its
    /// current Flink run `run` has emitted `now`: the runs before it (recorded when a new run
    /// is first seen: the most the previous one was seen at) plus this one. Two instances
    /// reading at once move a run on only once (the update names the run it replaces).
    pub async fn rows_since_creation(&self, datasync: &str, table: &str, run: &str, now: u64) -> Result<u64, DatasyncError> {
        let now = i64::try_from(now).unwrap_or(i64::MAX);
        for _ in 0..3 {
            let row = sqlx::query("SELECT flink_job_id, before_run, seen FROM weir_datasync_rows WHERE datasync = ? AND source_table = ?")
                .bind(datasync)
                .bind(table)
                .fetch_optional(&self.pool)
                .await
                .map_err(db)?;
            let Some(row) = row else {
                let inserted = sqlx::query("INSERT INTO weir_datasync_rows (datasync, source_table, flink_job_id, before_run, seen) VALUES (?, ?, ?, 0, ?)")
                    .bind(datasync)
                    .bind(table)
                    .bind(run)
                    .bind(now)
                    .execute(&self.pool)
                    .await;
                if inserted.is_ok() {
                    return Ok(now.max(0) as u64);
                }
                continue;
            };
            let (counted_run, before, seen): (String, i64, i64) = (row.try_get(0).map_err(db)?, row.try_get(1).map_err(db)?, row.try_get(2).map_err(db)?);
            if counted_run == run {
                if now > seen {
                    sqlx::query("UPDATE weir_datasync_rows SET seen = ? WHERE datasync = ? AND source_table = ? AND flink_job_id = ? AND seen < ?")
                        .bind(now)
                        .bind(datasync)
                        .bind(table)
                        .bind(run)
                        .bind(now)
                        .execute(&self.pool)
                        .await
                        .map_err(db)?;
                }
                return Ok((before + now.max(seen)).max(0) as u64);
            }
            let moved = sqlx::query("UPDATE weir_datasync_rows SET flink_job_id = ?, before_run = ?, seen = ? WHERE datasync = ? AND source_table = ? AND flink_job_id = ?")
                .bind(run)
                .bind(before + seen)
                .bind(now)
                .bind(datasync)
                .bind(table)
                .bind(&counted_run)
                .execute(&self.pool)
                .await
                .map_err(db)?;
            if moved.rows_affected() == 1 {
                return Ok((before + seen + now).max(0) as u64);
            }
        }
        Err(DatasyncError::Store(format!("the row count of {datasync}.{table} kept changing under this instance")))
    }

    /// The rows `table`'s source emitted since the datasync was created, as last counted.
    pub async fn rows_counted(&self, datasync: &str, table: &str) -> Result<Option<u64>, DatasyncError> {
        let row = sqlx::query("SELECT before_run + seen FROM weir_datasync_rows WHERE datasync = ? AND source_table = ?")
            .bind(datasync)
            .bind(table)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        row.map(|r| r.try_get::<i64, _>(0).map(|n| n.max(0) as u64).map_err(db)).transpose()
    }
}

fn parse(r: &sqlx::any::AnyRow) -> Result<Datasync, DatasyncError> {
    let text: String = r.try_get(0).map_err(db)?;
    serde_json::from_str(&text).map_err(|e| DatasyncError::Store(format!("unreadable datasync definition: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::CatalogStore;

    #[tokio::test]
    async fn a_tables_rows_are_counted_since_creation_across_its_jobs_runs() {
        let dir = std::env::temp_dir().join(format!("weir-datasync-rows-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let store = CatalogStore::open(&format!("sqlite://{}?mode=rwc", dir.join("c.db").display())).await.unwrap();
        let r = Registry::new(store.backend());
        assert_eq!(r.rows_counted("sync", "orders").await.unwrap(), None);
        // The first run: Flink's count is the count.
        assert_eq!(r.rows_since_creation("sync", "orders", "run-1", 100).await.unwrap(), 100);
        assert_eq!(r.rows_since_creation("sync", "orders", "run-1", 250).await.unwrap(), 250);
        // A sample that reads a lower figure of the same run (an older metric) keeps the most seen.
        assert_eq!(r.rows_since_creation("sync", "orders", "run-1", 240).await.unwrap(), 250);
        // Recovered: the new run counts from zero, the first run's 250 are kept.
        assert_eq!(r.rows_since_creation("sync", "orders", "run-2", 10).await.unwrap(), 260);
        assert_eq!(r.rows_since_creation("sync", "orders", "run-2", 30).await.unwrap(), 280);
        assert_eq!(r.rows_counted("sync", "orders").await.unwrap(), Some(280));
        // Another table of the same datasync is its own count; dropping the datasync forgets both.
        assert_eq!(r.rows_since_creation("sync", "customers", "run-2", 7).await.unwrap(), 7);
        r.delete("sync").await.unwrap();
        assert_eq!(r.rows_counted("sync", "orders").await.unwrap(), None);
        assert_eq!(r.rows_counted("sync", "customers").await.unwrap(), None);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
