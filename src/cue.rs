//! The sound cues a guided session asks for. The session engine emits them as data; the audio
//! shell decides how (or whether) they become sound, so the core never touches a device.

/// A moment in a session that the user should hear without looking at the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cue {
    /// Each of the last three seconds of a countdown, and each paced rep.
    Tick,
    /// Work starts: hold, or start counting reps.
    Go,
    /// A rest (between exercises or sets) starts.
    Rest,
    /// Change to the other side.
    Switch,
    /// A range hold reached its minimum: the user may stop now.
    MayStop,
    /// The whole routine is finished.
    Done,
}

impl Cue {
    /// Every cue, in the order `supple sounds` plays them.
    pub const ALL: [Cue; 6] = [Cue::Tick, Cue::Go, Cue::Rest, Cue::Switch, Cue::MayStop, Cue::Done];

    /// The key used for this cue in the config file and in messages.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Cue::Tick => "tick",
            Cue::Go => "go",
            Cue::Rest => "rest",
            Cue::Switch => "switch",
            Cue::MayStop => "may_stop",
            Cue::Done => "done",
        }
    }
}

/// Where the session shell sends cues: real sound, or nothing when there is no device.
/// Implementations must never block the caller for long and never print to the terminal.
pub trait CueSink {
    /// `cue`'s moment has come. A cue foreseen by [`schedule`](Self::schedule) is by then already
    /// placed on its moment; any other starts as soon as it can.
    fn play(&mut self, cue: Cue);
    /// The cues foreseen from now on if nobody presses a key, each with its moment (see
    /// `Session::upcoming_cues`); replaces what was foreseen before. Sent ahead so that a sink
    /// can place each sound on its moment while its output wakes rarely.
    fn schedule(&mut self, _upcoming: &[(std::time::Instant, Cue)]) {}
    /// A one-line notice for the status bar when cues cannot be heard (no device, or the
    /// reason it failed), so the screen can flash instead; `None` while sound works.
    fn notice(&self) -> Option<String> {
        None
    }
    /// Speak `text` (exercise, side, what comes next) when voice is on; mixed over cues, so
    /// neither cuts the other off. Sinks without a voice ignore it.
    fn announce(&mut self, _text: &str) {}
    fn set_muted(&mut self, muted: bool);
    fn muted(&self) -> bool;
}
