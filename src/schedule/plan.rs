//! A schedule's plan, pure: the DAG of its jobs (edges from lineage), the SDJF order among ready
//! jobs, what a run does next given its tasks' states ([`step`]), the cron clock, and a
//! simulation of a run (SDJF against first-in-first-out) for the benchmarks.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::TimeZone;
use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::{Bfs, EdgeRef};

use super::TaskState;
use crate::statement::OnFailure;

/// The jobs of a schedule and which reads what which writes.
#[derive(Debug, Clone)]
pub struct Plan {
    graph: DiGraph<String, String>,
    index: HashMap<String, NodeIndex>,
}

/// A cycle among a schedule's jobs: its edges as (writer, reader, table).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle(pub Vec<(String, String, String)>);

impl std::fmt::Display for Cycle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.0.iter().map(|(a, b, t)| format!("{b} reads {t} that {a} writes")).collect();
        f.write_str(&parts.join("; "))
    }
}

impl Plan {
    /// The DAG of `jobs` with the dependencies `(writer, reader, table)`; a cycle is an error
    /// naming its edges.
    pub fn new(jobs: &[String], dependencies: &[(String, String, String)]) -> Result<Plan, Cycle> {
        let mut graph = DiGraph::new();
        let mut index = HashMap::new();
        for j in jobs {
            if !index.contains_key(j) {
                index.insert(j.clone(), graph.add_node(j.clone()));
            }
        }
        for (a, b, t) in dependencies {
            if let (Some(x), Some(y)) = (index.get(a), index.get(b)) {
                graph.add_edge(*x, *y, t.clone());
            }
        }
        for scc in tarjan_scc(&graph) {
            let looped = scc.len() > 1 || scc.first().is_some_and(|n| graph.contains_edge(*n, *n));
            if looped {
                let members: BTreeSet<NodeIndex> = scc.iter().copied().collect();
                let mut edges: Vec<(String, String, String)> = graph
                    .edge_references()
                    .filter(|e| members.contains(&e.source()) && members.contains(&e.target()))
                    .map(|e| (graph[e.source()].clone(), graph[e.target()].clone(), e.weight().clone()))
                    .collect();
                edges.sort();
                return Err(Cycle(edges));
            }
        }
        Ok(Plan { graph, index })
    }

    pub fn jobs(&self) -> Vec<String> {
        let mut v: Vec<String> = self.graph.node_weights().cloned().collect();
        v.sort();
        v
    }

    /// Every edge: (writer, reader, table).
    pub fn edges(&self) -> Vec<(String, String, String)> {
        let mut v: Vec<(String, String, String)> =
            self.graph.edge_references().map(|e| (self.graph[e.source()].clone(), self.graph[e.target()].clone(), e.weight().clone())).collect();
        v.sort();
        v
    }

    /// The jobs `job` waits for.
    pub fn predecessors(&self, job: &str) -> BTreeSet<String> {
        let Some(n) = self.index.get(job) else { return BTreeSet::new() };
        self.graph.neighbors_directed(*n, petgraph::Direction::Incoming).map(|p| self.graph[p].clone()).collect()
    }

    /// Everything that depends on `job`, transitively.
    pub fn descendants(&self, job: &str) -> BTreeSet<String> {
        let Some(n) = self.index.get(job) else { return BTreeSet::new() };
        let mut bfs = Bfs::new(&self.graph, *n);
        let mut out = BTreeSet::new();
        while let Some(x) = bfs.next(&self.graph) {
            if x != *n {
                out.insert(self.graph[x].clone());
            }
        }
        out
    }
}

/// The median of durations (ms), the upper one of an even count.
pub fn median(durations: &[i64]) -> Option<i64> {
    let mut v = durations.to_vec();
    v.sort_unstable();
    v.get(v.len() / 2).copied()
}

/// How long each job is expected to take: the median of its last successful runs, else the
/// median over the group's jobs that have one.
#[derive(Debug, Clone, Default)]
pub struct Expected {
    pub per_job: BTreeMap<String, i64>,
    pub group: Option<i64>,
}

impl Expected {
    /// From each job's successful durations (newest last); `keep` of them count.
    pub fn learn(history: &BTreeMap<String, Vec<i64>>, keep: usize) -> Self {
        let per_job: BTreeMap<String, i64> = history
            .iter()
            .filter_map(|(j, d)| {
                let recent = &d[d.len().saturating_sub(keep)..];
                median(recent).map(|m| (j.clone(), m))
            })
            .collect();
        let group = median(&per_job.values().copied().collect::<Vec<_>>());
        Self { per_job, group }
    }

    pub fn of(&self, job: &str) -> Option<i64> {
        self.per_job.get(job).copied().or(self.group)
    }
}

/// Shortest dependent job first: the highest weight, then the shortest expected duration (an
/// unknown one last), then the name.
pub fn sdjf(ready: &mut [&str], weights: &BTreeMap<String, i64>, expected: &Expected) {
    ready.sort_by_key(|j| (-weights.get(*j).copied().unwrap_or(0), expected.of(j).unwrap_or(i64::MAX), j.to_string()));
}

/// What a run does next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Start(String),
    Skip { job: String, because: String },
    /// `ON FAILURE STOP` and a job failed: cancel what runs, skip what waits.
    Stop { because: String },
    /// Every task is done.
    Finish { failed: Vec<String> },
}

/// The steps a run takes now, given its tasks' states: skips after a failure (`SKIP
/// DOWNSTREAM`), the stop (`STOP`), then the ready jobs to start in SDJF order within
/// `capacity`, or the end of the run.
pub fn step(plan: &Plan, tasks: &BTreeMap<String, TaskState>, policy: OnFailure, capacity: usize, weights: &BTreeMap<String, i64>, expected: &Expected) -> Vec<Step> {
    let failed: Vec<String> = tasks.iter().filter(|(_, s)| **s == TaskState::Failed).map(|(j, _)| j.clone()).collect();
    let waiting = |j: &str| tasks.get(j) == Some(&TaskState::Waiting);
    if policy == OnFailure::Stop
        && let Some(f) = failed.first()
    {
        if tasks.values().any(|s| matches!(s, TaskState::Waiting | TaskState::Running)) {
            return vec![Step::Stop { because: format!("job {f} failed (ON FAILURE STOP)") }];
        }
        return vec![Step::Finish { failed }];
    }
    let mut steps = Vec::new();
    let mut skipped: BTreeSet<String> = BTreeSet::new();
    if policy == OnFailure::SkipDownstream {
        for f in &failed {
            for d in plan.descendants(f) {
                if waiting(&d) && skipped.insert(d.clone()) {
                    steps.push(Step::Skip { job: d, because: format!("it depends on job {f}, which failed") });
                }
            }
        }
    }
    let done = |j: &str| match tasks.get(j) {
        Some(TaskState::Succeeded) => true,
        Some(TaskState::Failed | TaskState::Skipped) => policy == OnFailure::Skip,
        _ => false,
    };
    let mut ready: Vec<&str> = tasks
        .iter()
        .filter(|(j, s)| **s == TaskState::Waiting && !skipped.contains(*j) && plan.predecessors(j).iter().all(|p| done(p)))
        .map(|(j, _)| j.as_str())
        .collect();
    sdjf(&mut ready, weights, expected);
    for j in ready.into_iter().take(capacity) {
        steps.push(Step::Start(j.to_string()));
    }
    let open = tasks.iter().any(|(j, s)| matches!(s, TaskState::Waiting | TaskState::Running) && !skipped.contains(j));
    if steps.is_empty() && !open {
        steps.push(Step::Finish { failed });
    }
    steps
}

/// How ready jobs are picked in a simulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    Sdjf,
    /// In the order they became ready.
    Fifo,
}

/// A run simulated with known durations: its makespan (ms) and the order jobs started in.
pub fn simulate(plan: &Plan, durations: &BTreeMap<String, i64>, parallelism: usize, policy: Policy, weights: &BTreeMap<String, i64>) -> (i64, Vec<String>) {
    let expected = Expected { per_job: durations.clone(), group: None };
    let mut tasks: BTreeMap<String, TaskState> = plan.jobs().into_iter().map(|j| (j, TaskState::Waiting)).collect();
    let mut ready_since: BTreeMap<String, (i64, usize)> = BTreeMap::new();
    let mut running: Vec<(i64, String)> = Vec::new();
    let mut now = 0i64;
    let mut order = Vec::new();
    let mut seq = 0usize;
    loop {
        for (j, s) in &tasks {
            if *s == TaskState::Waiting && !ready_since.contains_key(j) && plan.predecessors(j).iter().all(|p| tasks.get(p) == Some(&TaskState::Succeeded)) {
                ready_since.insert(j.clone(), (now, seq));
                seq += 1;
            }
        }
        let mut ready: Vec<&str> = ready_since.keys().filter(|j| tasks.get(*j) == Some(&TaskState::Waiting)).map(String::as_str).collect();
        match policy {
            Policy::Sdjf => sdjf(&mut ready, weights, &expected),
            Policy::Fifo => ready.sort_by_key(|j| ready_since.get(*j).copied().unwrap_or((i64::MAX, usize::MAX))),
        }
        let free = parallelism.saturating_sub(running.len());
        let starting: Vec<String> = ready.into_iter().take(free).map(str::to_string).collect();
        for j in starting {
            running.push((now + durations.get(&j).copied().unwrap_or(0), j.clone()));
            tasks.insert(j.clone(), TaskState::Running);
            order.push(j);
        }
        running.sort();
        if running.is_empty() {
            return (now, order);
        }
        let (end, j) = running.remove(0);
        now = end;
        tasks.insert(j, TaskState::Succeeded);
    }
}

/// The next time after `after_ms` (ms since the epoch) a cron expression fires, in `timezone`
/// (UTC when none); `Err` tells what is wrong with the expression or the zone.
pub fn next_fire(cron: &str, timezone: Option<&str>, after_ms: i64) -> Result<i64, String> {
    let parsed = croner::parser::CronParser::builder()
        .year(croner::parser::Year::Disallowed)
        .build()
        .parse(cron)
        .map_err(|e| e.to_string())?;
    let tz: chrono_tz::Tz = match timezone {
        Some(z) => z.parse().map_err(|_| format!("unknown time zone '{z}'"))?,
        None => chrono_tz::UTC,
    };
    let start = tz.timestamp_millis_opt(after_ms).single().ok_or_else(|| "a time outside the calendar".to_string())?;
    let next = parsed.find_next_occurrence(&start, false).map_err(|e| e.to_string())?;
    Ok(next.timestamp_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> String {
        v.to_string()
    }

    /// a, b → j (a join); c → d → e (a chain); f alone.
    fn six() -> Plan {
        let jobs: Vec<String> = ["a", "b", "j", "c", "d", "e", "f"].iter().map(|x| s(x)).collect();
        Plan::new(&jobs, &[(s("a"), s("j"), s("ta")), (s("b"), s("j"), s("tb")), (s("c"), s("d"), s("tc")), (s("d"), s("e"), s("td"))]).unwrap()
    }

    fn states(v: &[(&str, TaskState)]) -> BTreeMap<String, TaskState> {
        v.iter().map(|(j, st)| (s(j), *st)).collect()
    }

    #[test]
    fn a_cycle_is_an_error_naming_its_edges() {
        let jobs = vec![s("x"), s("y"), s("z")];
        let e = Plan::new(&jobs, &[(s("x"), s("y"), s("t1")), (s("y"), s("x"), s("t2")), (s("y"), s("z"), s("t3"))]).unwrap_err();
        assert_eq!(e.to_string(), "y reads t1 that x writes; x reads t2 that y writes");
    }

    #[test]
    fn ready_jobs_start_shortest_first_within_the_capacity() {
        use TaskState::*;
        let p = six();
        let all_waiting = states(&[("a", Waiting), ("b", Waiting), ("j", Waiting), ("c", Waiting), ("d", Waiting), ("e", Waiting), ("f", Waiting)]);
        let expected = Expected { per_job: BTreeMap::from([(s("a"), 50), (s("b"), 10), (s("c"), 30), (s("f"), 20)]), group: None };
        let steps = step(&p, &all_waiting, OnFailure::Skip, 2, &BTreeMap::new(), &expected);
        assert_eq!(steps, vec![Step::Start(s("b")), Step::Start(s("f"))]);
        // A weight comes first.
        let steps = step(&p, &all_waiting, OnFailure::Skip, 1, &BTreeMap::from([(s("a"), 5)]), &expected);
        assert_eq!(steps, vec![Step::Start(s("a"))]);
        // The join waits for both its inputs.
        let t = states(&[("a", Succeeded), ("b", Running), ("j", Waiting), ("c", Succeeded), ("d", Succeeded), ("e", Succeeded), ("f", Succeeded)]);
        assert!(step(&p, &t, OnFailure::Skip, 2, &BTreeMap::new(), &expected).is_empty());
    }

    #[test]
    fn failure_policies() {
        use TaskState::*;
        let p = six();
        let t = states(&[("a", Succeeded), ("b", Succeeded), ("j", Running), ("c", Failed), ("d", Waiting), ("e", Waiting), ("f", Waiting)]);
        let e = Expected::default();
        assert_eq!(
            step(&p, &t, OnFailure::SkipDownstream, 2, &BTreeMap::new(), &e),
            vec![
                Step::Skip { job: s("d"), because: s("it depends on job c, which failed") },
                Step::Skip { job: s("e"), because: s("it depends on job c, which failed") },
                Step::Start(s("f"))
            ]
        );
        assert_eq!(step(&p, &t, OnFailure::Skip, 1, &BTreeMap::new(), &e), vec![Step::Start(s("d"))]);
        assert_eq!(step(&p, &t, OnFailure::Stop, 2, &BTreeMap::new(), &e), vec![Step::Stop { because: s("job c failed (ON FAILURE STOP)") }]);
        let done = states(&[("a", Succeeded), ("b", Succeeded), ("j", Succeeded), ("c", Failed), ("d", Skipped), ("e", Skipped), ("f", Succeeded)]);
        assert_eq!(step(&p, &done, OnFailure::SkipDownstream, 2, &BTreeMap::new(), &e), vec![Step::Finish { failed: vec![s("c")] }]);
    }

    #[test]
    fn expected_durations_are_medians_with_the_groups_as_fallback() {
        let e = Expected::learn(&BTreeMap::from([(s("a"), vec![100, 900, 300, 200]), (s("b"), vec![50])]), 3);
        assert_eq!((e.of("a"), e.of("b"), e.of("new")), (Some(300), Some(50), Some(300)));
    }

    #[test]
    fn sdjf_beats_fifo_when_long_jobs_would_hold_a_chain_back() {
        let jobs: Vec<String> = ["long1", "long2", "s1", "s2", "s3"].iter().map(|x| s(x)).collect();
        let p = Plan::new(&jobs, &[(s("s1"), s("s2"), s("t")), (s("s2"), s("s3"), s("u"))]).unwrap();
        let d = BTreeMap::from([(s("long1"), 100), (s("long2"), 100), (s("s1"), 40), (s("s2"), 40), (s("s3"), 40)]);
        let (sdjf_span, order) = simulate(&p, &d, 2, Policy::Sdjf, &BTreeMap::new());
        assert_eq!((sdjf_span, order), (200, vec![s("s1"), s("long1"), s("s2"), s("s3"), s("long2")]));
        let (fifo_span, order) = simulate(&p, &d, 2, Policy::Fifo, &BTreeMap::new());
        assert_eq!((fifo_span, order), (220, vec![s("long1"), s("long2"), s("s1"), s("s2"), s("s3")]));
    }

    #[test]
    fn cron_fires_in_its_time_zone() {
        // 2026-01-01T00:00:00Z; 02:00 in Paris is 01:00 UTC.
        let t0 = 1_767_225_600_000;
        assert_eq!(next_fire("0 2 * * *", Some("Europe/Paris"), t0), Ok(t0 + 3_600_000));
        assert_eq!(next_fire("*/5 * * * *", None, t0), Ok(t0 + 300_000));
        assert!(next_fire("61 * * * *", None, t0).is_err());
        assert!(next_fire("0 2 * * *", Some("Mars/Olympus"), t0).unwrap_err().contains("Mars/Olympus"));
    }
}
