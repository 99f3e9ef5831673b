//! Requests for new safes (the agreement's rules 8, 9 and 5): a service admin or the
//! coordinator asks for a safe at an address, the coordinator approves it with the model to
//! hang (or declines it), the owning housing company registers it installed. Every step
//! carries the server's time, for the yearly figures.

use kluis_domain::ids::{BuildingId, OrgId, RequestId, SafeId, SafeModelId};
use kluis_domain::time::{Date, Timestamp};
use serde::{Deserialize, Serialize};

/// Where a request stands.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    /// Waiting for the coordinator.
    Requested,
    /// Approved and forwarded to the housing company; the safe stands "requested".
    Approved,
    Declined,
    /// The housing company hung the safe: its first code is due within 5 working days.
    Installed,
    #[serde(other)]
    Unknown,
}

/// `POST /api/requests`: a safe for a building in the registry, or for a new address.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewSafeRequest {
    /// A building of the registry; none: the address below is new.
    pub building_id: Option<BuildingId>,
    /// For a new address (ignored for a building of the registry).
    pub street: String,
    pub numbers: String,
    pub postcode: String,
    pub city: String,
    pub apartments: u32,
    /// Why a safe is needed here.
    pub reason: String,
    /// Who to call on site.
    pub contact: String,
}

/// One request as its parties see it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SafeRequestRow {
    pub id: RequestId,
    pub status: RequestStatus,
    /// Set once the address is a building of the registry.
    pub building_id: Option<BuildingId>,
    /// "Sleepstraat 12, 9000 Gent".
    pub address: String,
    pub apartments: u32,
    pub reason: String,
    pub contact: String,
    /// The requesting service; none when the coordinator asked.
    pub service: Option<String>,
    pub requested_by: String,
    pub requested_at: Timestamp,
    pub reviewed_at: Option<Timestamp>,
    /// Why it was declined (empty otherwise).
    pub decline_reason: String,
    /// The model to hang (once approved).
    pub model: Option<String>,
    /// The housing company that hangs it (once approved).
    pub owner: Option<String>,
    pub safe_id: Option<SafeId>,
    pub installed_at: Option<Timestamp>,
}

/// The coordinator's decision.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Review {
    Approve,
    Decline,
    #[serde(other)]
    Unknown,
}

/// `POST /api/requests/{id}/review`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestReview {
    pub review: Review,
    /// For an approval: the model to hang.
    pub model_id: Option<SafeModelId>,
    /// For an approval of a new address: the housing company that owns the building.
    pub owner_id: Option<OrgId>,
    /// For a decline: why (told to the requester).
    pub reason: String,
}

/// `POST /api/requests/{id}/installed`: the housing company hung the safe.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestInstalled {
    /// Where it hangs, e.g. "links van de inkomdeur, 1,2 m".
    pub placement: String,
    /// Not in the future.
    pub installed_on: Date,
}
