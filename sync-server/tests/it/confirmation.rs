//! The six-monthly confirmation on the real server: the coordinator opens a round, a service
//! admin confirms and removes their own addresses (a removal leaves the carers' phones at the
//! next sync), nobody answers for another service, and the deadline removes what is left.

use crate::common;

use crate::common::lifecycle::scope_of;
use crate::common::{Device, TestServer, count, get_json, login, send_json};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn post(server: &TestServer, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    send_json(server, Method::POST, token, path, &body).await
}

/// The buildings where only `service` is active, from the database.
fn served_only_by(dir: &std::path::Path, service: &str) -> Vec<String> {
    common::sql(dir, |c| {
        let mut stmt = c
            .prepare(
                "SELECT a.building_id FROM service_activity a JOIN organisations o ON o.id = a.service_id
                 JOIN safes s ON s.building_id = a.building_id AND s.status IN ('active', 'defect', 'installed')
                 WHERE o.name = ?1 AND NOT EXISTS (SELECT 1 FROM service_activity b
                   WHERE b.building_id = a.building_id AND b.service_id != a.service_id)
                 ORDER BY a.building_id",
            )
            .unwrap();
        stmt.query_map([service], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn services_confirm_their_addresses_and_the_deadline_removes_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_on(dir.path(), "2026-12-01").await;
    let coordinator = login(&server, "coordinator").await.token;
    let admin = login(&server, "admin.wgk").await.token;
    let other_admin = login(&server, "admin.imens").await.token;
    let mut phone = Device::enrol(&server, "carer.wgk.1").await;
    phone.sync(&server).await.ok().unwrap();
    let held = scope_of(&phone).safes.len();

    let (status, none) = get_json(&server, &admin, "/api/admin/confirmations/mine").await;
    assert_eq!(status, StatusCode::OK);
    assert!(none["round"].is_null(), "no round yet: no reminder");

    // A deadline under a week is refused; then the round opens over every activity.
    let path = "/api/admin/confirmations";
    let (status, soon) = post(
        &server,
        &coordinator,
        path,
        json!({"deadline": "2026-12-04", "unconfirmed": "remove"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(soon["problem"]["kind"], "deadline_too_soon");
    let (status, opened) = post(
        &server,
        &coordinator,
        path,
        json!({"deadline": "2026-12-15", "unconfirmed": "remove"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{opened}");
    let activities = count(dir.path(), "SELECT COUNT(*) FROM service_activity");
    let listed: i64 = opened["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["addresses"].as_i64().unwrap())
        .sum();
    assert_eq!(listed, activities, "every activity is in the round");
    let (status, again) = post(
        &server,
        &coordinator,
        path,
        json!({"deadline": "2026-12-20", "unconfirmed": "keep"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(again["problem"]["kind"], "confirmation_open");

    // Only the coordinator opens and follows; only a service admin answers, for their own.
    for who in ["admin.wgk", "carer.wgk.1", "staff.woningent", "volunteer.1"] {
        let token = login(&server, who).await.token;
        let (status, _) = get_json(&server, &token, path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who}");
        let (status, _) = post(
            &server,
            &token,
            path,
            json!({"deadline": "2027-01-15", "unconfirmed": "keep"}),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who}");
    }
    for who in ["coordinator", "carer.wgk.1", "staff.woningent"] {
        let token = login(&server, who).await.token;
        let (status, _) = get_json(&server, &token, "/api/admin/confirmations/mine").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who}");
    }

    let (_, mine) = get_json(&server, &admin, "/api/admin/confirmations/mine").await;
    let items = mine["items"].as_array().unwrap();
    let wgk_count = items.len();
    assert!(wgk_count > 10);
    assert!(items.iter().all(|i| i["decision"].is_null()));
    let only_wgk = served_only_by(dir.path(), "Wit-Gele Kruis");
    let (keep, drop) = (&only_wgk[0], &only_wgk[1]);

    // Another service's admin cannot answer for Wit-Gele Kruis's address.
    let mine_path = "/api/admin/confirmations/mine";
    let (status, refused) = post(
        &server,
        &other_admin,
        mine_path,
        json!({"answers": [{"building_id": drop, "decision": "removed"}]}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused["problem"]["kind"], "not_in_confirmation");
    let (status, _) = post(
        &server,
        &admin,
        mine_path,
        json!({"answers": [{"building_id": keep, "decision": "lapsed"}]}),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "lapsed is the server's word"
    );

    let (status, answered) = post(
        &server,
        &admin,
        mine_path,
        json!({"answers": [{"building_id": keep, "decision": "confirmed"}, {"building_id": drop, "decision": "removed"}]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answered}");
    let decided: Vec<&Value> = answered["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| !i["decision"].is_null())
        .collect();
    assert_eq!(decided.len(), 2);
    assert!(
        decided
            .iter()
            .all(|i| i["decided_by"] == "Katrien Van de Velde")
    );
    let confirmed_on: Option<String> = common::sql(dir.path(), |c| {
        c.query_row(
            "SELECT a.confirmed_on FROM service_activity a JOIN organisations o ON o.id = a.service_id
             WHERE o.name = 'Wit-Gele Kruis' AND a.building_id = ?1",
            [keep],
            |r| r.get(0),
        )
        .unwrap()
    });
    assert_eq!(confirmed_on.as_deref(), Some("2026-12-01"));
    let (status, final_) = post(
        &server,
        &admin,
        mine_path,
        json!({"answers": [{"building_id": drop, "decision": "confirmed"}]}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(final_["problem"]["kind"], "decision_final");

    // The removed address leaves the carer's phone at the next sync.
    phone.sync(&server).await.ok().unwrap();
    assert_eq!(scope_of(&phone).safes.len(), held - 1);

    let (_, overview) = get_json(&server, &coordinator, path).await;
    let wgk = overview["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["service"] == "Wit-Gele Kruis")
        .unwrap()
        .clone();
    assert_eq!(
        (wgk["confirmed"].as_i64(), wgk["removed"].as_i64()),
        (Some(1), Some(1))
    );
    assert_eq!(wgk["open"].as_i64().unwrap() as usize, wgk_count - 2);
    assert_eq!(wgk["last_answer_by"], "Katrien Van de Velde");

    // After the deadline, what nobody confirmed leaves the scopes; the confirmed one stays.
    assert!(server.clock.advance_days(15));
    let coordinator = login(&server, "coordinator").await.token;
    let admin = login(&server, "admin.wgk").await.token;
    let (_, closed) = get_json(&server, &coordinator, path).await;
    assert!(closed["round"]["closed_at"].is_number(), "{closed}");
    assert_eq!(
        count(dir.path(), "SELECT COUNT(*) FROM service_activity"),
        1,
        "only the confirmed address is left"
    );
    phone.sync(&server).await.ok().unwrap();
    assert_eq!(scope_of(&phone).safes.len(), 1);
    assert_eq!(
        count(
            dir.path(),
            "SELECT COUNT(*) FROM audit_events WHERE kind = 'confirmation_closed'"
        ),
        1
    );
    assert_eq!(
        count(
            dir.path(),
            "SELECT COUNT(*) FROM audit_events WHERE kind = 'activity_confirmed'"
        ),
        2
    );
    let (status, late) = post(
        &server,
        &admin,
        mine_path,
        json!({"answers": [{"building_id": keep, "decision": "removed"}]}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(late["problem"]["kind"], "no_confirmation_open");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_round_that_keeps_unconfirmed_addresses_keeps_them() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_on(dir.path(), "2026-12-01").await;
    let coordinator = login(&server, "coordinator").await.token;
    let before = count(dir.path(), "SELECT COUNT(*) FROM service_activity");
    let never = "SELECT COUNT(*) FROM service_activity WHERE confirmed_on IS NULL";
    let never_before = count(dir.path(), never);
    let (status, _) = post(
        &server,
        &coordinator,
        "/api/admin/confirmations",
        json!({"deadline": "2026-12-10", "unconfirmed": "keep"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(server.clock.advance_days(10));
    let coordinator = login(&server, "coordinator").await.token;
    let (_, closed) = get_json(&server, &coordinator, "/api/admin/confirmations").await;
    assert!(closed["round"]["closed_at"].is_number());
    assert_eq!(
        count(dir.path(), "SELECT COUNT(*) FROM service_activity"),
        before
    );
    assert_eq!(
        count(dir.path(), never),
        never_before,
        "kept, dates unchanged"
    );
}
