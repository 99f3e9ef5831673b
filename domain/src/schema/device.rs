use automerge::transaction::{CommitOptions, Transactable};
use std::collections::BTreeSet;

use automerge::{AutoCommit, ChangeHash, ObjType, ROOT, ReadDoc, ScalarValue};

use super::am;
use crate::error::DomainError;
use crate::ids::{DeviceId, EventId, SafeId};
use crate::model::{ChangeFailure, DoorProblem};
use crate::time::Timestamp;

const KIND: &str = "device";

/// Longest note a volunteer can attach to a failed change (or a carer to a report), in characters. The server refuses
/// longer ones, so a device cannot fill the audit trail with a novel.
pub const MAX_NOTE_CHARS: usize = 500;

/// Something that happened on a device and must reach the server's audit trail. Events are
/// keyed by a random id, so two syncs of the same event record it once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeviceEvent {
    /// The carer tapped "Toon code" for this safe.
    CodeRevealed { safe: SafeId, at: Timestamp },
    /// A volunteer set the new code on this safe ("Gewijzigd"). `at` is the device's clock
    /// when they tapped it, on site, possibly long before the device synced.
    CodeSet { safe: SafeId, at: Timestamp },
    /// A volunteer could not change the code ("Niet gelukt"), with why and a free note.
    ChangeFailed {
        safe: SafeId,
        reason: ChangeFailure,
        note: String,
        at: Timestamp,
    },
    /// A carer reported a problem at the door ("Code werkt niet? Meld het").
    ProblemReported {
        safe: SafeId,
        problem: DoorProblem,
        note: String,
        at: Timestamp,
    },
}

fn check_note(note: &str) -> Result<(), DomainError> {
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(DomainError::Schema(format!(
            "a note may have at most {MAX_NOTE_CHARS} characters"
        )));
    }
    Ok(())
}

fn header(doc: &mut AutoCommit, device: DeviceId) -> Result<(), DomainError> {
    let err = |e: automerge::AutomergeError| DomainError::Schema(format!("cannot write: {e}"));
    if am::opt_int(doc, &ROOT, "schema")?.is_none() {
        doc.put(&ROOT, "schema", super::SCHEMA_VERSION)
            .map_err(err)?;
        doc.put(&ROOT, "kind", KIND).map_err(err)?;
        doc.put(&ROOT, "device", device.to_string()).map_err(err)?;
        doc.put_object(&ROOT, "events", ObjType::Map).map_err(err)?;
    }
    Ok(())
}

/// Records an event in the device's outbox document.
pub fn append_device_event(
    doc: &mut AutoCommit,
    device: DeviceId,
    id: EventId,
    event: &DeviceEvent,
    now: Timestamp,
) -> Result<(), DomainError> {
    match event {
        DeviceEvent::ChangeFailed { note, .. } => check_note(note)?,
        DeviceEvent::ProblemReported { problem, note, .. } => {
            check_note(note)?;
            if problem.needs_note() && note.trim().is_empty() {
                return Err(DomainError::Schema("this report needs a note".into()));
            }
        }
        _ => {}
    }
    header(doc, device)?;
    let err =
        |e: automerge::AutomergeError| DomainError::Schema(format!("cannot write event: {e}"));
    let events = am::req_map(doc, &ROOT, "events")?;
    let o = doc
        .put_object(&events, id.to_string(), ObjType::Map)
        .map_err(err)?;
    match event {
        DeviceEvent::CodeRevealed { safe, at } => {
            doc.put(&o, "type", "code_revealed").map_err(err)?;
            doc.put(&o, "safe", safe.to_string()).map_err(err)?;
            doc.put(&o, "at", ScalarValue::Int(at.millis()))
                .map_err(err)?;
        }
        DeviceEvent::CodeSet { safe, at } => {
            doc.put(&o, "type", "code_set").map_err(err)?;
            doc.put(&o, "safe", safe.to_string()).map_err(err)?;
            doc.put(&o, "at", ScalarValue::Int(at.millis()))
                .map_err(err)?;
        }
        DeviceEvent::ChangeFailed {
            safe,
            reason,
            note,
            at,
        } => {
            doc.put(&o, "type", "change_failed").map_err(err)?;
            doc.put(&o, "safe", safe.to_string()).map_err(err)?;
            doc.put(&o, "reason", reason.as_str()).map_err(err)?;
            doc.put(&o, "note", note.as_str()).map_err(err)?;
            doc.put(&o, "at", ScalarValue::Int(at.millis()))
                .map_err(err)?;
        }
        DeviceEvent::ProblemReported {
            safe,
            problem,
            note,
            at,
        } => {
            doc.put(&o, "type", "problem_reported").map_err(err)?;
            doc.put(&o, "safe", safe.to_string()).map_err(err)?;
            doc.put(&o, "problem", problem.as_str()).map_err(err)?;
            doc.put(&o, "note", note.as_str()).map_err(err)?;
            doc.put(&o, "at", ScalarValue::Int(at.millis()))
                .map_err(err)?;
        }
    }
    doc.commit_with(CommitOptions::default().with_time(now.millis() / 1000));
    Ok(())
}

/// Reads every event of a device document, checking that it belongs to `device`. An empty
/// document (nothing written yet) has no events.
pub fn read_device_events<D: ReadDoc>(
    doc: &D,
    device: DeviceId,
) -> Result<Vec<(EventId, DeviceEvent)>, DomainError> {
    if am::opt_int(doc, &ROOT, "schema")?.is_none() && doc.length(ROOT) == 0 {
        return Ok(Vec::new());
    }
    am::check_header(doc, KIND)?;
    if am::str(doc, &ROOT, "device")? != device.to_string() {
        return Err(DomainError::Schema(
            "document belongs to another device".into(),
        ));
    }
    let events = am::req_map(doc, &ROOT, "events")?;
    let mut out = Vec::new();
    for key in doc.keys(&events) {
        let id: EventId = key
            .parse()
            .map_err(|_| DomainError::Schema(format!("bad event id {key:?}")))?;
        let o = am::req_map(doc, &events, &key)?;
        let safe = || -> Result<SafeId, DomainError> {
            am::str(doc, &o, "safe")?
                .parse()
                .map_err(|_| DomainError::Schema("bad safe id in event".into()))
        };
        let at = || am::int(doc, &o, "at").map(Timestamp::from_millis);
        let event = match am::str(doc, &o, "type")?.as_str() {
            "code_revealed" => DeviceEvent::CodeRevealed {
                safe: safe()?,
                at: at()?,
            },
            "code_set" => DeviceEvent::CodeSet {
                safe: safe()?,
                at: at()?,
            },
            "change_failed" => {
                let note = am::str(doc, &o, "note")?;
                check_note(&note)?;
                DeviceEvent::ChangeFailed {
                    safe: safe()?,
                    reason: am::str(doc, &o, "reason")?
                        .parse()
                        .map_err(|_| DomainError::Schema("bad failure reason in event".into()))?,
                    note,
                    at: at()?,
                }
            }
            "problem_reported" => {
                // The server reads what a device wrote: bounded like a volunteer's note, but a
                // missing note on "other" is the app's rule, not a reason to block the outbox.
                let note = am::str(doc, &o, "note")?;
                check_note(&note)?;
                DeviceEvent::ProblemReported {
                    safe: safe()?,
                    problem: am::str(doc, &o, "problem")?
                        .parse()
                        .map_err(|_| DomainError::Schema("bad problem in event".into()))?,
                    note,
                    at: at()?,
                }
            }
            other => return Err(DomainError::Schema(format!("unknown event type {other:?}"))),
        };
        out.push((id, event));
    }
    Ok(out)
}

/// The ids of the events the document held at `heads` (for example the heads the server is
/// known to have): what of the outbox has been sent.
pub fn device_event_ids_at<D: ReadDoc>(doc: &D, heads: &[ChangeHash]) -> BTreeSet<EventId> {
    let Ok(Some((automerge::Value::Object(ObjType::Map), events))) =
        doc.get_at(ROOT, "events", heads)
    else {
        return BTreeSet::new();
    };
    doc.keys_at(&events, heads)
        .filter_map(|key| key.parse().ok())
        .collect()
}
