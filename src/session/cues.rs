//! When a session sounds what: the cue moments of the current step (ticks before its end,
//! paced reps, a range hold's minimum), the cue that announces a step, and the cues ahead,
//! foreseen by running a copy of the session forward for the audio shell to place early.

use std::time::{Duration, Instant};

use super::{Event, Mode, Session};
use crate::cue::Cue;
use crate::plan::StepKind;

/// The last seconds of a countdown that get a tick each.
const TICKS_BEFORE_END: u64 = 3;

impl Session {
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

    /// The cues that will sound in `(now, now + within]` if nobody touches a key, each with its
    /// moment, in order: the audio shell schedules them ahead into a large output buffer, so
    /// that the stream wakes rarely and still starts each sound on time. Found by running a
    /// copy of this session forward, so the prediction cannot disagree with what `advance`
    /// will emit. Empty while paused or after the end. Call `advance(now)` before this.
    #[must_use]
    pub fn upcoming_cues(&self, now: Instant, within: Duration) -> Vec<(Instant, Cue)> {
        /// A bound on the steps looked through: only zero-length steps could come near it.
        const MAX_MOMENTS: usize = 64;
        let horizon = now + within;
        let mut cues = Vec::new();
        let Some(first) = self.next_cue(now).filter(|&at| at <= horizon) else {
            return cues;
        };
        let mut ahead = self.clone();
        let mut at = first;
        for _ in 0..MAX_MOMENTS {
            for event in ahead.advance(at) {
                if let Event::Cue(cue) = event {
                    cues.push((at, cue));
                }
            }
            match ahead.next_cue(at) {
                Some(next) if next <= horizon && next > at => at = next,
                _ => break,
            }
        }
        cues
    }

    /// Cue moments of the current step other than its end, in order.
    pub(super) fn cue_moments(&self) -> Vec<(Duration, Cue)> {
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

    pub(super) fn next_cue_active(&self, a: Duration) -> Option<Duration> {
        self.cue_moments().into_iter().map(|(at, _)| at).find(|&at| at > a.max(self.cued_until))
    }

    /// Plays the step's cues in `(cued_until, until]`.
    pub(super) fn cue_until(&mut self, until: Duration, events: &mut Vec<Event>) {
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

    /// The cue that announces the current step: "go" for work, except that the second side
    /// straight after the first (no switch pause in between) gets "switch".
    pub(super) fn start_cue(&self) -> Option<Cue> {
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
}
