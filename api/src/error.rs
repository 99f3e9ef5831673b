//! The body of every error answer.

use serde::{Deserialize, Serialize};

/// A stable machine code for what went wrong; the app says it in the user's language.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request is malformed (bad JSON, a wrong id, a missing field).
    BadRequest,
    /// Well-formed, but a value is out of range or not allowed.
    Invalid,
    /// No (valid) session: sign in again.
    Unauthenticated,
    /// Unknown login or wrong password (the same answer for both).
    InvalidCredentials,
    /// This role or organisation may not see or do this.
    Forbidden,
    NotFound,
    /// Too many attempts: wait `Retry-After` seconds.
    RateLimited,
    /// This device already has a sync under way.
    SyncBusy,
    /// A sync message outside the bounds of `kluis_domain::sync::limits`.
    SyncLimits,
    /// The device's outbox could not be read.
    InvalidOutbox,
    /// The device must erase its local data (see `reason`).
    Wipe,
    /// Someone else took this round first.
    RoundTaken,
    /// The volunteer already holds as many rounds as the coordinator allows.
    RoundLimit,
    /// The state changed under the request (e.g. a safe already in a campaign).
    Conflict,
    Internal,
    /// A code from a newer server; shown with its generic text.
    #[serde(other)]
    Unknown,
}

/// Why a device was told to erase its data.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WipeReason {
    DeviceRevoked,
    PersonRevoked,
    /// The device's token was used again after its successor (a copied phone).
    TokenReuse,
    #[serde(other)]
    Unknown,
}

/// `{"code": ..., "message": ...}`, plus `wipe` and `reason` when the device must erase.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: ErrorCode,
    /// For logs and for a client that does not know `code`; apps show their own words.
    pub message: String,
    /// Present (and true) only when the device must erase its local data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wipe: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<WipeReason>,
}

impl ErrorCode {
    /// The name on the wire, e.g. `invalid_credentials`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::Invalid => "invalid",
            ErrorCode::Unauthenticated => "unauthenticated",
            ErrorCode::InvalidCredentials => "invalid_credentials",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::NotFound => "not_found",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::SyncBusy => "sync_busy",
            ErrorCode::SyncLimits => "sync_limits",
            ErrorCode::InvalidOutbox => "invalid_outbox",
            ErrorCode::Wipe => "wipe",
            ErrorCode::RoundTaken => "round_taken",
            ErrorCode::RoundLimit => "round_limit",
            ErrorCode::Conflict => "conflict",
            ErrorCode::Internal => "internal",
            ErrorCode::Unknown => "unknown",
        }
    }
}
