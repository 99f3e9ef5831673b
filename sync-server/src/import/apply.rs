//! Writing a plan without errors, inside the caller's transaction: every building, safe, code
//! and activity with its audit row, the conflicting codes due as leaks, and one audit row for
//! the import as a whole.

use kluis_api::registry::FieldChange;
use kluis_crypto::SecretKey;
use kluis_domain::ids::{BuildingId, CodeId, OrgId, PersonId, SafeId};
use kluis_domain::model::{AuditKind, Code, CodeState, SafeStatus, ServiceActivity};
use kluis_domain::time::{Date, Timestamp};
use rusqlite::{Connection, params};

use super::plan::{BuildingStep, Plan, SafeStep};
use crate::db::audit::{self, Target};
use crate::db::buildings::{self, SafeFields};
use crate::db::registry;
use crate::error::ServerError;
use crate::state::OsRandom;

/// Applies `plan` in `tx`; returns the services whose scope changed.
pub fn apply(
    tx: &Connection,
    key: &SecretKey,
    plan: &Plan,
    by: PersonId,
    today: Date,
    now: Timestamp,
) -> Result<Vec<OrgId>, ServerError> {
    let mut touched: Vec<OrgId> = Vec::new();
    let mut due: Vec<SafeId> = plan.due_safes.iter().copied().collect();
    for (i, step) in plan.steps.iter().enumerate() {
        let building: BuildingId = match &step.building {
            BuildingStep::New(id) => {
                buildings::insert(tx, *id, &step.input, &step.owner_name, Some(by), now)?;
                *id
            }
            BuildingStep::Existing(before) => {
                if buildings::update(tx, before, &step.input, &step.owner_name, Some(by), now)? {
                    touched.extend(before.services.iter().map(|a| a.service_id));
                }
                before.id
            }
        };
        let fields = step.model.as_ref().map(|(model, name)| SafeFields {
            model: *model,
            model_name: name.clone(),
            placement: step.placement.clone(),
            status: step.status,
            installed_on: step.installed_on,
        });
        let safe = match (&step.safe, &fields) {
            (SafeStep::New(id), Some(f)) => {
                buildings::insert_safe(tx, *id, building, f, Some(by), now)?;
                Some(*id)
            }
            (SafeStep::Existing(before), Some(f)) => {
                // The code below is set in the same transaction, so the safe may become
                // active on it.
                let mut before = before.clone();
                before.has_code |= step.code.is_some();
                buildings::update_safe(tx, building, &before, f, Some(by), now)?;
                Some(before.id)
            }
            _ => None,
        };
        if let (Some(safe), Some((value, since))) = (safe, &step.code) {
            registry::insert_code(
                tx,
                key,
                &Code {
                    id: CodeId::random(&mut OsRandom),
                    safe,
                    value: value.clone(),
                    state: CodeState::Current,
                    created_at: now,
                    // Unknown: the six-monthly change counts from the installation day.
                    activated_at: since.map(Date::start_utc),
                    retired_at: None,
                },
            )?;
            // Never the code itself: the trail says that it came in, not what it is.
            audit::record_edit(
                tx,
                now,
                Some(by),
                AuditKind::CodeImported,
                Target::building(building, Some(safe)),
                &[],
            )?;
            if plan.due_steps.contains(&i) {
                due.push(safe);
            }
        }
        if !step.services_added.is_empty() {
            let before: Vec<String> = match &step.building {
                BuildingStep::Existing(b) => b.services.iter().map(|a| a.service.clone()).collect(),
                BuildingStep::New(_) => Vec::new(),
            };
            for (service, _) in &step.services_added {
                registry::insert_activity(
                    tx,
                    &ServiceActivity {
                        service: *service,
                        building,
                        since: today,
                        confirmed_on: None,
                    },
                )?;
                touched.push(*service);
            }
            let mut after = before.clone();
            after.extend(step.services_added.iter().map(|(_, n)| n.clone()));
            after.sort_unstable();
            audit::record_edit(
                tx,
                now,
                Some(by),
                AuditKind::ActivityChanged,
                Target::building(building, None),
                &[FieldChange {
                    field: "services".into(),
                    before: before.join(", "),
                    after: after.join(", "),
                }],
            )?;
        }
    }
    for safe in &due {
        // A leak reported earlier keeps its (earlier) deadline.
        tx.execute(
            "UPDATE safes SET leak_reported_on = ?2 WHERE id = ?1 AND leak_reported_on IS NULL
               AND status IN ('installed', 'active', 'defect')",
            params![safe.to_string(), today.to_string()],
        )?;
        touched.extend(registry::services_seeing(tx, *safe)?);
    }
    let r = &plan.report;
    let counts = [
        ("rows", r.rows),
        ("buildings_created", r.buildings_created),
        ("buildings_changed", r.buildings_changed),
        ("safes_created", r.safes_created),
        ("safes_changed", r.safes_changed),
        ("codes_set", r.codes_set),
        ("activities_added", r.activities_added),
        ("conflicts", r.conflicts.len() as u32),
    ];
    let detail: Vec<FieldChange> = counts
        .iter()
        .map(|(field, n)| FieldChange {
            field: (*field).into(),
            before: String::new(),
            after: n.to_string(),
        })
        .collect();
    audit::record_edit(
        tx,
        now,
        Some(by),
        AuditKind::RegistryImported,
        Target::default(),
        &detail,
    )?;
    // A safe's status may have made it appear in or leave a scope.
    if plan
        .steps
        .iter()
        .any(|s| matches!(s.safe, SafeStep::Existing(_)) && s.status == SafeStatus::Removed)
        || r.safes_changed > 0
        || r.codes_set > 0
    {
        touched.extend(
            plan.steps
                .iter()
                .filter_map(|s| match &s.building {
                    BuildingStep::Existing(b) => Some(b.services.iter().map(|a| a.service_id)),
                    BuildingStep::New(_) => None,
                })
                .flatten(),
        );
    }
    touched.sort_unstable();
    touched.dedup();
    Ok(touched)
}
