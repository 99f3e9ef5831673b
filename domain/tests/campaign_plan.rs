//! Campaign planning: waves when the space is short, warnings with numbers, never a weak code.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};

use kluis_domain::DomainError;
use kluis_domain::campaign::{
    CampaignInput, CampaignPlan, CampaignSafe, SpacePressure, WavePolicy, plan_campaign,
};
use kluis_domain::codegen::{CodeRules, generate_codes_for, is_arithmetic_run};
use kluis_domain::ids::{SafeId, SafeModelId};
use kluis_domain::rng::SeededRandom;
use kluis_domain::safe_model::{ButtonSet, ModelKind, SafeModel, supra_keysafe_pro};
use proptest::prelude::*;

const SUPRA: SafeModelId = SafeModelId::from_bytes([1; 16]);
const TINY: SafeModelId = SafeModelId::from_bytes([2; 16]);

fn supra_models() -> BTreeMap<SafeModelId, SafeModel> {
    BTreeMap::from([(SUPRA, supra_keysafe_pro(SUPRA))])
}

fn tiny_model() -> SafeModel {
    SafeModel {
        id: TINY,
        name: "Tiny".into(),
        kind: ModelKind::PushButton {
            buttons: "123456".chars().collect(),
            min_len: 2,
            max_len: 4,
        },
        factory_default: None,
    }
}

fn safe_id(i: usize) -> SafeId {
    let mut b = [0u8; 16];
    b[..8].copy_from_slice(&(i as u64 + 1).to_le_bytes());
    SafeId::from_bytes(b)
}

/// `n` safes of `model` with valid, pairwise distinct current codes, on a few streets.
fn registry(model: &SafeModel, n: usize, seed: u64) -> Vec<CampaignSafe> {
    let mut rng = SeededRandom::new(seed);
    let codes = generate_codes_for(model, n, &[], &CodeRules::default(), &mut rng).unwrap();
    codes
        .into_iter()
        .enumerate()
        .map(|(i, c)| CampaignSafe {
            safe: safe_id(i),
            model: model.id,
            current: Some(c),
            history: Vec::new(),
            street: format!("Straat {}", i % 17),
            numbers_first: (i * 7 % 100) as u32,
            district: format!("Wijk {}", i % 3),
        })
        .collect()
}

struct Fixture {
    safes: Vec<CampaignSafe>,
    models: BTreeMap<SafeModelId, SafeModel>,
    outside: BTreeMap<SafeModelId, Vec<ButtonSet>>,
    quarantined: Vec<(SafeModelId, ButtonSet)>,
    rules: CodeRules,
    policy: WavePolicy,
}

impl Fixture {
    fn new(safes: Vec<CampaignSafe>, models: BTreeMap<SafeModelId, SafeModel>) -> Self {
        Fixture {
            safes,
            models,
            outside: BTreeMap::new(),
            quarantined: Vec::new(),
            rules: CodeRules::default(),
            policy: WavePolicy::default(),
        }
    }

    fn plan(&self, seed: u64) -> Result<CampaignPlan, DomainError> {
        let input = CampaignInput {
            safes: &self.safes,
            models: &self.models,
            outside_in_use: &self.outside,
            quarantined: &self.quarantined,
            rules: &self.rules,
            policy: &self.policy,
        };
        plan_campaign(&input, &mut SeededRandom::new(seed))
    }

    /// Every invariant a plan must keep; panics with a reason otherwise.
    fn check(&self, plan: &CampaignPlan) {
        // Every safe exactly once, wave indices 1.., codes only in wave 1.
        let mut seen = BTreeSet::new();
        for (k, wave) in plan.waves.iter().enumerate() {
            assert_eq!(wave.index as usize, k + 1);
            assert!(
                k == 0 || wave.assignments.is_empty(),
                "codes only in wave 1"
            );
            assert!(!wave.safes().is_empty(), "no empty waves");
            for s in wave.safes() {
                assert!(seen.insert(s), "safe planned twice");
            }
        }
        let all: BTreeSet<SafeId> = self.safes.iter().map(|s| s.safe).collect();
        assert_eq!(seen, all, "every safe is planned");

        let Some(first) = plan.waves.first() else {
            return;
        };
        let by_id: BTreeMap<SafeId, &CampaignSafe> =
            self.safes.iter().map(|s| (s.safe, s)).collect();
        for (i, a) in first.assignments.iter().enumerate() {
            let safe = by_id[&a.safe];
            assert_eq!(a.model, safe.model);
            let model = &self.models[&a.model];
            model.check_code(&a.new_code).unwrap();
            assert!(!is_arithmetic_run(&a.new_code), "no runs");
            let h = &safe.history;
            let recent = &h[h.len().saturating_sub(self.rules.history_to_avoid)..];
            assert!(!recent.contains(&a.new_code), "not from the safe's history");
            let blocked = self
                .safes
                .iter()
                .filter(|s| s.model == a.model)
                .filter_map(|s| s.current.as_ref())
                .chain(self.outside.get(&a.model).into_iter().flatten())
                .chain(
                    self.quarantined
                        .iter()
                        .filter(|(m, _)| *m == a.model)
                        .map(|(_, c)| c),
                )
                .chain(
                    first
                        .assignments
                        .iter()
                        .enumerate()
                        .filter(|(j, b)| *j != i && b.model == a.model)
                        .map(|(_, b)| &b.new_code),
                );
            for other in blocked {
                assert!(
                    a.new_code.distance(other) >= 2,
                    "a planned code is a press away from a code in use"
                );
            }
        }
    }
}

#[test]
fn campaign_full_rotation_of_220_supra_safes_needs_waves_and_says_why() {
    let f = Fixture::new(registry(&supra_keysafe_pro(SUPRA), 220, 1), supra_models());
    let plan = f.plan(2).unwrap();
    f.check(&plan);
    assert!(plan.waves.len() > 1, "440 codes do not fit in 408");
    // 408 usable minus 220 current codes leaves room for 188 pending codes.
    assert_eq!(plan.waves[0].assignments.len(), 188);
    assert_eq!(plan.waves[1].deferred.len(), 32);
    assert!(plan.waves[1].after_quarantine);
    let w = &plan.warnings[0];
    assert_eq!((w.in_use, w.usable, w.needed, w.waves), (220, 408, 220, 2));
    assert_eq!(w.pressure, SpacePressure::Waves);
}

#[test]
fn campaign_100_supra_safes_fit_in_one_wave() {
    let f = Fixture::new(registry(&supra_keysafe_pro(SUPRA), 100, 3), supra_models());
    let plan = f.plan(4).unwrap();
    f.check(&plan);
    assert_eq!(plan.waves.len(), 1);
    assert_eq!(plan.waves[0].assignments.len(), 100);
    assert!(plan.warnings.is_empty(), "200 of 408 is no reason to warn");
}

#[test]
fn campaign_warns_above_80_percent_even_when_it_fits() {
    // 170 current + 170 new = 340 of 408 (83%): one wave, but a warning with the numbers.
    let f = Fixture::new(registry(&supra_keysafe_pro(SUPRA), 170, 5), supra_models());
    let plan = f.plan(6).unwrap();
    f.check(&plan);
    assert_eq!(plan.waves.len(), 1);
    let w = &plan.warnings[0];
    assert_eq!((w.in_use, w.usable, w.needed, w.waves), (170, 408, 170, 1));
    assert_eq!(w.pressure, SpacePressure::NearlyFull);
}

#[test]
fn campaign_avoids_outside_quarantined_and_history_codes() {
    let model = supra_keysafe_pro(SUPRA);
    let mut rng = SeededRandom::new(7);
    let taken = generate_codes_for(&model, 150, &[], &CodeRules::default(), &mut rng).unwrap();
    let mut safes = registry(&model, 0, 0);
    for (i, chunk) in taken[..60].chunks(3).enumerate() {
        // Current code plus two older ones in the history.
        safes.push(CampaignSafe {
            safe: safe_id(i),
            model: SUPRA,
            current: Some(chunk[0].clone()),
            history: vec![chunk[1].clone(), chunk[2].clone()],
            street: "Sleepstraat".into(),
            numbers_first: i as u32,
            district: "Muide".into(),
        });
    }
    let mut f = Fixture::new(safes, supra_models());
    f.outside.insert(SUPRA, taken[60..120].to_vec());
    f.quarantined = taken[120..].iter().map(|c| (SUPRA, c.clone())).collect();
    for seed in 0..5 {
        let plan = f.plan(seed).unwrap();
        f.check(&plan);
        assert_eq!(plan.waves.len(), 1);
    }
}

#[test]
fn campaign_without_room_for_one_code_is_an_explicit_error() {
    let tiny = tiny_model();
    // Fill the tiny space completely with codes in use, then ask for one more code.
    let mut rng = SeededRandom::new(8);
    let full = generate_codes_for(&tiny, 22, &[], &CodeRules::default(), &mut rng).unwrap();
    let safes = registry(&tiny, 1, 9);
    let mut f = Fixture::new(safes, BTreeMap::from([(TINY, tiny)]));
    f.outside.insert(TINY, full);
    match f.plan(10) {
        Err(DomainError::CodeSpaceExhausted { model, usable, .. }) => {
            assert_eq!(model, "Tiny");
            assert_eq!(usable, 22);
        }
        other => panic!("expected CodeSpaceExhausted, got {other:?}"),
    }
}

#[test]
fn campaign_unknown_model_is_an_error() {
    let safes = registry(&supra_keysafe_pro(SUPRA), 3, 11);
    let f = Fixture::new(safes, BTreeMap::new());
    assert!(matches!(f.plan(1), Err(DomainError::UnknownValue { .. })));
}

#[test]
fn campaign_wave_size_policy_and_reserve() {
    let mut f = Fixture::new(registry(&supra_keysafe_pro(SUPRA), 100, 12), supra_models());
    f.policy.max_wave_size = Some(40);
    let plan = f.plan(13).unwrap();
    f.check(&plan);
    let sizes: Vec<usize> = plan.waves.iter().map(|w| w.safes().len()).collect();
    assert_eq!(sizes, vec![40, 40, 20]);
    assert!(
        plan.waves.iter().all(|w| !w.after_quarantine),
        "volunteers, not space"
    );
    assert!(plan.warnings.is_empty());

    // Keeping 50 codes free for urgent changes: 408 - 220 - 50 = 138 in wave 1.
    let mut f = Fixture::new(registry(&supra_keysafe_pro(SUPRA), 220, 14), supra_models());
    f.policy.reserve_per_model = 50;
    let plan = f.plan(15).unwrap();
    f.check(&plan);
    assert_eq!(plan.waves[0].assignments.len(), 138);
}

#[test]
fn campaign_empty_and_single_urgent_change() {
    let f = Fixture::new(Vec::new(), supra_models());
    assert!(f.plan(1).unwrap().waves.is_empty());
    let mut safes = registry(&supra_keysafe_pro(SUPRA), 200, 16);
    let outside: Vec<ButtonSet> = safes[1..]
        .iter()
        .filter_map(|s| s.current.clone())
        .collect();
    safes.truncate(1);
    let mut f = Fixture::new(safes, supra_models());
    f.outside.insert(SUPRA, outside);
    let plan = f.plan(17).unwrap();
    f.check(&plan);
    assert_eq!(plan.waves[0].assignments.len(), 1);
}

#[test]
fn campaign_same_seed_same_plan() {
    let f = Fixture::new(registry(&supra_keysafe_pro(SUPRA), 220, 18), supra_models());
    assert_eq!(f.plan(19).unwrap(), f.plan(19).unwrap());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Random registries up to the space's limit: whenever planning succeeds, every invariant
    /// holds; when it fails, it fails with CodeSpaceExhausted, never with a weak code.
    #[test]
    fn campaign_invariants_hold_over_random_registries(
        tiny in any::<bool>(),
        fill in 0.0f64..1.0,
        share in 0.0f64..1.0,
        quarantine in 0usize..20,
        history in 0usize..6,
        seed in any::<u64>(),
    ) {
        let model = if tiny { tiny_model() } else { supra_keysafe_pro(SUPRA) };
        let usable = if tiny { 22 } else { 408 };
        let total = ((usable as f64) * fill) as usize;
        let mut rng = SeededRandom::new(seed);
        let codes = generate_codes_for(&model, total, &[], &CodeRules::default(), &mut rng).unwrap();
        let in_campaign = ((total as f64) * share) as usize;
        // Histories and quarantined codes are any valid codes of the model, even weak-looking.
        let space = generate_codes_for(
            &model, if tiny { 16 } else { 300 }, &[],
            &CodeRules { min_distance: 1, history_to_avoid: 0 }, &mut rng,
        ).unwrap_or_default();
        let pick = |k: usize| space[(seed as usize).wrapping_add(k * 31) % space.len().max(1)].clone();
        let safes: Vec<CampaignSafe> = codes[..in_campaign].iter().enumerate().map(|(i, c)| {
            CampaignSafe {
                safe: safe_id(i),
                model: model.id,
                current: (i % 7 != 3).then(|| c.clone()),
                history: (0..history).map(|k| pick(i * 5 + k)).collect(),
                street: format!("Straat {}", i % 5),
                numbers_first: i as u32,
                district: "Wijk".into(),
            }
        }).collect();
        let id = model.id;
        let mut f = Fixture::new(safes, BTreeMap::from([(id, model)]));
        f.outside.insert(id, codes[in_campaign..].to_vec());
        if !space.is_empty() {
            f.quarantined = (0..quarantine).map(|k| (id, pick(1000 + k))).collect();
        }
        match f.plan(seed ^ 0x5eed) {
            Ok(plan) => f.check(&plan),
            Err(e) => prop_assert!(
                matches!(e, DomainError::CodeSpaceExhausted { .. }),
                "unexpected error {e:?}"
            ),
        }
    }
}

#[test]
fn campaign_never_hands_back_a_code_from_the_safes_history() {
    let tiny = tiny_model();
    for seed in 0..20 {
        let mut rng = SeededRandom::new(seed);
        let full = generate_codes_for(&tiny, 22, &[], &CodeRules::default(), &mut rng).unwrap();
        let mut safes = registry(&tiny, 1, 0);
        safes[0].current = None;
        safes[0].history = vec![full[20].clone()];
        let mut f = Fixture::new(safes, BTreeMap::from([(TINY, tiny.clone())]));
        f.outside.insert(TINY, full[..20].to_vec());
        let plan = f.plan(seed + 100).unwrap();
        f.check(&plan);
        assert_ne!(plan.waves[0].assignments[0].new_code, full[20]);
    }
}
