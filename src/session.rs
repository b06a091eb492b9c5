//! The guided session as a pure state machine: it walks a [`Plan`] step by step, given the
//! time by its caller, and answers with [`Event`]s (cues to play, steps to record).
//!
//! It never reads a clock. Everything is measured on the *active timeline*: monotonic time
//! since the start minus time spent paused. Each step has a start and a planned length on that
//! timeline; a step that runs out ends exactly at `start + length`, and the next one starts
//! there, not at the (possibly late) moment the caller noticed. So a late wake shows up as a
//! late redraw, never as drift, and a 30-minute routine ends on its planned instant.
//!
//! Cues fire when the active time crosses a threshold between two calls: the engine remembers
//! how far it has cued (`cued_until`), so a late wake plays each missed cue once and a second
//! call at the same moment plays nothing. Which cues a step has, and the cues foreseen ahead
//! for the audio shell, are in `session/cues.rs`.

use std::time::{Duration, Instant};

use crate::cue::Cue;
use crate::plan::{Plan, Step};
use crate::record::StepRecord;
use crate::routine::Work;

/// How much `+`/`-` changes a timed step.
pub const ADJUST_STEP: Duration = Duration::from_secs(10);
/// Limits for `+`/`-`, matching the routine format's bounds.
const MAX_REPS: u32 = 1000;
const MAX_LENGTH: Duration = Duration::from_secs(24 * 3600);
const SECOND: Duration = Duration::from_secs(1);

/// What the user asked for (the keymap turns keys into these).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// Space: pause, or resume when paused.
    TogglePause,
    /// Pause if running (used while a quit question is open, or after a suspend).
    Pause,
    /// Resume if paused.
    Resume,
    /// Enter or →: this step is done, go on.
    Finish,
    /// ←: go back one step.
    Previous,
    /// r: start this step again.
    Restart,
    /// +: ten more seconds, or one more rep.
    More,
    /// -: ten seconds less, or one rep less.
    Less,
    /// The user quit (after confirming), or the process is being ended.
    Quit,
}

/// What happened, for the shell to act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Cue(Cue),
    /// Step `index` began (also after going back or restarting).
    StepStarted(usize),
    /// A step ended (done or skipped): store it now, so a crash loses at most one step.
    StepFinished(StepRecord),
    Paused,
    Resumed,
    /// The session is over; no further events follow.
    Ended(Ending),
}

/// How a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// Reached the end of the routine (skipped steps included).
    Completed,
    /// Left by [`Command::Quit`].
    Quit,
}

/// How the current step is timed, derived from its work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A hold or a pause: counts down, ends by itself.
    Countdown,
    /// Paced reps: counted by the clock, a tick per rep, ends by itself.
    Paced { tempo: Duration },
    /// Counts up; "may stop" at `min`, ends by itself at the (adjustable) maximum.
    Range { min: Duration },
    /// Self-paced reps: a stopwatch counts up, only the user ends it.
    SelfPaced,
}

/// The big clock on the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Face {
    /// Whole seconds left, rounded up (a 20 s hold starts at 0:20 and never shows 0:00).
    Down(u64),
    /// Whole seconds elapsed in the step, rounded down (stopwatch).
    Up(u64),
}

/// Rep counting for a rep step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reps {
    /// Paced by the clock: the rep being done now (1-based) out of `target`.
    Paced { current: u32, target: u32 },
    /// Self-paced: the routine's target and the count that will be recorded (`+`/`-` adjust it).
    SelfPaced { target: u32, recorded: u32 },
}

/// Everything the run screen shows, computed for one instant.
#[derive(Debug, Clone, PartialEq)]
pub struct View<'a> {
    /// 0-based index of the current step, and how many steps there are.
    pub index: usize,
    pub count: usize,
    pub step: &'a Step,
    pub next: Option<&'a Step>,
    pub face: Face,
    /// Progress through the step and through the routine, 0.0..=1.0.
    pub step_progress: f64,
    pub routine_progress: f64,
    /// Whole seconds left in the routine (rounded up), counting adjustments made so far.
    pub routine_left: u64,
    /// Active time since the start (pauses excluded).
    pub elapsed: Duration,
    pub reps: Option<Reps>,
    /// For a range hold: its bounds (the maximum after `+`/`-`) and whether the minimum is reached.
    pub range: Option<(Duration, Duration, bool)>,
    pub paused: bool,
    pub ended: Option<Ending>,
}

/// A guided session in progress.
#[derive(Debug, Clone)]
pub struct Session {
    plan: Plan,
    started: Instant,
    /// Time spent paused in pauses that are over.
    paused_total: Duration,
    /// When the current pause began.
    paused_at: Option<Instant>,
    index: usize,
    /// The current step's start and length on the active timeline.
    step_start: Duration,
    length: Duration,
    /// Paced: the rep target; self-paced: the reps to record.
    reps: u32,
    /// Active time up to which this step's cues have been played.
    cued_until: Duration,
    /// One record per step index reached; a step done again after going back replaces its record.
    records: Vec<StepRecord>,
    ended: Option<(Ending, Duration)>,
}

impl Session {
    /// Starts at the first step at `started`. A plan without steps ends at once as completed.
    #[must_use]
    pub fn new(plan: Plan, started: Instant) -> Session {
        let mut session = Session {
            plan,
            started,
            paused_total: Duration::ZERO,
            paused_at: None,
            index: 0,
            step_start: Duration::ZERO,
            length: Duration::ZERO,
            reps: 0,
            cued_until: Duration::ZERO,
            records: Vec::new(),
            ended: None,
        };
        if session.plan.steps.is_empty() {
            session.ended = Some((Ending::Completed, Duration::ZERO));
        } else {
            session.enter(0, Duration::ZERO);
        }
        session
    }

    #[must_use]
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    #[must_use]
    pub fn index(&self) -> usize {
        self.index
    }

    #[must_use]
    pub fn is_paused(&self) -> bool {
        self.paused_at.is_some()
    }

    /// How the session ended, once it has.
    #[must_use]
    pub fn ended(&self) -> Option<Ending> {
        self.ended.map(|(e, _)| e)
    }

    /// Every step recorded so far, in plan order, one per step index.
    #[must_use]
    pub fn records(&self) -> &[StepRecord] {
        &self.records
    }

    /// Active time at `now` (frozen while paused and after the end).
    #[must_use]
    pub fn elapsed(&self, now: Instant) -> Duration {
        if let Some((_, at)) = self.ended {
            return at;
        }
        self.active(now)
    }

    /// Reacts to a key (already translated) at `now`. Catches up with the clock first, so a
    /// key pressed just after a step ran out acts on the step the user sees.
    pub fn handle(&mut self, command: Command, now: Instant) -> Vec<Event> {
        let mut events = self.advance(now);
        if self.ended.is_some() {
            return events;
        }
        let a = self.active(now);
        match command {
            Command::TogglePause if self.is_paused() => self.resume(now, &mut events),
            Command::TogglePause | Command::Pause => self.pause(now, &mut events),
            Command::Resume => self.resume(now, &mut events),
            Command::Finish => self.finish_current(a, true, &mut events),
            Command::Previous => {
                let target = self.index.saturating_sub(1);
                self.start_step(target, a, &mut events);
            }
            Command::Restart => self.start_step(self.index, a, &mut events),
            Command::More | Command::Less => self.adjust(command == Command::More, a),
            Command::Quit => {
                // The step in progress was left, whatever its clock said.
                let mut record = self.record(a, true);
                record.skipped = true;
                self.store(record.clone());
                events.push(Event::StepFinished(record));
                self.end(Ending::Quit, a, &mut events);
            }
        }
        events
    }

    /// Moves the session to `now`: ends steps whose time is up (each exactly on its planned
    /// instant), and plays every cue whose moment has passed since the last call, once.
    pub fn advance(&mut self, now: Instant) -> Vec<Event> {
        let mut events = Vec::new();
        if self.ended.is_some() {
            return events;
        }
        let a = self.active(now);
        loop {
            match self.auto_end() {
                Some(end) if end <= a => {
                    self.cue_until(end, &mut events);
                    self.finish_current(end, false, &mut events);
                    if self.ended.is_some() {
                        return events;
                    }
                }
                _ => break,
            }
        }
        self.cue_until(a, &mut events);
        events
    }

    /// When the caller must call [`advance`](Self::advance) next: the next change of a shown
    /// second, the next cue or the end of the step, whichever is first. `None` while paused or
    /// after the end: nothing changes until a key. Call `advance(now)` before this.
    #[must_use]
    pub fn next_deadline(&self, now: Instant) -> Option<Instant> {
        if self.ended.is_some() || self.is_paused() {
            return None;
        }
        let a = self.active(now);
        let since = a.saturating_sub(self.step_start);
        let shown = match self.mode() {
            Mode::Countdown | Mode::Paced { .. } => {
                let left = ceil_secs(self.step_end().saturating_sub(a));
                self.step_end().saturating_sub(Duration::from_secs(left.saturating_sub(1)))
            }
            Mode::Range { .. } | Mode::SelfPaced => self.step_start + Duration::from_secs(since.as_secs() + 1),
        };
        let mut next = shown;
        if let Some(cue) = self.next_cue_active(a) {
            next = next.min(cue);
        }
        if let Some(end) = self.auto_end() {
            next = next.min(end);
        }
        Some(self.instant_of(next.max(a)))
    }

    /// What the screen shows at `now`.
    #[must_use]
    pub fn view(&self, now: Instant) -> View<'_> {
        let a = self.elapsed(now);
        let step = &self.plan.steps[self.index.min(self.plan.steps.len().saturating_sub(1))];
        let since = a.saturating_sub(self.step_start);
        // The stopwatch of self-paced reps runs past the estimate; everything else stops at its end.
        let since = if self.mode() == Mode::SelfPaced { since } else { since.min(self.length) };
        let step_left = self.step_left(a);
        let face = match self.mode() {
            Mode::Countdown | Mode::Paced { .. } => Face::Down(ceil_secs(step_left)),
            Mode::Range { .. } | Mode::SelfPaced => Face::Up(since.as_secs()),
        };
        let step_progress =
            if self.length.is_zero() { 1.0 } else { (since.as_secs_f64() / self.length.as_secs_f64()).min(1.0) };
        let routine_left =
            if self.ended.is_some() { Duration::ZERO } else { step_left + self.plan.remaining_from(self.index + 1) };
        let total = self.plan.total().max(routine_left + a.min(self.plan.total()));
        let routine_progress =
            if total.is_zero() { 1.0 } else { 1.0 - routine_left.as_secs_f64() / total.as_secs_f64() };
        let reps = match (self.mode(), step.work) {
            (Mode::Paced { tempo }, _) => {
                let done = (since.as_nanos() / tempo.as_nanos().max(1)) as u32;
                Some(Reps::Paced { current: (done + 1).min(self.reps), target: self.reps })
            }
            (Mode::SelfPaced, Work::Reps { count, .. }) => Some(Reps::SelfPaced { target: count, recorded: self.reps }),
            _ => None,
        };
        let range = match self.mode() {
            Mode::Range { min } => Some((min, self.length, since >= min)),
            _ => None,
        };
        View {
            index: self.index,
            count: self.plan.steps.len(),
            step,
            next: self.plan.steps.get(self.index + 1),
            face,
            step_progress,
            routine_progress: routine_progress.clamp(0.0, 1.0),
            routine_left: ceil_secs(routine_left),
            elapsed: a,
            reps,
            range,
            paused: self.is_paused(),
            ended: self.ended(),
        }
    }

    // ---- internals -------------------------------------------------------------------------

    fn active(&self, now: Instant) -> Duration {
        let until = self.paused_at.unwrap_or(now);
        until.saturating_duration_since(self.started).saturating_sub(self.paused_total)
    }

    fn instant_of(&self, active: Duration) -> Instant {
        self.started + self.paused_total + active
    }

    fn step(&self) -> &Step {
        &self.plan.steps[self.index]
    }

    fn mode(&self) -> Mode {
        let Some(step) = self.plan.steps.get(self.index) else { return Mode::Countdown };
        match step.work {
            Work::Hold(_) => Mode::Countdown,
            Work::RangeHold { min, .. } => Mode::Range { min },
            Work::Reps { tempo: Some(tempo), .. } => Mode::Paced { tempo },
            Work::Reps { tempo: None, .. } => Mode::SelfPaced,
        }
    }

    fn step_end(&self) -> Duration {
        self.step_start + self.length
    }

    /// When the current step ends by itself, if it does.
    fn auto_end(&self) -> Option<Duration> {
        (self.mode() != Mode::SelfPaced).then(|| self.step_end())
    }

    /// Planned time left in the step at active time `a` (self-paced reps: the estimate).
    fn step_left(&self, a: Duration) -> Duration {
        if self.ended.is_some() {
            return Duration::ZERO;
        }
        self.step_end().saturating_sub(a)
    }

    /// The record of the current step if it ended at active time `at`.
    fn record(&self, at: Duration, by_user: bool) -> StepRecord {
        let step = self.step();
        let active = at.saturating_sub(self.step_start).min(MAX_LENGTH);
        let left = self.step_end().saturating_sub(at);
        let (reps_target, reps_done, skipped) = match (self.mode(), step.work) {
            (Mode::Paced { tempo }, Work::Reps { count, .. }) => {
                let done = ((active.as_nanos() / tempo.as_nanos().max(1)) as u32).min(self.reps);
                (Some(count), Some(done), by_user && left >= SECOND)
            }
            (Mode::SelfPaced, Work::Reps { count, .. }) => (Some(count), Some(self.reps), false),
            (Mode::Range { min }, _) => (None, None, by_user && active < min),
            // A key pressed in the last second is "done", not "skipped".
            _ => (None, None, by_user && left >= SECOND),
        };
        StepRecord {
            index: self.index as u32,
            exercise: step.exercise.clone(),
            side: step.side,
            set: step.set,
            round: step.round,
            kind: step.kind,
            planned_secs: step.planned().as_secs(),
            active_secs: (active + Duration::from_millis(500)).as_secs(),
            reps_target,
            reps_done,
            skipped,
        }
    }

    fn store(&mut self, record: StepRecord) {
        match self.records.binary_search_by_key(&record.index, |r| r.index) {
            Ok(i) => self.records[i] = record,
            Err(i) => self.records.insert(i, record),
        }
    }

    /// Ends the current step at active time `at` and starts the next (or ends the routine).
    fn finish_current(&mut self, at: Duration, by_user: bool, events: &mut Vec<Event>) {
        let record = self.record(at, by_user);
        self.store(record.clone());
        events.push(Event::StepFinished(record));
        if self.index + 1 >= self.plan.steps.len() {
            events.push(Event::Cue(Cue::Done));
            self.end(Ending::Completed, at, events);
        } else {
            self.start_step(self.index + 1, at, events);
        }
    }

    fn end(&mut self, ending: Ending, at: Duration, events: &mut Vec<Event>) {
        self.ended = Some((ending, at));
        events.push(Event::Ended(ending));
    }

    /// Sets up step `index` to start at active time `at` without any event.
    fn enter(&mut self, index: usize, at: Duration) {
        self.index = index;
        self.step_start = at;
        self.cued_until = at;
        let work = self.plan.steps[index].work;
        self.length = work.planned();
        self.reps = match work {
            Work::Reps { count, .. } => count,
            _ => 0,
        };
    }

    fn start_step(&mut self, index: usize, at: Duration, events: &mut Vec<Event>) {
        self.enter(index, at);
        events.push(Event::StepStarted(index));
        if !self.is_paused() {
            events.extend(self.start_cue().map(Event::Cue));
        }
    }

    fn pause(&mut self, now: Instant, events: &mut Vec<Event>) {
        if self.paused_at.is_none() {
            self.paused_at = Some(now);
            events.push(Event::Paused);
        }
    }

    fn resume(&mut self, now: Instant, events: &mut Vec<Event>) {
        if let Some(at) = self.paused_at.take() {
            self.paused_total += now.saturating_duration_since(at);
            events.push(Event::Resumed);
        }
    }

    /// `+`/`-`: ten seconds on a timed step (never leaving less than a second), one rep on a
    /// rep step (a paced set never below the rep in progress).
    fn adjust(&mut self, more: bool, a: Duration) {
        let since = a.saturating_sub(self.step_start);
        match self.mode() {
            Mode::Countdown => {
                self.length = if more {
                    (self.length + ADJUST_STEP).min(MAX_LENGTH)
                } else {
                    self.length.saturating_sub(ADJUST_STEP).max(since + SECOND).min(self.length)
                };
            }
            Mode::Range { min } => {
                self.length = if more {
                    (self.length + ADJUST_STEP).min(MAX_LENGTH)
                } else {
                    self.length.saturating_sub(ADJUST_STEP).max(min).max(since + SECOND).min(self.length)
                };
            }
            Mode::Paced { tempo } => {
                let in_progress = (since.as_nanos() / tempo.as_nanos().max(1)) as u32 + 1;
                self.reps = if more {
                    (self.reps + 1).min(MAX_REPS)
                } else {
                    self.reps.saturating_sub(1).max(in_progress).max(1)
                };
                self.length = tempo * self.reps;
            }
            Mode::SelfPaced => {
                self.reps = if more { (self.reps + 1).min(MAX_REPS) } else { self.reps.saturating_sub(1) };
            }
        }
    }
}

/// Whole seconds, rounded up.
fn ceil_secs(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

mod cues;
#[cfg(test)]
mod tests;
