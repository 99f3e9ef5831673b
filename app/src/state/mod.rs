//! Pure application state and logic: no browser APIs here, so everything is testable on
//! the host.

pub mod api;
pub mod background;
pub mod carer;
pub mod coordinator;
pub mod device;
pub mod device_binding;
pub mod error;
pub mod i18n;
pub mod local;
pub mod reveal;
pub mod session;
pub mod syncing;
pub mod texts;
pub mod unlocking;
pub mod vault;
pub mod volunteer;

use std::collections::BTreeMap;
use std::rc::Rc;

use dioxus::prelude::*;

use kluis_domain::ids::SafeId;
use kluis_domain::schema::RoundsView;

use self::carer::CarerData;
use self::i18n::Lang;
use self::local::{Gate, HomeInfo, Local, Notice};
use self::session::Session;
use self::volunteer::LocalRecord;

/// Shared app state, provided as context by [`crate::views::App`].
#[derive(Clone, Copy)]
pub struct AppState {
    pub lang: Signal<Lang>,
    /// A fresh sign-in waiting for its PIN. Kept in memory only (never in localStorage);
    /// once the PIN is chosen the session lives only inside the vault.
    pub session: Signal<Option<Session>>,
    /// Sign-in, PIN or open: what is shown instead of the route until it is `Open`.
    pub gate: Signal<Gate>,
    /// The vault over IndexedDB and, once unlocked, the documents.
    pub local: Signal<Option<Local>>,
    pub home: Signal<HomeInfo>,
    /// The unlocked scope with its search index; `None` while locked or before a sync.
    pub carer: Signal<Option<Rc<CarerData>>>,
    /// A volunteer's rounds; `None` while locked or for other roles.
    pub rounds: Signal<Option<Rc<RoundsView>>>,
    /// What this phone recorded per safe ("Gewijzigd" / "Niet gelukt"), from its outbox.
    pub records: Signal<BTreeMap<SafeId, LocalRecord>>,
    /// Why the sign-in screen is shown again (wipe, reset).
    pub notice: Signal<Option<Notice>>,
    /// True when the browser offered to install the app (`beforeinstallprompt`).
    pub installable: Signal<bool>,
}
