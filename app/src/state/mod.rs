//! Pure application state and logic: no browser APIs here, so everything is testable on
//! the host.

pub mod api;
pub mod device;
pub mod i18n;
pub mod local;
pub mod session;
pub mod vault;

use dioxus::prelude::*;

use self::i18n::Lang;
use self::local::{HomeInfo, Local, Notice, Screen};
use self::session::Session;

/// Shared app state, provided as context by [`crate::views::App`].
#[derive(Clone, Copy)]
pub struct AppState {
    pub lang: Signal<Lang>,
    /// A fresh sign-in waiting for its PIN. Kept in memory only (never in localStorage);
    /// once the PIN is chosen the session lives only inside the vault.
    pub session: Signal<Option<Session>>,
    pub screen: Signal<Screen>,
    /// The vault over IndexedDB and, once unlocked, the documents.
    pub local: Signal<Option<Local>>,
    pub home: Signal<HomeInfo>,
    /// Why the sign-in screen is shown again (wipe, reset).
    pub notice: Signal<Option<Notice>>,
    /// True when the browser offered to install the app (`beforeinstallprompt`).
    pub installable: Signal<bool>,
}
