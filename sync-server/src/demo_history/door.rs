//! The demo's reports from the door of the past year, every one dealt with, and the repairs
//! they asked for, done.

use kluis_domain::ids::{EventId, RepairId, ReportId};
use kluis_domain::model::{AuditKind, Code, Role};
use rusqlite::params;

use super::{Ctx, DAY, HOUR, at_hour, below, changes};
use crate::error::ServerError;

/// Reports from the door, all dealt with: broken safes and missing keys repaired by their
/// company, known codes changed in the leak flow (days before the current code came), a
/// code that did not work closed with a reply.
pub(super) fn reports(ctx: &mut Ctx<'_>) -> Result<(), ServerError> {
    let data = ctx.data;
    const PROBLEMS: [(&str, &str); 12] = [
        ("broken", "Het klepje klemt"),
        ("key_missing", "Kluis leeg"),
        ("code_known", "Code hing op een briefje in de hal"),
        ("code_fails", "Drie keer geprobeerd"),
        ("broken", "Knop 4 zit vast"),
        ("key_missing", ""),
        ("code_known", "Een vroegere poetshulp kent de code"),
        ("code_fails", ""),
        ("broken", "Deurtje hangt los"),
        ("key_missing", "Sleutel past niet meer"),
        ("code_known", ""),
        ("broken", "Na vandalisme"),
    ];
    let coded: Vec<&Code> = data
        .codes
        .iter()
        .filter(|c| {
            c.activated_at.is_some_and(|a| {
                a.millis() < ctx.now.millis() - 40 * DAY
                    && a.millis() > ctx.now.millis() - 170 * DAY
            })
        })
        .collect();
    for (i, (problem, note)) in PROBLEMS.iter().enumerate() {
        let Some(code) = coded.get(i * 7 % coded.len().max(1)) else {
            continue;
        };
        let (safe, activated) = (code.safe, code.activated_at.unwrap_or(ctx.now));
        let Some(s) = data.safes.iter().find(|s| s.id == safe) else {
            continue;
        };
        let Some(activity) = data.activities.iter().find(|a| a.building == s.building) else {
            continue;
        };
        let Some(owner) = data
            .buildings
            .iter()
            .find(|b| b.id == s.building)
            .map(|b| b.owner)
        else {
            continue;
        };
        let service = activity.service;
        let (Some(carer), Some(staff)) = (
            ctx.of(service, Role::Carer),
            ctx.of(owner, Role::HousingStaff),
        ) else {
            continue;
        };
        let at = if *problem == "code_known" {
            // Reported two to six working days before the new code came.
            activated.plus_millis(-(2 + below(ctx.rng, 5)) * DAY)
        } else {
            ctx.now.plus_millis(-(20 + below(ctx.rng, 330)) * DAY)
        };
        let handled = at.plus_millis((2 + below(ctx.rng, 20)) * HOUR);
        let (outcome, reply) = match *problem {
            "broken" | "key_missing" => ("repair", ""),
            "code_known" => ("leak", "Er komt een nieuwe code"),
            _ => (
                "closed",
                "De code is intussen gewijzigd: synchroniseer je telefoon",
            ),
        };
        let repair = if outcome == "repair" {
            let id = RepairId::random(ctx.rng);
            let day = crate::clock::today_in_ghent(at);
            let planned = day.add_days(1 + below(ctx.rng, 4));
            let done = planned.add_days(below(ctx.rng, 10));
            let resolved = at_hour(done, 16);
            ctx.tx.execute(
                "INSERT INTO repair_items (id, safe_id, owner_org_id, reason, note, created_at,
                    resolved_at, planned_on, done_on, updated_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    id.to_string(),
                    safe.to_string(),
                    owner.to_string(),
                    problem,
                    note,
                    at.millis(),
                    resolved.millis(),
                    planned.to_string(),
                    done.to_string(),
                    staff.to_string()
                ],
            )?;
            let plan = changes(&[("planned_on", "", &planned.to_string())]);
            let plan_at = at.plus_millis(26 * HOUR);
            ctx.audit(
                plan_at,
                Some(staff),
                AuditKind::RepairPlanned,
                Some(safe),
                None,
                &plan,
            )?;
            let fixed = changes(&[("done_on", "", &done.to_string())]);
            ctx.audit(
                resolved,
                Some(staff),
                AuditKind::RepairDone,
                Some(safe),
                None,
                &fixed,
            )?;
            Some(id)
        } else {
            None
        };
        ctx.tx.execute(
            "INSERT INTO door_reports (id, event_id, safe_id, service_id, person_id, problem, note,
                at, received_at, outcome, handled_by, handled_at, reply, repair_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, ?10, ?11, ?12, ?13)",
            params![
                ReportId::random(ctx.rng).to_string(),
                EventId::random(ctx.rng).to_string(),
                safe.to_string(),
                service.to_string(),
                carer.to_string(),
                problem,
                note,
                at.millis(),
                outcome,
                ctx.coordinator.to_string(),
                handled.millis(),
                reply,
                repair.map(|r| r.to_string())
            ],
        )?;
        let coordinator = ctx.coordinator;
        ctx.audit(
            at,
            Some(carer),
            AuditKind::ProblemReported,
            Some(safe),
            None,
            problem,
        )?;
        ctx.audit(
            handled,
            Some(coordinator),
            AuditKind::ReportsHandled,
            Some(safe),
            None,
            outcome,
        )?;
        if outcome == "leak" {
            ctx.audit(
                handled,
                Some(coordinator),
                AuditKind::CodeLeaked,
                Some(safe),
                None,
                note,
            )?;
        }
    }
    Ok(())
}
