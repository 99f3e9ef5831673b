//! Cryptography for Kluis.
//!
//! - [`SecretKey`]: 32-byte keys, zeroized on drop, never serialized implicitly.
//! - [`seal`] / [`open`]: XChaCha20-Poly1305 blobs bound to an [`Aad`].
//! - [`KdfParams`] / [`derive_key`]: Argon2id from PINs and passwords.
//! - [`WrappedKey`]: a data key sealed under a PIN-derived key.
//! - [`bind_kek`]: that PIN-derived key bound to secrets of one browser or passkey.
//! - [`hash_password`] / [`verify_password`]: server-side password hashes.
//! - [`random_token`] / [`token_hash`]: bearer tokens.
//!
//! Everything compiles for native targets and `wasm32-unknown-unknown`, and no
//! function panics on bad input: every failure is a [`CryptoError`].

mod aad;
mod bind;
mod error;
mod kdf;
mod keys;
mod password;
mod random;
mod seal;
mod serde_b64;
mod token;
mod workspace;
mod wrap;

pub use aad::Aad;
pub use bind::{BOUND_KEK_INFO, Factor, bind_kek};
pub use error::{CryptoError, Result};
pub use kdf::{KdfParams, SALT_LEN, derive_key};
pub use keys::{KEY_LEN, SecretKey};
pub use password::{dummy_password_hash, hash_password, verify_password};
pub use random::random_bytes;
pub use seal::{
    FORMAT_VERSION, MAGIC, MIN_SEALED_LEN, NONCE_LEN, TAG_LEN, open, seal, seal_with_nonce,
};
pub use token::{TOKEN_BYTES, random_token, token_hash};
pub use workspace::PasswordWorkspace;
pub use wrap::{WRAPPED_KEY_KIND, WRAPPED_KEY_VERSION, WrappedKey};

/// Re-exported so callers can name the plaintext type [`open`] returns
/// without depending on `zeroize` themselves.
pub use zeroize::Zeroizing;
