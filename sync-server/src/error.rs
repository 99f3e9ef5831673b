//! One error type for the HTTP API: a stable machine code and a message safe to show a user,
//! kept apart from the cause, which is only logged.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
pub use kluis_api::error::{Field, Problem};
pub use kluis_api::{ErrorBody, ErrorCode, WipeReason};

/// Errors of the server library outside a request (start-up, CLI, storage).
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("configuration: {0}")]
    Config(String),
    #[error("database: {0}")]
    Db(#[from] rusqlite::Error),
    #[error("server key: {0}")]
    Key(String),
    #[error("crypto: {0}")]
    Crypto(#[from] kluis_crypto::CryptoError),
    #[error("domain: {0}")]
    Domain(#[from] kluis_domain::DomainError),
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
    #[error("not found: {0}")]
    NotFound(String),
    #[error("{0}")]
    Invalid(String),
    /// A request refused for a reason the app says in its own words.
    #[error("refused: {0:?}")]
    Refused(Problem),
    #[error("background task failed: {0}")]
    Task(String),
}

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: ErrorCode,
    pub message: String,
    pub wipe_reason: Option<WipeReason>,
    pub problem: Option<Problem>,
    pub retry_after_secs: Option<u64>,
    /// Logged, never sent.
    pub cause: Option<String>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            wipe_reason: None,
            problem: None,
            retry_after_secs: None,
            cause: None,
        }
    }

    pub fn with_cause(mut self, cause: impl std::fmt::Display) -> Self {
        self.cause = Some(cause.to_string());
        self
    }

    /// 422 `invalid` with what exactly was refused.
    pub fn invalid(problem: Problem) -> Self {
        let mut e = Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Invalid,
            format!("refused: {problem:?}"),
        );
        e.problem = Some(problem);
        e
    }

    /// A refusal with its own code and status (409 `round_limit`) and its details.
    pub fn refused(status: StatusCode, code: ErrorCode, problem: Option<Problem>) -> Self {
        let mut e = Self::new(status, code, code.as_str());
        e.problem = problem;
        e
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, ErrorCode::BadRequest, message)
    }

    /// 400 with its own stable code.
    pub fn bad_request_code(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn unauthenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthenticated,
            "not signed in (or no longer): sign in again",
        )
    }

    pub fn invalid_credentials() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::InvalidCredentials,
            "unknown login or wrong password",
        )
    }

    pub fn forbidden() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            ErrorCode::Forbidden,
            "this role or organisation may not see or do this",
        )
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
            format!("{what} not found"),
        )
    }

    pub fn rate_limited(retry_after_secs: u64) -> Self {
        let mut e = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::RateLimited,
            format!("too many failed attempts: retry after {retry_after_secs} s"),
        );
        e.retry_after_secs = Some(retry_after_secs);
        e
    }

    /// A device sending faster than any app does.
    pub fn device_flood(retry_after_secs: u64) -> Self {
        let mut e = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::RateLimited,
            format!("too many requests from this device: retry after {retry_after_secs} s"),
        );
        e.retry_after_secs = Some(retry_after_secs);
        e
    }

    /// Another sync of the same device is still running.
    pub fn sync_busy() -> Self {
        let mut e = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::SyncBusy,
            "this device already has a sync under way",
        );
        e.retry_after_secs = Some(1);
        e
    }

    /// The device or its person was revoked: the client must erase everything local.
    pub fn wipe(reason: WipeReason) -> Self {
        let mut e = Self::new(
            StatusCode::GONE,
            ErrorCode::Wipe,
            "this device was signed out: erase local data",
        );
        e.wipe_reason = Some(reason);
        e
    }

    pub fn internal(cause: impl std::fmt::Display) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::Internal,
            "internal error",
        )
        .with_cause(cause)
    }
}

impl From<ServerError> for ApiError {
    fn from(e: ServerError) -> Self {
        match e {
            ServerError::NotFound(what) => ApiError::not_found(&what),
            ServerError::Refused(problem) => ApiError::invalid(problem),
            ServerError::Domain(kluis_domain::DomainError::CodeSpaceExhausted {
                model,
                in_use,
                usable,
            }) => ApiError::invalid(Problem::CodeSpaceFull {
                model,
                in_use: u64::try_from(in_use).unwrap_or(u64::MAX),
                usable: u64::try_from(usable).unwrap_or(u64::MAX),
            }),
            ServerError::Domain(d) => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::Invalid,
                d.to_string(),
            ),
            e if e.is_out_of_space() => ApiError {
                cause: Some(e.to_string()),
                ..ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    ErrorCode::Unavailable,
                    "the server cannot store anything now; nothing was changed, try again later",
                )
            },
            other => ApiError::internal(other),
        }
    }
}

impl ServerError {
    /// The disk (or the database's room on it) is full: the transaction rolled back.
    pub fn is_out_of_space(&self) -> bool {
        match self {
            ServerError::Db(rusqlite::Error::SqliteFailure(e, _)) => {
                e.code == rusqlite::ErrorCode::DiskFull
            }
            ServerError::Io(e) => e.kind() == std::io::ErrorKind::StorageFull,
            _ => false,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Some(cause) = &self.cause {
            if self.status.is_server_error() {
                tracing::error!(code = self.code.as_str(), %cause, "request failed");
            } else {
                tracing::info!(code = self.code.as_str(), %cause, "request refused");
            }
        }
        let body = ErrorBody {
            code: self.code,
            message: self.message,
            wipe: self.wipe_reason.map(|_| true),
            reason: self.wipe_reason,
            problem: self.problem,
        };
        let mut resp = (self.status, axum::Json(body)).into_response();
        // For the metrics: a 429 is counted by the code that says why.
        resp.extensions_mut().insert(self.code);
        if let Some(secs) = self.retry_after_secs
            && let Ok(v) = HeaderValue::from_str(&secs.to_string())
        {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
        resp
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
