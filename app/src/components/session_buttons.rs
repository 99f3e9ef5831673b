use dioxus::prelude::*;

use crate::state::AppState;
use crate::state::flows;
use crate::state::i18n::{Key, t};

/// "Vergrendel" and "Afmelden", side by side, on every unlocked screen's foot.
#[component]
pub fn SessionButtons() -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    rsx! {
        div { class: "button-row",
            button {
                class: "button button-secondary",
                id: "lock",
                r#type: "button",
                onclick: move |_| flows::lock(state),
                {t(lang, Key::Lock)}
            }
            button {
                class: "button button-secondary",
                id: "sign-out",
                r#type: "button",
                onclick: move |_| {
                    dioxus::core::spawn_forever(async move { flows::sign_out(state).await });
                },
                {t(lang, Key::SignOut)}
            }
        }
    }
}
