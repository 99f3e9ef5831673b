//! What every request handler shares.

use std::sync::Arc;

use kluis_crypto::SecretKey;
use kluis_domain::rng::RandomSource;
use kluis_domain::schema::ScopeSettings;
use kluis_domain::time::Timestamp;

use crate::clock::Clock;
use crate::config::Settings;
use crate::db::Db;
use crate::gate::DeviceGate;
use crate::ratelimit::LoginLimiter;
use crate::scopes::Scopes;

/// Argon2id takes 19 MiB per hash: at most this many run at once (one per core, up to it),
/// on the threads of [`crate::hashpool::HashPool`], so a login flood cannot exhaust memory.
pub const MAX_CONCURRENT_HASHES: usize = 4;

#[derive(Clone)]
pub struct AppState(pub Arc<Inner>);

pub struct Inner {
    pub db: Db,
    pub key: Arc<SecretKey>,
    pub settings: Settings,
    /// The device settings now in force (the coordinator can change them while serving).
    pub device_settings: std::sync::RwLock<ScopeSettings>,
    pub limiter: LoginLimiter,
    /// One sync and one event stream per device at a time, and request rates.
    pub gate: DeviceGate,
    /// Tokens found valid a moment ago: lets a sync in without asking the database first.
    pub admissions: crate::admit::Admissions,
    pub scopes: Arc<Scopes>,
    /// Sync states, written behind (`sync::states`).
    pub sync_states: crate::sync::states::SyncStates,
    /// Password hashes and checks (sign-in, activation, the export with codes).
    pub hashes: crate::hashpool::HashPool,
    /// The time of day for every handler (tests set it).
    pub clock: Clock,
    /// Invitations by e-mail, when an SMTP relay is configured.
    pub mailer: Option<crate::mail::Mailer>,
    /// The data directory is this server's while it runs (a restore checks it).
    pub data_lock: crate::ops::DataLock,
    /// This server's own metrics registry (served at `/metrics`).
    pub metrics: Arc<crate::metrics::Metrics>,
}

impl AppState {
    /// Now, by the server's clock: what deadlines, sessions and the audit trail go by.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// How long a token stays usable after its successor's first use.
    pub fn token_grace_ms(&self) -> i64 {
        i64::try_from(self.settings.token_grace.as_millis()).unwrap_or(i64::MAX)
    }

    /// The settings devices get in their scope documents, as they stand now.
    pub fn scope_settings(&self) -> ScopeSettings {
        self.device_settings
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    pub fn set_scope_settings(&self, settings: ScopeSettings) {
        *self
            .device_settings
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = settings;
    }
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

pub use crate::clock::today_in_ghent;

/// Operating-system randomness for ids, codes and tokens.
pub struct OsRandom;

impl RandomSource for OsRandom {
    fn fill_bytes(&mut self, buf: &mut [u8]) {
        // Without OS randomness nothing here is safe to do; the process must stop rather
        // than hand out predictable codes.
        if let Err(e) = kluis_crypto::random_bytes(buf) {
            tracing::error!(%e, "the operating system gave no randomness");
            std::process::abort();
        }
    }
}
