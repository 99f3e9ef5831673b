//! What the coordinator (and housing staff, for their own repairs) reads. No code values.

use kluis_domain::due::DueReason;
use kluis_domain::ids::{CampaignId, CodeId, EventId, OrgId, RepairId, SafeId, SafeModelId};
use kluis_domain::model::{ChangeFailure, CodeState, SafeStatus};
use kluis_domain::time::{Date, Timestamp};
use serde::{Deserialize, Serialize};

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueSafe {
    pub safe_id: SafeId,
    pub address: String,
    pub district: String,
    /// The housing company's name.
    pub owner: String,
    pub status: SafeStatus,
    pub due_on: Date,
    pub reason: DueReason,
    /// The campaign already under way for this safe, if any.
    pub campaign_id: Option<CampaignId>,
}

/// `GET /api/admin/due`: on the working-day calendar, Monday-to-Sunday weeks.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueList {
    pub today: Date,
    pub overdue: Vec<DueSafe>,
    pub this_week: Vec<DueSafe>,
    pub this_month: Vec<DueSafe>,
}

/// One model's code space, from `GET /api/admin/code-space`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelSpace {
    pub model_id: SafeModelId,
    pub model: String,
    pub safes: u32,
    pub in_use: u64,
    pub quarantined: u64,
    pub usable: u64,
    /// Codes that could still be drawn now.
    pub remaining: u64,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeEvent {
    pub code_id: CodeId,
    pub state: CodeState,
    pub created_at: Timestamp,
    pub activated_at: Option<Timestamp>,
    pub retired_at: Option<Timestamp>,
    pub campaign_id: Option<CampaignId>,
    pub campaign_name: Option<String>,
    /// The volunteer who reported it set, by name.
    pub confirmed_by: Option<String>,
    pub confirmed_at: Option<Timestamp>,
}

/// What a volunteer reported from the door.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeOutcome {
    /// "Gewijzigd": the new code is on the safe.
    Set,
    /// "Niet gelukt", with a reason.
    Failed,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeRecordRow {
    pub id: EventId,
    pub campaign_id: CampaignId,
    /// The volunteer's name.
    pub volunteer: String,
    pub outcome: ChangeOutcome,
    /// Why it failed; none when it was set.
    pub reason: Option<ChangeFailure>,
    pub note: String,
    /// When it happened, as the phone says.
    pub at: Timestamp,
    /// When the server received it.
    pub recorded_at: Timestamp,
}

/// `GET /api/admin/safes/{id}/history`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SafeHistory {
    pub safe_id: SafeId,
    pub status: SafeStatus,
    pub leak_reported_on: Option<Date>,
    pub codes: Vec<CodeEvent>,
    pub records: Vec<ChangeRecordRow>,
}

/// One line of `GET /api/admin/repairs`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepairRow {
    pub id: RepairId,
    pub safe_id: SafeId,
    pub address: String,
    pub owner_id: OrgId,
    pub owner: String,
    /// `broken` or `key_missing`.
    pub reason: ChangeFailure,
    pub note: String,
    /// Who found it: the volunteer's or the first reporting carer's name.
    pub reported_by: Option<String>,
    pub created_at: Timestamp,
    pub resolved_at: Option<Timestamp>,
    /// The day the company said it will come.
    pub planned_on: Option<Date>,
    /// The day the company said it was repaired.
    pub done_on: Option<Date>,
    /// How many reports from the door joined this order.
    pub reports: u32,
}

/// `POST /api/admin/repairs/{id}/resolve`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepairResolved {
    /// False when it was resolved already.
    pub resolved: bool,
}
