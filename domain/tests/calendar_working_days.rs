//! Working-day arithmetic: weekends, holidays, the coordinator's closing days.
#![allow(clippy::unwrap_used)]

use kluis_domain::calendar::{NonWorkingReason, WorkingCalendar};
use kluis_domain::time::{Date, Weekday};
use proptest::prelude::*;

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn plain() -> WorkingCalendar {
    WorkingCalendar::new()
}

#[test]
fn friday_plus_five_is_next_friday() {
    let friday = d("2026-01-09");
    assert_eq!(friday.weekday(), Weekday::Fri);
    assert_eq!(plain().add_working_days(friday, 5), d("2026-01-16"));
    // Installed on a Saturday or Sunday: the same deadline.
    assert_eq!(
        plain().add_working_days(d("2026-01-10"), 5),
        d("2026-01-16")
    );
    assert_eq!(
        plain().add_working_days(d("2026-01-11"), 5),
        d("2026-01-16")
    );
    // Monday + 5 is the next Monday.
    assert_eq!(
        plain().add_working_days(d("2026-01-12"), 5),
        d("2026-01-19")
    );
}

#[test]
fn zero_working_days_is_the_start_itself() {
    let saturday = d("2026-01-10");
    assert_eq!(plain().add_working_days(saturday, 0), saturday);
}

#[test]
fn across_a_weekend() {
    // Thursday + 2: Friday, (weekend), Monday.
    assert_eq!(
        plain().add_working_days(d("2026-01-15"), 2),
        d("2026-01-19")
    );
    assert_eq!(plain().next_working_day(d("2026-01-16")), d("2026-01-19"));
    assert_eq!(plain().next_working_day(d("2026-01-14")), d("2026-01-15"));
}

#[test]
fn across_easter_monday() {
    // Thursday 2 April 2026: Good Friday counts (1), Easter Monday 6 April does not, Tue-Fri.
    assert_eq!(
        plain().add_working_days(d("2026-04-02"), 5),
        d("2026-04-10")
    );
    // 2027: Easter Monday on 29 March.
    assert_eq!(
        plain().add_working_days(d("2027-03-26"), 1),
        d("2027-03-30")
    );
    assert_eq!(plain().next_working_day(d("2025-04-18")), d("2025-04-22"));
}

#[test]
fn across_ascension_and_whit_monday() {
    // Ascension Thursday 14 May 2026 and Whit Monday 25 May 2026.
    assert_eq!(plain().next_working_day(d("2026-05-13")), d("2026-05-15"));
    assert_eq!(
        plain().add_working_days(d("2026-05-20"), 5),
        d("2026-05-28")
    );
}

#[test]
fn across_christmas_and_new_year() {
    // 2025: Kerstmis Thursday; 26 December is a working day by law.
    assert_eq!(
        plain().add_working_days(d("2025-12-23"), 5),
        d("2025-12-31")
    );
    assert_eq!(
        plain().add_working_days(d("2025-12-23"), 6),
        d("2026-01-02")
    );
    // 2026: Kerstmis Friday, Nieuwjaar 2027 Friday.
    assert_eq!(
        plain().add_working_days(d("2026-12-23"), 5),
        d("2026-12-31")
    );
    assert_eq!(
        plain().add_working_days(d("2026-12-23"), 6),
        d("2027-01-04")
    );
}

#[test]
fn coordinator_closing_days_count_as_days_off() {
    // The OCMW closes on 26 December 2025 and bridge day Friday 2 January 2026.
    let mut calendar = WorkingCalendar::with_closing_days([d("2025-12-26")]);
    assert!(calendar.add_closing_day(d("2026-01-02")));
    assert!(!calendar.add_closing_day(d("2026-01-02")));
    assert_eq!(
        calendar.non_working_reason(d("2025-12-26")),
        Some(NonWorkingReason::ClosingDay)
    );
    // Wed 24 (1), Mon 29 (2), Tue 30 (3), Wed 31 (4), Mon 5 January (5).
    assert_eq!(
        calendar.add_working_days(d("2025-12-23"), 5),
        d("2026-01-05")
    );
    assert_eq!(calendar.next_working_day(d("2025-12-31")), d("2026-01-05"));
    // Bridge day after Ascension 2026.
    calendar.add_closing_day(d("2026-05-15"));
    assert_eq!(calendar.next_working_day(d("2026-05-13")), d("2026-05-18"));
    assert!(calendar.remove_closing_day(d("2026-05-15")));
    assert!(!calendar.remove_closing_day(d("2026-05-15")));
    assert_eq!(calendar.next_working_day(d("2026-05-13")), d("2026-05-15"));
}

#[test]
fn closing_days_round_trip_through_json() {
    let calendar = WorkingCalendar::with_closing_days([d("2026-05-15"), d("2025-12-26")]);
    let json = serde_json::to_string(&calendar).unwrap();
    assert_eq!(json, r#"{"closing_days":["2025-12-26","2026-05-15"]}"#);
    let back: WorkingCalendar = serde_json::from_str(&json).unwrap();
    assert_eq!(back, calendar);
    let empty: WorkingCalendar = serde_json::from_str("{}").unwrap();
    assert_eq!(empty, WorkingCalendar::new());
    assert!(serde_json::from_str::<WorkingCalendar>(r#"{"closing_days":["2026-02-30"]}"#).is_err());
}

#[test]
fn working_days_between_counts_the_half_open_span_with_a_sign() {
    let calendar = plain();
    let (friday, next_friday) = (d("2026-01-09"), d("2026-01-16"));
    assert_eq!(calendar.working_days_between(friday, next_friday), 5);
    assert_eq!(calendar.working_days_between(next_friday, friday), -5);
    assert_eq!(calendar.working_days_between(friday, friday), 0);
    // Saturday to Sunday: no working day in between.
    assert_eq!(
        calendar.working_days_between(d("2026-01-10"), d("2026-01-11")),
        0
    );
    // Whole year 2026: 261 weekdays, 8 holidays on weekdays (Allerheiligen is a Sunday and
    // O.L.V. Hemelvaart a Saturday).
    assert_eq!(
        calendar.working_days_between(d("2025-12-31"), d("2026-12-31")),
        253
    );
}

#[test]
fn working_days_between_is_antisymmetric_over_holiday_seasons() {
    let calendar = WorkingCalendar::with_closing_days([d("2025-12-26")]);
    let start = d("2025-12-15");
    for i in 0..40 {
        for j in 0..40 {
            let (a, b) = (start.add_days(i), start.add_days(j));
            assert_eq!(
                calendar.working_days_between(a, b),
                -calendar.working_days_between(b, a),
                "{a} {b}"
            );
        }
    }
}

fn any_date() -> impl Strategy<Value = Date> {
    // 2020-01-01 .. about 2035: every holiday pattern recurs many times in this span.
    (18_262_i64..23_700).prop_map(Date::from_days_since_epoch)
}

fn any_calendar() -> impl Strategy<Value = WorkingCalendar> {
    prop::collection::vec(any_date(), 0..40).prop_map(WorkingCalendar::with_closing_days)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn add_working_days_lands_on_the_nth_working_day(
        start in any_date(),
        n in 1_u32..40,
        calendar in any_calendar(),
    ) {
        let end = calendar.add_working_days(start, n);
        prop_assert!(end > start);
        prop_assert!(calendar.is_working_day(end));
        let counted = (1..=start.days_until(end))
            .filter(|&k| calendar.is_working_day(start.add_days(k)))
            .count();
        prop_assert_eq!(counted, n as usize);
        prop_assert_eq!(calendar.working_days_between(start, end), i64::from(n));
        prop_assert_eq!(calendar.working_days_between(end, start), -i64::from(n));
    }

    #[test]
    fn next_working_day_skips_only_non_working_days(start in any_date(), calendar in any_calendar()) {
        let next = calendar.next_working_day(start);
        prop_assert!(calendar.is_working_day(next));
        for k in 1..start.days_until(next) {
            prop_assert!(!calendar.is_working_day(start.add_days(k)));
        }
    }
}
