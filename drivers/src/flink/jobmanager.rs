//! A Flink JobManager's REST API, for any cluster — one Weir supervises or an external one: the
//! jobs it knows (`GET /jobs/overview`), one job's exceptions and checkpoints, and the
//! lifecycle calls a managed job needs (savepoint, stop with savepoint, cancel). The same paths
//! and bodies in Flink 1.20 and 2.x.

use std::collections::HashMap;
use std::time::Duration;

use serde::Deserialize;
use serde_json::json;

use super::error::FlinkError;
use super::http;

/// One job of `GET /jobs/overview`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct JobOverview {
    /// The job id (32 hex digits).
    pub jid: String,
    pub name: String,
    /// `RUNNING`, `FINISHED`, `CANCELED`, `FAILED`, …
    pub state: String,
    /// Milliseconds since the epoch.
    #[serde(rename = "start-time")]
    pub start_time: i64,
    /// Milliseconds since the epoch; -1 while the job has not ended.
    #[serde(rename = "end-time")]
    pub end_time: i64,
    /// Milliseconds the job ran (so far).
    pub duration: i64,
    /// Milliseconds since the epoch of the job's or a task's last change of state: it moves
    /// when Flink restarts the job (its tasks are failed and deployed again).
    #[serde(rename = "last-modification", default)]
    pub last_modification: i64,
    #[serde(default)]
    pub tasks: TaskCounts,
}

/// How many of a job's tasks are in which state (only the total is kept).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub struct TaskCounts {
    #[serde(default)]
    pub total: u64,
}

/// One vertex of a job.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Vertex {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub parallelism: u64,
}

#[derive(Deserialize)]
struct ClusterOverview {
    #[serde(rename = "slots-total", default)]
    slots_total: u64,
    #[serde(rename = "slots-available", default)]
    slots_available: u64,
}

#[derive(Deserialize)]
struct JobDetail {
    #[serde(default)]
    vertices: Vec<Vertex>,
    #[serde(default)]
    state: String,
    /// When the job last entered each state (0: never), in the JobManager's clock.
    #[serde(default)]
    timestamps: HashMap<String, i64>,
}

/// One metric of a vertex, aggregated over its subtasks.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct VertexMetric {
    pub id: String,
    #[serde(default)]
    pub sum: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
}

#[derive(Deserialize)]
struct Overview {
    jobs: Vec<JobOverview>,
}

/// A client for one JobManager's REST API (short timeouts: a JobManager that does not answer
/// must not hold up whoever asks).
#[derive(Debug, Clone)]
pub struct JobManagerClient {
    http: reqwest::Client,
    endpoint: String,
}

impl JobManagerClient {
    /// `endpoint`: the REST base URL, e.g. `http://127.0.0.1:8081`.
    pub fn new(endpoint: &str) -> Result<Self, FlinkError> {
        Ok(Self { http: http::client()?, endpoint: endpoint.trim_end_matches('/').to_string() })
    }

    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Every job the JobManager knows, running or ended.
    pub async fn jobs(&self) -> Result<Vec<JobOverview>, FlinkError> {
        let overview: Overview = http::get_json(&self.http, format!("{}/jobs/overview", self.endpoint)).await?;
        Ok(overview.jobs)
    }

    /// The job's state as the JobManager's handlers of one job see it: they answer (details,
    /// exceptions, checkpoints) from a copy of the job's graph cached for `web.refresh-interval`
    /// (3 s by default), while the job list (`/jobs/overview`) is live. A job the list shows ended
    /// may still show running here, its last failure not yet in its exceptions.
    pub async fn cached_state(&self, job: &str) -> Result<String, FlinkError> {
        let d: JobDetail = self.get(job, "").await?;
        Ok(d.state)
    }

    /// The cause of the job's most recent failure, as Flink's exception history gives it: the
    /// innermost `Caused by:` of the newest entry (None when the job never failed).
    pub async fn root_cause(&self, job: &str) -> Result<Option<String>, FlinkError> {
        let e: Exceptions = self.get(job, "/exceptions?maxExceptions=1").await?;
        let newest = e.history.and_then(|h| h.entries.into_iter().next());
        Ok(match newest {
            Some(entry) => Some(root_cause_of(&entry.exception_name, &entry.stacktrace)),
            None => e.root_exception.map(|t| root_cause_of("", &t)),
        })
    }

    /// The whole stack trace of the job's most recent failure (the newest entry of its exception
    /// history, else its root exception); None when the job never failed.
    pub async fn failure_trace(&self, job: &str) -> Result<Option<String>, FlinkError> {
        let e: Exceptions = self.get(job, "/exceptions?maxExceptions=1").await?;
        let newest = e.history.and_then(|h| h.entries.into_iter().next());
        Ok(newest.map(|entry| entry.stacktrace).or(e.root_exception))
    }

    /// How many times Flink restarted the job: the larger of what its exception history counts
    /// (an entry per failure Flink handled, each a restart but a terminal one; it keeps
    /// `web.exception-history-size`, 16 by default) and its `numRestarts` metric (refreshed every
    /// `metrics.fetcher.update-interval`, 10 s by default, and gone once the job has ended). The
    /// job's state is read after its history. Of a job that is failing for good, only the
    /// failures before it last went RUNNING are restarts: the terminal one comes after, whether
    /// Flink has archived it in the history yet or not. A count may lag (the next catches up); it
    /// never runs ahead, and the restarts of an ended job are all counted.
    pub async fn restarts(&self, job: &str) -> Result<u64, FlinkError> {
        let e: Exceptions = self.get(job, &format!("/exceptions?maxExceptions={EXCEPTIONS_COUNTED}")).await?;
        let entries = e.history.map(|h| h.entries).unwrap_or_default();
        let d: JobDetail = self.get(job, "").await?;
        let from_history = restarts_in_history(&d.state, d.timestamps.get("RUNNING").copied().unwrap_or(0), &entries);
        let metric: Vec<JobMetric> = self.get(job, "/metrics?get=numRestarts").await.unwrap_or_default();
        let from_metric = metric.iter().filter(|m| m.id == "numRestarts").find_map(|m| m.value.parse::<u64>().ok()).unwrap_or(0);
        Ok(from_history.max(from_metric))
    }

    /// The job's newest completed checkpoint or savepoint (`GET /jobs/:id/checkpoints`).
    pub async fn latest_checkpoint(&self, job: &str) -> Result<Option<CompletedCheckpoint>, FlinkError> {
        let c: Checkpoints = self.get(job, "/checkpoints").await?;
        let latest = c.latest.unwrap_or_default();
        let newest = [latest.completed, latest.savepoint]
            .into_iter()
            .flatten()
            .filter(|c| !c.discarded && !c.external_path.is_empty() && c.external_path != "<checkpoint-not-externally-addressable>")
            .max_by_key(|c| c.latest_ack_timestamp);
        Ok(newest)
    }

    /// Triggers a savepoint into `directory` and waits (up to `wait`) for its path.
    pub async fn savepoint(&self, job: &str, directory: &str, wait: Duration) -> Result<String, FlinkError> {
        let body = json!({"target-directory": directory, "cancel-job": false, "formatType": "CANONICAL"});
        let trigger: Trigger = self.post(job, "/savepoints", body).await?;
        self.await_savepoint(job, &trigger.request_id, wait).await
    }

    /// Stops the job with a savepoint into `directory` (`drain`: emit end-of-input first), and
    /// waits (up to `wait`) for the savepoint's path.
    pub async fn stop_with_savepoint(&self, job: &str, directory: &str, drain: bool, wait: Duration) -> Result<String, FlinkError> {
        let body = json!({"targetDirectory": directory, "drain": drain, "formatType": "CANONICAL"});
        let trigger: Trigger = self.post(job, "/stop", body).await?;
        self.await_savepoint(job, &trigger.request_id, wait).await
    }

    /// Cancels the job (`PATCH /jobs/:id?mode=cancel`); Flink finishes cancelling it after the call.
    pub async fn cancel(&self, job: &str) -> Result<(), FlinkError> {
        let url = format!("{}/jobs/{job}?mode=cancel", self.endpoint);
        let response = self.http.patch(&url).send().await.map_err(|source| FlinkError::Http { url: url.clone(), source })?;
        self.check(job, url, response).await.map(|_| ())
    }

    /// The job's vertices (`GET /jobs/:id`): each one's id and name (the chain of operator names,
    /// e.g. `Source: src_orders[1] -> ... -> Sink: orders[3]`).
    pub async fn vertices(&self, job: &str) -> Result<Vec<Vertex>, FlinkError> {
        let d: JobDetail = self.get(job, "").await?;
        Ok(d.vertices)
    }

    /// The task slots free now (`GET /overview`).
    pub async fn free_slots(&self) -> Result<u64, FlinkError> {
        let overview: ClusterOverview = http::get_json(&self.http, format!("{}/overview", self.endpoint)).await?;
        Ok(overview.slots_available)
    }

    /// Task slots held for jobs this JobManager does not know: after a JobManager restart, the
    /// slots of tasks the TaskManagers still run for the jobs of the one that died (they free them
    /// when they notice it is gone). The slots in use minus what the known, unfinished jobs use
    /// (each its largest vertex parallelism: Flink shares a slot across a job's vertices).
    pub async fn slots_of_unknown_jobs(&self) -> Result<u64, FlinkError> {
        let overview: ClusterOverview = http::get_json(&self.http, format!("{}/overview", self.endpoint)).await?;
        let in_use = overview.slots_total.saturating_sub(overview.slots_available);
        let mut known = 0u64;
        for job in self.jobs().await? {
            if matches!(job.state.as_str(), "FINISHED" | "CANCELED" | "FAILED" | "SUSPENDED") {
                continue;
            }
            let vertices = self.vertices(&job.jid).await.unwrap_or_default();
            known += vertices.iter().map(|v| v.parallelism).max().unwrap_or(0);
        }
        Ok(in_use.saturating_sub(known))
    }

    /// Metrics of one vertex summed over its subtasks (`GET
    /// /jobs/:id/vertices/:vid/subtasks/metrics?get=…`): each asked name that Flink knows, with
    /// its sum and maximum.
    pub async fn vertex_metrics(&self, job: &str, vertex: &str, names: &[String]) -> Result<Vec<VertexMetric>, FlinkError> {
        let get: Vec<String> = names.iter().map(|n| n.replace('[', "%5B").replace(']', "%5D")).collect();
        self.get(job, &format!("/vertices/{vertex}/subtasks/metrics?get={}", get.join(","))).await
    }

    async fn await_savepoint(&self, job: &str, request: &str, wait: Duration) -> Result<String, FlinkError> {
        let deadline = tokio::time::Instant::now() + wait;
        let mut pause = Duration::from_millis(50);
        loop {
            let status: SavepointStatus = self.get(job, &format!("/savepoints/{request}")).await?;
            if status.status.id == "COMPLETED" {
                let op = status.operation.unwrap_or_default();
                return match (op.location, op.failure_cause) {
                    (Some(path), _) => Ok(path),
                    (None, Some(cause)) => Err(FlinkError::Rest {
                        url: format!("{}/jobs/{job}/savepoints/{request}", self.endpoint),
                        status: 200,
                        message: root_cause_of(cause.class.as_deref().unwrap_or(""), cause.stack_trace.as_deref().unwrap_or("")),
                    }),
                    (None, None) => Err(FlinkError::Rest {
                        url: format!("{}/jobs/{job}/savepoints/{request}", self.endpoint),
                        status: 200,
                        message: "the savepoint completed without a location".into(),
                    }),
                };
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(FlinkError::Rest {
                    url: format!("{}/jobs/{job}/savepoints/{request}", self.endpoint),
                    status: 200,
                    message: format!("the savepoint was not complete after {wait:?}"),
                });
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_millis(500));
        }
    }

    async fn get<T: serde::de::DeserializeOwned>(&self, job: &str, tail: &str) -> Result<T, FlinkError> {
        let url = format!("{}/jobs/{job}{tail}", self.endpoint);
        let response = self.http.get(&url).send().await.map_err(|source| FlinkError::Http { url: url.clone(), source })?;
        let response = self.check(job, url.clone(), response).await?;
        response.json().await.map_err(|source| FlinkError::Http { url, source })
    }

    async fn post<T: serde::de::DeserializeOwned>(&self, job: &str, tail: &str, body: serde_json::Value) -> Result<T, FlinkError> {
        let url = format!("{}/jobs/{job}{tail}", self.endpoint);
        let response = self.http.post(&url).json(&body).send().await.map_err(|source| FlinkError::Http { url: url.clone(), source })?;
        let response = self.check(job, url.clone(), response).await?;
        response.json().await.map_err(|source| FlinkError::Http { url, source })
    }

    /// A 404 is an unknown job; any other error status carries Flink's `errors` text.
    async fn check(&self, job: &str, url: String, response: reqwest::Response) -> Result<reqwest::Response, FlinkError> {
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        let text = response.text().await.unwrap_or_default();
        let message = serde_json::from_str::<RestErrors>(&text).map(|e| e.errors.join("; ")).unwrap_or(text);
        if status.as_u16() == 404 || message.contains("NotFound") || message.contains("could not be found") {
            return Err(FlinkError::UnknownJob { endpoint: self.endpoint.clone(), job: job.to_string() });
        }
        Err(FlinkError::Rest { url, status: status.as_u16(), message })
    }
}

/// A completed checkpoint or savepoint, as `GET /jobs/:id/checkpoints` reports it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct CompletedCheckpoint {
    pub id: i64,
    #[serde(default)]
    pub is_savepoint: bool,
    #[serde(default)]
    pub external_path: String,
    #[serde(default)]
    pub discarded: bool,
    /// Milliseconds since the epoch when the last task acknowledged it (its completion).
    #[serde(default)]
    pub latest_ack_timestamp: i64,
}

#[derive(Deserialize, Default)]
struct Latest {
    completed: Option<CompletedCheckpoint>,
    savepoint: Option<CompletedCheckpoint>,
}

#[derive(Deserialize)]
struct Checkpoints {
    latest: Option<Latest>,
}

#[derive(Deserialize)]
struct Exceptions {
    #[serde(rename = "root-exception", default)]
    root_exception: Option<String>,
    #[serde(rename = "exceptionHistory", default)]
    history: Option<ExceptionHistory>,
}

#[derive(Deserialize)]
struct ExceptionHistory {
    #[serde(default)]
    entries: Vec<ExceptionEntry>,
}

/// The restarts an exception history shows of a job in `state` that last went RUNNING at
/// `running_since` (0: unknown).
fn restarts_in_history(state: &str, running_since: i64, entries: &[ExceptionEntry]) -> u64 {
    let handled = entries.len() as u64;
    match state {
        "FAILING" | "FAILED" if running_since > 0 && entries.iter().all(|e| e.timestamp > 0) => {
            entries.iter().filter(|e| e.timestamp < running_since).count() as u64
        }
        "FAILING" | "FAILED" => handled.saturating_sub(1),
        _ => handled,
    }
}

/// Exception-history entries asked for when counting restarts (Flink keeps 16 by default).
const EXCEPTIONS_COUNTED: usize = 1000;

/// One job metric of `GET /jobs/:id/metrics?get=…`.
#[derive(Deserialize)]
struct JobMetric {
    id: String,
    #[serde(default)]
    value: String,
}

#[derive(Deserialize)]
struct ExceptionEntry {
    #[serde(rename = "exceptionName", default)]
    exception_name: String,
    #[serde(default)]
    stacktrace: String,
    /// When the failure happened, in the JobManager's clock.
    #[serde(default)]
    timestamp: i64,
}

#[derive(Deserialize)]
struct Trigger {
    #[serde(rename = "request-id")]
    request_id: String,
}

#[derive(Deserialize)]
struct SavepointStatus {
    status: StatusId,
    operation: Option<SavepointOperation>,
}

#[derive(Deserialize)]
struct StatusId {
    id: String,
}

#[derive(Deserialize, Default)]
struct SavepointOperation {
    location: Option<String>,
    #[serde(rename = "failure-cause")]
    failure_cause: Option<FailureCause>,
}

#[derive(Deserialize)]
struct FailureCause {
    class: Option<String>,
    #[serde(rename = "stack-trace")]
    stack_trace: Option<String>,
}

#[derive(Deserialize)]
struct RestErrors {
    errors: Vec<String>,
}

/// The innermost cause of a Java stack trace: its last `Caused by:` line, else its first line,
/// else the exception's name.
pub fn root_cause_of(name: &str, stacktrace: &str) -> String {
    let innermost = stacktrace.lines().rev().find_map(|l| l.trim_start().strip_prefix("Caused by: "));
    let first = stacktrace.lines().next().map(str::trim).filter(|l| !l.is_empty());
    match (innermost, first) {
        (Some(c), _) => c.trim().to_string(),
        (None, Some(f)) => f.to_string(),
        (None, None) => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_cause_is_the_innermost_caused_by() {
        let trace = "org.apache.flink.runtime.JobException: Recovery is suppressed\n\tat x.y(Z.java:1)\nCaused by: java.lang.RuntimeException: boom\n\tat a.b\nCaused by: java.lang.ArithmeticException: / by zero\n\tat c.d";
        assert_eq!(root_cause_of("JobException", trace), "java.lang.ArithmeticException: / by zero");
        assert_eq!(root_cause_of("JobException", "java.lang.IllegalStateException: x\n\tat a"), "java.lang.IllegalStateException: x");
        assert_eq!(root_cause_of("JobException", ""), "JobException");
    }

    #[test]
    fn reads_the_latest_checkpoints() {
        let body = r#"{"counts":{"completed":3},"latest":{"completed":{"id":7,"status":"COMPLETED","is_savepoint":false,"latest_ack_timestamp":1700000002000,"external_path":"file:/d/chk-7","discarded":false},"savepoint":{"id":5,"is_savepoint":true,"latest_ack_timestamp":1700000001000,"external_path":"file:/s/savepoint-1","discarded":false},"failed":null,"restored":null}}"#;
        let c: Checkpoints = serde_json::from_str(body).expect("parses");
        let latest = c.latest.expect("latest");
        assert_eq!(latest.completed.map(|c| c.external_path), Some("file:/d/chk-7".to_string()));
        assert_eq!(latest.savepoint.map(|c| c.id), Some(5));
    }

    #[test]
    fn reads_the_overview_flink_1_and_2_give() {
        let body = r#"{"jobs":[{"jid":"2d35bc70c91516cc229f0a29a718f69e","name":"insert-into_sink","start-time":1796342159480,"end-time":-1,"duration":306,"state":"RUNNING","last-modification":1796342159786,"tasks":{"running":2,"canceling":0,"total":2,"finished":0}}]}"#;
        let o: Overview = serde_json::from_str(body).expect("parses");
        assert_eq!(
            o.jobs,
            vec![JobOverview {
                jid: "2d35bc70c91516cc229f0a29a718f69e".into(),
                name: "insert-into_sink".into(),
                state: "RUNNING".into(),
                start_time: 1796342159480,
                end_time: -1,
                duration: 306,
                last_modification: 1796342159786,
                tasks: TaskCounts { total: 2 },
            }]
        );
    }

    #[test]
    fn a_failed_jobs_restarts_are_its_failures_before_it_last_ran_whether_the_terminal_one_is_archived_yet_or_not() {
        let entry = |timestamp| ExceptionEntry { exception_name: String::new(), stacktrace: String::new(), timestamp };
        // Three restarts (failures at 10, 20, 30; RUNNING again each time, last at 31), then the end at 40.
        let archived = [entry(40), entry(30), entry(20), entry(10)];
        let not_yet = [entry(30), entry(20), entry(10)];
        assert_eq!(restarts_in_history("FAILED", 31, &archived), 3);
        assert_eq!(restarts_in_history("FAILED", 31, &not_yet), 3);
        assert_eq!(restarts_in_history("FAILING", 31, &not_yet), 3);
        assert_eq!(restarts_in_history("RUNNING", 31, &not_yet), 3);
        assert_eq!(restarts_in_history("RESTARTING", 31, &not_yet), 3);
        // Without timestamps (an older answer): every entry but the terminal one.
        assert_eq!(restarts_in_history("FAILED", 0, &archived), 3);
        let detail: JobDetail = serde_json::from_str(r#"{"state":"FAILED","timestamps":{"RUNNING":31,"FAILED":41,"CREATED":1},"vertices":[]}"#).expect("parses");
        assert_eq!(detail.timestamps.get("RUNNING"), Some(&31));
    }
}
