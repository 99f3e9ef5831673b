//! What a device's outbox brought: each event not seen before is checked against the
//! database as it stands when the sync commits, then recorded where it belongs, or recorded
//! as refused. A refused event never blocks the outbox (the phone could not send anything
//! after it), and never changes a code.

use kluis_domain::ids::{EventId, SafeId};
use kluis_domain::model::AuditKind;
use kluis_domain::model::Role;
use kluis_domain::schema::DeviceEvent;
use rusqlite::Connection;

use super::SyncContext;
use crate::db::accounts::Actor;
use crate::db::changes::{self, Applied, Record};
use crate::db::{audit, door};
use crate::error::ServerError;
use crate::state::OsRandom;

/// Why an event may not take effect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Refusal {
    /// A reveal of a safe the device's scope does not hold.
    OutsideScope,
    /// A code-change record from someone who is not a volunteer.
    NotAVolunteer,
    /// A code-change record about a safe in no round the volunteer holds now: the round went
    /// to someone else (its pending codes were replaced), or never was theirs.
    RoundNotHeld,
}

impl Refusal {
    fn as_str(self) -> &'static str {
        match self {
            Refusal::OutsideScope => "outside_scope",
            Refusal::NotAVolunteer => "not_a_volunteer",
            Refusal::RoundNotHeld => "round_not_held",
        }
    }
}

fn kind_of(event: &DeviceEvent) -> AuditKind {
    match event {
        DeviceEvent::CodeRevealed { .. } => AuditKind::CodeRevealed,
        DeviceEvent::CodeSet { .. } => AuditKind::CodeSet,
        DeviceEvent::ChangeFailed { .. } => AuditKind::ChangeFailed,
        DeviceEvent::ProblemReported { .. } => AuditKind::ProblemReported,
    }
}

fn safe_of(event: &DeviceEvent) -> SafeId {
    match event {
        DeviceEvent::CodeRevealed { safe, .. }
        | DeviceEvent::CodeSet { safe, .. }
        | DeviceEvent::ChangeFailed { safe, .. }
        | DeviceEvent::ProblemReported { safe, .. } => *safe,
    }
}

/// The moment a device says an event happened, kept for the trail but never before the device
/// was enrolled nor after the server received it: a phone's clock can be wrong or set.
fn device_time(
    conn: &Connection,
    actor: &Actor,
    said: kluis_domain::time::Timestamp,
    now: kluis_domain::time::Timestamp,
) -> Result<kluis_domain::time::Timestamp, ServerError> {
    let enrolled: i64 = conn.query_row(
        "SELECT enrolled_at FROM devices WHERE id = ?1",
        [actor.device.to_string()],
        |r| r.get(0),
    )?;
    Ok(kluis_domain::time::Timestamp::from_millis(
        said.millis().max(enrolled).min(now.millis()),
    ))
}

/// Events that name a safe the device must see: a reveal, a report from the door.
pub(super) fn needs_scope(event: &DeviceEvent) -> Option<SafeId> {
    match event {
        DeviceEvent::CodeRevealed { safe, .. } | DeviceEvent::ProblemReported { safe, .. } => {
            Some(*safe)
        }
        DeviceEvent::CodeSet { .. } | DeviceEvent::ChangeFailed { .. } => None,
    }
}

/// Records one outbox event once: checked, then in the audit trail (and for a volunteer's
/// record also the change records and whatever follows), or in the audit trail as refused.
/// `visible` are the safes of the device's scope that its reveals named.
pub(super) fn take_event(
    conn: &Connection,
    ctx: &SyncContext<'_>,
    actor: &Actor,
    visible: &[SafeId],
    event_id: EventId,
    event: DeviceEvent,
    applied: &mut Applied,
) -> Result<(), ServerError> {
    if audit::exists(conn, event_id)? {
        return Ok(());
    }
    let safe = safe_of(&event);
    let kind = kind_of(&event);
    let volunteer = actor.person.role == Role::Volunteer;
    let (at, detail, failure) = match &event {
        DeviceEvent::CodeRevealed { at, .. } | DeviceEvent::CodeSet { at, .. } => {
            (*at, String::new(), None)
        }
        DeviceEvent::ChangeFailed {
            reason, note, at, ..
        } => (
            *at,
            format!("{reason}: {note}"),
            Some((*reason, note.clone())),
        ),
        DeviceEvent::ProblemReported {
            problem, note, at, ..
        } => (*at, format!("{problem}: {note}"), None),
    };
    let at = device_time(conn, actor, at, ctx.now)?;
    let campaign = if volunteer {
        changes::item_for(conn, actor.person.id, safe)?
    } else {
        None
    };
    let refusal = match &event {
        DeviceEvent::CodeRevealed { .. } | DeviceEvent::ProblemReported { .. } => {
            (!visible.contains(&safe) && campaign.is_none()).then_some(Refusal::OutsideScope)
        }
        DeviceEvent::CodeSet { .. } | DeviceEvent::ChangeFailed { .. } if !volunteer => {
            Some(Refusal::NotAVolunteer)
        }
        _ => campaign.is_none().then_some(Refusal::RoundNotHeld),
    };
    if let Some(why) = refusal {
        tracing::warn!(device = %actor.device, %safe, kind = kind.as_str(), why = why.as_str(), "outbox event refused");
        audit::record(
            conn,
            event_id,
            at,
            ctx.now,
            Some(actor.person.id),
            Some(actor.device),
            AuditKind::EventRefused,
            Some(safe),
            &format!("{kind}: {}", why.as_str()),
        )?;
        return Ok(());
    }
    audit::record(
        conn,
        event_id,
        at,
        ctx.now,
        Some(actor.person.id),
        Some(actor.device),
        kind,
        Some(safe),
        &detail,
    )?;
    if let DeviceEvent::ProblemReported { problem, note, .. } = &event {
        let report = door::Incoming {
            event: event_id,
            safe,
            service: actor.org.id,
            person: actor.person.id,
            problem: *problem,
            note,
            at: at.min(ctx.now),
        };
        if door::record(conn, &report, ctx.now, &mut OsRandom)? {
            applied.touched.push(safe);
        }
        applied.reports.push(safe);
        return Ok(());
    }
    let (DeviceEvent::CodeSet { .. } | DeviceEvent::ChangeFailed { .. }, Some(campaign)) =
        (&event, campaign)
    else {
        return Ok(());
    };
    let record = Record {
        id: event_id,
        safe,
        volunteer: actor.person.id,
        device: actor.device,
        failure,
        at,
    };
    changes::apply(conn, &record, campaign, ctx.now, &mut OsRandom, applied)
}
