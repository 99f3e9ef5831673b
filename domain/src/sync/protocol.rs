use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::limits::{MAX_DOCS_PER_REQUEST, MAX_REQUEST_BYTES};
use crate::error::DomainError;
use crate::ids::{DeviceId, OrgId, PersonId};
use crate::time::Timestamp;

/// Bumped when the wire format changes incompatibly; the server refuses other versions with a
/// clear error instead of misreading them.
pub const PROTOCOL_VERSION: u16 = 1;

/// The HTTP header of a sync answer that carries the device's next bearer token (see the
/// server's `db::sessions`). Lower case, as HTTP/2 sends it.
pub const NEXT_TOKEN_HEADER: &str = "kluis-next-token";

/// Upper bound for one encoded request or reply. Automerge's `receive_sync_message` has no
/// work limit of its own, so the bound lives here (and in the server's body limit).
pub const MAX_MESSAGE_BYTES: usize = 16 * 1024 * 1024;

/// Which Automerge document a message is about.
///
/// `Scope` documents are written only by the server: the safes one home-care service may
/// see. When the set of safes shrinks, the server starts a new epoch (a new document without
/// the old history), so a device never keeps history of what it may no longer see.
/// `Device` documents are written only by their device: its outbox (code reveals, reports).
/// `Rounds` documents are written only by the server: the rounds assigned to one volunteer,
/// with the current and new code of each safe. Epochs work as for scopes: when a round leaves
/// the volunteer, a new document starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DocKind {
    Scope { service: OrgId, epoch: u32 },
    Device { device: DeviceId },
    Rounds { person: PersonId, epoch: u32 },
}

/// A document id as it travels: `scope.<service>.<epoch>`, `device.<device>` or
/// `rounds.<person>.<epoch>`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DocId(DocKind);

impl DocId {
    pub fn scope(service: OrgId, epoch: u32) -> Self {
        DocId(DocKind::Scope { service, epoch })
    }

    pub fn device(device: DeviceId) -> Self {
        DocId(DocKind::Device { device })
    }

    pub fn rounds(person: PersonId, epoch: u32) -> Self {
        DocId(DocKind::Rounds { person, epoch })
    }

    pub fn kind(&self) -> DocKind {
        self.0
    }
}

impl fmt::Display for DocId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            DocKind::Scope { service, epoch } => write!(f, "scope.{service}.{epoch}"),
            DocKind::Device { device } => write!(f, "device.{device}"),
            DocKind::Rounds { person, epoch } => write!(f, "rounds.{person}.{epoch}"),
        }
    }
}

impl FromStr for DocId {
    type Err = DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || DomainError::Protocol(format!("unknown document id {s:?}"));
        let mut parts = s.split('.');
        let doc = match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some("scope"), Some(service), Some(epoch), None) => DocId::scope(
                service.parse().map_err(|_| bad())?,
                epoch.parse().map_err(|_| bad())?,
            ),
            (Some("rounds"), Some(person), Some(epoch), None) => DocId::rounds(
                person.parse().map_err(|_| bad())?,
                epoch.parse().map_err(|_| bad())?,
            ),
            (Some("device"), Some(device), None, None) => {
                DocId::device(device.parse().map_err(|_| bad())?)
            }
            _ => return Err(bad()),
        };
        Ok(doc)
    }
}

impl TryFrom<String> for DocId {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<DocId> for String {
    fn from(id: DocId) -> Self {
        id.to_string()
    }
}

/// One document's part of a request or reply.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocMessage {
    pub doc: DocId,
    /// An encoded Automerge sync message, if this side has something to say.
    #[serde(with = "serde_bytes_opt")]
    pub message: Option<Vec<u8>>,
    /// A whole saved document, sent by the server instead of a change-by-change history when
    /// the device does not hold the document yet (one round trip for a first sync).
    #[serde(with = "serde_bytes_opt")]
    pub snapshot: Option<Vec<u8>>,
}

/// What a device sends: a message for each document it holds (or wants to push).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncRequest {
    pub protocol: u16,
    pub docs: Vec<DocMessage>,
}

/// Why the server told a device to wipe everything it holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum WipeReason {
    DeviceRevoked,
    PersonRevoked,
}

impl WipeReason {
    pub fn as_str(self) -> &'static str {
        match self {
            WipeReason::DeviceRevoked => "device_revoked",
            WipeReason::PersonRevoked => "person_revoked",
        }
    }
}

/// What the server answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SyncReply {
    Docs {
        protocol: u16,
        /// The complete list of documents this device may hold now; any other is dropped.
        keep: Vec<DocId>,
        docs: Vec<DocMessage>,
        server_time: Timestamp,
    },
    /// The device or its person was revoked: erase all local data. Carries no safe data.
    Wipe { reason: WipeReason },
}

fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, DomainError> {
    let bytes = postcard::to_allocvec(value)
        .map_err(|e| DomainError::Protocol(format!("cannot encode: {e}")))?;
    if bytes.len() > MAX_MESSAGE_BYTES {
        return Err(DomainError::Protocol(format!(
            "message of {} bytes exceeds the limit of {MAX_MESSAGE_BYTES}",
            bytes.len()
        )));
    }
    Ok(bytes)
}

fn decode<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, DomainError> {
    if bytes.len() > MAX_MESSAGE_BYTES {
        return Err(DomainError::Protocol(format!(
            "message of {} bytes exceeds the limit of {MAX_MESSAGE_BYTES}",
            bytes.len()
        )));
    }
    let (value, rest) = postcard::take_from_bytes(bytes)
        .map_err(|e| DomainError::Protocol(format!("malformed: {e}")))?;
    if !rest.is_empty() {
        return Err(DomainError::Protocol(format!(
            "{} unexpected bytes after the message",
            rest.len()
        )));
    }
    Ok(value)
}

impl SyncRequest {
    pub fn new(docs: Vec<DocMessage>) -> Self {
        SyncRequest {
            protocol: PROTOCOL_VERSION,
            docs,
        }
    }

    pub fn encode(&self) -> Result<Vec<u8>, DomainError> {
        encode(self)
    }

    /// Decodes and checks the size, the version, the number of documents and that no
    /// document appears twice. Each document's message is checked by `server_round`.
    pub fn decode(bytes: &[u8]) -> Result<Self, DomainError> {
        if bytes.len() > MAX_REQUEST_BYTES {
            return Err(DomainError::Bounds(format!(
                "request of {} bytes exceeds the limit of {MAX_REQUEST_BYTES}",
                bytes.len()
            )));
        }
        let req: SyncRequest = decode(bytes)?;
        if req.docs.len() > MAX_DOCS_PER_REQUEST {
            return Err(DomainError::Bounds(format!(
                "{} documents in one request (at most {MAX_DOCS_PER_REQUEST})",
                req.docs.len()
            )));
        }
        if req.protocol != PROTOCOL_VERSION {
            return Err(DomainError::Protocol(format!(
                "protocol version {} is not supported (this server speaks {PROTOCOL_VERSION})",
                req.protocol
            )));
        }
        let mut seen: Vec<&DocId> = req.docs.iter().map(|d| &d.doc).collect();
        seen.sort();
        if seen.windows(2).any(|w| w[0] == w[1]) {
            return Err(DomainError::Protocol("a document appears twice".into()));
        }
        if req.docs.iter().any(|d| d.snapshot.is_some()) {
            return Err(DomainError::Protocol(
                "devices may not send document snapshots".into(),
            ));
        }
        Ok(req)
    }
}

impl SyncReply {
    pub fn encode(&self) -> Result<Vec<u8>, DomainError> {
        encode(self)
    }

    pub fn decode(bytes: &[u8]) -> Result<Self, DomainError> {
        let reply: SyncReply = decode(bytes)?;
        if let SyncReply::Docs { protocol, .. } = &reply
            && *protocol != PROTOCOL_VERSION
        {
            return Err(DomainError::Protocol(format!(
                "server speaks protocol {protocol}, this app speaks {PROTOCOL_VERSION}: update the app"
            )));
        }
        Ok(reply)
    }
}

/// postcard already stores `Vec<u8>` compactly (length + bytes); this module only exists so
/// the encoding stays the same if the format is ever switched to a self-describing one.
mod serde_bytes_opt {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(v: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
        v.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<u8>>, D::Error> {
        Option::<Vec<u8>>::deserialize(d)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn service() -> OrgId {
        OrgId::from_bytes([7; 16])
    }

    #[test]
    fn doc_ids_round_trip_as_text() {
        let ids = [
            DocId::scope(service(), 3),
            DocId::device(DeviceId::from_bytes([9; 16])),
            DocId::rounds(PersonId::from_bytes([5; 16]), 2),
        ];
        for id in ids {
            assert_eq!(id.to_string().parse::<DocId>().unwrap(), id);
        }
        assert!("scope.xyz.1".parse::<DocId>().is_err());
        assert!("device".parse::<DocId>().is_err());
        assert!(
            "rounds.05050505050505050505050505050505"
                .parse::<DocId>()
                .is_err()
        );
        assert!("rounds.xyz.1".parse::<DocId>().is_err());
        assert!(
            "other.07070707070707070707070707070707"
                .parse::<DocId>()
                .is_err()
        );
    }

    #[test]
    fn request_rejects_wrong_version_duplicates_and_snapshots() {
        let msg = DocMessage {
            doc: DocId::scope(service(), 0),
            message: None,
            snapshot: None,
        };
        let mut req = SyncRequest::new(vec![msg.clone()]);
        assert!(SyncRequest::decode(&req.encode().unwrap()).is_ok());

        req.protocol = 99;
        let err = SyncRequest::decode(&req.encode().unwrap()).unwrap_err();
        assert!(err.to_string().contains("not supported"));

        let dup = SyncRequest::new(vec![msg.clone(), msg.clone()]);
        assert!(SyncRequest::decode(&dup.encode().unwrap()).is_err());

        let snap = SyncRequest::new(vec![DocMessage {
            snapshot: Some(vec![1]),
            ..msg
        }]);
        assert!(SyncRequest::decode(&snap.encode().unwrap()).is_err());
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for bytes in [&b""[..], b"\xff\xff\xff\xff", b"\x01\x00\x05abc"] {
            assert!(SyncRequest::decode(bytes).is_err());
            assert!(SyncReply::decode(bytes).is_err());
        }
    }

    /// The wire bytes of a request and of both replies, frozen: a change here breaks every
    /// phone in the field, so it needs a new `PROTOCOL_VERSION` and new vectors.
    #[test]
    fn the_wire_format_is_frozen() {
        let request = SyncRequest::new(vec![DocMessage {
            doc: DocId::device(DeviceId::from_bytes([1; 16])),
            message: Some(vec![0x42, 0x43]),
            snapshot: None,
        }]);
        let docs = SyncReply::Docs {
            protocol: PROTOCOL_VERSION,
            keep: vec![DocId::scope(OrgId::from_bytes([2; 16]), 3)],
            docs: Vec::new(),
            server_time: Timestamp::from_millis(1_772_442_000_000),
        };
        let wipe = SyncReply::Wipe {
            reason: WipeReason::PersonRevoked,
        };
        let hex_of =
            |bytes: Vec<u8>| -> String { bytes.iter().map(|b| format!("{b:02x}")).collect() };
        assert_eq!(hex_of(request.encode().unwrap()), GOLDEN_REQUEST);
        assert_eq!(hex_of(docs.encode().unwrap()), GOLDEN_DOCS);
        assert_eq!(hex_of(wipe.encode().unwrap()), GOLDEN_WIPE);
        let bytes = |h: &str| hex::decode(h).unwrap();
        assert_eq!(
            SyncRequest::decode(&bytes(GOLDEN_REQUEST)).unwrap(),
            request
        );
        assert_eq!(SyncReply::decode(&bytes(GOLDEN_DOCS)).unwrap(), docs);
        assert_eq!(SyncReply::decode(&bytes(GOLDEN_WIPE)).unwrap(), wipe);
    }

    const GOLDEN_REQUEST: &str = "0101276465766963652e30313031303130313031303130313031303130313031303130313031303130310102424300";
    const GOLDEN_DOCS: &str = "0001012873636f70652e30323032303230323032303230323032303230323032303230323032303230322e330080eab4dc9567";
    const GOLDEN_WIPE: &str = "0101";
}
