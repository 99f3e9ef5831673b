//! The stored formats of the vault: record names, associated data, and the byte layouts of
//! what is sealed. Kept apart from the vault's logic so the on-disk format is reviewed in one
//! place; changing anything here needs a new format or AAD version.

use std::collections::BTreeMap;

use kluis_crypto::{Aad, WrappedKey, Zeroizing};
use kluis_domain::pin::PinAttempts;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::VaultError;
use super::binding::Binding;
use crate::state::session::{Id, Session};

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

/// The login as the server sent it, so the sealed enrolment reads back with the same
/// `Session` parser (and stays readable if `Session` gains optional fields).
pub(crate) fn encode_session(session: &Session) -> Result<Zeroizing<Vec<u8>>, VaultError> {
    let person = &session.person;
    let value = json!({
        "token": session.token.expose(),
        "device_id": id_value(&session.device_id),
        "person": {
            "id": id_value(&person.id),
            "name": person.name,
            "role": person.role,
            "organisation": {
                "id": id_value(&person.organisation.id),
                "name": person.organisation.name,
                "kind": person.organisation.kind,
            },
        },
    });
    serde_json::to_vec(&value)
        .map(Zeroizing::new)
        .map_err(|_| VaultError::Damaged("enrolment"))
}

pub(crate) fn decode_session(bytes: &[u8]) -> Result<Session, VaultError> {
    serde_json::from_slice(bytes).map_err(|_| VaultError::Damaged("enrolment"))
}

fn id_value(id: &Id) -> Value {
    match id {
        Id::Text(text) => Value::from(text.as_str()),
        Id::Number(number) => Value::from(*number),
    }
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
