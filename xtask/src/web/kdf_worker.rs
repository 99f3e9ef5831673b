//! The PIN worker in the built site: the `kdf-worker/` crate (Argon2id) runs in a module Web
//! Worker (`app/web/kdf-worker.js`) so the app's screen keeps responding while the key is
//! derived. Files: `kluis-kdf-<hash>_bg.wasm`, its glue `kluis-kdf-<hash>.js` and the worker
//! script `kdf-worker-<hash>.js`. The service worker precaches them like every other file
//! (unlocking happens offline), and index.html names the script in a
//! `<meta name="kluis-kdf-worker">` that `kluis_app::platform::kdf` reads.

use std::path::Path;

use anyhow::{Result, bail};

use super::{Staged, content_hash, read_text, replace_all, write, write_hashed};

/// The cargo package of the worker.
pub const PACKAGE: &str = "kluis-kdf-worker";
/// What cargo names the worker's cdylib for wasm32.
pub const WASM_FILE: &str = "kluis_kdf_worker.wasm";
/// Stem of the wasm-bindgen output (`kluis-kdf.js`, `kluis-kdf_bg.wasm` before hashing).
pub const STEM: &str = "kluis-kdf";
/// The `<meta name>` in index.html whose `content` is the worker script's URL.
pub const META_NAME: &str = "kluis-kdf-worker";

/// Hashed names of the worker's files in the site.
pub struct Files {
    pub wasm: String,
    pub js: String,
    pub worker: String,
}

/// Writes the worker's wasm, glue and script (from `app_web/kdf-worker.js`) into `out`.
pub fn assemble(app_web: &Path, staged: &Staged, out: &Path) -> Result<Files> {
    let (wasm, js) = write_hashed(staged, STEM, out)?;
    let script = read_text(&app_web.join("kdf-worker.js"))?;
    let script = replace_all(&script, "__KLUIS_KDF_JS__", &js, "kdf-worker.js")?;
    let script = replace_all(&script, "__KLUIS_KDF_WASM__", &wasm, "kdf-worker.js")?;
    if script.contains("__KLUIS_") {
        bail!("kdf-worker.js: unreplaced __KLUIS_ placeholder");
    }
    // The script names the glue, which names the wasm: its hash covers all three.
    let worker = format!("kdf-worker-{}.js", content_hash(script.as_bytes()));
    write(&out.join(&worker), &script)?;
    Ok(Files { wasm, js, worker })
}

/// Tells the app where the worker script is: fills `__KLUIS_KDF_WORKER__` when index.html has
/// it, otherwise adds the `<meta>` just before `</head>` (so the template needs no change).
pub fn announce(html: &str, worker: &str) -> Result<String> {
    const PLACEHOLDER: &str = "__KLUIS_KDF_WORKER__";
    if html.contains(PLACEHOLDER) {
        return replace_all(html, PLACEHOLDER, worker, "index.html");
    }
    let Some(head_end) = html.find("</head>") else {
        bail!("index.html: no </head> to put the {META_NAME} meta tag before");
    };
    let meta = format!("  <meta name=\"{META_NAME}\" content=\"/{worker}\">\n");
    let mut out = String::with_capacity(html.len() + meta.len());
    out.push_str(&html[..head_end]);
    out.push_str(&meta);
    out.push_str(&html[head_end..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn announces_the_worker_in_the_head() {
        let html = "<html>\n<head>\n  <title>Kluis</title>\n</head>\n<body></body>\n</html>\n";
        let out = announce(html, "kdf-worker-0123456789abcdef.js").expect("announce");
        assert!(out.contains(
            "  <meta name=\"kluis-kdf-worker\" content=\"/kdf-worker-0123456789abcdef.js\">\n</head>"
        ));
        assert_eq!(out.matches("<meta").count(), 1);

        let templated =
            "<head><meta name=\"kluis-kdf-worker\" content=\"/__KLUIS_KDF_WORKER__\"></head>";
        let out = announce(templated, "kdf-worker-0123456789abcdef.js").expect("announce");
        assert_eq!(
            out,
            "<head><meta name=\"kluis-kdf-worker\" content=\"/kdf-worker-0123456789abcdef.js\"></head>"
        );
        assert!(announce("<body></body>", "w.js").is_err());
    }

    #[test]
    fn the_worker_script_has_its_placeholders() {
        let script = std::fs::read_to_string(
            crate::util::repo_root()
                .join("app")
                .join("web")
                .join("kdf-worker.js"),
        )
        .expect("app/web/kdf-worker.js");
        assert!(script.contains("\"/__KLUIS_KDF_JS__\""));
        assert!(script.contains("\"/__KLUIS_KDF_WASM__\""));
    }
}
