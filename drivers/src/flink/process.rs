//! Flink's processes as operating-system processes: starting them detached, recognising them
//! again through pidfiles, signalling them, and running the short-lived tools (pip, mvn, tar,
//! `BashJavaUtils`) that provisioning and start-up need.

use std::ffi::OsStr;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Output, Stdio};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::process::{Child, Command};
use tokio::time::{Instant, sleep};

use super::error::FlinkError;
use super::role::FlinkProcess;

/// What a pidfile holds: enough to recognise the process again after a Weir restart and to tell
/// it from an unrelated process that got the same pid later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PidRecord {
    pub pid: u32,
    /// Field 22 of `/proc/<pid>/stat` (clock ticks after boot): with the pid, unique per boot.
    pub start_time: u64,
    pub main_class: String,
    /// The `taskmanager.resource-id` a TaskManager was started with, to find it in the
    /// JobManager's list of registered TaskManagers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_id: Option<String>,
}

impl PidRecord {
    /// Reads a pidfile; `None` when there is none or it cannot be understood (then it is stale).
    pub fn read(path: &Path) -> Option<Self> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
            Err(e) => {
                tracing::warn!("ignoring unreadable pidfile {}: {e}", path.display());
                return None;
            }
        };
        match serde_json::from_str(&text) {
            Ok(record) => Some(record),
            Err(e) => {
                tracing::warn!("ignoring malformed pidfile {}: {e}", path.display());
                None
            }
        }
    }

    /// Writes the pidfile atomically (a temporary file renamed over it).
    pub fn write(&self, path: &Path) -> Result<(), FlinkError> {
        let context = || format!("writing pidfile {}", path.display());
        let json = serde_json::to_string(self).map_err(|e| FlinkError::Io {
            context: context(),
            source: e.into(),
        })?;
        let tmp = path.with_extension("pid.tmp");
        std::fs::write(&tmp, json + "\n").map_err(FlinkError::io(context()))?;
        std::fs::rename(&tmp, path).map_err(FlinkError::io(context()))
    }

    /// Whether the recorded process still runs: same pid and start time, not a zombie, and its
    /// command line names the expected main class.
    pub fn is_alive(&self) -> bool {
        match proc_stat(self.pid) {
            Some((state, start_time)) if start_time == self.start_time && state != 'Z' => {}
            _ => return false,
        }
        std::fs::read(format!("/proc/{}/cmdline", self.pid))
            .map(|cmdline| {
                cmdline
                    .split(|&b| b == 0)
                    .any(|arg| arg == self.main_class.as_bytes())
            })
            .unwrap_or(false)
    }
}

/// State and start time (fields 3 and 22) of `/proc/<pid>/stat`.
fn proc_stat(pid: u32) -> Option<(char, u64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) is in parentheses and may contain spaces or parentheses.
    let rest = &stat[stat.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace();
    let state = fields.next()?.chars().next()?;
    // `fields` now stands at field 4; the start time is field 22.
    let start_time = fields.nth(22 - 4)?.parse().ok()?;
    Some((state, start_time))
}

/// The `java` to run: `$JAVA_HOME/bin/java` when `JAVA_HOME` is set, else `java` from `PATH`.
pub(crate) fn java_binary() -> PathBuf {
    std::env::var_os("JAVA_HOME")
        .map(|home| PathBuf::from(home).join("bin").join("java"))
        .filter(|java| java.is_file())
        .unwrap_or_else(|| PathBuf::from("java"))
}

/// A long-running JVM to start detached.
pub(crate) struct Launch<'a> {
    pub process: FlinkProcess,
    pub args: Vec<String>,
    pub conf_dir: &'a Path,
    /// Where stdout and stderr go (appended).
    pub out_file: PathBuf,
    pub resource_id: Option<String>,
}

impl Launch<'_> {
    /// Starts the JVM in a session of its own, so that neither a terminal's signals nor Weir's
    /// exit reach it, and returns it with the record for its pidfile.
    pub fn spawn(self) -> Result<(Child, PidRecord), FlinkError> {
        let out_context = || format!("opening {}", self.out_file.display());
        let mut out = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.out_file)
            .map_err(FlinkError::io(out_context()))?;
        writeln!(
            out,
            "==== Weir starting {} at {} ====",
            self.process,
            chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now()).to_rfc3339()
        )
        .map_err(FlinkError::io(out_context()))?;
        let err = out.try_clone().map_err(FlinkError::io(out_context()))?;

        let java = java_binary();
        let mut command = Command::new(&java);
        command
            .args(&self.args)
            .env("FLINK_CONF_DIR", self.conf_dir)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err);
        // SAFETY: the closure runs in the forked child before exec and only calls setsid(2),
        // which is async-signal-safe.
        unsafe {
            command.pre_exec(|| {
                if libc::setsid() == -1 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = command.spawn().map_err(|source| FlinkError::Spawn {
            program: java.display().to_string(),
            source,
        })?;
        let pid = child.id().ok_or_else(|| FlinkError::Io {
            context: format!("starting {}", self.process),
            source: std::io::Error::other("the child has no pid"),
        })?;
        // An unreaped child keeps its /proc entry even if it already exited.
        let (_, start_time) = proc_stat(pid).ok_or_else(|| FlinkError::Io {
            context: format!("reading /proc/{pid}/stat of {}", self.process),
            source: std::io::Error::from(std::io::ErrorKind::NotFound),
        })?;
        let record = PidRecord {
            pid,
            start_time,
            main_class: self.process.main_class().to_owned(),
            resource_id: self.resource_id,
        };
        Ok((child, record))
    }
}

/// Ends a process: SIGTERM, then SIGKILL when it is still alive after `grace`. `child` is its
/// handle when this Weir started it, to reap it.
pub(crate) async fn terminate(
    process: FlinkProcess,
    record: &PidRecord,
    child: Option<&mut Child>,
    grace: Duration,
) {
    if record.is_alive() {
        tracing::info!("stopping {process} (pid {})", record.pid);
        signal(record, libc::SIGTERM);
        if !wait_dead(record, grace).await {
            tracing::warn!(
                "{process} (pid {}) still alive after {grace:?}; sending SIGKILL",
                record.pid
            );
            signal(record, libc::SIGKILL);
            if !wait_dead(record, Duration::from_secs(10)).await {
                tracing::error!("{process} (pid {}) survived SIGKILL", record.pid);
            }
        }
    }
    if let Some(child) = child {
        // Reap it; after SIGKILL this returns at once.
        if let Err(e) = child.wait().await {
            tracing::warn!("reaping {process} (pid {}): {e}", record.pid);
        }
    }
}

fn signal(record: &PidRecord, signal: libc::c_int) {
    // Checked right before signalling, so a reused pid is never hit.
    if !record.is_alive() {
        return;
    }
    let Ok(pid) = libc::pid_t::try_from(record.pid) else {
        return;
    };
    // SAFETY: kill(2) has no memory-safety preconditions.
    if unsafe { libc::kill(pid, signal) } == -1 {
        let e = std::io::Error::last_os_error();
        tracing::warn!("kill({pid}, {signal}): {e}");
    }
}

async fn wait_dead(record: &PidRecord, timeout: Duration) -> bool {
    let deadline = Instant::now() + timeout;
    while record.is_alive() {
        if Instant::now() >= deadline {
            return false;
        }
        sleep(Duration::from_millis(100)).await;
    }
    true
}

/// Describes an exit status the way a person reads it.
pub(crate) fn describe_exit(status: ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exit code {code}"),
        (None, Some(signal)) => format!("killed by signal {signal}"),
        (None, None) => status.to_string(),
    }
}

/// Runs a short-lived tool to completion, capturing its output; a non-zero exit is an error
/// carrying the last lines it printed. The tool is killed if the future is dropped.
pub(crate) async fn run_tool<I, S>(
    program: impl AsRef<OsStr>,
    args: I,
    current_dir: Option<&Path>,
) -> Result<Output, FlinkError>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let program = program.as_ref();
    let mut command = Command::new(program);
    command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    if let Some(dir) = current_dir {
        command.current_dir(dir);
    }
    let output = command.output().await.map_err(|source| FlinkError::Spawn {
        program: program.to_string_lossy().into_owned(),
        source,
    })?;
    if output.status.success() {
        return Ok(output);
    }
    let mut printed = String::from_utf8_lossy(&output.stdout).into_owned();
    printed.push_str(&String::from_utf8_lossy(&output.stderr));
    Err(FlinkError::CommandFailed {
        program: program.to_string_lossy().into_owned(),
        status: describe_exit(output.status),
        output: last_lines(&printed, 20),
    })
}

/// The last `n` lines of `text`.
pub(crate) fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// The last `n` lines of a log file (reading at most its last 64 KiB); empty when it does not
/// exist.
pub(crate) fn log_tail(path: &Path, n: usize) -> String {
    const WINDOW: u64 = 64 * 1024;
    let Ok(mut file) = std::fs::File::open(path) else {
        return String::new();
    };
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if file
        .seek(SeekFrom::Start(len.saturating_sub(WINDOW)))
        .is_err()
    {
        return String::new();
    }
    let mut bytes = Vec::new();
    if file.read_to_end(&mut bytes).is_err() {
        return String::new();
    }
    last_lines(&String::from_utf8_lossy(&bytes), n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_process_is_recognised_and_pid_reuse_is_not() {
        let pid = std::process::id();
        let Some((_, start_time)) = proc_stat(pid) else {
            panic!("no /proc/{pid}/stat");
        };
        let exe = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        let arg0 = String::from_utf8_lossy(exe.split(|&b| b == 0).next().unwrap_or_default());
        let record = PidRecord {
            pid,
            start_time,
            main_class: arg0.into_owned(),
            resource_id: None,
        };
        assert!(record.is_alive());
        let reused = PidRecord {
            start_time: start_time + 1,
            ..record.clone()
        };
        assert!(!reused.is_alive());
        let other = PidRecord {
            main_class: "org.example.Other".to_owned(),
            ..record
        };
        assert!(!other.is_alive());
    }

    #[test]
    fn last_lines_keeps_the_tail() {
        assert_eq!(last_lines("a\nb\nc\n", 2), "b\nc");
        assert_eq!(last_lines("a", 5), "a");
    }
}
