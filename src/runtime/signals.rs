//! Turns SIGTERM, SIGHUP and SIGINT into a flag the run loop reads, so the session is saved
//! and the terminal restored however the program is asked to end.
//!
//! A watcher thread receives the signals (signal-hook), records which one came, and wakes the
//! loop through a caller-given function (the screen loop raises SIGWINCH, which crossterm's
//! poll already listens to; the plain loop sends on its channel). If the loop does not answer
//! within [`GRACE`], which happens when the terminal vanished and crossterm's reader spins on a
//! dead descriptor, the watcher restores what it can and exits the process itself: a session
//! already stored step by step is then marked interrupted on the next start, and nothing is
//! left burning a core.
//!
//! A terminal can also vanish without a SIGHUP reaching us (supple in another session than the
//! terminal's, e.g. under `setsid`): then crossterm's reader spins on reads that return nothing
//! and never comes back. A second thread sleeps in `poll` on the terminal until it hangs up and
//! then raises SIGHUP itself, so that case takes the same way out.

use std::io::{self, IsTerminal};
use std::os::fd::OwnedFd;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use rustix::event::{PollFd, PollFlags};
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::iterator::{Handle, Signals};

/// How long the loop has to react to a signal before the watcher ends the process.
pub const GRACE: Duration = Duration::from_millis(500);

/// Watches for ending signals while a session runs; stops watching when dropped.
pub struct SignalWatch {
    pending: Arc<AtomicI32>,
    answered: Arc<AtomicBool>,
    handle: Handle,
    thread: Option<JoinHandle<()>>,
    hangup: Option<HangupWatch>,
}

impl SignalWatch {
    /// Starts watching. `wake` must make the loop look at [`SignalWatch::take`] soon;
    /// `on_stuck` runs (then the process exits with status 1) if it does not within [`GRACE`].
    pub fn start(wake: Box<dyn Fn() + Send>, on_stuck: fn()) -> io::Result<SignalWatch> {
        let mut signals = Signals::new([SIGTERM, SIGHUP, SIGINT])?;
        let handle = signals.handle();
        let pending = Arc::new(AtomicI32::new(0));
        let answered = Arc::new(AtomicBool::new(false));
        let (p, a) = (Arc::clone(&pending), Arc::clone(&answered));
        let thread = std::thread::Builder::new().name("signals".into()).spawn(move || {
            for signal in signals.forever() {
                p.store(signal, Ordering::SeqCst);
                wake();
                let step = Duration::from_millis(50);
                let mut waited = Duration::ZERO;
                while waited < GRACE && !a.load(Ordering::SeqCst) {
                    std::thread::sleep(step);
                    waited += step;
                }
                if !a.load(Ordering::SeqCst) {
                    on_stuck();
                    std::process::exit(1);
                }
            }
        })?;
        let hangup = HangupWatch::start();
        Ok(SignalWatch { pending, answered, handle, thread: Some(thread), hangup })
    }

    /// The signal received, if any; taking it tells the watcher the loop is handling it.
    pub fn take(&self) -> Option<i32> {
        let signal = self.pending.swap(0, Ordering::SeqCst);
        if signal == 0 {
            return None;
        }
        self.answered.store(true, Ordering::SeqCst);
        Some(signal)
    }
}

impl Drop for SignalWatch {
    fn drop(&mut self) {
        drop(self.hangup.take());
        self.answered.store(true, Ordering::SeqCst);
        self.handle.close();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The thread that turns a hang-up of the terminal on standard input into a SIGHUP.
struct HangupWatch {
    /// Closing it wakes the thread to stop.
    stop: Option<OwnedFd>,
    thread: Option<JoinHandle<()>>,
}

impl HangupWatch {
    /// `None` when standard input is not a terminal (crossterm then reads /dev/tty, whose
    /// failures reach the loop as errors) or the thread cannot start.
    fn start() -> Option<HangupWatch> {
        if !std::io::stdin().is_terminal() {
            return None;
        }
        let (stop_read, stop_write) = rustix::pipe::pipe().ok()?;
        let thread = std::thread::Builder::new()
            .name("hangup".into())
            .spawn(move || {
                let stdin = std::io::stdin();
                // No events asked of the terminal: poll still reports a hang-up or an error.
                let mut fds = [PollFd::new(&stdin, PollFlags::empty()), PollFd::new(&stop_read, PollFlags::IN)];
                loop {
                    match rustix::event::poll(&mut fds, None) {
                        Err(rustix::io::Errno::INTR) => {}
                        Err(_) => return,
                        Ok(_) => break,
                    }
                }
                if fds[1].revents().is_empty() && !fds[0].revents().is_empty() {
                    let _ = signal_hook::low_level::raise(SIGHUP);
                }
            })
            .ok()?;
        Some(HangupWatch { stop: Some(stop_write), thread: Some(thread) })
    }
}

impl Drop for HangupWatch {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A signal's name for messages.
#[must_use]
pub fn name(signal: i32) -> &'static str {
    match signal {
        SIGTERM => "SIGTERM",
        SIGHUP => "SIGHUP (terminal closed)",
        SIGINT => "SIGINT",
        _ => "a signal",
    }
}
