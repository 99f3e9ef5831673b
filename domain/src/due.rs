//! When each safe next needs a new code, and how urgent that is (brief, rules 2, 3 and 4).
//!
//! Due dates are derived from a safe's status and dates, never stored, so they cannot drift
//! from the facts and a changed rule or closing day applies to every safe at once. Nothing here
//! reads a clock: the caller passes `today`.

use serde::{Deserialize, Serialize};

use crate::calendar::WorkingCalendar;
use crate::model::SafeStatus;
use crate::time::{Date, Weekday, days_in_month};

/// `date` moved by `months` calendar months (back when negative), clamped to the last day of
/// the target month: 31 August + 6 months is 28 February (29 in a leap year).
///
/// Clamping keeps the rotation due date inside the intended month rather than spilling into
/// the next one, which would give a safe a few days more than the six months of rule 3.
pub fn add_months(date: Date, months: i64) -> Date {
    let index = i64::from(date.year) * 12 + i64::from(date.month) - 1;
    let target = index.saturating_add(months);
    let year = target.div_euclid(12);
    // Only beyond the years a Date can hold; clamping there is harmless.
    let year = i32::try_from(year).unwrap_or(if year < 0 { i32::MIN } else { i32::MAX });
    let month = u8::try_from(target.rem_euclid(12) + 1).unwrap_or(1);
    let day = date.day.min(days_in_month(year, month));
    Date { year, month, day }
}

/// Why a safe needs a new code.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DueReason {
    /// Installed, the factory code is still in use (rule 2).
    FirstCode,
    /// The code is known to unauthorised people (rule 4).
    Leak,
    /// The six-monthly change (rule 3).
    Rotation,
}

impl DueReason {
    /// Lower is more urgent; breaks ties between reasons due on the same day, so the coordinator
    /// sees the reason that matters most (a leak before a first code before a rotation).
    const fn urgency(self) -> u8 {
        match self {
            DueReason::Leak => 0,
            DueReason::FirstCode => 1,
            DueReason::Rotation => 2,
        }
    }
}

/// The next date by which a safe must have a new code, and why.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Due {
    /// The last day on which the new code is on time.
    pub date: Date,
    /// Which rule sets it.
    pub reason: DueReason,
}

impl Due {
    /// How urgent this is on `today`; see [`bucket`].
    pub fn bucket(&self, today: Date) -> DueBucket {
        bucket(self.date, today)
    }
}

/// The deadlines of the agreement. The defaults are the brief's; they are parameters so a
/// renegotiated agreement needs no code change.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueRules {
    /// Working days after installation to replace the factory code (rule 2: 5).
    pub first_code_working_days: u32,
    /// Working days after a leak report to replace the code (rule 4: 5).
    pub leak_working_days: u32,
    /// Months between routine code changes (rule 3: 6).
    pub rotation_months: u32,
}

impl Default for DueRules {
    fn default() -> Self {
        DueRules {
            first_code_working_days: 5,
            leak_working_days: 5,
            rotation_months: 6,
        }
    }
}

impl DueRules {
    /// The day a leaked code must be gone by (rule 4), counted on `calendar`.
    pub fn leak_due(&self, reported: Date, calendar: &WorkingCalendar) -> Date {
        calendar.add_working_days(reported, self.leak_working_days)
    }

    /// The day an installed safe must have its first Kluis code by (rule 2).
    pub fn first_code_due(&self, installed: Date, calendar: &WorkingCalendar) -> Date {
        calendar.add_working_days(installed, self.first_code_working_days)
    }

    /// The day the code set on `last_change` must be replaced by (rule 3).
    pub fn rotation_due(&self, last_change: Date) -> Date {
        add_months(last_change, i64::from(self.rotation_months))
    }
}

/// The facts about one safe that its due date depends on.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SafeDueInput {
    /// Life-cycle state.
    pub status: SafeStatus,
    /// Day it was installed.
    pub installed_on: Option<Date>,
    /// Date the current code became active on the safe.
    pub last_change: Option<Date>,
    /// Date of the open leak report; cleared once a new code is active.
    pub leak_reported_on: Option<Date>,
}

/// The earliest due date that applies to a safe, or `None` when none does.
///
/// - `Requested` and `Removed` safes have no due date: there is no safe on the wall, or no
///   longer one, so there is no code to change.
/// - `Installed`: the first code is due `first_code_working_days` working days after
///   `installed_on` (no due date while `installed_on` is unknown; the registry requires it).
/// - `Active`: the rotation is due `rotation_months` after `last_change`. If that date is
///   missing (safes migrated from before Kluis), the count starts at `installed_on`, the
///   earliest it can be, so no safe silently drops off the coordinator's list.
/// - `Defect` keeps its rotation due date, counted as for `Active`. The old code stays on the
///   safe and in the carers' hands while the housing company repairs it, so the clock does not
///   stop; the coordinator sees it fall overdue and can chase the repair.
/// - An open leak, for `Installed`, `Active` and `Defect`, is due `leak_working_days` working
///   days after the report. A leak report older than `last_change` is treated as resolved by
///   that change, in case the report was not yet cleared (e.g. not yet synced).
///
/// Of the applicable dates the earliest wins; on the same date the more urgent reason is shown
/// (leak, then first code, then rotation).
pub fn next_due(input: SafeDueInput, calendar: &WorkingCalendar, rules: &DueRules) -> Option<Due> {
    let SafeDueInput {
        status,
        installed_on,
        last_change,
        leak_reported_on,
    } = input;
    let has_safe = matches!(
        status,
        SafeStatus::Installed | SafeStatus::Active | SafeStatus::Defect
    );
    if !has_safe {
        return None;
    }

    let leak = leak_reported_on
        .filter(|&reported| last_change.is_none_or(|changed| changed <= reported))
        .map(|reported| Due {
            date: rules.leak_due(reported, calendar),
            reason: DueReason::Leak,
        });
    let routine = match status {
        SafeStatus::Installed => installed_on.map(|installed| Due {
            date: rules.first_code_due(installed, calendar),
            reason: DueReason::FirstCode,
        }),
        _ => last_change.or(installed_on).map(|since| Due {
            date: rules.rotation_due(since),
            reason: DueReason::Rotation,
        }),
    };

    [leak, routine]
        .into_iter()
        .flatten()
        .min_by_key(|due| (due.date, due.reason.urgency()))
}

/// How urgent a due date is, most urgent first (so sorting by bucket puts overdue on top).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DueBucket {
    /// The due date has passed.
    Overdue,
    /// Due from today up to and including the coming Sunday.
    ThisWeek,
    /// Due after this week but within the current calendar month.
    ThisMonth,
    /// Due after this month.
    Later,
}

/// The bucket of `due` on `today`.
///
/// A due date is the last day on which the change is on time, so `due == today` is `ThisWeek`,
/// not overdue. Weeks run Monday to Sunday (the Belgian custom); on a Sunday "this week" is only
/// today. The buckets are checked in order, so near the end of a month a date in the first days
/// of next month that still falls in this week is `ThisWeek`, and `ThisMonth` can be empty.
pub fn bucket(due: Date, today: Date) -> DueBucket {
    if due < today {
        DueBucket::Overdue
    } else if due <= today.add_days(days_to_sunday(today.weekday())) {
        DueBucket::ThisWeek
    } else if due.year == today.year && due.month == today.month {
        DueBucket::ThisMonth
    } else {
        DueBucket::Later
    }
}

/// Days from `day` to the Sunday that ends its Monday-based week.
const fn days_to_sunday(day: Weekday) -> i64 {
    match day {
        Weekday::Mon => 6,
        Weekday::Tue => 5,
        Weekday::Wed => 4,
        Weekday::Thu => 3,
        Weekday::Fri => 2,
        Weekday::Sat => 1,
        Weekday::Sun => 0,
    }
}
