//! The cue sink for a build or a machine without audio output: plays nothing and says so,
//! so the run screen flashes its countdown instead and the status line explains why.

use crate::cue::{Cue, CueSink};

/// Plays nothing; its notice tells the user that no sound will come.
#[derive(Debug, Clone, Default)]
pub struct MutedSink {
    muted: bool,
}

/// What the status line says when this sink is in use.
pub const NOTICE: &str = "no audio output configured";

impl CueSink for MutedSink {
    fn play(&mut self, _cue: Cue) {}

    fn notice(&self) -> Option<String> {
        Some(NOTICE.to_string())
    }

    fn set_muted(&mut self, muted: bool) {
        self.muted = muted;
    }

    fn muted(&self) -> bool {
        self.muted
    }
}
