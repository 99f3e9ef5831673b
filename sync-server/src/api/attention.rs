//! What the signed-in person must do now, counted for their start screen and tabs.

use axum::Json;
use axum::extract::State;
use kluis_api::attention::Attention;
use kluis_domain::model::Role;

use super::Auth;
use crate::db::{attention, settings};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;

/// The coordinator's overdue codes, new reports, waiting requests and silent services; a
/// service admin's open confirmation and accounts ending; a housing company's open repairs
/// and installations. Carers and volunteers have their own screens (403).
#[utoipa::path(get, path = "/api/attention", tag = "people", security(("bearer" = [])),
    responses((status = 200, body = Attention), (status = 403, body = ErrorBody)))]
pub async fn attention(State(state): State<AppState>, auth: Auth) -> ApiResult<Json<Attention>> {
    let today = state.clock.today();
    let org = auth.actor.org.id;
    let role = auth.actor.person.role;
    if !matches!(
        role,
        Role::Coordinator | Role::ServiceAdmin | Role::HousingStaff
    ) {
        return Err(ApiError::forbidden());
    }
    Ok(Json(
        state
            .db
            .call(move |conn| match role {
                Role::Coordinator => {
                    let calendar = settings::calendar(conn)?;
                    attention::coordinator(conn, &calendar, today)
                }
                Role::ServiceAdmin => attention::service(conn, org, today),
                _ => attention::company(conn, org, today),
            })
            .await?,
    ))
}
