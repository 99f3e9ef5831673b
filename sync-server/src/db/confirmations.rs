//! The six-monthly confirmation rounds: opened by the coordinator over every activity, answered
//! per address by each service's admin, closed at the deadline by the coordinator's choice.
//! Every answer and the closing leave audit rows in their transaction.

use std::collections::BTreeMap;

use kluis_api::confirmations::{
    ConfirmationItem, ConfirmationOverview, ConfirmationRound, Decision, ServiceProgress,
    TeamConfirmation, Unconfirmed,
};
use kluis_api::registry::FieldChange;
use kluis_domain::ids::{BuildingId, ConfirmationId, OrgId, PersonId};
use kluis_domain::model::AuditKind;
use kluis_domain::time::{Date, Timestamp};
use rusqlite::{Connection, OptionalExtension, params};

use super::audit::{self, Target};
use super::column::col;
use crate::error::{Problem, ServerError};

fn unconfirmed_str(u: Unconfirmed) -> &'static str {
    match u {
        Unconfirmed::Remove => "remove",
        Unconfirmed::Keep | Unconfirmed::Unknown => "keep",
    }
}

fn unconfirmed_of(s: &str) -> Unconfirmed {
    if s == "remove" {
        Unconfirmed::Remove
    } else {
        Unconfirmed::Keep
    }
}

fn decision_str(d: Decision) -> Option<&'static str> {
    match d {
        Decision::Confirmed => Some("confirmed"),
        Decision::Removed => Some("removed"),
        Decision::Lapsed => Some("lapsed"),
        Decision::Unknown => None,
    }
}

fn decision_of(s: Option<String>) -> Option<Decision> {
    s.map(|s| match s.as_str() {
        "confirmed" => Decision::Confirmed,
        "removed" => Decision::Removed,
        "lapsed" => Decision::Lapsed,
        _ => Decision::Unknown,
    })
}

const ROUND: &str = "SELECT r.id, r.opened_at, p.name, r.deadline, r.unconfirmed, r.closed_at
     FROM confirmation_rounds r JOIN people p ON p.id = r.opened_by";

fn round_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ConfirmationRound> {
    Ok(ConfirmationRound {
        id: col(r, 0)?,
        opened_at: col(r, 1)?,
        opened_by: col(r, 2)?,
        deadline: col(r, 3)?,
        unconfirmed: unconfirmed_of(&col::<String>(r, 4)?),
        closed_at: col(r, 5)?,
    })
}

/// The latest round, open or closed.
pub fn latest(conn: &Connection) -> Result<Option<ConfirmationRound>, ServerError> {
    Ok(conn
        .query_row(
            &format!("{ROUND} ORDER BY r.opened_at DESC, r.rowid DESC LIMIT 1"),
            [],
            round_row,
        )
        .optional()?)
}

/// Opens a round over every activity there is now; refused while another is open.
pub fn open(
    tx: &Connection,
    id: ConfirmationId,
    by: PersonId,
    deadline: Date,
    unconfirmed: Unconfirmed,
    now: Timestamp,
) -> Result<u32, ServerError> {
    if latest(tx)?.is_some_and(|r| r.closed_at.is_none()) {
        return Err(ServerError::Refused(Problem::ConfirmationOpen));
    }
    tx.execute(
        "INSERT INTO confirmation_rounds (id, opened_by, opened_at, deadline, unconfirmed) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            id.to_string(),
            by.to_string(),
            now.millis(),
            deadline.to_string(),
            unconfirmed_str(unconfirmed)
        ],
    )?;
    let items = tx.execute(
        "INSERT INTO confirmation_items (round_id, service_id, building_id)
         SELECT ?1, a.service_id, a.building_id FROM service_activity a
         JOIN organisations o ON o.id = a.service_id WHERE o.deactivated_at IS NULL",
        [id.to_string()],
    )?;
    audit::record_edit(
        tx,
        now,
        Some(by),
        AuditKind::ConfirmationOpened,
        Target::default(),
        &[
            FieldChange {
                field: "deadline".into(),
                before: String::new(),
                after: deadline.to_string(),
            },
            FieldChange {
                field: "addresses".into(),
                before: String::new(),
                after: items.to_string(),
            },
        ],
    )?;
    Ok(items as u32)
}

/// Removes `service`'s activity at `building`, with its audit row under the building.
fn remove_activity(
    tx: &Connection,
    service: OrgId,
    building: BuildingId,
    by: Option<PersonId>,
    now: Timestamp,
) -> Result<(), ServerError> {
    let name: String = tx.query_row(
        "SELECT name FROM organisations WHERE id = ?1",
        [service.to_string()],
        |r| r.get(0),
    )?;
    let n = tx.execute(
        "DELETE FROM service_activity WHERE service_id = ?1 AND building_id = ?2",
        params![service.to_string(), building.to_string()],
    )?;
    if n > 0 {
        audit::record_edit(
            tx,
            now,
            by,
            AuditKind::ActivityChanged,
            Target::building(building, None),
            &[FieldChange {
                field: "services".into(),
                before: name,
                after: String::new(),
            }],
        )?;
    }
    Ok(())
}

/// Closes the open round once its deadline has passed: unanswered addresses lapse and follow
/// the round's choice. Returns the services whose scope changed.
pub fn close_due(tx: &Connection, today: Date, now: Timestamp) -> Result<Vec<OrgId>, ServerError> {
    let Some(round) = latest(tx)?.filter(|r| r.closed_at.is_none() && r.deadline < today) else {
        return Ok(Vec::new());
    };
    let mut stmt = tx.prepare(
        "SELECT service_id, building_id FROM confirmation_items WHERE round_id = ?1 AND decision IS NULL",
    )?;
    let open: Vec<(OrgId, BuildingId)> = stmt
        .query_map([round.id.to_string()], |r| Ok((col(r, 0)?, col(r, 1)?)))?
        .collect::<Result<_, _>>()?;
    tx.execute(
        "UPDATE confirmation_items SET decision = 'lapsed', decided_at = ?2 WHERE round_id = ?1 AND decision IS NULL",
        params![round.id.to_string(), now.millis()],
    )?;
    let mut touched = Vec::new();
    if round.unconfirmed == Unconfirmed::Remove {
        for (service, building) in &open {
            remove_activity(tx, *service, *building, None, now)?;
            touched.push(*service);
        }
    }
    tx.execute(
        "UPDATE confirmation_rounds SET closed_at = ?2 WHERE id = ?1",
        params![round.id.to_string(), now.millis()],
    )?;
    audit::record_edit(
        tx,
        now,
        None,
        AuditKind::ConfirmationClosed,
        Target::default(),
        &[FieldChange {
            field: "lapsed".into(),
            before: String::new(),
            after: open.len().to_string(),
        }],
    )?;
    touched.sort_unstable();
    touched.dedup();
    Ok(touched)
}

/// The latest round and, per service in it, how far it is.
pub fn overview(conn: &Connection) -> Result<ConfirmationOverview, ServerError> {
    let Some(round) = latest(conn)? else {
        return Ok(ConfirmationOverview {
            round: None,
            services: Vec::new(),
        });
    };
    let mut stmt = conn.prepare(
        "SELECT i.service_id, o.name, COUNT(*),
                COUNT(CASE WHEN i.decision = 'confirmed' THEN 1 END),
                COUNT(CASE WHEN i.decision = 'removed' THEN 1 END),
                COUNT(CASE WHEN i.decision IS NULL OR i.decision = 'lapsed' THEN 1 END),
                (SELECT p.name FROM confirmation_items j JOIN people p ON p.id = j.decided_by
                  WHERE j.round_id = i.round_id AND j.service_id = i.service_id
                  ORDER BY j.decided_at DESC LIMIT 1),
                MAX(CASE WHEN i.decided_by IS NOT NULL THEN i.decided_at END)
         FROM confirmation_items i JOIN organisations o ON o.id = i.service_id
         WHERE i.round_id = ?1 GROUP BY i.service_id ORDER BY o.name COLLATE NOCASE",
    )?;
    let services = stmt
        .query_map([round.id.to_string()], |r| {
            Ok(ServiceProgress {
                service_id: col(r, 0)?,
                service: col(r, 1)?,
                addresses: col(r, 2)?,
                confirmed: col(r, 3)?,
                removed: col(r, 4)?,
                open: col(r, 5)?,
                last_answer_by: col(r, 6)?,
                last_answer_at: col(r, 7)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(ConfirmationOverview {
        round: Some(round),
        services,
    })
}

/// The latest round as `service` answers it: its addresses, by street.
pub fn team(conn: &Connection, service: OrgId) -> Result<TeamConfirmation, ServerError> {
    let Some(round) = latest(conn)? else {
        return Ok(TeamConfirmation {
            round: None,
            items: Vec::new(),
        });
    };
    let mut stmt = conn.prepare(
        "SELECT i.building_id, b.street || ' ' || b.numbers || ', ' || b.postcode || ' ' || b.city,
                b.district, COALESCE(a.since, ''), i.decision, p.name
         FROM confirmation_items i JOIN buildings b ON b.id = i.building_id
         LEFT JOIN service_activity a ON a.service_id = i.service_id AND a.building_id = i.building_id
         LEFT JOIN people p ON p.id = i.decided_by
         WHERE i.round_id = ?1 AND i.service_id = ?2
         ORDER BY b.street COLLATE NOCASE, b.numbers",
    )?;
    let items: Vec<ConfirmationItem> = stmt
        .query_map(params![round.id.to_string(), service.to_string()], |r| {
            let since: String = r.get(3)?;
            Ok(ConfirmationItem {
                building_id: col(r, 0)?,
                address: col(r, 1)?,
                district: col(r, 2)?,
                since: since.parse().unwrap_or(Date {
                    year: 1970,
                    month: 1,
                    day: 1,
                }),
                decision: decision_of(col(r, 4)?),
                decided_by: col(r, 5)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    if items.is_empty() {
        return Ok(TeamConfirmation { round: None, items });
    }
    Ok(TeamConfirmation {
        round: Some(round),
        items,
    })
}

/// Records `service`'s answers in the open round: a confirmation sets `confirmed_on`, a
/// removal ends the activity at once. Returns whether the scope changed.
pub fn answer(
    tx: &Connection,
    service: OrgId,
    by: PersonId,
    answers: &[(BuildingId, Decision)],
    today: Date,
    now: Timestamp,
) -> Result<bool, ServerError> {
    let Some(round) = latest(tx)?.filter(|r| r.closed_at.is_none()) else {
        return Err(ServerError::Refused(Problem::NoConfirmationOpen));
    };
    let mut current: BTreeMap<BuildingId, Option<Decision>> = BTreeMap::new();
    {
        let mut stmt = tx.prepare(
            "SELECT building_id, decision FROM confirmation_items WHERE round_id = ?1 AND service_id = ?2",
        )?;
        for row in stmt.query_map(params![round.id.to_string(), service.to_string()], |r| {
            Ok((col::<BuildingId>(r, 0)?, decision_of(col(r, 1)?)))
        })? {
            let (b, d) = row?;
            current.insert(b, d);
        }
    }
    let mut changed_scope = false;
    for (building, decision) in answers {
        let Some(before) = current.get(building) else {
            return Err(ServerError::Refused(Problem::NotInConfirmation));
        };
        let text = match decision {
            Decision::Confirmed | Decision::Removed => decision_str(*decision),
            _ => None,
        }
        .ok_or(ServerError::Refused(Problem::NotInConfirmation))?;
        match before {
            Some(Decision::Removed) if *decision == Decision::Removed => continue,
            Some(Decision::Removed) => return Err(ServerError::Refused(Problem::DecisionFinal)),
            Some(Decision::Confirmed) if *decision == Decision::Confirmed => continue,
            _ => {}
        }
        tx.execute(
            "UPDATE confirmation_items SET decision = ?4, decided_by = ?5, decided_at = ?6
             WHERE round_id = ?1 AND service_id = ?2 AND building_id = ?3",
            params![
                round.id.to_string(),
                service.to_string(),
                building.to_string(),
                text,
                by.to_string(),
                now.millis()
            ],
        )?;
        if *decision == Decision::Confirmed {
            tx.execute(
                "UPDATE service_activity SET confirmed_on = ?3 WHERE service_id = ?1 AND building_id = ?2",
                params![service.to_string(), building.to_string(), today.to_string()],
            )?;
        } else {
            remove_activity(tx, service, *building, Some(by), now)?;
            changed_scope = true;
        }
        audit::record_edit(
            tx,
            now,
            Some(by),
            AuditKind::ActivityConfirmed,
            Target {
                building: Some(*building),
                org: Some(service),
                ..Target::default()
            },
            &[FieldChange {
                field: "confirmation".into(),
                before: String::new(),
                after: text.into(),
            }],
        )?;
    }
    Ok(changed_scope)
}
