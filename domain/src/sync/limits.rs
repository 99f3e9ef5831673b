//! Bounds on what a device may send, checked on the raw bytes before Automerge sees them.
//!
//! Automerge's `receive_sync_message` and the `generate_sync_message` that answers it have no
//! work limit of their own, and a sync message carries numbers the sender chooses: a Bloom
//! filter with 0 bits per entry divides by zero, one with 2^32 probes allocates 17 GB, 80
//! filters of 10 million probes keep a core busy for seconds. A document's Automerge work is
//! proportional to the server's own document times what the message asks; these limits make
//! the second factor small and fixed. The parser below follows automerge 0.12's wire format
//! (`sync.rs`, `sync/bloom.rs`, `storage/chunk.rs`) and refuses anything it would not write.

use crate::error::DomainError;

/// Limits for one Automerge sync message from a device.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageLimits {
    /// Heads of the sender's document. Kluis documents have one writer each, so one head
    /// is normal; concurrent heads after a merge of snapshots stay few.
    pub max_heads: usize,
    /// Hashes the sender asks for explicitly.
    pub max_need: usize,
    /// Bloom-filter summaries (Automerge sends at most one).
    pub max_haves: usize,
    /// `last_sync` hashes per summary.
    pub max_last_sync: usize,
    /// Changes one filter may summarise: what the device received since the last shared
    /// heads. A scope epoch holds one change per code change or registry edit.
    pub max_bloom_entries: u32,
    /// Automerge writes 10 bits per entry and 7 probes; a little room either side.
    pub bits_per_entry: std::ops::RangeInclusive<u32>,
    pub probes: std::ops::RangeInclusive<u32>,
    /// Changes in one message, and their bytes together. A phone's outbox grows by a few
    /// hundred bytes per reveal or record, and it is sent at every sync.
    pub max_changes: usize,
    pub max_change_bytes: usize,
    /// The trailing flags section (one or two bytes today).
    pub max_flag_bytes: usize,
}

/// What a device may send about one document.
pub const DEVICE_MESSAGE: MessageLimits = MessageLimits {
    max_heads: 16,
    max_need: 256,
    max_haves: 2,
    max_last_sync: 16,
    max_bloom_entries: 100_000,
    bits_per_entry: 1..=32,
    probes: 1..=32,
    max_changes: 1_000,
    max_change_bytes: 512 * 1024,
    max_flag_bytes: 8,
};

/// Documents in one request: a device holds at most a scope or rounds document and its
/// outbox, and may name a few it no longer holds.
pub const MAX_DOCS_PER_REQUEST: usize = 8;

/// Bytes of one request body. Requests carry heads, one filter and the outbox changes; the
/// server's replies may be larger (a first snapshot), see `MAX_MESSAGE_BYTES`.
pub const MAX_REQUEST_BYTES: usize = 2 * 1024 * 1024;

/// The Automerge message versions on the wire. Devices send V1: the server never advertises
/// V2, whose whole-document payload carries DEFLATE-compressed columns (an unbounded
/// expansion for the receiver).
const MESSAGE_V1: u8 = 0x42;
const MESSAGE_V2: u8 = 0x43;
const CHUNK_MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
/// An uncompressed change chunk; 0 (document), 2 (compressed change) and 3 (bundle) would
/// make the receiver inflate or rebuild a whole document.
const CHUNK_CHANGE: u8 = 1;
const HASH_BYTES: usize = 32;

/// What a message that passed the checks contains, for logs and tests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MessageShape {
    pub heads: usize,
    pub need: usize,
    pub haves: usize,
    /// The largest probe count of any filter.
    pub probes: u32,
    pub bloom_entries: u32,
    pub changes: usize,
    pub change_bytes: usize,
}

fn refuse(what: String) -> DomainError {
    DomainError::Bounds(what)
}

struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], DomainError> {
        if n > self.bytes.len() {
            return Err(refuse(format!("{what}: message ends early")));
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    fn byte(&mut self, what: &str) -> Result<u8, DomainError> {
        Ok(self.take(1, what)?[0])
    }

    /// An unsigned LEB128 of at most 10 bytes that fits a u64.
    fn uleb(&mut self, what: &str) -> Result<u64, DomainError> {
        let mut value: u64 = 0;
        for i in 0..10 {
            let b = self.byte(what)?;
            let part = u64::from(b & 0x7f);
            if i == 9 && part > 1 {
                return Err(refuse(format!("{what}: number too large")));
            }
            value |= part << (7 * i);
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(refuse(format!("{what}: number too long")))
    }

    fn count(&mut self, what: &str, max: usize) -> Result<usize, DomainError> {
        let n = self.uleb(what)?;
        if n > max as u64 {
            return Err(refuse(format!("{what}: {n} is more than {max}")));
        }
        Ok(n as usize)
    }

    fn hashes(&mut self, what: &str, max: usize) -> Result<usize, DomainError> {
        let n = self.count(what, max)?;
        self.take(n * HASH_BYTES, what)?;
        Ok(n)
    }
}

/// Checks one Bloom filter as automerge encodes it: empty, or entries, bits per entry,
/// probes and exactly `ceil(entries * bits / 8)` bytes of bits.
fn check_bloom(bytes: &[u8], limits: &MessageLimits) -> Result<(u32, u32), DomainError> {
    if bytes.is_empty() {
        return Ok((0, 0));
    }
    let mut r = Reader { bytes };
    let entries = r.uleb("bloom entries")?;
    let bits = r.uleb("bloom bits per entry")?;
    let probes = r.uleb("bloom probes")?;
    if entries == 0 || entries > u64::from(limits.max_bloom_entries) {
        return Err(refuse(format!(
            "bloom filter of {entries} entries (1 to {} allowed)",
            limits.max_bloom_entries
        )));
    }
    let in_range =
        |v: u64, r: &std::ops::RangeInclusive<u32>| u32::try_from(v).is_ok_and(|v| r.contains(&v));
    if !in_range(bits, &limits.bits_per_entry) {
        return Err(refuse(format!(
            "bloom filter with {bits} bits per entry ({} to {} allowed)",
            limits.bits_per_entry.start(),
            limits.bits_per_entry.end()
        )));
    }
    if !in_range(probes, &limits.probes) {
        return Err(refuse(format!(
            "bloom filter with {probes} probes ({} to {} allowed)",
            limits.probes.start(),
            limits.probes.end()
        )));
    }
    // Both factors are bounded above, so this cannot overflow.
    let want = (entries * bits).div_ceil(8) as usize;
    if r.bytes.len() != want {
        return Err(refuse(format!(
            "bloom filter has {} bytes of bits, {want} expected",
            r.bytes.len()
        )));
    }
    Ok((entries as u32, probes as u32))
}

/// Checks that `chunk` is one uncompressed Automerge change chunk: magic, checksum, type 1,
/// and a length that matches what follows.
fn check_change_chunk(chunk: &[u8]) -> Result<(), DomainError> {
    let mut r = Reader { bytes: chunk };
    if r.take(4, "change")? != CHUNK_MAGIC {
        return Err(refuse("change without the Automerge magic bytes".into()));
    }
    r.take(4, "change checksum")?;
    let kind = r.byte("change type")?;
    if kind != CHUNK_CHANGE {
        return Err(refuse(format!(
            "change chunk of type {kind}: only uncompressed changes (type 1) are accepted"
        )));
    }
    let len = r.uleb("change length")?;
    if len != r.bytes.len() as u64 {
        return Err(refuse(format!(
            "change says {len} bytes but carries {}",
            r.bytes.len()
        )));
    }
    Ok(())
}

/// Checks a device's Automerge sync message against `limits` without decoding it with
/// Automerge. Anything automerge would not write itself, or more than the limits, is refused.
pub fn check_message(bytes: &[u8], limits: &MessageLimits) -> Result<MessageShape, DomainError> {
    let mut r = Reader { bytes };
    match r.byte("message type")? {
        MESSAGE_V1 => {}
        MESSAGE_V2 => {
            return Err(refuse(
                "version 2 sync messages are not accepted from devices".into(),
            ));
        }
        other => return Err(refuse(format!("not a sync message (type {other:#04x})"))),
    }
    let mut shape = MessageShape {
        heads: r.hashes("heads", limits.max_heads)?,
        need: r.hashes("need", limits.max_need)?,
        ..MessageShape::default()
    };
    shape.haves = r.count("have", limits.max_haves)?;
    for _ in 0..shape.haves {
        r.hashes("last sync", limits.max_last_sync)?;
        let len = r.count("bloom filter", bytes.len())?;
        let (entries, probes) = check_bloom(r.take(len, "bloom filter")?, limits)?;
        shape.bloom_entries = shape.bloom_entries.max(entries);
        shape.probes = shape.probes.max(probes);
    }
    shape.changes = r.count("changes", limits.max_changes)?;
    for _ in 0..shape.changes {
        let len = r.count("change", limits.max_change_bytes)?;
        shape.change_bytes += len;
        if shape.change_bytes > limits.max_change_bytes {
            return Err(refuse(format!(
                "changes of more than {} bytes in one message",
                limits.max_change_bytes
            )));
        }
        check_change_chunk(r.take(len, "change")?)?;
    }
    if !r.bytes.is_empty() {
        let len = r.count("flags", limits.max_flag_bytes)?;
        r.take(len, "flags")?;
        if !r.bytes.is_empty() {
            return Err(refuse(format!(
                "{} unexpected bytes after the message",
                r.bytes.len()
            )));
        }
    }
    Ok(shape)
}

/// A device's outbox as the server stores it. An honest phone adds a few hundred bytes per
/// reveal or record and enrols afresh when its session ends; a device that keeps pushing
/// cannot grow the database, or the work of each of its syncs, beyond this.
pub const MAX_OUTBOX_BYTES: usize = 4 * 1024 * 1024;
