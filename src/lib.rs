//! supple: a terminal coach for stretching and mobility routines.
//!
//! The program is a pure core inside a thin shell. The core is handed the time and never does
//! IO: `routine` (validated definitions, parsed from TOML with every error located),
//! `plan` (routine -> ordered steps), `cue` (the sounds a session asks for), `session` (the
//! step-through state machine: given `now`, it answers with cues and step records), `guide`
//! (the run screen's state around it, keys from `keymap`), `checkin`. The shell reads the clock
//! (`clock`), knows where files live (`paths`), runs the loops (`runtime`: sleep until the
//! next deadline or key, perform effects, draw with `ui`), and prints only text that went
//! through `sanitize`, because routine files are untrusted.

pub mod audio;
pub mod checkin;
pub mod cli;
pub mod clock;
pub mod command;
pub mod config;
pub mod cue;
pub mod guide;
pub mod home;
pub mod keymap;
pub mod paths;
pub mod plan;
pub mod record;
pub mod routine;
pub mod runtime;
pub mod sanitize;
pub mod session;
pub mod stats;
pub mod store;
pub mod streak;
pub mod ui;
