//! Keeps what the audio stack writes to stderr off the screen.
//!
//! ALSA (and the `PulseAudio` or JACK plugins it loads) print their own errors straight to file
//! descriptor 2, e.g. `ALSA lib confmisc.c:855:(parse_card) cannot find card 0` on a machine
//! without a sound card. Those writes come from C code, so no Rust-level setting reaches them.
//! The alsa crate can install a thread-local error handler, but only for the thread that asks,
//! and the stream runs on cpal's own thread; plugins log through other paths. So instead, while
//! a `QuietStderr` lives, fd 2 itself points at a log file (or /dev/null), and the original
//! stderr is restored when it is dropped. `rustix::stdio::dup2_stderr` does the redirection
//! without `unsafe` in this crate.
//!
//! This also diverts the program's own `eprintln!`, so keep it alive only while the screen is
//! owned (the TUI) or while the audio device is in use (`supple sounds`), and write the
//! program's own messages to stdout or through [`QuietStderr::terminal`] meanwhile. A panic
//! restores stderr first, so its message still reaches the user.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;
#[cfg(unix)]
use std::sync::{Arc, Mutex, Once, PoisonError};

/// The terminal's stderr while it is diverted, for the panic hook.
#[cfg(unix)]
static PANIC_RESTORE: Mutex<Option<Arc<std::os::fd::OwnedFd>>> = Mutex::new(None);
#[cfg(unix)]
static INSTALL_HOOK: Once = Once::new();

/// While this value lives, fd 2 goes to a file instead of the terminal.
#[derive(Debug)]
pub struct QuietStderr {
    #[cfg(unix)]
    original: Arc<std::os::fd::OwnedFd>,
}

impl QuietStderr {
    /// Sends stderr to `log` (created or truncated: the last run is what one wants to read).
    pub fn divert_to(log: &Path) -> io::Result<QuietStderr> {
        let file = OpenOptions::new().create(true).write(true).truncate(true).open(log)?;
        QuietStderr::divert(&file)
    }

    /// Sends stderr nowhere.
    pub fn divert_to_null() -> io::Result<QuietStderr> {
        let file = OpenOptions::new().write(true).open(null_device())?;
        QuietStderr::divert(&file)
    }

    /// A handle on the real stderr, for the program's own error lines while diverted.
    pub fn terminal(&self) -> io::Result<File> {
        #[cfg(unix)]
        {
            Ok(File::from(self.original.try_clone()?))
        }
        #[cfg(not(unix))]
        {
            Err(io::Error::other("not supported"))
        }
    }

    #[cfg(unix)]
    fn divert(target: &File) -> io::Result<QuietStderr> {
        let original = Arc::new(rustix::io::dup(rustix::stdio::stderr())?);
        rustix::stdio::dup2_stderr(target)?;
        // Whatever happens next, a panic message must reach the user: one hook, installed once
        // (the home screen diverts for every routine it runs), restores the outermost original
        // stderr first, then runs the hook that was there (the default, or ratatui's restore).
        let mut restore = PANIC_RESTORE.lock().unwrap_or_else(PoisonError::into_inner);
        if restore.is_none() {
            *restore = Some(Arc::clone(&original));
        }
        drop(restore);
        INSTALL_HOOK.call_once(|| {
            let previous = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                if let Some(fd) = PANIC_RESTORE.lock().unwrap_or_else(PoisonError::into_inner).as_ref() {
                    let _ = rustix::stdio::dup2_stderr(&**fd);
                }
                previous(info);
            }));
        });
        Ok(QuietStderr { original })
    }

    /// Elsewhere the audio stack does not write to stderr; nothing to divert.
    #[cfg(not(unix))]
    fn divert(_target: &File) -> io::Result<QuietStderr> {
        Ok(QuietStderr {})
    }
}

impl Drop for QuietStderr {
    fn drop(&mut self) {
        #[cfg(unix)]
        {
            // Failing to restore leaves stderr in the log, which loses nothing.
            let _ = rustix::stdio::dup2_stderr(&*self.original);
            let mut restore = PANIC_RESTORE.lock().unwrap_or_else(PoisonError::into_inner);
            if restore.as_ref().is_some_and(|fd| Arc::ptr_eq(fd, &self.original)) {
                *restore = None;
            }
        }
    }
}

fn null_device() -> &'static str {
    if cfg!(windows) { "NUL" } else { "/dev/null" }
}

#[cfg(all(test, unix))]
mod tests {
    use std::io::Write;
    use std::os::unix::fs::MetadataExt;

    use super::*;

    /// Which file fd 2 points at.
    fn stderr_id() -> (u64, u64) {
        let meta = File::from(rustix::io::dup(rustix::stdio::stderr()).unwrap()).metadata().unwrap();
        (meta.dev(), meta.ino())
    }

    /// Both tests move the process's fd 2; they must not overlap.
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

    #[test]
    fn a_panic_while_diverted_puts_stderr_back_before_its_message() {
        let _one = ONE_AT_A_TIME.lock().unwrap_or_else(PoisonError::into_inner);
        let before = stderr_id();
        let quiet = QuietStderr::divert_to_null().unwrap();
        assert_ne!(stderr_id(), before, "diverted");
        let panicked = std::panic::catch_unwind(|| panic!("a bug"));
        assert!(panicked.is_err());
        assert_eq!(stderr_id(), before, "the panic message went to the terminal");
        drop(quiet);
        assert_eq!(stderr_id(), before);
    }

    #[test]
    fn writes_to_fd_2_go_to_the_log_and_stderr_comes_back_afterwards() {
        let _one = ONE_AT_A_TIME.lock().unwrap_or_else(PoisonError::into_inner);
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("audio.log");
        let before = stderr_id();
        {
            let _quiet = QuietStderr::divert_to(&log).unwrap();
            // Write to fd 2 directly, as C code does (eprintln! is captured by the harness).
            let mut fd2 = File::from(rustix::io::dup(rustix::stdio::stderr()).unwrap());
            writeln!(fd2, "ALSA lib pcm.c: cannot find card '0'").unwrap();
        }
        assert_eq!(std::fs::read_to_string(&log).unwrap(), "ALSA lib pcm.c: cannot find card '0'\n");
        assert_eq!(stderr_id(), before, "stderr restored");
    }
}
