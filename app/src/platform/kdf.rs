//! Argon2id for the PIN (19 MiB, t=2) off the UI thread, so the screen keeps responding
//! while the key is derived: in the browser it runs in the PIN worker (`kdf-worker/` crate,
//! `app/web/kdf-worker.js`, URL in `<meta name="kluis-kdf-worker">` of index.html). The
//! worker is started at the first derivation and reused. When it cannot be used (no module
//! workers, its files did not load, it trapped or hung) the key is derived on the main
//! thread after a paint, as before: slower screen, same key, the app keeps working.
//!
//! On the host (tests, clippy) there is no worker and `derive_kek` derives directly.

use kluis_crypto::{KdfParams, SecretKey};

/// Argon2id(`pin`, `params`) → the key-encryption key that `Vault::enrol_with_kek` and
/// `Vault::unlock_with_kek` take; the same key as `kluis_crypto::derive_key`.
///
/// # Errors
/// The text of the `kluis_crypto::CryptoError` (parameters refused, Argon2 failed). Never
/// contains the PIN.
pub async fn derive_kek(pin: &str, params: &KdfParams) -> Result<SecretKey, String> {
    #[cfg(target_arch = "wasm32")]
    {
        match web::derive(pin, params).await {
            Ok(key) => return Ok(key),
            Err(reason) => {
                web_sys::console::warn_1(&wasm_bindgen::JsValue::from_str(&format!(
                    "Kluis: PIN worker not used ({reason}); deriving on the main thread"
                )));
                // Argon2id is about to block the thread: show the progress state first.
                crate::platform::paint().await;
            }
        }
    }
    derive_here(pin, params)
}

/// Starts the PIN worker now (its script and wasm load while the carer types the PIN), so
/// the unlock pays only for Argon2id itself. Does nothing on the host or if it cannot start;
/// the first derivation then starts it or falls back as usual.
pub fn prewarm() {
    #[cfg(target_arch = "wasm32")]
    {
        let _ = web::start();
    }
}

fn derive_here(pin: &str, params: &KdfParams) -> Result<SecretKey, String> {
    kluis_crypto::derive_key(pin.as_bytes(), params).map_err(|error| error.to_string())
}

#[cfg(target_arch = "wasm32")]
mod web {
    use std::cell::{Cell, RefCell};
    use std::collections::HashMap;
    use std::future::Future;
    use std::pin::Pin;
    use std::rc::Rc;
    use std::task::{Context, Poll, Waker};

    use js_sys::{Object, Reflect, Uint8Array};
    use kluis_crypto::{KEY_LEN, KdfParams, SecretKey, Zeroizing};
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;
    use web_sys::{ErrorEvent, Event, MessageEvent, Worker, WorkerOptions, WorkerType};

    const META: &str = "meta[name=\"kluis-kdf-worker\"]";
    /// A derivation takes well under a second even on old phones; far beyond that the worker
    /// is stuck, and the main thread takes over.
    const TIMEOUT_MS: i32 = 20_000;

    type Reply = Result<SecretKey, Failure>;

    /// Why the worker gave no key; `broken`: do not send it anything more.
    pub struct Failure {
        reason: String,
        broken: bool,
    }

    impl std::fmt::Display for Failure {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(&self.reason)
        }
    }

    fn failure(reason: impl Into<String>, broken: bool) -> Failure {
        Failure {
            reason: reason.into(),
            broken,
        }
    }

    /// Where one request's answer lands: filled by the worker's `onmessage`/`onerror` or the
    /// timeout, awaited by [`derive`]. The first answer wins.
    #[derive(Default)]
    struct Slot {
        reply: Option<Reply>,
        waker: Option<Waker>,
    }

    type SharedSlot = Rc<RefCell<Slot>>;

    fn fill(slot: &SharedSlot, reply: Reply) {
        let mut slot = slot.borrow_mut();
        if slot.reply.is_none() {
            slot.reply = Some(reply);
            if let Some(waker) = slot.waker.take() {
                waker.wake();
            }
        }
    }

    struct Answer(SharedSlot);

    impl Future for Answer {
        type Output = Reply;
        fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Reply> {
            let mut slot = self.0.borrow_mut();
            match slot.reply.take() {
                Some(reply) => Poll::Ready(reply),
                None => {
                    slot.waker = Some(cx.waker().clone());
                    Poll::Pending
                }
            }
        }
    }

    type Pending = Rc<RefCell<HashMap<u32, SharedSlot>>>;

    struct KdfWorker {
        worker: Worker,
        pending: Pending,
        next_id: Cell<u32>,
        /// Set from inside the worker's callbacks; the worker is dropped later, in
        /// [`kdf_worker`], because a closure must not be freed while it runs.
        broken: Rc<Cell<bool>>,
        _on_message: Closure<dyn FnMut(MessageEvent)>,
        _on_error: Closure<dyn FnMut(Event)>,
    }

    impl Drop for KdfWorker {
        fn drop(&mut self) {
            self.worker.set_onmessage(None);
            self.worker.set_onerror(None);
            self.worker.set_onmessageerror(None);
            self.worker.terminate();
        }
    }

    enum State {
        Unstarted,
        Running(Rc<KdfWorker>),
        /// Failed once in this page: do not retry until the app is reloaded.
        Unavailable,
    }

    thread_local! {
        static STATE: RefCell<State> = const { RefCell::new(State::Unstarted) };
    }

    fn describe(error: &JsValue) -> String {
        error
            .as_string()
            .or_else(|| {
                Reflect::get(error, &JsValue::from_str("message"))
                    .ok()?
                    .as_string()
            })
            .unwrap_or_else(|| format!("{error:?}"))
    }

    fn worker_url() -> Option<String> {
        web_sys::window()?
            .document()?
            .query_selector(META)
            .ok()??
            .get_attribute("content")
            .filter(|url| !url.is_empty())
    }

    /// Reads `{key}` or `{error, broken}` from the worker; wipes the JS copy of the key.
    fn read_reply(data: &JsValue) -> Reply {
        let get = |name: &str| Reflect::get(data, &JsValue::from_str(name)).ok();
        if let Some(key) = get("key").and_then(|key| key.dyn_into::<Uint8Array>().ok()) {
            let len = key.length();
            if usize::try_from(len).ok() != Some(KEY_LEN) {
                key.fill(0, 0, len);
                return Err(failure(
                    "the PIN worker sent a key of the wrong length",
                    true,
                ));
            }
            let mut bytes = Zeroizing::new([0u8; KEY_LEN]);
            key.copy_to(&mut bytes[..]);
            key.fill(0, 0, len);
            return Ok(SecretKey::from_bytes(*bytes));
        }
        let reason = get("error")
            .and_then(|error| error.as_string())
            .unwrap_or_else(|| "the PIN worker sent an unreadable answer".into());
        let broken = get("broken").and_then(|flag| flag.as_bool()) == Some(true);
        Err(failure(reason, broken))
    }

    impl KdfWorker {
        fn start() -> Result<KdfWorker, Failure> {
            let url =
                worker_url().ok_or_else(|| failure("index.html names no PIN worker", true))?;
            let options = WorkerOptions::new();
            options.set_type(WorkerType::Module);
            let worker = Worker::new_with_options(&url, &options)
                .map_err(|error| failure(describe(&error), true))?;
            let pending: Pending = Rc::default();
            let broken = Rc::new(Cell::new(false));

            let on_message = {
                let (pending, broken) = (pending.clone(), broken.clone());
                Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                    let data = event.data();
                    let reply = read_reply(&data);
                    if matches!(&reply, Err(Failure { broken: true, .. })) {
                        broken.set(true);
                    }
                    let id = Reflect::get(&data, &JsValue::from_str("id"))
                        .ok()
                        .and_then(|id| id.as_f64());
                    let slot = id.and_then(|id| pending.borrow_mut().remove(&(id as u32)));
                    if let Some(slot) = slot {
                        fill(&slot, reply);
                    }
                })
            };
            // A script that does not load (404, no module workers, offline and not cached)
            // or a message that cannot be read: fail everything waiting, stop using it.
            let on_error = {
                let (pending, broken) = (pending.clone(), broken.clone());
                Closure::<dyn FnMut(Event)>::new(move |event: Event| {
                    broken.set(true);
                    let reason = event
                        .dyn_ref::<ErrorEvent>()
                        .map(ErrorEvent::message)
                        .filter(|message| !message.is_empty())
                        .unwrap_or_else(|| format!("the PIN worker failed ({})", event.type_()));
                    let slots: Vec<SharedSlot> =
                        pending.borrow_mut().drain().map(|(_, slot)| slot).collect();
                    for slot in slots {
                        fill(&slot, Err(failure(reason.clone(), true)));
                    }
                })
            };
            worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            worker.set_onmessageerror(Some(on_error.as_ref().unchecked_ref()));
            Ok(KdfWorker {
                worker,
                pending,
                next_id: Cell::new(0),
                broken,
                _on_message: on_message,
                _on_error: on_error,
            })
        }
    }

    /// The running worker, started on first use.
    fn kdf_worker() -> Result<Rc<KdfWorker>, Failure> {
        STATE.with(|state| {
            let mut state = state.borrow_mut();
            if matches!(&*state, State::Running(worker) if worker.broken.get()) {
                *state = State::Unavailable;
            }
            match &*state {
                State::Running(worker) => Ok(worker.clone()),
                State::Unavailable => Err(failure("not available in this page", true)),
                State::Unstarted => match KdfWorker::start() {
                    Ok(worker) => {
                        let worker = Rc::new(worker);
                        *state = State::Running(worker.clone());
                        Ok(worker)
                    }
                    Err(error) => {
                        *state = State::Unavailable;
                        Err(error)
                    }
                },
            }
        })
    }

    /// Starts the worker if it is not running yet.
    pub fn start() -> Result<(), Failure> {
        kdf_worker().map(|_| ())
    }

    /// Asks the PIN worker for the key. The PIN is posted as a JS string and not kept here.
    pub async fn derive(pin: &str, params: &KdfParams) -> Result<SecretKey, Failure> {
        let params = serde_json::to_string(params).map_err(|e| failure(e.to_string(), false))?;
        let worker = kdf_worker()?;
        let id = worker.next_id.get();
        worker.next_id.set(id.wrapping_add(1));
        let slot = SharedSlot::default();
        worker.pending.borrow_mut().insert(id, slot.clone());

        let message = Object::new();
        let js = |error: JsValue| failure(describe(&error), false);
        let posted = Reflect::set(&message, &"id".into(), &JsValue::from(id))
            .and_then(|_| Reflect::set(&message, &"pin".into(), &JsValue::from_str(pin)))
            .and_then(|_| Reflect::set(&message, &"params".into(), &JsValue::from_str(&params)))
            .and_then(|_| worker.worker.post_message(&message));
        if let Err(error) = posted {
            worker.pending.borrow_mut().remove(&id);
            return Err(js(error));
        }

        if let Some(window) = web_sys::window() {
            let (slot, broken) = (slot.clone(), worker.broken.clone());
            let timeout = Closure::once_into_js(move || {
                if slot.borrow().reply.is_none() {
                    broken.set(true);
                    fill(
                        &slot,
                        Err(failure("the PIN worker did not answer in time", true)),
                    );
                }
            });
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                timeout.unchecked_ref(),
                TIMEOUT_MS,
            );
        }

        let reply = Answer(slot).await;
        worker.pending.borrow_mut().remove(&id);
        reply
    }
}

#[cfg(test)]
mod tests {
    use std::future::Future;
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};

    use super::*;

    /// The host twin never waits, so one poll finishes it.
    fn ready<T>(future: impl Future<Output = T>) -> T {
        let mut context = Context::from_waker(Waker::noop());
        match pin!(future).poll(&mut context) {
            Poll::Ready(value) => value,
            Poll::Pending => panic!("the host derive_kek waited"),
        }
    }

    /// crypto/tests/golden.rs: `derive_key(b"123456", golden_params())`.
    #[test]
    fn gives_the_golden_key() {
        let params = KdfParams {
            version: 1,
            m_cost_kib: 19 * 1024,
            t_cost: 2,
            p_cost: 1,
            salt: core::array::from_fn(|i| 0x10 + i as u8),
        };
        let key = ready(derive_kek("123456", &params)).expect("derive");
        let hex: String = key
            .expose_bytes()
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        assert_eq!(
            hex,
            "b393d9044acddf5f186bc6c038d0da3e1812d8bf894179118904f36a2d1ab30f"
        );
    }

    #[test]
    fn weak_params_are_an_error_not_a_panic() {
        let mut params = KdfParams::recommended().expect("salt");
        params.m_cost_kib = 1024;
        let error = ready(derive_kek("123456", &params)).expect_err("refused");
        assert!(error.contains("too weak"), "{error}");
        assert!(!error.contains("123456"));
    }
}
