//! The shell around a guided session: reads the clock once per loop, sleeps until the session's
//! next deadline or a key (no fixed-rate tick), performs the effects (cues to a [`CueSink`],
//! steps to a [`Recorder`]) and draws. It owns every way out: the end of the routine, `q`,
//! Ctrl-C, SIGTERM/SIGHUP/SIGINT, a panic, and a terminal that went away all restore the
//! terminal and hand back the session as a [`SessionRecord`].
//!
//! Two front ends share the bookkeeping: the full screen here and line-by-line [`plain`] mode
//! for screen readers, logs and dumb terminals.

pub mod home;
pub mod input;
pub mod memory_recorder;
pub mod plain;
pub mod signals;
pub mod terminal;

use std::io::{self, IsTerminal, Write};
use std::panic::AssertUnwindSafe;
use std::time::Duration;

use crossterm::event::Event as TermEvent;
use jiff::Zoned;
use uuid::Uuid;

use crate::checkin::{Answer, CheckIn, When};
use crate::clock::Clock;
use crate::cue::CueSink;
use crate::guide::{Effect, Guide};
use crate::plan::{Plan, StepKind};
use crate::record::{Recorder, SessionRecord, Status, StepRecord};
use crate::routine::{Routine, seconds};
use crate::sanitize;
use crate::session::Ending;
use crate::ui::session_view::window_title;
use crate::ui::theme::Theme;
use input::Waited;
use signals::SignalWatch;
use terminal::TerminalGuard;

/// How far ahead the audio is told which cues are coming. The loop wakes at least once a
/// second while a countdown runs, so each cue is known at least five seconds ahead: more than
/// the audio output's buffer (about two seconds through `PulseAudio`), into which it is placed
/// ahead of its moment.
pub const FORESEE: Duration = Duration::from_secs(6);
/// A wall-clock jump this much larger than the monotonic time that passed means the machine
/// was asleep (the monotonic clock stops during suspend).
pub const SLEEP_GAP: Duration = Duration::from_secs(3);
/// How long to wait for a key when nothing is scheduled (paused, summary): the loop still
/// wakes now and then, which costs nothing measurable.
const IDLE: Duration = Duration::from_secs(3600);

/// The routine to run and the names it is recorded under.
#[derive(Debug, Clone, Copy)]
pub struct RunSpec<'a> {
    pub routine: &'a Routine,
    /// The routine's short name (file stem), as stored in history.
    pub name: &'a str,
    /// Hex SHA-256 of the routine file as run.
    pub hash: &'a str,
}

/// Full screen, or one line per step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Screen,
    Plain,
}

impl Mode {
    /// Plain when asked for, when stdout is not a terminal, or when `TERM=dumb`.
    #[must_use]
    pub fn choose(plain_flag: bool) -> Mode {
        let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
        if plain_flag || dumb || !io::stdout().is_terminal() { Mode::Plain } else { Mode::Screen }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub mode: Mode,
    pub theme: Theme,
    /// Start with sound off (`--mute`).
    pub muted: bool,
    /// Ring the terminal bell for cues when there is no sound (config `bell`).
    pub bell: bool,
    /// Ask "how does your back feel? 0-10" before and after (config `checkin`).
    pub checkin: bool,
}

/// Why a session could not run (it was not started, or the program itself failed).
#[derive(Debug)]
pub enum RunError {
    /// The terminal could not be put into full-screen mode.
    Terminal(io::Error),
    /// A bug: the session was saved as interrupted and the terminal restored.
    Internal,
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::Terminal(e) => write!(f, "cannot use this terminal full-screen ({e}); try --plain"),
            RunError::Internal => f.write_str("internal error; the session was saved as interrupted"),
        }
    }
}

impl std::error::Error for RunError {}

/// How a run went: the session as recorded and, for a completed one, the streak line the
/// summary showed (read from the history once, after the session was saved).
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub record: SessionRecord,
    pub streak: Option<String>,
    /// The plan's exercise steps ([`Plan::exercises`]), for [`summary_lines`].
    pub exercises: usize,
}

/// Runs a routine from start to end and returns how it went. The recorder hears of the
/// session at its start, after every step, and at its end, whatever the way out.
///
/// Screen mode takes the terminal over and gives it back restored (main screen, cooked mode),
/// printing nothing; plain mode prints its lines and summary to stdout.
pub fn run(
    spec: RunSpec,
    options: Options,
    sink: &mut dyn CueSink,
    recorder: &mut dyn Recorder,
) -> Result<Outcome, RunError> {
    if options.muted {
        sink.set_muted(true);
    }
    match options.mode {
        Mode::Plain => plain::run(spec, options, sink, recorder),
        Mode::Screen => run_screen(spec, options, sink, recorder),
    }
}

/// The session as it is being recorded; keeps totals in step with the steps.
pub(crate) struct Tracker<'a> {
    pub record: SessionRecord,
    recorder: &'a mut dyn Recorder,
    /// The streak line, once read.
    streak: Option<String>,
    /// The plan's exercise steps, for the summary.
    pub exercises: usize,
}

impl<'a> Tracker<'a> {
    /// Starts recording: the recorder stores the session now, before its first step.
    pub fn start(
        spec: RunSpec,
        plan: &Plan,
        started_at: Zoned,
        pain_before: Option<u8>,
        recorder: &'a mut dyn Recorder,
    ) -> Tracker<'a> {
        let mut record = new_record(spec, plan, started_at);
        record.pain_before = pain_before;
        recorder.started(&record);
        Tracker { record, recorder, streak: None, exercises: plan.exercises() }
    }

    /// The after-routine check-in came once the session had ended: store the record again.
    pub fn pain_after(&mut self, score: Option<u8>) {
        if score.is_some() && self.record.status != Status::Running {
            self.record.pain_after = score;
            self.recorder.finished(&self.record);
        }
    }

    pub fn problem(&self) -> Option<String> {
        self.recorder.problem()
    }

    /// The streak line with this session counted, read back from the history once it is
    /// saved, and kept for the [`Outcome`]; `None` when the history cannot say.
    pub fn streak_line(&mut self, now: &Zoned) -> Option<String> {
        if self.streak.is_none() {
            self.streak = self.recorder.streaks(now).map(|streaks| streaks.line());
        }
        self.streak.clone()
    }

    /// The record and the streak line, for the caller of [`run`].
    pub fn outcome(self) -> Outcome {
        Outcome { record: self.record, streak: self.streak, exercises: self.exercises }
    }

    /// A step ended: keep it (replacing an earlier try of the same step) and store it now.
    pub fn step(&mut self, step: &StepRecord) {
        let steps = &mut self.record.steps;
        match steps.binary_search_by_key(&step.index, |s| s.index) {
            Ok(i) => steps[i] = step.clone(),
            Err(i) => steps.insert(i, step.clone()),
        }
        self.record.active_secs = steps.iter().map(|s| s.active_secs).sum();
        self.record.steps_skipped = steps.iter().filter(|s| s.skipped).count() as u32;
        self.record.steps_done = steps.len() as u32 - self.record.steps_skipped;
        self.recorder.step_finished(self.record.id, step);
    }

    pub fn finish(&mut self, status: Status, quit_reason: Option<&str>, ended_at: Zoned) {
        if self.record.status != Status::Running {
            return;
        }
        self.record.status = status;
        self.record.quit_reason = quit_reason.map(str::to_string);
        self.record.ended_at = Some(ended_at);
        self.recorder.finished(&self.record);
    }
}

/// A session record at its start: nothing done yet, status running.
pub(crate) fn new_record(spec: RunSpec, plan: &Plan, started_at: Zoned) -> SessionRecord {
    SessionRecord {
        id: Uuid::new_v4(),
        routine: spec.name.to_string(),
        title: spec.routine.name.clone(),
        routine_hash: spec.hash.to_string(),
        started_at,
        ended_at: None,
        status: Status::Running,
        planned_secs: plan.total().as_secs(),
        active_secs: 0,
        steps_total: plan.steps.len() as u32,
        steps_done: 0,
        steps_skipped: 0,
        pain_before: None,
        pain_after: None,
        note: None,
        quit_reason: None,
        steps: Vec::new(),
    }
}

/// The session of a user who left at the check-in, before the first step: returned as stopped
/// but never recorded, since nothing was done.
pub(crate) fn left_before_start(spec: RunSpec, plan: &Plan, clock: Clock) -> Outcome {
    let mut record = new_record(spec, plan, clock.wall());
    record.status = Status::Stopped;
    record.ended_at = Some(clock.wall());
    Outcome { record, streak: None, exercises: plan.exercises() }
}

/// Whether the machine slept between two readings: the wall clock moved on much further than
/// the monotonic clock, which stands still during suspend.
#[must_use]
pub fn slept(monotonic: Duration, wall: jiff::SignedDuration) -> bool {
    let wall = Duration::try_from(wall).unwrap_or(Duration::ZERO);
    wall > monotonic + SLEEP_GAP
}

/// The status to record for a session that ended this way.
fn status_for(ending: Ending, interrupted: bool) -> Status {
    match (ending, interrupted) {
        (Ending::Completed, _) => Status::Completed,
        (Ending::Quit, false) => Status::Stopped,
        (Ending::Quit, true) => Status::Interrupted,
    }
}

/// How the session ended, in one line: "Stopped: Post-ride reset (reason: pain)".
#[must_use]
pub fn headline(record: &SessionRecord) -> String {
    let title = sanitize::line(&record.title);
    match record.status {
        Status::Completed => format!("Completed: {title}"),
        Status::Stopped => match &record.quit_reason {
            Some(reason) => format!("Stopped: {title} (reason: {})", sanitize::line(reason)),
            None => format!("Stopped: {title}"),
        },
        Status::Interrupted => format!("Interrupted: {title}"),
        Status::Running => format!("Running: {title}"),
    }
}

/// A few lines saying how the session went, for the end of plain output and after the screen.
/// Exercises are counted as on the summary screen (`exercises` of the plan, the work steps
/// done and skipped), so a skipped "get ready" countdown does not count as something done.
#[must_use]
pub fn summary_lines(record: &SessionRecord, exercises: usize) -> Vec<String> {
    let work = record.steps.iter().filter(|s| s.kind == StepKind::Work);
    let skipped = work.clone().filter(|s| s.skipped).count();
    let done = work.count() - skipped;
    vec![
        headline(record),
        format!(
            "Active time {}; {done} of {exercises} exercises done, {skipped} skipped.",
            seconds::clock(Duration::from_secs(record.active_secs)),
        ),
    ]
}

/// What the loop does after performing effects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Continue,
    Leave,
}

/// Plays cues, stores steps, and closes the record when the session ends.
fn perform(
    effects: Vec<Effect>,
    guide: &mut Guide,
    sink: &mut dyn CueSink,
    tracker: &mut Tracker,
    clock: Clock,
    interrupted: bool,
) -> Flow {
    let mut flow = Flow::Continue;
    for effect in effects {
        match effect {
            Effect::Cue(cue) => {
                sink.play(cue);
                guide.audio_notice = sink.notice();
            }
            Effect::Announce(text) => sink.announce(&text),
            Effect::Record(step) => {
                tracker.step(&step);
                guide.history_problem = tracker.problem();
            }
            Effect::Mute(muted) => {
                sink.set_muted(muted);
                guide.muted = sink.muted();
            }
            Effect::Ended(ending) => {
                let status = status_for(ending, interrupted);
                tracker.finish(status, guide.quit_reason(), clock.wall());
                guide.history_problem = tracker.problem();
                // Read now, not at the start: the first frame must not wait for the history,
                // and only now does the streak count this session.
                if status == Status::Completed {
                    guide.streak = tracker.streak_line(&clock.wall());
                }
                // A completed session shows its summary; a stopped one leaves at once.
                if ending == Ending::Quit {
                    flow = Flow::Leave;
                }
            }
            Effect::Close => flow = Flow::Leave,
            Effect::Bell => ring_bell(),
            Effect::PainAfter(score) => tracker.pain_after(score),
        }
    }
    flow
}

/// BEL to the terminal; written between frames, never inside one.
pub(crate) fn ring_bell() {
    let mut out = io::stdout();
    let _ = out.write_all(b"\x07").and_then(|()| out.flush());
}

fn run_screen(
    spec: RunSpec,
    options: Options,
    sink: &mut dyn CueSink,
    recorder: &mut dyn Recorder,
) -> Result<Outcome, RunError> {
    let clock = Clock;
    let plan = Plan::new(spec.routine);
    let mut guard = TerminalGuard::enter().map_err(RunError::Terminal)?;
    // SIGWINCH wakes crossterm's poll, which is where the loop sleeps.
    let wake = Box::new(|| {
        let _ = signal_hook::low_level::raise(signal_hook::consts::SIGWINCH);
    });
    let watch = SignalWatch::start(wake, terminal::restore_from_another_thread).ok();
    let title = sanitize::line(&spec.routine.name);
    let pain_before = if options.checkin {
        match ask_before(&mut guard, watch.as_ref(), &title, options.theme) {
            Answer::Given(score) => score,
            Answer::Pending | Answer::Cancelled => {
                return Ok(left_before_start(spec, &plan, clock));
            }
        }
    } else {
        None
    };
    // The clock starts once the question is answered, not while the user thinks.
    let (t0, started) = (clock.now(), clock.wall());
    let mut guide = Guide::new(plan.clone(), title, t0);
    guide.muted = sink.muted();
    guide.bell = options.bell;
    guide.checkin = options.checkin;
    guide.audio_notice = sink.notice();
    // The first frame comes before the session's first write: creating the history's log
    // file syncs it and its folder to disk, which took from 1 to 40 ms here.
    let _ = guard.terminal.draw(|frame| crate::ui::render_run(frame, &guide, &options.theme, t0));
    let mut tracker = Tracker::start(spec, &plan, started, pain_before, recorder);
    guide.history_problem = tracker.problem();
    // The first step starts with the session, not through an event: announce it here.
    if let Some(text) = crate::guide::announcement(guide.session().plan(), 0) {
        sink.announce(&text);
    }

    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
        screen_loop(&mut guard, watch.as_ref(), &mut guide, sink, &mut tracker, options.theme, clock);
    }));
    drop(watch);
    drop(guard);
    if outcome.is_err() {
        tracker.finish(Status::Interrupted, None, clock.wall());
        return Err(RunError::Internal);
    }
    Ok(tracker.outcome())
}

/// The before-routine check-in on its own screen: the score, or `Cancelled` when the user left
/// (Ctrl-C, a signal, a lost terminal).
fn ask_before(guard: &mut TerminalGuard, watch: Option<&SignalWatch>, title: &str, theme: Theme) -> Answer {
    let mut question = CheckIn::new(When::Before);
    loop {
        if watch.and_then(SignalWatch::take).is_some() {
            return Answer::Cancelled;
        }
        if guard.terminal.draw(|frame| crate::ui::checkin_view::render(frame, title, &question, &theme)).is_err() {
            return Answer::Cancelled;
        }
        guard.set_title("supple: check-in");
        match input::wait(IDLE) {
            Waited::Event(TermEvent::Key(key)) => match question.key(&key) {
                Answer::Pending => {}
                answer => return answer,
            },
            Waited::Event(_) | Waited::TimedOut => {}
            Waited::Gone => return Answer::Cancelled,
        }
    }
}

fn screen_loop(
    guard: &mut TerminalGuard,
    watch: Option<&SignalWatch>,
    guide: &mut Guide,
    sink: &mut dyn CueSink,
    tracker: &mut Tracker,
    theme: Theme,
    clock: Clock,
) {
    let mut input: Option<TermEvent> = None;
    let mut last = (clock.now(), clock.wall().timestamp());
    let mut interrupted = false;
    loop {
        let now = clock.now();
        let wall = clock.wall().timestamp();
        // Audio finds out about its device in the background and a store can fail at any
        // write: keep the status line (and whether cues flash) current.
        guide.audio_notice = sink.notice();
        guide.history_problem = tracker.problem();
        let mut effects = Vec::new();
        let running = guide.session().ended().is_none() && !guide.session().is_paused();
        if running && slept(now.saturating_duration_since(last.0), wall.duration_since(last.1)) {
            effects.extend(guide.suspended(now));
        }
        last = (now, wall);
        if watch.and_then(SignalWatch::take).is_some() {
            interrupted = true;
            effects.extend(guide.stop(now));
            perform(effects, guide, sink, tracker, clock, interrupted);
            return;
        }
        if let Some(TermEvent::Key(key)) = input.take() {
            effects.extend(guide.key(&key, now));
        }
        effects.extend(guide.advance(now));
        if perform(effects, guide, sink, tracker, clock, interrupted) == Flow::Leave {
            return;
        }

        let drawn = guard.terminal.draw(|frame| crate::ui::render_run(frame, guide, &theme, now));
        if drawn.is_err() {
            // The terminal is gone (closed window, dropped SSH): save and leave.
            let effects = guide.stop(now);
            perform(effects, guide, sink, tracker, clock, true);
            return;
        }
        if guide.session().ended().is_none() {
            guard.set_title(&window_title(guide, now));
        } else {
            guard.set_title("supple: done");
        }

        sink.schedule(&guide.session().upcoming_cues(now, FORESEE));
        let deadline = guide.next_deadline(now);
        let timeout = deadline.map_or(IDLE, |d| d.saturating_duration_since(clock.now()));
        let terminal_gone = match input::wait(timeout) {
            Waited::Event(ev) => {
                input = Some(ev);
                false
            }
            Waited::TimedOut => false,
            Waited::Gone => true,
        };
        if terminal_gone {
            let now = clock.now();
            let effects = guide.stop(now);
            perform(effects, guide, sink, tracker, clock, true);
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::StepKind;

    #[test]
    fn a_wall_clock_jump_without_monotonic_time_is_a_sleep() {
        let s = Duration::from_secs;
        assert!(slept(s(1), jiff::SignedDuration::from_secs(3600)));
        assert!(!slept(s(1), jiff::SignedDuration::from_secs(2)));
        assert!(!slept(s(3600), jiff::SignedDuration::from_secs(3600)));
        // The wall clock set back (NTP, a user) is not a sleep.
        assert!(!slept(s(1), jiff::SignedDuration::from_secs(-3600)));
    }

    fn step(index: u32, skipped: bool, active: u64) -> StepRecord {
        StepRecord {
            index,
            exercise: "Plank".into(),
            side: None,
            set: 1,
            round: 1,
            kind: StepKind::Work,
            planned_secs: 30,
            active_secs: active,
            reps_target: None,
            reps_done: None,
            skipped,
        }
    }

    /// A plank on each side: a prepare, the left, a switch, the right.
    fn core_routine() -> Routine {
        use crate::routine::{Block, Exercise, Pauses, Work};
        Routine {
            name: "Core".into(),
            description: None,
            tags: vec![],
            blocks: vec![Block {
                rounds: 1,
                exercises: vec![Exercise {
                    name: "Plank".into(),
                    notes: None,
                    work: Work::Hold(Duration::from_secs(30)),
                    each_side: true,
                    sets: 1,
                    pauses: Pauses::default(),
                }],
            }],
        }
    }

    #[test]
    fn the_tracker_keeps_one_record_per_step_and_totals_in_step() {
        let routine = core_routine();
        let plan = Plan::new(&routine);
        let mut memory = memory_recorder::MemoryRecorder::default();
        let spec = RunSpec { routine: &routine, name: "core", hash: "abc" };
        let mut tracker = Tracker::start(spec, &plan, Zoned::now(), Some(6), &mut memory);
        tracker.step(&step(0, true, 2));
        tracker.step(&step(0, false, 5));
        tracker.step(&step(1, false, 30));
        tracker.finish(Status::Stopped, Some("pain"), Zoned::now());
        tracker.finish(Status::Completed, None, Zoned::now());
        tracker.pain_after(Some(3));
        let (record, exercises) = (tracker.record.clone(), tracker.exercises);
        assert_eq!((record.steps_done, record.steps_skipped, record.active_secs), (2, 0, 35));
        assert_eq!((record.status, record.quit_reason.as_deref()), (Status::Stopped, Some("pain")));
        assert_eq!((record.pain_before, record.pain_after), (Some(6), Some(3)));
        assert_eq!(memory.steps.len(), 3);
        assert_eq!(memory.sessions, std::slice::from_ref(&record));
        // Plank on each side: a prepare, the left, a switch, the right; two of them exercises.
        assert_eq!(
            summary_lines(&record, exercises),
            ["Stopped: Core (reason: pain)", "Active time 0:35; 2 of 2 exercises done, 0 skipped."]
        );
    }

    #[test]
    fn a_get_ready_countdown_is_not_counted_as_an_exercise_done() {
        // As on the summary screen: the prepare ran, the exercise was skipped, then quit.
        let mut record = new_record(
            RunSpec { routine: &core_routine(), name: "core", hash: "" },
            &Plan::new(&core_routine()),
            Zoned::now(),
        );
        record.status = Status::Stopped;
        record.steps = vec![StepRecord { kind: StepKind::Prepare, ..step(0, false, 5) }, step(1, true, 0)];
        assert_eq!(summary_lines(&record, 7)[1], "Active time 0:00; 0 of 7 exercises done, 1 skipped.");
    }
}
