//! Campaigns: new codes for a selection of safes, planned in waves by
//! [`kluis_domain::campaign::plan_campaign`], stored as sealed *pending* codes, and split into
//! volunteer rounds. Carers never see a pending code: [`super::scope_view::scope_view`] reads
//! only current and previous codes.
//!
//! Codes must stay 2 buttons apart across *all* safes (the existing rule of
//! [`crate::api::admin::rotate_now`] and the demo), not only within one model: the Supra Pro
//! and the Bigbox have the same lock. The planner plans each model on its own, so models are
//! planned one after another, each seeing the other models' codes (current, pending, and the
//! new codes already drawn) as codes outside the campaign.
//!
//! Only the first wave gets codes when a campaign is created. Later waves wait (`waiting`
//! items, no code, no round) until the coordinator starts the next wave
//! ([`start_next_wave`]); by then wave 1's old codes may have left quarantine and the plan is
//! made afresh on the registry as it is then.

use std::collections::HashMap;

use kluis_crypto::SecretKey;
use kluis_domain::campaign::SpaceWarning;
use kluis_domain::ids::{CampaignId, CodeId, OrgId, PersonId, SafeId, SafeModelId};
use kluis_domain::model::{CampaignKind, CodeState, HouseNumbers, SafeStatus};
use kluis_domain::rng::RandomSource;
use kluis_domain::safe_model::ButtonSet;
use kluis_domain::time::{Date, Timestamp};

use crate::error::{Field, Problem};

/// Characters in a campaign's name.
const MAX_NAME_CHARS: u32 = 120;
use rusqlite::{Connection, OptionalExtension, params};

use super::column::col;
use super::registry::{open_code, parse_col};
use super::settings::LifecycleSettings;
use crate::error::ServerError;

mod plan;
pub use kluis_api::campaigns::{
    CampaignCreated, Planned, RoundOut, SkipReason, SkippedSafe, SpaceWarning as SpaceWarningOut,
    WaveOut,
};
use plan::plan_and_store;

/// Which safes a campaign covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selection {
    All,
    HousingCompany(OrgId),
    District(String),
    Safes(Vec<SafeId>),
}

/// A safe with what planning and rounds need.
#[derive(Clone, Debug)]
pub struct SafeRow {
    pub id: SafeId,
    pub model: SafeModelId,
    pub status: SafeStatus,
    pub street: String,
    pub numbers: HouseNumbers,
    pub district: String,
    pub owner: OrgId,
}

pub fn safe_rows(conn: &Connection) -> Result<Vec<SafeRow>, ServerError> {
    let mut stmt = conn.prepare(
        "SELECT s.id, s.model_id, s.status, b.street, b.numbers, b.district, b.owner_org_id
         FROM safes s JOIN buildings b ON b.id = s.building_id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(SafeRow {
            id: parse_col(r, 0)?,
            model: parse_col(r, 1)?,
            status: parse_col(r, 2)?,
            street: col(r, 3)?,
            numbers: parse_col(r, 4)?,
            district: col(r, 5)?,
            owner: parse_col(r, 6)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One code, opened.
#[derive(Clone, Debug)]
pub struct CodeRow {
    pub safe: SafeId,
    pub value: ButtonSet,
    pub state: CodeState,
    pub created_at: i64,
    pub retired_at: Option<i64>,
}

pub fn all_codes(conn: &Connection, key: &SecretKey) -> Result<Vec<CodeRow>, ServerError> {
    let mut stmt = conn.prepare(
        "SELECT id, safe_id, sealed_value, state, created_at, retired_at FROM codes ORDER BY created_at",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            parse_col::<CodeId>(r, 0)?,
            parse_col::<SafeId>(r, 1)?,
            r.get::<_, Vec<u8>>(2)?,
            parse_col::<CodeState>(r, 3)?,
            r.get::<_, i64>(4)?,
            r.get::<_, Option<i64>>(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, safe, sealed, state, created_at, retired_at) = row?;
        out.push(CodeRow {
            safe,
            value: open_code(key, safe, id, &sealed)?,
            state,
            created_at,
            retired_at,
        });
    }
    Ok(out)
}

/// Codes that block a new code: in use (current, pending) or in quarantine.
pub fn blocking(codes: &[CodeRow], quarantine_start: i64) -> impl Iterator<Item = &CodeRow> {
    codes.iter().filter(move |c| match c.state {
        CodeState::Current | CodeState::Pending => true,
        CodeState::Previous | CodeState::Retired => c.retired_at.unwrap_or(0) >= quarantine_start,
    })
}

/// A planner's warning as the API says it.
pub(super) fn space_warning_out(w: &SpaceWarning, model: &str) -> SpaceWarningOut {
    SpaceWarningOut {
        model_id: w.model,
        model: model.to_string(),
        pressure: w.pressure,
        in_use: w.in_use as u64,
        usable: w.usable,
        needed: w.needed as u64,
        waves: w.waves as u64,
    }
}

/// A campaign to create; `rng` draws the codes and ids.
pub struct NewCampaign<'a> {
    pub name: &'a str,
    pub kind: CampaignKind,
    pub selection: &'a Selection,
    pub due_on: Option<Date>,
    pub by: PersonId,
}

/// Safes with an item still under way (waiting, open, failed), with the campaign's name.
fn live_items(conn: &Connection) -> Result<HashMap<SafeId, String>, ServerError> {
    let mut stmt = conn.prepare(
        "SELECT i.safe_id, c.name FROM campaign_items i JOIN campaigns c ON c.id = i.campaign_id
         WHERE i.status IN ('waiting', 'open', 'failed')",
    )?;
    let rows = stmt.query_map([], |r| Ok((parse_col(r, 0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn select<'a>(
    conn: &Connection,
    rows: &'a [SafeRow],
    selection: &Selection,
) -> Result<Vec<&'a SafeRow>, ServerError> {
    use kluis_domain::address::normalize;
    let picked: Vec<&SafeRow> = match selection {
        Selection::All => rows.iter().collect(),
        Selection::HousingCompany(org) => {
            let kind: Option<String> = conn
                .query_row(
                    "SELECT kind FROM organisations WHERE id = ?1",
                    [org.to_string()],
                    |r| r.get(0),
                )
                .optional()?;
            if kind.as_deref() != Some("housing_company") {
                return Err(ServerError::Refused(Problem::UnknownHousingCompany));
            }
            rows.iter().filter(|s| s.owner == *org).collect()
        }
        Selection::District(d) => {
            let d = normalize(d);
            rows.iter()
                .filter(|s| normalize(&s.district) == d)
                .collect()
        }
        Selection::Safes(ids) => {
            let by_id: HashMap<SafeId, &SafeRow> = rows.iter().map(|s| (s.id, s)).collect();
            let mut out: Vec<&SafeRow> = Vec::new();
            for id in ids {
                let s = by_id
                    .get(id)
                    .ok_or(ServerError::Refused(Problem::UnknownSafe { safe: *id }))?;
                if !out.iter().any(|o| o.id == *id) {
                    out.push(s);
                }
            }
            out
        }
    };
    if picked.is_empty() {
        return Err(ServerError::Refused(Problem::EmptySelection));
    }
    Ok(picked)
}

/// Creates a campaign in `conn` (the caller's transaction): selection, plan, pending codes
/// for the first wave, rounds. Safes that are broken, not on the wall, or already in a
/// campaign are skipped and listed.
pub fn create(
    conn: &Connection,
    key: &SecretKey,
    settings: &LifecycleSettings,
    new: &NewCampaign<'_>,
    now: Timestamp,
    rng: &mut dyn RandomSource,
) -> Result<CampaignCreated, ServerError> {
    let name = new.name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS as usize {
        return Err(ServerError::Refused(Problem::TextLength {
            field: Field::Name,
            min: 1,
            max: MAX_NAME_CHARS,
        }));
    }
    let rows = safe_rows(conn)?;
    let picked = select(conn, &rows, new.selection)?;
    let live = live_items(conn)?;
    let mut skipped = Vec::new();
    let mut included = Vec::new();
    for s in &picked {
        let skip = |reason, campaign_name: Option<String>| SkippedSafe {
            safe_id: s.id,
            reason,
            campaign_name,
        };
        let on_wall = match new.kind {
            CampaignKind::Rotation => {
                matches!(s.status, SafeStatus::Installed | SafeStatus::Active)
            }
            // A leaked code must go even from a broken safe, as soon as it can be changed.
            CampaignKind::Urgent => matches!(
                s.status,
                SafeStatus::Installed | SafeStatus::Active | SafeStatus::Defect
            ),
        };
        if let Some(campaign) = live.get(&s.id) {
            skipped.push(skip(SkipReason::InCampaign, Some(campaign.clone())));
        } else if s.status == SafeStatus::Defect && !on_wall {
            skipped.push(skip(SkipReason::Defect, None));
        } else if !on_wall {
            skipped.push(skip(SkipReason::NotInstalled, None));
        } else {
            included.push(*s);
        }
    }
    if included.is_empty() {
        return Err(ServerError::Refused(Problem::NothingToChange {
            skipped: u32::try_from(skipped.len()).unwrap_or(u32::MAX),
        }));
    }
    let id = CampaignId::random(rng);
    conn.execute(
        "INSERT INTO campaigns (id, name, kind, created_by, created_at, selection, due_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            id.to_string(),
            name,
            new.kind.as_str(),
            new.by.to_string(),
            now.millis(),
            describe(conn, new.selection)?,
            new.due_on.map(|d| d.to_string())
        ],
    )?;
    let planned = plan_and_store(
        conn, key, settings, id, new.kind, name, 1, &included, now, rng,
    )?;
    Ok(CampaignCreated {
        id,
        name: name.to_string(),
        kind: new.kind,
        due_on: new.due_on,
        selected: picked.len() as u64,
        included: included.len() as u64,
        skipped,
        planned,
    })
}

fn describe(conn: &Connection, selection: &Selection) -> Result<String, ServerError> {
    Ok(match selection {
        Selection::All => "alle kluizen".into(),
        Selection::HousingCompany(org) => {
            let name: String = conn.query_row(
                "SELECT name FROM organisations WHERE id = ?1",
                [org.to_string()],
                |r| r.get(0),
            )?;
            format!("maatschappij {name}")
        }
        Selection::District(d) => format!("wijk {}", d.trim()),
        Selection::Safes(ids) if ids.len() == 1 => "1 kluis".into(),
        Selection::Safes(ids) => format!("{} kluizen", ids.len()),
    })
}

/// Gives the campaign's waiting safes codes, as far as the code space allows now: the first
/// wave of a fresh plan becomes wave `first_wave`. Fails with the numbers when not even one
/// safe fits.
pub fn start_next_wave(
    conn: &Connection,
    key: &SecretKey,
    settings: &LifecycleSettings,
    campaign: CampaignId,
    now: Timestamp,
    rng: &mut dyn RandomSource,
) -> Result<Planned, ServerError> {
    let (name, kind): (String, CampaignKind) = conn
        .query_row(
            "SELECT name, kind FROM campaigns WHERE id = ?1",
            [campaign.to_string()],
            |r| Ok((r.get(0)?, parse_col(r, 1)?)),
        )
        .optional()?
        .ok_or_else(|| ServerError::NotFound("Deze campagne".into()))?;
    let mut stmt = conn.prepare(
        "SELECT safe_id, wave FROM campaign_items WHERE campaign_id = ?1 AND status = 'waiting'",
    )?;
    let waiting: Vec<(SafeId, u32)> = stmt
        .query_map([campaign.to_string()], |r| {
            Ok((parse_col(r, 0)?, r.get(1)?))
        })?
        .collect::<Result<_, _>>()?;
    let Some(first_wave) = waiting.iter().map(|(_, w)| *w).min() else {
        return Err(ServerError::Refused(Problem::NoWaitingWave));
    };
    let rows = safe_rows(conn)?;
    let waiting_ids: std::collections::HashSet<SafeId> =
        waiting.iter().map(|(id, _)| *id).collect();
    let safes: Vec<&SafeRow> = rows
        .iter()
        .filter(|s| waiting_ids.contains(&s.id))
        .collect();
    plan_and_store(
        conn, key, settings, campaign, kind, &name, first_wave, &safes, now, rng,
    )
}

/// The safes of `campaign` with a live new code (items open or failed): what carers' scopes
/// must show once the campaign or its next wave is planned.
pub fn coded_safes(conn: &Connection, campaign: CampaignId) -> Result<Vec<SafeId>, ServerError> {
    let mut stmt = conn.prepare(
        "SELECT safe_id FROM campaign_items WHERE campaign_id = ?1
         AND status IN ('open', 'failed') AND pending_code_id IS NOT NULL",
    )?;
    let rows = stmt.query_map([campaign.to_string()], |r| parse_col(r, 0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
