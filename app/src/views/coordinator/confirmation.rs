//! The six-monthly confirmation: the coordinator opens a round and sees per service who has
//! answered; a service admin gets a reminder on their start screen and answers per address.

use dioxus::prelude::*;
use kluis_api::confirmations::{
    ConfirmationAnswer, ConfirmationAnswers, ConfirmationItem, ConfirmationOverview,
    ConfirmationRound, Decision, NewConfirmationRound, TeamConfirmation, Unconfirmed,
};
use kluis_api::import::day_text;
use kluis_domain::ids::BuildingId;

use super::token;
use super::widgets::{Failure, Loading};
use crate::state::AppState;
use crate::state::coordinator::{self as desk, DeskError, format_time};
use crate::state::i18n::{ConfirmKey, ConfirmMsg, Lang, say, t};

fn decision_text(lang: Lang, d: Option<Decision>) -> &'static str {
    t(
        lang,
        match d {
            None => ConfirmKey::NotYet,
            Some(Decision::Confirmed) => ConfirmKey::Confirmed,
            Some(Decision::Removed) => ConfirmKey::Removed,
            Some(Decision::Lapsed) | Some(Decision::Unknown) => ConfirmKey::Lapsed,
        },
    )
}

fn round_text(lang: Lang, r: &ConfirmationRound) -> String {
    let deadline = day_text(r.deadline);
    match r.closed_at {
        None => say(
            lang,
            ConfirmMsg::RoundOpen {
                deadline: &deadline,
                by: &r.opened_by,
            },
        ),
        Some(_) => say(
            lang,
            ConfirmMsg::RoundClosed {
                deadline: &deadline,
            },
        ),
    }
}

/// The coordinator's page: the latest round, each service's progress, a new round.
#[component]
pub fn ConfirmationDesk() -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let mut overview = use_resource(move || async move {
        desk::get::<ConfirmationOverview>(token(state), kluis_api::paths::CONFIRMATIONS).await
    });
    let mut deadline = use_signal(String::new);
    let mut remove = use_signal(|| false);
    let mut error = use_signal(|| None::<String>);

    let answer = overview.read().clone();
    let o = match answer {
        None => return rsx! { Loading {} },
        Some(Err(error)) => return rsx! { Failure { error, onretry: move |_| overview.restart() } },
        Some(Ok(o)) => o,
    };
    let open_now = o.round.as_ref().is_some_and(|r| r.closed_at.is_none());
    let submit = move |e: FormEvent| async move {
        e.prevent_default();
        let Ok(day) = deadline().parse() else {
            error.set(Some(say(
                lang,
                ConfirmMsg::DeadlineTooSoon { days: 7u32.into() },
            )));
            return;
        };
        let body = serde_json::to_string(&NewConfirmationRound {
            deadline: day,
            unconfirmed: if remove() {
                Unconfirmed::Remove
            } else {
                Unconfirmed::Keep
            },
        })
        .unwrap_or_default();
        match desk::post::<ConfirmationOverview>(
            token(state),
            kluis_api::paths::CONFIRMATIONS,
            &body,
        )
        .await
        {
            Ok(_) => {
                error.set(None);
                overview.restart();
                super::attention::changed();
            }
            Err(e) => error.set(Some(e.message(lang))),
        }
    };
    rsx! {
        div { class: "desk-toolbar",
            h2 { id: "confirmation-title", {t(lang, ConfirmKey::Title)} }
        }
        p { class: "hint", {t(lang, ConfirmKey::Explain)} }
        match &o.round {
            None => rsx! { p { class: "notice", id: "no-round", {t(lang, ConfirmKey::NoRound)} } },
            Some(r) => rsx! { p { class: "notice", id: "round-state", role: "status", {round_text(lang, r)} } },
        }
        if !o.services.is_empty() {
            div { class: "table-wrap",
                table { class: "desk-table", id: "confirmation-services", aria_labelledby: "confirmation-title",
                    thead {
                        tr {
                            th { scope: "col", {t(lang, ConfirmKey::ColService)} }
                            th { scope: "col", {t(lang, ConfirmKey::ColAddresses)} }
                            th { scope: "col", {t(lang, ConfirmKey::ColConfirmed)} }
                            th { scope: "col", {t(lang, ConfirmKey::ColRemoved)} }
                            th { scope: "col", {t(lang, ConfirmKey::ColOpen)} }
                            th { scope: "col", {t(lang, ConfirmKey::ColLast)} }
                        }
                    }
                    tbody {
                        for s in o.services.iter() {
                            tr { key: "{s.service_id}",
                                th { scope: "row", "{s.service}" }
                                td { "{s.addresses}" }
                                td { "{s.confirmed}" }
                                td { "{s.removed}" }
                                td { "{s.open}" }
                                td {
                                    match (&s.last_answer_by, s.last_answer_at) {
                                        (Some(by), Some(at)) => say(lang, ConfirmMsg::LastAnswer { by, at: &format_time(at) }),
                                        _ => t(lang, ConfirmKey::NotYet).to_string(),
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        if !open_now {
            form { class: "desk-panel", id: "new-round", onsubmit: submit,
                h3 { {t(lang, ConfirmKey::NewRound)} }
                div { class: "field",
                    label { r#for: "round-deadline", {t(lang, ConfirmKey::Deadline)} }
                    input {
                        class: "input",
                        id: "round-deadline",
                        r#type: "date",
                        value: "{deadline}",
                        oninput: move |e: FormEvent| deadline.set(e.value()),
                    }
                }
                fieldset { class: "field",
                    legend { {t(lang, ConfirmKey::UnconfirmedChoice)} }
                    label {
                        input { r#type: "radio", name: "unconfirmed", checked: !remove(), onchange: move |_| remove.set(false) }
                        " " {t(lang, ConfirmKey::KeepWarn)}
                    }
                    label {
                        input { r#type: "radio", name: "unconfirmed", checked: remove(), onchange: move |_| remove.set(true) }
                        " " {t(lang, ConfirmKey::Remove)}
                    }
                }
                if let Some(message) = error() {
                    p { class: "alert", role: "alert", "{message}" }
                }
                button { class: "button button-primary desk-small", r#type: "submit", {t(lang, ConfirmKey::OpenButton)} }
            }
        }
    }
}

/// The service admin's list: every address of the round, answered one by one or all at once.
#[component]
pub fn TeamConfirmationList() -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let mut mine = use_resource(move || async move {
        desk::get::<TeamConfirmation>(token(state), kluis_api::paths::CONFIRMATION_MINE).await
    });
    let mut error = use_signal(|| None::<DeskError>);
    let send = move |answers: Vec<(BuildingId, Decision)>| {
        spawn(async move {
            let body = serde_json::to_string(&ConfirmationAnswers {
                answers: answers
                    .into_iter()
                    .map(|(building_id, decision)| ConfirmationAnswer {
                        building_id,
                        decision,
                    })
                    .collect(),
            })
            .unwrap_or_default();
            match desk::post::<TeamConfirmation>(
                token(state),
                kluis_api::paths::CONFIRMATION_MINE,
                &body,
            )
            .await
            {
                Ok(_) => {
                    error.set(None);
                    mine.restart();
                    super::attention::changed();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let answer = mine.read().clone();
    let c = match answer {
        None => return rsx! { Loading {} },
        Some(Err(error)) => return rsx! { Failure { error, onretry: move |_| mine.restart() } },
        Some(Ok(c)) => c,
    };
    let Some(round) = c.round.clone() else {
        return rsx! {
            h2 { id: "confirmation-title", {t(lang, ConfirmKey::TeamTitle)} }
            p { class: "notice", id: "no-round", {t(lang, ConfirmKey::TeamNone)} }
        };
    };
    let open_now = round.closed_at.is_none();
    let open_ids: Vec<BuildingId> = c
        .items
        .iter()
        .filter(|i| i.decision.is_none())
        .map(|i| i.building_id)
        .collect();
    let left = open_ids.len();
    rsx! {
        h2 { id: "confirmation-title", {t(lang, ConfirmKey::TeamTitle)} }
        p { class: "notice", id: "round-state", role: "status", {round_text(lang, &round)} }
        if open_now {
            p { class: "hint", {t(lang, ConfirmKey::RemoveWarning)} }
            p { class: "hint", id: "confirmation-left",
                if left == 0 {
                    {say(lang, ConfirmMsg::AllDone { n: c.items.len().into() })}
                } else {
                    {say(lang, ConfirmMsg::OpenLeft { n: left.into() })}
                }
            }
        }
        if let Some(e) = error() {
            p { class: "alert", role: "alert", {e.message(lang)} }
        }
        if open_now && left > 0 {
            button {
                class: "button button-secondary desk-small",
                id: "confirm-all",
                r#type: "button",
                onclick: move |_| send(open_ids.iter().map(|b| (*b, Decision::Confirmed)).collect()),
                {t(lang, ConfirmKey::ConfirmAll)}
            }
        }
        div { class: "table-wrap",
            table { class: "desk-table", id: "confirmation-items", aria_labelledby: "confirmation-title",
                thead {
                    tr {
                        th { scope: "col", {t(lang, ConfirmKey::ColAddress)} }
                        th { scope: "col", {t(lang, ConfirmKey::ColDistrict)} }
                        th { scope: "col", {t(lang, ConfirmKey::ColSince)} }
                        th { scope: "col", {t(lang, ConfirmKey::ColAnswer)} }
                    }
                }
                tbody {
                    for item in c.items.iter().cloned() {
                        ItemRow { key: "{item.building_id}", item, open_now, onanswer: move |a| send(vec![a]) }
                    }
                }
            }
        }
    }
}

#[component]
fn ItemRow(
    item: ConfirmationItem,
    open_now: bool,
    onanswer: EventHandler<(BuildingId, Decision)>,
) -> Element {
    let lang = (use_context::<AppState>().lang)();
    let id = item.building_id;
    let answered = match (&item.decided_by, item.decision) {
        (Some(by), Some(d)) => say(
            lang,
            ConfirmMsg::AnsweredBy {
                answer: decision_text(lang, Some(d)),
                by,
            },
        ),
        (_, d) => decision_text(lang, d).to_string(),
    };
    let can_answer = open_now && item.decision != Some(Decision::Removed);
    rsx! {
        tr {
            th { scope: "row", "{item.address}" }
            td { "{item.district}" }
            td { {day_text(item.since)} }
            td {
                span { class: "hint", "{answered}" }
                if can_answer {
                    " "
                    if item.decision != Some(Decision::Confirmed) {
                        button {
                            class: "button button-secondary desk-small",
                            r#type: "button",
                            aria_label: "{t(lang, ConfirmKey::Confirm)}: {item.address}",
                            onclick: move |_| onanswer.call((id, Decision::Confirmed)),
                            {t(lang, ConfirmKey::Confirm)}
                        }
                    }
                    " "
                    button {
                        class: "button button-danger desk-small",
                        r#type: "button",
                        aria_label: "{t(lang, ConfirmKey::RemoveOne)}: {item.address}",
                        onclick: move |_| onanswer.call((id, Decision::Removed)),
                        {t(lang, ConfirmKey::RemoveOne)}
                    }
                }
            }
        }
    }
}
