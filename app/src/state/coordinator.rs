//! The coordinator's desktop, without the browser: the server's answers as typed structs,
//! sorting and filtering of the tables, CSV building and the geometry of the progress chart.
//! The screens in `views/coordinator/` only draw what these functions return.
//!
//! The structs mirror `sync-server/src/db/reports.rs` and `db/campaigns.rs`. Every field has
//! a default so an older or newer server that adds or drops a field still shows its tables.

use kluis_domain::freshness::brussels_offset_minutes;
use kluis_domain::time::Timestamp;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::i18n::Lang;
use super::i18n_desk::{DeskKey, text};

/// A campaign with its progress, as `GET /api/admin/campaigns` lists it.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct CampaignRow {
    pub id: String,
    pub name: String,
    /// `rotation` or `urgent`.
    pub kind: String,
    pub selection: String,
    pub created_at: i64,
    pub created_by: String,
    pub due_on: Option<String>,
    pub safes: u32,
    pub waiting: u32,
    pub open: u32,
    pub done: u32,
    pub failed: u32,
    pub cancelled: u32,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct WaveProgress {
    pub wave: u32,
    pub safes: u32,
    pub waiting: u32,
    pub open: u32,
    pub done: u32,
    pub failed: u32,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct RoundSummary {
    pub id: String,
    pub name: String,
    pub ordinal: u32,
    pub district: String,
    pub wave: u32,
    pub campaign_id: String,
    pub campaign_name: String,
    pub campaign_kind: String,
    pub due_on: Option<String>,
    pub volunteer_id: Option<String>,
    pub volunteer_name: Option<String>,
    pub safes: u32,
    pub open: u32,
    pub done: u32,
    pub failed: u32,
    pub streets: Vec<String>,
}

/// `GET /api/admin/campaigns/{id}`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct CampaignDetail {
    #[serde(flatten)]
    pub campaign: CampaignRow,
    pub waves: Vec<WaveProgress>,
    pub rounds: Vec<RoundSummary>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct DueSafe {
    pub safe_id: String,
    pub address: String,
    pub district: String,
    pub owner: String,
    pub status: String,
    pub due_on: String,
    /// `first_code`, `leak` or `rotation`.
    pub reason: String,
    pub campaign_id: Option<String>,
}

/// `GET /api/admin/due`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct DueList {
    pub today: String,
    pub overdue: Vec<DueSafe>,
    pub this_week: Vec<DueSafe>,
    pub this_month: Vec<DueSafe>,
}

/// One model's code space, from `GET /api/admin/code-space`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct ModelSpace {
    pub model_id: String,
    pub model: String,
    pub safes: u32,
    pub in_use: u64,
    pub quarantined: u64,
    pub usable: u64,
    pub remaining: u64,
    pub summary_nl: String,
    pub summary_en: String,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct CodeEvent {
    pub code_id: String,
    pub state: String,
    pub created_at: i64,
    pub activated_at: Option<i64>,
    pub retired_at: Option<i64>,
    pub campaign_id: Option<String>,
    pub campaign_name: Option<String>,
    pub confirmed_by: Option<String>,
    pub confirmed_at: Option<i64>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct ChangeRecord {
    pub id: String,
    pub campaign_id: String,
    pub volunteer: String,
    /// `set` or `failed`.
    pub outcome: String,
    pub reason: Option<String>,
    pub note: String,
    pub at: i64,
    pub recorded_at: i64,
}

/// `GET /api/admin/safes/{id}/history`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct SafeHistory {
    pub safe_id: String,
    pub status: String,
    pub leak_reported_on: Option<String>,
    pub codes: Vec<CodeEvent>,
    pub records: Vec<ChangeRecord>,
}

/// One line of `GET /api/admin/repairs`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct RepairRow {
    pub id: String,
    pub safe_id: String,
    pub address: String,
    pub owner_id: String,
    pub owner: String,
    /// `broken` or `key_missing`.
    pub reason: String,
    pub note: String,
    pub reported_by: Option<String>,
    pub created_at: i64,
    pub resolved_at: Option<i64>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct SkippedSafe {
    pub safe_id: String,
    pub reason: String,
    pub message_nl: String,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct WaveOut {
    pub wave: u32,
    pub safes: u64,
    pub with_codes: u64,
    pub after_quarantine: bool,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct RoundOut {
    pub id: String,
    pub name: String,
    pub district: String,
    pub wave: u32,
    pub safes: u64,
    pub streets: Vec<String>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct SpaceWarning {
    pub model_id: String,
    pub in_use: u64,
    pub usable: u64,
    pub needed: u64,
    pub waves: u64,
    pub message_nl: String,
    pub message_en: String,
}

/// What planning did: the waves and why, with the numbers (`next-wave`, and part of a new
/// campaign's answer).
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct Planned {
    pub waves: Vec<WaveOut>,
    pub rounds: Vec<RoundOut>,
    pub code_space: Vec<SpaceWarning>,
    pub message_nl: String,
    pub message_en: String,
}

impl Planned {
    pub fn message(&self, lang: Lang) -> &str {
        pick(lang, &self.message_nl, &self.message_en)
    }
}

impl SpaceWarning {
    pub fn message(&self, lang: Lang) -> &str {
        pick(lang, &self.message_nl, &self.message_en)
    }
}

/// `POST /api/admin/campaigns`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct CampaignCreated {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub due_on: Option<String>,
    pub selected: u64,
    pub included: u64,
    pub skipped: Vec<SkippedSafe>,
    #[serde(flatten)]
    pub planned: Planned,
}

/// `POST /api/admin/safes/{id}/leaked`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct LeakReported {
    pub safe_id: String,
    pub reported_on: String,
    pub due_on: String,
    pub cancelled_campaign: Option<String>,
    pub campaign: CampaignCreated,
}

/// The Dutch text, or the English one when the user switched and the server sent one.
fn pick<'a>(lang: Lang, nl: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::En if !en.trim().is_empty() => en,
        _ => nl,
    }
}

mod api;
mod csv;
mod due;
mod geometry;
mod settings;

pub use api::*;
pub use csv::*;
pub use due::*;
pub use geometry::*;
pub use settings::*;

/// A timestamp (ms) as Belgian civil time, "2026-03-02 14:05".
pub fn format_time(millis: i64) -> String {
    let t = Timestamp::from_millis(millis);
    let local = t.plus_millis(i64::from(brussels_offset_minutes(t)) * 60_000);
    let date = local.date_utc();
    let minutes = local.millis().rem_euclid(86_400_000) / 60_000;
    format!("{date} {:02}:{:02}", minutes / 60, minutes % 60)
}

/// Parses a JSON answer; `None` when it is not what the app expects.
pub fn parse<T: DeserializeOwned>(body: &str) -> Option<T> {
    serde_json::from_str(body).ok()
}

/// The user's words for a server code such as `rotation` or `key_missing`.
pub fn label(lang: Lang, code: &str) -> String {
    let key = match code {
        "rotation" => DeskKey::KindRotation,
        "urgent" => DeskKey::KindUrgent,
        "first_code" => DeskKey::ReasonFirstCode,
        "leak" => DeskKey::ReasonLeak,
        "broken" => DeskKey::ReasonBroken,
        "key_missing" => DeskKey::ReasonKeyMissing,
        "set" => DeskKey::OutcomeSet,
        "failed" => DeskKey::OutcomeFailed,
        "pending" => DeskKey::CodePending,
        "current" => DeskKey::CodeCurrent,
        "previous" => DeskKey::CodePrevious,
        "retired" => DeskKey::CodeRetired,
        "active" => DeskKey::StatusActive,
        "installed" => DeskKey::StatusInstalled,
        "defect" => DeskKey::StatusDefect,
        "requested" => DeskKey::StatusRequested,
        "removed" => DeskKey::StatusRemoved,
        "not_installed" => DeskKey::SkipNotInstalled,
        "in_campaign" => DeskKey::SkipInCampaign,
        "no_access" => DeskKey::ReasonNoAccess,
        "other" => DeskKey::ReasonOther,
        other => return other.replace('_', " "),
    };
    text(lang, key).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    // Shapes as the demo server sends them (trimmed).
    const DETAIL: &str = r#"{"id":"15ae","name":"Rotatie demo — Brugse Poort","kind":"rotation","selection":"wijk Brugse Poort","created_at":1795341124987,"created_by":"Els De Smet","due_on":"2027-01-03","safes":20,"waiting":0,"open":17,"done":2,"failed":1,"cancelled":0,"waves":[{"wave":1,"safes":20,"waiting":0,"open":17,"done":2,"failed":1}],"rounds":[{"id":"cb49","name":"Brugse Poort 1","ordinal":1,"district":"Brugse Poort","wave":1,"campaign_id":"15ae","campaign_name":"Rotatie demo — Brugse Poort","campaign_kind":"rotation","due_on":"2027-01-03","volunteer_id":"0de9","volunteer_name":"Marc Van Hecke","safes":10,"open":7,"done":2,"failed":1,"streets":["Bevrijdingslaan","Haspelstraat"]}]}"#;
    const LEAK: &str = r#"{"safe_id":"b62d","reported_on":"2026-11-22","due_on":"2026-11-27","cancelled_campaign":null,"campaign":{"id":"bfa4","name":"Lek: Dampoortstraat 36-40","kind":"urgent","due_on":"2026-11-27","selected":1,"included":1,"skipped":[{"safe_id":"x","reason":"in_campaign","message_nl":"zit al in de campagne"}],"waves":[{"wave":1,"safes":1,"with_codes":1,"after_quarantine":false}],"rounds":[{"id":"ab8f","name":"Lek: Dampoortstraat 36-40","ordinal":1,"district":"Dampoort","wave":1,"safes":1,"streets":["Dampoortstraat"]}],"code_space":[],"message_nl":"1 kluizen krijgen nu een nieuwe code.","message_en":"1 safes get a new code now."}}"#;
    const SPACE: &str = r#"[{"model_id":"2b1d","model":"Supra KeySafe Pro Bigbox","safes":52,"in_use":232,"quarantined":0,"usable":408,"remaining":176,"summary_nl":"…","summary_en":"…"}]"#;
    const HISTORY: &str = r#"{"safe_id":"b62d","status":"active","leak_reported_on":"2026-11-22","codes":[{"code_id":"c1","state":"current","created_at":1,"activated_at":2,"retired_at":null,"campaign_id":"k","campaign_name":"Lek","confirmed_by":"Marc","confirmed_at":3}],"records":[{"id":"r1","campaign_id":"k","volunteer":"Marc","outcome":"failed","reason":"no_access","note":"","at":5,"recorded_at":6}]}"#;
    const DUE: &str = r#"{"today":"2026-11-22","overdue":[],"this_week":[],"this_month":[{"safe_id":"b62d","address":"Dampoortstraat 36-40, 9000 Gent","district":"Dampoort","owner":"Volkshaard","status":"installed","due_on":"2026-11-27","reason":"first_code","campaign_id":null}]}"#;

    #[test]
    fn server_answers_parse() {
        let detail: CampaignDetail = parse(DETAIL).unwrap_or_default();
        assert_eq!(detail.campaign.name, "Rotatie demo — Brugse Poort");
        assert_eq!(
            (
                detail.campaign.done,
                detail.campaign.failed,
                detail.campaign.open
            ),
            (2, 1, 17)
        );
        assert_eq!(detail.waves.len(), 1);
        assert_eq!(
            detail.rounds[0].volunteer_name.as_deref(),
            Some("Marc Van Hecke")
        );
        assert_eq!(detail.rounds[0].streets.len(), 2);

        let leak: LeakReported = parse(LEAK).unwrap_or_default();
        assert_eq!(leak.due_on, "2026-11-27");
        assert_eq!(leak.campaign.kind, "urgent");
        assert_eq!(leak.campaign.planned.waves[0].with_codes, 1);
        assert_eq!(leak.campaign.planned.rounds[0].district, "Dampoort");
        assert_eq!(
            leak.campaign.planned.message(Lang::En),
            "1 safes get a new code now."
        );
        assert_eq!(leak.campaign.skipped[0].reason, "in_campaign");

        let space: Vec<ModelSpace> = parse(SPACE).unwrap_or_default();
        assert_eq!((space[0].in_use, space[0].usable), (232, 408));

        let history: SafeHistory = parse(HISTORY).unwrap_or_default();
        assert_eq!(history.codes[0].confirmed_by.as_deref(), Some("Marc"));
        assert_eq!(history.records[0].reason.as_deref(), Some("no_access"));

        let due: DueList = parse(DUE).unwrap_or_default();
        assert_eq!(due.rows().len(), 1);
        assert_eq!(due.this_month[0].reason, "first_code");

        // A field the app does not know yet, or one missing, does not empty the table.
        let newer: Vec<CampaignRow> = parse(r#"[{"id":"a","extra":1}]"#).unwrap_or_default();
        assert_eq!(newer.len(), 1);
        assert!(parse::<DueList>("<html>").is_none());
    }

    #[test]
    fn times_are_belgian() {
        // 2026-01-15 12:00 UTC is 13:00 in winter; 2026-07-15 12:00 UTC is 14:00 in summer.
        assert_eq!(format_time(1_768_478_400_000), "2026-01-15 13:00");
        assert_eq!(format_time(1_784_116_800_000), "2026-07-15 14:00");
    }

    #[test]
    fn labels_fall_back_to_the_code() {
        assert_eq!(label(Lang::Nl, "leak"), "lek");
        assert_eq!(label(Lang::En, "key_missing"), "key missing");
        assert_eq!(label(Lang::Nl, "something_new"), "something new");
    }

    #[test]
    fn english_messages_fall_back_to_dutch() {
        let planned = Planned {
            message_nl: "nl".into(),
            ..Planned::default()
        };
        assert_eq!(planned.message(Lang::En), "nl");
    }
}
