use dioxus::prelude::*;

use crate::components::InstallButton;
use crate::platform;
use crate::state::AppState;
use crate::state::i18n::{Key, fill, t};
use crate::state::local::{self, freshness_text, safe_count_text};

/// The carer's home: how many safes this device holds, how fresh they are, and the way out.
#[component]
pub fn Home() -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let home = state.home;
    let mut tick = use_signal(|| 0u32);

    use_effect(move || platform::set_title("Kluis"));
    // Re-render the freshness line every 30 s ("3 min geleden" keeps counting).
    use_future(move || async move {
        loop {
            platform::sleep_ms(30_000).await;
            tick += 1;
        }
    });
    let _ = tick();

    let info = home();
    let welcome = fill(t(lang, Key::Welcome), "name", &info.name);
    let count = safe_count_text(info.safes, lang);
    let online = platform::is_online();
    let fresh = freshness_text(&info, platform::now_millis(), online, lang);

    rsx! {
        section { class: "welcome",
            h1 { id: "welcome", "{welcome}" }
        }
        div { class: "card",
            p { class: "big-number", id: "safe-count", "{count}" }
            p { class: "freshness", id: "freshness", role: "status", "{fresh}" }
            if info.syncing {
                p { class: "hint", id: "syncing",
                    span { class: "spinner", aria_hidden: "true" }
                    {t(lang, Key::Syncing)}
                }
            }
            if info.sync_failed {
                p { class: "notice", id: "sync-failed", {t(lang, Key::SyncFailed)} }
            }
            p { class: "notice", {t(lang, Key::ComingSoon)} }
        }
        InstallButton {}
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
