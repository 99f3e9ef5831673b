//! Automerge documents at rest, sealed with the server key (they hold codes), and the
//! per-device sync states.

use kluis_crypto::{Aad, SecretKey, open, seal};
use kluis_domain::ids::{DeviceId, PersonId};
use kluis_domain::sync::DocId;
use kluis_domain::time::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::ServerError;

fn rounds_aad(owner: &str) -> Aad<'_> {
    Aad {
        kind: "kluis/rounds-doc",
        version: 1,
        owner,
    }
}

/// A volunteer's rounds document and its epoch.
pub fn load_rounds(
    conn: &Connection,
    key: &SecretKey,
    person: PersonId,
) -> Result<Option<(u32, Vec<u8>)>, ServerError> {
    let row: Option<(u32, Vec<u8>)> = conn
        .query_row(
            "SELECT epoch, sealed_doc FROM rounds_docs WHERE person_id = ?1",
            [person.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((epoch, sealed)) = row else {
        return Ok(None);
    };
    let owner = format!("{person}/{epoch}");
    Ok(Some((
        epoch,
        open(key, &rounds_aad(&owner), &sealed)?.to_vec(),
    )))
}

pub fn store_rounds(
    conn: &Connection,
    key: &SecretKey,
    person: PersonId,
    epoch: u32,
    doc: &[u8],
    now: Timestamp,
) -> Result<(), ServerError> {
    let owner = format!("{person}/{epoch}");
    let sealed = seal(key, &rounds_aad(&owner), doc)?;
    conn.execute(
        "INSERT INTO rounds_docs (person_id, epoch, sealed_doc, updated_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (person_id) DO UPDATE SET epoch = excluded.epoch, sealed_doc = excluded.sealed_doc, updated_at = excluded.updated_at",
        params![person.to_string(), epoch, sealed, now.millis()],
    )?;
    Ok(())
}

pub fn load_device_doc(
    conn: &Connection,
    key: &SecretKey,
    device: DeviceId,
) -> Result<Option<Vec<u8>>, ServerError> {
    let sealed: Option<Vec<u8>> = conn
        .prepare_cached("SELECT sealed_doc FROM device_docs WHERE device_id = ?1")?
        .query_row([device.to_string()], |r| r.get(0))
        .optional()?;
    let Some(sealed) = sealed else {
        return Ok(None);
    };
    let owner = device.to_string();
    Ok(Some(
        open(
            key,
            &Aad {
                kind: "kluis/device-doc",
                version: 1,
                owner: &owner,
            },
            &sealed,
        )?
        .to_vec(),
    ))
}

pub fn store_device_doc(
    conn: &Connection,
    key: &SecretKey,
    device: DeviceId,
    doc: &[u8],
    now: Timestamp,
) -> Result<(), ServerError> {
    let owner = device.to_string();
    let sealed = seal(
        key,
        &Aad {
            kind: "kluis/device-doc",
            version: 1,
            owner: &owner,
        },
        doc,
    )?;
    conn.execute(
        "INSERT INTO device_docs (device_id, sealed_doc, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (device_id) DO UPDATE SET sealed_doc = excluded.sealed_doc, updated_at = excluded.updated_at",
        params![device.to_string(), sealed, now.millis()],
    )?;
    Ok(())
}

pub fn sync_state(
    conn: &Connection,
    device: DeviceId,
    doc: &DocId,
) -> Result<Option<Vec<u8>>, ServerError> {
    Ok(conn
        .prepare_cached("SELECT state FROM sync_states WHERE device_id = ?1 AND doc_id = ?2")?
        .query_row(params![device.to_string(), doc.to_string()], |r| r.get(0))
        .optional()?)
}

/// Stores a sync state written behind (`sync::states`), unless the device was revoked
/// meanwhile: revocation deletes its states, and they must not come back.
pub fn store_sync_state_if_active(
    conn: &Connection,
    device: DeviceId,
    doc: &DocId,
    state: &[u8],
) -> Result<(), ServerError> {
    conn.prepare_cached(
        "INSERT INTO sync_states (device_id, doc_id, state)
         SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM devices WHERE id = ?1 AND revoked_at IS NULL)
         ON CONFLICT (device_id, doc_id) DO UPDATE SET state = excluded.state",
    )?
    .execute(params![device.to_string(), doc.to_string(), state])?;
    Ok(())
}

/// Drops sync states of documents the device no longer holds (an old epoch).
pub fn prune_sync_states(
    conn: &Connection,
    device: DeviceId,
    keep: &[DocId],
) -> Result<(), ServerError> {
    let keep: Vec<String> = keep.iter().map(ToString::to_string).collect();
    let mut stmt = conn.prepare_cached("SELECT doc_id FROM sync_states WHERE device_id = ?1")?;
    let stale: Vec<String> = stmt
        .query_map([device.to_string()], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .filter(|d| !keep.contains(d))
        .collect();
    for doc in stale {
        conn.execute(
            "DELETE FROM sync_states WHERE device_id = ?1 AND doc_id = ?2",
            params![device.to_string(), doc],
        )?;
    }
    Ok(())
}
