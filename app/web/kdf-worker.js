// Kluis PIN worker: derives the key from the carer's PIN with Argon2id (the kdf-worker
// crate) off the page's main thread, so the screen keeps responding meanwhile.
// The xtask puts the content-hashed file names into the two import URLs below and names
// this script in index.html (<meta name="kluis-kdf-worker">); the app's side is
// app/src/platform/kdf.rs. Runs as a module worker.
//
// Request:  { id?, pin: string, params: KdfParams as JSON (string or object) }
// Answer:   { id, key: Uint8Array(32) }  or  { id, error: string, broken?: true }
// `broken` means this worker cannot derive at all (its wasm did not load, or it trapped):
// the app then stops using it and derives on the main thread instead.
import init, { derive } from "/__KLUIS_KDF_JS__";

// Start loading the wasm at once, so it is ready by the time the PIN is typed.
const ready = init({ module_or_path: "/__KLUIS_KDF_WASM__" }).then(
  () => null,
  (error) => error,
);

function message(error) {
  return String((error && error.message) || error);
}

self.onmessage = async (event) => {
  const data = event.data || {};
  const id = data.id;
  const loadError = await ready;
  if (loadError) {
    self.postMessage({ id, error: "the PIN worker did not load: " + message(loadError), broken: true });
    return;
  }
  let key;
  try {
    const params = typeof data.params === "string" ? data.params : JSON.stringify(data.params);
    // The PIN goes straight into the wasm (which wipes its copy); nothing here keeps it.
    key = derive(String(data.pin ?? ""), params);
  } catch (error) {
    // A trap (WebAssembly.RuntimeError) leaves the instance unusable; a thrown Error from
    // `derive` is an ordinary refusal (bad parameters) and the worker stays usable.
    const broken = error instanceof WebAssembly.RuntimeError;
    self.postMessage({ id, error: message(error), broken });
    if (broken) self.close();
    return;
  }
  // Transfer, not copy: after this the worker holds no copy of the key.
  self.postMessage({ id, key }, [key.buffer]);
};
