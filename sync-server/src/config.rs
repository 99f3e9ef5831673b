//! Settings, typed and validated at start: defaults, then `KLUIS_*` environment variables,
//! then a config file, then command-line flags; each layer overrides the one before.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::ServerError;

#[derive(Clone, Debug)]
pub struct Settings {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    /// The built PWA to serve at `/`; `None` serves only the API.
    pub web_dir: Option<PathBuf>,
    /// Seed the demo registry into an empty database.
    pub demo: bool,
    /// Base64 server key; when unset, `<data_dir>/server.key` is used (created on first start).
    pub server_key: Option<String>,
    pub login_attempts_per_account: u32,
    pub login_attempts_per_ip: u32,
    pub login_window: Duration,
    pub session_days: u32,
    pub max_json_bytes: usize,
    pub max_sync_bytes: usize,
    pub idle_lock_secs: u32,
    pub grace_days: u32,
    pub lease_hours: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("data"),
            web_dir: None,
            demo: false,
            server_key: None,
            login_attempts_per_account: 5,
            login_attempts_per_ip: 30,
            login_window: Duration::from_secs(15 * 60),
            session_days: 180,
            max_json_bytes: 64 * 1024,
            max_sync_bytes: kluis_domain::sync::MAX_MESSAGE_BYTES,
            idle_lock_secs: 120,
            grace_days: 14,
            lease_hours: 72,
        }
    }
}

fn parse<T: std::str::FromStr>(key: &str, value: &str) -> Result<T, ServerError> {
    value
        .trim()
        .parse()
        .map_err(|_| ServerError::Config(format!("{key}: cannot use {value:?}")))
}

fn parse_bool(key: &str, value: &str) -> Result<bool, ServerError> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" | "" => Ok(false),
        _ => Err(ServerError::Config(format!(
            "{key}: expected true or false, got {value:?}"
        ))),
    }
}

impl Settings {
    /// Applies one `key = value` setting; keys are the lower-case names without `KLUIS_`.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), ServerError> {
        match key {
            "listen" => self.listen = parse(key, value)?,
            "data" | "data_dir" => self.data_dir = PathBuf::from(value.trim()),
            "web" | "web_dir" => {
                self.web_dir =
                    Some(PathBuf::from(value.trim())).filter(|p| !p.as_os_str().is_empty())
            }
            "demo" => self.demo = parse_bool(key, value)?,
            "server_key" => self.server_key = Some(value.trim().to_string()),
            "login_attempts_per_account" => self.login_attempts_per_account = parse(key, value)?,
            "login_attempts_per_ip" => self.login_attempts_per_ip = parse(key, value)?,
            "login_window_secs" => self.login_window = Duration::from_secs(parse(key, value)?),
            "session_days" => self.session_days = parse(key, value)?,
            "idle_lock_secs" => self.idle_lock_secs = parse(key, value)?,
            "grace_days" => self.grace_days = parse(key, value)?,
            "lease_hours" => self.lease_hours = parse(key, value)?,
            other => return Err(ServerError::Config(format!("unknown setting {other:?}"))),
        }
        Ok(())
    }

    /// `KLUIS_LISTEN`, `KLUIS_DATA`, ... from the given environment.
    pub fn apply_env(
        &mut self,
        vars: impl IntoIterator<Item = (String, String)>,
    ) -> Result<(), ServerError> {
        for (k, v) in vars {
            if let Some(key) = k.strip_prefix("KLUIS_") {
                let key = key.to_ascii_lowercase();
                match self.set(&key, &v) {
                    Err(ServerError::Config(msg)) if msg.starts_with("unknown setting") => {
                        // Other tools share the KLUIS_ prefix (test harness variables): note it, go on.
                        tracing::debug!(variable = %k, "ignoring environment variable that is not a server setting");
                    }
                    other => other?,
                }
            }
        }
        Ok(())
    }

    /// A config file of `key = value` lines (`#` starts a comment; values may be quoted).
    pub fn apply_file(&mut self, path: &Path) -> Result<(), ServerError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| ServerError::Config(format!("cannot read {}: {e}", path.display())))?;
        for (n, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let (k, v) = line.split_once('=').ok_or_else(|| {
                ServerError::Config(format!(
                    "{}:{}: expected key = value",
                    path.display(),
                    n + 1
                ))
            })?;
            let v = v.trim().trim_matches('"');
            self.set(k.trim(), v)
                .map_err(|e| ServerError::Config(format!("{}:{}: {e}", path.display(), n + 1)))?;
        }
        Ok(())
    }

    pub fn validate(&self) -> Result<(), ServerError> {
        let bad = |m: &str| Err(ServerError::Config(m.to_string()));
        if self.login_attempts_per_account == 0 || self.login_attempts_per_ip == 0 {
            return bad("login attempt limits must be at least 1");
        }
        if self.login_window.is_zero() {
            return bad("login_window_secs must be positive");
        }
        if !(1..=3650).contains(&self.session_days) {
            return bad("session_days must be between 1 and 3650");
        }
        if !(30..=3600).contains(&self.idle_lock_secs) {
            return bad("idle_lock_secs must be between 30 and 3600");
        }
        if self.grace_days > 90 {
            return bad("grace_days must be at most 90");
        }
        if !(1..=24 * 30).contains(&self.lease_hours) {
            return bad("lease_hours must be between 1 and 720");
        }
        if let Some(dir) = &self.web_dir
            && !dir.join("index.html").is_file()
        {
            return Err(ServerError::Config(format!(
                "web dir {} has no index.html: build the PWA first (cargo xtask web)",
                dir.display()
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn layers_override_in_order_and_bad_values_are_refused() {
        let mut s = Settings::default();
        s.apply_env([
            ("KLUIS_LISTEN".into(), "127.0.0.1:9000".into()),
            ("PATH".into(), "x".into()),
            ("KLUIS_SERVER_BIN".into(), "x".into()),
        ])
        .unwrap();
        assert!(
            s.apply_env([("KLUIS_GRACE_DAYS".into(), "many".into())])
                .is_err()
        );
        assert_eq!(s.listen.port(), 9000);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("kluis.conf");
        std::fs::write(
            &file,
            "# comment\nlisten = \"127.0.0.1:9001\"\ngrace_days = 7\n",
        )
        .unwrap();
        s.apply_file(&file).unwrap();
        assert_eq!(s.listen.port(), 9001);
        assert_eq!(s.grace_days, 7);
        s.validate().unwrap();

        assert!(s.set("listen", "nonsense").is_err());
        assert!(s.set("no_such_thing", "1").is_err());
        std::fs::write(&file, "lease_hours = 0\n").unwrap();
        s.apply_file(&file).unwrap();
        assert!(s.validate().is_err());
    }
}
