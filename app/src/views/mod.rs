//! Screens. The app shell ([`App`]) picks the screen from the state: signed out → login,
//! signed in → home.

mod home;
mod login;

use dioxus::prelude::*;

use crate::components::{Brand, LangSwitch};
use crate::platform;
use crate::state::AppState;
use crate::state::i18n::Lang;
use crate::state::session::Session;

pub use home::Home;
pub use login::Login;

/// The first language: the one picked before on this device, else the browser's if we
/// speak it, else Dutch.
fn initial_lang() -> Lang {
    platform::stored_lang()
        .as_deref()
        .and_then(Lang::from_code)
        .or_else(|| {
            platform::preferred_lang()
                .as_deref()
                .and_then(Lang::from_code)
        })
        .unwrap_or_default()
}

#[component]
pub fn App() -> Element {
    let lang = use_signal(initial_lang);
    let session = use_signal(|| None::<Session>);
    let mut installable =
        use_signal(|| platform::install_available() && !platform::is_standalone());
    use_context_provider(|| AppState {
        lang,
        session,
        installable,
    });

    // Keep <html lang> in step with the switch (screen readers pick their voice from it).
    use_effect(move || platform::set_document_lang(lang().html_lang()));
    // The app has rendered: remove the loading splash from index.html.
    use_effect(platform::hide_boot_splash);

    use_future(move || async move {
        loop {
            platform::next_installable().await;
            installable.set(!platform::is_standalone());
        }
    });
    use_future(move || async move {
        loop {
            platform::next_installed().await;
            installable.set(false);
        }
    });

    let signed_in = session.read().is_some();
    rsx! {
        div { class: "app",
            header { class: "topbar",
                Brand {}
                LangSwitch {}
            }
            main { class: "screen", id: "content",
                if signed_in {
                    Home {}
                } else {
                    Login {}
                }
            }
        }
    }
}
