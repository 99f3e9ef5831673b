//! Syncing the unlocked device with the server: one session of `POST /api/sync` round trips
//! through the sans-IO [`SyncClient`], then the documents are sealed into the vault.

use dioxus::prelude::*;
use kluis_domain::sync::{ClientEvent, DocKind, SyncReply};

use super::AppState;
use super::local::{
    Local, Notice, after_wipe, derive_view, persist, refresh_home, take_ops, vault_text,
    wipe_everything,
};
use crate::platform::{self, NetError};

/// One answer of `POST /api/sync`, interpreted.
#[derive(Debug)]
pub enum SyncAnswer {
    Reply(SyncReply),
    /// `410 {"code":"wipe"}`: the device or person was revoked.
    Wipe,
    Failed(String),
}

pub fn interpret_sync_response(status: u16, body: &[u8]) -> SyncAnswer {
    if status == 410 {
        let code = serde_json::from_slice::<serde_json::Value>(body)
            .ok()
            .and_then(|value| value.get("code")?.as_str().map(str::to_string));
        if code.as_deref() == Some("wipe") {
            return SyncAnswer::Wipe;
        }
    }
    if status != 200 {
        return SyncAnswer::Failed(format!("HTTP {status}"));
    }
    match SyncReply::decode(body) {
        Ok(reply) => SyncAnswer::Reply(reply),
        Err(error) => SyncAnswer::Failed(error.to_string()),
    }
}

thread_local! {
    /// A sync was asked for while one ran: the running one may have started before the
    /// change it announces, so it runs once more after.
    static AGAIN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Syncs now; if a sync is already running, once more right after it.
pub async fn sync(app: AppState) -> Result<(), String> {
    if app.home.peek().syncing {
        AGAIN.with(|again| again.set(true));
        return Ok(());
    }
    loop {
        AGAIN.with(|again| again.set(false));
        let result = sync_once(app).await;
        if result.is_err() || !AGAIN.with(std::cell::Cell::get) {
            return result;
        }
    }
}

/// One sync session over fetch; saves the documents into the vault afterwards.
async fn sync_once(app: AppState) -> Result<(), String> {
    let mut home = app.home;
    let token = {
        let mut local = app.local;
        let mut guard = local.write();
        let current = guard.as_mut().ok_or_else(|| "locked".to_string())?;
        let token = current
            .vault
            .session()
            .map(|session| session.token.expose().to_string())
            .ok_or_else(|| "locked".to_string())?;
        current
            .client
            .as_mut()
            .ok_or_else(|| "locked".to_string())?
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
                    }) => vault.save_docs(client).map_err(|e| vault_text(&e)),
                    _ => Err("locked".to_string()),
                }
            };
            saved?;
            if let Some(time) = server_time {
                let mut local = app.local;
                if let Some(current) = local.write().as_mut() {
                    current
                        .vault
                        .set_last_sync(time)
                        .map_err(|e| vault_text(&e))?;
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
            Some(current) => current.vault.set_token(&next).map_err(|e| vault_text(&e)),
            None => Err("locked".to_string()),
        }
    };
    let stored = match (sealed, take_ops(app)) {
        (Ok(()), Some((db, ops))) => persist(&db, ops).await,
        (Err(error), _) => Err(error),
        (Ok(()), None) => Err("locked".to_string()),
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

async fn run_session(app: AppState, token: &str) -> Result<SessionEnd, String> {
    let mut local = app.local;
    let mut token = token.to_string();
    let mut server_time = None;
    let mut scope_changed = false;
    loop {
        let request = {
            let mut guard = local.write();
            let Some(client) = guard.as_mut().and_then(|current| current.client.as_mut()) else {
                return Err("locked".into());
            };
            client.next_request()
        };
        let Some(request) = request else { break };
        let body = request.encode().map_err(|e| e.to_string())?;
        let response = platform::post_bytes("/api/sync", &body, Some(&token))
            .await
            .map_err(|e| match e {
                NetError::Timeout => "timeout".to_string(),
                NetError::Failed(reason) => reason,
            })?;
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
                return Err("locked".into());
            };
            client.handle_reply(reply).map_err(|e| e.to_string())?
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
    fn a_410_wipe_is_a_wipe_and_garbage_is_an_error() {
        assert!(matches!(
            interpret_sync_response(410, br#"{"code":"wipe","message":"x"}"#),
            SyncAnswer::Wipe
        ));
        assert!(matches!(
            interpret_sync_response(401, br#"{"code":"unauthorized"}"#),
            SyncAnswer::Failed(_)
        ));
        assert!(matches!(
            interpret_sync_response(200, b"\xff\xff"),
            SyncAnswer::Failed(_)
        ));
    }
}
