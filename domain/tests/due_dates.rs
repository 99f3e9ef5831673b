//! Due-date derivation (rules 2, 3 and 4), month arithmetic and the coordinator's buckets.
#![allow(clippy::unwrap_used)]

use kluis_domain::calendar::WorkingCalendar;
use kluis_domain::due::{
    Due, DueBucket, DueReason, DueRules, SafeDueInput, add_months, bucket, next_due,
};
use kluis_domain::model::SafeStatus;
use kluis_domain::time::Date;

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn input(
    status: SafeStatus,
    installed: Option<&str>,
    changed: Option<&str>,
    leak: Option<&str>,
) -> SafeDueInput {
    SafeDueInput {
        status,
        installed_on: installed.map(d),
        last_change: changed.map(d),
        leak_reported_on: leak.map(d),
    }
}

fn due(input: SafeDueInput) -> Option<Due> {
    next_due(input, &WorkingCalendar::new(), &DueRules::default())
}

fn at(date: &str, reason: DueReason) -> Option<Due> {
    Some(Due {
        date: d(date),
        reason,
    })
}

#[test]
fn default_rules_are_the_briefs() {
    let rules = DueRules::default();
    assert_eq!(
        (
            rules.first_code_working_days,
            rules.leak_working_days,
            rules.rotation_months
        ),
        (5, 5, 6)
    );
}

#[test]
fn installed_safe_needs_a_first_code_within_five_working_days() {
    let safe = input(SafeStatus::Installed, Some("2026-01-09"), None, None);
    assert_eq!(due(safe), at("2026-01-16", DueReason::FirstCode));
    // Installed before Easter Monday 2026.
    let safe = input(SafeStatus::Installed, Some("2026-04-02"), None, None);
    assert_eq!(due(safe), at("2026-04-10", DueReason::FirstCode));
    // Unknown installation date: nothing to count from.
    assert_eq!(due(input(SafeStatus::Installed, None, None, None)), None);
}

#[test]
fn first_code_respects_closing_days() {
    let calendar = WorkingCalendar::with_closing_days([d("2026-01-12")]);
    let safe = input(SafeStatus::Installed, Some("2026-01-09"), None, None);
    assert_eq!(
        next_due(safe, &calendar, &DueRules::default()),
        at("2026-01-19", DueReason::FirstCode)
    );
}

#[test]
fn active_safe_rotates_six_months_after_the_last_change() {
    let safe = input(
        SafeStatus::Active,
        Some("2024-03-01"),
        Some("2026-01-15"),
        None,
    );
    assert_eq!(due(safe), at("2026-07-15", DueReason::Rotation));
    // Changed on 31 August: due on the last day of February.
    let safe = input(SafeStatus::Active, None, Some("2025-08-31"), None);
    assert_eq!(due(safe), at("2026-02-28", DueReason::Rotation));
}

#[test]
fn active_safe_without_a_change_date_counts_from_installation() {
    let safe = input(SafeStatus::Active, Some("2025-03-10"), None, None);
    assert_eq!(due(safe), at("2025-09-10", DueReason::Rotation));
    assert_eq!(due(input(SafeStatus::Active, None, None, None)), None);
}

#[test]
fn open_leak_wins_when_earlier_than_the_rotation() {
    // Reported Wednesday 20 May 2026; Whit Monday 25 May does not count.
    let safe = input(
        SafeStatus::Active,
        Some("2024-03-01"),
        Some("2026-01-15"),
        Some("2026-05-20"),
    );
    assert_eq!(due(safe), at("2026-05-28", DueReason::Leak));
}

#[test]
fn rotation_wins_when_earlier_than_the_leak_deadline() {
    // Rotation due 15 July; leak of 14 July due 22 July (21 July is the national holiday).
    let safe = input(
        SafeStatus::Active,
        None,
        Some("2026-01-15"),
        Some("2026-07-14"),
    );
    assert_eq!(due(safe), at("2026-07-15", DueReason::Rotation));
}

#[test]
fn leak_on_an_installed_safe_competes_with_the_first_code() {
    // Leak three days after installation: the first-code deadline comes first.
    let safe = input(
        SafeStatus::Installed,
        Some("2026-01-09"),
        None,
        Some("2026-01-12"),
    );
    assert_eq!(due(safe), at("2026-01-16", DueReason::FirstCode));
    // Same deadline: the leak is shown, it is the more urgent reason.
    let safe = input(
        SafeStatus::Installed,
        Some("2026-01-09"),
        None,
        Some("2026-01-10"),
    );
    assert_eq!(due(safe), at("2026-01-16", DueReason::Leak));
}

#[test]
fn leak_resolved_by_a_later_change_is_ignored() {
    let safe = input(
        SafeStatus::Active,
        None,
        Some("2026-03-04"),
        Some("2026-03-02"),
    );
    assert_eq!(due(safe), at("2026-09-04", DueReason::Rotation));
    // Reported the day of the change: it may have leaked after the change, so it counts.
    let safe = input(
        SafeStatus::Active,
        None,
        Some("2026-03-04"),
        Some("2026-03-04"),
    );
    assert_eq!(due(safe), at("2026-03-11", DueReason::Leak));
}

#[test]
fn defect_safe_keeps_its_rotation_and_leak_deadlines() {
    let safe = input(SafeStatus::Defect, None, Some("2026-01-15"), None);
    assert_eq!(due(safe), at("2026-07-15", DueReason::Rotation));
    let safe = input(
        SafeStatus::Defect,
        None,
        Some("2026-01-15"),
        Some("2026-02-02"),
    );
    assert_eq!(due(safe), at("2026-02-09", DueReason::Leak));
}

#[test]
fn requested_and_removed_safes_have_no_due_date() {
    for status in [SafeStatus::Requested, SafeStatus::Removed] {
        let safe = input(
            status,
            Some("2026-01-09"),
            Some("2026-01-15"),
            Some("2026-02-02"),
        );
        assert_eq!(due(safe), None, "{status}");
    }
}

#[test]
fn custom_rules_are_applied() {
    let rules = DueRules {
        first_code_working_days: 3,
        leak_working_days: 2,
        rotation_months: 12,
    };
    let calendar = WorkingCalendar::new();
    let installed = input(SafeStatus::Installed, Some("2026-01-09"), None, None);
    assert_eq!(
        next_due(installed, &calendar, &rules),
        at("2026-01-14", DueReason::FirstCode)
    );
    let active = input(SafeStatus::Active, None, Some("2026-01-15"), None);
    assert_eq!(
        next_due(active, &calendar, &rules),
        at("2027-01-15", DueReason::Rotation)
    );
    let leaked = SafeDueInput {
        leak_reported_on: Some(d("2026-01-16")),
        ..active
    };
    assert_eq!(
        next_due(leaked, &calendar, &rules),
        at("2026-01-20", DueReason::Leak)
    );
}

#[test]
fn due_serializes_with_snake_case_reason() {
    let due = at("2026-01-16", DueReason::FirstCode).unwrap();
    let json = serde_json::to_string(&due).unwrap();
    assert_eq!(json, r#"{"date":"2026-01-16","reason":"first_code"}"#);
    assert_eq!(serde_json::from_str::<Due>(&json).unwrap(), due);
}

#[test]
fn add_months_clamps_to_the_end_of_the_month() {
    for (from, months, want) in [
        ("2025-08-31", 6, "2026-02-28"),
        ("2023-08-31", 6, "2024-02-29"),
        ("2026-01-31", 1, "2026-02-28"),
        ("2026-03-31", 1, "2026-04-30"),
        ("2026-05-31", 6, "2026-11-30"),
        ("2024-02-29", 12, "2025-02-28"),
        ("2024-02-29", 48, "2028-02-29"),
        ("2026-12-15", 1, "2027-01-15"),
        ("2026-07-15", 6, "2027-01-15"),
        ("2026-07-15", -6, "2026-01-15"),
        ("2026-03-31", -1, "2026-02-28"),
        ("2026-01-10", -1, "2025-12-10"),
        ("2026-01-10", 0, "2026-01-10"),
    ] {
        assert_eq!(add_months(d(from), months), d(want), "{from} {months:+}");
    }
    // Absurd inputs saturate instead of panicking.
    let far = add_months(d("2026-01-31"), i64::MAX);
    assert_eq!((far.year, far.day), (i32::MAX, 31));
}

#[test]
fn buckets_within_a_week_and_month() {
    let wednesday = d("2026-01-14");
    for (due, want) in [
        ("2025-12-31", DueBucket::Overdue),
        ("2026-01-13", DueBucket::Overdue),
        ("2026-01-14", DueBucket::ThisWeek),
        ("2026-01-18", DueBucket::ThisWeek),
        ("2026-01-19", DueBucket::ThisMonth),
        ("2026-01-31", DueBucket::ThisMonth),
        ("2026-02-01", DueBucket::Later),
        ("2027-01-20", DueBucket::Later),
    ] {
        assert_eq!(bucket(d(due), wednesday), want, "{due}");
    }
}

#[test]
fn buckets_at_week_edges() {
    // On Sunday "this week" is only today; on Monday it runs to the coming Sunday.
    let sunday = d("2026-01-18");
    assert_eq!(bucket(sunday, sunday), DueBucket::ThisWeek);
    assert_eq!(bucket(d("2026-01-19"), sunday), DueBucket::ThisMonth);
    let monday = d("2026-01-19");
    assert_eq!(bucket(d("2026-01-18"), monday), DueBucket::Overdue);
    assert_eq!(bucket(d("2026-01-25"), monday), DueBucket::ThisWeek);
    assert_eq!(bucket(d("2026-01-26"), monday), DueBucket::ThisMonth);
}

#[test]
fn this_week_reaches_into_next_month_and_year() {
    // Wednesday 30 September 2026: Friday 2 October is this week, Monday 5 October later.
    let today = d("2026-09-30");
    assert_eq!(bucket(d("2026-10-02"), today), DueBucket::ThisWeek);
    assert_eq!(bucket(d("2026-10-05"), today), DueBucket::Later);
    // Tuesday 29 December 2026: Sunday 3 January 2027 is this week.
    let today = d("2026-12-29");
    assert_eq!(bucket(d("2027-01-03"), today), DueBucket::ThisWeek);
    assert_eq!(bucket(d("2027-01-04"), today), DueBucket::Later);
    // Last day of the month, a Saturday: nothing can be "this month" but not "this week".
    let today = d("2026-10-31");
    assert_eq!(bucket(d("2026-11-01"), today), DueBucket::ThisWeek);
    assert_eq!(bucket(d("2026-11-02"), today), DueBucket::Later);
}

#[test]
fn buckets_sort_most_urgent_first() {
    let mut all = [
        DueBucket::Later,
        DueBucket::ThisMonth,
        DueBucket::Overdue,
        DueBucket::ThisWeek,
    ];
    all.sort();
    assert_eq!(
        all,
        [
            DueBucket::Overdue,
            DueBucket::ThisWeek,
            DueBucket::ThisMonth,
            DueBucket::Later
        ]
    );
    let due = at("2026-01-16", DueReason::Leak).unwrap();
    assert_eq!(due.bucket(d("2026-01-14")), DueBucket::ThisWeek);
    assert_eq!(due.bucket(d("2026-01-17")), DueBucket::Overdue);
}
