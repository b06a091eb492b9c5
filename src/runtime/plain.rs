//! Plain mode: the same session, timing, cues and recording as the full screen, told one line
//! per step. For screen readers, logs, pipes and `TERM=dumb`.
//!
//! Keys become lines on standard input: an empty line (Enter) ends the step, `p` pauses or
//! resumes, `b` goes back, `r` restarts the step, `+`/`-` adjust it, `q [reason]` stops. When
//! standard input is closed, self-paced reps end after their estimated time, so an unattended
//! run still finishes.

use std::io::{self, BufRead, IsTerminal, Write};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use crate::checkin::{self, When};
use crate::clock::Clock;
use crate::cue::{Cue, CueSink};
use crate::plan::{Plan, Step, StepKind};
use crate::record::{Recorder, Status};
use crate::routine::{Work, seconds};
use crate::runtime::signals::SignalWatch;
use crate::runtime::{
    FORESEE, Options, Outcome, RunError, RunSpec, Tracker, left_before_start, ring_bell, slept, status_for,
    summary_lines,
};
use crate::sanitize;
use crate::session::{Command, Ending, Event, Face, Reps, Session, View};

/// What wakes the plain loop besides its deadlines.
enum Input {
    Line(String),
    /// Standard input was closed (or unreadable).
    Closed,
    Signal,
}

/// The plain loop's state: the session, where its steps go, and how the output is doing.
struct Plain<'a, 'r> {
    session: Session,
    tracker: Tracker<'r>,
    sink: &'a mut dyn CueSink,
    clock: Clock,
    /// Ring the bell for cues that cannot be heard (only when stdout is a terminal).
    bell: bool,
    /// False once writing to stdout failed: nobody is reading any more.
    output_ok: bool,
    interrupted: bool,
    quit_reason: Option<String>,
    /// Notes already printed: audio and history problems are said once, when first known
    /// (the audio thread learns about its device in the background).
    noted: Vec<String>,
}

impl Plain<'_, '_> {
    fn say_new_notes(&mut self) {
        for note in [self.sink.notice(), self.tracker.problem()].into_iter().flatten() {
            if !self.noted.contains(&note) {
                self.say(&format!("Note: {}", sanitize::line(&note)));
                self.noted.push(note);
            }
        }
    }

    /// How the session went and, once a completed one is saved, the streak it counts in.
    fn say_summary(&mut self) {
        for line in summary_lines(&self.tracker.record, self.tracker.exercises) {
            self.say(&line);
        }
        if self.tracker.record.status == Status::Completed
            && let Some(streak) = self.tracker.streak_line(&self.clock.wall())
        {
            self.say(&streak);
        }
    }

    fn say(&mut self, text: &str) {
        let mut out = io::stdout();
        self.output_ok &= writeln!(out, "{text}").and_then(|()| out.flush()).is_ok();
    }

    fn step_started(&mut self, index: usize) {
        let count = self.session.plan().steps.len();
        let line = step_line(index, count, &self.session.plan().steps[index]);
        self.say(&line);
    }

    fn perform(&mut self, events: Vec<Event>) {
        for event in events {
            match event {
                Event::Cue(cue) => {
                    self.sink.play(cue);
                    if self.bell && self.sink.notice().is_some() && !self.sink.muted() {
                        ring_bell();
                    }
                    if cue == Cue::MayStop {
                        self.say("  You may stop now (Enter).");
                    }
                }
                Event::StepStarted(i) => {
                    self.step_started(i);
                    if let Some(text) = crate::guide::announcement(self.session.plan(), i) {
                        self.sink.announce(&text);
                    }
                }
                Event::StepFinished(step) => self.tracker.step(&step),
                Event::Paused => self.say("  Paused."),
                Event::Resumed => self.say("  Going on."),
                Event::Ended(ending) => {
                    let status = status_for(ending, self.interrupted);
                    self.tracker.finish(status, self.quit_reason.as_deref(), self.clock.wall());
                }
            }
        }
    }

    /// Tells the audio which cues are coming, then sleeps until the session's next deadline or
    /// until something comes in.
    fn wait(&mut self, now: Instant, rx: &mpsc::Receiver<Input>) -> Option<Input> {
        self.sink.schedule(&self.session.upcoming_cues(now, FORESEE));
        match self.session.next_deadline(now) {
            Some(d) => match rx.recv_timeout(d.saturating_duration_since(self.clock.now())) {
                Ok(input) => Some(input),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => Some(Input::Closed),
            },
            None => Some(rx.recv().unwrap_or(Input::Closed)),
        }
    }

    /// Applies a typed command at `now`.
    fn obey(&mut self, command: Command, now: Instant) {
        let events = self.session.handle(command, now);
        self.perform(events);
        // The TUI shows the new time or count at once; a plain line would say nothing until
        // the next step.
        if matches!(command, Command::More | Command::Less) && self.session.ended().is_none() {
            let line = adjusted_line(&self.session.view(now));
            self.say(&line);
        }
    }

    /// Turns what woke the loop into a command for the session, if any.
    fn command(&mut self, input: Input, watch: Option<&SignalWatch>, stdin_open: &mut bool) -> Option<Command> {
        match input {
            Input::Closed => {
                *stdin_open = false;
                // Paused with nobody left to resume: nothing more can happen, so stop and save.
                self.session.is_paused().then_some(Command::Quit)
            }
            Input::Signal => {
                watch.and_then(SignalWatch::take)?;
                self.interrupted = true;
                Some(Command::Quit)
            }
            Input::Line(line) => {
                let (command, reason) = parse_line(&line);
                if reason.is_some() {
                    self.quit_reason = reason;
                }
                command
            }
        }
    }
}

/// Starts a thread that turns standard input lines into [`Input`]s. It is left behind at the
/// end, harmlessly blocked in `read`, because the process exits right after a run.
fn read_stdin(tx: mpsc::Sender<Input>) {
    let _ = std::thread::Builder::new().name("stdin".into()).spawn(move || {
        for line in io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if tx.send(Input::Line(line)).is_err() {
                return;
            }
        }
        let _ = tx.send(Input::Closed);
    });
}

/// Runs the session in plain mode and returns its record.
pub fn run(
    spec: RunSpec,
    options: Options,
    sink: &mut dyn CueSink,
    recorder: &mut dyn Recorder,
) -> Result<Outcome, RunError> {
    let clock = Clock;
    let plan = Plan::new(spec.routine);
    let (tx, rx) = mpsc::channel();
    read_stdin(tx.clone());
    let wake = Box::new(move || {
        let _ = tx.send(Input::Signal);
    });
    let watch = SignalWatch::start(wake, || {}).ok();

    // Check-in questions need someone at a keyboard; from a pipe, a line is a command.
    let checkin = options.checkin && io::stdin().is_terminal();
    let pain_before = if checkin {
        let _ = writeln!(io::stdout(), "{} 0-10 (Enter skips):", When::Before.question());
        match rx.recv() {
            Ok(Input::Line(line)) => checkin::parse(&line),
            Ok(Input::Closed) | Err(_) => None,
            Ok(Input::Signal) => {
                return Ok(left_before_start(spec, &plan, clock));
            }
        }
    } else {
        None
    };

    let t0 = clock.now();
    let tracker = Tracker::start(spec, &plan, clock.wall(), pain_before, recorder);
    let mut run = Plain {
        session: Session::new(plan, t0),
        tracker,
        sink,
        clock,
        // A BEL in a log file or a pipe is noise, not a sound.
        bell: options.bell && io::stdout().is_terminal(),
        output_ok: true,
        interrupted: false,
        quit_reason: None,
        noted: Vec::new(),
    };
    let steps = run.session.plan().steps.len();
    run.say(&format!(
        "{}: {steps} steps, about {}. Enter ends a step, p pauses, q stops.",
        sanitize::line(&spec.routine.name),
        seconds::short(run.session.plan().total())
    ));
    run.say_new_notes();
    if steps > 0 {
        run.step_started(0);
        if let Some(text) = crate::guide::announcement(run.session.plan(), 0) {
            run.sink.announce(&text);
        }
    }

    let mut stdin_open = true;
    let mut last = (t0, clock.wall().timestamp());
    while run.session.ended().is_none() {
        let now = clock.now();
        let wall = clock.wall().timestamp();
        let mut events = Vec::new();
        if !run.session.is_paused() && slept(now.saturating_duration_since(last.0), wall.duration_since(last.1)) {
            events.extend(run.session.handle(Command::Pause, now));
            run.say("Paused: the computer seems to have slept. Type p and Enter to go on.");
        }
        last = (now, wall);
        if !run.output_ok {
            // Nobody is reading the output any more (a closed pipe): stop and save.
            run.interrupted = true;
            events.extend(run.session.handle(Command::Quit, now));
        }
        events.extend(run.session.advance(now));
        // Unattended: self-paced reps end after their estimate instead of waiting forever.
        let view = run.session.view(now);
        let self_paced = matches!(view.step.work, Work::Reps { tempo: None, .. });
        if !stdin_open && self_paced && view.step_progress >= 1.0 && !view.paused {
            events.extend(run.session.handle(Command::Finish, now));
        }
        run.perform(events);
        run.say_new_notes();
        if run.session.ended().is_some() {
            break;
        }

        let input = run.wait(now, &rx);
        if let Some(command) = input.and_then(|input| run.command(input, watch.as_ref(), &mut stdin_open)) {
            run.obey(command, clock.now());
        }
    }
    if run.session.ended() == Some(Ending::Completed) {
        run.say("Done.");
        if checkin && stdin_open {
            run.say(&format!("{} 0-10 (Enter skips):", When::After.question()));
            if let Ok(Input::Line(line)) = rx.recv() {
                run.tracker.pain_after(checkin::parse(&line));
            }
        }
    }
    drop(watch);
    run.say_summary();
    if run.tracker.record.status == Status::Running {
        run.tracker.finish(Status::Interrupted, None, clock.wall());
    }
    Ok(run.tracker.outcome())
}

/// A line typed on standard input, as a command and maybe a quit reason.
fn parse_line(line: &str) -> (Option<Command>, Option<String>) {
    let line = line.trim();
    let (word, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
    let command = match word.to_ascii_lowercase().as_str() {
        "" | "n" | "next" => Command::Finish,
        "p" | "pause" | "resume" => Command::TogglePause,
        "b" | "back" => Command::Previous,
        "r" | "restart" => Command::Restart,
        "+" => Command::More,
        "-" => Command::Less,
        "q" | "quit" | "stop" => {
            let reason = sanitize::line(rest.trim());
            return (Some(Command::Quit), (!reason.is_empty()).then_some(reason));
        }
        _ => return (None, None),
    };
    (Some(command), None)
}

/// What `+` or `-` changed, in the step as it is now: `  1:10 left.`, `  12 reps.`
fn adjusted_line(view: &View) -> String {
    match (view.reps, view.range, view.face) {
        (Some(Reps::SelfPaced { recorded, .. }), _, _) => format!("  {recorded} reps will be recorded."),
        (Some(Reps::Paced { target, .. }), _, _) => format!("  {target} reps."),
        (None, Some((_, max, _)), _) => format!("  Hold up to {}.", seconds::clock(max)),
        (None, None, Face::Down(left)) => format!("  {} left.", seconds::clock(Duration::from_secs(left))),
        (None, None, Face::Up(_)) => "  No time to change in this step.".to_owned(),
    }
}

/// One step, as announced: `[2/10] Couch stretch (left): hold 20s`.
#[must_use]
pub fn step_line(index: usize, count: usize, step: &Step) -> String {
    let name = sanitize::line(&step.exercise);
    let side = step.side.map(|s| format!(" ({})", s.name())).unwrap_or_default();
    let short = |d: Duration| seconds::short(d);
    let what = match step.kind {
        StepKind::Prepare => format!("Get ready: {name}{side}, {}", short(step.planned())),
        StepKind::Rest => format!("Rest {}", short(step.planned())),
        StepKind::Switch => format!("Switch sides{side}: {}", short(step.planned())),
        StepKind::Work => match step.work {
            Work::Hold(d) => format!("{name}{side}: hold {}", short(d)),
            Work::RangeHold { min, max } => {
                format!("{name}{side}: hold {} to {}, Enter to stop after {}", short(min), short(max), short(min))
            }
            Work::Reps { count, tempo: Some(tempo) } => {
                format!("{name}{side}: {count} reps, one every {}", short(tempo))
            }
            Work::Reps { count, tempo: None } => format!("{name}{side}: {count} reps, Enter when done"),
        },
    };
    let mut extra = Vec::new();
    if step.sets > 1 {
        extra.push(format!("set {}/{}", step.set, step.sets));
    }
    if step.rounds > 1 {
        extra.push(format!("round {}/{}", step.round, step.rounds));
    }
    let extra = if extra.is_empty() { String::new() } else { format!(" ({})", extra.join(", ")) };
    format!("[{}/{count}] {what}{extra}", index + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_lines_become_commands_and_a_quit_keeps_its_reason() {
        assert_eq!(parse_line(""), (Some(Command::Finish), None));
        assert_eq!(parse_line(" p "), (Some(Command::TogglePause), None));
        assert_eq!(parse_line("q lower back pain"), (Some(Command::Quit), Some("lower back pain".into())));
        assert_eq!(parse_line("q"), (Some(Command::Quit), None));
        assert_eq!(parse_line("q \x1b[31m"), (Some(Command::Quit), Some("\u{FFFD}[31m".into())));
        assert_eq!(parse_line("hello"), (None, None));
    }

    fn one(work: Work, t0: Instant) -> Session {
        let pauses = crate::routine::Pauses::default();
        let exercise =
            crate::routine::Exercise { name: "X".into(), notes: None, work, each_side: false, sets: 1, pauses };
        let routine = crate::routine::Routine {
            name: "t".into(),
            description: None,
            tags: vec![],
            blocks: vec![crate::routine::Block { rounds: 1, exercises: vec![exercise] }],
        };
        let mut session = Session::new(Plan::new(&routine), t0);
        // Past the prepare step, into the exercise.
        while session.view(t0).step.kind != StepKind::Work {
            session.handle(Command::Finish, t0);
        }
        session
    }

    #[test]
    fn plus_and_minus_say_what_they_changed() {
        let now = Instant::now();
        let mut hold = one(Work::Hold(Duration::from_secs(60)), now);
        hold.handle(Command::More, now);
        assert_eq!(adjusted_line(&hold.view(now)), "  1:10 left.");
        let mut reps = one(Work::Reps { count: 12, tempo: None }, now);
        reps.handle(Command::Less, now);
        assert_eq!(adjusted_line(&reps.view(now)), "  11 reps will be recorded.");
        let mut paced = one(Work::Reps { count: 8, tempo: Some(Duration::from_secs(3)) }, now);
        paced.handle(Command::More, now);
        assert_eq!(adjusted_line(&paced.view(now)), "  9 reps.");
    }
}
