//! Host twin of `web.rs`: no browser, so no network, storage or install prompt. Keeps the
//! same signatures so the app compiles and its logic can be tested natively.

use super::storage::{MemoryStore, StoreError, StoreOp};
use super::{BytesResponse, DeviceKeyError, HttpResponse, NetError};

pub async fn post_json(
    _path: &str,
    _body: &str,
    _bearer: Option<&str>,
) -> Result<HttpResponse, NetError> {
    Err(NetError::Failed(
        "no browser: HTTP is only available in the web build".into(),
    ))
}

pub async fn send_json(
    _method: &str,
    _path: &str,
    _body: &str,
    _bearer: Option<&str>,
) -> Result<HttpResponse, NetError> {
    Err(NetError::Failed(
        "no browser: HTTP is only available in the web build".into(),
    ))
}

pub async fn get_json(_path: &str, _bearer: Option<&str>) -> Result<HttpResponse, NetError> {
    Err(NetError::Failed(
        "no browser: HTTP is only available in the web build".into(),
    ))
}

pub fn user_agent() -> String {
    String::new()
}

pub fn origin() -> String {
    String::new()
}

pub fn stored_lang() -> Option<String> {
    None
}

pub fn preferred_lang() -> Option<String> {
    None
}

pub fn store_lang(_code: &str) {}

pub fn set_document_lang(_html_lang: &str) {}

pub fn set_title(_title: &str) {}

pub fn scroll_to(_id: &str) {}

pub fn print() {}

pub fn hide_boot_splash() {}

pub fn install_panic_hook() {}

pub fn install_available() -> bool {
    false
}

pub fn is_standalone() -> bool {
    false
}

/// Never resolves on the host: there is no install prompt.
pub async fn next_installable() {
    std::future::pending::<()>().await
}

/// Never resolves on the host.
pub async fn next_installed() {
    std::future::pending::<()>().await
}

pub async fn prompt_install() -> Result<bool, String> {
    Err("no browser".into())
}

pub async fn post_bytes(
    _path: &str,
    _body: &[u8],
    _bearer: Option<&str>,
) -> Result<BytesResponse, NetError> {
    Err(NetError::Failed(
        "no browser: HTTP is only available in the web build".into(),
    ))
}

pub fn now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

pub fn is_online() -> bool {
    false
}

pub async fn paint() {}

/// Never resolves on the host: nothing ticks there.
pub async fn sleep_ms(_ms: u32) {
    std::future::pending::<()>().await
}

pub fn track_activity() {}

pub fn last_activity_millis() -> i64 {
    now_millis()
}

/// Never resolves on the host: there is no page to hide.
pub async fn next_hidden() {
    std::future::pending::<()>().await
}

/// Never resolves on the host.
pub async fn next_online() {
    std::future::pending::<()>().await
}

/// Whether the browser will keep the cache under storage pressure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Persistence {
    Granted,
    Refused,
    Unsupported,
}

pub async fn request_persistent_storage() -> Persistence {
    Persistence::Unsupported
}

/// There is no server stream on the host.
pub async fn listen_events(
    _token: &str,
    _on_event: impl FnMut(String, String) + 'static,
) -> Result<(), String> {
    Err("no event stream on the host".into())
}

pub fn stop_events() {}

thread_local! {
    /// What the host twin of IndexedDB holds, per thread (one test, one "browser profile").
    static DISK: std::cell::RefCell<MemoryStore> = std::cell::RefCell::new(MemoryStore::new());
}

/// Host twin of the IndexedDB store: an in-memory map per thread, so the flows (enrol,
/// unlock, lock, wipe) run and persist on the host as in a browser.
pub struct IdbStore;

impl IdbStore {
    pub async fn open() -> Result<Self, StoreError> {
        Ok(IdbStore)
    }

    pub async fn load_all(&self) -> Result<MemoryStore, StoreError> {
        Ok(DISK.with(|disk| MemoryStore::from_blobs(disk.borrow().blobs().clone())))
    }

    pub async fn apply(&self, ops: &[StoreOp]) -> Result<(), StoreError> {
        DISK.with(|disk| {
            let mut disk = disk.borrow_mut();
            ops.iter().try_for_each(|op| op.apply_to(&mut *disk))
        })
    }
}

fn no_browser_key() -> DeviceKeyError {
    DeviceKeyError::Failed("no browser: no device key on the host".into())
}

/// No WebCrypto on the host: vaults made here are bound to the PIN only.
pub async fn device_key_new(_challenge: &[u8]) -> Result<Vec<u8>, DeviceKeyError> {
    Err(no_browser_key())
}

pub async fn device_key_sign(_challenge: &[u8]) -> Result<Option<Vec<u8>>, DeviceKeyError> {
    Ok(None)
}

pub async fn device_key_forget() {}

pub fn device_key_prewarm() {}

pub async fn passkey_available() -> bool {
    false
}

pub async fn passkey_create(
    _name: &str,
    _display_name: &str,
    _salt: &[u8],
) -> Result<Option<(Vec<u8>, Vec<u8>)>, DeviceKeyError> {
    Err(no_browser_key())
}

pub async fn passkey_evaluate(_id: &[u8], _salt: &[u8]) -> Result<Vec<u8>, DeviceKeyError> {
    Err(no_browser_key())
}

/// A warning on the host: standard error.
pub fn warn(message: &str) {
    eprintln!("{message}");
}
