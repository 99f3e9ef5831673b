use dioxus::prelude::*;

use crate::components::{FreshnessBar, InstallButton, SessionButtons};
use crate::platform;
use crate::state::AppState;
use crate::state::carer::{SEARCH_LIMIT, SafeRow};
use crate::state::i18n::{Key, Msg, say, t};
use crate::state::texts::safe_count_text;
use crate::views::{self, Route};

/// The carer's home: "Zoek straat of gebouw", the matches as they type, recently opened
/// safes, and how fresh the data is. Lists never show a code.
#[component]
pub fn Home() -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let home = (state.home)();
    let carer = (state.carer)();
    let mut query = use_signal(String::new);

    use_effect(move || platform::set_title("Kluis"));

    let typed = query();
    let rows: Vec<SafeRow> = match carer.as_ref() {
        Some(data) if !typed.trim().is_empty() => data.search(&typed),
        _ => Vec::new(),
    };
    let recent: Vec<SafeRow> = match carer.as_ref() {
        Some(data) if typed.trim().is_empty() => data.recent_rows(&home.recent),
        _ => Vec::new(),
    };
    let status = if typed.trim().is_empty() {
        String::new()
    } else if rows.is_empty() {
        say(
            lang,
            Msg::NoMatches {
                query: typed.trim(),
            },
        )
    } else if rows.len() >= SEARCH_LIMIT {
        say(
            lang,
            Msg::MoreMatches {
                n: SEARCH_LIMIT.into(),
            },
        )
    } else {
        say(
            lang,
            Msg::MatchCount {
                n: rows.len().into(),
            },
        )
    };
    let full = rows.len() >= SEARCH_LIMIT;
    let count = safe_count_text(home.safes, lang);
    let open = move |id| views::open(Route::Safe { id });

    rsx! {
        FreshnessBar {}
        if home.safes.is_none() {
            p { class: "notice", id: "never-synced", {t(lang, Key::NeverSynced)} }
        }
        form {
            class: "search",
            role: "search",
            onsubmit: move |event: FormEvent| event.prevent_default(),
            h1 { class: "search-title",
                label { r#for: "search", {t(lang, Key::SearchLabel)} }
            }
            input {
                class: "input search-input",
                id: "search",
                r#type: "search",
                value: "{typed}",
                autocomplete: "off",
                autocapitalize: "none",
                spellcheck: "false",
                enterkeyhint: "search",
                aria_describedby: "search-hint",
                oninput: move |event: FormEvent| query.set(event.value()),
            }
            p { class: "hint", id: "search-hint",
                span { id: "safe-count", "{count}" }
                " · "
                {t(lang, Key::SearchHint)}
            }
        }
        // data-query changes on every keystroke, so the browser bench can see each render.
        p { class: "visually-hidden", id: "search-status", role: "status", aria_live: "polite", "data-query": "{typed}", "{status}" }
        if !typed.trim().is_empty() && rows.is_empty() {
            p { class: "notice", id: "no-matches", "{status}" }
        }
        if !rows.is_empty() {
            ul { class: "safe-list", id: "results", aria_label: t(lang, Key::Results),
                for row in rows {
                    SafeRowButton { key: "{row.id}", row: row.clone(), onopen: open }
                }
            }
            if full {
                p { class: "hint", id: "more-matches", "{status}" }
            }
        }
        if !recent.is_empty() {
            section { class: "recent", aria_labelledby: "recent-title",
                h2 { id: "recent-title", {t(lang, Key::Recent)} }
                ul { class: "safe-list", id: "recent",
                    for row in recent {
                        SafeRowButton { key: "{row.id}", row: row.clone(), onopen: open }
                    }
                }
            }
        }
        div { class: "home-actions",
            InstallButton {}
            p { class: "hint", id: "signed-in-as", {say(lang, Msg::SignedInAs { name: &home.name })} }
            if home.storage_refused {
                p { class: "hint", id: "storage-refused", {t(lang, Key::StorageNotPersistent)} }
            }
            SessionButtons {}
        }
    }
}

#[component]
fn SafeRowButton(row: SafeRow, onopen: EventHandler<kluis_domain::ids::SafeId>) -> Element {
    let id = row.id;
    rsx! {
        li {
            button {
                class: "safe-row",
                r#type: "button",
                "data-safe": "{row.id}",
                onclick: move |_| onopen.call(id),
                span { class: "safe-row-title", "{row.title}" }
                span { class: "safe-row-area", "{row.area}" }
                span { class: "safe-row-chevron", aria_hidden: "true", "›" }
            }
        }
    }
}
