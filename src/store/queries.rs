//! The history's reads: sessions with their steps, completed days for streaks, per-routine
//! counts, totals, excused days and check-in answers. Writes are in `writes.rs`, opening in
//! `store.rs`.

use std::collections::HashMap;

use jiff::Zoned;
use jiff::civil::Date;
use rusqlite::{OptionalExtension, Row};
use uuid::Uuid;

use super::{
    CheckIn, Result, RoutineAnswers, RoutineCount, SessionFilter, Store, bad_value, kind_from_name, side_from_name,
    status_from_name, zoned,
};
use crate::record::{SessionRecord, StepRecord};
use crate::streak::{StreakSettings, Streaks, from_day_number};

impl Store {
    /// Excused days, oldest first.
    pub fn excused(&self) -> Result<Vec<(Date, Option<String>)>> {
        let mut stmt =
            self.conn.prepare_cached("SELECT day, reason FROM excuse ORDER BY day").map_err(|e| self.err(&e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?)))
            .and_then(Iterator::collect::<rusqlite::Result<Vec<_>>>)
            .map_err(|e| self.err(&e))?;
        // A day that does not parse was not written by supple; skipping it beats failing stats.
        Ok(rows.into_iter().filter_map(|(day, reason)| day.parse().ok().map(|d| (d, reason))).collect())
    }

    /// Sessions, oldest first, with their steps unless the filter says not to.
    pub fn sessions(&self, filter: &SessionFilter) -> Result<Vec<SessionRecord>> {
        let mut sql = String::from(
            "SELECT id, routine, title, routine_hash, started_utc, started_offset, started_zone,
                    ended_utc, ended_offset, ended_zone, status, planned_secs, active_secs,
                    steps_total, steps_done, steps_skipped, pain_before, pain_after, note, quit_reason
             FROM session WHERE 1",
        );
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        if let Some(routine) = &filter.routine {
            sql.push_str(" AND routine = ? COLLATE NOCASE");
            args.push(routine.clone().into());
        }
        if let Some(since) = filter.since {
            // Local wall time compared with the local midnight of `since`; the bound on the
            // instant (offsets stay within +-14 h) lets the `session_by_start` index skip the rest.
            let midnight = i64::from(crate::streak::day_number(since)) * 86_400;
            sql.push_str(" AND started_utc >= ? AND started_local >= ?");
            args.push((midnight - 15 * 3600).into());
            args.push(midnight.into());
        }
        match filter.last {
            Some(n) => {
                sql = format!(
                    "SELECT * FROM ({sql} ORDER BY started_utc DESC, rowid DESC LIMIT {n}) ORDER BY started_utc, id"
                );
            }
            None => sql.push_str(" ORDER BY started_utc, id"),
        }
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.err(&e))?;
        let mut sessions: Vec<SessionRecord> = stmt
            .query_map(rusqlite::params_from_iter(args), session_from_row)
            .and_then(Iterator::collect)
            .map_err(|e| self.err(&e))?;
        if !filter.without_steps && !sessions.is_empty() {
            self.attach_steps(
                &mut sessions,
                filter.last.is_some() || filter.routine.is_some() || filter.since.is_some(),
            )?;
        }
        Ok(sessions)
    }

    /// Loads steps for `sessions`: per session when it is a few, in one pass over the table otherwise.
    fn attach_steps(&self, sessions: &mut [SessionRecord], selective: bool) -> Result<()> {
        const STEP_COLUMNS: &str = "session_id, idx, exercise, side, set_no, round_no, kind, planned_secs, active_secs, reps_target, reps_done, skipped";
        if selective && sessions.len() < 1000 {
            let mut stmt = self
                .conn
                .prepare_cached(&format!("SELECT {STEP_COLUMNS} FROM step WHERE session_id = ?1 ORDER BY idx"))
                .map_err(|e| self.err(&e))?;
            for session in sessions.iter_mut() {
                session.steps = stmt
                    .query_map([session.id.to_string()], |r| step_from_row(r).map(|(_, s)| s))
                    .and_then(Iterator::collect)
                    .map_err(|e| self.err(&e))?;
            }
            return Ok(());
        }
        let index: HashMap<String, usize> = sessions.iter().enumerate().map(|(i, s)| (s.id.to_string(), i)).collect();
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {STEP_COLUMNS} FROM step ORDER BY session_id, idx"))
            .map_err(|e| self.err(&e))?;
        let rows = stmt.query_map([], step_from_row).map_err(|e| self.err(&e))?;
        for row in rows {
            let (session_id, step) = row.map_err(|e| self.err(&e))?;
            if let Some(&i) = index.get(&session_id) {
                sessions[i].steps.push(step);
            }
        }
        Ok(())
    }

    /// Completed sessions per local day (after `day_starts_at`), oldest first: the input of
    /// the streak math. Reads the `session_days` index in order and counts runs, so 100,000
    /// sessions cost one pass over a small index and no sorting.
    pub fn completed_days(&self, settings: &StreakSettings) -> Result<Vec<(Date, u32)>> {
        self.completed_days_from(settings, None)
    }

    /// Like [`Store::completed_days`], from the day `from` on (all days when `None`).
    pub fn completed_days_from(&self, settings: &StreakSettings, from: Option<Date>) -> Result<Vec<(Date, u32)>> {
        let shift = settings.day_start_secs();
        let first = from.map_or(i64::MIN, |d| i64::from(crate::streak::day_number(d)) * 86_400 + shift);
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT started_local FROM session INDEXED BY session_days
                 WHERE status = 'completed' AND started_local >= ?1 ORDER BY started_local",
            )
            .map_err(|e| self.err(&e))?;
        let mut rows = stmt.query([first]).map_err(|e| self.err(&e))?;
        let mut days: Vec<(i64, u32)> = Vec::new();
        while let Some(row) = rows.next().map_err(|e| self.err(&e))? {
            let local: i64 = row.get(0).map_err(|e| self.err(&e))?;
            let day = (local - shift).div_euclid(86_400);
            match days.last_mut() {
                Some((last, count)) if *last == day => *count += 1,
                _ => days.push((day, 1)),
            }
        }
        Ok(days.into_iter().map(|(day, count)| (from_day_number(i32::try_from(day).unwrap_or(0)), count)).collect())
    }

    /// The streaks as of `today`, from every completed day and the excused ones.
    pub fn streaks(&self, settings: &StreakSettings, today: Date) -> Result<Streaks> {
        let excused: Vec<Date> = self.excused()?.into_iter().map(|(d, _)| d).collect();
        Ok(Streaks::from_days(today, &self.completed_days(settings)?, &excused, settings))
    }

    /// Per routine: completed sessions and the start of the last one, most recent first.
    /// Counts come from the trigger-kept `routine_done` table, the last start from one index
    /// seek per routine: the cost grows with routines, not sessions.
    pub fn routine_counts(&self) -> Result<Vec<RoutineCount>> {
        let mut counts = self
            .conn
            .prepare_cached("SELECT routine, count FROM routine_done WHERE count > 0")
            .map_err(|e| self.err(&e))?;
        let mut last = self
            .conn
            .prepare_cached(
                "SELECT started_utc, started_offset, started_zone FROM session INDEXED BY session_summary
                 WHERE status = 'completed' AND routine = ?1 ORDER BY started_utc DESC LIMIT 1",
            )
            .map_err(|e| self.err(&e))?;
        let pairs: Vec<(String, i64)> = counts
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .and_then(Iterator::collect)
            .map_err(|e| self.err(&e))?;
        let mut out = Vec::with_capacity(pairs.len());
        for (routine, count) in pairs {
            let at = last
                .query_row([&routine], |r| Ok(zoned(r.get(0)?, r.get(1)?, &r.get::<_, String>(2)?)))
                .optional()
                .map_err(|e| self.err(&e))?;
            out.push(RoutineCount { routine, count: count.try_into().unwrap_or(0), last: at });
        }
        out.sort_by(|a, b| {
            let key = |r: &RoutineCount| r.last.as_ref().map(Zoned::timestamp);
            key(b).cmp(&key(a)).then_with(|| a.routine.cmp(&b.routine))
        });
        Ok(out)
    }

    /// (all sessions, completed sessions).
    pub fn totals(&self) -> Result<(u64, u64)> {
        self.conn
            .query_row(
                // Two counts that each read an index, rather than one pass over every row.
                "SELECT (SELECT count(*) FROM session), (SELECT count(*) FROM session WHERE status = 'completed')",
                [],
                |r| Ok((r.get::<_, i64>(0)?.try_into().unwrap_or(0), r.get::<_, i64>(1)?.try_into().unwrap_or(0))),
            )
            .map_err(|e| self.err(&e))
    }

    /// Check-in answers grouped by routine (by name), each group oldest first, with each
    /// session's day. Read from the partial `session_checkin` index alone.
    pub fn checkins(&self, settings: &StreakSettings) -> Result<Vec<RoutineAnswers>> {
        let shift = settings.day_start_secs();
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT routine, started_local, pain_before, pain_after FROM session INDEXED BY session_checkin
                 WHERE pain_before IS NOT NULL OR pain_after IS NOT NULL ORDER BY routine, started_local",
            )
            .map_err(|e| self.err(&e))?;
        let mut rows = stmt.query([]).map_err(|e| self.err(&e))?;
        let mut groups: Vec<RoutineAnswers> = Vec::new();
        while let Some(row) = rows.next().map_err(|e| self.err(&e))? {
            let read = || -> rusqlite::Result<CheckIn> {
                let local: i64 = row.get(1)?;
                Ok(CheckIn {
                    day: from_day_number(i32::try_from((local - shift).div_euclid(86_400)).unwrap_or(0)),
                    before: row.get(2)?,
                    after: row.get(3)?,
                })
            };
            let answer = read().map_err(|e| self.err(&e))?;
            // Borrow the name: a new String only when the routine changes.
            let routine = row.get_ref(0).and_then(|v| Ok(v.as_str()?)).map_err(|e| self.err(&e))?;
            match groups.last_mut() {
                Some(group) if group.routine == routine => group.answers.push(answer),
                _ => groups.push(RoutineAnswers { routine: routine.to_string(), answers: vec![answer] }),
            }
        }
        Ok(groups)
    }
}

fn session_from_row(r: &Row<'_>) -> rusqlite::Result<SessionRecord> {
    let id: String = r.get(0)?;
    let ended_utc: Option<i64> = r.get(7)?;
    let status: String = r.get(10)?;
    Ok(SessionRecord {
        id: Uuid::parse_str(&id).map_err(|_| bad_value(0, "session id is not a UUID"))?,
        routine: r.get(1)?,
        title: r.get(2)?,
        routine_hash: r.get(3)?,
        started_at: zoned(r.get(4)?, r.get(5)?, &r.get::<_, String>(6)?),
        ended_at: match ended_utc {
            Some(utc) => Some(zoned(
                utc,
                r.get::<_, Option<i32>>(8)?.unwrap_or(0),
                &r.get::<_, Option<String>>(9)?.unwrap_or_default(),
            )),
            None => None,
        },
        status: status_from_name(&status).ok_or_else(|| bad_value(10, "unknown status"))?,
        planned_secs: r.get::<_, i64>(11)?.try_into().unwrap_or(0),
        active_secs: r.get::<_, i64>(12)?.try_into().unwrap_or(0),
        steps_total: r.get(13)?,
        steps_done: r.get(14)?,
        steps_skipped: r.get(15)?,
        pain_before: r.get(16)?,
        pain_after: r.get(17)?,
        note: r.get(18)?,
        quit_reason: r.get(19)?,
        steps: Vec::new(),
    })
}

fn step_from_row(r: &Row<'_>) -> rusqlite::Result<(String, StepRecord)> {
    let side: Option<String> = r.get(3)?;
    let kind: String = r.get(6)?;
    Ok((
        r.get(0)?,
        StepRecord {
            index: r.get(1)?,
            exercise: r.get(2)?,
            side: side.as_deref().and_then(side_from_name),
            set: r.get(4)?,
            round: r.get(5)?,
            kind: kind_from_name(&kind).ok_or_else(|| bad_value(6, "unknown step kind"))?,
            planned_secs: r.get::<_, i64>(7)?.try_into().unwrap_or(0),
            active_secs: r.get::<_, i64>(8)?.try_into().unwrap_or(0),
            reps_target: r.get(9)?,
            reps_done: r.get(10)?,
            skipped: r.get(11)?,
        },
    ))
}
