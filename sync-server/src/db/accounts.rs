//! Organisations, people, devices and sessions. Session tokens are stored only as hashes.

use kluis_domain::ids::{DeviceId, OrgId, PersonId};
use kluis_domain::model::{OrgKind, Organisation, Person};
use kluis_domain::time::Timestamp;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::column::col;
use super::registry::parse_col;
use crate::error::ServerError;
pub use kluis_api::admin::DeviceRow;

pub fn org_kind_str(kind: OrgKind) -> &'static str {
    match kind {
        OrgKind::CoordinatorOffice => "coordinator_office",
        OrgKind::CareService => "care_service",
        OrgKind::HousingCompany => "housing_company",
    }
}

fn org_kind_parse(s: &str) -> Option<OrgKind> {
    match s {
        "coordinator_office" => Some(OrgKind::CoordinatorOffice),
        "care_service" => Some(OrgKind::CareService),
        "housing_company" => Some(OrgKind::HousingCompany),
        _ => None,
    }
}

pub fn insert_org(conn: &Connection, org: &Organisation) -> Result<(), ServerError> {
    conn.execute(
        "INSERT INTO organisations (id, kind, name) VALUES (?1, ?2, ?3)",
        params![org.id.to_string(), org_kind_str(org.kind), org.name],
    )?;
    Ok(())
}

pub fn insert_person(
    conn: &Connection,
    p: &Person,
    password_hash: &str,
    now: Timestamp,
) -> Result<(), ServerError> {
    conn.execute(
        "INSERT INTO people (id, org_id, name, login, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![p.id.to_string(), p.org.to_string(), p.name, p.login, p.role.as_str(), password_hash, now.millis()],
    )?;
    Ok(())
}

/// Who is behind a session, as the API needs it for every decision.
#[derive(Clone, Debug)]
pub struct Actor {
    pub person: Person,
    pub org: Organisation,
    pub device: DeviceId,
}

pub(super) const PERSON_COLS: &str = "p.id, p.org_id, p.name, p.login, p.role, o.kind, o.name";

pub(super) fn person_row(r: &Row<'_>) -> rusqlite::Result<(Person, Organisation)> {
    let org =
        Organisation {
            id: parse_col(r, 1)?,
            kind: org_kind_parse(&r.get::<_, String>(5)?).ok_or(
                rusqlite::Error::InvalidColumnType(5, "kind".into(), rusqlite::types::Type::Text),
            )?,
            name: col(r, 6)?,
        };
    let person = Person {
        id: parse_col(r, 0)?,
        org: org.id,
        name: col(r, 2)?,
        login: col(r, 3)?,
        role: parse_col(r, 4)?,
    };
    Ok((person, org))
}

/// The person with this login, their password hash (empty: invited, no password chosen
/// yet), and whether they may not sign in (revoked, or their access ended before `today`).
pub fn find_login(
    conn: &Connection,
    login: &str,
    today: kluis_domain::time::Date,
) -> Result<Option<(Person, Organisation, String, bool)>, ServerError> {
    let sql = format!(
        "SELECT {PERSON_COLS}, p.password_hash,
                p.revoked_at IS NOT NULL OR (p.valid_until IS NOT NULL AND p.valid_until < ?2)
         FROM people p JOIN organisations o ON o.id = p.org_id WHERE p.login = ?1"
    );
    Ok(conn
        .query_row(&sql, params![login.trim(), today.to_string()], |r| {
            let (person, org) = person_row(r)?;
            Ok((person, org, r.get(7)?, r.get(8)?))
        })
        .optional()?)
}

pub fn find_person(
    conn: &Connection,
    id: PersonId,
) -> Result<Option<(Person, Organisation, bool)>, ServerError> {
    let sql = format!(
        "SELECT {PERSON_COLS}, p.revoked_at IS NOT NULL FROM people p JOIN organisations o ON o.id = p.org_id WHERE p.id = ?1"
    );
    Ok(conn
        .query_row(&sql, [id.to_string()], |r| {
            let (person, org) = person_row(r)?;
            Ok((person, org, r.get(7)?))
        })
        .optional()?)
}

pub fn find_person_by_login(
    conn: &Connection,
    login: &str,
) -> Result<Option<PersonId>, ServerError> {
    Ok(conn
        .query_row(
            "SELECT id FROM people WHERE login = ?1",
            [login.trim()],
            |r| parse_col(r, 0),
        )
        .optional()?)
}

/// Devices, all of them (`org == None`, the coordinator) or those of one organisation.
pub fn list_devices(conn: &Connection, org: Option<OrgId>) -> Result<Vec<DeviceRow>, ServerError> {
    let mut stmt = conn.prepare(
        "SELECT d.id, d.name, p.id, p.name, p.login, o.name, d.enrolled_at, d.last_seen_at, d.revoked_at,
                d.app_version
         FROM devices d JOIN people p ON p.id = d.person_id JOIN organisations o ON o.id = p.org_id
         WHERE ?1 IS NULL OR o.id = ?1 ORDER BY o.name, p.name, d.enrolled_at",
    )?;
    let rows = stmt.query_map([org.map(|o| o.to_string())], |r| {
        Ok(DeviceRow {
            id: col(r, 0)?,
            name: col(r, 1)?,
            person_id: col(r, 2)?,
            person_name: col(r, 3)?,
            login: col(r, 4)?,
            organisation: col(r, 5)?,
            enrolled_at: col(r, 6)?,
            last_seen_at: col(r, 7)?,
            revoked_at: col(r, 8)?,
            app_version: col(r, 9)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The organisation a device's person belongs to, to scope who may revoke it.
pub fn device_org(conn: &Connection, device: DeviceId) -> Result<Option<OrgId>, ServerError> {
    Ok(conn
        .query_row(
            "SELECT p.org_id FROM devices d JOIN people p ON p.id = d.person_id WHERE d.id = ?1",
            [device.to_string()],
            |r| parse_col(r, 0),
        )
        .optional()?)
}

/// Revokes a device and all its sessions inside the caller's transaction. Returns false
/// when it was revoked already. (`crate::revoke` adds what must follow.)
pub fn revoke_device_in(
    tx: &Connection,
    device: DeviceId,
    now: Timestamp,
) -> Result<bool, ServerError> {
    let n = tx.execute(
        "UPDATE devices SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
        params![device.to_string(), now.millis()],
    )?;
    tx.execute(
        "UPDATE sessions SET revoked_at = ?2 WHERE device_id = ?1 AND revoked_at IS NULL",
        params![device.to_string(), now.millis()],
    )?;
    tx.execute(
        "DELETE FROM sync_states WHERE device_id = ?1",
        [device.to_string()],
    )?;
    Ok(n > 0)
}

/// Revokes a person, every device of theirs and every session, inside the caller's
/// transaction. Returns false when they were revoked already.
pub fn revoke_person_in(
    tx: &Connection,
    person: PersonId,
    now: Timestamp,
) -> Result<bool, ServerError> {
    let n = tx.execute(
        "UPDATE people SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
        params![person.to_string(), now.millis()],
    )?;
    tx.execute(
        "UPDATE devices SET revoked_at = ?2 WHERE person_id = ?1 AND revoked_at IS NULL",
        params![person.to_string(), now.millis()],
    )?;
    tx.execute(
        "UPDATE sessions SET revoked_at = ?2 WHERE revoked_at IS NULL AND device_id IN (SELECT id FROM devices WHERE person_id = ?1)",
        params![person.to_string(), now.millis()],
    )?;
    tx.execute(
        "DELETE FROM sync_states WHERE device_id IN (SELECT id FROM devices WHERE person_id = ?1)",
        [person.to_string()],
    )?;
    Ok(n > 0)
}

/// The person a device belongs to.
pub fn device_person(conn: &Connection, device: DeviceId) -> Result<Option<PersonId>, ServerError> {
    Ok(conn
        .query_row(
            "SELECT person_id FROM devices WHERE id = ?1",
            [device.to_string()],
            |r| parse_col(r, 0),
        )
        .optional()?)
}
