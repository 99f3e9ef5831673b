//! The audit trail: what people did with codes, recorded from device outboxes and the API.

use kluis_api::registry::FieldChange;
use kluis_domain::ids::{BuildingId, DeviceId, EventId, OrgId, PersonId, SafeId};
use kluis_domain::model::AuditKind;
use kluis_domain::time::Timestamp;
use rusqlite::{Connection, OptionalExtension};

use super::audit_chain::{Chain, NewRow};
use super::column::col;
use crate::error::ServerError;

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
    if exists(conn, id)? {
        return Ok(false);
    }
    let (id, person, device, safe) = (
        id.to_string(),
        person.map(|p| p.to_string()),
        device.map(|d| d.to_string()),
        safe.map(|s| s.to_string()),
    );
    append_one(
        conn,
        &NewRow {
            id: &id,
            at: at.millis(),
            recorded_at: now.millis(),
            person: person.as_deref(),
            device: device.as_deref(),
            kind: kind.as_str(),
            safe: safe.as_deref(),
            detail,
            ..NewRow::default()
        },
    )?;
    Ok(true)
}

/// Appends one row at the chain's head. Outside a transaction the head is read under the
/// write lock (an admin command in another process may append at the same time); inside
/// one, SQLite refuses the commit if another process appended since the read.
fn append_one(conn: &Connection, row: &NewRow<'_>) -> Result<(), ServerError> {
    if !conn.is_autocommit() {
        return Chain::at_head(conn)?.append(conn, row);
    }
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let done = Chain::at_head(conn).and_then(|mut chain| chain.append(conn, row));
    match done {
        Ok(()) => Ok(conn.execute_batch("COMMIT")?),
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

/// What a registry edit is about: the building (whose history shows it), the safe, the
/// organisation and the person it changed.
#[derive(Clone, Copy, Debug, Default)]
pub struct Target {
    pub building: Option<BuildingId>,
    pub safe: Option<SafeId>,
    pub org: Option<OrgId>,
    pub subject: Option<PersonId>,
}

impl Target {
    pub fn person(person: PersonId, org: OrgId) -> Self {
        Target {
            subject: Some(person),
            org: Some(org),
            ..Target::default()
        }
    }

    pub fn org(org: OrgId) -> Self {
        Target {
            org: Some(org),
            ..Target::default()
        }
    }

    pub fn building(building: BuildingId, safe: Option<SafeId>) -> Self {
        Target {
            building: Some(building),
            safe,
            ..Target::default()
        }
    }
}

/// Records an edit by `by` (none: a command on the server) at the server's `now`, with the
/// fields before and after as JSON in `detail`.
pub fn record_edit(
    conn: &Connection,
    now: Timestamp,
    by: Option<PersonId>,
    kind: AuditKind,
    target: Target,
    changes: &[FieldChange],
) -> Result<(), ServerError> {
    let detail = serde_json::to_string(changes)
        .map_err(|e| ServerError::Invalid(format!("audit detail: {e}")))?;
    let id = EventId::random(&mut crate::state::OsRandom).to_string();
    let (by, safe, building, org, subject) = (
        by.map(|p| p.to_string()),
        target.safe.map(|s| s.to_string()),
        target.building.map(|b| b.to_string()),
        target.org.map(|o| o.to_string()),
        target.subject.map(|p| p.to_string()),
    );
    append_one(
        conn,
        &NewRow {
            id: &id,
            at: now.millis(),
            recorded_at: now.millis(),
            person: by.as_deref(),
            device: None,
            kind: kind.as_str(),
            safe: safe.as_deref(),
            building: building.as_deref(),
            org: org.as_deref(),
            subject: subject.as_deref(),
            detail: &detail,
        },
    )
}

/// The registry edits of a building and its safes, newest first (by the server's time).
pub fn building_history(
    conn: &Connection,
    building: BuildingId,
) -> Result<Vec<kluis_api::registry::RegistryChange>, ServerError> {
    let mut stmt = conn.prepare(
        "SELECT e.recorded_at, e.kind, p.name, e.safe_id, e.detail
         FROM audit_events e LEFT JOIN people p ON p.id = e.person_id
         WHERE e.building_id = ?1 ORDER BY e.recorded_at DESC, e.rowid DESC LIMIT 500",
    )?;
    let rows = stmt.query_map([building.to_string()], |r| {
        let detail: String = r.get(4)?;
        Ok(kluis_api::registry::RegistryChange {
            at: col(r, 0)?,
            kind: col(r, 1)?,
            person: col(r, 2)?,
            safe_id: col(r, 3)?,
            // Rows of other kinds carry prose; an edit's detail is its changes.
            changes: serde_json::from_str(&detail).unwrap_or_default(),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
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
