//! The audit trail: what people did with codes, recorded from device outboxes and the API.

use kluis_api::registry::FieldChange;
use kluis_domain::ids::{BuildingId, DeviceId, EventId, OrgId, PersonId, SafeId};
use kluis_domain::model::AuditKind;
use kluis_domain::time::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};

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
    conn.execute(
        "INSERT INTO audit_events (id, at, recorded_at, person_id, kind, safe_id, building_id, org_id, subject_id, detail)
         VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            EventId::random(&mut crate::state::OsRandom).to_string(),
            now.millis(),
            by.map(|p| p.to_string()),
            kind.as_str(),
            target.safe.map(|s| s.to_string()),
            target.building.map(|b| b.to_string()),
            target.org.map(|o| o.to_string()),
            target.subject.map(|p| p.to_string()),
            detail
        ],
    )?;
    Ok(())
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
