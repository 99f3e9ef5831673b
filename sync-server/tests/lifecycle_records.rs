//! Volunteers' records against the real server: the rounds document, what carers see before
//! and after a confirmed change, records replayed in any order, repairs, and refusals.

#![allow(clippy::unwrap_used)]

mod common;

use common::lifecycle::*;
use common::*;
use kluis_domain::ids::SafeId;
use kluis_domain::model::{ChangeFailure, ItemStatus};
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn a_confirmed_change_reaches_carers_with_the_previous_code_which_expires() {
    let dir = tempfile::tempdir().unwrap();
    let (server, state) = TestServer::start_with_state(dir.path()).await;
    let coordinator = login(&server, "coordinator").await;
    let mut carer = Device::enrol(&server, "carer.wgc.1").await;
    carer.sync(&server).await.ok().unwrap();
    let scope = scope_of(&carer);
    let (safe, round) = open_items(dir.path())
        .into_iter()
        .find(|(s, _)| scope.safes.contains_key(&s.parse().unwrap()))
        .expect("the demo campaign covers safes Brugse Poort's health centre sees");
    let safe: SafeId = safe.parse().unwrap();

    // The coordinator gives the round to volunteer.2, whose phone then holds it.
    let mut volunteer = Device::enrol(&server, "volunteer.2").await;
    let (status, body) = post_body(
        &server,
        &coordinator.token,
        &format!("/api/admin/rounds/{round}/assign"),
        &json!({"volunteer_id": volunteer.session.person_id}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["volunteer_name"], "Rita De Vos");
    volunteer.sync(&server).await.ok().unwrap();
    assert_eq!(
        volunteer.client.doc_ids().count(),
        2,
        "its rounds and its outbox"
    );
    let rounds = rounds_of(&volunteer);
    let item = rounds.rounds[&round.parse().unwrap()].items[&safe].clone();
    assert_eq!(item.status, ItemStatus::Open);
    let old = scope.safes[&safe].code.clone().unwrap().value;
    assert_eq!(item.current_code.as_ref(), Some(&old));
    assert_ne!(item.new_code, old);

    // Carers never see a pending code.
    let seen = &scope.safes[&safe];
    assert_ne!(seen.code.as_ref().unwrap().value, item.new_code);
    assert!(
        seen.previous_code
            .as_ref()
            .is_none_or(|p| p.value != item.new_code)
    );

    // "Gewijzigd": the change reaches a connected carer at once.
    let resp = http()
        .get(server.url("/api/events"))
        .bearer_auth(&carer.session.token)
        .send()
        .await
        .unwrap();
    let mut stream = resp.bytes_stream();
    let mut buf = String::new();
    next_event(&mut stream, &mut buf, "ready").await;
    record(&mut volunteer, set(safe), 1);
    volunteer.sync(&server).await.ok().unwrap();
    next_event(&mut stream, &mut buf, "sync").await;
    // An open stream would hold the server's graceful shutdown.
    drop(stream);
    let outcome = carer.sync(&server).await.ok().unwrap();
    println!(
        "one confirmed change to a carer: {} round trip(s), {} B up, {} B down",
        outcome.rounds, outcome.bytes_up, outcome.bytes_down
    );
    assert!(outcome.bytes_down < 2_000, "{} bytes", outcome.bytes_down);
    let after = scope_of(&carer);
    assert_eq!(
        after.safes[&safe].code.as_ref().unwrap().value,
        item.new_code
    );
    assert_eq!(
        after.safes[&safe].previous_code.as_ref().unwrap().value,
        old
    );

    // The volunteer's phone learns the item is done at its next sync.
    volunteer.sync(&server).await.ok().unwrap();
    let done = &rounds_of(&volunteer).rounds[&round.parse().unwrap()].items[&safe];
    assert_eq!(done.status, ItemStatus::Done);
    assert!(done.resolved_at.is_some());

    let (_, history) = get_json(
        &server,
        &coordinator.token,
        &format!("/api/admin/safes/{safe}/history"),
    )
    .await;
    assert_eq!(history["codes"][0]["state"], "current");
    assert_eq!(history["codes"][0]["confirmed_by"], "Rita De Vos");
    assert_eq!(history["codes"][1]["state"], "previous");

    // After the grace period the previous code leaves the carer's phone.
    let later = kluis_sync_server::state::now().plus_days(15);
    kluis_sync_server::run_maintenance(&state, later)
        .await
        .unwrap();
    carer.sync(&server).await.ok().unwrap();
    assert!(scope_of(&carer).safes[&safe].previous_code.is_none());
    server.stop().await;
}

/// Two volunteers at the same safe: one sets the code, the other finds it broken. Returns
/// what the server ends with.
async fn two_volunteers(set_first: bool) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let coordinator = login(&server, "coordinator").await;
    let (safe, round) = open_items(dir.path()).remove(0);
    let safe: SafeId = safe.parse().unwrap();
    let mut a = Device::enrol(&server, "volunteer.3").await;
    let mut b = Device::enrol(&server, "volunteer.4").await;
    for v in [&mut a, &mut b] {
        let (status, _) = post_body(
            &server,
            &coordinator.token,
            &format!("/api/admin/rounds/{round}/assign"),
            &json!({"volunteer_id": v.session.person_id}),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        v.sync(&server).await.ok().unwrap();
    }
    // Both went on site offline; the round now belongs to b, but a's work still counts.
    record(&mut a, set(safe), 11);
    record(&mut b, failed(safe, ChangeFailure::Broken), 12);
    let (first, second) = if set_first {
        (&mut a, &mut b)
    } else {
        (&mut b, &mut a)
    };
    first.sync(&server).await.ok().unwrap();
    second.sync(&server).await.ok().unwrap();
    // Syncing again adds nothing.
    a.sync(&server).await.ok().unwrap();

    // The repair is for the company that owns the building, and only it (and the
    // coordinator) sees it.
    let owner: String = sql(dir.path(), |c| {
        c.query_row(
            "SELECT o.name FROM safes s JOIN buildings b ON b.id = s.building_id JOIN organisations o ON o.id = b.owner_org_id WHERE s.id = ?1",
            [safe.to_string()],
            |r| r.get(0),
        )
        .unwrap()
    });
    let slug = |name: &str| match name {
        "WoninGent" => "woningent",
        "Gentse Haard" => "gentsehaard",
        "Volkshaard" => "volkshaard",
        "Habitare" => "habitare",
        _ => "abc",
    };
    let has = |v: &Value| {
        v.as_array()
            .unwrap()
            .iter()
            .any(|r| r["safe_id"] == safe.to_string())
    };
    let (_, all) = get_json(&server, &coordinator.token, "/api/admin/repairs").await;
    assert!(has(&all));
    let staff = login(&server, &format!("staff.{}", slug(&owner))).await;
    let (status, theirs) = get_json(&server, &staff.token, "/api/admin/repairs").await;
    assert_eq!(status, StatusCode::OK);
    assert!(has(&theirs));
    assert!(
        theirs
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["owner"] == owner)
    );
    let other = ["woningent", "gentsehaard", "volkshaard", "habitare", "abc"]
        .into_iter()
        .find(|s| *s != slug(&owner))
        .unwrap();
    let stranger = login(&server, &format!("staff.{other}")).await;
    let (_, not_theirs) = get_json(&server, &stranger.token, "/api/admin/repairs").await;
    assert!(!has(&not_theirs));
    let carer = login(&server, "carer.wgk.1").await;
    let (status, _) = get_json(&server, &carer.token, "/api/admin/repairs").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let q = |query: &str| {
        sql(dir.path(), |c| {
            c.query_row(query, [safe.to_string()], |r| r.get::<_, String>(0))
                .unwrap()
        })
    };
    let state = vec![
        q("SELECT status FROM campaign_items WHERE safe_id = ?1"),
        q("SELECT COUNT(*) || ' records' FROM change_records WHERE safe_id = ?1"),
        q("SELECT status FROM safes WHERE id = ?1"),
        q(
            "SELECT COUNT(*) || ' repairs' FROM repair_items WHERE safe_id = ?1 AND resolved_at IS NULL",
        ),
        q(
            "SELECT (SELECT state FROM codes WHERE id = i.pending_code_id) FROM campaign_items i WHERE i.safe_id = ?1",
        ),
        q("SELECT COUNT(*) || ' previous' FROM codes WHERE safe_id = ?1 AND state = 'previous'"),
    ];
    server.stop().await;
    state
}

#[tokio::test]
async fn records_replayed_in_any_order_give_the_same_state_and_are_all_kept() {
    let one = two_volunteers(true).await;
    let other = two_volunteers(false).await;
    assert_eq!(one, other);
    assert_eq!(
        one,
        [
            "done",
            "2 records",
            "defect",
            "1 repairs",
            "current",
            "1 previous"
        ]
    );
}

#[tokio::test]
async fn nobody_records_on_a_round_that_is_not_theirs() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut holder = Device::enrol(&server, "volunteer.1").await;
    holder.sync(&server).await.ok().unwrap();
    let items = open_items(dir.path());
    let mine: Vec<SafeId> = rounds_of(&holder)
        .rounds
        .values()
        .flat_map(|r| r.items.keys().copied())
        .collect();
    assert!(!mine.is_empty(), "the demo gives volunteer.1 a round");
    let not_mine: SafeId = items
        .iter()
        .map(|(s, _)| s.parse().unwrap())
        .find(|s| !mine.contains(s))
        .unwrap();

    let refused = |r: Result<Outcome, SyncError>| match r {
        Err(SyncError::Http(status, body)) => {
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(body["code"], "invalid_outbox");
        }
        Ok(_) => panic!("accepted"),
    };
    // A carer, about a safe in its own scope.
    let mut carer = Device::enrol(&server, "carer.wgc.1").await;
    carer.sync(&server).await.ok().unwrap();
    let seen = *scope_of(&carer).safes.keys().next().unwrap();
    record(&mut carer, set(seen), 21);
    refused(carer.sync(&server).await);
    // Another volunteer, about a safe of volunteer.1's round.
    let mut other = Device::enrol(&server, "volunteer.5").await;
    other.sync(&server).await.ok().unwrap();
    record(&mut other, set(mine[0]), 22);
    refused(other.sync(&server).await);
    // The holder, with one good record and one about someone else's round: refused whole.
    record(&mut holder, set(mine[0]), 23);
    record(&mut holder, failed(not_mine, ChangeFailure::Other), 24);
    refused(holder.sync(&server).await);

    assert_eq!(count(dir.path(), "SELECT COUNT(*) FROM change_records"), 0);
    assert_eq!(
        count(
            dir.path(),
            "SELECT COUNT(*) FROM campaign_items WHERE status != 'open' AND status != 'waiting'"
        ),
        0
    );
    assert_eq!(
        count(
            dir.path(),
            "SELECT COUNT(*) FROM audit_events WHERE kind IN ('code_set', 'change_failed')"
        ),
        0
    );
    server.stop().await;
}
