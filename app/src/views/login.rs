use dioxus::prelude::*;

use crate::components::{Alert, Field, InstallButton};
use crate::platform;
use crate::state::AppState;
use crate::state::api::{self, LoginError};
use crate::state::device::device_name;
use crate::state::i18n::{Key, t};
use crate::state::shown::Gate;
use crate::views::Route;

/// The sign-in screen: username, password, one big button.
#[component]
pub fn Login() -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let mut session = state.session;
    let mut gate = state.gate;
    // Whoever signs in next starts at their own start, not on the last person's screen.
    let nav = navigator();
    let at_start = use_route::<Route>() == (Route::Start {});
    use_hook(move || {
        if !at_start {
            nav.replace(Route::Start {});
        }
    });
    let mut notice = state.notice;

    let mut login = use_signal(String::new);
    let mut password = use_signal(String::new);
    let mut show_password = use_signal(|| false);
    let mut busy = use_signal(|| false);
    let mut error = use_signal(|| None::<LoginError>);

    use_effect(move || {
        platform::set_title(&format!("{} · Kluis", t((state.lang)(), Key::SignInTitle)))
    });

    let submit = move |event: FormEvent| {
        event.prevent_default();
        if busy() {
            return;
        }
        let login_value = login();
        let password_value = password();
        if login_value.trim().is_empty() || password_value.is_empty() {
            error.set(Some(LoginError::MissingFields));
            return;
        }
        busy.set(true);
        error.set(None);
        spawn(async move {
            let device = device_name(&platform::user_agent());
            let result = api::login(&login_value, &password_value, &device).await;
            busy.set(false);
            match result {
                Ok(new_session) => {
                    password.set(String::new());
                    notice.set(None);
                    session.set(Some(new_session));
                    gate.set(Gate::ChoosePin);
                }
                Err(failure) => {
                    if failure.is_credentials() {
                        password.set(String::new());
                    }
                    error.set(Some(failure));
                }
            }
        });
    };

    let current_error = error();
    let invalid = current_error.is_some();
    let error_id = current_error.as_ref().map(|_| "login-error".to_string());
    let (toggle_text, toggle_label) = if show_password() {
        (t(lang, Key::HidePassword), t(lang, Key::HidePasswordLabel))
    } else {
        (t(lang, Key::ShowPassword), t(lang, Key::ShowPasswordLabel))
    };

    rsx! {
        section { class: "intro",
            h1 { {t(lang, Key::SignInTitle)} }
            p { {t(lang, Key::Tagline)} }
        }
        form { class: "card", id: "login-form", novalidate: true, onsubmit: submit,
            if let Some(reason) = notice() {
                div { class: "notice notice-warning", id: "login-notice", role: "status",
                    "{reason.message(lang)}"
                }
            }
            p { class: "hint", {t(lang, Key::SignInIntro)} }
            Field {
                id: "login",
                label: t(lang, Key::LoginLabel),
                value: login(),
                autocomplete: "username",
                invalid,
                described_by: error_id.clone(),
                oninput: move |value| login.set(value),
            }
            Field {
                id: "password",
                label: t(lang, Key::PasswordLabel),
                value: password(),
                input_type: if show_password() { "text" } else { "password" },
                autocomplete: "current-password",
                invalid,
                described_by: error_id,
                with_toggle: true,
                oninput: move |value| password.set(value),
                button {
                    class: "toggle",
                    r#type: "button",
                    aria_label: toggle_label,
                    aria_controls: "password",
                    onclick: move |_| show_password.toggle(),
                    {toggle_text}
                }
            }
            if let Some(failure) = current_error {
                Alert { id: "login-error", message: failure.message(lang) }
            }
            button {
                class: "button button-primary",
                id: "sign-in",
                r#type: "submit",
                aria_disabled: if busy() { "true" } else { "false" },
                aria_busy: if busy() { "true" } else { "false" },
                if busy() {
                    span { class: "spinner", aria_hidden: "true" }
                    {t(lang, Key::SigningIn)}
                } else {
                    {t(lang, Key::SignInButton)}
                }
            }
        }
        button {
            class: "button button-secondary",
            id: "have-code",
            r#type: "button",
            onclick: move |_| {
                nav.push(Route::Activate { code: String::new() });
            },
            {t(lang, Key::HaveCode)}
        }
        InstallButton {}
    }
}
