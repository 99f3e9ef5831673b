//! What the audit trail records, and the groups the audit screen filters by.

use serde::{Deserialize, Serialize};

use crate::model::string_enum;
use std::fmt;
use std::str::FromStr;

use crate::error::DomainError;

/// What an audit-trail row records.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuditKind {
    /// A carer's "Toon code" (from the device's outbox).
    CodeRevealed,
    /// A volunteer's "Gewijzigd".
    CodeSet,
    /// A volunteer's "Niet gelukt", with the reason.
    ChangeFailed,
    /// An outbox event the server refused (outside the scope, a round not held, ...).
    EventRefused,
    /// The coordinator reported a code known to outsiders.
    CodeLeaked,
    CampaignCreated,
    RoundAssigned,
    RoundTaken,
    DeviceRevoked,
    PersonRevoked,
    /// A device's token was used again after its successor: the store was copied.
    TokenReuse,
    SettingsChanged,
    ClosingDayAdded,
    ClosingDayRemoved,
    /// A registry edit: `detail` holds the fields before and after (JSON).
    OrganisationAdded,
    OrganisationChanged,
    BuildingAdded,
    BuildingChanged,
    SafeAdded,
    SafeChanged,
    ModelAdded,
    /// Which services are active at a building changed.
    ActivityChanged,
    PersonAdded,
    PersonChanged,
    PersonReactivated,
    /// An activation code was issued (a new account or a password reset).
    InvitationIssued,
    /// A person chose their password with an activation code.
    AccountActivated,
    /// A person's "valid until" passed: the server revoked them.
    AccessExpired,
    /// A safe's current code came in with the registry import.
    CodeImported,
    /// The coordinator applied a registry file (`detail`: the counts).
    RegistryImported,
    /// The coordinator downloaded the registry with its codes.
    CodesExported,
    /// The coordinator opened a six-monthly confirmation round.
    ConfirmationOpened,
    /// A service admin confirmed or removed an address; or the deadline decided.
    ActivityConfirmed,
    /// The deadline of a confirmation round passed: the unconfirmed addresses were dealt with.
    ConfirmationClosed,
    /// A service admin or the coordinator asked for a new safe.
    SafeRequested,
    /// The coordinator approved or declined a request.
    RequestReviewed,
    /// The housing company registered the requested safe installed.
    RequestInstalled,
    /// A carer reported a problem at the door (from the device's outbox).
    ProblemReported,
    /// The coordinator dealt with the reports of a safe (leak flow, urgent change, repair,
    /// or closed with a reply).
    ReportsHandled,
    /// The coordinator planned an urgent change that is not a leak (the code does not open).
    UrgentChangePlanned,
    /// A housing company planned a repair for a day.
    RepairPlanned,
    /// A housing company (or the coordinator) said the repair was done.
    RepairDone,
    /// A safe whose code a revoked person had seen gets a new code (one row per safe; the
    /// subject is the person).
    ExposedCodeChange,
    /// A person signed in on a device (it was enrolled).
    SignedIn,
    /// A wrong password for a known login.
    SignInFailed,
    /// A sign-in refused before its password was checked: too many failures (the limiter).
    SignInLimited,
    /// A person signed out on a device (it was retired).
    SignedOut,
    /// The coordinator looked at a safe's current code.
    CodeViewed,
    /// The coordinator gave a safe a new code at once.
    CodeRotated,
    /// The coordinator started a campaign's next wave.
    WavePlanned,
    /// A `sync-server admin` command on the server's machine (`detail`: the command).
    AdminCommand,
}

string_enum!(AuditKind, "audit kind", {
    CodeRevealed => "code_revealed",
    CodeSet => "code_set",
    ChangeFailed => "change_failed",
    EventRefused => "event_refused",
    CodeLeaked => "code_leaked",
    CampaignCreated => "campaign_created",
    RoundAssigned => "round_assigned",
    RoundTaken => "round_taken",
    DeviceRevoked => "device_revoked",
    PersonRevoked => "person_revoked",
    TokenReuse => "token_reuse",
    SettingsChanged => "settings_changed",
    ClosingDayAdded => "closing_day_added",
    ClosingDayRemoved => "closing_day_removed",
    OrganisationAdded => "organisation_added",
    OrganisationChanged => "organisation_changed",
    BuildingAdded => "building_added",
    BuildingChanged => "building_changed",
    SafeAdded => "safe_added",
    SafeChanged => "safe_changed",
    ModelAdded => "model_added",
    ActivityChanged => "activity_changed",
    PersonAdded => "person_added",
    PersonChanged => "person_changed",
    PersonReactivated => "person_reactivated",
    InvitationIssued => "invitation_issued",
    AccountActivated => "account_activated",
    AccessExpired => "access_expired",
    CodeImported => "code_imported",
    RegistryImported => "registry_imported",
    CodesExported => "codes_exported",
    ConfirmationOpened => "confirmation_opened",
    ActivityConfirmed => "activity_confirmed",
    ConfirmationClosed => "confirmation_closed",
    SafeRequested => "safe_requested",
    RequestReviewed => "request_reviewed",
    RequestInstalled => "request_installed",
    ProblemReported => "problem_reported",
    ReportsHandled => "reports_handled",
    UrgentChangePlanned => "urgent_change_planned",
    RepairPlanned => "repair_planned",
    RepairDone => "repair_done",
    ExposedCodeChange => "exposed_code_change",
    SignedIn => "signed_in",
    SignInFailed => "sign_in_failed",
    SignInLimited => "sign_in_limited",
    SignedOut => "signed_out",
    CodeViewed => "code_viewed",
    CodeRotated => "code_rotated",
    WavePlanned => "wave_planned",
    AdminCommand => "admin_command",
});

/// What a reader of the audit trail looks for: each kind belongs to one group.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuditGroup {
    /// A carer saw a code.
    Reveals,
    /// Codes set, failed, planned, imported, exported; campaigns and rounds.
    Codes,
    /// Leaks, reports from the door, repairs.
    Problems,
    /// Requests for new safes.
    Requests,
    /// Sign-ins, people, devices, invitations, revocations.
    Access,
    /// The registry, the confirmation rounds and the settings.
    Registry,
}

string_enum!(AuditGroup, "audit group", {
    Reveals => "reveals",
    Codes => "codes",
    Problems => "problems",
    Requests => "requests",
    Access => "access",
    Registry => "registry",
});

impl AuditKind {
    /// The group the audit screen files it under.
    pub const fn group(self) -> AuditGroup {
        use AuditKind as K;
        match self {
            K::CodeRevealed => AuditGroup::Reveals,
            K::CodeSet
            | K::ChangeFailed
            | K::CampaignCreated
            | K::RoundAssigned
            | K::RoundTaken
            | K::CodeImported
            | K::CodesExported
            | K::UrgentChangePlanned
            | K::ExposedCodeChange
            | K::CodeViewed
            | K::CodeRotated
            | K::WavePlanned => AuditGroup::Codes,
            K::CodeLeaked
            | K::ProblemReported
            | K::ReportsHandled
            | K::RepairPlanned
            | K::RepairDone
            | K::EventRefused => AuditGroup::Problems,
            K::SafeRequested | K::RequestReviewed | K::RequestInstalled => AuditGroup::Requests,
            K::DeviceRevoked
            | K::PersonRevoked
            | K::TokenReuse
            | K::PersonAdded
            | K::PersonChanged
            | K::PersonReactivated
            | K::InvitationIssued
            | K::AccountActivated
            | K::AccessExpired
            | K::SignedIn
            | K::SignInFailed
            | K::SignInLimited
            | K::SignedOut => AuditGroup::Access,
            K::SettingsChanged
            | K::ClosingDayAdded
            | K::ClosingDayRemoved
            | K::OrganisationAdded
            | K::OrganisationChanged
            | K::BuildingAdded
            | K::BuildingChanged
            | K::SafeAdded
            | K::SafeChanged
            | K::ModelAdded
            | K::ActivityChanged
            | K::RegistryImported
            | K::ConfirmationOpened
            | K::ActivityConfirmed
            | K::ConfirmationClosed
            | K::AdminCommand => AuditGroup::Registry,
        }
    }

    /// The kinds of a group, in the table's order.
    pub fn of_group(group: AuditGroup) -> impl Iterator<Item = AuditKind> {
        AuditKind::VARIANTS
            .iter()
            .copied()
            .filter(move |k| k.group() == group)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_and_has_one_group() {
        let mut counted = 0;
        for group in AuditGroup::VARIANTS {
            counted += AuditKind::of_group(*group).count();
            assert!(
                AuditKind::of_group(*group).next().is_some(),
                "{group} is empty"
            );
        }
        assert_eq!(counted, AuditKind::VARIANTS.len());
        for kind in AuditKind::VARIANTS {
            assert_eq!(kind.as_str().parse::<AuditKind>().ok(), Some(*kind));
        }
    }
}
