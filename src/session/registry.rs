//! Every open connection, for KILL and SHOW PROCESSLIST.

use std::sync::Mutex;
use std::time::Instant;

use dashmap::DashMap;
use tokio_util::sync::CancellationToken;

/// What the registry knows of one connection.
pub struct ConnEntry {
    pub user: String,
    pub host: String,
    pub started: Instant,
    /// Ends the whole connection.
    pub kill: CancellationToken,
    /// Cancels the statement running now; replaced for each statement.
    pub current_query: Mutex<CancellationToken>,
    /// The statement running now, for SHOW PROCESSLIST.
    pub info: Mutex<Option<String>>,
}

#[derive(Default)]
pub struct Registry {
    conns: DashMap<u32, ConnEntry>,
}

/// Why a KILL was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum KillError {
    NoSuchThread,
    NotOwner,
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
                info: Mutex::new(None),
            },
        );
    }

    pub fn unregister(&self, id: u32) {
        self.conns.remove(&id);
    }

    /// A fresh cancellation token for the statement `id` starts now.
    pub fn begin_statement(&self, id: u32, sql: &str) -> CancellationToken {
        let token = CancellationToken::new();
        if let Some(e) = self.conns.get(&id) {
            if let Ok(mut q) = e.current_query.lock() {
                *q = token.clone();
            }
            if let Ok(mut i) = e.info.lock() {
                *i = Some(sql.chars().take(1024).collect());
            }
        }
        token
    }

    pub fn end_statement(&self, id: u32) {
        if let Some(e) = self.conns.get(&id)
            && let Ok(mut i) = e.info.lock()
        {
            *i = None;
        }
    }

    /// KILL [QUERY|CONNECTION] `target`, asked by `user` (root may kill anyone).
    pub fn kill(&self, target: u32, user: &str, connection: bool) -> Result<(), KillError> {
        let e = self.conns.get(&target).ok_or(KillError::NoSuchThread)?;
        if e.user != user && user != "root" {
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

    /// (id, user, host, seconds connected, running statement) of every connection.
    pub fn list(&self) -> Vec<(u32, String, String, u64, Option<String>)> {
        let mut v: Vec<_> = self
            .conns
            .iter()
            .map(|e| {
                let info = e.info.lock().ok().and_then(|i| i.clone());
                (*e.key(), e.user.clone(), e.host.clone(), e.started.elapsed().as_secs(), info)
            })
            .collect();
        v.sort_by_key(|r| r.0);
        v
    }

    pub fn len(&self) -> usize {
        self.conns.len()
    }
}
