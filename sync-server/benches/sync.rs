//! `cargo bench -p kluis-sync-server --bench sync`: sync figures against the real server on
//! 127.0.0.1 with a real SQLite file, for a carer whose service sees 200 and 5,000 safes.
//! Prints figures; asserts nothing about speed.

#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use kluis_domain::sync::{SyncClient, SyncReply};
use kluis_domain::time::Timestamp;
use kluis_sync_server::Settings;
use kluis_sync_server::bench_registry;
use kluis_sync_server::db::Db;
use serde_json::json;

fn now() -> Timestamp {
    Timestamp::from_millis(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as i64,
    )
}

/// The synthetic registry of `bench_registry` (one service active at all `n` buildings).
fn seed(dir: &std::path::Path, n: usize) {
    let db = Db::open(dir).unwrap();
    let key = kluis_sync_server::keys::load_or_create(dir, None).unwrap();
    bench_registry::seed_bench_registry(&db, &key, n, now()).unwrap();
}

async fn login(
    http: &reqwest::Client,
    base: &str,
    who: &str,
) -> (String, kluis_domain::ids::DeviceId) {
    let body: serde_json::Value = http
        .post(format!("{base}/api/login"))
        .json(&json!({"login": who, "password": bench_registry::BENCH_PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    (
        body["token"].as_str().unwrap().to_string(),
        body["device_id"].as_str().unwrap().parse().unwrap(),
    )
}

struct Figures {
    rounds: u32,
    up: usize,
    down: usize,
    down_gzip: usize,
    elapsed: Duration,
}

fn gzip_len(bytes: &[u8]) -> usize {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap().len()
}

async fn sync(http: &reqwest::Client, base: &str, token: &str, client: &mut SyncClient) -> Figures {
    let mut f = Figures {
        rounds: 0,
        up: 0,
        down: 0,
        down_gzip: 0,
        elapsed: Duration::ZERO,
    };
    client.begin_session();
    while let Some(req) = client.next_request() {
        let body = req.encode().unwrap();
        f.up += body.len();
        f.rounds += 1;
        let start = Instant::now();
        let resp = http
            .post(format!("{base}/api/sync"))
            .bearer_auth(token)
            .body(body)
            .send()
            .await
            .unwrap();
        assert!(resp.status().is_success(), "{}", resp.status());
        let bytes = resp.bytes().await.unwrap();
        f.elapsed += start.elapsed();
        f.down += bytes.len();
        f.down_gzip += gzip_len(&bytes);
        client
            .handle_reply(SyncReply::decode(&bytes).unwrap())
            .unwrap();
    }
    f
}

/// The seconds the server's scope updates took so far, from its own histogram
/// (`scope_rebuild_duration`, read through a registry of the bench's).
fn scope_update_secs(state: &kluis_sync_server::AppState) -> f64 {
    let mut registry = prometheus_client::registry::Registry::default();
    registry.register("scope", "", state.scopes.rebuild_histogram());
    let mut text = String::new();
    prometheus_client::encoding::text::encode(&mut text, &registry).unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix("scope_sum "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(f64::NAN)
}

async fn scenario(n: usize) {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path(), n);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let settings = Settings {
        data_dir: dir.path().to_path_buf(),
        ..Settings::default()
    };
    let start = Instant::now();
    let (state, _) = tokio::task::spawn_blocking(move || {
        kluis_sync_server::prepare(settings, kluis_sync_server::Clock::system())
    })
    .await
    .unwrap()
    .unwrap();
    let prepare = start.elapsed();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(kluis_sync_server::serve(listener, state.clone(), async {
        let _ = rx.await;
    }));
    let http = reqwest::Client::builder().no_proxy().build().unwrap();

    let (token, device) = login(&http, &base, "carer").await;
    let mut client = SyncClient::new(device);
    let first = sync(&http, &base, &token, &mut client).await;
    println!(
        "{n:>5} safes | start-up (open DB, build scope document): {:>7.1} ms",
        prepare.as_secs_f64() * 1e3
    );
    println!(
        "{n:>5} safes | first sync: {} round trip(s), {} B up, {} B down ({} B gzip), {:.1} ms server+loopback",
        first.rounds,
        first.up,
        first.down,
        first.down_gzip,
        first.elapsed.as_secs_f64() * 1e3
    );

    let (admin, _) = login(&http, &base, "coordinator").await;
    let scope = client
        .doc_ids()
        .find(|d| d.to_string().starts_with("scope."))
        .cloned()
        .unwrap();
    let view = kluis_domain::schema::read_scope(client.doc(&scope).unwrap()).unwrap();
    let safe = *view.safes.keys().nth(n / 2).unwrap();
    let rebuilds_before = scope_update_secs(&state);
    let start = Instant::now();
    let resp = http
        .post(format!("{base}/api/admin/safes/{safe}/rotate"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success());
    let rotate = start.elapsed();
    let scope_update = scope_update_secs(&state) - rebuilds_before;
    let change = sync(&http, &base, &token, &mut client).await;
    println!(
        "{n:>5} safes | one changed code: rotate call {:.1} ms, of which the scope update {:.2} ms; sync {} round trip(s), {} B up, {} B down ({} B gzip)",
        rotate.as_secs_f64() * 1e3,
        scope_update * 1e3,
        change.rounds,
        change.up,
        change.down,
        change.down_gzip
    );

    // No-change syncs: several devices in parallel, each a full session (one round trip);
    // `cargo xtask bench-load` measures this at scale.
    let mut devices = Vec::new();
    for _ in 0..8 {
        let (token, device) = login(&http, &base, "carer").await;
        let mut client = SyncClient::new(device);
        sync(&http, &base, &token, &mut client).await;
        devices.push((token, client));
    }
    let deadline = Instant::now() + Duration::from_secs(5);
    let start = Instant::now();
    let mut tasks = Vec::new();
    for (token, mut client) in devices {
        let http = http.clone();
        let base = base.clone();
        tasks.push(tokio::spawn(async move {
            let mut count = 0u64;
            // Within the per-device burst (`gate`): past it a phone is told to wait (429).
            while Instant::now() < deadline && count < 55 {
                let f = sync(&http, &base, &token, &mut client).await;
                count += u64::from(f.rounds);
            }
            count
        }));
    }
    let mut total = 0;
    for t in tasks {
        total += t.await.unwrap();
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{n:>5} safes | no-change sync: {:.0} requests/s (8 devices in parallel, {total} requests in {secs:.1} s)",
        total as f64 / secs
    );

    let _ = tx.send(());
    server.await.unwrap().unwrap();
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` would pass nothing else: run
    // the full figures only as a bench.
    if !std::env::args().any(|a| a == "--bench") {
        println!("sync bench: run with `cargo bench -p kluis-sync-server --bench sync`");
        return;
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    println!(
        "Kluis sync figures (real server on 127.0.0.1, real SQLite file, {} cores)",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    );
    for n in [200, 5_000] {
        rt.block_on(scenario(n));
    }
}
