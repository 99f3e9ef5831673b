//! The registry model: roles, life cycles, house numbers and what may be printed.
#![allow(clippy::unwrap_used)]

use kluis_domain::DomainError;
use kluis_domain::ids::{CodeId, SafeId};
use kluis_domain::model::{Address, Code, CodeState, HouseNumbers, OrgKind, Role, SafeStatus};
use kluis_domain::safe_model::ButtonSet;
use kluis_domain::time::Timestamp;

#[test]
fn roles_round_trip_and_belong_to_the_right_org_kind() {
    let all = [
        (Role::Coordinator, "coordinator", OrgKind::CoordinatorOffice),
        (Role::ServiceAdmin, "service_admin", OrgKind::CareService),
        (Role::Carer, "carer", OrgKind::CareService),
        (Role::Volunteer, "volunteer", OrgKind::CoordinatorOffice),
        (Role::HousingStaff, "housing_staff", OrgKind::HousingCompany),
    ];
    let kinds = [
        OrgKind::CoordinatorOffice,
        OrgKind::CareService,
        OrgKind::HousingCompany,
    ];
    for (role, name, home) in all {
        assert_eq!(role.as_str(), name);
        assert_eq!(name.parse::<Role>().unwrap(), role);
        assert_eq!(serde_json::to_string(&role).unwrap(), format!("\"{name}\""));
        for kind in kinds {
            assert_eq!(role.allowed_in(kind), kind == home, "{role} in {kind}");
        }
    }
    assert!(matches!(
        "admin".parse::<Role>(),
        Err(DomainError::UnknownValue { .. })
    ));
}

#[test]
fn safe_status_life_cycle() {
    use SafeStatus::*;
    let all = [Requested, Installed, Active, Defect, Removed];
    let allowed = [
        (Requested, Installed),
        (Installed, Active),
        (Installed, Defect),
        (Active, Defect),
        (Defect, Active),
        (Requested, Removed),
        (Installed, Removed),
        (Active, Removed),
        (Defect, Removed),
    ];
    for from in all {
        assert_eq!(from.as_str().parse::<SafeStatus>().unwrap(), from);
        for to in all {
            let ok = allowed.contains(&(from, to));
            assert_eq!(from.can_transition_to(to), ok, "{from} -> {to}");
            match from.transition(to) {
                Ok(next) => assert!(ok && next == to),
                Err(DomainError::InvalidTransition { from: f, to: t }) => {
                    assert!(!ok);
                    assert_eq!((f.as_str(), t.as_str()), (from.as_str(), to.as_str()));
                }
                Err(other) => panic!("unexpected {other:?}"),
            }
        }
    }
}

#[test]
fn code_states_round_trip() {
    for s in [
        CodeState::Pending,
        CodeState::Current,
        CodeState::Previous,
        CodeState::Retired,
    ] {
        assert_eq!(s.to_string().parse::<CodeState>().unwrap(), s);
    }
    assert_eq!(OrgKind::CareService.as_str(), "care_service");
    assert!("bogus".parse::<CodeState>().is_err());
}

#[test]
fn code_debug_hides_the_value() {
    let code = Code {
        id: CodeId::from_bytes([1; 16]),
        safe: SafeId::from_bytes([2; 16]),
        value: ButtonSet::parse("2468").unwrap(),
        state: CodeState::Current,
        created_at: Timestamp::from_millis(0),
        activated_at: None,
        retired_at: None,
    };
    let dbg = format!("{code:?}");
    assert!(!dbg.contains("2468"), "{dbg}");
    assert!(dbg.contains("****"));
    let json = serde_json::to_string(&code).unwrap();
    assert!(json.contains("\"2468\""));
    assert_eq!(serde_json::from_str::<Code>(&json).unwrap(), code);
}

#[test]
fn house_numbers_parse() {
    let h = |s: &str| HouseNumbers::parse(s).unwrap();
    let single = h("12");
    assert_eq!((single.first(), single.last(), single.step()), (12, 12, 1));
    assert_eq!(single.to_string(), "12");
    for s in [
        "12A",
        "12 a",
        "12 bus 3",
        "12b3",
        "12/3",
        "12A bus 2",
        "nr. 12",
    ] {
        let n = h(s);
        assert_eq!((n.first(), n.last()), (12, 12), "{s}");
        assert_eq!(n.label(), s);
    }
    let range = h("10-16");
    assert_eq!((range.first(), range.last(), range.step()), (10, 16, 1));
    assert!(range.contains(10) && range.contains(11) && range.contains(16));
    assert!(!range.contains(9) && !range.contains(18));
    assert_eq!(range.to_string(), "10-16");
    for s in [
        "10-16 (even)",
        "10-16 even",
        "10 - 16 even",
        "10 t/m 16 (even)",
        "10–16 even",
    ] {
        let even = h(s);
        assert_eq!((even.first(), even.last(), even.step()), (10, 16, 2), "{s}");
        assert!(even.contains(14) && !even.contains(13), "{s}");
        assert_eq!(even.to_string(), "10-16");
    }
    let odd = h("11-17 oneven");
    assert!(odd.contains(13) && !odd.contains(12));
    assert_eq!(h("12a-14b").last(), 14);
}

#[test]
fn house_numbers_lists_and_bis() {
    let h = |s: &str| HouseNumbers::parse(s).unwrap();
    let list = h("12, 14, 18");
    assert!(list.is_list());
    assert!(list.contains(12) && list.contains(14) && list.contains(18));
    assert!(!list.contains(16) && !list.contains(13));
    assert_eq!((list.first(), list.last()), (12, 18));
    assert_eq!(list.listed(6), Some(vec![12, 14, 18]));
    assert_eq!(list.to_string(), "12, 14, 18");
    assert_eq!(list.label(), "12, 14, 18");
    let mixed = h("2-10 (even) en 15");
    assert!(mixed.contains(8) && mixed.contains(15) && !mixed.contains(9));
    assert_eq!(mixed.listed(6), Some(vec![2, 4, 6, 8, 10, 15]));
    assert_eq!(mixed.listed(5), None);
    assert_eq!(h("12; 14").listed(6), Some(vec![12, 14]));
    for s in ["12bis", "12 bis", "12 ter", "12bis bus 3", "12Bis"] {
        let n = h(s);
        assert_eq!((n.first(), n.last()), (12, 12), "{s}");
    }
    let with_bis = h("12, 12bis, 14");
    assert_eq!(with_bis.listed(6), Some(vec![12, 14]));
    // A huge range is never enumerated.
    assert_eq!(h("1-4000000").listed(6), None);
    for bad in ["12,", ", 12", "12,,14", "12, abc", "12 terz", "12 bis x y"] {
        assert!(
            HouseNumbers::parse(bad).is_err(),
            "{bad:?} should be rejected"
        );
    }
    let many = (1..=17)
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(",");
    assert!(
        HouseNumbers::parse(&many).is_err(),
        "more parts than allowed"
    );
    assert!(
        HouseNumbers::parse(&"1".repeat(81)).is_err(),
        "longer than allowed"
    );
}

#[test]
fn house_numbers_reject_garbage() {
    for s in [
        "",
        "  ",
        "abc",
        "16-10",
        "0",
        "0-4",
        "10-",
        "-10",
        "1-2-3",
        "10-16 oneven",
        "12 xyz",
        "12 bus",
        "12 ab",
    ] {
        assert!(
            matches!(
                HouseNumbers::parse(s),
                Err(DomainError::InvalidHouseNumbers(_))
            ),
            "{s:?} should be rejected"
        );
    }
}

#[test]
fn house_numbers_constructors_and_serde() {
    let r = HouseNumbers::range(10, 16, 2).unwrap();
    assert_eq!(r.label(), "10-16 (even)");
    assert_eq!(
        HouseNumbers::range(11, 15, 2).unwrap().label(),
        "11-15 (oneven)"
    );
    assert_eq!(HouseNumbers::range(7, 7, 2).unwrap().label(), "7");
    assert!(HouseNumbers::range(10, 15, 2).is_err());
    assert!(HouseNumbers::range(10, 16, 3).is_err());
    let json = serde_json::to_string(&r).unwrap();
    assert_eq!(json, "\"10-16 (even)\"");
    assert_eq!(serde_json::from_str::<HouseNumbers>(&json).unwrap(), r);
    assert!(serde_json::from_str::<HouseNumbers>("\"16-10\"").is_err());
}

#[test]
fn address_label() {
    let a = Address {
        street: "Sleepstraat".into(),
        numbers: HouseNumbers::parse("10-16 (even)").unwrap(),
        postcode: "9000".into(),
        city: "Gent".into(),
    };
    assert_eq!(a.label(), "Sleepstraat 10-16, 9000 Gent");
}
