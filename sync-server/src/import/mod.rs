//! The registry file: importing a city's registry (dry run, then all or nothing) and
//! exporting it in the same format. The format is `kluis_api::import`'s.

mod apply;
mod export;
mod plan;
#[cfg(test)]
mod plan_tests;
mod read;

use std::collections::HashMap;

use kluis_api::import::ImportReport;
use kluis_crypto::SecretKey;
use kluis_domain::calendar::WorkingCalendar;
use kluis_domain::codegen::CodeRules;
use kluis_domain::due::DueRules;
use kluis_domain::ids::{BuildingId, CodeId, OrgId, PersonId, SafeId};
use kluis_domain::safe_model::ButtonSet;
use kluis_domain::time::{Date, Timestamp};
use rusqlite::Connection;

pub use export::{export, spreadsheet};
pub use plan::Snapshot;

use crate::db::buildings::{self, BuildingScope};
use crate::db::column::parse_col;
use crate::db::{orgs, registry};
use crate::error::ServerError;
use crate::state::OsRandom;

/// Reads the registry as a plan compares against it.
pub fn snapshot(conn: &Connection, key: &SecretKey) -> Result<Snapshot, ServerError> {
    let mut stmt = conn.prepare(
        "SELECT id, safe_id, sealed_value, state FROM codes WHERE state IN ('current', 'pending')",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            parse_col::<CodeId>(r, 0)?,
            parse_col::<SafeId>(r, 1)?,
            r.get::<_, Vec<u8>>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut current = HashMap::new();
    let mut in_use = Vec::new();
    for row in rows {
        let (code, safe, sealed, state) = row?;
        let value: ButtonSet = registry::open_code(key, safe, code, &sealed)?;
        if state == "current" {
            current.insert(safe, value.clone());
        }
        in_use.push((safe, value));
    }
    Ok(Snapshot {
        buildings: buildings::list(conn, BuildingScope::All, None)?,
        organisations: orgs::list(conn)?,
        models: registry::models(conn)?.into_iter().collect(),
        current,
        in_use,
        min_distance: CodeRules::default().min_distance,
    })
}

/// Checks `text` against the registry and, when `apply` and the file has no error, writes it
/// in `conn`'s transaction. Returns the report and the services whose scope changed.
#[allow(clippy::too_many_arguments)]
pub fn run(
    conn: &mut Connection,
    key: &SecretKey,
    text: &str,
    apply: bool,
    by: PersonId,
    calendar: &WorkingCalendar,
    today: Date,
    now: Timestamp,
) -> Result<(ImportReport, Vec<OrgId>), ServerError> {
    let read = read::read(text);
    let tx = conn.transaction()?;
    let snap = snapshot(&tx, key)?;
    let mut plan = plan::plan(
        read,
        &snap,
        || BuildingId::random(&mut OsRandom),
        || SafeId::random(&mut OsRandom),
    );
    if !plan.report.conflicts.is_empty() {
        plan.report.conflicts_due = Some(DueRules::default().leak_due(today, calendar));
    }
    if !apply || plan.report.error_count > 0 {
        return Ok((plan.report, Vec::new()));
    }
    let touched = apply::apply(&tx, key, &plan, by, today, now)?;
    tx.commit()?;
    plan.report.applied = true;
    Ok((plan.report, touched))
}
