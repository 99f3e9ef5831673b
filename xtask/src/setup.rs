//! `cargo xtask setup`: installs what the project needs on a fresh Debian machine that has
//! rustup, node/npm and python. Idempotent: what is present is skipped.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};

use crate::util::{self, have, is_root, repo_root, run, step};

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
pub const CHROMIUM: &str = "/usr/bin/chromium";

#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Install Debian's Chromium when missing (needed for the browser tests only).
    pub chromium: bool,
}

pub fn run_setup(options: Options) -> Result<()> {
    step("setup");
    ensure_wasm_target()?;
    ensure_rustfmt()?;
    ensure_node_modules()?;
    if options.chromium {
        ensure_chromium()?;
    }
    Ok(())
}

/// `rustup target add wasm32-unknown-unknown` unless it is installed.
pub fn ensure_wasm_target() -> Result<()> {
    if !have("rustup") {
        // A toolchain without rustup (e.g. a distribution's rustc) must bring the target.
        println!("    rustup not found: assuming the {WASM_TARGET} target is installed");
        return Ok(());
    }
    let output = Command::new("rustup")
        .current_dir(repo_root())
        .args(["target", "list", "--installed"])
        .output()
        .context("running `rustup target list --installed`")?;
    let installed = String::from_utf8_lossy(&output.stdout);
    if installed.lines().any(|line| line.trim() == WASM_TARGET) {
        println!("    rust target {WASM_TARGET}: present");
        return Ok(());
    }
    run(Command::new("rustup")
        .current_dir(repo_root())
        .args(["target", "add", WASM_TARGET]))
}

/// `rustup component add rustfmt` unless `cargo fmt` works (minimal rustup profiles lack it).
pub fn ensure_rustfmt() -> Result<()> {
    let works = Command::new("cargo")
        .args(["fmt", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if works {
        println!("    rustfmt: present");
        return Ok(());
    }
    if !have("rustup") {
        bail!("cargo fmt is not available and rustup is not there to install it");
    }
    run(Command::new("rustup")
        .current_dir(repo_root())
        .args(["component", "add", "rustfmt"]))
}

pub fn browser_tests_dir() -> PathBuf {
    repo_root().join("tests").join("browser")
}

/// `npm ci` in tests/browser (playwright-core, binaryen for wasm-opt), unless
/// node_modules already matches package.json and package-lock.json.
pub fn ensure_node_modules() -> Result<()> {
    let dir = browser_tests_dir();
    if !have("npm") {
        bail!(
            "npm not found: install Node.js 18 or newer (with npm) and run `cargo xtask setup` again"
        );
    }
    let lock = dir.join("package-lock.json");
    let stamp = dir.join("node_modules").join(".kluis-setup-stamp");
    let wanted = dependency_fingerprint(&dir)?;
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) {
        println!("    node modules in tests/browser: present");
        return Ok(());
    }
    let mut npm = Command::new("npm");
    npm.current_dir(&dir).args(["--no-audit", "--no-fund"]);
    if lock.exists() {
        npm.arg("ci");
    } else {
        npm.arg("install");
    }
    run(&mut npm)?;
    // `npm install` may have created the lockfile: fingerprint what is there now.
    let installed = dependency_fingerprint(&dir)?;
    std::fs::write(&stamp, installed).with_context(|| format!("writing {}", stamp.display()))?;
    Ok(())
}

fn dependency_fingerprint(dir: &Path) -> Result<String> {
    let mut hasher = Sha256::new();
    for name in ["package.json", "package-lock.json"] {
        let path = dir.join(name);
        if path.exists() {
            let content =
                std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            hasher.update(name.as_bytes());
            hasher.update(&content);
        }
    }
    Ok(hex::encode(hasher.finalize()))
}

/// The Chromium the browser tests drive: `$KLUIS_CHROMIUM`, else Debian's.
pub fn chromium_path() -> PathBuf {
    std::env::var_os("KLUIS_CHROMIUM")
        .filter(|path| !path.is_empty())
        .map_or_else(|| PathBuf::from(CHROMIUM), PathBuf::from)
}

/// Debian's Chromium (`apt-get install chromium`) unless present.
pub fn ensure_chromium() -> Result<()> {
    let chromium = chromium_path();
    if chromium.exists() {
        println!("    chromium: present ({})", chromium.display());
        return Ok(());
    }
    if !have("apt-get") {
        bail!(
            "{} not found and this is not a Debian-like system: install Chromium and set \
             KLUIS_CHROMIUM to its path",
            chromium.display()
        );
    }
    println!("    chromium: missing, installing Debian's package (a few minutes)");
    let sudo = !is_root();
    if sudo && !have("sudo") {
        bail!("installing Chromium needs root: run `apt-get install -y chromium` as root");
    }
    let apt = |args: &[&str]| -> Result<()> {
        let mut command = if sudo {
            let mut command = Command::new("sudo");
            command.args(["env", "DEBIAN_FRONTEND=noninteractive", "apt-get"]);
            command
        } else {
            let mut command = Command::new("apt-get");
            command.env("DEBIAN_FRONTEND", "noninteractive");
            command
        };
        command.args(args);
        util::run(&mut command)
    };
    apt(&["update"])?;
    apt(&["install", "-y", "chromium"])?;
    if !chromium.exists() {
        bail!(
            "apt-get installed chromium but {} is still missing",
            chromium.display()
        );
    }
    Ok(())
}
