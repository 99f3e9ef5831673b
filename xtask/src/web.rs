//! `cargo xtask web`: builds the PWA into `dist/web/` with plain cargo + wasm-bindgen (as a
//! library, so nothing needs `cargo install`), content-hashed file names, a generated
//! service worker and precompressed `.br`/`.gz` siblings.
//!
//! Layout of `dist/web/`:
//! - `index.html` (from `app/web/index.html`), `boot-<hash>.js` (from `app/web/boot.js`)
//! - `kluis-<hash>.js` + `kluis-<hash>_bg.wasm` (wasm-bindgen `--target web`), `snippets/`
//! - `app-<hash>.css` (from `assets/app.css`)
//! - `manifest.json` (repo root), `icons/*` (from `assets/icons/`)
//! - `sw.js` at the root so it controls `/` (generated last: it lists every other file)

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};

use crate::setup;
use crate::util::{self, bytes, repo_root, secs, step, timed};

/// Stem of the generated files (`kluis.js`, `kluis_bg.wasm` before hashing).
const STEM: &str = "kluis";
/// Text files that get precompressed siblings.
const COMPRESSIBLE: &[&str] = &[
    "js", "mjs", "wasm", "css", "html", "json", "svg", "txt", "map",
];

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
    repo_root().join("dist").join("web")
}

pub fn build(options: Options) -> Result<WebBuild> {
    let start = Instant::now();
    let root = repo_root();
    let (profile, profile_dir) = if options.dev {
        ("dev", "debug")
    } else {
        ("wasm-release", "wasm-release")
    };
    step(&format!("web: build the PWA ({profile}) into dist/web"));
    setup::ensure_wasm_target()?;

    let target_dir = util::target_dir()?;
    timed("cargo build (wasm32)", || {
        util::run(util::cargo().args([
            "build",
            "-p",
            "kluis-app",
            "--bin",
            "kluis-app",
            "--target",
            setup::WASM_TARGET,
            "--profile",
            profile,
            // Keep the `target_features` section that `strip = true` would drop:
            // wasm-bindgen reads it, and wasm-bindgen + wasm-opt strip names anyway.
            "--config",
            &format!("profile.{profile}.strip=false"),
        ]))
    })?;
    let input = target_dir
        .join(setup::WASM_TARGET)
        .join(profile_dir)
        .join("kluis-app.wasm");
    if !input.exists() {
        bail!("cargo did not produce {}", input.display());
    }

    // 1. wasm-bindgen into a staging directory.
    let staging = target_dir.join("kluis-web").join("staging");
    recreate_dir(&staging)?;
    timed("wasm-bindgen", || {
        let mut bindgen = wasm_bindgen_cli_support::Bindgen::new();
        bindgen
            .input_path(&input)
            .out_name(STEM)
            .web(true)?
            .typescript(false)
            .debug(options.dev)
            .keep_debug(options.dev)
            .remove_name_section(!options.dev)
            .remove_producers_section(!options.dev);
        bindgen
            .generate(&staging)
            .with_context(|| format!("wasm-bindgen on {}", input.display()))
    })?;
    let staged_wasm = staging.join(format!("{STEM}_bg.wasm"));
    let staged_js = staging.join(format!("{STEM}.js"));

    // 2. wasm-opt -Oz (binaryen from npm; Debian's is too old for current rustc output).
    let wasm_opt = if options.dev {
        WasmOpt::SkippedDev
    } else {
        let program = wasm_opt_path();
        if program.exists() {
            let cache = target_dir.join("kluis-web").join("wasm-opt-cache");
            timed("wasm-opt -Oz", || {
                run_wasm_opt_cached(&program, &staged_wasm, &cache)
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
    let dist = dist_dir();
    let parent = dist.parent().context("dist dir has a parent")?;
    fs::create_dir_all(parent)?;
    let next = parent.join("web.next");
    recreate_dir(&next)?;
    let ((wasm_name, js_name), _) = timed("assemble dist/web", || {
        assemble(&root, &staging, &staged_wasm, &staged_js, &next)
    })?;
    timed("precompress (.br, .gz)", || {
        precompress_tree(&next, if options.dev { 5 } else { 11 })
    })?;
    let old = parent.join("web.old");
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
    println!("    dist/web ready in {}", secs(total));
    Ok(WebBuild {
        wasm: dist.join(wasm_name),
        js: dist.join(js_name),
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

/// Writes the site into `out`; returns the hashed names of the wasm and the js glue.
fn assemble(
    root: &Path,
    staging: &Path,
    staged_wasm: &Path,
    staged_js: &Path,
    out: &Path,
) -> Result<(String, String)> {
    let app_web = root.join("app").join("web");

    // wasm, then the glue (which names the wasm, so its hash follows the wasm's).
    let wasm = fs::read(staged_wasm)?;
    let wasm_name = format!("{STEM}-{}_bg.wasm", content_hash(&wasm));
    write(&out.join(&wasm_name), &wasm)?;

    let glue = read_text(staged_js)?;
    let default_wasm = format!("{STEM}_bg.wasm");
    // wasm-bindgen may or may not name a default wasm path; boot.js passes the url anyway.
    let glue = glue.replace(&default_wasm, &wasm_name);
    let js_name = format!("{STEM}-{}.js", content_hash(glue.as_bytes()));
    write(&out.join(&js_name), &glue)?;

    // Snippets (inline_js / module imports of the crates), referenced relatively by the glue.
    let snippets = staging.join("snippets");
    if snippets.exists() {
        copy_tree(&snippets, &out.join("snippets"), &|_| true)?;
    }

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
    Ok((wasm_name, js_name))
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

fn is_compressible(path: &str) -> bool {
    path.rsplit_once('.')
        .is_some_and(|(_, ext)| COMPRESSIBLE.contains(&ext))
}

/// Writes `<file>.br` and `<file>.gz` next to every compressible file.
fn precompress_tree(dir: &Path, brotli_quality: u32) -> Result<()> {
    let files: Vec<String> = list_files(dir)?
        .into_iter()
        .filter(|file| is_compressible(file))
        .collect();
    // Compress files in parallel: brotli at quality 11 on the wasm dominates.
    let errors: Vec<anyhow::Error> = std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .iter()
            .map(|file| {
                scope.spawn(move || -> Result<()> {
                    let path = dir.join(file);
                    let content = fs::read(&path)?;
                    write(&sibling(&path, "gz"), gzip(&content)?)?;
                    write(&sibling(&path, "br"), brotli(&content, brotli_quality)?)?;
                    Ok(())
                })
            })
            .collect();
        handles
            .into_iter()
            .filter_map(|handle| match handle.join() {
                Ok(Ok(())) => None,
                Ok(Err(error)) => Some(error),
                Err(_) => Some(anyhow::anyhow!("compression thread panicked")),
            })
            .collect()
    });
    if let Some(error) = errors.into_iter().next() {
        return Err(error);
    }
    Ok(())
}

fn sibling(path: &Path, extension: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(extension);
    PathBuf::from(name)
}

pub fn gzip(content: &[u8]) -> Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(content)?;
    Ok(encoder.finish()?)
}

pub fn brotli(content: &[u8], quality: u32) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 64 * 1024, quality, 22);
        writer.write_all(content)?;
        writer.flush()?;
    }
    Ok(out)
}

/// Raw, gzip and brotli sizes of one file (from its precompressed siblings when present).
pub struct Sizes {
    pub raw: u64,
    pub gzip: u64,
    pub brotli: u64,
}

pub fn sizes(path: &Path) -> Result<Sizes> {
    let raw = fs::metadata(path)
        .with_context(|| format!("reading {}", path.display()))?
        .len();
    let compressed = |extension: &str, make: &dyn Fn(&[u8]) -> Result<Vec<u8>>| -> Result<u64> {
        let sibling = sibling(path, extension);
        if sibling.exists() {
            Ok(fs::metadata(&sibling)?.len())
        } else {
            Ok(make(&fs::read(path)?)?.len() as u64)
        }
    };
    Ok(Sizes {
        raw,
        gzip: compressed("gz", &|content| gzip(content))?,
        brotli: compressed("br", &|content| brotli(content, 11))?,
    })
}

/// Prints the wasm + js size table.
pub fn print_sizes(build: &WebBuild) -> Result<()> {
    let mut rows: BTreeMap<String, Sizes> = BTreeMap::new();
    for path in [&build.wasm, &build.js] {
        let name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        rows.insert(name, sizes(path)?);
    }
    let total = Sizes {
        raw: rows.values().map(|size| size.raw).sum(),
        gzip: rows.values().map(|size| size.gzip).sum(),
        brotli: rows.values().map(|size| size.brotli).sum(),
    };
    println!(
        "\n    {:<34} {:>10} {:>10} {:>10}",
        if build.dev {
            "file (dev build)"
        } else {
            "file"
        },
        "raw",
        "gzip",
        "brotli"
    );
    for (name, size) in rows
        .iter()
        .chain(std::iter::once((&"wasm + js".to_string(), &total)))
    {
        println!(
            "    {:<34} {:>10} {:>10} {:>10}",
            name,
            bytes(size.raw),
            bytes(size.gzip),
            bytes(size.brotli)
        );
    }
    match &build.wasm_opt {
        WasmOpt::Ran => println!("    (wasm optimised with wasm-opt -Oz)"),
        WasmOpt::SkippedDev => println!("    (dev build: not optimised)"),
        WasmOpt::Missing(path) => println!(
            "    (wasm-opt not found at {}: sizes are before wasm-opt)",
            path.display()
        ),
    }
    Ok(())
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

    #[test]
    fn compression_round_trips() {
        let text = b"Kluis Kluis Kluis Kluis Kluis Kluis".repeat(20);
        let gz = gzip(&text).expect("gzip");
        let mut decoded = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz[..]), &mut decoded)
            .expect("gunzip");
        assert_eq!(decoded, text);
        let br = brotli(&text, 11).expect("brotli");
        let mut decoded = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut decoded).expect("unbrotli");
        assert_eq!(decoded, text);
        assert!(br.len() < text.len());
    }

    #[test]
    fn only_text_files_are_precompressed() {
        assert!(is_compressible("kluis-0123_bg.wasm"));
        assert!(is_compressible("snippets/x/inline0.js"));
        assert!(!is_compressible("icons/icon-192.png"));
        assert!(!is_compressible("index.html.br"));
    }
}
