use dioxus::prelude::*;
use kluis_domain::ids::{RoundId, SafeId};
use kluis_domain::model::ChangeFailure;
use kluis_domain::schema::DeviceEvent;
use kluis_domain::time::Timestamp;

use crate::components::{Alert, FreshnessBar, KeyRow, SessionButtons};
use crate::platform;
use crate::state::AppState;
use crate::state::error::AppError;
use crate::state::i18n::{Key, Lang, Msg, say, t};
use crate::state::reveal::record_event;
use crate::state::round_calls::{fetch_free_rounds, take_round};
use crate::state::volunteer::{
    item_state, items_in_order, progress, reason_text, rounds_in_order, state_class, state_text,
};
use crate::views::{Route, go_back_to, open, use_alive};

/// The volunteer's home: their rounds, each with its safes in route order and where each
/// stands. Works offline from the sealed view.
#[component]
pub fn Rounds() -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let rounds = (state.rounds)();
    let records = (state.records)();
    use_effect(move || {
        platform::set_title(&format!("{} · Kluis", t((state.lang)(), Key::RoundsTitle)))
    });

    let list = rounds
        .as_ref()
        .map(|view| rounds_in_order(view))
        .unwrap_or_default();
    rsx! {
        FreshnessBar {}
        h1 { class: "search-title", {t(lang, Key::RoundsTitle)} }
        if list.is_empty() {
            p { class: "notice", id: "no-rounds", {t(lang, Key::NoRounds)} }
        }
        for (round_id, round) in list {
            section { class: "round", key: "{round_id}", "data-round": "{round_id}",
                h2 { class: "round-title", "{round.name}" }
                p { class: "hint",
                    "{round.campaign_name}"
                    if let Some(due) = round.due {
                        " · "
                        {say(lang, Msg::DueBy { date: &format!("{:02}/{:02}/{:04}", due.day, due.month, due.year) })}
                    }
                }
                {
                    let (done, failed, total) = progress(round, &records);
                    rsx! {
                        p { class: "round-progress",
                            {say(lang, Msg::RoundProgress { done: done.into(), total: total.into() })}
                            if failed > 0 {
                                " · "
                                {say(lang, Msg::RoundFailedCount { n: failed.into() })}
                            }
                        }
                    }
                }
                ol { class: "safe-list round-items",
                    for (safe_id, item) in items_in_order(round) {
                        {
                            let status = item_state(item, records.get(&safe_id));
                            rsx! {
                                li { key: "{safe_id}",
                                    button {
                                        class: "safe-row",
                                        r#type: "button",
                                        "data-safe": "{safe_id}",
                                        onclick: move |_| {
                                            open(Route::RoundItem { round: round_id, safe: safe_id });
                                        },
                                        span { class: "safe-row-title", "{item.order}. {item.street} {item.numbers.label()}" }
                                        span { class: "safe-row-area",
                                            span { class: "chip chip-{state_class(&status)}", {state_text(&status, lang)} }
                                        }
                                        span { class: "safe-row-chevron", aria_hidden: "true", "›" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        FreeRounds { lang }
        div { class: "home-actions", SessionButtons {} }
    }
}

/// Rounds nobody has taken yet (online only): a volunteer may take one.
#[component]
fn FreeRounds(lang: Lang) -> Element {
    let state = use_context::<AppState>();
    let mut reload = use_signal(|| 0u32);
    let mut error = use_signal(|| None::<String>);
    let mut taking = use_signal(|| None::<kluis_domain::ids::RoundId>);
    let alive = use_alive();
    let free = use_resource(move || async move {
        let _ = reload();
        if !platform::is_online() {
            return Err(AppError::Offline);
        }
        fetch_free_rounds(state).await
    });
    let list = match &*free.read() {
        Some(Ok(list)) => list.clone(),
        Some(Err(_)) | None => Vec::new(),
    };
    let offline = matches!(&*free.read(), Some(Err(AppError::Offline)));
    rsx! {
        section { class: "round free-rounds", aria_labelledby: "free-rounds-title",
            h2 { class: "round-title", id: "free-rounds-title", {t(lang, Key::FreeRounds)} }
            if offline {
                p { class: "hint", {t(lang, Key::FreeRoundsOffline)} }
            }
            if let Some(message) = error() {
                Alert { id: "take-error", message }
            }
            for round in list {
                div { class: "card free-round", key: "{round.id}", "data-free-round": "{round.id}",
                    p { class: "safe-row-title", "{round.name}" }
                    p { class: "hint",
                        "{round.campaign_name} · "
                        {say(lang, Msg::RoundSafes { n: round.safes.into() })}
                    }
                    p { class: "hint", {round.streets.join(", ")} }
                    button {
                        class: "button button-secondary",
                        r#type: "button",
                        aria_busy: if taking() == Some(round.id) { "true" } else { "false" },
                        onclick: {
                            let id = round.id;
                            move |_| {
                                if taking().is_some() {
                                    return;
                                }
                                taking.set(Some(id));
                                error.set(None);
                                dioxus::core::spawn_forever(async move {
                                    let result = take_round(state, id).await;
                                    if alive.get() {
                                        taking.set(None);
                                        if let Err(reason) = result {
                                            error.set(Some(reason.message(lang)));
                                        }
                                        reload += 1;
                                    }
                                });
                            }
                        },
                        {t(lang, Key::TakeRound)}
                    }
                }
            }
        }
    }
}

const REASONS: [ChangeFailure; 4] = [
    ChangeFailure::Broken,
    ChangeFailure::KeyMissing,
    ChangeFailure::NoAccess,
    ChangeFailure::Other,
];

/// One safe of a round: the code that opens it now, the code to set, and "Gewijzigd" /
/// "Niet gelukt" (with a reason), recorded on the phone and sent when there is a network.
#[component]
pub fn RoundItem(round: RoundId, safe: SafeId) -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let rounds = (state.rounds)();
    let records = (state.records)();
    let mut failing = use_signal(|| false);
    let mut reason = use_signal(|| None::<ChangeFailure>);
    let mut note = use_signal(String::new);
    let mut error = use_signal(|| None::<String>);
    let mut busy = use_signal(|| false);

    let back = move |_| go_back_to(Route::Rounds {});
    let alive = use_alive();
    let Some(view) = rounds else {
        return rsx! {};
    };
    let Some((round_view, item)) = view
        .rounds
        .get(&round)
        .and_then(|r| r.items.get(&safe).map(|item| (r, item)))
    else {
        return rsx! {
            button { class: "back", id: "back", r#type: "button", onclick: back, "‹ " {t(lang, Key::BackToRound)} }
            p { class: "notice", {t(lang, Key::SafeGone)} }
        };
    };
    let layout: Vec<char> = view
        .models
        .get(&item.model)
        .map(|model| model.buttons.chars().collect())
        .unwrap_or_default();
    let ordered = |buttons: &[char]| {
        let mut keys = buttons.to_vec();
        keys.sort_by_key(|key| layout.iter().position(|b| b == key).unwrap_or(usize::MAX));
        keys
    };
    let current = item
        .current_code
        .as_ref()
        .map(|code| ordered(code.buttons()));
    let new_code = ordered(item.new_code.buttons());
    let status = item_state(item, records.get(&safe));

    let mut record = move |event: DeviceEvent| {
        if busy() {
            return;
        }
        busy.set(true);
        error.set(None);
        dioxus::core::spawn_forever(async move {
            let result = record_event(state, event).await;
            // The component may be gone (locked meanwhile): only touch it on this screen.
            if alive.get() {
                busy.set(false);
                match result {
                    Ok(()) => failing.set(false),
                    Err(reason) => error.set(Some(reason.message(lang))),
                }
            }
        });
    };
    let now = move || Timestamp::from_millis(platform::now_millis());

    rsx! {
        button { class: "back", id: "back", r#type: "button", onclick: back, "‹ " {t(lang, Key::BackToRound)} }
        section { class: "safe-head",
            p { class: "hint", "{round_view.name} · {item.order}" }
            h1 { id: "safe-title", "{item.street} {item.numbers.label()}" }
            p { class: "safe-area", "{item.postcode} {item.city} · {item.district}" }
        }
        dl { class: "card facts",
            div {
                dt { {t(lang, Key::Placement)} }
                dd { id: "safe-placement", "{item.placement}" }
            }
        }
        p { class: "chip chip-{state_class(&status)}", id: "item-status", role: "status", {state_text(&status, lang)} }
        section { class: "code-panel",
            div { class: "previous-code",
                h2 { class: "code-heading", {t(lang, Key::OpenWith)} }
                if let Some(current) = current {
                    KeyRow { keys: current, lang, id: "current-code", secondary: true }
                } else {
                    p { {t(lang, Key::FactoryDefault)} }
                }
            }
            h2 { class: "code-heading", {t(lang, Key::NewCodeToSet)} }
            KeyRow { keys: new_code, lang, id: "new-code", secondary: false }
            p { class: "order-note", {t(lang, Key::OrderNote)} }
            if let Some(message) = error() {
                Alert { id: "record-error", message }
            }
            if failing() {
                fieldset { class: "card reasons",
                    legend { {t(lang, Key::FailedWhy)} }
                    for option in REASONS {
                        label { class: "reason", key: "{option}",
                            input {
                                r#type: "radio",
                                name: "reason",
                                value: "{option}",
                                checked: reason() == Some(option),
                                onchange: move |_| reason.set(Some(option)),
                            }
                            span { {reason_text(option, lang)} }
                        }
                    }
                    label { class: "field", r#for: "note",
                        span { {t(lang, Key::NoteLabel)} }
                        textarea {
                            class: "input",
                            id: "note",
                            rows: "3",
                            maxlength: "500",
                            value: "{note}",
                            oninput: move |event: FormEvent| note.set(event.value()),
                        }
                    }
                    button {
                        class: "button button-primary",
                        id: "confirm-failed",
                        r#type: "button",
                        aria_disabled: if reason().is_none() { "true" } else { "false" },
                        onclick: move |_| {
                            if let Some(why) = reason() {
                                record(DeviceEvent::ChangeFailed { safe, reason: why, note: note(), at: now() });
                            }
                        },
                        {t(lang, Key::ConfirmFailed)}
                    }
                    button {
                        class: "button button-secondary",
                        r#type: "button",
                        onclick: move |_| failing.set(false),
                        {t(lang, Key::Cancel)}
                    }
                }
            } else {
                div { class: "button-row",
                    button {
                        class: "button button-primary",
                        id: "mark-changed",
                        r#type: "button",
                        onclick: move |_| record(DeviceEvent::CodeSet { safe, at: now() }),
                        {t(lang, Key::MarkChanged)}
                    }
                    button {
                        class: "button button-secondary",
                        id: "mark-failed",
                        r#type: "button",
                        onclick: move |_| failing.set(true),
                        {t(lang, Key::MarkFailed)}
                    }
                }
            }
        }
    }
}
