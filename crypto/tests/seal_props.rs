//! Properties of sealed blobs: they round-trip, and any change to the blob,
//! the key or the associated data is rejected without panicking.
#![allow(clippy::unwrap_used)]

use kluis_crypto::{
    Aad, CryptoError, FORMAT_VERSION, MIN_SEALED_LEN, SecretKey, open, seal, seal_with_nonce,
};
use proptest::prelude::*;

fn key(byte: u8) -> SecretKey {
    SecretKey::from_bytes([byte; 32])
}

fn aad_parts() -> impl Strategy<Value = (String, u16, String)> {
    ("[a-z/]{0,16}", any::<u16>(), "\\PC{0,16}")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn open_never_panics_on_arbitrary_bytes(blob in proptest::collection::vec(any::<u8>(), 0..200)) {
        let aad = Aad { kind: "k", version: 1, owner: "o" };
        prop_assert!(open(&key(1), &aad, &blob).is_err());
    }

    #[test]
    fn open_rejects_arbitrary_bytes_behind_a_valid_header(
        body in proptest::collection::vec(any::<u8>(), 0..200),
    ) {
        let mut blob = vec![b'K', b'S', FORMAT_VERSION];
        blob.extend_from_slice(&body);
        let aad = Aad { kind: "k", version: 1, owner: "o" };
        prop_assert!(open(&key(1), &aad, &blob).is_err());
    }

    #[test]
    fn seal_open_round_trips(
        plaintext in proptest::collection::vec(any::<u8>(), 0..1024),
        (kind, version, owner) in aad_parts(),
        key_byte in any::<u8>(),
    ) {
        let aad = Aad { kind: &kind, version, owner: &owner };
        let blob = seal(&key(key_byte), &aad, &plaintext).unwrap();
        prop_assert_eq!(blob.len(), MIN_SEALED_LEN + plaintext.len());
        let opened = open(&key(key_byte), &aad, &blob).unwrap();
        prop_assert_eq!(opened.as_slice(), plaintext.as_slice());
    }

    #[test]
    fn every_truncation_and_extension_is_rejected(
        plaintext in proptest::collection::vec(any::<u8>(), 0..64),
        extra in proptest::collection::vec(any::<u8>(), 1..8),
    ) {
        let aad = Aad { kind: "k", version: 1, owner: "o" };
        let blob = seal(&key(7), &aad, &plaintext).unwrap();
        for len in 0..blob.len() {
            prop_assert!(open(&key(7), &aad, &blob[..len]).is_err(), "truncated to {}", len);
        }
        let mut longer = blob.clone();
        longer.extend_from_slice(&extra);
        prop_assert!(open(&key(7), &aad, &longer).is_err());
    }

    #[test]
    fn every_single_bit_flip_is_rejected(
        plaintext in proptest::collection::vec(any::<u8>(), 0..48),
    ) {
        let aad = Aad { kind: "k", version: 1, owner: "o" };
        let blob = seal(&key(7), &aad, &plaintext).unwrap();
        for bit in 0..blob.len() * 8 {
            let mut flipped = blob.clone();
            flipped[bit / 8] ^= 1 << (bit % 8);
            prop_assert!(open(&key(7), &aad, &flipped).is_err(), "bit {} flipped", bit);
        }
    }

    #[test]
    fn wrong_key_or_aad_is_rejected(
        plaintext in proptest::collection::vec(any::<u8>(), 0..256),
        (kind, version, owner) in aad_parts(),
        key_byte in any::<u8>(),
    ) {
        let aad = Aad { kind: &kind, version, owner: &owner };
        let blob = seal(&key(key_byte), &aad, &plaintext).unwrap();

        let wrong_key = key(key_byte.wrapping_add(1));
        prop_assert_eq!(open(&wrong_key, &aad, &blob).unwrap_err(), CryptoError::Decrypt);

        let other_kind = format!("{kind}x");
        let wrong_kind = Aad { kind: &other_kind, ..aad };
        prop_assert_eq!(open(&key(key_byte), &wrong_kind, &blob).unwrap_err(), CryptoError::Decrypt);

        let wrong_version = Aad { version: version.wrapping_add(1), ..aad };
        prop_assert_eq!(open(&key(key_byte), &wrong_version, &blob).unwrap_err(), CryptoError::Decrypt);

        let other_owner = format!("{owner}x");
        let wrong_owner = Aad { owner: &other_owner, ..aad };
        prop_assert_eq!(open(&key(key_byte), &wrong_owner, &blob).unwrap_err(), CryptoError::Decrypt);
    }

    #[test]
    fn changed_version_byte_is_rejected(
        plaintext in proptest::collection::vec(any::<u8>(), 0..64),
        version_byte in any::<u8>().prop_filter("must differ", |v| *v != FORMAT_VERSION),
    ) {
        let aad = Aad { kind: "k", version: 1, owner: "o" };
        let mut blob = seal(&key(3), &aad, &plaintext).unwrap();
        blob[2] = version_byte;
        prop_assert_eq!(
            open(&key(3), &aad, &blob).unwrap_err(),
            CryptoError::UnsupportedVersion(version_byte)
        );
    }
}

#[test]
fn aad_fields_are_length_prefixed() {
    let ab_c = Aad {
        kind: "ab",
        version: 1,
        owner: "c",
    };
    let a_bc = Aad {
        kind: "a",
        version: 1,
        owner: "bc",
    };
    assert_ne!(ab_c.to_bytes(), a_bc.to_bytes());

    let blob = seal(&key(9), &ab_c, b"secret").unwrap();
    assert_eq!(
        open(&key(9), &a_bc, &blob).unwrap_err(),
        CryptoError::Decrypt
    );
}

#[test]
fn empty_and_garbage_blobs_are_malformed() {
    let aad = Aad {
        kind: "k",
        version: 1,
        owner: "o",
    };
    assert!(matches!(
        open(&key(1), &aad, &[]),
        Err(CryptoError::Malformed(_))
    ));
    let mut not_ours = vec![0u8; MIN_SEALED_LEN + 10];
    not_ours[..3].copy_from_slice(b"XS\x01");
    assert!(matches!(
        open(&key(1), &aad, &not_ours),
        Err(CryptoError::Malformed(_))
    ));
}

#[test]
fn random_nonces_make_every_seal_different() {
    let aad = Aad {
        kind: "k",
        version: 1,
        owner: "o",
    };
    let a = seal(&key(1), &aad, b"same").unwrap();
    let b = seal(&key(1), &aad, b"same").unwrap();
    assert_ne!(a, b);
}

#[test]
fn same_nonce_is_deterministic() {
    let aad = Aad {
        kind: "k",
        version: 1,
        owner: "o",
    };
    let a = seal_with_nonce(&key(1), &aad, [5; 24], b"same").unwrap();
    let b = seal_with_nonce(&key(1), &aad, [5; 24], b"same").unwrap();
    assert_eq!(a, b);
}
