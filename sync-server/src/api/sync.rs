//! POST /api/sync: one round of the Kluis sync protocol (postcard-encoded, see the domain
//! crate's `sync` module).

use axum::body::Bytes;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::IntoResponse;
use kluis_domain::ids::DeviceId;
use kluis_domain::sync::{NEXT_TOKEN_HEADER, SyncRequest};

use super::{Auth, token_hash_of};
use crate::error::{ApiError, ApiResult, ErrorBody, ErrorCode};
use crate::state::AppState;
use crate::sync::{Bookkeeping, Committed, SyncContext, commit, prepare, refused, run};

/// One sync round. Body and answer are `application/octet-stream` (a postcard
/// `SyncRequest` / `SyncReply`). A revoked device gets 410 with `code: "wipe"` and no data.
/// The answer's `Kluis-Next-Token` header, sent once the token used is
/// `token_rotate_after_secs` old, is the device's next bearer token: use it from the next
/// request on, once it is stored (the current one stays valid until then).
#[utoipa::path(post, path = "/api/sync", tag = "sync", security(("bearer" = [])),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses(
        (status = 200, description = "SyncReply", content_type = "application/octet-stream",
            headers(("Kluis-Next-Token" = String, description = "The next bearer token"))),
        (status = 400, description = "Malformed sync message, or outside the limits; nothing was changed", body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 410, description = "Revoked: wipe local data", body = ErrorBody),
        (status = 413, description = "Body too large"),
        (status = 429, description = "Another sync of this device is running, or it syncs far too often", body = ErrorBody),
    ))]
pub async fn sync(
    State(state): State<AppState>,
    // Let in before the body is read: only a signed-in device gets to send megabytes.
    admitted: Admitted,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> ApiResult<impl IntoResponse> {
    let device = admitted.device;
    // What the device says about itself is shown to its admin, never trusted: a value that is
    // not a version is ignored.
    let version = headers
        .get(kluis_api::admin::APP_VERSION_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(kluis_api::admin::app_version)
        .map(str::to_owned);
    let _turn = state.gate.enter_sync(device)?;
    // Timed from admission: a sync refused at the gate did no work.
    let _timer = state.metrics.time_sync();
    let app = state.clone();
    // The rest runs on one blocking thread, its steps one after another: one hand-over to
    // the pool rather than one per phase. The database is held for the first phase and the
    // last, never for decoding or for the Automerge work between them.
    // The request's span (its id and route) goes along, so the warnings below carry it.
    let span = tracing::Span::current();
    let committed = tokio::task::spawn_blocking(move || -> ApiResult<Committed> {
        let _entered = span.enter();
        let request = SyncRequest::decode(&body).map_err(|e| {
            tracing::warn!(%device, %e, "sync request refused");
            refused(e)
        })?;
        let t = app.now();
        // Both phases at the database see the same device settings.
        let settings = app.scope_settings();
        let rotate_after =
            i64::try_from(app.settings.token_rotate_after.as_millis()).unwrap_or(i64::MAX);
        let ctx = SyncContext::of(&app, &settings, t);
        let token_hash = admitted.token_hash;
        let looked_up = app.db.blocking(|conn| {
            // The authority: admission went by a lookup of up to `ADMIT_FOR_MS` ago.
            let auth = Auth::lookup_in(conn, &app, token_hash.clone(), t);
            Ok(auth.map(|auth| {
                let prepared = prepare(conn, &ctx, &auth.actor, request);
                (auth, prepared)
            }))
        })?;
        let (auth, prepared) = looked_up.inspect_err(|_| app.admissions.forget(&token_hash))?;
        let prepared = prepared?;
        let session = &auth.session;
        let bookkeeping = Bookkeeping {
            rotate_from: session
                .rotate_due(t, rotate_after)
                .then(|| auth.token_hash.clone()),
            seen: session.seen_due(t),
            app_version: session.version_news(version.as_deref()).map(str::to_owned),
        };
        let worked = run(prepared).inspect_err(|e| {
            if e.code == ErrorCode::SyncLimits {
                tracing::warn!(%device, message = %e.message, "sync message outside the limits");
            }
        })?;
        app.db
            .blocking(|conn| Ok(commit(conn, &ctx, worked, bookkeeping)))?
    })
    .await
    .map_err(ApiError::internal)??;
    let mut response = (
        [
            (header::CONTENT_TYPE, "application/octet-stream"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        committed.reply,
    )
        .into_response();
    if let Some(token) = committed.next_token
        && let Ok(value) = HeaderValue::from_str(&token)
    {
        response
            .headers_mut()
            .insert(HeaderName::from_static(NEXT_TOKEN_HEADER), value);
    }
    Ok(response)
}

/// A sync's device, let in by its token (see [`crate::admit`]): from a lookup of a moment
/// ago when there is one, else from the database now.
pub struct Admitted {
    device: DeviceId,
    token_hash: String,
}

impl FromRequestParts<AppState> for Admitted {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token_hash = token_hash_of(parts)?;
        let t = state.now();
        if let Some(device) = state.admissions.device_of(&token_hash, t) {
            return Ok(Admitted { device, token_hash });
        }
        // Looked up here and again in the sync's blocking step: on a miss only, once per
        // token and ten minutes, so the hot path keeps its one hand-over.
        let auth = Auth::lookup(state, token_hash).await?;
        state
            .admissions
            .admit(&auth.token_hash, auth.actor.device, t);
        Ok(Admitted {
            device: auth.actor.device,
            token_hash: auth.token_hash,
        })
    }
}
