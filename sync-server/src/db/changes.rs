//! What volunteers record on site, and what follows from it: the new code becomes current,
//! a repair is asked of the housing company, the safe turns defect.
//!
//! Every record is kept (two volunteers at the same safe both stay), and the item's outcome is
//! recomputed from all its records, so records arriving in any order give the same state: an
//! item is done if any record says the code was set, else failed if any says it was not.

use kluis_domain::ids::{CampaignId, CodeId, DeviceId, EventId, PersonId, SafeId};
use kluis_domain::model::{ChangeFailure, ItemStatus};
use kluis_domain::rng::RandomSource;
use kluis_domain::time::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};

use super::registry::parse_col;
use crate::error::ServerError;

/// One record from a volunteer's outbox.
#[derive(Clone, Debug)]
pub struct Record {
    pub id: EventId,
    pub safe: SafeId,
    pub volunteer: PersonId,
    pub device: DeviceId,
    /// `None` for "Gewijzigd", the reason for "Niet gelukt".
    pub failure: Option<(ChangeFailure, String)>,
    pub at: Timestamp,
}

/// The item a volunteer's record about `safe` belongs to: one in a round the volunteer holds
/// now, not cancelled, the one still under way first, then the newest. A round that moved to
/// someone else got fresh pending codes, so what its past holder records cannot count.
pub fn item_for(
    conn: &Connection,
    volunteer: PersonId,
    safe: SafeId,
) -> Result<Option<CampaignId>, ServerError> {
    Ok(conn
        .query_row(
            "SELECT i.campaign_id FROM campaign_items i
             JOIN rounds r ON r.id = i.round_id AND r.volunteer_id = ?1
             JOIN campaigns c ON c.id = i.campaign_id
             WHERE i.safe_id = ?2 AND i.status IN ('open', 'failed', 'done')
             ORDER BY i.status = 'done', c.created_at DESC LIMIT 1",
            params![volunteer.to_string(), safe.to_string()],
            |r| parse_col(r, 0),
        )
        .optional()?)
}

/// What applying records changed, so the caller can rebuild documents after the commit.
#[derive(Clone, Debug, Default)]
pub struct Applied {
    /// Safes whose current code changed: the scopes that see them need a rebuild.
    pub activated: Vec<SafeId>,
    /// Safes whose item, status or repair changed.
    pub touched: Vec<SafeId>,
    /// Safes a report from the door came in for (the coordinator is told).
    pub reports: Vec<SafeId>,
}

/// Stores `record` (once) and brings its item, the codes, the safe and repairs in line.
/// The caller checked that the volunteer may record on this safe.
pub fn apply(
    conn: &Connection,
    record: &Record,
    campaign: CampaignId,
    now: Timestamp,
    rng: &mut dyn RandomSource,
    applied: &mut Applied,
) -> Result<(), ServerError> {
    let (outcome, reason, note) = match &record.failure {
        None => ("set", None, ""),
        Some((reason, note)) => ("failed", Some(reason.as_str()), note.as_str()),
    };
    let n = conn.execute(
        "INSERT OR IGNORE INTO change_records (id, campaign_id, safe_id, volunteer_id, device_id, outcome, reason, note, at, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            record.id.to_string(),
            campaign.to_string(),
            record.safe.to_string(),
            record.volunteer.to_string(),
            record.device.to_string(),
            outcome,
            reason,
            note,
            record.at.millis(),
            now.millis()
        ],
    )?;
    if n == 0 {
        return Ok(());
    }
    applied.touched.push(record.safe);
    if let Some((reason, note)) = &record.failure
        && reason.needs_repair()
    {
        super::repairs::open(
            conn,
            record.safe,
            *reason,
            note,
            super::repairs::Source::Record(record.id),
            now,
            rng,
        )?;
    }
    if resolve(conn, campaign, record.safe, now)? {
        applied.activated.push(record.safe);
    }
    Ok(())
}

/// Recomputes an item from all its records. Returns true when its code was activated now.
fn resolve(
    conn: &Connection,
    campaign: CampaignId,
    safe: SafeId,
    now: Timestamp,
) -> Result<bool, ServerError> {
    let (status, pending): (ItemStatus, Option<CodeId>) = conn.query_row(
        "SELECT status, pending_code_id FROM campaign_items WHERE campaign_id = ?1 AND safe_id = ?2",
        params![campaign.to_string(), safe.to_string()],
        |r| Ok((parse_col(r, 0)?, r.get::<_, Option<String>>(1)?.and_then(|s| s.parse().ok()))),
    )?;
    let (first_set, any_failed): (Option<i64>, bool) = conn.query_row(
        "SELECT MIN(CASE WHEN outcome = 'set' THEN at END), COALESCE(MAX(outcome = 'failed'), 0)
         FROM change_records WHERE campaign_id = ?1 AND safe_id = ?2",
        params![campaign.to_string(), safe.to_string()],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let item = params![campaign.to_string(), safe.to_string(), now.millis()];
    match (status, first_set, pending) {
        (ItemStatus::Done | ItemStatus::Cancelled | ItemStatus::Waiting, _, _) => Ok(false),
        (_, Some(at), Some(code)) => {
            // The device's clock says when it happened on site, but never in the future.
            let at = at.min(now.millis());
            activate(conn, safe, code, Timestamp::from_millis(at), now)?;
            conn.execute(
                "UPDATE campaign_items SET status = 'done', resolved_at = ?3 WHERE campaign_id = ?1 AND safe_id = ?2",
                item,
            )?;
            Ok(true)
        }
        (ItemStatus::Open, None, _) if any_failed => {
            conn.execute(
                "UPDATE campaign_items SET status = 'failed', resolved_at = ?3 WHERE campaign_id = ?1 AND safe_id = ?2",
                item,
            )?;
            Ok(false)
        }
        _ => Ok(false),
    }
}

/// The pending code becomes current; the old current code becomes the previous one (carers
/// still see it during the grace period, counted from now, when they can first learn the new
/// one); an earlier previous code retires. A leak report is settled by the new code.
fn activate(
    conn: &Connection,
    safe: SafeId,
    code: CodeId,
    at: Timestamp,
    now: Timestamp,
) -> Result<(), ServerError> {
    let s = safe.to_string();
    conn.execute(
        "UPDATE codes SET state = 'retired' WHERE safe_id = ?1 AND state = 'previous'",
        [&s],
    )?;
    conn.execute(
        "UPDATE codes SET state = 'previous', retired_at = ?2 WHERE safe_id = ?1 AND state = 'current'",
        params![s, now.millis()],
    )?;
    conn.execute(
        "UPDATE codes SET state = 'current', activated_at = ?3 WHERE id = ?2 AND safe_id = ?1 AND state = 'pending'",
        params![s, code.to_string(), at.millis()],
    )?;
    conn.execute(
        "UPDATE safes SET leak_reported_on = NULL WHERE id = ?1",
        [&s],
    )?;
    conn.execute(
        "UPDATE safes SET status = 'active' WHERE id = ?1 AND status = 'installed'",
        [&s],
    )?;
    Ok(())
}

/// Cancels the safe's item under way, if any (its pending code retires unused). Returns the
/// volunteer whose round held it, whose document must drop it.
pub fn cancel_live_item(
    conn: &Connection,
    safe: SafeId,
    now: Timestamp,
) -> Result<Option<Option<PersonId>>, ServerError> {
    let row: Option<(String, Option<String>, Option<PersonId>)> = conn
        .query_row(
            "SELECT i.campaign_id, i.pending_code_id, r.volunteer_id FROM campaign_items i
             LEFT JOIN rounds r ON r.id = i.round_id
             WHERE i.safe_id = ?1 AND i.status IN ('waiting', 'open', 'failed')",
            [safe.to_string()],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get::<_, Option<String>>(2)?.and_then(|p| p.parse().ok()),
                ))
            },
        )
        .optional()?;
    let Some((campaign, code, volunteer)) = row else {
        return Ok(None);
    };
    conn.execute(
        "UPDATE campaign_items SET status = 'cancelled', resolved_at = ?3 WHERE campaign_id = ?1 AND safe_id = ?2",
        params![campaign, safe.to_string(), now.millis()],
    )?;
    if let Some(code) = code {
        conn.execute(
            "UPDATE codes SET state = 'retired', retired_at = ?2 WHERE id = ?1 AND state = 'pending'",
            params![code, now.millis()],
        )?;
    }
    Ok(Some(volunteer))
}
