//! Rounds as people see them in lists (no codes), and who holds which round.

use kluis_crypto::SecretKey;
use kluis_domain::codegen::{CodeRules, generate_code};
use kluis_domain::ids::{CampaignId, CodeId, OrgId, PersonId, RoundId, SafeId, SafeModelId};
use kluis_domain::model::{Code, CodeState, Role};
use kluis_domain::rng::RandomSource;
use kluis_domain::safe_model::ButtonSet;
use kluis_domain::time::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};

use super::campaigns;
use super::column::col;
use super::registry::{self, parse_col};
use crate::error::ServerError;
pub use kluis_api::campaigns::RoundSummary;

/// Which rounds to list.
#[derive(Clone, Copy, Debug)]
pub enum RoundFilter {
    /// Not assigned, with something left to do: what a volunteer may take.
    Available,
    /// Held by this volunteer, with something left to do.
    HeldBy(PersonId),
    /// Every round of a campaign.
    Campaign(CampaignId),
}

pub fn summaries(conn: &Connection, filter: RoundFilter) -> Result<Vec<RoundSummary>, ServerError> {
    let (clause, arg) = match filter {
        RoundFilter::Available => (
            "r.volunteer_id IS NULL AND open + failed > 0",
            String::new(),
        ),
        RoundFilter::HeldBy(p) => ("r.volunteer_id = ?1 AND open + failed > 0", p.to_string()),
        RoundFilter::Campaign(c) => ("r.campaign_id = ?1", c.to_string()),
    };
    let sql = format!(
        "SELECT * FROM (
           SELECT r.id, r.name, r.ordinal, r.district, r.wave, c.id AS cid, c.name AS cname,
             c.kind, c.due_on, r.volunteer_id, p.name AS pname, c.created_at,
             (SELECT COUNT(*) FROM campaign_items i WHERE i.round_id = r.id AND i.status != 'cancelled') AS safes,
             (SELECT COUNT(*) FROM campaign_items i WHERE i.round_id = r.id AND i.status = 'open') AS open,
             (SELECT COUNT(*) FROM campaign_items i WHERE i.round_id = r.id AND i.status = 'done') AS done,
             (SELECT COUNT(*) FROM campaign_items i WHERE i.round_id = r.id AND i.status = 'failed') AS failed,
             r.campaign_id
           FROM rounds r JOIN campaigns c ON c.id = r.campaign_id
           LEFT JOIN people p ON p.id = r.volunteer_id
         ) r WHERE {clause} AND (?1 = ?1)
         ORDER BY r.due_on IS NULL, r.due_on, r.created_at, r.ordinal"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([arg], |r| {
        Ok(RoundSummary {
            id: col(r, 0)?,
            name: col(r, 1)?,
            ordinal: col(r, 2)?,
            district: col(r, 3)?,
            wave: col(r, 4)?,
            campaign_id: col(r, 5)?,
            campaign_name: col(r, 6)?,
            campaign_kind: col(r, 7)?,
            due_on: col(r, 8)?,
            volunteer_id: col(r, 9)?,
            volunteer_name: col(r, 10)?,
            safes: col(r, 12)?,
            open: col(r, 13)?,
            done: col(r, 14)?,
            failed: col(r, 15)?,
            streets: Vec::new(),
        })
    })?;
    let mut out: Vec<RoundSummary> = rows.collect::<Result<_, _>>()?;
    let mut stmt = conn.prepare(
        "SELECT b.street FROM campaign_items i JOIN safes s ON s.id = i.safe_id
         JOIN buildings b ON b.id = s.building_id
         WHERE i.round_id = ?1 AND i.status != 'cancelled' ORDER BY i.route_order",
    )?;
    for round in &mut out {
        for street in stmt.query_map([round.id.to_string()], |r| r.get::<_, String>(0))? {
            let street = street?;
            if !round.streets.contains(&street) {
                round.streets.push(street);
            }
        }
    }
    Ok(out)
}

/// The round's current volunteer; `NotFound` when the round does not exist.
pub fn holder(conn: &Connection, round: RoundId) -> Result<Option<PersonId>, ServerError> {
    conn.query_row(
        "SELECT volunteer_id FROM rounds WHERE id = ?1",
        [round.to_string()],
        |r| r.get::<_, Option<String>>(0),
    )
    .optional()?
    .ok_or_else(|| ServerError::NotFound("Deze ronde".into()))
    .map(|p| p.and_then(|p| p.parse().ok()))
}

/// Gives `round` to `volunteer` (or to nobody). When it leaves someone, the pending codes
/// their phone holds are replaced first (see [`rekey`]), so nothing they saw can become
/// current and nothing they record about the round counts any more. Returns the safes
/// re-keyed.
pub fn assign(
    conn: &Connection,
    key: &SecretKey,
    round: RoundId,
    volunteer: Option<PersonId>,
    now: Timestamp,
    rng: &mut dyn RandomSource,
) -> Result<Vec<SafeId>, ServerError> {
    let before = holder(conn, round)?;
    let rekeyed = match before {
        Some(p) if Some(p) != volunteer => rekey(conn, key, round, now, rng)?,
        _ => Vec::new(),
    };
    conn.execute(
        "UPDATE rounds SET volunteer_id = ?2, assigned_at = ?3 WHERE id = ?1",
        params![
            round.to_string(),
            volunteer.map(|p| p.to_string()),
            volunteer.map(|_| now.millis())
        ],
    )?;
    if let Some(p) = volunteer {
        conn.execute(
            "INSERT OR IGNORE INTO round_assignees (round_id, person_id, assigned_at) VALUES (?1, ?2, ?3)",
            params![round.to_string(), p.to_string(), now.millis()],
        )?;
    }
    Ok(rekeyed)
}

/// Why a volunteer could not take a round.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TakeRefusal {
    /// Someone holds it, or nothing is left to do.
    Taken,
    /// The volunteer holds as many rounds with work left as they may take.
    Limit(u32),
}

/// Rounds `volunteer` holds with work left.
pub fn held_with_work(conn: &Connection, volunteer: PersonId) -> Result<u32, ServerError> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM rounds r WHERE r.volunteer_id = ?1 AND EXISTS
           (SELECT 1 FROM campaign_items i WHERE i.round_id = r.id AND i.status IN ('open', 'failed'))",
        [volunteer.to_string()],
        |r| r.get(0),
    )?)
}

/// A volunteer takes an unassigned round with work left, within `limit` rounds at once.
/// The count and the take are one statement's worth of work in the caller's transaction.
pub fn take(
    conn: &Connection,
    round: RoundId,
    volunteer: PersonId,
    limit: u32,
    now: Timestamp,
) -> Result<Result<(), TakeRefusal>, ServerError> {
    holder(conn, round)?;
    if held_with_work(conn, volunteer)? >= limit {
        return Ok(Err(TakeRefusal::Limit(limit)));
    }
    let n = conn.execute(
        "UPDATE rounds SET volunteer_id = ?2, assigned_at = ?3 WHERE id = ?1 AND volunteer_id IS NULL
         AND EXISTS (SELECT 1 FROM campaign_items i WHERE i.round_id = ?1 AND i.status IN ('open', 'failed'))",
        params![round.to_string(), volunteer.to_string(), now.millis()],
    )?;
    if n != 1 {
        return Ok(Err(TakeRefusal::Taken));
    }
    conn.execute(
        "INSERT OR IGNORE INTO round_assignees (round_id, person_id, assigned_at) VALUES (?1, ?2, ?3)",
        params![round.to_string(), volunteer.to_string(), now.millis()],
    )?;
    Ok(Ok(()))
}

/// Rounds `person` holds now.
pub fn held_by(conn: &Connection, person: PersonId) -> Result<Vec<RoundId>, ServerError> {
    let mut stmt = conn.prepare("SELECT id FROM rounds WHERE volunteer_id = ?1")?;
    let rows = stmt.query_map([person.to_string()], |r| parse_col(r, 0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Replaces the live pending codes of `round` (items still open or failed) with fresh ones,
/// drawn under the same rules as a campaign's: 2 buttons apart from every code in use or in
/// quarantine, not the safe's recent codes. The old pending codes retire (and stay in
/// quarantine: a phone held them). The carers' current codes are untouched. Returns the
/// safes whose code was replaced.
pub fn rekey(
    conn: &Connection,
    key: &SecretKey,
    round: RoundId,
    now: Timestamp,
    rng: &mut dyn RandomSource,
) -> Result<Vec<SafeId>, ServerError> {
    let mut stmt = conn.prepare(
        "SELECT i.safe_id, i.pending_code_id, s.model_id FROM campaign_items i JOIN safes s ON s.id = i.safe_id
         WHERE i.round_id = ?1 AND i.status IN ('open', 'failed') AND i.pending_code_id IS NOT NULL",
    )?;
    let items: Vec<(SafeId, CodeId, SafeModelId)> = stmt
        .query_map([round.to_string()], |r| {
            Ok((parse_col(r, 0)?, parse_col(r, 1)?, parse_col(r, 2)?))
        })?
        .collect::<Result<_, _>>()?;
    if items.is_empty() {
        return Ok(Vec::new());
    }
    let models = registry::models(conn)?;
    let quarantine = super::settings::lifecycle(conn)?.quarantine_days;
    let quarantine_start = now.plus_days(-i64::from(quarantine)).millis();
    let codes = campaigns::all_codes(conn, key)?;
    let mut blocking: Vec<(SafeId, ButtonSet)> = campaigns::blocking(&codes, quarantine_start)
        .map(|c| (c.safe, c.value.clone()))
        .collect();
    let mut out = Vec::new();
    for (safe, old, model_id) in items {
        let model = models
            .get(&model_id)
            .ok_or_else(|| ServerError::NotFound("safe model".into()))?;
        // As when the campaign planned it: the safe's own codes are history, not neighbours.
        let in_use: Vec<ButtonSet> = blocking
            .iter()
            .filter(|(s, _)| *s != safe)
            .map(|(_, c)| c.clone())
            .collect();
        let history: Vec<ButtonSet> = codes
            .iter()
            .filter(|c| c.safe == safe)
            .map(|c| c.value.clone())
            .collect();
        let value = generate_code(model, &in_use, &history, &CodeRules::default(), rng)
            .map_err(ServerError::Domain)?;
        let code = Code {
            id: CodeId::random(rng),
            safe,
            value: value.clone(),
            state: CodeState::Pending,
            created_at: now,
            activated_at: None,
            retired_at: None,
        };
        conn.execute(
            "UPDATE codes SET state = 'retired', retired_at = ?2 WHERE id = ?1 AND state = 'pending'",
            params![old.to_string(), now.millis()],
        )?;
        registry::insert_code(conn, key, &code)?;
        conn.execute(
            "UPDATE campaign_items SET pending_code_id = ?3 WHERE round_id = ?1 AND safe_id = ?2",
            params![round.to_string(), safe.to_string(), code.id.to_string()],
        )?;
        blocking.push((safe, value));
        out.push(safe);
    }
    Ok(out)
}

/// Checks that `person` is an active volunteer of `org` (the coordinator's office).
pub fn check_volunteer(conn: &Connection, person: PersonId, org: OrgId) -> Result<(), ServerError> {
    let found: Option<(Role, bool)> = conn
        .query_row(
            "SELECT role, revoked_at IS NOT NULL FROM people WHERE id = ?1 AND org_id = ?2",
            params![person.to_string(), org.to_string()],
            |r| Ok((parse_col(r, 0)?, r.get(1)?)),
        )
        .optional()?;
    match found {
        Some((Role::Volunteer, false)) => Ok(()),
        _ => Err(ServerError::Refused(crate::error::Problem::NotAVolunteer)),
    }
}
