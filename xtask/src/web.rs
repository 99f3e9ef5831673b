//! `cargo xtask web`: builds the PWA into `dist/web/` with plain cargo + wasm-bindgen (as a
//! library, so nothing needs `cargo install`), content-hashed file names, a generated
//! service worker and precompressed `.br`/`.gz` siblings.
//!
//! Layout of `dist/web/`:
//! - `index.html` (from `app/web/index.html`), `boot-<hash>.js` (from `app/web/boot.js`)
//! - `kluis-<hash>.js` + `kluis-<hash>_bg.wasm` (wasm-bindgen `--target web`), `snippets/`
//! - `app-<hash>.css` (from `assets/app.css`)
//! - `manifest.json` (repo root), `icons/*` (from `assets/icons/`)
//! - the PIN worker (`kdf_worker.rs`): `kdf-worker-<hash>.js`, `kluis-kdf-<hash>.js` +
//!   `kluis-kdf-<hash>_bg.wasm`, named in index.html by `<meta name="kluis-kdf-worker">`
//! - `sw.js` at the root so it controls `/` (generated last: it lists every other file)
//!
//! `KLUIS_DIST_WEB=DIR` writes the site to DIR instead of `dist/web` (DIR is replaced whole),
//! so a build does not pull the files from under a server another test runs on `dist/web`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};

use crate::setup;
use crate::util::{self, repo_root, secs, step, timed};

mod compress;
mod kdf_worker;

use compress::precompress_tree;
pub use compress::print_sizes;

/// Stem of the generated files (`kluis.js`, `kluis_bg.wasm` before hashing).
const STEM: &str = "kluis";

#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Debug build: `dev` profile, no wasm-opt, fast compression.
    pub dev: bool,
}

/// What a build produced.
pub struct WebBuild {
    pub dir: PathBuf,
    pub wasm: PathBuf,
    pub js: PathBuf,
    /// The PIN worker's wasm, glue and script (loaded at the first unlock, not at start).
    pub kdf_worker: [PathBuf; 3],
    pub dev: bool,
    pub wasm_opt: WasmOpt,
}

#[derive(Clone, Debug)]
pub enum WasmOpt {
    Ran,
    SkippedDev,
    Missing(PathBuf),
}

pub fn dist_dir() -> PathBuf {
    match std::env::var_os("KLUIS_DIST_WEB").filter(|dir| !dir.is_empty()) {
        Some(dir) => std::path::absolute(&dir).unwrap_or_else(|_| PathBuf::from(dir)),
        None => repo_root().join("dist").join("web"),
    }
}

/// wasm-bindgen's output for one wasm, before hashing.
struct Staged {
    dir: PathBuf,
    wasm: PathBuf,
    js: PathBuf,
}

/// `cargo build` for wasm32; `select` picks the package and target.
fn cargo_build_wasm(select: &[&str], profile: &str) -> Result<()> {
    util::run(
        util::cargo()
            .arg("build")
            .args(select)
            .args(["--target", setup::WASM_TARGET, "--profile", profile])
            // Keep the `target_features` section that `strip = true` would drop:
            // wasm-bindgen reads it, and wasm-bindgen + wasm-opt strip names anyway.
            .args(["--config", &format!("profile.{profile}.strip=false")]),
    )
}

/// wasm-bindgen `--target web` of `input` into a fresh `staging` directory.
fn bindgen(input: &Path, stem: &str, staging: &Path, dev: bool) -> Result<Staged> {
    if !input.exists() {
        bail!("cargo did not produce {}", input.display());
    }
    recreate_dir(staging)?;
    let mut bindgen = wasm_bindgen_cli_support::Bindgen::new();
    bindgen
        .input_path(input)
        .out_name(stem)
        .web(true)?
        .typescript(false)
        .debug(dev)
        .keep_debug(dev)
        .remove_name_section(!dev)
        .remove_producers_section(!dev);
    bindgen
        .generate(staging)
        .with_context(|| format!("wasm-bindgen on {}", input.display()))?;
    Ok(Staged {
        dir: staging.to_path_buf(),
        wasm: staging.join(format!("{stem}_bg.wasm")),
        js: staging.join(format!("{stem}.js")),
    })
}

pub fn build(options: Options) -> Result<WebBuild> {
    let start = Instant::now();
    let root = repo_root();
    let (profile, profile_dir) = if options.dev {
        ("dev", "debug")
    } else {
        ("wasm-release", "wasm-release")
    };
    let dist = dist_dir();
    step(&format!(
        "web: build the PWA ({profile}) into {}",
        dist.display()
    ));
    setup::ensure_wasm_target()?;

    let target_dir = util::target_dir()?;
    let out_dir = target_dir.join(setup::WASM_TARGET).join(profile_dir);
    timed("cargo build (wasm32)", || {
        cargo_build_wasm(&["-p", "kluis-app", "--bin", "kluis-app"], profile)
    })?;
    timed("cargo build (wasm32, PIN worker)", || {
        cargo_build_wasm(&["-p", kdf_worker::PACKAGE, "--lib"], profile)
    })?;

    // 1. wasm-bindgen into staging directories.
    let web_target = target_dir.join("kluis-web");
    let app = timed("wasm-bindgen", || {
        bindgen(
            &out_dir.join("kluis-app.wasm"),
            STEM,
            &web_target.join("staging"),
            options.dev,
        )
    })?
    .0;
    let kdf = timed("wasm-bindgen (PIN worker)", || {
        bindgen(
            &out_dir.join(kdf_worker::WASM_FILE),
            kdf_worker::STEM,
            &web_target.join("staging-kdf"),
            options.dev,
        )
    })?
    .0;

    // 2. wasm-opt -Oz (binaryen from npm; Debian's is too old for current rustc output).
    let wasm_opt = if options.dev {
        WasmOpt::SkippedDev
    } else {
        let program = wasm_opt_path();
        if program.exists() {
            // One cache per wasm: the cache keeps only its latest result.
            timed("wasm-opt -Oz", || {
                run_wasm_opt_cached(&program, &app.wasm, &web_target.join("wasm-opt-cache"))
            })?;
            timed("wasm-opt -Oz (PIN worker)", || {
                let cache = web_target.join("wasm-opt-cache-kdf");
                run_wasm_opt_cached(&program, &kdf.wasm, &cache)
            })?;
            WasmOpt::Ran
        } else {
            println!(
                "    note: wasm-opt skipped ({} missing; `cargo xtask setup` installs it)",
                program.display()
            );
            WasmOpt::Missing(program)
        }
    };

    // 3. Assemble the site in a fresh directory, then swap it in (a running server keeps
    //    serving the old one until the swap).
    let parent = dist.parent().context("dist dir has a parent")?;
    fs::create_dir_all(parent)?;
    let name = dist
        .file_name()
        .context("dist dir has a name")?
        .to_string_lossy()
        .into_owned();
    let next = parent.join(format!("{name}.next"));
    recreate_dir(&next)?;
    let ((wasm_name, js_name, kdf_files), _) =
        timed("assemble dist/web", || assemble(&root, &app, &kdf, &next))?;
    timed("precompress (.br, .gz)", || {
        precompress_tree(&next, if options.dev { 5 } else { 11 })
    })?;
    let old = parent.join(format!("{name}.old"));
    if old.exists() {
        fs::remove_dir_all(&old)?;
    }
    if dist.exists() {
        fs::rename(&dist, &old)?;
    }
    fs::rename(&next, &dist)?;
    if old.exists() {
        fs::remove_dir_all(&old)?;
    }

    let total = start.elapsed();
    println!("    {} ready in {}", dist.display(), secs(total));
    Ok(WebBuild {
        wasm: dist.join(wasm_name),
        js: dist.join(js_name),
        kdf_worker: [
            dist.join(kdf_files.wasm),
            dist.join(kdf_files.js),
            dist.join(kdf_files.worker),
        ],
        dir: dist,
        dev: options.dev,
        wasm_opt,
    })
}

fn wasm_opt_path() -> PathBuf {
    setup::browser_tests_dir()
        .join("node_modules")
        .join(".bin")
        .join(if cfg!(windows) {
            "wasm-opt.cmd"
        } else {
            "wasm-opt"
        })
}

/// wasm-opt flags: size first, with the features rustc enables by default for
/// wasm32-unknown-unknown.
const WASM_OPT_ARGS: &[&str] = &[
    "-Oz",
    "--enable-bulk-memory",
    "--enable-bulk-memory-opt",
    "--enable-call-indirect-overlong",
    "--enable-multivalue",
    "--enable-mutable-globals",
    "--enable-nontrapping-float-to-int",
    "--enable-reference-types",
    "--enable-sign-ext",
];

/// Runs wasm-opt on `wasm` in place. wasm-opt takes several seconds, so its output is kept
/// in `cache`, keyed by the input and the flags: an unchanged app is not optimised twice.
fn run_wasm_opt_cached(program: &Path, wasm: &Path, cache: &Path) -> Result<()> {
    let input = fs::read(wasm)?;
    let mut key = Sha256::new();
    key.update(&input);
    key.update(WASM_OPT_ARGS.join(" ").as_bytes());
    key.update(program.to_string_lossy().as_bytes());
    let cached = cache.join(format!("{}.wasm", hex::encode(&key.finalize()[..16])));
    if cached.exists() {
        println!(
            "    wasm-opt: unchanged input, reusing {}",
            cached.display()
        );
        fs::copy(&cached, wasm)?;
        return Ok(());
    }
    let optimised = wasm.with_extension("opt.wasm");
    util::run(
        Command::new(program)
            .args(WASM_OPT_ARGS)
            .arg(wasm)
            .arg("-o")
            .arg(&optimised),
    )?;
    fs::rename(&optimised, wasm)?;
    // Keep only the latest result.
    recreate_dir(cache)?;
    fs::copy(wasm, &cached)?;
    Ok(())
}

fn recreate_dir(dir: &Path) -> Result<()> {
    if dir.exists() {
        fs::remove_dir_all(dir).with_context(|| format!("removing {}", dir.display()))?;
    }
    fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))
}

/// First 16 hex digits of the SHA-256 of `content`.
pub fn content_hash(content: &[u8]) -> String {
    let digest = Sha256::digest(content);
    hex::encode(&digest[..8])
}

fn write(path: &Path, content: impl AsRef<[u8]>) -> Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, content).with_context(|| format!("writing {}", path.display()))
}

fn read_text(path: &Path) -> Result<String> {
    fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}

/// Replaces every `placeholder` in `text`; fails when it does not occur, so a renamed
/// placeholder cannot silently ship.
fn replace_all(text: &str, placeholder: &str, value: &str, file: &str) -> Result<String> {
    if !text.contains(placeholder) {
        bail!("{file}: placeholder {placeholder} not found");
    }
    Ok(text.replace(placeholder, value))
}

/// Writes one wasm-bindgen output into `out` under hashed names; returns the names of the
/// wasm and the js glue.
fn write_hashed(staged: &Staged, stem: &str, out: &Path) -> Result<(String, String)> {
    // wasm, then the glue (which names the wasm, so its hash follows the wasm's).
    let wasm = fs::read(&staged.wasm)?;
    let wasm_name = format!("{stem}-{}_bg.wasm", content_hash(&wasm));
    write(&out.join(&wasm_name), &wasm)?;

    let glue = read_text(&staged.js)?;
    let default_wasm = format!("{stem}_bg.wasm");
    // wasm-bindgen may or may not name a default wasm path; callers pass the url anyway.
    let glue = glue.replace(&default_wasm, &wasm_name);
    let js_name = format!("{stem}-{}.js", content_hash(glue.as_bytes()));
    write(&out.join(&js_name), &glue)?;

    // Snippets (inline_js / module imports of the crates), referenced relatively by the glue;
    // their directories are named per crate, so two outputs never collide.
    let snippets = staged.dir.join("snippets");
    if snippets.exists() {
        copy_tree(&snippets, &out.join("snippets"), &|_| true)?;
    }
    Ok((wasm_name, js_name))
}

/// Writes the site into `out`; returns the hashed names of the app's wasm and js glue, and
/// the PIN worker's files.
fn assemble(
    root: &Path,
    app: &Staged,
    kdf: &Staged,
    out: &Path,
) -> Result<(String, String, kdf_worker::Files)> {
    let app_web = root.join("app").join("web");
    let (wasm_name, js_name) = write_hashed(app, STEM, out)?;
    let kdf_files = kdf_worker::assemble(&app_web, kdf, out)?;

    let css = fs::read(root.join("assets").join("app.css")).context("reading assets/app.css")?;
    let css_name = format!("app-{}.css", content_hash(&css));
    write(&out.join(&css_name), &css)?;

    let boot = read_text(&app_web.join("boot.js"))?;
    let boot = replace_all(&boot, "__KLUIS_JS__", &js_name, "boot.js")?;
    let boot = replace_all(&boot, "__KLUIS_WASM__", &wasm_name, "boot.js")?;
    let boot_name = format!("boot-{}.js", content_hash(boot.as_bytes()));
    write(&out.join(&boot_name), &boot)?;

    let html = read_text(&app_web.join("index.html"))?;
    let html = replace_all(&html, "__KLUIS_CSS__", &css_name, "index.html")?;
    let html = replace_all(&html, "__KLUIS_JS__", &js_name, "index.html")?;
    let html = replace_all(&html, "__KLUIS_WASM__", &wasm_name, "index.html")?;
    let html = replace_all(&html, "__KLUIS_BOOT__", &boot_name, "index.html")?;
    let html = kdf_worker::announce(&html, &kdf_files.worker)?;
    if html.contains("__KLUIS_") {
        bail!("index.html: unreplaced __KLUIS_ placeholder");
    }
    write(&out.join("index.html"), &html)?;

    let manifest = read_text(&root.join("manifest.json"))?;
    let parsed: serde_json::Value =
        serde_json::from_str(&manifest).context("manifest.json is not valid JSON")?;
    for icon in parsed["icons"]
        .as_array()
        .context("manifest.json: no icons")?
    {
        let src = icon["src"]
            .as_str()
            .context("manifest.json: icon without src")?;
        let file = src.trim_start_matches('/').trim_start_matches("icons/");
        if !root.join("assets").join("icons").join(file).exists() {
            bail!("manifest.json names {src}, which is not in assets/icons/");
        }
    }
    write(&out.join("manifest.json"), &manifest)?;

    copy_tree(
        &root.join("assets").join("icons"),
        &out.join("icons"),
        &|path: &Path| {
            matches!(
                path.extension().and_then(|ext| ext.to_str()),
                Some("png" | "svg" | "ico")
            )
        },
    )?;

    let sw = crate::sw::generate(&read_text(&app_web.join("sw.js"))?, out)?;
    write(&out.join("sw.js"), sw)?;
    Ok((wasm_name, js_name, kdf_files))
}

fn copy_tree(from: &Path, to: &Path, keep: &dyn Fn(&Path) -> bool) -> Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        let path = entry.path();
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&path, &target, keep)?;
        } else if keep(&path) {
            fs::copy(&path, &target)
                .with_context(|| format!("copying {} to {}", path.display(), target.display()))?;
        }
    }
    Ok(())
}

/// Every file under `dir`, as paths relative to `dir` with `/` separators, sorted.
pub fn list_files(dir: &Path) -> Result<Vec<String>> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) -> Result<()> {
        for entry in fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
            let entry = entry?;
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                walk(base, &path, out)?;
            } else {
                let relative = path.strip_prefix(base)?;
                let parts: Vec<_> = relative
                    .components()
                    .map(|part| part.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.push(parts.join("/"));
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    walk(dir, dir, &mut files)?;
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_short_and_stable() {
        assert_eq!(content_hash(b"kluis"), content_hash(b"kluis"));
        assert_ne!(content_hash(b"kluis"), content_hash(b"kluis!"));
        assert_eq!(content_hash(b"").len(), 16);
    }

    #[test]
    fn placeholders_must_exist() {
        assert_eq!(
            replace_all("a __X__ b", "__X__", "y", "f").expect("present"),
            "a y b"
        );
        assert!(replace_all("a b", "__X__", "y", "f").is_err());
    }
}
