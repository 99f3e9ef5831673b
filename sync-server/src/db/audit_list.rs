//! The audit trail as the audit screen reads it: filtered, newest first by the server's
//! receive time, paged by cursor (a page never shifts when new rows come in), and the same
//! filter as rows for the CSV export.

use kluis_api::audit::{AuditCursor, AuditPage, AuditRow};
use kluis_domain::ids::{OrgId, PersonId, SafeId};
use kluis_domain::model::AuditKind;
use kluis_domain::time::Timestamp;
use rusqlite::Connection;
use rusqlite::types::Value;

use super::column::col;
use crate::error::ServerError;

/// Which rows: every field narrows; the scope fields are set by who asks, not by the query.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Rows by or about this person.
    pub person: Option<PersonId>,
    /// Rows by, or about, this organisation or its people.
    pub org: Option<OrgId>,
    /// Only rows by people of this organisation (a service admin's scope).
    pub actor_org: Option<OrgId>,
    pub safe: Option<SafeId>,
    /// Only these kinds; none: every kind.
    pub kinds: Option<Vec<AuditKind>>,
    /// Received at or after.
    pub from: Option<Timestamp>,
    /// Received before.
    pub until: Option<Timestamp>,
}

const FROM: &str = "FROM audit_events e
    LEFT JOIN people p ON p.id = e.person_id
    LEFT JOIN organisations o ON o.id = p.org_id
    LEFT JOIN people sp ON sp.id = e.subject_id
    LEFT JOIN safes s ON s.id = e.safe_id
    LEFT JOIN buildings b ON b.id = COALESCE(s.building_id, e.building_id)";

impl Filter {
    /// The WHERE clause and its values, numbered from `?1`.
    fn clause(&self, before: Option<AuditCursor>) -> (String, Vec<Value>) {
        let mut terms: Vec<String> = Vec::new();
        let mut values: Vec<Value> = Vec::new();
        let mut push = |term: &str, value: Value, terms: &mut Vec<String>| {
            values.push(value);
            terms.push(term.replace('?', &format!("?{}", values.len())));
        };
        if let Some(person) = self.person {
            push(
                "(e.person_id = ? OR e.subject_id = ?)",
                Value::Text(person.to_string()),
                &mut terms,
            );
        }
        if let Some(org) = self.org {
            push(
                "(p.org_id = ? OR e.org_id = ? OR sp.org_id = ?)",
                Value::Text(org.to_string()),
                &mut terms,
            );
        }
        if let Some(org) = self.actor_org {
            push("p.org_id = ?", Value::Text(org.to_string()), &mut terms);
        }
        if let Some(safe) = self.safe {
            push("e.safe_id = ?", Value::Text(safe.to_string()), &mut terms);
        }
        if let Some(kinds) = &self.kinds {
            let list: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
            let json = serde_json::to_string(&list).unwrap_or_else(|_| "[]".into());
            push(
                "e.kind IN (SELECT value FROM json_each(?))",
                Value::Text(json),
                &mut terms,
            );
        }
        if let Some(from) = self.from {
            push(
                "e.recorded_at >= ?",
                Value::Integer(from.millis()),
                &mut terms,
            );
        }
        if let Some(until) = self.until {
            push(
                "e.recorded_at < ?",
                Value::Integer(until.millis()),
                &mut terms,
            );
        }
        if let Some(c) = before {
            values.push(Value::Integer(c.recorded_at.millis()));
            values.push(Value::Integer(c.seq));
            let (a, b) = (values.len() - 1, values.len());
            terms.push(format!("(e.recorded_at, e.rowid) < (?{a}, ?{b})"));
        }
        let clause = if terms.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", terms.join(" AND "))
        };
        (clause, values)
    }
}

/// One pass over the rows `filter` and `before` select, newest first, at most `limit`.
fn rows(
    conn: &Connection,
    filter: &Filter,
    before: Option<AuditCursor>,
    limit: u32,
) -> Result<Vec<(AuditCursor, AuditRow)>, ServerError> {
    let (clause, mut values) = filter.clause(before);
    values.push(Value::Integer(i64::from(limit)));
    let sql = format!(
        "SELECT e.rowid, e.id, e.recorded_at, e.at, e.kind, e.person_id, p.name, o.name,
                e.device_id, e.safe_id, b.street || ' ' || b.numbers, sp.name, e.detail
         {FROM} {clause} ORDER BY e.recorded_at DESC, e.rowid DESC LIMIT ?{}",
        values.len()
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(values), |r| {
        let recorded_at: Timestamp = col(r, 2)?;
        Ok((
            AuditCursor {
                recorded_at,
                seq: r.get(0)?,
            },
            AuditRow {
                id: col(r, 1)?,
                recorded_at,
                at: col(r, 3)?,
                kind: col(r, 4)?,
                person_id: col(r, 5)?,
                person: col(r, 6)?,
                organisation: col(r, 7)?,
                device_id: col(r, 8)?,
                safe_id: col(r, 9)?,
                address: col(r, 10)?,
                subject: col(r, 11)?,
                detail: col(r, 12)?,
            },
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A page of at most `limit` rows below `before`, with the filter's total.
pub fn page(
    conn: &Connection,
    filter: &Filter,
    before: Option<AuditCursor>,
    limit: u32,
) -> Result<AuditPage, ServerError> {
    // One more than asked says whether a next page exists.
    let mut found = rows(conn, filter, before, limit.saturating_add(1))?;
    let more = found.len() > limit as usize;
    found.truncate(limit as usize);
    let next = more.then(|| found.last().map(|(c, _)| *c)).flatten();
    let (clause, values) = filter.clause(None);
    let total: i64 = conn.query_row(
        &format!("SELECT COUNT(*) {FROM} {clause}"),
        rusqlite::params_from_iter(values),
        |r| r.get(0),
    )?;
    Ok(AuditPage {
        rows: found.into_iter().map(|(_, row)| row).collect(),
        total: u64::try_from(total).unwrap_or(0),
        next,
    })
}

/// The rows of an export: the newest `limit` the filter selects.
pub fn export(
    conn: &Connection,
    filter: &Filter,
    limit: u32,
) -> Result<Vec<AuditRow>, ServerError> {
    Ok(rows(conn, filter, None, limit)?
        .into_iter()
        .map(|(_, row)| row)
        .collect())
}
