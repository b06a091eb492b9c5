//! Waiting on the terminal: for the next key (or resize), for a timeout, or for the news that
//! the terminal is gone.
//!
//! When the far end of the terminal closes without a SIGHUP reaching us (a window closed while
//! supple runs in another session, e.g. under `setsid`), every read of it returns nothing at
//! once, and crossterm 0.29's reader loops on those reads for ever once it has started one.
//! So the terminal is asked whether it has hung up before each wait; one that hangs up during
//! a wait is caught by the hang-up thread in `signals.rs`.

use std::io::IsTerminal;
use std::os::fd::AsFd;
use std::time::Duration;

use crossterm::event::{self, Event};
use rustix::event::{PollFd, PollFlags, Timespec};

/// What came of a wait.
#[derive(Debug)]
pub enum Waited {
    Event(Event),
    TimedOut,
    /// The terminal hung up or can no longer be read: save and leave.
    Gone,
}

/// Waits up to `timeout` for the next terminal event.
pub fn wait(timeout: Duration) -> Waited {
    if stdin_hung_up() {
        return Waited::Gone;
    }
    match event::poll(timeout) {
        Ok(true) => event::read().map_or(Waited::Gone, Waited::Event),
        Ok(false) => Waited::TimedOut,
        Err(_) => Waited::Gone,
    }
}

/// Whether standard input is a terminal that has hung up. crossterm reads standard input
/// when it is a terminal; otherwise it reads /dev/tty, whose failures reach us as errors.
fn stdin_hung_up() -> bool {
    let stdin = std::io::stdin();
    stdin.is_terminal() && hung_up(&stdin)
}

/// Whether `fd` reports a hang-up (or an error) right now; never blocks.
pub fn hung_up(fd: &impl AsFd) -> bool {
    let mut fds = [PollFd::new(fd, PollFlags::IN)];
    let now = Timespec { tv_sec: 0, tv_nsec: 0 };
    rustix::event::poll(&mut fds, Some(&now)).is_ok()
        && fds[0].revents().intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL)
}

#[cfg(test)]
mod tests {
    use rustix::fs::{Mode, OFlags};
    use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};

    use super::*;

    #[test]
    fn a_terminal_whose_far_end_closed_has_hung_up_and_a_live_one_has_not() {
        let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY).unwrap();
        grantpt(&master).unwrap();
        unlockpt(&master).unwrap();
        let name = ptsname(&master, Vec::new()).unwrap();
        let slave = rustix::fs::open(name.as_c_str(), OFlags::RDWR | OFlags::NOCTTY, Mode::empty()).unwrap();
        assert!(!hung_up(&slave), "the window is open");
        drop(master);
        assert!(hung_up(&slave), "the window was closed");
    }
}
