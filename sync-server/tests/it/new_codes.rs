//! A campaign's new code on carers' phones, against the real server: it arrives with the
//! campaign, below the current code; it is replaced (in a fresh document) when its round
//! changes hands; it becomes the code when the volunteer's record arrives; and a carer who
//! could see it keeps the safe open in their exposure once revoked.

use crate::common::lifecycle::{doc_id, record, rounds_of, scope_of, set};
use crate::common::{Device, TestServer, get_json, login, post_body, post_json, sql};
use kluis_domain::ids::SafeId;
use kluis_domain::safe_model::ButtonSet;
use kluis_domain::schema::DeviceEvent;
use kluis_domain::time::Timestamp;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn round_of(data: &std::path::Path, safe: SafeId) -> String {
    sql(data, |c| {
        c.query_row(
            "SELECT round_id FROM campaign_items WHERE safe_id = ?1 AND status = 'open'",
            [safe.to_string()],
            |r| r.get(0),
        )
        .unwrap()
    })
}

fn new_code(carer: &Device, safe: SafeId) -> Option<ButtonSet> {
    scope_of(carer).safes[&safe]
        .new_code
        .as_ref()
        .map(|c| c.value.clone())
}

async fn campaign(server: &TestServer, token: &str, safes: &[SafeId], due: &str) -> Value {
    let (status, body) = post_body(
        server,
        token,
        "/api/admin/campaigns",
        &json!({"name": "Nieuwe codes", "selection": {"kind": "safes", "safe_ids": safes}, "due_on": due}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body
}

async fn assign(server: &TestServer, token: &str, round: &str, volunteer: &Device) {
    let (status, body) = post_body(
        server,
        token,
        &format!("/api/admin/rounds/{round}/assign"),
        &json!({"volunteer_id": volunteer.session.person_id}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_code_reaches_carers_with_its_campaign_is_replaced_with_its_round_and_becomes_the_code()
 {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_on(dir.path(), "2026-12-07").await;
    let coordinator = login(&server, "coordinator").await.token;
    let mut carer = Device::enrol(&server, "carer.wgk.1").await;
    carer.sync(&server).await.ok().unwrap();
    let before = scope_of(&carer);
    let safe = *before
        .safes
        .iter()
        .find(|(_, s)| s.new_code.is_none() && s.code.is_some())
        .expect("a safe outside the demo campaign")
        .0;
    let current = before.safes[&safe].code.clone().unwrap().value;

    // The campaign draws the new code: the carer's next sync brings it, the current code
    // stays first.
    campaign(&server, &coordinator, &[safe], "2027-01-29").await;
    carer.sync(&server).await.ok().unwrap();
    let drawn = new_code(&carer, safe).expect("the new code is on the carer's phone");
    assert_ne!(drawn, current);
    assert_eq!(
        scope_of(&carer).safes[&safe].code.as_ref().unwrap().value,
        current
    );

    // A volunteer takes the round: the same code is on their phone.
    let round = round_of(dir.path(), safe);
    let mut first = Device::enrol(&server, "volunteer.2").await;
    assign(&server, &coordinator, &round, &first).await;
    first.sync(&server).await.ok().unwrap();
    let item = |v: &Device| rounds_of(v).rounds[&round.parse().unwrap()].items[&safe].clone();
    assert_eq!(item(&first).new_code, drawn);

    // The round goes to someone else: a fresh code, in a fresh document, so the replaced
    // one is not even in the carer's history.
    let epoch_before = doc_id(&carer, "scope.").unwrap();
    let mut second = Device::enrol(&server, "volunteer.3").await;
    assign(&server, &coordinator, &round, &second).await;
    second.sync(&server).await.ok().unwrap();
    carer.sync(&server).await.ok().unwrap();
    let fresh = new_code(&carer, safe).unwrap();
    assert_ne!(fresh, drawn);
    assert_eq!(item(&second).new_code, fresh);
    assert_ne!(doc_id(&carer, "scope.").unwrap(), epoch_before);
    assert_eq!(
        carer.client.doc_ids().count(),
        2,
        "the old scope was dropped"
    );

    // "Gewijzigd": the new code is the code, the old one the previous; no new code is left.
    record(&mut second, set(safe), 7);
    second.sync(&server).await.ok().unwrap();
    carer.sync(&server).await.ok().unwrap();
    let after = scope_of(&carer).safes[&safe].clone();
    assert_eq!(after.code.unwrap().value, fresh);
    assert_eq!(after.previous_code.unwrap().value, current);
    assert!(after.new_code.is_none());
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_carer_who_could_see_a_new_code_leaves_it_open_and_the_change_draws_another() {
    let dir = tempfile::tempdir().unwrap();
    // Monday 7 December 2026: the urgent change is due Monday the 14th.
    let server = TestServer::start_on(dir.path(), "2026-12-07").await;
    let coordinator = login(&server, "coordinator").await.token;
    let mut carer = Device::enrol(&server, "carer.wgk.1").await;
    carer.sync(&server).await.ok().unwrap();
    let mut free: Vec<SafeId> = scope_of(&carer)
        .safes
        .iter()
        .filter(|(_, s)| s.new_code.is_none() && s.code.is_some())
        .map(|(id, _)| *id)
        .collect();
    free.sort();
    let (seen_before, seen_after) = (free[0], free[1]);

    // One safe opened before its campaign drew the new code, one after.
    let reveal = |safe| DeviceEvent::CodeRevealed {
        safe,
        at: Timestamp::from_millis(1_000_000_000_000),
    };
    record(&mut carer, reveal(seen_before), 31);
    carer.sync(&server).await.ok().unwrap();
    campaign(
        &server,
        &coordinator,
        &[seen_before, seen_after],
        "2026-12-11",
    )
    .await;
    carer.sync(&server).await.ok().unwrap();
    let known = new_code(&carer, seen_after).unwrap();
    record(&mut carer, reveal(seen_after), 32);
    carer.sync(&server).await.ok().unwrap();

    let person = carer.session.person_id.clone();
    let (status, _) = post_json(
        &server,
        &coordinator,
        &format!("/api/admin/people/{person}/revoke"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let exposure = format!("/api/admin/people/{person}/exposure");
    let state = |seen: &Value, safe: SafeId| {
        seen["safes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["safe_id"] == safe.to_string())
            .unwrap()["state"]
            .clone()
    };
    let (_, seen) = get_json(&server, &coordinator, &exposure).await;
    assert_eq!(state(&seen, seen_before), "planned", "{seen}");
    assert_eq!(
        state(&seen, seen_after),
        "open",
        "their phone showed the planned code: {seen}"
    );

    // Planning the change replaces the code they saw; the other one is left alone.
    let (status, planned) = post_json(&server, &coordinator, &format!("{exposure}/change")).await;
    assert_eq!(status, StatusCode::OK, "{planned}");
    assert_eq!(planned["planned"], 1);
    let (_, seen) = get_json(&server, &coordinator, &exposure).await;
    assert_eq!(state(&seen, seen_after), "planned", "{seen}");
    let mut other = Device::enrol(&server, "carer.wgk.2").await;
    other.sync(&server).await.ok().unwrap();
    let replaced = new_code(&other, seen_after).unwrap();
    assert_ne!(replaced, known);
    server.stop().await;
}
