//! Attacks on access against the real server: a volunteer collecting rounds, a burst of
//! parallel password guesses, a proxy's clients, a copied token, sessions that must end, codes
//! left behind by a revocation, and the headers a browser gets.

use std::time::{Duration, Instant};

use crate::common::lifecycle::*;
use crate::common::*;
use kluis_domain::sync::SyncRequest;
use reqwest::StatusCode;
use serde_json::{Value, json};

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
async fn tokens_rotate_once_old_and_a_copied_token_revokes_the_device() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_with(dir.path(), |s| {
        s.token_grace = Duration::from_millis(500);
    })
    .await;
    let rotate_after = 10 * 60_000;
    let mut carer = Device::enrol(&server, "carer.wgk.1").await;
    let t0 = carer.session.token.clone();
    carer.sync(&server).await.ok().unwrap();
    assert_eq!(carer.session.token, t0, "a fresh token is kept");
    server.clock.advance_millis(rotate_after);
    carer.sync(&server).await.ok().unwrap();
    let t1 = carer.session.token.clone();
    assert_ne!(t0, t1, "a token this old is handed a successor");

    // A reply that never arrived: its successor goes unused, the phone goes on with t1.
    server.clock.advance_millis(rotate_after);
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
    server.clock.advance_millis(rotate_after);
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
    let now = server.clock.now().millis();
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
    let token = carer.session.token.clone();
    for _ in 0..2 {
        server.clock.advance_millis(10 * 60_000);
        carer.sync(&server).await.ok().unwrap();
    }
    assert_ne!(carer.session.token, token, "the token was rotated");
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
