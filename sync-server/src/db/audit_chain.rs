//! The audit trail as a hash chain. Each row holds `seq` (the order the server received it)
//! and `chain` = SHA-256 over the previous row's `chain` and this row's fields, so a row
//! changed, removed or slipped in between shows at the first row whose link no longer
//! holds. Triggers refuse UPDATE and DELETE on chained rows. Someone who can write the file
//! could rewrite the whole tail; a backup's chain must stay a prefix of the live one, which
//! `verify` checks when given the backup's head.

use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use crate::error::ServerError;

/// The link before the first row.
const GENESIS: [u8; 32] = [0; 32];
/// Bumped if the hashed layout ever changes (old rows keep verifying under their version).
const LAYOUT: &[u8] = b"kluis-audit-v1";

/// One row as it is hashed and stored.
#[derive(Clone, Debug, Default)]
pub struct NewRow<'a> {
    pub id: &'a str,
    pub at: i64,
    pub recorded_at: i64,
    pub person: Option<&'a str>,
    pub device: Option<&'a str>,
    pub kind: &'a str,
    pub safe: Option<&'a str>,
    pub building: Option<&'a str>,
    pub org: Option<&'a str>,
    pub subject: Option<&'a str>,
    pub detail: &'a str,
}

fn push(h: &mut Sha256, field: Option<&[u8]>) {
    match field {
        None => h.update([0u8]),
        Some(bytes) => {
            h.update([1u8]);
            h.update((bytes.len() as u64).to_be_bytes());
            h.update(bytes);
        }
    }
}

/// The link of `row` at `seq` after `prev`.
pub fn link(prev: &[u8; 32], seq: i64, row: &NewRow<'_>) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(LAYOUT);
    h.update(prev);
    h.update(seq.to_be_bytes());
    push(&mut h, Some(row.id.as_bytes()));
    h.update(row.at.to_be_bytes());
    h.update(row.recorded_at.to_be_bytes());
    for field in [
        row.person,
        row.device,
        row.safe,
        row.building,
        row.org,
        row.subject,
    ] {
        push(&mut h, field.map(str::as_bytes));
    }
    push(&mut h, Some(row.kind.as_bytes()));
    push(&mut h, Some(row.detail.as_bytes()));
    h.finalize().into()
}

/// Where the next row goes: appends in one transaction reuse it instead of reading the head
/// for every row.
pub struct Chain {
    next: i64,
    prev: [u8; 32],
}

impl Chain {
    pub fn at_head(conn: &Connection) -> Result<Chain, ServerError> {
        let head: Option<(i64, Vec<u8>)> = conn
            .query_row(
                "SELECT seq, chain FROM audit_events WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        Ok(match head {
            None => Chain {
                next: 1,
                prev: GENESIS,
            },
            Some((seq, chain)) => Chain {
                next: seq + 1,
                prev: chain
                    .try_into()
                    .map_err(|_| ServerError::Invalid(format!("audit row {seq}: bad link")))?,
            },
        })
    }

    /// Inserts `row` as the next link.
    pub fn append(&mut self, conn: &Connection, row: &NewRow<'_>) -> Result<(), ServerError> {
        let chain = link(&self.prev, self.next, row);
        conn.prepare_cached(
            "INSERT INTO audit_events (id, at, recorded_at, person_id, device_id, kind, safe_id,
                 building_id, org_id, subject_id, detail, seq, chain)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )?
        .execute(params![
            row.id,
            row.at,
            row.recorded_at,
            row.person,
            row.device,
            row.kind,
            row.safe,
            row.building,
            row.org,
            row.subject,
            row.detail,
            self.next,
            chain.as_slice()
        ])?;
        self.prev = chain;
        self.next += 1;
        Ok(())
    }
}

/// Chains the rows written before the chain existed, in the order the server received them.
/// Runs once, in the migration that adds the chain.
pub(super) fn backfill(conn: &Connection) -> Result<(), ServerError> {
    let mut rows = Vec::new();
    {
        let mut stmt = conn.prepare(&format!(
            "SELECT rowid, {COLS} FROM audit_events WHERE seq IS NULL ORDER BY recorded_at, rowid"
        ))?;
        let mut q = stmt.query([])?;
        while let Some(r) = q.next()? {
            rows.push((r.get::<_, i64>(0)?, Stored::read(r, 1)?));
        }
    }
    let mut chain = Chain::at_head(conn)?;
    let mut update =
        conn.prepare("UPDATE audit_events SET seq = ?1, chain = ?2 WHERE rowid = ?3")?;
    for (rowid, stored) in rows {
        let linked = link(&chain.prev, chain.next, &stored.row());
        update.execute(params![chain.next, linked.as_slice(), rowid])?;
        chain.prev = linked;
        chain.next += 1;
    }
    Ok(())
}

const COLS: &str = "id, at, recorded_at, person_id, device_id, kind, safe_id, building_id, \
                    org_id, subject_id, detail";

struct Stored {
    id: String,
    at: i64,
    recorded_at: i64,
    opt: [Option<String>; 6],
    kind: String,
    detail: String,
}

impl Stored {
    fn read(r: &rusqlite::Row<'_>, o: usize) -> rusqlite::Result<Stored> {
        Ok(Stored {
            id: r.get(o)?,
            at: r.get(o + 1)?,
            recorded_at: r.get(o + 2)?,
            opt: [
                r.get(o + 3)?,
                r.get(o + 4)?,
                r.get(o + 6)?,
                r.get(o + 7)?,
                r.get(o + 8)?,
                r.get(o + 9)?,
            ],
            kind: r.get(o + 5)?,
            detail: r.get(o + 10)?,
        })
    }

    fn row(&self) -> NewRow<'_> {
        let [person, device, safe, building, org, subject] = &self.opt;
        NewRow {
            id: &self.id,
            at: self.at,
            recorded_at: self.recorded_at,
            person: person.as_deref(),
            device: device.as_deref(),
            kind: &self.kind,
            safe: safe.as_deref(),
            building: building.as_deref(),
            org: org.as_deref(),
            subject: subject.as_deref(),
            detail: &self.detail,
        }
    }
}

/// What [`verify`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// Rows whose links hold, from the first.
    pub verified: u64,
    /// The last good row: its `seq` and link (hex), to compare a later run or a backup with.
    pub head: Option<(i64, String)>,
    pub problem: Option<Problem>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The row at `seq` is not what was written (or a row before it was replaced).
    Changed { seq: i64, id: String },
    /// Rows are missing: `seq` was expected next, `found` came.
    Removed { seq: i64, found: i64 },
    /// A row that was never linked: slipped in past the server.
    Inserted { id: String },
    /// The chain does not reach the head an earlier verify or a backup saw.
    Shortened { expected: i64, last: i64 },
    /// The row at `seq` differs from the earlier head given: the tail was rewritten.
    Rewritten { seq: i64 },
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::Changed { seq, id } => write!(f, "row {seq} (event {id}) was changed"),
            Problem::Removed { seq, found } => {
                write!(f, "rows {seq} to {} were removed", found - 1)
            }
            Problem::Inserted { id } => write!(f, "event {id} was inserted outside the server"),
            Problem::Shortened { expected, last } => write!(
                f,
                "the trail ends at row {last}, but row {expected} was seen before: rows were removed"
            ),
            Problem::Rewritten { seq } => {
                write!(
                    f,
                    "row {seq} differs from the head seen before: the trail was rewritten"
                )
            }
        }
    }
}

/// Walks the whole chain (and, given an earlier head, checks the chain still passes through
/// it). Reads in `seq` order with one statement; no row is held beyond the one being checked.
pub fn verify(conn: &Connection, earlier: Option<(i64, &str)>) -> Result<Verdict, ServerError> {
    let unlinked: Option<String> = conn
        .query_row(
            "SELECT id FROM audit_events WHERE seq IS NULL OR chain IS NULL LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    let mut verdict = Verdict {
        verified: 0,
        head: None,
        problem: unlinked.map(|id| Problem::Inserted { id }),
    };
    if verdict.problem.is_some() {
        return Ok(verdict);
    }
    let mut stmt = conn.prepare(&format!(
        "SELECT seq, chain, {COLS} FROM audit_events ORDER BY seq"
    ))?;
    let mut q = stmt.query([])?;
    let mut prev = GENESIS;
    let mut expected = 1;
    while let Some(r) = q.next()? {
        let seq: i64 = r.get(0)?;
        let stored_link: Vec<u8> = r.get(1)?;
        let stored = Stored::read(r, 2)?;
        if seq != expected {
            verdict.problem = Some(Problem::Removed {
                seq: expected,
                found: seq,
            });
            return Ok(verdict);
        }
        let computed = link(&prev, seq, &stored.row());
        if computed.as_slice() != stored_link.as_slice() {
            verdict.problem = Some(Problem::Changed { seq, id: stored.id });
            return Ok(verdict);
        }
        if let Some((at, hash)) = earlier
            && at == seq
            && !hex::encode(computed).eq_ignore_ascii_case(hash)
        {
            verdict.problem = Some(Problem::Rewritten { seq });
            return Ok(verdict);
        }
        prev = computed;
        expected += 1;
        verdict.verified += 1;
        verdict.head = Some((seq, hex::encode(computed)));
    }
    if let Some((at, _)) = earlier
        && at >= expected
    {
        verdict.problem = Some(Problem::Shortened {
            expected: at,
            last: expected - 1,
        });
    }
    Ok(verdict)
}

/// The SQL that freezes chained rows (after the backfill has linked the old ones).
pub(super) const FREEZE: &str = "
CREATE UNIQUE INDEX audit_seq ON audit_events(seq);
CREATE TRIGGER audit_rows_stay BEFORE UPDATE ON audit_events WHEN OLD.seq IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'audit rows cannot be changed'); END;
CREATE TRIGGER audit_rows_remain BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit rows cannot be removed'); END;
";

#[cfg(test)]
mod tests {
    use super::*;

    /// The hashed layout is a stored format: a change needs a new `LAYOUT`, or every trail
    /// kept so far stops verifying.
    #[test]
    fn the_link_of_a_known_row_is_frozen() {
        let row = NewRow {
            id: "0b7e6f3c-1d2a-4c5b-9e8f-7a6b5c4d3e2f",
            at: 1_800_000_000_000,
            recorded_at: 1_800_000_000_500,
            person: Some("p-1"),
            device: None,
            kind: "code_revealed",
            safe: Some("s-9"),
            detail: "",
            ..NewRow::default()
        };
        let first = link(&GENESIS, 1, &row);
        assert_eq!(hex::encode(first), GOLDEN_FIRST);
        let second = link(&first, 2, &NewRow { detail: "x", ..row });
        assert_eq!(hex::encode(second), GOLDEN_SECOND);
        // Each field counts: None and an empty string differ.
        let empty = link(
            &GENESIS,
            1,
            &NewRow {
                device: Some(""),
                ..row
            },
        );
        assert_ne!(empty, first);
    }

    const GOLDEN_FIRST: &str = "b96997baef842c7fcfde7a70018a36b6f5655c8a3adca3c6152af6bfc2d08d4b";
    const GOLDEN_SECOND: &str = "426f896c71ace2c9801f89824b08e52c138a8cc741633480135e4d0e77a45ee8";
}
