use dioxus::prelude::*;

use crate::platform;
use crate::state::AppState;
use crate::state::i18n::{Key, Lang, t};

/// NL | EN switch. The choice is remembered on this device.
#[component]
pub fn LangSwitch() -> Element {
    let state = use_context::<AppState>();
    let mut lang = state.lang;
    let current = lang();
    rsx! {
        div { class: "lang-switch", role: "group", aria_label: t(current, Key::LanguageGroup),
            for option in Lang::ALL {
                button {
                    key: "{option.code()}",
                    r#type: "button",
                    lang: option.html_lang(),
                    aria_pressed: if option == current { "true" } else { "false" },
                    aria_label: option.native_name(),
                    onclick: move |_| {
                        lang.set(option);
                        platform::store_lang(option.code());
                    },
                    {option.code().to_uppercase()}
                }
            }
        }
    }
}
