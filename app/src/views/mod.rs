//! Screens. [`App`] holds the app's state and the router; every screen has a URL
//! ([`Route`]). Start-up reads IndexedDB; an enrolled vault → unlock, else sign-in → choose a
//! PIN → securing; then the route's screen ([`routes`]).

mod activate;
mod choose_pin;
mod coordinator;
mod door;
mod home;
mod login;
mod rounds;
mod routes;
mod safe;
mod securing;
mod unlock;

use dioxus::prelude::*;

use crate::platform;
use crate::state::flows;
use crate::state::i18n::Lang;
use crate::state::session::Session;
use crate::state::shown::{Gate, HomeInfo, Notice};
use crate::state::store::Local;
use crate::state::{AppState, background};

pub use activate::Activate;
pub use choose_pin::ChoosePin;
pub use coordinator::Coordinator;
pub use home::Home;
pub use login::Login;
pub use rounds::{RoundItem, Rounds};
pub use routes::{Route, go_back_to, open, section_route, use_alive};
pub use safe::Safe;
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
    let gate = use_signal(|| Gate::Starting);
    let local_state = use_signal(|| None::<Local>);
    let home = use_signal(HomeInfo::default);
    let notice = use_signal(|| None::<Notice>);
    let carer = use_signal(|| None);
    let rounds = use_signal(|| None);
    let records = use_signal(Default::default);
    let reports = use_signal(Default::default);
    let app = use_context_provider(|| AppState {
        lang,
        session,
        installable,
        gate,
        local: local_state,
        home,
        carer,
        rounds,
        records,
        reports,
        notice,
        sync_driver: CopyValue::new(Default::default()),
        events_epoch: CopyValue::new(0),
    });
    use_future(move || flows::start(app));
    use_future(move || background::idle_lock(app));
    use_future(move || background::hidden_lock(app));
    use_future(move || background::sync_when_online(app));
    use_future(move || background::sync_periodically(app));
    // The event stream runs while the vault is open: started when the gate opens.
    use_effect(move || {
        if gate().is_open() {
            background::start_listening(app);
        }
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

    rsx! { Router::<Route> {} }
}
