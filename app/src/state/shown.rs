//! What the screens read, derived from the store: the gate before the routes, the home line,
//! the carer's indexed scope, the volunteer's rounds and what this phone recorded. Derived
//! again after unlock and after a sync that changed something; forgotten on lock and wipe.

use std::collections::BTreeMap;
use std::rc::Rc;

use dioxus::prelude::*;
use kluis_domain::ids::SafeId;
use kluis_domain::schema::{
    DeviceEvent, device_event_ids_at, read_device_events, read_rounds, read_scope,
};
use kluis_domain::sync::{DocId, DocKind, SyncClient};

use super::AppState;
use super::carer::CarerData;
use super::door::local_reports;
use super::error::AppError;
use super::i18n::{Key, Lang, Msg, say, t};
use super::vault::LocalView;
use super::volunteer::LocalRecord;
use crate::platform;

/// What stands between the person and the app's screens. Only [`Gate::Open`] shows a route
/// (`views::Route`); every other gate is shown in its place and keeps the URL, so after the
/// PIN the person is back on the screen they were on (or reloaded).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gate {
    /// Reading IndexedDB at start-up.
    Starting,
    Login,
    /// Signed in online; the PIN is not chosen yet (the session is in memory only).
    ChoosePin,
    /// "Bezig met beveiligen…": Argon2id, the first save and the first sync.
    Securing,
    Unlock,
    /// Unlocked: the route's screen shows data from the open vault (and so locks).
    Open,
}

impl Gate {
    pub fn is_open(self) -> bool {
        self == Gate::Open
    }
}

/// A message for the sign-in screen: why the user is back there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// Five wrong PINs in a row wiped the device.
    DeviceReset,
    /// The server revoked this device (410 wipe).
    Wiped,
    /// Local storage failed or is damaged.
    LocalFailed(String),
    /// The stored records came from another browser: they were erased.
    OtherDevice,
}

impl Notice {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Notice::DeviceReset => t(lang, Key::DeviceReset).to_string(),
            Notice::Wiped => t(lang, Key::DeviceWiped).to_string(),
            Notice::LocalFailed(reason) => say(lang, Msg::LocalFailed { reason }),
            Notice::OtherDevice => t(lang, Key::OtherDevice).to_string(),
        }
    }
}

/// What the home screen shows; recomputed after unlock and after each sync.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HomeInfo {
    pub name: String,
    /// Safes in the scope document; `None` before the first sync.
    pub safes: Option<usize>,
    pub lease_hours: u32,
    /// Server time of the last successful sync (ms since the epoch).
    pub last_sync: Option<i64>,
    pub syncing: bool,
    pub sync_failed: bool,
    /// Recently opened safe ids, most recent first.
    pub recent: Vec<String>,
    /// Lock after this many seconds without a touch (the coordinator's setting).
    pub idle_lock_secs: u32,
    /// The browser said no to persistent storage: it may evict the cache.
    pub storage_refused: bool,
}

/// Recomputes [`HomeInfo`] from the open vault and the carer's view.
pub fn refresh_home(app: AppState) {
    let (mut home, carer) = (app.home, app.carer);
    let guard = app.local.peek();
    let Some(current) = guard.as_ref() else {
        return;
    };
    let name = current
        .vault
        .session()
        .map(|session| session.person.name.clone())
        .unwrap_or_default();
    let last_sync = current.vault.last_sync();
    let recent = current.vault.recent().to_vec();
    drop(guard);
    let data = carer.peek();
    let settings = data.as_ref().map(|data| data.view.settings.clone());
    let mut info = home.peek().clone();
    info.name = name;
    info.safes = data.as_ref().map(|data| data.view.safes.len());
    info.lease_hours = settings.as_ref().map_or(72, |s| s.lease_hours);
    info.idle_lock_secs = settings.as_ref().map_or(120, |s| s.idle_lock_secs);
    info.last_sync = last_sync;
    info.recent = recent;
    drop(data);
    home.set(info);
}

/// Derives the carer's view from the documents in memory, seals it into the vault (persisted
/// with the next batch of ops) and hands it to the screens. Slow for a large scope: only
/// after the scope changed.
///
/// # Errors
/// Locked, or sealing failed.
pub(crate) fn derive_view(app: AppState) -> Result<(), AppError> {
    let mut local = app.local;
    let view = {
        let mut guard = local.write();
        let current = guard.as_mut().ok_or(AppError::Locked)?;
        let view = current.client.as_ref().map(local_view).unwrap_or_default();
        current.vault.save_view(&view)?;
        view
    };
    show_view(app, view);
    Ok(())
}

/// The screens' view of the documents `client` holds.
fn local_view(client: &SyncClient) -> LocalView {
    let mut view = LocalView::default();
    for id in client.doc_ids() {
        let Some(doc) = client.doc(id) else { continue };
        match id.kind() {
            DocKind::Scope { .. } => view.scope = read_scope(doc).ok(),
            DocKind::Rounds { .. } => view.rounds = read_rounds(doc).ok(),
            DocKind::Device { .. } => {}
        }
    }
    view
}

/// Hands `view` to the screens (the scope indexed for searching).
pub(crate) fn show_view(app: AppState, view: LocalView) {
    let (mut carer, mut rounds) = (app.carer, app.rounds);
    carer.set(view.scope.map(|scope| Rc::new(CarerData::from_view(scope))));
    rounds.set(view.rounds.map(Rc::new));
}

/// Reads the sealed documents into memory (for syncing and recording reveals).
pub(crate) fn load_documents(app: AppState) -> Result<(), AppError> {
    let mut local = app.local;
    let mut guard = local.write();
    let current = guard.as_mut().ok_or(AppError::Locked)?;
    let device = current.vault.session().ok_or(AppError::Locked)?.device_id;
    let mut client = SyncClient::new(device);
    current.vault.load_docs(&mut client)?;
    current.client = Some(client);
    Ok(())
}

/// The documents in memory, read now if the unlock has not read them yet (the screen opens
/// from the sealed view first, so a tap can come before they are loaded).
pub(crate) fn ensure_documents(app: AppState) -> Result<(), AppError> {
    let loaded = app
        .local
        .peek()
        .as_ref()
        .is_some_and(|current| current.client.is_some());
    if loaded { Ok(()) } else { load_documents(app) }
}

/// The latest record per safe among this phone's outbox events (a later record wins; the
/// server keeps every one).
pub fn latest_records(
    events: impl IntoIterator<Item = DeviceEvent>,
) -> BTreeMap<SafeId, LocalRecord> {
    let mut latest: BTreeMap<SafeId, (i64, LocalRecord)> = BTreeMap::new();
    for event in events {
        let (safe, record, at) = match event {
            DeviceEvent::CodeSet { safe, at } => (safe, LocalRecord::Set { at: at.millis() }, at),
            DeviceEvent::ChangeFailed {
                safe, reason, at, ..
            } => (
                safe,
                LocalRecord::Failed {
                    reason,
                    at: at.millis(),
                },
                at,
            ),
            _ => continue,
        };
        if latest
            .get(&safe)
            .is_none_or(|(seen, _)| at.millis() >= *seen)
        {
            latest.insert(safe, (at.millis(), record));
        }
    }
    latest
        .into_iter()
        .map(|(safe, (_, record))| (safe, record))
        .collect()
}

/// Re-reads this phone's records and reports from its outbox into `app.records` and
/// `app.reports` (after a record, and after a sync: what the server now has).
pub fn refresh_records(app: AppState) {
    let read = {
        let guard = app.local.peek();
        guard.as_ref().and_then(|current| {
            let client = current.client.as_ref()?;
            let device = current.vault.session()?.device_id;
            let outbox = DocId::device(device);
            let doc = client.doc(&outbox)?;
            let events = read_device_events(doc, device).ok()?;
            let sent = device_event_ids_at(doc, &client.shared_heads(&outbox));
            Some((events, sent))
        })
    };
    let Some((events, sent)) = read else {
        return;
    };
    let (mut records, mut reports) = (app.records, app.reports);
    let latest = local_reports(&events, &sent);
    if *reports.peek() != latest {
        reports.set(latest);
    }
    records.set(latest_records(events.into_iter().map(|(_, event)| event)));
}

/// Drops everything derived from the documents (lock, wipe, sign-out).
pub(crate) fn forget_views(app: AppState) {
    let (mut carer, mut rounds, mut records, mut home) =
        (app.carer, app.rounds, app.records, app.home);
    let mut reports = app.reports;
    carer.set(None);
    rounds.set(None);
    records.set(Default::default());
    reports.set(Default::default());
    home.set(HomeInfo::default());
}

/// The vault and IndexedDB were erased: back to sign-in with `notice`.
pub(crate) fn after_wipe(app: AppState, notice: Notice) {
    let (mut local, mut gate, mut note) = (app.local, app.gate, app.notice);
    if let Some(current) = local.write().as_mut() {
        current.client = None;
    }
    forget_views(app);
    note.set(Some(notice));
    gate.set(Gate::Login);
}

/// Asks the browser to keep the cache under storage pressure, and remembers a refusal so
/// the home screen can say what it means.
pub(crate) async fn check_persistence(app: AppState) {
    let refused = platform::request_persistent_storage().await == platform::Persistence::Refused;
    let mut home = app.home;
    if home.peek().storage_refused != refused {
        home.with_mut(|info| info.storage_refused = refused);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kluis_domain::model::ChangeFailure;
    use kluis_domain::time::Timestamp;

    #[test]
    fn the_latest_record_of_each_safe_wins_and_reveals_are_no_record() {
        let (a, b) = (SafeId::from_bytes([1; 16]), SafeId::from_bytes([2; 16]));
        let at = Timestamp::from_millis;
        let events = vec![
            DeviceEvent::ChangeFailed {
                safe: a,
                reason: ChangeFailure::Broken,
                note: String::new(),
                at: at(1_000),
            },
            DeviceEvent::CodeSet {
                safe: a,
                at: at(2_000),
            },
            DeviceEvent::CodeSet {
                safe: b,
                at: at(5_000),
            },
            // Recorded earlier on the phone's clock, read later: the earlier one stays.
            DeviceEvent::ChangeFailed {
                safe: b,
                reason: ChangeFailure::NoAccess,
                note: String::new(),
                at: at(4_000),
            },
            DeviceEvent::CodeRevealed {
                safe: SafeId::from_bytes([3; 16]),
                at: at(6_000),
            },
        ];
        let latest = latest_records(events);
        assert_eq!(latest.len(), 2);
        assert_eq!(latest[&a], LocalRecord::Set { at: 2_000 });
        assert_eq!(latest[&b], LocalRecord::Set { at: 5_000 });
    }
}
