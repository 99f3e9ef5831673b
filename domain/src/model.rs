//! The registry model: organisations, people, devices, buildings, safes, codes and which
//! home-care service is active where.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::DomainError;
use crate::ids::{BuildingId, CodeId, DeviceId, OrgId, PersonId, SafeId, SafeModelId};
use crate::safe_model::ButtonSet;
use crate::time::{Date, Timestamp};

pub use crate::address::HouseNumbers;
pub use crate::audit::{AuditGroup, AuditKind};

/// Implements `as_str`, `Display` and `FromStr` from one table so the three never disagree.
macro_rules! string_enum {
    ($ty:ident, $kind:literal, { $($variant:ident => $s:literal),+ $(,)? }) => {
        impl $ty {
            /// Every value, in the order of the table.
            pub const VARIANTS: &'static [$ty] = &[$($ty::$variant),+];

            /// The stable snake_case name used in storage and APIs.
            pub const fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $s),+ }
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $ty {
            type Err = DomainError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($s => Ok($ty::$variant),)+
                    _ => Err(DomainError::UnknownValue { kind: $kind.into(), value: s.into() }),
                }
            }
        }
    };
}
pub(crate) use string_enum;

/// What kind of party an organisation is; it bounds which roles its people can have.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// The coordinator's office at the city's social-welfare centre (OCMW).
    CoordinatorOffice,
    /// A home-care service ("thuiszorgdienst").
    CareService,
    /// A social-housing company ("maatschappij") that owns buildings and safes.
    HousingCompany,
}

string_enum!(OrgKind, "organisation kind", {
    CoordinatorOffice => "coordinator_office",
    CareService => "care_service",
    HousingCompany => "housing_company",
});

/// An organisation taking part in the agreement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    /// Identity.
    pub id: OrgId,
    /// What kind of party it is.
    pub kind: OrgKind,
    /// Display name, e.g. "Wit-Gele Kruis".
    pub name: String,
}

/// What a person may do.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages all codes, safes and access.
    Coordinator,
    /// Manages the carers of one home-care service.
    ServiceAdmin,
    /// Uses codes of the buildings where the service is active.
    Carer,
    /// Changes codes on site.
    Volunteer,
    /// Reports installed, repaired and replaced safes for a housing company.
    HousingStaff,
}

string_enum!(Role, "role", {
    Coordinator => "coordinator",
    ServiceAdmin => "service_admin",
    Carer => "carer",
    Volunteer => "volunteer",
    HousingStaff => "housing_staff",
});

impl Role {
    /// Whether a person with this role can belong to an organisation of `kind`.
    pub const fn allowed_in(self, kind: OrgKind) -> bool {
        matches!(
            (self, kind),
            (
                Role::Coordinator | Role::Volunteer,
                OrgKind::CoordinatorOffice
            ) | (Role::ServiceAdmin | Role::Carer, OrgKind::CareService)
                | (Role::HousingStaff, OrgKind::HousingCompany)
        )
    }
}

/// A person with a login. Credentials live with the server, not here.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// Identity.
    pub id: PersonId,
    /// The organisation the person works for.
    pub org: OrgId,
    /// Full name.
    pub name: String,
    /// Login name, unique across Kluis.
    pub login: String,
    /// What the person may do.
    pub role: Role,
}

/// An enrolled phone or computer holding an encrypted copy of the person's data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    /// Identity.
    pub id: DeviceId,
    /// Owner.
    pub person: PersonId,
    /// Name the person gave it, e.g. "Pixel werk".
    pub name: String,
    /// When it was enrolled.
    pub enrolled_at: Timestamp,
    /// When access was revoked; a revoked device is told to wipe its data.
    pub revoked_at: Option<Timestamp>,
}

/// The postal address of one entrance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    /// Street name, e.g. "Sleepstraat".
    pub street: String,
    /// The house numbers this entrance serves.
    pub numbers: HouseNumbers,
    /// Postcode, e.g. "9000".
    pub postcode: String,
    /// City or municipality, e.g. "Gent".
    pub city: String,
}

impl Address {
    /// One-line form, e.g. "Sleepstraat 10-16, 9000 Gent".
    pub fn label(&self) -> String {
        format!(
            "{} {}, {} {}",
            self.street, self.numbers, self.postcode, self.city
        )
    }
}

/// An apartment block entrance with (at most) one shared key safe.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Building {
    /// Identity.
    pub id: BuildingId,
    /// Address of the entrance.
    pub address: Address,
    /// Number of apartments reached through the entrance (for the yearly figures).
    pub apartments: u32,
    /// The housing company that owns the building and its safe.
    pub owner: OrgId,
    /// Neighbourhood, e.g. "Brugse Poort".
    pub district: String,
}

/// Life cycle of a safe.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SafeStatus {
    /// A service or the coordinator asked the housing company for a safe.
    Requested,
    /// Hanging on the wall, still on the factory code (a first code is due within 5 working days).
    Installed,
    /// In use with a Kluis code.
    Active,
    /// Broken, or the key is missing; the housing company repairs or replaces it.
    Defect,
    /// Taken off the wall; final.
    Removed,
}

string_enum!(SafeStatus, "safe status", {
    Requested => "requested",
    Installed => "installed",
    Active => "active",
    Defect => "defect",
    Removed => "removed",
});

impl SafeStatus {
    /// Whether the life cycle allows going from `self` to `next`.
    pub const fn can_transition_to(self, next: SafeStatus) -> bool {
        use SafeStatus::*;
        matches!(
            (self, next),
            (Requested, Installed)
                | (Installed, Active)
                | (Installed, Defect)
                | (Active, Defect)
                | (Defect, Active)
                | (Requested | Installed | Active | Defect, Removed)
        )
    }

    /// `next` if the move is allowed, otherwise [`DomainError::InvalidTransition`].
    pub fn transition(self, next: SafeStatus) -> Result<SafeStatus, DomainError> {
        if self.can_transition_to(next) {
            Ok(next)
        } else {
            Err(DomainError::InvalidTransition {
                from: self.as_str().into(),
                to: next.as_str().into(),
            })
        }
    }
}

/// A key safe beside a building's entrance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Safe {
    /// Identity.
    pub id: SafeId,
    /// The building whose entrance key it holds.
    pub building: BuildingId,
    /// Which model it is.
    pub model: SafeModelId,
    /// Where to find it, e.g. "links van de inkomdeur, onder het afdak".
    pub placement: String,
    /// Life-cycle state.
    pub status: SafeStatus,
    /// Day it was installed, once it is.
    pub installed_on: Option<Date>,
}

/// Life cycle of one code of a safe.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CodeState {
    /// Chosen, not yet set on the safe by a volunteer.
    Pending,
    /// The code the safe opens with now.
    Current,
    /// The code it had just before; kept while the change propagates to carers.
    Previous,
    /// No longer valid; kept only so it is not reused soon.
    Retired,
}

string_enum!(CodeState, "code state", {
    Pending => "pending",
    Current => "current",
    Previous => "previous",
    Retired => "retired",
});

/// One code of a safe. Its value is secret, so `Debug` leaves it out.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Code {
    /// Identity.
    pub id: CodeId,
    /// The safe it opens.
    pub safe: SafeId,
    /// The buttons.
    pub value: ButtonSet,
    /// Where it is in its life cycle.
    pub state: CodeState,
    /// When it was chosen.
    pub created_at: Timestamp,
    /// When a volunteer reported it set on the safe.
    pub activated_at: Option<Timestamp>,
    /// When it stopped being valid.
    pub retired_at: Option<Timestamp>,
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Code")
            .field("id", &self.id)
            .field("safe", &self.safe)
            .field("value", &"****")
            .field("state", &self.state)
            .field("created_at", &self.created_at)
            .field("activated_at", &self.activated_at)
            .field("retired_at", &self.retired_at)
            .finish()
    }
}

/// A home-care service is active at a building; this is what lets its carers see the safe.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceActivity {
    /// The home-care service.
    pub service: OrgId,
    /// The building where it helps a client.
    pub building: BuildingId,
    /// Since when.
    pub since: Date,
    /// Last time the service confirmed it is still active there (asked every 6 months).
    pub confirmed_on: Option<Date>,
}

/// Why a volunteer could not change a code on site ("Niet gelukt").
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ChangeFailure {
    /// The safe is broken ("defect"): the housing company must repair or replace it.
    Broken,
    /// The key is not in the safe ("verdwenen sleutel"): the housing company must bring one.
    KeyMissing,
    /// The volunteer could not reach the safe (door locked, works, ...); try again later.
    NoAccess,
    /// Anything else; the note says what.
    Other,
}

string_enum!(ChangeFailure, "failure reason", {
    Broken => "broken",
    KeyMissing => "key_missing",
    NoAccess => "no_access",
    Other => "other",
});

impl ChangeFailure {
    /// Whether the housing company that owns the building has to act (a repair item).
    pub const fn needs_repair(self) -> bool {
        matches!(self, ChangeFailure::Broken | ChangeFailure::KeyMissing)
    }
}

/// What a carer reports from the door ("Code werkt niet? Meld het").
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DoorProblem {
    /// The code on the phone does not open the safe.
    CodeFails,
    /// The safe is broken.
    Broken,
    /// The key is not in the safe.
    KeyMissing,
    /// The code is known to people who should not have it: the leak flow (rule 4).
    CodeKnown,
    /// Anything else; the note says what.
    Other,
}

string_enum!(DoorProblem, "door problem", {
    CodeFails => "code_fails",
    Broken => "broken",
    KeyMissing => "key_missing",
    CodeKnown => "code_known",
    Other => "other",
});

impl DoorProblem {
    pub const ALL: [DoorProblem; 5] = [
        DoorProblem::CodeFails,
        DoorProblem::Broken,
        DoorProblem::KeyMissing,
        DoorProblem::CodeKnown,
        DoorProblem::Other,
    ];

    /// "Other" says nothing without a note, so it must have one.
    pub const fn needs_note(self) -> bool {
        matches!(self, DoorProblem::Other)
    }

    /// The repair the owning housing company is asked for at once, if this is one: a broken
    /// safe or a missing key waits on nobody's triage (the resident needs care today).
    pub const fn repair(self) -> Option<ChangeFailure> {
        match self {
            DoorProblem::Broken => Some(ChangeFailure::Broken),
            DoorProblem::KeyMissing => Some(ChangeFailure::KeyMissing),
            _ => None,
        }
    }
}

/// What started a campaign.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CampaignKind {
    /// The six-monthly change (rule 3), or a first code for newly installed safes (rule 2).
    Rotation,
    /// One safe whose code leaked (rule 4): due within 5 working days.
    Urgent,
}

string_enum!(CampaignKind, "campaign kind", {
    Rotation => "rotation",
    Urgent => "urgent",
});

/// Where one safe of a campaign stands.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    /// In a later wave: no new code yet, not in a round.
    Waiting,
    /// Has a new (pending) code and waits for a volunteer.
    Open,
    /// A volunteer set the new code: it is the current code now.
    Done,
    /// A volunteer could not set it; the pending code stays, so a retry can still succeed.
    Failed,
    /// Dropped before it was done (e.g. a leak started an urgent change of the same safe).
    Cancelled,
}

string_enum!(ItemStatus, "item status", {
    Waiting => "waiting",
    Open => "open",
    Done => "done",
    Failed => "failed",
    Cancelled => "cancelled",
});
