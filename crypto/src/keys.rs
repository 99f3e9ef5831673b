//! The secret key type.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::error::{CryptoError, Result};
use crate::random::random_bytes;

/// Length of every symmetric key in Kluis.
pub const KEY_LEN: usize = 32;

/// A 32-byte symmetric secret key.
///
/// - Zeroized when dropped.
/// - `Debug` prints `SecretKey(***)`.
/// - Deliberately **not** `Serialize`/`Deserialize`: persisting a key must be
///   an explicit decision ([`SecretKey::to_base64`], or wrapping it with
///   [`crate::WrappedKey`]), never a side effect of serializing a bigger struct.
/// - Deliberately **not** `Clone`: every copy is one more place to zeroize.
///   Share one key behind an `Arc` instead.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct SecretKey {
    bytes: [u8; KEY_LEN],
}

impl SecretKey {
    /// A fresh random key from the OS generator.
    ///
    /// # Errors
    /// [`CryptoError::Random`] if the generator fails.
    pub fn generate() -> Result<SecretKey> {
        let mut key = SecretKey::zeroed();
        random_bytes(&mut key.bytes)?;
        Ok(key)
    }

    /// Wrap existing key bytes. The array is moved in, but any copy the caller
    /// still holds elsewhere is the caller's to zeroize.
    #[must_use]
    pub fn from_bytes(bytes: [u8; KEY_LEN]) -> SecretKey {
        SecretKey { bytes }
    }

    /// The raw key bytes. Named loudly so that every place key material leaves
    /// this type stands out in review.
    #[must_use]
    pub fn expose_bytes(&self) -> &[u8; KEY_LEN] {
        &self.bytes
    }

    /// Standard padded base64, for key files and environment variables.
    #[must_use]
    pub fn to_base64(&self) -> Zeroizing<String> {
        Zeroizing::new(STANDARD.encode(self.bytes))
    }

    /// Parse the output of [`SecretKey::to_base64`]. Surrounding whitespace
    /// (a trailing newline in a key file) is ignored.
    ///
    /// # Errors
    /// [`CryptoError::Malformed`] unless the text is valid base64 of exactly
    /// 32 bytes.
    pub fn from_base64(s: &str) -> Result<SecretKey> {
        // Decode into a zeroized scratch buffer larger than a key so that a
        // too-long input is detected as a length error instead of being
        // silently cut to 32 bytes.
        let mut scratch = Zeroizing::new([0u8; 2 * KEY_LEN]);
        let len = STANDARD
            .decode_slice(s.trim(), scratch.as_mut_slice())
            .map_err(|_| CryptoError::Malformed("secret key is not valid base64 of 32 bytes"))?;
        let decoded = scratch
            .get(..len)
            .filter(|d| d.len() == KEY_LEN)
            .ok_or(CryptoError::Malformed("secret key is not 32 bytes long"))?;
        let mut key = SecretKey::zeroed();
        key.bytes.copy_from_slice(decoded);
        Ok(key)
    }

    /// An all-zero key to be filled in place, so key bytes never need to pass
    /// through an intermediate stack copy that would not be zeroized.
    pub(crate) fn zeroed() -> SecretKey {
        SecretKey {
            bytes: [0u8; KEY_LEN],
        }
    }

    pub(crate) fn bytes_mut(&mut self) -> &mut [u8; KEY_LEN] {
        &mut self.bytes
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(***)")
    }
}
