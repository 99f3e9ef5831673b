//! What besides the PIN opens the vault: secrets only this browser profile (a
//! non-extractable WebCrypto key) and, where the phone offers one, this passkey (WebAuthn
//! PRF) can produce. The key record says which factors a vault needs and holds their public
//! inputs (a challenge, a credential id, a PRF salt); the secrets themselves never touch
//! storage. A copy of the records therefore does not open in another browser, whatever PIN is
//! tried: the 5-wrong-PIN wipe is no longer the only brake on a copied store.

use kluis_crypto::{Factor, KdfParams, SecretKey, Zeroizing, bind_kek};
use serde::{Deserialize, Serialize};

use super::VaultError;

/// Factor names, mixed into the key (see `kluis_crypto::bind_kek`): part of the stored format.
const BROWSER_FACTOR: &str = "browser-key";
const PASSKEY_FACTOR: &str = "passkey-prf";

/// A passkey whose PRF output is a factor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeyBinding {
    /// The credential to ask for (WebAuthn `allowCredentials`), hex.
    pub credential_id: String,
    /// The PRF input (`eval.first`), hex of 32 bytes.
    pub salt: String,
}

/// The factors a vault needs, with their public inputs. Empty for a vault written before
/// binding existed, or in a browser without WebCrypto (an insecure origin).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Binding {
    /// HMAC-SHA256 of this challenge (hex of 32 bytes) under the browser's device key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser_challenge: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passkey: Option<PasskeyBinding>,
}

impl Binding {
    pub fn is_empty(&self) -> bool {
        self.browser_challenge.is_none() && self.passkey.is_none()
    }

    pub fn has_passkey(&self) -> bool {
        self.passkey.is_some()
    }
}

/// The secrets the platform produced for a [`Binding`]. Zeroized on drop.
#[derive(Default)]
pub struct DeviceSecrets {
    pub browser: Option<Zeroizing<Vec<u8>>>,
    pub passkey: Option<Zeroizing<Vec<u8>>>,
}

impl std::fmt::Debug for DeviceSecrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceSecrets")
            .field("browser", &self.browser.as_ref().map(|_| "***"))
            .field("passkey", &self.passkey.as_ref().map(|_| "***"))
            .finish()
    }
}

/// 32 random bytes as hex: a challenge or a PRF salt.
///
/// # Errors
/// No randomness.
pub fn random_input() -> Result<String, VaultError> {
    let mut bytes = [0u8; 32];
    kluis_crypto::random_bytes(&mut bytes).map_err(VaultError::Crypto)?;
    Ok(hex::encode(bytes))
}

/// Hex of a stored input, checked to be 32 bytes (for a challenge or a salt) or at most 1023
/// (a credential id).
///
/// # Errors
/// [`VaultError::Damaged`] for anything else.
pub fn input_bytes(hex_text: &str, exact: Option<usize>) -> Result<Vec<u8>, VaultError> {
    let bytes = hex::decode(hex_text).map_err(|_| VaultError::Damaged("key record"))?;
    let fits = match exact {
        Some(n) => bytes.len() == n,
        None => !bytes.is_empty() && bytes.len() < 1024,
    };
    if !fits {
        return Err(VaultError::Damaged("key record"));
    }
    Ok(bytes)
}

/// The key that wraps the data key: Argon2id(PIN) bound to every factor `binding` names.
/// Without factors (an old vault) it is the PIN's key itself.
///
/// # Errors
/// [`VaultError::OtherDevice`] when a factor the vault needs has no secret here (the records
/// were copied out of the browser that wrote them, or its device key is gone).
pub fn bound_kek(
    pin_kek: &SecretKey,
    params: &KdfParams,
    binding: &Binding,
    secrets: &DeviceSecrets,
) -> Result<SecretKey, VaultError> {
    let mut factors = Vec::new();
    if binding.browser_challenge.is_some() {
        let secret = secrets.browser.as_ref().ok_or(VaultError::OtherDevice)?;
        factors.push(Factor {
            name: BROWSER_FACTOR,
            secret: secret.as_slice(),
        });
    }
    if binding.passkey.is_some() {
        let secret = secrets.passkey.as_ref().ok_or(VaultError::OtherDevice)?;
        factors.push(Factor {
            name: PASSKEY_FACTOR,
            secret: secret.as_slice(),
        });
    }
    if factors.is_empty() {
        return Ok(SecretKey::from_bytes(*pin_kek.expose_bytes()));
    }
    bind_kek(pin_kek, &params.salt, &factors).map_err(VaultError::Crypto)
}
