//! Argon2id parameters and PIN-wrapped data keys.
#![allow(clippy::unwrap_used)]

use kluis_crypto::{
    Aad, CryptoError, KdfParams, SecretKey, WRAPPED_KEY_KIND, WRAPPED_KEY_VERSION, WrappedKey,
    derive_key, seal,
};

fn params() -> KdfParams {
    KdfParams::recommended().unwrap()
}

fn assert_weak(params: &KdfParams) {
    assert!(
        matches!(params.validate(), Err(CryptoError::WeakKdfParams(_))),
        "{params:?} should be rejected as weak"
    );
}

fn assert_out_of_range(params: &KdfParams) {
    assert!(
        matches!(params.validate(), Err(CryptoError::KdfParamsOutOfRange(_))),
        "{params:?} should be rejected as out of range"
    );
}

#[test]
fn recommended_params_follow_owasp_and_validate() {
    let p = params();
    assert_eq!(p.version, 1);
    assert_eq!(p.m_cost_kib, 19 * 1024);
    assert_eq!(p.t_cost, 2);
    assert_eq!(p.p_cost, 1);
    p.validate().unwrap();
    assert_ne!(p.salt, params().salt, "salts must be random");
}

#[test]
fn validate_rejects_weak_params() {
    assert_weak(&KdfParams {
        m_cost_kib: 19 * 1024 - 1,
        ..params()
    });
    assert_weak(&KdfParams {
        t_cost: 1,
        ..params()
    });
    assert_weak(&KdfParams {
        p_cost: 0,
        ..params()
    });
}

#[test]
fn validate_rejects_unknown_version() {
    assert_eq!(
        KdfParams {
            version: 99,
            ..params()
        }
        .validate(),
        Err(CryptoError::UnsupportedVersion(99))
    );
    assert_eq!(
        KdfParams {
            version: 0,
            ..params()
        }
        .validate(),
        Err(CryptoError::UnsupportedVersion(0))
    );
}

#[test]
fn validate_rejects_absurd_params_and_accepts_the_limits() {
    assert_out_of_range(&KdfParams {
        m_cost_kib: 1024 * 1024 + 1,
        ..params()
    });
    assert_out_of_range(&KdfParams {
        t_cost: 21,
        ..params()
    });
    assert_out_of_range(&KdfParams {
        p_cost: 17,
        ..params()
    });
    KdfParams {
        m_cost_kib: KdfParams::MAX_M_COST_KIB,
        t_cost: KdfParams::MAX_T_COST,
        p_cost: KdfParams::MAX_P_COST,
        ..params()
    }
    .validate()
    .unwrap();
}

#[test]
fn derive_key_validates_before_hashing() {
    let weak = KdfParams {
        t_cost: 1,
        ..params()
    };
    assert!(matches!(
        derive_key(b"123456", &weak),
        Err(CryptoError::WeakKdfParams(_))
    ));
    // Would need 4 GiB if it were not rejected first.
    let huge = KdfParams {
        m_cost_kib: u32::MAX,
        ..params()
    };
    assert!(matches!(
        derive_key(b"123456", &huge),
        Err(CryptoError::KdfParamsOutOfRange(_))
    ));
}

#[test]
fn derive_key_depends_on_secret_and_salt() {
    let p = params();
    let a = derive_key(b"123456", &p).unwrap();
    let again = derive_key(b"123456", &p).unwrap();
    let other_pin = derive_key(b"123457", &p).unwrap();
    let other_salt = derive_key(b"123456", &p.with_new_salt().unwrap()).unwrap();
    assert_eq!(a.expose_bytes(), again.expose_bytes());
    assert_ne!(a.expose_bytes(), other_pin.expose_bytes());
    assert_ne!(a.expose_bytes(), other_salt.expose_bytes());
}

#[test]
fn kdf_params_round_trip_through_json() {
    let p = params();
    let json = serde_json::to_string(&p).unwrap();
    assert_eq!(serde_json::from_str::<KdfParams>(&json).unwrap(), p);
}

#[test]
fn kdf_params_reject_bad_salts() {
    let short = r#"{"version":1,"m_cost_kib":19456,"t_cost":2,"p_cost":1,"salt":"AAEC"}"#;
    assert!(serde_json::from_str::<KdfParams>(short).is_err());
    let not_b64 = r#"{"version":1,"m_cost_kib":19456,"t_cost":2,"p_cost":1,"salt":"!!!!"}"#;
    assert!(serde_json::from_str::<KdfParams>(not_b64).is_err());
}

#[test]
fn wrap_unwrap_with_right_and_wrong_pin() {
    let data_key = SecretKey::generate().unwrap();
    let wrapped = WrappedKey::wrap(&data_key, b"123456", params(), "alice").unwrap();

    let unwrapped = wrapped.unwrap(b"123456", "alice").unwrap();
    assert_eq!(unwrapped.expose_bytes(), data_key.expose_bytes());

    assert_eq!(
        wrapped.unwrap(b"000000", "alice").unwrap_err(),
        CryptoError::Decrypt
    );
    assert_eq!(
        wrapped.unwrap(b"123456", "bob").unwrap_err(),
        CryptoError::Decrypt
    );
}

#[test]
fn wrapped_key_round_trips_through_json() {
    let data_key = SecretKey::generate().unwrap();
    let wrapped = WrappedKey::wrap(&data_key, b"123456", params(), "alice").unwrap();
    let json = serde_json::to_string(&wrapped).unwrap();
    let back: WrappedKey = serde_json::from_str(&json).unwrap();
    assert_eq!(back, wrapped);
    assert_eq!(
        back.unwrap(b"123456", "alice").unwrap().expose_bytes(),
        data_key.expose_bytes()
    );
}

#[test]
fn rewrap_moves_the_same_key_to_the_new_pin() {
    let data_key = SecretKey::generate().unwrap();
    let old = WrappedKey::wrap(&data_key, b"111111", params(), "alice").unwrap();
    let new = old.rewrap(b"111111", b"222222", "alice").unwrap();

    assert_ne!(new.params.salt, old.params.salt);
    assert_eq!(new.params.m_cost_kib, old.params.m_cost_kib);
    assert_eq!(
        new.unwrap(b"222222", "alice").unwrap().expose_bytes(),
        data_key.expose_bytes()
    );
    assert_eq!(
        new.unwrap(b"111111", "alice").unwrap_err(),
        CryptoError::Decrypt
    );
}

#[test]
fn rewrap_requires_the_old_pin() {
    let data_key = SecretKey::generate().unwrap();
    let old = WrappedKey::wrap(&data_key, b"111111", params(), "alice").unwrap();
    assert_eq!(
        old.rewrap(b"999999", b"222222", "alice").unwrap_err(),
        CryptoError::Decrypt
    );
}

#[test]
fn wrap_with_kek_matches_wrap() {
    let data_key = SecretKey::generate().unwrap();
    let p = params();
    let kek = derive_key(b"123456", &p).unwrap();
    let wrapped = WrappedKey::wrap_with_kek(&data_key, &kek, p, "alice").unwrap();

    // A KEK derived elsewhere (the Web Worker) and the PIN path agree.
    assert_eq!(
        wrapped.unwrap(b"123456", "alice").unwrap().expose_bytes(),
        data_key.expose_bytes()
    );
    assert_eq!(
        wrapped
            .unwrap_with_kek(&kek, "alice")
            .unwrap()
            .expose_bytes(),
        data_key.expose_bytes()
    );
    let other_kek = SecretKey::generate().unwrap();
    assert_eq!(
        wrapped.unwrap_with_kek(&other_kek, "alice").unwrap_err(),
        CryptoError::Decrypt
    );
}

#[test]
fn wrap_refuses_weak_params() {
    let data_key = SecretKey::generate().unwrap();
    let weak = KdfParams {
        t_cost: 1,
        ..params()
    };
    let kek = SecretKey::generate().unwrap();
    assert!(matches!(
        WrappedKey::wrap_with_kek(&data_key, &kek, weak.clone(), "alice"),
        Err(CryptoError::WeakKdfParams(_))
    ));
    assert!(matches!(
        WrappedKey::wrap(&data_key, b"123456", weak, "alice"),
        Err(CryptoError::WeakKdfParams(_))
    ));
}

#[test]
fn unwrap_refuses_downgraded_stored_params() {
    let data_key = SecretKey::generate().unwrap();
    let mut wrapped = WrappedKey::wrap(&data_key, b"123456", params(), "alice").unwrap();
    wrapped.params.t_cost = 1;
    assert!(matches!(
        wrapped.unwrap(b"123456", "alice"),
        Err(CryptoError::WeakKdfParams(_))
    ));
}

#[test]
fn unwrap_rejects_a_sealed_payload_that_is_not_a_key() {
    let kek = SecretKey::generate().unwrap();
    let aad = Aad {
        kind: WRAPPED_KEY_KIND,
        version: WRAPPED_KEY_VERSION,
        owner: "alice",
    };
    let blob = seal(&kek, &aad, &[0u8; 31]).unwrap();
    let wrapped = WrappedKey {
        params: params(),
        blob,
    };
    assert!(matches!(
        wrapped.unwrap_with_kek(&kek, "alice"),
        Err(CryptoError::Malformed(_))
    ));
}
