//! The yearly evaluation of the agreement (rule 10), for the coordinator: the figures of a
//! period as JSON, and the same figures as a spreadsheet file.

use axum::Json;
use axum::extract::State;
use kluis_api::evaluation::{Evaluation, EvaluationExport, EvaluationQuery};

use super::{ApiQuery, Auth, require_coordinator};
use crate::db::evaluation;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;

/// The figures, after the role and the period are checked (a longer period would read more
/// of the trail than one report needs).
async fn figures(state: &AppState, auth: &Auth, q: EvaluationQuery) -> ApiResult<Evaluation> {
    require_coordinator(auth)?;
    q.check()
        .map_err(|why| ApiError::bad_request(format!("bad request: {why}")))?;
    let today = state.clock.today();
    Ok(state
        .db
        .call(move |conn| evaluation::evaluation(conn, q, today))
        .await?)
}

/// The figures of a period of Ghent days, both ends included (coordinator only).
#[utoipa::path(get, path = "/api/admin/evaluation", tag = "admin", security(("bearer" = [])), params(EvaluationQuery),
    responses((status = 200, body = Evaluation), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<EvaluationQuery>,
) -> ApiResult<Json<Evaluation>> {
    Ok(Json(figures(&state, &auth, q).await?))
}

/// The same figures as a CSV file for Belgian Excel, one figure a line (coordinator only).
#[utoipa::path(get, path = "/api/admin/evaluation/export", tag = "admin", security(("bearer" = [])), params(EvaluationQuery),
    responses((status = 200, body = EvaluationExport), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn export(
    State(state): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<EvaluationQuery>,
) -> ApiResult<Json<EvaluationExport>> {
    let e = figures(&state, &auth, q).await?;
    Ok(Json(evaluation::export::export(&e)?))
}
