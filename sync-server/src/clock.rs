//! The server's one source of the time of day. Handlers ask the state's [`Clock`], never the
//! operating system, so a test can start the server on a date of its choosing and move it on
//! (a deadline five working days ahead, a grace period ending, a session running out).

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Instant;

use kluis_domain::time::{Date, Timestamp};

/// A cheap handle: every clone reads (and moves) the same clock.
#[derive(Clone)]
pub struct Clock(Arc<Source>);

enum Source {
    System,
    /// Runs on from `start` as real time passes, plus whatever the test moved it by.
    Set {
        start: Timestamp,
        since: Instant,
        moved_ms: AtomicI64,
    },
}

impl Clock {
    /// The operating system's clock: what a served city runs on.
    pub fn system() -> Self {
        Clock(Arc::new(Source::System))
    }

    /// A clock that reads `start` now and runs on from there.
    pub fn starting_at(start: Timestamp) -> Self {
        Clock(Arc::new(Source::Set {
            start,
            since: Instant::now(),
            moved_ms: AtomicI64::new(0),
        }))
    }

    /// A clock that reads 09:00 Belgian time (08:00 UTC in winter, 07:00 in summer) on `day`.
    pub fn starting_on(day: Date) -> Self {
        let utc_midnight = day.start_utc();
        let offset = kluis_domain::freshness::brussels_offset_minutes(utc_midnight);
        let nine = utc_midnight.plus_millis((9 * 60 - i64::from(offset)) * 60_000);
        Self::starting_at(nine)
    }

    pub fn now(&self) -> Timestamp {
        match &*self.0 {
            Source::System => system_now(),
            Source::Set {
                start,
                since,
                moved_ms,
            } => {
                let ran = i64::try_from(since.elapsed().as_millis()).unwrap_or(i64::MAX);
                start
                    .plus_millis(ran)
                    .plus_millis(moved_ms.load(Ordering::Relaxed))
            }
        }
    }

    /// The calendar date in Ghent now.
    pub fn today(&self) -> Date {
        today_in_ghent(self.now())
    }

    /// Moves a set clock on by `ms`. The system clock cannot be moved: returns false.
    pub fn advance_millis(&self, ms: i64) -> bool {
        match &*self.0 {
            Source::System => false,
            Source::Set { moved_ms, .. } => {
                moved_ms.fetch_add(ms, Ordering::Relaxed);
                true
            }
        }
    }

    pub fn advance_days(&self, days: i64) -> bool {
        self.advance_millis(days * 86_400_000)
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &*self.0 {
            Source::System => f.write_str("Clock::System"),
            Source::Set { .. } => write!(f, "Clock::Set({})", self.now().millis()),
        }
    }
}

fn system_now() -> Timestamp {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    Timestamp::from_millis(ms)
}

/// The calendar date in Ghent at `t`: working days and due dates follow local days, and
/// UTC is an hour or two behind.
pub fn today_in_ghent(t: Timestamp) -> Date {
    let offset = kluis_domain::freshness::brussels_offset_minutes(t);
    t.plus_millis(i64::from(offset) * 60_000).date_utc()
}

/// The first moment of `day` in Ghent: where a period of days starts.
pub fn ghent_day_start(day: Date) -> Timestamp {
    let utc_midnight = day.start_utc();
    // The offset at UTC midnight is the day's offset: Belgium switches at 02:00/03:00.
    let offset = kluis_domain::freshness::brussels_offset_minutes(utc_midnight);
    utc_midnight.plus_millis(-i64::from(offset) * 60_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_clock_reads_its_day_and_moves_on_when_told() {
        let day: Date = "2026-03-02".parse().expect("date");
        let clock = Clock::starting_on(day);
        assert_eq!(clock.today(), day);
        let copy = clock.clone();
        assert!(copy.advance_days(3));
        assert_eq!(clock.today(), day.add_days(3), "clones share one clock");
        assert!(!Clock::system().advance_days(1));
    }

    #[test]
    fn nine_in_the_morning_in_summer_and_winter() {
        for (day, utc_hour) in [("2026-07-01", 7), ("2026-12-01", 8)] {
            let day: Date = day.parse().expect("date");
            let t = Clock::starting_on(day).now();
            let hour = (t.millis() - day.start_utc().millis()) / 3_600_000;
            assert_eq!(hour, utc_hour, "{day}");
        }
    }

    #[test]
    fn a_ghent_day_starts_at_local_midnight() {
        for (day, utc_hour_before) in [("2026-07-01", 22), ("2026-12-01", 23)] {
            let day: Date = day.parse().expect("date");
            let start = ghent_day_start(day);
            assert_eq!(today_in_ghent(start), day);
            assert_eq!(today_in_ghent(start.plus_millis(-1)), day.add_days(-1));
            let hour = (start.millis() - day.add_days(-1).start_utc().millis()) / 3_600_000;
            assert_eq!(hour, utc_hour_before, "{day}");
        }
    }
}
