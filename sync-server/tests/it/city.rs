//! A real city puts Kluis into service: a server without the demo, the first coordinator from
//! the command line, the registry and the people entered through the API, a carer invited by
//! their service's admin who finds exactly their safe, and every other party kept out.

use crate::common;

use crate::common::lifecycle::scope_of;
use crate::common::{
    Device, SyncError, TestServer, get_json, http, login_with, post_json, send_json,
};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const GOOD: &str = "paard-batterij-nietje";

fn cli(data: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_sync-server"))
        .arg("admin")
        .arg("--data")
        .arg(data)
        .args(args)
        .output()
        .unwrap()
}

/// The activation code in a command's output.
fn printed_code(out: &std::process::Output) -> String {
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .find_map(|l| l.trim().strip_prefix("activation code:"))
        .unwrap_or_else(|| panic!("no code in: {text}"))
        .trim()
        .to_string()
}

async fn activate(server: &TestServer, code: &str, password: &str) -> (StatusCode, Value) {
    let resp = http()
        .post(server.url("/api/activate"))
        .json(&json!({"code": code, "password": password}))
        .send()
        .await
        .unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

async fn post(server: &TestServer, token: &str, path: &str, body: Value) -> Value {
    let (status, answer) = send_json(server, Method::POST, token, path, &body).await;
    assert_eq!(status, StatusCode::OK, "{path}: {answer}");
    answer
}

async fn put(server: &TestServer, token: &str, path: &str, body: Value) -> Value {
    let (status, answer) = send_json(server, Method::PUT, token, path, &body).await;
    assert_eq!(status, StatusCode::OK, "{path}: {answer}");
    answer
}

fn s(v: &Value) -> String {
    v.as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_city_starts_from_an_empty_server_and_a_carer_finds_their_safe() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();

    // First start: the command line creates the coordinator, the server runs without demo.
    let out = cli(
        data,
        &[
            "create-coordinator",
            "--login",
            "els.coordinator",
            "--name",
            "Els Claes",
            "--office",
            "OCMW Gent",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let code = printed_code(&out);
    assert!(String::from_utf8_lossy(&out.stdout).contains("/activate?code="));
    // Only once: a second first coordinator is refused.
    let again = cli(
        data,
        &[
            "create-coordinator",
            "--login",
            "tweede",
            "--name",
            "Tweede",
        ],
    );
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("coordinator exists"));

    let server = TestServer::start_with(data, |s| s.demo = false).await;
    // No password before the activation: the login is refused like an unknown one.
    let resp = http()
        .post(server.url("/api/login"))
        .json(&json!({"login": "els.coordinator", "password": "", "device_name": "pc"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);

    let (status, weak) = activate(&server, &code, "wachtwoord123").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(weak["problem"]["kind"], "weak_password");
    assert_eq!(weak["problem"]["reason"], "common");
    let (status, short) = activate(&server, &code, "kort").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(short["problem"]["reason"], "too_short");
    assert_eq!(short["problem"]["min"], 12);
    // Typed as a person would: lower case, spaces for dashes.
    let typed = code.to_lowercase().replace('-', " ");
    let (status, done) = activate(&server, &typed, GOOD).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["login"], "els.coordinator");
    let (status, used) = activate(&server, &code, "een-ander-lang-wachtwoord").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(used["problem"]["kind"], "activation_code");
    let coord = login_with(&server, "els.coordinator", GOOD).await.token;

    // The registry: a service, a housing company, a model, a building with a safe.
    let service = post(
        &server,
        &coord,
        "/api/admin/organisations",
        json!({
        "kind": "care_service", "name": "Thuiszorg Noord", "contact_person": "Mia",
        "phone": "09 123 45 67", "email": "mia@tzn.be"}),
    )
    .await;
    let other_service = post(&server, &coord, "/api/admin/organisations", json!({
        "kind": "care_service", "name": "Zorg Zuid", "contact_person": "", "phone": "", "email": ""})).await;
    let company = post(&server, &coord, "/api/admin/organisations", json!({
        "kind": "housing_company", "name": "Woonpunt", "contact_person": "", "phone": "", "email": ""})).await;
    let (status, dup) = send_json(&server, Method::POST, &coord, "/api/admin/organisations", &json!({
        "kind": "housing_company", "name": "woonpunt", "contact_person": "", "phone": "", "email": ""})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(dup["problem"]["kind"], "name_taken");
    let model = post(
        &server,
        &coord,
        "/api/admin/models",
        json!({
        "name": "Supra KeySafe Pro", "buttons": "1234567890", "min_len": 4, "max_len": 6,
        "factory_default": null}),
    )
    .await;
    let (status, bad_building) = send_json(
        &server,
        Method::POST,
        &coord,
        "/api/admin/buildings",
        &json!({
        "street": "Sleepstraat", "numbers": "twaalf", "postcode": "9000", "city": "Gent",
        "district": "", "apartments": 12, "owner_id": company["id"]}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_building["problem"]["kind"], "house_numbers");
    let building = post(
        &server,
        &coord,
        "/api/admin/buildings",
        json!({
        "street": "Sleepstraat", "numbers": "10-16", "postcode": "9000", "city": "Gent",
        "district": "Muide", "apartments": 24, "owner_id": company["id"]}),
    )
    .await;
    let bid = s(&building["id"]);
    let with_safe = post(
        &server,
        &coord,
        &format!("/api/admin/buildings/{bid}/safes"),
        json!({
        "model_id": model["id"], "placement": "links van de deur", "status": "installed",
        "installed_on": null}),
    )
    .await;
    let safe_id = s(&with_safe["safes"][0]["id"]);
    assert_eq!(with_safe["safes"][0]["status"], "installed");
    assert!(with_safe["safes"][0]["installed_on"].is_string());
    // Active means "with a Kluis code": not by hand while it is on the factory code.
    let (status, refused) = send_json(&server, Method::PUT, &coord, &format!("/api/admin/safes/{}", with_safe["safes"][0]["id"].as_str().unwrap()), &json!({
        "model_id": model["id"], "placement": "links van de deur", "status": "active", "installed_on": null})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused["problem"]["kind"], "status_change");
    // Installed starts the first-code deadline: it is in the due list.
    let (_, due) = get_json(&server, &coord, "/api/admin/due").await;
    assert!(due.to_string().contains(&safe_id), "{due}");
    let with_service = put(
        &server,
        &coord,
        &format!("/api/admin/buildings/{bid}/services"),
        json!({"services": [service["id"]]}),
    )
    .await;
    assert_eq!(with_service["services"][0]["service"], "Thuiszorg Noord");
    // A building elsewhere that the carer's service does not serve.
    let elsewhere = post(
        &server,
        &coord,
        "/api/admin/buildings",
        json!({
        "street": "Kortrijksesteenweg", "numbers": "200", "postcode": "9000", "city": "Gent",
        "district": "", "apartments": 8, "owner_id": company["id"]}),
    )
    .await;
    let eid = s(&elsewhere["id"]);
    post(
        &server,
        &coord,
        &format!("/api/admin/buildings/{eid}/safes"),
        json!({
        "model_id": model["id"], "placement": "", "status": "installed", "installed_on": null}),
    )
    .await;
    put(
        &server,
        &coord,
        &format!("/api/admin/buildings/{eid}/services"),
        json!({"services": [other_service["id"]]}),
    )
    .await;

    // Every edit is in the building's history, with before and after.
    let (_, history) = get_json(
        &server,
        &coord,
        &format!("/api/admin/buildings/{bid}/history"),
    )
    .await;
    let kinds: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["activity_changed", "safe_added", "building_added"]);
    assert_eq!(history[0]["changes"][0]["after"], "Thuiszorg Noord");
    assert_eq!(history[0]["person"], "Els Claes");

    // The service's admin, invited by the coordinator; then the admin invites a carer.
    let admin_inv = post(
        &server,
        &coord,
        "/api/admin/people",
        json!({
        "org_id": service["id"], "name": "Mia Admin", "login": "mia.admin", "email": "",
        "role": "service_admin", "valid_until": null}),
    )
    .await;
    let (status, _) = activate(&server, &s(&admin_inv["code"]), GOOD).await;
    assert_eq!(status, StatusCode::OK);
    let admin = login_with(&server, "mia.admin", GOOD).await.token;
    let (status, wrong_role) = send_json(
        &server,
        Method::POST,
        &admin,
        "/api/admin/people",
        &json!({
        "org_id": service["id"], "name": "X", "login": "x.admin", "email": "",
        "role": "service_admin", "valid_until": null}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{wrong_role}");
    let carer_inv = post(
        &server,
        &admin,
        "/api/admin/people",
        json!({
        "org_id": service["id"], "name": "Lotte Carer", "login": "lotte", "email": "lotte@tzn.be",
        "role": "carer", "valid_until": null}),
    )
    .await;
    let (status, _) = activate(&server, &s(&carer_inv["code"]), "mijn-eigen-zin-voor-kluis").await;
    assert_eq!(status, StatusCode::OK);
    let mut phone = Device::enrol_with(&server, "lotte", "mijn-eigen-zin-voor-kluis").await;
    phone.sync(&server).await.ok().unwrap();
    let scope = scope_of(&phone);
    assert_eq!(
        scope
            .safes
            .keys()
            .map(|k| k.to_string())
            .collect::<Vec<_>>(),
        vec![safe_id.clone()],
        "exactly the safe of the building where the service is active"
    );
    assert_eq!(scope.safes.values().next().unwrap().street, "Sleepstraat");

    // The admin sees their carer and their service's building, nothing of another service.
    let (_, people) = get_json(&server, &admin, "/api/admin/people").await;
    let logins: Vec<&str> = people
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["login"].as_str().unwrap())
        .collect();
    assert_eq!(logins, ["lotte"]);
    let (_, seen) = get_json(&server, &admin, "/api/admin/buildings").await;
    assert_eq!(seen.as_array().unwrap().len(), 1);
    assert_eq!(seen[0]["id"], bid);

    // Another service's admin: none of it, and cannot act on it.
    let other_inv = post(
        &server,
        &coord,
        "/api/admin/people",
        json!({
        "org_id": other_service["id"], "name": "Zo Admin", "login": "zo.admin", "email": "",
        "role": "service_admin", "valid_until": null}),
    )
    .await;
    activate(&server, &s(&other_inv["code"]), GOOD).await;
    let other = login_with(&server, "zo.admin", GOOD).await.token;
    let (_, theirs) = get_json(&server, &other, "/api/admin/people").await;
    assert_eq!(theirs, json!([]));
    let (_, their_buildings) = get_json(&server, &other, "/api/admin/buildings").await;
    assert!(!their_buildings.to_string().contains(&bid));
    let lotte = s(&carer_inv["person_id"]);
    let edit = json!({"name": "Gekaapt", "email": "", "valid_until": null});
    let (status, _) = send_json(
        &server,
        Method::PUT,
        &other,
        &format!("/api/admin/people/{lotte}"),
        &edit,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    for path in [
        format!("/api/admin/people/{lotte}/invite"),
        format!("/api/admin/people/{lotte}/reactivate"),
        format!("/api/admin/people/{lotte}/revoke"),
    ] {
        let (status, _) = post_json(&server, &other, &path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    let (status, _) = get_json(&server, &other, &format!("/api/admin/buildings/{bid}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = send_json(
        &server,
        Method::POST,
        &other,
        "/api/admin/people",
        &json!({
        "org_id": service["id"], "name": "Indringer", "login": "indringer", "email": "",
        "role": "carer", "valid_until": null}),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Registry edits are the coordinator's: every other role gets 403 and nothing changes.
    let carer_token = login_with(&server, "lotte", "mijn-eigen-zin-voor-kluis")
        .await
        .token;
    let writes = [
        (
            Method::POST,
            "/api/admin/organisations".to_string(),
            json!({"kind": "care_service", "name": "X", "contact_person": "", "phone": "", "email": ""}),
        ),
        (
            Method::POST,
            "/api/admin/models".to_string(),
            json!({"name": "X", "buttons": "123", "min_len": 1, "max_len": 2, "factory_default": null}),
        ),
        (
            Method::POST,
            "/api/admin/buildings".to_string(),
            json!({"street": "X", "numbers": "1", "postcode": "9000", "city": "Gent", "district": "", "apartments": 1, "owner_id": company["id"]}),
        ),
        (
            Method::PUT,
            format!("/api/admin/buildings/{bid}/services"),
            json!({"services": []}),
        ),
        (
            Method::PUT,
            format!("/api/admin/safes/{safe_id}"),
            json!({"model_id": model["id"], "placement": "", "status": "removed", "installed_on": null}),
        ),
    ];
    for token in [&admin, &other, &carer_token] {
        for (method, path, body) in &writes {
            let (status, _) = send_json(&server, method.clone(), token, path, body).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path}");
        }
        let (status, _) = get_json(&server, token, "/api/admin/organisations").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let (status, _) = get_json(&server, &carer_token, "/api/admin/people").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = get_json(&server, &carer_token, "/api/admin/buildings").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    phone.sync(&server).await.ok().unwrap();
    assert_eq!(
        scope_of(&phone).safes.len(),
        1,
        "the refused edits changed nothing"
    );

    // The service leaves the building: the safe leaves the carer's phone.
    put(
        &server,
        &coord,
        &format!("/api/admin/buildings/{bid}/services"),
        json!({"services": []}),
    )
    .await;
    phone.sync(&server).await.ok().unwrap();
    assert!(scope_of(&phone).safes.is_empty());

    // "Valid until" yesterday: the carer's phone is told to wipe at its next contact.
    let yesterday = server.clock.today().add_days(-1).to_string();
    let row = put(
        &server,
        &admin,
        &format!("/api/admin/people/{lotte}"),
        json!({"name": "Lotte Carer", "email": "", "valid_until": yesterday}),
    )
    .await;
    assert_eq!(row["state"], "revoked");
    match phone.sync(&server).await {
        Err(SyncError::Http(StatusCode::GONE, body)) => assert_eq!(body["code"], "wipe"),
        _ => panic!("the phone of an expired account must be told to wipe"),
    }
    let (status, _) = get_json(&server, &carer_token, "/api/me").await;
    assert_eq!(status, StatusCode::GONE);
    let rows = common::count(
        data,
        "SELECT COUNT(*) FROM audit_events WHERE kind = 'access_expired'",
    );
    assert_eq!(rows, 1);

    server.stop().await;

    // The demo refuses this city's database.
    let refused = kluis_sync_server::prepare(
        kluis_sync_server::Settings {
            data_dir: data.to_path_buf(),
            demo: true,
            ..Default::default()
        },
        kluis_sync_server::Clock::system(),
    );
    assert!(matches!(
        refused,
        Err(kluis_sync_server::ServerError::Config(_))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_activation_code_expires_after_72_hours_and_a_new_one_replaces_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let out = cli(
        data,
        &["create-coordinator", "--login", "coord", "--name", "Coco"],
    );
    let first = printed_code(&out);
    let server = TestServer::start_with(data, |s| s.demo = false).await;
    server.clock.advance_millis(72 * 3_600_000 + 1);
    let (status, body) = activate(&server, &first, GOOD).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["problem"]["kind"], "activation_code");
    server.stop().await;

    // A new code from the command line; the old one stays dead.
    let out = cli(data, &["invite", "--login", "coord"]);
    assert!(out.status.success());
    let second = printed_code(&out);
    assert_ne!(second, first);
    let server = TestServer::start_with(data, |s| s.demo = false).await;
    let (status, _) = activate(&server, &first, GOOD).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = activate(&server, &second, GOOD).await;
    assert_eq!(status, StatusCode::OK);
    login_with(&server, "coord", GOOD).await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn housing_staff_see_their_own_companys_buildings_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let staff = common::login(&server, "staff.woningent").await.token;
    let (status, rows) = get_json(&server, &staff, "/api/admin/buildings").await;
    assert_eq!(status, StatusCode::OK);
    let rows = rows.as_array().unwrap();
    let owned = common::count(
        dir.path(),
        "SELECT COUNT(*) FROM buildings b JOIN organisations o ON o.id = b.owner_org_id WHERE o.name = 'WoninGent'",
    );
    assert!(owned > 0);
    assert_eq!(rows.len() as i64, owned);
    assert!(rows.iter().all(|b| b["owner"] == "WoninGent"));
    // Not another company's building, and no registry edits or people.
    let foreign: String = common::sql(dir.path(), |c| {
        c.query_row(
            "SELECT b.id FROM buildings b JOIN organisations o ON o.id = b.owner_org_id WHERE o.name != 'WoninGent' LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap()
    });
    let (status, _) = get_json(&server, &staff, &format!("/api/admin/buildings/{foreign}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = get_json(&server, &staff, "/api/admin/people").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = get_json(
        &server,
        &staff,
        &format!("/api/admin/buildings/{foreign}/history"),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    server.stop().await;
}
