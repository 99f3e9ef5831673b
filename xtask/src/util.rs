//! Small helpers: paths, running commands, timing, sizes.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// The repository root (the directory above `xtask/`).
pub fn repo_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| manifest_dir.to_path_buf())
}

/// The cargo that runs us (`$CARGO`), else `cargo` from PATH.
pub fn cargo() -> Command {
    let program = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(program);
    command.current_dir(repo_root());
    command
}

/// Cargo's target directory: `$CARGO_TARGET_DIR` if set, else what `cargo metadata` says
/// (which also honours `build.target-dir` in a cargo config).
pub fn target_dir() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR").filter(|dir| !dir.is_empty()) {
        let dir = PathBuf::from(dir);
        return Ok(if dir.is_absolute() {
            dir
        } else {
            std::env::current_dir()?.join(dir)
        });
    }
    let output = cargo()
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .output()
        .or_else(|_| {
            cargo()
                .args(["metadata", "--format-version", "1", "--no-deps"])
                .output()
        })
        .context("running `cargo metadata`")?;
    if !output.status.success() {
        bail!(
            "`cargo metadata` failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    let metadata: serde_json::Value =
        serde_json::from_slice(&output.stdout).context("parsing `cargo metadata` output")?;
    let dir = metadata["target_directory"]
        .as_str()
        .context("`cargo metadata` has no target_directory")?;
    Ok(PathBuf::from(dir))
}

/// Prints a step heading.
pub fn step(title: &str) {
    println!("\n==> {title}");
}

/// Formats a duration as "12.3 s" or "2 min 05 s".
pub fn secs(duration: Duration) -> String {
    let total = duration.as_secs_f64();
    if total < 60.0 {
        format!("{total:.1} s")
    } else {
        let whole = duration.as_secs();
        format!("{} min {:02} s", whole / 60, whole % 60)
    }
}

/// Formats a byte count: "1.23 MB", "456.7 KB", "89 B" (decimal units, like the browser).
pub fn bytes(count: u64) -> String {
    // u64 -> f64 loses precision only above 2^53 bytes.
    #[allow(clippy::cast_precision_loss)]
    let value = count as f64;
    if count >= 1_000_000 {
        format!("{:.2} MB", value / 1_000_000.0)
    } else if count >= 1_000 {
        format!("{:.1} KB", value / 1_000.0)
    } else {
        format!("{count} B")
    }
}

/// Describes a command for messages: `program arg1 arg2`.
pub fn describe(command: &Command) -> String {
    let mut text = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}

/// Runs a command with inherited stdio; fails on a non-zero exit.
pub fn run(command: &mut Command) -> Result<()> {
    let status = status(command)?;
    if !status.success() {
        bail!("`{}` failed ({status})", describe(command));
    }
    Ok(())
}

/// Runs a command with inherited stdio and returns its exit status.
pub fn status(command: &mut Command) -> Result<ExitStatus> {
    println!("    $ {}", describe(command));
    command
        .status()
        .with_context(|| format!("could not start `{}`", describe(command)))
}

/// Runs `f`, printing how long it took.
pub fn timed<T>(label: &str, f: impl FnOnce() -> Result<T>) -> Result<(T, Duration)> {
    let start = Instant::now();
    let value = f()?;
    let elapsed = start.elapsed();
    println!("    {label}: {}", secs(elapsed));
    Ok((value, elapsed))
}

/// True when `program` can be started (found on PATH).
pub fn have(program: impl AsRef<OsStr>) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok()
}

/// True when running as root (no sudo needed for apt-get).
pub fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|output| String::from_utf8_lossy(&output.stdout).trim() == "0")
        .unwrap_or(false)
}
