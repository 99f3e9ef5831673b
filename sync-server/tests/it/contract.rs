//! The contract between app and server, checked against the real server: every JSON answer

//! decodes strictly into its `kluis_api` type, encodes back to the same JSON, and matches
//! the schema the served OpenAPI document gives for that endpoint (every required field
//! there, nothing the document does not describe, the right types and enum values).

use crate::common::*;
use kluis_api::admin::{CodeOut, DeviceRow};
use kluis_api::audit::AuditPage;
use kluis_api::auth::{LoginResponse, Person};
use kluis_api::campaigns::{
    CampaignCreated, CampaignDetail, CampaignRow, LeakReported, RoundsList,
};
use kluis_api::evaluation::{Evaluation, EvaluationExport, EvaluationQuery};
use kluis_api::reports::{DueList, ModelSpace, RepairRow, SafeHistory};
use kluis_api::settings::SettingsOut;
use kluis_api::{ErrorBody, ErrorCode, paths};
use reqwest::StatusCode;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// The schema of `method path`'s answer with `status`.
fn answer_schema<'a>(doc: &'a Value, method: &str, path: &str, status: u16) -> &'a Value {
    let schema = &doc["paths"][path][method]["responses"][status.to_string()]["content"]["application/json"]
        ["schema"];
    assert!(
        !schema.is_null(),
        "{method} {path} {status}: no schema in the document"
    );
    schema
}

fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => {
            let name = r.trim_start_matches("#/components/schemas/");
            let target = &doc["components"]["schemas"][name];
            assert!(!target.is_null(), "unresolved {r}");
            resolve(doc, target)
        }
        None => schema,
    }
}

fn type_matches(ty: &str, value: &Value) -> bool {
    match ty {
        "null" => value.is_null(),
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        other => panic!("schema type {other} not understood"),
    }
}

/// Checks `value` against `schema`; `at` names the place for the failure message.
fn check(doc: &Value, schema: &Value, value: &Value, at: &str) {
    let schema = resolve(doc, schema);
    for key in ["oneOf", "anyOf"] {
        if let Some(options) = schema[key].as_array() {
            let fits = options.iter().any(|s| {
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(doc, s, value, at)))
                    .is_ok()
            });
            assert!(fits, "{at}: {value} fits none of {key}");
            return;
        }
    }
    if let Some(all) = schema["allOf"].as_array() {
        // A flattened struct: its parts together describe one object.
        let mut merged = json!({"type": "object", "properties": {}, "required": []});
        for part in all {
            let part = resolve(doc, part);
            for (k, v) in part["properties"].as_object().into_iter().flatten() {
                merged["properties"][k] = v.clone();
            }
            for r in part["required"].as_array().into_iter().flatten() {
                merged["required"].as_array_mut().unwrap().push(r.clone());
            }
        }
        check(doc, &merged, value, at);
        return;
    }
    match &schema["type"] {
        Value::String(ty) => assert!(type_matches(ty, value), "{at}: {value} is not {ty}"),
        Value::Array(types) => assert!(
            types
                .iter()
                .any(|t| type_matches(t.as_str().unwrap(), value)),
            "{at}: {value} is none of {types:?}"
        ),
        _ => {}
    }
    if let Some(options) = schema["enum"].as_array() {
        assert!(options.contains(value), "{at}: {value} not in {options:?}");
    }
    if let Some(pattern) = schema["pattern"].as_str() {
        assert_eq!(pattern, "^[0-9a-f]{32}$", "only id patterns are used");
        let s = value.as_str().unwrap_or("");
        assert!(
            s.len() == 32 && s.chars().all(|c| c.is_ascii_hexdigit()),
            "{at}: {value} is not an id"
        );
    }
    if let (Some(items), Some(values)) = (schema.get("items"), value.as_array()) {
        for (i, v) in values.iter().enumerate() {
            check(doc, items, v, &format!("{at}[{i}]"));
        }
    }
    if let Some(object) = value.as_object()
        && let Some(properties) = schema["properties"].as_object()
    {
        for required in schema["required"].as_array().into_iter().flatten() {
            let name = required.as_str().unwrap();
            assert!(object.contains_key(name), "{at}: missing required {name}");
        }
        for (k, v) in object {
            let described = properties
                .get(k)
                .unwrap_or_else(|| panic!("{at}: field {k} is not in the document"));
            check(doc, described, v, &format!("{at}.{k}"));
        }
    }
}

/// Decodes an answer into its contract type, checks it encodes back to the same JSON, and
/// checks it against the document.
fn round_trip<T: DeserializeOwned + Serialize>(
    doc: &Value,
    (method, path, status): (&str, &str, u16),
    body: &Value,
) -> T {
    let typed: T = serde_json::from_value(body.clone())
        .unwrap_or_else(|e| panic!("{method} {path}: {e}\n{body}"));
    assert_eq!(
        &serde_json::to_value(&typed).unwrap(),
        body,
        "{path} round trip"
    );
    check(doc, answer_schema(doc, method, path, status), body, path);
    typed
}

async fn send(
    server: &TestServer,
    method: &str,
    token: &str,
    path: &str,
    body: Value,
) -> (StatusCode, Value) {
    let request = match method {
        "post" => http().post(server.url(path)).json(&body),
        "put" => http().put(server.url(path)).json(&body),
        _ => http().get(server.url(path)),
    };
    let resp = request.bearer_auth(token).send().await.unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn every_answer_decodes_into_the_contract_and_matches_the_served_document() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_on(dir.path(), "2026-03-02").await;
    let doc: Value = http()
        .get(server.url(paths::OPENAPI))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    let resp = http()
        .post(server.url(paths::LOGIN))
        .json(&json!({"login": "coordinator", "password": PASSWORD, "device_name": "desk"}))
        .send()
        .await
        .unwrap();
    let login_body: Value = resp.json().await.unwrap();
    let signed_in: LoginResponse = round_trip(&doc, ("post", paths::LOGIN, 200), &login_body);
    assert_eq!(
        signed_in.person.role,
        kluis_domain::model::Role::Coordinator
    );
    let desk = signed_in.token.clone();

    let (_, me) = send(&server, "get", &desk, paths::ME, Value::Null).await;
    let _: Person = round_trip(&doc, ("get", paths::ME, 200), &me);
    let (_, due) = send(&server, "get", &desk, paths::DUE, Value::Null).await;
    let due: DueList = round_trip(&doc, ("get", paths::DUE, 200), &due);
    assert_eq!(due.today.to_string(), "2026-03-02");
    let (_, attention) = send(&server, "get", &desk, paths::ATTENTION, Value::Null).await;
    let attention: kluis_api::attention::Attention =
        round_trip(&doc, ("get", paths::ATTENTION, 200), &attention);
    assert_eq!(
        attention.count(kluis_api::attention::AttentionKind::CodesOverdue) as usize,
        due.overdue.len()
    );
    let (_, space) = send(&server, "get", &desk, paths::CODE_SPACE, Value::Null).await;
    let space: Vec<ModelSpace> = round_trip(&doc, ("get", paths::CODE_SPACE, 200), &space);
    assert!(!space.is_empty());
    let (_, list) = send(&server, "get", &desk, paths::CAMPAIGNS, Value::Null).await;
    let campaigns: Vec<CampaignRow> = round_trip(&doc, ("get", paths::CAMPAIGNS, 200), &list);
    let (_, detail) = send(
        &server,
        "get",
        &desk,
        &paths::campaign(campaigns[0].id),
        Value::Null,
    )
    .await;
    let detail: CampaignDetail = round_trip(&doc, ("get", paths::CAMPAIGN, 200), &detail);
    assert!(!detail.rounds.is_empty());
    let (_, settings) = send(&server, "get", &desk, paths::SETTINGS, Value::Null).await;
    let _: SettingsOut = round_trip(&doc, ("get", paths::SETTINGS, 200), &settings);
    let (_, devices) = send(&server, "get", &desk, paths::DEVICES, Value::Null).await;
    let _: Vec<DeviceRow> = round_trip(&doc, ("get", paths::DEVICES, 200), &devices);
    let (_, repairs) = send(&server, "get", &desk, paths::REPAIRS, Value::Null).await;
    let _: Vec<RepairRow> = round_trip(&doc, ("get", paths::REPAIRS, 200), &repairs);

    let active: kluis_domain::ids::SafeId = sql(dir.path(), |c| {
        c.query_row(
            "SELECT id FROM safes WHERE status = 'active' LIMIT 1",
            [],
            |r| r.get::<_, String>(0),
        )
        .unwrap()
    })
    .parse()
    .unwrap();
    let (_, code) = send(
        &server,
        "get",
        &desk,
        &paths::safe_code(active),
        Value::Null,
    )
    .await;
    let code: CodeOut = round_trip(&doc, ("get", paths::SAFE_CODE, 200), &code);
    assert!(code.code.is_some());
    let (status, leak) = send(
        &server,
        "post",
        &desk,
        &paths::safe_leaked(active),
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{leak}");
    let leak: LeakReported = round_trip(&doc, ("post", paths::SAFE_LEAKED, 201), &leak);
    assert_eq!(leak.due_on.to_string(), "2026-03-09");
    let (_, history) = send(
        &server,
        "get",
        &desk,
        &paths::safe_history(active),
        Value::Null,
    )
    .await;
    let _: SafeHistory = round_trip(&doc, ("get", paths::SAFE_HISTORY, 200), &history);
    let free: kluis_domain::ids::SafeId = sql(dir.path(), |c| {
        c.query_row(
            "SELECT id FROM safes WHERE status IN ('installed', 'active') AND id NOT IN
               (SELECT safe_id FROM campaign_items WHERE status IN ('waiting', 'open', 'failed'))
             LIMIT 1",
            [],
            |r| r.get::<_, String>(0),
        )
        .unwrap()
    })
    .parse()
    .unwrap();
    let (status, created) = send(
        &server,
        "post",
        &desk,
        paths::CAMPAIGNS,
        json!({"name": "Contract", "selection": {"kind": "safes", "safe_ids": [free]}, "due_on": "2026-06-30"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let created: CampaignCreated = round_trip(&doc, ("post", paths::CAMPAIGNS, 201), &created);
    assert_eq!(created.included, 1);
    let (_, audit) = send(&server, "get", &desk, paths::AUDIT, Value::Null).await;
    let audit: AuditPage = round_trip(&doc, ("get", paths::AUDIT, 200), &audit);
    assert!(
        audit
            .rows
            .iter()
            .any(|a| a.kind == kluis_domain::model::AuditKind::CodeLeaked)
    );
    let year = EvaluationQuery::year(2026).to_query();
    let (status, figures) = send(
        &server,
        "get",
        &desk,
        &format!("{}?{year}", paths::EVALUATION),
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{figures}");
    let figures: Evaluation = round_trip(&doc, ("get", paths::EVALUATION, 200), &figures);
    assert_eq!(figures.safes.by_month.len(), 12);
    let (_, file) = send(
        &server,
        "get",
        &desk,
        &format!("{}?{year}", paths::EVALUATION_CSV),
        Value::Null,
    )
    .await;
    let file: EvaluationExport = round_trip(&doc, ("get", paths::EVALUATION_CSV, 200), &file);
    assert!(file.csv.starts_with('\u{feff}'));

    let volunteer = login(&server, "volunteer.1").await;
    let (_, rounds) = send(&server, "get", &volunteer.token, paths::ROUNDS, Value::Null).await;
    let _: RoundsList = round_trip(&doc, ("get", paths::ROUNDS, 200), &rounds);

    // Errors: the same body everywhere, with a code from the contract.
    let (status, refused) = send(&server, "get", &volunteer.token, paths::DUE, Value::Null).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let refused: ErrorBody = round_trip(&doc, ("get", paths::DUE, 403), &refused);
    assert_eq!(refused.code, ErrorCode::Forbidden);
    let (status, bad) = send(
        &server,
        "post",
        &desk,
        paths::CAMPAIGNS,
        json!({"name": "x", "selection": {"kind": "safes", "safe_ids": ["../admin"]}, "due_on": null}),
    )
    .await;
    assert!(status.is_client_error(), "{status}");
    let bad: ErrorBody = serde_json::from_value(bad).unwrap();
    assert_eq!(bad.code, ErrorCode::BadRequest);
    // A refused value: the problem with its numbers, as the document describes it.
    let (status, out_of_range) = send(
        &server,
        "put",
        &desk,
        paths::SETTINGS,
        json!({"quarantine_days": 400, "max_round_size": 8, "reserve_per_model": 3, "max_rounds_per_volunteer": 2}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let refused: ErrorBody = round_trip(&doc, ("put", paths::SETTINGS, 422), &out_of_range);
    assert_eq!(
        refused.problem,
        Some(kluis_api::error::Problem::OutOfRange {
            setting: kluis_domain::setting_limits::Setting::QuarantineDays,
            min: 0,
            max: 365,
        })
    );
    server.stop().await;
}

#[test]
fn every_schema_the_document_names_is_one_the_contract_defines() {
    use utoipa::OpenApi;
    let doc = serde_json::to_value(kluis_sync_server::api::openapi::ApiDoc::openapi()).unwrap();
    let names: Vec<&String> = doc["components"]["schemas"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    for expected in [
        "LoginResponse",
        "Person",
        "DueList",
        "DueSafe",
        "CampaignDetail",
        "CampaignCreated",
        "SafeHistory",
        "ErrorBody",
        "ErrorCode",
        "Problem",
        "Field",
        "Setting",
        "AuditKind",
        "SafeId",
        "Date",
        "Timestamp",
        "Role",
        "SafeStatus",
        "DueReason",
        "CodeState",
        "CampaignKind",
        "ChangeFailure",
    ] {
        assert!(
            names.iter().any(|n| *n == expected),
            "{expected} not in {names:?}"
        );
    }
    // Nothing described twice under a server-side name.
    for old in ["PersonOut", "OrgOut", "SelectionIn", "SpaceWarningOut"] {
        assert!(!names.iter().any(|n| *n == old), "{old} is a copy");
    }
}

#[test]
fn the_check_refuses_a_missing_field_an_undescribed_field_and_a_wrong_enum() {
    use utoipa::OpenApi;
    let doc = serde_json::to_value(kluis_sync_server::api::openapi::ApiDoc::openapi()).unwrap();
    let schema = answer_schema(&doc, "get", paths::DUE, 200).clone();
    let good = json!({"today": "2026-03-02", "overdue": [], "this_week": [], "this_month": [{
        "safe_id": "ab".repeat(16), "address": "Kerkstraat 1", "district": "Rabot", "owner": "WoninGent",
        "status": "active", "due_on": "2026-03-09", "reason": "leak", "campaign_id": null}]});
    check(&doc, &schema, &good, "due");
    let fails =
        |body: Value| std::panic::catch_unwind(|| check(&doc, &schema, &body, "due")).is_err();
    let mut missing = good.clone();
    missing["this_month"][0]
        .as_object_mut()
        .unwrap()
        .remove("reason");
    assert!(fails(missing));
    let mut extra = good.clone();
    extra["this_month"][0]["summary_nl"] = json!("Dringend");
    assert!(fails(extra));
    let mut wrong = good.clone();
    wrong["this_month"][0]["reason"] = json!("lek");
    assert!(fails(wrong));
    let mut not_an_id = good;
    not_an_id["this_month"][0]["safe_id"] = json!("p1");
    assert!(fails(not_an_id));
}
