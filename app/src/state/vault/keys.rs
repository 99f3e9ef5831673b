//! Changing what wraps the data key of an enrolled vault: a new PIN, binding an old vault to
//! this browser, and the bearer token inside the sealed enrolment. The documents are never
//! re-encrypted: only the one wrapped key or the one enrolment record changes.

use kluis_crypto::{KdfParams, SecretKey, WrappedKey, seal};
use kluis_domain::pin::check_new_pin;

use super::binding::{Binding, DeviceSecrets, bound_kek};
use super::records::{
    ENROLMENT_RECORD, KEY_RECORD, KeyRecord, WRAP_OWNER, encode_session, enrolment_aad,
};
use super::{PinOutcome, UnlockStep, UnlockTicket, Vault, VaultError, derive_kek};
use crate::platform::storage::BlobStore;
use crate::state::session::Token;

impl<S: BlobStore> Vault<S> {
    /// Binds an open vault's key to device factors (a vault written before binding
    /// existed): the data key is wrapped again under the same PIN key and parameters, bound.
    ///
    /// # Errors
    /// Locked, a factor without its secret, store failure.
    pub fn rebind(
        &mut self,
        pin_kek: &SecretKey,
        binding: Binding,
        secrets: &DeviceSecrets,
    ) -> Result<(), VaultError> {
        let opened = self.opened.as_ref().ok_or(VaultError::Locked)?;
        let mut record = self.read_key_record()?;
        let kek = bound_kek(pin_kek, &record.wrapped.params, &binding, secrets)?;
        record.wrapped =
            WrappedKey::wrap_with_kek(&opened.key, &kek, record.wrapped.params, WRAP_OWNER)
                .map_err(VaultError::Crypto)?;
        record.binding = binding;
        record.format = KeyRecord::FORMAT;
        self.store.put(KEY_RECORD, &record.encode()?)?;
        Ok(())
    }

    /// Replaces the bearer token in the sealed enrolment (the server rotates it at every
    /// sync). The caller uses the new token only once this is persisted.
    ///
    /// # Errors
    /// Locked, sealing or store failure.
    pub fn set_token(&mut self, token: &str) -> Result<(), VaultError> {
        let opened = self.opened.as_mut().ok_or(VaultError::Locked)?;
        let mut session = opened.session.clone();
        session.token = Token::new(token.to_string());
        let enrolment = encode_session(&session)?;
        let sealed = seal(&opened.key, &enrolment_aad(), &enrolment).map_err(VaultError::Crypto)?;
        self.store.put(ENROLMENT_RECORD, &sealed)?;
        opened.session = session;
        Ok(())
    }

    /// Re-wraps the data key under `new_pin` (same costs, fresh salt, same device factors);
    /// the documents are not touched. A wrong `old_pin` counts like a wrong unlock. Does not
    /// change locked/unlocked.
    ///
    /// # Errors
    /// A weak new PIN (checked first, costs no attempt), as [`Vault::unlock`] otherwise.
    pub fn change_pin(&mut self, old_pin: &str, new_pin: &str) -> Result<PinOutcome, VaultError> {
        self.change_pin_with(old_pin, new_pin, &DeviceSecrets::default())
    }

    /// [`Vault::change_pin`] for a vault bound to device factors, with their `secrets`.
    ///
    /// # Errors
    /// As [`Vault::change_pin`].
    pub fn change_pin_with(
        &mut self,
        old_pin: &str,
        new_pin: &str,
        secrets: &DeviceSecrets,
    ) -> Result<PinOutcome, VaultError> {
        check_new_pin(new_pin)?;
        let ticket = match self.prepare_unlock()? {
            UnlockStep::Wiped => return Ok(PinOutcome::Wiped),
            UnlockStep::Derive(ticket) => ticket,
        };
        let new_params = ticket.params.with_new_salt().map_err(VaultError::Crypto)?;
        let old_kek = derive_kek(old_pin, ticket.params())?;
        let new_kek = derive_kek(new_pin, &new_params)?;
        self.change_pin_with_keks(ticket, &old_kek, new_pin, new_params, &new_kek, secrets)
    }

    /// [`Vault::change_pin`] with both PIN keys derived elsewhere: `old_kek` from the ticket's
    /// parameters, `new_kek` from `new_params` (e.g. `ticket.params().with_new_salt()`).
    ///
    /// # Errors
    /// As [`Vault::change_pin`].
    pub fn change_pin_with_keks(
        &mut self,
        ticket: UnlockTicket,
        old_kek: &SecretKey,
        new_pin: &str,
        new_params: KdfParams,
        new_kek: &SecretKey,
        secrets: &DeviceSecrets,
    ) -> Result<PinOutcome, VaultError> {
        check_new_pin(new_pin)?;
        let binding = ticket.binding.clone();
        let old = bound_kek(old_kek, &ticket.params, &binding, secrets)?;
        let new = bound_kek(new_kek, &new_params, &binding, secrets)?;
        let key = match self.try_kek(ticket, &old)? {
            Ok(key) => key,
            Err(outcome) => return Ok(outcome),
        };
        self.rewrap(&key, new_params, &new)?;
        Ok(PinOutcome::Accepted)
    }

    fn rewrap(
        &mut self,
        key: &SecretKey,
        params: KdfParams,
        kek: &SecretKey,
    ) -> Result<(), VaultError> {
        let mut record = self.read_key_record()?;
        record.wrapped =
            WrappedKey::wrap_with_kek(key, kek, params, WRAP_OWNER).map_err(VaultError::Crypto)?;
        self.store.put(KEY_RECORD, &record.encode()?)?;
        Ok(())
    }
}
