//! Why the history could not be read or written, as one line a user can act on: SQLite's
//! error codes turned into plain words (read-only, disk full, locked, damaged) with the file
//! named, and a kind the callers branch on (a damaged file is moved aside, not reported).

use std::fmt;
use std::path::Path;

use rusqlite::ErrorCode;

/// Why the history could not be read or written, as one line for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreError {
    pub kind: StoreErrorKind,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreErrorKind {
    /// Not a database (any more); it was moved aside if possible.
    Corrupt,
    /// A SQLite file belonging to another program, or to a newer supple.
    Foreign,
    ReadOnly,
    DiskFull,
    Locked,
    Other,
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for StoreError {}

impl StoreError {
    /// The message names paths, which may hold anything: it is cleaned for the terminal here,
    /// once, for every place that shows it (stderr, the run screen's status line).
    pub(super) fn new(kind: StoreErrorKind, message: impl Into<String>) -> StoreError {
        StoreError { kind, message: crate::sanitize::line(&message.into()) }
    }

    /// Names the file and says in plain words what SQLite's error means for the user.
    pub(super) fn from_sqlite(path: Option<&Path>, err: &rusqlite::Error) -> StoreError {
        let place = path.map_or_else(|| "history (in memory)".to_string(), |p| p.display().to_string());
        let (kind, why) = match err.sqlite_error_code() {
            Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => {
                (StoreErrorKind::Corrupt, "the file is damaged or not a database".to_string())
            }
            Some(ErrorCode::ReadOnly | ErrorCode::PermissionDenied) => {
                (StoreErrorKind::ReadOnly, "the file or its folder is read-only".to_string())
            }
            Some(ErrorCode::CannotOpen) => {
                (StoreErrorKind::ReadOnly, "cannot open the file (missing folder or no permission)".to_string())
            }
            Some(ErrorCode::DiskFull) => (StoreErrorKind::DiskFull, "the disk is full".to_string()),
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
                (StoreErrorKind::Locked, "the file is locked by another program".to_string())
            }
            // Growing the WAL's shared-memory file failed: SQLite's own docs name a full disk
            // as the cause, and "disk I/O error" would tell the user nothing.
            Some(ErrorCode::SystemIoFailure)
                if err.sqlite_error().is_some_and(|e| e.extended_code == rusqlite::ffi::SQLITE_IOERR_SHMSIZE) =>
            {
                (StoreErrorKind::DiskFull, "the disk is full".to_string())
            }
            Some(ErrorCode::SystemIoFailure) => (StoreErrorKind::Other, format!("input/output error ({err})")),
            _ => (StoreErrorKind::Other, err.to_string()),
        };
        StoreError::new(kind, format!("{place}: {why}"))
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
