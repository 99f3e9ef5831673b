use dioxus::prelude::*;

use crate::state::carer::code_label;
use crate::state::i18n::Lang;

/// A push-button code drawn as round keys in a row, in the keypad's order; screen readers
/// hear "Druk op 1, 3, 7 en 9". `secondary` draws the smaller, muted row (a previous code,
/// the code to open with).
#[component]
pub fn KeyRow(keys: Vec<char>, lang: Lang, id: String, secondary: bool) -> Element {
    let label = code_label(&keys, lang);
    let class = if secondary {
        "keys keys-secondary"
    } else {
        "keys"
    };
    rsx! {
        ol { class, id: "{id}", role: "img", aria_label: "{label}",
            for (index, key) in keys.iter().enumerate() {
                li { key: "{index}", class: "key", aria_hidden: "true", "{key}" }
            }
        }
    }
}
