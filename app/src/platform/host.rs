//! Host twin of `web.rs`: no browser, so no network, storage or install prompt. Keeps the
//! same signatures so the app compiles and its logic can be tested natively.

use super::{HttpResponse, NetError};

pub async fn post_json(
    _path: &str,
    _body: &str,
    _bearer: Option<&str>,
) -> Result<HttpResponse, NetError> {
    Err(NetError::Failed(
        "no browser: HTTP is only available in the web build".into(),
    ))
}

pub fn user_agent() -> String {
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
