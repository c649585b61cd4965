//! Who listens on a local cluster's ports. Before a process starts, each port it will listen on
//! must be free; when one is not, [`PortConflict`] says which port, by which Flink option, and
//! what `/proc` tells of the process holding it ([`PortHolder`]: its pid and command, and for a
//! Flink process started by a Weir, that Weir's cluster and data dir). A running cluster is only
//! Weir's own while the processes listening on its ports are the ones it supervises
//! ([`LocalCluster::check_owned`](super::LocalCluster::check_owned)).

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

use super::role::FlinkProcess;

/// A port a process of a local cluster listens on, with the Flink option that sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortUse {
    /// The port (on 127.0.0.1).
    pub port: u16,
    /// The Flink option that sets it, e.g. `rest.port`.
    pub key: &'static str,
    /// The process that listens on it.
    pub process: FlinkProcess,
}

/// A port of a cluster that another process holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortConflict {
    /// The port.
    pub port: u16,
    /// The Flink option that sets it, e.g. `rest.port`.
    pub key: &'static str,
    /// The process holding it, when `/proc` tells (a process of another user does not).
    pub holder: Option<PortHolder>,
}

impl fmt::Display for PortConflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "port {} ({}) is in use by another process",
            self.port, self.key
        )?;
        match &self.holder {
            Some(holder) => write!(f, ": {holder}"),
            None => Ok(()),
        }
    }
}

/// Says which ports are taken and by whom, one clause per holder: `ports 8081 (rest.port) and
/// 6123 (jobmanager.rpc.port) are in use by another process: pid 42 (java), …; port 8083 (…) is
/// in use by another process: …`.
pub fn describe_conflicts(conflicts: &[PortConflict]) -> String {
    let mut groups: Vec<(&Option<PortHolder>, Vec<&PortConflict>)> = Vec::new();
    for conflict in conflicts {
        match groups
            .iter_mut()
            .find(|(holder, _)| **holder == conflict.holder)
        {
            Some((_, members)) => members.push(conflict),
            None => groups.push((&conflict.holder, vec![conflict])),
        }
    }
    groups
        .into_iter()
        .map(|(holder, members)| {
            let ports: Vec<String> = members
                .iter()
                .map(|c| format!("{} ({})", c.port, c.key))
                .collect();
            let mut text = match ports.split_last() {
                Some((last, [])) => format!("port {last} is"),
                Some((last, rest)) => format!("ports {} and {last} are", rest.join(", ")),
                None => String::new(),
            };
            text.push_str(" in use by another process");
            if let Some(holder) = holder {
                text.push_str(&format!(": {holder}"));
            }
            text
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The process listening on a port, as far as `/proc` tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortHolder {
    /// Its pid.
    pub pid: u32,
    /// Its command name (`/proc/<pid>/comm`), e.g. `java`.
    pub command: String,
    /// The Flink process it is, when its command line names a Flink main class.
    pub flink: Option<FlinkProcess>,
    /// The directory of the Flink cluster it belongs to, from its command line's
    /// `-Dlog4j.configurationFile=<dir>/conf/…` (as Weir starts its processes).
    pub run_dir: Option<PathBuf>,
}

impl PortHolder {
    /// The cluster name and Weir data dir of a run directory laid out by Weir:
    /// `<data_dir>/flink/<name>`.
    pub fn weir_cluster(&self) -> Option<(String, &Path)> {
        let run_dir = self.run_dir.as_deref()?;
        let name = run_dir.file_name()?.to_str()?.to_owned();
        let flink_dir = run_dir.parent()?;
        if flink_dir.file_name()? != "flink" {
            return None;
        }
        Some((name, flink_dir.parent()?))
    }
}

impl fmt::Display for PortHolder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "pid {} ({})", self.pid, self.command)?;
        let Some(process) = self.flink else {
            return Ok(());
        };
        match (self.weir_cluster(), &self.run_dir) {
            (Some((name, data_dir)), _) => write!(
                f,
                ", the {process} of Flink cluster '{name}' of the Weir with data dir {}",
                data_dir.display()
            ),
            (None, Some(run_dir)) => {
                write!(f, ", a Flink {process} running in {}", run_dir.display())
            }
            (None, None) => write!(f, ", a Flink {process}"),
        }
    }
}

/// Whether nothing holds `port` on 127.0.0.1 (a listener on it could be bound right now).
pub(crate) fn is_free(port: u16) -> bool {
    match std::net::TcpListener::bind(("127.0.0.1", port)) {
        Ok(_) => true,
        Err(e) => {
            tracing::debug!("binding 127.0.0.1:{port}: {e}");
            false
        }
    }
}

/// The conflict for a port that is taken, with its holder when it can be found.
pub(crate) fn conflict(port_use: &PortUse) -> PortConflict {
    PortConflict {
        port: port_use.port,
        key: port_use.key,
        holder: holder_of(port_use.port),
    }
}

/// The inodes of the TCP sockets listening on `port`, on any address, IPv4 or IPv6 (a JVM
/// listens on an IPv6 socket even for 127.0.0.1).
pub(crate) fn listening_inodes(port: u16) -> BTreeSet<u64> {
    listening_inodes_on(&[port]).remove(&port).unwrap_or_default()
}

/// [`listening_inodes`] for several ports: asked of the kernel's socket diagnostics, which list
/// listeners alone; where those cannot be asked, read from `/proc/net/tcp` and `tcp6` once (each
/// read walks every TCP socket of the machine).
pub(crate) fn listening_inodes_on(ports: &[u16]) -> std::collections::BTreeMap<u16, BTreeSet<u64>> {
    match super::sockdiag::listening_inodes_on(ports) {
        Ok(found) => found,
        Err(e) => {
            tracing::debug!("socket diagnostics unavailable ({e}); reading /proc/net/tcp");
            listening_inodes_in_proc(ports)
        }
    }
}

/// [`listening_inodes_on`] from the `/proc/net` tables.
fn listening_inodes_in_proc(ports: &[u16]) -> std::collections::BTreeMap<u16, BTreeSet<u64>> {
    let tables: Vec<String> = ["/proc/net/tcp", "/proc/net/tcp6"]
        .iter()
        .filter_map(|table| std::fs::read_to_string(table).ok())
        .collect();
    ports
        .iter()
        .map(|&port| (port, tables.iter().flat_map(|text| parse_listeners(text, port)).collect()))
        .collect()
}

/// The listening sockets on `port` in a `/proc/net/tcp` table: `sl local_address rem_address st
/// … inode`, the local address as `HEXADDR:HEXPORT`, state `0A` for LISTEN.
fn parse_listeners(table: &str, port: u16) -> Vec<u64> {
    table
        .lines()
        .skip(1)
        .filter_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let local_port = fields.get(1)?.rsplit_once(':')?.1;
            let listening = *fields.get(3)? == "0A";
            let matches = u16::from_str_radix(local_port, 16).ok()? == port;
            (listening && matches).then(|| fields.get(9)?.parse().ok())?
        })
        .collect()
}

/// The inodes of the sockets a process has open (`/proc/<pid>/fd/* -> socket:[inode]`); empty
/// when its fds cannot be read.
pub(crate) fn socket_inodes_of(pid: u32) -> BTreeSet<u64> {
    let Ok(entries) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return BTreeSet::new();
    };
    entries
        .filter_map(|entry| std::fs::read_link(entry.ok()?.path()).ok())
        .filter_map(|target| {
            let target = target.to_str()?;
            target
                .strip_prefix("socket:[")?
                .strip_suffix(']')?
                .parse()
                .ok()
        })
        .collect()
}

/// The process listening on `port`, when one is and its fds can be read.
pub(crate) fn holder_of(port: u16) -> Option<PortHolder> {
    let listeners = listening_inodes(port);
    if listeners.is_empty() {
        return None;
    }
    let pid = std::fs::read_dir("/proc")
        .ok()?
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .find(|&pid| !socket_inodes_of(pid).is_disjoint(&listeners))?;
    let command = std::fs::read_to_string(format!("/proc/{pid}/comm"))
        .map(|c| c.trim().to_owned())
        .unwrap_or_default();
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
    let args: Vec<String> = cmdline
        .split(|&b| b == 0)
        .map(|arg| String::from_utf8_lossy(arg).into_owned())
        .collect();
    let flink = FlinkProcess::ALL
        .into_iter()
        .find(|process| args.iter().any(|arg| arg == process.main_class()));
    let run_dir = flink.and_then(|_| run_dir_of(&args));
    Some(PortHolder {
        pid,
        command,
        flink,
        run_dir,
    })
}

/// The cluster directory of a Flink process Weir started: the parent of the `conf/` directory of
/// its `-Dlog4j.configurationFile=`.
fn run_dir_of(args: &[String]) -> Option<PathBuf> {
    let file = args
        .iter()
        .find_map(|arg| arg.strip_prefix("-Dlog4j.configurationFile="))?;
    let conf = Path::new(file).parent()?;
    (conf.file_name()? == "conf").then(|| conf.parent().map(Path::to_path_buf))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listeners_are_read_from_the_tcp_tables() {
        let table = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n   \
             0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0 100 0 0 10 0\n   \
             1: 0100007F:1F90 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 4343 1 0 100 0 0 10 0\n   \
             2: 0100007F:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4444 1 0 100 0 0 10 0\n";
        assert_eq!(parse_listeners(table, 8080), vec![4242]);
        assert_eq!(parse_listeners(table, 8081), vec![4444]);
        assert!(parse_listeners(table, 8082).is_empty());
    }

    #[test]
    fn the_kernel_and_the_proc_tables_name_the_same_listeners() -> Result<(), std::io::Error> {
        let v4 = std::net::TcpListener::bind("127.0.0.1:0")?;
        let v6 = std::net::TcpListener::bind("[::1]:0")?;
        let ports = [v4.local_addr()?.port(), v6.local_addr()?.port()];
        let asked = super::super::sockdiag::listening_inodes_on(&ports)?;
        assert_eq!(asked, listening_inodes_in_proc(&ports));
        assert!(asked.values().all(|inodes| inodes.len() == 1));
        Ok(())
    }

    #[test]
    fn a_held_port_names_its_holder() -> Result<(), std::io::Error> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        assert!(!is_free(port));
        let holder = holder_of(port);
        assert_eq!(holder.as_ref().map(|h| h.pid), Some(std::process::id()));
        let conflict = conflict(&PortUse {
            port,
            key: "rest.port",
            process: FlinkProcess::JobManager,
        });
        let text = conflict.to_string();
        assert!(
            text.starts_with(&format!(
                "port {port} (rest.port) is in use by another process: pid {}",
                std::process::id()
            )),
            "{text}"
        );
        drop(listener);
        assert!(is_free(port));
        Ok(())
    }

    #[test]
    fn conflicts_are_told_per_holder() {
        let holder = |pid| {
            Some(PortHolder {
                pid,
                command: "java".to_owned(),
                flink: None,
                run_dir: None,
            })
        };
        let conflict = |port, key, holder| PortConflict { port, key, holder };
        let text = describe_conflicts(&[
            conflict(8081, "rest.port", holder(1)),
            conflict(8083, "sql-gateway.endpoint.rest.port", holder(2)),
            conflict(6123, "jobmanager.rpc.port", holder(1)),
            conflict(6124, "blob.server.port", None),
        ]);
        assert_eq!(
            text,
            "ports 8081 (rest.port) and 6123 (jobmanager.rpc.port) are in use by another process: \
             pid 1 (java); port 8083 (sql-gateway.endpoint.rest.port) is in use by another process: \
             pid 2 (java); port 6124 (blob.server.port) is in use by another process"
        );
    }

    #[test]
    fn a_weir_clusters_process_names_its_data_dir() {
        let args = [
            "java".to_owned(),
            "-Dlog4j.configurationFile=/srv/weir/flink/local/conf/log4j.properties".to_owned(),
            FlinkProcess::JobManager.main_class().to_owned(),
        ];
        let holder = PortHolder {
            pid: 7,
            command: "java".to_owned(),
            flink: Some(FlinkProcess::JobManager),
            run_dir: run_dir_of(&args),
        };
        assert_eq!(
            holder.to_string(),
            "pid 7 (java), the jobmanager of Flink cluster 'local' of the Weir with data dir /srv/weir"
        );
    }
}
