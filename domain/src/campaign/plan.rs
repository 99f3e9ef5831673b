//! Wave planning; the model is described in the parent module.

use std::collections::{BTreeMap, BTreeSet};

use super::{
    Assignment, CampaignInput, CampaignPlan, CampaignSafe, SpacePressure, SpaceWarning, Wave,
};
use crate::codegen::{CodeRules, code_space_usage, generate_code, generate_codes_for};
use crate::error::DomainError;
use crate::ids::SafeModelId;
use crate::rng::RandomSource;
use crate::safe_model::{ButtonSet, SafeModel};

/// Above this share of the usable family the coordinator is warned even if everything fits:
/// the next leaks or new safes may then have no code left.
const WARN_PERCENT: usize = 80;

/// One model's part of the planning.
struct ModelPlan<'a> {
    model: &'a SafeModel,
    /// Codes outside the campaign and quarantined codes: blocked for every wave.
    fixed: Vec<ButtonSet>,
    /// Distinct codes blocked at the start, for the coordinator's numbers.
    in_use_at_start: usize,
    needed: usize,
    waves: usize,
    /// Whether some wave was cut short by the code space (not by the policy).
    space_limited: bool,
}

/// Plans a campaign: wave 1 with new codes, later waves as safe lists, and warnings.
///
/// Every new code passes the generator's rules ([`generate_code`]): valid for the model, no run,
/// at least `rules.min_distance` buttons from every code blocked for its wave (see the module
/// docs) and from the other new codes, and not in the safe's recent history. Fails with
/// [`DomainError::UnknownValue`] for a safe whose model is not given, and with
/// [`DomainError::CodeSpaceExhausted`] when some model cannot fit even one more code.
pub fn plan_campaign(
    input: &CampaignInput<'_>,
    rng: &mut dyn RandomSource,
) -> Result<CampaignPlan, DomainError> {
    let safes = input.safes;
    let mut models: BTreeMap<SafeModelId, ModelPlan<'_>> = BTreeMap::new();
    for s in safes {
        if models.contains_key(&s.model) {
            continue;
        }
        let Some(model) = input.models.get(&s.model) else {
            return Err(DomainError::UnknownValue {
                kind: "safe model".into(),
                value: s.model.to_string(),
            });
        };
        let mut fixed: Vec<ButtonSet> = input
            .outside_in_use
            .get(&s.model)
            .cloned()
            .unwrap_or_default();
        fixed.extend(
            input
                .quarantined
                .iter()
                .filter(|(m, _)| *m == s.model)
                .map(|(_, c)| c.clone()),
        );
        models.insert(
            s.model,
            ModelPlan {
                model,
                fixed,
                in_use_at_start: 0,
                needed: 0,
                waves: 0,
                space_limited: false,
            },
        );
    }
    for (id, mp) in models.iter_mut() {
        let ours = safes.iter().filter(|s| s.model == *id);
        let distinct: BTreeSet<&ButtonSet> = mp
            .fixed
            .iter()
            .chain(ours.clone().filter_map(|s| s.current.as_ref()))
            .collect();
        mp.in_use_at_start = distinct.len();
        mp.needed = ours.count();
    }

    // Route order, safes that still have their factory default first (see module docs).
    let mut remaining: Vec<usize> = (0..safes.len()).collect();
    remaining.sort_by_key(|&i| (safes[i].current.is_some(), safes[i].route_key()));
    // The code each safe holds at the point of the dry run: its current code, then its new one.
    let mut holding: Vec<Option<ButtonSet>> = safes.iter().map(|s| s.current.clone()).collect();

    let mut waves = Vec::new();
    let mut previous_space_limited = false;
    while !remaining.is_empty() {
        let index = u32::try_from(waves.len() + 1).unwrap_or(u32::MAX);
        let wave_limit = input.policy.max_wave_size.unwrap_or(usize::MAX).max(1);
        // Draw per model as many codes as could be used, plus the reserve.
        let mut drawn: BTreeMap<SafeModelId, (Vec<ButtonSet>, Vec<ButtonSet>)> = BTreeMap::new();
        let mut wave_space_limited = false;
        for (id, mp) in models.iter_mut() {
            let left = remaining.iter().filter(|&&i| safes[i].model == *id).count();
            if left == 0 {
                continue;
            }
            let mut in_use = mp.fixed.clone();
            in_use.extend(
                (0..safes.len())
                    .filter(|&i| safes[i].model == *id)
                    .filter_map(|i| holding[i].clone()),
            );
            let target = left.min(wave_limit);
            let codes = greedy_fill(
                mp.model,
                &in_use,
                target.saturating_add(input.policy.reserve_per_model),
                input.rules,
                rng,
            )?;
            if codes.len().saturating_sub(input.policy.reserve_per_model) < target {
                mp.space_limited = true;
                wave_space_limited = true;
            }
            drawn.insert(*id, (codes, in_use));
        }
        let capacity = |id: &SafeModelId| {
            drawn.get(id).map_or(0, |(codes, _)| {
                codes.len().saturating_sub(input.policy.reserve_per_model)
            })
        };
        // Fill the wave in route order while the model has room and the wave is not full.
        let mut taken: BTreeMap<SafeModelId, Vec<usize>> = BTreeMap::new();
        let mut total = 0;
        for &i in &remaining {
            if total >= wave_limit {
                break;
            }
            let list = taken.entry(safes[i].model).or_default();
            if list.len() < capacity(&safes[i].model) {
                list.push(i);
                total += 1;
            }
        }
        let mut wave = Wave {
            index,
            assignments: Vec::new(),
            deferred: Vec::new(),
            after_quarantine: index > 1 && previous_space_limited,
        };
        let mut placed: BTreeSet<usize> = BTreeSet::new();
        for (id, list) in &taken {
            let Some((codes, in_use)) = drawn.get(id) else {
                continue;
            };
            let Some(mp) = models.get(id) else { continue };
            if index == 1 {
                let given = assign_avoiding_history(
                    mp.model,
                    list,
                    codes,
                    in_use,
                    safes,
                    input.rules,
                    rng,
                )?;
                for (&i, code) in list.iter().zip(given) {
                    let Some(code) = code else { continue };
                    wave.assignments.push(Assignment {
                        safe: safes[i].safe,
                        model: *id,
                        new_code: code.clone(),
                    });
                    holding[i] = Some(code);
                    placed.insert(i);
                }
            } else {
                // Dry run: these codes stand in for the ones drawn when the wave starts.
                for (&i, code) in list.iter().zip(codes) {
                    wave.deferred.push(safes[i].safe);
                    holding[i] = Some(code.clone());
                    placed.insert(i);
                }
            }
        }
        if placed.is_empty() {
            return Err(exhausted(&models, &drawn, &remaining, safes));
        }
        previous_space_limited = wave_space_limited;
        remaining.retain(|i| !placed.contains(i));
        for id in taken.keys() {
            if let Some(mp) = models.get_mut(id) {
                mp.waves += 1;
            }
        }
        // Keep route order inside the wave, whatever the model loop did.
        let order = |id: &crate::ids::SafeId| {
            safes
                .iter()
                .find(|s| s.safe == *id)
                .map(|s| (s.current.is_some(), s.route_key()))
        };
        wave.assignments.sort_by_cached_key(|a| order(&a.safe));
        wave.deferred.sort_by_cached_key(order);
        waves.push(wave);
    }

    let warnings = models
        .iter()
        .filter_map(|(id, mp)| warning(*id, mp))
        .collect();
    Ok(CampaignPlan { waves, warnings })
}

/// Up to `target` codes, pairwise compatible and compatible with `in_use`, as the generator
/// draws them; fewer when the space runs out. Drawing is the real test of what fits: the count
/// of remaining candidates is only a lower bound when codes sit in both parity classes.
fn greedy_fill(
    model: &SafeModel,
    in_use: &[ButtonSet],
    target: usize,
    rules: &CodeRules,
    rng: &mut dyn RandomSource,
) -> Result<Vec<ButtonSet>, DomainError> {
    let mut codes = Vec::new();
    if target == 0 {
        return Ok(codes);
    }
    // Under distance <= 2 the remaining candidates of one class are pairwise compatible, so that
    // many draws always succeed: one bulk call instead of rebuilding the space per code.
    if rules.min_distance <= 2 {
        let sure = usize::try_from(code_space_usage(model, in_use).remaining_candidates)
            .unwrap_or(usize::MAX)
            .min(target);
        if sure > 0 {
            match generate_codes_for(model, sure, in_use, rules, rng) {
                Ok(c) => codes = c,
                Err(DomainError::CodeSpaceExhausted { .. }) => {}
                Err(e) => return Err(e),
            }
        }
    }
    let mut all = in_use.to_vec();
    all.extend(codes.iter().cloned());
    while codes.len() < target {
        match generate_code(model, &all, &[], rules, rng) {
            Ok(c) => {
                all.push(c.clone());
                codes.push(c);
            }
            Err(DomainError::CodeSpaceExhausted { .. }) => break,
            Err(e) => return Err(e),
        }
    }
    Ok(codes)
}

/// Gives the safes at `list` the drawn `codes` so no safe gets a code from its own recent
/// history: swap with another safe or a spare code, else draw one with the history; a safe
/// for which nothing is left gets `None` and moves to a later wave.
fn assign_avoiding_history(
    model: &SafeModel,
    list: &[usize],
    codes: &[ButtonSet],
    in_use: &[ButtonSet],
    safes: &[CampaignSafe],
    rules: &CodeRules,
    rng: &mut dyn RandomSource,
) -> Result<Vec<Option<ButtonSet>>, DomainError> {
    let recent = |i: usize| {
        let h = &safes[i].history;
        &h[h.len().saturating_sub(rules.history_to_avoid)..]
    };
    let mut pool: Vec<Option<ButtonSet>> = codes.iter().cloned().map(Some).collect();
    for k in 0..list.len() {
        let mine = recent(list[k]);
        let clash = |c: &Option<ButtonSet>| c.as_ref().is_none_or(|c| mine.contains(c));
        if !clash(&pool[k]) {
            continue;
        }
        let partner = (0..pool.len()).find(|&j| {
            j != k
                && !clash(&pool[j])
                && (j >= list.len()
                    || pool[k]
                        .as_ref()
                        .is_some_and(|c| !recent(list[j]).contains(c)))
        });
        if let Some(j) = partner {
            pool.swap(k, j);
            continue;
        }
        let mut others = in_use.to_vec();
        others.extend(
            pool.iter()
                .enumerate()
                .filter(|(j, _)| *j != k)
                .filter_map(|(_, c)| c.clone()),
        );
        pool[k] = match generate_code(model, &others, &safes[list[k]].history, rules, rng) {
            Ok(c) => Some(c),
            Err(DomainError::CodeSpaceExhausted { .. }) => None,
            Err(e) => return Err(e),
        };
    }
    pool.truncate(list.len());
    Ok(pool)
}

/// The error for a wave that could not take a single safe, naming the first model stuck.
fn exhausted(
    models: &BTreeMap<SafeModelId, ModelPlan<'_>>,
    drawn: &BTreeMap<SafeModelId, (Vec<ButtonSet>, Vec<ButtonSet>)>,
    remaining: &[usize],
    safes: &[CampaignSafe],
) -> DomainError {
    let full = |id: &SafeModelId| drawn.get(id).is_some_and(|(codes, _)| codes.is_empty());
    let mut order: Vec<SafeModelId> = remaining.iter().map(|&i| safes[i].model).collect();
    // A model with no code left at all is the clearest culprit to name.
    order.sort_by_key(|id| !full(id));
    let stuck = order.into_iter().find_map(|id| {
        let mp = models.get(&id)?;
        let (_, in_use) = drawn.get(&id)?;
        let distinct: BTreeSet<&ButtonSet> = in_use.iter().collect();
        Some((mp.model, distinct.len()))
    });
    match stuck {
        Some((model, in_use)) => DomainError::CodeSpaceExhausted {
            model: model.name.clone(),
            in_use,
            usable: usize::try_from(code_space_usage(model, &[]).usable).unwrap_or(usize::MAX),
        },
        // Unreachable with a non-empty `remaining`, but an error beats a panic.
        None => DomainError::CodeSpaceExhausted {
            model: String::new(),
            in_use: 0,
            usable: 0,
        },
    }
}

/// The coordinator's warning for one model, if its space forces waves or is nearly full.
fn warning(id: SafeModelId, mp: &ModelPlan<'_>) -> Option<SpaceWarning> {
    let usable = code_space_usage(mp.model, &[]).usable;
    let usable_n = usize::try_from(usable).unwrap_or(usize::MAX);
    let peak = mp.in_use_at_start + mp.needed;
    let nearly_full = peak.saturating_mul(100) > usable_n.saturating_mul(WARN_PERCENT);
    if !mp.space_limited && !nearly_full {
        return None;
    }
    let (in_use, needed, waves) = (mp.in_use_at_start, mp.needed, mp.waves);
    let pressure = if mp.space_limited {
        SpacePressure::Waves
    } else {
        SpacePressure::NearlyFull
    };
    Some(SpaceWarning {
        model: id,
        pressure,
        in_use,
        usable,
        needed,
        waves,
    })
}
