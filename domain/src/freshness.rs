//! "Trust is visible": the line that tells a carer how fresh the codes on the phone are.
//!
//! The wording follows UI.md. Times are Belgian wall-clock times, because "gisteren 17:40" must
//! mean what the carer remembers, whatever the phone's time zone setting; the Brussels rules
//! are computed here rather than read from the device.

use serde::{Deserialize, Serialize};

use crate::time::{Date, Timestamp, Weekday, days_in_month};

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// Online but not synced for longer than this means syncing is failing: shown as
/// [`FreshnessState::Stale`] although the phone has a connection.
pub const FRESH_FOR_MINUTES: i64 = 60;

/// The language of the texts; nl-BE first.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Nl,
    En,
}

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

/// The freshness line: what to show and how to style it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Freshness {
    pub text: String,
    pub state: FreshnessState,
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

/// "vandaag 17:40", "gisteren 17:40" or "12/11 17:40" (Belgian day/month; the year is added
/// when it is not the current one), decided on the Brussels calendar.
fn when(then: Timestamp, now: Timestamp, lang: Lang) -> String {
    let (date, h, m) = brussels_local(then);
    let (today, _, _) = brussels_local(now);
    let day = if date == today {
        match lang {
            Lang::Nl => "vandaag".to_owned(),
            Lang::En => "today".to_owned(),
        }
    } else if date == today.add_days(-1) {
        match lang {
            Lang::Nl => "gisteren".to_owned(),
            Lang::En => "yesterday".to_owned(),
        }
    } else if date.year == today.year {
        format!("{}/{:02}", date.day, date.month)
    } else {
        format!("{}/{:02}/{}", date.day, date.month, date.year)
    };
    format!("{day} {h:02}:{m:02}")
}

fn hours_en(n: i64) -> &'static str {
    if n == 1 { "hour" } else { "hours" }
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
    lang: Lang,
) -> Freshness {
    let Some(last) = last_sync else {
        let text = match (online, lang) {
            (true, Lang::Nl) => "Nog niet bijgewerkt",
            (true, Lang::En) => "Not updated yet",
            (false, Lang::Nl) => "Offline — nog geen gegevens: maak even verbinding",
            (false, Lang::En) => "Offline — no data yet: connect briefly",
        };
        return Freshness {
            text: text.to_owned(),
            state: FreshnessState::Never,
        };
    };
    let age = now.millis().saturating_sub(last.millis()).max(0);
    let lease = i64::from(lease_hours);
    if age > lease * HOUR {
        let text = match lang {
            Lang::Nl => format!("Maak even verbinding: je gegevens zijn ouder dan {lease} uur"),
            Lang::En => format!(
                "Connect briefly: your data is older than {lease} {}",
                hours_en(lease)
            ),
        };
        return Freshness {
            text,
            state: FreshnessState::Expired,
        };
    }
    if !online {
        let text = match lang {
            Lang::Nl => format!("Offline — gegevens van {}", when(last, now, lang)),
            Lang::En => format!("Offline — data from {}", when(last, now, lang)),
        };
        return Freshness {
            text,
            state: FreshnessState::Stale,
        };
    }
    let (minutes, hours) = (age / MINUTE, age / HOUR);
    let text = match lang {
        Lang::Nl if minutes == 0 => "Bijgewerkt zonet".to_owned(),
        Lang::En if minutes == 0 => "Updated just now".to_owned(),
        Lang::Nl if hours == 0 => format!("Bijgewerkt {minutes} min geleden"),
        Lang::En if hours == 0 => format!("Updated {minutes} min ago"),
        Lang::Nl if age < DAY => format!("Bijgewerkt {hours} uur geleden"),
        Lang::En if age < DAY => format!("Updated {hours} {} ago", hours_en(hours)),
        // Past a day, "30 uur geleden" is harder to place than the moment itself.
        Lang::Nl => format!("Bijgewerkt {}", when(last, now, lang)),
        Lang::En => format!("Updated {}", when(last, now, lang)),
    };
    let state = if minutes < FRESH_FOR_MINUTES {
        FreshnessState::Fresh
    } else {
        FreshnessState::Stale
    };
    Freshness { text, state }
}
