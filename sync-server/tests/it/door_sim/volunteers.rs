//! The coordinator's campaign and the volunteers who carry it out: a volunteer takes a free
//! round, goes out on a working day, punches each new code into the safe (from that moment
//! the safe opens only with it) and records "Gewijzigd" or "Niet gelukt" in the phone's
//! outbox, which reaches the server with the phone's next sync: at once when the phone has
//! network, else hours or days later.

use std::collections::BTreeSet;

use kluis_domain::ids::{EventId, SafeId};
use kluis_domain::model::{ChangeFailure, ItemStatus};
use kluis_domain::rng::RandomSource;
use kluis_domain::safe_model::ButtonSet;
use kluis_domain::schema::{DeviceEvent, append_device_event, read_rounds};
use kluis_domain::sync::DocId;
use kluis_domain::time::Weekday;
use serde_json::{Value, json};

use super::run::{Ev, Sim, sync};
use super::tally::Change;
use super::{DAY, HOUR, MINUTE};
use crate::common::Device;
use crate::common::lifecycle::doc_id;

/// Whether the phone has network for an outing's records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Link {
    /// Each record syncs as it is made (the app syncs after every record when online).
    Online,
    /// No network on the way: the records sync hours later, at home.
    Hours,
    /// Phone offline for days after the outing.
    Days,
}

pub struct Volunteer {
    pub device: Device,
    /// What this outing still has to do: (safe, its new code).
    pub items: Vec<(SafeId, ButtonSet)>,
    pub link: Link,
    /// Safes recorded on this phone (the app hides them from the to-do list).
    pub recorded: BTreeSet<SafeId>,
    /// Changes (safe indexes) recorded but not yet synced.
    pub unsynced: Vec<usize>,
    pub idle: bool,
}

impl Volunteer {
    pub fn new(device: Device) -> Volunteer {
        Volunteer {
            device,
            items: Vec::new(),
            link: Link::Online,
            recorded: BTreeSet::new(),
            unsynced: Vec::new(),
            idle: true,
        }
    }
}

impl Sim {
    fn token(&self) -> String {
        self.coordinator.session.token.clone()
    }

    pub async fn plan_campaign(&mut self, t: i64) {
        let due = self.abs(t).plus_days(60).date_utc().to_string();
        let body = json!({"name": "Rotatie", "selection": {"kind": "all"}, "due_on": due});
        let (status, answer) =
            crate::common::post_body(&self.server, &self.token(), "/api/admin/campaigns", &body)
                .await;
        assert_eq!(status, reqwest::StatusCode::CREATED, "{answer}");
        self.campaign = answer["id"].as_str().map(str::to_string);
        self.wake_volunteers(t);
        self.at(t + 7 * DAY, Ev::Wave);
    }

    pub async fn next_wave(&mut self, t: i64) {
        let Some(id) = self.campaign.clone() else {
            return;
        };
        let path = format!("/api/admin/campaigns/{id}");
        let (_, detail) = crate::common::get_json(&self.server, &self.token(), &path).await;
        if detail["waiting"].as_u64().unwrap_or(0) == 0 {
            return;
        }
        let (status, _) =
            crate::common::post_json(&self.server, &self.token(), &format!("{path}/next-wave"))
                .await;
        if status == reqwest::StatusCode::OK || status == reqwest::StatusCode::CREATED {
            self.wake_volunteers(t);
        }
        self.at(t + 7 * DAY, Ev::Wave);
    }

    fn wake_volunteers(&mut self, t: i64) {
        for v in 0..self.volunteers.len() {
            if self.volunteers[v].idle {
                self.volunteers[v].idle = false;
                let next = self.next_outing(t);
                self.at(next, Ev::Outing(v));
            }
        }
    }

    /// A working-day morning one to three days on.
    fn next_outing(&mut self, t: i64) -> i64 {
        let mut day = t.div_euclid(DAY) + 1 + self.rng.below(3) as i64;
        while matches!(
            self.abs(day * DAY).date_utc().weekday(),
            Weekday::Sat | Weekday::Sun
        ) {
            day += 1;
        }
        day * DAY + 8 * HOUR + self.rng.below(3 * HOUR as u64) as i64
    }

    /// The open items of the rounds this phone holds, in route order, not yet recorded here.
    fn work(&self, v: usize) -> Vec<(SafeId, ButtonSet)> {
        let vol = &self.volunteers[v];
        let Some(view) = doc_id(&vol.device, "rounds.")
            .and_then(|id| vol.device.client.doc(&id).and_then(|d| read_rounds(d).ok()))
        else {
            return Vec::new();
        };
        let mut items: Vec<_> = view
            .rounds
            .values()
            .flat_map(|r| {
                r.items
                    .iter()
                    .map(move |(s, i)| ((r.ordinal, i.order, *s), i))
            })
            .filter(|(k, i)| i.status == ItemStatus::Open && !vol.recorded.contains(&k.2))
            .map(|(k, i)| (k, i.new_code.clone()))
            .collect();
        items.sort_by_key(|a| a.0);
        items.into_iter().map(|((_, _, s), c)| (s, c)).collect()
    }

    pub async fn outing(&mut self, v: usize, t: i64) {
        self.volunteer_sync(v, t).await;
        let mut work = self.work(v);
        if work.is_empty() {
            let token = self.volunteers[v].device.session.token.clone();
            let (_, list) = crate::common::get_json(&self.server, &token, "/api/rounds").await;
            let free: Vec<Value> = list["available"].as_array().cloned().unwrap_or_default();
            if let Some(id) = free.first().and_then(|r| r["id"].as_str()) {
                let path = format!("/api/rounds/{id}/take");
                crate::common::post_json(&self.server, &token, &path).await;
                self.volunteer_sync(v, t).await;
                work = self.work(v);
            }
        }
        if work.is_empty() {
            self.volunteers[v].idle = true;
            return;
        }
        work.truncate(self.cfg.items_per_outing);
        let roll = self.rng.below(100);
        let link = if roll < self.cfg.volunteer_days_late_percent {
            Link::Days
        } else if roll
            < self.cfg.volunteer_days_late_percent + self.cfg.volunteer_hours_late_percent
        {
            Link::Hours
        } else {
            Link::Online
        };
        let vol = &mut self.volunteers[v];
        vol.items = work;
        vol.items.reverse();
        vol.link = link;
        let first = t + 20 * MINUTE;
        self.at(first, Ev::Item(v));
    }

    /// At the safe: the new code punched in (or not), and the record on the phone.
    pub async fn item(&mut self, v: usize, t: i64) {
        let Some((safe, new_code)) = self.volunteers[v].items.pop() else {
            return;
        };
        let i = self.index[&safe];
        let failed = self.rng.below(100) < self.cfg.fail_percent;
        let at = self.abs(t);
        let event = if failed {
            self.tally.changes_failed += 1;
            let reason = if self.rng.below(2) == 0 {
                ChangeFailure::NoAccess
            } else {
                ChangeFailure::Other
            };
            DeviceEvent::ChangeFailed {
                safe,
                reason,
                note: "deur op slot".into(),
                at,
            }
        } else {
            self.tally.codes_set += 1;
            self.physical[i] = new_code;
            self.last_change[i] = Some(Change { at: t, heard: None });
            self.volunteers[v].unsynced.push(i);
            DeviceEvent::CodeSet { safe, at }
        };
        let id = EventId::random(&mut self.rng);
        let vol = &mut self.volunteers[v];
        let device = vol.device.session.device;
        append_device_event(
            vol.device.client.doc_mut(&DocId::device(device)),
            device,
            id,
            &event,
            at,
        )
        .unwrap();
        vol.recorded.insert(safe);
        let link = vol.link;
        if link == Link::Online {
            self.volunteer_sync(v, t).await;
        }
        if !self.volunteers[v].items.is_empty() {
            let gap = 15 * MINUTE + self.rng.below(20 * MINUTE as u64) as i64;
            self.at(t + gap, Ev::Item(v));
            return;
        }
        match link {
            Link::Online => {
                let next = self.next_outing(t);
                self.at(next, Ev::Outing(v));
            }
            Link::Hours => {
                self.tally.records_late_hours += self.volunteers[v].unsynced.len() as u64;
                let back = t + HOUR + self.rng.below(6 * HOUR as u64) as i64;
                self.at(back, Ev::VolunteerSync(v));
            }
            Link::Days => {
                self.tally.records_late_days += self.volunteers[v].unsynced.len() as u64;
                let back = t + DAY + self.rng.below(3 * DAY as u64) as i64;
                self.at(back, Ev::VolunteerSync(v));
            }
        }
    }

    pub async fn volunteer_back_online(&mut self, v: usize, t: i64) {
        self.volunteer_sync(v, t).await;
        let next = self.next_outing(t);
        self.at(next, Ev::Outing(v));
    }

    /// Syncs the volunteer's phone; what it recorded is on the server from now.
    async fn volunteer_sync(&mut self, v: usize, t: i64) {
        if !sync(&self.http, &self.server, &mut self.volunteers[v].device).await {
            return;
        }
        for i in std::mem::take(&mut self.volunteers[v].unsynced) {
            if let Some(change) = self.last_change[i].as_mut()
                && change.heard.is_none()
            {
                change.heard = Some(t);
            }
        }
    }
}
