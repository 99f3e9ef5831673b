//! Activating an account with a one-time code: the chosen password is checked here with the
//! domain's rule first (the person hears at once what is wrong), then by the server, which
//! also knows the login it must not look like.

use kluis_api::error::{PasswordReason, Problem};
use kluis_api::people::{ActivateRequest, Activated};
use kluis_api::{ErrorBody, ErrorCode};
use kluis_domain::accounts::{
    ActivationCode, PASSWORD_MIN_CHARS, PasswordProblem, check_new_password,
};

use super::i18n::{Key, Lang, Msg, say, t};
use crate::platform::{self, NetError};

/// Why an activation did not go through.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ActivationError {
    /// The code is not one that could exist, or the server says it is unknown, used or expired.
    Code,
    PasswordsDiffer,
    Password(PasswordReason),
    RateLimited,
    Network,
    Timeout,
    Unexpected {
        status: u16,
    },
}

impl ActivationError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ActivationError::Code => t(lang, Key::ErrorActivationCode).into(),
            ActivationError::PasswordsDiffer => t(lang, Key::ErrorPasswordsDiffer).into(),
            ActivationError::Password(PasswordReason::TooShort) => say(
                lang,
                Msg::ErrorPasswordShort {
                    min: PASSWORD_MIN_CHARS.into(),
                },
            ),
            ActivationError::Password(PasswordReason::TooLong) => {
                t(lang, Key::ErrorPasswordTooLong).into()
            }
            ActivationError::Password(PasswordReason::LikeLogin) => {
                t(lang, Key::ErrorPasswordLikeLogin).into()
            }
            ActivationError::Password(_) => t(lang, Key::ErrorPasswordCommon).into(),
            ActivationError::RateLimited => t(lang, Key::ErrorRateLimited).into(),
            ActivationError::Network => t(lang, Key::ErrorNetwork).into(),
            ActivationError::Timeout => t(lang, Key::ErrorTimeout).into(),
            ActivationError::Unexpected { status } => say(
                lang,
                Msg::ErrorAnswer {
                    status: (*status).into(),
                },
            ),
        }
    }

    /// Whether the code (not the password) was the problem.
    pub fn is_code(&self) -> bool {
        *self == ActivationError::Code
    }
}

/// The checks before anything is sent: a code that could exist, the same password twice,
/// and the domain's password rule.
pub fn check_form(
    code: &str,
    password: &str,
    repeat: &str,
) -> Result<ActivationCode, ActivationError> {
    let code = ActivationCode::parse(code).ok_or(ActivationError::Code)?;
    check_new_password(password, "", "").map_err(|p| {
        ActivationError::Password(match p {
            PasswordProblem::TooShort => PasswordReason::TooShort,
            PasswordProblem::TooLong => PasswordReason::TooLong,
            PasswordProblem::Common => PasswordReason::Common,
            PasswordProblem::LikeLogin => PasswordReason::LikeLogin,
        })
    })?;
    if password != repeat {
        return Err(ActivationError::PasswordsDiffer);
    }
    Ok(code)
}

/// Interprets the answer to `POST /api/activate`.
pub fn interpret(status: u16, body: &str) -> Result<Activated, ActivationError> {
    if (200..300).contains(&status) {
        return serde_json::from_str(body).map_err(|_| ActivationError::Unexpected { status });
    }
    let Ok(error) = serde_json::from_str::<ErrorBody>(body) else {
        return Err(ActivationError::Unexpected { status });
    };
    Err(match (error.code, error.problem) {
        (_, Some(Problem::WeakPassword { reason, .. })) => ActivationError::Password(reason),
        (_, Some(Problem::ActivationCode)) => ActivationError::Code,
        (ErrorCode::RateLimited, _) => ActivationError::RateLimited,
        _ => ActivationError::Unexpected { status },
    })
}

/// Activates the account; the answer names the login to sign in with.
pub async fn activate(code: &ActivationCode, password: &str) -> Result<Activated, ActivationError> {
    let body = serde_json::to_string(&ActivateRequest {
        code: code.as_str().to_owned(),
        password: password.to_owned(),
    })
    .map_err(|_| ActivationError::Unexpected { status: 0 })?;
    match platform::post_json(kluis_api::paths::ACTIVATE, &body, None).await {
        Ok(response) => interpret(response.status, &response.body),
        Err(NetError::Timeout) => Err(ActivationError::Timeout),
        Err(NetError::Failed(_)) => Err(ActivationError::Network),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_is_checked_before_it_is_sent() {
        let good = "paard-batterij-nietje";
        assert!(check_form("7kqm 3xwd pt9a", good, good).is_ok());
        assert_eq!(
            check_form("7KQM-3XWD", good, good),
            Err(ActivationError::Code)
        );
        assert_eq!(
            check_form("7KQM-3XWD-PT9A", "kort", "kort"),
            Err(ActivationError::Password(PasswordReason::TooShort))
        );
        assert_eq!(
            check_form("7KQM-3XWD-PT9A", good, "paard-batterij"),
            Err(ActivationError::PasswordsDiffer)
        );
        assert!(
            ActivationError::Password(PasswordReason::TooShort)
                .message(Lang::Nl)
                .contains("12 tekens")
        );
    }

    #[test]
    fn the_servers_refusals_are_said_in_words() {
        let weak = r#"{"code":"invalid","message":"refused","problem":{"kind":"weak_password","reason":"like_login","min":12}}"#;
        assert_eq!(
            interpret(422, weak),
            Err(ActivationError::Password(PasswordReason::LikeLogin))
        );
        let used = r#"{"code":"invalid","message":"refused","problem":{"kind":"activation_code"}}"#;
        let err = interpret(422, used).expect_err("refused");
        assert!(err.is_code());
        assert!(err.message(Lang::En).contains("Ask your administrator"));
        let ok = interpret(200, r#"{"login":"lotte","name":"Lotte"}"#).expect("activated");
        assert_eq!(ok.login, "lotte");
        assert_eq!(
            interpret(502, "<html>"),
            Err(ActivationError::Unexpected { status: 502 })
        );
    }
}
