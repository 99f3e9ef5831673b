//! The coordinator's desktop, without the browser: the server's answers (the `kluis-api`
//! contract's types, so a field renamed on the server is a compile error here), sorting and
//! filtering of the tables, CSV building and the geometry of the progress chart. The screens
//! in `views/coordinator/` only draw what these functions return.

use kluis_api::campaigns::{SkipReason, SpacePressure};
use kluis_api::reports::ChangeOutcome;
use kluis_domain::due::DueReason;
use kluis_domain::freshness::brussels_offset_minutes;
use kluis_domain::model::{CampaignKind, ChangeFailure, CodeState, SafeStatus};
use kluis_domain::time::Timestamp;
use serde::de::DeserializeOwned;

use super::i18n::{DeskKey, DeskMsg, Lang, say, t};

pub use kluis_api::campaigns::{
    CampaignCreated, CampaignDetail, CampaignRow, LeakReported, Planned, RoundOut, RoundSummary,
    SkippedSafe, SpaceWarning, WaveOut, WaveProgress,
};
pub use kluis_api::reports::{
    ChangeRecordRow as ChangeRecord, CodeEvent, DueList, DueSafe, ModelSpace, RepairRow,
    SafeHistory,
};

/// What planning did, in the user's words: how many safes get a code now, in how many
/// rounds, how many follow in later waves and why.
pub fn planned_text(lang: Lang, planned: &Planned) -> String {
    let now: u64 = planned.waves.iter().map(|w| w.with_codes).sum();
    let later: u64 = planned
        .waves
        .iter()
        .filter(|w| w.with_codes == 0)
        .map(|w| w.safes)
        .sum();
    let rounds = planned.rounds.len();
    let mut out = say(
        lang,
        DeskMsg::PlannedNow {
            now: now.into(),
            rounds: rounds.into(),
        },
    );
    if later > 0 {
        let more = planned.waves.len().saturating_sub(1);
        out.push(' ');
        out.push_str(&say(
            lang,
            DeskMsg::PlannedLater {
                later: later.into(),
                more: more.into(),
                days: planned.quarantine_days.into(),
            },
        ));
    }
    out
}

/// A model's code-space warning, in the user's words, with its numbers.
pub fn space_warning_text(lang: Lang, w: &SpaceWarning) -> String {
    let peak = w.in_use + w.needed;
    let percent = peak.saturating_mul(100) / w.usable.max(1);
    let (model, in_use, usable, needed) =
        (&*w.model, w.in_use.into(), w.usable.into(), w.needed.into());
    let msg = match w.pressure {
        SpacePressure::Waves => DeskMsg::SpaceWaves {
            model,
            in_use,
            usable,
            needed,
            waves: w.waves.into(),
        },
        SpacePressure::NearlyFull => DeskMsg::SpaceNearlyFull {
            model,
            in_use,
            usable,
            needed,
            peak: peak.into(),
            percent: percent.into(),
        },
    };
    say(lang, msg)
}

/// Why a selected safe was left out, in the user's words.
pub fn skipped_text(lang: Lang, s: &SkippedSafe) -> String {
    match &s.campaign_name {
        Some(name) => format!("{} \u{201c}{name}\u{201d}", s.reason.label(lang)),
        None => s.reason.label(lang).to_string(),
    }
}

/// The user's words for one of the contract's enums. Every variant has its words: a new one
/// on the server is a compile error here, not a raw code on screen.
pub trait Label {
    fn key(&self) -> DeskKey;

    fn label(&self, lang: Lang) -> &'static str {
        t(lang, self.key())
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

impl Label for kluis_api::people::AccountState {
    fn key(&self) -> DeskKey {
        use kluis_api::people::AccountState;
        match self {
            AccountState::Invited => DeskKey::AccountInvited,
            AccountState::Active => DeskKey::AccountActive,
            AccountState::Expired => DeskKey::AccountExpired,
            AccountState::Revoked => DeskKey::AccountRevoked,
            AccountState::Unknown => DeskKey::FieldOther,
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
mod audit;
mod csv;
mod due;
mod evaluation;
#[cfg(test)]
pub(crate) mod fixtures;
mod geometry;
mod import;
mod problem;
mod qr;
mod registry;
mod settings;

pub use api::*;
pub use audit::*;
pub use csv::*;
pub use due::*;
pub use evaluation::*;
pub use geometry::*;
pub use import::*;
pub use problem::*;
pub use qr::*;
pub use registry::*;
pub use settings::*;

/// An instant as Belgian civil time, "2026-03-02 14:05".
pub fn format_time(t: Timestamp) -> String {
    let local = t.plus_millis(i64::from(brussels_offset_minutes(t)) * 60_000);
    let date = local.date_utc();
    let minutes = local.millis().rem_euclid(86_400_000) / 60_000;
    format!("{date} {:02}:{:02}", minutes / 60, minutes % 60)
}

/// Today in Ghent (the server's "today" for dates a person picks).
pub fn local_today(now_millis: i64) -> kluis_domain::time::Date {
    let t = Timestamp::from_millis(now_millis);
    t.plus_millis(i64::from(brussels_offset_minutes(t)) * 60_000)
        .date_utc()
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
            assert!(!t(Lang::Nl, key).is_empty() && !t(Lang::En, key).is_empty());
        }
    }

    #[test]
    fn planning_is_said_with_its_numbers_and_one_safe_in_the_singular() {
        use kluis_api::campaigns::WaveOut;
        let wave = |wave, safes, with_codes| WaveOut {
            wave,
            safes,
            with_codes,
            after_quarantine: wave > 1,
        };
        let round = |n: u8| RoundOut {
            id: kluis_domain::ids::RoundId::from_bytes([n; 16]),
            name: format!("Rabot {n}"),
            ordinal: u32::from(n),
            district: "Rabot".into(),
            wave: 1,
            safes: 1,
            streets: Vec::new(),
        };
        let leak = Planned {
            waves: vec![wave(1, 1, 1)],
            rounds: vec![round(1)],
            code_space: Vec::new(),
            quarantine_days: 30,
        };
        assert_eq!(
            planned_text(Lang::Nl, &leak),
            "1 kluis krijgt nu een nieuwe code, in 1 ronde."
        );
        let big = Planned {
            waves: vec![wave(1, 188, 188), wave(2, 32, 0)],
            rounds: vec![round(1), round(2)],
            code_space: vec![SpaceWarning {
                model_id: kluis_domain::ids::SafeModelId::from_bytes([1; 16]),
                model: "Supra KeySafe Pro".into(),
                pressure: SpacePressure::Waves,
                in_use: 220,
                usable: 408,
                needed: 220,
                waves: 2,
            }],
            quarantine_days: 30,
        };
        let en = planned_text(Lang::En, &big);
        assert!(
            en.starts_with(
                "188 safes get a new code now, in 2 rounds. 32 safes follow in a later wave:"
            ),
            "{en}"
        );
        assert!(en.contains("quarantine for 30 days"), "{en}");
        let warning = space_warning_text(Lang::Nl, &big.code_space[0]);
        assert!(warning.starts_with("Supra KeySafe Pro: 220 van 408 bruikbare codes in gebruik; deze campagne heeft er 220 extra nodig: 2 golven."), "{warning}");
        let mut full = big.code_space[0].clone();
        (full.pressure, full.in_use, full.needed, full.waves) =
            (SpacePressure::NearlyFull, 170, 170, 1);
        assert!(space_warning_text(Lang::En, &full).contains("340 in all (83%)"));
    }

    #[test]
    fn answers_that_miss_a_field_are_refused_not_emptied() {
        assert!(parse::<Vec<CampaignRow>>(r#"[{"id":"a","extra":1}]"#).is_none());
        assert!(parse::<DueList>("<html>").is_none());
    }
}
