//! IndexedDB persistence of the vault's blobs (browser only): database `kluis`, one object
//! store `blobs` with out-of-line string keys and `Uint8Array` values.
//!
//! IndexedDB is asynchronous and the vault is not, so this is not a `BlobStore`: the app
//! reads everything once into a `MemoryStore` ([`IdbStore::load_all`]), lets the vault work
//! on a `RecordingStore` over it, then persists the recorded ops ([`IdbStore::apply`]).
//! The vault holds only ciphertext and one plaintext record without secrets, so the blobs
//! being in memory changes nothing about what is readable.

use js_sys::Uint8Array;
use rexie::{ObjectStore, Rexie, TransactionMode};
use wasm_bindgen::{JsCast, JsValue};

use super::storage::{MemoryStore, StoreError, StoreOp};

const DB_NAME: &str = "kluis";
const DB_VERSION: u32 = 1;
const STORE: &str = "blobs";

/// An open connection to the `kluis` database.
pub struct IdbStore {
    db: Rexie,
}

impl IdbStore {
    /// Opens (and on first use creates) the database.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`] when the browser refuses IndexedDB (private mode, blocked
    /// upgrade, disabled storage).
    pub async fn open() -> Result<Self, StoreError> {
        let db = Rexie::builder(DB_NAME)
            .version(DB_VERSION)
            .add_object_store(ObjectStore::new(STORE))
            .build()
            .await
            .map_err(|e| StoreError::Unavailable(e.to_string()))?;
        Ok(IdbStore { db })
    }

    /// Every stored blob, to start the vault from.
    ///
    /// # Errors
    /// The read failed, or a record is not a string key with a byte value (another program
    /// wrote into the database): the vault would treat it as damaged anyway, so say so.
    pub async fn load_all(&self) -> Result<MemoryStore, StoreError> {
        let tx = self
            .db
            .transaction(&[STORE], TransactionMode::ReadOnly)
            .map_err(failed)?;
        let store = tx.store(STORE).map_err(failed)?;
        let records = store.scan(None, None, None, None).await.map_err(failed)?;
        tx.done().await.map_err(failed)?;
        let mut blobs = Vec::with_capacity(records.len());
        for (key, value) in records {
            let key = key
                .as_string()
                .ok_or_else(|| StoreError::Failed("a stored key is not text".into()))?;
            let value = value
                .dyn_into::<Uint8Array>()
                .map_err(|_| StoreError::Failed("a stored value is not bytes".into()))?;
            blobs.push((key, value.to_vec()));
        }
        Ok(MemoryStore::from_blobs(blobs))
    }

    /// Persists `ops` in order, in one read-write transaction: either all of one vault
    /// operation reaches the disk or none of it, so a closed tab never leaves half a save.
    ///
    /// # Errors
    /// The transaction failed or was aborted (quota); nothing of `ops` was written then.
    pub async fn apply(&self, ops: &[StoreOp]) -> Result<(), StoreError> {
        if ops.is_empty() {
            return Ok(());
        }
        let tx = self
            .db
            .transaction(&[STORE], TransactionMode::ReadWrite)
            .map_err(failed)?;
        let store = tx.store(STORE).map_err(failed)?;
        for op in ops {
            match op {
                StoreOp::Put { key, value } => {
                    let value: JsValue = Uint8Array::from(value.as_slice()).into();
                    store
                        .put(&value, Some(&JsValue::from_str(key)))
                        .await
                        .map_err(failed)?;
                }
                StoreOp::Delete { key } => {
                    store.delete(JsValue::from_str(key)).await.map_err(failed)?;
                }
                StoreOp::Clear => store.clear().await.map_err(failed)?,
            }
        }
        tx.done().await.map_err(failed)?;
        Ok(())
    }
}

fn failed(e: rexie::Error) -> StoreError {
    StoreError::Failed(e.to_string())
}
