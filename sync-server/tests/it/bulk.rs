//! One service at many buildings at once, on the real server: the coordinator's bulk toggle
//! reaches the carers' phones, refuses all of it for one unknown building, and is the
//! coordinator's alone. The app version a phone syncs with is shown with its device.

use crate::common;

use crate::common::lifecycle::scope_of;
use crate::common::{Device, TEST_APP_VERSION, TestServer, count, get_json, login, send_json};
use reqwest::{Method, StatusCode};
use serde_json::json;

fn ids(dir: &std::path::Path, query: &str) -> Vec<String> {
    common::sql(dir, |c| {
        let mut stmt = c.prepare(query).unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_is_made_active_at_many_buildings_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let coordinator = login(&server, "coordinator").await.token;
    let mut phone = Device::enrol(&server, "carer.wgk.1").await;
    phone.sync(&server).await.ok().unwrap();
    let before = scope_of(&phone).safes.len();
    let wgk = ids(
        dir.path(),
        "SELECT id FROM organisations WHERE name = 'Wit-Gele Kruis'",
    )
    .remove(0);
    let with_safe =
        "JOIN safes s ON s.building_id = b.id AND s.status IN ('active', 'installed', 'defect')";
    let elsewhere = ids(
        dir.path(),
        &format!(
            "SELECT b.id FROM buildings b {with_safe} WHERE NOT EXISTS (SELECT 1 FROM service_activity a
             JOIN organisations o ON o.id = a.service_id WHERE a.building_id = b.id AND o.name = 'Wit-Gele Kruis')
             ORDER BY b.id LIMIT 3"
        ),
    );
    let theirs = ids(
        dir.path(),
        &format!(
            "SELECT b.id FROM buildings b {with_safe} JOIN service_activity a ON a.building_id = b.id
             JOIN organisations o ON o.id = a.service_id AND o.name = 'Wit-Gele Kruis' ORDER BY b.id LIMIT 1"
        ),
    );
    let path = format!("/api/admin/organisations/{wgk}/buildings");
    let activities = count(dir.path(), "SELECT COUNT(*) FROM service_activity");
    let changed = "SELECT COUNT(*) FROM audit_events WHERE kind = 'activity_changed'";
    let changed_before = count(dir.path(), changed);

    // One id that is no building: nothing of the change is kept.
    let mut with_typo = elsewhere.clone();
    with_typo.push("00000000000000000000000000000000".into());
    let (status, _) = send_json(
        &server,
        Method::PUT,
        &coordinator,
        &path,
        &json!({"add": with_typo, "remove": theirs}),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        count(dir.path(), "SELECT COUNT(*) FROM service_activity"),
        activities
    );

    // Nobody else may.
    for who in ["admin.wgk", "carer.wgk.1", "staff.woningent"] {
        let token = login(&server, who).await.token;
        let (status, _) = send_json(
            &server,
            Method::PUT,
            &token,
            &path,
            &json!({"add": elsewhere, "remove": []}),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who}");
    }
    assert_eq!(
        count(dir.path(), "SELECT COUNT(*) FROM service_activity"),
        activities
    );

    let (status, done) = send_json(
        &server,
        Method::PUT,
        &coordinator,
        &path,
        &json!({"add": elsewhere, "remove": theirs}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done, json!({"added": 3, "removed": 1}));
    assert_eq!(
        count(dir.path(), changed) - changed_before,
        4,
        "one audit row per building"
    );
    phone.sync(&server).await.ok().unwrap();
    assert_eq!(scope_of(&phone).safes.len(), before + 3 - 1);
    // Again: already so, nothing counted.
    let (_, again) = send_json(
        &server,
        Method::PUT,
        &coordinator,
        &path,
        &json!({"add": elsewhere, "remove": theirs}),
    )
    .await;
    assert_eq!(again, json!({"added": 0, "removed": 0}));

    // The device's app version, as it said it at its sync.
    let (_, devices) = get_json(&server, &coordinator, "/api/admin/devices").await;
    let mine = devices
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == phone.session.device.to_string())
        .unwrap();
    assert_eq!(mine["app_version"], TEST_APP_VERSION);
}
