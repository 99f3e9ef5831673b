//! What a home-care service's carers may see, read from the registry: the only queries that
//! feed a carer's device. The whole scope for a rebuild, or a few safes of it for an
//! incremental update (`Scopes::refresh_safes`); both read through the same statements, so the
//! two cannot disagree on what is in a scope.

use std::collections::BTreeMap;

use kluis_crypto::SecretKey;
use kluis_domain::ids::{CodeId, OrgId, SafeId};
use kluis_domain::model::CodeState;
use kluis_domain::schema::{CodeView, ModelView, SafeView, ScopeSettings, ScopeView};
use kluis_domain::time::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};

use super::column::parse_col;
use super::registry::{models, open_code};
use crate::error::ServerError;

/// The safes in a scope: not requested, not removed, at a building where the service is active.
const SAFES: &str = "SELECT s.id, b.street, b.numbers, b.postcode, b.city, b.district, b.apartments, s.placement, s.model_id, s.status
     FROM safes s JOIN buildings b ON b.id = s.building_id
     JOIN service_activity a ON a.building_id = b.id AND a.service_id = ?1
     WHERE s.status NOT IN ('requested', 'removed')";

/// Their current code; during the grace period (retired at or after ?2) the previous one; and
/// the pending code of a live campaign item (open or failed), which a volunteer may already
/// have set. A pending code whose item was cancelled or re-keyed is retired, never read here.
const CODES: &str =
    "SELECT c.id, c.safe_id, c.sealed_value, c.state, COALESCE(c.activated_at, c.created_at)
     FROM codes c JOIN safes s ON s.id = c.safe_id
     JOIN service_activity a ON a.building_id = s.building_id AND a.service_id = ?1
     WHERE (c.state = 'current' OR (c.state = 'previous' AND c.retired_at >= ?2)
       OR (c.state = 'pending' AND EXISTS (SELECT 1 FROM campaign_items i
             WHERE i.pending_code_id = c.id AND i.status IN ('open', 'failed'))))";

/// Everything one home-care service may see: the safes at the buildings where it is active,
/// with the current code, during the grace period the previous one, and during a campaign
/// the new one.
pub fn scope_view(
    conn: &Connection,
    key: &SecretKey,
    service: OrgId,
    settings: &ScopeSettings,
    now: Timestamp,
) -> Result<ScopeView, ServerError> {
    let service_name: String = conn
        .query_row(
            "SELECT name FROM organisations WHERE id = ?1 AND kind = 'care_service'",
            [service.to_string()],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| ServerError::NotFound("home-care service".into()))?;
    let safes = read(conn, key, service, settings, now, None)?;
    let models = models(conn)?
        .into_values()
        .map(|m| {
            let buttons = match &m.kind {
                kluis_domain::safe_model::ModelKind::PushButton { buttons, .. } => {
                    buttons.iter().collect()
                }
            };
            (
                m.id,
                ModelView {
                    name: m.name,
                    buttons,
                },
            )
        })
        .collect();
    Ok(ScopeView {
        service,
        service_name,
        settings: settings.clone(),
        models,
        safes,
    })
}

/// The given safes as the service's scope holds them now (`None`: not in the scope), read
/// with an indexed look-up each: the work is that of these safes, not of the scope.
pub fn scope_safes(
    conn: &Connection,
    key: &SecretKey,
    service: OrgId,
    settings: &ScopeSettings,
    now: Timestamp,
    safes: &[SafeId],
) -> Result<BTreeMap<SafeId, Option<SafeView>>, ServerError> {
    let mut out = BTreeMap::new();
    for safe in safes {
        let mut found = read(conn, key, service, settings, now, Some(*safe))?;
        out.insert(*safe, found.remove(safe));
    }
    Ok(out)
}

fn read(
    conn: &Connection,
    key: &SecretKey,
    service: OrgId,
    settings: &ScopeSettings,
    now: Timestamp,
    only: Option<SafeId>,
) -> Result<BTreeMap<SafeId, SafeView>, ServerError> {
    let grace_start = now.plus_days(-i64::from(settings.grace_days)).millis();
    let (safes_sql, codes_sql) = match only {
        None => (SAFES.to_string(), CODES.to_string()),
        Some(_) => (
            format!("{SAFES} AND s.id = ?2"),
            format!("{CODES} AND s.id = ?3"),
        ),
    };
    let only = only.map(|s| s.to_string());

    let mut stmt = conn.prepare_cached(&safes_sql)?;
    let map_safe = |r: &rusqlite::Row<'_>| {
        Ok((
            parse_col::<SafeId>(r, 0)?,
            SafeView {
                street: r.get(1)?,
                numbers: parse_col(r, 2)?,
                postcode: r.get(3)?,
                city: r.get(4)?,
                district: r.get(5)?,
                apartments: r.get(6)?,
                placement: r.get(7)?,
                model: parse_col(r, 8)?,
                status: parse_col(r, 9)?,
                code: None,
                previous_code: None,
                new_code: None,
            },
        ))
    };
    let mut safes = BTreeMap::new();
    let rows: Vec<(SafeId, SafeView)> = match &only {
        None => stmt
            .query_map([service.to_string()], map_safe)?
            .collect::<Result<_, _>>()?,
        Some(id) => stmt
            .query_map(params![service.to_string(), id], map_safe)?
            .collect::<Result<_, _>>()?,
    };
    safes.extend(rows);

    let mut stmt = conn.prepare_cached(&codes_sql)?;
    let map_code = |r: &rusqlite::Row<'_>| {
        Ok((
            parse_col::<CodeId>(r, 0)?,
            parse_col::<SafeId>(r, 1)?,
            r.get::<_, Vec<u8>>(2)?,
            parse_col::<CodeState>(r, 3)?,
            r.get::<_, Option<i64>>(4)?,
        ))
    };
    type CodeRow = (CodeId, SafeId, Vec<u8>, CodeState, Option<i64>);
    let rows: Vec<CodeRow> = match &only {
        None => stmt
            .query_map(params![service.to_string(), grace_start], map_code)?
            .collect::<Result<_, _>>()?,
        Some(id) => stmt
            .query_map(params![service.to_string(), grace_start, id], map_code)?
            .collect::<Result<_, _>>()?,
    };
    for (code_id, safe_id, sealed, state, activated) in rows {
        let Some(view) = safes.get_mut(&safe_id) else {
            continue;
        };
        let value = open_code(key, safe_id, code_id, &sealed)?;
        let code = Some(CodeView {
            value,
            since: Timestamp::from_millis(activated.unwrap_or(0)),
        });
        match state {
            CodeState::Current => view.code = code,
            CodeState::Pending => view.new_code = code,
            CodeState::Previous | CodeState::Retired => view.previous_code = code,
        }
    }
    Ok(safes)
}
