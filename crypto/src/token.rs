//! Bearer tokens and their stored hashes.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::Result;
use crate::random::random_bytes;

/// Random bytes in a token: 256 bits, far beyond guessing.
pub const TOKEN_BYTES: usize = 32;

/// A new random bearer token: 32 random bytes as unpadded base64url
/// (43 characters, safe in URLs and headers).
///
/// # Errors
/// [`crate::CryptoError::Random`] if the generator fails.
pub fn random_token() -> Result<String> {
    let mut bytes = Zeroizing::new([0u8; TOKEN_BYTES]);
    random_bytes(bytes.as_mut_slice())?;
    Ok(encode_token(bytes.as_slice()))
}

pub(crate) fn encode_token(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// SHA-256 of the token text as 64 lowercase hex characters; the server
/// stores only this. A fast unsalted hash is right here because tokens are
/// random and high-entropy: there is nothing to brute-force, and lookups
/// by hash stay possible.
#[must_use]
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}
