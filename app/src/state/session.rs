//! The signed-in person and their session, as the sync server describes them.

use std::fmt;

use serde::Deserialize;

use super::i18n::{Key, Lang, t};

/// An identifier from the server. Accepts both JSON strings and numbers, so the app does
/// not break when the server changes its id representation.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Id {
    Text(String),
    Number(i64),
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Id::Text(text) => f.write_str(text),
            Id::Number(number) => write!(f, "{number}"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Organisation {
    pub id: Id,
    pub name: String,
    pub kind: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Person {
    pub id: Id,
    pub name: String,
    pub role: String,
    pub organisation: Organisation,
}

/// The bearer token. Its `Debug` output never shows the secret.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Token(String);

impl Token {
    /// A token the server handed over (a sync's successor).
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

/// Body of a successful `POST /api/login`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Session {
    pub token: Token,
    pub device_id: Id,
    pub person: Person,
}

/// The role in the user's words. Unknown roles are shown as the server sent them.
pub fn role_label(role: &str, lang: Lang) -> String {
    let key = match normalise(role).as_str() {
        "coordinator" | "coordinatie" | "coordinater" => Some(Key::RoleCoordinator),
        "carer" | "caregiver" | "care_worker" | "zorgverlener" => Some(Key::RoleCarer),
        "service_admin" | "admin" | "care_service_admin" | "organisation_admin" => {
            Some(Key::RoleServiceAdmin)
        }
        "volunteer" | "vrijwilliger" => Some(Key::RoleVolunteer),
        "housing_staff" | "housing" | "housing_company_staff" | "staff" => {
            Some(Key::RoleHousingStaff)
        }
        _ => None,
    };
    key.map_or_else(|| role.to_string(), |key| t(lang, key).to_string())
}

/// The kind of organisation in the user's words, if known.
pub fn organisation_kind_label(kind: &str, lang: Lang) -> Option<&'static str> {
    let key = match normalise(kind).as_str() {
        "care_service" | "home_care_service" | "homecare" | "home_care" | "thuiszorgdienst" => {
            Key::OrgCareService
        }
        "housing_company" | "housing" | "maatschappij" => Key::OrgHousingCompany,
        "coordinator_office" | "coordination" | "ocmw" => Key::OrgCoordination,
        "volunteers" | "volunteer_group" | "volunteer" => Key::OrgVolunteers,
        _ => return None,
    };
    Some(t(lang, key))
}

fn normalise(value: &str) -> String {
    value
        .trim()
        .chars()
        .map(|c| match c {
            '-' | ' ' => '_',
            'ö' => 'o',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOGIN_OK: &str = r#"{
        "token": "secret-token",
        "device_id": "dev-1",
        "person": {
            "id": 7,
            "name": "An Peeters",
            "role": "carer",
            "organisation": {"id": "org-wgk", "name": "Wit-Gele Kruis", "kind": "care_service"}
        }
    }"#;

    #[test]
    fn parses_the_login_response() {
        let session: Session = serde_json::from_str(LOGIN_OK).expect("valid login response");
        assert_eq!(session.token.expose(), "secret-token");
        assert_eq!(session.device_id.to_string(), "dev-1");
        assert_eq!(session.person.id, Id::Number(7));
        assert_eq!(session.person.name, "An Peeters");
        assert_eq!(session.person.organisation.name, "Wit-Gele Kruis");
    }

    #[test]
    fn token_debug_output_hides_the_secret() {
        let session: Session = serde_json::from_str(LOGIN_OK).expect("valid login response");
        let debug = format!("{session:?}");
        assert!(!debug.contains("secret-token"), "{debug}");
    }

    #[test]
    fn roles_and_kinds_are_shown_in_words() {
        assert_eq!(role_label("carer", Lang::Nl), "Zorgverlener");
        assert_eq!(role_label("Coordinator", Lang::En), "Coordinator");
        assert_eq!(
            role_label("service-admin", Lang::Nl),
            "Beheerder van de thuiszorgdienst"
        );
        assert_eq!(role_label("astronaut", Lang::Nl), "astronaut");
        assert_eq!(
            organisation_kind_label("care_service", Lang::Nl),
            Some("Thuiszorgdienst")
        );
        assert_eq!(organisation_kind_label("unknown", Lang::Nl), None);
    }
}
