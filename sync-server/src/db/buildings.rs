//! Buildings, their safes, the safe models and which services are active where, as the
//! registry screens edit them. Each edit records its fields before and after in the audit
//! trail, under the building, in the same transaction.

use std::collections::{BTreeMap, BTreeSet};

use kluis_api::registry::{
    ActivityRow, BuildingInput, BuildingRow, FieldChange, ModelRow, SafeRow,
};
use kluis_domain::ids::{BuildingId, OrgId, PersonId, SafeId, SafeModelId};
use kluis_domain::model::{AuditKind, SafeStatus};
use kluis_domain::safe_model::SafeModel;
use kluis_domain::time::{Date, Timestamp};
use rusqlite::{Connection, OptionalExtension, params};

use super::audit::{self, Target};
use super::column::col;
use super::registry;
use crate::error::{Problem, ServerError};

/// Which buildings a person sees.
#[derive(Clone, Copy, Debug)]
pub enum BuildingScope {
    /// The coordinator: all.
    All,
    /// Housing-company staff: their company's.
    OwnedBy(OrgId),
    /// A service admin: where their service is active.
    ServedBy(OrgId),
}

fn change(field: &str, before: impl ToString, after: impl ToString) -> FieldChange {
    FieldChange {
        field: field.into(),
        before: before.to_string(),
        after: after.to_string(),
    }
}

fn changed(list: Vec<FieldChange>) -> Vec<FieldChange> {
    list.into_iter().filter(|c| c.before != c.after).collect()
}

/// The buildings in `scope` (or just `only`), by street and number, with safes and services.
pub fn list(
    conn: &Connection,
    scope: BuildingScope,
    only: Option<BuildingId>,
) -> Result<Vec<BuildingRow>, ServerError> {
    let (owner, service) = match scope {
        BuildingScope::All => (None, None),
        BuildingScope::OwnedBy(o) => (Some(o.to_string()), None),
        BuildingScope::ServedBy(s) => (None, Some(s.to_string())),
    };
    let only = only.map(|b| b.to_string());
    let filter = "(?1 IS NULL OR b.owner_org_id = ?1)
         AND (?2 IS NULL OR EXISTS (SELECT 1 FROM service_activity x WHERE x.building_id = b.id AND x.service_id = ?2))
         AND (?3 IS NULL OR b.id = ?3)";
    let mut stmt = conn.prepare(&format!(
        "SELECT b.id, b.street, b.numbers, b.postcode, b.city, b.district, b.apartments, o.id, o.name
         FROM buildings b JOIN organisations o ON o.id = b.owner_org_id WHERE {filter}"
    ))?;
    let mut buildings: BTreeMap<BuildingId, BuildingRow> = BTreeMap::new();
    for row in stmt.query_map(params![owner, service, only], |r| {
        Ok(BuildingRow {
            id: col(r, 0)?,
            street: col(r, 1)?,
            numbers: col(r, 2)?,
            postcode: col(r, 3)?,
            city: col(r, 4)?,
            district: col(r, 5)?,
            apartments: col(r, 6)?,
            owner_id: col(r, 7)?,
            owner: col(r, 8)?,
            safes: Vec::new(),
            services: Vec::new(),
        })
    })? {
        let b = row?;
        buildings.insert(b.id, b);
    }
    let mut stmt = conn.prepare(&format!(
        "SELECT s.building_id, {SAFE_COLS}
         FROM safes s JOIN safe_models m ON m.id = s.model_id JOIN buildings b ON b.id = s.building_id
         WHERE {filter} ORDER BY s.rowid"
    ))?;
    for row in stmt.query_map(params![owner, service, only], |r| {
        Ok((col::<BuildingId>(r, 0)?, safe_row(r, 1)?))
    })? {
        let (b, safe) = row?;
        if let Some(building) = buildings.get_mut(&b) {
            building.safes.push(safe);
        }
    }
    let mut stmt = conn.prepare(&format!(
        "SELECT a.building_id, a.service_id, o.name, a.since, a.confirmed_on
         FROM service_activity a JOIN organisations o ON o.id = a.service_id JOIN buildings b ON b.id = a.building_id
         WHERE {filter} ORDER BY o.name"
    ))?;
    for row in stmt.query_map(params![owner, service, only], |r| {
        Ok((
            col::<BuildingId>(r, 0)?,
            ActivityRow {
                service_id: col(r, 1)?,
                service: col(r, 2)?,
                since: col(r, 3)?,
                confirmed_on: col(r, 4)?,
            },
        ))
    })? {
        let (b, activity) = row?;
        if let Some(building) = buildings.get_mut(&b) {
            building.services.push(activity);
        }
    }
    let mut out: Vec<BuildingRow> = buildings.into_values().collect();
    out.sort_by(|a, b| {
        (
            a.street.to_lowercase(),
            first_number(&a.numbers),
            &a.numbers,
        )
            .cmp(&(
                b.street.to_lowercase(),
                first_number(&b.numbers),
                &b.numbers,
            ))
    });
    Ok(out)
}

/// The columns of a safe as [`safe_row`] reads them, `m` the model and `s` the safe.
const SAFE_COLS: &str = "s.id, s.model_id, m.name, s.placement, s.status, s.installed_on,
     EXISTS (SELECT 1 FROM codes c WHERE c.safe_id = s.id AND c.state = 'current')";

/// A safe from [`SAFE_COLS`] starting at column `at`.
fn safe_row(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<SafeRow> {
    Ok(SafeRow {
        id: col(r, at)?,
        model_id: col(r, at + 1)?,
        model: col(r, at + 2)?,
        placement: col(r, at + 3)?,
        status: col(r, at + 4)?,
        installed_on: col(r, at + 5)?,
        has_code: r.get(at + 6)?,
    })
}

fn first_number(numbers: &str) -> u32 {
    kluis_domain::model::HouseNumbers::parse(numbers)
        .map(|n| n.first())
        .unwrap_or(0)
}

pub fn get(conn: &Connection, id: BuildingId) -> Result<Option<BuildingRow>, ServerError> {
    Ok(list(conn, BuildingScope::All, Some(id))?.pop())
}

/// The building as it stands, or not found.
pub fn existing(conn: &Connection, id: BuildingId) -> Result<BuildingRow, ServerError> {
    get(conn, id)?.ok_or_else(|| ServerError::NotFound("building".into()))
}

fn input_fields(b: &BuildingInput, owner_name: &str) -> Vec<(&'static str, String)> {
    vec![
        ("street", b.street.clone()),
        ("numbers", b.numbers.clone()),
        ("postcode", b.postcode.clone()),
        ("city", b.city.clone()),
        ("district", b.district.clone()),
        ("apartments", b.apartments.to_string()),
        ("owner", owner_name.to_string()),
    ]
}

/// Adds a building (fields checked, owner an active housing company).
pub fn insert(
    tx: &Connection,
    id: BuildingId,
    b: &BuildingInput,
    owner_name: &str,
    by: Option<PersonId>,
    now: Timestamp,
) -> Result<(), ServerError> {
    tx.execute(
        "INSERT INTO buildings (id, street, numbers, postcode, city, district, apartments, owner_org_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            id.to_string(),
            b.street,
            b.numbers,
            b.postcode,
            b.city,
            b.district,
            b.apartments,
            b.owner_id.to_string()
        ],
    )?;
    let changes = changed(
        input_fields(b, owner_name)
            .into_iter()
            .map(|(f, v)| change(f, "", v))
            .collect(),
    );
    audit::record_edit(
        tx,
        now,
        by,
        AuditKind::BuildingAdded,
        Target::building(id, None),
        &changes,
    )
}

/// Applies an edit; returns whether anything changed.
pub fn update(
    tx: &Connection,
    before: &BuildingRow,
    b: &BuildingInput,
    owner_name: &str,
    by: Option<PersonId>,
    now: Timestamp,
) -> Result<bool, ServerError> {
    let old = BuildingInput {
        street: before.street.clone(),
        numbers: before.numbers.clone(),
        postcode: before.postcode.clone(),
        city: before.city.clone(),
        district: before.district.clone(),
        apartments: before.apartments,
        owner_id: before.owner_id,
    };
    let changes = changed(
        input_fields(&old, &before.owner)
            .into_iter()
            .zip(input_fields(b, owner_name))
            .map(|((f, was), (_, now))| change(f, was, now))
            .collect(),
    );
    if changes.is_empty() {
        return Ok(false);
    }
    tx.execute(
        "UPDATE buildings SET street = ?2, numbers = ?3, postcode = ?4, city = ?5, district = ?6, apartments = ?7, owner_org_id = ?8
         WHERE id = ?1",
        params![
            before.id.to_string(),
            b.street,
            b.numbers,
            b.postcode,
            b.city,
            b.district,
            b.apartments,
            b.owner_id.to_string()
        ],
    )?;
    audit::record_edit(
        tx,
        now,
        by,
        AuditKind::BuildingChanged,
        Target::building(before.id, None),
        &changes,
    )?;
    Ok(true)
}

/// The building a safe hangs at, and the safe as it stands.
pub fn safe(conn: &Connection, id: SafeId) -> Result<Option<(BuildingId, SafeRow)>, ServerError> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT s.building_id, {SAFE_COLS}
                 FROM safes s JOIN safe_models m ON m.id = s.model_id WHERE s.id = ?1"
            ),
            [id.to_string()],
            |r| Ok((col(r, 0)?, safe_row(r, 1)?)),
        )
        .optional()?)
}

/// The model's name, if it exists.
pub fn model_name(conn: &Connection, id: SafeModelId) -> Result<String, ServerError> {
    conn.query_row(
        "SELECT name FROM safe_models WHERE id = ?1",
        [id.to_string()],
        |r| r.get(0),
    )
    .optional()?
    .ok_or(ServerError::Refused(Problem::UnknownModel))
}

/// What a safe is set to: its model, placement, status and installation day.
pub struct SafeFields {
    pub model: SafeModelId,
    pub model_name: String,
    pub placement: String,
    pub status: SafeStatus,
    pub installed_on: Option<Date>,
}

/// Adds a safe to a building that has none hanging (removed ones are history).
pub fn insert_safe(
    tx: &Connection,
    id: SafeId,
    building: BuildingId,
    s: &SafeFields,
    by: Option<PersonId>,
    now: Timestamp,
) -> Result<(), ServerError> {
    let hanging: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM safes WHERE building_id = ?1 AND status != 'removed')",
        [building.to_string()],
        |r| r.get(0),
    )?;
    if hanging {
        return Err(ServerError::Refused(Problem::SafeExists));
    }
    tx.execute(
        "INSERT INTO safes (id, building_id, model_id, placement, status, installed_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            id.to_string(),
            building.to_string(),
            s.model.to_string(),
            s.placement,
            s.status.as_str(),
            s.installed_on.map(|d| d.to_string())
        ],
    )?;
    let changes = changed(vec![
        change("model", "", &s.model_name),
        change("placement", "", &s.placement),
        change("status", "", s.status),
        change(
            "installed_on",
            "",
            s.installed_on.map(|d| d.to_string()).unwrap_or_default(),
        ),
    ]);
    audit::record_edit(
        tx,
        now,
        by,
        AuditKind::SafeAdded,
        Target::building(building, Some(id)),
        &changes,
    )
}

/// Applies an edit along the safe's life cycle; returns whether anything changed.
pub fn update_safe(
    tx: &Connection,
    building: BuildingId,
    before: &SafeRow,
    s: &SafeFields,
    by: Option<PersonId>,
    now: Timestamp,
) -> Result<bool, ServerError> {
    // "Active" means in use with a Kluis code: a safe still on its factory code becomes
    // active when its first code is confirmed, never by hand (its 5-working-day deadline
    // would vanish from the due list).
    let no_code_yet = s.status == SafeStatus::Active && !before.has_code;
    if before.status != s.status && (!before.status.can_transition_to(s.status) || no_code_yet) {
        return Err(ServerError::Refused(Problem::StatusChange {
            from: before.status,
            to: s.status,
        }));
    }
    let day = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
    let changes = changed(vec![
        change("model", &before.model, &s.model_name),
        change("placement", &before.placement, &s.placement),
        change("status", before.status, s.status),
        change(
            "installed_on",
            day(before.installed_on),
            day(s.installed_on),
        ),
    ]);
    if changes.is_empty() {
        return Ok(false);
    }
    tx.execute(
        "UPDATE safes SET model_id = ?2, placement = ?3, status = ?4, installed_on = ?5 WHERE id = ?1",
        params![
            before.id.to_string(),
            s.model.to_string(),
            s.placement,
            s.status.as_str(),
            s.installed_on.map(|d| d.to_string())
        ],
    )?;
    audit::record_edit(
        tx,
        now,
        by,
        AuditKind::SafeChanged,
        Target::building(building, Some(before.id)),
        &changes,
    )?;
    Ok(true)
}

/// Makes exactly `services` active at `building` (new ones since `today`); returns the
/// services whose scope changed (added or removed).
pub fn set_services(
    tx: &Connection,
    building: BuildingId,
    services: &BTreeSet<OrgId>,
    names: &BTreeMap<OrgId, String>,
    by: Option<PersonId>,
    today: Date,
    now: Timestamp,
) -> Result<Vec<OrgId>, ServerError> {
    let mut stmt = tx.prepare("SELECT service_id FROM service_activity WHERE building_id = ?1")?;
    let before: BTreeSet<OrgId> = stmt
        .query_map([building.to_string()], |r| col(r, 0))?
        .collect::<Result<_, _>>()?;
    let added: Vec<OrgId> = services.difference(&before).copied().collect();
    let removed: Vec<OrgId> = before.difference(services).copied().collect();
    if added.is_empty() && removed.is_empty() {
        return Ok(Vec::new());
    }
    for s in &added {
        registry::insert_activity(
            tx,
            &kluis_domain::model::ServiceActivity {
                service: *s,
                building,
                since: today,
                confirmed_on: None,
            },
        )?;
    }
    for s in &removed {
        tx.execute(
            "DELETE FROM service_activity WHERE service_id = ?1 AND building_id = ?2",
            params![s.to_string(), building.to_string()],
        )?;
    }
    let label = |set: &BTreeSet<OrgId>| {
        let mut v: Vec<&str> = set
            .iter()
            .map(|s| names.get(s).map(String::as_str).unwrap_or("?"))
            .collect();
        v.sort_unstable();
        v.join(", ")
    };
    audit::record_edit(
        tx,
        now,
        by,
        AuditKind::ActivityChanged,
        Target::building(building, None),
        &[change("services", label(&before), label(services))],
    )?;
    Ok(added.into_iter().chain(removed).collect())
}

/// The safes of a building (whatever their status): what a change to the building touches.
pub fn safes_at(conn: &Connection, building: BuildingId) -> Result<Vec<SafeId>, ServerError> {
    let mut stmt = conn.prepare_cached("SELECT id FROM safes WHERE building_id = ?1")?;
    let rows = stmt.query_map([building.to_string()], |r| col(r, 0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The services active at `building` now.
pub fn services_at(conn: &Connection, building: BuildingId) -> Result<Vec<OrgId>, ServerError> {
    let mut stmt =
        conn.prepare("SELECT service_id FROM service_activity WHERE building_id = ?1")?;
    let rows = stmt.query_map([building.to_string()], |r| col(r, 0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Every safe model, by name, with how many safes use it.
pub fn models(conn: &Connection) -> Result<Vec<ModelRow>, ServerError> {
    let counts: BTreeMap<SafeModelId, u32> = {
        let mut stmt = conn.prepare(
            "SELECT model_id, COUNT(*) FROM safes WHERE status != 'removed' GROUP BY model_id",
        )?;
        stmt.query_map([], |r| Ok((col(r, 0)?, col(r, 1)?)))?
            .collect::<Result<_, _>>()?
    };
    let mut out: Vec<ModelRow> = registry::models(conn)?
        .into_values()
        .map(|m| model_row(&m, counts.get(&m.id).copied().unwrap_or(0)))
        .collect();
    out.sort_by_key(|m| m.name.to_lowercase());
    Ok(out)
}

pub fn model_row(m: &SafeModel, safes: u32) -> ModelRow {
    let kluis_domain::safe_model::ModelKind::PushButton {
        buttons,
        min_len,
        max_len,
    } = &m.kind;
    ModelRow {
        id: m.id,
        name: m.name.clone(),
        buttons: buttons.iter().collect(),
        min_len: *min_len,
        max_len: *max_len,
        has_factory_default: m.factory_default.is_some(),
        safes,
    }
}

/// Adds a model (already validated); its name must be new.
pub fn insert_model(
    tx: &Connection,
    m: &SafeModel,
    by: Option<PersonId>,
    now: Timestamp,
) -> Result<(), ServerError> {
    let taken: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM safe_models WHERE name = ?1 COLLATE NOCASE)",
        [&m.name],
        |r| r.get(0),
    )?;
    if taken {
        return Err(ServerError::Refused(Problem::NameTaken));
    }
    registry::insert_model(tx, m)?;
    let row = model_row(m, 0);
    audit::record_edit(
        tx,
        now,
        by,
        AuditKind::ModelAdded,
        Target::default(),
        &[
            change("name", "", &row.name),
            change("buttons", "", &row.buttons),
            change("length", "", format!("{}-{}", row.min_len, row.max_len)),
        ],
    )
}
