//! The evaluation test's world: the server's clock moved day by day, the parties signed in,
//! and the steps of a year done through the API or written as the rows an outbox would store.

use crate::common::{self, TestServer, login, post_json, send_json};
use kluis_api::evaluation::EvaluationQuery;
use kluis_sync_server::Clock;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// 09:00 in Ghent on `day`, as milliseconds.
pub(super) fn nine(day: &str) -> i64 {
    Clock::starting_on(day.parse().unwrap()).now().millis()
}

/// A Ghent wall-clock moment on `day`, `hours` after midnight (may pass midnight).
pub(super) fn ghent(day: &str, hours: f64) -> i64 {
    nine(day) + ((hours - 9.0) * 3_600_000.0) as i64
}

/// Moves the server's clock on to 09:00 of `day`; everyone signs in again (a session lasts
/// hours or weeks, not the year).
pub(super) async fn goto(server: &TestServer, p: &mut Parties, day: &str) {
    let ahead = nine(day) - server.clock.now().millis();
    assert!(ahead >= 0, "the clock only moves on: {day}");
    server.clock.advance_millis(ahead);
    p.coord = login(server, "coordinator").await.token;
    p.admin = login(server, "admin.wgk").await.token;
    p.staff = login(server, "staff.woningent").await.token;
}

pub(super) fn one(server: &TestServer, query: &str) -> String {
    common::sql(&server.data, |c| {
        c.query_row(query, [], |r| r.get(0)).unwrap()
    })
}

pub(super) fn exec(server: &TestServer, sql: &str) {
    common::sql(&server.data, |c| c.execute_batch(sql).unwrap());
}

pub(super) async fn ok(
    server: &TestServer,
    method: Method,
    token: &str,
    path: &str,
    body: Value,
) -> Value {
    let (status, answer) = send_json(server, method, token, path, &body).await;
    assert!(status.is_success(), "{path}: {status} {answer}");
    answer
}

pub(super) struct Parties {
    pub(super) coord: String,
    pub(super) admin: String,
    pub(super) staff: String,
    pub(super) model: String,
    pub(super) owner: String,
}

/// A service admin's request for a new address: its id.
pub(super) async fn request(
    server: &TestServer,
    p: &Parties,
    street: &str,
    apartments: u32,
) -> String {
    let asked = ok(
        server,
        Method::POST,
        &p.admin,
        "/api/requests",
        json!({"building_id": null,
        "street": street, "numbers": "1", "postcode": "9000", "city": "Gent",
        "apartments": apartments, "reason": "Thuisverpleging", "contact": "Conciërge"}),
    )
    .await;
    asked["id"].as_str().unwrap().to_string()
}

/// The coordinator approves: the safe's id and its building's.
pub(super) async fn approve(server: &TestServer, p: &Parties, id: &str) -> (String, String) {
    let done = ok(
        server,
        Method::POST,
        &p.coord,
        &format!("/api/requests/{id}/review"),
        json!({"review": "approve", "model_id": p.model, "owner_id": p.owner, "reason": ""}),
    )
    .await;
    (
        done["safe_id"].as_str().unwrap().to_string(),
        done["building_id"].as_str().unwrap().to_string(),
    )
}

pub(super) async fn install(server: &TestServer, p: &Parties, id: &str, day: &str) {
    ok(
        server,
        Method::POST,
        &p.staff,
        &format!("/api/requests/{id}/installed"),
        json!({"placement": "links van de deur", "installed_on": day}),
    )
    .await;
}

pub(super) async fn rotate(server: &TestServer, coord: &str, safe: &str) {
    let (status, answer) =
        post_json(server, coord, &format!("/api/admin/safes/{safe}/rotate")).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
}

pub(super) async fn leaked(server: &TestServer, coord: &str, safe: &str) {
    let (status, answer) =
        post_json(server, coord, &format!("/api/admin/safes/{safe}/leaked")).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
}

pub(super) async fn repaired(server: &TestServer, coord: &str, repair: &str, day: &str) {
    ok(
        server,
        Method::POST,
        coord,
        &format!("/api/admin/repairs/{repair}/resolve"),
        json!({"done_on": day}),
    )
    .await;
}

pub(super) fn hex(n: u8) -> String {
    format!("{n:02x}").repeat(16)
}

/// A "Toon code" as the outbox stores it, received at `at`.
pub(super) fn reveal(server: &TestServer, n: u8, person: &str, safe: &str, at: i64) {
    exec(
        server,
        &format!(
            "INSERT INTO audit_events (id, at, recorded_at, person_id, kind, safe_id)
         VALUES ('{}', {at}, {at}, '{person}', 'code_revealed', '{safe}')",
            hex(n)
        ),
    );
}

#[allow(clippy::too_many_arguments)]
pub(super) fn door_report(
    server: &TestServer,
    n: u8,
    safe: &str,
    service: &str,
    person: &str,
    problem: &str,
    outcome: &str,
    at: i64,
) {
    exec(server, &format!(
        "INSERT INTO door_reports (id, event_id, safe_id, service_id, person_id, problem, at, received_at, outcome)
         VALUES ('{0}', '{0}', '{safe}', '{service}', '{person}', '{problem}', {at}, {at}, {outcome})", hex(n)));
}

pub(super) fn repair(
    server: &TestServer,
    n: u8,
    safe: &str,
    owner: &str,
    reason: &str,
    at: i64,
) -> String {
    exec(
        server,
        &format!(
            "INSERT INTO repair_items (id, safe_id, owner_org_id, reason, created_at)
         VALUES ('{}', '{safe}', '{owner}', '{reason}', {at})",
            hex(n)
        ),
    );
    hex(n)
}

pub(super) fn person(server: &TestServer, login: &str) -> String {
    one(
        server,
        &format!("SELECT id FROM people WHERE login = '{login}'"),
    )
}

pub(super) fn org(server: &TestServer, name: &str) -> String {
    one(
        server,
        &format!("SELECT id FROM organisations WHERE name = '{name}'"),
    )
}

pub(super) fn path(q: &EvaluationQuery) -> String {
    format!("{}?{}", kluis_api::paths::EVALUATION, q.to_query())
}
