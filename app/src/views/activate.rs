use dioxus::prelude::*;

use crate::components::{Alert, Field};
use crate::platform;
use crate::state::AppState;
use crate::state::activation::{self, ActivationError};
use crate::state::api;
use crate::state::device::device_name;
use crate::state::i18n::{Key, t};
use crate::state::shown::Gate;
use crate::views::Route;

/// "Activeer je account": the one-time code (filled in from the link), a password chosen
/// twice; then this phone signs in with it and asks for a PIN, as after a sign-in.
#[component]
pub fn Activate(code: String) -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let mut session = state.session;
    let mut gate = state.gate;
    let nav = navigator();

    let mut code_typed = use_signal(|| code.clone());
    let mut password = use_signal(String::new);
    let mut repeat = use_signal(String::new);
    let mut show = use_signal(|| false);
    let mut busy = use_signal(|| false);
    let mut error = use_signal(|| None::<ActivationError>);

    use_effect(move || {
        platform::set_title(&format!(
            "{} · Kluis",
            t((state.lang)(), Key::ActivateTitle)
        ))
    });

    let submit = move |event: FormEvent| {
        event.prevent_default();
        if busy() {
            return;
        }
        let chosen = password();
        let code = match activation::check_form(&code_typed(), &chosen, &repeat()) {
            Ok(code) => code,
            Err(e) => {
                error.set(Some(e));
                return;
            }
        };
        busy.set(true);
        error.set(None);
        spawn(async move {
            let done = activation::activate(&code, &chosen).await;
            let activated = match done {
                Ok(a) => a,
                Err(e) => {
                    busy.set(false);
                    error.set(Some(e));
                    return;
                }
            };
            let device = device_name(&platform::user_agent());
            match api::login(&activated.login, &chosen, &device).await {
                Ok(new_session) => {
                    password.set(String::new());
                    repeat.set(String::new());
                    session.set(Some(new_session));
                    nav.replace(Route::Start {});
                    gate.set(Gate::ChoosePin);
                }
                // Activated, but the sign-in did not go through: the sign-in screen takes it
                // from here with the chosen password.
                Err(_) => {
                    nav.replace(Route::Start {});
                }
            }
            busy.set(false);
        });
    };

    let current = error();
    let code_invalid = current.as_ref().is_some_and(ActivationError::is_code);
    let password_invalid = current.as_ref().is_some_and(|e| !e.is_code());
    let input_type = if show() { "text" } else { "password" };
    let (toggle_text, toggle_label) = if show() {
        (t(lang, Key::HidePassword), t(lang, Key::HidePasswordLabel))
    } else {
        (t(lang, Key::ShowPassword), t(lang, Key::ShowPasswordLabel))
    };

    rsx! {
        section { class: "intro",
            h1 { {t(lang, Key::ActivateTitle)} }
            p { {t(lang, Key::ActivateIntro)} }
        }
        form { class: "card", id: "activate-form", novalidate: true, onsubmit: submit,
            Field {
                id: "activation-code",
                label: t(lang, Key::ActivationCodeLabel),
                value: code_typed(),
                autocomplete: "one-time-code",
                invalid: code_invalid,
                described_by: current.as_ref().map(|_| "activate-error".to_string()),
                oninput: move |v| code_typed.set(v),
            }
            Field {
                id: "new-password",
                label: t(lang, Key::ChoosePasswordLabel),
                value: password(),
                input_type,
                autocomplete: "new-password",
                invalid: password_invalid,
                described_by: Some("password-rule".to_string()),
                with_toggle: true,
                oninput: move |v| password.set(v),
                button {
                    class: "toggle",
                    r#type: "button",
                    aria_label: toggle_label,
                    aria_controls: "new-password",
                    onclick: move |_| show.toggle(),
                    {toggle_text}
                }
            }
            p { class: "hint", id: "password-rule", {t(lang, Key::PasswordRule)} }
            Field {
                id: "repeat-password",
                label: t(lang, Key::RepeatPasswordLabel),
                value: repeat(),
                input_type,
                autocomplete: "new-password",
                invalid: password_invalid,
                oninput: move |v| repeat.set(v),
            }
            if let Some(failure) = current {
                Alert { id: "activate-error", message: failure.message(lang) }
            }
            button {
                class: "button button-primary",
                id: "activate",
                r#type: "submit",
                aria_disabled: if busy() { "true" } else { "false" },
                aria_busy: if busy() { "true" } else { "false" },
                if busy() {
                    span { class: "spinner", aria_hidden: "true" }
                    {t(lang, Key::Activating)}
                } else {
                    {t(lang, Key::ActivateButton)}
                }
            }
            button {
                class: "button button-secondary",
                r#type: "button",
                onclick: move |_| {
                    nav.replace(Route::Start {});
                },
                {t(lang, Key::HaveAccount)}
            }
        }
    }
}
