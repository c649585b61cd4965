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

    /// Removes a datasync's record; whether it was there.
    pub async fn delete(&self, name: &str) -> Result<bool, DatasyncError> {
        let r = sqlx::query("DELETE FROM weir_datasyncs WHERE name = ?").bind(name).execute(&self.pool).await.map_err(db)?;
        Ok(r.rows_affected() == 1)
    }
}

fn parse(r: &sqlx::any::AnyRow) -> Result<Datasync, DatasyncError> {
    let text: String = r.try_get(0).map_err(db)?;
    serde_json::from_str(&text).map_err(|e| DatasyncError::Store(format!("unreadable datasync definition: {e}")))
}
