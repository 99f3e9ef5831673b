//! A safe's history: every code with its state and dates, who confirmed it on site, and every
//! record volunteers made (no code values). Reached from the due list, or by typing a safe's
//! id or part of an address that is on the due list. "Code leaked" is offered here too.

use dioxus::prelude::*;
use kluis_domain::ids::SafeId;

use super::widgets::{Failure, LeakConfirm, Loading, leak_done_text};
use super::{open_history, token};
use crate::state::AppState;
use crate::state::coordinator::{
    self as desk, DeskError, DueList, DueTable, Label, SafeHistory, filter_due, format_time,
};
use crate::state::i18n::{DeskKey, DeskMsg, say, t};
use kluis_domain::time::Timestamp;

/// How many address matches the picker offers.
const MATCH_LIMIT: usize = 8;

#[component]
pub fn History(safe: Option<SafeId>) -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let mut typed = use_signal(String::new);
    let mut invalid = use_signal(|| false);
    // Addresses to pick from: the due list is the only list of safes the API offers.
    let due =
        use_resource(
            move || async move { desk::get::<DueList>(token(state), "/api/admin/due").await },
        );
    let query = typed();
    let matches = match (&*due.read(), query.trim().chars().count() >= 2) {
        (Some(Ok(list)), true) => {
            let mut rows = filter_due(list.rows(), &query, None);
            rows.truncate(MATCH_LIMIT);
            rows
        }
        _ => Vec::new(),
    };
    let submit = move |event: FormEvent| {
        event.prevent_default();
        match typed().trim().parse::<SafeId>() {
            Ok(id) => {
                invalid.set(false);
                open_history(id);
            }
            Err(_) => invalid.set(true),
        }
    };
    let current = safe.map(|id| id.to_string());

    rsx! {
        div { class: "desk-toolbar",
            h2 { id: "history-title", {t(lang, DeskKey::HistoryTitle)} }
        }
        form { class: "desk-toolbar", role: "search", onsubmit: submit,
            div { class: "field desk-filter",
                label { r#for: "history-safe", {t(lang, DeskKey::HistorySearch)} }
                input {
                    class: "input",
                    id: "history-safe",
                    r#type: "search",
                    autocomplete: "off",
                    value: "{query}",
                    aria_invalid: if invalid() { "true" } else { "false" },
                    aria_describedby: "history-hint",
                    oninput: move |e: FormEvent| typed.set(e.value()),
                }
                p { class: "hint", id: "history-hint", {t(lang, DeskKey::HistoryHint)} }
            }
            button { class: "button button-primary desk-small", r#type: "submit", {t(lang, DeskKey::Show)} }
        }
        if !matches.is_empty() {
            ul { class: "pick-list", id: "history-matches",
                for row in matches {
                    li { key: "{row.safe.safe_id}",
                        button {
                            class: "link",
                            r#type: "button",
                            onclick: {
                                let id = row.safe.safe_id;
                                move |_| {
                                    typed.set(String::new());
                                    open_history(id);
                                }
                            },
                            "{row.safe.address}"
                        }
                        span { class: "hint", " · {row.safe.district} · {row.safe.owner}" }
                    }
                }
            }
        }
        if let Some(id) = current {
            SafeHistoryView { key: "{id}", id }
        } else {
            p { class: "hint", {t(lang, DeskKey::HistoryPick)} }
        }
    }
}

#[component]
fn SafeHistoryView(id: String) -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let path = desk::id_segment(&id).map(|id| format!("/api/admin/safes/{id}/history"));
    let mut history = use_resource(move || {
        let path = path.clone();
        async move {
            let path = path.ok_or(DeskError::Unexpected { status: 404 })?;
            desk::get::<SafeHistory>(token(state), &path).await
        }
    });
    let mut leaking = use_signal(|| false);
    let mut done = use_signal(|| None::<String>);
    let answer = history.read().clone();
    let h = match answer {
        None => return rsx! { Loading {} },
        Some(Err(error)) => return rsx! { Failure { error, onretry: move |_| history.restart() } },
        Some(Ok(h)) => h,
    };
    let who = h.safe_id.to_string();
    rsx! {
        article { class: "desk-card", id: "safe-history", "data-safe": "{h.safe_id}",
            div { class: "desk-toolbar",
                h3 { {say(lang, DeskMsg::SafeLabel { id: &h.safe_id.to_string() })} }
                button {
                    class: "button button-danger desk-small",
                    id: "history-leak",
                    r#type: "button",
                    onclick: move |_| {
                        done.set(None);
                        leaking.set(true);
                    },
                    {t(lang, DeskKey::MarkLeaked)}
                }
            }
            dl { class: "desk-facts",
                div { dt { {t(lang, DeskKey::ColStatus)} } dd { {h.status.label(lang)} } }
                if let Some(leak) = h.leak_reported_on.as_ref() {
                    div { dt { {t(lang, DeskKey::LeakReportedOn)} } dd { id: "leak-reported-on", "{leak}" } }
                }
            }
            if let Some(message) = done() {
                p { class: "notice", role: "status", id: "leak-done", "{message}" }
            }
            if leaking() {
                LeakConfirm {
                    safe_id: h.safe_id.to_string(),
                    address: who.clone(),
                    oncancel: move |_| leaking.set(false),
                    ondone: move |reply| {
                        done.set(Some(leak_done_text(lang, &reply, &who)));
                        leaking.set(false);
                        history.restart();
                    },
                }
            }
            CodesTable { history: h.clone() }
            RecordsTable { history: h.clone() }
        }
    }
}

#[component]
fn CodesTable(history: SafeHistory) -> Element {
    let lang = (use_context::<AppState>().lang)();
    let when = |t: Option<Timestamp>| t.map(format_time).unwrap_or_else(|| "—".into());
    rsx! {
        div { class: "table-wrap",
            table { class: "desk-table", id: "codes-table",
                caption { {t(lang, DeskKey::CodesTitle)} }
                thead {
                    tr {
                        th { scope: "col", {t(lang, DeskKey::ColState)} }
                        th { scope: "col", {t(lang, DeskKey::ColCreated)} }
                        th { scope: "col", {t(lang, DeskKey::ColActivated)} }
                        th { scope: "col", {t(lang, DeskKey::ColRetired)} }
                        th { scope: "col", {t(lang, DeskKey::ColCampaign)} }
                        th { scope: "col", {t(lang, DeskKey::ColConfirmedBy)} }
                    }
                }
                tbody {
                    for c in history.codes {
                        tr { key: "{c.code_id}", "data-state": "{c.state}",
                            th { scope: "row", {c.state.label(lang)} }
                            td { class: "nowrap", {format_time(c.created_at)} }
                            td { class: "nowrap", {when(c.activated_at)} }
                            td { class: "nowrap", {when(c.retired_at)} }
                            td { {c.campaign_name.clone().unwrap_or_else(|| "—".into())} }
                            td {
                                {c.confirmed_by.clone().unwrap_or_else(|| "—".into())}
                                if let Some(at) = c.confirmed_at {
                                    span { class: "hint", " ({format_time(at)})" }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[component]
fn RecordsTable(history: SafeHistory) -> Element {
    let lang = (use_context::<AppState>().lang)();
    if history.records.is_empty() {
        return rsx! { p { class: "hint", id: "no-records", {t(lang, DeskKey::NoRecords)} } };
    }
    rsx! {
        div { class: "table-wrap",
            table { class: "desk-table", id: "records-table",
                caption { {t(lang, DeskKey::RecordsTitle)} }
                thead {
                    tr {
                        th { scope: "col", {t(lang, DeskKey::ColWhen)} }
                        th { scope: "col", {t(lang, DeskKey::ColVolunteer)} }
                        th { scope: "col", {t(lang, DeskKey::ColOutcome)} }
                        th { scope: "col", {t(lang, DeskKey::ColReason)} }
                        th { scope: "col", {t(lang, DeskKey::ColNote)} }
                    }
                }
                tbody {
                    for r in history.records {
                        tr { key: "{r.id}",
                            td { class: "nowrap", {format_time(r.at)} }
                            td { "{r.volunteer}" }
                            th { scope: "row", {r.outcome.label(lang)} }
                            td { {r.reason.map(|x| x.label(lang)).unwrap_or_default()} }
                            td { "{r.note}" }
                        }
                    }
                }
            }
        }
    }
}
