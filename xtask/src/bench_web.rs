//! `cargo xtask bench-web`: the size of the web app, then the carer's figures in headless
//! Chromium against the real (release) server with a synthetic registry of 200 and 5,000
//! safes: PIN to code offline, and search per keystroke (tests/browser/bench/carer-bench.mjs);
//! and with the demo data, a volunteer's "Gewijzigd" to the open carer screen
//! (tests/browser/bench/change-bench.mjs).

use std::path::Path;
use std::process::{Command, ExitCode};

use anyhow::{Context, Result};

use crate::util::{self, repo_root, step};
use crate::{ServerBuild, build_server, setup, web};

const SIZES: [usize; 2] = [200, 5_000];

pub fn run() -> Result<ExitCode> {
    setup::ensure_wasm_target()?;
    let build = web::build(web::Options { dev: false })?;
    step("bench-web: size of the web app");
    web::print_sizes(&build)?;

    let server = build_server(ServerBuild::Release)?;
    setup::ensure_node_modules()?;
    setup::ensure_chromium()?;
    for safes in SIZES {
        step(&format!(
            "bench-web: carer in headless Chromium, {safes} safes"
        ));
        let data = tempdir(safes)?;
        let result = seed_and_measure(&server, &build.dir, &data, safes);
        let _ = std::fs::remove_dir_all(&data);
        result?;
    }
    step("bench-web: a volunteer's change reaching an open carer screen (demo data)");
    let tests = repo_root().join("tests").join("browser");
    util::run(
        Command::new("node")
            .current_dir(&tests)
            .arg(Path::new("bench").join("change-bench.mjs"))
            .env("KLUIS_SERVER_BIN", &server)
            .env("KLUIS_WEB_DIR", &build.dir)
            .env("KLUIS_CHROMIUM", setup::chromium_path()),
    )?;
    Ok(ExitCode::SUCCESS)
}

fn tempdir(safes: usize) -> Result<std::path::PathBuf> {
    let dir = util::target_dir()?.join(format!("bench-web-{safes}-{}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

fn seed_and_measure(server: &Path, web_dir: &Path, data: &Path, safes: usize) -> Result<()> {
    util::run(
        Command::new(server)
            .arg("admin")
            .arg("--data")
            .arg(data)
            .args(["seed-bench", "--safes", &safes.to_string()]),
    )
    .context("seeding the bench registry")?;
    let tests = repo_root().join("tests").join("browser");
    util::run(
        Command::new("node")
            .current_dir(&tests)
            .arg(Path::new("bench").join("carer-bench.mjs"))
            .env("KLUIS_SERVER_BIN", server)
            .env("KLUIS_WEB_DIR", web_dir)
            .env("KLUIS_CHROMIUM", setup::chromium_path())
            .env("KLUIS_BENCH_DATA", data)
            .env("KLUIS_BENCH_SAFES", safes.to_string()),
    )
}
