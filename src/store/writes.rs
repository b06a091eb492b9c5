//! The history's writes: a session and its steps as they happen, imports and excused days.
//! Every read-then-write takes the write lock up front (`BEGIN IMMEDIATE`, see `store.rs`);
//! reads are in `queries.rs`.

use jiff::Zoned;
use jiff::civil::Date;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use uuid::Uuid;

use super::{Result, Store, StoreError};
use crate::plan::Side;
use crate::record::{SessionRecord, StepRecord};

/// What `import` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportCount {
    pub added: usize,
    pub already_there: usize,
    pub excuses_added: usize,
}

impl Store {
    /// Inserts or updates a session and all the steps it carries, in one transaction. Used when
    /// a session starts, when it ends (the record is then authoritative), and by `log`.
    pub fn save_session(&mut self, record: &SessionRecord) -> Result<()> {
        let (pid, marker) = (self.pid, self.marker.clone());
        let path = self.path.clone();
        let fail = |e: &rusqlite::Error| StoreError::from_sqlite(path.as_deref(), e);
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| fail(&e))?;
        upsert_with_steps(&tx, record, pid, &marker).map_err(|e| fail(&e))?;
        tx.commit().map_err(|e| fail(&e))
    }

    /// Stores one finished step at once (autocommit), so a crash keeps it.
    pub fn save_step(&mut self, session: Uuid, step: &StepRecord) -> Result<()> {
        upsert_step(&self.conn, session, step).map(|_| ()).map_err(|e| self.err(&e))
    }

    /// Adds sessions and excused days that are not there yet (by session id and day), all or
    /// nothing.
    pub fn import(&mut self, sessions: &[SessionRecord], excused: &[(Date, Option<String>)]) -> Result<ImportCount> {
        let path = self.path.clone();
        let fail = |e: &rusqlite::Error| StoreError::from_sqlite(path.as_deref(), e);
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| fail(&e))?;
        let mut count = ImportCount::default();
        for record in sessions {
            let exists: bool = tx
                .query_row("SELECT 1 FROM session WHERE id = ?1", [record.id.to_string()], |_| Ok(true))
                .optional()
                .map_err(|e| fail(&e))?
                .unwrap_or(false);
            if exists {
                count.already_there += 1;
                continue;
            }
            upsert_with_steps(&tx, record, 0, "").map_err(|e| fail(&e))?;
            count.added += 1;
        }
        for (day, reason) in excused {
            count.excuses_added += tx
                .execute("INSERT OR IGNORE INTO excuse (day, reason) VALUES (?1, ?2)", params![day.to_string(), reason])
                .map_err(|e| fail(&e))?;
        }
        tx.commit().map_err(|e| fail(&e))?;
        Ok(count)
    }

    /// Marks a day as excused (sick, travel, rest); a second excuse for the day replaces the reason.
    pub fn excuse(&mut self, day: Date, reason: Option<&str>) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO excuse (day, reason) VALUES (?1, ?2) ON CONFLICT (day) DO UPDATE SET reason = excluded.reason",
                params![day.to_string(), reason],
            )
            .map(|_| ())
            .map_err(|e| self.err(&e))
    }

    /// Takes an excuse back (a wrong date, a day that turned out fine); says whether there was one.
    pub fn unexcuse(&mut self, day: Date) -> Result<bool> {
        self.conn
            .execute("DELETE FROM excuse WHERE day = ?1", params![day.to_string()])
            .map(|n| n > 0)
            .map_err(|e| self.err(&e))
    }
}

/// A session and every step it carries, inside the caller's transaction.
fn upsert_with_steps(conn: &Connection, record: &SessionRecord, pid: u32, marker: &str) -> rusqlite::Result<()> {
    upsert_session(conn, record, pid, marker)?;
    for step in &record.steps {
        upsert_step(conn, record.id, step)?;
    }
    Ok(())
}

fn zone_name(z: &Zoned) -> &str {
    z.time_zone().iana_name().unwrap_or("")
}

fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn upsert_session(conn: &Connection, r: &SessionRecord, pid: u32, marker: &str) -> rusqlite::Result<usize> {
    conn.prepare_cached(
        "INSERT INTO session (id, routine, title, routine_hash, started_utc, started_offset, started_zone,
            ended_utc, ended_offset, ended_zone, status, planned_secs, active_secs, steps_total, steps_done,
            steps_skipped, pain_before, pain_after, note, quit_reason, writer_pid, writer_marker)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)
         ON CONFLICT (id) DO UPDATE SET
            routine = excluded.routine, title = excluded.title, routine_hash = excluded.routine_hash,
            started_utc = excluded.started_utc, started_offset = excluded.started_offset,
            started_zone = excluded.started_zone, ended_utc = excluded.ended_utc,
            ended_offset = excluded.ended_offset, ended_zone = excluded.ended_zone, status = excluded.status,
            planned_secs = excluded.planned_secs, active_secs = excluded.active_secs,
            steps_total = excluded.steps_total, steps_done = excluded.steps_done,
            steps_skipped = excluded.steps_skipped, pain_before = excluded.pain_before,
            pain_after = excluded.pain_after, note = excluded.note, quit_reason = excluded.quit_reason",
    )?
    .execute(params![
        r.id.to_string(),
        r.routine,
        r.title,
        r.routine_hash,
        r.started_at.timestamp().as_second(),
        r.started_at.offset().seconds(),
        zone_name(&r.started_at),
        r.ended_at.as_ref().map(|z| z.timestamp().as_second()),
        r.ended_at.as_ref().map(|z| z.offset().seconds()),
        r.ended_at.as_ref().map(zone_name),
        r.status.name(),
        to_i64(r.planned_secs),
        to_i64(r.active_secs),
        r.steps_total,
        r.steps_done,
        r.steps_skipped,
        r.pain_before,
        r.pain_after,
        r.note,
        r.quit_reason,
        (pid != 0).then_some(pid),
        (!marker.is_empty()).then_some(marker),
    ])
}

/// A step done again (after going back) replaces the earlier result for that index.
fn upsert_step(conn: &Connection, session: Uuid, s: &StepRecord) -> rusqlite::Result<usize> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO step (session_id, idx, exercise, side, set_no, round_no, kind, planned_secs,
            active_secs, reps_target, reps_done, skipped)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        session.to_string(),
        s.index,
        s.exercise,
        s.side.map(Side::name),
        s.set,
        s.round,
        s.kind.name(),
        to_i64(s.planned_secs),
        to_i64(s.active_secs),
        s.reps_target,
        s.reps_done,
        s.skipped,
    ])
}
