//! Rounds as people see them in lists (no codes), and who holds which round.

use kluis_domain::ids::{CampaignId, OrgId, PersonId, RoundId};
use kluis_domain::model::Role;
use kluis_domain::time::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use utoipa::ToSchema;

use super::registry::parse_col;
use crate::error::ServerError;

/// A round without codes: what a volunteer chooses from, what the coordinator follows.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct RoundSummary {
    pub id: String,
    pub name: String,
    pub ordinal: u32,
    pub district: String,
    pub wave: u32,
    pub campaign_id: String,
    pub campaign_name: String,
    /// `rotation` or `urgent`.
    pub campaign_kind: String,
    pub due_on: Option<String>,
    pub volunteer_id: Option<String>,
    pub volunteer_name: Option<String>,
    pub safes: u32,
    pub open: u32,
    pub done: u32,
    pub failed: u32,
    /// Streets in route order.
    pub streets: Vec<String>,
}

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
            id: r.get(0)?,
            name: r.get(1)?,
            ordinal: r.get(2)?,
            district: r.get(3)?,
            wave: r.get(4)?,
            campaign_id: r.get(5)?,
            campaign_name: r.get(6)?,
            campaign_kind: r.get(7)?,
            due_on: r.get(8)?,
            volunteer_id: r.get(9)?,
            volunteer_name: r.get(10)?,
            safes: r.get(12)?,
            open: r.get(13)?,
            done: r.get(14)?,
            failed: r.get(15)?,
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
        for street in stmt.query_map([&round.id], |r| r.get::<_, String>(0))? {
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

/// Gives `round` to `volunteer` (or to nobody). Whoever held it keeps the right to record
/// what they did before (see [`super::changes::item_for`]).
pub fn assign(
    conn: &Connection,
    round: RoundId,
    volunteer: Option<PersonId>,
    now: Timestamp,
) -> Result<(), ServerError> {
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
    Ok(())
}

/// A volunteer takes an unassigned round with work left. Returns false when someone else
/// holds it or nothing is left to do.
pub fn take(
    conn: &Connection,
    round: RoundId,
    volunteer: PersonId,
    now: Timestamp,
) -> Result<bool, ServerError> {
    holder(conn, round)?;
    let n = conn.execute(
        "UPDATE rounds SET volunteer_id = ?2, assigned_at = ?3 WHERE id = ?1 AND volunteer_id IS NULL
         AND EXISTS (SELECT 1 FROM campaign_items i WHERE i.round_id = ?1 AND i.status IN ('open', 'failed'))",
        params![round.to_string(), volunteer.to_string(), now.millis()],
    )?;
    if n == 1 {
        assign(conn, round, Some(volunteer), now)?;
    }
    Ok(n == 1)
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
        _ => Err(ServerError::Invalid(
            "Deze persoon is geen actieve vrijwilliger van jouw dienst.".into(),
        )),
    }
}
