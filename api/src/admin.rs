//! The coordinator's access controls: devices, revocation, a safe's code.

use kluis_domain::ids::{DeviceId, PersonId, SafeId};
use kluis_domain::time::Timestamp;
use serde::{Deserialize, Serialize};

/// One line of `GET /api/admin/devices`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceRow {
    pub id: DeviceId,
    pub name: String,
    pub person_id: PersonId,
    pub person_name: String,
    pub login: String,
    /// The organisation's name.
    pub organisation: String,
    pub enrolled_at: Timestamp,
    /// Never synced yet: none.
    pub last_seen_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
    /// The app version it last synced with (`X-Kluis-Version`); none: not said yet.
    pub app_version: Option<String>,
}

/// The header in which the app says its version at every request.
pub const APP_VERSION_HEADER: &str = "x-kluis-version";

/// An app version as a device may say it: 1 to 32 letters, digits, `.`, `-` or `+`.
pub fn app_version(value: &str) -> Option<&str> {
    let ok = (1..=32).contains(&value.len())
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+'));
    ok.then_some(value)
}

/// `POST /api/admin/devices/{id}/revoke`, `POST /api/admin/people/{id}/revoke`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revoked {
    /// False when it was revoked already.
    pub revoked: bool,
}

/// `GET /api/admin/safes/{id}/code`, `POST /api/admin/safes/{id}/rotate`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeOut {
    pub safe_id: SafeId,
    /// The digits; none while the safe has no Kluis code yet.
    pub code: Option<String>,
}

impl std::fmt::Debug for CodeOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CodeOut")
            .field("safe_id", &self.safe_id)
            .field("code", &self.code.as_ref().map(|_| "…"))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_version_is_kept_from_what_a_device_says() {
        assert_eq!(app_version("0.1.0"), Some("0.1.0"));
        assert_eq!(app_version("1.2.3-rc.1+abc"), Some("1.2.3-rc.1+abc"));
        for bad in ["", "<script>", "1.0 beta", &"9".repeat(33), "1.0\n"] {
            assert_eq!(app_version(bad), None, "{bad:?}");
        }
    }
}
