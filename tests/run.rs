//! `supple run` end to end: the real binary in a pseudo-terminal (read back through a vt100
//! emulator, as a user would see it), and plain mode through pipes.
//!
//! Waits are "until the screen shows X", with generous limits, so a slow machine makes the
//! tests slower, never flaky.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use predicates::prelude::*;

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

/// Keeps the last window title the program set.
#[derive(Default)]
struct Title(String);

impl vt100::Callbacks for Title {
    fn set_window_title(&mut self, _: &mut vt100::Screen, title: &[u8]) {
        self.0 = String::from_utf8_lossy(title).into_owned();
    }
}

type Screen = Arc<Mutex<vt100::Parser<Title>>>;

/// The binary running in a 100x30 pseudo-terminal, its output fed to a vt100 screen.
struct Tui {
    screen: Screen,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    dir: tempfile::TempDir,
}

impl Tui {
    fn start(text: &str) -> Tui {
        Tui::start_with_config(text, "")
    }

    /// Like `start`, with this `config.toml`.
    fn start_with_config(text: &str, config: &str) -> Tui {
        let dir = tempfile::tempdir().unwrap();
        let path = routine_file(dir.path(), text);
        std::fs::create_dir_all(dir.path().join("config")).unwrap();
        std::fs::write(dir.path().join("config/config.toml"), config).unwrap();
        let pty = native_pty_system();
        let pair = pty.openpty(PtySize { rows: 30, cols: 100, pixel_width: 0, pixel_height: 0 }).unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_supple"));
        cmd.args(["run", path.to_str().unwrap()]);
        cmd.env("TERM", "xterm-256color");
        cmd.env("SUPPLE_CONFIG_DIR", dir.path().join("config"));
        cmd.env("SUPPLE_DATA_DIR", dir.path().join("data"));
        cmd.env_remove("NO_COLOR");
        // No audio device, whatever this machine has: the same screen everywhere.
        cmd.env("ALSA_CONFIG_PATH", "/nonexistent/supple-test-alsa.conf");
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let size = |n| std::num::NonZeroU16::new(n).unwrap();
        let screen = Arc::new(Mutex::new(vt100::Parser::new_with_callbacks(size(30), size(100), 0, Title::default())));
        let feed = Arc::clone(&screen);
        std::thread::spawn(move || {
            let _master = pair.master; // keep the pty open while reading
            let mut buf = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                feed.lock().unwrap().process(&buf[..n]);
            }
        });
        Tui { screen, writer, child, dir }
    }

    fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Waits until the screen satisfies `check`, or fails showing the screen.
    fn wait_for(&self, what: &str, check: impl Fn(&vt100::Screen) -> bool) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(30) {
            if check(self.screen.lock().unwrap().screen()) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("timed out waiting for {what}; screen:\n{}", self.contents());
    }

    fn wait_text(&self, text: &str) {
        self.wait_for(text, |s| s.contents().contains(text));
    }

    fn keys(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    fn exit_code(&mut self) -> u32 {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(30) {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.exit_code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("supple did not exit; screen:\n{}", self.contents());
    }
}

#[test]
fn a_routine_runs_on_screen_from_countdown_to_summary_and_restores_the_terminal() {
    let mut tui = Tui::start(ROUTINE);
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
    while !tui.screen.lock().unwrap().callbacks().0.starts_with("Plank 0:0") {
        assert!(start.elapsed() < Duration::from_secs(10), "title: {}", tui.screen.lock().unwrap().callbacks().0);
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
    tui.keys("\r");
    assert_eq!(tui.exit_code(), 0);
    tui.wait_text("Completed: Ten seconds");
    let screen = tui.screen.lock().unwrap();
    assert!(!screen.screen().alternate_screen());
    assert!(!screen.screen().hide_cursor());
}

#[test]
fn quitting_asks_for_a_reason_and_saves_the_session_as_stopped() {
    let mut tui = Tui::start(ROUTINE);
    tui.wait_text("GET READY  Plank");
    tui.keys("q");
    tui.wait_text("Stop this session?");
    tui.keys("pain\r");
    assert_eq!(tui.exit_code(), 0);
    tui.wait_text("Stopped: Ten seconds (reason: pain)");
    assert!(!tui.screen.lock().unwrap().screen().alternate_screen());
}

#[test]
fn sigterm_restores_the_terminal_and_records_an_interrupted_session() {
    let mut tui = Tui::start(ROUTINE);
    tui.wait_text("GET READY  Plank");
    let pid = tui.child.process_id().unwrap();
    let killed = std::process::Command::new("kill").args(["-TERM", &pid.to_string()]).status().unwrap();
    assert!(killed.success());
    assert_eq!(tui.exit_code(), 1);
    tui.wait_text("Interrupted: Ten seconds");
    let screen = tui.screen.lock().unwrap();
    assert!(!screen.screen().alternate_screen());
    assert!(!screen.screen().hide_cursor());
}

#[test]
fn the_checkin_asks_before_and_after_and_both_answers_are_stored() {
    let mut tui = Tui::start_with_config(ROUTINE, "checkin = true\n");
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
    plain(dir.path()).args(["run", path.to_str().unwrap()]).write_stdin("").assert().success().stdout(
        predicate::str::diff(
            "Short: 5 steps, about 9s. Enter ends a step, p pauses, q stops.\n\
             Note: no audio device: cues are shown as a flash\n\
             [1/5] Get ready: Plank (left), 1s\n\
             [2/5] Plank (left): hold 2s\n\
             [3/5] Switch sides (right): 1s\n\
             [4/5] Plank (right): hold 2s\n\
             [5/5] Squat: 1 reps, Enter when done\n\
             Done.\n\
             Completed: Short\n\
             Active time 0:09; 5 of 5 steps done, 0 skipped.\n",
        ),
    );
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
