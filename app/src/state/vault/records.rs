//! The stored formats of the vault: record names, associated data, and the byte layouts of
//! what is sealed. Kept apart from the vault's logic so the on-disk format is reviewed in one
//! place; changing anything here needs a new format or AAD version.

use std::collections::BTreeMap;

use kluis_crypto::{Aad, WrappedKey, Zeroizing};
use kluis_domain::pin::PinAttempts;
use serde::{Deserialize, Serialize};

use super::VaultError;
use super::binding::Binding;
use kluis_domain::ids::{DeviceId, PersonId};
use kluis_domain::model::Role;

use crate::state::session::{Organisation, Person, Session, Token};

/// The only plaintext record: the wrapped data key, its Argon2id parameters and the count of
/// wrong PINs. Nothing in it says who the carer is or what the cache holds.
pub(crate) const KEY_RECORD: &str = "vault.key";
/// Sealed: the login (token, device id, person).
pub(crate) const ENROLMENT_RECORD: &str = "vault.enrolment";
/// Sealed: which documents are held, and under which slot.
pub(crate) const INDEX_RECORD: &str = "vault.docs";
/// Sealed: the carer's view of the scope, derived from the scope document (`vault::view`).
pub(crate) const VIEW_RECORD: &str = "vault.view";
/// Sealed documents live under `doc.<random hex>`: random slot names, so the key names do
/// not reveal which service's scope the device holds.
pub(crate) const DOC_PREFIX: &str = "doc.";

/// Owner of the wrapped key. Constant on purpose: every enrolment has a fresh random data key
/// and KEK salt, so binding to an identity adds nothing, and the plaintext record must not
/// name the carer or the device.
pub(crate) const WRAP_OWNER: &str = "kluis/local-vault";
pub const LOCAL_DOC_KIND: &str = "kluis/local-doc";
pub const LOCAL_ENROLMENT_KIND: &str = "kluis/local-enrolment";
pub const LOCAL_INDEX_KIND: &str = "kluis/local-doc-index";
pub const LOCAL_VIEW_KIND: &str = "kluis/local-scope-view";
/// Version of every sealed plaintext layout below.
pub const LOCAL_RECORD_VERSION: u16 = 1;
/// 2: the key record says which device factors the key is bound to (`binding`). Format 1
/// records (bound to the PIN only) still open, and are bound at their next unlock.
const KEY_RECORD_FORMAT: u8 = 2;
const KEY_RECORD_FORMAT_PIN_ONLY: u8 = 1;

pub(crate) fn enrolment_aad() -> Aad<'static> {
    Aad {
        kind: LOCAL_ENROLMENT_KIND,
        version: LOCAL_RECORD_VERSION,
        owner: WRAP_OWNER,
    }
}

pub(crate) fn index_aad(device: &str) -> Aad<'_> {
    Aad {
        kind: LOCAL_INDEX_KIND,
        version: LOCAL_RECORD_VERSION,
        owner: device,
    }
}

pub(crate) fn view_aad(device: &str) -> Aad<'_> {
    Aad {
        kind: LOCAL_VIEW_KIND,
        version: LOCAL_RECORD_VERSION,
        owner: device,
    }
}

/// `owner` is [`doc_owner`]: a sealed document swapped into another slot does not open.
pub(crate) fn doc_aad(owner: &str) -> Aad<'_> {
    Aad {
        kind: LOCAL_DOC_KIND,
        version: LOCAL_RECORD_VERSION,
        owner,
    }
}

/// Binds a sealed document to the device and the document id.
pub(crate) fn doc_owner(device: &str, doc: &str) -> String {
    format!("{device}/{doc}")
}

#[derive(Serialize, Deserialize)]
pub(crate) struct KeyRecord {
    pub format: u8,
    pub wrapped: WrappedKey,
    pub attempts: PinAttempts,
    /// What besides the PIN the key needs; empty in a format 1 record.
    #[serde(default)]
    pub binding: Binding,
}

impl KeyRecord {
    pub const FORMAT: u8 = KEY_RECORD_FORMAT;

    pub fn new(wrapped: WrappedKey, binding: Binding) -> Self {
        KeyRecord {
            format: KEY_RECORD_FORMAT,
            wrapped,
            attempts: PinAttempts::default(),
            binding,
        }
    }

    pub fn encode(&self) -> Result<Vec<u8>, VaultError> {
        serde_json::to_vec(self).map_err(|_| VaultError::Damaged("key record"))
    }

    pub fn decode(bytes: &[u8]) -> Result<Self, VaultError> {
        let record: KeyRecord =
            serde_json::from_slice(bytes).map_err(|_| VaultError::Damaged("key record"))?;
        match record.format {
            KEY_RECORD_FORMAT => Ok(record),
            // Bound to the PIN only: a format 1 record claiming factors is not one Kluis wrote.
            KEY_RECORD_FORMAT_PIN_ONLY if record.binding.is_empty() => Ok(record),
            _ => Err(VaultError::Damaged("key record")),
        }
    }
}

/// Document id (`scope.<service>.<epoch>`, `device.<device>`) → slot name, plus the small
/// facts derived from using the documents. Those live here, sealed, because even "when did
/// this phone last sync" and "which buildings did this carer open" are not for a finder's eyes.
#[derive(Default, Serialize, Deserialize)]
pub(crate) struct DocIndex {
    pub docs: BTreeMap<String, String>,
    /// Server time of the last successful sync (ms since the epoch).
    #[serde(default)]
    pub last_sync: Option<i64>,
    /// Safe ids opened on this device, most recent first.
    #[serde(default)]
    pub recent: Vec<String>,
}

impl DocIndex {
    pub fn encode(&self) -> Result<Zeroizing<Vec<u8>>, VaultError> {
        serde_json::to_vec(self)
            .map(Zeroizing::new)
            .map_err(|_| VaultError::Damaged("document index"))
    }

    pub fn decode(bytes: &[u8]) -> Result<Self, VaultError> {
        let index: DocIndex =
            serde_json::from_slice(bytes).map_err(|_| VaultError::Damaged("document index"))?;
        // A slot outside the document prefix could make a later sweep delete the key record.
        if index
            .docs
            .values()
            .any(|slot| !slot.starts_with(DOC_PREFIX))
        {
            return Err(VaultError::Damaged("document index"));
        }
        Ok(index)
    }
}

/// `u32 LE len(saved) | saved | sync state`: the Automerge save and its sync state. Both are
/// opaque to the vault and already length-safe, so one length prefix is enough.
pub(crate) fn encode_doc(saved: &[u8], state: &[u8]) -> Result<Zeroizing<Vec<u8>>, VaultError> {
    let len = u32::try_from(saved.len()).map_err(|_| VaultError::Damaged("document too large"))?;
    let mut out = Zeroizing::new(Vec::with_capacity(4 + saved.len() + state.len()));
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(saved);
    out.extend_from_slice(state);
    Ok(out)
}

pub(crate) fn decode_doc(payload: &[u8]) -> Result<(&[u8], &[u8]), VaultError> {
    let damaged = || VaultError::Damaged("document");
    let (len, rest) = payload.split_at_checked(4).ok_or_else(damaged)?;
    let len: [u8; 4] = len.try_into().map_err(|_| damaged())?;
    let len = usize::try_from(u32::from_le_bytes(len)).map_err(|_| damaged())?;
    rest.split_at_checked(len).ok_or_else(damaged)
}

/// The sealed enrolment: JSON of the token, the device id and the person as the server
/// described them. Enrolments written before the person's `login` was kept have none.
#[derive(Serialize, Deserialize)]
struct StoredEnrolment {
    token: String,
    device_id: DeviceId,
    person: StoredPerson,
}

#[derive(Serialize, Deserialize)]
struct StoredPerson {
    id: PersonId,
    name: String,
    login: Option<String>,
    role: Role,
    organisation: Organisation,
}

pub(crate) fn encode_session(session: &Session) -> Result<Zeroizing<Vec<u8>>, VaultError> {
    let person = &session.person;
    let stored = StoredEnrolment {
        token: session.token.expose().to_string(),
        device_id: session.device_id,
        person: StoredPerson {
            id: person.id,
            name: person.name.clone(),
            login: Some(person.login.clone()),
            role: person.role,
            organisation: person.organisation.clone(),
        },
    };
    serde_json::to_vec(&stored)
        .map(Zeroizing::new)
        .map_err(|_| VaultError::Damaged("enrolment"))
}

pub(crate) fn decode_session(bytes: &[u8]) -> Result<Session, VaultError> {
    let stored: StoredEnrolment =
        serde_json::from_slice(bytes).map_err(|_| VaultError::Damaged("enrolment"))?;
    let person = stored.person;
    Ok(Session {
        token: Token::new(stored.token),
        device_id: stored.device_id,
        person: Person {
            id: person.id,
            name: person.name,
            login: person.login.unwrap_or_default(),
            role: person.role,
            organisation: person.organisation,
        },
    })
}

/// A fresh random slot name.
pub(crate) fn new_slot() -> Result<String, VaultError> {
    let mut bytes = [0u8; 12];
    kluis_crypto::random_bytes(&mut bytes).map_err(VaultError::Crypto)?;
    let mut slot = String::from(DOC_PREFIX);
    for b in bytes {
        slot.push_str(&format!("{b:02x}"));
    }
    Ok(slot)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_enrolment_reads_back_and_one_from_before_logins_were_kept_still_opens() {
        let d = "0a".repeat(16);
        let (p, o) = ("2".repeat(32), "3".repeat(32));
        let older = format!(
            r#"{{"token":"t","device_id":"{d}","person":{{"id":"{p}","name":"An","role":"carer",
            "organisation":{{"id":"{o}","name":"Wit-Gele Kruis","kind":"care_service"}}}}}}"#
        );
        let session = decode_session(older.as_bytes()).expect("older enrolment");
        assert_eq!(session.person.login, "");
        assert_eq!(session.device_id.to_string(), d);
        let again = decode_session(&encode_session(&session).expect("encodes")).expect("decodes");
        assert_eq!(again, session);
        assert!(decode_session(older.replace("carer", "caregiver").as_bytes()).is_err());
    }

    /// The key record is the one plaintext record and must open after every update: its bytes
    /// are frozen here. Changing them needs a new `KEY_RECORD_FORMAT` that still reads these.
    const KEY_RECORD_V2: &str = concat!(
        r#"{"format":2,"wrapped":{"params":{"version":1,"m_cost_kib":19456,"t_cost":2,"#,
        r#""p_cost":1,"salt":"AAECAwQFBgcICQoLDA0ODw=="},"blob":"AQID"},"#,
        r#""attempts":{"wrong_in_a_row":0},"binding":{"browser_challenge":"#,
        r#""0101010101010101010101010101010101010101010101010101010101010101","#,
        r#""passkey":{"credential_id":"c0ffee","salt":"#,
        r#""0202020202020202020202020202020202020202020202020202020202020202"}}}"#
    );
    const KEY_RECORD_V1: &str = concat!(
        r#"{"format":1,"wrapped":{"params":{"version":1,"m_cost_kib":19456,"t_cost":2,"#,
        r#""p_cost":1,"salt":"AAECAwQFBgcICQoLDA0ODw=="},"blob":"AQID"},"#,
        r#""attempts":{"wrong_in_a_row":2}}"#
    );

    fn golden_wrapped() -> WrappedKey {
        WrappedKey {
            params: kluis_crypto::KdfParams {
                version: 1,
                m_cost_kib: 19456,
                t_cost: 2,
                p_cost: 1,
                salt: std::array::from_fn(|i| i as u8),
            },
            blob: vec![1, 2, 3],
        }
    }

    #[test]
    fn the_key_record_bytes_are_frozen() {
        let binding = Binding {
            browser_challenge: Some("01".repeat(32)),
            passkey: Some(super::super::binding::PasskeyBinding {
                credential_id: "c0ffee".into(),
                salt: "02".repeat(32),
            }),
        };
        let record = KeyRecord::new(golden_wrapped(), binding.clone());
        let bytes = record.encode().expect("encodes");
        assert_eq!(std::str::from_utf8(&bytes).expect("utf-8"), KEY_RECORD_V2);
        let back = KeyRecord::decode(KEY_RECORD_V2.as_bytes()).expect("decodes");
        assert_eq!(back.binding, binding);
        assert_eq!(back.wrapped, golden_wrapped());
    }

    #[test]
    fn a_pin_only_record_of_format_1_still_opens_and_keeps_its_wrong_pins() {
        let record = KeyRecord::decode(KEY_RECORD_V1.as_bytes()).expect("format 1 opens");
        assert_eq!(record.format, 1);
        assert!(record.binding.is_empty());
        assert_eq!(record.wrapped, golden_wrapped());
        assert_eq!(
            record.attempts.left(),
            kluis_domain::pin::MAX_WRONG_PINS - 2
        );
        // A format 1 record naming device factors was not written by Kluis.
        let forged = KEY_RECORD_V1.replace(
            r#""attempts":{"wrong_in_a_row":2}"#,
            r#""attempts":{"wrong_in_a_row":2},"binding":{"browser_challenge":"00"}"#,
        );
        assert!(KeyRecord::decode(forged.as_bytes()).is_err(), "{forged}");
        assert!(KeyRecord::decode(KEY_RECORD_V2.replace(":2,", ":3,").as_bytes()).is_err());
    }
}
