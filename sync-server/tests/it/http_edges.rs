//! Bad input gets a clear JSON error and changes nothing; the API describes itself.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test]
async fn malformed_and_oversized_input_is_refused_with_json_errors() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let carer = login(&server, "carer.partena.1").await;

    for body in [vec![], vec![0xff; 64], b"not postcard at all".to_vec()] {
        let resp = http()
            .post(server.url("/api/sync"))
            .bearer_auth(&carer.token)
            .body(body)
            .send()
            .await
            .unwrap();
        let status = resp.status();
        let json: Value = resp.json().await.unwrap();
        assert_eq!(status, StatusCode::BAD_REQUEST, "{json}");
        assert_eq!(json["code"], "bad_request");
        assert!(json["message"].as_str().unwrap().len() > 10);
    }
    let huge = vec![0u8; 17 * 1024 * 1024];
    let resp = http()
        .post(server.url("/api/sync"))
        .bearer_auth(&carer.token)
        .body(huge)
        .send()
        .await;
    if let Ok(resp) = resp {
        assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    }

    let resp = http()
        .post(server.url("/api/login"))
        .header("content-type", "application/json")
        .body("{\"login\": 3")
        .send()
        .await
        .unwrap();
    assert!(matches!(
        resp.status(),
        StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY
    ));
    assert_eq!(resp.json::<Value>().await.unwrap()["code"], "bad_request");

    let resp = http()
        .post(server.url("/api/sync"))
        .body(vec![1, 2, 3])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        resp.json::<Value>().await.unwrap()["code"],
        "unauthenticated"
    );

    let (status, body) = get_json(&server, &carer.token, "/api/admin/devices").await;
    assert_eq!(
        (status, body["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("forbidden"))
    );
    let (status, _) = get_json(&server, &carer.token, "/api/nothing-here").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The device still syncs after all that.
    let mut device = Device::enrol(&server, "carer.partena.2").await;
    assert!(device.sync(&server).await.is_ok());
    server.stop().await;
}

#[tokio::test]
async fn health_and_openapi() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let resp = http().get(server.url("/healthz")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.text().await.unwrap(), "ok");
    let resp = http().get(server.url("/readyz")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.text().await.unwrap(), "ready");
    // The database no longer answers to this server's key (a file swapped under it).
    crate::common::sql(dir.path(), |c| {
        c.execute(
            "UPDATE server_meta SET value = 'AAAA' WHERE key = 'key_check'",
            [],
        )
        .unwrap()
    });
    let resp = http().get(server.url("/readyz")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["code"], "unavailable");
    let resp = http().get(server.url("/healthz")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK, "the process itself is up");
    let spec: Value = http()
        .get(server.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3."));
    for path in ["/api/login", "/api/sync", "/api/admin/devices/{id}/revoke"] {
        assert!(spec["paths"][path].is_object(), "{path} documented");
    }
    server.stop().await;
}

#[tokio::test]
async fn the_database_file_alone_reveals_no_code() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let coordinator = login(&server, "coordinator").await;
    let mut carer = Device::enrol(&server, "carer.wgk.1").await;
    carer.sync(&server).await.ok().unwrap();
    let ids: Vec<String> = sql(dir.path(), |c| {
        let mut st = c
            .prepare("SELECT safe_id FROM codes WHERE state = 'current' LIMIT 40")
            .unwrap();
        st.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    });
    let mut codes = Vec::new();
    for id in &ids {
        let (_, body) = get_json(
            &server,
            &coordinator.token,
            &format!("/api/admin/safes/{id}/code"),
        )
        .await;
        codes.push(body["code"].as_str().unwrap().to_string());
    }
    server.stop().await;

    let mut bytes = std::fs::read(dir.path().join("kluis.sqlite3")).unwrap();
    if let Ok(wal) = std::fs::read(dir.path().join("kluis.sqlite3-wal")) {
        bytes.extend(wal);
    }
    let haystack = String::from_utf8_lossy(&bytes);
    // Scope documents are sealed: their field names never appear in the file.
    for marker in [
        "previous_code",
        "code_since",
        "idle_lock_secs",
        "service_name",
    ] {
        assert!(!haystack.contains(marker), "{marker} found in plaintext");
    }
    // Stored code values are ciphertext, bound to their safe: none reads as a code.
    sql(dir.path(), |c| {
        let mut st = c.prepare("SELECT sealed_value FROM codes").unwrap();
        for v in st.query_map([], |r| r.get::<_, Vec<u8>>(0)).unwrap() {
            let v = v.unwrap();
            assert!(v.len() > 40 && &v[..2] == b"KS");
        }
    });
    assert!(!codes.is_empty());

    // A copy of the file without the key: the server refuses to start instead of serving.
    let copy = tempfile::tempdir().unwrap();
    std::fs::copy(
        dir.path().join("kluis.sqlite3"),
        copy.path().join("kluis.sqlite3"),
    )
    .unwrap();
    let settings = kluis_sync_server::Settings {
        data_dir: copy.path().to_path_buf(),
        ..Default::default()
    };
    let err = tokio::task::spawn_blocking(move || {
        kluis_sync_server::prepare(settings, kluis_sync_server::Clock::system()).map(|_| ())
    })
    .await
    .unwrap();
    assert!(err.is_err(), "the codes cannot be opened without the key");
}
