//! What the screens read (the carer's scope; a volunteer's rounds), derived from the synced
//! documents and sealed beside them, so unlocking does not have to walk the whole Automerge
//! document before the search screen can show: reading 5,000 safes out of Automerge takes a
//! third of a second in the browser, decoding this record a few milliseconds. It is written
//! in the same IndexedDB transaction as the documents it was derived from.
//!
//! It is a cache of the documents, never the only copy: a view this version cannot read (an
//! older layout after an update, a damaged record) is derived again from the documents, so
//! an offline carer at the door is never sent to the login screen for it.

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

/// The layout of the sealed view: a format byte, then the postcard encoding of
/// [`LocalView`]. Version 1 had no format byte. Change it whenever `ScopeView`, `RoundsView`
/// or `LocalView` change shape: older records are then derived again, not misread.
pub const VIEW_FORMAT: u8 = 2;

/// The view's plaintext bytes.
///
/// # Errors
/// The view cannot be encoded (it always can: postcard over plain data).
pub fn encode_view(view: &LocalView) -> Result<Zeroizing<Vec<u8>>, VaultError> {
    let mut plain = Zeroizing::new(vec![VIEW_FORMAT]);
    let body =
        Zeroizing::new(postcard::to_allocvec(view).map_err(|_| VaultError::Damaged("scope view"))?);
    plain.extend_from_slice(&body);
    Ok(plain)
}

/// The view in `plain`, or `None` when it is another format or does not decode.
pub fn decode_view(plain: &[u8]) -> Option<LocalView> {
    let (&format, body) = plain.split_first()?;
    if format != VIEW_FORMAT {
        return None;
    }
    postcard::from_bytes(body).ok()
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
        let plain = encode_view(view)?;
        let device = opened.session.device_id.to_string();
        let sealed = seal(&opened.key, &view_aad(&device), &plain).map_err(VaultError::Crypto)?;
        store.put(VIEW_RECORD, &sealed)?;
        Ok(())
    }

    /// The stored view, if there is one this version can read: `None` when none was saved,
    /// or when it is of another format or does not open or decode, so the caller derives it
    /// again from the documents (which are checked on their own).
    ///
    /// # Errors
    /// Locked, store failure.
    pub fn load_view(&self) -> Result<Option<LocalView>, VaultError> {
        let opened = self.opened.as_ref().ok_or(VaultError::Locked)?;
        let Some(sealed) = self.store.get(VIEW_RECORD)? else {
            return Ok(None);
        };
        let device = opened.session.device_id.to_string();
        let Ok(plain) = open(&opened.key, &view_aad(&device), &sealed) else {
            return Ok(None);
        };
        Ok(decode_view(&Zeroizing::new(plain)))
    }
}
