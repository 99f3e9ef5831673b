// Kluis boot script: starts the WebAssembly app, registers the service worker and keeps
// the browser's install prompt for the app's "Kluis installeren" button.
// The xtask replaces the __KLUIS_*__ strings with the content-hashed file names.
// The glue is imported dynamically so that the service worker still registers (and a
// readable message still shows) when the app itself fails to load.
const glueUrl = "/__KLUIS_JS__";
const wasmUrl = "/__KLUIS_WASM__";

// Chromium fires `beforeinstallprompt` early, often before the wasm has loaded: keep the
// event so the app can offer its own install button.
window.__kluis = window.__kluis || { installPrompt: null };
window.addEventListener("beforeinstallprompt", (event) => {
  event.preventDefault();
  window.__kluis.installPrompt = event;
  window.dispatchEvent(new Event("kluis-installable"));
});
window.addEventListener("appinstalled", () => {
  window.__kluis.installPrompt = null;
  window.dispatchEvent(new Event("kluis-installed"));
});

function showBootError(dutch, detail) {
  const boot = document.getElementById("boot");
  const text = document.getElementById("boot-text");
  if (boot) boot.classList.add("boot-error");
  if (text) text.textContent = dutch + (detail ? " (" + detail + ")" : "");
}

// Register after the page has loaded, so the worker's precaching does not compete with
// the first download of the app.
function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch((error) => {
    console.warn("Kluis: service worker not registered", error);
  });
}
if (document.readyState === "complete") {
  registerServiceWorker();
} else {
  window.addEventListener("load", registerServiceWorker, { once: true });
}

if (typeof WebAssembly !== "object") {
  showBootError("Deze browser is te oud voor Kluis. Werk je browser bij.", "");
} else {
  import(glueUrl)
    .then((glue) => glue.default({ module_or_path: wasmUrl }))
    .catch((error) => {
      console.error("Kluis: could not start", error);
      showBootError("Kluis kon niet starten. Herlaad de pagina.", String((error && error.message) || error));
    });
}
