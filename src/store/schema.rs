//! The history database's schema, as an ordered list of migrations.
//!
//! `PRAGMA user_version` holds how many of them a file has had, so opening a file made by an
//! older supple brings it up to date, and a file made by a newer one is left alone. Never edit
//! a migration that has shipped; add the next one.

/// Marks the file as a supple history (`PRAGMA application_id`), "SUPL" in ASCII, so a stray
/// SQLite file from another program is never mistaken for one and migrated.
pub const APPLICATION_ID: i32 = 0x5355_504C;

/// Migration `n` takes a file from `user_version = n` to `n + 1`.
pub const MIGRATIONS: &[&str] = &[
    // 1: sessions, their steps, excused days.
    "
    CREATE TABLE session (
        id             TEXT PRIMARY KEY NOT NULL,   -- UUID
        routine        TEXT NOT NULL,               -- file stem, e.g. post-ride
        title          TEXT NOT NULL,
        routine_hash   TEXT NOT NULL,               -- hex SHA-256 of the file as run
        -- Instants as Unix seconds, with the UTC offset and zone in force where the session
        -- was done: the local day comes from utc + offset, without a time zone database.
        started_utc    INTEGER NOT NULL,
        started_offset INTEGER NOT NULL,
        started_zone   TEXT NOT NULL,
        ended_utc      INTEGER,
        ended_offset   INTEGER,
        ended_zone     TEXT,
        status         TEXT NOT NULL CHECK (status IN ('running', 'completed', 'stopped', 'interrupted')),
        planned_secs   INTEGER NOT NULL,
        active_secs    INTEGER NOT NULL,
        steps_total    INTEGER NOT NULL,
        steps_done     INTEGER NOT NULL,
        steps_skipped  INTEGER NOT NULL,
        pain_before    INTEGER CHECK (pain_before BETWEEN 0 AND 10),
        pain_after     INTEGER CHECK (pain_after BETWEEN 0 AND 10),
        note           TEXT,
        quit_reason    TEXT,
        -- Who is writing a running session, so a later start can tell a dead writer from a
        -- live one in another terminal.
        writer_pid     INTEGER,
        writer_marker  TEXT
    );
    CREATE INDEX session_by_start ON session (started_utc);
    CREATE INDEX session_running ON session (status) WHERE status = 'running';

    CREATE TABLE step (
        session_id   TEXT NOT NULL REFERENCES session (id) ON DELETE CASCADE,
        idx          INTEGER NOT NULL,
        exercise     TEXT NOT NULL,
        side         TEXT CHECK (side IN ('left', 'right')),
        set_no       INTEGER NOT NULL,
        round_no     INTEGER NOT NULL,
        kind         TEXT NOT NULL CHECK (kind IN ('prepare', 'work', 'rest', 'switch')),
        planned_secs INTEGER NOT NULL,
        active_secs  INTEGER NOT NULL,
        reps_target  INTEGER,
        reps_done    INTEGER,
        skipped      INTEGER NOT NULL,
        PRIMARY KEY (session_id, idx)
    ) WITHOUT ROWID;

    CREATE TABLE excuse (
        day    TEXT PRIMARY KEY NOT NULL,            -- YYYY-MM-DD
        reason TEXT
    );
    ",
    // 2: one covering index for the home screen and stats: completed sessions per routine and
    // per day are read from it without touching the (wide) session rows.
    "
    CREATE INDEX session_summary ON session (status, routine, started_utc, started_offset, started_zone);
    ",
    // 3: what makes streaks, home and stats cheap at 100,000 sessions. `started_local` is the
    // wall time where the session was done, as seconds: days and weeks are cut from it, read
    // in order from covering indexes. Per-routine counts are kept by triggers, so home reads a
    // handful of rows instead of counting every session each time it opens.
    "
    ALTER TABLE session ADD COLUMN started_local INTEGER GENERATED ALWAYS AS (started_utc + started_offset) VIRTUAL;
    CREATE INDEX session_days ON session (status, started_local);
    CREATE INDEX session_checkin ON session (routine, started_local, pain_before, pain_after)
        WHERE pain_before IS NOT NULL OR pain_after IS NOT NULL;

    CREATE TABLE routine_done (
        routine TEXT PRIMARY KEY NOT NULL,
        count   INTEGER NOT NULL
    ) WITHOUT ROWID;
    INSERT INTO routine_done (routine, count)
        SELECT routine, count(*) FROM session WHERE status = 'completed' GROUP BY routine;
    CREATE TRIGGER routine_done_insert AFTER INSERT ON session WHEN NEW.status = 'completed' BEGIN
        INSERT INTO routine_done (routine, count) VALUES (NEW.routine, 1)
            ON CONFLICT (routine) DO UPDATE SET count = count + 1;
    END;
    CREATE TRIGGER routine_done_update AFTER UPDATE OF status, routine ON session
        WHEN OLD.status = 'completed' OR NEW.status = 'completed' BEGIN
        UPDATE routine_done SET count = count - 1 WHERE OLD.status = 'completed' AND routine = OLD.routine;
        INSERT INTO routine_done (routine, count) SELECT NEW.routine, 1 WHERE NEW.status = 'completed'
            ON CONFLICT (routine) DO UPDATE SET count = count + 1;
    END;
    CREATE TRIGGER routine_done_delete AFTER DELETE ON session WHEN OLD.status = 'completed' BEGIN
        UPDATE routine_done SET count = count - 1 WHERE routine = OLD.routine;
    END;
    ",
];

/// The `user_version` of a fully migrated file.
#[allow(clippy::cast_possible_wrap)] // a handful of migrations
pub const LATEST: i64 = MIGRATIONS.len() as i64;
