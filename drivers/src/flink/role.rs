//! The roles of the processes of a local Flink cluster: [`FlinkProcess`] names the JobManager,
//! the TaskManager or the SQL Gateway, with its file name and Java main class.

use std::fmt;

/// One of the three processes of a local Flink cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FlinkProcess {
    /// The JobManager (standalone session cluster entrypoint).
    JobManager,
    /// The TaskManager.
    TaskManager,
    /// The SQL Gateway.
    SqlGateway,
}

impl FlinkProcess {
    /// All processes, in start order.
    pub const ALL: [FlinkProcess; 3] = [Self::JobManager, Self::TaskManager, Self::SqlGateway];

    /// All processes, in stop order (the reverse of the start order).
    pub const STOP_ORDER: [FlinkProcess; 3] =
        [Self::SqlGateway, Self::TaskManager, Self::JobManager];

    /// The short name used for pidfiles and log files.
    pub fn name(self) -> &'static str {
        match self {
            Self::JobManager => "jobmanager",
            Self::TaskManager => "taskmanager",
            Self::SqlGateway => "sql-gateway",
        }
    }

    /// The Java main class.
    pub fn main_class(self) -> &'static str {
        match self {
            Self::JobManager => {
                "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint"
            }
            Self::TaskManager => "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
            Self::SqlGateway => "org.apache.flink.table.gateway.SqlGateway",
        }
    }
}

impl fmt::Display for FlinkProcess {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_order_reverses_start_order() {
        let mut reversed = FlinkProcess::ALL;
        reversed.reverse();
        assert_eq!(reversed, FlinkProcess::STOP_ORDER);
        assert_eq!(FlinkProcess::SqlGateway.to_string(), "sql-gateway");
    }
}
