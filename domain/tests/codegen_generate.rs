//! Code generation: every code is valid, far from all others, fresh and unpredictable.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;

use kluis_domain::DomainError;
use kluis_domain::codegen::{
    CodeRules, code_space_usage, generate_code, generate_codes_for, is_arithmetic_run,
};
use kluis_domain::ids::SafeModelId;
use kluis_domain::rng::SeededRandom;
use kluis_domain::safe_model::{ButtonSet, ModelKind, SafeModel, supra_keysafe_pro};
use proptest::prelude::*;

fn model(buttons: &str, min_len: u8, max_len: u8, fd: Option<ButtonSet>) -> SafeModel {
    SafeModel {
        id: SafeModelId::from_bytes([3; 16]),
        name: "Test".into(),
        kind: ModelKind::PushButton {
            buttons: buttons.chars().collect(),
            min_len,
            max_len,
        },
        factory_default: fd,
    }
}

fn set_from_mask(model: &SafeModel, mask: u32) -> ButtonSet {
    let labels = model.buttons();
    ButtonSet::from_buttons(
        (0..labels.len())
            .filter(|i| mask & (1 << i) != 0)
            .map(|i| labels[i]),
    )
    .unwrap()
}

/// Everything a generated code must satisfy, checked independently of the generator.
fn acceptable(m: &SafeModel, c: &ButtonSet, in_use: &[ButtonSet], recent: &[ButtonSet]) -> bool {
    m.check_code(c).is_ok()
        && in_use.iter().all(|u| u.distance(c) >= 2)
        && !recent.contains(c)
        && !is_arithmetic_run(c)
        && m.factory_default.as_ref() != Some(c)
}

fn arb_registry() -> impl Strategy<Value = (SafeModel, Vec<ButtonSet>, Vec<ButtonSet>, u64)> {
    (3usize..=8)
        .prop_flat_map(|n| (Just(n), 1..=n))
        .prop_flat_map(|(n, min)| (Just(n), Just(min), min..=n))
        .prop_flat_map(|(n, min, max)| {
            let full = (1u32 << n) - 1;
            (
                Just((n, min, max)),
                proptest::option::of(1..=full),
                proptest::collection::vec(1..=full, 0..12),
                proptest::collection::vec(1..=full, 0..15),
                any::<u64>(),
            )
        })
        .prop_map(|((n, min, max), fd, in_use, history, seed)| {
            let labels: String = "1234567890".chars().take(n).collect();
            let bare = model(&labels, min as u8, max as u8, None);
            let fd = fd.map(|f| set_from_mask(&bare, f));
            let m = model(&labels, min as u8, max as u8, fd);
            let in_use = in_use.into_iter().map(|x| set_from_mask(&m, x)).collect();
            let history = history.into_iter().map(|x| set_from_mask(&m, x)).collect();
            (m, in_use, history, seed)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn generated_codes_obey_every_rule((m, in_use, history, seed) in arb_registry()) {
        let rules = CodeRules::default();
        let recent = &history[history.len().saturating_sub(rules.history_to_avoid)..];
        let mut rng = SeededRandom::new(seed);
        match generate_code(&m, &in_use, &history, &rules, &mut rng) {
            Ok(code) => prop_assert!(acceptable(&m, &code, &in_use, recent)),
            Err(DomainError::CodeSpaceExhausted { in_use: n, .. }) => {
                prop_assert_eq!(n, in_use.len());
                // Exhausted only when no acceptable code exists at all.
                let full = 1u32 << m.buttons().len();
                for mask in 1..full {
                    let c = set_from_mask(&m, mask);
                    prop_assert!(!acceptable(&m, &c, &in_use, recent));
                }
            }
            Err(other) => prop_assert!(false, "unexpected error {other}"),
        }
    }

    #[test]
    fn batches_stay_pairwise_apart((m, in_use, _h, seed) in arb_registry(), count in 1usize..30) {
        let mut rng = SeededRandom::new(seed);
        if let Ok(codes) = generate_codes_for(&m, count, &in_use, &CodeRules::default(), &mut rng) {
            prop_assert_eq!(codes.len(), count);
            let mut taken = in_use.clone();
            for c in codes {
                prop_assert!(acceptable(&m, &c, &taken, &[]));
                taken.push(c);
            }
        }
    }
}

#[test]
fn small_model_fills_its_family_then_reports_exhaustion() {
    let m = model("123456", 2, 4, None);
    let rules = CodeRules::default();
    let mut rng = SeededRandom::new(11);
    let mut in_use = Vec::new();
    let err = loop {
        match generate_code(&m, &in_use, &[], &rules, &mut rng) {
            Ok(c) => {
                assert!(acceptable(&m, &c, &in_use, &[]));
                in_use.push(c);
            }
            Err(e) => break e,
        }
    };
    // Even sizes: 15 + 15 pairs and quadruples, less 5 + 3 runs.
    assert_eq!(in_use.len(), 22);
    assert_eq!(
        err,
        DomainError::CodeSpaceExhausted {
            model: "Test".into(),
            in_use: 22,
            usable: 22
        }
    );
    let usage = code_space_usage(&m, &in_use);
    assert_eq!(
        (usage.in_use, usage.usable, usage.remaining_candidates),
        (22, 22, 0)
    );
}

#[test]
fn supra_seeds_220_safes_for_any_seed() {
    let m = supra_keysafe_pro(SafeModelId::from_bytes([1; 16]));
    for seed in 0..5 {
        let mut rng = SeededRandom::new(seed);
        let codes = generate_codes_for(&m, 220, &[], &CodeRules::default(), &mut rng).unwrap();
        for (i, a) in codes.iter().enumerate() {
            m.check_code(a).unwrap();
            assert!(!is_arithmetic_run(a));
            assert!(codes[..i].iter().all(|b| b.distance(a) >= 2));
        }
        let usage = code_space_usage(&m, &codes);
        assert_eq!(usage.usable, 408);
        assert_eq!(usage.remaining_candidates, 408 - 220);
    }
}

#[test]
fn supra_family_can_be_filled_completely() {
    let m = supra_keysafe_pro(SafeModelId::from_bytes([1; 16]));
    let mut rng = SeededRandom::new(5);
    let codes = generate_codes_for(&m, 408, &[], &CodeRules::default(), &mut rng).unwrap();
    assert_eq!(codes.len(), 408);
    let err = generate_codes_for(&m, 1, &codes, &CodeRules::default(), &mut rng).unwrap_err();
    assert!(matches!(
        err,
        DomainError::CodeSpaceExhausted {
            in_use: 408,
            usable: 408,
            ..
        }
    ));
}

#[test]
fn same_seed_same_code_and_draws_spread_out() {
    let m = supra_keysafe_pro(SafeModelId::from_bytes([1; 16]));
    let rules = CodeRules::default();
    let draw = |seed| generate_code(&m, &[], &[], &rules, &mut SeededRandom::new(seed)).unwrap();
    assert_eq!(draw(42), draw(42));
    let distinct: BTreeSet<String> = (0..200).map(|s| draw(s).to_string()).collect();
    assert!(
        distinct.len() > 100,
        "only {} distinct codes",
        distinct.len()
    );
}

#[test]
fn history_is_avoided_but_only_the_recent_part() {
    // Two buttons, codes of exactly 1 button: only {1} and {2} exist.
    let m = model("12", 1, 1, None);
    let one = ButtonSet::parse("1").unwrap();
    let two = ButtonSet::parse("2").unwrap();
    let rules = CodeRules {
        min_distance: 2,
        history_to_avoid: 1,
    };
    for seed in 0..20 {
        let mut rng = SeededRandom::new(seed);
        assert_eq!(
            generate_code(&m, &[], std::slice::from_ref(&one), &rules, &mut rng).unwrap(),
            two
        );
        // {1} is older than the one code remembered, so it may come back.
        let hist = [one.clone(), two.clone()];
        assert_eq!(
            generate_code(&m, &[], &hist, &rules, &mut rng).unwrap(),
            one
        );
    }
}

#[test]
fn runs_are_defined_on_digit_values() {
    for run in ["1234", "2345", "0123", "56789", "12"] {
        assert!(is_arithmetic_run(&ButtonSet::parse(run).unwrap()), "{run}");
    }
    for not_run in ["1235", "6789 0", "9012", "1", "AB", "135"] {
        assert!(
            !is_arithmetic_run(&ButtonSet::parse(not_run).unwrap()),
            "{not_run}"
        );
    }
}

#[test]
fn invalid_models_are_refused() {
    let broken = model("1123", 1, 2, None);
    let err = generate_code(
        &broken,
        &[],
        &[],
        &CodeRules::default(),
        &mut SeededRandom::new(1),
    );
    assert!(matches!(err, Err(DomainError::InvalidModel(_))));
    assert_eq!(code_space_usage(&broken, &[]).usable, 0);
}
