//! Talking to the sync server: request bodies and the interpretation of its answers are
//! pure functions (tested on the host); the HTTP call itself is in `platform`.

use kluis_api::auth::{LoginRequest, LoginResponse};
use kluis_api::{ErrorBody, ErrorCode};

use super::i18n::{Key, Lang, Msg, say, t};
use super::session::Session;
use crate::platform::{self, NetError};

/// Why signing in did not work. Rendered in the current language by [`LoginError::message`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoginError {
    /// The form was not filled in.
    MissingFields,
    /// The server refused with a JSON error (wrong password, rate limited, ...): its code
    /// is said in the user's words.
    Rejected { code: ErrorCode },
    /// The server could not be reached.
    Network,
    /// The server did not answer in time.
    Timeout,
    /// The server answered something the app does not understand.
    Unexpected { status: u16 },
}

impl LoginError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            LoginError::MissingFields => t(lang, Key::ErrorMissingFields).to_string(),
            LoginError::Rejected {
                code: ErrorCode::InvalidCredentials,
                ..
            } => t(lang, Key::ErrorInvalidCredentials).to_string(),
            LoginError::Rejected {
                code: ErrorCode::RateLimited,
                ..
            } => t(lang, Key::ErrorRateLimited).to_string(),
            LoginError::Rejected { .. } => t(lang, Key::ErrorRefused).to_string(),
            LoginError::Network => t(lang, Key::ErrorNetwork).to_string(),
            LoginError::Timeout => t(lang, Key::ErrorTimeout).to_string(),
            LoginError::Unexpected { status } => say(
                lang,
                Msg::ErrorUnexpected {
                    status: (*status).into(),
                },
            ),
        }
    }

    /// True when the password (not the connection) was the problem.
    pub fn is_credentials(&self) -> bool {
        matches!(
            self,
            LoginError::Rejected {
                code: ErrorCode::InvalidCredentials,
                ..
            }
        )
    }
}

/// JSON body for `POST /api/login`.
pub fn login_request_body(login: &str, password: &str, device_name: &str) -> String {
    let request = LoginRequest {
        login: login.to_string(),
        password: password.to_string(),
        device_name: Some(device_name.to_string()),
    };
    serde_json::to_string(&request).unwrap_or_default()
}

/// Interprets the answer to `POST /api/login`.
pub fn interpret_login_response(status: u16, body: &str) -> Result<Session, LoginError> {
    if (200..300).contains(&status) {
        return serde_json::from_str::<LoginResponse>(body)
            .map(Session::from)
            .map_err(|_| LoginError::Unexpected { status });
    }
    match serde_json::from_str::<ErrorBody>(body) {
        Ok(error) => Err(LoginError::Rejected { code: error.code }),
        _ => Err(LoginError::Unexpected { status }),
    }
}

/// Signs in with the server the app was loaded from.
pub async fn login(login: &str, password: &str, device_name: &str) -> Result<Session, LoginError> {
    let login = login.trim();
    if login.is_empty() || password.is_empty() {
        return Err(LoginError::MissingFields);
    }
    let body = login_request_body(login, password, device_name);
    match platform::post_json(kluis_api::paths::LOGIN, &body, None).await {
        Ok(response) => interpret_login_response(response.status, &response.body),
        Err(NetError::Timeout) => Err(LoginError::Timeout),
        Err(NetError::Failed(_)) => Err(LoginError::Network),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_the_login_body() {
        let body = login_request_body("carer.wgk.1", "p\"w", "iPhone · Safari");
        let value: serde_json::Value = serde_json::from_str(&body).expect("json");
        assert_eq!(value["login"], "carer.wgk.1");
        assert_eq!(value["password"], "p\"w");
        assert_eq!(value["device_name"], "iPhone · Safari");
    }

    #[test]
    fn says_a_wrong_password_in_the_users_language() {
        let error = interpret_login_response(
            401,
            r#"{"code":"invalid_credentials","message":"Gebruikersnaam of wachtwoord klopt niet."}"#,
        )
        .expect_err("401 is an error");
        assert!(error.is_credentials());
        assert_eq!(
            error.message(Lang::En),
            "Unknown username or wrong password."
        );
        assert_eq!(
            error.message(Lang::Nl),
            "Onbekende gebruikersnaam of fout wachtwoord."
        );
    }

    #[test]
    fn rate_limits_and_garbage_are_errors_not_panics() {
        let limited =
            interpret_login_response(429, r#"{"code":"rate_limited","message":"Wacht even."}"#);
        assert_eq!(
            limited,
            Err(LoginError::Rejected {
                code: ErrorCode::RateLimited,
            })
        );
        // Whatever the server writes, the app says the code in its own words.
        let other = interpret_login_response(403, r#"{"code":"forbidden","message":"Nee."}"#)
            .expect_err("403");
        assert!(!other.message(Lang::En).contains("Nee"));
        assert_eq!(
            interpret_login_response(502, "<html>Bad gateway</html>"),
            Err(LoginError::Unexpected { status: 502 })
        );
        assert_eq!(
            interpret_login_response(200, "{}"),
            Err(LoginError::Unexpected { status: 200 })
        );
        assert!(
            LoginError::Unexpected { status: 502 }
                .message(Lang::Nl)
                .contains("502")
        );
    }

    #[test]
    fn accepts_a_valid_session() {
        let (d, p, o) = ("1".repeat(32), "2".repeat(32), "3".repeat(32));
        let body = format!(
            r#"{{"token":"t","device_id":"{d}","person":{{"id":"{p}","name":"An","login":"an",
            "role":"carer","organisation":{{"id":"{o}","name":"Wit-Gele Kruis",
            "kind":"care_service"}}}},"session_ends_at":0}}"#
        );
        let session = interpret_login_response(200, &body).expect("valid");
        assert_eq!(session.person.name, "An");
        assert_eq!(session.person.role, kluis_domain::model::Role::Carer);
        let guessed = body.replace(r#""role":"carer""#, r#""role":"caregiver""#);
        assert_eq!(
            interpret_login_response(200, &guessed),
            Err(LoginError::Unexpected { status: 200 }),
            "no guessing of role spellings"
        );
    }

    #[test]
    fn empty_fields_are_refused_before_any_network_call() {
        let result = futures_lite_block_on(login("  ", "x", "d"));
        assert_eq!(result, Err(LoginError::MissingFields));
        let result = futures_lite_block_on(login("carer", "", "d"));
        assert_eq!(result, Err(LoginError::MissingFields));
    }

    /// Polls a future that completes without waiting (no executor needed).
    fn futures_lite_block_on<F: std::future::Future>(future: F) -> F::Output {
        use std::task::{Context, Poll, Waker};
        let mut future = std::pin::pin!(future);
        let mut cx = Context::from_waker(Waker::noop());
        match future.as_mut().poll(&mut cx) {
            Poll::Ready(output) => output,
            Poll::Pending => panic!("future was expected to complete immediately"),
        }
    }
}
