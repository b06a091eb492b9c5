//! The command line, declared with clap. Parsing only: each command's work lives in `command/`.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::command::history::{ExportArgs, HistoryArgs, ImportArgs};
use crate::command::log::{ExcuseArgs, LogArgs};
use crate::command::stats::StatsArgs;

/// A terminal coach for stretching and mobility routines.
///
/// Run `supple` alone for the home screen, or `supple run post-ride` to start a routine.
#[derive(Debug, Parser)]
#[command(name = "supple", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    // In the order of the README's command table, which `--help` follows: running first,
    // then the history, then the checks of the machine.
    /// Run a routine: countdowns, rep counters and sound cues, step by step.
    Run {
        /// A routine name (e.g. `post-ride`) or a path to a .toml file.
        routine: String,
        /// Start with sound off (`m` turns it back on).
        #[arg(long)]
        mute: bool,
        /// One line per step instead of the full screen (automatic when not on a terminal).
        #[arg(long)]
        plain: bool,
    },
    /// List routines with their estimated duration, tags, source and when last done.
    List {
        /// Print a JSON array instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Show a routine's expanded timeline: every step with its time, and the total.
    Show {
        /// A routine name (e.g. `post-ride`) or a path to a .toml file.
        routine: String,
    },
    /// Validate routines, named or by file (every known routine when none is given).
    Check {
        /// Routine names (e.g. `post-ride`), routine files, or folders of them; a path that
        /// exists wins over a routine of the same name.
        #[arg(value_name = "ROUTINE|PATH")]
        paths: Vec<PathBuf>,
    },
    /// Create a routine from a commented template and open it in your editor.
    New {
        /// The routine's name, e.g. `evening-stretch` (1 to 60 letters, digits, `-`, `_`).
        name: String,
    },
    /// Open a routine in $VISUAL/$EDITOR, then validate it (bundled ones are copied first).
    Edit {
        /// A routine name (e.g. `post-ride`) or a path to a .toml file.
        routine: String,
    },
    /// List past sessions, oldest first
    History(HistoryArgs),
    /// Streaks, totals, this week, per-routine counts, check-in trend
    Stats(StatsArgs),
    /// Write the whole history (JSON keeps everything and can be imported)
    Export(ExportArgs),
    /// Add the sessions of an exported file; importing the same file twice adds nothing
    Import(ImportArgs),
    /// Record a session done without the timer
    Log(LogArgs),
    /// Excuse a day (sick, travel, rest): keeps the streak, counts as no session
    Excuse(ExcuseArgs),
    /// Play every cue once, and say which audio device is used (or why none).
    Sounds,
    /// Paths in use, config and routine errors, history size and health, audio and terminal.
    Doctor,
}
