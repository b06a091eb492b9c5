//! A history file that cannot be used as it is (not a SQLite database, or damaged) is moved
//! aside under a timestamped name, never overwritten, and the user is told where it went.

use std::path::{Path, PathBuf};

use super::{Result, StoreError, StoreErrorKind};

/// How an IO error on the history folder or file is reported (creating, moving aside).
pub(super) fn io_kind(e: &std::io::Error) -> StoreErrorKind {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => StoreErrorKind::ReadOnly,
        std::io::ErrorKind::StorageFull => StoreErrorKind::DiskFull,
        _ => StoreErrorKind::Other,
    }
}

pub(super) fn moved_message(path: &Path, moved: &Path) -> String {
    crate::sanitize::line(&format!(
        "{} was damaged (not a readable database); moved it to {} and started a new history",
        path.display(),
        moved.display()
    ))
}

/// Renames a damaged history (and its WAL files) to `history.db.corrupt-<UTC time>`, never
/// replacing an existing file; returns the new name.
pub(super) fn move_aside(path: &Path) -> Result<PathBuf> {
    let stamp = crate::clock::Clock.wall().timestamp().strftime("%Y%m%dT%H%M%SZ").to_string();
    let name = path.file_name().map_or_else(|| "history.db".into(), |n| n.to_string_lossy().into_owned());
    let fail = |e: std::io::Error| {
        StoreError::new(
            StoreErrorKind::Corrupt,
            format!("{} is damaged and could not be moved aside ({e}); it was left as it is", path.display()),
        )
    };
    for n in 0..100 {
        let suffix = if n == 0 { String::new() } else { format!("-{n}") };
        let target = path.with_file_name(format!("{name}.corrupt-{stamp}{suffix}"));
        if target.exists() {
            continue;
        }
        // A hard link fails rather than replace an existing file, unlike rename.
        match std::fs::hard_link(path, &target) {
            Ok(()) => std::fs::remove_file(path).map_err(fail)?,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(_) => std::fs::rename(path, &target).map_err(fail)?,
        }
        for side in ["-wal", "-shm"] {
            let from = path.with_file_name(format!("{name}{side}"));
            if from.exists() {
                let _ = std::fs::rename(&from, target.with_file_name(format!("{name}.corrupt-{stamp}{suffix}{side}")));
            }
        }
        return Ok(target);
    }
    Err(fail(std::io::Error::other("too many damaged copies already")))
}
