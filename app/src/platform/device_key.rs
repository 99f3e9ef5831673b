//! The browser's part of binding the vault to this phone (wasm32 only; the host twin is in
//! `host.rs`): a non-extractable HMAC key kept in IndexedDB (`kluis-device`), and a passkey
//! with the WebAuthn PRF extension where the phone has a platform authenticator.
//!
//! A script can read the CryptoKey object but never its bytes, and the object does not
//! survive being copied out of the browser (JSON, a backup of the records): only this
//! profile can compute HMAC(key, challenge). The passkey's PRF output needs the phone's
//! fingerprint or screen lock each time. Neither talks to the server: WebAuthn is used here
//! only for its PRF output, so unlocking stays offline.

use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::DeviceKeyError;

#[wasm_bindgen(inline_js = r#"
const DB = "kluis-device";
const STORE = "keys";
const KEY = "vault-binding";

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function run(db, mode, work) {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const request = work(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(request.result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

function subtle() {
  if (!globalThis.crypto || !globalThis.crypto.subtle) {
    throw new Error("no WebCrypto here (an insecure origin?)");
  }
  return globalThis.crypto.subtle;
}

// The key object, once read, for as long as the page lives: it cannot be exported, and
// reading it again would cost an IndexedDB round trip on every unlock.
let cached = null;

async function load() {
  if (cached) return cached;
  const db = await open();
  let key;
  try {
    key = await run(db, "readonly", (s) => s.get(KEY));
  } finally {
    db.close();
  }
  cached = key instanceof CryptoKey ? key : null;
  return cached;
}

export async function kluis_device_key_new(challenge) {
  const key = await subtle().generateKey({ name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const db = await open();
  try {
    await run(db, "readwrite", (s) => s.put(key, KEY));
  } finally {
    db.close();
  }
  cached = key;
  return new Uint8Array(await subtle().sign("HMAC", key, challenge));
}

export async function kluis_device_key_sign(challenge) {
  const key = await load();
  if (!key) return null;
  return new Uint8Array(await subtle().sign("HMAC", key, challenge));
}

export function kluis_device_key_prewarm() {
  load().catch(() => {});
}

export async function kluis_device_key_forget() {
  cached = null;
  const db = await open();
  try {
    await run(db, "readwrite", (s) => s.delete(KEY));
  } finally {
    db.close();
  }
}

export async function kluis_passkey_available() {
  if (!globalThis.PublicKeyCredential || !navigator.credentials) return false;
  try {
    if (!(await PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable())) return false;
    if (PublicKeyCredential.getClientCapabilities) {
      const caps = await PublicKeyCredential.getClientCapabilities();
      if (caps["extension:prf"] === false) return false;
    }
    return true;
  } catch (_) {
    return false;
  }
}

async function evaluate(id, salt) {
  const assertion = await navigator.credentials.get({
    publicKey: {
      challenge: crypto.getRandomValues(new Uint8Array(32)),
      allowCredentials: [{ type: "public-key", id, transports: ["internal"] }],
      userVerification: "required",
      timeout: 60000,
      extensions: { prf: { eval: { first: salt } } },
    },
  });
  const prf = assertion && assertion.getClientExtensionResults().prf;
  if (!prf || !prf.results || !prf.results.first) throw new Error("the passkey gave no PRF output");
  return new Uint8Array(prf.results.first);
}

export async function kluis_passkey_create(name, displayName, salt) {
  const credential = await navigator.credentials.create({
    publicKey: {
      rp: { name: "Kluis" },
      user: { id: crypto.getRandomValues(new Uint8Array(16)), name, displayName },
      challenge: crypto.getRandomValues(new Uint8Array(32)),
      pubKeyCredParams: [
        { type: "public-key", alg: -7 },
        { type: "public-key", alg: -257 },
      ],
      authenticatorSelection: {
        authenticatorAttachment: "platform",
        residentKey: "discouraged",
        userVerification: "required",
      },
      attestation: "none",
      timeout: 60000,
      extensions: { prf: { eval: { first: salt } } },
    },
  });
  const prf = credential && credential.getClientExtensionResults().prf;
  if (!prf || prf.enabled === false) return null;
  const id = new Uint8Array(credential.rawId);
  const first = prf.results && prf.results.first
    ? new Uint8Array(prf.results.first)
    : await evaluate(id, salt);
  return [id, first];
}

export async function kluis_passkey_evaluate(id, salt) {
  return await evaluate(id, salt);
}
"#)]
extern "C" {
    #[wasm_bindgen(catch)]
    fn kluis_device_key_new(challenge: &Uint8Array) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(catch)]
    fn kluis_device_key_sign(challenge: &Uint8Array) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(catch)]
    fn kluis_device_key_forget() -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(catch)]
    fn kluis_device_key_prewarm() -> Result<(), JsValue>;
    #[wasm_bindgen(catch)]
    fn kluis_passkey_available() -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(catch)]
    fn kluis_passkey_create(
        name: &str,
        display_name: &str,
        salt: &Uint8Array,
    ) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(catch)]
    fn kluis_passkey_evaluate(
        id: &Uint8Array,
        salt: &Uint8Array,
    ) -> Result<js_sys::Promise, JsValue>;
}

fn failed(error: JsValue) -> DeviceKeyError {
    let name = js_sys::Reflect::get(&error, &JsValue::from_str("name"))
        .ok()
        .and_then(|n| n.as_string());
    let message = js_sys::Reflect::get(&error, &JsValue::from_str("message"))
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown error".into());
    match name.as_deref() {
        // The person closed the fingerprint prompt, or it timed out.
        Some("NotAllowedError" | "AbortError") => DeviceKeyError::Cancelled,
        _ => DeviceKeyError::Failed(message),
    }
}

async fn call(promise: Result<js_sys::Promise, JsValue>) -> Result<JsValue, DeviceKeyError> {
    JsFuture::from(promise.map_err(failed)?)
        .await
        .map_err(failed)
}

fn bytes(value: &JsValue) -> Result<Vec<u8>, DeviceKeyError> {
    value
        .dyn_ref::<Uint8Array>()
        .map(Uint8Array::to_vec)
        .ok_or_else(|| DeviceKeyError::Failed("not bytes".into()))
}

/// Makes a new device key (replacing any earlier one) and returns HMAC(key, challenge).
///
/// # Errors
/// No WebCrypto or IndexedDB (an insecure origin, private mode).
pub async fn device_key_new(challenge: &[u8]) -> Result<Vec<u8>, DeviceKeyError> {
    bytes(&call(kluis_device_key_new(&Uint8Array::from(challenge))).await?)
}

/// HMAC(this browser's device key, challenge); `None` when this browser has no device key
/// (the records came from elsewhere, or it was deleted).
///
/// # Errors
/// WebCrypto or IndexedDB failed.
pub async fn device_key_sign(challenge: &[u8]) -> Result<Option<Vec<u8>>, DeviceKeyError> {
    let value = call(kluis_device_key_sign(&Uint8Array::from(challenge))).await?;
    if value.is_null() || value.is_undefined() {
        return Ok(None);
    }
    bytes(&value).map(Some)
}

/// Reads the device key now (while the PIN is typed), so the unlock does not wait for
/// IndexedDB.
pub fn device_key_prewarm() {
    let _ = kluis_device_key_prewarm();
}

/// Deletes the device key (sign-out, wipe).
pub async fn device_key_forget() {
    let _ = call(kluis_device_key_forget()).await;
}

/// Whether a platform passkey with PRF can be tried here.
pub async fn passkey_available() -> bool {
    call(kluis_passkey_available())
        .await
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// Creates a passkey and evaluates its PRF at `salt`: `(credential id, PRF output)`, or
/// `None` when the authenticator has no PRF.
///
/// # Errors
/// Cancelled, refused (e.g. an origin that cannot be a relying party), or failed.
pub async fn passkey_create(
    name: &str,
    display_name: &str,
    salt: &[u8],
) -> Result<Option<(Vec<u8>, Vec<u8>)>, DeviceKeyError> {
    let value = call(kluis_passkey_create(
        name,
        display_name,
        &Uint8Array::from(salt),
    ))
    .await?;
    if value.is_null() || value.is_undefined() {
        return Ok(None);
    }
    let pair = js_sys::Array::from(&value);
    Ok(Some((bytes(&pair.get(0))?, bytes(&pair.get(1))?)))
}

/// The passkey's PRF output at `salt` (the phone asks for the fingerprint or screen lock).
///
/// # Errors
/// Cancelled, or the passkey is not on this phone.
pub async fn passkey_evaluate(id: &[u8], salt: &[u8]) -> Result<Vec<u8>, DeviceKeyError> {
    bytes(
        &call(kluis_passkey_evaluate(
            &Uint8Array::from(id),
            &Uint8Array::from(salt),
        ))
        .await?,
    )
}
