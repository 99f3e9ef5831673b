//! The encrypted local cache ("vault"): the login and the synced documents, at rest only as
//! XChaCha20-Poly1305 blobs under a random data key, which is wrapped by a key derived from
//! the carer's PIN with Argon2id.
//!
//! Records (see `records.rs`): `vault.key` (plaintext: wrapped key, KDF parameters,
//! wrong-PIN count), `vault.enrolment`, `vault.docs` (with the last sync time and recent
//! safes), `vault.view` (the scope as the screens read it) and `doc.<random>` (all sealed,
//! `KS` magic).
//!
//! **Why the wrong-PIN count is plaintext, beside the wrapped key.** Before the PIN is known
//! there is no key to seal or authenticate the count with, so any count a device keeps can be
//! edited by whoever can edit the storage. It lives in the *same record* as the wrapped key,
//! so it cannot be deleted without deleting the data key (and with it all data). Someone who
//! can rewrite that record can also copy every blob and guess PINs offline: against them
//! Argon2id (≥ 19 MiB, t=2 per guess) is the brake. The count is the brake for the finder of
//! a phone who can only use the screen, and for them it holds: each guess is counted and
//! persisted *before* the slow derivation, so killing the app mid-guess gains nothing.
//!
//! **Browser.** Argon2id runs off the UI thread: [`Vault::prepare_unlock`] counts the guess
//! and hands out the KDF parameters, the worker runs [`derive_kek`], and
//! [`Vault::unlock_with_kek`] finishes. The vault is synchronous over a [`BlobStore`]; the
//! browser uses a `RecordingStore` loaded from IndexedDB and persists its recorded ops.

pub mod binding;
mod docs;
mod keys;
pub mod prefs;
mod records;
mod view;

pub use self::binding::{Binding, DeviceSecrets, PasskeyBinding};
pub use self::view::{LocalView, VIEW_FORMAT, decode_view, encode_view};

use kluis_crypto::{CryptoError, KdfParams, SecretKey, WrappedKey, open, seal};
use kluis_domain::pin::{AttemptOutcome, PinProblem, check_new_pin};

use self::binding::bound_kek;
use self::records::{
    DocIndex, ENROLMENT_RECORD, INDEX_RECORD, KEY_RECORD, KeyRecord, WRAP_OWNER, decode_session,
    encode_session, enrolment_aad, index_aad,
};
pub use self::records::{
    LOCAL_DOC_KIND, LOCAL_ENROLMENT_KIND, LOCAL_INDEX_KIND, LOCAL_RECORD_VERSION, LOCAL_VIEW_KIND,
};
use super::session::Session;
use crate::platform::storage::{BlobStore, StoreError};

/// Everything that can go wrong with the vault. Never carries a secret or a stored value.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// The new PIN is refused; nothing was stored.
    #[error("PIN refused: {0}")]
    WeakPin(#[from] PinProblem),
    /// No enrolment on this device: sign in online.
    #[error("this device is not enrolled")]
    NotEnrolled,
    /// The operation needs the PIN first.
    #[error("the local cache is locked")]
    Locked,
    /// The records were written by another browser (or its device key or passkey is gone):
    /// they do not open here, whatever the PIN. Sign in again.
    #[error("this local cache belongs to another browser or device; sign in again")]
    OtherDevice,
    /// A stored record is unreadable or fails authentication. Names the record only. The UI
    /// offers to sign in again (re-enrol), which replaces everything.
    #[error("the local cache is damaged ({0}); sign in again")]
    Damaged(&'static str),
    /// Randomness, key derivation or invalid KDF parameters from the caller.
    #[error("cryptography failed: {0}")]
    Crypto(CryptoError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl VaultError {
    /// True when the only way forward is signing in again online.
    pub fn needs_reenrolment(&self) -> bool {
        matches!(
            self,
            VaultError::Damaged(_) | VaultError::NotEnrolled | VaultError::OtherDevice
        )
    }
}

/// Where the vault stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VaultState {
    /// Not enrolled: sign in online.
    Empty,
    /// Enrolled; the PIN is needed.
    Locked,
    /// The data key is in memory.
    Unlocked,
}

/// The answer to a PIN (unlock or PIN change).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PinOutcome {
    Accepted,
    /// Wrong PIN; `left` more wrong PINs are allowed before the wipe.
    WrongPin {
        left: u8,
    },
    /// Too many wrong PINs: the cache and the enrolment are gone; sign in again online.
    Wiped,
}

/// First half of an unlock: either derive the KEK, or the limit was already reached.
#[derive(Debug)]
pub enum UnlockStep {
    Derive(UnlockTicket),
    Wiped,
}

/// Proof that this guess was counted and persisted. Only [`Vault::prepare_unlock`] makes one,
/// so no caller can try a KEK without paying for the guess.
#[derive(Debug)]
#[must_use]
pub struct UnlockTicket {
    params: KdfParams,
    binding: Binding,
    outcome: AttemptOutcome,
}

impl UnlockTicket {
    /// The parameters to derive the KEK with (validated).
    pub fn params(&self) -> &KdfParams {
        &self.params
    }

    /// The device factors the key needs besides the PIN.
    pub fn binding(&self) -> &Binding {
        &self.binding
    }
}

/// Argon2id(PIN) → key-encryption key. Slow on purpose: the browser runs it in a Web Worker.
///
/// # Errors
/// [`VaultError::Crypto`] for invalid parameters or a KDF failure.
pub fn derive_kek(pin: &str, params: &KdfParams) -> Result<SecretKey, VaultError> {
    kluis_crypto::derive_key(pin.as_bytes(), params).map_err(VaultError::Crypto)
}

struct Opened {
    key: SecretKey,
    session: Session,
    index: DocIndex,
}

/// The encrypted local cache over a blob store.
pub struct Vault<S: BlobStore> {
    store: S,
    opened: Option<Opened>,
}

impl<S: BlobStore> Vault<S> {
    /// A locked (or empty) vault over what `store` holds.
    pub fn new(store: S) -> Self {
        Vault {
            store,
            opened: None,
        }
    }

    pub fn store(&self) -> &S {
        &self.store
    }

    /// For taking the recorded ops of a `RecordingStore`.
    pub fn store_mut(&mut self) -> &mut S {
        &mut self.store
    }

    /// # Errors
    /// The store failed.
    pub fn state(&self) -> Result<VaultState, VaultError> {
        Ok(if self.opened.is_some() {
            VaultState::Unlocked
        } else if self.store.get(KEY_RECORD)?.is_some() {
            VaultState::Locked
        } else {
            VaultState::Empty
        })
    }

    /// Wrong PINs still allowed before the wipe.
    ///
    /// # Errors
    /// Not enrolled, damaged key record, store failure.
    pub fn attempts_left(&self) -> Result<u8, VaultError> {
        Ok(self.read_key_record()?.attempts.left())
    }

    /// The login, while unlocked.
    pub fn session(&self) -> Option<&Session> {
        self.opened.as_ref().map(|o| &o.session)
    }

    /// Replaces whatever is stored with a new enrolment under `pin` alone (no device
    /// factors), and leaves the vault unlocked. Derives the KEK here; the browser uses
    /// [`Vault::enrol_with_kek`] with its device factors.
    ///
    /// # Errors
    /// A weak PIN (nothing is touched), invalid `params`, store or RNG failure.
    pub fn enrol(
        &mut self,
        session: &Session,
        pin: &str,
        params: KdfParams,
    ) -> Result<(), VaultError> {
        check_new_pin(pin)?;
        let kek = derive_kek(pin, &params)?;
        self.enrol_with_kek(
            session,
            pin,
            params,
            &kek,
            Binding::default(),
            &DeviceSecrets::default(),
        )
    }

    /// [`Vault::enrol`] with `pin_kek = derive_kek(pin, &params)` computed elsewhere, bound to
    /// the device factors `binding` names (their secrets in `secrets`). The PIN is still
    /// passed so the PIN rules cannot be skipped.
    ///
    /// # Errors
    /// As [`Vault::enrol`]; [`VaultError::OtherDevice`] when a factor has no secret.
    pub fn enrol_with_kek(
        &mut self,
        session: &Session,
        pin: &str,
        params: KdfParams,
        pin_kek: &SecretKey,
        binding: Binding,
        secrets: &DeviceSecrets,
    ) -> Result<(), VaultError> {
        check_new_pin(pin)?;
        let kek = bound_kek(pin_kek, &params, &binding, secrets)?;
        let key = SecretKey::generate().map_err(VaultError::Crypto)?;
        let wrapped = WrappedKey::wrap_with_kek(&key, &kek, params, WRAP_OWNER)
            .map_err(VaultError::Crypto)?;
        self.wipe()?;
        let enrolment = encode_session(session)?;
        let sealed = seal(&key, &enrolment_aad(), &enrolment).map_err(VaultError::Crypto)?;
        self.store.put(ENROLMENT_RECORD, &sealed)?;
        let index = DocIndex::default();
        let device = session.device_id.to_string();
        let sealed =
            seal(&key, &index_aad(&device), &index.encode()?).map_err(VaultError::Crypto)?;
        self.store.put(INDEX_RECORD, &sealed)?;
        // Written last: until the key record exists the vault counts as empty, so a crash
        // half-way through leaves nothing that looks enrolled.
        self.store
            .put(KEY_RECORD, &KeyRecord::new(wrapped, binding).encode()?)?;
        self.opened = Some(Opened {
            key,
            session: decode_session(&enrolment)?,
            index,
        });
        Ok(())
    }

    /// The device factors the key needs, read without counting a guess: the platform
    /// produces their secrets (a passkey prompt the person may cancel) before the PIN counts.
    ///
    /// # Errors
    /// Not enrolled, damaged key record, store failure.
    pub fn binding(&self) -> Result<Binding, VaultError> {
        Ok(self.read_key_record()?.binding)
    }

    /// Counts this guess and persists the count, *before* the slow derivation, so killing
    /// the app during Argon2id does not give a free guess.
    ///
    /// # Errors
    /// Not enrolled, damaged key record (invalid stored parameters too), store failure.
    pub fn prepare_unlock(&mut self) -> Result<UnlockStep, VaultError> {
        let mut record = self.read_key_record()?;
        record
            .wrapped
            .params
            .validate()
            .map_err(|_| VaultError::Damaged("key record"))?;
        // A guess cut short at the limit (app killed during the fifth derivation).
        if record.attempts.left() == 0 {
            self.wipe()?;
            return Ok(UnlockStep::Wiped);
        }
        let outcome = record.attempts.wrong();
        self.store.put(KEY_RECORD, &record.encode()?)?;
        Ok(UnlockStep::Derive(UnlockTicket {
            params: record.wrapped.params,
            binding: record.binding,
            outcome,
        }))
    }

    /// Second half of an unlock, with `pin_kek` derived from the ticket's parameters and the
    /// secrets of the ticket's device factors.
    ///
    /// # Errors
    /// Not enrolled, a damaged record, store failure, [`VaultError::OtherDevice`] when a
    /// factor has no secret here. A wrong PIN is an outcome, not an error.
    pub fn unlock_with_kek(
        &mut self,
        ticket: UnlockTicket,
        pin_kek: &SecretKey,
        secrets: &DeviceSecrets,
    ) -> Result<PinOutcome, VaultError> {
        let kek = bound_kek(pin_kek, &ticket.params, &ticket.binding, secrets)?;
        let key = match self.try_kek(ticket, &kek)? {
            Ok(key) => key,
            Err(outcome) => return Ok(outcome),
        };
        let sealed = self
            .store
            .get(ENROLMENT_RECORD)?
            .ok_or(VaultError::Damaged("enrolment"))?;
        let plain =
            open(&key, &enrolment_aad(), &sealed).map_err(|_| VaultError::Damaged("enrolment"))?;
        let session = decode_session(&plain)?;
        let device = session.device_id.to_string();
        let sealed = self
            .store
            .get(INDEX_RECORD)?
            .ok_or(VaultError::Damaged("document index"))?;
        let plain = open(&key, &index_aad(&device), &sealed)
            .map_err(|_| VaultError::Damaged("document index"))?;
        let index = DocIndex::decode(&plain)?;
        self.opened = Some(Opened {
            key,
            session,
            index,
        });
        Ok(PinOutcome::Accepted)
    }

    /// [`Vault::unlock_with`] for a vault bound to the PIN only.
    ///
    /// # Errors
    /// As [`Vault::unlock_with`].
    pub fn unlock(&mut self, pin: &str) -> Result<PinOutcome, VaultError> {
        self.unlock_with(pin, &DeviceSecrets::default())
    }

    /// [`Vault::prepare_unlock`], [`derive_kek`] and [`Vault::unlock_with_kek`] in one call,
    /// on the calling thread.
    ///
    /// # Errors
    /// As the three steps.
    pub fn unlock_with(
        &mut self,
        pin: &str,
        secrets: &DeviceSecrets,
    ) -> Result<PinOutcome, VaultError> {
        match self.prepare_unlock()? {
            UnlockStep::Wiped => Ok(PinOutcome::Wiped),
            UnlockStep::Derive(ticket) => {
                let kek = derive_kek(pin, ticket.params())?;
                self.unlock_with_kek(ticket, &kek, secrets)
            }
        }
    }

    /// Forgets the data key (zeroized on drop) and the login; the stored blobs stay.
    pub fn lock(&mut self) {
        self.opened = None;
    }

    /// Deletes every blob and forgets the key: server wipe, sign-out, too many wrong PINs.
    ///
    /// # Errors
    /// The store failed (the key is forgotten anyway).
    pub fn wipe(&mut self) -> Result<(), VaultError> {
        self.opened = None;
        self.store.clear()?;
        Ok(())
    }

    fn read_key_record(&self) -> Result<KeyRecord, VaultError> {
        let bytes = self.store.get(KEY_RECORD)?.ok_or(VaultError::NotEnrolled)?;
        KeyRecord::decode(&bytes)
    }

    /// Tries the KEK on the wrapped key: the data key and a reset count, or what to tell the
    /// carer about the counted wrong guess.
    fn try_kek(
        &mut self,
        ticket: UnlockTicket,
        kek: &SecretKey,
    ) -> Result<Result<SecretKey, PinOutcome>, VaultError> {
        let mut record = self.read_key_record()?;
        match record.wrapped.unwrap_with_kek(kek, WRAP_OWNER) {
            Ok(key) => {
                record.attempts.right();
                self.store.put(KEY_RECORD, &record.encode()?)?;
                Ok(Ok(key))
            }
            // A wrong PIN and a tampered wrapped blob look the same, and count the same.
            Err(CryptoError::Decrypt) => match ticket.outcome {
                AttemptOutcome::TryAgain { left } => Ok(Err(PinOutcome::WrongPin { left })),
                AttemptOutcome::Wipe => {
                    self.wipe()?;
                    Ok(Err(PinOutcome::Wiped))
                }
            },
            Err(_) => Err(VaultError::Damaged("key record")),
        }
    }
}
