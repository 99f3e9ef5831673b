//! kill -9 at a random moment while devices push their outboxes and the coordinator plans a
//! campaign: after a restart every acknowledged event is in the trail exactly once, the
//! database and the audit chain are sound, and every device syncs on with its own token.

use std::collections::HashSet;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kluis_domain::ids::{EventId, SafeId};
use kluis_domain::rng::{RandomSource, SeededRandom};
use kluis_domain::schema::{DeviceEvent, append_device_event};
use kluis_domain::sync::DocId;
use kluis_domain::time::Timestamp;
use serde_json::json;

use crate::common::lifecycle::scope_of;
use crate::common::process::{ServerProcess, admin};
use crate::common::{Device, SyncFailure, TestServer, count, http, login, sql};

const CARERS: [&str; 8] = [
    "carer.wgk.1",
    "carer.wgk.2",
    "carer.wgk.3",
    "carer.wgk.4",
    "carer.imens.1",
    "carer.imens.2",
    "carer.imens.3",
    "carer.imens.4",
];

/// One run's figures.
#[derive(Debug)]
pub struct Run {
    pub pushed: usize,
    pub acknowledged: usize,
    pub found: usize,
    pub lost: usize,
    pub killed_after: Duration,
}

struct Phone {
    device: Device,
    safes: Vec<SafeId>,
    /// Events in the outbox, and those a finished sync took.
    written: Vec<EventId>,
    acked: usize,
}

fn reveal(phone: &mut Phone, rng: &mut SeededRandom) {
    let id = EventId::random(rng);
    let safe = phone.safes[usize::try_from(rng.below(phone.safes.len() as u64)).unwrap()];
    let device = phone.device.session.device;
    append_device_event(
        phone.device.client.doc_mut(&DocId::device(device)),
        device,
        id,
        &DeviceEvent::CodeRevealed {
            safe,
            at: Timestamp::from_millis(1_900_000_000_000),
        },
        Timestamp::from_millis(1_900_000_000_000),
    )
    .unwrap();
    phone.written.push(id);
}

/// The reveals in the trail, by event id.
fn revealed(data: &std::path::Path) -> Vec<String> {
    sql(data, |c| {
        let mut s = c
            .prepare("SELECT id FROM audit_events WHERE kind = 'code_revealed'")
            .unwrap();
        s.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    })
}

/// Enrols `devices` phones on a fresh demo server, then kills it once the share `kill_at`
/// of a burst of `events` reveals spread over them was acknowledged (a campaign being planned
/// meanwhile), restarts it and checks.
pub async fn run(devices: usize, events: usize, kill_at: f64, seed: u64) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let process = ServerProcess::start(&data, &["--demo"], &[], None);
    let server = TestServer::remote(process.server.base.clone(), &data);
    let mut phones = Vec::new();
    for i in 0..devices {
        let mut device = Device::enrol(&server, CARERS[i % CARERS.len()]).await;
        device.sync(&server).await.ok().unwrap();
        let safes: Vec<SafeId> = scope_of(&device).safes.keys().copied().collect();
        phones.push(Phone {
            device,
            safes,
            written: Vec::new(),
            acked: 0,
        });
    }
    let coordinator = login(&server, "coordinator").await;
    let per_phone = events.div_ceil(devices);
    let phones: Vec<Arc<Mutex<Option<Phone>>>> = phones
        .into_iter()
        .map(|p| Arc::new(Mutex::new(Some(p))))
        .collect();
    let started = Instant::now();
    let acknowledged = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for (n, slot) in phones.iter().enumerate() {
        let slot = slot.clone();
        let acknowledged = acknowledged.clone();
        let server = TestServer::remote(server.base.clone(), &data);
        tasks.push(tokio::spawn(async move {
            let mut phone = slot.lock().unwrap().take().unwrap();
            let mut rng = SeededRandom::new(seed * 1000 + n as u64);
            // Two reveals at a time, as a carer on a round might.
            while phone.written.len() < per_phone {
                reveal(&mut phone, &mut rng);
                reveal(&mut phone, &mut rng);
                let before = phone.written.len();
                match phone.device.try_sync(&server).await {
                    Ok(_) => {
                        acknowledged.fetch_add(before - phone.acked, Ordering::SeqCst);
                        phone.acked = before;
                    }
                    Err(SyncFailure::Transport(_)) => break,
                    Err(SyncFailure::Refused(status, body)) => {
                        // Busy or rate-limited: the phone tries again later.
                        assert!(
                            status.as_u16() == 429 || status.as_u16() == 409,
                            "{status} {body}"
                        );
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                }
            }
            *slot.lock().unwrap() = Some(phone);
        }));
    }
    let campaign = {
        let url = server.url("/api/admin/campaigns");
        let token = coordinator.token.clone();
        tokio::spawn(async move {
            let _ = http()
                .post(url)
                .bearer_auth(token)
                .json(&json!({"name": "Rotatie", "selection": {"kind": "all"}, "due_on": "2030-06-30"}))
                .send()
                .await;
        })
    };
    let threshold = (events as f64 * kill_at) as usize;
    while acknowledged.load(Ordering::SeqCst) < threshold {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    process.signal("KILL");
    let killed_after = started.elapsed();
    for t in tasks {
        t.await.unwrap();
    }
    campaign.await.unwrap();
    drop(process);

    let mut phones: Vec<Phone> = phones
        .iter()
        .map(|s| s.lock().unwrap().take().unwrap())
        .collect();
    let acked: Vec<EventId> = phones
        .iter()
        .flat_map(|p| p.written[..p.acked].iter().copied())
        .collect();
    let pushed: usize = phones.iter().map(|p| p.written.len()).sum();

    // The database as the restart finds it.
    let integrity: String = sql(&data, |c| {
        c.query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap()
    });
    assert_eq!(integrity, "ok");
    let recorded = revealed(&data);
    let unique: HashSet<&String> = recorded.iter().collect();
    assert_eq!(unique.len(), recorded.len(), "an event recorded twice");
    let found = acked
        .iter()
        .filter(|id| unique.contains(&id.to_string()))
        .count();

    let restarted = ServerProcess::start(&data, &[], &[], None);
    let server = TestServer::remote(restarted.server.base.clone(), &data);
    // No phone signs in again: each syncs on with the token it holds, and what it had not
    // got acknowledged arrives now, once.
    for phone in &mut phones {
        let mut tries = 0;
        loop {
            match phone.device.try_sync(&server).await {
                Ok(_) => break,
                Err(SyncFailure::Refused(status, _)) if status.as_u16() == 429 && tries < 20 => {
                    tries += 1;
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => panic!("a phone could not sync on after the restart: {e:?}"),
            }
        }
        // A session ends after a bounded number of rounds, settled or not, and the app
        // syncs again; from heads the server's lost sync state knew, that can take another.
        let mut sessions = 1;
        while !phone.device.client.is_settled() && sessions < 4 {
            sessions += 1;
            if let Err(e) = phone.device.try_sync(&server).await {
                panic!("a phone could not sync on after the restart: {e:?}");
            }
        }
        assert!(
            phone.device.client.is_settled(),
            "a phone has not settled after {sessions} sessions"
        );
    }
    drop(restarted);
    let (ok, out) = admin(&data, &["verify-audit"], &[]);
    assert!(ok, "{out}");
    let all = revealed(&data);
    let all_unique: HashSet<&String> = all.iter().collect();
    assert_eq!(all_unique.len(), all.len(), "an event recorded twice");
    let refused = count(
        &data,
        "SELECT count(*) FROM audit_events WHERE kind = 'event_refused'",
    );
    for phone in &phones {
        for id in &phone.written {
            assert!(
                all_unique.contains(&id.to_string()),
                "event {id} never arrived (phone settled: {}, events refused: {refused})",
                phone.device.client.is_settled()
            );
        }
    }
    Run {
        pushed,
        acknowledged: acked.len(),
        found,
        lost: acked.len() - found,
        killed_after,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_nine_under_load_loses_no_acknowledged_event() {
    let run = run(12, 240, 0.4, 1).await;
    eprintln!("kill -9 run: {run:?}");
    assert!(
        run.acknowledged < run.pushed || run.pushed < 240,
        "the kill came after the load: {run:?}"
    );
    assert_eq!(run.lost, 0, "{run:?}");
}

/// `cargo xtask bench-ops`: 20 kills at different moments, 100 devices, 1,000 events.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a bench: cargo xtask bench-ops"]
async fn kill_nine_twenty_times() {
    let mut rng = SeededRandom::new(2026);
    let mut total = (0, 0, 0, 0);
    for i in 0..20 {
        let at = 0.05 + rng.below(90) as f64 / 100.0;
        let run = run(100, 1000, at, i + 1).await;
        println!(
            "run {:>2}: killed after {:>5} ms: pushed {:>4}, acknowledged {:>4}, found {:>4}, lost {}",
            i + 1,
            run.killed_after.as_millis(),
            run.pushed,
            run.acknowledged,
            run.found,
            run.lost
        );
        total.0 += run.pushed;
        total.1 += run.acknowledged;
        total.2 += run.found;
        total.3 += run.lost;
        assert_eq!(run.lost, 0);
    }
    println!(
        "20 runs: pushed {}, acknowledged {}, found {}, lost {}",
        total.0, total.1, total.2, total.3
    );
}
