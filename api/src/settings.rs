//! The coordinator's settings: campaign planning, closing days, what devices get.

use kluis_domain::time::Date;
use serde::{Deserialize, Serialize};

/// `GET /api/admin/settings`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsOut {
    pub quarantine_days: u32,
    pub max_round_size: u32,
    pub reserve_per_model: u32,
    pub max_rounds_per_volunteer: u32,
    pub closing_days: Vec<ClosingDay>,
    pub grace_days: u32,
    pub idle_lock_secs: u32,
    pub lease_hours: u32,
    /// Revoking a person plans the change of the codes they saw by itself.
    pub change_on_revoke: bool,
}

/// `PUT /api/admin/revocation-policy`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevocationPolicy {
    pub change_on_revoke: bool,
}

/// A day the coordinator's office is closed: not a working day for deadlines.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClosingDay {
    pub day: Date,
    /// E.g. "Brugdag"; may be empty.
    pub label: Option<String>,
}

/// `PUT /api/admin/settings`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsIn {
    pub quarantine_days: u32,
    pub max_round_size: u32,
    pub reserve_per_model: u32,
    pub max_rounds_per_volunteer: u32,
}

/// `PUT /api/admin/device-settings`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceSettingsIn {
    pub grace_days: u32,
    pub idle_lock_secs: u32,
    pub lease_hours: u32,
}
