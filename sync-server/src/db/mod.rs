//! SQLite through rusqlite: one connection, WAL, foreign keys on, migrations at open. Work
//! runs on tokio's blocking pool, never on the async executor.
//!
//! `synchronous = FULL`: every commit waits for the WAL to reach the disk. An acknowledged
//! "Gewijzigd" is a code already set on the physical safe; with `NORMAL` a power cut could
//! roll it back and carers would be sent to the door with the old code.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rusqlite::Connection;
use rusqlite::config::DbConfig;

use crate::error::ServerError;

pub mod accounts;
pub mod attention;
pub mod audit;
pub mod audit_chain;
pub mod audit_list;
pub mod buildings;
pub mod campaigns;
pub mod changes;
pub mod codes_in_use;
pub mod column;
pub mod confirmations;
pub mod docs;
pub mod door;
pub mod evaluation;
pub mod exposure;
mod migrations;
pub mod notices;
pub mod orgs;
pub mod people;
pub mod private;
pub mod registry;
pub mod repairs;
pub mod reports;
pub mod requests;
pub mod rounds;
pub mod scope_docs;
pub mod scope_view;
pub mod sessions;
pub mod settings;
pub mod urgent;

pub const DB_FILE: &str = "kluis.sqlite3";

#[derive(Clone)]
pub struct Db {
    conn: Arc<Mutex<Connection>>,
    path: PathBuf,
    codes: Arc<codes_in_use::CodesInUse>,
}

impl Db {
    /// Opens (creating if needed) `<data_dir>/kluis.sqlite3` and migrates it. The directory
    /// is made owner-only and the database files owner-readable only.
    pub fn open(data_dir: &Path) -> Result<Db, ServerError> {
        private::create_dir(data_dir)?;
        let path = data_dir.join(DB_FILE);
        // SQLite gives its -wal and -shm files the mode of the database file.
        private::create_file(&path)?;
        let mut conn = Connection::open(&path)?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = FULL;
             PRAGMA foreign_keys = ON;
             PRAGMA busy_timeout = 5000;",
        )?;
        for suffix in ["-wal", "-shm"] {
            private::tighten(&data_dir.join(format!("{DB_FILE}{suffix}")))?;
        }
        migrations::migrate(&mut conn)?;
        // Room for every statement of a request's hot path (auth, sync) and then some.
        conn.set_prepared_statement_cache_capacity(64);
        // Without the query planner stability guarantee SQLite re-plans a cached join each
        // time a bound value changes (every request's token lookup): a third of the server's
        // CPU per sync went to parsing it again.
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
        let codes = Arc::new(codes_in_use::CodesInUse::watch(&mut conn)?);
        Ok(Db {
            conn: Arc::new(Mutex::new(conn)),
            path,
            codes,
        })
    }

    /// Every code in use (current or pending) with its safe, decrypted: kept between calls
    /// (see `codes_in_use`). `conn` must be this database's connection.
    pub fn codes_in_use(
        &self,
        conn: &Connection,
        key: &kluis_crypto::SecretKey,
    ) -> Result<
        Vec<(
            kluis_domain::ids::SafeId,
            kluis_domain::safe_model::ButtonSet,
        )>,
        ServerError,
    > {
        self.codes.get(conn, key)
    }

    #[cfg(test)]
    fn codes_in_use_cache(&self) -> &codes_in_use::CodesInUse {
        &self.codes
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` with the connection on the current thread (CLI commands, start-up).
    pub fn blocking<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, ServerError>,
    ) -> Result<T, ServerError> {
        // A panic while holding the lock poisons it; the connection itself is still sound
        // (SQLite rolls back the open transaction), so keep serving.
        let mut conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut conn)
    }

    /// Runs `f` on the blocking pool. A panic inside becomes an error, not a dead server.
    pub async fn call<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, ServerError> + Send + 'static,
    ) -> Result<T, ServerError> {
        let db = self.clone();
        tokio::task::spawn_blocking(move || db.blocking(f))
            .await
            .map_err(|e| ServerError::Task(e.to_string()))?
    }
}

/// Moves the WAL into the database file and empties it, so the file alone is complete (a
/// clean stop; a copy taken by hand afterwards needs no -wal beside it).
pub fn checkpoint(conn: &mut Connection) -> Result<(), ServerError> {
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use rusqlite::StatementStatus;

    /// A cached statement is compiled once: binding another value does not re-plan it.
    #[test]
    fn a_cached_join_is_not_prepared_again_for_each_value() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path()).unwrap();
        let sql =
            "SELECT p.id FROM people p JOIN organisations o ON o.id = p.org_id WHERE p.login = ?1";
        db.blocking(|conn| {
            for login in ["a", "b", "c", "d"] {
                let _ = conn.prepare_cached(sql)?.query_row([login], |_| Ok(()));
            }
            let stmt = conn.prepare_cached(sql)?;
            assert_eq!(stmt.get_status(StatementStatus::RePrepare), 0);
            Ok(())
        })
        .unwrap();
    }
}
