//! Instants and civil dates without a clock.
//!
//! The caller reads the clock and passes a [`Timestamp`] in. Calendar arithmetic uses Howard
//! Hinnant's `days_from_civil` / `civil_from_days` algorithms (proleptic Gregorian calendar),
//! which are exact for every date an `i64` of milliseconds can reach.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::DomainError;

const MILLIS_PER_DAY: i64 = 86_400_000;

/// Milliseconds since 1970-01-01T00:00:00Z. Serialized as a plain integer.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(i64);

impl Timestamp {
    /// The instant `millis` milliseconds after the Unix epoch.
    pub const fn from_millis(millis: i64) -> Self {
        Timestamp(millis)
    }

    /// Milliseconds since the Unix epoch.
    pub const fn millis(self) -> i64 {
        self.0
    }

    /// This instant moved by `millis` (negative moves back); saturates instead of overflowing.
    pub const fn plus_millis(self, millis: i64) -> Self {
        Timestamp(self.0.saturating_add(millis))
    }

    /// This instant moved by whole 24-hour days; saturates instead of overflowing.
    pub const fn plus_days(self, days: i64) -> Self {
        self.plus_millis(days.saturating_mul(MILLIS_PER_DAY))
    }

    /// The UTC calendar date of this instant.
    pub fn date_utc(self) -> Date {
        Date::from_days_since_epoch(self.0.div_euclid(MILLIS_PER_DAY))
    }
}

impl fmt::Display for Timestamp {
    /// ISO 8601 in UTC, e.g. `2026-11-22T09:30:00.000Z`, for logs and exports.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.0.rem_euclid(MILLIS_PER_DAY);
        let (h, m, s, milli) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
        write!(f, "{}T{h:02}:{m:02}:{s:02}.{milli:03}Z", self.date_utc())
    }
}

/// A day of the week.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Weekday {
    /// Monday.
    Mon,
    /// Tuesday.
    Tue,
    /// Wednesday.
    Wed,
    /// Thursday.
    Thu,
    /// Friday.
    Fri,
    /// Saturday.
    Sat,
    /// Sunday.
    Sun,
}

impl Weekday {
    /// Saturday or Sunday.
    pub const fn is_weekend(self) -> bool {
        matches!(self, Weekday::Sat | Weekday::Sun)
    }
}

/// A civil (calendar) date. Serialized as `"YYYY-MM-DD"`.
///
/// The fields are public for convenient reading; build dates through [`Date::new`] or parsing so
/// they are valid. Ordering is chronological (year, then month, then day).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    /// The year, e.g. 2026.
    pub year: i32,
    /// The month, 1-12.
    pub month: u8,
    /// The day of the month, 1-31.
    pub day: u8,
}

/// Whether `year` has a 29 February.
pub const fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// The number of days in `month` (1-12) of `year`; 0 for an invalid month.
pub const fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// A validated date.
    pub fn new(year: i32, month: u8, day: u8) -> Result<Self, DomainError> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(DomainError::InvalidDate(format!(
                "{year:04}-{month:02}-{day:02} does not exist"
            )));
        }
        Ok(Date { year, month, day })
    }

    /// Days since 1970-01-01 (negative before it).
    pub fn days_since_epoch(self) -> i64 {
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01.
    pub fn from_days_since_epoch(days: i64) -> Self {
        let z = days.saturating_add(719_468);
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date {
            // Only the saturated extremes fall outside i32; clamping them is harmless.
            year: i32::try_from(year).unwrap_or(if year < 0 { i32::MIN } else { i32::MAX }),
            month: u8::try_from(month).unwrap_or(1),
            day: u8::try_from(day).unwrap_or(1),
        }
    }

    /// The date `days` days later (earlier when negative).
    pub fn add_days(self, days: i64) -> Self {
        Date::from_days_since_epoch(self.days_since_epoch().saturating_add(days))
    }

    /// Whole days from `self` to `later` (negative if `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later.days_since_epoch() - self.days_since_epoch()
    }

    /// The day of the week.
    pub fn weekday(self) -> Weekday {
        // 1970-01-01 was a Thursday, index 3 counting from Monday.
        match (self.days_since_epoch() + 3).rem_euclid(7) {
            0 => Weekday::Mon,
            1 => Weekday::Tue,
            2 => Weekday::Wed,
            3 => Weekday::Thu,
            4 => Weekday::Fri,
            5 => Weekday::Sat,
            _ => Weekday::Sun,
        }
    }

    /// Midnight UTC at the start of this date.
    pub fn start_utc(self) -> Timestamp {
        Timestamp::from_millis(self.days_since_epoch().saturating_mul(MILLIS_PER_DAY))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = DomainError;

    /// Parses exactly `YYYY-MM-DD` (years 0000-9999), the format the apps store and show.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let invalid = || DomainError::InvalidDate(format!("'{s}' is not a YYYY-MM-DD date"));
        let b = s.as_bytes();
        let shape_ok = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape_ok {
            return Err(invalid());
        }
        let year = s[0..4].parse().map_err(|_| invalid())?;
        let month = s[5..7].parse().map_err(|_| invalid())?;
        let day = s[8..10].parse().map_err(|_| invalid())?;
        Date::new(year, month, day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn known_weekdays() {
        assert_eq!(d("1970-01-01").weekday(), Weekday::Thu);
        assert_eq!(d("2026-11-22").weekday(), Weekday::Sun);
        assert_eq!(d("2024-02-29").weekday(), Weekday::Thu);
        assert_eq!(d("2000-01-01").weekday(), Weekday::Sat);
        assert_eq!(d("1969-12-31").weekday(), Weekday::Wed);
    }

    #[test]
    fn epoch_and_round_trips() {
        assert_eq!(d("1970-01-01").days_since_epoch(), 0);
        assert_eq!(d("2000-03-01").days_since_epoch(), 11_017);
        // The string form covers years 0000-9999.
        for days in (-719_000..2_900_000).step_by(997) {
            let date = Date::from_days_since_epoch(days);
            assert_eq!(date.days_since_epoch(), days);
            assert_eq!(d(&date.to_string()).days_since_epoch(), days, "{date}");
        }
    }

    #[test]
    fn leap_years() {
        assert!(is_leap_year(2024) && is_leap_year(2000) && !is_leap_year(1900));
        assert!(!is_leap_year(2026));
        assert!("2024-02-29".parse::<Date>().is_ok());
        assert!("2026-02-29".parse::<Date>().is_err());
        assert!("1900-02-29".parse::<Date>().is_err());
        assert_eq!(d("2024-02-28").add_days(1), d("2024-02-29"));
        assert_eq!(d("2024-02-29").add_days(1), d("2024-03-01"));
        assert_eq!(d("2024-12-31").add_days(1), d("2025-01-01"));
        assert_eq!(d("2025-01-01").add_days(-1), d("2024-12-31"));
    }

    #[test]
    fn parse_rejects_garbage() {
        for bad in [
            "",
            "2026-1-22",
            "2026/11/22",
            "2026-13-01",
            "2026-04-31",
            "+026-01-01",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
    }

    #[test]
    fn ordering_and_timestamps() {
        assert!(d("2025-12-31") < d("2026-01-01"));
        assert!(d("2026-02-01") > d("2026-01-31"));
        let t = Timestamp::from_millis(1_795_305_600_000 + 3_600_000);
        assert_eq!(t.date_utc(), d("2026-11-22"));
        assert_eq!(t.to_string(), "2026-11-22T01:00:00.000Z");
        assert_eq!(Timestamp::from_millis(-1).date_utc(), d("1969-12-31"));
        assert_eq!(t.plus_days(10).date_utc(), d("2026-12-02"));
        assert_eq!(d("2026-11-22").start_utc().millis(), 1_795_305_600_000);
        assert_eq!(d("2026-11-22").days_until(d("2026-12-02")), 10);
    }

    #[test]
    fn serde_formats() {
        let date = d("2026-11-22");
        assert_eq!(serde_json::to_string(&date).unwrap(), "\"2026-11-22\"");
        assert_eq!(
            serde_json::from_str::<Date>("\"2026-11-22\"").unwrap(),
            date
        );
        assert!(serde_json::from_str::<Date>("\"2026-02-30\"").is_err());
        let t = Timestamp::from_millis(12);
        assert_eq!(serde_json::to_string(&t).unwrap(), "12");
    }
}
