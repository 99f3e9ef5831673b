//! A full disk: the server answers 503 with a clear JSON error, acknowledges nothing it did not
//! store, and takes writes again once there is room. The data directory is on a small tmpfs
//! (mounting needs root, as CI runs; elsewhere the test says it could not mount and passes
//! without checking).

use std::path::{Path, PathBuf};
use std::process::Command;

use reqwest::StatusCode;
use serde_json::json;

use crate::common::{TestServer, get_json, http, login, sql};

struct Mount(PathBuf);

impl Mount {
    fn tmpfs(at: &Path, size: &str) -> Option<Mount> {
        std::fs::create_dir_all(at).unwrap();
        let ok = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0700"),
                "tmpfs",
            ])
            .arg(at)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Mount(at.to_path_buf()))
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

fn free_bytes(at: &Path) -> u64 {
    let out = Command::new("df")
        .args(["--output=avail", "-B1"])
        .arg(at)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .nth(1)
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn a_full_disk_gets_503_stores_nothing_half_and_recovers_when_room_returns() {
    let dir = tempfile::tempdir().unwrap();
    let Some(mount) = Mount::tmpfs(&dir.path().join("disk"), "24m") else {
        eprintln!("cannot mount a tmpfs here (not root?): disk-full behaviour not checked");
        return;
    };
    let data = mount.0.join("data");
    let server = TestServer::start(&data).await;
    let coordinator = login(&server, "coordinator").await;
    // Fill the disk but for a little room.
    let filler = mount.0.join("filler");
    let room = 96 * 1024;
    let fill = free_bytes(&mount.0).saturating_sub(room);
    std::fs::write(&filler, vec![7u8; usize::try_from(fill).unwrap()]).unwrap();

    let client = http();
    let mut acked = Vec::new();
    let mut refusal = None;
    for i in 0..5000 {
        let day = format!(
            "{}-{:02}-{:02}",
            2031 + i / 336,
            i % 336 / 28 + 1,
            i % 28 + 1
        );
        let resp = client
            .post(server.url("/api/admin/closing-days"))
            .bearer_auth(&coordinator.token)
            .json(&json!({"day": day, "label": "x".repeat(90)}))
            .send()
            .await
            .unwrap();
        match resp.status() {
            StatusCode::OK => acked.push(day),
            status => {
                let body: serde_json::Value = resp.json().await.unwrap();
                refusal = Some((status, body));
                break;
            }
        }
    }
    let (status, body) = refusal.expect("the disk never filled");
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["code"], "unavailable", "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("nothing was changed"),
        "{body}"
    );

    // Reads still work; what was refused is not there, what was acknowledged is.
    let (status, settings) = get_json(&server, &coordinator.token, "/api/admin/settings").await;
    assert_eq!(status, StatusCode::OK);
    let days = settings["closing_days"].as_array().unwrap().len();
    let demo_days = days - acked.len();
    let count_days = |data: &Path| {
        sql(data, |c| {
            c.query_row(
                "SELECT count(*) FROM closing_days WHERE label = ?1",
                ["x".repeat(90)],
                |r| r.get::<_, i64>(0),
            )
            .unwrap()
        })
    };

    // Room again: the next write is taken.
    std::fs::remove_file(&filler).unwrap();
    let resp = client
        .post(server.url("/api/admin/closing-days"))
        .bearer_auth(&coordinator.token)
        .json(&json!({"day": "2040-01-02", "label": "x".repeat(90)}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    server.stop().await;
    assert_eq!(count_days(&data), acked.len() as i64 + 1);
    let (ok, out) = crate::common::process::admin(&data, &["verify-audit"], &[]);
    assert!(ok, "{out}");
    let restarted = TestServer::start_with(&data, |s| s.demo = false).await;
    let coordinator = login(&restarted, "coordinator").await;
    let (_, settings) = get_json(&restarted, &coordinator.token, "/api/admin/settings").await;
    assert_eq!(
        settings["closing_days"].as_array().unwrap().len(),
        demo_days + acked.len() + 1
    );
    restarted.stop().await;
}
