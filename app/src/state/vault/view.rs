//! What the screens read (the carer's scope; a volunteer's rounds), derived from the synced
//! documents and sealed beside them, so unlocking does not have to walk the whole Automerge
//! document before the search screen can show: reading 5,000 safes out of Automerge takes a
//! third of a second in the browser, decoding this record a few milliseconds. It is written
//! in the same IndexedDB transaction as the documents it was derived from.

use kluis_crypto::{Zeroizing, open, seal};
use kluis_domain::schema::{RoundsView, ScopeView};
use serde::{Deserialize, Serialize};

use super::records::{VIEW_RECORD, view_aad};
use super::{Vault, VaultError};
use crate::platform::storage::BlobStore;

/// The documents as the screens read them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalView {
    /// A carer's or service admin's scope.
    pub scope: Option<ScopeView>,
    /// A volunteer's rounds.
    pub rounds: Option<RoundsView>,
}

impl LocalView {
    pub fn is_empty(&self) -> bool {
        self.scope.is_none() && self.rounds.is_none()
    }
}

impl<S: BlobStore> Vault<S> {
    /// Seals `view` (an empty one deletes the stored record: the device holds no data).
    ///
    /// # Errors
    /// Locked, store or RNG failure.
    pub fn save_view(&mut self, view: &LocalView) -> Result<(), VaultError> {
        let Vault { store, opened } = self;
        let opened = opened.as_ref().ok_or(VaultError::Locked)?;
        if view.is_empty() {
            store.delete(VIEW_RECORD)?;
            return Ok(());
        }
        let plain = Zeroizing::new(
            postcard::to_allocvec(view).map_err(|_| VaultError::Damaged("scope view"))?,
        );
        let device = opened.session.device_id.to_string();
        let sealed = seal(&opened.key, &view_aad(&device), &plain).map_err(VaultError::Crypto)?;
        store.put(VIEW_RECORD, &sealed)?;
        Ok(())
    }

    /// The stored view, if one was saved (vaults from before it existed have none).
    ///
    /// # Errors
    /// Locked, a damaged record, store failure.
    pub fn load_view(&self) -> Result<Option<LocalView>, VaultError> {
        let opened = self.opened.as_ref().ok_or(VaultError::Locked)?;
        let Some(sealed) = self.store.get(VIEW_RECORD)? else {
            return Ok(None);
        };
        let device = opened.session.device_id.to_string();
        let damaged = || VaultError::Damaged("scope view");
        let plain =
            Zeroizing::new(open(&opened.key, &view_aad(&device), &sealed).map_err(|_| damaged())?);
        postcard::from_bytes(&plain)
            .map(Some)
            .map_err(|_| damaged())
    }
}
