//! The attacks that stopped Kluis or took codes: the sync path in `sync.rs`, access in
//! `access.rs`.

mod access;
mod sync;
