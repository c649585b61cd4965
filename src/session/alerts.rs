//! The alert statements ([`crate::statement::AlertStatement`]), answered with the session's
//! context (its user) by [`crate::observe::alerts`].

use std::collections::BTreeMap;

use super::context::Context;
use super::local::table_response;
use crate::catalog::store::now_ms;
use crate::error::WeirError;
use crate::observe::alerts::{AlertError, Alerts, ChannelRecord, RuleRecord, SECRET_OPTIONS};
use crate::protocol::{OkResponse, Response, codes};
use crate::statement::{AlertEvent, AlertScope, AlertStatement, secrets};
use crate::value::{LocalTable, like};

/// Whether the session may see (and act on) an alert object `created_by` that user: an
/// administrator any, otherwise one of its own tenant's (another tenant's does not exist for it).
fn owns(s: &mut Context, created_by: &str) -> bool {
    let access = s.access().clone();
    s.shared.auth.owns(&access, created_by)
}

pub async fn answer(s: &mut Context, statement: &AlertStatement) -> Result<Response, WeirError> {
    let alerts = s.shared.alerts.clone();
    // Another tenant's channel or rule is answered as one that does not exist.
    let named_channel = match statement {
        AlertStatement::DropChannel { name, .. } | AlertStatement::TestChannel { name } => Some(name),
        _ => None,
    };
    if let Some(name) = named_channel
        && let Some(c) = alerts.registry.channel(name).await?
        && !owns(s, &c.created_by)
    {
        return match statement {
            AlertStatement::DropChannel { if_exists: true, .. } => outcome(s, false, true, codes::ER_SP_DOES_NOT_EXIST.number, AlertError::UnknownChannel(name.clone())),
            _ => Err(AlertError::UnknownChannel(name.clone()).into()),
        };
    }
    if let AlertStatement::DropRule { name, if_exists } = statement
        && let Some(r) = alerts.registry.rule(name).await?
        && !owns(s, &r.created_by)
    {
        return outcome(s, false, *if_exists, codes::ER_SP_DOES_NOT_EXIST.number, AlertError::UnknownRule(name.clone()));
    }
    match statement {
        AlertStatement::CreateChannel { name, if_not_exists, kind, options } => {
            let options = Alerts::check_channel(name, *kind, options)?;
            let record = ChannelRecord { name: name.clone(), kind: *kind, options, created_by: s.info.user.clone(), created_at: now_ms() };
            let added = alerts.registry.add_channel(&record).await?;
            outcome(s, added, *if_not_exists, codes::ER_TABLE_EXISTS_ERROR.number, AlertError::ChannelExists(name.clone()))
        }
        AlertStatement::CreateRule { name, if_not_exists, event, scope, channels, template, every } => {
            check_rule(s, name, event, scope, *every).await?;
            for c in channels {
                let owned = match alerts.registry.channel(c).await? {
                    Some(channel) => owns(s, &channel.created_by),
                    None => false,
                };
                if !owned {
                    return Err(AlertError::UnknownChannel(c.clone()).into());
                }
            }
            let record = RuleRecord {
                name: name.clone(),
                event: event.clone(),
                scope: scope.clone(),
                channels: channels.clone(),
                template: template.clone(),
                every: *every,
                created_by: s.info.user.clone(),
                created_at: now_ms(),
            };
            let added = alerts.registry.add_rule(&record).await?;
            outcome(s, added, *if_not_exists, codes::ER_TABLE_EXISTS_ERROR.number, AlertError::RuleExists(name.clone()))
        }
        AlertStatement::DropChannel { name, if_exists } => {
            let users: Vec<String> = alerts.registry.rules().await?.into_iter().filter(|r| r.channels.contains(name)).map(|r| r.name).collect();
            if !users.is_empty() {
                return Err(AlertError::ChannelInUse { channel: name.clone(), rules: users.join(", ") }.into());
            }
            let dropped = alerts.registry.drop_channel(name).await?;
            outcome(s, dropped, *if_exists, codes::ER_SP_DOES_NOT_EXIST.number, AlertError::UnknownChannel(name.clone()))
        }
        AlertStatement::DropRule { name, if_exists } => {
            let dropped = alerts.registry.drop_rule(name).await?;
            outcome(s, dropped, *if_exists, codes::ER_SP_DOES_NOT_EXIST.number, AlertError::UnknownRule(name.clone()))
        }
        AlertStatement::ShowChannels { like: pattern } => {
            let access = s.access().clone();
            let rows = alerts
                .registry
                .channels()
                .await?
                .into_iter()
                .filter(|c| pattern.as_deref().is_none_or(|p| like(p, &c.name)) && s.shared.auth.owns(&access, &c.created_by))
                .map(|c| vec![Some(c.name), Some(c.kind.as_str().to_string()), Some(shown_options(&c.options)), Some(c.created_by)])
                .collect();
            table_response(LocalTable::text(&["Name", "Type", "Options", "Created_by"], rows))
        }
        AlertStatement::ShowRules { like: pattern } => {
            let access = s.access().clone();
            let rows = alerts
                .registry
                .rules()
                .await?
                .into_iter()
                .filter(|r| pattern.as_deref().is_none_or(|p| like(p, &r.name)) && s.shared.auth.owns(&access, &r.created_by))
                .map(|r| {
                    let scope = match &r.scope {
                        AlertScope::All => String::new(),
                        AlertScope::JobsLike(p) => format!("JOBS LIKE '{p}'"),
                        AlertScope::Cluster(c) => format!("CLUSTER {c}"),
                        AlertScope::Schedule(n) => format!("SCHEDULE {n}"),
                    };
                    vec![
                        Some(r.name),
                        Some(r.event.text()),
                        Some(scope),
                        Some(r.channels.join(", ")),
                        r.template,
                        r.every.map(|e| format!("{e} SECONDS")),
                        Some(r.created_by),
                    ]
                })
                .collect();
            table_response(LocalTable::text(&["Name", "Event", "For", "Send_to", "Template", "Every", "Created_by"], rows))
        }
        AlertStatement::TestChannel { name } => {
            let (delivered, detail) = alerts.test_channel(name).await?;
            let detail = secrets::mask_urls(&detail).into_owned();
            table_response(LocalTable::text(&["Channel", "Delivered", "Detail"], vec![vec![Some(name.clone()), Some(if delivered { "YES" } else { "NO" }.to_string()), Some(detail)]]))
        }
    }
}

/// A channel's options as SHOW ALERT CHANNELS shows them, `'key' = 'value', …`: a secret option
/// (`secret`, `password`) masked whole, a URL with its credentials masked (a robot's
/// `access_token` or `key`, a webhook's `user:password@` or `?token=`) but where it points kept.
fn shown_options(options: &BTreeMap<String, String>) -> String {
    options
        .iter()
        .map(|(k, v)| format!("'{k}' = '{}'", if SECRET_OPTIONS.contains(&k.as_str()) { secrets::MASK.into() } else { secrets::mask_urls(v) }))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A CREATE or DROP that did (`done`) or did not change anything: OK, a Note when `IF [NOT]
/// EXISTS` tolerates it, else the error.
fn outcome(s: &Context, done: bool, tolerated: bool, code: u16, otherwise: AlertError) -> Result<Response, WeirError> {
    if !done {
        if !tolerated {
            return Err(otherwise.into());
        }
        crate::diagnostics::add(&s.warnings, "Note", code, otherwise.to_string());
    }
    Ok(Response::Ok(OkResponse::default()))
}

/// A rule's clauses fit its event; a `FOR CLUSTER` names a cluster of this Weir. (A `JOBS LIKE`
/// pattern may match no job yet: it matches those created later.)
async fn check_rule(s: &mut Context, rule: &str, event: &AlertEvent, scope: &AlertScope, every: Option<u64>) -> Result<(), WeirError> {
    let bad = |message: String| AlertError::Rule { rule: rule.to_string(), message };
    let is_event = matches!(event, AlertEvent::JobFailed | AlertEvent::JobRecovered);
    if every.is_some() && is_event {
        return Err(bad(format!("EVERY repeats a condition while it holds; {} is an event, sent once each time it happens", event.text())).into());
    }
    if every == Some(0) {
        return Err(bad("EVERY needs a positive interval".into()).into());
    }
    match scope {
        AlertScope::Cluster(c) => {
            if !(event.about_clusters() || is_event) {
                return Err(bad(format!("FOR CLUSTER applies to CLUSTER DOWN, JOB FAILED and JOB RECOVERED, not {}", event.text())).into());
            }
            if s.shared.clusters.get(c).is_none() {
                return Err(bad(format!("FOR CLUSTER {c}: no Flink cluster has that name (SHOW FLINK CLUSTERS lists them)")).into());
            }
        }
        AlertScope::JobsLike(_) if event.about_clusters() || event.about_schedules() => {
            return Err(bad(format!("{} is not about jobs: use FOR {}", event.text(), if event.about_clusters() { "CLUSTER name" } else { "SCHEDULE name" })).into());
        }
        AlertScope::Schedule(name) => {
            if !event.about_schedules() {
                return Err(bad(format!("FOR SCHEDULE applies to SCHEDULE FAILED and SCHEDULE FINISHED, not {}", event.text())).into());
            }
            let schedule = s.shared.schedules.registry.get(name).await.map_err(|e| AlertError::Store(e.to_string()))?;
            let access = s.access().clone();
            if !schedule.is_some_and(|r| s.shared.auth.owns(&access, &r.created_by)) {
                return Err(bad(format!("FOR SCHEDULE {name}: no schedule has that name")).into());
            }
        }
        _ => {}
    }
    if let AlertEvent::JobRestarts { within: 0, .. } | AlertEvent::CheckpointAge(0) | AlertEvent::DatasyncLag(0) = event {
        return Err(bad(format!("{} needs a positive duration", event.text())).into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn show_alert_channels_shows_where_a_channel_points_but_no_secret() {
        let options = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<BTreeMap<_, _>>();
        let ding = options(&[("url", "https://oapi.dingtalk.com/robot/send?access_token=6f1c0ffee"), ("secret", "SECabc")]);
        assert_eq!(shown_options(&ding), "'secret' = '******', 'url' = 'https://oapi.dingtalk.com/robot/send?access_token=******'");
        let wecom = options(&[("url", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6"), ("timeout_secs", "5")]);
        assert_eq!(shown_options(&wecom), "'timeout_secs' = '5', 'url' = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=******'");
        let hook = options(&[("url", "https://weir:hunter2@oncall.example.com/hooks/weir?team=db&api_token=t0k")]);
        assert_eq!(shown_options(&hook), "'url' = 'https://weir:******@oncall.example.com/hooks/weir?team=db&api_token=******'");
        let mail = options(&[("host", "smtp.example.com"), ("username", "weir"), ("password", "p")]);
        assert_eq!(shown_options(&mail), "'host' = 'smtp.example.com', 'password' = '******', 'username' = 'weir'");
    }
}
