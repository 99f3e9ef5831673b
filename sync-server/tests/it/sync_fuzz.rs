//! Hostile sync bodies against the real server: random bytes, truncations, bit flips and
//! corrupted Automerge messages inside well-formed requests. Every one gets a clear answer
//! (never a 500), nothing is half-applied, and the device syncs normally afterwards.

use crate::common::*;
use kluis_domain::ids::EventId;
use kluis_domain::rng::{RandomSource, SeededRandom};
use kluis_domain::schema::{DeviceEvent, append_device_event, read_scope};
use kluis_domain::sync::{DocId, SyncRequest};
use kluis_domain::time::Timestamp;
use reqwest::StatusCode;

fn mutate(rng: &mut SeededRandom, valid: &[u8]) -> Vec<u8> {
    let mut bytes = valid.to_vec();
    match rng.below(5) {
        0 => {
            let len = rng.below(200) as usize;
            let mut out = vec![0u8; len];
            rng.fill_bytes(&mut out);
            out
        }
        1 => {
            bytes.truncate(rng.below(bytes.len() as u64) as usize);
            bytes
        }
        2 => {
            for _ in 0..=rng.below(4) {
                let i = rng.below(bytes.len() as u64) as usize;
                bytes[i] ^= 1 << rng.below(8);
            }
            bytes
        }
        3 => {
            let i = rng.below(bytes.len() as u64) as usize;
            let mut extra = vec![0u8; 1 + rng.below(16) as usize];
            rng.fill_bytes(&mut extra);
            bytes.splice(i..i, extra);
            bytes
        }
        _ => {
            // A well-formed request around a damaged Automerge message.
            let mut req = SyncRequest::decode(valid).unwrap();
            for doc in &mut req.docs {
                if let Some(m) = &mut doc.message
                    && !m.is_empty()
                {
                    let i = rng.below(m.len() as u64) as usize;
                    m[i] ^= 1 << rng.below(8);
                    if rng.below(2) == 0 {
                        m.truncate(i);
                    }
                }
            }
            req.encode().unwrap()
        }
    }
}

/// An enrolled carer with one reveal waiting in its outbox, and the request that would
/// carry it (real changes worth corrupting).
async fn carer_with_pending_event(
    server: &TestServer,
    login: &str,
    seed: u64,
) -> (Device, Vec<u8>) {
    let mut carer = Device::enrol(server, login).await;
    carer.sync(server).await.ok().unwrap();
    let device = carer.session.device;
    let scope = carer
        .client
        .doc_ids()
        .find(|d| d.to_string().starts_with("scope."))
        .cloned()
        .unwrap();
    let safe = *read_scope(carer.client.doc(&scope).unwrap())
        .unwrap()
        .safes
        .keys()
        .next()
        .unwrap();
    let event = DeviceEvent::CodeRevealed {
        safe,
        at: Timestamp::from_millis(1_700_000_000_000),
    };
    append_device_event(
        carer.client.doc_mut(&DocId::device(device)),
        device,
        EventId::random(&mut SeededRandom::new(seed)),
        &event,
        Timestamp::from_millis(1_700_000_000_000),
    )
    .unwrap();
    carer.client.begin_session();
    let first = carer.client.next_request().unwrap().encode().unwrap();
    (carer, first)
}

#[tokio::test]
async fn hostile_sync_bodies_get_clear_errors_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let audit = || {
        sql(dir.path(), |c| {
            c.query_row(
                "SELECT COUNT(*) FROM audit_events WHERE kind != 'signed_in'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .unwrap()
        })
    };
    // The first sign-in waits until the server has opened its database.
    login(&server, "coordinator").await;
    let before = audit();
    let mut rng = SeededRandom::new(42);
    let mut statuses = std::collections::BTreeMap::new();
    let mut carers = Vec::new();
    // Six phones, 50 hostile bodies each: under the per-device rate, so every body is read.
    for (i, login) in [
        "carer.wgk.1",
        "carer.wgk.2",
        "carer.wgk.3",
        "carer.wgk.4",
        "carer.imens.1",
        "carer.imens.2",
    ]
    .into_iter()
    .enumerate()
    {
        let (carer, first) = carer_with_pending_event(&server, login, 100 + i as u64).await;
        for _ in 0..50 {
            let body = mutate(&mut rng, &first);
            let resp = http()
                .post(server.url("/api/sync"))
                .bearer_auth(&carer.session.token)
                .body(body)
                .send()
                .await
                .unwrap();
            let status = resp.status();
            assert!(
                matches!(
                    status,
                    StatusCode::OK | StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY
                ),
                "unexpected {status}: {}",
                resp.text().await.unwrap_or_default()
            );
            if status != StatusCode::OK {
                let body: serde_json::Value = resp.json().await.unwrap();
                assert!(body["code"].is_string() && body["message"].is_string());
            }
            *statuses.entry(status.as_u16()).or_insert(0) += 1;
        }
        carers.push(carer);
    }
    assert!(
        statuses.get(&400).copied().unwrap_or(0) > 50,
        "most garbage is refused: {statuses:?}"
    );
    assert_eq!(audit(), before, "no garbage reached the audit trail");

    // The honest devices still sync, and each event arrives exactly once.
    for carer in &mut carers {
        carer.sync(&server).await.ok().unwrap();
        carer.sync(&server).await.ok().unwrap();
    }
    assert_eq!(audit(), before + 6);
    server.stop().await;
}
