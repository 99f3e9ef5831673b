//! Reports from the door per safe. The coordinator deals with a safe's new reports in one
//! step (the suggested action first: the leak flow, an urgent change, a repair order, or a
//! reply); a service admin sees their carers' reports and where each stands.

use dioxus::prelude::*;
use kluis_api::door::{
    DoorReport, HandleReports, ReportAction, ReportGroup, ReportStatus, ReportsHandled,
};
use kluis_domain::ids::SafeId;

use super::widgets::{Failure, Loading};
use super::{open_history, token};
use crate::platform;
use crate::state::AppState;
use crate::state::coordinator::{self as desk, DeskError, format_time};
use crate::state::door::{problem_text, shown_groups, status_text, suggested_action};
use crate::state::i18n::{DeskKey, DoorKey, DoorMsg, Lang, say, t};

/// Who the list is for: the coordinator acts, a service follows.
#[derive(Clone, Copy, PartialEq)]
pub enum InboxFor {
    Coordinator,
    Service,
}

const ACTIONS: [(ReportAction, DoorKey); 5] = [
    (ReportAction::Leak, DoorKey::ActLeak),
    (ReportAction::Urgent, DoorKey::ActUrgent),
    (ReportAction::RepairBroken, DoorKey::ActRepairBroken),
    (ReportAction::RepairKeyMissing, DoorKey::ActRepairKey),
    (ReportAction::Close, DoorKey::ActClose),
];

fn action_id(action: ReportAction) -> &'static str {
    match action {
        ReportAction::Leak => "leak",
        ReportAction::Urgent => "urgent",
        ReportAction::RepairBroken => "repair-broken",
        ReportAction::RepairKeyMissing => "repair-key",
        ReportAction::Close | ReportAction::Unknown => "close",
    }
}

#[component]
pub fn Inbox(view: InboxFor) -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let mut list = use_resource(move || async move {
        desk::get::<Vec<ReportGroup>>(token(state), kluis_api::paths::DOOR_REPORTS).await
    });
    let mut show_all = use_signal(|| false);
    let mut done = use_signal(|| None::<String>);

    let answer = list.read().clone();
    let all = match answer {
        None => return rsx! { Loading {} },
        Some(Err(error)) => return rsx! { Failure { error, onretry: move |_| list.restart() } },
        Some(Ok(groups)) => groups,
    };
    let new: usize = all.iter().map(ReportGroup::new_reports).sum();
    let groups = shown_groups(&all, show_all());
    let title = match view {
        InboxFor::Coordinator => DoorKey::InboxTitle,
        InboxFor::Service => DoorKey::TeamReportsTitle,
    };

    rsx! {
        div { class: "desk-toolbar",
            h2 { id: "inbox-title", {t(lang, title)} }
            p { class: "hint", id: "inbox-new", {say(lang, DoorMsg::NewReports { n: new.into() })} }
        }
        if view == InboxFor::Coordinator {
            p { class: "hint", {t(lang, DoorKey::InboxExplain)} }
        }
        div { class: "desk-toolbar",
            label { class: "check",
                input {
                    r#type: "checkbox",
                    id: "inbox-all",
                    checked: show_all(),
                    onchange: move |e: FormEvent| show_all.set(e.checked()),
                }
                {t(lang, DoorKey::ShowHandled)}
            }
            button {
                class: "button button-secondary desk-small",
                r#type: "button",
                onclick: move |_| list.restart(),
                {t(lang, DeskKey::Refresh)}
            }
        }
        if let Some(message) = done() {
            p { class: "notice", id: "inbox-done", role: "status", "{message}" }
        }
        if groups.is_empty() {
            p { class: "notice", id: "no-reports", {t(lang, DoorKey::NoReports)} }
        }
        for g in groups {
            GroupCard {
                key: "{g.safe_id}",
                group: g.clone(),
                view,
                onhandled: move |message: String| {
                    done.set(Some(message));
                    list.restart();
                    super::attention::changed();
                },
            }
        }
    }
}

fn change_line(lang: Lang, g: &ReportGroup) -> String {
    match (g.change.pending_due, g.change.current_since) {
        (Some(due), _) => say(
            lang,
            DoorMsg::ChangePending {
                date: &due.to_string(),
            },
        ),
        (None, Some(since)) => say(
            lang,
            DoorMsg::CurrentSince {
                time: &format_time(since),
            },
        ),
        (None, None) => t(lang, DoorKey::NoChange).to_string(),
    }
}

fn status_line(lang: Lang, r: &DoorReport, owner: &str) -> String {
    let mut out = status_text(r.status, lang).to_string();
    match r.status {
        ReportStatus::RepairAsked => out = say(lang, DoorMsg::RepairAsked { owner }),
        ReportStatus::RepairPlanned => {
            if let Some(d) = r.repair_planned_on {
                out = format!(
                    "{out}, {}",
                    say(
                        lang,
                        DoorMsg::PlannedOn {
                            date: &d.to_string()
                        }
                    )
                );
            }
        }
        ReportStatus::Done => {
            if let Some(d) = r.repair_done_on {
                out = format!(
                    "{out}, {}",
                    say(
                        lang,
                        DoorMsg::DoneOn {
                            date: &d.to_string()
                        }
                    )
                );
            }
        }
        _ => {}
    }
    if !r.reply.is_empty() {
        out = format!(
            "{out} · {}",
            say(lang, DoorMsg::ReplyWas { reply: &r.reply })
        );
    }
    out
}

#[component]
fn GroupCard(group: ReportGroup, view: InboxFor, onhandled: EventHandler<String>) -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let mut reply = use_signal(String::new);
    let mut error = use_signal(|| None::<DeskError>);
    let mut busy = use_signal(|| false);
    let g = group;
    let safe: SafeId = g.safe_id;
    let new = g.new_reports();
    let suggested = suggested_action(&g, platform::now_millis());
    let mut actions = ACTIONS.to_vec();
    actions.sort_by_key(|(a, _)| *a != suggested);

    let mut act = move |action: ReportAction| {
        if busy() {
            return;
        }
        let body = HandleReports {
            action,
            reply: reply().trim().to_string(),
        };
        let Ok(body) = serde_json::to_string(&body) else {
            return;
        };
        busy.set(true);
        spawn(async move {
            let path = kluis_api::paths::door_reports_handle(safe);
            match desk::post::<ReportsHandled>(token(state), &path, &body).await {
                Ok(handled) => {
                    error.set(None);
                    reply.set(String::new());
                    let mut message = say(
                        lang,
                        DoorMsg::ClosedCount {
                            n: (handled.handled as usize).into(),
                        },
                    );
                    if let Some(due) = handled.due_on {
                        message = format!(
                            "{message} {}",
                            say(
                                lang,
                                DoorMsg::LeakPlanned {
                                    date: &due.to_string()
                                }
                            )
                        );
                    }
                    onhandled.call(message);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };

    rsx! {
        article { class: "card report-group", "data-safe": "{safe}",
            aria_labelledby: "group-{safe}",
            header { class: "report-group-head",
                h3 { id: "group-{safe}",
                    if view == InboxFor::Coordinator {
                        button { class: "link", r#type: "button", onclick: move |_| open_history(safe), "{g.address}" }
                    } else {
                        "{g.address}"
                    }
                }
                p { class: "hint", {format!("{} · {} · {}", g.district, g.owner, say(lang, DoorMsg::Reports { n: g.reports.len().into() }))} }
                p { class: "hint", "data-change": "", {change_line(lang, &g)} }
            }
            div { class: "table-wrap",
                table { class: "desk-table",
                    thead {
                        tr {
                            th { scope: "col", {t(lang, DoorKey::ColProblem)} }
                            th { scope: "col", {t(lang, DeskKey::ColNote)} }
                            th { scope: "col", {t(lang, DoorKey::ColReporter)} }
                            th { scope: "col", {t(lang, DoorKey::ColReceived)} }
                            th { scope: "col", {t(lang, DoorKey::ColStatus)} }
                        }
                    }
                    tbody {
                        for r in g.reports.iter() {
                            tr { key: "{r.id}", "data-report": "{r.id}", "data-status": "{status_text(r.status, Lang::En)}",
                                th { scope: "row", {problem_text(r.problem, lang)} }
                                td { "{r.note}" }
                                td { "{r.reporter} ({r.service})" }
                                td { class: "nowrap", {format_time(r.received_at)} }
                                td { {status_line(lang, r, &g.owner)} }
                            }
                        }
                    }
                }
            }
            if view == InboxFor::Coordinator && new > 0 {
                div { class: "report-actions",
                    div { class: "field",
                        label { r#for: "reply-{safe}", {t(lang, DoorKey::Reply)} }
                        input { class: "input", id: "reply-{safe}", r#type: "text", maxlength: "1000",
                            value: "{reply}", oninput: move |e: FormEvent| reply.set(e.value()) }
                        p { class: "hint", {t(lang, DoorKey::ReplyHint)} }
                    }
                    div { class: "button-row",
                        for (i, (action, key)) in actions.into_iter().enumerate() {
                            button {
                                key: "{action_id(action)}",
                                class: if i == 0 { "button button-primary desk-small" } else { "button button-secondary desk-small" },
                                r#type: "button",
                                "data-action": action_id(action),
                                aria_disabled: if busy() { "true" } else { "false" },
                                onclick: move |_| act(action),
                                {t(lang, key)}
                            }
                        }
                    }
                    if let Some(e) = error() {
                        p { class: "alert", role: "alert", {e.message(lang)} }
                    }
                }
            }
        }
    }
}
