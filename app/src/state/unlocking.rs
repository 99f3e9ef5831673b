//! Opening the vault with the PIN: the device factors answer first, the guess is counted,
//! Argon2id runs in the PIN worker, then the search screen shows from the sealed view while
//! the documents load and the phone syncs.

use dioxus::prelude::*;

use super::AppState;
use super::device_binding::{self, SecretsFailure};
use super::error::AppError;
use super::shown::{
    Gate, Notice, after_wipe, check_persistence, derive_view, load_documents, refresh_home,
    refresh_records, show_view,
};
use super::store::{persist_recorded, wipe_everything};
use super::syncing::sync;
use super::vault::{PinOutcome, UnlockStep};
use crate::platform;

/// Why the vault did not open (a wrong PIN is an outcome, not a failure).
#[derive(Debug, PartialEq, Eq)]
pub enum UnlockFailure {
    /// The passkey prompt was closed: no guess was counted, the PIN screen stays.
    PasskeyCancelled,
    /// Storage or the browser failed: the person signs in again.
    Failed(AppError),
}

impl From<AppError> for UnlockFailure {
    fn from(error: AppError) -> Self {
        UnlockFailure::Failed(error)
    }
}

impl From<super::vault::VaultError> for UnlockFailure {
    fn from(error: super::vault::VaultError) -> Self {
        UnlockFailure::Failed(error.into())
    }
}

/// Whether this vault also asks for the phone's passkey (the unlock screen says so).
pub fn needs_passkey(app: AppState) -> bool {
    app.local
        .peek()
        .as_ref()
        .and_then(|current| current.vault.binding().ok())
        .is_some_and(|binding| binding.has_passkey())
}

/// Unlocks with `pin`. The device factors answer first (a passkey prompt may be closed
/// without costing a guess); wrong PINs are counted and persisted before Argon2id runs.
pub async fn unlock(app: AppState, pin: String) -> Result<PinOutcome, UnlockFailure> {
    let mut local = app.local;
    let binding = {
        let guard = local.peek();
        let current = guard.as_ref().ok_or(AppError::Locked)?;
        current.vault.binding()?
    };
    let secrets = match device_binding::secrets_for(&binding).await {
        Ok(secrets) => secrets,
        Err(SecretsFailure::Cancelled) => return Err(UnlockFailure::PasskeyCancelled),
        Err(SecretsFailure::Failed(reason)) => {
            return Err(UnlockFailure::Failed(AppError::Local(reason)));
        }
    };
    if device_binding::foreign(&binding, &secrets) {
        // Copied out of another browser: no PIN opens these records, so they go.
        wipe_everything(app).await;
        after_wipe(app, Notice::OtherDevice);
        return Ok(PinOutcome::Wiped);
    }
    let step = {
        let mut guard = local.write();
        let current = guard.as_mut().ok_or(AppError::Locked)?;
        current.vault.prepare_unlock()?
    };
    persist_recorded(app).await?;
    let ticket = match step {
        UnlockStep::Wiped => {
            after_wipe(app, Notice::DeviceReset);
            return Ok(PinOutcome::Wiped);
        }
        UnlockStep::Derive(ticket) => ticket,
    };
    let kek = platform::kdf::derive_kek(&pin, ticket.params())
        .await
        .map_err(AppError::Local)?;
    let outcome = {
        let mut guard = local.write();
        let current = guard.as_mut().ok_or(AppError::Locked)?;
        current.vault.unlock_with_kek(ticket, &kek, &secrets)?
    };
    if outcome == PinOutcome::Accepted && binding.is_empty() {
        // A vault from before binding: bind it to this browser now (no passkey prompt
        // unasked; a new sign-in offers one).
        let (binding, secrets) = device_binding::new_binding("", false).await;
        if !binding.is_empty() {
            let mut guard = local.write();
            if let Some(current) = guard.as_mut()
                && let Err(error) = current.vault.rebind(&kek, binding, &secrets)
            {
                platform::warn(&format!("could not bind the vault: {error}"));
            }
        }
    }
    persist_recorded(app).await?;
    match outcome {
        PinOutcome::Accepted => {
            // The sealed view opens the search screen at once; the documents (needed only
            // to sync and to record reveals) load right after. A vault without a view (from
            // an older version) derives it once now.
            let view = {
                let guard = local.peek();
                let current = guard.as_ref().ok_or(AppError::Locked)?;
                current.vault.load_view()?
            };
            let had_view = view.is_some();
            if let Some(view) = view {
                show_view(app, view);
            } else {
                load_documents(app)?;
                derive_view(app)?;
                persist_recorded(app).await?;
            }
            refresh_home(app);
            let mut gate = app.gate;
            gate.set(Gate::Open);
            dioxus::core::spawn_forever(async move {
                // Let the search screen paint before the documents are read.
                platform::paint().await;
                let loaded = if had_view {
                    load_documents(app)
                } else {
                    Ok(())
                };
                if let Err(reason) = loaded {
                    // Locked again meanwhile is no failure; a damaged document is.
                    if app.gate.peek().is_open() {
                        after_wipe(app, Notice::LocalFailed(reason.to_string()));
                    }
                    return;
                }
                refresh_records(app);
                check_persistence(app).await;
                if platform::is_online() {
                    let _ = sync(app).await;
                }
            });
        }
        PinOutcome::WrongPin { .. } => {}
        PinOutcome::Wiped => after_wipe(app, Notice::DeviceReset),
    }
    Ok(outcome)
}
