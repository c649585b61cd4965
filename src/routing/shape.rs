//! What a Flink statement's result looks like before it runs, for COM_STMT_PREPARE: a query's
//! columns, and a table's column types (the types a `NULL` bound into an `INSERT … VALUES` must
//! have).
//!
//! Flink's SQL Gateway has no "describe this query" call, and running the query would submit a
//! job. A view, though, is validated (names resolved, types derived) when it is created, and
//! nothing runs: the query becomes a TEMPORARY view of the session, which is described and dropped
//! at once. Placeholders stay in the text: Flink's validator takes `?` as a dynamic parameter and
//! infers its type from its context (`s = ?`, `id + ?`); one it cannot type (`SELECT ?`) makes the
//! shape unknowable before execution, and the columns are then sent with each execute, as MySQL
//! does for statements whose result it cannot know at prepare time.

use std::sync::Arc;

use arrow_schema::{Field, Schema, SchemaRef};
use tokio_util::sync::CancellationToken;
use weir_drivers::gateway::GatewayError;
use weir_drivers::gateway::types::arrow_field_of_sql_type;

use super::binding::{FlinkBinding, quote_ident, shift_line_one_columns};
use super::results::{result_fields, text_rows};
use crate::error::WeirError;
use crate::statement::{FlinkKind, FlinkStatement};

/// The TEMPORARY view a prepared query is described through.
const SHAPE_VIEW: &str = "__weir_prepared_shape";
/// Most query texts whose shape a binding remembers.
const SHAPES_KEPT: usize = 256;

impl FlinkBinding {
    /// The columns `sql` (a query, possibly with `?` placeholders) will answer with, as
    /// [`Self::run`] will send them: `None` when they cannot be known without running it.
    /// A query Flink refuses (unknown table, syntax) is that error, as MySQL refuses it at prepare.
    pub async fn query_shape(&mut self, sql: &str, statement: &FlinkStatement) -> Result<Option<SchemaRef>, WeirError> {
        if statement.kind != FlinkKind::Query {
            return Ok(None);
        }
        if let Some(known) = self.shapes.get(sql) {
            return Ok(known.clone());
        }
        let token = CancellationToken::new();
        let fields = self.describe_as_view(sql, statement, &token).await?;
        // In streaming mode a changelog result gets a leading `op` column, decided from the plan;
        // a query with placeholders can be validated but not planned before its values are
        // bound, so its shape is known at execute only.
        let streaming = self.runtime_mode() != "batch";
        let shape = match fields {
            Some(_) if streaming && !weir_dialects::lexer::placeholders(sql).is_empty() => None,
            Some(fields) => {
                let with_op = streaming && self.is_changelog(sql, statement, &token).await?;
                Some(Arc::new(Schema::new(result_fields(&fields, with_op))))
            }
            None => None,
        };
        if self.shapes.len() >= SHAPES_KEPT {
            self.shapes.clear();
        }
        self.shapes.insert(sql.to_string(), shape.clone());
        Ok(shape)
    }

    /// The result fields of `sql` from a TEMPORARY view of it, which is dropped again.
    async fn describe_as_view(&mut self, sql: &str, statement: &FlinkStatement, token: &CancellationToken) -> Result<Option<Vec<Arc<Field>>>, WeirError> {
        let view = quote_ident(SHAPE_VIEW);
        let prefix = format!("CREATE TEMPORARY VIEW {view} AS ");
        let body = sql.trim_end().trim_end_matches(';');
        let create = format!("{prefix}{body}");
        // The view's text reads what the query reads: the recorded objects it names are
        // materialized first, as for the query itself.
        let as_query = FlinkStatement { kind: FlinkKind::Query, changes_catalogs: false, ..statement.clone() };
        match self.execute(&create, &as_query, token).await {
            Ok(r) => {
                let _ = r.rows.close().await;
            }
            Err(WeirError::Gateway { source: GatewayError::Flink(f), .. }) if f.message.contains("dynamic parameter") => return Ok(None),
            // Flink's positions must refer to the user's text, not to the view around it.
            Err(WeirError::Gateway { cluster, source: GatewayError::Flink(mut f) }) => {
                f.message = shift_line_one_columns(&f.message, prefix.chars().count());
                return Err(WeirError::Gateway { cluster, source: GatewayError::Flink(f) });
            }
            Err(e) => return Err(e),
        }
        let described = self.describe_rows(&format!("DESCRIBE {view}"), token).await;
        let drop = format!("DROP TEMPORARY VIEW IF EXISTS {view}");
        let dropped = self.describe_rows(&drop, token).await;
        let rows = described?;
        dropped?;
        Ok(Some(rows.into_iter().map(|c| Arc::new(arrow_field_of_sql_type(&c.name, &c.flink_type, c.nullable))).collect()))
    }

    /// The columns of `table` (a name as written, one to three parts) and their Flink types, from
    /// Flink's `DESCRIBE`.
    pub async fn table_columns(&mut self, table: &[String]) -> Result<Vec<Column>, WeirError> {
        let name = table.iter().map(|p| quote_ident(p)).collect::<Vec<_>>().join(".");
        let token = CancellationToken::new();
        self.describe_rows(&format!("DESCRIBE {name}"), &token).await
    }

    /// Runs a DESCRIBE (or a statement with no rows) and reads its rows as columns.
    async fn describe_rows(&mut self, sql: &str, token: &CancellationToken) -> Result<Vec<Column>, WeirError> {
        let statement = crate::statement::classify::classify_flink(sql);
        let mut r = self.execute(sql, &statement, token).await?;
        let mut batches = Vec::new();
        while let Some(b) = r.rows.next_batch().await.map_err(|e| self.gateway_err(e))? {
            batches.push(b.batch);
        }
        Ok(text_rows(&batches)
            .into_iter()
            .filter_map(|row| {
                let mut cells = row.into_iter();
                let name = cells.next().flatten()?;
                let flink_type = cells.next().flatten()?;
                let nullable = cells.next().flatten().is_none_or(|n| !n.eq_ignore_ascii_case("false"));
                Some(Column { name, flink_type, nullable })
            })
            .collect())
    }
}

/// A column as Flink's `DESCRIBE` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    /// Flink's SQL type (`BIGINT`, `DECIMAL(10, 2)`, `TIMESTAMP(3) *ROWTIME*`).
    pub flink_type: String,
    pub nullable: bool,
}

/// The type a `CAST(NULL AS …)` for a column of `flink_type` names: DESCRIBE's markers
/// (`*ROWTIME*`, `*PROCTIME*`) dropped.
pub fn castable_type(flink_type: &str) -> String {
    flink_type.replace("*ROWTIME*", "").replace("*PROCTIME*", "").trim().to_string()
}
