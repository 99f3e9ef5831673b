//! One sync request of one device: which documents it may hold, the protocol round for each,
//! and the ingestion of what its outbox brought.

use automerge::AutoCommit;
use kluis_crypto::SecretKey;
use kluis_domain::DomainError;
use kluis_domain::ids::{DeviceId, EventId, SafeId};
use kluis_domain::model::Role;
use kluis_domain::schema::{DeviceEvent, ScopeSettings, read_device_events, read_scope};
use kluis_domain::sync::{
    Access, DocId, DocKind, Incoming, PROTOCOL_VERSION, SyncReply, SyncRequest, server_round,
};
use kluis_domain::time::Timestamp;
use rusqlite::Connection;

use crate::db::accounts::Actor;
use crate::db::changes::{self, Applied, Record};
use crate::db::{audit, docs};
use crate::error::{ApiError, ServerError};
use crate::scopes::{Scopes, lock};
use crate::state::OsRandom;

pub struct SyncContext<'a> {
    pub key: &'a SecretKey,
    pub scopes: &'a Scopes,
    pub settings: &'a ScopeSettings,
    pub now: Timestamp,
}

/// What the device may hold: its own outbox, its service's scope for the roles that open
/// safes, and a volunteer's own rounds. Nothing else is ever processed for it.
fn allowed(
    conn: &Connection,
    ctx: &SyncContext<'_>,
    actor: &Actor,
) -> Result<Vec<DocId>, ServerError> {
    let mut keep = vec![DocId::device(actor.device)];
    if matches!(actor.person.role, Role::Carer | Role::ServiceAdmin) {
        let scope = ctx
            .scopes
            .get(conn, ctx.key, actor.org.id, ctx.settings, ctx.now)?;
        keep.insert(0, DocId::scope(actor.org.id, lock(&scope).epoch));
    }
    if actor.person.role == Role::Volunteer {
        let epoch = crate::rounds::epoch(
            conn,
            ctx.key,
            actor.person.id,
            ctx.settings.grace_days,
            ctx.now,
        )?;
        keep.insert(0, DocId::rounds(actor.person.id, epoch));
    }
    Ok(keep)
}

fn bad(e: DomainError) -> ApiError {
    ApiError::bad_request(format!("Synchronisatie geweigerd: {e}")).with_cause(e)
}

/// Handles one request. Either the whole request is applied or nothing is: the device
/// document and all sync states are written in one transaction at the end.
pub fn handle(
    conn: &mut Connection,
    ctx: &SyncContext<'_>,
    actor: &Actor,
    body: &[u8],
) -> Result<Vec<u8>, ApiError> {
    let request = SyncRequest::decode(body).map_err(bad)?;
    let keep = allowed(conn, ctx, actor)?;
    let mut replies = Vec::new();
    let mut states = Vec::new();
    let mut device_doc: Option<(AutoCommit, Vec<(EventId, DeviceEvent)>)> = None;

    for id in &keep {
        let incoming = request.docs.iter().find(|d| &d.doc == id);
        // Held but nothing to say this round: nothing to answer either.
        if matches!(incoming, Some(d) if d.message.is_none()) {
            continue;
        }
        let message = incoming.and_then(|d| d.message.as_deref());
        let stored = docs::sync_state(conn, actor.device, id)?;
        let round = match id.kind() {
            DocKind::Scope { service, .. } => {
                let shared = ctx
                    .scopes
                    .get(conn, ctx.key, service, ctx.settings, ctx.now)?;
                let mut scope = lock(&shared);
                let snapshot = if message.is_none() {
                    scope.snapshot()
                } else {
                    Vec::new()
                };
                let incoming = match message {
                    Some(bytes) => Incoming::Message(bytes),
                    None => Incoming::NotHeld {
                        snapshot: &snapshot,
                    },
                };
                server_round(
                    &mut scope.doc,
                    id,
                    stored.as_deref(),
                    Access::ReadOnly,
                    incoming,
                    &|_| Ok(()),
                )
                .map_err(bad)?
            }
            DocKind::Rounds { person, .. } => {
                let (_, mut doc, bytes) = crate::rounds::load(conn, ctx.key, person)?
                    .ok_or_else(|| ServerError::NotFound("rounds document".into()))?;
                let incoming = match message {
                    Some(bytes) => Incoming::Message(bytes),
                    None => Incoming::NotHeld { snapshot: &bytes },
                };
                server_round(
                    &mut doc,
                    id,
                    stored.as_deref(),
                    Access::ReadOnly,
                    incoming,
                    &|_| Ok(()),
                )
                .map_err(bad)?
            }
            DocKind::Device { device } => {
                let mut doc = match docs::load_device_doc(conn, ctx.key, device)? {
                    Some(bytes) => AutoCommit::load(&bytes).map_err(|e| {
                        ServerError::Invalid(format!("stored device document is damaged: {e}"))
                    })?,
                    None => AutoCommit::new(),
                };
                let snapshot = if message.is_none() {
                    doc.save()
                } else {
                    Vec::new()
                };
                let incoming = match message {
                    Some(bytes) => Incoming::Message(bytes),
                    None => Incoming::NotHeld {
                        snapshot: &snapshot,
                    },
                };
                let validate = |d: &AutoCommit| validate_outbox(d, actor, conn, ctx);
                let round = server_round(
                    &mut doc,
                    id,
                    stored.as_deref(),
                    Access::ReadWrite,
                    incoming,
                    &validate,
                )
                .map_err(|e| {
                    ApiError::new(
                        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                        "invalid_outbox",
                        format!("Gegevens van dit toestel geweigerd: {e}"),
                    )
                    .with_cause(e)
                })?;
                if round.doc_changed {
                    let events = read_device_events(&doc, device).map_err(bad)?;
                    device_doc = Some((doc, events));
                }
                round
            }
        };
        if let Some(state) = round.new_state {
            states.push((id.clone(), state));
        }
        replies.push(round.reply);
    }

    let tx = conn.transaction().map_err(ServerError::from)?;
    let mut applied = Applied::default();
    if let Some((mut doc, events)) = device_doc {
        docs::store_device_doc(&tx, ctx.key, actor.device, &doc.save(), ctx.now)?;
        for (event_id, event) in events {
            ingest(&tx, ctx, actor, event_id, event, &mut applied)?;
        }
    }
    for (id, state) in states {
        docs::store_sync_state(&tx, actor.device, &id, &state)?;
    }
    docs::prune_sync_states(&tx, actor.device, &keep)?;
    tx.commit().map_err(ServerError::from)?;
    if !applied.touched.is_empty() {
        // The change is committed: carers' scopes get the new code (and "vorige code"), the
        // volunteers' rounds the new status, and open apps a `sync` nudge. Should this fail,
        // the hourly maintenance pass and every later change rebuild the same documents.
        if let Err(e) = crate::rounds::after_change(
            conn,
            ctx.key,
            ctx.scopes,
            ctx.settings,
            &applied.touched,
            &[actor.person.id],
            ctx.now,
        ) {
            tracing::error!(%e, "documents not rebuilt after a code change");
        }
    }

    let reply = SyncReply::Docs {
        protocol: PROTOCOL_VERSION,
        keep,
        docs: replies,
        server_time: ctx.now,
    };
    reply.encode().map_err(ApiError::internal)
}

/// Writes one outbox event where it belongs: the audit trail, and for a volunteer's record
/// also the change records and whatever follows from them. Each event counts once.
fn ingest(
    conn: &Connection,
    ctx: &SyncContext<'_>,
    actor: &Actor,
    event_id: EventId,
    event: DeviceEvent,
    applied: &mut Applied,
) -> Result<(), ServerError> {
    let (safe, at, kind, detail, failure) = match event {
        DeviceEvent::CodeRevealed { safe, at } => (safe, at, "code_revealed", String::new(), None),
        DeviceEvent::CodeSet { safe, at } => (safe, at, "code_set", String::new(), None),
        DeviceEvent::ChangeFailed {
            safe,
            reason,
            note,
            at,
        } => (
            safe,
            at,
            "change_failed",
            format!("{reason}: {note}"),
            Some((reason, note)),
        ),
    };
    audit::record(
        conn,
        event_id,
        at,
        ctx.now,
        Some(actor.person.id),
        Some(actor.device),
        kind,
        Some(safe),
        &detail,
    )?;
    if kind == "code_revealed" {
        return Ok(());
    }
    let campaign = changes::item_for(conn, actor.person.id, safe)?
        .ok_or_else(|| ServerError::Invalid(format!("no round of yours holds safe {safe}")))?;
    let record = Record {
        id: event_id,
        safe,
        volunteer: actor.person.id,
        device: actor.device,
        failure,
        at,
    };
    changes::apply(conn, &record, campaign, ctx.now, &mut OsRandom, applied)
}

/// An outbox may only hold well-formed events about safes its person may see; a record of a
/// code change only from a volunteer, about a safe in a round they hold or held. Only events
/// not yet recorded are checked: one accepted earlier stays accepted when the safe later
/// leaves the person's reach, so it cannot block the device's outbox for good.
fn validate_outbox(
    doc: &AutoCommit,
    actor: &Actor,
    conn: &Connection,
    ctx: &SyncContext<'_>,
) -> Result<(), DomainError> {
    let db = |e: ServerError| DomainError::Protocol(e.to_string());
    let events = read_device_events(doc, actor.device)?;
    let mut visible: Option<Vec<SafeId>> = None;
    for (id, event) in &events {
        match event {
            DeviceEvent::CodeRevealed { safe, .. } => {
                if audit::exists(conn, *id).map_err(db)? {
                    continue;
                }
                if visible.is_none() {
                    visible = Some(visible_safes(conn, ctx, actor.device).map_err(db)?);
                }
                let in_scope = visible.as_ref().is_some_and(|v| v.contains(safe));
                let in_round = actor.person.role == Role::Volunteer
                    && changes::item_for(conn, actor.person.id, *safe)
                        .map_err(db)?
                        .is_some();
                if !in_scope && !in_round {
                    return Err(DomainError::Protocol(format!(
                        "event about safe {safe} outside this device's scope"
                    )));
                }
            }
            DeviceEvent::CodeSet { safe, .. } | DeviceEvent::ChangeFailed { safe, .. } => {
                if changes::is_recorded(conn, *id).map_err(db)? {
                    continue;
                }
                if actor.person.role != Role::Volunteer {
                    return Err(DomainError::Protocol(
                        "only volunteers record code changes".into(),
                    ));
                }
                if changes::item_for(conn, actor.person.id, *safe)
                    .map_err(db)?
                    .is_none()
                {
                    return Err(DomainError::Protocol(format!(
                        "no round of this volunteer holds safe {safe}"
                    )));
                }
            }
        }
    }
    Ok(())
}

fn visible_safes(
    conn: &Connection,
    ctx: &SyncContext<'_>,
    device: DeviceId,
) -> Result<Vec<SafeId>, ServerError> {
    let org: Option<kluis_domain::ids::OrgId> = crate::db::accounts::device_org(conn, device)?;
    let Some(org) = org else {
        return Ok(Vec::new());
    };
    let shared = ctx.scopes.get(conn, ctx.key, org, ctx.settings, ctx.now);
    match shared {
        Ok(shared) => Ok(read_scope(&lock(&shared).doc)?.safes.into_keys().collect()),
        // Organisations without a scope (not a home-care service) see no safes.
        Err(ServerError::NotFound(_)) => Ok(Vec::new()),
        Err(e) => Err(e),
    }
}
