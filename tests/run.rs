//! `supple run` end to end: the real binary in a pseudo-terminal (read back through a vt100
//! emulator, as a user would see it), and plain mode through pipes.
//!
//! Waits are "until the screen shows X", with generous limits, so a slow machine makes the
//! tests slower, never flaky.

#[path = "support/tui.rs"]
mod tui;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use predicates::prelude::*;
use tui::Tui;

/// About ten seconds: prepare 2 s, plank 4 s, rest 1 s, prepare 1 s, bridge 2 s.
const ROUTINE: &str = r#"
name = "Ten seconds"
[defaults]
prepare = "2s"
rest = "1s"
[[exercise]]
name = "Plank"
duration = "4s"
notes = "Brace."
[[exercise]]
name = "Bridge"
duration = "2s"
prepare = "1s"
"#;

fn routine_file(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("ten.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// The binary running `supple run` on a routine file in a pseudo-terminal (the shared harness
/// in `tests/support/tui.rs`), with its folders in a tempdir that lives as long as the run.
struct Run {
    tui: Tui,
    dir: tempfile::TempDir,
}

impl std::ops::Deref for Run {
    type Target = Tui;
    fn deref(&self) -> &Tui {
        &self.tui
    }
}

impl std::ops::DerefMut for Run {
    fn deref_mut(&mut self) -> &mut Tui {
        &mut self.tui
    }
}

impl Run {
    fn start(text: &str) -> Run {
        Run::start_with_config(text, "")
    }

    /// Like `start`, with this `config.toml`.
    fn start_with_config(text: &str, config: &str) -> Run {
        let dir = tempfile::tempdir().unwrap();
        let path = routine_file(dir.path(), text);
        if !config.is_empty() {
            std::fs::create_dir_all(dir.path().join("config")).unwrap();
            std::fs::write(dir.path().join("config/config.toml"), config).unwrap();
        }
        let tui = Tui::start(dir.path(), &["run", path.to_str().unwrap()], &[]);
        Run { tui, dir }
    }
}

#[test]
fn a_routine_runs_on_screen_from_countdown_to_summary_and_restores_the_terminal() {
    let mut tui = Run::start(ROUTINE);
    tui.wait_text("GET READY  Plank");
    tui.wait_for("the alternate screen", vt100::Screen::alternate_screen);
    tui.wait_text("WORK  Plank");
    let screen = tui.contents();
    assert!(screen.contains("Ten seconds"), "{screen}");
    assert!(screen.contains("step 2/5"), "{screen}");
    assert!(screen.contains("Brace."), "{screen}");
    assert!(screen.contains("Next: rest 1s"), "{screen}");
    assert!(screen.contains("no audio device: cues are shown as a flash"), "{screen}");
    // The countdown is drawn in block digits.
    assert!(screen.contains("██"), "{screen}");
    let start = Instant::now();
    while !tui.title().starts_with("Plank 0:0") {
        assert!(start.elapsed() < Duration::from_secs(10), "title: {}", tui.title());
        std::thread::sleep(Duration::from_millis(20));
    }

    // Pausing stops the clock and says so; the countdown does not move while paused.
    tui.keys(" ");
    tui.wait_text("PAUSED");
    let frozen = tui.contents();
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(tui.contents(), frozen);
    tui.keys(" ");

    tui.wait_text("Done! Well done.");
    let summary = tui.contents();
    assert!(summary.contains("2 of 2 done, 0 skipped"), "{summary}");
    assert!(summary.contains("1-day streak (longest 1) · "), "the streak, this session counted: {summary}");
    tui.keys("\r");
    assert_eq!(tui.exit_code(), 0);
    tui.wait_text("Completed: Ten seconds");
    // The scrollback keeps the streak the summary showed, under the session's lines.
    tui.wait_text("skipped.\n1-day streak (longest 1) · ");
    assert_eq!(tui.modes(), (false, false), "alternate screen left, cursor shown");
}

#[test]
fn quitting_asks_for_a_reason_and_saves_the_session_as_stopped() {
    let mut tui = Run::start(ROUTINE);
    tui.wait_text("GET READY  Plank");
    tui.keys("q");
    tui.wait_text("Stop this session?");
    tui.keys("pain\r");
    assert_eq!(tui.exit_code(), 0);
    tui.wait_text("Stopped: Ten seconds (reason: pain)");
    assert!(!tui.modes().0, "alternate screen left");
}

#[test]
fn sigterm_restores_the_terminal_and_records_an_interrupted_session() {
    let mut tui = Run::start(ROUTINE);
    tui.wait_text("GET READY  Plank");
    let pid = tui.child.process_id().unwrap();
    let killed = std::process::Command::new("kill").args(["-TERM", &pid.to_string()]).status().unwrap();
    assert!(killed.success());
    assert_eq!(tui.exit_code(), 1);
    tui.wait_text("Interrupted: Ten seconds");
    assert_eq!(tui.modes(), (false, false), "alternate screen left, cursor shown");
}

#[test]
fn the_checkin_asks_before_and_after_and_both_answers_are_stored() {
    let mut tui = Run::start_with_config(ROUTINE, "checkin = true\n");
    tui.wait_text("How does your back feel right now?");
    // The clock has not started while the question is open.
    std::thread::sleep(Duration::from_millis(1200));
    tui.keys("6\r");
    tui.wait_text("GET READY  Plank");
    // Had it run while the question was open, at least 1.2 of the 10 s would be gone.
    let screen = tui.contents();
    assert!(screen.contains("step 1/5 · 0:10 left") || screen.contains("step 1/5 · 0:09 left"), "{screen}");
    tui.keys("\r\r\r\r\r");
    tui.wait_text("How does your back feel now? 0-10");
    tui.keys("3\r");
    assert_eq!(tui.exit_code(), 0);
    let out = plain(tui.dir.path()).args(["history", "--json"]).output().unwrap();
    let history: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let session = &history["sessions"][0];
    assert_eq!((session["pain_before"].as_u64(), session["pain_after"].as_u64()), (Some(6), Some(3)));
    assert_eq!(session["status"], "completed");
}

fn plain(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("supple").unwrap();
    cmd.env("SUPPLE_CONFIG_DIR", dir.join("config")).env("SUPPLE_DATA_DIR", dir.join("data")).env_remove("NO_COLOR");
    // No audio device, whatever this machine has: the same output everywhere.
    cmd.env("ALSA_CONFIG_PATH", "/nonexistent/supple-test-alsa.conf");
    cmd
}

#[test]
fn plain_mode_prints_a_line_per_step_and_a_summary_when_output_is_not_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    // A self-paced rep step too: with standard input closed it ends after its estimate (3 s).
    let text = "name = \"Short\"\n[defaults]\nprepare = \"1s\"\n[[exercise]]\nname = \"Plank\"\nduration = \"2s\"\n\
                each_side = true\nswitch = \"1s\"\n[[exercise]]\nname = \"Squat\"\nreps = 1\nprepare = 0\n";
    let path = routine_file(dir.path(), text);
    let started = Instant::now();
    let out = plain(dir.path()).args(["run", path.to_str().unwrap()]).write_stdin("").assert().success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let (lines, streak) = stdout.rsplit_once("skipped.\n").unwrap_or_else(|| panic!("{stdout}"));
    assert_eq!(
        lines,
        "Short: 5 steps, about 9s. Enter ends a step, p pauses, q stops.\n\
         Note: no audio device: cues are shown as a flash\n\
         [1/5] Get ready: Plank (left), 1s\n\
         [2/5] Plank (left): hold 2s\n\
         [3/5] Switch sides (right): 1s\n\
         [4/5] Plank (right): hold 2s\n\
         [5/5] Squat: 1 reps, Enter when done\n\
         Done.\n\
         Completed: Short\n\
         Active time 0:09; 3 of 3 exercises done, 0 "
    );
    // The streak with this session counted; the week's count depends on the weekday.
    assert!(streak.starts_with("1-day streak (longest 1) · ") && streak.ends_with(" this week\n"), "{stdout}");
    // Same timing as the screen: the planned 9 s, not less.
    assert!(started.elapsed() >= Duration::from_secs(9));
    // And the same history: the session and its five steps are stored.
    let out = plain(dir.path()).args(["history", "--json"]).output().unwrap();
    let history: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let session = &history["sessions"][0];
    assert_eq!((session["status"].as_str(), session["steps_done"].as_u64()), (Some("completed"), Some(5)));
    assert_eq!(session["steps"].as_array().map(Vec::len), Some(5));
}

#[test]
fn plain_mode_takes_commands_on_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let path = routine_file(dir.path(), ROUTINE);
    plain(dir.path())
        .args(["run", "--plain", path.to_str().unwrap()])
        .write_stdin("\nq sore knee\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("[2/5] Plank: hold 4s"))
        .stdout(predicate::str::contains("Stopped: Ten seconds (reason: sore knee)"));
    let out = plain(dir.path()).args(["history", "--json"]).output().unwrap();
    let history: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(history["sessions"][0]["status"], "stopped");
}

#[test]
fn an_unknown_routine_is_a_one_line_error_with_exit_code_1() {
    let dir = tempfile::tempdir().unwrap();
    plain(dir.path())
        .args(["run", "no-such-routine"])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with("supple: no routine named `no-such-routine`"));
}
