//! One service's activity at many buildings at once (coordinator): the registry's bulk
//! toggle. Each building's change is audited under it, all in one transaction, and the
//! service's scope is rebuilt once before the answer.

use std::collections::{BTreeMap, BTreeSet};

use axum::Json;
use axum::extract::{Path, State};
use kluis_api::error::{Field, Problem};
use kluis_api::registry::{BULK_MAX, ServiceBuildings, ServiceBuildingsDone};
use kluis_domain::ids::{BuildingId, OrgId};
use kluis_domain::model::OrgKind;

use super::{ApiJson, Auth, require_coordinator};
use crate::db::{buildings, orgs};
use crate::error::{ApiError, ApiResult, ErrorBody, ServerError};
use crate::state::{AppState, today_in_ghent};

/// Makes a service active at `add` and no longer at `remove` (coordinator).
#[utoipa::path(put, path = "/api/admin/organisations/{id}/buildings", tag = "registry", security(("bearer" = [])),
    params(("id" = String, Path, description = "The home-care service")), request_body = ServiceBuildings,
    responses((status = 200, body = ServiceBuildingsDone), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_buildings(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<ServiceBuildings>,
) -> ApiResult<Json<ServiceBuildingsDone>> {
    require_coordinator(&auth)?;
    let service: OrgId = id
        .parse()
        .map_err(|_| ApiError::not_found("organisation"))?;
    if req.add.len() > BULK_MAX as usize || req.remove.len() > BULK_MAX as usize {
        return Err(ApiError::invalid(Problem::TooMany {
            field: Field::Services,
            max: BULK_MAX,
        }));
    }
    let add: BTreeSet<BuildingId> = req.add.into_iter().collect();
    let remove: BTreeSet<BuildingId> = req.remove.into_iter().collect();
    let by = auth.actor.person.id;
    let t = state.now();
    let today = today_in_ghent(t);
    let app = state.clone();
    let done = state
        .db
        .call(move |conn| {
            let org = orgs::get(conn, service)?
                .filter(|o| o.kind == OrgKind::CareService)
                .ok_or_else(|| ServerError::NotFound("organisation".into()))?;
            if !add.is_empty() && !org.active {
                return Err(ServerError::Refused(Problem::OrganisationInactive));
            }
            let names: BTreeMap<OrgId, String> = orgs::list(conn)?
                .into_iter()
                .filter(|o| o.kind == OrgKind::CareService)
                .map(|o| (o.id, o.name))
                .collect();
            let tx = conn.transaction()?;
            let mut done = ServiceBuildingsDone {
                added: 0,
                removed: 0,
            };
            for building in add.iter().chain(&remove) {
                // Every id must be a building: none of a typo's work is kept.
                buildings::existing(&tx, *building)?;
                let mut wanted: BTreeSet<OrgId> = buildings::services_at(&tx, *building)?
                    .into_iter()
                    .collect();
                let adding = add.contains(building);
                let changed = if adding {
                    wanted.insert(service)
                } else {
                    wanted.remove(&service)
                };
                if !changed {
                    continue;
                }
                buildings::set_services(&tx, *building, &wanted, &names, Some(by), today, t)?;
                if adding {
                    done.added += 1;
                } else {
                    done.removed += 1;
                }
            }
            tx.commit()?;
            if done.added + done.removed > 0 {
                app.scopes
                    .refresh(conn, &app.key, service, &app.scope_settings(), app.now())?;
            }
            Ok(done)
        })
        .await?;
    Ok(Json(done))
}
