//! The real sync server on 127.0.0.1:0 with the demo registry: sign-in, enrolment, scoped
//! sync, isolation between services, revocation, restart, and codes at rest.

use std::collections::BTreeSet;

use crate::common::*;
use kluis_domain::ids::{EventId, SafeId};
use kluis_domain::rng::SeededRandom;
use kluis_domain::schema::{DeviceEvent, append_device_event, read_scope};
use kluis_domain::sync::{ClientEvent, DocId, DocMessage, SyncRequest};
use kluis_domain::time::Timestamp;
use reqwest::StatusCode;
use serde_json::json;

const WGK: &str = "Wit-Gele Kruis";

fn scope_doc(device: &Device) -> DocId {
    device
        .client
        .doc_ids()
        .find(|d| d.to_string().starts_with("scope."))
        .cloned()
        .expect("a scope document")
}

fn safe_ids(device: &Device) -> BTreeSet<String> {
    let doc = device.client.doc(&scope_doc(device)).unwrap();
    read_scope(doc)
        .unwrap()
        .safes
        .keys()
        .map(|s| s.to_string())
        .collect()
}

#[tokio::test]
async fn carer_gets_exactly_their_services_safes_with_the_servers_codes() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut carer = Device::enrol(&server, "carer.wgk.1").await;
    let outcome = carer.sync(&server).await.ok().unwrap();
    assert_eq!(outcome.rounds, 1, "a first sync is one round trip");
    assert!(
        outcome
            .events
            .iter()
            .any(|e| matches!(e, ClientEvent::Synced { .. }))
    );

    let expected: BTreeSet<String> = expected_scope(dir.path(), WGK).into_iter().collect();
    assert!(
        expected.len() > 50,
        "the demo gives Wit-Gele Kruis a real scope"
    );
    assert_eq!(safe_ids(&carer), expected);
    assert_eq!(
        carer.client.doc_ids().count(),
        2,
        "its scope and its own outbox, nothing else"
    );

    // The codes on the phone are the codes the server holds.
    let coordinator = login(&server, "coordinator").await;
    let view = read_scope(carer.client.doc(&scope_doc(&carer)).unwrap()).unwrap();
    for (id, safe) in view.safes.iter().take(15) {
        let (status, body) = get_json(
            &server,
            &coordinator.token,
            &format!("/api/admin/safes/{id}/code"),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            safe.code.as_ref().map(|c| c.value.to_string()),
            body["code"].as_str().map(String::from)
        );
    }
    server.stop().await;
}

#[tokio::test]
async fn a_carer_of_one_service_never_receives_another_services_data() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut a = Device::enrol(&server, "carer.wgk.1").await;
    let mut b = Device::enrol(&server, "carer.wgc.1").await;
    a.sync(&server).await.ok().unwrap();
    b.sync(&server).await.ok().unwrap();

    let only_b: BTreeSet<String> = safe_ids(&b).difference(&safe_ids(&a)).cloned().collect();
    assert!(
        !only_b.is_empty(),
        "the demo has safes only the other service sees"
    );
    assert!(safe_ids(&a).is_disjoint(&only_b));

    // Asking for the other service's scope by name gets nothing for it.
    let b_scope = scope_doc(&b);
    let crafted = SyncRequest::new(vec![DocMessage {
        doc: b_scope.clone(),
        message: Some(vec![0x42, 0, 0, 0]),
        snapshot: None,
    }]);
    let resp = http()
        .post(server.url("/api/sync"))
        .bearer_auth(&a.session.token)
        .body(crafted.encode().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let reply = kluis_domain::sync::SyncReply::decode(&resp.bytes().await.unwrap()).unwrap();
    let kluis_domain::sync::SyncReply::Docs { keep, docs, .. } = reply else {
        panic!("not revoked")
    };
    assert!(!keep.contains(&b_scope));
    assert!(docs.iter().all(|d| d.doc != b_scope));
    server.stop().await;
}

#[tokio::test]
async fn revoking_a_device_sends_zero_bytes_of_safe_data_and_a_wipe() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut carer = Device::enrol(&server, "carer.wgk.2").await;
    carer.sync(&server).await.ok().unwrap();
    let mut other = Device::enrol(&server, "carer.wgk.3").await;

    let coordinator = login(&server, "coordinator").await;
    let (status, body) = post_json(
        &server,
        &coordinator.token,
        &format!("/api/admin/devices/{}/revoke", carer.session.device),
    )
    .await;
    assert_eq!(
        (status, body["revoked"].as_bool()),
        (StatusCode::OK, Some(true))
    );

    // Its token was let in by the sync a moment ago (`admit`): the sync's own lookup with the
    // database refuses it.
    match carer.sync(&server).await {
        Err(SyncError::Http(status, body)) => {
            assert_eq!(status, StatusCode::GONE);
            assert_eq!(body["code"], "wipe");
            assert_eq!(body["wipe"], true);
            assert_eq!(body["reason"], "device_revoked");
            assert!(
                body.to_string().len() < 200,
                "no safe data in a wipe answer"
            );
        }
        Ok(_) => panic!("a revoked device synced"),
    }
    // The old token stays dead on every endpoint.
    let (status, body) = get_json(&server, &carer.session.token, "/api/me").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::GONE, Some("wipe"))
    );
    // Another device of the same service is untouched.
    other.sync(&server).await.ok().unwrap();

    // A service admin may not revoke outside their own service.
    let admin = login(&server, "admin.imens").await;
    let (status, _) = post_json(
        &server,
        &admin.token,
        &format!("/api/admin/devices/{}/revoke", other.session.device),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    other.sync(&server).await.ok().unwrap();
    server.stop().await;
}

#[tokio::test]
async fn revoking_a_person_with_the_admin_command_wipes_their_devices_and_blocks_login() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut carer = Device::enrol(&server, "carer.imens.1").await;
    carer.sync(&server).await.ok().unwrap();

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sync-server"))
        .args(["admin", "--data"])
        .arg(dir.path())
        .args(["revoke-person", "carer.imens.1"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    match carer.sync(&server).await {
        Err(SyncError::Http(StatusCode::GONE, body)) => {
            assert_eq!(body["reason"], "person_revoked")
        }
        _ => panic!("a revoked person synced"),
    }
    let resp = http()
        .post(server.url("/api/login"))
        .json(&json!({"login": "carer.imens.1", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    server.stop().await;
}

#[tokio::test]
async fn unknown_login_and_wrong_password_look_the_same_and_guessing_is_limited() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let attempt = |login: &'static str, password: &'static str| {
        let url = server.url("/api/login");
        async move {
            let resp = http()
                .post(url)
                .json(&json!({"login": login, "password": password}))
                .send()
                .await
                .unwrap();
            let status = resp.status();
            let retry = resp
                .headers()
                .get("retry-after")
                .map(|v| v.to_str().unwrap().to_string());
            (
                status,
                resp.json::<serde_json::Value>().await.unwrap(),
                retry,
            )
        }
    };
    let (s1, b1, _) = attempt("nobody.here", "whatever").await;
    let (s2, b2, _) = attempt("carer.wgk.4", "wrong-password").await;
    assert_eq!(
        (s1, s2),
        (StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED)
    );
    assert_eq!(b1, b2, "same answer for unknown login and wrong password");
    for _ in 0..4 {
        attempt("carer.wgk.4", "wrong-password").await;
    }
    let (status, body, retry) = attempt("carer.wgk.4", PASSWORD).await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits: {body}"
    );
    assert!(retry.is_some());
    server.stop().await;
}

#[tokio::test]
async fn a_changed_code_reaches_the_carer_and_everything_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut carer = Device::enrol(&server, "carer.wgk.1").await;
    carer.sync(&server).await.ok().unwrap();
    let coordinator = login(&server, "coordinator").await;
    let safe: SafeId = safe_ids(&carer).iter().next().unwrap().parse().unwrap();
    let before = read_scope(carer.client.doc(&scope_doc(&carer)).unwrap())
        .unwrap()
        .safes[&safe]
        .code
        .clone()
        .unwrap();

    let (status, body) = post_json(
        &server,
        &coordinator.token,
        &format!("/api/admin/safes/{safe}/rotate"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let new_code = body["code"].as_str().unwrap().to_string();
    assert_ne!(new_code, before.value.to_string());

    let outcome = carer.sync(&server).await.ok().unwrap();
    assert_eq!(outcome.rounds, 1);
    assert!(
        outcome.bytes_down < 2_000,
        "one changed code is a small change, not the registry: {} bytes",
        outcome.bytes_down
    );
    let view = read_scope(carer.client.doc(&scope_doc(&carer)).unwrap()).unwrap();
    assert_eq!(
        view.safes[&safe].code.as_ref().unwrap().value.to_string(),
        new_code
    );
    assert_eq!(
        view.safes[&safe].previous_code.as_ref().unwrap().value,
        before.value,
        "vorige code during the grace period"
    );

    // The carer reveals a code; the outbox reaches the audit trail once, however often it syncs.
    let mut rng = SeededRandom::new(3);
    let device = carer.session.device;
    let outbox = DocId::device(device);
    append_device_event(
        carer.client.doc_mut(&outbox),
        device,
        EventId::random(&mut rng),
        &DeviceEvent::CodeRevealed {
            safe,
            at: Timestamp::from_millis(1_700_000_000_000),
        },
        Timestamp::from_millis(1_700_000_000_000),
    )
    .unwrap();
    carer.sync(&server).await.ok().unwrap();
    carer.sync(&server).await.ok().unwrap();
    let reveals = || {
        sql(dir.path(), |c| {
            c.query_row(
                "SELECT COUNT(*) FROM audit_events WHERE kind = 'code_revealed'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .unwrap()
        })
    };
    assert_eq!(reveals(), 1);

    server.stop().await;
    let server = TestServer::start(dir.path()).await;
    let outcome = carer.sync(&server).await.ok().unwrap();
    assert_eq!(outcome.rounds, 1);
    assert!(
        !outcome
            .events
            .iter()
            .any(|e| matches!(e, ClientEvent::DocChanged(_) | ClientEvent::DocLoaded(_))),
        "nothing new after a restart: {:?}",
        outcome.events
    );
    let (_, body) = get_json(
        &server,
        &coordinator.token,
        &format!("/api/admin/safes/{safe}/code"),
    )
    .await;
    assert_eq!(
        body["code"].as_str(),
        Some(new_code.as_str()),
        "the old session and the code survive a restart"
    );
    assert_eq!(reveals(), 1);
    server.stop().await;
}

#[tokio::test]
async fn a_reveal_of_a_safe_outside_the_scope_is_refused_and_counts_as_no_reveal() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut a = Device::enrol(&server, "carer.wgk.1").await;
    let mut b = Device::enrol(&server, "carer.wgc.1").await;
    a.sync(&server).await.ok().unwrap();
    b.sync(&server).await.ok().unwrap();
    let foreign: SafeId = safe_ids(&b)
        .difference(&safe_ids(&a))
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let device = a.session.device;
    let mut rng = SeededRandom::new(9);
    append_device_event(
        a.client.doc_mut(&DocId::device(device)),
        device,
        EventId::random(&mut rng),
        &DeviceEvent::CodeRevealed {
            safe: foreign,
            at: Timestamp::from_millis(1),
        },
        Timestamp::from_millis(1),
    )
    .unwrap();
    a.sync(&server).await.ok().unwrap();
    let kinds: Vec<(String, String)> = sql(dir.path(), |c| {
        let mut stmt = c
            .prepare("SELECT kind, detail FROM audit_events WHERE device_id = ?1 AND kind != 'signed_in'")
            .unwrap();
        stmt.query_map([device.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    });
    assert_eq!(
        kinds,
        [(
            "event_refused".to_string(),
            "code_revealed: outside_scope".to_string()
        )],
        "recorded as refused, not as a reveal"
    );
    server.stop().await;
}
