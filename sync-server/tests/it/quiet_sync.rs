//! A sync with nothing new only reads: a region's phones syncing every few minutes must not
//! each cost a disk write. What is new (a reveal, a changed code, a token due for rotation,
//! a device not noted as seen for a while) is still written at once, in the sync's one
//! transaction; sync states alone are written behind, many devices in one transaction.

use kluis_domain::ids::{EventId, SafeId};
use kluis_domain::rng::SeededRandom;
use kluis_domain::schema::{DeviceEvent, append_device_event};
use kluis_domain::sync::{ClientEvent, DocId};
use kluis_sync_server::db::sessions::SEEN_EVERY_MS;
use kluis_sync_server::flush_sync_states;
use rusqlite::Connection;

use crate::common::lifecycle::scope_of;
use crate::common::*;

/// Changes another connection committed since `watch` last asked (SQLite's `data_version`).
fn version(watch: &Connection) -> i64 {
    watch
        .query_row("PRAGMA data_version", [], |r| r.get(0))
        .unwrap()
}

fn last_seen(dir: &std::path::Path, device: &Device) -> i64 {
    sql(dir, |c| {
        c.query_row(
            "SELECT last_seen_at FROM devices WHERE id = ?1",
            [device.session.device.to_string()],
            |r| r.get(0),
        )
        .unwrap()
    })
}

/// Syncs and checks that the phone heard of nothing new.
async fn quiet(carer: &mut Device, server: &TestServer) {
    let outcome = carer.sync(server).await.ok().unwrap();
    let news = outcome
        .events
        .iter()
        .filter(|e| !matches!(e, ClientEvent::Synced { .. }))
        .count();
    assert_eq!(news, 0, "{:?}", outcome.events);
}

#[tokio::test]
async fn a_sync_with_nothing_new_writes_nothing_and_what_is_new_is_written_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let (server, state) = TestServer::start_with_state(dir.path()).await;
    let mut carer = Device::enrol(&server, "carer.wgk.1").await;
    let token = carer.session.token.clone();
    // The first sync brings the scope whole; the second settles what both now hold.
    carer.sync(&server).await.ok().unwrap();
    carer.sync(&server).await.ok().unwrap();
    flush_sync_states(&state).await.unwrap();
    let seen = last_seen(dir.path(), &carer);

    let watch = Connection::open(dir.path().join("kluis.sqlite3")).unwrap();
    let before = version(&watch);
    for _ in 0..5 {
        quiet(&mut carer, &server).await;
    }
    assert_eq!(state.sync_states.unwritten(), 0, "no state changed");
    assert_eq!(flush_sync_states(&state).await.unwrap(), 0);
    assert_eq!(version(&watch), before, "five syncs with nothing new wrote");
    assert_eq!(carer.session.token, token, "the token is kept while fresh");
    assert_eq!(last_seen(dir.path(), &carer), seen);

    // Minutes later the device is noted as seen, still with its token.
    server.clock.advance_millis(SEEN_EVERY_MS);
    quiet(&mut carer, &server).await;
    assert_ne!(version(&watch), before);
    assert!(last_seen(dir.path(), &carer) >= seen + SEEN_EVERY_MS);
    assert_eq!(carer.session.token, token);

    // A reveal on the phone reaches the audit trail with the sync that carries it.
    let safe: SafeId = scope_of(&carer).safes.keys().next().copied().unwrap();
    let device = carer.session.device;
    let at = server.clock.now();
    append_device_event(
        carer.client.doc_mut(&DocId::device(device)),
        device,
        EventId::random(&mut SeededRandom::new(7)),
        &DeviceEvent::CodeRevealed { safe, at },
        at,
    )
    .unwrap();
    carer.sync(&server).await.ok().unwrap();
    assert_eq!(
        count(
            dir.path(),
            "SELECT COUNT(*) FROM audit_events WHERE kind = 'code_revealed'"
        ),
        1
    );

    // A code the coordinator changes reaches the phone at its next sync; what both sides
    // now hold is written at the next flush, and the syncs after are quiet again.
    let coordinator = login(&server, "coordinator").await;
    let (status, body) = post_json(
        &server,
        &coordinator.token,
        &format!("/api/admin/safes/{safe}/rotate"),
    )
    .await;
    assert_eq!(status, reqwest::StatusCode::OK, "{body}");
    carer.sync(&server).await.ok().unwrap();
    let shown = scope_of(&carer).safes[&safe]
        .code
        .as_ref()
        .unwrap()
        .value
        .to_string();
    assert_eq!(body["code"].as_str(), Some(shown.as_str()), "{body}");
    carer.sync(&server).await.ok().unwrap();
    // (The server's own flush may have come first: either way they are written now.)
    flush_sync_states(&state).await.unwrap();
    let quiet_from = version(&watch);
    quiet(&mut carer, &server).await;
    quiet(&mut carer, &server).await;
    assert_eq!(flush_sync_states(&state).await.unwrap(), 0);
    assert_eq!(
        version(&watch),
        quiet_from,
        "quiet again once the phone has it"
    );
    server.stop().await;
}

#[tokio::test]
async fn sync_states_written_behind_survive_a_restart_and_never_return_for_a_revoked_device() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut kept = Device::enrol(&server, "carer.wgk.1").await;
    let mut revoked = Device::enrol(&server, "carer.wgk.2").await;
    for device in [&mut kept, &mut revoked] {
        device.sync(&server).await.ok().unwrap();
        device.sync(&server).await.ok().unwrap();
    }
    let coordinator = login(&server, "coordinator").await;
    let (status, _) = post_json(
        &server,
        &coordinator.token,
        &format!("/api/admin/devices/{}/revoke", revoked.session.device),
    )
    .await;
    assert_eq!(status, reqwest::StatusCode::OK);
    // The stop writes what was pending.
    server.stop().await;
    let states = |device: &Device| {
        sql(dir.path(), |c| {
            c.query_row(
                "SELECT COUNT(*) FROM sync_states WHERE device_id = ?1",
                [device.session.device.to_string()],
                |r| r.get::<_, i64>(0),
            )
            .unwrap()
        })
    };
    assert_eq!(states(&kept), 2, "the scope's and the outbox's");
    assert_eq!(states(&revoked), 0);

    let server = TestServer::start(dir.path()).await;
    quiet(&mut kept, &server).await;
    server.stop().await;
}
