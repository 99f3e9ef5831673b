//! The codes in use (current or pending) of every safe, decrypted, kept between calls. A new
//! code must keep its distance to every code in use, and decrypting all of them for each
//! rotation took 200-320 ms at 50,000 safes; now only the rows changed since the last call
//! are read again.
//!
//! What changed is never taken from the callers: SQLite's update hook on the one connection
//! notes every row of `codes` that any statement inserts, updates or deletes (a transaction
//! rolled back afterwards leaves a row to read again, which is harmless), and
//! `PRAGMA data_version` tells when another connection (an admin command) committed, which
//! reloads everything. The decrypted codes are what the scope documents in memory hold
//! anyway.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use kluis_crypto::SecretKey;
use kluis_domain::ids::{CodeId, SafeId};
use kluis_domain::safe_model::ButtonSet;
use rusqlite::{Connection, OptionalExtension};

use super::column::parse_col;
use super::registry::open_code;
use crate::error::ServerError;

/// Rows changed between two calls beyond which everything is read again (a campaign's).
const MAX_DIRTY: usize = 4096;

#[derive(Default)]
struct Dirty {
    rows: HashSet<i64>,
    overflow: bool,
}

#[derive(Default)]
struct Held {
    loaded: bool,
    data_version: i64,
    by_row: HashMap<i64, (SafeId, ButtonSet)>,
}

pub struct CodesInUse {
    held: Mutex<Held>,
    dirty: Arc<Mutex<Dirty>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl CodesInUse {
    /// Watches `conn` from now on (replaces any update hook it had).
    pub fn watch(conn: &mut Connection) -> Result<CodesInUse, ServerError> {
        let dirty = Arc::new(Mutex::new(Dirty::default()));
        let noted = dirty.clone();
        conn.update_hook(Some(move |_action, _db: &str, table: &str, rowid: i64| {
            if table == "codes" {
                let mut d = lock(&noted);
                if d.rows.len() < MAX_DIRTY {
                    d.rows.insert(rowid);
                } else {
                    d.overflow = true;
                }
            }
        }))?;
        Ok(CodesInUse {
            held: Mutex::new(Held::default()),
            dirty,
        })
    }

    /// Every code in use with its safe, as `conn` (the watched connection) holds them now.
    pub fn get(
        &self,
        conn: &Connection,
        key: &SecretKey,
    ) -> Result<Vec<(SafeId, ButtonSet)>, ServerError> {
        let mut held = lock(&self.held);
        let dirty = std::mem::take(&mut *lock(&self.dirty));
        let version: i64 = conn.query_row("PRAGMA data_version", [], |r| r.get(0))?;
        let caught_up = if !held.loaded || dirty.overflow || version != held.data_version {
            load_all(conn, key).map(|all| held.by_row = all)
        } else {
            dirty.rows.into_iter().try_for_each(|row| {
                match load_row(conn, key, row)? {
                    Some(code) => held.by_row.insert(row, code),
                    None => held.by_row.remove(&row),
                };
                Ok(())
            })
        };
        // Rows taken from the dirty set and not read are lost to it: start over next time.
        held.loaded = caught_up.is_ok();
        caught_up?;
        held.data_version = version;
        Ok(held.by_row.values().cloned().collect())
    }
}

const IN_USE: &str = "state IN ('current', 'pending')";

fn row_code(
    key: &SecretKey,
    r: &rusqlite::Row<'_>,
) -> Result<(i64, SafeId, ButtonSet), ServerError> {
    let code: CodeId = parse_col(r, 1)?;
    let safe: SafeId = parse_col(r, 2)?;
    let sealed: Vec<u8> = r.get(3)?;
    Ok((r.get(0)?, safe, open_code(key, safe, code, &sealed)?))
}

fn load_all(
    conn: &Connection,
    key: &SecretKey,
) -> Result<HashMap<i64, (SafeId, ButtonSet)>, ServerError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT rowid, id, safe_id, sealed_value FROM codes WHERE {IN_USE}"
    ))?;
    let mut rows = stmt.query([])?;
    let mut out = HashMap::new();
    while let Some(r) = rows.next()? {
        let (row, safe, code) = row_code(key, r)?;
        out.insert(row, (safe, code));
    }
    Ok(out)
}

fn load_row(
    conn: &Connection,
    key: &SecretKey,
    row: i64,
) -> Result<Option<(SafeId, ButtonSet)>, ServerError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT rowid, id, safe_id, sealed_value FROM codes WHERE rowid = ?1 AND {IN_USE}"
    ))?;
    let found = stmt
        .query_row([row], |r| Ok(row_code(key, r)))
        .optional()?
        .transpose()?;
    Ok(found.map(|(_, safe, code)| (safe, code)))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::db::Db;
    use kluis_domain::time::Timestamp;

    fn sorted(mut v: Vec<(SafeId, ButtonSet)>) -> Vec<(SafeId, String)> {
        v.sort_by_key(|(s, c)| (*s, c.to_string()));
        v.into_iter().map(|(s, c)| (s, c.to_string())).collect()
    }

    /// What the database holds, read without the cache.
    fn fresh(conn: &Connection, key: &SecretKey) -> Vec<(SafeId, String)> {
        sorted(load_all(conn, key).unwrap().into_values().collect())
    }

    #[test]
    fn the_cached_codes_are_always_what_the_database_holds() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path()).unwrap();
        let key = crate::keys::load_or_create(dir.path(), None).unwrap();
        crate::bench_registry::seed_bench_registry(&db, &key, 40, Timestamp::from_millis(0))
            .unwrap();
        let check = |db: &Db| {
            db.blocking(|conn| {
                let cached = sorted(db.codes_in_use(conn, &key)?);
                assert_eq!(cached, fresh(conn, &key));
                Ok(cached.len())
            })
            .unwrap()
        };
        let all = check(&db);
        assert!(all >= 40, "{all} codes in use");

        // A code retired, one deleted, one made pending again: each row read again.
        db.blocking(|conn| {
            conn.execute_batch(
                "UPDATE codes SET state = 'retired' WHERE rowid = (SELECT min(rowid) FROM codes);
                 DELETE FROM codes WHERE rowid = (SELECT max(rowid) FROM codes WHERE state = 'current');",
            )?;
            Ok(())
        })
        .unwrap();
        assert_eq!(check(&db), all - 2);

        // A transaction rolled back changes nothing.
        db.blocking(|conn| {
            let tx = conn.transaction()?;
            tx.execute("UPDATE codes SET state = 'retired'", [])?;
            tx.rollback()?;
            Ok(())
        })
        .unwrap();
        assert_eq!(check(&db), all - 2);

        // Another connection (an admin command) writes: everything is read again.
        let other = Connection::open(db.path()).unwrap();
        other
            .execute(
                "UPDATE codes SET state = 'previous' WHERE rowid IN (SELECT rowid FROM codes WHERE state = 'current' LIMIT 3)",
                [],
            )
            .unwrap();
        assert_eq!(check(&db), all - 5);

        // More rows changed than the dirty set holds (retired codes of a safe, and one more
        // code out of use).
        db.blocking(|conn| {
            conn.execute_batch(&format!(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {})
                 INSERT INTO codes (id, safe_id, sealed_value, state, created_at)
                 SELECT lower(hex(randomblob(16))), (SELECT id FROM safes LIMIT 1), x'00', 'retired', 0 FROM n;
                 UPDATE codes SET state = 'retired' WHERE rowid = (SELECT min(rowid) FROM codes WHERE state = 'current');",
                MAX_DIRTY + 1
            ))?;
            Ok(())
        })
        .unwrap();
        assert!(lock(&db.codes_in_use_cache().dirty).overflow);
        assert_eq!(check(&db), all - 6);
    }
}
