//! The coordinator's settings against the real server: read, change (validated, audited,
//! all or nothing), closing days that move working-day deadlines, and who may touch them.

use crate::common::*;
use kluis_domain::calendar::WorkingCalendar;
use kluis_domain::time::Date;

use reqwest::StatusCode;
use serde_json::{Value, json};

async fn put_json(server: &TestServer, token: &str, path: &str, body: &str) -> (StatusCode, Value) {
    let resp = http()
        .put(server.url(path))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

async fn delete(server: &TestServer, token: &str, path: &str) -> StatusCode {
    http()
        .delete(server.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn the_coordinator_reads_and_changes_the_settings_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let coordinator = login(&server, "coordinator").await;

    let (status, body) = get_json(&server, &coordinator.token, "/api/admin/settings").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["quarantine_days"], 30);
    assert_eq!(body["max_round_size"], 12);
    assert_eq!(body["reserve_per_model"], 2);
    assert_eq!(body["max_rounds_per_volunteer"], 2);
    assert_eq!(body["grace_days"], 14);
    assert_eq!(body["idle_lock_secs"], 120);
    assert_eq!(body["lease_hours"], 72);
    assert_eq!(body["closing_days"], json!([]));

    let (status, body) = put_json(
        &server,
        &coordinator.token,
        "/api/admin/settings",
        r#"{"quarantine_days": 45, "max_round_size": 8, "reserve_per_model": 3, "max_rounds_per_volunteer": 4}"#,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["max_rounds_per_volunteer"], 4);
    assert_eq!(body["quarantine_days"], 45);
    let (_, body) = get_json(&server, &coordinator.token, "/api/admin/settings").await;
    assert_eq!(
        (
            &body["quarantine_days"],
            &body["max_round_size"],
            &body["reserve_per_model"]
        ),
        (&json!(45), &json!(8), &json!(3))
    );
    let (_, audit) = get_json(
        &server,
        &coordinator.token,
        "/api/admin/audit?group=registry",
    )
    .await;
    assert!(
        audit["rows"].as_array().unwrap().iter().any(
            |e| e["kind"] == "settings_changed" && e["detail"].as_str().unwrap().contains("45")
        )
    );

    for bad in [
        r#"{"quarantine_days": 400, "max_round_size": 8, "reserve_per_model": 3, "max_rounds_per_volunteer": 2}"#,
        r#"{"quarantine_days": 10, "max_round_size": 0, "reserve_per_model": 3, "max_rounds_per_volunteer": 2}"#,
        r#"{"quarantine_days": 10, "max_round_size": 8, "reserve_per_model": 101, "max_rounds_per_volunteer": 2}"#,
        r#"{"quarantine_days": 10, "max_round_size": 8, "reserve_per_model": 3, "max_rounds_per_volunteer": 0}"#,
        r#"{"quarantine_days": 10, "max_round_size": 8, "reserve_per_model": 3, "max_rounds_per_volunteer": 51}"#,
        r#"{"quarantine_days": 10, "max_round_size": 8, "reserve_per_model": 3}"#,
        r#"{"quarantine_days": -1, "max_round_size": 8, "reserve_per_model": 3, "max_rounds_per_volunteer": 2}"#,
        r#"{"quarantine_days": 10, "max_round_size": 8, "reserve_per_model": 3, "max_rounds_per_volunteer": 2, "grace_days": 1}"#,
        r#"not json"#,
    ] {
        let (status, body) =
            put_json(&server, &coordinator.token, "/api/admin/settings", bad).await;
        assert!(status.is_client_error(), "{bad}: {status}");
        assert!(body["code"].is_string(), "{bad}: a code for the app");
    }
    // Out of range: the setting and its range, for the app to say in its own words.
    let (status, body) = put_json(
        &server,
        &coordinator.token,
        "/api/admin/settings",
        r#"{"quarantine_days": 400, "max_round_size": 8, "reserve_per_model": 3, "max_rounds_per_volunteer": 2}"#,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body["problem"],
        serde_json::json!({"kind": "out_of_range", "setting": "quarantine_days", "min": 0, "max": 365}),
        "{body}"
    );
    let (_, body) = get_json(&server, &coordinator.token, "/api/admin/settings").await;
    assert_eq!(
        body["quarantine_days"], 45,
        "refused changes changed nothing"
    );

    let carer = login(&server, "carer.wgk.1").await;
    let (status, _) = get_json(&server, &carer.token, "/api/admin/settings").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = put_json(
        &server,
        &carer.token,
        "/api/admin/settings",
        r#"{"quarantine_days": 1, "max_round_size": 8, "reserve_per_model": 3, "max_rounds_per_volunteer": 9}"#,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    server.stop().await;
}

#[tokio::test]
async fn a_closing_day_moves_a_leak_deadline_by_a_working_day() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let coordinator = login(&server, "coordinator").await;
    let safes: Vec<String> = sql(dir.path(), |c| {
        let mut stmt = c
            .prepare("SELECT id FROM safes WHERE status = 'active' ORDER BY id LIMIT 2")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    });
    let today = server.clock.today();
    let plain = WorkingCalendar::with_closing_days(Vec::<Date>::new());
    let closed = plain.add_working_days(today, 1);

    let (status, first) = post_json(
        &server,
        &coordinator.token,
        &format!("/api/admin/safes/{}/leaked", safes[0]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(
        first["due_on"],
        plain.add_working_days(today, 5).to_string()
    );

    let (status, body) = post_body(
        &server,
        &coordinator.token,
        "/api/admin/closing-days",
        &json!({"day": closed.to_string(), "label": "Brugse feestdag"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["closing_days"],
        json!([{"day": closed.to_string(), "label": "Brugse feestdag"}])
    );

    let (status, second) = post_json(
        &server,
        &coordinator.token,
        &format!("/api/admin/safes/{}/leaked", safes[1]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{second}");
    let with_closing = WorkingCalendar::with_closing_days([closed]);
    assert_eq!(
        second["due_on"],
        with_closing.add_working_days(today, 5).to_string()
    );
    assert_ne!(
        second["due_on"], first["due_on"],
        "the closing day moved the deadline"
    );

    for bad in [
        json!({"day": "24/12/2030"}),
        json!({"day": "2030-02-30"}),
        json!({"label": "x"}),
    ] {
        let (status, _) =
            post_body(&server, &coordinator.token, "/api/admin/closing-days", &bad).await;
        assert!(status.is_client_error(), "{bad}");
    }
    let path = format!("/api/admin/closing-days/{closed}");
    assert_eq!(
        delete(&server, &coordinator.token, &path).await,
        StatusCode::OK
    );
    assert_eq!(
        delete(&server, &coordinator.token, &path).await,
        StatusCode::NOT_FOUND
    );
    let carer = login(&server, "carer.wgk.1").await;
    assert_eq!(
        delete(&server, &carer.token, &path).await,
        StatusCode::FORBIDDEN
    );
    let (_, body) = get_json(&server, &coordinator.token, "/api/admin/settings").await;
    assert_eq!(body["closing_days"], json!([]));
    server.stop().await;
}

/// The scope a carer's device holds after syncing.
fn scope_settings_of(device: &Device) -> kluis_domain::schema::ScopeSettings {
    let id = device
        .client
        .doc_ids()
        .find(|id| matches!(id.kind(), kluis_domain::sync::DocKind::Scope { .. }))
        .unwrap()
        .clone();
    kluis_domain::schema::read_scope(device.client.doc(&id).unwrap())
        .unwrap()
        .settings
}

#[tokio::test]
async fn device_settings_reach_every_carer_and_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let coordinator = login(&server, "coordinator").await;
    let mut carer = Device::enrol(&server, "carer.wgk.1").await;
    assert!(carer.sync(&server).await.is_ok());
    assert_eq!(scope_settings_of(&carer).idle_lock_secs, 120);

    let (status, body) = put_json(
        &server,
        &coordinator.token,
        "/api/admin/device-settings",
        r#"{"grace_days": 7, "idle_lock_secs": 300, "lease_hours": 48}"#,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        (
            &body["grace_days"],
            &body["idle_lock_secs"],
            &body["lease_hours"]
        ),
        (&json!(7), &json!(300), &json!(48))
    );
    assert!(carer.sync(&server).await.is_ok());
    let got = scope_settings_of(&carer);
    assert_eq!(
        (got.grace_days, got.idle_lock_secs, got.lease_hours),
        (7, 300, 48)
    );

    for bad in [
        r#"{"grace_days": 91, "idle_lock_secs": 300, "lease_hours": 48}"#,
        r#"{"grace_days": 7, "idle_lock_secs": 5, "lease_hours": 48}"#,
        r#"{"grace_days": 7, "idle_lock_secs": 300, "lease_hours": 1000}"#,
        r#"{"grace_days": 7, "idle_lock_secs": 300}"#,
    ] {
        let (status, _) = put_json(
            &server,
            &coordinator.token,
            "/api/admin/device-settings",
            bad,
        )
        .await;
        assert!(status.is_client_error(), "{bad}");
    }
    let carer_token = carer.session.token.clone();
    let (status, _) = put_json(
        &server,
        &carer_token,
        "/api/admin/device-settings",
        r#"{"grace_days": 7, "idle_lock_secs": 300, "lease_hours": 48}"#,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The choice is stored, not only held in memory.
    server.stop().await;
    let server = TestServer::start(dir.path()).await;
    let coordinator = login(&server, "coordinator").await;
    let (_, body) = get_json(&server, &coordinator.token, "/api/admin/settings").await;
    assert_eq!(body["idle_lock_secs"], 300);
    server.stop().await;
}
