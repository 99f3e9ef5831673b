//! The server's integration tests: the real server in-process on 127.0.0.1:0 with a real
//! SQLite file. One test binary, so the server is linked once rather than once per file.

#![allow(clippy::unwrap_used)]

mod common;
#[path = "../../../domain/tests/support/wire.rs"]
mod wire;

mod attention;
mod audit;
mod bulk;
mod city;
mod confirmation;
mod contract;
mod door_reports;
mod door_sim;
mod evaluation;
mod events;
mod hardening;
mod http_edges;
mod import;
mod lifecycle_campaigns;
mod lifecycle_records;
mod mail;
mod metrics;
mod metrics_logs;
mod new_codes;
mod operations;
mod quiet_sync;
mod requests;
mod scope_updates;
mod server;
mod settings;
mod sync_fuzz;
