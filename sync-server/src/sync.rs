//! One sync request of one device: which documents it may hold, the protocol round for each,
//! and the ingestion of what its outbox brought.

use automerge::AutoCommit;
use kluis_crypto::SecretKey;
use kluis_domain::DomainError;
use kluis_domain::ids::DeviceId;
use kluis_domain::model::Role;
use kluis_domain::schema::{DeviceEvent, ScopeSettings, read_device_events, read_scope};
use kluis_domain::sync::{
    Access, DocId, DocKind, Incoming, PROTOCOL_VERSION, SyncReply, SyncRequest, server_round,
};
use kluis_domain::time::Timestamp;
use rusqlite::Connection;

use crate::db::accounts::Actor;
use crate::db::{audit, docs};
use crate::error::{ApiError, ServerError};
use crate::scopes::{Scopes, lock};

pub struct SyncContext<'a> {
    pub key: &'a SecretKey,
    pub scopes: &'a Scopes,
    pub settings: &'a ScopeSettings,
    pub now: Timestamp,
}

/// What the device may hold: its own outbox, and its service's scope for the roles that open
/// safes. Nothing else is ever processed for it.
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
    let mut device_doc: Option<(AutoCommit, Vec<(kluis_domain::ids::EventId, DeviceEvent)>)> = None;

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
                let validate = |d: &AutoCommit| validate_outbox(d, device, conn, ctx);
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
    if let Some((mut doc, events)) = device_doc {
        docs::store_device_doc(&tx, ctx.key, actor.device, &doc.save(), ctx.now)?;
        for (event_id, event) in events {
            match event {
                DeviceEvent::CodeRevealed { safe, at } => {
                    audit::record(
                        &tx,
                        event_id,
                        at,
                        ctx.now,
                        Some(actor.person.id),
                        Some(actor.device),
                        "code_revealed",
                        Some(safe),
                        "",
                    )?;
                }
            }
        }
    }
    for (id, state) in states {
        docs::store_sync_state(&tx, actor.device, &id, &state)?;
    }
    docs::prune_sync_states(&tx, actor.device, &keep)?;
    tx.commit().map_err(ServerError::from)?;

    let reply = SyncReply::Docs {
        protocol: PROTOCOL_VERSION,
        keep,
        docs: replies,
        server_time: ctx.now,
    };
    reply.encode().map_err(ApiError::internal)
}

/// An outbox may only hold well-formed events about safes its person may see.
fn validate_outbox(
    doc: &AutoCommit,
    device: DeviceId,
    conn: &Connection,
    ctx: &SyncContext<'_>,
) -> Result<(), DomainError> {
    let events = read_device_events(doc, device)?;
    if events.is_empty() {
        return Ok(());
    }
    let visible =
        visible_safes(conn, ctx, device).map_err(|e| DomainError::Protocol(e.to_string()))?;
    for (_, event) in &events {
        match event {
            DeviceEvent::CodeRevealed { safe, .. } => {
                if !visible.contains(safe) {
                    return Err(DomainError::Protocol(format!(
                        "event about safe {safe} outside this device's scope"
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
) -> Result<Vec<kluis_domain::ids::SafeId>, ServerError> {
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
