//! The plan against a registry held in memory: what an existing entrance keeps, which codes
//! break the rules, and which rows are refused.

#![allow(clippy::unwrap_used)]

use std::collections::HashMap;

use kluis_api::error::Problem;
use kluis_api::import::{ConflictKind, ImportColumn, RowAction};
use kluis_api::registry::{ActivityRow, BuildingRow, OrganisationRow, SafeRow};
use kluis_domain::ids::{BuildingId, OrgId, SafeId, SafeModelId};
use kluis_domain::model::{OrgKind, SafeStatus};
use kluis_domain::safe_model::{ButtonSet, supra_keysafe_pro};

use super::plan::{Snapshot, plan};
use super::read::read;

const HEADER: &str = "straat;huisnummers;postcode;gemeente;wijk;appartementen;eigenaar;model;plaats;status;geplaatst op;code;code sinds;diensten\n";

fn org(n: u8, kind: OrgKind, name: &str) -> OrganisationRow {
    OrganisationRow {
        id: OrgId::from_bytes([n; 16]),
        kind,
        name: name.into(),
        contact_person: String::new(),
        phone: String::new(),
        email: String::new(),
        active: true,
        buildings: 0,
        people: 0,
    }
}

/// One building, Sleepstraat 12, with a defect Supra whose code is 1357, served by Zorg A.
fn snapshot() -> Snapshot {
    let model = supra_keysafe_pro(SafeModelId::from_bytes([9; 16]));
    let safe = SafeId::from_bytes([5; 16]);
    let building = BuildingRow {
        id: BuildingId::from_bytes([4; 16]),
        street: "Sleepstraat".into(),
        numbers: "12".into(),
        postcode: "9000".into(),
        city: "Gent".into(),
        district: "Muide".into(),
        apartments: 8,
        owner_id: OrgId::from_bytes([1; 16]),
        owner: "WoninGent".into(),
        safes: vec![SafeRow {
            id: safe,
            model_id: model.id,
            model: model.name.clone(),
            placement: "links".into(),
            status: SafeStatus::Defect,
            installed_on: Some("2024-03-01".parse().unwrap()),
            has_code: true,
        }],
        services: vec![ActivityRow {
            service_id: OrgId::from_bytes([2; 16]),
            service: "Zorg A".into(),
            since: "2025-01-01".parse().unwrap(),
            confirmed_on: None,
        }],
    };
    let code = ButtonSet::parse("1357").unwrap();
    Snapshot {
        buildings: vec![building],
        organisations: vec![
            org(1, OrgKind::HousingCompany, "WoninGent"),
            org(2, OrgKind::CareService, "Zorg A"),
            org(3, OrgKind::CareService, "Zorg B"),
        ],
        models: vec![(model.id, model)],
        current: HashMap::from([(safe, code.clone())]),
        in_use: vec![(safe, code)],
        min_distance: 2,
    }
}

fn planned(rows: &str) -> super::plan::Plan {
    let snap = snapshot();
    let mut n = 100u8;
    let mut next = move || {
        n += 1;
        [n; 16]
    };
    let mut ids = Vec::new();
    for _ in 0..20 {
        ids.push(next());
    }
    let (mut b, mut s) = (ids.clone().into_iter(), ids.into_iter().rev());
    plan(
        read(&format!("{HEADER}{rows}")),
        &snap,
        move || BuildingId::from_bytes(b.next().unwrap()),
        move || SafeId::from_bytes(s.next().unwrap()),
    )
}

#[test]
fn an_existing_entrance_without_a_status_keeps_its_own() {
    // Same code, no status: the defect safe stays defect and nothing changes.
    let p = planned(
        "sleepstraat;12;9000;Gent;Muide;8;woningent;Supra KeySafe Pro;links;;01/03/2024;1357;;Zorg A\n",
    );
    assert_eq!(p.report.error_count, 0, "{:?}", p.report.errors);
    let row = &p.report.plan[0];
    assert_eq!(
        (row.building, row.safe),
        (RowAction::Change, RowAction::Same)
    );
    assert_eq!(
        row.changes.len(),
        1,
        "only the street's case: {:?}",
        row.changes
    );
    assert!(!row.sets_code && row.services_added.is_empty());
    assert_eq!(p.steps[0].status, SafeStatus::Defect);
    assert!(p.report.conflicts.is_empty(), "its own code is no conflict");
}

#[test]
fn a_different_code_or_a_step_back_in_the_life_cycle_is_refused() {
    let p = planned(
        "Sleepstraat;12;9000;Gent;Muide;8;WoninGent;Supra KeySafe Pro;links;;01/03/2024;2468;;\n",
    );
    assert_eq!(p.report.errors[0].column, Some(ImportColumn::Code));
    assert_eq!(p.report.errors[0].problem, Problem::CodeDiffers);
    let p = planned(
        "Sleepstraat;12;9000;Gent;Muide;8;WoninGent;Supra KeySafe Pro;links;aangevraagd;01/03/2024;;;\n",
    );
    assert_eq!(
        p.report.errors[0].problem,
        Problem::StatusChange {
            from: SafeStatus::Defect,
            to: SafeStatus::Requested
        }
    );
    assert!(p.report.plan.is_empty() && p.steps.is_empty());
}

#[test]
fn new_codes_are_checked_against_the_registry_the_file_and_the_factory() {
    let p = planned(
        "Dok;1;9000;Gent;;4;WoninGent;Supra KeySafe Pro;;actief;01/03/2024;1357;;\n\
         Dok;3;9000;Gent;;4;WoninGent;Supra KeySafe Pro;;actief;01/03/2024;2468;;\n\
         Dok;5;9000;Gent;;4;WoninGent;Supra KeySafe Pro;;actief;01/03/2024;24689;;\n\
         Dok;7;9000;Gent;;4;WoninGent;Supra KeySafe Pro;;actief;01/03/2024;1234;;\n\
         Dok;9;9000;Gent;;4;WoninGent;Supra KeySafe Pro;;actief;01/03/2024;5790;;Zorg B\n",
    );
    assert_eq!(p.report.error_count, 0, "{:?}", p.report.errors);
    let kinds: Vec<(u32, ConflictKind)> = p
        .report
        .conflicts
        .iter()
        .map(|c| (c.line, c.kind))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (2, ConflictKind::Same),
            (4, ConflictKind::TooClose),
            (5, ConflictKind::FactoryCode)
        ]
    );
    assert_eq!(
        p.report.conflicts[0].other.as_deref(),
        Some("Sleepstraat 12, 9000 Gent")
    );
    assert_eq!(
        p.report.conflicts[1].other.as_deref(),
        Some("Dok 3, 9000 Gent")
    );
    // Both sides of each conflict become due: lines 2, 3, 4 and 5, and the safe in Kluis.
    assert_eq!(
        p.due_steps.iter().copied().collect::<Vec<_>>(),
        vec![0, 1, 2, 3]
    );
    assert_eq!(p.due_safes.len(), 1);
    assert_eq!((p.report.codes_set, p.report.activities_added), (5, 1));
}

#[test]
fn unknown_names_and_repeated_entrances_are_errors_with_their_column() {
    let p = planned(
        "Dok;1;9000;Gent;;4;Onbekend;;;;;;;\n\
         Dok;1;9000;Gent;;4;WoninGent;;;;;;;\n\
         Dok;3;9000;Gent;;4;WoninGent;Supra Mega;;;01/03/2024;;;\n\
         Dok;5;9000;Gent;;4;WoninGent;;;;;;;Zorg C\n\
         Dok;7;9000;Gent;;4;WoninGent;Supra KeySafe Pro;;actief;01/03/2024;;;\n",
    );
    let at: Vec<(u32, Option<ImportColumn>)> =
        p.report.errors.iter().map(|e| (e.line, e.column)).collect();
    use ImportColumn as C;
    assert_eq!(
        at,
        vec![
            (2, Some(C::Owner)),
            (3, Some(C::Numbers)),
            (4, Some(C::Model)),
            (5, Some(C::Services)),
            (6, Some(C::Code)),
        ]
    );
    assert_eq!(
        p.report.errors[1].problem,
        Problem::DuplicateRow { first_line: 2 }
    );
    assert_eq!(p.report.errors[4].problem, Problem::ActiveNeedsCode);
}
