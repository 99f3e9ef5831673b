//! Saving a text file the app built (the coordinator's CSV exports) through the browser's
//! download, from a Blob: nothing goes back to the server, and it works for any size the tab
//! can hold. The host twin refuses: there is no browser to save with.

#[cfg(target_arch = "wasm32")]
mod imp {
    use wasm_bindgen::prelude::*;

    // Inline JS instead of web-sys: Blob, URL and an <a download> need no extra features.
    // The object URL is revoked a moment later, once the click has handed the Blob over.
    #[wasm_bindgen(inline_js = r#"
export function kluis_download(name, mime, text) {
  const blob = new Blob([text], { type: mime });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.rel = "noopener";
  link.style.display = "none";
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
"#)]
    extern "C" {
        #[wasm_bindgen(catch)]
        fn kluis_download(name: &str, mime: &str, text: &str) -> Result<(), JsValue>;
    }

    pub fn download_text(name: &str, mime: &str, text: &str) -> Result<(), String> {
        kluis_download(name, mime, text).map_err(|error| {
            error
                .as_string()
                .unwrap_or_else(|| "the browser refused the download".into())
        })
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    pub fn download_text(_name: &str, _mime: &str, _text: &str) -> Result<(), String> {
        Err("no browser: downloads are only available in the web build".into())
    }
}

/// Offers `text` as a file called `name` (e.g. `kluis-te-doen-2026-03-02.csv`).
pub fn download_text(name: &str, mime: &str, text: &str) -> Result<(), String> {
    imp::download_text(name, mime, text)
}
