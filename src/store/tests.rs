//! Tests for `store`, kept beside it in their own file so the module itself stays readable.

use jiff::civil::time;
use rusqlite::params;
use uuid::Uuid;

use super::exchange::{HistoryFile, write_csv};
use super::recorder::HistoryRecorder;
use super::*;
use crate::record::{Recorder, SessionRecord, StepRecord};
use crate::streak::StreakSettings;

pub(crate) fn at(text: &str) -> Zoned {
    text.parse().unwrap()
}

fn step(index: u32, skipped: bool) -> StepRecord {
    StepRecord {
        index,
        exercise: format!("Exercise {index}"),
        side: if index % 2 == 0 { Some(Side::Left) } else { None },
        set: 1,
        round: 1,
        kind: if index % 2 == 0 { StepKind::Work } else { StepKind::Rest },
        planned_secs: 20,
        active_secs: if skipped { 3 } else { 20 },
        reps_target: (index == 2).then_some(10),
        reps_done: (index == 2).then_some(9),
        skipped,
    }
}

fn session(started: &str, status: Status) -> SessionRecord {
    let started_at = at(started);
    SessionRecord {
        id: Uuid::new_v4(),
        routine: "post-ride".into(),
        title: "Post-ride reset".into(),
        routine_hash: "ab".repeat(32),
        ended_at: (status != Status::Running)
            .then(|| started_at.checked_add(jiff::SignedDuration::from_mins(5)).unwrap()),
        started_at,
        status,
        planned_secs: 300,
        active_secs: 290,
        steps_total: 3,
        steps_done: 3,
        steps_skipped: 0,
        pain_before: Some(6),
        pain_after: Some(3),
        note: Some("felt \"good\", tight hips\nsecond line".into()),
        quit_reason: None,
        steps: if status == Status::Running { vec![] } else { vec![step(0, false), step(1, false), step(2, false)] },
    }
}

fn all(store: &Store) -> Vec<SessionRecord> {
    store.sessions(&SessionFilter::default()).unwrap()
}

#[test]
fn a_session_reads_back_as_it_was_saved() {
    let mut store = Store::open_in_memory().unwrap();
    let record = session("2026-03-08T07:30:00-04:00[America/New_York]", Status::Completed);
    store.save_session(&record).unwrap();
    let back = all(&store);
    assert_eq!(back, vec![record.clone()]);
    assert_eq!(back[0].started_at.time_zone().iana_name(), Some("America/New_York"));
    assert_eq!(exchange::rfc3339(&back[0].started_at), "2026-03-08T07:30:00-04:00");
}

#[test]
fn the_file_is_marked_as_ours_and_migrated_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deep/er/history.db");
    let mut store = Store::open(&path).unwrap();
    store.save_session(&session("2026-03-08T07:30:00+01:00[Europe/Berlin]", Status::Completed)).unwrap();
    assert_eq!(store.pragma::<i32>("application_id").unwrap(), schema::APPLICATION_ID);
    assert_eq!(store.pragma::<i64>("user_version").unwrap(), schema::LATEST);
    assert_eq!(store.pragma::<String>("journal_mode").unwrap(), "wal");
    drop(store);
    let store = Store::open(&path).unwrap();
    assert_eq!(all(&store).len(), 1);
}

/// A file made before migration 3 (counts kept by triggers, day indexes) is brought up to
/// date with its sessions counted, and the counts then follow status changes.
#[test]
fn an_older_file_is_migrated_with_its_sessions_counted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.db");
    let old = Connection::open(&path).unwrap();
    for sql in &schema::MIGRATIONS[..2] {
        old.execute_batch(sql).unwrap();
    }
    old.pragma_update(None, "application_id", schema::APPLICATION_ID).unwrap();
    old.pragma_update(None, "user_version", 2).unwrap();
    for (id, status, utc) in
        [(1_u128, "completed", 1_772_900_000), (2, "completed", 1_772_990_000), (3, "stopped", 1_773_000_000)]
    {
        old.execute(
            "INSERT INTO session (id, routine, title, routine_hash, started_utc, started_offset, started_zone,
                status, planned_secs, active_secs, steps_total, steps_done, steps_skipped)
             VALUES (?1, 'post-ride', 't', '', ?3, 3600, 'Europe/Berlin', ?2, 0, 0, 0, 0, 0)",
            params![Uuid::from_u128(id).to_string(), status, utc],
        )
        .unwrap();
    }
    drop(old);

    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.pragma::<i64>("user_version").unwrap(), schema::LATEST);
    assert_eq!(store.routine_counts().unwrap()[0].count, 2);
    assert_eq!(store.completed_days(&StreakSettings::default()).unwrap().len(), 2);
    let mut stopped = all(&store).into_iter().find(|s| s.status == Status::Stopped).unwrap();
    stopped.status = Status::Completed;
    store.save_session(&stopped).unwrap();
    assert_eq!(store.routine_counts().unwrap()[0].count, 3);
    stopped.routine = "bedtime".into();
    store.save_session(&stopped).unwrap();
    let counts: Vec<(String, u64)> =
        store.routine_counts().unwrap().into_iter().map(|r| (r.routine, r.count)).collect();
    assert!(counts.contains(&("post-ride".into(), 2)) && counts.contains(&("bedtime".into(), 1)), "{counts:?}");
}

#[test]
fn a_read_only_history_is_read_and_an_outdated_one_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.db");
    let mut store = Store::open(&path).unwrap();
    store.save_session(&session("2026-03-08T07:30:00+01:00[Europe/Berlin]", Status::Completed)).unwrap();
    drop(store);
    let read_only = Store::open_file(&path, OpenFlags::SQLITE_OPEN_READ_ONLY, BUSY_TIMEOUT).unwrap();
    assert_eq!(all(&read_only).len(), 1);
    assert_eq!(read_only.routine_counts().unwrap()[0].count, 1);
    drop(read_only);

    let old = Connection::open(&path).unwrap();
    old.pragma_update(None, "user_version", 2).unwrap();
    drop(old);
    let err = Store::open_file(&path, OpenFlags::SQLITE_OPEN_READ_ONLY, BUSY_TIMEOUT).err().unwrap();
    assert_eq!(err.kind, StoreErrorKind::ReadOnly);
    assert!(err.message.contains("made by an older supple"), "{err}");
}

#[test]
fn reading_a_missing_history_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data/history.db");
    assert!(Store::open_existing(&path).unwrap().is_none());
    assert!(!dir.path().join("data").exists());
}

#[test]
fn a_session_of_a_dead_writer_becomes_interrupted_with_its_steps_counted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.db");
    let mut store = Store::open(&path).unwrap();
    let record = session("2026-03-08T07:30:00+01:00[Europe/Berlin]", Status::Running);
    // Pretend another process wrote it and has since died (same pid, other start).
    store.marker = "gone-boot:1".into();
    store.save_session(&record).unwrap();
    store.save_step(record.id, &step(0, false)).unwrap();
    store.save_step(record.id, &step(1, true)).unwrap();
    drop(store);

    let store = Store::open(&path).unwrap();
    let back = &all(&store)[0];
    assert_eq!(back.status, Status::Interrupted);
    assert_eq!((back.steps.len(), back.steps_done, back.steps_skipped, back.active_secs), (2, 1, 1, 23));
}

#[test]
fn a_session_of_a_live_writer_is_left_running() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.db");
    let mut store = Store::open(&path).unwrap();
    store.save_session(&session("2026-03-08T07:30:00+01:00[Europe/Berlin]", Status::Running)).unwrap();
    // A second instance (here: this same live process) opens the history meanwhile.
    let other = Store::open(&path).unwrap();
    assert_eq!(all(&other)[0].status, Status::Running);
}

#[test]
fn a_damaged_file_is_moved_aside_and_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.db");
    let garbage = b"this is not a database, but it may be all the user has \x00\x01\x02".repeat(100);
    std::fs::write(&path, &garbage).unwrap();

    // Reading moves it aside and says where.
    let err = Store::open_existing(&path).err().unwrap();
    assert_eq!(err.kind, StoreErrorKind::Corrupt);
    assert!(err.message.contains("moved it to"), "{err}");
    let aside: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert!(aside[0].to_string_lossy().contains("history.db.corrupt-"));
    assert!(std::fs::read(&aside[0]).unwrap() == garbage, "the moved file changed");

    // A second damaged file the same second gets its own name.
    std::fs::write(&path, &garbage).unwrap();
    let mut store = Store::open(&path).unwrap();
    let notice = store.take_notice().unwrap();
    assert!(notice.contains("started a new history"), "{notice}");
    store.save_session(&session("2026-03-08T07:30:00+01:00[Europe/Berlin]", Status::Completed)).unwrap();
    let copies = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().contains("corrupt"))
        .count();
    assert_eq!(copies, 2);
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let p = entry.unwrap().path();
        if p.to_string_lossy().contains("corrupt") {
            assert!(std::fs::read(&p).unwrap() == garbage, "{} changed", p.display());
        }
    }
}

#[test]
fn another_programs_database_is_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.db");
    Connection::open(&path).unwrap().execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);").unwrap();
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path).err().unwrap();
    assert_eq!(err.kind, StoreErrorKind::Foreign);
    assert!(err.message.contains("not a supple history"), "{err}");
    assert!(std::fs::read(&path).unwrap() == before, "the file changed");
}

#[test]
fn a_full_disk_is_reported_and_what_was_stored_survives() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.db");
    let mut store = Store::open(&path).unwrap();
    let kept = session("2026-03-08T07:30:00+01:00[Europe/Berlin]", Status::Completed);
    store.save_session(&kept).unwrap();
    // Cap the file at its current size: the next page allocation fails like a full disk.
    let pages: i64 = store.pragma("page_count").unwrap();
    store.conn.pragma_update(None, "max_page_count", pages).unwrap();
    let mut big = session("2026-03-09T07:30:00+01:00[Europe/Berlin]", Status::Completed);
    big.note = Some("x".repeat(64 * 1024));
    let err = store.save_session(&big).unwrap_err();
    assert_eq!(err.kind, StoreErrorKind::DiskFull, "{err}");
    assert!(err.message.ends_with("the disk is full"), "{err}");
    drop(store);
    assert_eq!(all(&Store::open(&path).unwrap()), vec![kept]);
}

#[test]
fn the_recorder_keeps_a_step_it_could_not_write_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.db");
    let mut recorder = HistoryRecorder::open(&path);
    let mut record = session("2026-03-08T07:30:00+01:00[Europe/Berlin]", Status::Running);
    recorder.started(&record);
    recorder.step_finished(record.id, &step(0, false));
    assert_eq!(recorder.problem(), None);

    // Another program holds the write lock past the busy timeout.
    let blocker = Connection::open(&path).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
    recorder.step_finished(record.id, &step(1, false));
    let problem = recorder.problem().unwrap();
    assert!(problem.starts_with("history is not being saved: ") && problem.contains("locked"), "{problem}");
    blocker.execute_batch("COMMIT").unwrap();

    recorder.step_finished(record.id, &step(2, false));
    assert_eq!(recorder.problem(), None);
    let store = Store::open_existing(&path).unwrap().unwrap();
    assert_eq!(all(&store)[0].steps.len(), 3);

    record.status = Status::Completed;
    record.steps = vec![step(0, false), step(1, false), step(2, false)];
    recorder.finished(&record);
    assert_eq!(all(&store)[0].status, Status::Completed);
}

#[test]
fn a_history_that_cannot_be_opened_is_a_problem_not_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    // A file where the folder should be, with a name a terminal would act on.
    let folder = dir.path().join("data\u{1b}]0;owned\u{7}");
    std::fs::write(&folder, "").unwrap();
    let mut recorder = HistoryRecorder::open(&folder.join("history.db"));
    recorder.started(&session("2026-03-08T07:30:00+01:00[Europe/Berlin]", Status::Running));
    let problem = recorder.problem().unwrap();
    assert!(problem.contains("cannot create the history folder"), "{problem}");
    assert!(!problem.chars().any(char::is_control), "{problem:?}");
}

#[test]
fn export_import_round_trip_and_import_twice_adds_nothing() {
    let mut a = Store::open_in_memory().unwrap();
    let mut stopped = session("2026-03-09T22:10:00-05:00[America/Chicago]", Status::Stopped);
    stopped.quit_reason = Some("pain".into());
    stopped.pain_after = None;
    for r in [session("2026-03-08T07:30:00+01:00[Europe/Berlin]", Status::Completed), stopped] {
        a.save_session(&r).unwrap();
    }
    a.excuse("2026-03-10".parse().unwrap(), Some("travel")).unwrap();
    let export = |s: &Store| {
        let mut out = Vec::new();
        HistoryFile::new(&all(s), Some(&s.excused().unwrap())).write(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    };
    let text = export(&a);

    let mut b = Store::open_in_memory().unwrap();
    let (sessions, excused) = HistoryFile::parse("backup.json", &text).unwrap();
    assert_eq!(b.import(&sessions, &excused).unwrap(), ImportCount { added: 2, already_there: 0, excuses_added: 1 });
    assert_eq!(export(&b), text);
    assert_eq!(b.import(&sessions, &excused).unwrap(), ImportCount { added: 0, already_there: 2, excuses_added: 0 });
    assert_eq!(export(&b), text);
}

#[test]
fn a_malformed_import_names_the_place_and_stores_nothing() {
    let good = session("2026-03-08T07:30:00+01:00[Europe/Berlin]", Status::Completed);
    let mut file = HistoryFile::new(&[good.clone(), good], None);
    file.sessions[1].id = Uuid::new_v4();
    file.sessions[1].started_at = "yesterday".into();
    let text = serde_json::to_string(&file).unwrap();
    let err = HistoryFile::parse("h.json", &text).unwrap_err();
    assert!(err.starts_with("h.json: session 2 (") && err.contains("started_at is not an RFC 3339 time"), "{err}");

    let err = HistoryFile::parse("h.json", "{\"version\":1,\n\"sessions\":[{\"id\":5}]}").unwrap_err();
    assert!(err.starts_with("h.json:2:"), "{err}");
    let err = HistoryFile::parse("h.json", "{\"version\":2,\"sessions\":[]}").unwrap_err();
    assert!(err.contains("unsupported version 2"), "{err}");
    let err = HistoryFile::parse("h.json", "{\"version\":1,\n\"sessions\":[\n").unwrap_err();
    assert_eq!(err, "h.json:3:1: the file ends early, as if cut off: not a whole supple history export");
}

#[test]
fn a_hand_edited_session_out_of_range_or_order_is_refused_with_what_was_found() {
    let good = session("2026-03-08T07:30:00+01:00[Europe/Berlin]", Status::Completed);
    let refused = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut file = serde_json::to_value(HistoryFile::new(std::slice::from_ref(&good), None)).unwrap();
        edit(&mut file["sessions"][0]);
        let err = HistoryFile::parse("h.json", &file.to_string()).unwrap_err();
        err.split_once("): ").map(|(_, why)| why.to_string()).unwrap_or(err)
    };
    assert_eq!(refused(&|s| s["pain_after"] = 14.into()), "pain_after must be 0-10, got 14");
    assert_eq!(refused(&|s| s["routine"] = " ".into()), "routine must name the routine done, e.g. \"post-ride\"");
    assert_eq!(
        refused(&|s| s["ended_at"] = "2026-03-08T07:00:00+01:00".into()),
        "ended_at \"2026-03-08T07:00:00+01:00\" is before started_at \"2026-03-08T07:30:00+01:00\""
    );
}

#[test]
fn importing_a_csv_export_says_that_only_json_can_be_imported() {
    let mut csv = Vec::new();
    write_csv(&mut csv, &[session("2026-03-08T07:30:00+01:00[Europe/Berlin]", Status::Completed)], false).unwrap();
    let err = HistoryFile::parse("week.csv", &String::from_utf8(csv).unwrap()).unwrap_err();
    assert_eq!(
        err,
        "week.csv: this is a CSV export, which leaves out the steps and cannot be imported; \
         import a JSON export (`supple export -o FILE.json`)"
    );
}

#[test]
fn exported_json_escapes_what_a_terminal_would_act_on() {
    let mut r = session("2026-03-08T07:30:00+01:00[Europe/Berlin]", Status::Completed);
    r.note = Some("a\u{1b}]0;x\u{7}b\u{9b}c\u{202e}d".into());
    let mut out = Vec::new();
    HistoryFile::new(&[r.clone()], None).write(&mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(!text.chars().any(|c| c.is_control() && c != '\n' || c == '\u{202e}'), "{text:?}");
    let (back, _) = HistoryFile::parse("x", &text).unwrap();
    assert_eq!(back[0].note, r.note);
}

#[test]
fn completed_days_follow_local_time_and_the_day_start() {
    let mut store = Store::open_in_memory().unwrap();
    for (t, status) in [
        ("2026-03-08T23:30:00-04:00[America/New_York]", Status::Completed),
        ("2026-03-09T01:00:00-04:00[America/New_York]", Status::Completed),
        ("2026-03-09T18:00:00-04:00[America/New_York]", Status::Stopped),
        ("2026-03-10T09:00:00+09:00[Asia/Tokyo]", Status::Completed),
    ] {
        store.save_session(&session(t, status)).unwrap();
    }
    let d = |s: &str| s.parse::<Date>().unwrap();
    assert_eq!(
        store.completed_days(&StreakSettings::default()).unwrap(),
        vec![(d("2026-03-08"), 1), (d("2026-03-09"), 1), (d("2026-03-10"), 1)]
    );
    let late = StreakSettings { day_starts_at: time(4, 0, 0, 0), ..StreakSettings::default() };
    assert_eq!(store.completed_days(&late).unwrap(), vec![(d("2026-03-08"), 2), (d("2026-03-10"), 1)]);
    assert_eq!(store.totals().unwrap(), (4, 3));
    let counts = store.routine_counts().unwrap();
    assert_eq!(counts.len(), 1);
    assert_eq!(
        (counts[0].count, counts[0].last.as_ref().map(exchange::rfc3339)),
        (3, Some("2026-03-10T09:00:00+09:00".into()))
    );
}

#[test]
fn listing_filters_by_routine_and_local_date() {
    let mut store = Store::open_in_memory().unwrap();
    let mut other = session("2026-03-10T00:30:00+05:30[Asia/Kolkata]", Status::Completed);
    other.routine = "Bedtime".into();
    store.save_session(&session("2026-03-09T23:30:00+01:00[Europe/Berlin]", Status::Completed)).unwrap();
    store.save_session(&other).unwrap();
    let since = SessionFilter { since: Some("2026-03-10".parse().unwrap()), ..SessionFilter::default() };
    assert_eq!(store.sessions(&since).unwrap().len(), 1, "00:30 local on the 10th counts, 23:30 on the 9th does not");
    let routine = SessionFilter { routine: Some("bedtime".into()), ..SessionFilter::default() };
    assert_eq!(store.sessions(&routine).unwrap()[0].routine, "Bedtime");
    let last = SessionFilter { last: Some(1), ..SessionFilter::default() };
    // 00:30 in Kolkata is earlier than 23:30 the day before in Berlin.
    assert_eq!(store.sessions(&last).unwrap()[0].routine, "post-ride");
}
