//! The coordinator's desktop, without the browser: the server's answers (the `kluis-api`
//! contract's types, so a field renamed on the server is a compile error here), sorting and
//! filtering of the tables, CSV building and the geometry of the progress chart. The screens
//! in `views/coordinator/` only draw what these functions return.

use kluis_api::campaigns::SkipReason;
use kluis_api::reports::ChangeOutcome;
use kluis_domain::due::DueReason;
use kluis_domain::freshness::brussels_offset_minutes;
use kluis_domain::model::{CampaignKind, ChangeFailure, CodeState, SafeStatus};
use kluis_domain::time::Timestamp;
use serde::de::DeserializeOwned;

use super::i18n::Lang;
use super::i18n_desk::{DeskKey, text};

pub use kluis_api::campaigns::{
    CampaignCreated, CampaignDetail, CampaignRow, LeakReported, Planned, RoundOut, RoundSummary,
    SkippedSafe, SpaceWarning, WaveOut, WaveProgress,
};
pub use kluis_api::reports::{
    ChangeRecordRow as ChangeRecord, CodeEvent, DueList, DueSafe, ModelSpace, RepairRow,
    SafeHistory,
};

/// A sentence the server still sends in Dutch and English: the one in the user's language,
/// Dutch when there is no English one.
pub trait Says {
    fn says(&self, lang: Lang) -> &str;
}

impl Says for Planned {
    fn says(&self, lang: Lang) -> &str {
        pick(lang, &self.message_nl, &self.message_en)
    }
}

impl Says for SpaceWarning {
    fn says(&self, lang: Lang) -> &str {
        pick(lang, &self.message_nl, &self.message_en)
    }
}

fn pick<'a>(lang: Lang, nl: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::En if !en.trim().is_empty() => en,
        _ => nl,
    }
}

/// The user's words for one of the contract's enums. Every variant has its words: a new one
/// on the server is a compile error here, not a raw code on screen.
pub trait Label {
    fn key(&self) -> DeskKey;

    fn label(&self, lang: Lang) -> &'static str {
        text(lang, self.key())
    }
}

impl Label for CampaignKind {
    fn key(&self) -> DeskKey {
        match self {
            CampaignKind::Rotation => DeskKey::KindRotation,
            CampaignKind::Urgent => DeskKey::KindUrgent,
        }
    }
}

impl Label for DueReason {
    fn key(&self) -> DeskKey {
        match self {
            DueReason::FirstCode => DeskKey::ReasonFirstCode,
            DueReason::Leak => DeskKey::ReasonLeak,
            DueReason::Rotation => DeskKey::KindRotation,
        }
    }
}

impl Label for ChangeFailure {
    fn key(&self) -> DeskKey {
        match self {
            ChangeFailure::Broken => DeskKey::ReasonBroken,
            ChangeFailure::KeyMissing => DeskKey::ReasonKeyMissing,
            ChangeFailure::NoAccess => DeskKey::ReasonNoAccess,
            ChangeFailure::Other => DeskKey::ReasonOther,
        }
    }
}

impl Label for ChangeOutcome {
    fn key(&self) -> DeskKey {
        match self {
            ChangeOutcome::Set => DeskKey::OutcomeSet,
            ChangeOutcome::Failed => DeskKey::OutcomeFailed,
        }
    }
}

impl Label for CodeState {
    fn key(&self) -> DeskKey {
        match self {
            CodeState::Pending => DeskKey::CodePending,
            CodeState::Current => DeskKey::CodeCurrent,
            CodeState::Previous => DeskKey::CodePrevious,
            CodeState::Retired => DeskKey::CodeRetired,
        }
    }
}

impl Label for SafeStatus {
    fn key(&self) -> DeskKey {
        match self {
            SafeStatus::Requested => DeskKey::StatusRequested,
            SafeStatus::Installed => DeskKey::StatusInstalled,
            SafeStatus::Active => DeskKey::StatusActive,
            SafeStatus::Defect => DeskKey::StatusDefect,
            SafeStatus::Removed => DeskKey::StatusRemoved,
        }
    }
}

impl Label for SkipReason {
    fn key(&self) -> DeskKey {
        match self {
            SkipReason::InCampaign => DeskKey::SkipInCampaign,
            SkipReason::Defect => DeskKey::StatusDefect,
            SkipReason::NotInstalled => DeskKey::SkipNotInstalled,
        }
    }
}

mod api;
mod csv;
mod due;
#[cfg(test)]
pub(crate) mod fixtures;
mod geometry;
mod settings;

pub use api::*;
pub use csv::*;
pub use due::*;
pub use geometry::*;
pub use settings::*;

/// An instant as Belgian civil time, "2026-03-02 14:05".
pub fn format_time(t: Timestamp) -> String {
    let local = t.plus_millis(i64::from(brussels_offset_minutes(t)) * 60_000);
    let date = local.date_utc();
    let minutes = local.millis().rem_euclid(86_400_000) / 60_000;
    format!("{date} {:02}:{:02}", minutes / 60, minutes % 60)
}

/// Parses a JSON answer; `None` when it is not what the app expects.
pub fn parse<T: DeserializeOwned>(body: &str) -> Option<T> {
    serde_json::from_str(body).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_belgian() {
        // 2026-01-15 12:00 UTC is 13:00 in winter; 2026-07-15 12:00 UTC is 14:00 in summer.
        assert_eq!(
            format_time(Timestamp::from_millis(1_768_478_400_000)),
            "2026-01-15 13:00"
        );
        assert_eq!(
            format_time(Timestamp::from_millis(1_784_116_800_000)),
            "2026-07-15 14:00"
        );
    }

    #[test]
    fn every_code_has_words_in_both_languages() {
        assert_eq!(DueReason::Leak.label(Lang::Nl), "lek");
        assert_eq!(ChangeFailure::KeyMissing.label(Lang::En), "key missing");
        for key in [
            CampaignKind::Urgent.key(),
            CodeState::Retired.key(),
            SafeStatus::Removed.key(),
            SkipReason::InCampaign.key(),
            ChangeOutcome::Failed.key(),
        ] {
            assert!(!text(Lang::Nl, key).is_empty() && !text(Lang::En, key).is_empty());
        }
    }

    #[test]
    fn english_messages_fall_back_to_dutch() {
        let planned = Planned {
            waves: Vec::new(),
            rounds: Vec::new(),
            code_space: Vec::new(),
            message_nl: "nl".into(),
            message_en: String::new(),
        };
        assert_eq!(planned.says(Lang::En), "nl");
    }

    #[test]
    fn answers_that_miss_a_field_are_refused_not_emptied() {
        assert!(parse::<Vec<CampaignRow>>(r#"[{"id":"a","extra":1}]"#).is_none());
        assert!(parse::<DueList>("<html>").is_none());
    }
}
