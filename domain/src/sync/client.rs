use std::collections::BTreeMap;

use automerge::sync::{Message, State, SyncDoc};
use automerge::{ActorId, AutoCommit};

use super::protocol::{DocId, DocKind, DocMessage, SyncReply, SyncRequest, WipeReason};
use super::push::PushedChange;
use crate::error::DomainError;
use crate::ids::DeviceId;
use crate::time::Timestamp;

/// A session that has not settled after this many request/reply rounds stops; the next
/// session starts over from the persisted shared heads. Bounds the work a confused or hostile
/// peer can cause.
pub const MAX_ROUNDS_PER_SESSION: u32 = 8;

/// What changed on the device after a reply; the app reacts (re-read views, persist, wipe).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClientEvent {
    /// A document arrived whole (first sync, or a new epoch of a scope).
    DocLoaded(DocId),
    /// Changes from the server were applied.
    DocChanged(DocId),
    /// The device may no longer hold this document; it is gone from memory.
    DocDropped(DocId),
    /// The server revoked this device or person: the caller must erase all local data.
    Wipe(WipeReason),
    /// The session reached agreement with the server about every document.
    Synced { server_time: Timestamp },
}

struct Entry {
    doc: AutoCommit,
    state: State,
    /// Said nothing this round (see [`SyncClient::next_request`]).
    quiet: bool,
}

impl Entry {
    fn new(doc: AutoCommit, state: State) -> Self {
        Entry {
            doc,
            state,
            quiet: false,
        }
    }

    /// An outbox the server already holds whole. Only this device writes its outbox, so the
    /// server has nothing to tell it either: the request says nothing about it and the server
    /// loads nothing for it (most syncs of a carer's phone bring no reveal).
    fn outbox_known(&mut self, id: &DocId) -> bool {
        if !matches!(id.kind(), DocKind::Device { .. }) {
            return false;
        }
        let mut ours = self.doc.get_heads();
        let mut shared = self.state.shared_heads.clone();
        ours.sort();
        shared.sort();
        ours == shared
    }
}

/// The device side of the sync protocol. Holds the documents in memory; the caller persists
/// them (encrypted) with [`SyncClient::export`] after events, and moves the bytes.
pub struct SyncClient {
    actor: ActorId,
    docs: BTreeMap<DocId, Entry>,
    rounds: u32,
    settled: bool,
}

impl SyncClient {
    /// A client whose own changes are attributed to `device`.
    pub fn new(device: DeviceId) -> Self {
        SyncClient {
            actor: ActorId::from(device.as_bytes().as_slice()),
            docs: BTreeMap::new(),
            rounds: 0,
            settled: true,
        }
    }

    /// Puts back a document read from local storage.
    pub fn restore(&mut self, id: DocId, saved: &[u8], state: &[u8]) -> Result<(), DomainError> {
        let doc = AutoCommit::load(saved)
            .map_err(|e| DomainError::Schema(format!("stored document {id} is damaged: {e}")))?
            .with_actor(self.actor.clone());
        let state = State::decode(state).map_err(|e| {
            DomainError::Schema(format!("stored sync state of {id} is damaged: {e}"))
        })?;
        self.docs.insert(id, Entry::new(doc, state));
        Ok(())
    }

    pub fn doc(&self, id: &DocId) -> Option<&AutoCommit> {
        self.docs.get(id).map(|e| &e.doc)
    }

    /// The heads both sides are known to have: what of `id` the server has received.
    pub fn shared_heads(&self, id: &DocId) -> Vec<automerge::ChangeHash> {
        self.docs
            .get(id)
            .map(|e| e.state.shared_heads.clone())
            .unwrap_or_default()
    }

    pub fn doc_ids(&self) -> impl Iterator<Item = &DocId> {
        self.docs.keys()
    }

    /// The device's own outbox document, created empty when missing. Writes to it are pushed
    /// at the next sync.
    pub fn doc_mut(&mut self, id: &DocId) -> &mut AutoCommit {
        let actor = self.actor.clone();
        &mut self
            .docs
            .entry(id.clone())
            .or_insert_with(|| Entry::new(AutoCommit::new().with_actor(actor), State::new()))
            .doc
    }

    /// The saved document and sync state, to persist.
    pub fn export(&mut self, id: &DocId) -> Option<(Vec<u8>, Vec<u8>)> {
        self.docs
            .get_mut(id)
            .map(|e| (e.doc.save(), e.state.encode()))
    }

    /// Applies a change the server pushed over the event stream when this device holds the
    /// document at exactly `push.from`; returns whether the document is now at `push.to`.
    /// `false` (another place, or a change that does not apply): the caller syncs, and the
    /// document is as it was or holds valid server changes only. The next sync tells the
    /// server the new heads, so nothing is fetched twice.
    pub fn apply_push(&mut self, push: &PushedChange) -> bool {
        if matches!(push.doc.kind(), DocKind::Device { .. }) {
            return false;
        }
        let Some(entry) = self.docs.get_mut(&push.doc) else {
            return false;
        };
        let sorted = |mut heads: Vec<automerge::ChangeHash>| {
            heads.sort();
            heads
        };
        if sorted(entry.doc.get_heads()) != sorted(push.from.clone()) {
            return false;
        }
        if entry.doc.load_incremental(&push.change).is_err() {
            return false;
        }
        sorted(entry.doc.get_heads()) == sorted(push.to.clone())
    }

    /// Forgets every document (after a wipe instruction or a sign-out).
    pub fn clear(&mut self) {
        self.docs.clear();
        self.settled = true;
    }

    /// Starts a sync session. In-flight bookkeeping from an earlier session is dropped so a
    /// lost reply can never leave changes unsent.
    pub fn begin_session(&mut self) {
        for entry in self.docs.values_mut() {
            entry.state = State::decode(&entry.state.encode()).unwrap_or_default();
        }
        self.rounds = 0;
        self.settled = false;
    }

    /// True when the last reply showed the server at the same heads for every document.
    pub fn is_settled(&self) -> bool {
        self.settled
    }

    /// The next request of this session, or `None` when the session is over (settled, or the
    /// round limit was reached).
    pub fn next_request(&mut self) -> Option<SyncRequest> {
        if self.settled || self.rounds >= MAX_ROUNDS_PER_SESSION {
            return None;
        }
        self.rounds += 1;
        let docs = self
            .docs
            .iter_mut()
            .map(|(id, entry)| {
                entry.quiet = entry.outbox_known(id);
                DocMessage {
                    doc: id.clone(),
                    message: if entry.quiet {
                        None
                    } else {
                        entry
                            .doc
                            .sync()
                            .generate_sync_message(&mut entry.state)
                            .map(Message::encode)
                    },
                    snapshot: None,
                }
            })
            .collect();
        Some(SyncRequest::new(docs))
    }

    /// Applies the server's reply. On error nothing is half-applied to a document: a bad
    /// message for one document leaves that document as it was.
    pub fn handle_reply(&mut self, reply: SyncReply) -> Result<Vec<ClientEvent>, DomainError> {
        let (keep, docs, server_time) = match reply {
            SyncReply::Wipe { reason } => {
                self.clear();
                return Ok(vec![ClientEvent::Wipe(reason)]);
            }
            SyncReply::Docs {
                keep,
                docs,
                server_time,
                ..
            } => (keep, docs, server_time),
        };
        let mut events = Vec::new();

        let dropped: Vec<DocId> = self
            .docs
            .keys()
            .filter(|id| !keep.contains(id))
            .cloned()
            .collect();
        for id in dropped {
            self.docs.remove(&id);
            events.push(ClientEvent::DocDropped(id));
        }

        for part in docs {
            if !keep.contains(&part.doc) {
                return Err(DomainError::Protocol(format!(
                    "server sent {} without allowing it",
                    part.doc
                )));
            }
            if let Some(snapshot) = &part.snapshot {
                let mut doc = AutoCommit::load(snapshot)
                    .map_err(|e| DomainError::Protocol(format!("{}: bad snapshot: {e}", part.doc)))?
                    .with_actor(self.actor.clone());
                match self.docs.get_mut(&part.doc) {
                    // A late or repeated reply can bring a snapshot of a document this device
                    // already holds, maybe with local changes since: merge, never replace.
                    Some(entry) => {
                        entry.doc.merge(&mut doc).map_err(|e| {
                            DomainError::Protocol(format!(
                                "{}: cannot merge snapshot: {e}",
                                part.doc
                            ))
                        })?;
                    }
                    None => {
                        self.docs
                            .insert(part.doc.clone(), Entry::new(doc, State::new()));
                    }
                }
                events.push(ClientEvent::DocLoaded(part.doc.clone()));
            }
            let Some(bytes) = &part.message else { continue };
            let message = Message::decode(bytes).map_err(|e| {
                DomainError::Protocol(format!("{}: bad sync message: {e}", part.doc))
            })?;
            let Some(entry) = self.docs.get_mut(&part.doc) else {
                return Err(DomainError::Protocol(format!(
                    "server sent a message for {} which this device does not hold",
                    part.doc
                )));
            };
            let before = entry.doc.get_heads();
            let apply_err = |e: automerge::AutomergeError| {
                DomainError::Protocol(format!("{}: cannot apply: {e}", part.doc))
            };
            if message.changes.is_empty() {
                // Heads and Bloom filters only: nothing in the document can go half-way.
                entry
                    .doc
                    .sync()
                    .receive_sync_message(&mut entry.state, message)
                    .map_err(apply_err)?;
            } else {
                // Apply to a copy so a change that fails half-way leaves the document as it was.
                let mut trial_state = entry.state.clone();
                let mut trial = entry.doc.clone();
                trial
                    .sync()
                    .receive_sync_message(&mut trial_state, message)
                    .map_err(apply_err)?;
                entry.doc = trial;
                entry.state = trial_state;
            }
            let changed = entry.doc.get_heads() != before;
            if changed && part.snapshot.is_none() {
                events.push(ClientEvent::DocChanged(part.doc.clone()));
            }
        }

        self.settled = self.docs.values_mut().all(|entry| {
            let ours = entry.doc.get_heads();
            entry.quiet || entry.state.their_heads.as_ref() == Some(&ours)
        });
        if self.settled {
            events.push(ClientEvent::Synced { server_time });
        }
        Ok(events)
    }
}
