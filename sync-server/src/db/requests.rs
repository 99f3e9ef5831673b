//! Requests for new safes: made by a service admin or the coordinator, reviewed by the
//! coordinator (an approval puts a "requested" safe of the chosen model in the registry at
//! the building, which a new address becomes), installed by the owning housing company. Each
//! step is audited in its transaction.

use kluis_api::registry::{BuildingInput, FieldChange};
use kluis_api::requests::{RequestStatus, SafeRequestRow};
use kluis_domain::ids::{BuildingId, OrgId, PersonId, RequestId, SafeId, SafeModelId};
use kluis_domain::model::{AuditKind, SafeStatus};
use kluis_domain::time::{Date, Timestamp};
use rusqlite::{Connection, OptionalExtension, params};

use super::audit::{self, Target};
use super::buildings::{self, SafeFields};
use super::column::col;
use crate::error::{Problem, ServerError};

/// Who sees which requests.
#[derive(Clone, Copy, Debug)]
pub enum RequestScope {
    All,
    /// A service admin: their service's.
    Service(OrgId),
    /// Housing-company staff: approved and installed ones at their company's buildings.
    Owner(OrgId),
}

fn status_str(s: RequestStatus) -> &'static str {
    match s {
        RequestStatus::Requested | RequestStatus::Unknown => "requested",
        RequestStatus::Approved => "approved",
        RequestStatus::Declined => "declined",
        RequestStatus::Installed => "installed",
    }
}

fn status_of(s: &str) -> RequestStatus {
    match s {
        "requested" => RequestStatus::Requested,
        "approved" => RequestStatus::Approved,
        "declined" => RequestStatus::Declined,
        "installed" => RequestStatus::Installed,
        _ => RequestStatus::Unknown,
    }
}

const ROW: &str = "SELECT r.id, r.status, r.building_id,
        r.street || ' ' || r.numbers || ', ' || r.postcode || ' ' || r.city,
        r.apartments, r.reason, r.contact, s.name, p.name, r.requested_at, r.reviewed_at,
        r.decline_reason, m.name, o.name, r.safe_id, r.installed_at
     FROM safe_requests r JOIN people p ON p.id = r.requested_by
     LEFT JOIN organisations s ON s.id = r.service_id
     LEFT JOIN safe_models m ON m.id = r.model_id
     LEFT JOIN organisations o ON o.id = r.owner_org_id";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SafeRequestRow> {
    Ok(SafeRequestRow {
        id: col(r, 0)?,
        status: status_of(&col::<String>(r, 1)?),
        building_id: col(r, 2)?,
        address: col(r, 3)?,
        apartments: col(r, 4)?,
        reason: col(r, 5)?,
        contact: col(r, 6)?,
        service: col(r, 7)?,
        requested_by: col(r, 8)?,
        requested_at: col(r, 9)?,
        reviewed_at: col(r, 10)?,
        decline_reason: col(r, 11)?,
        model: col(r, 12)?,
        owner: col(r, 13)?,
        safe_id: col(r, 14)?,
        installed_at: col(r, 15)?,
    })
}

/// The requests `scope` sees, newest first.
pub fn list(conn: &Connection, scope: RequestScope) -> Result<Vec<SafeRequestRow>, ServerError> {
    let (service, owner) = match scope {
        RequestScope::All => (None, None),
        RequestScope::Service(s) => (Some(s.to_string()), None),
        RequestScope::Owner(o) => (None, Some(o.to_string())),
    };
    let mut stmt = conn.prepare(&format!(
        "{ROW} WHERE (?1 IS NULL OR r.service_id = ?1)
           AND (?2 IS NULL OR (r.owner_org_id = ?2 AND r.status IN ('approved', 'installed')))
         ORDER BY r.requested_at DESC, r.rowid DESC LIMIT 1000"
    ))?;
    let rows = stmt.query_map(params![service, owner], row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One request, if `scope` sees it.
pub fn get(
    conn: &Connection,
    scope: RequestScope,
    id: RequestId,
) -> Result<SafeRequestRow, ServerError> {
    list(conn, scope)?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or_else(|| ServerError::NotFound("request".into()))
}

/// A new request; `building` is the registry's when given (its address is copied).
#[allow(clippy::too_many_arguments)]
pub fn insert(
    tx: &Connection,
    id: RequestId,
    address: &BuildingInput,
    building: Option<BuildingId>,
    reason: &str,
    contact: &str,
    service: Option<OrgId>,
    by: PersonId,
    now: Timestamp,
) -> Result<(), ServerError> {
    tx.execute(
        "INSERT INTO safe_requests (id, building_id, street, numbers, postcode, city, apartments, reason, contact,
                                    service_id, requested_by, requested_at, status)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'requested')",
        params![
            id.to_string(),
            building.map(|b| b.to_string()),
            address.street,
            address.numbers,
            address.postcode,
            address.city,
            address.apartments,
            reason,
            contact,
            service.map(|s| s.to_string()),
            by.to_string(),
            now.millis()
        ],
    )?;
    let target = Target {
        building,
        org: service,
        ..Target::default()
    };
    audit::record_edit(
        tx,
        now,
        Some(by),
        AuditKind::SafeRequested,
        target,
        &[FieldChange {
            field: "address".into(),
            before: String::new(),
            after: format!(
                "{} {}, {} {}",
                address.street, address.numbers, address.postcode, address.city
            ),
        }],
    )
}

/// The status and the building of a request, to check a step against.
fn state(
    tx: &Connection,
    id: RequestId,
) -> Result<(RequestStatus, Option<BuildingId>), ServerError> {
    tx.query_row(
        "SELECT status, building_id FROM safe_requests WHERE id = ?1",
        [id.to_string()],
        |r| Ok((status_of(&col::<String>(r, 0)?), col(r, 1)?)),
    )
    .optional()?
    .ok_or_else(|| ServerError::NotFound("request".into()))
}

/// Declines a waiting request with a reason.
pub fn decline(
    tx: &Connection,
    id: RequestId,
    reason: &str,
    by: PersonId,
    now: Timestamp,
) -> Result<(), ServerError> {
    let (status, building) = state(tx, id)?;
    if status != RequestStatus::Requested {
        return Err(ServerError::Refused(Problem::RequestState));
    }
    tx.execute(
        "UPDATE safe_requests SET status = 'declined', reviewed_by = ?2, reviewed_at = ?3, decline_reason = ?4 WHERE id = ?1",
        params![id.to_string(), by.to_string(), now.millis(), reason],
    )?;
    audit::record_edit(
        tx,
        now,
        Some(by),
        AuditKind::RequestReviewed,
        Target {
            building,
            ..Target::default()
        },
        &[FieldChange {
            field: "request".into(),
            before: status_str(status).into(),
            after: "declined".into(),
        }],
    )
}

/// Approves a waiting request: the building (made from the address when new, owned by
/// `owner`) gets a "requested" safe of `model`, which its housing company will hang.
#[allow(clippy::too_many_arguments)]
pub fn approve(
    tx: &Connection,
    id: RequestId,
    model: SafeModelId,
    model_name: &str,
    new_building: Option<(BuildingId, BuildingInput, String)>,
    safe: SafeId,
    by: PersonId,
    now: Timestamp,
) -> Result<BuildingId, ServerError> {
    let (status, building) = state(tx, id)?;
    if status != RequestStatus::Requested {
        return Err(ServerError::Refused(Problem::RequestState));
    }
    let building = match (building, new_building) {
        (Some(b), _) => b,
        (None, Some((b, input, owner_name))) => {
            buildings::insert(tx, b, &input, &owner_name, Some(by), now)?;
            b
        }
        (None, None) => return Err(ServerError::Refused(Problem::UnknownHousingCompany)),
    };
    let owner: String = tx.query_row(
        "SELECT owner_org_id FROM buildings WHERE id = ?1",
        [building.to_string()],
        |r| r.get(0),
    )?;
    buildings::insert_safe(
        tx,
        safe,
        building,
        &SafeFields {
            model,
            model_name: model_name.into(),
            placement: String::new(),
            status: SafeStatus::Requested,
            installed_on: None,
        },
        Some(by),
        now,
    )?;
    tx.execute(
        "UPDATE safe_requests SET status = 'approved', reviewed_by = ?2, reviewed_at = ?3, model_id = ?4,
                owner_org_id = ?5, building_id = ?6, safe_id = ?7 WHERE id = ?1",
        params![
            id.to_string(),
            by.to_string(),
            now.millis(),
            model.to_string(),
            owner,
            building.to_string(),
            safe.to_string()
        ],
    )?;
    audit::record_edit(
        tx,
        now,
        Some(by),
        AuditKind::RequestReviewed,
        Target::building(building, Some(safe)),
        &[FieldChange {
            field: "request".into(),
            before: status_str(status).into(),
            after: "approved".into(),
        }],
    )?;
    Ok(building)
}

/// The housing company hung the approved safe: it stands "installed" from `installed_on`, so
/// its first code is due within 5 working days.
pub fn installed(
    tx: &Connection,
    id: RequestId,
    placement: &str,
    installed_on: Date,
    by: PersonId,
    now: Timestamp,
) -> Result<BuildingId, ServerError> {
    let (status, building) = state(tx, id)?;
    let building = building.ok_or(ServerError::Refused(Problem::RequestState))?;
    if status != RequestStatus::Approved {
        return Err(ServerError::Refused(Problem::RequestState));
    }
    let safe: SafeId = tx.query_row(
        "SELECT safe_id FROM safe_requests WHERE id = ?1",
        [id.to_string()],
        |r| col(r, 0),
    )?;
    let (_, before) =
        buildings::safe(tx, safe)?.ok_or_else(|| ServerError::NotFound("safe".into()))?;
    let fields = SafeFields {
        model: before.model_id,
        model_name: before.model.clone(),
        placement: placement.into(),
        status: SafeStatus::Installed,
        installed_on: Some(installed_on),
    };
    buildings::update_safe(tx, building, &before, &fields, Some(by), now)?;
    tx.execute(
        "UPDATE safe_requests SET status = 'installed', installed_by = ?2, installed_at = ?3 WHERE id = ?1",
        params![id.to_string(), by.to_string(), now.millis()],
    )?;
    audit::record_edit(
        tx,
        now,
        Some(by),
        AuditKind::RequestInstalled,
        Target::building(building, Some(safe)),
        &[FieldChange {
            field: "installed_on".into(),
            before: String::new(),
            after: installed_on.to_string(),
        }],
    )?;
    Ok(building)
}
