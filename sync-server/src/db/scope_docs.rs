//! The scope documents at rest, sealed with the server key (they hold codes): per service one
//! saved document of its epoch (`scope_docs`) and the changes saved since, one sealed chunk
//! per update (`scope_chunks`). A changed code then writes a few hundred bytes, not the whole
//! scope; `Scopes` folds the chunks into a new saved document once there are many.
//!
//! Each blob's AAD binds what it is and where it belongs: `kluis/scope-doc` with the owner
//! `{service}/{epoch}`, `kluis/scope-chunk` with `{service}/{epoch}/{seq}`, so a blob cannot be
//! moved to another service, epoch or place in the sequence. Chunks must run 1, 2, 3, … without
//! a gap, or the stored scope counts as damaged.

use kluis_crypto::{Aad, SecretKey, open, seal};
use kluis_domain::ids::OrgId;
use kluis_domain::time::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::ServerError;

fn doc_owner(service: OrgId, epoch: u32) -> String {
    format!("{service}/{epoch}")
}

fn chunk_owner(service: OrgId, epoch: u32, seq: u32) -> String {
    format!("{service}/{epoch}/{seq}")
}

pub(crate) fn doc_aad(owner: &str) -> Aad<'_> {
    Aad {
        kind: "kluis/scope-doc",
        version: 1,
        owner,
    }
}

pub(crate) fn chunk_aad(owner: &str) -> Aad<'_> {
    Aad {
        kind: "kluis/scope-chunk",
        version: 1,
        owner,
    }
}

/// A scope document as stored: the saved document and the changes saved after it, in order.
pub struct StoredScope {
    pub epoch: u32,
    pub doc: Vec<u8>,
    pub chunks: Vec<Vec<u8>>,
}

pub fn load_scope(
    conn: &Connection,
    key: &SecretKey,
    service: OrgId,
) -> Result<Option<StoredScope>, ServerError> {
    let row: Option<(u32, Vec<u8>)> = conn
        .query_row(
            "SELECT epoch, sealed_doc FROM scope_docs WHERE service_id = ?1",
            [service.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((epoch, sealed)) = row else {
        return Ok(None);
    };
    let doc = open(key, &doc_aad(&doc_owner(service, epoch)), &sealed)?.to_vec();
    let mut stmt = conn.prepare(
        "SELECT seq, sealed_chunk FROM scope_chunks WHERE service_id = ?1 AND epoch = ?2 ORDER BY seq",
    )?;
    let rows = stmt.query_map(params![service.to_string(), epoch], |r| {
        Ok((r.get::<_, u32>(0)?, r.get::<_, Vec<u8>>(1)?))
    })?;
    let mut chunks = Vec::new();
    for row in rows {
        let (seq, sealed) = row?;
        let expected = u32::try_from(chunks.len() + 1).unwrap_or(u32::MAX);
        if seq != expected {
            return Err(ServerError::Invalid(format!(
                "stored scope document is damaged: change {expected} is missing"
            )));
        }
        let owner = chunk_owner(service, epoch, seq);
        chunks.push(open(key, &chunk_aad(&owner), &sealed)?.to_vec());
    }
    Ok(Some(StoredScope { epoch, doc, chunks }))
}

/// Stores the whole document of `epoch`, replacing what was stored and its chunks, in one
/// savepoint (so also inside a caller's transaction).
pub fn store_scope(
    conn: &Connection,
    key: &SecretKey,
    service: OrgId,
    epoch: u32,
    doc: &[u8],
    now: Timestamp,
) -> Result<(), ServerError> {
    let sealed = seal(key, &doc_aad(&doc_owner(service, epoch)), doc)?;
    in_savepoint(conn, || {
        conn.execute(
            "INSERT INTO scope_docs (service_id, epoch, sealed_doc, updated_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (service_id) DO UPDATE SET epoch = excluded.epoch, sealed_doc = excluded.sealed_doc, updated_at = excluded.updated_at",
            params![service.to_string(), epoch, sealed, now.millis()],
        )?;
        conn.execute(
            "DELETE FROM scope_chunks WHERE service_id = ?1",
            [service.to_string()],
        )?;
        Ok(())
    })
}

/// Appends the changes saved since the last store or chunk as chunk `seq` (1 after a store).
/// One statement: it is stored whole or not at all.
pub fn append_scope_chunk(
    conn: &Connection,
    key: &SecretKey,
    service: OrgId,
    epoch: u32,
    seq: u32,
    chunk: &[u8],
) -> Result<(), ServerError> {
    let sealed = seal(key, &chunk_aad(&chunk_owner(service, epoch, seq)), chunk)?;
    conn.prepare_cached(
        "INSERT INTO scope_chunks (service_id, epoch, seq, sealed_chunk) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![service.to_string(), epoch, seq, sealed])?;
    Ok(())
}

/// Runs `f` in a savepoint: all of it or nothing, inside a transaction or not.
fn in_savepoint(
    conn: &Connection,
    f: impl FnOnce() -> Result<(), ServerError>,
) -> Result<(), ServerError> {
    conn.execute_batch("SAVEPOINT scope_store")?;
    match f() {
        Ok(()) => {
            conn.execute_batch("RELEASE scope_store")?;
            Ok(())
        }
        Err(e) => {
            // The error to report is the first one; a failed rollback leaves the connection's
            // transaction to be rolled back by its owner.
            let _ = conn.execute_batch("ROLLBACK TO scope_store; RELEASE scope_store");
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// Sealed scope blobs are stored formats: with the key and nonce fixed, their bytes are.
    #[test]
    fn the_scope_blob_formats_are_frozen() {
        let key = SecretKey::from_bytes([3; 32]);
        let service = OrgId::from_bytes([4; 16]);
        let owner = doc_owner(service, 2);
        let doc = kluis_crypto::seal_with_nonce(&key, &doc_aad(&owner), [5; 24], b"doc").unwrap();
        let owner = chunk_owner(service, 2, 7);
        let chunk =
            kluis_crypto::seal_with_nonce(&key, &chunk_aad(&owner), [6; 24], b"chunk").unwrap();
        assert_eq!(hex::encode(&doc), GOLDEN_DOC);
        assert_eq!(hex::encode(&chunk), GOLDEN_CHUNK);
        let opened = open(
            &key,
            &chunk_aad(&owner),
            &hex::decode(GOLDEN_CHUNK).unwrap(),
        );
        assert_eq!(opened.unwrap().as_slice(), b"chunk");
        // A chunk does not open in another place of the sequence, nor as a document.
        let elsewhere = chunk_owner(service, 2, 8);
        assert!(open(&key, &chunk_aad(&elsewhere), &chunk).is_err());
        assert!(open(&key, &doc_aad(&owner), &chunk).is_err());
    }

    const GOLDEN_DOC: &str = "4b530105050505050505050505050505050505050505050505050548a9a78bb90e6eafb684b67e63931b652889a9";
    const GOLDEN_CHUNK: &str = "4b5301060606060606060606060606060606060606060606060606253e0ce4e41b13ea176bcff969aa0650b81b70fe41";
}
