//! Read-only overviews for the coordinator: due dates, the code space, a safe's history.

use axum::Json;
use axum::extract::{Path, State};
use kluis_domain::ids::SafeId;

use super::{Auth, require_coordinator};
use crate::db::reports::{self, DueList, ModelSpace, SafeHistory};
use crate::db::settings;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;

/// Safes whose new code is overdue, due this week or due this month (coordinator only):
/// first code 5 working days after installation, 5 working days after a leak, every 6
/// months; working days skip weekends, Belgian public holidays and the office's closing days.
#[utoipa::path(get, path = "/api/admin/due", tag = "lifecycle", security(("bearer" = [])),
    responses((status = 200, body = DueList), (status = 403, body = ErrorBody)))]
pub async fn due(State(state): State<AppState>, auth: Auth) -> ApiResult<Json<DueList>> {
    require_coordinator(&auth)?;
    let today = state.clock.today();
    Ok(Json(
        state
            .db
            .call(move |conn| {
                let calendar = settings::calendar(conn)?;
                reports::due(conn, &calendar, today)
            })
            .await?,
    ))
}

/// Per safe model: codes in use (and in quarantine) against the usable codes, e.g. "312 of
/// 408" (coordinator only).
#[utoipa::path(get, path = "/api/admin/code-space", tag = "lifecycle", security(("bearer" = [])),
    responses((status = 200, body = Vec<ModelSpace>), (status = 403, body = ErrorBody)))]
pub async fn code_space(
    State(state): State<AppState>,
    auth: Auth,
) -> ApiResult<Json<Vec<ModelSpace>>> {
    require_coordinator(&auth)?;
    let key = state.key.clone();
    let t = state.now();
    Ok(Json(
        state
            .db
            .call(move |conn| {
                let lifecycle = settings::lifecycle(conn)?;
                reports::code_space(conn, &key, lifecycle.quarantine_days, t)
            })
            .await?,
    ))
}

/// A safe's codes with their states and dates and who confirmed each on site, and every
/// record volunteers made (coordinator only). No code values.
#[utoipa::path(get, path = "/api/admin/safes/{id}/history", tag = "lifecycle", security(("bearer" = [])),
    params(("id" = String, Path, description = "Safe id")),
    responses((status = 200, body = SafeHistory), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn history(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<SafeHistory>> {
    require_coordinator(&auth)?;
    let safe: SafeId = id.parse().map_err(|_| ApiError::not_found("Deze kluis"))?;
    Ok(Json(
        state
            .db
            .call(move |conn| reports::safe_history(conn, safe))
            .await?,
    ))
}
