//! Reports from the door (the agreement's rule 6): a carer taps "Code werkt niet? Meld het"
//! on the phone (offline, through the device's outbox); the coordinator's inbox groups the
//! reports per safe and deals with them (the leak flow, an urgent change, a repair order, or
//! a reply); the housing company plans and finishes its repair orders; the reporting service
//! sees where its reports stand. Times are the server's, except `at`: the phone's clock,
//! shown only.

use kluis_domain::ids::{CampaignId, OrgId, RepairId, ReportId, SafeId};
use kluis_domain::model::{ChangeFailure, DoorProblem, SafeStatus};
use kluis_domain::time::{Date, Timestamp};
use serde::{Deserialize, Serialize};

/// Where a report stands.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    /// Waiting for the coordinator.
    New,
    /// A repair order went to the housing company, not done yet.
    RepairAsked,
    /// The housing company planned the repair (`repair_planned_on`).
    RepairPlanned,
    /// A new code is planned (leak or urgent change), not on the safe yet.
    ChangePlanned,
    /// The repair is done or the new code is on the safe.
    Done,
    /// The coordinator closed it with a reply.
    Closed,
    #[serde(other)]
    Unknown,
}

impl ReportStatus {
    /// Still needs someone's work (the coordinator's, a company's or a volunteer's).
    pub const fn is_open(self) -> bool {
        matches!(
            self,
            ReportStatus::New
                | ReportStatus::RepairAsked
                | ReportStatus::RepairPlanned
                | ReportStatus::ChangePlanned
        )
    }
}

/// One report.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoorReport {
    pub id: ReportId,
    pub problem: DoorProblem,
    pub note: String,
    /// The carer's name.
    pub reporter: String,
    /// Their home-care service.
    pub service: String,
    /// When it happened, as the phone says (it may have waited offline).
    pub at: Timestamp,
    /// When the server received it: the order of the inbox.
    pub received_at: Timestamp,
    pub status: ReportStatus,
    /// The coordinator's answer when closed (empty otherwise).
    pub reply: String,
    pub handled_at: Option<Timestamp>,
    pub repair_id: Option<RepairId>,
    pub repair_planned_on: Option<Date>,
    pub repair_done_on: Option<Date>,
    /// The leak or urgent change planned for it.
    pub campaign_id: Option<CampaignId>,
}

/// The change of the safe's code under way, if any, and the last one done: what the
/// coordinator needs to judge "the code does not open" (a fresh code the carer's phone has
/// not synced, or a volunteer's mistake).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SafeChange {
    /// A change is under way (a campaign item not done), due then.
    pub pending_due: Option<Date>,
    pub pending_campaign: Option<CampaignId>,
    /// When the current code became the code (set on site or activated).
    pub current_since: Option<Timestamp>,
}

/// The reports of one safe, newest first, with what the coordinator needs beside them.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportGroup {
    pub safe_id: SafeId,
    pub address: String,
    pub district: String,
    pub owner_id: OrgId,
    /// The housing company's name.
    pub owner: String,
    pub safe_status: SafeStatus,
    pub change: SafeChange,
    pub reports: Vec<DoorReport>,
}

impl ReportGroup {
    /// Reports the coordinator has not dealt with.
    pub fn new_reports(&self) -> usize {
        self.reports
            .iter()
            .filter(|r| r.status == ReportStatus::New)
            .count()
    }

    /// Whether anything of this group still needs work.
    pub fn is_open(&self) -> bool {
        self.reports.iter().any(|r| r.status.is_open())
    }
}

/// What the coordinator does with a safe's new reports.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportAction {
    /// The code is known to outsiders: the leak flow (5 working days, urgent change).
    Leak,
    /// The code must change soon for another reason (it does not open): an urgent change
    /// within 5 working days, not counted as a leak.
    Urgent,
    /// A repair order for the owning housing company: the safe is broken.
    RepairBroken,
    /// A repair order for the owning housing company: the key is missing.
    RepairKeyMissing,
    /// Nothing to do (the phone had not synced, a mistake): closed with the reply.
    Close,
    #[serde(other)]
    Unknown,
}

impl ReportAction {
    pub const fn repair(self) -> Option<ChangeFailure> {
        match self {
            ReportAction::RepairBroken => Some(ChangeFailure::Broken),
            ReportAction::RepairKeyMissing => Some(ChangeFailure::KeyMissing),
            _ => None,
        }
    }
}

/// `POST /api/door-reports/{safe}/handle`: deals with every new report of the safe at once.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandleReports {
    pub action: ReportAction,
    /// Said to the reporting service (required to close; up to 1,000 characters).
    pub reply: String,
}

/// What handling started.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportsHandled {
    /// How many new reports it dealt with.
    pub handled: u32,
    pub campaign_id: Option<CampaignId>,
    /// The new code's deadline (leak or urgent change).
    pub due_on: Option<Date>,
    pub repair_id: Option<RepairId>,
}

/// `POST /api/admin/repairs/{id}/plan`: the day the housing company will come.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepairPlan {
    pub planned_on: Date,
}

/// `POST /api/admin/repairs/{id}/resolve`: the day it was repaired (today or earlier).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepairDone {
    pub done_on: Date,
}
