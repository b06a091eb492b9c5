//! The command line: clap definitions only; each command's arguments live with the command.

use clap::{Parser, Subcommand};

use crate::command::history::{ExportArgs, HistoryArgs, ImportArgs};
use crate::command::log::{ExcuseArgs, LogArgs};
use crate::command::stats::StatsArgs;

#[derive(Debug, Parser)]
#[command(name = "supple", version, about = "A terminal coach for stretching and mobility routines")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List past sessions
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
}
