//! Sealing the synced documents into the vault and reading them back.

use kluis_crypto::{Zeroizing, open, seal};
use kluis_domain::sync::{DocId, SyncClient};

use super::records::{
    DOC_PREFIX, DocIndex, INDEX_RECORD, decode_doc, doc_aad, doc_owner, encode_doc, index_aad,
    new_slot,
};
use super::{Opened, Vault, VaultError};
use crate::platform::storage::BlobStore;

impl<S: BlobStore> Vault<S> {
    /// Seals every document `client` holds, and deletes the stored documents it no longer
    /// holds.
    ///
    /// # Errors
    /// Locked, store or RNG failure.
    pub fn save_docs(&mut self, client: &mut SyncClient) -> Result<(), VaultError> {
        let Vault { store, opened } = self;
        let opened = opened.as_mut().ok_or(VaultError::Locked)?;
        let device = opened.session.device_id.to_string();
        let ids: Vec<DocId> = client.doc_ids().cloned().collect();
        let mut next = DocIndex {
            docs: Default::default(),
            last_sync: opened.index.last_sync,
            recent: opened.index.recent.clone(),
        };
        for id in ids {
            let Some((saved, state)) = client.export(&id) else {
                continue;
            };
            // The Automerge save holds the codes in the clear: zeroize it after sealing.
            let (saved, state) = (Zeroizing::new(saved), Zeroizing::new(state));
            let name = id.to_string();
            let slot = match opened.index.docs.get(&name) {
                Some(slot) => slot.clone(),
                None => new_slot()?,
            };
            let payload = encode_doc(&saved, &state)?;
            let owner = doc_owner(&device, &name);
            let sealed =
                seal(&opened.key, &doc_aad(&owner), &payload).map_err(VaultError::Crypto)?;
            store.put(&slot, &sealed)?;
            next.docs.insert(name, slot);
        }
        let sealed =
            seal(&opened.key, &index_aad(&device), &next.encode()?).map_err(VaultError::Crypto)?;
        store.put(INDEX_RECORD, &sealed)?;
        // Sweep after the index is written, so a crash never leaves the index pointing at a
        // deleted slot. Sweeping every unlisted slot also clears leftovers of such a crash.
        for key in store.keys()? {
            if key.starts_with(DOC_PREFIX) && !next.docs.values().any(|slot| *slot == key) {
                store.delete(&key)?;
            }
        }
        opened.index = next;
        Ok(())
    }

    /// Seals just the document `id` (the outbox after a reveal), leaving the others as
    /// stored: re-sealing a 5,000-safe scope on every tap would waste the phone's time.
    ///
    /// # Errors
    /// Locked, store or RNG failure.
    pub fn save_doc(&mut self, client: &mut SyncClient, id: &DocId) -> Result<(), VaultError> {
        let Vault { store, opened } = self;
        let opened = opened.as_mut().ok_or(VaultError::Locked)?;
        let Some((saved, state)) = client.export(id) else {
            return Ok(());
        };
        let (saved, state) = (Zeroizing::new(saved), Zeroizing::new(state));
        let device = opened.session.device_id.to_string();
        let name = id.to_string();
        let (slot, is_new) = match opened.index.docs.get(&name) {
            Some(slot) => (slot.clone(), false),
            None => (new_slot()?, true),
        };
        let payload = encode_doc(&saved, &state)?;
        let sealed = seal(&opened.key, &doc_aad(&doc_owner(&device, &name)), &payload)
            .map_err(VaultError::Crypto)?;
        store.put(&slot, &sealed)?;
        if is_new {
            opened.index.docs.insert(name, slot);
            let sealed = seal(&opened.key, &index_aad(&device), &opened.index.encode()?)
                .map_err(VaultError::Crypto)?;
            store.put(INDEX_RECORD, &sealed)?;
        }
        Ok(())
    }

    /// Replaces the documents in `client` with the stored ones; returns how many. On error
    /// `client` is left empty rather than half-loaded.
    ///
    /// # Errors
    /// Locked, a damaged document, store failure.
    pub fn load_docs(&self, client: &mut SyncClient) -> Result<usize, VaultError> {
        let opened = self.opened.as_ref().ok_or(VaultError::Locked)?;
        client.clear();
        let result = load_into(&self.store, opened, client);
        if result.is_err() {
            client.clear();
        }
        result
    }
}

fn load_into(
    store: &dyn BlobStore,
    opened: &Opened,
    client: &mut SyncClient,
) -> Result<usize, VaultError> {
    let damaged = || VaultError::Damaged("document");
    let device = opened.session.device_id.to_string();
    for (name, slot) in &opened.index.docs {
        let id: DocId = name
            .parse()
            .map_err(|_| VaultError::Damaged("document index"))?;
        let sealed = store.get(slot)?.ok_or_else(damaged)?;
        let owner = doc_owner(&device, name);
        let plain = open(&opened.key, &doc_aad(&owner), &sealed).map_err(|_| damaged())?;
        let (saved, state) = decode_doc(&plain)?;
        client.restore(id, saved, state).map_err(|_| damaged())?;
    }
    Ok(opened.index.docs.len())
}
