//! Kluis PWA: the app that carers, volunteers and the coordinator open on their phones.
//!
//! Built for the browser with plain cargo + wasm-bindgen (`cargo xtask web`, see
//! `xtask/src/web.rs`). Browser-only code lives in [`platform`] behind
//! `#[cfg(target_arch = "wasm32")]`, with a host twin so `cargo test -p kluis-app` and
//! `cargo clippy -p kluis-app` work natively.
//!
//! - [`state`]: pure state and logic (i18n, session, API answers), tested on the host;
//! - [`components`]: small building blocks;
//! - [`views`]: the screens and the app shell;
//! - [`platform`]: the browser (fetch, storage, install prompt, panic hook).

pub mod components;
pub mod platform;
pub mod state;
pub mod views;

/// Starts the app in the page's `<div id="main">`.
#[cfg(target_arch = "wasm32")]
pub fn launch() {
    platform::install_panic_hook();
    dioxus::launch(views::App);
}
