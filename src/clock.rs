//! The one place that reads the system clocks. Everything else is handed the time, so the
//! session engine and the streak math can be tested with made-up instants and dates.

use std::time::Instant;

/// Reads the monotonic clock (for timing) and the wall clock (for dates).
#[derive(Debug, Clone, Copy, Default)]
pub struct Clock;

impl Clock {
    /// Monotonic now: what every countdown is measured against.
    #[must_use]
    pub fn now(self) -> Instant {
        Instant::now()
    }

    /// The wall clock in the user's time zone: used only to date sessions and find "today".
    #[must_use]
    pub fn wall(self) -> jiff::Zoned {
        jiff::Zoned::now()
    }
}
