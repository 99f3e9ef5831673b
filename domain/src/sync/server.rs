use automerge::AutoCommit;
use automerge::sync::{ChunkList, Message, State, SyncDoc};

use super::limits::{DEVICE_MESSAGE, check_message};
use super::protocol::{DocId, DocMessage};
use crate::error::DomainError;

/// Who may write a document from the device's side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Server-written (scope documents): changes a device sends are ignored.
    ReadOnly,
    /// Device-written (its own outbox): changes are applied after validation.
    ReadWrite,
}

/// The outcome of one document's part of one request.
#[derive(Debug)]
pub struct ServerRound {
    pub reply: DocMessage,
    /// The sync state to persist for this device and document, when it changed.
    pub new_state: Option<Vec<u8>>,
    /// The device's changes were applied: the caller saves the document and ingests it.
    pub doc_changed: bool,
}

/// What the device said about one document.
#[derive(Clone, Copy, Debug)]
pub enum Incoming<'a> {
    /// The device does not hold the document: it gets `snapshot`, the whole saved document
    /// (the caller passes it in so it can be computed once and shared by many devices).
    NotHeld { snapshot: &'a [u8] },
    /// An encoded Automerge sync message.
    Message(&'a [u8]),
}

/// The server's side of one document in one request.
///
/// The sync state is rebuilt from the persisted shared heads on every request, so nothing the
/// server believes it "sent" survives a lost reply: a retry simply gets the changes again.
/// `validate` sees the document with the device's changes applied and
/// can refuse it, in which case nothing changes.
pub fn server_round(
    doc: &mut AutoCommit,
    doc_id: &DocId,
    stored_state: Option<&[u8]>,
    access: Access,
    incoming: Incoming<'_>,
    validate: &dyn Fn(&AutoCommit) -> Result<(), DomainError>,
) -> Result<ServerRound, DomainError> {
    let protocol_err = |what: &str, e: &dyn std::fmt::Display| {
        DomainError::Protocol(format!("{doc_id}: {what}: {e}"))
    };

    let mut state = match (incoming, stored_state) {
        // A device that does not hold the document starts over, whatever was stored.
        (Incoming::NotHeld { .. }, _) | (_, None) => State::new(),
        // A stored state we cannot read is our own damage, not the device's: start over.
        (Incoming::Message(_), Some(bytes)) => State::decode(bytes).unwrap_or_default(),
    };
    if access == Access::ReadOnly {
        state.set_read_only(true);
    }

    let mut doc_changed = false;
    let snapshot = match incoming {
        Incoming::NotHeld { snapshot } => Some(snapshot.to_vec()),
        Incoming::Message(bytes) => {
            // Bounded before Automerge parses a byte of it (see `limits`).
            check_message(bytes, &DEVICE_MESSAGE).map_err(|e| match e {
                DomainError::Bounds(why) => DomainError::Bounds(format!("{doc_id}: {why}")),
                other => other,
            })?;
            let mut message =
                Message::decode(bytes).map_err(|e| protocol_err("bad sync message", &e))?;
            if access == Access::ReadOnly {
                // Server-written: a device has nothing to add, and Automerge would only
                // queue what it sends.
                message.changes = ChunkList::empty();
            }
            // Without the device's capability flags the server answers with change lists
            // only. Automerge otherwise resends the whole document whenever the missing
            // changes are over a third of the history, which for a scope built in one change
            // turned a one-code update into the whole registry. First syncs get a snapshot
            // (`Incoming::NotHeld`) instead.
            message.flags = None;
            match access {
                Access::ReadOnly => doc
                    .sync()
                    .receive_sync_message(&mut state, message)
                    .map_err(|e| protocol_err("cannot apply", &e))?,
                Access::ReadWrite => {
                    let before = doc.get_heads();
                    // Apply to a copy first so a change that fails validation leaves no trace.
                    let mut trial = doc.clone();
                    let mut trial_state = state.clone();
                    trial
                        .sync()
                        .receive_sync_message(&mut trial_state, message)
                        .map_err(|e| protocol_err("cannot apply", &e))?;
                    if trial.get_heads() != before {
                        validate(&trial)?;
                        doc_changed = true;
                    }
                    *doc = trial;
                    state = trial_state;
                }
            }
            None
        }
    };

    let message = doc.sync().generate_sync_message(&mut state).map(|mut m| {
        // Advertising no capabilities keeps devices on version 1 messages: change lists
        // of uncompressed chunks, which `limits` can check (see `check_message`).
        m.flags = None;
        m.encode()
    });
    let encoded = state.encode();
    let new_state = (stored_state != Some(encoded.as_slice())).then_some(encoded);
    Ok(ServerRound {
        reply: DocMessage {
            doc: doc_id.clone(),
            message,
            snapshot,
        },
        new_state,
        doc_changed,
    })
}
