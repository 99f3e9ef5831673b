//! `cargo bench -p kluis-sync-server --bench lifecycle`: code-lifecycle figures against the
//! real server on 127.0.0.1 with a real SQLite file, for 200 and 5,000 safes: the time to
//! create a full rotation campaign through the API (plan, draw and seal the codes, rounds),
//! and the bytes that bring one confirmed change to a volunteer's and a carer's phone.
//! Prints figures; asserts nothing about speed.

#![allow(clippy::unwrap_used)]

use std::time::Instant;

use kluis_domain::ids::{EventId, PersonId};
use kluis_domain::model::{Person, Role};
use kluis_domain::rng::SeededRandom;
use kluis_domain::schema::{DeviceEvent, append_device_event, read_rounds};
use kluis_domain::sync::{DocId, SyncClient, SyncReply};
use kluis_sync_server::Clock;
use kluis_sync_server::Settings;
use kluis_sync_server::bench_registry::{BENCH_PASSWORD, seed_bench_registry};
use kluis_sync_server::db::{Db, accounts};
use serde_json::{Value, json};

struct Session {
    token: String,
    device: kluis_domain::ids::DeviceId,
}

async fn login(http: &reqwest::Client, base: &str, who: &str) -> Session {
    let body: Value = http
        .post(format!("{base}/api/login"))
        .json(&json!({"login": who, "password": BENCH_PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    Session {
        token: body["token"].as_str().unwrap().to_string(),
        device: body["device_id"].as_str().unwrap().parse().unwrap(),
    }
}

/// One sync session; returns (round trips, bytes up, bytes down).
async fn sync(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    client: &mut SyncClient,
) -> (u32, usize, usize) {
    let (mut rounds, mut up, mut down) = (0, 0, 0);
    client.begin_session();
    while let Some(req) = client.next_request() {
        let body = req.encode().unwrap();
        up += body.len();
        rounds += 1;
        let resp = http
            .post(format!("{base}/api/sync"))
            .bearer_auth(token)
            .body(body)
            .send()
            .await
            .unwrap();
        assert!(resp.status().is_success(), "{}", resp.status());
        let bytes = resp.bytes().await.unwrap();
        down += bytes.len();
        client
            .handle_reply(SyncReply::decode(&bytes).unwrap())
            .unwrap();
    }
    (rounds, up, down)
}

async fn scenario(n: usize) {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(dir.path()).unwrap();
    let key = kluis_sync_server::keys::load_or_create(dir.path(), None).unwrap();
    seed_bench_registry(&db, &key, n, Clock::system().now()).unwrap();
    // A volunteer in the coordinator's office.
    let volunteer = PersonId::random(&mut SeededRandom::new(7));
    let hash = kluis_crypto::hash_password(BENCH_PASSWORD).unwrap();
    db.blocking(|c| {
        let office = c.query_row(
            "SELECT id FROM organisations WHERE kind = 'coordinator_office'",
            [],
            |r| r.get::<_, String>(0),
        )?;
        let person = Person {
            id: volunteer,
            org: office.parse().unwrap(),
            name: "Marc Van Hecke".into(),
            login: "volunteer".into(),
            role: Role::Volunteer,
        };
        accounts::insert_person(c, &person, &hash, Clock::system().now())
    })
    .unwrap();
    drop(db);

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let settings = Settings {
        data_dir: dir.path().to_path_buf(),
        ..Settings::default()
    };
    let (state, _) = tokio::task::spawn_blocking(move || {
        kluis_sync_server::prepare(settings, kluis_sync_server::Clock::system())
    })
    .await
    .unwrap()
    .unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(kluis_sync_server::serve(listener, state, async {
        let _ = rx.await;
    }));
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let coordinator = login(&http, &base, "coordinator").await;

    let start = Instant::now();
    let resp = http
        .post(format!("{base}/api/admin/campaigns"))
        .bearer_auth(&coordinator.token)
        .json(&json!({"name": "Rotatie", "selection": {"kind": "all"}}))
        .send()
        .await
        .unwrap();
    let elapsed = start.elapsed();
    assert!(resp.status().is_success(), "{}", resp.status());
    let created: Value = resp.json().await.unwrap();
    println!(
        "{n:>5} safes | rotation campaign through the API: {:>8.1} ms ({} safes with a new code, {} waves, {} rounds)",
        elapsed.as_secs_f64() * 1e3,
        created["waves"][0]["with_codes"],
        created["waves"].as_array().unwrap().len(),
        created["rounds"].as_array().unwrap().len()
    );

    let carer = login(&http, &base, "carer").await;
    let mut carer_client = SyncClient::new(carer.device);
    sync(&http, &base, &carer.token, &mut carer_client).await;

    let round = created["rounds"][0]["id"].as_str().unwrap();
    let resp = http
        .post(format!("{base}/api/admin/rounds/{round}/assign"))
        .bearer_auth(&coordinator.token)
        .json(&json!({"volunteer_id": volunteer.to_string()}))
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success());
    let vol = login(&http, &base, "volunteer").await;
    let mut vol_client = SyncClient::new(vol.device);
    let (r, up, down) = sync(&http, &base, &vol.token, &mut vol_client).await;
    println!(
        "{n:>5} safes | volunteer's first sync (one round of {}): {r} round trip(s), {up} B up, {down} B down",
        created["rounds"][0]["safes"]
    );
    let rounds_doc = vol_client
        .doc_ids()
        .find(|d| d.to_string().starts_with("rounds."))
        .cloned()
        .unwrap();
    let view = read_rounds(vol_client.doc(&rounds_doc).unwrap()).unwrap();
    let safe = *view
        .rounds
        .values()
        .next()
        .unwrap()
        .items
        .keys()
        .next()
        .unwrap();
    let outbox = DocId::device(vol.device);
    append_device_event(
        vol_client.doc_mut(&outbox),
        vol.device,
        EventId::random(&mut SeededRandom::new(1)),
        &DeviceEvent::CodeSet {
            safe,
            at: Clock::system().now(),
        },
        Clock::system().now(),
    )
    .unwrap();
    let start = Instant::now();
    let (r, up, down) = sync(&http, &base, &vol.token, &mut vol_client).await;
    println!(
        "{n:>5} safes | volunteer reports \"Gewijzigd\": {r} round trip(s), {up} B up, {down} B down, {:.1} ms",
        start.elapsed().as_secs_f64() * 1e3
    );
    let (r, up, down) = sync(&http, &base, &carer.token, &mut carer_client).await;
    println!(
        "{n:>5} safes | the confirmed change to a carer: {r} round trip(s), {up} B up, {down} B down"
    );

    let _ = tx.send(());
    server.await.unwrap().unwrap();
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("lifecycle bench: run with `cargo bench -p kluis-sync-server --bench lifecycle`");
        return;
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    println!(
        "Kluis code-lifecycle figures (real server on 127.0.0.1, real SQLite file, {} cores)",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    );
    for n in [200, 5_000] {
        rt.block_on(scenario(n));
    }
}
