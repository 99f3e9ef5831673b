//! Revoking a device or a person, with what must follow in the same transaction: an audit
//! row, and fresh pending codes for the rounds whose codes the revoked phones held (a
//! revoked volunteer's rounds become free). The API and `sync-server admin` both come here.

use kluis_crypto::SecretKey;
use kluis_domain::ids::{DeviceId, EventId, PersonId, SafeId};
use kluis_domain::model::AuditKind;
use kluis_domain::model::Role;
use kluis_domain::time::Timestamp;
use rusqlite::Connection;

use crate::db::{accounts, audit, rounds};
use crate::error::ServerError;
use crate::state::OsRandom;

/// What a revocation did.
#[derive(Clone, Debug, Default)]
pub struct Revocation {
    /// False when it had been revoked before.
    pub revoked: bool,
    /// The person whose rounds documents must be rebuilt.
    pub person: Option<PersonId>,
    /// The safes whose pending codes were replaced (carers' scopes show the new ones).
    pub rekeyed: Vec<SafeId>,
}

fn is_volunteer(conn: &Connection, person: PersonId) -> Result<bool, ServerError> {
    Ok(accounts::find_person(conn, person)?.is_some_and(|(p, _, _)| p.role == Role::Volunteer))
}

fn record(
    conn: &Connection,
    by: Option<PersonId>,
    subject: PersonId,
    device: Option<DeviceId>,
    kind: AuditKind,
    detail: &str,
    now: Timestamp,
) -> Result<(), ServerError> {
    let detail = match by {
        Some(by) => format!("{detail} (door {by})"),
        None => format!("{detail} (sync-server admin)"),
    };
    audit::record(
        conn,
        EventId::random(&mut OsRandom),
        now,
        now,
        Some(subject),
        device,
        kind,
        None,
        &detail,
    )?;
    Ok(())
}

/// Revokes one device. A volunteer keeps their rounds, but the pending codes the lost phone
/// held are replaced; their next phone gets the new ones.
pub fn revoke_device(
    conn: &mut Connection,
    key: &SecretKey,
    device: DeviceId,
    by: Option<PersonId>,
    now: Timestamp,
) -> Result<Revocation, ServerError> {
    let tx = conn.transaction()?;
    let person = accounts::device_person(&tx, device)?
        .ok_or_else(|| ServerError::NotFound("Dit toestel".into()))?;
    let revoked = accounts::revoke_device_in(&tx, device, now)?;
    let mut rekeyed = Vec::new();
    if revoked {
        if is_volunteer(&tx, person)? {
            for round in rounds::held_by(&tx, person)? {
                rekeyed.extend(rounds::rekey(&tx, key, round, now, &mut OsRandom)?);
            }
        }
        let detail = format!(
            "toestel ingetrokken, {} nieuwe codes in de rondes",
            rekeyed.len()
        );
        record(
            &tx,
            by,
            person,
            Some(device),
            AuditKind::DeviceRevoked,
            &detail,
            now,
        )?;
    }
    tx.commit()?;
    Ok(Revocation {
        revoked,
        person: Some(person),
        rekeyed,
    })
}

/// Revokes a person with every device and session. Their rounds become free, with fresh
/// pending codes.
pub fn revoke_person(
    conn: &mut Connection,
    key: &SecretKey,
    person: PersonId,
    by: Option<PersonId>,
    now: Timestamp,
) -> Result<Revocation, ServerError> {
    revoke_person_as(conn, key, person, by, AuditKind::PersonRevoked, now)
}

/// [`revoke_person`], recorded as `kind` (an admin's revocation, or access that ended).
pub fn revoke_person_as(
    conn: &mut Connection,
    key: &SecretKey,
    person: PersonId,
    by: Option<PersonId>,
    kind: AuditKind,
    now: Timestamp,
) -> Result<Revocation, ServerError> {
    let tx = conn.transaction()?;
    let revoked = accounts::revoke_person_in(&tx, person, now)?;
    let mut rekeyed = Vec::new();
    if revoked {
        for round in rounds::held_by(&tx, person)? {
            rekeyed.extend(rounds::assign(&tx, key, round, None, now, &mut OsRandom)?);
        }
        let detail = format!(
            "persoon ingetrokken, {} nieuwe codes in de rondes",
            rekeyed.len()
        );
        record(&tx, by, person, None, kind, &detail, now)?;
    }
    tx.commit()?;
    Ok(Revocation {
        revoked,
        person: Some(person),
        rekeyed,
    })
}

/// How often the running server looks for revocations it did not make itself.
pub const WATCH_EVERY: std::time::Duration = std::time::Duration::from_secs(10);

/// What the database says about revoked devices: it moves whenever one is revoked, by this
/// server or by `sync-server admin` in another process.
fn revocation_mark(conn: &Connection) -> Result<(i64, Option<i64>), ServerError> {
    Ok(conn
        .prepare_cached(
            "SELECT COUNT(*), MAX(revoked_at) FROM devices WHERE revoked_at IS NOT NULL",
        )?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

/// Nudges open event streams when a revocation appears that no API call announced (the
/// `admin` command cannot reach this process's memory): one small query per period for the
/// whole server, rather than one per open stream. The scopes are rebuilt then too: the command
/// may have replaced new codes that carers' phones show (a rare event, so the whole pass).
pub async fn watch(state: crate::AppState) {
    let mut every = tokio::time::interval(WATCH_EVERY);
    let mut seen = None;
    loop {
        every.tick().await;
        match state.db.call(|conn| revocation_mark(conn)).await {
            Ok(mark) => {
                if seen.is_some_and(|before| before != mark) {
                    state.scopes.nudge(crate::scopes::Nudge::Revocation);
                    if let Err(e) = crate::run_maintenance(&state, state.now()).await {
                        tracing::warn!(%e, "scopes not rebuilt after a revocation");
                    }
                }
                seen = Some(mark);
            }
            Err(e) => tracing::warn!(%e, "could not look for revocations"),
        }
    }
}
