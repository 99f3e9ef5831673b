//! The attacks that stopped Kluis or took codes, against the real server: one test binary
//! (one link of the server) with the sync path in `sync.rs` and access in `access.rs`.

#![allow(clippy::unwrap_used)]

#[path = "../common/mod.rs"]
mod common;
#[path = "../../../domain/tests/support/wire.rs"]
mod wire;

mod access;
mod sync;
