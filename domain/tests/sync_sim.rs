//! The sync protocol under a hostile network, without sockets: one server and two devices of
//! the same home-care service, with requests and replies dropped, duplicated and reordered,
//! sessions abandoned half-way, the server changing codes and starting a new epoch, and the
//! devices recording events offline. After the network heals, everyone must agree.

#![allow(clippy::unwrap_used)]

#[path = "support/sim_peers.rs"]
mod peers;

use automerge::AutoCommit;
use kluis_domain::ids::{DeviceId, EventId, OrgId, SafeId};
use kluis_domain::model::DoorProblem;
use kluis_domain::rng::SeededRandom;
use kluis_domain::safe_model::ButtonSet;
use kluis_domain::schema::{
    CodeView, DeviceEvent, append_device_event, device_event_ids_at, read_device_events,
    read_scope, write_scope,
};
use kluis_domain::sync::{ClientEvent, DocId, PushedChange, SyncReply, SyncRequest};
use kluis_domain::time::Timestamp;
use proptest::prelude::*;

use peers::*;

#[derive(Clone, Debug)]
enum Step {
    StartSession(usize),
    ServeRequest(usize),
    DeliverReply(usize),
    DropRequest(usize),
    DropReply(usize),
    DuplicateReply(usize),
    ServerChangesCode,
    ServerNewEpoch,
    DeviceRecords(usize),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (0..2usize).prop_map(Step::StartSession),
        4 => (0..8usize).prop_map(Step::ServeRequest),
        4 => (0..8usize).prop_map(Step::DeliverReply),
        1 => (0..8usize).prop_map(Step::DropRequest),
        1 => (0..8usize).prop_map(Step::DropReply),
        1 => (0..8usize).prop_map(Step::DuplicateReply),
        2 => Just(Step::ServerChangesCode),
        1 => Just(Step::ServerNewEpoch),
        2 => (0..2usize).prop_map(Step::DeviceRecords),
    ]
}

fn run(steps: Vec<Step>, seed: u64) {
    let mut rng = SeededRandom::new(seed);
    let mut server = Server::new(OrgId::from_bytes([5; 16]));
    let mut devices = [Device::new(1), Device::new(2)];
    // In flight: (device index, bytes).
    let mut requests: Vec<(usize, Vec<u8>)> = Vec::new();
    let mut replies: Vec<(usize, Vec<u8>)> = Vec::new();
    let pick = |len: usize, i: usize| if len == 0 { None } else { Some(i % len) };

    for step in steps {
        match step {
            Step::StartSession(d) => {
                devices[d].client.begin_session();
                if let Some(req) = devices[d].client.next_request() {
                    requests.push((d, req.encode().unwrap()));
                }
            }
            Step::ServeRequest(i) => {
                if let Some(i) = pick(requests.len(), i) {
                    let (d, bytes) = requests.remove(i);
                    let reply = server.handle(devices[d].id, &bytes);
                    replies.push((d, reply));
                }
            }
            Step::DeliverReply(i) => {
                if let Some(i) = pick(replies.len(), i) {
                    let (d, bytes) = replies.remove(i);
                    let reply = SyncReply::decode(&bytes).unwrap();
                    // A stale reply may be refused; the device must stay usable either way.
                    if devices[d].client.handle_reply(reply).is_ok()
                        && let Some(req) = devices[d].client.next_request()
                    {
                        requests.push((d, req.encode().unwrap()));
                    }
                }
            }
            Step::DropRequest(i) => {
                if let Some(i) = pick(requests.len(), i) {
                    requests.remove(i);
                }
            }
            Step::DropReply(i) => {
                if let Some(i) = pick(replies.len(), i) {
                    replies.remove(i);
                }
            }
            Step::DuplicateReply(i) => {
                if let Some(i) = pick(replies.len(), i) {
                    let dup = replies[i].clone();
                    replies.push(dup);
                }
            }
            Step::ServerChangesCode => server.change_code(&mut rng),
            Step::ServerNewEpoch => server.new_epoch(),
            Step::DeviceRecords(d) => {
                let safe = *server
                    .view
                    .safes
                    .keys()
                    .next()
                    .unwrap_or(&SafeId::from_bytes([1; 16]));
                devices[d].record_reveal(&mut rng, safe);
            }
        }
    }

    // The network heals: every device syncs over a perfect link.
    for _ in 0..3 {
        for device in devices.iter_mut() {
            device.sync_reliably(&mut server);
        }
    }

    let expected = read_scope(&server.scope).unwrap();
    for device in devices.iter_mut() {
        let ids: Vec<DocId> = device.client.doc_ids().cloned().collect();
        assert_eq!(
            ids.len(),
            2,
            "device holds exactly its scope and its own outbox: {ids:?}"
        );
        let scope = device
            .client
            .doc(&server.scope_id())
            .expect("current epoch held");
        assert_eq!(
            read_scope(scope).unwrap(),
            expected,
            "device sees what the server has"
        );
        assert!(device.client.is_settled());

        let mine = device
            .client
            .doc(&DocId::device(device.id))
            .map(|d| read_device_events(d, device.id).unwrap().len())
            .unwrap_or(0);
        let on_server = server
            .device_docs
            .get(&device.id)
            .map(|d| read_device_events(d, device.id).unwrap().len())
            .unwrap_or(0);
        assert_eq!(mine, device.events, "no local event lost");
        assert_eq!(on_server, device.events, "every event reached the server");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn converges_after_drops_duplicates_and_reordering(steps in proptest::collection::vec(step(), 0..60), seed in any::<u64>()) {
        run(steps, seed);
    }
}

#[test]
fn one_changed_code_takes_one_round_trip() {
    let mut server = Server::new(OrgId::from_bytes([5; 16]));
    let mut device = Device::new(1);
    device.sync_reliably(&mut server);
    let mut rng = SeededRandom::new(1);
    server.change_code(&mut rng);

    device.client.begin_session();
    let mut rounds = 0;
    while let Some(req) = device.client.next_request() {
        rounds += 1;
        let reply = server.handle(device.id, &req.encode().unwrap());
        device
            .client
            .handle_reply(SyncReply::decode(&reply).unwrap())
            .unwrap();
    }
    assert_eq!(rounds, 1);
    assert_eq!(
        read_scope(device.client.doc(&server.scope_id()).unwrap()).unwrap(),
        server.view
    );
}

#[test]
fn a_pushed_change_applies_at_its_heads_only_and_the_next_sync_brings_nothing() {
    let mut server = Server::new(OrgId::from_bytes([5; 16]));
    let mut device = Device::new(1);
    let mut lagging = Device::new(2);
    device.sync_reliably(&mut server);
    lagging.sync_reliably(&mut server);
    let mut rng = SeededRandom::new(4);
    let mut push = || {
        let from = server.scope.get_heads();
        server.change_code(&mut rng);
        PushedChange {
            doc: server.scope_id(),
            change: server.scope.save_after(&from),
            from,
            to: server.scope.get_heads(),
        }
    };
    let first = push();
    let second = push();
    let through_the_wire = |p: &PushedChange| PushedChange::decode(&p.encode().unwrap()).unwrap();
    assert!(device.client.apply_push(&through_the_wire(&first)));
    assert!(device.client.apply_push(&through_the_wire(&second)));
    assert_eq!(
        read_scope(device.client.doc(&server.scope_id()).unwrap()).unwrap(),
        server.view
    );
    // Not at its heads: refused, and a sync catches up.
    assert!(!lagging.client.apply_push(&second));
    lagging.sync_reliably(&mut server);
    assert_eq!(
        read_scope(lagging.client.doc(&server.scope_id()).unwrap()).unwrap(),
        server.view
    );
    // The device's next sync: one round, no change to apply.
    device.client.begin_session();
    let req = device.client.next_request().unwrap();
    let reply = server.handle(device.id, &req.encode().unwrap());
    let events = device
        .client
        .handle_reply(SyncReply::decode(&reply).unwrap())
        .unwrap();
    assert!(device.client.is_settled());
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, ClientEvent::DocChanged(_)))
    );
    // Its own outbox is never written from outside.
    let outbox = PushedChange {
        doc: DocId::device(device.id),
        ..first
    };
    assert!(!device.client.apply_push(&outbox));
}

#[test]
fn an_outbox_the_server_holds_is_not_sent_again_until_the_device_adds_to_it() {
    let mut server = Server::new(OrgId::from_bytes([5; 16]));
    let mut device = Device::new(1);
    let mut rng = SeededRandom::new(3);
    let safe = *server.view.safes.keys().next().unwrap();
    device.record_reveal(&mut rng, safe);
    device.sync_reliably(&mut server);
    let outbox = DocId::device(device.id);
    let says = |req: &SyncRequest, id: &DocId| {
        req.docs
            .iter()
            .find(|d| &d.doc == id)
            .is_some_and(|d| d.message.is_some())
    };

    // Nothing new on the phone: the request speaks for the scope only, and one round settles.
    device.client.begin_session();
    let req = device.client.next_request().unwrap();
    assert!(!says(&req, &outbox));
    assert!(says(&req, &server.scope_id()));
    let reply = server.handle(device.id, &req.encode().unwrap());
    device
        .client
        .handle_reply(SyncReply::decode(&reply).unwrap())
        .unwrap();
    assert!(device.client.is_settled());

    // A new reveal: the outbox speaks again and the server gets it.
    device.record_reveal(&mut rng, safe);
    device.client.begin_session();
    let req = device.client.next_request().unwrap();
    assert!(says(&req, &outbox));
    let reply = server.handle(device.id, &req.encode().unwrap());
    device
        .client
        .handle_reply(SyncReply::decode(&reply).unwrap())
        .unwrap();
    while let Some(req) = device.client.next_request() {
        let reply = server.handle(device.id, &req.encode().unwrap());
        device
            .client
            .handle_reply(SyncReply::decode(&reply).unwrap())
            .unwrap();
    }
    let on_server = read_device_events(&server.device_docs[&device.id], device.id).unwrap();
    assert_eq!(on_server.len(), 2);
}

#[test]
fn first_sync_takes_one_round_trip_and_a_device_cannot_write_the_scope() {
    let mut server = Server::new(OrgId::from_bytes([5; 16]));
    let mut device = Device::new(1);
    device.client.begin_session();
    let req = device.client.next_request().unwrap();
    let reply = server.handle(device.id, &req.encode().unwrap());
    device
        .client
        .handle_reply(SyncReply::decode(&reply).unwrap())
        .unwrap();
    assert!(
        device.client.is_settled(),
        "one round trip brings everything"
    );

    // The device tampers with its copy of the scope; the server must ignore it.
    let scope_id = server.scope_id();
    let doc = device.client.doc_mut(&scope_id);
    let mut view = read_scope(doc).unwrap();
    for safe in view.safes.values_mut() {
        safe.code = Some(CodeView {
            value: ButtonSet::parse("1234567").unwrap(),
            since: Timestamp::from_millis(9),
        });
    }
    write_scope(doc, &view, Timestamp::from_millis(9)).unwrap();
    device.sync_reliably(&mut server);
    assert_eq!(
        read_scope(&server.scope).unwrap(),
        server.view,
        "server copy untouched"
    );
}

#[test]
fn a_report_counts_as_sent_only_once_the_server_has_it() {
    let mut server = Server::new(OrgId::from_bytes([5; 16]));
    let mut device = Device::new(1);
    device.sync_reliably(&mut server);
    let outbox = DocId::device(device.id);
    let safe = *server.view.safes.keys().next().unwrap();
    let report = EventId::from_bytes([9; 16]);
    append_device_event(
        device.client.doc_mut(&outbox),
        device.id,
        report,
        &DeviceEvent::ProblemReported {
            safe,
            problem: DoorProblem::KeyMissing,
            note: String::new(),
            at: Timestamp::from_millis(5),
        },
        Timestamp::from_millis(5),
    )
    .unwrap();
    let sent = |d: &Device| {
        device_event_ids_at(
            d.client.doc(&outbox).unwrap(),
            &d.client.shared_heads(&outbox),
        )
        .contains(&report)
    };
    assert!(!sent(&device), "offline: waiting");

    // The request is lost on the way: still waiting.
    device.client.begin_session();
    let _lost = device.client.next_request().unwrap();
    assert!(!sent(&device));

    device.sync_reliably(&mut server);
    assert!(sent(&device), "the server acknowledged it");
    let on_server = read_device_events(&server.device_docs[&device.id], device.id).unwrap();
    assert!(on_server.iter().any(|(id, _)| *id == report));
}

#[test]
fn other_without_a_note_is_refused_on_the_phone() {
    let id = DeviceId::from_bytes([1; 16]);
    let mut doc = AutoCommit::new();
    let event = DeviceEvent::ProblemReported {
        safe: SafeId::from_bytes([2; 16]),
        problem: DoorProblem::Other,
        note: "  ".into(),
        at: Timestamp::from_millis(1),
    };
    assert!(
        append_device_event(
            &mut doc,
            id,
            EventId::from_bytes([3; 16]),
            &event,
            Timestamp::from_millis(1)
        )
        .is_err()
    );
}
