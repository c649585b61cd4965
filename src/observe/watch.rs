//! The watcher: every few seconds it samples what Weir does not count as it happens — the
//! clusters' state and SQL Gateway calls, the managed jobs by state, each running job's last
//! checkpoint (from its JobManager) and savepoint (from the registry), the datasyncs' progress,
//! the job events recorded since the last round — into the metrics' [`Sample`]. A scrape only
//! encodes the last sample, so it costs the same with a thousand jobs as with one.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use tokio_util::sync::CancellationToken;
use tracing::debug;

use super::metrics::{ClusterSample, DatasyncSample, JobSample, Metrics, Sample};
use crate::catalog::store::now_ms;
use crate::datasync::Datasyncs;
use crate::jobs::{JobRecord, JobState, Jobs};
use crate::routing::Clusters;

/// How often the watcher samples.
pub const INTERVAL: Duration = Duration::from_secs(5);

/// JobManager calls in flight at once when sampling the jobs' checkpoints.
const CHECKPOINT_CALLS: usize = 16;

/// What the watcher reads.
pub struct Watched {
    pub metrics: Arc<Metrics>,
    pub clusters: Arc<Clusters>,
    pub jobs: Arc<Jobs>,
    pub datasyncs: Arc<Datasyncs>,
    /// Alerts' own counters, read into each sample.
    pub alerts: Arc<super::alerts::Alerts>,
}

/// Samples every `interval` until `shutdown`.
pub fn spawn(w: Watched, interval: Duration, shutdown: CancellationToken) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        // Events before this start are history, not news.
        let mut cursor = w.jobs.registry.last_event_id().await.unwrap_or(0);
        let mut events: BTreeMap<String, u64> = BTreeMap::new();
        loop {
            cursor = sample(&w, cursor, &mut events).await;
            tokio::select! {
                _ = tokio::time::sleep(interval) => {}
                _ = shutdown.cancelled() => return,
            }
        }
    })
}

/// One round; returns the new event cursor.
async fn sample(w: &Watched, mut cursor: i64, events: &mut BTreeMap<String, u64>) -> i64 {
    let clusters = w
        .clusters
        .all()
        .iter()
        .map(|c| ClusterSample {
            name: c.name().to_string(),
            up: c.is_ready(),
            unavailable: c.unavailable_reason(),
            sessions: c.open_sessions() as u64,
            pooled_sessions: c.pooled_sessions() as u64,
            gateway_calls: c.gateway_calls().calls(),
            gateway_failures: c.gateway_calls().failures(),
        })
        .collect();
    let jobs = w.jobs.registry.all().await.unwrap_or_else(|e| {
        debug!(error = %e, "sampling the managed jobs");
        Vec::new()
    });
    let jobs_by_state = JobState::ALL.iter().map(|s| (s.as_str(), jobs.iter().filter(|j| j.state == *s).count() as u64)).collect();
    let job_samples = job_samples(w, &jobs).await;
    loop {
        match w.jobs.registry.events_after(cursor, 1000).await {
            Ok(batch) if !batch.is_empty() => {
                for e in &batch {
                    *events.entry(e.event.clone()).or_default() += 1;
                }
                cursor = batch.last().map_or(cursor, |e| e.id);
            }
            _ => break,
        }
    }
    let datasync_tables = match w.datasyncs.progress().await {
        Ok(p) => p
            .into_iter()
            .map(|t| DatasyncSample {
                datasync: t.datasync,
                table: t.source_table,
                phase: t.phase,
                rows: t.rows.unwrap_or(0),
                lag: t.lag_ms.map(|ms| ms as f64 / 1000.0),
            })
            .collect(),
        Err(e) => {
            debug!(error = %e, "sampling the datasyncs");
            Vec::new()
        }
    };
    w.metrics.set_sample(Sample {
        clusters,
        jobs_by_state,
        jobs: job_samples,
        datasync_tables,
        job_events: events.iter().map(|(k, v)| (k.clone(), *v)).collect(),
        alerts: w.alerts.counts(),
    });
    cursor
}

/// Each job's restarts, and its checkpoint and savepoint ages.
async fn job_samples(w: &Watched, jobs: &[JobRecord]) -> Vec<JobSample> {
    let now = now_ms();
    let age = |at: i64| ((now - at).max(0) as f64) / 1000.0;
    let mut savepoints: BTreeMap<String, i64> = BTreeMap::new();
    for s in w.jobs.registry.savepoints(None).await.unwrap_or_default() {
        if s.kind == "savepoint"
            && s.disposed_at.is_none()
            && let Some(at) = s.completed_at
        {
            let e = savepoints.entry(s.job.clone()).or_insert(at);
            *e = (*e).max(at);
        }
    }
    // Owned inputs: the futures run on the watcher's task, which must be `Send`.
    let running: Vec<(String, String, Option<i64>, weir_drivers::flink::JobManagerClient)> = jobs
        .iter()
        .filter(|j| j.state == JobState::Running)
        .filter_map(|j| Some((j.name.clone(), j.flink_job_id.clone()?, j.started_at, w.clusters.get(&j.cluster)?.jobmanager()?.clone())))
        .collect();
    // Since its newest completed checkpoint — or, with none yet, since its Flink job started:
    // a job that never completes one is as far behind as its age.
    let checkpoints: BTreeMap<String, i64> = futures::stream::iter(running)
        .map(|(name, jid, started, jm)| async move {
            let at = match jm.latest_checkpoint(&jid).await.ok()? {
                Some(c) => c.latest_ack_timestamp,
                None => started?,
            };
            Some((name, at))
        })
        .buffer_unordered(CHECKPOINT_CALLS)
        .filter_map(|x| async move { x })
        .collect()
        .await;
    jobs.iter()
        .map(|j| JobSample {
            name: j.name.clone(),
            restarts: u64::try_from(j.restarts).unwrap_or(0),
            checkpoint_age: checkpoints.get(&j.name).map(|at| age(*at)),
            savepoint_age: savepoints.get(&j.name).map(|at| age(*at)),
        })
        .collect()
}
