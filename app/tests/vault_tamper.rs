//! Damaged or tampered storage is an error the UI can act on (sign in again), never a panic,
//! and never different data.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod vault_support;

use kluis_app::platform::storage::MemoryStore;
use kluis_app::state::vault::{PinOutcome, UnlockStep, Vault, VaultError, derive_kek};
use kluis_crypto::SecretKey;
use kluis_domain::sync::SyncClient;
use vault_support::*;

fn locked_store() -> MemoryStore {
    let mut vault = Vault::new(MemoryStore::new());
    vault.enrol(&session(), PIN, params()).unwrap();
    vault.save_docs(&mut client_with_docs()).unwrap();
    vault.store().clone()
}

/// Unlocks with a precomputed KEK (one Argon2id run for the whole test) and loads the docs.
fn unlock_and_load(store: MemoryStore, kek: &SecretKey) -> Result<PinOutcome, VaultError> {
    let mut vault = Vault::new(store);
    let ticket = match vault.prepare_unlock()? {
        UnlockStep::Derive(ticket) => ticket,
        UnlockStep::Wiped => return Ok(PinOutcome::Wiped),
    };
    let outcome = vault.unlock_with_kek(
        ticket,
        kek,
        &kluis_app::state::vault::DeviceSecrets::default(),
    )?;
    if outcome == PinOutcome::Accepted {
        assert_eq!(vault.session(), Some(&session()));
        let mut client = SyncClient::new(device());
        vault.load_docs(&mut client)?;
        assert_eq!(read_view(&client), scope_view());
    }
    Ok(outcome)
}

#[test]
fn every_flipped_byte_is_an_error_or_changes_nothing() {
    let store = locked_store();
    let kek = {
        let record: serde_json::Value =
            serde_json::from_slice(&store.blobs()["vault.key"]).unwrap();
        let params = serde_json::from_value(record["wrapped"]["params"].clone()).unwrap();
        derive_kek(PIN, &params).unwrap()
    };
    assert_eq!(
        unlock_and_load(store.clone(), &kek).unwrap(),
        PinOutcome::Accepted
    );

    for (key, blob) in store.blobs() {
        let mut errors = 0;
        for i in 0..blob.len() {
            let mut tampered = store.clone();
            tampered.blobs_mut().get_mut(key).unwrap()[i] ^= 0x01;
            match unlock_and_load(tampered, &kek) {
                Err(e) => {
                    errors += 1;
                    // Anything damaged asks for a new sign-in; the message names no value.
                    assert!(e.needs_reenrolment(), "{key}[{i}]: {e}");
                }
                // The plaintext key record: a changed salt or count, or a changed wrapped
                // blob (which reads as a wrong PIN), may not be detectable.
                Ok(outcome) => assert_eq!(key, "vault.key", "{key}[{i}]: {outcome:?}"),
            }
        }
        if key != "vault.key" {
            assert_eq!(
                errors,
                blob.len(),
                "{key}: every sealed byte is authenticated"
            );
        }
    }
}

#[test]
fn truncated_or_missing_records_are_errors() {
    let store = locked_store();
    let kek = {
        let record: serde_json::Value =
            serde_json::from_slice(&store.blobs()["vault.key"]).unwrap();
        let params = serde_json::from_value(record["wrapped"]["params"].clone()).unwrap();
        derive_kek(PIN, &params).unwrap()
    };
    for key in store.blobs().keys() {
        if key == "vault.key" {
            continue;
        }
        let mut missing = store.clone();
        missing.blobs_mut().remove(key);
        let err = unlock_and_load(missing, &kek).unwrap_err();
        assert!(err.needs_reenrolment(), "{key} missing: {err}");
        for len in [0, 1, 10, 40] {
            let mut cut = store.clone();
            cut.blobs_mut().get_mut(key).unwrap().truncate(len);
            let err = unlock_and_load(cut, &kek).unwrap_err();
            assert!(err.needs_reenrolment(), "{key} cut to {len}: {err}");
        }
    }
    let mut garbage = store.clone();
    garbage
        .blobs_mut()
        .insert("vault.key".into(), b"not json".to_vec());
    let err = unlock_and_load(garbage, &kek).unwrap_err();
    assert!(matches!(err, VaultError::Damaged(_)), "{err}");
}

#[test]
fn sealed_documents_swapped_between_slots_do_not_open() {
    let store = locked_store();
    let kek = {
        let record: serde_json::Value =
            serde_json::from_slice(&store.blobs()["vault.key"]).unwrap();
        let params = serde_json::from_value(record["wrapped"]["params"].clone()).unwrap();
        derive_kek(PIN, &params).unwrap()
    };
    let slots: Vec<String> = store
        .blobs()
        .keys()
        .filter(|k| k.starts_with("doc."))
        .cloned()
        .collect();
    assert_eq!(slots.len(), 2);
    let mut swapped = store.clone();
    let a = swapped.blobs()[&slots[0]].clone();
    let b = swapped.blobs()[&slots[1]].clone();
    swapped.blobs_mut().insert(slots[0].clone(), b);
    swapped.blobs_mut().insert(slots[1].clone(), a);
    let err = unlock_and_load(swapped, &kek).unwrap_err();
    assert!(matches!(err, VaultError::Damaged("document")), "{err}");
}

#[test]
fn a_wrong_kek_counts_as_a_wrong_pin() {
    let store = locked_store();
    let kek = SecretKey::from_bytes([9; 32]);
    assert_eq!(
        unlock_and_load(store, &kek).unwrap(),
        PinOutcome::WrongPin { left: 4 }
    );
}
