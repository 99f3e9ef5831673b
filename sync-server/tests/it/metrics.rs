//! Operations: `/metrics` is never open without configuration, answers only to the scraper's
//! token or on its own listener, and counts what happened; the real binary's JSON logs carry
//! a request id and no secret.

use std::collections::HashMap;
use std::time::Duration;

use crate::common::lifecycle::next_event;
use crate::common::*;
use kluis_sync_server::config::MetricsToken;
use reqwest::StatusCode;
use serde_json::{Value, json};

pub(crate) const TOKEN: &str = "scraper-token-for-the-tests-0123";

/// One sample of the page: its family name, labels and value.
#[derive(Debug)]
struct Sample {
    name: String,
    labels: HashMap<String, String>,
    value: f64,
}

/// The samples of a Prometheus text page (`name{k="v",...} value`); `#` lines are skipped.
fn parse(page: &str) -> Vec<Sample> {
    page.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|line| {
            let (series, value) = line.rsplit_once(' ').unwrap();
            let value = value.parse().unwrap_or_else(|_| panic!("value of {line}"));
            let Some((name, rest)) = series.split_once('{') else {
                return Sample {
                    name: series.to_string(),
                    labels: HashMap::new(),
                    value,
                };
            };
            let body = rest.strip_suffix('}').unwrap();
            let mut labels = HashMap::new();
            let mut chars = body.chars().peekable();
            while chars.peek().is_some() {
                let key: String = chars.by_ref().take_while(|c| *c != '=').collect();
                assert_eq!(chars.next(), Some('"'), "{line}");
                let mut v = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => v.push(chars.next().unwrap()),
                        '"' => break,
                        c => v.push(c),
                    }
                }
                labels.insert(key.trim_start_matches(',').to_string(), v);
                if chars.peek() == Some(&',') {
                    chars.next();
                }
            }
            Sample {
                name: name.to_string(),
                labels,
                value,
            }
        })
        .collect()
}

/// The value of `name` with at least these labels (the sum if several series match).
fn value(page: &[Sample], name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    let matching: Vec<f64> = page
        .iter()
        .filter(|s| s.name == name)
        .filter(|s| {
            labels
                .iter()
                .all(|(k, v)| s.labels.get(*k).map(String::as_str) == Some(*v))
        })
        .map(|s| s.value)
        .collect();
    (!matching.is_empty()).then(|| matching.iter().sum())
}

pub(crate) async fn scrape(base: &str, token: Option<&str>) -> reqwest::Response {
    let mut req = http().get(format!("{base}/metrics"));
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    req.send().await.unwrap()
}

async fn page(base: &str, token: Option<&str>) -> Vec<Sample> {
    let resp = scrape(base, token).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    assert_eq!(resp.headers()["cache-control"], "no-store");
    parse(&resp.text().await.unwrap())
}

pub(crate) async fn wrong_login(base: &str, login: &str, password: &str) -> StatusCode {
    http()
        .post(format!("{base}/api/login"))
        .json(&json!({"login": login, "password": password, "device_name": "test"}))
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn without_configuration_there_are_no_metrics_and_every_answer_has_a_request_id() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let resp = scrape(&server.base, None).await;
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    let made = resp.headers()["x-request-id"].to_str().unwrap().to_string();
    assert_eq!(made.len(), 36, "a UUID: {made}");
    assert_eq!(
        scrape(&server.base, Some(TOKEN)).await.status(),
        StatusCode::NOT_FOUND
    );

    // A proxy's plain id is kept; anything else is replaced by one of ours.
    for (sent, kept) in [
        ("proxy-7f3a.12_b", true),
        ("", false),
        ("with space", false),
        ("x\"}{", false),
        (&"a".repeat(65), false),
    ] {
        let resp = http()
            .get(server.url("/healthz"))
            .header("x-request-id", sent)
            .send()
            .await
            .unwrap();
        let answered = resp.headers()["x-request-id"].to_str().unwrap();
        assert_eq!(answered == sent, kept, "{sent:?} → {answered:?}");
        assert!(!answered.is_empty());
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_a_token_the_page_counts_what_happened() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let server = TestServer::start_with(data, |s| {
        s.metrics_token = Some(MetricsToken::new(TOKEN));
        s.login_attempts_per_account = 1;
    })
    .await;
    let resp = scrape(&server.base, None).await;
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(resp.headers()["www-authenticate"], "Bearer");
    let wrong = format!("{TOKEN}x");
    assert_eq!(
        scrape(&server.base, Some(&wrong)).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        scrape(&server.base, Some("")).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let before = page(&server.base, Some(TOKEN)).await;
    assert_eq!(value(&before, "kluis_login_failures_total", &[]), Some(0.0));
    assert_eq!(value(&before, "kluis_event_streams_open", &[]), Some(0.0));
    // Every scope was built at start.
    assert!(value(&before, "kluis_scope_rebuild_duration_seconds_count", &[]).unwrap() >= 1.0);

    // A wrong password, then at once another: the second waits (429).
    let base = server.base.clone();
    assert_eq!(
        wrong_login(&base, "carer.wgk.2", "niet-het-wachtwoord").await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        wrong_login(&base, "carer.wgk.2", "niet-het-wachtwoord").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    let mut carer = Device::enrol(&server, "carer.wgk.1").await;
    let synced = carer.sync(&server).await.ok().unwrap();
    let coordinator = login(&server, "coordinator").await;
    let safe = crate::common::lifecycle::scope_of(&carer)
        .safes
        .keys()
        .next()
        .unwrap()
        .to_string();
    let (status, _) = get_json(
        &server,
        &coordinator.token,
        &format!("/api/admin/safes/{safe}/code"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        http()
            .get(server.url("/no/such/page?code=ABCD-EFGH-JKLM"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    let resp = http()
        .get(server.url("/api/events"))
        .bearer_auth(&carer.session.token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let mut stream = resp.bytes_stream();
    let mut buf = String::new();
    next_event(&mut stream, &mut buf, "ready").await;

    let text = scrape(&server.base, Some(TOKEN))
        .await
        .text()
        .await
        .unwrap();
    let now = parse(&text);
    assert_eq!(value(&now, "kluis_login_failures_total", &[]), Some(1.0));
    assert_eq!(
        value(
            &now,
            "kluis_rate_limited_total",
            &[("route", "/api/login"), ("reason", "rate_limited")]
        ),
        Some(1.0)
    );
    assert_eq!(value(&now, "kluis_event_streams_open", &[]), Some(1.0));
    let sync = [("route", "/api/sync")];
    assert_eq!(
        value(
            &now,
            "kluis_http_requests_total",
            &[
                ("route", "/api/sync"),
                ("method", "POST"),
                ("status", "200")
            ]
        ),
        Some(f64::from(synced.rounds))
    );
    assert_eq!(
        value(&now, "kluis_sync_duration_seconds_count", &[]),
        Some(f64::from(synced.rounds))
    );
    // The client sent no Accept-Encoding: what it counted is what the server counted.
    assert_eq!(
        value(&now, "kluis_http_request_body_bytes_total", &sync),
        Some(synced.bytes_up as f64)
    );
    assert_eq!(
        value(&now, "kluis_http_response_body_bytes_total", &sync),
        Some(synced.bytes_down as f64)
    );
    assert_eq!(
        value(
            &now,
            "kluis_http_requests_total",
            &[("route", "/api/admin/safes/{id}/code"), ("status", "200")]
        ),
        Some(1.0)
    );
    assert_eq!(
        value(
            &now,
            "kluis_http_requests_total",
            &[("route", "fallback"), ("status", "404")]
        ),
        Some(1.0)
    );
    // Patterns, never paths: no id, no query string, no unknown path became a label.
    assert!(!text.contains(&safe) && !text.contains("no/such") && !text.contains("ABCD"));
    let routes: Vec<&str> = now
        .iter()
        .filter_map(|s| s.labels.get("route").map(String::as_str))
        .collect();
    assert!(
        routes
            .iter()
            .all(|r| *r == "fallback" || r.starts_with("/api") || *r == "/metrics"),
        "{routes:?}"
    );
    // The gauges read from the database at scrape time.
    let devices = count(data, "SELECT count(*) FROM devices");
    assert_eq!(devices, 2);
    assert_eq!(
        value(&now, "kluis_devices_seen_24h", &[]),
        Some(devices as f64)
    );
    assert_eq!(
        value(&now, "kluis_audit_rows", &[]),
        Some(count(data, "SELECT count(*) FROM audit_events") as f64)
    );
    let file = std::fs::metadata(data.join("kluis.sqlite3")).unwrap().len();
    assert!(value(&now, "kluis_database_size_bytes", &[]).unwrap() >= file as f64);

    // The stream ends (its device revoked): the gauge goes back to 0.
    let (status, _) = post_json(
        &server,
        &coordinator.token,
        &format!("/api/admin/devices/{}/revoke", carer.session.device),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    next_event(&mut stream, &mut buf, "wipe").await;
    let mut open = 1.0;
    for _ in 0..50 {
        open = value(
            &page(&server.base, Some(TOKEN)).await,
            "kluis_event_streams_open",
            &[],
        )
        .unwrap();
        if open == 0.0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(open, 0.0);
    drop(stream);
    server.stop().await;
}

#[tokio::test]
async fn a_separate_listener_serves_only_the_metrics_and_stops_with_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let (server, metrics) = TestServer::start_with_metrics_listener(dir.path(), |_| {}).await;
    assert_eq!(
        scrape(&server.base, None).await.status(),
        StatusCode::NOT_FOUND,
        "not on the main listener"
    );
    let _ = login(&server, "carer.wgk.1").await;
    let on_its_own = page(&metrics, None).await;
    assert_eq!(
        value(
            &on_its_own,
            "kluis_http_requests_total",
            &[("route", "/api/login"), ("status", "200")]
        ),
        Some(1.0),
        "the same server's figures"
    );
    for path in ["/healthz", "/api/me", "/"] {
        let status = http()
            .get(format!("{metrics}{path}"))
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    server.stop().await;
    // Stopped with the main one: nothing answers there any more.
    assert!(
        http()
            .get(format!("{metrics}/metrics"))
            .timeout(Duration::from_secs(2))
            .send()
            .await
            .is_err()
    );
}

/// The token guards the separate listener too, when both are set.
#[tokio::test]
async fn with_both_settings_the_token_guards_both_listeners() {
    let dir = tempfile::tempdir().unwrap();
    let (server, metrics) = TestServer::start_with_metrics_listener(dir.path(), |s| {
        s.metrics_token = Some(MetricsToken::new(TOKEN));
    })
    .await;
    for base in [&server.base, &metrics] {
        assert_eq!(
            scrape(base, None).await.status(),
            StatusCode::UNAUTHORIZED,
            "{base}"
        );
        page(base, Some(TOKEN)).await;
    }
    server.stop().await;
}

/// The words of a log line: runs of letters, digits and `-` (so a UUID or a timestamp's date
/// is one word, and a code is found only where it stands on its own).
pub(crate) fn words(line: &str) -> impl Iterator<Item = &str> {
    line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|w| !w.is_empty())
}

pub(crate) fn value_of(page: &str, name: &str) -> Option<f64> {
    value(&parse(page), name, &[])
}

pub(crate) fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}
