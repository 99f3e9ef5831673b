//! Sealed blobs: XChaCha20-Poly1305 with a small self-describing header.

use chacha20poly1305::aead::AeadInOut;
use chacha20poly1305::{Key, KeyInit, Tag, XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

use crate::aad::Aad;
use crate::error::{CryptoError, Result};
use crate::keys::SecretKey;
use crate::random::random_bytes;

/// First two bytes of every sealed blob.
pub const MAGIC: [u8; 2] = *b"KS";
/// The sealed-blob format version this build writes and reads.
pub const FORMAT_VERSION: u8 = 1;
/// Length of the random XChaCha20 nonce.
pub const NONCE_LEN: usize = 24;
/// Length of the Poly1305 tag at the end of a blob.
pub const TAG_LEN: usize = 16;

const HEADER_LEN: usize = MAGIC.len() + 1;
/// Smallest possible blob: header, nonce and the tag of an empty plaintext.
pub const MIN_SEALED_LEN: usize = HEADER_LEN + NONCE_LEN + TAG_LEN;

/// Encrypt and authenticate `plaintext` under `key`, bound to `aad`.
///
/// Layout: `b"KS" | version (1 byte) | nonce (24 bytes) | ciphertext | tag (16 bytes)`.
/// The nonce is random; XChaCha20's 192-bit nonce makes random nonces safe
/// for any realistic number of messages under one key.
///
/// # Errors
/// [`CryptoError::Random`] if no nonce could be generated.
pub fn seal(key: &SecretKey, aad: &Aad<'_>, plaintext: &[u8]) -> Result<Vec<u8>> {
    let mut nonce = [0u8; NONCE_LEN];
    random_bytes(&mut nonce)?;
    seal_with_nonce(key, aad, nonce, plaintext)
}

/// [`seal`] with a caller-chosen nonce. Reusing a nonce under the same key
/// destroys confidentiality, so this exists only for golden test vectors.
///
/// # Errors
/// [`CryptoError::Malformed`] if the plaintext is too long for the cipher.
#[doc(hidden)]
pub fn seal_with_nonce(
    key: &SecretKey,
    aad: &Aad<'_>,
    nonce: [u8; NONCE_LEN],
    plaintext: &[u8],
) -> Result<Vec<u8>> {
    let header = header(FORMAT_VERSION);
    let associated = associated_data(&header, aad);
    let cipher = cipher(key);

    // Encrypt in place inside the output buffer, sized up front so the
    // plaintext is never left behind in a reallocated copy.
    let mut out = Vec::with_capacity(MIN_SEALED_LEN + plaintext.len());
    out.extend_from_slice(&header);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(plaintext);
    let body = out
        .get_mut(HEADER_LEN + NONCE_LEN..)
        .ok_or(CryptoError::Malformed("sealed blob layout"))?;
    let tag = cipher
        .encrypt_inout_detached(&XNonce::from(nonce), &associated, body.into())
        .map_err(|_| CryptoError::Malformed("plaintext too long to seal"))?;
    out.extend_from_slice(&tag);
    Ok(out)
}

/// Check and decrypt a blob made by [`seal`] with the same key and `aad`.
///
/// Never panics on any input. The plaintext is zeroized when dropped.
///
/// # Errors
/// - [`CryptoError::Malformed`]: too short or not a sealed blob.
/// - [`CryptoError::UnsupportedVersion`]: unknown format version byte.
/// - [`CryptoError::Decrypt`]: wrong key, different `aad`, or tampered data.
pub fn open(key: &SecretKey, aad: &Aad<'_>, blob: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    // Every split is checked, so no input length can make `open` panic.
    let too_short = CryptoError::Malformed("sealed blob too short");
    let (header, rest) = blob.split_at_checked(HEADER_LEN).ok_or(too_short.clone())?;
    let (magic, version) = header
        .split_at_checked(MAGIC.len())
        .ok_or(too_short.clone())?;
    if magic != MAGIC {
        return Err(CryptoError::Malformed("not a sealed blob"));
    }
    match version {
        [FORMAT_VERSION] => {}
        [other] => return Err(CryptoError::UnsupportedVersion(*other)),
        _ => return Err(CryptoError::Malformed("sealed blob header")),
    }
    let (nonce, rest) = rest.split_at_checked(NONCE_LEN).ok_or(too_short.clone())?;
    let ciphertext_len = rest.len().checked_sub(TAG_LEN).ok_or(too_short.clone())?;
    let (ciphertext, tag) = rest.split_at_checked(ciphertext_len).ok_or(too_short)?;

    let nonce = XNonce::try_from(nonce).map_err(|_| CryptoError::Malformed("sealed blob nonce"))?;
    let tag = Tag::try_from(tag).map_err(|_| CryptoError::Malformed("sealed blob tag"))?;
    let associated = associated_data(header, aad);

    let mut plaintext = Zeroizing::new(ciphertext.to_vec());
    cipher(key)
        .decrypt_inout_detached(&nonce, &associated, plaintext.as_mut_slice().into(), &tag)
        .map_err(|_| CryptoError::Decrypt)?;
    Ok(plaintext)
}

fn header(version: u8) -> [u8; HEADER_LEN] {
    let [m0, m1] = MAGIC;
    [m0, m1, version]
}

/// The header is authenticated too, so the version byte cannot be swapped to
/// steer a future reader into a different format. The header has a fixed
/// length, so plain concatenation stays unambiguous.
fn associated_data(header: &[u8], aad: &Aad<'_>) -> Vec<u8> {
    let mut out = header.to_vec();
    out.extend_from_slice(&aad.to_bytes());
    out
}

fn cipher(key: &SecretKey) -> XChaCha20Poly1305 {
    // The cipher keeps its own copy of the key and zeroizes it on drop
    // (chacha20poly1305's `zeroize` feature).
    XChaCha20Poly1305::new(Key::cast_from_core(key.expose_bytes()))
}
