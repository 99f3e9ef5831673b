//! Generates `sw.js` from `app/web/sw.js`: fills in the precache list (every file of the
//! built site with its content hash as revision) and the cache version.

use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::web::{content_hash, list_files};

/// Files never precached: the worker itself and precompressed siblings.
fn precached(file: &str) -> bool {
    file != "sw.js" && !file.ends_with(".br") && !file.ends_with(".gz")
}

/// True for files whose name carries their content hash (safe to take from the HTTP cache).
fn is_hashed(file: &str) -> bool {
    let name = file.rsplit('/').next().unwrap_or(file);
    let Some((stem, _)) = name.split_once('.') else {
        return false;
    };
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() == 16 && hash.chars().all(|c| c.is_ascii_hexdigit()))
}

/// The precache entries for the site in `dir`, as a JSON array.
pub fn precache_list(dir: &Path) -> Result<serde_json::Value> {
    let mut entries = Vec::new();
    for file in list_files(dir)?.into_iter().filter(|file| precached(file)) {
        let content = std::fs::read(dir.join(&file)).with_context(|| format!("reading {file}"))?;
        entries.push(serde_json::json!({
            "url": format!("/{file}"),
            "revision": content_hash(&content),
            "hashed": is_hashed(&file),
        }));
    }
    if !entries.iter().any(|entry| entry["url"] == "/index.html") {
        bail!("no index.html to precache in {}", dir.display());
    }
    Ok(serde_json::Value::Array(entries))
}

/// Fills in `template` (app/web/sw.js) for the site in `dir`.
pub fn generate(template: &str, dir: &Path) -> Result<String> {
    let list = precache_list(dir)?;
    let json = serde_json::to_string_pretty(&list)?;
    let version = content_hash(json.as_bytes());
    fill(template, &json, &version)
}

fn fill(template: &str, precache_json: &str, version: &str) -> Result<String> {
    const LIST: &str = "\"__KLUIS_PRECACHE__\"";
    const VERSION: &str = "__KLUIS_VERSION__";
    if !template.contains(LIST) || !template.contains(VERSION) {
        bail!("app/web/sw.js: placeholders {LIST} and {VERSION} are required");
    }
    Ok(template
        .replace(LIST, precache_json)
        .replace(VERSION, version))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_hashed_names() {
        assert!(is_hashed("kluis-0123456789abcdef.js"));
        assert!(is_hashed("kluis-0123456789abcdef_bg.wasm"));
        assert!(is_hashed("app-0123456789abcdef.css"));
        assert!(!is_hashed("index.html"));
        assert!(!is_hashed("icons/icon-192.png"));
        assert!(!is_hashed(
            "snippets/dioxus-web-5f0a1b2c3d4e5f60/inline0.js"
        ));
    }

    #[test]
    fn lists_the_site_and_fills_the_template() {
        let dir = std::env::temp_dir().join(format!("kluis-sw-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("icons")).expect("mkdir");
        std::fs::write(dir.join("index.html"), "<!doctype html>").expect("write");
        std::fs::write(dir.join("index.html.br"), "x").expect("write");
        std::fs::write(dir.join("sw.js"), "old").expect("write");
        std::fs::write(dir.join("icons/icon-192.png"), "png").expect("write");

        let list = precache_list(&dir).expect("list");
        let urls: Vec<_> = list
            .as_array()
            .expect("array")
            .iter()
            .map(|entry| entry["url"].as_str().expect("url").to_string())
            .collect();
        assert_eq!(urls, ["/icons/icon-192.png", "/index.html"]);

        let template =
            "const VERSION = \"__KLUIS_VERSION__\";\nconst PRECACHE = \"__KLUIS_PRECACHE__\";";
        let sw = generate(template, &dir).expect("generate");
        assert!(sw.contains("\"/index.html\""));
        assert!(!sw.contains("__KLUIS_"));
        assert!(fill("no placeholders", "[]", "v").is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
