//! Tells whether the process that started a `running` session is still alive.
//!
//! A pid alone is not enough: after a crash and a reboot, or just a while, the number is
//! reused by an unrelated process. So each writer also stores a marker of its process start:
//! on Linux the boot id plus the process start time from `/proc`, which together name one
//! process uniquely. Where `/proc` is missing the marker is empty and liveness is unknown.

use std::fs;

/// Whether a session's writer still runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Liveness {
    Alive,
    Gone,
    /// No way to tell on this system.
    Unknown,
}

/// This process's start marker, or an empty string where it cannot be known.
pub fn own_marker() -> String {
    marker_of("self").unwrap_or_default()
}

/// Whether process `pid` that wrote `marker` is still running.
pub fn liveness(pid: u32, marker: &str) -> Liveness {
    if marker.is_empty() || fs::metadata("/proc/self/stat").is_err() {
        return Liveness::Unknown;
    }
    match marker_of(&pid.to_string()) {
        Some(now) if now == marker => Liveness::Alive,
        _ => Liveness::Gone,
    }
}

fn marker_of(pid: &str) -> Option<String> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) is in parentheses and may hold spaces; fields after it are
    // plain. Start time is field 22, the 20th after the closing parenthesis.
    let rest = &stat[stat.rfind(')')? + 1..];
    let started = rest.split_whitespace().nth(19)?;
    let boot = fs::read_to_string("/proc/sys/kernel/random/boot_id").unwrap_or_default();
    Some(format!("{}:{started}", boot.trim()))
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn this_process_is_alive_and_a_wrong_marker_is_not() {
        let marker = own_marker();
        assert!(marker.contains(':'), "{marker}");
        assert_eq!(liveness(std::process::id(), &marker), Liveness::Alive);
        // Same pid, another start: the pid was reused, the writer is gone.
        assert_eq!(liveness(std::process::id(), "other-boot:1"), Liveness::Gone);
        assert_eq!(liveness(u32::MAX, &marker), Liveness::Gone);
        assert_eq!(liveness(1, ""), Liveness::Unknown);
    }
}
