//! The registry file on the real server: a 200-row import with 5 bad rows changes nothing and
//! names the 5; the corrected file applies in one go, its codes are checked against the codes
//! in use, a carer's phone gets the new safe; the export reads back as "nothing to change";
//! the export with codes asks for the password and is audited; no other role gets near it.

use crate::common;

use crate::common::lifecycle::scope_of;
use crate::common::{Device, PASSWORD, TestServer, count, get_json, login, send_json};
use kluis_domain::safe_model::ButtonSet;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const HEADER: &str = "Straat;Huisnummers;Postcode;Gemeente;Wijk;Appartementen;Eigenaar;Model;Plaats;Status;Geplaatst op;Code;Code sinds;Diensten";

async fn import(server: &TestServer, token: &str, csv: &str, apply: bool) -> Value {
    let (status, report) = send_json(
        server,
        Method::POST,
        token,
        "/api/admin/registry/import",
        &json!({"csv": csv, "apply": apply}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    report
}

/// Codes of 4 buttons that differ in at least 2 from every code in `taken` and each other.
fn free_codes(taken: &[ButtonSet], n: usize) -> Vec<String> {
    let mut chosen: Vec<ButtonSet> = Vec::new();
    let digits: Vec<char> = "1234567890".chars().collect();
    for mask in 0u32..1024 {
        if mask.count_ones() != 4 || chosen.len() == n {
            continue;
        }
        let code =
            ButtonSet::from_buttons((0..10).filter(|i| mask & (1 << i) != 0).map(|i| digits[i]))
                .unwrap();
        if kluis_domain::codegen::is_arithmetic_run(&code) {
            continue;
        }
        if taken.iter().chain(&chosen).all(|t| t.distance(&code) >= 2) {
            chosen.push(code);
        }
    }
    assert_eq!(chosen.len(), n, "enough free codes");
    chosen
        .iter()
        .map(|c| c.buttons().iter().collect())
        .collect()
}

fn line(street: &str, n: u32, rest: &str) -> String {
    format!("{street};{n};9000;Gent;Muide;6;WoninGent;{rest}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_registry_file_applies_all_or_nothing_and_its_codes_keep_the_rules() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let coordinator = login(&server, "coordinator").await.token;
    let buildings_before = count(dir.path(), "SELECT COUNT(*) FROM buildings");

    // The export with codes: the password again, or nothing (and no audit row).
    let (status, _) = send_json(
        &server,
        Method::POST,
        &coordinator,
        "/api/admin/registry/export-with-codes",
        &json!({"password": "niet-mijn-wachtwoord"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let exported_kind = "SELECT COUNT(*) FROM audit_events WHERE kind = 'codes_exported'";
    assert_eq!(count(dir.path(), exported_kind), 0);
    let (status, with_codes) = send_json(
        &server,
        Method::POST,
        &coordinator,
        "/api/admin/registry/export-with-codes",
        &json!({"password": PASSWORD}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(count(dir.path(), exported_kind), 1);
    let text = with_codes["csv"].as_str().unwrap();
    assert!(text.starts_with('\u{feff}'));
    let mut lines = text.lines();
    let header: Vec<&str> = lines
        .next()
        .unwrap()
        .trim_start_matches('\u{feff}')
        .split(';')
        .collect();
    let code_at = header.iter().position(|h| *h == "code").unwrap();
    let in_use: Vec<(String, ButtonSet)> = lines
        .filter_map(|l| {
            let f: Vec<&str> = l.split(';').collect();
            let code = f.get(code_at).filter(|c| !c.is_empty())?;
            Some((
                format!("{} {}", f[0], f[1]),
                ButtonSet::parse(code).unwrap(),
            ))
        })
        .collect();
    assert!(in_use.len() > 100, "the demo's codes are in the export");
    // Pending codes (the demo's open rounds) count as in use too.
    let taken: Vec<ButtonSet> = common::lifecycle::codes(dir.path())
        .into_iter()
        .filter(|c| {
            matches!(
                c.state,
                kluis_domain::model::CodeState::Current | kluis_domain::model::CodeState::Pending
            )
        })
        .map(|c| c.value)
        .collect();
    let codes = free_codes(&taken, 3);
    // A five-button code one button from a free four-button code (in the dense demo it
    // is also near codes in use: those safes become due too).
    let near = codes[1].clone();
    let close = "1234567890"
        .chars()
        .map(|d| format!("{near}{d}"))
        .find(|c| {
            ButtonSet::parse(c).is_ok_and(|p| {
                p.len() == 5 && p.distance(&ButtonSet::parse(&codes[0]).unwrap()) >= 2
            })
        })
        .unwrap();
    let (demo_address, demo_code) = &in_use[0];
    let demo_code: String = demo_code.buttons().iter().collect();

    // 200 new entrances; line 8 shares a code with a demo safe, line 10 is one button from 9.
    let mut rows: Vec<String> = (1..=200)
        .map(|n| {
            line(
                "Importlaan",
                n * 2,
                "Supra KeySafe Pro;links;;01/03/2024;;;",
            )
        })
        .collect();
    rows[5] = line(
        "Importlaan",
        12,
        &format!(
            "Supra KeySafe Pro;links;actief;01/03/2024;{};2026-06-01;Wit-Gele Kruis",
            codes[0]
        ),
    );
    rows[6] = line(
        "Importlaan",
        14,
        &format!("Supra KeySafe Pro;;actief;01/03/2024;{demo_code};;"),
    );
    rows[7] = line(
        "Importlaan",
        16,
        &format!("Supra KeySafe Pro;;actief;01/03/2024;{near};;"),
    );
    rows[8] = line(
        "Importlaan",
        18,
        &format!("Supra KeySafe Pro;;actief;01/03/2024;{close};;"),
    );
    let good = format!("{HEADER}\n{}\n", rows.join("\n"));

    let mut bad_rows = rows.clone();
    bad_rows[20] = line("Importlaan", 42, "Supra KeySafe Pro;;;31/02/2024;;;");
    bad_rows[40] = bad_rows[40].replace("WoninGent", "Onbekende Haard");
    bad_rows[60] = line("Importlaan", 122, "Supra Mega;;;01/03/2024;;;");
    bad_rows[80] = bad_rows[80].replace(";6;", ";0;");
    bad_rows[100] = "Importlaan;honderd;9000;Gent;Muide;6;WoninGent;;;;;;;".to_string();
    let bad = format!("{HEADER}\n{}\n", bad_rows.join("\n"));

    // Even with "apply", a file with errors applies nothing and names every error.
    let report = import(&server, &coordinator, &bad, true).await;
    assert_eq!(report["applied"], false);
    assert_eq!(report["rows"], 200);
    assert_eq!(report["error_count"], 5, "{}", report["errors"]);
    let at: Vec<(u64, String)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["line"].as_u64().unwrap(),
                e["column"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        at,
        vec![
            (22, "installed_on".into()),
            (42, "owner".into()),
            (62, "model".into()),
            (82, "apartments".into()),
            (102, "numbers".into()),
        ]
    );
    assert_eq!(report["plan"], json!([]), "no plan for a file with errors");
    assert_eq!(
        count(dir.path(), "SELECT COUNT(*) FROM buildings"),
        buildings_before
    );

    // The corrected file: the dry run says what will happen and changes nothing.
    let dry = import(&server, &coordinator, &good, false).await;
    assert_eq!(dry["error_count"], 0, "{}", dry["errors"]);
    assert_eq!(dry["applied"], false);
    assert_eq!(dry["buildings_created"], 200);
    assert_eq!(dry["safes_created"], 200);
    assert_eq!(dry["codes_set"], 4);
    assert_eq!(dry["activities_added"], 1);
    assert_eq!(dry["plan"].as_array().unwrap().len(), 200);
    let conflicts = dry["conflicts"].as_array().unwrap();
    let kinds: Vec<(u64, &str)> = conflicts
        .iter()
        .map(|c| (c["line"].as_u64().unwrap(), c["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(kinds, vec![(8, "same"), (10, "too_close")]);
    assert!(
        conflicts[0]["other"]
            .as_str()
            .unwrap()
            .starts_with(demo_address.as_str()),
        "{conflicts:?} names {demo_address}"
    );
    assert!(
        conflicts[1]["other"]
            .as_str()
            .unwrap()
            .starts_with("Importlaan 16,"),
        "{conflicts:?}"
    );
    assert!(dry["conflicts_due"].is_string());
    assert_eq!(
        count(dir.path(), "SELECT COUNT(*) FROM buildings"),
        buildings_before
    );

    // A carer of Wit-Gele Kruis holds the new safe after the import, with its code.
    let mut phone = Device::enrol(&server, "carer.wgk.1").await;
    phone.sync(&server).await.ok().unwrap();
    let before = scope_of(&phone).safes.len();
    let leaks_query = "SELECT COUNT(*) FROM safes WHERE leak_reported_on IS NOT NULL";
    let leaks_before = count(dir.path(), leaks_query);
    let applied = import(&server, &coordinator, &good, true).await;
    assert_eq!(applied["applied"], true);
    assert_eq!(
        count(dir.path(), "SELECT COUNT(*) FROM buildings"),
        buildings_before + 200
    );
    assert_eq!(
        count(
            dir.path(),
            "SELECT COUNT(*) FROM audit_events WHERE kind = 'registry_imported'"
        ),
        1
    );
    assert_eq!(
        count(
            dir.path(),
            "SELECT COUNT(*) FROM audit_events WHERE kind = 'code_imported'"
        ),
        4
    );
    phone.sync(&server).await.ok().unwrap();
    let scope = scope_of(&phone);
    assert_eq!(scope.safes.len(), before + 1);
    let new = scope
        .safes
        .values()
        .find(|s| s.street == "Importlaan")
        .expect("the imported safe");
    assert_eq!(new.numbers.label(), "12");
    let shown: String = new.code.as_ref().unwrap().value.buttons().iter().collect();
    assert_eq!(shown, codes[0]);

    // Both safes of each conflict are now due within the leak deadline; the others are not.
    let leaks = count(dir.path(), leaks_query) - leaks_before;
    assert!(leaks >= 4, "line 8, the demo safe, lines 9 and 10: {leaks}");
    let due = |numbers: &str| {
        count(
            dir.path(),
            &format!(
                "SELECT COUNT(*) FROM safes s JOIN buildings b ON b.id = s.building_id
                 WHERE b.street = 'Importlaan' AND b.numbers = '{numbers}' AND s.leak_reported_on IS NOT NULL"
            ),
        )
    };
    assert_eq!(
        (due("12"), due("14"), due("16"), due("18"), due("20")),
        (0, 1, 1, 1, 0)
    );
    let (street, numbers) = demo_address.split_once(' ').unwrap();
    assert_eq!(
        count(
            dir.path(),
            &format!(
                "SELECT COUNT(*) FROM safes s JOIN buildings b ON b.id = s.building_id
                 WHERE b.street || ' ' || b.numbers = '{street} {numbers}' AND s.leak_reported_on IS NOT NULL"
            ),
        ),
        1,
        "the demo safe with the same code"
    );

    // The same file again changes nothing, and so does the registry's own export.
    let again = import(&server, &coordinator, &good, false).await;
    assert_eq!(again["buildings_created"], 0);
    assert_eq!(again["buildings_changed"], 0);
    assert_eq!(again["safes_changed"], 0, "{}", again["plan"]);
    let (status, export) = get_json(&server, &coordinator, "/api/admin/registry/export").await;
    assert_eq!(status, StatusCode::OK);
    let plain = export["csv"].as_str().unwrap();
    let columns: Vec<&str> = plain.lines().next().unwrap().split(';').collect();
    assert!(
        columns.contains(&"code sinds") && !columns.contains(&"code"),
        "no codes"
    );
    let round_trip = import(&server, &coordinator, plain, false).await;
    assert_eq!(round_trip["error_count"], 0, "{}", round_trip["errors"]);
    for field in [
        "buildings_created",
        "buildings_changed",
        "safes_created",
        "safes_changed",
    ] {
        assert_eq!(round_trip[field], 0, "{field}: {}", round_trip["plan"]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_coordinator_imports_or_exports_the_registry() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let file = format!("{HEADER}\n{}\n", line("Indringerstraat", 1, ";;;;;;"));
    let coordinator = login(&server, "coordinator").await.token;
    let buildings = count(dir.path(), "SELECT COUNT(*) FROM buildings");
    for who in ["admin.wgk", "carer.wgk.1", "staff.woningent", "volunteer.1"] {
        let token = login(&server, who).await.token;
        let (status, body) = send_json(
            &server,
            Method::POST,
            &token,
            "/api/admin/registry/import",
            &json!({"csv": file, "apply": true}),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who}: {body}");
        let (status, body) = get_json(&server, &token, "/api/admin/registry/export").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who}");
        assert!(body.get("csv").is_none());
        let (status, _) = send_json(
            &server,
            Method::POST,
            &token,
            "/api/admin/registry/export-with-codes",
            &json!({"password": PASSWORD}),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who}");
    }
    assert_eq!(
        count(dir.path(), "SELECT COUNT(*) FROM buildings"),
        buildings
    );
    assert_eq!(
        count(
            dir.path(),
            "SELECT COUNT(*) FROM audit_events WHERE kind = 'codes_exported'"
        ),
        0
    );
    // A file over the limit is refused before it is read.
    let huge = "x".repeat(kluis_api::import::IMPORT_MAX_BYTES + 10);
    let (status, _) = send_json(
        &server,
        Method::POST,
        &coordinator,
        "/api/admin/registry/import",
        &json!({"csv": huge, "apply": false}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}
