//! Reports from the door and the repair orders they lead to. The coordinator sees and handles
//! every report; a service admin sees their own carers' reports and where they stand; the
//! housing company sees, plans and finishes the repair orders at its own buildings (another
//! company's order does not exist for it).

use axum::Json;
use axum::extract::{Path, State};
use kluis_api::door::{HandleReports, RepairDone, RepairPlan, ReportGroup, ReportsHandled};
use kluis_api::error::Field;
use kluis_api::reports::{RepairResolved, RepairRow};
use kluis_domain::ids::{RepairId, SafeId};
use kluis_domain::model::Role;

use super::{ApiJson, Auth, require_coordinator};
use crate::db::door::{self, MAX_REPLY_CHARS, ReportScope};
use crate::db::repairs;
use crate::error::{ApiError, ApiResult, ErrorBody, ServerError};
use crate::state::{AppState, today_in_ghent};

/// The reports the caller sees, per safe: new ones first.
#[utoipa::path(get, path = "/api/door-reports", tag = "reports", security(("bearer" = [])),
    responses((status = 200, body = Vec<ReportGroup>), (status = 403, body = ErrorBody)))]
pub async fn list(State(state): State<AppState>, auth: Auth) -> ApiResult<Json<Vec<ReportGroup>>> {
    let scope = match auth.actor.person.role {
        Role::Coordinator => ReportScope::All,
        Role::ServiceAdmin => ReportScope::Service(auth.actor.org.id),
        _ => return Err(ApiError::forbidden()),
    };
    Ok(Json(state.db.call(move |c| door::groups(c, scope)).await?))
}

/// Deals with every new report of a safe at once (coordinator only): the leak flow, an urgent
/// change, a repair order, or closed with a reply. All of it, with its audit row, in one
/// transaction; the documents that see the safe follow after the commit.
#[utoipa::path(post, path = "/api/door-reports/{id}/handle", tag = "reports", security(("bearer" = [])),
    params(("id" = String, Path, description = "Safe id")), request_body = HandleReports,
    responses((status = 200, body = ReportsHandled), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn handle(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<HandleReports>,
) -> ApiResult<Json<ReportsHandled>> {
    require_coordinator(&auth)?;
    let safe: SafeId = id.parse().map_err(|_| ApiError::not_found("Deze kluis"))?;
    let reply = kluis_api::check::text(Field::Note, &req.reply, 0, MAX_REPLY_CHARS as u32)
        .map_err(ApiError::invalid)?;
    let by = auth.actor.person.id;
    let app = state.clone();
    let t = state.now();
    let handled = state
        .db
        .call(move |conn| {
            let tx = conn.transaction()?;
            let handled = door::handle(&tx, &app.key, safe, req.action, &reply, by, t)?;
            tx.commit()?;
            crate::rounds::after_change(
                conn,
                &app.key,
                &app.scopes,
                &app.scope_settings(),
                &[safe],
                &handled.volunteers,
                t,
            )?;
            Ok(handled.reply)
        })
        .await?;
    tracing::info!(%safe, ?req.action, by = %auth.actor.person.id, "door reports handled");
    Ok(Json(handled))
}

/// Repair orders, open first: all for the coordinator, their own company's for housing staff.
#[utoipa::path(get, path = "/api/admin/repairs", tag = "reports", security(("bearer" = [])),
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
            .call(move |conn| repairs::list(conn, owner))
            .await?,
    ))
}

/// The repair of the path, for a role that may change repairs at all (anyone else 403).
fn repair_for(auth: &Auth, id: &str) -> ApiResult<RepairId> {
    if !matches!(
        auth.actor.person.role,
        Role::Coordinator | Role::HousingStaff
    ) {
        return Err(ApiError::forbidden());
    }
    id.parse()
        .map_err(|_| ApiError::not_found("Deze herstelling"))
}

/// Whether the caller may change `repair`: the coordinator, or staff of the owning company.
/// Another company's staff get "not found", as if it did not exist.
fn may_change(
    conn: &rusqlite::Connection,
    auth: &crate::db::accounts::Actor,
    repair: RepairId,
) -> Result<(), ServerError> {
    let owner = repairs::owner(conn, repair)?;
    match auth.person.role {
        Role::Coordinator => Ok(()),
        Role::HousingStaff if owner == auth.org.id => Ok(()),
        _ => Err(ServerError::NotFound("Deze herstelling".into())),
    }
}

/// The day the company will come (the coordinator, or the owning company's staff).
#[utoipa::path(post, path = "/api/admin/repairs/{id}/plan", tag = "reports", security(("bearer" = [])),
    params(("id" = String, Path, description = "Repair id")), request_body = RepairPlan,
    responses((status = 200, body = RepairRow), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn plan(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<RepairPlan>,
) -> ApiResult<Json<RepairRow>> {
    let repair = repair_for(&auth, &id)?;
    let actor = auth.actor.clone();
    let t = state.now();
    let row = state
        .db
        .call(move |conn| {
            may_change(conn, &actor, repair)?;
            let tx = conn.transaction()?;
            repairs::plan(
                &tx,
                repair,
                req.planned_on,
                today_in_ghent(t),
                actor.person.id,
                t,
            )?;
            tx.commit()?;
            let owner = (actor.person.role == Role::HousingStaff).then_some(actor.org.id);
            repairs::list(conn, owner)?
                .into_iter()
                .find(|r| r.id == repair)
                .ok_or_else(|| ServerError::NotFound("Deze herstelling".into()))
        })
        .await?;
    Ok(Json(row))
}

/// Closes a repair on the day it was done (the coordinator, or the owning company's staff).
/// A safe with no open "broken" repair left is active again; the carers' phones get it.
#[utoipa::path(post, path = "/api/admin/repairs/{id}/resolve", tag = "reports", security(("bearer" = [])),
    params(("id" = String, Path, description = "Repair id")), request_body = RepairDone,
    responses((status = 200, body = RepairResolved), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn resolve(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<RepairDone>,
) -> ApiResult<Json<RepairResolved>> {
    let repair = repair_for(&auth, &id)?;
    let actor = auth.actor.clone();
    let app = state.clone();
    let t = state.now();
    state
        .db
        .call(move |conn| {
            may_change(conn, &actor, repair)?;
            let tx = conn.transaction()?;
            let safe = repairs::done(
                &tx,
                repair,
                req.done_on,
                today_in_ghent(t),
                actor.person.id,
                t,
            )?;
            tx.commit()?;
            crate::rounds::after_change(
                conn,
                &app.key,
                &app.scopes,
                &app.scope_settings(),
                &[safe],
                &[],
                t,
            )
        })
        .await?;
    Ok(Json(RepairResolved { resolved: true }))
}
