//! The volunteers' rounds documents, and keeping every document in line after a code change.
//!
//! A rounds document holds the rounds assigned to one volunteer with the codes they need on
//! site. Unlike scopes it is not cached in memory: there are a handful of volunteers and they
//! sync rarely. Like scopes, when something leaves the document (a round given to someone else,
//! a cancelled item, a finished round after the grace period) a new epoch starts, so a phone
//! never keeps history of codes it no longer needs.

use std::collections::BTreeMap;

use automerge::{ActorId, AutoCommit};
use kluis_crypto::SecretKey;
use kluis_domain::ids::{CodeId, OrgId, PersonId, RoundId, SafeId};
use kluis_domain::model::ItemStatus;
use kluis_domain::schema::{
    ModelView, RoundItemView, RoundView, RoundsView, ScopeSettings, write_rounds,
};
use kluis_domain::time::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};

use crate::db::docs;
use crate::db::registry::{self, open_code, parse_col};
use crate::error::ServerError;
use crate::scopes::{Nudge, SERVER_ACTOR, Scopes};

fn server_doc() -> AutoCommit {
    AutoCommit::new().with_actor(ActorId::from(&SERVER_ACTOR[..]))
}

/// Everything one volunteer's phone may hold: their rounds with open or failed items, and
/// finished rounds until `grace_days` after their last change.
pub fn rounds_view(
    conn: &Connection,
    key: &SecretKey,
    person: PersonId,
    grace_days: u32,
    now: Timestamp,
) -> Result<RoundsView, ServerError> {
    let volunteer_name: String = conn
        .query_row(
            "SELECT name FROM people WHERE id = ?1 AND role = 'volunteer'",
            [person.to_string()],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| ServerError::NotFound("Deze vrijwilliger".into()))?;
    let grace_start = now.plus_days(-i64::from(grace_days)).millis();
    let mut stmt = conn.prepare(
        "SELECT r.id, c.id, c.name, c.kind, r.name, r.ordinal, r.district, c.due_on
         FROM rounds r JOIN campaigns c ON c.id = r.campaign_id
         WHERE r.volunteer_id = ?1 AND EXISTS (
           SELECT 1 FROM campaign_items i WHERE i.round_id = r.id
           AND (i.status IN ('open', 'failed') OR (i.status = 'done' AND i.resolved_at >= ?2)))",
    )?;
    let mut rounds: BTreeMap<RoundId, RoundView> = BTreeMap::new();
    for row in stmt.query_map(params![person.to_string(), grace_start], |r| {
        Ok((
            parse_col::<RoundId>(r, 0)?,
            RoundView {
                campaign: parse_col(r, 1)?,
                campaign_name: r.get(2)?,
                campaign_kind: parse_col(r, 3)?,
                name: r.get(4)?,
                ordinal: r.get(5)?,
                district: r.get(6)?,
                due: r.get::<_, Option<String>>(7)?.and_then(|d| d.parse().ok()),
                items: BTreeMap::new(),
            },
        ))
    })? {
        let (id, round) = row?;
        rounds.insert(id, round);
    }

    let mut stmt = conn.prepare(
        "SELECT i.round_id, i.safe_id, i.route_order, b.street, b.numbers, b.postcode, b.city,
                b.district, s.placement, s.model_id, i.pending_code_id, i.status, i.resolved_at,
                pc.sealed_value,
                (SELECT id FROM codes o WHERE o.safe_id = i.safe_id
                   AND o.state = CASE WHEN i.status = 'done' THEN 'previous' ELSE 'current' END),
                (SELECT sealed_value FROM codes o WHERE o.safe_id = i.safe_id
                   AND o.state = CASE WHEN i.status = 'done' THEN 'previous' ELSE 'current' END)
         FROM campaign_items i JOIN rounds r ON r.id = i.round_id
         JOIN safes s ON s.id = i.safe_id JOIN buildings b ON b.id = s.building_id
         JOIN codes pc ON pc.id = i.pending_code_id
         WHERE r.volunteer_id = ?1 AND i.status IN ('open', 'failed', 'done')",
    )?;
    let rows = stmt.query_map([person.to_string()], |r| {
        Ok((
            parse_col::<RoundId>(r, 0)?,
            parse_col::<SafeId>(r, 1)?,
            (
                r.get::<_, u32>(2)?,
                r.get::<_, String>(3)?,
                parse_col(r, 4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, String>(8)?,
                parse_col(r, 9)?,
            ),
            (
                parse_col::<CodeId>(r, 10)?,
                parse_col::<ItemStatus>(r, 11)?,
                r.get::<_, Option<i64>>(12)?,
                r.get::<_, Vec<u8>>(13)?,
                r.get::<_, Option<String>>(14)?,
                r.get::<_, Option<Vec<u8>>>(15)?,
            ),
        ))
    })?;
    for row in rows {
        let (round, safe, place, (code_id, status, resolved, sealed, old_id, old_sealed)) = row?;
        let Some(view) = rounds.get_mut(&round) else {
            continue;
        };
        let (order, street, numbers, postcode, city, district, placement, model) = place;
        let current_code = match (old_id, old_sealed) {
            (Some(id), Some(sealed)) => {
                let id: CodeId = id
                    .parse()
                    .map_err(|_| ServerError::Invalid("stored code id".into()))?;
                Some(open_code(key, safe, id, &sealed)?)
            }
            _ => None,
        };
        view.items.insert(
            safe,
            RoundItemView {
                order,
                street,
                numbers,
                postcode,
                city,
                district,
                placement,
                model,
                current_code,
                new_code: open_code(key, safe, code_id, &sealed)?,
                status,
                resolved_at: resolved.map(Timestamp::from_millis),
            },
        );
    }
    let models = registry::models(conn)?
        .into_values()
        .map(|m| {
            let buttons = m.buttons().iter().collect();
            (
                m.id,
                ModelView {
                    name: m.name,
                    buttons,
                },
            )
        })
        .collect();
    Ok(RoundsView {
        volunteer: person,
        volunteer_name,
        models,
        rounds,
    })
}

/// The current epoch of a volunteer's rounds document, building it on first use.
pub fn epoch(
    conn: &Connection,
    key: &SecretKey,
    person: PersonId,
    grace_days: u32,
    now: Timestamp,
) -> Result<u32, ServerError> {
    if let Some(epoch) = conn
        .prepare_cached("SELECT epoch FROM rounds_docs WHERE person_id = ?1")?
        .query_row([person.to_string()], |r| r.get(0))
        .optional()?
    {
        return Ok(epoch);
    }
    refresh(conn, key, person, grace_days, now)?;
    Ok(conn.query_row(
        "SELECT epoch FROM rounds_docs WHERE person_id = ?1",
        [person.to_string()],
        |r| r.get(0),
    )?)
}

/// The stored document (server actor) and its epoch.
pub fn load(
    conn: &Connection,
    key: &SecretKey,
    person: PersonId,
) -> Result<Option<(u32, AutoCommit, Vec<u8>)>, ServerError> {
    let Some((epoch, bytes)) = docs::load_rounds(conn, key, person)? else {
        return Ok(None);
    };
    let doc = AutoCommit::load(&bytes)
        .map_err(|e| ServerError::Invalid(format!("stored rounds document is damaged: {e}")))?
        .with_actor(ActorId::from(&SERVER_ACTOR[..]));
    Ok(Some((epoch, doc, bytes)))
}

/// Brings a volunteer's rounds document up to date. Returns whether it changed.
pub fn refresh(
    conn: &Connection,
    key: &SecretKey,
    person: PersonId,
    grace_days: u32,
    now: Timestamp,
) -> Result<bool, ServerError> {
    let view = rounds_view(conn, key, person, grace_days, now)?;
    let (epoch, mut doc) = match load(conn, key, person)? {
        Some((epoch, doc, _)) => (epoch, doc),
        None => (0, server_doc()),
    };
    let written = write_rounds(&mut doc, &view, now)?;
    let (epoch, doc) = if written.shrank {
        let mut doc = server_doc();
        write_rounds(&mut doc, &view, now)?;
        (epoch + 1, doc)
    } else {
        (epoch, doc)
    };
    if !written.changed && !written.shrank {
        return Ok(false);
    }
    let mut doc = doc;
    docs::store_rounds(conn, key, person, epoch, &doc.save(), now)?;
    Ok(true)
}

/// Volunteers holding a round with one of these safes.
pub fn volunteers_of(conn: &Connection, safes: &[SafeId]) -> Result<Vec<PersonId>, ServerError> {
    let mut out: Vec<PersonId> = Vec::new();
    let mut stmt = conn.prepare(
        "SELECT DISTINCT r.volunteer_id FROM campaign_items i JOIN rounds r ON r.id = i.round_id
         WHERE i.safe_id = ?1 AND r.volunteer_id IS NOT NULL",
    )?;
    for safe in safes {
        for p in stmt.query_map([safe.to_string()], |r| parse_col::<PersonId>(r, 0))? {
            let p = p?;
            if !out.contains(&p) {
                out.push(p);
            }
        }
    }
    Ok(out)
}

/// After a change to these safes and volunteers' rounds: rebuilds the scopes that see the
/// safes and the volunteers' rounds documents, and tells open apps to sync. Run it after the
/// change is committed, so no document ever shows what the database does not hold.
pub fn after_change(
    conn: &Connection,
    key: &SecretKey,
    scopes: &Scopes,
    settings: &ScopeSettings,
    safes: &[SafeId],
    volunteers: &[PersonId],
    now: Timestamp,
) -> Result<(), ServerError> {
    // Each service's scope changes in the safes it sees, and only there.
    let mut services: Vec<(OrgId, Vec<SafeId>)> = Vec::new();
    for safe in safes {
        for s in registry::services_seeing(conn, *safe)? {
            match services.iter_mut().find(|(id, _)| *id == s) {
                Some((_, seen)) => seen.push(*safe),
                None => services.push((s, vec![*safe])),
            }
        }
    }
    for (service, seen) in services {
        scopes.refresh_safes(conn, key, service, settings, &seen, now)?;
    }
    let mut people = volunteers_of(conn, safes)?;
    for p in volunteers {
        if !people.contains(p) {
            people.push(*p);
        }
    }
    for person in people {
        if refresh(conn, key, person, settings.grace_days, now)? {
            scopes.nudge(Nudge::Person(person));
        }
    }
    Ok(())
}

/// The periodic pass: previous codes past the grace period leave the carers' documents and
/// finished rounds leave the volunteers'. `now` is passed in so tests can move time.
pub fn maintenance(
    conn: &Connection,
    key: &SecretKey,
    scopes: &Scopes,
    settings: &ScopeSettings,
    now: Timestamp,
) -> Result<(), ServerError> {
    let grace_start = now.plus_days(-i64::from(settings.grace_days)).millis();
    conn.execute(
        "UPDATE codes SET state = 'retired' WHERE state = 'previous' AND retired_at < ?1",
        [grace_start],
    )?;
    for (service, _) in registry::care_services(conn)? {
        scopes.refresh(conn, key, service, settings, now)?;
    }
    let mut stmt = conn.prepare("SELECT person_id FROM rounds_docs")?;
    let people: Vec<PersonId> = stmt
        .query_map([], |r| parse_col(r, 0))?
        .collect::<Result<_, _>>()?;
    for person in people {
        // One volunteer's trouble (e.g. a changed role) must not stop the others' expiry.
        match refresh(conn, key, person, settings.grace_days, now) {
            Ok(true) => scopes.nudge(Nudge::Person(person)),
            Ok(false) => {}
            Err(e) => tracing::warn!(%person, %e, "cannot refresh a rounds document"),
        }
    }
    Ok(())
}
