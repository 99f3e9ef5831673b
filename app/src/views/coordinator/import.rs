//! Importing a city's registry from a CSV file (a dry run first, then all or nothing) and
//! exporting it, without codes or, after the password again, with them.

use dioxus::prelude::*;
use kluis_api::import::{
    CodesExportRequest, IMPORT_MAX_ERRORS, ImportReport, ImportRequest, RegistryExport, day_text,
};

use super::building::{field_words, value_words};
use super::token;
use crate::platform;
use crate::state::AppState;
use crate::state::coordinator::{
    self as desk, DeskError, action_text, conflict_text, error_row, summary_text, template_csv,
    upload_text,
};
use crate::state::i18n::{ImportKey, ImportMsg, Lang, say, t};

/// Most plan lines drawn at once: a 5,000-line file is summed up, not drawn.
const PLAN_SHOWN: usize = 200;

#[derive(Clone, PartialEq)]
enum Step {
    Idle,
    Busy(ImportKey),
    Failed(String),
    Checked { csv: String, report: ImportReport },
    Applied(ImportReport),
}

async fn send_import(state: AppState, csv: &str, apply: bool) -> Result<ImportReport, DeskError> {
    let body = serde_json::to_string(&ImportRequest {
        csv: csv.to_string(),
        apply,
    })
    .map_err(|_| DeskError::Unexpected { status: 0 })?;
    desk::post(token(state), kluis_api::paths::REGISTRY_IMPORT, &body).await
}

#[component]
pub fn Import() -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let mut step = use_signal(|| Step::Idle);

    let choose = move |e: FormEvent| {
        let Some(file) = e.files().into_iter().next() else {
            return;
        };
        spawn(async move {
            step.set(Step::Busy(ImportKey::Checking));
            let text = match file.read_bytes().await {
                Ok(bytes) => upload_text(&bytes),
                Err(_) => Err(ImportKey::NoFile),
            };
            let csv = match text {
                Ok(csv) => csv,
                Err(key) => {
                    step.set(Step::Failed(t(lang, key).to_string()));
                    return;
                }
            };
            step.set(match send_import(state, &csv, false).await {
                Ok(report) => Step::Checked { csv, report },
                Err(e) => Step::Failed(e.message(lang)),
            });
        });
    };
    let apply = move |_| {
        let Step::Checked { csv, .. } = step() else {
            return;
        };
        spawn(async move {
            step.set(Step::Busy(ImportKey::Applying));
            step.set(match send_import(state, &csv, true).await {
                Ok(report) if report.applied => Step::Applied(report),
                Ok(report) => Step::Checked { csv, report },
                Err(e) => Step::Failed(e.message(lang)),
            });
        });
    };

    rsx! {
        div { class: "desk-toolbar",
            h2 { id: "import-title", {t(lang, ImportKey::Title)} }
        }
        section { class: "desk-panel", aria_labelledby: "import-heading",
            h3 { id: "import-heading", {t(lang, ImportKey::ImportHeading)} }
            p { class: "hint", {t(lang, ImportKey::ImportExplain)} }
            p { class: "hint", id: "import-format", {t(lang, ImportKey::FormatExplain)} }
            div { class: "desk-toolbar",
                div { class: "field",
                    label { r#for: "import-file", {t(lang, ImportKey::ChooseFile)} }
                    input {
                        id: "import-file",
                        r#type: "file",
                        accept: ".csv,text/csv,text/plain",
                        onchange: choose,
                    }
                }
                button {
                    class: "button button-secondary desk-small",
                    id: "import-template",
                    r#type: "button",
                    onclick: move |_| {
                        let _ = platform::download::download_text(
                            "kluis-register-voorbeeld.csv",
                            "text/csv;charset=utf-8",
                            &template_csv(),
                        );
                    },
                    {t(lang, ImportKey::Template)}
                }
            }
            match step() {
                Step::Idle => rsx! {},
                Step::Busy(key) => rsx! { p { class: "notice", role: "status", {t(lang, key)} } },
                Step::Failed(message) => rsx! { p { class: "notice notice-error", role: "alert", id: "import-failed", "{message}" } },
                Step::Checked { report, .. } => rsx! {
                    Report { report: report.clone() }
                    if report.error_count == 0 {
                        button {
                            class: "button button-primary desk-small",
                            id: "import-apply",
                            r#type: "button",
                            onclick: apply,
                            {t(lang, ImportKey::Apply)}
                        }
                    }
                },
                Step::Applied(report) => rsx! {
                    p { class: "notice notice-ok", role: "status", id: "import-applied", {t(lang, ImportKey::Applied)} }
                    Report { report }
                },
            }
        }
        Export {}
    }
}

#[component]
fn Report(report: ImportReport) -> Element {
    let lang = (use_context::<AppState>().lang)();
    let r = &report;
    let nothing = r.error_count == 0
        && r.plan.iter().all(|p| {
            p.building == kluis_api::import::RowAction::Same
                && p.safe == kluis_api::import::RowAction::Same
                && p.services_added.is_empty()
        });
    rsx! {
        div { id: "import-report",
            if r.error_count > 0 {
                h4 { id: "import-errors-heading", {t(lang, ImportKey::ErrorsHeading)} }
                p { class: "notice notice-error", role: "alert", id: "import-error-count",
                    {say(lang, ImportMsg::ErrorCount { n: r.error_count.into() })}
                    if r.error_count as usize > r.errors.len() {
                        " "
                        {say(lang, ImportMsg::MoreErrors { shown: r.errors.len().into(), total: r.error_count.into() })}
                    }
                }
                ErrorTable { report: report.clone() }
            } else {
                p { class: "notice", role: "status", id: "import-summary",
                    {summary_text(lang, r)}
                }
                if nothing {
                    p { class: "hint", id: "import-nothing", {t(lang, ImportKey::NothingToApply)} }
                }
            }
            if !r.conflicts.is_empty() {
                ConflictTable { report: report.clone() }
            }
            if r.error_count == 0 && !nothing {
                PlanTable { report: report.clone() }
            }
        }
    }
}

#[component]
fn ErrorTable(report: ImportReport) -> Element {
    let lang = (use_context::<AppState>().lang)();
    debug_assert!(report.errors.len() <= IMPORT_MAX_ERRORS);
    rsx! {
        div { class: "table-wrap",
            table { class: "desk-table", id: "import-errors", aria_labelledby: "import-errors-heading",
                thead {
                    tr {
                        th { scope: "col", {t(lang, ImportKey::ColLine)} }
                        th { scope: "col", {t(lang, ImportKey::ColColumn)} }
                        th { scope: "col", {t(lang, ImportKey::ColProblem)} }
                    }
                }
                tbody {
                    for (i, e) in report.errors.iter().enumerate() {
                        {
                            let (line, column, problem) = error_row(lang, e);
                            rsx! {
                                tr { key: "{i}",
                                    td { "{line}" }
                                    td { "{column}" }
                                    td { "{problem}" }
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
fn ConflictTable(report: ImportReport) -> Element {
    let lang = (use_context::<AppState>().lang)();
    let due = report.conflicts_due.map(day_text).unwrap_or_default();
    rsx! {
        h4 { id: "import-conflicts-heading", {t(lang, ImportKey::ConflictsHeading)} }
        p { class: "hint", id: "import-conflicts-due",
            {say(lang, ImportMsg::ConflictsDue { n: report.conflicts.len().into(), due: &due })}
        }
        div { class: "table-wrap",
            table { class: "desk-table", id: "import-conflicts", aria_labelledby: "import-conflicts-heading",
                thead {
                    tr {
                        th { scope: "col", {t(lang, ImportKey::ColLine)} }
                        th { scope: "col", {t(lang, ImportKey::ColAddress)} }
                        th { scope: "col", {t(lang, ImportKey::ColWhy)} }
                        th { scope: "col", {t(lang, ImportKey::ColOther)} }
                    }
                }
                tbody {
                    for (i, c) in report.conflicts.iter().enumerate() {
                        tr { key: "{i}",
                            td { "{c.line}" }
                            td { "{c.address}" }
                            td { {conflict_text(lang, c.kind)} }
                            td { {c.other.clone().unwrap_or_default()} }
                        }
                    }
                }
            }
        }
    }
}

#[component]
fn PlanTable(report: ImportReport) -> Element {
    let lang = (use_context::<AppState>().lang)();
    let total = report.plan.len();
    rsx! {
        h4 { id: "import-plan-heading", {t(lang, ImportKey::PlanHeading)} }
        if total > PLAN_SHOWN {
            p { class: "hint", {say(lang, ImportMsg::PlanShown { shown: PLAN_SHOWN.into(), total: total.into() })} }
        }
        div { class: "table-wrap",
            table { class: "desk-table", id: "import-plan", aria_labelledby: "import-plan-heading",
                thead {
                    tr {
                        th { scope: "col", {t(lang, ImportKey::ColLine)} }
                        th { scope: "col", {t(lang, ImportKey::ColAddress)} }
                        th { scope: "col", {t(lang, ImportKey::ColBuilding)} }
                        th { scope: "col", {t(lang, ImportKey::ColSafe)} }
                        th { scope: "col", {t(lang, ImportKey::ColDetail)} }
                    }
                }
                tbody {
                    for row in report.plan.iter().take(PLAN_SHOWN) {
                        tr { key: "{row.line}",
                            td { "{row.line}" }
                            td { "{row.address}" }
                            td { {action_text(lang, row.building)} }
                            td {
                                {action_text(lang, row.safe)}
                                if row.sets_code { ", " {t(lang, ImportKey::CodeSet)} }
                            }
                            td {
                                for (j, f) in row.changes.iter().enumerate() {
                                    div { key: "{j}",
                                        {field_words(lang, &f.field)} ": "
                                        s { {value_words(lang, &f.field, &f.before)} }
                                        " → "
                                        {value_words(lang, &f.field, &f.after)}
                                    }
                                }
                                if !row.services_added.is_empty() {
                                    div { "+ " {row.services_added.join(", ")} }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn save(lang: Lang, out: &RegistryExport) -> String {
    match platform::download::download_text(&out.file_name, "text/csv;charset=utf-8", &out.csv) {
        Ok(()) => say(
            lang,
            ImportMsg::Exported {
                rows: out.rows.into(),
                name: &out.file_name,
            },
        ),
        Err(message) => message,
    }
}

#[component]
fn Export() -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let mut plain = use_signal(|| None::<String>);
    let mut secret = use_signal(|| None::<String>);
    let mut password = use_signal(String::new);
    rsx! {
        section { class: "desk-panel", aria_labelledby: "export-heading",
            h3 { id: "export-heading", {t(lang, ImportKey::ExportHeading)} }
            p { class: "hint", {t(lang, ImportKey::ExportExplain)} }
            div { class: "desk-toolbar",
            button {
                class: "button button-secondary desk-small",
                id: "registry-export",
                r#type: "button",
                onclick: move |_| async move {
                    let answer = desk::get::<RegistryExport>(token(state), kluis_api::paths::REGISTRY_EXPORT).await;
                    plain.set(Some(match answer {
                        Ok(out) => save(lang, &out),
                        Err(e) => e.message(lang),
                    }));
                },
                {t(lang, ImportKey::Export)}
            }
            }
            if let Some(message) = plain() {
                p { class: "hint", role: "status", id: "registry-export-done", "{message}" }
            }
        }
        section { class: "desk-panel", aria_labelledby: "codes-heading",
            h3 { id: "codes-heading", {t(lang, ImportKey::CodesHeading)} }
            p { class: "notice notice-warning", {t(lang, ImportKey::CodesExplain)} }
            form {
                class: "desk-toolbar",
                onsubmit: move |e: FormEvent| async move {
                    e.prevent_default();
                    let body = serde_json::to_string(&CodesExportRequest { password: password() })
                        .unwrap_or_default();
                    password.set(String::new());
                    let answer = desk::post::<RegistryExport>(
                        token(state),
                        kluis_api::paths::REGISTRY_EXPORT_CODES,
                        &body,
                    )
                    .await;
                    secret.set(Some(match answer {
                        Ok(out) => save(lang, &out),
                        // The export answers 401 to a wrong password; the session itself is fine.
                        Err(DeskError::SignedOut) => t(lang, ImportKey::WrongPassword).to_string(),
                        Err(e) => e.message(lang),
                    }));
                },
                div { class: "field",
                    label { r#for: "codes-password", {t(lang, ImportKey::Password)} }
                    input {
                        class: "input",
                        id: "codes-password",
                        r#type: "password",
                        autocomplete: "current-password",
                        value: "{password}",
                        oninput: move |e: FormEvent| password.set(e.value()),
                    }
                }
                button { class: "button button-danger desk-small", id: "codes-export", r#type: "submit",
                    {t(lang, ImportKey::ExportCodes)}
                }
            }
            if let Some(message) = secret() {
                p { class: "hint", role: "status", id: "codes-export-done", "{message}" }
            }
        }
    }
}
