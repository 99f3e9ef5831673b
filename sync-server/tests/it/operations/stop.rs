//! How the server stops (SIGTERM, as systemd and containers stop it), what its files allow
//! others, and what it does with a database that is not its key's.

use std::time::{Duration, Instant};

use kluis_sync_server::{Clock, Settings};

use crate::common::process::ServerProcess;
use crate::common::{http, login};

#[cfg(unix)]
fn mode(p: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[tokio::test]
async fn sigterm_ends_open_event_streams_checkpoints_and_exits_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let log = dir.path().join("stderr.log");
    let mut process = ServerProcess::start(&data, &["--demo"], &[], Some(&log));
    let server = &process.server;
    let carer = login(server, "carer.wgk.1").await;
    // A phone holding its event stream open, as every signed-in app does.
    let mut stream = http()
        .get(server.url("/api/events"))
        .bearer_auth(&carer.token)
        .send()
        .await
        .unwrap()
        .bytes_stream();
    use futures_util::StreamExt;
    let first = stream.next().await.unwrap().unwrap();
    assert!(String::from_utf8_lossy(&first).contains("ready"));

    let asked = Instant::now();
    process.signal("TERM");
    let status = loop {
        if let Some(status) = process.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            asked.elapsed() < Duration::from_secs(8),
            "still running 8 s after SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let took = asked.elapsed();
    assert!(status.success(), "exit status {status:?}");
    assert!(
        took < kluis_sync_server::SHUTDOWN_GRACE,
        "the open stream held the stop for {took:?}"
    );
    // The stream ended rather than being cut mid-event.
    let rest: Vec<_> = stream.collect().await;
    assert!(rest.iter().all(|r| r.is_ok()), "{rest:?}");
    let printed: Vec<String> = process.stdout.try_iter().collect();
    assert!(printed.iter().any(|l| l == "Kluis stopped"), "{printed:?}");
    // Checkpointed: the database file is complete without its WAL.
    let wal = data.join("kluis.sqlite3-wal");
    assert!(
        !wal.exists() || std::fs::metadata(&wal).unwrap().len() == 0,
        "WAL left with {} bytes",
        std::fs::metadata(&wal).unwrap().len()
    );
    #[cfg(unix)]
    {
        assert_eq!(mode(&data), 0o700);
        assert_eq!(mode(&data.join("kluis.sqlite3")), 0o600);
        assert_eq!(mode(&data.join("server.key")), 0o600);
    }
    let stderr = std::fs::read_to_string(&log).unwrap();
    assert!(
        stderr.contains("the server key sits beside the database"),
        "{stderr}"
    );
}

fn settings(data: &std::path::Path) -> Settings {
    Settings {
        data_dir: data.to_path_buf(),
        demo: true,
        demo_history: false,
        ..Settings::default()
    }
}

fn prepare(settings: Settings) -> Result<(), String> {
    kluis_sync_server::prepare(settings, Clock::system())
        .map(drop)
        .map_err(|e| e.to_string())
}

#[test]
fn a_database_without_its_key_or_with_another_key_refuses_to_start() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    prepare(settings(&data)).unwrap();
    let key = data.join("server.key");
    let kept = dir.path().join("kept.key");
    std::fs::rename(&key, &kept).unwrap();

    // Copied without its key: no new key is made up (it would open none of the codes).
    let without = Settings {
        demo: false,
        ..settings(&data)
    };
    let err = prepare(without.clone()).unwrap_err();
    assert!(err.contains("restore the key file"), "{err}");
    assert!(!key.exists());

    // Another server's key.
    let other = kluis_crypto::SecretKey::generate().unwrap();
    let with_other = Settings {
        server_key: Some(other.to_base64().to_string()),
        ..without.clone()
    };
    let err = prepare(with_other).unwrap_err();
    assert!(err.contains("does not open this database"), "{err}");

    // Its own key, kept outside the data directory, opens it.
    let outside = Settings {
        server_key_file: Some(kept.clone()),
        ..without
    };
    prepare(outside).unwrap();
}

#[tokio::test]
async fn a_second_server_on_the_same_data_directory_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (first, _) = tokio::task::spawn_blocking({
        let s = settings(dir.path());
        move || kluis_sync_server::prepare(s, Clock::system())
    })
    .await
    .unwrap()
    .unwrap();
    let err = prepare(Settings {
        demo: false,
        ..settings(dir.path())
    })
    .unwrap_err();
    assert!(err.contains("is running on"), "{err}");
    drop(first);
    prepare(Settings {
        demo: false,
        ..settings(dir.path())
    })
    .unwrap();
}
