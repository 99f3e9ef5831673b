//! The six-monthly confirmation: the coordinator opens a round and follows each service; a
//! service admin answers for their own service's addresses only. A round whose deadline has
//! passed is closed before any of these answers (and by the maintenance pass).

use axum::Json;
use axum::extract::State;
use kluis_api::confirmations::{
    ConfirmationAnswers, ConfirmationOverview, MAX_ANSWERS, MIN_DAYS_TO_ANSWER,
    NewConfirmationRound, TeamConfirmation, Unconfirmed,
};
use kluis_api::error::{Field, Problem};
use kluis_domain::ids::ConfirmationId;
use kluis_domain::model::Role;

use super::{ApiJson, Auth, require_coordinator};
use crate::db::confirmations;
use crate::error::{ApiError, ApiResult, ErrorBody, ServerError};
use crate::state::{AppState, OsRandom, today_in_ghent};

/// Closes a round past its deadline and refreshes the scopes that lost an address.
pub fn close_due(conn: &mut rusqlite::Connection, app: &AppState) -> Result<(), ServerError> {
    let now = app.now();
    let tx = conn.transaction()?;
    let touched = confirmations::close_due(&tx, today_in_ghent(now), now)?;
    tx.commit()?;
    let settings = app.scope_settings();
    for service in touched {
        app.scopes
            .refresh(conn, &app.key, service, &settings, now)?;
    }
    Ok(())
}

fn require_service_admin(auth: &Auth) -> ApiResult<kluis_domain::ids::OrgId> {
    if auth.actor.person.role == Role::ServiceAdmin {
        Ok(auth.actor.org.id)
    } else {
        Err(ApiError::forbidden())
    }
}

/// The latest round and each service's progress (coordinator).
#[utoipa::path(get, path = "/api/admin/confirmations", tag = "registry", security(("bearer" = [])),
    responses((status = 200, body = ConfirmationOverview), (status = 403, body = ErrorBody)))]
pub async fn overview(
    State(state): State<AppState>,
    auth: Auth,
) -> ApiResult<Json<ConfirmationOverview>> {
    require_coordinator(&auth)?;
    let app = state.clone();
    Ok(Json(
        state
            .db
            .call(move |conn| {
                close_due(conn, &app)?;
                confirmations::overview(conn)
            })
            .await?,
    ))
}

/// Opens a round over every address where a service is active (coordinator).
#[utoipa::path(post, path = "/api/admin/confirmations", tag = "registry", security(("bearer" = [])),
    request_body = NewConfirmationRound,
    responses((status = 200, body = ConfirmationOverview), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn open(
    State(state): State<AppState>,
    auth: Auth,
    ApiJson(req): ApiJson<NewConfirmationRound>,
) -> ApiResult<Json<ConfirmationOverview>> {
    require_coordinator(&auth)?;
    let now = state.now();
    let today = today_in_ghent(now);
    if today.days_until(req.deadline) < MIN_DAYS_TO_ANSWER {
        return Err(ApiError::invalid(Problem::DeadlineTooSoon {
            days: MIN_DAYS_TO_ANSWER as u32,
        }));
    }
    if req.unconfirmed == Unconfirmed::Unknown {
        return Err(ApiError::invalid(Problem::NotInConfirmation));
    }
    let by = auth.actor.person.id;
    let app = state.clone();
    Ok(Json(
        state
            .db
            .call(move |conn| {
                close_due(conn, &app)?;
                let tx = conn.transaction()?;
                let id = ConfirmationId::random(&mut OsRandom);
                confirmations::open(&tx, id, by, req.deadline, req.unconfirmed, now)?;
                tx.commit()?;
                confirmations::overview(conn)
            })
            .await?,
    ))
}

/// The service admin's addresses in the latest round.
#[utoipa::path(get, path = "/api/admin/confirmations/mine", tag = "registry", security(("bearer" = [])),
    responses((status = 200, body = TeamConfirmation), (status = 403, body = ErrorBody)))]
pub async fn mine(State(state): State<AppState>, auth: Auth) -> ApiResult<Json<TeamConfirmation>> {
    let service = require_service_admin(&auth)?;
    let app = state.clone();
    Ok(Json(
        state
            .db
            .call(move |conn| {
                close_due(conn, &app)?;
                confirmations::team(conn, service)
            })
            .await?,
    ))
}

/// The service admin confirms or removes addresses of their own service; a removal leaves the
/// carers' scope at once.
#[utoipa::path(post, path = "/api/admin/confirmations/mine", tag = "registry", security(("bearer" = [])),
    request_body = ConfirmationAnswers,
    responses((status = 200, body = TeamConfirmation), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn answer(
    State(state): State<AppState>,
    auth: Auth,
    ApiJson(req): ApiJson<ConfirmationAnswers>,
) -> ApiResult<Json<TeamConfirmation>> {
    let service = require_service_admin(&auth)?;
    if req.answers.len() > MAX_ANSWERS as usize {
        return Err(ApiError::invalid(Problem::TooMany {
            field: Field::Services,
            max: MAX_ANSWERS,
        }));
    }
    let by = auth.actor.person.id;
    let app = state.clone();
    let answers: Vec<_> = req
        .answers
        .iter()
        .map(|a| (a.building_id, a.decision))
        .collect();
    Ok(Json(
        state
            .db
            .call(move |conn| {
                close_due(conn, &app)?;
                let now = app.now();
                let tx = conn.transaction()?;
                let changed =
                    confirmations::answer(&tx, service, by, &answers, today_in_ghent(now), now)?;
                tx.commit()?;
                if changed {
                    app.scopes
                        .refresh(conn, &app.key, service, &app.scope_settings(), now)?;
                }
                confirmations::team(conn, service)
            })
            .await?,
    ))
}
