//! Safe models and button-set codes.
#![allow(clippy::unwrap_used)]

use kluis_domain::DomainError;
use kluis_domain::ids::SafeModelId;
use kluis_domain::safe_model::{
    ButtonSet, ModelKind, SafeModel, supra_keysafe_pro, supra_keysafe_pro_bigbox,
};

fn bs(s: &str) -> ButtonSet {
    ButtonSet::parse(s).unwrap()
}

fn push(buttons: &str, min_len: u8, max_len: u8, fd: Option<&str>) -> SafeModel {
    SafeModel {
        id: SafeModelId::from_bytes([9; 16]),
        name: "Test".into(),
        kind: ModelKind::PushButton {
            buttons: buttons.chars().collect(),
            min_len,
            max_len,
        },
        factory_default: fd.map(bs),
    }
}

#[test]
fn parse_ignores_order_and_separators() {
    for s in ["1357", "1-3-5-7", "1 3 5 7", "7531", " 7,5.3/1 "] {
        assert_eq!(bs(s).to_string(), "1357", "{s}");
    }
    assert_eq!(
        bs("0913").to_string(),
        "1390",
        "0 sits after 9 like on the safe"
    );
    assert_eq!(bs("b0a1").to_string(), "10AB");
    assert_eq!(bs("1357").len(), 4);
    assert!(bs("1357").contains('5') && !bs("1357").contains('2'));
    for bad in ["", " - ", "1135", "1-1"] {
        assert!(
            matches!(ButtonSet::parse(bad), Err(DomainError::InvalidCode(_))),
            "{bad}"
        );
    }
}

#[test]
fn debug_redacts_and_serde_uses_the_string() {
    let code = bs("2468");
    assert_eq!(format!("{code:?}"), "ButtonSet(****)");
    let json = serde_json::to_string(&code).unwrap();
    assert_eq!(json, "\"2468\"");
    assert_eq!(serde_json::from_str::<ButtonSet>(&json).unwrap(), code);
    assert!(serde_json::from_str::<ButtonSet>("\"1123\"").is_err());
    let bytes = postcard::to_allocvec(&code).unwrap();
    assert_eq!(postcard::from_bytes::<ButtonSet>(&bytes).unwrap(), code);
}

#[test]
fn distance_is_the_symmetric_difference() {
    assert_eq!(bs("1234").distance(&bs("1234")), 0);
    assert_eq!(bs("1234").distance(&bs("1235")), 2);
    assert_eq!(bs("1234").distance(&bs("12345")), 1);
    assert_eq!(bs("1234").distance(&bs("5678")), 8);
}

#[test]
fn masks_follow_the_models_button_order() {
    let pro = supra_keysafe_pro(SafeModelId::from_bytes([1; 16]));
    assert_eq!(bs("12").as_mask(&pro), Some(0b11));
    assert_eq!(bs("0").as_mask(&pro), Some(1 << 9));
    assert_eq!(bs("1A").as_mask(&pro), None);
}

#[test]
fn supra_models() {
    let pro = supra_keysafe_pro(SafeModelId::from_bytes([1; 16]));
    let big = supra_keysafe_pro_bigbox(SafeModelId::from_bytes([2; 16]));
    for m in [&pro, &big] {
        m.validate().unwrap();
        assert_eq!(m.code_space(), 210 + 252 + 210 + 120 - 1);
        assert_eq!(m.usable_at_distance_2(), 420 - 1);
        assert_eq!(m.parity_class_sizes(), [419, 372]);
    }
    assert_ne!(pro.name, big.name);
    let json = serde_json::to_string(&pro).unwrap();
    assert!(json.contains("push_button"));
    assert_eq!(serde_json::from_str::<SafeModel>(&json).unwrap(), pro);
    let bytes = postcard::to_allocvec(&pro).unwrap();
    assert_eq!(postcard::from_bytes::<SafeModel>(&bytes).unwrap(), pro);
}

#[test]
fn check_code() {
    let pro = supra_keysafe_pro(SafeModelId::from_bytes([1; 16]));
    pro.check_code(&bs("1357")).unwrap();
    pro.check_code(&bs("1357902")).unwrap();
    for bad in ["135", "12345678", "1234", "4321", "135A"] {
        let err = pro.check_code(&bs(bad)).unwrap_err();
        assert!(matches!(err, DomainError::InvalidCode(_)), "{bad}");
        assert!(
            !err.to_string().contains(bad),
            "errors must not repeat the code"
        );
    }
}

#[test]
fn validate_rejects_broken_models() {
    push("123456", 2, 4, None).validate().unwrap();
    let bad = [
        push("", 1, 1, None),
        push("1231", 1, 2, None),
        push("0123456789ABCDEFG", 1, 4, None),
        push("1234", 0, 2, None),
        push("1234", 3, 2, None),
        push("1234", 2, 5, None),
        push("12 4", 1, 2, None),
        push("12a4", 1, 2, None),
        push("1234", 1, 2, Some("15")),
    ];
    for m in bad {
        assert!(
            matches!(m.validate(), Err(DomainError::InvalidModel(_))),
            "{:?}",
            m.kind
        );
    }
    push("0123456789ABCDEF", 1, 16, None).validate().unwrap();
}

#[test]
fn code_space_counts() {
    let small = push("123456", 2, 4, None);
    assert_eq!(small.code_space(), 15 + 20 + 15);
    assert_eq!(small.usable_at_distance_2(), 30);
    let with_fd = push("123456", 2, 4, Some("135"));
    assert_eq!(with_fd.parity_class_sizes(), [30, 19]);
    let fd_out_of_range = push("123456", 2, 4, Some("1"));
    assert_eq!(fd_out_of_range.code_space(), 50);
}
