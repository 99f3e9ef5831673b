//! The words for what the device state means: how many safes, how fresh, why a PIN is
//! refused, how many attempts are left.

use kluis_domain::freshness;
use kluis_domain::pin::PinProblem;

use super::i18n::{Key, Lang, fill, t};
use super::local::HomeInfo;

/// The "safes" line on the home screen.
pub fn safe_count_text(count: Option<usize>, lang: Lang) -> String {
    match count {
        None | Some(0) => t(lang, Key::SafeCountNone).to_string(),
        Some(1) => t(lang, Key::SafeCountOne).to_string(),
        Some(n) => fill(t(lang, Key::SafeCount), "n", &n.to_string()),
    }
}

/// The freshness line ("Bijgewerkt zonet", "Offline — gegevens van gisteren 17:40").
pub fn freshness_text(info: &HomeInfo, now: i64, online: bool, lang: Lang) -> String {
    let lang = match lang {
        Lang::Nl => freshness::Lang::Nl,
        Lang::En => freshness::Lang::En,
    };
    freshness::freshness(
        kluis_domain::time::Timestamp::from_millis(now),
        info.last_sync
            .map(kluis_domain::time::Timestamp::from_millis),
        online,
        info.lease_hours,
        lang,
    )
    .text
}

/// How far the data can be trusted, as a CSS class suffix: fresh, stale, expired, never.
pub fn freshness_state(info: &HomeInfo, now: i64, online: bool) -> &'static str {
    let state = freshness::freshness(
        kluis_domain::time::Timestamp::from_millis(now),
        info.last_sync
            .map(kluis_domain::time::Timestamp::from_millis),
        online,
        info.lease_hours,
        freshness::Lang::Nl,
    )
    .state;
    match state {
        freshness::FreshnessState::Fresh => "fresh",
        freshness::FreshnessState::Stale => "stale",
        freshness::FreshnessState::Expired => "expired",
        freshness::FreshnessState::Never => "never",
    }
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
    if left == 1 {
        t(lang, Key::WrongPinLast).to_string()
    } else {
        fill(t(lang, Key::WrongPin), "n", &left.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::local::Notice;

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
