//! What a person who leaves had seen: the safes whose codes they opened in the last six
//! months (from the audit trail, by the server's receive time), and one urgent change for
//! those whose code is still the one they saw, counted as a leak (rule 4).

use kluis_api::audit::{EXPOSURE_MONTHS, ExposedSafe, Exposure, ExposureState};
use kluis_api::door::SafeChange;
use kluis_crypto::SecretKey;
use kluis_domain::due::{DueRules, add_months};
use kluis_domain::ids::{CampaignId, EventId, PersonId, SafeId};
use kluis_domain::model::{AuditKind, CampaignKind};
use kluis_domain::time::{Date, Timestamp};
use rusqlite::Connection;

use super::campaigns::{self, NewCampaign, Selection};
use super::column::col;
use super::{audit, changes, settings};
use crate::clock::{ghent_day_start, today_in_ghent};
use crate::error::ServerError;
use crate::state::OsRandom;

/// When the codes that matter were drawn: a carer's phone holds a campaign's new code from
/// then on, so a code drawn before someone's last look may be known to them.
struct Drawn {
    current: Option<Timestamp>,
    pending: Option<Timestamp>,
}

/// Where the safe stands against what the person saw, when they last saw it at `last_seen`.
/// A code counts as unknown to them only when it was drawn after that look: its phone showed
/// a new code beside the current one from the moment a campaign drew it.
fn state_of(
    change: &SafeChange,
    drawn: &Drawn,
    last_seen: Timestamp,
    urgent_due: Date,
) -> ExposureState {
    let after_look = |t: Option<Timestamp>| t.is_some_and(|t| t > last_seen);
    if change.current_since.is_some_and(|since| since > last_seen) && after_look(drawn.current) {
        ExposureState::Changed
    } else if change.pending_due.is_some_and(|due| due <= urgent_due) && after_look(drawn.pending) {
        ExposureState::Planned
    } else {
        ExposureState::Open
    }
}

/// The person's exposure as of `t`; `None` when there is no such person.
pub fn exposure(
    conn: &Connection,
    person: PersonId,
    t: Timestamp,
) -> Result<Option<Exposure>, ServerError> {
    let Some((who, _, revoked)) = super::accounts::find_person(conn, person)? else {
        return Ok(None);
    };
    let today = today_in_ghent(t);
    let since = add_months(today, -i64::from(EXPOSURE_MONTHS));
    let calendar = settings::calendar(conn)?;
    let urgent_due = DueRules::default().leak_due(today, &calendar);
    let mut stmt = conn.prepare(
        "SELECT e.safe_id, MAX(e.recorded_at), COUNT(*),
                b.street || ' ' || b.numbers || ', ' || b.postcode || ' ' || b.city, b.district,
                (SELECT i.campaign_id FROM campaign_items i WHERE i.safe_id = s.id
                  AND i.status IN ('waiting', 'open', 'failed')),
                (SELECT c.due_on FROM campaign_items i JOIN campaigns c ON c.id = i.campaign_id
                  WHERE i.safe_id = s.id AND i.status IN ('waiting', 'open', 'failed')),
                (SELECT activated_at FROM codes WHERE safe_id = s.id AND state = 'current'),
                (SELECT created_at FROM codes WHERE safe_id = s.id AND state = 'current'),
                (SELECT c.created_at FROM campaign_items i JOIN codes c ON c.id = i.pending_code_id
                  WHERE i.safe_id = s.id AND i.status IN ('open', 'failed'))
         FROM audit_events e JOIN safes s ON s.id = e.safe_id
         JOIN buildings b ON b.id = s.building_id
         WHERE e.kind = ?1 AND e.person_id = ?2 AND e.recorded_at >= ?3 AND s.status != 'removed'
         GROUP BY e.safe_id ORDER BY b.street, b.numbers",
    )?;
    let rows = stmt.query_map(
        rusqlite::params![
            AuditKind::CodeRevealed.as_str(),
            person.to_string(),
            ghent_day_start(since).millis()
        ],
        |r| {
            let last_seen: Timestamp = col(r, 1)?;
            let change = SafeChange {
                pending_campaign: col::<Option<CampaignId>>(r, 5)?,
                pending_due: col::<Option<Date>>(r, 6)?,
                current_since: col(r, 7)?,
            };
            let drawn = Drawn {
                current: col(r, 8)?,
                pending: col(r, 9)?,
            };
            Ok(ExposedSafe {
                safe_id: col(r, 0)?,
                last_seen,
                reveals: col(r, 2)?,
                address: col(r, 3)?,
                district: col(r, 4)?,
                state: state_of(&change, &drawn, last_seen, urgent_due),
                change,
            })
        },
    )?;
    Ok(Some(Exposure {
        person_id: person,
        name: who.name,
        revoked,
        since,
        urgent_due,
        safes: rows.collect::<Result<_, _>>()?,
    }))
}

/// What [`plan_change`] did, for the caller to rebuild documents after the commit.
#[derive(Debug, Default)]
pub struct Planned {
    pub safes: Vec<SafeId>,
    /// Safes the campaign took in (one without a free code is skipped, and stays open).
    pub included: u64,
    pub due: Option<Date>,
    pub campaign: Option<CampaignId>,
    /// Volunteers whose round lost one of the safes.
    pub volunteers: Vec<PersonId>,
}

/// Plans one urgent campaign (5 working days) for every safe of `person`'s exposure that is
/// still open, inside the caller's transaction, with an audit row per safe. Nothing open:
/// nothing planned, so pressing twice does not plan twice.
pub fn plan_change(
    tx: &Connection,
    key: &SecretKey,
    person: PersonId,
    by: PersonId,
    t: Timestamp,
) -> Result<Planned, ServerError> {
    let exposure =
        exposure(tx, person, t)?.ok_or_else(|| ServerError::NotFound("Deze persoon".into()))?;
    let open: Vec<SafeId> = exposure
        .safes
        .iter()
        .filter(|s| s.state == ExposureState::Open)
        .map(|s| s.safe_id)
        .collect();
    if open.is_empty() {
        return Ok(Planned::default());
    }
    let mut volunteers = Vec::new();
    let today = today_in_ghent(t);
    for safe in &open {
        // Known to someone who should not have it: a leak (rule 4), in the due list with its
        // 5-working-day deadline. An earlier leak's clock is not reset.
        tx.execute(
            "UPDATE safes SET leak_reported_on = COALESCE(leak_reported_on, ?2) WHERE id = ?1",
            rusqlite::params![safe.to_string(), today.to_string()],
        )?;
        if let Some(Some(volunteer)) = changes::cancel_live_item(tx, *safe, t)?
            && !volunteers.contains(&volunteer)
        {
            volunteers.push(volunteer);
        }
        audit::record_edit(
            tx,
            t,
            Some(by),
            AuditKind::ExposedCodeChange,
            audit::Target {
                safe: Some(*safe),
                subject: Some(person),
                ..audit::Target::default()
            },
            &[],
        )?;
    }
    let lifecycle = settings::lifecycle(tx)?;
    let name = format!("Ingetrokken: {}", exposure.name);
    let new = NewCampaign {
        name: &name,
        kind: CampaignKind::Urgent,
        selection: &Selection::Safes(open.clone()),
        due_on: Some(exposure.urgent_due),
        by,
    };
    let campaign = campaigns::create(tx, key, &lifecycle, &new, t, &mut OsRandom)?;
    Ok(Planned {
        safes: open,
        included: campaign.included,
        due: Some(exposure.urgent_due),
        campaign: Some(campaign.id),
        volunteers,
    })
}

/// The policy: whether revoking a person plans the change by itself.
pub fn change_on_revoke(conn: &Connection) -> Result<bool, ServerError> {
    Ok(conn.query_row(
        "SELECT change_on_revoke FROM coordinator_settings WHERE id = 1",
        [],
        |r| r.get(0),
    )?)
}

pub fn set_change_on_revoke(
    conn: &Connection,
    on: bool,
    by: PersonId,
    t: Timestamp,
) -> Result<(), ServerError> {
    conn.execute(
        "UPDATE coordinator_settings SET change_on_revoke = ?1 WHERE id = 1",
        [on],
    )?;
    audit::record(
        conn,
        EventId::random(&mut OsRandom),
        t,
        t,
        Some(by),
        None,
        AuditKind::SettingsChanged,
        None,
        if on {
            "intrekken plant de codewissel"
        } else {
            "intrekken plant geen codewissel"
        },
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(ms: i64) -> Option<Timestamp> {
        Some(Timestamp::from_millis(ms))
    }

    #[test]
    fn a_code_drawn_after_the_last_look_is_safe_and_one_drawn_before_is_not() {
        let seen = Timestamp::from_millis(1_000);
        let due: Date = "2026-12-10".parse().expect("date");
        let none = SafeChange {
            pending_due: None,
            pending_campaign: None,
            current_since: at(500),
        };
        let old = Drawn {
            current: at(400),
            pending: None,
        };
        assert_eq!(state_of(&none, &old, seen, due), ExposureState::Open);
        let changed = SafeChange {
            current_since: at(1_001),
            ..none.clone()
        };
        let drawn_later = Drawn {
            current: at(1_001),
            pending: None,
        };
        assert_eq!(
            state_of(&changed, &drawn_later, seen, due),
            ExposureState::Changed
        );
        // Set after the look, but drawn before it: the phone showed it as the new code.
        let drawn_before = Drawn {
            current: at(900),
            pending: None,
        };
        assert_eq!(
            state_of(&changed, &drawn_before, seen, due),
            ExposureState::Open
        );
        let soon = SafeChange {
            pending_due: Some(due),
            ..none.clone()
        };
        let pending_later = Drawn {
            current: at(400),
            pending: at(1_500),
        };
        assert_eq!(
            state_of(&soon, &pending_later, seen, due),
            ExposureState::Planned
        );
        let pending_seen = Drawn {
            current: at(400),
            pending: at(800),
        };
        assert_eq!(
            state_of(&soon, &pending_seen, seen, due),
            ExposureState::Open,
            "a planned code they could see protects nothing"
        );
        let rotation_later = SafeChange {
            pending_due: Some(due.add_days(30)),
            ..none
        };
        assert_eq!(
            state_of(&rotation_later, &pending_later, seen, due),
            ExposureState::Open,
            "a rotation months away does not count"
        );
    }
}
