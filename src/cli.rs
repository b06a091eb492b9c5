//! The command line, as clap derive types. `main.rs` matches on [`Command`] and runs it.

use clap::{Parser, Subcommand};

/// A terminal coach for stretching and mobility routines.
#[derive(Debug, Parser)]
#[command(name = "supple", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Play every cue once, and say which audio device is used (or why none).
    Sounds,
}
