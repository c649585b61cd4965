//! The schedule statements: what each checks, records and changes. A schedule is checked whole
//! when created or altered (its jobs exist and are batch jobs, its DAG has no cycle, its CRON and
//! time zone read, its AFTER schedules exist without a cycle), and again when a run starts.

use std::collections::{BTreeMap, BTreeSet};

use tracing::info;

use super::plan::{self, Expected, Plan};
use super::registry::ScheduleRecord;
use super::{Definition, RunState, ScheduleError, Schedules, TaskState};
use crate::catalog::store::now_ms;
use crate::error::WeirError;
use crate::jobs::JobState;
use crate::statement::{Members, ScheduleChange, ScheduleOptions};
use crate::value::like;

/// How many successful runs of a job its expected duration is the median of.
pub const HISTORY: usize = 5;

/// One row of EXPLAIN SCHEDULE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explained {
    pub step: usize,
    pub job: String,
    pub depends_on: Option<String>,
    pub via_table: Option<String>,
    pub weight: i64,
    pub expected_ms: Option<i64>,
    pub expected_from: String,
}

impl Schedules {
    /// The jobs of a schedule, checked: each exists and is a batch job.
    pub async fn members(&self, d: &Definition) -> Result<Vec<String>, WeirError> {
        let mut seen = Vec::new();
        let mut jobs = self.expand(d, &mut seen).await?;
        jobs.retain(|j| !d.exclude.contains(j));
        for j in &d.include {
            if !jobs.contains(j) {
                jobs.push(j.clone());
            }
        }
        jobs.sort();
        jobs.dedup();
        for j in &jobs {
            let Some(job) = self.jobs.registry.get(j).await? else {
                return Err(ScheduleError::UnknownJob { schedule: d.name.clone(), job: j.clone() }.into());
            };
            let batch = match self.jobs.registry.version(j, job.version).await? {
                Some(v) => v.options.get("execution.runtime-mode").is_some_and(|m| m.eq_ignore_ascii_case("batch")),
                None => false,
            };
            if !batch {
                return Err(ScheduleError::Streaming { job: j.clone() }.into());
            }
        }
        if jobs.is_empty() {
            let why = match &d.members {
                Members::JobsLike(p) => format!("no job name matches '{p}'"),
                _ => "every job is excluded".to_string(),
            };
            return Err(ScheduleError::NoJobs { schedule: d.name.clone(), why }.into());
        }
        Ok(jobs)
    }

    /// The jobs its members clause names (sub-schedules merged).
    async fn expand(&self, d: &Definition, seen: &mut Vec<String>) -> Result<Vec<String>, WeirError> {
        if seen.contains(&d.name) {
            seen.push(d.name.clone());
            return Err(ScheduleError::ScheduleCycle(seen.join(" -> ")).into());
        }
        seen.push(d.name.clone());
        let out = match &d.members {
            Members::Jobs(j) => j.clone(),
            // A pattern without a '.' never reaches into a tenant's names (`tenant.name`,
            // crate::auth::namespace): a tenant's user's patterns carry its tenant.
            Members::JobsLike(p) => self.jobs.registry.all().await?.into_iter().map(|j| j.name).filter(|n| like(p, n) && (p.contains('.') || !n.contains('.'))).collect(),
            Members::Schedules(subs) => {
                let mut all = Vec::new();
                for s in subs {
                    let sub = self.registry.schedule(s).await?;
                    let mut jobs = Box::pin(self.expand(&sub.definition, seen)).await?;
                    jobs.retain(|j| !sub.definition.exclude.contains(j));
                    jobs.extend(sub.definition.include.iter().cloned());
                    all.extend(jobs);
                }
                all
            }
        };
        seen.pop();
        Ok(out)
    }

    /// The DAG of `jobs`, from the recorded lineage (through views).
    pub async fn plan(&self, schedule: &str, jobs: &[String]) -> Result<Plan, WeirError> {
        let graph = self.lineage.graph().await?;
        let deps = graph.dependencies(jobs);
        Plan::new(jobs, &deps).map_err(|c| ScheduleError::Cycle { schedule: schedule.to_string(), cycle: c.to_string() }.into())
    }

    /// Checks a definition whole; returns its next CRON firing.
    async fn check(&self, d: &Definition) -> Result<Option<i64>, WeirError> {
        let jobs = self.members(d).await?;
        self.plan(&d.name, &jobs).await?;
        let next = match &d.options.cron {
            Some(cron) => {
                if let Some(tz) = &d.options.timezone
                    && tz.parse::<chrono_tz::Tz>().is_err()
                {
                    return Err(ScheduleError::TimeZone(tz.clone()).into());
                }
                Some(plan::next_fire(cron, d.options.timezone.as_deref(), now_ms()).map_err(|message| ScheduleError::Cron {
                    schedule: d.name.clone(),
                    expression: cron.clone(),
                    message,
                })?)
            }
            None => None,
        };
        for a in d.options.after.iter().flatten() {
            if a == &d.name {
                return Err(ScheduleError::ScheduleCycle(format!("{a} -> {a}")).into());
            }
            self.registry.schedule(a).await?;
        }
        self.after_cycle(d).await?;
        Ok(next)
    }

    /// AFTER chains must not come back to `d`.
    async fn after_cycle(&self, d: &Definition) -> Result<(), WeirError> {
        let all: BTreeMap<String, Vec<String>> = self
            .registry
            .all()
            .await?
            .into_iter()
            .map(|s| (s.definition.name.clone(), s.definition.options.after.clone().unwrap_or_default()))
            .chain(std::iter::once((d.name.clone(), d.options.after.clone().unwrap_or_default())))
            .collect();
        let mut stack = vec![(d.name.clone(), vec![d.name.clone()])];
        while let Some((at, path)) = stack.pop() {
            for next in all.get(&at).into_iter().flatten() {
                let mut p = path.clone();
                p.push(next.clone());
                if next == &d.name {
                    return Err(ScheduleError::ScheduleCycle(p.join(" AFTER ")).into());
                }
                if !path.contains(next) {
                    stack.push((next.clone(), p));
                }
            }
        }
        Ok(())
    }

    /// `CREATE SCHEDULE`: false when `IF NOT EXISTS` found it there.
    pub async fn create(&self, d: Definition, if_not_exists: bool, user: &str) -> Result<bool, WeirError> {
        if self.registry.get(&d.name).await?.is_some() {
            return if if_not_exists { Ok(false) } else { Err(ScheduleError::Exists(d.name.clone()).into()) };
        }
        let next = self.check(&d).await?;
        self.registry.insert(&d, next, user).await?;
        info!(schedule = %d.name, "schedule created");
        Ok(true)
    }

    pub async fn alter(&self, name: &str, change: &ScheduleChange) -> Result<(), WeirError> {
        let mut d = self.registry.schedule(name).await?.definition;
        match change {
            ScheduleChange::Set(o) => d.options.merge(o),
            ScheduleChange::Exclude(jobs) => {
                for j in jobs {
                    d.include.retain(|x| x != j);
                    if !d.exclude.contains(j) {
                        d.exclude.push(j.clone());
                    }
                }
            }
            ScheduleChange::Include(jobs) => {
                for j in jobs {
                    d.exclude.retain(|x| x != j);
                    if !d.include.contains(j) {
                        d.include.push(j.clone());
                    }
                }
            }
            ScheduleChange::Weight { job, weight } => {
                if !self.members(&d).await?.contains(job) {
                    return Err(ScheduleError::UnknownJob { schedule: name.to_string(), job: job.clone() }.into());
                }
                d.weights.insert(job.clone(), *weight);
            }
        }
        let next = self.check(&d).await?;
        self.registry.update(&d, next).await?;
        Ok(())
    }

    /// Starts a run (`trigger`: RUN, CRON, AFTER); the daemon drives it.
    pub async fn run(&self, name: &str, trigger: &str) -> Result<i64, WeirError> {
        let s = self.registry.schedule(name).await?;
        let jobs = self.members(&s.definition).await?;
        self.plan(name, &jobs).await?;
        match self.registry.start_run(name, trigger, &jobs).await? {
            Some(id) => {
                info!(target: "weir::schedule::events", schedule = name, run = id, trigger, jobs = jobs.len(), "schedule run started");
                Ok(id)
            }
            None => Err(ScheduleError::State { action: "run", schedule: name.to_string(), why: "a run of it is under way (STOP SCHEDULE it first)".to_string() }.into()),
        }
    }

    fn active(runs: &[super::registry::RunRecord]) -> Option<&super::registry::RunRecord> {
        runs.iter().rev().find(|r| RunState::ACTIVE.contains(&r.state))
    }

    pub async fn pause(&self, name: &str) -> Result<(), WeirError> {
        self.registry.schedule(name).await?;
        self.registry.set_paused(name, true).await?;
        if let Some(r) = Self::active(&self.registry.runs(Some(name)).await?) {
            self.registry.set_run(name, r.run_id, &[RunState::Running], RunState::Paused, "paused: running jobs finish, no other starts").await?;
        }
        Ok(())
    }

    pub async fn resume(&self, name: &str) -> Result<(), WeirError> {
        self.registry.schedule(name).await?;
        self.registry.set_paused(name, false).await?;
        if let Some(r) = Self::active(&self.registry.runs(Some(name)).await?) {
            self.registry.set_run(name, r.run_id, &[RunState::Paused], RunState::Running, "").await?;
        }
        Ok(())
    }

    /// `STOP SCHEDULE`: the active run stops, its running jobs are cancelled, waiting ones skipped.
    pub async fn stop(&self, name: &str) -> Result<bool, WeirError> {
        self.registry.schedule(name).await?;
        let Some(r) = Self::active(&self.registry.runs(Some(name)).await?).cloned() else { return Ok(false) };
        if !self.registry.set_run(name, r.run_id, RunState::ACTIVE, RunState::Stopped, "stopped by STOP SCHEDULE").await? {
            return Ok(false);
        }
        self.end_tasks(name, r.run_id, "the run was stopped").await?;
        info!(target: "weir::schedule::events", schedule = name, run = r.run_id, "schedule run stopped");
        Ok(true)
    }

    /// Cancels a run's running jobs and skips its waiting ones.
    pub(crate) async fn end_tasks(&self, name: &str, run_id: i64, why: &str) -> Result<(), WeirError> {
        for t in self.registry.tasks(Some(name), Some(run_id)).await? {
            match t.state {
                TaskState::Running => {
                    if let Ok(j) = self.jobs.registry.job(&t.job).await
                        && JobState::ACTIVE.contains(&j.state)
                    {
                        let _ = self.jobs.stop(&t.job, false, false).await;
                    }
                    self.registry.set_task(&t, TaskState::Running, TaskState::Failed, t.attempt, t.flink_job_id.as_deref(), t.start_time, Some(now_ms()), why).await?;
                }
                TaskState::Waiting => {
                    self.registry.set_task(&t, TaskState::Waiting, TaskState::Skipped, t.attempt, None, None, None, why).await?;
                }
                _ => {}
            }
        }
        Ok(())
    }

    pub async fn drop_schedule(&self, name: &str, if_exists: bool) -> Result<bool, WeirError> {
        if self.registry.get(name).await?.is_none() {
            return if if_exists { Ok(false) } else { Err(ScheduleError::Unknown(name.to_string()).into()) };
        }
        if Self::active(&self.registry.runs(Some(name)).await?).is_some() {
            return Err(ScheduleError::State { action: "drop", schedule: name.to_string(), why: "a run of it is under way (STOP SCHEDULE it first)".to_string() }.into());
        }
        let dependents: Vec<String> =
            self.registry.all().await?.into_iter().filter(|s| s.definition.options.after.iter().flatten().any(|a| a == name)).map(|s| s.definition.name).collect();
        if !dependents.is_empty() {
            return Err(ScheduleError::State { action: "drop", schedule: name.to_string(), why: format!("schedule(s) {} run AFTER it", dependents.join(", ")) }.into());
        }
        Ok(self.registry.delete(name).await?)
    }

    /// Each job's successful durations, oldest first.
    pub async fn history(&self) -> Result<BTreeMap<String, Vec<i64>>, WeirError> {
        let mut out: BTreeMap<String, Vec<(i64, i64)>> = BTreeMap::new();
        for t in self.registry.tasks(None, None).await? {
            if let (TaskState::Succeeded, Some(s), Some(e)) = (t.state, t.start_time, t.end_time) {
                out.entry(t.job).or_default().push((e, e - s));
            }
        }
        Ok(out
            .into_iter()
            .map(|(j, mut v)| {
                v.sort();
                (j, v.into_iter().map(|(_, d)| d).collect())
            })
            .collect())
    }

    /// `EXPLAIN SCHEDULE`: the DAG's edges and the order it would run now (a simulation with the
    /// expected durations and the schedule's parallelism).
    pub async fn explain(&self, name: &str) -> Result<Vec<Explained>, WeirError> {
        let s: ScheduleRecord = self.registry.schedule(name).await?;
        let jobs = self.members(&s.definition).await?;
        let plan = self.plan(name, &jobs).await?;
        let history = self.history().await?;
        let expected = Expected::learn(&history, HISTORY);
        let durations: BTreeMap<String, i64> = jobs.iter().map(|j| (j.clone(), expected.of(j).unwrap_or(0))).collect();
        let parallelism = s.definition.options.parallelism.unwrap_or(1) as usize;
        let (_, order) = plan::simulate(&plan, &durations, parallelism, plan::Policy::Sdjf, &s.definition.weights);
        let edges = plan.edges();
        let mut rows = Vec::new();
        for (i, job) in order.iter().enumerate() {
            let from = match (expected.per_job.get(job), expected.group) {
                (Some(_), _) => format!("history ({} run(s))", history.get(job).map(|h| h.len().min(HISTORY)).unwrap_or(0)),
                (None, Some(_)) => "group median".to_string(),
                (None, None) => "unknown".to_string(),
            };
            let deps: Vec<&(String, String, String)> = edges.iter().filter(|(_, b, _)| b == job).collect();
            let base = Explained {
                step: i + 1,
                job: job.clone(),
                depends_on: None,
                via_table: None,
                weight: s.definition.weights.get(job).copied().unwrap_or(0),
                expected_ms: expected.of(job),
                expected_from: from,
            };
            if deps.is_empty() {
                rows.push(base);
            } else {
                for (a, _, t) in deps {
                    rows.push(Explained { depends_on: Some(a.clone()), via_table: Some(t.clone()), ..base.clone() });
                }
            }
        }
        Ok(rows)
    }

    /// The schedules whose jobs include one of `jobs`, with whether a run of each is under way.
    pub async fn containing(&self, jobs: &BTreeSet<String>) -> Result<Vec<(String, bool)>, WeirError> {
        let mut out = Vec::new();
        for s in self.registry.all().await? {
            let Ok(members) = self.members(&s.definition).await else { continue };
            if members.iter().any(|m| jobs.contains(m)) {
                let runs = self.registry.runs(Some(&s.definition.name)).await?;
                out.push((s.definition.name.clone(), Self::active(&runs).is_some()));
            }
        }
        Ok(out)
    }
}

/// The options a CREATE SCHEDULE's definition keeps.
pub fn definition(name: &str, options: &ScheduleOptions, members: &Members) -> Definition {
    Definition { name: name.to_string(), options: options.clone(), members: members.clone(), exclude: Vec::new(), include: Vec::new(), weights: BTreeMap::new() }
}
