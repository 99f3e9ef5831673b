//! How long planning a rotation campaign takes: a full rotation of 200 Supra safes, and of
//! 5,000 safes spread over a model table big enough to hold them. Prints figures and asserts
//! nothing about speed. `cargo bench -p kluis-domain --bench campaign` gives the full figures;
//! without `--bench` (as under `cargo test --all-targets`) it only checks that the code runs.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use kluis_domain::campaign::{CampaignInput, CampaignSafe, WavePolicy, plan_campaign};
use kluis_domain::codegen::{CodeRules, generate_codes_for};
use kluis_domain::ids::{SafeId, SafeModelId};
use kluis_domain::rng::SeededRandom;
use kluis_domain::safe_model::{
    ButtonSet, ModelKind, SafeModel, supra_keysafe_pro, supra_keysafe_pro_bigbox,
};

fn model_id(i: u8) -> SafeModelId {
    SafeModelId::from_bytes([i; 16])
}

/// A keypad model; the model table is data, so a city can add bigger keypads.
fn keypad(id: SafeModelId, name: &str, buttons: &str, min_len: u8, max_len: u8) -> SafeModel {
    SafeModel {
        id,
        name: name.into(),
        kind: ModelKind::PushButton {
            buttons: buttons.chars().collect(),
            min_len,
            max_len,
        },
        factory_default: None,
    }
}

/// `n` safes of `model`, all with a current code, numbered from `first`.
fn safes(model: &SafeModel, n: usize, first: usize, rng: &mut SeededRandom) -> Vec<CampaignSafe> {
    let codes: Vec<ButtonSet> =
        generate_codes_for(model, n, &[], &CodeRules::default(), rng).unwrap_or_default();
    codes
        .into_iter()
        .enumerate()
        .map(|(k, c)| {
            let i = first + k;
            let mut id = [0u8; 16];
            id[..8].copy_from_slice(&(i as u64).to_le_bytes());
            CampaignSafe {
                safe: SafeId::from_bytes(id),
                model: model.id,
                current: Some(c),
                history: Vec::new(),
                street: format!("Straat {}", i % 400),
                numbers_first: (i % 97) as u32,
                district: format!("Wijk {}", i % 25),
            }
        })
        .collect()
}

fn run(label: &str, table: &[(SafeModel, usize)], reps: u32) {
    let mut rng = SeededRandom::new(42);
    let mut all = Vec::new();
    let mut models = BTreeMap::new();
    for (model, n) in table {
        all.extend(safes(model, *n, all.len(), &mut rng));
        models.insert(model.id, model.clone());
    }
    let (outside, rules, policy) = (BTreeMap::new(), CodeRules::default(), WavePolicy::default());
    let input = CampaignInput {
        safes: &all,
        models: &models,
        outside_in_use: &outside,
        quarantined: &[],
        rules: &rules,
        policy: &policy,
    };
    let mut best = Duration::MAX;
    let mut waves = 0;
    for rep in 0..reps {
        let start = Instant::now();
        let plan = plan_campaign(black_box(&input), &mut SeededRandom::new(u64::from(rep)));
        best = best.min(start.elapsed());
        waves = plan.map(|p| p.waves.len()).unwrap_or(0);
    }
    println!(
        "{label}: {} safes over {} models, {waves} wave(s): best of {reps} {:.1} ms",
        all.len(),
        models.len(),
        best.as_secs_f64() * 1e3
    );
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let reps = if full { 5 } else { 1 };
    let pro = supra_keysafe_pro(model_id(1));
    let bigbox = supra_keysafe_pro_bigbox(model_id(2));
    run(
        "full rotation, Supra",
        &[(pro.clone(), 120), (bigbox.clone(), 80)],
        reps,
    );
    if !full {
        return;
    }
    // 5,000 safes need a bigger model table: 12-button keypads (codes of 4-7, ~1,500 usable
    // each) carry most, a 16-button keypad (codes of 5-8, ~20,800 usable) some more.
    let mut table = vec![(pro, 200), (bigbox, 200)];
    for i in 0..8u8 {
        let m = keypad(
            model_id(10 + i),
            &format!("Keypad 12-{i}"),
            "1234567890AB",
            4,
            7,
        );
        table.push((m, 500));
    }
    table.push((
        keypad(model_id(30), "Keypad 16", "1234567890ABCDEF", 5, 8),
        600,
    ));
    run("full rotation, 5,000 safes", &table, reps);
}
