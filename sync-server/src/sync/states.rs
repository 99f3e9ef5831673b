//! Sync states, held in memory and written behind. A device's sync state for a document
//! (the heads both sides last agreed on) changes at nearly every sync that brought something,
//! and with `synchronous = FULL` every write transaction is an fsync: one code fanned out to
//! thousands of phones would be thousands of fsyncs. A state lost in a crash is harmless:
//! from an older state Automerge's protocol still converges, the next sync only offers what
//! the device may already have (changes are idempotent, outbox events are taken once by
//! their ids). So states are written in one transaction every [`FLUSH_EVERY`] and at stop.
//!
//! Every call runs holding the database connection (inside `Db::blocking`), so a flush and a
//! read of the same state never interleave.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use kluis_domain::ids::DeviceId;
use kluis_domain::sync::DocId;
use rusqlite::Connection;

use crate::db::docs;
use crate::error::ServerError;

/// How often changed states are written.
pub const FLUSH_EVERY: Duration = Duration::from_secs(2);

/// Beyond this many states read from the database, the cache forgets them (a few MB); they
/// are read again when needed. Unwritten states are never forgotten.
const MAX_CLEAN: usize = 100_000;

type Key = (DeviceId, DocId);

#[derive(Default)]
pub struct SyncStates {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    /// What the database holds (`None`: no row), as last read or written.
    clean: HashMap<Key, Option<Vec<u8>>>,
    /// Newer than the database: written at the next flush.
    dirty: HashMap<Key, Vec<u8>>,
}

impl SyncStates {
    fn inner(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The state of `doc` on `device`, from memory or else from the database.
    pub fn get(
        &self,
        conn: &Connection,
        device: DeviceId,
        doc: &DocId,
    ) -> Result<Option<Vec<u8>>, ServerError> {
        let key = (device, doc.clone());
        {
            let inner = self.inner();
            if let Some(state) = inner.dirty.get(&key) {
                return Ok(Some(state.clone()));
            }
            if let Some(state) = inner.clean.get(&key) {
                return Ok(state.clone());
            }
        }
        let stored = docs::sync_state(conn, device, doc)?;
        let mut inner = self.inner();
        if inner.clean.len() >= MAX_CLEAN {
            inner.clean.clear();
        }
        inner.clean.insert(key, stored.clone());
        Ok(stored)
    }

    /// Notes a new state, to be written at the next flush. Call it only once what the state
    /// acknowledges is committed.
    pub fn put(&self, device: DeviceId, doc: DocId, state: Vec<u8>) {
        let key = (device, doc);
        let mut inner = self.inner();
        inner.clean.remove(&key);
        inner.dirty.insert(key, state);
    }

    /// How many states wait to be written.
    pub fn unwritten(&self) -> usize {
        self.inner().dirty.len()
    }

    /// Writes every changed state in one transaction; returns how many. A state of a device
    /// revoked meanwhile is dropped (revocation deleted its rows). On failure the states stay
    /// to be written next time.
    pub fn flush(&self, conn: &mut Connection) -> Result<usize, ServerError> {
        let batch: Vec<(Key, Vec<u8>)> = self.inner().dirty.drain().collect();
        if batch.is_empty() {
            return Ok(0);
        }
        let written = (|| {
            let tx = conn.transaction()?;
            for ((device, doc), state) in &batch {
                docs::store_sync_state_if_active(&tx, *device, doc, state)?;
            }
            tx.commit()?;
            Ok::<_, ServerError>(())
        })();
        let mut inner = self.inner();
        let n = batch.len();
        match written {
            Ok(()) => {
                for (key, state) in batch {
                    if !inner.dirty.contains_key(&key) {
                        inner.clean.insert(key, Some(state));
                    }
                }
                Ok(n)
            }
            Err(e) => {
                for (key, state) in batch {
                    inner.dirty.entry(key).or_insert(state);
                }
                Err(e)
            }
        }
    }
}
