//! "Code werkt niet? Meld het" on the carer's safe screen: what is wrong, an optional note
//! (needed for "Andere"), sent through the outbox like a reveal, so it works in a stairwell
//! without signal; below it this phone's reports at the safe, each "verstuurd" once the
//! server has it.

use dioxus::prelude::*;
use kluis_domain::ids::SafeId;
use kluis_domain::model::DoorProblem;

use crate::components::Alert;
use crate::state::AppState;
use crate::state::carer::date_text;
use crate::state::door::{ReportProblem, check_report, problem_text, record_report};
use crate::state::i18n::{DoorKey, t};
use crate::state::volunteer::clock;

#[component]
pub fn ReportPanel(safe: SafeId) -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let mut open = use_signal(|| false);
    let mut problem = use_signal(|| None::<DoorProblem>);
    let mut note = use_signal(String::new);
    let mut error = use_signal(|| None::<&'static str>);
    let mut busy = use_signal(|| false);
    let mine = (state.reports)().get(&safe).cloned().unwrap_or_default();

    let send = move |_| {
        if busy() {
            return;
        }
        let (chosen, text) = match check_report(problem(), &note()) {
            Ok(ok) => ok,
            Err(why) => {
                error.set(Some(t(
                    lang,
                    match why {
                        ReportProblem::NoProblemChosen => DoorKey::PickProblem,
                        ReportProblem::NoteNeeded | ReportProblem::NoteTooLong => {
                            DoorKey::NoteNeeded
                        }
                    },
                )));
                return;
            }
        };
        busy.set(true);
        spawn(async move {
            match record_report(state, safe, chosen, text).await {
                Ok(()) => {
                    open.set(false);
                    problem.set(None);
                    note.set(String::new());
                    error.set(None);
                }
                Err(_) => error.set(Some(t(lang, DoorKey::ReportNotSaved))),
            }
            busy.set(false);
        });
    };
    let needs_note = problem().is_some_and(DoorProblem::needs_note);

    rsx! {
        section { class: "report-panel", aria_labelledby: "report-open",
            if open() {
                fieldset { class: "card reasons", id: "report-form",
                    legend { id: "report-open", {t(lang, DoorKey::ReportTitle)} }
                    for option in DoorProblem::ALL {
                        label { class: "reason", key: "{option}",
                            input {
                                r#type: "radio",
                                name: "problem",
                                value: "{option}",
                                checked: problem() == Some(option),
                                onchange: move |_| {
                                    problem.set(Some(option));
                                    error.set(None);
                                },
                            }
                            span { {problem_text(option, lang)} }
                        }
                    }
                    label { class: "field", r#for: "report-note",
                        span {
                            {t(lang, if needs_note { DoorKey::ReportNoteNeeded } else { DoorKey::ReportNote })}
                        }
                        textarea {
                            class: "input",
                            id: "report-note",
                            rows: "3",
                            maxlength: "500",
                            required: needs_note,
                            value: "{note}",
                            oninput: move |event: FormEvent| note.set(event.value()),
                        }
                    }
                    if let Some(message) = error() {
                        Alert { id: "report-error", message: message.to_string() }
                    }
                    div { class: "button-row",
                        button {
                            class: "button button-primary",
                            id: "report-send",
                            r#type: "button",
                            aria_disabled: if busy() { "true" } else { "false" },
                            onclick: send,
                            {t(lang, DoorKey::ReportSend)}
                        }
                        button {
                            class: "button button-secondary",
                            r#type: "button",
                            onclick: move |_| {
                                open.set(false);
                                error.set(None);
                            },
                            {t(lang, DoorKey::ReportCancel)}
                        }
                    }
                }
            } else {
                button {
                    class: "button button-secondary button-report",
                    id: "report-open",
                    r#type: "button",
                    onclick: move |_| open.set(true),
                    {t(lang, DoorKey::ReportOpen)}
                }
            }
            if !mine.is_empty() {
                div { class: "my-reports",
                    h2 { class: "code-heading", {t(lang, DoorKey::MyReports)} }
                    ul { id: "my-reports", role: "status",
                        for r in mine {
                            li { key: "{r.id}", "data-sent": if r.sent { "true" } else { "false" },
                                strong { {problem_text(r.problem, lang)} }
                                " · {date_text(r.at)} {clock(r.at)} · "
                                if r.sent {
                                    span { class: "chip chip-done", {t(lang, DoorKey::ReportSent)} }
                                } else {
                                    span { class: "chip chip-pending", {t(lang, DoorKey::ReportWaiting)} }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
