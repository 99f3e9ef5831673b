//! Requests for new safes: a service admin asks for their service (the coordinator for anyone),
//! the coordinator reviews, the owning housing company's staff register the installation.
//! Each party sees only its own: a service its requests, a company the approved ones it hangs.

use axum::Json;
use axum::extract::{Path, State};
use kluis_api::check;
use kluis_api::error::{Field, Problem};
use kluis_api::registry::BuildingInput;
use kluis_api::requests::{
    NewSafeRequest, RequestInstalled, RequestReview, Review, SafeRequestRow,
};
use kluis_domain::ids::{BuildingId, OrgId, RequestId, SafeId};
use kluis_domain::model::{OrgKind, Role};

use super::{ApiJson, Auth, require_coordinator};
use crate::db::requests::{self, RequestScope};
use crate::db::{buildings, orgs};
use crate::error::{ApiError, ApiResult, ErrorBody, ServerError};
use crate::state::{AppState, OsRandom, today_in_ghent};

fn scope(auth: &Auth) -> ApiResult<RequestScope> {
    match auth.actor.person.role {
        Role::Coordinator => Ok(RequestScope::All),
        Role::ServiceAdmin => Ok(RequestScope::Service(auth.actor.org.id)),
        Role::HousingStaff => Ok(RequestScope::Owner(auth.actor.org.id)),
        _ => Err(ApiError::forbidden()),
    }
}

fn request_id(id: &str) -> ApiResult<RequestId> {
    id.parse().map_err(|_| ApiError::not_found("request"))
}

/// The requests the caller sees, newest first.
#[utoipa::path(get, path = "/api/requests", tag = "requests", security(("bearer" = [])),
    responses((status = 200, body = Vec<SafeRequestRow>), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    auth: Auth,
) -> ApiResult<Json<Vec<SafeRequestRow>>> {
    let scope = scope(&auth)?;
    Ok(Json(
        state.db.call(move |c| requests::list(c, scope)).await?,
    ))
}

/// Asks for a safe (service admin for their service, or the coordinator).
#[utoipa::path(post, path = "/api/requests", tag = "requests", security(("bearer" = [])),
    request_body = NewSafeRequest,
    responses((status = 200, body = SafeRequestRow), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    auth: Auth,
    ApiJson(req): ApiJson<NewSafeRequest>,
) -> ApiResult<Json<SafeRequestRow>> {
    let service = match auth.actor.person.role {
        Role::ServiceAdmin => Some(auth.actor.org.id),
        Role::Coordinator => None,
        _ => return Err(ApiError::forbidden()),
    };
    let scope = scope(&auth)?;
    let reason = check::required(Field::Note, &req.reason).map_err(ApiError::invalid)?;
    let contact = check::optional(Field::ContactPerson, &req.contact).map_err(ApiError::invalid)?;
    let typed = BuildingInput {
        street: req.street.clone(),
        numbers: req.numbers.clone(),
        postcode: req.postcode.clone(),
        city: req.city.clone(),
        district: String::new(),
        apartments: req.apartments,
        owner_id: OrgId::from_bytes([0; 16]),
    };
    let by = auth.actor.person.id;
    let t = state.now();
    let id = RequestId::random(&mut OsRandom);
    let row = state
        .db
        .call(move |conn| {
            let (address, building) = match req.building_id {
                Some(b) => {
                    // Any building of the registry may be asked for; one with a safe hanging
                    // (or already asked for) needs none.
                    let row = buildings::existing(conn, b)?;
                    if row
                        .safes
                        .iter()
                        .any(|s| s.status != kluis_domain::model::SafeStatus::Removed)
                    {
                        return Err(ServerError::Refused(Problem::SafeExists));
                    }
                    let input = BuildingInput {
                        street: row.street,
                        numbers: row.numbers,
                        postcode: row.postcode,
                        city: row.city,
                        district: row.district,
                        apartments: req.apartments.max(row.apartments),
                        owner_id: row.owner_id,
                    };
                    (input, Some(b))
                }
                None => (
                    check::building(&typed).map_err(ServerError::Refused)?.0,
                    None,
                ),
            };
            let tx = conn.transaction()?;
            requests::insert(
                &tx, id, &address, building, &reason, &contact, service, by, t,
            )?;
            tx.commit()?;
            requests::get(conn, scope, id)
        })
        .await?;
    Ok(Json(row))
}

/// Approves a request with the model to hang (and, for a new address, its owner) or declines
/// it with a reason (coordinator).
#[utoipa::path(post, path = "/api/requests/{id}/review", tag = "requests", security(("bearer" = [])),
    params(("id" = String, Path, description = "Request id")), request_body = RequestReview,
    responses((status = 200, body = SafeRequestRow), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn review(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<RequestReview>,
) -> ApiResult<Json<SafeRequestRow>> {
    require_coordinator(&auth)?;
    let id = request_id(&id)?;
    let by = auth.actor.person.id;
    let t = state.now();
    let row = state
        .db
        .call(move |conn| {
            let tx = conn.transaction()?;
            match req.review {
                Review::Decline => {
                    let reason = check::required(Field::Note, &req.reason)
                        .map_err(ServerError::Refused)?;
                    requests::decline(&tx, id, &reason, by, t)?;
                }
                Review::Approve => {
                    let model = req
                        .model_id
                        .ok_or(ServerError::Refused(Problem::UnknownModel))?;
                    let model_name = buildings::model_name(&tx, model)?;
                    let current = requests::get(&tx, RequestScope::All, id)?;
                    let new_building = match current.building_id {
                        Some(_) => None,
                        None => {
                            let owner_id = req
                                .owner_id
                                .ok_or(ServerError::Refused(Problem::UnknownHousingCompany))?;
                            let owner =
                                orgs::active_of_kind(&tx, owner_id, OrgKind::HousingCompany)?;
                            let (street, numbers, postcode, city): (String, String, String, String) =
                                tx.query_row(
                                    "SELECT street, numbers, postcode, city FROM safe_requests WHERE id = ?1",
                                    [id.to_string()],
                                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                                )?;
                            let input = BuildingInput {
                                street,
                                numbers,
                                postcode,
                                city,
                                district: String::new(),
                                apartments: current.apartments,
                                owner_id,
                            };
                            Some((BuildingId::random(&mut OsRandom), input, owner.name))
                        }
                    };
                    let safe = SafeId::random(&mut OsRandom);
                    requests::approve(&tx, id, model, &model_name, new_building, safe, by, t)?;
                }
                Review::Unknown => return Err(ServerError::Refused(Problem::RequestState)),
            }
            tx.commit()?;
            requests::get(conn, RequestScope::All, id)
        })
        .await?;
    Ok(Json(row))
}

/// The owning housing company's staff (or the coordinator) register the safe hung: it is
/// "installed" and its first code is due within 5 working days.
#[utoipa::path(post, path = "/api/requests/{id}/installed", tag = "requests", security(("bearer" = [])),
    params(("id" = String, Path, description = "Request id")), request_body = RequestInstalled,
    responses((status = 200, body = SafeRequestRow), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn installed(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<RequestInstalled>,
) -> ApiResult<Json<SafeRequestRow>> {
    let scope = match auth.actor.person.role {
        Role::Coordinator => RequestScope::All,
        Role::HousingStaff => RequestScope::Owner(auth.actor.org.id),
        _ => return Err(ApiError::forbidden()),
    };
    let id = request_id(&id)?;
    let placement = check::optional(Field::Placement, &req.placement).map_err(ApiError::invalid)?;
    let t = state.now();
    if req.installed_on > today_in_ghent(t) {
        return Err(ApiError::invalid(Problem::DateInFuture {
            field: Field::Day,
        }));
    }
    let by = auth.actor.person.id;
    let app = state.clone();
    let row = state
        .db
        .call(move |conn| {
            // Another company's request is "not found", as if it did not exist.
            requests::get(conn, scope, id)?;
            let tx = conn.transaction()?;
            let building = requests::installed(&tx, id, &placement, req.installed_on, by, t)?;
            tx.commit()?;
            // An installed safe is in the scopes of the services active there.
            let settings = app.scope_settings();
            for service in buildings::services_at(conn, building)? {
                app.scopes
                    .refresh(conn, &app.key, service, &settings, app.now())?;
            }
            requests::get(conn, scope, id)
        })
        .await?;
    Ok(Json(row))
}
