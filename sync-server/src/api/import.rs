//! The registry file (coordinator only): import with a dry run, export without codes, and an
//! export with codes that asks for the coordinator's password again and is audited.

use std::net::SocketAddr;
use std::time::Instant;

use axum::Json;
use axum::extract::{ConnectInfo, State};
use axum::http::HeaderMap;
use kluis_api::error::{Field, Problem};
use kluis_api::import::{
    CodesExportRequest, IMPORT_MAX_BYTES, ImportReport, ImportRequest, RegistryExport,
};
use kluis_domain::ids::EventId;
use kluis_domain::model::AuditKind;

use super::{ApiJson, Auth, require_coordinator};
use crate::db::{accounts, audit, settings};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::import;
use crate::state::{AppState, OsRandom, today_in_ghent};

/// Checks a registry file and, with `apply`, writes it: all rows or none (coordinator).
#[utoipa::path(post, path = "/api/admin/registry/import", tag = "registry", security(("bearer" = [])),
    request_body = ImportRequest,
    responses((status = 200, description = "The report; `applied` says whether it was written", body = ImportReport),
        (status = 403, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn import(
    State(state): State<AppState>,
    auth: Auth,
    ApiJson(req): ApiJson<ImportRequest>,
) -> ApiResult<Json<ImportReport>> {
    require_coordinator(&auth)?;
    if req.csv.len() > IMPORT_MAX_BYTES {
        return Err(ApiError::invalid(Problem::TooMany {
            field: Field::Rows,
            max: kluis_api::import::IMPORT_MAX_ROWS,
        }));
    }
    let by = auth.actor.person.id;
    let t = state.now();
    let today = today_in_ghent(t);
    let app = state.clone();
    let report = state
        .db
        .call(move |conn| {
            let calendar = settings::calendar(conn)?;
            let key = app.key.clone();
            let (report, touched) =
                import::run(conn, &key, &req.csv, req.apply, by, &calendar, today, t)?;
            let scope_settings = app.scope_settings();
            for service in touched {
                app.scopes
                    .refresh(conn, &app.key, service, &scope_settings, app.now())?;
            }
            Ok(report)
        })
        .await?;
    Ok(Json(report))
}

/// The whole registry as a file, without codes (coordinator).
#[utoipa::path(get, path = "/api/admin/registry/export", tag = "registry", security(("bearer" = [])),
    responses((status = 200, body = RegistryExport), (status = 403, body = ErrorBody)))]
pub async fn export(State(state): State<AppState>, auth: Auth) -> ApiResult<Json<RegistryExport>> {
    require_coordinator(&auth)?;
    let today = today_in_ghent(state.now());
    let app = state.clone();
    Ok(Json(
        state
            .db
            .call(move |conn| import::export(conn, &app.key, false, today))
            .await?,
    ))
}

/// The whole registry with every current code (coordinator, after their password again).
/// Counted like a sign-in, so it cannot be used to guess the password; audited.
#[utoipa::path(post, path = "/api/admin/registry/export-with-codes", tag = "registry", security(("bearer" = [])),
    request_body = CodesExportRequest,
    responses((status = 200, body = RegistryExport), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn export_with_codes(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    auth: Auth,
    ApiJson(req): ApiJson<CodesExportRequest>,
) -> ApiResult<Json<RegistryExport>> {
    require_coordinator(&auth)?;
    if req.password.len() > 1024 {
        return Err(ApiError::invalid_credentials());
    }
    let login = auth.actor.person.login.clone();
    let ip = state.settings.client_ip(addr.ip(), &headers);
    let attempt = state
        .limiter
        .reserve(&login, ip, Instant::now())
        .map_err(ApiError::rate_limited)?;
    let t = state.now();
    let today = today_in_ghent(t);
    let found = state
        .db
        .call(move |conn| accounts::find_login(conn, &login, today))
        .await?;
    let phc = match found {
        Some((_, _, phc, false)) if !phc.is_empty() => phc,
        _ => kluis_crypto::dummy_password_hash().to_string(),
    };
    let verified = state
        .hashes
        .verify(phc, req.password)
        .await
        .map_err(ApiError::internal)?;
    if !verified {
        attempt.failed(Instant::now());
        return Err(ApiError::invalid_credentials());
    }
    attempt.succeeded();
    let by = auth.actor.person.id;
    let device = auth.actor.device;
    let app = state.clone();
    Ok(Json(
        state
            .db
            .call(move |conn| {
                let tx = conn.transaction()?;
                let out = import::export(&tx, &app.key, true, today)?;
                audit::record(
                    &tx,
                    EventId::random(&mut OsRandom),
                    t,
                    t,
                    Some(by),
                    Some(device),
                    AuditKind::CodesExported,
                    None,
                    &format!("{} rows", out.rows),
                )?;
                tx.commit()?;
                Ok(out)
            })
            .await?,
    ))
}
