//! Byte-blob storage for the encrypted local cache (the vault).
//!
//! The vault only ever stores opaque blobs under short keys, so the interface is a tiny
//! synchronous key/value map. IndexedDB is asynchronous, so the browser does not implement
//! [`BlobStore`] on IndexedDB directly: at start-up it reads every blob into a
//! [`RecordingStore`], the vault works on that snapshot synchronously, and afterwards the app
//! takes the recorded [`StoreOp`]s and applies them to IndexedDB in order (write-through).
//! On the host and in tests the same code runs on a [`MemoryStore`].

use std::collections::BTreeMap;

/// A storage backend failed. The text names the operation, never a value.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// The browser refused (quota, private mode, blocked upgrade, ...).
    #[error("local storage is unavailable: {0}")]
    Unavailable(String),
    /// A read or write failed part-way.
    #[error("local storage failed: {0}")]
    Failed(String),
}

/// A synchronous map from string keys to byte blobs.
pub trait BlobStore {
    /// The blob stored under `key`, if any.
    ///
    /// # Errors
    /// The backend failed.
    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError>;

    /// Stores `value` under `key`, replacing what was there.
    ///
    /// # Errors
    /// The backend failed.
    fn put(&mut self, key: &str, value: &[u8]) -> Result<(), StoreError>;

    /// Removes `key`; removing a missing key is not an error.
    ///
    /// # Errors
    /// The backend failed.
    fn delete(&mut self, key: &str) -> Result<(), StoreError>;

    /// Removes every blob.
    ///
    /// # Errors
    /// The backend failed.
    fn clear(&mut self) -> Result<(), StoreError>;

    /// Every key, in ascending order.
    ///
    /// # Errors
    /// The backend failed.
    fn keys(&self) -> Result<Vec<String>, StoreError>;
}

/// One change to persist, in the order it was made.
#[derive(Clone, PartialEq, Eq)]
pub enum StoreOp {
    Put { key: String, value: Vec<u8> },
    Delete { key: String },
    Clear,
}

impl StoreOp {
    /// Replays this change on another store (IndexedDB's twin on the host, or a test copy).
    ///
    /// # Errors
    /// The target store failed.
    pub fn apply_to(&self, store: &mut dyn BlobStore) -> Result<(), StoreError> {
        match self {
            StoreOp::Put { key, value } => store.put(key, value),
            StoreOp::Delete { key } => store.delete(key),
            StoreOp::Clear => store.clear(),
        }
    }
}

// The values are ciphertext, but a Debug that prints them would still fill logs with noise
// and invite printing plaintext blobs some day: show sizes only.
impl std::fmt::Debug for StoreOp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreOp::Put { key, value } => write!(f, "Put({key}, {} bytes)", value.len()),
            StoreOp::Delete { key } => write!(f, "Delete({key})"),
            StoreOp::Clear => f.write_str("Clear"),
        }
    }
}

/// All blobs in memory. The host's store, and the snapshot the browser loads at start-up.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct MemoryStore {
    blobs: BTreeMap<String, Vec<u8>>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// A store holding `blobs`, e.g. everything read from IndexedDB at start-up.
    pub fn from_blobs(blobs: impl IntoIterator<Item = (String, Vec<u8>)>) -> Self {
        MemoryStore {
            blobs: blobs.into_iter().collect(),
        }
    }

    /// Every blob, for tests that inspect what is really stored.
    pub fn blobs(&self) -> &BTreeMap<String, Vec<u8>> {
        &self.blobs
    }

    /// Direct mutable access, for tests that tamper with stored bytes.
    pub fn blobs_mut(&mut self) -> &mut BTreeMap<String, Vec<u8>> {
        &mut self.blobs
    }

    pub fn is_empty(&self) -> bool {
        self.blobs.is_empty()
    }
}

impl std::fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.blobs.keys()).finish()
    }
}

impl BlobStore for MemoryStore {
    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.blobs.get(key).cloned())
    }

    fn put(&mut self, key: &str, value: &[u8]) -> Result<(), StoreError> {
        self.blobs.insert(key.to_string(), value.to_vec());
        Ok(())
    }

    fn delete(&mut self, key: &str) -> Result<(), StoreError> {
        self.blobs.remove(key);
        Ok(())
    }

    fn clear(&mut self) -> Result<(), StoreError> {
        self.blobs.clear();
        Ok(())
    }

    fn keys(&self) -> Result<Vec<String>, StoreError> {
        Ok(self.blobs.keys().cloned().collect())
    }
}

/// A [`MemoryStore`] that also records every change, so the browser can persist the changes
/// asynchronously after a synchronous vault operation.
#[derive(Debug, Default)]
pub struct RecordingStore {
    snapshot: MemoryStore,
    ops: Vec<StoreOp>,
}

impl RecordingStore {
    /// Starts from what is already persisted; nothing is recorded yet.
    pub fn new(snapshot: MemoryStore) -> Self {
        RecordingStore {
            snapshot,
            ops: Vec::new(),
        }
    }

    /// The changes since the last call, oldest first. Apply them in this order: a `Clear`
    /// followed by `Put`s must not be reordered.
    pub fn take_ops(&mut self) -> Vec<StoreOp> {
        std::mem::take(&mut self.ops)
    }

    /// True when changes wait to be persisted.
    pub fn has_pending(&self) -> bool {
        !self.ops.is_empty()
    }

    pub fn snapshot(&self) -> &MemoryStore {
        &self.snapshot
    }
}

impl BlobStore for RecordingStore {
    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.snapshot.get(key)
    }

    fn put(&mut self, key: &str, value: &[u8]) -> Result<(), StoreError> {
        self.snapshot.put(key, value)?;
        self.ops.push(StoreOp::Put {
            key: key.to_string(),
            value: value.to_vec(),
        });
        Ok(())
    }

    fn delete(&mut self, key: &str) -> Result<(), StoreError> {
        self.snapshot.delete(key)?;
        self.ops.push(StoreOp::Delete {
            key: key.to_string(),
        });
        Ok(())
    }

    fn clear(&mut self) -> Result<(), StoreError> {
        self.snapshot.clear()?;
        // Everything before a clear is moot: persisting it would only write data that is
        // about to be erased (and, after a wipe, should never reach the disk at all).
        self.ops.clear();
        self.ops.push(StoreOp::Clear);
        Ok(())
    }

    fn keys(&self) -> Result<Vec<String>, StoreError> {
        self.snapshot.keys()
    }
}
