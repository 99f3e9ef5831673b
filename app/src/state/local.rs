//! The carer's device end to end: the vault over IndexedDB, the synced documents in memory,
//! and the flows between the screens (choose a PIN, unlock, sync, sign out, wipe).
//!
//! The vault is synchronous over a `RecordingStore`; after each vault operation the
//! recorded ops are persisted to IndexedDB (one transaction). Signal borrows are never held
//! across an `.await`.

use std::rc::Rc;

use dioxus::prelude::*;
use kluis_crypto::KdfParams;
use kluis_domain::model::Role;
use kluis_domain::schema::{read_rounds, read_scope};
use kluis_domain::sync::{DocKind, SyncClient};

use super::AppState;
use super::carer::CarerData;
use super::device_binding;
use super::i18n::{Key, Lang, Msg, say, t};
use super::session::Session;
pub use super::syncing::sync;
pub use super::texts::{
    freshness_state, freshness_text, pin_problem_text, safe_count_text, wrong_pin_text,
};
pub use super::unlocking::unlock;
use super::vault::LocalView;
use super::vault::{Vault, VaultError, VaultState};
use crate::platform::storage::{MemoryStore, RecordingStore, StoreError, StoreOp};
use crate::platform::{self, IdbStore};

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

/// The unlocked (or about to be unlocked) device.
pub struct Local {
    pub db: Rc<IdbStore>,
    pub vault: Vault<RecordingStore>,
    /// The documents, once the vault is open.
    pub client: Option<SyncClient>,
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

fn store_text(error: &StoreError) -> String {
    error.to_string()
}

/// Start-up: an enrolled vault in IndexedDB → unlock screen, else sign-in.
pub async fn start(app: AppState) {
    let mut gate = app.gate;
    let mut local = app.local;
    let opened = async {
        let db = IdbStore::open().await?;
        let snapshot = db.load_all().await?;
        Ok::<_, StoreError>((db, snapshot))
    }
    .await;
    match opened {
        Ok((db, snapshot)) => {
            let vault = Vault::new(RecordingStore::new(snapshot));
            let locked = matches!(vault.state(), Ok(VaultState::Locked));
            local.set(Some(Local {
                db: Rc::new(db),
                vault,
                client: None,
            }));
            gate.set(if locked { Gate::Unlock } else { Gate::Login });
        }
        Err(_) => gate.set(Gate::Login),
    }
}

/// Persists what the vault recorded since the last call.
pub(crate) async fn persist(db: &IdbStore, ops: Vec<StoreOp>) -> Result<(), String> {
    db.apply(&ops).await.map_err(|e| store_text(&e))
}

pub(crate) fn take_ops(app: AppState) -> Option<(Rc<IdbStore>, Vec<StoreOp>)> {
    let mut local = app.local;
    let mut guard = local.write();
    let current = guard.as_mut()?;
    Some((current.db.clone(), current.vault.store_mut().take_ops()))
}

/// After the PIN was chosen: enrol the vault, persist it, run the first sync, go home.
pub async fn enrol(app: AppState, session: Session, pin: String) -> Result<(), String> {
    let mut gate = app.gate;
    let mut local = app.local;
    let mut pending = app.session;
    gate.set(Gate::Securing);
    // Show "Bezig met beveiligen…" before the work starts (the PIN worker keeps the screen
    // responsive; its main-thread fallback would not).
    platform::paint().await;

    let existing = local.peek().as_ref().map(|current| current.db.clone());
    let db = match existing {
        Some(db) => db,
        None => Rc::new(IdbStore::open().await.map_err(|e| store_text(&e))?),
    };
    let device = session.device_id;
    let params = KdfParams::recommended().map_err(|e| e.to_string())?;
    let kek = platform::kdf::derive_kek(&pin, &params).await?;
    // Phones get a passkey where they have one; the coordinator's desktop the device key.
    let with_passkey = session.person.role != Role::Coordinator;
    let (binding, secrets) = device_binding::new_binding(&session.person.name, with_passkey).await;
    let mut vault = Vault::new(RecordingStore::new(MemoryStore::new()));
    vault
        .enrol_with_kek(&session, &pin, params, &kek, binding, &secrets)
        .map_err(|e| vault_text(&e))?;
    // Starts with a Clear: whatever an earlier enrolment left in IndexedDB goes.
    let ops = vault.store_mut().take_ops();
    persist(&db, ops).await?;
    local.set(Some(Local {
        db,
        vault,
        client: Some(SyncClient::new(device)),
    }));
    // The token now lives only inside the vault.
    pending.set(None);
    refresh_home(app);
    let _ = sync(app).await;
    if (app.gate)() == Gate::Securing {
        gate.set(Gate::Open);
    }
    check_persistence(app).await;
    Ok(())
}

pub(crate) fn vault_text(error: &VaultError) -> String {
    error.to_string()
}

/// The role of the person whose vault is open (`None` while locked).
pub fn open_role(app: AppState) -> Option<Role> {
    app.local
        .peek()
        .as_ref()
        .and_then(|current| current.vault.session())
        .map(|session| session.person.role)
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
pub(crate) fn derive_view(app: AppState) -> Result<(), String> {
    let mut local = app.local;
    let view = {
        let mut guard = local.write();
        let current = guard.as_mut().ok_or("locked")?;
        let view = current.client.as_ref().map(local_view).unwrap_or_default();
        current.vault.save_view(&view).map_err(|e| vault_text(&e))?;
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
pub(crate) fn load_documents(app: AppState) -> Result<(), String> {
    let mut local = app.local;
    let mut guard = local.write();
    let current = guard.as_mut().ok_or("locked")?;
    let session = current.vault.session().ok_or("locked")?;
    let mut client = SyncClient::new(session.device_id);
    current
        .vault
        .load_docs(&mut client)
        .map_err(|e| vault_text(&e))?;
    current.client = Some(client);
    Ok(())
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

/// The vault and IndexedDB were erased: back to sign-in with `notice`.
pub(crate) fn after_wipe(app: AppState, notice: Notice) {
    let (mut local, mut home, mut gate, mut note, mut carer) =
        (app.local, app.home, app.gate, app.notice, app.carer);
    if let Some(current) = local.write().as_mut() {
        current.client = None;
    }
    carer.set(None);
    forget_views(app);
    home.set(HomeInfo::default());
    note.set(Some(notice));
    gate.set(Gate::Login);
}

/// Drops the volunteer's rounds and records from memory (lock, wipe, sign-out).
fn forget_views(app: AppState) {
    let (mut rounds, mut records) = (app.rounds, app.records);
    rounds.set(None);
    records.set(Default::default());
}

/// Locks the device (idle, hidden, or on request): forgets the data key, the documents and
/// everything derived from them; the sealed blobs stay. Unlock is the PIN again.
pub fn lock(app: AppState) {
    let (mut local, mut home, mut gate, mut carer) = (app.local, app.home, app.gate, app.carer);
    if !gate.peek().is_open() {
        return;
    }
    if let Some(current) = local.write().as_mut() {
        current.client = None;
        current.vault.lock();
    }
    carer.set(None);
    forget_views(app);
    home.set(HomeInfo::default());
    gate.set(Gate::Unlock);
}

/// Erases the vault and IndexedDB (sign-out, server wipe).
pub(crate) async fn wipe_everything(app: AppState) -> Option<String> {
    let token = {
        let mut local = app.local;
        let mut guard = local.write();
        let current = guard.as_mut()?;
        let token = current
            .vault
            .session()
            .map(|session| session.token.expose().to_string());
        let _ = current.vault.wipe();
        token
    };
    if let Some((db, ops)) = take_ops(app) {
        let _ = persist(&db, ops).await;
    }
    device_binding::forget().await;
    token
}

/// "Afmelden": wipe the device, then tell the server when online.
pub async fn sign_out(app: AppState) {
    let token = wipe_everything(app).await;
    let (mut local, mut home, mut gate, mut note, mut pending) =
        (app.local, app.home, app.gate, app.notice, app.session);
    if let Some(current) = local.write().as_mut() {
        current.client = None;
    }
    let mut carer = app.carer;
    carer.set(None);
    forget_views(app);
    home.set(HomeInfo::default());
    note.set(None);
    pending.set(None);
    gate.set(Gate::Login);
    if let Some(token) = token
        && platform::is_online()
    {
        let _ = platform::post_json("/api/logout", "{}", Some(&token)).await;
    }
}
