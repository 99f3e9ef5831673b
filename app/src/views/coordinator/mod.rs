//! The coordinator's desktop: its sections come with the coordinator screens of issue 4.

use dioxus::prelude::*;

use crate::state::AppState;
use crate::state::i18n::{Key, t};
use crate::state::local;

#[component]
pub fn Coordinator() -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    rsx! {
        h1 { {t(lang, Key::CoordinatorTitle)} }
        button {
            class: "button button-secondary",
            id: "sign-out",
            r#type: "button",
            onclick: move |_| {
                dioxus::core::spawn_forever(async move { local::sign_out(state).await });
            },
            {t(lang, Key::SignOut)}
        }
    }
}
