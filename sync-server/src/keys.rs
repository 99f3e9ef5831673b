//! The server key that seals codes and documents at rest. It never enters the database, so a
//! copy of the SQLite file alone reveals no code.

use std::io::Write;
use std::path::Path;

use kluis_crypto::SecretKey;

use crate::error::ServerError;

pub const KEY_FILE: &str = "server.key";

/// The key from `KLUIS_SERVER_KEY`/settings when given, else from `<data_dir>/server.key`,
/// created on first start with owner-only permissions.
pub fn load_or_create(data_dir: &Path, configured: Option<&str>) -> Result<SecretKey, ServerError> {
    if let Some(b64) = configured {
        return SecretKey::from_base64(b64)
            .map_err(|e| ServerError::Key(format!("KLUIS_SERVER_KEY: {e}")));
    }
    let path = data_dir.join(KEY_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => SecretKey::from_base64(&text)
            .map_err(|e| ServerError::Key(format!("{}: {e}", path.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key = SecretKey::generate()?;
            write_private(&path, key.to_base64().as_bytes())?;
            tracing::info!(path = %path.display(), "created a new server key; back it up apart from the database");
            Ok(key)
        }
        Err(e) => Err(ServerError::Key(format!("{}: {e}", path.display()))),
    }
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
}
