//! Failed logins slow down, per user and client address, as MySQL's `connection_control` does:
//! after `failed_login_threshold` consecutive failures each further attempt waits one second more
//! than the last before it is answered (at most `failed_login_max_delay_ms`); a successful login
//! starts over.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Most (user, address) pairs tracked; the oldest are forgotten beyond it.
const TRACKED: usize = 10_000;

pub struct Throttle {
    threshold: u32,
    max_delay: Duration,
    failures: Mutex<HashMap<(String, IpAddr), (u32, Instant)>>,
}

impl Throttle {
    pub fn new(threshold: u32, max_delay_ms: u64) -> Self {
        Self { threshold, max_delay: Duration::from_millis(max_delay_ms), failures: Mutex::new(HashMap::new()) }
    }

    /// How long the next attempt of `user` from `ip` waits before it is answered.
    pub fn delay(&self, user: &str, ip: IpAddr) -> Duration {
        let failures = self.failures.lock().ok().and_then(|f| f.get(&(user.to_string(), ip)).map(|(n, _)| *n)).unwrap_or(0);
        let over = failures.saturating_sub(self.threshold.saturating_sub(1));
        if self.threshold == 0 || over == 0 {
            return Duration::ZERO;
        }
        Duration::from_secs(u64::from(over)).min(self.max_delay)
    }

    pub fn record(&self, user: &str, ip: IpAddr, ok: bool) {
        let Ok(mut f) = self.failures.lock() else {
            return;
        };
        let key = (user.to_string(), ip);
        if ok {
            f.remove(&key);
            return;
        }
        if f.len() >= TRACKED
            && !f.contains_key(&key)
            && let Some(oldest) = f.iter().min_by_key(|(_, (_, at))| *at).map(|(k, _)| k.clone())
        {
            f.remove(&oldest);
        }
        let e = f.entry(key).or_insert((0, Instant::now()));
        e.0 = e.0.saturating_add(1);
        e.1 = Instant::now();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_after_the_threshold_and_reset_on_success() {
        let t = Throttle::new(3, 2500);
        let ip: IpAddr = "10.1.2.3".parse().unwrap();
        for _ in 0..2 {
            t.record("bi", ip, false);
        }
        assert_eq!(t.delay("bi", ip), Duration::ZERO);
        t.record("bi", ip, false);
        assert_eq!(t.delay("bi", ip), Duration::from_secs(1));
        t.record("bi", ip, false);
        assert_eq!(t.delay("bi", ip), Duration::from_secs(2));
        t.record("bi", ip, false);
        assert_eq!(t.delay("bi", ip), Duration::from_millis(2500));
        assert_eq!(t.delay("other", ip), Duration::ZERO);
        t.record("bi", ip, true);
        assert_eq!(t.delay("bi", ip), Duration::ZERO);
    }
}
