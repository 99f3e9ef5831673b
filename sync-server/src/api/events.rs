//! GET /api/events: a server-sent event stream that tells a connected device when to sync,
//! so a changed code reaches an open app at once instead of at its next scheduled sync.
//! A `sync` event only says "fetch now", over the ordinary sync call. A `change` event
//! carries the change itself (`kluis_domain::sync::PushedChange`, encoded once per change
//! for every stream of the service): a device at its `from` heads applies it and needs no
//! sync, so a fan-out costs the server one write per open stream.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use tokio::sync::broadcast::error::RecvError;

use kluis_domain::ids::DeviceId;

use super::Auth;
use crate::db::sessions::{self, DeviceStanding};
use crate::error::{ApiError, ErrorBody};
use crate::scopes::Nudge;
use crate::state::AppState;

/// How long a stream waits for a nudge before it looks again whether the server is
/// stopping. A revocation by the `sync-server admin` command, which cannot reach the running
/// server's memory, is noticed by [`crate::revoke::watch`] and nudged like any other.
const RECHECK: Duration = Duration::from_secs(20);

enum Step {
    Ready,
    Listening,
    Done,
}

/// Events: `ready` once connected; `change` (data: the pushed change) when the service's
/// scope changed by a change a device at its heads can apply; `sync` when the device's
/// documents changed otherwise (or when a nudge may have been missed); `wipe` (data: `device_revoked` / `person_revoked`) when the
/// device was revoked, after which the stream ends. One stream per device: a new one ends
/// the older (a phone that lost its network reconnects), and a device reconnecting far
/// more often than an app does gets 429.
#[utoipa::path(get, path = "/api/events", tag = "sync", security(("bearer" = [])),
    responses(
        (status = 200, description = "text/event-stream of `ready`, `change`, `sync` and `wipe` events", content_type = "text/event-stream"),
        (status = 401, body = ErrorBody),
        (status = 410, description = "Revoked: wipe local data", body = ErrorBody),
        (status = 429, description = "Reconnecting too often", body = ErrorBody),
    ))]
pub async fn events(
    State(state): State<AppState>,
    auth: Auth,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let device = auth.actor.device;
    let (number, replaced) = state.gate.open_stream(device)?;
    let rx = state.scopes.subscribe();
    let service = auth.actor.org.id;
    let person = auth.actor.person.id;
    let place = StreamPlace {
        _open: state.metrics.stream_opened(),
        state: state.clone(),
        device,
        number,
        replaced,
    };
    let stream =
        futures_util::stream::unfold((Step::Ready, rx, place), move |(step, mut rx, place)| {
            async move {
                match step {
                    Step::Done => None,
                    Step::Ready => Some((
                        Ok(Event::default().event("ready").data("")),
                        (Step::Listening, rx, place),
                    )),
                    Step::Listening => loop {
                        if place.state.scopes.stopping() {
                            return None;
                        }
                        let wake = tokio::select! {
                            // A newer stream of this device took over.
                            () = place.replaced.notified() => return None,
                            wake = tokio::time::timeout(RECHECK, rx.recv()) => wake,
                        };
                        if place.state.scopes.stopping() {
                            return None;
                        }
                        if !place
                            .state
                            .gate
                            .is_current_stream(place.device, place.number)
                        {
                            // A newer stream of this device took over.
                            return None;
                        }
                        // Only a revocation or a missed nudge asks the database:
                        // a nudge for another service or device costs a stream nothing, so a
                        // reconnect storm of thousands of phones is not thousands squared
                        // look-ups. A device told to sync is checked by the sync itself.
                        let (relevant, recheck) = match wake {
                            // The change's data only to a device that stood active when
                            // it was made; any other asks the database first (and is told
                            // to sync, or to wipe).
                            Ok(Ok(Nudge::ScopeChange(s, push, allowed))) if s == service => {
                                if allowed.contains(&device) {
                                    return Some((
                                        Ok(Event::default().event("change").data(&*push)),
                                        (Step::Listening, rx, place),
                                    ));
                                }
                                (true, true)
                            }
                            Ok(Ok(Nudge::ScopeChange(..))) => (false, false),
                            Ok(Ok(Nudge::Scope(s))) => (s == service, false),
                            Ok(Ok(Nudge::Person(p))) => (p == person, false),
                            Ok(Ok(Nudge::Shutdown)) | Err(_) => (false, false),
                            Ok(Ok(Nudge::Revocation)) => (false, true),
                            // Missed nudges: sync to be safe.
                            Ok(Err(RecvError::Lagged(_))) => (true, true),
                            Ok(Err(RecvError::Closed)) => return None,
                        };
                        if !recheck {
                            if relevant {
                                return Some((
                                    Ok(Event::default().event("sync").data("")),
                                    (Step::Listening, rx, place),
                                ));
                            }
                            continue;
                        }
                        let t = place.state.now();
                        let standing = place
                            .state
                            .db
                            .call(move |conn| sessions::device_standing(conn, device, t))
                            .await;
                        match standing {
                            Ok(DeviceStanding::DeviceRevoked) => {
                                return Some((
                                    Ok(Event::default().event("wipe").data("device_revoked")),
                                    (Step::Done, rx, place),
                                ));
                            }
                            Ok(DeviceStanding::PersonRevoked) => {
                                return Some((
                                    Ok(Event::default().event("wipe").data("person_revoked")),
                                    (Step::Done, rx, place),
                                ));
                            }
                            Ok(DeviceStanding::Ended) | Err(_) => return None,
                            Ok(DeviceStanding::Active) if relevant => {
                                return Some((
                                    Ok(Event::default().event("sync").data("")),
                                    (Step::Listening, rx, place),
                                ));
                            }
                            Ok(DeviceStanding::Active) => {}
                        }
                    },
                }
            }
        });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

/// A stream's place in the gate, given back when the stream ends (however it ends); its
/// count in the open-streams gauge goes with it.
struct StreamPlace {
    _open: crate::metrics::OpenStream,
    state: AppState,
    device: DeviceId,
    number: u64,
    /// Woken when a newer stream of the device opens.
    replaced: std::sync::Arc<tokio::sync::Notify>,
}

impl Drop for StreamPlace {
    fn drop(&mut self) {
        self.state.gate.close_stream(self.device, self.number);
    }
}
