//! Browser implementation (wasm32 only): fetch, localStorage for the language choice,
//! the install prompt kept by `app/web/boot.js`, and a panic hook that tells the user.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, Request, RequestCache, RequestInit, Response};

use super::{HttpResponse, NetError, REQUEST_TIMEOUT_MS};

const LANG_KEY: &str = "kluis.lang";

#[wasm_bindgen(inline_js = r#"
function kluis() {
  window.__kluis = window.__kluis || { installPrompt: null };
  return window.__kluis;
}
export function kluis_install_available() {
  return !!kluis().installPrompt;
}
export function kluis_next_event(name) {
  return new Promise((resolve) => window.addEventListener(name, () => resolve(), { once: true }));
}
export async function kluis_prompt_install() {
  const prompt = kluis().installPrompt;
  if (!prompt) return false;
  kluis().installPrompt = null;
  await prompt.prompt();
  const choice = await prompt.userChoice;
  return !!choice && choice.outcome === "accepted";
}
export function kluis_is_standalone() {
  const media = window.matchMedia && window.matchMedia("(display-mode: standalone)").matches;
  return !!media || window.navigator.standalone === true;
}
export function kluis_hide_boot() {
  const boot = document.getElementById("boot");
  if (boot) boot.hidden = true;
}
export function kluis_show_fatal(message) {
  const boot = document.getElementById("boot");
  const text = document.getElementById("boot-text");
  const main = document.getElementById("main");
  if (main) main.hidden = true;
  if (boot) { boot.hidden = false; boot.classList.add("boot-error"); }
  if (text) text.textContent = message;
}
"#)]
extern "C" {
    #[wasm_bindgen(catch)]
    fn kluis_install_available() -> Result<bool, JsValue>;
    #[wasm_bindgen(catch)]
    fn kluis_next_event(name: &str) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(catch)]
    fn kluis_prompt_install() -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(catch)]
    fn kluis_is_standalone() -> Result<bool, JsValue>;
    #[wasm_bindgen(catch)]
    fn kluis_hide_boot() -> Result<(), JsValue>;
    #[wasm_bindgen(catch)]
    fn kluis_show_fatal(message: &str) -> Result<(), JsValue>;
}

fn describe(error: &JsValue) -> String {
    if let Some(text) = error.as_string() {
        return text;
    }
    js_sys::Reflect::get(error, &JsValue::from_str("message"))
        .ok()
        .and_then(|message| message.as_string())
        .unwrap_or_else(|| format!("{error:?}"))
}

fn error_name(error: &JsValue) -> Option<String> {
    js_sys::Reflect::get(error, &JsValue::from_str("name"))
        .ok()?
        .as_string()
}

/// Sends `body` as JSON to `path` on the app's own origin. Any HTTP status is a
/// successful exchange; only a missing answer is an error.
pub async fn post_json(
    path: &str,
    body: &str,
    bearer: Option<&str>,
) -> Result<HttpResponse, NetError> {
    let failed = |error: JsValue| NetError::Failed(describe(&error));
    let window = web_sys::window().ok_or_else(|| NetError::Failed("no window".into()))?;

    let headers = Headers::new().map_err(failed)?;
    headers
        .set("Content-Type", "application/json")
        .map_err(failed)?;
    headers.set("Accept", "application/json").map_err(failed)?;
    if let Some(token) = bearer {
        headers
            .set("Authorization", &format!("Bearer {token}"))
            .map_err(failed)?;
    }

    let init = RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&JsValue::from_str(body));
    init.set_cache(RequestCache::NoStore);

    // Give up after REQUEST_TIMEOUT_MS: a stairwell with one bar of signal must not leave
    // the button spinning forever. (AbortController + setTimeout works in older browsers
    // than AbortSignal.timeout.) The timer may fire after the answer: aborting a finished
    // request does nothing.
    if let Ok(controller) = AbortController::new() {
        init.set_signal(Some(&controller.signal()));
        let abort = Closure::once_into_js(move || controller.abort());
        let timeout = i32::try_from(REQUEST_TIMEOUT_MS).unwrap_or(i32::MAX);
        let _ = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(abort.unchecked_ref(), timeout);
    }

    let request = Request::new_with_str_and_init(path, &init).map_err(failed)?;
    let outcome = async {
        let response: Response = JsFuture::from(window.fetch_with_request(&request))
            .await?
            .dyn_into()?;
        let status = response.status();
        let text = JsFuture::from(response.text()?).await?;
        Ok::<_, JsValue>(HttpResponse {
            status,
            body: text.as_string().unwrap_or_default(),
        })
    }
    .await;
    outcome.map_err(|error| match error_name(&error).as_deref() {
        Some("AbortError") | Some("TimeoutError") => NetError::Timeout,
        _ => NetError::Failed(describe(&error)),
    })
}

pub fn user_agent() -> String {
    web_sys::window()
        .and_then(|window| window.navigator().user_agent().ok())
        .unwrap_or_default()
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The language the user picked earlier (not sensitive, so localStorage is fine).
pub fn stored_lang() -> Option<String> {
    local_storage()?.get_item(LANG_KEY).ok().flatten()
}

/// The browser's language, e.g. "nl-BE".
pub fn preferred_lang() -> Option<String> {
    web_sys::window()?.navigator().language()
}

pub fn store_lang(code: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(LANG_KEY, code);
    }
}

pub fn set_document_lang(html_lang: &str) {
    if let Some(root) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.document_element())
    {
        let _ = root.set_attribute("lang", html_lang);
    }
}

pub fn set_title(title: &str) {
    if let Some(document) = web_sys::window().and_then(|window| window.document()) {
        document.set_title(title);
    }
}

/// Hides the "Kluis wordt geladen…" splash from index.html once the app has rendered.
pub fn hide_boot_splash() {
    let _ = kluis_hide_boot();
}

/// A panic aborts the wasm module: log it and tell the user to reload, instead of leaving
/// a frozen screen.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&JsValue::from_str(&format!("Kluis stopped: {info}")));
        let _ = kluis_show_fatal(
            "Er ging iets mis in Kluis. Herlaad de pagina. \
             (Something went wrong in Kluis. Please reload the page.)",
        );
    }));
}

/// True when the browser's install prompt is waiting to be shown.
pub fn install_available() -> bool {
    kluis_install_available().unwrap_or(false)
}

/// True when Kluis already runs as an installed app.
pub fn is_standalone() -> bool {
    kluis_is_standalone().unwrap_or(false)
}

async fn next_event(name: &str) {
    match kluis_next_event(name) {
        Ok(promise) => {
            let _ = JsFuture::from(promise).await;
        }
        Err(_) => std::future::pending::<()>().await,
    }
}

/// Resolves when the browser next offers to install the app.
pub async fn next_installable() {
    next_event("kluis-installable").await;
}

/// Resolves when the app has been installed.
pub async fn next_installed() {
    next_event("kluis-installed").await;
}

/// Shows the browser's install dialog. `Ok(true)` when the user accepted.
pub async fn prompt_install() -> Result<bool, String> {
    let promise = kluis_prompt_install().map_err(|error| describe(&error))?;
    let accepted = JsFuture::from(promise)
        .await
        .map_err(|error| describe(&error))?;
    Ok(accepted.as_bool().unwrap_or(false))
}
