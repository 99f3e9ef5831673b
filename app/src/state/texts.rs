//! The words for what the device state means: how many safes, how fresh, why a PIN is
//! refused, how many attempts are left.

use kluis_domain::freshness::{self, Day, FreshnessState, Moment, Said};
use kluis_domain::pin::PinProblem;
use kluis_domain::time::Timestamp;

use super::i18n::{Key, Lang, Msg, say, t};
use super::shown::HomeInfo;

/// The "safes" line on the home screen.
pub fn safe_count_text(count: Option<usize>, lang: Lang) -> String {
    match count {
        None | Some(0) => t(lang, Key::SafeCountNone).to_string(),
        Some(n) => say(lang, Msg::SafeCount { n: n.into() }),
    }
}

/// The freshness line ("Bijgewerkt zonet", "Offline — gegevens van gisteren 17:40").
pub fn freshness_text(info: &HomeInfo, now: i64, online: bool, lang: Lang) -> String {
    freshness_words(&line(info, now, online).said, lang)
}

/// How far the data can be trusted, as a CSS class suffix: fresh, stale, expired, never.
pub fn freshness_state(info: &HomeInfo, now: i64, online: bool) -> &'static str {
    match line(info, now, online).state {
        FreshnessState::Fresh => "fresh",
        FreshnessState::Stale => "stale",
        FreshnessState::Expired => "expired",
        FreshnessState::Never => "never",
    }
}

/// How far the data can be trusted, for the rules that depend on it
/// (`kluis_domain::shown::shown_codes`).
pub fn freshness_of(info: &HomeInfo, now: i64, online: bool) -> FreshnessState {
    line(info, now, online).state
}

fn line(info: &HomeInfo, now: i64, online: bool) -> freshness::Freshness {
    freshness::freshness(
        Timestamp::from_millis(now),
        info.last_sync.map(Timestamp::from_millis),
        online,
        info.lease_hours,
    )
}

/// What [`freshness::Said`] says, in `lang`.
pub fn freshness_words(said: &Said, lang: Lang) -> String {
    match *said {
        Said::NotYet => t(lang, Key::FreshNotYet).to_string(),
        Said::NothingOffline => t(lang, Key::FreshNothingOffline).to_string(),
        Said::Expired { lease_hours } => say(
            lang,
            Msg::LeaseExpired {
                hours: lease_hours.into(),
            },
        ),
        Said::Offline { from } => say(
            lang,
            Msg::FreshOffline {
                when: &moment_text(from, lang),
            },
        ),
        Said::JustNow => t(lang, Key::FreshJustNow).to_string(),
        Said::MinutesAgo(n) => say(lang, Msg::FreshMinutes { n: n.into() }),
        Said::HoursAgo(n) => say(lang, Msg::FreshHours { n: n.into() }),
        Said::UpdatedAt(at) => say(
            lang,
            Msg::FreshAt {
                when: &moment_text(at, lang),
            },
        ),
    }
}

/// "vandaag 17:40", "gisteren 17:40", "12/11 17:40", "12/11/2025 17:40" (Belgian day/month).
fn moment_text(at: Moment, lang: Lang) -> String {
    let day = match at.day {
        Day::Today => t(lang, Key::Today).to_string(),
        Day::Yesterday => t(lang, Key::Yesterday).to_string(),
        Day::ThisYear { day, month } => format!("{day}/{month:02}"),
        Day::Other(date) => format!("{}/{:02}/{}", date.day, date.month, date.year),
    };
    format!("{day} {:02}:{:02}", at.hour, at.minute)
}

/// Why a new PIN is refused, in the user's words.
pub fn pin_problem_text(problem: &PinProblem, lang: Lang) -> &'static str {
    let key = match problem {
        PinProblem::TooShort => Key::PinTooShort,
        PinProblem::NotDigits => Key::PinNotDigits,
        PinProblem::Repeated => Key::PinRepeated,
        PinProblem::Sequence => Key::PinSequence,
        _ => Key::PinCommon,
    };
    t(lang, key)
}

/// "Foute pincode. Nog 3 pogingen."
pub fn wrong_pin_text(left: u8, lang: Lang) -> String {
    say(lang, Msg::WrongPin { n: left.into() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::shown::Notice;

    #[test]
    fn texts_follow_ui_md() {
        assert_eq!(
            wrong_pin_text(3, Lang::Nl),
            "Foute pincode. Nog 3 pogingen."
        );
        assert_eq!(wrong_pin_text(3, Lang::En), "Wrong PIN. 3 attempts left.");
        assert_eq!(wrong_pin_text(1, Lang::Nl), "Foute pincode. Nog 1 poging.");
        assert_eq!(safe_count_text(Some(87), Lang::Nl), "87 sleutelkluisjes");
        assert_eq!(safe_count_text(Some(1), Lang::En), "1 key safe");
        assert_eq!(
            Notice::Wiped.message(Lang::Nl),
            "Dit toestel is afgemeld. Meld je opnieuw aan."
        );
        let info = HomeInfo {
            last_sync: Some(1_000_000),
            lease_hours: 72,
            ..HomeInfo::default()
        };
        assert_eq!(
            freshness_text(&info, 1_000_000, true, Lang::Nl),
            "Bijgewerkt zonet"
        );
    }

    #[test]
    fn pin_problems_have_words() {
        assert_eq!(
            pin_problem_text(&PinProblem::TooShort, Lang::Nl),
            "Je pincode moet minstens 6 cijfers hebben."
        );
    }
}
