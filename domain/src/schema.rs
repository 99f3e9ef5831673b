//! The Automerge document schema: how the registry is laid out inside the documents that
//! devices sync, and typed reads and writes so no other code touches raw document paths.
//!
//! Two kinds of document exist (see [`crate::sync::DocKind`]):
//! - a *scope* document per home-care service, written by the server: the safes that service
//!   may see, with their current (and recent previous) code, plus the safe models and the
//!   settings a device needs offline;
//! - a *device* document per device, written by that device: its outbox of events (a code was
//!   revealed; a volunteer set a new code or could not) for the audit trail;
//! - a *rounds* document per volunteer, written by the server: the rounds assigned to them,
//!   with the current and the new code of every safe.

mod am;
mod device;
mod rounds;
mod scope;

pub use device::{
    DeviceEvent, MAX_NOTE_CHARS, append_device_event, device_event_ids_at, read_device_events,
};
pub use rounds::{RoundItemView, RoundView, RoundsView, RoundsWrite, read_rounds, write_rounds};
pub use scope::{
    CodeView, HeldScope, ModelView, SafeView, ScopeSettings, ScopeView, read_held_scope,
    read_scope, read_scope_safe, read_scope_settings, safe_needs_new_epoch, scope_has_model,
    scope_has_safe, scope_needs_new_epoch, write_scope, write_scope_over, write_scope_safes,
};

/// Stored in every document's root as `schema`; a reader refuses other versions.
pub const SCHEMA_VERSION: i64 = 1;
