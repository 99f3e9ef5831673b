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
fn a_tampered_or_older_view_is_derived_again_not_a_sign_out() {
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
    assert_eq!(
        vault.load_view().unwrap(),
        None,
        "derive it again from the documents"
    );
    assert!(vault.session().is_some(), "still signed in");
    vault.save_view(&view()).unwrap();
    assert_eq!(vault.load_view().unwrap(), Some(view()));
}

/// The sealed view's plaintext: a format byte, then postcard. A change of these bytes is a
/// change of the stored format: bump `VIEW_FORMAT` and update this vector.
#[test]
fn the_view_format_is_frozen() {
    use kluis_app::state::vault::{VIEW_FORMAT, decode_view, encode_view};
    let empty_rounds = LocalView {
        scope: None,
        rounds: Some(kluis_domain::schema::RoundsView {
            volunteer: kluis_domain::ids::PersonId::from_bytes([5; 16]),
            volunteer_name: "Rita".into(),
            models: Default::default(),
            rounds: Default::default(),
        }),
    };
    let bytes = encode_view(&empty_rounds).unwrap();
    assert_eq!(hex::encode(&bytes[..]), GOLDEN_EMPTY_ROUNDS);
    assert_eq!(bytes[0], VIEW_FORMAT);
    assert_eq!(decode_view(&bytes), Some(empty_rounds));
    let full = encode_view(&view()).unwrap();
    assert_eq!(decode_view(&full), Some(view()));
    // A version 1 record (no format byte) or another format is not misread.
    assert_eq!(decode_view(&full[1..]), None);
    let mut other = full.to_vec();
    other[0] = VIEW_FORMAT + 1;
    assert_eq!(decode_view(&other), None);
    assert_eq!(decode_view(&[]), None);
}

const GOLDEN_EMPTY_ROUNDS: &str =
    "02000120303530353035303530353035303530353035303530353035303530353035303504526974610000";
