//! The attacks that stopped Kluis or took codes, against the real server: hostile Bloom
//! filters, a volunteer collecting rounds, a burst of parallel password guesses, a copied
//! token, codes left behind by a revocation, and the headers a browser gets.

#![allow(clippy::unwrap_used)]

mod common;

use std::time::{Duration, Instant};

use common::lifecycle::*;
use common::*;
use kluis_domain::sync::{DocId, DocMessage, SyncRequest};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn uleb(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

/// A version 1 Automerge sync message carrying the given Bloom filters (entries, bits per
/// entry, probes, bytes of bits) and nothing else.
fn filters(list: &[(u64, u64, u64, usize)]) -> Vec<u8> {
    let mut m = vec![0x42, 0, 0];
    uleb(&mut m, list.len() as u64);
    for &(entries, bits, probes, len) in list {
        m.push(0);
        let mut bloom = Vec::new();
        uleb(&mut bloom, entries);
        uleb(&mut bloom, bits);
        uleb(&mut bloom, probes);
        bloom.extend(std::iter::repeat_n(0xff, len));
        uleb(&mut m, bloom.len() as u64);
        m.extend(bloom);
    }
    m.push(0);
    m
}

/// The resident memory of process `pid` in MB, from /proc.
fn rss_mb(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap();
    kb / 1024.0
}

/// The real server binary with the demo, in its own process so its memory is its own.
struct ServerProcess {
    child: std::process::Child,
    server: TestServer,
}

impl ServerProcess {
    fn start(data: &std::path::Path) -> ServerProcess {
        use std::io::BufRead;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sync-server"))
            .args(["serve", "--listen", "127.0.0.1:0", "--demo", "--data"])
            .arg(data)
            .env("KLUIS_LOG", "error")
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let base = std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .find_map(|l| {
                l.strip_prefix("Kluis is running: open ")
                    .map(|u| u.trim_end_matches('/').to_string())
            })
            .expect("the server says where it listens");
        ServerProcess {
            child,
            server: TestServer::remote(base, data),
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn post_sync(server: &TestServer, token: &str, body: Vec<u8>) -> (StatusCode, Value) {
    let resp = http()
        .post(server.url("/api/sync"))
        .bearer_auth(token)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn hostile_bloom_filters_are_refused_at_once_by_every_role_and_others_are_served() {
    let dir = tempfile::tempdir().unwrap();
    let process = ServerProcess::start(dir.path());
    let pid = process.child.id();
    let server = &process.server;
    // Someone of another service keeps asking who they are during the attack.
    let bystander = login(server, "carer.imens.1").await;
    let base = server.base.clone();
    let token = bystander.token.clone();
    let watcher = tokio::spawn(async move {
        let mut worst = Duration::ZERO;
        let mut answered = 0;
        let stop = Instant::now() + Duration::from_secs(2);
        while Instant::now() < stop {
            let t = Instant::now();
            let status = http()
                .get(format!("{base}/api/me"))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap()
                .status();
            assert_eq!(status, StatusCode::OK);
            worst = worst.max(t.elapsed());
            answered += 1;
        }
        (answered, worst)
    });

    let hostile = [
        ("0 bits per entry", filters(&[(1, 0, 7, 0)])),
        (
            "80 filters of 10 million probes",
            filters(&[(1, 10, 10_000_000, 2); 80]),
        ),
        ("2^32-1 probes", filters(&[(1, 10, u64::from(u32::MAX), 2)])),
    ];
    let mut devices = Vec::new();
    for login_name in ["carer.wgk.1", "volunteer.2", "staff.woningent"] {
        let mut device = Device::enrol(server, login_name).await;
        device.sync(server).await.ok().unwrap();
        devices.push((login_name, device));
    }
    let before = rss_mb(pid);
    for (login_name, device) in &mut devices {
        let mut targets: Vec<DocId> = device.client.doc_ids().cloned().collect();
        targets.push(DocId::device(device.session.device));
        targets.sort();
        targets.dedup();
        for target in targets {
            for (name, message) in &hostile {
                let body = SyncRequest::new(vec![DocMessage {
                    doc: target.clone(),
                    message: Some(message.clone()),
                    snapshot: None,
                }])
                .encode()
                .unwrap();
                let t = Instant::now();
                let (status, body) = post_sync(server, &device.session.token, body).await;
                let took = t.elapsed();
                println!(
                    "{login_name} {} {name}: {status} in {:.1} ms, server RSS {:.0} MB",
                    target.to_string().split('.').next().unwrap_or(""),
                    took.as_secs_f64() * 1000.0,
                    rss_mb(pid)
                );
                assert_eq!(status, StatusCode::BAD_REQUEST, "{name}: {body}");
                assert_eq!(body["code"], "sync_limits");
                assert!(took < Duration::from_millis(100), "{name}: {took:?}");
            }
        }
        // The device itself goes on syncing normally.
        device.sync(server).await.ok().unwrap();
    }
    let after = rss_mb(pid);
    println!("server RSS {before:.0} MB before the attack, {after:.0} MB after");
    assert!(
        after - before < 50.0,
        "memory grew by {:.0} MB",
        after - before
    );
    let (answered, worst) = watcher.await.unwrap();
    println!("another service's /api/me meanwhile: {answered} answers, worst {worst:?}");
    assert!(answered > 5);
    assert!(worst < Duration::from_millis(500), "{worst:?}");
}

#[tokio::test]
async fn a_device_gets_one_sync_at_a_time_and_a_flood_gets_429_with_retry_after() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut carer = Device::enrol(&server, "carer.wgk.1").await;
    carer.sync(&server).await.ok().unwrap();
    let mut other = Device::enrol(&server, "carer.wgk.2").await;
    let body = SyncRequest::new(vec![]).encode().unwrap();
    let sends = (0..90).map(|_| {
        let (url, token, body) = (
            server.url("/api/sync"),
            carer.session.token.clone(),
            body.clone(),
        );
        async move {
            let resp = http()
                .post(url)
                .bearer_auth(token)
                .body(body)
                .send()
                .await
                .unwrap();
            let retry = resp.headers().get("retry-after").is_some();
            let status = resp.status();
            let code = resp.json::<Value>().await.ok().map(|v| v["code"].clone());
            (status, retry, code)
        }
    });
    let answers = futures_util::future::join_all(sends).await;
    let ok = answers.iter().filter(|a| a.0 == StatusCode::OK).count();
    let limited: Vec<_> = answers
        .iter()
        .filter(|a| a.0 == StatusCode::TOO_MANY_REQUESTS)
        .collect();
    println!(
        "90 parallel syncs of one device: {ok} answered, {} refused",
        limited.len()
    );
    assert_eq!(ok + limited.len(), 90, "nothing else: {answers:?}");
    assert!(limited.len() >= 30, "the burst is bounded");
    assert!(limited.iter().all(|a| a.1), "every 429 says when to retry");
    // One after the other, faster than any app: the rate runs out, with Retry-After.
    let mut rate_limited = 0;
    for _ in 0..80 {
        let resp = http()
            .post(server.url("/api/sync"))
            .bearer_auth(&carer.session.token)
            .body(body.clone())
            .send()
            .await
            .unwrap();
        if resp.status() == StatusCode::TOO_MANY_REQUESTS {
            assert!(resp.headers().get("retry-after").is_some());
            let answer: Value = resp.json().await.unwrap();
            assert_eq!(answer["code"], "rate_limited");
            rate_limited += 1;
        }
    }
    println!("80 syncs in a row from one device: {rate_limited} refused");
    assert!(rate_limited >= 10);
    // Another device of the same service is not slowed.
    other.sync(&server).await.ok().unwrap();

    // One event stream per device: a second one ends the first.
    let first = http()
        .get(server.url("/api/events"))
        .bearer_auth(&other.session.token)
        .send()
        .await
        .unwrap();
    let mut first = first.bytes_stream();
    let mut buf = String::new();
    next_event(&mut first, &mut buf, "ready").await;
    let second = http()
        .get(server.url("/api/events"))
        .bearer_auth(&other.session.token)
        .send()
        .await
        .unwrap();
    assert_eq!(second.status(), StatusCode::OK);
    let ended = tokio::time::timeout(Duration::from_secs(5), async {
        use futures_util::StreamExt;
        while let Some(chunk) = first.next().await {
            if chunk.is_err() {
                break;
            }
        }
    })
    .await;
    assert!(ended.is_ok(), "the older stream ended");
    drop(second);
    server.stop().await;
}

#[tokio::test]
async fn a_volunteer_takes_at_most_two_rounds_and_the_coordinator_assigns_more() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let coordinator = login(&server, "coordinator").await;
    // A campaign over all safes gives many free rounds.
    let (status, body) = post_body(
        &server,
        &coordinator.token,
        "/api/admin/campaigns",
        &json!({"name": "Alles", "selection": {"kind": "all"}}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let volunteer = login(&server, "volunteer.2").await;
    let (_, rounds) = get_json(&server, &volunteer.token, "/api/rounds").await;
    let free: Vec<String> = rounds["available"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert!(free.len() >= 28, "{} free rounds", free.len());
    let take = |id: &String| {
        let path = format!("/api/rounds/{id}/take");
        let (server, token) = (&server, volunteer.token.clone());
        async move { post_json(server, &token, &path).await }
    };
    assert_eq!(take(&free[0]).await.0, StatusCode::OK);
    assert_eq!(take(&free[1]).await.0, StatusCode::OK);
    let (status, body) = take(&free[2]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["code"], "round_limit");
    // Taken in parallel, the limit holds too.
    let rest = futures_util::future::join_all(free[3..13].iter().map(take)).await;
    assert!(rest.iter().all(|(s, _)| *s == StatusCode::CONFLICT));
    let (_, mine) = get_json(&server, &volunteer.token, "/api/rounds").await;
    assert_eq!(mine["mine"].as_array().unwrap().len(), 2);

    let (status, _) = post_body(
        &server,
        &coordinator.token,
        &format!("/api/admin/rounds/{}/assign", free[2]),
        &json!({"volunteer_id": volunteer.person_id}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "the coordinator may give a third");
    let kinds = |kind: &str| {
        count(
            dir.path(),
            &format!("SELECT COUNT(*) FROM audit_events WHERE kind = '{kind}'"),
        )
    };
    assert_eq!(kinds("round_taken"), 2);
    assert_eq!(kinds("round_assigned"), 1);
    server.stop().await;
}

#[tokio::test]
async fn parallel_wrong_passwords_verify_at_most_five_and_nobody_is_locked_out() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_with(dir.path(), |s| s.login_attempts_per_ip = 30).await;
    login(&server, "coordinator").await;
    let guess = |password: &'static str, login: &'static str| {
        let url = server.url("/api/login");
        async move {
            let resp = http()
                .post(url)
                .json(&json!({"login": login, "password": password}))
                .send()
                .await
                .unwrap();
            let retry: Option<u64> = resp
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok()?.parse().ok());
            (resp.status(), retry)
        }
    };
    let t = Instant::now();
    let answers =
        futures_util::future::join_all((0..40).map(|_| guess("wrong-password", "carer.wgk.1")))
            .await;
    let verified = answers
        .iter()
        .filter(|a| a.0 == StatusCode::UNAUTHORIZED)
        .count();
    let delayed = answers
        .iter()
        .filter(|a| a.0 == StatusCode::TOO_MANY_REQUESTS)
        .count();
    println!(
        "40 parallel wrong passwords: {verified} verified, {delayed} told to wait, in {:?}",
        t.elapsed()
    );
    assert_eq!(verified, 5, "the limit is reserved before the slow check");
    assert_eq!(delayed, 35);
    let wait = answers.iter().filter_map(|a| a.1).max().unwrap();
    assert!(wait <= 2, "a delay, not a lock: {wait} s");

    // Someone else behind the same address signs in at once.
    assert_eq!(guess(PASSWORD, "carer.wgk.2").await.0, StatusCode::OK);
    // The real user, after the delay.
    tokio::time::sleep(Duration::from_secs(wait)).await;
    let (status, _) = guess(PASSWORD, "carer.wgk.1").await;
    assert_eq!(status, StatusCode::OK);
    server.stop().await;
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_address_counts_apart() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_with(dir.path(), |s| {
        s.login_attempts_per_ip = 3;
        s.set("trusted_proxies", "127.0.0.1").unwrap();
    })
    .await;
    login(&server, "coordinator").await;
    let attempt = |login: &str, from: &str| {
        http()
            .post(server.url("/api/login"))
            .header("x-forwarded-for", from)
            .json(&json!({"login": login, "password": "wrong"}))
            .send()
    };
    for name in ["a", "b", "c"] {
        let status = attempt(name, "203.0.113.5").await.unwrap().status();
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    // The fourth failure from that address waits, whichever account.
    let status = attempt("d", "203.0.113.5").await.unwrap().status();
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    // Another client of the same proxy does not.
    let status = attempt("d", "198.51.100.1").await.unwrap().status();
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    server.stop().await;
}

#[tokio::test]
async fn tokens_rotate_at_every_sync_and_a_copied_token_revokes_the_device() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_with(dir.path(), |s| {
        s.token_grace = Duration::from_millis(500);
    })
    .await;
    let mut carer = Device::enrol(&server, "carer.wgk.1").await;
    let t0 = carer.session.token.clone();
    carer.sync(&server).await.ok().unwrap();
    let t1 = carer.session.token.clone();
    assert_ne!(t0, t1, "the sync handed over a successor");

    // A reply that never arrived: its successor goes unused, the phone goes on with t1.
    let body = SyncRequest::new(vec![]).encode().unwrap();
    let lost = http()
        .post(server.url("/api/sync"))
        .bearer_auth(&t1)
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(lost.status(), StatusCode::OK);
    let lost_successor = lost.headers()[kluis_domain::sync::NEXT_TOKEN_HEADER]
        .to_str()
        .unwrap()
        .to_string();
    carer.sync(&server).await.ok().unwrap();
    let t2 = carer.session.token.clone();
    assert_ne!(t2, lost_successor);
    let (status, _) = get_json(&server, &lost_successor, "/api/me").await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "a replaced successor is void"
    );
    carer.sync(&server).await.ok().unwrap();

    // Within the grace a superseded token still answers (a request under way)...
    let (status, _) = get_json(&server, &t2, "/api/me").await;
    assert_eq!(status, StatusCode::OK);
    // ...after it, the old token is a copy of the phone's store in other hands.
    tokio::time::sleep(Duration::from_millis(700)).await;
    let (status, body) = get_json(&server, &t1, "/api/me").await;
    assert_eq!(status, StatusCode::GONE, "{body}");
    assert_eq!(body["reason"], "device_revoked");
    // The honest phone is signed out too: the coordinator sees why.
    let (status, _) = get_json(&server, &carer.session.token, "/api/me").await;
    assert_eq!(status, StatusCode::GONE);
    assert_eq!(
        count(
            dir.path(),
            "SELECT COUNT(*) FROM audit_events WHERE kind = 'token_reuse'"
        ),
        1
    );
    server.stop().await;
}

#[tokio::test]
async fn sessions_end_at_a_fixed_time_by_role_which_no_sync_extends() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let login_at = |name: &'static str| {
        let url = server.url("/api/login");
        async move {
            let body: Value = http()
                .post(url)
                .json(&json!({"login": name, "password": PASSWORD}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            body
        }
    };
    let now = kluis_sync_server::state::now().millis();
    let desk = login_at("coordinator").await;
    let phone = login_at("carer.wgk.1").await;
    let hours = |body: &Value| (body["session_ends_at"].as_i64().unwrap() - now) as f64 / 3.6e6;
    assert!((hours(&desk) - 12.0).abs() < 0.1, "{}", hours(&desk));
    assert!((hours(&phone) - 90.0 * 24.0).abs() < 0.1);

    let mut carer = Device::enrol(&server, "carer.wgk.2").await;
    let ends = |d: &Device| {
        sql(dir.path(), |c| {
            c.query_row(
                "SELECT expires_at FROM sessions WHERE token_hash = ?1",
                [kluis_crypto::token_hash(&d.session.token)],
                |r| r.get::<_, i64>(0),
            )
            .unwrap()
        })
    };
    let first = ends(&carer);
    carer.sync(&server).await.ok().unwrap();
    carer.sync(&server).await.ok().unwrap();
    assert_eq!(
        ends(&carer),
        first,
        "the successor ends when the sign-in ends"
    );
    // Past its end the token is refused.
    sql(dir.path(), |c| {
        c.execute("UPDATE sessions SET expires_at = 1", []).unwrap()
    });
    let (status, _) = get_json(&server, &carer.session.token, "/api/me").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    server.stop().await;
}

/// The pending codes of `round`, opened with the server key.
fn pending_of(dir: &std::path::Path, round: &str) -> Vec<(String, String)> {
    let all = codes(dir);
    let pending: Vec<(String, String)> = sql(dir, |c| {
        let mut stmt = c
            .prepare(
                "SELECT i.safe_id, i.pending_code_id FROM campaign_items i WHERE i.round_id = ?1 AND i.status = 'open' ORDER BY i.safe_id",
            )
            .unwrap();
        stmt.query_map([round], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    });
    pending
        .into_iter()
        .map(|(safe, _)| {
            let value = all
                .iter()
                .find(|c| {
                    c.safe.to_string() == safe && c.state == kluis_domain::model::CodeState::Pending
                })
                .unwrap()
                .value
                .to_string();
            (safe, value)
        })
        .collect()
}

fn current_codes(dir: &std::path::Path) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = codes(dir)
        .into_iter()
        .filter(|c| c.state == kluis_domain::model::CodeState::Current)
        .map(|c| (c.safe.to_string(), c.value.to_string()))
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn revoking_a_round_holder_gives_the_round_new_pending_codes() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let coordinator = login(&server, "coordinator").await;
    let mut holder = Device::enrol(&server, "volunteer.1").await;
    holder.sync(&server).await.ok().unwrap();
    let round = rounds_of(&holder).rounds.keys().next().unwrap().to_string();
    let seen: Vec<(String, String)> = rounds_of(&holder)
        .rounds
        .values()
        .next()
        .unwrap()
        .items
        .iter()
        .map(|(s, i)| (s.to_string(), i.new_code.to_string()))
        .collect();
    assert_eq!(pending_of(dir.path(), &round), seen);
    let carers_before = current_codes(dir.path());

    // A lost phone: the person keeps the round, its codes are replaced.
    let (status, _) = post_json(
        &server,
        &coordinator.token,
        &format!("/api/admin/devices/{}/revoke", holder.session.device),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let after_device = pending_of(dir.path(), &round);
    assert_eq!(after_device.len(), seen.len());
    for ((safe, old), (_, new)) in seen.iter().zip(&after_device) {
        assert_ne!(old, new, "safe {safe} got a new pending code");
    }
    let mut phone = Device::enrol(&server, "volunteer.1").await;
    phone.sync(&server).await.ok().unwrap();
    let on_new_phone: Vec<(String, String)> = rounds_of(&phone)
        .rounds
        .values()
        .next()
        .unwrap()
        .items
        .iter()
        .map(|(s, i)| (s.to_string(), i.new_code.to_string()))
        .collect();
    assert_eq!(on_new_phone, after_device);

    // The person leaves: the round is free again, with codes nobody has seen.
    let (status, _) = post_json(
        &server,
        &coordinator.token,
        &format!("/api/admin/people/{}/revoke", holder.session.person_id),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let after_person = pending_of(dir.path(), &round);
    for ((_, old), (_, new)) in after_device.iter().zip(&after_person) {
        assert_ne!(old, new);
    }
    let free: Option<String> = sql(dir.path(), |c| {
        c.query_row(
            "SELECT volunteer_id FROM rounds WHERE id = ?1",
            [&round],
            |r| r.get(0),
        )
        .unwrap()
    });
    assert_eq!(free, None);
    assert_eq!(
        current_codes(dir.path()),
        carers_before,
        "carers' codes untouched"
    );
    let retired_pending = count(
        dir.path(),
        "SELECT COUNT(*) FROM codes WHERE state = 'retired' AND activated_at IS NULL",
    );
    assert_eq!(retired_pending as usize, 2 * seen.len());
    server.stop().await;
}

#[tokio::test]
async fn every_answer_carries_the_browser_security_headers_and_api_answers_are_not_stored() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let carer = login(&server, "carer.wgk.1").await;
    for (path, token) in [
        ("/healthz", None),
        ("/api/me", Some(&carer.token)),
        ("/api/nope", None),
    ] {
        let mut req = http().get(server.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await.unwrap();
        let h = resp.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("default-src 'self'"), "{path}: {csp}");
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval'"));
        assert!(!csp.contains("unsafe-inline"));
        assert!(csp.contains("frame-ancestors 'none'"));
        assert_eq!(h["cross-origin-opener-policy"], "same-origin");
        assert!(
            h["permissions-policy"]
                .to_str()
                .unwrap()
                .contains("camera=()")
        );
        if path.starts_with("/api") {
            assert_eq!(h["cache-control"], "no-store", "{path}");
        }
    }
    server.stop().await;
}

/// Every code value a scope document ever held, at any point of its history.
fn codes_in_history(doc: &automerge::AutoCommit) -> std::collections::BTreeSet<String> {
    let mut doc = doc.clone();
    let mut seen = std::collections::BTreeSet::new();
    for change in doc.get_changes(&[]) {
        let at = doc.fork_at(&[change.hash()]).unwrap();
        if let Ok(view) = kluis_domain::schema::read_scope(&at) {
            for safe in view.safes.values() {
                for code in [&safe.code, &safe.previous_code].into_iter().flatten() {
                    seen.insert(code.value.to_string());
                }
            }
        }
    }
    seen
}

#[tokio::test]
async fn a_fresh_phone_holds_no_retired_code_anywhere_in_its_documents_history() {
    let dir = tempfile::tempdir().unwrap();
    let (server, state) = TestServer::start_with_state(dir.path()).await;
    let coordinator = login(&server, "coordinator").await;
    let mut old_phone = Device::enrol(&server, "carer.wgk.1").await;
    old_phone.sync(&server).await.ok().unwrap();
    let safe = *scope_of(&old_phone).safes.keys().next().unwrap();
    let code_of = |d: &Device| {
        scope_of(d).safes[&safe]
            .code
            .as_ref()
            .unwrap()
            .value
            .to_string()
    };
    let mut values = vec![code_of(&old_phone)];
    for _ in 0..2 {
        let (status, body) = post_json(
            &server,
            &coordinator.token,
            &format!("/api/admin/safes/{safe}/rotate"),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        values.push(body["code"].as_str().unwrap().to_string());
        // Past the grace period the previous code retires.
        let later = kluis_sync_server::state::now().plus_days(15);
        kluis_sync_server::run_maintenance(&state, later)
            .await
            .unwrap();
        old_phone.sync(&server).await.ok().unwrap();
    }
    let retired = &values[..2];
    let current = &values[2];
    let state_of = |v: &str| {
        codes(dir.path())
            .into_iter()
            .find(|c| c.safe == safe && c.value.to_string() == v)
            .unwrap()
            .state
    };
    for v in retired {
        assert_eq!(state_of(v), kluis_domain::model::CodeState::Retired);
    }

    let mut fresh = Device::enrol(&server, "carer.wgk.2").await;
    fresh.sync(&server).await.ok().unwrap();
    for phone in [&fresh, &old_phone] {
        let ids: Vec<DocId> = phone.client.doc_ids().cloned().collect();
        assert_eq!(ids.len(), 2, "its scope and its outbox: {ids:?}");
        let scope = doc_id(phone, "scope.").unwrap();
        let history = codes_in_history(phone.client.doc(&scope).unwrap());
        assert!(history.contains(current));
        for v in retired {
            assert!(
                !history.contains(v),
                "a retired code in the history of {scope}"
            );
        }
    }
    server.stop().await;
}
