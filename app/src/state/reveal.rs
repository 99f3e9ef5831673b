//! What a device reports: "Toon code" (each reveal: who, by this device's enrolment; which
//! safe; when) and a volunteer's "Gewijzigd" / "Niet gelukt". Each is written to the device's
//! outbox document, sealed into the vault at once so it survives a dead battery, and pushed
//! at the next sync (the server keeps the audit trail and applies the volunteer's records).

use dioxus::prelude::*;
use kluis_domain::ids::{EventId, SafeId};
use kluis_domain::schema::{DeviceEvent, append_device_event};
use kluis_domain::sync::DocId;
use kluis_domain::time::Timestamp;

use super::AppState;
use super::error::AppError;
use super::shown::{ensure_documents, refresh_home, refresh_records};
use super::store::{Local, persist_recorded};
use super::syncing::sync;
use crate::platform;

/// A fresh event id from the platform's CSPRNG. Two devices (or two taps) never share one,
/// so the server records each reveal once however often it is synced.
fn new_event_id() -> Result<EventId, AppError> {
    let mut bytes = [0u8; 16];
    kluis_crypto::random_bytes(&mut bytes).map_err(|e| AppError::Local(e.to_string()))?;
    Ok(EventId::from_bytes(bytes))
}

/// Records that the carer revealed the code of `safe` now (see [`record_event`]).
///
/// # Errors
/// Locked, or the vault or IndexedDB failed; the code is shown anyway by the caller.
pub async fn record_reveal(app: AppState, safe: SafeId) -> Result<(), AppError> {
    let at = Timestamp::from_millis(platform::now_millis());
    record_event(app, DeviceEvent::CodeRevealed { safe, at }).await
}

/// Appends `event` to the device's outbox, seals the outbox into the vault, persists it, and
/// syncs in the background when online. Offline, it waits in the vault for the next sync.
///
/// # Errors
/// Locked, an invalid event (e.g. a note too long), or the vault or IndexedDB failed.
pub async fn record_event(app: AppState, event: DeviceEvent) -> Result<(), AppError> {
    let now = Timestamp::from_millis(platform::now_millis());
    let id = new_event_id()?;
    // What the tap shows (the code) paints first; the record follows.
    platform::paint().await;
    // Right after unlock the documents may not be read yet (the screen opens from the sealed
    // view first): read them now rather than lose the record.
    ensure_documents(app)?;
    {
        let mut local = app.local;
        let mut guard = local.write();
        let Some(Local {
            vault,
            client: Some(client),
            ..
        }) = guard.as_mut()
        else {
            return Err(AppError::Locked);
        };
        let device = vault.session().ok_or(AppError::Locked)?.device_id;
        let outbox = DocId::device(device);
        let doc = client.doc_mut(&outbox);
        append_device_event(doc, device, id, &event, now)
            .map_err(|e| AppError::Local(e.to_string()))?;
        vault.save_doc(client, &outbox)?;
    }
    persist_recorded(app).await?;
    refresh_records(app);
    if platform::is_online() {
        dioxus::core::spawn_forever(async move {
            let _ = sync(app).await;
        });
    }
    Ok(())
}

/// Puts `safe` first in the recently opened list (sealed in the vault).
///
/// # Errors
/// Locked, or the vault or IndexedDB failed.
pub async fn note_opened(app: AppState, safe: SafeId) -> Result<(), AppError> {
    {
        let mut local = app.local;
        let mut guard = local.write();
        let current = guard.as_mut().ok_or(AppError::Locked)?;
        current.vault.note_recent(&safe.to_string())?;
    }
    persist_recorded(app).await?;
    refresh_home(app);
    Ok(())
}
