//! What runs while the app is open: the idle lock and the lock when hidden, syncing when the
//! network comes back and every few minutes, and listening to the server's event stream so a
//! changed code reaches an open app at once. Each loop is started once, by the app shell.

use super::AppState;
use super::flows::lock;
use super::store::session_token;
use super::syncing::{apply_push, sync};
use crate::platform;
use dioxus::prelude::*;

/// How often the idle lock looks at the clock.
const IDLE_CHECK_MS: u32 = 5_000;
/// A sync now and then even without a nudge: a missed event must not leave old codes.
const PERIODIC_SYNC_MS: u32 = 5 * 60_000;
/// Waits before reconnecting the event stream, doubling up to the last.
const EVENTS_BACKOFF_MS: [u32; 5] = [2_000, 5_000, 15_000, 30_000, 60_000];

fn unlocked(app: AppState) -> bool {
    app.gate.peek().is_open()
}

/// Locks after the coordinator's idle time without a touch.
pub async fn idle_lock(app: AppState) {
    platform::track_activity();
    loop {
        platform::sleep_ms(IDLE_CHECK_MS).await;
        if !unlocked(app) {
            continue;
        }
        let limit = i64::from(app.home.peek().idle_lock_secs.max(10)) * 1000;
        if platform::now_millis() - platform::last_activity_millis() >= limit {
            lock(app);
        }
    }
}

/// Locks as soon as the page is hidden (another app, screen off).
pub async fn hidden_lock(app: AppState) {
    loop {
        platform::next_hidden().await;
        if unlocked(app) {
            lock(app);
        }
    }
}

/// Syncs when the network comes back.
pub async fn sync_when_online(app: AppState) {
    loop {
        platform::next_online().await;
        if unlocked(app) {
            let _ = sync(app).await;
        }
    }
}

/// Syncs every few minutes while unlocked and online.
pub async fn sync_periodically(app: AppState) {
    loop {
        platform::sleep_ms(PERIODIC_SYNC_MS).await;
        if unlocked(app) && platform::is_online() {
            let _ = sync(app).await;
        }
    }
}

/// Keeps `GET /api/events` open while the vault is open; each `ready` (a new connection),
/// `sync` or `wipe` event starts a sync (a wipe is confirmed by the sync's 410 before
/// anything is erased). Started each time the gate opens ([`start_listening`]); ends when it
/// closes or a newer listener started. Offline it waits for the network, not a timer.
async fn listen_for_changes(app: AppState, epoch: u64) {
    let current = move || *app.events_epoch.peek() == epoch && unlocked(app);
    let mut failures = 0usize;
    while current() {
        if !platform::is_online() {
            platform::next_online().await;
            continue;
        }
        let Ok(token) = session_token(app) else { break };
        let on_event = move |name: String, data: String| match name.as_str() {
            // The change itself: no sync needed when it applies.
            "change" => {
                dioxus::core::spawn_forever(async move {
                    if !matches!(apply_push(app, &data).await, Ok(true)) {
                        let _ = sync(app).await;
                    }
                });
            }
            // "ready" too: whatever changed while the stream was down was not announced.
            "ready" | "sync" | "wipe" => {
                dioxus::core::spawn_forever(async move {
                    let _ = sync(app).await;
                });
            }
            _ => {}
        };
        let started = platform::now_millis();
        let result = platform::listen_events(&token, on_event).await;
        if !current() {
            break;
        }
        // A stream that stayed open a while was healthy: start the backoff again.
        if result.is_ok() || platform::now_millis() - started > 60_000 {
            failures = 0;
        } else {
            failures += 1;
        }
        let wait = EVENTS_BACKOFF_MS[failures.min(EVENTS_BACKOFF_MS.len() - 1)];
        platform::sleep_ms(wait).await;
    }
}

/// Starts the event stream for a gate that just opened; an older listener ends.
pub fn start_listening(app: AppState) {
    let mut epoch = app.events_epoch;
    let next = epoch.peek().wrapping_add(1);
    epoch.set(next);
    dioxus::core::spawn_forever(listen_for_changes(app, next));
}
