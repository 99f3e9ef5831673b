//! What the vault remembers about its use (last sync, recently opened safes) survives a lock
//! and a save of the documents, stays sealed, and a reveal re-seals only the outbox.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod vault_support;

use kluis_app::platform::storage::{BlobStore, MemoryStore, RecordingStore, StoreOp};
use kluis_app::state::vault::prefs::RECENT_SAFES;
use kluis_app::state::vault::{LocalView, PinOutcome, Vault};
use kluis_domain::ids::{EventId, SafeId};
use kluis_domain::schema::{DeviceEvent, append_device_event};
use kluis_domain::sync::{DocId, SyncClient};
use kluis_domain::time::Timestamp;
use vault_support::*;

fn view() -> LocalView {
    LocalView {
        scope: Some(scope_view()),
        rounds: None,
    }
}

fn safe(n: u8) -> String {
    SafeId::from_bytes([n; 16]).to_string()
}

#[test]
fn last_sync_and_recent_safes_survive_lock_and_document_saves() {
    let mut vault = Vault::new(MemoryStore::new());
    vault.enrol(&session(), PIN, params()).unwrap();
    assert_eq!(vault.last_sync(), None);
    assert!(vault.recent().is_empty());

    vault.set_last_sync(1_700_000_000_000).unwrap();
    for n in 1..=7 {
        vault.note_recent(&safe(n)).unwrap();
    }
    // Opening one again moves it to the front instead of listing it twice.
    vault.note_recent(&safe(5)).unwrap();
    vault.save_docs(&mut client_with_docs()).unwrap();
    vault.lock();
    assert_eq!(vault.last_sync(), None, "nothing readable while locked");
    assert!(vault.recent().is_empty());

    let mut vault = Vault::new(vault.store().clone());
    assert_eq!(vault.unlock(PIN).unwrap(), PinOutcome::Accepted);
    assert_eq!(vault.last_sync(), Some(1_700_000_000_000));
    let expected: Vec<String> = [5, 7, 6, 4, 3].iter().map(|&n| safe(n)).collect();
    assert_eq!(vault.recent(), expected.as_slice());
    assert_eq!(vault.recent().len(), RECENT_SAFES);
    assert_opaque(vault.store());
    let stored = vault
        .store()
        .blobs()
        .values()
        .any(|blob| blob.windows(32).any(|w| w == safe(5).as_bytes()));
    assert!(!stored, "recent safe ids are sealed");
}

#[test]
fn a_reveal_reseals_only_the_outbox() {
    let mut vault = Vault::new(RecordingStore::new(MemoryStore::new()));
    vault.enrol(&session(), PIN, params()).unwrap();
    let mut client = client_with_docs();
    vault.save_docs(&mut client).unwrap();
    vault.store_mut().take_ops();

    let outbox = DocId::device(device());
    let now = Timestamp::from_millis(1_700_000_000_000);
    append_device_event(
        client.doc_mut(&outbox),
        device(),
        EventId::from_bytes([9; 16]),
        &DeviceEvent::CodeRevealed {
            safe: SafeId::from_bytes([3; 16]),
            at: now,
        },
        now,
    )
    .unwrap();
    vault.save_doc(&mut client, &outbox).unwrap();
    let ops = vault.store_mut().take_ops();
    assert_eq!(
        ops.len(),
        1,
        "one put for the outbox, the scope is left alone: {ops:?}"
    );
    assert!(matches!(&ops[0], StoreOp::Put { key, .. } if key.starts_with("doc.")));

    // And it reads back with the event.
    vault.lock();
    assert_eq!(vault.unlock(PIN).unwrap(), PinOutcome::Accepted);
    let mut loaded = SyncClient::new(device());
    vault.load_docs(&mut loaded).unwrap();
    let events =
        kluis_domain::schema::read_device_events(loaded.doc(&outbox).unwrap(), device()).unwrap();
    assert!(events.iter().any(|(_, event)| matches!(
        event,
        DeviceEvent::CodeRevealed { safe, .. } if *safe == SafeId::from_bytes([3; 16])
    )));
}

#[test]
fn the_scope_view_is_sealed_reads_back_and_can_be_dropped() {
    let mut vault = Vault::new(MemoryStore::new());
    vault.enrol(&session(), PIN, params()).unwrap();
    assert_eq!(
        vault.load_view().unwrap(),
        None,
        "no view before the first sync"
    );
    vault.save_view(&view()).unwrap();
    assert_opaque(vault.store());

    vault.lock();
    assert!(vault.load_view().is_err(), "locked");
    let mut vault = Vault::new(vault.store().clone());
    assert_eq!(vault.unlock(PIN).unwrap(), PinOutcome::Accepted);
    assert_eq!(vault.load_view().unwrap(), Some(view()));

    vault.save_view(&LocalView::default()).unwrap();
    assert_eq!(vault.load_view().unwrap(), None);
}

#[test]
fn a_tampered_view_is_damage_not_a_panic() {
    let mut vault = Vault::new(MemoryStore::new());
    vault.enrol(&session(), PIN, params()).unwrap();
    vault.save_view(&view()).unwrap();
    let mut store = vault.store().clone();
    let mut blob = store.get("vault.view").unwrap().unwrap();
    let last = blob.len() - 1;
    blob[last] ^= 1;
    store.put("vault.view", &blob).unwrap();
    let mut vault = Vault::new(store);
    assert_eq!(vault.unlock(PIN).unwrap(), PinOutcome::Accepted);
    assert!(matches!(
        vault.load_view(),
        Err(kluis_app::state::vault::VaultError::Damaged("scope view"))
    ));
}
