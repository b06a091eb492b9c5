//! The run screen's state around a [`Session`]: the help overlay, the "really quit?" question
//! with its optional reason, the visual flash that stands in for sound, and the status line.
//!
//! Like the session it is pure: keys and the time go in, [`Effect`]s come out, and the shell
//! (`runtime`) performs them. The screen (`ui`) only reads it.

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::checkin::{Answer, CheckIn, When};
use crate::cue::Cue;
use crate::keymap::{self, Action};
use crate::plan::{Plan, Side, StepKind};
use crate::record::StepRecord;
use crate::session::{Command, Ending, Event, Session};

/// How long the countdown flashes for a cue that cannot be heard.
pub const FLASH: Duration = Duration::from_millis(350);
/// Longest quit reason kept; it is a word or two like "pain", not an essay.
const REASON_MAX_CHARS: usize = 60;

/// Something the shell must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Cue(Cue),
    /// Store this step now.
    Record(StepRecord),
    /// Turn sound off (`true`) or on.
    Mute(bool),
    /// The session is over; the shell saves it and shows the summary (completed) or leaves.
    Ended(Ending),
    /// The summary was dismissed: leave the run screen.
    Close,
    /// Ring the terminal bell: a cue that cannot be heard, and the user asked for the bell.
    Bell,
    /// The after-routine check-in was answered (`None`: skipped).
    PainAfter(Option<u8>),
    /// Say this aloud (when voice is on): the exercise, the side, what comes next.
    Announce(String),
}

/// What is drawn over the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    None,
    Help,
    /// "Stop the session?" with the reason typed so far; `was_paused` restores the state on "no".
    Quit {
        reason: String,
        was_paused: bool,
    },
}

/// The run screen.
#[derive(Debug, Clone)]
pub struct Guide {
    session: Session,
    /// The routine's title, already sanitized.
    pub title: String,
    pub overlay: Overlay,
    flash_until: Option<Instant>,
    /// Set when cues cannot be heard (from the sink); cues then flash the countdown.
    pub audio_notice: Option<String>,
    /// Why history is not being saved (from the recorder).
    pub history_problem: Option<String>,
    /// A one-off message, e.g. after a suspend.
    pub message: Option<String>,
    pub muted: bool,
    /// Ring the terminal bell for cues that cannot be heard (config `bell = true`).
    pub bell: bool,
    /// Ask "how does your back feel?" on the summary of a completed session (config `checkin`).
    pub checkin: bool,
    /// The after-routine question while it is open.
    pub after: Option<CheckIn>,
    /// The streak with this session counted, for the summary of a completed session; set by
    /// the shell from the history once the session is saved.
    pub streak: Option<String>,
    quit_reason: Option<String>,
}

impl Guide {
    #[must_use]
    pub fn new(plan: Plan, title: String, started: Instant) -> Guide {
        Guide {
            session: Session::new(plan, started),
            title,
            overlay: Overlay::None,
            flash_until: None,
            audio_notice: None,
            history_problem: None,
            message: None,
            muted: false,
            bell: false,
            checkin: false,
            after: None,
            streak: None,
            quit_reason: None,
        }
    }

    #[must_use]
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The reason the user gave when quitting, if any.
    #[must_use]
    pub fn quit_reason(&self) -> Option<&str> {
        self.quit_reason.as_deref()
    }

    /// Whether the countdown is flashing at `now` (a cue played that may not be heard).
    #[must_use]
    pub fn flashing(&self, now: Instant) -> bool {
        self.flash_until.is_some_and(|until| now < until)
    }

    /// Catches up with the clock.
    pub fn advance(&mut self, now: Instant) -> Vec<Effect> {
        let events = self.session.advance(now);
        self.effects(events, now)
    }

    /// When the shell must wake next (a second boundary, a cue, or the end of a flash).
    #[must_use]
    pub fn next_deadline(&self, now: Instant) -> Option<Instant> {
        let flash = self.flash_until.filter(|&until| until > now);
        match (self.session.next_deadline(now), flash) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// The machine slept through part of the session: stop the clock and say so, rather than
    /// finish or skip steps the user never saw.
    pub fn suspended(&mut self, now: Instant) -> Vec<Effect> {
        let events = self.session.handle(Command::Pause, now);
        self.message = Some("Paused: the computer was asleep. Space goes on.".into());
        self.effects(events, now)
    }

    /// Ends the session without asking (a signal, or the terminal went away).
    pub fn stop(&mut self, now: Instant) -> Vec<Effect> {
        let events = self.session.handle(Command::Quit, now);
        self.effects(events, now)
    }

    /// A key was pressed.
    pub fn key(&mut self, key: &KeyEvent, now: Instant) -> Vec<Effect> {
        if key.kind != KeyEventKind::Press {
            return Vec::new();
        }
        if let Some(question) = &mut self.after {
            return match question.key(key) {
                Answer::Pending => Vec::new(),
                Answer::Given(score) => {
                    self.after = None;
                    vec![Effect::PainAfter(score), Effect::Close]
                }
                Answer::Cancelled => vec![Effect::Close],
            };
        }
        if self.session.ended().is_some() {
            // The summary: any of the usual "leave" keys closes it.
            let close = matches!(key.code, KeyCode::Enter | KeyCode::Esc | KeyCode::Char('q' | 'Q' | ' '))
                || keymap::run_action(key) == Some(Action::Interrupt);
            return if close { vec![Effect::Close] } else { Vec::new() };
        }
        match self.overlay.clone() {
            Overlay::Help => {
                // Any key closes help; only Ctrl-C also acts, so a stray key does nothing else.
                self.overlay = Overlay::None;
                if keymap::run_action(key) != Some(Action::Interrupt) {
                    return Vec::new();
                }
            }
            Overlay::Quit { reason, was_paused } => return self.quit_key(key, now, reason, was_paused),
            Overlay::None => {}
        }
        let Some(action) = keymap::run_action(key) else { return Vec::new() };
        let command = match action {
            Action::TogglePause => Command::TogglePause,
            Action::Finish => Command::Finish,
            Action::Previous => Command::Previous,
            Action::Restart => Command::Restart,
            Action::More => Command::More,
            Action::Less => Command::Less,
            Action::Interrupt => Command::Quit,
            Action::Mute => {
                self.muted = !self.muted;
                let mut effects = self.advance(now);
                effects.push(Effect::Mute(self.muted));
                return effects;
            }
            Action::Help => {
                self.overlay = Overlay::Help;
                return self.advance(now);
            }
            Action::Quit => {
                // The clock stops while the question is open: someone who quits in pain
                // should not hear the next exercise start while typing why.
                let was_paused = self.session.is_paused();
                let events = self.session.handle(Command::Pause, now);
                self.overlay = Overlay::Quit { reason: String::new(), was_paused };
                return self.effects(events, now);
            }
        };
        if command == Command::TogglePause {
            self.message = None;
        }
        let events = self.session.handle(command, now);
        self.effects(events, now)
    }

    fn quit_key(&mut self, key: &KeyEvent, now: Instant, mut reason: String, was_paused: bool) -> Vec<Effect> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Enter => {
                let reason = reason.trim();
                self.quit_reason = (!reason.is_empty()).then(|| reason.to_string());
                self.overlay = Overlay::None;
                let events = self.session.handle(Command::Quit, now);
                return self.effects(events, now);
            }
            KeyCode::Char('c') if ctrl => {
                self.overlay = Overlay::None;
                let events = self.session.handle(Command::Quit, now);
                return self.effects(events, now);
            }
            KeyCode::Esc => {
                self.overlay = Overlay::None;
                if !was_paused {
                    let events = self.session.handle(Command::Resume, now);
                    return self.effects(events, now);
                }
                return Vec::new();
            }
            KeyCode::Backspace => {
                reason.pop();
            }
            KeyCode::Char(c) if !ctrl && !c.is_control() && reason.chars().count() < REASON_MAX_CHARS => {
                reason.push(c);
            }
            _ => {}
        }
        self.overlay = Overlay::Quit { reason, was_paused };
        Vec::new()
    }

    fn effects(&mut self, events: Vec<Event>, now: Instant) -> Vec<Effect> {
        let mut effects = Vec::new();
        for event in events {
            match event {
                Event::Cue(cue) => {
                    if self.audio_notice.is_some() || self.muted {
                        self.flash_until = Some(now + FLASH);
                    }
                    effects.push(Effect::Cue(cue));
                    // Muting silences the bell too: the user asked for quiet.
                    if self.bell && self.audio_notice.is_some() && !self.muted {
                        effects.push(Effect::Bell);
                    }
                }
                Event::StepFinished(record) => effects.push(Effect::Record(record)),
                Event::Ended(ending) => {
                    self.overlay = Overlay::None;
                    if self.checkin && ending == Ending::Completed {
                        self.after = Some(CheckIn::new(When::After));
                    }
                    effects.push(Effect::Ended(ending));
                }
                Event::StepStarted(index) => {
                    if let Some(text) = announcement(self.session.plan(), index) {
                        effects.push(Effect::Announce(text));
                    }
                }
                Event::Paused | Event::Resumed => {}
            }
        }
        effects
    }
}

/// What the voice says as step `index` starts: where to get into position and on which side,
/// a side change, and what comes after a rest. A work step that follows its own prepare or
/// switch says nothing: the "go" cue is enough, and a sentence would talk over it.
#[must_use]
pub fn announcement(plan: &Plan, index: usize) -> Option<String> {
    let step = plan.steps.get(index)?;
    let side = |s: &crate::plan::Step| s.side.map_or(String::new(), |side| format!(", {} side", side.name()));
    match step.kind {
        StepKind::Prepare => Some(format!("Get ready: {}{}.", step.exercise, side(step))),
        StepKind::Switch => Some(format!("Switch to the {} side.", step.side.map_or("other", Side::name))),
        StepKind::Rest => Some(match plan.steps.get(index + 1) {
            Some(next) => format!("Rest. Next up: {}{}.", next.exercise, side(next)),
            None => "Rest.".to_string(),
        }),
        StepKind::Work => {
            let after_own_pause = index
                .checked_sub(1)
                .and_then(|i| plan.steps.get(i))
                .is_some_and(|prev| prev.exercise == step.exercise && prev.kind != StepKind::Rest);
            (!after_own_pause).then(|| format!("{}{}.", step.exercise, side(step)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routine::{Block, Exercise, Pauses, Routine, Work};

    fn guide(now: Instant) -> Guide {
        let pauses = Pauses { prepare: Duration::from_secs(5), ..Pauses::default() };
        let exercise = Exercise {
            name: "Plank".into(),
            notes: None,
            work: Work::Hold(Duration::from_secs(30)),
            each_side: false,
            sets: 1,
            pauses,
        };
        let routine = Routine {
            name: "t".into(),
            description: None,
            tags: vec![],
            blocks: vec![Block { rounds: 1, exercises: vec![exercise] }],
        };
        Guide::new(Plan::new(&routine), "t".into(), now)
    }

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn quitting_asks_first_pauses_meanwhile_and_keeps_the_typed_reason() {
        let now = Instant::now();
        let mut g = guide(now);
        assert_eq!(g.key(&press(KeyCode::Char('q')), now), []);
        assert!(g.session().is_paused());
        for c in " pain".chars() {
            g.key(&press(KeyCode::Char(c)), now);
        }
        g.key(&press(KeyCode::Char('x')), now);
        g.key(&press(KeyCode::Backspace), now);
        assert_eq!(g.overlay, Overlay::Quit { reason: " pain".into(), was_paused: false });
        let effects = g.key(&press(KeyCode::Enter), now + Duration::from_secs(1));
        assert!(matches!(effects.last(), Some(Effect::Ended(Ending::Quit))));
        assert_eq!(g.quit_reason(), Some("pain"));
    }

    #[test]
    fn escape_from_the_quit_question_resumes_only_if_it_was_running() {
        let now = Instant::now();
        let mut g = guide(now);
        g.key(&press(KeyCode::Esc), now);
        g.key(&press(KeyCode::Esc), now);
        assert_eq!(g.overlay, Overlay::None);
        assert!(!g.session().is_paused());
        g.key(&press(KeyCode::Char(' ')), now);
        g.key(&press(KeyCode::Char('q')), now);
        g.key(&press(KeyCode::Esc), now);
        assert!(g.session().is_paused());
    }

    #[test]
    fn help_is_closed_by_any_key_without_that_key_acting() {
        let now = Instant::now();
        let mut g = guide(now);
        g.key(&press(KeyCode::Char('?')), now);
        assert_eq!(g.overlay, Overlay::Help);
        assert_eq!(g.key(&press(KeyCode::Enter), now), []);
        assert_eq!(g.overlay, Overlay::None);
        assert_eq!(g.session().index(), 0);
    }

    #[test]
    fn cues_flash_the_countdown_only_when_they_cannot_be_heard() {
        let now = Instant::now();
        let mut g = guide(now);
        let at = now + Duration::from_secs(2);
        assert_eq!(g.advance(at), [Effect::Cue(Cue::Tick)]);
        assert!(!g.flashing(at));
        g.audio_notice = Some("no audio output configured".into());
        let at = now + Duration::from_secs(3);
        g.advance(at);
        assert!(g.flashing(at));
        assert!(!g.flashing(at + FLASH));
        // The end of the flash is a deadline, so it is not left on screen until the next second.
        assert_eq!(g.next_deadline(at), Some(at + FLASH));
    }

    #[test]
    fn the_bell_rings_for_unheard_cues_only_when_asked_for_and_not_muted() {
        let now = Instant::now();
        let mut g = guide(now);
        g.audio_notice = Some("no audio output configured".into());
        assert_eq!(g.advance(now + Duration::from_secs(2)), [Effect::Cue(Cue::Tick)]);
        g.bell = true;
        assert_eq!(g.advance(now + Duration::from_secs(3)), [Effect::Cue(Cue::Tick), Effect::Bell]);
        g.key(&press(KeyCode::Char('m')), now + Duration::from_secs(3));
        assert_eq!(g.advance(now + Duration::from_secs(4)), [Effect::Cue(Cue::Tick)]);
    }

    #[test]
    fn after_a_suspend_the_session_waits_paused_and_says_why_until_space() {
        let now = Instant::now();
        let mut g = guide(now);
        g.suspended(now + Duration::from_secs(1));
        assert!(g.session().is_paused());
        assert!(g.message.as_deref().is_some_and(|m| m.contains("asleep")));
        assert_eq!(g.advance(now + Duration::from_secs(99)), []);
        g.key(&press(KeyCode::Char(' ')), now + Duration::from_secs(100));
        assert!(!g.session().is_paused());
        assert_eq!(g.message, None);
        assert_eq!(g.session().view(now + Duration::from_secs(100)).elapsed, Duration::from_secs(1));
    }

    #[test]
    fn a_completed_session_asks_the_after_question_on_its_summary() {
        let now = Instant::now();
        let mut g = guide(now);
        g.checkin = true;
        g.advance(now + Duration::from_secs(60));
        assert!(g.after.is_some());
        assert_eq!(g.key(&press(KeyCode::Char('2')), now), []);
        assert_eq!(g.key(&press(KeyCode::Enter), now), [Effect::PainAfter(Some(2)), Effect::Close]);
        // A stopped session does not ask.
        let mut g = guide(now);
        g.checkin = true;
        g.stop(now);
        assert!(g.after.is_none());
    }

    #[test]
    fn ctrl_c_stops_at_once_and_the_summary_closes_on_enter() {
        let now = Instant::now();
        let mut g = guide(now);
        let effects = g.key(&KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL), now);
        assert!(matches!(effects.last(), Some(Effect::Ended(Ending::Quit))));
        assert_eq!(g.key(&press(KeyCode::Char('x')), now), []);
        assert_eq!(g.key(&press(KeyCode::Enter), now), [Effect::Close]);
    }

    #[test]
    fn the_voice_names_the_exercise_and_side_the_switch_and_what_follows_a_rest() {
        let couch = Exercise {
            name: "Couch stretch".into(),
            notes: None,
            work: Work::Hold(Duration::from_secs(20)),
            each_side: true,
            sets: 1,
            pauses: Pauses { rest: Duration::from_secs(10), ..Pauses::default() },
        };
        let dog = Exercise {
            name: "Downward dog".into(),
            each_side: false,
            pauses: Pauses { prepare: Duration::ZERO, ..Pauses::default() },
            ..couch.clone()
        };
        let routine = Routine {
            name: "R".into(),
            description: None,
            tags: vec![],
            blocks: vec![crate::routine::Block { rounds: 1, exercises: vec![couch, dog] }],
        };
        let plan = Plan::new(&routine);
        let said: Vec<Option<String>> = (0..plan.steps.len()).map(|i| announcement(&plan, i)).collect();
        assert_eq!(
            said,
            [
                Some("Get ready: Couch stretch, left side.".to_string()),
                None,
                Some("Switch to the right side.".to_string()),
                None,
                Some("Rest. Next up: Downward dog.".to_string()),
                Some("Downward dog.".to_string()),
            ]
        );
    }
}
