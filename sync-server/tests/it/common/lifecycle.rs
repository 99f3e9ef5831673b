//! Helpers for the code-lifecycle tests: documents on a test device, outbox records, and
//! the database as only the server can read it.

use std::time::Duration;

use futures_util::StreamExt;
use kluis_domain::ids::{EventId, SafeId};
use kluis_domain::model::ChangeFailure;
use kluis_domain::rng::SeededRandom;
use kluis_domain::schema::{
    DeviceEvent, RoundsView, ScopeView, append_device_event, read_rounds, read_scope,
};
use kluis_domain::sync::DocId;
use kluis_domain::time::Timestamp;

use super::{Device, sql};

pub fn doc_id(device: &Device, prefix: &str) -> Option<DocId> {
    device
        .client
        .doc_ids()
        .find(|d| d.to_string().starts_with(prefix))
        .cloned()
}

pub fn scope_of(device: &Device) -> ScopeView {
    read_scope(
        device
            .client
            .doc(&doc_id(device, "scope.").unwrap())
            .unwrap(),
    )
    .unwrap()
}

pub fn rounds_of(device: &Device) -> RoundsView {
    read_rounds(
        device
            .client
            .doc(&doc_id(device, "rounds.").unwrap())
            .unwrap(),
    )
    .unwrap()
}

/// Writes an event into the device's outbox, as the app does offline.
pub fn record(device: &mut Device, event: DeviceEvent, seed: u64) {
    let id = device.session.device;
    append_device_event(
        device.client.doc_mut(&DocId::device(id)),
        id,
        EventId::random(&mut SeededRandom::new(seed)),
        &event,
        Timestamp::from_millis(1_700_000_000_000),
    )
    .unwrap();
}

pub fn set(safe: SafeId) -> DeviceEvent {
    DeviceEvent::CodeSet {
        safe,
        at: Timestamp::from_millis(1_700_000_000_000),
    }
}

pub fn failed(safe: SafeId, reason: ChangeFailure) -> DeviceEvent {
    DeviceEvent::ChangeFailed {
        safe,
        reason,
        note: "deurtje klemt".into(),
        at: Timestamp::from_millis(1_700_000_100_000),
    }
}

/// Every code in the database, opened with the server key (as only the server can).
pub fn codes(data: &std::path::Path) -> Vec<kluis_sync_server::db::campaigns::CodeRow> {
    let key = kluis_sync_server::keys::load_or_create(data, None).unwrap();
    let db = kluis_sync_server::db::Db::open(data).unwrap();
    db.blocking(|c| kluis_sync_server::db::campaigns::all_codes(c, &key))
        .unwrap()
}

/// (safe, round) pairs of open items, in a stable order.
pub fn open_items(data: &std::path::Path) -> Vec<(String, String)> {
    sql(data, |c| {
        let mut stmt = c
            .prepare(
                "SELECT safe_id, round_id FROM campaign_items WHERE status = 'open' ORDER BY round_id, route_order",
            )
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    })
}

pub async fn next_event<S, B>(stream: &mut S, buf: &mut String, name: &str)
where
    S: futures_util::Stream<Item = reqwest::Result<B>> + Unpin,
    B: AsRef<[u8]>,
{
    loop {
        if let Some(pos) = buf.find("\n\n") {
            let block: String = buf.drain(..pos + 2).collect();
            if block.lines().any(|l| {
                l.trim() == format!("event: {name}") || l.trim() == format!("event:{name}")
            }) {
                return;
            }
            continue;
        }
        let chunk = tokio::time::timeout(Duration::from_secs(5), stream.next())
            .await
            .unwrap_or_else(|_| panic!("no `{name}` event within 5 s"))
            .expect("stream ended")
            .unwrap();
        buf.push_str(&String::from_utf8_lossy(chunk.as_ref()));
    }
}
