//! What is kept of a session: the data the run loop produces and the history stores.
//! Shapes follow the JSON of `history --json` (SPEC section 3), so export is a direct mapping.

use jiff::Zoned;
use uuid::Uuid;

use crate::plan::{Side, StepKind};
use crate::streak::Streaks;

/// How a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// Still going (or its process died; the next start marks it `Interrupted`).
    Running,
    /// Reached the end of the routine, even with skipped steps: counts towards streaks.
    Completed,
    /// The user quit.
    Stopped,
    /// The process ended without finishing (crash, kill, lost terminal).
    Interrupted,
}

impl Status {
    /// The word used in history exports.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Status::Running => "running",
            Status::Completed => "completed",
            Status::Stopped => "stopped",
            Status::Interrupted => "interrupted",
        }
    }
}

/// One session, as recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionRecord {
    pub id: Uuid,
    /// The routine's short name (file stem), e.g. `post-ride`.
    pub routine: String,
    /// The routine's title at the time it was run.
    pub title: String,
    /// Hex SHA-256 of the routine file as it was run, so stats stay honest after edits.
    pub routine_hash: String,
    /// Wall-clock start in the user's zone (dates come from here, timing never does).
    pub started_at: Zoned,
    pub ended_at: Option<Zoned>,
    pub status: Status,
    pub planned_secs: u64,
    pub active_secs: u64,
    pub steps_total: u32,
    pub steps_done: u32,
    pub steps_skipped: u32,
    /// Check-in scores, 0-10, when the user answered.
    pub pain_before: Option<u8>,
    pub pain_after: Option<u8>,
    pub note: Option<String>,
    /// Why the user quit, when they said (e.g. "pain").
    pub quit_reason: Option<String>,
    pub steps: Vec<StepRecord>,
}

/// One finished (or skipped) step of a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepRecord {
    /// 0-based index into the routine's plan.
    pub index: u32,
    pub exercise: String,
    pub side: Option<Side>,
    pub set: u32,
    pub round: u32,
    pub kind: StepKind,
    pub planned_secs: u64,
    /// Time actually spent in the step, pauses excluded.
    pub active_secs: u64,
    pub reps_target: Option<u32>,
    pub reps_done: Option<u32>,
    pub skipped: bool,
}

/// Receives a session's progress as it happens, so a crash loses at most the step in progress.
/// The store implements it; a failing store reports why through `problem` and the run goes on.
pub trait Recorder {
    /// The session started: `record` has no steps yet.
    fn started(&mut self, record: &SessionRecord);
    /// A step ended (done or skipped).
    fn step_finished(&mut self, session: Uuid, step: &StepRecord);
    /// The session ended: `record` holds the final status, totals and every step.
    fn finished(&mut self, record: &SessionRecord);
    /// Why history is not being saved, for the status line; `None` while it is.
    fn problem(&self) -> Option<String> {
        None
    }
    /// The streaks as of `now` with the finished session counted, read back from the history,
    /// for the summary. `None` when this recorder keeps no history, or when the session is not
    /// saved or the history cannot be read: a streak without it would be a wrong number.
    fn streaks(&mut self, now: &Zoned) -> Option<Streaks> {
        let _ = now;
        None
    }
}
