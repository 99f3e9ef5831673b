//! The working-day calendar: Monday-Friday minus Belgian public holidays minus the closing days
//! the coordinator adds (brief, rule 2: "within 5 working days").
//!
//! Holidays are computed, not stored, so the calendar never runs out of years and needs no
//! yearly update. Only the ten legal public holidays of Belgium count; the closing days of the
//! OCMW (bridge days, 26 December, ...) differ per year and are the coordinator's to add.
//!
//! A public holiday that falls on a Saturday or Sunday is *not* moved to a weekday: Belgian law
//! lets employers grant a replacement day, but that day differs per employer, so it is not a
//! fixed non-working day. If the OCMW closes on such a replacement day, the coordinator adds it
//! as a closing day.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::time::Date;

/// Easter Sunday of `year` in the Gregorian calendar (Anonymous Gregorian / Meeus algorithm).
///
/// Meaningful from 1583, the first full Gregorian year; for earlier years it still returns a
/// valid date in March or April, computed as if the Gregorian rules had always applied.
pub fn easter_sunday(year: i32) -> Date {
    // Euclidean division keeps every intermediate in its usual range, even for negative years,
    // so the result is always a real date (22 March - 25 April).
    let y = i64::from(year);
    let a = y.rem_euclid(19);
    let (b, c) = (y.div_euclid(100), y.rem_euclid(100));
    let (d, e) = (b.div_euclid(4), b.rem_euclid(4));
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let n = h + l - 7 * m + 114;
    Date {
        year,
        // n / 31 is 3 or 4 and n % 31 + 1 is at most 31, so these conversions cannot fail.
        month: u8::try_from(n / 31).unwrap_or(4),
        day: u8::try_from(n % 31 + 1).unwrap_or(1),
    }
}

/// The fixed-date holidays, as (month, day, Dutch name).
const FIXED_HOLIDAYS: [(u8, u8, &str); 7] = [
    (1, 1, "Nieuwjaar"),
    (5, 1, "Dag van de Arbeid"),
    (7, 21, "Nationale feestdag"),
    (8, 15, "O.L.V. Hemelvaart"),
    (11, 1, "Allerheiligen"),
    (11, 11, "Wapenstilstand"),
    (12, 25, "Kerstmis"),
];

/// The holidays that follow Easter, as (days after Easter Sunday, Dutch name).
const EASTER_HOLIDAYS: [(i64, &str); 3] = [
    (1, "Paasmaandag"),
    (39, "O.L.H. Hemelvaart"),
    (50, "Pinkstermaandag"),
];

/// The ten legal public holidays of Belgium in `year`, with their Dutch names, in date order.
///
/// Always ten entries. In a year where Ascension falls on 1 May (e.g. 2008) two entries share
/// a date; they are kept apart because they are two holidays, and the list stays the same shape
/// every year.
pub fn belgian_public_holidays(year: i32) -> Vec<(Date, &'static str)> {
    let easter = easter_sunday(year);
    let mut days: Vec<(Date, &'static str)> = FIXED_HOLIDAYS
        .iter()
        .map(|&(month, day, name)| (Date { year, month, day }, name))
        .chain(
            EASTER_HOLIDAYS
                .iter()
                .map(|&(offset, name)| (easter.add_days(offset), name)),
        )
        .collect();
    // Stable sort: on a shared date the fixed holiday stays first.
    days.sort_by_key(|&(date, _)| date);
    days
}

/// The Dutch name of the Belgian public holiday on `date`, if it is one.
///
/// When two holidays share the date (Ascension on 1 May), the fixed-date one is named.
pub fn belgian_public_holiday(date: Date) -> Option<&'static str> {
    holiday_with_easter(date, easter_sunday(date.year))
}

/// [`belgian_public_holiday`] with Easter of `date.year` already known, so loops over many days
/// compute Easter once per year instead of once per day.
fn holiday_with_easter(date: Date, easter: Date) -> Option<&'static str> {
    let fixed = FIXED_HOLIDAYS
        .iter()
        .find(|&&(month, day, _)| date.month == month && date.day == day)
        .map(|&(_, _, name)| name);
    fixed.or_else(|| {
        let offset = easter.days_until(date);
        EASTER_HOLIDAYS
            .iter()
            .find(|&&(days, _)| days == offset)
            .map(|&(_, name)| name)
    })
}

/// Why a day is not a working day.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum NonWorkingReason {
    /// A Belgian public holiday (named in Dutch), also when it falls in a weekend.
    PublicHoliday(&'static str),
    /// Saturday or Sunday.
    Weekend,
    /// A closing day the coordinator added.
    ClosingDay,
}

/// Which days count as working days for the deadlines of rules 2 and 4.
///
/// Serialized as `{"closing_days": ["2026-05-15", ...]}`; a missing list means no closing days.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkingCalendar {
    /// Extra days off the coordinator added, e.g. the OCMW's bridge days. Adding a weekend day
    /// or a public holiday is harmless: it was not a working day anyway.
    #[serde(default)]
    pub closing_days: BTreeSet<Date>,
}

impl WorkingCalendar {
    /// A calendar with only weekends and public holidays off.
    pub fn new() -> Self {
        Self::default()
    }

    /// A calendar with these closing days.
    pub fn with_closing_days(days: impl IntoIterator<Item = Date>) -> Self {
        WorkingCalendar {
            closing_days: days.into_iter().collect(),
        }
    }

    /// Adds a closing day; `false` if it was already there.
    pub fn add_closing_day(&mut self, day: Date) -> bool {
        self.closing_days.insert(day)
    }

    /// Removes a closing day; `false` if it was not there.
    pub fn remove_closing_day(&mut self, day: Date) -> bool {
        self.closing_days.remove(&day)
    }

    /// Why `date` is not a working day, or `None` if it is one. A public holiday is named even
    /// on a weekend, so the coordinator sees why e.g. Saturday 1 November is marked.
    pub fn non_working_reason(&self, date: Date) -> Option<NonWorkingReason> {
        self.reason_with_easter(date, easter_sunday(date.year))
    }

    /// Monday-Friday, not a Belgian public holiday and not a closing day.
    pub fn is_working_day(&self, date: Date) -> bool {
        self.non_working_reason(date).is_none()
    }

    /// The first working day strictly after `date` (the same as `add_working_days(date, 1)`).
    pub fn next_working_day(&self, date: Date) -> Date {
        self.add_working_days(date, 1)
    }

    /// The `n`-th working day strictly after `start`; `start` itself never counts, whether or
    /// not it is a working day.
    ///
    /// This is how "a new code within 5 working days" reads: a safe installed on Friday is due
    /// the next Friday when the week has no holidays (Mon 1, Tue 2, ... Fri 5), and one installed
    /// on Saturday is due on that same next Friday. Exactly `n` working days lie in
    /// `(start, result]`, and for `n >= 1` the result is itself a working day. `n == 0` returns
    /// `start` unchanged.
    ///
    /// Walks day by day, so the cost grows with the span (about 7/5 days per working day);
    /// deadlines are a few working days, so this stays trivial.
    pub fn add_working_days(&self, start: Date, n: u32) -> Date {
        let mut walk = DayWalk::new(start);
        let mut left = n;
        let mut day = start;
        while left > 0 {
            day = day.add_days(1);
            if self.reason_with_easter(day, walk.easter_of(day)).is_none() {
                left -= 1;
            }
        }
        day
    }

    /// The signed number of working days from `a` to `b`: the working days in `(a, b]` when
    /// `a <= b`, minus the working days in `(b, a]` when `b < a`.
    ///
    /// Consistent with [`add_working_days`](Self::add_working_days):
    /// `working_days_between(d, add_working_days(d, n)) == n`, and swapping the arguments flips
    /// the sign. With a due date and today, a positive result is how many working days late it
    /// is. Cost grows with the span, as for `add_working_days`.
    pub fn working_days_between(&self, a: Date, b: Date) -> i64 {
        let (from, to, sign) = if a <= b { (a, b, 1) } else { (b, a, -1) };
        let mut walk = DayWalk::new(from);
        let mut count = 0_i64;
        let mut day = from;
        while day < to {
            day = day.add_days(1);
            if self.reason_with_easter(day, walk.easter_of(day)).is_none() {
                count += 1;
            }
        }
        sign * count
    }

    fn reason_with_easter(&self, date: Date, easter: Date) -> Option<NonWorkingReason> {
        if let Some(name) = holiday_with_easter(date, easter) {
            Some(NonWorkingReason::PublicHoliday(name))
        } else if date.weekday().is_weekend() {
            Some(NonWorkingReason::Weekend)
        } else if self.closing_days.contains(&date) {
            Some(NonWorkingReason::ClosingDay)
        } else {
            None
        }
    }
}

/// Remembers Easter of the year a day-by-day walk is in, so it is computed once per year.
struct DayWalk {
    year: i32,
    easter: Date,
}

impl DayWalk {
    fn new(start: Date) -> Self {
        DayWalk {
            year: start.year,
            easter: easter_sunday(start.year),
        }
    }

    fn easter_of(&mut self, day: Date) -> Date {
        if day.year != self.year {
            self.year = day.year;
            self.easter = easter_sunday(day.year);
        }
        self.easter
    }
}
