//! The HTTP API: JSON for people-facing calls, binary for sync.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use kluis_domain::time::Timestamp;
use rusqlite::Connection;
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

/// The bearer token's hash, when the request carries a plausible token.
pub fn token_hash_of(parts: &Parts) -> ApiResult<String> {
    let token = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty() && t.len() <= 128)
        .ok_or_else(ApiError::unauthenticated)?;
    Ok(kluis_crypto::token_hash(token))
}

/// A lookup that found no signed-in device: the answer to give, or `AccessEnded`, whose
/// answer waits until the person's access is ended for good (that needs the database).
enum Refused {
    Answer(ApiError),
    AccessEnded,
}

impl Auth {
    /// Looks the token up with the database in hand (inside a blocking step that holds it).
    pub fn lookup_in(
        conn: &mut Connection,
        state: &AppState,
        token_hash: String,
        t: Timestamp,
    ) -> ApiResult<Auth> {
        let lookup = sessions::authenticate(conn, &token_hash, t, state.token_grace_ms())?;
        match Auth::settle(state, lookup, token_hash) {
            Ok(auth) => Ok(auth),
            Err(Refused::Answer(e)) => Err(e),
            Err(Refused::AccessEnded) => {
                people::expire_ended(conn, state, crate::state::today_in_ghent(t))?;
                Err(ApiError::wipe(WipeReason::PersonRevoked))
            }
        }
    }

    /// Looks the token up on the blocking pool.
    pub async fn lookup(state: &AppState, token_hash: String) -> ApiResult<Auth> {
        let lookup_hash = token_hash.clone();
        let t = state.now();
        let grace = state.token_grace_ms();
        let lookup = state
            .db
            .call(move |conn| sessions::authenticate(conn, &lookup_hash, t, grace))
            .await?;
        match Auth::settle(state, lookup, token_hash) {
            Ok(auth) => Ok(auth),
            Err(Refused::Answer(e)) => Err(e),
            Err(Refused::AccessEnded) => {
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

    fn settle(
        state: &AppState,
        lookup: SessionLookup,
        token_hash: String,
    ) -> Result<Auth, Refused> {
        match lookup {
            SessionLookup::Active(actor, session) => Ok(Auth {
                actor,
                token_hash,
                session,
            }),
            SessionLookup::Unknown => Err(Refused::Answer(ApiError::unauthenticated())),
            SessionLookup::DeviceRevoked => {
                state.scopes.nudge(crate::scopes::Nudge::Revocation);
                Err(Refused::Answer(ApiError::wipe(WipeReason::DeviceRevoked)))
            }
            SessionLookup::PersonRevoked => {
                Err(Refused::Answer(ApiError::wipe(WipeReason::PersonRevoked)))
            }
            SessionLookup::AccessEnded(_) => Err(Refused::AccessEnded),
        }
    }
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Auth::lookup(state, token_hash_of(parts)?).await
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
