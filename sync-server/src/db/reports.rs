//! What the coordinator (and housing staff, for their own repairs) reads: campaign progress,
//! due dates, the code space per model, a safe's code history, repairs. No code values.

use std::collections::BTreeMap;

use kluis_crypto::SecretKey;
use kluis_domain::calendar::WorkingCalendar;
use kluis_domain::codegen::code_space_usage;
use kluis_domain::due::{DueBucket, DueRules, SafeDueInput, next_due};
use kluis_domain::ids::{CampaignId, SafeId};
use kluis_domain::model::{CodeState, SafeStatus};
use kluis_domain::time::{Date, Timestamp};
use rusqlite::{Connection, OptionalExtension};

use super::campaigns::{all_codes, blocking};
use super::column::col;
use super::registry;
use super::rounds::{RoundFilter, summaries};
use crate::error::ServerError;
pub use kluis_api::campaigns::{CampaignDetail, CampaignRow, WaveProgress};
pub use kluis_api::reports::{
    ChangeOutcome, ChangeRecordRow, CodeEvent, DueList, DueSafe, ModelSpace, RepairRow, SafeHistory,
};

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
        id: col(r, 0)?,
        name: col(r, 1)?,
        kind: col(r, 2)?,
        selection: col(r, 3)?,
        created_at: col(r, 4)?,
        created_by: col(r, 5)?,
        due_on: col(r, 6)?,
        safes: col(r, 7)?,
        waiting: col(r, 8)?,
        open: col(r, 9)?,
        done: col(r, 10)?,
        failed: col(r, 11)?,
        cancelled: col(r, 12)?,
    })
}

/// Every campaign, newest first.
pub fn campaigns(conn: &Connection) -> Result<Vec<CampaignRow>, ServerError> {
    let mut stmt = conn.prepare(&format!("{CAMPAIGN_SQL} ORDER BY c.created_at DESC"))?;
    let rows = stmt.query_map([], campaign_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
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
                wave: col(r, 0)?,
                safes: col(r, 1)?,
                waiting: col(r, 2)?,
                open: col(r, 3)?,
                done: col(r, 4)?,
                failed: col(r, 5)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(CampaignDetail {
        campaign,
        waves,
        rounds: summaries(conn, RoundFilter::Campaign(id))?,
    })
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
        today,
        overdue: Vec::new(),
        this_week: Vec::new(),
        this_month: Vec::new(),
    };
    let rules = DueRules::default();
    let rows = stmt.query_map([], |r| {
        Ok((
            col::<SafeId>(r, 0)?,
            col::<String>(r, 1)?,
            col::<String>(r, 2)?,
            col::<String>(r, 3)?,
            col::<SafeStatus>(r, 4)?,
            col::<Option<Date>>(r, 5)?,
            col::<Option<Date>>(r, 6)?,
            col::<Option<Timestamp>>(r, 7)?,
            col::<Option<CampaignId>>(r, 8)?,
        ))
    })?;
    for row in rows {
        let (safe_id, address, district, owner, status, installed, leak, activated, campaign) =
            row?;
        let input = SafeDueInput {
            status,
            installed_on: installed,
            last_change: activated.map(Timestamp::date_utc),
            leak_reported_on: leak,
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
        list.push(DueSafe {
            safe_id,
            address,
            district,
            owner,
            status,
            due_on: due.date,
            reason: due.reason,
            campaign_id: campaign,
        });
    }
    for list in [&mut out.overdue, &mut out.this_week, &mut out.this_month] {
        list.sort_by_key(|d| d.due_on);
    }
    Ok(out)
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
                model_id: m.id,
                safes: counts.get(&m.id.to_string()).copied().unwrap_or(0),
                in_use: usage.in_use as u64,
                quarantined: quarantined as u64,
                usable: usage.usable,
                remaining: usage.remaining_candidates,
                model: m.name,
            }
        })
        .collect())
}

pub fn safe_history(conn: &Connection, safe: SafeId) -> Result<SafeHistory, ServerError> {
    let (status, leak): (SafeStatus, Option<Date>) = conn
        .query_row(
            "SELECT status, leak_reported_on FROM safes WHERE id = ?1",
            [safe.to_string()],
            |r| Ok((col(r, 0)?, col(r, 1)?)),
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
                code_id: col(r, 0)?,
                state: col(r, 1)?,
                created_at: col(r, 2)?,
                activated_at: col(r, 3)?,
                retired_at: col(r, 4)?,
                campaign_id: col(r, 5)?,
                campaign_name: col(r, 6)?,
                confirmed_by: col(r, 7)?,
                confirmed_at: col(r, 8)?,
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
                id: col(r, 0)?,
                campaign_id: col(r, 1)?,
                volunteer: col(r, 2)?,
                outcome: col(r, 3)?,
                reason: col(r, 4)?,
                note: col(r, 5)?,
                at: col(r, 6)?,
                recorded_at: col(r, 7)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(SafeHistory {
        safe_id: safe,
        status,
        leak_reported_on: leak,
        codes,
        records,
    })
}
