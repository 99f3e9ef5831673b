use automerge::transaction::{CommitOptions, Transactable};
use automerge::{AutoCommit, ObjType, ROOT, ReadDoc, ScalarValue};

use super::am;
use crate::error::DomainError;
use crate::ids::{DeviceId, EventId, SafeId};
use crate::time::Timestamp;

const KIND: &str = "device";

/// Something that happened on a device and must reach the server's audit trail. Events are
/// keyed by a random id, so two syncs of the same event record it once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeviceEvent {
    /// The carer tapped "Toon code" for this safe.
    CodeRevealed { safe: SafeId, at: Timestamp },
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
        let event = match am::str(doc, &o, "type")?.as_str() {
            "code_revealed" => DeviceEvent::CodeRevealed {
                safe: am::str(doc, &o, "safe")?
                    .parse()
                    .map_err(|_| DomainError::Schema("bad safe id in event".into()))?,
                at: Timestamp::from_millis(am::int(doc, &o, "at")?),
            },
            other => return Err(DomainError::Schema(format!("unknown event type {other:?}"))),
        };
        out.push((id, event));
    }
    Ok(out)
}
