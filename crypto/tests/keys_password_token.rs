//! Secret keys, server password hashes and bearer tokens.
#![allow(clippy::unwrap_used)]

use kluis_crypto::{
    CryptoError, SecretKey, dummy_password_hash, hash_password, random_bytes, random_token,
    token_hash, verify_password,
};

const PHC_PREFIX: &str = "$argon2id$v=19$m=19456,t=2,p=1$";

#[test]
fn secret_key_debug_hides_the_bytes() {
    let key = SecretKey::from_bytes([0xab; 32]);
    let debug = format!("{key:?}");
    assert_eq!(debug, "SecretKey(***)");
    assert!(!debug.contains("171"));
    assert!(!debug.to_lowercase().contains("ab"));
    assert_eq!(format!("{key:#?}"), "SecretKey(***)");
}

#[test]
fn generated_keys_differ() {
    let a = SecretKey::generate().unwrap();
    let b = SecretKey::generate().unwrap();
    assert_ne!(a.expose_bytes(), b.expose_bytes());
}

#[test]
fn secret_key_base64_round_trips_and_trims() {
    let key = SecretKey::from_bytes(core::array::from_fn(|i| i as u8 * 7));
    let text = key.to_base64();
    assert_eq!(text.len(), 44);
    assert!(text.ends_with('='));
    let back = SecretKey::from_base64(&format!("  {}\n", text.as_str())).unwrap();
    assert_eq!(back.expose_bytes(), key.expose_bytes());
}

#[test]
fn secret_key_from_base64_rejects_wrong_lengths_and_garbage() {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    for len in [0usize, 1, 16, 31, 33, 48, 64, 100] {
        let text = STANDARD.encode(vec![7u8; len]);
        assert!(
            matches!(
                SecretKey::from_base64(&text),
                Err(CryptoError::Malformed(_))
            ),
            "{len} bytes should be rejected"
        );
    }
    for bad in ["", "   ", "not base64 at all!", "AAAA AAAA"] {
        assert!(matches!(
            SecretKey::from_base64(bad),
            Err(CryptoError::Malformed(_))
        ));
    }
}

#[test]
fn password_hash_verifies_right_and_wrong_passwords() {
    let phc = hash_password("correct horse").unwrap();
    assert!(phc.starts_with(PHC_PREFIX), "{phc}");
    assert!(verify_password(&phc, "correct horse").unwrap());
    assert!(!verify_password(&phc, "correct horse ").unwrap());
    assert!(!verify_password(&phc, "").unwrap());
    assert_ne!(
        hash_password("correct horse").unwrap(),
        phc,
        "salts must be random"
    );
}

#[test]
fn verify_password_rejects_malformed_hashes() {
    let valid = hash_password("pw").unwrap();
    let no_output = valid.rsplit_once('$').unwrap().0.to_owned();
    let no_salt = no_output.rsplit_once('$').unwrap().0.to_owned();
    for bad in [
        "",
        "pw",
        "$",
        "$argon2id",
        "$argon2id$v=19$m=19456",
        &no_output,
        &no_salt,
        &valid[..valid.len() - 10],
        // Still valid base64 (24 bytes): a truncated row, not a wrong password.
        &valid[..valid.len() - 11],
        "$argon2id$v=19$m=abc,t=2,p=1$ICEiIyQlJicoKSorLC0uLw$AKApGvd7aYyeV5xC7drfc+jZcGTWb/ScagzuVoagLcg",
        "$scrypt$ln=15,r=8,p=1$ICEiIyQlJicoKSorLC0uLw$AKApGvd7aYyeV5xC7drfc+jZcGTWb/ScagzuVoagLcg",
    ] {
        assert!(
            matches!(
                verify_password(bad, "pw"),
                Err(CryptoError::PasswordHash(_))
            ),
            "{bad:?} should be rejected as malformed"
        );
    }
}

#[test]
fn verify_password_rejects_other_variants_and_out_of_range_costs() {
    // Valid PHC strings from the reference implementation, but not what Kluis
    // accepts: argon2i, costs below the minimum, and 2 GiB of memory.
    for phc in [
        "$argon2i$v=19$m=19456,t=2,p=1$ICEiIyQlJicoKSorLC0uLw$CdzJY9j0+oUsBiTE0EQPsl+EzPbcpZLJaSpq1+NHJoM",
        "$argon2id$v=19$m=8,t=1,p=1$ICEiIyQlJicoKSorLC0uLw$6SXWMSHTkX1eMR3zZyo8MIfwNEN91MZuJt4kEXiLp+Q",
        "$argon2id$v=19$m=2097152,t=2,p=1$ICEiIyQlJicoKSorLC0uLw$AKApGvd7aYyeV5xC7drfc+jZcGTWb/ScagzuVoagLcg",
    ] {
        assert!(
            matches!(
                verify_password(phc, "pw"),
                Err(CryptoError::PasswordHash(_))
            ),
            "{phc:?} should be rejected"
        );
    }
}

#[test]
fn dummy_hash_is_stable_and_matches_nothing() {
    let dummy = dummy_password_hash();
    assert!(dummy.starts_with(PHC_PREFIX), "{dummy}");
    assert!(std::ptr::eq(dummy, dummy_password_hash()), "computed once");
    for guess in ["", "password", "123456", "correct horse", dummy] {
        assert!(!verify_password(dummy, guess).unwrap());
    }
}

#[test]
fn random_tokens_are_43_url_safe_chars_and_unique() {
    let a = random_token().unwrap();
    let b = random_token().unwrap();
    assert_eq!(a.len(), 43);
    assert_eq!(b.len(), 43);
    assert_ne!(a, b);
    assert!(
        a.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
        "{a}"
    );
}

#[test]
fn token_hash_is_64_lowercase_hex() {
    let hash = token_hash(&random_token().unwrap());
    assert_eq!(hash.len(), 64);
    assert!(hash.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f')));
    assert_ne!(token_hash("a"), token_hash("b"));
}

#[test]
fn random_bytes_fills_buffers() {
    random_bytes(&mut []).unwrap();
    let mut a = [0u8; 32];
    let mut b = [0u8; 32];
    random_bytes(&mut a).unwrap();
    random_bytes(&mut b).unwrap();
    assert_ne!(a, [0u8; 32]);
    assert_ne!(a, b);
}

#[test]
fn error_messages_do_not_echo_input() {
    let secret_text = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0";
    let err = SecretKey::from_base64(secret_text).unwrap_err();
    assert!(!err.to_string().contains(secret_text));
    let err = verify_password("$argon2id$secret-ish", "pw").unwrap_err();
    assert!(!err.to_string().contains("secret-ish"));
}
