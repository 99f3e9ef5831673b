//! What the carer's screens read: the unlocked scope, a search index over it, and the rows
//! and safe details they display. Built once after unlock and after each sync, dropped on lock.

use kluis_domain::freshness::brussels_offset_minutes;
use kluis_domain::ids::SafeId;
use kluis_domain::schema::{CodeView, SafeView, ScopeView, read_scope};
use kluis_domain::search::SearchIndex;
use kluis_domain::sync::{DocKind, SyncClient};
use kluis_domain::time::Timestamp;

use super::i18n::{Key, Lang, Msg, say, t};

/// How many matches the search screen lists: more does not fit a phone and means the carer
/// should type another letter.
pub const SEARCH_LIMIT: usize = 30;

/// The unlocked scope, ready for searching.
pub struct CarerData {
    pub view: ScopeView,
    pub index: SearchIndex,
}

/// One line of the result list: an address, never a code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SafeRow {
    pub id: SafeId,
    /// "Sleepstraat 10-16"
    pub title: String,
    /// "9000 Gent · Muide"
    pub area: String,
}

/// A code as the safe screen draws it: the buttons to press, in the safe's own order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeKeys {
    pub keys: Vec<char>,
    /// When it became current (ms since the epoch).
    pub since: i64,
}

impl CarerData {
    /// The scope document held by `client`, if any (none before the first sync).
    pub fn from_client(client: &SyncClient) -> Option<CarerData> {
        let view = client.doc_ids().find_map(|id| match id.kind() {
            DocKind::Scope { .. } => client.doc(id).and_then(|doc| read_scope(doc).ok()),
            _ => None,
        })?;
        Some(CarerData::from_view(view))
    }

    /// Indexes `view` for searching (a few milliseconds for 5,000 safes).
    pub fn from_view(view: ScopeView) -> CarerData {
        let index = SearchIndex::build(&view);
        CarerData { view, index }
    }

    /// The matches for what the carer typed, best first.
    pub fn search(&self, input: &str) -> Vec<SafeRow> {
        self.index
            .search(input, SEARCH_LIMIT)
            .into_iter()
            .filter_map(|hit| self.row(&hit.safe))
            .collect()
    }

    pub fn row(&self, id: &SafeId) -> Option<SafeRow> {
        let safe = self.view.safes.get(id)?;
        Some(SafeRow {
            id: *id,
            title: title(safe),
            area: area(safe),
        })
    }

    pub fn safe(&self, id: &SafeId) -> Option<&SafeView> {
        self.view.safes.get(id)
    }

    /// The model's name ("Supra KeySafe Pro"), if the scope describes it.
    pub fn model_name(&self, safe: &SafeView) -> Option<&str> {
        self.view
            .models
            .get(&safe.model)
            .map(|model| model.name.as_str())
    }

    /// `code` of `safe` as keys, sorted in the order the buttons sit on the safe, so the
    /// carer's eye can follow the keypad.
    pub fn keys(&self, safe: &SafeView, code: &CodeView) -> CodeKeys {
        let layout = self
            .view
            .models
            .get(&safe.model)
            .map(|model| model.buttons.chars().collect::<Vec<_>>())
            .unwrap_or_default();
        CodeKeys {
            keys: in_layout_order(code.value.buttons(), &layout),
            since: code.since.millis(),
        }
    }

    /// Recently opened safes that are still in the scope, as rows.
    pub fn recent_rows(&self, recent: &[String]) -> Vec<SafeRow> {
        recent
            .iter()
            .filter_map(|id| id.parse::<SafeId>().ok())
            .filter_map(|id| self.row(&id))
            .collect()
    }
}

fn in_layout_order(buttons: &[char], layout: &[char]) -> Vec<char> {
    let mut keys = buttons.to_vec();
    keys.sort_by_key(|key| layout.iter().position(|b| b == key).unwrap_or(usize::MAX));
    keys
}

/// "Sleepstraat 10-16": the label as the housing company wrote it.
pub fn title(safe: &SafeView) -> String {
    format!("{} {}", safe.street, safe.numbers.label())
}

/// "9000 Gent · Muide"
pub fn area(safe: &SafeView) -> String {
    let place = format!("{} {}", safe.postcode, safe.city);
    if safe.district.is_empty() {
        place
    } else {
        format!("{place} · {}", safe.district)
    }
}

/// "Huisnummers 10, 12, 14, 16" for short ranges and lists, else "Huisnummers 10 tot 16
/// (even)"; a long list says its parts ("Huisnummers 2-40, 52").
pub fn numbers_text(safe: &SafeView, lang: Lang) -> String {
    let numbers = &safe.numbers;
    if let Some(list) = numbers.listed(6) {
        let list: Vec<String> = list.iter().map(u32::to_string).collect();
        return say(
            lang,
            Msg::HouseNumbersList {
                list: &list.join(", "),
            },
        );
    }
    if numbers.is_list() {
        return say(
            lang,
            Msg::HouseNumbersList {
                list: &numbers.to_string(),
            },
        );
    }
    let range = say(
        lang,
        Msg::HouseNumbersRange {
            first: &numbers.first().to_string(),
            last: &numbers.last().to_string(),
        },
    );
    match (numbers.step(), numbers.first() % 2) {
        (2, 0) => format!("{range} {}", t(lang, Key::EvenSide)),
        (2, _) => format!("{range} {}", t(lang, Key::OddSide)),
        _ => range,
    }
}

/// A day as Belgians write it ("12/03/2026"), on Brussels time.
pub fn date_text(millis: i64) -> String {
    let t = Timestamp::from_millis(millis);
    let local = Timestamp::from_millis(millis + i64::from(brussels_offset_minutes(t)) * 60_000);
    let date = local.date_utc();
    format!("{:02}/{:02}/{:04}", date.day, date.month, date.year)
}

/// What a screen reader says for a code: "Druk op 1, 3, 7 en 9".
pub fn code_label(keys: &[char], lang: Lang) -> String {
    let spoken: Vec<String> = keys.iter().map(char::to_string).collect();
    let list = match spoken.split_last() {
        Some((last, init)) if !init.is_empty() => {
            format!("{} {} {last}", init.join(", "), t(lang, Key::And))
        }
        _ => spoken.join(""),
    };
    say(lang, Msg::PressKeys { keys: &list })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_follow_the_keypad_not_the_stored_order() {
        let layout: Vec<char> = "1234567890".chars().collect();
        assert_eq!(
            in_layout_order(&['0', '3', '1'], &layout),
            vec!['1', '3', '0']
        );
        // Unknown buttons go last instead of failing.
        assert_eq!(in_layout_order(&['X', '2'], &layout), vec!['2', 'X']);
    }

    #[test]
    fn dates_are_belgian_days() {
        // 2026-03-28 23:30 UTC is already Sunday the 29th in Brussels (CET, +1).
        let late = Timestamp::from_millis(1_774_740_600_000);
        assert_eq!(late.date_utc().day, 28);
        assert_eq!(date_text(late.millis()), "29/03/2026");
    }

    #[test]
    fn screen_readers_hear_the_keys() {
        assert_eq!(
            code_label(&['1', '3', '7', '9'], Lang::Nl),
            "Druk op 1, 3, 7 en 9"
        );
        assert_eq!(code_label(&['2', '4'], Lang::En), "Press 2 and 4");
    }

    #[test]
    fn house_numbers_are_said_as_a_list_or_a_range() {
        let said = |label: &str, lang| {
            let safe = SafeView {
                street: "Sleepstraat".into(),
                numbers: label.parse().expect("house numbers"),
                postcode: "9000".into(),
                city: "Gent".into(),
                district: String::new(),
                apartments: 4,
                placement: String::new(),
                model: kluis_domain::ids::SafeModelId::from_bytes([1; 16]),
                status: kluis_domain::model::SafeStatus::Active,
                code: None,
                previous_code: None,
                new_code: None,
            };
            numbers_text(&safe, lang)
        };
        assert_eq!(said("12, 14, 18", Lang::Nl), "Huisnummers 12, 14, 18");
        assert_eq!(said("12bis", Lang::En), "House numbers 12");
        assert_eq!(said("10-16 (even)", Lang::Nl), "Huisnummers 10, 12, 14, 16");
        assert_eq!(said("2-40, 52", Lang::Nl), "Huisnummers 2-40, 52");
        assert!(said("10-40 (even)", Lang::Nl).starts_with("Huisnummers 10 tot 40"));
    }
}
