//! Alerts in the store (migration 10): channels and rules (each one JSON document under its
//! name), the alerts themselves (the delivery queue and its history: one row per rule, channel
//! and occurrence, unique on a deduplication key), each rule's state per subject (firing, last
//! sent), and the evaluator's cursor over job events.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sqlx::{AnyPool, Row};

use super::{AlertError, Subject};
use crate::catalog::store::{Backend, now_ms};
use crate::statement::{AlertEvent, AlertScope, ChannelType};

fn db(e: sqlx::Error) -> AlertError {
    AlertError::Store(e.to_string())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelRecord {
    pub name: String,
    pub kind: ChannelType,
    pub options: BTreeMap<String, String>,
    pub created_by: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleRecord {
    pub name: String,
    pub event: AlertEvent,
    pub scope: AlertScope,
    pub channels: Vec<String>,
    pub template: Option<String>,
    /// Seconds between repeats while the condition holds.
    pub every: Option<u64>,
    pub created_by: String,
    pub created_at: i64,
}

/// One alert for one channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertRecord {
    pub id: i64,
    pub rule: String,
    pub channel: String,
    pub subject: String,
    pub title: String,
    pub message: String,
    /// `PENDING`, `DELIVERED` or `FAILED` (attempts spent).
    pub state: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_error: String,
    pub created_at: i64,
    pub delivered_at: Option<i64>,
    /// The rule's event, as its text (`JOB FAILED`, `CLUSTER DOWN`, …).
    pub event: String,
    /// What the alert is about: the subject with its job, cluster, state, reason and value.
    pub fields: Subject,
}

pub struct Registry {
    pool: AnyPool,
}

/// The columns [`alert_of`] reads, in its order (`a`: the alert, `f`: its fields, absent for
/// alerts queued before they were kept).
macro_rules! select_alerts {
    () => {
        "SELECT a.id, a.rule, a.channel, a.subject, a.title, a.message, a.state, a.attempts, a.next_attempt_at, a.last_error, a.created_at, a.delivered_at, f.event, f.subject \
         FROM weir_alerts a LEFT JOIN weir_alert_fields f ON f.dedupe = a.dedupe"
    };
}

impl Registry {
    pub fn new(backend: &Backend) -> Self {
        Self { pool: backend.pool().clone() }
    }

    async fn insert_doc(&self, table: &'static str, name: &str, doc: &impl Serialize, at: i64) -> Result<bool, AlertError> {
        let doc = serde_json::to_string(doc).map_err(|e| AlertError::Store(e.to_string()))?;
        let sql = match table {
            "channels" => "INSERT INTO weir_alert_channels (name, definition, created_at) VALUES (?, ?, ?)",
            _ => "INSERT INTO weir_alert_rules (name, definition, created_at) VALUES (?, ?, ?)",
        };
        let r = sqlx::query(sql).bind(name).bind(doc).bind(at).execute(&self.pool).await;
        Ok(r.is_ok())
    }

    /// Records a channel; false when the name is taken.
    pub async fn add_channel(&self, c: &ChannelRecord) -> Result<bool, AlertError> {
        if self.channel(&c.name).await?.is_some() {
            return Ok(false);
        }
        self.insert_doc("channels", &c.name, c, c.created_at).await
    }

    /// Records a rule; false when the name is taken.
    pub async fn add_rule(&self, r: &RuleRecord) -> Result<bool, AlertError> {
        if self.rule(&r.name).await?.is_some() {
            return Ok(false);
        }
        self.insert_doc("rules", &r.name, r, r.created_at).await
    }

    pub async fn channel(&self, name: &str) -> Result<Option<ChannelRecord>, AlertError> {
        let row = sqlx::query("SELECT definition FROM weir_alert_channels WHERE name = ?").bind(name).fetch_optional(&self.pool).await.map_err(db)?;
        row.map(|r| doc(&r)).transpose()
    }

    pub async fn rule(&self, name: &str) -> Result<Option<RuleRecord>, AlertError> {
        let row = sqlx::query("SELECT definition FROM weir_alert_rules WHERE name = ?").bind(name).fetch_optional(&self.pool).await.map_err(db)?;
        row.map(|r| doc(&r)).transpose()
    }

    pub async fn channels(&self) -> Result<Vec<ChannelRecord>, AlertError> {
        let rows = sqlx::query("SELECT definition FROM weir_alert_channels ORDER BY name").fetch_all(&self.pool).await.map_err(db)?;
        rows.iter().map(doc).collect()
    }

    pub async fn rules(&self) -> Result<Vec<RuleRecord>, AlertError> {
        let rows = sqlx::query("SELECT definition FROM weir_alert_rules ORDER BY name").fetch_all(&self.pool).await.map_err(db)?;
        rows.iter().map(doc).collect()
    }

    pub async fn drop_channel(&self, name: &str) -> Result<bool, AlertError> {
        let r = sqlx::query("DELETE FROM weir_alert_channels WHERE name = ?").bind(name).execute(&self.pool).await.map_err(db)?;
        Ok(r.rows_affected() == 1)
    }

    /// Drops a rule and its state (its alerts stay, as history).
    pub async fn drop_rule(&self, name: &str) -> Result<bool, AlertError> {
        let r = sqlx::query("DELETE FROM weir_alert_rules WHERE name = ?").bind(name).execute(&self.pool).await.map_err(db)?;
        sqlx::query("DELETE FROM weir_alert_state WHERE rule = ?").bind(name).execute(&self.pool).await.map_err(db)?;
        Ok(r.rows_affected() == 1)
    }

    /// Queues one alert per channel of `rule`, unless alerts with this `dedupe` key were queued
    /// before (a repeat of the same occurrence after a restart). Returns how many were queued.
    pub async fn enqueue(&self, rule: &RuleRecord, event: &str, subject: &Subject, dedupe: &str, title: &str, message: &str) -> Result<usize, AlertError> {
        let now = now_ms();
        let fields = serde_json::to_string(subject).map_err(|e| AlertError::Store(e.to_string()))?;
        let mut queued = 0;
        for channel in &rule.channels {
            let key = format!("{}\u{1f}{channel}\u{1f}{dedupe}", rule.name);
            let mut tx = self.pool.begin().await.map_err(db)?;
            let r = sqlx::query(
                "INSERT INTO weir_alerts (dedupe, rule, channel, subject, title, message, state, attempts, next_attempt_at, last_error, created_at) VALUES (?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, '', ?)",
            )
            .bind(&key)
            .bind(&rule.name)
            .bind(channel)
            .bind(&subject.name)
            .bind(title)
            .bind(message)
            .bind(now)
            .bind(now)
            .execute(&mut *tx)
            .await;
            // A duplicate key is the same occurrence queued before: not an error.
            if r.is_err() {
                continue;
            }
            sqlx::query("INSERT INTO weir_alert_fields (dedupe, event, subject) VALUES (?, ?, ?)")
                .bind(&key)
                .bind(event)
                .bind(&fields)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            tx.commit().await.map_err(db)?;
            queued += 1;
        }
        Ok(queued)
    }

    /// Alerts due for an attempt, oldest first.
    pub async fn due(&self, limit: i64) -> Result<Vec<AlertRecord>, AlertError> {
        let rows = sqlx::query(concat!(select_alerts!(), " WHERE a.state = 'PENDING' AND a.next_attempt_at <= ? ORDER BY a.id LIMIT ?"))
            .bind(now_ms())
            .bind(limit)
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows.iter().map(alert_of).collect()
    }

    /// Every alert, newest first, at most `limit` (information_schema.WEIR_ALERTS).
    pub async fn alerts(&self, limit: i64) -> Result<Vec<AlertRecord>, AlertError> {
        let rows = sqlx::query(concat!(select_alerts!(), " ORDER BY a.id DESC LIMIT ?")).bind(limit).fetch_all(&self.pool).await.map_err(db)?;
        rows.iter().map(alert_of).collect()
    }

    pub async fn delivered(&self, id: i64, attempts: i64) -> Result<(), AlertError> {
        sqlx::query("UPDATE weir_alerts SET state = 'DELIVERED', attempts = ?, last_error = '', delivered_at = ? WHERE id = ?")
            .bind(attempts)
            .bind(now_ms())
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    /// A failed attempt: tried again at `next` (ms), or FAILED when `next` is None.
    pub async fn attempt_failed(&self, id: i64, attempts: i64, error: &str, next: Option<i64>) -> Result<(), AlertError> {
        let (state, at) = match next {
            Some(at) => ("PENDING", at),
            None => ("FAILED", now_ms()),
        };
        sqlx::query("UPDATE weir_alerts SET state = ?, attempts = ?, last_error = ?, next_attempt_at = ? WHERE id = ?")
            .bind(state)
            .bind(attempts)
            .bind(error)
            .bind(at)
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    /// Postpones an alert without counting an attempt (the channel's rate limit).
    pub async fn postpone(&self, id: i64, to: i64) -> Result<(), AlertError> {
        sqlx::query("UPDATE weir_alerts SET next_attempt_at = ? WHERE id = ?").bind(to).bind(id).execute(&self.pool).await.map_err(db)?;
        Ok(())
    }

    /// A rule's state for a subject: (firing, last sent ms).
    pub async fn state(&self, rule: &str, subject: &str) -> Result<Option<(bool, i64)>, AlertError> {
        let row = sqlx::query("SELECT firing, last_sent_at FROM weir_alert_state WHERE rule = ? AND subject = ?")
            .bind(rule)
            .bind(subject)
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        row.map(|r| Ok((r.try_get::<i64, _>(0).map_err(db)? != 0, r.try_get::<i64, _>(1).map_err(db)?))).transpose()
    }

    pub async fn set_state(&self, rule: &str, subject: &str, firing: bool, last_sent_at: i64) -> Result<(), AlertError> {
        let r = sqlx::query("UPDATE weir_alert_state SET firing = ?, last_sent_at = ? WHERE rule = ? AND subject = ?")
            .bind(i64::from(firing))
            .bind(last_sent_at)
            .bind(rule)
            .bind(subject)
            .execute(&self.pool)
            .await
            .map_err(db)?;
        if r.rows_affected() == 0 {
            sqlx::query("INSERT INTO weir_alert_state (rule, subject, firing, last_sent_at) VALUES (?, ?, ?, ?)")
                .bind(rule)
                .bind(subject)
                .bind(i64::from(firing))
                .bind(last_sent_at)
                .execute(&self.pool)
                .await
                .map_err(db)?;
        }
        Ok(())
    }

    /// The subjects a rule is firing for.
    pub async fn firing(&self, rule: &str) -> Result<Vec<String>, AlertError> {
        let rows = sqlx::query("SELECT subject FROM weir_alert_state WHERE rule = ? AND firing = 1").bind(rule).fetch_all(&self.pool).await.map_err(db)?;
        rows.iter().map(|r| r.try_get::<String, _>(0).map_err(db)).collect()
    }

    /// One of the evaluator's cursors (`job_events`: the last job event id read;
    /// `schedule_runs`: the end time of the last schedule run read), None before its first round.
    pub async fn cursor(&self, name: &str) -> Result<Option<i64>, AlertError> {
        let row = sqlx::query("SELECT event_id FROM weir_alert_cursor WHERE name = ?").bind(name).fetch_optional(&self.pool).await.map_err(db)?;
        row.map(|r| r.try_get::<i64, _>(0).map_err(db)).transpose()
    }

    pub async fn set_cursor(&self, name: &str, value: i64) -> Result<(), AlertError> {
        let r = sqlx::query("UPDATE weir_alert_cursor SET event_id = ? WHERE name = ?").bind(value).bind(name).execute(&self.pool).await.map_err(db)?;
        if r.rows_affected() == 0 {
            sqlx::query("INSERT INTO weir_alert_cursor (name, event_id) VALUES (?, ?)").bind(name).bind(value).execute(&self.pool).await.map_err(db)?;
        }
        Ok(())
    }
}


fn alert_of(r: &sqlx::any::AnyRow) -> Result<AlertRecord, AlertError> {
    Ok(AlertRecord {
        id: r.try_get(0).map_err(db)?,
        rule: r.try_get(1).map_err(db)?,
        channel: r.try_get(2).map_err(db)?,
        subject: r.try_get(3).map_err(db)?,
        title: r.try_get(4).map_err(db)?,
        message: r.try_get(5).map_err(db)?,
        state: r.try_get(6).map_err(db)?,
        attempts: r.try_get(7).map_err(db)?,
        next_attempt_at: r.try_get(8).map_err(db)?,
        last_error: r.try_get(9).map_err(db)?,
        created_at: r.try_get(10).map_err(db)?,
        delivered_at: r.try_get(11).map_err(db)?,
        event: r.try_get::<Option<String>, _>(12).map_err(db)?.unwrap_or_default(),
        fields: fields(r.try_get(3).map_err(db)?, r.try_get(13).map_err(db)?),
    })
}

/// An alert's subject as kept with it; only its name for an alert queued before fields were kept.
fn fields(name: String, kept: Option<String>) -> Subject {
    kept.and_then(|k| serde_json::from_str(&k).ok()).unwrap_or(Subject { name, ..Default::default() })
}

fn doc<T: serde::de::DeserializeOwned>(r: &sqlx::any::AnyRow) -> Result<T, AlertError> {
    let text: String = r.try_get(0).map_err(db)?;
    serde_json::from_str(&text).map_err(|e| AlertError::Store(format!("unreadable alert definition: {e}")))
}
