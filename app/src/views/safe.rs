use dioxus::prelude::*;
use kluis_domain::ids::SafeId;
use kluis_domain::shown::{Shown, shown_codes};

use crate::components::{FreshnessBar, KeyRow};
use crate::platform;
use crate::state::AppState;
use crate::state::carer::{CodeKeys, area, date_text, numbers_text, title};
use crate::state::i18n::{Key, Lang, Msg, say, t};
use crate::state::reveal::{note_opened, record_reveal};
use crate::state::texts::freshness_of;
use crate::views::door::ReportPanel;
use crate::views::{Route, go_back_to};

/// One safe: where it is, where it hangs, and on a tap the code as the buttons to press.
#[component]
pub fn Safe(id: SafeId) -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let home = (state.home)();
    let carer = (state.carer)();
    let mut revealed = use_signal(|| false);

    // Opening counts as "recent", whether or not the code is revealed.
    use_hook(move || {
        dioxus::core::spawn_forever(async move {
            let _ = note_opened(state, id).await;
        });
    });
    use_effect(move || {
        let heading = (state.carer)()
            .and_then(|data| data.safe(&id).map(title))
            .unwrap_or_default();
        platform::set_title(&format!("{heading} · Kluis"));
    });
    let back = move |_| go_back_to(Route::Start {});

    let Some(data) = carer else {
        return rsx! {};
    };
    let Some(safe) = data.safe(&id) else {
        return rsx! {
            BackButton { lang, onclick: back }
            p { class: "notice", id: "safe-gone", {t(lang, Key::SafeGone)} }
        };
    };
    let heading = title(safe);
    let shown = shown_codes(
        safe,
        freshness_of(&home, platform::now_millis(), platform::is_online()),
    );
    let expired = shown == Shown::Withheld;
    let (code, new, previous) = match shown {
        Shown::Codes {
            first,
            new,
            previous,
        } => (
            Some(data.keys(safe, first)),
            new.map(|c| data.keys(safe, c)),
            previous.map(|c| data.keys(safe, c)),
        ),
        Shown::Withheld | Shown::NoCode => (None, None, None),
    };
    let model = data.model_name(safe).unwrap_or_default().to_string();

    let reveal = move |_| {
        revealed.set(true);
        // Shown first, recorded right after: the carer at the door does not wait on storage.
        dioxus::core::spawn_forever(async move {
            let _ = record_reveal(state, id).await;
        });
    };

    rsx! {
        BackButton { lang, onclick: back }
        section { class: "safe-head",
            h1 { id: "safe-title", "{heading}" }
            p { class: "safe-area", "{area(safe)}" }
            p { class: "safe-numbers", id: "safe-numbers", {numbers_text(safe, lang)} }
        }
        dl { class: "card facts",
            div {
                dt { {t(lang, Key::Placement)} }
                dd { id: "safe-placement", "{safe.placement}" }
            }
            if !model.is_empty() {
                div {
                    dt { {t(lang, Key::Model)} }
                    dd { "{model}" }
                }
            }
        }
        FreshnessBar {}
        section { class: "code-panel", aria_labelledby: "code-title",
            h2 { class: "visually-hidden", id: "code-title", {t(lang, Key::CodeHeading)} }
            if expired {
                p { class: "notice notice-warning", id: "lease-expired",
                    {say(lang, Msg::LeaseExpired { hours: home.lease_hours.into() })}
                }
            } else if code.is_none() {
                p { class: "notice", id: "no-code", {t(lang, Key::NoCode)} }
            } else if !revealed() {
                button {
                    class: "button button-primary button-reveal",
                    id: "reveal",
                    r#type: "button",
                    onclick: reveal,
                    {t(lang, Key::RevealCode)}
                }
            } else {
                if let Some(code) = code {
                    CodeKeysView { keys: code, lang, id: "code", secondary: false, since: true }
                }
                p { class: "order-note", {t(lang, Key::OrderNote)} }
                // Not yet valid, so no "since": tried only when the code above fails.
                if let Some(new) = new {
                    div { class: "previous-code new-code",
                        h3 { {t(lang, Key::NewCode)} }
                        CodeKeysView { keys: new, lang, id: "new-code", secondary: true, since: false }
                    }
                }
                if let Some(previous) = previous {
                    div { class: "previous-code",
                        h3 { {t(lang, Key::PreviousCode)} }
                        CodeKeysView { keys: previous, lang, id: "previous-code", secondary: true, since: true }
                    }
                }
                button {
                    class: "button button-secondary",
                    id: "hide-code",
                    r#type: "button",
                    onclick: move |_| revealed.set(false),
                    {t(lang, Key::HideCode)}
                }
            }
        }
        ReportPanel { safe: id }
    }
}

#[component]
fn BackButton(lang: Lang, onclick: EventHandler<MouseEvent>) -> Element {
    rsx! {
        button {
            class: "back",
            id: "back",
            r#type: "button",
            onclick: move |event| onclick.call(event),
            span { aria_hidden: "true", "‹ " }
            {t(lang, Key::Back)}
        }
    }
}

/// The code as round keys, with the day it became valid when `since`.
#[component]
fn CodeKeysView(keys: CodeKeys, lang: Lang, id: String, secondary: bool, since: bool) -> Element {
    let valid_from = say(
        lang,
        Msg::CodeSince {
            date: &date_text(keys.since),
        },
    );
    rsx! {
        div { class: "code-block",
            KeyRow { keys: keys.keys, lang, id, secondary }
            if since {
                p { class: "code-since", "{valid_from}" }
            }
        }
    }
}
