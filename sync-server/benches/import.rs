//! `cargo bench -p kluis-sync-server --bench import`: the registry import against the real
//! server on 127.0.0.1 with a real SQLite file, for files of 200 and 5,000 entrances, each
//! with a safe, its current code and a service: the time of the dry run and of the apply
//! (one transaction, audit rows, codes sealed, the service's scope rebuilt), and of the
//! export with codes of the result. Prints figures; asserts nothing about speed.

#![allow(clippy::unwrap_used)]

use std::time::Instant;

use kluis_sync_server::bench_registry::{BENCH_PASSWORD, seed_bench_registry};
use kluis_sync_server::db::Db;
use kluis_sync_server::{Clock, Settings};
use serde_json::{Value, json};

/// `n` entrances with distinct six-button codes of the bench's 16-button model.
fn file(n: usize) -> String {
    let buttons: Vec<char> = "123456789ABCDEF0".chars().collect();
    let mut codes = (0u32..1 << 16).filter(|m| m.count_ones() == 6).map(|m| {
        (0..16)
            .filter(|i| m & (1 << i) != 0)
            .map(|i| buttons[i])
            .collect::<String>()
    });
    let mut out = String::from(
        "straat;huisnummers;postcode;gemeente;wijk;appartementen;eigenaar;model;plaats;status;geplaatst op;code;code sinds;diensten\n",
    );
    for i in 0..n {
        let street = format!("Importstraat {}", i / 50);
        let number = (i % 50) * 2 + 1;
        let code = codes.next().unwrap();
        out.push_str(&format!(
            "{street};{number};9000;Gent;Wijk {};{};WoninGent;Keypad 16;links van de deur;actief;01/03/2024;{code};15/09/2026;Wit-Gele Kruis\n",
            i % 25,
            4 + i % 30
        ));
    }
    out
}

async fn scenario(n: usize) {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(dir.path()).unwrap();
    let key = kluis_sync_server::keys::load_or_create(dir.path(), None).unwrap();
    seed_bench_registry(&db, &key, 0, Clock::system().now()).unwrap();
    drop(db);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let settings = Settings {
        data_dir: dir.path().to_path_buf(),
        ..Settings::default()
    };
    let (state, _) =
        tokio::task::spawn_blocking(move || kluis_sync_server::prepare(settings, Clock::system()))
            .await
            .unwrap()
            .unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(kluis_sync_server::serve(listener, state, async {
        let _ = rx.await;
    }));
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let login: Value = http
        .post(format!("{base}/api/login"))
        .json(&json!({"login": "coordinator", "password": BENCH_PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["token"].as_str().unwrap().to_string();
    let csv = file(n);
    let bytes = csv.len();
    let mut times = Vec::new();
    for apply in [false, true] {
        let start = Instant::now();
        let report: Value = http
            .post(format!("{base}/api/admin/registry/import"))
            .bearer_auth(&token)
            .json(&json!({"csv": csv, "apply": apply}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        times.push(start.elapsed().as_secs_f64() * 1e3);
        assert_eq!(report["error_count"], 0, "{}", report["errors"]);
        assert_eq!(report["applied"], apply);
        assert_eq!(report["codes_set"], n);
    }
    let start = Instant::now();
    let resp = http
        .post(format!("{base}/api/admin/registry/export-with-codes"))
        .bearer_auth(&token)
        .json(&json!({"password": BENCH_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success());
    let exported: Value = resp.json().await.unwrap();
    let export_ms = start.elapsed().as_secs_f64() * 1e3;
    assert_eq!(exported["rows"], n);
    println!(
        "{n:>5} entrances ({:>4} KB) | dry run {:>8.1} ms | apply {:>8.1} ms | export with codes {:>6.1} ms (incl. password check)",
        bytes / 1024,
        times[0],
        times[1],
        export_ms
    );
    let _ = tx.send(());
    let _ = server.await;
}

#[tokio::main]
async fn main() {
    for n in [200, 5_000] {
        scenario(n).await;
    }
}
