//! Coordinator and service-admin calls: devices, revocation, and an immediate code change.
//! Every query is scoped to who asks: a service admin only ever sees their own organisation.

use axum::Json;
use axum::extract::{Path, State};
use kluis_domain::codegen::{CodeRules, generate_code};
use kluis_domain::ids::{CodeId, DeviceId, EventId, PersonId, SafeId};
use kluis_domain::model::{AuditKind, Role};

use super::{Auth, require_coordinator};
use crate::db::accounts::{self, DeviceRow};
use crate::db::registry;
use crate::error::{ApiError, ApiResult, ErrorBody, ServerError};
use crate::state::{AppState, OsRandom};
use kluis_api::admin::{CodeOut, Revoked};

pub(crate) fn parse_id<T: std::str::FromStr>(s: &str, what: &str) -> ApiResult<T> {
    s.parse().map_err(|_| ApiError::not_found(what))
}

/// Devices: all for the coordinator, their own organisation's for a service admin.
#[utoipa::path(get, path = "/api/admin/devices", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = Vec<DeviceRow>), (status = 403, body = ErrorBody)))]
pub async fn devices(State(state): State<AppState>, auth: Auth) -> ApiResult<Json<Vec<DeviceRow>>> {
    let scope = match auth.actor.person.role {
        Role::Coordinator => None,
        Role::ServiceAdmin => Some(auth.actor.org.id),
        _ => return Err(ApiError::forbidden()),
    };
    Ok(Json(
        state
            .db
            .call(move |conn| accounts::list_devices(conn, scope))
            .await?,
    ))
}

/// Revokes a device: from now on it gets no data and is told to wipe.
#[utoipa::path(post, path = "/api/admin/devices/{id}/revoke", tag = "admin", security(("bearer" = [])),
    params(("id" = String, Path, description = "Device id")),
    responses((status = 200, body = Revoked), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn revoke_device(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Revoked>> {
    let device: DeviceId = parse_id(&id, "Dit toestel")?;
    let actor = auth.actor.clone();
    let t = state.now();
    let app = state.clone();
    let revoked = state
        .db
        .call(move |conn| {
            let org = accounts::device_org(conn, device)?
                .ok_or_else(|| ServerError::NotFound("Dit toestel".into()))?;
            let allowed = match actor.person.role {
                Role::Coordinator => true,
                Role::ServiceAdmin => org == actor.org.id,
                _ => false,
            };
            // Outside one's own organisation a device does not exist, as far as the caller can tell.
            if !allowed {
                return Err(ServerError::NotFound("Dit toestel".into()));
            }
            let done =
                crate::revoke::revoke_device(conn, &app.key, device, Some(actor.person.id), t)?;
            after_revocation(conn, &app, &done, t)?;
            Ok(done.revoked)
        })
        .await?;
    state.scopes.nudge(crate::scopes::Nudge::Revocation);
    tracing::info!(%device, by = %auth.actor.person.id, "device revoked");
    Ok(Json(Revoked { revoked }))
}

/// Revokes a person, with all their devices.
#[utoipa::path(post, path = "/api/admin/people/{id}/revoke", tag = "admin", security(("bearer" = [])),
    params(("id" = String, Path, description = "Person id")),
    responses((status = 200, body = Revoked), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn revoke_person(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Revoked>> {
    let person: PersonId = parse_id(&id, "Deze persoon")?;
    let actor = auth.actor.clone();
    let t = state.now();
    let app = state.clone();
    let revoked = state
        .db
        .call(move |conn| {
            let (target, _, _) = accounts::find_person(conn, person)?
                .ok_or_else(|| ServerError::NotFound("Deze persoon".into()))?;
            let allowed = match actor.person.role {
                Role::Coordinator => target.id != actor.person.id,
                Role::ServiceAdmin => target.org == actor.org.id && target.id != actor.person.id,
                _ => false,
            };
            if !allowed {
                return Err(ServerError::NotFound("Deze persoon".into()));
            }
            let done =
                crate::revoke::revoke_person(conn, &app.key, person, Some(actor.person.id), t)?;
            after_revocation(conn, &app, &done, t)?;
            // The policy: the codes they saw change without anyone having to remember it.
            if done.revoked && crate::db::exposure::change_on_revoke(conn)? {
                super::audit::plan_and_publish(conn, &app, person, actor.person.id, t)?;
            }
            Ok(done.revoked)
        })
        .await?;
    state.scopes.nudge(crate::scopes::Nudge::Revocation);
    tracing::info!(%person, by = %auth.actor.person.id, "person revoked");
    Ok(Json(Revoked { revoked }))
}

/// A volunteer's rounds document loses the replaced codes and carers' scopes show the fresh
/// ones; open apps re-check now.
pub(crate) fn after_revocation(
    conn: &mut rusqlite::Connection,
    app: &AppState,
    done: &crate::revoke::Revocation,
    t: kluis_domain::time::Timestamp,
) -> Result<(), ServerError> {
    if let Some(person) = done.person.filter(|_| !done.rekeyed.is_empty()) {
        crate::rounds::after_change(
            conn,
            &app.key,
            &app.scopes,
            &app.scope_settings(),
            &done.rekeyed,
            &[person],
            t,
        )?;
    }
    Ok(())
}

/// The current code of a safe (coordinator only).
#[utoipa::path(get, path = "/api/admin/safes/{id}/code", tag = "admin", security(("bearer" = [])),
    params(("id" = String, Path, description = "Safe id")),
    responses((status = 200, body = CodeOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn safe_code(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<CodeOut>> {
    require_coordinator(&auth)?;
    let safe: SafeId = parse_id(&id, "Deze kluis")?;
    let app = state.clone();
    let (t, by) = (state.now(), auth.actor.person.id);
    let code = state
        .db
        .call(move |conn| {
            registry::safe_for_rotation(conn, safe)?;
            let tx = conn.transaction()?;
            let code = registry::current_code(&tx, &app.key, safe)?;
            // Who looked at a code is in the trail before they see it.
            crate::db::audit::record(
                &tx,
                EventId::random(&mut OsRandom),
                t,
                t,
                Some(by),
                None,
                AuditKind::CodeViewed,
                Some(safe),
                "",
            )?;
            tx.commit()?;
            Ok(code)
        })
        .await?;
    Ok(Json(CodeOut {
        safe_id: safe,
        code: code.map(|c| c.to_string()),
    }))
}

/// Gives a safe a new code at once (urgent change, e.g. after a leak, confirmed on site by
/// the coordinator). The old code stays visible as "vorige code" during the grace period.
/// Every device that sees the safe gets the change at its next sync.
#[utoipa::path(post, path = "/api/admin/safes/{id}/rotate", tag = "admin", security(("bearer" = [])),
    params(("id" = String, Path, description = "Safe id")),
    responses((status = 200, body = CodeOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn rotate(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<CodeOut>> {
    require_coordinator(&auth)?;
    let safe: SafeId = parse_id(&id, "Deze kluis")?;
    let app = state.clone();
    let t = state.now();
    let by = auth.actor.person.id;
    let code = state
        .db
        .call(move |conn| {
            let value = rotate_now(conn, &app, safe, t, Some(by))?;
            Ok(value)
        })
        .await?;
    tracing::info!(%safe, by = %auth.actor.person.id, "code changed");
    Ok(Json(CodeOut {
        safe_id: safe,
        code: Some(code),
    }))
}

/// Generates and activates a new code for `safe`, then refreshes every scope that sees it.
pub fn rotate_now(
    conn: &mut rusqlite::Connection,
    app: &AppState,
    safe: SafeId,
    t: kluis_domain::time::Timestamp,
    by: Option<kluis_domain::ids::PersonId>,
) -> Result<String, ServerError> {
    let (status, model_id) = registry::safe_for_rotation(conn, safe)?;
    if matches!(
        status,
        kluis_domain::model::SafeStatus::Requested | kluis_domain::model::SafeStatus::Removed
    ) {
        return Err(ServerError::Refused(crate::error::Problem::NotInstalled));
    }
    let models = registry::models(conn)?;
    let model = models
        .get(&model_id)
        .ok_or_else(|| ServerError::NotFound("safe model".into()))?;
    let in_use: Vec<_> = app
        .db
        .codes_in_use(conn, &app.key)?
        .into_iter()
        .filter(|(s, _)| *s != safe)
        .map(|(_, c)| c)
        .collect();
    let history = registry::code_history(conn, &app.key, safe)?;
    let value = generate_code(
        model,
        &in_use,
        &history,
        &CodeRules::default(),
        &mut OsRandom,
    )?;
    registry::replace_current_code(
        conn,
        &app.key,
        safe,
        CodeId::random(&mut OsRandom),
        &value,
        t,
        by,
    )?;
    for service in registry::services_seeing(conn, safe)? {
        app.scopes
            .refresh_safes(conn, &app.key, service, &app.scope_settings(), &[safe], t)?;
    }
    Ok(value.to_string())
}
