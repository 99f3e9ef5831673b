//! Browser implementation (wasm32 only): fetch, localStorage for the language choice,
//! the install prompt kept by `app/web/boot.js`, and a panic hook that tells the user.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, Request, RequestCache, RequestInit, Response};

use super::{BytesResponse, HttpResponse, NetError, REQUEST_TIMEOUT_MS};

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
export function kluis_paint() {
  return new Promise((resolve) => {
    let done = false;
    const finish = () => { if (!done) { done = true; resolve(); } };
    if (window.requestAnimationFrame) {
      window.requestAnimationFrame(() => setTimeout(finish, 0));
    }
    setTimeout(finish, 120);
  });
}
export function kluis_sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
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
    #[wasm_bindgen(catch)]
    fn kluis_paint() -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(catch)]
    fn kluis_sleep(ms: u32) -> Result<js_sys::Promise, JsValue>;
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

/// A fetch that failed without an answer: timed out (aborted) or no network.
fn net_error(error: JsValue) -> NetError {
    match error_name(&error).as_deref() {
        Some("AbortError") | Some("TimeoutError") => NetError::Timeout,
        _ => NetError::Failed(describe(&error)),
    }
}

/// POSTs `body` to `path` on the app's own origin and returns the response once its headers
/// arrived. Any HTTP status is a successful exchange; only a missing answer is an error.
async fn post(
    method: &str,
    path: &str,
    body: &JsValue,
    content_type: &str,
    bearer: Option<&str>,
) -> Result<Response, NetError> {
    let failed = |error: JsValue| NetError::Failed(describe(&error));
    let window = web_sys::window().ok_or_else(|| NetError::Failed("no window".into()))?;

    let headers = Headers::new().map_err(failed)?;
    headers.set("Content-Type", content_type).map_err(failed)?;
    headers
        .set(kluis_api::admin::APP_VERSION_HEADER, super::APP_VERSION)
        .map_err(failed)?;
    if content_type == "application/json" {
        headers.set("Accept", "application/json").map_err(failed)?;
    }
    if let Some(token) = bearer {
        headers
            .set("Authorization", &format!("Bearer {token}"))
            .map_err(failed)?;
    }

    let init = RequestInit::new();
    init.set_method(method);
    init.set_headers(&headers);
    init.set_body(body);
    init.set_cache(RequestCache::NoStore);

    // Give up after REQUEST_TIMEOUT_MS: a stairwell with one bar of signal must not leave
    // the button spinning forever. (AbortController + setTimeout works in older browsers
    // than AbortSignal.timeout.) The timer may fire after the answer: aborting a finished
    // request does nothing, and reading a body it cut short fails as a timeout.
    if let Ok(controller) = AbortController::new() {
        init.set_signal(Some(&controller.signal()));
        let abort = Closure::once_into_js(move || controller.abort());
        let timeout = i32::try_from(REQUEST_TIMEOUT_MS).unwrap_or(i32::MAX);
        let _ = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(abort.unchecked_ref(), timeout);
    }

    let request = Request::new_with_str_and_init(path, &init).map_err(failed)?;
    let response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(net_error)?;
    response.dyn_into().map_err(net_error)
}

/// Sends `body` as JSON to `path` on the app's own origin.
pub async fn post_json(
    path: &str,
    body: &str,
    bearer: Option<&str>,
) -> Result<HttpResponse, NetError> {
    send_json("POST", path, body, bearer).await
}

/// Sends `body` as JSON to `path` with `method` (`PUT`, `DELETE`, ...).
pub async fn send_json(
    method: &str,
    path: &str,
    body: &str,
    bearer: Option<&str>,
) -> Result<HttpResponse, NetError> {
    let response = post(
        method,
        path,
        &JsValue::from_str(body),
        "application/json",
        bearer,
    )
    .await?;
    let status = response.status();
    let text = JsFuture::from(response.text().map_err(net_error)?)
        .await
        .map_err(net_error)?;
    Ok(HttpResponse {
        status,
        body: text.as_string().unwrap_or_default(),
    })
}

/// GETs JSON from `path` on the app's own origin (the coordinator's overviews), with the
/// same time limit as the POSTs. Any HTTP status is a successful exchange.
pub async fn get_json(path: &str, bearer: Option<&str>) -> Result<HttpResponse, NetError> {
    let failed = |error: JsValue| NetError::Failed(describe(&error));
    let window = web_sys::window().ok_or_else(|| NetError::Failed("no window".into()))?;
    let headers = Headers::new().map_err(failed)?;
    headers.set("Accept", "application/json").map_err(failed)?;
    headers
        .set(kluis_api::admin::APP_VERSION_HEADER, super::APP_VERSION)
        .map_err(failed)?;
    if let Some(token) = bearer {
        headers
            .set("Authorization", &format!("Bearer {token}"))
            .map_err(failed)?;
    }
    let init = RequestInit::new();
    init.set_method("GET");
    init.set_headers(&headers);
    init.set_cache(RequestCache::NoStore);
    if let Ok(controller) = AbortController::new() {
        init.set_signal(Some(&controller.signal()));
        let abort = Closure::once_into_js(move || controller.abort());
        let timeout = i32::try_from(REQUEST_TIMEOUT_MS).unwrap_or(i32::MAX);
        let _ = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(abort.unchecked_ref(), timeout);
    }
    let request = Request::new_with_str_and_init(path, &init).map_err(failed)?;
    let response: Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(net_error)?
        .dyn_into()
        .map_err(net_error)?;
    let status = response.status();
    let text = JsFuture::from(response.text().map_err(net_error)?)
        .await
        .map_err(net_error)?;
    Ok(HttpResponse {
        status,
        body: text.as_string().unwrap_or_default(),
    })
}

pub fn user_agent() -> String {
    web_sys::window()
        .and_then(|window| window.navigator().user_agent().ok())
        .unwrap_or_default()
}

/// Where the app was loaded from (`https://kluis.example`), for links to hand over.
pub fn origin() -> String {
    web_sys::window()
        .and_then(|window| window.location().origin().ok())
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

/// Brings the element `id` of the current screen into view (a line of "Nu te doen" that
/// points further down the same screen).
pub fn scroll_to(id: &str) {
    if let Some(element) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id(id))
    {
        element.scroll_into_view();
    }
}

/// Opens the browser's print dialog (the print stylesheet lays the screen out on A4).
pub fn print() {
    if let Some(window) = web_sys::window() {
        let _ = window.print();
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

pub(super) async fn next_event(name: &str) {
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

/// Sends `body` as `application/octet-stream` to `path` on the app's own origin (the sync
/// protocol).
pub async fn post_bytes(
    path: &str,
    body: &[u8],
    bearer: Option<&str>,
) -> Result<BytesResponse, NetError> {
    let bytes: JsValue = js_sys::Uint8Array::from(body).into();
    let response = post("POST", path, &bytes, "application/octet-stream", bearer).await?;
    let status = response.status();
    let next_token = response
        .headers()
        .get(kluis_domain::sync::NEXT_TOKEN_HEADER)
        .ok()
        .flatten();
    let buffer = JsFuture::from(response.array_buffer().map_err(net_error)?)
        .await
        .map_err(net_error)?;
    Ok(BytesResponse {
        status,
        body: js_sys::Uint8Array::new(&buffer).to_vec(),
        next_token,
    })
}

/// Milliseconds since the Unix epoch, from the phone's clock.
pub fn now_millis() -> i64 {
    // f64 milliseconds fit i64 for any real date.
    #[allow(clippy::cast_possible_truncation)]
    let now = js_sys::Date::now() as i64;
    now
}

/// What the browser believes about the connection (`navigator.onLine`).
pub fn is_online() -> bool {
    web_sys::window().is_none_or(|window| window.navigator().on_line())
}

/// Resolves after the browser painted the current screen (a frame and a task later), so a
/// progress message is visible before slow work blocks the main thread.
pub async fn paint() {
    if let Ok(promise) = kluis_paint() {
        let _ = JsFuture::from(promise).await;
    }
}

/// Resolves after `ms` milliseconds.
pub async fn sleep_ms(ms: u32) {
    match kluis_sleep(ms) {
        Ok(promise) => {
            let _ = JsFuture::from(promise).await;
        }
        Err(_) => std::future::pending::<()>().await,
    }
}

/// A warning in the browser console (for what a developer should see, never a secret).
pub fn warn(message: &str) {
    web_sys::console::warn_1(&JsValue::from_str(message));
}
