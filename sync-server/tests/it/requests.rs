//! A request for a new safe on the real server, from a service admin through the
//! coordinator's approval to the housing company's installation: the safe then stands
//! "installed", its first code is due within 5 working days and the service's carers hold it.
//! Each party sees only its own requests, and nobody else can act on them.

use crate::common;

use crate::common::lifecycle::scope_of;
use crate::common::{Device, TestServer, count, get_json, login, send_json};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn post(server: &TestServer, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    send_json(server, Method::POST, token, path, &body).await
}

fn one(dir: &std::path::Path, query: &str) -> String {
    common::sql(dir, |c| c.query_row(query, [], |r| r.get(0)).unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_requested_safe_is_approved_installed_and_due_for_its_first_code() {
    let dir = tempfile::tempdir().unwrap();
    // Monday 7 December 2026: five working days later is Monday the 14th.
    let server = TestServer::start_on(dir.path(), "2026-12-07").await;
    let coordinator = login(&server, "coordinator").await.token;
    let admin = login(&server, "admin.wgk").await.token;
    let other_admin = login(&server, "admin.imens").await.token;
    let staff = login(&server, "staff.woningent").await.token;
    let other_staff = login(&server, "staff.gentsehaard").await.token;
    let carer = login(&server, "carer.wgk.1").await.token;

    let new_address = json!({"building_id": null, "street": "Meulestedekaai", "numbers": "81",
        "postcode": "9000", "city": "Gent", "apartments": 24,
        "reason": "Drie bewoners krijgen thuisverpleging", "contact": "Conciërge, 09 123 45 67"});
    for token in [&carer, &staff] {
        let (status, _) = post(&server, token, "/api/requests", new_address.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let (status, bad) = post(&server, &admin, "/api/requests", json!({"building_id": null, "street": "Meulestedekaai",
        "numbers": "", "postcode": "9000", "city": "Gent", "apartments": 24, "reason": "x", "contact": ""})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad["problem"]["kind"], "text_length");
    let (status, asked) = post(&server, &admin, "/api/requests", new_address).await;
    assert_eq!(status, StatusCode::OK, "{asked}");
    assert_eq!(asked["status"], "requested");
    assert_eq!(asked["service"], "Wit-Gele Kruis");
    assert_eq!(asked["address"], "Meulestedekaai 81, 9000 Gent");
    let id = asked["id"].as_str().unwrap().to_string();

    // Who sees it: the coordinator and the asking service; no company before the approval.
    let seen = |list: &Value| {
        list.as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == id.as_str())
    };
    let (_, list) = get_json(&server, &coordinator, "/api/requests").await;
    assert!(seen(&list));
    let (_, list) = get_json(&server, &admin, "/api/requests").await;
    assert!(seen(&list));
    for token in [&other_admin, &staff] {
        let (status, list) = get_json(&server, token, "/api/requests").await;
        assert_eq!(status, StatusCode::OK);
        assert!(!seen(&list));
    }
    let (status, _) = get_json(&server, &carer, "/api/requests").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Only the coordinator reviews; an approval of a new address needs its owner and a model.
    let review = format!("/api/requests/{id}/review");
    let model = one(
        dir.path(),
        "SELECT id FROM safe_models WHERE name = 'Supra KeySafe Pro'",
    );
    let woningent = one(
        dir.path(),
        "SELECT id FROM organisations WHERE name = 'WoninGent'",
    );
    let approve =
        json!({"review": "approve", "model_id": model, "owner_id": woningent, "reason": ""});
    for token in [&admin, &staff] {
        let (status, _) = post(&server, token, &review, approve.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let (status, no_owner) = post(
        &server,
        &coordinator,
        &review,
        json!({"review": "approve", "model_id": model, "owner_id": null, "reason": ""}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(no_owner["problem"]["kind"], "unknown_housing_company");
    let buildings = count(dir.path(), "SELECT COUNT(*) FROM buildings");
    let (status, approved) = post(&server, &coordinator, &review, approve.clone()).await;
    assert_eq!(status, StatusCode::OK, "{approved}");
    assert_eq!(approved["status"], "approved");
    assert_eq!(approved["owner"], "WoninGent");
    assert_eq!(approved["model"], "Supra KeySafe Pro");
    assert!(approved["reviewed_at"].is_number());
    assert_eq!(
        count(dir.path(), "SELECT COUNT(*) FROM buildings"),
        buildings + 1,
        "the new address is a building"
    );
    let safe = approved["safe_id"].as_str().unwrap().to_string();
    assert_eq!(
        one(
            dir.path(),
            &format!("SELECT status FROM safes WHERE id = '{safe}'")
        ),
        "requested"
    );
    let (status, twice) = post(&server, &coordinator, &review, approve).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(twice["problem"]["kind"], "request_state");

    // The owning company sees it and hangs it; another company cannot even see it.
    let (_, list) = get_json(&server, &staff, "/api/requests").await;
    assert!(seen(&list));
    let (_, list) = get_json(&server, &other_staff, "/api/requests").await;
    assert!(!seen(&list));
    let install = format!("/api/requests/{id}/installed");
    let hung = json!({"placement": "rechts van de inkomdeur", "installed_on": "2026-12-07"});
    let (status, _) = post(&server, &other_staff, &install, hung.clone()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = post(&server, &admin, &install, hung.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, future) = post(
        &server,
        &staff,
        &install,
        json!({"placement": "", "installed_on": "2026-12-09"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(future["problem"]["kind"], "date_in_future");

    // The service is active there, so its carers get the safe once it hangs.
    let building = approved["building_id"].as_str().unwrap();
    let wgk = one(
        dir.path(),
        "SELECT id FROM organisations WHERE name = 'Wit-Gele Kruis'",
    );
    let (status, _) = send_json(
        &server,
        Method::PUT,
        &coordinator,
        &format!("/api/admin/buildings/{building}/services"),
        &json!({"services": [wgk]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let mut phone = Device::enrol(&server, "carer.wgk.1").await;
    phone.sync(&server).await.ok().unwrap();
    assert!(
        !scope_of(&phone).safes.keys().any(|s| s.to_string() == safe),
        "not while only requested"
    );

    let (status, done) = post(&server, &staff, &install, hung).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["status"], "installed");
    assert!(done["installed_at"].is_number());
    assert_eq!(
        one(
            dir.path(),
            &format!("SELECT status FROM safes WHERE id = '{safe}'")
        ),
        "installed"
    );
    let (_, due) = get_json(&server, &coordinator, "/api/admin/due").await;
    let first = due["this_week"]
        .as_array()
        .unwrap()
        .iter()
        .chain(due["overdue"].as_array().unwrap())
        .chain(due["this_month"].as_array().unwrap())
        .find(|d| d["safe_id"] == safe.as_str())
        .cloned()
        .unwrap_or_else(|| panic!("the new safe is due: {due}"));
    assert_eq!(first["reason"], "first_code");
    assert_eq!(first["due_on"], "2026-12-14");
    phone.sync(&server).await.ok().unwrap();
    assert!(
        scope_of(&phone).safes.keys().any(|s| s.to_string() == safe),
        "the carer holds it"
    );
    let (_, mine) = get_json(&server, &admin, "/api/requests").await;
    let mine = mine
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id.as_str())
        .unwrap()
        .clone();
    assert_eq!(
        mine["status"], "installed",
        "the asking service sees it done"
    );
    for kind in ["safe_requested", "request_reviewed", "request_installed"] {
        assert_eq!(
            count(
                dir.path(),
                &format!("SELECT COUNT(*) FROM audit_events WHERE kind = '{kind}'")
            ),
            1,
            "{kind}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declined_request_says_why_and_a_building_with_a_safe_needs_none() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let coordinator = login(&server, "coordinator").await.token;
    let admin = login(&server, "admin.wgk").await.token;
    let with_safe = one(
        dir.path(),
        "SELECT building_id FROM safes WHERE status = 'active' LIMIT 1",
    );
    let (status, refused) = post(
        &server,
        &admin,
        "/api/requests",
        json!({"building_id": with_safe, "street": "", "numbers": "",
        "postcode": "", "city": "", "apartments": 1, "reason": "Nieuwe bewoner", "contact": ""}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused["problem"]["kind"], "safe_exists");

    let (_, asked) = post(&server, &admin, "/api/requests", json!({"building_id": null, "street": "Dok Noord",
        "numbers": "4", "postcode": "9000", "city": "Gent", "apartments": 2, "reason": "Eén bewoner", "contact": ""})).await;
    let id = asked["id"].as_str().unwrap();
    let review = format!("/api/requests/{id}/review");
    let (status, _) = post(
        &server,
        &coordinator,
        &review,
        json!({"review": "decline", "model_id": null, "owner_id": null, "reason": ""}),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a decline says why"
    );
    let (status, declined) = post(
        &server,
        &coordinator,
        &review,
        json!({"review": "decline", "model_id": null, "owner_id": null,
        "reason": "Twee appartementen: de dienst heeft een sleutel"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(declined["status"], "declined");
    let (_, list) = get_json(&server, &admin, "/api/requests").await;
    let mine = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap()
        .clone();
    assert_eq!(
        mine["decline_reason"],
        "Twee appartementen: de dienst heeft een sleutel"
    );
    let (status, _) = post(
        &server,
        &coordinator,
        &format!("/api/requests/{id}/installed"),
        json!({"placement": "", "installed_on": "2026-01-05"}),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a declined request is not installed"
    );
}
