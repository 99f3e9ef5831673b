//! Everything that touches the browser. The wasm32 implementation is in `web.rs`; `host.rs`
//! is its twin for native builds (tests, clippy), where there is no browser.
//!
//! Functions here return `Result`s or harmless defaults: a panic in wasm kills the app.

pub mod download;
pub mod kdf;
pub mod storage;

// IndexedDB persistence for the vault (the host twin of `IdbStore` is in `host.rs`).
#[cfg(target_arch = "wasm32")]
pub mod idb;
#[cfg(target_arch = "wasm32")]
pub use idb::IdbStore;

#[cfg(target_arch = "wasm32")]
mod device_key;
#[cfg(target_arch = "wasm32")]
pub use device_key::*;
#[cfg(target_arch = "wasm32")]
mod web;
#[cfg(target_arch = "wasm32")]
pub use web::*;
#[cfg(target_arch = "wasm32")]
mod lifecycle;
#[cfg(target_arch = "wasm32")]
pub use lifecycle::*;

#[cfg(not(target_arch = "wasm32"))]
mod host;
#[cfg(not(target_arch = "wasm32"))]
pub use host::*;

/// A finished HTTP exchange (any status).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    pub body: String,
}

/// A finished HTTP exchange with a binary body (the sync protocol).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BytesResponse {
    pub status: u16,
    pub body: Vec<u8>,
    /// The device's next bearer token (`Kluis-Next-Token`), when the server sent one.
    pub next_token: Option<String>,
}

/// The browser's device key or passkey could not answer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DeviceKeyError {
    /// The person closed the passkey prompt (or it timed out): ask again.
    #[error("the passkey prompt was closed")]
    Cancelled,
    #[error("{0}")]
    Failed(String),
}

/// The request did not produce an HTTP response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NetError {
    /// Offline, DNS, refused connection, CORS, ...
    Failed(String),
    /// No answer within the time limit.
    Timeout,
}

/// How long a request to the server may take before the app gives up.
pub const REQUEST_TIMEOUT_MS: u32 = 15_000;

/// The version the app says at every request (shown to admins beside each device).
pub const APP_VERSION: &str = env!("CARGO_PKG_VERSION");
