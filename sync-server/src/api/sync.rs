//! POST /api/sync: one round of the Kluis sync protocol (postcard-encoded, see the domain
//! crate's `sync` module).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;

use super::Auth;
use crate::db::accounts;
use crate::error::{ApiResult, ErrorBody};
use crate::state::{AppState, now};
use crate::sync::{SyncContext, handle};

/// One sync round. Body and answer are `application/octet-stream` (a postcard
/// `SyncRequest` / `SyncReply`). A revoked device gets 410 with `code: "wipe"` and no data.
#[utoipa::path(post, path = "/api/sync", tag = "sync", security(("bearer" = [])),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses(
        (status = 200, description = "SyncReply", content_type = "application/octet-stream"),
        (status = 400, description = "Malformed sync message; nothing was changed", body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 410, description = "Revoked: wipe local data", body = ErrorBody),
        (status = 413, description = "Body too large"),
    ))]
pub async fn sync(
    State(state): State<AppState>,
    auth: Auth,
    body: Bytes,
) -> ApiResult<impl IntoResponse> {
    let t = now();
    let app = state.clone();
    let reply = state
        .db
        .call(move |conn| {
            let settings = app.scope_settings();
            let ctx = SyncContext {
                key: &app.key,
                scopes: &app.scopes,
                settings: &settings,
                now: t,
            };
            let expires = t.plus_days(i64::from(app.settings.session_days));
            accounts::touch(conn, &auth.token_hash, auth.actor.device, t, expires)?;
            Ok(handle(conn, &ctx, &auth.actor, &body))
        })
        .await??;
    Ok((
        [
            (header::CONTENT_TYPE, "application/octet-stream"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        reply,
    ))
}
