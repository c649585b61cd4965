//! The recorded lineage in the store: the edges of each job version, view, datasync and
//! statement ([`crate::lineage::Recorded`]), replaced whole when what recorded them changes.

use sqlx::{AnyPool, Row};

use crate::catalog::store::{Backend, now_ms};
use crate::lineage::{LineageError, LineageGraph, Recorded, ViaKind};

fn db(e: sqlx::Error) -> LineageError {
    LineageError::Store(e.to_string())
}

pub struct LineageStore {
    pool: AnyPool,
}

impl LineageStore {
    pub fn new(backend: &Backend) -> Self {
        Self { pool: backend.pool().clone() }
    }

    /// Records `rows` as the lineage of `via` at `version`, in place of what that version had.
    pub async fn replace(&self, via_kind: ViaKind, via: &str, version: u32, rows: &[Recorded]) -> Result<(), LineageError> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        sqlx::query("DELETE FROM weir_lineage WHERE via_kind = ? AND via = ? AND version = ?")
            .bind(via_kind.as_str())
            .bind(via)
            .bind(i64::from(version))
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        let now = now_ms();
        for r in rows {
            sqlx::query(
                "INSERT INTO weir_lineage (via_kind, via, version, from_table, from_column, to_table, to_column, kind, detail, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(via_kind.as_str())
            .bind(via)
            .bind(i64::from(version))
            .bind(&r.from_table)
            .bind(r.from_column.clone())
            .bind(&r.to_table)
            .bind(r.to_column.clone())
            .bind(&r.kind)
            .bind(&r.detail)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        }
        tx.commit().await.map_err(db)
    }

    /// Forgets everything `via` recorded (a dropped job, view or datasync).
    pub async fn delete(&self, via_kind: ViaKind, via: &str) -> Result<(), LineageError> {
        sqlx::query("DELETE FROM weir_lineage WHERE via_kind = ? AND via = ?").bind(via_kind.as_str()).bind(via).execute(&self.pool).await.map_err(db)?;
        Ok(())
    }

    /// Every recorded edge, every version.
    pub async fn all(&self) -> Result<Vec<Recorded>, LineageError> {
        let rows = sqlx::query("SELECT via_kind, via, version, from_table, from_column, to_table, to_column, kind, detail FROM weir_lineage")
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let kind: String = r.try_get(0).map_err(db)?;
            let Some(via_kind) = ViaKind::parse(&kind) else { return Err(LineageError::Store(format!("unknown lineage kind '{kind}'"))) };
            out.push(Recorded {
                via_kind,
                via: r.try_get(1).map_err(db)?,
                version: u32::try_from(r.try_get::<i64, _>(2).map_err(db)?).unwrap_or(0),
                from_table: r.try_get(3).map_err(db)?,
                from_column: r.try_get(4).map_err(db)?,
                to_table: r.try_get(5).map_err(db)?,
                to_column: r.try_get(6).map_err(db)?,
                kind: r.try_get(7).map_err(db)?,
                detail: r.try_get(8).map_err(db)?,
            });
        }
        out.sort();
        Ok(out)
    }

    /// The graph of the newest lineage of everything.
    pub async fn graph(&self) -> Result<LineageGraph, LineageError> {
        Ok(LineageGraph::new(self.all().await?))
    }
}
