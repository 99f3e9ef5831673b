//! The vault bound to this browser (and a passkey): the right PIN alone opens nothing a copy
//! of the records holds, a record stripped of its binding derives a wrong key rather than a
//! weaker one, old PIN-only vaults open and get bound, and the bearer token can be replaced.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod vault_support;

use kluis_app::platform::storage::{BlobStore, MemoryStore};
use kluis_app::state::vault::{
    Binding, DeviceSecrets, PasskeyBinding, PinOutcome, Vault, VaultError, derive_kek,
};
use kluis_crypto::Zeroizing;
use vault_support::*;

fn binding(passkey: bool) -> Binding {
    Binding {
        browser_challenge: Some("11".repeat(32)),
        passkey: passkey.then(|| PasskeyBinding {
            credential_id: "c0ffee".into(),
            salt: "22".repeat(32),
        }),
    }
}

fn secrets(browser: u8, passkey: Option<u8>) -> DeviceSecrets {
    DeviceSecrets {
        browser: Some(Zeroizing::new(vec![browser; 32])),
        passkey: passkey.map(|p| Zeroizing::new(vec![p; 32])),
    }
}

fn bound_vault(passkey: bool) -> Vault<MemoryStore> {
    let mut vault = Vault::new(MemoryStore::new());
    let p = params();
    let kek = derive_kek(PIN, &p).unwrap();
    vault
        .enrol_with_kek(
            &session(),
            PIN,
            p,
            &kek,
            binding(passkey),
            &secrets(7, passkey.then_some(9)),
        )
        .unwrap();
    vault.save_docs(&mut client_with_docs()).unwrap();
    vault.lock();
    vault
}

#[test]
fn the_pin_with_this_browsers_secrets_opens_it_and_a_copy_elsewhere_does_not() {
    let mut vault = bound_vault(true);
    assert_eq!(vault.binding().unwrap(), binding(true));
    assert_eq!(
        vault.unlock_with(PIN, &secrets(7, Some(9))).unwrap(),
        PinOutcome::Accepted
    );
    vault.lock();

    // The records copied into another browser: no device key, no passkey there.
    let mut copy = Vault::new(vault.store().clone());
    assert!(matches!(
        copy.unlock_with(PIN, &DeviceSecrets::default()),
        Err(VaultError::OtherDevice)
    ));
    assert!(matches!(copy.unlock(PIN), Err(VaultError::OtherDevice)));
    // Only the passkey missing (a synced passkey elsewhere, but not this browser's key).
    let no_passkey = secrets(7, None);
    assert!(matches!(
        copy.unlock_with(PIN, &no_passkey),
        Err(VaultError::OtherDevice)
    ));
    // Someone else's device key with the right PIN is a wrong key, counted like a wrong PIN.
    assert_eq!(
        copy.unlock_with(PIN, &secrets(8, Some(9))).unwrap(),
        PinOutcome::WrongPin { left: 1 }
    );
    assert!(VaultError::OtherDevice.needs_reenrolment());
}

#[test]
fn a_record_stripped_of_its_binding_does_not_open_with_the_pin_alone() {
    let vault = bound_vault(false);
    let mut store = vault.store().clone();
    let record: serde_json::Value =
        serde_json::from_slice(&store.get("vault.key").unwrap().unwrap()).unwrap();
    let mut stripped = record.clone();
    stripped["format"] = 1.into();
    stripped.as_object_mut().unwrap().remove("binding");
    store
        .put("vault.key", &serde_json::to_vec(&stripped).unwrap())
        .unwrap();
    let mut downgraded = Vault::new(store.clone());
    assert_eq!(
        downgraded.unlock(PIN).unwrap(),
        PinOutcome::WrongPin { left: 4 },
        "the PIN's key alone is not the key"
    );
    // A format 1 record that claims a binding is not one Kluis wrote.
    let mut claims = record;
    claims["format"] = 1.into();
    store
        .put("vault.key", &serde_json::to_vec(&claims).unwrap())
        .unwrap();
    assert!(matches!(
        Vault::new(store).unlock_with(PIN, &secrets(7, None)),
        Err(VaultError::Damaged("key record"))
    ));
}

#[test]
fn an_old_pin_only_vault_opens_and_is_bound_at_its_next_unlock() {
    let mut vault = Vault::new(MemoryStore::new());
    vault.enrol(&session(), PIN, params()).unwrap();
    vault.lock();
    // Written as the previous version wrote it: format 1, no binding.
    let mut store = vault.store().clone();
    let mut record: serde_json::Value =
        serde_json::from_slice(&store.get("vault.key").unwrap().unwrap()).unwrap();
    record["format"] = 1.into();
    record.as_object_mut().unwrap().remove("binding");
    store
        .put("vault.key", &serde_json::to_vec(&record).unwrap())
        .unwrap();
    let mut vault = Vault::new(store);
    assert!(vault.binding().unwrap().is_empty());
    assert_eq!(vault.unlock(PIN).unwrap(), PinOutcome::Accepted);

    let params = vault_params(&vault);
    let kek = derive_kek(PIN, &params).unwrap();
    vault
        .rebind(&kek, binding(false), &secrets(7, None))
        .unwrap();
    vault.lock();
    assert!(matches!(vault.unlock(PIN), Err(VaultError::OtherDevice)));
    assert_eq!(
        vault.unlock_with(PIN, &secrets(7, None)).unwrap(),
        PinOutcome::Accepted
    );
    assert_eq!(vault.session().unwrap().token.expose(), TOKEN);
}

fn vault_params(vault: &Vault<MemoryStore>) -> kluis_crypto::KdfParams {
    let record: serde_json::Value =
        serde_json::from_slice(&vault.store().get("vault.key").unwrap().unwrap()).unwrap();
    serde_json::from_value(record["wrapped"]["params"].clone()).unwrap()
}

#[test]
fn a_rotated_token_is_sealed_and_read_back() {
    let mut vault = bound_vault(false);
    assert!(matches!(vault.set_token("x"), Err(VaultError::Locked)));
    vault.unlock_with(PIN, &secrets(7, None)).unwrap();
    vault.set_token("tok-next-1").unwrap();
    assert_eq!(vault.session().unwrap().token.expose(), "tok-next-1");
    vault.lock();
    let store = vault.store().clone();
    assert_opaque(&store);
    for (key, blob) in store.blobs() {
        assert!(
            !String::from_utf8_lossy(blob).contains("tok-next-1"),
            "the new token readable in {key}"
        );
    }
    let mut reopened = Vault::new(store);
    reopened.unlock_with(PIN, &secrets(7, None)).unwrap();
    assert_eq!(reopened.session().unwrap().token.expose(), "tok-next-1");
    assert_eq!(reopened.session().unwrap().person.name, PERSON);
}
