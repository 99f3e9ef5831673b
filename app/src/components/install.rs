use dioxus::prelude::*;

use crate::platform;
use crate::state::AppState;
use crate::state::i18n::{Key, t};

/// "Kluis installeren": shown only when the browser offered to install the app.
#[component]
pub fn InstallButton() -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let mut installable = state.installable;
    if !installable() {
        return rsx! {};
    }
    rsx! {
        div { class: "install",
            button {
                class: "button button-secondary",
                r#type: "button",
                id: "install",
                onclick: move |_| {
                    spawn(async move {
                        // The prompt can be shown once; hide the button whatever the answer.
                        let _ = platform::prompt_install().await;
                        installable.set(platform::install_available());
                    });
                },
                {t(lang, Key::InstallApp)}
            }
            p { class: "hint", {t(lang, Key::InstallHint)} }
        }
    }
}
