//! The Kluis sync protocol: Automerge sync messages for a set of documents, batched into one
//! HTTP request and its reply, with a sans-IO core for each side.
//!
//! The server decides which documents a device may hold ([`DocId`]s in the reply's `keep`
//! list) and never processes a message for any other document. Everything here is pure: the
//! caller moves bytes and passes in the time.

mod client;
pub mod limits;
mod protocol;
mod push;
mod server;

pub use client::{ClientEvent, MAX_ROUNDS_PER_SESSION, SyncClient};
pub use protocol::{
    DocId, DocKind, DocMessage, MAX_MESSAGE_BYTES, NEXT_TOKEN_HEADER, PROTOCOL_VERSION, SyncReply,
    SyncRequest, WipeReason,
};
pub use push::{MAX_PUSHED_CHANGE_BYTES, PushedChange};
pub use server::{Access, Incoming, ServerRound, server_round};
