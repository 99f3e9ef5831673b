//! Screens. The app shell ([`App`]) picks the screen from [`Screen`]: start-up reads
//! IndexedDB; an enrolled vault → unlock, else sign-in → choose a PIN → securing → home.

mod choose_pin;
mod home;
mod login;
mod securing;
mod unlock;

use dioxus::prelude::*;

use crate::components::{Brand, LangSwitch};
use crate::platform;
use crate::state::AppState;
use crate::state::i18n::Lang;
use crate::state::local::{self, HomeInfo, Local, Notice, Screen};
use crate::state::session::Session;

pub use choose_pin::ChoosePin;
pub use home::Home;
pub use login::Login;
pub use securing::Securing;
pub use unlock::Unlock;

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
    let screen = use_signal(|| Screen::Starting);
    let local_state = use_signal(|| None::<Local>);
    let home = use_signal(HomeInfo::default);
    let notice = use_signal(|| None::<Notice>);
    let app = use_context_provider(|| AppState {
        lang,
        session,
        installable,
        screen,
        local: local_state,
        home,
        notice,
    });
    use_future(move || local::start(app));

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

    let current = screen();
    rsx! {
        div { class: "app",
            header { class: "topbar",
                Brand {}
                LangSwitch {}
            }
            main { class: "screen", id: "content",
                match current {
                    Screen::Starting => rsx! {},
                    Screen::Login => rsx! { Login {} },
                    Screen::ChoosePin => rsx! { ChoosePin {} },
                    Screen::Securing => rsx! { Securing {} },
                    Screen::Unlock => rsx! { Unlock {} },
                    Screen::Home => rsx! { Home {} },
                }
            }
        }
    }
}
