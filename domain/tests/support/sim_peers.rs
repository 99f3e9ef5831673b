//! The simulated peers of `sync_sim.rs`: a server holding a scope document and the devices'
//! outboxes as `sync-server` does, and devices with their `SyncClient`, talking through
//! encoded requests and replies only.

#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};

use automerge::{ActorId, AutoCommit};
use kluis_domain::ids::{DeviceId, EventId, OrgId, SafeId, SafeModelId};
use kluis_domain::model::SafeStatus;
use kluis_domain::rng::{RandomSource, SeededRandom};
use kluis_domain::safe_model::ButtonSet;
use kluis_domain::schema::{
    CodeView, DeviceEvent, ModelView, SafeView, ScopeSettings, ScopeView, append_device_event,
    read_device_events, write_scope,
};
use kluis_domain::sync::{
    Access, DocId, DocKind, Incoming, PROTOCOL_VERSION, SyncClient, SyncReply, SyncRequest,
    server_round,
};
use kluis_domain::time::Timestamp;

pub const CODES: [&str; 6] = ["1357", "2468", "13579", "24680", "1470", "2589"];

pub fn initial_view(service: OrgId, safes: usize) -> ScopeView {
    let model = SafeModelId::from_bytes([1; 16]);
    let mut models = BTreeMap::new();
    models.insert(
        model,
        ModelView {
            name: "Supra KeySafe Pro".into(),
            buttons: "1234567890".into(),
        },
    );
    let mut map = BTreeMap::new();
    for n in 0..safes {
        let mut id = [0u8; 16];
        id[0] = n as u8 + 1;
        map.insert(
            SafeId::from_bytes(id),
            SafeView {
                street: "Sleepstraat".into(),
                numbers: format!("{}-{}", 10 + n * 10, 16 + n * 10).parse().unwrap(),
                postcode: "9000".into(),
                city: "Gent".into(),
                district: "Binnenstad".into(),
                apartments: 24,
                placement: "links van de inkomdeur".into(),
                model,
                status: SafeStatus::Active,
                code: Some(CodeView {
                    value: ButtonSet::parse(CODES[n % CODES.len()]).unwrap(),
                    since: Timestamp::from_millis(0),
                }),
                previous_code: None,
                new_code: None,
            },
        );
    }
    ScopeView {
        service,
        service_name: "Wit-Gele Kruis".into(),
        settings: ScopeSettings::default(),
        models,
        safes: map,
    }
}

pub struct Server {
    pub service: OrgId,
    pub epoch: u32,
    pub scope: AutoCommit,
    pub view: ScopeView,
    pub device_docs: BTreeMap<DeviceId, AutoCommit>,
    pub states: HashMap<(DeviceId, DocId), Vec<u8>>,
    pub now: i64,
}

impl Server {
    pub fn new(service: OrgId) -> Self {
        let view = initial_view(service, 4);
        let mut scope = AutoCommit::new().with_actor(ActorId::from(&[0xAA; 16][..]));
        write_scope(&mut scope, &view, Timestamp::from_millis(0)).unwrap();
        Server {
            service,
            epoch: 0,
            scope,
            view,
            device_docs: BTreeMap::new(),
            states: HashMap::new(),
            now: 0,
        }
    }

    pub fn scope_id(&self) -> DocId {
        DocId::scope(self.service, self.epoch)
    }

    pub fn keep(&self, dev: DeviceId) -> Vec<DocId> {
        vec![self.scope_id(), DocId::device(dev)]
    }

    pub fn change_code(&mut self, rng: &mut SeededRandom) {
        self.now += 60_000;
        let ids: Vec<SafeId> = self.view.safes.keys().copied().collect();
        if ids.is_empty() {
            return;
        }
        let id = ids[rng.below(ids.len() as u64) as usize];
        let safe = self.view.safes.get_mut(&id).unwrap();
        let next = ButtonSet::parse(CODES[rng.below(CODES.len() as u64) as usize]).unwrap();
        safe.previous_code = safe.code.take();
        safe.code = Some(CodeView {
            value: next,
            since: Timestamp::from_millis(self.now),
        });
        write_scope(
            &mut self.scope,
            &self.view,
            Timestamp::from_millis(self.now),
        )
        .unwrap();
    }

    /// A safe leaves the scope: a new epoch without the old history.
    pub fn new_epoch(&mut self) {
        if let Some(first) = self
            .view
            .safes
            .keys()
            .next()
            .copied()
            .filter(|_| self.view.safes.len() > 1)
        {
            self.view.safes.remove(&first);
        }
        self.epoch += 1;
        self.scope = AutoCommit::new().with_actor(ActorId::from(&[0xAA; 16][..]));
        write_scope(
            &mut self.scope,
            &self.view,
            Timestamp::from_millis(self.now),
        )
        .unwrap();
    }

    pub fn handle(&mut self, dev: DeviceId, bytes: &[u8]) -> Vec<u8> {
        let req = SyncRequest::decode(bytes).unwrap();
        let keep = self.keep(dev);
        let mut docs = Vec::new();
        for id in &keep {
            let incoming = req.docs.iter().find(|d| &d.doc == id);
            if matches!(incoming, Some(d) if d.message.is_none()) {
                continue;
            }
            let stored = self.states.get(&(dev, id.clone())).cloned();
            let (doc, access) = match id.kind() {
                // The simulation has no volunteers; a rounds document is server-written like a
                // scope and syncs the same way.
                DocKind::Scope { .. } | DocKind::Rounds { .. } => {
                    (&mut self.scope, Access::ReadOnly)
                }
                DocKind::Device { device } => (
                    self.device_docs.entry(device).or_default(),
                    Access::ReadWrite,
                ),
            };
            let snapshot = doc.save();
            let incoming = match incoming.and_then(|d| d.message.as_deref()) {
                Some(bytes) => Incoming::Message(bytes),
                None => Incoming::NotHeld {
                    snapshot: &snapshot,
                },
            };
            let validate = move |d: &AutoCommit| read_device_events(d, dev).map(|_| ());
            let round =
                server_round(doc, id, stored.as_deref(), access, incoming, &validate).unwrap();
            if let Some(state) = round.new_state {
                self.states.insert((dev, id.clone()), state);
            }
            docs.push(round.reply);
        }
        SyncReply::Docs {
            protocol: PROTOCOL_VERSION,
            keep,
            docs,
            server_time: Timestamp::from_millis(self.now),
        }
        .encode()
        .unwrap()
    }
}

pub struct Device {
    pub id: DeviceId,
    pub client: SyncClient,
    pub events: usize,
}

impl Device {
    pub fn new(n: u8) -> Self {
        let id = DeviceId::from_bytes([n; 16]);
        Device {
            id,
            client: SyncClient::new(id),
            events: 0,
        }
    }

    pub fn record_reveal(&mut self, rng: &mut SeededRandom, safe: SafeId) {
        let doc = self.client.doc_mut(&DocId::device(self.id));
        let event = DeviceEvent::CodeRevealed {
            safe,
            at: Timestamp::from_millis(self.events as i64),
        };
        append_device_event(
            doc,
            self.id,
            EventId::random(rng),
            &event,
            Timestamp::from_millis(0),
        )
        .unwrap();
        self.events += 1;
    }

    /// Runs sessions over a perfect network until the device has nothing left to say.
    pub fn sync_reliably(&mut self, server: &mut Server) {
        self.client.begin_session();
        while let Some(req) = self.client.next_request() {
            let reply = server.handle(self.id, &req.encode().unwrap());
            self.client
                .handle_reply(SyncReply::decode(&reply).unwrap())
                .unwrap();
        }
    }
}
