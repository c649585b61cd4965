//! Each channel type's protocol: a webhook's JSON body, DingTalk's signed robot call and markdown
//! message, WeCom's robot markdown, and e-mail over SMTP (STARTTLS and auth). A send either
//! succeeds (with a short detail) or fails with why; retrying is the courier's business.

use std::collections::BTreeMap;
use std::time::Duration;

use base64::Engine;
use hmac::{Hmac, Mac};
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use serde_json::json;
use sha2::Sha256;

use super::{ChannelRecord, Subject};
use crate::catalog::store::now_ms;
use crate::statement::ChannelType;

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// What one alert says.
#[derive(Debug, Clone)]
pub struct Message {
    pub title: String,
    pub text: String,
    pub rule: String,
    pub event: String,
    pub subject: Subject,
}

/// Checks a channel's options beyond their names (URLs, addresses, numbers).
pub fn check(kind: ChannelType, o: &BTreeMap<String, String>) -> Result<(), String> {
    if let Some(url) = o.get("url") {
        let shown = crate::statement::secrets::mask_urls(url);
        let parsed = reqwest::Url::parse(url).map_err(|e| format!("'url' = '{shown}' is not a URL ({e})"))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(format!("'url' = '{shown}' must be an http:// or https:// URL"));
        }
    }
    for key in ["timeout_secs", "port"] {
        if let Some(v) = o.get(key)
            && v.parse::<u16>().map_or(true, |n| n == 0)
        {
            return Err(format!("'{key}' = '{v}' is not a positive number"));
        }
    }
    if kind == ChannelType::Email {
        for key in ["from", "to"] {
            for a in o.get(key).map(String::as_str).unwrap_or("").split(',') {
                a.trim().parse::<Mailbox>().map_err(|_| format!("'{key}': '{}' is not an address", a.trim()))?;
            }
        }
        if let Some(v) = o.get("starttls")
            && !matches!(v.to_ascii_lowercase().as_str(), "true" | "false")
        {
            return Err(format!("'starttls' = '{v}' is not true or false"));
        }
        if let Some(f) = o.get("ca_file") {
            std::fs::read(f).map_err(|e| format!("'ca_file' = '{f}' cannot be read: {e}"))?;
        }
    }
    Ok(())
}

/// DingTalk's signature of a robot call: base64(HMAC-SHA256(secret, "timestamp\nsecret")).
pub fn dingtalk_sign(timestamp_ms: i64, secret: &str) -> Result<String, String> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).map_err(|e| e.to_string())?;
    mac.update(format!("{timestamp_ms}\n{secret}").as_bytes());
    Ok(base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes()))
}

/// Sends messages; one HTTP client (rustls on ring, Mozilla's roots) for every web channel.
pub struct Sender {
    http: Option<reqwest::Client>,
}

impl Default for Sender {
    fn default() -> Self {
        Self::new()
    }
}

impl Sender {
    pub fn new() -> Self {
        let http = weir_drivers::web::client_builder().no_proxy().build().map_err(|e| e.to_string());
        if let Err(e) = &http {
            tracing::error!(error = %e, "alerts: cannot build the HTTP client; web channels will fail");
        }
        Self { http: http.ok() }
    }

    pub async fn send(&self, channel: &ChannelRecord, m: &Message) -> Result<String, String> {
        let timeout = channel.options.get("timeout_secs").and_then(|t| t.parse().ok()).map_or(DEFAULT_TIMEOUT, Duration::from_secs);
        match channel.kind {
            ChannelType::Webhook => self.post(channel, &webhook_body(m), timeout, false).await,
            ChannelType::Dingtalk => self.post(channel, &dingtalk_body(m), timeout, true).await,
            ChannelType::Wecom => self.post(channel, &json!({"msgtype": "markdown", "markdown": {"content": format!("**{}**\n\n{}", m.title, m.text)}}), timeout, true).await,
            ChannelType::Email => email(&channel.options, m, timeout).await,
        }
    }

    /// POSTs a JSON body; `robot`: the answer is a robot's `{"errcode": 0, …}`.
    async fn post(&self, channel: &ChannelRecord, body: &serde_json::Value, timeout: Duration, robot: bool) -> Result<String, String> {
        let http = self.http.as_ref().ok_or("no HTTP client (see Weir's log)")?;
        let mut url = reqwest::Url::parse(channel.options.get("url").map(String::as_str).unwrap_or_default()).map_err(|e| e.to_string())?;
        if channel.kind == ChannelType::Dingtalk
            && let Some(secret) = channel.options.get("secret")
        {
            let ts = now_ms();
            let sign = dingtalk_sign(ts, secret)?;
            url.query_pairs_mut().append_pair("timestamp", &ts.to_string()).append_pair("sign", &sign);
        }
        let shown = url.host_str().map(|h| format!("{h}:{}", url.port_or_known_default().unwrap_or(0))).unwrap_or_default();
        // reqwest's error names the URL, robot token and all: it is stored and shown (LAST_ERROR).
        let response = http.post(url).json(body).timeout(timeout).send().await.map_err(|e| format!("no answer from {shown}: {}", short(&e.without_url())))?;
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        if !status.is_success() {
            return Err(format!("{shown} answered HTTP {}: {}", status.as_u16(), text.chars().take(200).collect::<String>()));
        }
        if robot {
            let v: serde_json::Value = serde_json::from_str(&text).map_err(|_| format!("{shown} answered something that is not a robot's JSON: {}", text.chars().take(200).collect::<String>()))?;
            let code = v.get("errcode").and_then(serde_json::Value::as_i64).unwrap_or(-1);
            if code != 0 {
                return Err(format!("the robot refused the message: errcode {code}, {}", v.get("errmsg").and_then(|m| m.as_str()).unwrap_or("")));
            }
        }
        Ok(format!("{shown} answered HTTP {}", status.as_u16()))
    }
}

/// An error with its causes, `outer: inner: …` (reqwest's and lettre's top messages alone do
/// not say why).
fn short(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(x) = src {
        s = format!("{s}: {x}");
        src = x.source();
    }
    s
}

/// The webhook's JSON body (documented in the README).
fn webhook_body(m: &Message) -> serde_json::Value {
    json!({
        "rule": m.rule,
        "event": m.event,
        "subject": m.subject.name,
        "job": m.subject.job,
        "cluster": m.subject.cluster,
        "state": m.subject.state,
        "reason": m.subject.reason,
        "value": m.subject.value,
        "title": m.title,
        "message": m.text,
        "time": now_ms(),
    })
}

fn dingtalk_body(m: &Message) -> serde_json::Value {
    json!({"msgtype": "markdown", "markdown": {"title": m.title, "text": format!("#### {}\n\n{}", m.title, m.text)}})
}

async fn email(o: &BTreeMap<String, String>, m: &Message, timeout: Duration) -> Result<String, String> {
    let host = o.get("host").map(String::as_str).unwrap_or_default();
    let port: u16 = o.get("port").and_then(|p| p.parse().ok()).unwrap_or(587);
    let starttls = o.get("starttls").is_none_or(|v| v.eq_ignore_ascii_case("true"));
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host).port(port).timeout(Some(timeout));
    if starttls {
        let mut params = TlsParameters::builder(host.to_string());
        if let Some(f) = o.get("ca_file") {
            let pem = std::fs::read(f).map_err(|e| format!("reading ca_file {f}: {e}"))?;
            params = params.add_root_certificate(Certificate::from_pem(&pem).map_err(|e| format!("ca_file {f}: {e}"))?);
        }
        builder = builder.tls(Tls::Required(params.build_rustls().map_err(|e| e.to_string())?));
    }
    if let Some(user) = o.get("username") {
        builder = builder.credentials(Credentials::new(user.clone(), o.get("password").cloned().unwrap_or_default()));
    }
    let from: Mailbox = o.get("from").map(String::as_str).unwrap_or_default().parse().map_err(|e| format!("'from': {e}"))?;
    let mut mail = lettre::Message::builder().from(from).subject(m.title.clone());
    for to in o.get("to").map(String::as_str).unwrap_or_default().split(',') {
        mail = mail.to(to.trim().parse().map_err(|e| format!("'to': {e}"))?);
    }
    let mail = mail.body(m.text.clone()).map_err(|e| e.to_string())?;
    let transport = builder.build();
    let r = transport.send(mail).await.map_err(|e| format!("SMTP {host}:{port}: {}", short(&e)))?;
    Ok(format!("SMTP {host}:{port} answered {}", r.code()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dingtalk_signs_timestamp_newline_secret() {
        // Computed independently: printf '1700000000000\nSECabc' | openssl dgst -sha256 -hmac SECabc -binary | base64
        assert_eq!(dingtalk_sign(1_700_000_000_000, "SECabc").unwrap(), "jcUpW0QmtKduN03n4JqQ0PBosVjqnM8gU7fIIvsDmCM=");
    }
}
