//! One sync request of one device, in three phases so the Automerge work never holds the
//! database: [`prepare`] reads what the device may hold (database), [`run`] runs the protocol
//! round of each document (no database; bounded by `kluis_domain::sync::limits`), and
//! [`commit`] checks and records what the outbox brought and stores the sync states in one
//! transaction (database). The caller admits one sync per device at a time
//! (`gate::DeviceGate`), so nothing of the device's changes between the phases.

mod outbox;
pub mod states;

use automerge::AutoCommit;
use kluis_crypto::SecretKey;
use kluis_domain::DomainError;
use kluis_domain::ids::{EventId, SafeId};
use kluis_domain::model::Role;
use kluis_domain::schema::{DeviceEvent, ScopeSettings, read_device_events, scope_has_safe};
use kluis_domain::sync::limits::MAX_OUTBOX_BYTES;
use kluis_domain::sync::{
    Access, DocId, DocKind, DocMessage, Incoming, PROTOCOL_VERSION, SyncReply, SyncRequest,
    server_round,
};
use kluis_domain::time::Timestamp;
use rusqlite::Connection;

use crate::db::accounts::Actor;
use crate::db::changes::Applied;
use crate::db::docs;
use crate::db::sessions;
use crate::error::{ApiError, ErrorCode, ServerError, WipeReason};
use crate::scopes::{Scopes, SharedScope, lock};

pub struct SyncContext<'a> {
    pub key: &'a SecretKey,
    pub scopes: &'a Scopes,
    pub states: &'a states::SyncStates,
    pub settings: &'a ScopeSettings,
    pub now: Timestamp,
}

impl<'a> SyncContext<'a> {
    /// The server's key and scopes, with the device settings of this request.
    pub fn of(app: &'a crate::AppState, settings: &'a ScopeSettings, now: Timestamp) -> Self {
        SyncContext {
            key: &app.key,
            scopes: &app.scopes,
            states: &app.sync_states,
            settings,
            now,
        }
    }
}

/// A refused message: 400 for what the protocol or its bounds do not allow.
pub fn refused(e: DomainError) -> ApiError {
    match e {
        DomainError::Bounds(_) => {
            ApiError::bad_request_code(ErrorCode::SyncLimits, format!("sync refused: {e}"))
                .with_cause(e)
        }
        e => ApiError::bad_request(format!("sync refused: {e}")).with_cause(e),
    }
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

enum Source {
    Scope(SharedScope),
    /// Saved bytes, loaded in the Automerge phase.
    Rounds(Vec<u8>),
    Device(Option<Vec<u8>>),
}

struct Part {
    id: DocId,
    /// The device's message; `None` when it does not hold the document yet.
    message: Option<Vec<u8>>,
    stored_state: Option<Vec<u8>>,
    source: Source,
}

/// Phase 1's outcome: everything the protocol rounds need, read from the database.
pub struct Prepared {
    keep: Vec<DocId>,
    parts: Vec<Part>,
    actor: Actor,
    /// The scope the device's reveals must be about.
    own_scope: Option<SharedScope>,
}

/// Phase 1 (database): which documents, their stored sync states and bytes.
pub fn prepare(
    conn: &Connection,
    ctx: &SyncContext<'_>,
    actor: &Actor,
    request: SyncRequest,
) -> Result<Prepared, ApiError> {
    let keep = allowed(conn, ctx, actor)?;
    let own_scope = match actor.person.role {
        Role::Carer | Role::ServiceAdmin => {
            Some(
                ctx.scopes
                    .get(conn, ctx.key, actor.org.id, ctx.settings, ctx.now)?,
            )
        }
        _ => None,
    };
    let mut parts = Vec::new();
    let mut messages = request.docs;
    for id in &keep {
        let incoming = messages
            .iter()
            .position(|d| &d.doc == id)
            .map(|i| messages.swap_remove(i));
        let message = match incoming {
            // Held but nothing to say this round: nothing to answer either.
            Some(DocMessage { message: None, .. }) => continue,
            Some(d) => d.message,
            None => None,
        };
        let source = match id.kind() {
            DocKind::Scope { service, .. } => {
                Source::Scope(
                    ctx.scopes
                        .get(conn, ctx.key, service, ctx.settings, ctx.now)?,
                )
            }
            DocKind::Rounds { person, .. } => Source::Rounds(
                docs::load_rounds(conn, ctx.key, person)?
                    .ok_or_else(|| ServerError::NotFound("rounds document".into()))?
                    .1,
            ),
            DocKind::Device { device } => {
                Source::Device(docs::load_device_doc(conn, ctx.key, device)?)
            }
        };
        parts.push(Part {
            stored_state: ctx.states.get(conn, actor.device, id)?,
            id: id.clone(),
            message,
            source,
        });
    }
    Ok(Prepared {
        keep,
        parts,
        actor: actor.clone(),
        own_scope,
    })
}

/// The outbox with the device's changes applied: saved, and its events.
type Outbox = (Vec<u8>, Vec<(EventId, DeviceEvent)>);

/// Phase 2's outcome, to be committed.
pub struct Worked {
    keep: Vec<DocId>,
    replies: Vec<DocMessage>,
    states: Vec<(DocId, Vec<u8>)>,
    outbox: Option<Outbox>,
    /// The safes of the device's scope, for checking its reveals.
    visible: Vec<SafeId>,
    actor: Actor,
}

fn load(bytes: &[u8], what: &str) -> Result<AutoCommit, ServerError> {
    AutoCommit::load(bytes)
        .map_err(|e| ServerError::Invalid(format!("stored {what} document is damaged: {e}")))
}

fn invalid_outbox(e: DomainError) -> ApiError {
    ApiError::new(
        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::InvalidOutbox,
        format!("device data refused: {e}"),
    )
    .with_cause(e)
}

/// Phase 2 (no database): the Automerge protocol round of each document. Its work is
/// bounded by the checked message (`limits`) and the server's own documents.
pub fn run(prepared: Prepared) -> Result<Worked, ApiError> {
    let Prepared {
        keep,
        parts,
        actor,
        own_scope,
    } = prepared;
    let mut replies = Vec::new();
    let mut states = Vec::new();
    let mut outbox = None;
    let mut visible = Vec::new();
    for part in parts {
        let stored = part.stored_state.as_deref();
        let round = match part.source {
            Source::Scope(shared) => {
                let mut scope = lock(&shared);
                match part.message.as_deref() {
                    Some(message) => scope.round(&part.id, stored, message),
                    None => {
                        let snapshot = scope.snapshot();
                        server_round(
                            &mut scope.doc,
                            &part.id,
                            stored,
                            Access::ReadOnly,
                            Incoming::NotHeld {
                                snapshot: &snapshot,
                            },
                            &|_| Ok(()),
                        )
                    }
                }
                .map_err(refused)?
            }
            Source::Rounds(bytes) => {
                let mut doc = load(&bytes, "rounds")?;
                let incoming = incoming(part.message.as_deref(), &bytes);
                server_round(
                    &mut doc,
                    &part.id,
                    stored,
                    Access::ReadOnly,
                    incoming,
                    &|_| Ok(()),
                )
                .map_err(refused)?
            }
            Source::Device(bytes) => {
                let mut doc = match &bytes {
                    Some(b) => load(b, "device")?,
                    None => AutoCommit::new(),
                };
                let snapshot = match part.message {
                    None => doc.save(),
                    Some(_) => Vec::new(),
                };
                let incoming = incoming(part.message.as_deref(), &snapshot);
                let device = actor.device;
                // The schema is checked here; who may say what is checked at commit, against
                // the database as it is then.
                let validate = |d: &AutoCommit| read_device_events(d, device).map(|_| ());
                let round = server_round(
                    &mut doc,
                    &part.id,
                    stored,
                    Access::ReadWrite,
                    incoming,
                    &validate,
                )
                .map_err(|e| match e {
                    e @ DomainError::Bounds(_) => refused(e),
                    e => invalid_outbox(e),
                })?;
                if round.doc_changed {
                    let saved = doc.save();
                    if saved.len() > MAX_OUTBOX_BYTES {
                        return Err(invalid_outbox(DomainError::Bounds(format!(
                            "the outbox would hold {} bytes (at most {MAX_OUTBOX_BYTES}): sign in again",
                            saved.len()
                        ))));
                    }
                    let events = read_device_events(&doc, device).map_err(invalid_outbox)?;
                    outbox = Some((saved, events));
                }
                round
            }
        };
        if let Some(state) = round.new_state {
            states.push((part.id.clone(), state));
        }
        replies.push(round.reply);
    }
    if let (Some((_, events)), Some(scope)) = (&outbox, &own_scope) {
        let scope = lock(scope);
        for (_, event) in events {
            if let Some(safe) = outbox::needs_scope(event)
                && scope_has_safe(&scope.doc, safe)
            {
                visible.push(safe);
            }
        }
    }
    Ok(Worked {
        keep,
        replies,
        states,
        outbox,
        visible,
        actor,
    })
}

fn incoming<'a>(message: Option<&'a [u8]>, snapshot: &'a [u8]) -> Incoming<'a> {
    match message {
        Some(bytes) => Incoming::Message(bytes),
        None => Incoming::NotHeld { snapshot },
    }
}

/// What a sync notes about its device besides the documents; each is `None`/`false` when
/// nothing is due, so a sync with nothing new writes nothing at all.
pub struct Bookkeeping {
    /// The token to hand over a successor for (its hash).
    pub rotate_from: Option<String>,
    /// Note the device as seen now.
    pub seen: bool,
    /// The app version the device says it runs, when it differs from the stored one.
    pub app_version: Option<String>,
}

/// What the sync answered, and the device's next bearer token when it was rotated.
pub struct Committed {
    pub reply: Vec<u8>,
    pub next_token: Option<String>,
}

/// Phase 3 (database, one transaction): the outbox's new events checked and recorded, the
/// outbox stored, the bearer token rotated when due; the changed sync states are noted once
/// that is committed, and written behind (`states`). Either all
/// of it or nothing. The transaction is deferred: when nothing is due it only reads, and
/// SQLite then writes nothing (no WAL frame, no fsync).
pub fn commit(
    conn: &mut Connection,
    ctx: &SyncContext<'_>,
    worked: Worked,
    bookkeeping: Bookkeeping,
) -> Result<Committed, ApiError> {
    let Worked {
        keep,
        replies,
        states,
        outbox,
        visible,
        actor,
    } = worked;
    let tx = conn.transaction().map_err(ServerError::from)?;
    if !sessions::device_active(&tx, actor.device)? {
        // Revoked while the round ran: no data goes out.
        return Err(ApiError::wipe(WipeReason::DeviceRevoked));
    }
    let mut applied = Applied::default();
    if let Some((saved, events)) = outbox {
        docs::store_device_doc(&tx, ctx.key, actor.device, &saved, ctx.now)?;
        for (event_id, event) in events {
            outbox::take_event(&tx, ctx, &actor, &visible, event_id, event, &mut applied)?;
        }
    }
    docs::prune_sync_states(&tx, actor.device, &keep)?;
    let next_token = match &bookkeeping.rotate_from {
        Some(current) => Some(sessions::rotate_token(&tx, current, actor.device, ctx.now)?),
        None => None,
    };
    if bookkeeping.seen {
        sessions::seen(&tx, actor.device, ctx.now)?;
    }
    if let Some(version) = &bookkeeping.app_version {
        sessions::app_version(&tx, actor.device, version)?;
    }
    tx.commit().map_err(ServerError::from)?;
    // Only now that what they acknowledge is committed (see `states`).
    for (id, state) in states {
        ctx.states.put(actor.device, id, state);
    }
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
    Ok(Committed {
        reply: reply.encode().map_err(ApiError::internal)?,
        next_token,
    })
}
