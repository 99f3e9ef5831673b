//! Repairs asked of housing companies after a volunteer found a safe broken or its key
//! missing: open ones first, filterable; closing one asks once more before it is done.

use dioxus::prelude::*;

use super::widgets::{Failure, Loading};
use super::{open_history, token};
use crate::state::AppState;
use crate::state::coordinator::{
    self as desk, DeskError, Label, RepairRow, filter_repairs, format_time,
};
use crate::state::i18n::{DeskKey, DeskMsg, say, t};

#[component]
pub fn Repairs() -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let mut list = use_resource(move || async move {
        desk::get::<Vec<RepairRow>>(token(state), "/api/admin/repairs").await
    });
    let mut query = use_signal(String::new);
    let mut show_all = use_signal(|| false);
    let mut confirming = use_signal(|| None::<String>);
    let mut error = use_signal(|| None::<DeskError>);

    let answer = list.read().clone();
    let all = match answer {
        None => return rsx! { Loading {} },
        Some(Err(error)) => return rsx! { Failure { error, onretry: move |_| list.restart() } },
        Some(Ok(rows)) => rows,
    };
    let open_count = all.iter().filter(|r| r.resolved_at.is_none()).count();
    let rows = filter_repairs(&all, &query(), show_all());
    let resolve = move |id: String| {
        let Some(id) = desk::id_segment(&id) else {
            return;
        };
        spawn(async move {
            let path = format!("/api/admin/repairs/{id}/resolve");
            match desk::post::<serde_json::Value>(token(state), &path, "{}").await {
                Ok(_) => {
                    confirming.set(None);
                    error.set(None);
                    list.restart();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };

    rsx! {
        div { class: "desk-toolbar",
            h2 { id: "repairs-title", {t(lang, DeskKey::RepairsTitle)} }
            p { class: "hint", id: "repairs-open", {say(lang, DeskMsg::RepairsOpen { n: (open_count).into() })} }
        }
        div { class: "desk-toolbar",
            div { class: "field desk-filter",
                label { r#for: "repair-filter", {t(lang, DeskKey::Filter)} }
                input {
                    class: "input",
                    id: "repair-filter",
                    r#type: "search",
                    value: "{query}",
                    oninput: move |e: FormEvent| query.set(e.value()),
                }
            }
            label { class: "check",
                input {
                    r#type: "checkbox",
                    id: "repairs-all",
                    checked: show_all(),
                    onchange: move |e: FormEvent| show_all.set(e.checked()),
                }
                {t(lang, DeskKey::ShowResolved)}
            }
            button {
                class: "button button-secondary desk-small",
                r#type: "button",
                onclick: move |_| list.restart(),
                {t(lang, DeskKey::Refresh)}
            }
        }
        if let Some(e) = error() {
            p { class: "alert", role: "alert", {e.message(lang)} }
        }
        if rows.is_empty() {
            p { class: "notice", id: "no-repairs", {t(lang, DeskKey::NoRepairs)} }
        } else {
            div { class: "table-wrap",
                table { class: "desk-table", id: "repair-table", aria_labelledby: "repairs-title",
                    thead {
                        tr {
                            th { scope: "col", {t(lang, DeskKey::ColAddress)} }
                            th { scope: "col", {t(lang, DeskKey::ColOwner)} }
                            th { scope: "col", {t(lang, DeskKey::ColReason)} }
                            th { scope: "col", {t(lang, DeskKey::ColNote)} }
                            th { scope: "col", {t(lang, DeskKey::ColReportedBy)} }
                            th { scope: "col", {t(lang, DeskKey::ColCreated)} }
                            th { scope: "col", {t(lang, DeskKey::ColResolved)} }
                            th { scope: "col", {t(lang, DeskKey::ColActions)} }
                        }
                    }
                    tbody {
                        for r in rows {
                            RepairLine {
                                key: "{r.id}",
                                repair: r.clone(),
                                confirming: confirming() == Some(r.id.to_string()),
                                onask: move |id| confirming.set(Some(id)),
                                oncancel: move |_| confirming.set(None),
                                onresolve: resolve,
                            }
                        }
                    }
                }
            }
        }
    }
}

#[component]
fn RepairLine(
    repair: RepairRow,
    confirming: bool,
    onask: EventHandler<String>,
    oncancel: EventHandler<()>,
    onresolve: EventHandler<String>,
) -> Element {
    let lang = (use_context::<AppState>().lang)();
    let r = repair;
    let (id1, id2, safe) = (r.id.to_string(), r.id.to_string(), r.safe_id);
    rsx! {
        tr { "data-repair": "{r.id}",
            th { scope: "row",
                button { class: "link", r#type: "button", onclick: move |_| open_history(safe), "{r.address}" }
            }
            td { "{r.owner}" }
            td { {r.reason.label(lang)} }
            td { "{r.note}" }
            td { {r.reported_by.clone().unwrap_or_else(|| "—".into())} }
            td { class: "nowrap", {format_time(r.created_at)} }
            td { class: "nowrap", {r.resolved_at.map(format_time).unwrap_or_else(|| t(lang, DeskKey::StillOpen).to_string())} }
            td { class: "actions",
                if r.resolved_at.is_none() {
                    if confirming {
                        button { class: "link link-danger", r#type: "button", "data-action": "resolve-yes",
                            onclick: move |_| onresolve.call(id1.clone()),
                            {t(lang, DeskKey::ResolveConfirm)}
                        }
                        button { class: "link", r#type: "button", onclick: move |_| oncancel.call(()), {t(lang, DeskKey::Cancel)} }
                    } else {
                        button { class: "link", r#type: "button", "data-action": "resolve",
                            onclick: move |_| onask.call(id2.clone()),
                            {t(lang, DeskKey::Resolve)}
                        }
                    }
                }
            }
        }
    }
}
