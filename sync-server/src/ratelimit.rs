//! Failed-login limits per account and per client address, reserved before the password is
//! checked: a burst of parallel guesses verifies at most the free attempts, then one at a
//! time with a growing delay. A delay, never a lock: the real user gets in once the delay
//! has passed, and failures against one account never slow another account behind the same
//! address (a care organisation's office shares one) until that address itself has failed
//! many times. IPv6 addresses count per /64, what one subscriber usually holds.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Above this many tracked keys the quiet ones are dropped, so a flood of distinct logins
/// cannot grow memory without bound.
const MAX_KEYS: usize = 100_000;
/// The first delay after the free attempts; it doubles with every further failure.
const FIRST_DELAY: Duration = Duration::from_secs(1);

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Key {
    Account(String),
    Address(IpAddr),
}

/// The address a limit counts: IPv4 as it is, IPv6 by its /64 (an IPv4-mapped address as
/// the IPv4 address).
pub fn address_group(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let mut s = v6.segments();
                s[4..].fill(0);
                IpAddr::V6(s.into())
            }
        },
    }
}

#[derive(Clone, Debug, Default)]
struct Entry {
    failures: u32,
    in_flight: u32,
    last_failure: Option<Instant>,
    /// A refusal of this streak is in the audit trail already.
    refusal_noted: bool,
}

/// Limits per kind of key.
#[derive(Clone, Copy, Debug)]
pub struct LoginPolicy {
    /// Failed attempts per account before the delay starts.
    pub free_per_account: u32,
    /// Failed attempts per address group, over all accounts, before the delay starts.
    pub free_per_address: u32,
    /// Failures are forgotten after this long without one.
    pub forget_after: Duration,
    /// The longest delay between two attempts.
    pub max_delay: Duration,
}

pub struct LoginLimiter {
    entries: Mutex<HashMap<Key, Entry>>,
    policy: LoginPolicy,
}

/// One admitted attempt. Say how it went; dropped unsaid (an error before the password was
/// checked) it counts as nothing.
pub struct Reservation<'a> {
    limiter: &'a LoginLimiter,
    keys: [Key; 2],
    settled: bool,
}

impl Reservation<'_> {
    /// The password was wrong (or the login unknown): both keys count a failure.
    pub fn failed(mut self, now: Instant) {
        self.settled = true;
        let mut map = self.limiter.lock();
        for key in &self.keys {
            let e = map.entry(key.clone()).or_default();
            e.in_flight = e.in_flight.saturating_sub(1);
            e.failures = e.failures.saturating_add(1);
            e.last_failure = Some(now);
        }
    }

    /// The password was right: the account's failures are forgotten (the address's stay).
    pub fn succeeded(mut self) {
        self.settled = true;
        let mut map = self.limiter.lock();
        map.remove(&self.keys[0]);
        if let Some(e) = map.get_mut(&self.keys[1]) {
            e.in_flight = e.in_flight.saturating_sub(1);
        }
    }
}

impl Drop for Reservation<'_> {
    fn drop(&mut self) {
        if self.settled {
            return;
        }
        let mut map = self.limiter.lock();
        for key in &self.keys {
            if let Some(e) = map.get_mut(key) {
                e.in_flight = e.in_flight.saturating_sub(1);
            }
        }
    }
}

impl LoginLimiter {
    pub fn new(policy: LoginPolicy) -> Self {
        LoginLimiter {
            entries: Mutex::new(HashMap::new()),
            policy,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Entry>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// How long `e` must wait before another attempt (zero: go ahead).
    fn wait(&self, e: &Entry, free: u32, now: Instant) -> Duration {
        if e.failures.saturating_add(e.in_flight) < free {
            return Duration::ZERO;
        }
        if e.in_flight > 0 {
            // Past the free attempts one check runs at a time; it takes well under a second.
            return Duration::from_secs(1);
        }
        let doublings = (e.failures - free).min(16);
        let delay = FIRST_DELAY
            .saturating_mul(1 << doublings)
            .min(self.policy.max_delay);
        let since = e
            .last_failure
            .map_or(delay, |t| now.saturating_duration_since(t));
        delay.saturating_sub(since)
    }

    /// Admits one attempt for `login` from `ip` and counts it as running, or says how many
    /// seconds to wait. Call it before the password is checked.
    pub fn reserve(&self, login: &str, ip: IpAddr, now: Instant) -> Result<Reservation<'_>, u64> {
        let keys = [
            Key::Account(login.trim().to_lowercase()),
            Key::Address(address_group(ip)),
        ];
        let frees = [self.policy.free_per_account, self.policy.free_per_address];
        let mut map = self.lock();
        if map.len() >= MAX_KEYS {
            let forget = self.policy.forget_after;
            map.retain(|_, e| {
                e.in_flight > 0
                    || e.last_failure
                        .is_some_and(|t| now.duration_since(t) < forget)
            });
            if map.len() >= MAX_KEYS {
                map.retain(|_, e| e.in_flight > 0);
            }
        }
        let mut wait = Duration::ZERO;
        for (key, free) in keys.iter().zip(frees) {
            if let Some(e) = map.get_mut(key) {
                if e.in_flight == 0
                    && e.last_failure
                        .is_some_and(|t| now.duration_since(t) >= self.policy.forget_after)
                {
                    *e = Entry::default();
                }
                wait = wait.max(self.wait(e, free, now));
            }
        }
        if !wait.is_zero() {
            return Err(wait.as_secs_f64().ceil().max(1.0) as u64);
        }
        for key in &keys {
            map.entry(key.clone()).or_default().in_flight += 1;
        }
        Ok(Reservation {
            limiter: self,
            keys,
            settled: false,
        })
    }

    /// Whether a refused attempt on `login` is the first of its streak of failures: the
    /// trail gets one row per streak, so a flood of refused guesses cannot flood the trail.
    pub fn first_refusal(&self, login: &str) -> bool {
        let mut map = self.lock();
        match map.get_mut(&Key::Account(login.trim().to_lowercase())) {
            Some(e) if !e.refusal_noted => {
                e.refusal_noted = true;
                true
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn limiter() -> LoginLimiter {
        LoginLimiter::new(LoginPolicy {
            free_per_account: 3,
            free_per_address: 5,
            forget_after: Duration::from_secs(600),
            max_delay: Duration::from_secs(60),
        })
    }

    #[test]
    fn a_parallel_burst_gets_only_the_free_attempts() {
        let lim = limiter();
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        let t0 = Instant::now();
        let admitted: Vec<_> = (0..40)
            .filter_map(|_| lim.reserve("an", ip, t0).ok())
            .collect();
        assert_eq!(admitted.len(), 3, "reserved before the slow check");
        for r in admitted {
            r.failed(t0);
        }
        assert_eq!(lim.reserve("an", ip, t0).err(), Some(1));
        // After the first delay one more attempt, then the delay doubles.
        let t1 = t0 + Duration::from_secs(1);
        lim.reserve("an", ip, t1).unwrap().failed(t1);
        assert_eq!(lim.reserve("an", ip, t1).err(), Some(2));
        let t2 = t1 + Duration::from_secs(2);
        lim.reserve("an", ip, t2).unwrap().succeeded();
        assert!(lim.reserve("an", ip, t2).is_ok(), "a success forgets");
    }

    #[test]
    fn another_account_behind_the_same_address_is_not_slowed() {
        let lim = limiter();
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        let t0 = Instant::now();
        for _ in 0..3 {
            lim.reserve("an", ip, t0).unwrap().failed(t0);
        }
        assert!(lim.reserve("an", ip, t0).is_err());
        assert!(lim.reserve("bert", ip, t0).is_ok());
    }

    #[test]
    fn the_address_limit_counts_over_accounts_and_ipv6_per_64() {
        let lim = limiter();
        let t0 = Instant::now();
        for (i, login) in ["a", "b", "c", "d", "e"].iter().enumerate() {
            let ip: IpAddr = format!("2001:db8:1:2::{i}").parse().unwrap();
            lim.reserve(login, ip, t0).unwrap().failed(t0);
        }
        let same_64: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        assert!(lim.reserve("f", same_64, t0).is_err());
        let other_64: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert!(lim.reserve("f", other_64, t0).is_ok());
        let mapped: IpAddr = "::ffff:10.0.0.7".parse().unwrap();
        assert_eq!(address_group(mapped), "10.0.0.7".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn the_delay_is_capped_and_failures_are_forgotten() {
        let lim = limiter();
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        let mut t = Instant::now();
        for _ in 0..30 {
            loop {
                match lim.reserve("an", ip, t) {
                    Ok(r) => {
                        r.failed(t);
                        break;
                    }
                    Err(wait) => {
                        assert!(wait <= 60, "{wait}");
                        t += Duration::from_secs(wait);
                    }
                }
            }
        }
        let later = t + Duration::from_secs(601);
        let admitted: Vec<_> = (0..5)
            .filter_map(|_| lim.reserve("an", ip, later).ok())
            .collect();
        assert_eq!(admitted.len(), 3);
    }

    #[test]
    fn an_attempt_dropped_unsaid_counts_nothing() {
        let lim = limiter();
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        let t0 = Instant::now();
        for _ in 0..10 {
            drop(lim.reserve("an", ip, t0).unwrap());
        }
        assert!(lim.reserve("an", ip, t0).is_ok());
    }
}
