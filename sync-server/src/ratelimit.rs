//! Failed-login limits per account and per client address, so guessing passwords is slow
//! for one account from many addresses and for many accounts from one address.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Above this many tracked keys the oldest are dropped, so a flood of distinct logins cannot
/// grow memory without bound.
const MAX_KEYS: usize = 100_000;

pub struct LoginLimiter {
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
    per_account: u32,
    per_ip: u32,
    window: Duration,
}

fn account_key(login: &str) -> String {
    format!("a:{}", login.trim().to_lowercase())
}

fn ip_key(ip: IpAddr) -> String {
    format!("i:{ip}")
}

impl LoginLimiter {
    pub fn new(per_account: u32, per_ip: u32, window: Duration) -> Self {
        LoginLimiter {
            failures: Mutex::new(HashMap::new()),
            per_account,
            per_ip,
            window,
        }
    }

    /// `Err(seconds)` when either limit is reached: try again after that many seconds.
    pub fn check(&self, login: &str, ip: IpAddr, now: Instant) -> Result<(), u64> {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let mut wait = 0u64;
        for (key, limit) in [
            (account_key(login), self.per_account),
            (ip_key(ip), self.per_ip),
        ] {
            if let Some(q) = map.get_mut(&key) {
                while q
                    .front()
                    .is_some_and(|t| now.duration_since(*t) >= self.window)
                {
                    q.pop_front();
                }
                if q.len() >= limit as usize
                    && let Some(oldest) = q.front()
                {
                    let left = self.window.saturating_sub(now.duration_since(*oldest));
                    wait = wait.max(left.as_secs().max(1));
                }
            }
        }
        if wait > 0 { Err(wait) } else { Ok(()) }
    }

    pub fn failed(&self, login: &str, ip: IpAddr, now: Instant) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= MAX_KEYS {
            let window = self.window;
            map.retain(|_, q| q.back().is_some_and(|t| now.duration_since(*t) < window));
            if map.len() >= MAX_KEYS {
                map.clear();
            }
        }
        for key in [account_key(login), ip_key(ip)] {
            map.entry(key).or_default().push_back(now);
        }
    }

    /// A correct password clears the account's failures (not the address's).
    pub fn succeeded(&self, login: &str) {
        self.failures
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&account_key(login));
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn limits_per_account_and_per_ip_and_forgets_after_the_window() {
        let lim = LoginLimiter::new(3, 5, Duration::from_secs(60));
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        let other: IpAddr = "10.0.0.2".parse().unwrap();
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(lim.check("An", ip, t0).is_ok());
            lim.failed("an", ip, t0);
        }
        assert!(
            lim.check("an", other, t0).is_err(),
            "account limit holds from any address"
        );
        assert!(lim.check("bert", ip, t0).is_ok());
        lim.failed("bert", ip, t0);
        lim.failed("carl", ip, t0);
        assert!(
            lim.check("dirk", ip, t0).is_err(),
            "address limit holds for any account"
        );
        let later = t0 + Duration::from_secs(61);
        assert!(lim.check("an", other, later).is_ok());
        lim.succeeded("an");
    }
}
