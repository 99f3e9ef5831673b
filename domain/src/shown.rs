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
    /// The current code first; during the grace period after a change also the "vorige code",
    /// for a safe whose new code was recorded but not (yet) punched in.
    Codes {
        first: &'a CodeView,
        previous: Option<&'a CodeView>,
    },
}

/// What the screen shows for `safe` when the phone's data is `freshness`. A previous code
/// alone is never shown: without a current code the carer is told there is none.
pub fn shown_codes(safe: &SafeView, freshness: FreshnessState) -> Shown<'_> {
    if freshness == FreshnessState::Expired {
        return Shown::Withheld;
    }
    match &safe.code {
        None => Shown::NoCode,
        Some(first) => Shown::Codes {
            first,
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

    fn safe(current: Option<&str>, previous: Option<&str>) -> SafeView {
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
        }
    }

    #[test]
    fn current_first_then_previous_and_nothing_past_the_lease() {
        let both = safe(Some("1357"), Some("2468"));
        assert_eq!(
            shown_codes(&both, FreshnessState::Stale),
            Shown::Codes {
                first: both.code.as_ref().unwrap(),
                previous: both.previous_code.as_ref()
            }
        );
        assert_eq!(shown_codes(&both, FreshnessState::Expired), Shown::Withheld);
        assert_eq!(
            shown_codes(&safe(None, Some("2468")), FreshnessState::Fresh),
            Shown::NoCode
        );
    }
}
