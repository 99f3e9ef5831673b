//! Code changes against the deadlines of rules 2, 3 and 4, as the evaluation counts them.
//!
//! A change counts from when the server learned it: a volunteer's "Gewijzigd" from the
//! server's receive time of the first such record (a phone's clock could make a late
//! change look on time), a change the server made itself (the coordinator's rotate, the
//! import, the demo) from its activation.

use std::collections::HashMap;

use kluis_api::evaluation::{CodeFigures, Deadlines};
use kluis_domain::calendar::WorkingCalendar;
use kluis_domain::due::DueRules;
use kluis_domain::ids::SafeId;
use kluis_domain::time::{Date, Timestamp};
use rusqlite::Connection;

use super::Span;
use crate::clock::today_in_ghent;
use crate::db::column::col;
use crate::error::ServerError;

/// When each safe got each of its codes, oldest first; codes replaced before `since` are
/// left out (they have no deadline in the period).
pub(super) fn changes(
    conn: &Connection,
    since: Timestamp,
) -> Result<HashMap<SafeId, Vec<Timestamp>>, ServerError> {
    let mut stmt = conn.prepare(
        "SELECT c.safe_id, COALESCE(
           (SELECT MIN(r.recorded_at) FROM campaign_items i
              JOIN change_records r ON r.campaign_id = i.campaign_id AND r.safe_id = i.safe_id
              WHERE i.pending_code_id = c.id AND r.outcome = 'set'),
           c.activated_at)
         FROM codes c
         WHERE c.activated_at IS NOT NULL AND (c.retired_at IS NULL OR c.retired_at >= ?1)",
    )?;
    let rows = stmt.query_map([since.millis()], |r| {
        Ok((col::<SafeId>(r, 0)?, col::<Timestamp>(r, 1)?))
    })?;
    let mut out: HashMap<SafeId, Vec<Timestamp>> = HashMap::new();
    for row in rows {
        let (safe, at) = row?;
        out.entry(safe).or_default().push(at);
    }
    for list in out.values_mut() {
        list.sort_unstable();
    }
    Ok(out)
}

/// Leak reports received in `[start, end)`, by safe then time: the coordinator's "gelekt"
/// (also from a report's triage) and the change of a code a revoked person had seen.
pub(super) fn leaks(
    conn: &Connection,
    start: Timestamp,
    end: Timestamp,
) -> Result<Vec<(SafeId, Timestamp)>, ServerError> {
    let mut stmt = conn.prepare(
        "SELECT safe_id, recorded_at FROM audit_events
         WHERE kind IN ('code_leaked', 'exposed_code_change')
           AND recorded_at >= ?1 AND recorded_at < ?2 AND safe_id IS NOT NULL
         ORDER BY safe_id, recorded_at",
    )?;
    let rows = stmt.query_map([start.millis(), end.millis()], |r| {
        Ok((col(r, 0)?, col(r, 1)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(super) struct Facts<'a> {
    pub spans: &'a HashMap<SafeId, Span>,
    pub changes: &'a HashMap<SafeId, Vec<Timestamp>>,
    pub leaks: &'a [(SafeId, Timestamp)],
    pub calendar: &'a WorkingCalendar,
    pub rules: &'a DueRules,
    pub from: Date,
    pub to: Date,
    pub today: Date,
}

/// How a deadline `due` went, given the day the change came (none: not yet).
fn judge(tally: &mut Deadlines, due: Date, done: Option<Date>, today: Date) {
    tally.total += 1;
    match done {
        Some(day) if day <= due => tally.on_time += 1,
        None if due >= today => tally.pending += 1,
        _ => tally.late += 1,
    }
}

pub(super) fn figures(f: &Facts<'_>) -> CodeFigures {
    let none = Vec::new();
    let mut out = CodeFigures {
        rotations: Deadlines::default(),
        first_codes: Deadlines::default(),
        leaks: Deadlines::default(),
    };
    for (safe, span) in f.spans {
        let changes = f.changes.get(safe).unwrap_or(&none);
        rotations(f, span, changes, &mut out.rotations);
        if let Some(installed) = span.installed_on.filter(|d| (f.from..=f.to).contains(d)) {
            let due = f.rules.first_code_due(installed, f.calendar);
            let first = changes
                .iter()
                .map(|t| today_in_ghent(*t))
                .find(|d| *d >= installed);
            judge(&mut out.first_codes, due, first, f.today);
        }
    }
    leak_figures(f, &mut out.leaks);
    out
}

/// The rotations of one safe's codes that fall due in the period: six months after a code
/// came, and every six months after that while it stays on the hanging safe.
fn rotations(f: &Facts<'_>, span: &Span, changes: &[Timestamp], tally: &mut Deadlines) {
    for (i, came) in changes.iter().enumerate() {
        let next = changes.get(i + 1).map(|t| today_in_ghent(*t));
        let mut due = f.rules.rotation_due(today_in_ghent(*came));
        let mut first = true;
        while due <= f.to && span.hangs(due) {
            let replaced = next.is_some_and(|n| n <= due);
            if replaced && !first {
                // The successor came after the last missed deadline: its own count starts.
                break;
            }
            if due >= f.from {
                judge(tally, due, next.filter(|_| replaced), f.today);
            }
            if replaced || (next.is_none() && due >= f.today) {
                break;
            }
            first = false;
            due = f.rules.rotation_due(due);
        }
    }
}

/// Leaks first reported in the period; a report of a safe whose earlier leak has no new
/// code yet is the same leak, its deadline from the first report (as the leak flow counts).
fn leak_figures(f: &Facts<'_>, tally: &mut Deadlines) {
    let none = Vec::new();
    let mut open: Option<(SafeId, Timestamp)> = None;
    for &(safe, at) in f.leaks {
        let changes = f.changes.get(&safe).unwrap_or(&none);
        if let Some((open_safe, since)) = open
            && open_safe == safe
            && !changes.iter().any(|c| *c > since && *c <= at)
        {
            continue;
        }
        open = Some((safe, at));
        let due = f.rules.leak_due(today_in_ghent(at), f.calendar);
        let done = changes
            .iter()
            .find(|c| **c > at)
            .map(|c| today_in_ghent(*c));
        judge(tally, due, done, f.today);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kluis_domain::ids::BuildingId;

    fn day(s: &str) -> Date {
        s.parse().expect("date")
    }

    /// Noon in Ghent on `s`.
    fn at(s: &str) -> Timestamp {
        crate::clock::ghent_day_start(day(s)).plus_millis(12 * 3_600_000)
    }

    fn count(changes: &[&str], span: Span, today: &str) -> Deadlines {
        let safe = SafeId::from_bytes([1; 16]);
        let spans = HashMap::from([(safe, span)]);
        let changes = HashMap::from([(safe, changes.iter().map(|c| at(c)).collect())]);
        let f = Facts {
            spans: &spans,
            changes: &changes,
            leaks: &[],
            calendar: &WorkingCalendar::new(),
            rules: &DueRules::default(),
            from: day("2026-01-01"),
            to: day("2026-12-31"),
            today: day(today),
        };
        figures(&f).rotations
    }

    fn hanging() -> Span {
        Span {
            building: BuildingId::from_bytes([1; 16]),
            installed_on: Some(day("2024-01-01")),
            removed_on: None,
        }
    }

    #[test]
    fn each_six_months_a_code_stays_is_a_rotation_due() {
        // Set 1 Oct 2025: due 1 Apr 2026, done 20 Mar (on time); due 20 Sep, done 1 Oct
        // (late); the last one due 1 Apr 2027 is after the period.
        let d = count(
            &["2025-10-01", "2026-03-20", "2026-10-01"],
            hanging(),
            "2026-12-31",
        );
        assert_eq!((d.total, d.on_time, d.late, d.pending), (2, 1, 1, 0));
        // Never changed since 1 Oct 2025: due 1 Apr and 1 Oct 2026, both missed.
        let d = count(&["2025-10-01"], hanging(), "2026-12-31");
        assert_eq!((d.total, d.late), (2, 2));
        // Seen on 1 July: April is missed, October still to come.
        let d = count(&["2025-10-01"], hanging(), "2026-07-01");
        assert_eq!((d.total, d.late, d.pending), (2, 1, 1));
        // Removed in May: October is nobody's deadline.
        let removed = Span {
            removed_on: Some(day("2026-05-01")),
            ..hanging()
        };
        let d = count(&["2025-10-01"], removed, "2026-12-31");
        assert_eq!((d.total, d.late), (1, 1));
    }
}
