//! Campaigns against the real server and the demo registry: waves with the numbers, codes 2
//! buttons apart, leaks, the coordinator's overviews, and hostile input.

use crate::common::lifecycle::*;
use crate::common::*;
use kluis_domain::model::CodeState;
use kluis_domain::sync::ClientEvent;
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn a_campaign_over_the_demo_registry_comes_in_waves_with_codes_apart() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let coordinator = login(&server, "coordinator").await;
    // A carer's phone that holds its scope before the campaign.
    let mut carer = Device::enrol(&server, "carer.wgk.1").await;
    carer.sync(&server).await.ok().unwrap();
    let (status, body) = post_body(
        &server,
        &coordinator.token,
        "/api/admin/campaigns",
        &json!({"name": "Rotatie najaar", "selection": {"kind": "all"}, "due_on": "2030-06-30"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let n = |v: &Value| v.as_u64().unwrap() as usize;
    let (selected, included) = (n(&body["selected"]), n(&body["included"]));
    let skipped = body["skipped"].as_array().unwrap();
    assert_eq!(selected, 220);
    assert_eq!(included + skipped.len(), selected);
    let demo_campaign = count(dir.path(), "SELECT COUNT(*) FROM campaign_items") as usize
        - count(
            dir.path(),
            &format!(
                "SELECT COUNT(*) FROM campaign_items WHERE campaign_id = '{}'",
                body["id"].as_str().unwrap()
            ),
        ) as usize;
    assert!(
        skipped
            .iter()
            .filter(|s| s["reason"] == "in_campaign")
            .count()
            == demo_campaign,
        "the demo campaign's safes are already under way"
    );
    assert!(skipped.iter().any(|s| s["reason"] == "defect"));

    // 209 current codes, the demo campaign's pending codes and a new code for every safe do
    // not fit in the 408 usable codes of the Supra lock: waves, and the reply says so.
    let waves = body["waves"].as_array().unwrap();
    assert!(waves.len() >= 2, "{body}");
    assert_eq!(
        waves.iter().map(|w| n(&w["safes"])).sum::<usize>(),
        included
    );
    let with_codes = n(&waves[0]["with_codes"]);
    assert!(with_codes > 100 && with_codes < included, "{with_codes}");
    // More safes than an incremental update takes: every scope is rebuilt, and a carer's
    // phone has the first wave's new codes (those its service sees) at its next sync.
    carer.sync(&server).await.ok().unwrap();
    let wave_safes: Vec<String> = sql(dir.path(), |c| {
        let mut stmt = c
            .prepare(
                "SELECT safe_id FROM campaign_items WHERE campaign_id = ?1 AND pending_code_id IS NOT NULL",
            )
            .unwrap();
        stmt.query_map([body["id"].as_str().unwrap()], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    });
    let scope = scope_of(&carer);
    let shown = wave_safes
        .iter()
        .filter_map(|id| scope.safes.get(&id.parse().unwrap()))
        .filter(|safe| safe.new_code.is_some())
        .count();
    assert!(shown > 10, "{shown} of the wave's safes show a new code");
    assert!(waves[1..].iter().all(|w| w["with_codes"] == 0));
    // The reply says why in numbers (the app says them in words): the Supra lock's 408
    // usable codes force waves.
    let supra = body["code_space"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["model"] == "Supra KeySafe Pro")
        .unwrap();
    assert_eq!(supra["pressure"], "waves", "{supra}");
    assert_eq!(supra["usable"], 408);
    assert!(
        n(&supra["waves"]) >= 2 && n(&supra["needed"]) > 0,
        "{supra}"
    );
    assert!(body["quarantine_days"].as_u64().unwrap() > 0);
    let rounds = body["rounds"].as_array().unwrap();
    assert_eq!(
        rounds.iter().map(|r| n(&r["safes"])).sum::<usize>(),
        with_codes
    );
    assert!(
        rounds
            .iter()
            .all(|r| n(&r["safes"]) <= 12 && !r["streets"].as_array().unwrap().is_empty())
    );

    // Every pending code is unique and 2 buttons away from every other code in use.
    let all = codes(dir.path());
    let live: Vec<_> = all
        .iter()
        .filter(|c| matches!(c.state, CodeState::Current | CodeState::Pending))
        .collect();
    let pending = live
        .iter()
        .filter(|c| c.state == CodeState::Pending)
        .count();
    assert_eq!(pending, with_codes + demo_campaign);
    for (i, a) in live.iter().enumerate() {
        for b in &live[..i] {
            if a.state == CodeState::Pending || b.state == CodeState::Pending {
                assert!(a.value.distance(&b.value) >= 2, "codes too close");
            }
        }
    }

    // The next wave does not fit yet: 422 with the numbers, nothing written.
    let before = count(dir.path(), "SELECT COUNT(*) FROM codes");
    let id = body["id"].as_str().unwrap();
    let (status, err) = post_json(
        &server,
        &coordinator.token,
        &format!("/api/admin/campaigns/{id}/next-wave"),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert_eq!(err["code"], "invalid", "{err}");
    assert_eq!(err["problem"]["kind"], "code_space_full", "{err}");
    assert_eq!(err["problem"]["usable"], 408, "{err}");
    assert_eq!(count(dir.path(), "SELECT COUNT(*) FROM codes"), before);

    // The coordinator's overviews.
    let (_, list) = get_json(&server, &coordinator.token, "/api/admin/campaigns").await;
    assert_eq!(list.as_array().unwrap().len(), 2);
    let (status, detail) = get_json(
        &server,
        &coordinator.token,
        &format!("/api/admin/campaigns/{id}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(n(&detail["open"]), with_codes);
    assert_eq!(n(&detail["waiting"]), included - with_codes);
    assert_eq!(detail["rounds"].as_array().unwrap().len(), rounds.len());
    let (_, space) = get_json(&server, &coordinator.token, "/api/admin/code-space").await;
    let pro = space
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["model"] == "Supra KeySafe Pro")
        .unwrap();
    assert_eq!(pro["usable"], 408);
    assert!(
        pro.get("summary_nl").is_none(),
        "numbers, no sentences: {pro}"
    );
    let (status, due) = get_json(&server, &coordinator.token, "/api/admin/due").await;
    assert_eq!(status, StatusCode::OK);
    // Newly installed safes need their first code within 5 working days.
    assert!(
        due["this_week"]
            .as_array()
            .unwrap()
            .iter()
            .chain(due["this_month"].as_array().unwrap())
            .chain(due["overdue"].as_array().unwrap())
            .any(|d| d["reason"] == "first_code"),
        "{due}"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_leak_starts_an_urgent_change_and_takes_the_safe_out_of_its_round() {
    let dir = tempfile::tempdir().unwrap();
    // A Monday: five working days later is the next Monday, in the same month.
    let server = TestServer::start_on(dir.path(), "2026-03-02").await;
    let coordinator = login(&server, "coordinator").await;
    let mut volunteer = Device::enrol(&server, "volunteer.1").await;
    volunteer.sync(&server).await.ok().unwrap();
    let before = rounds_of(&volunteer);
    let (round_id, round) = before.rounds.iter().next().unwrap();
    let safe = *round.items.keys().next().unwrap();

    let (status, body) = post_body(
        &server,
        &coordinator.token,
        &format!("/api/admin/safes/{safe}/leaked"),
        &json!({"note": "code op de deur geschreven"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["campaign"]["kind"], "urgent");
    assert_eq!(body["campaign"]["included"], 1);
    assert_eq!(body["campaign"]["waves"][0]["with_codes"], 1);
    assert_eq!(body["cancelled_campaign"], round.campaign.to_string());
    let reported: kluis_domain::time::Date = body["reported_on"].as_str().unwrap().parse().unwrap();
    let due: kluis_domain::time::Date = body["due_on"].as_str().unwrap().parse().unwrap();
    let calendar = kluis_domain::calendar::WorkingCalendar::new();
    assert_eq!(calendar.working_days_between(reported, due), 5);
    assert_eq!(
        (reported.to_string(), due.to_string()),
        ("2026-03-02".into(), "2026-03-09".into())
    );

    // The safe left volunteer.1's round: a new epoch without it.
    let outcome = volunteer.sync(&server).await.ok().unwrap();
    assert!(
        outcome
            .events
            .iter()
            .any(|e| matches!(e, ClientEvent::DocDropped(_)))
    );
    let after = rounds_of(&volunteer);
    assert!(
        after
            .rounds
            .get(round_id)
            .is_none_or(|r| !r.items.contains_key(&safe))
    );

    // The urgent round is free to take; a carer may not take it.
    let (_, list) = get_json(&server, &volunteer.session.token, "/api/rounds").await;
    let urgent = list["available"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["campaign_kind"] == "urgent")
        .unwrap()
        .clone();
    assert_eq!(urgent["safes"], 1);
    assert!(urgent.get("new_code").is_none() && !urgent.to_string().contains("code\":"));
    let carer = login(&server, "carer.wgk.1").await;
    let path = format!("/api/rounds/{}/take", urgent["id"].as_str().unwrap());
    assert_eq!(
        post_json(&server, &carer.token, &path).await.0,
        StatusCode::FORBIDDEN
    );
    let (status, taken) = post_json(&server, &volunteer.session.token, &path).await;
    assert_eq!(status, StatusCode::OK, "{taken}");
    let other = login(&server, "volunteer.6").await;
    assert_eq!(
        post_json(&server, &other.token, &path).await.0,
        StatusCode::CONFLICT
    );
    volunteer.sync(&server).await.ok().unwrap();
    let urgent_round = rounds_of(&volunteer)
        .rounds
        .into_values()
        .find(|r| r.items.contains_key(&safe))
        .unwrap();
    assert_eq!(urgent_round.due, Some(due));

    assert_eq!(
        count(
            dir.path(),
            "SELECT COUNT(*) FROM audit_events WHERE kind = 'code_leaked'"
        ),
        1
    );
    // The coordinator's due list has it this month, and overdue once its day has passed.
    let bucket_of = |due_list: &serde_json::Value| {
        ["overdue", "this_week", "this_month"]
            .into_iter()
            .find_map(|b| {
                due_list[b]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|d| d["safe_id"] == safe.to_string())
                    .map(|d| (b, d["reason"].clone(), d["due_on"].clone()))
            })
    };
    let (_, due_list) = get_json(&server, &coordinator.token, "/api/admin/due").await;
    assert_eq!(
        bucket_of(&due_list),
        Some(("this_month", json!("leak"), json!("2026-03-09"))),
        "{due_list}"
    );
    assert!(server.clock.advance_days(8));
    let (status, _) = get_json(&server, &coordinator.token, "/api/admin/due").await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "a desk session lasts 12 hours"
    );
    let coordinator = login(&server, "coordinator").await;
    let (_, due_list) = get_json(&server, &coordinator.token, "/api/admin/due").await;
    assert_eq!(due_list["today"], "2026-03-10");
    assert_eq!(
        bucket_of(&due_list),
        Some(("overdue", json!("leak"), json!("2026-03-09"))),
        "{due_list}"
    );
    server.stop().await;
}

#[tokio::test]
async fn hostile_bodies_to_the_lifecycle_endpoints_get_json_errors_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let coordinator = login(&server, "coordinator").await;
    let carer = login(&server, "carer.wgk.1").await;
    let tables = "SELECT (SELECT COUNT(*) FROM campaigns) * 1000000 + (SELECT COUNT(*) FROM codes) * 1000 + (SELECT COUNT(*) FROM rounds)";
    let before = count(dir.path(), tables);
    let requested: String = sql(dir.path(), |c| {
        c.query_row("SELECT id FROM safes WHERE status = 'requested'", [], |r| {
            r.get(0)
        })
        .unwrap()
    });
    let t = &coordinator.token;
    let raw = [
        ("/api/admin/campaigns", "not json"),
        ("/api/admin/campaigns", "{\"name\": 3}"),
        (
            "/api/admin/campaigns",
            "{\"name\": \"x\", \"selection\": {\"kind\": \"everything\"}}",
        ),
        (
            "/api/admin/campaigns",
            "{\"name\": \"x\", \"selection\": {\"kind\": \"all\"}, \"extra\": 1}",
        ),
        ("/api/admin/campaigns", "[]"),
        (
            "/api/admin/safes/00000000000000000000000000000000/leaked",
            "{\"note\": 5}",
        ),
        (
            "/api/admin/safes/00000000000000000000000000000000/leaked",
            "{{{",
        ),
    ];
    for (path, body) in raw {
        let (status, json) = post_raw(&server, t, path, body).await;
        assert!(status.is_client_error(), "{path} {body}: {status}");
        assert!(json["code"].is_string(), "{path} {body}: {json}");
    }
    let bodies = [
        json!({"name": "", "selection": {"kind": "all"}}),
        json!({"name": "x".repeat(500), "selection": {"kind": "all"}}),
        json!({"name": "x", "selection": {"kind": "safes", "safe_ids": ["nope"]}}),
        json!({"name": "x", "selection": {"kind": "safes", "safe_ids": ["0".repeat(32)]}}),
        json!({"name": "x", "selection": {"kind": "safes", "safe_ids": []}}),
        json!({"name": "x", "selection": {"kind": "safes", "safe_ids": [requested]}}),
        json!({"name": "x", "selection": {"kind": "housing_company", "org_id": "0".repeat(32)}}),
        json!({"name": "x", "selection": {"kind": "district", "district": "Atlantis"}}),
        json!({"name": "x", "selection": {"kind": "district", "district": " "}}),
        json!({"name": "x", "selection": {"kind": "all"}, "due_on": "30/06/2030"}),
    ];
    for body in bodies {
        let (status, json) = post_body(&server, t, "/api/admin/campaigns", &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {json}");
        assert!(json["code"].is_string());
    }
    // Leaks: unknown safe, a safe that does not hang yet.
    let (status, _) = post_json(
        &server,
        t,
        &format!("/api/admin/safes/{}/leaked", "0".repeat(32)),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = post_json(&server, t, &format!("/api/admin/safes/{requested}/leaked")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // Rounds: a carer is no volunteer; unknown rounds; a carer for a volunteer.
    let round: String = sql(dir.path(), |c| {
        c.query_row("SELECT id FROM rounds LIMIT 1", [], |r| r.get(0))
            .unwrap()
    });
    let (status, _) = post_body(
        &server,
        t,
        &format!("/api/admin/rounds/{round}/assign"),
        &json!({"volunteer_id": carer.person_id}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = post_body(
        &server,
        t,
        &format!("/api/admin/rounds/{}/assign", "0".repeat(32)),
        &json!({"volunteer_id": null}),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = post_json(
        &server,
        &coordinator.token,
        &format!("/api/rounds/{round}/take"),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Nobody but the coordinator.
    for path in [
        "/api/admin/campaigns",
        "/api/admin/due",
        "/api/admin/code-space",
    ] {
        assert_eq!(
            get_json(&server, &carer.token, path).await.0,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let (status, _) = post_body(
        &server,
        &carer.token,
        "/api/admin/campaigns",
        &json!({"name": "x", "selection": {"kind": "all"}}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(count(dir.path(), tables), before, "nothing was written");

    // The new calls are in the API description.
    let (_, api) = get_json(&server, t, "/api/openapi.json").await;
    for path in [
        "/api/admin/campaigns",
        "/api/admin/safes/{id}/leaked",
        "/api/rounds/{id}/take",
        "/api/admin/repairs",
    ] {
        assert!(api["paths"].get(path).is_some(), "{path}");
    }
    server.stop().await;
}
