//! The real binary with `KLUIS_LOG=debug KLUIS_LOG_FORMAT=json`: every line on stderr is
//! JSON, requests carry their id, and no line holds a bearer token, a password, an activation
//! code or a safe's code, whatever was done: sign-ins right and wrong, syncs, an invitation
//! and its activation, a code shown to the coordinator, the metrics scraped.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::lifecycle::codes;
use crate::common::*;
use crate::metrics::{TOKEN, json_lines, scrape, value_of, words, wrong_login};
use reqwest::StatusCode;
use serde_json::{Value, json};

const WRONG: &str = "geraden-wachtwoord-42";
const CHOSEN: &str = "een-nieuw-lang-wachtwoord";

struct Process {
    child: Child,
    stderr: Arc<Mutex<Vec<String>>>,
    readers: Vec<std::thread::JoinHandle<()>>,
}

impl Process {
    fn start(data: &std::path::Path) -> (Process, String) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sync-server"))
            .args(["serve", "--demo", "--listen", "127.0.0.1:0", "--data"])
            .arg(data)
            .env("KLUIS_LOG", "debug")
            .env("KLUIS_LOG_FORMAT", "json")
            .env("KLUIS_DEMO_HISTORY", "false")
            .env("KLUIS_METRICS_LISTEN", "127.0.0.1:0")
            .env("KLUIS_METRICS_TOKEN", TOKEN)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let lines = stderr.clone();
        let err = child.stderr.take().unwrap();
        let mut readers = vec![std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                lines.lock().unwrap().push(line);
            }
        })];
        let mut out = BufReader::new(child.stdout.take().unwrap()).lines();
        let base = out
            .by_ref()
            .map_while(Result::ok)
            .find_map(|l| {
                l.strip_prefix("Kluis is running: open ")
                    .map(|u| u.trim_end_matches('/').to_string())
            })
            .expect("the server says where it listens");
        // Keep reading what it prints, so it never writes into a closed pipe.
        readers.push(std::thread::spawn(move || {
            out.map_while(Result::ok).for_each(drop)
        }));
        (
            Process {
                child,
                stderr,
                readers,
            },
            base,
        )
    }

    /// The address the metrics listener logged, once it has.
    async fn metrics_base(&self) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let found = self.stderr.lock().unwrap().iter().find_map(|l| {
                let v: Value = serde_json::from_str(l).ok()?;
                (v["fields"]["message"] == "metrics served on their own listener")
                    .then(|| format!("http://{}", v["fields"]["addr"].as_str().unwrap()))
            });
            if let Some(base) = found {
                return base;
            }
            assert!(Instant::now() < deadline, "no metrics listener logged");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Stops it as Ctrl-C does and returns everything it wrote to stderr.
    fn stop(mut self) -> Vec<String> {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-INT", &pid]).status().unwrap();
        assert!(sent.success());
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.child.try_wait().unwrap().is_none() {
            assert!(Instant::now() < deadline, "the server did not stop");
            std::thread::sleep(Duration::from_millis(50));
        }
        for reader in self.readers.drain(..) {
            reader.join().unwrap();
        }
        std::mem::take(&mut *self.stderr.lock().unwrap())
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The request id of the span a line was written in, if any.
fn request_id(line: &Value) -> Option<&str> {
    line["span"]["request_id"]
        .as_str()
        .filter(|id| !id.is_empty())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_logs_json_lines_with_request_ids_and_no_secret() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let (process, base) = Process::start(data);
    let server = TestServer::remote(base.clone(), data);
    let mut secrets = vec![
        PASSWORD.to_string(),
        WRONG.into(),
        CHOSEN.into(),
        TOKEN.into(),
    ];

    let mut carer = Device::enrol(&server, "carer.wgk.1").await;
    secrets.push(carer.session.token.clone());
    carer.sync(&server).await.ok().unwrap();
    secrets.push(carer.session.token.clone());
    // A malformed sync is refused, and logged with why.
    let garbage = http()
        .post(server.url("/api/sync"))
        .bearer_auth(&carer.session.token)
        .body(vec![0xff; 64])
        .send()
        .await
        .unwrap();
    assert_eq!(garbage.status(), StatusCode::BAD_REQUEST);
    let refused = http()
        .post(server.url("/api/login"))
        .json(&json!({"login": "carer.wgk.1", "password": WRONG, "device_name": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    let refused_id = refused.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(
        wrong_login(&base, "nobody.at.all", WRONG).await,
        StatusCode::UNAUTHORIZED
    );

    // An invitation and its activation, the link opened as a phone would.
    let coordinator = login(&server, "coordinator").await;
    secrets.push(coordinator.token.clone());
    let (_, people) = get_json(&server, &coordinator.token, "/api/admin/people").await;
    let person = people
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["login"] == "carer.wgk.2")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, invitation) = post_json(
        &server,
        &coordinator.token,
        &format!("/api/admin/people/{person}/invite"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{invitation}");
    let code = invitation["code"].as_str().unwrap().to_string();
    secrets.push(code.clone());
    secrets.push(code.replace('-', ""));
    http()
        .get(server.url(&format!("/activate?code={code}")))
        .send()
        .await
        .unwrap();
    let resp = http()
        .post(server.url("/api/activate"))
        .json(&json!({"code": code, "password": CHOSEN}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let second = login_with(&server, "carer.wgk.2", CHOSEN).await;
    secrets.push(second.token.clone());

    // A code shown to the coordinator: in the answer, never in the log.
    let safe = crate::common::lifecycle::scope_of(&carer)
        .safes
        .keys()
        .next()
        .unwrap()
        .to_string();
    let (status, _) = get_json(
        &server,
        &coordinator.token,
        &format!("/api/admin/safes/{safe}/code"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    // The metrics on their own listener, from the settings in the environment.
    let metrics = process.metrics_base().await;
    assert_eq!(
        scrape(&metrics, None).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let page = scrape(&metrics, Some(TOKEN)).await.text().await.unwrap();
    assert_eq!(value_of(&page, "kluis_login_failures_total"), Some(2.0));
    assert_eq!(
        scrape(&base, None).await.status(),
        StatusCode::UNAUTHORIZED,
        "the token opens them on the main listener too"
    );

    let stderr = process.stop();
    let lines = json_lines(&stderr.join("\n"));
    assert!(lines.len() > 10, "{stderr:?}");
    assert!(
        lines
            .iter()
            .any(|l| request_id(l) == Some(refused_id.as_str())),
        "the refused sign-in's id is in its log lines"
    );
    assert!(
        lines.iter().any(|l| l["span"]["route"] == "/api/sync"
            && l["fields"]["message"] == "sync request refused"
            && request_id(l).is_some()),
        "the refused sync's warning carries its request's id and route"
    );
    let codes: Vec<String> = codes(data).iter().map(|c| c.value.to_string()).collect();
    assert!(codes.len() > 10);
    for line in &stderr {
        for secret in &secrets {
            assert!(!line.contains(secret.as_str()), "{secret:?} in {line}");
        }
        assert!(!line.contains("?code="), "a query string in {line}");
        for word in words(line) {
            assert!(!codes.iter().any(|c| c == word), "a safe's code in {line}");
        }
    }
}
