//! The protocol fuzz target on the stable toolchain: mutations of real clients' captured
//! sessions (`fuzz/seeds/protocol/`, see `fuzz/capture.py`) through [`weir_fuzz::check`], with a
//! counting global allocator that bounds what each input may make the server allocate. Not
//! coverage-guided (that is the libFuzzer target's job); deterministic for a `--seed`.
//!
//! ```sh
//! cargo run --release -p weir-fuzz --bin protocol-stable -- --inputs 10000000 [--jobs 2] [--seed 1]
//! ```
//!
//! A failing input (panic, hang, torn reply, allocation over the cap) is written to
//! `fuzz/artifacts/protocol/` and the driver exits with status 1; replay one with `--replay FILE`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test, benchmark or example: failing loudly is its job

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use weir_fuzz::mutate::Mutator;

#[global_allocator]
static ALLOC: weir_fuzz::alloc::Counting = weir_fuzz::alloc::Counting;

struct Args {
    inputs: u64,
    jobs: u64,
    seed: u64,
    seeds: PathBuf,
    artifacts: PathBuf,
    replay: Option<PathBuf>,
}

fn args() -> Args {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut a = Args {
        inputs: 10_000_000,
        jobs: 1,
        seed: 1,
        seeds: root.join("seeds/protocol"),
        artifacts: root.join("artifacts/protocol"),
        replay: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--inputs" => a.inputs = value().replace('_', "").parse().expect("--inputs N"),
            "--jobs" => a.jobs = value().parse::<u64>().expect("--jobs N").max(1),
            "--seed" => a.seed = value().parse().expect("--seed N"),
            "--seeds" => a.seeds = value().into(),
            "--artifacts" => a.artifacts = value().into(),
            "--replay" => a.replay = Some(value().into()),
            other => panic!("unknown argument {other} (--inputs N --jobs N --seed N --seeds DIR --artifacts DIR --replay FILE)"),
        }
    }
    a
}

fn load_seeds(dir: &Path) -> Vec<Vec<u8>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading seeds from {}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

fn save(artifacts: &Path, kind: &str, input: &[u8]) -> PathBuf {
    std::fs::create_dir_all(artifacts).unwrap();
    let hash = input.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    let path = artifacts.join(format!("{kind}-{hash:016x}"));
    std::fs::write(&path, input).unwrap();
    path
}

/// Runs one input; on a failure saves it and ends the process. Returns its allocation peak.
fn run_one(input: &[u8], artifacts: &Path, stats: &mut Stats) -> usize {
    let result = std::panic::catch_unwind(|| weir_fuzz::check(input));
    match result {
        Ok(Ok(summary)) => {
            stats.add(&summary);
            summary.allocated
        }
        Ok(Err(failure)) => {
            let path = save(artifacts, "failure", input);
            eprintln!("FAILED: {failure:?}; input saved to {}", path.display());
            std::process::exit(1);
        }
        Err(_) => {
            let path = save(artifacts, "crash", input);
            eprintln!("PANIC while serving an input; saved to {}", path.display());
            std::process::exit(1);
        }
    }
}

#[derive(Default)]
struct Stats {
    inputs: u64,
    logged_in: u64,
    errors: BTreeMap<u16, u64>,
}

impl Stats {
    fn add(&mut self, s: &weir_fuzz::Summary) {
        self.inputs += 1;
        self.logged_in += u64::from(s.logged_in);
        for e in &s.errors {
            *self.errors.entry(*e).or_default() += 1;
        }
    }

    fn merge(&mut self, o: Stats) {
        self.inputs += o.inputs;
        self.logged_in += o.logged_in;
        for (k, v) in o.errors {
            *self.errors.entry(k).or_default() += v;
        }
    }
}

fn main() {
    let a = args();
    if let Some(file) = &a.replay {
        let input = std::fs::read(file).unwrap();
        let (outcome, usage) = weir_fuzz::alloc::measure(|| weir_fuzz::connection(&input));
        println!("{outcome:?}\nallocation peak {} bytes (cap {}), largest {} bytes", usage.peak, weir_fuzz::allocation_cap(input.len()), usage.largest);
        println!("check: {:?}", weir_fuzz::check(&input));
        return;
    }
    let seeds = load_seeds(&a.seeds);
    assert!(!seeds.is_empty(), "no seeds in {}", a.seeds.display());
    let start = Instant::now();
    // The seeds themselves first, unmutated: each must pass.
    let mut total = Stats::default();
    for s in &seeds {
        run_one(s, &a.artifacts, &mut total);
    }
    println!(
        "{} seeds from {} replayed ({} logged in); fuzzing {} inputs on {} thread(s), seed {}",
        seeds.len(),
        a.seeds.display(),
        total.logged_in,
        a.inputs,
        a.jobs,
        a.seed
    );

    let done = Arc::new(AtomicU64::new(0));
    let peak = Arc::new(AtomicU64::new(0));
    let current: Vec<Arc<Mutex<Vec<u8>>>> = (0..a.jobs).map(|_| Arc::new(Mutex::new(Vec::new()))).collect();
    let progress: Vec<Arc<AtomicU64>> = (0..a.jobs).map(|_| Arc::new(AtomicU64::new(0))).collect();
    // The watchdog: a job that makes no progress for 60 s is stuck on its current input.
    {
        let (current, progress, artifacts) = (current.clone(), progress.clone(), a.artifacts.clone());
        std::thread::spawn(move || {
            let mut last: Vec<u64> = progress.iter().map(|p| p.load(Ordering::Relaxed)).collect();
            loop {
                std::thread::sleep(Duration::from_secs(60));
                for (i, p) in progress.iter().enumerate() {
                    let now = p.load(Ordering::Relaxed);
                    if now == last[i] && now != u64::MAX {
                        let input = current[i].lock().map(|c| c.clone()).unwrap_or_default();
                        let path = save(&artifacts, "stuck", &input);
                        eprintln!("STUCK: job {i} has not finished an input for 60 s; saved to {}", path.display());
                        std::process::exit(1);
                    }
                    last[i] = now;
                }
            }
        });
    }
    let per_job = a.inputs.div_ceil(a.jobs);
    let handles: Vec<_> = (0..a.jobs)
        .map(|j| {
            let seeds = seeds.clone();
            let (done, peak, current, progress, artifacts) =
                (done.clone(), peak.clone(), current[j as usize].clone(), progress[j as usize].clone(), a.artifacts.clone());
            let (seed, total_inputs) = (a.seed.wrapping_mul(0x1000).wrapping_add(j), a.inputs);
            std::thread::spawn(move || {
                let mut m = Mutator::new(seed, &seeds);
                let mut input = Vec::new();
                let mut stats = Stats::default();
                for n in 0..per_job {
                    m.next_input(&mut input);
                    if let Ok(mut c) = current.lock() {
                        c.clone_from(&input);
                    }
                    let allocated = run_one(&input, &artifacts, &mut stats);
                    peak.fetch_max(allocated as u64, Ordering::Relaxed);
                    progress.store(n + 1, Ordering::Relaxed);
                    let d = done.fetch_add(1, Ordering::Relaxed) + 1;
                    if d.is_multiple_of(1_000_000) {
                        println!("  {d} / {total_inputs} inputs, {:.0} s", start.elapsed().as_secs_f64());
                    }
                }
                progress.store(u64::MAX, Ordering::Relaxed);
                stats
            })
        })
        .collect();
    for h in handles {
        total.merge(h.join().expect("a fuzzing thread"));
    }
    let secs = start.elapsed().as_secs_f64();
    let fuzzed = total.inputs - seeds.len() as u64;
    println!(
        "{fuzzed} inputs in {secs:.0} s ({:.0}/s): no panic, no hang, no torn reply; allocation peak per input at most {} KiB (cap: 1 MiB + 16 x input)",
        fuzzed as f64 / secs,
        peak.load(Ordering::Relaxed) / 1024
    );
    println!("  logged in: {:.1}% of inputs", 100.0 * total.logged_in as f64 / total.inputs as f64);
    let mut codes: Vec<(u16, u64)> = total.errors.into_iter().collect();
    codes.sort_by_key(|c| std::cmp::Reverse(c.1));
    let shown: Vec<String> = codes.iter().map(|(c, n)| format!("{c}: {n}")).collect();
    println!("  ERR packets by code: {}", shown.join(", "));
}
