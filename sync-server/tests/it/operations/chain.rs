//! The audit trail's hash chain: the server cannot change or remove a row, and a row changed,
//! removed or slipped in with a database tool is found by `verify-audit`.

use kluis_sync_server::db::audit_chain::{self, Problem};
use reqwest::StatusCode;

use crate::common::process::admin;
use crate::common::{TestServer, get_json, http, login, post_json, sql};

/// A copy of the stopped server's data directory, to tamper with.
fn copy_of(data: &std::path::Path, to: &std::path::Path) -> std::path::PathBuf {
    std::fs::create_dir_all(to).unwrap();
    for f in ["kluis.sqlite3", "server.key"] {
        std::fs::copy(data.join(f), to.join(f)).unwrap();
    }
    to.to_path_buf()
}

fn tamper(data: &std::path::Path, sql_text: &str) -> Option<Problem> {
    let conn = rusqlite::Connection::open(data.join("kluis.sqlite3")).unwrap();
    conn.execute_batch(
        "DROP TRIGGER audit_rows_stay; DROP TRIGGER audit_rows_remain; DROP INDEX audit_seq;",
    )
    .unwrap();
    conn.execute_batch(sql_text).unwrap();
    audit_chain::verify(&conn, None).unwrap().problem
}

#[tokio::test]
async fn the_trail_is_chained_frozen_and_tampering_is_found_at_its_first_row() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("live");
    let server = TestServer::start(&data).await;
    // What the issue asks to see in the trail besides the outbox events.
    let coordinator = login(&server, "coordinator").await;
    let safe = sql(&data, |c| {
        c.query_row(
            "SELECT id FROM safes WHERE status = 'active' LIMIT 1",
            [],
            |r| r.get::<_, String>(0),
        )
        .unwrap()
    });
    let (status, _) = get_json(
        &server,
        &coordinator.token,
        &format!("/api/admin/safes/{safe}/code"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = post_json(
        &server,
        &coordinator.token,
        &format!("/api/admin/safes/{safe}/rotate"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let carer = login(&server, "carer.wgk.1").await;
    let resp = http()
        .post(server.url("/api/logout"))
        .bearer_auth(&carer.token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    // A guessing burst: refused sign-ins leave one row for the streak, not one per guess.
    for _ in 0..12 {
        let _ = http()
            .post(server.url("/api/login"))
            .json(&serde_json::json!({"login": "carer.wgk.2", "password": "wrong-guess"}))
            .send()
            .await
            .unwrap();
    }
    server.stop().await;
    let kinds: Vec<(String, i64)> = sql(&data, |c| {
        let mut s = c
            .prepare("SELECT kind, count(*) FROM audit_events GROUP BY kind ORDER BY kind")
            .unwrap();
        s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    });
    let n = |k: &str| {
        kinds
            .iter()
            .find(|(kind, _)| kind == k)
            .map_or(0, |(_, n)| *n)
    };
    assert_eq!(n("code_viewed"), 1, "{kinds:?}");
    assert_eq!(n("code_rotated"), 1, "{kinds:?}");
    assert_eq!(n("signed_out"), 1, "{kinds:?}");
    assert_eq!(n("signed_in"), 2, "{kinds:?}");
    assert_eq!(n("sign_in_failed"), 5, "{kinds:?}");
    assert_eq!(n("sign_in_limited"), 1, "{kinds:?}");

    // Ordered by the server: seq follows the order rows were received, with no gap.
    let rows = sql(&data, |c| {
        c.query_row("SELECT count(*), max(seq) FROM audit_events", [], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
        })
        .unwrap()
    });
    assert_eq!(rows.0, rows.1);
    let (ok, out) = admin(&data, &["verify-audit"], &[]);
    assert!(ok, "{out}");
    // The command's own row is in the trail it verifies.
    assert!(
        out.contains(&format!("{} audit rows verified", rows.0 + 1)),
        "{out}"
    );

    // Not through SQLite either, while the triggers stand.
    sql(&data, |c| {
        let err = c
            .execute("UPDATE audit_events SET detail = 'x' WHERE seq = 2", [])
            .unwrap_err()
            .to_string();
        assert!(err.contains("cannot be changed"), "{err}");
        let err = c
            .execute("DELETE FROM audit_events WHERE seq = 2", [])
            .unwrap_err()
            .to_string();
        assert!(err.contains("cannot be removed"), "{err}");
    });

    let changed = copy_of(&data, &dir.path().join("changed"));
    let problem = tamper(
        &changed,
        "UPDATE audit_events SET at = at + 1 WHERE seq = 3;",
    );
    assert!(
        matches!(problem, Some(Problem::Changed { seq: 3, .. })),
        "{problem:?}"
    );
    let (ok, out) = admin(&changed, &["verify-audit"], &[]);
    assert!(!ok && out.contains("row 3"), "{out}");

    let removed = copy_of(&data, &dir.path().join("removed"));
    let problem = tamper(&removed, "DELETE FROM audit_events WHERE seq = 4;");
    assert_eq!(problem, Some(Problem::Removed { seq: 4, found: 5 }));

    let inserted = copy_of(&data, &dir.path().join("inserted"));
    let problem = tamper(
        &inserted,
        "INSERT INTO audit_events (id, at, recorded_at, kind, detail)
         VALUES ('00000000-0000-4000-8000-000000000001', 1, 1, 'code_revealed', '');",
    );
    assert!(
        matches!(problem, Some(Problem::Inserted { .. })),
        "{problem:?}"
    );

    // A rewritten tail verifies on its own, but not against an earlier backup's head.
    let backup = dir.path().join("before.sqlite3");
    let (ok, out) = admin(&data, &["backup", "--to", backup.to_str().unwrap()], &[]);
    assert!(ok, "{out}");
    let rewritten = copy_of(&data, &dir.path().join("rewritten"));
    let last = rows.1 + 2; // after the verify's and the backup's own rows
    let problem = tamper(
        &rewritten,
        &format!("DELETE FROM audit_events WHERE seq >= {last};"),
    );
    assert_eq!(
        problem, None,
        "a clean cut of the tail is only seen against a head"
    );
    let (ok, out) = admin(
        &rewritten,
        &["verify-audit", "--against", backup.to_str().unwrap()],
        &[],
    );
    // The verify's own row now sits where the backup's last row was.
    assert!(!ok && out.contains("the trail was rewritten"), "{out}");
}
