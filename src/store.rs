//! The session history: a SQLite file (`history.db`) written as a session runs.
//!
//! [`Store::open`] and [`Store::open_in_memory`] share one `from_connection` that sets the
//! pragmas (WAL so readers never block the writer, a busy timeout so two instances wait for
//! each other instead of failing, foreign keys) and runs the migrations of [`schema`]. Every
//! read-then-write runs under `BEGIN IMMEDIATE`, which takes the write lock up front: in WAL
//! mode a read transaction that later writes fails at once with "database is locked" when
//! another process wrote in between, and the busy timeout cannot help it.
//!
//! Nothing stored is ever damaged by a failure here: a file that is not a SQLite database is
//! moved aside (renamed with a timestamp) and never overwritten; a read-only folder, a full
//! disk or a lock held too long come back as a [`StoreError`] whose message says so in a line.
//!
//! This file opens the history and keeps it sound (migrations, sessions whose writer died);
//! the writes are in `writes.rs`, the reads in `queries.rs`, import and export in `exchange`.

mod aside;
pub mod exchange;
mod queries;
pub mod recorder;
pub mod schema;
mod store_error;
pub mod writer;
mod writes;

use std::path::{Path, PathBuf};
use std::time::Duration;

use jiff::civil::Date;
use jiff::tz::{Offset, TimeZone};
use jiff::{Timestamp, Zoned};
use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use crate::plan::{Side, StepKind};
use crate::record::Status;
use aside::{io_kind, move_aside, moved_message};
pub use store_error::{Result, StoreError, StoreErrorKind};
pub use writes::ImportCount;

/// How long a write waits for another instance's write to finish. Writes are a row or two, so
/// this is only reached when something else holds the file (a long import, a stuck program).
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(3);

/// How often opening is retried when SQLite refuses at once with "locked" (see `open_file`).
const OPEN_RETRIES: u32 = 20;

/// A running session whose writer's liveness cannot be checked is taken as dead after this.
const UNKNOWN_WRITER_GRACE_SECS: i64 = 24 * 3600;

/// An open history.
pub struct Store {
    conn: Connection,
    /// Where the file is; `None` in memory.
    path: Option<PathBuf>,
    pid: u32,
    marker: String,
    /// Something the user should hear about once, e.g. that a damaged file was moved aside.
    notice: Option<String>,
}

/// Which sessions a listing wants.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionFilter {
    /// Routine stem, compared case-insensitively.
    pub routine: Option<String>,
    /// Sessions started on this local date or later.
    pub since: Option<Date>,
    /// Only the most recent `n` (still returned oldest first).
    pub last: Option<usize>,
    /// Leave the steps out (listings that only show sessions).
    pub without_steps: bool,
}

/// How often a routine was completed, and when last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoutineCount {
    pub routine: String,
    pub count: u64,
    /// Start of the last completed session.
    pub last: Option<Zoned>,
}

/// A check-in answer pair, for averages and trends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckIn {
    /// The session's day (after `day_starts_at`).
    pub day: Date,
    pub before: Option<u8>,
    pub after: Option<u8>,
}

/// One routine's check-in answers, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoutineAnswers {
    pub routine: String,
    pub answers: Vec<CheckIn>,
}

impl Store {
    /// Opens the history at `path` for writing, creating its folder and file when missing.
    /// A damaged file is moved aside first and a new one started; its notice says so.
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_waiting(path, BUSY_TIMEOUT)
    }

    /// [`Store::open`], waiting at most `busy` for another program's lock (opening writes:
    /// migrations and marking interrupted sessions). A session about to start cannot wait long.
    pub fn open_waiting(path: &Path, busy: Duration) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                StoreError::new(io_kind(&e), format!("{}: cannot create the history folder ({e})", dir.display()))
            })?;
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE;
        match Store::open_file(path, flags, busy) {
            Err(e) if e.kind == StoreErrorKind::Corrupt => {
                let moved = move_aside(path)?;
                let mut store = Store::open_file(path, flags, busy)?;
                store.notice = Some(moved_message(path, &moved));
                Ok(store)
            }
            other => other,
        }
    }

    /// Opens the history at `path` for reading, without creating anything: `Ok(None)` when
    /// there is no history yet. A damaged file is moved aside and reported as an error whose
    /// message says where it went; the caller shows it and goes on with an empty history.
    pub fn open_existing(path: &Path) -> Result<Option<Store>> {
        if !path.exists() {
            return Ok(None);
        }
        match Store::open_file(path, OpenFlags::SQLITE_OPEN_READ_WRITE, BUSY_TIMEOUT) {
            Ok(store) => Ok(Some(store)),
            Err(e) if e.kind == StoreErrorKind::Corrupt => {
                let moved = move_aside(path)?;
                Err(StoreError::new(StoreErrorKind::Corrupt, moved_message(path, &moved)))
            }
            // A history we may read but not write (read-only file or folder, a full disk where
            // SQLite cannot even make its shared-memory file) is still shown.
            Err(e) if matches!(e.kind, StoreErrorKind::ReadOnly | StoreErrorKind::DiskFull | StoreErrorKind::Other) => {
                Store::open_file(path, OpenFlags::SQLITE_OPEN_READ_ONLY, BUSY_TIMEOUT)
                    .or_else(|e| Store::open_immutable(path).ok_or(e))
                    .map(Some)
            }
            Err(e) => Err(e),
        }
    }

    /// Reads a history in a folder where nothing can be created (read-only, or a full disk): a
    /// WAL database opened read-only still wants its `-shm` file, so SQLite is told the file
    /// cannot change and skips that and locking. Nobody can write there now, so a reader sees
    /// what is stored. `None` when that fails too.
    fn open_immutable(path: &Path) -> Option<Store> {
        let mut uri = String::from("file:");
        for c in path.to_str()?.chars() {
            match c {
                '%' => uri.push_str("%25"),
                '?' => uri.push_str("%3f"),
                '#' => uri.push_str("%23"),
                c => uri.push(c),
            }
        }
        uri.push_str("?immutable=1");
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(&uri, flags).ok()?;
        Store::from_connection(conn, Some(path.to_path_buf()), BUSY_TIMEOUT).ok()
    }

    /// A history that lives only as long as the value (tests, `--no-history` runs).
    pub fn open_in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory().map_err(|e| StoreError::from_sqlite(None, &e))?;
        Store::from_connection(conn, None, BUSY_TIMEOUT)
    }

    fn open_file(path: &Path, flags: OpenFlags, busy: Duration) -> Result<Store> {
        let clock = crate::clock::Clock;
        let mut attempt = 0;
        loop {
            let began = clock.now();
            let opened = Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)
                .map_err(|e| StoreError::from_sqlite(Some(path), &e))
                .and_then(|conn| Store::from_connection(conn, Some(path.to_path_buf()), busy));
            // While two instances create the same new file, SQLite may answer "locked" at once,
            // without waiting in the busy handler (switching to WAL takes an exclusive lock). A
            // quick refusal is that race and worth a retry; a slow one was a real, held lock.
            match opened {
                Err(e)
                    if e.kind == StoreErrorKind::Locked
                        && attempt < OPEN_RETRIES
                        && clock.now().duration_since(began) < Duration::from_millis(250) =>
                {
                    attempt += 1;
                    std::thread::sleep(Duration::from_millis(10 * u64::from(attempt)));
                }
                other => return other,
            }
        }
    }

    fn from_connection(conn: Connection, path: Option<PathBuf>, busy: Duration) -> Result<Store> {
        let mut store = Store { conn, path, pid: std::process::id(), marker: writer::own_marker(), notice: None };
        store.configure(busy).map_err(|e| store.err(&e))?;
        // Before anything that writes (even switching to WAL), so a foreign file stays as it was.
        store.check_owner()?;
        store.enable_wal().map_err(|e| store.err(&e))?;
        let read_only = store.conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false);
        if !read_only {
            store.migrate()?;
            store.mark_interrupted(crate::clock::Clock.wall().timestamp())?;
        } else if store.pragma::<i64>("user_version")? < schema::LATEST {
            // Reading it would need the tables a migration adds, and migrating is a write.
            return Err(StoreError::new(
                StoreErrorKind::ReadOnly,
                format!(
                    "{}: read-only, and made by an older supple: it needs an update that cannot be written",
                    store.place()
                ),
            ));
        }
        Ok(store)
    }

    fn configure(&self, busy: Duration) -> rusqlite::Result<()> {
        self.conn.busy_timeout(busy)?;
        // Reading the header first turns "not a database" into an error here, before any write.
        self.conn.pragma_query_value(None, "schema_version", |r| r.get::<_, i64>(0))?;
        self.conn.pragma_update(None, "foreign_keys", true)?;
        Ok(())
    }

    fn enable_wal(&self) -> rusqlite::Result<()> {
        if !self.conn.is_readonly(rusqlite::MAIN_DB)? {
            // WAL: readers never block the writer and a killed process loses nothing committed.
            self.conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get::<_, String>(0))?;
            // In WAL mode NORMAL still survives a killed process (what a crash mid-session is);
            // only a power cut can lose the last commits. It spares an fsync per step, which
            // on a busy disk is what makes another instance wait for the lock.
            self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        }
        Ok(())
    }

    /// Refuses a SQLite file that belongs to another program or to a newer supple.
    fn check_owner(&self) -> Result<()> {
        // One read transaction, so all three come from the same moment: another instance may
        // be creating the file right now, and a half-seen migration looks like a foreign file.
        let snapshot = self.conn.unchecked_transaction().map_err(|e| self.err(&e))?;
        let app_id: i32 = self.pragma("application_id")?;
        let version: i64 = self.pragma("user_version")?;
        let tables: i64 =
            self.conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0)).map_err(|e| self.err(&e))?;
        snapshot.commit().map_err(|e| self.err(&e))?;
        let place = self.place();
        if app_id != schema::APPLICATION_ID && (app_id != 0 || tables > 0) {
            return Err(StoreError::new(
                StoreErrorKind::Foreign,
                format!("{place}: not a supple history (another program's database); leaving it untouched"),
            ));
        }
        if version > schema::LATEST {
            return Err(StoreError::new(
                StoreErrorKind::Foreign,
                format!("{place}: made by a newer version of supple (schema {version}); leaving it untouched"),
            ));
        }
        Ok(())
    }

    fn migrate(&mut self) -> Result<()> {
        let path = self.path.clone();
        let fail = |e: &rusqlite::Error| StoreError::from_sqlite(path.as_deref(), e);
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| fail(&e))?;
        // Read inside the write lock: another instance may have migrated while we waited.
        let version: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(|e| fail(&e))?;
        let version = usize::try_from(version).unwrap_or(0);
        if version < schema::MIGRATIONS.len() {
            for sql in &schema::MIGRATIONS[version..] {
                tx.execute_batch(sql).map_err(|e| fail(&e))?;
            }
            tx.pragma_update(None, "application_id", schema::APPLICATION_ID).map_err(|e| fail(&e))?;
            tx.pragma_update(None, "user_version", schema::LATEST).map_err(|e| fail(&e))?;
        }
        tx.commit().map_err(|e| fail(&e))
    }

    /// Marks `running` sessions whose writer is gone as `interrupted`, with totals from the
    /// steps that were kept. Sessions still being written by a live instance are left alone.
    fn mark_interrupted(&mut self, now: Timestamp) -> Result<usize> {
        let path = self.path.clone();
        let fail = |e: &rusqlite::Error| StoreError::from_sqlite(path.as_deref(), e);
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| fail(&e))?;
        let running: Vec<(String, Option<i64>, Option<String>, i64)> = {
            let mut stmt = tx
                .prepare("SELECT id, writer_pid, writer_marker, started_utc FROM session WHERE status = 'running'")
                .map_err(|e| fail(&e))?;
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                .and_then(Iterator::collect)
                .map_err(|e| fail(&e))?
        };
        let mut marked = 0;
        for (id, pid, marker, started) in running {
            let pid = pid.and_then(|p| u32::try_from(p).ok()).unwrap_or(0);
            let writer_marker = marker.unwrap_or_default();
            let alive = match writer::liveness(pid, &writer_marker) {
                writer::Liveness::Alive => true,
                writer::Liveness::Gone => false,
                writer::Liveness::Unknown => {
                    (pid == self.pid && writer_marker == self.marker && !writer_marker.is_empty())
                        || now.as_second() - started < UNKNOWN_WRITER_GRACE_SECS
                }
            };
            if alive {
                continue;
            }
            tx.execute(
                "UPDATE session SET status = 'interrupted',
                    steps_done = (SELECT count(*) FROM step WHERE session_id = ?1 AND skipped = 0),
                    steps_skipped = (SELECT count(*) FROM step WHERE session_id = ?1 AND skipped = 1),
                    active_secs = (SELECT coalesce(sum(active_secs), 0) FROM step WHERE session_id = ?1)
                 WHERE id = ?1 AND status = 'running'",
                [&id],
            )
            .map_err(|e| fail(&e))?;
            marked += 1;
        }
        tx.commit().map_err(|e| fail(&e))?;
        Ok(marked)
    }

    /// A message for the user from opening (a damaged file moved aside), once.
    pub fn take_notice(&mut self) -> Option<String> {
        self.notice.take()
    }

    /// How long a write waits for another instance's lock before failing.
    pub fn set_busy_timeout(&self, timeout: Duration) {
        let _ = self.conn.busy_timeout(timeout);
    }

    /// Where the file is, for messages and `doctor`.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    fn place(&self) -> String {
        self.path.as_ref().map_or_else(|| "history (in memory)".to_string(), |p| p.display().to_string())
    }

    fn err(&self, e: &rusqlite::Error) -> StoreError {
        StoreError::from_sqlite(self.path.as_deref(), e)
    }

    fn pragma<T: rusqlite::types::FromSql>(&self, name: &str) -> Result<T> {
        self.conn.pragma_query_value(None, name, |r| r.get(0)).map_err(|e| self.err(&e))
    }
}

/// Rebuilds a zoned time from what is stored: the named zone when it still gives the stored
/// offset, else a fixed offset (an imported session, or a zone this system does not know).
pub fn zoned(utc: i64, offset: i32, zone: &str) -> Zoned {
    let ts = Timestamp::from_second(utc).unwrap_or(Timestamp::UNIX_EPOCH);
    if !zone.is_empty()
        && let Ok(tz) = TimeZone::get(zone)
    {
        let z = ts.to_zoned(tz);
        if z.offset().seconds() == offset {
            return z;
        }
    }
    ts.to_zoned(TimeZone::fixed(Offset::from_seconds(offset).unwrap_or(Offset::UTC)))
}

fn bad_value(column: usize, what: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, what.to_string().into())
}

/// The status named `name` in stored and exported history.
pub fn status_from_name(name: &str) -> Option<Status> {
    [Status::Running, Status::Completed, Status::Stopped, Status::Interrupted].into_iter().find(|s| s.name() == name)
}

pub fn kind_from_name(name: &str) -> Option<StepKind> {
    [StepKind::Prepare, StepKind::Work, StepKind::Rest, StepKind::Switch].into_iter().find(|k| k.name() == name)
}

pub fn side_from_name(name: &str) -> Option<Side> {
    [Side::Left, Side::Right].into_iter().find(|s| s.name() == name)
}

#[cfg(test)]
mod tests;
