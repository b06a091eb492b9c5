//! The history from outside: the real binary's history commands (`assert_cmd`, with
//! `SUPPLE_DATA_DIR` in a temporary folder), a writer process killed mid-session, and two
//! writer processes at once.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::sync::OnceLock;

use assert_cmd::Command;
use serde_json::Value;
use supple::record::Status;
use supple::store::{SessionFilter, Store};

fn supple(data: &Path) -> Command {
    let mut cmd = Command::cargo_bin("supple").unwrap();
    cmd.env("SUPPLE_DATA_DIR", data).env("SUPPLE_CONFIG_DIR", data.join("config")).env("TZ", "Europe/Berlin");
    cmd
}

fn json_of(output: &[u8]) -> Value {
    serde_json::from_slice(output).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(output)))
}

/// The example program `examples/history_writer.rs`. A plain `cargo test` builds examples, but
/// `cargo test --test history` does not, and a binary left from an earlier build may write an
/// older schema; so cargo is asked to build it once per run (a quick no-op when it is fresh),
/// with this test's profile, target folder and target, so nothing is built twice. Cargo says
/// where it put the program, which holds however the target folder is laid out.
fn writer_program() -> PathBuf {
    static PROGRAM: OnceLock<PathBuf> = OnceLock::new();
    PROGRAM.get_or_init(build_writer).clone()
}

fn build_writer() -> PathBuf {
    // This test runs as <target dir>[/<target>]/<profile dir>/deps/history-<hash>.
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().and_then(Path::parent).unwrap();
    let target_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().unwrap();
    let profile = match profile_dir.file_name().and_then(|n| n.to_str()) {
        Some("debug") | None => "dev",
        Some(name) => name,
    };
    let mut cargo = Process::new(env!("CARGO"));
    cargo
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["build", "--example", "history_writer", "--message-format=json", "--profile", profile])
        .arg("--target-dir")
        .arg(target_dir);
    if let Some(target) = profile_dir.parent().filter(|p| *p != target_dir).and_then(Path::file_name) {
        cargo.arg("--target").arg(target);
    }
    let out = cargo.output().unwrap_or_else(|e| panic!("cannot run cargo to build examples/history_writer.rs: {e}"));
    assert!(
        out.status.success(),
        "cargo could not build examples/history_writer.rs:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == "history_writer")
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
        .expect("cargo built history_writer but did not say where")
}

/// A session of the export format; `at` is an RFC 3339 time with offset.
fn session_json(id: &str, routine: &str, at: &str, status: &str, note: &str) -> Value {
    serde_json::json!({
        "id": id, "routine": routine, "title": format!("The {routine} routine"), "started_at": at,
        "ended_at": at, "status": status, "planned_secs": 300, "active_secs": 280, "steps_total": 2,
        "steps_done": 2, "steps_skipped": 0, "pain_before": 6, "pain_after": 3, "note": note,
        "steps": [
            {"index": 0, "exercise": "Couch stretch", "side": "left", "set": 1, "round": 1, "kind": "work",
             "planned_secs": 20, "active_secs": 20, "reps_target": null, "reps_done": null, "skipped": false},
            {"index": 1, "exercise": "Cat-camel", "side": null, "set": 1, "round": 2, "kind": "rest",
             "planned_secs": 60, "active_secs": 55, "reps_target": 20, "reps_done": 18, "skipped": false}
        ]
    })
}

fn write_export(path: &Path, sessions: &[Value]) {
    std::fs::write(path, serde_json::json!({"version": 1, "sessions": sessions}).to_string()).unwrap();
}

#[test]
fn reading_an_absent_history_shows_it_empty_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    supple(&data).arg("history").assert().success().stdout("No sessions yet.\n");
    let stats = supple(&data).args(["stats", "--json"]).assert().success();
    let stats = json_of(&stats.get_output().stdout);
    assert_eq!((stats["sessions_total"].as_u64(), stats["current_streak_days"].as_u64()), (Some(0), Some(0)));
    let export = supple(&data).arg("export").assert().success();
    assert_eq!(json_of(&export.get_output().stdout)["sessions"], serde_json::json!([]));
    assert!(!data.exists(), "a read created the data folder");
}

#[test]
fn history_and_stats_json_have_every_documented_key() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("in.json");
    write_export(
        &file,
        &[session_json(
            "6f1c1f2e-6a51-4a8c-9b1e-8f2f7a0d2b11",
            "post-ride",
            "2026-03-08T07:30:00+01:00",
            "completed",
            "ok",
        )],
    );
    supple(dir.path()).arg("import").arg(&file).assert().success().stdout("Imported 1 session.\n");

    let out = supple(dir.path()).args(["history", "--json"]).assert().success();
    let history = json_of(&out.get_output().stdout);
    assert_eq!(history["version"], 1);
    let session = &history["sessions"][0];
    for key in [
        "id",
        "routine",
        "title",
        "started_at",
        "ended_at",
        "status",
        "planned_secs",
        "active_secs",
        "steps_total",
        "steps_done",
        "steps_skipped",
        "pain_before",
        "pain_after",
        "note",
        "steps",
    ] {
        assert!(session.get(key).is_some(), "session lacks {key}: {session}");
    }
    assert_eq!(session["started_at"], "2026-03-08T07:30:00+01:00");
    for key in [
        "index",
        "exercise",
        "side",
        "set",
        "round",
        "kind",
        "planned_secs",
        "active_secs",
        "reps_target",
        "reps_done",
        "skipped",
    ] {
        assert!(session["steps"][1].get(key).is_some(), "step lacks {key}");
    }
    assert_eq!(session["steps"][1]["reps_done"], 18);

    let out = supple(dir.path()).args(["stats", "--json"]).assert().success();
    let stats = json_of(&out.get_output().stdout);
    for key in [
        "current_streak_days",
        "longest_streak_days",
        "current_streak_weeks",
        "longest_streak_weeks",
        "week_goal",
        "this_week",
        "sessions_total",
        "completed_total",
        "excused_days",
        "streak_at_risk",
        "last_session",
        "per_routine",
        "checkin",
    ] {
        assert!(stats.get(key).is_some(), "stats lacks {key}: {stats}");
    }
    assert_eq!(stats["per_routine"][0]["routine"], "post-ride");
    assert_eq!(stats["per_routine"][0]["last"], "2026-03-08T07:30:00+01:00");
    let checkin = &stats["checkin"]["routines"][0];
    assert_eq!((checkin["avg_before"].as_f64(), checkin["avg_after"].as_f64()), (Some(6.0), Some(3.0)));
    // The weekly trend covers recent weeks only; this session is long past.
    assert!(checkin["weeks"].is_array() && stats["checkin"]["weeks"].is_array());
}

#[test]
fn printed_stats_and_history_show_check_ins_only_while_they_are_on() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("in.json");
    let at = "2026-03-08T07:30:00+01:00";
    write_export(&file, &[session_json("6f1c1f2e-6a51-4a8c-9b1e-8f2f7a0d2b11", "post-ride", at, "completed", "")]);
    supple(dir.path()).arg("import").arg(&file).assert().success();
    let printed = |dir: &Path, command: &str| {
        let out = supple(dir).arg(command).assert().success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    };

    let off = printed(dir.path(), "stats");
    assert!(off.contains("Sessions       1 (1 completed)"), "{off}");
    assert!(!off.contains("Check-in"), "check-ins are off by default: {off}");
    let out = supple(dir.path()).args(["stats", "--json"]).assert().success();
    let json = json_of(&out.get_output().stdout);
    assert_eq!(json["checkin"]["routines"][0]["avg_after"].as_f64(), Some(3.0), "--json keeps the stored answers");
    let listing = printed(dir.path(), "history");
    assert!(listing.contains("post-ride") && !listing.contains("Check-in") && !listing.contains("6 -> 3"), "{listing}");
    assert!(listing.lines().all(|l| l == l.trim_end()), "no trailing blanks: {listing:?}");
    let out = supple(dir.path()).args(["history", "--json"]).assert().success();
    let session = &json_of(&out.get_output().stdout)["sessions"][0];
    assert_eq!((&session["pain_before"], &session["pain_after"]), (&6.into(), &3.into()), "--json keeps them");

    std::fs::create_dir_all(dir.path().join("config")).unwrap();
    std::fs::write(dir.path().join("config/config.toml"), "checkin = true\n").unwrap();
    let on = printed(dir.path(), "stats");
    assert!(on.contains("Check-in (back pain 0-10, average before -> after)"), "{on}");
    assert!(on.contains("post-ride  6.0 -> 3.0  (-3.0)"), "{on}");
    let listing = printed(dir.path(), "history");
    assert!(listing.lines().next().unwrap().ends_with("Check-in"), "{listing}");
    assert!(listing.lines().nth(1).unwrap().ends_with("6 -> 3"), "{listing}");
}

#[test]
fn a_logged_session_carries_the_routines_title_and_length() {
    let dir = tempfile::tempdir().unwrap();
    supple(dir.path()).args(["log", "POST-RIDE", "--date", "2026-03-01"]).assert().success();
    let out = supple(dir.path()).args(["history", "--json"]).assert().success();
    let session = &json_of(&out.get_output().stdout)["sessions"][0];
    assert_eq!(session["routine"], "post-ride");
    assert_eq!(session["status"], "completed");
    assert!(session["planned_secs"].as_u64().unwrap() > 60, "{session}");
    assert_ne!(session["title"], "post-ride", "the title comes from the routine file");
}

#[test]
fn a_day_with_a_completed_session_cannot_be_excused() {
    let dir = tempfile::tempdir().unwrap();
    supple(dir.path()).args(["log", "post-ride", "--date", "2026-03-02"]).assert().success();
    supple(dir.path())
        .args(["excuse", "2026-03-02", "--reason", "travel"])
        .assert()
        .code(1)
        .stderr("supple: 2026-03-02 needs no excuse: a session was completed that day (see `supple history`)\n");
    supple(dir.path()).args(["excuse", "2026-03-03"]).assert().success();
    let stats = json_of(&supple(dir.path()).args(["stats", "--json"]).assert().success().get_output().stdout);
    assert_eq!(stats["excused_days"], 1);
}

#[test]
fn an_excuse_can_be_taken_back_and_the_streak_it_bridged_breaks() {
    let dir = tempfile::tempdir().unwrap();
    // The day as the binary sees it, in the time zone `supple()` gives it.
    let yesterday = jiff::Timestamp::now().in_tz("Europe/Berlin").unwrap().date().yesterday().unwrap();
    let before = yesterday.yesterday().unwrap();
    supple(dir.path()).args(["log", "post-ride", "--date", &before.to_string()]).assert().success();
    supple(dir.path()).args(["log", "post-ride"]).assert().success();
    supple(dir.path()).args(["excuse", &yesterday.to_string(), "--reason", "travel"]).assert().success();
    let streak = |dir: &Path| {
        json_of(&supple(dir).args(["stats", "--json"]).assert().success().get_output().stdout)["current_streak_days"]
            .clone()
    };
    assert_eq!(streak(dir.path()), 2);
    supple(dir.path())
        .args(["excuse", &yesterday.to_string(), "--undo"])
        .assert()
        .success()
        .stdout(format!("{yesterday} is no longer excused. Streak: 1 day.\n"));
    assert_eq!(streak(dir.path()), 1);
    supple(dir.path())
        .args(["excuse", &yesterday.to_string(), "--undo"])
        .assert()
        .code(1)
        .stderr(format!("supple: {yesterday} was not excused\n"));
}

#[test]
fn export_then_import_elsewhere_gives_the_same_history_and_a_second_import_adds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    supple(&a).args(["log", "post-ride", "--date", "2026-03-01"]).assert().success();
    supple(&a).args(["log", "bedtime", "--date", "2026-03-02"]).assert().success();
    supple(&a).args(["excuse", "2026-03-03", "--reason", "travel"]).assert().success();
    let backup = dir.path().join("backup.json");
    supple(&a)
        .arg("export")
        .arg("-o")
        .arg(&backup)
        .assert()
        .success()
        .stderr(format!("Exported 2 sessions and 1 excused day to {}.\n", backup.display()));

    supple(&b).arg("import").arg(&backup).assert().success().stdout("Imported 2 sessions and 1 excused day.\n");
    supple(&b).arg("import").arg(&backup).assert().success().stdout("Imported 0 sessions (2 already there).\n");
    let export_a = supple(&a).arg("export").assert().success().get_output().stdout.clone();
    let export_b = supple(&b).arg("export").assert().success().get_output().stdout.clone();
    assert_eq!(String::from_utf8(export_a).unwrap(), String::from_utf8(export_b).unwrap());
}

#[test]
fn a_malformed_import_is_rejected_whole() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("bad.json");
    let good =
        session_json("6f1c1f2e-6a51-4a8c-9b1e-8f2f7a0d2b11", "post-ride", "2026-03-08T07:30:00+01:00", "completed", "");
    let bad =
        session_json("7f1c1f2e-6a51-4a8c-9b1e-8f2f7a0d2b11", "post-ride", "2026-03-09T07:30:00+01:00", "finished", "");
    write_export(&file, &[good, bad]);
    let out = supple(&data).arg("import").arg(&file).assert().code(1);
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("bad.json: session 2") && stderr.contains("status must be"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    std::fs::write(&file, "{\"version\": 1, \"sessions\": [").unwrap();
    supple(&data).arg("import").arg(&file).assert().code(1);
    supple(&data).arg("history").assert().success().stdout("No sessions yet.\n");
}

#[test]
fn csv_has_a_header_and_quotes_what_needs_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("in.json");
    let note = "tight, \"very\" tight\nnext day better";
    write_export(
        &file,
        &[session_json(
            "6f1c1f2e-6a51-4a8c-9b1e-8f2f7a0d2b11",
            "post-ride",
            "2026-03-08T07:30:00+01:00",
            "completed",
            note,
        )],
    );
    supple(dir.path()).arg("import").arg(&file).assert().success();
    let out = supple(dir.path()).args(["history", "--csv"]).assert().success();
    let csv = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let mut lines = csv.lines();
    assert!(lines.next().unwrap().starts_with("id,routine,title,started_at,ended_at,status,"));
    assert!(csv.contains(",\"tight, \"\"very\"\" tight\nnext day better\","), "{csv}");
}

#[test]
fn a_damaged_history_is_moved_aside_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = vec![0x5a_u8; 8192];
    std::fs::write(dir.path().join("history.db"), &garbage).unwrap();
    let out = supple(dir.path()).arg("stats").assert().success();
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("was damaged") && stderr.contains("moved it to"), "{stderr}");
    let aside: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("history.db.corrupt-"))
        .collect();
    assert_eq!(aside.len(), 1);
    assert!(std::fs::read(&aside[0]).unwrap() == garbage, "the damaged file was changed");
    // The next write starts a fresh history beside it.
    supple(dir.path()).args(["log", "post-ride", "--date", "2026-03-01"]).assert().success();
    assert!(std::fs::read(&aside[0]).unwrap() == garbage);
}

#[test]
fn usage_and_user_errors_have_their_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    supple(dir.path()).args(["history", "--since", "last week"]).assert().code(2);
    supple(dir.path()).args(["history", "--json", "--csv"]).assert().code(2);
    supple(dir.path()).args(["log", "post-ride", "--date", "2999-01-01"]).assert().code(1);
    supple(dir.path()).args(["import", "does-not-exist.json"]).assert().code(1);
    let out = supple(dir.path()).args(["log", "post-rid"]).assert().code(1);
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("did you mean `post-ride`?"), "{stderr}");
    supple(dir.path()).arg("history").assert().success().stdout("No sessions yet.\n");
}

/// Days come from the wall time where each session was done, so the machine's time zone must
/// not change any streak: the same history gives the same stats under every `TZ`.
#[test]
fn streaks_do_not_depend_on_the_machines_time_zone() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("in.json");
    let times = [
        // New York across the 2025 spring-forward night, late evenings and just after midnight.
        "2025-03-07T23:30:00-05:00",
        "2025-03-08T00:30:00-05:00",
        "2025-03-09T03:30:00-04:00",
        "2025-03-10T23:59:00-04:00",
        // Berlin across the 2025 fall-back night.
        "2025-10-25T23:00:00+02:00",
        "2025-10-26T02:30:00+01:00",
        "2025-10-27T00:05:00+01:00",
    ];
    let sessions: Vec<Value> = times
        .iter()
        .enumerate()
        .map(|(n, t)| session_json(&format!("00000000-0000-4000-8000-{n:012}"), "post-ride", t, "completed", ""))
        .collect();
    write_export(&file, &sessions);
    supple(dir.path()).arg("import").arg(&file).assert().success();
    for tz in ["UTC", "America/New_York", "Europe/Berlin", "Asia/Kolkata", "Pacific/Auckland", "America/Los_Angeles"] {
        let out = supple(dir.path()).env("TZ", tz).args(["stats", "--json"]).assert().success();
        let stats = json_of(&out.get_output().stdout);
        // 03-07, 03-08, 03-09, 03-10 in New York: four days; 10-25, 10-26, 10-27 in Berlin: three.
        assert_eq!(stats["longest_streak_days"], 4, "TZ={tz}");
        assert_eq!(stats["completed_total"], 7, "TZ={tz}");
        let out =
            supple(dir.path()).env("TZ", tz).args(["history", "--json", "--since", "2025-10-26"]).assert().success();
        assert_eq!(json_of(&out.get_output().stdout)["sessions"].as_array().unwrap().len(), 2, "TZ={tz}");
    }
    // A logged day is that day in whatever zone the user is in.
    for tz in ["Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Kolkata"] {
        let data = dir.path().join(tz.replace('/', "-"));
        supple(&data).env("TZ", tz).args(["log", "post-ride", "--date", "2025-06-15"]).assert().success();
        let out = supple(&data).env("TZ", tz).args(["history", "--json"]).assert().success();
        let started = json_of(&out.get_output().stdout)["sessions"][0]["started_at"].as_str().unwrap().to_string();
        assert!(started.starts_with("2025-06-15T12:00:00"), "TZ={tz}: {started}");
    }
}

#[test]
fn a_killed_writer_keeps_its_steps_and_the_session_becomes_interrupted() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("history.db");
    let mut child = Process::new(writer_program())
        .arg(&db)
        .arg("crash")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    assert_eq!(line.trim(), "ready");

    // While the writer lives, opening the history leaves its session running; the listing
    // shows it, the export formats (which `import` must read back) leave it out.
    let store = Store::open(&db).unwrap();
    assert_eq!(store.sessions(&SessionFilter::default()).unwrap()[0].status, Status::Running);
    drop(store);
    let listing = supple(dir.path()).arg("history").assert().success().get_output().stdout.clone();
    assert!(String::from_utf8(listing).unwrap().contains("running"));
    let export = supple(dir.path()).arg("export").assert().success().get_output().stdout.clone();
    assert_eq!(json_of(&export)["sessions"], serde_json::json!([]));

    child.kill().unwrap(); // SIGKILL: no chance to clean up
    child.wait().unwrap();
    let store = Store::open(&db).unwrap();
    let sessions = store.sessions(&SessionFilter::default()).unwrap();
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].status, Status::Interrupted);
    assert_eq!((sessions[0].steps.len(), sessions[0].steps_done, sessions[0].active_secs), (2, 2, 40));
}

#[test]
fn two_processes_writing_at_once_are_both_recorded() {
    let dir = tempfile::tempdir().unwrap();
    // A fresh path: the two also race to create and migrate the file.
    let db = dir.path().join("new/history.db");
    let spawn =
        || Process::new(writer_program()).arg(&db).args(["sessions", "40"]).stderr(Stdio::piped()).spawn().unwrap();
    let (first, second) = (spawn(), spawn());
    for child in [first, second] {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let store = Store::open(&db).unwrap();
    let sessions = store.sessions(&SessionFilter::default()).unwrap();
    assert_eq!(sessions.len(), 80);
    assert!(sessions.iter().all(|s| s.status == Status::Completed && s.steps.len() == 3));
}
