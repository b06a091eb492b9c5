//! Records a running session into the history, step by step, without ever stopping the run.
//!
//! A write that fails (disk full, file locked for too long, read-only folder) is kept in a
//! queue and tried again before the next write, so a passing lock loses nothing; meanwhile
//! [`Recorder::problem`] gives the one line the run screen shows about why history is not
//! being saved. A history that cannot be opened at all is reported the same way.

use std::path::Path;
use std::time::Duration;

use uuid::Uuid;

use super::{Store, StoreError};
use crate::record::{Recorder, SessionRecord, StepRecord};

/// Shorter than the store's default: the run loop waits on it, and a step is kept for the
/// next try anyway.
const RUN_BUSY_TIMEOUT: Duration = Duration::from_millis(750);

/// The history as a [`Recorder`].
pub struct HistoryRecorder {
    store: Option<Store>,
    /// Why the history could not be opened, or why the last write failed.
    error: Option<StoreError>,
    pending: Vec<Pending>,
    notice: Option<String>,
}

enum Pending {
    Session(Box<SessionRecord>),
    Step(Uuid, StepRecord),
}

impl HistoryRecorder {
    /// Opens (creating when missing) the history at `path`. Never fails: a history that cannot
    /// be opened makes every write a no-op and `problem()` says why.
    pub fn open(path: &Path) -> HistoryRecorder {
        match Store::open(path) {
            Ok(store) => HistoryRecorder::new(store),
            Err(e) => HistoryRecorder { store: None, error: Some(e), pending: Vec::new(), notice: None },
        }
    }

    /// Records into an already open store.
    pub fn new(mut store: Store) -> HistoryRecorder {
        let notice = store.take_notice();
        let _ = store.conn.busy_timeout(RUN_BUSY_TIMEOUT);
        HistoryRecorder { store: Some(store), error: None, pending: Vec::new(), notice }
    }

    /// A one-time message from opening (a damaged history was moved aside), to show the user.
    pub fn take_notice(&mut self) -> Option<String> {
        self.notice.take()
    }

    /// Writes queued records in order; stops at the first failure and keeps the rest.
    fn flush(&mut self) {
        let Some(store) = self.store.as_mut() else { return };
        let mut done = 0;
        for op in &self.pending {
            let result = match op {
                Pending::Session(record) => store.save_session(record),
                Pending::Step(id, step) => store.save_step(*id, step),
            };
            if let Err(e) = result {
                self.error = Some(e);
                break;
            }
            done += 1;
        }
        self.pending.drain(..done);
        if self.pending.is_empty() {
            self.error = None;
        }
    }
}

impl Recorder for HistoryRecorder {
    fn started(&mut self, record: &SessionRecord) {
        self.pending.push(Pending::Session(Box::new(record.clone())));
        self.flush();
    }

    fn step_finished(&mut self, session: Uuid, step: &StepRecord) {
        self.pending.push(Pending::Step(session, step.clone()));
        self.flush();
    }

    fn finished(&mut self, record: &SessionRecord) {
        // The final record carries every step, so queued steps of this session are covered.
        self.pending.retain(|op| !matches!(op, Pending::Step(id, _) if *id == record.id));
        self.pending.push(Pending::Session(Box::new(record.clone())));
        self.flush();
    }

    fn problem(&self) -> Option<String> {
        self.error.as_ref().map(|e| format!("history is not being saved: {e}"))
    }
}
