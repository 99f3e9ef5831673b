//! A key-encryption key bound to secrets besides the PIN.
//!
//! A PIN has a million values, so Argon2id(PIN) alone is the brake only for someone who has
//! to guess on the device itself. Mixing in secrets that only one browser profile (a
//! non-extractable WebCrypto key) or one passkey (WebAuthn PRF) can produce makes a copy of
//! the stored records useless elsewhere, whatever the PIN. HKDF-SHA256 combines them; the
//! names of the factors are part of the input, so a record that drops a factor derives a
//! different key rather than a weaker one.

use hkdf::Hkdf;
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::error::{CryptoError, Result};
use crate::keys::{KEY_LEN, SecretKey};

/// HKDF `info` of a bound key; part of the stored format (change it only with a new
/// key-record format).
pub const BOUND_KEK_INFO: &[u8] = b"kluis/bound-kek/v1";

/// One secret mixed into the key, with the name that says where it comes from (e.g.
/// `"browser-key"`, `"passkey-prf"`).
pub struct Factor<'a> {
    pub name: &'a str,
    pub secret: &'a [u8],
}

/// `HKDF-SHA256(salt, ikm = kek ‖ for each factor: len(name) ‖ name ‖ len(secret) ‖ secret,
/// info = "kluis/bound-kek/v1")` → 32 bytes. With no factors it is still a different key
/// from `kek`, so the result is never the PIN's key itself.
///
/// # Errors
/// [`CryptoError::Malformed`] for a factor name or secret over 255 bytes or an empty secret.
pub fn bind_kek(kek: &SecretKey, salt: &[u8], factors: &[Factor<'_>]) -> Result<SecretKey> {
    let mut ikm = Zeroizing::new(Vec::with_capacity(KEY_LEN + 80 * factors.len()));
    ikm.extend_from_slice(kek.expose_bytes());
    for factor in factors {
        let name_len = u8::try_from(factor.name.len())
            .map_err(|_| CryptoError::Malformed("factor name longer than 255 bytes"))?;
        let secret_len = u8::try_from(factor.secret.len())
            .map_err(|_| CryptoError::Malformed("factor secret longer than 255 bytes"))?;
        if secret_len == 0 {
            return Err(CryptoError::Malformed("empty factor secret"));
        }
        ikm.push(name_len);
        ikm.extend_from_slice(factor.name.as_bytes());
        ikm.push(secret_len);
        ikm.extend_from_slice(factor.secret);
    }
    let hk = Hkdf::<Sha256>::new(Some(salt), &ikm);
    let mut key = SecretKey::zeroed();
    hk.expand(BOUND_KEK_INFO, key.bytes_mut())
        .map_err(|_| CryptoError::Kdf("HKDF output length".into()))?;
    Ok(key)
}
