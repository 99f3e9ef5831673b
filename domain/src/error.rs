use thiserror::Error;

/// Every error the domain crate can return. Messages are safe to show to a user.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum DomainError {
    #[error("invalid id: {0}")]
    InvalidId(String),
    #[error("invalid code: {0}")]
    InvalidCode(String),
    #[error("invalid safe model: {0}")]
    InvalidModel(String),
    #[error("invalid date: {0}")]
    InvalidDate(String),
    #[error("unknown {kind}: {value}")]
    UnknownValue { kind: String, value: String },
    #[error("invalid house numbers: {0}")]
    InvalidHouseNumbers(String),
    #[error("safe status cannot go from {from} to {to}")]
    InvalidTransition { from: String, to: String },
    #[error("no usable code left for model {model}: {in_use} of {usable} usable codes in use")]
    CodeSpaceExhausted {
        model: String,
        in_use: usize,
        usable: usize,
    },
    #[error("document does not follow the Kluis schema: {0}")]
    Schema(String),
    #[error("sync message rejected: {0}")]
    Protocol(String),
    /// A sync message outside the bounds of `sync::limits`: refused before Automerge saw it.
    #[error("sync message outside the limits: {0}")]
    Bounds(String),
}
