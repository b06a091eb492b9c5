//! Records a running session into the history, step by step, without ever stopping the run.
//!
//! A write that fails (disk full, file locked for too long, read-only folder) is kept in a
//! queue and tried again before the next write, so a passing lock loses nothing; meanwhile
//! [`Recorder::problem`] gives the one line the run screen shows about why history is not
//! being saved. A history that cannot be opened is reported the same way, and opening is
//! tried again before each write: another program holding the lock as a session starts must
//! not cost the whole session.

use std::path::{Path, PathBuf};
use std::time::Duration;

use jiff::Zoned;
use uuid::Uuid;

use super::{Store, StoreError};
use crate::record::{Recorder, SessionRecord, StepRecord};
use crate::streak::{StreakSettings, Streaks};

/// Shorter than the store's default: the run loop waits on it, and a step is kept for the
/// next try anyway.
const RUN_BUSY_TIMEOUT: Duration = Duration::from_millis(750);

/// The history as a [`Recorder`].
pub struct HistoryRecorder {
    store: Option<Store>,
    /// Where to open the history when it could not be opened yet.
    path: Option<PathBuf>,
    /// Why the history could not be opened, or why the last write failed.
    error: Option<StoreError>,
    pending: Vec<Pending>,
    notice: Option<String>,
    /// The user's streak rules, to read the streaks back after a session; none, none are read.
    streak_settings: Option<StreakSettings>,
}

enum Pending {
    Session(Box<SessionRecord>),
    Step(Uuid, StepRecord),
}

impl HistoryRecorder {
    /// Opens (creating when missing) the history at `path`. Never fails: while the history
    /// cannot be opened, records wait in the queue, each write tries to open it again, and
    /// `problem()` says why nothing is saved.
    pub fn open(path: &Path) -> HistoryRecorder {
        match Store::open_waiting(path, RUN_BUSY_TIMEOUT) {
            Ok(store) => HistoryRecorder::new(store),
            Err(e) => HistoryRecorder {
                store: None,
                path: Some(path.to_path_buf()),
                error: Some(e),
                pending: Vec::new(),
                notice: None,
                streak_settings: None,
            },
        }
    }

    /// Records into an already open store.
    pub fn new(mut store: Store) -> HistoryRecorder {
        let notice = store.take_notice();
        store.set_busy_timeout(RUN_BUSY_TIMEOUT);
        HistoryRecorder {
            store: Some(store),
            path: None,
            error: None,
            pending: Vec::new(),
            notice,
            streak_settings: None,
        }
    }

    /// Lets [`Recorder::streaks`] read the streaks, counted by these rules.
    #[must_use]
    pub fn with_streaks(mut self, settings: StreakSettings) -> HistoryRecorder {
        self.streak_settings = Some(settings);
        self
    }

    /// A one-time message from opening (a damaged history was moved aside), to show the user.
    pub fn take_notice(&mut self) -> Option<String> {
        self.notice.take()
    }

    /// Writes queued records in order (opening the history first if it is not open yet);
    /// stops at the first failure and keeps the rest.
    fn flush(&mut self) {
        if self.store.is_none() {
            let Some(path) = &self.path else { return };
            match Store::open_waiting(path, RUN_BUSY_TIMEOUT) {
                Ok(mut store) => {
                    self.notice = self.notice.take().or_else(|| store.take_notice());
                    self.store = Some(store);
                    self.path = None;
                }
                Err(e) => {
                    self.error = Some(e);
                    return;
                }
            }
        }
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
        // The last write has no later one to retry it, and the screen is no longer timing a
        // step: wait as long as the store's default for another instance's lock.
        if let Some(store) = &self.store {
            store.set_busy_timeout(super::BUSY_TIMEOUT);
        }
        self.flush();
        if let Some(store) = &self.store {
            store.set_busy_timeout(RUN_BUSY_TIMEOUT);
        }
    }

    fn problem(&self) -> Option<String> {
        self.error.as_ref().map(|e| format!("history is not being saved: {e}"))
    }

    fn streaks(&mut self, now: &Zoned) -> Option<Streaks> {
        let settings = self.streak_settings?;
        // Something not written yet (this session, or a step of it) would be missing from
        // the count.
        if self.error.is_some() || !self.pending.is_empty() {
            return None;
        }
        self.store.as_ref()?.streaks(&settings, settings.day_of(now.datetime())).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::StepKind;
    use crate::record::Status;
    use crate::store::SessionFilter;

    fn record() -> SessionRecord {
        SessionRecord {
            id: Uuid::new_v4(),
            routine: "core".into(),
            title: "Core".into(),
            routine_hash: String::new(),
            started_at: jiff::Zoned::now(),
            ended_at: None,
            status: Status::Running,
            planned_secs: 30,
            active_secs: 0,
            steps_total: 1,
            steps_done: 0,
            steps_skipped: 0,
            pain_before: None,
            pain_after: None,
            note: None,
            quit_reason: None,
            steps: Vec::new(),
        }
    }

    #[test]
    fn a_history_that_could_not_be_opened_is_opened_later_and_nothing_queued_is_lost() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("data");
        std::fs::write(&folder, "in the way").unwrap();
        let path = folder.join("history.db");
        let mut recorder = HistoryRecorder::open(&path);
        let session = record();
        recorder.started(&session);
        assert!(recorder.problem().unwrap().starts_with("history is not being saved: "));

        std::fs::remove_file(&folder).unwrap();
        let step = StepRecord {
            index: 0,
            exercise: "Plank".into(),
            side: None,
            set: 1,
            round: 1,
            kind: StepKind::Work,
            planned_secs: 30,
            active_secs: 30,
            reps_target: None,
            reps_done: None,
            skipped: false,
        };
        recorder.step_finished(session.id, &step);
        assert_eq!(recorder.problem(), None);
        let stored = Store::open(&path).unwrap().sessions(&SessionFilter::default()).unwrap();
        assert_eq!((stored.len(), stored[0].id, stored[0].steps.len()), (1, session.id, 1));
    }

    #[test]
    fn the_streak_is_read_back_with_the_finished_session_counted() {
        let store = Store::open_in_memory().unwrap();
        let mut recorder = HistoryRecorder::new(store).with_streaks(StreakSettings::default());
        let mut session = record();
        recorder.started(&session);
        let now = session.started_at.clone();
        assert_eq!(recorder.streaks(&now).map(|s| s.current_days), Some(0), "running: not counted yet");
        session.status = Status::Completed;
        session.ended_at = Some(now.clone());
        recorder.finished(&session);
        let streaks = recorder.streaks(&now).unwrap();
        assert_eq!((streaks.current_days, streaks.longest_days, streaks.this_week), (1, 1, 1));
        // Without the user's rules there is nothing to count by.
        let mut plain = HistoryRecorder::new(Store::open_in_memory().unwrap());
        plain.finished(&session);
        assert_eq!(plain.streaks(&now), None);
    }

    #[test]
    fn no_streak_while_the_session_is_not_saved() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("data");
        std::fs::write(&folder, "in the way").unwrap();
        let mut recorder = HistoryRecorder::open(&folder.join("history.db")).with_streaks(StreakSettings::default());
        let mut session = record();
        session.status = Status::Completed;
        recorder.finished(&session);
        assert!(recorder.problem().is_some());
        assert_eq!(recorder.streaks(&session.started_at), None);
    }
}
