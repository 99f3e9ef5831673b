//! Data keys wrapped by a key derived from a PIN or password.

use serde::{Deserialize, Serialize};

use crate::aad::Aad;
use crate::error::{CryptoError, Result};
use crate::kdf::{KdfParams, derive_key};
use crate::keys::{KEY_LEN, SecretKey};
use crate::seal::{open, seal};

/// AAD kind of a wrapped data key; part of the stored format.
pub const WRAPPED_KEY_KIND: &str = "kluis/wrapped-key";
/// AAD version of a wrapped data key; part of the stored format.
pub const WRAPPED_KEY_VERSION: u16 = 1;

/// A random data key sealed under a key-encryption key (KEK) derived from a
/// PIN or password.
///
/// Everything is encrypted under the data key, so changing the PIN re-wraps
/// this one key ([`WrappedKey::rewrap`]) instead of re-encrypting all data.
/// Holds only the public KDF parameters and a sealed blob, so it is safe to
/// store and sync.
///
/// Serialized as `{"params":{…},"blob":"<standard base64>"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrappedKey {
    /// How the KEK is derived from the secret.
    pub params: KdfParams,
    /// The data key, sealed under the KEK with
    /// `Aad { kind: "kluis/wrapped-key", version: 1, owner }`.
    #[serde(with = "crate::serde_b64::vec")]
    pub blob: Vec<u8>,
}

impl WrappedKey {
    /// Derive a KEK from `secret` with `params` and seal `data_key` under it,
    /// bound to `owner`.
    ///
    /// # Errors
    /// Invalid `params` (see [`KdfParams::validate`]), KDF or RNG failure.
    pub fn wrap(
        data_key: &SecretKey,
        secret: &[u8],
        params: KdfParams,
        owner: &str,
    ) -> Result<WrappedKey> {
        let kek = derive_key(secret, &params)?;
        Self::wrap_with_kek(data_key, &kek, params, owner)
    }

    /// [`WrappedKey::wrap`] for a caller that already derived the KEK from
    /// `params` (the PWA runs Argon2 in a Web Worker). `params` must be the
    /// ones the KEK was derived with; they are stored, not used.
    ///
    /// # Errors
    /// Invalid `params` (see [`KdfParams::validate`]) or RNG failure.
    pub fn wrap_with_kek(
        data_key: &SecretKey,
        kek: &SecretKey,
        params: KdfParams,
        owner: &str,
    ) -> Result<WrappedKey> {
        // Refuse to store parameters that `unwrap` would later reject.
        params.validate()?;
        let blob = seal(kek, &wrapped_key_aad(owner), data_key.expose_bytes())?;
        Ok(WrappedKey { params, blob })
    }

    /// Recover the data key with the PIN or password.
    ///
    /// # Errors
    /// [`CryptoError::Decrypt`] for a wrong secret or owner; invalid stored
    /// params; [`CryptoError::Malformed`] for a damaged blob.
    pub fn unwrap(&self, secret: &[u8], owner: &str) -> Result<SecretKey> {
        let kek = derive_key(secret, &self.params)?;
        self.unwrap_with_kek(&kek, owner)
    }

    /// Recover the data key with an already derived KEK.
    ///
    /// # Errors
    /// [`CryptoError::Decrypt`] for a wrong KEK or owner;
    /// [`CryptoError::Malformed`] for a damaged blob.
    pub fn unwrap_with_kek(&self, kek: &SecretKey, owner: &str) -> Result<SecretKey> {
        let plaintext = open(kek, &wrapped_key_aad(owner), &self.blob)?;
        if plaintext.len() != KEY_LEN {
            return Err(CryptoError::Malformed("wrapped key has the wrong length"));
        }
        let mut key = SecretKey::zeroed();
        key.bytes_mut().copy_from_slice(&plaintext);
        Ok(key)
    }

    /// Wrap the same data key under `new_secret`, with the same costs as now
    /// and a fresh salt. Proves knowledge of `old_secret` first.
    ///
    /// # Errors
    /// [`CryptoError::Decrypt`] if `old_secret` is wrong; KDF or RNG failure.
    pub fn rewrap(&self, old_secret: &[u8], new_secret: &[u8], owner: &str) -> Result<WrappedKey> {
        let data_key = self.unwrap(old_secret, owner)?;
        Self::wrap(&data_key, new_secret, self.params.with_new_salt()?, owner)
    }
}

fn wrapped_key_aad(owner: &str) -> Aad<'_> {
    Aad {
        kind: WRAPPED_KEY_KIND,
        version: WRAPPED_KEY_VERSION,
        owner,
    }
}
