//! Reports from the door: recorded once from a device's outbox, grouped per safe for the
//! coordinator's inbox (and for the reporting service, its own), and dealt with per safe in
//! one transaction with its audit row. A broken safe or a missing key becomes a repair order
//! at once: the resident needs care today, and the housing company is the one who acts.

use std::collections::BTreeMap;

use kluis_api::door::{
    DoorReport, ReportAction, ReportGroup, ReportStatus, ReportsHandled, SafeChange,
};
use kluis_crypto::SecretKey;
use kluis_domain::ids::{CampaignId, EventId, OrgId, PersonId, ReportId, SafeId};
use kluis_domain::model::{AuditKind, DoorProblem};
use kluis_domain::rng::RandomSource;
use kluis_domain::time::{Date, Timestamp};
use rusqlite::{Connection, params};

use super::column::col;
use super::repairs::{self, Source};
use super::urgent::{self, Urgency};
use super::{audit, registry::parse_col};
use crate::error::{Problem, ServerError};
use crate::state::OsRandom;

/// Longest reply the coordinator can give, in characters.
pub const MAX_REPLY_CHARS: usize = 1000;

/// Who sees which reports.
#[derive(Clone, Copy, Debug)]
pub enum ReportScope {
    All,
    /// A service admin: what their service's carers reported.
    Service(OrgId),
}

/// One report as it came from a phone; the caller checked the safe is in the device's scope.
pub struct Incoming<'a> {
    pub event: EventId,
    pub safe: SafeId,
    pub service: OrgId,
    pub person: PersonId,
    pub problem: DoorProblem,
    pub note: &'a str,
    pub at: Timestamp,
}

/// Stores a report (once per event) and opens the repair order it asks for. Returns whether
/// the safe changed (it turned defect), so the caller rebuilds the scopes that see it.
pub fn record(
    conn: &Connection,
    report: &Incoming<'_>,
    now: Timestamp,
    rng: &mut dyn RandomSource,
) -> Result<bool, ServerError> {
    let id = ReportId::random(rng);
    let n = conn.execute(
        "INSERT OR IGNORE INTO door_reports (id, event_id, safe_id, service_id, person_id, problem, note, at, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            id.to_string(),
            report.event.to_string(),
            report.safe.to_string(),
            report.service.to_string(),
            report.person.to_string(),
            report.problem.as_str(),
            report.note,
            report.at.millis(),
            now.millis()
        ],
    )?;
    if n == 0 {
        return Ok(false);
    }
    let Some(reason) = report.problem.repair() else {
        super::notices::report_new(conn, report.problem, now)?;
        return Ok(false);
    };
    repairs::open(
        conn,
        report.safe,
        reason,
        report.note,
        Source::Report(id),
        now,
        rng,
    )?;
    conn.execute(
        "UPDATE door_reports SET outcome = 'repair', handled_at = ?2 WHERE id = ?1",
        params![id.to_string(), now.millis()],
    )?;
    Ok(true)
}

struct Row {
    report: DoorReport,
    safe: SafeId,
    outcome: Option<String>,
    repair_resolved: bool,
    item_done: bool,
    code_after: bool,
}

fn status(row: &Row) -> ReportStatus {
    match row.outcome.as_deref() {
        None => ReportStatus::New,
        Some("closed") => ReportStatus::Closed,
        Some("repair") if row.repair_resolved => ReportStatus::Done,
        Some("repair") if row.report.repair_planned_on.is_some() => ReportStatus::RepairPlanned,
        Some("repair") => ReportStatus::RepairAsked,
        Some(_) if row.item_done || row.code_after => ReportStatus::Done,
        Some(_) => ReportStatus::ChangePlanned,
    }
}

/// Most reports one answer lists: the newest, with every new one among them.
const MAX_LISTED: u32 = 2000;

/// The reports `scope` sees, per safe: groups with new reports first, then those still
/// under way, then the rest, each newest first by the server's receive time.
pub fn groups(conn: &Connection, scope: ReportScope) -> Result<Vec<ReportGroup>, ServerError> {
    let service = match scope {
        ReportScope::All => None,
        ReportScope::Service(s) => Some(s.to_string()),
    };
    let mut stmt = conn.prepare(
        "SELECT d.id, d.problem, d.note, p.name, o.name, d.at, d.received_at, d.reply, d.handled_at,
                d.repair_id, r.planned_on, r.done_on, d.campaign_id, d.safe_id, d.outcome,
                r.resolved_at IS NOT NULL,
                COALESCE((SELECT i.status = 'done' FROM campaign_items i
                          WHERE i.campaign_id = d.campaign_id AND i.safe_id = d.safe_id), 0),
                COALESCE((SELECT c.created_at > d.handled_at FROM codes c
                          WHERE c.safe_id = d.safe_id AND c.state = 'current'), 0)
         FROM door_reports d JOIN people p ON p.id = d.person_id
         JOIN organisations o ON o.id = d.service_id
         LEFT JOIN repair_items r ON r.id = d.repair_id
         WHERE ?1 IS NULL OR d.service_id = ?1
         ORDER BY d.outcome IS NOT NULL, d.received_at DESC, d.rowid DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![service, MAX_LISTED], |r| {
        Ok(Row {
            report: DoorReport {
                id: col(r, 0)?,
                problem: col(r, 1)?,
                note: col(r, 2)?,
                reporter: col(r, 3)?,
                service: col(r, 4)?,
                at: col(r, 5)?,
                received_at: col(r, 6)?,
                status: ReportStatus::New,
                reply: col(r, 7)?,
                handled_at: col(r, 8)?,
                repair_id: col(r, 9)?,
                repair_planned_on: col(r, 10)?,
                repair_done_on: col(r, 11)?,
                campaign_id: col(r, 12)?,
            },
            safe: parse_col(r, 13)?,
            outcome: col(r, 14)?,
            repair_resolved: r.get(15)?,
            item_done: r.get(16)?,
            code_after: r.get(17)?,
        })
    })?;
    let mut per_safe: BTreeMap<SafeId, Vec<DoorReport>> = BTreeMap::new();
    for row in rows {
        let row = row?;
        let status = status(&row);
        let mut report = row.report;
        report.status = status;
        per_safe.entry(row.safe).or_default().push(report);
    }
    let mut out = Vec::with_capacity(per_safe.len());
    for (safe, mut reports) in per_safe {
        reports.sort_by_key(|r| std::cmp::Reverse(r.received_at));
        out.push(group(conn, safe, reports)?);
    }
    out.sort_by_key(|g| {
        (
            g.new_reports() == 0,
            !g.is_open(),
            std::cmp::Reverse(g.reports.first().map(|r| r.received_at)),
        )
    });
    Ok(out)
}

fn group(
    conn: &Connection,
    safe: SafeId,
    reports: Vec<DoorReport>,
) -> Result<ReportGroup, ServerError> {
    let mut group = conn.query_row(
        "SELECT b.street || ' ' || b.numbers || ', ' || b.postcode || ' ' || b.city, b.district,
                b.owner_org_id, o.name, s.status,
                (SELECT i.campaign_id FROM campaign_items i WHERE i.safe_id = s.id
                  AND i.status IN ('waiting', 'open', 'failed')),
                (SELECT c.due_on FROM campaign_items i JOIN campaigns c ON c.id = i.campaign_id
                  WHERE i.safe_id = s.id AND i.status IN ('waiting', 'open', 'failed')),
                (SELECT activated_at FROM codes WHERE safe_id = s.id AND state = 'current')
         FROM safes s JOIN buildings b ON b.id = s.building_id
         JOIN organisations o ON o.id = b.owner_org_id WHERE s.id = ?1",
        [safe.to_string()],
        |r| {
            Ok(ReportGroup {
                safe_id: safe,
                address: col(r, 0)?,
                district: col(r, 1)?,
                owner_id: col(r, 2)?,
                owner: col(r, 3)?,
                safe_status: col(r, 4)?,
                change: SafeChange {
                    pending_campaign: col::<Option<CampaignId>>(r, 5)?,
                    pending_due: col::<Option<Date>>(r, 6)?,
                    current_since: col(r, 7)?,
                },
                reports: Vec::new(),
            })
        },
    )?;
    group.reports = reports;
    Ok(group)
}

/// What handling did, for the caller to rebuild documents after the commit.
pub struct Handled {
    pub reply: ReportsHandled,
    /// Volunteers whose round lost the safe to the urgent change.
    pub volunteers: Vec<PersonId>,
}

/// Deals with every new report of `safe` (the coordinator). Refused when there is none: two
/// coordinators acting at once do not start two changes.
pub fn handle(
    tx: &Connection,
    key: &SecretKey,
    safe: SafeId,
    action: ReportAction,
    reply: &str,
    by: PersonId,
    now: Timestamp,
) -> Result<Handled, ServerError> {
    let new: Vec<(ReportId, String)> = {
        let mut stmt = tx.prepare(
            "SELECT id, note FROM door_reports WHERE safe_id = ?1 AND outcome IS NULL ORDER BY received_at",
        )?;
        let rows = stmt.query_map([safe.to_string()], |r| Ok((parse_col(r, 0)?, r.get(1)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    if new.is_empty() {
        return Err(ServerError::Refused(Problem::NoNewReports));
    }
    let notes = new
        .iter()
        .map(|(_, n)| n.as_str())
        .filter(|n| !n.is_empty())
        .collect::<Vec<_>>()
        .join(" / ");
    let mut out = ReportsHandled {
        handled: u32::try_from(new.len()).unwrap_or(u32::MAX),
        campaign_id: None,
        due_on: None,
        repair_id: None,
    };
    let mut volunteers = Vec::new();
    let outcome = match action {
        ReportAction::Leak | ReportAction::Urgent => {
            let urgency = if action == ReportAction::Leak {
                Urgency::Leak
            } else {
                Urgency::Urgent
            };
            let planned = urgent::plan(tx, key, safe, urgency, by, reply, now)?;
            out.campaign_id = Some(planned.reply.campaign.id);
            out.due_on = Some(planned.reply.due_on);
            volunteers = planned.volunteers;
            if urgency == Urgency::Leak {
                "leak"
            } else {
                "urgent"
            }
        }
        ReportAction::RepairBroken | ReportAction::RepairKeyMissing => {
            let reason = action
                .repair()
                .ok_or(ServerError::Refused(Problem::Unknown))?;
            let note = if reply.is_empty() {
                notes.as_str()
            } else {
                reply
            };
            let (first, _) = &new[0];
            out.repair_id = Some(repairs::open(
                tx,
                safe,
                reason,
                note,
                Source::Report(*first),
                now,
                &mut OsRandom,
            )?);
            "repair"
        }
        ReportAction::Close => {
            if reply.trim().is_empty() {
                return Err(ServerError::Refused(Problem::ReplyNeeded));
            }
            "closed"
        }
        ReportAction::Unknown => return Err(ServerError::Refused(Problem::Unknown)),
    };
    for (id, _) in &new {
        tx.execute(
            "UPDATE door_reports SET outcome = ?2, handled_by = ?3, handled_at = ?4, reply = ?5,
                    repair_id = COALESCE(?6, repair_id), campaign_id = ?7 WHERE id = ?1",
            params![
                id.to_string(),
                outcome,
                by.to_string(),
                now.millis(),
                reply,
                out.repair_id.map(|r| r.to_string()),
                out.campaign_id.map(|c| c.to_string())
            ],
        )?;
    }
    audit::record(
        tx,
        EventId::random(&mut OsRandom),
        now,
        now,
        Some(by),
        None,
        AuditKind::ReportsHandled,
        Some(safe),
        &format!("{outcome} ({}): {reply}", new.len()),
    )?;
    Ok(Handled {
        reply: out,
        volunteers,
    })
}
