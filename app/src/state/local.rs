//! The carer's device end to end: the vault over IndexedDB, the synced documents in memory,
//! and the flows between the screens (choose a PIN, unlock, sync, sign out, wipe).
//!
//! The vault is synchronous over a `RecordingStore`; after each vault operation the
//! recorded ops are persisted to IndexedDB (one transaction). Signal borrows are never held
//! across an `.await`.

use std::rc::Rc;

use dioxus::prelude::*;
use kluis_crypto::KdfParams;
use kluis_domain::freshness;
use kluis_domain::ids::DeviceId;
use kluis_domain::pin::PinProblem;
use kluis_domain::schema::read_scope;
use kluis_domain::sync::{ClientEvent, DocKind, SyncClient, SyncReply};

use super::AppState;
use super::i18n::{Key, Lang, fill, t};
use super::session::Session;
use super::vault::{PinOutcome, UnlockStep, Vault, VaultError, VaultState, derive_kek};
use crate::platform::storage::{MemoryStore, RecordingStore, StoreError, StoreOp};
use crate::platform::{self, IdbStore, NetError};

/// Which screen the app shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    /// Reading IndexedDB at start-up.
    Starting,
    Login,
    /// Signed in online; the PIN is not chosen yet (the session is in memory only).
    ChoosePin,
    /// "Bezig met beveiligen…": Argon2id, the first save and the first sync.
    Securing,
    Unlock,
    Home,
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
}

impl Notice {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Notice::DeviceReset => t(lang, Key::DeviceReset).to_string(),
            Notice::Wiped => t(lang, Key::DeviceWiped).to_string(),
            Notice::LocalFailed(reason) => fill(t(lang, Key::LocalFailed), "reason", reason),
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
}

/// The safes the device holds and its lease, read from the scope document.
pub fn scope_summary(client: &SyncClient) -> (Option<usize>, u32) {
    for id in client.doc_ids() {
        if let DocKind::Scope { .. } = id.kind()
            && let Some(doc) = client.doc(id)
            && let Ok(view) = read_scope(doc)
        {
            return (Some(view.safes.len()), view.settings.lease_hours);
        }
    }
    (None, 72)
}

/// The "safes" line on the home screen.
pub fn safe_count_text(count: Option<usize>, lang: Lang) -> String {
    match count {
        None | Some(0) => t(lang, Key::SafeCountNone).to_string(),
        Some(1) => t(lang, Key::SafeCountOne).to_string(),
        Some(n) => fill(t(lang, Key::SafeCount), "n", &n.to_string()),
    }
}

/// The freshness line ("Bijgewerkt zonet", "Offline — gegevens van gisteren 17:40").
pub fn freshness_text(info: &HomeInfo, now: i64, online: bool, lang: Lang) -> String {
    let lang = match lang {
        Lang::Nl => freshness::Lang::Nl,
        Lang::En => freshness::Lang::En,
    };
    freshness::freshness(
        kluis_domain::time::Timestamp::from_millis(now),
        info.last_sync
            .map(kluis_domain::time::Timestamp::from_millis),
        online,
        info.lease_hours,
        lang,
    )
    .text
}

/// Why a new PIN is refused, in the user's words.
pub fn pin_problem_text(problem: &PinProblem, lang: Lang) -> &'static str {
    let key = match problem {
        PinProblem::TooShort => Key::PinTooShort,
        PinProblem::NotDigits => Key::PinNotDigits,
        PinProblem::Repeated => Key::PinRepeated,
        PinProblem::Sequence => Key::PinSequence,
        _ => Key::PinCommon,
    };
    t(lang, key)
}

/// "Foute pincode. Nog 3 pogingen."
pub fn wrong_pin_text(left: u8, lang: Lang) -> String {
    if left == 1 {
        t(lang, Key::WrongPinLast).to_string()
    } else {
        fill(t(lang, Key::WrongPin), "n", &left.to_string())
    }
}

/// One answer of `POST /api/sync`, interpreted.
#[derive(Debug)]
pub enum SyncAnswer {
    Reply(SyncReply),
    /// `410 {"code":"wipe"}`: the device or person was revoked.
    Wipe,
    Failed(String),
}

pub fn interpret_sync_response(status: u16, body: &[u8]) -> SyncAnswer {
    if status == 410 {
        let code = serde_json::from_slice::<serde_json::Value>(body)
            .ok()
            .and_then(|value| value.get("code")?.as_str().map(str::to_string));
        if code.as_deref() == Some("wipe") {
            return SyncAnswer::Wipe;
        }
    }
    if status != 200 {
        return SyncAnswer::Failed(format!("HTTP {status}"));
    }
    match SyncReply::decode(body) {
        Ok(reply) => SyncAnswer::Reply(reply),
        Err(error) => SyncAnswer::Failed(error.to_string()),
    }
}

fn device_of(session: &Session) -> Result<DeviceId, String> {
    session
        .device_id
        .to_string()
        .parse()
        .map_err(|_| "unknown device id".to_string())
}

fn store_text(error: &StoreError) -> String {
    error.to_string()
}

/// Start-up: an enrolled vault in IndexedDB → unlock screen, else sign-in.
pub async fn start(app: AppState) {
    let mut screen = app.screen;
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
            screen.set(if locked {
                Screen::Unlock
            } else {
                Screen::Login
            });
        }
        Err(_) => screen.set(Screen::Login),
    }
}

/// Persists what the vault recorded since the last call.
async fn persist(db: &IdbStore, ops: Vec<StoreOp>) -> Result<(), String> {
    db.apply(&ops).await.map_err(|e| store_text(&e))
}

fn take_ops(app: AppState) -> Option<(Rc<IdbStore>, Vec<StoreOp>)> {
    let mut local = app.local;
    let mut guard = local.write();
    let current = guard.as_mut()?;
    Some((current.db.clone(), current.vault.store_mut().take_ops()))
}

/// After the PIN was chosen: enrol the vault, persist it, run the first sync, go home.
pub async fn enrol(app: AppState, session: Session, pin: String) -> Result<(), String> {
    let mut screen = app.screen;
    let mut local = app.local;
    let mut pending = app.session;
    screen.set(Screen::Securing);
    // Let the browser paint "Bezig met beveiligen…" before Argon2id blocks the thread.
    platform::paint().await;

    let existing = local.peek().as_ref().map(|current| current.db.clone());
    let db = match existing {
        Some(db) => db,
        None => Rc::new(IdbStore::open().await.map_err(|e| store_text(&e))?),
    };
    let device = device_of(&session)?;
    let params = KdfParams::recommended().map_err(|e| e.to_string())?;
    let mut vault = Vault::new(RecordingStore::new(MemoryStore::new()));
    vault
        .enrol(&session, &pin, params)
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
    if (app.screen)() == Screen::Securing {
        screen.set(Screen::Home);
    }
    Ok(())
}

fn vault_text(error: &VaultError) -> String {
    error.to_string()
}

/// Recomputes [`HomeInfo`] from the open vault and documents.
pub fn refresh_home(app: AppState) {
    let mut home = app.home;
    let guard = app.local.peek();
    let Some(current) = guard.as_ref() else {
        return;
    };
    let name = current
        .vault
        .session()
        .map(|session| session.person.name.clone())
        .unwrap_or_default();
    let (safes, lease_hours) = current.client.as_ref().map_or((None, 72), scope_summary);
    drop(guard);
    let mut info = home.peek().clone();
    info.name = name;
    info.safes = safes;
    info.lease_hours = lease_hours;
    info.last_sync = platform::stored_last_sync();
    home.set(info);
}

/// Unlocks with `pin`. Wrong PINs are counted and persisted before Argon2id runs.
pub async fn unlock(app: AppState, pin: String) -> Result<PinOutcome, String> {
    let mut local = app.local;
    let step = {
        let mut guard = local.write();
        let current = guard.as_mut().ok_or_else(|| "not enrolled".to_string())?;
        current.vault.prepare_unlock().map_err(|e| vault_text(&e))?
    };
    let (db, ops) = take_ops(app).ok_or_else(|| "not enrolled".to_string())?;
    persist(&db, ops).await?;
    let ticket = match step {
        UnlockStep::Wiped => {
            after_wipe(app, Notice::DeviceReset);
            return Ok(PinOutcome::Wiped);
        }
        UnlockStep::Derive(ticket) => ticket,
    };
    platform::paint().await;
    let kek = derive_kek(&pin, ticket.params()).map_err(|e| vault_text(&e))?;
    let outcome = {
        let mut guard = local.write();
        let current = guard.as_mut().ok_or_else(|| "not enrolled".to_string())?;
        current
            .vault
            .unlock_with_kek(ticket, &kek)
            .map_err(|e| vault_text(&e))?
    };
    let (db, ops) = take_ops(app).ok_or_else(|| "not enrolled".to_string())?;
    persist(&db, ops).await?;
    match outcome {
        PinOutcome::Accepted => {
            {
                let mut guard = local.write();
                let current = guard.as_mut().ok_or_else(|| "not enrolled".to_string())?;
                let session = current
                    .vault
                    .session()
                    .ok_or_else(|| "locked".to_string())?;
                let mut client = SyncClient::new(device_of(session)?);
                current
                    .vault
                    .load_docs(&mut client)
                    .map_err(|e| vault_text(&e))?;
                current.client = Some(client);
            }
            refresh_home(app);
            let mut screen = app.screen;
            screen.set(Screen::Home);
            if platform::is_online() {
                dioxus::core::spawn_forever(async move {
                    let _ = sync(app).await;
                });
            }
        }
        PinOutcome::WrongPin { .. } => {}
        PinOutcome::Wiped => after_wipe(app, Notice::DeviceReset),
    }
    Ok(outcome)
}

/// The vault and IndexedDB were erased: back to sign-in with `notice`.
fn after_wipe(app: AppState, notice: Notice) {
    let (mut local, mut home, mut screen, mut note) = (app.local, app.home, app.screen, app.notice);
    if let Some(current) = local.write().as_mut() {
        current.client = None;
    }
    platform::store_last_sync(None);
    home.set(HomeInfo::default());
    note.set(Some(notice));
    screen.set(Screen::Login);
}

/// Erases the vault and IndexedDB (sign-out, server wipe).
async fn wipe_everything(app: AppState) -> Option<String> {
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
    token
}

/// "Afmelden": wipe the device, then tell the server when online.
pub async fn sign_out(app: AppState) {
    let token = wipe_everything(app).await;
    let (mut local, mut home, mut screen, mut note, mut pending) =
        (app.local, app.home, app.screen, app.notice, app.session);
    if let Some(current) = local.write().as_mut() {
        current.client = None;
    }
    platform::store_last_sync(None);
    home.set(HomeInfo::default());
    note.set(None);
    pending.set(None);
    screen.set(Screen::Login);
    if let Some(token) = token
        && platform::is_online()
    {
        let _ = platform::post_json("/api/logout", "{}", Some(&token)).await;
    }
}

/// One sync session over fetch; saves the documents into the vault afterwards.
pub async fn sync(app: AppState) -> Result<(), String> {
    let mut home = app.home;
    if home.peek().syncing {
        return Ok(());
    }
    let token = {
        let mut local = app.local;
        let mut guard = local.write();
        let current = guard.as_mut().ok_or_else(|| "locked".to_string())?;
        let token = current
            .vault
            .session()
            .map(|session| session.token.expose().to_string())
            .ok_or_else(|| "locked".to_string())?;
        current
            .client
            .as_mut()
            .ok_or_else(|| "locked".to_string())?
            .begin_session();
        token
    };
    home.with_mut(|info| {
        info.syncing = true;
        info.sync_failed = false;
    });
    let result = run_session(app, &token).await;
    home.with_mut(|info| info.syncing = false);
    match result {
        Ok(SessionEnd::Done(server_time)) => {
            let saved = {
                let mut local = app.local;
                let mut guard = local.write();
                match guard.as_mut() {
                    Some(Local {
                        vault,
                        client: Some(client),
                        ..
                    }) => vault.save_docs(client).map_err(|e| vault_text(&e)),
                    _ => Err("locked".to_string()),
                }
            };
            saved?;
            if let Some((db, ops)) = take_ops(app) {
                persist(&db, ops).await?;
            }
            if let Some(time) = server_time {
                platform::store_last_sync(Some(time));
            }
            refresh_home(app);
            Ok(())
        }
        Ok(SessionEnd::Wipe) => {
            wipe_everything(app).await;
            after_wipe(app, Notice::Wiped);
            Ok(())
        }
        Err(error) => {
            home.with_mut(|info| info.sync_failed = true);
            Err(error)
        }
    }
}

enum SessionEnd {
    Done(Option<i64>),
    Wipe,
}

async fn run_session(app: AppState, token: &str) -> Result<SessionEnd, String> {
    let mut local = app.local;
    let mut server_time = None;
    loop {
        let request = {
            let mut guard = local.write();
            let Some(client) = guard.as_mut().and_then(|current| current.client.as_mut()) else {
                return Err("locked".into());
            };
            client.next_request()
        };
        let Some(request) = request else { break };
        let body = request.encode().map_err(|e| e.to_string())?;
        let response = platform::post_bytes("/api/sync", &body, Some(token))
            .await
            .map_err(|e| match e {
                NetError::Timeout => "timeout".to_string(),
                NetError::Failed(reason) => reason,
            })?;
        let reply = match interpret_sync_response(response.status, &response.body) {
            SyncAnswer::Reply(reply) => reply,
            SyncAnswer::Wipe => return Ok(SessionEnd::Wipe),
            SyncAnswer::Failed(reason) => return Err(reason),
        };
        let events = {
            let mut guard = local.write();
            let Some(client) = guard.as_mut().and_then(|current| current.client.as_mut()) else {
                return Err("locked".into());
            };
            client.handle_reply(reply).map_err(|e| e.to_string())?
        };
        for event in events {
            match event {
                ClientEvent::Wipe(_) => return Ok(SessionEnd::Wipe),
                ClientEvent::Synced { server_time: time } => server_time = Some(time.millis()),
                _ => {}
            }
        }
    }
    Ok(SessionEnd::Done(server_time))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_410_wipe_is_a_wipe_and_garbage_is_an_error() {
        assert!(matches!(
            interpret_sync_response(410, br#"{"code":"wipe","message":"x"}"#),
            SyncAnswer::Wipe
        ));
        assert!(matches!(
            interpret_sync_response(401, br#"{"code":"unauthorized"}"#),
            SyncAnswer::Failed(_)
        ));
        assert!(matches!(
            interpret_sync_response(200, b"\xff\xff"),
            SyncAnswer::Failed(_)
        ));
    }

    #[test]
    fn texts_follow_ui_md() {
        assert_eq!(
            wrong_pin_text(3, Lang::Nl),
            "Foute pincode. Nog 3 pogingen."
        );
        assert_eq!(wrong_pin_text(3, Lang::En), "Wrong PIN. 3 attempts left.");
        assert_eq!(wrong_pin_text(1, Lang::Nl), "Foute pincode. Nog 1 poging.");
        assert_eq!(safe_count_text(Some(87), Lang::Nl), "87 sleutelkluisjes");
        assert_eq!(safe_count_text(Some(1), Lang::En), "1 key safe");
        assert_eq!(
            Notice::Wiped.message(Lang::Nl),
            "Deze toestel is afgemeld. Meld je opnieuw aan."
        );
        let info = HomeInfo {
            last_sync: Some(1_000_000),
            lease_hours: 72,
            ..HomeInfo::default()
        };
        assert_eq!(
            freshness_text(&info, 1_000_000, true, Lang::Nl),
            "Bijgewerkt zonet"
        );
    }

    #[test]
    fn pin_problems_have_words() {
        assert_eq!(
            pin_problem_text(&PinProblem::TooShort, Lang::Nl),
            "Je pincode moet minstens 6 cijfers hebben."
        );
    }
}
