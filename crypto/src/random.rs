//! OS randomness, the one place that talks to `getrandom`.

use crate::error::{CryptoError, Result};

/// Fill `buf` with cryptographically secure randomness from the OS (or, on
/// wasm32 in a browser, from `crypto.getRandomValues`).
///
/// # Errors
/// [`CryptoError::Random`] if the platform generator fails.
pub fn random_bytes(buf: &mut [u8]) -> Result<()> {
    getrandom::fill(buf).map_err(|e| CryptoError::Random(e.to_string()))
}
