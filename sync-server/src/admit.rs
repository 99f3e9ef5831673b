//! Tokens seen valid a moment ago, so that a sync can be let in (its body read, its turn at
//! the gate taken) without a trip to the database first.
//!
//! This is admission only, never authority: the sync's own blocking step looks the token up
//! again with the database it works on, and a revoked device or person is refused there with
//! the wipe answer before anything is read or written. What the cache saves is one hand-over
//! to the blocking pool per sync, which was the larger part of a no-change sync's CPU. A stale
//! entry can at worst let a just-revoked device send one body (within the body limit) that is
//! then refused.

use std::collections::HashMap;
use std::sync::Mutex;

use kluis_domain::ids::DeviceId;
use kluis_domain::time::Timestamp;

/// How long a token lookup lets its device in without asking the database again.
pub const ADMIT_FOR_MS: i64 = 10 * 60_000;

/// Entries kept at most: a region's devices, each with a token and its successor, and room
/// over. When full, expired entries go first, and all of them if none has expired.
pub const MAX_ADMITTED: usize = 65_536;

#[derive(Default)]
pub struct Admissions {
    by_token: Mutex<HashMap<String, (DeviceId, i64)>>,
}

impl Admissions {
    /// The device of a token looked up and found valid within the last [`ADMIT_FOR_MS`].
    pub fn device_of(&self, token_hash: &str, now: Timestamp) -> Option<DeviceId> {
        let map = self.by_token.lock().unwrap_or_else(|p| p.into_inner());
        map.get(token_hash)
            .filter(|(_, until)| now.millis() < *until)
            .map(|(device, _)| *device)
    }

    /// Notes a token that the database just found valid.
    pub fn admit(&self, token_hash: &str, device: DeviceId, now: Timestamp) {
        let mut map = self.by_token.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= MAX_ADMITTED && !map.contains_key(token_hash) {
            map.retain(|_, (_, until)| now.millis() < *until);
            if map.len() >= MAX_ADMITTED {
                map.clear();
            }
        }
        map.insert(
            token_hash.to_owned(),
            (device, now.millis().saturating_add(ADMIT_FOR_MS)),
        );
    }

    /// Drops a token the database refused: its next request asks the database at once.
    pub fn forget(&self, token_hash: &str) {
        let mut map = self.by_token.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(token_hash);
    }

    pub fn len(&self) -> usize {
        self.by_token
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn device(n: u8) -> DeviceId {
        DeviceId::from_bytes([n; 16])
    }

    #[test]
    fn a_token_is_let_in_until_its_time_is_up_or_it_is_forgotten() {
        let a = Admissions::default();
        let t = Timestamp::from_millis(1_000_000);
        assert_eq!(a.device_of("h1", t), None);
        a.admit("h1", device(1), t);
        assert_eq!(a.device_of("h1", t), Some(device(1)));
        let later = Timestamp::from_millis(t.millis() + ADMIT_FOR_MS - 1);
        assert_eq!(a.device_of("h1", later), Some(device(1)));
        let past = Timestamp::from_millis(t.millis() + ADMIT_FOR_MS);
        assert_eq!(a.device_of("h1", past), None);
        a.forget("h1");
        assert_eq!(a.device_of("h1", t), None);
    }

    #[test]
    fn the_cache_never_grows_past_its_bound() {
        let a = Admissions::default();
        let t = Timestamp::from_millis(0);
        for i in 0..MAX_ADMITTED {
            a.admit(&format!("old{i}"), device(1), t);
        }
        assert_eq!(a.len(), MAX_ADMITTED);
        // None expired: making room empties the cache, then the new one goes in.
        a.admit("new", device(2), t);
        assert_eq!(a.len(), 1);
        assert_eq!(a.device_of("new", t), Some(device(2)));
        // Expired entries are the ones that make room.
        for i in 0..MAX_ADMITTED - 1 {
            a.admit(&format!("x{i}"), device(1), t);
        }
        let later = Timestamp::from_millis(ADMIT_FOR_MS + 1);
        a.admit("fresh", device(3), later);
        a.admit("fresh2", device(3), later);
        assert_eq!(a.len(), 2);
    }
}
