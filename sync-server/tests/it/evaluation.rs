//! The yearly evaluation (rule 10) on the real server: a known year 2029 is lived through
//! with the server's clock set at each step (requests, installations, code changes, leaks,
//! repairs through the API; reveals and door reports as rows the outbox would have stored),
//! and every figure equals the count by hand. Nobody but the coordinator reads it.
//!
//! The demo's safes are taken off the wall (with the trail's row) before 2029, so its
//! registry does not reach into the year; its people are used to sign in.

mod world;

use crate::common::{self, TestServer, get_json, login};
use kluis_api::evaluation::{Evaluation, EvaluationExport, EvaluationQuery};
use kluis_sync_server::Clock;
use reqwest::{Method, StatusCode};
use serde_json::json;

use world::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_known_year_gives_the_figures_counted_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_on(dir.path(), "2028-12-03").await;
    let mut p = Parties {
        coord: login(&server, "coordinator").await.token,
        admin: login(&server, "admin.wgk").await.token,
        staff: login(&server, "staff.woningent").await.token,
        model: one(
            &server,
            "SELECT id FROM safe_models WHERE name = 'Supra KeySafe Pro'",
        ),
        owner: org(&server, "WoninGent"),
    };
    // The demo's safes come off the wall now, as an edit the trail holds.
    exec(
        &server,
        &format!(
            "INSERT INTO audit_events (id, at, recorded_at, kind, safe_id, detail)
         SELECT lower(hex(randomblob(16))), {t}, {t}, 'safe_changed', id,
                '[{{\"field\":\"status\",\"before\":\"active\",\"after\":\"removed\"}}]'
         FROM safes WHERE status != 'removed';
         UPDATE safes SET status = 'removed';",
            t = server.clock.now().millis()
        ),
    );
    let (wgk, partena) = (
        org(&server, "Wit-Gele Kruis"),
        org(&server, "Partena Thuiszorg"),
    );

    // S0 hangs before the year: installed 3 Dec 2028, its code set on the 4th.
    let r0 = request(&server, &p, "Voorjaarstraat", 10).await;
    let (s0, _) = approve(&server, &p, &r0).await;
    install(&server, &p, &r0, "2028-12-03").await;
    goto(&server, &mut p, "2028-12-04").await;
    rotate(&server, &p.coord, &s0).await;

    // Requests: R1 and R2 on 8 January, R3 on 1 February, R4 declined, R5 still open.
    goto(&server, &mut p, "2029-01-08").await;
    let r1 = request(&server, &p, "Zomerstraat", 20).await;
    let r2 = request(&server, &p, "Herfststraat", 40).await;
    goto(&server, &mut p, "2029-01-09").await;
    let (s1, b1) = approve(&server, &p, &r1).await;
    let (s2, _) = approve(&server, &p, &r2).await;
    // A repair asked on 10 December 2028, done on 10 January: 31 days, done in 2029.
    let p0 = repair(
        &server,
        0xa0,
        &s0,
        &p.owner,
        "key_missing",
        ghent("2028-12-10", 11.0),
    );
    goto(&server, &mut p, "2029-01-10").await;
    repaired(&server, &p.coord, &p0, "2029-01-10").await;
    // R1 hangs on Monday 15 January (7 days after the request); Partena and WGK work there.
    goto(&server, &mut p, "2029-01-15").await;
    install(&server, &p, &r1, "2029-01-15").await;
    ok(
        &server,
        Method::PUT,
        &p.coord,
        &format!("/api/admin/buildings/{b1}/services"),
        json!({"services": [wgk, partena]}),
    )
    .await;
    // Its first code on Friday the 19th: due Monday the 22nd, on time.
    goto(&server, &mut p, "2029-01-19").await;
    rotate(&server, &p.coord, &s1).await;
    // R2 hangs on Monday 29 January (21 days); first code due 5 February, set the 12th: late.
    goto(&server, &mut p, "2029-01-29").await;
    install(&server, &p, &r2, "2029-01-29").await;
    goto(&server, &mut p, "2029-02-01").await;
    let r3 = request(&server, &p, "Winterstraat", 30).await;
    let (s3, _) = approve(&server, &p, &r3).await;
    goto(&server, &mut p, "2029-02-12").await;
    rotate(&server, &p.coord, &s2).await;
    // R3 hangs on Tuesday 13 February (12 days); first code on the 20th, its due day.
    goto(&server, &mut p, "2029-02-13").await;
    install(&server, &p, &r3, "2029-02-13").await;
    goto(&server, &mut p, "2029-02-20").await;
    rotate(&server, &p.coord, &s3).await;
    goto(&server, &mut p, "2029-03-01").await;
    let r4 = request(&server, &p, "Lentestraat", 8).await;
    goto(&server, &mut p, "2029-03-02").await;
    ok(&server, Method::POST, &p.coord, &format!("/api/requests/{r4}/review"),
        json!({"review": "decline", "model_id": null, "owner_id": null, "reason": "Er hangt er al een"})).await;
    // Repairs asked on 5 March (still open), 2 April (done the 9th), 11 June (done the 21st).
    repair(
        &server,
        0xa3,
        &s1,
        &p.owner,
        "key_missing",
        ghent("2029-03-05", 10.0),
    );
    let p1 = repair(
        &server,
        0xa1,
        &s2,
        &p.owner,
        "broken",
        ghent("2029-04-02", 10.0),
    );
    let p2 = repair(
        &server,
        0xa2,
        &s3,
        &p.owner,
        "broken",
        ghent("2029-06-11", 10.0),
    );
    goto(&server, &mut p, "2029-04-09").await;
    repaired(&server, &p.coord, &p1, "2029-04-09").await;
    // S3 leaks on Monday 14 May: due Tuesday the 22nd (Whit Monday the 21st is a holiday);
    // changed Friday the 18th, on time. Its rotation due 20 August is then met early.
    goto(&server, &mut p, "2029-05-14").await;
    leaked(&server, &p.coord, &s3).await;
    goto(&server, &mut p, "2029-05-18").await;
    rotate(&server, &p.coord, &s3).await;
    // S0's rotation, due 4 June, on 1 June: on time; its next is due 1 December (after today).
    goto(&server, &mut p, "2029-06-01").await;
    rotate(&server, &p.coord, &s0).await;
    goto(&server, &mut p, "2029-06-21").await;
    repaired(&server, &p.coord, &p2, "2029-06-21").await;
    // S1's rotation was due 19 July: late on the 25th. S2's, due 12 August, early on the 10th.
    goto(&server, &mut p, "2029-07-25").await;
    rotate(&server, &p.coord, &s1).await;
    goto(&server, &mut p, "2029-08-10").await;
    rotate(&server, &p.coord, &s2).await;
    // S1 leaks on Monday 3 September, again on the 5th (one leak), changed the 12th: late.
    goto(&server, &mut p, "2029-09-03").await;
    leaked(&server, &p.coord, &s1).await;
    goto(&server, &mut p, "2029-09-05").await;
    leaked(&server, &p.coord, &s1).await;
    goto(&server, &mut p, "2029-09-12").await;
    rotate(&server, &p.coord, &s1).await;
    // S2 comes off the wall on 1 October.
    goto(&server, &mut p, "2029-10-01").await;
    ok(
        &server,
        Method::PUT,
        &p.coord,
        &format!("/api/admin/safes/{s2}"),
        json!({"model_id": p.model,
        "placement": "links van de deur", "status": "removed", "installed_on": "2029-01-29"}),
    )
    .await;
    goto(&server, &mut p, "2029-11-05").await;
    let r5 = request(&server, &p, "Kerststraat", 12).await;
    goto(&server, &mut p, "2029-11-06").await;
    approve(&server, &p, &r5).await;

    // Reveals by the server's receive time, Ghent days: WGK 3 in January, 3 in March, one
    // at 23:30 on New Year's Eve; i-mens one in October. Outside: December 2028, and
    // 00:30 on 1 January 2030 (still 2029 in UTC).
    let (w1, w2, i1) = (
        person(&server, "carer.wgk.1"),
        person(&server, "carer.wgk.2"),
        person(&server, "carer.imens.1"),
    );
    for (n, who, at) in [
        (1, &w1, ghent("2029-01-03", 10.0)),
        (2, &w1, ghent("2029-01-17", 10.0)),
        (3, &w1, ghent("2029-01-31", 23.5)),
        (4, &w1, ghent("2029-03-02", 10.0)),
        (5, &w2, ghent("2029-03-05", 10.0)),
        (6, &w2, ghent("2029-03-06", 10.0)),
        (7, &w1, ghent("2029-12-31", 23.5)),
        (8, &i1, ghent("2029-10-10", 10.0)),
        (9, &w1, ghent("2028-12-15", 10.0)),
        (10, &i1, ghent("2029-12-31", 24.5)),
    ] {
        reveal(&server, n, who, &s1, at);
    }
    // Door reports: two "code fails" (one closed), a broken safe sent to repair, a known
    // code handled as a leak; one from December 2028 does not count.
    for (n, problem, outcome, at) in [
        (0x21, "code_fails", "'closed'", ghent("2029-02-02", 10.0)),
        (0x22, "code_fails", "NULL", ghent("2029-10-02", 10.0)),
        (0x23, "broken", "'repair'", ghent("2029-04-01", 10.0)),
        (0x24, "code_known", "'leak'", ghent("2029-05-14", 8.0)),
        (0x25, "other", "'closed'", ghent("2028-12-20", 10.0)),
    ] {
        door_report(&server, n, &s1, &wgk, &w1, problem, outcome, at);
    }

    // Today is Monday 12 November 2029.
    goto(&server, &mut p, "2029-11-12").await;
    let year = EvaluationQuery::year(2029);
    let (status, body) = get_json(&server, &p.coord, &path(&year)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let e: Evaluation = serde_json::from_value(body).unwrap();
    assert_eq!(
        (e.from, e.to, e.today.to_string()),
        (year.from, year.to, "2029-11-12".into())
    );

    // Safes: S0 at the start; S0, S1, S3 at the end (S2 removed); 10 + 20 + 30 apartments.
    assert_eq!(
        (e.safes.at_start, e.safes.at_end, e.safes.growth),
        (1, 3, 2)
    );
    assert_eq!(e.safes.apartments_at_end, 60);
    let months: Vec<u32> = e.safes.by_month.iter().map(|m| m.count).collect();
    assert_eq!(months, [3, 4, 4, 4, 4, 4, 4, 4, 4, 3, 3, 3]);
    assert_eq!(e.safes.by_month[9].month.to_string(), "2029-10-01");

    // WGK and Partena registered at S1's building, i-mens through its reveal.
    assert_eq!(e.services_active, 3);
    assert_eq!(e.carers_active, 3);
    let carers = common::count(
        &server.data,
        "SELECT COUNT(*) FROM people WHERE role = 'carer' AND revoked_at IS NULL",
    );
    assert_eq!(i64::from(e.carer_accounts), carers);

    // Requests: five made, four approved, one declined, three installed after 7, 21 and 12
    // days: median 12, 90th percentile 21.
    let r = &e.requests;
    assert_eq!((r.made, r.approved, r.declined, r.installed), (5, 4, 1, 3));
    assert_eq!(
        (
            r.days_to_install.count,
            r.days_to_install.median,
            r.days_to_install.p90
        ),
        (3, Some(12), Some(21))
    );

    // Rotations due in 2029: S0 4 June (on time), S1 19 July (late), S2 12 August (on
    // time), S3 20 August (met early by the leak's change), S0 1 December and S3 18
    // November (both after today): 3 of 4 decided on time, 75%.
    let c = &e.codes;
    assert_eq!(
        (
            c.rotations.total,
            c.rotations.on_time,
            c.rotations.late,
            c.rotations.pending
        ),
        (6, 3, 1, 2)
    );
    assert_eq!(c.rotations.on_time_percent(), Some(75.0));
    // First codes: S1 and S3 on time, S2 late.
    assert_eq!(
        (
            c.first_codes.total,
            c.first_codes.on_time,
            c.first_codes.late
        ),
        (3, 2, 1)
    );
    // Leaks: S3 on time, S1 (reported twice) late.
    assert_eq!(
        (
            c.leaks.total,
            c.leaks.on_time,
            c.leaks.late,
            c.leaks.pending
        ),
        (2, 1, 1, 0)
    );

    let kinds: Vec<(String, u32)> = e
        .reports
        .by_problem
        .iter()
        .map(|p| (p.problem.to_string(), p.count))
        .collect();
    assert_eq!(
        kinds,
        [
            ("code_fails".into(), 2),
            ("broken".into(), 1),
            ("key_missing".into(), 0),
            ("code_known".into(), 1),
            ("other".into(), 0)
        ]
    );
    assert_eq!((e.reports.total, e.reports.handled), (4, 3));

    // Repairs: three asked in 2029; done in 2029 after 31, 7 and 10 days.
    let f = &e.repairs;
    assert_eq!((f.opened, f.done), (3, 3));
    assert_eq!(
        (f.days_to_fix.median, f.days_to_fix.p90),
        (Some(10), Some(31))
    );

    // Reveals per service and month.
    let names: Vec<&str> = e.reveals.iter().map(|s| s.service.as_str()).collect();
    assert_eq!(names, ["Wit-Gele Kruis", "i-mens"]);
    let per_month = |i: usize| {
        e.reveals[i]
            .months
            .iter()
            .map(|m| m.count)
            .collect::<Vec<_>>()
    };
    assert_eq!(per_month(0), [3, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    assert_eq!(e.reveals[0].total, 7);
    assert_eq!(per_month(1), [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0]);
    assert_eq!(e.reveals[0].service_id.to_string(), wgk);

    // The same figures as a file for Belgian Excel.
    let (status, file) = get_json(
        &server,
        &p.coord,
        &format!("{}?{}", kluis_api::paths::EVALUATION_CSV, year.to_query()),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{file}");
    let file: EvaluationExport = serde_json::from_value(file).unwrap();
    assert_eq!(file.file_name, "kluis-evaluatie-2029-01-01-2029-12-31.csv");
    assert!(
        file.csv
            .starts_with("\u{feff}onderdeel;cijfer;aantal;van;percentage\r\n")
    );
    assert!(
        file.csv
            .contains("\r\ncodewissel elke 6 maanden;op tijd;3;4;75,0\r\n"),
        "{}",
        file.csv
    );
    assert!(
        file.csv
            .contains("\r\naanvragen;aanvraag tot plaatsing: mediaan (dagen);12;;\r\n")
    );
    assert!(file.csv.contains("\r\nkluizen;groei;2;;\r\n"));

    // A period that ended before today has nothing pending: the first half year.
    let half = EvaluationQuery {
        from: year.from,
        to: "2029-06-30".parse().unwrap(),
    };
    let (_, body) = get_json(&server, &p.coord, &path(&half)).await;
    let h: Evaluation = serde_json::from_value(body).unwrap();
    assert_eq!(
        (h.codes.rotations.total, h.codes.rotations.on_time),
        (1, 1),
        "S0 in June"
    );
    assert_eq!(h.safes.by_month.len(), 6);
    assert_eq!(
        (h.safes.at_end, h.requests.installed, h.codes.leaks.total),
        (4, 3, 1)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_coordinator_reads_it_and_a_bad_period_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_on(dir.path(), "2026-12-07").await;
    let year = EvaluationQuery::year(2026);
    let paths = [
        path(&year),
        format!("{}?{}", kluis_api::paths::EVALUATION_CSV, year.to_query()),
    ];
    for who in ["carer.wgk.1", "admin.wgk", "staff.woningent", "volunteer.1"] {
        let token = login(&server, who).await.token;
        for p in &paths {
            let (status, body) = get_json(&server, &token, p).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{who} {p}");
            assert_eq!(body["code"], "forbidden");
            assert!(
                body.get("safes").is_none() && body.get("csv").is_none(),
                "{body}"
            );
        }
    }
    let (status, _) = get_json(&server, "not-a-token", &paths[0]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let coord = login(&server, "coordinator").await.token;
    for q in [
        "from=2026-12-31&to=2026-01-01",
        "from=2024-01-01&to=2026-12-31",
        "from=2026-01-01",
        "from=1%20januari&to=2026-12-31",
        "",
    ] {
        for base in [
            kluis_api::paths::EVALUATION,
            kluis_api::paths::EVALUATION_CSV,
        ] {
            let (status, body) = get_json(&server, &coord, &format!("{base}?{q}")).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{q}: {body}");
            assert_eq!(body["code"], "bad_request", "{q}");
        }
    }
    // Two whole years is the longest period.
    let two = EvaluationQuery {
        from: "2025-01-01".parse().unwrap(),
        to: year.to,
    };
    let (status, body) = get_json(&server, &coord, &path(&two)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["safes"]["by_month"].as_array().unwrap().len(), 24);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_has_a_past_year_to_evaluate_and_nothing_of_it_left_open() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Clock::starting_on("2026-12-03".parse().unwrap());
    let start = clock.now().millis();
    let server = TestServer::start_at(dir.path(), clock, |s| s.demo_history = true).await;
    let coord = login(&server, "coordinator").await.token;
    let (status, body) = get_json(&server, &coord, &path(&EvaluationQuery::year(2026))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let e: Evaluation = serde_json::from_value(body).unwrap();
    assert!(e.safes.at_end >= 200 && e.safes.growth > 0, "{:?}", e.safes);
    assert!(
        e.requests.installed > 5 && e.requests.declined > 0,
        "{:?}",
        e.requests
    );
    assert!(e.requests.days_to_install.median.is_some());
    let r = e.codes.rotations;
    assert!(
        r.total > 100 && r.on_time_percent().unwrap() > 80.0,
        "{r:?}"
    );
    assert!(e.codes.first_codes.total > 0 && e.codes.leaks.total > 0);
    assert!(e.reports.total > 0 && e.reports.handled == e.reports.total);
    assert!(e.repairs.done > 0 && e.repairs.days_to_fix.median.is_some());
    assert!(e.reveals.len() >= 4 && e.reveals.iter().all(|s| s.total > 100));
    // All of it happened before the start; nothing waits on anyone.
    for table in [
        "audit_events WHERE kind != 'signed_in' AND recorded_at",
        "door_reports WHERE received_at",
        "repair_items WHERE created_at",
        "safe_requests WHERE requested_at",
    ] {
        assert_eq!(
            common::count(
                dir.path(),
                &format!("SELECT COUNT(*) FROM {table} >= {start}")
            ),
            0,
            "{table}"
        );
    }
    assert_eq!(
        common::count(
            dir.path(),
            "SELECT COUNT(*) FROM door_reports WHERE outcome IS NULL"
        ),
        0
    );
    assert_eq!(
        common::count(
            dir.path(),
            "SELECT COUNT(*) FROM repair_items WHERE resolved_at IS NULL"
        ),
        0
    );
    assert_eq!(
        common::count(
            dir.path(),
            "SELECT COUNT(*) FROM safe_requests WHERE status IN ('requested', 'approved')"
        ),
        0
    );
}
