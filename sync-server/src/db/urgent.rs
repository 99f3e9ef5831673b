//! An urgent change of one safe's code: after a leak (rule 4: the clock starts at the first
//! report and is not reset by a second), or because the code does not open the safe. Either
//! way a new pending code within 5 working days, in an urgent campaign of its own; an
//! unfinished change of the same safe is cancelled. Runs inside the caller's transaction, so
//! whatever asked for it (a report's triage) commits with it.

use kluis_api::campaigns::LeakReported;
use kluis_crypto::SecretKey;
use kluis_domain::ids::{CampaignId, EventId, PersonId, SafeId};
use kluis_domain::model::{AuditKind, CampaignKind, SafeStatus};
use kluis_domain::time::{Date, Timestamp};
use rusqlite::{Connection, OptionalExtension};

use super::campaigns::{self, NewCampaign, Selection};
use super::{audit, changes, settings};
use crate::error::{Problem, ServerError};
use crate::state::{OsRandom, today_in_ghent};

/// Why the code must change now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Urgency {
    /// Known to people who should not have it: counted as a leak.
    Leak,
    /// It does not open the safe (or another reason the coordinator judged urgent).
    Urgent,
}

/// What was planned, and the volunteers whose round lost the safe (their documents drop it
/// after the commit).
pub struct Planned {
    pub reply: LeakReported,
    pub volunteers: Vec<PersonId>,
}

/// Plans the change in `tx`; the caller commits and rebuilds the documents of `safe` and of
/// `Planned::volunteers`.
pub fn plan(
    tx: &Connection,
    key: &SecretKey,
    safe: SafeId,
    urgency: Urgency,
    by: PersonId,
    note: &str,
    t: Timestamp,
) -> Result<Planned, ServerError> {
    let lifecycle = settings::lifecycle(tx)?;
    let calendar = settings::calendar(tx)?;
    let (status, address, leak): (SafeStatus, String, Option<String>) = tx
        .query_row(
            "SELECT s.status, b.street || ' ' || b.numbers, s.leak_reported_on
             FROM safes s JOIN buildings b ON b.id = s.building_id WHERE s.id = ?1",
            [safe.to_string()],
            |r| Ok((super::registry::parse_col(r, 0)?, r.get(1)?, r.get(2)?)),
        )
        .map_err(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => ServerError::NotFound("Deze kluis".into()),
            e => e.into(),
        })?;
    if matches!(status, SafeStatus::Requested | SafeStatus::Removed) {
        return Err(ServerError::Refused(Problem::NotInstalled));
    }
    let today = today_in_ghent(t);
    let (reported_on, kind, name): (Date, AuditKind, String) = match urgency {
        Urgency::Leak => {
            // The clock starts at the first report; a second report does not reset it.
            let first = leak.and_then(|d| d.parse().ok()).unwrap_or(today);
            tx.execute(
                "UPDATE safes SET leak_reported_on = ?2 WHERE id = ?1",
                rusqlite::params![safe.to_string(), first.to_string()],
            )?;
            (first, AuditKind::CodeLeaked, format!("Lek: {address}"))
        }
        Urgency::Urgent => (
            today,
            AuditKind::UrgentChangePlanned,
            format!("Dringend: {address}"),
        ),
    };
    audit::record(
        tx,
        EventId::random(&mut OsRandom),
        t,
        t,
        Some(by),
        None,
        kind,
        Some(safe),
        note,
    )?;
    let cancelled_campaign: Option<CampaignId> = tx
        .query_row(
            "SELECT campaign_id FROM campaign_items WHERE safe_id = ?1 AND status IN ('waiting', 'open', 'failed')",
            [safe.to_string()],
            |r| super::column::col(r, 0),
        )
        .optional()?;
    let cancelled = changes::cancel_live_item(tx, safe, t)?;
    let due = kluis_domain::due::DueRules::default().leak_due(reported_on, &calendar);
    let new = NewCampaign {
        name: &name,
        kind: CampaignKind::Urgent,
        selection: &Selection::Safes(vec![safe]),
        due_on: Some(due),
        by,
    };
    let campaign = campaigns::create(tx, key, &lifecycle, &new, t, &mut OsRandom)?;
    Ok(Planned {
        reply: LeakReported {
            safe_id: safe,
            reported_on,
            due_on: due,
            cancelled_campaign,
            campaign,
        },
        volunteers: cancelled.flatten().into_iter().collect(),
    })
}
