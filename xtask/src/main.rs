//! Kluis developer entry point: `cargo xtask <command>` (alias in .cargo/config.toml).
//!
//! - `setup`      install what the project needs (wasm target, npm packages, Chromium)
//! - `web [--dev]` build the PWA into dist/web
//! - `demo [--listen ADDR]` build everything and run the server with demo data
//! - `test`       all tests: cargo tests, web build, browser tests
//! - `bench-web`  size of the web app, and the carer in headless Chromium (PIN to code
//!   offline, search per keystroke) for 200 and 5,000 safes
//! - `bench-sync` sync figures against the real server (200 and 5,000 safes)
//! - `bench-evaluation` the yearly evaluation's time for 200 and 5,000 safes with a year of events
//! - `bench-load` the server in its own process under N devices: sign-ins, syncs, fan-out
//! - `bench-ops`  backup and restore time and size (demo, 5,000 safes); 20 kill -9 runs under load
//! - `fuzz [N]`   the sync fuzz harness over N inputs (default 10,000,000)

mod bench_web;
mod setup;
mod sw;
mod util;
mod web;

use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::util::{repo_root, secs, step, timed};

const USAGE: &str = "\
Kluis developer tasks

usage: cargo xtask <command> [options]

commands:
  setup                  install what the project needs: the wasm32 rust target, the npm
                         packages in tests/browser (playwright-core, binaryen's wasm-opt)
                         and Debian's Chromium when /usr/bin/chromium is missing
  web [--dev]            build the PWA into dist/web (hashed files, sw.js, .br/.gz)
  demo [--listen ADDR]   set up, build the PWA and run the server with demo data
                         (default ADDR 127.0.0.1:8080)
  test                   set up, check formatting, cargo test --workspace, build the PWA
                         and the server, run the browser tests (tests/browser); non-zero
                         exit on failure
  bench-web              build the PWA, print the size of wasm + js, and time the carer in
                         headless Chromium (PIN to code offline, search per keystroke) for
                         200 and 5,000 safes
  bench-sync             sync figures against the real server on 127.0.0.1 with a real
                         SQLite file: first-sync bytes and time, one changed code, no-change
                         syncs per second, for 200 and 5,000 safes
  bench-evaluation       the yearly evaluation (rule 10) computed for 200 and 5,000 safes with
                         a year of events in a real SQLite file: median ms and the figures
  bench-load             the release server in its own process, loaded over real HTTP:
                         a sign-in burst, closed-loop no-change syncs and one changed
                         code fanned out to open event streams, at 1,000 devices and 200
                         safes (KLUIS_BENCH_DEVICES, _SAFES, _STREAMS, _SECS, _FANOUTS):
                         throughput, latencies, server CPU per sync and per device, RSS
  bench-ops              backup and restore time and size for the demo and a 5,000-safe
                         registry; then 20 runs of kill -9 at a random moment while 100
                         devices push 1,000 outbox events: acknowledged, found, lost
  fuzz [N]               the sync fuzz harness (request decoder and one server round) over N
                         mutated inputs (default 10,000,000): execs/s, crashes, slowest input
";

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(error) => {
            eprintln!("\nxtask: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<ExitCode> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = args.first().map(String::as_str);
    let rest = args.get(1..).unwrap_or_default();
    match command {
        Some("setup") => {
            expect_no_args(rest)?;
            setup::run_setup(setup::Options { chromium: true })?;
            Ok(ExitCode::SUCCESS)
        }
        Some("web") => {
            let dev = parse_flags(rest, &["--dev"])?.contains(&"--dev");
            let build = web::build(web::Options { dev })?;
            web::print_sizes(&build)?;
            Ok(ExitCode::SUCCESS)
        }
        Some("demo") => demo(rest),
        Some("test") => {
            expect_no_args(rest)?;
            test()
        }
        Some("bench-web") => {
            expect_no_args(rest)?;
            bench_web::run()
        }
        Some("bench-sync") => {
            expect_no_args(rest)?;
            step("cargo bench -p kluis-sync-server --bench sync");
            util::run(util::cargo().args(["bench", "-p", "kluis-sync-server", "--bench", "sync"]))?;
            Ok(ExitCode::SUCCESS)
        }
        Some("bench-evaluation") => {
            expect_no_args(rest)?;
            step("cargo bench -p kluis-sync-server --bench evaluation");
            util::run(util::cargo().args([
                "bench",
                "-p",
                "kluis-sync-server",
                "--bench",
                "evaluation",
            ]))?;
            Ok(ExitCode::SUCCESS)
        }
        Some("bench-load") => {
            expect_no_args(rest)?;
            step("cargo bench -p kluis-sync-server --bench load");
            util::run(util::cargo().args(["bench", "-p", "kluis-sync-server", "--bench", "load"]))?;
            Ok(ExitCode::SUCCESS)
        }
        Some("bench-ops") => {
            expect_no_args(rest)?;
            step("cargo bench -p kluis-sync-server --bench backup");
            util::run(util::cargo().args([
                "bench",
                "-p",
                "kluis-sync-server",
                "--bench",
                "backup",
            ]))?;
            step("20 kill -9 runs (release build of the server's integration tests)");
            util::run(util::cargo().args([
                "test",
                "--release",
                "-p",
                "kluis-sync-server",
                "--test",
                "it",
                "operations::kill::kill_nine_twenty_times",
                "--",
                "--ignored",
                "--nocapture",
            ]))?;
            Ok(ExitCode::SUCCESS)
        }
        Some("fuzz") => {
            let inputs = match rest {
                [] => 10_000_000,
                [n] => n
                    .parse()
                    .with_context(|| format!("`{n}` is not a number of inputs"))?,
                _ => bail!("usage: cargo xtask fuzz [N]"),
            };
            step("cargo bench -p kluis-domain --bench fuzz_sync");
            let n = u64::to_string(&inputs);
            util::run(util::cargo().args([
                "bench",
                "-p",
                "kluis-domain",
                "--bench",
                "fuzz_sync",
                "--",
                &n,
            ]))?;
            Ok(ExitCode::SUCCESS)
        }
        Some("help" | "--help" | "-h") | None => {
            print!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        Some(other) => {
            eprint!("{USAGE}");
            bail!("unknown command `{other}`")
        }
    }
}

fn expect_no_args(args: &[String]) -> Result<()> {
    if let Some(arg) = args.first() {
        bail!("unexpected argument `{arg}` (see `cargo xtask help`)");
    }
    Ok(())
}

fn parse_flags<'a>(args: &[String], known: &[&'a str]) -> Result<Vec<&'a str>> {
    args.iter()
        .map(|arg| {
            known
                .iter()
                .find(|flag| **flag == arg.as_str())
                .copied()
                .with_context(|| format!("unexpected argument `{arg}` (see `cargo xtask help`)"))
        })
        .collect()
}

/// Builds the sync server and returns the path of its binary (from cargo's JSON messages,
/// so a renamed `[[bin]]` keeps working).
/// Which build of the sync server.
#[derive(Clone, Copy)]
enum ServerBuild {
    /// `cargo build --release`: the demo and the benches.
    Release,
    /// The debug binary `cargo test --workspace` built for the integration tests: asking the
    /// same invocation again costs nothing after the tests (a separate `cargo build` would
    /// resolve the dependencies' features without the dev-dependencies and compile them all
    /// again, minutes on two cores).
    AsTested,
}

fn build_server(build: ServerBuild) -> Result<PathBuf> {
    let mut command = util::cargo();
    match build {
        ServerBuild::Release => command.args([
            "build",
            "-p",
            "kluis-sync-server",
            "--release",
            "--message-format=json-render-diagnostics",
        ]),
        ServerBuild::AsTested => command.args([
            "test",
            "--workspace",
            "--no-run",
            "--message-format=json-render-diagnostics",
        ]),
    };
    println!("    $ {}", util::describe(&command));
    let output = command
        .stderr(std::process::Stdio::inherit())
        .output()
        .context("could not start cargo")?;
    if !output.status.success() {
        bail!("building the sync server failed ({})", output.status);
    }
    let executable = server_executable(&String::from_utf8_lossy(&output.stdout));
    executable.context("cargo built the sync server but reported no executable")
}

/// The sync server's executable from cargo's `--message-format=json` output.
fn server_executable(cargo_json: &str) -> Option<PathBuf> {
    let mut executable = None;
    for line in cargo_json.lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let is_bin = message["target"]["kind"]
            .as_array()
            .is_some_and(|kinds| kinds.iter().any(|kind| kind == "bin"));
        let is_server = message["package_id"]
            .as_str()
            .is_some_and(|id| id.contains("kluis-sync-server"));
        // `cargo test --no-run` also builds the binary's own unit-test harness, a "bin"
        // artifact too (deps/sync_server-<hash>), in no fixed order: only the real binary.
        let is_harness = message["profile"]["test"] == true;
        if message["reason"] == "compiler-artifact"
            && is_bin
            && is_server
            && !is_harness
            && let Some(path) = message["executable"].as_str()
        {
            executable = Some(PathBuf::from(path));
        }
    }
    executable
}

fn demo(args: &[String]) -> Result<ExitCode> {
    let mut listen = "127.0.0.1:8080".to_string();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--listen" => {
                listen = iter
                    .next()
                    .context("--listen needs an address, e.g. 127.0.0.1:8080")?
                    .clone();
            }
            other => match other.strip_prefix("--listen=") {
                Some(value) => listen = value.to_string(),
                None => bail!("unexpected argument `{other}` (see `cargo xtask help`)"),
            },
        }
    }

    let start = Instant::now();
    let mut timings: Vec<(&str, Duration)> = Vec::new();
    let ((), took) = timed("setup", || {
        setup::run_setup(setup::Options { chromium: false })
    })?;
    timings.push(("setup", took));
    let (build, took) = timed("web build", || web::build(web::Options { dev: false }))?;
    web::print_sizes(&build)?;
    timings.push(("web build", took));
    step("server: cargo build --release -p kluis-sync-server");
    let (server, took) = timed("server build", || build_server(ServerBuild::Release))?;
    timings.push(("server build", took));

    let data = repo_root().join("data").join("demo");
    std::fs::create_dir_all(&data).with_context(|| format!("creating {}", data.display()))?;
    step("ready");
    for (name, took) in &timings {
        println!("    {name:<14} {}", secs(*took));
    }
    println!("    total          {}", secs(start.elapsed()));
    step("server: starting (Ctrl+C stops it)");
    let mut command = Command::new(&server);
    command
        .current_dir(repo_root())
        .arg("serve")
        .arg("--listen")
        .arg(&listen)
        .arg("--data")
        .arg(&data)
        .arg("--demo")
        .arg("--web")
        .arg(&build.dir);
    let status = util::status(&mut command)?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(u8::try_from(status.code().unwrap_or(1)).unwrap_or(1))
    })
}

/// One stage of `cargo xtask test`.
struct Stage {
    name: &'static str,
    outcome: Outcome,
    took: Duration,
}

enum Outcome {
    Passed,
    Failed(String),
    Skipped(&'static str),
}

fn test() -> Result<ExitCode> {
    let start = Instant::now();
    let mut stages: Vec<Stage> = Vec::new();
    let mut record = |name: &'static str, result: Result<()>, took: Duration| -> bool {
        let passed = result.is_ok();
        let outcome = match result {
            Ok(()) => Outcome::Passed,
            Err(error) => {
                eprintln!("\nxtask test: {name} failed: {error:#}");
                Outcome::Failed(format!("{error:#}"))
            }
        };
        stages.push(Stage {
            name,
            outcome,
            took,
        });
        passed
    };

    let clock = Instant::now();
    let setup_ok = record(
        "setup",
        setup::run_setup(setup::Options { chromium: true }),
        clock.elapsed(),
    );

    step("cargo fmt --all -- --check");
    let clock = Instant::now();
    let result = util::run(util::cargo().args(["fmt", "--all", "--", "--check"]));
    record("formatting", result, clock.elapsed());

    step("cargo test --workspace");
    let clock = Instant::now();
    let result = util::run(util::cargo().args(["test", "--workspace"]));
    record("cargo test", result, clock.elapsed());

    let clock = Instant::now();
    let web = web::build(web::Options { dev: false });
    let web_dir = match web {
        Ok(build) => {
            let sizes = web::print_sizes(&build);
            record("web build", sizes, clock.elapsed());
            Some(build.dir)
        }
        Err(error) => {
            record("web build", Err(error), clock.elapsed());
            None
        }
    };

    // The debug binary the integration tests used: no build of its own, and the
    // dependencies are optimised anyway ([profile.dev.package."*"] opt-level 3).
    step("server: the binary cargo test built (cargo test --workspace --no-run)");
    let clock = Instant::now();
    let server = build_server(ServerBuild::AsTested);
    let server_bin = match server {
        Ok(path) => {
            record("server build", Ok(()), clock.elapsed());
            Some(path)
        }
        Err(error) => {
            record("server build", Err(error), clock.elapsed());
            None
        }
    };

    step("browser tests: node --test tests/browser/");
    match (setup_ok, web_dir, server_bin) {
        (true, Some(web_dir), Some(server_bin)) => {
            let clock = Instant::now();
            let result = run_browser_tests(&server_bin, &web_dir);
            record("browser tests", result, clock.elapsed());
        }
        _ => {
            println!("    skipped: setup, web build or server build failed");
            stages.push(Stage {
                name: "browser tests",
                outcome: Outcome::Skipped("an earlier stage failed"),
                took: Duration::ZERO,
            });
        }
    }

    step("summary");
    let mut failed = Vec::new();
    for stage in &stages {
        let (mark, note) = match &stage.outcome {
            Outcome::Passed => ("ok     ", String::new()),
            Outcome::Failed(reason) => {
                failed.push(stage.name);
                ("FAILED ", first_line(reason))
            }
            Outcome::Skipped(reason) => {
                failed.push(stage.name);
                ("skipped", (*reason).to_string())
            }
        };
        println!(
            "    {mark} {:<14} {:>10}  {note}",
            stage.name,
            secs(stage.took)
        );
    }
    let total = secs(start.elapsed());
    if failed.is_empty() {
        println!(
            "\nxtask test: all {} stages passed in {total}",
            stages.len()
        );
        Ok(ExitCode::SUCCESS)
    } else {
        println!("\nxtask test: FAILED ({}) after {total}", failed.join(", "));
        Ok(ExitCode::FAILURE)
    }
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().to_string()
}

fn run_browser_tests(server_bin: &std::path::Path, web_dir: &std::path::Path) -> Result<()> {
    let tests = setup::browser_tests_dir();
    let mut command = Command::new("node");
    command
        .current_dir(repo_root())
        .arg("--test")
        .arg(tests.strip_prefix(repo_root()).unwrap_or(&tests))
        .env("KLUIS_SERVER_BIN", server_bin)
        .env("KLUIS_WEB_DIR", web_dir)
        .env("KLUIS_CHROMIUM", setup::chromium_path())
        .env("KLUIS_ARTIFACTS", tests.join("artifacts"));
    util::run(&mut command)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_server_binary_in_cargo_messages() {
        let messages = concat!(
            r#"{"reason":"compiler-artifact","package_id":"path+file:///w/crypto#kluis-crypto@0.1.0","target":{"kind":["lib"],"name":"kluis_crypto"},"executable":null}"#,
            "\n",
            r#"{"reason":"compiler-artifact","package_id":"path+file:///w/sync-server#kluis-sync-server@0.1.0","target":{"kind":["lib"],"name":"kluis_sync_server"},"executable":null}"#,
            "\n",
            r#"{"reason":"compiler-artifact","package_id":"path+file:///w/sync-server#kluis-sync-server@0.1.0","target":{"kind":["bin"],"name":"sync-server"},"profile":{"test":false},"executable":"/w/target/debug/sync-server"}"#,
            "\n",
            // The binary's unit-test harness, after the binary: not the server.
            r#"{"reason":"compiler-artifact","package_id":"path+file:///w/sync-server#kluis-sync-server@0.1.0","target":{"kind":["bin"],"name":"sync-server"},"profile":{"test":true},"executable":"/w/target/debug/deps/sync_server-0a1b"}"#,
            "\n",
            r#"{"reason":"build-finished","success":true}"#,
        );
        assert_eq!(
            server_executable(messages),
            Some(PathBuf::from("/w/target/debug/sync-server"))
        );
        assert_eq!(server_executable("not json\n"), None);
    }
}
