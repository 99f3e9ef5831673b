//! The yearly evaluation (rule 10): the figures of a period, from the registry and the audit
//! trail. Instants are the server's (`recorded_at`, `received_at`, the request's and repair's
//! steps); days are Ghent days. Each query is bounded by the period through an index, except
//! on the registry's own tables (safes, codes, requests, repairs), which are read whole: a
//! city has thousands of those rows, not millions.

mod codes;
pub mod export;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use kluis_api::evaluation::{
    DaySpread, Evaluation, EvaluationQuery, MonthCount, ProblemCount, RepairFigures, ReportFigures,
    RequestFigures, SafeFigures, ServiceReveals,
};
use kluis_domain::due::DueRules;
use kluis_domain::ids::{BuildingId, OrgId, SafeId};
use kluis_domain::model::{DoorProblem, SafeStatus};
use kluis_domain::time::{Date, Timestamp};
use rusqlite::{Connection, params};

use super::column::col;
use super::settings;
use crate::clock::{ghent_day_start, today_in_ghent};
use crate::error::ServerError;

/// A safe that hung on the wall at some time: from `installed_on` (none: before any
/// period, migrated without a date) until the day it was removed (none: still hanging).
#[derive(Clone, Copy, Debug)]
struct Span {
    building: BuildingId,
    installed_on: Option<Date>,
    removed_on: Option<Date>,
}

impl Span {
    /// On the wall at the end of `day`.
    fn hangs(&self, day: Date) -> bool {
        self.installed_on.is_none_or(|i| i <= day) && self.removed_on.is_none_or(|r| r > day)
    }

    /// On the wall on any day of `from..=to`.
    fn hangs_during(&self, from: Date, to: Date) -> bool {
        self.installed_on.is_none_or(|i| i <= to) && self.removed_on.is_none_or(|r| r > from)
    }
}

/// The half-open range of server instants a period covers.
#[derive(Clone, Copy, Debug)]
struct Window {
    start: Timestamp,
    end: Timestamp,
}

impl Window {
    fn of(from: Date, to: Date) -> Self {
        Window {
            start: ghent_day_start(from),
            end: ghent_day_start(to.add_days(1)),
        }
    }
}

/// The figures of `q` (checked by the caller) as the server knows them on `today`.
pub fn evaluation(
    conn: &Connection,
    q: EvaluationQuery,
    today: Date,
) -> Result<Evaluation, ServerError> {
    let calendar = settings::calendar(conn)?;
    let rules = DueRules::default();
    let window = Window::of(q.from, q.to);
    let spans = spans(conn)?;
    let apartments = apartments(conn)?;
    let (reveals, carers_active) = reveals(conn, &q, window)?;
    let changes = codes::changes(conn, add_months_back(q.from))?;
    let codes = codes::figures(&codes::Facts {
        spans: &spans,
        changes: &changes,
        leaks: &codes::leaks(conn, window.start, window.end)?,
        calendar: &calendar,
        rules: &rules,
        from: q.from,
        to: q.to,
        today,
    });
    let mut services: BTreeSet<OrgId> = active_services(conn, &spans, q)?;
    services.extend(reveals.iter().map(|r| r.service_id));
    Ok(Evaluation {
        from: q.from,
        to: q.to,
        today,
        safes: safe_figures(&spans, &apartments, q),
        services_active: len(services.len()),
        carers_active,
        carer_accounts: conn.query_row(
            "SELECT COUNT(*) FROM people WHERE role = 'carer' AND created_at < ?1
               AND (revoked_at IS NULL OR revoked_at >= ?1)",
            [window.end.millis()],
            |r| r.get(0),
        )?,
        requests: requests(conn, window)?,
        codes,
        reports: reports(conn, window)?,
        repairs: repairs(conn, window)?,
        reveals,
    })
}

/// Where the changes that can matter to a period start: a code set more than a rotation
/// before `from` and replaced before it has no deadline in the period.
fn add_months_back(from: Date) -> Timestamp {
    let rotation = i64::from(DueRules::default().rotation_months);
    ghent_day_start(kluis_domain::due::add_months(from, -rotation).add_days(-1))
}

fn len(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Every safe that hung at some time, with the server's day of its removal (the edit that
/// made it "removed", in the trail by safe).
fn spans(conn: &Connection) -> Result<HashMap<SafeId, Span>, ServerError> {
    // One pass over the registry edits (the trail's kind index), not one lookup per safe.
    let mut stmt = conn.prepare(
        "SELECT safe_id, MAX(recorded_at) FROM audit_events
         WHERE kind = 'safe_changed' AND safe_id IS NOT NULL
           AND detail LIKE '%\"after\":\"removed\"%'
         GROUP BY safe_id",
    )?;
    let removals: HashMap<SafeId, Timestamp> = stmt
        .query_map([], |r| Ok((col(r, 0)?, col(r, 1)?)))?
        .collect::<Result<_, _>>()?;
    let mut stmt = conn.prepare(
        "SELECT id, building_id, status, installed_on FROM safes WHERE status != 'requested'",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            col::<SafeId>(r, 0)?,
            col::<BuildingId>(r, 1)?,
            col::<SafeStatus>(r, 2)?,
            col::<Option<Date>>(r, 3)?,
        ))
    })?;
    let mut out = HashMap::new();
    for row in rows {
        let (id, building, status, installed_on) = row?;
        let removed_on = match (status, removals.get(&id).copied()) {
            (SafeStatus::Removed, Some(t)) => Some(today_in_ghent(t)),
            // Removed, but not through an edit the trail has: when is not known.
            (SafeStatus::Removed, None) => continue,
            _ => None,
        };
        out.insert(
            id,
            Span {
                building,
                installed_on,
                removed_on,
            },
        );
    }
    Ok(out)
}

fn apartments(conn: &Connection) -> Result<HashMap<BuildingId, u32>, ServerError> {
    let mut stmt = conn.prepare("SELECT id, apartments FROM buildings")?;
    let rows = stmt.query_map([], |r| Ok((col(r, 0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The last day of `month` (its first day) that lies in the period.
fn month_end(month: Date, to: Date) -> Date {
    let last = kluis_domain::due::add_months(month, 1).add_days(-1);
    last.min(to)
}

fn safe_figures(
    spans: &HashMap<SafeId, Span>,
    apartments: &HashMap<BuildingId, u32>,
    q: EvaluationQuery,
) -> SafeFigures {
    let count = |day: Date| len(spans.values().filter(|s| s.hangs(day)).count());
    let at_start = count(q.from.add_days(-1));
    let at_end = count(q.to);
    let buildings: BTreeSet<BuildingId> = spans
        .values()
        .filter(|s| s.hangs(q.to))
        .map(|s| s.building)
        .collect();
    SafeFigures {
        at_start,
        at_end,
        growth: i64::from(at_end) - i64::from(at_start),
        apartments_at_end: buildings
            .iter()
            .filter_map(|b| apartments.get(b))
            .fold(0u32, |sum, n| sum.saturating_add(*n)),
        by_month: q
            .months()
            .into_iter()
            .map(|month| MonthCount {
                month,
                count: count(month_end(month, q.to)),
            })
            .collect(),
    }
}

/// Services registered at a building whose safe hung during the period (since its end at
/// the latest). An activity removed before the end of the period is no longer in the
/// registry; its service still counts through its reveals.
fn active_services(
    conn: &Connection,
    spans: &HashMap<SafeId, Span>,
    q: EvaluationQuery,
) -> Result<BTreeSet<OrgId>, ServerError> {
    let hung: BTreeSet<BuildingId> = spans
        .values()
        .filter(|s| s.hangs_during(q.from, q.to))
        .map(|s| s.building)
        .collect();
    let mut stmt = conn.prepare(
        "SELECT a.service_id, a.building_id FROM service_activity a
         JOIN organisations o ON o.id = a.service_id
         WHERE o.kind = 'care_service' AND a.since <= ?1",
    )?;
    let rows = stmt.query_map([q.to.to_string()], |r| {
        Ok((col::<OrgId>(r, 0)?, col::<BuildingId>(r, 1)?))
    })?;
    let mut out = BTreeSet::new();
    for row in rows {
        let (service, building) = row?;
        if hung.contains(&building) {
            out.insert(service);
        }
    }
    Ok(out)
}

/// "Toon code" per service and month, by the server's receive time, and how many people
/// revealed. One pass through the trail's (kind, recorded_at) index: each row is put in its
/// month by comparing with the months' ends (numbers the server computed, written into the
/// statement), grouped per person first so people and organisations are looked up once each.
fn reveals(
    conn: &Connection,
    q: &EvaluationQuery,
    w: Window,
) -> Result<(Vec<ServiceReveals>, u32), ServerError> {
    let months = q.months();
    let ends: Vec<i64> = months
        .iter()
        .map(|m| {
            ghent_day_start(kluis_domain::due::add_months(*m, 1))
                .min(w.end)
                .millis()
        })
        .collect();
    let mut month_of = String::from("CASE");
    for (i, end) in ends.iter().enumerate().take(ends.len().saturating_sub(1)) {
        month_of.push_str(&format!(" WHEN e.recorded_at < {end} THEN {i}"));
    }
    month_of.push_str(&format!(" ELSE {} END", ends.len().saturating_sub(1)));
    let mut stmt = conn.prepare(&format!(
        "SELECT r.person_id, p.org_id, o.name, r.m, r.n FROM
           (SELECT e.person_id, {month_of} AS m, COUNT(*) AS n FROM audit_events e
            WHERE e.kind = 'code_revealed' AND e.recorded_at >= ?1 AND e.recorded_at < ?2
            GROUP BY e.person_id, m) r
         JOIN people p ON p.id = r.person_id
         JOIN organisations o ON o.id = p.org_id"
    ))?;
    let rows = stmt.query_map(params![w.start.millis(), w.end.millis()], |r| {
        Ok((
            r.get::<_, String>(0)?,
            col::<OrgId>(r, 1)?,
            r.get::<_, String>(2)?,
            r.get::<_, i64>(3)?,
            r.get::<_, u32>(4)?,
        ))
    })?;
    let mut people = BTreeSet::new();
    let mut by_service: BTreeMap<OrgId, ServiceReveals> = BTreeMap::new();
    for row in rows {
        let (person, service_id, service, i, n) = row?;
        people.insert(person);
        let entry = by_service
            .entry(service_id)
            .or_insert_with(|| ServiceReveals {
                service_id,
                service,
                total: 0,
                months: months
                    .iter()
                    .map(|&month| MonthCount { month, count: 0 })
                    .collect(),
            });
        if let Some(m) = usize::try_from(i)
            .ok()
            .and_then(|i| entry.months.get_mut(i))
        {
            m.count = m.count.saturating_add(n);
            entry.total = entry.total.saturating_add(n);
        }
    }
    let mut out: Vec<ServiceReveals> = by_service.into_values().collect();
    out.sort_by(|a, b| a.service.cmp(&b.service));
    Ok((out, len(people.len())))
}

/// Ghent calendar days from `a` to `b`.
fn days(a: Timestamp, b: Timestamp) -> u32 {
    u32::try_from(today_in_ghent(a).days_until(today_in_ghent(b)).max(0)).unwrap_or(0)
}

fn requests(conn: &Connection, w: Window) -> Result<RequestFigures, ServerError> {
    let within = |col: &str| format!("({col} >= ?1 AND {col} < ?2)");
    let (made, approved, declined, installed): (u32, u32, u32, u32) = conn.query_row(
        &format!(
            "SELECT COUNT(*) FILTER (WHERE {}),
                    COUNT(*) FILTER (WHERE status IN ('approved', 'installed') AND {}),
                    COUNT(*) FILTER (WHERE status = 'declined' AND {}),
                    COUNT(*) FILTER (WHERE {})
             FROM safe_requests",
            within("requested_at"),
            within("reviewed_at"),
            within("reviewed_at"),
            within("installed_at")
        ),
        params![w.start.millis(), w.end.millis()],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    let spread = days_between(conn, "safe_requests", "requested_at", "installed_at", w)?;
    Ok(RequestFigures {
        made,
        approved,
        declined,
        installed,
        days_to_install: DaySpread::of(spread),
    })
}

/// For the rows of `table` whose `end` falls in the window: the days from `start` to `end`.
/// The names are this module's own constants, never input.
fn days_between(
    conn: &Connection,
    table: &'static str,
    start: &'static str,
    end: &'static str,
    w: Window,
) -> Result<Vec<u32>, ServerError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {start}, {end} FROM {table} WHERE {end} >= ?1 AND {end} < ?2"
    ))?;
    let spread = stmt
        .query_map(params![w.start.millis(), w.end.millis()], |r| {
            Ok(days(col(r, 0)?, col(r, 1)?))
        })?
        .collect::<Result<_, _>>()?;
    Ok(spread)
}

fn reports(conn: &Connection, w: Window) -> Result<ReportFigures, ServerError> {
    let mut stmt = conn.prepare(
        "SELECT problem, COUNT(*), COUNT(outcome) FROM door_reports
         WHERE received_at >= ?1 AND received_at < ?2 GROUP BY problem",
    )?;
    let mut counts: HashMap<DoorProblem, u32> = HashMap::new();
    let mut handled = 0u32;
    for row in stmt.query_map(params![w.start.millis(), w.end.millis()], |r| {
        Ok((
            col::<DoorProblem>(r, 0)?,
            r.get::<_, u32>(1)?,
            r.get::<_, u32>(2)?,
        ))
    })? {
        let (problem, n, done) = row?;
        counts.insert(problem, n);
        handled = handled.saturating_add(done);
    }
    let by_problem: Vec<ProblemCount> = DoorProblem::ALL
        .iter()
        .map(|&problem| ProblemCount {
            problem,
            count: counts.get(&problem).copied().unwrap_or(0),
        })
        .collect();
    Ok(ReportFigures {
        total: by_problem.iter().map(|p| p.count).sum(),
        by_problem,
        handled,
    })
}

fn repairs(conn: &Connection, w: Window) -> Result<RepairFigures, ServerError> {
    let opened: u32 = conn.query_row(
        "SELECT COUNT(*) FROM repair_items WHERE created_at >= ?1 AND created_at < ?2",
        params![w.start.millis(), w.end.millis()],
        |r| r.get(0),
    )?;
    let spread = days_between(conn, "repair_items", "created_at", "resolved_at", w)?;
    Ok(RepairFigures {
        opened,
        done: len(spread.len()),
        days_to_fix: DaySpread::of(spread),
    })
}
