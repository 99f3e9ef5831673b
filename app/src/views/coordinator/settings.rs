//! The coordinator's settings: how campaigns are planned (quarantine of retired codes, round
//! size, codes kept free for urgent changes) and the office's closing days, which deadlines in
//! working days skip; and what every device gets (grace period of the previous code, idle
//! lock, lease).

use dioxus::prelude::*;

use super::token;
use super::widgets::{Failure, Loading};
use crate::components::Alert;
use crate::state::AppState;
use crate::state::coordinator::{
    self as desk, DeskSettings, PlanningInput, closing_day_body, device_settings_body,
    out_of_range_text, settings_body,
};
use crate::state::i18n::{AuditKey, DeskKey, t};

#[component]
pub fn Settings() -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let mut loaded = use_resource(move || async move {
        desk::get::<DeskSettings>(token(state), "/api/admin/settings").await
    });
    let answer = loaded.read().clone();
    let settings = match answer {
        None => return rsx! { Loading {} },
        Some(Err(error)) => return rsx! { Failure { error, onretry: move |_| loaded.restart() } },
        Some(Ok(settings)) => settings,
    };
    rsx! {
        h2 { id: "settings-title", {t(lang, DeskKey::SettingsTitle)} }
        PlanningForm {
            settings: settings.clone(), onsaved: move |_| loaded.restart() }
        ClosingDays { settings: settings.clone(), onchanged: move |_| loaded.restart() }
        DeviceForm { settings: settings.clone(), onsaved: move |_| loaded.restart() }
        RevocationPolicyForm { on: settings.change_on_revoke }
    }
}

/// Whether deactivating a person plans the change of the codes they saw by itself; saved
/// as soon as it is ticked.
#[component]
fn RevocationPolicyForm(on: bool) -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let mut checked = use_signal(|| on);
    let mut saved = use_signal(|| None::<Result<(), desk::DeskError>>);
    rsx! {
        section { class: "desk-form card", aria_labelledby: "policy-title",
            h3 { id: "policy-title", {t(lang, AuditKey::PolicyTitle)} }
            label { class: "check",
                input {
                    r#type: "checkbox",
                    id: "change-on-revoke",
                    checked: checked(),
                    onchange: move |e: FormEvent| {
                        let on = e.checked();
                        checked.set(on);
                        spawn(async move {
                            let body = serde_json::to_string(&kluis_api::settings::RevocationPolicy { change_on_revoke: on })
                                .unwrap_or_default();
                            let result = desk::send::<serde_json::Value>(token(state), "PUT", kluis_api::paths::REVOCATION_POLICY, &body)
                                .await
                                .map(|_| ());
                            if result.is_err() {
                                checked.set(!on);
                            }
                            saved.set(Some(result));
                        });
                    },
                }
                {t(lang, AuditKey::PolicyLabel)}
            }
            match saved() {
                Some(Ok(())) => rsx! { p { class: "hint", role: "status", {t(lang, AuditKey::PolicySaved)} } },
                Some(Err(e)) => rsx! { Alert { id: "policy-error", message: e.message(lang) } },
                None => rsx! {},
            }
        }
    }
}

#[component]
fn PlanningForm(settings: DeskSettings, onsaved: EventHandler<()>) -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let quarantine = use_signal(|| settings.quarantine_days.to_string());
    let round = use_signal(|| settings.max_round_size.to_string());
    let reserve = use_signal(|| settings.reserve_per_model.to_string());
    let rounds = use_signal(|| settings.max_rounds_per_volunteer.to_string());
    let mut problem = use_signal(|| None::<String>);
    let mut saved = use_signal(|| false);

    let submit = move |event: FormEvent| {
        event.prevent_default();
        saved.set(false);
        let input = PlanningInput {
            quarantine_days: &quarantine(),
            max_round_size: &round(),
            reserve_per_model: &reserve(),
            max_rounds_per_volunteer: &rounds(),
        };
        let body = match settings_body(input) {
            Ok(body) => body,
            Err(field) => {
                problem.set(Some(out_of_range_text(lang, field)));
                return;
            }
        };
        problem.set(None);
        spawn(async move {
            match desk::send::<DeskSettings>(token(state), "PUT", "/api/admin/settings", &body)
                .await
            {
                Ok(_) => {
                    saved.set(true);
                    onsaved.call(());
                }
                Err(error) => problem.set(Some(error.message(lang))),
            }
        });
    };
    let field = |id: &'static str, label: DeskKey, hint: DeskKey, value: Signal<String>| {
        let mut value = value;
        rsx! {
            div { class: "field",
                label { r#for: id, {t(lang, label)} }
                input { class: "input", id, r#type: "number", inputmode: "numeric", value: "{value}",
                    oninput: move |e: FormEvent| value.set(e.value()) }
                p { class: "hint", {t(lang, hint)} }
            }
        }
    };
    rsx! {
        form { class: "desk-form card", id: "planning-settings", onsubmit: submit, novalidate: true,
            h3 { {t(lang, DeskKey::PlanningSettings)} }
            {field("quarantine-days", DeskKey::QuarantineDays, DeskKey::QuarantineExplain, quarantine)}
            {field("round-size", DeskKey::RoundSize, DeskKey::RoundSizeExplain, round)}
            {field("reserve", DeskKey::Reserve, DeskKey::ReserveExplain, reserve)}
            {field("rounds-per-volunteer", DeskKey::RoundsPerVolunteer, DeskKey::RoundsPerVolunteerExplain, rounds)}
            if let Some(message) = problem() {
                Alert { id: "settings-error", message }
            }
            if saved() {
                p { class: "notice", id: "settings-saved", role: "status", {t(lang, DeskKey::SettingsSaved)} }
            }
            button { class: "button button-primary", r#type: "submit", {t(lang, DeskKey::Save)} }
        }
    }
}

#[component]
fn DeviceForm(settings: DeskSettings, onsaved: EventHandler<()>) -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let grace = use_signal(|| settings.grace_days.to_string());
    let idle = use_signal(|| settings.idle_lock_secs.to_string());
    let lease = use_signal(|| settings.lease_hours.to_string());
    let mut problem = use_signal(|| None::<String>);
    let mut saved = use_signal(|| false);

    let submit = move |event: FormEvent| {
        event.prevent_default();
        saved.set(false);
        let body = match device_settings_body(&grace(), &idle(), &lease()) {
            Ok(body) => body,
            Err(field) => {
                problem.set(Some(out_of_range_text(lang, field)));
                return;
            }
        };
        problem.set(None);
        spawn(async move {
            let path = "/api/admin/device-settings";
            match desk::send::<DeskSettings>(token(state), "PUT", path, &body).await {
                Ok(_) => {
                    saved.set(true);
                    onsaved.call(());
                }
                Err(error) => problem.set(Some(error.message(lang))),
            }
        });
    };
    let field = |id: &'static str, label: DeskKey, value: Signal<String>| {
        let mut value = value;
        rsx! {
            div { class: "field",
                label { r#for: id, {t(lang, label)} }
                input { class: "input", id, r#type: "number", inputmode: "numeric", value: "{value}",
                    oninput: move |e: FormEvent| value.set(e.value()) }
            }
        }
    };
    rsx! {
        form { class: "desk-form card", id: "device-settings", onsubmit: submit, novalidate: true,
            h3 { {t(lang, DeskKey::PhoneSettings)} }
            p { class: "hint", {t(lang, DeskKey::PhoneSettingsExplain)} }
            {field("grace-days", DeskKey::GraceDays, grace)}
            {field("idle-lock", DeskKey::IdleLockSecs, idle)}
            {field("lease-hours", DeskKey::LeaseHours, lease)}
            if let Some(message) = problem() {
                Alert { id: "device-settings-error", message }
            }
            if saved() {
                p { class: "notice", id: "device-settings-saved", role: "status", {t(lang, DeskKey::DeviceSettingsSaved)} }
            }
            button { class: "button button-primary", r#type: "submit", {t(lang, DeskKey::Save)} }
        }
    }
}

#[component]
fn ClosingDays(settings: DeskSettings, onchanged: EventHandler<()>) -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let mut day = use_signal(String::new);
    let mut label = use_signal(String::new);
    let mut problem = use_signal(|| None::<String>);

    let add = move |event: FormEvent| {
        event.prevent_default();
        let Some(body) = closing_day_body(&day(), &label()) else {
            problem.set(Some(t(lang, DeskKey::ClosingDayInvalid).to_string()));
            return;
        };
        problem.set(None);
        spawn(async move {
            match desk::post::<DeskSettings>(token(state), "/api/admin/closing-days", &body).await {
                Ok(_) => {
                    day.set(String::new());
                    label.set(String::new());
                    onchanged.call(());
                }
                Err(error) => problem.set(Some(error.message(lang))),
            }
        });
    };
    rsx! {
        section { class: "card", aria_labelledby: "closing-title",
            h3 { id: "closing-title", {t(lang, DeskKey::ClosingDays)} }
            p { class: "hint", {t(lang, DeskKey::ClosingDaysExplain)} }
            if settings.closing_days.is_empty() {
                p { id: "no-closing-days", {t(lang, DeskKey::NoClosingDays)} }
            } else {
                ul { class: "closing-days", id: "closing-days",
                    for closing in settings.closing_days.clone() {
                        li { key: "{closing.day}", "data-day": "{closing.day}",
                            span { "{closing.day} {closing.label.clone().unwrap_or_default()}" }
                            button {
                                class: "button button-secondary desk-small",
                                r#type: "button",
                                onclick: {
                                    let day = closing.day;
                                    move |_| {
                                        spawn(async move {
                                            let path = kluis_api::paths::closing_day(day);
                                            match desk::send::<DeskSettings>(token(state), "DELETE", &path, "").await {
                                                Ok(_) => onchanged.call(()),
                                                Err(error) => problem.set(Some(error.message(lang))),
                                            }
                                        });
                                    }
                                },
                                {t(lang, DeskKey::Remove)}
                            }
                        }
                    }
                }
            }
            form { class: "desk-form desk-inline", id: "add-closing-day", onsubmit: add, novalidate: true,
                div { class: "field",
                    label { r#for: "closing-day", {t(lang, DeskKey::ClosingDay)} }
                    input { class: "input", id: "closing-day", r#type: "date", value: "{day}",
                        oninput: move |e: FormEvent| day.set(e.value()) }
                }
                div { class: "field",
                    label { r#for: "closing-label", {t(lang, DeskKey::ClosingLabel)} }
                    input { class: "input", id: "closing-label", r#type: "text", maxlength: "100", value: "{label}",
                        oninput: move |e: FormEvent| label.set(e.value()) }
                }
                button { class: "button button-secondary", r#type: "submit", {t(lang, DeskKey::AddClosingDay)} }
            }
            if let Some(message) = problem() {
                Alert { id: "closing-error", message }
            }
        }
    }
}
