//! The real server, in-process on 127.0.0.1:0 with a temporary data directory, and a device
//! that speaks the real sync protocol over HTTP.

#![allow(clippy::unwrap_used, dead_code)]

pub mod lifecycle;
pub mod process;

use std::path::{Path, PathBuf};

use kluis_domain::ids::DeviceId;
use kluis_domain::sync::{ClientEvent, SyncClient, SyncReply};
use kluis_sync_server::{Clock, Settings};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub const PASSWORD: &str = "kluis-demo";

/// The app version the test devices say at every sync.
pub const TEST_APP_VERSION: &str = "0.1.0-test";

pub struct TestServer {
    pub base: String,
    pub data: PathBuf,
    /// The server's clock: a test moves it on to reach a deadline.
    pub clock: Clock,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<Result<(), kluis_sync_server::ServerError>>>,
}

/// The demo on `data`, changed by `change`.
fn test_settings(data: &Path, change: impl FnOnce(&mut Settings)) -> Settings {
    let mut settings = Settings {
        data_dir: data.to_path_buf(),
        demo: true,
        // The trail starts empty, so a test counts what it did; `evaluation.rs` turns the
        // demo's past year on.
        demo_history: false,
        login_attempts_per_ip: 1000,
        ..Settings::default()
    };
    change(&mut settings);
    settings
}

impl TestServer {
    /// Starts the real server on a free port. Requests made before it is ready wait in the
    /// listen backlog, so no sleep is needed.
    pub async fn start(data: &Path) -> TestServer {
        Self::start_with(data, |_| {}).await
    }

    /// Like [`TestServer::start`], with the settings changed by `change` first.
    pub async fn start_with(data: &Path, change: impl FnOnce(&mut Settings)) -> TestServer {
        Self::start_at(data, Clock::starting_at(Clock::system().now()), change).await
    }

    /// Like [`TestServer::start`] on 09:00 of `day` (`YYYY-MM-DD`): the demo is seeded
    /// relative to it and every deadline counts from it.
    pub async fn start_on(data: &Path, day: &str) -> TestServer {
        let clock = Clock::starting_on(day.parse().unwrap());
        Self::start_at(data, clock, |_| {}).await
    }

    pub async fn start_at(
        data: &Path,
        clock: Clock,
        change: impl FnOnce(&mut Settings),
    ) -> TestServer {
        let _ = tracing_subscriber::fmt()
            .with_env_filter("error")
            .with_test_writer()
            .try_init();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let settings = test_settings(data, change);
        let (tx, rx) = oneshot::channel::<()>();
        let served = clock.clone();
        let task = tokio::spawn(kluis_sync_server::start(
            listener,
            settings,
            served,
            async {
                let _ = rx.await;
            },
        ));
        TestServer {
            base: format!("http://{addr}"),
            data: data.to_path_buf(),
            clock,
            stop: Some(tx),
            task: Some(task),
        }
    }

    pub async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.unwrap().unwrap();
        }
    }

    /// A server started elsewhere (another process) at `base`, with its data in `data`.
    pub fn remote(base: String, data: &Path) -> TestServer {
        TestServer {
            base,
            data: data.to_path_buf(),
            clock: Clock::system(),
            stop: None,
            task: None,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

pub fn http() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

pub struct Session {
    pub token: String,
    pub device: DeviceId,
    pub person_id: String,
}

pub async fn login(server: &TestServer, login: &str) -> Session {
    login_with(server, login, PASSWORD).await
}

pub async fn login_with(server: &TestServer, login: &str, password: &str) -> Session {
    let resp = http()
        .post(server.url("/api/login"))
        .json(&json!({"login": login, "password": password, "device_name": "test"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK, "login {login}");
    let body: Value = resp.json().await.unwrap();
    Session {
        token: body["token"].as_str().unwrap().to_string(),
        device: body["device_id"].as_str().unwrap().parse().unwrap(),
        person_id: body["person"]["id"].as_str().unwrap().to_string(),
    }
}

/// What one sync session cost and brought.
#[derive(Debug, Default)]
pub struct Outcome {
    pub rounds: u32,
    pub bytes_up: usize,
    pub bytes_down: usize,
    pub events: Vec<ClientEvent>,
}

pub enum SyncError {
    Http(StatusCode, Value),
}

pub struct Device {
    pub session: Session,
    pub client: SyncClient,
}

impl Device {
    pub async fn enrol(server: &TestServer, login_name: &str) -> Device {
        Self::enrol_with(server, login_name, PASSWORD).await
    }

    pub async fn enrol_with(server: &TestServer, login_name: &str, password: &str) -> Device {
        let session = login_with(server, login_name, password).await;
        let client = SyncClient::new(session.device);
        Device { session, client }
    }

    /// One sync session over HTTP, as the app runs it.
    pub async fn sync(&mut self, server: &TestServer) -> Result<Outcome, SyncError> {
        match self.try_sync(server).await {
            Ok(out) => Ok(out),
            Err(SyncFailure::Refused(status, body)) => Err(SyncError::Http(status, body)),
            Err(SyncFailure::Transport(e)) => panic!("sync: {e}"),
        }
    }

    /// Like [`Device::sync`], for a server that may be gone (killed) halfway.
    pub async fn try_sync(&mut self, server: &TestServer) -> Result<Outcome, SyncFailure> {
        let mut out = Outcome::default();
        self.client.begin_session();
        while let Some(req) = self.client.next_request() {
            let body = req.encode().unwrap();
            out.bytes_up += body.len();
            out.rounds += 1;
            let resp = http()
                .post(server.url("/api/sync"))
                .bearer_auth(&self.session.token)
                .header("content-type", "application/octet-stream")
                .header(kluis_api::admin::APP_VERSION_HEADER, TEST_APP_VERSION)
                .body(body)
                .send()
                .await
                .map_err(|e| SyncFailure::Transport(e.to_string()))?;
            let status = resp.status();
            let next_token = resp
                .headers()
                .get(kluis_domain::sync::NEXT_TOKEN_HEADER)
                .map(|v| v.to_str().unwrap().to_string());
            let bytes = resp
                .bytes()
                .await
                .map_err(|e| SyncFailure::Transport(e.to_string()))?;
            out.bytes_down += bytes.len();
            // As the app does: the next request uses the successor (it was stored first).
            if status == StatusCode::OK
                && let Some(token) = next_token
            {
                self.session.token = token;
            }
            if status != StatusCode::OK {
                return Err(SyncFailure::Refused(
                    status,
                    serde_json::from_slice(&bytes).unwrap_or(Value::Null),
                ));
            }
            let reply = SyncReply::decode(&bytes).unwrap();
            out.events.extend(self.client.handle_reply(reply).unwrap());
        }
        Ok(out)
    }
}

/// Why [`Device::try_sync`] did not finish.
#[derive(Debug)]
pub enum SyncFailure {
    Refused(StatusCode, Value),
    /// No answer: the server is gone or the connection broke.
    Transport(String),
}

pub async fn get_json(server: &TestServer, token: &str, path: &str) -> (StatusCode, Value) {
    let resp = http()
        .get(server.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

pub async fn post_json(server: &TestServer, token: &str, path: &str) -> (StatusCode, Value) {
    let resp = http()
        .post(server.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// Reads the database directly, as an auditor with a copy of the file would.
pub fn sql<T>(data: &Path, f: impl FnOnce(&rusqlite::Connection) -> T) -> T {
    let conn = rusqlite::Connection::open(data.join("kluis.sqlite3")).unwrap();
    f(&conn)
}

/// Safe ids a service may see, straight from the tables.
pub fn expected_scope(data: &Path, service_name: &str) -> Vec<String> {
    sql(data, |c| {
        let mut stmt = c
            .prepare(
                "SELECT s.id FROM safes s JOIN service_activity a ON a.building_id = s.building_id
                 JOIN organisations o ON o.id = a.service_id
                 WHERE o.name = ?1 AND s.status NOT IN ('requested', 'removed') ORDER BY s.id",
            )
            .unwrap();
        stmt.query_map([service_name], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    })
}

impl TestServer {
    /// Like [`TestServer::start`], and hands out the server's state so a test can move the
    /// clock on and run the maintenance pass.
    pub async fn start_with_state(data: &Path) -> (TestServer, kluis_sync_server::AppState) {
        Self::start_with_state_at(data, Clock::starting_at(Clock::system().now()), |_| {}).await
    }

    /// Like [`TestServer::start_with_state`] on `clock`, with the settings changed first.
    pub async fn start_with_state_at(
        data: &Path,
        clock: Clock,
        change: impl FnOnce(&mut Settings),
    ) -> (TestServer, kluis_sync_server::AppState) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        launch(data, listener, None, clock, test_settings(data, change)).await
    }
}

/// Prepares the server on a blocking thread and serves it on `listener` (and the metrics on
/// `metrics`) until the test stops it.
async fn launch(
    data: &Path,
    listener: tokio::net::TcpListener,
    metrics: Option<tokio::net::TcpListener>,
    clock: Clock,
    settings: Settings,
) -> (TestServer, kluis_sync_server::AppState) {
    let addr = listener.local_addr().unwrap();
    let prepared = clock.clone();
    let (state, _) =
        tokio::task::spawn_blocking(move || kluis_sync_server::prepare(settings, prepared))
            .await
            .unwrap()
            .unwrap();
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(kluis_sync_server::serve_with_metrics(
        listener,
        metrics,
        state.clone(),
        async {
            let _ = rx.await;
        },
    ));
    let server = TestServer {
        base: format!("http://{addr}"),
        data: data.to_path_buf(),
        clock,
        stop: Some(tx),
        task: Some(task),
    };
    (server, state)
}

/// POSTs a JSON body (or raw text when `body` is a string that is not meant as JSON).
pub async fn post_body(
    server: &TestServer,
    token: &str,
    path: &str,
    body: &Value,
) -> (StatusCode, Value) {
    let resp = http()
        .post(server.url(path))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// POSTs raw bytes as `application/json`.
pub async fn post_raw(
    server: &TestServer,
    token: &str,
    path: &str,
    body: &str,
) -> (StatusCode, Value) {
    let resp = http()
        .post(server.url(path))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// One number from the database.
pub fn count(data: &Path, query: &str) -> i64 {
    sql(data, |c| c.query_row(query, [], |r| r.get(0)).unwrap())
}

/// Sends `body` as JSON with `method` (PUT, POST, DELETE) and reads the JSON answer.
pub async fn send_json(
    server: &TestServer,
    method: reqwest::Method,
    token: &str,
    path: &str,
    body: &Value,
) -> (StatusCode, Value) {
    let resp = http()
        .request(method, server.url(path))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

impl TestServer {
    /// Like [`TestServer::start_with`], with the metrics on a listener of their own on a free
    /// port; returns the server and the metrics listener's base URL.
    pub async fn start_with_metrics_listener(
        data: &Path,
        change: impl FnOnce(&mut Settings),
    ) -> (TestServer, String) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let metrics = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let metrics_addr = metrics.local_addr().unwrap();
        let settings = test_settings(data, |s| {
            s.metrics_listen = Some(metrics_addr);
            change(s);
        });
        let clock = Clock::starting_at(Clock::system().now());
        let (server, _) = launch(data, listener, Some(metrics), clock, settings).await;
        (server, format!("http://{metrics_addr}"))
    }
}
