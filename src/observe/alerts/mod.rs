//! Alerts: channels (where a message goes: a webhook, a DingTalk or WeCom robot, e-mail), rules
//! (what is worth a message: a job failed or recovered, restarts, checkpoint age, datasync lag,
//! a cluster down), and the queue between them. Everything lives in the store
//! ([`registry`]): an alert is recorded before it is sent, so a restart delivers what was
//! pending. The evaluator ([`evaluate`]) turns job events and the watcher's samples into alerts,
//! once per rule and subject (again every `EVERY` while the condition holds); the courier
//! ([`deliver`]) sends them at least once, with retries and backoff, a rate limit per channel;
//! [`send`] speaks each channel's protocol. Only one Weir of a store evaluates and delivers (the
//! lease `alerts`).

pub mod deliver;
pub mod evaluate;
pub mod registry;
pub mod send;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

pub use registry::{AlertRecord, ChannelRecord, RuleRecord};

use crate::catalog::CatalogStore;
use crate::catalog::store::now_ms;
use crate::statement::{AlertEvent, AlertScope, ChannelType};

/// What can go wrong with an alert statement (mapped to MySQL codes in `crate::error`).
#[derive(Debug, thiserror::Error)]
pub enum AlertError {
    #[error("Alert channel '{0}' already exists")]
    ChannelExists(String),
    #[error("Alert rule '{0}' already exists")]
    RuleExists(String),
    #[error("Alert channel '{0}' does not exist")]
    UnknownChannel(String),
    #[error("Alert rule '{0}' does not exist")]
    UnknownRule(String),
    #[error("Alert rule '{rule}': {message}")]
    Rule { rule: String, message: String },
    #[error("Incorrect option for alert channel '{channel}': {message}")]
    Option { channel: String, message: String },
    #[error("Cannot drop alert channel '{channel}': rule(s) {rules} send to it (drop or change them first)")]
    ChannelInUse { channel: String, rules: String },
    #[error("Weir's alert store failed: {0}")]
    Store(String),
}

/// The options each channel type takes: (name, required).
pub const CHANNEL_OPTIONS: &[(ChannelType, &[(&str, bool)])] = &[
    (ChannelType::Webhook, &[("url", true), ("timeout_secs", false)]),
    (ChannelType::Dingtalk, &[("url", true), ("secret", false), ("timeout_secs", false)]),
    (ChannelType::Wecom, &[("url", true), ("timeout_secs", false)]),
    (
        ChannelType::Email,
        &[
            ("host", true),
            ("port", false),
            ("from", true),
            ("to", true),
            ("username", false),
            ("password", false),
            ("starttls", false),
            ("ca_file", false),
            ("timeout_secs", false),
        ],
    ),
];

/// Option names whose values are secrets (masked in every output).
pub const SECRET_OPTIONS: &[&str] = &["secret", "password"];

/// What an alert is about, with the values a template may use.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Subject {
    /// The job, datasync table or cluster the alert is about (the deduplication key).
    pub name: String,
    pub job: String,
    pub cluster: String,
    pub state: String,
    pub reason: String,
    /// The measured value, when the rule compares one (restarts, seconds); a schedule run's
    /// summary of its tasks.
    pub value: String,
}

/// Fills a template's `{job}`, `{state}`, `{reason}`, `{time}`, `{rule}`, `{event}`,
/// `{cluster}`, `{value}`, `{subject}` (for a schedule: its name); unknown names stay as written.
pub fn render(template: &str, rule: &str, event: &AlertEvent, s: &Subject, at_ms: i64) -> String {
    let time = chrono::DateTime::from_timestamp_millis(at_ms).map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string()).unwrap_or_default();
    let event = event.text();
    let fields: [(&str, &str); 9] = [
        ("job", &s.job),
        ("state", &s.state),
        ("reason", &s.reason),
        ("time", &time),
        ("rule", rule),
        ("event", &event),
        ("cluster", &s.cluster),
        ("value", &s.value),
        ("subject", &s.name),
    ];
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').map(|close| (&after[..close], close)) {
            Some((name, close)) if fields.iter().any(|(k, _)| *k == name) => {
                out.push_str(fields.iter().find(|(k, _)| *k == name).map(|(_, v)| *v).unwrap_or(""));
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The message of a rule without a TEMPLATE.
pub fn default_template(event: &AlertEvent) -> &'static str {
    match event {
        AlertEvent::JobFailed => "Weir: job {job} failed at {time} ({state}): {reason}",
        AlertEvent::JobRecovered => "Weir: job {job} recovered at {time}: {reason}",
        AlertEvent::JobRestarts { .. } => "Weir: job {job} restarted {value} times ({event}) as of {time}",
        AlertEvent::CheckpointAge(_) => "Weir: job {job} has no completed checkpoint for {value} s ({event}) as of {time}",
        AlertEvent::DatasyncLag(_) => "Weir: datasync table {subject} is {value} s behind its source ({event}) as of {time}",
        AlertEvent::ClusterDown => "Weir: Flink cluster {cluster} is down at {time}: {reason}",
        AlertEvent::ScheduleFailed => "Weir: schedule {subject} failed at {time}: {reason}\n{value}",
        AlertEvent::ScheduleFinished => "Weir: schedule {subject} finished {state} at {time}\n{value}",
    }
}

/// Whether `name` matches a rule's scope (`JOBS LIKE` uses SQL LIKE: `%`, `_`, `\`).
pub fn in_scope(scope: &AlertScope, about_clusters: bool, name: &str, cluster: &str) -> bool {
    match scope {
        AlertScope::All => true,
        AlertScope::JobsLike(p) => !about_clusters && crate::value::like(p, name),
        AlertScope::Cluster(c) => c == cluster,
        AlertScope::Schedule(s) => s == name,
    }
}

/// Alerts of this Weir: the store, and what delivery has counted since start.
pub struct Alerts {
    pub registry: registry::Registry,
    sender: send::Sender,
    /// (delivered, failed attempts) per channel type since start.
    counts: Mutex<BTreeMap<&'static str, (u64, u64)>>,
}

impl Alerts {
    pub fn new(store: &CatalogStore) -> Arc<Self> {
        Arc::new(Self { registry: registry::Registry::new(store.backend()), sender: send::Sender::new(), counts: Mutex::new(BTreeMap::new()) })
    }

    /// Checks a channel's options against its type before it is recorded.
    pub fn check_channel(name: &str, kind: ChannelType, options: &[(String, String)]) -> Result<BTreeMap<String, String>, AlertError> {
        let allowed = CHANNEL_OPTIONS.iter().find(|(t, _)| *t == kind).map(|(_, o)| *o).unwrap_or(&[]);
        let bad = |message: String| AlertError::Option { channel: name.to_string(), message };
        let mut out = BTreeMap::new();
        for (k, v) in options {
            let key = k.to_ascii_lowercase();
            if !allowed.iter().any(|(a, _)| *a == key) {
                let names: Vec<&str> = allowed.iter().map(|(a, _)| *a).collect();
                return Err(bad(format!("'{k}' is not an option of a {} channel (it takes {})", kind.as_str(), names.join(", "))));
            }
            out.insert(key, v.clone());
        }
        for (k, required) in allowed {
            if *required && !out.contains_key(*k) {
                return Err(bad(format!("a {} channel needs '{k}'", kind.as_str())));
            }
        }
        send::check(kind, &out).map_err(bad)?;
        Ok(out)
    }

    /// Sends a test message through a channel now: whether it was delivered, and the detail.
    pub async fn test_channel(&self, name: &str) -> Result<(bool, String), AlertError> {
        let channel = self.registry.channel(name).await?.ok_or_else(|| AlertError::UnknownChannel(name.to_string()))?;
        let text = format!("Weir: a test message from alert channel '{name}' at {}", chrono::DateTime::from_timestamp_millis(now_ms()).map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string()).unwrap_or_default());
        let message = send::Message { title: format!("Weir alert channel test: {name}"), text, rule: String::new(), event: "TEST".into(), subject: Subject::default() };
        let r = self.sender.send(&channel, &message).await;
        self.count(channel.kind, r.is_ok());
        Ok(match r {
            Ok(detail) => (true, detail),
            Err(why) => (false, why),
        })
    }

    fn count(&self, kind: ChannelType, delivered: bool) {
        if let Ok(mut c) = self.counts.lock() {
            let e = c.entry(kind.as_str()).or_default();
            if delivered {
                e.0 += 1;
            } else {
                e.1 += 1;
            }
        }
    }

    /// Delivered and failed attempts per channel type since start (the metrics' sample).
    pub fn counts(&self) -> Vec<crate::observe::metrics::AlertSample> {
        let c = self.counts.lock().map(|c| c.clone()).unwrap_or_default();
        ChannelType::ALL
            .iter()
            .map(|t| {
                let (sent, failed) = c.get(t.as_str()).copied().unwrap_or_default();
                crate::observe::metrics::AlertSample { channel_type: t.as_str(), sent, failed }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_fill_known_fields_and_keep_the_rest() {
        let s = Subject { name: "orders".into(), job: "orders".into(), state: "RECOVERING".into(), reason: "TaskManager lost".into(), ..Default::default() };
        let text = render("{job} is {state} ({reason}) {unknown} {", "r1", &AlertEvent::JobFailed, &s, 0);
        assert_eq!(text, "orders is RECOVERING (TaskManager lost) {unknown} {");
        assert!(render("{time}", "r", &AlertEvent::JobFailed, &s, 86_400_000).starts_with("1970-01-02 00:00:00"));
    }

    #[test]
    fn channel_options_are_checked_against_the_type() {
        let opts = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Vec<_>>();
        assert!(Alerts::check_channel("c", ChannelType::Webhook, &opts(&[("url", "http://127.0.0.1:9/hook")])).is_ok());
        let e = Alerts::check_channel("c", ChannelType::Webhook, &opts(&[])).unwrap_err().to_string();
        assert!(e.contains("needs 'url'"), "{e}");
        let e = Alerts::check_channel("c", ChannelType::Wecom, &opts(&[("url", "http://x"), ("secret", "s")])).unwrap_err().to_string();
        assert!(e.contains("'secret' is not an option of a WECOM channel"), "{e}");
        let e = Alerts::check_channel("c", ChannelType::Webhook, &opts(&[("url", "ftp://x")])).unwrap_err().to_string();
        assert!(e.contains("http"), "{e}");
        let e = Alerts::check_channel("c", ChannelType::Email, &opts(&[("host", "h"), ("from", "a@b"), ("to", "not an address")])).unwrap_err().to_string();
        assert!(e.contains("not an address"), "{e}");
    }
}
