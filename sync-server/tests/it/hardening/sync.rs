//! Attacks on the sync path against the real server: hostile Bloom filters from every role
//! (a separate server process, so its memory is its own), a device flooding the server, and
//! codes that must not stay in a fresh phone's document history.

use std::time::{Duration, Instant};

use crate::common::lifecycle::*;
use crate::common::process::ServerProcess;
use crate::common::*;
use kluis_domain::sync::{DocId, DocMessage, SyncRequest};
use reqwest::StatusCode;
use serde_json::Value;

use crate::wire::with_filters as filters;

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
    // A process of its own, so its memory is its own.
    let process = ServerProcess::start(dir.path(), &["--demo"], &[], None);
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
        // A desk session lasts hours and the clock moves on by weeks: sign in each time.
        let coordinator = login(&server, "coordinator").await;
        let (status, body) = post_json(
            &server,
            &coordinator.token,
            &format!("/api/admin/safes/{safe}/rotate"),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        values.push(body["code"].as_str().unwrap().to_string());
        // Past the grace period the previous code retires.
        assert!(server.clock.advance_days(15));
        kluis_sync_server::run_maintenance(&state, state.now())
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
