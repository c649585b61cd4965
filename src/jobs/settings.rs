//! A job's options: Flink configuration for its statement, and Weir's own `weir.*` keys, with
//! their defaults. Flink's own defaults that managed jobs change are here too.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use super::JobError;

/// Weir's keys: (key, default, what it is).
pub const KEYS: &[(&str, &str, &str)] = &[
    ("weir.cluster", "", "the cluster the job runs on (default: the creating session's)"),
    ("weir.restart.attempts", "3", "resubmissions Weir makes within weir.restart.window (0: never)"),
    ("weir.restart.window", "10 min", "the window weir.restart.attempts counts in"),
    ("weir.savepoint.interval", "off", "a savepoint this often while the job runs"),
    ("weir.savepoint.retain", "3", "savepoints kept per job (older ones are disposed of)"),
];

/// Flink settings Weir gives a managed job unless its options say otherwise: a bounded restart
/// strategy (with checkpointing on, Flink's default restarts forever and a failing job never
/// ends), and checkpoints kept on cancellation so a lost job can resume.
const FLINK_DEFAULTS: &[(&str, &str)] = &[
    ("restart-strategy.type", "fixed-delay"),
    ("restart-strategy.fixed-delay.attempts", "3"),
    ("restart-strategy.fixed-delay.delay", "10 s"),
    ("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION"),
];

/// Weir's settings of one job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub cluster: Option<String>,
    pub restart_attempts: u32,
    pub restart_window: Duration,
    pub savepoint_interval: Option<Duration>,
    pub savepoint_retain: u32,
}

impl Settings {
    /// The defaults of every key.
    pub fn defaults() -> Self {
        Self { cluster: None, restart_attempts: 3, restart_window: Duration::from_secs(600), savepoint_interval: None, savepoint_retain: 3 }
    }

    /// Reads `weir.*` keys (unknown ones and bad values are errors naming them).
    pub fn parse(job: &str, map: &BTreeMap<String, String>) -> Result<Self, JobError> {
        let bad = |message: String| JobError::Option { job: job.to_string(), message };
        for key in map.keys() {
            if !KEYS.iter().any(|(k, _, _)| k == key) {
                let known: Vec<&str> = KEYS.iter().map(|(k, _, _)| *k).collect();
                return Err(bad(format!("unknown option '{key}' (Weir's job options are {})", known.join(", "))));
            }
        }
        let get = |key: &str| map.get(key).map(String::as_str).or_else(|| KEYS.iter().find(|(k, _, _)| *k == key).map(|(_, d, _)| *d)).unwrap_or("");
        let count = |key: &str| get(key).trim().parse::<u32>().map_err(|_| bad(format!("'{key}' = '{}' is not a whole number", get(key))));
        let duration = |key: &str| parse_duration(get(key)).ok_or_else(|| bad(format!("'{key}' = '{}' is not a duration (e.g. '30 s', '10 min', '1 h')", get(key))));
        let interval = match get("weir.savepoint.interval").trim().to_ascii_lowercase().as_str() {
            "off" | "" | "0" => None,
            _ => Some(duration("weir.savepoint.interval")?),
        };
        Ok(Self {
            cluster: map.get("weir.cluster").filter(|c| !c.is_empty()).cloned(),
            restart_attempts: count("weir.restart.attempts")?,
            restart_window: duration("weir.restart.window")?,
            savepoint_interval: interval,
            savepoint_retain: count("weir.savepoint.retain")?.max(1),
        })
    }
}

/// Splits a statement's options into Weir's (`weir.*`) and Flink's.
pub fn split(options: &[(String, String)]) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
    let (weir, flink): (Vec<_>, Vec<_>) = options.iter().cloned().partition(|(k, _)| k.starts_with("weir."));
    (weir.into_iter().collect(), flink.into_iter().collect())
}

/// The Flink configuration a job's statement is submitted with: Weir's defaults, the version's
/// options over them, then what Weir must set (the job's name, its checkpoint and savepoint
/// directories unless given, the state to restore).
pub fn flink_options(
    options: &BTreeMap<String, String>,
    pipeline_name: &str,
    checkpoints: &Path,
    savepoints: &Path,
    restore: Option<&str>,
) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = FLINK_DEFAULTS.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    out.insert("execution.checkpointing.dir".into(), format!("file://{}", checkpoints.display()));
    out.insert("execution.checkpointing.savepoint-dir".into(), format!("file://{}", savepoints.display()));
    out.extend(options.iter().map(|(k, v)| (k.clone(), v.clone())));
    out.insert("pipeline.name".into(), pipeline_name.to_string());
    if let Some(path) = restore {
        out.insert("execution.state-recovery.path".into(), path.to_string());
    }
    out
}

/// `30 s`, `10 min`, `1 h`, `500 ms`, `2 d`, a bare number of seconds.
pub fn parse_duration(text: &str) -> Option<Duration> {
    let t = text.trim().to_ascii_lowercase();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let n: u64 = number.parse().ok()?;
    let secs = match unit.trim() {
        "" | "s" | "sec" | "secs" | "second" | "seconds" => n,
        "ms" | "milli" | "millis" | "milliseconds" => return Some(Duration::from_millis(n)),
        "m" | "min" | "mins" | "minute" | "minutes" => n.checked_mul(60)?,
        "h" | "hour" | "hours" => n.checked_mul(3600)?,
        "d" | "day" | "days" => n.checked_mul(86_400)?,
        _ => return None,
    };
    Some(Duration::from_secs(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn defaults_and_overrides() {
        let s = Settings::parse("j", &map(&[])).expect("defaults");
        assert_eq!(s, Settings::defaults());
        assert_eq!((s.restart_attempts, s.restart_window, s.savepoint_interval, s.savepoint_retain), (3, Duration::from_secs(600), None, 3));
        let s = Settings::parse("j", &map(&[("weir.restart.attempts", "0"), ("weir.savepoint.interval", "30 s")])).expect("set");
        assert_eq!((s.restart_attempts, s.savepoint_interval), (0, Some(Duration::from_secs(30))));
    }

    #[test]
    fn bad_options_are_named() {
        let e = Settings::parse("j", &map(&[("weir.restart.atempts", "1")])).unwrap_err().to_string();
        assert!(e.contains("unknown option 'weir.restart.atempts'"), "{e}");
        let e = Settings::parse("j", &map(&[("weir.restart.window", "soon")])).unwrap_err().to_string();
        assert!(e.contains("'weir.restart.window' = 'soon' is not a duration"), "{e}");
    }

    #[test]
    fn user_options_win_over_weirs_defaults_but_not_the_job_name() {
        let o = flink_options(&map(&[("restart-strategy.type", "none"), ("pipeline.name", "mine")]), "weir-job:j:v1", Path::new("/c"), Path::new("/s"), Some("file:///c/x/chk-3"));
        assert_eq!(o.get("restart-strategy.type").map(String::as_str), Some("none"));
        assert_eq!(o.get("pipeline.name").map(String::as_str), Some("weir-job:j:v1"));
        assert_eq!(o.get("execution.state-recovery.path").map(String::as_str), Some("file:///c/x/chk-3"));
        assert_eq!(o.get("execution.checkpointing.dir").map(String::as_str), Some("file:///c"));
    }
}
