use dioxus::prelude::*;

use crate::components::{Alert, Field};
use crate::platform;
use crate::state::AppState;
use crate::state::i18n::{Key, t};
use crate::state::shown::{Gate, Notice};
use crate::state::texts::wrong_pin_text;
use crate::state::unlocking::{self, UnlockFailure};
use crate::state::vault::PinOutcome;

/// "Geef je pincode in": opens the vault on this device, without the network.
#[component]
pub fn Unlock() -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let mut pin = use_signal(String::new);
    let mut busy = use_signal(|| false);
    let mut left = use_signal(|| None::<u8>);
    let mut cancelled = use_signal(|| false);
    let passkey = use_hook(|| unlocking::needs_passkey(state));

    // The PIN worker and the device key load while the PIN is typed.
    use_hook(platform::kdf::prewarm);
    use_hook(platform::device_key_prewarm);
    use_effect(move || {
        platform::set_title(&format!("{} · Kluis", t((state.lang)(), Key::UnlockTitle)))
    });

    let submit = move |event: FormEvent| {
        event.prevent_default();
        if busy() || pin().is_empty() {
            return;
        }
        let guess = pin();
        busy.set(true);
        cancelled.set(false);
        dioxus::core::spawn_forever(async move {
            // Argon2id runs in the PIN worker: "Pincode controleren…" paints meanwhile.
            let result = unlocking::unlock(state, guess).await;
            // Only a wrong PIN keeps this screen: any other outcome has moved on and this
            // component's signals are gone.
            match result {
                Ok(PinOutcome::WrongPin { left: remaining }) => {
                    busy.set(false);
                    pin.set(String::new());
                    left.set(Some(remaining));
                }
                Ok(_) => {}
                Err(UnlockFailure::PasskeyCancelled) => {
                    busy.set(false);
                    cancelled.set(true);
                }
                Err(UnlockFailure::Failed(reason)) => {
                    let (mut notice, mut gate) = (state.notice, state.gate);
                    notice.set(Some(Notice::LocalFailed(reason.to_string())));
                    gate.set(Gate::Login);
                }
            }
        });
    };

    let message = left()
        .map(|remaining| wrong_pin_text(remaining, lang))
        .or_else(|| cancelled().then(|| t(lang, Key::PasskeyCancelled).to_string()));
    let described = message.as_ref().map(|_| "unlock-error".to_string());
    rsx! {
        section { class: "intro",
            h1 { {t(lang, Key::UnlockTitle)} }
        }
        form { class: "card", id: "unlock-form", novalidate: true, onsubmit: submit,
            Field {
                id: "unlock-pin",
                label: t(lang, Key::PinLabel),
                value: pin(),
                input_type: "password",
                autocomplete: "current-password",
                inputmode: "numeric",
                invalid: message.is_some(),
                described_by: described,
                oninput: move |value| pin.set(value),
            }
            if let Some(message) = message {
                Alert { id: "unlock-error", message }
            }
            if passkey {
                p { class: "hint", id: "unlock-passkey", {t(lang, Key::PasskeyHint)} }
            }
            button {
                class: "button button-primary",
                id: "unlock",
                r#type: "submit",
                aria_disabled: if busy() { "true" } else { "false" },
                aria_busy: if busy() { "true" } else { "false" },
                if busy() {
                    span { class: "spinner", aria_hidden: "true" }
                    {t(lang, Key::Checking)}
                } else {
                    {t(lang, Key::UnlockButton)}
                }
            }
        }
    }
}
