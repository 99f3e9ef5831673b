use dioxus::prelude::*;

use crate::state::AppState;
use crate::state::i18n::{Key, t};

/// "Bezig met beveiligen…" while Argon2id, the first save and the first sync run.
#[component]
pub fn Securing() -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    rsx! {
        section { class: "progress", id: "securing", role: "status", aria_live: "polite",
            span { class: "spinner spinner-large", aria_hidden: "true" }
            h1 { {t(lang, Key::Securing)} }
            p { {t(lang, Key::SecuringHint)} }
        }
    }
}
