//! Volunteers' records against the real server: the rounds document, what carers see before
//! and after a confirmed change, records replayed in any order, repairs, and refusals.

use crate::common::lifecycle::*;
use crate::common::*;
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

    // Carers see the round's new code only below the current one, as a marked fallback.
    carer.sync(&server).await.ok().unwrap();
    let seen = scope_of(&carer).safes[&safe].clone();
    assert_eq!(seen.code.as_ref().unwrap().value, old);
    assert_eq!(seen.new_code.as_ref().unwrap().value, item.new_code);

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
    // The change itself comes over the stream (the sync below is what a phone that could not
    // apply it does).
    next_event(&mut stream, &mut buf, "change").await;
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
    assert!(after.safes[&safe].new_code.is_none());

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
    assert!(server.clock.advance_days(15));
    kluis_sync_server::run_maintenance(&state, state.now())
        .await
        .unwrap();
    carer.sync(&server).await.ok().unwrap();
    assert!(scope_of(&carer).safes[&safe].previous_code.is_none());
    server.stop().await;
}

/// Three phones at the same safe: volunteer.3 held the round before it went to volunteer.4,
/// whose two phones record "broken" and "set". Returns what the server ends with after the
/// syncs in `order` (indexes into [past holder, holder's first phone, holder's second]).
async fn three_phones(order: [usize; 3]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let coordinator = login(&server, "coordinator").await;
    let (safe, round) = open_items(dir.path()).remove(0);
    let safe: SafeId = safe.parse().unwrap();
    let mut past = Device::enrol(&server, "volunteer.3").await;
    let mut first = Device::enrol(&server, "volunteer.4").await;
    let mut second = Device::enrol(&server, "volunteer.4").await;
    let new_code = |d: &Device| {
        rounds_of(d).rounds[&round.parse().unwrap()].items[&safe]
            .new_code
            .clone()
    };
    let assign = |person: String| {
        let (server, token, round) = (&server, coordinator.token.clone(), round.clone());
        async move {
            let (status, _) = post_body(
                server,
                &token,
                &format!("/api/admin/rounds/{round}/assign"),
                &json!({"volunteer_id": person}),
            )
            .await;
            assert_eq!(status, StatusCode::OK);
        }
    };
    assign(past.session.person_id.clone()).await;
    past.sync(&server).await.ok().unwrap();
    assign(first.session.person_id.clone()).await;
    first.sync(&server).await.ok().unwrap();
    second.sync(&server).await.ok().unwrap();
    // The round changed hands: the code the past holder saw is not the one to set any more.
    assert_ne!(new_code(&past), new_code(&first));
    assert_eq!(new_code(&first), new_code(&second));

    // All went on site offline.
    record(&mut past, set(safe), 11);
    record(&mut first, failed(safe, ChangeFailure::Broken), 12);
    record(&mut second, set(safe), 13);
    let mut phones = [past, first, second];
    for i in order {
        phones[i].sync(&server).await.ok().unwrap();
    }
    // Syncing again adds nothing.
    for phone in &mut phones {
        phone.sync(&server).await.ok().unwrap();
    }
    drop(phones);

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
        q(
            "SELECT COUNT(*) || ' refused' FROM audit_events WHERE safe_id = ?1 AND kind = 'event_refused' AND detail = 'code_set: round_not_held'",
        ),
    ];
    server.stop().await;
    state
}

#[tokio::test]
async fn records_replayed_in_any_order_give_the_same_state_and_a_past_holder_does_not_count() {
    let one = three_phones([0, 1, 2]).await;
    let other = three_phones([2, 1, 0]).await;
    assert_eq!(one, other);
    assert_eq!(
        one,
        [
            "done",
            "2 records",
            "defect",
            "1 repairs",
            "current",
            "1 previous",
            "1 refused"
        ]
    );
}

#[tokio::test]
async fn records_about_rounds_one_does_not_hold_are_refused_and_block_nothing() {
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

    // A carer, about a safe in its own scope.
    let mut carer = Device::enrol(&server, "carer.wgc.1").await;
    carer.sync(&server).await.ok().unwrap();
    let seen = *scope_of(&carer).safes.keys().next().unwrap();
    record(&mut carer, set(seen), 21);
    carer.sync(&server).await.ok().unwrap();
    // Another volunteer, about a safe of volunteer.1's round.
    let mut other = Device::enrol(&server, "volunteer.5").await;
    other.sync(&server).await.ok().unwrap();
    record(&mut other, set(mine[0]), 22);
    other.sync(&server).await.ok().unwrap();
    // The holder, with one good record and one about someone else's round: the good one
    // counts, the other is refused, and the phone's outbox goes on (a reveal after it).
    record(&mut holder, set(mine[0]), 23);
    record(&mut holder, failed(not_mine, ChangeFailure::Other), 24);
    holder.sync(&server).await.ok().unwrap();
    let refused = |detail: &str| {
        count(
            dir.path(),
            &format!(
                "SELECT COUNT(*) FROM audit_events WHERE kind = 'event_refused' AND detail = '{detail}'"
            ),
        )
    };
    assert_eq!(refused("code_set: not_a_volunteer"), 1);
    assert_eq!(refused("code_set: round_not_held"), 1);
    assert_eq!(refused("change_failed: round_not_held"), 1);

    assert_eq!(
        count(dir.path(), "SELECT COUNT(*) FROM change_records"),
        1,
        "only the holder's own record"
    );
    assert_eq!(
        count(
            dir.path(),
            &format!(
                "SELECT COUNT(*) FROM campaign_items WHERE status = 'done' AND safe_id = '{}'",
                mine[0]
            )
        ),
        1
    );
    assert_eq!(
        count(
            dir.path(),
            "SELECT COUNT(*) FROM campaign_items WHERE status NOT IN ('open', 'waiting', 'done')"
        ),
        0
    );
    // Nothing stuck: the refused events are not checked again, later events go through.
    record(
        &mut holder,
        kluis_domain::schema::DeviceEvent::CodeRevealed {
            safe: mine[1 % mine.len()],
            at: kluis_domain::time::Timestamp::from_millis(1_700_000_200_000),
        },
        25,
    );
    holder.sync(&server).await.ok().unwrap();
    assert_eq!(
        count(
            dir.path(),
            "SELECT COUNT(*) FROM audit_events WHERE kind = 'code_revealed'"
        ),
        1
    );
    server.stop().await;
}
