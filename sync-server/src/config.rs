//! Settings, typed and validated at start: defaults, then `KLUIS_*` environment variables,
//! then a config file, then command-line flags; each layer overrides the one before.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use kluis_domain::setting_limits as limits;

use crate::error::ServerError;

#[derive(Clone, Debug)]
pub struct Settings {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    /// The built PWA to serve at `/`; `None` serves only the API.
    pub web_dir: Option<PathBuf>,
    /// Seed the demo registry into an empty database.
    pub demo: bool,
    /// With the demo, seed its past year too (requests, reports, repairs, code changes,
    /// reveals, dated before the start). Off for tests that count the trail from empty.
    pub demo_history: bool,
    /// Base64 server key; when unset, `<data_dir>/server.key` is used (created on first start).
    pub server_key: Option<String>,
    /// A key file outside the data directory (so a copy of the directory holds no key);
    /// created on first start when missing.
    pub server_key_file: Option<PathBuf>,
    /// Failed sign-ins per account, and per client address over all accounts, before each
    /// further attempt waits (1 s, doubling, at most `login_max_delay`).
    pub login_attempts_per_account: u32,
    pub login_attempts_per_ip: u32,
    /// Failures are forgotten after this long without one.
    pub login_window: Duration,
    pub login_max_delay: Duration,
    /// Peers whose `client_ip_header` names the client (the TLS proxy in front of Kluis);
    /// from anyone else the header is ignored.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    pub client_ip_header: String,
    /// A session's absolute lifetime: carers, volunteers, service admins and housing staff in
    /// days, the coordinator's desktop in hours. No use extends it.
    pub session_days: u32,
    pub coordinator_session_hours: u32,
    /// How long a token stays usable after its successor was first used (requests that were
    /// under way); used later than that, it revokes its device.
    pub token_grace: Duration,
    /// A sync hands over a successor token once the one it used is this old; syncs in between
    /// keep their token, so a sync with nothing new writes nothing.
    pub token_rotate_after: Duration,
    pub max_json_bytes: usize,
    pub max_sync_bytes: usize,
    pub idle_lock_secs: u32,
    pub grace_days: u32,
    pub lease_hours: u32,
    /// Invitations by e-mail (`smtp_url`, `smtp_user`, `smtp_password`, `smtp_from`,
    /// `public_url`); none: off.
    pub smtp: Option<crate::mail::SmtpSettings>,
    /// E-mail the coordinator and housing companies when work reaches them (a report from
    /// the door, a repair order, a deadline one working day away). Off by default; needs
    /// `smtp_url`.
    pub mail_notifications: bool,
    /// The wait before the first retry of a notice the relay did not take; it doubles with
    /// each attempt.
    pub mail_retry: Duration,
    /// A second address that serves only `GET /metrics`, for a scraper on a private network
    /// or the loopback; `None`: no second listener.
    pub metrics_listen: Option<SocketAddr>,
    /// When set, `/metrics` is served on the main listener too, and answers (there and on
    /// `metrics_listen`) only to `Authorization: Bearer <token>`. Neither set: no metrics
    /// on the main listener, so they are never open to whoever reaches Kluis.
    pub metrics_token: Option<MetricsToken>,
}

/// The metrics scraper's bearer token. `Debug` never prints it: settings may be logged.
#[derive(Clone)]
pub struct MetricsToken(String);

impl MetricsToken {
    /// Shorter tokens are refused: 24 characters of a generated token leave nothing to guess.
    pub const MIN_LEN: usize = 24;
    pub const MAX_LEN: usize = 256;

    pub fn new(token: impl Into<String>) -> MetricsToken {
        MetricsToken(token.into())
    }

    /// Whether `given` is the token. The SHA-256 digests are compared in constant time, so
    /// timing tells neither how much of a guess was right nor how long the token is.
    pub fn matches(&self, given: &str) -> bool {
        use subtle::ConstantTimeEq;
        let want = kluis_crypto::token_hash(&self.0);
        let got = kluis_crypto::token_hash(given);
        want.as_bytes().ct_eq(got.as_bytes()).into()
    }

    fn check(&self) -> Result<(), ServerError> {
        let n = self.0.chars().count();
        if !(Self::MIN_LEN..=Self::MAX_LEN).contains(&n) {
            return Err(ServerError::Config(format!(
                "metrics_token must be {} to {} characters long (it has {n})",
                Self::MIN_LEN,
                Self::MAX_LEN
            )));
        }
        // It travels in a header and a `key = value` line: visible ASCII, no spaces.
        if !self.0.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(ServerError::Config(
                "metrics_token may hold only visible ASCII characters, no spaces".into(),
            ));
        }
        Ok(())
    }
}

impl std::fmt::Debug for MetricsToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MetricsToken(***)")
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("data"),
            web_dir: None,
            demo: false,
            demo_history: true,
            server_key: None,
            server_key_file: None,
            login_attempts_per_account: 5,
            login_attempts_per_ip: 30,
            login_window: Duration::from_secs(15 * 60),
            login_max_delay: Duration::from_secs(60),
            trusted_proxies: Vec::new(),
            client_ip_header: "x-forwarded-for".into(),
            session_days: 90,
            coordinator_session_hours: 12,
            token_grace: Duration::from_secs(60),
            token_rotate_after: Duration::from_secs(10 * 60),
            max_json_bytes: 64 * 1024,
            max_sync_bytes: kluis_domain::sync::limits::MAX_REQUEST_BYTES,
            idle_lock_secs: 120,
            grace_days: 14,
            lease_hours: 72,
            smtp: None,
            mail_notifications: false,
            mail_retry: Duration::from_secs(60),
            metrics_listen: None,
            metrics_token: None,
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
    /// Where the server key is read from (see [`crate::keys::KeySource`]).
    pub fn key_source(&self) -> crate::keys::KeySource {
        crate::keys::KeySource::new(
            &self.data_dir,
            self.server_key.as_deref(),
            self.server_key_file.as_deref(),
        )
    }

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
            "demo_history" => self.demo_history = parse_bool(key, value)?,
            "server_key" => self.server_key = Some(value.trim().to_string()),
            "server_key_file" => {
                self.server_key_file =
                    Some(PathBuf::from(value.trim())).filter(|p| !p.as_os_str().is_empty())
            }
            "login_attempts_per_account" => self.login_attempts_per_account = parse(key, value)?,
            "login_attempts_per_ip" => self.login_attempts_per_ip = parse(key, value)?,
            "login_window_secs" => self.login_window = Duration::from_secs(parse(key, value)?),
            "login_max_delay_secs" => {
                self.login_max_delay = Duration::from_secs(parse(key, value)?)
            }
            "trusted_proxies" => {
                self.trusted_proxies = value
                    .split(',')
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(|v| {
                        v.parse::<ipnet::IpNet>()
                            .or_else(|_| v.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                            .map_err(|_| ServerError::Config(format!("{key}: cannot use {v:?}")))
                    })
                    .collect::<Result<_, _>>()?
            }
            "client_ip_header" => self.client_ip_header = value.trim().to_ascii_lowercase(),
            "session_days" => self.session_days = parse(key, value)?,
            "coordinator_session_hours" => self.coordinator_session_hours = parse(key, value)?,
            "token_grace_secs" => self.token_grace = Duration::from_secs(parse(key, value)?),
            "token_rotate_after_secs" => {
                self.token_rotate_after = Duration::from_secs(parse(key, value)?)
            }
            "idle_lock_secs" => self.idle_lock_secs = parse(key, value)?,
            "grace_days" => self.grace_days = parse(key, value)?,
            "lease_hours" => self.lease_hours = parse(key, value)?,
            "mail_notifications" => self.mail_notifications = parse_bool(key, value)?,
            "mail_retry_secs" => self.mail_retry = Duration::from_secs(parse(key, value)?),
            "metrics_listen" => {
                self.metrics_listen = match value.trim() {
                    "" => None,
                    v => Some(parse(key, v)?),
                }
            }
            "metrics_token" => {
                self.metrics_token = Some(value.trim())
                    .filter(|v| !v.is_empty())
                    .map(MetricsToken::new)
            }
            "smtp_url" | "smtp_user" | "smtp_password" | "smtp_from" | "public_url" => {
                let smtp = self.smtp.get_or_insert_with(|| crate::mail::SmtpSettings {
                    url: String::new(),
                    user: None,
                    password: None,
                    from: String::new(),
                    public_url: String::new(),
                });
                let v = value.trim().to_string();
                match key {
                    "smtp_url" => smtp.url = v,
                    "smtp_user" => smtp.user = Some(v).filter(|v| !v.is_empty()),
                    "smtp_password" => smtp.password = Some(v).filter(|v| !v.is_empty()),
                    "smtp_from" => smtp.from = v,
                    _ => smtp.public_url = v,
                }
            }
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

    /// How long a session of `role` lasts from sign-in.
    pub fn session_lifetime_ms(&self, role: kluis_domain::model::Role) -> i64 {
        match role {
            kluis_domain::model::Role::Coordinator => {
                i64::from(self.coordinator_session_hours) * 3_600_000
            }
            _ => i64::from(self.session_days) * 86_400_000,
        }
    }

    /// The client's address: the peer's, or, when the peer is a trusted proxy, the last
    /// address in `client_ip_header` that is not itself a trusted proxy.
    pub fn client_ip(
        &self,
        peer: std::net::IpAddr,
        headers: &axum::http::HeaderMap,
    ) -> std::net::IpAddr {
        let trusted = |ip: &std::net::IpAddr| self.trusted_proxies.iter().any(|n| n.contains(ip));
        if !trusted(&peer) {
            return peer;
        }
        let forwarded = headers
            .get_all(self.client_ip_header.as_str())
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect::<Vec<_>>();
        for hop in forwarded.iter().rev() {
            match hop.parse::<std::net::IpAddr>() {
                Ok(ip) if trusted(&ip) => continue,
                Ok(ip) => return ip,
                // A hop we cannot read: the proxy's own view is all we can trust.
                Err(_) => return peer,
            }
        }
        peer
    }

    pub fn validate(&self) -> Result<(), ServerError> {
        let bad = |m: &str| Err(ServerError::Config(m.to_string()));
        if let Some(smtp) = &self.smtp {
            smtp.validate()?;
        }
        if self.mail_notifications && self.smtp.is_none() {
            return bad("mail_notifications needs an SMTP relay (smtp_url, smtp_from, public_url)");
        }
        if self.mail_retry.is_zero() {
            return bad("mail_retry_secs must be positive");
        }
        if self.login_attempts_per_account == 0 || self.login_attempts_per_ip == 0 {
            return bad("login attempt limits must be at least 1");
        }
        if self.login_window.is_zero() {
            return bad("login_window_secs must be positive");
        }
        if !(1..=3650).contains(&self.session_days) {
            return bad("session_days must be between 1 and 3650");
        }
        if !(1..=24 * 14).contains(&self.coordinator_session_hours) {
            return bad("coordinator_session_hours must be between 1 and 336");
        }
        if self.token_grace > Duration::from_secs(600) {
            return bad("token_grace_secs must be at most 600");
        }
        if self.token_rotate_after > Duration::from_secs(24 * 3600) {
            return bad("token_rotate_after_secs must be at most 86400");
        }
        if self.login_max_delay.is_zero() || self.login_max_delay > Duration::from_secs(3600) {
            return bad("login_max_delay_secs must be between 1 and 3600");
        }
        if let Some(token) = &self.metrics_token {
            token.check()?;
        }
        if self.metrics_listen == Some(self.listen) && self.listen.port() != 0 {
            return bad("metrics_listen must be another address than listen");
        }
        if axum::http::HeaderName::from_bytes(self.client_ip_header.as_bytes()).is_err() {
            return bad("client_ip_header is not a header name");
        }
        for (limit, value) in [
            (limits::IDLE_LOCK_SECS, self.idle_lock_secs),
            (limits::GRACE_DAYS, self.grace_days),
            (limits::LEASE_HOURS, self.lease_hours),
        ] {
            if !limit.allows(value) {
                return Err(ServerError::Config(format!(
                    "{} must be between {} and {}",
                    limit.name(),
                    limit.min(),
                    limit.max()
                )));
            }
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

    #[test]
    fn metrics_settings_are_typed_checked_and_the_token_is_never_printed() {
        let mut s = Settings::default();
        assert!(s.metrics_listen.is_none() && s.metrics_token.is_none());
        s.apply_env([
            ("KLUIS_METRICS_LISTEN".into(), "127.0.0.1:9100".into()),
            (
                "KLUIS_METRICS_TOKEN".into(),
                "a-scraper-token-of-enough-length".into(),
            ),
        ])
        .unwrap();
        assert_eq!(s.metrics_listen, Some("127.0.0.1:9100".parse().unwrap()));
        s.validate().unwrap();
        let token = s.metrics_token.clone().unwrap();
        assert!(token.matches("a-scraper-token-of-enough-length"));
        assert!(!token.matches("a-scraper-token-of-enough-lengtH"));
        assert!(!token.matches(""));
        assert!(!format!("{s:?}").contains("enough-length"));

        assert!(s.set("metrics_listen", "not an address").is_err());
        s.set("metrics_listen", "").unwrap();
        assert!(s.metrics_listen.is_none());
        s.set("metrics_listen", &s.listen.to_string()).unwrap();
        assert!(s.validate().is_err(), "the same address as listen");
        s.set("metrics_listen", "").unwrap();

        s.set("metrics_token", "too-short").unwrap();
        assert!(s.validate().is_err());
        s.set("metrics_token", "twenty-four-characters!!").unwrap();
        s.validate().unwrap();
        s.set("metrics_token", "twenty-four characters with spaces")
            .unwrap();
        assert!(s.validate().is_err());
        s.set("metrics_token", "").unwrap();
        assert!(s.metrics_token.is_none());
    }

    #[test]
    fn the_client_address_comes_from_a_trusted_proxy_only() {
        let mut s = Settings::default();
        s.set("trusted_proxies", "127.0.0.1, 10.1.0.0/16").unwrap();
        assert!(s.set("trusted_proxies", "nonsense").is_err());
        let mut headers = axum::http::HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            "203.0.113.9, 198.51.100.7, 10.1.2.3".parse().unwrap(),
        );
        let proxy: std::net::IpAddr = "127.0.0.1".parse().unwrap();
        let stranger: std::net::IpAddr = "192.0.2.1".parse().unwrap();
        // The last hop that is not one of ours; what the client wrote before it is not read.
        assert_eq!(
            s.client_ip(proxy, &headers),
            "198.51.100.7".parse::<std::net::IpAddr>().unwrap()
        );
        assert_eq!(
            s.client_ip(stranger, &headers),
            stranger,
            "a header from anyone else is ignored"
        );
        headers.insert("x-forwarded-for", "garbage".parse().unwrap());
        assert_eq!(s.client_ip(proxy, &headers), proxy);
        assert_eq!(s.client_ip(proxy, &axum::http::HeaderMap::new()), proxy);
    }
}
