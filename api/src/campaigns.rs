//! Rotation and urgent campaigns, their waves and the volunteers' rounds.

use kluis_domain::ids::{CampaignId, OrgId, PersonId, RoundId, SafeId, SafeModelId};
use kluis_domain::model::CampaignKind;

pub use kluis_domain::campaign::SpacePressure;
use kluis_domain::time::{Date, Timestamp};
use serde::{Deserialize, Serialize};

/// Which safes a new campaign takes in.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Selection {
    All,
    HousingCompany { org_id: OrgId },
    District { district: String },
    Safes { safe_ids: Vec<SafeId> },
}

/// `POST /api/admin/campaigns`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CampaignRequest {
    /// 1 to 120 characters.
    pub name: String,
    pub selection: Selection,
    /// None: six months from today.
    pub due_on: Option<Date>,
}

/// A campaign with its progress, as `GET /api/admin/campaigns` lists it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignRow {
    pub id: CampaignId,
    pub name: String,
    pub kind: CampaignKind,
    /// What was selected, e.g. "wijk Rabot".
    pub selection: String,
    pub created_at: Timestamp,
    /// The coordinator's name.
    pub created_by: String,
    pub due_on: Option<Date>,
    pub safes: u32,
    /// In a later wave, no code yet.
    pub waiting: u32,
    pub open: u32,
    pub done: u32,
    pub failed: u32,
    pub cancelled: u32,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaveProgress {
    pub wave: u32,
    pub safes: u32,
    pub waiting: u32,
    pub open: u32,
    pub done: u32,
    pub failed: u32,
}

/// A round of a campaign and how far it is.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundSummary {
    pub id: RoundId,
    pub name: String,
    pub ordinal: u32,
    pub district: String,
    pub wave: u32,
    pub campaign_id: CampaignId,
    pub campaign_name: String,
    pub campaign_kind: CampaignKind,
    pub due_on: Option<Date>,
    /// Who holds it; none while it is free to take.
    pub volunteer_id: Option<PersonId>,
    pub volunteer_name: Option<String>,
    pub safes: u32,
    pub open: u32,
    pub done: u32,
    pub failed: u32,
    pub streets: Vec<String>,
}

/// `GET /api/admin/campaigns/{id}`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignDetail {
    #[serde(flatten)]
    pub campaign: CampaignRow,
    pub waves: Vec<WaveProgress>,
    /// Progress per round: done / failed / open.
    pub rounds: Vec<RoundSummary>,
}

/// Why a selected safe did not get a new code.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// Already in a campaign under way.
    InCampaign,
    /// Broken: the housing company repairs it first.
    Defect,
    /// Requested or removed: not on the wall.
    NotInstalled,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedSafe {
    pub safe_id: SafeId,
    pub reason: SkipReason,
    /// With `in_campaign`: the campaign it is in.
    pub campaign_name: Option<String>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaveOut {
    pub wave: u32,
    pub safes: u64,
    pub with_codes: u64,
    /// Waits until codes of earlier waves leave quarantine.
    pub after_quarantine: bool,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundOut {
    pub id: RoundId,
    pub name: String,
    pub ordinal: u32,
    pub district: String,
    pub wave: u32,
    pub safes: u64,
    pub streets: Vec<String>,
}

/// A model whose code space is too small to give every safe a new code at once.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpaceWarning {
    pub model_id: SafeModelId,
    /// The model's name, e.g. "Supra KeySafe Pro".
    pub model: String,
    pub pressure: SpacePressure,
    /// Codes of the model blocked when the campaign starts (current, pending, quarantined).
    pub in_use: u64,
    /// The most codes of the model that can be in use at once.
    pub usable: u64,
    /// New codes the campaign needs for the model.
    pub needed: u64,
    pub waves: u64,
}

/// What planning did: the waves and why, with the numbers (`next-wave`, and part of a new
/// campaign's answer).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Planned {
    pub waves: Vec<WaveOut>,
    pub rounds: Vec<RoundOut>,
    pub code_space: Vec<SpaceWarning>,
    /// Days a retired code stays blocked: why a later wave waits.
    pub quarantine_days: u32,
}

/// `POST /api/admin/campaigns`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignCreated {
    pub id: CampaignId,
    pub name: String,
    pub kind: CampaignKind,
    pub due_on: Option<Date>,
    pub selected: u64,
    pub included: u64,
    pub skipped: Vec<SkippedSafe>,
    #[serde(flatten)]
    pub planned: Planned,
}

/// `POST /api/admin/safes/{id}/leaked`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeakRequest {
    /// How it leaked, for the audit trail; may be empty.
    pub note: Option<String>,
}

/// The answer to a leak report: the urgent campaign it started.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeakReported {
    pub safe_id: SafeId,
    pub reported_on: Date,
    /// Five working days after `reported_on`.
    pub due_on: Date,
    /// The campaign the safe was taken out of, if it was in one.
    pub cancelled_campaign: Option<CampaignId>,
    pub campaign: CampaignCreated,
}

/// `POST /api/admin/rounds/{id}/assign`: none frees the round.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    pub volunteer_id: Option<PersonId>,
}

/// `GET /api/rounds`: what a volunteer can take and what they hold.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundsList {
    pub available: Vec<RoundSummary>,
    pub mine: Vec<RoundSummary>,
}
