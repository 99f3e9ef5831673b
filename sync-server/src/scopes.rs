//! The scope documents: for each home-care service, an Automerge document with exactly the
//! safes it may see. Kept in memory (loaded lazily, saved sealed on every change) because
//! every sync of every carer of that service reads it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use automerge::{ActorId, AutoCommit};
use kluis_crypto::SecretKey;
use kluis_domain::ids::{OrgId, PersonId};
use kluis_domain::schema::{ScopeSettings, read_scope, scope_needs_new_epoch, write_scope};
use kluis_domain::time::Timestamp;
use prometheus_client::metrics::histogram::Histogram;
use rusqlite::Connection;

use crate::db::{docs, registry};
use crate::error::ServerError;

/// The server writes scope documents under one actor; only one server process writes.
pub(crate) const SERVER_ACTOR: [u8; 16] = *b"kluis-server-v1\0";

pub struct ScopeDoc {
    pub epoch: u32,
    pub doc: AutoCommit,
    snapshot: Option<Vec<u8>>,
}

impl ScopeDoc {
    /// The whole document as saved bytes, computed once per change: first syncs of many
    /// devices share it.
    pub fn snapshot(&mut self) -> Vec<u8> {
        if self.snapshot.is_none() {
            self.snapshot = Some(self.doc.save());
        }
        self.snapshot.clone().unwrap_or_default()
    }
}

pub type SharedScope = Arc<Mutex<ScopeDoc>>;

pub fn lock(scope: &SharedScope) -> std::sync::MutexGuard<'_, ScopeDoc> {
    scope.lock().unwrap_or_else(|p| p.into_inner())
}

/// What open event streams are told.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nudge {
    /// The scope of this service changed: its devices should sync.
    Scope(OrgId),
    /// This person's own documents (a volunteer's rounds) changed: their devices should sync.
    Person(PersonId),
    /// Someone was revoked: streams re-check their session now.
    Revocation,
    /// A new event stream of this device opened: the older one ends.
    Stream(kluis_domain::ids::DeviceId),
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
        let scope = match docs::load_scope(conn, key, service)? {
            Some((epoch, bytes)) => {
                let doc = AutoCommit::load(&bytes)
                    .map_err(|e| {
                        ServerError::Invalid(format!("stored scope document is damaged: {e}"))
                    })?
                    .with_actor(ActorId::from(&SERVER_ACTOR[..]));
                ScopeDoc {
                    epoch,
                    doc,
                    snapshot: None,
                }
            }
            None => {
                let mut scope = ScopeDoc {
                    epoch: 0,
                    doc: new_doc(),
                    snapshot: None,
                };
                self.timed_rebuild(conn, key, service, settings, now, &mut scope)?;
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
        let changed = self.timed_rebuild(conn, key, service, settings, now, &mut lock(&shared))?;
        if changed {
            self.nudge(Nudge::Scope(service));
        }
        Ok(changed)
    }

    fn timed_rebuild(
        &self,
        conn: &Connection,
        key: &SecretKey,
        service: OrgId,
        settings: &ScopeSettings,
        now: Timestamp,
        scope: &mut ScopeDoc,
    ) -> Result<bool, ServerError> {
        let started = Instant::now();
        let changed = rebuild(conn, key, service, settings, now, scope);
        self.rebuilds.observe(started.elapsed().as_secs_f64());
        changed
    }
}

fn new_doc() -> AutoCommit {
    AutoCommit::new().with_actor(ActorId::from(&SERVER_ACTOR[..]))
}

fn rebuild(
    conn: &Connection,
    key: &SecretKey,
    service: OrgId,
    settings: &ScopeSettings,
    now: Timestamp,
    scope: &mut ScopeDoc,
) -> Result<bool, ServerError> {
    let view = registry::scope_view(conn, key, service, settings, now)?;
    // A safe leaving a scope, or a code leaving a safe, must leave no trace in what devices
    // receive, and Automerge keeps history: start a new epoch (a fresh document) instead.
    let shrinks = match read_scope(&scope.doc) {
        Ok(current) => scope_needs_new_epoch(&current, &view),
        Err(_) => false,
    };
    let mut candidate = if shrinks {
        new_doc()
    } else {
        scope.doc.clone()
    };
    let epoch = if shrinks {
        scope.epoch + 1
    } else {
        scope.epoch
    };
    let changed = write_scope(&mut candidate, &view, now)?;
    if !changed && !shrinks {
        return Ok(false);
    }
    let bytes = candidate.save();
    docs::store_scope(conn, key, service, epoch, &bytes, now)?;
    scope.doc = candidate;
    scope.epoch = epoch;
    scope.snapshot = Some(bytes);
    Ok(true)
}
