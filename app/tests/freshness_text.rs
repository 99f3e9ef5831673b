//! The "how fresh is my data" line, in Belgian time, and the Brussels summer-time rules: the
//! domain decides what it says, the app says it.
#![allow(clippy::unwrap_used)]

use kluis_app::state::i18n::Lang;
use kluis_app::state::texts::freshness_words;
use kluis_domain::freshness::{FreshnessState, brussels_offset_minutes};
use kluis_domain::time::{Date, Timestamp};

struct Line {
    text: String,
    state: FreshnessState,
}

fn freshness(
    now: Timestamp,
    last: Option<Timestamp>,
    online: bool,
    lease_hours: u32,
    lang: Lang,
) -> Line {
    let f = kluis_domain::freshness::freshness(now, last, online, lease_hours);
    Line {
        text: freshness_words(&f.said, lang),
        state: f.state,
    }
}

const MIN: i64 = 60_000;
const HOUR: i64 = 60 * MIN;

/// An instant given in UTC.
fn utc(y: i32, mo: u8, d: u8, h: i64, mi: i64) -> Timestamp {
    Date::new(y, mo, d)
        .unwrap()
        .start_utc()
        .plus_millis(h * HOUR + mi * MIN)
}

fn line(now: Timestamp, last: Timestamp, online: bool, lang: Lang) -> (String, FreshnessState) {
    let Line { text, state } = freshness(now, Some(last), online, 72, lang);
    (text, state)
}

#[test]
fn summer_time_switches_of_2025_to_2027() {
    // (last Sunday of March, last Sunday of October)
    for (year, march, october) in [(2025, 30, 26), (2026, 29, 25), (2027, 28, 31)] {
        let spring = utc(year, 3, march, 1, 0);
        let autumn = utc(year, 10, october, 1, 0);
        assert_eq!(
            brussels_offset_minutes(spring.plus_millis(-1)),
            60,
            "{year}"
        );
        assert_eq!(brussels_offset_minutes(spring), 120, "{year}");
        assert_eq!(
            brussels_offset_minutes(autumn.plus_millis(-1)),
            120,
            "{year}"
        );
        assert_eq!(brussels_offset_minutes(autumn), 60, "{year}");
        // A week either side of each switch, same wall-clock hour.
        assert_eq!(brussels_offset_minutes(spring.plus_days(-7)), 60);
        assert_eq!(brussels_offset_minutes(spring.plus_days(7)), 120);
        assert_eq!(brussels_offset_minutes(autumn.plus_days(-7)), 120);
        assert_eq!(brussels_offset_minutes(autumn.plus_days(7)), 60);
    }
    assert_eq!(brussels_offset_minutes(utc(2026, 1, 1, 0, 0)), 60);
    assert_eq!(brussels_offset_minutes(utc(2026, 7, 15, 12, 0)), 120);
    assert_eq!(brussels_offset_minutes(utc(2026, 12, 31, 23, 30)), 60);
}

#[test]
fn online_and_recent() {
    let now = utc(2026, 11, 22, 9, 30);
    let cases = [
        (0, "Bijgewerkt zonet", "Updated just now"),
        (59 * 1000, "Bijgewerkt zonet", "Updated just now"),
        (MIN, "Bijgewerkt 1 min geleden", "Updated 1 min ago"),
        (
            3 * MIN + 59_000,
            "Bijgewerkt 3 min geleden",
            "Updated 3 min ago",
        ),
        (59 * MIN, "Bijgewerkt 59 min geleden", "Updated 59 min ago"),
    ];
    for (age, nl, en) in cases {
        let last = now.plus_millis(-age);
        assert_eq!(
            line(now, last, true, Lang::Nl),
            (nl.into(), FreshnessState::Fresh)
        );
        assert_eq!(
            line(now, last, true, Lang::En),
            (en.into(), FreshnessState::Fresh)
        );
    }
}

#[test]
fn online_but_not_synced_lately_is_stale() {
    let now = utc(2026, 11, 22, 9, 30);
    let cases = [
        (HOUR, "Bijgewerkt 1 uur geleden", "Updated 1 hour ago"),
        (
            2 * HOUR + 59 * MIN,
            "Bijgewerkt 2 uur geleden",
            "Updated 2 hours ago",
        ),
        (
            23 * HOUR,
            "Bijgewerkt 23 uur geleden",
            "Updated 23 hours ago",
        ),
        // Past a day the moment itself: 2026-11-21 08:30 UTC is 09:30 in Brussels.
        (
            25 * HOUR,
            "Bijgewerkt gisteren 09:30",
            "Updated yesterday 09:30",
        ),
        (50 * HOUR, "Bijgewerkt 20/11 08:30", "Updated 20/11 08:30"),
    ];
    for (age, nl, en) in cases {
        let last = now.plus_millis(-age);
        assert_eq!(
            line(now, last, true, Lang::Nl),
            (nl.into(), FreshnessState::Stale)
        );
        assert_eq!(
            line(now, last, true, Lang::En),
            (en.into(), FreshnessState::Stale)
        );
    }
}

#[test]
fn offline_today_yesterday_and_a_date() {
    let now = utc(2026, 11, 14, 10, 0); // 11:00 in Brussels
    let cases = [
        (utc(2026, 11, 14, 9, 55), "vandaag 10:55", "today 10:55"),
        (
            utc(2026, 11, 13, 16, 40),
            "gisteren 17:40",
            "yesterday 17:40",
        ),
        (utc(2026, 11, 12, 16, 40), "12/11 17:40", "12/11 17:40"),
    ];
    for (last, nl, en) in cases {
        assert_eq!(
            line(now, last, false, Lang::Nl),
            (
                format!("Offline — gegevens van {nl}"),
                FreshnessState::Stale
            )
        );
        assert_eq!(
            line(now, last, false, Lang::En),
            (format!("Offline — data from {en}"), FreshnessState::Stale)
        );
    }
    // Day without a leading zero, month with one, as Belgians write it; the year when it
    // is not this year's.
    let jan = line(
        utc(2026, 1, 5, 9, 0),
        utc(2026, 1, 3, 16, 40),
        false,
        Lang::Nl,
    );
    assert_eq!(jan.0, "Offline — gegevens van 3/01 17:40");
    let new_year = line(
        utc(2026, 1, 1, 10, 0),
        utc(2025, 12, 30, 16, 40),
        false,
        Lang::Nl,
    );
    assert_eq!(new_year.0, "Offline — gegevens van 30/12/2025 17:40");
    let eve = line(
        utc(2026, 1, 1, 10, 0),
        utc(2025, 12, 31, 16, 40),
        false,
        Lang::En,
    );
    assert_eq!(eve.0, "Offline — data from yesterday 17:40");
}

#[test]
fn today_and_yesterday_follow_the_brussels_calendar() {
    // 22:50 UTC on the 21st is 23:50 in Brussels; 23:30 UTC is already 00:30 on the 22nd.
    let (text, _) = line(
        utc(2026, 11, 21, 23, 30),
        utc(2026, 11, 21, 22, 50),
        false,
        Lang::Nl,
    );
    assert_eq!(text, "Offline — gegevens van gisteren 23:50");
    // In summer 22:30 UTC on 1 July is 00:30 on 2 July in Brussels.
    let (text, _) = line(
        utc(2026, 7, 2, 8, 0),
        utc(2026, 7, 1, 22, 30),
        false,
        Lang::En,
    );
    assert_eq!(text, "Offline — data from today 00:30");
    let (text, _) = line(
        utc(2026, 7, 2, 8, 0),
        utc(2026, 7, 1, 21, 59),
        false,
        Lang::En,
    );
    assert_eq!(text, "Offline — data from yesterday 23:59");
}

#[test]
fn wall_clock_times_around_the_switches() {
    let offline = |last: Timestamp| line(last.plus_millis(5 * MIN), last, false, Lang::Nl).0;
    // Spring 2026: 01:59 CET is followed by 03:00 CEST.
    assert_eq!(
        offline(utc(2026, 3, 29, 0, 59)),
        "Offline — gegevens van vandaag 01:59"
    );
    assert_eq!(
        offline(utc(2026, 3, 29, 1, 0)),
        "Offline — gegevens van vandaag 03:00"
    );
    // Autumn 2026: 02:30 happens twice, first in CEST then in CET.
    assert_eq!(
        offline(utc(2026, 10, 25, 0, 30)),
        "Offline — gegevens van vandaag 02:30"
    );
    assert_eq!(
        offline(utc(2026, 10, 25, 1, 30)),
        "Offline — gegevens van vandaag 02:30"
    );
    assert_eq!(
        offline(utc(2026, 10, 25, 2, 0)),
        "Offline — gegevens van vandaag 03:00"
    );
    // Autumn 2027 falls on 31 October; spring 2025 on 30 March.
    assert_eq!(
        offline(utc(2027, 10, 31, 0, 59)),
        "Offline — gegevens van vandaag 02:59"
    );
    assert_eq!(
        offline(utc(2027, 10, 31, 1, 0)),
        "Offline — gegevens van vandaag 02:00"
    );
    assert_eq!(
        offline(utc(2025, 3, 30, 1, 0)),
        "Offline — gegevens van vandaag 03:00"
    );
    // "gisteren" across the night of a switch: 23:00 CET Saturday, now 09:00 CEST Sunday.
    let (text, _) = line(
        utc(2026, 3, 29, 7, 0),
        utc(2026, 3, 28, 22, 0),
        false,
        Lang::Nl,
    );
    assert_eq!(text, "Offline — gegevens van gisteren 23:00");
}

#[test]
fn lease_expired_online_or_offline() {
    let now = utc(2026, 11, 22, 9, 30);
    let nl = "Maak even verbinding: je gegevens zijn ouder dan 72 uur";
    let en = "Connect briefly: your data is older than 72 hours";
    let old = now.plus_millis(-72 * HOUR - 1);
    for online in [false, true] {
        assert_eq!(
            line(now, old, online, Lang::Nl),
            (nl.into(), FreshnessState::Expired)
        );
        assert_eq!(
            line(now, old, online, Lang::En),
            (en.into(), FreshnessState::Expired)
        );
    }
    // Exactly at the lease it is still shown.
    let edge = now.plus_millis(-72 * HOUR);
    assert_eq!(line(now, edge, false, Lang::Nl).1, FreshnessState::Stale);
    let short = freshness(now, Some(now.plus_millis(-2 * HOUR)), true, 1, Lang::En);
    assert_eq!(
        short.text,
        "Connect briefly: your data is older than 1 hour"
    );
    assert_eq!(short.state, FreshnessState::Expired);
    let long = freshness(
        now,
        Some(now.plus_millis(-100 * HOUR)),
        false,
        168,
        Lang::Nl,
    );
    assert_eq!(long.state, FreshnessState::Stale);
}

#[test]
fn never_synced() {
    let now = utc(2026, 11, 22, 9, 30);
    for online in [false, true] {
        for lang in [Lang::Nl, Lang::En] {
            let f = freshness(now, None, online, 72, lang);
            assert_eq!(f.state, FreshnessState::Never);
            assert!(!f.text.is_empty());
            assert_eq!(f.text.starts_with("Offline"), !online);
        }
    }
    assert_eq!(
        freshness(now, None, true, 72, Lang::Nl).text,
        "Nog niet bijgewerkt"
    );
}

#[test]
fn a_sync_time_in_the_future_counts_as_just_now() {
    let now = utc(2026, 11, 22, 9, 30);
    let ahead = now.plus_millis(10 * MIN);
    assert_eq!(
        line(now, ahead, true, Lang::Nl),
        ("Bijgewerkt zonet".into(), FreshnessState::Fresh)
    );
    assert_eq!(Lang::default(), Lang::Nl);
}
