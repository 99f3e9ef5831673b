//! Owner-only files: the data directory holds every code (sealed) and the audit trail, so no
//! other account on the machine may list or read it.

use std::path::Path;

use crate::error::ServerError;

/// Creates `dir` (and its parents) owner-only, and tightens it when it exists.
pub fn create_dir(dir: &Path) -> Result<(), ServerError> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)?;
    set_mode(dir, 0o700)
}

/// Creates an empty file readable by its owner only, unless it exists (then tightens it).
pub fn create_file(path: &Path) -> Result<(), ServerError> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path)?;
    set_mode(path, 0o600)
}

/// Owner-only, when the file exists.
pub fn tighten(path: &Path) -> Result<(), ServerError> {
    if path.exists() {
        set_mode(path, 0o600)?;
    }
    Ok(())
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> Result<(), ServerError> {
    use std::os::unix::fs::PermissionsExt;
    let now = std::fs::metadata(path)?.permissions().mode() & 0o777;
    if now != mode {
        if now & 0o077 != 0 {
            tracing::warn!(path = %path.display(), mode = format!("{now:o}"), "others could read this; made it owner-only");
        }
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) -> Result<(), ServerError> {
    Ok(())
}
