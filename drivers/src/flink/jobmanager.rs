//! A Flink JobManager's REST API, read-only: the jobs it knows (`GET /jobs/overview`), for any
//! cluster — one Weir supervises or an external one.

use serde::Deserialize;

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
    #[serde(default)]
    pub tasks: TaskCounts,
}

/// How many of a job's tasks are in which state (only the total is kept).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub struct TaskCounts {
    #[serde(default)]
    pub total: u64,
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
}

#[cfg(test)]
mod tests {
    use super::*;

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
                tasks: TaskCounts { total: 2 },
            }]
        );
    }
}
