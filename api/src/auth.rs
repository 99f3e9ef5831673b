//! Sign-in, who am I, sign-out.

use kluis_domain::ids::{DeviceId, OrgId, PersonId};
use kluis_domain::model::{OrgKind, Role};
use kluis_domain::time::Timestamp;
use serde::{Deserialize, Serialize};

/// `POST /api/login`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub login: String,
    pub password: String,
    /// What the person calls this device, e.g. "Telefoon An"; none for a desktop.
    pub device_name: Option<String>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    pub id: OrgId,
    pub name: String,
    pub kind: OrgKind,
}

/// The signed-in person (`GET /api/me`, and part of the login answer).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: PersonId,
    pub name: String,
    pub login: String,
    pub role: Role,
    pub organisation: Organisation,
}

/// The answer to a successful `POST /api/login`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginResponse {
    /// Bearer token for this device. Shown once; the server keeps only its hash. Every sync
    /// answer carries its successor (header `Kluis-Next-Token`).
    pub token: String,
    pub device_id: DeviceId,
    pub person: Person,
    /// When this sign-in ends, whatever happens: then sign in again.
    pub session_ends_at: Timestamp,
}

impl std::fmt::Debug for LoginResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginResponse")
            .field("token", &"…")
            .field("device_id", &self.device_id)
            .field("person", &self.person)
            .field("session_ends_at", &self.session_ends_at)
            .finish()
    }
}

impl Person {
    /// The answer for a person of the registry and their organisation.
    pub fn of(
        person: &kluis_domain::model::Person,
        org: &kluis_domain::model::Organisation,
    ) -> Self {
        Person {
            id: person.id,
            name: person.name.clone(),
            login: person.login.clone(),
            role: person.role,
            organisation: Organisation {
                id: org.id,
                name: org.name.clone(),
                kind: org.kind,
            },
        }
    }
}
