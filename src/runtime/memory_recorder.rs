//! A recorder that keeps sessions in memory only, for builds without the history store and
//! for tests. It says so through `problem`, so the screen never pretends history is saved.

use uuid::Uuid;

use crate::record::{Recorder, SessionRecord, StepRecord};

/// Holds every session of this process, with the steps as they were reported.
#[derive(Debug, Clone, Default)]
pub struct MemoryRecorder {
    pub sessions: Vec<SessionRecord>,
    /// Every `step_finished` call, in order, as (session, step).
    pub steps: Vec<(Uuid, StepRecord)>,
}

/// What the status line says when this recorder is in use.
pub const PROBLEM: &str = "history not available in this build";

impl Recorder for MemoryRecorder {
    fn started(&mut self, record: &SessionRecord) {
        self.sessions.push(record.clone());
    }

    fn step_finished(&mut self, session: Uuid, step: &StepRecord) {
        self.steps.push((session, step.clone()));
    }

    fn finished(&mut self, record: &SessionRecord) {
        match self.sessions.iter_mut().find(|s| s.id == record.id) {
            Some(stored) => *stored = record.clone(),
            None => self.sessions.push(record.clone()),
        }
    }

    fn problem(&self) -> Option<String> {
        Some(PROBLEM.to_string())
    }
}
