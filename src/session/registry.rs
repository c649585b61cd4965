//! Every open connection, for KILL and SHOW PROCESSLIST.
//!
//! A connection is running a statement from the moment its text arrives until its answer has been
//! sent — for a result set, until the last row went out ([`Running`] travels with the rows) —
//! whoever answers it: Weir itself (metadata, session statements) or Flink. Meanwhile PROCESSLIST
//! shows it as `Query`, with the statement's text and the seconds it has been running; otherwise
//! as `Sleep`, with the seconds since its last statement ended.

use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Instant;

use arrow_array::RecordBatch;
use dashmap::DashMap;
use futures::Stream;
use tokio_util::sync::CancellationToken;

use crate::metadata::{Process, ProcessList};
use crate::protocol::{MySqlError, Response};

/// How much of a statement's text PROCESSLIST shows.
const INFO_CHARS: usize = 1024;

/// What the registry knows of one connection.
pub struct ConnEntry {
    pub user: String,
    pub host: String,
    pub started: Instant,
    /// Ends the whole connection.
    pub kill: CancellationToken,
    /// Cancels the statement running now; replaced for each statement.
    pub current_query: Mutex<CancellationToken>,
    /// The connection's current state, for SHOW PROCESSLIST.
    state: Mutex<State>,
    /// The connection's current database (PROCESSLIST's `DB`).
    database: Mutex<Option<String>>,
}

/// Running a statement, or idle since a moment.
struct State {
    /// The running statement's number (see [`Running`]) and text as sent (masked and cut when
    /// listed: most statements are never listed); `None` when idle.
    statement: Option<(u64, String)>,
    since: Instant,
}

#[derive(Default)]
pub struct Registry {
    conns: Arc<DashMap<u32, ConnEntry>>,
    statements: AtomicU64,
}

/// Why a KILL was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum KillError {
    NoSuchThread,
    NotOwner,
}

/// A statement running on a connection: it ends (the connection is `Sleep` again) when this is
/// dropped — after the answer was sent, since a result set's rows carry it ([`Running::hold`]).
pub struct Running {
    conns: Arc<DashMap<u32, ConnEntry>>,
    id: u32,
    number: u64,
}

impl Running {
    /// Keeps the statement running until the response has been sent: for rows, until their stream
    /// is finished or dropped.
    pub fn hold(self, response: Response) -> Response {
        match response {
            Response::Rows(mut rows) => {
                rows.batches = Box::pin(HeldStream { inner: rows.batches, _running: self });
                Response::Rows(rows)
            }
            other => other,
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(e) = self.conns.get(&self.id)
            && let Ok(mut s) = e.state.lock()
            && s.statement.as_ref().is_some_and(|(n, _)| *n == self.number)
        {
            *s = State { statement: None, since: Instant::now() };
        }
    }
}

/// A result's rows with the [`Running`] statement they belong to.
struct HeldStream {
    inner: futures::stream::BoxStream<'static, Result<RecordBatch, MySqlError>>,
    _running: Running,
}

impl Stream for HeldStream {
    type Item = Result<RecordBatch, MySqlError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl Registry {
    pub fn register(&self, id: u32, user: &str, host: &str, kill: CancellationToken) {
        self.conns.insert(
            id,
            ConnEntry {
                user: user.to_string(),
                host: host.to_string(),
                started: Instant::now(),
                kill,
                current_query: Mutex::new(CancellationToken::new()),
                state: Mutex::new(State { statement: None, since: Instant::now() }),
                database: Mutex::new(None),
            },
        );
    }

    pub fn unregister(&self, id: u32) {
        self.conns.remove(&id);
    }

    /// Statement `sql` starts now on connection `id`: it gets a fresh cancellation token
    /// ([`Registry::token`]) and shows in PROCESSLIST until the returned [`Running`] is dropped.
    pub fn begin_statement(&self, id: u32, sql: &str) -> Running {
        let number = self.statements.fetch_add(1, Ordering::Relaxed);
        if let Some(e) = self.conns.get(&id) {
            if let Ok(mut q) = e.current_query.lock() {
                *q = CancellationToken::new();
            }
            if let Ok(mut s) = e.state.lock() {
                *s = State { statement: Some((number, sql.to_string())), since: Instant::now() };
            }
        }
        Running { conns: self.conns.clone(), id, number }
    }

    /// The cancellation token of the statement running on `id` (KILL QUERY cancels it).
    pub fn token(&self, id: u32) -> CancellationToken {
        self.conns.get(&id).and_then(|e| e.current_query.lock().ok().map(|q| q.clone())).unwrap_or_default()
    }

    /// The connection's current database changed (`USE`, COM_INIT_DB).
    pub fn set_database(&self, id: u32, database: Option<&str>) {
        if let Some(e) = self.conns.get(&id)
            && let Ok(mut d) = e.database.lock()
        {
            *d = database.map(str::to_string);
        }
    }

    /// KILL [QUERY|CONNECTION] `target`, asked by `user` (`any`: one holding SUPER, who may
    /// kill anyone's).
    pub fn kill(&self, target: u32, user: &str, any: bool, connection: bool) -> Result<(), KillError> {
        let e = self.conns.get(&target).ok_or(KillError::NoSuchThread)?;
        if e.user != user && !any {
            return Err(KillError::NotOwner);
        }
        if let Ok(q) = e.current_query.lock() {
            q.cancel();
        }
        if connection {
            e.kill.cancel();
        }
        Ok(())
    }

    /// Every connection, by id.
    pub fn list(&self) -> Vec<Process> {
        let mut v: Vec<Process> = self
            .conns
            .iter()
            .map(|e| {
                let (text, time) = e.state.lock().map(|s| (s.statement.as_ref().map(|(_, text)| text.clone()), s.since.elapsed().as_secs())).unwrap_or((None, 0));
                // Secrets (a catalog's password, …) are never shown back.
                let info = text.map(|t| crate::statement::secrets::mask(&t).chars().take(INFO_CHARS).collect());
                Process {
                    id: *e.key(),
                    user: e.user.clone(),
                    host: e.host.clone(),
                    database: e.database.lock().ok().and_then(|d| d.clone()),
                    info,
                    time,
                    connected: e.started.elapsed().as_secs(),
                }
            })
            .collect();
        v.sort_by_key(|p| p.id);
        v
    }

    pub fn len(&self) -> usize {
        self.conns.len()
    }

    pub fn is_empty(&self) -> bool {
        self.conns.is_empty()
    }
}

impl ProcessList for Registry {
    fn processes(&self) -> Vec<Process> {
        self.list()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn process(r: &Registry, id: u32) -> Process {
        r.list().into_iter().find(|p| p.id == id).expect("registered")
    }

    #[test]
    fn a_statement_shows_as_query_until_its_answer_is_sent() {
        let r = Registry::default();
        r.register(7, "root", "127.0.0.1", CancellationToken::new());
        r.set_database(7, Some("shop"));
        let idle = process(&r, 7);
        assert_eq!((idle.command(), idle.state(), idle.info.as_deref(), idle.database.as_deref()), ("Sleep", "", None, Some("shop")));

        // A locally answered statement (Weir's metadata engine) is shown as well as a Flink one.
        let running = r.begin_statement(7, "SELECT * FROM information_schema.TABLES");
        let busy = process(&r, 7);
        assert_eq!((busy.command(), busy.state(), busy.info.as_deref()), ("Query", "executing", Some("SELECT * FROM information_schema.TABLES")));
        drop(running);
        assert_eq!(process(&r, 7).command(), "Sleep");
    }

    #[tokio::test]
    async fn a_result_set_keeps_its_statement_running_until_the_rows_are_sent() {
        use futures::StreamExt;
        let r = Registry::default();
        r.register(1, "root", "127.0.0.1", CancellationToken::new());
        let (schema, batch) = crate::value::LocalTable::text(&["x"], vec![vec![Some("1".into())]]).into_batch().expect("a batch");
        let rows = Response::Rows(crate::protocol::Rows { schema, batches: Box::pin(futures::stream::iter([Ok(batch)])) });
        let Response::Rows(mut held) = r.begin_statement(1, "SHOW PROCESSLIST").hold(rows) else { panic!("rows stay rows") };
        assert_eq!(process(&r, 1).info.as_deref(), Some("SHOW PROCESSLIST"));
        while held.batches.next().await.is_some() {}
        assert_eq!(process(&r, 1).command(), "Query", "still sending until the stream is done with");
        drop(held);
        assert_eq!(process(&r, 1).command(), "Sleep");
    }

    #[test]
    fn an_older_statement_ending_late_does_not_end_the_newer_one() {
        let r = Registry::default();
        r.register(3, "bi", "10.0.0.1", CancellationToken::new());
        let first = r.begin_statement(3, "SELECT 1");
        let _second = r.begin_statement(3, "SELECT 2");
        drop(first);
        assert_eq!(process(&r, 3).info.as_deref(), Some("SELECT 2"));
    }

    #[test]
    fn kill_query_cancels_the_running_statements_token() {
        let r = Registry::default();
        r.register(5, "bi", "10.0.0.1", CancellationToken::new());
        let _running = r.begin_statement(5, "SELECT * FROM t");
        let token = r.token(5);
        assert_eq!(r.kill(5, "other", false, false), Err(KillError::NotOwner));
        assert!(!token.is_cancelled());
        assert_eq!(r.kill(5, "bi", false, false), Ok(()));
        assert!(token.is_cancelled());
        // One holding SUPER may kill anyone's.
        assert_eq!(r.kill(5, "admin", true, false), Ok(()));
    }
}
