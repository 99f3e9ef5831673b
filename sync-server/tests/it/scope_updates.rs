//! A changed code changes only its safe in the scope document: the server stores a small
//! change (a chunk), not the whole scope again, and what is stored, what a first sync loads
//! and what a phone already holding the scope receives all agree, also after a restart.

use kluis_domain::ids::SafeId;
use kluis_sync_server::scopes::MAX_CHUNKS;
use serde_json::json;

use crate::common::lifecycle::scope_of;
use crate::common::*;

fn chunks(dir: &std::path::Path) -> Vec<(u32, i64)> {
    sql(dir, |c| {
        let mut stmt = c
            .prepare("SELECT seq, length(sealed_chunk) FROM scope_chunks ORDER BY epoch, seq")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    })
}

fn codes(device: &Device, safe: SafeId) -> (Option<String>, Option<String>) {
    let view = scope_of(device);
    let safe = &view.safes[&safe];
    (
        safe.code.as_ref().map(|c| c.value.to_string()),
        safe.previous_code.as_ref().map(|c| c.value.to_string()),
    )
}

async fn rotate(server: &TestServer, admin: &str, safe: SafeId) -> String {
    let (status, body) = post_json(server, admin, &format!("/api/admin/safes/{safe}/rotate")).await;
    assert_eq!(status, reqwest::StatusCode::OK, "{body}");
    body["code"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_changed_code_is_stored_as_a_small_change_and_every_phone_gets_it() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut carer = Device::enrol(&server, "carer.wgk.1").await;
    carer.sync(&server).await.ok().unwrap();
    let scope = scope_of(&carer);
    let safe = *scope.safes.keys().nth(scope.safes.len() / 2).unwrap();
    let (old, _) = codes(&carer, safe);
    let whole: i64 = sql(dir.path(), |c| {
        c.query_row("SELECT max(length(sealed_doc)) FROM scope_docs", [], |r| {
            r.get(0)
        })
        .unwrap()
    });
    assert!(chunks(dir.path()).is_empty());

    let admin = login(&server, "coordinator").await.token;
    let new = rotate(&server, &admin, safe).await;

    // One small chunk per scope that sees the safe, far smaller than the scope itself.
    let stored = chunks(dir.path());
    assert!(!stored.is_empty());
    for (seq, len) in &stored {
        assert_eq!(*seq, 1);
        assert!(
            *len < 1_000 && *len * 10 < whole,
            "chunk {len} B, scope {whole} B"
        );
    }

    // The phone holding the scope, and a phone's first sync (the snapshot with the change
    // appended), both see the new code and, for the grace period, the old one.
    carer.sync(&server).await.ok().unwrap();
    assert_eq!(codes(&carer, safe), (Some(new.clone()), old.clone()));
    let mut second = Device::enrol(&server, "carer.wgk.2").await;
    second.sync(&server).await.ok().unwrap();
    assert_eq!(codes(&second, safe), (Some(new.clone()), old.clone()));
    assert_eq!(scope_of(&second), scope_of(&carer));

    // After a restart the scope is the stored document with its chunk applied.
    server.stop().await;
    let server = TestServer::start(dir.path()).await;
    let mut third = Device::enrol(&server, "carer.wgk.3").await;
    third.sync(&server).await.ok().unwrap();
    assert_eq!(scope_of(&third), scope_of(&carer));
    carer.sync(&server).await.ok().unwrap();
    assert_eq!(codes(&carer, safe), (Some(new), old));
    server.stop().await;
}

#[tokio::test]
async fn many_changes_are_folded_into_the_stored_document() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut carer = Device::enrol(&server, "carer.wgk.1").await;
    carer.sync(&server).await.ok().unwrap();
    let (safe, view) = scope_of(&carer).safes.into_iter().next().unwrap();
    let admin = login(&server, "coordinator").await.token;

    // Placement edits change the safe without retiring a code, so the epoch stays.
    let edit = |n: u32| {
        json!({"model_id": view.model, "placement": format!("links van de deur ({n})"),
               "status": view.status, "installed_on": null})
    };
    for n in 0..=MAX_CHUNKS {
        let (status, body) = send_json(
            &server,
            reqwest::Method::PUT,
            &admin,
            &format!("/api/admin/safes/{safe}"),
            &edit(n),
        )
        .await;
        assert_eq!(status, reqwest::StatusCode::OK, "{body}");
    }
    // The last edit found the limit reached and stored the document whole again.
    assert!(
        chunks(dir.path()).is_empty(),
        "{:?}",
        chunks(dir.path()).len()
    );
    carer.sync(&server).await.ok().unwrap();
    let placement = format!("links van de deur ({MAX_CHUNKS})");
    assert_eq!(scope_of(&carer).safes[&safe].placement, placement);

    server.stop().await;
    let server = TestServer::start(dir.path()).await;
    let mut second = Device::enrol(&server, "carer.wgk.2").await;
    second.sync(&server).await.ok().unwrap();
    assert_eq!(scope_of(&second).safes[&safe].placement, placement);
    server.stop().await;
}

#[tokio::test]
async fn phones_at_the_same_point_share_an_answer_and_a_phone_behind_still_catches_up() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut phones = Vec::new();
    for n in 1..=3 {
        let mut phone = Device::enrol(&server, &format!("carer.wgk.{n}")).await;
        phone.sync(&server).await.ok().unwrap();
        phone.sync(&server).await.ok().unwrap();
        phones.push(phone);
    }
    let scope = scope_of(&phones[0]);
    let mut safes = scope.safes.keys().copied();
    let (first, second) = (safes.next().unwrap(), safes.nth(3).unwrap());
    let admin = login(&server, "coordinator").await.token;

    // The first change reaches the first two phones; the third stays behind.
    let code1 = rotate(&server, &admin, first).await;
    for phone in &mut phones[..2] {
        phone.sync(&server).await.ok().unwrap();
        assert_eq!(codes(phone, first).0.as_deref(), Some(code1.as_str()));
    }
    // After the second, all three sync: the two at the same point get the same answer, the
    // one behind gets both changes.
    let code2 = rotate(&server, &admin, second).await;
    let mut down = Vec::new();
    for phone in &mut phones {
        let outcome = phone.sync(&server).await.ok().unwrap();
        down.push(outcome.bytes_down);
        assert_eq!(codes(phone, first).0.as_deref(), Some(code1.as_str()));
        assert_eq!(codes(phone, second).0.as_deref(), Some(code2.as_str()));
    }
    assert_eq!(down[0], down[1]);
    assert!(down[2] > down[0], "{down:?}");
    assert_eq!(scope_of(&phones[0]), scope_of(&phones[2]));
    // And each is settled: the next sync brings nothing.
    for phone in &mut phones {
        let outcome = phone.sync(&server).await.ok().unwrap();
        assert_eq!(outcome.rounds, 1);
    }
    server.stop().await;
}
