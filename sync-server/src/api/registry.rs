//! The registry: organisations, safe models, buildings, their safes and which services are
//! active where. The coordinator edits it; housing-company staff read their company's
//! buildings and service admins the buildings where their service is active. A change that
//! touches what carers may see refreshes those services' scopes before the answer, so their
//! phones get it at their next sync (or at once, through the event stream).

use std::collections::{BTreeMap, BTreeSet};

use axum::Json;
use axum::extract::{Path, State};
use kluis_api::check;
use kluis_api::registry::{
    BuildingInput, BuildingRow, BuildingServices, ModelRow, NewModel, NewOrganisation, NewSafe,
    OrganisationEdit, OrganisationRow, RegistryChange, SafeEdit,
};
use kluis_domain::ids::{BuildingId, OrgId, SafeId, SafeModelId};
use kluis_domain::model::{OrgKind, Role, SafeStatus};
use kluis_domain::safe_model::{ButtonSet, ModelKind, SafeModel};

use super::{ApiJson, Auth, require_coordinator};
use crate::db::audit;
use crate::db::buildings::{self, BuildingScope, SafeFields};
use crate::db::orgs;
use crate::error::{ApiError, ApiResult, ErrorBody, Field, Problem, ServerError};
use crate::state::{AppState, OsRandom, today_in_ghent};

fn parse_id<T: std::str::FromStr>(s: &str, what: &str) -> ApiResult<T> {
    s.parse().map_err(|_| ApiError::not_found(what))
}

/// Brings the scopes of `services` up to date (inside the caller's database call).
fn refresh_scopes(
    conn: &rusqlite::Connection,
    app: &AppState,
    services: &[OrgId],
) -> Result<(), ServerError> {
    let settings = app.scope_settings();
    let now = app.now();
    for service in services {
        app.scopes
            .refresh(conn, &app.key, *service, &settings, now)?;
    }
    Ok(())
}

/// Brings the scopes of the services active at `building` up to date.
fn refresh_building(
    conn: &rusqlite::Connection,
    app: &AppState,
    building: BuildingId,
) -> Result<(), ServerError> {
    // Only the building's safes change in those scopes.
    let safes = buildings::safes_at(conn, building)?;
    let (settings, now) = (app.scope_settings(), app.now());
    for service in buildings::services_at(conn, building)? {
        app.scopes
            .refresh_safes(conn, &app.key, service, &settings, &safes, now)?;
    }
    Ok(())
}

/// Every organisation (coordinator).
#[utoipa::path(get, path = "/api/admin/organisations", tag = "registry", security(("bearer" = [])),
    responses((status = 200, body = Vec<OrganisationRow>), (status = 403, body = ErrorBody)))]
pub async fn organisations(
    State(state): State<AppState>,
    auth: Auth,
) -> ApiResult<Json<Vec<OrganisationRow>>> {
    require_coordinator(&auth)?;
    Ok(Json(state.db.call(|c| orgs::list(c)).await?))
}

fn org_fields(
    name: &str,
    contact: &str,
    phone: &str,
    email: &str,
) -> Result<(String, String, String, String), Problem> {
    Ok((
        check::required(Field::Name, name)?,
        check::optional(Field::ContactPerson, contact)?,
        check::text(Field::Phone, phone, 0, kluis_api::registry::SHORT_MAX)?,
        check::email(email)?,
    ))
}

/// Adds a home-care service or a housing company (coordinator).
#[utoipa::path(post, path = "/api/admin/organisations", tag = "registry", security(("bearer" = [])),
    request_body = NewOrganisation,
    responses((status = 200, body = OrganisationRow), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_organisation(
    State(state): State<AppState>,
    auth: Auth,
    ApiJson(req): ApiJson<NewOrganisation>,
) -> ApiResult<Json<OrganisationRow>> {
    require_coordinator(&auth)?;
    if req.kind == OrgKind::CoordinatorOffice {
        return Err(ApiError::invalid(Problem::UnknownOrganisation));
    }
    let (name, contact, phone, email) =
        org_fields(&req.name, &req.contact_person, &req.phone, &req.email)
            .map_err(ApiError::invalid)?;
    let by = auth.actor.person.id;
    let t = state.now();
    let id = OrgId::random(&mut OsRandom);
    let row = state
        .db
        .call(move |conn| {
            let tx = conn.transaction()?;
            orgs::insert(
                &tx,
                id,
                req.kind,
                &name,
                &contact,
                &phone,
                &email,
                Some(by),
                t,
            )?;
            tx.commit()?;
            orgs::get(conn, id)?.ok_or_else(|| ServerError::NotFound("organisation".into()))
        })
        .await?;
    Ok(Json(row))
}

/// Edits, deactivates or reactivates an organisation (coordinator).
#[utoipa::path(put, path = "/api/admin/organisations/{id}", tag = "registry", security(("bearer" = [])),
    params(("id" = String, Path, description = "Organisation id")), request_body = OrganisationEdit,
    responses((status = 200, body = OrganisationRow), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn edit_organisation(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<OrganisationEdit>,
) -> ApiResult<Json<OrganisationRow>> {
    require_coordinator(&auth)?;
    let id: OrgId = parse_id(&id, "organisation")?;
    let (name, contact_person, phone, email) =
        org_fields(&req.name, &req.contact_person, &req.phone, &req.email)
            .map_err(ApiError::invalid)?;
    let edit = OrganisationEdit {
        name,
        contact_person,
        phone,
        email,
        active: req.active,
    };
    let by = auth.actor.person.id;
    let t = state.now();
    let row = state
        .db
        .call(move |conn| {
            let before =
                orgs::get(conn, id)?.ok_or_else(|| ServerError::NotFound("organisation".into()))?;
            // The coordinator's own office cannot be switched off from inside it.
            if before.kind == OrgKind::CoordinatorOffice && !edit.active {
                return Err(ServerError::Refused(Problem::OrganisationInactive));
            }
            let tx = conn.transaction()?;
            orgs::update(&tx, &before, &edit, Some(by), t)?;
            tx.commit()?;
            orgs::get(conn, id)?.ok_or_else(|| ServerError::NotFound("organisation".into()))
        })
        .await?;
    Ok(Json(row))
}

/// The safe models (coordinator, housing-company staff).
#[utoipa::path(get, path = "/api/admin/models", tag = "registry", security(("bearer" = [])),
    responses((status = 200, body = Vec<ModelRow>), (status = 403, body = ErrorBody)))]
pub async fn models(State(state): State<AppState>, auth: Auth) -> ApiResult<Json<Vec<ModelRow>>> {
    if !matches!(
        auth.actor.person.role,
        Role::Coordinator | Role::HousingStaff
    ) {
        return Err(ApiError::forbidden());
    }
    Ok(Json(state.db.call(|c| buildings::models(c)).await?))
}

/// Announces a new safe model (coordinator).
#[utoipa::path(post, path = "/api/admin/models", tag = "registry", security(("bearer" = [])),
    request_body = NewModel,
    responses((status = 200, body = ModelRow), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_model(
    State(state): State<AppState>,
    auth: Auth,
    ApiJson(req): ApiJson<NewModel>,
) -> ApiResult<Json<ModelRow>> {
    require_coordinator(&auth)?;
    let name = check::required(Field::Name, &req.name).map_err(ApiError::invalid)?;
    let buttons: Vec<char> = check::text(Field::Buttons, &req.buttons, 1, 16)
        .map_err(ApiError::invalid)?
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let factory_default = match req.factory_default.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(code) => {
            Some(ButtonSet::parse(code).map_err(|_| ApiError::invalid(Problem::InvalidModel))?)
        }
    };
    let model = SafeModel {
        id: SafeModelId::random(&mut OsRandom),
        name,
        kind: ModelKind::PushButton {
            buttons,
            min_len: req.min_len,
            max_len: req.max_len,
        },
        factory_default,
    };
    model
        .validate()
        .map_err(|_| ApiError::invalid(Problem::InvalidModel))?;
    let by = auth.actor.person.id;
    let t = state.now();
    let row = buildings::model_row(&model, 0);
    state
        .db
        .call(move |conn| {
            let tx = conn.transaction()?;
            buildings::insert_model(&tx, &model, Some(by), t)?;
            tx.commit()?;
            Ok(())
        })
        .await?;
    Ok(Json(row))
}

/// Which buildings `auth` sees, or 403.
fn building_scope(auth: &Auth) -> ApiResult<BuildingScope> {
    match auth.actor.person.role {
        Role::Coordinator => Ok(BuildingScope::All),
        Role::HousingStaff => Ok(BuildingScope::OwnedBy(auth.actor.org.id)),
        Role::ServiceAdmin => Ok(BuildingScope::ServedBy(auth.actor.org.id)),
        _ => Err(ApiError::forbidden()),
    }
}

/// The buildings with their safes and services: all for the coordinator, their company's for
/// housing-company staff, where their service is active for a service admin.
#[utoipa::path(get, path = "/api/admin/buildings", tag = "registry", security(("bearer" = [])),
    responses((status = 200, body = Vec<BuildingRow>), (status = 403, body = ErrorBody)))]
pub async fn buildings_list(
    State(state): State<AppState>,
    auth: Auth,
) -> ApiResult<Json<Vec<BuildingRow>>> {
    let scope = building_scope(&auth)?;
    Ok(Json(
        state
            .db
            .call(move |c| buildings::list(c, scope, None))
            .await?,
    ))
}

/// One building, as the caller may see it (another company's is "not found").
#[utoipa::path(get, path = "/api/admin/buildings/{id}", tag = "registry", security(("bearer" = [])),
    params(("id" = String, Path, description = "Building id")),
    responses((status = 200, body = BuildingRow), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn building(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<BuildingRow>> {
    let scope = building_scope(&auth)?;
    let id: BuildingId = parse_id(&id, "building")?;
    state
        .db
        .call(move |c| buildings::list(c, scope, Some(id)))
        .await?
        .pop()
        .map(Json)
        .ok_or_else(|| ApiError::not_found("building"))
}

/// Adds a building (coordinator).
#[utoipa::path(post, path = "/api/admin/buildings", tag = "registry", security(("bearer" = [])),
    request_body = BuildingInput,
    responses((status = 200, body = BuildingRow), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_building(
    State(state): State<AppState>,
    auth: Auth,
    ApiJson(req): ApiJson<BuildingInput>,
) -> ApiResult<Json<BuildingRow>> {
    require_coordinator(&auth)?;
    let (input, _) = check::building(&req).map_err(ApiError::invalid)?;
    let by = auth.actor.person.id;
    let t = state.now();
    let id = BuildingId::random(&mut OsRandom);
    let row = state
        .db
        .call(move |conn| {
            let owner = orgs::active_of_kind(conn, input.owner_id, OrgKind::HousingCompany)?;
            let tx = conn.transaction()?;
            buildings::insert(&tx, id, &input, &owner.name, Some(by), t)?;
            tx.commit()?;
            buildings::existing(conn, id)
        })
        .await?;
    Ok(Json(row))
}

/// Edits a building's address, apartments or owner (coordinator).
#[utoipa::path(put, path = "/api/admin/buildings/{id}", tag = "registry", security(("bearer" = [])),
    params(("id" = String, Path, description = "Building id")), request_body = BuildingInput,
    responses((status = 200, body = BuildingRow), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn edit_building(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<BuildingInput>,
) -> ApiResult<Json<BuildingRow>> {
    require_coordinator(&auth)?;
    let id: BuildingId = parse_id(&id, "building")?;
    let (input, _) = check::building(&req).map_err(ApiError::invalid)?;
    let by = auth.actor.person.id;
    let t = state.now();
    let app = state.clone();
    let row = state
        .db
        .call(move |conn| {
            let before = buildings::existing(conn, id)?;
            let owner = if input.owner_id == before.owner_id {
                orgs::get(conn, input.owner_id)?
                    .ok_or(ServerError::Refused(Problem::UnknownOrganisation))?
            } else {
                orgs::active_of_kind(conn, input.owner_id, OrgKind::HousingCompany)?
            };
            let tx = conn.transaction()?;
            let changed = buildings::update(&tx, &before, &input, &owner.name, Some(by), t)?;
            tx.commit()?;
            if changed {
                refresh_building(conn, &app, id)?;
            }
            buildings::existing(conn, id)
        })
        .await?;
    Ok(Json(row))
}

/// The safe's fields from a request: the model exists, the placement fits, and a safe that
/// hangs has an installation day (none given: today).
fn safe_fields(
    conn: &rusqlite::Connection,
    model: SafeModelId,
    placement: &str,
    status: SafeStatus,
    installed_on: Option<kluis_domain::time::Date>,
    today: kluis_domain::time::Date,
) -> Result<SafeFields, ServerError> {
    let placement = check::optional(Field::Placement, placement).map_err(ServerError::Refused)?;
    let installed_on = match status {
        SafeStatus::Requested => installed_on,
        _ => Some(installed_on.unwrap_or(today)),
    };
    if installed_on.is_some_and(|d| d > today) {
        return Err(ServerError::Refused(Problem::NotADate {
            field: Field::Day,
        }));
    }
    Ok(SafeFields {
        model,
        model_name: buildings::model_name(conn, model)?,
        placement,
        status,
        installed_on,
    })
}

/// Adds the safe of a building: requested, or installed (its first code is then due within
/// 5 working days of the installation day). Coordinator.
#[utoipa::path(post, path = "/api/admin/buildings/{id}/safes", tag = "registry", security(("bearer" = [])),
    params(("id" = String, Path, description = "Building id")), request_body = NewSafe,
    responses((status = 200, body = BuildingRow), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_safe(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<NewSafe>,
) -> ApiResult<Json<BuildingRow>> {
    require_coordinator(&auth)?;
    let building: BuildingId = parse_id(&id, "building")?;
    if !matches!(req.status, SafeStatus::Requested | SafeStatus::Installed) {
        return Err(ApiError::invalid(Problem::StatusChange {
            from: SafeStatus::Requested,
            to: req.status,
        }));
    }
    let by = auth.actor.person.id;
    let t = state.now();
    let today = today_in_ghent(t);
    let app = state.clone();
    let row = state
        .db
        .call(move |conn| {
            buildings::existing(conn, building)?;
            let fields = safe_fields(
                conn,
                req.model_id,
                &req.placement,
                req.status,
                req.installed_on,
                today,
            )?;
            let tx = conn.transaction()?;
            buildings::insert_safe(
                &tx,
                SafeId::random(&mut OsRandom),
                building,
                &fields,
                Some(by),
                t,
            )?;
            tx.commit()?;
            refresh_building(conn, &app, building)?;
            buildings::existing(conn, building)
        })
        .await?;
    Ok(Json(row))
}

/// Edits a safe along its life cycle (coordinator).
#[utoipa::path(put, path = "/api/admin/safes/{id}", tag = "registry", security(("bearer" = [])),
    params(("id" = String, Path, description = "Safe id")), request_body = SafeEdit,
    responses((status = 200, body = BuildingRow), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn edit_safe(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<SafeEdit>,
) -> ApiResult<Json<BuildingRow>> {
    require_coordinator(&auth)?;
    let safe: SafeId = parse_id(&id, "safe")?;
    let by = auth.actor.person.id;
    let t = state.now();
    let today = today_in_ghent(t);
    let app = state.clone();
    let row = state
        .db
        .call(move |conn| {
            let (building, before) =
                buildings::safe(conn, safe)?.ok_or_else(|| ServerError::NotFound("safe".into()))?;
            let fields = safe_fields(
                conn,
                req.model_id,
                &req.placement,
                req.status,
                req.installed_on.or(before.installed_on),
                today,
            )?;
            let tx = conn.transaction()?;
            let changed = buildings::update_safe(&tx, building, &before, &fields, Some(by), t)?;
            tx.commit()?;
            if changed {
                refresh_building(conn, &app, building)?;
            }
            buildings::existing(conn, building)
        })
        .await?;
    Ok(Json(row))
}

/// Sets which home-care services are active at a building (coordinator). A service that
/// leaves loses the safe from its carers' phones at their next sync (a new epoch of its scope).
#[utoipa::path(put, path = "/api/admin/buildings/{id}/services", tag = "registry", security(("bearer" = [])),
    params(("id" = String, Path, description = "Building id")), request_body = BuildingServices,
    responses((status = 200, body = BuildingRow), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_services(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<BuildingServices>,
) -> ApiResult<Json<BuildingRow>> {
    require_coordinator(&auth)?;
    let building: BuildingId = parse_id(&id, "building")?;
    if req.services.len() > 100 {
        return Err(ApiError::invalid(Problem::TooMany {
            field: Field::Services,
            max: 100,
        }));
    }
    let wanted: BTreeSet<OrgId> = req.services.into_iter().collect();
    let by = auth.actor.person.id;
    let t = state.now();
    let today = today_in_ghent(t);
    let app = state.clone();
    let row = state
        .db
        .call(move |conn| {
            buildings::existing(conn, building)?;
            let mut names = BTreeMap::new();
            for o in orgs::list(conn)? {
                if o.kind == OrgKind::CareService {
                    names.insert(o.id, (o.name, o.active));
                }
            }
            let current: BTreeSet<OrgId> = buildings::services_at(conn, building)?
                .into_iter()
                .collect();
            for s in &wanted {
                match names.get(s) {
                    None => return Err(ServerError::Refused(Problem::UnknownOrganisation)),
                    // A deactivated service keeps what it had but gains nothing.
                    Some((_, false)) if !current.contains(s) => {
                        return Err(ServerError::Refused(Problem::OrganisationInactive));
                    }
                    _ => {}
                }
            }
            let labels = names.into_iter().map(|(id, (n, _))| (id, n)).collect();
            let tx = conn.transaction()?;
            let touched =
                buildings::set_services(&tx, building, &wanted, &labels, Some(by), today, t)?;
            tx.commit()?;
            refresh_scopes(conn, &app, &touched)?;
            buildings::existing(conn, building)
        })
        .await?;
    Ok(Json(row))
}

/// A building's registry history: who changed what, before and after (coordinator).
#[utoipa::path(get, path = "/api/admin/buildings/{id}/history", tag = "registry", security(("bearer" = [])),
    params(("id" = String, Path, description = "Building id")),
    responses((status = 200, body = Vec<RegistryChange>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn building_history(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<RegistryChange>>> {
    require_coordinator(&auth)?;
    let building: BuildingId = parse_id(&id, "building")?;
    let rows = state
        .db
        .call(move |conn| {
            buildings::existing(conn, building)?;
            audit::building_history(conn, building)
        })
        .await?;
    Ok(Json(rows))
}
