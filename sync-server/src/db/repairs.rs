//! Repair orders for housing companies: opened when a volunteer or a carer finds a safe
//! broken or its key missing (or when the coordinator decides so from a report), planned and
//! finished by the owning company. A broken safe stands "defect" until its last open broken
//! repair is done. Every step by a person is audited in its transaction.

use kluis_api::reports::RepairRow;
use kluis_domain::ids::{EventId, OrgId, PersonId, RepairId, ReportId, SafeId};
use kluis_domain::model::{AuditKind, ChangeFailure, SafeStatus};
use kluis_domain::rng::RandomSource;
use kluis_domain::time::{Date, Timestamp};
use rusqlite::{Connection, OptionalExtension, params};

use super::audit;
use super::column::col;
use super::registry::parse_col;
use crate::error::{Problem, ServerError};
use crate::state::OsRandom;

/// What a repair order came from.
#[derive(Clone, Copy, Debug)]
pub enum Source {
    /// A volunteer's "Niet gelukt" record.
    Record(EventId),
    /// A report from the door.
    Report(ReportId),
}

/// The open repair of `safe` for `reason`, opened now when there is none: a second report of
/// the same broken safe joins the order already with the housing company.
pub fn open(
    conn: &Connection,
    safe: SafeId,
    reason: ChangeFailure,
    note: &str,
    source: Source,
    now: Timestamp,
    rng: &mut dyn RandomSource,
) -> Result<RepairId, ServerError> {
    let (record, report) = match source {
        Source::Record(id) => (Some(id.to_string()), None),
        Source::Report(id) => (None, Some(id.to_string())),
    };
    let opened = conn.execute(
        "INSERT OR IGNORE INTO repair_items (id, safe_id, owner_org_id, reason, note, record_id, created_at)
         SELECT ?1, s.id, b.owner_org_id, ?3, ?4, ?5, ?6 FROM safes s JOIN buildings b ON b.id = s.building_id
         WHERE s.id = ?2",
        params![
            RepairId::random(rng).to_string(),
            safe.to_string(),
            reason.as_str(),
            note,
            record,
            now.millis()
        ],
    )?;
    if opened > 0 {
        super::notices::repair_new(conn, safe, reason, now)?;
    }
    let id: RepairId = conn.query_row(
        "SELECT id FROM repair_items WHERE safe_id = ?1 AND reason = ?2 AND resolved_at IS NULL",
        params![safe.to_string(), reason.as_str()],
        |r| parse_col(r, 0),
    )?;
    if let Some(report) = report {
        conn.execute(
            "UPDATE door_reports SET repair_id = ?2 WHERE id = ?1",
            params![report, id.to_string()],
        )?;
    }
    if reason == ChangeFailure::Broken {
        mark_defect(conn, safe)?;
    }
    Ok(id)
}

/// A broken safe turns defect when its life cycle allows it (not from requested or removed).
fn mark_defect(conn: &Connection, safe: SafeId) -> Result<(), ServerError> {
    let status: SafeStatus = conn.query_row(
        "SELECT status FROM safes WHERE id = ?1",
        [safe.to_string()],
        |r| parse_col(r, 0),
    )?;
    if status.can_transition_to(SafeStatus::Defect) {
        conn.execute(
            "UPDATE safes SET status = 'defect' WHERE id = ?1",
            [safe.to_string()],
        )?;
    }
    Ok(())
}

struct Open {
    safe: SafeId,
    created: Timestamp,
}

fn open_one(conn: &Connection, repair: RepairId) -> Result<Open, ServerError> {
    let row: Option<(SafeId, Timestamp, Option<i64>)> = conn
        .query_row(
            "SELECT safe_id, created_at, resolved_at FROM repair_items WHERE id = ?1",
            [repair.to_string()],
            |r| Ok((parse_col(r, 0)?, col(r, 1)?, r.get(2)?)),
        )
        .optional()?;
    match row {
        None => Err(ServerError::NotFound("Deze herstelling".into())),
        Some((_, _, Some(_))) => Err(ServerError::Refused(Problem::RepairClosed)),
        Some((safe, created, None)) => Ok(Open { safe, created }),
    }
}

/// The day the company will come (today or later; it may move).
pub fn plan(
    conn: &Connection,
    repair: RepairId,
    on: Date,
    today: Date,
    by: PersonId,
    now: Timestamp,
) -> Result<(), ServerError> {
    let open = open_one(conn, repair)?;
    if on < today {
        return Err(ServerError::Refused(Problem::DateInPast {
            field: kluis_api::error::Field::Day,
        }));
    }
    conn.execute(
        "UPDATE repair_items SET planned_on = ?2, updated_by = ?3 WHERE id = ?1",
        params![repair.to_string(), on.to_string(), by.to_string()],
    )?;
    audit_step(conn, AuditKind::RepairPlanned, &open, repair, on, by, now)
}

/// The audit row of a company's step on a repair: which repair, which day.
fn audit_step(
    conn: &Connection,
    kind: AuditKind,
    open: &Open,
    repair: RepairId,
    on: Date,
    by: PersonId,
    now: Timestamp,
) -> Result<(), ServerError> {
    audit::record(
        conn,
        EventId::random(&mut OsRandom),
        now,
        now,
        Some(by),
        None,
        kind,
        Some(open.safe),
        &format!("{repair}: {on}"),
    )?;
    Ok(())
}

/// Closes a repair on the day it was done (not after today, not before it was asked); a safe
/// without open broken repairs is active again if it was defect. Returns the safe, whose
/// documents the caller rebuilds after the commit.
pub fn done(
    conn: &Connection,
    repair: RepairId,
    on: Date,
    today: Date,
    by: PersonId,
    now: Timestamp,
) -> Result<SafeId, ServerError> {
    let open = open_one(conn, repair)?;
    let field = kluis_api::error::Field::Day;
    if on > today {
        return Err(ServerError::Refused(Problem::DateInFuture { field }));
    }
    if on < crate::clock::today_in_ghent(open.created) {
        return Err(ServerError::Refused(Problem::DateInPast { field }));
    }
    conn.execute(
        "UPDATE repair_items SET resolved_at = ?2, done_on = ?3, updated_by = ?4 WHERE id = ?1",
        params![
            repair.to_string(),
            now.millis(),
            on.to_string(),
            by.to_string()
        ],
    )?;
    conn.execute(
        "UPDATE safes SET status = 'active' WHERE id = ?1 AND status = 'defect'
         AND NOT EXISTS (SELECT 1 FROM repair_items WHERE safe_id = ?1 AND reason = 'broken' AND resolved_at IS NULL)",
        [open.safe.to_string()],
    )?;
    audit_step(conn, AuditKind::RepairDone, &open, repair, on, by, now)?;
    Ok(open.safe)
}

/// Repairs, open first; `owner` limits them to one housing company's buildings.
pub fn list(conn: &Connection, owner: Option<OrgId>) -> Result<Vec<RepairRow>, ServerError> {
    let mut stmt = conn.prepare(
        "SELECT r.id, r.safe_id, b.street || ' ' || b.numbers || ', ' || b.postcode || ' ' || b.city,
                r.owner_org_id, o.name, r.reason, r.note,
                COALESCE(p.name, (SELECT q.name FROM door_reports d JOIN people q ON q.id = d.person_id
                                  WHERE d.repair_id = r.id ORDER BY d.received_at LIMIT 1)),
                r.created_at, r.resolved_at, r.planned_on, r.done_on,
                (SELECT COUNT(*) FROM door_reports d WHERE d.repair_id = r.id)
         FROM repair_items r JOIN safes s ON s.id = r.safe_id JOIN buildings b ON b.id = s.building_id
         JOIN organisations o ON o.id = r.owner_org_id
         LEFT JOIN change_records c ON c.id = r.record_id LEFT JOIN people p ON p.id = c.volunteer_id
         WHERE ?1 IS NULL OR r.owner_org_id = ?1
         ORDER BY r.resolved_at IS NOT NULL, r.created_at DESC LIMIT 2000",
    )?;
    let rows = stmt.query_map(params![owner.map(|o| o.to_string())], |r| {
        Ok(RepairRow {
            id: col(r, 0)?,
            safe_id: col(r, 1)?,
            address: col(r, 2)?,
            owner_id: col(r, 3)?,
            owner: col(r, 4)?,
            reason: col(r, 5)?,
            note: col(r, 6)?,
            reported_by: col(r, 7)?,
            created_at: col(r, 8)?,
            resolved_at: col(r, 9)?,
            planned_on: col(r, 10)?,
            done_on: col(r, 11)?,
            reports: col(r, 12)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The housing company that owns a repair's building.
pub fn owner(conn: &Connection, repair: RepairId) -> Result<OrgId, ServerError> {
    conn.query_row(
        "SELECT owner_org_id FROM repair_items WHERE id = ?1",
        [repair.to_string()],
        |r| parse_col(r, 0),
    )
    .optional()?
    .ok_or_else(|| ServerError::NotFound("Deze herstelling".into()))
}
