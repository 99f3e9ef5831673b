//! Frozen byte-for-byte vectors. If one of these fails, a stored or synced
//! format has changed and existing data would no longer open: do not update
//! the expected values, add a new format version instead.
//!
//! The seal, KDF and wrapped-key vectors were cross-checked once against
//! independent implementations (libsodium's XChaCha20-Poly1305 and the
//! reference Argon2 C library).
#![allow(clippy::unwrap_used)]

use kluis_crypto::{
    Aad, CryptoError, Factor, KdfParams, SecretKey, WrappedKey, bind_kek, derive_key, open,
    seal_with_nonce, token_hash, verify_password,
};

fn golden_key() -> SecretKey {
    SecretKey::from_bytes(core::array::from_fn(|i| i as u8))
}

fn golden_aad() -> Aad<'static> {
    Aad {
        kind: "kluis/test",
        version: 7,
        owner: "user-42",
    }
}

fn golden_params() -> KdfParams {
    KdfParams {
        version: 1,
        m_cost_kib: 19 * 1024,
        t_cost: 2,
        p_cost: 1,
        salt: core::array::from_fn(|i| 0x10 + i as u8),
    }
}

const AAD_HEX: &str = "6b6c7569732d6161642d7631\
                       000000000000000a6b6c7569732f74657374\
                       0007\
                       0000000000000007757365722d3432";

const SEALED_HEX: &str = "4b5301\
                          a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7\
                          2e89733dc43cc2c9410c42ed141092f2089e\
                          d5c5aa47ea6833262b404e7df2d75b75";

const KDF_HEX: &str = "b393d9044acddf5f186bc6c038d0da3e1812d8bf894179118904f36a2d1ab30f";

const WRAPPED_JSON: &str = r#"{"params":{"version":1,"m_cost_kib":19456,"t_cost":2,"p_cost":1,"salt":"EBESExQVFhcYGRobHB0eHw=="},"blob":"S1MBK59qsB++hp4b3tFn1tCyhyVc9K+GPq0pPFefbYDKpht7B83UnCHrwHjJCZVSTYS41ah7WsrE9mfy6JJSIBd1DKR2voKsTFge"}"#;

#[test]
fn aad_encoding_is_frozen() {
    assert_eq!(hex::encode(golden_aad().to_bytes()), AAD_HEX);
}

#[test]
fn seal_with_nonce_is_frozen() {
    let nonce: [u8; 24] = core::array::from_fn(|i| 0xa0 + i as u8);
    let sealed =
        seal_with_nonce(&golden_key(), &golden_aad(), nonce, b"key safe code 1234").unwrap();
    assert_eq!(hex::encode(&sealed), SEALED_HEX);
}

#[test]
fn frozen_sealed_blob_still_opens() {
    let blob = hex::decode(SEALED_HEX).unwrap();
    let plaintext = open(&golden_key(), &golden_aad(), &blob).unwrap();
    assert_eq!(plaintext.as_slice(), b"key safe code 1234");
}

#[test]
fn derive_key_is_frozen() {
    let key = derive_key(b"123456", &golden_params()).unwrap();
    assert_eq!(hex::encode(key.expose_bytes()), KDF_HEX);
}

#[test]
fn frozen_wrapped_key_still_unwraps() {
    let wrapped: WrappedKey = serde_json::from_str(WRAPPED_JSON).unwrap();
    assert_eq!(wrapped.params, golden_params());
    let data_key = wrapped.unwrap(b"123456", "household-1").unwrap();
    let expected: [u8; 32] = core::array::from_fn(|i| 0xff - i as u8);
    assert_eq!(data_key.expose_bytes(), &expected);

    assert_eq!(
        wrapped.unwrap(b"654321", "household-1").unwrap_err(),
        CryptoError::Decrypt
    );
    assert_eq!(
        wrapped.unwrap(b"123456", "household-2").unwrap_err(),
        CryptoError::Decrypt
    );
}

#[test]
fn wrapped_key_serialization_is_frozen() {
    let wrapped: WrappedKey = serde_json::from_str(WRAPPED_JSON).unwrap();
    assert_eq!(serde_json::to_string(&wrapped).unwrap(), WRAPPED_JSON);
}

#[test]
fn token_hash_is_sha256_hex() {
    // FIPS 180-2 test vector for SHA-256("abc").
    assert_eq!(
        token_hash("abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    // SHA-256 of the empty string.
    assert_eq!(
        token_hash(""),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
}

#[test]
fn password_hash_from_reference_argon2_verifies() {
    // Made by the reference Argon2 C library (argon2-cffi), so server hashes
    // stay interchangeable with other Argon2id implementations.
    let phc = "$argon2id$v=19$m=19456,t=2,p=1$ICEiIyQlJicoKSorLC0uLw$\
               AKApGvd7aYyeV5xC7drfc+jZcGTWb/ScagzuVoagLcg";
    assert!(verify_password(phc, "correct horse battery staple").unwrap());
    assert!(!verify_password(phc, "correct horse battery stapler").unwrap());
}

/// HKDF-SHA256 over the golden key and two factors, cross-checked with Python's `hmac` and
/// `hashlib` (RFC 5869 written out by hand).
const BOUND_BROWSER_HEX: &str = "061ef5370d1956be558f8f350ea474011f90d209eef5cb7dc6bdf2fb160cd673";
const BOUND_BOTH_HEX: &str = "22dfbdd399dffd54bffa3b6bd2102ff22d82cffc45c347e0b095f345246f4a52";
const BOUND_NONE_HEX: &str = "d399c8b6404b9ea427a9bec064c6653219d32a8b8af374f388adad11e5d474b8";

#[test]
fn bound_kek_is_frozen() {
    let salt = golden_params().salt;
    let browser: [u8; 32] = core::array::from_fn(|i| 0xb0 + i as u8);
    let passkey: [u8; 32] = core::array::from_fn(|i| (0xd0 + i as u32) as u8);
    let b = Factor {
        name: "browser-key",
        secret: &browser,
    };
    let p = Factor {
        name: "passkey-prf",
        secret: &passkey,
    };
    let one = bind_kek(&golden_key(), &salt, &[b]).unwrap();
    assert_eq!(hex::encode(one.expose_bytes()), BOUND_BROWSER_HEX);
    let b = Factor {
        name: "browser-key",
        secret: &browser,
    };
    let both = bind_kek(&golden_key(), &salt, &[b, p]).unwrap();
    assert_eq!(hex::encode(both.expose_bytes()), BOUND_BOTH_HEX);
    let none = bind_kek(&golden_key(), &salt, &[]).unwrap();
    assert_eq!(hex::encode(none.expose_bytes()), BOUND_NONE_HEX);
    assert_ne!(none.expose_bytes(), golden_key().expose_bytes());
    let empty = Factor {
        name: "browser-key",
        secret: &[],
    };
    assert!(bind_kek(&golden_key(), &salt, &[empty]).is_err());
}
