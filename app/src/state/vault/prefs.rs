//! What the device remembers about its own use, sealed in the document index: the time of
//! the last successful sync and the recently opened safes.

use kluis_crypto::seal;

use super::records::{INDEX_RECORD, index_aad};
use super::{Vault, VaultError};
use crate::platform::storage::BlobStore;

/// How many recently opened safes the search screen offers.
pub const RECENT_SAFES: usize = 5;

impl<S: BlobStore> Vault<S> {
    /// Server time of the last successful sync, while unlocked.
    pub fn last_sync(&self) -> Option<i64> {
        self.opened.as_ref()?.index.last_sync
    }

    /// Recently opened safe ids, most recent first; empty while locked.
    pub fn recent(&self) -> &[String] {
        self.opened
            .as_ref()
            .map_or(&[], |opened| opened.index.recent.as_slice())
    }

    /// Remembers a successful sync at `server_time`.
    ///
    /// # Errors
    /// Locked, store or RNG failure.
    pub fn set_last_sync(&mut self, server_time: i64) -> Result<(), VaultError> {
        self.update_index(|index| index.last_sync = Some(server_time))
    }

    /// Puts `safe` first in the recent list (keeping at most [`RECENT_SAFES`]).
    ///
    /// # Errors
    /// Locked, store or RNG failure.
    pub fn note_recent(&mut self, safe: &str) -> Result<(), VaultError> {
        self.update_index(|index| {
            index.recent.retain(|id| id != safe);
            index.recent.insert(0, safe.to_string());
            index.recent.truncate(RECENT_SAFES);
        })
    }

    fn update_index(
        &mut self,
        change: impl FnOnce(&mut super::records::DocIndex),
    ) -> Result<(), VaultError> {
        let Vault { store, opened } = self;
        let opened = opened.as_mut().ok_or(VaultError::Locked)?;
        change(&mut opened.index);
        let device = opened.session.device_id.to_string();
        let sealed = seal(&opened.key, &index_aad(&device), &opened.index.encode()?)
            .map_err(VaultError::Crypto)?;
        store.put(INDEX_RECORD, &sealed)?;
        Ok(())
    }
}
