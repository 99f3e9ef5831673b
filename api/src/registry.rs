//! The registry the coordinator keeps: organisations, buildings, their safes, the safe models
//! and which home-care service is active where.

use kluis_domain::ids::{BuildingId, OrgId, SafeId, SafeModelId};
use kluis_domain::model::{OrgKind, SafeStatus};
use kluis_domain::time::{Date, Timestamp};
use serde::{Deserialize, Serialize};

/// Longest name, street, city, district, contact or placement text (characters).
pub const TEXT_MAX: u32 = 200;
/// Longest postcode, phone number or house-number label (characters).
pub const SHORT_MAX: u32 = 40;
/// Most apartments one entrance can reach.
pub const APARTMENTS_MAX: u32 = 2000;

/// One organisation of `GET /api/admin/organisations`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationRow {
    pub id: OrgId,
    pub kind: OrgKind,
    pub name: String,
    pub contact_person: String,
    pub phone: String,
    pub email: String,
    /// False once deactivated: kept with its history, no new people or buildings.
    pub active: bool,
    /// Buildings it owns (a housing company) or is active at (a home-care service).
    pub buildings: u32,
    /// People with an account who are not revoked.
    pub people: u32,
}

/// `POST /api/admin/organisations`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewOrganisation {
    /// A home-care service or a housing company (there is one coordinator's office).
    pub kind: OrgKind,
    pub name: String,
    pub contact_person: String,
    pub phone: String,
    pub email: String,
}

/// `PUT /api/admin/organisations/{id}`: everything but the kind.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganisationEdit {
    pub name: String,
    pub contact_person: String,
    pub phone: String,
    pub email: String,
    /// False deactivates it (its people keep their accounts until revoked one by one).
    pub active: bool,
}

/// A safe model of `GET /api/admin/models`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelRow {
    pub id: SafeModelId,
    pub name: String,
    /// The button labels in the order they sit on the safe, e.g. "1234567890".
    pub buttons: String,
    pub min_len: u8,
    pub max_len: u8,
    /// Whether a factory code is known (it is never shown here, never generated).
    pub has_factory_default: bool,
    /// Safes of this model that are not removed.
    pub safes: u32,
}

/// `POST /api/admin/models`: a model the coordinator announces.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewModel {
    pub name: String,
    /// The button labels in order, each a digit or a letter, e.g. "1234567890".
    pub buttons: String,
    pub min_len: u8,
    pub max_len: u8,
    /// The factory code (its buttons), if the maker publishes one: never accepted as a code.
    pub factory_default: Option<String>,
}

/// A service active at a building.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityRow {
    pub service_id: OrgId,
    pub service: String,
    pub since: Date,
    /// When the service last confirmed it is still active there; none: never yet.
    pub confirmed_on: Option<Date>,
}

/// A safe as the registry shows it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SafeRow {
    pub id: SafeId,
    pub model_id: SafeModelId,
    pub model: String,
    pub placement: String,
    pub status: SafeStatus,
    pub installed_on: Option<Date>,
    /// Whether it has a Kluis code (none yet: still on the factory code).
    pub has_code: bool,
}

/// One building of `GET /api/admin/buildings`, with its safes and services.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildingRow {
    pub id: BuildingId,
    pub street: String,
    /// As written: "12", "10-16", "11-17 oneven".
    pub numbers: String,
    pub postcode: String,
    pub city: String,
    pub district: String,
    pub apartments: u32,
    pub owner_id: OrgId,
    pub owner: String,
    pub safes: Vec<SafeRow>,
    pub services: Vec<ActivityRow>,
}

/// `POST /api/admin/buildings`, `PUT /api/admin/buildings/{id}`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BuildingInput {
    pub street: String,
    /// "12", "10-16", "10 t/m 16", "11-17 oneven", "12 bus 3".
    pub numbers: String,
    pub postcode: String,
    pub city: String,
    pub district: String,
    /// At least 1.
    pub apartments: u32,
    /// The housing company that owns it.
    pub owner_id: OrgId,
}

/// `POST /api/admin/buildings/{id}/safes`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewSafe {
    pub model_id: SafeModelId,
    /// Where it hangs, e.g. "links van de inkomdeur, 1,1 m".
    pub placement: String,
    /// `requested` (asked of the housing company) or `installed` (hanging, on the factory
    /// code: its first code is due within 5 working days of `installed_on`).
    pub status: SafeStatus,
    /// Required when installed; none: today.
    pub installed_on: Option<Date>,
}

/// `PUT /api/admin/safes/{id}`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SafeEdit {
    pub model_id: SafeModelId,
    pub placement: String,
    /// Along the life cycle: requested → installed → active ⇄ defect, any → removed.
    pub status: SafeStatus,
    /// Set when it is installed (none then: today).
    pub installed_on: Option<Date>,
}

/// `PUT /api/admin/buildings/{id}/services`: the services active there from now on.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BuildingServices {
    pub services: Vec<OrgId>,
}

/// `PUT /api/admin/organisations/{id}/buildings`: one service made active at, or taken away
/// from, many buildings at once.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceBuildings {
    /// At most [`BULK_MAX`] each.
    pub add: Vec<BuildingId>,
    pub remove: Vec<BuildingId>,
}

/// Most buildings in one bulk change (within the JSON body limit).
pub const BULK_MAX: u32 = 1_000;

/// What a bulk change did (buildings already so are not counted).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceBuildingsDone {
    pub added: u32,
    pub removed: u32,
}

/// The answer to a registry edit: the building as it stands now.
pub type BuildingOut = BuildingRow;

/// One line of a building's history (`GET /api/admin/buildings/{id}/history`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistryChange {
    /// When the server recorded it.
    pub at: Timestamp,
    pub kind: kluis_domain::model::AuditKind,
    /// Who, by name; none for the system or a command on the server.
    pub person: Option<String>,
    pub safe_id: Option<SafeId>,
    /// The fields that changed, before and after; empty for an addition.
    pub changes: Vec<FieldChange>,
}

/// One field of a registry edit, as text.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    /// The field's name in the request, e.g. `street`, `status`, `services`.
    pub field: String,
    pub before: String,
    pub after: String,
}
