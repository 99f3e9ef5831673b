//! Argon2id key derivation from PINs and passwords.

use argon2::{Algorithm, Argon2, Block, Params, Version};
use serde::{Deserialize, Serialize};
use zeroize::Zeroize;

use crate::error::{CryptoError, Result};
use crate::keys::{KEY_LEN, SecretKey};
use crate::random::random_bytes;

/// Length of the random salt stored in [`KdfParams`].
pub const SALT_LEN: usize = 16;

/// Argon2id parameters, stored next to whatever they protect so the same key
/// can be derived again later (and costs can be raised for new records
/// without breaking old ones). Not secret.
///
/// Serialized with the salt as a standard padded base64 string, e.g.
/// `{"version":1,"m_cost_kib":19456,"t_cost":2,"p_cost":1,"salt":"AAEC…=="}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    /// Parameter-set version; only [`KdfParams::CURRENT_VERSION`] is known.
    pub version: u8,
    /// Memory cost in KiB.
    pub m_cost_kib: u32,
    /// Number of passes.
    pub t_cost: u32,
    /// Degree of parallelism (lanes).
    pub p_cost: u32,
    /// Random per-record salt.
    #[serde(with = "crate::serde_b64::array")]
    pub salt: [u8; SALT_LEN],
}

impl KdfParams {
    /// The only parameter-set version: Argon2id, Argon2 v0x13, 32-byte output.
    pub const CURRENT_VERSION: u8 = 1;
    /// OWASP's minimum for Argon2id: 19 MiB.
    pub const MIN_M_COST_KIB: u32 = 19 * 1024;
    /// OWASP's minimum number of passes at 19 MiB.
    pub const MIN_T_COST: u32 = 2;
    /// Minimum parallelism.
    pub const MIN_P_COST: u32 = 1;
    /// Above this (1 GiB) a stored record could exhaust a phone's memory.
    pub const MAX_M_COST_KIB: u32 = 1024 * 1024;
    /// Above this a stored record could stall a device for minutes.
    pub const MAX_T_COST: u32 = 20;
    /// Above this the parameters are not ones Kluis ever writes.
    pub const MAX_P_COST: u32 = 16;

    /// OWASP-recommended costs (19 MiB, t=2, p=1) with a fresh random salt.
    ///
    /// # Errors
    /// [`CryptoError::Random`] if no salt could be generated.
    pub fn recommended() -> Result<KdfParams> {
        Self::with_fresh_salt(Self::MIN_M_COST_KIB, Self::MIN_T_COST, Self::MIN_P_COST)
    }

    /// Same costs as `self`, current version, new random salt. Used when a
    /// secret changes, so the new derived key shares nothing with the old one.
    ///
    /// # Errors
    /// [`CryptoError::Random`] if no salt could be generated.
    pub fn with_new_salt(&self) -> Result<KdfParams> {
        Self::with_fresh_salt(self.m_cost_kib, self.t_cost, self.p_cost)
    }

    fn with_fresh_salt(m_cost_kib: u32, t_cost: u32, p_cost: u32) -> Result<KdfParams> {
        let mut salt = [0u8; SALT_LEN];
        random_bytes(&mut salt)?;
        Ok(KdfParams {
            version: Self::CURRENT_VERSION,
            m_cost_kib,
            t_cost,
            p_cost,
            salt,
        })
    }

    /// Reject unknown versions, costs below the minimums and absurd costs.
    ///
    /// Parameters usually come from storage or the network, so they are
    /// checked before every derivation: too low would let a tampered record
    /// downgrade the protection of a PIN, too high would let it exhaust the
    /// device.
    ///
    /// # Errors
    /// - [`CryptoError::UnsupportedVersion`] for an unknown `version`.
    /// - [`CryptoError::WeakKdfParams`] for a cost below its minimum.
    /// - [`CryptoError::KdfParamsOutOfRange`] for a cost above its maximum.
    pub fn validate(&self) -> Result<()> {
        if self.version != Self::CURRENT_VERSION {
            return Err(CryptoError::UnsupportedVersion(self.version));
        }
        check_cost(
            "m_cost_kib",
            self.m_cost_kib,
            Self::MIN_M_COST_KIB,
            Self::MAX_M_COST_KIB,
        )?;
        check_cost("t_cost", self.t_cost, Self::MIN_T_COST, Self::MAX_T_COST)?;
        check_cost("p_cost", self.p_cost, Self::MIN_P_COST, Self::MAX_P_COST)?;
        Ok(())
    }
}

fn check_cost(name: &str, value: u32, min: u32, max: u32) -> Result<()> {
    if value < min {
        return Err(CryptoError::WeakKdfParams(format!(
            "{name} is {value}, minimum is {min}"
        )));
    }
    if value > max {
        return Err(CryptoError::KdfParamsOutOfRange(format!(
            "{name} is {value}, maximum is {max}"
        )));
    }
    Ok(())
}

/// Argon2id(`secret`, `params.salt`) → 32-byte key. Validates `params` first.
///
/// Slow on purpose (tens of milliseconds natively, more in a browser): call it
/// once per unlock, off the UI thread where possible.
///
/// The one Argon2id of Kluis for PINs (the app's main thread and its PIN worker both
/// call it): the Argon2 memory is allocated here and zeroized afterwards, because argon2
/// 0.6 frees its own blocks without wiping them, and a browser's wasm memory (a worker's
/// especially) lives on, so a PIN-derived state would otherwise stay readable in it.
///
/// # Errors
/// Whatever [`KdfParams::validate`] returns, [`CryptoError::OutOfMemory`] when the memory
/// cannot be had (an old phone), or [`CryptoError::Kdf`] if Argon2 itself fails.
pub fn derive_key(secret: &[u8], params: &KdfParams) -> Result<SecretKey> {
    params.validate()?;
    let argon2 = argon2_for(params.m_cost_kib, params.t_cost, params.p_cost)?;
    // try_reserve: a phone that refuses 19 MiB gets an error, not an aborted module.
    let count = argon2.params().block_count();
    let mut blocks: Vec<Block> = Vec::new();
    blocks
        .try_reserve_exact(count)
        .map_err(|_| CryptoError::OutOfMemory)?;
    blocks.resize(count, Block::new());
    let mut key = SecretKey::zeroed();
    let result =
        argon2.hash_password_into_with_memory(secret, &params.salt, key.bytes_mut(), &mut blocks);
    blocks.zeroize();
    result.map_err(|e| CryptoError::Kdf(e.to_string()))?;
    Ok(key)
}

/// Argon2id v0x13 with a 32-byte output: the one configuration Kluis uses for
/// both key derivation and password hashes.
pub(crate) fn argon2_for(m_cost_kib: u32, t_cost: u32, p_cost: u32) -> Result<Argon2<'static>> {
    let params = Params::new(m_cost_kib, t_cost, p_cost, Some(KEY_LEN))
        .map_err(|e| CryptoError::Kdf(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}
