//! What the safe screen shows a carer at the door: the one rule the app draws and the door
//! simulation (`sync-server/tests/it/door_sim`) counts, so the figures measure the app
//! rather than a copy of it that could drift.

use crate::freshness::FreshnessState;
use crate::schema::{CodeView, SafeView};

/// The codes on the safe screen, in the order the carer tries them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown<'a> {
    /// Older than the lease: the phone may hold a revoked or changed code, so none is shown
    /// until a sync succeeds.
    Withheld,
    /// The safe has no code yet (waiting for its first code).
    NoCode,
    /// The current code first. While a campaign runs, then its "nieuwe code": a volunteer
    /// may have punched it in before their record reached the server, or before this phone
    /// synced. During the grace period after a change, last the "vorige code", for a safe
    /// whose new code was recorded but not (yet) punched in.
    Codes {
        first: &'a CodeView,
        new: Option<&'a CodeView>,
        previous: Option<&'a CodeView>,
    },
}

/// What the screen shows for `safe` when the phone's data is `freshness`. A previous or new
/// code alone is never shown: without a current code the carer is told there is none (a
/// safe's first code is set by the installer, not left to a guess).
pub fn shown_codes(safe: &SafeView, freshness: FreshnessState) -> Shown<'_> {
    if freshness == FreshnessState::Expired {
        return Shown::Withheld;
    }
    match &safe.code {
        None => Shown::NoCode,
        Some(first) => Shown::Codes {
            first,
            new: safe.new_code.as_ref().filter(|c| c.value != first.value),
            previous: safe.previous_code.as_ref(),
        },
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::ids::SafeModelId;
    use crate::model::SafeStatus;
    use crate::rng::SeededRandom;
    use crate::safe_model::ButtonSet;
    use crate::time::Timestamp;

    fn code(buttons: &str) -> CodeView {
        CodeView {
            value: ButtonSet::from_buttons(buttons.chars()).unwrap(),
            since: Timestamp::from_millis(0),
        }
    }

    fn safe(current: Option<&str>, previous: Option<&str>, new: Option<&str>) -> SafeView {
        SafeView {
            street: "Sleepstraat".into(),
            numbers: "10-16".parse().unwrap(),
            postcode: "9000".into(),
            city: "Gent".into(),
            district: String::new(),
            apartments: 12,
            placement: String::new(),
            model: SafeModelId::random(&mut SeededRandom::new(1)),
            status: SafeStatus::Active,
            code: current.map(code),
            previous_code: previous.map(code),
            new_code: new.map(code),
        }
    }

    #[test]
    fn current_first_then_previous_and_nothing_past_the_lease() {
        let all = safe(Some("1357"), Some("2468"), Some("1379"));
        assert_eq!(
            shown_codes(&all, FreshnessState::Stale),
            Shown::Codes {
                first: all.code.as_ref().unwrap(),
                new: all.new_code.as_ref(),
                previous: all.previous_code.as_ref()
            }
        );
        assert_eq!(shown_codes(&all, FreshnessState::Expired), Shown::Withheld);
        assert_eq!(
            shown_codes(
                &safe(None, Some("2468"), Some("1379")),
                FreshnessState::Fresh
            ),
            Shown::NoCode
        );
    }

    #[test]
    fn a_new_code_equal_to_the_current_one_is_not_shown_twice() {
        let same = safe(Some("1357"), None, Some("1357"));
        assert!(matches!(
            shown_codes(&same, FreshnessState::Fresh),
            Shown::Codes { new: None, .. }
        ));
    }
}
