//! Pieces the desktop's sections share: loading and error states, the stacked progress bar,
//! sortable column headers, CSV download and the "code leaked" confirmation.

use dioxus::prelude::*;

use super::token;
use crate::platform;
use crate::state::AppState;
use crate::state::coordinator::{self as desk, DeskError, LeakReported, Part, Segment};
use crate::state::i18n::Lang;
use crate::state::i18n::{DeskKey, DeskMsg, say, t};

/// Shown while a section waits for the server.
#[component]
pub fn Loading() -> Element {
    let lang = (use_context::<AppState>().lang)();
    rsx! {
        p { class: "hint desk-loading", role: "status", aria_live: "polite", {t(lang, DeskKey::Loading)} }
    }
}

/// Why a section is empty, with a way to try again.
#[component]
pub fn Failure(error: DeskError, onretry: EventHandler<()>) -> Element {
    let lang = (use_context::<AppState>().lang)();
    rsx! {
        div { class: "alert desk-error", role: "alert",
            span { class: "alert-icon", aria_hidden: "true", "!" }
            span { class: "alert-text", {error.message(lang)} }
            button {
                class: "button button-secondary desk-small",
                r#type: "button",
                onclick: move |_| onretry.call(()),
                {t(lang, DeskKey::Retry)}
            }
        }
    }
}

pub fn part_key(part: Part) -> DeskKey {
    match part {
        Part::Done => DeskKey::Done,
        Part::Failed => DeskKey::Failed,
        Part::Open => DeskKey::Open,
        Part::Waiting => DeskKey::Waiting,
    }
}

/// "7 gedaan · 1 niet gelukt · 3 open": the numbers in words, so the chart never relies on
/// colour alone.
pub fn counts_text(lang: Lang, parts: &[(Part, u32)]) -> String {
    parts
        .iter()
        .map(|(part, n)| format!("{n} {}", t(lang, part_key(*part))))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The fills of the charts, once per page (ids must be unique): hatched "failed" and dotted
/// "waiting" also differ in pattern, not only in colour.
#[component]
pub fn ChartDefs() -> Element {
    rsx! {
        svg { class: "chart-defs", width: "0", height: "0", "aria-hidden": "true", "focusable": "false",
        defs {
            pattern { id: "hatch-failed", "patternUnits": "userSpaceOnUse", width: "8", height: "8",
                rect { class: "pat-failed", width: "8", height: "8" }
                path { class: "hatch", d: "M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" }
            }
            pattern { id: "dots-waiting", "patternUnits": "userSpaceOnUse", width: "6", height: "6",
                rect { class: "pat-waiting", width: "6", height: "6" }
                circle { class: "dot", cx: "3", cy: "3", r: "1.2" }
            }
        }
        }
    }
}

/// One bar's rectangles at vertical position `y`, starting at `x0`.
#[component]
pub fn BarSegments(segments: Vec<Segment>, x0: f64, y: f64, height: f64) -> Element {
    rsx! {
        for (i, s) in segments.into_iter().enumerate() {
            rect {
                key: "{i}",
                // The stylesheet fills each part (patterns for failed and waiting): the
                // Content-Security-Policy allows no inline styles.
                class: "{s.part.class()}",
                x: "{x0 + s.x:.2}",
                y: "{y}",
                width: "{s.width:.2}",
                height: "{height}",
            }
        }
    }
}

/// The legend under a chart: swatch and word for each part.
#[component]
pub fn Legend(parts: Vec<Part>) -> Element {
    let lang = (use_context::<AppState>().lang)();
    rsx! {
        ul { class: "chart-legend",
            for part in parts {
                li { key: "{part.class()}",
                    svg { class: "swatch", width: "16", height: "16", "viewBox": "0 0 16 16", "aria-hidden": "true",
                        BarSegments { segments: desk::stacked_bar(&[(part, 1)], 16.0), x0: 0.0, y: 0.0, height: 16.0 }
                    }
                    {t(lang, part_key(part))}
                }
            }
        }
    }
}

/// A column header that sorts: a button inside `th`, with `aria-sort` on the header.
#[component]
pub fn SortHeader(
    label: String,
    active: bool,
    ascending: bool,
    onsort: EventHandler<()>,
) -> Element {
    let sort = match (active, ascending) {
        (false, _) => "none",
        (true, true) => "ascending",
        (true, false) => "descending",
    };
    let arrow = match (active, ascending) {
        (false, _) => "↕",
        (true, true) => "▲",
        (true, false) => "▼",
    };
    rsx! {
        th { scope: "col", aria_sort: sort,
            button { class: "sort", r#type: "button", onclick: move |_| onsort.call(()),
                "{label}"
                span { class: "sort-arrow", aria_hidden: "true", " {arrow}" }
            }
        }
    }
}

/// A button that saves `contents()` as a CSV file called `name`.
#[component]
pub fn CsvButton(id: String, name: String, contents: Callback<(), String>) -> Element {
    let lang = (use_context::<AppState>().lang)();
    let mut failed = use_signal(|| None::<String>);
    rsx! {
        button {
            class: "button button-secondary desk-small",
            id: "{id}",
            r#type: "button",
            onclick: move |_| {
                let csv = contents.call(());
                failed.set(platform::download::download_text(&name, "text/csv;charset=utf-8", &csv).err());
            },
            {t(lang, DeskKey::ExportCsv)}
        }
        if let Some(message) = failed() {
            span { class: "hint", role: "alert", "{message}" }
        }
    }
}

/// Asks "is this code really leaked?" and, once confirmed, reports it: the server records
/// it, starts the 5-working-day clock and plans an urgent change of that one safe.
#[component]
pub fn LeakConfirm(
    safe_id: String,
    address: String,
    oncancel: EventHandler<()>,
    ondone: EventHandler<LeakReported>,
) -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let mut note = use_signal(String::new);
    let mut busy = use_signal(|| false);
    let mut error = use_signal(|| None::<DeskError>);
    let question = say(lang, DeskMsg::LeakQuestion { address: &address });
    let confirm = move |_| {
        if busy() {
            return;
        }
        let Ok(id) = safe_id.parse::<kluis_domain::ids::SafeId>() else {
            error.set(Some(DeskError::Unexpected { status: 404 }));
            return;
        };
        busy.set(true);
        error.set(None);
        let note = note();
        let request = kluis_api::campaigns::LeakRequest {
            note: (!note.trim().is_empty()).then_some(note),
        };
        let body = serde_json::to_string(&request).unwrap_or_default();
        spawn(async move {
            let path = kluis_api::paths::safe_leaked(id);
            let result = desk::post::<LeakReported>(token(state), &path, &body).await;
            busy.set(false);
            match result {
                Ok(reply) => ondone.call(reply),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    rsx! {
        div { class: "desk-confirm", id: "leak-confirm", role: "alertdialog",
            aria_labelledby: "leak-question", aria_describedby: "leak-explain",
            p { id: "leak-question", class: "desk-confirm-title", "{question}" }
            p { id: "leak-explain", class: "hint", {t(lang, DeskKey::LeakExplain)} }
            div { class: "field",
                label { r#for: "leak-note", {t(lang, DeskKey::LeakNote)} }
                textarea {
                    class: "input",
                    id: "leak-note",
                    rows: "2",
                    maxlength: "1000",
                    autofocus: true,
                    value: "{note}",
                    oninput: move |e: FormEvent| note.set(e.value()),
                }
            }
            if let Some(e) = error() {
                p { class: "alert", role: "alert", {e.message(lang)} }
            }
            div { class: "button-row",
                button {
                    class: "button button-danger desk-small",
                    id: "leak-yes",
                    r#type: "button",
                    aria_disabled: if busy() { "true" } else { "false" },
                    onclick: confirm,
                    {t(lang, DeskKey::LeakConfirm)}
                }
                button {
                    class: "button button-secondary desk-small",
                    id: "leak-no",
                    r#type: "button",
                    onclick: move |_| oncancel.call(()),
                    {t(lang, DeskKey::Cancel)}
                }
            }
        }
    }
}

/// What the server answered to a leak, in one sentence.
pub fn leak_done_text(lang: Lang, reply: &LeakReported, address: &str) -> String {
    say(
        lang,
        DeskMsg::LeakDone {
            address,
            due: &reply.due_on.to_string(),
            campaign: &reply.campaign.name,
        },
    )
}
