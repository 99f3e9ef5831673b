//! The registry as a file in the import format: one line per entrance with its hanging safe
//! and services, and with the current codes only when asked (the caller audits that).

use std::collections::HashMap;

use kluis_api::import::{ImportColumn, RegistryExport, day_text, defuse, status_word};
use kluis_crypto::SecretKey;
use kluis_domain::ids::SafeId;
use kluis_domain::model::SafeStatus;
use kluis_domain::time::{Date, Timestamp};
use rusqlite::Connection;

use super::snapshot;
use crate::db::column::col;
use crate::error::ServerError;

/// The day each current code was set, by safe (none: not known, e.g. imported without it).
fn code_since(conn: &Connection) -> Result<HashMap<SafeId, Date>, ServerError> {
    let mut stmt = conn.prepare(
        "SELECT safe_id, activated_at FROM codes WHERE state = 'current' AND activated_at IS NOT NULL",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((col::<SafeId>(r, 0)?, col::<Timestamp>(r, 1)?.date_utc()))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Writes the registry; `with_codes` adds each safe's current code.
pub fn export(
    conn: &Connection,
    key: &SecretKey,
    with_codes: bool,
    today: Date,
) -> Result<RegistryExport, ServerError> {
    let snap = snapshot(conn, key)?;
    let since = code_since(conn)?;
    let columns: Vec<ImportColumn> = ImportColumn::ALL
        .into_iter()
        .filter(|c| with_codes || *c != ImportColumn::Code)
        .collect();
    let header = columns.iter().map(|c| c.header().to_string()).collect();
    let mut lines = Vec::with_capacity(snap.buildings.len());
    for b in &snap.buildings {
        let safe = b.safes.iter().find(|s| s.status != SafeStatus::Removed);
        let services: Vec<&str> = b.services.iter().map(|a| a.service.as_str()).collect();
        let field = |c: ImportColumn| -> String {
            use ImportColumn as C;
            let day = |d: Option<Date>| d.map(day_text).unwrap_or_default();
            match (c, safe) {
                (C::Street, _) => b.street.clone(),
                (C::Numbers, _) => b.numbers.clone(),
                (C::Postcode, _) => b.postcode.clone(),
                (C::City, _) => b.city.clone(),
                (C::District, _) => b.district.clone(),
                (C::Apartments, _) => b.apartments.to_string(),
                (C::Owner, _) => b.owner.clone(),
                (C::Services, _) => services.join(" | "),
                (_, None) => String::new(),
                (C::Model, Some(s)) => s.model.clone(),
                (C::Placement, Some(s)) => s.placement.clone(),
                (C::Status, Some(s)) => status_word(s.status).to_string(),
                (C::InstalledOn, Some(s)) => day(s.installed_on),
                (C::Code, Some(s)) => snap
                    .current
                    .get(&s.id)
                    .map(|c| c.buttons().iter().collect())
                    .unwrap_or_default(),
                (C::CodeSince, Some(s)) => day(since.get(&s.id).copied()),
                (C::Unknown, _) => String::new(),
            }
        };
        lines.push(columns.iter().map(|c| field(*c)).collect());
    }
    let rows = u32::try_from(lines.len()).unwrap_or(u32::MAX);
    let csv = spreadsheet(header, lines)?;
    let kind = if with_codes { "-met-codes" } else { "" };
    Ok(RegistryExport {
        file_name: format!("kluis-register{kind}-{today}.csv"),
        csv,
        rows,
    })
}

/// A file Belgian Excel opens as it is: `;` between fields (the comma is the decimal sign),
/// UTF-8 after a byte-order mark, CRLF, and every field defused so that no text runs as a
/// formula (a whole number, also a negative one, is left as it is: it cannot run). The
/// registry export and the evaluation's both write through here.
pub fn spreadsheet(header: Vec<String>, lines: Vec<Vec<String>>) -> Result<String, ServerError> {
    let fail = |e: csv::Error| ServerError::Invalid(format!("writing the export: {e}"));
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        for line in std::iter::once(header).chain(lines) {
            w.write_record(line.iter().map(|f| match f.parse::<i64>() {
                Ok(_) => f.clone(),
                Err(_) => defuse(f).into_owned(),
            }))
            .map_err(fail)?;
        }
        w.flush()
            .map_err(|e| ServerError::Invalid(format!("writing the export: {e}")))?;
    }
    String::from_utf8(out).map_err(|_| ServerError::Invalid("the export is not text".into()))
}
