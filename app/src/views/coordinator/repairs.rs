//! Repair orders for housing companies (a safe broken or its key missing, found by a
//! volunteer or reported from the door): open ones first, filterable. The coordinator sees
//! all of them, a housing company its own on its start screen; either plans the day and says
//! on which day it was fixed, which closes the loop for the coordinator and the reporting
//! service.

use dioxus::prelude::*;
use kluis_api::door::{RepairDone, RepairPlan};

use super::widgets::{Failure, Loading};
use super::{open_history, token};
use crate::platform;
use crate::state::AppState;
use crate::state::coordinator::{
    self as desk, DeskError, Label, RepairRow, filter_repairs, format_time, local_today,
};
use crate::state::i18n::{DeskKey, DeskMsg, DoorKey, DoorMsg, say, t};

#[component]
pub fn Repairs(#[props(default)] company: bool) -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let mut list = use_resource(move || async move {
        desk::get::<Vec<RepairRow>>(token(state), kluis_api::paths::REPAIRS).await
    });
    let mut query = use_signal(String::new);
    let mut show_all = use_signal(|| false);

    let answer = list.read().clone();
    let all = match answer {
        None => return rsx! { Loading {} },
        Some(Err(error)) => return rsx! { Failure { error, onretry: move |_| list.restart() } },
        Some(Ok(rows)) => rows,
    };
    let open_count = all.iter().filter(|r| r.resolved_at.is_none()).count();
    let rows = filter_repairs(&all, &query(), show_all());
    let (title, count) = if company {
        (
            t(lang, DoorKey::CompanyRepairs),
            say(
                lang,
                DoorMsg::OpenRepairs {
                    n: open_count.into(),
                },
            ),
        )
    } else {
        (
            t(lang, DeskKey::RepairsTitle),
            say(
                lang,
                DeskMsg::RepairsOpen {
                    n: open_count.into(),
                },
            ),
        )
    };

    rsx! {
        div { class: "desk-toolbar",
            h2 { id: "repairs-title", {title} }
            p { class: "hint", id: "repairs-open", {count} }
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
        if rows.is_empty() {
            p { class: "notice", id: "no-repairs",
                {if company { t(lang, DoorKey::NoOpenRepairs) } else { t(lang, DeskKey::NoRepairs) }}
            }
        } else {
            div { class: "table-wrap",
                table { class: "desk-table", id: "repair-table", aria_labelledby: "repairs-title",
                    thead {
                        tr {
                            th { scope: "col", {t(lang, DeskKey::ColAddress)} }
                            if !company {
                                th { scope: "col", {t(lang, DeskKey::ColOwner)} }
                            }
                            th { scope: "col", {t(lang, DeskKey::ColReason)} }
                            th { scope: "col", {t(lang, DeskKey::ColNote)} }
                            th { scope: "col", {t(lang, DeskKey::ColReportedBy)} }
                            th { scope: "col", {t(lang, DeskKey::ColCreated)} }
                            th { scope: "col", {t(lang, DoorKey::ColPlanned)} }
                            th { scope: "col", {t(lang, DoorKey::ColDone)} }
                            th { scope: "col", {t(lang, DeskKey::ColActions)} }
                        }
                    }
                    tbody {
                        for r in rows {
                            RepairLine {
                                key: "{r.id}",
                                repair: r.clone(),
                                company,
                                onchanged: move |_| {
                                    list.restart();
                                    super::attention::changed();
                                },
                            }
                        }
                    }
                }
            }
        }
    }
}

#[component]
fn RepairLine(repair: RepairRow, company: bool, onchanged: EventHandler<()>) -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let today = local_today(platform::now_millis()).to_string();
    let r = repair;
    let initial = r.planned_on.map(|d| d.to_string()).unwrap_or(today.clone());
    let mut plan_day = use_signal(move || initial);
    let mut done_day = use_signal(move || today);
    let mut error = use_signal(|| None::<DeskError>);
    let mut bad_day = use_signal(|| false);
    let (id, safe) = (r.id, r.safe_id);
    let send = move |path: String, body: String| {
        spawn(async move {
            match desk::post::<serde_json::Value>(token(state), &path, &body).await {
                Ok(_) => {
                    error.set(None);
                    onchanged.call(());
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let address = r.address.clone();
    rsx! {
        tr { "data-repair": "{r.id}",
            th { scope: "row",
                if company {
                    "{r.address}"
                } else {
                    button { class: "link", r#type: "button", onclick: move |_| open_history(safe), "{r.address}" }
                }
            }
            if !company {
                td { "{r.owner}" }
            }
            td { {r.reason.label(lang)} }
            td { "{r.note}" }
            td { {r.reported_by.clone().unwrap_or_else(|| "—".into())} }
            td { class: "nowrap", {format_time(r.created_at)} }
            td { class: "nowrap", {r.planned_on.map(|d| d.to_string()).unwrap_or_else(|| "—".into())} }
            td { class: "nowrap",
                {match (r.done_on, r.resolved_at) {
                    (Some(d), _) => d.to_string(),
                    (None, Some(at)) => format_time(at),
                    (None, None) => t(lang, DeskKey::StillOpen).to_string(),
                }}
            }
            td { class: "actions",
                if r.resolved_at.is_none() {
                    div { class: "repair-step",
                        input { class: "input", r#type: "date", value: "{plan_day}",
                            aria_label: "{t(lang, DoorKey::PlanDay)}: {address}",
                            oninput: move |e: FormEvent| plan_day.set(e.value()) }
                        button { class: "button button-secondary desk-small", r#type: "button", "data-action": "plan",
                            onclick: move |_| {
                                let Ok(planned_on) = plan_day().parse() else { bad_day.set(true); return };
                                bad_day.set(false);
                                let body = serde_json::to_string(&RepairPlan { planned_on }).unwrap_or_default();
                                send(kluis_api::paths::repair_plan(id), body);
                            },
                            {t(lang, DoorKey::Plan)}
                        }
                    }
                    div { class: "repair-step",
                        input { class: "input", r#type: "date", value: "{done_day}",
                            aria_label: "{t(lang, DoorKey::DoneDay)}: {r.address}",
                            oninput: move |e: FormEvent| done_day.set(e.value()) }
                        button { class: "button button-primary desk-small", r#type: "button", "data-action": "resolve",
                            onclick: move |_| {
                                let Ok(done_on) = done_day().parse() else { bad_day.set(true); return };
                                bad_day.set(false);
                                let body = serde_json::to_string(&RepairDone { done_on }).unwrap_or_default();
                                send(kluis_api::paths::repair_resolve(id), body);
                            },
                            {t(lang, DoorKey::MarkDone)}
                        }
                    }
                    if bad_day() {
                        p { class: "alert", role: "alert", {t(lang, DoorKey::ErrDateInPast)} }
                    }
                    if let Some(e) = error() {
                        p { class: "alert", role: "alert", {e.message(lang)} }
                    }
                }
            }
        }
    }
}
