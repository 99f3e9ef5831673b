//! Binding the vault to this phone: which factors a new enrolment gets, and their secrets at
//! unlock, from the platform's device key and passkey (`platform::device_key`). The vault
//! core (`vault::binding`) turns them into the key; this is only the asking.

use super::vault::{Binding, DeviceSecrets, PasskeyBinding, binding};
use crate::platform::{self, DeviceKeyError};
use kluis_crypto::Zeroizing;

/// Why the factors' secrets could not be had.
#[derive(Debug, PartialEq, Eq)]
pub enum SecretsFailure {
    /// The person closed the passkey prompt: nothing counted, they can try again.
    Cancelled,
    /// The browser's device key or passkey failed for another reason.
    Failed(String),
}

/// The factors for a new enrolment: always this browser's device key where WebCrypto
/// exists, and a passkey with PRF where the phone has a platform authenticator (it asks for
/// the fingerprint or screen lock once now). A browser that offers neither (an insecure
/// origin) gets a vault bound to the PIN only, as before binding existed.
pub async fn new_binding(name: &str, with_passkey: bool) -> (Binding, DeviceSecrets) {
    let mut binding = Binding::default();
    let mut secrets = DeviceSecrets::default();
    if let Ok(challenge) = binding::random_input() {
        match hex::decode(&challenge) {
            Ok(bytes) => match platform::device_key_new(&bytes).await {
                Ok(secret) => {
                    binding.browser_challenge = Some(challenge);
                    secrets.browser = Some(Zeroizing::new(secret));
                }
                Err(error) => log(&format!("no device key: {error}")),
            },
            Err(_) => log("no device key: bad challenge"),
        }
    }
    if with_passkey
        && platform::passkey_available().await
        && let Ok(salt) = binding::random_input()
        && let Ok(salt_bytes) = hex::decode(&salt)
    {
        match platform::passkey_create(name, name, &salt_bytes).await {
            Ok(Some((id, secret))) => {
                binding.passkey = Some(PasskeyBinding {
                    credential_id: hex::encode(id),
                    salt,
                });
                secrets.passkey = Some(Zeroizing::new(secret));
            }
            Ok(None) => log("the passkey has no PRF: the device key alone binds the vault"),
            Err(error) => log(&format!("no passkey: {error}")),
        }
    }
    (binding, secrets)
}

/// The secrets of `binding`'s factors. A factor this browser cannot answer at all (no device
/// key: the records were copied here) is left out, and the vault says
/// [`VaultError::OtherDevice`].
///
/// # Errors
/// The passkey prompt was closed, or a factor failed.
pub async fn secrets_for(binding: &Binding) -> Result<DeviceSecrets, SecretsFailure> {
    let mut secrets = DeviceSecrets::default();
    if let Some(challenge) = &binding.browser_challenge {
        let bytes = binding::input_bytes(challenge, Some(32))
            .map_err(|e| SecretsFailure::Failed(e.to_string()))?;
        secrets.browser = platform::device_key_sign(&bytes)
            .await
            .map_err(failure)?
            .map(Zeroizing::new);
    }
    if let Some(passkey) = &binding.passkey {
        let id = binding::input_bytes(&passkey.credential_id, None)
            .map_err(|e| SecretsFailure::Failed(e.to_string()))?;
        let salt = binding::input_bytes(&passkey.salt, Some(32))
            .map_err(|e| SecretsFailure::Failed(e.to_string()))?;
        secrets.passkey = Some(Zeroizing::new(
            platform::passkey_evaluate(&id, &salt)
                .await
                .map_err(failure)?,
        ));
    }
    Ok(secrets)
}

/// True when `binding` needs a factor that `secrets` lacks: these records are not this
/// browser's, and no PIN will open them.
pub fn foreign(binding: &Binding, secrets: &DeviceSecrets) -> bool {
    (binding.browser_challenge.is_some() && secrets.browser.is_none())
        || (binding.passkey.is_some() && secrets.passkey.is_none())
}

/// The device key goes with the vault (sign-out, wipe).
pub async fn forget() {
    platform::device_key_forget().await;
}

fn failure(error: DeviceKeyError) -> SecretsFailure {
    match error {
        DeviceKeyError::Cancelled => SecretsFailure::Cancelled,
        DeviceKeyError::Failed(reason) => SecretsFailure::Failed(reason),
    }
}

fn log(message: &str) {
    platform::warn(message);
}
