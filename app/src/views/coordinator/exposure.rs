//! What a person who leaves had seen: every safe whose code they opened in the last six
//! months, whether that code has changed since, and one button that plans the urgent change
//! of the rest. Reached from a deactivated person's line (the coordinator's people, the
//! service admin's carers).

use dioxus::prelude::*;
use kluis_api::audit::{ExposedSafe, Exposure, ExposureChanged, ExposureState};
use kluis_domain::ids::PersonId;

use super::token;
use super::widgets::{Failure, Loading};
use crate::state::AppState;
use crate::state::coordinator::{self as desk, DeskError, format_time};
use crate::state::i18n::{AuditKey, AuditMsg, Lang, say, t};

fn state_words(lang: Lang, safe: &ExposedSafe) -> String {
    match safe.state {
        ExposureState::Changed => t(lang, AuditKey::StateChanged).to_string(),
        ExposureState::Planned => match safe.change.pending_due {
            Some(due) => say(
                lang,
                AuditMsg::PlannedDue {
                    date: &due.to_string(),
                },
            ),
            None => t(lang, AuditKey::StatePlanned).to_string(),
        },
        ExposureState::Open | ExposureState::Unknown => t(lang, AuditKey::StateOpen).to_string(),
    }
}

/// The exposure of `id`, with the action.
#[component]
pub fn ExposureScreen(id: PersonId) -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let mut loaded = use_resource(move || async move {
        desk::get::<Exposure>(token(state), &kluis_api::paths::person_exposure(id)).await
    });
    let mut done = use_signal(|| None::<ExposureChanged>);
    let mut error = use_signal(|| None::<DeskError>);
    let mut busy = use_signal(|| false);

    let answer = loaded.read().clone();
    let exposure = match answer {
        None => return rsx! { Loading {} },
        Some(Err(error)) => return rsx! { Failure { error, onretry: move |_| loaded.restart() } },
        Some(Ok(e)) => e,
    };
    let open = exposure.open();
    let due = exposure.urgent_due.to_string();
    let plan = move |_| {
        busy.set(true);
        spawn(async move {
            let path = kluis_api::paths::person_exposure_change(id);
            match desk::post::<ExposureChanged>(token(state), &path, "{}").await {
                Ok(changed) => {
                    error.set(None);
                    done.set(Some(changed));
                    loaded.restart();
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };

    rsx! {
        div { class: "desk-toolbar",
            h2 { id: "exposure-title", {t(lang, AuditKey::ExposureTitle)} ": {exposure.name}" }
            p { class: "hint", {say(lang, AuditMsg::Since { date: &exposure.since.to_string() })} }
        }
        p { class: "hint", {t(lang, AuditKey::ExposureExplain)} }
        if !exposure.revoked {
            p { class: "notice notice-warning", {t(lang, AuditKey::ExposureStillActive)} }
        }
        if let Some(changed) = done() {
            p { class: "notice notice-ok", id: "exposure-planned", role: "status",
                {say(lang, AuditMsg::Planned {
                    n: changed.planned.into(),
                    date: &changed.due.map(|d| d.to_string()).unwrap_or_default(),
                })}
            }
        }
        if let Some(e) = error() {
            p { class: "alert", role: "alert", {e.message(lang)} }
        }
        if exposure.safes.is_empty() {
            p { class: "notice", id: "no-exposure", {t(lang, AuditKey::ExposureNone)} }
        } else {
            p { class: "desk-lead", id: "exposure-open", {say(lang, AuditMsg::OpenSafes { n: open.into() })} }
            if open > 0 {
                button { class: "button button-primary", r#type: "button", id: "exposure-change",
                    disabled: busy(),
                    onclick: plan,
                    {say(lang, AuditMsg::PlanChange { n: open.into(), date: &due })}
                }
            } else {
                p { class: "notice notice-ok", {t(lang, AuditKey::ExposureAllDone)} }
            }
            div { class: "table-wrap",
                table { class: "desk-table", id: "exposure-table", aria_labelledby: "exposure-title",
                    thead {
                        tr {
                            th { scope: "col", {t(lang, AuditKey::ColWhere)} }
                            th { scope: "col", {t(lang, crate::state::i18n::DeskKey::ColDistrict)} }
                            th { scope: "col", {t(lang, AuditKey::ColLastSeen)} }
                            th { scope: "col", {t(lang, AuditKey::ColTimes)} }
                            th { scope: "col", {t(lang, AuditKey::ColExposure)} }
                        }
                    }
                    tbody {
                        for s in exposure.safes.iter() {
                            tr { key: "{s.safe_id}", "data-state": "{state_attr(s.state)}",
                                th { scope: "row", "{s.address}" }
                                td { "{s.district}" }
                                td { class: "nowrap", {format_time(s.last_seen)} }
                                td { "{s.reveals}" }
                                td { {state_words(lang, s)} }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn state_attr(state: ExposureState) -> &'static str {
    match state {
        ExposureState::Changed => "changed",
        ExposureState::Planned => "planned",
        ExposureState::Open | ExposureState::Unknown => "open",
    }
}
