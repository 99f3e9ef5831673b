//! The audit trail: what people did with codes, recorded from device outboxes and the API.

use kluis_domain::ids::{DeviceId, EventId, PersonId, SafeId};
use kluis_domain::model::AuditKind;
use kluis_domain::time::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};

use super::column::col;
use crate::error::ServerError;
pub use kluis_api::admin::AuditRow;

/// Records an event once: a device that syncs the same event twice adds nothing.
#[allow(clippy::too_many_arguments)]
pub fn record(
    conn: &Connection,
    id: EventId,
    at: Timestamp,
    now: Timestamp,
    person: Option<PersonId>,
    device: Option<DeviceId>,
    kind: AuditKind,
    safe: Option<SafeId>,
    detail: &str,
) -> Result<bool, ServerError> {
    let n = conn.execute(
        "INSERT OR IGNORE INTO audit_events (id, at, recorded_at, person_id, device_id, kind, safe_id, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            id.to_string(),
            at.millis(),
            now.millis(),
            person.map(|p| p.to_string()),
            device.map(|d| d.to_string()),
            kind.as_str(),
            safe.map(|s| s.to_string()),
            detail
        ],
    )?;
    Ok(n > 0)
}

/// Whether an event with this id is in the trail already.
pub fn exists(conn: &Connection, id: EventId) -> Result<bool, ServerError> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM audit_events WHERE id = ?1",
            [id.to_string()],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

pub fn recent(conn: &Connection, limit: u32) -> Result<Vec<AuditRow>, ServerError> {
    let mut stmt = conn.prepare(
        "SELECT e.id, e.at, e.kind, p.name, e.device_id, e.safe_id, e.detail
         FROM audit_events e LEFT JOIN people p ON p.id = e.person_id ORDER BY e.at DESC LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit], |r| {
        Ok(AuditRow {
            id: col(r, 0)?,
            at: col(r, 1)?,
            kind: col(r, 2)?,
            person: col(r, 3)?,
            device_id: col(r, 4)?,
            safe_id: col(r, 5)?,
            detail: col(r, 6)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
