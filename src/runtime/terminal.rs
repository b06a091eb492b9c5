//! Owns the terminal while the run screen is up: raw mode, the alternate screen, a hidden
//! cursor and the window title, and puts every one of them back on any way out (normal end,
//! error, panic, signal). Restoring never fails loudly: the terminal may already be gone.

use std::io::{self, BufWriter, Stdout, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Once};

use crossterm::cursor::{Hide, Show};
use crossterm::execute;
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen, SetTitle, disable_raw_mode, enable_raw_mode};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

/// xterm's "save window title" and "restore window title": the user's own title comes back.
const PUSH_TITLE: &str = "\x1b[22;0t";
const POP_TITLE: &str = "\x1b[23;0t";

static PANIC_HOOK: Once = Once::new();
/// Bytes buffered per frame: a full 200x60 redraw with colours fits.
const FRAME_BUFFER: usize = 256 * 1024;

/// The terminal in run-screen mode; restored when dropped.
pub struct TerminalGuard {
    pub terminal: Terminal<CrosstermBackend<Output>>,
    title: String,
    /// The terminal's [`Output::quiet`].
    quiet: Arc<AtomicBool>,
}

/// Standard output for the screen, buffered so a frame leaves in one write: no half-drawn
/// frames, fewer wakeups of the terminal emulator. Once the guard is dropping it swallows
/// errors: ratatui's `Terminal` shows the cursor when dropped and reports a failure with
/// `eprintln!`, which panics when the terminal is gone (a closed window), after the session
/// was saved. [`restore`] has shown the cursor by then anyway.
pub struct Output {
    inner: BufWriter<Stdout>,
    quiet: Arc<AtomicBool>,
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.inner.write(buf) {
            Err(_) if self.quiet.load(Ordering::Relaxed) => Ok(buf.len()),
            other => other,
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self.inner.flush() {
            Err(_) if self.quiet.load(Ordering::Relaxed) => Ok(()),
            other => other,
        }
    }
}

impl TerminalGuard {
    pub fn enter() -> io::Result<TerminalGuard> {
        PANIC_HOOK.call_once(|| {
            let previous = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                restore();
                previous(info);
            }));
        });
        enable_raw_mode()?;
        let mut out = io::stdout();
        let entered = write!(out, "{PUSH_TITLE}").and_then(|()| execute!(out, EnterAlternateScreen, Hide));
        let quiet = Arc::new(AtomicBool::new(false));
        let output = Output { inner: BufWriter::with_capacity(FRAME_BUFFER, io::stdout()), quiet: Arc::clone(&quiet) };
        let terminal = entered.and_then(|()| Terminal::new(CrosstermBackend::new(output)));
        match terminal {
            Ok(terminal) => Ok(TerminalGuard { terminal, title: String::new(), quiet }),
            Err(e) => {
                restore();
                Err(e)
            }
        }
    }

    /// Sets the window title when it changed. `title` must already be sanitized.
    pub fn set_title(&mut self, title: &str) {
        if self.title != title {
            let _ = execute!(io::stdout(), SetTitle(title));
            title.clone_into(&mut self.title);
        }
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
        self.quiet.store(true, Ordering::Relaxed);
    }
}

/// Puts the terminal back as the user had it. Safe to call more than once.
pub fn restore() {
    restore_to(&mut io::stdout());
}

/// [`restore`] for another thread while the loop may be wedged: writes to `/dev/tty` directly,
/// because the loop's thread may hold the stdout lock forever.
pub fn restore_from_another_thread() {
    match std::fs::OpenOptions::new().write(true).open("/dev/tty") {
        Ok(mut tty) => restore_to(&mut tty),
        Err(_) => {
            let _ = disable_raw_mode();
        }
    }
}

fn restore_to<W: Write>(out: &mut W) {
    let _ = disable_raw_mode();
    let _ = execute!(out, Show, LeaveAlternateScreen);
    let _ = write!(out, "{POP_TITLE}");
    let _ = out.flush();
}
