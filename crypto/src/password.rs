//! Server-side password hashes (Argon2id PHC strings).

use std::sync::OnceLock;

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{Error as HashError, PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Params};
use zeroize::Zeroizing;

use crate::error::{CryptoError, Result};
use crate::kdf::{KdfParams, SALT_LEN, argon2_for};
use crate::keys::KEY_LEN;
use crate::random::random_bytes;

/// Used only if hashing fails when the dummy hash is first needed: a valid
/// PHC string with the recommended costs, for a random password nobody knows.
const FALLBACK_DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$AN1CBcl8Gns5ALxT+DoZLQ$pny2vIGW+DBvo9Qql2li01X6MNEp/KYKpCpI9Kjyt6w";

/// Hash `password` as an Argon2id PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`)
/// with [`KdfParams::recommended`] costs and a random salt.
///
/// # Errors
/// [`CryptoError::Random`] if no salt could be generated,
/// [`CryptoError::PasswordHash`] if Argon2 fails.
pub fn hash_password(password: &str) -> Result<String> {
    let params = KdfParams::recommended()?;
    let argon2 = argon2_for(params.m_cost_kib, params.t_cost, params.p_cost)?;
    let hash = argon2
        .hash_password_with_salt(password.as_bytes(), &params.salt)
        .map_err(|e| CryptoError::PasswordHash(e.to_string()))?;
    Ok(hash.to_string())
}

/// Check `password` against a stored PHC string from [`hash_password`].
///
/// Returns `Ok(false)` for a wrong password. The comparison of hash outputs is
/// constant-time (done by `argon2`).
///
/// # Errors
/// [`CryptoError::PasswordHash`] if `phc` is malformed, not Argon2id, or has
/// costs outside what [`KdfParams::validate`] allows (a tampered row must not
/// be able to make one login cost gigabytes).
pub fn verify_password(phc: &str, password: &str) -> Result<bool> {
    let hash = PasswordHash::new(phc)
        .map_err(|_| CryptoError::PasswordHash("malformed password hash".to_owned()))?;
    if hash.algorithm != Algorithm::Argon2id.ident() {
        return Err(CryptoError::PasswordHash(
            "password hash is not argon2id".to_owned(),
        ));
    }
    // A PHC string without salt, or with an output shorter than the 32 bytes
    // Kluis writes, is a damaged row; argon2 would report it as a wrong
    // password and hide the damage.
    if hash.salt.is_none() || hash.hash.as_ref().map(|h| h.len()) != Some(KEY_LEN) {
        return Err(CryptoError::PasswordHash(
            "password hash has no salt or a missing or truncated output".to_owned(),
        ));
    }
    let params = Params::try_from(&hash)
        .map_err(|_| CryptoError::PasswordHash("malformed password hash parameters".to_owned()))?;
    check_stored_costs(&params)?;
    let argon2 = argon2_for(params.m_cost(), params.t_cost(), params.p_cost())?;
    match argon2.verify_password(password.as_bytes(), &hash) {
        Ok(()) => Ok(true),
        Err(HashError::PasswordInvalid) => Ok(false),
        Err(e) => Err(CryptoError::PasswordHash(e.to_string())),
    }
}

/// The PHC string of an Argon2id output made with `params` (what [`hash_password`] returns).
pub(crate) fn phc_string(params: &KdfParams, out: &[u8]) -> Result<String> {
    use argon2::password_hash::phc::{Output, ParamsString, Salt};
    let bad = |e: &dyn std::fmt::Display| CryptoError::PasswordHash(e.to_string());
    let argon2 = argon2_for(params.m_cost_kib, params.t_cost, params.p_cost)?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(argon2::Version::V0x13.into()),
        params: ParamsString::try_from(argon2.params()).map_err(|e| bad(&e))?,
        salt: Some(Salt::new(&params.salt).map_err(|e| bad(&e))?),
        hash: Some(Output::new(out).map_err(|e| bad(&e))?),
    };
    Ok(hash.to_string())
}

pub(crate) fn check_stored_costs(params: &Params) -> Result<()> {
    let as_kdf = KdfParams {
        version: KdfParams::CURRENT_VERSION,
        m_cost_kib: params.m_cost(),
        t_cost: params.t_cost(),
        p_cost: params.p_cost(),
        salt: [0u8; SALT_LEN],
    };
    as_kdf
        .validate()
        .map_err(|e| CryptoError::PasswordHash(e.to_string()))
}

/// A PHC string for a random, unknown password, with the same costs as real
/// hashes. Verify against it when a login names an unknown user, so that
/// case takes the same time and gives the same answer (`Ok(false)`) as a
/// wrong password, and usernames cannot be probed.
///
/// Computed once per process.
#[must_use]
pub fn dummy_password_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY
        .get_or_init(|| fresh_dummy_hash().unwrap_or_else(|_| FALLBACK_DUMMY_HASH.to_owned()))
        .as_str()
}

fn fresh_dummy_hash() -> Result<String> {
    let mut bytes = Zeroizing::new([0u8; 32]);
    random_bytes(bytes.as_mut_slice())?;
    let password = Zeroizing::new(crate::token::encode_token(bytes.as_slice()));
    hash_password(&password)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn fallback_dummy_hash_is_valid_and_matches_nothing() {
        assert!(FALLBACK_DUMMY_HASH.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(!verify_password(FALLBACK_DUMMY_HASH, "").unwrap());
        assert!(!verify_password(FALLBACK_DUMMY_HASH, "123456").unwrap());
    }
}
