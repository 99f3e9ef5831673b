//! The sync driver: one session of `POST /api/sync` round trips through the sans-IO
//! [`SyncClient`], then the documents are sealed into the vault. [`SyncDriver`] owns whether a
//! sync runs and whether it must run again, so callers (a tap, the event stream, the network
//! coming back, a recorded change) just ask.

use dioxus::prelude::*;
use kluis_api::{ErrorBody, ErrorCode};
use kluis_domain::sync::{ClientEvent, DocKind, PushedChange, SyncReply};

use super::AppState;
use super::error::AppError;
use super::shown::{
    Notice, after_wipe, derive_view, ensure_documents, refresh_home, refresh_records,
};
use super::store::{Local, persist, take_ops, wipe_everything};
use crate::platform;

/// One answer of `POST /api/sync`, interpreted.
#[derive(Debug)]
pub enum SyncAnswer {
    Reply(SyncReply),
    /// `410 {"code":"wipe"}`: the device or person was revoked.
    Wipe,
    Failed(AppError),
}

pub fn interpret_sync_response(status: u16, body: &[u8]) -> SyncAnswer {
    if status != 200 {
        return match serde_json::from_slice::<ErrorBody>(body) {
            Ok(error) if status == 410 && error.code == ErrorCode::Wipe => SyncAnswer::Wipe,
            Ok(error) => SyncAnswer::Failed(AppError::Rejected {
                status,
                code: error.code,
                problem: error.problem,
            }),
            Err(_) => SyncAnswer::Failed(AppError::Unexpected { status }),
        };
    }
    match SyncReply::decode(body) {
        Ok(reply) => SyncAnswer::Reply(reply),
        Err(_) => SyncAnswer::Failed(AppError::Unexpected { status }),
    }
}

/// Whether a sync runs and whether it must run once more: a sync asked for while one runs
/// may announce a change the running one started too early to see.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SyncDriver {
    running: bool,
    again: bool,
}

impl SyncDriver {
    /// Asked to sync: true when the caller should run it now; else it runs again after the
    /// running one.
    pub fn ask(&mut self) -> bool {
        if self.running {
            self.again = true;
            false
        } else {
            *self = SyncDriver {
                running: true,
                again: false,
            };
            true
        }
    }

    /// A session ended (`ok` or not): true when it must run once more. A failed one does not
    /// retry at once; the next nudge, the network coming back or the timer will.
    pub fn finished(&mut self, ok: bool) -> bool {
        if ok && self.again {
            self.again = false;
            true
        } else {
            *self = SyncDriver::default();
            false
        }
    }

    pub fn is_running(self) -> bool {
        self.running
    }
}

/// Syncs now; if a sync is already running, once more right after it.
pub async fn sync(app: AppState) -> Result<(), AppError> {
    let mut driver = app.sync_driver;
    if !driver.write().ask() {
        return Ok(());
    }
    loop {
        let result = sync_once(app).await;
        if !driver.write().finished(result.is_ok()) {
            return result;
        }
    }
}

/// A change the server pushed over the event stream: applied when the phone's document is at
/// its `from` heads, then sealed, stored and shown as after a sync (the sync time stays: only
/// a sync says every document is current). `Ok(false)`: it did not apply (another place,
/// malformed, or a sync running now), and the caller syncs instead.
pub async fn apply_push(app: AppState, data: &str) -> Result<bool, AppError> {
    let Ok(push) = PushedChange::decode(data) else {
        return Ok(false);
    };
    // A running session's state must not move under it; it or its rerun brings the change.
    if app.sync_driver.peek().is_running() {
        return Ok(false);
    }
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
        if !client.apply_push(&push) {
            return Ok(false);
        }
        vault.save_docs(client)?;
    }
    derive_view(app)?;
    if let Some((db, ops)) = take_ops(app) {
        persist(&db, ops).await?;
    }
    refresh_home(app);
    Ok(true)
}

/// One sync session over fetch; saves the documents into the vault afterwards.
async fn sync_once(app: AppState) -> Result<(), AppError> {
    let mut home = app.home;
    // Right after unlock the documents may not be read yet (the screen opens from the sealed
    // view first): read them now.
    ensure_documents(app)?;
    let token = {
        let mut local = app.local;
        let mut guard = local.write();
        let current = guard.as_mut().ok_or(AppError::Locked)?;
        let token = current
            .vault
            .session()
            .map(|session| session.token.expose().to_string())
            .ok_or(AppError::Locked)?;
        current
            .client
            .as_mut()
            .ok_or(AppError::Locked)?
            .begin_session();
        token
    };
    home.with_mut(|info| {
        info.syncing = true;
        info.sync_failed = false;
    });
    let result = run_session(app, &token).await;
    home.with_mut(|info| info.syncing = false);
    match result {
        Ok(SessionEnd::Done {
            server_time,
            scope_changed,
        }) => {
            let saved = {
                let mut local = app.local;
                let mut guard = local.write();
                match guard.as_mut() {
                    Some(Local {
                        vault,
                        client: Some(client),
                        ..
                    }) => vault.save_docs(client).map_err(AppError::from),
                    _ => Err(AppError::Locked),
                }
            };
            saved?;
            if let Some(time) = server_time {
                let mut local = app.local;
                if let Some(current) = local.write().as_mut() {
                    current.vault.set_last_sync(time)?;
                }
            }
            // The view is re-derived only when the scope changed: reading a large scope out
            // of Automerge is the slow part, and most syncs bring nothing.
            if scope_changed {
                derive_view(app)?;
            }
            // Documents, view and sync time in one IndexedDB transaction.
            if let Some((db, ops)) = take_ops(app) {
                persist(&db, ops).await?;
            }
            refresh_home(app);
            // What the server now has of the outbox: a report shows "verstuurd".
            refresh_records(app);
            Ok(())
        }
        Ok(SessionEnd::Wipe) => {
            wipe_everything(app).await;
            after_wipe(app, Notice::Wiped);
            Ok(())
        }
        Err(error) => {
            home.with_mut(|info| info.sync_failed = true);
            Err(error)
        }
    }
}

/// Takes the server's successor token: sealed into the vault and persisted first, and only
/// then used. Should storing fail, the phone goes on with `current` (still valid while its
/// successor is unused); using a token the vault does not hold would, after a restart, send
/// the old one again, which the server takes for a copied phone.
async fn adopt_token(app: AppState, current: &str, next: String) -> String {
    let mut local = app.local;
    let sealed = {
        let mut guard = local.write();
        match guard.as_mut() {
            Some(current) => current.vault.set_token(&next).map_err(AppError::from),
            None => Err(AppError::Locked),
        }
    };
    let stored = match (sealed, take_ops(app)) {
        (Ok(()), Some((db, ops))) => persist(&db, ops).await,
        (Err(error), _) => Err(error),
        (Ok(()), None) => Err(AppError::Locked),
    };
    match stored {
        Ok(()) => next,
        Err(error) => {
            platform::warn(&format!("keeping the current token: {error}"));
            if let Some(open) = local.write().as_mut() {
                let _ = open.vault.set_token(current);
            }
            current.to_string()
        }
    }
}

enum SessionEnd {
    Done {
        server_time: Option<i64>,
        scope_changed: bool,
    },
    Wipe,
}

async fn run_session(app: AppState, token: &str) -> Result<SessionEnd, AppError> {
    let mut local = app.local;
    let mut token = token.to_string();
    let mut server_time = None;
    let mut scope_changed = false;
    loop {
        let request = {
            let mut guard = local.write();
            let Some(client) = guard.as_mut().and_then(|current| current.client.as_mut()) else {
                return Err(AppError::Locked);
            };
            client.next_request()
        };
        let Some(request) = request else { break };
        let body = request
            .encode()
            .map_err(|e| AppError::Local(e.to_string()))?;
        let response = platform::post_bytes(kluis_api::paths::SYNC, &body, Some(&token)).await?;
        let reply = match interpret_sync_response(response.status, &response.body) {
            SyncAnswer::Reply(reply) => reply,
            SyncAnswer::Wipe => return Ok(SessionEnd::Wipe),
            SyncAnswer::Failed(reason) => return Err(reason),
        };
        if let Some(next) = response.next_token {
            token = adopt_token(app, &token, next).await;
        }
        let events = {
            let mut guard = local.write();
            let Some(client) = guard.as_mut().and_then(|current| current.client.as_mut()) else {
                return Err(AppError::Locked);
            };
            client
                .handle_reply(reply)
                .map_err(|_| AppError::Unexpected { status: 200 })?
        };
        for event in events {
            match event {
                ClientEvent::Wipe(_) => return Ok(SessionEnd::Wipe),
                ClientEvent::Synced { server_time: time } => server_time = Some(time.millis()),
                ClientEvent::DocLoaded(id)
                | ClientEvent::DocChanged(id)
                | ClientEvent::DocDropped(id) => {
                    scope_changed |= !matches!(id.kind(), DocKind::Device { .. });
                }
            }
        }
    }
    Ok(SessionEnd::Done {
        server_time,
        scope_changed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_sync_at_a_time_and_once_more_when_asked_meanwhile() {
        let mut driver = SyncDriver::default();
        assert!(driver.ask(), "idle: run now");
        assert!(!driver.ask(), "running: not a second one");
        assert!(!driver.ask());
        assert!(driver.finished(true), "asked meanwhile: once more");
        assert!(!driver.finished(true), "then idle");
        assert!(!driver.is_running());
        // A failed session stops, even when asked meanwhile; the next ask runs.
        assert!(driver.ask());
        assert!(!driver.ask());
        assert!(!driver.finished(false));
        assert!(driver.ask());
    }

    #[test]
    fn a_410_wipe_is_a_wipe_and_garbage_is_an_error() {
        assert!(matches!(
            interpret_sync_response(410, br#"{"code":"wipe","message":"x"}"#),
            SyncAnswer::Wipe
        ));
        assert!(matches!(
            interpret_sync_response(401, br#"{"code":"unauthenticated","message":"x"}"#),
            SyncAnswer::Failed(AppError::Rejected {
                code: ErrorCode::Unauthenticated,
                ..
            })
        ));
        assert!(matches!(
            interpret_sync_response(410, b"gone"),
            SyncAnswer::Failed(AppError::Unexpected { status: 410 })
        ));
        assert!(matches!(
            interpret_sync_response(200, b"\xff\xff"),
            SyncAnswer::Failed(_)
        ));
    }
}
