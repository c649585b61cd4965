//! Weir's metrics: counters the server bumps as things happen (connections, statements, errors),
//! and figures sampled by the watcher ([`super::watch`]) into a [`Sample`] that is encoded at
//! scrape time. One registry (`prometheus-client`) serves both `/metrics` and
//! `information_schema.WEIR_METRICS`, so the two can never disagree.
//!
//! Metrics are on with the HTTP listener that serves them (`[server] http_listen`): with it off,
//! Weir counts nothing as things happen ([`Metrics::off`]) and `WEIR_METRICS` is empty.
//!
//! Labels come from fixed sets (statement kind and answerer, MySQL error codes, cluster names,
//! job states) or are object names an operator chose (jobs, datasyncs): never SQL text or ids.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeLabelSet, EncodeMetric};
use prometheus_client::metrics::counter::{ConstCounter, Counter};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::{ConstGauge, Gauge};
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StatementLabels {
    kind: &'static str,
    answered_by: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct AnsweredBy {
    answered_by: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Code {
    code: String,
}

/// What the watcher last saw of things Weir does not count itself: the clusters, the managed
/// jobs, the datasyncs. Replaced whole each round.
#[derive(Debug, Clone, Default)]
pub struct Sample {
    pub clusters: Vec<ClusterSample>,
    /// Managed jobs per state (every state listed, zeros included).
    pub jobs_by_state: Vec<(&'static str, u64)>,
    pub jobs: Vec<JobSample>,
    pub datasync_tables: Vec<DatasyncSample>,
    /// Job events seen since Weir started, per event (`recovered`, `failed`, `lost`, …).
    pub job_events: Vec<(String, u64)>,
    /// Alerts sent and failed since Weir started, per channel type.
    pub alerts: Vec<AlertSample>,
}

#[derive(Debug, Clone)]
pub struct ClusterSample {
    pub name: String,
    pub up: bool,
    /// Why it is unavailable, when it is (a cluster still starting is neither up nor this).
    pub unavailable: Option<String>,
    pub sessions: u64,
    pub pooled_sessions: u64,
    pub gateway_calls: u64,
    pub gateway_failures: u64,
}

#[derive(Debug, Clone)]
pub struct JobSample {
    pub name: String,
    /// Flink's restarts seen plus Weir's resubmissions.
    pub restarts: u64,
    /// Seconds since its last completed checkpoint, while it runs and has one.
    pub checkpoint_age: Option<f64>,
    /// Seconds since its last completed savepoint, when it has one.
    pub savepoint_age: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct DatasyncSample {
    pub datasync: String,
    pub table: String,
    pub phase: String,
    pub rows: u64,
    /// Seconds behind the source's binlog, when known.
    pub lag: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct AlertSample {
    pub channel_type: &'static str,
    pub sent: u64,
    pub failed: u64,
}

/// The server's metrics.
/// A session's handles on the statement series it has counted (a few label sets: the kinds of
/// statement it sends and who answers them). They share the series' values with the registry.
#[derive(Debug, Default)]
pub struct StatementHandles(Vec<((&'static str, &'static str), Counter, Histogram)>);

#[derive(Debug)]
pub struct Metrics {
    /// Counting at all (off: every count is a no-op, and there is nothing to read).
    on: bool,
    registry: Registry,
    connections_open: Gauge,
    connections: Counter,
    refused: Family<Code, Counter>,
    statements: Family<StatementLabels, Counter>,
    latency: Family<AnsweredBy, Histogram>,
    errors: Family<Code, Counter>,
    sample: Arc<RwLock<Sample>>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("weir");
        let connections_open = Gauge::default();
        let connections = Counter::default();
        let refused = Family::<Code, Counter>::default();
        let statements = Family::<StatementLabels, Counter>::default();
        // 100 µs to about 26 s, doubling.
        let latency = Family::<AnsweredBy, Histogram>::new_with_constructor(|| Histogram::new(exponential_buckets(0.0001, 2.0, 19)));
        let errors = Family::<Code, Counter>::default();
        registry.register("connections_open", "Client connections open now (logged in)", connections_open.clone());
        registry.register("connections", "Client connections that logged in", connections.clone());
        registry.register("connections_refused", "Connections refused before a session opened, by MySQL error code (none: the client left or timed out)", refused.clone());
        registry.register("statements", "Statements answered, by kind and by who answered them", statements.clone());
        registry.register("statement_duration_seconds", "Time until a statement's answer starts (its OK, its error or its first rows), by who answered it", latency.clone());
        registry.register("errors", "Statements answered with an error, by MySQL error code", errors.clone());
        let sample = Arc::new(RwLock::new(Sample::default()));
        registry.register_collector(Box::new(Sampled(sample.clone())));
        Self { on: true, registry, connections_open, connections, refused, statements, latency, errors, sample }
    }

    /// Metrics that count nothing: no HTTP listener serves them. The watcher's sample is still
    /// kept (alert rules read it).
    pub fn off() -> Self {
        Self { on: false, ..Self::new() }
    }

    /// Whether anything is counted.
    pub fn is_on(&self) -> bool {
        self.on
    }

    pub fn connection_opened(&self) {
        if !self.on {
            return;
        }
        self.connections.inc();
        self.connections_open.inc();
    }

    pub fn connection_closed(&self) {
        if !self.on {
            return;
        }
        self.connections_open.dec();
    }

    /// A connection that never got a session: `code` the MySQL error it was refused with.
    pub fn connection_refused(&self, code: Option<u16>) {
        if !self.on {
            return;
        }
        let code = code.map_or_else(|| "none".to_string(), |c| c.to_string());
        self.refused.get_or_create(&Code { code }).inc();
    }

    /// One statement answered (`error`: the MySQL code it failed with).
    pub fn statement(&self, (kind, answered_by): (&'static str, &'static str), took: Duration, error: Option<u16>) {
        if !self.on {
            return;
        }
        self.statements.get_or_create(&StatementLabels { kind, answered_by }).inc();
        self.latency.get_or_create(&AnsweredBy { answered_by }).observe(took.as_secs_f64());
        if let Some(code) = error {
            self.error(code);
        }
    }

    /// [`Metrics::statement`] through a session's `handles`: a label set it has counted before
    /// is counted without looking its series up in the families (under their locks) again.
    pub fn statement_with(&self, handles: &mut StatementHandles, labels: (&'static str, &'static str), took: Duration, error: Option<u16>) {
        if !self.on {
            return;
        }
        let at = match handles.0.iter().position(|(l, ..)| *l == labels) {
            Some(i) => i,
            None => {
                let (kind, answered_by) = labels;
                let counter = self.statements.get_or_create(&StatementLabels { kind, answered_by }).clone();
                let histogram = self.latency.get_or_create(&AnsweredBy { answered_by }).clone();
                handles.0.push((labels, counter, histogram));
                handles.0.len() - 1
            }
        };
        let (_, counter, histogram) = &handles.0[at];
        counter.inc();
        histogram.observe(took.as_secs_f64());
        if let Some(code) = error {
            self.error(code);
        }
    }

    /// A statement (or a prepare) failed with `code`.
    pub fn error(&self, code: u16) {
        if !self.on {
            return;
        }
        self.errors.get_or_create(&Code { code: code.to_string() }).inc();
    }

    /// Replaces the sampled figures.
    pub fn set_sample(&self, sample: Sample) {
        if let Ok(mut s) = self.sample.write() {
            *s = sample;
        }
    }

    /// The last sample (alerts read it too).
    pub fn sample(&self) -> Sample {
        self.sample.read().map(|s| s.clone()).unwrap_or_default()
    }

    /// Every metric in Prometheus's text exposition format (nothing when off).
    pub fn encode(&self) -> String {
        let mut out = String::new();
        if !self.on {
            return out;
        }
        if prometheus_client::encoding::text::encode(&mut out, &self.registry).is_err() {
            out.clear();
        }
        out
    }

    /// Every sample as (name, labels, value) rows, read back from [`encode`](Self::encode)'s text:
    /// `information_schema.WEIR_METRICS`.
    pub fn rows(&self) -> Vec<(String, String, f64)> {
        parse_exposition(&self.encode())
    }
}

/// The `key="value"` pairs of a sample's labels, as [`parse_exposition`] gives them (values
/// with no escaped quote: Weir's names and states).
pub fn label_values(labels: &str) -> impl Iterator<Item = (&str, &str)> {
    labels.split("\",").filter_map(|pair| {
        let (key, value) = pair.split_once("=\"")?;
        Some((key.trim_start_matches(','), value.trim_end_matches('"')))
    })
}

/// The samples of Prometheus text: `name{labels} value` lines (comments skipped).
pub fn parse_exposition(text: &str) -> Vec<(String, String, f64)> {
    let mut rows = Vec::new();
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let (series, value) = match line.rsplit_once(' ') {
            Some(x) => x,
            None => continue,
        };
        let Ok(value) = value.parse::<f64>() else { continue };
        let (name, labels) = match series.find('{') {
            Some(i) => (&series[..i], series[i + 1..].trim_end_matches('}')),
            None => (series, ""),
        };
        rows.push((name.to_string(), labels.to_string(), value));
    }
    rows
}

/// The sampled figures, encoded at each scrape.
#[derive(Debug)]
struct Sampled(Arc<RwLock<Sample>>);

fn gauge<L: EncodeLabelSet>(encoder: &mut DescriptorEncoder<'_>, name: &str, help: &str, rows: impl IntoIterator<Item = (L, f64)>) -> Result<(), std::fmt::Error> {
    let mut family = encoder.encode_descriptor(name, help, None, prometheus_client::metrics::MetricType::Gauge)?;
    for (labels, value) in rows {
        let m = family.encode_family(&labels)?;
        ConstGauge::new(value).encode(m)?;
    }
    Ok(())
}

fn counter<L: EncodeLabelSet>(encoder: &mut DescriptorEncoder<'_>, name: &str, help: &str, rows: impl IntoIterator<Item = (L, u64)>) -> Result<(), std::fmt::Error> {
    let mut family = encoder.encode_descriptor(name, help, None, prometheus_client::metrics::MetricType::Counter)?;
    for (labels, value) in rows {
        let m = family.encode_family(&labels)?;
        ConstCounter::new(value).encode(m)?;
    }
    Ok(())
}

type Labels = Vec<(&'static str, String)>;

impl Collector for Sampled {
    fn encode(&self, mut e: DescriptorEncoder<'_>) -> Result<(), std::fmt::Error> {
        let Ok(s) = self.0.read() else { return Ok(()) };
        let cluster = |c: &ClusterSample| -> Labels { vec![("cluster", c.name.clone())] };
        gauge(&mut e, "cluster_up", "1 when the cluster's SQL Gateway answers", s.clusters.iter().map(|c| (cluster(c), f64::from(u8::from(c.up)))))?;
        gauge(&mut e, "cluster_sessions", "Weir sessions bound to the cluster", s.clusters.iter().map(|c| (cluster(c), c.sessions as f64)))?;
        gauge(&mut e, "cluster_pooled_sessions", "Pre-opened Flink sessions in the cluster's pool", s.clusters.iter().map(|c| (cluster(c), c.pooled_sessions as f64)))?;
        counter(&mut e, "flink_requests", "SQL Gateway calls made for the cluster", s.clusters.iter().map(|c| (cluster(c), c.gateway_calls)))?;
        counter(&mut e, "flink_request_failures", "SQL Gateway calls that got no answer or an error status", s.clusters.iter().map(|c| (cluster(c), c.gateway_failures)))?;
        gauge(&mut e, "jobs", "Managed jobs by state", s.jobs_by_state.iter().map(|(state, n)| (vec![("state", (*state).to_string())], *n as f64)))?;
        let job = |j: &JobSample| -> Labels { vec![("job", j.name.clone())] };
        gauge(&mut e, "job_restarts", "Flink's restarts of the job plus Weir's resubmissions", s.jobs.iter().map(|j| (job(j), j.restarts as f64)))?;
        gauge(&mut e, "job_checkpoint_age_seconds", "Seconds since the running job's last completed checkpoint", s.jobs.iter().filter_map(|j| Some((job(j), j.checkpoint_age?))))?;
        gauge(&mut e, "job_savepoint_age_seconds", "Seconds since the job's last completed savepoint", s.jobs.iter().filter_map(|j| Some((job(j), j.savepoint_age?))))?;
        counter(&mut e, "job_events", "Managed-job events since Weir started (recovered: Weir resubmitted a job), by event", s.job_events.iter().map(|(ev, n)| (vec![("event", ev.clone())], *n)))?;
        let table = |d: &DatasyncSample| -> Labels { vec![("datasync", d.datasync.clone()), ("table", d.table.clone()), ("phase", d.phase.clone())] };
        gauge(&mut e, "datasync_rows", "Rows a datasync's source emitted for the table (this Flink run)", s.datasync_tables.iter().map(|d| (table(d), d.rows as f64)))?;
        gauge(&mut e, "datasync_lag_seconds", "How far a datasync table's reader is behind its source", s.datasync_tables.iter().filter_map(|d| Some((table(d), d.lag?))))?;
        let channel = |a: &AlertSample| -> Labels { vec![("channel_type", a.channel_type.to_string())] };
        counter(&mut e, "alerts_sent", "Alert messages delivered, by channel type", s.alerts.iter().map(|a| (channel(a), a.sent)))?;
        counter(&mut e, "alerts_failed", "Alert delivery attempts that failed, by channel type", s.alerts.iter().map(|a| (channel(a), a.failed)))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_and_errors_are_counted_by_their_labels() {
        let m = Metrics::new();
        m.statement(("select", "local"), Duration::from_micros(150), None);
        m.statement(("select", "local"), Duration::from_micros(150), None);
        m.statement(("ddl", "flink"), Duration::from_millis(40), Some(1064));
        let rows = m.rows();
        let find = |name: &str, labels: &str| rows.iter().find(|r| r.0 == name && r.1 == labels).map(|r| r.2);
        assert_eq!(find("weir_statements_total", "kind=\"select\",answered_by=\"local\""), Some(2.0));
        assert_eq!(find("weir_statements_total", "kind=\"ddl\",answered_by=\"flink\""), Some(1.0));
        assert_eq!(find("weir_errors_total", "code=\"1064\""), Some(1.0));
        assert_eq!(find("weir_statement_duration_seconds_count", "answered_by=\"local\""), Some(2.0));
        let pairs: Vec<(&str, &str)> = label_values("kind=\"select\",answered_by=\"local\"").collect();
        assert_eq!(pairs, [("kind", "select"), ("answered_by", "local")]);
    }

    #[test]
    fn metrics_that_are_off_count_and_show_nothing() {
        let m = Metrics::off();
        m.connection_opened();
        m.statement(("select", "local"), Duration::from_micros(150), Some(1064));
        assert!(!m.is_on());
        assert!(m.rows().is_empty());
        assert_eq!(m.encode(), "");
    }

    #[test]
    fn sampled_figures_are_encoded_with_their_labels() {
        let m = Metrics::new();
        m.set_sample(Sample {
            jobs_by_state: vec![("RUNNING", 3), ("FAILED", 0)],
            jobs: vec![JobSample { name: "orders_agg".into(), restarts: 2, checkpoint_age: Some(4.5), savepoint_age: None }],
            ..Sample::default()
        });
        let text = m.encode();
        assert!(text.contains("weir_jobs{state=\"RUNNING\"} 3"), "{text}");
        assert!(text.contains("weir_job_checkpoint_age_seconds{job=\"orders_agg\"} 4.5"), "{text}");
        assert!(!text.contains("weir_job_savepoint_age_seconds{"), "{text}");
    }

    #[test]
    fn a_sessions_handles_count_into_the_same_series_as_the_families() {
        let m = Metrics::new();
        let mut handles = StatementHandles::default();
        m.statement(("select", "local"), Duration::from_micros(150), None);
        for _ in 0..3 {
            m.statement_with(&mut handles, ("select", "local"), Duration::from_micros(150), None);
        }
        m.statement_with(&mut handles, ("ddl", "flink"), Duration::from_millis(40), Some(1064));
        let text = m.encode();
        assert!(text.contains("weir_statements_total{kind=\"select\",answered_by=\"local\"} 4"), "{text}");
        assert!(text.contains("weir_statements_total{kind=\"ddl\",answered_by=\"flink\"} 1"), "{text}");
        assert!(text.contains("weir_errors_total{code=\"1064\"} 1"), "{text}");
        assert_eq!(handles.0.len(), 2);
        let off = Metrics::off();
        off.statement_with(&mut handles, ("select", "local"), Duration::from_micros(1), None);
        assert_eq!(off.encode(), "");
    }
}
