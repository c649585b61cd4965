//! Schedules without Flink: planning a 1,000-job DAG from recorded lineage (the lineage graph,
//! the dependencies among the jobs, the plan, one step of the daemon), and a simulation of
//! shortest-dependent-job-first against first-in-first-out on synthetic 200-job DAGs with known
//! durations. Run: `cargo bench --profile release --bench schedule`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test, benchmark or example: failing loudly is its job

#[path = "support/rng.rs"]
mod rng;

use rng::Rng;
use std::collections::BTreeMap;
use std::time::Instant;

use weir::lineage::{LineageGraph, Recorded, ViaKind};
use weir::schedule::plan::{Expected, Plan, Policy, simulate, step};
use weir::schedule::TaskState;
use weir::statement::OnFailure;


/// `n` jobs, job i writing table t_i and reading one to three tables of earlier jobs (or a
/// source), as table-level lineage records of each job.
fn lineage(n: usize, rng: &mut Rng) -> (Vec<String>, Vec<Recorded>) {
    let jobs: Vec<String> = (0..n).map(|i| format!("job_{i:04}")).collect();
    let mut records = Vec::new();
    for (i, job) in jobs.iter().enumerate() {
        let reads = 1 + rng.below(3) as usize;
        for _ in 0..reads {
            let from = if i == 0 || rng.below(5) == 0 { format!("c.d.source_{}", rng.below(10)) } else { format!("c.d.t_{:04}", rng.below(i as u64)) };
            records.push(Recorded {
                via_kind: ViaKind::Job,
                via: job.clone(),
                version: 1,
                from_table: from,
                from_column: None,
                to_table: format!("c.d.t_{i:04}"),
                to_column: None,
                kind: "INSERT".into(),
                detail: String::new(),
            });
        }
    }
    (jobs, records)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let mut rng = Rng(42);

    // Planning: what the daemon does for a run of a 1,000-job schedule.
    let (jobs, records) = lineage(1000, &mut rng);
    let mut took = Vec::new();
    for _ in 0..20 {
        let start = Instant::now();
        let graph = LineageGraph::new(records.clone());
        let deps = graph.dependencies(&jobs);
        let plan = Plan::new(&jobs, &deps).expect("a DAG: every job reads earlier jobs only");
        let tasks: BTreeMap<String, TaskState> = jobs.iter().map(|j| (j.clone(), TaskState::Waiting)).collect();
        let steps = step(&plan, &tasks, OnFailure::Stop, 8, &BTreeMap::new(), &Expected::learn(&BTreeMap::new(), 5));
        assert!(!steps.is_empty());
        took.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    took.sort_by(f64::total_cmp);
    println!("planning a 1,000-job DAG ({} lineage records): p50 {:.1} ms, max {:.1} ms (20 runs)", records.len(), percentile(&took, 0.5), took[took.len() - 1]);

    // SDJF against FIFO: ten synthetic 200-job DAGs, durations from 10 s to 10 min.
    println!("\n| DAG | parallelism | SDJF makespan (s) | FIFO makespan (s) | SDJF / FIFO |");
    println!("|---|---|---|---|---|");
    let mut ratios: BTreeMap<usize, Vec<f64>> = BTreeMap::new();
    for dag in 0..10 {
        let (jobs, records) = lineage(200, &mut rng);
        let graph = LineageGraph::new(records);
        let plan = Plan::new(&jobs, &graph.dependencies(&jobs)).unwrap();
        let durations: BTreeMap<String, i64> = jobs.iter().map(|j| (j.clone(), 10_000 + rng.below(590_000) as i64)).collect();
        for parallelism in [2, 4, 8] {
            let (sdjf, _) = simulate(&plan, &durations, parallelism, Policy::Sdjf, &BTreeMap::new());
            let (fifo, _) = simulate(&plan, &durations, parallelism, Policy::Fifo, &BTreeMap::new());
            let ratio = sdjf as f64 / fifo as f64;
            ratios.entry(parallelism).or_default().push(ratio);
            if dag < 3 {
                println!("| {dag} | {parallelism} | {} | {} | {ratio:.3} |", sdjf / 1000, fifo / 1000);
            }
        }
    }
    for (parallelism, r) in &ratios {
        let mut r = r.clone();
        r.sort_by(f64::total_cmp);
        println!("parallelism {parallelism}: SDJF / FIFO over 10 DAGs: min {:.3}, median {:.3}, max {:.3}", r[0], percentile(&r, 0.5), r[r.len() - 1]);
    }
}
