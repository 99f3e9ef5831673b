//! The scope documents: for each home-care service, an Automerge document with exactly the
//! safes it may see. Kept in memory (loaded lazily, stored sealed on every change) because
//! every sync of every carer of that service reads it.
//!
//! A change to a few safes (a confirmed code, a rotation) goes through
//! [`Scopes::refresh_safes`]: only those safes are read from the registry and written into the
//! document, only the new change is stored (a chunk, `db::scope_docs`) and appended to the
//! cached first-sync snapshot, so its cost does not grow with the scope. Anything else (a
//! service's buildings, a setting, the periodic expiry) rebuilds the whole scope.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use automerge::{ActorId, AutoCommit, ChangeHash};
use kluis_crypto::SecretKey;
use kluis_domain::error::DomainError;
use kluis_domain::ids::{DeviceId, OrgId, PersonId, SafeId};
use kluis_domain::schema::{
    ScopeSettings, read_held_scope, read_scope_safe, read_scope_settings, safe_needs_new_epoch,
    scope_has_model, scope_needs_new_epoch, write_scope, write_scope_over, write_scope_safes,
};
use kluis_domain::sync::{
    Access, DocId, DocMessage, Incoming, PushedChange, ServerRound, server_round,
};
use kluis_domain::time::Timestamp;
use prometheus_client::metrics::histogram::Histogram;
use rusqlite::Connection;

use crate::db::{scope_docs, scope_view, sessions};
use crate::error::ServerError;

/// The server writes scope documents under one actor; only one server process writes.
pub(crate) const SERVER_ACTOR: [u8; 16] = *b"kluis-server-v1\0";

/// An incremental update of more safes than this rebuilds the whole scope instead (one pass
/// over the registry beats that many look-ups).
pub const MAX_INCREMENTAL_SAFES: usize = 64;

/// Once this many chunks follow the stored document, the next update stores the whole
/// document again: loading and first-sync snapshots stay one document and a few changes.
pub const MAX_CHUNKS: u32 = 200;

pub struct ScopeDoc {
    pub epoch: u32,
    pub doc: AutoCommit,
    /// Whether the database holds this document (a new scope is stored whole first).
    stored: bool,
    /// The heads of what the database holds: the next chunk is what comes after them.
    stored_heads: Vec<ChangeHash>,
    /// The number of chunks stored after the epoch's saved document.
    chunks: u32,
    /// The saved document and the changes since, as a first sync loads them.
    snapshot: Option<Vec<u8>>,
    /// Rounds answered at the document's current heads (see [`ScopeDoc::round`]).
    answers: Answers,
    /// The last stored change as an event stream's `change` data, for the nudge that
    /// announces it (taken by [`Scopes::settle`]).
    push: Option<Arc<str>>,
}

/// At most this many answered rounds are kept per scope (a few hundred bytes each).
const MAX_ANSWERS: usize = 1024;

/// One answered round: the reply message (none: nothing to say) and the state to store.
type Answer = (Option<Vec<u8>>, Vec<u8>);

#[derive(Default)]
struct Answers {
    heads: Vec<ChangeHash>,
    /// By the device's stored state and message.
    by_input: HashMap<Vec<u8>, Answer>,
}

fn answer_key(stored: Option<&[u8]>, message: &[u8]) -> Vec<u8> {
    let mut key = Vec::with_capacity(5 + stored.map_or(0, <[u8]>::len) + message.len());
    match stored {
        Some(state) => {
            key.push(1);
            key.extend_from_slice(&u32::try_from(state.len()).unwrap_or(u32::MAX).to_le_bytes());
            key.extend_from_slice(state);
        }
        None => key.push(0),
    }
    key.extend_from_slice(message);
    key
}

impl ScopeDoc {
    /// The whole document as saved bytes, computed once and then extended by each change:
    /// first syncs of many devices share it.
    pub fn snapshot(&mut self) -> Vec<u8> {
        if self.snapshot.is_none() {
            self.snapshot = Some(self.doc.save());
        }
        self.snapshot.clone().unwrap_or_default()
    }

    /// The protocol round of a device that holds this document. The server only reads a
    /// scope, so a round is a function of the document's heads, the device's stored state
    /// and its message alone: the phones of a service that sync after one change, all at the
    /// same point, share one computed answer, and a fan-out costs Automerge's work once.
    /// Only exact inputs match, and the answers are forgotten when the document changes.
    pub fn round(
        &mut self,
        id: &DocId,
        stored: Option<&[u8]>,
        message: &[u8],
    ) -> Result<ServerRound, DomainError> {
        let heads = self.doc.get_heads();
        if self.answers.heads != heads {
            self.answers.by_input.clear();
            self.answers.heads = heads;
        }
        let key = answer_key(stored, message);
        if let Some((reply, state)) = self.answers.by_input.get(&key) {
            return Ok(ServerRound {
                reply: DocMessage {
                    doc: id.clone(),
                    message: reply.clone(),
                    snapshot: None,
                },
                new_state: (stored != Some(state.as_slice())).then(|| state.clone()),
                doc_changed: false,
            });
        }
        let round = server_round(
            &mut self.doc,
            id,
            stored,
            Access::ReadOnly,
            Incoming::Message(message),
            &|_| Ok(()),
        )?;
        let state = match (&round.new_state, stored) {
            (Some(state), _) => state.clone(),
            (None, Some(state)) => state.to_vec(),
            (None, None) => return Ok(round),
        };
        if self.answers.by_input.len() >= MAX_ANSWERS {
            self.answers.by_input.clear();
        }
        self.answers
            .by_input
            .insert(key, (round.reply.message.clone(), state));
        Ok(round)
    }
}

pub type SharedScope = Arc<Mutex<ScopeDoc>>;

pub fn lock(scope: &SharedScope) -> std::sync::MutexGuard<'_, ScopeDoc> {
    scope.lock().unwrap_or_else(|p| p.into_inner())
}

/// What open event streams are told.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Nudge {
    /// The scope of this service changed: its devices should sync.
    Scope(OrgId),
    /// The scope of this service changed by this pushed change
    /// (`kluis_domain::sync::PushedChange`, encoded once): devices at its `from` apply it,
    /// the others sync. Sent as data only to the devices in the set, those standing active
    /// when the change was made (read from the database then, so a revocation by the admin
    /// command counts at once); any other stream checks its standing first.
    ScopeChange(OrgId, Arc<str>, Arc<HashSet<DeviceId>>),
    /// This person's own documents (a volunteer's rounds) changed: their devices should sync.
    Person(PersonId),
    /// Someone was revoked: streams re-check their session now.
    Revocation,
    /// The server is stopping: every stream ends so the stop does not wait for phones.
    Shutdown,
}

pub struct Scopes {
    docs: Mutex<HashMap<OrgId, SharedScope>>,
    nudges: tokio::sync::broadcast::Sender<Nudge>,
    stopping: std::sync::atomic::AtomicBool,
    /// Each rebuild's time, shown by the server's metrics.
    rebuilds: Histogram,
}

impl Default for Scopes {
    fn default() -> Self {
        Scopes {
            docs: Mutex::default(),
            nudges: tokio::sync::broadcast::channel(256).0,
            stopping: std::sync::atomic::AtomicBool::new(false),
            rebuilds: crate::metrics::scope_rebuild_histogram(),
        }
    }
}

impl Scopes {
    /// The histogram of rebuild times, for the metrics registry (a handle on the same one).
    pub fn rebuild_histogram(&self) -> Histogram {
        self.rebuilds.clone()
    }

    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<Nudge> {
        self.nudges.subscribe()
    }

    /// Ends every event stream, and any that opens while requests finish.
    pub fn shut_down(&self) {
        self.stopping
            .store(true, std::sync::atomic::Ordering::SeqCst);
        self.nudge(Nudge::Shutdown);
    }

    pub fn stopping(&self) -> bool {
        self.stopping.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Tells open event streams (no receiver is fine: nobody is listening).
    pub fn nudge(&self, nudge: Nudge) {
        let _ = self.nudges.send(nudge);
    }

    /// The scope document of `service`, loaded from the database or built on first use.
    pub fn get(
        &self,
        conn: &Connection,
        key: &SecretKey,
        service: OrgId,
        settings: &ScopeSettings,
        now: Timestamp,
    ) -> Result<SharedScope, ServerError> {
        if let Some(doc) = self
            .docs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&service)
        {
            return Ok(doc.clone());
        }
        let scope = match scope_docs::load_scope(conn, key, service)? {
            Some(stored) => loaded(stored)?,
            None => {
                let mut scope = ScopeDoc {
                    epoch: 0,
                    doc: new_doc(),
                    stored: false,
                    stored_heads: Vec::new(),
                    chunks: 0,
                    snapshot: None,
                    answers: Answers::default(),
                    push: None,
                };
                self.timed(|| rebuild(conn, key, service, settings, now, &mut scope))?;
                scope
            }
        };
        let shared = Arc::new(Mutex::new(scope));
        let mut map = self.docs.lock().unwrap_or_else(|p| p.into_inner());
        Ok(map.entry(service).or_insert(shared).clone())
    }

    /// Brings the scope of `service` up to date with the registry. Returns whether devices
    /// have something new to fetch.
    pub fn refresh(
        &self,
        conn: &Connection,
        key: &SecretKey,
        service: OrgId,
        settings: &ScopeSettings,
        now: Timestamp,
    ) -> Result<bool, ServerError> {
        let shared = self.get(conn, key, service, settings, now)?;
        let changed = self.timed(|| rebuild(conn, key, service, settings, now, &mut lock(&shared)));
        self.settle(conn, service, &shared, changed, now)
    }

    /// Brings only `safes` of the scope of `service` up to date with the registry: after a
    /// change to those safes alone (a code confirmed or rotated). Rebuilds the whole scope
    /// when that is needed anyway: many safes, other settings, a new model, or a safe or code
    /// that must leave the document (a new epoch). Returns whether devices have something
    /// new to fetch.
    pub fn refresh_safes(
        &self,
        conn: &Connection,
        key: &SecretKey,
        service: OrgId,
        settings: &ScopeSettings,
        safes: &[SafeId],
        now: Timestamp,
    ) -> Result<bool, ServerError> {
        let shared = self.get(conn, key, service, settings, now)?;
        let changed = self.timed(|| {
            let scope = &mut lock(&shared);
            match update_safes(conn, key, service, settings, safes, now, scope)? {
                Some(changed) => Ok(changed),
                None => rebuild(conn, key, service, settings, now, scope),
            }
        });
        self.settle(conn, service, &shared, changed, now)
    }

    /// After an update: nudges the service's devices when something changed; on a failure
    /// forgets the document in memory, which may now be ahead of what is stored, so the next
    /// use loads it again.
    fn settle(
        &self,
        conn: &Connection,
        service: OrgId,
        shared: &SharedScope,
        changed: Result<bool, ServerError>,
        now: Timestamp,
    ) -> Result<bool, ServerError> {
        let push = lock(shared).push.take();
        match changed {
            Ok(true) => {
                let allowed = match push {
                    Some(push) => sessions::active_devices_of(conn, service, now)
                        .map(|devices| (push, Arc::new(devices)))
                        .inspect_err(|e| tracing::warn!(%e, "change announced without its data"))
                        .ok(),
                    None => None,
                };
                self.nudge(match allowed {
                    Some((push, devices)) => Nudge::ScopeChange(service, push, devices),
                    None => Nudge::Scope(service),
                });
                Ok(true)
            }
            Ok(false) => Ok(false),
            Err(e) => {
                self.docs
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .remove(&service);
                Err(e)
            }
        }
    }

    fn timed(
        &self,
        update: impl FnOnce() -> Result<bool, ServerError>,
    ) -> Result<bool, ServerError> {
        let started = Instant::now();
        let changed = update();
        self.rebuilds.observe(started.elapsed().as_secs_f64());
        changed
    }
}

/// A stored scope as a document: the saved one with its chunks applied.
fn loaded(stored: scope_docs::StoredScope) -> Result<ScopeDoc, ServerError> {
    let damaged = |e: automerge::AutomergeError| {
        ServerError::Invalid(format!("stored scope document is damaged: {e}"))
    };
    let mut doc = AutoCommit::load(&stored.doc)
        .map_err(damaged)?
        .with_actor(ActorId::from(&SERVER_ACTOR[..]));
    for chunk in &stored.chunks {
        doc.load_incremental(chunk).map_err(damaged)?;
    }
    Ok(ScopeDoc {
        epoch: stored.epoch,
        stored: true,
        stored_heads: doc.get_heads(),
        doc,
        chunks: u32::try_from(stored.chunks.len()).unwrap_or(u32::MAX),
        snapshot: None,
        answers: Answers::default(),
        push: None,
    })
}

fn new_doc() -> AutoCommit {
    AutoCommit::new().with_actor(ActorId::from(&SERVER_ACTOR[..]))
}

/// Writes `safes` as the registry holds them now into the document, or says (`None`) that
/// the whole scope must be rebuilt instead.
fn update_safes(
    conn: &Connection,
    key: &SecretKey,
    service: OrgId,
    settings: &ScopeSettings,
    safes: &[SafeId],
    now: Timestamp,
    scope: &mut ScopeDoc,
) -> Result<Option<bool>, ServerError> {
    if safes.len() > MAX_INCREMENTAL_SAFES
        || read_scope_settings(&scope.doc).ok().as_ref() != Some(settings)
    {
        return Ok(None);
    }
    let mut changes = std::collections::BTreeMap::new();
    for (safe, next) in scope_view::scope_safes(conn, key, service, settings, now, safes)? {
        let current = read_scope_safe(&scope.doc, safe)?;
        if current
            .as_ref()
            .is_some_and(|c| safe_needs_new_epoch(c, next.as_ref()))
            || next
                .as_ref()
                .is_some_and(|n| !scope_has_model(&scope.doc, n.model))
        {
            return Ok(None);
        }
        if current != next {
            changes.insert(safe, next);
        }
    }
    if changes.is_empty() || !write_scope_safes(&mut scope.doc, &changes, now)? {
        return Ok(Some(false));
    }
    store_change(conn, key, service, now, scope)?;
    Ok(Some(true))
}

/// Stores the document's new changes: as the next chunk, or the whole document when it was
/// never stored or [`MAX_CHUNKS`] follow it. The cached snapshot is extended, not recomputed.
fn store_change(
    conn: &Connection,
    key: &SecretKey,
    service: OrgId,
    now: Timestamp,
    scope: &mut ScopeDoc,
) -> Result<(), ServerError> {
    // Devices hold only what was stored: a change after the stored heads can be pushed.
    let before = scope.stored.then(|| scope.stored_heads.clone());
    let mut pushed = None;
    if !scope.stored || scope.chunks >= MAX_CHUNKS {
        let bytes = scope.doc.save();
        scope_docs::store_scope(conn, key, service, scope.epoch, &bytes, now)?;
        scope.stored = true;
        scope.chunks = 0;
        scope.snapshot = Some(bytes);
    } else {
        let chunk = scope.doc.save_after(&scope.stored_heads);
        let seq = scope.chunks + 1;
        scope_docs::append_scope_chunk(conn, key, service, scope.epoch, seq, &chunk)?;
        scope.chunks = seq;
        if let Some(snapshot) = &mut scope.snapshot {
            snapshot.extend_from_slice(&chunk);
        }
        pushed = Some(chunk);
    }
    let after = scope.doc.get_heads();
    scope.push = before.and_then(|from| {
        let change = pushed.unwrap_or_else(|| scope.doc.save_after(&from));
        PushedChange {
            doc: DocId::scope(service, scope.epoch),
            from,
            to: after.clone(),
            change,
        }
        .encode()
        .map(Arc::from)
    });
    scope.stored_heads = after;
    Ok(())
}

fn rebuild(
    conn: &Connection,
    key: &SecretKey,
    service: OrgId,
    settings: &ScopeSettings,
    now: Timestamp,
    scope: &mut ScopeDoc,
) -> Result<bool, ServerError> {
    let view = scope_view::scope_view(conn, key, service, settings, now)?;
    // A safe leaving a scope, or a code leaving a safe, must leave no trace in what devices
    // receive, and Automerge keeps history: start a new epoch (a fresh document) instead.
    let current = read_held_scope(&scope.doc).ok();
    let shrinks = current
        .as_ref()
        .is_some_and(|current| scope_needs_new_epoch(&current.view, &view));
    if !shrinks {
        // Written in place: an error rolls back the pending operations (`write_scope`'s
        // caller sees the document as before), and only the new change is stored. What the
        // document holds was just read: only what differs from it is looked at again.
        let written = write_scope_over(&mut scope.doc, current.as_ref(), &view, now);
        if written.is_err() {
            scope.doc.rollback();
        }
        if !written? && scope.stored {
            return Ok(false);
        }
        store_change(conn, key, service, now, scope)?;
        return Ok(true);
    }
    let mut fresh = new_doc();
    write_scope(&mut fresh, &view, now)?;
    let bytes = fresh.save();
    let epoch = scope.epoch + 1;
    scope_docs::store_scope(conn, key, service, epoch, &bytes, now)?;
    scope.stored_heads = fresh.get_heads();
    scope.doc = fresh;
    scope.epoch = epoch;
    scope.stored = true;
    scope.chunks = 0;
    scope.snapshot = Some(bytes);
    // Devices must load the new epoch whole: a plain nudge.
    scope.push = None;
    Ok(true)
}
