//! Which state a job resumes from: the newest *completed* checkpoint or savepoint of the *same
//! job version* — never an older one, never another version's. Completed means Flink finished
//! writing it: a checkpoint directory with its `_metadata`, a savepoint the registry recorded as
//! completed and not disposed of, whose `_metadata` is still there.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use super::registry::{RunRecord, SavepointRecord};

/// A state a job could resume from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// As Flink takes it in `execution.state-recovery.path`.
    pub path: String,
    /// When it completed (ms since the epoch).
    pub completed_at: i64,
    /// `checkpoint` or `savepoint`.
    pub kind: &'static str,
}

/// The newest completed state of `version` among the recorded savepoints and the checkpoints of
/// that version's runs found under `checkpoint_dir`.
pub fn newest(version: u32, savepoints: &[SavepointRecord], runs: &[RunRecord], checkpoint_dir: &Path) -> Option<Candidate> {
    let mut candidates: Vec<Candidate> = savepoints
        .iter()
        .filter(|s| s.version == version && s.disposed_at.is_none() && is_complete(&s.path))
        .filter_map(|s| s.completed_at.map(|at| Candidate { path: s.path.clone(), completed_at: at, kind: if s.kind == "checkpoint" { "checkpoint" } else { "savepoint" } }))
        .collect();
    for run in runs.iter().filter(|r| r.version == version) {
        candidates.extend(checkpoints_of(&checkpoint_dir.join(&run.flink_job_id)));
    }
    choose(candidates)
}

/// The newest of the candidates (a tie goes to the savepoint).
pub fn choose(candidates: Vec<Candidate>) -> Option<Candidate> {
    candidates.into_iter().max_by_key(|c| (c.completed_at, c.kind == "savepoint"))
}

/// The completed checkpoints in one Flink job's checkpoint directory (`chk-N/_metadata`).
fn checkpoints_of(dir: &Path) -> Vec<Candidate> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("chk-"))
        .filter_map(|e| {
            let metadata = e.path().join("_metadata");
            let modified = std::fs::metadata(&metadata).ok()?.modified().ok()?;
            let at = modified.duration_since(UNIX_EPOCH).ok()?.as_millis();
            Some(Candidate { path: format!("file://{}", e.path().display()), completed_at: i64::try_from(at).ok()?, kind: "checkpoint" })
        })
        .collect()
}

/// The local directory a `file:` URL or a plain path names.
pub fn local_path(path: &str) -> PathBuf {
    let p = path.strip_prefix("file://").or_else(|| path.strip_prefix("file:")).unwrap_or(path);
    PathBuf::from(p)
}

/// Whether a savepoint or checkpoint is complete where it is: its `_metadata` file exists (or
/// the path is the metadata file itself).
pub fn is_complete(path: &str) -> bool {
    let p = local_path(path);
    p.join("_metadata").is_file() || (p.is_file() && p.file_name().is_some_and(|n| n == "_metadata"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sp(id: i64, version: u32, path: &str, completed: Option<i64>, disposed: Option<i64>) -> SavepointRecord {
        SavepointRecord {
            id,
            job: "j".into(),
            version,
            path: path.into(),
            kind: "savepoint".into(),
            trigger: "manual".into(),
            completed_at: completed,
            disposed_at: disposed,
            created_at: 0,
        }
    }

    fn run(version: u32, jid: &str) -> RunRecord {
        RunRecord {
            job: "j".into(),
            run: 1,
            version,
            cluster: "c".into(),
            flink_job_id: jid.into(),
            restored_from: None,
            started_at: 0,
            ended_at: None,
            end_state: None,
            root_cause: None,
            web_ui: String::new(),
        }
    }

    fn dir_with_metadata(root: &Path, rel: &str) -> PathBuf {
        let d = root.join(rel);
        std::fs::create_dir_all(&d).expect("mkdir");
        std::fs::write(d.join("_metadata"), b"x").expect("write");
        d
    }

    #[test]
    fn the_newest_completed_state_of_the_same_version_wins() {
        let root = std::env::temp_dir().join(format!("weir-restore-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let old = dir_with_metadata(&root, "sp/savepoint-old");
        let other_version = dir_with_metadata(&root, "sp/savepoint-v2");
        // An incomplete savepoint (no _metadata) and a disposed one, both newer.
        std::fs::create_dir_all(root.join("sp/savepoint-incomplete")).expect("mkdir");
        let disposed = dir_with_metadata(&root, "sp/savepoint-disposed");
        let savepoints = vec![
            sp(1, 1, &format!("file://{}", old.display()), Some(1_000), None),
            sp(2, 2, &format!("file://{}", other_version.display()), Some(9_000), None),
            sp(3, 1, &format!("file://{}", root.join("sp/savepoint-incomplete").display()), Some(8_000), None),
            sp(4, 1, &format!("file://{}", disposed.display()), Some(7_000), Some(7_500)),
            sp(5, 1, "file:///nowhere/savepoint-recorded-incomplete", None, None),
        ];
        let got = newest(1, &savepoints, &[], &root.join("chk")).expect("a candidate");
        assert_eq!(got.path, format!("file://{}", old.display()));
        // A completed checkpoint of a run of version 1 is newer than that savepoint (its file
        // was written now); one of version 2's run is ignored.
        dir_with_metadata(&root, "chk/aaaa/chk-7");
        std::fs::create_dir_all(root.join("chk/aaaa/chk-8")).expect("in-progress checkpoint");
        dir_with_metadata(&root, "chk/bbbb/chk-9");
        let got = newest(1, &savepoints, &[run(1, "aaaa"), run(2, "bbbb")], &root.join("chk")).expect("a candidate");
        assert_eq!((got.kind, got.path.ends_with("aaaa/chk-7")), ("checkpoint", true), "{got:?}");
        assert_eq!(newest(3, &savepoints, &[run(1, "aaaa")], &root.join("chk")), None);
        let _ = std::fs::remove_dir_all(&root);
    }
}
