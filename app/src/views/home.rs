use dioxus::prelude::*;

use crate::components::InstallButton;
use crate::platform;
use crate::state::AppState;
use crate::state::i18n::{Key, fill, t};
use crate::state::session::{organisation_kind_label, role_label};

/// After signing in: who you are, and the way out.
#[component]
pub fn Home() -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let mut session = state.session;

    use_effect(move || platform::set_title("Kluis"));

    let Some(current) = session() else {
        return rsx! {};
    };
    let person = current.person;
    let welcome = fill(t(lang, Key::Welcome), "name", &person.name);
    let organisation = match organisation_kind_label(&person.organisation.kind, lang) {
        Some(kind) => format!("{} · {kind}", person.organisation.name),
        None => person.organisation.name.clone(),
    };
    let role = role_label(&person.role, lang);

    rsx! {
        section { class: "welcome",
            h1 { id: "welcome", "{welcome}" }
            p { {t(lang, Key::WelcomeIntro)} }
        }
        div { class: "card",
            dl { class: "facts",
                div {
                    dt { {t(lang, Key::Organisation)} }
                    dd { id: "organisation", "{organisation}" }
                }
                div {
                    dt { {t(lang, Key::Role)} }
                    dd { id: "role", "{role}" }
                }
            }
            p { class: "notice", {t(lang, Key::ComingSoon)} }
        }
        InstallButton {}
        button {
            class: "button button-secondary",
            id: "sign-out",
            r#type: "button",
            onclick: move |_| session.set(None),
            {t(lang, Key::SignOut)}
        }
    }
}
