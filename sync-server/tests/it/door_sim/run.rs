//! The event loop: every step of every party in time order, the server's clock set to each
//! step's time before it runs, so a run depends on its seed and not on how fast the machine is.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

use kluis_domain::ids::SafeId;
use kluis_domain::rng::SeededRandom;
use kluis_domain::safe_model::ButtonSet;
use kluis_domain::schema::{ScopeView, read_scope};
use kluis_domain::sync::{NEXT_TOKEN_HEADER, SyncReply};
use kluis_domain::time::Timestamp;
use kluis_sync_server::AppState;
use reqwest::StatusCode;

use super::plan::{CarerPlan, CarerStep};
use super::tally::{Change, Phone, Tally, visit};
use super::volunteers::Volunteer;
use super::world::World;
use super::{Config, DAY, HOUR};
use crate::common::lifecycle::doc_id;
use crate::common::{Device, TEST_APP_VERSION, TestServer};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Ev {
    /// The next step of a carer's plan.
    Carer(usize),
    /// The server's hourly maintenance pass.
    Maintenance,
    /// The coordinator plans the rotation campaign.
    Campaign,
    /// The coordinator looks whether a next wave can start.
    Wave,
    /// A volunteer sets out on a round.
    Outing(usize),
    /// A volunteer at the next safe of their outing.
    Item(usize),
    /// A volunteer's phone back online after the outing.
    VolunteerSync(usize),
}

pub struct CarerPhone {
    pub device: Device,
    pub last_sync: Option<i64>,
    pub view: Option<ScopeView>,
    pub next: usize,
}

pub struct Sim {
    pub cfg: Config,
    pub server: TestServer,
    pub state: AppState,
    pub t0: Timestamp,
    pub http: reqwest::Client,
    pub rng: SeededRandom,
    pub world: World,
    pub plans: Vec<CarerPlan>,
    pub phones: Vec<CarerPhone>,
    pub volunteers: Vec<Volunteer>,
    pub coordinator: Device,
    pub campaign: Option<String>,
    /// The code each safe really opens with (by safe index).
    pub physical: Vec<ButtonSet>,
    pub index: BTreeMap<SafeId, usize>,
    /// The last code change at each safe.
    pub last_change: Vec<Option<Change>>,
    pub tally: Tally,
    queue: BinaryHeap<Reverse<(i64, u64, Ev)>>,
    seq: u64,
}

impl Sim {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        cfg: Config,
        server: TestServer,
        state: AppState,
        t0: Timestamp,
        rng: SeededRandom,
        world: World,
        plans: Vec<CarerPlan>,
        phones: Vec<CarerPhone>,
        volunteers: Vec<Volunteer>,
        coordinator: Device,
    ) -> Sim {
        let physical = world.codes.clone();
        let index = world
            .safes
            .iter()
            .enumerate()
            .map(|(i, s)| (*s, i))
            .collect();
        let last_change = vec![None; world.safes.len()];
        let tally = Tally {
            syncs_drawn: plans.iter().map(|p| p.syncs_drawn as u64).sum(),
            ..Tally::default()
        };
        Sim {
            cfg,
            server,
            state,
            t0,
            http: reqwest::Client::builder().no_proxy().build().unwrap(),
            rng,
            world,
            plans,
            phones,
            volunteers,
            coordinator,
            campaign: None,
            physical,
            index,
            last_change,
            tally,
            queue: BinaryHeap::new(),
            seq: 0,
        }
    }

    pub fn at(&mut self, t: i64, ev: Ev) {
        self.seq += 1;
        self.queue.push(Reverse((t, self.seq, ev)));
    }

    /// Moves the server's clock on to `t` (it runs on with real time in between, by
    /// milliseconds; it is never set back).
    pub fn set_clock(&self, t: i64) {
        let behind = self.t0.plus_millis(t).millis() - self.server.clock.now().millis();
        if behind > 0 {
            self.server.clock.advance_millis(behind);
        }
    }

    pub fn abs(&self, t: i64) -> Timestamp {
        self.t0.plus_millis(t)
    }

    pub async fn run(&mut self) {
        let end = self.cfg.days * DAY;
        for c in 0..self.phones.len() {
            if let Some((t, _)) = self.plans[c].steps.first() {
                self.at(*t, Ev::Carer(c));
            }
        }
        self.at(HOUR, Ev::Maintenance);
        self.at(self.cfg.campaign_day * DAY + 2 * HOUR, Ev::Campaign);
        while let Some(Reverse((t, _, ev))) = self.queue.pop() {
            if t >= end {
                break;
            }
            self.set_clock(t);
            match ev {
                Ev::Carer(c) => self.carer_step(c, t).await,
                Ev::Maintenance => {
                    let started = std::time::Instant::now();
                    kluis_sync_server::run_maintenance(&self.state, self.abs(t))
                        .await
                        .unwrap();
                    self.tally.maintenance_passes += 1;
                    self.tally.maintenance_secs += started.elapsed().as_secs_f64();
                    self.at(t + self.cfg.maintenance_every_hours * HOUR, Ev::Maintenance);
                }
                Ev::Campaign => self.plan_campaign(t).await,
                Ev::Wave => self.next_wave(t).await,
                Ev::Outing(v) => self.outing(v, t).await,
                Ev::Item(v) => self.item(v, t).await,
                Ev::VolunteerSync(v) => self.volunteer_back_online(v, t).await,
            }
        }
    }

    async fn carer_step(&mut self, c: usize, t: i64) {
        let phone_next = self.phones[c].next;
        let (_, step) = self.plans[c].steps[phone_next].clone();
        self.phones[c].next += 1;
        if let Some((next, _)) = self.plans[c].steps.get(phone_next + 1) {
            self.at(*next, Ev::Carer(c));
        }
        match step {
            CarerStep::Sync => self.carer_sync(c, t).await,
            CarerStep::Visit { safe, signal } => {
                if signal {
                    self.carer_sync(c, t).await;
                }
                let phone = &self.phones[c];
                let seen = Phone {
                    view: phone.view.as_ref(),
                    last_sync: phone.last_sync,
                    online: signal,
                };
                let outcome = visit(
                    &seen,
                    self.world.safes[safe],
                    &self.physical[safe],
                    self.last_change[safe].as_ref(),
                    self.t0,
                    t,
                );
                if matches!(
                    outcome,
                    super::tally::Outcome::Neither(super::tally::Cause::Unexplained)
                ) && self.tally.unexplained.len() < 10
                {
                    self.tally.unexplained.push(format!(
                        "carer {c} at safe {safe}, t {t} ms, last sync {:?}, change {:?}",
                        phone.last_sync, self.last_change[safe]
                    ));
                }
                self.tally.add(outcome, self.plans[c].habit);
            }
        }
    }

    pub async fn carer_sync(&mut self, c: usize, t: i64) {
        self.tally.syncs_run += 1;
        let started = std::time::Instant::now();
        let ok = sync(&self.http, &self.server, &mut self.phones[c].device).await;
        self.tally.sync_secs += started.elapsed().as_secs_f64();
        if !ok {
            self.tally.sync_errors += 1;
            return;
        }
        let phone = &mut self.phones[c];
        phone.last_sync = Some(t);
        phone.view = doc_id(&phone.device, "scope.").and_then(|id| {
            phone
                .device
                .client
                .doc(&id)
                .and_then(|d| read_scope(d).ok())
        });
    }
}

/// One sync session over HTTP, as the app runs it (`common::Device::sync`, on one shared
/// connection pool: a new client per request would cost a connection each). False when the
/// server refused it.
pub async fn sync(http: &reqwest::Client, server: &TestServer, device: &mut Device) -> bool {
    device.client.begin_session();
    while let Some(req) = device.client.next_request() {
        let resp = http
            .post(server.url("/api/sync"))
            .bearer_auth(&device.session.token)
            .header("content-type", "application/octet-stream")
            .header(kluis_api::admin::APP_VERSION_HEADER, TEST_APP_VERSION)
            .body(req.encode().unwrap())
            .send()
            .await
            .unwrap();
        let status = resp.status();
        let next_token = resp
            .headers()
            .get(NEXT_TOKEN_HEADER)
            .map(|v| v.to_str().unwrap().to_string());
        let bytes = resp.bytes().await.unwrap();
        if status != StatusCode::OK {
            eprintln!("sync refused: {status} {}", String::from_utf8_lossy(&bytes));
            return false;
        }
        if let Some(token) = next_token {
            device.session.token = token;
        }
        let reply = SyncReply::decode(&bytes).unwrap();
        device.client.handle_reply(reply).unwrap();
    }
    true
}
