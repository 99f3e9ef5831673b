//! Volunteers' calls: which rounds are free, and taking one. The codes themselves only ever
//! travel in the volunteer's rounds document (`rounds.<person>.<epoch>`), never in JSON.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use kluis_domain::ids::{EventId, RoundId};
use kluis_domain::model::AuditKind;
use kluis_domain::model::Role;

use super::Auth;
use crate::db::rounds::{self as round_db, RoundFilter, RoundSummary, TakeRefusal};
use crate::db::{audit, settings};
use crate::error::{ApiError, ApiResult, ErrorBody, ErrorCode, Problem};
use crate::state::{AppState, OsRandom};
use kluis_api::campaigns::RoundsList;

fn require_volunteer(auth: &Auth) -> ApiResult<()> {
    if auth.actor.person.role == Role::Volunteer {
        Ok(())
    } else {
        Err(ApiError::forbidden())
    }
}

/// The rounds a volunteer can take, and their own (volunteers only).
#[utoipa::path(get, path = "/api/rounds", tag = "lifecycle", security(("bearer" = [])),
    responses((status = 200, body = RoundsList), (status = 403, body = ErrorBody)))]
pub async fn list(State(state): State<AppState>, auth: Auth) -> ApiResult<Json<RoundsList>> {
    require_volunteer(&auth)?;
    let me = auth.actor.person.id;
    Ok(Json(
        state
            .db
            .call(move |conn| {
                Ok(RoundsList {
                    available: round_db::summaries(conn, RoundFilter::Available)?,
                    mine: round_db::summaries(conn, RoundFilter::HeldBy(me))?,
                })
            })
            .await?,
    ))
}

/// Takes a free round (volunteers only, online), up to the coordinator's number of rounds
/// at once (`max_rounds_per_volunteer`; more only by the coordinator's assignment). Its codes
/// arrive with the next sync of the rounds document; open apps get a `sync` event at once.
/// 409 when someone was quicker or the volunteer holds enough rounds already. Audited.
#[utoipa::path(post, path = "/api/rounds/{id}/take", tag = "lifecycle", security(("bearer" = [])),
    params(("id" = String, Path, description = "Round id")),
    responses((status = 200, body = RoundSummary), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Someone else holds it, nothing is left to do, or the volunteer holds enough rounds", body = ErrorBody)))]
pub async fn take(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<RoundSummary>> {
    require_volunteer(&auth)?;
    let round: RoundId = id.parse().map_err(|_| ApiError::not_found("Deze ronde"))?;
    let me = auth.actor.person.id;
    let device = auth.actor.device;
    let app = state.clone();
    let t = state.now();
    let taken = state
        .db
        .call(move |conn| {
            let tx = conn.transaction()?;
            let limit = settings::lifecycle(&tx)?.max_rounds_per_volunteer;
            let outcome = round_db::take(&tx, round, me, limit, t)?;
            if outcome.is_ok() {
                audit::record(
                    &tx,
                    EventId::random(&mut OsRandom),
                    t,
                    t,
                    Some(me),
                    Some(device),
                    AuditKind::RoundTaken,
                    None,
                    &format!("ronde {round}"),
                )?;
            }
            tx.commit()?;
            if let Err(refusal) = outcome {
                return Ok(Err(refusal));
            }
            crate::rounds::after_change(
                conn,
                &app.key,
                &app.scopes,
                &app.scope_settings(),
                &[],
                &[me],
                t,
            )?;
            super::campaigns::round_summary(conn, round).map(Ok)
        })
        .await?;
    match taken {
        Ok(summary) => Ok(Json(summary)),
        Err(TakeRefusal::Taken) => Err(ApiError::refused(
            StatusCode::CONFLICT,
            ErrorCode::RoundTaken,
            None,
        )),
        Err(TakeRefusal::Limit(n)) => Err(ApiError::refused(
            StatusCode::CONFLICT,
            ErrorCode::RoundLimit,
            Some(Problem::RoundLimit { max: n }),
        )),
    }
}
