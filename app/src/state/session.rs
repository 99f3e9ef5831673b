//! The signed-in person and their session, in the contract's types (`kluis_api::auth`).

use std::fmt;

use kluis_api::auth::LoginResponse;
use kluis_domain::ids::DeviceId;
use kluis_domain::model::{OrgKind, Role};

use super::i18n::{Key, Lang, t};

pub use kluis_api::auth::{Organisation, Person};

/// The bearer token. Its `Debug` output never shows the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// A token the server handed over (at sign-in, or a sync's successor).
    pub fn new(token: String) -> Self {
        Token(token)
    }

    /// The secret itself, for the `Authorization` header.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(…)")
    }
}

/// What the device keeps of a sign-in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub token: Token,
    pub device_id: DeviceId,
    pub person: Person,
}

impl From<LoginResponse> for Session {
    fn from(login: LoginResponse) -> Self {
        Session {
            token: Token::new(login.token),
            device_id: login.device_id,
            person: login.person,
        }
    }
}

/// The role in the user's words.
pub fn role_label(role: Role, lang: Lang) -> &'static str {
    t(
        lang,
        match role {
            Role::Coordinator => Key::RoleCoordinator,
            Role::Carer => Key::RoleCarer,
            Role::ServiceAdmin => Key::RoleServiceAdmin,
            Role::Volunteer => Key::RoleVolunteer,
            Role::HousingStaff => Key::RoleHousingStaff,
        },
    )
}

/// The kind of organisation in the user's words.
pub fn organisation_kind_label(kind: OrgKind, lang: Lang) -> &'static str {
    t(
        lang,
        match kind {
            OrgKind::CareService => Key::OrgCareService,
            OrgKind::HousingCompany => Key::OrgHousingCompany,
            OrgKind::CoordinatorOffice => Key::OrgCoordination,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use kluis_domain::ids::{OrgId, PersonId};
    use kluis_domain::time::Timestamp;

    fn login() -> LoginResponse {
        LoginResponse {
            token: "secret-token".into(),
            device_id: DeviceId::from_bytes([1; 16]),
            person: Person {
                id: PersonId::from_bytes([2; 16]),
                name: "An Peeters".into(),
                login: "carer.wgk.1".into(),
                role: Role::Carer,
                organisation: Organisation {
                    id: OrgId::from_bytes([3; 16]),
                    name: "Wit-Gele Kruis".into(),
                    kind: OrgKind::CareService,
                },
            },
            session_ends_at: Timestamp::from_millis(0),
        }
    }

    #[test]
    fn a_login_becomes_a_session_whose_debug_hides_the_token() {
        let session = Session::from(login());
        assert_eq!(session.token.expose(), "secret-token");
        assert_eq!(session.person.organisation.name, "Wit-Gele Kruis");
        let debug = format!("{session:?}");
        assert!(!debug.contains("secret-token"), "{debug}");
    }

    #[test]
    fn roles_and_kinds_are_shown_in_words() {
        assert_eq!(role_label(Role::Carer, Lang::Nl), "Zorgverlener");
        assert_eq!(role_label(Role::Coordinator, Lang::En), "Coordinator");
        assert_eq!(
            role_label(Role::ServiceAdmin, Lang::Nl),
            "Beheerder van de thuiszorgdienst"
        );
        assert_eq!(
            organisation_kind_label(OrgKind::CareService, Lang::Nl),
            "Thuiszorgdienst"
        );
    }
}
