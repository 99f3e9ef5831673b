//! One error type for the HTTP API: a stable machine code and a message safe to show a user,
//! kept apart from the cause, which is only logged.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
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
    #[error("background task failed: {0}")]
    Task(String),
}

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: ErrorCode,
    pub message: String,
    pub wipe_reason: Option<WipeReason>,
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
            retry_after_secs: None,
            cause: None,
        }
    }

    pub fn with_cause(mut self, cause: impl std::fmt::Display) -> Self {
        self.cause = Some(cause.to_string());
        self
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
            "Je bent niet (meer) aangemeld. Meld je opnieuw aan.",
        )
    }

    pub fn invalid_credentials() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::InvalidCredentials,
            "Onbekende gebruikersnaam of fout wachtwoord.",
        )
    }

    pub fn forbidden() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            ErrorCode::Forbidden,
            "Je hebt geen toegang tot deze gegevens.",
        )
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            ErrorCode::NotFound,
            format!("{what} bestaat niet."),
        )
    }

    pub fn rate_limited(retry_after_secs: u64) -> Self {
        let mut e = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::RateLimited,
            if retry_after_secs < 120 {
                format!(
                    "Te veel mislukte pogingen. Probeer opnieuw over {retry_after_secs} seconden."
                )
            } else {
                format!(
                    "Te veel mislukte pogingen. Probeer opnieuw over {} minuten.",
                    retry_after_secs.div_ceil(60)
                )
            },
        );
        e.retry_after_secs = Some(retry_after_secs);
        e
    }

    /// A device sending faster than any app does.
    pub fn device_flood(retry_after_secs: u64) -> Self {
        let mut e = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::RateLimited,
            format!(
                "Te veel aanvragen van dit toestel. Probeer opnieuw over {retry_after_secs} seconden."
            ),
        );
        e.retry_after_secs = Some(retry_after_secs);
        e
    }

    /// Another sync of the same device is still running.
    pub fn sync_busy() -> Self {
        let mut e = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::SyncBusy,
            "Dit toestel synchroniseert al. Probeer zo opnieuw.",
        );
        e.retry_after_secs = Some(1);
        e
    }

    /// The device or its person was revoked: the client must erase everything local.
    pub fn wipe(reason: WipeReason) -> Self {
        let mut e = Self::new(
            StatusCode::GONE,
            ErrorCode::Wipe,
            "Dit toestel is afgemeld. Meld je opnieuw aan.",
        );
        e.wipe_reason = Some(reason);
        e
    }

    pub fn internal(cause: impl std::fmt::Display) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::Internal,
            "Er ging iets mis op de server. Probeer het later opnieuw.",
        )
        .with_cause(cause)
    }
}

impl From<ServerError> for ApiError {
    fn from(e: ServerError) -> Self {
        match e {
            ServerError::NotFound(what) => ApiError::not_found(&what),
            ServerError::Invalid(msg) => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::Invalid, msg)
            }
            ServerError::Domain(d) => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::Invalid,
                d.to_string(),
            ),
            other => ApiError::internal(other),
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
        };
        let mut resp = (self.status, axum::Json(body)).into_response();
        if let Some(secs) = self.retry_after_secs
            && let Ok(v) = HeaderValue::from_str(&secs.to_string())
        {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
        resp
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
