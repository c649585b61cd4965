//! The courier, and the task that runs it with the evaluator under the lease `alerts`: each round
//! it evaluates, then sends the alerts that are due. A failed attempt is retried with doubling
//! backoff (1 s, 2 s, 4 s, … up to `retry_max_secs`) until `max_attempts`; a channel sends at most
//! `per_channel_per_minute` messages a minute (the rest wait, they are not dropped).

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;
use tracing::{debug, info, warn};

use super::evaluate::Evaluator;
use super::send::Message;
use super::{AlertError, Alerts};
use crate::catalog::store::now_ms;
use crate::config::AlertsConfig;
use crate::jobs::Jobs;
use crate::observe::Metrics;
use crate::schedule::Schedules;

/// The lease only one Weir of a store holds to evaluate and deliver.
const LEASE: &str = "alerts";

pub struct Courier {
    alerts: Arc<Alerts>,
    config: AlertsConfig,
    /// When each channel last sent, within the last minute.
    sent: BTreeMap<String, VecDeque<i64>>,
}

impl Courier {
    pub fn new(alerts: Arc<Alerts>, config: AlertsConfig) -> Self {
        Self { alerts, config, sent: BTreeMap::new() }
    }

    /// Sends what is due; returns how many were delivered.
    pub async fn round(&mut self) -> Result<usize, AlertError> {
        let mut delivered = 0;
        for a in self.alerts.registry.due(100).await? {
            let now = now_ms();
            let Some(channel) = self.alerts.registry.channel(&a.channel).await? else {
                self.alerts.registry.attempt_failed(a.id, a.attempts, &format!("alert channel '{}' was dropped", a.channel), None).await?;
                continue;
            };
            let window = self.sent.entry(a.channel.clone()).or_default();
            while window.front().is_some_and(|t| now - t >= 60_000) {
                window.pop_front();
            }
            if window.len() >= self.config.per_channel_per_minute {
                let free_at = window.front().map_or(now, |t| t + 60_000);
                self.alerts.registry.postpone(a.id, free_at).await?;
                continue;
            }
            let message = Message { title: a.title.clone(), text: a.message.clone(), rule: a.rule.clone(), event: a.event.clone(), subject: a.fields.clone() };
            let attempts = a.attempts + 1;
            let r = self.alerts.sender.send(&channel, &message).await;
            self.alerts.count(channel.kind, r.is_ok());
            match r {
                Ok(detail) => {
                    window.push_back(now);
                    self.alerts.registry.delivered(a.id, attempts).await?;
                    delivered += 1;
                    debug!(alert = a.id, rule = %a.rule, channel = %a.channel, %detail, "alert delivered");
                }
                Err(why) => {
                    let next = (attempts < i64::from(self.config.max_attempts)).then(|| {
                        let backoff = 1000i64.saturating_mul(1 << (attempts - 1).clamp(0, 20)).min(self.config.retry_max_secs as i64 * 1000);
                        now + backoff
                    });
                    warn!(alert = a.id, rule = %a.rule, channel = %a.channel, attempts, error = %why, retry = next.is_some(), "alert not delivered");
                    self.alerts.registry.attempt_failed(a.id, attempts, &why, next).await?;
                }
            }
        }
        Ok(delivered)
    }
}

/// Evaluates and delivers every `interval` while this Weir holds the lease, until `shutdown`.
#[allow(clippy::too_many_arguments)]
pub fn spawn(
    alerts: Arc<Alerts>,
    jobs: Arc<Jobs>,
    schedules: Arc<Schedules>,
    metrics: Arc<Metrics>,
    auth: Arc<crate::auth::Auth>,
    config: AlertsConfig,
    shutdown: CancellationToken,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let interval = Duration::from_millis(config.interval_ms.max(100));
        let ttl = (config.interval_ms.max(100) as i64 * 5).max(10_000);
        let mut evaluator = Evaluator::new(auth);
        let mut courier = Courier::new(alerts.clone(), config);
        let mut held = false;
        loop {
            let holds = jobs.registry.lease(LEASE, ttl).await.unwrap_or(false);
            if holds != held {
                info!(holds, "alerts: evaluation and delivery {}", if holds { "run here" } else { "run in another Weir of this store" });
                held = holds;
            }
            if holds {
                if let Err(e) = evaluator.round(&alerts, &jobs, &schedules, &metrics.sample()).await {
                    warn!(error = %e, "alerts: evaluating the rules");
                }
                if let Err(e) = courier.round().await {
                    warn!(error = %e, "alerts: delivering");
                }
            }
            tokio::select! {
                _ = tokio::time::sleep(interval) => {}
                _ = shutdown.cancelled() => {
                    if held {
                        let _ = jobs.registry.release_lease(LEASE).await;
                    }
                    return;
                }
            }
        }
    })
}
