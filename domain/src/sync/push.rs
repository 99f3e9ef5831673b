//! A change of a server-written document pushed over the event stream (`event: change`):
//! what a sync would bring every device that is at `from`, computed once for all devices of
//! the service, so a fan-out costs the server one write per open stream instead of a sync
//! per phone. A device elsewhere (behind, or on another epoch) syncs as before.
//!
//! The event's data is one line of text: `<doc> <from heads> <to heads> <change>`, heads as
//! comma-separated hex, the change as hex (Automerge's bytes of the changes after `from`).

use std::fmt::Write;
use std::str::FromStr;

use automerge::ChangeHash;

use super::protocol::DocId;
use crate::error::DomainError;

/// The largest change pushed (its bytes before hex); a bigger one is announced as a plain
/// `sync` nudge. One changed code is well under 1 KB.
pub const MAX_PUSHED_CHANGE_BYTES: usize = 16 * 1024;

/// At most this many heads on either side (a server-written document has one writer, so one
/// head; a few more is already odd).
const MAX_HEADS: usize = 8;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PushedChange {
    pub doc: DocId,
    /// The document's heads the change applies to.
    pub from: Vec<ChangeHash>,
    /// The heads after it.
    pub to: Vec<ChangeHash>,
    pub change: Vec<u8>,
}

fn heads_text(heads: &[ChangeHash]) -> String {
    let mut out = String::new();
    for (i, head) in heads.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, "{head}");
    }
    out
}

fn parse_heads(text: &str) -> Result<Vec<ChangeHash>, DomainError> {
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let heads: Vec<ChangeHash> = text
        .split(',')
        .take(MAX_HEADS + 1)
        .map(|h| {
            ChangeHash::from_str(h)
                .map_err(|_| DomainError::Protocol("pushed change: bad head".into()))
        })
        .collect::<Result<_, _>>()?;
    if heads.len() > MAX_HEADS {
        return Err(DomainError::Protocol(
            "pushed change: too many heads".into(),
        ));
    }
    Ok(heads)
}

impl PushedChange {
    /// The event's data; `None` when the change is too big to push.
    pub fn encode(&self) -> Option<String> {
        if self.change.len() > MAX_PUSHED_CHANGE_BYTES
            || self.from.len() > MAX_HEADS
            || self.to.len() > MAX_HEADS
        {
            return None;
        }
        Some(format!(
            "{} {} {} {}",
            self.doc,
            heads_text(&self.from),
            heads_text(&self.to),
            hex::encode(&self.change)
        ))
    }

    /// Reads an event's data; anything else than what [`PushedChange::encode`] writes, or
    /// bigger than the bounds, is an error (the device then syncs).
    pub fn decode(data: &str) -> Result<Self, DomainError> {
        if data.len() > 2 * MAX_PUSHED_CHANGE_BYTES + 2 * MAX_HEADS * 65 + 200 {
            return Err(DomainError::Protocol("pushed change too large".into()));
        }
        let mut parts = data.trim().split(' ');
        let bad = || DomainError::Protocol("pushed change: malformed".into());
        let doc: DocId = parts.next().ok_or_else(bad)?.parse()?;
        let from = parse_heads(parts.next().ok_or_else(bad)?)?;
        let to = parse_heads(parts.next().ok_or_else(bad)?)?;
        let change = hex::decode(parts.next().ok_or_else(bad)?).map_err(|_| bad())?;
        if parts.next().is_some() || change.is_empty() || to.is_empty() {
            return Err(bad());
        }
        Ok(PushedChange {
            doc,
            from,
            to,
            change,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::ids::OrgId;

    fn push() -> PushedChange {
        PushedChange {
            doc: DocId::scope(OrgId::from_bytes([3; 16]), 2),
            from: vec![ChangeHash([1; 32])],
            to: vec![ChangeHash([2; 32])],
            change: vec![0x85, 0x6f, 0x4a, 0x83, 9],
        }
    }

    #[test]
    fn a_push_reads_back_and_anything_else_is_refused() {
        let text = push().encode().unwrap();
        assert_eq!(PushedChange::decode(&text).unwrap(), push());
        for bad in [
            "",
            "scope.x 1 2 3",
            &text.replace(' ', "  "),
            &format!("{text} extra"),
            &text[..text.len() - 1],
        ] {
            assert!(PushedChange::decode(bad).is_err(), "{bad:?}");
        }
        let big = PushedChange {
            change: vec![0; MAX_PUSHED_CHANGE_BYTES + 1],
            ..push()
        };
        assert_eq!(big.encode(), None);
    }
}
