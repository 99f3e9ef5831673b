//! The ranges the coordinator's settings may take, stated once: the server's config loader,
//! its settings endpoints and the desktop's forms all check against these.

use std::ops::RangeInclusive;

/// One bounded setting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limit {
    /// The setting's name in the API and the config file, e.g. `lease_hours`.
    pub name: &'static str,
    pub range: RangeInclusive<u32>,
}

impl Limit {
    pub fn allows(&self, value: u32) -> bool {
        self.range.contains(&value)
    }

    pub fn min(&self) -> u32 {
        *self.range.start()
    }

    pub fn max(&self) -> u32 {
        *self.range.end()
    }
}

/// Days a retired code may not be drawn again.
pub const QUARANTINE_DAYS: Limit = Limit {
    name: "quarantine_days",
    range: 0..=365,
};
/// Safes in one volunteer round.
pub const MAX_ROUND_SIZE: Limit = Limit {
    name: "max_round_size",
    range: 1..=500,
};
/// Codes kept free per safe model.
pub const RESERVE_PER_MODEL: Limit = Limit {
    name: "reserve_per_model",
    range: 0..=100,
};
/// Rounds a volunteer may hold at once.
pub const ROUNDS_PER_VOLUNTEER: Limit = Limit {
    name: "max_rounds_per_volunteer",
    range: 1..=50,
};
/// Days the previous code stays on carers' phones.
pub const GRACE_DAYS: Limit = Limit {
    name: "grace_days",
    range: 0..=90,
};
/// Seconds without a touch before a phone locks.
pub const IDLE_LOCK_SECS: Limit = Limit {
    name: "idle_lock_secs",
    range: 30..=3600,
};
/// Hours a phone shows codes without reaching the server. Under 12 a carer on a long shift
/// would lose their codes mid-day.
pub const LEASE_HOURS: Limit = Limit {
    name: "lease_hours",
    range: 12..=720,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_are_inclusive() {
        assert!(LEASE_HOURS.allows(12) && LEASE_HOURS.allows(720));
        assert!(!LEASE_HOURS.allows(11) && !LEASE_HOURS.allows(721));
        assert_eq!((IDLE_LOCK_SECS.min(), IDLE_LOCK_SECS.max()), (30, 3600));
    }
}
