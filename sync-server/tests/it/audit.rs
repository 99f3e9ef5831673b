//! The audit trail on screen and a revoked person's codes, on the real server: reveals from a
//! phone's outbox are filtered, paged and exported by the server's receive time; a service
//! admin sees only their own carers' reveals; revoking a carer shows the safes they opened,
//! and one call (or the policy) plans their urgent change within 5 working days.

use crate::common::lifecycle::{record, scope_of};
use crate::common::{Device, TestServer, count, get_json, http, login, post_json, send_json};
use kluis_domain::ids::SafeId;
use kluis_domain::schema::DeviceEvent;
use kluis_domain::time::Timestamp;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn reveal(safe: SafeId) -> DeviceEvent {
    // The phone's clock says 2001: the trail orders by when the server had it.
    DeviceEvent::CodeRevealed {
        safe,
        at: Timestamp::from_millis(1_000_000_000_000),
    }
}

fn rows(page: &Value) -> &Vec<Value> {
    page["rows"].as_array().unwrap()
}

/// A carer of Wit-Gele Kruis opens the codes of `n` safes on their phone, which then syncs.
async fn carer_opens(
    server: &TestServer,
    login_name: &str,
    n: usize,
    seed: u64,
) -> (Device, Vec<SafeId>) {
    let mut carer = Device::enrol(server, login_name).await;
    carer.sync(server).await.ok().unwrap();
    let mut safes: Vec<SafeId> = scope_of(&carer).safes.keys().copied().collect();
    safes.sort();
    safes.truncate(n);
    for (i, safe) in safes.iter().enumerate() {
        record(&mut carer, reveal(*safe), seed + i as u64);
    }
    carer.sync(server).await.ok().unwrap();
    (carer, safes)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_trail_is_filtered_paged_and_scoped_to_who_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_on(dir.path(), "2026-12-07").await;
    let coordinator = login(&server, "coordinator").await.token;
    let admin = login(&server, "admin.wgk").await.token;
    let other_admin = login(&server, "admin.imens").await.token;
    let (carer, safes) = carer_opens(&server, "carer.wgk.1", 3, 10).await;
    let person = &carer.session.person_id;

    let q = format!("/api/admin/audit?kind=code_revealed&person={person}");
    let (status, page) = get_json(&server, &coordinator, &q).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["total"], 3);
    assert_eq!(rows(&page).len(), 3);
    let first = &rows(&page)[0];
    assert_eq!(first["organisation"], "Wit-Gele Kruis");
    assert!(first["address"].as_str().unwrap().len() > 3, "{first}");
    assert!(
        first["recorded_at"].as_i64().unwrap() > first["at"].as_i64().unwrap(),
        "the server's time, not the phone's 2001"
    );

    // Pages of one: three pages, each row once, then no next.
    let mut seen = Vec::new();
    let mut next: Option<String> = None;
    for _ in 0..4 {
        let url = match &next {
            Some(c) => format!("{q}&limit=1&before={c}"),
            None => format!("{q}&limit=1"),
        };
        let (_, page) = get_json(&server, &coordinator, &url).await;
        assert_eq!(page["total"], 3);
        seen.extend(rows(&page).iter().map(|r| r["safe_id"].clone()));
        next = page["next"].as_str().map(String::from);
        if next.is_none() {
            break;
        }
    }
    let mut expected: Vec<Value> = safes.iter().map(|s| json!(s.to_string())).collect();
    expected.sort_by_key(|v| v.to_string());
    seen.sort_by_key(|v| v.to_string());
    assert_eq!(seen, expected);

    // One safe; a period after today; a group the kind is not in.
    let (_, page) = get_json(
        &server,
        &coordinator,
        &format!("/api/admin/audit?safe={}", safes[0]),
    )
    .await;
    assert!(
        rows(&page)
            .iter()
            .all(|r| r["safe_id"] == safes[0].to_string().as_str())
    );
    assert!(rows(&page).iter().any(|r| r["kind"] == "code_revealed"));
    let (_, page) = get_json(&server, &coordinator, &format!("{q}&from=2026-12-08")).await;
    assert_eq!(page["total"], 0);
    let (_, page) = get_json(
        &server,
        &coordinator,
        &format!("{q}&from=2026-12-07&to=2026-12-07"),
    )
    .await;
    assert_eq!(page["total"], 3, "both ends of a period are included");
    let (_, page) = get_json(&server, &coordinator, &format!("{q}&group=access")).await;
    assert_eq!(page["total"], 0);
    let (_, page) = get_json(
        &server,
        &coordinator,
        &format!("/api/admin/audit?group=access&person={person}"),
    )
    .await;
    assert!(
        rows(&page).iter().any(|r| r["kind"] == "signed_in"),
        "{page}"
    );

    // A wrong password for a known login is in the trail; an unknown login is not.
    let wrong = http()
        .post(server.url("/api/login"))
        .json(&json!({"login": "carer.wgk.1", "password": "fout", "device_name": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let (_, page) = get_json(
        &server,
        &coordinator,
        &format!("/api/admin/audit?kind=sign_in_failed&person={person}"),
    )
    .await;
    assert_eq!(page["total"], 1);

    // The service admin: their own carers' reveals, and nothing else of the trail.
    let (status, page) = get_json(&server, &admin, "/api/admin/audit").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page["total"].as_u64().unwrap() >= 3);
    assert!(
        rows(&page)
            .iter()
            .all(|r| r["kind"] == "code_revealed" && r["organisation"] == "Wit-Gele Kruis")
    );
    let (_, page) = get_json(&server, &admin, "/api/admin/audit?group=registry").await;
    assert_eq!(page["total"], 0);
    let (_, page) = get_json(&server, &other_admin, &q).await;
    assert_eq!(page["total"], 0, "another service sees none of them");

    for login_name in ["carer.wgk.2", "staff.woningent", "volunteer.1"] {
        let token = login(&server, login_name).await.token;
        for path in ["/api/admin/audit", "/api/admin/audit/export"] {
            let (status, body) = get_json(&server, &token, path).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{login_name} {path}");
            assert!(body.get("rows").is_none());
        }
    }

    // Bad queries: a clear JSON error.
    for bad in [
        "kind=bogus",
        "from=2026-13-01",
        "before=12",
        "from=2026-12-08&to=2026-12-01",
        "limit=-1",
    ] {
        let (status, body) =
            get_json(&server, &coordinator, &format!("/api/admin/audit?{bad}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(body["code"], "bad_request", "{bad}");
    }

    // The export: the same filter, every row at once.
    let (status, all) = get_json(
        &server,
        &coordinator,
        &format!("/api/admin/audit/export?person={person}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(rows(&all).len() as u64, all["total"].as_u64().unwrap());
    assert!(all["next"].is_null());
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_carers_codes_are_listed_and_changed_within_five_working_days() {
    let dir = tempfile::tempdir().unwrap();
    // Monday 7 December 2026: five working days later is Monday the 14th.
    let server = TestServer::start_on(dir.path(), "2026-12-07").await;
    let coordinator = login(&server, "coordinator").await.token;
    let admin = login(&server, "admin.wgk").await.token;
    let other_admin = login(&server, "admin.imens").await.token;
    let (carer, safes) = carer_opens(&server, "carer.wgk.1", 2, 20).await;
    let person = carer.session.person_id.clone();
    let exposure = format!("/api/admin/people/{person}/exposure");
    let change = format!("{exposure}/change");

    let (status, _) = post_json(
        &server,
        &admin,
        &format!("/api/admin/people/{person}/revoke"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, seen) = get_json(&server, &admin, &exposure).await;
    assert_eq!(status, StatusCode::OK, "{seen}");
    assert_eq!(seen["revoked"], true);
    assert_eq!(seen["urgent_due"], "2026-12-14");
    let listed: Vec<&str> = seen["safes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["safe_id"].as_str().unwrap())
        .collect();
    assert_eq!(listed.len(), 2);
    for safe in &safes {
        assert!(listed.contains(&safe.to_string().as_str()));
    }
    assert!(
        seen["safes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["state"] == "open" && s["reveals"] == 1)
    );

    // Who may not: another service (as if the person did not exist), carers, staff, volunteers.
    for path in [&exposure, &change] {
        let (status, body) = if path == &exposure {
            get_json(&server, &other_admin, path).await
        } else {
            post_json(&server, &other_admin, path).await
        };
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(body.get("safes").is_none());
    }
    for login_name in ["carer.wgk.2", "staff.woningent", "volunteer.1"] {
        let token = login(&server, login_name).await.token;
        assert_eq!(
            get_json(&server, &token, &exposure).await.0,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            post_json(&server, &token, &change).await.0,
            StatusCode::FORBIDDEN
        );
    }
    assert_eq!(
        count(
            dir.path(),
            "SELECT COUNT(*) FROM audit_events WHERE kind = 'exposed_code_change'"
        ),
        0,
        "a refused call changed nothing"
    );

    // One call plans both, due in 5 working days, with an audit row per safe.
    let (status, planned) = post_json(&server, &admin, &change).await;
    assert_eq!(status, StatusCode::OK, "{planned}");
    assert_eq!(planned["planned"], 2);
    assert_eq!(planned["due"], "2026-12-14");
    assert_eq!(
        count(
            dir.path(),
            "SELECT COUNT(*) FROM audit_events WHERE kind = 'exposed_code_change'"
        ),
        2
    );
    let (_, seen) = get_json(&server, &coordinator, &exposure).await;
    assert!(
        seen["safes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["state"] == "planned"),
        "{seen}"
    );
    let (_, again) = post_json(&server, &coordinator, &change).await;
    assert_eq!(again["planned"], 0, "pressing twice plans nothing more");
    let (_, due) = get_json(&server, &coordinator, "/api/admin/due").await;
    let due_text = due.to_string();
    for safe in &safes {
        assert!(
            due_text.contains(&safe.to_string()),
            "{safe} in the due list"
        );
    }

    // The policy: revoking plans the change by itself. Only the coordinator sets it.
    let policy = json!({"change_on_revoke": true});
    let (status, _) = send_json(
        &server,
        Method::PUT,
        &admin,
        "/api/admin/revocation-policy",
        &policy,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = send_json(
        &server,
        Method::PUT,
        &coordinator,
        "/api/admin/revocation-policy",
        &policy,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, settings) = get_json(&server, &coordinator, "/api/admin/settings").await;
    assert_eq!(settings["change_on_revoke"], true);
    let (second, second_safes) = carer_opens(&server, "carer.wgk.3", 1, 30).await;
    let (status, _) = post_json(
        &server,
        &coordinator,
        &format!("/api/admin/people/{}/revoke", second.session.person_id),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, seen) = get_json(
        &server,
        &coordinator,
        &format!("/api/admin/people/{}/exposure", second.session.person_id),
    )
    .await;
    let states: Vec<(&str, &str)> = seen["safes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["safe_id"].as_str().unwrap(), s["state"].as_str().unwrap()))
        .collect();
    assert_eq!(states, [(second_safes[0].to_string().as_str(), "planned")]);
    server.stop().await;
}
