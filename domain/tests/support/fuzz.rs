//! A fuzz harness on stable Rust for what a device sends: the sync request decoder and the
//! server's handling of one round (`server_round` on a scope document and on the device's
//! outbox, as `sync-server` runs them). Inputs are mutations of real requests: random bytes,
//! truncations, bit flips, insertions, splices between requests, and structure-aware damage
//! to the Automerge messages inside (hostile Bloom filters, counts, change chunks). A panic
//! is a crash; the slowest input is reported so work bounds show.
//!
//! Used by `tests/fuzz_sync_round.rs` (a short seeded pass in the test command) and by
//! `benches/fuzz_sync.rs` (`cargo bench -p kluis-domain --bench fuzz_sync -- 10000000`).

#![allow(clippy::unwrap_used, dead_code)]

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use automerge::AutoCommit;
use automerge::sync::{Message, State, SyncDoc};
use kluis_domain::ids::{DeviceId, EventId, OrgId, SafeId, SafeModelId};
use kluis_domain::model::SafeStatus;
use kluis_domain::rng::{RandomSource, SeededRandom};
use kluis_domain::safe_model::ButtonSet;
use kluis_domain::schema::{
    CodeView, DeviceEvent, ModelView, SafeView, ScopeSettings, ScopeView, append_device_event,
    read_device_events, write_scope,
};
use kluis_domain::sync::{Access, DocId, DocKind, Incoming, SyncRequest, server_round};
use kluis_domain::time::Timestamp;

#[path = "wire.rs"]
mod wire;
use wire::uleb;

/// The server's side: a scope of `safes` safes and one device's outbox.
pub struct Target {
    pub scope_id: DocId,
    pub scope: AutoCommit,
    pub device: DeviceId,
    pub device_id: DocId,
    pub outbox: AutoCommit,
    /// Requests a real device sends at different moments, to mutate.
    pub corpus: Vec<Vec<u8>>,
}

fn view(safes: usize) -> ScopeView {
    let model = SafeModelId::from_bytes([1; 16]);
    let codes = ["1357", "2468", "13579", "24680", "1470", "2589"];
    let mut map = BTreeMap::new();
    for n in 0..safes {
        let mut id = [0u8; 16];
        id[..8].copy_from_slice(&(n as u64 + 1).to_le_bytes());
        map.insert(
            SafeId::from_bytes(id),
            SafeView {
                street: "Sleepstraat".into(),
                numbers: format!("{}", 10 + n).parse().unwrap(),
                postcode: "9000".into(),
                city: "Gent".into(),
                district: "Binnenstad".into(),
                apartments: 24,
                placement: "links van de inkomdeur".into(),
                model,
                status: SafeStatus::Active,
                code: Some(CodeView {
                    value: ButtonSet::parse(codes[n % codes.len()]).unwrap(),
                    since: Timestamp::from_millis(0),
                }),
                previous_code: None,
                new_code: None,
            },
        );
    }
    ScopeView {
        service: OrgId::from_bytes([7; 16]),
        service_name: "Wit-Gele Kruis".into(),
        settings: ScopeSettings::default(),
        models: BTreeMap::from([(
            model,
            ModelView {
                name: "Supra KeySafe Pro".into(),
                buttons: "1234567890".into(),
            },
        )]),
        safes: map,
    }
}

fn validate(device: DeviceId) -> impl Fn(&AutoCommit) -> Result<(), kluis_domain::DomainError> {
    move |d| read_device_events(d, device).map(|_| ())
}

impl Target {
    /// A server with a scope that changed a few times, and a device that synced with it,
    /// recorded events offline, and is about to send them.
    pub fn new(safes: usize) -> Target {
        let service = OrgId::from_bytes([7; 16]);
        let scope_id = DocId::scope(service, 0);
        let mut scope = AutoCommit::new();
        let mut v = view(safes);
        write_scope(&mut scope, &v, Timestamp::from_millis(1)).unwrap();
        for (i, safe) in v.safes.values_mut().take(3).enumerate() {
            safe.previous_code = safe.code.clone();
            safe.code = Some(CodeView {
                value: ButtonSet::parse(["3690", "1258", "4679"][i]).unwrap(),
                since: Timestamp::from_millis(2),
            });
        }
        write_scope(&mut scope, &v, Timestamp::from_millis(2)).unwrap();

        let device = DeviceId::from_bytes([9; 16]);
        let device_id = DocId::device(device);
        let mut client = kluis_domain::sync::SyncClient::new(device);
        let mut outbox = AutoCommit::new();
        let mut corpus = Vec::new();
        // A first sync, then rounds with outbox events, each request kept.
        let mut rng = SeededRandom::new(1);
        let first_safe = *v.safes.keys().next().unwrap();
        for step in 0..4 {
            if step > 0 {
                for k in 0..step {
                    append_device_event(
                        client.doc_mut(&device_id),
                        device,
                        EventId::random(&mut rng),
                        &DeviceEvent::CodeRevealed {
                            safe: first_safe,
                            at: Timestamp::from_millis(10 + k as i64),
                        },
                        Timestamp::from_millis(10),
                    )
                    .unwrap();
                }
            }
            client.begin_session();
            let mut states: BTreeMap<DocId, Vec<u8>> = BTreeMap::new();
            while let Some(req) = client.next_request() {
                let bytes = req.encode().unwrap();
                corpus.push(bytes.clone());
                let decoded = SyncRequest::decode(&bytes).unwrap();
                let mut replies = Vec::new();
                let keep = vec![scope_id.clone(), device_id.clone()];
                for id in &keep {
                    let msg = decoded.docs.iter().find(|d| &d.doc == id);
                    if matches!(msg, Some(d) if d.message.is_none()) {
                        continue;
                    }
                    let message = msg.and_then(|d| d.message.as_deref());
                    let (doc, access) = match id.kind() {
                        DocKind::Device { .. } => (&mut outbox, Access::ReadWrite),
                        _ => (&mut scope, Access::ReadOnly),
                    };
                    let snapshot = doc.save();
                    let incoming = match message {
                        Some(m) => Incoming::Message(m),
                        None => Incoming::NotHeld {
                            snapshot: &snapshot,
                        },
                    };
                    let round = server_round(
                        doc,
                        id,
                        states.get(id).map(Vec::as_slice),
                        access,
                        incoming,
                        &validate(device),
                    )
                    .unwrap();
                    if let Some(s) = round.new_state {
                        states.insert(id.clone(), s);
                    }
                    replies.push(round.reply);
                }
                let reply = kluis_domain::sync::SyncReply::Docs {
                    protocol: kluis_domain::sync::PROTOCOL_VERSION,
                    keep,
                    docs: replies,
                    server_time: Timestamp::from_millis(100),
                };
                client.handle_reply(reply).unwrap();
            }
        }
        // A message Automerge writes for a peer that never synced: a whole Bloom filter.
        let mut fresh = State::new();
        if let Some(m) = scope.sync().generate_sync_message(&mut fresh) {
            let req = SyncRequest::new(vec![kluis_domain::sync::DocMessage {
                doc: scope_id.clone(),
                message: Some(m.encode()),
                snapshot: None,
            }]);
            corpus.push(req.encode().unwrap());
        }
        Target {
            scope_id,
            scope,
            device,
            device_id,
            outbox,
            corpus,
        }
    }

    /// Runs one input as the server would. Errors are fine; a panic escapes.
    pub fn run(&self, input: &[u8]) {
        let Ok(request) = SyncRequest::decode(input) else {
            return;
        };
        for part in &request.docs {
            let (mut doc, access) = if part.doc == self.scope_id {
                (self.scope.clone(), Access::ReadOnly)
            } else if part.doc == self.device_id {
                (self.outbox.clone(), Access::ReadWrite)
            } else {
                continue;
            };
            let incoming = match &part.message {
                Some(m) => Incoming::Message(m),
                None => Incoming::NotHeld { snapshot: &[] },
            };
            let _ = server_round(
                &mut doc,
                &part.doc,
                None,
                access,
                incoming,
                &validate(self.device),
            );
        }
    }
}

/// A sync message with chosen, often hostile, numbers.
fn crafted_message(rng: &mut SeededRandom) -> Vec<u8> {
    let mut m = vec![if rng.below(8) == 0 { 0x43 } else { 0x42 }];
    for _ in 0..2 {
        let n = rng.below(4);
        uleb(&mut m, n);
        for _ in 0..n {
            let mut h = [0u8; 32];
            rng.fill_bytes(&mut h);
            m.extend(h);
        }
    }
    let haves = rng.below(4);
    uleb(&mut m, haves);
    let big = [
        0,
        1,
        7,
        10,
        33,
        1 << 20,
        10_000_000,
        u64::from(u32::MAX),
        u64::MAX,
    ];
    for _ in 0..haves {
        m.push(0);
        let mut bloom = Vec::new();
        let entries = big[rng.below(big.len() as u64) as usize].min(1 << 16);
        let bits = big[rng.below(big.len() as u64) as usize];
        uleb(&mut bloom, entries);
        uleb(&mut bloom, bits);
        uleb(&mut bloom, big[rng.below(big.len() as u64) as usize]);
        // Mostly the size Automerge would expect for these numbers, so the filter reaches the
        // probing; sometimes any size.
        let exact = (u128::from(entries) * u128::from(bits)).div_ceil(8);
        let len = match usize::try_from(exact) {
            Ok(n) if n <= 4096 && rng.below(4) != 0 => n,
            _ => rng.below(64) as usize,
        };
        bloom.extend((0..len).map(|_| rng.below(256) as u8));
        uleb(&mut m, bloom.len() as u64);
        m.extend(bloom);
    }
    let changes = rng.below(3);
    uleb(&mut m, changes);
    for _ in 0..changes {
        let mut chunk = vec![0x85, 0x6f, 0x4a, 0x83, 0, 0, 0, 0, rng.below(4) as u8];
        let body = rng.below(40) as usize;
        uleb(&mut chunk, body as u64);
        chunk.extend((0..body).map(|_| rng.below(256) as u8));
        uleb(&mut m, chunk.len() as u64);
        m.extend(chunk);
    }
    m
}

/// One input derived from the corpus.
pub fn mutate(rng: &mut SeededRandom, corpus: &[Vec<u8>], target: &Target) -> Vec<u8> {
    let base = &corpus[rng.below(corpus.len() as u64) as usize];
    let mut bytes = base.clone();
    match rng.below(8) {
        0 => {
            let mut out = vec![0u8; rng.below(300) as usize];
            rng.fill_bytes(&mut out);
            out
        }
        1 => {
            bytes.truncate(rng.below(bytes.len() as u64 + 1) as usize);
            bytes
        }
        2 => {
            for _ in 0..=rng.below(6) {
                if bytes.is_empty() {
                    break;
                }
                let i = rng.below(bytes.len() as u64) as usize;
                bytes[i] ^= 1 << rng.below(8);
            }
            bytes
        }
        3 => {
            let i = rng.below(bytes.len() as u64 + 1) as usize;
            let mut extra = vec![0u8; 1 + rng.below(32) as usize];
            rng.fill_bytes(&mut extra);
            bytes.splice(i..i, extra);
            bytes
        }
        4 => {
            // Splice two requests.
            let other = &corpus[rng.below(corpus.len() as u64) as usize];
            let cut_a = rng.below(bytes.len() as u64 + 1) as usize;
            let cut_b = rng.below(other.len() as u64 + 1) as usize;
            bytes.truncate(cut_a);
            bytes.extend_from_slice(&other[cut_b..]);
            bytes
        }
        5 | 6 => {
            // A well-formed request around a damaged or crafted Automerge message.
            let Ok(mut req) = SyncRequest::decode(base) else {
                return bytes;
            };
            let doc = if rng.below(2) == 0 {
                target.scope_id.clone()
            } else {
                target.device_id.clone()
            };
            let message = if rng.below(2) == 0 {
                crafted_message(rng)
            } else {
                let mut m = req
                    .docs
                    .iter()
                    .find_map(|d| d.message.clone())
                    .unwrap_or_default();
                if !m.is_empty() {
                    let i = rng.below(m.len() as u64) as usize;
                    m[i] ^= 1 << rng.below(8);
                    if rng.below(2) == 0 {
                        m.truncate(i);
                    }
                }
                m
            };
            req.docs.retain(|d| d.doc != doc);
            req.docs.push(kluis_domain::sync::DocMessage {
                doc,
                message: Some(message),
                snapshot: None,
            });
            req.encode().unwrap_or(bytes)
        }
        _ => {
            // A real message decoded by Automerge, fields changed, re-encoded.
            let Ok(mut req) = SyncRequest::decode(base) else {
                return bytes;
            };
            for part in &mut req.docs {
                let Some(m) = part.message.as_ref().and_then(|m| Message::decode(m).ok()) else {
                    continue;
                };
                let mut m = m;
                match rng.below(3) {
                    0 => m.heads.clear(),
                    1 => m.have.clear(),
                    _ => m
                        .need
                        .push(automerge::ChangeHash([rng.below(256) as u8; 32])),
                }
                part.message = Some(m.encode());
            }
            req.encode().unwrap_or(bytes)
        }
    }
}

/// What a run found.
#[derive(Debug, Default)]
pub struct Findings {
    pub inputs: u64,
    pub crashes: u64,
    pub first_crash: Option<Vec<u8>>,
    pub slowest: Duration,
    pub elapsed: Duration,
}

impl Findings {
    pub fn execs_per_sec(&self) -> f64 {
        self.inputs as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// Runs `inputs` mutated inputs from `seed`; panics are caught and counted.
pub fn run(
    target: &Target,
    seed: u64,
    inputs: u64,
    mut progress: impl FnMut(&Findings),
) -> Findings {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut rng = SeededRandom::new(seed);
    let mut found = Findings::default();
    let start = Instant::now();
    for i in 0..inputs {
        let input = mutate(&mut rng, &target.corpus, target);
        let t = Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(|| target.run(&input)));
        found.slowest = found.slowest.max(t.elapsed());
        if outcome.is_err() {
            found.crashes += 1;
            if found.first_crash.is_none() {
                found.first_crash = Some(input);
            }
        }
        found.inputs = i + 1;
        if (i + 1) % 1_000_000 == 0 {
            found.elapsed = start.elapsed();
            progress(&found);
        }
    }
    found.elapsed = start.elapsed();
    std::panic::set_hook(previous);
    found
}
