//! Pure application state and logic: no browser APIs here, so everything is testable on
//! the host.

pub mod api;
pub mod device;
pub mod i18n;
pub mod session;
pub mod vault;

use dioxus::prelude::*;

use self::i18n::Lang;
use self::session::Session;

/// Shared app state, provided as context by [`crate::views::App`].
#[derive(Clone, Copy)]
pub struct AppState {
    pub lang: Signal<Lang>,
    /// The signed-in session. Kept in memory only (never in localStorage); a reload signs
    /// the user out until the encrypted local cache arrives.
    pub session: Signal<Option<Session>>,
    /// True when the browser offered to install the app (`beforeinstallprompt`).
    pub installable: Signal<bool>,
}
