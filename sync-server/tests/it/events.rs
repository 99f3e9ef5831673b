//! The event stream: an open app hears at once that a code changed (the change itself, which
//! it applies without a sync when it is at its heads), and that it was revoked.

use std::time::Duration;

use crate::common::lifecycle::scope_of;
use crate::common::*;
use futures_util::StreamExt;
use reqwest::StatusCode;

/// Reads the stream until an event of `name` arrives; returns its data line.
async fn next_event<S, B>(stream: &mut S, buf: &mut String, name: &str) -> String
where
    S: futures_util::Stream<Item = reqwest::Result<B>> + Unpin,
    B: AsRef<[u8]>,
{
    next_event_within(stream, buf, name, Duration::from_secs(5)).await
}

async fn next_event_within<S, B>(
    stream: &mut S,
    buf: &mut String,
    name: &str,
    wait: Duration,
) -> String
where
    S: futures_util::Stream<Item = reqwest::Result<B>> + Unpin,
    B: AsRef<[u8]>,
{
    loop {
        if let Some(pos) = buf.find("\n\n") {
            let block: String = buf.drain(..pos + 2).collect();
            let mut event = "";
            let mut data = String::new();
            for line in block.lines() {
                if let Some(e) = line.strip_prefix("event:") {
                    event = e.trim();
                } else if let Some(d) = line.strip_prefix("data:") {
                    data = d.trim().to_string();
                }
            }
            if event == name {
                return data;
            }
            continue;
        }
        let chunk = tokio::time::timeout(wait, stream.next())
            .await
            .unwrap_or_else(|_| panic!("no `{name}` event within {wait:?}"))
            .expect("stream ended")
            .unwrap();
        buf.push_str(&String::from_utf8_lossy(chunk.as_ref()));
    }
}

/// The device's event stream, read up to its `ready` event.
async fn listening(
    server: &TestServer,
    device: &Device,
) -> (
    impl futures_util::Stream<Item = reqwest::Result<impl AsRef<[u8]> + use<>>> + Unpin + use<>,
    String,
) {
    let resp = http()
        .get(server.url("/api/events"))
        .bearer_auth(&device.session.token)
        .send()
        .await
        .unwrap();
    let mut stream = resp.bytes_stream();
    let mut buf = String::new();
    next_event(&mut stream, &mut buf, "ready").await;
    (stream, buf)
}

/// `sync-server admin revoke-device` in another process: it cannot nudge this server.
async fn revoke_by_command(data: &std::path::Path, device: &Device) {
    let id = device.session.device.to_string();
    let data = data.to_path_buf();
    let (ok, out) = tokio::task::spawn_blocking(move || {
        crate::common::process::admin(&data, &["revoke-device", &id], &[])
    })
    .await
    .unwrap();
    assert!(ok, "{out}");
}

#[tokio::test]
async fn a_changed_code_and_a_revocation_reach_an_open_stream_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut carer = Device::enrol(&server, "carer.wgk.1").await;
    carer.sync(&server).await.ok().unwrap();
    let resp = http()
        .get(server.url("/api/events"))
        .bearer_auth(&carer.session.token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let mut stream = resp.bytes_stream();
    let mut buf = String::new();
    next_event(&mut stream, &mut buf, "ready").await;

    let coordinator = login(&server, "coordinator").await;
    // A second phone of the service that hears nothing for a while: it falls behind.
    let mut behind = Device::enrol(&server, "carer.wgk.2").await;
    behind.sync(&server).await.ok().unwrap();
    let scope = carer
        .client
        .doc_ids()
        .find(|d| d.to_string().starts_with("scope."))
        .cloned()
        .unwrap();
    let view = kluis_domain::schema::read_scope(carer.client.doc(&scope).unwrap()).unwrap();
    let mut safes = view.safes.keys();
    let (first, second) = (*safes.next().unwrap(), *safes.next().unwrap());
    let code_on = |d: &Device, safe| {
        kluis_domain::schema::read_scope(d.client.doc(&scope).unwrap())
            .unwrap()
            .safes[&safe]
            .code
            .as_ref()
            .map(|c| c.value.to_string())
    };
    let server_code = |safe| {
        let (server, token) = (&server, coordinator.token.clone());
        async move {
            let (_, body) =
                get_json(server, &token, &format!("/api/admin/safes/{safe}/code")).await;
            body["code"].as_str().map(String::from)
        }
    };
    let rotate = |safe| {
        let (server, token) = (&server, coordinator.token.clone());
        async move {
            let (status, _) =
                post_json(server, &token, &format!("/api/admin/safes/{safe}/rotate")).await;
            assert_eq!(status, StatusCode::OK);
        }
    };

    // The change itself comes over the stream: applied, no sync needed.
    rotate(first).await;
    let data = next_event(&mut stream, &mut buf, "change").await;
    let push = kluis_domain::sync::PushedChange::decode(&data).unwrap();
    assert_eq!(push.doc, scope);
    assert!(carer.client.apply_push(&push));
    assert_eq!(code_on(&carer, first), server_code(first).await);
    // A phone that missed it cannot apply the next one, and syncs for both instead.
    rotate(second).await;
    let data = next_event(&mut stream, &mut buf, "change").await;
    let push = kluis_domain::sync::PushedChange::decode(&data).unwrap();
    assert!(!behind.client.apply_push(&push));
    behind.sync(&server).await.ok().unwrap();
    assert_eq!(code_on(&behind, first), server_code(first).await);
    assert_eq!(code_on(&behind, second), server_code(second).await);
    assert!(carer.client.apply_push(&push));
    let outcome = carer.sync(&server).await.ok().unwrap();
    assert!(
        !outcome
            .events
            .iter()
            .any(|e| matches!(e, kluis_domain::sync::ClientEvent::DocChanged(_))),
        "the sync after the pushed changes brings nothing new"
    );
    // A second rotation of the first safe retires its previous code: a new epoch, which
    // the phone must load whole, so a plain `sync` nudge.
    rotate(first).await;
    next_event(&mut stream, &mut buf, "sync").await;
    let outcome = carer.sync(&server).await.ok().unwrap();
    assert!(
        outcome
            .events
            .iter()
            .any(|e| matches!(e, kluis_domain::sync::ClientEvent::DocLoaded(_)))
    );
    assert!(
        carer.client.doc(&scope).is_none(),
        "the old epoch's document is gone"
    );

    let (status, _) = post_json(
        &server,
        &coordinator.token,
        &format!("/api/admin/devices/{}/revoke", carer.session.device),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        next_event(&mut stream, &mut buf, "wipe").await,
        "device_revoked"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_revocation_by_the_admin_command_reaches_an_open_stream() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut carer = Device::enrol(&server, "carer.wgk.1").await;
    carer.sync(&server).await.ok().unwrap();
    let (mut stream, mut buf) = listening(&server, &carer).await;

    // Another process: it cannot nudge this server, whose watch notices within its period.
    revoke_by_command(dir.path(), &carer).await;
    let wait = kluis_sync_server::revoke::WATCH_EVERY + Duration::from_secs(5);
    assert_eq!(
        next_event_within(&mut stream, &mut buf, "wipe", wait).await,
        "device_revoked"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_device_revoked_by_the_admin_command_gets_no_pushed_change_before_the_watch_sees_it() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let mut carer = Device::enrol(&server, "carer.wgk.1").await;
    carer.sync(&server).await.ok().unwrap();
    let (mut stream, mut buf) = listening(&server, &carer).await;

    revoke_by_command(dir.path(), &carer).await;
    // At once, well before the watch's next look: a code of the service changes.
    let coordinator = login(&server, "coordinator").await;
    let safe = *scope_of(&carer).safes.keys().next().unwrap();
    let (status, _) = post_json(
        &server,
        &coordinator.token,
        &format!("/api/admin/safes/{safe}/rotate"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // The stream asks the database instead of sending the change: the next event is the wipe.
    loop {
        if let Some(pos) = buf.find("\n\n") {
            let block: String = buf.drain(..pos + 2).collect();
            assert!(!block.contains("event: change"), "{block}");
            if block.contains("event: wipe") {
                assert!(block.contains("device_revoked"), "{block}");
                break;
            }
            continue;
        }
        let chunk = tokio::time::timeout(Duration::from_secs(5), stream.next())
            .await
            .expect("the wipe within 5 s")
            .expect("stream ended")
            .unwrap();
        buf.push_str(&String::from_utf8_lossy(chunk.as_ref()));
    }
    server.stop().await;
}
