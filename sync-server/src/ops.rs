//! What the operator does with a data directory besides serving it: a consistent copy while
//! the server runs, a checked restore, and the audit chain's verification. The lock file
//! tells a restore that a server has the directory open.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::Instant;

use kluis_crypto::SecretKey;
use kluis_domain::ids::EventId;
use kluis_domain::model::AuditKind;
use kluis_domain::time::Timestamp;
use rusqlite::{Connection, OpenFlags};

use crate::db::{DB_FILE, audit, audit_chain, private};
use crate::error::ServerError;
use crate::keys::{self, KeySource};

pub const LOCK_FILE: &str = "kluis.lock";

/// Held by a running server for as long as it serves the directory.
#[derive(Debug)]
pub struct DataLock {
    _file: File,
}

impl DataLock {
    /// Takes the directory, or says that a server has it.
    pub fn take(data_dir: &Path) -> Result<DataLock, ServerError> {
        let path = data_dir.join(LOCK_FILE);
        private::create_file(&path)?;
        let file = File::options().write(true).open(&path)?;
        match file.try_lock() {
            Ok(()) => Ok(DataLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(ServerError::Config(format!(
                "a Kluis server is running on {}: stop it first",
                data_dir.display()
            ))),
            Err(std::fs::TryLockError::Error(e)) => Err(e.into()),
        }
    }
}

/// What a backup holds, as the commands print it.
#[derive(Clone, Debug)]
pub struct Summary {
    pub bytes: u64,
    pub safes: i64,
    pub codes: i64,
    pub people: i64,
    pub active_devices: i64,
    pub audit_rows: i64,
    /// The audit chain's last row and link: a later verify can be checked against it.
    pub audit_head: Option<(i64, String)>,
    pub millis: u128,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "  size:          {} bytes", self.bytes)?;
        writeln!(f, "  safes:         {}", self.safes)?;
        writeln!(f, "  codes:         {} (sealed)", self.codes)?;
        writeln!(f, "  people:        {}", self.people)?;
        writeln!(f, "  devices:       {} active", self.active_devices)?;
        writeln!(f, "  audit rows:    {}", self.audit_rows)?;
        if let Some((seq, hash)) = &self.audit_head {
            writeln!(f, "  audit head:    {seq}:{hash}")?;
        }
        write!(f, "  took:          {} ms", self.millis)
    }
}

fn count(conn: &Connection, sql: &str) -> Result<i64, ServerError> {
    Ok(conn.query_row(sql, [], |r| r.get(0))?)
}

/// Opens `file` read-only and checks it: SQLite's integrity check, the key opens it, the
/// audit chain holds. Then counts what it holds.
pub fn check_copy(file: &Path, key: &SecretKey) -> Result<Summary, ServerError> {
    let t = Instant::now();
    let conn = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if integrity != "ok" {
        return Err(ServerError::Invalid(format!(
            "{} is damaged: {integrity}",
            file.display()
        )));
    }
    keys::check(&conn, key)?;
    let chain = audit_chain::verify(&conn, None)?;
    if let Some(problem) = &chain.problem {
        return Err(ServerError::Invalid(format!(
            "the audit trail in {} does not verify: {problem}",
            file.display()
        )));
    }
    Ok(Summary {
        bytes: std::fs::metadata(file)?.len(),
        safes: count(&conn, "SELECT count(*) FROM safes")?,
        codes: count(&conn, "SELECT count(*) FROM codes")?,
        people: count(&conn, "SELECT count(*) FROM people")?,
        active_devices: count(
            &conn,
            "SELECT count(*) FROM devices WHERE revoked_at IS NULL",
        )?,
        audit_rows: count(&conn, "SELECT count(*) FROM audit_events")?,
        audit_head: chain.head,
        millis: t.elapsed().as_millis(),
    })
}

/// A `sync-server admin` command in the trail of the database it acted on.
pub fn note_command(conn: &Connection, now: Timestamp, what: &str) -> Result<(), ServerError> {
    audit::record(
        conn,
        EventId::random(&mut crate::state::OsRandom),
        now,
        now,
        None,
        None,
        AuditKind::AdminCommand,
        None,
        what,
    )?;
    Ok(())
}

/// Copies the live database into `to` in one read transaction (`VACUUM INTO`: consistent
/// while the server writes, compacted), then checks the copy. `to` must not exist.
pub fn backup(
    data_dir: &Path,
    to: &Path,
    source: &KeySource,
    now: Timestamp,
) -> Result<Summary, ServerError> {
    let t = Instant::now();
    if to.exists() {
        return Err(ServerError::Config(format!(
            "{} exists: a backup never overwrites a file",
            to.display()
        )));
    }
    let db_path = data_dir.join(DB_FILE);
    if !db_path.exists() {
        return Err(ServerError::Config(format!(
            "no Kluis database in {}",
            data_dir.display()
        )));
    }
    let conn = Connection::open(&db_path)?;
    conn.execute_batch("PRAGMA busy_timeout = 10000;")?;
    let key = keys::for_database(&conn, source)?;
    note_command(&conn, now, &format!("backup to {}", file_name(to)))?;
    let partial = partial_path(to);
    let _ = std::fs::remove_file(&partial);
    conn.execute("VACUUM INTO ?1", [partial.to_string_lossy().as_ref()])?;
    drop(conn);
    private::tighten(&partial)?;
    File::open(&partial)?.sync_all()?;
    let summary = match check_copy(&partial, &key) {
        Ok(s) => s,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };
    std::fs::rename(&partial, to)?;
    sync_dir(to);
    Ok(Summary {
        millis: t.elapsed().as_millis(),
        ..summary
    })
}

/// Replaces the database of `data_dir` by the backup `from`, after checking that no server
/// has the directory, that the backup is sound and that the key opens it. The database it
/// replaces is kept beside it, renamed. `key_file`: the backed-up key, put in place when
/// the directory has none.
pub fn restore(
    from: &Path,
    data_dir: &Path,
    source: &KeySource,
    key_file: Option<&Path>,
    now: Timestamp,
) -> Result<(Summary, Option<PathBuf>), ServerError> {
    private::create_dir(data_dir)?;
    let _lock = DataLock::take(data_dir)?;
    let key = match key_file {
        Some(file) => KeySource::File(file.to_path_buf()).load(false)?,
        None => source.load(false)?,
    };
    // The key must open the backup before anything is replaced.
    let summary = check_copy(from, &key)?;
    if let (Some(_), KeySource::File(target)) = (key_file, source) {
        match KeySource::File(target.clone()).load(false) {
            Ok(existing) if existing.expose_bytes() != key.expose_bytes() => {
                return Err(ServerError::Key(format!(
                    "{} holds another key than the backup's: move it away first",
                    target.display()
                )));
            }
            Ok(_) => {}
            Err(_) if !target.exists() => keys::write_key_file(target, &key)?,
            Err(e) => return Err(e),
        }
    }
    let db_path = data_dir.join(DB_FILE);
    let incoming = data_dir.join(format!("{DB_FILE}.restoring"));
    let _ = std::fs::remove_file(&incoming);
    std::fs::copy(from, &incoming)?;
    private::tighten(&incoming)?;
    File::open(&incoming)?.sync_all()?;
    let kept = if db_path.exists() {
        // Fold the old WAL in so the kept file is whole on its own.
        let old = Connection::open(&db_path)?;
        old.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        drop(old);
        let kept = data_dir.join(format!("{DB_FILE}.before-restore-{}", now.millis()));
        std::fs::rename(&db_path, &kept)?;
        Some(kept)
    } else {
        None
    };
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(data_dir.join(format!("{DB_FILE}{suffix}")));
    }
    std::fs::rename(&incoming, &db_path)?;
    sync_dir(&db_path);
    let db = crate::db::Db::open(data_dir)?;
    db.blocking(|c| {
        keys::verify(c, &key)?;
        note_command(c, now, &format!("restore from {}", file_name(from)))
    })?;
    Ok((summary, kept))
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn partial_path(to: &Path) -> PathBuf {
    let mut name = to.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    to.with_file_name(name)
}

/// A rename is durable once its directory is synced; where that cannot be done the rename
/// still happened, it may only be undone by a power cut.
fn sync_dir(file: &Path) {
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty())
        && let Ok(d) = File::open(dir)
    {
        let _ = d.sync_all();
    }
}
