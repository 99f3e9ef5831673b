//! The server key that seals codes and documents at rest. It never enters the database, so a
//! copy of the SQLite file alone reveals no code. The database holds a check value sealed
//! with it, so a database started with another key (or copied without its key) refuses to
//! start instead of failing later, code by code.

use std::io::Write;
use std::path::{Path, PathBuf};

use kluis_crypto::{Aad, SecretKey};
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::ServerError;

pub const KEY_FILE: &str = "server.key";

const CHECK_META: &str = "key_check";
const CHECK_AAD: Aad<'static> = Aad {
    kind: "kluis/server-key-check",
    version: 1,
    owner: "server",
};
const CHECK_TEXT: &[u8] = b"kluis server key";

/// Where the key comes from: the `server_key` setting (base64), the `server_key_file`
/// setting, else `<data_dir>/server.key`.
#[derive(Clone, Debug)]
pub enum KeySource {
    Inline(String),
    File(PathBuf),
}

impl KeySource {
    pub fn new(data_dir: &Path, inline: Option<&str>, file: Option<&Path>) -> KeySource {
        match (inline, file) {
            (Some(b64), _) => KeySource::Inline(b64.to_string()),
            (None, Some(file)) => KeySource::File(file.to_path_buf()),
            (None, None) => KeySource::File(data_dir.join(KEY_FILE)),
        }
    }

    /// A key file in the data directory: a copy of the directory then holds every sealed
    /// code and the key that opens them.
    pub fn beside_database(&self, data_dir: &Path) -> bool {
        match self {
            KeySource::Inline(_) => false,
            KeySource::File(path) => {
                let dir = path.parent().unwrap_or(Path::new("."));
                let canon = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
                canon(dir) == canon(data_dir)
            }
        }
    }

    /// Loads the key; a missing file is created with a new key only when `may_create`.
    pub fn load(&self, may_create: bool) -> Result<SecretKey, ServerError> {
        let path = match self {
            KeySource::Inline(b64) => {
                return SecretKey::from_base64(b64)
                    .map_err(|e| ServerError::Key(format!("server_key: {e}")));
            }
            KeySource::File(path) => path,
        };
        match std::fs::read_to_string(path) {
            Ok(text) => SecretKey::from_base64(text.trim())
                .map_err(|e| ServerError::Key(format!("{}: {e}", path.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && may_create => {
                let key = SecretKey::generate()?;
                write_private(path, key.to_base64().as_bytes())?;
                tracing::info!(path = %path.display(), "created a new server key; back it up apart from the database");
                Ok(key)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(ServerError::Key(format!(
                "{} is missing, and this database was sealed with a key: restore the key file \
                 from its backup (a new key would open none of the codes)",
                path.display()
            ))),
            Err(e) => Err(ServerError::Key(format!("{}: {e}", path.display()))),
        }
    }
}

/// The key of `data_dir` when nothing is configured (benches, tests, a fresh directory).
pub fn load_or_create(data_dir: &Path, configured: Option<&str>) -> Result<SecretKey, ServerError> {
    KeySource::new(data_dir, configured, None).load(true)
}

/// Whether the database was sealed with a key already (it holds the check value or a code).
pub fn is_sealed(conn: &Connection) -> Result<bool, ServerError> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM server_meta WHERE key = ?1)
                 OR EXISTS (SELECT 1 FROM codes)",
        [CHECK_META],
        |r| r.get(0),
    )?)
}

/// The database's key from `source`, checked against it; a new key only for a database that
/// holds nothing sealed yet.
pub fn for_database(conn: &Connection, source: &KeySource) -> Result<SecretKey, ServerError> {
    let key = source.load(!is_sealed(conn)?)?;
    verify(conn, &key)?;
    Ok(key)
}

/// Checks that `key` is the database's key, writing the check value on first use. A database
/// from before the check was kept proves its key by one of its sealed codes.
pub fn verify(conn: &Connection, key: &SecretKey) -> Result<(), ServerError> {
    if check(conn, key)? {
        return Ok(());
    }
    use base64::Engine as _;
    let blob = kluis_crypto::seal(key, &CHECK_AAD, CHECK_TEXT)?;
    conn.execute(
        "INSERT INTO server_meta (key, value) VALUES (?1, ?2)",
        params![
            CHECK_META,
            base64::engine::general_purpose::STANDARD.encode(blob)
        ],
    )?;
    Ok(())
}

/// Checks without writing: an error when `key` is not the database's; `false` when the
/// database holds no check value yet (then it held no code either, or one that `key` opened).
pub fn check(conn: &Connection, key: &SecretKey) -> Result<bool, ServerError> {
    let stored: Option<String> = conn
        .query_row(
            "SELECT value FROM server_meta WHERE key = ?1",
            [CHECK_META],
            |r| r.get(0),
        )
        .optional()?;
    let wrong = || {
        ServerError::Key(
            "the server key does not open this database: it is another database's key, or the \
             database was copied without its own key"
                .into(),
        )
    };
    if let Some(stored) = stored {
        use base64::Engine as _;
        let blob = base64::engine::general_purpose::STANDARD
            .decode(stored.trim())
            .map_err(|_| wrong())?;
        let opened = kluis_crypto::open(key, &CHECK_AAD, &blob).map_err(|_| wrong())?;
        return if opened.as_slice() == CHECK_TEXT {
            Ok(true)
        } else {
            Err(wrong())
        };
    }
    let sample: Option<(String, String, Vec<u8>)> = conn
        .query_row(
            "SELECT safe_id, id, sealed_value FROM codes LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    if let Some((safe, code, sealed)) = sample {
        let safe = safe.parse().map_err(|_| wrong())?;
        let code = code.parse().map_err(|_| wrong())?;
        crate::db::registry::open_code(key, safe, code, &sealed).map_err(|_| wrong())?;
    }
    Ok(false)
}

/// Writes `key` to a new owner-only file (a restore puts the backed-up key in place).
pub fn write_key_file(path: &Path, key: &SecretKey) -> Result<(), ServerError> {
    write_private(path, key.to_base64().as_bytes())
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<(), ServerError> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts
        .open(path)
        .map_err(|e| ServerError::Key(format!("cannot create {}: {e}", path.display())))?;
    f.write_all(bytes)?;
    f.sync_all()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn key_is_created_once_private_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let a = load_or_create(dir.path(), None).unwrap();
        let b = load_or_create(dir.path(), None).unwrap();
        assert_eq!(a.expose_bytes(), b.expose_bytes());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(dir.path().join("other.key"), "short").unwrap();
        assert!(load_or_create(dir.path(), Some("c2hvcnQ=")).is_err());
    }

    #[test]
    fn a_missing_key_is_not_replaced_when_the_database_needs_the_old_one() {
        let dir = tempfile::tempdir().unwrap();
        let source = KeySource::new(dir.path(), None, None);
        let err = source.load(false).unwrap_err().to_string();
        assert!(err.contains("restore the key file"), "{err}");
        assert!(!dir.path().join(KEY_FILE).exists());
        assert!(source.beside_database(dir.path()));
        let elsewhere = tempfile::tempdir().unwrap();
        let apart = KeySource::new(dir.path(), None, Some(&elsewhere.path().join("k")));
        assert!(!apart.beside_database(dir.path()));
    }

    #[test]
    fn the_check_value_tells_the_right_key_from_another() {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::db::Db::open(dir.path()).unwrap();
        let key = SecretKey::generate().unwrap();
        let other = SecretKey::generate().unwrap();
        db.blocking(|c| {
            assert!(!is_sealed(c)?);
            verify(c, &key)?;
            assert!(is_sealed(c)?);
            verify(c, &key)?;
            let err = verify(c, &other).unwrap_err().to_string();
            assert!(err.contains("does not open this database"), "{err}");
            Ok(())
        })
        .unwrap();
    }

    /// The check value is a stored format: the key and nonce here are fixed so its bytes are.
    #[test]
    fn the_check_value_format_is_frozen() {
        let key = SecretKey::from_bytes([7; 32]);
        let blob = kluis_crypto::seal_with_nonce(&key, &CHECK_AAD, [9; 24], CHECK_TEXT).unwrap();
        assert_eq!(hex::encode(&blob), GOLDEN_CHECK);
        let opened = kluis_crypto::open(&key, &CHECK_AAD, &hex::decode(GOLDEN_CHECK).unwrap());
        assert_eq!(opened.unwrap().as_slice(), CHECK_TEXT);
    }

    const GOLDEN_CHECK: &str = "4b5301090909090909090909090909090909090909090909090909d51e97e30f8a0a0786646d4e4818629278184c51771ad4d22bc56b978d0d753a";
}
