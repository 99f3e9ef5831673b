//! Argon2id for the carer's PIN inside a Web Worker, so the screen keeps responding while
//! the key is derived (19 MiB, t=2 takes 30-50 ms on a laptop and far longer on an old phone).
//!
//! `cargo xtask web` builds this crate for wasm32 into `kluis-kdf-<hash>_bg.wasm` plus its
//! wasm-bindgen glue; `app/web/kdf-worker.js` runs it, and `kluis_app::platform::kdf` talks
//! to that worker. It is a crate of its own so the worker loads a small wasm instead of the
//! whole app.
//!
//! It runs `kluis_crypto::derive_key`, the same Argon2id the app's main thread falls back to,
//! which wipes its Argon2 memory (the tests hold the key to crypto's golden vector).

use std::fmt;

use kluis_crypto::{CryptoError, KdfParams, SecretKey};

/// Why no key came out. The text never contains the PIN.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeriveError {
    /// The parameters are not `KdfParams` JSON.
    BadParams(String),
    /// The derivation refused or failed (`kluis_crypto::derive_key`: unknown version, too
    /// weak, too costly, no memory).
    Crypto(CryptoError),
}

impl fmt::Display for DeriveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeriveError::BadParams(reason) => write!(f, "invalid KDF parameters JSON: {reason}"),
            DeriveError::Crypto(error) => write!(f, "{error}"),
        }
    }
}

impl std::error::Error for DeriveError {}

/// `kluis_crypto::derive_key` with the parameters as the JSON that `KdfParams` serializes to.
/// That function allocates the Argon2 memory itself and wipes it, which matters here: the
/// worker's linear memory lives as long as the worker.
///
/// # Errors
/// [`DeriveError::BadParams`] for JSON that is not `KdfParams`, [`DeriveError::Crypto`] for
/// what `derive_key` refuses.
pub fn derive_from_json(pin: &[u8], params_json: &str) -> Result<SecretKey, DeriveError> {
    let params: KdfParams = serde_json::from_str(params_json)
        .map_err(|error| DeriveError::BadParams(error.to_string()))?;
    kluis_crypto::derive_key(pin, &params).map_err(DeriveError::Crypto)
}

/// The wasm-bindgen surface used by `app/web/kdf-worker.js`.
#[cfg(target_arch = "wasm32")]
mod web {
    use kluis_crypto::Zeroizing;
    use wasm_bindgen::prelude::*;

    /// Derives the key for `pin` under `params_json` (`KdfParams` as JSON).
    ///
    /// Takes the PIN as an owned `String` (the buffer the glue copied it into) so it can be
    /// wiped here; returns a JS-owned `Uint8Array` rather than a `Vec`, whose wasm copy the
    /// glue would free without wiping.
    ///
    /// # Errors
    /// A JS `Error` whose message says what was wrong (never the PIN).
    #[wasm_bindgen]
    pub fn derive(pin: String, params_json: &str) -> Result<js_sys::Uint8Array, JsError> {
        let pin = Zeroizing::new(pin);
        let key = super::derive_from_json(pin.as_bytes(), params_json)
            .map_err(|error| JsError::new(&error.to_string()))?;
        Ok(js_sys::Uint8Array::from(&key.expose_bytes()[..]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// crypto/tests/golden.rs: `derive_key(b"123456", golden_params())`.
    const GOLDEN_JSON: &str = r#"{"version":1,"m_cost_kib":19456,"t_cost":2,"p_cost":1,"salt":"EBESExQVFhcYGRobHB0eHw=="}"#;
    const GOLDEN_HEX: &str = "b393d9044acddf5f186bc6c038d0da3e1812d8bf894179118904f36a2d1ab30f";

    fn golden_params() -> KdfParams {
        KdfParams {
            version: 1,
            m_cost_kib: 19 * 1024,
            t_cost: 2,
            p_cost: 1,
            salt: core::array::from_fn(|i| 0x10 + i as u8),
        }
    }

    #[test]
    fn the_golden_json_is_the_golden_params() {
        let parsed: KdfParams = serde_json::from_str(GOLDEN_JSON).expect("golden JSON");
        assert_eq!(parsed, golden_params());
    }

    #[test]
    fn gives_the_golden_key_and_the_same_key_as_kluis_crypto() {
        let ours = derive_from_json(b"123456", GOLDEN_JSON).expect("derive");
        assert_eq!(hex::encode(ours.expose_bytes()), GOLDEN_HEX);
        let theirs = kluis_crypto::derive_key(b"123456", &golden_params()).expect("crypto");
        assert_eq!(ours.expose_bytes(), theirs.expose_bytes());

        let other = derive_from_json(b"654321", GOLDEN_JSON).expect("derive");
        assert_ne!(other.expose_bytes(), ours.expose_bytes());
    }

    #[test]
    fn same_key_as_kluis_crypto_for_other_costs_and_a_fresh_salt() {
        let mut params = KdfParams::recommended().expect("salt");
        params.t_cost = 3;
        params.m_cost_kib = 20 * 1024;
        let json = serde_json::to_string(&params).expect("json");
        let ours = derive_from_json(b"482913", &json).expect("derive");
        let theirs = kluis_crypto::derive_key(b"482913", &params).expect("crypto");
        assert_eq!(ours.expose_bytes(), theirs.expose_bytes());
    }

    #[test]
    fn bad_params_json_is_a_clear_error() {
        for json in ["", "not json", "{}", r#"{"version":1}"#, "[1,2,3]"] {
            let error = derive_from_json(b"123456", json).expect_err("an error");
            assert!(
                matches!(error, DeriveError::BadParams(_)),
                "{json}: {error:?}"
            );
            assert!(error.to_string().starts_with("invalid KDF parameters JSON"));
        }
        let bad_salt = GOLDEN_JSON.replace("EBESExQVFhcYGRobHB0eHw==", "c2hvcnQ=");
        assert!(matches!(
            derive_from_json(b"123456", &bad_salt),
            Err(DeriveError::BadParams(_))
        ));
    }

    #[test]
    fn weak_or_unknown_params_are_refused_before_any_work() {
        let weak = GOLDEN_JSON.replace("19456", "1024");
        let error = derive_from_json(b"123456", &weak).expect_err("refused");
        assert!(matches!(
            error,
            DeriveError::Crypto(CryptoError::WeakKdfParams(_))
        ));
        let future = GOLDEN_JSON.replace(r#""version":1"#, r#""version":2"#);
        let error = derive_from_json(b"123456", &future).expect_err("refused");
        assert_eq!(
            error,
            DeriveError::Crypto(CryptoError::UnsupportedVersion(2))
        );
        assert!(!error.to_string().contains("123456"));
    }
}
