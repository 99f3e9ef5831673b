//! Sessions: the bearer tokens of enrolled devices, stored only as hashes.
//!
//! A session has an absolute end set at sign-in (by role) that no use extends. A sync whose
//! token is older than `Settings::token_rotate_after` (minutes) hands the device a successor
//! token, pending until the device first uses it; that first use supersedes the token before
//! it. Rotating by age rather than at every sync keeps a no-change sync free of writes. A superseded token used again later than the grace
//! (`Settings::token_grace`, a minute) means two holders of one device's store (a copied
//! phone): the device is revoked. A reply that never arrived leaves its successor unused, so the honest phone goes
//! on with the token it has.

use kluis_domain::ids::{DeviceId, EventId, OrgId};
use kluis_domain::model::AuditKind;
use kluis_domain::time::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};

use super::accounts::{Actor, PERSON_COLS, person_row};
use super::audit;
use super::registry::parse_col;
use crate::error::ServerError;
use crate::state::OsRandom;

/// Enrols a new device for `person` and opens a session on it that ends at `expires`.
pub fn enrol_device(
    conn: &mut Connection,
    person: kluis_domain::ids::PersonId,
    device: DeviceId,
    device_name: &str,
    token_hash: &str,
    now: Timestamp,
    expires: Timestamp,
) -> Result<(), ServerError> {
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT INTO devices (id, person_id, name, enrolled_at, last_seen_at) VALUES (?1, ?2, ?3, ?4, ?4)",
        params![device.to_string(), person.to_string(), device_name, now.millis()],
    )?;
    tx.execute(
        "INSERT INTO sessions (token_hash, device_id, created_at, expires_at, first_used_at) VALUES (?1, ?2, ?3, ?4, ?3)",
        params![token_hash, device.to_string(), now.millis(), expires.millis()],
    )?;
    super::audit::record(
        &tx,
        kluis_domain::ids::EventId::random(&mut crate::state::OsRandom),
        now,
        now,
        Some(person),
        Some(device),
        kluis_domain::model::AuditKind::SignedIn,
        None,
        device_name,
    )?;
    tx.commit()?;
    Ok(())
}

/// Where a valid token stands in its device's chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// The newest token the device has used.
    Current,
    /// Its successor was used moments ago: still accepted, never rotated from.
    Superseded,
}

/// How stale a device's `last_seen_at` may get: a sync notes the time only once the stored one
/// is older, so syncs minutes apart do not each write. The coordinator's screens show it as a
/// time of day and the metrics count devices seen in a day.
pub const SEEN_EVERY_MS: i64 = 5 * 60_000;

/// The token and its device as the lookup found them: what a sync needs to decide whether it
/// has anything to write.
#[derive(Clone, Debug)]
pub struct Session {
    pub standing: Standing,
    /// When the server issued this token.
    pub issued_at: Timestamp,
    pub last_seen: Option<Timestamp>,
    pub app_version: Option<String>,
}

impl Session {
    /// A sync hands over a successor once the token is `rotate_after_ms` old. A superseded
    /// token (a request under way while its successor took over) is never rotated from.
    pub fn rotate_due(&self, now: Timestamp, rotate_after_ms: i64) -> bool {
        self.standing == Standing::Current
            && now.millis().saturating_sub(self.issued_at.millis()) >= rotate_after_ms
    }

    /// Whether a sync now should note the device as seen (see [`SEEN_EVERY_MS`]).
    pub fn seen_due(&self, now: Timestamp) -> bool {
        self.last_seen
            .is_none_or(|seen| now.millis().saturating_sub(seen.millis()) >= SEEN_EVERY_MS)
    }

    /// The version the device says it runs, when it differs from the stored one.
    pub fn version_news<'a>(&self, said: Option<&'a str>) -> Option<&'a str> {
        said.filter(|v| self.app_version.as_deref() != Some(v))
    }
}

/// What a bearer token stands for right now.
pub enum SessionLookup {
    Unknown,
    DeviceRevoked,
    PersonRevoked,
    /// The person's "valid until" has passed and they are not revoked yet: revoke them.
    AccessEnded(kluis_domain::ids::PersonId),
    Active(Actor, Session),
}

struct Found {
    actor: Actor,
    session_revoked: bool,
    expires: i64,
    device_revoked: bool,
    person_revoked: bool,
    first_used: Option<i64>,
    superseded: Option<i64>,
    predecessor: Option<String>,
    valid_until: Option<kluis_domain::time::Date>,
    issued_at: Timestamp,
    last_seen: Option<Timestamp>,
    app_version: Option<String>,
}

impl Found {
    fn session(&self, standing: Standing) -> Session {
        Session {
            standing,
            issued_at: self.issued_at,
            last_seen: self.last_seen,
            app_version: self.app_version.clone(),
        }
    }
}

fn find(conn: &Connection, token_hash: &str) -> Result<Option<Found>, ServerError> {
    let sql = format!(
        "SELECT {PERSON_COLS}, s.device_id, s.revoked_at IS NOT NULL, s.expires_at, d.revoked_at IS NOT NULL,
                p.revoked_at IS NOT NULL, s.first_used_at, s.superseded_at, s.predecessor, p.valid_until,
                s.created_at, d.last_seen_at, d.app_version
         FROM sessions s JOIN devices d ON d.id = s.device_id JOIN people p ON p.id = d.person_id
         JOIN organisations o ON o.id = p.org_id WHERE s.token_hash = ?1"
    );
    // Every request asks this: the statement is compiled once per connection.
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([token_hash], |r| {
            let (person, org) = person_row(r)?;
            Ok(Found {
                actor: Actor {
                    person,
                    org,
                    device: parse_col(r, 7)?,
                },
                session_revoked: r.get(8)?,
                expires: r.get(9)?,
                device_revoked: r.get(10)?,
                person_revoked: r.get(11)?,
                first_used: r.get(12)?,
                superseded: r.get(13)?,
                predecessor: r.get(14)?,
                valid_until: super::column::col(r, 15)?,
                issued_at: Timestamp::from_millis(r.get(16)?),
                last_seen: r.get::<_, Option<i64>>(17)?.map(Timestamp::from_millis),
                app_version: r.get(18)?,
            })
        })
        .optional()?)
}

/// Looks a token up for a request and moves its chain on: the first use of a successor
/// supersedes the token before it (and drops successors issued for lost replies); a token
/// superseded longer ago than the grace revokes its device, with an audit row. Revocation of
/// the person or the device wins over an otherwise valid token.
/// `grace_ms`: a request with the token before the newest can be under way while a sync
/// rotates it (a reconnecting event stream, the desktop's parallel calls).
pub fn authenticate(
    conn: &mut Connection,
    token_hash: &str,
    now: Timestamp,
    grace_ms: i64,
) -> Result<SessionLookup, ServerError> {
    let Some(f) = find(conn, token_hash)? else {
        return Ok(SessionLookup::Unknown);
    };
    if f.person_revoked {
        return Ok(SessionLookup::PersonRevoked);
    }
    if kluis_domain::accounts::access_ended(f.valid_until, crate::state::today_in_ghent(now)) {
        return Ok(SessionLookup::AccessEnded(f.actor.person.id));
    }
    if f.device_revoked {
        return Ok(SessionLookup::DeviceRevoked);
    }
    if f.session_revoked || f.expires <= now.millis() {
        return Ok(SessionLookup::Unknown);
    }
    if let Some(superseded) = f.superseded {
        if now.millis() - superseded <= grace_ms {
            let session = f.session(Standing::Superseded);
            return Ok(SessionLookup::Active(f.actor, session));
        }
        let tx = conn.transaction()?;
        super::accounts::revoke_device_in(&tx, f.actor.device, now)?;
        audit::record(
            &tx,
            EventId::random(&mut OsRandom),
            now,
            now,
            Some(f.actor.person.id),
            Some(f.actor.device),
            AuditKind::TokenReuse,
            None,
            "a token used again after its successor: the device store was copied",
        )?;
        tx.commit()?;
        tracing::warn!(device = %f.actor.device, "old token used after its successor: device revoked");
        return Ok(SessionLookup::DeviceRevoked);
    }
    if f.first_used.is_none() {
        let tx = conn.transaction()?;
        tx.execute(
            "UPDATE sessions SET first_used_at = ?2 WHERE token_hash = ?1",
            params![token_hash, now.millis()],
        )?;
        if let Some(pred) = &f.predecessor {
            tx.execute(
                "UPDATE sessions SET superseded_at = ?2 WHERE token_hash = ?1 AND superseded_at IS NULL",
                params![pred, now.millis()],
            )?;
            tx.execute(
                "DELETE FROM sessions WHERE predecessor = ?1 AND first_used_at IS NULL AND token_hash != ?2",
                params![pred, token_hash],
            )?;
        }
        tx.commit()?;
    }
    let session = f.session(Standing::Current);
    Ok(SessionLookup::Active(f.actor, session))
}

/// Issues the successor of `current` (a sync's reply carries it). A successor issued before
/// and never used (its reply was lost) is replaced. The session's end carries over.
pub fn rotate_token(
    conn: &Connection,
    current: &str,
    device: DeviceId,
    now: Timestamp,
) -> Result<String, ServerError> {
    let expires: i64 = conn.query_row(
        "SELECT expires_at FROM sessions WHERE token_hash = ?1 AND device_id = ?2",
        params![current, device.to_string()],
        |r| r.get(0),
    )?;
    conn.execute(
        "DELETE FROM sessions WHERE predecessor = ?1 AND first_used_at IS NULL",
        [current],
    )?;
    let token = kluis_crypto::random_token()?;
    conn.execute(
        "INSERT INTO sessions (token_hash, device_id, created_at, expires_at, predecessor) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![kluis_crypto::token_hash(&token), device.to_string(), now.millis(), expires, current],
    )?;
    Ok(token)
}

/// Notes that the device was seen now.
pub fn seen(conn: &Connection, device: DeviceId, now: Timestamp) -> Result<(), ServerError> {
    conn.execute(
        "UPDATE devices SET last_seen_at = ?2 WHERE id = ?1",
        params![device.to_string(), now.millis()],
    )?;
    Ok(())
}

/// Notes the app version the device says it runs (already checked by
/// `kluis_api::admin::app_version`).
pub fn app_version(conn: &Connection, device: DeviceId, version: &str) -> Result<(), ServerError> {
    conn.execute(
        "UPDATE devices SET app_version = ?2 WHERE id = ?1 AND app_version IS NOT ?2",
        params![device.to_string(), version],
    )?;
    Ok(())
}

/// Whether the device (and its person) may still receive data.
pub fn device_active(conn: &Connection, device: DeviceId) -> Result<bool, ServerError> {
    Ok(conn
        .prepare_cached(
            "SELECT d.revoked_at IS NULL AND p.revoked_at IS NULL
             FROM devices d JOIN people p ON p.id = d.person_id WHERE d.id = ?1",
        )?
        .query_row([device.to_string()], |r| r.get::<_, bool>(0))
        .optional()?
        .unwrap_or(false))
}

/// What an open event stream learns when it re-checks its device.
pub enum DeviceStanding {
    Active,
    DeviceRevoked,
    PersonRevoked,
    /// Signed out, or every session ended.
    Ended,
}

pub fn device_standing(
    conn: &Connection,
    device: DeviceId,
    now: Timestamp,
) -> Result<DeviceStanding, ServerError> {
    let row: Option<(bool, bool, bool)> = conn
        .query_row(
            "SELECT d.revoked_at IS NOT NULL,
                    p.revoked_at IS NOT NULL OR (p.valid_until IS NOT NULL AND p.valid_until < ?3),
                    EXISTS (SELECT 1 FROM sessions s WHERE s.device_id = d.id AND s.revoked_at IS NULL AND s.expires_at > ?2)
             FROM devices d JOIN people p ON p.id = d.person_id WHERE d.id = ?1",
            params![device.to_string(), now.millis(), crate::state::today_in_ghent(now).to_string()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    Ok(match row {
        None => DeviceStanding::Ended,
        Some((_, true, _)) => DeviceStanding::PersonRevoked,
        Some((true, _, _)) => DeviceStanding::DeviceRevoked,
        Some((_, _, false)) => DeviceStanding::Ended,
        Some(_) => DeviceStanding::Active,
    })
}

/// The devices of `service`'s people that stand active now ([`device_standing`] for all of
/// them in one query): who may be sent a change over an open stream without asking again.
pub fn active_devices_of(
    conn: &Connection,
    service: OrgId,
    now: Timestamp,
) -> Result<std::collections::HashSet<DeviceId>, ServerError> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.id FROM devices d JOIN people p ON p.id = d.person_id
         WHERE p.org_id = ?1 AND d.revoked_at IS NULL AND p.revoked_at IS NULL
           AND (p.valid_until IS NULL OR p.valid_until >= ?3)
           AND EXISTS (SELECT 1 FROM sessions s WHERE s.device_id = d.id
                       AND s.revoked_at IS NULL AND s.expires_at > ?2)",
    )?;
    let rows = stmt.query_map(
        params![
            service.to_string(),
            now.millis(),
            crate::state::today_in_ghent(now).to_string()
        ],
        |r| parse_col(r, 0),
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Signing out ends the device's sessions and retires the device, as a revocation does: a
/// new sign-in enrols anew.
pub fn sign_out(
    conn: &mut Connection,
    device: DeviceId,
    now: Timestamp,
) -> Result<(), ServerError> {
    let tx = conn.transaction()?;
    super::accounts::revoke_device_in(&tx, device, now)?;
    let person: Option<String> = tx
        .query_row(
            "SELECT person_id FROM devices WHERE id = ?1",
            [device.to_string()],
            |r| r.get(0),
        )
        .optional()?;
    super::audit::record(
        &tx,
        kluis_domain::ids::EventId::random(&mut crate::state::OsRandom),
        now,
        now,
        person.and_then(|p| p.parse().ok()),
        Some(device),
        kluis_domain::model::AuditKind::SignedOut,
        None,
        "",
    )?;
    tx.commit()?;
    Ok(())
}
