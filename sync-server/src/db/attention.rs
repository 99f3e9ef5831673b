//! What each start screen lists first and each tab counts: small counting queries over the
//! tables the inboxes read, so the counts and the lists they lead to cannot disagree.

use kluis_api::attention::{Attention, AttentionItem, AttentionKind};
use kluis_domain::accounts::ACCESS_ENDING_NOTICE_DAYS;
use kluis_domain::calendar::WorkingCalendar;
use kluis_domain::ids::OrgId;
use kluis_domain::time::Date;
use rusqlite::{Connection, params};

use super::column::col;
use super::{confirmations, reports};
use crate::error::ServerError;

fn item(kind: AttentionKind, count: u32, due: Option<Date>) -> AttentionItem {
    AttentionItem { kind, count, due }
}

fn count(conn: &Connection, sql: &str, args: impl rusqlite::Params) -> Result<u32, ServerError> {
    Ok(conn.query_row(sql, args, |r| r.get(0))?)
}

/// Active people (of `org`, or everyone) whose access ends within the notice period: how
/// many, and the first day one ends.
fn access_ending(
    conn: &Connection,
    org: Option<OrgId>,
    today: Date,
) -> Result<AttentionItem, ServerError> {
    let last = today.add_days(ACCESS_ENDING_NOTICE_DAYS);
    let (n, first): (u32, Option<Date>) = conn.query_row(
        "SELECT COUNT(*), MIN(valid_until) FROM people
         WHERE revoked_at IS NULL AND valid_until >= ?1 AND valid_until <= ?2
           AND (?3 IS NULL OR org_id = ?3)",
        params![
            today.to_string(),
            last.to_string(),
            org.map(|o| o.to_string())
        ],
        |r| Ok((r.get(0)?, col(r, 1)?)),
    )?;
    Ok(item(AttentionKind::AccountsExpiring, n, first))
}

pub fn coordinator(
    conn: &Connection,
    calendar: &WorkingCalendar,
    today: Date,
) -> Result<Attention, ServerError> {
    let due = reports::due(conn, calendar, today)?;
    let first_overdue = due.overdue.iter().map(|d| d.due_on).min();
    let first_this_week = due.this_week.iter().map(|d| d.due_on).min();
    let new_reports = count(
        conn,
        "SELECT COUNT(*) FROM door_reports WHERE outcome IS NULL",
        [],
    )?;
    let waiting = count(
        conn,
        "SELECT COUNT(*) FROM safe_requests WHERE status = 'requested'",
        [],
    )?;
    let repairs = count(
        conn,
        "SELECT COUNT(*) FROM repair_items WHERE resolved_at IS NULL",
        [],
    )?;
    let overview = confirmations::overview(conn)?;
    let (unconfirmed, deadline) = match &overview.round {
        Some(round) if round.closed_at.is_none() => (
            overview.services.iter().filter(|s| s.open > 0).count() as u32,
            Some(round.deadline),
        ),
        _ => (0, None),
    };
    Ok(Attention::new(
        today,
        [
            item(
                AttentionKind::CodesOverdue,
                due.overdue.len() as u32,
                first_overdue,
            ),
            item(
                AttentionKind::CodesDueThisWeek,
                due.this_week.len() as u32,
                first_this_week,
            ),
            item(AttentionKind::ReportsNew, new_reports, None),
            item(AttentionKind::RequestsWaiting, waiting, None),
            item(AttentionKind::ServicesUnconfirmed, unconfirmed, deadline),
            item(AttentionKind::RepairsOpen, repairs, None),
            access_ending(conn, None, today)?,
        ],
    ))
}

pub fn service(conn: &Connection, org: OrgId, today: Date) -> Result<Attention, ServerError> {
    let team = confirmations::team(conn, org)?;
    let confirmation = match &team.round {
        Some(round) if round.closed_at.is_none() => item(
            AttentionKind::ConfirmationOpen,
            team.items.iter().filter(|i| i.decision.is_none()).count() as u32,
            Some(round.deadline),
        ),
        _ => item(AttentionKind::ConfirmationOpen, 0, None),
    };
    Ok(Attention::new(
        today,
        [confirmation, access_ending(conn, Some(org), today)?],
    ))
}

pub fn company(conn: &Connection, org: OrgId, today: Date) -> Result<Attention, ServerError> {
    let org = org.to_string();
    let repairs = count(
        conn,
        "SELECT COUNT(*) FROM repair_items WHERE resolved_at IS NULL AND owner_org_id = ?1",
        [&org],
    )?;
    let to_install = count(
        conn,
        "SELECT COUNT(*) FROM safe_requests WHERE status = 'approved' AND owner_org_id = ?1",
        [&org],
    )?;
    Ok(Attention::new(
        today,
        [
            item(AttentionKind::RepairsOpen, repairs, None),
            item(AttentionKind::RequestsToInstall, to_install, None),
        ],
    ))
}
