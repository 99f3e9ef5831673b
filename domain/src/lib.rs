//! Kluis domain: the types, rules and sync protocol shared by the PWA and the sync server.
//!
//! No IO lives here: no clock, no randomness source, no sockets, no database. Time and
//! randomness are passed in, so the same code runs in wasm32 and on the host, and tests are
//! deterministic.

pub mod accounts;
pub mod address;
pub mod audit;
pub mod calendar;
pub mod campaign;
pub mod codegen;
pub mod due;
pub mod error;
pub mod freshness;
pub mod ids;
pub mod model;
#[cfg(feature = "openapi")]
mod openapi;
pub mod pin;
pub mod rng;
pub mod safe_model;
pub mod schema;
pub mod search;
pub mod setting_limits;
pub mod shown;
pub mod sync;
pub mod time;

pub use error::DomainError;
