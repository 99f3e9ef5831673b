//! [`AppError`]: why something on the phone did not work, said in the user's words by
//! [`AppError::message`]. The server's `message` is never shown: its code and problem are.

use kluis_api::error::Problem;
use kluis_api::{ErrorBody, ErrorCode};

use super::i18n::{Key, Lang, Msg, say, t};
use crate::platform::NetError;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AppError {
    /// The vault is locked or holds no session: nothing to act for.
    #[error("locked")]
    Locked,
    /// No network, or the server could not be reached.
    #[error("offline")]
    Offline,
    #[error("timed out")]
    Timeout,
    /// The server refused: its code and, where it sent one, what exactly.
    #[error("refused: {code:?}")]
    Rejected {
        status: u16,
        code: ErrorCode,
        problem: Option<Problem>,
    },
    /// An answer the app does not understand.
    #[error("unexpected answer (HTTP {status})")]
    Unexpected { status: u16 },
    /// Storing or reading this device's data failed.
    #[error("local data: {0}")]
    Local(String),
}

impl AppError {
    /// Reads a non-2xx answer.
    pub fn from_answer(status: u16, body: &str) -> Self {
        match serde_json::from_str::<ErrorBody>(body) {
            Ok(error) => AppError::Rejected {
                status,
                code: error.code,
                problem: error.problem,
            },
            Err(_) => AppError::Unexpected { status },
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        match self {
            AppError::Locked => t(lang, Key::Locked).to_string(),
            AppError::Offline => t(lang, Key::ErrorNetwork).to_string(),
            AppError::Timeout => t(lang, Key::ErrorTimeout).to_string(),
            AppError::Rejected {
                problem: Some(Problem::RoundLimit { max }),
                ..
            } => say(lang, Msg::RoundLimit { n: (*max).into() }),
            AppError::Rejected { code, .. } => match code {
                ErrorCode::RoundTaken => t(lang, Key::RoundTaken).to_string(),
                ErrorCode::RateLimited | ErrorCode::SyncBusy => {
                    t(lang, Key::ErrorRateLimited).to_string()
                }
                _ => t(lang, Key::ErrorRefused).to_string(),
            },
            AppError::Unexpected { status } => say(
                lang,
                Msg::ErrorAnswer {
                    status: (*status).into(),
                },
            ),
            AppError::Local(reason) => say(lang, Msg::RecordFailed { reason }),
        }
    }
}

impl From<NetError> for AppError {
    fn from(error: NetError) -> Self {
        match error {
            NetError::Timeout => AppError::Timeout,
            NetError::Failed(_) => AppError::Offline,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_are_said_from_their_code_never_the_servers_words() {
        let limit = AppError::from_answer(
            409,
            r#"{"code":"round_limit","message":"round_limit","problem":{"kind":"round_limit","max":2}}"#,
        );
        assert_eq!(
            limit.message(Lang::Nl),
            "Je hebt al 2 rondes met werk. Rond er eerst een af, of vraag de coördinator om meer."
        );
        let taken = AppError::from_answer(409, r#"{"code":"round_taken","message":"Al genomen"}"#);
        assert!(!taken.message(Lang::En).contains("Al genomen"));
        assert_eq!(
            AppError::from_answer(502, "bad gateway"),
            AppError::Unexpected { status: 502 }
        );
        assert!(
            AppError::Unexpected { status: 502 }
                .message(Lang::En)
                .contains("502")
        );
    }
}
