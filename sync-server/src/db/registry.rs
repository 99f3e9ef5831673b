//! Safes, buildings, models, codes and which service is active where. Codes are sealed with
//! the server key, bound to their safe and code id, before they touch the database.

use std::collections::BTreeMap;

use kluis_crypto::{Aad, SecretKey, open, seal};
use kluis_domain::ids::{CodeId, OrgId, SafeId, SafeModelId};
use kluis_domain::model::{Building, Code, CodeState, Safe, SafeStatus, ServiceActivity};
use kluis_domain::safe_model::{ButtonSet, SafeModel};
use kluis_domain::time::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::ServerError;

pub use super::column::parse_col;

fn code_aad(owner: &str) -> Aad<'_> {
    Aad {
        kind: "kluis/code",
        version: 1,
        owner,
    }
}

fn code_owner(safe: SafeId, code: CodeId) -> String {
    format!("{safe}/{code}")
}

pub fn seal_code(
    key: &SecretKey,
    safe: SafeId,
    code: CodeId,
    value: &ButtonSet,
) -> Result<Vec<u8>, ServerError> {
    let owner = code_owner(safe, code);
    Ok(seal(key, &code_aad(&owner), value.to_string().as_bytes())?)
}

pub fn open_code(
    key: &SecretKey,
    safe: SafeId,
    code: CodeId,
    sealed: &[u8],
) -> Result<ButtonSet, ServerError> {
    let owner = code_owner(safe, code);
    let bytes = open(key, &code_aad(&owner), sealed)?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| ServerError::Invalid("stored code is not text".into()))?;
    Ok(ButtonSet::parse(text)?)
}

pub fn insert_model(conn: &Connection, model: &SafeModel) -> Result<(), ServerError> {
    model.validate()?;
    let json = serde_json::to_string(model).map_err(|e| ServerError::Invalid(e.to_string()))?;
    conn.execute(
        "INSERT INTO safe_models (id, name, definition) VALUES (?1, ?2, ?3)",
        params![model.id.to_string(), model.name, json],
    )?;
    Ok(())
}

pub fn models(conn: &Connection) -> Result<BTreeMap<SafeModelId, SafeModel>, ServerError> {
    let mut stmt = conn.prepare("SELECT definition FROM safe_models")?;
    let mut out = BTreeMap::new();
    for json in stmt.query_map([], |r| r.get::<_, String>(0))? {
        let model: SafeModel = serde_json::from_str(&json?)
            .map_err(|e| ServerError::Invalid(format!("stored safe model: {e}")))?;
        out.insert(model.id, model);
    }
    Ok(out)
}

pub fn insert_building(conn: &Connection, b: &Building) -> Result<(), ServerError> {
    conn.execute(
        "INSERT INTO buildings (id, street, numbers, postcode, city, district, apartments, owner_org_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            b.id.to_string(),
            b.address.street,
            b.address.numbers.to_string(),
            b.address.postcode,
            b.address.city,
            b.district,
            b.apartments,
            b.owner.to_string()
        ],
    )?;
    Ok(())
}

pub fn insert_safe(conn: &Connection, s: &Safe) -> Result<(), ServerError> {
    conn.execute(
        "INSERT INTO safes (id, building_id, model_id, placement, status, installed_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            s.id.to_string(),
            s.building.to_string(),
            s.model.to_string(),
            s.placement,
            s.status.as_str(),
            s.installed_on.map(|d| d.to_string())
        ],
    )?;
    Ok(())
}

pub fn insert_code(conn: &Connection, key: &SecretKey, c: &Code) -> Result<(), ServerError> {
    // A campaign inserts thousands in one transaction: compiled once.
    conn.prepare_cached(
        "INSERT INTO codes (id, safe_id, sealed_value, state, created_at, activated_at, retired_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        c.id.to_string(),
        c.safe.to_string(),
        seal_code(key, c.safe, c.id, &c.value)?,
        c.state.as_str(),
        c.created_at.millis(),
        c.activated_at.map(|t| t.millis()),
        c.retired_at.map(|t| t.millis())
    ])?;
    Ok(())
}

pub fn insert_activity(conn: &Connection, a: &ServiceActivity) -> Result<(), ServerError> {
    conn.execute(
        "INSERT INTO service_activity (service_id, building_id, since, confirmed_on) VALUES (?1, ?2, ?3, ?4)",
        params![a.service.to_string(), a.building.to_string(), a.since.to_string(), a.confirmed_on.map(|d| d.to_string())],
    )?;
    Ok(())
}

/// Home-care services, for building every scope at start-up.
pub fn care_services(conn: &Connection) -> Result<Vec<(OrgId, String)>, ServerError> {
    let mut stmt = conn
        .prepare("SELECT id, name FROM organisations WHERE kind = 'care_service' ORDER BY name")?;
    let rows = stmt.query_map([], |r| Ok((parse_col(r, 0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Services active at the building of a safe: whose scopes a change to that safe touches.
pub fn services_seeing(conn: &Connection, safe: SafeId) -> Result<Vec<OrgId>, ServerError> {
    // Asked once per safe of a change: prepared once.
    let mut stmt = conn.prepare_cached(
        "SELECT a.service_id FROM service_activity a JOIN safes s ON s.building_id = a.building_id WHERE s.id = ?1",
    )?;
    let rows = stmt.query_map([safe.to_string()], |r| parse_col(r, 0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The safe's status and model, and its codes in use (current and pending) across all safes.
pub fn safe_for_rotation(
    conn: &Connection,
    safe: SafeId,
) -> Result<(SafeStatus, SafeModelId), ServerError> {
    conn.query_row(
        "SELECT status, model_id FROM safes WHERE id = ?1",
        [safe.to_string()],
        |r| Ok((parse_col(r, 0)?, parse_col(r, 1)?)),
    )
    .optional()?
    .ok_or_else(|| ServerError::NotFound("safe".into()))
}

/// A safe's past codes, newest first, so the generator can avoid reusing them.
pub fn code_history(
    conn: &Connection,
    key: &SecretKey,
    safe: SafeId,
) -> Result<Vec<ButtonSet>, ServerError> {
    let mut stmt = conn.prepare(
        "SELECT id, sealed_value FROM codes WHERE safe_id = ?1 ORDER BY created_at DESC",
    )?;
    let rows = stmt.query_map([safe.to_string()], |r| {
        Ok((parse_col::<CodeId>(r, 0)?, r.get::<_, Vec<u8>>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (code, sealed) = row?;
        out.push(open_code(key, safe, code, &sealed)?);
    }
    Ok(out)
}

/// The current code of a safe (for the coordinator and tests), if any.
pub fn current_code(
    conn: &Connection,
    key: &SecretKey,
    safe: SafeId,
) -> Result<Option<ButtonSet>, ServerError> {
    let row = conn
        .query_row(
            "SELECT id, sealed_value FROM codes WHERE safe_id = ?1 AND state = 'current'",
            [safe.to_string()],
            |r| Ok((parse_col::<CodeId>(r, 0)?, r.get::<_, Vec<u8>>(1)?)),
        )
        .optional()?;
    row.map(|(code, sealed)| open_code(key, safe, code, &sealed))
        .transpose()
}

/// Makes `value` the current code of `safe` at once; the old current code becomes the
/// previous one (shown during the grace period), older previous codes retire.
pub fn replace_current_code(
    conn: &mut Connection,
    key: &SecretKey,
    safe: SafeId,
    code: CodeId,
    value: &ButtonSet,
    now: Timestamp,
    by: Option<kluis_domain::ids::PersonId>,
) -> Result<(), ServerError> {
    let tx = conn.transaction()?;
    super::audit::record(
        &tx,
        kluis_domain::ids::EventId::random(&mut crate::state::OsRandom),
        now,
        now,
        by,
        None,
        kluis_domain::model::AuditKind::CodeRotated,
        Some(safe),
        "",
    )?;
    tx.execute(
        "UPDATE codes SET state = 'retired' WHERE safe_id = ?1 AND state = 'previous'",
        [safe.to_string()],
    )?;
    tx.execute(
        "UPDATE codes SET state = 'previous', retired_at = ?2 WHERE safe_id = ?1 AND state = 'current'",
        params![safe.to_string(), now.millis()],
    )?;
    let c = Code {
        id: code,
        safe,
        value: value.clone(),
        state: CodeState::Current,
        created_at: now,
        activated_at: Some(now),
        retired_at: None,
    };
    insert_code(&tx, key, &c)?;
    tx.execute(
        "UPDATE safes SET status = 'active' WHERE id = ?1 AND status = 'installed'",
        [safe.to_string()],
    )?;
    tx.commit()?;
    Ok(())
}
