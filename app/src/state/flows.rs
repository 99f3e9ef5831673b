//! The flows between the gates: start-up, enrolment (choose a PIN), lock, sign out. Unlock is
//! in `unlocking`. Each flow works on the store (`store`), says what the screens show
//! (`shown`) and may sync (`syncing`); none of those layers calls back up into a flow.

use std::rc::Rc;

use dioxus::prelude::*;
use kluis_crypto::KdfParams;
use kluis_domain::model::Role;
use kluis_domain::sync::SyncClient;

use super::AppState;
use super::device_binding;
use super::error::AppError;
use super::session::Session;
use super::shown::{Gate, check_persistence, forget_views, refresh_home};
use super::store::{Local, persist, wipe_everything};
use super::syncing::sync;
use super::vault::{Vault, VaultState};
use crate::platform::storage::{MemoryStore, RecordingStore, StoreError};
use crate::platform::{self, IdbStore};

/// Start-up: an enrolled vault in IndexedDB → unlock screen, else sign-in.
pub async fn start(app: AppState) {
    let mut gate = app.gate;
    let mut local = app.local;
    let opened = async {
        let db = IdbStore::open().await?;
        let snapshot = db.load_all().await?;
        Ok::<_, StoreError>((db, snapshot))
    }
    .await;
    match opened {
        Ok((db, snapshot)) => {
            let vault = Vault::new(RecordingStore::new(snapshot));
            let locked = matches!(vault.state(), Ok(VaultState::Locked));
            local.set(Some(Local {
                db: Rc::new(db),
                vault,
                client: None,
            }));
            gate.set(if locked { Gate::Unlock } else { Gate::Login });
        }
        Err(_) => gate.set(Gate::Login),
    }
}

/// After the PIN was chosen: enrol the vault, persist it, run the first sync, open.
pub async fn enrol(app: AppState, session: Session, pin: String) -> Result<(), AppError> {
    let mut gate = app.gate;
    let mut local = app.local;
    let mut pending = app.session;
    gate.set(Gate::Securing);
    // Show "Bezig met beveiligen…" before the work starts (the PIN worker keeps the screen
    // responsive; its main-thread fallback would not).
    platform::paint().await;

    let existing = local.peek().as_ref().map(|current| current.db.clone());
    let db = match existing {
        Some(db) => db,
        None => Rc::new(IdbStore::open().await?),
    };
    let device = session.device_id;
    let params = KdfParams::recommended().map_err(|e| AppError::Local(e.to_string()))?;
    let kek = platform::kdf::derive_kek(&pin, &params)
        .await
        .map_err(AppError::Local)?;
    // Phones get a passkey where they have one; the coordinator's desktop the device key.
    let with_passkey = session.person.role != Role::Coordinator;
    let (binding, secrets) = device_binding::new_binding(&session.person.name, with_passkey).await;
    let mut vault = Vault::new(RecordingStore::new(MemoryStore::new()));
    vault.enrol_with_kek(&session, &pin, params, &kek, binding, &secrets)?;
    // Starts with a Clear: whatever an earlier enrolment left in IndexedDB goes.
    let ops = vault.store_mut().take_ops();
    persist(&db, ops).await?;
    local.set(Some(Local {
        db,
        vault,
        client: Some(SyncClient::new(device)),
    }));
    // The token now lives only inside the vault.
    pending.set(None);
    refresh_home(app);
    let _ = sync(app).await;
    if (app.gate)() == Gate::Securing {
        gate.set(Gate::Open);
    }
    check_persistence(app).await;
    Ok(())
}

/// The role of the person whose vault is open (`None` while locked).
pub fn open_role(app: AppState) -> Option<Role> {
    app.local
        .peek()
        .as_ref()
        .and_then(|current| current.vault.session())
        .map(|session| session.person.role)
}

/// The signed-in person with their organisation, while the vault is open.
pub fn open_person(app: AppState) -> Option<kluis_api::auth::Person> {
    app.local
        .peek()
        .as_ref()
        .and_then(|current| current.vault.session())
        .map(|session| session.person.clone())
}

/// Locks the device (idle, hidden, or on request): forgets the data key, the documents and
/// everything derived from them; the sealed blobs stay. Unlock is the PIN again.
pub fn lock(app: AppState) {
    let (mut local, mut gate) = (app.local, app.gate);
    if !gate.peek().is_open() {
        return;
    }
    // The event stream is for an open vault; the next unlock starts a new one.
    platform::stop_events();
    if let Some(current) = local.write().as_mut() {
        current.client = None;
        current.vault.lock();
    }
    forget_views(app);
    gate.set(Gate::Unlock);
}

/// "Afmelden": wipe the device, then tell the server when online.
pub async fn sign_out(app: AppState) {
    platform::stop_events();
    let token = wipe_everything(app).await;
    let (mut gate, mut note, mut pending) = (app.gate, app.notice, app.session);
    forget_views(app);
    note.set(None);
    pending.set(None);
    gate.set(Gate::Login);
    if let Some(token) = token
        && platform::is_online()
    {
        let _ = platform::post_json(kluis_api::paths::LOGOUT, "{}", Some(&token)).await;
    }
}

#[cfg(test)]
#[path = "flows_tests.rs"]
mod tests;
