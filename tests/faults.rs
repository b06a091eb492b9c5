//! The fault matrix on the real binary: signals mid-step, a history that cannot be written
//! (read-only, full, locked, corrupt), two instances at once, a tiny terminal, no terminal,
//! `TERM=dumb`, `NO_COLOR`, no audio, a wall clock that jumps, and streaks across DST. Each
//! test checks that nothing is lost and the output stays clean.
//!
//! Faults that need privileges (mounting a tiny or read-only file system) or a tool
//! (libfaketime) skip themselves with a printed reason where they cannot be set up.

#[path = "support/tui.rs"]
mod tui;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use serde_json::Value;
use tui::Tui;

/// About 33 s if left alone, but tests act at "WORK  Plank", after three finished steps.
const LONG: &str = "name = \"Long\"\n[defaults]\nprepare = \"1s\"\n\
                    [[exercise]]\nname = \"Warm\"\nduration = \"1s\"\n\
                    [[exercise]]\nname = \"Plank\"\nduration = \"30s\"\n";

/// Three seconds: prepare 1 s, Plank 1 s, Bridge 1 s (no prepare).
const SHORT: &str = "name = \"Short\"\n[defaults]\nprepare = \"1s\"\n\
                     [[exercise]]\nname = \"Plank\"\nduration = \"1s\"\n\
                     [[exercise]]\nname = \"Bridge\"\nduration = \"1s\"\nprepare = 0\n";

/// `supple` with its folders in `dir` (config in `dir/config`, history in `dir/data`).
fn supple(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("supple").unwrap();
    cmd.env("SUPPLE_CONFIG_DIR", dir.join("config")).env("SUPPLE_DATA_DIR", dir.join("data")).env_remove("NO_COLOR");
    cmd
}

fn routine(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("routine.toml");
    std::fs::write(&path, text).unwrap();
    path
}

fn history(dir: &Path) -> Value {
    let out = supple(dir).args(["history", "--json"]).output().unwrap();
    assert!(out.status.success(), "history: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn sessions(dir: &Path) -> Vec<Value> {
    history(dir)["sessions"].as_array().unwrap().clone()
}

/// The indexes of the steps a session has stored.
fn step_indexes(session: &Value) -> Vec<u64> {
    session["steps"].as_array().unwrap().iter().map(|s| s["index"].as_u64().unwrap()).collect()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs `mount ARGS`; false (with the reason printed) when this machine does not allow it.
fn mount(args: &[&str]) -> bool {
    match Process::new("mount").args(args).output() {
        Ok(out) if out.status.success() => true,
        Ok(out) => {
            eprintln!("skipping: mount {args:?} not permitted here: {}", text(&out.stderr).trim());
            false
        }
        Err(e) => {
            eprintln!("skipping: cannot run mount: {e}");
            false
        }
    }
}

/// Unmounts on drop, so a failing test leaves no mount behind.
struct Mounted(PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = Process::new("umount").arg(&self.0).status();
    }
}

// ---------------------------------------------------------------- signals

/// Starts the long routine on screen and waits until three steps are behind it.
fn three_steps_in(dir: &Path) -> Tui {
    let path = routine(dir, LONG);
    let tui = Tui::start(dir, &["run", path.to_str().unwrap()], &[]);
    tui.wait_text("WORK  Plank");
    tui
}

fn assert_kept_three_steps(dir: &Path) {
    let sessions = sessions(dir);
    assert_eq!(sessions.len(), 1, "{sessions:?}");
    assert_eq!(sessions[0]["status"], "interrupted", "{:?}", sessions[0]);
    let steps = step_indexes(&sessions[0]);
    assert_eq!(&steps[..3], &[0, 1, 2], "finished steps lost: {steps:?}");
}

fn signal_restores_and_keeps_steps(signal: &str) {
    let dir = tempfile::tempdir().unwrap();
    let mut tui = three_steps_in(dir.path());
    tui.signal(signal);
    assert_eq!(tui.exit_code(), 1, "after SIG{signal}");
    tui.wait_text("Interrupted: Long");
    assert_eq!(tui.modes(), (false, false), "alternate screen / hidden cursor left after SIG{signal}");
    assert_kept_three_steps(dir.path());
}

#[test]
fn sigterm_mid_step_restores_the_terminal_and_keeps_the_finished_steps() {
    signal_restores_and_keeps_steps("TERM");
}

#[test]
fn sighup_mid_step_restores_the_terminal_and_keeps_the_finished_steps() {
    signal_restores_and_keeps_steps("HUP");
}

#[test]
fn sigkill_mid_step_keeps_the_finished_steps_and_the_next_start_marks_it_interrupted() {
    let dir = tempfile::tempdir().unwrap();
    let mut tui = three_steps_in(dir.path());
    tui.signal("KILL");
    // Reaped here: a zombie still looks like a live writer.
    tui.exit_code();
    assert_kept_three_steps(dir.path());
}

/// The terminal window is closed mid-step: no terminal left to restore, but the program
/// ends by itself (no spinning on a dead terminal) and the finished steps are kept.
#[test]
fn closing_the_terminal_mid_step_ends_the_run_and_keeps_the_finished_steps() {
    let dir = tempfile::tempdir().unwrap();
    let mut tui = three_steps_in(dir.path());
    tui.hang_up();
    let code = tui.exit_code();
    assert_eq!(code, 1, "a closed terminal is an interrupted run, not a crash");
    assert_kept_three_steps(dir.path());
}

/// Ctrl-C is a key in raw mode: it stops at once, saves the session and restores the terminal.
#[test]
fn ctrl_c_mid_step_restores_the_terminal_and_keeps_the_finished_steps() {
    let dir = tempfile::tempdir().unwrap();
    let mut tui = three_steps_in(dir.path());
    tui.keys("\x03");
    tui.exit_code();
    tui.wait_text(": Long");
    assert_eq!(tui.modes(), (false, false));
    let kept = sessions(dir.path());
    assert_eq!(kept.len(), 1);
    assert_ne!(kept[0]["status"], "running");
    assert_eq!(&step_indexes(&kept[0])[..3], &[0, 1, 2]);
}

/// Plain mode under SIGTERM and SIGHUP: the summary says interrupted, the steps are kept.
#[test]
fn sigterm_and_sighup_mid_step_in_plain_mode_keep_the_finished_steps() {
    for signal in ["TERM", "HUP"] {
        let dir = tempfile::tempdir().unwrap();
        let mut run = PlainRun::start(dir.path(), SIX);
        run.wait_for("[4/6]");
        let pid = run.child.id().to_string();
        assert!(Process::new("kill").args([&format!("-{signal}"), &pid]).status().unwrap().success());
        run.wait_for("Interrupted: Six");
        assert_eq!(run.child.wait().unwrap().code(), Some(1), "SIG{signal}");
        let kept = sessions(dir.path());
        assert_eq!(kept[0]["status"], "interrupted", "SIG{signal}");
        assert_eq!(&step_indexes(&kept[0])[..3], &[0, 1, 2], "SIG{signal}");
    }
}

// ---------------------------------------------------------------- history cannot be written

/// The data folder is a regular file, so nothing can be created in it (works even as root).
#[test]
fn a_data_folder_that_cannot_be_created_still_runs_and_says_history_is_not_saved() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("data"), "not a folder").unwrap();
    let path = routine(dir.path(), SHORT);

    let out = supple(dir.path()).args(["run", "--plain", path.to_str().unwrap()]).write_stdin("").output().unwrap();
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("Note: history is not being saved"), "{stdout}");
    assert!(stdout.contains("Completed: Short"), "{stdout}");
    assert!(!stdout.contains("streak"), "a streak without this session would be wrong: {stdout}");

    let mut tui = Tui::start(dir.path(), &["run", path.to_str().unwrap()], &[]);
    tui.wait_text("history is not being saved");
    tui.wait_text("Done! Well done.");
    let summary = tui.contents();
    assert!(!summary.contains("streak"), "a streak without this session would be wrong: {summary}");
    tui.keys("\r");
    assert_eq!(tui.exit_code(), 0);
    assert_eq!(std::fs::read_to_string(dir.path().join("data")).unwrap(), "not a folder");
}

/// A read-only data folder holding a history: the run goes on, says why nothing is saved, and
/// the stored history is unharmed. chmod does not stop root, so as root a read-only bind mount
/// makes the folder read-only instead.
#[test]
fn a_read_only_history_still_runs_says_so_and_keeps_what_was_stored() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    supple(dir.path()).args(["log", "post-ride", "--date", "2026-01-05"]).assert().success();
    let before = std::fs::read(data.join("history.db")).unwrap();
    let path = routine(dir.path(), SHORT);

    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o555)).unwrap();
    let probe = data.join("probe");
    let mounted = if std::fs::write(&probe, "x").is_ok() {
        // Permissions do not apply to this user (root): make the folder read-only for real.
        let _ = std::fs::remove_file(&probe);
        let folder = data.to_str().unwrap();
        if !mount(&["--bind", folder, folder]) {
            return;
        }
        let mounted = Mounted(data.clone());
        if !mount(&["-o", "remount,bind,ro", folder]) {
            return;
        }
        Some(mounted)
    } else {
        None
    };

    let out = supple(dir.path()).args(["run", "--plain", path.to_str().unwrap()]).write_stdin("").output().unwrap();
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("Note: history is not being saved"), "{stdout}");
    assert!(stdout.contains("Completed: Short"), "{stdout}");
    // The stored session could be read, but a streak without this one would be wrong.
    assert!(!stdout.contains("streak"), "{stdout}");
    // Still readable: the old session is shown.
    assert_eq!(sessions(dir.path()).len(), 1);
    drop(mounted);
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(std::fs::read(data.join("history.db")).unwrap(), before, "the stored history changed");
}

/// Fills the file system holding `dir`, a block at a time, with `dir/filler`.
fn fill(dir: &Path) {
    use std::io::Write;
    let mut filler = std::fs::File::create(dir.join("filler")).unwrap();
    while filler.write_all(&[0u8; 512]).and_then(|()| filler.flush()).is_ok() {}
}

/// Mounts a 256k tmpfs on `dir`, or says why not.
fn tiny_disk(dir: &Path) -> Option<Mounted> {
    std::fs::create_dir_all(dir).unwrap();
    mount(&["-t", "tmpfs", "-o", "size=256k", "tmpfs", dir.to_str().unwrap()]).then(|| Mounted(dir.to_path_buf()))
}

#[test]
fn a_full_disk_still_runs_says_so_and_keeps_what_was_stored() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let Some(_mounted) = tiny_disk(&data) else { return };
    supple(dir.path()).args(["log", "post-ride", "--date", "2026-01-05"]).assert().success();
    fill(&data);
    let path = routine(dir.path(), SHORT);
    let out = supple(dir.path()).args(["run", "--plain", path.to_str().unwrap()]).write_stdin("").output().unwrap();
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains("history is not being saved") && stdout.contains("the disk is full"), "{stdout}{stderr}");
    assert!(stdout.contains("Completed: Short"), "{stdout}");
    let kept = sessions(dir.path());
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(kept[0]["routine"], "post-ride");
}

/// Six steps, the last one long: prepare, Warm 1 s, prepare, Bridge 1 s, prepare, Plank 30 s.
const SIX: &str = "name = \"Six\"\n[defaults]\nprepare = \"1s\"\n\
                   [[exercise]]\nname = \"Warm\"\nduration = \"1s\"\n\
                   [[exercise]]\nname = \"Bridge\"\nduration = \"1s\"\n\
                   [[exercise]]\nname = \"Plank\"\nduration = \"30s\"\n";

/// `supple run --plain` in the background, its output read line by line.
struct PlainRun {
    child: std::process::Child,
    lines: std::io::Lines<BufReader<std::process::ChildStdout>>,
    seen: Vec<String>,
}

impl PlainRun {
    fn start(dir: &Path, text: &str) -> PlainRun {
        let path = routine(dir, text);
        let mut child = Process::new(env!("CARGO_BIN_EXE_supple"))
            .args(["run", "--plain", path.to_str().unwrap()])
            .env("SUPPLE_CONFIG_DIR", dir.join("config"))
            .env("SUPPLE_DATA_DIR", dir.join("data"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let lines = BufReader::new(child.stdout.take().unwrap()).lines();
        PlainRun { child, lines, seen: Vec::new() }
    }

    /// Reads up to the first line starting with `prefix`.
    fn wait_for(&mut self, prefix: &str) {
        for line in self.lines.by_ref() {
            let line = line.unwrap();
            self.seen.push(line.clone());
            if line.starts_with(prefix) {
                return;
            }
        }
        panic!("no {prefix:?} line: {:?}", self.seen);
    }

    /// Kills the run (no chance to save anything more) and reaps it.
    fn kill(mut self) -> Vec<String> {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
        self.seen
    }
}

/// The step records of the one session of `SIX`, checked after the run was killed in its last
/// step: the five steps before it must all be there, however the history fared meanwhile.
fn assert_five_steps_kept(dir: &Path, seen: &[String]) {
    let kept = sessions(dir);
    let six: Vec<&Value> = kept.iter().filter(|s| s["routine"] == "routine").collect();
    assert_eq!(six.len(), 1, "{kept:?} {seen:?}");
    assert_eq!(six[0]["status"], "interrupted");
    assert_eq!(step_indexes(six[0]), [0, 1, 2, 3, 4], "{seen:?}");
}

/// The disk fills up while a run records and frees up again: the steps finished meanwhile
/// are written at the next step, so a crash after that loses none of them.
#[test]
fn a_disk_that_fills_up_during_a_run_loses_no_step_once_there_is_room_again() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let Some(_mounted) = tiny_disk(&data) else { return };
    let mut run = PlainRun::start(dir.path(), SIX);
    // The session row is stored before the first step; then the disk is full for two steps.
    run.wait_for("[1/6]");
    fill(&data);
    run.wait_for("[3/6]");
    std::fs::remove_file(data.join("filler")).unwrap();
    run.wait_for("[6/6]");
    let seen = run.kill();
    assert_five_steps_kept(dir.path(), &seen);
}

/// Another program holds the history's write lock as a run starts and for its first steps:
/// the run goes on, says why nothing is saved, and once the lock is gone everything lands,
/// the session itself included.
#[test]
fn a_locked_history_does_not_stop_the_run_and_its_steps_land_once_released() {
    let dir = tempfile::tempdir().unwrap();
    supple(dir.path()).args(["log", "post-ride", "--date", "2026-01-05"]).assert().success();
    let locker = rusqlite::Connection::open(dir.path().join("data/history.db")).unwrap();
    locker.execute_batch("BEGIN EXCLUSIVE; INSERT INTO excuse (day, reason) VALUES ('2026-01-06', 'lock');").unwrap();
    let mut run = PlainRun::start(dir.path(), SIX);
    run.wait_for("[3/6]");
    let said = run.seen.iter().any(|l| l.contains("history is not being saved") && l.contains("locked"));
    assert!(said, "{:?}", run.seen);
    locker.execute_batch("COMMIT").unwrap();
    drop(locker);
    run.wait_for("[6/6]");
    let seen = run.kill();
    assert_five_steps_kept(dir.path(), &seen);
}

#[test]
fn a_corrupt_history_is_moved_aside_unchanged_and_the_run_is_recorded_in_a_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let garbage: Vec<u8> = (0..10_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    std::fs::write(data.join("history.db"), &garbage).unwrap();
    let path = routine(dir.path(), SHORT);
    let out = supple(dir.path()).args(["run", "--plain", path.to_str().unwrap()]).write_stdin("").output().unwrap();
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("moved it to"), "{stderr}");
    let aside: Vec<PathBuf> = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("corrupt"))
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert!(stderr.contains(&aside[0].display().to_string()), "{stderr}");
    assert!(std::fs::read(&aside[0]).unwrap() == garbage, "the damaged file was changed");
    let kept = sessions(dir.path());
    assert_eq!((kept.len(), kept[0]["status"].as_str()), (1, Some("completed")));
}

#[test]
fn two_runs_at_once_into_one_history_are_both_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let path = routine(dir.path(), SHORT);
    let spawn = || {
        Process::new(env!("CARGO_BIN_EXE_supple"))
            .args(["run", "--plain", path.to_str().unwrap()])
            .env("SUPPLE_CONFIG_DIR", dir.path().join("config"))
            .env("SUPPLE_DATA_DIR", dir.path().join("data"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (first, second) = (spawn(), spawn());
    for child in [first, second] {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}{}", text(&out.stdout), text(&out.stderr));
        assert!(!text(&out.stdout).contains("not being saved"), "{}", text(&out.stdout));
    }
    let kept = sessions(dir.path());
    assert_eq!(kept.len(), 2, "{kept:?}");
    for session in &kept {
        assert_eq!(session["status"], "completed");
        assert_eq!(step_indexes(session), [0, 1, 2]);
    }
}

// ---------------------------------------------------------------- the terminal

#[test]
fn a_terminal_shrunk_to_10x3_and_back_shows_too_small_and_keeps_timing() {
    let dir = tempfile::tempdir().unwrap();
    let text = "name = \"Resize\"\n[defaults]\nprepare = \"1s\"\n[[exercise]]\nname = \"Plank\"\nduration = \"6s\"\n";
    let path = routine(dir.path(), text);
    let mut tui = Tui::start(dir.path(), &["run", path.to_str().unwrap()], &[]);
    tui.wait_text("WORK  Plank");
    tui.resize(3, 10);
    tui.wait_text("Window too");
    let small = tui.contents();
    // Timing goes on while the window is too small: the countdown on it moves.
    tui.wait_for("the countdown to move while small", |s| s.contents() != small);
    tui.resize(30, 100);
    tui.wait_text("Done! Well done.");
    tui.keys("\r");
    assert_eq!(tui.exit_code(), 0);
    let kept = sessions(dir.path());
    assert_eq!(kept[0]["status"], "completed");
    assert_eq!(kept[0]["steps"][1]["active_secs"], 6);
}

#[test]
fn output_that_is_not_a_terminal_gets_plain_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = routine(dir.path(), SHORT);
    let out = supple(dir.path()).args(["run", path.to_str().unwrap()]).write_stdin("").output().unwrap();
    assert!(out.status.success());
    assert!(text(&out.stdout).starts_with("Short: 3 steps, about 3s."), "{}", text(&out.stdout));
    assert!(!out.stdout.contains(&0x1b), "escape sequences in plain output: {:?}", text(&out.stdout));
}

#[test]
fn term_dumb_gets_plain_lines_even_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let path = routine(dir.path(), SHORT);
    let mut tui = Tui::start(dir.path(), &["run", path.to_str().unwrap()], &[("TERM", "dumb")]);
    tui.wait_text("[1/3] Get ready: Plank, 1s");
    tui.wait_text("Completed: Short");
    assert_eq!(tui.exit_code(), 0);
    assert!(!tui.raw().contains(&0x1b), "escape sequences under TERM=dumb: {:?}", text(&tui.raw()));
}

/// Whether `bytes` hold an SGR sequence that sets a foreground or background colour.
fn has_colour(bytes: &[u8]) -> bool {
    let text = text(bytes);
    text.split("\x1b[").skip(1).any(|seq| {
        let end = seq.find(|c: char| !(c.is_ascii_digit() || c == ';' || c == ':')).unwrap_or(seq.len());
        seq[end..].starts_with('m')
            && seq[..end]
                .split([';', ':'])
                .any(|p| matches!(p.parse::<u32>(), Ok(30..=38 | 40..=48 | 90..=97 | 100..=107)))
    })
}

#[test]
fn no_color_gets_no_colour_sequences() {
    assert!(has_colour(b"x\x1b[1;38;5;2my") && has_colour(b"\x1b[41m") && !has_colour(b"\x1b[1;7m\x1b[39;49m"));
    let dir = tempfile::tempdir().unwrap();
    let path = routine(dir.path(), SHORT);
    let mut tui = Tui::start(dir.path(), &["run", path.to_str().unwrap()], &[("NO_COLOR", "1")]);
    tui.wait_text("WORK  Plank");
    tui.wait_text("Done! Well done.");
    tui.keys("\r");
    assert_eq!(tui.exit_code(), 0);
    let raw = tui.raw();
    assert!(!has_colour(&raw), "colour under NO_COLOR: {:?}", text(&raw));

    // The home screen too, where the routine just run is listed.
    let mut home = Tui::start(dir.path(), &[], &[("NO_COLOR", "1")]);
    home.wait_text("1-day streak");
    home.keys("q");
    assert_eq!(home.exit_code(), 0);
    assert!(!has_colour(&home.raw()), "colour on the home screen under NO_COLOR: {:?}", text(&home.raw()));
}

/// No sound card here: the run goes on and nothing from the audio stack reaches the user.
#[test]
fn no_audio_device_runs_on_without_audio_noise() {
    let dir = tempfile::tempdir().unwrap();
    let path = routine(dir.path(), SHORT);
    let noisy = |t: &str| t.contains("ALSA") || t.contains("snd_");
    let out = supple(dir.path()).args(["run", "--plain", path.to_str().unwrap()]).write_stdin("").output().unwrap();
    assert!(out.status.success());
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(stdout.contains("Completed: Short") && !noisy(&stdout) && !noisy(&stderr), "{stdout}{stderr}");

    let mut tui = Tui::start(dir.path(), &["run", path.to_str().unwrap()], &[]);
    tui.wait_text("Done! Well done.");
    tui.keys("\r");
    assert_eq!(tui.exit_code(), 0);
    assert!(!noisy(&text(&tui.raw())), "{}", tui.contents());
    assert_eq!(sessions(dir.path()).len(), 2);
}

// ---------------------------------------------------------------- the clocks

const FAKETIME_LIB: &str = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";

/// The wall clock jumps two hours ahead mid-step (as after a suspend), then back: the session
/// pauses and says why instead of finishing, and the jump back changes nothing.
#[test]
fn a_wall_clock_jump_pauses_the_session_and_a_jump_back_changes_nothing() {
    if !Path::new(FAKETIME_LIB).exists() {
        eprintln!("skipping: libfaketime not installed ({FAKETIME_LIB}); apt-get install faketime");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let offset = dir.path().join("faketime");
    std::fs::write(&offset, "+0\n").unwrap();
    let text = "name = \"Jump\"\n[defaults]\nprepare = \"1s\"\n[[exercise]]\nname = \"Plank\"\nduration = \"4s\"\n\
                [[exercise]]\nname = \"Bridge\"\nduration = \"4s\"\n";
    let path = routine(dir.path(), text);
    let env = [
        ("LD_PRELOAD", FAKETIME_LIB),
        ("FAKETIME_TIMESTAMP_FILE", offset.to_str().unwrap()),
        ("FAKETIME_NO_CACHE", "1"),
        // Only the wall clock moves, as in a real suspend or clock change.
        ("FAKETIME_DONT_FAKE_MONOTONIC", "1"),
    ];
    let mut tui = Tui::start(dir.path(), &["run", path.to_str().unwrap()], &env);
    tui.wait_text("WORK  Plank");
    std::fs::write(&offset, "+7200\n").unwrap();
    tui.wait_text("the computer was asleep");
    // Paused in the same step: nothing finished or skipped while "asleep".
    let screen = tui.contents();
    assert!(screen.contains("WORK  Plank") && screen.contains("PAUSED"), "{screen}");
    std::thread::sleep(Duration::from_millis(1500));
    assert!(tui.contents().contains("WORK  Plank"), "{}", tui.contents());
    tui.keys(" ");
    tui.wait_text("WORK  Bridge");
    // Back two hours (NTP, a user): not a sleep, so no pause and no early end.
    std::fs::write(&offset, "+0\n").unwrap();
    let resumed = Instant::now();
    tui.wait_text("Done! Well done.");
    assert!(resumed.elapsed() >= Duration::from_secs(2), "Bridge (4 s) ended early");
    tui.keys("\r");
    assert_eq!(tui.exit_code(), 0);
    let kept = sessions(dir.path());
    assert_eq!(kept[0]["status"], "completed");
    let steps = kept[0]["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 4);
    assert!(steps.iter().all(|s| s["skipped"] == false), "{steps:?}");
    assert_eq!((steps[1]["active_secs"].as_u64(), steps[3]["active_secs"].as_u64()), (Some(4), Some(4)));
}

/// Sessions logged on the days around a DST change count as consecutive days, in zones where
/// the clocks go forward and back at different dates. With libfaketime, "today" is the day
/// after the autumn change, just after midnight, so the current streak is checked too.
#[test]
fn streaks_across_dst_changes_count_calendar_days() {
    let cases: [(&str, [&str; 3], [&str; 3]); 2] = [
        ("America/New_York", ["2025-03-08", "2025-03-09", "2025-03-10"], ["2025-11-01", "2025-11-02", "2025-11-03"]),
        ("Europe/Berlin", ["2025-03-29", "2025-03-30", "2025-03-31"], ["2025-10-25", "2025-10-26", "2025-10-27"]),
    ];
    let faked = Path::new(FAKETIME_LIB).exists();
    if !faked {
        eprintln!("libfaketime missing ({FAKETIME_LIB}): checking the longest streak only");
    }
    for (tz, spring, fall) in cases {
        let dir = tempfile::tempdir().unwrap();
        // Spring: the day of the change is missed, so the streak there is one day at most.
        for day in [spring[0], spring[2]] {
            supple(dir.path()).env("TZ", tz).args(["log", "post-ride", "--date", day]).assert().success();
        }
        for day in fall {
            supple(dir.path()).env("TZ", tz).args(["log", "post-ride", "--date", day]).assert().success();
        }
        let mut stats = supple(dir.path());
        stats.env("TZ", tz).args(["stats", "--json"]);
        if faked {
            stats.env("LD_PRELOAD", FAKETIME_LIB).env("FAKETIME", format!("@{} 00:30:00", fall[2]));
        }
        let out = stats.output().unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
        let stats: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(stats["longest_streak_days"], 3, "TZ={tz}: {stats}");
        assert_eq!(stats["sessions_total"], 5, "TZ={tz}");
        if faked {
            assert_eq!(stats["current_streak_days"], 3, "TZ={tz}: {stats}");
        }
        // The days as stored are the days logged, whatever the offset that day.
        let started: Vec<String> =
            sessions(dir.path()).iter().map(|s| s["started_at"].as_str().unwrap()[..10].to_string()).collect();
        assert_eq!(started, [spring[0], spring[2], fall[0], fall[1], fall[2]], "TZ={tz}");
    }
}
