//! The crate's single error type.

/// Everything that can go wrong in `kluis-crypto`.
///
/// Display messages are written to be safe in user-facing text and logs: they
/// never contain key bytes, plaintext, passwords or the rejected input itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    /// Input does not have the expected shape (too short, bad magic, bad
    /// base64, wrong length). The text names what was malformed, not its value.
    #[error("malformed input: {0}")]
    Malformed(&'static str),

    /// A format or parameter version this build does not know.
    #[error("unsupported format version {0}")]
    UnsupportedVersion(u8),

    /// Authenticated decryption failed: wrong key (or PIN), wrong associated
    /// data, or the data was tampered with. Deliberately does not say which.
    #[error("decryption failed: wrong key, wrong context or damaged data")]
    Decrypt,

    /// Key-derivation parameters below the accepted minimum.
    #[error("key derivation parameters too weak: {0}")]
    WeakKdfParams(String),

    /// Key-derivation parameters above the accepted maximum, which would let a
    /// stored record make a device spend unbounded memory or time.
    #[error("key derivation parameters out of range: {0}")]
    KdfParamsOutOfRange(String),

    /// The memory Argon2id needs could not be had.
    #[error("not enough memory for the key derivation")]
    OutOfMemory,

    /// The key-derivation function itself failed.
    #[error("key derivation failed: {0}")]
    Kdf(String),

    /// A password hash could not be created, or a stored one is malformed.
    #[error("password hash error: {0}")]
    PasswordHash(String),

    /// The operating system's random number generator failed.
    #[error("random number generator failed: {0}")]
    Random(String),
}

/// Result alias used throughout the crate.
pub type Result<T> = std::result::Result<T, CryptoError>;
