//! `sync-server admin backup` while the server writes, and `restore` into a fresh directory:
//! every write the server acknowledged before the backup began is in the restored server.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use reqwest::StatusCode;
use serde_json::json;

use crate::common::process::admin;
use crate::common::{TestServer, get_json, http, login};

/// A distinct, valid closing day for every `i`.
fn day(i: usize) -> String {
    format!(
        "{}-{:02}-{:02}",
        2031 + i / 336,
        i % 336 / 28 + 1,
        i % 28 + 1
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_under_write_load_restores_every_acknowledged_write() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("live");
    let server = TestServer::start(&live).await;
    let coordinator = login(&server, "coordinator").await;

    // The coordinator keeps adding closing days; each 200 is an acknowledged write.
    let acked = Arc::new(Mutex::new(Vec::<String>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (acked, stop) = (acked.clone(), stop.clone());
        let (url, token) = (
            server.url("/api/admin/closing-days"),
            coordinator.token.clone(),
        );
        tokio::spawn(async move {
            let client = http();
            let mut i = 0;
            while !stop.load(Ordering::SeqCst) {
                let resp = client
                    .post(&url)
                    .bearer_auth(&token)
                    .json(&json!({"day": day(i), "label": "backup-test"}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(resp.status(), StatusCode::OK);
                acked.lock().unwrap().push(day(i));
                i += 1;
            }
        })
    };
    while acked.lock().unwrap().len() < 20 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let before = acked.lock().unwrap().clone();
    let file = dir.path().join("kluis-backup.sqlite3");
    let (ok, out) = tokio::task::spawn_blocking({
        let (live, file) = (live.clone(), file.clone());
        move || admin(&live, &["backup", "--to", file.to_str().unwrap()], &[])
    })
    .await
    .unwrap();
    assert!(ok, "{out}");
    assert!(
        out.contains("safes:") && out.contains("audit head:"),
        "{out}"
    );
    let during = acked.lock().unwrap().len();
    assert!(during > before.len(), "writes went on during the backup");
    // Never over an existing file.
    let (again, out) = admin(&live, &["backup", "--to", file.to_str().unwrap()], &[]);
    assert!(!again && out.contains("never overwrites"), "{out}");

    // No restore over a running server's data.
    let (ok, out) = admin(&live, &["restore", "--from", file.to_str().unwrap()], &[]);
    assert!(!ok && out.contains("is running on"), "{out}");
    stop.store(true, Ordering::SeqCst);
    writer.await.unwrap();
    server.stop().await;

    // A fresh directory: the key comes from its own backup.
    let fresh = dir.path().join("fresh");
    let other_key = dir.path().join("other.key");
    kluis_sync_server::keys::write_key_file(
        &other_key,
        &kluis_crypto::SecretKey::generate().unwrap(),
    )
    .unwrap();
    let (ok, out) = admin(
        &fresh,
        &[
            "restore",
            "--from",
            file.to_str().unwrap(),
            "--key",
            other_key.to_str().unwrap(),
        ],
        &[],
    );
    assert!(!ok && out.contains("does not open this database"), "{out}");
    assert!(!fresh.join("kluis.sqlite3").exists(), "nothing replaced");
    let key = live.join("server.key");
    let (ok, out) = admin(
        &fresh,
        &[
            "restore",
            "--from",
            file.to_str().unwrap(),
            "--key",
            key.to_str().unwrap(),
        ],
        &[],
    );
    assert!(ok, "{out}");

    let restored = TestServer::start_with(&fresh, |s| s.demo = false).await;
    let coordinator = login(&restored, "coordinator").await;
    let (status, settings) = get_json(&restored, &coordinator.token, "/api/admin/settings").await;
    assert_eq!(status, StatusCode::OK);
    let days: Vec<&str> = settings["closing_days"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["day"].as_str())
        .collect();
    for d in &before {
        assert!(days.contains(&d.as_str()), "acknowledged {d} is lost");
    }
    restored.stop().await;
    let (ok, out) = admin(&fresh, &["verify-audit"], &[]);
    assert!(ok, "{out}");
    // The restored trail still passes through the backup's last row.
    let (ok, out) = admin(
        &fresh,
        &["verify-audit", "--against", file.to_str().unwrap()],
        &[],
    );
    assert!(ok && out.contains("still passes through"), "{out}");
}
