//! The page's life as the carer uses it (wasm32 only): touches (for the idle lock), the page
//! being hidden, the network coming back, persistent storage, and the server's event stream.

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(inline_js = r#"
function kluis() {
  window.__kluis = window.__kluis || { installPrompt: null };
  return window.__kluis;
}
export function kluis_track_activity() {
  const k = kluis();
  if (k.activityTracked) return;
  k.activityTracked = true;
  k.lastActivity = Date.now();
  const touch = () => { k.lastActivity = Date.now(); };
  for (const name of ["pointerdown", "keydown", "touchstart", "wheel", "input"]) {
    document.addEventListener(name, touch, { capture: true, passive: true });
  }
}
export function kluis_last_activity() {
  return kluis().lastActivity || Date.now();
}
export function kluis_next_hidden() {
  return new Promise((resolve) => {
    const check = () => {
      if (document.visibilityState === "hidden") {
        document.removeEventListener("visibilitychange", check);
        resolve();
      }
    };
    document.addEventListener("visibilitychange", check);
  });
}
export async function kluis_persist() {
  const storage = navigator.storage;
  if (!storage || !storage.persist) return "unsupported";
  try {
    if (storage.persisted && await storage.persisted()) return "granted";
    return (await storage.persist()) ? "granted" : "refused";
  } catch (e) {
    return "refused";
  }
}
export function kluis_stop_events() {
  const k = kluis();
  if (k.events) { k.events.abort(); k.events = null; }
}
// Server-sent events over fetch: EventSource cannot send the Authorization header, and a
// token in the URL would end up in logs. Resolves when the stream ends.
export async function kluis_listen_events(token, onEvent) {
  kluis_stop_events();
  const controller = new AbortController();
  kluis().events = controller;
  const response = await fetch("/api/events", {
    headers: { Authorization: "Bearer " + token, Accept: "text/event-stream" },
    cache: "no-store",
    signal: controller.signal,
  });
  if (response.status === 410) { onEvent("wipe", ""); return; }
  if (!response.ok || !response.body) throw new Error("HTTP " + response.status);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "", name = "", data = "", fields = false;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, end).replace(/\r$/, "");
      buffer = buffer.slice(end + 1);
      if (line === "") {
        if (fields) onEvent(name || "message", data);
        name = ""; data = ""; fields = false;
      } else if (line.startsWith(":")) {
        // keep-alive comment
      } else {
        fields = true;
        if (line.startsWith("event:")) name = line.slice(6).trim();
        // A pushed change is one line; more than that is not ours: the app then syncs.
        else if (line.startsWith("data:") && data.length + line.length < 65536) {
          data += (data ? "\n" : "") + line.slice(5).replace(/^ /, "");
        }
      }
    }
  }
}
"#)]
extern "C" {
    #[wasm_bindgen(catch)]
    fn kluis_track_activity() -> Result<(), JsValue>;
    #[wasm_bindgen(catch)]
    fn kluis_last_activity() -> Result<f64, JsValue>;
    #[wasm_bindgen(catch)]
    fn kluis_next_hidden() -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(catch)]
    fn kluis_persist() -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(catch)]
    fn kluis_stop_events() -> Result<(), JsValue>;
    #[wasm_bindgen(catch)]
    fn kluis_listen_events(
        token: &str,
        on_event: &Closure<dyn FnMut(String, String)>,
    ) -> Result<js_sys::Promise, JsValue>;
}

/// Starts noting the time of every touch and key press (once per page).
pub fn track_activity() {
    let _ = kluis_track_activity();
}

/// When the carer last touched the screen or a key (ms since the epoch).
pub fn last_activity_millis() -> i64 {
    // f64 milliseconds fit i64 for any real date.
    #[allow(clippy::cast_possible_truncation)]
    let millis = kluis_last_activity().unwrap_or_else(|_| js_sys::Date::now()) as i64;
    millis
}

/// Resolves when the page is next hidden (app switched away, screen off).
pub async fn next_hidden() {
    match kluis_next_hidden() {
        Ok(promise) => {
            let _ = JsFuture::from(promise).await;
        }
        Err(_) => std::future::pending::<()>().await,
    }
}

/// Resolves when the browser reports the network is back.
pub async fn next_online() {
    super::web::next_event("online").await;
}

/// Whether the browser will keep the cache under storage pressure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Persistence {
    Granted,
    Refused,
    /// The browser has no such API; nothing to tell the carer.
    Unsupported,
}

/// Asks for persistent storage (`navigator.storage.persist()`).
pub async fn request_persistent_storage() -> Persistence {
    let Ok(promise) = kluis_persist() else {
        return Persistence::Unsupported;
    };
    match JsFuture::from(promise)
        .await
        .ok()
        .and_then(|v| v.as_string())
        .as_deref()
    {
        Some("granted") => Persistence::Granted,
        Some("refused") => Persistence::Refused,
        _ => Persistence::Unsupported,
    }
}

/// Listens to `GET /api/events` with `token`, calling `on_event` with each event's name
/// (`ready`, `change`, `sync`, `wipe`) and data; returns when the stream ends or fails.
///
/// # Errors
/// No connection, or an HTTP error other than 410 (which is reported as a `wipe` event).
pub async fn listen_events(
    token: &str,
    on_event: impl FnMut(String, String) + 'static,
) -> Result<(), String> {
    let callback: Closure<dyn FnMut(String, String)> = Closure::new(on_event);
    let promise = kluis_listen_events(token, &callback).map_err(|e| format!("{e:?}"))?;
    let result = JsFuture::from(promise).await;
    drop(callback);
    result.map(|_| ()).map_err(|e| {
        js_sys::Reflect::get(&e, &JsValue::from_str("message"))
            .ok()
            .and_then(|m| m.as_string())
            .unwrap_or_else(|| "event stream failed".to_string())
    })
}

/// Closes the event stream (on lock).
pub fn stop_events() {
    let _ = kluis_stop_events();
}
