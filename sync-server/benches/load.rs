//! `cargo xtask bench-load`: the server in its own process on 127.0.0.1, loaded by this
//! process over real HTTP with real tokens. Devices are enrolled directly in the database
//! (as many as asked, without an Argon2id login each); then a burst of real sign-ins,
//! closed-loop no-change syncs, and one changed code fanned out to devices holding open
//! event streams. Prints throughput, latencies, the server's CPU per sync and per fanned-out
//! device (from /proc/<pid>/task/*/schedstat), its RSS and thread count. Asserts nothing about
//! speed. `KLUIS_BENCH_DEVICES` (1000), `KLUIS_BENCH_SAFES` (200), `KLUIS_BENCH_STREAMS` (500),
//! `KLUIS_BENCH_SECS` (10), `KLUIS_BENCH_FANOUTS` (5: fan-outs, each of another safe's code).
//! A fan-out's latency is given twice: when each device had the change's bytes in, and when it
//! had applied it. Real phones apply in parallel, each on its own CPU; here hundreds of
//! simulated phones share the server's two cores, so "applied" also counts their queue.

#![allow(clippy::unwrap_used)]

use std::io::BufRead;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use kluis_domain::ids::DeviceId;
use kluis_domain::rng::SeededRandom;
use kluis_domain::sync::{NEXT_TOKEN_HEADER, PushedChange, SyncClient, SyncReply};
use kluis_domain::time::Timestamp;
use kluis_sync_server::bench_registry::{self, BENCH_PASSWORD};
use kluis_sync_server::db::{Db, accounts, sessions};
use serde_json::json;
use tokio::sync::Mutex;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn now() -> Timestamp {
    Timestamp::from_millis(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as i64,
    )
}

/// The server's CPU time so far (all its threads), from the scheduler's own counts.
fn cpu_ns(pid: u32) -> u64 {
    let mut total = 0;
    for task in std::fs::read_dir(format!("/proc/{pid}/task"))
        .unwrap()
        .flatten()
    {
        if let Ok(s) = std::fs::read_to_string(task.path().join("schedstat")) {
            total += s
                .split_whitespace()
                .next()
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(0);
        }
    }
    total
}

fn status(pid: u32) -> (f64, usize) {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (field("VmRSS:") / 1024.0, field("Threads:") as usize)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

struct Phone {
    token: String,
    client: SyncClient,
    /// When this phone last synced: the loop keeps each phone under the server's per-device
    /// rate (2 a second), as a real phone is, so no sync is refused and the figures are those
    /// of syncs the server does.
    last: Option<Instant>,
}

/// Slower than the per-device gate's 2 a second, with room for timer slack.
const DEVICE_PACE: Duration = Duration::from_millis(550);

/// One sync session; its duration.
async fn sync(http: &reqwest::Client, base: &str, phone: &mut Phone) -> Result<Duration, String> {
    let t = Instant::now();
    phone.client.begin_session();
    while let Some(req) = phone.client.next_request() {
        let resp = http
            .post(format!("{base}/api/sync"))
            .bearer_auth(&phone.token)
            .header("content-type", "application/octet-stream")
            .body(req.encode().unwrap())
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let status = resp.status();
        if let Some(next) = resp.headers().get(NEXT_TOKEN_HEADER)
            && status.is_success()
        {
            phone.token = next.to_str().unwrap().to_string();
        }
        let bytes = resp.bytes().await.map_err(|e| e.to_string())?;
        if !status.is_success() {
            return Err(format!("{status}: {}", String::from_utf8_lossy(&bytes)));
        }
        phone
            .client
            .handle_reply(SyncReply::decode(&bytes).unwrap())
            .unwrap();
    }
    Ok(t.elapsed())
}

fn start_server(data: &std::path::Path) -> (std::process::Child, String) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sync-server"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(data)
        .env("KLUIS_LOG", "error")
        .env("KLUIS_LOGIN_ATTEMPTS_PER_IP", "100000")
        // One bench account signs in a hundred times at once: in flight, each could be a guess.
        .env("KLUIS_LOGIN_ATTEMPTS_PER_ACCOUNT", "100000")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let out = child.stdout.take().unwrap();
    let base = std::io::BufReader::new(out)
        .lines()
        .map_while(Result::ok)
        .find_map(|l| {
            l.strip_prefix("Kluis is running: open ")
                .map(|u| u.trim_end_matches('/').to_string())
        })
        .unwrap();
    (child, base)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let devices = env("KLUIS_BENCH_DEVICES", 1000);
    let safes = env("KLUIS_BENCH_SAFES", 200);
    let streams = env("KLUIS_BENCH_STREAMS", 500).min(devices);
    let secs = env("KLUIS_BENCH_SECS", 10) as u64;
    let fanouts = env("KLUIS_BENCH_FANOUTS", 5).max(1);
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");

    // The registry and the devices, written before the server starts.
    let t = Instant::now();
    let mut tokens = Vec::with_capacity(devices);
    {
        let db = Db::open(&data).unwrap();
        let key = kluis_sync_server::keys::load_or_create(&data, None).unwrap();
        bench_registry::seed_bench_registry(&db, &key, safes, now()).unwrap();
        let carer = db
            .blocking(|c| accounts::find_person_by_login(c, "carer"))
            .unwrap()
            .unwrap();
        let mut rng = SeededRandom::new(7);
        let t0 = now();
        let expires = t0.plus_millis(30 * 86_400_000);
        db.blocking(|c| {
            for _ in 0..devices {
                let device = DeviceId::random(&mut rng);
                let token = kluis_crypto::random_token()?;
                sessions::enrol_device(
                    c,
                    carer,
                    device,
                    "bench",
                    &kluis_crypto::token_hash(&token),
                    t0,
                    expires,
                )?;
                tokens.push((device, token));
            }
            Ok(())
        })
        .unwrap();
    }
    println!(
        "{safes} safes, {devices} devices enrolled in the database in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    let (mut child, base) = start_server(&data);
    let pid = child.id();
    let http = reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(256)
        .build()
        .unwrap();
    let (rss, threads) = status(pid);
    println!("server started: RSS {rss:.0} MB, {threads} threads");

    // A burst of real sign-ins (Argon2id each).
    let burst = 200;
    let cpu = cpu_ns(pid);
    let t = Instant::now();
    let logins = futures_util::stream::iter(0..burst)
        .map(|_| {
            let http = http.clone();
            let base = base.clone();
            async move {
                let t = Instant::now();
                let r = http
                    .post(format!("{base}/api/login"))
                    .json(&json!({"login": "carer", "password": BENCH_PASSWORD}))
                    .send()
                    .await
                    .unwrap();
                assert!(r.status().is_success(), "{}", r.status());
                t.elapsed()
            }
        })
        .buffer_unordered(100)
        .collect::<Vec<_>>()
        .await;
    let mut logins = logins;
    logins.sort();
    let (rss, threads) = status(pid);
    println!(
        "{burst} sign-ins, 100 at a time: {:.1} s, p50 {:.0} ms, p99 {:.0} ms, server CPU {:.1} ms each; RSS {rss:.0} MB, {threads} threads",
        t.elapsed().as_secs_f64(),
        percentile(&logins, 0.5).as_secs_f64() * 1000.0,
        percentile(&logins, 0.99).as_secs_f64() * 1000.0,
        (cpu_ns(pid) - cpu) as f64 / 1e6 / burst as f64,
    );

    // Every device's first sync.
    let phones: Vec<Arc<Mutex<Phone>>> = tokens
        .into_iter()
        .map(|(device, token)| {
            Arc::new(Mutex::new(Phone {
                token,
                client: SyncClient::new(device),
                last: None,
            }))
        })
        .collect();
    let t = Instant::now();
    futures_util::stream::iter(phones.iter().cloned())
        .map(|p| {
            let (http, base) = (http.clone(), base.clone());
            async move {
                let mut p = p.lock().await;
                sync(&http, &base, &mut p).await.unwrap();
            }
        })
        .buffer_unordered(64)
        .collect::<Vec<_>>()
        .await;
    let (rss, threads) = status(pid);
    println!(
        "first sync of {devices} devices, 64 at a time: {:.1} s; RSS {rss:.0} MB, {threads} threads",
        t.elapsed().as_secs_f64()
    );

    // Closed-loop no-change syncs: 64 workers, each taking the next device, each device at
    // most once per `DEVICE_PACE` (with few devices that, not the server, bounds the rate).
    let next = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + Duration::from_secs(secs);
    let cpu = cpu_ns(pid);
    let t = Instant::now();
    let workers: Vec<_> = (0..64)
        .map(|_| {
            let (http, base, phones, next) =
                (http.clone(), base.clone(), phones.clone(), next.clone());
            tokio::spawn(async move {
                let mut times = Vec::new();
                let mut errors = 0;
                while Instant::now() < deadline {
                    let i = next.fetch_add(1, Ordering::Relaxed) % phones.len();
                    let mut p = phones[i].lock().await;
                    if let Some(wait) = p.last.and_then(|l| DEVICE_PACE.checked_sub(l.elapsed())) {
                        tokio::time::sleep(wait).await;
                    }
                    p.last = Some(Instant::now());
                    match sync(&http, &base, &mut p).await {
                        Ok(d) => times.push(d),
                        Err(_) => errors += 1,
                    }
                }
                (times, errors)
            })
        })
        .collect();
    let mut times = Vec::new();
    let mut errors = 0;
    for w in workers {
        let (t, e) = w.await.unwrap();
        times.extend(t);
        errors += e;
    }
    let elapsed = t.elapsed().as_secs_f64();
    let used = cpu_ns(pid) - cpu;
    times.sort();
    let (rss, threads) = status(pid);
    println!(
        "no-change syncs over {devices} devices, 64 in flight, each device at most every {} ms: {:.0}/s, p50 {:.1} ms, p99 {:.1} ms, \
         server CPU {:.0} µs per sync, {errors} refused; RSS {rss:.0} MB, {threads} threads",
        DEVICE_PACE.as_millis(),
        times.len() as f64 / elapsed,
        percentile(&times, 0.5).as_secs_f64() * 1000.0,
        percentile(&times, 0.99).as_secs_f64() * 1000.0,
        used as f64 / 1e3 / times.len().max(1) as f64,
    );

    // Fan-out: `streams` devices hold their event stream; one code changes.
    let coordinator: serde_json::Value = http
        .post(format!("{base}/api/login"))
        .json(&json!({"login": "coordinator", "password": BENCH_PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let coordinator = coordinator["token"].as_str().unwrap().to_string();
    // Each fan-out rotates another safe: a second rotation of one safe would retire its
    // previous code and start a new epoch, which is another figure (a snapshot per device).
    let targets: Vec<String> = {
        let c = rusqlite::Connection::open(data.join("kluis.sqlite3")).unwrap();
        let mut stmt = c
            .prepare("SELECT id FROM safes WHERE status = 'active' ORDER BY id LIMIT ?1")
            .unwrap();
        stmt.query_map([fanouts as i64], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let fanouts = targets.len();
    let ready = Arc::new(AtomicUsize::new(0));
    let (go_tx, _) = tokio::sync::broadcast::channel::<Instant>(1);
    // Per device: when the change's bytes were in, and when the device had applied it.
    let (arrived_tx, mut arrived) = tokio::sync::mpsc::unbounded_channel::<(Duration, Duration)>();
    // Devices that had to sync rather than apply the pushed change.
    let synced = Arc::new(AtomicUsize::new(0));
    // Of those, the ones told `sync` rather than sent the change.
    let nudged = Arc::new(AtomicUsize::new(0));
    for p in &phones[..streams] {
        let (http, base, ready, p) = (http.clone(), base.clone(), ready.clone(), p.clone());
        let mut go = go_tx.subscribe();
        let (arrived_tx, synced, nudged) = (arrived_tx.clone(), synced.clone(), nudged.clone());
        tokio::spawn(async move {
            let token = p.lock().await.token.clone();
            let mut events = http
                .get(format!("{base}/api/events"))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap()
                .bytes_stream();
            let mut seen = String::new();
            // `ready`, then one nudge per fan-out.
            while !seen.contains("event: ready") {
                seen.push_str(&String::from_utf8_lossy(
                    &events.next().await.unwrap().unwrap(),
                ));
            }
            ready.fetch_add(1, Ordering::SeqCst);
            for _ in 0..fanouts {
                // Closed: the bench stopped its fan-outs early.
                let Ok(changed_at) = go.recv().await else {
                    return;
                };
                seen.clear();
                // The next `change` (the change itself) or `sync` event, whole.
                let (name, data) = loop {
                    if let Some(end) = seen.find("\n\n") {
                        let block: String = seen.drain(..end + 2).collect();
                        let field = |key: &str| {
                            block
                                .lines()
                                .find_map(|l| l.strip_prefix(key))
                                .map(|v| v.trim().to_string())
                        };
                        match field("event:").as_deref() {
                            Some(name @ ("change" | "sync")) => {
                                break (name.to_string(), field("data:").unwrap_or_default());
                            }
                            _ => continue,
                        }
                    }
                    seen.push_str(&String::from_utf8_lossy(
                        &events.next().await.unwrap().unwrap(),
                    ));
                };
                let came = changed_at.elapsed();
                let mut p = p.lock().await;
                // As the app does: apply a pushed change when the phone is at its heads.
                let applied = name == "change"
                    && PushedChange::decode(&data).is_ok_and(|push| p.client.apply_push(&push));
                if !applied {
                    sync(&http, &base, &mut p).await.unwrap();
                    synced.fetch_add(1, Ordering::Relaxed);
                    if name == "sync" {
                        nudged.fetch_add(1, Ordering::Relaxed);
                    }
                }
                let _ = arrived_tx.send((came, changed_at.elapsed()));
            }
        });
    }
    while ready.load(Ordering::SeqCst) < streams {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let (rss, threads) = status(pid);
    println!("{streams} event streams open: RSS {rss:.0} MB, {threads} threads");
    let mut per_device_ms = Vec::new();
    let mut p95s = Vec::new();
    let mut p95s_in = Vec::new();
    for (round, safe) in targets.iter().enumerate() {
        let cpu = cpu_ns(pid);
        let changed = Instant::now();
        let r = http
            .post(format!("{base}/api/admin/safes/{safe}/rotate"))
            .bearer_auth(&coordinator)
            .send()
            .await
            .unwrap();
        let rotate_ms = changed.elapsed().as_secs_f64() * 1000.0;
        let answer = r.status();
        if answer == reqwest::StatusCode::UNPROCESSABLE_ENTITY {
            // The bench registry's one keypad model runs out of codes 2 buttons apart at
            // tens of thousands of safes (a city has several models).
            println!(
                "fan-out {} not run: {}",
                round + 1,
                r.text().await.unwrap_or_default()
            );
            break;
        }
        assert!(
            answer.is_success(),
            "{answer}: {}",
            r.text().await.unwrap_or_default()
        );
        let _ = go_tx.send(changed);
        let before = synced.load(Ordering::Relaxed);
        let nudged_before = nudged.load(Ordering::Relaxed);
        let mut arrivals = Vec::with_capacity(streams);
        let mut came = Vec::with_capacity(streams);
        while arrivals.len() < streams {
            let (bytes_in, applied) = arrived.recv().await.unwrap();
            came.push(bytes_in);
            arrivals.push(applied);
        }
        came.sort();
        let had_to_sync = synced.load(Ordering::Relaxed) - before;
        let told_to_sync = nudged.load(Ordering::Relaxed) - nudged_before;
        let used = cpu_ns(pid) - cpu;
        arrivals.sort();
        let (rss, threads) = status(pid);
        let per_device = used as f64 / 1e6 / streams as f64;
        let p95 = percentile(&arrivals, 0.95).as_secs_f64() * 1000.0;
        let p95_in = percentile(&came, 0.95).as_secs_f64() * 1000.0;
        println!(
            "one changed code to {streams} connected devices ({}/{fanouts}, the rotate call {rotate_ms:.0} ms): applied p50 {:.0} ms, p95 {p95:.0} ms, \
             last {:.0} ms; bytes in p95 {p95_in:.0} ms; server CPU {per_device:.3} ms per device, {had_to_sync} synced instead of \
             applying the pushed change ({told_to_sync} told to); RSS {rss:.0} MB, {threads} threads",
            round + 1,
            percentile(&arrivals, 0.5).as_secs_f64() * 1000.0,
            arrivals.last().copied().unwrap_or_default().as_secs_f64() * 1000.0,
        );
        per_device_ms.push(per_device);
        p95s.push(p95);
        p95s_in.push(p95_in);
        // Let the devices' pace (and the server's write-behind) settle between fan-outs.
        tokio::time::sleep(Duration::from_millis(600)).await;
    }
    let ran = p95s.len();
    if ran > 1 {
        per_device_ms.sort_by(f64::total_cmp);
        p95s.sort_by(f64::total_cmp);
        p95s_in.sort_by(f64::total_cmp);
        println!(
            "fan-out, median of {ran}: p95 applied {:.0} ms, bytes in {:.0} ms; server CPU {:.3} ms per device",
            p95s[ran / 2],
            p95s_in[ran / 2],
            per_device_ms[ran / 2],
        );
    }
    let _ = child.kill();
    let _ = child.wait();
}
