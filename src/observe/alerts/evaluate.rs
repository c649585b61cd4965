//! The evaluator: each round it reads the job events recorded since its cursor (JOB FAILED,
//! JOB RECOVERED: one alert per event) and the watcher's last sample (restarts in a window,
//! checkpoint age, datasync lag, clusters down: one alert when a condition starts to hold, again
//! every `EVERY` while it holds), and queues the alerts in the store. The cursor and each rule's
//! state per subject are in the store too, so a restart neither loses nor repeats an alert; a
//! job's restarts in a window are its restart events in the store (`restarted`, `recovered`,
//! …), so a restart of Weir keeps the window. A rule concerns only what its creator may see:
//! a tenant's rule its tenant's jobs, datasyncs, schedules and clusters.

use std::collections::BTreeMap;
use std::sync::Arc;

use tracing::warn;

use super::registry::RuleRecord;
use super::{AlertError, Alerts, Subject, default_template, in_scope, render};
use crate::auth::Auth;
use crate::catalog::store::now_ms;
use crate::jobs::{EventRecord, Jobs};
use crate::observe::metrics::Sample;
use crate::schedule::{RunState, Schedules, TaskState};
use crate::statement::AlertEvent;

/// The evaluator's cursors in the store.
const JOB_EVENTS: &str = "job_events";
const SCHEDULE_RUNS: &str = "schedule_runs";

/// Job events that are a failure of the job's Flink job.
const FAILED_EVENTS: &[&str] = &["failed", "lost"];
/// Job events that are Weir recovering a job.
const RECOVERED_EVENTS: &[&str] = &["recovered"];

/// The evaluator: everything it remembers between rounds is in the store.
pub struct Evaluator {
    /// Who may see what (a rule concerns only what its creator may see).
    auth: Arc<Auth>,
}

/// Who created each job and schedule this round (the owners a rule's creator must share a
/// tenant with).
#[derive(Default)]
struct Owners {
    jobs: BTreeMap<String, String>,
    schedules: BTreeMap<String, String>,
}

/// A condition that holds for a subject now.
struct Holding {
    subject: Subject,
}

impl Evaluator {
    pub fn new(auth: Arc<Auth>) -> Self {
        Self { auth }
    }

    /// One round: job events and schedule runs since the cursors, then the conditions on
    /// `sample`.
    pub async fn round(&mut self, alerts: &Alerts, jobs: &Jobs, schedules: &Schedules, sample: &Sample) -> Result<(), AlertError> {
        let rules = alerts.registry.rules().await?;
        let store = |e: String| AlertError::Store(e);
        let owners = Owners {
            jobs: jobs.registry.all().await.map_err(|e| store(e.to_string()))?.into_iter().map(|j| (j.name, j.created_by)).collect(),
            schedules: schedules.registry.all().await.map_err(|e| store(e.to_string()))?.into_iter().map(|s| (s.definition.name, s.created_by)).collect(),
        };
        self.events(alerts, jobs, &rules, &owners).await?;
        self.schedule_runs(alerts, schedules, &rules, &owners).await?;
        self.conditions(alerts, jobs, &rules, sample, &owners).await
    }

    /// Whether `rule` may concern the object `name` of `owners` (one dropped meanwhile, whose
    /// owner is gone: as one of no tenant's).
    fn concerns(&self, rule: &RuleRecord, owners: &BTreeMap<String, String>, name: &str) -> bool {
        self.auth.concerns(&rule.created_by, owners.get(name).map_or("", String::as_str))
    }

    /// Schedule runs that ended since the cursor: SCHEDULE FAILED (a FAILED run) and SCHEDULE
    /// FINISHED (any end), with each task's state and duration as `{value}`.
    async fn schedule_runs(&mut self, alerts: &Alerts, schedules: &Schedules, rules: &[RuleRecord], owners: &Owners) -> Result<(), AlertError> {
        let store = |e: crate::schedule::ScheduleError| AlertError::Store(e.to_string());
        let Some(since) = alerts.registry.cursor(SCHEDULE_RUNS).await? else {
            alerts.registry.set_cursor(SCHEDULE_RUNS, now_ms()).await?;
            return Ok(());
        };
        let runs = schedules.registry.runs_ended_since(since).await.map_err(store)?;
        let Some(last) = runs.iter().filter_map(|r| r.end_time).max() else { return Ok(()) };
        for run in &runs {
            let wanted: Vec<&RuleRecord> = rules
                .iter()
                .filter(|r| match r.event {
                    AlertEvent::ScheduleFailed => run.state == RunState::Failed,
                    AlertEvent::ScheduleFinished => true,
                    _ => false,
                })
                .filter(|r| in_scope(&r.scope, false, &run.schedule, "") && self.concerns(r, &owners.schedules, &run.schedule))
                .collect();
            if wanted.is_empty() {
                continue;
            }
            let tasks = schedules.registry.tasks(Some(&run.schedule), Some(run.run_id)).await.map_err(store)?;
            let summary: Vec<String> = tasks
                .iter()
                .map(|t| {
                    let took = match (t.start_time, t.end_time) {
                        (Some(a), Some(b)) => format!(", {:.1} s", (b - a) as f64 / 1000.0),
                        _ => String::new(),
                    };
                    let why = if t.reason.is_empty() { String::new() } else { format!(": {}", t.reason) };
                    format!("{} {} (attempt {}{took}){why}", t.job, t.state.as_str(), t.attempt)
                })
                .collect();
            let failed = tasks.iter().filter(|t| t.state == TaskState::Failed).count();
            let subject = Subject {
                name: run.schedule.clone(),
                state: run.state.as_str().to_string(),
                reason: run.reason.clone(),
                value: format!("run {}: {} task(s), {failed} failed\n{}", run.run_id, tasks.len(), summary.join("\n")),
                ..Default::default()
            };
            for rule in wanted {
                queue(alerts, rule, &subject, &format!("run-{}-{}", run.schedule, run.run_id), run.end_time.unwrap_or(last)).await?;
            }
        }
        // Runs ending in the same millisecond as the cursor are read again next round; their
        // alerts' keys make the repeat a no-op.
        alerts.registry.set_cursor(SCHEDULE_RUNS, last).await
    }

    async fn events(&mut self, alerts: &Alerts, jobs: &Jobs, rules: &[RuleRecord], owners: &Owners) -> Result<(), AlertError> {
        let store = |e: crate::jobs::JobError| AlertError::Store(e.to_string());
        let cursor = match alerts.registry.cursor(JOB_EVENTS).await? {
            Some(c) => c,
            None => {
                // The first round of a store: what happened before alerts existed is history.
                let last = jobs.registry.last_event_id().await.map_err(store)?;
                alerts.registry.set_cursor(JOB_EVENTS, last).await?;
                return Ok(());
            }
        };
        let events = jobs.registry.events_after(cursor, 500).await.map_err(store)?;
        let Some(last) = events.last().map(|e| e.id) else { return Ok(()) };
        let clusters: BTreeMap<String, String> = jobs.registry.all().await.map_err(store)?.into_iter().map(|j| (j.name, j.cluster)).collect();
        for e in &events {
            for rule in rules {
                let wanted = match rule.event {
                    AlertEvent::JobFailed => FAILED_EVENTS,
                    AlertEvent::JobRecovered => RECOVERED_EVENTS,
                    _ => continue,
                };
                let cluster = clusters.get(&e.job).cloned().unwrap_or_default();
                if !wanted.contains(&e.event.as_str()) || !in_scope(&rule.scope, false, &e.job, &cluster) || !self.concerns(rule, &owners.jobs, &e.job) {
                    continue;
                }
                let subject = subject_of_event(e, cluster);
                queue(alerts, rule, &subject, &format!("event-{}", e.id), e.at).await?;
            }
        }
        alerts.registry.set_cursor(JOB_EVENTS, last).await
    }

    async fn conditions(&mut self, alerts: &Alerts, jobs: &Jobs, rules: &[RuleRecord], sample: &Sample, owners: &Owners) -> Result<(), AlertError> {
        let now = now_ms();
        let restarts = Restarts::read(jobs, rules, now).await?;
        for rule in rules {
            let holding: Vec<Holding> = match &rule.event {
                AlertEvent::JobFailed | AlertEvent::JobRecovered | AlertEvent::ScheduleFailed | AlertEvent::ScheduleFinished => continue,
                AlertEvent::JobRestarts { count, within } => sample
                    .jobs
                    .iter()
                    .filter_map(|j| {
                        let n = restarts.within(&j.name, now, *within);
                        (n > u64::from(*count)).then(|| Holding { subject: Subject { name: j.name.clone(), job: j.name.clone(), value: n.to_string(), ..Default::default() } })
                    })
                    .collect(),
                AlertEvent::CheckpointAge(limit) => sample
                    .jobs
                    .iter()
                    .filter_map(|j| {
                        let age = j.checkpoint_age?;
                        (age > *limit as f64).then(|| Holding { subject: Subject { name: j.name.clone(), job: j.name.clone(), value: format!("{age:.0}"), ..Default::default() } })
                    })
                    .collect(),
                AlertEvent::DatasyncLag(limit) => sample
                    .datasync_tables
                    .iter()
                    .filter_map(|d| {
                        let lag = d.lag?;
                        let name = format!("{}.{}", d.datasync, d.table);
                        (lag > *limit as f64).then(|| Holding { subject: Subject { name, job: d.datasync.clone(), state: d.phase.clone(), value: format!("{lag:.1}"), ..Default::default() } })
                    })
                    .collect(),
                AlertEvent::ClusterDown => sample
                    .clusters
                    .iter()
                    .filter(|c| c.unavailable.is_some())
                    .map(|c| Holding {
                        subject: Subject { name: c.name.clone(), cluster: c.name.clone(), state: "UNAVAILABLE".into(), reason: c.unavailable.clone().unwrap_or_default(), ..Default::default() },
                    })
                    .collect(),
            };
            let about_clusters = rule.event.about_clusters();
            let holding: Vec<Holding> = holding
                .into_iter()
                .filter(|h| in_scope(&rule.scope, about_clusters, &h.subject.name, &h.subject.cluster) || in_scope(&rule.scope, about_clusters, &h.subject.job, &h.subject.cluster))
                .filter(|h| if about_clusters { self.auth.concerns_cluster(&rule.created_by, &h.subject.cluster) } else { self.concerns(rule, &owners.jobs, &h.subject.job) })
                .collect();
            for h in &holding {
                match alerts.registry.state(&rule.name, &h.subject.name).await? {
                    Some((true, last)) => {
                        if let Some(every) = rule.every
                            && now - last >= (every as i64) * 1000
                        {
                            queue(alerts, rule, &h.subject, &format!("repeat-{now}"), now).await?;
                            alerts.registry.set_state(&rule.name, &h.subject.name, true, now).await?;
                        }
                    }
                    _ => {
                        queue(alerts, rule, &h.subject, &format!("fire-{now}"), now).await?;
                        alerts.registry.set_state(&rule.name, &h.subject.name, true, now).await?;
                    }
                }
            }
            for subject in alerts.registry.firing(&rule.name).await? {
                if !holding.iter().any(|h| h.subject.name == subject) {
                    alerts.registry.set_state(&rule.name, &subject, false, now).await?;
                }
            }
        }
        Ok(())
    }
}

/// When each job restarted within the longest `WITHIN` of the rules, from the store's restart
/// events.
struct Restarts(BTreeMap<String, Vec<i64>>);

impl Restarts {
    async fn read(jobs: &Jobs, rules: &[RuleRecord], now: i64) -> Result<Restarts, AlertError> {
        let window = rules
            .iter()
            .filter_map(|r| match r.event {
                AlertEvent::JobRestarts { within, .. } => Some(within),
                _ => None,
            })
            .max();
        let mut by_job: BTreeMap<String, Vec<i64>> = BTreeMap::new();
        if let Some(window) = window {
            let events = jobs.registry.restarts_since(since(now, window)).await.map_err(|e| AlertError::Store(e.to_string()))?;
            for (job, at) in events {
                by_job.entry(job).or_default().push(at);
            }
        }
        Ok(Restarts(by_job))
    }

    /// The job's restarts within the last `within` seconds.
    fn within(&self, job: &str, now: i64, within: u64) -> u64 {
        let since = since(now, within);
        self.0.get(job).map_or(0, |at| at.iter().filter(|t| **t >= since).count() as u64)
    }
}

/// `secs` seconds before `now` (ms).
fn since(now: i64, secs: u64) -> i64 {
    now.saturating_sub(i64::try_from(secs).unwrap_or(i64::MAX).saturating_mul(1000))
}

fn subject_of_event(e: &EventRecord, cluster: String) -> Subject {
    Subject { name: e.job.clone(), job: e.job.clone(), cluster, state: e.state.clone(), reason: e.detail.clone(), value: String::new() }
}

/// Renders and queues one alert of `rule` about `s` for each of its channels.
async fn queue(alerts: &Alerts, rule: &RuleRecord, s: &Subject, dedupe: &str, at: i64) -> Result<(), AlertError> {
    let template = rule.template.as_deref().unwrap_or_else(|| default_template(&rule.event));
    let text = render(template, &rule.name, &rule.event, s, at);
    let title = format!("Weir alert {}: {} {}", rule.name, rule.event.text(), s.name);
    let n = alerts.registry.enqueue(rule, &rule.event.text(), s, dedupe, &title, &text).await?;
    if n == 0 {
        warn!(rule = %rule.name, subject = %s.name, "alert already queued (a repeat after a restart)");
    }
    Ok(())
}
