//! A session's audit records: one per login attempt and one per statement (its text with secrets
//! masked, kind, objects, result, rows, duration), written before the answer is sent
//! ([`crate::auth::audit`]). A result set's record is written when its last row has been read,
//! with the number of rows.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use futures::StreamExt;

use super::Shared;
use crate::auth::AuthError;
use crate::auth::audit::{Audit, Record};
use crate::protocol::{MySqlError, Response, Rows};
use crate::statement::{Local, MetaStatement, Statement};

/// Whether a statement is a probe (recorded only with `[audit] probes = true`): answered
/// locally without touching data.
pub fn is_probe(statement: &Statement) -> bool {
    matches!(
        statement,
        Statement::Local(
            Local::Select { .. }
                | Local::Do { .. }
                | Local::SetVariables(_)
                | Local::SetTransaction
                | Local::Transaction(_)
                | Local::ShowVariables { .. }
                | Local::ShowStatus { .. }
                | Local::ShowWarnings { .. }
                | Local::ShowCount { .. }
        ) | Statement::Metadata(MetaStatement::Probe(_) | MetaStatement::Do(_))
    )
}

fn host_of(peer: &SocketAddr) -> String {
    if peer.ip().is_loopback() { "localhost".to_string() } else { peer.ip().to_string() }
}

/// A login attempt's record.
pub fn login(shared: &Shared, user: &str, peer: &SocketAddr, connection_id: u32, refused: Option<&MySqlError>) {
    let audit = &shared.auth.audit;
    if !audit.enabled() {
        return;
    }
    let tenant = shared.auth.model().login(user, &peer.ip()).and_then(|a| a.tenant.clone()).unwrap_or_default();
    let record = Record {
        event_time: crate::catalog::store::now_ms(),
        user: user.to_string(),
        host: host_of(peer),
        tenant,
        connection_id: u64::from(connection_id),
        kind: "connect".into(),
        statement: String::new(),
        objects: String::new(),
        result: refused.map(|e| e.code.to_string()).unwrap_or_else(|| "OK".into()),
        rows: 0,
        duration_us: 0,
    };
    // A login refused or not, the connection's answer does not wait on the audit's health.
    let _ = audit.write(record);
}

/// What a statement's record holds before its outcome is known.
pub struct Pending {
    pub audit: Arc<Audit>,
    pub record: Record,
    pub started: Instant,
}

impl Pending {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        shared: &Shared,
        user: &str,
        peer: &SocketAddr,
        tenant: Option<&str>,
        connection_id: u32,
        kind: &str,
        sql: &str,
        objects: String,
        started: Instant,
    ) -> Self {
        Self {
            audit: shared.auth.audit.clone(),
            record: Record {
                event_time: crate::catalog::store::now_ms(),
                user: user.to_string(),
                host: host_of(peer),
                tenant: tenant.unwrap_or_default().to_string(),
                connection_id: u64::from(connection_id),
                kind: kind.to_string(),
                statement: crate::statement::secrets::mask(sql).into_owned(),
                objects,
                result: "OK".into(),
                rows: 0,
                duration_us: 0,
            },
            started,
        }
    }

    /// Records the outcome and gives the answer to send: unchanged, or the audit's error when
    /// the record could not be written and statements must not pass unrecorded.
    pub fn finish(mut self, response: Response) -> Response {
        match response {
            Response::Rows(rows) => Response::Rows(self.counting(rows)),
            Response::Ok(ok) => {
                self.record.rows = ok.affected_rows;
                match self.write() {
                    Ok(()) => Response::Ok(ok),
                    Err(e) => Response::Err(e),
                }
            }
            Response::Err(e) => {
                self.record.result = e.code.to_string();
                // The statement failed anyway: its own error is the answer.
                let _ = self.write();
                Response::Err(e)
            }
        }
    }

    fn write(&mut self) -> Result<(), MySqlError> {
        self.record.duration_us = u64::try_from(self.started.elapsed().as_micros()).unwrap_or(u64::MAX);
        self.audit.write(self.record.clone()).map_err(|e| crate::error::WeirError::from(AuthError::Audit(e)).to_mysql())
    }

    /// The rows, counted; the record is written when the last batch has been read (or the
    /// client stopped reading).
    fn counting(self, rows: Rows) -> Rows {
        struct State {
            pending: Option<Pending>,
            inner: futures::stream::Fuse<futures::stream::BoxStream<'static, Result<arrow_array::RecordBatch, MySqlError>>>,
        }
        impl Drop for State {
            fn drop(&mut self) {
                if let Some(mut p) = self.pending.take() {
                    let _ = p.write();
                }
            }
        }
        let state = State { pending: Some(self), inner: rows.batches.fuse() };
        let batches = futures::stream::unfold(state, |mut st| async move {
            match st.inner.next().await {
                Some(Ok(b)) => {
                    if let Some(p) = st.pending.as_mut() {
                        p.record.rows += b.num_rows() as u64;
                    }
                    Some((Ok(b), st))
                }
                Some(Err(e)) => {
                    if let Some(mut p) = st.pending.take() {
                        p.record.result = e.code.to_string();
                        let _ = p.write();
                    }
                    Some((Err(e), st))
                }
                None => {
                    let p = st.pending.take();
                    match p.map(|mut p| p.write()) {
                        Some(Err(e)) => Some((Err(e), st)),
                        _ => None,
                    }
                }
            }
        });
        Rows { schema: rows.schema, batches: Box::pin(batches) }
    }
}
