//! What each start screen lists first: the counts follow what the people did (a report from
//! the door, a request, an approval, a confirmation opened, an account about to end), each
//! party counts only its own, and carers and volunteers are refused.

use crate::common::lifecycle::{record, scope_of};
use crate::common::{self, Device, TestServer, get_json, login, send_json};
use kluis_domain::ids::SafeId;
use kluis_domain::model::DoorProblem;
use kluis_domain::schema::DeviceEvent;
use kluis_domain::time::Timestamp;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn counts(server: &TestServer, token: &str) -> Value {
    let (status, body) = get_json(server, token, "/api/attention").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

fn n(body: &Value, kind: &str) -> u64 {
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == kind)
        .map_or(0, |i| i["count"].as_u64().unwrap())
}

fn due(body: &Value, kind: &str) -> Value {
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == kind)
        .map_or(Value::Null, |i| i["due"].clone())
}

fn one(dir: &std::path::Path, sql: &str) -> String {
    common::sql(dir, |c| c.query_row(sql, [], |r| r.get(0)).unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_start_screen_counts_what_its_party_must_do_and_only_that() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_on(dir.path(), "2026-12-07").await;
    let coordinator = login(&server, "coordinator").await.token;
    let admin = login(&server, "admin.wgk").await.token;
    let other_admin = login(&server, "admin.imens").await.token;
    let staff = login(&server, "staff.woningent").await.token;
    let other_staff = login(&server, "staff.gentsehaard").await.token;
    for who in ["carer.wgk.2", "volunteer.1"] {
        let token = login(&server, who).await.token;
        let (status, body) = get_json(&server, &token, "/api/attention").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who}");
        assert!(body.get("items").is_none());
    }
    let (status, _) = send_json(
        &server,
        Method::GET,
        "not-a-token",
        "/api/attention",
        &Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let before = counts(&server, &coordinator).await;
    let staff_before = counts(&server, &staff).await;
    let other_staff_before = counts(&server, &other_staff).await;
    assert_eq!(before["today"], "2026-12-07");
    // The demo's overdue codes are what the due list says is overdue.
    let (_, due_list) = get_json(&server, &coordinator, "/api/admin/due").await;
    assert_eq!(
        n(&before, "codes_overdue"),
        due_list["overdue"].as_array().unwrap().len() as u64
    );
    assert_eq!(
        n(&before, "codes_due_this_week"),
        due_list["this_week"].as_array().unwrap().len() as u64
    );

    // A carer finds the key missing at a WoninGent safe (a repair order for WoninGent at
    // once, nothing for the other company) and reports that the code failed (a new report
    // for the coordinator to deal with).
    let mut carer = Device::enrol(&server, "carer.wgk.1").await;
    carer.sync(&server).await.ok().unwrap();
    let scope = scope_of(&carer);
    let safe: SafeId = common::sql(dir.path(), |c| {
        let mut stmt = c
            .prepare(
                "SELECT s.id FROM safes s JOIN buildings b ON b.id = s.building_id
                 JOIN organisations o ON o.id = b.owner_org_id WHERE o.name = 'WoninGent'",
            )
            .unwrap();
        stmt.query_map([], |r| r.get::<_, String>(0))
            .unwrap()
            .map(|s| s.unwrap().parse::<SafeId>().unwrap())
            .find(|s| scope.safes.contains_key(s))
            .unwrap()
    });
    let event = DeviceEvent::ProblemReported {
        safe,
        problem: DoorProblem::KeyMissing,
        note: String::new(),
        at: Timestamp::from_millis(1_700_000_000_000),
    };
    record(&mut carer, event, 1);
    let event = DeviceEvent::ProblemReported {
        safe,
        problem: DoorProblem::CodeFails,
        note: String::new(),
        at: Timestamp::from_millis(1_700_000_000_000),
    };
    record(&mut carer, event, 2);
    carer.sync(&server).await.ok().unwrap();
    let after = counts(&server, &coordinator).await;
    assert_eq!(n(&after, "reports_new"), n(&before, "reports_new") + 1);
    assert_eq!(n(&after, "repairs_open"), n(&before, "repairs_open") + 1);
    let staff_after = counts(&server, &staff).await;
    assert_eq!(
        n(&staff_after, "repairs_open"),
        n(&staff_before, "repairs_open") + 1
    );
    assert_eq!(counts(&server, &other_staff).await, other_staff_before);

    // A service asks for a safe: waiting for the coordinator; once approved for WoninGent
    // it is WoninGent's to install, and no longer waiting.
    let (status, asked) = send_json(
        &server,
        Method::POST,
        &admin,
        "/api/requests",
        &json!({"building_id": null, "street": "Meulestedekaai", "numbers": "81",
        "postcode": "9000", "city": "Gent", "apartments": 24,
        "reason": "Drie bewoners krijgen thuisverpleging", "contact": ""}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{asked}");
    let waiting = counts(&server, &coordinator).await;
    assert_eq!(
        n(&waiting, "requests_waiting"),
        n(&before, "requests_waiting") + 1
    );
    let model = one(
        dir.path(),
        "SELECT id FROM safe_models WHERE name = 'Supra KeySafe Pro'",
    );
    let woningent = one(
        dir.path(),
        "SELECT id FROM organisations WHERE name = 'WoninGent'",
    );
    let id = asked["id"].as_str().unwrap();
    let (status, body) = send_json(
        &server,
        Method::POST,
        &coordinator,
        &format!("/api/requests/{id}/review"),
        &json!({"review": "approve", "model_id": model, "owner_id": woningent, "reason": ""}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        n(&counts(&server, &coordinator).await, "requests_waiting"),
        n(&before, "requests_waiting")
    );
    assert_eq!(
        n(&counts(&server, &staff).await, "requests_to_install"),
        n(&staff_before, "requests_to_install") + 1
    );
    assert_eq!(counts(&server, &other_staff).await, other_staff_before);

    // The coordinator asks every service to confirm its addresses by the 18th: each service
    // admin sees its own addresses to answer, the coordinator the services still silent.
    let admin_before = counts(&server, &admin).await;
    assert_eq!(n(&admin_before, "confirmation_open"), 0);
    let (status, body) = send_json(
        &server,
        Method::POST,
        &coordinator,
        "/api/admin/confirmations",
        &json!({"deadline": "2026-12-18", "unconfirmed": "keep"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, mine) = get_json(&server, &admin, "/api/admin/confirmations/mine").await;
    let addresses = mine["items"].as_array().unwrap().len() as u64;
    assert!(addresses > 0);
    let asked = counts(&server, &admin).await;
    assert_eq!(n(&asked, "confirmation_open"), addresses);
    assert_eq!(due(&asked, "confirmation_open"), "2026-12-18");
    let (_, overview) = get_json(&server, &coordinator, "/api/admin/confirmations").await;
    let services = overview["services"].as_array().unwrap().len() as u64;
    assert_eq!(
        n(&counts(&server, &coordinator).await, "services_unconfirmed"),
        services
    );
    let first = mine["items"][0]["building_id"].clone();
    let (status, body) = send_json(
        &server,
        Method::POST,
        &admin,
        "/api/admin/confirmations/mine",
        &json!({"answers": [{"building_id": first, "decision": "confirmed"}]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        n(&counts(&server, &admin).await, "confirmation_open"),
        addresses - 1
    );

    // A carer's access ends on New Year's Eve: within the notice, so their admin and the
    // coordinator see it; the other service does not.
    let other_before = counts(&server, &other_admin).await;
    let carer_id = one(
        dir.path(),
        "SELECT id FROM people WHERE login = 'carer.wgk.3'",
    );
    let (status, body) = send_json(
        &server,
        Method::PUT,
        &admin,
        &format!("/api/admin/people/{carer_id}"),
        &json!({"name": "Carer drie", "email": "", "valid_until": "2026-12-31"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let ending = counts(&server, &admin).await;
    assert_eq!(
        n(&ending, "accounts_expiring"),
        n(&admin_before, "accounts_expiring") + 1
    );
    assert_eq!(due(&ending, "accounts_expiring"), "2026-12-31");
    assert_eq!(
        n(&counts(&server, &coordinator).await, "accounts_expiring"),
        n(&before, "accounts_expiring") + 1
    );
    assert_eq!(
        n(&counts(&server, &other_admin).await, "accounts_expiring"),
        n(&other_before, "accounts_expiring")
    );
}
