//! Fixtures shared by the vault tests: a login, a scope document with recognisable secrets,
//! and the raw-blob checks.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use kluis_app::platform::storage::MemoryStore;
use kluis_app::state::session::{Organisation, Person, Session, Token};
use kluis_crypto::KdfParams;
use kluis_domain::ids::{DeviceId, OrgId, PersonId, SafeId, SafeModelId};
use kluis_domain::model::{OrgKind, Role, SafeStatus};
use kluis_domain::safe_model::ButtonSet;
use kluis_domain::schema::{
    CodeView, ModelView, SafeView, ScopeSettings, ScopeView, read_scope, write_scope,
};
use kluis_domain::sync::{DocId, SyncClient};
use kluis_domain::time::Timestamp;

pub const PIN: &str = "482915";
pub const OTHER_PIN: &str = "730258";
pub const TOKEN: &str = "tok-Zq9vXw3Lm7Rk2Pt8";
pub const PERSON: &str = "Marieke Vandenbroucke";
pub const DEVICE: &str = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
pub const STREETS: [&str; 2] = ["Wolterslaan", "Rabotstraat"];
pub const CODES: [&str; 2] = ["13579", "24680"];
pub const PREVIOUS_CODE: &str = "1470";
pub const SERVICE: OrgId = OrgId::from_bytes([7; 16]);

pub fn session() -> Session {
    Session {
        token: Token::new(TOKEN.to_string()),
        device_id: device(),
        person: Person {
            id: PersonId::from_bytes([42; 16]),
            name: PERSON.to_string(),
            login: "carer.wgk.7".to_string(),
            role: Role::Carer,
            organisation: Organisation {
                id: SERVICE,
                name: "Wit-Gele Kruis".to_string(),
                kind: OrgKind::CareService,
            },
        },
    }
}

/// Real Argon2id costs (19 MiB, t=2, p=1): the minimum the crypto crate accepts.
pub fn params() -> KdfParams {
    KdfParams::recommended().expect("salt")
}

pub fn device() -> DeviceId {
    DEVICE.parse().expect("device id")
}

pub fn scope_id() -> DocId {
    DocId::scope(SERVICE, 3)
}

pub fn scope_view() -> ScopeView {
    let model = SafeModelId::from_bytes([1; 16]);
    let models = BTreeMap::from([(
        model,
        ModelView {
            name: "Supra KeySafe Pro".into(),
            buttons: "1234567890".into(),
        },
    )]);
    let mut safes = BTreeMap::new();
    for (n, (street, code)) in STREETS.iter().zip(CODES).enumerate() {
        safes.insert(
            SafeId::from_bytes([n as u8 + 1; 16]),
            SafeView {
                street: (*street).into(),
                numbers: "10-16".parse().unwrap(),
                postcode: "9000".into(),
                city: "Gent".into(),
                district: "Brugse Poort".into(),
                apartments: 24,
                placement: "links van de inkomdeur".into(),
                model,
                status: SafeStatus::Active,
                code: Some(CodeView {
                    value: ButtonSet::parse(code).unwrap(),
                    since: Timestamp::from_millis(1_700_000_000_000),
                }),
                previous_code: Some(CodeView {
                    value: ButtonSet::parse(PREVIOUS_CODE).unwrap(),
                    since: Timestamp::from_millis(1_690_000_000_000),
                }),
                new_code: None,
            },
        );
    }
    ScopeView {
        service: SERVICE,
        service_name: "Wit-Gele Kruis".into(),
        settings: ScopeSettings::default(),
        models,
        safes,
    }
}

/// A client holding a scope document with [`scope_view`] and an (empty) outbox.
pub fn client_with_docs() -> SyncClient {
    let mut client = SyncClient::new(device());
    write_scope(
        client.doc_mut(&scope_id()),
        &scope_view(),
        Timestamp::from_millis(1_700_000_000_000),
    )
    .unwrap();
    client.doc_mut(&DocId::device(device()));
    client
}

pub fn read_view(client: &SyncClient) -> ScopeView {
    read_scope(client.doc(&scope_id()).expect("scope doc held")).expect("readable scope")
}

/// Fails when any stored blob (or key name) shows a secret or anything that identifies the
/// carer or the buildings.
pub fn assert_opaque(store: &MemoryStore) {
    let secrets = [TOKEN, PERSON, DEVICE, PREVIOUS_CODE, "Brugse Poort", "Gent"]
        .into_iter()
        .chain(STREETS)
        .chain(CODES);
    let secrets: Vec<&str> = secrets.collect();
    assert!(!store.is_empty());
    for (key, blob) in store.blobs() {
        let text = String::from_utf8_lossy(blob);
        for secret in &secrets {
            assert!(!text.contains(secret), "{secret:?} readable in {key}");
            assert!(!key.contains(secret), "{secret:?} in the key name {key}");
        }
        assert!(!key.contains("scope"), "document id in the key name {key}");
    }
}
