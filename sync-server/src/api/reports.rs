//! Read-only overviews for the coordinator: due dates, the code space, a safe's history, and
//! repairs (housing staff see the repairs of their own company only).

use axum::Json;
use axum::extract::{Path, State};
use kluis_domain::ids::{RepairId, SafeId};
use kluis_domain::model::Role;

use super::{Auth, require_coordinator};
use crate::db::reports::{self, DueList, ModelSpace, RepairRow, SafeHistory};
use crate::db::{changes, settings};
use crate::error::{ApiError, ApiResult, ErrorBody, ServerError};
use crate::state::AppState;
use kluis_api::reports::RepairResolved;

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

/// Repairs asked of housing companies after a volunteer found a safe broken or its key
/// missing, open first: all for the coordinator, their own company's for housing staff.
#[utoipa::path(get, path = "/api/admin/repairs", tag = "lifecycle", security(("bearer" = [])),
    responses((status = 200, body = Vec<RepairRow>), (status = 403, body = ErrorBody)))]
pub async fn repairs(State(state): State<AppState>, auth: Auth) -> ApiResult<Json<Vec<RepairRow>>> {
    let owner = match auth.actor.person.role {
        Role::Coordinator => None,
        Role::HousingStaff => Some(auth.actor.org.id),
        _ => return Err(ApiError::forbidden()),
    };
    Ok(Json(
        state
            .db
            .call(move |conn| reports::repairs(conn, owner))
            .await?,
    ))
}

/// Closes a repair (the coordinator, or staff of the company that owns the building). A safe
/// with no open "broken" repair left is active again.
#[utoipa::path(post, path = "/api/admin/repairs/{id}/resolve", tag = "lifecycle", security(("bearer" = [])),
    params(("id" = String, Path, description = "Repair id")),
    responses((status = 200, body = RepairResolved), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn resolve_repair(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<RepairResolved>> {
    let repair: RepairId = id
        .parse()
        .map_err(|_| ApiError::not_found("Deze herstelling"))?;
    let actor = auth.actor.clone();
    let app = state.clone();
    let t = state.now();
    let resolved = state
        .db
        .call(move |conn| {
            let owner = reports::repair_owner(conn, repair)?;
            let allowed = match actor.person.role {
                Role::Coordinator => true,
                Role::HousingStaff => owner == actor.org.id,
                _ => false,
            };
            if !allowed {
                // Another company's repair does not exist, as far as the caller can tell.
                return Err(ServerError::NotFound("Deze herstelling".into()));
            }
            let tx = conn.transaction()?;
            let safe = changes::resolve_repair(&tx, repair, t)?;
            tx.commit()?;
            if let Some(safe) = safe {
                crate::rounds::after_change(
                    conn,
                    &app.key,
                    &app.scopes,
                    &app.scope_settings(),
                    &[safe],
                    &[],
                    t,
                )?;
            }
            Ok(safe.is_some())
        })
        .await?;
    Ok(Json(RepairResolved { resolved }))
}
