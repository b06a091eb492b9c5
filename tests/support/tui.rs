//! The real `supple` binary in a 100x30 pseudo-terminal, its output fed to a vt100 emulator
//! so tests read the screen as a user sees it. Waits are "until the screen shows X" with
//! generous limits: a slow machine makes a test slower, never flaky.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

pub struct Tui {
    screen: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Tui {
    /// Starts `supple ARGS` with its config and data folders inside `dir`; `env` adds variables.
    pub fn start(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Tui {
        let pair =
            native_pty_system().openpty(PtySize { rows: 30, cols: 100, pixel_width: 0, pixel_height: 0 }).unwrap();
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
        let size = |n| std::num::NonZeroU16::new(n).unwrap();
        let screen = Arc::new(Mutex::new(vt100::Parser::new(size(30), size(100), 0)));
        let feed = Arc::clone(&screen);
        std::thread::spawn(move || {
            let _master = pair.master; // keeps the pty open while reading
            let mut buf = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                feed.lock().unwrap().process(&buf[..n]);
            }
        });
        Tui { screen, writer, child }
    }

    pub fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Waits until the screen shows `text`, or fails showing the screen.
    pub fn wait_text(&self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(40) {
            if self.contents().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("timed out waiting for {text:?}; screen:\n{}", self.contents());
    }

    pub fn keys(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Waits for the program to end and returns its exit code.
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
