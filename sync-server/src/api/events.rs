//! GET /api/events: a server-sent event stream that tells a connected device when to sync,
//! so a changed code reaches an open app at once instead of at its next scheduled sync.
//! It carries no data: a `sync` event only says "fetch now", over the ordinary sync call.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use tokio::sync::broadcast::error::RecvError;

use super::Auth;
use crate::db::accounts::{self, SessionLookup};
use crate::error::ErrorBody;
use crate::scopes::Nudge;
use crate::state::{AppState, now};

/// How often an open stream re-checks that its device was not revoked meanwhile (by the
/// `sync-server admin` command, which cannot reach the running server's memory).
const RECHECK: Duration = Duration::from_secs(20);

enum Step {
    Ready,
    Listening,
    Done,
}

/// Events: `ready` once connected; `sync` when the device's documents changed (or when a
/// nudge may have been missed); `wipe` (data: `device_revoked` / `person_revoked`) when the
/// device was revoked, after which the stream ends.
#[utoipa::path(get, path = "/api/events", tag = "sync", security(("bearer" = [])),
    responses(
        (status = 200, description = "text/event-stream of `ready`, `sync` and `wipe` events", content_type = "text/event-stream"),
        (status = 401, body = ErrorBody),
        (status = 410, description = "Revoked: wipe local data", body = ErrorBody),
    ))]
pub async fn events(
    State(state): State<AppState>,
    auth: Auth,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let rx = state.scopes.subscribe();
    let service = auth.actor.org.id;
    let person = auth.actor.person.id;
    let token_hash = auth.token_hash.clone();
    let stream = futures_util::stream::unfold((Step::Ready, rx), move |(step, mut rx)| {
        let state = state.clone();
        let token_hash = token_hash.clone();
        async move {
            match step {
                Step::Done => None,
                Step::Ready => Some((
                    Ok(Event::default().event("ready").data("")),
                    (Step::Listening, rx),
                )),
                Step::Listening => loop {
                    let wake = tokio::time::timeout(RECHECK, rx.recv()).await;
                    let relevant = match wake {
                        Ok(Ok(Nudge::Scope(s))) => s == service,
                        Ok(Ok(Nudge::Person(p))) => p == person,
                        Ok(Ok(Nudge::Revocation)) | Err(_) => false,
                        // Missed nudges: sync to be safe.
                        Ok(Err(RecvError::Lagged(_))) => true,
                        Ok(Err(RecvError::Closed)) => return None,
                    };
                    let hash = token_hash.clone();
                    let t = now();
                    match state
                        .db
                        .call(move |conn| accounts::session(conn, &hash, t))
                        .await
                    {
                        Ok(SessionLookup::DeviceRevoked) => {
                            return Some((
                                Ok(Event::default().event("wipe").data("device_revoked")),
                                (Step::Done, rx),
                            ));
                        }
                        Ok(SessionLookup::PersonRevoked) => {
                            return Some((
                                Ok(Event::default().event("wipe").data("person_revoked")),
                                (Step::Done, rx),
                            ));
                        }
                        Ok(SessionLookup::Unknown) | Err(_) => return None,
                        Ok(SessionLookup::Active(_)) if relevant => {
                            return Some((
                                Ok(Event::default().event("sync").data("")),
                                (Step::Listening, rx),
                            ));
                        }
                        Ok(SessionLookup::Active(_)) => {}
                    }
                },
            }
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}
