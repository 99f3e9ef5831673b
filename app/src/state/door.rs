//! Reports from the door on the phone: what the carer reported at each safe and whether the
//! server has it yet, read from the outbox and the sync state (the server has an event once
//! the heads both sides share hold it), and the report itself, recorded like a reveal so it
//! waits in the vault while there is no signal.

use std::collections::{BTreeMap, BTreeSet};

use kluis_api::door::{ReportAction, ReportGroup, ReportStatus};
use kluis_domain::ids::{EventId, SafeId};
use kluis_domain::model::DoorProblem;
use kluis_domain::schema::{DeviceEvent, MAX_NOTE_CHARS};
use kluis_domain::time::Timestamp;

use super::AppState;
use super::error::AppError;
use super::i18n::{DoorKey, Lang, t};
use super::reveal::record_event;
use crate::platform;

/// One report this phone made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalReport {
    pub id: EventId,
    pub problem: DoorProblem,
    /// The phone's clock when it was made (shown only).
    pub at: i64,
    /// The server has it.
    pub sent: bool,
}

/// This phone's reports per safe, newest first; `sent` are the events the server has.
pub fn local_reports<'a>(
    events: impl IntoIterator<Item = &'a (EventId, DeviceEvent)>,
    sent: &BTreeSet<EventId>,
) -> BTreeMap<SafeId, Vec<LocalReport>> {
    let mut out: BTreeMap<SafeId, Vec<LocalReport>> = BTreeMap::new();
    for (id, event) in events {
        if let DeviceEvent::ProblemReported {
            safe, problem, at, ..
        } = event
        {
            out.entry(*safe).or_default().push(LocalReport {
                id: *id,
                problem: *problem,
                at: at.millis(),
                sent: sent.contains(id),
            });
        }
    }
    for list in out.values_mut() {
        list.sort_by(|a, b| b.at.cmp(&a.at).then(a.id.cmp(&b.id)));
    }
    out
}

/// Why a report cannot be sent as filled in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportProblem {
    NoProblemChosen,
    NoteNeeded,
    NoteTooLong,
}

/// The report as the form holds it, checked with the domain's rules.
pub fn check_report(
    problem: Option<DoorProblem>,
    note: &str,
) -> Result<(DoorProblem, String), ReportProblem> {
    let problem = problem.ok_or(ReportProblem::NoProblemChosen)?;
    let note = note.trim();
    if problem.needs_note() && note.is_empty() {
        return Err(ReportProblem::NoteNeeded);
    }
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(ReportProblem::NoteTooLong);
    }
    Ok((problem, note.to_string()))
}

/// Records the report in the outbox (sealed at once) and syncs when online.
///
/// # Errors
/// Locked, or the vault or IndexedDB failed.
pub async fn record_report(
    app: AppState,
    safe: SafeId,
    problem: DoorProblem,
    note: String,
) -> Result<(), AppError> {
    let at = Timestamp::from_millis(platform::now_millis());
    record_event(
        app,
        DeviceEvent::ProblemReported {
            safe,
            problem,
            note,
            at,
        },
    )
    .await
}

/// A current code this fresh may simply not be on the carer's phone yet.
const FRESH_CODE_MILLIS: i64 = 3 * 24 * 3_600_000;

/// What the inbox offers first for a safe's new reports: the leak flow when anyone says the
/// code is known; for "the code does not open" nothing yet when a change is under way (the
/// volunteer may have set it) or the code is fresh (the phone may not have synced), else the
/// urgent change; for anything else the reply.
pub fn suggested_action(group: &ReportGroup, now_millis: i64) -> ReportAction {
    let new = group
        .reports
        .iter()
        .filter(|r| r.status == ReportStatus::New)
        .map(|r| r.problem);
    let mut fails = false;
    for problem in new {
        match problem {
            DoorProblem::CodeKnown => return ReportAction::Leak,
            DoorProblem::CodeFails => fails = true,
            _ => {}
        }
    }
    let fresh = group
        .change
        .current_since
        .is_some_and(|t| now_millis - t.millis() < FRESH_CODE_MILLIS);
    if fails && group.change.pending_due.is_none() && !fresh {
        ReportAction::Urgent
    } else {
        ReportAction::Close
    }
}

/// The groups the inbox shows: those still needing work, or all.
pub fn shown_groups(groups: &[ReportGroup], all: bool) -> Vec<ReportGroup> {
    groups
        .iter()
        .filter(|g| all || g.is_open())
        .cloned()
        .collect()
}

pub fn problem_text(problem: DoorProblem, lang: Lang) -> &'static str {
    t(
        lang,
        match problem {
            DoorProblem::CodeFails => DoorKey::ProblemCodeFails,
            DoorProblem::Broken => DoorKey::ProblemBroken,
            DoorProblem::KeyMissing => DoorKey::ProblemKeyMissing,
            DoorProblem::CodeKnown => DoorKey::ProblemCodeKnown,
            DoorProblem::Other => DoorKey::ProblemOther,
        },
    )
}

pub fn status_text(status: ReportStatus, lang: Lang) -> &'static str {
    t(
        lang,
        match status {
            ReportStatus::New | ReportStatus::Unknown => DoorKey::StatusNew,
            ReportStatus::RepairAsked => DoorKey::StatusRepairAsked,
            ReportStatus::RepairPlanned => DoorKey::StatusRepairPlanned,
            ReportStatus::ChangePlanned => DoorKey::StatusChangePlanned,
            ReportStatus::Done => DoorKey::StatusDone,
            ReportStatus::Closed => DoorKey::StatusClosed,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use kluis_api::door::{DoorReport, SafeChange};
    use kluis_domain::ids::{OrgId, ReportId};
    use kluis_domain::model::SafeStatus;

    fn group(problems: &[(DoorProblem, ReportStatus)], change: SafeChange) -> ReportGroup {
        ReportGroup {
            safe_id: SafeId::from_bytes([1; 16]),
            address: "Sleepstraat 12".into(),
            district: "Muide".into(),
            owner_id: OrgId::from_bytes([2; 16]),
            owner: "WoninGent".into(),
            safe_status: SafeStatus::Active,
            change,
            reports: problems
                .iter()
                .enumerate()
                .map(|(i, (problem, status))| DoorReport {
                    id: ReportId::from_bytes([i as u8; 16]),
                    problem: *problem,
                    note: String::new(),
                    reporter: "An".into(),
                    service: "Wit-Gele Kruis".into(),
                    at: Timestamp::from_millis(0),
                    received_at: Timestamp::from_millis(0),
                    status: *status,
                    reply: String::new(),
                    handled_at: None,
                    repair_id: None,
                    repair_planned_on: None,
                    repair_done_on: None,
                    campaign_id: None,
                })
                .collect(),
        }
    }

    const DAY: i64 = 24 * 3_600_000;

    fn old_code() -> SafeChange {
        SafeChange {
            pending_due: None,
            pending_campaign: None,
            current_since: Some(Timestamp::from_millis(0)),
        }
    }

    #[test]
    fn the_inbox_suggests_the_leak_flow_the_urgent_change_or_waiting() {
        use DoorProblem::*;
        let new = ReportStatus::New;
        let now = 100 * DAY;
        assert_eq!(
            suggested_action(
                &group(&[(CodeFails, new), (CodeKnown, new)], old_code()),
                now
            ),
            ReportAction::Leak
        );
        assert_eq!(
            suggested_action(&group(&[(CodeFails, new)], old_code()), now),
            ReportAction::Urgent
        );
        let fresh = SafeChange {
            current_since: Some(Timestamp::from_millis(now - DAY)),
            ..old_code()
        };
        assert_eq!(
            suggested_action(&group(&[(CodeFails, new)], fresh), now),
            ReportAction::Close,
            "a code set yesterday may not be on the phone yet"
        );
        let pending = SafeChange {
            pending_due: Some("2026-12-09".parse().expect("date")),
            ..old_code()
        };
        assert_eq!(
            suggested_action(&group(&[(CodeFails, new)], pending), now),
            ReportAction::Close
        );
        assert_eq!(
            suggested_action(&group(&[(Other, new)], old_code()), now),
            ReportAction::Close
        );
        // A leak handled already does not count again.
        assert_eq!(
            suggested_action(
                &group(
                    &[(CodeKnown, ReportStatus::ChangePlanned), (CodeFails, new)],
                    old_code()
                ),
                now
            ),
            ReportAction::Urgent
        );
    }

    #[test]
    fn handled_groups_show_only_when_asked() {
        let done = group(&[(DoorProblem::KeyMissing, ReportStatus::Done)], old_code());
        let open = group(
            &[(DoorProblem::KeyMissing, ReportStatus::RepairAsked)],
            old_code(),
        );
        let groups = vec![done, open];
        assert_eq!(shown_groups(&groups, false).len(), 1);
        assert_eq!(shown_groups(&groups, true).len(), 2);
    }

    fn report(n: u8, safe: u8, at: i64) -> (EventId, DeviceEvent) {
        (
            EventId::from_bytes([n; 16]),
            DeviceEvent::ProblemReported {
                safe: SafeId::from_bytes([safe; 16]),
                problem: DoorProblem::KeyMissing,
                note: String::new(),
                at: Timestamp::from_millis(at),
            },
        )
    }

    #[test]
    fn reports_are_per_safe_newest_first_and_sent_only_when_the_server_has_them() {
        let reveal = (
            EventId::from_bytes([9; 16]),
            DeviceEvent::CodeRevealed {
                safe: SafeId::from_bytes([1; 16]),
                at: Timestamp::from_millis(5),
            },
        );
        let events = vec![report(1, 1, 10), report(2, 1, 20), report(3, 2, 5), reveal];
        let sent = BTreeSet::from([EventId::from_bytes([1; 16])]);
        let out = local_reports(&events, &sent);
        let first = &out[&SafeId::from_bytes([1; 16])];
        assert_eq!(first.len(), 2, "the reveal is not a report");
        assert_eq!(first[0].at, 20);
        assert!(!first[0].sent);
        assert!(first[1].sent);
        assert_eq!(out[&SafeId::from_bytes([2; 16])].len(), 1);
    }

    #[test]
    fn the_form_needs_a_problem_and_for_other_a_note() {
        assert_eq!(check_report(None, "x"), Err(ReportProblem::NoProblemChosen));
        assert_eq!(
            check_report(Some(DoorProblem::Other), "  "),
            Err(ReportProblem::NoteNeeded)
        );
        assert_eq!(
            check_report(Some(DoorProblem::KeyMissing), " "),
            Ok((DoorProblem::KeyMissing, String::new()))
        );
        assert_eq!(
            check_report(Some(DoorProblem::Other), &"x".repeat(MAX_NOTE_CHARS + 1)),
            Err(ReportProblem::NoteTooLong)
        );
    }
}
