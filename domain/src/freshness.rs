//! "Trust is visible": what the line that tells a carer how fresh the codes on the phone are
//! says, as values; the app puts it in words (UI.md's wording, `app/src/state/texts.rs`).
//! Times are Belgian wall-clock times, because "gisteren 17:40" must mean what the carer
//! remembers, whatever the phone's time zone setting; the Brussels rules are computed here
//! rather than read from the device.

use serde::{Deserialize, Serialize};

use crate::time::{Date, Timestamp, Weekday, days_in_month};

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// Online but not synced for longer than this means syncing is failing: shown as
/// [`FreshnessState::Stale`] although the phone has a connection.
pub const FRESH_FOR_MINUTES: i64 = 60;

/// How far the data on the phone can be trusted.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FreshnessState {
    /// Online and synced within [`FRESH_FOR_MINUTES`].
    Fresh,
    /// Offline, or online while syncing has not succeeded lately; still within the lease.
    Stale,
    /// Older than the lease: the app no longer shows codes until it syncs.
    Expired,
    /// Never synced: there is nothing to show yet.
    Never,
}

/// The freshness line: what to say and how to style it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Freshness {
    pub said: Said,
    pub state: FreshnessState,
}

/// What the freshness line says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Said {
    /// Online, never synced: "Nog niet bijgewerkt".
    NotYet,
    /// Offline, never synced: nothing to show until the phone connects.
    NothingOffline,
    /// Older than the lease (its hours).
    Expired {
        lease_hours: u32,
    },
    /// Offline, data from this moment.
    Offline {
        from: Moment,
    },
    /// Online and synced within the minute.
    JustNow,
    MinutesAgo(i64),
    HoursAgo(i64),
    /// Online, synced more than a day ago: the moment itself is easier to place.
    UpdatedAt(Moment),
}

/// A Brussels wall-clock moment as a carer places it: "vandaag 17:40", "12/11 17:40".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Moment {
    pub day: Day,
    pub hour: u8,
    pub minute: u8,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Day {
    Today,
    Yesterday,
    /// Earlier this year: said without the year.
    ThisYear {
        day: u8,
        month: u8,
    },
    Other(Date),
}

/// The UTC offset of Belgian civil time at `t`, in minutes: 120 (CEST) from the last Sunday
/// of March 01:00 UTC until the last Sunday of October 01:00 UTC, else 60 (CET). These are
/// the EU rules in force since 1996; earlier years are not needed.
pub fn brussels_offset_minutes(t: Timestamp) -> i32 {
    let year = t.date_utc().year;
    let summer_from = last_sunday(year, 3).start_utc().plus_millis(HOUR);
    let summer_until = last_sunday(year, 10).start_utc().plus_millis(HOUR);
    if summer_from <= t && t < summer_until {
        120
    } else {
        60
    }
}

fn last_sunday(year: i32, month: u8) -> Date {
    let last = Date {
        year,
        month,
        day: days_in_month(year, month),
    };
    let back = match last.weekday() {
        Weekday::Sun => 0,
        Weekday::Mon => 1,
        Weekday::Tue => 2,
        Weekday::Wed => 3,
        Weekday::Thu => 4,
        Weekday::Fri => 5,
        Weekday::Sat => 6,
    };
    last.add_days(-back)
}

/// Brussels calendar date, hour and minute of `t`.
fn brussels_local(t: Timestamp) -> (Date, i64, i64) {
    let local = t.plus_millis(i64::from(brussels_offset_minutes(t)) * MINUTE);
    let ms = local.millis().rem_euclid(DAY);
    (local.date_utc(), ms / HOUR, ms / MINUTE % 60)
}

/// The Brussels moment of `then`, its day relative to `now`'s Brussels calendar.
fn moment(then: Timestamp, now: Timestamp) -> Moment {
    let (date, h, m) = brussels_local(then);
    let (today, _, _) = brussels_local(now);
    let day = if date == today {
        Day::Today
    } else if date == today.add_days(-1) {
        Day::Yesterday
    } else if date.year == today.year {
        Day::ThisYear {
            day: date.day,
            month: date.month,
        }
    } else {
        Day::Other(date)
    };
    Moment {
        day,
        // An hour of the day is below 24 and a minute below 60.
        hour: u8::try_from(h).unwrap_or(0),
        minute: u8::try_from(m).unwrap_or(0),
    }
}

/// The freshness line for data last synced at `last_sync`.
///
/// A sync time in the future (the phone's clock was wrong) counts as just now. Data older than
/// `lease_hours` is [`FreshnessState::Expired`] even when online: until a sync succeeds it may
/// hold revoked or changed codes.
pub fn freshness(
    now: Timestamp,
    last_sync: Option<Timestamp>,
    online: bool,
    lease_hours: u32,
) -> Freshness {
    let Some(last) = last_sync else {
        return Freshness {
            said: if online {
                Said::NotYet
            } else {
                Said::NothingOffline
            },
            state: FreshnessState::Never,
        };
    };
    let age = now.millis().saturating_sub(last.millis()).max(0);
    if age > i64::from(lease_hours) * HOUR {
        return Freshness {
            said: Said::Expired { lease_hours },
            state: FreshnessState::Expired,
        };
    }
    if !online {
        return Freshness {
            said: Said::Offline {
                from: moment(last, now),
            },
            state: FreshnessState::Stale,
        };
    }
    let (minutes, hours) = (age / MINUTE, age / HOUR);
    let said = if minutes == 0 {
        Said::JustNow
    } else if hours == 0 {
        Said::MinutesAgo(minutes)
    } else if age < DAY {
        Said::HoursAgo(hours)
    } else {
        Said::UpdatedAt(moment(last, now))
    };
    let state = if minutes < FRESH_FOR_MINUTES {
        FreshnessState::Fresh
    } else {
        FreshnessState::Stale
    };
    Freshness { said, state }
}
