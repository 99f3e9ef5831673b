//! The coordinator's settings for the code lifecycle, and the office's closing days. The
//! settings a device needs offline (idle lock, grace days, lease) stay in the server's
//! configuration ([`crate::Settings`]) and travel in the scope documents.

use kluis_domain::calendar::WorkingCalendar;
use kluis_domain::schema::ScopeSettings;
use kluis_domain::time::Date;
use rusqlite::Connection;

use super::registry::parse_col;
use crate::error::ServerError;

/// How campaigns are planned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LifecycleSettings {
    /// A retired code stays blocked this long, so it does not come back on another safe
    /// while people still remember it.
    pub quarantine_days: u32,
    /// Most safes in one volunteer round.
    pub max_round_size: u32,
    /// Codes per model a rotation campaign leaves free for urgent changes.
    pub reserve_per_model: u32,
    /// Rounds a volunteer may hold at once by taking them; the coordinator can assign more.
    /// Every round a phone holds carries the current and the new code of its safes.
    pub max_rounds_per_volunteer: u32,
}

pub fn lifecycle(conn: &Connection) -> Result<LifecycleSettings, ServerError> {
    Ok(conn.query_row(
        "SELECT quarantine_days, max_round_size, reserve_per_model, max_rounds_per_volunteer FROM coordinator_settings WHERE id = 1",
        [],
        |r| {
            Ok(LifecycleSettings {
                quarantine_days: r.get(0)?,
                max_round_size: r.get(1)?,
                reserve_per_model: r.get(2)?,
                max_rounds_per_volunteer: r.get(3)?,
            })
        },
    )?)
}

/// Monday-Friday minus Belgian public holidays minus the office's closing days.
pub fn calendar(conn: &Connection) -> Result<WorkingCalendar, ServerError> {
    let mut stmt = conn.prepare("SELECT day FROM closing_days")?;
    let days = stmt
        .query_map([], |r| parse_col::<Date>(r, 0))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(WorkingCalendar::with_closing_days(days))
}

/// The settings devices get in their scope documents: what the coordinator chose, else the
/// server configuration's `defaults`.
pub fn device_settings(
    conn: &Connection,
    defaults: &ScopeSettings,
) -> Result<ScopeSettings, ServerError> {
    let (grace, idle, lease): (Option<u32>, Option<u32>, Option<u32>) = conn.query_row(
        "SELECT device_grace_period_days, device_lock_after_secs, device_lease_hours FROM coordinator_settings WHERE id = 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    Ok(ScopeSettings {
        grace_days: grace.unwrap_or(defaults.grace_days),
        idle_lock_secs: idle.unwrap_or(defaults.idle_lock_secs),
        lease_hours: lease.unwrap_or(defaults.lease_hours),
    })
}

/// Stores the coordinator's device settings.
pub fn set_device_settings(conn: &Connection, s: &ScopeSettings) -> Result<(), ServerError> {
    conn.execute(
        "UPDATE coordinator_settings SET device_grace_period_days = ?1, device_lock_after_secs = ?2, device_lease_hours = ?3 WHERE id = 1",
        rusqlite::params![s.grace_days, s.idle_lock_secs, s.lease_hours],
    )?;
    Ok(())
}

/// Replaces the lifecycle settings; the table's CHECKs are the last line behind the API's
/// validation.
pub fn set_lifecycle(conn: &Connection, settings: LifecycleSettings) -> Result<(), ServerError> {
    conn.execute(
        "UPDATE coordinator_settings SET quarantine_days = ?1, max_round_size = ?2, reserve_per_model = ?3, max_rounds_per_volunteer = ?4 WHERE id = 1",
        rusqlite::params![
            settings.quarantine_days,
            settings.max_round_size,
            settings.reserve_per_model,
            settings.max_rounds_per_volunteer
        ],
    )?;
    Ok(())
}

/// The office's closing days, earliest first, with their labels.
pub fn closing_days(conn: &Connection) -> Result<Vec<(Date, String)>, ServerError> {
    let mut stmt = conn.prepare("SELECT day, label FROM closing_days ORDER BY day")?;
    let days = stmt
        .query_map([], |r| Ok((parse_col::<Date>(r, 0)?, r.get(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(days)
}

/// Adds (or relabels) a closing day.
pub fn put_closing_day(conn: &Connection, day: Date, label: &str) -> Result<(), ServerError> {
    conn.execute(
        "INSERT INTO closing_days (day, label) VALUES (?1, ?2)
         ON CONFLICT (day) DO UPDATE SET label = excluded.label",
        rusqlite::params![day.to_string(), label],
    )?;
    Ok(())
}

/// Removes a closing day; false when it was not one.
pub fn delete_closing_day(conn: &Connection, day: Date) -> Result<bool, ServerError> {
    Ok(conn.execute("DELETE FROM closing_days WHERE day = ?1", [day.to_string()])? > 0)
}
