//! Validated routine definitions: what a routine file means once every rule of the format has
//! been checked. Nothing here can be invalid; building one goes through [`file::parse`], which
//! reports every problem with its place in the file.

pub mod diagnostic;
pub mod file;
pub mod library;
pub mod seconds;
pub mod suggestion;
pub mod watcher;

use std::time::Duration;

/// A routine: named groups of exercises, ready to be planned into steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Routine {
    /// The title shown everywhere (one line, already cleaned of control characters).
    pub name: String,
    /// Free text for the preview; may hold newlines, never control characters.
    pub description: Option<String>,
    pub tags: Vec<String>,
    /// The file's `[[exercise]]` list is one block with a single round.
    pub blocks: Vec<Block>,
}

/// Exercises repeated `rounds` times in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub rounds: u32,
    pub exercises: Vec<Exercise>,
}

/// One exercise with its dose and the pauses around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exercise {
    pub name: String,
    pub notes: Option<String>,
    pub work: Work,
    /// Done left then right, with a switch pause between.
    pub each_side: bool,
    pub sets: u32,
    pub pauses: Pauses,
}

/// What the user does during a work step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    /// Hold for exactly this long; counts down.
    Hold(Duration),
    /// Hold at least `min`, at most `max`; counts up and the user ends it.
    RangeHold { min: Duration, max: Duration },
    /// Repetitions; paced by a tick every `tempo`, or self-paced (Enter when done) without one.
    Reps { count: u32, tempo: Option<Duration> },
}

/// The pauses around an exercise, after `[defaults]` and per-exercise overrides are applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pauses {
    /// Get-into-position countdown before the first set and side.
    pub prepare: Duration,
    /// Rest after the exercise (never after the routine's last step).
    pub rest: Duration,
    /// Pause between the left and right side.
    pub switch: Duration,
    /// Rest between sets.
    pub set_rest: Duration,
}

impl Default for Pauses {
    /// The format's documented defaults.
    fn default() -> Self {
        Pauses {
            prepare: Duration::from_secs(5),
            rest: Duration::ZERO,
            switch: Duration::from_secs(3),
            set_rest: Duration::from_secs(15),
        }
    }
}

/// How long a self-paced rep is assumed to take when estimating a routine's length.
pub const SELF_PACED_REP: Duration = Duration::from_secs(3);

impl Work {
    /// The planned length of one work step: a range hold counts its maximum, since that is
    /// how long it can take; self-paced reps count [`SELF_PACED_REP`] each.
    #[must_use]
    pub fn planned(self) -> Duration {
        match self {
            Work::Hold(d) => d,
            Work::RangeHold { max, .. } => max,
            Work::Reps { count, tempo } => tempo.unwrap_or(SELF_PACED_REP) * count,
        }
    }
}

impl Routine {
    /// Every exercise in file order, once (rounds not repeated).
    pub fn exercises(&self) -> impl Iterator<Item = &Exercise> {
        self.blocks.iter().flat_map(|b| b.exercises.iter())
    }
}
