//! Organisations as the coordinator keeps them: added, edited, deactivated (never deleted:
//! people, buildings and the audit trail refer to them).

use kluis_api::registry::{FieldChange, OrganisationEdit, OrganisationRow};
use kluis_domain::ids::{OrgId, PersonId};
use kluis_domain::model::{AuditKind, OrgKind};
use kluis_domain::time::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};

use super::audit::{self, Target};
use super::column::col;
use crate::error::{Problem, ServerError};

const ROW: &str = "SELECT o.id, o.kind, o.name, o.contact_person, o.phone, o.email, o.deactivated_at IS NULL,
        CASE o.kind WHEN 'housing_company' THEN (SELECT COUNT(*) FROM buildings b WHERE b.owner_org_id = o.id)
                    ELSE (SELECT COUNT(*) FROM service_activity a WHERE a.service_id = o.id) END,
        (SELECT COUNT(*) FROM people p WHERE p.org_id = o.id AND p.revoked_at IS NULL)
     FROM organisations o";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<OrganisationRow> {
    Ok(OrganisationRow {
        id: col(r, 0)?,
        kind: col(r, 1)?,
        name: col(r, 2)?,
        contact_person: col(r, 3)?,
        phone: col(r, 4)?,
        email: col(r, 5)?,
        active: r.get(6)?,
        buildings: col(r, 7)?,
        people: col(r, 8)?,
    })
}

/// Every organisation, by kind and name.
pub fn list(conn: &Connection) -> Result<Vec<OrganisationRow>, ServerError> {
    let mut stmt = conn.prepare(&format!("{ROW} ORDER BY o.kind, o.name COLLATE NOCASE"))?;
    let rows = stmt.query_map([], row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn get(conn: &Connection, id: OrgId) -> Result<Option<OrganisationRow>, ServerError> {
    Ok(conn
        .query_row(&format!("{ROW} WHERE o.id = ?1"), [id.to_string()], row)
        .optional()?)
}

/// An organisation that exists, is active and is of `kind`; else the problem to answer.
pub fn active_of_kind(
    conn: &Connection,
    id: OrgId,
    kind: OrgKind,
) -> Result<OrganisationRow, ServerError> {
    match get(conn, id)? {
        Some(o) if o.kind == kind && o.active => Ok(o),
        Some(o) if o.kind == kind => Err(ServerError::Refused(Problem::OrganisationInactive)),
        _ => Err(ServerError::Refused(Problem::UnknownOrganisation)),
    }
}

fn name_taken(conn: &Connection, name: &str, except: Option<OrgId>) -> Result<bool, ServerError> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM organisations WHERE name = ?1 COLLATE NOCASE AND (?2 IS NULL OR id != ?2)",
            params![name, except.map(|o| o.to_string())],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Adds an organisation (fields already checked).
#[allow(clippy::too_many_arguments)]
pub fn insert(
    tx: &Connection,
    id: OrgId,
    kind: OrgKind,
    name: &str,
    contact_person: &str,
    phone: &str,
    email: &str,
    by: Option<PersonId>,
    now: Timestamp,
) -> Result<(), ServerError> {
    if name_taken(tx, name, None)? {
        return Err(ServerError::Refused(Problem::NameTaken));
    }
    tx.execute(
        "INSERT INTO organisations (id, kind, name, contact_person, phone, email) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id.to_string(), kind.as_str(), name, contact_person, phone, email],
    )?;
    let changes = [
        ("kind", kind.as_str()),
        ("name", name),
        ("contact_person", contact_person),
        ("phone", phone),
        ("email", email),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(f, v)| FieldChange {
        field: f.into(),
        before: String::new(),
        after: v.into(),
    })
    .collect::<Vec<_>>();
    audit::record_edit(
        tx,
        now,
        by,
        AuditKind::OrganisationAdded,
        Target::org(id),
        &changes,
    )
}

/// Applies an edit (fields already checked); returns whether anything changed.
pub fn update(
    tx: &Connection,
    before: &OrganisationRow,
    edit: &OrganisationEdit,
    by: Option<PersonId>,
    now: Timestamp,
) -> Result<bool, ServerError> {
    if before.name != edit.name && name_taken(tx, &edit.name, Some(before.id))? {
        return Err(ServerError::Refused(Problem::NameTaken));
    }
    let yes_no = |b: bool| if b { "true" } else { "false" }.to_string();
    let changes: Vec<FieldChange> = [
        ("name", before.name.clone(), edit.name.clone()),
        (
            "contact_person",
            before.contact_person.clone(),
            edit.contact_person.clone(),
        ),
        ("phone", before.phone.clone(), edit.phone.clone()),
        ("email", before.email.clone(), edit.email.clone()),
        ("active", yes_no(before.active), yes_no(edit.active)),
    ]
    .into_iter()
    .filter(|(_, b, a)| b != a)
    .map(|(f, b, a)| FieldChange {
        field: f.into(),
        before: b,
        after: a,
    })
    .collect();
    if changes.is_empty() {
        return Ok(false);
    }
    tx.execute(
        "UPDATE organisations SET name = ?2, contact_person = ?3, phone = ?4, email = ?5,
            deactivated_at = CASE WHEN ?6 THEN NULL ELSE COALESCE(deactivated_at, ?7) END
         WHERE id = ?1",
        params![
            before.id.to_string(),
            edit.name,
            edit.contact_person,
            edit.phone,
            edit.email,
            edit.active,
            now.millis()
        ],
    )?;
    audit::record_edit(
        tx,
        now,
        by,
        AuditKind::OrganisationChanged,
        Target::org(before.id),
        &changes,
    )?;
    Ok(true)
}
