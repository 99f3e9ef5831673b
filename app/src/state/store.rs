//! The store layer: the vault over IndexedDB and the documents in memory, what is persisted
//! and when. Nothing here knows screens; the layers above are `shown` (what the screens
//! read), `syncing` (the one sync driver) and `flows` (enrol, unlock, lock, sign out, wipe).
//!
//! The vault is synchronous over a `RecordingStore`; after each vault operation the recorded
//! ops are persisted to IndexedDB in one transaction. Signal borrows are never held across an
//! `.await`.

use std::rc::Rc;

use dioxus::prelude::*;
use kluis_domain::sync::SyncClient;

use super::AppState;
use super::device_binding;
use super::error::AppError;
use super::vault::{Vault, VaultError};
use crate::platform::IdbStore;
use crate::platform::storage::{RecordingStore, StoreError, StoreOp};

/// The unlocked (or about to be unlocked) device.
pub struct Local {
    pub db: Rc<IdbStore>,
    pub vault: Vault<RecordingStore>,
    /// The documents, once the vault is open.
    pub client: Option<SyncClient>,
}

impl From<VaultError> for AppError {
    fn from(error: VaultError) -> Self {
        AppError::Local(error.to_string())
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        AppError::Local(error.to_string())
    }
}

/// Persists what the vault recorded since the last call.
pub(crate) async fn persist(db: &IdbStore, ops: Vec<StoreOp>) -> Result<(), AppError> {
    db.apply(&ops).await.map_err(AppError::from)
}

pub(crate) fn take_ops(app: AppState) -> Option<(Rc<IdbStore>, Vec<StoreOp>)> {
    let mut local = app.local;
    let mut guard = local.write();
    let current = guard.as_mut()?;
    Some((current.db.clone(), current.vault.store_mut().take_ops()))
}

/// Persists whatever the vault recorded; `Locked` when nothing is open.
pub(crate) async fn persist_recorded(app: AppState) -> Result<(), AppError> {
    let (db, ops) = take_ops(app).ok_or(AppError::Locked)?;
    persist(&db, ops).await
}

/// The open vault's bearer token.
pub fn session_token(app: AppState) -> Result<String, AppError> {
    app.local
        .peek()
        .as_ref()
        .and_then(|current| current.vault.session())
        .map(|session| session.token.expose().to_string())
        .ok_or(AppError::Locked)
}

/// Erases the vault and IndexedDB (sign-out, server wipe); returns the token it held, for a
/// last sign-out call.
pub(crate) async fn wipe_everything(app: AppState) -> Option<String> {
    let token = {
        let mut local = app.local;
        let mut guard = local.write();
        let current = guard.as_mut()?;
        let token = current
            .vault
            .session()
            .map(|session| session.token.expose().to_string());
        let _ = current.vault.wipe();
        current.client = None;
        token
    };
    if let Some((db, ops)) = take_ops(app) {
        let _ = persist(&db, ops).await;
    }
    device_binding::forget().await;
    token
}
