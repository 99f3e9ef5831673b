//! The coordinator's calls. Interpreting an answer is pure (tested below); the exchange
//! itself goes through `platform`. The desktop is online-only: every failure becomes a
//! [`DeskError`] the screen can say in words, never a panic or an empty table.

use kluis_api::error::Problem;
use kluis_api::{ErrorBody, ErrorCode};
use serde::de::DeserializeOwned;

use super::super::i18n::{DeskKey, DeskMsg, Lang, say, t};
use super::problem::problem_text;
use crate::platform::{self, HttpResponse, NetError};

/// Why a coordinator screen could not show or do what was asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeskError {
    /// The browser says it is offline, or the server could not be reached.
    Offline,
    Timeout,
    /// The vault holds no session (locked in between): unlock again.
    NoSession,
    /// 401 / 410: the login is no longer valid on the server.
    SignedOut,
    /// The server refused: its code and, for `invalid`, what exactly (the app's words
    /// for both; the server's `message` is for logs).
    Rejected {
        status: u16,
        code: ErrorCode,
        problem: Option<Problem>,
    },
    /// An answer the app does not understand.
    Unexpected {
        status: u16,
    },
}

impl DeskError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            DeskError::Offline => t(lang, DeskKey::ErrOffline).to_string(),
            DeskError::Timeout => t(lang, DeskKey::ErrTimeout).to_string(),
            DeskError::NoSession => t(lang, DeskKey::ErrNoSession).to_string(),
            DeskError::SignedOut => t(lang, DeskKey::ErrSignedOut).to_string(),
            DeskError::Rejected {
                problem: Some(problem),
                ..
            } => problem_text(lang, problem),
            DeskError::Rejected { code, .. } => match code {
                ErrorCode::Forbidden => t(lang, DeskKey::ErrForbidden).to_string(),
                ErrorCode::NotFound => t(lang, DeskKey::ErrNotFound).to_string(),
                ErrorCode::RateLimited | ErrorCode::SyncBusy => {
                    t(lang, DeskKey::ErrBusy).to_string()
                }
                ErrorCode::Internal => t(lang, DeskKey::ErrServer).to_string(),
                ErrorCode::Unavailable => t(lang, DeskKey::ErrUnavailable).to_string(),
                ErrorCode::Conflict | ErrorCode::RoundTaken => {
                    t(lang, DeskKey::ErrConflict).to_string()
                }
                _ => t(lang, DeskKey::ErrRefused).to_string(),
            },
            DeskError::Unexpected { status } => say(
                lang,
                DeskMsg::ErrUnexpected {
                    status: (*status).into(),
                },
            ),
        }
    }
}

/// Reads an answer: 2xx bodies as `T`, errors as the server's message.
pub fn interpret<T: DeserializeOwned>(status: u16, body: &str) -> Result<T, DeskError> {
    if (200..300).contains(&status) {
        return serde_json::from_str(body).map_err(|_| DeskError::Unexpected { status });
    }
    if status == 401 || status == 410 {
        return Err(DeskError::SignedOut);
    }
    match serde_json::from_str::<ErrorBody>(body) {
        Ok(error) => Err(DeskError::Rejected {
            status,
            code: error.code,
            problem: error.problem,
        }),
        _ => Err(DeskError::Unexpected { status }),
    }
}

fn net(error: NetError) -> DeskError {
    match error {
        NetError::Timeout => DeskError::Timeout,
        NetError::Failed(_) => DeskError::Offline,
    }
}

fn answer<T: DeserializeOwned>(result: Result<HttpResponse, NetError>) -> Result<T, DeskError> {
    let response = result.map_err(net)?;
    interpret(response.status, &response.body)
}

/// GETs `path` with the coordinator's token.
pub async fn get<T: DeserializeOwned>(token: Option<String>, path: &str) -> Result<T, DeskError> {
    let token = token.ok_or(DeskError::NoSession)?;
    if !platform::is_online() {
        return Err(DeskError::Offline);
    }
    answer(platform::get_json(path, Some(&token)).await)
}

/// POSTs the JSON `body` to `path` with the coordinator's token.
pub async fn post<T: DeserializeOwned>(
    token: Option<String>,
    path: &str,
    body: &str,
) -> Result<T, DeskError> {
    let token = token.ok_or(DeskError::NoSession)?;
    if !platform::is_online() {
        return Err(DeskError::Offline);
    }
    answer(platform::post_json(path, body, Some(&token)).await)
}

/// Sends the JSON `body` to `path` with `method` (`PUT`, `DELETE`) and the coordinator's token.
pub async fn send<T: DeserializeOwned>(
    token: Option<String>,
    method: &str,
    path: &str,
    body: &str,
) -> Result<T, DeskError> {
    let token = token.ok_or(DeskError::NoSession)?;
    if !platform::is_online() {
        return Err(DeskError::Offline);
    }
    answer(platform::send_json(method, path, body, Some(&token)).await)
}

/// A path segment from an id typed or pasted by the user: only what ids are made of, so a
/// stray `/` or `?` cannot reach another endpoint.
pub fn id_segment(id: &str) -> Option<String> {
    let id = id.trim();
    let ok = !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    ok.then(|| id.to_string())
}

/// The body of `POST /api/admin/campaigns`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SelectionChoice {
    All,
    HousingCompany(String),
    District(String),
    Safes(Vec<String>),
}

/// Builds the campaign request, or says which field is missing.
pub fn campaign_request(
    name: &str,
    selection: &SelectionChoice,
    due_on: &str,
) -> Result<String, DeskKey> {
    let name = name.trim();
    if name.is_empty() {
        return Err(DeskKey::NeedName);
    }
    let selection = match selection {
        SelectionChoice::All => serde_json::json!({ "kind": "all" }),
        SelectionChoice::HousingCompany(org) if org.trim().is_empty() => {
            return Err(DeskKey::NeedCompany);
        }
        SelectionChoice::HousingCompany(org) => {
            serde_json::json!({ "kind": "housing_company", "org_id": org.trim() })
        }
        SelectionChoice::District(d) if d.trim().is_empty() => return Err(DeskKey::NeedDistrict),
        SelectionChoice::District(d) => {
            serde_json::json!({ "kind": "district", "district": d.trim() })
        }
        SelectionChoice::Safes(ids) if ids.is_empty() => return Err(DeskKey::NeedSafes),
        SelectionChoice::Safes(ids) => {
            let ids = ids
                .iter()
                .map(|id| id.parse::<kluis_domain::ids::SafeId>())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|_| DeskKey::BadSafeId)?;
            serde_json::json!({ "kind": "safes", "safe_ids": ids })
        }
    };
    let due = due_on.trim();
    let due = (!due.is_empty()).then_some(due);
    Ok(serde_json::json!({ "name": name, "selection": selection, "due_on": due }).to_string())
}

/// Safe ids from a pasted list: one per line, or separated by commas, semicolons or spaces.
pub fn split_ids(input: &str) -> Vec<String> {
    let mut ids: Vec<String> = input
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    ids.dedup();
    ids
}

#[cfg(test)]
mod tests {
    use super::super::{CampaignRow, DueList};
    use super::*;

    #[test]
    fn errors_carry_the_servers_code_and_problem() {
        let body = r#"{"code":"invalid","message":"refused","problem":{"kind":"text_length","field":"district","min":1,"max":200}}"#;
        let err = interpret::<DueList>(422, body);
        assert_eq!(
            err,
            Err(DeskError::Rejected {
                status: 422,
                code: ErrorCode::Invalid,
                problem: Some(Problem::TextLength {
                    field: kluis_api::error::Field::District,
                    min: 1,
                    max: 200
                }),
            })
        );
        assert_eq!(
            interpret::<DueList>(410, r#"{"code":"wipe","message":"signed out"}"#),
            Err(DeskError::SignedOut)
        );
        assert_eq!(
            interpret::<DueList>(502, "<html>"),
            Err(DeskError::Unexpected { status: 502 })
        );
        assert_eq!(
            interpret::<Vec<CampaignRow>>(200, "nope"),
            Err(DeskError::Unexpected { status: 200 })
        );
        for e in [
            DeskError::Offline,
            DeskError::Timeout,
            DeskError::Unexpected { status: 500 },
        ] {
            assert!(!e.message(Lang::Nl).is_empty());
            assert!(!e.message(Lang::En).contains('{'));
        }
    }

    #[test]
    fn the_app_says_every_refusal_and_never_the_servers_message() {
        let said = |body: &str| {
            interpret::<DueList>(422, body)
                .expect_err("refused")
                .message(Lang::En)
        };
        assert_eq!(
            said(r#"{"code":"forbidden","message":"Je hebt geen toegang."}"#),
            "You do not have access to this information."
        );
        assert_eq!(
            said(
                r#"{"code":"invalid","message":"refused","problem":{"kind":"text_length","field":"district","min":1,"max":200}}"#
            ),
            "District: give 1 to 200 characters."
        );
        // No problem, or a code from a newer server: generic words, not the server's.
        for body in [
            r#"{"code":"invalid","message":"Geef een wijk op."}"#,
            r#"{"code":"brand_new","message":"Iets nieuws."}"#,
        ] {
            assert_eq!(
                said(body),
                "The server refused this. Check the details and try again."
            );
        }
    }

    #[test]
    fn ids_cannot_escape_their_path() {
        assert_eq!(id_segment(" 3f2a-b9 "), Some("3f2a-b9".into()));
        assert_eq!(id_segment("../admin"), None);
        assert_eq!(id_segment("a?b"), None);
        assert_eq!(id_segment(""), None);
    }

    #[test]
    fn campaign_requests() {
        let body = campaign_request(
            " Voorjaar ",
            &SelectionChoice::District("Rabot".into()),
            "2026-06-30",
        );
        let value: serde_json::Value =
            serde_json::from_str(&body.unwrap_or_default()).unwrap_or_default();
        assert_eq!(value["name"], "Voorjaar");
        assert_eq!(value["selection"]["kind"], "district");
        assert_eq!(value["selection"]["district"], "Rabot");
        assert_eq!(value["due_on"], "2026-06-30");
        let all = campaign_request("x", &SelectionChoice::All, "").unwrap_or_default();
        assert!(all.contains(r#""due_on":null"#), "{all}");
        assert_eq!(
            campaign_request("", &SelectionChoice::All, ""),
            Err(DeskKey::NeedName)
        );
        assert_eq!(
            campaign_request("x", &SelectionChoice::Safes(vec![]), ""),
            Err(DeskKey::NeedSafes)
        );
        assert_eq!(
            campaign_request("x", &SelectionChoice::Safes(vec!["../admin".into()]), ""),
            Err(DeskKey::BadSafeId)
        );
        let id = "AB".repeat(16);
        let body = campaign_request("x", &SelectionChoice::Safes(vec![id]), "").unwrap_or_default();
        assert!(
            body.contains(&"ab".repeat(16)),
            "sent in the server's spelling: {body}"
        );
        assert_eq!(split_ids("a, b;c\nd  e"), vec!["a", "b", "c", "d", "e"]);
    }
}
