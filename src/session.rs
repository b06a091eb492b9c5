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
//! call at the same moment plays nothing.

use std::time::{Duration, Instant};

use crate::cue::Cue;
use crate::plan::{Plan, Step, StepKind};
use crate::record::StepRecord;
use crate::routine::Work;

/// How much `+`/`-` changes a timed step.
pub const ADJUST_STEP: Duration = Duration::from_secs(10);
/// The last seconds of a countdown that get a tick each.
const TICKS_BEFORE_END: u64 = 3;
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

    /// When the next cue is due (step ends included, since a new step starts with one), so the
    /// shell can open the audio output shortly before. `None` while paused.
    #[must_use]
    pub fn next_cue(&self, now: Instant) -> Option<Instant> {
        if self.ended.is_some() || self.is_paused() {
            return None;
        }
        let a = self.active(now);
        let cue = self.next_cue_active(a);
        let end = self.auto_end();
        let next = match (cue, end) {
            (Some(c), Some(e)) => Some(c.min(e)),
            (c, e) => c.or(e),
        };
        next.map(|n| self.instant_of(n))
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

    /// Cue moments of the current step other than its end, in order.
    fn cue_moments(&self) -> Vec<(Duration, Cue)> {
        let start = self.step_start;
        let end = self.step_end();
        let mut moments = Vec::new();
        match self.mode() {
            Mode::Paced { tempo } => {
                for k in 1..self.reps {
                    moments.push((start + tempo * k, Cue::Tick));
                }
            }
            Mode::Range { min } => {
                if min > Duration::ZERO && start + min < end {
                    moments.push((start + min, Cue::MayStop));
                }
            }
            Mode::Countdown | Mode::SelfPaced => {}
        }
        if matches!(self.mode(), Mode::Countdown | Mode::Range { .. }) {
            for k in (1..=TICKS_BEFORE_END).rev() {
                let at = end.saturating_sub(Duration::from_secs(k));
                if at > start && !moments.iter().any(|&(m, _)| m == at) {
                    moments.push((at, Cue::Tick));
                }
            }
        }
        moments.sort_by_key(|&(at, _)| at);
        moments
    }

    fn next_cue_active(&self, a: Duration) -> Option<Duration> {
        self.cue_moments().into_iter().map(|(at, _)| at).find(|&at| at > a.max(self.cued_until))
    }

    /// Plays the step's cues in `(cued_until, until]`.
    fn cue_until(&mut self, until: Duration, events: &mut Vec<Event>) {
        if until <= self.cued_until {
            return;
        }
        for (at, cue) in self.cue_moments() {
            if at > self.cued_until && at <= until {
                events.push(Event::Cue(cue));
            }
        }
        self.cued_until = until;
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

    /// The cue that announces the current step: "go" for work, except that the second side
    /// straight after the first (no switch pause in between) gets "switch".
    fn start_cue(&self) -> Option<Cue> {
        let step = self.step();
        match step.kind {
            StepKind::Prepare => None,
            StepKind::Rest => Some(Cue::Rest),
            StepKind::Switch => Some(Cue::Switch),
            StepKind::Work => {
                let previous = self.index.checked_sub(1).map(|i| &self.plan.steps[i]);
                let side_change = previous.is_some_and(|p| {
                    p.kind == StepKind::Work && p.exercise == step.exercise && p.side.is_some() && p.side != step.side
                });
                Some(if side_change { Cue::Switch } else { Cue::Go })
            }
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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::routine::{Block, Exercise, Pauses, Routine};

    fn secs(n: u64) -> Duration {
        Duration::from_secs(n)
    }

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn pauses(prepare: u64, rest: u64, switch: u64, set_rest: u64) -> Pauses {
        Pauses { prepare: secs(prepare), rest: secs(rest), switch: secs(switch), set_rest: secs(set_rest) }
    }

    fn exercise(name: &str, work: Work, each_side: bool, pauses: Pauses) -> Exercise {
        Exercise { name: name.into(), notes: None, work, each_side, sets: 1, pauses }
    }

    fn plan(exercises: Vec<Exercise>) -> Plan {
        Plan::new(&Routine {
            name: "t".into(),
            description: None,
            tags: vec![],
            blocks: vec![Block { rounds: 1, exercises }],
        })
    }

    /// prepare 5, hold 20, rest 10, prepare 5, hold 10: 50 s.
    fn two_holds() -> Plan {
        plan(vec![
            exercise("Couch", Work::Hold(secs(20)), false, pauses(5, 10, 3, 15)),
            exercise("Dog", Work::Hold(secs(10)), false, pauses(5, 10, 3, 15)),
        ])
    }

    fn cues(events: &[Event]) -> Vec<Cue> {
        events.iter().filter_map(|e| if let Event::Cue(c) = e { Some(*c) } else { None }).collect()
    }

    fn finished(events: &[Event]) -> Vec<StepRecord> {
        events.iter().filter_map(|e| if let Event::StepFinished(r) = e { Some(r.clone()) } else { None }).collect()
    }

    /// Runs the session the way the shell does, waking exactly at each deadline, and returns
    /// every cue with the active second (in ms) it was played at.
    fn run_to_end(session: &mut Session, t0: Instant, late: impl Fn(usize) -> Duration) -> Vec<(u128, Cue)> {
        let mut played = Vec::new();
        let mut now = t0;
        for wake in 0.. {
            for e in session.advance(now) {
                if let Event::Cue(c) = e {
                    played.push(((now - t0).as_millis(), c));
                }
            }
            let Some(deadline) = session.next_deadline(now) else { break };
            assert!(deadline >= now, "deadline in the past");
            now = deadline + late(wake);
        }
        played
    }

    #[test]
    fn holds_and_pauses_cue_on_their_planned_seconds() {
        use Cue::{Done, Go, Rest, Tick};
        let t0 = Instant::now();
        let mut s = Session::new(two_holds(), t0);
        let played = run_to_end(&mut s, t0, |_| Duration::ZERO);
        let expected: Vec<(u128, Cue)> = vec![
            (2000, Tick),
            (3000, Tick),
            (4000, Tick),
            (5000, Go),
            (22000, Tick),
            (23000, Tick),
            (24000, Tick),
            (25000, Rest),
            (32000, Tick),
            (33000, Tick),
            (34000, Tick),
            (37000, Tick),
            (38000, Tick),
            (39000, Tick),
            (40000, Go),
            (47000, Tick),
            (48000, Tick),
            (49000, Tick),
            (50000, Done),
        ];
        assert_eq!(played, expected);
        assert_eq!(s.ended(), Some(Ending::Completed));
        assert_eq!(s.elapsed(t0 + secs(99)), secs(50));
        let active: Vec<u64> = s.records().iter().map(|r| r.active_secs).collect();
        assert_eq!(active, [5, 20, 10, 5, 10]);
        assert!(s.records().iter().all(|r| !r.skipped));
    }

    #[test]
    fn the_countdown_shows_whole_seconds_rounded_up_and_wakes_on_their_boundaries() {
        let t0 = Instant::now();
        let mut s = Session::new(two_holds(), t0);
        assert_eq!(s.view(t0).face, Face::Down(5));
        assert_eq!(s.view(t0).routine_left, 50);
        s.advance(t0 + ms(300));
        assert_eq!(s.view(t0 + ms(300)).face, Face::Down(5));
        assert_eq!(s.next_deadline(t0 + ms(300)), Some(t0 + secs(1)));
        s.advance(t0 + secs(1));
        assert_eq!(s.view(t0 + secs(1)).face, Face::Down(4));
        assert_eq!(s.next_deadline(t0 + secs(1)), Some(t0 + secs(2)));
        s.advance(t0 + ms(5_999));
        let v = s.view(t0 + ms(5_999));
        assert_eq!((v.index, v.face, v.routine_left), (1, Face::Down(20), 45));
    }

    #[test]
    fn a_late_wake_plays_each_missed_cue_once_and_a_repeat_call_plays_nothing() {
        let t0 = Instant::now();
        let mut s = Session::new(two_holds(), t0);
        assert_eq!(cues(&s.advance(t0 + ms(4_500))), [Cue::Tick, Cue::Tick, Cue::Tick]);
        assert_eq!(s.advance(t0 + ms(4_500)), []);
        let events = s.advance(t0 + secs(27));
        assert_eq!(cues(&events), [Cue::Go, Cue::Tick, Cue::Tick, Cue::Tick, Cue::Rest]);
        let done: Vec<(u32, u64)> = finished(&events).iter().map(|r| (r.index, r.active_secs)).collect();
        assert_eq!(done, [(0, 5), (1, 20)]);
        // The rest started at 25 s, when the hold ended, not at 27 s when we noticed.
        assert_eq!(s.view(t0 + secs(27)).face, Face::Down(8));
        assert_eq!(cues(&s.advance(t0 + secs(27))), []);
    }

    #[test]
    fn pausing_freezes_the_countdown_and_plays_nothing() {
        let t0 = Instant::now();
        let mut s = Session::new(two_holds(), t0);
        s.advance(t0 + secs(3));
        assert_eq!(s.handle(Command::TogglePause, t0 + ms(3_500)), [Event::Paused]);
        assert_eq!(s.next_deadline(t0 + secs(100)), None);
        assert_eq!(s.advance(t0 + secs(100)), []);
        assert_eq!(s.view(t0 + secs(100)).face, Face::Down(2));
        assert!(s.view(t0 + secs(100)).paused);
        assert_eq!(s.handle(Command::TogglePause, t0 + secs(200)), [Event::Resumed]);
        // 1.5 s of prepare were left; the tick at 4 s of active time is at 200.5 s.
        assert_eq!(s.next_deadline(t0 + secs(200)), Some(t0 + ms(200_500)));
        assert_eq!(cues(&s.advance(t0 + ms(201_500))), [Cue::Tick, Cue::Go]);
        assert_eq!(s.view(t0 + ms(201_500)).elapsed, secs(5));
    }

    #[test]
    fn finish_back_and_restart_move_between_steps_and_record_what_was_done() {
        let t0 = Instant::now();
        let mut s = Session::new(two_holds(), t0);
        let events = s.handle(Command::Finish, t0 + ms(1_500));
        assert_eq!(cues(&events), [Cue::Go]);
        let rec = &finished(&events)[0];
        assert_eq!((rec.index, rec.kind, rec.active_secs, rec.skipped), (0, StepKind::Prepare, 2, true));
        // The hold starts when the key was pressed and runs its full 20 s.
        assert_eq!(s.view(t0 + ms(1_500)).face, Face::Down(20));
        assert_eq!(s.view(t0 + ms(11_500)).face, Face::Down(10));
        // Going back does not record the hold; it is recorded when it is done.
        let events = s.handle(Command::Previous, t0 + ms(11_500));
        assert_eq!(events, [Event::StepStarted(0)]);
        assert_eq!(s.view(t0 + ms(11_500)).face, Face::Down(5));
        s.advance(t0 + ms(16_500));
        assert_eq!(s.index(), 1);
        let events = s.handle(Command::Restart, t0 + secs(30));
        assert_eq!(events.last(), Some(&Event::Cue(Cue::Go)));
        assert_eq!(s.view(t0 + secs(30)).face, Face::Down(20));
        // Enter in the last second counts as done, not skipped.
        let events = s.handle(Command::Finish, t0 + ms(49_500));
        let rec = &finished(&events)[0];
        assert_eq!((rec.index, rec.active_secs, rec.skipped), (1, 20, false));
        // The prepare done again replaced its earlier, skipped record.
        assert_eq!(s.records().iter().map(|r| (r.index, r.skipped)).collect::<Vec<_>>(), [(0, false), (1, false)]);
    }

    #[test]
    fn finishing_the_last_step_completes_the_routine_with_done() {
        let t0 = Instant::now();
        let mut s = Session::new(plan(vec![exercise("Plank", Work::Hold(secs(30)), false, pauses(0, 0, 0, 0))]), t0);
        let events = s.handle(Command::Finish, t0 + secs(10));
        assert_eq!(cues(&events), [Cue::Done]);
        assert_eq!(events.last(), Some(&Event::Ended(Ending::Completed)));
        assert!(finished(&events)[0].skipped);
        assert_eq!(s.handle(Command::Finish, t0 + secs(11)), []);
        assert_eq!(s.next_deadline(t0 + secs(11)), None);
    }

    #[test]
    fn quitting_records_the_step_in_progress_as_skipped_and_ends() {
        let t0 = Instant::now();
        let mut s = Session::new(two_holds(), t0);
        s.advance(t0 + secs(9));
        let events = s.handle(Command::Quit, t0 + secs(9));
        assert_eq!(finished(&events)[0].active_secs, 4);
        assert!(finished(&events)[0].skipped);
        assert_eq!(events.last(), Some(&Event::Ended(Ending::Quit)));
        assert_eq!(s.records().len(), 2);
        assert_eq!(s.elapsed(t0 + secs(60)), secs(9));
    }

    #[test]
    fn plus_and_minus_move_the_end_of_a_timed_step_but_keep_a_second() {
        let t0 = Instant::now();
        let mut s = Session::new(plan(vec![exercise("Plank", Work::Hold(secs(30)), false, pauses(0, 0, 0, 0))]), t0);
        s.handle(Command::More, t0 + secs(1));
        assert_eq!(s.view(t0 + secs(1)).face, Face::Down(39));
        assert_eq!(s.view(t0 + secs(1)).routine_left, 39);
        s.handle(Command::Less, t0 + secs(35));
        assert_eq!(s.view(t0 + secs(35)).face, Face::Down(1));
        s.handle(Command::Less, t0 + ms(35_500));
        assert_eq!(s.ended(), None);
        assert_eq!(cues(&s.advance(t0 + secs(36))), [Cue::Done]);
        assert!(!s.records()[0].skipped);
    }

    #[test]
    fn a_range_hold_counts_up_may_stop_at_its_minimum_and_ends_at_its_maximum() {
        let t0 = Instant::now();
        let range = Work::RangeHold { min: secs(60), max: secs(90) };
        let p = plan(vec![exercise("Plank", range, false, pauses(0, 0, 0, 0))]);
        let mut s = Session::new(p.clone(), t0);
        assert_eq!(s.view(t0 + ms(59_900)).face, Face::Up(59));
        assert_eq!(s.view(t0 + ms(59_900)).range, Some((secs(60), secs(90), false)));
        assert_eq!(cues(&s.advance(t0 + secs(60))), [Cue::MayStop]);
        assert_eq!(s.view(t0 + secs(60)).range, Some((secs(60), secs(90), true)));
        let played = run_to_end(&mut s, t0 + secs(60), |_| Duration::ZERO);
        let relative: Vec<(u128, Cue)> = played.into_iter().map(|(at, c)| (at + 60_000, c)).collect();
        assert_eq!(relative, [(87_000, Cue::Tick), (88_000, Cue::Tick), (89_000, Cue::Tick), (90_000, Cue::Done)]);
        assert_eq!(s.records()[0].active_secs, 90);

        // Enter inside the range records the actual hold; before the minimum it is a skip.
        let mut s = Session::new(p.clone(), t0);
        let rec = finished(&s.handle(Command::Finish, t0 + ms(72_400)))[0].clone();
        assert_eq!((rec.active_secs, rec.skipped), (72, false));
        let mut s = Session::new(p, t0);
        assert!(finished(&s.handle(Command::Finish, t0 + secs(30)))[0].skipped);
    }

    #[test]
    fn self_paced_reps_run_a_stopwatch_until_enter_and_record_the_adjusted_count() {
        let t0 = Instant::now();
        let reps = Work::Reps { count: 15, tempo: None };
        let mut s = Session::new(plan(vec![exercise("Clamshell", reps, false, pauses(0, 0, 0, 0))]), t0);
        assert_eq!(s.advance(t0 + secs(600)), []);
        let v = s.view(t0 + secs(600));
        assert_eq!((v.face, v.reps), (Face::Up(600), Some(Reps::SelfPaced { target: 15, recorded: 15 })));
        assert_eq!(s.next_deadline(t0 + secs(600)), Some(t0 + secs(601)));
        s.handle(Command::Less, t0 + secs(601));
        s.handle(Command::Less, t0 + secs(601));
        s.handle(Command::More, t0 + secs(601));
        let rec = finished(&s.handle(Command::Finish, t0 + secs(602)))[0].clone();
        assert_eq!((rec.reps_target, rec.reps_done, rec.active_secs, rec.skipped), (Some(15), Some(14), 602, false));
    }

    #[test]
    fn paced_reps_tick_once_per_rep_and_end_after_the_last() {
        let t0 = Instant::now();
        let reps = Work::Reps { count: 4, tempo: Some(secs(3)) };
        let mut s = Session::new(plan(vec![exercise("Cat-camel", reps, false, pauses(0, 0, 0, 0))]), t0);
        assert_eq!(s.view(t0 + secs(4)).reps, Some(Reps::Paced { current: 2, target: 4 }));
        s.handle(Command::More, t0 + secs(4));
        let played = run_to_end(&mut s, t0 + secs(4), |_| Duration::ZERO);
        let at: Vec<(u128, Cue)> = played.into_iter().map(|(t, c)| (t + 4_000, c)).collect();
        assert_eq!(at, [(6_000, Cue::Tick), (9_000, Cue::Tick), (12_000, Cue::Tick), (15_000, Cue::Done)]);
        assert_eq!(s.records()[0].reps_done, Some(5));
    }

    #[test]
    fn a_second_side_without_a_switch_pause_is_announced_as_a_switch() {
        let t0 = Instant::now();
        let mut s = Session::new(plan(vec![exercise("Couch", Work::Hold(secs(5)), true, pauses(0, 0, 0, 0))]), t0);
        assert_eq!(cues(&s.advance(t0 + secs(5))), [Cue::Tick, Cue::Tick, Cue::Tick, Cue::Switch]);
        let mut s = Session::new(plan(vec![exercise("Couch", Work::Hold(secs(5)), true, pauses(0, 0, 4, 0))]), t0);
        assert_eq!(cues(&s.advance(t0 + secs(5))), [Cue::Tick, Cue::Tick, Cue::Tick, Cue::Switch]);
        assert_eq!(s.view(t0 + secs(5)).step.kind, StepKind::Switch);
        assert_eq!(cues(&s.advance(t0 + secs(9))), [Cue::Tick, Cue::Tick, Cue::Tick, Cue::Go]);
    }

    #[test]
    fn a_thirty_minute_routine_woken_late_every_time_ends_exactly_on_time() {
        let work = Work::Hold(secs(45));
        let exercises = (0..30).map(|i| exercise(&format!("E{i}"), work, false, pauses(5, 10, 3, 15))).collect();
        let p = plan(exercises);
        assert_eq!(p.total(), secs(30 * 60 - 10));
        let t0 = Instant::now();
        let mut s = Session::new(p, t0);
        // Every wake is 0-37 ms late, as a busy machine would make it.
        let played = run_to_end(&mut s, t0, |wake| ms((wake as u64 * 7919) % 38));
        assert_eq!(s.ended(), Some(Ending::Completed));
        assert_eq!(s.elapsed(t0 + secs(3600)), secs(30 * 60 - 10));
        assert_eq!(played.iter().filter(|(_, c)| *c == Cue::Go).count(), 30);
        // The last cue was heard at most one wake's lateness after the planned end.
        let (at, cue) = *played.last().unwrap();
        assert_eq!(cue, Cue::Done);
        assert!((1_790_000..1_790_038).contains(&at), "{at}");
    }

    fn any_command() -> impl Strategy<Value = Command> {
        prop_oneof![
            Just(Command::TogglePause),
            Just(Command::Finish),
            Just(Command::Previous),
            Just(Command::Restart),
            Just(Command::More),
            Just(Command::Less),
            Just(Command::Quit),
        ]
    }

    /// Every shape of step, with sides, sets and pauses.
    fn every_shape() -> Plan {
        plan(vec![
            exercise("Hold", Work::Hold(secs(7)), true, pauses(2, 3, 1, 2)),
            exercise("Range", Work::RangeHold { min: secs(4), max: secs(6) }, false, pauses(1, 0, 0, 0)),
            exercise("Paced", Work::Reps { count: 3, tempo: Some(secs(2)) }, false, pauses(0, 2, 0, 0)),
            exercise("Self", Work::Reps { count: 2, tempo: None }, true, pauses(1, 0, 0, 0)),
        ])
    }

    proptest! {
        /// Whatever keys come at whatever moments: nothing panics, deadlines are never in the
        /// past, the shown countdown never goes below one second, and records stay one per step.
        #[test]
        fn any_keys_at_any_times_keep_the_session_consistent(
            script in proptest::collection::vec((0u64..5_000, proptest::option::of(any_command())), 1..60),
        ) {
            let t0 = Instant::now();
            let mut s = Session::new(every_shape(), t0);
            let mut now = t0;
            for (wait, command) in script {
                now += ms(wait);
                s.advance(now);
                if let Some(command) = command {
                    s.handle(command, now);
                }
                if let Some(deadline) = s.next_deadline(now) {
                    prop_assert!(deadline >= now);
                    prop_assert!(deadline <= now + secs(1));
                }
                let v = s.view(now);
                if let (Face::Down(left), None) = (v.face, v.ended) {
                    prop_assert!(left >= 1);
                }
                prop_assert!((0.0..=1.0).contains(&v.routine_progress));
                let indexes: Vec<u32> = s.records().iter().map(|r| r.index).collect();
                prop_assert!(indexes.windows(2).all(|w| w[0] < w[1]));
            }
        }

        /// Pausing never changes what is left: at the same active time, a session that was
        /// paused any number of times shows the same step, countdown and routine time left.
        #[test]
        fn pausing_never_changes_remaining_time(
            pauses_ms in proptest::collection::vec((0u64..20_000, 1u64..600_000), 0..8),
            probe_ms in 0u64..60_000,
        ) {
            let t0 = Instant::now();
            let reference = Session::new(two_holds(), t0);
            let mut paused = Session::new(two_holds(), t0);
            let mut now = t0;
            let mut active = Duration::ZERO;
            for (run, pause) in pauses_ms {
                if active + ms(run) > ms(probe_ms) { break; }
                now += ms(run);
                active += ms(run);
                paused.handle(Command::Pause, now);
                now += ms(pause);
                paused.handle(Command::Resume, now);
            }
            now += ms(probe_ms).saturating_sub(active);
            let mut reference = reference;
            reference.advance(t0 + ms(probe_ms));
            paused.advance(now);
            let (a, b) = (reference.view(t0 + ms(probe_ms)), paused.view(now));
            prop_assert_eq!((a.index, a.face, a.routine_left, a.elapsed), (b.index, b.face, b.routine_left, b.elapsed));
            prop_assert_eq!(reference.records(), paused.records());
        }
    }
}
