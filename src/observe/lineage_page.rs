//! The lineage picture over HTTP (`GET /lineage.svg`, `/lineage.dot`, with `?table=` and
//! `&column=`): the drawing `weir lineage` makes, for an account that logs in with HTTP Basic
//! authentication (its MySQL user and password) and showing only the tables it may see. A
//! table it may not see is answered as one without lineage, as `SHOW LINEAGE` answers 1146.
//! Each attempt is audited and throttled like a MySQL login.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::http::{HeaderMap, StatusCode, header};
use base64::Engine;

use crate::auth::Auth;
use crate::auth::access::Access;
use crate::auth::audit::Record;
use crate::lineage::picture::{Focus, picture};
use crate::lineage::{LineageGraph, Scope};
use crate::lineage_store::LineageStore;

/// What the page needs: who may log in, and the recorded lineage.
#[derive(Clone)]
pub struct LineagePages {
    pub auth: Arc<Auth>,
    pub lineage: Arc<LineageStore>,
}

/// The drawing's format, from the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Svg,
    Dot,
}

impl Format {
    fn content_type(self) -> &'static str {
        match self {
            Format::Svg => "image/svg+xml",
            Format::Dot => "text/vnd.graphviz; charset=utf-8",
        }
    }
}

/// An answer: status, content type, body (and whether to ask for credentials).
pub struct Page {
    pub status: StatusCode,
    pub content_type: &'static str,
    pub body: String,
    pub challenge: bool,
}

impl Page {
    fn text(status: StatusCode, body: impl Into<String>) -> Self {
        Page { status, content_type: "text/plain; charset=utf-8", body: body.into(), challenge: status == StatusCode::UNAUTHORIZED }
    }

    pub fn headers(&self) -> Vec<(header::HeaderName, &'static str)> {
        let mut h = vec![(header::CONTENT_TYPE, self.content_type)];
        if self.challenge {
            h.push((header::WWW_AUTHENTICATE, "Basic realm=\"Weir\", charset=\"UTF-8\""));
        }
        h
    }
}

/// `Authorization: Basic …` → user and password.
fn credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, password) = text.split_once(':')?;
    Some((user.to_string(), password.to_string()))
}

impl LineagePages {
    /// Logs `user` in from `peer` with `password`: its privileges, or why not (audited and
    /// throttled as a MySQL login; a refusal never says whether the account exists).
    async fn login(&self, user: &str, password: &str, peer: &SocketAddr) -> Result<Access, Page> {
        let delay = self.auth.throttle.delay(user, peer.ip());
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        let ok = match self.auth.login(user, peer) {
            Some((account, _)) => !account.require_tls && account.password.verify_cleartext(password.as_bytes()),
            None => false,
        };
        self.auth.throttle.record(user, peer.ip(), ok);
        self.audit(user, peer, ok);
        if ok {
            Ok(self.auth.access(user, peer, None))
        } else {
            Err(Page::text(StatusCode::UNAUTHORIZED, format!("Access denied for user '{user}' (HTTP Basic authentication with a Weir account)\n")))
        }
    }

    fn audit(&self, user: &str, peer: &SocketAddr, ok: bool) {
        let audit = &self.auth.audit;
        if !audit.enabled() {
            return;
        }
        let host = if peer.ip().is_loopback() { "localhost".to_string() } else { peer.ip().to_string() };
        let tenant = self.auth.model().login(user, &peer.ip()).and_then(|a| a.tenant.clone()).unwrap_or_default();
        let _ = audit.write(Record {
            event_time: crate::catalog::store::now_ms(),
            user: user.to_string(),
            host,
            tenant,
            connection_id: 0,
            kind: "http lineage".into(),
            statement: String::new(),
            objects: String::new(),
            result: if ok { "OK".into() } else { crate::protocol::codes::ER_ACCESS_DENIED_ERROR.number.to_string() },
            rows: 0,
            duration_us: 0,
        });
    }

    /// The picture `query` asks for, as `format`, for the account in `headers`.
    pub async fn page(&self, headers: &HeaderMap, peer: SocketAddr, query: &HashMap<String, String>, format: Format) -> Page {
        let Some((user, password)) = credentials(headers) else {
            return Page::text(StatusCode::UNAUTHORIZED, "log in with a Weir account (HTTP Basic authentication)\n");
        };
        let access = match self.login(&user, &password, &peer).await {
            Ok(a) => a,
            Err(refused) => return refused,
        };
        let all = match self.lineage.all().await {
            Ok(records) => records,
            Err(e) => return Page::text(StatusCode::SERVICE_UNAVAILABLE, format!("the recorded lineage cannot be read: {e}\n")),
        };
        let sees = |qualified: &str| match qualified.split('.').collect::<Vec<_>>().as_slice() {
            [c, d, t] => access.sees_table(c, d, t),
            _ => access.is_superuser(),
        };
        let names = crate::auth::namespace::Namespace::of(&access);
        let graph = LineageGraph::new(all.into_iter().filter(|r| sees(&r.from_table) && sees(&r.to_table) && names.sees_via(r.via_kind, &r.via)).collect());
        let scope = Scope::new(crate::catalog::DEFAULT_CATALOG, crate::routing::DEFAULT_DATABASE);
        let table = query.get("table").filter(|t| !t.is_empty()).map(|t| scope.qualify(&t.split('.').map(str::to_string).collect::<Vec<_>>()));
        let column = query.get("column").filter(|c| !c.is_empty()).cloned();
        if column.is_some() && table.is_none() {
            return Page::text(StatusCode::BAD_REQUEST, "`column` needs `table`\n");
        }
        let focus = Focus { table: table.clone(), column };
        match picture(&graph, &focus) {
            Some(drawn) => {
                let body = match format {
                    Format::Svg => drawn.to_svg(),
                    Format::Dot => drawn.to_dot(),
                };
                Page { status: StatusCode::OK, content_type: format.content_type(), body, challenge: false }
            }
            None => match table {
                Some(t) => Page::text(StatusCode::NOT_FOUND, format!("no recorded lineage reaches {t}\n")),
                None => Page::text(StatusCode::NOT_FOUND, "no lineage is recorded\n"),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_credentials_are_read_and_anything_else_is_not() {
        let mut h = HeaderMap::new();
        assert_eq!(credentials(&h), None);
        h.insert(header::AUTHORIZATION, "Basic YW5hOnMzY3I6dA==".parse().expect("header"));
        assert_eq!(credentials(&h), Some(("ana".to_string(), "s3cr:t".to_string())));
        h.insert(header::AUTHORIZATION, "Bearer YW5hOnMzY3I6dA==".parse().expect("header"));
        assert_eq!(credentials(&h), None);
        h.insert(header::AUTHORIZATION, "Basic !!!".parse().expect("header"));
        assert_eq!(credentials(&h), None);
    }
}
