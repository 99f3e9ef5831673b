//! Planning one wave and writing it: the models in turn through the domain planner, pending
//! codes sealed, rounds by district and street, waiting items for the later waves.

use std::collections::{BTreeMap, HashMap, HashSet};

use kluis_crypto::SecretKey;
use kluis_domain::campaign::{
    CampaignInput, CampaignSafe, WavePolicy, plan_campaign, split_into_rounds,
};
use kluis_domain::codegen::CodeRules;
use kluis_domain::ids::{CampaignId, CodeId, RoundId, SafeId, SafeModelId};
use kluis_domain::model::{CampaignKind, Code, CodeState};
use kluis_domain::rng::RandomSource;
use kluis_domain::safe_model::ButtonSet;
use kluis_domain::time::Timestamp;
use rusqlite::{Connection, params};

use super::{Planned, RoundOut, SafeRow, WaveOut, all_codes, blocking, space_warning_out};
use crate::db::registry;
use crate::db::settings::LifecycleSettings;
use crate::error::ServerError;

/// Plans `safes` and writes the outcome: pending codes, open items in new rounds for the first
/// wave of the plan (numbered `first_wave`), waiting items for the later ones.
#[allow(clippy::too_many_arguments)]
pub(super) fn plan_and_store(
    conn: &Connection,
    key: &SecretKey,
    settings: &LifecycleSettings,
    campaign: CampaignId,
    kind: CampaignKind,
    campaign_name: &str,
    first_wave: u32,
    safes: &[&SafeRow],
    now: Timestamp,
    rng: &mut dyn RandomSource,
) -> Result<Planned, ServerError> {
    let models = registry::models(conn)?;
    let codes = all_codes(conn, key)?;
    let quarantine_start = now.plus_days(-i64::from(settings.quarantine_days)).millis();
    let mut history: HashMap<SafeId, Vec<ButtonSet>> = HashMap::new();
    let mut current: HashMap<SafeId, ButtonSet> = HashMap::new();
    for c in &codes {
        history.entry(c.safe).or_default().push(c.value.clone());
        if c.state == CodeState::Current {
            current.insert(c.safe, c.value.clone());
        }
    }
    let campaign_safes: Vec<CampaignSafe> = safes
        .iter()
        .map(|s| CampaignSafe {
            safe: s.id,
            model: s.model,
            current: current.get(&s.id).cloned(),
            history: history.get(&s.id).cloned().unwrap_or_default(),
            street: s.street.clone(),
            numbers_first: s.numbers.first(),
            district: s.district.clone(),
        })
        .collect();
    let policy = WavePolicy {
        max_wave_size: None,
        reserve_per_model: match kind {
            CampaignKind::Rotation => settings.reserve_per_model as usize,
            CampaignKind::Urgent => 0,
        },
    };
    let rules = CodeRules::default();

    // Every model in turn; what earlier models drew counts as in use for the later ones.
    let mut drawn: Vec<(SafeId, ButtonSet)> = Vec::new();
    let mut waves: BTreeMap<u32, (Vec<SafeId>, bool)> = BTreeMap::new();
    let mut warnings = Vec::new();
    let mut by_model: BTreeMap<SafeModelId, Vec<CampaignSafe>> = BTreeMap::new();
    for s in &campaign_safes {
        by_model.entry(s.model).or_default().push(s.clone());
    }
    for (model, ours) in &by_model {
        let ours_ids: HashSet<SafeId> = ours.iter().map(|s| s.safe).collect();
        let outside: Vec<ButtonSet> = blocking(&codes, quarantine_start)
            .filter(|c| !(c.state == CodeState::Current && ours_ids.contains(&c.safe)))
            .map(|c| c.value.clone())
            .chain(drawn.iter().map(|(_, c)| c.clone()))
            .collect();
        let outside_in_use = BTreeMap::from([(*model, outside)]);
        let plan = plan_campaign(
            &CampaignInput {
                safes: ours,
                models: &models,
                outside_in_use: &outside_in_use,
                quarantined: &[],
                rules: &rules,
                policy: &policy,
            },
            rng,
        )
        .map_err(ServerError::Domain)?;
        for wave in &plan.waves {
            let entry = waves
                .entry(first_wave + wave.index - 1)
                .or_insert((Vec::new(), false));
            entry.0.extend(wave.safes());
            entry.1 |= wave.after_quarantine;
            drawn.extend(
                wave.assignments
                    .iter()
                    .map(|a| (a.safe, a.new_code.clone())),
            );
        }
        warnings.extend(plan.warnings.iter().map(|w| {
            let name = models.get(&w.model).map_or("", |m| m.name.as_str());
            space_warning_out(w, name)
        }));
    }

    // Pending codes and rounds for the wave that starts now.
    let drawn_for: HashMap<SafeId, &ButtonSet> = drawn.iter().map(|(id, c)| (*id, c)).collect();
    let rows: HashMap<SafeId, &SafeRow> = safes.iter().map(|s| (s.id, *s)).collect();
    let starting: Vec<&CampaignSafe> = campaign_safes
        .iter()
        .filter(|s| drawn_for.contains_key(&s.safe))
        .collect();
    let (mut ordinal, mut per_district) = round_counters(conn, campaign)?;
    let mut rounds_out = Vec::new();
    for round in split_into_rounds(starting, settings.max_round_size as usize) {
        ordinal += 1;
        let n = per_district.entry(round.district.clone()).or_insert(0);
        *n += 1;
        let name = match kind {
            CampaignKind::Urgent => campaign_name.to_string(),
            CampaignKind::Rotation => format!("{} {n}", round.district),
        };
        let round_id = RoundId::random(rng);
        conn.prepare_cached(
            "INSERT INTO rounds (id, campaign_id, name, ordinal, district, wave) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(
            params![round_id.to_string(), campaign.to_string(), name, ordinal, round.district, first_wave],
        )?;
        let mut streets: Vec<String> = Vec::new();
        for (pos, safe) in round.safes.iter().enumerate() {
            let Some(&value) = drawn_for.get(safe) else {
                continue;
            };
            let code = Code {
                id: CodeId::random(rng),
                safe: *safe,
                value: value.clone(),
                state: CodeState::Pending,
                created_at: now,
                activated_at: None,
                retired_at: None,
            };
            registry::insert_code(conn, key, &code)?;
            upsert_item(
                conn,
                campaign,
                *safe,
                Some(round_id),
                i64::try_from(pos + 1).unwrap_or(i64::MAX),
                Some(code.id),
                first_wave,
            )?;
            if let Some(s) = rows.get(safe)
                && !streets.contains(&s.street)
            {
                streets.push(s.street.clone());
            }
        }
        rounds_out.push(RoundOut {
            id: round_id,
            name,
            ordinal,
            district: round.district.clone(),
            wave: first_wave,
            safes: round.safes.len() as u64,
            streets,
        });
    }
    for (&wave, (ids, _)) in waves.range(first_wave + 1..) {
        for id in ids {
            upsert_item(conn, campaign, *id, None, 0, None, wave)?;
        }
    }

    let waves_out: Vec<WaveOut> = waves
        .iter()
        .map(|(&wave, (ids, after))| WaveOut {
            wave,
            safes: ids.len() as u64,
            with_codes: if wave == first_wave {
                drawn.len() as u64
            } else {
                0
            },
            after_quarantine: *after,
        })
        .collect();
    Ok(Planned {
        waves: waves_out,
        rounds: rounds_out,
        code_space: warnings,
        quarantine_days: settings.quarantine_days,
    })
}

/// The highest round ordinal so far and the rounds per district, so names go on counting.
fn round_counters(
    conn: &Connection,
    campaign: CampaignId,
) -> Result<(u32, HashMap<String, u32>), ServerError> {
    let mut stmt = conn.prepare("SELECT ordinal, district FROM rounds WHERE campaign_id = ?1")?;
    let mut max = 0;
    let mut per = HashMap::new();
    for row in stmt.query_map([campaign.to_string()], |r| {
        Ok((r.get::<_, u32>(0)?, r.get::<_, String>(1)?))
    })? {
        let (ordinal, district) = row?;
        max = max.max(ordinal);
        *per.entry(district).or_insert(0) += 1;
    }
    Ok((max, per))
}

fn upsert_item(
    conn: &Connection,
    campaign: CampaignId,
    safe: SafeId,
    round: Option<RoundId>,
    order: i64,
    code: Option<CodeId>,
    wave: u32,
) -> Result<(), ServerError> {
    let status = if code.is_some() { "open" } else { "waiting" };
    conn.prepare_cached(
        "INSERT INTO campaign_items (campaign_id, safe_id, round_id, route_order, pending_code_id, wave, status)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (campaign_id, safe_id) DO UPDATE SET round_id = excluded.round_id,
           route_order = excluded.route_order, pending_code_id = excluded.pending_code_id,
           wave = excluded.wave, status = excluded.status",
    )?
    .execute(params![
            campaign.to_string(),
            safe.to_string(),
            round.map(|r| r.to_string()),
            order,
            code.map(|c| c.to_string()),
            wave,
            status
        ],
    )?;
    Ok(())
}
