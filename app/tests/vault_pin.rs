//! The PIN: counting wrong guesses (before the slow derivation), the wipe on the fifth, the
//! reset on a right PIN, PIN changes, and the split unlock the browser's Web Worker uses.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod vault_support;

use kluis_app::platform::storage::MemoryStore;
use kluis_app::state::vault::{PinOutcome, UnlockStep, Vault, VaultError, VaultState, derive_kek};
use kluis_domain::pin::PinProblem;
use kluis_domain::sync::SyncClient;
use vault_support::*;

const WRONG: &str = "999991";

/// Enrolled with documents saved, then locked.
fn locked() -> Vault<MemoryStore> {
    let mut vault = Vault::new(MemoryStore::new());
    vault.enrol(&session(), PIN, params()).unwrap();
    vault.save_docs(&mut client_with_docs()).unwrap();
    vault.lock();
    vault
}

#[test]
fn wrong_pins_count_down_then_the_fifth_wipes_everything() {
    let mut vault = locked();
    assert_eq!(vault.attempts_left().unwrap(), 5);
    for left in [4, 3, 2, 1] {
        assert_eq!(vault.unlock(WRONG).unwrap(), PinOutcome::WrongPin { left });
        assert_eq!(vault.attempts_left().unwrap(), left);
        // The count survives a reload.
        vault = Vault::new(vault.store().clone());
    }
    assert_eq!(vault.unlock(WRONG).unwrap(), PinOutcome::Wiped);
    assert!(vault.store().is_empty());
    assert_eq!(vault.state().unwrap(), VaultState::Empty);
    assert!(matches!(vault.unlock(PIN), Err(VaultError::NotEnrolled)));
}

#[test]
fn a_right_pin_resets_the_count() {
    let mut vault = locked();
    for left in [4, 3] {
        assert_eq!(vault.unlock(WRONG).unwrap(), PinOutcome::WrongPin { left });
    }
    assert_eq!(vault.unlock(PIN).unwrap(), PinOutcome::Accepted);
    assert_eq!(vault.attempts_left().unwrap(), 5);
    vault.lock();
    // Four more wrong PINs in a row are again allowed.
    assert_eq!(
        vault.unlock(WRONG).unwrap(),
        PinOutcome::WrongPin { left: 4 }
    );
}

#[test]
fn a_guess_is_counted_before_the_derivation() {
    let mut vault = locked();
    // The app is killed during Argon2id five times: each guess still counts.
    for left in [4, 3, 2, 1, 0] {
        match vault.prepare_unlock().unwrap() {
            UnlockStep::Derive(_ticket) => {}
            UnlockStep::Wiped => panic!("wiped too early"),
        }
        vault = Vault::new(vault.store().clone());
        assert_eq!(vault.attempts_left().unwrap(), left);
    }
    // At start-up a count at the limit means the fifth guess was cut short: wipe.
    assert!(matches!(vault.prepare_unlock().unwrap(), UnlockStep::Wiped));
    assert!(vault.store().is_empty());
}

#[test]
fn unlock_with_a_kek_derived_elsewhere() {
    let mut vault = locked();
    let UnlockStep::Derive(ticket) = vault.prepare_unlock().unwrap() else {
        panic!("not wiped");
    };
    // What the Web Worker does.
    let kek = derive_kek(PIN, ticket.params()).unwrap();
    assert_eq!(
        vault
            .unlock_with_kek(
                ticket,
                &kek,
                &kluis_app::state::vault::DeviceSecrets::default()
            )
            .unwrap(),
        PinOutcome::Accepted
    );
    let mut client = SyncClient::new(device());
    vault.load_docs(&mut client).unwrap();
    assert_eq!(read_view(&client), scope_view());
}

#[test]
fn change_pin_rewraps_the_key_and_keeps_the_documents() {
    let mut vault = locked();
    let docs_before: Vec<Vec<u8>> = vault
        .store()
        .blobs()
        .iter()
        .filter(|(k, _)| *k != "vault.key")
        .map(|(_, v)| v.clone())
        .collect();
    assert_eq!(
        vault.change_pin(PIN, OTHER_PIN).unwrap(),
        PinOutcome::Accepted
    );
    assert_eq!(vault.state().unwrap(), VaultState::Locked);
    let docs_after: Vec<Vec<u8>> = vault
        .store()
        .blobs()
        .iter()
        .filter(|(k, _)| *k != "vault.key")
        .map(|(_, v)| v.clone())
        .collect();
    assert_eq!(docs_before, docs_after, "only the key record may change");

    assert_eq!(vault.unlock(PIN).unwrap(), PinOutcome::WrongPin { left: 4 });
    assert_eq!(vault.unlock(OTHER_PIN).unwrap(), PinOutcome::Accepted);
    let mut client = SyncClient::new(device());
    vault.load_docs(&mut client).unwrap();
    assert_eq!(read_view(&client), scope_view());
}

#[test]
fn change_pin_refuses_a_weak_pin_and_counts_a_wrong_old_pin() {
    let mut vault = locked();
    // Checked before anything else: costs no attempt.
    assert!(matches!(
        vault.change_pin(PIN, "111111"),
        Err(VaultError::WeakPin(PinProblem::Repeated))
    ));
    assert_eq!(vault.attempts_left().unwrap(), 5);
    assert_eq!(
        vault.change_pin(WRONG, OTHER_PIN).unwrap(),
        PinOutcome::WrongPin { left: 4 }
    );
}
