//! The HTTP API: JSON for people-facing calls, binary for sync.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::db::accounts::Actor;
use crate::db::sessions::{self, Session, SessionLookup};
use crate::error::{ApiError, ApiResult, ErrorCode, WipeReason};
use crate::state::AppState;

pub mod activity;
pub mod admin;
pub mod attention;
pub mod audit;
pub mod auth;
pub mod campaigns;
pub mod confirmations;
pub mod door;
pub mod evaluation;
pub mod events;
pub mod import;
pub mod openapi;
pub mod people;
pub mod registry;
pub mod reports;
pub mod requests;
pub mod rounds;
pub mod settings;
pub mod sync;

/// A JSON body whose rejection is our JSON error, not axum's plain text.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(rej) => Err(ApiError::new(
                rej.status(),
                ErrorCode::BadRequest,
                format!("bad request: {}", rej.body_text()),
            )),
        }
    }
}

/// A query string whose rejection is our JSON error, not axum's plain text.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(rej) => Err(ApiError::bad_request(format!(
                "bad request: {}",
                rej.body_text()
            ))),
        }
    }
}

/// The signed-in device behind a bearer token. A revoked device or person gets the wipe
/// answer on every call, so an old token can never bring it back; a token used again long
/// after its successor revokes the device (see `db::sessions`).
pub struct Auth {
    pub actor: Actor,
    pub token_hash: String,
    pub session: Session,
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty() && t.len() <= 128)
            .ok_or_else(ApiError::unauthenticated)?;
        let token_hash = kluis_crypto::token_hash(token);
        let lookup_hash = token_hash.clone();
        let t = state.now();
        let grace = i64::try_from(state.settings.token_grace.as_millis()).unwrap_or(i64::MAX);
        let lookup = state
            .db
            .call(move |conn| sessions::authenticate(conn, &lookup_hash, t, grace))
            .await?;
        match lookup {
            SessionLookup::Active(actor, session) => Ok(Auth {
                actor,
                token_hash,
                session,
            }),
            SessionLookup::Unknown => Err(ApiError::unauthenticated()),
            SessionLookup::DeviceRevoked => {
                state.scopes.nudge(crate::scopes::Nudge::Revocation);
                Err(ApiError::wipe(WipeReason::DeviceRevoked))
            }
            SessionLookup::PersonRevoked => Err(ApiError::wipe(WipeReason::PersonRevoked)),
            SessionLookup::AccessEnded(_) => {
                let app = state.clone();
                state
                    .db
                    .call(move |conn| {
                        people::expire_ended(conn, &app, crate::state::today_in_ghent(t))
                    })
                    .await?;
                Err(ApiError::wipe(WipeReason::PersonRevoked))
            }
        }
    }
}

/// Coordinator-only calls.
pub fn require_coordinator(auth: &Auth) -> ApiResult<()> {
    if auth.actor.person.role == kluis_domain::model::Role::Coordinator {
        Ok(())
    } else {
        Err(ApiError::forbidden())
    }
}
