//! Sign-in (which enrols the device), who am I, sign-out.

use std::net::SocketAddr;
use std::time::Instant;

use axum::Json;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use kluis_domain::ids::{DeviceId, EventId};
use kluis_domain::model::AuditKind;

use super::{ApiJson, Auth};
use crate::db::accounts;
use crate::db::sessions;
use crate::error::{ApiError, ApiResult, ErrorBody, Field, Problem};
use crate::state::{AppState, OsRandom};
pub use kluis_api::auth::{
    LoginRequest, LoginResponse, Organisation as OrgOut, Person as PersonOut,
};

fn check_lengths(req: &LoginRequest) -> ApiResult<()> {
    if req.login.trim().is_empty()
        || req.login.len() > 200
        || req.password.is_empty()
        || req.password.len() > 1024
    {
        return Err(ApiError::invalid_credentials());
    }
    if req.device_name.as_ref().is_some_and(|n| n.len() > 100) {
        return Err(ApiError::invalid(Problem::TextLength {
            field: Field::DeviceName,
            min: 0,
            max: 100,
        }));
    }
    Ok(())
}

/// Signs in with login and password and enrols this device. Unknown login and wrong password
/// get the same answer, after the same work. The attempt is counted before the password is
/// checked, so parallel guesses verify at most the free attempts; after that each waits
/// (429 with Retry-After), it is never locked out.
#[utoipa::path(post, path = "/api/login", request_body = LoginRequest, tag = "auth",
    responses(
        (status = 200, description = "Signed in; the device is enrolled", body = LoginResponse),
        (status = 401, description = "Unknown login or wrong password", body = ErrorBody),
        (status = 429, description = "Too many failed attempts: try again after Retry-After seconds", body = ErrorBody),
    ))]
pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<Json<LoginResponse>> {
    check_lengths(&req)?;
    let ip = state.settings.client_ip(addr.ip(), &headers);
    let attempt = match state.limiter.reserve(&req.login, ip, Instant::now()) {
        Ok(attempt) => attempt,
        Err(wait) => {
            if state.limiter.first_refusal(&req.login) {
                note_refusal(&state, req.login.clone()).await?;
            }
            return Err(ApiError::rate_limited(wait));
        }
    };

    let login = req.login.clone();
    let today = crate::state::today_in_ghent(state.now());
    let found = state
        .db
        .call(move |conn| accounts::find_login(conn, &login, today))
        .await?;
    // An invited account without a password does the same work as an unknown login.
    let known = found.as_ref().map(|(person, ..)| person.id);
    let (phc, account) = match found {
        Some((person, org, phc, revoked)) if !phc.is_empty() => {
            (phc, (!revoked).then_some((person, org)))
        }
        _ => (kluis_crypto::dummy_password_hash().to_string(), None),
    };

    let verified = state
        .hashes
        .verify(phc, req.password.clone())
        .await
        .map_err(ApiError::internal)?;

    let Some((person, org)) = account.filter(|_| verified) else {
        attempt.failed(Instant::now());
        state.metrics.login_failures.inc();
        // A known login's failures are in the trail; the limiter bounds how many there are.
        if let Some(person) = known {
            let t = state.now();
            state
                .db
                .call(move |conn| {
                    crate::db::audit::record(
                        conn,
                        EventId::random(&mut OsRandom),
                        t,
                        t,
                        Some(person),
                        None,
                        AuditKind::SignInFailed,
                        None,
                        "",
                    )
                })
                .await?;
        }
        return Err(ApiError::invalid_credentials());
    };
    attempt.succeeded();

    let token = kluis_crypto::random_token().map_err(ApiError::internal)?;
    let token_hash = kluis_crypto::token_hash(&token);
    let device = DeviceId::random(&mut OsRandom);
    let device_name = req
        .device_name
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "Toestel".into());
    let t = state.now();
    let expires = t.plus_millis(state.settings.session_lifetime_ms(person.role));
    let person_id = person.id;
    state
        .db
        .call(move |conn| {
            sessions::enrol_device(
                conn,
                person_id,
                device,
                &device_name,
                &token_hash,
                t,
                expires,
            )
        })
        .await?;
    tracing::info!(person = %person.id, %device, "device enrolled");
    Ok(Json(LoginResponse {
        token,
        device_id: device,
        person: PersonOut::of(&person, &org),
        session_ends_at: expires,
    }))
}

/// The first refused sign-in of a streak against a known login goes into the trail.
async fn note_refusal(state: &AppState, login: String) -> ApiResult<()> {
    let t = state.now();
    let today = crate::state::today_in_ghent(t);
    state
        .db
        .call(move |conn| {
            if let Some((person, ..)) = accounts::find_login(conn, &login, today)? {
                crate::db::audit::record(
                    conn,
                    EventId::random(&mut OsRandom),
                    t,
                    t,
                    Some(person.id),
                    None,
                    AuditKind::SignInLimited,
                    None,
                    "",
                )?;
            }
            Ok(())
        })
        .await?;
    Ok(())
}

/// The signed-in person.
#[utoipa::path(get, path = "/api/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = PersonOut), (status = 401, body = ErrorBody), (status = 410, description = "Revoked: wipe local data", body = ErrorBody)))]
pub async fn me(auth: Auth) -> Json<PersonOut> {
    Json(PersonOut::of(&auth.actor.person, &auth.actor.org))
}

/// Signs out: ends the session and retires this device.
#[utoipa::path(post, path = "/api/logout", tag = "auth", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody)))]
pub async fn logout(State(state): State<AppState>, auth: Auth) -> ApiResult<StatusCode> {
    let t = state.now();
    let device = auth.actor.device;
    state
        .db
        .call(move |conn| sessions::sign_out(conn, device, t))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
