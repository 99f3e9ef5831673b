//! What the coordinator (and housing staff, for their own repairs) reads: campaign progress,
//! due dates, the code space per model, a safe's code history, repairs. No code values.

use std::collections::BTreeMap;

use kluis_crypto::SecretKey;
use kluis_domain::calendar::WorkingCalendar;
use kluis_domain::codegen::code_space_usage;
use kluis_domain::due::{DueBucket, DueRules, SafeDueInput, next_due};
use kluis_domain::ids::{CampaignId, OrgId, SafeId};
use kluis_domain::model::{CodeState, SafeStatus};
use kluis_domain::time::{Date, Timestamp};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use utoipa::ToSchema;

use super::campaigns::{all_codes, blocking};
use super::registry::{self, parse_col};
use super::rounds::{RoundFilter, RoundSummary, summaries};
use crate::error::ServerError;

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CampaignRow {
    pub id: String,
    pub name: String,
    pub kind: String,
    /// What was selected, e.g. "wijk Rabot".
    pub selection: String,
    pub created_at: i64,
    pub created_by: String,
    pub due_on: Option<String>,
    pub safes: u32,
    /// In a later wave, no code yet.
    pub waiting: u32,
    pub open: u32,
    pub done: u32,
    pub failed: u32,
    pub cancelled: u32,
}

const CAMPAIGN_SQL: &str =
    "SELECT c.id, c.name, c.kind, c.selection, c.created_at, p.name, c.due_on,
    (SELECT COUNT(*) FROM campaign_items i WHERE i.campaign_id = c.id AND i.status != 'cancelled'),
    (SELECT COUNT(*) FROM campaign_items i WHERE i.campaign_id = c.id AND i.status = 'waiting'),
    (SELECT COUNT(*) FROM campaign_items i WHERE i.campaign_id = c.id AND i.status = 'open'),
    (SELECT COUNT(*) FROM campaign_items i WHERE i.campaign_id = c.id AND i.status = 'done'),
    (SELECT COUNT(*) FROM campaign_items i WHERE i.campaign_id = c.id AND i.status = 'failed'),
    (SELECT COUNT(*) FROM campaign_items i WHERE i.campaign_id = c.id AND i.status = 'cancelled')
    FROM campaigns c JOIN people p ON p.id = c.created_by";

fn campaign_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CampaignRow> {
    Ok(CampaignRow {
        id: r.get(0)?,
        name: r.get(1)?,
        kind: r.get(2)?,
        selection: r.get(3)?,
        created_at: r.get(4)?,
        created_by: r.get(5)?,
        due_on: r.get(6)?,
        safes: r.get(7)?,
        waiting: r.get(8)?,
        open: r.get(9)?,
        done: r.get(10)?,
        failed: r.get(11)?,
        cancelled: r.get(12)?,
    })
}

/// Every campaign, newest first.
pub fn campaigns(conn: &Connection) -> Result<Vec<CampaignRow>, ServerError> {
    let mut stmt = conn.prepare(&format!("{CAMPAIGN_SQL} ORDER BY c.created_at DESC"))?;
    let rows = stmt.query_map([], campaign_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct WaveProgress {
    pub wave: u32,
    pub safes: u32,
    pub waiting: u32,
    pub open: u32,
    pub done: u32,
    pub failed: u32,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CampaignDetail {
    #[serde(flatten)]
    pub campaign: CampaignRow,
    pub waves: Vec<WaveProgress>,
    /// Progress per round: done / failed / open.
    pub rounds: Vec<RoundSummary>,
}

pub fn campaign(conn: &Connection, id: CampaignId) -> Result<CampaignDetail, ServerError> {
    let campaign = conn
        .query_row(
            &format!("{CAMPAIGN_SQL} WHERE c.id = ?1"),
            [id.to_string()],
            campaign_row,
        )
        .optional()?
        .ok_or_else(|| ServerError::NotFound("Deze campagne".into()))?;
    let mut stmt = conn.prepare(
        "SELECT wave, COUNT(*), SUM(status = 'waiting'), SUM(status = 'open'), SUM(status = 'done'),
                SUM(status = 'failed')
         FROM campaign_items WHERE campaign_id = ?1 AND status != 'cancelled' GROUP BY wave ORDER BY wave",
    )?;
    let waves = stmt
        .query_map([id.to_string()], |r| {
            Ok(WaveProgress {
                wave: r.get(0)?,
                safes: r.get(1)?,
                waiting: r.get(2)?,
                open: r.get(3)?,
                done: r.get(4)?,
                failed: r.get(5)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(CampaignDetail {
        campaign,
        waves,
        rounds: summaries(conn, RoundFilter::Campaign(id))?,
    })
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct DueSafe {
    pub safe_id: String,
    pub address: String,
    pub district: String,
    pub owner: String,
    pub status: String,
    pub due_on: String,
    /// `first_code`, `leak` or `rotation`.
    pub reason: String,
    /// The campaign already under way for this safe, if any.
    pub campaign_id: Option<String>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct DueList {
    pub today: String,
    pub overdue: Vec<DueSafe>,
    pub this_week: Vec<DueSafe>,
    pub this_month: Vec<DueSafe>,
}

/// Safes whose new code is overdue or due this week or this month, on the working-day
/// calendar (Belgian public holidays and the office's closing days).
pub fn due(
    conn: &Connection,
    calendar: &WorkingCalendar,
    today: Date,
) -> Result<DueList, ServerError> {
    let mut stmt = conn.prepare(
        "SELECT s.id, b.street || ' ' || b.numbers || ', ' || b.postcode || ' ' || b.city, b.district,
                o.name, s.status, s.installed_on, s.leak_reported_on,
                (SELECT activated_at FROM codes c WHERE c.safe_id = s.id AND c.state = 'current'),
                (SELECT campaign_id FROM campaign_items i WHERE i.safe_id = s.id
                   AND i.status IN ('waiting', 'open', 'failed'))
         FROM safes s JOIN buildings b ON b.id = s.building_id JOIN organisations o ON o.id = b.owner_org_id
         ORDER BY b.district, b.street",
    )?;
    let mut out = DueList {
        today: today.to_string(),
        overdue: Vec::new(),
        this_week: Vec::new(),
        this_month: Vec::new(),
    };
    let rules = DueRules::default();
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            parse_col::<SafeStatus>(r, 4)?,
            r.get::<_, Option<String>>(5)?,
            r.get::<_, Option<String>>(6)?,
            r.get::<_, Option<i64>>(7)?,
            r.get::<_, Option<String>>(8)?,
        ))
    })?;
    for row in rows {
        let (safe_id, address, district, owner, status, installed, leak, activated, campaign) =
            row?;
        let input = SafeDueInput {
            status,
            installed_on: installed.and_then(|d| d.parse().ok()),
            last_change: activated.map(|t| Timestamp::from_millis(t).date_utc()),
            leak_reported_on: leak.and_then(|d| d.parse().ok()),
        };
        let Some(due) = next_due(input, calendar, &rules) else {
            continue;
        };
        let list = match due.bucket(today) {
            DueBucket::Overdue => &mut out.overdue,
            DueBucket::ThisWeek => &mut out.this_week,
            DueBucket::ThisMonth => &mut out.this_month,
            DueBucket::Later => continue,
        };
        let reason = serde_json::to_value(due.reason)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default();
        list.push(DueSafe {
            safe_id,
            address,
            district,
            owner,
            status: status.as_str().into(),
            due_on: due.date.to_string(),
            reason,
            campaign_id: campaign,
        });
    }
    for list in [&mut out.overdue, &mut out.this_week, &mut out.this_month] {
        list.sort_by(|a, b| a.due_on.cmp(&b.due_on));
    }
    Ok(out)
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ModelSpace {
    pub model_id: String,
    pub model: String,
    /// Safes of this model that hang (installed, active, defect).
    pub safes: u32,
    /// Codes that block a new code of this model: current and pending codes of every safe
    /// (models with the same lock share one space) and retired codes in quarantine.
    pub in_use: usize,
    pub quarantined: usize,
    /// The most codes that can be in use at once, 2 buttons apart.
    pub usable: u64,
    /// How many codes the next draw chooses from.
    pub remaining: u64,
    /// E.g. "Supra KeySafe Pro: 312 van 408 bruikbare codes in gebruik".
    pub summary_nl: String,
    pub summary_en: String,
}

pub fn code_space(
    conn: &Connection,
    key: &SecretKey,
    quarantine_days: u32,
    now: Timestamp,
) -> Result<Vec<ModelSpace>, ServerError> {
    let codes = all_codes(conn, key)?;
    let start = now.plus_days(-i64::from(quarantine_days)).millis();
    let blocked: Vec<_> = blocking(&codes, start).map(|c| c.value.clone()).collect();
    let quarantined = blocking(&codes, start)
        .filter(|c| matches!(c.state, CodeState::Previous | CodeState::Retired))
        .count();
    let mut counts: BTreeMap<String, u32> = BTreeMap::new();
    let mut stmt = conn.prepare(
        "SELECT model_id, COUNT(*) FROM safes WHERE status IN ('installed', 'active', 'defect') GROUP BY model_id",
    )?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?)))? {
        let (m, n) = row?;
        counts.insert(m, n);
    }
    Ok(registry::models(conn)?
        .into_values()
        .map(|m| {
            let usage = code_space_usage(&m, &blocked);
            ModelSpace {
                model_id: m.id.to_string(),
                safes: counts.get(&m.id.to_string()).copied().unwrap_or(0),
                in_use: usage.in_use,
                quarantined,
                usable: usage.usable,
                remaining: usage.remaining_candidates,
                summary_nl: format!(
                    "{}: {} van {} bruikbare codes in gebruik (waarvan {quarantined} in quarantaine), nog {} vrij",
                    m.name, usage.in_use, usage.usable, usage.remaining_candidates
                ),
                summary_en: format!(
                    "{}: {} of {} usable codes in use ({quarantined} of them in quarantine), {} left",
                    m.name, usage.in_use, usage.usable, usage.remaining_candidates
                ),
                model: m.name,
            }
        })
        .collect())
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CodeEvent {
    pub code_id: String,
    /// `pending`, `current`, `previous` or `retired`.
    pub state: String,
    pub created_at: i64,
    pub activated_at: Option<i64>,
    pub retired_at: Option<i64>,
    pub campaign_id: Option<String>,
    pub campaign_name: Option<String>,
    /// Who reported it set on the safe, and when (on their device's clock).
    pub confirmed_by: Option<String>,
    pub confirmed_at: Option<i64>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ChangeRecordRow {
    pub id: String,
    pub campaign_id: String,
    pub volunteer: String,
    /// `set` or `failed`.
    pub outcome: String,
    pub reason: Option<String>,
    pub note: String,
    pub at: i64,
    pub recorded_at: i64,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct SafeHistory {
    pub safe_id: String,
    pub status: String,
    pub leak_reported_on: Option<String>,
    /// Newest first. Values are not included: `GET /api/admin/safes/{id}/code` gives the
    /// current one.
    pub codes: Vec<CodeEvent>,
    /// Everything volunteers recorded, newest first.
    pub records: Vec<ChangeRecordRow>,
}

pub fn safe_history(conn: &Connection, safe: SafeId) -> Result<SafeHistory, ServerError> {
    let (status, leak): (String, Option<String>) = conn
        .query_row(
            "SELECT status, leak_reported_on FROM safes WHERE id = ?1",
            [safe.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .ok_or_else(|| ServerError::NotFound("Deze kluis".into()))?;
    let mut stmt = conn.prepare(
        "SELECT c.id, c.state, c.created_at, c.activated_at, c.retired_at, i.campaign_id, k.name,
           (SELECT p.name FROM change_records r JOIN people p ON p.id = r.volunteer_id
              WHERE r.campaign_id = i.campaign_id AND r.safe_id = c.safe_id AND r.outcome = 'set'
              ORDER BY r.at LIMIT 1),
           (SELECT MIN(r.at) FROM change_records r
              WHERE r.campaign_id = i.campaign_id AND r.safe_id = c.safe_id AND r.outcome = 'set')
         FROM codes c LEFT JOIN campaign_items i ON i.pending_code_id = c.id
         LEFT JOIN campaigns k ON k.id = i.campaign_id
         WHERE c.safe_id = ?1 ORDER BY c.created_at DESC",
    )?;
    let codes = stmt
        .query_map([safe.to_string()], |r| {
            Ok(CodeEvent {
                code_id: r.get(0)?,
                state: r.get(1)?,
                created_at: r.get(2)?,
                activated_at: r.get(3)?,
                retired_at: r.get(4)?,
                campaign_id: r.get(5)?,
                campaign_name: r.get(6)?,
                confirmed_by: r.get(7)?,
                confirmed_at: r.get(8)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    let mut stmt = conn.prepare(
        "SELECT r.id, r.campaign_id, p.name, r.outcome, r.reason, r.note, r.at, r.recorded_at
         FROM change_records r JOIN people p ON p.id = r.volunteer_id
         WHERE r.safe_id = ?1 ORDER BY r.at DESC",
    )?;
    let records = stmt
        .query_map([safe.to_string()], |r| {
            Ok(ChangeRecordRow {
                id: r.get(0)?,
                campaign_id: r.get(1)?,
                volunteer: r.get(2)?,
                outcome: r.get(3)?,
                reason: r.get(4)?,
                note: r.get(5)?,
                at: r.get(6)?,
                recorded_at: r.get(7)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(SafeHistory {
        safe_id: safe.to_string(),
        status,
        leak_reported_on: leak,
        codes,
        records,
    })
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct RepairRow {
    pub id: String,
    pub safe_id: String,
    pub address: String,
    pub owner_id: String,
    pub owner: String,
    /// `broken` or `key_missing`.
    pub reason: String,
    pub note: String,
    pub reported_by: Option<String>,
    pub created_at: i64,
    pub resolved_at: Option<i64>,
}

/// Repairs, open first; `owner` limits them to one housing company's buildings.
pub fn repairs(conn: &Connection, owner: Option<OrgId>) -> Result<Vec<RepairRow>, ServerError> {
    let mut stmt = conn.prepare(
        "SELECT r.id, r.safe_id, b.street || ' ' || b.numbers || ', ' || b.postcode || ' ' || b.city,
                r.owner_org_id, o.name, r.reason, r.note, p.name, r.created_at, r.resolved_at
         FROM repair_items r JOIN safes s ON s.id = r.safe_id JOIN buildings b ON b.id = s.building_id
         JOIN organisations o ON o.id = r.owner_org_id
         LEFT JOIN change_records c ON c.id = r.record_id LEFT JOIN people p ON p.id = c.volunteer_id
         WHERE ?1 IS NULL OR r.owner_org_id = ?1
         ORDER BY r.resolved_at IS NOT NULL, r.created_at DESC",
    )?;
    let rows = stmt.query_map(params![owner.map(|o| o.to_string())], |r| {
        Ok(RepairRow {
            id: r.get(0)?,
            safe_id: r.get(1)?,
            address: r.get(2)?,
            owner_id: r.get(3)?,
            owner: r.get(4)?,
            reason: r.get(5)?,
            note: r.get(6)?,
            reported_by: r.get(7)?,
            created_at: r.get(8)?,
            resolved_at: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The housing company that owns a repair's building.
pub fn repair_owner(
    conn: &Connection,
    repair: kluis_domain::ids::RepairId,
) -> Result<OrgId, ServerError> {
    conn.query_row(
        "SELECT owner_org_id FROM repair_items WHERE id = ?1",
        [repair.to_string()],
        |r| parse_col(r, 0),
    )
    .optional()?
    .ok_or_else(|| ServerError::NotFound("Deze herstelling".into()))
}
