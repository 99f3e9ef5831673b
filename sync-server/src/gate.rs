//! Per-device admission: one sync at a time, one event stream at a time, and a request rate
//! that a flooding device runs into (429 with Retry-After) while every other device goes on.

use std::collections::{HashMap, HashSet};
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use kluis_domain::ids::DeviceId;
use tokio::sync::Notify;

use crate::error::ApiError;

/// A phone's sync session is at most `MAX_ROUNDS_PER_SESSION` requests, and it syncs after
/// every nudge; a burst of 60 with 2 per second refilled carries a busy campaign morning.
const SYNC_BURST: u32 = 60;
const SYNC_PER_SECOND: u32 = 2;
/// An app reconnects its event stream with back-off after a network change.
const STREAM_BURST: u32 = 10;
const STREAM_EVERY: Duration = Duration::from_secs(6);

fn nonzero(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN)
}

pub struct DeviceGate {
    syncing: Mutex<HashSet<DeviceId>>,
    /// The newest event stream of each device, and how to tell it a newer one took over.
    streams: Mutex<HashMap<DeviceId, (u64, Arc<Notify>)>>,
    next_stream: std::sync::atomic::AtomicU64,
    sync_rate: DefaultKeyedRateLimiter<DeviceId>,
    stream_rate: DefaultKeyedRateLimiter<DeviceId>,
}

impl Default for DeviceGate {
    fn default() -> Self {
        let sync = Quota::per_second(nonzero(SYNC_PER_SECOND)).allow_burst(nonzero(SYNC_BURST));
        let stream = Quota::with_period(STREAM_EVERY)
            .unwrap_or_else(|| Quota::per_minute(NonZeroU32::MIN))
            .allow_burst(nonzero(STREAM_BURST));
        DeviceGate {
            syncing: Mutex::default(),
            streams: Mutex::default(),
            next_stream: std::sync::atomic::AtomicU64::new(1),
            sync_rate: RateLimiter::keyed(sync),
            stream_rate: RateLimiter::keyed(stream),
        }
    }
}

/// Held while a device's sync runs; dropping it lets the next one in.
pub struct SyncTurn<'a> {
    gate: &'a DeviceGate,
    device: DeviceId,
}

impl Drop for SyncTurn<'_> {
    fn drop(&mut self) {
        self.gate
            .syncing
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&self.device);
    }
}

fn too_many(limiter: &DefaultKeyedRateLimiter<DeviceId>, device: DeviceId) -> Option<ApiError> {
    limiter.check_key(&device).err().map(|not_until| {
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        ApiError::device_flood(wait.as_secs().max(1))
    })
}

impl DeviceGate {
    /// Admits one sync of `device`: 429 while another of its syncs runs or when it sends
    /// faster than any app does.
    pub fn enter_sync(&self, device: DeviceId) -> Result<SyncTurn<'_>, ApiError> {
        if let Some(e) = too_many(&self.sync_rate, device) {
            return Err(e);
        }
        let mut busy = self.syncing.lock().unwrap_or_else(|p| p.into_inner());
        if !busy.insert(device) {
            return Err(ApiError::sync_busy());
        }
        Ok(SyncTurn { gate: self, device })
    }

    /// Admits a new event stream of `device` and returns its number, and what wakes it when
    /// a newer one takes over. The device's older stream, if any, is woken now and ends: only
    /// that stream is told, so 20,000 phones reconnecting wake 20,000 streams, not 20,000
    /// squared (see [`DeviceGate::is_current_stream`]).
    pub fn open_stream(&self, device: DeviceId) -> Result<(u64, Arc<Notify>), ApiError> {
        if let Some(e) = too_many(&self.stream_rate, device) {
            return Err(e);
        }
        let n = self
            .next_stream
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let replaced = Arc::new(Notify::new());
        let older = self
            .streams
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(device, (n, replaced.clone()));
        if let Some((_, older)) = older {
            // A stored permit: the older stream ends even if it is not waiting right now.
            older.notify_one();
        }
        Ok((n, replaced))
    }

    pub fn is_current_stream(&self, device: DeviceId, n: u64) -> bool {
        self.streams
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&device)
            .is_some_and(|(current, _)| *current == n)
    }

    /// A stream that ended gives its place back (unless a newer one took it already).
    pub fn close_stream(&self, device: DeviceId, n: u64) {
        let mut streams = self.streams.lock().unwrap_or_else(|p| p.into_inner());
        if streams
            .get(&device)
            .is_some_and(|(current, _)| *current == n)
        {
            streams.remove(&device);
        }
    }

    /// Forgets rate state of devices that have been quiet: run it now and then.
    pub fn forget_quiet(&self) {
        self.sync_rate.retain_recent();
        self.stream_rate.retain_recent();
        self.sync_rate.shrink_to_fit();
        self.stream_rate.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn one_sync_at_a_time_per_device_and_floods_are_refused() {
        let gate = DeviceGate::default();
        let a = DeviceId::from_bytes([1; 16]);
        let b = DeviceId::from_bytes([2; 16]);
        let turn = gate.enter_sync(a).unwrap();
        assert_eq!(
            gate.enter_sync(a).err().unwrap().code,
            crate::error::ErrorCode::SyncBusy
        );
        let other = gate.enter_sync(b).unwrap();
        drop(turn);
        drop(other);
        let mut refused = 0;
        for _ in 0..SYNC_BURST + 5 {
            match gate.enter_sync(a) {
                Ok(turn) => drop(turn),
                Err(e) => {
                    assert_eq!(e.code, crate::error::ErrorCode::RateLimited);
                    assert!(e.retry_after_secs.is_some());
                    refused += 1;
                }
            }
        }
        assert!(refused >= 4, "{refused}");
        assert!(gate.enter_sync(b).is_ok(), "another device is not slowed");
    }

    #[test]
    fn a_new_stream_replaces_the_old_one() {
        let gate = DeviceGate::default();
        let a = DeviceId::from_bytes([1; 16]);
        let (first, replaced) = gate.open_stream(a).unwrap();
        let (second, _) = gate.open_stream(a).unwrap();
        // The older stream was told, even though it was not waiting at that moment.
        futures_util::FutureExt::now_or_never(replaced.notified()).expect("woken");
        assert!(!gate.is_current_stream(a, first));
        assert!(gate.is_current_stream(a, second));
        gate.close_stream(a, first);
        assert!(gate.is_current_stream(a, second));
        gate.close_stream(a, second);
        assert!(!gate.is_current_stream(a, second));
    }
}
