//! Alerts:
//!
//! ```text
//! CREATE ALERT CHANNEL [IF NOT EXISTS] name TYPE (WEBHOOK | DINGTALK | WECOM | EMAIL) WITH (options)
//! CREATE ALERT RULE [IF NOT EXISTS] name ON event
//!   [FOR (JOBS LIKE 'pattern' | CLUSTER name | SCHEDULE name)]
//!   SEND TO channel [, channel ...] [TEMPLATE 'text'] [EVERY n unit]
//! event := JOB FAILED | JOB RECOVERED | JOB RESTARTS > n WITHIN n unit | CHECKPOINT AGE > n unit
//!        | DATASYNC LAG > n unit | CLUSTER DOWN | SCHEDULE FAILED | SCHEDULE FINISHED
//! unit  := SECOND[S] | MINUTE[S] | HOUR[S]
//! SHOW ALERT (CHANNELS | RULES) [LIKE 'pattern']
//! DROP ALERT (CHANNEL | RULE) [IF EXISTS] name
//! TEST ALERT CHANNEL name
//! ```

use serde::{Deserialize, Serialize};

use super::{Extended, Parser};
use crate::statement::SyntaxError;

/// Where a channel delivers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChannelType {
    Webhook,
    Dingtalk,
    Wecom,
    Email,
}

impl ChannelType {
    pub const ALL: [ChannelType; 4] = [ChannelType::Webhook, ChannelType::Dingtalk, ChannelType::Wecom, ChannelType::Email];

    pub fn as_str(self) -> &'static str {
        match self {
            ChannelType::Webhook => "WEBHOOK",
            ChannelType::Dingtalk => "DINGTALK",
            ChannelType::Wecom => "WECOM",
            ChannelType::Email => "EMAIL",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str().eq_ignore_ascii_case(s))
    }
}

/// What a rule watches for. Durations are in seconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AlertEvent {
    /// A managed job's Flink job failed or was lost (Weir then recovers it or gives up).
    JobFailed,
    /// Weir resubmitted a failed or lost job.
    JobRecovered,
    /// More than `count` restarts (Flink's and Weir's) within `within` seconds.
    JobRestarts { count: u32, within: u64 },
    /// A running job's newest completed checkpoint is older than this.
    CheckpointAge(u64),
    /// A datasync table's binlog reader is further behind than this.
    DatasyncLag(u64),
    /// A cluster's SQL Gateway does not answer.
    ClusterDown,
    /// A schedule's run ended FAILED.
    ScheduleFailed,
    /// A schedule's run ended (SUCCEEDED, FAILED or STOPPED), with a summary of its tasks.
    ScheduleFinished,
}

impl AlertEvent {
    /// As written in the rule (`JOB RESTARTS > 3 WITHIN 600 SECONDS`).
    pub fn text(&self) -> String {
        match self {
            AlertEvent::JobFailed => "JOB FAILED".into(),
            AlertEvent::JobRecovered => "JOB RECOVERED".into(),
            AlertEvent::JobRestarts { count, within } => format!("JOB RESTARTS > {count} WITHIN {within} SECONDS"),
            AlertEvent::CheckpointAge(s) => format!("CHECKPOINT AGE > {s} SECONDS"),
            AlertEvent::DatasyncLag(s) => format!("DATASYNC LAG > {s} SECONDS"),
            AlertEvent::ClusterDown => "CLUSTER DOWN".into(),
            AlertEvent::ScheduleFailed => "SCHEDULE FAILED".into(),
            AlertEvent::ScheduleFinished => "SCHEDULE FINISHED".into(),
        }
    }

    /// Whether it concerns clusters (a `FOR CLUSTER` scope) rather than jobs.
    pub fn about_clusters(&self) -> bool {
        matches!(self, AlertEvent::ClusterDown)
    }

    /// Whether it concerns schedules (a `FOR SCHEDULE` scope).
    pub fn about_schedules(&self) -> bool {
        matches!(self, AlertEvent::ScheduleFailed | AlertEvent::ScheduleFinished)
    }
}

/// Which subjects a rule covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AlertScope {
    All,
    /// Jobs (or datasyncs) whose names match a LIKE pattern.
    JobsLike(String),
    Cluster(String),
    Schedule(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlertStatement {
    CreateChannel { name: String, if_not_exists: bool, kind: ChannelType, options: Vec<(String, String)> },
    CreateRule { name: String, if_not_exists: bool, event: AlertEvent, scope: AlertScope, channels: Vec<String>, template: Option<String>, every: Option<u64> },
    ShowChannels { like: Option<String> },
    ShowRules { like: Option<String> },
    DropChannel { name: String, if_exists: bool },
    DropRule { name: String, if_exists: bool },
    TestChannel { name: String },
}

fn alert(s: AlertStatement) -> Result<Option<Extended>, SyntaxError> {
    Ok(Some(Extended::Alert(s)))
}

/// `n SECOND[S] | MINUTE[S] | HOUR[S]`, in seconds.
fn duration(p: &mut Parser<'_>, what: &str) -> Result<u64, SyntaxError> {
    let n = u64::from(p.number(what)?);
    const UNITS: &[(&str, u64)] = &[("SECONDS", 1), ("SECOND", 1), ("MINUTES", 60), ("MINUTE", 60), ("HOURS", 3600), ("HOUR", 3600)];
    for (unit, factor) in UNITS {
        if p.keywords(&[unit]) {
            return Ok(n * factor);
        }
    }
    Err(p.error("expected SECONDS, MINUTES or HOURS"))
}

/// After `CREATE ALERT`.
pub fn create(p: &mut Parser<'_>) -> Result<Option<Extended>, SyntaxError> {
    if p.keywords(&["CHANNEL"]) {
        let if_not_exists = p.keywords(&["IF", "NOT", "EXISTS"]);
        let name = p.ident("a channel name")?;
        p.expect(&["TYPE"])?;
        let word = p.ident("WEBHOOK, DINGTALK, WECOM or EMAIL")?;
        let Some(kind) = ChannelType::parse(&word) else {
            return Err(p.error_before("expected WEBHOOK, DINGTALK, WECOM or EMAIL"));
        };
        let options = if p.keywords(&["WITH"]) { super::jobs::options(p)? } else { Vec::new() };
        p.end("WITH (...) or the end of CREATE ALERT CHANNEL")?;
        return alert(AlertStatement::CreateChannel { name, if_not_exists, kind, options });
    }
    p.expect(&["RULE"])?;
    let if_not_exists = p.keywords(&["IF", "NOT", "EXISTS"]);
    let name = p.ident("a rule name")?;
    p.expect(&["ON"])?;
    let event = if p.keywords(&["JOB", "FAILED"]) {
        AlertEvent::JobFailed
    } else if p.keywords(&["JOB", "RECOVERED"]) {
        AlertEvent::JobRecovered
    } else if p.keywords(&["JOB", "RESTARTS"]) {
        p.punct('>', ">")?;
        let count = p.number("the number of restarts")?;
        p.expect(&["WITHIN"])?;
        AlertEvent::JobRestarts { count, within: duration(p, "the window")? }
    } else if p.keywords(&["CHECKPOINT", "AGE"]) {
        p.punct('>', ">")?;
        AlertEvent::CheckpointAge(duration(p, "the age")?)
    } else if p.keywords(&["DATASYNC", "LAG"]) {
        p.punct('>', ">")?;
        AlertEvent::DatasyncLag(duration(p, "the lag")?)
    } else if p.keywords(&["CLUSTER", "DOWN"]) {
        AlertEvent::ClusterDown
    } else if p.keywords(&["SCHEDULE", "FAILED"]) {
        AlertEvent::ScheduleFailed
    } else if p.keywords(&["SCHEDULE", "FINISHED"]) {
        AlertEvent::ScheduleFinished
    } else {
        return Err(p.error("expected an event: JOB FAILED, JOB RECOVERED, JOB RESTARTS > n WITHIN d, CHECKPOINT AGE > d, DATASYNC LAG > d, CLUSTER DOWN, SCHEDULE FAILED or SCHEDULE FINISHED"));
    };
    let scope = if p.keywords(&["FOR", "JOBS", "LIKE"]) {
        AlertScope::JobsLike(p.string("the job name pattern")?)
    } else if p.keywords(&["FOR", "CLUSTER"]) {
        AlertScope::Cluster(p.ident("a cluster name")?)
    } else if p.keywords(&["FOR", "SCHEDULE"]) {
        AlertScope::Schedule(p.ident("a schedule name")?)
    } else if p.keywords(&["FOR"]) {
        return Err(p.error("expected JOBS LIKE 'pattern', CLUSTER name or SCHEDULE name"));
    } else {
        AlertScope::All
    };
    p.expect(&["SEND", "TO"])?;
    let mut channels = vec![p.ident("a channel name")?];
    while p.punct(',', ",").is_ok() {
        channels.push(p.ident("a channel name")?);
    }
    let template = if p.keywords(&["TEMPLATE"]) { Some(p.string("the message template")?) } else { None };
    let every = if p.keywords(&["EVERY"]) { Some(duration(p, "the repeat interval")?) } else { None };
    p.end("TEMPLATE 'text', EVERY n unit or the end of CREATE ALERT RULE")?;
    alert(AlertStatement::CreateRule { name, if_not_exists, event, scope, channels, template, every })
}

/// After `SHOW ALERT`.
pub fn show(p: &mut Parser<'_>) -> Result<Option<Extended>, SyntaxError> {
    let channels = if p.keywords(&["CHANNELS"]) {
        true
    } else if p.keywords(&["RULES"]) {
        false
    } else {
        return Err(p.error("expected CHANNELS or RULES"));
    };
    let like = if p.keywords(&["LIKE"]) { Some(p.string("the LIKE pattern")?) } else { None };
    p.end("LIKE 'pattern' or the end of SHOW ALERT")?;
    alert(if channels { AlertStatement::ShowChannels { like } } else { AlertStatement::ShowRules { like } })
}

/// After `DROP ALERT`.
pub fn drop(p: &mut Parser<'_>) -> Result<Option<Extended>, SyntaxError> {
    let channel = if p.keywords(&["CHANNEL"]) {
        true
    } else if p.keywords(&["RULE"]) {
        false
    } else {
        return Err(p.error("expected CHANNEL or RULE"));
    };
    let if_exists = p.keywords(&["IF", "EXISTS"]);
    let name = p.ident("a name")?;
    p.end("the end of DROP ALERT")?;
    alert(if channel { AlertStatement::DropChannel { name, if_exists } } else { AlertStatement::DropRule { name, if_exists } })
}

/// After `TEST ALERT CHANNEL`.
pub fn test(p: &mut Parser<'_>) -> Result<Option<Extended>, SyntaxError> {
    let name = p.ident("a channel name")?;
    p.end("the end of TEST ALERT CHANNEL")?;
    alert(AlertStatement::TestChannel { name })
}

#[cfg(test)]
mod tests {
    use super::super::tests::parse_text;
    use super::*;

    fn of(sql: &str) -> AlertStatement {
        match parse_text(sql) {
            Ok(Some(Extended::Alert(a))) => a,
            other => panic!("{sql}: {other:?}"),
        }
    }

    #[test]
    fn channels_and_rules_read_every_clause() {
        assert_eq!(
            of("CREATE ALERT CHANNEL IF NOT EXISTS ops TYPE dingtalk WITH ('url' = 'http://x/robot/send?access_token=t', 'secret' = 's')"),
            AlertStatement::CreateChannel {
                name: "ops".into(),
                if_not_exists: true,
                kind: ChannelType::Dingtalk,
                options: vec![("url".into(), "http://x/robot/send?access_token=t".into()), ("secret".into(), "s".into())],
            }
        );
        assert_eq!(
            of("CREATE ALERT RULE flappy ON JOB RESTARTS > 3 WITHIN 10 MINUTES FOR JOBS LIKE 'orders%' SEND TO ops, mail TEMPLATE '{job} restarted' EVERY 1 HOUR"),
            AlertStatement::CreateRule {
                name: "flappy".into(),
                if_not_exists: false,
                event: AlertEvent::JobRestarts { count: 3, within: 600 },
                scope: AlertScope::JobsLike("orders%".into()),
                channels: vec!["ops".into(), "mail".into()],
                template: Some("{job} restarted".into()),
                every: Some(3600),
            }
        );
        assert!(matches!(of("create alert rule down on cluster down for cluster local send to ops"), AlertStatement::CreateRule { event: AlertEvent::ClusterDown, scope: AlertScope::Cluster(_), .. }));
        assert!(matches!(of("CREATE ALERT RULE c ON CHECKPOINT AGE > 90 SECONDS SEND TO ops"), AlertStatement::CreateRule { event: AlertEvent::CheckpointAge(90), .. }));
        assert!(matches!(
            of("CREATE ALERT RULE nightly ON SCHEDULE FINISHED FOR SCHEDULE etl SEND TO ops"),
            AlertStatement::CreateRule { event: AlertEvent::ScheduleFinished, scope: AlertScope::Schedule(_), .. }
        ));
        assert_eq!(of("SHOW ALERT RULES LIKE 'f%'"), AlertStatement::ShowRules { like: Some("f%".into()) });
        assert_eq!(of("DROP ALERT CHANNEL IF EXISTS ops"), AlertStatement::DropChannel { name: "ops".into(), if_exists: true });
        assert_eq!(of("TEST ALERT CHANNEL ops"), AlertStatement::TestChannel { name: "ops".into() });
    }

    #[test]
    fn a_malformed_alert_is_a_syntax_error_at_the_offending_word() {
        for (sql, near) in [
            ("CREATE ALERT CHANNEL c TYPE PAGER WITH ('url' = 'x')", "PAGER"),
            ("CREATE ALERT RULE r ON JOB EXPLODED SEND TO c", "JOB EXPLODED"),
            ("CREATE ALERT RULE r ON CHECKPOINT AGE > 5 DAYS SEND TO c", "DAYS"),
            ("CREATE ALERT RULE r ON JOB FAILED TO c", "TO c"),
            ("CREATE ALERT RULE r ON JOB FAILED FOR TENANT t SEND TO c", "TENANT"),
        ] {
            let e = parse_text(sql).unwrap_err();
            assert!(e.to_string().contains(near), "{sql}: {e}");
        }
    }
}
