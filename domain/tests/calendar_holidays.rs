//! Easter and the Belgian public holidays against published dates.
#![allow(clippy::unwrap_used)]

use kluis_domain::calendar::{
    NonWorkingReason, WorkingCalendar, belgian_public_holiday, belgian_public_holidays,
    easter_sunday,
};
use kluis_domain::time::{Date, Weekday};

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

/// Easter Sunday 2000-2030 (Western churches), plus the earliest and latest possible dates.
#[test]
fn easter_matches_published_dates() {
    let known = [
        (2000, 4, 23),
        (2001, 4, 15),
        (2002, 3, 31),
        (2003, 4, 20),
        (2004, 4, 11),
        (2005, 3, 27),
        (2006, 4, 16),
        (2007, 4, 8),
        (2008, 3, 23),
        (2009, 4, 12),
        (2010, 4, 4),
        (2011, 4, 24),
        (2012, 4, 8),
        (2013, 3, 31),
        (2014, 4, 20),
        (2015, 4, 5),
        (2016, 3, 27),
        (2017, 4, 16),
        (2018, 4, 1),
        (2019, 4, 21),
        (2020, 4, 12),
        (2021, 4, 4),
        (2022, 4, 17),
        (2023, 4, 9),
        (2024, 3, 31),
        (2025, 4, 20),
        (2026, 4, 5),
        (2027, 3, 28),
        (2028, 4, 16),
        (2029, 4, 1),
        (2030, 4, 21),
        // The extremes: 22 March (1818, 2285) and 25 April (1943, 2038).
        (1818, 3, 22),
        (2285, 3, 22),
        (1943, 4, 25),
        (2038, 4, 25),
    ];
    for (year, month, day) in known {
        assert_eq!(
            easter_sunday(year),
            Date::new(year, month, day).unwrap(),
            "{year}"
        );
    }
}

#[test]
fn easter_is_a_sunday_between_22_march_and_25_april() {
    for year in (1583..3000).chain([-400, -1, 0, 1, 100_000]) {
        let easter = easter_sunday(year);
        assert_eq!(easter.weekday(), Weekday::Sun, "{year}");
        assert!(
            Date::new(year, 3, 22).unwrap() <= easter && easter <= Date::new(year, 4, 25).unwrap(),
            "{easter}"
        );
    }
}

fn expected(year: i32, dates: [&str; 10]) -> Vec<(Date, &'static str)> {
    let names = [
        "Nieuwjaar",
        "Paasmaandag",
        "Dag van de Arbeid",
        "O.L.H. Hemelvaart",
        "Pinkstermaandag",
        "Nationale feestdag",
        "O.L.V. Hemelvaart",
        "Allerheiligen",
        "Wapenstilstand",
        "Kerstmis",
    ];
    dates
        .iter()
        .zip(names)
        .map(|(date, name)| {
            let date = d(date);
            assert_eq!(date.year, year);
            (date, name)
        })
        .collect()
}

#[test]
fn belgian_holidays_2025() {
    let want = expected(
        2025,
        [
            "2025-01-01",
            "2025-04-21",
            "2025-05-01",
            "2025-05-29",
            "2025-06-09",
            "2025-07-21",
            "2025-08-15",
            "2025-11-01",
            "2025-11-11",
            "2025-12-25",
        ],
    );
    assert_eq!(belgian_public_holidays(2025), want);
}

#[test]
fn belgian_holidays_2026() {
    let want = expected(
        2026,
        [
            "2026-01-01",
            "2026-04-06",
            "2026-05-01",
            "2026-05-14",
            "2026-05-25",
            "2026-07-21",
            "2026-08-15",
            "2026-11-01",
            "2026-11-11",
            "2026-12-25",
        ],
    );
    assert_eq!(belgian_public_holidays(2026), want);
}

#[test]
fn belgian_holidays_2027() {
    // Easter 28 March: Easter Monday is still in March, Ascension on 6 May.
    let want = expected(
        2027,
        [
            "2027-01-01",
            "2027-03-29",
            "2027-05-01",
            "2027-05-06",
            "2027-05-17",
            "2027-07-21",
            "2027-08-15",
            "2027-11-01",
            "2027-11-11",
            "2027-12-25",
        ],
    );
    assert_eq!(belgian_public_holidays(2027), want);
}

#[test]
fn movable_holidays_fall_on_their_weekdays() {
    for year in 1990..2100 {
        let holidays = belgian_public_holidays(year);
        assert_eq!(holidays.len(), 10);
        assert!(
            holidays.windows(2).all(|w| w[0].0 <= w[1].0),
            "{year} sorted"
        );
        for (date, name) in holidays {
            let want = match name {
                "Paasmaandag" | "Pinkstermaandag" => Some(Weekday::Mon),
                "O.L.H. Hemelvaart" => Some(Weekday::Thu),
                _ => None,
            };
            if let Some(want) = want {
                assert_eq!(date.weekday(), want, "{name} {date}");
            }
        }
    }
}

#[test]
fn ascension_on_labour_day_keeps_both_entries() {
    // 2008: Easter 23 March, so Ascension fell on 1 May.
    let holidays = belgian_public_holidays(2008);
    assert_eq!(holidays.len(), 10);
    let on_may_1: Vec<_> = holidays
        .iter()
        .filter(|(date, _)| *date == d("2008-05-01"))
        .map(|&(_, name)| name)
        .collect();
    assert_eq!(on_may_1, ["Dag van de Arbeid", "O.L.H. Hemelvaart"]);
    assert_eq!(
        belgian_public_holiday(d("2008-05-01")),
        Some("Dag van de Arbeid")
    );
}

#[test]
fn single_day_lookup_names_holidays_and_nothing_else() {
    assert_eq!(belgian_public_holiday(d("2026-04-06")), Some("Paasmaandag"));
    assert_eq!(
        belgian_public_holiday(d("2026-05-14")),
        Some("O.L.H. Hemelvaart")
    );
    assert_eq!(
        belgian_public_holiday(d("2026-07-21")),
        Some("Nationale feestdag")
    );
    // Good Friday, Easter Sunday, Whit Sunday and 26 December are not legal holidays.
    for day in ["2026-04-03", "2026-04-05", "2026-05-24", "2026-12-26"] {
        assert_eq!(belgian_public_holiday(d(day)), None, "{day}");
    }
    for year in 2025..=2027 {
        for (date, name) in belgian_public_holidays(year) {
            assert!(belgian_public_holiday(date).is_some(), "{name}");
        }
    }
}

#[test]
fn weekend_holidays_are_not_moved_to_monday() {
    let calendar = WorkingCalendar::new();
    // Allerheiligen on Saturday 2025-11-01 and Sunday 2026-11-01; Dag van de Arbeid on
    // Saturday 2027-05-01; Kerstmis on Saturday 2027-12-25. The Mondays after stay working days.
    for (holiday, monday) in [
        ("2025-11-01", "2025-11-03"),
        ("2026-11-01", "2026-11-02"),
        ("2027-05-01", "2027-05-03"),
        ("2027-12-25", "2027-12-27"),
    ] {
        assert!(d(holiday).weekday().is_weekend(), "{holiday}");
        assert!(!calendar.is_working_day(d(holiday)));
        assert_eq!(d(monday).weekday(), Weekday::Mon);
        assert!(calendar.is_working_day(d(monday)), "{monday}");
    }
    // The holiday is still named on a weekend.
    assert_eq!(
        calendar.non_working_reason(d("2026-11-01")),
        Some(NonWorkingReason::PublicHoliday("Allerheiligen"))
    );
    assert_eq!(
        calendar.non_working_reason(d("2026-11-07")),
        Some(NonWorkingReason::Weekend)
    );
}
