use dioxus::prelude::*;

use crate::platform;
use crate::state::AppState;
use crate::state::i18n::{Key, t};
use crate::state::syncing::sync;
use crate::state::texts::{freshness_state, freshness_text};

/// "Bijgewerkt 3 min geleden" / "Offline — gegevens van gisteren 17:40", with a sync
/// indicator and a button to update now. Shown on every carer screen: trust is visible.
#[component]
pub fn FreshnessBar() -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let home = (state.home)();
    let mut tick = use_signal(|| 0u32);
    // Re-render every 30 s: "3 min geleden" keeps counting, and offline shows up.
    use_future(move || async move {
        loop {
            platform::sleep_ms(30_000).await;
            tick += 1;
        }
    });
    let _ = tick();

    let now = platform::now_millis();
    let online = platform::is_online();
    let text = freshness_text(&home, now, online, lang);
    let kind = freshness_state(&home, now, online);
    rsx! {
        div { class: "freshness-bar freshness-{kind}", id: "freshness-bar",
            span { class: "freshness-dot", aria_hidden: "true" }
            p { class: "freshness", id: "freshness", role: "status", "{text}" }
            if home.syncing {
                span { class: "sync-indicator", id: "syncing",
                    span { class: "spinner", aria_hidden: "true" }
                    span { class: "visually-hidden", {t(lang, Key::Syncing)} }
                }
            } else if online {
                button {
                    class: "sync-now",
                    id: "sync-now",
                    r#type: "button",
                    onclick: move |_| {
                        dioxus::core::spawn_forever(async move {
                            let _ = sync(state).await;
                        });
                    },
                    {t(lang, Key::SyncNow)}
                }
            }
        }
        if home.sync_failed && online {
            p { class: "notice", id: "sync-failed", {t(lang, Key::SyncFailed)} }
        }
    }
}
