use dioxus::prelude::*;

use crate::components::{Alert, Field};
use crate::platform;
use crate::state::AppState;
use crate::state::flows;
use crate::state::i18n::{Key, t};
use crate::state::shown::{Gate, Notice};
use crate::state::texts::pin_problem_text;
use kluis_domain::pin::check_new_pin;

/// Why the PIN form is refused.
#[derive(Clone, Debug, PartialEq)]
enum PinError {
    Problem(kluis_domain::pin::PinProblem),
    Mismatch,
}

/// "Kies een pincode": after the first sign-in, the PIN typed twice.
#[component]
pub fn ChoosePin() -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let mut pin = use_signal(String::new);
    let mut repeat = use_signal(String::new);
    let mut error = use_signal(|| None::<PinError>);

    use_effect(move || {
        platform::set_title(&format!(
            "{} · Kluis",
            t((state.lang)(), Key::ChoosePinTitle)
        ))
    });

    let submit = move |event: FormEvent| {
        event.prevent_default();
        let first = pin();
        if let Err(problem) = check_new_pin(&first) {
            error.set(Some(PinError::Problem(problem)));
            return;
        }
        if first != repeat() {
            error.set(Some(PinError::Mismatch));
            repeat.set(String::new());
            return;
        }
        let Some(session) = state.session.peek().clone() else {
            let mut gate = state.gate;
            gate.set(Gate::Login);
            return;
        };
        error.set(None);
        dioxus::core::spawn_forever(async move {
            if let Err(reason) = flows::enrol(state, session, first).await {
                let (mut notice, mut gate, mut pending) = (state.notice, state.gate, state.session);
                pending.set(None);
                notice.set(Some(Notice::LocalFailed(reason.to_string())));
                gate.set(Gate::Login);
            }
        });
    };

    let current = error();
    let invalid = current.is_some();
    let message = current.map(|failure| match failure {
        PinError::Problem(problem) => pin_problem_text(&problem, lang).to_string(),
        PinError::Mismatch => t(lang, Key::PinMismatch).to_string(),
    });
    let described = message.as_ref().map(|_| "pin-error".to_string());

    rsx! {
        section { class: "intro",
            h1 { {t(lang, Key::ChoosePinTitle)} }
            p { {t(lang, Key::ChoosePinIntro)} }
        }
        form { class: "card", id: "pin-form", novalidate: true, onsubmit: submit,
            Field {
                id: "pin",
                label: t(lang, Key::PinLabel),
                value: pin(),
                input_type: "password",
                autocomplete: "new-password",
                inputmode: "numeric",
                invalid,
                described_by: described.clone(),
                oninput: move |value| pin.set(value),
            }
            Field {
                id: "pin-repeat",
                label: t(lang, Key::PinRepeatLabel),
                value: repeat(),
                input_type: "password",
                autocomplete: "new-password",
                inputmode: "numeric",
                invalid,
                described_by: described,
                oninput: move |value| repeat.set(value),
            }
            if let Some(message) = message {
                Alert { id: "pin-error", message }
            }
            button { class: "button button-primary", id: "pin-confirm", r#type: "submit",
                {t(lang, Key::PinConfirm)}
            }
        }
    }
}
