//! Reports from the door on the real server: a carer's report waits in the phone's outbox,
//! lands in the coordinator's inbox once when the phone syncs, and a missing key becomes a
//! repair order that only the owning housing company sees, plans and closes; a report that
//! the code is known starts the leak flow with its 5-working-day deadline. Every other role
//! is refused and sees nothing.

use crate::common;

use crate::common::lifecycle::{record, scope_of};
use crate::common::{Device, TestServer, count, get_json, login, send_json};
use kluis_domain::ids::SafeId;
use kluis_domain::model::DoorProblem;
use kluis_domain::schema::DeviceEvent;
use kluis_domain::time::Timestamp;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn post(server: &TestServer, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    send_json(server, Method::POST, token, path, &body).await
}

fn report(safe: SafeId, problem: DoorProblem, note: &str) -> DeviceEvent {
    DeviceEvent::ProblemReported {
        safe,
        problem,
        note: note.into(),
        at: Timestamp::from_millis(1_700_000_000_000),
    }
}

fn group(groups: &Value, safe: SafeId) -> Option<&Value> {
    groups
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["safe_id"] == safe.to_string().as_str())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_key_becomes_the_owners_repair_and_a_known_code_starts_the_leak_clock() {
    let dir = tempfile::tempdir().unwrap();
    // Monday 7 December 2026: five working days later is Monday the 14th.
    let server = TestServer::start_on(dir.path(), "2026-12-07").await;
    let coordinator = login(&server, "coordinator").await.token;
    let admin = login(&server, "admin.wgk").await.token;
    let other_admin = login(&server, "admin.imens").await.token;
    let staff = login(&server, "staff.woningent").await.token;
    let other_staff = login(&server, "staff.gentsehaard").await.token;
    let mut carer = Device::enrol(&server, "carer.wgk.1").await;
    carer.sync(&server).await.ok().unwrap();

    // Two safes the carer sees at WoninGent's buildings, and one the carer does not see.
    let scope = scope_of(&carer);
    let woningent: Vec<SafeId> = common::sql(dir.path(), |c| {
        let mut stmt = c
            .prepare(
                "SELECT s.id FROM safes s JOIN buildings b ON b.id = s.building_id
                 JOIN organisations o ON o.id = b.owner_org_id WHERE o.name = 'WoninGent'",
            )
            .unwrap();
        stmt.query_map([], |r| r.get::<_, String>(0))
            .unwrap()
            .map(|s| s.unwrap().parse().unwrap())
            .collect()
    });
    let mut mine = woningent.iter().filter(|s| scope.safes.contains_key(s));
    let (keyless, leaked) = (*mine.next().unwrap(), *mine.next().unwrap());
    let unseen: SafeId = common::sql(dir.path(), |c| {
        let mut stmt = c.prepare("SELECT id FROM safes").unwrap();
        stmt.query_map([], |r| r.get::<_, String>(0))
            .unwrap()
            .map(|s| s.unwrap().parse::<SafeId>().unwrap())
            .find(|s| !scope.safes.contains_key(s))
            .unwrap()
    });

    // Offline: the report waits on the phone; the server knows nothing yet.
    record(
        &mut carer,
        report(keyless, DoorProblem::KeyMissing, "haakje leeg"),
        1,
    );
    record(&mut carer, report(unseen, DoorProblem::Broken, ""), 2);
    let (_, inbox) = get_json(&server, &coordinator, "/api/door-reports").await;
    assert_eq!(inbox, json!([]));

    // Online: it lands once, however often the phone syncs.
    carer.sync(&server).await.ok().unwrap();
    carer.sync(&server).await.ok().unwrap();
    assert_eq!(count(dir.path(), "SELECT COUNT(*) FROM door_reports"), 1);
    assert_eq!(
        count(
            dir.path(),
            "SELECT COUNT(*) FROM audit_events WHERE kind = 'event_refused' AND detail LIKE 'problem_reported%'"
        ),
        1,
        "a report of a safe outside the carer's scope is refused"
    );
    let (status, inbox) = get_json(&server, &coordinator, "/api/door-reports").await;
    assert_eq!(status, StatusCode::OK);
    let g = group(&inbox, keyless).unwrap();
    assert_eq!(g["owner"], "WoninGent");
    assert_eq!(g["reports"][0]["problem"], "key_missing");
    assert_eq!(g["reports"][0]["status"], "repair_asked");
    assert_eq!(g["reports"][0]["service"], "Wit-Gele Kruis");
    assert!(group(&inbox, unseen).is_none());
    let g = g.clone();

    // Who sees what: the reporting service its own, another service nothing, companies and
    // carers no inbox at all.
    let (_, theirs) = get_json(&server, &admin, "/api/door-reports").await;
    assert!(group(&theirs, keyless).is_some());
    let (status, none) = get_json(&server, &other_admin, "/api/door-reports").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(none, json!([]));
    for token in [&staff, &carer.session.token] {
        let (status, _) = get_json(&server, token, "/api/door-reports").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }

    // The repair order: WoninGent's staff see it, Gentse Haard's do not and cannot touch it.
    let (_, repairs) = get_json(&server, &staff, "/api/admin/repairs").await;
    let repair = repairs
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["safe_id"] == keyless.to_string().as_str())
        .unwrap()
        .clone();
    assert_eq!(repair["reason"], "key_missing");
    assert_eq!(repair["reports"], 1);
    assert_eq!(repair["reported_by"], g["reports"][0]["reporter"]);
    let id = repair["id"].as_str().unwrap();
    let (_, others) = get_json(&server, &other_staff, "/api/admin/repairs").await;
    assert!(!others.as_array().unwrap().iter().any(|r| r["id"] == id));
    let plan = format!("/api/admin/repairs/{id}/plan");
    let resolve = format!("/api/admin/repairs/{id}/resolve");
    let (status, _) = post(
        &server,
        &other_staff,
        &plan,
        json!({"planned_on": "2026-12-08"}),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    for token in [&admin, &carer.session.token] {
        let (status, _) = post(&server, token, &resolve, json!({"done_on": "2026-12-07"})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let (status, past) = post(&server, &staff, &plan, json!({"planned_on": "2026-12-04"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(past["problem"]["kind"], "date_in_past");
    let (status, planned) = post(&server, &staff, &plan, json!({"planned_on": "2026-12-08"})).await;
    assert_eq!(status, StatusCode::OK, "{planned}");
    assert_eq!(planned["planned_on"], "2026-12-08");
    let (_, theirs) = get_json(&server, &admin, "/api/door-reports").await;
    assert_eq!(
        group(&theirs, keyless).unwrap()["reports"][0]["status"],
        "repair_planned"
    );

    let (status, future) = post(&server, &staff, &resolve, json!({"done_on": "2026-12-08"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(future["problem"]["kind"], "date_in_future");
    let (status, _) = post(&server, &staff, &resolve, json!({"done_on": "2026-12-07"})).await;
    assert_eq!(status, StatusCode::OK);
    let (status, again) = post(&server, &staff, &resolve, json!({"done_on": "2026-12-07"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(again["problem"]["kind"], "repair_closed");
    let (_, inbox) = get_json(&server, &coordinator, "/api/door-reports").await;
    let r = &group(&inbox, keyless).unwrap()["reports"][0];
    assert_eq!(r["status"], "done");
    assert_eq!(r["repair_done_on"], "2026-12-07");
    assert_eq!(
        count(
            dir.path(),
            "SELECT COUNT(*) FROM audit_events WHERE kind IN ('repair_planned', 'repair_done')"
        ),
        2
    );

    // "Code is bekend bij anderen": new in the inbox until the coordinator starts the leak flow.
    record(
        &mut carer,
        report(leaked, DoorProblem::CodeKnown, "buurman kent de code"),
        3,
    );
    record(&mut carer, report(leaked, DoorProblem::CodeFails, ""), 4);
    carer.sync(&server).await.ok().unwrap();
    let (_, inbox) = get_json(&server, &coordinator, "/api/door-reports").await;
    assert_eq!(
        inbox[0]["safe_id"],
        leaked.to_string().as_str(),
        "new reports come first"
    );
    assert_eq!(
        inbox[0]["reports"].as_array().unwrap().len(),
        2,
        "one safe, one group"
    );
    let handle = format!("/api/door-reports/{leaked}/handle");
    for token in [&admin, &staff, &carer.session.token] {
        let (status, _) = post(
            &server,
            token,
            &handle,
            json!({"action": "leak", "reply": ""}),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let (status, no_reply) = post(
        &server,
        &coordinator,
        &handle,
        json!({"action": "close", "reply": " "}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(no_reply["problem"]["kind"], "reply_needed");
    let (status, handled) = post(
        &server,
        &coordinator,
        &handle,
        json!({"action": "leak", "reply": "Nieuwe code komt"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{handled}");
    assert_eq!(handled["handled"], 2);
    assert_eq!(handled["due_on"], "2026-12-14");
    let (status, twice) = post(
        &server,
        &coordinator,
        &handle,
        json!({"action": "leak", "reply": ""}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(twice["problem"]["kind"], "no_new_reports");
    let (_, due) = get_json(&server, &coordinator, "/api/admin/due").await;
    let listed = due["this_week"]
        .as_array()
        .unwrap()
        .iter()
        .chain(due["this_month"].as_array().unwrap())
        .find(|d| d["safe_id"] == leaked.to_string().as_str())
        .unwrap()
        .clone();
    assert_eq!(listed["reason"], "leak");
    assert_eq!(listed["due_on"], "2026-12-14");
    let (_, theirs) = get_json(&server, &admin, "/api/door-reports").await;
    let r = &group(&theirs, leaked).unwrap()["reports"][0];
    assert_eq!(r["status"], "change_planned");
    assert_eq!(r["reply"], "Nieuwe code komt");
    assert_eq!(
        count(
            dir.path(),
            "SELECT COUNT(*) FROM audit_events WHERE kind IN ('problem_reported', 'reports_handled', 'code_leaked')"
        ),
        5
    );
    server.stop().await;
}
