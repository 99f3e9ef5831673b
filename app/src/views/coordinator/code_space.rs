//! The code space per model: how many of the usable codes are taken (current, pending and
//! in quarantine), as a bar and in words, with a warning when a model gets full: then a
//! campaign needs more waves, because old and new codes must both fit.

use dioxus::prelude::*;

use super::token;
use super::widgets::{Failure, Loading};
use crate::state::AppState;
use crate::state::coordinator::{self as desk, ModelSpace, space_is_tight, usage_percent};
use crate::state::i18n::{DeskKey, DeskMsg, say, t};

#[component]
pub fn CodeSpace() -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let mut spaces = use_resource(move || async move {
        desk::get::<Vec<ModelSpace>>(token(state), "/api/admin/code-space").await
    });
    let answer = spaces.read().clone();
    let models = match answer {
        None => return rsx! { Loading {} },
        Some(Err(error)) => return rsx! { Failure { error, onretry: move |_| spaces.restart() } },
        Some(Ok(models)) => models,
    };
    rsx! {
        div { class: "desk-toolbar",
            h2 { id: "space-title", {t(lang, DeskKey::SpaceTitle)} }
            button {
                class: "button button-secondary desk-small",
                r#type: "button",
                onclick: move |_| spaces.restart(),
                {t(lang, DeskKey::Refresh)}
            }
        }
        p { class: "hint", {t(lang, DeskKey::SpaceExplain)} }
        if models.is_empty() {
            p { class: "notice", {t(lang, DeskKey::NoModels)} }
        } else {
            div { class: "table-wrap",
                table { class: "desk-table", id: "space-table", aria_labelledby: "space-title",
                    thead {
                        tr {
                            th { scope: "col", {t(lang, DeskKey::ColModel)} }
                            th { scope: "col", class: "num", {t(lang, DeskKey::ColSafes)} }
                            th { scope: "col", {t(lang, DeskKey::ColUsage)} }
                            th { scope: "col", class: "num", {t(lang, DeskKey::ColQuarantined)} }
                            th { scope: "col", class: "num", {t(lang, DeskKey::ColRemaining)} }
                        }
                    }
                    tbody {
                        for m in models {
                            SpaceLine { key: "{m.model_id}", space: m.clone() }
                        }
                    }
                }
            }
        }
    }
}

#[component]
fn SpaceLine(space: ModelSpace) -> Element {
    let lang = (use_context::<AppState>().lang)();
    let percent = usage_percent(&space);
    let tight = space_is_tight(&space);
    let words = say(
        lang,
        DeskMsg::SpaceUsage {
            in_use: (space.in_use).into(),
            usable: (space.usable).into(),
            percent: (percent).into(),
        },
    );
    rsx! {
        tr { "data-model": "{space.model_id}", "data-in-use": "{space.in_use}", "data-usable": "{space.usable}",
            th { scope: "row", "{space.model}" }
            td { class: "num", "{space.safes}" }
            td { class: "usage-cell",
                div {
                    class: if tight { "meter meter-tight" } else { "meter" },
                    role: "meter",
                    aria_valuemin: "0",
                    aria_valuemax: "{space.usable}",
                    aria_valuenow: "{space.in_use}",
                    aria_valuetext: "{words}",
                    // An SVG width, not an inline style: the Content-Security-Policy allows none.
                    svg { class: "meter-bar", width: "100%", height: "100%", "aria-hidden": "true", "focusable": "false",
                        rect { class: "meter-fill", width: "{percent}%", height: "100%" }
                    }
                }
                span { class: "usage-text", "{words}" }
                if tight {
                    p { class: "usage-warning", role: "note",
                        span { aria_hidden: "true", "⚠ " }
                        {t(lang, DeskKey::SpaceTight)}
                    }
                }
            }
            td { class: "num", "{space.quarantined}" }
            td { class: "num", "{space.remaining}" }
        }
    }
}
