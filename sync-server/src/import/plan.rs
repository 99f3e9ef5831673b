//! What a file's rows mean against the registry as it stands: which building each row is,
//! what is created or changed, which company, model and services it names, and whether its
//! code keeps the rules for codes in use. Pure: [`Snapshot`] is read first, in the same
//! transaction that applies the plan.

use std::collections::{BTreeSet, HashMap};

use kluis_api::error::Problem;
use kluis_api::import::{
    CodeConflict, ConflictKind, IMPORT_MAX_ERRORS, ImportColumn, ImportError, ImportReport,
    ImportRow, RowAction,
};
use kluis_api::registry::{BuildingInput, BuildingRow, FieldChange, OrganisationRow, SafeRow};
use kluis_domain::address::normalize;
use kluis_domain::ids::{BuildingId, OrgId, SafeId, SafeModelId};
use kluis_domain::model::{OrgKind, SafeStatus};
use kluis_domain::safe_model::{ButtonSet, SafeModel};
use kluis_domain::time::Date;

use super::read::{Read, Row};

/// The registry as the plan needs it.
pub struct Snapshot {
    pub buildings: Vec<BuildingRow>,
    pub organisations: Vec<OrganisationRow>,
    pub models: Vec<(SafeModelId, SafeModel)>,
    /// Current codes by safe.
    pub current: HashMap<SafeId, ButtonSet>,
    /// Every code in use (current or pending), for the distance rule.
    pub in_use: Vec<(SafeId, ButtonSet)>,
    pub min_distance: usize,
}

/// Which building a row is: street, house numbers and postcode, compared the forgiving way.
type Key = (String, String, String);

fn key(street: &str, numbers: &str, postcode: &str) -> Key {
    (
        normalize(street),
        normalize(numbers),
        postcode.trim().to_lowercase(),
    )
}

fn address(b: &BuildingInput) -> String {
    format!("{} {}, {} {}", b.street, b.numbers, b.postcode, b.city)
}

/// The building a step writes.
pub enum BuildingStep {
    New(BuildingId),
    Existing(Box<BuildingRow>),
}

/// The safe a step writes.
pub enum SafeStep {
    None,
    New(SafeId),
    Existing(SafeRow),
}

/// One row, resolved to ids: what [`super::apply`] writes.
pub struct Step {
    pub line: u32,
    pub address: String,
    pub building: BuildingStep,
    pub input: BuildingInput,
    pub owner_name: String,
    pub safe: SafeStep,
    pub model: Option<(SafeModelId, String)>,
    pub placement: String,
    pub status: SafeStatus,
    pub installed_on: Option<Date>,
    pub code: Option<(ButtonSet, Option<Date>)>,
    pub services_added: Vec<(OrgId, String)>,
    /// Whether the plan changes anything for this row.
    pub row: ImportRow,
}

/// The plan: the report to show, the steps to apply, and the safes whose code breaks the
/// rules (to become due), by the step's index or the safe already in Kluis.
pub struct Plan {
    pub report: ImportReport,
    pub steps: Vec<Step>,
    pub due_steps: BTreeSet<usize>,
    pub due_safes: BTreeSet<SafeId>,
}

/// Buttons as one bit each over every label a model may have (digits and letters), so the
/// distance between two codes of any models is one XOR and a count.
fn bits(code: &ButtonSet) -> u64 {
    code.buttons().iter().fold(0u64, |m, c| {
        let i = match c {
            '0'..='9' => *c as u32 - '0' as u32,
            'A'..='Z' => 10 + (*c as u32 - 'A' as u32),
            _ => 63,
        };
        m | 1 << i
    })
}

fn field_change(field: &str, before: &str, after: &str) -> Option<FieldChange> {
    (before != after).then(|| FieldChange {
        field: field.into(),
        before: before.into(),
        after: after.into(),
    })
}

struct Planner<'a> {
    snap: &'a Snapshot,
    companies: HashMap<String, &'a OrganisationRow>,
    services: HashMap<String, &'a OrganisationRow>,
    models: HashMap<String, &'a (SafeModelId, SafeModel)>,
    buildings: HashMap<Key, &'a BuildingRow>,
    addresses: HashMap<SafeId, String>,
    errors: Vec<ImportError>,
    error_count: u32,
}

impl Planner<'_> {
    fn fail(&mut self, line: u32, column: ImportColumn, problem: Problem) {
        self.error_count += 1;
        self.errors.push(ImportError {
            line,
            column: Some(column),
            problem,
        });
    }
}

/// Plans `read`'s rows against `snap`; `rng_id` makes the ids of what is new.
pub fn plan(
    read: Read,
    snap: &Snapshot,
    mut new_building: impl FnMut() -> BuildingId,
    mut new_safe: impl FnMut() -> SafeId,
) -> Plan {
    let lower = |s: &str| s.trim().to_lowercase();
    let of_kind = |kind| {
        snap.organisations
            .iter()
            .filter(move |o| o.kind == kind)
            .map(|o| (lower(&o.name), o))
            .collect::<HashMap<_, _>>()
    };
    let mut p = Planner {
        snap,
        companies: of_kind(OrgKind::HousingCompany),
        services: of_kind(OrgKind::CareService),
        models: snap.models.iter().map(|m| (lower(&m.1.name), m)).collect(),
        buildings: snap
            .buildings
            .iter()
            .map(|b| (key(&b.street, &b.numbers, &b.postcode), b))
            .collect(),
        addresses: HashMap::new(),
        error_count: read.errors.len() as u32,
        errors: read.errors,
    };
    for b in &snap.buildings {
        for s in &b.safes {
            p.addresses.insert(
                s.id,
                format!("{} {}, {} {}", b.street, b.numbers, b.postcode, b.city),
            );
        }
    }
    let mut seen: HashMap<Key, u32> = HashMap::new();
    let mut steps = Vec::new();
    for row in read.rows {
        let k = key(
            &row.building.street,
            &row.building.numbers,
            &row.building.postcode,
        );
        if let Some(first) = seen.get(&k) {
            let problem = Problem::DuplicateRow { first_line: *first };
            p.fail(row.line, ImportColumn::Numbers, problem);
            continue;
        }
        seen.insert(k.clone(), row.line);
        if let Some(step) = step(&mut p, row, &k, &mut new_building, &mut new_safe) {
            steps.push(step);
        }
    }
    let (conflicts, due_steps, due_safes) = check_codes(&p, &steps);
    // In file order, the file's own errors with the registry's; the count keeps them all.
    p.errors.sort_by_key(|e| e.line);
    p.errors.truncate(IMPORT_MAX_ERRORS);
    let mut report = ImportReport {
        rows: read.count,
        buildings_created: 0,
        buildings_changed: 0,
        safes_created: 0,
        safes_changed: 0,
        codes_set: 0,
        activities_added: 0,
        plan: Vec::new(),
        errors: p.errors,
        error_count: p.error_count,
        conflicts,
        applied: false,
        conflicts_due: None,
    };
    for s in &steps {
        let r = &s.row;
        let count = |a: RowAction, c: &mut u32, ch: &mut u32| match a {
            RowAction::Create => *c += 1,
            RowAction::Change => *ch += 1,
            RowAction::Same => {}
        };
        count(
            r.building,
            &mut report.buildings_created,
            &mut report.buildings_changed,
        );
        count(r.safe, &mut report.safes_created, &mut report.safes_changed);
        report.codes_set += u32::from(r.sets_code);
        report.activities_added += r.services_added.len() as u32;
    }
    if report.error_count == 0 {
        report.plan = steps.iter().map(|s| s.row.clone()).collect();
    }
    Plan {
        report,
        steps,
        due_steps,
        due_safes,
    }
}

/// One row against the registry; `None` when it has errors (already recorded).
fn step(
    p: &mut Planner<'_>,
    row: Row,
    k: &Key,
    new_building: &mut impl FnMut() -> BuildingId,
    new_safe: &mut impl FnMut() -> SafeId,
) -> Option<Step> {
    use ImportColumn as C;
    let line = row.line;
    let before = p.errors.len();
    let failed = |p: &Planner<'_>| p.errors.len() > before;
    let mut input = row.building;
    let owner = p.companies.get(&row.owner.to_lowercase()).copied();
    match owner {
        Some(o) if o.active => input.owner_id = o.id,
        Some(_) => p.fail(line, C::Owner, Problem::OrganisationInactive),
        None => p.fail(line, C::Owner, Problem::UnknownHousingCompany),
    }
    let owner_name = owner.map(|o| o.name.clone()).unwrap_or_default();
    let existing = p.buildings.get(k).copied();
    let mut services_added = Vec::new();
    for name in &row.services {
        match p.services.get(&name.to_lowercase()).copied() {
            Some(s) if s.active => {
                let there =
                    existing.is_some_and(|b| b.services.iter().any(|a| a.service_id == s.id));
                if !there && !services_added.iter().any(|(id, _)| *id == s.id) {
                    services_added.push((s.id, s.name.clone()));
                }
            }
            _ => p.fail(
                line,
                C::Services,
                Problem::UnknownService {
                    name: name.chars().take(60).collect(),
                },
            ),
        }
    }
    let mut changes = Vec::new();
    let building_action = match existing {
        None => RowAction::Create,
        Some(b) => {
            changes.extend(
                [
                    field_change("street", &b.street, &input.street),
                    field_change("numbers", &b.numbers, &input.numbers),
                    field_change("postcode", &b.postcode, &input.postcode),
                    field_change("city", &b.city, &input.city),
                    field_change("district", &b.district, &input.district),
                    field_change(
                        "apartments",
                        &b.apartments.to_string(),
                        &input.apartments.to_string(),
                    ),
                    field_change("owner", &b.owner, &owner_name),
                ]
                .into_iter()
                .flatten(),
            );
            if changes.is_empty() {
                RowAction::Same
            } else {
                RowAction::Change
            }
        }
    };
    let hanging = existing.and_then(|b| b.safes.iter().find(|s| s.status != SafeStatus::Removed));
    let mut safe = SafeStep::None;
    let mut safe_action = RowAction::Same;
    let mut model = None;
    let mut placement = String::new();
    let mut status = SafeStatus::Requested;
    let mut installed_on = None;
    let mut code = None;
    if let Some(given) = &row.safe {
        let found = p.models.get(&given.model.to_lowercase()).copied();
        if found.is_none() {
            p.fail(line, C::Model, Problem::UnknownModel);
        }
        let read_code = given.code.as_deref().and_then(|text| {
            let set = ButtonSet::parse(text).ok();
            let fits = match (&set, found) {
                (Some(c), Some((_, m))) => {
                    c.as_mask(m).is_some() && m.length_range().contains(&c.len())
                }
                _ => found.is_none(),
            };
            if !fits {
                p.fail(line, C::Code, Problem::CodeForModel);
            }
            set.filter(|_| fits)
        });
        let has_code = hanging.is_some_and(|s| s.has_code);
        // Without a status a safe keeps its own (a defect one stays defect); a new one with
        // a code is in use, with only a day it hangs, else it is asked for.
        status = given.status.unwrap_or(match (hanging, &read_code) {
            (Some(s), _) => s.status,
            (None, Some(_)) => SafeStatus::Active,
            (None, None) if given.installed_on.is_some() => SafeStatus::Installed,
            (None, None) => SafeStatus::Requested,
        });
        if read_code.is_some() && status == SafeStatus::Installed {
            // A code that is not the factory's means the first code is set.
            status = SafeStatus::Active;
        }
        let hangs = matches!(
            status,
            SafeStatus::Installed | SafeStatus::Active | SafeStatus::Defect
        );
        if read_code.is_some() && !hangs {
            p.fail(line, C::Code, Problem::CodeWithoutSafe);
        }
        if matches!(status, SafeStatus::Active | SafeStatus::Defect)
            && read_code.is_none()
            && !has_code
        {
            p.fail(line, C::Code, Problem::ActiveNeedsCode);
        }
        installed_on = given.installed_on.or(hanging.and_then(|s| s.installed_on));
        if hangs && installed_on.is_none() && given.code_since.is_none() {
            p.fail(line, C::InstalledOn, Problem::NeedsDate);
        }
        if let Some(s) = hanging
            && s.status != status
            && !s.status.can_transition_to(status)
        {
            p.fail(
                line,
                C::Status,
                Problem::StatusChange {
                    from: s.status,
                    to: status,
                },
            );
        }
        let current = hanging.and_then(|s| p.snap.current.get(&s.id));
        match (current, &read_code) {
            (Some(now), Some(c)) if now != c => p.fail(line, C::Code, Problem::CodeDiffers),
            (None, Some(c)) => code = Some((c.clone(), given.code_since)),
            _ => {}
        }
        placement = given.placement.clone();
        if let Some((id, m)) = found {
            model = Some((*id, m.name.clone()));
            match hanging {
                None => {
                    safe = SafeStep::New(new_safe());
                    safe_action = RowAction::Create;
                }
                Some(s) => {
                    let day = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
                    let before_len = changes.len();
                    changes.extend(
                        [
                            field_change("model", &s.model, &m.name),
                            field_change("placement", &s.placement, &placement),
                            field_change("status", s.status.as_str(), status.as_str()),
                            field_change("installed_on", &day(s.installed_on), &day(installed_on)),
                        ]
                        .into_iter()
                        .flatten(),
                    );
                    if changes.len() > before_len || code.is_some() {
                        safe_action = RowAction::Change;
                    }
                    safe = SafeStep::Existing(s.clone());
                }
            }
        }
    }
    if failed(p) {
        return None;
    }
    let address = address(&input);
    let building = match existing {
        Some(b) => BuildingStep::Existing(Box::new(b.clone())),
        None => BuildingStep::New(new_building()),
    };
    Some(Step {
        line,
        address: address.clone(),
        row: ImportRow {
            line,
            address,
            building: building_action,
            safe: safe_action,
            changes,
            services_added: services_added.iter().map(|(_, n)| n.clone()).collect(),
            sets_code: code.is_some(),
        },
        building,
        input,
        owner_name,
        safe,
        model,
        placement,
        status,
        installed_on,
        code,
        services_added,
    })
}

/// Every imported code against the codes in use and the file's earlier codes: the same
/// code, one closer than the rules allow, or a factory code. Both safes of a pair become due.
fn check_codes(
    p: &Planner<'_>,
    steps: &[Step],
) -> (Vec<CodeConflict>, BTreeSet<usize>, BTreeSet<SafeId>) {
    let min = p.snap.min_distance.max(1) as u32;
    let in_use: Vec<(SafeId, u64)> = p.snap.in_use.iter().map(|(s, c)| (*s, bits(c))).collect();
    let factory: HashMap<SafeModelId, u64> = p
        .snap
        .models
        .iter()
        .filter_map(|(id, m)| m.factory_default.as_ref().map(|f| (*id, bits(f))))
        .collect();
    let mut earlier: Vec<(usize, u64)> = Vec::new();
    let mut conflicts = Vec::new();
    let mut due_steps = BTreeSet::new();
    let mut due_safes = BTreeSet::new();
    for (i, step) in steps.iter().enumerate() {
        let Some((code, _)) = &step.code else {
            continue;
        };
        let mine = bits(code);
        let kind = |d: u32| {
            if d == 0 {
                ConflictKind::Same
            } else {
                ConflictKind::TooClose
            }
        };
        let mut found = None;
        if step
            .model
            .as_ref()
            .and_then(|(id, _)| factory.get(id))
            .is_some_and(|f| *f == mine)
        {
            found = Some((ConflictKind::FactoryCode, None));
        }
        for (j, other) in &earlier {
            let d = (mine ^ other).count_ones();
            if d < min {
                due_steps.insert(*j);
                found = found.or(Some((kind(d), Some(steps[*j].address.clone()))));
            }
        }
        let own = match &step.safe {
            SafeStep::Existing(s) => Some(s.id),
            _ => None,
        };
        for (safe, other) in &in_use {
            let d = (mine ^ other).count_ones();
            if d < min && Some(*safe) != own {
                due_safes.insert(*safe);
                let at = p.addresses.get(safe).cloned();
                found = found.or(Some((kind(d), at)));
            }
        }
        if let Some((kind, other)) = found {
            due_steps.insert(i);
            conflicts.push(CodeConflict {
                line: step.line,
                address: step.address.clone(),
                kind,
                other,
            });
        }
        earlier.push((i, mine));
    }
    (conflicts, due_steps, due_safes)
}
