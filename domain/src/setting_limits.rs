//! The ranges the coordinator's settings may take, stated once: the server's config loader,
//! its settings endpoints and the desktop's forms all check against these.

use std::ops::RangeInclusive;

use serde::{Deserialize, Serialize};

/// A bounded setting, named as in the API and the config file (`lease_hours`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Setting {
    QuarantineDays,
    MaxRoundSize,
    ReservePerModel,
    MaxRoundsPerVolunteer,
    GraceDays,
    IdleLockSecs,
    LeaseHours,
}

impl Setting {
    pub const ALL: [Setting; 7] = [
        Setting::QuarantineDays,
        Setting::MaxRoundSize,
        Setting::ReservePerModel,
        Setting::MaxRoundsPerVolunteer,
        Setting::GraceDays,
        Setting::IdleLockSecs,
        Setting::LeaseHours,
    ];

    /// The name in the API and the config file.
    pub const fn name(self) -> &'static str {
        match self {
            Setting::QuarantineDays => "quarantine_days",
            Setting::MaxRoundSize => "max_round_size",
            Setting::ReservePerModel => "reserve_per_model",
            Setting::MaxRoundsPerVolunteer => "max_rounds_per_volunteer",
            Setting::GraceDays => "grace_days",
            Setting::IdleLockSecs => "idle_lock_secs",
            Setting::LeaseHours => "lease_hours",
        }
    }

    /// Its range.
    pub const fn limit(self) -> Limit {
        match self {
            Setting::QuarantineDays => QUARANTINE_DAYS,
            Setting::MaxRoundSize => MAX_ROUND_SIZE,
            Setting::ReservePerModel => RESERVE_PER_MODEL,
            Setting::MaxRoundsPerVolunteer => ROUNDS_PER_VOLUNTEER,
            Setting::GraceDays => GRACE_DAYS,
            Setting::IdleLockSecs => IDLE_LOCK_SECS,
            Setting::LeaseHours => LEASE_HOURS,
        }
    }
}

/// One bounded setting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limit {
    pub setting: Setting,
    pub range: RangeInclusive<u32>,
}

impl Limit {
    /// The setting's name in the API and the config file, e.g. `lease_hours`.
    pub const fn name(&self) -> &'static str {
        self.setting.name()
    }

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
    setting: Setting::QuarantineDays,
    range: 0..=365,
};
/// Safes in one volunteer round.
pub const MAX_ROUND_SIZE: Limit = Limit {
    setting: Setting::MaxRoundSize,
    range: 1..=500,
};
/// Codes kept free per safe model.
pub const RESERVE_PER_MODEL: Limit = Limit {
    setting: Setting::ReservePerModel,
    range: 0..=100,
};
/// Rounds a volunteer may hold at once.
pub const ROUNDS_PER_VOLUNTEER: Limit = Limit {
    setting: Setting::MaxRoundsPerVolunteer,
    range: 1..=50,
};
/// Days the previous code stays on carers' phones.
pub const GRACE_DAYS: Limit = Limit {
    setting: Setting::GraceDays,
    range: 0..=90,
};
/// Seconds without a touch before a phone locks.
pub const IDLE_LOCK_SECS: Limit = Limit {
    setting: Setting::IdleLockSecs,
    range: 30..=3600,
};
/// Hours a phone shows codes without reaching the server. Under 12 a carer on a long shift
/// would lose their codes mid-day.
pub const LEASE_HOURS: Limit = Limit {
    setting: Setting::LeaseHours,
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

    #[test]
    fn every_setting_has_its_own_limit_and_its_wire_name() {
        for setting in Setting::ALL {
            assert_eq!(setting.limit().setting, setting);
            assert_eq!(
                serde_json::to_value(setting).ok(),
                Some(serde_json::Value::from(setting.name()))
            );
        }
    }
}
