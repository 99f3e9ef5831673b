//! The real `sync-server` binary in its own process: for what only a process shows (its
//! exit on a signal, its memory, its logs, a kill -9).

use std::io::BufRead;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use super::TestServer;

pub struct ServerProcess {
    pub child: Child,
    pub server: TestServer,
    /// What the server printed to stdout after its address.
    pub stdout: std::sync::mpsc::Receiver<String>,
}

/// `sync-server` with `args`, its environment cleared of KLUIS_* settings but for `env`.
pub fn command(args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sync-server"));
    cmd.args(args);
    for (k, _) in std::env::vars() {
        if k.starts_with("KLUIS_") {
            cmd.env_remove(k);
        }
    }
    cmd.env("KLUIS_LOG", "warn");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

/// `sync-server admin --data DATA <args>`: its exit status and what it printed (both streams).
pub fn admin(data: &Path, args: &[&str], env: &[(&str, &str)]) -> (bool, String) {
    let mut full = vec!["admin", "--data"];
    let data = data.to_string_lossy().into_owned();
    full.push(&data);
    full.extend_from_slice(args);
    let out = command(&full, env).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

impl ServerProcess {
    /// `serve --listen 127.0.0.1:0 --data DATA` with `extra` arguments; stderr goes to
    /// `stderr` when given, else nowhere.
    pub fn start(
        data: &Path,
        extra: &[&str],
        env: &[(&str, &str)],
        stderr: Option<&Path>,
    ) -> ServerProcess {
        let mut args = vec!["serve", "--listen", "127.0.0.1:0", "--data"];
        let data_arg = data.to_string_lossy().into_owned();
        args.push(&data_arg);
        args.extend_from_slice(extra);
        let mut cmd = command(&args, env);
        cmd.stdout(Stdio::piped());
        match stderr {
            Some(file) => cmd.stderr(std::fs::File::create(file).unwrap()),
            None => cmd.stderr(Stdio::null()),
        };
        let mut child = cmd.spawn().unwrap();
        let out = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(out).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let base = loop {
            let line = rx
                .recv_timeout(std::time::Duration::from_secs(60))
                .expect("the server says where it listens");
            if let Some(u) = line.strip_prefix("Kluis is running: open ") {
                break u.trim_end_matches('/').to_string();
            }
        };
        ServerProcess {
            child,
            server: TestServer::remote(base, data),
            stdout: rx,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends `signal` (e.g. "TERM", "KILL") to the process.
    pub fn signal(&self, signal: &str) {
        let ok = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(self.pid().to_string())
            .status()
            .unwrap()
            .success();
        assert!(ok, "kill -{signal}");
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
