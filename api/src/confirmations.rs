//! The six-monthly confirmation (the agreement's rule): the coordinator opens a round, each
//! service admin confirms or removes every address where their service is active before the
//! deadline, and what is left unconfirmed then follows the coordinator's choice.

use kluis_domain::ids::{BuildingId, ConfirmationId, OrgId};
use kluis_domain::time::{Date, Timestamp};
use serde::{Deserialize, Serialize};

/// What happens to an address nobody confirmed by the deadline.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unconfirmed {
    /// The service stays active there; the registry shows a warning.
    Keep,
    /// The address leaves the service's scope (its carers lose the safe at their next sync).
    Remove,
    #[serde(other)]
    Unknown,
}

/// A service admin's answer for one address.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Still active there.
    Confirmed,
    /// No longer active there: the address leaves the scope at once.
    Removed,
    /// The deadline passed without an answer (set by the server when it closes the round).
    Lapsed,
    #[serde(other)]
    Unknown,
}

/// `POST /api/admin/confirmations`: open a round.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewConfirmationRound {
    /// The last day to answer: at least a week from today.
    pub deadline: Date,
    pub unconfirmed: Unconfirmed,
}

/// A round as the coordinator and service admins see it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfirmationRound {
    pub id: ConfirmationId,
    pub opened_at: Timestamp,
    pub opened_by: String,
    pub deadline: Date,
    pub unconfirmed: Unconfirmed,
    /// Set when the deadline passed and the unconfirmed addresses were dealt with.
    pub closed_at: Option<Timestamp>,
}

/// How far one service is (`GET /api/admin/confirmations`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceProgress {
    pub service_id: OrgId,
    pub service: String,
    pub addresses: u32,
    pub confirmed: u32,
    pub removed: u32,
    /// Not answered (yet, or by the deadline).
    pub open: u32,
    /// Who answered last, and when.
    pub last_answer_by: Option<String>,
    pub last_answer_at: Option<Timestamp>,
}

/// `GET /api/admin/confirmations`: the latest round and each service's progress.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfirmationOverview {
    /// None: no round was ever opened.
    pub round: Option<ConfirmationRound>,
    pub services: Vec<ServiceProgress>,
}

/// One address of a service admin's list.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfirmationItem {
    pub building_id: BuildingId,
    /// "Sleepstraat 12, 9000 Gent".
    pub address: String,
    pub district: String,
    /// Since when the service is active there.
    pub since: Date,
    /// None: not answered yet.
    pub decision: Option<Decision>,
    pub decided_by: Option<String>,
}

/// `GET /api/team/confirmation`: the service admin's round and addresses.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamConfirmation {
    /// None: no round is open for this service.
    pub round: Option<ConfirmationRound>,
    pub items: Vec<ConfirmationItem>,
}

/// `POST /api/team/confirmation`: answers for some addresses of the open round.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfirmationAnswers {
    /// At most [`MAX_ANSWERS`]; `lapsed` is not an answer a person gives.
    pub answers: Vec<ConfirmationAnswer>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfirmationAnswer {
    pub building_id: BuildingId,
    pub decision: Decision,
}

/// Most answers in one request (a service is active at a few hundred addresses at most).
pub const MAX_ANSWERS: u32 = 5_000;

/// Fewest days between opening a round and its deadline.
pub const MIN_DAYS_TO_ANSWER: i64 = 7;
