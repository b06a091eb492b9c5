//! The real `supple` binary in a pseudo-terminal (100x30 unless resized), its output fed to a
//! vt100 emulator so tests read the screen as a user sees it, and also kept as raw bytes for
//! tests about what exactly was written. Waits are "until the screen shows X" with generous
//! limits: a slow machine makes a test slower, never flaky.

#![allow(dead_code)] // each test binary uses its own part of the harness

use std::io::{Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, MasterPty, PtySize, native_pty_system};

/// Keeps the last window title the program set.
#[derive(Default)]
pub struct Title(pub String);

impl vt100::Callbacks for Title {
    fn set_window_title(&mut self, _: &mut vt100::Screen, title: &[u8]) {
        self.0 = String::from_utf8_lossy(title).into_owned();
    }
}

pub struct Tui {
    screen: Arc<Mutex<vt100::Parser<Title>>>,
    raw: Arc<Mutex<Vec<u8>>>,
    /// `None` once the terminal was closed ([`Tui::hang_up`]).
    master: Option<Box<dyn MasterPty + Send>>,
    writer: Option<Box<dyn Write + Send>>,
    closing: Arc<AtomicBool>,
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
}

fn size(rows: u16, cols: u16) -> PtySize {
    PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }
}

impl Tui {
    /// Starts `supple ARGS` with its config and data folders inside `dir`; `env` adds variables.
    pub fn start(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Tui {
        let pair = native_pty_system().openpty(size(30, 100)).unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_supple"));
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.env("SUPPLE_CONFIG_DIR", dir.join("config"));
        cmd.env("SUPPLE_DATA_DIR", dir.join("data"));
        cmd.env_remove("NO_COLOR");
        // No audio device, whatever this machine has: the same screen everywhere.
        cmd.env("ALSA_CONFIG_PATH", "/nonexistent/supple-test-alsa.conf");
        for (key, value) in env {
            cmd.env(key, value);
        }
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let rows = std::num::NonZeroU16::new(30).unwrap();
        let cols = std::num::NonZeroU16::new(100).unwrap();
        let screen = Arc::new(Mutex::new(vt100::Parser::new_with_callbacks(rows, cols, 0, Title::default())));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let closing = Arc::new(AtomicBool::new(false));
        let (feed, keep, close) = (Arc::clone(&screen), Arc::clone(&raw), Arc::clone(&closing));
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buf) {
                // Dropping the reader closes the last descriptor of the terminal's master side.
                if n == 0 || close.load(Ordering::SeqCst) {
                    break;
                }
                keep.lock().unwrap().extend_from_slice(&buf[..n]);
                feed.lock().unwrap().process(&buf[..n]);
            }
        });
        Tui { screen, raw, master: Some(pair.master), writer: Some(writer), child, closing }
    }

    pub fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Every byte the program wrote to the terminal so far.
    pub fn raw(&self) -> Vec<u8> {
        self.raw.lock().unwrap().clone()
    }

    /// The last window title the program set.
    pub fn title(&self) -> String {
        self.screen.lock().unwrap().callbacks().0.clone()
    }

    /// Whether the emulated terminal shows the alternate screen and whether the cursor is hidden.
    pub fn modes(&self) -> (bool, bool) {
        let parser = self.screen.lock().unwrap();
        (parser.screen().alternate_screen(), parser.screen().hide_cursor())
    }

    /// Resizes the terminal as a user dragging the window would (the program gets SIGWINCH).
    pub fn resize(&self, rows: u16, cols: u16) {
        let n = |v| std::num::NonZeroU16::new(v).unwrap();
        self.screen.lock().unwrap().set_size(n(rows), n(cols));
        self.master.as_ref().expect("terminal closed").resize(size(rows, cols)).unwrap();
    }

    /// Waits until the screen satisfies `check`, or fails showing the screen.
    pub fn wait_for(&self, what: &str, check: impl Fn(&vt100::Screen) -> bool) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(40) {
            if check(self.screen.lock().unwrap().screen()) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("timed out waiting for {what}; screen:\n{}", self.contents());
    }

    /// Waits until the screen shows `text`, or fails showing the screen.
    pub fn wait_text(&self, text: &str) {
        self.wait_for(text, |s| s.contents().contains(text));
    }

    pub fn keys(&mut self, bytes: &str) {
        let writer = self.writer.as_mut().expect("terminal closed");
        writer.write_all(bytes.as_bytes()).unwrap();
        writer.flush().unwrap();
    }

    /// Closes the terminal as closing its window would: the program gets SIGHUP and its
    /// terminal reads and writes fail from then on. The master side closes once the program
    /// writes again (the reader thread holds the last descriptor until its read returns), so
    /// call this while the program is drawing, e.g. during a countdown.
    pub fn hang_up(&mut self) {
        self.closing.store(true, Ordering::SeqCst);
        self.writer = None;
        self.master = None;
    }

    /// Sends a signal (`TERM`, `HUP`, `KILL`...) to the program.
    pub fn signal(&self, name: &str) {
        let pid = self.child.process_id().unwrap();
        let sent = std::process::Command::new("kill").args([&format!("-{name}"), &pid.to_string()]).status();
        assert!(sent.unwrap().success(), "kill -{name} {pid} failed");
    }

    /// Waits for the program to end and returns its exit code (reaping it).
    pub fn exit_code(&mut self) -> u32 {
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
