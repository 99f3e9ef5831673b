//! Enrol, save, lock, unlock, load: the documents and the login come back, and what is stored
//! on the way is opaque.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod vault_support;

use kluis_app::platform::storage::{BlobStore, MemoryStore, RecordingStore, StoreOp};
use kluis_app::state::vault::{PinOutcome, Vault, VaultError, VaultState};
use kluis_crypto::{KdfParams, MAGIC};
use kluis_domain::pin::PinProblem;
use kluis_domain::sync::{DocId, SyncClient};
use vault_support::*;

fn enrolled() -> Vault<MemoryStore> {
    let mut vault = Vault::new(MemoryStore::new());
    vault.enrol(&session(), PIN, params()).unwrap();
    vault
}

#[test]
fn enrol_lock_unlock_returns_the_same_docs_and_login() {
    let mut vault = enrolled();
    assert_eq!(vault.state().unwrap(), VaultState::Unlocked);
    vault.save_docs(&mut client_with_docs()).unwrap();
    vault.lock();
    assert_eq!(vault.state().unwrap(), VaultState::Locked);
    assert!(vault.session().is_none());

    // As after a reload: a new vault over the same blobs.
    let mut vault = Vault::new(vault.store().clone());
    assert_eq!(vault.state().unwrap(), VaultState::Locked);
    assert_eq!(vault.unlock(PIN).unwrap(), PinOutcome::Accepted);
    assert_eq!(vault.session(), Some(&session()));
    let mut client = SyncClient::new(device());
    assert_eq!(vault.load_docs(&mut client).unwrap(), 2);
    assert_eq!(read_view(&client), scope_view());
    let mut ids: Vec<DocId> = client.doc_ids().cloned().collect();
    ids.sort();
    let mut expected = vec![scope_id(), DocId::device(device())];
    expected.sort();
    assert_eq!(ids, expected);
}

#[test]
fn stored_blobs_are_opaque() {
    let mut vault = enrolled();
    vault.save_docs(&mut client_with_docs()).unwrap();
    let store = vault.store();
    assert_opaque(store);
    // Key record, enrolment, index, two documents.
    assert_eq!(store.blobs().len(), 5);
    for (key, blob) in store.blobs() {
        if key != "vault.key" {
            assert_eq!(blob.get(..2), Some(&MAGIC[..]), "{key} is not sealed");
        }
    }
}

#[test]
fn recorded_ops_replay_to_the_same_blobs() {
    let mut vault = Vault::new(RecordingStore::new(MemoryStore::new()));
    vault.enrol(&session(), PIN, params()).unwrap();
    vault.save_docs(&mut client_with_docs()).unwrap();
    // What the browser does with IndexedDB: apply the ops in order to the persisted copy.
    let mut persisted = MemoryStore::new();
    for op in vault.store_mut().take_ops() {
        op.apply_to(&mut persisted).unwrap();
    }
    assert_eq!(&persisted, vault.store().snapshot());
    assert!(!vault.store().has_pending());

    vault.wipe().unwrap();
    let ops = vault.store_mut().take_ops();
    assert_eq!(ops, vec![StoreOp::Clear]);
    for op in ops {
        op.apply_to(&mut persisted).unwrap();
    }
    assert!(persisted.is_empty());
}

#[test]
fn documents_no_longer_held_are_deleted() {
    let mut vault = enrolled();
    vault.save_docs(&mut client_with_docs()).unwrap();
    let doc_blobs = |vault: &Vault<MemoryStore>| {
        vault
            .store()
            .keys()
            .unwrap()
            .into_iter()
            .filter(|k| k.starts_with("doc."))
            .count()
    };
    assert_eq!(doc_blobs(&vault), 2);

    // The server started a new epoch: the client now holds only its outbox.
    let mut client = SyncClient::new(device());
    client.doc_mut(&DocId::device(device()));
    vault.save_docs(&mut client).unwrap();
    assert_eq!(doc_blobs(&vault), 1);

    let mut loaded = SyncClient::new(device());
    assert_eq!(vault.load_docs(&mut loaded).unwrap(), 1);
    assert!(loaded.doc(&scope_id()).is_none());
}

#[test]
fn wipe_leaves_the_store_empty() {
    let mut vault = enrolled();
    vault.save_docs(&mut client_with_docs()).unwrap();
    vault.wipe().unwrap();
    assert!(vault.store().is_empty());
    assert_eq!(vault.state().unwrap(), VaultState::Empty);
    assert!(vault.session().is_none());
    assert!(matches!(vault.unlock(PIN), Err(VaultError::NotEnrolled)));
}

#[test]
fn a_locked_vault_refuses_documents() {
    let mut vault = enrolled();
    vault.lock();
    let mut client = client_with_docs();
    assert!(matches!(
        vault.save_docs(&mut client),
        Err(VaultError::Locked)
    ));
    assert!(matches!(
        vault.load_docs(&mut client),
        Err(VaultError::Locked)
    ));
    // Nothing was sealed while locked.
    assert!(!vault.store().blobs().keys().any(|k| k.starts_with("doc.")));
}

#[test]
fn weak_pins_are_refused_at_enrol_and_change_nothing() {
    let mut vault = Vault::new(MemoryStore::new());
    for (pin, problem) in [
        ("12345", PinProblem::TooShort),
        ("123456", PinProblem::Sequence),
        ("000000", PinProblem::Repeated),
        ("12a456", PinProblem::NotDigits),
    ] {
        match vault.enrol(&session(), pin, params()) {
            Err(VaultError::WeakPin(found)) => assert_eq!(found, problem, "{pin}"),
            other => panic!("{pin}: {other:?}"),
        }
    }
    assert!(vault.store().is_empty());
    assert_eq!(vault.state().unwrap(), VaultState::Empty);
}

#[test]
fn kdf_params_below_the_minimum_are_refused() {
    let mut vault = Vault::new(MemoryStore::new());
    let weak = KdfParams {
        m_cost_kib: 1024,
        ..params()
    };
    assert!(matches!(
        vault.enrol(&session(), PIN, weak),
        Err(VaultError::Crypto(_))
    ));
    assert!(vault.store().is_empty());
}
