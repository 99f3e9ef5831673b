//! People and their access: accounts the coordinator and service admins manage, invitations
//! with one-time activation codes, and the activation itself.

use kluis_domain::ids::{OrgId, PersonId};
use kluis_domain::model::{OrgKind, Role};
use kluis_domain::time::{Date, Timestamp};
use serde::{Deserialize, Serialize};

/// Where a person's account stands.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountState {
    /// Invited: no password chosen yet.
    Invited,
    Active,
    /// Their "valid until" has passed.
    Expired,
    /// Deactivated by an admin; their devices were told to wipe.
    Revoked,
    #[serde(other)]
    Unknown,
}

/// One person of `GET /api/admin/people`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRow {
    pub id: PersonId,
    pub name: String,
    pub login: String,
    pub email: String,
    pub role: Role,
    pub org_id: OrgId,
    pub organisation: String,
    pub org_kind: OrgKind,
    pub state: AccountState,
    /// The last day of access; none: no end.
    pub valid_until: Option<Date>,
    /// Devices enrolled and not revoked.
    pub devices: u32,
    /// The last sync of any of their devices.
    pub last_seen_at: Option<Timestamp>,
    /// An activation code is waiting to be used until then.
    pub invitation_expires_at: Option<Timestamp>,
}

/// `POST /api/admin/people`: a new account, which gets an activation code.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewPerson {
    /// A service admin can only add carers to their own service.
    pub org_id: OrgId,
    pub name: String,
    /// Unique across Kluis, e.g. "an.peeters".
    pub login: String,
    /// Where the invitation goes when e-mail is configured; may be empty.
    pub email: String,
    pub role: Role,
    pub valid_until: Option<Date>,
}

/// `PUT /api/admin/people/{id}`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonEdit {
    pub name: String,
    pub email: String,
    /// None: no end. A day in the past ends their access now.
    pub valid_until: Option<Date>,
}

/// The answer to a new account or `POST /api/admin/people/{id}/invite`: the activation
/// code, shown this once (the server keeps only its hash).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    pub person_id: PersonId,
    pub login: String,
    pub name: String,
    /// `XXXX-XXXX-XXXX`; the link is `/activate?code=` with it.
    pub code: String,
    pub expires_at: Timestamp,
    /// Whether it also went out by e-mail.
    pub email: InvitationEmail,
}

/// Whether an invitation went out by e-mail too.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum InvitationEmail {
    /// No relay configured, or the person has no address.
    NotSent,
    Sent {
        to: String,
    },
    /// The relay did not take it: hand the code over yourself.
    Failed {
        to: String,
    },
    #[serde(other)]
    Unknown,
}

impl std::fmt::Debug for Invitation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Invitation")
            .field("person_id", &self.person_id)
            .field("login", &self.login)
            .field("code", &"…")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// `POST /api/activate`: an activation code and the password the person chose.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivateRequest {
    pub code: String,
    pub password: String,
}

impl std::fmt::Debug for ActivateRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ActivateRequest(…)")
    }
}

/// The answer to an activation: the login to sign in with (the password is the one chosen).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activated {
    pub login: String,
    pub name: String,
}
