//! The app's state and logic, without browser APIs (those are in `platform`, with a host
//! twin), so it is tested on the host. In layers, each using only those below it:
//!
//! - pure: `i18n`, `texts`, `carer`, `volunteer`, `coordinator`, `session`, `api`, `error`,
//!   and the IO-free `vault`;
//! - `store`: the vault over IndexedDB, the documents in memory, persisting;
//! - `shown`: what the screens read, derived from the store (gate, home line, views);
//! - `syncing`: the one sync driver;
//! - flows: `flows` (start, enrol, lock, sign out), `unlocking`, `reveal`, `round_calls`,
//!   and `background` (idle and hidden lock, sync nudges, the event stream).

pub mod activation;
pub mod api;
pub mod background;
pub mod carer;
pub mod coordinator;
pub mod device;
pub mod device_binding;
pub mod door;
pub mod error;
pub mod flows;
pub mod i18n;
pub mod reveal;
pub mod round_calls;
pub mod session;
pub mod shown;
pub mod store;
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
use self::door::LocalReport;
use self::i18n::Lang;
use self::session::Session;
use self::shown::{Gate, HomeInfo, Notice};
use self::store::Local;
use self::syncing::SyncDriver;
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
    /// What this phone reported per safe ("Code werkt niet? Meld het"), and whether it is sent.
    pub reports: Signal<BTreeMap<SafeId, Vec<LocalReport>>>,
    /// Why the sign-in screen is shown again (wipe, reset).
    pub notice: Signal<Option<Notice>>,
    /// True when the browser offered to install the app (`beforeinstallprompt`).
    pub installable: Signal<bool>,
    /// Whether a sync runs and must run again (not shown, so not reactive).
    pub sync_driver: CopyValue<SyncDriver>,
    /// Which event-stream listener is the current one (`background::start_listening`).
    pub events_epoch: CopyValue<u64>,
}
